#!/usr/bin/python3
"""Writes Keras .h5 model files in exactly tf.keras 2.x's legacy HDF5 layout, with known weights,
plus the probabilities a numpy forward pass of the same weights gives (the import tests' truth).

Needs only Debian's python3-h5py and python3-numpy (no TensorFlow). Usage:

    /usr/bin/python3 tools/make_keras_h5.py OUT_DIR
    /usr/bin/python3 tools/make_keras_h5.py predict MODEL.h5 INPUTS.json OUT.json

The second form reads any .h5 file of this layout with h5py (a Sequential model of InputLayer, Rescaling,
Dense, BatchNormalization, Dropout, Conv2D, MaxPooling2D, Flatten, Activation, Embedding, LSTM, GRU with
reset_after, GlobalAveragePooling1D) and writes numpy's
inference outputs for INPUTS.json ({"inputs": [[...]]}, rows flattened in Keras' own layout, channels-last
for images) as {"outputs": [[...]]}: the check that trainserve's .h5 export is what Keras would compute.

Writes into OUT_DIR:
  mlp.h5, mlp.json        Dense(relu) -> BatchNormalization -> Dropout -> Dense -> Activation(softmax),
                          an InputLayer first, compiled (string loss, Adam)
  cnn.h5, cnn.json        channels-last Conv2D(relu, same) -> MaxPooling2D -> Flatten -> Dense(softmax),
                          input shape on the first layer, compiled (loss as a class dict, SGD with momentum)
  rnn.h5                  a Sequential model with a SimpleRNN layer (unsupported)
  functional.h5           a functional Model (unsupported)
  corrupt.h5              the HDF5 signature followed by garbage
  keras3.keras            a Keras 3 zip (config.json, metadata.json, model.weights.h5)

Each .json holds {"inputs": [[...]], "inputsChannelsFirst": [[...]] (CNN only), "probabilities": [[...]]}.
The layout follows tf.keras 2.x's legacy saving (keras/saving/legacy/hdf5_format.py): root attributes
model_config / training_config (JSON as bytes), keras_version and backend (str); group model_weights
with attributes layer_names, backend, keras_version; one group per layer with attribute weight_names
(b"<layer>/<weight>:0") and the arrays at model_weights/<layer>/<layer>/<weight>:0.
"""
import json
import os
import sys
import zipfile

import h5py
import numpy as np

KERAS_VERSION = "2.11.0"


def initializer(name):
    return {"class_name": name, "config": {"seed": None}}


def dense(name, units, activation, input_shape=None):
    c = {"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation, "use_bias": True,
         "kernel_initializer": initializer("GlorotUniform"), "bias_initializer": {"class_name": "Zeros", "config": {}},
         "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
         "kernel_constraint": None, "bias_constraint": None}
    if input_shape is not None:
        c["batch_input_shape"] = [None] + list(input_shape)
    return {"class_name": "Dense", "config": c}


