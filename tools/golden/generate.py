#!/usr/bin/python3
"""Regenerate the optimizer golden files of descent-optim from PyTorch 1.13.

Run from anywhere:  /usr/bin/python3 tools/golden/generate.py
Writes descent-optim/src/test/resources/golden/<algorithm>.json (see README.md next to this file),
then prints a summary table and two float64 cross-checks that are not written anywhere.
"""
import json
import math
import os
import random
import struct
import sys

import torch

STEPS = 100
CHAOTIC_THRESHOLD = 1e-5    # a run is "chaotic" when its sensitivity exceeds this at some step
REL_FLOOR = 1e-3            # relative errors are |a - b| / max(|b|, REL_FLOOR)
ULP = 2.0 ** -23            # float32 ulp of 1.0

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(REPO, "descent-optim", "src", "test", "resources", "golden")

F32 = torch.float32


def set_up_torch():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    torch.set_default_dtype(F32)


# ---------------------------------------------------------------- problems (DESIGN.md, `descent trace`)

def rosenbrock(p):
    x, y = p[0], p[1]
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def rosenbrock_grad(p):  # analytic, float32 torch ops (used only as a perturbation)
    x, y = p[0], p[1]
    r = y - x * x
    return torch.stack([-2 * (1 - x) - 400 * x * r, 200 * r])


def beale(p):
    x, y = p[0], p[1]
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2


def beale_grad(p):
    x, y = p[0], p[1]
    y2 = y * y
    y3 = y2 * y
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y2
    c = 2.625 - x + x * y3
    gx = 2 * a * (y - 1) + 2 * b * (y2 - 1) + 2 * c * (y3 - 1)
    gy = 2 * a * x + 2 * b * (2 * x * y) + 2 * c * (3 * x * y2)
    return torch.stack([gx, gy])


def himmelblau(p):
    x, y = p[0], p[1]
    return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


def himmelblau_grad(p):
    x, y = p[0], p[1]
    a = x * x + y - 11
    b = x + y * y - 7
    return torch.stack([4 * x * a + 2 * b, 2 * a + 4 * y * b])


QUAD_C = (1.0, 10.0, 100.0, 1000.0)


def quadratic(p):
    return 0.5 * torch.sum(torch.tensor(QUAD_C, dtype=p.dtype) * p ** 2)


def quadratic_grad(p):
    return torch.tensor(QUAD_C, dtype=p.dtype) * p


# name -> (init, loss in float32 torch ops, analytic float32 gradient)
PROBLEMS = {
    "rosenbrock": ((-1.5, 2.0), rosenbrock, rosenbrock_grad),
    "beale": ((1.0, 1.5), beale, beale_grad),
    "himmelblau": ((0.0, 0.0), himmelblau, himmelblau_grad),
    "quadratic": ((1.0, 1.0, 1.0, 1.0), quadratic, quadratic_grad),
}
PROBLEM_ORDER = ["rosenbrock", "beale", "himmelblau", "quadratic"]


# ---------------------------------------------------------------- configurations

class Config:
    """One optimizer configuration, run on every problem.

    spec_name/options: what goes into the spec string, in order (lr always first);
    torch_cls/torch_extra: how it is built in PyTorch (options are passed too);
    lr: a float for every problem, or a dict problem -> float.
    """

    def __init__(self, file, spec_name, torch_cls, lr, options=(), torch_extra=None):
        self.file = file
        self.spec_name = spec_name
        self.torch_cls = torch_cls
        self.lr = lr
        self.options = list(options)
        self.torch_extra = dict(torch_extra or {})

    def lr_for(self, problem):
        return self.lr[problem] if isinstance(self.lr, dict) else self.lr

    def spec(self, problem):
        args = [("lr", self.lr_for(problem))] + self.options
        return "%s(%s)" % (self.spec_name, ", ".join("%s=%s" % (k, spec_value(v)) for k, v in args))

    def make(self, param, problem):
        kwargs = dict(self.options)
        kwargs.update(self.torch_extra)
        opt = self.torch_cls([param], lr=self.lr_for(problem), **kwargs)
        group = opt.param_groups[0]  # the spec says what torch was given
        for key, value in [("lr", self.lr_for(problem))] + list(kwargs.items()):
            assert group[key] == value, (self.spec(problem), key, group[key])
        return opt


