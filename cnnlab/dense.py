"""The dense (fully connected) layer and flattening, with their backward passes.

Dense: every output is a weighted sum of every input, ``out = x @ weight + bias``.  Its
derivatives, for ``g = dL/dout``::

    dL/dx      = g @ weight.T      (N, D)
    dL/dweight = x.T @ g           (D, M)
    dL/dbias   = g summed over N   (M,)

Flatten turns each (C, H, W) map stack into one row of length C*H*W, so a dense layer can read
it; its backward puts the gradient back into that shape.

Each forward returns its cache as a dict whose ``"layer"`` entry names the forward that made it,
so a backward given another layer's cache says so.  The dtype of the result follows NumPy's rule
for the inputs (all float32 gives float32; any float64 input gives float64).
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_cache, check_same_shape

__all__ = ["dense_forward", "dense_backward", "flatten_forward", "flatten_backward"]


def dense_forward(x, weight, bias):
    """``out = x @ weight + bias``.

    Parameters
    ----------
    x : array_like, shape (N, D)
    weight : array_like, shape (D, M)
    bias : array_like, shape (M,)

    Returns
    -------
    out : numpy.ndarray, shape (N, M)
        A new array.
    cache : dict
        ``x`` and ``weight`` (references to the arrays given: do not change them before the
        backward), and ``"layer": "dense_forward"``.

    Examples
    --------
    >>> out, cache = dense_forward([[1.0, 2.0]], [[1.0], [10.0]], [0.5])
    >>> out
    array([[21.5]])
    """
    x = as_float_array(x, "x", ndim=2, axes="(N, D)")
    weight = as_float_array(weight, "weight", ndim=2, axes="(D, M)")
    bias = as_float_array(bias, "bias", ndim=1, axes="(M,)")
    if weight.shape[0] != x.shape[1]:
        raise ValueError(f"weight has {weight.shape[0]} rows but x has {x.shape[1]} features: "
                         f"weight (D, M) must match x (N, D) in D")
    if bias.shape[0] != weight.shape[1]:
        raise ValueError(f"bias must have one entry per output, shape ({weight.shape[1]},), "
                         f"got {bias.shape}")
    return _dense_forward(x, weight, bias)


def _dense_forward(x, weight, bias):
    """The body of :func:`dense_forward`, for float arrays whose shapes fit."""
    return x @ weight + bias, {"layer": "dense_forward", "x": x, "weight": weight}


def dense_backward(grad_out, cache):
    """Gradients of :func:`dense_forward`.

    Parameters
    ----------
    grad_out : array_like, shape (N, M)
    cache : dict
        From :func:`dense_forward`.

    Returns
    -------
    grad_x : numpy.ndarray, shape (N, D)
    grad_weight : numpy.ndarray, shape (D, M)
    grad_bias : numpy.ndarray, shape (M,)

    Examples
    --------
    >>> _, cache = dense_forward([[1.0, 2.0]], [[1.0], [10.0]], [0.5])
    >>> grad_x, grad_weight, grad_bias = dense_backward([[1.0]], cache)
    >>> grad_x, grad_weight.ravel(), grad_bias
    (array([[ 1., 10.]]), array([1., 2.]), array([1.]))
    """
    check_cache(cache, "cache", "dense_forward", "dense_backward")
    x, weight = cache["x"], cache["weight"]
    grad = as_float_array(grad_out, "grad_out", ndim=2, axes="(N, M)")
    check_same_shape(grad, "grad_out", (x.shape[0], weight.shape[1]), "the forward's output")
    return _dense_backward(grad, cache)


def _dense_backward(grad, cache):
    """The body of :func:`dense_backward`, for a float array of the output's shape."""
    x, weight = cache["x"], cache["weight"]
    # The forward was out = x @ weight + bias: each output mixed every input through weight.
    return grad @ weight.T, x.T @ grad, grad.sum(axis=0)


def flatten_forward(x):
    """Flatten everything but the first (batch) axis.

    Parameters
    ----------
    x : array_like, shape (N, ...)

    Returns
    -------
    out : numpy.ndarray, shape (N, prod(...))
        A new array (never a view of ``x``: writing into it leaves ``x`` alone).
    cache : dict
        The original shape, and ``"layer": "flatten_forward"``.

    Examples
    --------
    >>> out, cache = flatten_forward(np.zeros((2, 3, 4, 4)))
    >>> out.shape
    (2, 48)
    """
    x = as_float_array(x, "x")
    if x.ndim < 2:
        raise ValueError(f"x must have a batch axis and at least one more, got shape {x.shape}")
    return _flatten_forward(x)


def _flatten_forward(x):
    """The body of :func:`flatten_forward`, for a float array with a batch axis."""
    return x.reshape(x.shape[0], -1).copy(), {"layer": "flatten_forward", "shape": x.shape}


def flatten_backward(grad_out, cache):
    """Put the gradient back into the shape :func:`flatten_forward` flattened.

    Parameters
    ----------
    grad_out : array_like, shape (N, D)
    cache : dict
        From :func:`flatten_forward`.

    Returns
    -------
    numpy.ndarray, the original shape (N, ...)
        A new array.

    Examples
    --------
    >>> _, cache = flatten_forward(np.zeros((2, 3, 4, 4)))
    >>> flatten_backward(np.ones((2, 48)), cache).shape
    (2, 3, 4, 4)
    """
    check_cache(cache, "cache", "flatten_forward", "flatten_backward")
    shape = cache["shape"]
    grad = as_float_array(grad_out, "grad_out", ndim=2, axes="(N, D)")
    check_same_shape(grad, "grad_out", (shape[0], int(np.prod(shape[1:]))),
                     "the forward's output")
    return _flatten_backward(grad, cache)


def _flatten_backward(grad, cache):
    """The body of :func:`flatten_backward`, for a float array of the output's shape."""
    # The forward only laid each (C, H, W) stack out as a row: lay the gradient back.
    return grad.reshape(cache["shape"]).copy()
