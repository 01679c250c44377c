#!/usr/bin/python3
"""PyTorch peer of the trainserve engine benchmark (issue 3).

Reads Fashion-MNIST from the IDX .gz files of Debian's dataset-fashion-mnist package (no
download), scales pixels by 1/255 and runs one named workload, printing one JSON line per
measurement on stdout (diagnostics go to stderr). The models, initialisation (Glorot-uniform
weights, zero biases, as Keras and the engine), loss (softmax cross-entropy), optimizer
(Adam lr 0.001, beta 0.9/0.999, eps 1e-7 as Keras), batch size (100) and per-epoch shuffling
match bench/EngineBench on the engine side. Each epoch also accumulates the training loss and
accuracy, as Keras' fit (and the engine) do.

Training workloads: softmax, mlp, mlp_bn_dropout, cnn. Each repeat builds a fresh model, trains
--warmup warm-up epochs (default 1, not timed into the result) and then --epochs measured epochs, and reports the
per-epoch wall times, their median and the final test accuracy.

Inference workloads: predict_single (latency of one-row predict of the trained MLP, median/p99
in microseconds) and predict_batch256 (samples/s of batch-256 inference of the MLP). Both time the
whole call from raw (unscaled) float32 pixels to softmax probabilities as a numpy array, as the
engine's Model.outputs does.
"""
import argparse
import gzip
import json
import os
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn

WORKLOADS = ["softmax", "mlp", "mlp_bn_dropout", "cnn", "predict_single", "predict_batch256"]


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(data_dir, train_rows):
    def pair(prefix):
        x = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
        y = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
        return x.reshape(len(x), -1).astype(np.float32), y.astype(np.int64)

    try:
        xtr, ytr = pair("train")
        xte, yte = pair("t10k")
    except FileNotFoundError as e:
        sys.exit(f"pytorch_peer: {e.filename} is missing: apt-get install dataset-fashion-mnist")
    if train_rows and train_rows < len(xtr):
        xtr, ytr = xtr[:train_rows], ytr[:train_rows]
    return xtr, ytr, xte, yte


def glorot(model):
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def build(workload):
    if workload == "softmax":
        m = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    elif workload in ("mlp", "predict_single", "predict_batch256"):
        m = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    elif workload == "mlp_bn_dropout":
        # engine order: dense256 relu, batch_norm, dropout 0.3, dense256 relu, batch_norm, dropout 0.3, dense10.
        # Keras BatchNormalization(momentum=0.99, epsilon=1e-3) == torch momentum 0.01, eps 1e-3.
        m = nn.Sequential(nn.Flatten(),
                          nn.Linear(784, 256), nn.ReLU(), nn.BatchNorm1d(256, eps=1e-3, momentum=0.01), nn.Dropout(0.3),
                          nn.Linear(256, 256), nn.ReLU(), nn.BatchNorm1d(256, eps=1e-3, momentum=0.01), nn.Dropout(0.3),
                          nn.Linear(256, 10))
    elif workload == "cnn":
        m = nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                          nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(64 * 5 * 5, 10))
    else:
        raise ValueError(workload)
    return glorot(m)


def train_epoch(model, opt, loss_fn, x, y, batch, gen):
    model.train()
    n = len(x)
    order = torch.randperm(n, generator=gen)
    loss_sum, correct = 0.0, 0
    for start in range(0, n, batch):
        idx = order[start:start + batch]
        xb, yb = x[idx], y[idx]
        opt.zero_grad(set_to_none=True)
        z = model(xb)
        loss = loss_fn(z, yb)
        loss.backward()
        opt.step()
        loss_sum += loss.item() * len(idx)
        correct += (z.argmax(1) == yb).sum().item()
    return loss_sum / n, correct / n


def accuracy(model, x, y):
    model.eval()
    correct = 0
    with torch.inference_mode():
        for start in range(0, len(x), 1000):
            correct += (model(x[start:start + 1000]).argmax(1) == y[start:start + 1000]).sum().item()
    return correct / len(x)


def probe_onednn(workload, batch=100, steps=15, rounds=2):
    """PyTorch at its best: trains a few steps on random data with oneDNN (mkldnn) on and off, in turn,
    and keeps the faster. Debian's torch 1.13 bundles oneDNN 2.6.3, whose convolutions ran a CNN step
    2.5x slower than PyTorch's own im2col + BLAS path on one Zen 5 host (91 vs 36 ms)."""
    gen = torch.Generator().manual_seed(12345)
    x, y = torch.rand(batch, 784, generator=gen), torch.randint(0, 10, (batch,), generator=gen)
    ms = {True: [], False: []}
    for _ in range(rounds):
        for enabled in (True, False):
            torch.backends.mkldnn.enabled = enabled
            model = build(workload)
            opt = torch.optim.Adam(model.parameters(), lr=0.001)
            for i in range(5 + steps):
                if i == 5:
                    t0 = time.perf_counter()
                opt.zero_grad(set_to_none=True)
                nn.functional.cross_entropy(model(x), y).backward()
                opt.step()
            ms[enabled].append((time.perf_counter() - t0) / steps * 1000)
    best = min((True, False), key=lambda e: min(ms[e]))
    torch.backends.mkldnn.enabled = best
    print(f"  [pytorch {workload}] oneDNN probe: on {min(ms[True]):.2f} ms/step, off {min(ms[False]):.2f} ms/step "
          f"-> {'on' if best else 'off'}", file=sys.stderr, flush=True)
    return {"onednn": best, "onednn_probe_ms_per_step": {"on": round(min(ms[True]), 3), "off": round(min(ms[False]), 3)}}


