"""The drawing pad of lesson 10 in a real browser: draw with the mouse, read the prediction.

JupyterLab runs lesson 10 (tests/browser/harness.py); Playwright's mouse draws a "1", a "0" and
a "7" as polylines on the pad (pointer events, as a user's mouse makes them), and the test reads
the prediction the pad shows for each; a finger (touch events) draws a "1" too.  It checks that
the 28x28 input, the probabilities, the eight feature maps and the saliency map are repainted
after every stroke, that Undo brings back the picture of the stroke before and Clear empties the
pad, and that starting from a test digit and erasing part of it changes what the network sees.
On failure a screenshot and the browser console are saved under ``test-artifacts/browser/``.
"""

from __future__ import annotations

import numpy as np
import pytest

from . import harness

pytestmark = pytest.mark.browser
ARTIFACTS = harness.ROOT / "test-artifacts" / "browser"

ONE = [[(150, 40), (140, 240)]]
ZERO = [[(140, 40), (95, 60), (72, 140), (95, 220), (140, 242), (185, 220), (208, 140),
         (185, 60), (140, 40)]]
SEVEN = [[(80, 70), (200, 70), (150, 160), (125, 230)]]
SEVEN_IN_TWO = [[(80, 70), (200, 70)], [(200, 70), (150, 160), (125, 230)]]

# What the pad shows: every picture as a data URL, the bar heights and the headline.
SNAPSHOT = """(root) => ({
    input: root.querySelector('.cnnlab-input').toDataURL(),
    saliency: root.querySelector('.cnnlab-saliency').toDataURL(),
    maps: Array.from(root.querySelectorAll('.cnnlab-feature')).map((c) => c.toDataURL()),
    bars: Array.from(root.querySelectorAll('.cnnlab-bar')).map((b) => b.style.height),
    headline: root.querySelector('.cnnlab-prediction').textContent,
    predicted: root.querySelector('.cnnlab-prediction').dataset.predicted,
    seq: root.dataset.seq,
    ink: (() => {
        const c = root.querySelector('.cnnlab-input');
        const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;
        let sum = 0;
        for (let i = 0; i < d.length; i += 4) sum += d[i];
        return sum;
    })(),
})"""


@pytest.fixture(scope="module")
def lab():
    with harness.jupyter_lab() as server:
        yield server


@pytest.fixture(scope="module")
def chrome():
    with harness.browser() as browser:
        yield browser


@pytest.fixture
def page(chrome, request):
    context = chrome.new_context(viewport={"width": 1400, "height": 1000}, has_touch=True)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    page.console_log = console
    yield page
    if getattr(request.node, "failed", False):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        (ARTIFACTS / f"{request.node.name}.console.txt").write_text("\n".join(console))
    try:
        page.evaluate("() => window.jupyterapp.commands.execute('kernelmenu:shutdown')")
    except Exception:  # noqa: BLE001 - best effort at teardown
        pass
    context.close()


def draw(page, pad, strokes):
    """Draw polylines (canvas pixels) with the mouse: press, move in small steps, release."""
    box = pad.bounding_box()
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(box["x"] + x, box["y"] + y)
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x, box["y"] + y, steps=10)
        page.mouse.up()


def draw_with_a_finger(page, pad, stroke):
    """Draw one polyline with touch events (Chromium's DevTools protocol), as a finger does."""
    box = pad.bounding_box()
    session = page.context.new_cdp_session(page)
    points = np.array(stroke, dtype=float)
    path = [points[0]] + [a + (b - a) * t for a, b in zip(points[:-1], points[1:], strict=True)
                          for t in np.linspace(0.1, 1.0, 10)]
    for number, (x, y) in enumerate(path):
        kind = "touchStart" if number == 0 else "touchMove"
        session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [
            {"x": box["x"] + x, "y": box["y"] + y}]})
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    session.detach()


def wait_for_update(page, root, seq, timeout_ms=15_000):
    """Wait until the pad has painted the kernel's answer to change number ``seq``."""
    page.wait_for_function("([root, seq]) => Number(root.dataset.seq) >= seq",
                           arg=[root, seq], timeout=timeout_ms, polling="raf")
    return root.evaluate(SNAPSHOT)


