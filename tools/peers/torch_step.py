#!/usr/bin/python3
"""Time PyTorch's optimizer step() -- the peer of `descent bench step` and descent's StepBenchmark.

For each optimizer, parameter layout, foreach setting and thread count, this builds --params float32
parameters split into tensors (by default 10 x 1M and 1000 x 10k), fills every gradient once with
random values, steps --warmup times, then times single steps with time.perf_counter, at least
--repeats of them and for at least --min-seconds in all, and reports the median. lr is tiny (1e-6)
so repeated steps with the same gradient never overflow.

stdout: CSV `optimizer,layout,foreach,threads,step_ms,gbps`; stderr: progress and, at the end, the
best configuration per optimizer and layout. gbps is "effective" bandwidth: the bytes an ideal fused
step must move (BYTES_PER_PARAM below) times the parameter count, divided by the median step time.

Usage (run with Debian's interpreter, which has python3-torch):
  /usr/bin/python3 tools/peers/torch_step.py                       # everything, ~5 minutes
  /usr/bin/python3 tools/peers/torch_step.py --only adam --tensors 10 --threads 1
"""
import os
import sys

# glibc returns big blocks (>= 32 MiB by default, dynamic threshold) to the OS on free and maps them
# again on the next allocation, so every temporary that PyTorch's unfused step allocates costs page
# faults (10M floats: ~30 ms instead of ~6 ms for one `a * b` here). These settings keep freed memory
# in the heap. glibc reads them once, at process start, so set them and re-exec before torch loads.
MALLOC_ENV = {
    "MALLOC_MMAP_THRESHOLD_": "4294967296",
    "MALLOC_TRIM_THRESHOLD_": "68719476736",
}
if any(os.environ.get(k) != v for k, v in MALLOC_ENV.items()):
    os.environ.update(MALLOC_ENV)
    os.execv(sys.executable, [sys.executable] + sys.argv)

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402

LR = 1e-6

# Bytes an ideal fused step must read and write per parameter, float32 (4 bytes a value): every array
# the update reads (parameter p, gradient g, each state buffer) once, plus every array it writes (p and
# each state buffer) once; a value both read and written counts twice. Temporaries, write-allocate
# traffic and the step counter are not counted. This is the count descent documents per algorithm and
# uses in `descent bench step`, so the two report comparable GB/s.
#   name                        read               write             bytes
BYTES_PER_PARAM = {
    "sgd": 12,                  # p g               p                 3 x 4
    "sgd_momentum": 20,         # p g buf           p buf             5 x 4
    "nesterov": 20,             # p g buf           p buf             5 x 4
    "adagrad": 20,              # p g sum           p sum             5 x 4
    "rmsprop": 20,              # p g sq            p sq              5 x 4
    "rmsprop_centered_momentum": 36,  # p g sq gavg buf   p sq gavg buf     9 x 4 (centered 28, momentum +8)
    "adadelta": 28,             # p g sq acc_delta  p sq acc_delta    7 x 4
    "adam": 28,                 # p g m v           p m v             7 x 4
    "amsgrad": 36,              # p g m v vmax      p m v vmax        9 x 4
    "nadam": 28,                # p g m v           p m v             7 x 4
    "adamw": 28,                # p g m v           p m v             7 x 4 (decay reads/writes p anyway)
    "adamax": 28,               # p g m u           p m u             7 x 4
    "radam": 28,                # p g m v           p m v             7 x 4
    "asgd": 20,                 # p g ax            p ax              5 x 4
    "rprop": 28,                # p g prev step     p prev step       7 x 4
}

# How each name is built, with the descent spec it corresponds to.
OPTIMIZERS = {
    "sgd": (torch.optim.SGD, dict(lr=LR)),                                    # sgd(lr=1e-6)
    "sgd_momentum": (torch.optim.SGD, dict(lr=LR, momentum=0.9)),             # sgd(lr=1e-6, momentum=0.9)
    "nesterov": (torch.optim.SGD, dict(lr=LR, momentum=0.9, nesterov=True)),  # sgd(..., nesterov=true)
    "adagrad": (torch.optim.Adagrad, dict(lr=LR)),                            # adagrad(lr=1e-6)
    "rmsprop": (torch.optim.RMSprop, dict(lr=LR)),                            # rmsprop(lr=1e-6)
    "rmsprop_centered_momentum":                                               # rmsprop(lr=1e-6,
        (torch.optim.RMSprop, dict(lr=LR, centered=True, momentum=0.9)),       #   centered=true, momentum=0.9)
    "adadelta": (torch.optim.Adadelta, dict(lr=LR)),                          # adadelta(lr=1e-6)
    "adam": (torch.optim.Adam, dict(lr=LR)),                                  # adam(lr=1e-6)
    "amsgrad": (torch.optim.Adam, dict(lr=LR, amsgrad=True)),                 # adam(lr=1e-6, amsgrad=true)
    "nadam": (torch.optim.NAdam, dict(lr=LR)),                                # nadam(lr=1e-6)
    "adamw": (torch.optim.AdamW, dict(lr=LR)),                                # adamw(lr=1e-6), wd 0.01
    "adamax": (torch.optim.Adamax, dict(lr=LR)),                              # adamax(lr=1e-6)
    "radam": (torch.optim.RAdam, dict(lr=LR)),                                # radam(lr=1e-6)
    "asgd": (torch.optim.ASGD, dict(lr=LR)),                                  # asgd(lr=1e-6)
    "rprop": (torch.optim.Rprop, dict(lr=LR)),                                # rprop(lr=1e-6)
}
assert OPTIMIZERS.keys() == BYTES_PER_PARAM.keys()


