#!/usr/bin/python3
"""Regenerate the learning-rate schedule golden file of descent-optim from PyTorch 1.13.

Run from anywhere:  nice -n 19 /usr/bin/python3 tools/golden/schedules.py
Writes descent-optim/src/test/resources/golden/schedules.json (see README.md next to this file).

Every configuration is written once as a nested tuple (name, positional children, keyword arguments);
the same tuple builds the torch scheduler and renders the descent spec string, so the two cannot disagree.
"""
import json
import math
import os
import sys
import warnings

import torch
from torch.optim import SGD, Adagrad, Adam
from torch.optim.lr_scheduler import (ChainedScheduler, ConstantLR, CosineAnnealingLR, CosineAnnealingWarmRestarts,
                                      CyclicLR, ExponentialLR, LambdaLR, LinearLR, MultiplicativeLR, MultiStepLR,
                                      OneCycleLR, PolynomialLR, ReduceLROnPlateau, SequentialLR, StepLR)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "descent-optim", "src", "test", "resources", "golden", "schedules.json")

TORCH_CLASSES = {
    "steplr": StepLR, "multisteplr": MultiStepLR, "constantlr": ConstantLR, "linearlr": LinearLR,
    "exponentiallr": ExponentialLR, "polynomiallr": PolynomialLR, "cosineannealinglr": CosineAnnealingLR,
    "cosineannealingwarmrestarts": CosineAnnealingWarmRestarts, "cycliclr": CyclicLR, "onecyclelr": OneCycleLR,
    "reducelronplateau": ReduceLROnPlateau,
}

# Java-only schedules take functions; the Java test has the same functions under these names.
FUNCTIONS = {
    "pow095": lambda k: 0.95 ** k,
    "inverse": lambda k: 1.0 / (1.0 + 0.1 * k),
    "pow097": lambda k: 0.97 ** k,
    "const095": lambda k: 0.95,
    "every10": lambda k: 0.5 if k % 10 == 0 else 1.0,
}


class CorrectedSequentialLR(SequentialLR):
    """SequentialLR whose constructor undoes the construction step of every nested scheduler.

    PyTorch 1.13 undoes ("last_epoch -= 1") only the direct children, so a nested SequentialLR's own first
    child is stepped twice and its chainable form starts from the wrong lr (28x the intended lr at step 0 in
    the nested configuration below). PyTorch 2.x's recursive_undo reaches the grandchildren but not the nested
    SequentialLR's own counter, which then switches one step early. This class undoes both, which gives each
    nested schedule its own clock: the semantics descent implements. Stepping is 1.13's, unchanged.
    """

    def __init__(self, optimizer, schedulers, milestones):
        if len(milestones) != len(schedulers) - 1:
            raise ValueError("milestones")
        self._schedulers = schedulers
        self._milestones = milestones
        self.last_epoch = 0
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        for s in schedulers:
            undo(s)
        self._schedulers[0]._initial_step()
        self._last_lr = schedulers[0].get_last_lr()


def undo(s):
    for child in getattr(s, "_schedulers", []):
        undo(child)
    if hasattr(s, "last_epoch"):
        s.last_epoch -= 1


# ---------------------------------------------------------------- configurations

def S(name, *children, **kwargs):
    """A schedule node: name, positional children (schedules or a function name), keyword arguments."""
    return (name, list(children), kwargs)


def render_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return "'" + v + "'"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(render_value(x) for x in v) + "]"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def render(node):
    """The descent spec; a function child (Java-only schedules) is written as its bare name."""
    name, children, kwargs = node
    args = [render(c) if isinstance(c, tuple) else render_value(c).replace("'", "") for c in children]
    args += [k + "=" + render_value(v) for k, v in kwargs.items()]
    return name + ("(" + ", ".join(args) + ")" if args else "")


def is_java_only(node):
    name, children, _ = node
    return name in ("lambdalr", "multiplicativelr") or any(isinstance(c, tuple) and is_java_only(c) for c in children)


def functions_of(node):
    name, children, _ = node
    if name in ("lambdalr", "multiplicativelr"):
        return children[0] if isinstance(children[0], list) else [children[0]]
    return []


