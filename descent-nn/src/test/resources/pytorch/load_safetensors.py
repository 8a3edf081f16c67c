"""Loads weights that descent wrote in the safetensors format into a PyTorch module and prints its outputs.

usage: load_safetensors.py WEIGHTS INPUT MODULE [WEIGHTS INPUT MODULE ...]
  WEIGHTS  a .safetensors file of the module's state dict, loaded with load_state_dict(strict=True)
  INPUT    a .safetensors file holding one tensor "x", the batch to run the module on in eval mode
  MODULE   a Python expression building the module, such as "nn.Sequential(nn.Flatten(), nn.Linear(16, 3))"
Prints the outputs of each module, one value per line, in row-major order, as Python floats (exact for
float32), then a line "end".

The file is read by the format's definition (an 8-byte little-endian header length, a JSON header of
dtype, shape and data_offsets, then the raw little-endian data), or with safetensors.torch.load_file when the
safetensors package is installed, so that the check needs nothing but PyTorch.
"""
import json
import struct
import sys

import torch
from torch import nn


def read_by_definition(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    data = raw[8 + n:]
    tensors = {}
    for name, entry in header.items():
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: {name} has dtype {entry['dtype']}, expected F32")
        begin, end = entry["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(entry["shape"])
    return tensors


try:
    from safetensors.torch import load_file
except ImportError:
    load_file = read_by_definition


def main():
    args = sys.argv[1:]
    for i in range(0, len(args), 3):
        weights, inputs, expression = args[i:i + 3]
        module = eval(expression, {"nn": nn, "torch": torch})
        module.load_state_dict(load_file(weights), strict=True)
        module.eval()
        with torch.no_grad():
            y = module(load_file(inputs)["x"])
        for v in y.reshape(-1).tolist():
            print(repr(v))
        print("end")


if __name__ == "__main__":
    main()
