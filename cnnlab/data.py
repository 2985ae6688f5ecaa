"""Handwritten digits: the MNIST subset shipped inside cnnlab, and the full set on request.

MNIST (Yann LeCun, Corinna Cortes, Christopher J. C. Burges) holds 70,000 grey 28x28 images
of the digits 0-9: 60,000 for training and 10,000 for testing.  It is distributed under the
Creative Commons Attribution-Share Alike 3.0 licence.

* :func:`load_mnist_subset`: a class-balanced subset (10,000 training and 2,000 test images)
  that ships with cnnlab (``cnnlab/_data/mnist_subset.npz``, built by
  ``scripts/build_mnist_subset.py``), so every lesson works offline.
* :func:`load_mnist`: the full set, from a local ``.npz`` or IDX copy, or downloaded once into a
  cache folder with pooch (the fetcher SciPy and scikit-image use: MD5 checksums verified, each
  file written to a temporary name and moved into place only when whole, so a broken download
  is never trusted later; a download killed half-way is cleaned up by the next call).  Every
  array is checked on the way in: pixels must be whole numbers 0..255 and labels 0..9, one
  label per image, or the loader says which file and which rule, instead of converting.
* :func:`prepare_images`, :func:`two_digit_task`, :func:`iterate_minibatches`: turn the raw
  ``uint8`` images into what the networks eat.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import logging
import os
import shutil
import sys
import tempfile
import zipfile
import zlib
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ._validate import (
    as_float_array,
    as_real_array,
    as_rng,
    check_bool,
    check_float,
    check_float_dtype,
    check_int,
)
from ._validate import check_labels as _check_labels

__all__ = [
    "MNIST",
    "load_mnist_subset",
    "load_mnist",
    "parse_idx",
    "prepare_images",
    "network_arrays",
    "shift_image",
    "negative",
    "brightest_pixel",
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
        On a bad magic number or a payload shorter (or longer) than the header promises (the
        message starts with the file's path when ``source`` is a path).

    Examples
    --------
    >>> header = bytes([0, 0, 0x08, 1]) + (3).to_bytes(4, "big")
    >>> parse_idx(header + bytes([7, 8, 9]))
    array([7, 8, 9], dtype=uint8)
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise FileNotFoundError(f"source: no file at {path}") from None
        except OSError as error:
            raise _unreadable(path, error) from None
        try:
            return _parse_idx_bytes(data)
        except ValueError as error:
            raise ValueError(f"{path}: {error}") from None
    if not isinstance(source, (bytes, bytearray)):
        raise TypeError(f"source must be bytes or a path, got {type(source).__name__}")
    return _parse_idx_bytes(bytes(source))


def _parse_idx_bytes(data):
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


def _unreadable(path, error):
    """The error for a file that exists but cannot be read (its permissions, not its data)."""
    what = "no permission to read" if isinstance(error, PermissionError) else "cannot read"
    return type(error)(f"{what} {path} ({error.strerror or error}): the file is there but "
                       f"unreadable; check its permissions (ls -l), or copy it somewhere you "
                       f"can read")


def _md5(path):
    digest = hashlib.md5(usedforsecurity=False)
    try:
        handle = open(path, "rb")
    except OSError as error:
        raise _unreadable(path, error) from None
    with handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_CHOOSE_FOLDER = ("choose another folder with load_mnist(cache_dir=...) or the CNNLAB_DATA "
                  "environment variable, or pass path= to a local copy of MNIST")


def _pooch():
    try:
        import pooch
    except ImportError:
        raise ImportError("load_mnist downloads with pooch, which is not installed: "
                          "pip install pooch (or pass path= to a local copy of MNIST)") from None
    return pooch


def _cache_folder(cache_dir, create):
    """The download folder, checked: a folder (not a file) that this process can write."""
    if cache_dir is None:
        if os.environ.get("CNNLAB_DATA"):
            folder = Path(os.environ["CNNLAB_DATA"])
        else:
            try:
                folder = Path(_pooch().os_cache("cnnlab")) / "mnist"
            except (RuntimeError, KeyError, OSError) as error:   # no home folder at all
                raise OSError(f"no cache folder for MNIST: the home folder cannot be found "
                              f"({error}); {_CHOOSE_FOLDER}") from None
    elif isinstance(cache_dir, (str, os.PathLike)):
        folder = Path(cache_dir)
    else:
        raise TypeError(f"cache_dir must be a folder path (str or pathlib.Path), got "
                        f"{type(cache_dir).__name__}")
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"the MNIST cache folder {folder} is a file, not a folder; "
                                 f"{_CHOOSE_FOLDER}")
    if create:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as error:
            raise type(error)(f"cannot write to the MNIST cache folder {folder} "
                              f"({error.strerror or error}); {_CHOOSE_FOLDER}") from None
    return folder


@contextlib.contextmanager
def _download_session(folder):
    """One download at a time per folder; a killed download's leftovers are removed first.

    pooch writes each download to a temporary file next to its target and deletes it if the
    download fails, but a process that is killed (a kernel restart) cannot clean up.  Here pooch
    downloads into ``folder/.download``, which only this function uses: whoever holds the lock
    file (an OS lock that dies with its process) may empty it.
    """
    staging = folder / ".download"
    with open(folder / ".download.lock", "a+b") as lock:
        try:
            import fcntl
        except ImportError:          # Windows: no lock, the leftovers are still removed
            fcntl = None
        if fcntl is not None:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            shutil.rmtree(staging, ignore_errors=True)
            yield staging
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if fcntl is not None:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _download(name, md5, folder, staging, mirrors, progress):
    """Fetch one file with pooch (checksum, atomic move); return its path in ``folder``."""
    pooch = _pooch()
    import requests  # pooch's own dependency

    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)          # pooch's "Downloading ..." lines: tqdm shows it
    errors = []
    try:
        for mirror in mirrors:
            try:
                fetched = pooch.retrieve(mirror + name, known_hash=f"md5:{md5}", fname=name,
                                         path=staging, progressbar=progress)
            except ValueError as error:
                # pooch raises ValueError for a hash that does not match, and for other things
                # (a bad address, a bad setting): say which
                what = ("checksum mismatch (the download is corrupt)"
                        if "does not match the known hash" in str(error)
                        else f"ValueError: {error}")
                errors.append(f"{mirror}: {what}")
            except (requests.exceptions.RequestException, OSError) as error:
                errors.append(f"{mirror}: {error}")
            else:
                os.replace(fetched, folder / name)     # same file system: atomic
                return folder / name
    finally:
        logger.setLevel(level)
    raise OSError(f"could not download {name} ({'; '.join(errors)}). Check your connection, "
                  f"or pass path= to a local copy of MNIST (an .npz or a folder of IDX files).")


def _checked_mnist(arrays, source):
    """The four arrays as uint8 images and int64 labels, refusing what they cannot hold."""
    checked = []
    for images_key, labels_key in ((0, 1), (2, 3)):
        (images_name, images), (labels_name, labels) = arrays[images_key], arrays[labels_key]
        images_name, labels_name = f"{source} {images_name}", f"{source} {labels_name}"
        try:
            images = as_real_array(images, images_name, ndim=3, axes="(N, H, W)")
        except ValueError as error:
            raise ValueError(f"{error} (are the image and label files swapped?)") from None
        low, high = float(images.min()), float(images.max())
        if low < 0 or high > 255 or not np.all(images == np.round(images)):
            hint = (" (it looks scaled to [0, 1]: multiply by 255 and round it first)"
                    if high <= 1 and images.dtype.kind == "f" else "")
            raise ValueError(f"{images_name} must hold whole pixel values 0..255, got values "
                             f"from {low} to {high}{hint}")
        labels = as_real_array(labels, labels_name)
        if labels.ndim != 1:
            raise ValueError(f"{labels_name} must be 1-D (N,), got shape {labels.shape} "
                             f"(are the image and label files swapped?)")
        labels = _check_labels(labels, labels_name, n_classes=10, n_samples=images.shape[0])
        checked += [images.astype(np.uint8), labels]
    return MNIST(*checked)


def _from_npz(path):
    groups = [("x_train", "y_train", "x_test", "y_test"),
              ("train_images", "train_labels", "test_images", "test_labels")]
    try:
        handle = open(path, "rb")
    except OSError as error:            # no permission, a broken mount...: not a bad file
        raise _unreadable(path, error) from None
    try:
        with handle, np.load(handle, allow_pickle=False) as archive:
            keys = set(archive.files)
            group = next((g for g in groups if keys.issuperset(g)), None)
            arrays = None if group is None else [(k, archive[k]) for k in group]
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise ValueError(f"{path} is not a readable .npz archive of arrays ({error}): it may be "
                         f"empty, truncated or corrupt; download or save it again, or pass "
                         f"another path") from None
    if arrays is None:
        raise ValueError(f"{path} must hold x_train, y_train, x_test, y_test (or "
                         f"train_images, ...); it holds {sorted(keys)}")
    return _checked_mnist(arrays, path.name)


def _from_idx_folder(folder):
    arrays = []
    for name, _ in MNIST_FILES.values():
        for candidate in (folder / name, folder / name[:-3]):
            if candidate.exists():
                arrays.append((candidate.name, parse_idx(candidate)))
                break
        else:
            raise FileNotFoundError(f"{folder} has no {name} (or {name[:-3]})")
    return _checked_mnist(arrays, str(folder))


def load_mnist(path=None, cache_dir=None, download=True, progress=True, mirrors=None):
    """The full MNIST set: 60,000 training and 10,000 test images.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A local copy: an ``.npz`` (keys ``x_train, y_train, x_test, y_test``) or a folder
        holding the four IDX files (gzip-compressed or not).  Nothing is downloaded.
    cache_dir : str or pathlib.Path, optional
        Where downloads are kept (default: ``$CNNLAB_DATA``, else pooch's cache folder for
        cnnlab, e.g. ``~/.cache/cnnlab/mnist`` on Linux).
    download : bool
        Download missing or corrupt files (once; later calls reuse the cache).
    progress : bool
        Show a progress bar while downloading.
    mirrors : sequence of str, optional
        Base addresses to download from, tried in order (default :data:`MNIST_MIRRORS`).

    Returns
    -------
    MNIST
        New arrays on every call: ``uint8`` images (N, H, W) and ``int64`` labels (N,).

    Raises
    ------
    ValueError
        A file that is empty, truncated or corrupt, pixels outside 0..255 or not whole numbers
        (e.g. images already scaled to [0, 1]), labels outside 0..9, a label count that differs
        from the image count, or image and label files swapped; the message names the file.
    OSError
        The cache folder cannot be used (the message says how to choose another one), or every
        mirror failed.

    Examples
    --------
    >>> import os
    >>> local = "../shared/data/mnist.npz"
    >>> data = load_mnist(path=local) if os.path.exists(local) else None   # doctest: +SKIP
    """
    download = check_bool(download, "download")
    progress = check_bool(progress, "progress")
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a file or folder path (str or pathlib.Path), got "
                            f"{type(path).__name__}")
        path = Path(path)
        if path.is_dir():
            return _from_idx_folder(path)
        if not path.exists():
            raise FileNotFoundError(f"path {path} does not exist")
        if path.suffix == ".npz":
            return _from_npz(path)
        raise ValueError(f"path must be an .npz file or a folder of IDX files, got {path}")
    if mirrors is None:
        mirrors = MNIST_MIRRORS
    if isinstance(mirrors, str) or not all(isinstance(m, str) for m in mirrors) or not mirrors:
        raise TypeError(f"mirrors must be a list of base addresses (str), got {mirrors!r}")
    mirrors = [m if m.endswith("/") else m + "/" for m in mirrors]
    # Written to only when a file is missing: a read-only cache that holds every file loads.
    folder = _cache_folder(cache_dir, create=False)
    missing = [(name, md5) for name, md5 in MNIST_FILES.values()
               if not ((folder / name).exists() and _md5(folder / name) == md5)]
    if missing and download:
        _cache_folder(cache_dir, create=True)
    if missing and not download:
        raise FileNotFoundError(f"{folder / missing[0][0]} is missing or corrupt and "
                                f"download=False")
    if missing and sys.platform == "emscripten":
        raise OSError("load_mnist cannot download here: this Python runs inside the browser "
                      "(Pyodide, the JupyterLite edition), which has no network access. Upload "
                      "an mnist.npz (file browser, Upload) and call load_mnist(path='mnist.npz'), "
                      "or use load_mnist_subset(), which ships with cnnlab.")
    if missing or (download and (folder / ".download").exists()       # or a killed one's files
                   and os.access(folder, os.W_OK)):
        with _download_session(folder) as staging:
            for name, md5 in missing:
                _download(name, md5, folder, staging, mirrors, progress)
    return _from_idx_folder(folder)


# ----------------------------------------------------------------------------------------------
# From raw images to network inputs
# ----------------------------------------------------------------------------------------------

def prepare_images(images, scale=255.0):
    """Raw images to values in [0, 1] with a channel axis: (N, 1, H, W).

    Parameters
    ----------
    images : array_like, shape (N, H, W) or (H, W)
        Pixel values 0..scale (uint8 0..255 for MNIST).  Values outside [0, scale] are refused,
        and so are float images already in [0, 1] when ``scale`` is larger than 1 (dividing
        them again would make every image nearly black): pass ``scale=1`` for those.
    scale : float
        The value that maps to 1: a finite number greater than 0 (NumPy scalars are fine).

    Returns
    -------
    numpy.ndarray, shape (N, 1, H, W)
        A new array: float64 for integer images, float32/float64 images keep their dtype.

    Examples
    --------
    >>> prepare_images(np.full((2, 28, 28), 255, dtype=np.uint8)).shape
    (2, 1, 28, 28)
    """
    images = as_float_array(images, "images", ndim=(2, 3), axes="(H, W) or (N, H, W)")
    scale = check_float(scale, "scale", minimum=0, allow_minimum=False)
    low, high = float(images.min()), float(images.max())
    if low < 0 or high > scale:
        raise ValueError(f"images must hold values 0..scale (0..{scale:g}), got values from "
                         f"{low:g} to {high:g}")
    if scale > 1 and 0 < high <= 1 and not np.all(images == np.round(images)):
        raise ValueError(f"images already lie in [0, 1] (values up to {high:g}) but scale is "
                         f"{scale:g}: dividing again would make them almost black; pass "
                         f"scale=1 if they are already prepared")
    if images.ndim == 2:
        images = images[None]
    # Divided in float64 (a float32 scale such as 1e300 would overflow), then back to the
    # input's dtype: the quotients lie in [0, 1], which every float dtype holds.
    quotient = images.astype(np.float64, copy=False) / scale
    return quotient.astype(images.dtype, copy=False)[:, None, :, :]


def network_arrays(data=None, dtype=np.float64):
    """MNIST as the small CNN's inputs: ``(x_train, y_train, x_test, y_test)``.

    Parameters
    ----------
    data : MNIST, optional
        From :func:`load_mnist` or :func:`load_mnist_subset` (the default).
    dtype : numpy.float32 or numpy.float64
        Of the images (float32 trains about twice as fast).

    Returns
    -------
    tuple of numpy.ndarray
        Images (N, 1, 28, 28) in [0, 1] (:func:`prepare_images`), new arrays, and int64
        labels (N,).

    Examples
    --------
    >>> x_train, y_train, x_test, y_test = network_arrays(dtype=np.float32)
    >>> x_train.shape, x_test.shape, x_train.dtype, y_test.dtype
    ((10000, 1, 28, 28), (2000, 1, 28, 28), dtype('float32'), dtype('int64'))
    """
    data = load_mnist_subset() if data is None else data
    if not isinstance(data, MNIST):
        raise TypeError(f"data must be an MNIST tuple (from load_mnist or load_mnist_subset), "
                        f"got {type(data).__name__}")
    dtype = check_float_dtype(dtype)
    return (prepare_images(data.train_images).astype(dtype), data.train_labels.astype(np.int64),
            prepare_images(data.test_images).astype(dtype), data.test_labels.astype(np.int64))


def shift_image(image, rows, cols):
    """Move an image by whole pixels, filling the uncovered border with zeros (no wrapping).

    Unlike ``np.roll``, what leaves the frame is gone, and nothing comes back on the other side.

    Parameters
    ----------
    image : array_like, shape (H, W)
    rows : int
        Pixels down (negative: up).
    cols : int
        Pixels right (negative: left).

    Returns
    -------
    numpy.ndarray, shape (H, W)
        A new array (float64 for integer input).

    Examples
    --------
    >>> shift_image(np.arange(1.0, 10.0).reshape(3, 3), 1, -1)
    array([[0., 0., 0.],
           [2., 3., 0.],
           [5., 6., 0.]])
    """
    array = as_float_array(image, "image", ndim=2)
    rows, cols = check_int(rows, "rows"), check_int(cols, "cols")
    height, width = array.shape
    out = np.zeros_like(array)
    if abs(rows) >= height or abs(cols) >= width:
        return out
    out[max(rows, 0):height + min(rows, 0), max(cols, 0):width + min(cols, 0)] = (
        array[max(-rows, 0):height + min(-rows, 0), max(-cols, 0):width + min(-cols, 0)])
    return out


def negative(image, white=255):
    """The photographic negative of an image: ``white - image`` (black 0 becomes ``white``).

    Parameters
    ----------
    image : array_like
        Pixel values 0..white (uint8 0..255 as MNIST stores them, or floats).
    white : float
        The value of a white pixel: 255 for stored pixels, 1 for pixels scaled to [0, 1].

    Returns
    -------
    numpy.ndarray
        A new array of the image's shape (the input is never changed); uint8 stays uint8.

    Examples
    --------
    >>> negative(np.array([[0, 255, 17]], dtype=np.uint8))
    array([[255,   0, 238]], dtype=uint8)
    >>> negative(np.array([0.0, 0.25, 1.0]), white=1)
    array([1.  , 0.75, 0.  ])
    """
    array = as_real_array(image, "image")
    white = check_float(white, "white", minimum=0, allow_minimum=False)
    if array.min() < 0 or array.max() > white:
        raise ValueError(f"image must hold values 0..white (0..{white:g}), got values from "
                         f"{array.min():g} to {array.max():g}")
    # white - image, not -image (black would stay 0) nor image.max() - image (an image
    # without white pixels would stay too dark). Whole-number pixels stay whole numbers of
    # their dtype, which cannot wrap around: 0 <= image <= white.
    if array.dtype.kind in "iu" and white == int(white) <= np.iinfo(array.dtype).max:
        return array.dtype.type(white) - array
    return white - array


def brightest_pixel(image):
    """``(row, column)`` of the brightest pixel; the first one, reading row by row, on a tie.

    Parameters
    ----------
    image : array_like, shape (H, W)

    Returns
    -------
    tuple of int
        ``(row, column)``, counted from 0: ``image[row, column] == image.max()``.

    Examples
    --------
    >>> brightest_pixel(np.array([[1.0, 5.0, 2.0], [5.0, 0.0, 3.0]]))   # two 5s: the first
    (0, 1)
    """
    array = as_real_array(image, "image", ndim=2, axes="(H, W)")
    flat = np.argmax(array)                       # the rows laid end to end; first on a tie
    row, column = np.unravel_index(flat, array.shape)
    return int(row), int(column)


def two_digit_task(data=None, positive=3, negative=8, n_train=None, n_test=None):
    """The seed network's binary task on real digits: is it ``positive`` (1) or ``negative`` (0)?

    Parameters
    ----------
    data : MNIST, optional
        Default: :func:`load_mnist_subset`.
    positive, negative : int
        Two different digits 0..9.
    n_train, n_test : int, optional
        Keep only the first ones (in the data's order); at least 1.

    Returns
    -------
    dict
        ``train_images`` float64 (N, 28, 28) in [0, 1], ``train_targets`` float64 (N,) of 0/1,
        ``test_images``, ``test_targets`` (new arrays), and ``positive``, ``negative``.

    Examples
    --------
    >>> task = two_digit_task(positive=3, negative=8)
    >>> task["train_images"].shape, sorted(set(task["train_targets"].tolist()))
    ((2000, 28, 28), [0.0, 1.0])
    """
    data = load_mnist_subset() if data is None else data
    if not isinstance(data, MNIST):
        raise TypeError(f"data must be an MNIST tuple (from load_mnist or load_mnist_subset), "
                        f"got {type(data).__name__}")
    positive = check_int(positive, "positive", minimum=0)
    negative = check_int(negative, "negative", minimum=0)
    for name, digit in (("positive", positive), ("negative", negative)):
        if digit > 9:
            raise ValueError(f"{name} must be a digit 0..9, got {digit}")
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

    The course's one mini-batch iterator: :class:`cnnlab.train.Trainer` draws its batches
    with it, one call per epoch.

    Parameters
    ----------
    images : array_like, shape (N, ...)
        Real numbers (integer images are fine and keep their dtype).
    labels : array_like, shape (N,)
        Class numbers or targets, one per image.
    batch_size : int
        At least 1.
    rng : numpy.random.Generator or int, optional
        For the shuffle (default seed 0, so runs repeat).
    shuffle : bool
    drop_last : bool
        Skip a last batch smaller than ``batch_size``.

    Returns
    -------
    iterator of (numpy.ndarray, numpy.ndarray)
        Every batch is a new array (never a view of ``images`` or ``labels``).  The arguments
        are checked when this function is called, before the first batch.

    Examples
    --------
    >>> batches = list(iterate_minibatches(np.zeros((10, 2)), np.arange(10), 4, shuffle=False))
    >>> [b[1].tolist() for b in batches]
    [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    """
    images = as_real_array(images, "images", allow_empty=True)
    if images.ndim < 1:
        raise ValueError(f"images must have a first axis of images, (N, ...), got shape "
                         f"{images.shape}")
    labels = as_real_array(labels, "labels", ndim=1, axes="(N,)", allow_empty=True)
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"images (N, ...) and labels (N,) must have the same N: labels has "
                         f"{labels.shape[0]} entries, images {images.shape[0]}")
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    rng = as_rng(0 if rng is None else rng, "rng")
    shuffle = check_bool(shuffle, "shuffle")
    drop_last = check_bool(drop_last, "drop_last")
    order = rng.permutation(labels.shape[0]) if shuffle else np.arange(labels.shape[0])
    return _batches(images, labels, order, batch_size, drop_last)


def _batches(images, labels, order, batch_size, drop_last):
    for start in range(0, order.size, batch_size):
        index = order[start:start + batch_size]
        if drop_last and index.size < batch_size:
            break
        yield images[index], labels[index]
