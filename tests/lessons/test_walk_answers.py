"""Every answer new learners wrote on their walk through the lessons, replayed.

The answers live in tests/lessons/walk/ (see its README): right answers must pass, wrong
answers must be refused with a message (never accepted, never a crash of the checker).  How
well each message names its mistake was judged by the walkers; the keywords they wrote before
seeing a message are checked loosely here, over each file as a whole.
"""

import importlib
import importlib.util
from pathlib import Path

import pytest

WALK = Path(__file__).parent / "walk"


def _entries():
    for path in sorted(WALK.glob("answers_*.py")):
        spec = importlib.util.spec_from_file_location(f"walk_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for number, entry in enumerate(module.ANSWERS):
            yield pytest.param(entry, id=f"{path.stem}-{number}-{entry['lesson']}."
                                         f"{entry['checker']}")


ENTRIES = list(_entries())


def _is_right(entry):
    mistake = entry["mistake"].lower()
    return mistake.startswith("right") or mistake.startswith("not a mistake")


def _verdict(entry):
    lesson = importlib.import_module(f"cnnlab.lessons.{entry['lesson']}")
    return getattr(lesson, entry["checker"])(entry["answer"])


def test_the_walks_are_kept():
    assert len(ENTRIES) >= 300
    lessons = {param.values[0]["lesson"] for param in ENTRIES}
    assert lessons == {f"lesson{n:02d}" for n in range(12)}


@pytest.mark.parametrize("entry", ENTRIES)
def test_learner_answer(entry):
    result = _verdict(entry)
    if _is_right(entry):
        assert result.passed, f"a right answer ({entry['mistake']}) was refused: {result.message}"
    else:
        assert not result.passed, f"wrong answer accepted: {entry['mistake']}"
        assert result.message.strip()
