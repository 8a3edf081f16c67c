#!/usr/bin/python3
"""Regenerate the L-BFGS golden files of descent-optim from PyTorch 1.13.

Run from anywhere:  /usr/bin/python3 tools/golden/lbfgs.py
Writes descent-optim/src/test/resources/golden/lbfgs.json (float32) and lbfgs64.json (float64); the
format is in README.md next to this file. L-BFGS evaluates a closure several times per step, so every
closure evaluation is recorded (the point it ran at, the loss and the gradient it returned), which lets
the Java test replay PyTorch's evaluations exactly, besides running end to end with its own problems.
"""
import json
import os
import random
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import (F32, OUT_DIR, PROBLEMS, PROBLEM_ORDER, CHAOTIC_THRESHOLD, ULP, ULP_VARIANTS,  # noqa: E402
                      finite, per_problem, set_up_torch, sensitivity, spec_value, three_digits, ulp_factors)

STEPS = 10
F64 = torch.float64
ULP64 = 2.0 ** -52


class Config:
    """One L-BFGS configuration: options in spec order (lr first), lr a float or a dict problem -> float."""

    def __init__(self, lr, options=()):
        self.lr = lr
        self.options = list(options)

    def lr_for(self, problem):
        return self.lr[problem] if isinstance(self.lr, dict) else self.lr

    def spec(self, problem):
        args = [("lr", self.lr_for(problem))] + self.options
        return "lbfgs(%s)" % ", ".join("%s=%s" % (k, value(v)) for k, v in args)

    def make(self, param, problem):
        return torch.optim.LBFGS([param], lr=self.lr_for(problem), **dict(self.options))


def value(v):
    return '"%s"' % v if isinstance(v, str) else spec_value(v)


WOLFE = ("line_search_fn", "strong_wolfe")
CONFIGS = [
    # the defaults: lr 1, max_iter 20, max_eval 25 (max_iter * 5 // 4, not the docstring's 1.25 * max_iter
    # rounded), tolerance_grad 1e-7 (the docstring says 1e-5), history 100, fixed steps
    Config(per_problem(1.0, 0.1, 0.1, 1.0)),
    Config(1.0, [WOLFE]),
    Config(1.0, [("history_size", 2), WOLFE]),
    Config(per_problem(0.5, 0.05, 0.05, 0.5), [("history_size", 3)]),
    Config(per_problem(0.5, 0.1, 0.1, 1.0), [("max_iter", 1)]),
    Config(1.0, [("max_iter", 4), ("history_size", 5), ("tolerance_grad", 1e-05), WOLFE]),
    Config(0.8, [("max_iter", 6), ("max_eval", 4), ("tolerance_change", 1e-05), WOLFE]),
]

# Perturbed runs measure how much a few ulps of the gradient move a run (see README.md, generate.py).
PERTURBED32 = ULP_VARIANTS + ["analytic32", "rounded64", "float64"]
PERTURBED64 = ["ulp64+1", "ulp64-1", "analytic64"]


def ulp64_factors(variant, dim):
    return torch.tensor([1 + (ULP64 if variant == "ulp64+1" else -ULP64)] * dim, dtype=F64)


