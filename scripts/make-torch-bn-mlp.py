"""Makes examples/digits-bn-classifier/model.onnx: a PyTorch MLP with BatchNorm1d, Dropout and a softmax output,
trained on the shipped 8 x 8 digits (examples/digits/) and exported by torch.onnx.export in eval mode (opset 13:
Gemm, BatchNormalization, Relu, Gemm, Relu, Gemm, Softmax), and test/fixtures/torch-bn-mlp-reference.json: 16
held-out images with PyTorch's own logits and probabilities (the ONNX reader is tested against them).

The fixture only: PyTorch is not a dependency of robustlaw. Run with Debian's python3-torch and python3-onnx:
    apt-get install python3-torch python3-onnx && /usr/bin/python3 scripts/make-torch-bn-mlp.py
"""
import gzip
import json

import numpy as np
import torch
from torch import nn

torch.manual_seed(2027)
rows = np.loadtxt(gzip.open('examples/digits/digits.csv.gz', 'rt'), delimiter=',')
X = torch.tensor(rows[:, :64] / 16, dtype=torch.float32)
y = torch.tensor(rows[:, 64], dtype=torch.long)
TEST = 200
train = len(X) - TEST

body = nn.Sequential(
    nn.Linear(64, 24), nn.BatchNorm1d(24), nn.ReLU(),
    nn.Linear(24, 16), nn.ReLU(), nn.Dropout(0.2),
    nn.Linear(16, 10),
)
model = nn.Sequential(body, nn.Softmax(dim=1))
opt = torch.optim.Adam(body.parameters(), lr=3e-3)
for epoch in range(40):
    perm = torch.randperm(train)
    for i in range(0, train, 64):
        idx = perm[i:i + 64]
        opt.zero_grad()
        loss = nn.functional.cross_entropy(body(X[idx]), y[idx])
        loss.backward()
        opt.step()
model.eval()
with torch.no_grad():
    acc = (body(X[train:]).argmax(1) == y[train:]).float().mean().item()
print(f'held-out accuracy {acc:.3f}')
torch.onnx.export(model, X[:1], 'examples/digits-bn-classifier/model.onnx', opset_version=13,
                  input_names=['input'], output_names=['probabilities'], dynamic_axes={'input': {0: 'batch'}, 'probabilities': {0: 'batch'}},
                  do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL)
K = 16
with torch.no_grad():
    logits = body(X[train:train + K]).double().tolist()
    probs = model(X[train:train + K]).double().tolist()
ref = {
    'source': 'scripts/make-torch-bn-mlp.py: PyTorch (float32, eval mode) on the first 16 rows of digits-200.npy',
    'inputs': X[train:train + K].double().tolist(),
    'logits': logits,
    'probabilities': probs,
}
with open('test/fixtures/torch-bn-mlp-reference.json', 'w') as f:
    json.dump(ref, f)
    f.write('\n')
import onnx
m = onnx.load('examples/digits-bn-classifier/model.onnx')
print('nodes:', [n.op_type for n in m.graph.node])
