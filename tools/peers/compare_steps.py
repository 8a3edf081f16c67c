#!/usr/bin/python3
"""Time descent's optimizer step() against PyTorch's and against the machine's memory bandwidth, in one run.

The run is a few rounds; each round measures, in turn:
  1. memory bandwidth: `java -cp benchmarks.jar dev.descent.bench.Bandwidth` (copy, triad, axpy over
     40M-float arrays, 1 and 2 threads; the 2-thread pass split across a persistent pool, as descent's
     step is split);
  2. for each optimizer configuration: descent's StepBenchmark (JMH, one fresh JVM per layout and thread
     count) and then PyTorch's step (tools/peers/torch_step.py, for-loop and foreach, 1 and 2 threads),
     alternating which of the two goes first from one round to the next,
so that drift on this shared machine hits both sides alike. Each figure is then the median over the
rounds (each round's figure being itself the median step time of that JVM or process).

Before each round it samples /proc/stat for a few seconds and waits while anything else uses the CPU
(other engineers' builds); it reports that load, and the CPU time other processes and the hypervisor
(steal) took during the whole run.

stdout: the report in markdown (bandwidth table, step table with ratios and targets, run notes);
stderr: progress. Raw results (JMH JSON, torch CSV, bandwidth lines) go to --out (default a new
directory under /tmp).

Usage, from the repository root (builds nothing: run `mvn -B -pl descent-bench -am package -DskipTests`
or `mvn -B verify` first):
  /usr/bin/python3 tools/peers/compare_steps.py                  # everything, 3 rounds, ~20 minutes
  /usr/bin/python3 tools/peers/compare_steps.py --only adam --rounds 2
"""
import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TORCH_STEP = ROOT / "tools" / "peers" / "torch_step.py"
PYTHON = "/usr/bin/python3"  # Debian's interpreter, which has python3-torch

# name: (descent spec, bytes an ideal fused step reads and writes per parameter, target ratio to PyTorch's best,
# or None where PyTorch 1.13 has no such optimizer: then only the bandwidth target applies).
# Byte counts as in torch_step.py (and descent's StepTraffic): every array read once, every array written once,
# 4 bytes a value.
CONFIGS = {
    "sgd": ("sgd(lr=1e-6)", 12, 1.0),
    "sgd_momentum": ("sgd(lr=1e-6, momentum=0.9)", 20, 0.9),
    "nesterov": ("sgd(lr=1e-6, momentum=0.9, nesterov=true)", 20, 0.9),
    "adagrad": ("adagrad(lr=1e-6)", 20, 1.0),
    "rmsprop": ("rmsprop(lr=1e-6)", 20, 1.0),
    "rmsprop_centered_momentum": ("rmsprop(lr=1e-6, centered=true, momentum=0.9)", 36, 1.0),
    "adadelta": ("adadelta(lr=1e-6)", 28, 1.0),
    "adam": ("adam(lr=1e-6)", 28, 0.6),
    "amsgrad": ("adam(lr=1e-6, amsgrad=true)", 36, 0.6),
    "nadam": ("nadam(lr=1e-6)", 28, 0.6),
    "adamw": ("adamw(lr=1e-6)", 28, 0.6),
    "adamax": ("adamax(lr=1e-6)", 28, 0.6),
    "radam": ("radam(lr=1e-6)", 28, 0.6),
    "asgd": ("asgd(lr=1e-6)", 20, 1.0),
    "rprop": ("rprop(lr=1e-6)", 28, 1.0),
    "lion": ("lion(lr=1e-6)", 20, None),
    "lamb": ("lamb(lr=1e-6)", 44, None),
    "lars": ("lars(lr=1e-6, momentum=0.9, weight_decay=1e-4)", 28, None),
    "adabelief": ("adabelief(lr=1e-6)", 28, None),
    "yogi": ("yogi(lr=1e-6)", 28, None),
    # the benchmark's tensors are vectors, so Adafactor keeps a full second moment (no factoring) and, like LAMB,
    # needs the update's RMS before it can write it: p, g and exp_avg_sq are read twice (StepTraffic)
    "adafactor": ("adafactor()", 32, None),
    "ftrl": ("ftrl(lr=1e-6)", 28, None),
    "sgd_schedulefree": ("sgd_schedulefree(lr=1e-6)", 20, None),
    "adamw_schedulefree": ("adamw_schedulefree(lr=1e-6)", 28, None),
}
LAYOUTS = ["10x1M", "1000x10k"]
PARAMS = 10_000_000
BANDWIDTH_TARGET = 0.70  # of the 2-thread triad bandwidth


