#!/usr/bin/python3
"""Time PyTorch's float32 matrix multiply -- the peer of descent's GemmBenchmark (same shape names).

Shapes: square 512, 1024, 2048 (no transpose), and the tutorial MLP's products at batch 32 and 128 with
the weight stored in x out (784 x 128): fwdB = X W, wgradB = X^T dY (k = B), igradB = dY W^T (k = 128),
outB = H W2 (B x 128 times 128 x 10). The transposes are views, so torch passes them to BLAS as
transpose flags, as descent's Gemm.sgemm gets transA/transB. Each product writes into a preallocated
output (torch.mm(..., out=c)).

For each shape and thread count (torch.set_num_threads): --warmup untimed calls, then timed calls with
time.perf_counter until --seconds have passed (at least 20), grouped so that one timing spans at least
about 2 ms; the figure is the median time per call. stdout: CSV `shape,threads,median_us,gflops`.
`--clock cpu` times with the calling thread's CPU time (time.thread_time) instead of wall time: on a
machine that other work shares, that is what the core delivers while this thread runs (1 thread only:
with more, BLAS works on other threads too). GemmBenchmark's `-Dclock=cpu` is the Java counterpart.

Usage (Debian's interpreter, which has python3-torch):
  /usr/bin/python3 tools/peers/torch_matmul.py                     # everything, about a minute
  /usr/bin/python3 tools/peers/torch_matmul.py --only 1024 --threads 1
"""
import argparse
import statistics
import sys
import time

import torch

SHAPES = {}  # name -> (transA, transB, m, n, k)
for s in (512, 1024, 2048):
    SHAPES[str(s)] = (False, False, s, s, s)
for batch in (32, 128):
    SHAPES[f"fwd{batch}"] = (False, False, batch, 128, 784)
    SHAPES[f"wgrad{batch}"] = (True, False, 784, 128, batch)
    SHAPES[f"igrad{batch}"] = (False, True, batch, 784, 128)
    SHAPES[f"out{batch}"] = (False, False, batch, 10, 128)


def operands(name, gen):
    """op(A) (m x k) and op(B) (k x n) as torch tensors, transposed views where the shape says so."""
    ta, tb, m, n, k = SHAPES[name]
    a = (torch.rand(k, m, generator=gen) * 2 - 1).t() if ta else torch.rand(m, k, generator=gen) * 2 - 1
    b = (torch.rand(n, k, generator=gen) * 2 - 1).t() if tb else torch.rand(k, n, generator=gen) * 2 - 1
    return a, b, torch.empty(m, n)


def time_shape(name, threads, warmup, seconds, clock=time.perf_counter):
    torch.set_num_threads(threads)
    a, b, c = operands(name, torch.Generator().manual_seed(0))
    for _ in range(warmup):
        torch.mm(a, b, out=c)
    start = clock()
    torch.mm(a, b, out=c)
    once = max(clock() - start, 1e-7)
    group = max(1, int(2e-3 / once))
    times = []
    end = clock() + seconds
    while clock() < end or len(times) < 20:
        t0 = clock()
        for _ in range(group):
            torch.mm(a, b, out=c)
        times.append((clock() - t0) / group)
    return statistics.median(times)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", choices=list(SHAPES), help="shape; repeatable (default: all)")
    ap.add_argument("--threads", type=int, action="append", help="torch threads; repeatable (default: 1 and 2)")
    ap.add_argument("--warmup", type=int, default=5, help="untimed calls first (default 5)")
    ap.add_argument("--seconds", type=float, default=2.0, help="timed seconds per cell (default 2)")
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                    help="wall time (default) or the calling thread's CPU time (1 thread only)")
    args = ap.parse_args(argv)
    clock = time.thread_time if args.clock == "cpu" else time.perf_counter
    if args.clock == "cpu" and (args.threads or [1, 2]) != [1]:
        ap.error("--clock cpu needs --threads 1")
    print(f"torch {torch.__version__}, float32, {torch.__config__.parallel_info().splitlines()[0]}",
          file=sys.stderr)
    print("shape,threads,median_us,gflops", flush=True)
    for name in args.only or list(SHAPES):
        _, _, m, n, k = SHAPES[name]
        for threads in args.threads or [1, 2]:
            sec = time_shape(name, threads, args.warmup, args.seconds, clock)
            print(f"{name},{threads},{sec * 1e6:.1f},{2.0 * m * n * k / sec / 1e9:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