def spec_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (tuple, list)):
        return "(%s)" % ", ".join(spec_value(x) for x in v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, int):
        return str(v)
    raise TypeError(v)


def per_problem(rosenbrock, beale, himmelblau, quadratic):
    return {"rosenbrock": rosenbrock, "beale": beale, "himmelblau": himmelblau, "quadratic": quadratic}


SGD_LR = per_problem(0.001, 0.01, 0.01, 0.0015)
SGD_MOM_LR = per_problem(0.0005, 0.002, 0.002, 0.0005)
NADAM_LR = per_problem(0.03, 0.04, 0.04, 0.04)
RADAM_LR = per_problem(0.002, 0.02, 0.02, 0.0015)  # SGD-sized: the first five steps are plain momentum
optim = torch.optim

CONFIGS = [
    # sgd.json also holds the momentum and nag aliases
    Config("sgd", "sgd", optim.SGD, SGD_LR),
    Config("sgd", "sgd", optim.SGD, SGD_MOM_LR, [("momentum", 0.9), ("dampening", 0.1)]),
    Config("sgd", "sgd", optim.SGD, SGD_MOM_LR, [("momentum", 0.8), ("nesterov", True)]),
    Config("sgd", "sgd", optim.SGD, SGD_LR, [("momentum", 0.5), ("weight_decay", 0.1)]),
    Config("sgd", "sgd", optim.SGD, per_problem(5e-06, 1e-05, 0.001, 2e-05), [("maximize", True)]),
    Config("sgd", "momentum", optim.SGD, SGD_MOM_LR, torch_extra={"momentum": 0.9}),
    Config("sgd", "nag", optim.SGD, SGD_MOM_LR, torch_extra={"momentum": 0.9, "nesterov": True}),

    Config("adagrad", "adagrad", optim.Adagrad, 0.2),
    Config("adagrad", "adagrad", optim.Adagrad, 0.3, [("lr_decay", 0.01), ("initial_accumulator_value", 0.1)]),
    Config("adagrad", "adagrad", optim.Adagrad, 0.2, [("weight_decay", 0.1)]),
    Config("adagrad", "adagrad", optim.Adagrad, 0.2, [("eps", 0.1)]),
    Config("adagrad", "adagrad", optim.Adagrad, 0.05, [("maximize", True)]),

    Config("rmsprop", "rmsprop", optim.RMSprop, 0.01),
    Config("rmsprop", "rmsprop", optim.RMSprop, 0.01, [("centered", True)]),
    Config("rmsprop", "rmsprop", optim.RMSprop, 0.002, [("momentum", 0.9)]),
    Config("rmsprop", "rmsprop", optim.RMSprop, 0.004, [("momentum", 0.5), ("centered", True)]),
    Config("rmsprop", "rmsprop", optim.RMSprop, 0.01, [("weight_decay", 0.1)]),
    Config("rmsprop", "rmsprop", optim.RMSprop, per_problem(0.002, 0.02, 0.02, 0.02), [("alpha", 0.9), ("eps", 0.001)]),
    Config("rmsprop", "rmsprop", optim.RMSprop, 0.0025, [("maximize", True)]),

    Config("adadelta", "adadelta", optim.Adadelta, 1.0),
    Config("adadelta", "adadelta", optim.Adadelta, 1.0, [("rho", 0.5), ("eps", 0.0001)]),
    Config("adadelta", "adadelta", optim.Adadelta, 1.0, [("weight_decay", 0.1)]),
    Config("adadelta", "adadelta", optim.Adadelta, per_problem(1.5, 5.0, 5.0, 5.0)),
    Config("adadelta", "adadelta", optim.Adadelta, 0.5, [("maximize", True)]),

    Config("adam", "adam", optim.Adam, 0.04),
    Config("adam", "adam", optim.Adam, 0.04, [("amsgrad", True)]),
    Config("adam", "adam", optim.Adam, 0.04, [("weight_decay", 0.1)]),
    Config("adam", "adam", optim.Adam, 0.04, [("betas", (0.8, 0.99)), ("eps", 0.001)]),
    Config("adam", "adam", optim.Adam, 0.005, [("maximize", True)]),
    Config("adam", "adam", optim.Adam, 0.005, [("weight_decay", 0.1), ("amsgrad", True), ("maximize", True)]),

    # foreach=True selects 1.13's correct NAdam path (see README.md)
    Config("nadam", "nadam", optim.NAdam, NADAM_LR, [("foreach", True)]),
    Config("nadam", "nadam", optim.NAdam, NADAM_LR, [("momentum_decay", 0.05), ("foreach", True)]),
    Config("nadam", "nadam", optim.NAdam, NADAM_LR, [("weight_decay", 0.1), ("foreach", True)]),

    # AdamW's weight_decay defaults to 0.01, so the first two configurations decay too
    Config("adamw", "adamw", optim.AdamW, 0.04),
    Config("adamw", "adamw", optim.AdamW, 0.04, [("amsgrad", True)]),
    Config("adamw", "adamw", optim.AdamW, 0.04, [("betas", (0.8, 0.99)), ("eps", 0.001), ("weight_decay", 0.5)]),
    Config("adamw", "adamw", optim.AdamW, 0.04, [("weight_decay", 0.0)]),
    Config("adamw", "adamw", optim.AdamW, 0.005, [("maximize", True)]),
    Config("adamw", "adamw", optim.AdamW, 0.005, [("weight_decay", 0.1), ("amsgrad", True), ("maximize", True)]),

    Config("adamax", "adamax", optim.Adamax, 0.04),
    Config("adamax", "adamax", optim.Adamax, 0.04, [("betas", (0.8, 0.99)), ("eps", 0.001)]),
    Config("adamax", "adamax", optim.Adamax, 0.04, [("weight_decay", 0.1)]),
    Config("adamax", "adamax", optim.Adamax, 0.005, [("maximize", True)]),

    # rho_inf = 2 / (1 - beta2) - 1: 1999 with the default beta2 and 19 with beta2 = 0.9 (both rectified
    # from step 6 on), 3 with beta2 = 0.5 (never: plain momentum throughout, which is chaotic on Beale at 0.02)
    Config("radam", "radam", optim.RAdam, RADAM_LR),
    Config("radam", "radam", optim.RAdam, RADAM_LR, [("betas", (0.8, 0.9)), ("eps", 0.001)]),
    Config("radam", "radam", optim.RAdam, RADAM_LR, [("weight_decay", 0.1)]),
    Config("radam", "radam", optim.RAdam, dict(RADAM_LR, beale=0.005), [("betas", (0.9, 0.5))]),

    # ax, the average, is recorded too (RECORDED_STATE); t0 = 20 starts averaging at step 23
    Config("asgd", "asgd", optim.ASGD, SGD_LR),
    Config("asgd", "asgd", optim.ASGD, SGD_LR, [("lambd", 0.1), ("alpha", 0.5)]),
    Config("asgd", "asgd", optim.ASGD, SGD_LR, [("t0", 20.0)]),
    Config("asgd", "asgd", optim.ASGD, SGD_LR, [("lambd", 0.01), ("alpha", 1.0), ("t0", 50.0), ("weight_decay", 0.1)]),
    Config("asgd", "asgd", optim.ASGD, per_problem(5e-06, 1e-05, 0.001, 2e-05), [("maximize", True)]),

    Config("rprop", "rprop", optim.Rprop, 0.01),
    Config("rprop", "rprop", optim.Rprop, 0.05, [("etas", (0.3, 1.5)), ("step_sizes", (0.001, 0.5))]),
    Config("rprop", "rprop", optim.Rprop, 0.001, [("step_sizes", (1e-06, 0.01)), ("maximize", True)]),
]

