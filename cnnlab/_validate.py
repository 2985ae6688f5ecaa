"""Argument checks shared by every public function in cnnlab.

Every public function calls these helpers before it computes anything, so that a learner who
passes the wrong thing gets a ``TypeError`` or ``ValueError`` that names the argument and the
rule it broke, instead of a silently wrong number or a NumPy broadcasting error three calls deep.

The helpers never modify what they are given.  ``as_float_array`` returns a float array: a new
float64 array for integer input (raw 0..255 pixels included), the caller's own float array
otherwise (callers must treat it as read-only).
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "as_float_array",
    "check_int",
    "check_pair",
    "check_labels",
    "check_same_shape",
]


def _describe_ndim(ndim, axes):
    if axes:
        return f"{ndim}-D {axes}"
    return f"{ndim}-D"


def as_float_array(value, name, ndim=None, axes=None, allow_empty=False):
    """Return ``value`` as a finite float array, or raise an error that names ``name``.

    Parameters
    ----------
    value : array_like
        Real numbers: bool, complex, strings and objects are refused with ``TypeError``.
    name : str
        The argument's name as the caller's signature spells it, used in error messages.
    ndim : int or tuple of int, optional
        The number (or allowed numbers) of dimensions.
    axes : str, optional
        What the axes mean, e.g. ``"(N, C, H, W)"``; only used in the message.
    allow_empty : bool
        Whether an array with a zero-length axis is acceptable (default: no).

    Returns
    -------
    numpy.ndarray
        float64 for integer input; float32/float64 input keeps its dtype.  Not a copy when the
        input already was a float array: do not write into it.

    Examples
    --------
    >>> as_float_array([[1, 2], [3, 4]], "image", ndim=2).dtype
    dtype('float64')
    """
    if isinstance(value, np.ndarray):
        array = value
    else:
        try:
            array = np.asarray(value)
        except (ValueError, TypeError) as error:  # ragged nested lists, for example
            raise TypeError(f"{name} must be an array of real numbers: {error}") from None
    kind = array.dtype.kind
    if kind == "b":
        raise TypeError(f"{name} must hold real numbers, got a boolean array; "
                        f"convert it with {name}.astype(float) if you mean 0 and 1")
    if kind == "c":
        raise TypeError(f"{name} must hold real numbers, got complex dtype {array.dtype}")
    if kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {array.dtype}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            wanted = " or ".join(_describe_ndim(n, axes if len(allowed) == 1 else None)
                                 for n in allowed)
            if len(allowed) > 1 and axes:
                wanted += f" {axes}"
            raise ValueError(f"{name} must be {wanted}, got shape {array.shape} "
                             f"({array.ndim}-D)")
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if kind == "f":
        if array.dtype.itemsize < 4:
            array = array.astype(np.float64)
    else:
        array = array.astype(np.float64)
    if not np.logical_and.reduce(np.isfinite(array), axis=None):
        bad = np.argwhere(~np.isfinite(array))[0]
        where = tuple(int(i) for i in bad)
        raise NotFiniteError(f"{name} must be finite, but {name}[{', '.join(map(str, where))}] "
                             f"is {array[where]}")
    return array


def check_int(value, name, minimum=None):
    """Return ``value`` as a Python int, refusing bools, floats and anything below ``minimum``.

    Examples
    --------
    >>> check_int(2, "stride", minimum=1)
    2
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} "
                        f"({type(value).__name__})")
    value = int(value)
    if minimum is not None and value < minimum:
        rule = "at least 1" if minimum == 1 else f"at least {minimum}"
        if minimum == 0:
            rule = "0 or more (negative values are not allowed)"
        raise ValueError(f"{name} must be {rule}, got {value}")
    return value


def check_pair(value, name, minimum=None):
    """Return an int or a pair of ints as a ``(rows, cols)`` tuple.

    Examples
    --------
    >>> check_pair(2, "stride", minimum=1)
    (2, 2)
    >>> check_pair((1, 3), "stride", minimum=1)
    (1, 3)
    """
    if isinstance(value, (tuple, list, np.ndarray)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an integer or a pair (rows, cols), "
                             f"got {tuple(value)!r}")
        return tuple(check_int(v, f"{name}[{i}]", minimum) for i, v in enumerate(value))
    v = check_int(value, name, minimum)
    return (v, v)


