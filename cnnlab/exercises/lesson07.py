"""Checkers for lesson 07: the kernel gradient and the conv-bias gradient."""

from __future__ import annotations

import numpy as np

from ..conv import conv2d_backward
from ..seednet import seed_kernel_gradient_as_written
from ._check import CheckResult, compare_arrays, run_function

_RNG = np.random.default_rng(7)
_IMAGE = _RNG.random((6, 7))
_GRAD_CONV = _RNG.normal(size=(6, 7)) * (_RNG.random((6, 7)) > 0.4)


def check_grad_kernel(grad_kernel):
    """``grad_kernel(image, grad_conv)``: dL/dK of a 3x3 kernel with 'same' padding (p = 1).

    Parameters
    ----------
    grad_kernel : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> from cnnlab.conv import conv2d_backward
    >>> def right(image, grad_conv):
    ...     return conv2d_backward(grad_conv, image, np.zeros((3, 3)), padding=1)[1]
    >>> check_grad_kernel(right).passed
    True
    >>> print(check_grad_kernel(lambda im, g: right(im, g)[::-1, ::-1]).message[:67])
    dK: your dK is the right one rotated 180 degrees: you flipped the k
    """
    answer, failure = run_function(grad_kernel, _IMAGE, _GRAD_CONV, name="grad_kernel")
    if failure is not None:
        return failure
    expected = conv2d_backward(_GRAD_CONV, _IMAGE, np.zeros((3, 3)), padding=1)[1]
    unpadded = conv2d_backward(_GRAD_CONV[1:-1, 1:-1], _IMAGE, np.zeros((3, 3)))[1]
    return compare_arrays(answer, expected, "dK", [
        (seed_kernel_gradient_as_written(_IMAGE, _GRAD_CONV, 3),
         "your dK is the right one rotated 180 degrees: you flipped the kernel "
         "(image[i-u, j-v] instead of image[i+u, j+v])"),
        (unpadded, "you skipped the border cells: pad the image by 1 so every output cell "
                   "has its 3x3 patch"),
        (expected / _GRAD_CONV.size, "you averaged over the cells; dK is a sum over them"),
    ])


def check_grad_bias(grad_bias):
    """``grad_bias(grad_relu, pre_activation)``: dL/db of the conv bias, through the ReLU.

    Parameters
    ----------
    grad_bias : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_grad_bias(lambda g, pre: float(np.sum(g * (pre > 0)))).passed
    True
    >>> print(check_grad_bias(lambda g, pre: float(np.sum(g))).message)
    dL/db: you forgot the ReLU: the gradient only passes where pre_activation > 0
    """
    pre = _RNG.normal(size=(5, 5))
    grad_relu = _RNG.normal(size=(5, 5))
    answer, failure = run_function(grad_bias, grad_relu, pre, name="grad_bias")
    if failure is not None:
        return failure
    if answer is None:
        return CheckResult(False, "dL/db: your function returned None: did you forget the "
                                  "`return` statement?")
    expected = np.sum(grad_relu * (pre > 0))
    return compare_arrays(np.asarray(answer, dtype=float).reshape(()) if np.size(answer) == 1
                          else answer, expected, "dL/db", [
        (np.sum(grad_relu), "you forgot the ReLU: the gradient only passes where "
                            "pre_activation > 0"),
        (np.mean(grad_relu * (pre > 0)), "b is added to every cell: sum their gradients, "
                                         "do not average them"),
        (grad_relu * (pre > 0), "that is dL/dC; b was added to every cell, so sum it"),
    ])
