"""Losses: a number that says how wrong the prediction is, and its gradient.

Each function returns ``(loss, grad)``: the loss and its derivative with respect to what the
network produced, ready to start the backward pass.

* :func:`squared_error`: the seed's ``1/2 (y_hat - y)^2``, gradient ``y_hat - y``.
* :func:`binary_cross_entropy_with_logits`: for a sigmoid output, from the logit ``z`` (before
  the sigmoid).  ``-[y log s + (1 - y) log(1 - s)]`` with ``s = sigmoid(z)`` equals
  ``log(1 + e^z) - y z``, computed with ``np.logaddexp`` so it never overflows and never takes
  ``log(0)``; the gradient is simply ``s - y``.
* :func:`softmax_cross_entropy`: for K classes, ``-log softmax(z)[label]``; gradient
  ``softmax(z) - one_hot(label)``.

Cross-entropy losses are averaged over the batch (so the learning rate does not depend on the
batch size); the squared error is summed, as in the seed.

At any finite input scale no function here warns: the cross-entropies stay finite up to the
largest float64 logits (each term is divided by the batch size before the sum), and when a loss
itself would exceed the largest float64 (about 1.8e308) the function raises
:class:`cnnlab._validate.NotFiniteError` (a ``ValueError``) saying so.  The gradient has the
dtype of the prediction (``y_hat`` or ``logits``): float32 in, float32 out.
"""

from __future__ import annotations

import numpy as np

from ._validate import NotFiniteError, as_float_array, check_labels, check_same_shape
from .activations import _log_softmax, _shift, _sigmoid

__all__ = ["squared_error", "binary_cross_entropy_with_logits", "softmax_cross_entropy"]


def squared_error(y_hat, y):
    """``L = sum 1/2 (y_hat - y)^2`` and ``dL/dy_hat = y_hat - y``.

    Parameters
    ----------
    y_hat : array_like, any shape (a float for one prediction)
    y : array_like, same shape
        Targets.

    Returns
    -------
    loss : float
    grad_y_hat : numpy.ndarray, shape and dtype of y_hat

    Raises
    ------
    NotFiniteError
        When ``y_hat - y`` or the loss exceeds float64 (e.g. ``y_hat = 1e300, y = -1e300``).

    Examples
    --------
    >>> loss, grad = squared_error([0.5, 2.0], [1.0, 1.0])
    >>> loss, grad
    (0.625, array([-0.5,  1. ]))
    """
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    check_same_shape(y, "y", y_hat.shape, "y_hat")
    with np.errstate(over="ignore", invalid="ignore"):      # checked just below
        diff = (y_hat - y).astype(y_hat.dtype, copy=False)
        loss = 0.5 * float(np.sum(np.square(diff, dtype=np.float64)))
    if not np.isfinite(diff).all() or not np.isfinite(loss):
        raise NotFiniteError(f"the squared error of y_hat and y exceeds the largest float64 "
                             f"(about 1.8e308): y_hat lies in [{y_hat.min():.3g}, "
                             f"{y_hat.max():.3g}] and y in [{y.min():.3g}, {y.max():.3g}]; "
                             f"rescale y_hat and y")
    return loss, diff


def binary_cross_entropy_with_logits(logits, y):
    """Mean binary cross-entropy of ``sigmoid(logits)`` against 0/1 targets, from the logits.

    Parameters
    ----------
    logits : array_like, any shape
        ``z``, the output before the sigmoid.
    y : array_like, same shape
        Targets in [0, 1] (usually exactly 0 or 1).

    Returns
    -------
    loss : float
        ``mean(log(1 + e^z) - y z)``.
    grad_logits : numpy.ndarray, shape and dtype of logits
        ``(sigmoid(z) - y) / size``.

    Examples
    --------
    >>> loss, grad = binary_cross_entropy_with_logits([0.0], [1.0])
    >>> round(loss, 4), grad
    (0.6931, array([-0.5]))
    >>> binary_cross_entropy_with_logits([-1000.0], [1.0])[0]   # no overflow, no log(0)
    1000.0
    """
    logits = as_float_array(logits, "logits")
    y = as_float_array(y, "y")
    check_same_shape(y, "y", logits.shape, "logits")
    if y.min() < 0 or y.max() > 1:
        raise ValueError(f"y must hold targets between 0 and 1, got values from {y.min()} "
                         f"to {y.max()}")
    return _binary_cross_entropy_with_logits(logits, y)


def _binary_cross_entropy_with_logits(logits, y):
    """The body of :func:`binary_cross_entropy_with_logits`: finite floats of one shape, y
    in [0, 1]."""
    # Each term is at most |z| + log 2, so dividing by the size before summing keeps the mean
    # finite for every finite z (np.mean would sum first and could overflow).
    terms = np.logaddexp(0.0, logits) - y * logits
    loss = float(np.sum(terms / logits.size))
    grad = (_sigmoid(logits) - y) / logits.size
    return loss, grad.astype(logits.dtype, copy=False)


def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy of ``softmax(logits)`` against integer class labels.

    Parameters
    ----------
    logits : array_like, shape (N, K)
    labels : array_like of int, shape (N,)
        Class numbers 0..K-1.

    Returns
    -------
    loss : float
        ``-mean_n log softmax(logits[n])[labels[n]]``.
    grad_logits : numpy.ndarray, shape (N, K), dtype of logits
        ``(softmax(logits) - one_hot(labels)) / N``.

    Raises
    ------
    NotFiniteError
        When the loss exceeds the largest float64 (logits spread by more than about 1.8e308).

    Examples
    --------
    >>> loss, grad = softmax_cross_entropy([[0.0, 0.0]], [1])
    >>> round(loss, 4), grad
    (0.6931, array([[ 0.5, -0.5]]))
    """
    logits = as_float_array(logits, "logits", ndim=2, axes="(N, K)")
    n, k = logits.shape
    labels = check_labels(labels, "labels", n_classes=k, n_samples=n)
    return _softmax_cross_entropy(logits, labels)


def _softmax_cross_entropy(logits, labels):
    """The body of :func:`softmax_cross_entropy`: (N, K) finite floats, int64 labels in range."""
    n = logits.shape[0]
    with np.errstate(over="ignore"):      # a spread beyond float64 gives -inf: checked below
        log_probs = _log_softmax(_shift(logits, 1), 1)
    picked = log_probs[np.arange(n), labels]
    if not np.isfinite(picked).all():
        raise NotFiniteError(f"the cross-entropy exceeds the largest float64 (about 1.8e308): "
                             f"the logits of a row differ by more than that (logits from "
                             f"{logits.min():.3g} to {logits.max():.3g}); rescale the logits")
    loss = -float(np.sum(picked / n))
    grad = np.exp(log_probs)
    grad[np.arange(n), labels] -= 1.0
    return loss, grad / grad.dtype.type(n)