def check_labels(labels, name, n_classes, n_samples=None):
    """Return integer class labels as an int64 array, checking range and length.

    Examples
    --------
    >>> check_labels([0, 2, 1], "labels", n_classes=3)
    array([0, 2, 1])
    """
    array = np.asarray(labels)
    if array.dtype.kind == "f":
        if not np.isfinite(array).all() or not np.all(array == np.round(array)):
            raise TypeError(f"{name} must be whole class numbers 0..{n_classes - 1}, "
                            f"got non-integer values")
    elif array.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer class numbers, got dtype {array.dtype}")
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D (N,), got shape {array.shape}")
    if n_samples is not None and array.shape[0] != n_samples:
        raise ValueError(f"{name} has {array.shape[0]} entries but there are {n_samples} "
                         f"samples: they must match")
    if array.size and (array.min() < 0 or array.max() >= n_classes):
        raise ValueError(f"{name} must lie in 0..{n_classes - 1}, got values from "
                         f"{array.min()} to {array.max()}")
    return array.astype(np.int64)


def check_same_shape(array, name, shape, what):
    """Raise ``ValueError`` unless ``array.shape == shape``; ``what`` says whose shape it is."""
    if tuple(array.shape) != tuple(shape):
        raise ValueError(f"{name} must have the shape of {what}, {tuple(shape)}, "
                         f"got {tuple(array.shape)}")


def check_float(value, name, minimum=None, maximum=None, allow_minimum=True):
    """Return ``value`` as a finite Python float, refusing bools, strings, complex and NaN/inf.

    ``minimum``/``maximum`` bound it; ``allow_minimum=False`` makes the lower bound strict
    (``eps > 0``, ``learning rate > 0``).

    Examples
    --------
    >>> check_float(0.5, "learning_rate", minimum=0, allow_minimum=False)
    0.5
    >>> check_float(0, "eps", minimum=0, allow_minimum=False)
    Traceback (most recent call last):
    ...
    ValueError: eps must be greater than 0, got 0.0
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None and (value < minimum or (value == minimum and not allow_minimum)):
        rule = f"at least {minimum}" if allow_minimum else f"greater than {minimum}"
        raise ValueError(f"{name} must be {rule}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}, got {value}")
    return value


def check_bool(value, name):
    """Return ``value`` if it is ``True`` or ``False`` (NumPy bools too), else raise TypeError.

    Examples
    --------
    >>> check_bool(True, "input_grad")
    True
    >>> check_bool("no", "input_grad")
    Traceback (most recent call last):
    ...
    TypeError: input_grad must be True or False, got 'no' (str)
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r} ({type(value).__name__})")
    return bool(value)