# per-parameter state recorded after every step besides the point, by torch class: ASGD's average never
# feeds back into the point, so its trajectory alone would not check it
RECORDED_STATE = {optim.ASGD: ("ax",)}


# ---------------------------------------------------------------- running

ULP_VARIANTS = ["ulp+1", "ulp-1", "ulp+-2", "ulp-random3"]
# Each perturbed run re-runs the whole configuration with one change; the sensitivity is how far it lands
# from the reference. See README.md.
PERTURBED = ULP_VARIANTS + ["analytic32", "rounded64", "float64"]


def ulp_factors(variant, step, dim, rng):
    """Multiplicative float32 factors for the gradient of perturbed run `variant` at `step`."""
    if variant == "ulp+1":
        f = [1 + ULP] * dim
    elif variant == "ulp-1":
        f = [1 - ULP] * dim
    elif variant == "ulp+-2":
        f = [1 + (-1) ** (i + step) * 2 * ULP for i in range(dim)]
    elif variant == "ulp-random3":
        f = [1 + rng.choice((-3, -2, -1, 1, 2, 3)) * ULP for _ in range(dim)]
    else:
        raise ValueError(variant)
    return torch.tensor(f, dtype=F32)


def trajectory(config, problem, variant=None, replay_grads=None, state=None):
    """Runs config on problem for STEPS steps and returns (params, losses, grads), one row per step 0..STEPS.

    variant None is the reference: float32, autograd gradient. Perturbed runs (PERTURBED):
      ulp+1, ulp-1, ulp+-2, ulp-random3: the autograd gradient times (1 + j * 2^-23), j in -3..3;
      analytic32: the hand-written float32 gradient formula (other operation order than autograd);
      rounded64: the float64 autograd gradient at the float32 point, rounded to float32;
      float64: everything (point, loss, gradient, optimizer state) in float64.
    replay_grads: feed these gradients instead of computing any (in float64: optimizer rounding only).
    state: a dict to fill with the rows of each RECORDED_STATE tensor (row 0 its initial value, zeros).
    """
    init, loss_fn, grad_fn = PROBLEMS[problem]
    dtype = torch.float64 if variant == "float64" or replay_grads is not None else F32
    p = torch.tensor(init, dtype=dtype, requires_grad=True)
    opt = config.make(p, problem)
    rng = random.Random(1234)
    params, losses, grads = [], [], []
    recorded = RECORDED_STATE.get(config.torch_cls, ())
    if state is not None:
        state.update((name, [[0.0] * p.numel()]) for name in recorded)
    for k in range(STEPS + 1):
        p.grad = None
        loss = None
        if replay_grads is not None:
            p.grad = torch.tensor(replay_grads[k], dtype=dtype)
        elif variant == "rounded64":
            p64 = p.detach().double().requires_grad_(True)
            with torch.enable_grad():
                loss_fn(p64).backward()
            p.grad = p64.grad.float()
        else:
            with torch.enable_grad():
                loss = loss_fn(p)
                loss.backward()
            if variant == "analytic32":
                with torch.no_grad():
                    p.grad = grad_fn(p.detach())
            elif variant in ULP_VARIANTS:
                with torch.no_grad():
                    p.grad = p.grad * ulp_factors(variant, k, p.numel(), rng)
            assert variant is not None or (p.grad.dtype == F32 and loss.dtype == F32)
        params.append([float(v) for v in p.detach().tolist()])
        losses.append(None if loss is None else float(loss.item()))
        grads.append([float(v) for v in p.grad.tolist()])  # before step(): foreach NAdam edits p.grad
        if k < STEPS:
            opt.step()
            if state is not None:
                for name in recorded:
                    state[name].append([float(v) for v in opt.state[p][name].tolist()])
    return params, losses, grads


