"""Every lesson panel, in one list, and the control values a test or benchmark moves them to.

One list for every test and benchmark that visits the panels: the lesson tests
(tests/lessons/test_lessonNN.py), the UI's pixel test (tests/ui/test_widgets.py) and the widget
benchmarks.  tests/conftest.py puts tests/ on ``sys.path``, so a test file anywhere under tests/
imports it as ``from panels import PANELS, another_value``.  A new panel goes in ``PANELS``.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.axes
import matplotlib.pyplot as plt
from figure_checks import swept

from cnnlab.lessons import (
    lesson00,
    lesson01,
    lesson02,
    lesson03,
    lesson04,
    lesson05,
    lesson06,
    lesson07,
    lesson08,
    lesson10,
    lesson11,
)

PANELS = [
    lesson00.brightness_panel, lesson01.kernel_editor, lesson02.padding_panel,
    lesson03.sliding_window, lesson03.arithmetic_panel, lesson04.pooling_panel,
    lesson05.forward_panel, lesson06.loss_surface_panel, lesson07.kernel_gradient_builder,
    lesson07.step_size_lab, lesson07.bug_zoo, lesson08.training_panel,
    lesson10.feature_maps_panel, lesson10.saliency_panel, lesson10.edit_panel,
    lesson11.flatten_panel,
]


def panel_id(factory):
    """A short test id for a panel factory: ``lesson07.bug_zoo``."""
    return f"{factory.__module__[-8:]}.{factory.__name__}"


def panels_of(lesson):
    """The factories of ``PANELS`` that a lesson module defines (its panels, in order)."""
    return [factory for factory in PANELS if factory.__module__ == lesson.__name__]


def another_value(control):
    """A different valid value for a control, as a user would pick."""
    if isinstance(control, (widgets.Dropdown, widgets.ToggleButtons, widgets.SelectionSlider)):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return next(o for o in options if o != control.value)
    if isinstance(control, widgets.FloatLogSlider):
        return control.value * 10 ** (-control.step if control.value > 10 ** control.min
                                      else control.step)
    if isinstance(control, (widgets.IntSlider, widgets.FloatSlider)):
        return control.value + control.step if control.value < control.max else control.min
    if isinstance(control, widgets.FloatText):
        return control.value + 1.5
    if isinstance(control, widgets.Text):            # a number typed as text (lesson 01)
        return "2.5" if control.value != "2.5" else "-1"
    raise TypeError(f"no rule for {type(control).__name__}")


def check_every_control_changes_the_figure(factory):
    """Every control (and button) of a panel really changes the figure it shows; building and
    moving it leaves no figure open; every image axes is titled.  The controls' states are
    the session's one sweep of the panel (``figure_checks.swept``), which the readability
    tests read too."""
    sweep = swept(factory)
    assert sweep.states[0].png[:8] == b"\x89PNG\r\n\x1a\n"
    for name in {state.control for state in sweep.states[1:]}:
        pictures = [state.png for state in sweep.states if state.control in (None, name)]
        assert len(set(pictures)) > 1, f"changing {name!r} did not redraw"
    assert sweep.figures_left_open == 0, "the panel left a figure open"
    assert not sweep.untitled, f"axes {sweep.untitled} show an image with no title"
    if not sweep.buttons:
        return
    before_figures = len(plt.get_fignums())
    panel = factory()                                   # buttons from the default settings
    for name, (button, _) in panel.buttons.items():
        if name == "reset":
            panel.buttons["step"][0].click()
        before = panel.live.widget.value
        button.click()
        assert panel.live.widget.value != before, f"clicking {name!r} did not redraw"
    assert len(plt.get_fignums()) == before_figures, "the panel left a figure open"


# ---- what a redraw draws, what a colour bar says (the panels of lessons 03-05) ------------

def axes_drawn_whole(panel, change, monkeypatch):
    """The titles of the axes drawn whole while ``change(panel)`` redraws the panel."""
    drawn = []
    draw = matplotlib.axes.Axes.draw

    def counting(ax, renderer):
        drawn.append(ax)
        return draw(ax, renderer)

    with monkeypatch.context() as patched:
        patched.setattr(matplotlib.axes.Axes, "draw", counting)
        change(panel)
    figure = panel.live.figure
    return [figure.axes.index(ax) for ax in drawn if ax.figure is figure]


def colour_bars(figure, image_axes):
    """The colour bar beside each image axes (the axes made by figure.colorbar for it)."""
    bars = [ax for ax in figure.axes if ax not in image_axes and ax.collections]
    return {ax: min(bars, key=lambda bar: abs(bar.get_position().y0 - ax.get_position().y0)
                    + abs(bar.get_position().x0 - ax.get_position().x1))
            for ax in image_axes}


def colour_mesh(bar):
    """The colour bar's band of colours (a QuadMesh)."""
    return next(c for c in bar.collections if type(c).__name__ == "QuadMesh")


def text_number(text):
    return float(text.get_text().replace("\N{MINUS SIGN}", "-"))
