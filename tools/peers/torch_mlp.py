#!/usr/bin/python3
"""Train the tutorial MLP on Fashion-MNIST with PyTorch -- the peer of `./descent train` and descent's MLP harness.

The model every optimizer tutorial shows: 28x28 images flattened, Linear(784, 128), ReLU, Dropout(0.2),
Linear(128, 10), cross-entropy on the logits (Keras's softmax + sparse categorical cross-entropy), Glorot-uniform
weights and zero biases (Keras's defaults), Adam with lr 1e-3, pixels scaled to [0, 1], the training set
shuffled every epoch from the seed.

For each batch size and seed it prints, on stdout, one CSV row per epoch
`batch_size,seed,epoch,train_loss,train_acc,test_loss,test_acc,seconds`, where seconds is the wall time of
that epoch's training pass only (no evaluation), as descent's history.csv counts it. At the end, on stderr
and as `# summary` lines on stdout: per batch size the median epoch seconds, samples per second, the mean
final test accuracy over the seeds and the process's peak resident memory.

Usage (Debian's interpreter, which has python3-torch; libopenblas0-openmp makes it fast):
  /usr/bin/python3 tools/peers/torch_mlp.py                          # batch 32 and 128, 5 epochs, seed 0, 2 threads
  /usr/bin/python3 tools/peers/torch_mlp.py --batch-size 128 --seeds 0,1,2 --threads 2
  /usr/bin/python3 tools/peers/torch_mlp.py --model cnn --batch-size 128      # the small CNN
"""
import argparse
import gzip
import os
import resource
import statistics
import struct
import sys
import time
from pathlib import Path

import torch

NAME = "fashion-mnist"
FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


def data_dir():
    """The first folder holding the data set, in descent's discovery order."""
    candidates = []
    if os.environ.get("DESCENT_DATA"):
        candidates.append(Path(os.environ["DESCENT_DATA"]) / NAME)
    candidates += [Path.home() / ".descent" / "data" / NAME, Path("/usr/share/datasets") / NAME]
    for d in candidates:
        if any((d / (f + ext)).is_file() for f in FILES.values() for ext in ("", ".gz")):
            return d
    sys.exit(f"torch_mlp.py: {NAME} not found in {', '.join(map(str, candidates))}; "
             f"apt-get install dataset-fashion-mnist, or ./descent data fetch {NAME}")


def read_idx(path):
    """The array in an IDX file (plain or .gz) as a uint8 tensor."""
    for candidate in (path, path.with_name(path.name + ".gz")):
        if candidate.is_file():
            raw = candidate.read_bytes()
            if candidate.suffix == ".gz":
                raw = gzip.decompress(raw)
            break
    else:
        sys.exit(f"torch_mlp.py: {path}(.gz) is missing")
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(raw[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def load():
    d = data_dir()
    x_train = read_idx(d / FILES["train_images"]).reshape(-1, 784).float() / 255
    y_train = read_idx(d / FILES["train_labels"]).long()
    x_test = read_idx(d / FILES["test_images"]).reshape(-1, 784).float() / 255
    y_test = read_idx(d / FILES["test_labels"]).long()
    return x_train, y_train, x_test, y_test


def model(kind, seed):
    """The tutorial MLP, or descent's default `cnn()`: two (conv 3x3, ReLU, 2x2 max-pool) blocks of 32 and 64
    channels without padding, then Linear(1600, 128), ReLU and Linear(128, 10)."""
    torch.manual_seed(seed)
    nn = torch.nn
    if kind == "mlp":
        net = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
    else:
        net = nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                            nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
    for m in net:
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            torch.nn.init.xavier_uniform_(m.weight)
            torch.nn.init.zeros_(m.bias)
    return net


def evaluate(net, x, y, loss_fn, chunk=2000):
    net.eval()
    with torch.no_grad():
        logits = torch.cat([net(x[i:i + chunk]) for i in range(0, x.shape[0], chunk)])
        return loss_fn(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def run(data, kind, batch_size, seed, epochs, out):
    x_train, y_train, x_test, y_test = data
    net = model(kind, seed)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(seed)
    n = x_train.shape[0]
    seconds = []
    test_acc = float("nan")
    for epoch in range(1, epochs + 1):
        order = torch.randperm(n, generator=gen)
        net.train()
        total_loss = 0.0
        correct = 0
        start = time.perf_counter()
        for i in range(0, n, batch_size):
            idx = order[i:i + batch_size]
            xb, yb = x_train[idx], y_train[idx]
            opt.zero_grad()
            logits = net(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            opt.step()
            total_loss += loss.item() * len(idx)
            correct += (logits.argmax(1) == yb).sum().item()
        elapsed = time.perf_counter() - start
        seconds.append(elapsed)
        test_loss, test_acc = evaluate(net, x_test, y_test, loss_fn)
        print(f"{batch_size},{seed},{epoch},{total_loss / n:.6f},{correct / n:.6f},{test_loss:.6f},{test_acc:.6f},"
              f"{elapsed:.4f}", file=out, flush=True)
    return seconds, test_acc


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--batch-size", type=int, action="append", help="repeatable (default 32 and 128)")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--seeds", default="0", help="comma-separated (default 0)")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    ap.add_argument("--model", choices=["mlp", "cnn"], default="mlp",
                    help="the tutorial MLP (default) or descent's default cnn() (conv 32, conv 64, dense 128)")
    args = ap.parse_args(argv)
    sizes = args.batch_size or [32, 128]
    seeds = [int(s) for s in args.seeds.split(",")]
    if args.epochs < 1 or any(b < 1 for b in sizes):
        ap.error("--epochs and --batch-size must be >= 1")
    torch.set_num_threads(args.threads)
    data = load()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, train {tuple(data[0].shape)}, "
          f"test {tuple(data[2].shape)}", file=sys.stderr)
    print("batch_size,seed,epoch,train_loss,train_acc,test_loss,test_acc,seconds", flush=True)
    summaries = []
    for b in sizes:
        all_seconds = []
        accs = []
        for seed in seeds:
            secs, acc = run(data, args.model, b, seed, args.epochs, sys.stdout)
            all_seconds += secs
            accs.append(acc)
        med = statistics.median(all_seconds)
        summaries.append(f"model={args.model} batch_size={b} epoch_s_median={med:.4f} samples_per_s={data[0].shape[0] / med:.0f} "
                         f"test_acc_mean={statistics.mean(accs):.4f} seeds={len(seeds)}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for s in summaries:
        line = f"{s} peak_rss_mb={peak_mb:.0f} threads={args.threads}"
        print("# summary " + line)
        print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
