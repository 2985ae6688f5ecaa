"""Checkers for lesson 04: max pooling with a stride, and its backward pass."""

from __future__ import annotations

import numpy as np

from ..pooling import (
    avg_pool_backward,
    avg_pool_forward,
    max_pool,
    max_pool_backward,
    max_pool_forward,
)
from ._check import CheckResult, compare_arrays, run_function

_MAP = np.random.default_rng(4).permutation(36).reshape(6, 6).astype(float)


def check_max_pool(max_pool_2d):
    """``max_pool_2d(feature_map, size, stride)`` for a 2-D map (floor rule).

    Parameters
    ----------
    max_pool_2d : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_max_pool(lambda m, size, stride: max_pool(m, size, stride)).passed
    True
    >>> message = check_max_pool(lambda m, size, stride: max_pool(m, size, size)).message
    >>> message.startswith("max_pool_2d: did you include the stride?")
    True
    """
    for size, stride in ((2, 2), (3, 2), (3, 1)):
        answer, failure = run_function(max_pool_2d, _MAP, size, stride, name="max_pool_2d")
        if failure is not None:
            return failure
        expected = max_pool(_MAP, size, stride)
        result = compare_arrays(answer, expected, "max_pool_2d", [
            (max_pool(_MAP, size, size), "did you include the stride? These windows step by "
                                         "the window size"),
            (avg_pool_forward(_MAP, size, stride)[0], "that is the average of each window; "
                                                      "max pooling keeps the largest value"),
            (max_pool(_MAP, stride, stride), "you used the stride as the window size"),
        ])
        if not result:
            return CheckResult(False, f"{result.message} (size {size}, stride {stride})")
    return CheckResult(True, "max_pool_2d: correct for three window/stride settings")


def check_max_pool_backward(max_pool_backward_2d):
    """``max_pool_backward_2d(grad_pooled, feature_map)`` for 2x2 windows, stride 2.

    Parameters
    ----------
    max_pool_backward_2d : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> def right(g, m):
    ...     return max_pool_backward(g, max_pool_forward(m, 2)[1])
    >>> check_max_pool_backward(right).passed
    True
    >>> def spread(g, m):
    ...     return np.kron(g, np.ones((2, 2))) / 4
    >>> print(check_max_pool_backward(spread).message[:77])
    max_pool_backward_2d: your gradient went to every cell of the window: that is
    """
    grad = np.arange(1.0, 10.0).reshape(3, 3)
    answer, failure = run_function(max_pool_backward_2d, grad, _MAP,
                                   name="max_pool_backward_2d")
    if failure is not None:
        return failure
    _, cache = max_pool_forward(_MAP, 2)
    expected = max_pool_backward(grad, cache)
    _, avg_cache = avg_pool_forward(_MAP, 2)
    return compare_arrays(answer, expected, "max_pool_backward_2d", [
        (avg_pool_backward(grad, avg_cache), "your gradient went to every cell of the window: "
         "that is average pooling's rule; max pooling sends it only to the winner"),
        (np.kron(grad, np.ones((2, 2))), "every cell of the window got the whole gradient; "
                                         "only the cell that held the maximum should"),
        (np.where(_MAP == np.kron(max_pool(_MAP, 2), np.ones((2, 2))), _MAP, 0.0),
         "those are the winning values of the map, not the gradient: put grad_pooled there"),
    ])
