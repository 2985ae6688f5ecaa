"""Every exercise is an Exercise with three tiers of help, and a passed one is remembered."""

from __future__ import annotations

import importlib
import json
import pkgutil

import numpy as np
import pytest

import cnnlab.lessons
import cnnlab.lessons.lesson11
from cnnlab.lessons import _check
from cnnlab.lessons._check import Exercise

LESSONS = [importlib.import_module(f"cnnlab.lessons.{info.name}")
           for info in pkgutil.iter_modules(cnnlab.lessons.__path__)
           if info.name.startswith("lesson")]


def twice(x):
    """The worked solution of the toy exercise."""
    return 2 * x


def make_toy(**extra):
    return Exercise("twice", "return 2x", idea="add x to itself", solution=twice,
                    why="the simplest map", cases=[(1.5,), (-2.0,), (0.0,)], right=twice,
                    mistakes=[(lambda x: x * x, "you squared x")], **extra)


TOY = make_toy()


@pytest.fixture
def progress_path(tmp_path, monkeypatch):
    path = tmp_path / "deep" / "progress.json"
    monkeypatch.setenv("CNNLAB_PROGRESS_FILE", str(path))
    return path


def test_tier_one_names_the_mistake_and_points_at_more_help(progress_path):
    result = TOY(lambda x: x * x)
    assert not result and result.message == "twice: you squared x"
    assert "test_exercises.TOY.more_help()" in result.help
    assert "more_help()" in result._repr_html_()


def test_tier_two_gives_the_idea_without_code():
    assert str(TOY.more_help()) == "twice: add x to itself"


def test_tier_three_waits_for_a_real_attempt(progress_path):
    toy = make_toy()
    assert "Try twice first" in repr(toy.solution())
    toy(lambda x: None)                          # a stub is not an attempt, and is told so
    refusal = repr(toy.solution())
    assert "Try twice first" not in refusal and "Your twice returned None" in refusal
    assert "write its body first" in refusal and "solution(force=True)" in refusal
    toy(lambda x: x + 1)                         # a wrong answer is
    shown = toy.solution()
    assert "return 2 * x" in repr(shown) and "test_exercises.twice" in repr(shown)
    assert "the simplest map" in repr(shown) and "<span" in shown._repr_html_()


def test_asking_explicitly_shows_the_solution_at_once():
    assert "return 2 * x" in repr(make_toy().solution(force=True))


def test_a_passed_exercise_is_remembered(progress_path):
    assert _check.progress() == {}
    assert TOY(twice)
    assert json.loads(progress_path.read_text()) == {"test_exercises.twice": True}
    assert _check.progress() == {"test_exercises.twice": True}
    TOY(lambda x: x * x)                          # a later wrong answer forgets nothing
    assert _check.progress() == {"test_exercises.twice": True}


def test_an_unwritable_or_broken_progress_file_breaks_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CNNLAB_PROGRESS_FILE", str(blocker / "progress.json"))
    assert TOY(twice) and _check.progress() == {}
    broken = tmp_path / "progress.json"
    broken.write_text("{not json")
    monkeypatch.setenv("CNNLAB_PROGRESS_FILE", str(broken))
    assert _check.progress() == {}
    assert TOY(twice) and _check.progress() == {"test_exercises.twice": True}


def test_a_forbidden_call_is_refused_even_inside_the_learners_helper():
    toy = make_toy(forbidden=[("multiply", "write it with *, not np.multiply")])

    def helper(x):
        return np.multiply(x, 2)

    def answer(x):
        return helper(x)

    assert toy(answer).message == "twice: write it with *, not np.multiply"
    assert toy(lambda x: np.multiply(2, x)).message.endswith("not np.multiply")
    assert toy(lambda x: x + x)
    assert toy.tried


def exp(x):
    """A learner's own helper named like a NumPy function, from another cell."""
    return np.multiply(x, 1.0)


def test_an_attribute_is_not_taken_for_the_learners_helper_of_the_same_name():
    """``np.exp`` names the attribute ``exp``; the global function ``exp`` above (which uses the
    forbidden call) is not called by the answer, so the answer passes (a walk found it refused)."""
    toy = make_toy(forbidden=[("multiply", "write it with *, not np.multiply")])
    assert toy(lambda x: 2 * x * np.exp(0.0))
    assert not toy(lambda x: 2 * exp(x))               # calling the helper itself still counts


