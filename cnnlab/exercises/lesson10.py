"""Checkers for lesson 10: reading a confusion matrix."""

from __future__ import annotations

import numpy as np

from ._check import CheckResult, compare_arrays, run_function

_MATRIX = np.array([[50, 2, 0], [5, 40, 5], [1, 9, 38]])


def check_accuracy_from_confusion(accuracy_from_confusion):
    """``accuracy_from_confusion(matrix)``: right answers (the diagonal) over all images.

    Parameters
    ----------
    accuracy_from_confusion : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_accuracy_from_confusion(lambda m: np.trace(m) / m.sum()).passed
    True
    >>> print(check_accuracy_from_confusion(lambda m: np.trace(m)).message)
    accuracy: that is the number of right answers; divide by the total number of images
    """
    answer, failure = run_function(accuracy_from_confusion, _MATRIX,
                                   name="accuracy_from_confusion")
    if failure is not None:
        return failure
    expected = np.trace(_MATRIX) / _MATRIX.sum()
    per_class = np.diag(_MATRIX) / _MATRIX.sum(axis=1)
    return compare_arrays(answer, expected, "accuracy", [
        (np.trace(_MATRIX), "that is the number of right answers; divide by the total number "
                            "of images"),
        (per_class.mean(), "that is the mean of the per-class accuracies; count every image "
                           "once: trace / total"),
        (np.trace(_MATRIX) / _MATRIX.shape[0], "divide by the number of images (the sum of "
                                               "the matrix), not the number of classes"),
        (1 - expected, "that is the error rate"),
    ])


def check_most_confused(most_confused):
    """``most_confused(matrix)`` -> ``(true, predicted)`` of the largest off-diagonal count.

    Parameters
    ----------
    most_confused : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> def right(m):
    ...     off = m - np.diag(np.diag(m))
    ...     return np.unravel_index(np.argmax(off), m.shape)
    >>> check_most_confused(right).passed
    True
    >>> print(check_most_confused(lambda m: np.unravel_index(np.argmax(m), m.shape)).message)
    most_confused: that is a diagonal cell (right answers): leave the diagonal out
    """
    answer, failure = run_function(most_confused, _MATRIX, name="most_confused")
    if failure is not None:
        return failure
    try:
        pair = tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return CheckResult(False, f"most_confused: return a pair (true, predicted), got "
                                  f"{answer!r}")
    if pair == (2, 1):
        return CheckResult(True, "most_confused: correct: 9 images of class 2 read as 1")
    if pair == (1, 2):
        return CheckResult(False, "most_confused: you swapped the order: rows are the true "
                                  "class, columns the prediction")
    if len(pair) == 2 and pair[0] == pair[1]:
        return CheckResult(False, "most_confused: that is a diagonal cell (right answers): "
                                  "leave the diagonal out")
    return CheckResult(False, f"most_confused: expected (2, 1), got {pair}")
