"""Shared test settings: tests/ on ``sys.path``, the ``slow`` marker, hypothesis profiles.

- tests/ is put on ``sys.path`` (pytest runs with ``--import-mode=importlib``, which does not),
  so a test file anywhere under tests/ imports the shared helpers by their bare names:
  ``from panels import PANELS, another_value``, ``from lesson_runs import run_lesson``,
  ``from figure_checks import legibility_problems``, ``from checker_checks import ...``.
- The fast lane is ``python -m pytest -m "not slow"``.  Slow are: every notebook nbval runs
  (notebooks/), the browser tests (tests/browser/), a lesson test that re-runs a notebook or
  renders figures (marked ``@pytest.mark.slow`` in its file), and the tests of other files
  listed in ``SLOW`` below (more than about a second each on the course's 2-core machine).
  In the fast lane each hypothesis property runs on 5 examples (profile "fast"), 30 otherwise.
  ``python -m pytest -m "not slow"`` (3,150 tests) ran in 42 s there with other work running
  (24 s of CPU); the whole suite is still ``python -m pytest``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))


settings.register_profile("default", max_examples=30, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=300, deadline=None)
# The fast lane tries each property on fewer random examples (the explicit @example cases
# always run), so that every layer's finite-difference checks stay in it.
settings.register_profile("fast", max_examples=5, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config):
    """``-m "not slow"`` (the fast lane) loads hypothesis's "fast" profile, unless the
    environment names one (HYPOTHESIS_PROFILE).  This conftest is read before any test module
    of tests/ is imported, so the profile reaches every @given test."""
    lane = " ".join((config.getoption("markexpr", "") or "").split())
    if lane == "not slow" and "HYPOTHESIS_PROFILE" not in os.environ:
        settings.load_profile("fast")
    # Exercises passed by the tests (and by notebooks nbval runs: kernels inherit the
    # environment) are remembered in a throw-away file, never in the user's own progress.
    if "CNNLAB_PROGRESS_FILE" not in os.environ:
        folder = tempfile.mkdtemp(prefix="cnnlab-progress-")
        os.environ["CNNLAB_PROGRESS_FILE"] = os.path.join(folder, "progress.json")

# Tests of files this list does not own (module tests, UI tests, doctests) that take more than
# about a second each on the course's 2-core machine (measured with --durations=0): "file
# name::test name" (any folder, every parameter) or "file name::test name[parameter]".
SLOW = {
    "test_blocks.py::test_block_against_torch",
    "test_board.py::test_board_updates_in_place_without_new_figures",
    "test_data.py::test_a_download_killed_mid_file_is_cleaned_up_by_the_next_call",
    # the UI: every panel's quick redraw against full renders, pixel for pixel
    "test_widgets.py::test_quick_redraw_equals_a_full_render",
    "test_widgets.py::test_animated_artists_are_drawn_alone_and_the_picture_stays_exact",
    # doctests that build a panel or train a network
    "lesson01.py::cnnlab.lessons.lesson01.kernel_editor",
    "lesson03.py::cnnlab.lessons.lesson03.sliding_window",
    "lesson04.py::cnnlab.lessons.lesson04.pooling_panel",
    "lesson05.py::cnnlab.lessons.lesson05.forward_panel",
    "lesson06.py::cnnlab.lessons.lesson06.loss_surface_panel",
    "lesson07.py::cnnlab.lessons.lesson07.step_size_lab",
    "lesson07.py::cnnlab.lessons.lesson07.kernel_gradient_builder",
    "lesson07.py::cnnlab.lessons.lesson07.bug_zoo",
    "lesson08.py::cnnlab.lessons.lesson08.training_panel",
    "lesson10.py::cnnlab.lessons.lesson10.feature_maps_panel",
    "lesson10.py::cnnlab.lessons.lesson10.saliency_panel",
    "lesson11.py::cnnlab.lessons.lesson11.trained_network",
}


def _slow_by_name(item):
    name = f"{Path(str(item.path)).name}::{item.nodeid.split('::', 1)[-1]}"
    return name in SLOW or name.split("[", 1)[0] in SLOW or any(
        name.startswith(entry) for entry in SLOW if "[" in entry)


def pytest_collection_modifyitems(config, items):
    slow = pytest.mark.slow
    for item in items:
        path = Path(str(item.path))
        if (path.suffix == ".ipynb" or (TESTS / "browser") in path.parents
                or _slow_by_name(item)):
            item.add_marker(slow)


def pytest_unconfigure(config):
    """Leave the objects a session built (notebook runs, their figures) to the process's exit:
    without this, Python's last garbage collection walks them all (minutes after a full run)."""
    import gc

    gc.freeze()