def multiply(x, factor):
    """A learner's own helper with a forbidden function's name, written without it."""
    return x * factor


def multiply_by_library(x, factor):
    return np.multiply(x, factor)


def test_a_learners_own_helper_is_not_refused_for_its_name():
    """Walk 2026-12-07: a learner's own helper named like the forbidden call (``im2col`` in
    lesson 09) was refused as the library's.  Its name is the learner's; what it calls is read."""
    toy = make_toy(forbidden=[("multiply", "write it with *, not np.multiply")])
    assert toy(lambda x: multiply(x, 2))
    assert toy(lambda x: multiply(x, len("multiply") - 6))            # a string is no call
    assert not toy(lambda x: np.multiply(x, 2))                       # the library's, by attribute
    assert not toy(lambda x: multiply(x, 2) + 0 * np.multiply(x, 0))  # both: the attribute counts
    global multiply                                                 # the helper calls the library
    mine = multiply
    try:
        multiply = multiply_by_library
        assert toy(lambda x: multiply(x, 2)).message.endswith("not np.multiply")
    finally:
        multiply = mine
    scope = {"np": np}
    exec("from numpy import multiply\nanswer = lambda x: multiply(x, 2)", scope)
    assert not toy(scope["answer"])                   # imported from NumPy: the library's own


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_checker_of_every_lesson_is_an_exercise_with_three_tiers(lesson):
    checkers = {name: value for name, value in vars(lesson).items()
                if name.startswith("check_") and callable(value)
                and getattr(value, "__module__", lesson.__name__) == lesson.__name__}
    assert checkers, f"{lesson.__name__} has no exercise"
    for name, checker in checkers.items():
        assert isinstance(checker, Exercise), f"{lesson.__name__}.{name} is not an Exercise"
        assert checker.__name__ == name and checker.task and checker.idea
        assert "return" in repr(checker.solution(force=True)), name


@pytest.mark.parametrize(("wrong", "words"), [
    (lambda x: -2 * x, "sign flipped"),
    (lambda x: 2 * x + 1, "off by +1 on every case"),
    (lambda x: 4 * x, "2 times the right ones"),
    (lambda x: np.trunc(2 * x), "whole numbers only"),
    (lambda x: (2 * x)[::-1, ::-1], "rotated 180 degrees"),
    (lambda x: (2 * x)[::-1], "upside down"),
    (lambda x: (2 * x)[:, ::-1], "mirrored left to right"),
    (lambda x: (2 * x).T, "transposed"),
    (lambda x: (2 * x).astype(np.float16), "close but not exact"),
])
def test_a_wrong_answer_no_mistake_names_is_related_to_the_right_one(wrong, words):
    """A mistake the catalogue does not know still gets its relation to the right answer."""
    grid = np.array([[1.237, -2.513, 3.758], [0.519, 7.121, -1.043], [2.011, 0.257, 9.533]])
    rect = np.array([[0.583, 1.519, -3.251, 2.097], [0.961, -2.207, 5.302, 1.118],
                     [4.753, -0.129, 1.061, 6.511]])
    result = _check.check_function(wrong, [(grid,), (rect,)], twice, name="twice")
    assert not result and words in result.message, result.message
    assert "on x=" in result.message and "expected" in result.message


def test_no_relation_is_claimed_for_one_number_or_an_unrelated_answer():
    result = _check.check_function(lambda n: 7, [(3,)], lambda n: 2 * n, name="f")
    assert result.message == "f: on n=3: your function returned 7, expected 6: yours is 1 more"
    result = _check.check_function(lambda x: np.cos(x), [(np.arange(4.0),)], twice, name="f")
    assert "your answers" not in result.message


# ---- the generic messages say what differs, in the learner's terms (issue 23's walk) ----------

