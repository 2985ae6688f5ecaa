"""Activations, each with its derivative beside it; stable at any input scale, never in place.

=============  ==============================  ======================================
function       forward                         derivative
=============  ==============================  ======================================
ReLU           ``max(x, 0)``                   ``1 if x > 0 else 0`` (0 at the kink)
leaky ReLU     ``x if x > 0 else slope * x``   ``1 if x > 0 else slope``
sigmoid        ``1 / (1 + exp(-x))``           ``sigmoid(x) * (1 - sigmoid(x))``
softmax        ``exp(x_k) / sum_j exp(x_j)``   (used with cross-entropy; see ``losses``)
=============  ==============================  ======================================

The seed's ReLU wrote ``C[C < 0] = 0`` into the array it was given, so the caller's feature map
changed behind its back; these return new arrays.  The seed's sigmoid computed
``1 / (1 + exp(-x))`` directly, which overflows (``exp(710)`` is inf, with a warning) when ``x`` is
a large negative number, as it is for raw 0..255 pixels; here ``sigmoid(x) = exp(-log(1 + e^-x))``
through ``np.logaddexp``, which never overflows.
"""

from __future__ import annotations

import numpy as np

from ._validate import (
    NotFiniteError,
    as_float_array,
    check_cache,
    check_float,
    check_int,
    check_same_shape,
)

__all__ = [
    "relu",
    "relu_forward",
    "relu_backward",
    "leaky_relu",
    "leaky_relu_forward",
    "leaky_relu_backward",
    "sigmoid",
    "sigmoid_forward",
    "sigmoid_backward",
    "softmax",
    "log_softmax",
]


def _check_backward(grad_out, cache, layer, kind):
    """A backward's checks: the cache came from ``layer``; grad_out has its output's shape."""
    check_cache(cache, "cache", layer, kind)
    grad = as_float_array(grad_out, "grad_out", allow_empty=True)
    check_same_shape(grad, "grad_out", cache["shape"], "the forward output")
    return grad


def relu(x):
    """Rectified linear unit, ``max(x, 0)``, as a new array.

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    numpy.ndarray, shape of x

    Examples
    --------
    >>> relu([-2.0, 0.0, 3.0])
    array([0., 0., 3.])
    """
    return relu_forward(x)[0]


def relu_forward(x):
    """ReLU, returning ``(out, cache)``.

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    out : numpy.ndarray, shape of x
    cache : dict
        ``layer`` ("relu_forward"), ``x`` and its ``shape``, for the backward pass.

    Examples
    --------
    >>> out, cache = relu_forward([-1, 2])
    >>> out
    array([0., 2.])
    """
    return _relu_forward(as_float_array(x, "x", allow_empty=True))


def _relu_forward(x):
    """The body of :func:`relu_forward`, for a float array."""
    # max(x, 0) against an array of zeros (NumPy's loop for two arrays is the faster one);
    # zeros_like keeps x's memory layout.
    zeros = np.zeros_like(x)
    return np.maximum(x, zeros, out=zeros), {"layer": "relu_forward", "x": x, "shape": x.shape}


def relu_backward(grad_out, cache):
    """``dL/dx = dL/dout`` where ``x > 0``, else 0 (at ``x = 0`` exactly: 0, as PyTorch does).

    Parameters
    ----------
    grad_out : array_like, shape of x
    cache : dict
        From :func:`relu_forward`.

    Returns
    -------
    numpy.ndarray, shape of x

    Examples
    --------
    >>> _, cache = relu_forward([-1.0, 0.0, 2.0])
    >>> relu_backward([5.0, 5.0, 5.0], cache)
    array([0., 0., 5.])
    """
    return _relu_backward(_check_backward(grad_out, cache, "relu_forward", "relu_backward"),
                          cache)


