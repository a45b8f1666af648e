#!/usr/bin/python3
"""PyTorch side of Kiln's benchmarks: the same workloads, data, seeds and protocol as the Java harness.

Run by benchmarks/run (through dev.kiln.benchmarks.Bench) with /usr/bin/python3, Debian's python3-torch:

    /usr/bin/python3 benchmarks/torch_mlp.py --workload fashion-mlp --threads 2 \\
        --windows 3 --window-steps 40 --latency-calls 300 --seed 42

It prints one line, RESULT key=value ..., with the keys of dev.kiln.benchmarks.Protocol. The protocol below mirrors
Protocol.run step by step; a workload is a loader and a model builder in WORKLOADS.
"""

import argparse
import gzip
import math
import os
import resource
import statistics
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn as nn
except ImportError as e:  # Bench checks first; this is for running the script by hand
    print(f"SKIP PyTorch not importable with {sys.executable}: {e}")
    sys.exit(3)

LATENCY_WARMUP = 100
INFERENCE_WARMUP_PASSES = 3  # as Protocol.java: untimed passes over the test batches before timing
SINGLES = 256
PHASE_CALLS = 30


# ---- data

def fashion_mnist_dir():
    return os.environ.get("KILN_FASHION_MNIST_DIR") or "/usr/share/datasets/fashion-mnist"


def read_idx(directory, prefix, suffix):
    """An MNIST IDX file as a numpy array, gzipped or not (the names FashionMnist.java accepts)."""
    for sep in ("-", "."):
        for ext in (".gz", ""):
            path = os.path.join(directory, prefix + sep + suffix + ext)
            if os.path.isfile(path):
                with (gzip.open if ext else open)(path, "rb") as f:
                    raw = f.read()
                dims = raw[3]
                shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
                return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
    raise FileNotFoundError(f"no {prefix}-{suffix} in {directory}")


def load_fashion_mnist():
    """Images flattened to 784 float32 values in [0, 1], labels int64 class ids, as FashionMnist.load() gives."""
    d = fashion_mnist_dir()

    def images(prefix):
        x = read_idx(d, prefix, "idx3-ubyte")
        return torch.from_numpy(x.reshape(x.shape[0], -1).astype(np.float32) / np.float32(255.0))

    def labels(prefix):
        return torch.from_numpy(read_idx(d, prefix, "idx1-ubyte").astype(np.int64))

    return images("train-images"), labels("train-labels"), images("t10k-images"), labels("t10k-labels")


# ---- models

def glorot_dense(fan_in, fan_out):
    layer = nn.Linear(fan_in, fan_out)
    nn.init.xavier_uniform_(layer.weight)  # glorot uniform, as Keras's default kernel initializer
    nn.init.zeros_(layer.bias)
    return layer


def fashion_mlp():
    """784 -> Dense 512 relu -> Dense 512 relu -> Dense 10; the softmax is inside CrossEntropyLoss (logits out)."""
    return nn.Sequential(glorot_dense(784, 512), nn.ReLU(), glorot_dense(512, 512), nn.ReLU(), glorot_dense(512, 10))


WORKLOADS = {
    # name: (loader, model builder, batch size)
    "fashion-mlp": (load_fashion_mnist, fashion_mlp, 128),
}


# ---- one system on one workload, as Contender.java

