"""The keyboard test in the front ends test_a11y_in_browser.py (JupyterLab 4) does not start.

The front end is the one the lab Python (``CNNLAB_LAB_PYTHON``) offers:
- Notebook 7 (``jupyter notebook``, package ``notebook`` >= 7), beside a JupyterLab 4: CI's
  Binder environment, in the pytest phase of ``.ci/run``;
- the widgets-7 front end (JupyterLab 3.6, ipywidgets 7.7, jupyterlab_widgets 1.1): CI's
  Colab-like environment, in the ``browser_widgets7`` phase.
Any other set fails, saying so (JupyterLab 4 is test_a11y_in_browser.py's).

For each lesson: run all cells, then move one control per panel with the keys alone
(tests/browser/a11y.py, the same test as in JupyterLab 4 and the browser edition): its figure,
alt text and live readout change, the notebook neither scrolls nor moves its selection, Escape
leaves the control; every control has an accessible name and every slider a value.
"""

from __future__ import annotations

import importlib

import pytest
from packaging.version import Version
from panels import panels_of

from . import a11y, harness
from .test_notebooks_in_browser import NOTEBOOKS, chrome, page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def front_end(versions):
    """("notebook" or "lab", a description) for the front-end packages ``versions`` holds."""
    lab = Version(versions.get("jupyterlab", "0"))
    notebook = Version(versions.get("notebook", "0"))
    if lab.major == 3:
        return "lab", (f"JupyterLab {lab} with ipywidgets {versions.get('ipywidgets')} "
                       "(the widgets-7 front end)")
    if notebook.major >= 7:
        return "notebook", (f"Notebook {notebook} with ipywidgets {versions.get('ipywidgets')}")
    raise ValueError(f"the lab Python offers neither Notebook 7 nor JupyterLab 3.6: {versions} "
                     "(set CNNLAB_LAB_PYTHON to an environment that has one)")


@pytest.fixture(scope="module")
def app():
    python, _ = harness.lab_python()
    app, description = front_end(harness.front_end_versions(python))
    print(f"keyboard test in {description}, from {python}")
    with harness.jupyter_lab(app) as server:
        yield app, server


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_panel_answers_the_keyboard(app, page, name):  # noqa: F811 - fixture
    which, (base, token, _) = app
    harness.open_and_run(page, base, token, name, app=which)
    assert harness.page_errors(page) == [], f"{name}: errors after Run All"
    lesson = importlib.import_module(f"cnnlab.lessons.lesson{name[:2]}")
    found = page.evaluate(f"() => ({a11y.PANELS})().length")
    assert found >= len(panels_of(lesson)), (
        f"{name}: {found} panels with a control on the page, {len(panels_of(lesson))} declared")
    assert page.evaluate(a11y.UNNAMED) == [], f"{name}: controls without an accessible name"
    assert page.evaluate(a11y.SLIDERS_WITHOUT_VALUE) == [], f"{name}: sliders without a value"
    problems = a11y.press_keys_on_every_panel(page, name)
    assert problems == [], "\n".join(problems)
    assert harness.page_errors(page) == [], f"{name}: errors after the keyboard test"


def test_the_front_end_is_chosen_from_the_lab_python():
    assert front_end({"jupyterlab": "3.6.8", "ipywidgets": "7.7.1"})[0] == "lab"
    assert front_end({"jupyterlab": "4.6.6", "notebook": "7.6.5"})[0] == "notebook"
    with pytest.raises(ValueError, match="neither Notebook 7 nor JupyterLab 3.6"):
        front_end({"jupyterlab": "4.6.6"})
