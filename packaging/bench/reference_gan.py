#!/usr/bin/python3
"""The reference for gan-bench: PyTorch-GAN's gan.py training step, in Python, timed.

Our own rendition of the loop in implementations/gan/gan.py (not a copy): the same models, BCE
loss, Adam, and per-step order (G update with the non-saturating loss, then D update on real and
detached fakes), fed by a DataLoader that converts each 28x28 digit to a normalised tensor as
ToTensor + Normalize(0.5, 0.5) do. It needs Debian's python3-torch (the same LibTorch 1.13 as
GAN Studio); torchvision is not needed. Prints one JSON object like `gan-bench --json`.
"""
import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn


def read_images(folder):
    for name in ("train-images-idx3-ubyte", "train-images-idx3-ubyte.gz"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rb") as f:
                data = f.read()
            count, rows, cols = (int.from_bytes(data[i:i + 4], "big") for i in (4, 8, 12))
            return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows, cols)
    sys.exit(f"reference_gan.py: no train-images-idx3-ubyte[.gz] in {folder}")


class Digits(torch.utils.data.Dataset):
    """Each item converted on access, as torchvision's transforms do."""

    def __init__(self, images):
        self.images = images

    def __len__(self):
        return len(self.images)

    def __getitem__(self, index):
        x = torch.from_numpy(self.images[index].astype(np.float32) / 255.0).unsqueeze(0)
        return (x - 0.5) / 0.5, 0


def block(n_in, n_out, normalize, activation, slope):
    layers = [nn.Linear(n_in, n_out)]
    if normalize:
        layers.append(nn.BatchNorm1d(n_out, 0.8))  # eps 0.8, as gan.py passes it
    layers.append(nn.LeakyReLU(slope, inplace=True) if activation == "leaky_relu" else nn.ReLU(inplace=True))
    return layers


def models(preset):
    if preset == "course-report":
        g_hidden, d_hidden, d_act, dropout = [128, 256, 512, 1024, 2048, 4096], [4096, 2048, 1024, 512, 256], "relu", 0.5
    else:
        g_hidden, d_hidden, d_act, dropout = [128, 256, 512, 1024], [512, 256], "leaky_relu", 0.0
    g_layers, n = [], 100
    for i, width in enumerate(g_hidden):
        g_layers += block(n, width, i > 0, "leaky_relu", 0.2)
        n = width
    generator = nn.Sequential(*g_layers, nn.Linear(n, 784), nn.Tanh())
    d_layers, n = [], 784
    for width in d_hidden:
        d_layers += block(n, width, False, d_act, 0.2)
        if dropout > 0:
            d_layers.append(nn.Dropout(dropout))
        n = width
    discriminator = nn.Sequential(*d_layers, nn.Linear(n, 1), nn.Sigmoid())
    return generator, discriminator


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=["pytorch-gan", "course-report"], default="pytorch-gan")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--data", default=os.environ.get("GAN_DATA_DIR") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "gan-studio", "mnist"))
    args = parser.parse_args()

    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(Digits(read_images(args.data)), batch_size=64, shuffle=True)
    generator, discriminator = models(args.preset)
    loss = nn.BCELoss()
    opt_g = torch.optim.Adam(generator.parameters(), lr=0.0002, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=0.0002, betas=(0.5, 0.999))

    done, start = 0, None
    while done < args.warmup + args.steps:
        for imgs, _ in loader:
            if done == args.warmup:
                start = time.perf_counter()
            if done == args.warmup + args.steps:
                break
            real = imgs.view(imgs.size(0), -1)
            valid = torch.ones(real.size(0), 1)
            fake = torch.zeros(real.size(0), 1)
            opt_g.zero_grad()
            gen = generator(torch.randn(real.size(0), 100))
            g_loss = loss(discriminator(gen), valid)
            g_loss.backward()
            opt_g.step()
            opt_d.zero_grad()
            d_loss = (loss(discriminator(real), valid) + loss(discriminator(gen.detach()), fake)) / 2
            d_loss.backward()
            opt_d.step()
            g_loss.item(), d_loss.item()  # gan.py prints both every step
            done += 1
    seconds = time.perf_counter() - start
    ms = 1000.0 * seconds / args.steps
    print(json.dumps({"config": args.preset, "mode": "python-reference", "device": f"CPU ({os.cpu_count()} cores)",
                      "steps": args.steps, "ms_per_step": round(ms, 4), "steps_per_s": round(1000.0 / ms, 3),
                      "s_per_epoch": round(ms * 938 / 1000.0, 3)}))


if __name__ == "__main__":
    main()
