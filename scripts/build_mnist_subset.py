"""Build cnnlab/_data/mnist_subset.npz, the MNIST subset that ships with cnnlab.

A class-balanced draw from the standard splits: 1,000 training images per digit (10,000) from
the 60,000 training images, and 200 test images per digit (2,000) from the 10,000 test images.
The draw is seeded, so running this twice writes the same arrays.

    python scripts/build_mnist_subset.py [--source ../shared/data/mnist.npz] [--out PATH]
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "mnist.npz"
DEFAULT_OUT = ROOT / "cnnlab" / "_data" / "mnist_subset.npz"
PER_CLASS = {"train": 1000, "test": 200}
SEED = 20261124


def build(source):
    """Return the subset's four arrays, drawn from the MNIST archive at ``source``."""
    rng = np.random.default_rng(SEED)
    subset = {}
    with np.load(source, allow_pickle=False) as mnist:
        for split, key in (("train", "train"), ("test", "test")):
            images, labels = mnist[f"x_{key}"], mnist[f"y_{key}"]
            chosen = [np.sort(rng.choice(np.flatnonzero(labels == digit), PER_CLASS[split],
                                         replace=False)) for digit in range(10)]
            index = rng.permutation(np.concatenate(chosen))      # digits interleaved
            subset[f"{split}_images"] = images[index].astype(np.uint8)
            subset[f"{split}_labels"] = labels[index].astype(np.uint8)
    return subset


def digest(subset):
    """SHA-256 over the arrays' bytes (independent of how the .npz is compressed)."""
    sha = hashlib.sha256()
    for name in sorted(subset):
        sha.update(name.encode())
        sha.update(np.ascontiguousarray(subset[name]).tobytes())
    return sha.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    subset = build(args.source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **subset)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    for name, array in subset.items():
        print(f"  {name:13} {array.shape} {array.dtype}")
    print(f"  arrays sha256 {digest(subset)}")


if __name__ == "__main__":
    main()