def rel_err(a, ref):
    return abs(a - ref) / max(abs(ref), REL_FLOOR)


def finite(rows):
    return all(math.isfinite(v) for row in rows for v in (row if isinstance(row, list) else [row]))


def distance(rows, ref):
    """Per step: max over components of rel_err(rows, ref); inf where rows are not finite."""
    return [max(rel_err(a, b) if math.isfinite(a) else math.inf for a, b in zip(row, rrow))
            for row, rrow in zip(rows, ref)]


def three_digits(values):
    return [float("%.3g" % v) for v in values]


def sensitivity(params, perturbed):
    """Per step: the largest distance from params of any of the perturbed trajectories."""
    sens = [0.0] * len(params)
    for other in perturbed:
        sens = [max(a, b) for a, b in zip(sens, distance(other, params))]
    return sens


def run(config, problem, run_id):
    state = {}
    params, losses, grads = trajectory(config, problem, state=state)
    if not (finite(params) and finite(losses) and finite(grads) and all(finite(rows) for rows in state.values())):
        sys.exit("%s (%s) is not finite: choose a smaller lr for %s" % (run_id, config.spec(problem), problem))
    sens = sensitivity(params, (trajectory(config, problem, variant)[0] for variant in PERTURBED))
    replayed, _, _ = trajectory(config, problem, replay_grads=grads)
    r = {
        "id": run_id,
        "optimizer": config.spec(problem),
        "problem": problem,
        "steps": STEPS,
        "chaotic": max(sens) > CHAOTIC_THRESHOLD,
        "params": params,
        "loss": losses,
        "grad": grads,
        "sensitivity": three_digits(sens),
        "replay_sensitivity": three_digits(distance(replayed, params)),
    }
    if state:
        r["state"] = state
    return r


