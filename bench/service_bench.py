#!/usr/bin/env python3
"""Service benchmarks against the packaged service (bin/trainserve), in one sitting.

tiny:  the lecture notes' tiny jobs as a user runs them, side by side with the same loop in PyTorch:
       the 8-row softmax (examples/softmax8.csv + softmax-job.json, 2000 full-batch SGD epochs) and
       XOR 2-8-1 (examples/xor.csv + xor-job.json, 1000 epochs). A job's time is startedAt -> finishedAt
       (everything the worker does: load, check, train with per-epoch history, checkpoint, register);
       PyTorch's is the same model and loop with the loss and accuracy of every epoch read out.
post:  latency of POST /jobs on the 60,000-image Fashion-MNIST set (each job cancelled right away).

Used by bench/service-bench.sh, which builds the jar and writes bench/SERVICE-BENCHMARKS.md.
"""
import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADMIN_KEY = "ts_e2eadminkey0000000000000000000000000000000000000"


class Service:
    """The packaged service on a free port with a fresh data directory."""

    def __init__(self, log_path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.data_dir = tempfile.mkdtemp(prefix="trainserve-bench-")
        env = dict(os.environ, TRAINSERVE_DATA_DIR=self.data_dir, TRAINSERVE_ADMIN_KEY=ADMIN_KEY)
        self.log = open(log_path, "w")
        # the POST /jobs latency run submits more jobs a minute than a key may by default (trainserve.security.rate-limit.jobs)
        self.proc = subprocess.Popen([os.path.join(ROOT, "bin", "trainserve"), "--server.port=%d" % self.port,
                                      "--trainserve.security.rate-limit.jobs=100000"],
                                     env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.base = "http://127.0.0.1:%d" % self.port
        started = time.time()
        while True:
            if self.proc.poll() is not None:
                raise SystemExit("service exited during start-up; see " + log_path)
            try:
                if self.request("GET", "/actuator/health/readiness")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.time() - started > 180:
                raise SystemExit("service not ready after 180 s; see " + log_path)
            time.sleep(0.2)
        self.ready_seconds = time.time() - started

    def request(self, method, path, body=None, content_type=None):
        """Every call goes through here, so the bearer key is added in one place."""
        req = urllib.request.Request(self.base + path, data=body, method=method)
        req.add_header("Authorization", "Bearer " + ADMIN_KEY)
        if content_type:
            req.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def json(self, method, path, obj=None):
        status, body = self.request(method, path, None if obj is None else json.dumps(obj).encode(),
                                    None if obj is None else "application/json")
        return status, (json.loads(body) if body else None)

    def upload(self, name, parts):
        boundary = uuid.uuid4().hex
        chunks = []
        for field, path in parts:
            with open(path, "rb") as f:
                content = f.read()
            chunks.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                           "Content-Type: application/octet-stream\r\n\r\n" % (boundary, field, os.path.basename(path))).encode())
            chunks.append(content + b"\r\n")
        chunks.append(("--%s\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n%s\r\n--%s--\r\n" % (boundary, name, boundary)).encode())
        status, body = self.request("POST", "/datasets", b"".join(chunks), "multipart/form-data; boundary=" + boundary)
        if status != 201:
            raise SystemExit("upload of %s failed: %d %s" % (name, status, body[:300]))
        return json.loads(body)["id"]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def iso(t):
    return datetime.fromisoformat(t.replace("Z", "+00:00"))


