"""cnnlab.widgets: a panel's quick redraw gives the same picture as a full render, pixel for pixel.

LiveFigure.refresh draws again only the axes an update changed, over a saved picture of the
rest.  For every panel of every lesson, each control is moved through several values (and each
button clicked), and after every redraw the PNG the page receives is compared with a full render
of the same figure.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image
from test_demos import PANELS, another_value

import cnnlab.widgets as cw


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def full_render(figure):
    """The figure drawn from scratch, on a canvas of its own."""
    canvas = FigureCanvasAgg(figure)
    try:
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()
    finally:
        figure.set_canvas(cw_canvas[id(figure)])


cw_canvas = {}


def assert_same_as_full_render(panel, what):
    figure = panel.live.figure
    cw_canvas[id(figure)] = figure.canvas
    shown = pixels(panel.live.widget.value)
    expected = full_render(figure)
    assert shown.shape == expected.shape, what
    differ = np.any(shown != expected, axis=-1)
    rows = np.nonzero(differ.any(axis=1))[0]
    assert not differ.any(), (f"{what}: {int(differ.sum())} pixels differ from a full render, "
                              f"in rows {rows.min()}..{rows.max()}" if differ.any() else "")


@pytest.mark.parametrize("factory", PANELS, ids=lambda f: f"{f.__module__[-8:]}.{f.__name__}")
def test_quick_redraw_equals_a_full_render(factory):
    panel = factory()
    assert_same_as_full_render(panel, "the first picture")
    for name, control in panel.controls.items():
        for step in range(3):
            control.value = another_value(control)
            assert_same_as_full_render(panel, f"after changing {name!r} ({step + 1})")
    for name, (button, _) in panel.buttons.items():
        button.click()
        assert_same_as_full_render(panel, f"after clicking {name!r}")


def test_png_is_lossless_and_fast_to_encode():
    rgba = (np.arange(40 * 30 * 4) % 251).astype(np.uint8).reshape(30, 40, 4)

    class Canvas:
        def buffer_rgba(self):
            return memoryview(rgba)

    assert np.array_equal(pixels(cw._png_of_canvas(Canvas())), rgba)