def all_runs():
    counters = {}
    runs = {}
    for config in CONFIGS:
        counters[config.spec_name] = counters.get(config.spec_name, 0) + 1
        for problem in PROBLEM_ORDER:
            run_id = "%s-%d-%s" % (config.spec_name, counters[config.spec_name], problem)
            runs.setdefault(config.file, []).append((config, run(config, problem, run_id)))
    return runs


def write(file, runs):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, file + ".json")
    head = json.dumps({"generator": "tools/golden/generate.py", "torch_version": torch.__version__,
                       "dtype": "float32"})
    lines = [json.dumps(r, separators=(",", ":"), allow_nan=False) for _, r in runs]
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write(head[:-1] + ', "runs": [\n' + ",\n".join(lines) + "\n]}\n")
    with open(path, encoding="ascii") as f:  # read back: exact float32 round trip
        back = json.load(f)
    for (_, r), b in zip(runs, back["runs"]):
        tables = [(r[key], b[key]) for key in ("params", "grad")]
        tables += [(rows, b["state"][name]) for name, rows in r.get("state", {}).items()]
        for rows, brows in tables:
            for row, brow in zip(rows, brows):
                assert row == brow and all(torch.tensor(v, dtype=F32).item() == v for v in brow)
    return path


# ---------------------------------------------------------------- float64 cross-check (printed only)

def f64_grad(problem, p):
    if problem == "rosenbrock":
        x, y = p
        return [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)]
    if problem == "beale":
        x, y = p
        a, b, c = 1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y ** 3
        return [2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1),
                2 * a * x + 4 * b * x * y + 6 * c * x * y * y]
    if problem == "himmelblau":
        x, y = p
        a, b = x * x + y - 11, x + y * y - 7
        return [4 * x * a + 2 * b, 2 * a + 4 * y * b]
    return [c * w for c, w in zip(QUAD_C, p)]


def to_f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


