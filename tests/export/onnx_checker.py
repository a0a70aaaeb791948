"""ONNX's own checker (Debian's python3-onnx) on an exported model, with full shape inference.
    onnx_checker.py MODEL"""
import sys

import onnx

model = onnx.load(sys.argv[1])
onnx.checker.check_model(model, full_check=True)
print(f"onnx_checker: onnx {onnx.__version__}: valid, opset {model.opset_import[0].version}, "
      f"{len(model.graph.node)} nodes")
