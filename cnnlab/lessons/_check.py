"""The machinery shared by every exercise checker.

A checker compares a learner's answer with the right answer and, when they differ, with the
answers that known mistakes produce (a flipped kernel, a forgotten stride, an in-place ReLU...).
The first known mistake that matches names itself in the hint, the way a teacher looking over a
shoulder would: "this is exactly what you get when you forget the stride".

Most checkers call :func:`check_function` (small cases, mistake models); the others run the
learner's function once with :func:`run_function` and compare with :func:`compare_arrays`.

Each lesson declares its exercises as :class:`Exercise` objects: calling one checks an answer
(help tier 1, the hint naming the mistake), ``.more_help()`` points at the idea without giving
code (tier 2), and ``.solution()`` shows the worked solution once the learner has tried (tier
3): a short function written for the exercise in the lesson module (lessons 00-05), or
cnnlab's own when it is as short. A passed exercise is remembered in a small progress file.
"""

from __future__ import annotations

import ast
import copy
import dis
import html
import inspect
import json
import os
import sys
import textwrap
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["CheckResult", "Exercise", "compare_arrays", "run_function", "check_function",
           "check_answer", "first_failure", "same", "show_value", "source_mentions",
           "progress", "progress_file"]


@dataclass(frozen=True)
class CheckResult:
    """The verdict of a checker: ``passed`` and a message for the learner.

    Truthy when the answer passed; prints as one line; shows in colour in a notebook.

    Examples
    --------
    >>> result = CheckResult(True, "padding: correct")
    >>> bool(result), str(result)
    (True, 'PASS padding: correct')
    """

    passed: bool
    message: str
    help: str = ""              # where more help is, shown under a "not yet" in a notebook

    def __bool__(self):
        return self.passed

    def __str__(self):
        return ("PASS " if self.passed else "NOT YET ") + self.message

    __repr__ = __str__

    def _repr_html_(self):
        colour = "#1a7f37" if self.passed else "#b35900"
        mark = "&#10004; Correct" if self.passed else "&#10008; Not yet"
        more = (f'<br><span style="color:#555">{html.escape(self.help)}</span>'
                if self.help and not self.passed else "")
        return (f'<div role="status" style="border-left: 4px solid {colour}; padding: 4px 8px; '
                f'white-space: pre-wrap;"><b style="color:{colour}">{mark}</b>: '
                f'{html.escape(self.message)}{more}</div>')


def show_value(value, limit=60):
    """A short, readable text for an argument or an answer in a message to the learner.

    Small arrays are written out in full (one line per row), bigger ones by their shape.

    Examples
    --------
    >>> show_value(np.array([[1.0, 2.0], [3.0, 4.5]]))
    '\\n[[1.  2. ]\\n [3.  4.5]]\\n'
    >>> show_value(np.zeros((28, 28)))
    'an array of shape (28, 28)'
    >>> show_value(3)
    '3'
    """
    if isinstance(value, np.ndarray):
        if value.size <= limit:
            text = np.array2string(value + 0.0 if value.dtype.kind == "f" else value,
                                   precision=4, suppress_small=True, max_line_width=100)
            return "\n" + text + "\n" if value.ndim > 1 else text
        return f"an array of shape {value.shape}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {show_value(v, limit)}" for k, v in value.items()) + "}"
    if isinstance(value, float):
        return f"{value:.6g}"
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def _as_numbers(value):
    """``value`` as float64 numbers, or None: text ("24") is not a number, even if it reads as
    one."""
    try:
        array = np.asarray(value)
        return None if array.dtype.kind in "USV" else array.astype(np.float64)
    except (TypeError, ValueError):
        return None


def same(answer, expected, atol=1e-8, rtol=1e-6):
    """True when ``answer`` is numbers of ``expected``'s shape, equal to tolerance.

    A NaN or an infinity in the answer matches only one in the same place of ``expected``;
    anything that is not numbers matches nothing.

    Examples
    --------
    >>> same([1.0, 2.0], np.array([1.0, 2.0 + 1e-12])), same([1.0], [1.0, 2.0]), same("a", 1.0)
    (True, False, False)
    """
    a, e = _as_numbers(answer), _as_numbers(expected)
    return (a is not None and e is not None and a.shape == e.shape
            and bool(np.all(np.isfinite(a) | ~np.isfinite(e)))
            and np.allclose(a, e, atol=atol, rtol=rtol, equal_nan=True))


def _no_return(name):
    return CheckResult(False, f"{name}: your function returned None: did you forget the "
                              f"`return` statement?")


def compare_arrays(answer, expected, name, known_mistakes=(), atol=1e-8, rtol=1e-6, shown=None):
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
        (the answer a known mistake gives, the hint to show for it); a ``None`` answer is
        skipped.
    atol, rtol : float
        Tolerances of ``np.allclose``.
    shown : str, optional
        The inputs, described for the learner ("image=[[1. 2.] [3. 4.]], p=1"): a message that
        names no mistake then shows them, and the whole answer and the expected one when small.

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
        return _no_return(name)
    if _as_numbers(answer) is None:
        return CheckResult(False, f"{name}: expected an array of numbers, got "
                                  f"{type(answer).__name__}")
    integers = _integer_hint([answer], [expected])
    answer = _as_numbers(answer)
    finite = bool(np.all(np.isfinite(answer)))
    if finite and same(answer, expected, atol, rtol):
        return CheckResult(True, f"{name}: correct")
    for mistake, hint in known_mistakes:
        if finite and mistake is not None and same(answer, mistake, atol, rtol):
            return CheckResult(False, f"{name}: {hint}")
    on = f" on {shown}" if shown else ""
    if answer.shape != expected.shape:
        return CheckResult(False, f"{name}: {_shape_difference(answer, answer, expected, (), ())}"
                                  f"{on}")
    if not finite:
        return CheckResult(False, f"{name}: your answer contains NaN or inf; look for a "
                                  f"division by zero or an overflowing exp")
    relation = _relation([answer], [expected]) or integers
    relation = f" {relation};" if relation else ""
    if shown is not None and expected.size <= 60:
        return CheckResult(False, f"{name}:{on}:{relation} your function returned "
                                  f"{show_value(answer)}, expected {show_value(expected)}")
    return CheckResult(False, f"{name}:{relation} {_difference_words(answer, expected)}")


def first_failure(results, passed):
    """The first failed result of ``results`` (checked in order, lazily), else PASS ``passed``.

    Parameters
    ----------
    results : iterable of CheckResult
        Usually a generator, so that the checks after the first failure never run.
    passed : str
        The message when every result passed.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> print(first_failure((CheckResult(ok, f"part {i}") for i, ok in enumerate([True, False])),
    ...                     "all parts correct"))
    NOT YET part 1
    >>> print(first_failure([], "all parts correct"))
    PASS all parts correct
    """
    for result in results:
        if not result:
            return result
    return CheckResult(True, passed)


