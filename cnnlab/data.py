"""Handwritten digits: the MNIST subset shipped inside cnnlab, and the full set on request.

MNIST (Yann LeCun, Corinna Cortes, Christopher J. C. Burges) holds 70,000 grey 28x28 images
of the digits 0-9: 60,000 for training and 10,000 for testing.  It is distributed under the
Creative Commons Attribution-Share Alike 3.0 licence.

* :func:`load_mnist_subset`: a class-balanced subset (10,000 training and 2,000 test images)
  that ships with cnnlab (``cnnlab/_data/mnist_subset.npz``, built by
  ``scripts/build_mnist_subset.py``), so every lesson works offline.
* :func:`load_mnist`: the full set, from a local ``.npz`` or IDX copy, or downloaded once into a
  cache folder (checksums verified, files written atomically, so a broken download is never
  trusted later).
* :func:`prepare_images`, :func:`two_digit_task`, :func:`iterate_minibatches`: turn the raw
  ``uint8`` images into what the networks eat.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ._validate import as_float_array, check_int

__all__ = [
    "MNIST",
    "load_mnist_subset",
    "load_mnist",
    "parse_idx",
    "prepare_images",
    "two_digit_task",
    "iterate_minibatches",
    "MNIST_FILES",
    "MNIST_MIRRORS",
]


class MNIST(NamedTuple):
    """MNIST images and labels.

    Attributes
    ----------
    train_images : numpy.ndarray of uint8, shape (N, 28, 28)
    train_labels : numpy.ndarray of int64, shape (N,)
    test_images : numpy.ndarray of uint8, shape (M, 28, 28)
    test_labels : numpy.ndarray of int64, shape (M,)

    Examples
    --------
    >>> data = load_mnist_subset()
    >>> data.train_images.shape, data.test_labels.shape
    ((10000, 28, 28), (2000,))
    """

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray


MNIST_FILES = {
    "train_images": ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
    "train_labels": ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
    "test_images": ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
    "test_labels": ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
}
"""The four canonical gzip IDX files and their published MD5 checksums."""

MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
"""Where :func:`load_mnist` downloads from, tried in order."""

_SUBSET = None


def _read_only(*arrays):
    for array in arrays:
        array.flags.writeable = False
    return arrays


def load_mnist_subset():
    """The class-balanced MNIST subset shipped with cnnlab (works offline).

    10,000 training images (1,000 per digit) and 2,000 test images (200 per digit), drawn
    reproducibly from the standard training and test splits.

    Returns
    -------
    MNIST
        ``uint8`` images (N, 28, 28) with values 0..255 and ``int64`` labels (N,).  The arrays
        are read-only (they are shared between calls): copy one before changing it.

    Examples
    --------
    >>> data = load_mnist_subset()
    >>> data.train_images.dtype, int(data.train_images.max())
    (dtype('uint8'), 255)
    >>> np.bincount(data.test_labels).tolist() == [200] * 10
    True
    """
    global _SUBSET
    if _SUBSET is None:
        with resources.files("cnnlab").joinpath("_data/mnist_subset.npz").open("rb") as handle:
            with np.load(handle, allow_pickle=False) as archive:
                arrays = (archive["train_images"], archive["train_labels"].astype(np.int64),
                          archive["test_images"], archive["test_labels"].astype(np.int64))
        _SUBSET = MNIST(*_read_only(*arrays))
    return _SUBSET


# ----------------------------------------------------------------------------------------------
# The full set
# ----------------------------------------------------------------------------------------------

_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def parse_idx(source):
    """Parse an IDX file (the format MNIST is published in), gzip-compressed or not.

    The header is two zero bytes, a type code (0x08 = unsigned byte), the number of
    dimensions, then each dimension as a big-endian 32-bit integer; the values follow.

    Parameters
    ----------
    source : bytes or str or pathlib.Path
        The file's contents, or its path.

    Returns
    -------
    numpy.ndarray
        Shaped as the header says (e.g. (60000, 28, 28) uint8 for training images).

    Raises
    ------
    ValueError
        On a bad magic number or a payload shorter (or longer) than the header promises.

    Examples
    --------
    >>> header = bytes([0, 0, 0x08, 1]) + (3).to_bytes(4, "big")
    >>> parse_idx(header + bytes([7, 8, 9]))
    array([7, 8, 9], dtype=uint8)
    """
    if isinstance(source, (str, os.PathLike)):
        source = Path(source).read_bytes()
    if not isinstance(source, (bytes, bytearray)):
        raise TypeError(f"source must be bytes or a path, got {type(source).__name__}")
    data = bytes(source)
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise ValueError(f"the gzip stream is corrupt or truncated: {error}") from None
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_TYPES:
        raise ValueError(f"not an IDX file: bad magic number {data[:4].hex() or 'empty'} "
                         f"(expected 0000 then a type code such as 08 and the dimensions)")
    dtype = np.dtype(_IDX_TYPES[data[2]])
    ndim = data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(f"IDX file truncated: its header needs {header} bytes, got {len(data)}")
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) - header != expected:
        raise ValueError(f"IDX file truncated or corrupt: header promises shape {shape} "
                         f"({expected} bytes of data), found {len(data) - header} bytes")
    return np.frombuffer(data, dtype=dtype, offset=header).reshape(shape).astype(
        dtype.newbyteorder("="))


def _md5(path):
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _urlopen_fetch(url, destination, progress=True):
    """Download ``url`` to the open binary file ``destination``, with a progress bar."""
    from tqdm.auto import tqdm

    with urllib.request.urlopen(url, timeout=30) as response:
        total = int(response.headers.get("Content-Length") or 0) or None
        with tqdm(total=total, unit="B", unit_scale=True, desc=url.rsplit("/", 1)[-1],
                  disable=not progress, leave=False) as bar:
            for block in iter(lambda: response.read(1 << 16), b""):
                destination.write(block)
                bar.update(len(block))


def _download(name, md5, folder, fetch, progress):
    """Fetch one file into ``folder`` atomically; return its path once its MD5 matches."""
    target = folder / name
    errors = []
    for mirror in MNIST_MIRRORS:
        handle = tempfile.NamedTemporaryFile(dir=folder, prefix=f".{name}.", suffix=".part",
                                             delete=False)
        try:
            with handle:
                fetch(mirror + name, handle, progress)
            if _md5(handle.name) != md5:
                errors.append(f"{mirror}: checksum mismatch (the download is corrupt)")
                continue
            os.replace(handle.name, target)      # atomic: target is whole or absent
            return target
        except (urllib.error.URLError, OSError, TimeoutError) as error:
            errors.append(f"{mirror}: {error}")
        finally:
            if os.path.exists(handle.name):
                os.remove(handle.name)
    raise OSError(f"could not download {name} ({'; '.join(errors)}). Check your connection, "
                  f"or pass path= to a local copy of MNIST (an .npz or a folder of IDX files).")


def _default_cache_dir():
    return Path(os.environ.get("CNNLAB_DATA") or Path.home() / ".cache" / "cnnlab" / "mnist")


def _from_npz(path):
    with np.load(path, allow_pickle=False) as archive:
        keys = set(archive.files)
        names = [("x_train", "y_train", "x_test", "y_test"),
                 ("train_images", "train_labels", "test_images", "test_labels")]
        for group in names:
            if keys.issuperset(group):
                images_train, labels_train, images_test, labels_test = (archive[k] for k in group)
                break
        else:
            raise ValueError(f"{path} must hold x_train, y_train, x_test, y_test (or "
                             f"train_images, ...); it holds {sorted(keys)}")
    return MNIST(images_train.astype(np.uint8), labels_train.astype(np.int64),
                 images_test.astype(np.uint8), labels_test.astype(np.int64))


def _from_idx_folder(folder):
    arrays = {}
    for key, (name, _) in MNIST_FILES.items():
        for candidate in (folder / name, folder / name[:-3]):
            if candidate.exists():
                arrays[key] = parse_idx(candidate)
                break
        else:
            raise FileNotFoundError(f"{folder} has no {name} (or {name[:-3]})")
    return MNIST(arrays["train_images"], arrays["train_labels"].astype(np.int64),
                 arrays["test_images"], arrays["test_labels"].astype(np.int64))


def load_mnist(path=None, cache_dir=None, download=True, progress=True, fetch=None):
    """The full MNIST set: 60,000 training and 10,000 test images.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A local copy: an ``.npz`` (keys ``x_train, y_train, x_test, y_test``) or a folder
        holding the four IDX files (gzip-compressed or not).  Nothing is downloaded.
    cache_dir : str or pathlib.Path, optional
        Where downloads are kept (default: ``$CNNLAB_DATA`` or ``~/.cache/cnnlab/mnist``).
    download : bool
        Download missing or corrupt files (once; later calls reuse the cache).
    progress : bool
        Show a progress bar while downloading.
    fetch : callable, optional
        ``fetch(url, open_binary_file, progress)`` that writes the file's bytes; the default
        uses ``urllib``.  Tests pass their own to stay offline.

    Returns
    -------
    MNIST

    Examples
    --------
    >>> import os
    >>> local = "../shared/data/mnist.npz"
    >>> data = load_mnist(path=local) if os.path.exists(local) else None   # doctest: +SKIP
    """
    if path is not None:
        path = Path(path)
        if path.is_dir():
            return _from_idx_folder(path)
        if not path.exists():
            raise FileNotFoundError(f"path {path} does not exist")
        if path.suffix == ".npz":
            return _from_npz(path)
        raise ValueError(f"path must be an .npz file or a folder of IDX files, got {path}")
    folder = Path(cache_dir) if cache_dir is not None else _default_cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    fetch = fetch or _urlopen_fetch
    arrays = {}
    for key, (name, md5) in MNIST_FILES.items():
        target = folder / name
        if not (target.exists() and _md5(target) == md5):
            if not download:
                raise FileNotFoundError(f"{target} is missing or corrupt and download=False")
            target = _download(name, md5, folder, fetch, progress)
        arrays[key] = parse_idx(target)
    return MNIST(arrays["train_images"], arrays["train_labels"].astype(np.int64),
                 arrays["test_images"], arrays["test_labels"].astype(np.int64))


# ----------------------------------------------------------------------------------------------
# From raw images to network inputs
# ----------------------------------------------------------------------------------------------

def prepare_images(images, scale=255.0):
    """Raw images to float64 in [0, 1] with a channel axis: (N, 1, H, W).

    Parameters
    ----------
    images : array_like, shape (N, H, W) or (H, W)
        Pixel values 0..scale (uint8 0..255 for MNIST).
    scale : float
        The value that maps to 1.

    Returns
    -------
    numpy.ndarray of float64, shape (N, 1, H, W)

    Examples
    --------
    >>> prepare_images(np.full((2, 28, 28), 255, dtype=np.uint8)).shape
    (2, 1, 28, 28)
    """
    images = as_float_array(images, "images", ndim=(2, 3), axes="(H, W) or (N, H, W)")
    if not (isinstance(scale, (int, float)) and scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    if images.ndim == 2:
        images = images[None]
    return (images.astype(np.float64) / float(scale))[:, None, :, :]


def two_digit_task(data=None, positive=3, negative=8, n_train=None, n_test=None):
    """The seed network's binary task on real digits: is it ``positive`` (1) or ``negative`` (0)?

    Parameters
    ----------
    data : MNIST, optional
        Default: :func:`load_mnist_subset`.
    positive, negative : int
        Two different digits 0..9.
    n_train, n_test : int, optional
        Keep only the first ones (in the data's order).

    Returns
    -------
    dict
        ``train_images`` float64 (N, 28, 28) in [0, 1], ``train_targets`` float64 (N,) of 0/1,
        ``test_images``, ``test_targets``, and ``positive``, ``negative``.

    Examples
    --------
    >>> task = two_digit_task(positive=3, negative=8)
    >>> task["train_images"].shape, sorted(set(task["train_targets"].tolist()))
    ((2000, 28, 28), [0.0, 1.0])
    """
    data = load_mnist_subset() if data is None else data
    if not isinstance(data, MNIST):
        raise TypeError(f"data must be an MNIST tuple, got {type(data).__name__}")
    positive = check_int(positive, "positive", minimum=0)
    negative = check_int(negative, "negative", minimum=0)
    if positive > 9 or negative > 9:
        raise ValueError(f"positive and negative must be digits 0..9, got {positive} and "
                         f"{negative}")
    if positive == negative:
        raise ValueError(f"positive and negative must be different digits, both are {positive}")
    task = {"positive": positive, "negative": negative}
    for split, limit in (("train", n_train), ("test", n_test)):
        images = getattr(data, f"{split}_images")
        labels = getattr(data, f"{split}_labels")
        keep = np.flatnonzero((labels == positive) | (labels == negative))
        if limit is not None:
            keep = keep[:check_int(limit, f"n_{split}", minimum=1)]
        task[f"{split}_images"] = images[keep].astype(np.float64) / 255.0
        task[f"{split}_targets"] = (labels[keep] == positive).astype(np.float64)
    return task


def iterate_minibatches(images, labels, batch_size, rng=None, shuffle=True, drop_last=False):
    """Yield ``(images_batch, labels_batch)`` pairs that cover the data once.

    Parameters
    ----------
    images : numpy.ndarray, shape (N, ...)
    labels : numpy.ndarray, shape (N,)
    batch_size : int
    rng : numpy.random.Generator or int, optional
        For the shuffle (default seed 0, so runs repeat).
    shuffle : bool
    drop_last : bool
        Skip a last batch smaller than ``batch_size``.

    Yields
    ------
    (numpy.ndarray, numpy.ndarray)

    Examples
    --------
    >>> batches = list(iterate_minibatches(np.zeros((10, 2)), np.arange(10), 4, shuffle=False))
    >>> [b[1].tolist() for b in batches]
    [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    """
    images = np.asarray(images)
    labels = np.asarray(labels)
    if images.ndim < 1 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
        raise ValueError(f"images (N, ...) and labels (N,) must have the same N, got shapes "
                         f"{images.shape} and {labels.shape}")
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    order = np.arange(labels.shape[0])
    if shuffle:
        if not isinstance(rng, np.random.Generator):
            rng = np.random.default_rng(0 if rng is None else rng)
        order = rng.permutation(order)
    for start in range(0, order.size, batch_size):
        index = order[start:start + batch_size]
        if drop_last and index.size < batch_size:
            break
        yield images[index], labels[index]
