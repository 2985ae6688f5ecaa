"""Every figure and panel of lessons 00-05 can be read, in every state the controls reach.

For each panel, every control is moved through its values (each option of a menu, each end and
the middle of a slider); in each state the figure must have no text outside it, no overlapping
text, no text under 8 pt at display size, whole-number ticks on cell grids, cell numbers that
contrast with their cell, colour-blind-safe colour maps, and a picture never shown larger than
its pixel size (nor so wide that a ~900 px notebook column shrinks it).  The static figures the
notebooks draw (``plt.show()``) are checked the same way, as the inline backend shows them.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import ipywidgets as widgets
import matplotlib
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnlab.lessons import lesson00, lesson01, lesson02, lesson03, lesson04, lesson05

sys.path.insert(0, str(Path(__file__).parent))   # tests/ helpers (pytest's importlib mode)
from figure_checks import CSS_DPI, grid_tick_problems, legibility_problems  # noqa: E402
from lesson_runs import run_lesson  # noqa: E402

COLUMN_PX = 848            # the output area of JupyterLab 4 in a 1280 px wide window (measured)
SAFE_CMAPS = {"viridis", "magma", "inferno", "plasma", "cividis", "gray", "Greys", "RdBu_r",
              "RdBu", "PuOr", "PuOr_r", "Blues", "Greens", "Oranges", "Purples"}
MIN_CONTRAST = 3.0         # WCAG's minimum for large or bold text; cell numbers are short


def _luminance(colour):
    rgb = np.array(mcolors.to_rgb(colour))
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)))
    return (lb + 0.05) / (la + 0.05)


def is_grid(ax):
    return bool(ax.images) and ax.get_label() != "<colorbar>" and ax.axison


def annotation_problems(fig):
    """Numbers written in cells whose colour they do not contrast with."""
    problems = []
    for ax in fig.axes:
        if not ax.images:
            continue
        image = ax.images[-1]
        data = np.asarray(image.get_array(), dtype=float)
        left, right, bottom, top = image.get_extent()
        rows, cols = data.shape
        for text in ax.texts:
            if not text.get_visible() or not text.get_text().strip():
                continue
            if text.get_transform() != ax.transData:
                continue
            x, y = text.get_position()
            j = int(np.floor((x - left) / (right - left) * cols))
            i = int(np.floor((y - top) / (bottom - top) * rows))
            if not (0 <= i < rows and 0 <= j < cols):
                continue
            value = data[i, j]
            cell = ax.get_facecolor() if not np.isfinite(value) else image.to_rgba(value)
            ratio = contrast(text.get_color(), cell[:3])
            if ratio < MIN_CONTRAST:
                problems.append(f"{ax.get_title()!r}: {text.get_text()!r} in cell ({i}, {j}) "
                                f"has contrast {ratio:.1f}")
    return problems


def figure_problems(fig, dpi):
    problems = legibility_problems(fig, dpi=dpi)
    for ax in fig.axes:
        if is_grid(ax):
            problems += grid_tick_problems(ax)
        for image in ax.images:
            name = image.get_cmap().name
            if name not in SAFE_CMAPS:
                problems.append(f"{ax.get_title()!r} uses colour map {name!r}")
    problems += annotation_problems(fig)
    width = fig.get_figwidth() * dpi
    if width > COLUMN_PX + 1:
        problems.append(f"{width:.0f} px wide: a {COLUMN_PX} px column shrinks it (and its "
                        f"text)")
    return problems


def png_width(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", data[16:20])[0]


def states(control):
    """Values a user would try: every option of a menu, the ends and middle of a slider."""
    if isinstance(control, (widgets.Dropdown, widgets.ToggleButtons)):
        return [o[1] if isinstance(o, tuple) else o for o in control.options]
    if isinstance(control, (widgets.IntSlider, widgets.FloatSlider)):
        middle = control.min + (control.max - control.min) // 2 if isinstance(
            control, widgets.IntSlider) else round((control.min + control.max) / 2, 6)
        return [control.min, middle, control.max]
    if isinstance(control, widgets.FloatText):
        return [1.0, -3.5, 10.0]
    raise TypeError(type(control).__name__)


PANELS = [lesson00.brightness_panel, lesson01.kernel_editor, lesson02.padding_panel,
          lesson03.sliding_window, lesson03.arithmetic_panel, lesson04.pooling_panel,
          lesson05.forward_panel]


@pytest.mark.parametrize("factory", PANELS, ids=lambda f: f"{f.__module__[-8:]}.{f.__name__}")
def test_panel_is_readable_in_every_state(factory):
    panel = factory()
    live = panel.live
    problems = {}

    def check(state):
        found = figure_problems(live.figure, live.dpi)
        if found:
            problems[state] = found
        # shown at its pixel size: the page never stretches it
        width = png_width(live.widget.value)
        assert live.widget.layout.width == f"{width}px", live.widget.layout.width
        assert live.widget.layout.max_width == "100%"

    check("start")
    for name, control in panel.controls.items():
        start = control.value
        for value in states(control):
            control.value = value
            check(f"{name}={value!r}")
        control.value = start
    assert not problems, "\n".join(f"{state}: {p}" for state, found in problems.items()
                                   for p in found[:4])
    assert max(panel.timings_ms[1:]) < 2000          # a redraw answers at once (loose in CI)


def test_kernel_editor_all_ones_state_is_readable():
    panel = lesson01.kernel_editor()
    with panel.hold():
        for i in range(3):
            for j in range(3):
                panel.controls[f"k{i}{j}"].value = 1.0
    assert figure_problems(panel.live.figure, panel.live.dpi) == []


@pytest.mark.parametrize("make", [lesson01.kernels_figure, lesson02.modes_figure,
                                  lesson03.flip_figure, lesson04.relu_figure],
                         ids=lambda f: f"{f.__module__[-8:]}.{f.__name__}")
def test_static_figure_is_readable(make):
    fig = make()
    fig.canvas.draw()            # as the inline backend does before its final render
    try:
        assert figure_problems(fig, fig.dpi) == []
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", ["00", "01", "02", "03", "04", "05"])
def test_figures_the_notebook_shows_are_readable(name, monkeypatch):
    """Every figure a cell shows with plt.show(), as the inline backend renders it (its own
    dpi, shown at its pixel size)."""
    matplotlib.use("Agg")
    seen = []

    def show(*args, **kwargs):
        fig = plt.gcf()
        fig.canvas.draw()        # the inline backend's bbox_inches="tight" lays it out first
        seen.append((fig.axes[0].get_title() if fig.axes else "?",
                     figure_problems(fig, fig.dpi), fig.get_figwidth() * fig.dpi / CSS_DPI))

    monkeypatch.setattr(plt, "show", show)
    run_lesson.__wrapped__(name)
    problems = [f"{title}: {p}" for title, found, _ in seen for p in found]
    assert not problems, "\n".join(problems)


def test_the_checks_catch_a_bad_figure():
    """The checks are not vacuous: a figure with each fault is caught."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 2), dpi=72)
    shown = a.imshow(np.arange(9.0).reshape(3, 3), cmap="jet")
    a.text(0, 0, "0", color="black", fontsize=6)
    a.set_xticks([0.5, 1.5])
    b.set_title("a title much too long to fit in the figure at all " * 3)
    problems = " | ".join(figure_problems(fig, 72))
    plt.close(fig)
    for words in ("jet", "pt at display size", "not whole", "outside the figure", "px wide",
                  "contrast"):
        assert words in problems, words
    assert shown is not None
