"""Every figure and panel of lessons 06-09, in every state the lessons and tests visit, is readable.

For each state: no text outside the figure, no text on other text, no text under 8 pt at the
size the page shows it (a panel's PNG at its own pixel width; a static figure as the inline
backend renders it), no picture wider than JupyterLab's 848 px output column (which would shrink
it and its text), whole-number ticks on every grid of cells, values written in a cell in a colour
that contrasts with the cell, and only colour maps that colour-blind readers can tell apart.
Every control is swept through its values (each option, both ends and the middle of a slider),
and every figure the notebooks show with plt.show() is checked as the inline backend draws it.
Panels also redraw quickly.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnlab.lessons import lesson06, lesson07, lesson08, lesson09

sys.path.insert(0, str(Path(__file__).parent))      # tests/ holds figure_checks (importlib mode)
from figure_checks import grid_tick_problems, legibility_problems  # noqa: E402
from lesson_runs import run_lesson  # noqa: E402

COLUMN_PX = 848          # JupyterLab 4's output area in a 1280 px wide window (CSS pixels)
SAFE_CMAPS = {"viridis", "cividis", "magma", "inferno", "plasma", "gray", "Greys", "RdBu_r",
              "RdBu", "Reds", "Blues", "PuOr", "PuOr_r", "BrBG"}


def _luminance(rgb):
    channels = np.asarray(rgb[:3], dtype=float)
    linear = np.where(channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(np.dot([0.2126, 0.7152, 0.0722], linear))


def contrast_problems(figure):
    """Values written on image cells whose colour is too close to the cell's (WCAG ratio < 3)."""
    problems = []
    for ax in figure.axes:
        if not ax.images or not ax.texts:
            continue
        image = ax.images[0]
        data = np.asarray(image.get_array())
        for text in ax.texts:
            if not text.get_text().strip():
                continue
            x, y = text.get_position()
            i, j = int(round(y)), int(round(x))
            if not (0 <= i < data.shape[0] and 0 <= j < data.shape[1]):
                continue
            cell = image.cmap(image.norm(data[i, j]))
            ink = matplotlib.colors.to_rgba(text.get_color())
            a, b = sorted((_luminance(cell), _luminance(ink)))
            ratio = (b + 0.05) / (a + 0.05)
            if ratio < 3:
                problems.append(f"{ax.get_title()!r}: {text.get_text()!r} at ({i}, {j}) has "
                                f"contrast {ratio:.1f} with its cell")
    return problems


def all_problems(figure, dpi):
    width = figure.get_figwidth() * dpi
    problems = legibility_problems(figure, dpi=dpi)
    if width > COLUMN_PX + 1:
        problems.append(f"{width:.0f} px wide: a {COLUMN_PX} px column shrinks it and its text")
    for ax in figure.axes:
        if ax.images and ax.get_label() != "<colorbar>":
            problems += grid_tick_problems(ax)
            problems += [f"{ax.get_title()!r} uses the colour map {image.cmap.name!r}"
                         for image in ax.images if image.cmap.name not in SAFE_CMAPS]
    return problems + contrast_problems(figure)


def static(factory):
    def states():
        figure = factory()
        yield "as drawn", figure, figure.dpi
        plt.close(figure)
    return states


def panel_states(factory, moves):
    """Build a panel, then apply each move (a function of the panel) and yield every state."""
    def states():
        panel = factory()
        yield "start", panel.live.figure, panel.live.dpi
        for name, move in moves:
            move(panel)
            yield name, panel.live.figure, panel.live.dpi
        states.panel = panel
    return states


def set_control(name, value):
    def move(panel):
        panel.controls[name].value = value
    return move


def click(name, times=1):
    def move(panel):
        for _ in range(times):
            panel.buttons[name][0].click()
    return move


TIMING = {"sizes": [8, 16, 32, 48], "loop_ms": [0.3, 1.0, 3.8, 8.4],
          "vectorised_ms": [0.03, 0.03, 0.04, 0.05], "agree": True}

