"""Checkers for lesson 03: the output size with stride, and a whole convolution as loops."""

from __future__ import annotations

import numpy as np

from ..conv import conv2d
from ._check import CheckResult, compare_arrays, run_cases, run_function

_IMAGE = np.random.default_rng(3).integers(-3, 4, size=(7, 8)).astype(float)
_KERNEL = np.array([[1.0, 0.0, 2.0], [-1.0, 3.0, 0.0], [0.0, 1.0, -2.0]])


def check_output_size(output_size):
    """``output_size(n, k, s, p)`` = ``(n + 2p - k) // s + 1``.

    Parameters
    ----------
    output_size : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_output_size(lambda n, k, s, p: (n + 2 * p - k) // s + 1).passed
    True
    >>> print(check_output_size(lambda n, k, s, p: n + 2 * p - k + 1))
    NOT YET output_size: did you include the stride? Positions are s pixels apart: divide by s
    """
    cases = [(28, 5, 1, 2), (7, 3, 2, 0), (5, 3, 2, 1), (6, 3, 2, 1), (10, 4, 3, 0)]
    answers, failure = run_cases(output_size, cases, "output_size")
    if failure is not None:
        return failure
    expected = [(n + 2 * p - k) // s + 1 for n, k, s, p in cases]
    return compare_arrays(answers, np.array(expected, dtype=float),
                          "output_size", [
        (np.array([n + 2 * p - k + 1 for n, k, s, p in cases]),
         "did you include the stride? Positions are s pixels apart: divide by s"),
        (np.array([(n + 2 * p - k) / s + 1 for n, k, s, p in cases]),
         "use floor division //: a position that does not fit is dropped"),
        (np.array([(n + p - k) // s + 1 for n, k, s, p in cases]),
         "padding p adds p pixels on EACH side: n + 2p"),
        (np.array([(n + 2 * p - k + 1) // s for n, k, s, p in cases]),
         "off by one: count the first position, then one more every s pixels"),
    ])


def check_conv2d(conv2d_loop):
    """``conv2d_loop(image, kernel, stride)``: a valid cross-correlation written with loops.

    Parameters
    ----------
    conv2d_loop : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_conv2d(lambda im, k, s: conv2d(im, k, stride=s)).passed
    True
    >>> result = check_conv2d(lambda im, k, s: conv2d(im, k[::-1, ::-1], stride=s))
    >>> print(result.message)
    conv2d_loop: you flipped the kernel: that is true convolution; CNNs do not flip (stride 1)
    """
    for stride in (1, 2):
        answer, failure = run_function(conv2d_loop, _IMAGE, _KERNEL, stride,
                                       name="conv2d_loop")
        if failure is not None:
            return failure
        expected = conv2d(_IMAGE, _KERNEL, stride=stride)
        result = compare_arrays(answer, expected, "conv2d_loop", [
            (conv2d(_IMAGE, _KERNEL[::-1, ::-1], stride=stride),
             "you flipped the kernel: that is true convolution; CNNs do not flip"),
            (conv2d(_IMAGE, _KERNEL), "did you include the stride? Step i * stride, "
                                      "not i, when you cut the patch"),
            (conv2d(_IMAGE, _KERNEL.T, stride=stride),
             "you transposed the kernel: patch[a, b] goes with kernel[a, b]"),
            (conv2d(_IMAGE, _KERNEL, stride=stride, padding=1),
             "that output is padded; this exercise asks for 'valid' (no padding)"),
        ])
        if not result:
            return CheckResult(False, f"{result.message} (stride {stride})")
    return CheckResult(True, "conv2d_loop: correct for stride 1 and 2")
