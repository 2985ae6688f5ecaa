"""Every lesson in JupyterLab 4, audited after Run All: axe-core, accessible names, keyboard.

For each notebook: run all cells, then
- axe-core finds no serious or critical violation inside the notebook's content (outputs and
  rendered markdown);
- every control of every panel has an accessible name;
- one control per panel, moved with the keyboard alone, changes its figure, its alt text and its
  ARIA live readout, without moving the notebook's selection; Escape leaves it.
"""

from __future__ import annotations

import pytest

from . import a11y, harness
from .test_notebooks_in_browser import NOTEBOOKS, chrome, lab, page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_lesson_passes_axe_and_every_panel_answers_the_keyboard(lab, page, name):  # noqa: F811
    base, token, _ = lab
    harness.open_and_run(page, base, token, name)
    assert harness.page_errors(page) == [], f"{name}: errors after Run All"
    # Every figure on the page has alt text (panels, static figures, the drawing pad's).
    missing = page.evaluate("""() => Array.from(document.querySelectorAll(
            '.jp-OutputArea-output img')).filter((img) => !img.alt).map((img) => img.src
            .slice(0, 40))""")
    assert missing == [], f"{name}: images without alt text: {missing}"
    violations = a11y.axe_violations(page)
    assert violations == [], f"{name}: axe-core:\n" + "\n".join(violations)
    assert page.evaluate(a11y.UNNAMED) == [], f"{name}: controls without an accessible name"
    problems = a11y.press_keys_on_every_panel(page, name)
    assert problems == [], "\n".join(problems)
    assert harness.page_errors(page) == [], f"{name}: errors after the keyboard test"
