"""Checkers for lesson 09: im2col, and the gradient of softmax cross-entropy."""

from __future__ import annotations

import numpy as np

from ..activations import softmax
from ._check import compare_arrays, run_function

_IMAGE = np.arange(20.0).reshape(4, 5)


def check_im2col(im2col):
    """``im2col(image, k)``: one row per k x k patch (row-major positions), patch flattened.

    Parameters
    ----------
    im2col : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> from numpy.lib.stride_tricks import sliding_window_view as windows
    >>> check_im2col(lambda im, k: windows(im, (k, k)).reshape(-1, k * k)).passed
    True
    >>> print(check_im2col(lambda im, k: windows(im, (k, k)).reshape(-1, k * k).T).message)
    im2col: you returned one column per patch (the transpose): put each patch in a row
    """
    answer, failure = run_function(im2col, _IMAGE, 3, name="im2col")
    if failure is not None:
        return failure
    windows = np.lib.stride_tricks.sliding_window_view(_IMAGE, (3, 3))
    expected = windows.reshape(-1, 9)
    return compare_arrays(answer, expected, "im2col", [
        (expected.T, "you returned one column per patch (the transpose): put each patch in "
                     "a row"),
        (windows.transpose(1, 0, 2, 3).reshape(-1, 9), "your patches go down the columns "
                                                         "first; go along each row first"),
        (windows.transpose(0, 1, 3, 2).reshape(-1, 9), "each patch is flattened column by "
                                                         "column; flatten it row by row"),
    ])


def check_softmax_grad(softmax_ce_grad):
    """``softmax_ce_grad(logits, labels)``: dL/dlogits of the batch-mean cross-entropy.

    Parameters
    ----------
    softmax_ce_grad : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> from cnnlab.losses import softmax_cross_entropy
    >>> check_softmax_grad(lambda z, y: softmax_cross_entropy(z, y)[1]).passed
    True
    >>> wrong = lambda z, y: softmax_cross_entropy(z, y)[1] * len(y)
    >>> print(check_softmax_grad(wrong).message)
    dL/dlogits: you forgot to divide by the batch size (the loss is a mean over N images)
    """
    rng = np.random.default_rng(9)
    logits = rng.normal(size=(4, 5))
    labels = np.array([0, 3, 3, 1])
    answer, failure = run_function(softmax_ce_grad, logits, labels, name="softmax_ce_grad")
    if failure is not None:
        return failure
    one_hot = np.eye(5)[labels]
    right = (softmax(logits) - one_hot) / 4
    return compare_arrays(answer, right, "dL/dlogits", [
        (right * 4, "you forgot to divide by the batch size (the loss is a mean over N images)"),
        (-right, "the sign is flipped: dL/dz = softmax(z) - one_hot"),
        ((logits - one_hot) / 4, "apply the softmax first: dL/dz = softmax(z) - one_hot"),
        (softmax(logits) / 4, "subtract the one-hot labels: dL/dz = softmax(z) - one_hot"),
    ])
