"""Every lesson panel: it builds, and every control (and button) really changes the figure."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest

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


def another_value(control):
    """A different valid value for a control, as a user would pick."""
    if isinstance(control, (widgets.Dropdown, widgets.ToggleButtons)):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return next(o for o in options if o != control.value)
    if isinstance(control, widgets.FloatLogSlider):
        return control.value * 10 ** (-control.step if control.value > 10 ** control.min
                                      else control.step)
    if isinstance(control, (widgets.IntSlider, widgets.FloatSlider)):
        return control.value + control.step if control.value < control.max else control.min
    if isinstance(control, widgets.FloatText):
        return control.value + 1.5
    raise TypeError(f"no rule for {type(control).__name__}")


@pytest.mark.parametrize("factory", PANELS, ids=lambda f: f"{f.__module__[-8:]}.{f.__name__}")
def test_every_control_changes_the_figure(factory):
    before_figures = len(plt.get_fignums())
    panel = factory()
    assert panel.live.widget.value[:8] == b"\x89PNG\r\n\x1a\n"
    for name, control in panel.controls.items():
        before = panel.live.widget.value
        control.value = another_value(control)
        assert panel.live.widget.value != before, f"changing {name!r} did not redraw"
    panel = factory() if panel.buttons else panel       # buttons from the default settings
    for name, (button, _) in panel.buttons.items():
        if name == "reset":
            panel.buttons["step"][0].click()
        before = panel.live.widget.value
        button.click()
        assert panel.live.widget.value != before, f"clicking {name!r} did not redraw"
    assert len(plt.get_fignums()) == before_figures, "the panel left a figure open"
    # Each figure is labelled: every axes with an image has a title.
    for ax in panel.live.figure.axes:
        if ax.images and ax.get_visible() and ax.get_label() != "<colorbar>":
            assert ax.get_title() or panel.live.figure._suptitle is not None