@pytest.mark.parametrize(("answer", "words"), [
    (lambda x: list(2 * x), "a list, not a NumPy array"),
    (lambda x: (2 * x).astype(np.float32), "float32"),
    (lambda x: (2 * x).astype(np.float16), "float16"),
])
def test_exact_types_refuses_right_values_of_the_wrong_kind(answer, words):
    cases = [(np.array([1.5, -2.25, 0.0]),)]
    result = _check.check_function(answer, cases, twice, name="twice", exact_types=True)
    assert not result and words in result.message, result.message
    assert _check.check_function(twice, cases, twice, exact_types=True)
    # refused by default too; only exact_types=False lets the same values pass
    assert not _check.check_function(answer, cases, twice)
    assert _check.check_function(lambda x: list(2 * x), cases, twice, exact_types=False)


def test_by_default_a_list_passes_for_a_tuple_and_exact_types_true_refuses_it():
    where = _check.check_function(lambda n: [0, n], [(4,)], lambda n: (0, n), name="where")
    assert where, where.message
    size = _check.check_function(lambda n: n / 2 * 2 - 1, [(7,)], lambda n: n - 1, name="size")
    assert not size and "returned 6.0, a float" in size.message


def test_a_dict_changed_in_place_is_told_that_dict_copy_copies_only_the_dict():
    def step(params, lr):
        params["w"] -= lr
        return params
    result = _check.check_function(step, [({"w": np.ones(2)}, 0.5)],
                                   lambda params, lr: {"w": params["w"] - lr}, name="step")
    assert "changed its argument 'params' in place, the arrays inside it" in result.message
    assert "params.copy() copies only the dict" in result.message
    assert "params['w'].copy()" not in result.message and "params[name].copy()" in result.message
    result = _check.check_function(lambda x: x.__imul__(2), [(np.ones(2),)], twice, name="t")
    assert "changed its argument 'x' in place; build a new array" in result.message


def test_exact_types_wants_a_whole_number_and_a_tuple_where_the_right_answer_has_them():
    result = _check.check_function(lambda n: n / 2 * 2 - 1, [(7,)], lambda n: n - 1, name="size",
                                   exact_types=True)
    assert not result and "returned 6.0, a float" in result.message and "//" in result.message
    result = _check.check_function(lambda n: [0, n], [(4,)], lambda n: (0, n), name="where",
                                   exact_types=True)
    assert not result and "a list, expected a tuple" in result.message, result.message
    assert _check.check_function(lambda n: (0, n), [(4,)], lambda n: (0, n), exact_types=True)


def test_a_wrong_shape_is_said_in_rows_and_columns_and_names_the_parameter():
    image = np.arange(12.0).reshape(3, 4) - 5.5
    result = _check.check_function(lambda image: image, [(image,)],
                                   lambda image: image[:2, :3], name="crop")
    assert ("your answer is 3x4 (3 rows, 4 columns), expected 2x3 (2 rows, 3 columns): 1 row "
            "too many and 1 column too many (that is image's own shape)") in result.message
    result = _check.check_function(lambda n: [n + 1], [(3,)], lambda n: n + 1, name="f")
    assert "a list holding 4, expected the number itself, 4" in result.message


def test_wrong_values_are_located_and_their_pattern_named():
    x = np.array([[1.5, -2.0, 0.5], [-0.25, 3.0, -1.0]])
    relu = _check.check_function(lambda x: np.maximum(2 * x, 0), [(x,)], twice, name="twice")
    assert "3 of 6 numbers are off, the first at row 0, column 1 (yours 0, expected -4)" \
        in relu.message and "negative values were cut to 0" in relu.message
    absolute = _check.check_function(lambda x: np.abs(2 * x), [(x,)], twice, name="twice")
    assert "absolute values" in absolute.message
    z = np.array([-3.0, 0.0, 2.0])
    one_d = _check.check_function(lambda z: 2 * z + (z == 0), [(z,)], twice, name="twice")
    assert "the first at index 1 (z=0)" in one_d.message, one_d.message


def test_an_ignored_parameter_is_named():
    def right(n, k, p):
        return n + 2 * p - k + 1

    result = _check.check_function(lambda n, k, p: n - k + 1, [(28, 5, 0), (28, 5, 2)], right,
                                   name="output_size")
    assert "did not change when only p changed (0 to 2): does your function use p?" \
        in result.message, result.message
    assert "yours is 4 less" in result.message
    # an image that changes says nothing: two images can share an answer
    result = _check.check_function(lambda image: 0.0, [(np.ones(2),), (np.zeros(2),)],
                                   lambda image: float(image[0]), name="first")
    assert "did not change" not in result.message, result.message


