"""Checkers for lesson 01: making a kernel, and applying it at one position."""

from __future__ import annotations

import numpy as np

from ._check import compare_arrays, run_cases, run_function

_IMAGE = np.random.default_rng(1).integers(0, 10, size=(6, 7)).astype(float)
_KERNEL = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0], [1.0, 0.0, -2.0]])


def check_box_blur(make_box_blur):
    """``make_box_blur()`` returns the 3x3 kernel that averages a pixel's neighbourhood.

    Parameters
    ----------
    make_box_blur : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_box_blur(lambda: np.full((3, 3), 1 / 9)).passed
    True
    >>> print(check_box_blur(lambda: np.ones((3, 3))))
    NOT YET box blur: these weights sum to 9, so the image gets 9 times brighter: divide by 9
    """
    answer, failure = run_function(make_box_blur, name="make_box_blur")
    if failure is not None:
        return failure
    return compare_arrays(answer, np.full((3, 3), 1 / 9), "box blur", [
        (np.ones((3, 3)), "these weights sum to 9, so the image gets 9 times brighter: "
                          "divide by 9"),
        (np.full((3, 3), 1 / 3), "these weights sum to 3: an average of 9 pixels divides by 9"),
    ])


def check_apply_at(apply_at):
    """``apply_at(image, kernel, i, j)``: the output cell whose 3x3 patch starts at (i, j).

    Parameters
    ----------
    apply_at : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_apply_at(lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k)).passed
    True
    >>> print(check_apply_at(lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k[::-1, ::-1])))
    NOT YET apply_at: you flipped the kernel: a CNN multiplies patch[a, b] by kernel[a, b]
    """
    cases = [(1, 2), (0, 0), (3, 4)]
    answers, failure = run_cases(apply_at, [(_IMAGE, _KERNEL, i, j) for i, j in cases],
                                 "apply_at")
    if failure is not None:
        return failure
    padded = np.pad(_IMAGE, 1)
    expected = [np.sum(_IMAGE[i:i + 3, j:j + 3] * _KERNEL) for i, j in cases]
    flipped = [np.sum(_IMAGE[i:i + 3, j:j + 3] * _KERNEL[::-1, ::-1]) for i, j in cases]
    centred = [np.sum(padded[i:i + 3, j:j + 3] * _KERNEL) for i, j in cases]
    return compare_arrays(answers, np.array(expected), "apply_at", [
        (np.array(flipped), "you flipped the kernel: a CNN multiplies patch[a, b] by "
                            "kernel[a, b]"),
        (np.array(centred), "you centred the patch on (i, j); here (i, j) is the patch's "
                            "top-left corner"),
    ])