FIGURES = {
    "06 loss curves": static(lesson06.loss_curves_figure),
    "06 loss surface": panel_states(lesson06.loss_surface_panel, [
        ("squared error", set_control("loss", "squared error")),
        ("corner", set_control("alpha", 3.0)),
        ("other corner", set_control("bias", -3.0)),
        ("cross-entropy again", set_control("loss", "cross-entropy")),
    ]),
    "07 routing": static(lesson07.routing_figure),
    "07 kernel gradient builder": panel_states(lesson07.kernel_gradient_builder, [
        ("400 cells", set_control("cells", 400)),
        ("every cell", set_control("cells", 784)),
    ]),
    "07 step size": panel_states(lesson07.step_size_lab, [
        ("h 10^-1.5", set_control("log10_h", -1.5)),
        ("h 10^-13", set_control("log10_h", -13.0)),
        ("h 1", set_control("log10_h", 0.0)),
    ]),
    "07 bug zoo": panel_states(lesson07.bug_zoo, [
        (bug, set_control("bug", bug)) for bug in lesson07.BUGS[1:]]),
    "08 training": panel_states(lesson08.training_panel, [
        ("one step", click("step")),
        ("50 steps", click("run")),
        ("learning rate 0.5, 50 steps", lambda p: (set_control("lr", 0.5)(p),
                                                   click("run")(p))),
        ("the same digit twice", set_control("negative", 3)),
        ("7 against 1", lambda p: (set_control("negative", 1)(p), set_control("positive", 7)(p),
                                   click("run", 2)(p))),
        ("reset", click("reset")),
        ("learning rate 0.001", set_control("lr", 0.001)),
    ]),
    "09 timing": static(lambda: lesson09.timing_figure(TIMING)),
}


def sweep(panel):
    """Every value a user would try: each option of a menu, the ends and middle of a slider."""
    for name, control in panel.controls.items():
        start = control.value
        if hasattr(control, "options"):
            values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        elif type(control).__name__ == "FloatLogSlider":
            values = [10.0 ** control.min, 10.0 ** ((control.min + control.max) / 2),
                      10.0 ** control.max]
        else:
            values = [control.min, (control.min + control.max) / 2, control.max]
            if isinstance(control.step, int):
                values = [int(v) for v in values]
        for value in values:
            control.value = value
            yield f"{name}={value!r}"
        control.value = start


PANELS = [lesson06.loss_surface_panel, lesson07.kernel_gradient_builder, lesson07.step_size_lab,
          lesson07.bug_zoo, lesson08.training_panel]


@pytest.mark.parametrize("factory", PANELS, ids=lambda f: f"{f.__module__[-8:]}.{f.__name__}")
def test_every_control_value_leaves_the_panel_readable(factory):
    panel = factory()
    found = [f"{state}: {p}" for state in sweep(panel)
             for p in all_problems(panel.live.figure, panel.live.dpi)]
    assert found == []


@pytest.mark.parametrize("name", ["06", "07", "08", "09"])
def test_figures_the_notebooks_show_are_readable(name, monkeypatch):
    """Every figure a cell shows with plt.show(), at the inline backend's dpi and pixel size."""
    seen = []

    def show(*args, **kwargs):
        figure = plt.gcf()
        figure.canvas.draw()
        seen.extend(f"{figure.axes[0].get_title()!r}: {p}"
                    for p in all_problems(figure, figure.dpi))

    monkeypatch.setattr(plt, "show", show)
    run_lesson.__wrapped__(name)
    assert seen == []


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_state_of_every_figure_is_readable(name):
    found = []
    for state, figure, dpi in FIGURES[name]():
        found += [f"{state}: {problem}" for problem in all_problems(figure, dpi)]
    assert found == []


def test_panels_are_shown_at_their_pixel_size():
    for factory in PANELS:
        panel = factory()
        png = panel.live.widget.value
        width = int.from_bytes(png[16:20], "big")          # the PNG's own width (IHDR)
        assert panel.live.widget.layout.width == f"{width}px"
        assert panel.live.widget.layout.max_width == "100%"
        assert width <= COLUMN_PX


def test_the_checks_catch_what_they_look_for():
    """The three added checks fail on a figure made to fail them."""
    figure, ax = plt.subplots(figsize=(3, 3))
    shown = ax.imshow(np.eye(3), cmap="jet", vmin=0, vmax=1)
    ax.text(0, 0, "1", color="white")                     # white on jet's dark red
    ax.text(1, 0, "0", color="black")                     # black on jet's dark blue
    problems = all_problems(figure, 96)
    plt.close(figure)
    assert any("colour map 'jet'" in p for p in problems)
    assert sum("contrast" in p for p in problems) == 1
    assert shown is not None