def _relu_backward(grad, cache):
    """The body of :func:`relu_backward`, for a float array of the output's shape."""
    # in the forward pass this was out = max(x, 0), so now dx = grad where x > 0, else 0
    return grad * (cache["x"] > 0)


def leaky_relu(x, slope=0.01):
    """Leaky ReLU: ``x`` where positive, ``slope * x`` elsewhere.

    Parameters
    ----------
    x : array_like, any shape
    slope : float
        Gradient for negative inputs, 0 <= slope < 1.

    Returns
    -------
    numpy.ndarray, shape of x

    Examples
    --------
    >>> leaky_relu([-10.0, 10.0], slope=0.1)
    array([-1., 10.])
    """
    return leaky_relu_forward(x, slope)[0]


def _check_slope(slope):
    slope = check_float(slope, "slope", minimum=0)
    if slope >= 1:
        raise ValueError(f"slope must satisfy 0 <= slope < 1, got {slope}")
    return slope


def leaky_relu_forward(x, slope=0.01):
    """Leaky ReLU, returning ``(out, cache)``.

    Parameters
    ----------
    x : array_like, any shape
    slope : float

    Returns
    -------
    out : numpy.ndarray, shape of x
    cache : dict
        ``layer`` ("leaky_relu_forward"), ``x``, its ``shape`` and ``slope``.

    Examples
    --------
    >>> leaky_relu_forward([-1.0, 1.0], slope=0.5)[0]
    array([-0.5,  1. ])
    """
    x = as_float_array(x, "x", allow_empty=True)
    slope = _check_slope(slope)
    cache = {"layer": "leaky_relu_forward", "x": x, "shape": x.shape, "slope": slope}
    return np.where(x > 0, x, slope * x), cache


def leaky_relu_backward(grad_out, cache):
    """``dL/dx = dL/dout`` where ``x > 0``, else ``slope * dL/dout``.

    Parameters
    ----------
    grad_out : array_like, shape of x
    cache : dict
        From :func:`leaky_relu_forward`.

    Returns
    -------
    numpy.ndarray, shape of x

    Examples
    --------
    >>> _, cache = leaky_relu_forward([-1.0, 1.0], slope=0.5)
    >>> leaky_relu_backward([2.0, 2.0], cache)
    array([1., 2.])
    """
    grad = _check_backward(grad_out, cache, "leaky_relu_forward", "leaky_relu_backward")
    # in the forward pass this was out = x or slope * x, so now dx = grad or slope * grad
    return np.where(cache["x"] > 0, grad, cache["slope"] * grad)


def sigmoid(x):
    """The logistic function ``1 / (1 + exp(-x))``, stable for any ``x`` (no overflow warning).

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    numpy.ndarray (or float for a scalar), values in [0, 1]

    Examples
    --------
    >>> float(sigmoid(0.0))
    0.5
    >>> sigmoid([-1000.0, 1000.0])        # the seed's formula overflows here
    array([0., 1.])
    """
    return sigmoid_forward(x)[0]


def sigmoid_forward(x):
    """Sigmoid, returning ``(out, cache)``; ``cache`` is the output (the derivative needs it).

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    out : numpy.ndarray, shape of x
    cache : dict
        ``layer`` ("sigmoid_forward"), ``out`` and its ``shape``.

    Examples
    --------
    >>> out, cache = sigmoid_forward([0.0])
    >>> out
    array([0.5])
    """
    x = as_float_array(x, "x", allow_empty=True)
    out = _sigmoid(x)
    return out, {"layer": "sigmoid_forward", "out": out, "shape": out.shape}


def _sigmoid(x):
    """The body of :func:`sigmoid`, for a finite float array or number."""
    # exp(-log(1 + exp(-x))): logaddexp(0, -x) is log(1 + e^-x) computed without overflow.
    return np.exp(-np.logaddexp(0.0, -x))