def as_rng(seed, name="seed"):
    """Return a ``np.random.Generator`` from a seed (``None`` or an int >= 0) or a Generator.

    The one place where the course turns a seed into random numbers: the same seed gives the
    same numbers on every run.

    Examples
    --------
    >>> as_rng(0).integers(10, size=3)
    array([8, 6, 5])
    >>> as_rng("zero")
    Traceback (most recent call last):
    ...
    TypeError: seed must be None, an integer >= 0 or a numpy.random.Generator, got 'zero' (str)
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"{name} must be None, an integer >= 0 or a numpy.random.Generator, "
                        f"got {seed!r} ({type(seed).__name__})")
    return np.random.default_rng(int(seed))


def check_cache(cache, name, layer, kind):
    """Check that a backward pass got the cache of its own forward pass.

    Every forward returns its cache as a ``dict`` with a ``"layer"`` entry naming the forward
    that made it; a backward given another layer's cache says which forward it came from.

    Examples
    --------
    >>> check_cache({"layer": "flatten_forward", "shape": (2, 3)}, "cache", "flatten_forward",
    ...             "flatten_backward")
    {'layer': 'flatten_forward', 'shape': (2, 3)}
    >>> check_cache({"layer": "flatten_forward"}, "cache", "flatten_forward",
    ...             "flatten_backward")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: flatten_backward needs the cache ... unchanged; the cache given misses ['shape']
    """
    made_by = cache.get("layer") if isinstance(cache, dict) else None
    if made_by != layer:
        source = f"comes from {made_by}" if made_by else f"is a {type(cache).__name__}"
        raise TypeError(f"{kind} needs the cache returned by {layer}; the {name} given "
                        f"{source}")
    missing = [key for key in _CACHE_KEYS.get(layer, ()) if key not in cache]
    if missing:
        raise ValueError(f"{kind} needs the cache returned by {layer}, unchanged; the {name} "
                         f"given misses {missing}")
    return cache


# What each forward's cache holds (its backward reads them): a cache with one missing was
# changed after the forward made it.
_CACHE_KEYS = {
    "conv_forward": ("x", "weight", "has_bias", "stride", "pads", "dilation", "columns"),
    "max_pool_forward": ("x", "x_shape", "out_shape", "size", "stride", "winner"),
    "avg_pool_forward": ("x", "x_shape", "out_shape", "size", "stride"),
    "relu_forward": ("x", "shape"), "leaky_relu_forward": ("x", "shape", "slope"),
    "sigmoid_forward": ("out", "shape"), "dense_forward": ("x", "weight"),
    "flatten_forward": ("shape",),
    "seed_forward": ("image", "network", "conv", "pre_activation", "relu", "pooled", "flat",
                     "logit", "y_hat"),
    "seed_network_forward": ("kernel", "weight", "conv", "conv_cache", "pre_activation",
                             "relu", "relu_cache", "pooled", "pool_cache", "flat"),
    "small_cnn_forward": ("blocks", "conv1_cache", "relu1_cache", "pool1_cache",
                          "flatten_cache", "dense_cache", "logits_shape"),
    "conv_relu_pool_forward": ("geometry", "weight_shape", "dtype", "kernels", "patches",
                               "pooled", "winner"),
}


class NotFiniteError(ValueError):
    """A value that must be a finite number is NaN or infinite (or would overflow float64).

    A ``ValueError``, so callers that catch ``ValueError`` still catch it; raised by
    :func:`as_float_array` and by the losses when the loss itself exceeds float64.  The
    :class:`cnnlab.train.Trainer` reads it during a training step as "training diverged".

    Examples
    --------
    >>> issubclass(NotFiniteError, ValueError)
    True
    """


def as_real_array(value, name, ndim=None, axes=None, allow_empty=False):
    """Like :func:`as_float_array`, but integer arrays keep their dtype (no float copy is made).

    For labels, targets and raw uint8 pixels, whose dtype means something: bool, complex,
    strings and objects are refused with ``TypeError``; float arrays must be finite.

    Examples
    --------
    >>> as_real_array(np.array([3, 1], dtype=np.uint8), "labels", ndim=1).dtype
    dtype('uint8')
    """
    if isinstance(value, np.ndarray) and value.dtype.kind in "iu":
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if ndim is not None and value.ndim not in allowed:
            wanted = " or ".join(f"{n}-D" for n in allowed) + (f" {axes}" if axes else "")
            raise ValueError(f"{name} must be {wanted}, got shape {value.shape} "
                             f"({value.ndim}-D)")
        if value.size == 0 and not allow_empty:
            raise ValueError(f"{name} must not be empty, got shape {value.shape}")
        return value
    if not isinstance(value, np.ndarray):
        try:
            value = np.asarray(value)
        except (ValueError, TypeError) as error:
            raise TypeError(f"{name} must be an array of real numbers: {error}") from None
        if value.dtype.kind in "iu":
            return as_real_array(value, name, ndim, axes, allow_empty)
    return as_float_array(value, name, ndim, axes, allow_empty)


def check_axes(ax, name="ax"):
    """Return ``ax`` if it is a matplotlib ``Axes``, else raise ``TypeError`` naming ``name``.

    Examples
    --------
    >>> check_axes("ax")
    Traceback (most recent call last):
    ...
    TypeError: ax must be a matplotlib Axes (e.g. from plt.subplots()), got str
    """
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"{name} must be a matplotlib Axes (e.g. from plt.subplots()), got "
                        f"{type(ax).__name__}")
    return ax


def check_str(value, name, allow_none=False):
    """Return ``value`` if it is a string (or ``None`` when allowed), else raise ``TypeError``.

    Examples
    --------
    >>> check_str("loss", "title")
    'loss'
    """
    if (value is None and allow_none) or isinstance(value, str):
        return value
    wanted = "a string or None" if allow_none else "a string"
    raise TypeError(f"{name} must be {wanted}, got {value!r} ({type(value).__name__})")


def check_index(value, name, size, what="an index"):
    """Return ``value`` as an int in ``0..size - 1`` (a digit, an image's number...).

    Examples
    --------
    >>> check_index(7, "digit", 10, "a digit")
    7
    >>> check_index(10, "digit", 10, "a digit")
    Traceback (most recent call last):
    ...
    ValueError: digit must be a digit 0..9, got 10
    """
    value = check_int(value, name, minimum=0)
    if value >= size:
        raise ValueError(f"{name} must be {what} 0..{size - 1}, got {value}")
    return value


def check_int_sequence(values, name, minimum=None):
    """Return a non-empty sequence (a list, tuple or range) of ints as a list.

    Examples
    --------
    >>> check_int_sequence(range(1, 4), "sizes", minimum=1)
    [1, 2, 3]
    >>> check_int_sequence(None, "shifts")
    Traceback (most recent call last):
    ...
    TypeError: shifts must be a list or range of integers, got None (NoneType)
    """
    if not isinstance(values, (list, tuple, range, np.ndarray)) or (
            isinstance(values, np.ndarray) and values.ndim != 1):
        raise TypeError(f"{name} must be a list or range of integers, got {values!r} "
                        f"({type(values).__name__})")
    if len(values) == 0:
        raise ValueError(f"{name} must hold at least one integer, got none")
    return [check_int(value, f"{name}[{index}]", minimum) for index, value in enumerate(values)]


def as_unit_image(value, name, shape=None):
    """Return a 2-D image with values in [0, 1] as a float array, or raise naming ``name``.

    A raw 0..255 image is refused with a hint (divide by 255), not shown as white.

    Examples
    --------
    >>> as_unit_image(np.zeros((2, 2)), "image").shape
    (2, 2)
    >>> as_unit_image(np.full((2, 2), 255), "image")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: image must hold values in [0, 1] (divide raw 0..255 pixels by 255), got ...
    """
    array = as_float_array(value, name, ndim=2, axes="(H, W)")
    if shape is not None and array.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got {array.shape}")
    low, high = float(array.min()), float(array.max())
    if low < 0 or high > 1:
        raise ValueError(f"{name} must hold values in [0, 1] (divide raw 0..255 pixels by 255), "
                         f"got values from {low:g} to {high:g}")
    return array


def check_float_dtype(dtype, name="dtype"):
    """Return ``dtype`` as ``numpy.float32`` or ``numpy.float64``; anything else (None too)
    raises ``TypeError`` naming ``name``.

    Examples
    --------
    >>> check_float_dtype("float32")
    dtype('float32')
    >>> check_float_dtype(int)
    Traceback (most recent call last):
    ...
    TypeError: dtype must be numpy.float32 or numpy.float64, got int64
    """
    rule = f"{name} must be numpy.float32 or numpy.float64"
    if dtype is None:                                   # np.dtype(None) would be float64
        raise TypeError(f"{rule}, got None")
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{rule}, got {dtype!r}") from None
    if dtype not in (np.float32, np.float64):
        raise TypeError(f"{rule}, got {dtype}")
    return dtype


def check_dict(value, name, what="a dict"):
    """Return ``value`` if it is a dict, else raise ``TypeError``: "``name`` must be ``what``".

    Examples
    --------
    >>> check_dict([1.0], "params", "a dict of named arrays")
    Traceback (most recent call last):
    ...
    TypeError: params must be a dict of named arrays, got list
    """
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__}")
    return value