def test_a_nan_is_located_and_an_unfilled_cell_suggested():
    def unfilled(x):
        out = 2 * x
        out[0, 2] = np.nan
        return out

    result = _check.check_function(unfilled, [(np.ones((2, 3)),)], twice, name="twice")
    assert "NaN or inf (1 of 6 value(s), the first at row 0, column 2)" in result.message
    assert "never filled in" in result.message


def test_a_tiny_factor_or_offset_is_called_rounding_not_a_missing_factor():
    result = _check.check_function(lambda: np.full((3, 3), 0.1111), [()],
                                   lambda: np.full((3, 3), 1 / 9), name="blur")
    assert "rounded to 4 decimals" in result.message and "times the right" not in result.message


def test_text_or_another_container_is_said_so():
    result = _check.check_function(lambda n: str(n + 1), [(3,)], lambda n: n + 1, name="f")
    assert "that is text, not numbers" in result.message, result.message
    result = _check.check_function(lambda n: {"row": n}, [(3,)], lambda n: (n, 0), name="f")
    assert "a dict is not what the right answer is, a tuple of 2 numbers" in result.message


def test_compare_arrays_and_a_one_tuple_say_the_shape_in_rows_and_columns():
    result = _check.compare_arrays(np.ones((5, 6)), np.ones((5, 7)), "dL/dF")
    assert result.message == ("dL/dF: your answer is 5x6 (5 rows, 6 columns), expected 5x7 "
                              "(5 rows, 7 columns): 1 column too few")
    result = _check.compare_arrays(np.ones((5, 7)), np.ones(7), "dL/dw")
    assert "your answer is 5x7 (5 rows, 7 columns), expected 7 numbers in a row" in result.message
    x = np.array([[1.5, -2.0], [0.5, 3.0]])
    result = _check.check_function(lambda x: (2 * x,), [(x,)], twice, name="twice")
    assert "a tuple holding one array of the right shape, 2x2" in result.message
    assert "return the array itself" in result.message and "1-tuple" in result.message


@pytest.mark.parametrize("number", range(6))
def test_lessons_00_to_05_show_a_short_public_worked_solution_that_passes(number):
    """The third tier shows a function written for the exercise (or cnnlab's own short one):
    public, no private helpers, no 4-D batch, and it passes its own checker."""
    import importlib
    import inspect
    lesson = importlib.import_module(f"cnnlab.lessons.lesson{number:02d}")
    exercises = [v for v in vars(lesson).values() if isinstance(v, Exercise)]
    assert exercises
    for exercise in exercises:
        solution = exercise.solution_function
        assert callable(solution), exercise.label            # one function, not a list
        assert not solution.__name__.startswith("_"), exercise.label
        source = inspect.getsource(solution)
        assert len(source.splitlines()) <= 45 and "(N, C" not in source, exercise.label
        result = exercise(solution)
        assert result.passed, f"{exercise.label}: {result.message}"
        shown = repr(exercise.solution())
        assert f"def {solution.__name__}" in shown and exercise.why in shown


@pytest.mark.parametrize("number", range(6))
def test_every_cnnlab_name_the_lessons_docstrings_point_to_exists(number):
    """help(lesson05.example_params) once pointed at cnnlab.demos._common.KERNELS, which does
    not exist (the walk of 2026-12-07)."""
    import inspect
    import re
    lesson = importlib.import_module(f"cnnlab.lessons.lesson{number:02d}")
    for name in sorted(set(re.findall(r"\bcnnlab(?:\.\w+)+(?![\w{])", inspect.getsource(lesson)))):
        parts, found = name.split("."), None
        for cut in range(len(parts), 0, -1):             # the longest importable module
            try:
                found = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            for attr in parts[cut:]:
                assert hasattr(found, attr), f"{lesson.__name__} names {name}: no {attr}"
                found = getattr(found, attr)
            break
        assert found is not None, f"{lesson.__name__} names {name}, which does not exist"


