"""Makes test/fixtures/torch-activations.onnx: a PyTorch MLP with LeakyReLU(0.01), ELU(0.5) and GELU()
exported by torch.onnx.export (opset 13: Gemm, LeakyRelu, Gemm, Elu, Gemm, and GELU decomposed as
Div, Erf, Add, Mul, Mul; then Gemm), and test/fixtures/torch-activations-reference.json: 16 seeded inputs with
PyTorch's own outputs (the ONNX reader is tested against them).

The fixture only: PyTorch is not a dependency of robustlaw. Run with Debian's python3-torch and python3-onnx:
    apt-get install python3-torch python3-onnx && /usr/bin/python3 scripts/make-torch-activations.py
"""
import json

import torch
from torch import nn

torch.manual_seed(2028)
model = nn.Sequential(
    nn.Linear(6, 8), nn.LeakyReLU(0.01),
    nn.Linear(8, 8), nn.ELU(0.5),
    nn.Linear(8, 8), nn.GELU(),
    nn.Linear(8, 3),
)
model.eval()
X = torch.randn(16, 6)
torch.onnx.export(model, X[:1], 'test/fixtures/torch-activations.onnx', opset_version=13,
                  input_names=['input'], output_names=['output'], dynamic_axes={'input': {0: 'batch'}, 'output': {0: 'batch'}},
                  do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL)
with torch.no_grad():
    out = model(X).double().tolist()
ref = {
    'source': 'scripts/make-torch-activations.py: PyTorch (float32, eval mode) on 16 seeded normal inputs',
    'inputs': X.double().tolist(),
    'outputs': out,
}
with open('test/fixtures/torch-activations-reference.json', 'w') as f:
    json.dump(ref, f)
    f.write('\n')
import onnx
m = onnx.load('test/fixtures/torch-activations.onnx')
print('nodes:', [n.op_type for n in m.graph.node])