def write_model(path, layers, weights, training_config, class_name="Sequential"):
    """layers: Keras layer configs (InputLayer included); weights: [(layer name, [(weight name, array)])] for model.layers."""
    model_config = {"class_name": class_name, "config": {"name": "sequential", "layers": layers}}
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = KERAS_VERSION
        f.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        if training_config is not None:
            f.attrs["training_config"] = json.dumps(training_config).encode("utf8")
        g = f.create_group("model_weights")
        g.attrs["backend"] = "tensorflow".encode("utf8")
        g.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
        g.attrs["layer_names"] = np.array([n.encode("utf8") for n, _ in weights])
        for layer, ws in weights:
            lg = g.create_group(layer)
            lg.attrs["weight_names"] = np.array([f"{layer}/{w}:0".encode("utf8") for w, _ in ws])
            for w, a in ws:
                lg.create_dataset(f"{layer}/{w}:0", data=a.astype(np.float32))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def mlp(out, rng):
    n_in, hidden, classes = 5, 8, 3
    k1 = rng.normal(0, 0.6, (n_in, hidden)).astype(np.float32)
    b1 = rng.normal(0, 0.2, hidden).astype(np.float32)
    gamma = rng.uniform(0.5, 1.5, hidden).astype(np.float32)
    beta = rng.normal(0, 0.3, hidden).astype(np.float32)
    mean = rng.uniform(0.0, 1.0, hidden).astype(np.float32)
    var = rng.uniform(0.3, 2.0, hidden).astype(np.float32)
    k2 = rng.normal(0, 0.6, (hidden, classes)).astype(np.float32)
    b2 = rng.normal(0, 0.2, classes).astype(np.float32)
    layers = [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, n_in], "dtype": "float32", "sparse": False,
                                                 "ragged": False, "name": "dense_input"}},
        dense("dense", hidden, "relu"),
        {"class_name": "BatchNormalization", "config": {
            "name": "batch_normalization", "trainable": True, "dtype": "float32", "axis": [1], "momentum": 0.99,
            "epsilon": 0.001, "center": True, "scale": True,
            "beta_initializer": {"class_name": "Zeros", "config": {}}, "gamma_initializer": {"class_name": "Ones", "config": {}},
            "moving_mean_initializer": {"class_name": "Zeros", "config": {}},
            "moving_variance_initializer": {"class_name": "Ones", "config": {}},
            "beta_regularizer": None, "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None}},
        {"class_name": "Dropout", "config": {"name": "dropout", "trainable": True, "dtype": "float32", "rate": 0.3,
                                             "noise_shape": None, "seed": None}},
        dense("dense_1", classes, "linear"),
        {"class_name": "Activation", "config": {"name": "activation", "trainable": True, "dtype": "float32",
                                                "activation": "softmax"}},
    ]
    weights = [("dense", [("kernel", k1), ("bias", b1)]),
               ("batch_normalization", [("gamma", gamma), ("beta", beta), ("moving_mean", mean), ("moving_variance", var)]),
               ("dropout", []),
               ("dense_1", [("kernel", k2), ("bias", b2)]),
               ("activation", [])]
    training = {"loss": "sparse_categorical_crossentropy", "metrics": [[{"class_name": "MeanMetricWrapper",
                "config": {"name": "accuracy", "dtype": "float32", "fn": "sparse_categorical_accuracy"}}]],
                "weighted_metrics": None, "loss_weights": None,
                "optimizer_config": {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.0005, "decay": 0.0,
                                     "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}}}
    write_model(os.path.join(out, "mlp.h5"), layers, weights, training)

    x = rng.normal(0, 1.5, (6, n_in)).astype(np.float64)
    h = np.maximum(x @ k1 + b1, 0)
    h = (h - mean) / np.sqrt(var + 0.001) * gamma + beta  # inference: moving statistics; dropout is identity
    p = softmax(h @ k2 + b2)
    dump(os.path.join(out, "mlp.json"), {"inputs": x.tolist(), "probabilities": p.tolist()})


def cnn(out, rng):
    hgt, wid, ch, filters, classes = 6, 5, 2, 3, 4
    kernel = rng.normal(0, 0.5, (3, 3, ch, filters)).astype(np.float32)  # HWIO, as Keras stores it
    bias = rng.normal(0, 0.1, filters).astype(np.float32)
    ph, pw = hgt // 2, wid // 2  # valid pooling 2x2 of a 6x5 'same' convolution: 3x2
    k2 = rng.normal(0, 0.5, (ph * pw * filters, classes)).astype(np.float32)
    b2 = rng.normal(0, 0.1, classes).astype(np.float32)
    layers = [
        {"class_name": "Conv2D", "config": {
            "name": "conv2d", "trainable": True, "batch_input_shape": [None, hgt, wid, ch], "dtype": "float32",
            "filters": filters, "kernel_size": [3, 3], "strides": [1, 1], "padding": "same", "data_format": "channels_last",
            "dilation_rate": [1, 1], "groups": 1, "activation": "relu", "use_bias": True,
            "kernel_initializer": initializer("GlorotUniform"), "bias_initializer": {"class_name": "Zeros", "config": {}},
            "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
            "kernel_constraint": None, "bias_constraint": None}},
        {"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d", "trainable": True, "dtype": "float32",
                                                  "pool_size": [2, 2], "padding": "valid", "strides": [2, 2],
                                                  "data_format": "channels_last"}},
        {"class_name": "Flatten", "config": {"name": "flatten", "trainable": True, "dtype": "float32",
                                             "data_format": "channels_last"}},
        dense("dense", classes, "softmax"),
    ]
    weights = [("conv2d", [("kernel", kernel), ("bias", bias)]), ("max_pooling2d", []), ("flatten", []),
               ("dense", [("kernel", k2), ("bias", b2)])]
    training = {"loss": {"class_name": "SparseCategoricalCrossentropy",
                         "config": {"reduction": "auto", "name": "sparse_categorical_crossentropy", "from_logits": False}},
                "metrics": None, "weighted_metrics": None, "loss_weights": None,
                "optimizer_config": {"class_name": "SGD", "config": {"name": "SGD", "learning_rate": 0.01, "decay": 0.0,
                                     "momentum": 0.9, "nesterov": False}}}
    write_model(os.path.join(out, "cnn.h5"), layers, weights, training)

    x = rng.uniform(0, 1, (4, hgt, wid, ch)).astype(np.float64)  # NHWC, as Keras takes it
    pad = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))  # 'same' for a 3x3 kernel, stride 1
    conv = np.zeros((x.shape[0], hgt, wid, filters))
    for i in range(hgt):
        for j in range(wid):
            conv[:, i, j, :] = np.tensordot(pad[:, i:i + 3, j:j + 3, :], kernel, axes=([1, 2, 3], [0, 1, 2]))
    conv = np.maximum(conv + bias, 0)
    pooled = conv[:, :ph * 2, :pw * 2, :].reshape(x.shape[0], ph, 2, pw, 2, filters).max(axis=(2, 4))
    flat = pooled.reshape(x.shape[0], -1)  # Keras' Flatten: (H, W, C) order
    p = softmax(flat @ k2 + b2)
    chw = x.transpose(0, 3, 1, 2).reshape(x.shape[0], -1)  # the same images channels-first, as trainserve takes them
    dump(os.path.join(out, "cnn.json"), {"inputs": x.reshape(x.shape[0], -1).tolist(), "inputsChannelsFirst": chw.tolist(),
                                         "probabilities": p.tolist()})