def build(node, opt, corrected):
    """Builds the torch scheduler, children first (in order), as user code would."""
    name, children, kwargs = node
    if name == "sequentiallr":
        built = [build(c, opt, corrected) for c in children]
        cls = CorrectedSequentialLR if corrected else SequentialLR
        return cls(opt, built, kwargs["milestones"])
    if name == "chainedscheduler":
        return ChainedScheduler([build(c, opt, corrected) for c in children])
    if name in ("lambdalr", "multiplicativelr"):
        fns = [FUNCTIONS[f] for f in functions_of(node)]
        cls = LambdaLR if name == "lambdalr" else MultiplicativeLR
        return cls(opt, fns if len(fns) > 1 else fns[0])
    return TORCH_CLASSES[name](opt, **kwargs)


def has_nested_sequential(node):
    name, children, _ = node
    return name == "sequentiallr" and any(isinstance(c, tuple) and c[0] == "sequentiallr" for c in children) \
        or any(isinstance(c, tuple) and has_nested_sequential(c) for c in children)


def C(schedule, steps=60, opt="sgd", lrs=(0.1,), metrics=None, record_every=1, note=None):
    return dict(schedule=schedule, steps=steps, opt=opt, lrs=list(lrs), metrics=metrics,
                record_every=record_every, note=note)


def plateau_metrics_min():
    """A loss that improves, stalls, improves below and above the thresholds, and stalls again (80 values)."""
    m = [10.0, 9.0, 8.0, 8.0, 8.0, 8.0, 7.9999, 7.5, 7.5, 7.5, 7.5, 7.5, 7.5, 7.0, 6.9995, 6.999, 6.95, 6.95,
         6.95, 6.95, 6.95, 6.95, 6.95, 6.0, 6.2, 6.1, 6.05, 6.02, 6.01, 6.0, 5.99, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5,
         5.5, 5.5, 5.4999]
    m += [5.5 - 0.001 * (k % 7) for k in range(40)]
    return m


def plateau_metrics_max():
    """An accuracy that rises, stalls, and creeps up by less than the thresholds (70 values)."""
    m = [0.1, 0.3, 0.5, 0.5, 0.5, 0.5, 0.55, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6001, 0.6002, 0.61, 0.7,
         0.7, 0.69, 0.68, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]
    m += [0.7 + 0.0001 * k for k in range(40)]
    return m