def trajectory(config, problem, dtype, variant=None):
    """Runs STEPS L-BFGS steps; returns (params, losses, evals, counters).

    params/losses: STEPS + 1 rows, the point after k steps and the loss there;
    evals: per step, the closure evaluations [point, loss, grad] in call order;
    counters: per step, [n_iter, func_evals] from the optimizer's state after the step.
    """
    init, loss_fn, grad_fn = PROBLEMS[problem]
    work = F64 if variant == "float64" else dtype
    p = torch.tensor(init, dtype=work, requires_grad=True)
    opt = config.make(p, problem)
    rng = random.Random(1234)
    evals = []
    calls = [0]

    def closure():
        p.grad = None
        loss = loss_fn(p)
        if variant == "rounded64":
            p64 = p.detach().double().requires_grad_(True)
            loss_fn(p64).backward()
            p.grad = p64.grad.float()
        else:
            loss.backward()
        with torch.no_grad():
            if variant == "analytic32" or variant == "analytic64":
                p.grad = grad_fn(p.detach())
            elif variant in ULP_VARIANTS:
                p.grad = p.grad * ulp_factors(variant, calls[0], p.numel(), rng)
            elif variant in ("ulp64+1", "ulp64-1"):
                p.grad = p.grad * ulp64_factors(variant, p.numel())
        calls[0] += 1
        assert p.grad.dtype == work and loss.dtype == work
        evals[-1].append([[float(v) for v in p.detach().tolist()], float(loss.item()),
                          [float(v) for v in p.grad.tolist()]])
        return loss

    params = [[float(v) for v in p.detach().tolist()]]
    with torch.no_grad():
        losses = [float(loss_fn(p.detach()).item())]
    counters = []
    for _ in range(STEPS):
        evals.append([])
        opt.step(closure)
        state = opt.state[p]
        counters.append([int(state["n_iter"]), int(state["func_evals"])])
        params.append([float(v) for v in p.detach().tolist()])
        with torch.no_grad():
            losses.append(float(loss_fn(p.detach()).item()))
    return params, losses, evals, counters


def run(config, problem, run_id, dtype):
    params, losses, evals, counters = trajectory(config, problem, dtype)
    if not (finite(params) and finite(losses)):
        sys.exit("%s (%s) is not finite: choose a smaller lr for %s" % (run_id, config.spec(problem), problem))
    variants = PERTURBED32 if dtype == F32 else PERTURBED64
    sens = sensitivity(params, (trajectory(config, problem, dtype, variant)[0] for variant in variants))
    return {
        "id": run_id,
        "optimizer": config.spec(problem),
        "problem": problem,
        "steps": STEPS,
        "chaotic": max(sens) > CHAOTIC_THRESHOLD,
        "params": params,
        "loss": losses,
        "sensitivity": three_digits(sens),
        "counters": counters,
        "evals": evals,
    }


def write(name, dtype, runs):
    path = os.path.join(OUT_DIR, name + ".json")
    head = json.dumps({"generator": "tools/golden/lbfgs.py", "torch_version": torch.__version__,
                       "dtype": "float32" if dtype == F32 else "float64"})
    lines = [json.dumps(r, separators=(",", ":"), allow_nan=False) for r in runs]
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write(head[:-1] + ', "runs": [\n' + ",\n".join(lines) + "\n]}\n")
    with open(path, encoding="ascii") as f:  # read back: exact round trip
        back = json.load(f)
    for r, b in zip(runs, back["runs"]):
        assert r["params"] == b["params"] and r["evals"] == b["evals"]
        if dtype == F32:
            assert all(torch.tensor(v, dtype=F32).item() == v for row in b["params"] for v in row)
    return path


def main():
    set_up_torch()
    for name, dtype in (("lbfgs", F32), ("lbfgs64", F64)):
        runs = []
        for n, config in enumerate(CONFIGS, 1):
            for problem in PROBLEM_ORDER:
                runs.append(run(config, problem, "lbfgs-%d-%s" % (n, problem), dtype))
        path = write(name, dtype, runs)
        print("%s: %d runs" % (os.path.relpath(path), len(runs)))
        print("%-22s %-8s %9s %6s %6s %12s  %s" % ("id", "chaotic", "max sens", "evals", "n_iter", "final loss",
                                                   "optimizer"))
        for r in runs:
            print("%-22s %-8s %9.2e %6d %6d %12.4e  %s" % (r["id"], r["chaotic"], max(r["sensitivity"]),
                                                          r["counters"][-1][1], r["counters"][-1][0],
                                                          r["loss"][-1], r["optimizer"]))


if __name__ == "__main__":
    main()
