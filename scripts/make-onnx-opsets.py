"""Makes test/fixtures/digits-cnn-opset11.onnx and -opset17.onnx: examples/digits-cnn/model.onnx (opset 13, as
torch.onnx.export wrote it) at the ends of the opsets the ONNX reader supports. Opset 17 by onnx's version
converter; opset 11 by relabelling, which is exact for this graph (Conv, Relu, MaxPool, Pad with its pads as an
input, AveragePool, Flatten, Gemm and Softmax over axis 1 of a 2-D tensor mean the same in opsets 11 and 13;
the converter has no Relu adapter below 13). The ONNX reader is tested to read both as the original.

    /usr/bin/python3 scripts/make-onnx-opsets.py   (Debian's python3-onnx; not a dependency)
"""
import onnx
from onnx import version_converter

m = onnx.load('examples/digits-cnn/model.onnx')
v17 = version_converter.convert_version(m, 17)
onnx.checker.check_model(v17)
onnx.save(v17, 'test/fixtures/digits-cnn-opset17.onnx')
v11 = onnx.load('examples/digits-cnn/model.onnx')
v11.opset_import[0].version = 11
onnx.checker.check_model(v11)
onnx.save(v11, 'test/fixtures/digits-cnn-opset11.onnx')
print('ok')