def source_mentions(function, text):
    """Does a string literal in ``function``'s source contain ``text``?  None when unreadable.

    Only string literals count (``loss == "squared error"``), not comments or names: a
    checker uses it to tell a misspelt option from a wrong formula.

    Examples
    --------
    >>> def grad(loss):
    ...     return 1 if loss == "squared error" else 2     # a space, not an underscore
    >>> source_mentions(grad, "squared error"), source_mentions(grad, "squared_error")
    (True, False)
    """
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return None
    return any(isinstance(node, ast.Constant) and isinstance(node.value, str)
               and text in node.value for node in ast.walk(tree))


def _changed(original, used):
    """True when the copy ``used`` no longer equals ``original`` (arrays inside dicts/lists too)."""
    if isinstance(original, np.ndarray):
        return not (isinstance(used, np.ndarray) and original.shape == used.shape
                    and np.array_equal(original, used, equal_nan=True))
    if isinstance(original, dict):
        return (not isinstance(used, dict) or original.keys() != used.keys()
                or any(_changed(original[k], used[k]) for k in original))
    if isinstance(original, (list, tuple)):
        return (not isinstance(used, (list, tuple)) or len(original) != len(used)
                or any(_changed(a, b) for a, b in zip(original, used, strict=True)))
    return False


def run_function(function, *args, name=None, exception_hints=(), shown=None, caught=None,
                 must_return=False, **kwargs):
    """Call a learner's function on private copies of the arguments; report a crash or a mutation.

    Parameters
    ----------
    function : callable
    *args, **kwargs
        Arguments; they are deep-copied (arrays inside dicts and lists too), so the learner's
        function can neither change ours nor the expected answer computed from them, and any
        change it makes to its inputs is reported.
    name : str, optional
        The function's name for messages (default ``function.__name__``).
    exception_hints : sequence of (exception class(es), str or None, str)
        ``(kinds, words, hint)``: an exception of one of ``kinds`` whose message contains
        ``words`` (any message when None) is reported with ``hint`` instead of its raw text.
    shown : str, optional
        The inputs described for the learner ("n=7, k=3"), added to a crash report.
    caught : list, optional
        Warnings the function raised are never shown (a learner must meet no warning they did
        not ask for); when a list is given, their messages are appended to it.
    must_return : bool
        Report a ``None`` return value as a forgotten ``return``.

    Returns
    -------
    (value, None) or (None, CheckResult)
        The function's return value, or a failed result explaining what went wrong.

    Examples
    --------
    >>> value, problem = run_function(lambda x: x.sum(), np.ones(3))
    >>> float(value), problem
    (3.0, None)
    >>> print(run_function(lambda x: 1 / 0, np.ones(3), name="f")[1])
    NOT YET f: your function raised ZeroDivisionError: division by zero
    >>> hints = [(ZeroDivisionError, None, "you divided by zero: is n ever 0?")]
    >>> print(run_function(lambda x: 1 / 0, 0, name="f", exception_hints=hints)[1])
    NOT YET f: you divided by zero: is n ever 0? (ZeroDivisionError: division by zero)
    """
    name = name or getattr(function, "__name__", "your function")
    if not callable(function):
        return None, CheckResult(False, f"{name}: expected a function, got "
                                        f"{type(function).__name__}")
    copies, kw_copies = copy.deepcopy(args), copy.deepcopy(kwargs)
    try:
        with warnings.catch_warnings(record=True) as recorded:
            warnings.simplefilter("always")
            value = function(*copies, **kw_copies)
    except Exception as error:  # noqa: BLE001 - any crash is reported to the learner
        for kinds, words, hint in exception_hints:
            if isinstance(error, kinds) and (words is None or words in str(error)):
                return None, CheckResult(False, f"{name}: {hint} ({type(error).__name__}: "
                                                f"{error})")
        frame = traceback.extract_tb(error.__traceback__)[-1]
        where = f" (line {frame.lineno})" if frame.filename.startswith("<ipython") else ""
        on = f" (on {shown})" if shown else ""
        return None, CheckResult(False, f"{name}: your function raised "
                                        f"{type(error).__name__}: {error}{where}{on}")
    if caught is not None:
        caught.extend(str(w.message) for w in recorded)
    params = _parameter_names(function, len(args))
    changed = [params[i] for i, (original, used) in enumerate(zip(args, copies, strict=True))
               if _changed(original, used)]
    changed += [key for key, original in kwargs.items() if _changed(original, kw_copies[key])]
    if changed:
        hint = _in_place_hint(changed[0], args, kwargs, params)
        return None, CheckResult(False, f"{name}: {hint}")
    if must_return and value is None:
        return None, _no_return(name)
    return value, None


def _in_place_hint(changed, args, kwargs, params):
    """The hint for an answer that changed its argument ``changed`` in place: a dict's arrays
    are not copied by ``dict.copy()``, so a dict gets its own advice."""
    value = kwargs.get(changed, dict(zip(params, args, strict=True)).get(changed))
    if isinstance(value, dict):
        return (f"your function changed its argument {changed!r} in place, the arrays inside "
                f"it (-=, +=, *= or [...] = on {changed}[name]); build new arrays instead "
                f"({changed}[name] - ... makes one) or copy each array first "
                f"({changed}[name].copy()): {changed}.copy() copies only the dict, not the "
                f"arrays in it")
    return (f"your function changed its argument {changed!r} in place; build a new array "
            f"instead (an expression such as 2 * {changed} makes one), or start from "
            f"{changed}.copy()")


def check_answer(function, args, expected, name, known_mistakes=(), function_name=None):
    """Run a learner's function once on ``args`` and check its array answer.

    :func:`run_function` (a crash or a change to the arguments is reported) followed by
    :func:`compare_arrays` (a known mistake is named).

    Parameters
    ----------
    function : callable
    args : tuple
        The positional arguments.
    expected : array_like
        The right answer.
    name : str
        What is being checked, for the messages about the answer.
    known_mistakes : sequence of (array_like, str)
        See :func:`compare_arrays`.
    function_name : str, optional
        The function's name, for the messages about a crash (default ``function.__name__``).

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> x = np.array([1.0, -2.0])
    >>> print(check_answer(lambda v: -v, (x,), np.abs(x), "abs", [(-x, "you negated it")]))
    NOT YET abs: you negated it
    """
    answer, failure = run_function(function, *args, name=function_name)
    if failure is not None:
        return failure
    return compare_arrays(answer, expected, name, known_mistakes)


