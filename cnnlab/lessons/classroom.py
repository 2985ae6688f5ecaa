"""The class edition: the course's own exercise checkers, turned into a graded assignment.

A teacher builds, in one command (``scripts/build_class_edition.py``), student notebooks whose
worked solutions are switched off and an autograder (otter-grader's test files, one per
exercise) that grades a submitted notebook with the same :class:`~cnnlab.lessons._check.Exercise`
checkers the learner runs, twice: on the cases the learner sees, and on hidden cases.

Hidden cases are a second seed of each checker's cases, made without a second copy of any
check:

- an exercise checked by ``check_function`` (cases, ``right``, mistakes) gets its case arguments
  rearranged, each array's entries shuffled along its last axis with a seeded generator (so the
  values keep their dtype, range, signs, zeros and ties, and stay valid inputs), or, when a case
  holds no array that changes the answer, its integers increased by 1 to 3; ``right`` recomputes
  the expected answer and the mistake models name a mistake as before;
- an exercise with its own ``check=`` function gets the data that function reads from its
  module (arrays, and lists, tuples and dicts of arrays) shuffled the same way for the time of
  one check or, when it reads no such data (it makes its own with
  ``np.random.default_rng(seed)``), its generator seeded again.

Two exercises have no hidden case a table of answers could miss: ``make_box_blur()`` takes no
input, and ``torch_step``'s checker makes its data with PyTorch's generator (it reads the
weights the step leaves, which only a real step gives).

An answer that passes only because it returns the visible cases' answers fails the hidden ones.
Nothing here needs otter-grader: the test files otter runs call :func:`require`.

What a learner may read of the hidden cases: each exercise has its own hidden seed, derived
from the teacher's secret (:func:`exercise_seed`), so one exercise's seed says nothing about
another's; and the feedback on a hidden case never shows that case's inputs or the expected
answer: it gives the checker's hint when the hint names a mistake (a text that stays the same
whatever the hidden data), otherwise only what kind of failure it was (:func:`grade`).

Examples
--------
>>> exercise = exercises()["lesson03.check_conv2d"]
>>> right = exercise.check_kwargs["right"]
>>> def conv2d_loop(image, kernel, stride):
...     return right(image, kernel, stride)
>>> grade(exercise, conv2d_loop, hidden_seed=1).passed
True
"""

from __future__ import annotations

import copy
import hashlib
import importlib
import inspect
import pkgutil
import re
import types
import zlib
from contextlib import contextmanager

import numpy as np

from . import _check
from ._check import CheckResult, Exercise, check_function, same

__all__ = ["exercises", "student_edition", "hidden_cases", "grade", "require",
           "exercise_cells", "exercise_seed", "SOLUTIONS_OFF_TEXT", "HIDDEN_FEEDBACK"]

SOLUTIONS_OFF_TEXT = ("the worked solutions are switched off in this class edition (your "
                      "teacher grades the exercises);")

#: What the feedback on an answer that fails only the hidden cases says after the answer's name.
HIDDEN_FEEDBACK = ("right on the cases you see, but not on the hidden cases (an answer must work "
                   "for every input; the hidden inputs are not shown):")

#: How the hidden check describes a case's inputs (never the inputs themselves).
_HIDDEN_CASE = "a hidden case"

#: The call that marks an exercise cell: ``lesson03.check_conv2d(conv2d_loop)``.
_CHECK_CALL = re.compile(r"\b(lesson\d\d)\.(check_\w+)\(\s*([A-Za-z_]\w*)\s*\)")


def student_edition():
    """Switch the third tier of help off in this kernel: ``.solution()`` says it is not
    available, ``.more_help()`` and every checker's hint stay.  The student notebooks run it
    in their first cells.

    It is a switch, not a lock: cnnlab's source, the worked solution, stays installed and
    readable, as in every edition.

    Examples
    --------
    >>> from cnnlab.lessons import lesson03
    >>> student_edition()
    >>> "switched off" in repr(lesson03.check_conv2d.solution(force=True))
    True
    >>> _check.SOLUTIONS_OFF = ""          # the self-learner's course again
    """
    _check.SOLUTIONS_OFF = SOLUTIONS_OFF_TEXT


