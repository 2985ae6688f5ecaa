"""The machinery shared by every exercise checker.

A checker compares a learner's answer with the right answer and, when they differ, with the
answers that known mistakes produce (a flipped kernel, a forgotten stride, an in-place ReLU...).
The first known mistake that matches names itself in the hint, the way a teacher looking over a
shoulder would: "this is exactly what you get when you forget the stride".
"""

from __future__ import annotations

import html
import traceback
from dataclasses import dataclass

import numpy as np

__all__ = ["CheckResult", "compare_arrays", "run_function", "run_cases"]


@dataclass(frozen=True)
class CheckResult:
    """The verdict of a checker: ``passed`` and a message for the learner.

    It is truthy when the answer passed, prints as one line, and shows in colour in a
    notebook.

    Examples
    --------
    >>> result = CheckResult(True, "padding: correct")
    >>> bool(result), str(result)
    (True, 'PASS padding: correct')
    """

    passed: bool
    message: str

    def __bool__(self):
        return self.passed

    def __str__(self):
        return ("PASS " if self.passed else "NOT YET ") + self.message

    __repr__ = __str__

    def _repr_html_(self):
        colour = "#1a7f37" if self.passed else "#b35900"
        mark = "&#10004; Correct" if self.passed else "&#10008; Not yet"
        return (f'<div style="border-left: 4px solid {colour}; padding: 4px 8px;">'
                f'<b style="color:{colour}">{mark}</b>: {html.escape(self.message)}</div>')


def compare_arrays(answer, expected, name, known_mistakes=(), atol=1e-8, rtol=1e-6):
    """Check an array answer, naming a known mistake when the answer matches one.

    Parameters
    ----------
    answer : array_like or None
        What the learner computed.
    expected : array_like
        The right answer.
    name : str
        What is being checked, e.g. ``"grad_kernel"``; used in every message.
    known_mistakes : sequence of (array_like, str)
        Pairs of (the answer a known mistake gives, the hint to show for it).  Entries whose
        array is ``None`` or of another shape are ignored.
    atol, rtol : float
        Tolerances of ``np.allclose``.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> right = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> compare_arrays(right, right, "C").passed
    True
    >>> mistakes = [(right[::-1, ::-1], "rotated 180 degrees: did you flip the kernel?")]
    >>> print(compare_arrays(right[::-1, ::-1], right, "C", mistakes))
    NOT YET C: rotated 180 degrees: did you flip the kernel?
    """
    expected = np.asarray(expected, dtype=np.float64)
    if answer is None:
        return CheckResult(False, f"{name}: your function returned None: did you forget "
                                  f"the `return` statement?")
    try:
        answer = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return CheckResult(False, f"{name}: expected an array of numbers, got "
                                  f"{type(answer).__name__}")
    if answer.shape != expected.shape:
        for mistake, hint in known_mistakes:
            if mistake is not None and np.shape(mistake) == answer.shape and np.allclose(
                    answer, mistake, atol=atol, rtol=rtol):
                return CheckResult(False, f"{name}: {hint}")
        return CheckResult(False, f"{name}: expected shape {expected.shape}, got "
                                  f"{answer.shape}")
    if not np.all(np.isfinite(answer)):
        return CheckResult(False, f"{name}: your answer contains NaN or inf; look for a "
                                  f"division by zero or an overflowing exp")
    if np.allclose(answer, expected, atol=atol, rtol=rtol):
        return CheckResult(True, f"{name}: correct")
    for mistake, hint in known_mistakes:
        if mistake is None or np.shape(mistake) != answer.shape:
            continue
        if np.allclose(answer, np.asarray(mistake, dtype=np.float64), atol=atol, rtol=rtol):
            return CheckResult(False, f"{name}: {hint}")
    error = np.abs(answer - expected)
    worst = np.unravel_index(int(np.argmax(error)), error.shape) if error.ndim else ()
    where = f" at index {tuple(int(i) for i in worst)}" if error.ndim else ""
    return CheckResult(False, f"{name}: the values differ; the largest difference is "
                              f"{float(error.max()):.3g}{where} (yours {answer[worst]:.6g}, "
                              f"expected {expected[worst]:.6g})")


def run_function(function, *args, name=None, **kwargs):
    """Call a learner's function on copies of the arguments; report a crash or a mutation.

    Parameters
    ----------
    function : callable
    *args, **kwargs
        Arguments; arrays are copied so the learner's function cannot change ours, and any
        change it makes to its inputs is reported.
    name : str, optional
        The function's name for messages (default ``function.__name__``).

    Returns
    -------
    (value, None) or (None, CheckResult)
        The function's return value, or a failed result explaining the crash or mutation.

    Examples
    --------
    >>> value, problem = run_function(lambda x: x.sum(), np.ones(3))
    >>> float(value), problem
    (3.0, None)
    >>> value, problem = run_function(lambda x: 1 / 0, np.ones(3), name="f")
    >>> print(problem)
    NOT YET f: your function raised ZeroDivisionError: division by zero
    """
    name = name or getattr(function, "__name__", "your function")
    if not callable(function):
        return None, CheckResult(False, f"{name}: expected a function, got "
                                        f"{type(function).__name__}")
    copies = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
    kw_copies = {k: (np.array(v, copy=True) if isinstance(v, np.ndarray) else v)
                 for k, v in kwargs.items()}
    try:
        value = function(*copies, **kw_copies)
    except Exception as error:  # noqa: BLE001 - any crash is reported to the learner
        frame = traceback.extract_tb(error.__traceback__)[-1]
        where = f" (line {frame.lineno})" if frame.filename.startswith("<ipython") else ""
        return None, CheckResult(False, f"{name}: your function raised "
                                        f"{type(error).__name__}: {error}{where}")
    for i, (original, used) in enumerate(zip(args, copies, strict=True)):
        if isinstance(original, np.ndarray) and not np.array_equal(original, used,
                                                                   equal_nan=True):
            return None, CheckResult(False, f"{name}: your function changed its argument "
                                            f"number {i + 1} in place; work on a copy (for "
                                            f"example np.maximum(x, 0) instead of x[x < 0] = 0)")
    for key, original in kwargs.items():
        if isinstance(original, np.ndarray) and not np.array_equal(original, kw_copies[key],
                                                                   equal_nan=True):
            return None, CheckResult(False, f"{name}: your function changed its argument "
                                            f"{key!r} in place; work on a copy")
    return value, None


def run_cases(function, cases, name):
    """Call a learner's function on several argument tuples; collect the scalar answers.

    Parameters
    ----------
    function : callable
    cases : sequence of tuple
        The positional arguments of each call.
    name : str
        The function's name for messages.

    Returns
    -------
    (numpy.ndarray, None) or (None, CheckResult)
        The answers as a float array, or a failed result for a crash, a mutation or a
        missing ``return``.

    Examples
    --------
    >>> answers, problem = run_cases(lambda a, b: a + b, [(1, 2), (3, 4)], "add")
    >>> answers, problem
    (array([3., 7.]), None)
    >>> print(run_cases(lambda a, b: None, [(1, 2)], "add")[1])
    NOT YET add: your function returned None: did you forget the `return` statement?
    """
    answers = []
    for args in cases:
        value, failure = run_function(function, *args, name=name)
        if failure is not None:
            return None, failure
        if value is None:
            return None, CheckResult(False, f"{name}: your function returned None: did you "
                                            f"forget the `return` statement?")
        answers.append(value)
    try:
        return np.array(answers, dtype=float), None
    except (TypeError, ValueError):
        return None, CheckResult(False, f"{name}: expected a number from each call, got "
                                        f"{answers[0]!r}")