def unsupported(out, rng):
    layers = [{"class_name": "InputLayer", "config": {"batch_input_shape": [None, 7, 3], "dtype": "float32", "name": "x"}},
              {"class_name": "SimpleRNN", "config": {"name": "rnn", "units": 4, "activation": "tanh",
                                                     "return_sequences": False}},
              dense("dense", 2, "softmax")]
    write_model(os.path.join(out, "rnn.h5"), layers,
                [("rnn", [("kernel", rng.normal(0, 1, (3, 4))), ("recurrent_kernel", rng.normal(0, 1, (4, 4))),
                           ("bias", np.zeros(4))]),
                 ("dense", [("kernel", rng.normal(0, 1, (4, 2))), ("bias", np.zeros(2))])], None)
    functional = [{"class_name": "InputLayer", "name": "input_1", "config": {"batch_input_shape": [None, 3], "name": "input_1"},
                   "inbound_nodes": []},
                  {"class_name": "Dense", "name": "dense", "config": dense("dense", 2, "softmax")["config"],
                   "inbound_nodes": [[["input_1", 0, 0, {}]]]}]
    write_model(os.path.join(out, "functional.h5"), functional,
                [("dense", [("kernel", rng.normal(0, 1, (3, 2))), ("bias", np.zeros(2))])], None, class_name="Functional")
    with open(os.path.join(out, "corrupt.h5"), "wb") as f:
        f.write(b"\x89HDF\r\n\x1a\n" + bytes(rng.integers(0, 256, 600, dtype=np.uint8)))
    with zipfile.ZipFile(os.path.join(out, "keras3.keras"), "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.6.0", "date_saved": "2026-01-01@00:00:00"}))
        z.writestr("config.json", json.dumps({"module": "keras", "class_name": "Sequential", "config": {"layers": []}}))
        z.writestr("model.weights.h5", b"")


def activate(x, name):
    if name == "linear":
        return x
    if name == "relu":
        return np.maximum(x, 0)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "tanh":
        return np.tanh(x)
    if name == "elu":
        return np.where(x > 0, x, np.exp(np.minimum(x, 0)) - 1)
    if name == "softmax":
        return softmax(x)
    raise ValueError("activation " + name)


def same_pad(size, k, s):
    out = (size + s - 1) // s
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def windows(x, kh, kw, sh, sw, padding, fill):
    """x NHWC -> patches [N, OH, OW, kh, kw, C] (padding 'same' as Keras: the odd pixel after)."""
    n, h, w, c = x.shape
    if padding == "same":
        (t, b), (l, r) = same_pad(h, kh, sh), same_pad(w, kw, sw)
        x = np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)), constant_values=fill)
    oh, ow = (x.shape[1] - kh) // sh + 1, (x.shape[2] - kw) // sw + 1
    out = np.empty((n, oh, ow, kh, kw, c))
    for i in range(oh):
        for j in range(ow):
            out[:, i, j] = x[:, i * sh:i * sh + kh, j * sw:j * sw + kw, :]
    return out


