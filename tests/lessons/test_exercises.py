"""Every exercise is an Exercise with three tiers of help, and a passed one is remembered."""

from __future__ import annotations

import importlib
import json
import pkgutil

import numpy as np
import pytest

import cnnlab.lessons
from cnnlab.lessons import _check
from cnnlab.lessons._check import Exercise

LESSONS = [importlib.import_module(f"cnnlab.lessons.{info.name}")
           for info in pkgutil.iter_modules(cnnlab.lessons.__path__)
           if info.name.startswith("lesson")]
# The lessons whose checkers are Exercises so far (issue 23 moves every lesson here; the list
# then goes, and the test below runs on LESSONS).
PORTED = [lesson for lesson in LESSONS
          if lesson.__name__.endswith(("lesson03", "lesson09", "lesson10", "lesson11"))]


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
    toy(lambda x: None)                          # a stub is not an attempt
    assert "Try twice first" in repr(toy.solution())
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


@pytest.mark.parametrize("lesson", PORTED, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_checker_of_every_lesson_is_an_exercise_with_three_tiers(lesson):
    checkers = {name: value for name, value in vars(lesson).items()
                if name.startswith("check_") and callable(value)}
    assert checkers, f"{lesson.__name__} has no exercise"
    for name, checker in checkers.items():
        assert isinstance(checker, Exercise), f"{lesson.__name__}.{name} is not an Exercise"
        assert checker.__name__ == name and checker.task and checker.idea
        assert "return" in repr(checker.solution(force=True)), name