def exercises():
    """Every exercise of the course, in lesson order, keyed by its label.

    Returns
    -------
    dict
        ``{"lesson03.check_conv2d": Exercise, ...}``.

    Examples
    --------
    >>> found = exercises()
    >>> len(found) >= 30, next(iter(found))
    (True, 'lesson00.check_invert')
    """
    import cnnlab.lessons
    found = {}
    for info in sorted(pkgutil.iter_modules(cnnlab.lessons.__path__), key=lambda i: i.name):
        if not re.fullmatch(r"lesson\d\d", info.name):
            continue
        module = importlib.import_module(f"cnnlab.lessons.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Exercise) and value.module == module.__name__:
                found[value.label] = value
    return found


def exercise_cells(cells):
    """The exercise cells of a notebook: ``[(index, label, answer_name), ...]``.

    An exercise cell is a code cell that calls a checker on one name, the learner's answer.

    Parameters
    ----------
    cells : list of dict
        A notebook's cells (nbformat 4: ``cell_type`` and ``source``).

    Returns
    -------
    list of tuple

    Examples
    --------
    >>> cell = {"cell_type": "code", "source": "def f(x):\\n    pass\\nlesson03.check_conv2d(f)"}
    >>> exercise_cells([{"cell_type": "markdown", "source": "# 03"}, cell])
    [(1, 'lesson03.check_conv2d', 'f')]
    """
    found = []
    for index, cell in enumerate(cells):
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        calls = _CHECK_CALL.findall(source) if cell["cell_type"] == "code" else []
        if len(calls) == 1:
            lesson, checker, answer = calls[0]
            found.append((index, f"{lesson}.{checker}", answer))
    return found


# ---- hidden cases: a second seed of each checker's cases ---------------------------------------

def exercise_seed(secret, label):
    """The hidden seed of one exercise, derived from the teacher's secret.

    Each exercise gets its own seed (a hash of the secret and the exercise's label), so the
    seed of one exercise, were it ever seen, tells nothing about another's hidden cases, and
    the secret itself never needs to leave the teacher's ``class_edition.json``.

    Parameters
    ----------
    secret : int or str
        The teacher's secret (``scripts/build_class_edition.py --seed``, random by default).
    label : str
        The exercise's label, ``"lesson03.check_conv2d"``.

    Returns
    -------
    int
        A seed in ``[0, 2**62)``.

    Examples
    --------
    >>> conv = exercise_seed(8151, "lesson03.check_conv2d")
    >>> conv == exercise_seed(8151, "lesson03.check_conv2d")         # the same secret: the same
    True
    >>> conv != exercise_seed(8151, "lesson03.check_output_size")    # each exercise its own
    True
    """
    if not isinstance(label, str) or not label:
        raise TypeError(f"label: must be an exercise's label such as 'lesson03.check_conv2d', "
                        f"got {label!r}")
    digest = hashlib.sha256(f"cnnlab class edition/{secret}/{label}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 2

def _rng_for(exercise, seed):
    return np.random.default_rng([int(seed), zlib.crc32(exercise.key.encode())])


def _rearranged(value, rng, integers):
    """``value`` with every array's entries shuffled along its last axis (recursively inside
    tuples, lists and dicts) and, when ``integers``, every int increased by 1 to 3."""
    if isinstance(value, np.ndarray):
        if value.size < 2 or value.ndim == 0 or value.dtype == object:
            return value.copy()
        return rng.permuted(value, axis=-1)
    if isinstance(value, (bool, np.bool_)) or value is None:
        return value
    if isinstance(value, (int, np.integer)):
        return type(value)(value + int(rng.integers(1, 4))) if integers else value
    if isinstance(value, tuple):
        items = [_rearranged(v, rng, integers) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, list):
        return [_rearranged(v, rng, integers) for v in value]
    if isinstance(value, dict):
        return {k: _rearranged(v, rng, integers) for k, v in value.items()}
    return value


def _equal(a, b):
    """Do two answers (arrays, numbers, tuples, lists, dicts of them) agree?"""
    if isinstance(a, dict) or isinstance(b, dict):
        return (isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys()
                and all(_equal(a[k], b[k]) for k in a))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and (
            len(a) != len(b) or any(not isinstance(x, (int, float, np.number)) for x in a)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    return same(a, b)


def _finite(value):
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_finite(v) for v in value)
    try:
        numbers = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return True
    return bool(np.all(np.isfinite(numbers)))


def hidden_cases(exercise, seed):
    """The hidden cases of an exercise checked by ``check_function``: each visible case with its
    arrays' entries rearranged (or, when that leaves the answer unchanged, its integers
    increased), kept only when ``right`` accepts it and gives a different answer.

    Parameters
    ----------
    exercise : Exercise
        An exercise without a ``check=`` function of its own.
    seed : int
        The hidden seed (the teacher's; a different seed gives different cases).

    Returns
    -------
    list of tuple
        One case per visible case, in order; a case no rearrangement changes stays as it is
        (an exercise whose function takes no input, such as ``make_box_blur()``, has one
        answer, a constant: its hidden cases are its visible ones).

    Raises
    ------
    ValueError
        If ``exercise`` has its own ``check=`` function, or takes input and no hidden case
        differs from the visible ones.

    Examples
    --------
    >>> exercise = exercises()["lesson03.check_output_size"]
    >>> visible = exercise.check_kwargs["cases"]
    >>> hidden = hidden_cases(exercise, seed=1)
    >>> len(hidden) == len(visible) and hidden != visible
    True
    """
    if exercise.custom_check is not None:
        raise ValueError(f"exercise: {exercise.label} has its own check= function; its hidden "
                         f"cases are made by grade(), not listed")
    kwargs = exercise.check_kwargs
    right, rng, cases = kwargs["right"], _rng_for(exercise, seed), []
    for case in kwargs["cases"]:
        visible = _check._quietly(right, case)
        chosen = None
        for integers in (False, True):
            for _ in range(25):
                candidate = _rearranged(case, rng, integers)
                answer = _check._quietly(right, candidate)
                if answer is not None and _finite(answer) and not _equal(answer, visible):
                    chosen = candidate
                    break
            if chosen is not None:
                break
        cases.append(case if chosen is None else chosen)
    takes_input = any(len(case) for case in kwargs["cases"])
    if takes_input and all(_fingerprint(h) == _fingerprint(v)
                           for h, v in zip(cases, kwargs["cases"], strict=True)):
        raise ValueError(f"exercise: no hidden case of {exercise.label} differs from its "
                         f"visible cases")
    return cases


class _ReseededRandom(types.ModuleType):
    """``numpy.random`` whose ``default_rng(seed)`` gets another seed."""

    def __init__(self, shift):
        super().__init__("numpy.random")
        self._shift = shift

    def __getattr__(self, name):
        return getattr(np.random, name)

    def default_rng(self, seed=None):
        if isinstance(seed, (int, np.integer)):
            seed = [int(seed), self._shift]
        return np.random.default_rng(seed)


class _ReseededNumpy(types.ModuleType):
    """``numpy`` whose ``random.default_rng(seed)`` gets another seed (a checker's own
    generator, seeded again for the hidden cases)."""

    def __init__(self, shift):
        super().__init__("numpy")
        self.random = _ReseededRandom(shift)

    def __getattr__(self, name):
        return getattr(np, name)


def _holds_arrays(value):
    if isinstance(value, np.ndarray):
        return value.dtype != object and value.size > 1
    if isinstance(value, (list, tuple)):
        return any(_holds_arrays(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_arrays(v) for v in value.values())
    return False


def _reachable(function, depth=3):
    """The lesson-module functions ``function`` calls (itself included, ``depth`` levels) and,
    for each, the names its code reads: ``[(function, names), ...]``."""
    seen, found, stack = set(), [], [(function, depth)]
    while stack:
        current, level = stack.pop()
        code = getattr(current, "__code__", None)
        if code is None or id(current) in seen:
            continue
        seen.add(id(current))
        names, codes = set(), [code]
        while codes:
            one = codes.pop()
            names.update(one.co_names)
            codes.extend(c for c in one.co_consts if isinstance(c, types.CodeType))
        found.append((current, names))
        if level == 0:
            continue
        scope = current.__globals__
        modules = [scope] + [vars(v) for v in scope.values() if isinstance(v, types.ModuleType)
                             and v.__name__.startswith("cnnlab.lessons")]
        for name in names:
            for namespace in modules:
                target = namespace.get(name)
                if (inspect.isfunction(target)
                        and target.__module__.startswith("cnnlab.lessons")):
                    stack.append((target, level - 1))
    return found


@contextmanager
def _second_seed(check, rng, shift):
    """For the time of a ``with`` block: the data ``check`` (and the lesson functions it calls)
    reads from its modules rearranged; a check that reads no such data (it makes its data with
    its own ``np.random.default_rng(seed)``) gets that generator seeded again instead.  Never
    both: a seeded generator that is part of the task (``minibatches(..., seed)``) must stay
    NumPy's own."""
    data, generators = [], []
    for function, names in _reachable(check):
        scope = function.__globals__
        namespaces = [scope] + [vars(v) for v in scope.values()
                                if isinstance(v, types.ModuleType)
                                and v.__name__.startswith("cnnlab.lessons")]
        for namespace in namespaces:
            for name in sorted(names):
                value = namespace.get(name)
                if value is np and namespace is scope and "default_rng" in names:
                    generators.append((namespace, name, value))
                elif _holds_arrays(value) and not any(
                        ns is namespace and n == name for ns, n, _ in data):
                    data.append((namespace, name, value))
    saved = data or generators
    try:
        for namespace, name, value in saved:
            namespace[name] = (_rearranged(value, rng, integers=False) if data
                               else _ReseededNumpy(shift))
        yield
    finally:
        for namespace, name, value in reversed(saved):
            namespace[name] = value


def _hidden_check(exercise, seed):
    """``check(answer) -> CheckResult`` on the hidden cases of ``exercise``."""
    if exercise.custom_check is None:
        kwargs = dict(exercise.check_kwargs)
        kwargs["cases"] = hidden_cases(exercise, seed)
        kwargs["describe"] = lambda *args: _HIDDEN_CASE         # never the hidden inputs
        kwargs["passed"] = f"{exercise.name}: correct on {len(kwargs['cases'])} hidden cases"
        return lambda answer: check_function(answer, name=exercise.name, **kwargs)

    def check(answer):
        rng = _rng_for(exercise, seed)
        with _second_seed(exercise.custom_check, rng, int(seed) + 1):
            return exercise.custom_check(answer)
    return check


def grade(exercise, answer, hidden_seed=None):
    """The verdict on ``answer``: the exercise's own checker on the visible cases, then (with a
    ``hidden_seed``) on the hidden cases.

    Parameters
    ----------
    exercise : Exercise or str
        The exercise or its label, ``"lesson03.check_conv2d"``.
    answer : object
        The learner's answer (a function, usually).
    hidden_seed : int, optional
        The hidden cases' seed; None checks the visible cases only.

    Returns
    -------
    CheckResult
        Failed on the visible cases: the checker's own message (the hint that names the
        mistake). Passed those but failed the hidden ones: a message that says so, then the
        checker's message on the hidden cases.

    Examples
    --------
    >>> def output_size(n, k, s, p):
    ...     return (n + 2 * p - k) // s + 1
    >>> grade("lesson03.check_output_size", output_size, hidden_seed=1)
    PASS output_size: correct on the visible and the hidden cases
    >>> def hard_coded(n, k, s, p):        # the visible cases' answers, from a table
    ...     return {(n, k, s, p): output_size(n, k, s, p) for n, k, s, p in
    ...             exercises()["lesson03.check_output_size"].check_kwargs["cases"]}.get(
    ...                 (n, k, s, p), 1)
    >>> grade("lesson03.check_output_size", hard_coded).passed        # visible cases only
    True
    >>> print(grade("lesson03.check_output_size", hard_coded, hidden_seed=1).message)
    ... # doctest: +NORMALIZE_WHITESPACE
    output_size: right on the cases you see, but not on the hidden cases (an answer must work
    for every input; the hidden inputs are not shown): your answer differs from the right one
    on a hidden case: does it hold for every input?
    """
    exercise = exercises()[exercise] if isinstance(exercise, str) else exercise
    visible = exercise.verdict(answer)
    if not visible.passed or hidden_seed is None:
        return visible
    hidden = exercise.verdict(answer, check=_hidden_check(exercise, hidden_seed))
    if hidden.passed:
        return CheckResult(True, f"{exercise.name}: correct on the visible and the hidden cases")
    return CheckResult(False, f"{exercise.name}: {HIDDEN_FEEDBACK} "
                              f"{_hidden_feedback(exercise, answer, hidden_seed, hidden.message)}")


def _hidden_feedback(exercise, answer, seed, message):
    """What the learner may read of a failure on the hidden cases: the checker's hint when it
    names a mistake, else the kind of failure; never the hidden inputs or the expected answer.

    A hint that names a mistake does not depend on the data: the same answer checked on two
    other seeds' hidden cases gets the same text.  A message that shows a case (its inputs,
    the expected answer, the learner's answer, a position, a difference) changes with the
    data, or, from ``check_function``, says "on a hidden case": only its kind is kept.
    """
    named = _HIDDEN_CASE not in message and all(
        exercise.verdict(answer, check=_hidden_check(exercise, other)).message == message
        for other in (exercise_seed(seed, "again"), exercise_seed(seed, "and again")))
    if named:
        return message.removeprefix(f"{exercise.name}: ")
    return _kind_of_failure(message)


def _kind_of_failure(message):
    """A failure's kind, in words that hold no value of the case.

    Examples
    --------
    >>> _kind_of_failure("f: your function raised IndexError: index 9 is out of bounds (on x)")
    'your function raised IndexError on a hidden case'
    >>> _kind_of_failure("f: on a hidden case: your answer is 3x4 (3 rows, 4 columns), ...")
    'your answer has the wrong shape or kind on a hidden case'
    >>> _kind_of_failure("f: on a hidden case: your function returned 3, expected 6")
    'your answer differs from the right one on a hidden case: does it hold for every input?'
    """
    raised = re.search(r"\b([A-Z]\w*(?:Error|Exception))\b", message)
    if raised:
        return f"your function raised {raised.group(1)} on a hidden case"
    if "NaN or inf" in message:
        return "your answer contains NaN or inf on a hidden case"
    if re.search(r"\bshape\b|\d+x\d+ \(|holding|the values are right, but|return \w+ things"
                 r"|expected an array|a \w+ is not what", message):
        return "your answer has the wrong shape or kind on a hidden case"
    return ("your answer differs from the right one on a hidden case: does it hold for every "
            "input?")


def require(label, answer, hidden_seed=None):
    """Raise ``AssertionError(feedback)`` unless :func:`grade` passes: what an otter test
    case calls.

    Parameters
    ----------
    label : str
        The exercise's label, ``"lesson03.check_conv2d"``.
    answer : object
        The learner's answer, as the submitted notebook defines it (None when it does not:
        otter passes None for a name the notebook never defined, a renamed function).
    hidden_seed : int, optional
        The exercise's hidden seed (:func:`exercise_seed`); None checks the visible cases only.

    Raises
    ------
    AssertionError
        With the feedback: the checker's hint, or what the hidden cases found.

    Examples
    --------
    >>> require("lesson03.check_output_size", lambda n, k, s, p: (n + 2 * p - k) // s + 1, 5)
    >>> try:
    ...     require("lesson03.check_output_size", lambda n, k, s, p: (n + 2 * p - k) // s, 5)
    ... except AssertionError as feedback:
    ...     print("+ 1" in str(feedback))         # the hint that names the mistake
    True
    >>> try:
    ...     require("lesson03.check_output_size", None)   # the notebook renamed the function
    ... except AssertionError as feedback:
    ...     print(str(feedback)[:59])
    output_size: no function named output_size in your notebook
    """
    exercise = exercises()[label] if isinstance(label, str) else label
    if answer is None:
        raise AssertionError(f"{exercise.name}: no function named {exercise.name} in your "
                             f"notebook (keep the name the exercise cell gives it, and run "
                             f"that cell)")
    result = grade(exercise, answer, hidden_seed)
    if not result.passed:
        raise AssertionError(result.message)


def _fingerprint(value):
    """A text that identifies an argument's value (arrays by their bytes)."""
    digest = hashlib.sha256()

    def feed(v):
        if isinstance(v, np.ndarray):
            digest.update(f"a{v.shape}{v.dtype}".encode())
            digest.update(np.ascontiguousarray(v).tobytes())
        elif isinstance(v, dict):
            digest.update(b"d")
            for k in sorted(v, key=str):
                digest.update(str(k).encode())
                feed(v[k])
        elif isinstance(v, (list, tuple)):
            digest.update(f"l{len(v)}".encode())
            for item in v:
                feed(item)
        elif callable(v):
            digest.update(f"f{getattr(v, '__name__', '')}".encode())
        else:
            digest.update(repr(v).encode())

    feed(copy.copy(value))
    return digest.hexdigest()