def test_a_big_answer_with_the_right_shape_says_how_its_values_differ():
    """A walk found "shape (24, 5), expected (24, 5)" for an answer too big to write out: the
    message must say the values differ, how many and where, and name a permutation of them."""
    weight = np.random.default_rng(3).normal(size=(24, 5))
    cases = [(weight,)]
    result = _check.check_function(lambda w: w[::-1][np.r_[1:24, 0]], cases, lambda w: w * 1.0,
                                   name="f")
    assert "right numbers in the wrong places" in result.message, result.message
    assert "expected an array of shape" not in result.message
    result = _check.check_function(lambda w: np.cos(w), cases, lambda w: w * 1.0, name="f")
    assert "the values differ (120 of 120 entries" in result.message, result.message
    assert "at index" in result.message


@pytest.mark.parametrize(("wrong", "words"), [
    (lambda x: (2 * x).T, "rows and columns swapped"),
    (lambda x: (2 * x).ravel(), "the same number of entries, flattened or reshaped"),
    (lambda x: (2 * x).sum(axis=0), "an axis is missing"),
    (lambda x: (2 * x)[..., None], "an extra axis"),
    (lambda x: np.round(2 * x, 2), "rounded to 2 decimals"),
    (lambda x: (2 * x + 0.3).astype(int), "whole numbers only (an array of dtype int64)"),
])
def test_a_wrong_shape_or_dtype_is_said_in_the_learners_terms(wrong, words):
    rect = np.array([[0.583, 1.519, -3.251, 2.097], [0.961, -2.207, 5.302, 1.118],
                     [4.753, -0.129, 1.061, 6.511]])
    result = _check.check_function(wrong, [(rect,)], twice, name="twice")
    assert not result and words in result.message, result.message
    single = _check.compare_arrays(wrong(rect), twice(rect), "twice")
    assert not single and words.split(" (")[0] in single.message, single.message


def test_a_solution_kept_in_a_private_module_is_shown_where_the_learner_finds_it():
    """No heading names a private module such as cnnlab.lessons._mistakes11 (a walk found it)."""
    for lesson in LESSONS:
        for name, checker in vars(lesson).items():
            if isinstance(checker, Exercise) and name.startswith("check_"):
                head = repr(checker.solution(force=True)).splitlines()[0]
                assert "lessons._" not in head and "its worked solution" not in head, head
    shown = repr(cnnlab.lessons.lesson11.check_torch_step.solution(force=True))
    assert shown.startswith("Worked solution: cnnlab.lessons.solutions.torch_step (")


def test_a_list_where_the_answer_is_an_array_is_refused_by_name():
    """The right numbers as a list are not an array: 2 * answer repeats the list.  A tuple
    where the right answer is a tuple (lesson 10's (row, column)) still passes."""
    rect = np.array([[0.5, -1.25, 3.0], [2.0, 0.0, -0.75]])
    result = _check.check_function(lambda x: (2 * x).tolist(), [(rect,)], twice, name="twice")
    assert not result and "returned a list, not a NumPy array" in result.message
    assert _check.check_function(lambda m: (1, 2), [(rect,)], lambda m: (1, 2), name="cell")
    for check, answer in ((cnnlab.lessons.lesson11.check_channels_last_to_first,
                           lambda w, c, h, ww: w.reshape(h, ww, c, -1).transpose(2, 0, 1, 3)
                           .reshape(-1, w.shape[1]).tolist()),):
        assert "not a NumPy array" in check(answer).message


WRITTEN_FOR_THE_EXERCISE = {      # lessons whose .solution() shows a function written for it
    "lesson00": ("check_invert",),
    "lesson01": ("check_apply_at",),
    "lesson02": ("check_output_size",),
    "lesson03": ("check_output_size", "check_conv2d"),
    "lesson04": ("check_max_pool", "check_max_pool_backward"),
    "lesson05": ("check_forward", "check_sigmoid"),
    "lesson06": ("check_grad_logit", "check_output_layer"),
    "lesson07": ("check_grad_kernel", "check_grad_bias", "check_grad_input",
                 "check_numerical_gradient", "check_backward_pass"),
    "lesson08": ("check_gd_update", "check_accuracy", "check_train_epoch"),
    "lesson09": ("check_im2col", "check_softmax_grad", "check_minibatches"),
    "lesson10": ("check_accuracy_from_confusion", "check_most_confused", "check_saliency"),
    "lesson11": ("check_torch_to_cnnlab", "check_channels_last_to_first",
                 "check_convolution_to_correlation", "check_torch_step"),
}
#: The exercises whose worked solution is a short cnnlab function (it is shown instead).
CNNLAB_OWN_SOLUTION = {"lesson00.check_brightest": "cnnlab.data.brightest_pixel",
                       "lesson01.check_box_blur": "cnnlab.conv.box_kernel",
                       "lesson02.check_pad_by_stacking": "cnnlab.padding.pad_by_stacking",
                       "lesson08.check_momentum_step": "cnnlab.train.momentum_step"}
