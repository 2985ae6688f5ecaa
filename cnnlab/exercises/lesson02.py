"""Checkers for lesson 02: padding by stacking, and the size after padding and convolution."""

from __future__ import annotations

import numpy as np

from ._check import CheckResult, compare_arrays, run_cases, run_function

_IMAGE = np.arange(1.0, 13.0).reshape(3, 4)


def check_pad_by_stacking(pad_by_stacking):
    """``pad_by_stacking(image, p)``: zeros around a 2-D image with vstack/hstack.

    Parameters
    ----------
    pad_by_stacking : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_pad_by_stacking(lambda im, p: np.pad(im, p)).passed
    True
    >>> print(check_pad_by_stacking(lambda im, p: np.pad(im, ((p, p), (0, 0)))))
    NOT YET pad_by_stacking: you added the rows but not the columns: hstack columns of H + 2p zeros
    """
    for p in (1, 2):
        answer, failure = run_function(pad_by_stacking, _IMAGE, p, name="pad_by_stacking")
        if failure is not None:
            return failure
        result = compare_arrays(answer, np.pad(_IMAGE, p), "pad_by_stacking", [
            (np.pad(_IMAGE, ((p, p), (0, 0))), "you added the rows but not the columns: "
                                               "hstack columns of H + 2p zeros"),
            (np.pad(_IMAGE, ((0, 0), (p, p))), "you added the columns but not the rows"),
            (np.pad(_IMAGE, ((p, 0), (p, 0))), "you padded only the top and the left: "
                                               "pad both sides"),
            (np.pad(_IMAGE, 2 * p), "that frame is 2p wide: p zeros go on EACH side"),
        ])
        if not result:
            return result
    return CheckResult(True, "pad_by_stacking: correct for p = 1 and 2")


def check_output_size(output_size):
    """``output_size(n, k, p)``: the side of a k x k conv's output on an n x n image padded by p.

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
    >>> check_output_size(lambda n, k, p: n + 2 * p - k + 1).passed
    True
    >>> print(check_output_size(lambda n, k, p: n + p - k + 1))
    NOT YET output_size: padding p adds p pixels on EACH side: n + 2p - k + 1
    """
    cases = [(28, 5, 0), (28, 5, 2), (7, 3, 1), (10, 4, 3)]
    answers, failure = run_cases(output_size, cases, "output_size")
    if failure is not None:
        return failure
    expected = [n + 2 * p - k + 1 for n, k, p in cases]
    return compare_arrays(answers, np.array(expected, dtype=float),
                          "output_size", [
        (np.array([n + p - k + 1 for n, k, p in cases]), "padding p adds p pixels on EACH "
                                                         "side: n + 2p - k + 1"),
        (np.array([n + 2 * p - k for n, k, p in cases]), "off by one: a kernel fits "
                                                         "n - k + 1 times in n pixels"),
        (np.array([n + 2 * p for n, k, p in cases]), "that is the padded size; the kernel "
                                                     "then removes k - 1"),
    ])