def human(n):
    """10000000 -> '10M', 10000 -> '10k', 1234 -> '1234'."""
    for div, suffix in ((1_000_000_000, "G"), (1_000_000, "M"), (1_000, "k")):
        if n >= div and n % div == 0:
            return f"{n // div}{suffix}"
    return str(n)


def sizes(params, tensors):
    base, extra = divmod(params, tensors)
    return [base + (1 if i < extra else 0) for i in range(tensors)]


def layout_name(params, tensors):
    s = sizes(params, tensors)
    return f"{tensors}x{human(s[0])}" if len(set(s)) == 1 else f"{tensors}x~{human(s[0])}"


def time_step(name, params, tensors, foreach, threads, warmup, repeats, min_seconds=0.0, seed=0):
    """Median seconds of one step() for this configuration, over at least `repeats` steps and `min_seconds`."""
    torch.set_num_threads(threads)
    gen = torch.Generator().manual_seed(seed)
    ps = []
    for n in sizes(params, tensors):
        p = torch.rand(n, generator=gen).requires_grad_(True)
        p.grad = torch.randn(n, generator=gen)
        ps.append(p)
    cls, kwargs = OPTIMIZERS[name]
    opt = cls(ps, foreach=foreach, **kwargs)
    with torch.no_grad():
        for _ in range(warmup):
            opt.step()
        times = []
        while len(times) < repeats or sum(times) < min_seconds:
            start = time.perf_counter()
            opt.step()
            times.append(time.perf_counter() - start)
    del opt, ps
    return statistics.median(times)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--params", type=int, default=10_000_000, help="total parameters (default 10,000,000)")
    ap.add_argument("--tensors", type=int, action="append",
                    help="tensors to split them into; repeatable (default: 10 and 1000)")
    ap.add_argument("--only", action="append", choices=list(OPTIMIZERS),
                    help="optimizer name; repeatable (default: all)")
    ap.add_argument("--threads", type=int, action="append", help="torch threads; repeatable (default: 1 and 2)")
    ap.add_argument("--foreach", choices=["true", "false"], action="append",
                    help="foreach setting; repeatable (default: both)")
    ap.add_argument("--warmup", type=int, default=20, help="untimed steps first (default 20)")
    ap.add_argument("--repeats", type=int, default=50, help="timed steps at least; the median is reported (default 50)")
    ap.add_argument("--min-seconds", type=float, default=0.0,
                    help="time steps for at least this long in all, as a JMH measurement does (default 0)")
    args = ap.parse_args(argv)
    if args.params < 1 or args.warmup < 0 or args.repeats < 1 or not args.min_seconds >= 0:
        ap.error("--params and --repeats must be >= 1, --warmup and --min-seconds >= 0")
    tensor_counts = args.tensors or [10, 1000]
    if any(k < 1 or k > args.params for k in tensor_counts):
        ap.error("--tensors must be between 1 and --params")
    names = args.only or list(OPTIMIZERS)
    thread_counts = args.threads or [1, 2]
    foreachs = [f == "true" for f in args.foreach] if args.foreach else [True, False]

    print(f"torch {torch.__version__}, {args.params} float32 params, warmup {args.warmup}, "
          f"median of at least {args.repeats} steps and {args.min_seconds} s", file=sys.stderr)
    print("optimizer,layout,foreach,threads,step_ms,gbps", flush=True)
    results = []
    for name in names:
        for k in tensor_counts:
            layout = layout_name(args.params, k)
            for foreach in foreachs:
                for threads in thread_counts:
                    sec = time_step(name, args.params, k, foreach, threads, args.warmup, args.repeats,
                                    args.min_seconds)
                    ms = sec * 1e3
                    gbps = BYTES_PER_PARAM[name] * args.params / sec / 1e9
                    results.append((name, layout, foreach, threads, ms, gbps))
                    print(f"{name},{layout},{str(foreach).lower()},{threads},{ms:.3f},{gbps:.2f}", flush=True)

    print("\nbest per optimizer and layout (lowest median step time):", file=sys.stderr)
    print(f"{'optimizer':<27}{'layout':<11}{'foreach':<9}{'threads':<9}{'step_ms':>9}{'gbps':>8}",
          file=sys.stderr)
    for name in names:
        for k in tensor_counts:
            layout = layout_name(args.params, k)
            best = min((r for r in results if r[0] == name and r[1] == layout), key=lambda r: r[4])
            print(f"{name:<27}{layout:<11}{str(best[2]).lower():<9}{best[3]:<9}{best[4]:>9.3f}{best[5]:>8.2f}",
                  file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
