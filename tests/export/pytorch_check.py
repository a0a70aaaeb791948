"""The PyTorch round trip's other end: loads an export's generator.py and generator.pt with
Debian's python3-torch and draws the images for the test's noise (and labels).
    pytorch_check.py EXPORT_DIR CASE_DIR
CASE_DIR holds z.f32 (batch x latent_dim), for a conditional generator labels.i64 (batch), and
receives pytorch.f32 (batch x channels x rows x columns), all raw little-endian."""
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import torch

export, case = Path(sys.argv[1]), Path(sys.argv[2])
spec = importlib.util.spec_from_file_location("generator", export / "generator.py")
generator = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generator)
G = generator.load(str(export / "generator.pt"))  # strict load_state_dict: every key, no extra

info = json.loads((export / "generator.json").read_text())
z = torch.from_numpy(np.fromfile(case / "z.f32", dtype="<f4").reshape(-1, info["latent_dim"]))
with torch.no_grad():
    if info["classes"]:
        labels = torch.from_numpy(np.fromfile(case / "labels.i64", dtype="<i8"))
        images = G(z, labels)
    else:
        images = G(z)
expected = (z.shape[0], info["channels"], info["height"], info["width"])
assert tuple(images.shape) == expected, f"images are {tuple(images.shape)}, not {expected}"
images.numpy().astype("<f4").tofile(case / "pytorch.f32")
print(f"pytorch_check: torch {torch.__version__} drew {tuple(images.shape)}")