def log(msg):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def cpu_times():
    """(busy, steal, total) jiffies over all CPUs from /proc/stat; busy excludes idle, iowait and steal."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    busy = user + nice + system + irq + softirq
    return busy, steal, busy + idle + iowait + steal


def children_cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    s = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime + s.ru_utime + s.ru_stime


def busy_fraction(seconds):
    """Fraction of all CPUs busy (and stolen) over the next `seconds`, while this script idles."""
    b0, s0, t0 = cpu_times()
    time.sleep(seconds)
    b1, s1, t1 = cpu_times()
    total = max(1, t1 - t0)
    return (b1 - b0) / total, (s1 - s0) / total


def top_processes(n=5):
    try:
        out = subprocess.run(["top", "-bn1", "-o", "%CPU"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    lines = out.splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("PID")), None)
    return "" if start is None else "\n".join(lines[start:start + 1 + n])


def wait_until_quiet(max_busy, max_wait, notes):
    """Waits (up to max_wait seconds) until the CPUs are at most max_busy busy; records what it saw."""
    waited = 0
    while True:
        busy, steal = busy_fraction(3)
        load = os.getloadavg()
        if busy <= max_busy:
            notes.append(f"busy {busy:.0%} of 2 CPUs, steal {steal:.0%}, loadavg {load[0]:.2f} {load[1]:.2f}"
                         + (f" (after waiting {waited} s)" if waited else ""))
            return busy
        if waited >= max_wait:
            notes.append(f"NOT QUIET: busy {busy:.0%}, steal {steal:.0%}, loadavg {load[0]:.2f} after waiting "
                         f"{waited} s; measured anyway")
            log(f"still busy ({busy:.0%}) after {waited} s; going ahead. Top processes:\n{top_processes()}")
            return busy
        log(f"CPUs {busy:.0%} busy (loadavg {load[0]:.2f}); waiting 30 s. Top processes:\n{top_processes()}")
        time.sleep(30)
        waited += 30


def guarded(what, measure, args, chunks):
    """Runs measure() when the machine is quiet, and again (up to --retries times) when other processes
    took more than --max-foreign of one CPU while it ran; records (what, foreign fraction, retries)."""
    for attempt in range(args.retries + 1):
        wait_until_quiet(args.max_busy, args.max_wait, [])
        log(what + (f" (retry {attempt})" if attempt else ""))
        b0, _, _ = cpu_times()
        c0 = children_cpu_seconds()
        t0 = time.time()
        result = measure()
        elapsed = time.time() - t0
        b1, _, _ = cpu_times()
        foreign = max(0.0, (b1 - b0) / os.sysconf("SC_CLK_TCK") - (children_cpu_seconds() - c0)) / elapsed
        if foreign <= args.max_foreign or attempt == args.retries:
            chunks.append((what, foreign, attempt))
            if foreign > args.max_foreign:
                log(f"other processes took {foreign:.0%} of a CPU during this; kept after {attempt} retries")
            return result
        log(f"other processes took {foreign:.0%} of a CPU during this; measuring again")


def run(cmd, out_file, env=None):
    """Runs cmd, stdout to out_file, stderr to out_file + '.err'; returns stdout text."""
    with open(out_file, "w") as out, open(str(out_file) + ".err", "w") as err:
        p = subprocess.run(cmd, stdout=out, stderr=err, env=env, cwd=ROOT)
    if p.returncode != 0:
        raise SystemExit(f"failed ({p.returncode}): {' '.join(map(str, cmd))}; see {out_file}.err")
    return Path(out_file).read_text()


def bandwidth(jar, out_file):
    """{(kernel, threads): GB/s} from one run of the Bandwidth main."""
    text = run(["java", "-cp", jar, "dev.descent.bench.Bandwidth"], out_file)
    result = {}
    for line in text.splitlines():
        kv = dict(item.split("=") for item in line.split())
        t = int(kv["threads"])
        for kernel in ("copy", "triad", "axpy"):
            result[(kernel, t)] = float(kv[f"{kernel}_gbps"])
    return result


def descent_steps(jar, name, layouts, threads, jmh, out_file):
    """{(layout, threads): (median ms, mean ms)} from one JMH run of StepBenchmark, one fork per cell."""
    cmd = ["java", "-jar", jar, "StepBenchmark.step", "-p", f"optimizer={name}", "-p", f"layout={','.join(layouts)}",
           "-p", f"threads={','.join(map(str, threads))}", "-f", "1", "-wi", str(jmh["wi"]), "-w", jmh["w"],
           "-i", str(jmh["i"]), "-r", jmh["r"], "-rf", "json", "-rff", str(out_file)]
    run(cmd, str(out_file) + ".log")
    result = {}
    for b in json.loads(Path(out_file).read_text()):
        pm = b["primaryMetric"]
        assert pm["scoreUnit"] == "ms/op", pm["scoreUnit"]
        result[(b["params"]["layout"], int(b["params"]["threads"]))] = (pm["scorePercentiles"]["50.0"], pm["score"])
    return result


def torch_steps(name, layouts, threads, warmup, repeats, seconds, out_file):
    """{(layout, foreach, threads): median ms} from one run of torch_step.py."""
    cmd = [PYTHON, str(TORCH_STEP), "--only", name, "--warmup", str(warmup), "--repeats", str(repeats),
           "--min-seconds", str(seconds)]
    for t in threads:
        cmd += ["--threads", str(t)]
    for k in layouts:
        cmd += ["--tensors", k.split("x")[0]]
    text = run(cmd, out_file)
    result = {}
    for line in text.splitlines()[1:]:
        opt, layout, foreach, t, ms, _ = line.split(",")
        result[(layout, foreach == "true", int(t))] = float(ms)
    return result


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def spread(xs):
    """Half the range as a fraction of the median: a plain measure of run-to-run noise."""
    if len(xs) < 2:
        return float("nan")
    return (max(xs) - min(xs)) / 2 / statistics.median(xs)


def machine():
    def cmd(args):
        try:
            return subprocess.run(args, capture_output=True, text=True, timeout=30).stdout + \
                subprocess.run(args, capture_output=True, text=True, timeout=30).stderr
        except (OSError, subprocess.SubprocessError):
            return ""
    lscpu = {}
    for line in cmd(["lscpu"]).splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            lscpu[k.strip()] = v.strip()
    flags = lscpu.get("Flags", "").split()
    java = cmd(["java", "-version"]).splitlines()
    torch = cmd([PYTHON, "-c", "import torch; print(torch.__version__, torch.get_num_threads())"]).split()
    mem_kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
    return (f"{lscpu.get('Model name', '?')} (family {lscpu.get('CPU family', '?')}, model {lscpu.get('Model', '?')}), "
            f"{lscpu.get('CPU(s)', '?')} CPUs, {lscpu.get('Thread(s) per core', '?')} thread(s) per core, "
            f"L3 {lscpu.get('L3 cache', '?')}, AVX2 {'yes' if 'avx2' in flags else 'no'}, "
            f"FMA {'yes' if 'fma' in flags else 'no'}, AVX-512 {'yes' if 'avx512f' in flags else 'no'}, "
            f"{mem_kb / 1024 / 1024:.0f} GiB RAM; {java[0] if java else 'java ?'}; "
            f"PyTorch {torch[0] if torch else '?'} (default threads {torch[1] if len(torch) > 1 else '?'})")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jar", default=str(ROOT / "descent-bench" / "target" / "benchmarks.jar"))
    ap.add_argument("--rounds", type=int, default=3, help="rounds; each figure is the median over them (default 3)")
    ap.add_argument("--only", action="append", choices=list(CONFIGS), help="configuration; repeatable (default all)")
    ap.add_argument("--layout", action="append", choices=LAYOUTS, help="repeatable (default both)")
    ap.add_argument("--jmh", default="4x500ms+4x500ms",
                    help="JMH warm-up and measurement per fork, WIxW+IxR (default 4x500ms+4x500ms)")
    ap.add_argument("--torch-warmup", type=int, default=10, help="untimed PyTorch steps per cell (default 10)")
    ap.add_argument("--torch-repeats", type=int, default=30, help="timed PyTorch steps per cell, at least (default 30)")
    ap.add_argument("--torch-seconds", type=float,
                    help="time PyTorch steps for at least this long per cell (default: JMH's measurement time, "
                         "so that both sides are timed over windows of the same length on a machine whose memory "
                         "speed drifts)")
    ap.add_argument("--max-busy", type=float, default=0.10,
                    help="wait before a round while more than this fraction of the CPUs is busy (default 0.10)")
    ap.add_argument("--max-wait", type=int, default=900, help="longest wait for quiet, seconds (default 900)")
    ap.add_argument("--max-foreign", type=float, default=0.15,
                    help="measure a piece again when other processes took more than this fraction of one CPU "
                         "while it ran (default 0.15)")
    ap.add_argument("--retries", type=int, default=3, help="at most this many repeats of a piece (default 3)")
    ap.add_argument("--out", help="directory for raw results (default: a new one under /tmp)")
    args = ap.parse_args(argv)

    if not Path(args.jar).is_file():
        ap.error(f"{args.jar} is missing: run `mvn -B -pl descent-bench -am package -DskipTests` first")
    try:
        warm, meas = args.jmh.split("+")
        wi, w = warm.split("x")
        i, r = meas.split("x")
        jmh = {"wi": int(wi), "w": w, "i": int(i), "r": r}
        measured = int(i) * (float(r[:-2]) / 1000 if r.endswith("ms") else float(r.rstrip("s")))
    except ValueError:
        ap.error("--jmh must look like 4x500ms+4x500ms")
    torch_seconds = measured if args.torch_seconds is None else args.torch_seconds
    if not torch_seconds >= 0:
        ap.error(f"--torch-seconds must be >= 0, got {args.torch_seconds}")
    names = args.only or list(CONFIGS)
    layouts = args.layout or LAYOUTS
    threads = [1, 2]
    out = Path(args.out or f"/tmp/compare-steps-{datetime.datetime.now():%Y%m%d-%H%M%S}")
    out.mkdir(parents=True, exist_ok=True)
    log(f"raw results in {out}")

    info = machine()
    log(info)
    notes = []
    bw = {}           # (kernel, threads) -> [GB/s per round]
    ours = {}         # (name, layout, threads) -> [median ms per round]
    ours_mean = {}    # same, mean ms
    theirs = {}       # (name, layout, foreach, threads) -> [median ms per round]
    chunks = []       # (what, foreign CPU fraction while it ran, retries)
    started = time.time()
    b0, s0, t0 = cpu_times()
    c0 = children_cpu_seconds()
    for rnd in range(args.rounds):
        wait_until_quiet(args.max_busy, args.max_wait, notes)
        res = guarded(f"round {rnd + 1}/{args.rounds}: bandwidth",
                      lambda: bandwidth(args.jar, out / f"bandwidth-{rnd}.txt"), args, chunks)
        for key, v in res.items():
            bw.setdefault(key, []).append(v)
        for n, name in enumerate(names):
            order = ["descent", "torch"] if (rnd + n) % 2 == 0 else ["torch", "descent"]
            if CONFIGS[name][2] is None:
                order = ["descent"]
            for side in order:
                what = f"round {rnd + 1}/{args.rounds}: {name} ({side})"
                if side == "descent":
                    res = guarded(what, lambda: descent_steps(args.jar, name, layouts, threads, jmh,
                                                              out / f"descent-{name}-{rnd}.json"), args, chunks)
                    for (layout, t), (p50, mean) in res.items():
                        ours.setdefault((name, layout, t), []).append(p50)
                        ours_mean.setdefault((name, layout, t), []).append(mean)
                else:
                    res = guarded(what, lambda: torch_steps(name, layouts, threads, args.torch_warmup,
                                                            args.torch_repeats, torch_seconds,
                                                            out / f"torch-{name}-{rnd}.csv"),
                                  args, chunks)
                    for (layout, foreach, t), ms in res.items():
                        theirs.setdefault((name, layout, foreach, t), []).append(ms)
    elapsed = time.time() - started
    b1, s1, t1 = cpu_times()
    hz = os.sysconf("SC_CLK_TCK")
    ncpu = os.cpu_count() or 1
    ours_cpu = children_cpu_seconds() - c0
    busy_cpu = (b1 - b0) / hz
    steal_cpu = (s1 - s0) / hz
    foreign = max(0.0, busy_cpu - ours_cpu)
    notes.append(f"during the run ({elapsed / 60:.1f} min, {ncpu} CPUs): the benchmarks used {ours_cpu:.0f} CPU-s, "
                 f"everything else about {foreign:.0f} CPU-s ({foreign / elapsed:.0%} of one CPU on average), "
                 f"hypervisor steal {steal_cpu:.0f} CPU-s ({steal_cpu / elapsed:.0%} of one CPU)")

    # ---- report ----
    P = print
    triad2 = med(bw[("triad", 2)])
    axpy2 = med(bw[("axpy", 2)])
    P(f"## Optimizer step, descent vs PyTorch ({datetime.date.today()})\n")
    P(f"Machine: {info}.\n")
    P(f"{args.rounds} rounds; each figure is the median over the rounds of one JVM's (descent, JMH sample time "
      f"{args.jmh}) or one process's (PyTorch, {args.torch_warmup} warm-up + at least {args.torch_repeats} timed steps "
      f"and {torch_seconds:g} s) median step time; 10M float32 parameters.\n")
    P("### Memory bandwidth (GB/s, STREAM counting, 3 arrays of 40M floats)\n")
    P("| threads | copy | triad | axpy |")
    P("|---|---|---|---|")
    for t in threads:
        cells = []
        for kernel in ("copy", "triad", "axpy"):
            xs = bw[(kernel, t)]
            cells.append(f"{med(xs):.1f} ({min(xs):.1f}-{max(xs):.1f})")
        P(f"| {t} | " + " | ".join(cells) + " |")
    P()
    P("### step()\n")
    P("descent ms: median per step, 1 and 2 threads. GB/s: bytes per parameter x 10M / descent's best time. "
      "% triad, % axpy: that as a fraction of the 2-thread triad / axpy bandwidth above. PyTorch best: the "
      "fastest of for-loop and foreach, 1 and 2 threads (loop/fe, 1t/2t). Ratio: descent best / PyTorch best.\n")
    P("| algorithm | layout | B/param | descent 1t | descent 2t | GB/s | % triad | % axpy | PyTorch best | ratio | "
      "target | met |")
    P("|---|---|---|---|---|---|---|---|---|---|---|---|")
    verdicts = []
    for name in names:
        spec, nbytes, target = CONFIGS[name]
        for layout in layouts:
            d1 = med(ours.get((name, layout, 1), []))
            d2 = med(ours.get((name, layout, 2), []))
            best = min(d1, d2)
            gbps = nbytes * PARAMS / (best * 1e-3) / 1e9
            ok_bw = gbps >= BANDWIDTH_TARGET * triad2
            if target is None:
                verdicts.append((name, layout, float("nan"), None, True, gbps / triad2, ok_bw))
                P(f"| {spec} | {layout} | {nbytes} | {d1:.2f} | {d2:.2f} | {gbps:.1f} | {gbps / triad2:.0%} | "
                  f"{gbps / axpy2:.0%} | (not in PyTorch 1.13) | - | bandwidth | {'yes' if ok_bw else 'NO'} |")
                continue
            cells = {(fe, t): med(theirs.get((name, layout, fe, t), [])) for fe in (False, True) for t in threads}
            (tfe, tt), tbest = min(cells.items(), key=lambda kv: kv[1])
            ratio = best / tbest
            ok_ratio = ratio <= target
            verdicts.append((name, layout, ratio, target, ok_ratio, gbps / triad2, ok_bw))
            P(f"| {spec} | {layout} | {nbytes} | {d1:.2f} | {d2:.2f} | {gbps:.1f} | {gbps / triad2:.0%} | "
              f"{gbps / axpy2:.0%} | {tbest:.2f} ({'fe' if tfe else 'loop'} {tt}t) | {ratio:.2f} | "
              f"<= {target:g} | {'yes' if ok_ratio and ok_bw else 'NO'} |")
    P()
    P("### All cells (median over rounds, with half the range over rounds as a fraction of the median)\n")
    P("| algorithm | layout | descent 1t | descent 2t | torch loop 1t | torch loop 2t | torch fe 1t | torch fe 2t |")
    P("|---|---|---|---|---|---|---|---|")
    for name in names:
        for layout in layouts:
            cells = [ours.get((name, layout, t), []) for t in threads]
            cells += [theirs.get((name, layout, fe, t), []) for fe in (False, True) for t in threads]
            P(f"| {name} | {layout} | " + " | ".join(f"{med(xs):.2f} ±{spread(xs):.0%}" if xs else "-" for xs in cells) + " |")
    P()
    P("### Targets\n")
    missed_ratio = [v for v in verdicts if not v[4]]
    with_peer = [v for v in verdicts if v[3] is not None]
    missed_bw = [v for v in verdicts if not v[6]]
    P(f"- ratio to PyTorch's best: {len(with_peer) - len(missed_ratio)} of {len(with_peer)} cells met"
      + ("" if not missed_ratio else "; missed: " + ", ".join(
          f"{n} {lay} ({r:.2f} > {t:g})" for n, lay, r, t, *_ in missed_ratio)))
    P(f"- at least {BANDWIDTH_TARGET:.0%} of the 2-thread triad bandwidth ({triad2:.1f} GB/s): "
      f"{len(verdicts) - len(missed_bw)} of {len(verdicts)} cells met"
      + ("" if not missed_bw else "; missed: " + ", ".join(f"{n} {lay} ({f:.0%})" for n, lay, _, _, _, f, _ in missed_bw)))
    P()
    P("### Run notes\n")
    for i, note in enumerate(notes):
        P(f"- {'before round ' + str(i + 1) + ': ' if i < args.rounds else ''}{note}")
    foreign = [f for _, f, _ in chunks]
    retried = [(w, r) for w, _, r in chunks if r]
    if foreign:
        P(f"- other processes' CPU use while each of the {len(chunks)} pieces ran (fraction of one CPU): "
          f"median {med(foreign):.0%}, max {max(foreign):.0%}; "
          f"{len(retried)} pieces measured again because it exceeded {args.max_foreign:.0%}")
    P(f"- raw results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
