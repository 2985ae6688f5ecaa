"""Keep a trained network: save the small CNN to one ``.npz`` file and load it back, checked.

One file holds everything needed to use the network again, and nothing that runs code::

    param/conv1.weight, param/conv1.bias, ..., param/dense.bias    the arrays, as trained
    metadata                                                       one JSON text: the
        architecture (the arguments of cnnlab.models.init_small_cnn), the dtype, what data it
        was trained on, its test accuracy, cnnlab's version, the file format's version

:func:`load_network` reads it with ``allow_pickle=False`` (an ``.npz`` can hold pickled Python
objects, and unpickling a stranger's file can run any code), rebuilds the shapes the
architecture implies and checks every array against them, so a file from another
architecture, a truncated download or a file that is not a network at all stops with an error
that names the file and what is wrong, instead of a network that silently predicts nonsense.
:func:`save_network` writes to a temporary file in the same folder and renames it over the
target (``os.replace``): an interrupted save never leaves half a file behind.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ._validate import check_dict

__all__ = ["SavedNetwork", "save_network", "load_network", "load_first", "describe_architecture"]

FORMAT = "cnnlab.small_cnn"
FORMAT_VERSION = 1
_PREFIX = "param/"
_ARCHITECTURE_KEYS = ("num_filters", "kernel_size", "num_blocks", "num_classes", "in_channels",
                      "image_shape")
_DTYPES = ("float32", "float64")


@dataclass
class SavedNetwork:
    """A network read back by :func:`load_network`.

    Attributes
    ----------
    params : dict of str -> numpy.ndarray
        ``conv1.weight`` (F, C, k, k), ``conv1.bias`` (F,), [``conv2.*``], ``dense.weight``
        (D, num_classes), ``dense.bias`` (num_classes,): ready for
        :func:`cnnlab.models.predict_proba` or a :class:`cnnlab.train.Trainer`.
    architecture : dict
        The arguments of :func:`cnnlab.models.init_small_cnn` that build these shapes.
    dtype : str
        ``"float32"`` or ``"float64"``.
    trained_on : str
        What the network was trained on, as given to :func:`save_network`.
    test_accuracy : float or None
    cnnlab_version : str
        The cnnlab version that saved the file.
    path : pathlib.Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cnnlab.models import init_small_cnn
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "net.npz"
    >>> _ = save_network(path, init_small_cnn(num_filters=2), trained_on="nothing yet")
    >>> saved = load_network(path)
    >>> saved.architecture["num_filters"], saved.trained_on, saved.test_accuracy
    (2, 'nothing yet', None)
    """

    params: dict
    architecture: dict
    dtype: str
    trained_on: str = ""
    test_accuracy: float | None = None
    cnnlab_version: str = ""
    path: Path | None = field(default=None, repr=False)


def _version():
    from . import __version__
    return __version__


def describe_architecture(params, image_shape=(28, 28)):
    """The arguments of :func:`cnnlab.models.init_small_cnn` that give ``params``' shapes.

    Parameters
    ----------
    params : dict of str -> numpy.ndarray
        The small CNN's parameters (``conv1.weight``, ..., ``dense.bias``).
    image_shape : (int, int)
        Height and width of the images the network reads (the shapes of the parameters do not
        say it: the dense layer's input size is checked against it).

    Returns
    -------
    dict
        ``num_filters``, ``kernel_size``, ``num_blocks``, ``num_classes``, ``in_channels``,
        ``image_shape`` (a list of two ints).

    Raises
    ------
    TypeError
        ``params`` is not a dict of arrays.
    ValueError
        A key is missing or unexpected, or a shape does not fit the small CNN.

    Examples
    --------
    >>> from cnnlab.models import init_small_cnn
    >>> for key, value in describe_architecture(init_small_cnn(num_blocks=2)).items():
    ...     print(key, value)
    num_filters 8
    kernel_size 5
    num_blocks 2
    num_classes 10
    in_channels 1
    image_shape [28, 28]
    """
    if not isinstance(params, dict) or not params:
        raise TypeError(f"params must be a non-empty dict of named arrays (as from "
                        f"init_small_cnn), got {type(params).__name__}")
    shape = tuple(image_shape) if isinstance(image_shape, (tuple, list)) else None
    if (shape is None or len(shape) != 2
            or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s >= 1
                       for s in shape)):
        raise ValueError(f"image_shape must be two positive ints (height, width), got "
                         f"{image_shape!r}")
    if "conv1.weight" not in params:
        raise ValueError("params has no 'conv1.weight': not the small CNN of "
                         "cnnlab.models.init_small_cnn")
    blocks = 1
    while f"conv{blocks + 1}.weight" in params:
        blocks += 1
    weight = np.shape(params["conv1.weight"])
    if len(weight) != 4 or weight[2] != weight[3]:
        raise ValueError(f"params['conv1.weight'] must have shape (F, C, k, k), got {weight}")
    dense = np.shape(params.get("dense.weight", ()))
    if len(dense) != 2:
        raise ValueError(f"params['dense.weight'] must have shape (D, num_classes), got "
                         f"{dense if 'dense.weight' in params else 'no such key'}")
    architecture = {"num_filters": int(weight[0]), "kernel_size": int(weight[2]),
                    "num_blocks": blocks, "num_classes": int(dense[1]),
                    "in_channels": int(weight[1]), "image_shape": [int(s) for s in shape]}
    _check_shapes(params, architecture, "params")
    return architecture


def _expected_shapes(architecture):
    """The shape of every parameter that ``init_small_cnn(**architecture)`` would create."""
    filters, k = architecture["num_filters"], architecture["kernel_size"]
    channels = architecture["in_channels"]
    height, width = architecture["image_shape"]
    shapes = {}
    for block in range(1, architecture["num_blocks"] + 1):
        out = filters * 2 ** (block - 1)
        shapes[f"conv{block}.weight"] = (out, channels, k, k)
        shapes[f"conv{block}.bias"] = (out,)
        channels, height, width = out, height // 2, width // 2
    shapes["dense.weight"] = (channels * height * width, architecture["num_classes"])
    shapes["dense.bias"] = (architecture["num_classes"],)
    return shapes


def _check_architecture(architecture, where):
    """A valid architecture dict, or a ValueError naming ``where`` and the rule."""
    if not isinstance(architecture, dict):
        raise ValueError(f"{where}: the architecture must be a dict, got "
                         f"{type(architecture).__name__}")
    missing = [k for k in _ARCHITECTURE_KEYS if k not in architecture]
    extra = [k for k in architecture if k not in _ARCHITECTURE_KEYS]
    if missing or extra:
        raise ValueError(f"{where}: the architecture must have exactly the keys "
                         f"{list(_ARCHITECTURE_KEYS)}; missing {missing}, unexpected {extra}")
    for key in _ARCHITECTURE_KEYS[:5]:
        value = architecture[key]
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{where}: architecture[{key!r}] must be a positive int, got "
                             f"{value!r}")
    if architecture["kernel_size"] % 2 == 0:
        raise ValueError(f"{where}: architecture['kernel_size'] must be odd, got "
                         f"{architecture['kernel_size']}")
    if architecture["num_blocks"] > 2:
        raise ValueError(f"{where}: architecture['num_blocks'] must be 1 or 2, got "
                         f"{architecture['num_blocks']}")
    shape = architecture["image_shape"]
    if (not isinstance(shape, (list, tuple)) or len(shape) != 2
            or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool)
                       and s >= 2 ** architecture["num_blocks"] for s in shape)):
        raise ValueError(f"{where}: architecture['image_shape'] must be two ints of at least "
                         f"{2 ** architecture['num_blocks']}, got {shape!r}")
    return {key: (list(map(int, architecture[key])) if key == "image_shape"
                  else int(architecture[key])) for key in _ARCHITECTURE_KEYS}


def _check_shapes(params, architecture, where):
    """Every key and shape of ``params`` as the architecture implies, or a ValueError."""
    expected = _expected_shapes(architecture)
    missing = [k for k in expected if k not in params]
    extra = [k for k in params if k not in expected]
    if missing or extra:
        raise ValueError(f"{where}: the parameters do not match the architecture "
                         f"{_short(architecture)}: missing {missing}, unexpected {extra}")
    for key, shape in expected.items():
        if np.shape(params[key]) != shape:
            raise ValueError(f"{where}: {key} has shape {np.shape(params[key])}, but the "
                             f"architecture {_short(architecture)} needs {shape}")


def _short(architecture):
    return ", ".join(f"{k}={v}" for k, v in architecture.items())


def _check_values(params, where):
    """One float dtype for every array, all values finite; returns the dtype's name."""
    dtypes = {np.asarray(value).dtype.name for value in params.values()}
    if len(dtypes) != 1 or not dtypes <= set(_DTYPES):
        raise ValueError(f"{where}: every parameter must be float32, or every one float64; "
                         f"got {sorted(dtypes)}")
    for key, value in params.items():
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{where}: {key} holds NaN or inf values (did training diverge?)")
    return dtypes.pop()


def save_network(path, params, trained_on="", test_accuracy=None, image_shape=(28, 28)):
    """Save the small CNN's parameters and what they are to one ``.npz`` file (no pickle).

    Parameters
    ----------
    path : str or pathlib.Path
        Where to write; must end in ``.npz``.  Its folder must exist.  An existing file is
        replaced only once the new one is completely written.
    params : dict of str -> numpy.ndarray
        From :func:`cnnlab.models.init_small_cnn`, usually trained (``trainer.params``).
        Not changed.
    trained_on : str
        What the network was trained on, in words (``"shipped MNIST subset, 2 epochs"``).
    test_accuracy : float, optional
        Its accuracy on held-out data, between 0 and 1.
    image_shape : (int, int)
        Height and width of its input images.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValueError, TypeError
        Bad arguments (the message names the argument and the rule).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cnnlab.models import init_small_cnn
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> save_network(folder / "net.npz", init_small_cnn(num_filters=2), test_accuracy=0.5).name
    'net.npz'
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or pathlib.Path, got {type(path).__name__}")
    path = Path(path)
    if path.suffix != ".npz":
        raise ValueError(f"path must end in .npz, got {str(path)!r}")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"path {str(path)!r}: the folder {str(path.parent)!r} does "
                                f"not exist")
    if not isinstance(trained_on, str):
        raise TypeError(f"trained_on must be a str (in words), got {type(trained_on).__name__}")
    if test_accuracy is not None:
        if (isinstance(test_accuracy, bool) or not isinstance(test_accuracy, (int, float))
                or not math.isfinite(test_accuracy) or not 0 <= test_accuracy <= 1):
            raise ValueError(f"test_accuracy must be a number between 0 and 1 (or None), got "
                             f"{test_accuracy!r}")
        test_accuracy = float(test_accuracy)
    architecture = describe_architecture(params, image_shape)
    dtype = _check_values(params, "params")
    metadata = {"format": FORMAT, "format_version": FORMAT_VERSION,
                "architecture": architecture, "dtype": dtype, "trained_on": trained_on,
                "test_accuracy": test_accuracy, "cnnlab_version": _version()}
    arrays = {_PREFIX + key: np.ascontiguousarray(value) for key, value in params.items()}
    arrays["metadata"] = np.array(json.dumps(metadata))         # a unicode array, not a pickle
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(file, **arrays)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def load_network(path, architecture=None):
    """Read a network saved by :func:`save_network`, checking every shape.

    Parameters
    ----------
    path : str or pathlib.Path
        An ``.npz`` file written by :func:`save_network`.
    architecture : dict, optional
        The architecture you expect (keys as :func:`describe_architecture` returns; a subset
        such as ``{"num_blocks": 2}`` is enough).  A file holding another one is refused.

    Returns
    -------
    SavedNetwork
        ``.params`` and what the file says about them.

    Raises
    ------
    FileNotFoundError
        No file at ``path``.
    ValueError
        The file is truncated or not an ``.npz``, was not written by :func:`save_network`,
        misses an entry, holds pickled objects, or its arrays do not have the shapes its
        architecture (or ``architecture``) needs.  The message names the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cnnlab.models import init_small_cnn
    >>> path = save_network(pathlib.Path(tempfile.mkdtemp()) / "net.npz",
    ...                     init_small_cnn(num_blocks=2), test_accuracy=0.99)
    >>> saved = load_network(path, architecture={"num_blocks": 2})
    >>> saved.params["conv2.weight"].shape, saved.test_accuracy
    ((16, 8, 5, 5), 0.99)
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or pathlib.Path, got {type(path).__name__}")
    path = Path(path)
    where = f"{str(path)!r}"
    if not path.exists():
        raise FileNotFoundError(f"no network file at {where} (save one with "
                                f"cnnlab.saving.save_network, or check the folder)")
    if path.is_dir():
        raise ValueError(f"{where} is a folder, not a network file (.npz)")
    if architecture is not None and not isinstance(architecture, dict):
        raise TypeError(f"architecture must be a dict, got {type(architecture).__name__}")
    try:
        with open(path, "rb") as file:
            magic = file.read(6)
    except OSError as error:            # no permission, or a file the system cannot read
        raise ValueError(f"{where} cannot be read ({type(error).__name__}: {error.strerror}): "
                         f"check its permissions") from None
    if magic == b"\x93NUMPY":
        raise ValueError(f"{where} is a .npy file (one array, from np.save), not a network "
                         f"file: save networks with cnnlab.saving.save_network (.npz)")
    if not magic.startswith(b"PK"):
        raise ValueError(f"{where} is not an .npz file (an .npz is a zip archive; this one "
                         f"starts with {magic!r}): not a network file from save_network")
    try:
        with np.load(path, allow_pickle=False) as archive:
            names = list(archive.files)
            if "metadata" not in names:
                raise ValueError(f"{where} has no 'metadata' entry: it was not written by "
                                 f"cnnlab.saving.save_network (entries: {names[:6]})")
            metadata = _read_metadata(archive["metadata"], where)
            arrays = {name[len(_PREFIX):]: archive[name] for name in names
                      if name.startswith(_PREFIX)}
    except (zipfile.BadZipFile, EOFError, OSError, KeyError) as error:
        raise ValueError(f"{where} is not a complete .npz file (truncated or not a network "
                         f"file): {type(error).__name__}: {error}") from None
    except ValueError as error:
        if str(error).startswith(where):
            raise
        if "allow_pickle" in str(error):
            raise ValueError(f"{where} holds pickled Python objects; cnnlab never loads "
                             f"those (they can run code): not a cnnlab network file") from None
        raise ValueError(f"{where} could not be read as a network file (truncated or "
                         f"corrupt?): {error}") from None
    saved_architecture = _check_architecture(metadata.get("architecture"), where)
    _check_shapes(arrays, saved_architecture, where)
    dtype = metadata.get("dtype")
    for key, value in arrays.items():
        if value.dtype.name != dtype:
            raise ValueError(f"{where}: {key} is {value.dtype.name} but the file says "
                             f"{dtype!r}")
    _check_values(arrays, where)
    if architecture is not None:
        check_dict(architecture, "architecture")
        unknown = [k for k in architecture if k not in _ARCHITECTURE_KEYS]
        if unknown:
            raise ValueError(f"architecture has unknown keys {unknown}; known: "
                             f"{list(_ARCHITECTURE_KEYS)}")
        for key, wanted in architecture.items():
            have = saved_architecture[key]
            if (list(wanted) if key == "image_shape" else wanted) != have:
                raise ValueError(f"{where} holds a network with {key}={have}, not {wanted} "
                                 f"(its architecture: {_short(saved_architecture)})")
    order = list(_expected_shapes(saved_architecture))
    return SavedNetwork(params={key: arrays[key] for key in order},
                        architecture=saved_architecture, dtype=dtype,
                        trained_on=metadata.get("trained_on", ""),
                        test_accuracy=metadata.get("test_accuracy"),
                        cnnlab_version=metadata.get("cnnlab_version", ""), path=path)


def load_first(paths, architecture=None):
    """The first network kept in ``paths`` that exists, or None when none of them does.

    Parameters
    ----------
    paths : sequence of str or pathlib.Path
        Files to try, in order (a missing file is skipped; a bad one raises, as in
        :func:`load_network`).
    architecture : dict, optional
        As in :func:`load_network`.

    Returns
    -------
    SavedNetwork or None
        Its ``.path`` says which file it came from.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cnnlab.models import init_small_cnn
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> kept = save_network(folder / "b.npz", init_small_cnn(), trained_on="subset")
    >>> load_first([folder / "a.npz", folder / "b.npz"]).path.name
    'b.npz'
    >>> load_first([folder / "a.npz"]) is None
    True
    """
    if isinstance(paths, (str, os.PathLike)):
        raise TypeError(f"paths must be a sequence of file names, not one name ({paths!r}): "
                        f"wrap it in a list")
    if not isinstance(paths, (list, tuple)):
        raise TypeError(f"paths must be a sequence (list) of file names, got {paths!r}")
    for path in paths:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"paths must hold str or pathlib.Path, got {type(path).__name__}")
        if Path(path).exists():
            return load_network(path, architecture)
    return None


