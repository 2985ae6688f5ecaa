"""Browser tests: marked ``browser``; skipped (saying why) only outside CI when no browser."""

from __future__ import annotations

import importlib.util
import os

import pytest

from .harness import chromium_path


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: runs JupyterLab in a real (headless) browser")


def pytest_collection_modifyitems(config, items):
    missing = []
    if importlib.util.find_spec("playwright") is None:
        missing.append("the playwright package (pip install playwright)")
    if chromium_path() is None:
        missing.append("Debian's chromium (apt-get install chromium)")
    if not missing:
        return
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        return          # in CI a missing browser is a failure: let the tests run and fail
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="browser tests need "
                                             + " and ".join(missing)))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Mark a failed test, so the page fixture saves a screenshot and the console log."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item.failed = True