#: Two exercises ask for an ``output_size``: the answer key tells them apart.
SOLUTION_NAME = {"lesson02.check_output_size": "output_size_padded",
                 "lesson03.check_output_size": "output_size_strided"}


@pytest.mark.parametrize(("lesson_name", "check_name"), [
    (lesson, check) for lesson, checks in WRITTEN_FOR_THE_EXERCISE.items() for check in checks])
def test_the_worked_solution_is_written_for_the_exercise(lesson_name, check_name):
    """Walk 2026-12-07: lessons 06-09 showed batched library functions with private helpers,
    and lesson 08's gd_update showed momentum_step, the answer to exercise 3.  Each now shows a
    public function of cnnlab.lessons.solutions with the exercise's own name and signature,
    which its checker passes, calls no private helper, and which an answer may not call, by
    any route to that module."""
    import inspect
    import re

    from cnnlab.lessons import solutions

    if lesson_name == "lesson11" and check_name == "check_torch_step":
        pytest.importorskip("torch")
    lesson = importlib.import_module(f"cnnlab.lessons.{lesson_name}")
    checker = getattr(lesson, check_name)
    name = SOLUTION_NAME.get(f"{lesson_name}.{check_name}", checker.name)
    worked = getattr(solutions, name)
    assert checker.solution_function is worked
    shown = repr(checker.solution(force=True))
    assert shown.startswith(f"Worked solution: cnnlab.lessons.solutions.{name} ("), \
        shown.splitlines()[0]
    assert checker(worked).passed
    source = inspect.getsource(worked)
    assert not re.search(r"(?<![\w.])_\w+\(", source.split('"""')[-1]), "a private helper"
    assert "momentum" not in source
    refusal = f"write it yourself: solutions.{name} is a worked solution"
    for calls_it in (eval(f"lambda *args: solutions.{name}(*args)", {"solutions": solutions}),
                     eval(f"lambda *args: cl.lessons.solutions.{name}(*args)", {"cl": cnnlab}),
                     eval(f"lambda *args: {name}(*args)", {name: worked}),
                     eval(f"lambda *args: {lesson_name}.solutions.{name}(*args)",
                          {lesson_name: lesson})):
        refused = checker(calls_it)
        assert not refused.passed and refusal in refused.message, refused.message


def _exercises():
    return [(lesson.__name__.rsplit(".", 1)[-1], name, checker) for lesson in LESSONS
            for name, checker in vars(lesson).items()
            if isinstance(checker, Exercise) and name.startswith("check_")]