CONFIGS = [
    # StepLR
    C(S("steplr", step_size=10, gamma=0.5)),
    C(S("steplr", step_size=7, gamma=0.1), lrs=(0.1, 0.01)),
    C(S("steplr", step_size=1, gamma=0.95), opt="adam", lrs=(0.001,)),
    # MultiStepLR
    C(S("multisteplr", milestones=[10, 25, 40], gamma=0.5)),
    C(S("multisteplr", milestones=[30, 10, 10, 50]), lrs=(0.1, 0.05), note="unsorted, repeated milestone"),
    C(S("multisteplr", milestones=[0, 20], gamma=0.3), note="milestone 0 applies at construction"),
    # ConstantLR
    C(S("constantlr")),
    C(S("constantlr", factor=0.5, total_iters=10), lrs=(0.1, 0.02)),
    C(S("constantlr", factor=1.0, total_iters=3)),
    # LinearLR
    C(S("linearlr")),
    C(S("linearlr", start_factor=0.1, total_iters=20), lrs=(0.1, 0.3)),
    C(S("linearlr", start_factor=1.0, end_factor=0.1, total_iters=30)),
    C(S("linearlr", start_factor=0.5, end_factor=0.0, total_iters=40), note="decays to zero"),
    # ExponentialLR
    C(S("exponentiallr", gamma=0.9)),
    C(S("exponentiallr", gamma=0.99), lrs=(0.1, 0.01), steps=100),
    # PolynomialLR
    C(S("polynomiallr")),
    C(S("polynomiallr", total_iters=50, power=2.0)),
    C(S("polynomiallr", total_iters=30, power=0.5), lrs=(0.1, 0.2)),
    C(S("polynomiallr", total_iters=60, power=0.9), steps=70),
    # CosineAnnealingLR (the chainable recursion, also past T_max where it rises again)
    C(S("cosineannealinglr", T_max=55)),
    C(S("cosineannealinglr", T_max=10, eta_min=0.01), steps=65),
    C(S("cosineannealinglr", T_max=20, eta_min=0.001), lrs=(0.1, 0.05), steps=90),
    C(S("cosineannealinglr", T_max=1), steps=60),
    C(S("cosineannealinglr", T_max=7, eta_min=0.2), steps=60, note="eta_min above the base lr"),
    C(S("cosineannealinglr", T_max=20000, eta_min=0.05), steps=60000, record_every=500,
      note="long run: past T_max the recursion drifts 3e-9 from the closed form"),
    # CosineAnnealingWarmRestarts
    C(S("cosineannealingwarmrestarts", T_0=10)),
    C(S("cosineannealingwarmrestarts", T_0=5, T_mult=2, eta_min=0.001), steps=80),
    C(S("cosineannealingwarmrestarts", T_0=3, T_mult=3, eta_min=0.01), lrs=(0.1, 0.05), steps=70),
    C(S("cosineannealingwarmrestarts", T_0=1)),
    # CyclicLR (momentum cycled on SGD)
    C(S("cycliclr", base_lr=0.01, max_lr=0.1, step_size_up=10), steps=70),
    C(S("cycliclr", base_lr=0.001, max_lr=0.01, step_size_up=5, step_size_down=15, mode="triangular2"), steps=90),
    C(S("cycliclr", base_lr=0.01, max_lr=0.1, step_size_up=8, mode="exp_range", gamma=0.99), steps=80),
    C(S("cycliclr", base_lr=[0.01, 0.001], max_lr=[0.1, 0.01], step_size_up=6, base_momentum=[0.8, 0.85],
        max_momentum=[0.9, 0.95]), lrs=(0.1, 0.01), steps=60),
    C(S("cycliclr", base_lr=0.01, max_lr=0.05, step_size_up=2.5, step_size_down=4, cycle_momentum=False), steps=60),
    C(S("cycliclr", base_lr=0.0001, max_lr=0.001, step_size_up=10, cycle_momentum=False), opt="adam",
      lrs=(0.001,)),
    C(S("cycliclr", base_lr=0.01, max_lr=0.1, step_size_up=7, mode="triangular2"), opt="sgd0",
      note="SGD without momentum: CyclicLR switches momentum on"),
    # OneCycleLR (momentum cycled on SGD, betas[0] on Adam); k runs to total_steps inclusive
    C(S("onecyclelr", max_lr=0.1, total_steps=100), steps=100),
    C(S("onecyclelr", max_lr=0.1, total_steps=80, pct_start=0.25, anneal_strategy="linear"), steps=80),
    C(S("onecyclelr", max_lr=0.05, total_steps=90, three_phase=True), steps=90),
    C(S("onecyclelr", max_lr=[0.01, 0.002], total_steps=70, base_momentum=0.8, max_momentum=0.9), opt="adam",
      lrs=(0.001, 0.001), steps=70),
    C(S("onecyclelr", max_lr=0.1, epochs=6, steps_per_epoch=10, cycle_momentum=False, div_factor=10.0,
        final_div_factor=100.0), steps=60),
    C(S("onecyclelr", max_lr=0.003, total_steps=64, anneal_strategy="linear", three_phase=True, pct_start=0.4),
      opt="adam", lrs=(0.003,), steps=64),
    C(S("onecyclelr", max_lr=0.1, total_steps=60, pct_start=0.0), steps=60, note="empty warm-up phase"),
    # ReduceLROnPlateau, fed a fixed metric sequence
    C(S("reducelronplateau", patience=2), steps=80, metrics=plateau_metrics_min()),
    C(S("reducelronplateau", factor=0.5, patience=0, cooldown=2, threshold=0.01), steps=80,
      metrics=plateau_metrics_min(), lrs=(0.1, 0.01)),
    C(S("reducelronplateau", factor=0.5, patience=1, threshold=0.1, threshold_mode="abs", min_lr=[0.02, 0.001]),
      steps=80, metrics=plateau_metrics_min(), lrs=(0.1, 0.01)),
    C(S("reducelronplateau", mode="max", factor=0.2, patience=3, cooldown=1), steps=70,
      metrics=plateau_metrics_max(), opt="adam", lrs=(0.001,)),
    C(S("reducelronplateau", mode="max", patience=1, threshold=0.001, threshold_mode="abs", min_lr=0.0005,
        factor=0.3), steps=70, metrics=plateau_metrics_max()),
    C(S("reducelronplateau", factor=0.5, patience=0, eps=1e-08), steps=80, metrics=plateau_metrics_min(),
      lrs=(1e-07,), opt="adagrad", note="reductions smaller than eps are skipped"),
    # SequentialLR
    C(S("sequentiallr", S("linearlr", start_factor=0.1, total_iters=5), S("cosineannealinglr", T_max=55),
        milestones=[5]), steps=60, note="the DESIGN.md example"),
    C(S("sequentiallr", S("constantlr", factor=0.25, total_iters=10), S("exponentiallr", gamma=0.9),
        S("steplr", step_size=5, gamma=0.5), milestones=[5, 20]), lrs=(0.1, 0.05), steps=60),
    C(S("sequentiallr", S("linearlr", start_factor=0.2, total_iters=8), S("cosineannealingwarmrestarts", T_0=10,
        T_mult=2), milestones=[8]), steps=80),
    C(S("sequentiallr", S("linearlr", start_factor=0.5, total_iters=10), S("cycliclr", base_lr=0.01, max_lr=0.1,
        step_size_up=10, max_momentum=0.95), milestones=[10]), steps=70,
      note="momentum before the CyclicLR child is the one its constructor set"),
    C(S("sequentiallr", S("cycliclr", base_lr=0.1, max_lr=0.5, step_size_up=5), S("exponentiallr", gamma=0.95),
        milestones=[12]), steps=60,
      note="momentum after the CyclicLR child stays where it left it; optimizer lr = base_lr (see README)"),
    C(S("sequentiallr", S("polynomiallr", total_iters=10, power=2.0), S("multisteplr", milestones=[5, 15]),
        S("constantlr", factor=0.5, total_iters=4), milestones=[20, 40]), steps=60),
    C(S("sequentiallr", S("linearlr", start_factor=0.1, total_iters=5), S("multiplicativelr", "const095"),
        milestones=[5]), steps=60, note="MultiplicativeLR has no closed form: it continues from the current lr"),
    C(S("sequentiallr", S("constantlr", factor=0.5, total_iters=3), S("lambdalr", "pow097"), milestones=[10]),
      steps=60),
    C(S("sequentiallr", S("sequentiallr", S("linearlr", start_factor=0.1, total_iters=5),
                          S("constantlr", factor=0.5, total_iters=10), milestones=[5]),
        S("cosineannealinglr", T_max=40), milestones=[20]), steps=70, note="nested"),
    C(S("sequentiallr", S("sequentiallr", S("sequentiallr", S("exponentiallr", gamma=0.8), S("linearlr"),
                                            milestones=[3]),
                          S("steplr", step_size=4, gamma=0.5), milestones=[10]),
        S("cosineannealinglr", T_max=30, eta_min=0.001), milestones=[25]), steps=70, lrs=(0.1, 0.2),
      note="nested twice"),
    C(S("sequentiallr", S("chainedscheduler", S("constantlr", factor=0.5, total_iters=4),
                          S("exponentiallr", gamma=0.9)),
        S("cosineannealinglr", T_max=50), milestones=[10]), steps=60, note="ChainedScheduler as first child"),
    # ChainedScheduler
    C(S("chainedscheduler", S("constantlr", factor=0.1, total_iters=2), S("exponentiallr", gamma=0.9)),
      note="PyTorch's docstring example"),
    C(S("chainedscheduler", S("linearlr", start_factor=0.2, total_iters=10), S("steplr", step_size=10, gamma=0.5)),
      lrs=(0.1, 0.05)),
    C(S("chainedscheduler", S("exponentiallr", gamma=0.95), S("cosineannealinglr", T_max=20, eta_min=0.01)),
      steps=80, note="the cosine recursion is affine, not multiplicative, with eta_min > 0"),
    C(S("chainedscheduler", S("cosineannealingwarmrestarts", T_0=10), S("exponentiallr", gamma=0.97)),
      note="WarmRestarts sets the lr outright; ExponentialLR multiplies by gamma once per step"),
    C(S("chainedscheduler", S("multisteplr", milestones=[10, 30], gamma=0.5), S("polynomiallr", total_iters=50,
        power=1.5)), steps=70),
    C(S("chainedscheduler", S("chainedscheduler", S("constantlr", factor=0.5, total_iters=5),
                              S("exponentiallr", gamma=0.98)),
        S("steplr", step_size=15, gamma=0.5)), steps=60, note="nested"),
    C(S("chainedscheduler", S("multiplicativelr", "every10"), S("linearlr", start_factor=0.25, total_iters=8)),
      steps=60),
    # LambdaLR and MultiplicativeLR (Java functions)
    C(S("lambdalr", "pow095")),
    C(S("lambdalr", ["inverse", "pow097"]), lrs=(0.1, 0.05)),
    C(S("multiplicativelr", "const095")),
    C(S("multiplicativelr", ["const095", "every10"]), lrs=(0.1, 0.05)),
]