def train(workload, epochs, seed, data, batch=100, lr=0.001, warmup=1):
    xtr, ytr, xte, yte = data
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    x, y = torch.from_numpy(xtr / np.float32(255)), torch.from_numpy(ytr)
    model = build(workload)
    opt = torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    times = []
    last = None
    for e in range(warmup + epochs):  # the first `warmup` epochs are not timed
        t0 = time.perf_counter()
        last = train_epoch(model, opt, loss_fn, x, y, batch, gen)
        dt = time.perf_counter() - t0
        if e >= warmup:
            times.append(dt)
        print(f"  [pytorch {workload}] epoch {e + 1}/{warmup + epochs}{' (warm-up)' if e < warmup else ''}: "
              f"{dt:.3f} s, loss {last[0]:.4f}, acc {last[1]:.4f}", file=sys.stderr, flush=True)
    test_acc = accuracy(model, torch.from_numpy(xte / np.float32(255)), torch.from_numpy(yte))
    return model, times, last, test_acc


def predict_fn(model):
    model.eval()
    scale = np.float32(1 / 255)

    def predict(rows):  # raw float32 pixels [n, 784] -> probabilities [n, 10] (numpy)
        with torch.inference_mode():
            return torch.softmax(model(torch.from_numpy(rows) * scale), dim=1).numpy()
    return predict


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, int(round(q / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def loaded_blas():
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "/" in line and "blas" in line.split()[-1].rsplit("/", 1)[-1].lower()}
        return ",".join(sorted(os.path.realpath(p) for p in libs)) or "unknown"
    except OSError:
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workload", required=True, choices=WORKLOADS)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=3, help="measured epochs after the warm-up epochs (training workloads); "
                    "for predict_*: epochs of MLP training in all before measuring")
    ap.add_argument("--warmup", type=int, default=1, help="untimed warm-up epochs before the measured ones")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--train-rows", type=int, default=0, help="use only the first N training rows (0 = all 60000)")
    ap.add_argument("--calls", type=int, default=5000, help="predict_single: timed calls (after as many warm-up calls, for at least --warmup-seconds)")
    ap.add_argument("--seconds", type=float, default=3.0, help="predict_batch256: timed duration per repeat")
    ap.add_argument("--warmup-seconds", type=float, default=2.0,
                    help="predict_*: untimed predicts first (the engine's JIT needs them; the same here)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--round", type=int, default=0, help="echoed in the JSON (bench/run.sh's round number)")
    ap.add_argument("--data", default=os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    data = load(a.data, a.train_rows)
    common = {"round": a.round, "side": "pytorch", "workload": a.workload, "threads": torch.get_num_threads(),
              "version": torch.__version__, "coretype": os.environ.get("OPENBLAS_CORETYPE", ""),
              "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "")}
    training = a.workload in ("softmax", "mlp", "mlp_bn_dropout", "cnn")
    common.update(probe_onednn(a.workload if training else "mlp"))
    model = None
    if not training:
        # the MLP is trained for --epochs epochs in all (at least one) before measuring
        model, _, _, test_acc = train("mlp", max(a.epochs - 1, 0), a.seed, data)
        predict = predict_fn(model)
        xte = data[2]
    for r in range(1, a.repeats + 1):
        out = dict(common, repeat=r, blas=loaded_blas())
        if training:
            _, times, (loss, acc), test_acc = train(a.workload, a.epochs, a.seed + r - 1, data, warmup=a.warmup)
            out.update(train_rows=len(data[0]), batch=100, warmup_epochs=a.warmup, measured_epochs=len(times),
                       epoch_seconds=[round(t, 4) for t in times], seconds_per_epoch=round(statistics.median(times), 4),
                       train_loss=round(loss, 5), train_accuracy=round(acc, 5), test_accuracy=round(test_acc, 5))
        elif a.workload == "predict_single":
            rows = [xte[i:i + 1].copy() for i in range(len(xte))]
            i, w0 = 0, time.perf_counter()  # warm-up: as many calls as timed, and the warm-up seconds
            while i < a.calls or time.perf_counter() - w0 < a.warmup_seconds:
                predict(rows[i % len(rows)])
                i += 1
            lat = []
            for i in range(a.calls):
                t0 = time.perf_counter_ns()
                predict(rows[i % len(rows)])
                lat.append((time.perf_counter_ns() - t0) / 1000)
            lat.sort()
            out.update(calls=a.calls, median_us=round(statistics.median(lat), 2), p99_us=round(percentile(lat, 99), 2),
                       mean_us=round(sum(lat) / len(lat), 2), test_accuracy=round(test_acc, 5))
        else:
            batches = [xte[i:i + 256].copy() for i in range(0, len(xte) - 255, 256)]
            w0 = time.perf_counter()
            while True:
                for b in batches:
                    predict(b)
                if time.perf_counter() - w0 >= a.warmup_seconds:
                    break
            n, t0 = 0, time.perf_counter()
            while True:
                for b in batches:
                    predict(b)
                n += len(batches) * 256
                dt = time.perf_counter() - t0
                if dt >= a.seconds:
                    break
            out.update(batch=256, warmup_seconds=a.warmup_seconds, samples=n, seconds=round(dt, 3), samples_per_second=round(n / dt, 1),
                       test_accuracy=round(test_acc, 5))
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
