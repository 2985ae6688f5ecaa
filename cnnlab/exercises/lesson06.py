"""Checkers for lesson 06: the gradient at the logit, and the output layer's gradients."""

from __future__ import annotations

import numpy as np

from ._check import CheckResult, compare_arrays, run_function

_Y_HAT = np.array([0.9, 0.2, 0.6, 0.05])
_Y = np.array([1.0, 1.0, 0.0, 0.0])


def check_grad_logit(grad_logit):
    """``grad_logit(y_hat, y, loss)``: dL/dz for a sigmoid output, loss "squared_error" or "bce".

    Parameters
    ----------
    grad_logit : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> def right(y_hat, y, loss):
    ...     return (y_hat - y) * y_hat * (1 - y_hat) if loss == "squared_error" else y_hat - y
    >>> check_grad_logit(right).passed
    True
    >>> print(check_grad_logit(lambda y_hat, y, loss: y_hat - y).message)
    grad_logit (squared error): you left out the sigmoid's derivative y_hat (1 - y_hat)
    """
    for loss in ("squared_error", "bce"):
        answer, failure = run_function(grad_logit, _Y_HAT, _Y, loss, name="grad_logit")
        if failure is not None:
            return failure
        plain = _Y_HAT - _Y
        chained = plain * _Y_HAT * (1 - _Y_HAT)
        label = "squared error" if loss == "squared_error" else "cross-entropy"
        if loss == "squared_error":
            expected, mistakes = chained, [
                (plain, "you left out the sigmoid's derivative y_hat (1 - y_hat)"),
                (-chained, "the sign is flipped: L grows with y_hat - y, so dL/dz has its sign"),
            ]
        else:
            expected, mistakes = plain, [
                (chained, "for cross-entropy the sigmoid's derivative cancels: dL/dz = "
                          "y_hat - y"),
                (-plain, "the sign is flipped: dL/dz = y_hat - y"),
            ]
        result = compare_arrays(answer, expected, f"grad_logit ({label})", mistakes)
        if not result:
            return result
    return CheckResult(True, "grad_logit: correct for both losses")


def check_output_layer(output_layer_grads):
    """``output_layer_grads(f, w, y_hat, y)`` -> (dL/dw, dL/dbf, dL/df), squared error loss.

    Parameters
    ----------
    output_layer_grads : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> def right(f, w, y_hat, y):
    ...     g = (y_hat - y) * y_hat * (1 - y_hat)
    ...     return g * f, g, g * w
    >>> check_output_layer(right).passed
    True
    >>> def swapped(f, w, y_hat, y):
    ...     g = (y_hat - y) * y_hat * (1 - y_hat)
    ...     return g * w, g, g * f
    >>> print(check_output_layer(swapped).message)
    dL/dw: you swapped f and w: dL/dw = dL/dz * f (w multiplies f in z = w . f + bf)
    """
    rng = np.random.default_rng(6)
    f, w = rng.random(6), rng.standard_normal(6)
    y_hat, y = 0.7, 0.0
    answer, failure = run_function(output_layer_grads, f, w, y_hat, y,
                                   name="output_layer_grads")
    if failure is not None:
        return failure
    if answer is None or not isinstance(answer, (tuple, list)) or len(answer) != 3:
        return CheckResult(False, "output_layer_grads: return three things, "
                                  "(grad_w, grad_bf, grad_f)")
    g = (y_hat - y) * y_hat * (1 - y_hat)
    checks = [
        ("dL/dw", answer[0], g * f, [(g * w, "you swapped f and w: dL/dw = dL/dz * f (w "
                                             "multiplies f in z = w . f + bf)"),
                                     ((y_hat - y) * f, "you left out the sigmoid's derivative")]),
        ("dL/dbf", answer[1], g, [(y_hat - y, "you left out the sigmoid's derivative")]),
        ("dL/df", answer[2], g * w, [(g * f, "you swapped f and w: dL/df = dL/dz * w"),
                                     ((y_hat - y) * w, "you left out the sigmoid's derivative")]),
    ]
    for name, value, expected, mistakes in checks:
        result = compare_arrays(value, expected, name, mistakes)
        if not result:
            return result
    return CheckResult(True, "output_layer_grads: all three gradients are correct")