# Invalid configurations: PyTorch raises, descent must too (at parse or at start).
ERRORS = [
    S("constantlr", factor=1.5),
    S("linearlr", start_factor=1.5),
    S("linearlr", end_factor=-0.5),
    S("cosineannealingwarmrestarts", T_0=0),
    S("cosineannealingwarmrestarts", T_0=5, T_mult=0),
    S("cycliclr", base_lr=0.01, max_lr=0.1, mode="triangular3"),
    S("cycliclr", base_lr=[0.01, 0.02], max_lr=0.1),
    S("onecyclelr", max_lr=0.1),
    S("onecyclelr", max_lr=0.1, total_steps=0),
    S("onecyclelr", max_lr=0.1, total_steps=100, pct_start=1.5),
    S("onecyclelr", max_lr=0.1, total_steps=100, anneal_strategy="cosine"),
    S("onecyclelr", max_lr=0.1, epochs=0, steps_per_epoch=10),
    S("reducelronplateau", factor=1.0),
    S("reducelronplateau", mode="avg"),
    S("reducelronplateau", threshold_mode="relative"),
    S("reducelronplateau", min_lr=[0.1, 0.2, 0.3]),
    S("sequentiallr", S("constantlr"), S("exponentiallr", gamma=0.9), milestones=[5, 10]),
]
ADAM_ERRORS = [S("cycliclr", base_lr=0.0001, max_lr=0.001)]  # 1.13: CyclicLR cycles only 'momentum'