class F64Step:
    """The update rules of torch/optim/*.py (1.13, paths used above), in double precision, plain Python."""

    def __init__(self, config, problem, dim):
        o = dict(config.options)
        o.update(config.torch_extra)
        self.name = config.torch_cls.__name__
        self.o = o
        self.lr = config.lr_for(problem)
        self.t = 0
        z = [0.0] * dim
        self.buf = None if self.name == "SGD" else list(z)
        self.a, self.b, self.c = list(z), list(z), list(z)
        if self.name == "Adagrad":
            self.a = [o.get("initial_accumulator_value", 0.0)] * dim
        if self.name == "Rprop":
            self.a = [self.lr] * dim  # step sizes
        self.mu_product = 1.0
        # ASGD's eta and mu are float32 tensors (torch.tensor(lr), torch.tensor(1.)) whatever the dtype of the params
        self.eta, self.mu = to_f32(self.lr), 1.0

    def __call__(self, p, g):
        o, lr, n = self.o, self.lr, len(p)
        self.t += 1
        t = self.t
        if o.get("maximize", False):
            g = [-v for v in g]
        wd = o.get("weight_decay", 1e-2 if self.name == "AdamW" else 0.0)
        if self.name == "AdamW":  # decoupled: the point shrinks first, the gradient is left alone
            p = [pi * (1 - lr * wd) for pi in p]
            wd = 0.0
        g = [gi + wd * pi for gi, pi in zip(g, p)]
        sqrt = math.sqrt
        if self.name == "Rprop":
            eta_minus, eta_plus = o.get("etas", (0.5, 1.2))
            size_min, size_max = o.get("step_sizes", (1e-6, 50))
            out = []
            for i in range(n):
                product = g[i] * self.b[i]
                factor = eta_plus if product > 0 else eta_minus if product < 0 else 1.0
                self.a[i] = min(max(self.a[i] * factor, size_min), size_max)
                gi = 0.0 if product < 0 else g[i]
                self.b[i] = gi
                out.append(p[i] - ((gi > 0) - (gi < 0)) * self.a[i])
            return out
        if self.name == "ASGD":
            lambd, alpha, t0 = o.get("lambd", 1e-4), o.get("alpha", 0.75), o.get("t0", 1e6)
            p = [pi * (1 - lambd * self.eta) - self.eta * gi for pi, gi in zip(p, g)]
            self.c = list(p) if self.mu == 1 else [ax + (pi - ax) * self.mu for ax, pi in zip(self.c, p)]
            self.eta = to_f32(lr / math.pow(1 + lambd * lr * t, alpha))
            self.mu = to_f32(1 / max(1, t - t0))
            return p
        if self.name == "SGD":
            m, d, nest = o.get("momentum", 0.0), o.get("dampening", 0.0), o.get("nesterov", False)
            if m != 0:
                if self.buf is None:
                    self.buf = list(g)
                else:
                    self.buf = [m * bi + (1 - d) * gi for bi, gi in zip(self.buf, g)]
                g = [gi + m * bi for gi, bi in zip(g, self.buf)] if nest else list(self.buf)
            return [pi - lr * gi for pi, gi in zip(p, g)]
        if self.name == "Adagrad":
            clr = lr / (1 + (t - 1) * o.get("lr_decay", 0.0))
            eps = o.get("eps", 1e-10)
            self.a = [s + gi * gi for s, gi in zip(self.a, g)]
            return [pi - clr * gi / (sqrt(s) + eps) for pi, gi, s in zip(p, g, self.a)]
        if self.name == "RMSprop":
            al, eps, m = o.get("alpha", 0.99), o.get("eps", 1e-8), o.get("momentum", 0.0)
            self.a = [al * s + (1 - al) * gi * gi for s, gi in zip(self.a, g)]
            if o.get("centered", False):
                self.b = [al * s + (1 - al) * gi for s, gi in zip(self.b, g)]
                avg = [sqrt(s - ga * ga) + eps for s, ga in zip(self.a, self.b)]
            else:
                avg = [sqrt(s) + eps for s in self.a]
            if m > 0:
                self.buf = [m * bi + gi / av for bi, gi, av in zip(self.buf, g, avg)]
                return [pi - lr * bi for pi, bi in zip(p, self.buf)]
            return [pi - lr * gi / av for pi, gi, av in zip(p, g, avg)]
        if self.name == "Adadelta":
            rho, eps = o.get("rho", 0.9), o.get("eps", 1e-6)
            self.a = [rho * s + (1 - rho) * gi * gi for s, gi in zip(self.a, g)]
            delta = [sqrt(ad + eps) / sqrt(s + eps) * gi for ad, s, gi in zip(self.b, self.a, g)]
            self.b = [rho * ad + (1 - rho) * de * de for ad, de in zip(self.b, delta)]
            return [pi - lr * de for pi, de in zip(p, delta)]
        b1, b2 = o.get("betas", (0.9, 0.999))
        eps = o.get("eps", 1e-8)
        self.a = [b1 * m + (1 - b1) * gi for m, gi in zip(self.a, g)]
        if self.name == "Adamax":
            self.b = [max(b2 * u, abs(gi) + eps) for u, gi in zip(self.b, g)]
            step = lr / (1 - b1 ** t)
            return [pi - step * m / u for pi, m, u in zip(p, self.a, self.b)]
        self.b = [b2 * v + (1 - b2) * gi * gi for v, gi in zip(self.b, g)]
        bc2 = 1 - b2 ** t
        if self.name == "RAdam":
            rho_inf = 2 / (1 - b2) - 1
            rho_t = rho_inf - 2 * t * b2 ** t / bc2
            m_hat = [m / (1 - b1 ** t) for m in self.a]
            if rho_t <= 5:  # plain momentum
                return [pi - lr * m for pi, m in zip(p, m_hat)]
            rect = sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            return [pi - lr * m * sqrt(bc2) / (sqrt(vi) + eps) * rect for pi, m, vi in zip(p, m_hat, self.b)]
        if self.name in ("Adam", "AdamW"):
            v = self.b
            if o.get("amsgrad", False):
                self.c = [max(c, vi) for c, vi in zip(self.c, self.b)]
                v = self.c
            step = lr / (1 - b1 ** t)
            return [pi - step * m / (sqrt(vi) / sqrt(bc2) + eps) for pi, m, vi in zip(p, self.a, v)]
        if self.name == "NAdam":  # the corrected (foreach) rule
            md = o.get("momentum_decay", 4e-3)
            mu = b1 * (1 - 0.5 * 0.96 ** (t * md))
            mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * md))
            # torch keeps mu_product in a float32 tensor (torch.tensor(1.)), whatever the dtype of the params
            self.mu_product = to_f32(self.mu_product * to_f32(mu))
            s1 = lr * (1 - mu) / (1 - self.mu_product)
            s2 = lr * mu_next / (1 - self.mu_product * mu_next)
            return [pi - s1 * gi / (sqrt(vi) / sqrt(bc2) + eps) - s2 * m / (sqrt(vi) / sqrt(bc2) + eps)
                    for pi, gi, m, vi in zip(p, g, self.a, self.b)]
        raise ValueError(self.name)


