"""Every picture is described: each panel's alt text and live readout, and static figures'.

A panel's ``describe`` (beside its ``update``) says what the figure shows and its key numbers;
the text is the picture's alt text and the panel's ARIA live readout (cnnlab/ui/figure.js), so
it must exist for every panel, name real numbers, and change whenever a control changes the
figure.  Figures a notebook shows with plt.show() get a text/html form with the alt text read
from their artists (cnnlab.ui.describe).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from panels import PANELS, another_value, panel_id

from cnnlab.ui import widgets as cw
from cnnlab.ui.describe import describe_axes, describe_figure

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))
VAGUE_LINKS = {"here", "click here", "this", "this link", "link", "more", "read more"}


@pytest.mark.slow
@pytest.mark.parametrize("factory", PANELS, ids=panel_id)
def test_every_panel_describes_itself_and_the_text_follows_every_control(factory):
    panel = factory()
    assert panel.describe is not None, "a panel without its own describe"
    alt = panel.live.alt
    assert alt == panel.live.widget.alt and len(alt) > 40, alt
    assert re.search(r"\d", alt), f"no number in the alt text: {alt!r}"
    for name, control in panel.controls.items():
        before = panel.live.alt
        picture = panel.live.widget.value
        control.value = another_value(control)
        if panel.live.widget.value != picture:
            assert panel.live.alt != before, f"moving {name!r} changed the figure, not its text"
    panel = factory() if panel.buttons else panel       # buttons from the default settings
    for name, (button, _) in panel.buttons.items():
        if name == "reset":
            panel.buttons["step"][0].click()
        before = panel.live.alt
        button.click()
        assert panel.live.alt != before, f"clicking {name!r} left the alt text as it was"
    plt.close("all")


@pytest.mark.slow
@pytest.mark.parametrize("factory", PANELS, ids=panel_id)
def test_no_shown_control_carries_a_null_title(factory, monkeypatch):
    """Walk 2026-12-08: every control's label had title="null" in ipywidgets 8.1 (it writes a
    None tooltip into the label's title as the text "null", shown on hover, read by screen
    readers).  Shown, no widget of a panel keeps a None tooltip."""
    monkeypatch.setattr(cw, "display", lambda *args, **kwargs: None)
    panel = factory()
    shown = list(panel.controls.values()) + [b for b, _ in panel.buttons.values()] + panel.extra
    if widgets.__version__.startswith("8"):
        assert any(w.has_trait("tooltip") and w.tooltip is None for w in shown)   # as made
    panel._ipython_display_()
    for widget in shown:
        assert not widget.has_trait("tooltip") or widget.tooltip is not None, widget
    plt.close("all")


@pytest.mark.slow
def test_the_alt_text_says_the_numbers_the_figure_shows():
    from cnnlab.lessons import lesson03

    panel = lesson03.sliding_window()
    panel.controls["position"].value = 7
    title = panel.live.figure.axes[3].get_title().split("\n")[-1]      # "out[1, 1] = -1.3"
    assert title in panel.live.alt
    assert "row 1, column 1 (position 8 of 36)" in panel.live.alt


def test_a_panel_without_describe_reads_its_figure():
    fig, ax = plt.subplots(figsize=(2, 2))
    shown = ax.imshow(np.zeros((3, 3)), vmin=-1, vmax=1)

    def update(value):
        shown.set_data(np.full((3, 3), float(value)))
        ax.set_title(f"all {value}")

    panel = cw.Panel(fig, update, {"value": widgets.IntSlider(value=0, min=-1, max=1)},
                     animated=[shown, ax.title])
    assert panel.live.alt == "all 0: a 3x3 grid, values 0 to 0."
    panel.controls["value"].value = 1
    assert panel.live.alt == "all 1: a 3x3 grid, values 1 to 1."


def test_describe_counts_positive_cells_lines_and_bars():
    fig, (a, b) = plt.subplots(1, 2)
    a.imshow(np.array([[-1.0, 2.0, 3.0], [0.0, np.nan, -4.0]]))
    a.set_title("feature map")
    b.plot([0, 1, 2, 3], [4.0, 2.0, 1.0, 0.5], label="loss")
    assert describe_axes(a) == ("feature map: a 2x3 grid, values -4 to 3, 2 positive, 5 of 6 "
                                "cells filled")
    assert describe_axes(b) == "loss: a line of 4 points, y from 0.5 to 4, ending at (3, 0.5)"
    assert describe_figure(fig).startswith("Panels: (1) feature map")
    plt.close(fig)


def test_a_shown_figure_gets_an_img_with_its_alt_text():
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    shell = InteractiveShell.instance()
    try:
        set_matplotlib_formats("png")
        assert cw.describe_shown_figures()
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.plot([0, 1], [1, 0])
        ax.set_title("a falling line")
        data, _ = shell.display_formatter.format(fig)
        assert data["image/png"]
        html = data["text/html"]
        assert html.startswith('<img src="data:image/png;base64,')
        assert 'alt="a falling line: a line of 2 points' in html
        plt.close(fig)
    finally:
        InteractiveShell.clear_instance()


def test_a_shown_figure_is_rendered_once_for_its_img_and_its_png(monkeypatch):
    """The text/html form's picture is the image/png form's, rendered once (issue 24: every
    figure a lesson showed was drawn twice); a figure changed and shown again shows its change,
    and a figure shown without its text/html form is rendered as before."""
    import base64

    from IPython.core import pylabtools
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    shell = InteractiveShell.instance()
    renders = []
    real = pylabtools.print_figure

    def counting(fig, *args, **kwargs):
        renders.append(fig)
        return real(fig, *args, **kwargs)

    monkeypatch.setattr(pylabtools, "print_figure", counting)
    try:
        set_matplotlib_formats("png")
        assert cw.describe_shown_figures()
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.set_title("first")
        data, _ = shell.display_formatter.format(fig)
        assert len(renders) == 1
        assert base64.b64encode(base64.b64decode(data["image/png"])).decode() in data["text/html"]
        ax.set_title("second, longer")
        again, _ = shell.display_formatter.format(fig)
        assert len(renders) == 2 and again["image/png"] != data["image/png"]
        assert again["image/png"] in again["text/html"] and 'alt="second, longer' in again[
            "text/html"]
        png_only, _ = shell.display_formatter.format(fig, include={"image/png"})
        assert len(renders) == 3 and png_only["image/png"] == again["image/png"]
        other, _ = plt.subplots(figsize=(2, 2))
        shell.display_formatter.formatters["text/html"](fig)        # kept: fig's picture
        assert shell.display_formatter.formatters["image/png"](other) != again["image/png"]
        assert len(renders) == 5                                   # other: rendered, not fig's
        plt.close(fig)
        plt.close(other)
    finally:
        InteractiveShell.clear_instance()


def test_a_panels_still_picture_carries_an_img_with_alt_for_static_pages():
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.set_title("empty")
    live = cw.LiveFigure(fig, describe=lambda: 'nothing "here"')
    bundle = cw.still_bundle(live.widget.value, live.alt, live.widget.still)
    assert 'alt="nothing &quot;here&quot;"' in bundle["text/html"]
    assert bundle["image/png"] in bundle["text/html"]
    assert bundle["text/plain"] == '[picture: nothing "here"]'


def _markdown(notebook):
    """The markdown of a notebook, code blocks left out."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return re.sub(r"```.*?```", "", text, flags=re.DOTALL)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_notebook_headings_links_and_images_read_without_sight(notebook):
    text = _markdown(notebook)
    levels = [len(m.group(1)) for m in re.finditer(r"(?m)^(#{1,6}) ", text)]
    assert levels[:1] == [1] and levels.count(1) == 1, "one title, first"
    skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert skips == [], f"heading levels skipped: {skips}"
    for words, _ in re.findall(r"(?<!!)\[([^\]]+)\]\(([^)]+)\)", text):
        label = re.sub(r"[*_`]|!\[|\]\(.*", "", words).strip().lower()
        assert label not in VAGUE_LINKS and not label.startswith("http"), (
            f"a link whose text does not say where it goes: {words!r}")
    assert not re.findall(r"!\[\s*\]", text), "an image without alt text"
    assert all("alt=" in tag for tag in re.findall(r"<img[^>]*>", text)), "<img> without alt"