def sigmoid_backward(grad_out, cache):
    """``dL/dx = dL/dout * s * (1 - s)`` with ``s = sigmoid(x)``.

    Parameters
    ----------
    grad_out : array_like, shape of x
    cache : dict
        From :func:`sigmoid_forward`.

    Returns
    -------
    numpy.ndarray, shape of x

    Examples
    --------
    >>> _, cache = sigmoid_forward([0.0])
    >>> sigmoid_backward([1.0], cache)
    array([0.25])
    """
    grad = _check_backward(grad_out, cache, "sigmoid_forward", "sigmoid_backward")
    # in the forward pass this was s = sigmoid(x), so now dx = grad * s * (1 - s)
    s = cache["out"]
    return grad * s * (1.0 - s)


def _shifted(logits, axis):
    """Check ``logits`` and ``axis``; return ``logits - max`` along the axis (every entry <= 0).

    When two logits are further apart than the largest float (1.8e308), their difference
    rounds to -inf, and its exponential to 0: the right probability, so no warning is raised.
    """
    logits = as_float_array(logits, "logits")
    axis = check_int(axis, "axis")
    if not -logits.ndim <= axis < logits.ndim:
        raise ValueError(f"axis {axis} is out of range for logits of shape {logits.shape}")
    return _shift(logits, axis), axis


def _shift(logits, axis):
    """``logits - max`` along ``axis``, for a float array and an axis in range."""
    with np.errstate(over="ignore"):
        return logits - logits.max(axis=axis, keepdims=True)


def softmax(logits, axis=-1):
    """Softmax: ``exp(z_k) / sum_j exp(z_j)`` along ``axis``, stable for any scale.

    Subtracting the largest logit first changes nothing mathematically and keeps every
    ``exp`` at most 1, so nothing overflows.

    Parameters
    ----------
    logits : array_like, e.g. (N, K)
    axis : int
        The class axis.

    Returns
    -------
    numpy.ndarray, shape of logits
        Non-negative, summing to 1 along ``axis``.

    Examples
    --------
    >>> softmax([1.0, 1.0])
    array([0.5, 0.5])
    >>> softmax([1000.0, 0.0]).round(6)
    array([1., 0.])
    """
    shifted, axis = _shifted(logits, axis)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=axis, keepdims=True)


def log_softmax(logits, axis=-1):
    """``log(softmax(z))``, computed as ``z - max - log(sum exp(z - max))`` (no log of 0).

    Parameters
    ----------
    logits : array_like, e.g. (N, K)
    axis : int

    Returns
    -------
    numpy.ndarray, shape of logits

    Examples
    --------
    >>> log_softmax([0.0, 0.0]).round(4)
    array([-0.6931, -0.6931])
    >>> float(log_softmax([0.0, -1000.0])[1])    # log(softmax) would give log(0) = -inf
    -1000.0

    Logits further apart than the largest float (1.8e308) have a log-probability below
    -1.8e308, which float64 cannot hold: that is refused rather than returned as -inf.

    >>> log_softmax([1.7e308, -1.7e308])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cnnlab._validate.NotFiniteError: logits are too far apart for float64: ... below -1.8e308...
    """
    shifted, axis = _shifted(logits, axis)
    if np.isinf(shifted).any():         # z - max overflowed: the answer is not a float64
        where = tuple(int(i) for i in np.argwhere(np.isinf(shifted))[0])
        logits = np.asarray(logits, dtype=float)
        top = logits.max(axis=axis, keepdims=True)[
            tuple(0 if a == axis % logits.ndim else i for a, i in enumerate(where))]
        index = ", ".join(map(str, where))
        raise NotFiniteError(
            f"logits are too far apart for float64: log_softmax(logits)[{index}] is about "
            f"{logits[where]:.2g} - {top:.2g}, below -1.8e308, the most negative float64")
    return _log_softmax(shifted, axis)


def _log_softmax(shifted, axis):
    """The body of :func:`log_softmax`, for ``_shift(logits, axis)``."""
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
