#!/usr/bin/python3
"""Train the tutorial MLP on Fashion-MNIST with descent and with PyTorch, in one run, and compare.

For each batch size and seed it runs, as separate processes and alternating which goes first:
  descent, with `--runner cli` (the default): `java @jvm.options -jar descent-lab/target/descent.jar train
           --data fashion-mnist --model M --epochs E --batch-size B --seed S --out DIR`, the product itself with the
           launcher's JVM options (model `mlp(hidden=[128], dropout=0.2)`, Glorot-uniform weights, zero biases,
           `adam(lr=0.001)`), reading its history.csv and summary.json;
  descent, with `--runner harness`: `java @jvm.options -cp descent-bench/target/benchmarks.jar
           dev.descent.bench.TrainHarness` with the same options, which runs the same Trainer, model and optimizer
           code as `train` without the command around it and prints one result line (its own peak RSS, VmHWM,
           goes to stderr as a cross-check);
  PyTorch: tools/peers/torch_mlp.py with the same model, optimizer, batch size, epochs and seed.
The CLI is the default because it measures what users run, command, launcher options, data loading and per-epoch
checkpoints included: its peak memory is the harness's plus the command's, so it is the figure to hold against
PyTorch's. Epoch seconds come from the same Trainer either way.
Epoch seconds are the training pass only on both sides (history.csv's `seconds`; torch_mlp.py times the same
loop). Peak memory is each process's maximum resident set size (getrusage through wait4).

stdout: a markdown table per batch size (median epoch seconds over all epochs and seeds, samples per second,
mean final test accuracy over the seeds, peak RSS) with descent / PyTorch ratios; stderr: progress.

Usage, from the repository root after `mvn -B verify` (or `./descent --help`, which builds the jar):
  /usr/bin/python3 tools/peers/compare_mlp.py                        # batch 32 and 128, 5 epochs, seed 0
  /usr/bin/python3 tools/peers/compare_mlp.py --seeds 0,1,2 --batch-size 128
  /usr/bin/python3 tools/peers/compare_mlp.py --model cnn --batch-size 128 --epochs 1
  /usr/bin/python3 tools/peers/compare_mlp.py --runner harness    # after mvn -B -pl descent-bench -am package -DskipTests
"""
import argparse
import csv
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = "/usr/bin/python3"


def log(msg):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def run_measured(cmd):
    """(stdout, peak RSS MB, wall seconds) of one process; RSS measured exactly with os.wait4."""
    out_file = tempfile.TemporaryFile(mode="w+")
    err_file = tempfile.TemporaryFile(mode="w+")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out_file, stderr=err_file, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    out_file.seek(0)
    err_file.seek(0)
    if proc.returncode != 0:
        sys.exit(f"compare_mlp.py: {' '.join(cmd)} failed ({proc.returncode}):\n{err_file.read()[-2000:]}")
    return out_file.read(), usage.ru_maxrss / 1024, wall


MODELS = {"mlp": "mlp(hidden=[128], dropout=0.2)", "cnn": "cnn()"}


def descent(args, batch, seed, out_dir):
    """One descent run, by the CLI or the harness: (epoch seconds, final test accuracy, peak RSS MB, wall s)."""
    run_dir = out_dir / f"descent-{args.runner}-{args.model}-b{batch}-s{seed}"
    options = ["--model", MODELS[args.model], "--epochs", str(args.epochs), "--batch-size", str(batch)]
    if args.runner == "cli":
        cmd = ["java", f"@{args.jvm_options}", "-jar", args.jar, "train", "--data", "fashion-mnist", *options,
               "--seed", str(seed), "--out", str(run_dir)]
        _, rss, wall = run_measured(cmd)
        with open(run_dir / "history.csv") as f:
            seconds = [float(r["seconds"]) for r in csv.DictReader(f)]
        summary = json.loads((run_dir / "summary.json").read_text())
        return seconds, float(summary["final_test_accuracy"]), rss, wall
    cmd = ["java", f"@{args.jvm_options}", "-cp", args.bench_jar, "dev.descent.bench.TrainHarness", *options,
           "--seeds", str(seed), "--out", str(run_dir)]
    out, rss, wall = run_measured(cmd)
    line = dict(field.split("=", 1) for field in out.strip().splitlines()[-1].split(" "))
    log(f"  harness: VmHWM {int(line['peak_rss_kb']) / 1024:.0f} MB (wait4: {rss:.0f} MB)")
    return [float(s) for s in line["epoch_s"].split(",")], float(line["test_acc"]), rss, wall