def _read_metadata(entry, where):
    """The metadata dict of a file, or a ValueError naming the file."""
    if entry.dtype.kind != "U" or entry.shape != ():
        raise ValueError(f"{where}: its 'metadata' entry is not one text (dtype "
                         f"{entry.dtype}, shape {entry.shape})")
    try:
        metadata = json.loads(str(entry))
    except json.JSONDecodeError as error:
        raise ValueError(f"{where}: its 'metadata' entry is not valid JSON ({error})") from None
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT:
        raise ValueError(f"{where}: its metadata does not say format {FORMAT!r}: not a cnnlab "
                         f"network file")
    if metadata.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"{where}: format version {metadata.get('format_version')!r}; this "
                         f"cnnlab ({_version()}) reads version {FORMAT_VERSION}: upgrade cnnlab")
    for key in ("architecture", "dtype"):
        if key not in metadata:
            raise ValueError(f"{where}: its metadata has no {key!r}")
    if metadata["dtype"] not in _DTYPES:
        raise ValueError(f"{where}: dtype {metadata['dtype']!r} is not one of {_DTYPES}")
    accuracy = metadata.get("test_accuracy")
    if accuracy is not None and not (isinstance(accuracy, (int, float)) and 0 <= accuracy <= 1):
        raise ValueError(f"{where}: test_accuracy {accuracy!r} is not between 0 and 1")
    return metadata