# ---------------------------------------------------------------- running

def make_optimizer(kind, lrs):
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in lrs]
    groups = [{"params": [p], "lr": lr} for p, lr in zip(params, lrs)]
    if kind == "sgd":
        return SGD(groups, lr=lrs[0], momentum=0.9), "momentum", "sgd(lr=%r, momentum=0.9)" % lrs[0]
    if kind == "sgd0":
        return SGD(groups, lr=lrs[0]), "momentum", "sgd(lr=%r)" % lrs[0]
    if kind == "adam":
        return Adam(groups, lr=lrs[0]), "betas", "adam(lr=%r)" % lrs[0]
    if kind == "adagrad":
        return Adagrad(groups, lr=lrs[0]), None, "adagrad(lr=%r)" % lrs[0]
    raise ValueError(kind)


def momentum_of(group, key):
    if key is None:
        return None
    return group["momentum"] if key == "momentum" else group["betas"][0]


def run(cfg, corrected):
    opt, key, opt_spec = make_optimizer(cfg["opt"], cfg["lrs"])
    base_momentum = [momentum_of(g, key) for g in opt.param_groups]
    sched = build(cfg["schedule"], opt, corrected)
    steps, every = cfg["steps"], cfg["record_every"]
    lr_rows, momentum_rows, recorded = [], [], []

    def record(k):
        if k % every == 0 or k == steps:
            recorded.append(k)
            lr_rows.append([float(x) for x in sched_lr(sched, opt)])
            if key is not None:
                momentum_rows.append([float(momentum_of(g, key)) for g in opt.param_groups])

    record(0)
    for k in range(1, steps + 1):
        opt.step()
        if cfg["metrics"] is not None:
            sched.step(cfg["metrics"][k - 1])
        else:
            sched.step()
        record(k)
    return opt_spec, key, base_momentum, recorded, lr_rows, momentum_rows