def assert_all_redrawn(before, after, what):
    assert after["input"] != before["input"], f"{what}: the 28x28 input was not repainted"
    assert after["saliency"] != before["saliency"], f"{what}: the saliency was not repainted"
    assert after["bars"] != before["bars"], f"{what}: the probabilities did not change"
    changed = sum(a != b for a, b in zip(after["maps"], before["maps"], strict=True))
    assert changed >= 6, f"{what}: only {changed} of the 8 feature maps were repainted"


def test_draw_a_one_a_zero_and_a_seven_then_undo_and_clear(lab, page):
    base, token, _ = lab
    harness.open_and_run(page, base, token, "10_what_did_it_learn.ipynb")
    assert harness.page_errors(page) == [], "errors after Run All"
    pad = page.wait_for_selector(".cnnlab-pad", timeout=30_000)
    pad.scroll_into_view_if_needed()
    root = page.query_selector(".cnnlab-drawpad")
    state = wait_for_update(page, root, 0)
    assert "empty pad" in state["headline"], state["headline"]
    assert state["ink"] == 0, "the empty pad's 28x28 input is not black"
    seq = 0
    for digit, strokes in ((1, ONE), (0, ZERO), (7, SEVEN)):
        if seq:
            page.click(".cnnlab-clear")
            seq += 1
            state = wait_for_update(page, root, seq)
            assert "empty pad" in state["headline"] and state["ink"] == 0, "Clear left ink"
        draw(page, pad, strokes)
        seq += len(strokes)
        after = wait_for_update(page, root, seq)
        assert after["predicted"] == str(digit), (
            f"drew a {digit}, the pad says {after['headline']!r}")
        assert after["ink"] > 0
        assert_all_redrawn(state, after, f"drawing a {digit}")
        state = after
    print("in-page stroke-to-update latencies (ms):", root.get_attribute("data-latencies"))

    # Undo: a 7 drawn in two strokes; Undo must bring back the picture of the first stroke.
    page.click(".cnnlab-clear")
    seq += 1
    wait_for_update(page, root, seq)
    draw(page, pad, SEVEN_IN_TWO[:1])
    seq += 1
    bar_only = wait_for_update(page, root, seq)
    draw(page, pad, SEVEN_IN_TWO[1:])
    seq += 1
    seven = wait_for_update(page, root, seq)
    assert seven["predicted"] == "7", seven["headline"]
    assert_all_redrawn(bar_only, seven, "the second stroke of the 7")
    page.click(".cnnlab-undo")
    seq += 1
    undone = wait_for_update(page, root, seq)
    for key in ("input", "saliency", "maps", "bars", "headline"):
        assert undone[key] == bar_only[key], f"Undo did not bring back the {key} of one stroke"
    page.click(".cnnlab-undo")
    seq += 1
    empty = wait_for_update(page, root, seq)
    assert "empty pad" in empty["headline"] and empty["ink"] == 0
    assert page.is_disabled(".cnnlab-undo") and page.is_disabled(".cnnlab-clear")

    # Start from a test digit and erase a band across it: the network sees less ink.
    page.select_option(".cnnlab-start", "7")
    seq += 1
    start = wait_for_update(page, root, seq)
    assert start["predicted"] == "7", start["headline"]
    page.check(".cnnlab-eraser")
    draw(page, pad, [[(20, 80), (260, 80)]])
    seq += 1
    erased = wait_for_update(page, root, seq)
    assert erased["ink"] < start["ink"], "the eraser did not remove ink"
    assert_all_redrawn(start, erased, "erasing")
    # A finger: touch events become pointer events on the pad (touch-action: none).
    page.select_option(".cnnlab-start", "blank")
    seq += 1
    wait_for_update(page, root, seq)
    draw_with_a_finger(page, pad, ONE[0])
    seq += 1
    touched = wait_for_update(page, root, seq)
    assert touched["predicted"] == "1", f"drew a 1 with a finger: {touched['headline']!r}"
    assert harness.page_errors(page) == [], "errors after drawing"
    assert not [m for m in page.console_log if "pageerror" in m], page.console_log
    latencies = np.array([float(v) for v in root.get_attribute("data-latencies").split(",")])
    assert latencies.size == seq, "every change should have been answered and timed"
    print(f"in-page latency over {latencies.size} changes: p50 {np.percentile(latencies, 50):.0f}"
          f" ms, p95 {np.percentile(latencies, 95):.0f} ms")
