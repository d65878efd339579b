"""Makes the residual fixtures: test/fixtures/torch-residual-mlp.onnx and examples/digits-resnet/model.onnx,
PyTorch networks with residual blocks exported by torch.onnx.export in eval mode (opset 13), and their
references (test/fixtures/torch-residual-reference.json): seeded inputs with PyTorch's own outputs, and for the
MLP the largest gradient norm of output 0 that PyTorch's autograd finds by projected gradient ascent on the unit
ball (64 starts x 200 steps): an upper bound on Lip(f_0) that is below it is wrong.

- the MLP: Linear(6, 8), ReLU, then x + W2 relu(W1 x) (small weights), ReLU, then x + W4 relu(x) (a
  pre-activation block), then Linear(8, 3);
- the digits ResNet (8 x 8 digits, examples/digits/): Conv(1 -> 4, 3, pad 1), ReLU, then
  x + Conv(BN(ReLU(Conv(x)))) ... as torch writes a basic block (Conv, BatchNorm2d, ReLU, Conv, Add), ReLU,
  MaxPool 2, Flatten, Linear(64, 10), trained on the shipped digits.

The fixture only: PyTorch is not a dependency of robustlaw. Run with Debian's python3-torch and python3-onnx:
    apt-get install python3-torch python3-onnx && /usr/bin/python3 scripts/make-torch-residual.py
"""
import gzip
import json

import numpy as np
import torch
from torch import nn

torch.manual_seed(2029)


class Block(nn.Module):
    def __init__(self, body):
        super().__init__()
        self.body = body

    def forward(self, x):
        return x + self.body(x)


mlp = nn.Sequential(
    nn.Linear(6, 8), nn.ReLU(),
    Block(nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 8))), nn.ReLU(),
    Block(nn.Sequential(nn.ReLU(), nn.Linear(8, 8))),
    nn.Linear(8, 3),
)
with torch.no_grad():
    for block in (mlp[2], mlp[4]):
        for p in block.parameters():
            p.mul_(0.2)
mlp.eval()
X = torch.randn(16, 6)
torch.onnx.export(mlp, X[:1], 'test/fixtures/torch-residual-mlp.onnx', opset_version=13, input_names=['input'], output_names=['output'],
                  dynamic_axes={'input': {0: 'batch'}, 'output': {0: 'batch'}}, do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL)


def ascent(f, d, starts=64, steps=200):
    """Largest ||grad f_0|| found by projected gradient ascent of ||grad f_0||^2 (finite differences of the gradient)."""
    best = 0.0
    g = torch.Generator().manual_seed(7)
    for _ in range(starts):
        x = torch.randn(d, generator=g)
        x = x / x.norm() * torch.rand(1, generator=g)
        for _ in range(steps):
            x.requires_grad_(True)
            gr, = torch.autograd.grad(f(x[None])[0, 0], x)
            best = max(best, gr.norm().item())
            # move along the gradient and a random direction; stay in the unit ball
            with torch.no_grad():
                x = x + 0.05 * gr / (gr.norm() + 1e-12) + 0.02 * torch.randn(d, generator=g)
                if x.norm() > 1:
                    x = x / x.norm()
    return best


mlp_best = ascent(mlp, 6)

rows = np.loadtxt(gzip.open('examples/digits/digits.csv.gz', 'rt'), delimiter=',')
DX = torch.tensor(rows[:, :64] / 16, dtype=torch.float32).reshape(-1, 1, 8, 8)
Dy = torch.tensor(rows[:, 64], dtype=torch.long)
TEST = 200
train = len(DX) - TEST
body = nn.Sequential(
    nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(),
    Block(nn.Sequential(nn.Conv2d(4, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1))), nn.ReLU(),
    nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64, 10),
)
opt = torch.optim.Adam(body.parameters(), lr=3e-3)
for epoch in range(25):
    perm = torch.randperm(train)
    for i in range(0, train, 64):
        idx = perm[i:i + 64]
        opt.zero_grad()
        nn.functional.cross_entropy(body(DX[idx]), Dy[idx]).backward()
        opt.step()
body.eval()
with torch.no_grad():
    acc = (body(DX[train:]).argmax(1) == Dy[train:]).float().mean().item()
print(f'digits resnet held-out accuracy {acc:.3f}')
torch.onnx.export(body, DX[:1], 'examples/digits-resnet/model.onnx', opset_version=13, input_names=['input'], output_names=['logits'],
                  dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}}, do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL)
K = 16
with torch.no_grad():
    ref = {
        'source': 'scripts/make-torch-residual.py: PyTorch (float32, eval mode)',
        'mlp': {'inputs': X.double().tolist(), 'outputs': mlp(X).double().tolist(), 'ascentGradNorm': mlp_best},
        'resnet': {'inputs': DX[train:train + K].reshape(K, 64).double().tolist(), 'logits': body(DX[train:train + K]).double().tolist(), 'accuracy': acc},
    }
with open('test/fixtures/torch-residual-reference.json', 'w') as f:
    json.dump(ref, f)
    f.write('\n')
import onnx
for path in ('test/fixtures/torch-residual-mlp.onnx', 'examples/digits-resnet/model.onnx'):
    print(path, [n.op_type for n in onnx.load(path).graph.node])
print('mlp ascent', mlp_best)