def sched_lr(sched, opt):
    if isinstance(sched, ReduceLROnPlateau):  # 1.13's has no get_last_lr before the first step
        return [g["lr"] for g in opt.param_groups]
    return sched.get_last_lr()


def finite(rows):
    return all(math.isfinite(x) for row in rows for x in row)


def main():
    warnings.filterwarnings("ignore")
    torch.set_num_threads(1)
    runs = []
    ids = {}
    for cfg in CONFIGS:
        node = cfg["schedule"]
        name = node[0]
        ids[name] = ids.get(name, 0) + 1
        nested = has_nested_sequential(node)
        chained_first = name == "sequentiallr" and node[1][0][0] == "chainedscheduler"
        corrected = nested or chained_first
        opt_spec, key, base_m, recorded, lr_rows, m_rows = run(cfg, corrected)
        if not finite(lr_rows) or not finite(m_rows):
            sys.exit("non-finite values in " + render(node))
        entry = {"id": "%s-%d" % (name, ids[name])}
        if is_java_only(node):
            entry["spec"] = None
            entry["java"] = render(node)
        else:
            entry["spec"] = render(node)
        entry.update({
            "optimizer": opt_spec,
            "groups": [{"lr": lr, "momentum": m} for lr, m in zip(cfg["lrs"], base_m)],
            "momentum_key": key,
            "steps": cfg["steps"],
            "corrected_nesting": corrected,
        })
        if cfg["note"]:
            entry["note"] = cfg["note"]
        if cfg["metrics"] is not None:
            entry["metrics"] = cfg["metrics"][:cfg["steps"]]
        entry["recorded_steps"] = recorded if cfg["record_every"] > 1 else None
        entry["lr"] = lr_rows
        entry["momentum"] = m_rows if key is not None else None
        if nested:
            try:
                entry["torch113_lr"] = run(cfg, False)[4]
            except Exception as e:  # noqa: BLE001 - recorded, not hidden
                entry["torch113_error"] = "%s: %s" % (type(e).__name__, e)
        runs.append(entry)

    errors = []
    for node, kind in [(n, "sgd") for n in ERRORS] + [(n, "adam") for n in ADAM_ERRORS]:
        lrs = (0.1,) if kind == "sgd" else (0.001,)
        opt, _, opt_spec = make_optimizer(kind, lrs)
        try:
            sched = build(node, opt, False)
            for _ in range(5):
                opt.step()
                sched.step()
            sys.exit("expected an error from " + render(node))
        except (ValueError, ZeroDivisionError, TypeError) as e:
            errors.append({"spec": render(node), "optimizer": opt_spec, "groups": len(lrs),
                           "torch_error": "%s: %s" % (type(e).__name__, e)})

    lines = ['{"generator": "tools/golden/schedules.py", "torch_version": %s, "runs": [' % json.dumps(torch.__version__)]
    lines.append(",\n".join(json.dumps(r, separators=(",", ":")) for r in runs))
    lines.append('], "errors": [')
    lines.append(",\n".join(json.dumps(e, separators=(",", ":")) for e in errors))
    lines.append("]}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # well-formed
    with open(OUT, "w") as f:
        f.write(text)
    print("wrote %s: %d runs, %d error cases, %d bytes" % (os.path.relpath(OUT, REPO), len(runs), len(errors),
                                                           len(text)))
    for r in runs:
        if "torch113_lr" in r:
            ratio = r["torch113_lr"][0][0] / r["lr"][0][0]
            print("  %s: PyTorch 1.13's own SequentialLR starts at %.3g times the corrected lr (nested construction)"
                  % (r["id"], ratio))
    long_run = [r for r in runs if r["recorded_steps"]]
    for r in long_run:
        print("  %s: %d steps, %d rows recorded" % (r["id"], r["steps"], len(r["lr"])))


if __name__ == "__main__":
    main()
