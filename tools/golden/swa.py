"""The numbers in WrapperTest.swaIsPytorchsSgdWithSwalrAndAveragedModel, from PyTorch 1.13.

SGD on the quadratic problem (0.5 * sum c_i w_i^2, c = (1, 10, 100, 1000), from all ones) with its analytic
float32 gradient, 30 steps; SWALR is built before step 11 (swa_start=10) and stepped after each later step,
and AveragedModel (equal weights) takes the weights after each of steps 11..30. Run with /usr/bin/python3.
"""
import warnings

import torch
from torch.optim.swa_utils import SWALR, AveragedModel

warnings.filterwarnings("ignore")
C = torch.tensor([1., 10., 100., 1000.])
for strategy, momentum, lr, swa_lr in [("cos", 0.9, 0.0015, 0.0005), ("linear", 0.0, 0.0015, 0.001)]:
    p = torch.nn.Parameter(torch.ones(4))
    opt = torch.optim.SGD([p], lr=lr, momentum=momentum)
    avg = AveragedModel(torch.nn.ParameterList([p]))
    swalr = None
    for t in range(1, 31):
        if t == 11:
            swalr = SWALR(opt, swa_lr=swa_lr, anneal_epochs=5, anneal_strategy=strategy)
        p.grad = (C * p.detach()).clone()
        opt.step()
        if t > 10:
            avg.update_parameters(torch.nn.ParameterList([p]))
            swalr.step()
    print(strategy, [float(x) for x in p.detach()], [float(x) for x in list(avg.parameters())[0].detach()])