def recurrent(x, cls, c, w):
    """Keras 2's LSTM (gates i, f, c, o) or GRU with reset_after=True (gates z, r, h; bias [input, recurrent])."""
    act, rec = c["activation"], c["recurrent_activation"]
    h = np.zeros((x.shape[0], c["units"]))
    cell = np.zeros_like(h)
    steps = []
    for t in range(x.shape[1]):
        xt = x[:, t, :]
        if cls == "LSTM":
            i, f, g, o = np.split(xt @ w["kernel"] + h @ w["recurrent_kernel"] + w["bias"], 4, axis=1)
            cell = activate(f, rec) * cell + activate(i, rec) * activate(g, act)
            h = activate(o, rec) * activate(cell, act)
        else:
            xz, xr, xh = np.split(xt @ w["kernel"] + w["bias"][0], 3, axis=1)
            hz, hr, hh = np.split(h @ w["recurrent_kernel"] + w["bias"][1], 3, axis=1)
            z, r = activate(xz + hz, rec), activate(xr + hr, rec)
            h = z * h + (1 - z) * activate(xh + r * hh, act)
        steps.append(h)
    return np.stack(steps, axis=1) if c["return_sequences"] else h


def forward(path, rows):
    with h5py.File(path, "r") as f:
        config = json.loads(f.attrs["model_config"])
        weights = {}
        for name in f["model_weights"].attrs["layer_names"]:
            name = name.decode() if hasattr(name, "decode") else name
            g = f["model_weights"][name]
            ws = {}
            for w in g.attrs.get("weight_names", []):  # Keras' loader also reads a missing attribute as no weights
                w = w.decode() if hasattr(w, "decode") else w
                ws[w.split("/")[-1].split(":")[0]] = np.array(g[w], dtype=np.float64)
            weights[name] = ws
    layers = config["config"]["layers"]
    shape = (layers[0]["config"].get("batch_input_shape") or layers[0]["config"]["batch_shape"])[1:]
    x = np.array(rows, dtype=np.float64).reshape([len(rows)] + list(shape))
    for layer in layers:
        cls, c = layer["class_name"], layer["config"]
        w = weights.get(c["name"], {})
        if cls == "InputLayer" or cls == "Dropout":
            continue
        elif cls == "Rescaling":
            x = x * np.array(c["scale"]) + np.array(c["offset"])
        elif cls == "Dense":
            x = activate(x @ w["kernel"] + w.get("bias", 0), c["activation"])
        elif cls == "BatchNormalization":
            x = (x - w["moving_mean"]) / np.sqrt(w["moving_variance"] + c["epsilon"]) * w.get("gamma", 1) + w.get("beta", 0)
        elif cls == "Conv2D":
            kh, kw = c["kernel_size"]
            p = windows(x, kh, kw, c["strides"][0], c["strides"][1], c["padding"], 0.0)
            x = activate(np.tensordot(p, w["kernel"], axes=([3, 4, 5], [0, 1, 2])) + w.get("bias", 0), c["activation"])
        elif cls == "MaxPooling2D":
            ph, pw = c["pool_size"]
            st = c.get("strides") or c["pool_size"]
            x = windows(x, ph, pw, st[0], st[1], c["padding"], -np.inf).max(axis=(3, 4))
        elif cls == "Flatten":
            x = x.reshape(x.shape[0], -1)
        elif cls == "Activation":
            x = activate(x, c["activation"])
        elif cls == "Embedding":
            x = w["embeddings"][x.astype(np.int64)]
        elif cls in ("LSTM", "GRU"):
            x = recurrent(x, cls, c, w)
        elif cls == "GlobalAveragePooling1D":
            x = x.mean(axis=1)
        else:
            raise ValueError("layer class " + cls)
    return x


def dump(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f)


def main():
    if sys.argv[1] == "predict":
        with open(sys.argv[3]) as f:
            rows = json.load(f)["inputs"]
        dump(sys.argv[4], {"outputs": forward(sys.argv[2], rows).tolist()})
        return
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20)
    mlp(out, rng)
    cnn(out, rng)
    unsupported(out, rng)


if __name__ == "__main__":
    main()
