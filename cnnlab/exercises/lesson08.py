"""Checkers for lesson 08: one gradient-descent update, and accuracy from probabilities."""

from __future__ import annotations

import numpy as np

from ._check import CheckResult, compare_arrays, run_function


def check_gd_update(gd_update):
    """``gd_update(params, grads, lr)`` returns new params: ``param - lr * grad`` for each.

    Parameters
    ----------
    gd_update : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> right = lambda p, g, lr: {k: p[k] - lr * g[k] for k in p}
    >>> check_gd_update(right).passed
    True
    >>> print(check_gd_update(lambda p, g, lr: {k: p[k] + lr * g[k] for k in p}).message)
    kernel: you stepped uphill: subtract the gradient (param - lr * grad)
    """
    rng = np.random.default_rng(8)
    params = {"kernel": rng.normal(size=(3, 3)), "bias": np.array(0.5)}
    grads = {"kernel": rng.normal(size=(3, 3)), "bias": np.array(-2.0)}
    answer, failure = run_function(gd_update, params, grads, 0.1, name="gd_update")
    if failure is not None:
        return failure
    if not isinstance(answer, dict) or set(answer) != set(params):
        return CheckResult(False, f"gd_update: return a dict with the keys {sorted(params)}, "
                                  f"got {type(answer).__name__}")
    for name in params:
        result = compare_arrays(answer[name], params[name] - 0.1 * grads[name], name, [
            (params[name] + 0.1 * grads[name], "you stepped uphill: subtract the gradient "
                                               "(param - lr * grad)"),
            (params[name] - grads[name], "you forgot the learning rate"),
            (-0.1 * grads[name], "that is the step alone; add it to the old value"),
        ])
        if not result:
            return result
    return CheckResult(True, "gd_update: correct")


def check_accuracy(binary_accuracy):
    """``binary_accuracy(y_hat, targets)``: the fraction with ``(y_hat > 0.5) == target``.

    Parameters
    ----------
    binary_accuracy : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_accuracy(lambda p, t: np.mean((p > 0.5) == t)).passed
    True
    >>> print(check_accuracy(lambda p, t: np.mean(np.round(p) == t) * 100).message)
    accuracy: that is a percentage; return a fraction between 0 and 1
    """
    y_hat = np.array([0.9, 0.2, 0.6, 0.45, 0.51, 0.05, 0.7, 0.3])
    targets = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0])
    answer, failure = run_function(binary_accuracy, y_hat, targets, name="binary_accuracy")
    if failure is not None:
        return failure
    expected = np.mean((y_hat > 0.5) == targets)
    return compare_arrays(answer, expected, "accuracy", [
        (expected * 100, "that is a percentage; return a fraction between 0 and 1"),
        (np.sum((y_hat > 0.5) == targets), "that is the count of right answers; divide by N"),
        (np.mean((y_hat > 0) == targets), "y_hat is a probability: threshold it at 0.5 "
                                          "(logits are thresholded at 0)"),
        (1 - expected, "that is the error rate; accuracy counts the right answers"),
    ])
