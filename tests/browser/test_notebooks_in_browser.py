"""Every notebook in a real browser: JupyterLab runs it, no error appears, every widget answers.

For each notebook: open it, wait for a connected idle kernel, run all cells, check that no
error, traceback or widget error is on the page; then change every control the way a user
would (keyboard on sliders, pick an option, click, type) and check that its figure really
changed (the image bytes differ) and that still no error appeared.  On failure a screenshot and
the browser console are saved under ``test-artifacts/browser/`` (path printed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from . import harness

NOTEBOOKS = sorted(p.name for p in (harness.ROOT / "notebooks").glob("*.ipynb"))
ARTIFACTS = harness.ROOT / "test-artifacts" / "browser"

pytestmark = pytest.mark.browser

# Not a speed goal (benchmarks/bench_browser_latency.py measures those, README's table): a
# control whose figure takes longer than this is hung or pathological.
MOST_SECONDS_PER_REDRAW = 1.0


@pytest.fixture(scope="module")
def lab():
    python, given = harness.lab_python()
    if not given:
        print(f"CNNLAB_LAB_PYTHON not set: JupyterLab runs from this Python ({python})")
    with harness.jupyter_lab() as server:
        yield server


@pytest.fixture(scope="module")
def chrome():
    with harness.browser() as browser:
        yield browser


@pytest.fixture
def page(chrome, request):
    context = chrome.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    page.console_log = console
    yield page
    failed = getattr(request.node, "failed", False)
    if failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        (ARTIFACTS / f"{stem}.console.txt").write_text("\n".join(console))
        print(f"browser artifacts saved: {ARTIFACTS / stem}.png and .console.txt")
    try:
        page.evaluate("() => window.jupyterapp.commands.execute('kernelmenu:shutdown')")
    except Exception:  # noqa: BLE001 - best effort at teardown
        pass
    context.close()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_every_widget_answers(lab, page, name):
    base, token, _ = lab
    harness.open_and_run(page, base, token, name)
    assert harness.page_errors(page) == [], f"{name}: errors after Run All"
    assert harness.cells_without_their_figure(page) == [], f"{name}: cells show no figure"
    # Each panel's still picture (for readers without widgets) is in the page and hidden,
    # output and all, by its drawn figure: no picture twice, no empty gap.
    stills = harness.stills(page)
    assert [s for s in stills if s["shown"] or not s["live"]] == [], f"{name}: {stills}"
    found = harness.controls(page)
    print(f"{name}: {len(found)} controls: {sorted({kind for kind, _ in found})}")
    if not name.startswith("09"):          # lesson 09's only live output is the training board
        assert found, f"{name}: no widget controls found in the page"
        assert stills, f"{name}: no panel's still picture in the page"
    slow = []
    for number, (kind, control) in enumerate(found):
        control.scroll_into_view_if_needed()
        before = harness.panel_images(control)
        assert before, f"{name}: control {number} ({kind}) has no figure beside it"
        at_edge = harness.change(page, kind, control, step=1)
        if at_edge:
            harness.change(page, kind, control, step=-1)
        try:
            waited = harness.wait_for_new_image(page, control, before)
        except Exception as error:  # noqa: BLE001 - re-raised with the context
            raise AssertionError(f"{name}: changing control {number} ({kind}) did not change "
                                 f"its figure within 15 s") from error
        if waited > MOST_SECONDS_PER_REDRAW:
            slow.append(f"control {number} ({kind}): {waited:.2f} s")
        harness.settle(page)
    assert harness.page_errors(page) == [], f"{name}: errors after moving the widgets"
    assert not slow, f"{name}: figures took longer than {MOST_SECONDS_PER_REDRAW} s: {slow}"
    assert not [m for m in page.console_log if "pageerror" in m], page.console_log


def test_the_harness_finds_every_notebook():
    assert NOTEBOOKS[0] == "00_start_here.ipynb" and len(NOTEBOOKS) >= 11
    assert Path(harness.chromium_path() or "/missing").name.startswith("chromium")