def _quietly(function, args):
    """``function(*args)`` on private copies, None when it raises (a mistake that cannot run)."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return function(*copy.deepcopy(args))
    except Exception:  # noqa: BLE001 - a mistake model that fails simply does not match
        return None


def _matches(mistake, args, answer, atol, rtol):
    """Does the mistake model give ``answer`` on ``args``, or on them with integer arrays made
    float (a mistake is the same whether or not the learner converted uint8 pixels first)?"""
    variants = [args]
    if any(isinstance(a, np.ndarray) and a.dtype.kind in "iu" for a in args):
        variants.append(tuple(a.astype(np.float64) if isinstance(a, np.ndarray)
                              and a.dtype.kind in "iu" else a for a in args))
    outs = (_quietly(mistake, variant) for variant in variants)
    return any(out is not None and same(answer, out, atol, rtol) for out in outs)


def _parameter_names(function, count):
    """The names of ``function``'s first ``count`` parameters ("argument 2" where unknown)."""
    try:
        params = [p.name for p in inspect.signature(function).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    return (params + [f"argument {i + 1}" for i in range(len(params), count)])[:count]


def _describer(function):
    """``describe(*args)``: each argument written out by its parameter's name."""
    def describe(*args):
        labels = _parameter_names(function, len(args))
        text = ", ".join(f"{label}={show_value(arg)}"
                         for label, arg in zip(labels, args, strict=True))
        return text.replace("\n, ", "\n")
    return describe


def check_function(function, cases, right, mistakes=(), name=None, describe=None,
                   exception_hints=(), atol=1e-8, rtol=1e-6, passed=None, shape_hint=None,
                   exact_types=None):
    """Run a learner's function on small cases; PASS, a named mistake, or the failing case.

    Parameters
    ----------
    function : callable
        The learner's answer.
    cases : sequence of tuple
        Positional arguments of each call.  Choose them so that every mistake in ``mistakes``
        gives a different answer from the right one on at least one case.
    right : callable
        The right answer, ``right(*args)``; always called on private copies of the arguments.
    mistakes : sequence of (callable, str)
        Models of known mistakes and their hints: when the learner's answers equal a model's on
        every case, the hint is shown.  A model that raises on a case does not match it.
    name : str, optional
        The function's name for messages (default ``function.__name__``).
    describe : callable, optional
        ``describe(*args)`` -> text naming a case's inputs for the learner (default: each
        argument written out, small arrays in full).
    exception_hints : sequence of (exception class(es), str or None, str)
        See :func:`run_function`.
    atol, rtol : float
        Tolerances of ``np.allclose``.
    passed : str, optional
        The PASS message (default "correct on N cases").
    shape_hint : callable, optional
        ``shape_hint(shape)`` -> the hint for an answer of that wrong shape, or None for the
        plain "expected shape ..., got ..." message.
    exact_types : bool or None
        Also refuse right values of the wrong kind (:func:`_type_problem`): a list where the
        right answer is a NumPy array, float32 where it is float64, a float where it is a
        whole number; True also refuses a list where it is a tuple (an index such as
        (row, col)).  None (the default) refuses all but the last; False accepts any numbers
        equal to the right ones.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> def right(n, k):
    ...     return n - k + 1
    >>> mistakes = [(lambda n, k: n - k, "off by one: count the first position too")]
    >>> check_function(lambda n, k: n - k + 1, [(5, 3), (7, 2)], right, mistakes).passed
    True
    >>> print(check_function(lambda n, k: n - k, [(5, 3), (7, 2)], right, mistakes, name="size"))
    NOT YET size: off by one: count the first position too
    >>> print(check_function(lambda n, k: 3, [(5, 3), (7, 2)], right, mistakes, name="size"))
    NOT YET size: on n=7, k=2: your function returned 3, expected 6: yours is 3 less
    """
    name = name or getattr(function, "__name__", "your function")
    describe = describe or _describer(function)
    answers, caught = [], []
    for args in cases:
        value, failure = run_function(function, *args, name=name, shown=describe(*args),
                                      exception_hints=exception_hints, caught=caught,
                                      must_return=True)
        if failure is not None:
            return failure
        answers.append(value)
    expected = [_quietly(right, args) for args in cases]
    if all(same(a, e, atol, rtol) for a, e in zip(answers, expected, strict=True)):
        problems = [(args, _type_problem(a, e, tuples=exact_types is True)) for args, a, e in
                    zip(cases, answers, expected, strict=True)] if exact_types is not False else []
        for args, problem in problems:
            if problem:
                said = f"the values are right, but {problem}"
                return CheckResult(False, f"{name}: " + (_inputs_last(f"on {describe(*args)}",
                                                                      said) if args else said))
        return CheckResult(True, passed or f"{name}: correct on {len(cases)} cases")
    for mistake, hint in mistakes:
        if all(_matches(mistake, args, a, atol, rtol)
               for args, a in zip(cases, answers, strict=True)):
            return CheckResult(False, f"{name}: {hint}")
    k = next(i for i, (a, e) in enumerate(zip(answers, expected, strict=True))
             if not same(a, e, atol, rtol))
    on = f"on {describe(*cases[k])}" if cases[k] else f"when called as {name}()"
    answer, wanted, numbers = answers[k], _as_numbers(expected[k]), _as_numbers(answers[k])
    warned = f" (it warned: {caught[0]})" if caught else ""
    if numbers is None or numbers.dtype == object:
        text = isinstance(answer, str) or (isinstance(answer, np.ndarray)
                                           and answer.dtype.kind in "US")
        note = (": that is text, not numbers; return the numbers themselves (no str(), "
                "f-string or quotes)" if text else
                f": a {type(answer).__name__} is not what the right answer is, "
                f"{_kind_words(expected[k])}")
        return CheckResult(False, f"{name}: {on} expected {show_value(expected[k])}, your "
                                  f"function returned {type(answer).__name__} "
                                  f"{show_value(answer)}{note}")
    params = _parameter_names(function, len(cases[k]))
    if numbers.shape != wanted.shape:
        hint = shape_hint(numbers.shape) if shape_hint else None
        if hint is None:
            hint = _inputs_last(on, _shape_difference(answer, numbers, wanted, params, cases[k]))
        return CheckResult(False, f"{name}: {hint}")
    if not np.all(np.isfinite(numbers)):
        bad = ~np.isfinite(numbers)
        first = _position(np.unravel_index(int(np.argmax(bad)), bad.shape), params, cases[k])
        return CheckResult(False, f"{name}: {on}: your answer contains NaN or inf "
                                  f"({int(bad.sum())} of {bad.size} value(s), the first "
                                  f"{first}){warned}; look for a division by zero, an "
                                  f"overflowing exp, or cells of np.empty never filled in")
    relation = _relation(answers, expected) or _integer_hint(answers, expected)
    relation = f" {relation};" if relation else ""
    if wanted.size > 60:                   # too big to write out: say where and how it differs
        return CheckResult(False, f"{name}: {on}:{relation} "
                                  f"{_difference_words(numbers, wanted)}{warned}")
    what = _what_differs(function, cases, answers, expected, k, params, atol, rtol)
    if "\n" in on and (relation or what):                # the sentence before a wall of inputs
        sentence = "; ".join(part for part in (relation.strip(" ;"), what[2:]) if part)
        return CheckResult(False, f"{name}: {sentence}; {on}: your function returned "
                                  f"{show_value(answer)}, expected {show_value(expected[k])}"
                                  f"{warned}")
    return CheckResult(False, f"{name}: {on}:{relation} your function returned "
                              f"{show_value(answer)}, expected {show_value(expected[k])}{warned}"
                              f"{what}")


def _inputs_last(on, sentence):
    """``on``: ``sentence``, or, when the inputs take several lines, the sentence first."""
    return f"{sentence}; {on}" if "\n" in on else f"{on}: {sentence}"


def _type_problem(answer, expected, tuples=True):
    """Why ``answer``, whose values equal ``expected``'s, is still not the right kind of
    answer, in words; None when it is.

    Examples
    --------
    >>> _type_problem([1.0, 2.0], np.array([1.0, 2.0]))[:45]
    'your function returned a list, not a NumPy ar'
    >>> _type_problem(np.float32(0.5), 0.5)[:36]
    'your answer is float32 (about 6 digi'
    >>> _type_problem(24.0, 24)[:42]
    'your function returned 24.0, a float: size'
    >>> _type_problem(np.array([1.0]), np.array([1.0])) is None
    True
    """
    kind = type(answer).__name__
    if isinstance(expected, np.ndarray) and not isinstance(answer, np.ndarray):
        return (f"your function returned a {kind}, not a NumPy array: build the answer as an "
                f"array (np.zeros(...) filled in, or np.array(...) around your {kind})")
    if tuples and isinstance(expected, tuple) and isinstance(answer, (list, np.ndarray)):
        return (f"your function returned a {'NumPy array' if kind == 'ndarray' else kind}, "
                f"expected a tuple {show_value(expected)}: as an index, a tuple picks one "
                f"element (image[(1, 4)]), while a list or an array picks whole rows "
                f"(image[[1, 4]] is rows 1 and 4): return (row, col)")
    got, wanted = np.asarray(answer), np.asarray(expected)
    if wanted.dtype.kind == "f" and got.dtype.kind == "f" and got.dtype.itemsize < 8:
        return (f"your answer is {got.dtype} (about {np.finfo(got.dtype).precision} digits); "
                f"the course computes in float64: leave out dtype={got.dtype} and "
                f".astype({got.dtype}) (np.zeros(shape) is float64)")
    if wanted.dtype.kind == "f" and got.dtype.kind in "iub" and got.ndim:
        return (f"your array has the integer dtype {got.dtype}, so a fraction would be cut off "
                f"(here every value happens to be whole): make it a float array, "
                f"np.zeros(shape) or np.zeros_like(x, dtype=float)")
    if wanted.dtype.kind in "iu" and got.dtype.kind == "f" and (
            got.ndim == 0 or isinstance(expected, tuple)):
        shown = repr(float(got)) if got.ndim == 0 else show_value(answer)
        return (f"your function returned {shown}, {'a float' if got.ndim == 0 else 'floats'}: "
                f"sizes and indices are "
                f"whole numbers; use // (floor division) rather than /, or int(...) around a "
                f"whole result")
    return None


def _kind_words(value):
    """What kind of thing the right answer is, in words: "a tuple of 2 numbers", "one number",
    "a NumPy array, 3x3 (3 rows, 3 columns)"."""
    if isinstance(value, tuple):
        return f"a tuple of {len(value)} numbers"
    if isinstance(value, np.ndarray) and value.ndim:
        return f"a NumPy array, {_shape_words(value.shape)}"
    return "one number"


def _shape_words(shape):
    """A shape in a learner's words: "one number", "4 numbers", "3x4 (3 rows, 4 columns)"."""
    if len(shape) == 0:
        return "one number"
    if len(shape) == 1:
        return f"{shape[0]} number{'s' if shape[0] != 1 else ''} in a row (1-D)"
    if len(shape) == 2:
        return f"{shape[0]}x{shape[1]} ({shape[0]} rows, {shape[1]} columns)"
    return f"of shape {shape}"


def _shape_difference(answer, numbers, wanted, params, args):
    """What differs between the shapes of an answer and the right one, in words.

    Examples
    --------
    >>> a = np.arange(12.0).reshape(3, 4)
    >>> print(_shape_difference(a, a, np.zeros((4, 3)), ["image"], (np.ones((2, 2)),)))
    ... # doctest: +NORMALIZE_WHITESPACE
    your answer is 3x4 (3 rows, 4 columns), expected 4x3 (4 rows, 3 columns): rows and columns
    swapped?
    >>> _shape_difference([24], np.array([24.0]), np.array(24.0), ["n"], (28,))
    'your function returned a list holding 24, expected the number itself, 24'
    """
    got, want = numbers.shape, wanted.shape
    if want == () and numbers.size == 1:
        holder = "NumPy array" if isinstance(answer, np.ndarray) else type(answer).__name__
        return (f"your function returned a {holder} holding {show_value(numbers.ravel()[0])}, "
                f"expected the number itself, {show_value(wanted[()])}")
    if (isinstance(answer, (tuple, list)) and len(answer) == 1 and want
            and np.shape(answer[0]) == want):
        holder = type(answer).__name__
        return (f"your function returned a {holder} holding one array of the right shape, "
                f"{_shape_words(want)}: return the array itself"
                + (" (the comma in `return x,` makes a 1-tuple)" if holder == "tuple" else ""))
    text = f"your answer is {_shape_words(got)}, expected {_shape_words(want)}"
    if len(got) == 2 and got[::-1] == want:
        return text + (": your answer is the right one transposed (rows and columns swapped)"
                       if same(numbers.T, wanted) else ": rows and columns swapped?")
    if not len(got) == len(want) == 2:                 # which axes: extra, missing, moved
        text += _axes_words(got, want, numbers, wanted).split(f"expected {tuple(want)}", 1)[1]
    else:
        parts = [f"{abs(g - w)} {word}{'s' if abs(g - w) != 1 else ''} "
                 f"{'too many' if g > w else 'too few'}"
                 for g, w, word in zip(got, want, ("row", "column"), strict=True) if g != w]
        text += ": " + " and ".join(parts)
    for param, arg in zip(params, args, strict=True):
        if isinstance(arg, np.ndarray) and arg.ndim and arg.shape == got:
            return text + f" (that is {param}'s own shape)"
    return text


def _position(index, params, args):
    """Where a value sits, in a learner's words ("row 1, column 2"; "index 3 (at z=0)")."""
    index = tuple(int(i) for i in index)
    if len(index) == 2:
        return f"at row {index[0]}, column {index[1]}"
    if len(index) == 1:
        inputs = [f"{p}={show_value(float(a[index]))}" for p, a in zip(params, args, strict=True)
                  if isinstance(a, np.ndarray) and a.ndim == 1 and a.size > index[0]]
        return f"at index {index[0]}" + (f" ({inputs[0]})" if inputs else "")
    return f"at index {index}" if index else ""


def _what_differs(function, cases, answers, expected, k, params, atol, rtol):
    """A sentence saying what differs between the answer and the right one on case ``k``
    (which values, a pattern they share, an argument the answer ignores), or "".

    Examples
    --------
    >>> cases = [(28, 5, 0), (28, 5, 2)]
    >>> print(_what_differs(None, cases, [24, 24], [24, 28], 1, ["n", "k", "p"], 1e-8, 1e-6))
    ... # doctest: +NORMALIZE_WHITESPACE
    : yours is 4 less; and your answer did not change when only p changed (0 to 2): does your
    function use p?
    """
    a, e = _as_numbers(answers[k]), _as_numbers(expected[k])
    notes = []
    if a.ndim == 0:
        difference = float(a - e)
        whole = float(difference).is_integer() and float(e).is_integer()
        size = f"{abs(difference):.0f}" if whole else f"{abs(difference):.4g}"
        notes.append(f"yours is {size} {'more' if difference > 0 else 'less'}")
    elif a.size > 1:
        wrong = ~np.isclose(a, e, atol=atol, rtol=rtol)
        first = np.unravel_index(int(np.argmax(wrong)), wrong.shape)
        notes.append(f"{int(wrong.sum())} of {wrong.size} numbers are off, the first "
                     f"{_position(first, params, cases[k])} (yours {a[first]:.6g}, expected "
                     f"{e[first]:.6g})")
        # whole numbers where the right ones are not: int() cut them (said elsewhere), so
        # equal values need not mean an ignored input
        whole = (np.asarray(answers[k]).dtype.kind in "iub"
                 and np.asarray(expected[k]).dtype.kind == "f")
        if not isinstance(expected[k], np.ndarray):
            pass                                  # a tuple such as (row, col): no pattern
        elif np.all(a == a.flat[0]) and not np.all(e == e.flat[0]) and not whole:
            notes.append("every value of yours is the same: does your answer use its input?")
        elif (wrong.sum() > 1 and np.array_equal(wrong, e < 0)     # all negatives, only they
              and np.all(a[wrong] == 0)):
            notes.append("exactly where the right values are negative yours are 0: negative "
                         "values were cut to 0 (np.maximum(..., 0), a ReLU, or a start of 0?)")
        elif np.all(e[wrong] < 0) and np.allclose(a[wrong], -e[wrong]):
            notes.append("yours are the absolute values (np.abs?): a negative value must stay "
                         "negative")
        elif np.all(a[wrong] == 0):
            notes.append("yours are 0 there: cells never filled in, or a loop that stops "
                         "early?")
        elif a.ndim == 2 and wrong.any():
            rows, cols = np.nonzero(wrong)
            if (a.shape[0] > 2 and set(rows) <= {0, a.shape[0] - 1}     # 2 rows: all of them
                    and set(cols) >= set(range(a.shape[1]))):
                notes.append("only the first and last rows differ")
            elif set(rows) == {a.shape[0] - 1}:
                notes.append("only the last row differs")
            elif set(cols) == {a.shape[1] - 1}:
                notes.append("only the last column differs")
    ignored = _ignored_parameter(cases, answers, expected, params, atol, rtol)
    if ignored:
        notes.append(ignored)
    return (": " + "; and ".join(notes)) if notes else ""


def _ignored_parameter(cases, answers, expected, params, atol, rtol):
    """A sentence naming a parameter the answer ignores: two cases that differ in that
    argument alone, a number (p, stride, i: an image that changes says nothing, since two
    images can share an answer), with different right answers and the same answer."""
    for x in range(len(cases)):
        for y in range(x + 1, len(cases)):
            differ = [i for i, (p, q) in enumerate(zip(cases[x], cases[y], strict=True))
                      if not (p is q or (np.shape(p) == np.shape(q) and same(p, q, 0, 0)))]
            if (len(differ) == 1 and np.ndim(cases[x][differ[0]]) == 0
                    and same(answers[x], answers[y], atol, rtol)
                    and not same(expected[x], expected[y], atol, rtol)):
                i = differ[0]
                was, now = (cases[x][i], cases[y][i])
                return (f"your answer did not change when only {params[i]} changed "
                        f"({show_value(was)} to {show_value(now)}): "
                        f"does your function use {params[i]}?")
    return None


def _axes_words(shape, wanted, answer=None, expected=None):
    """A wrong shape in the learner's terms: which axes are swapped, missing, extra or
    reshaped.

    Examples
    --------
    >>> _axes_words((3, 4), (4, 3))
    'your answer has shape (3, 4), expected (4, 3): the two axes are swapped (a transpose?)'
    >>> _axes_words((6,), (2, 3))[28:]
    'expected (2, 3): the same number of entries, flattened or reshaped'
    """
    text = f"your answer has shape {tuple(shape)}, expected {tuple(wanted)}"
    if len(shape) == len(wanted) == 2 and tuple(shape) == tuple(wanted)[::-1]:
        transposed = (answer is not None and expected is not None
                      and same(np.asarray(answer).T, expected))
        return text + (": it is the right answer transposed (rows and columns swapped)"
                       if transposed else ": the two axes are swapped (a transpose?)")
    if sorted(shape) == sorted(wanted) and len(shape) > 1:
        return text + ": the same axes in a different order (moved or transposed wrongly?)"
    squeezed, wanted_squeezed = [n for n in shape if n != 1], [n for n in wanted if n != 1]
    if squeezed == wanted_squeezed and len(shape) > len(wanted):
        return text + ": an extra axis of length 1 (a leftover [:, None], keepdims or reshape?)"
    if squeezed == wanted_squeezed and len(shape) < len(wanted):
        return text + ": an axis of length 1 is missing (squeezed or summed away?)"
    if int(np.prod(shape)) == int(np.prod(wanted)):
        return text + ": the same number of entries, flattened or reshaped"
    if len(shape) < len(wanted):
        return text + ": an axis is missing (summed or averaged away?)"
    if len(shape) > len(wanted):
        return text + ": an extra axis (a leftover [:, None] or a missing sum?)"
    return text


def _difference_words(answer, expected):
    """Where and how two arrays of one shape differ, for arrays too big to write out."""
    error = np.abs(answer - expected)
    wrong = int(np.sum(~np.isclose(answer, expected, rtol=1e-6, atol=1e-8)))
    worst = np.unravel_index(int(np.argmax(error)), error.shape) if error.ndim else ()
    where = f" at index {tuple(int(i) for i in worst)}" if error.ndim else ""
    return (f"the values differ ({wrong} of {error.size} entries of the {expected.shape} "
            f"array are wrong); the largest difference is {float(error.max()):.3g}{where} "
            f"(yours {answer[worst]:.6g}, expected {expected[worst]:.6g})")


def _holds_integers(value):
    """Is ``value`` an integer (or bool) array or number, as an int dtype, int() or // give?"""
    if isinstance(value, (bool, int, np.integer, np.bool_)):
        return True
    return isinstance(value, np.ndarray) and value.dtype.kind in "iub"


def _integer_hint(answers, expected):
    """The hint for answers held as integers where the right ones have fractions, else None."""
    if not answers or not all(_holds_integers(a) for a in answers):
        return None
    wanted = [_as_numbers(e) for e in expected]
    if any(w is None for w in wanted) or all(np.all(w == np.round(w)) for w in wanted):
        return None
    kind = type(answers[0]).__name__ if not isinstance(answers[0], np.ndarray) else \
        f"an array of dtype {answers[0].dtype}"
    return (f"your answers hold whole numbers only ({kind}) where the right ones have "
            f"fractions: an int dtype (dtype=int, .astype(int)), int() or // cut them off; "
            f"keep float64")


def _relation(answers, expected):
    """How wrong answers relate to the right ones on every case (sign, factor, offset, flip,
    transpose, rounding, the right numbers in other places, precision), in words; None when no
    simple relation holds.

    Examples
    --------
    >>> _relation([np.array([1.0, 2.5]), np.array([4.0])], [np.array([0.0, 1.5]), np.array([3.0])])
    'your answers are off by +1 on every case: a constant is added or missing'
    >>> _relation([2.0], [5.0]) is None                 # one number alone says nothing
    True
    """
    pairs = [(_as_numbers(a), _as_numbers(e)) for a, e in zip(answers, expected, strict=True)]
    if all(a is not None and e is not None and a.ndim == 2 and same(a.T, e) for a, e in pairs):
        return "your answers are the right ones transposed (rows and columns swapped)"
    if any(a is None or e is None or a.shape != e.shape or a.dtype == object
           or not np.all(np.isfinite(a)) for a, e in pairs):
        return None
    a, e = (np.concatenate([x.ravel() for x in xs]) for xs in zip(*pairs, strict=True))
    grids = [(x, y) for x, y in pairs if x.ndim == 2]

    def holds(change):
        return all(same(x, change(y)) for x, y in grids) if len(grids) == len(pairs) else False

    if a.size < 2 or same(a, e):
        return None
    if same(a, -e):
        return "your answers are the right ones with the sign flipped"
    if np.all(a == np.round(a)) and any(same(a, f(e)) for f in (np.round, np.floor, np.trunc)):
        return ("your answers hold whole numbers only: the fractions were cut off or rounded "
                "(an int dtype, int(), // or round())")
    for change, words in ((lambda y: y[::-1, ::-1], "rotated 180 degrees (a flipped kernel?)"),
                          (lambda y: y[::-1], "upside down (rows in reverse order)"),
                          (lambda y: y[:, ::-1], "mirrored left to right")):
        if holds(change):
            return f"your answers are the right ones {words}"
    factor = float(a @ e / (e @ e)) if e @ e > 0 else 0.0
    if factor and same(a, factor * e) and abs(factor - 1) > 1e-3:
        return (f"your answers are {factor:.4g} times the right ones on every case: a factor is "
                f"missing or extra")
    offset = float(np.mean(a - e))
    if same(a, e + offset) and abs(offset) > 1e-3:
        return (f"your answers are off by {offset:+.4g} on every case: a constant is added or "
                f"missing")
    for decimals in range(1, 5):
        if same(a, np.round(e, decimals)):
            return (f"your answers are the right ones rounded to {decimals} decimal"
                    f"{'s' if decimals > 1 else ''}: do not round")
    if all(x.size > 1 and same(np.sort(x, axis=None), np.sort(y, axis=None))
           for x, y in pairs):
        return ("your answers hold the right numbers in the wrong places: an axis moved wrongly "
                "(a reshape where a transpose was needed, or the wrong axes swapped?)")
    if np.allclose(a, e, rtol=2e-3, atol=1e-4):         # float16 keeps about 3 digits
        return ("your answers are close but not exact (to about 1e-3): a low-precision dtype "
                "(float32 keeps about 7 digits, float16 about 3) or rounding on the way? "
                "Compute in float64, NumPy's default")
    return None


# ---- Exercises: a checker with three tiers of help, and the learner's progress ----------------

SOLUTIONS_OFF = ""    # why the third tier is switched off (classroom.student_edition)

def progress_file():
    """Where passed exercises are remembered: ``$CNNLAB_PROGRESS_FILE``, else ``progress.json``
    in the user's data folder (platformdirs knows where that is on every system).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> progress_file().name
    'progress.json'
    """
    if os.environ.get("CNNLAB_PROGRESS_FILE"):
        return Path(os.environ["CNNLAB_PROGRESS_FILE"])
    import platformdirs  # a dependency of cnnlab (and of jupyter_core)
    return Path(platformdirs.user_data_dir("cnnlab")) / "progress.json"


def progress():
    """The exercises passed so far, as ``{"lesson03.conv2d_loop": True, ...}``.

    An unreadable or missing file is no progress yet, never an error.

    Returns
    -------
    dict

    Examples
    --------
    >>> isinstance(progress(), dict)
    True
    """
    try:
        done = json.loads(progress_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {key: True for key, value in done.items() if value is True} if isinstance(
        done, dict) else {}


def _remember(key):
    """Add ``key`` to the progress file; a folder that cannot be written is silently skipped."""
    done = progress()
    if done.get(key):
        return
    done[key] = True
    path = progress_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(done, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass


def _scope(function):
    """What ``function``'s global and free names stand for: its module's globals and the
    closure's filled cells."""
    scope = dict(getattr(function, "__globals__", {}))
    for name, cell in zip(function.__code__.co_freevars, function.__closure__ or (), strict=True):
        try:
            scope[name] = cell.cell_contents
        except ValueError:                         # a cell not filled in yet
            continue
    return scope


_CONSTANTS = ("LOAD_CONST", "RETURN_CONST")      # a string constant is no name the code uses


def _code_objects(code):
    """``code`` and every code object inside it (its lambdas, comprehensions, nested defs)."""
    stack = [code]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(c for c in current.co_consts if hasattr(c, "co_names"))


def _used_names(function, depth=2):
    """The global and attribute names ``function``'s code uses (``np.pad(x)`` -> "np", "pad"),
    with those of the learner's own helpers it calls (``depth`` levels), read from the compiled
    code, so it works on lambdas and without the source.  Only a name the code loads as a
    global (or from its closure) leads to a helper: the ``exp`` of ``np.exp`` is an attribute,
    never a learner's own function ``exp`` defined in another cell.  The name of such a helper
    is the learner's, not a library's: a helper the learner wrote and called ``im2col`` is not
    ``cl.conv.im2col`` (what it calls inside is read instead)."""
    code = getattr(function, "__code__", None)
    if code is None:
        return set()
    names, loaded, attributes = set(), set(), set()
    for current in _code_objects(code):
        names.update(current.co_names)
        for op in dis.get_instructions(current):
            if op.opname in ("LOAD_GLOBAL", "LOAD_DEREF"):
                loaded.add(op.argval)
            elif op.opname not in _CONSTANTS and op.argval in current.co_names:
                attributes.add(op.argval)          # an attribute, an import, a stored global
    scope = _scope(function)
    names.update(name for name in code.co_freevars if name in scope)
    own = {name for name in loaded if _learners_own(scope.get(name))}
    names -= own - attributes
    for name in own:
        helper = scope[name]
        if depth > 0 and helper is not function:
            names |= _used_names(helper, depth - 1)
    return names


def _learners_own(value):
    """Whether ``value`` is a function the learner wrote (not cnnlab's, not NumPy's)."""
    return (inspect.isfunction(value)
            and not (value.__module__ or "").startswith(("cnnlab", "numpy")))


def _imports_for(functions):
    """The import lines a worked solution's source needs to run when pasted into an empty
    notebook: for each global name ``functions`` use (not one of them, not a builtin), the
    module it is (``import numpy as np``) or the module it comes from (``from cnnlab.conv import
    conv2d``, one line per module).  Plain ``import`` lines first, each kind in alphabetical
    order.  A worked solution of an earlier exercise is not imported (an answer may not call
    one): a comment says the learner's own function of that name is used."""
    shown = {function.__name__ for function in functions}
    modules, names, earlier = set(), {}, set()
    for function in functions:
        scope = function.__globals__
        for code in _code_objects(function.__code__):
            for op in dis.get_instructions(code):
                if op.opname != "LOAD_GLOBAL" or op.argval in shown or op.argval not in scope:
                    continue
                value = scope[op.argval]
                if inspect.ismodule(value):
                    modules.add(f"import {value.__name__}" + (
                        "" if value.__name__ == op.argval else f" as {op.argval}"))
                    continue
                home = getattr(value, "__module__", None)
                if home == SOLUTIONS_MODULE:
                    earlier.add(op.argval)
                elif home and getattr(sys.modules.get(home), op.argval, None) is value:
                    names.setdefault(home, set()).add(op.argval)
    lines = sorted(modules) + [f"from {home} import {', '.join(sorted(names[home]))}"
                               for home in sorted(names)]
    if earlier:
        lines.append(f"# and your own {', '.join(sorted(earlier))}, from the exercises before")
    return lines


SOLUTIONS_MODULE = "cnnlab.lessons.solutions"


def _worked_solution_used(function, depth=2):
    """The name of the worked solution (:mod:`cnnlab.lessons.solutions`) that ``function``'s
    code reaches, or None: through the module's name (``solutions.conv2d_loop``,
    ``cl.lessons.solutions.conv2d_loop``), a name bound to the module, or a name bound to one of
    its functions (``from cnnlab.lessons.solutions import conv2d_loop``), in ``function`` or
    the learner's own helpers it calls (``depth`` levels), as :func:`_used_names` reads them."""
    code = getattr(function, "__code__", None)
    if code is None or getattr(function, "__module__", None) == SOLUTIONS_MODULE:
        return None
    scope = _scope(function)
    loaded = set(code.co_freevars)
    for current in _code_objects(code):
        found = reached = False                    # the code / its last instruction reached it
        for op in dis.get_instructions(current):
            attribute = op.opname in ("LOAD_ATTR", "LOAD_METHOD", "IMPORT_FROM")
            if reached and attribute and op.argval not in ("lessons", "solutions"):
                return f"solutions.{op.argval}"    # solutions.conv2d_loop
            reached = ((attribute and op.argval == "solutions")
                       or (reached and attribute and op.argval == "lessons")
                       or (op.opname == "IMPORT_NAME" and op.argval.endswith(".solutions")))
            if op.opname in ("LOAD_GLOBAL", "LOAD_NAME", "LOAD_DEREF"):
                loaded.add(op.argval)
                reached = getattr(scope.get(op.argval), "__name__", None) == SOLUTIONS_MODULE
            found = found or reached
        if found:                                  # reached through a local name (import ... as)
            return SOLUTIONS_MODULE
    for name in sorted(loaded):
        value = scope.get(name)
        if getattr(value, "__name__", None) == SOLUTIONS_MODULE:
            return SOLUTIONS_MODULE
        if getattr(value, "__module__", None) == SOLUTIONS_MODULE:
            return f"solutions.{value.__name__}"
        if depth > 0 and _learners_own(value) and value is not function:
            found = _worked_solution_used(value, depth - 1)
            if found:
                return found
    return None


class _Shown:
    """Text for a notebook: plain in a terminal, HTML in a notebook."""

    def __init__(self, text, markup):
        self.text, self.markup = text, markup

    def __repr__(self):
        return self.text

    def _repr_html_(self):
        return self.markup


def _highlighted(source):
    try:
        from pygments import highlight  # IPython's own highlighter: in every kernel
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer
    except ImportError:                           # pragma: no cover - a kernel without IPython
        return f"<pre>{html.escape(source)}</pre>"
    return highlight(source, PythonLexer(), HtmlFormatter(noclasses=True))


class Exercise:
    """An exercise: its checker (call it with your answer) and three tiers of help.

    1. ``check(answer)`` gives a hint that names the mistake (the parameter's name included);
    2. ``check.more_help()`` points at the idea without giving code;
    3. ``check.solution()`` shows the worked solution after a real attempt
       (``solution(force=True)`` shows it at once: asking explicitly is allowed); a stub
       that returned None is told to write its body first.

    Parameters
    ----------
    name : str
        The name of the learner's function, e.g. ``"conv2d_loop"``.
    task : str
        What the function must do, in one line.
    idea : str
        The second tier: the idea, in words.
    solution : callable or sequence of callable
        The worked solution whose source tier 3 shows (several: shown in order): best a
        short function written for the exercise in :mod:`cnnlab.lessons.solutions`, which
        passes its own checker, ``why`` naming the cnnlab function that does the same.
    why : str
        One sentence tying the solution to the lesson.
    check : callable, optional
        ``check(answer) -> CheckResult``; by default :func:`check_function` with
        ``check_kwargs`` (``cases``, ``right``, ``mistakes``, ...).
    forbidden : sequence of (str, str)
        ``(name, hint)``: an answer whose code uses ``name`` (``np.pad`` counts as "pad"; the
        learner's own helpers it calls count too) is refused with ``hint`` before it runs, for
        exercises that say "with loops" or "without np.pad". Every exercise also refuses an
        answer that calls anything from :mod:`cnnlab.lessons.solutions`, by name.
    **check_kwargs
        Passed to :func:`check_function`.

    Examples
    --------
    >>> def double_it(x):
    ...     return 2 * x
    >>> check = Exercise("double", "return twice x", idea="add x to itself",
    ...                  solution=double_it, why="the simplest map", cases=[(1.5,), (-2.0,)],
    ...                  right=double_it, mistakes=[(lambda x: x * x, "you squared x")])
    >>> print(check(lambda x: x * x))
    NOT YET double: you squared x
    >>> print(check.more_help())
    double: add x to itself
    >>> "return 2 * x" in str(check.solution())
    True
    """

    def __init__(self, name, task, *, idea, solution, why="", check=None, forbidden=(),
                 **check_kwargs):
        self.name, self.task, self.idea, self.why = name, task, idea, why
        self.solution_function, self.forbidden = solution, tuple(forbidden)
        self._check = check or (lambda answer: check_function(answer, name=name,
                                                              **check_kwargs))
        self.custom_check, self.check_kwargs = check, dict(check_kwargs)   # classroom.py
        self.module = sys._getframe(1).f_globals.get("__name__", "")
        self.__module__ = self.module              # where it is declared, like a function
        self.lesson = self.module.rsplit(".", 1)[-1]
        self.key = f"{self.lesson}.{name}"
        self.tried = False
        self.unwritten = False                     # the last answer returned None (a stub)
        self.__doc__ = f"Check your ``{name}``: {task}"

    @property
    def __name__(self):
        """The checker's name in its lesson module, e.g. ``check_conv2d``."""
        found = [attr for attr, value in vars(sys.modules.get(self.module, sys)).items()
                 if value is self]
        return found[0] if found else f"check_{self.name}"

    @property
    def label(self):
        """How a learner calls this exercise, e.g. ``lesson03.check_conv2d``."""
        return f"{self.lesson}.{self.__name__}"

    def __repr__(self):
        return f"<exercise {self.label}({self.name}): {self.task}>"

    def verdict(self, answer, check=None):
        """The bare verdict on ``answer``: a forbidden call refused, else ``check`` (default the
        exercise's checker); no help text, nothing remembered (lessons.classroom grades with it)."""
        worked = _worked_solution_used(answer)
        if worked is not None:
            what = (f"{worked} holds the worked solutions" if worked == SOLUTIONS_MODULE else
                    f"{worked} is a worked solution, from {SOLUTIONS_MODULE}")
            return CheckResult(False, f"{self.name}: write it yourself: {what}")
        names = _used_names(answer) if self.forbidden else set()
        for called, hint in self.forbidden:
            if called in names:
                return CheckResult(False, f"{self.name}: {hint}")
        return (check or self._check)(answer)

    def __call__(self, answer):
        result = self.verdict(answer)
        stub = "forget the `return`" in result.message or "NotImplementedError" in result.message
        self.tried = self.tried or not stub
        self.unwritten = stub
        if result.passed:
            _remember(self.key)
        return self._with_help(result)

    def _with_help(self, result):
        more = (f"Stuck? {self.label}.more_help() gives a further hint; after a try, "
                f"{self.label}.solution() shows the worked solution.")
        if SOLUTIONS_OFF:
            more = f"Stuck? {self.label}.more_help() gives a further hint."
        return CheckResult(result.passed, result.message, more)

    def more_help(self):
        """The second tier of help: the idea, without the code."""
        text = f"{self.name}: {self.idea}"
        return _Shown(text, f"<div><b>{html.escape(self.name)}</b>: "
                            f"{html.escape(self.idea)}</div>")

    def solution(self, force=False):
        """The third tier: the worked solution's source, after a try (or with ``force=True``)."""
        if SOLUTIONS_OFF:
            text = f"{self.name}: {SOLUTIONS_OFF} {self.label}.more_help() gives the idea."
            return _Shown(text, f"<div>{html.escape(text)}</div>")
        if not (self.tried or force):
            if self.unwritten:
                text = (f"Your {self.name} returned None, so there was nothing to check yet: "
                        f"write its body first (ending with a return), then run "
                        f"{self.label}(your_function) again. If you want the solution now "
                        f"anyway, call {self.label}.solution(force=True).")
            else:
                text = (f"Try {self.name} first: run {self.label}(your_function) once. If you "
                        f"want the solution now anyway, call "
                        f"{self.label}.solution(force=True).")
            return _Shown(text, f"<div>{html.escape(text)}</div>")
        functions = self.solution_function
        functions = functions if isinstance(functions, (list, tuple)) else [functions]
        source = "\n\n".join(textwrap.dedent(inspect.getsource(f)) for f in functions)
        imports = _imports_for(functions)
        if imports:                      # what it uses from outside, so that it runs pasted
            source = "\n".join(imports) + "\n\n\n" + source
        where = ", then ".join(self._where(f) for f in functions)
        head = f"Worked solution: {where}" + (f" ({self.why})" if self.why else "")
        return _Shown(f"{head}\n\n{source}",
                      f"<div><b>{html.escape(head)}</b>{_highlighted(source)}</div>")

    def _where(self, function):
        """Where a learner finds ``function``: its public module (``cnnlab.lessons.solutions``
        for one written for the exercise), or, for one in a private module, the lesson that
        re-exports it."""
        module, name = function.__module__, function.__qualname__
        if not any(part.startswith("_") for part in module.split(".")):
            return f"{module}.{name}"
        lesson = sys.modules.get(self.module)
        if lesson is not None and getattr(lesson, function.__name__, None) is function:
            return f"{self.module}.{function.__name__}"
        return f"{self.module} (its worked solution {name})"
