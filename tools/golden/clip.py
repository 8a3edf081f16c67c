#!/usr/bin/python3
"""Regenerate the gradient-clipping golden file of descent-optim from PyTorch 1.13.

Run from anywhere:  nice -n 19 /usr/bin/python3 tools/golden/clip.py
Writes descent-optim/src/test/resources/golden/clip.json (see README.md next to this file).

Each configuration is a seeded list of float32 parameters of odd shapes, some without a gradient, and one
clipping call: torch.nn.utils.clip_grad_norm_ (norm types 0.5, 1, 2, 3.5, inf; max_norm above and below the
norm; non-finite gradients with error_if_nonfinite off and on), clip_grad_value_, or adaptive gradient
clipping as timm's adaptive_clip_grad (copied below, since timm is not a dependency).
"""
import json
import math
import os

import torch
from torch.nn.utils import clip_grad_norm_, clip_grad_value_

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "descent-optim", "src", "test", "resources", "golden", "clip.json")


def unitwise_norm(x, norm_type=2.0):
    """timm.utils.agc.unitwise_norm: whole-tensor norm for 0-D/1-D, else one norm per output unit (dim 0)."""
    if x.ndim <= 1:
        return x.norm(norm_type)
    return x.norm(norm_type, dim=tuple(range(1, x.ndim)), keepdim=True)


def adaptive_clip_grad(parameters, clip_factor=0.01, eps=1e-3, norm_type=2.0):
    """timm.utils.agc.adaptive_clip_grad (Brock et al. 2021, unit-wise), verbatim."""
    for p in parameters:
        if p.grad is None:
            continue
        p_data = p.detach()
        g_data = p.grad.detach()
        max_norm = unitwise_norm(p_data, norm_type=norm_type).clamp_(min=eps).mul_(clip_factor)
        grad_norm = unitwise_norm(g_data, norm_type=norm_type)
        clipped_grad = g_data * (max_norm / grad_norm.clamp(min=1e-6))
        new_grads = torch.where(grad_norm < max_norm, g_data, clipped_grad)
        p.grad.detach().copy_(new_grads)