class TorchContender:
    """The model as a PyTorch user trains it: a loop over shuffled in-memory mini-batches (a randperm per epoch,
    index_select per batch; DataLoader's per-sample collation is slower and not used), CrossEntropyLoss, Adam."""

    def __init__(self, model, data, batch_size, seed):
        self.model = model
        self.x, self.y, self.test_x, self.test_y = data
        self.batch_size = batch_size
        self.seed = seed
        self.epoch = 0
        self.loss_fn = nn.CrossEntropyLoss()
        # Keras's defaults, epsilon included (PyTorch's own default is 1e-8)
        self.optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
        n = self.test_x.shape[0] // batch_size
        self.test_batches = [self.test_x[i * batch_size:(i + 1) * batch_size].clone() for i in range(n)]
        self.singles = [self.test_x[i:i + 1].clone() for i in range(SINGLES)]

    def _train(self, steps):
        generator = torch.Generator().manual_seed(self.seed + self.epoch)
        self.epoch += 1
        n = self.x.shape[0]
        order = torch.randperm(n, generator=generator)
        batches = math.ceil(n / self.batch_size)
        if steps:
            batches = min(steps, batches)
        self.model.train()
        for b in range(batches):
            index = order[b * self.batch_size:(b + 1) * self.batch_size]
            xb = self.x.index_select(0, index)
            yb = self.y.index_select(0, index)
            self.optimizer.zero_grad(set_to_none=True)
            loss = self.loss_fn(self.model(xb), yb)
            loss.backward()
            self.optimizer.step()

    def train_epoch(self):
        self._train(0)

    def train(self, steps):
        self._train(steps)

    def test_accuracy(self):
        self.model.eval()
        correct = 0
        with torch.inference_mode():
            for i in range(0, self.test_x.shape[0], self.batch_size):
                logits = self.model(self.test_x[i:i + self.batch_size])
                correct += (logits.argmax(1) == self.test_y[i:i + self.batch_size]).sum().item()
        return correct / self.test_x.shape[0]

    def predict_batch(self, i):
        with torch.inference_mode():
            return self.model(self.test_batches[i])

    def predict_one(self, i):
        with torch.inference_mode():
            return self.model(self.singles[i % len(self.singles)])

    def phases(self):
        """As KilnContender.phases: the parts of a step on one fixed training batch, for the protocol to time."""
        xb = self.x[:self.batch_size].clone()
        yb = self.y[:self.batch_size].clone()

        def forward():
            self.model.eval()
            with torch.inference_mode():
                self.model(xb)

        def gradients():
            self.model.train()
            self.optimizer.zero_grad(set_to_none=True)
            self.loss_fn(self.model(xb), yb).backward()

        def step():
            gradients()
            self.optimizer.step()

        return {"forward": forward, "fwd+loss+bwd": gradients, "trainStep": step}


# ---- the protocol, as Protocol.run

def seconds(body):
    start = time.perf_counter()
    body()
    return time.perf_counter() - start


def ms_per_call(calls, body):
    for _ in range(calls // 5 + 1):
        body()

    def loop():
        for _ in range(calls):
            body()

    return seconds(loop) * 1e3 / calls


def quantile(values, q):
    s = sorted(values)
    pos = q * (len(s) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def run_protocol(c, args, batch):
    r = {"system": "torch", "workload": args.workload}
    r["epoch_s"] = seconds(c.train_epoch)
    r["accuracy"] = c.test_accuracy()

    walls = []
    cpu = time.process_time()  # the whole process, all threads
    for _ in range(args.windows):
        walls.append(seconds(lambda: c.train(args.window_steps)))
    r["train_sps"] = [args.window_steps * batch / w for w in walls]
    r["train_cpu_cores"] = (time.process_time() - cpu) / sum(walls)

    def one_pass():
        for i in range(len(c.test_batches)):
            c.predict_batch(i)

    for _ in range(INFERENCE_WARMUP_PASSES):
        one_pass()
    r["infer_sps"] = [len(c.test_batches) * batch / seconds(one_pass) for _ in range(args.windows)]

    for i in range(LATENCY_WARMUP):
        c.predict_one(i)
    micros = []
    for i in range(args.latency_calls):
        start = time.perf_counter()
        c.predict_one(i)
        micros.append((time.perf_counter() - start) * 1e6)
    r["latency_us"] = statistics.median(micros)
    r["latency_p90_us"] = quantile(micros, 0.9)

    phase_ms = {}
    for _ in range(args.windows):
        for name, body in c.phases().items():
            phase_ms.setdefault(name, []).append(ms_per_call(PHASE_CALLS, body))
    for name, ms in phase_ms.items():
        r["phase_ms." + name] = statistics.median(ms)
    r["blas"] = blas_library()
    r["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux
    return r


def blas_library():
    """The BLAS this process loaded (Debian's torch calls the generic libblas.so.3), as a file path."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1]}
    return ",".join(sorted(paths)) or "?"


def result_line(r):
    def fmt(v):
        if isinstance(v, list):
            return ",".join(f"{x:.6g}" for x in v)
        if isinstance(v, float):
            return f"{v:.6g}"
        return str(v).replace(" ", "_")

    return "RESULT " + " ".join(f"{k}={fmt(v)}" for k, v in r.items())


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workload", default="fashion-mlp", choices=sorted(WORKLOADS))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--windows", type=int, default=5)
    p.add_argument("--window-steps", type=int, default=100)
    p.add_argument("--latency-calls", type=int, default=1000)
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    loader, build, batch = WORKLOADS[args.workload]
    data = loader()
    torch.manual_seed(args.seed)
    contender = TorchContender(build(), data, batch, args.seed)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}", flush=True)
    print(result_line(run_protocol(contender, args, batch)), flush=True)


if __name__ == "__main__":
    main()