def torch(model, batch, seed, epochs, threads):
    cmd = [PYTHON, str(ROOT / "tools" / "peers" / "torch_mlp.py"), "--model", model, "--batch-size", str(batch),
           "--seeds", str(seed), "--epochs", str(epochs), "--threads", str(threads)]
    out, rss, wall = run_measured(cmd)
    rows = [r for r in csv.DictReader(line for line in out.splitlines() if not line.startswith("#"))]
    return [float(r["seconds"]) for r in rows], float(rows[-1]["test_acc"]), rss, wall


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--batch-size", type=int, action="append", help="repeatable (default 32 and 128)")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--seeds", default="0", help="comma-separated (default 0)")
    ap.add_argument("--threads", type=int, default=2, help="PyTorch's threads (default 2; descent uses both cores)")
    ap.add_argument("--model", choices=sorted(MODELS), default="mlp",
                    help="the tutorial MLP (default) or the small CNN, cnn() in descent")
    ap.add_argument("--runner", choices=["cli", "harness"], default="cli",
                    help="descent's side: `descent train` (default) or descent-bench's TrainHarness")
    ap.add_argument("--jar", default=str(ROOT / "descent-lab" / "target" / "descent.jar"), help="for --runner cli")
    ap.add_argument("--bench-jar", default=str(ROOT / "descent-bench" / "target" / "benchmarks.jar"),
                    help="for --runner harness")
    ap.add_argument("--jvm-options", default=str(ROOT / "jvm.options"),
                    help="the JVM's argument file (default: the launcher's jvm.options)")
    ap.add_argument("--out", help="folder for descent's run folders (default: a new temporary one)")
    args = ap.parse_args(argv)
    jar = args.jar if args.runner == "cli" else args.bench_jar
    if not Path(jar).is_file():
        ap.error(f"{jar} is missing: run `mvn -B verify` (or `./descent --help` for descent.jar, "
                 f"`mvn -B -pl descent-bench -am package -DskipTests` for benchmarks.jar) first")
    sizes = args.batch_size or [32, 128]
    seeds = [int(s) for s in args.seeds.split(",")]
    out_dir = Path(args.out or tempfile.mkdtemp(prefix="compare-mlp-"))
    log(f"descent run folders in {out_dir}")
    results = {}  # (side, batch) -> {"seconds": [...], "acc": [...], "rss": [...]}
    n = 0
    for b in sizes:
        for seed in seeds:
            order = ["descent", "torch"] if n % 2 == 0 else ["torch", "descent"]
            n += 1
            for side in order:
                log(f"batch {b}, seed {seed}: {side}")
                if side == "descent":
                    secs, acc, rss, wall = descent(args, b, seed, out_dir)
                else:
                    secs, acc, rss, wall = torch(args.model, b, seed, args.epochs, args.threads)
                r = results.setdefault((side, b), {"seconds": [], "acc": [], "rss": [], "wall": []})
                r["seconds"] += secs
                r["acc"].append(acc)
                r["rss"].append(rss)
                r["wall"].append(wall)
                log(f"  epoch seconds {', '.join(f'{s:.2f}' for s in secs)}; test accuracy {acc:.4f}; peak RSS {rss:.0f} MB; "
                    f"process {wall:.1f} s")

    title = "Tutorial MLP" if args.model == "mlp" else "Small CNN"
    print(f"## {title} on Fashion-MNIST, descent vs PyTorch ({datetime.date.today()})\n")
    runner = "`descent train`" if args.runner == "cli" else "descent-bench's TrainHarness"
    print(f"{args.epochs} epochs, seeds {args.seeds}; descent by {runner} with {Path(args.jvm_options).name}, PyTorch with "
          f"{args.threads} threads. Epoch seconds: median over "
          f"all epochs and seeds of the training pass; accuracy: mean final test accuracy over the seeds; process s: "
          f"median wall time of the whole process (start-up, data loading, descent's JIT warm-up, every epoch with "
          f"its evaluation, checkpoints).\n")
    print("| batch | side | epoch s | samples/s | test accuracy | peak RSS MB | process s |")
    print("|---|---|---|---|---|---|---|")
    for b in sizes:
        cells = {}
        for side in ("descent", "torch"):
            r = results[(side, b)]
            med = statistics.median(r["seconds"])
            wall = statistics.median(r["wall"])
            cells[side] = (med, statistics.mean(r["acc"]), max(r["rss"]), wall)
            print(f"| {b} | {'descent' if side == 'descent' else 'PyTorch'} | {med:.3f} | {60000 / med:.0f} | "
                  f"{statistics.mean(r['acc']):.4f} | {max(r['rss']):.0f} | {wall:.1f} |")
        d, t = cells["descent"], cells["torch"]
        print(f"| {b} | descent / PyTorch | {d[0] / t[0]:.2f} | | {100 * (d[1] - t[1]):+.2f} points | {d[2] / t[2]:.2f} | "
              f"{d[3] / t[3]:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
