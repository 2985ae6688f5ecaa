"""The dense (fully connected) layer and flattening, with their backward passes.

Dense: every output is a weighted sum of every input, ``out = x @ weight + bias``.  Its
derivatives, for ``g = dL/dout``::

    dL/dx      = g @ weight.T      (N, D)
    dL/dweight = x.T @ g           (D, M)
    dL/dbias   = g summed over N   (M,)

Flatten turns each (C, H, W) map stack into one row of length C*H*W, so a dense layer can read
it; its backward puts the gradient back into that shape.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array

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
    cache : tuple
        ``(x, weight)``.

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
    return x @ weight + bias, (x, weight)


def dense_backward(grad_out, cache):
    """Gradients of :func:`dense_forward`.

    Parameters
    ----------
    grad_out : array_like, shape (N, M)
    cache : tuple
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
    x, weight = cache
    grad = as_float_array(grad_out, "grad_out", ndim=2, axes="(N, M)")
    expected = (x.shape[0], weight.shape[1])
    if grad.shape != expected:
        raise ValueError(f"grad_out must have the forward output's shape {expected}, "
                         f"got {grad.shape}")
    return grad @ weight.T, x.T @ grad, grad.sum(axis=0)


def flatten_forward(x):
    """Flatten everything but the first (batch) axis.

    Parameters
    ----------
    x : array_like, shape (N, ...)

    Returns
    -------
    out : numpy.ndarray, shape (N, prod(...))
    cache : tuple
        The original shape.

    Examples
    --------
    >>> out, cache = flatten_forward(np.zeros((2, 3, 4, 4)))
    >>> out.shape
    (2, 48)
    """
    x = as_float_array(x, "x")
    if x.ndim < 2:
        raise ValueError(f"x must have a batch axis and at least one more, got shape {x.shape}")
    return x.reshape(x.shape[0], -1), x.shape


def flatten_backward(grad_out, cache):
    """Put the gradient back into the shape :func:`flatten_forward` flattened.

    Parameters
    ----------
    grad_out : array_like, shape (N, D)
    cache : tuple
        The original shape.

    Returns
    -------
    numpy.ndarray, the original shape (N, ...)

    Examples
    --------
    >>> _, cache = flatten_forward(np.zeros((2, 3, 4, 4)))
    >>> flatten_backward(np.ones((2, 48)), cache).shape
    (2, 3, 4, 4)
    """
    grad = as_float_array(grad_out, "grad_out", ndim=2, axes="(N, D)")
    expected = (cache[0], int(np.prod(cache[1:])))
    if grad.shape != expected:
        raise ValueError(f"grad_out must have the shape {expected}, got {grad.shape}")
    return grad.reshape(cache)
