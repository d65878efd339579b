"""Makes examples/digits-cnn/model.onnx: a small PyTorch CNN of the shipped 8 x 8 digits (examples/digits/),
Conv -> ReLU -> MaxPool -> Conv -> ReLU -> AvgPool (padded: exported as Pad + AveragePool) -> Flatten -> Linear
-> Softmax, trained here and exported by torch.onnx.export in eval mode (opset 13), with 200 held-out digits as
digits-200.npy and test/fixtures/torch-cnn-reference.json: 16 of them with PyTorch's own logits.

The fixture only: PyTorch is not a dependency of robustlaw. Run with Debian's python3-torch and python3-onnx:
    apt-get install python3-torch python3-onnx && /usr/bin/python3 scripts/make-torch-cnn.py
"""
import gzip
import json
import os

import numpy as np
import torch
from torch import nn

torch.manual_seed(2028)
rows = np.loadtxt(gzip.open('examples/digits/digits.csv.gz', 'rt'), delimiter=',')
X = torch.tensor(rows[:, :64] / 16, dtype=torch.float32).reshape(-1, 1, 8, 8)
y = torch.tensor(rows[:, 64], dtype=torch.long)
TEST = 200
train = len(X) - TEST

body = nn.Sequential(
    nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(4, 8, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2, padding=1, count_include_pad=True),
    nn.Flatten(), nn.Linear(8 * 3 * 3, 10),
)
model = nn.Sequential(body, nn.Softmax(dim=1))
opt = torch.optim.Adam(body.parameters(), lr=5e-3)
for epoch in range(40):
    perm = torch.randperm(train)
    for i in range(0, train, 64):
        idx = perm[i:i + 64]
        opt.zero_grad()
        nn.functional.cross_entropy(body(X[idx]), y[idx]).backward()
        opt.step()
model.eval()
with torch.no_grad():
    acc = (body(X[train:]).argmax(1) == y[train:]).float().mean().item()
print(f'held-out accuracy {acc:.3f}')
os.makedirs('examples/digits-cnn', exist_ok=True)
torch.onnx.export(model, X[:1], 'examples/digits-cnn/model.onnx', opset_version=13, input_names=['input'], output_names=['probabilities'],
                  dynamic_axes={'input': {0: 'batch'}, 'probabilities': {0: 'batch'}}, do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL)
# held-out digits as .npy: n x 65 float32, pixels / 16 then the digit
held = np.concatenate([rows[train:, :64] / 16, rows[train:, 64:65]], axis=1).astype('<f4')
np.save('examples/digits-cnn/digits-200.npy', held)
K = 16
with torch.no_grad():
    ref = {
        'source': 'scripts/make-torch-cnn.py: PyTorch (float32, eval mode) on the first 16 rows of digits-200.npy',
        'inputs': X[train:train + K].reshape(K, 64).double().tolist(),
        'logits': body(X[train:train + K]).double().tolist(),
        'probabilities': model(X[train:train + K]).double().tolist(),
    }
with open('test/fixtures/torch-cnn-reference.json', 'w') as f:
    json.dump(ref, f)
    f.write('\n')
import onnx
m = onnx.load('examples/digits-cnn/model.onnx')
print('nodes:', [n.op_type for n in m.graph.node])
print('input:', [d.dim_value or d.dim_param for d in m.graph.input[0].type.tensor_type.shape.dim])
