"""Panels of lessons 03-05: what a change draws again, and colour bars that say the scale.

A panel answers fast when a change draws again only what changed (issue 18): the artists an
update changes are animated, everything else stays in the saved picture.  These tests count the
axes a redraw draws whole, and check that the colour bars built for that (fixed bars with live
numbers in lesson 05, a bar from a fixed scale in lesson 04) still tell the truth about the
colours of the maps beside them.  (tests/test_widgets.py checks the pictures equal full renders.)
"""

from __future__ import annotations

import matplotlib.axes
import numpy as np
import pytest

from cnnlab.lessons import lesson03, lesson04, lesson05
from cnnlab.lessons._common import KERNELS, digit, first_of
from cnnlab.seednet import seed_forward


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


def test_sliding_window_moves_redraw_no_axes(monkeypatch):
    panel = lesson03.sliding_window()
    position = panel.controls["position"]
    position.value = 1                     # the first change may save the picture again
    for value in (2, 9, 35, 0):
        drawn = axes_drawn_whole(panel, lambda p, v=value: setattr(position, "value", v),
                                 monkeypatch)
        assert drawn == [], (value, drawn)
    # what a move changes is still there: the window, the products' sum, the output cell
    ax_in, _, ax_p, ax_out = panel.live.figure.axes[:4]
    assert ax_in.patches[0].get_xy() == (-0.5, -0.5)
    assert ax_p.get_title().startswith("patch x kernel\nsum = ")
    assert ax_out.get_title().startswith("output\nout[0, 0] = ")


@pytest.mark.parametrize("name, value", [("kernel", "sharpen"), ("bias", -1.3)])
def test_forward_panel_changes_redraw_no_axes(name, value, monkeypatch):
    panel = lesson05.forward_panel()
    panel.controls["bias"].value = 0.4
    drawn = axes_drawn_whole(panel, lambda p: setattr(p.controls[name], "value", value),
                             monkeypatch)
    assert drawn == []


def test_pooling_panel_redraws_only_the_output_axes(monkeypatch):
    panel = lesson04.pooling_panel()
    for name, value in [("window", 3), ("stride", 1), ("mode", "average"), ("window", 5)]:
        drawn = axes_drawn_whole(panel, lambda p, n=name, v=value: setattr(
            p.controls[n], "value", v), monkeypatch)
        assert drawn in ([], [1]), (name, value, drawn)      # 1: the output axes


def _colour_bars(figure, image_axes):
    """The colour bar beside each image axes (the axes made by figure.colorbar for it)."""
    bars = [ax for ax in figure.axes if ax not in image_axes and ax.collections]
    return {ax: min(bars, key=lambda bar: abs(bar.get_position().y0 - ax.get_position().y0)
                    + abs(bar.get_position().x0 - ax.get_position().x1))
            for ax in image_axes}


def _mesh(bar):
    """The colour bar's band of colours (a QuadMesh)."""
    return next(c for c in bar.collections if type(c).__name__ == "QuadMesh")


def _number(text):
    return float(text.get_text().replace("\N{MINUS SIGN}", "-"))


@pytest.mark.parametrize("kernel", list(KERNELS))
def test_forward_panel_colour_bars_say_each_maps_scale(kernel):
    image, _ = digit(first_of(3))
    panel = lesson05.forward_panel()
    figure = panel.live.figure
    map_axes = figure.axes[1:4]
    bars = _colour_bars(figure, map_axes)
    for bias in (-2.0, -0.5, 0.0, 1.5):
        with panel.hold():
            panel.controls["kernel"].value = kernel
            panel.controls["bias"].value = bias
        _, cache = seed_forward(image, lesson05.example_params(kernel, bias))
        for ax, key in zip(map_axes, ("conv", "relu", "pooled"), strict=True):
            shown = ax.images[0]
            assert np.array_equal(shown.get_array(), cache[key])
            largest = np.abs(cache[key]).max()
            limit = largest if largest > 0 else 1.0        # all switched off: +-1, all white
            assert shown.get_clim() == pytest.approx((-limit, limit))
            # The bar shows the same colours from -1 to 1: the number at its tick f must be
            # f * limit, so that a colour reads as the same value on the bar and on the map.
            bar = bars[ax]
            mesh = _mesh(bar)
            assert mesh.get_clim() == (-1.0, 1.0) and mesh.cmap.name == shown.cmap.name
            numbers = sorted((text.get_position()[1], _number(text)) for text in bar.texts)
            assert [f for f, _ in numbers] == list(bar.get_yticks())
            for fraction, number in numbers:
                assert number == pytest.approx(fraction * limit, abs=0.005), (key, bias)
            assert bar.get_ylabel() == "value"
    assert panel.controls["kernel"].value == kernel


def test_pooling_panel_output_colour_bar_is_the_outputs_scale():
    panel = lesson04.pooling_panel()
    figure = panel.live.figure
    ax_out = figure.axes[1]
    bar = _colour_bars(figure, figure.axes[:2])[ax_out]
    limit = np.maximum(lesson04.feature_map(), 0).max()
    for window, stride, mode in [(2, 2, "max"), (5, 1, "average"), (1, 3, "max")]:
        with panel.hold():
            panel.controls["window"].value = window
            panel.controls["stride"].value = stride
            panel.controls["mode"].value = mode
        shown = ax_out.images[0]
        assert shown.get_clim() == pytest.approx((0, limit))
        assert _mesh(bar).get_clim() == pytest.approx((0, limit))
        assert _mesh(bar).cmap.name == shown.cmap.name == "viridis"
        assert bar.get_ylabel() == "pooled response"
        n = (28 - window) // stride + 1
        assert shown.get_array().shape == (n, n)
        assert ax_out.get_xlim() == (-0.5, n - 0.5)
