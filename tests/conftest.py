"""Shared test settings: tests/ on ``sys.path``, the ``slow`` marker, hypothesis profiles.

- tests/ is put on ``sys.path`` (pytest runs with ``--import-mode=importlib``, which does not),
  so a test file anywhere under tests/ imports the shared helpers by their bare names:
  ``from panels import PANELS, another_value``, ``from lesson_runs import run_lesson``,
  ``from figure_checks import legibility_problems``, ``from checker_checks import ...``.
- The fast lane is ``python -m pytest -m "not slow"``.  Slow are: every notebook nbval runs
  (notebooks/), the browser tests (tests/browser/), a lesson test that re-runs a notebook or
  renders figures (marked ``@pytest.mark.slow`` in its file), and the tests of other files
  listed in ``SLOW`` below (more than about a second each on the course's 2-core machine).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

settings.register_profile("default", max_examples=30, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Tests of the module and doctest files (which this file does not own) that take more than
# about a second each: node ids relative to the repository, a test's name without its
# parameters covers all of them.  Measured with --durations=0 on the 2-core machine.
SLOW = {
}


def _slow_by_id(item):
    nodeid = item.nodeid
    return nodeid in SLOW or nodeid.split("[", 1)[0] in SLOW


def pytest_collection_modifyitems(config, items):
    slow = pytest.mark.slow
    for item in items:
        path = Path(str(item.path))
        if (path.suffix == ".ipynb" or (TESTS / "browser") in path.parents
                or _slow_by_id(item)):
            item.add_marker(slow)