def run_job(svc, spec):
    status, job = svc.json("POST", "/jobs", spec)
    if status != 202:
        raise SystemExit("POST /jobs answered %d: %s" % (status, job))
    while True:
        _, job = svc.json("GET", "/jobs/" + job["id"])
        if job["status"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            break
        time.sleep(0.02)
    if job["status"] != "SUCCEEDED":
        raise SystemExit("job ended %s: %s" % (job["status"], job.get("error")))
    return (iso(job["finishedAt"]) - iso(job["startedAt"])).total_seconds(), job


def job_spec(example, dataset_id, **training):
    with open(os.path.join(ROOT, "examples", example)) as f:
        spec = json.load(f)
    spec["datasetId"] = dataset_id
    spec["training"].update(training)
    return spec


def read_csv(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
        rows = [[float(v) for v in line.strip().split(",")] for line in f if line.strip()]
    return header, rows


# ---- the same loops in PyTorch ---------------------------------------------------------------

def full_batch(model, x, y, loss_fn, opt, epochs, predicted):
    """The training loop, timed: one step per epoch on all rows, reading the epoch's loss and accuracy."""
    start = time.perf_counter()
    history = []
    for _ in range(epochs):
        opt.zero_grad()
        out = model(x)
        loss = loss_fn(out, y)
        loss.backward()
        opt.step()
        history.append((loss.item(), (predicted(out) == y).float().mean().item()))
    return time.perf_counter() - start, history[-1]


def torch_softmax(torch, epochs):
    _, rows = read_csv(os.path.join(ROOT, "examples", "softmax8.csv"))
    x = torch.tensor([r[:-1] for r in rows])
    classes = sorted(set(r[-1] for r in rows))
    y = torch.tensor([classes.index(r[-1]) for r in rows])
    torch.manual_seed(1)
    model = torch.nn.Linear(x.shape[1], len(classes))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    return full_batch(model, x, y, torch.nn.CrossEntropyLoss(), opt, epochs, lambda out: out.argmax(1))


def torch_xor(torch, epochs):
    _, rows = read_csv(os.path.join(ROOT, "examples", "xor.csv"))
    x = torch.tensor([r[:-1] for r in rows])
    y = torch.tensor([[r[-1]] for r in rows])
    torch.manual_seed(7)
    hidden = torch.nn.Linear(2, 8)
    torch.nn.init.kaiming_normal_(hidden.weight, nonlinearity="relu")
    model = torch.nn.Sequential(hidden, torch.nn.ReLU(), torch.nn.Linear(8, 1), torch.nn.Sigmoid())
    opt = torch.optim.Adam(model.parameters(), lr=0.05, eps=1e-7)
    return full_batch(model, x, y, torch.nn.BCELoss(), opt, epochs, lambda out: (out > 0.5).float())


def tiny(svc, rounds, threads):
    import torch
    torch.set_num_threads(threads)
    softmax_ds = svc.upload("softmax8", [("file", os.path.join(ROOT, "examples", "softmax8.csv"))])
    xor_ds = svc.upload("xor", [("file", os.path.join(ROOT, "examples", "xor.csv"))])
    workloads = [
        ("softmax 8 rows x 2000 epochs (SGD, full batch)",
         lambda: run_job(svc, job_spec("softmax-job.json", softmax_ds, epochs=2000)),
         lambda: torch_softmax(torch, 2000)),
        ("XOR 2-8-1 x 1000 epochs (Adam, full batch)",
         lambda: run_job(svc, job_spec("xor-job.json", xor_ds, epochs=1000)),
         lambda: torch_xor(torch, 1000)),
    ]
    results = {name: {"engine": [], "torch": [], "engine_metrics": None, "torch_metrics": None} for name, _, _ in workloads}
    for r in range(rounds):
        for name, engine, peer in workloads:
            seconds, job = engine()
            results[name]["engine"].append(seconds)
            results[name]["engine_metrics"] = job["metrics"]
            seconds, last = peer()
            results[name]["torch"].append(seconds)
            results[name]["torch_metrics"] = {"loss": last[0], "accuracy": last[1]}
            print("round %d %-50s engine %.3f s  pytorch %.3f s" % (r + 1, name, results[name]["engine"][-1], seconds),
                  file=sys.stderr)
    return results


def post_latency(svc, calls, fashion_dir):
    ds = svc.upload("fashion-mnist-train", [("images", os.path.join(fashion_dir, "train-images-idx3-ubyte.gz")),
                                            ("labels", os.path.join(fashion_dir, "train-labels-idx1-ubyte.gz"))])
    with open(os.path.join(ROOT, "examples", "fashion-mlp-job.json")) as f:
        template = json.load(f)
    template["datasetId"] = ds
    template.pop("test", None)
    template["training"]["epochs"] = 1
    times = []
    for i in range(calls):
        spec = dict(template, modelId="post-bench-%d" % i)
        start = time.perf_counter()
        status, job = svc.json("POST", "/jobs", spec)
        times.append(time.perf_counter() - start)
        if status != 202:
            raise SystemExit("POST /jobs answered %d: %s" % (status, job))
        svc.json("POST", "/jobs/%s/cancel" % job["id"])
    return times


def report(out, path, command, note):
    lines = ["# Service benchmarks", "",
             "Written by `%s` on %s (%s, %d cores). %s" % (command, datetime.now().strftime("%Y-%m-%d %H:%M"),
                                                         os.uname().machine, os.cpu_count(), note), "",
             "Service ready %.1f s after start (the engine's natives are loaded and its training path run once"
             " before readiness)." % out["ready_seconds"], ""]
    if "tiny" in out:
        lines += ["## Tiny jobs vs PyTorch (same sitting, alternating)", "",
                  "Engine: a job's `startedAt` -> `finishedAt` through the packaged service (load, check, train"
                  " with every epoch's loss and accuracy in the history, checkpoint, register the version)."
                  " PyTorch: the same model and loop in one process, reading each epoch's loss and accuracy"
                  " (`.item()`), no I/O.", "",
                  "| workload | engine median (s) | PyTorch median (s) | ratio | engine rounds (s) | PyTorch rounds (s) |",
                  "|---|---:|---:|---:|---|---|"]
        for name, r in out["tiny"].items():
            e, t = statistics.median(r["engine"]), statistics.median(r["torch"])
            lines.append("| %s | %.3f | %.3f | %.2fx | %s | %s |" % (name, e, t, e / t, " ".join("%.3f" % v for v in r["engine"]),
                                                                     " ".join("%.3f" % v for v in r["torch"])))
        lines += ["", "Final metrics (last round): " + "; ".join(
            "%s: engine %s, PyTorch %s" % (name.split(" ")[0], {k: round(v, 4) for k, v in r["engine_metrics"].items()},
                                           {k: round(v, 4) for k, v in r["torch_metrics"].items()})
            for name, r in out["tiny"].items()), ""]
    if "post" in out:
        t = sorted(v * 1000 for v in out["post"])
        q = lambda f: t[min(len(t) - 1, int(f * len(t)))]
        lines += ["## POST /jobs on Fashion-MNIST (60,000 images)", "",
                  "Round trip on localhost for a valid MLP job on the uploaded 60k training set (answered from the"
                  " dataset's stored description; each job cancelled right after). %d calls." % len(t), "",
                  "| p50 (ms) | p90 (ms) | p99 (ms) | min (ms) |", "|---:|---:|---:|---:|",
                  "| %.1f | %.1f | %.1f | %.1f |" % (statistics.median(t), q(0.9), q(0.99), t[0]), ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--threads", type=int, default=1, help="PyTorch threads (tiny tensors: one thread is its fastest; the engine trains them on one)")
    p.add_argument("--post-calls", type=int, default=100)
    p.add_argument("--fashion", default=os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
    p.add_argument("--skip", default="", help="tiny,post")
    p.add_argument("--json", required=True, help="where to write the raw results")
    p.add_argument("--out", help="the Markdown report to write")
    p.add_argument("--command", default="bench/service-bench.sh")
    p.add_argument("--note", default="")
    p.add_argument("--log", default=os.path.join(tempfile.gettempdir(), "trainserve-bench-service.log"))
    a = p.parse_args()
    svc = Service(a.log)
    out = {"ready_seconds": svc.ready_seconds}
    try:
        if "tiny" not in a.skip:
            out["tiny"] = tiny(svc, a.rounds, a.threads)
        if "post" not in a.skip:
            out["post"] = post_latency(svc, a.post_calls, a.fashion)
    finally:
        svc.stop()
    with open(a.json, "w") as f:
        json.dump(out, f, indent=1)
    if a.out:
        report(out, a.out, a.command, a.note)


if __name__ == "__main__":
    main()
