#!/usr/bin/python3
"""Which resizing kernel made the Kaggle 224-pixel copies? Shrinks each full-resolution original of fullres-sample
with the usual kernels (Pillow's, and a non-antialiased bilinear like OpenCV's default) and prints the mean absolute
difference from its own Kaggle copy (gray levels 0-255) and the images' Laplacian variance (sharpness; the copies'
own is printed last). Needs Debian's python3-numpy and python3-pil. Usage: bench/resize-kernels.py [DATA] [PER_CLASS]
(defaults ../shared/data, 50)."""
import os
import sys

import numpy as np
from PIL import Image

data = os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
per_class = int(sys.argv[2]) if len(sys.argv) > 2 else 50


def bilinear_no_antialias(a, size):
    h, w = a.shape
    ys = np.clip((np.arange(size) + 0.5) * h / size - 0.5, 0, h - 1)
    xs = np.clip((np.arange(size) + 0.5) * w / size - 0.5, 0, w - 1)
    y0, x0 = np.floor(ys).astype(int), np.floor(xs).astype(int)
    y1, x1 = np.minimum(y0 + 1, h - 1), np.minimum(x0 + 1, w - 1)
    fy, fx = (ys - y0)[:, None], xs - x0
    top = a[y0][:, x0] * (1 - fx) + a[y0][:, x1] * fx
    bottom = a[y1][:, x0] * (1 - fx) + a[y1][:, x1] * fx
    return top * (1 - fy) + bottom * fy


def laplacian_variance(a):
    return (4 * a[1:-1, 1:-1] - a[:-2, 1:-1] - a[2:, 1:-1] - a[1:-1, :-2] - a[1:-1, 2:]).var()


kernels = {
    "area (box)": lambda im, a: im.resize((224, 224), Image.BOX),
    "tent (antialiased bilinear)": lambda im, a: im.resize((224, 224), Image.BILINEAR),
    "antialiased bicubic": lambda im, a: im.resize((224, 224), Image.BICUBIC),
    "lanczos": lambda im, a: im.resize((224, 224), Image.LANCZOS),
    "nearest": lambda im, a: im.resize((224, 224), Image.NEAREST),
    "bilinear without antialiasing": lambda im, a: bilinear_no_antialias(a, 224),
}
difference = {k: [] for k in kernels}
sharpness = {k: [] for k in list(kernels) + ["the Kaggle copies"]}
for cls in ("NORMAL", "PNEUMONIA"):
    folder = os.path.join(data, "fullres-sample", "train", cls)
    for name in sorted(os.listdir(folder))[:per_class]:
        original = Image.open(os.path.join(folder, name)).convert("L")
        pixels = np.asarray(original, dtype=np.float64)
        copy = np.asarray(Image.open(os.path.join(data, "chest_xray", "train", cls, name)).convert("L"), np.float64)
        sharpness["the Kaggle copies"].append(laplacian_variance(copy))
        for k, resize in kernels.items():
            out = np.asarray(resize(original, pixels), dtype=np.float64)
            difference[k].append(np.abs(out - copy).mean())
            sharpness[k].append(laplacian_variance(out))
print(f"# {len(sharpness['the Kaggle copies'])} originals of {data}/fullres-sample against their 224-pixel copies")
print("kernel\tmean |difference| (gray levels)\tLaplacian variance")
for k in kernels:
    print(f"{k}\t{np.mean(difference[k]):.2f}\t{np.mean(sharpness[k]):.1f}")
print(f"the Kaggle copies\t0\t{np.mean(sharpness['the Kaggle copies']):.1f}")