def f64_run(config, r, replay):
    """Rows of a plain-Python float64 run from r's start: replay=True feeds r's recorded gradients,
    replay=False computes its own float64 gradients (end to end)."""
    p = list(r["params"][0])
    step = F64Step(config, r["problem"], len(p))
    rows = [p]
    for k in range(1, STEPS + 1):
        g = r["grad"][k - 1] if replay else f64_grad(r["problem"], p)
        p = step(p, g)
        rows.append(p)
    return rows


# ---------------------------------------------------------------- main

def main():
    set_up_torch()
    runs = all_runs()
    total = 0
    for file, rs in runs.items():
        path = write(file, rs)
        size = os.path.getsize(path)
        total += size
        print("wrote %s (%d bytes, %d runs)" % (os.path.relpath(path, REPO), size, len(rs)))
    print("total %d bytes" % total)
    print()
    print("Columns: sens = max sensitivity; replay = max replay_sensitivity; rule = plain-Python float64 replay")
    print("vs torch's optimizer replayed in float64 (checks the update formulas); f64_e2e = plain-Python float64")
    print("run with its own float64 gradients vs the torch float32 trajectory (relative, floor 1e-3).")
    print()
    header = ("run", "chaotic", "sens", "replay", "final_loss", "rule", "f64_e2e", "optimizer")
    fmt = "%-24s %-7s %-8s %-8s %-12s %-8s %-8s %s"
    print(fmt % header)
    worst_rule, e2e_by_alg = (0.0, ""), {}
    for file, rs in runs.items():
        for config, r in rs:
            torch64, _, _ = trajectory(config, r["problem"], replay_grads=r["grad"])
            rule = max(distance(f64_run(config, r, True), torch64))
            e2e = max(distance(f64_run(config, r, False), r["params"]))
            worst_rule = max(worst_rule, (rule, r["id"]))
            if not r["chaotic"]:
                e2e_by_alg.setdefault(config.torch_cls.__name__, []).append((e2e, r["id"]))
            print(fmt % (r["id"], "yes" if r["chaotic"] else "no", "%.2g" % max(r["sensitivity"]),
                         "%.2g" % max(r["replay_sensitivity"]), "%.6g" % r["loss"][-1], "%.1g" % rule,
                         "%.2g" % e2e, r["optimizer"]))
    print()
    print("update rules: plain-Python float64 vs torch float64 replay, worst: %.3g (%s)" % worst_rule)
    print("plain-Python float64 end to end vs torch float32, non-chaotic runs:")
    for alg, rows in e2e_by_alg.items():
        e, rid = max(rows)
        print("  %-9s first %-24s %.3g   worst %-24s %.3g   (%d runs)" % (
            alg, rows[0][1], rows[0][0], rid, e, len(rows)))


if __name__ == "__main__":
    main()
