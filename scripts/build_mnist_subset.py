"""Build cnnlab/_data/mnist_subset.npz, the MNIST subset that ships with cnnlab.

A class-balanced draw from the standard splits: 1,000 training images per digit (10,000) from
the 60,000 training images, and 200 test images per digit (2,000) from the 10,000 test images.
The draw is seeded, so running this twice writes the same arrays.

    python scripts/build_mnist_subset.py [--source ../shared/data/mnist.npz] [--out PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from cnnlab.data import load_mnist  # noqa: E402  (this checkout's cnnlab, not an installed one)

DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "mnist.npz"
DEFAULT_OUT = ROOT / "cnnlab" / "_data" / "mnist_subset.npz"
PER_CLASS = {"train": 1000, "test": 200}
SEED = 20261124


def build(source):
    """Return the subset's four arrays, drawn from the MNIST copy at ``source``.

    ``source`` is read with :func:`cnnlab.data.load_mnist`, which refuses a file that is
    truncated or corrupt, pixels outside 0..255, labels outside 0..9 or a label count that
    differs from the image count, naming the file; a split with fewer images of a digit than
    the subset needs is refused here.
    """
    mnist = load_mnist(path=source)
    rng = np.random.default_rng(SEED)
    subset = {}
    for split in ("train", "test"):
        images, labels = getattr(mnist, f"{split}_images"), getattr(mnist, f"{split}_labels")
        counts = np.bincount(labels, minlength=10)
        if counts.min() < PER_CLASS[split]:
            raise ValueError(f"{source}: the {split} split has only {counts.min()} images of "
                             f"digit {counts.argmin()}, the subset needs {PER_CLASS[split]}")
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
    if not args.source.exists():
        parser.error(f"--source {args.source} does not exist: pass the path of a local MNIST "
                     f"copy (an .npz with x_train, y_train, x_test, y_test, or a folder of the "
                     f"four IDX files)")
    subset = build(args.source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **subset)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    for name, array in subset.items():
        print(f"  {name:13} {array.shape} {array.dtype}")
    print(f"  arrays sha256 {digest(subset)}")


if __name__ == "__main__":
    main()