def num(x):
    """A float32 value as JSON: the repr of the exactly equal double, or "nan" / "inf" / "-inf"."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def norm_name(p):
    return "inf" if p == math.inf else p


SHAPES = [[7], [3, 5], [1], [4, 3, 3], [2, 1, 5, 3], [13]]


def make_params(seed, grad_scale, no_grad, zero_rows=(), nonfinite=None):
    g = torch.Generator().manual_seed(seed)
    params = []
    for i, shape in enumerate(SHAPES):
        p = torch.nn.Parameter(torch.randn(shape, generator=g, dtype=torch.float32) * 0.5)
        if i in zero_rows:
            with torch.no_grad():
                p.view(p.shape[0], -1)[0].zero_()  # a unit whose parameter norm is below eps
        if i not in no_grad:
            p.grad = torch.randn(shape, generator=g, dtype=torch.float32) * grad_scale[i % len(grad_scale)]
            if i in zero_rows:
                p.grad.view(p.shape[0], -1)[-1].mul_(1e-4)  # a unit whose gradient is below the limit
        params.append(p)
    if nonfinite is not None:
        index, position, value = nonfinite
        params[index].grad.view(-1)[position] = value
    return params


def describe(params):
    return [{"name": "p%d" % i, "shape": list(p.shape), "values": [num(v) for v in p.detach().view(-1).tolist()],
             "grad": None if p.grad is None else [num(v) for v in p.grad.view(-1).tolist()]}
            for i, p in enumerate(params)]


def clipped(params):
    return [None if p.grad is None else [num(v) for v in p.grad.view(-1).tolist()] for p in params]


def norm_run(rid, seed, norm_type, max_norm, grad_scale=(1.0,), no_grad=(), nonfinite=None, error=False):
    params = make_params(seed, grad_scale, no_grad, nonfinite=nonfinite)
    run = {"id": rid, "kind": "norm", "norm_type": norm_name(norm_type), "max_norm": max_norm,
           "error_if_nonfinite": error, "params": describe(params)}
    try:
        total = clip_grad_norm_(params, max_norm, norm_type, error_if_nonfinite=error)
    except RuntimeError as e:
        run["error"] = str(e)
        return run
    coef = torch.clamp(max_norm / (total + 1e-6), max=1.0)  # the float32 factor torch multiplies by
    run.update({"total_norm": num(total.item()), "clip_coef": num(coef.item()), "clipped": clipped(params)})
    return run


def value_run(rid, seed, clip_value, grad_scale=(1.0,), no_grad=(), nonfinite=None):
    params = make_params(seed, grad_scale, no_grad, nonfinite=nonfinite)
    run = {"id": rid, "kind": "value", "clip_value": clip_value, "params": describe(params)}
    clip_grad_value_(params, clip_value)
    run["clipped"] = clipped(params)
    return run


def agc_run(rid, seed, clip_factor, eps, grad_scale=(1.0,), no_grad=(), zero_rows=()):
    params = make_params(seed, grad_scale, no_grad, zero_rows=zero_rows)
    run = {"id": rid, "kind": "agc", "clip_factor": clip_factor, "eps": eps, "params": describe(params)}
    adaptive_clip_grad(params, clip_factor, eps)
    run["clipped"] = clipped(params)
    return run


def main():
    runs = []
    seed = 100
    for norm_type in (0.5, 1.0, 2.0, 3.5, math.inf):
        # max_norm far below the norm (clips), just below, and above (coefficient clamped to 1)
        for tag, max_norm, scales, no_grad in (("below", 0.25, (1.0, 3.0, 0.01), (2,)),
                                               ("near", None, (0.2, 1.0), (0, 5)),
                                               ("above", 1e5, (1.0, 0.5, 2.0), (3,))):
            seed += 1
            if max_norm is None:  # 0.9 times the norm: clips a little
                probe = make_params(seed, scales, no_grad)
                max_norm = float(clip_grad_norm_(probe, math.inf, norm_type)) * 0.9
                max_norm = float("%.6g" % max_norm)
            runs.append(norm_run("norm-%s-%s" % (norm_name(norm_type), tag), seed, norm_type, max_norm, scales, no_grad))
    runs.append(norm_run("norm-2-all-without-grad", 200, 2.0, 1.0, no_grad=tuple(range(len(SHAPES)))))
    runs.append(norm_run("norm-2-tiny", 201, 2.0, 1.0, grad_scale=(1e-17,)))
    runs.append(norm_run("norm-2-zero-max", 202, 2.0, 0.0))
    for norm_type in (2.0, math.inf):
        for tag, value in (("nan", math.nan), ("inf", math.inf)):
            for error in (False, True):
                runs.append(norm_run("norm-%s-%s-%s" % (norm_name(norm_type), tag, "error" if error else "scale"),
                                     210, norm_type, 1.0, nonfinite=(3, 7, value), error=error))
    runs.append(value_run("value-0.5", 300, 0.5, no_grad=(1,)))
    runs.append(value_run("value-2", 301, 2.0, grad_scale=(1.0, 4.0)))
    runs.append(value_run("value-0", 302, 0.0))
    runs.append(value_run("value-nan-inf", 303, 0.3, nonfinite=(4, 2, math.inf)))
    runs.append(agc_run("agc-0.01", 400, 0.01, 1e-3, grad_scale=(0.001, 0.01, 0.1), no_grad=(5,), zero_rows=(1, 3)))
    runs.append(agc_run("agc-0.1", 401, 0.1, 1e-3, grad_scale=(0.01, 0.1), zero_rows=(0, 4)))
    runs.append(agc_run("agc-eps-0.5", 402, 0.05, 0.5, grad_scale=(0.03,), zero_rows=(1, 3)))

    with open(OUT, "w") as f:
        f.write('{"generator": "tools/golden/clip.py", "torch_version": %s, "dtype": "float32", "runs": [\n'
                % json.dumps(torch.__version__))
        f.write(",\n".join(json.dumps(r, allow_nan=False) for r in runs))
        f.write("\n]}\n")
    # read back: every float32 value survives the trip
    with open(OUT) as f:
        back = json.load(f)
    assert len(back["runs"]) == len(runs)
    for r in runs:
        print("%-28s %s" % (r["id"], "error" if "error" in r else
                            ("norm=%s coef=%s" % (r["total_norm"], r["clip_coef"]) if r["kind"] == "norm" else "")))
    print("wrote %d runs to %s" % (len(runs), OUT))


if __name__ == "__main__":
    main()