@pytest.mark.parametrize(("lesson_name", "check_name", "checker"), _exercises(),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_the_shown_solution_runs_pasted_into_an_empty_notebook(lesson_name, check_name, checker):
    """Walk 2026-12-08: lesson 05's and 07's worked solutions, pasted into the notebook, raised
    NameError (solutions.py imports conv2d, seed_forward, ... by name).  The shown source now
    carries its imports: run in a namespace holding nothing else (but the learner's own answers
    to earlier exercises, where its comment says so), it defines a function its checker passes."""
    import inspect
    import textwrap

    if check_name == "check_torch_step":
        pytest.importorskip("torch")
    from cnnlab.lessons import solutions

    shown = repr(checker.solution(force=True))
    source = shown.split("\n\n", 1)[1]
    namespace = {}
    for line in source.splitlines():
        if line.startswith("# and your own "):
            for name in line[len("# and your own "):].split(", from")[0].split(", "):
                earlier = textwrap.dedent(inspect.getsource(getattr(solutions, name)))
                exec(earlier, namespace)         # noqa: S102  the learner's earlier answers
    exec(source, namespace)                                      # noqa: S102
    functions = checker.solution_function
    last = functions[-1] if isinstance(functions, (list, tuple)) else functions
    result = checker(namespace[last.__name__])
    assert result.passed, f"{lesson_name}.{check_name}: {result.message}"


def test_the_answer_key_holds_every_exercises_solution_in_course_order():
    """cnnlab.lessons.solutions: one public function per exercise not answered by a cnnlab
    function, in the order of the lessons and their exercises, each under its lesson's heading;
    with CNNLAB_OWN_SOLUTION, all 33 exercises."""
    import inspect
    import re

    from cnnlab.lessons import solutions

    expected, own = [], {}
    for lesson in sorted(LESSONS, key=lambda module: module.__name__):
        lesson_name = lesson.__name__.rsplit(".", 1)[-1]
        for attr, checker in vars(lesson).items():
            if isinstance(checker, Exercise) and attr.startswith("check_"):
                function = checker.solution_function
                if function.__module__ == solutions.__name__:
                    expected.append((lesson_name[-2:], function.__name__))
                else:
                    own[f"{lesson_name}.{attr}"] = f"{function.__module__}.{function.__name__}"
    assert own == CNNLAB_OWN_SOLUTION
    assert len(expected) + len(own) == 33
    source = inspect.getsource(solutions)
    found, section = [], None
    for line in source.splitlines():
        heading = re.match(r"# ---- Lesson (\d\d): .+ ----", line)
        section = heading.group(1) if heading else section
        named = re.match(r"def (\w+)\(", line)
        if named:
            found.append((section, named.group(1)))
    assert found == expected
    assert all(not name.startswith("_") for _, name in found)


def test_an_answer_reaching_the_answer_key_is_refused_and_one_that_does_not_is_not():
    """The module-level rule: an import inside the answer, a helper of the learner's that calls
    a worked solution, or the module under another name is refused; a learner's own variable
    called ``solutions`` is not the module."""
    from cnnlab.lessons import lesson06, solutions

    check = lesson06.check_grad_logit

    def imports_it(y_hat, y, loss):
        import cnnlab.lessons.solutions as key
        return key.grad_logit(y_hat, y, loss)

    def helper(y_hat, y, loss):
        return solutions.grad_logit(y_hat, y, loss)

    def through_a_helper(y_hat, y, loss):
        return helper(y_hat, y, loss)

    def own(y_hat, y, loss):
        dz = (y_hat - y) * y_hat * (1 - y_hat)
        return dz if loss == "squared_error" else y_hat - y

    for answer in (imports_it, through_a_helper, eval("lambda a, b, c: key.grad_logit(a, b, c)",
                                                      {"key": solutions})):
        result = check(answer)
        assert not result.passed and "write it yourself" in result.message, result.message
        assert "cnnlab.lessons.solutions" in result.message
    assert check(eval("lambda a, b, c: solutions(a, b, c)", {"solutions": own})).passed


def test_one_wrong_negative_cell_is_not_called_a_relu():
    """Walk 2026-12-08: a loop one entry short, whose last right value happened to be
    negative, was told "negative values were cut to 0"; that note needs every negative value,
    and only those, to be 0 in the answer."""
    right = np.array([[0.75, -1.5, 2.25], [1.0, 0.5, -0.25]])
    short = right.copy()
    short[1, 2] = 0.0
    result = _check.check_function(lambda x: short, [(right,)], lambda x: right, name="f")
    assert "cut to 0" not in result.message and "yours are 0 there" in result.message
    relu = np.maximum(right, 0)
    result = _check.check_function(lambda x: relu, [(right,)], lambda x: right, name="f")
    assert "negative values were cut to 0" in result.message, result.message


def test_whole_numbers_are_not_taken_for_an_ignored_input():
    """Walk 2026-12-08: an answer cast to int (every value 0 here) was also asked "does your
    answer use its input?"."""
    right = np.array([[0.75, -0.5, 0.25], [0.125, 0.5, -0.25]])
    result = _check.check_function(lambda x: x.astype(int), [(right,)], lambda x: x * 1.0,
                                   name="f")
    assert not result and "every value of yours is the same" not in result.message
    result = _check.check_function(lambda x: np.zeros_like(x), [(right,)], lambda x: x * 1.0,
                                   name="f")
    assert "every value of yours is the same" in result.message
