"""Lesson 04: a feature map before and after ReLU; max against average pooling, live."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..activations import relu
from ..conv import conv2d
from ..plotting import show_image
from ..pooling import avg_pool_forward, max_pool_forward, max_pool_winners
from ..widgets import Panel
from ._common import KERNELS, digit, first_of, slider


def feature_map(index=None):
    """A real digit convolved with Sobel x ('same' padding): the map the lesson pools.

    Parameters
    ----------
    index : int, optional
        Which shipped test image.

    Examples
    --------
    >>> feature_map().shape
    (28, 28)
    """
    image, _ = digit(first_of(5) if index is None else index)
    return conv2d(image, KERNELS["Sobel x (vertical edges)"], padding="same")


def relu_figure():
    """Input digit, the Sobel-x feature map, and the map after ReLU (negatives set to 0).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = relu_figure()
    >>> [ax.get_title() for ax in fig.axes[:3:2]]
    ['input digit', 'after ReLU: max(x, 0)']
    >>> plt.close(fig)
    """
    image, _ = digit(first_of(5))
    fmap = feature_map()
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.4), layout="constrained")
    show_image(axes[0], image, "input digit", cmap="gray", colorbar_label="pixel value")
    limit = np.abs(fmap).max()
    show_image(axes[1], fmap, "feature map (Sobel x)", vmin=-limit, vmax=limit,
               signed=True, colorbar_label="response")
    show_image(axes[2], relu(fmap), "after ReLU: max(x, 0)", vmin=-limit, vmax=limit,
               signed=True, colorbar_label="response")
    return fig


def pooling_panel():
    """Window, stride and max/average: the rectified map with its winners, and the output.

    Returns
    -------
    cnnlab.widgets.Panel

    Examples
    --------
    >>> panel = pooling_panel()
    >>> before = panel.live.widget.value
    >>> panel.controls["mode"].value = "average"
    >>> panel.live.widget.value != before
    True
    """
    fmap = relu(feature_map())
    limit = fmap.max()
    fig, (ax_in, ax_out) = plt.subplots(1, 2, figsize=(9.5, 4), layout="constrained", dpi=72)
    show_image(ax_in, fmap, "input: feature map after ReLU", cmap="viridis", vmin=0,
               vmax=limit, colorbar_label="response")
    winners_shown = ax_in.plot([], [], "s", mfc="none", mec="tab:red", ms=5,
                               label="winner of a window (max)")[0]
    ax_in.legend(loc="lower right", fontsize=8)
    out_shown = show_image(ax_out, np.zeros((14, 14)), "output", cmap="viridis", vmin=0,
                           vmax=limit, colorbar_label="pooled response")

    def update(window, stride, mode):
        if mode == "max":
            out, cache = max_pool_forward(fmap, window, stride)
            rows, cols = np.nonzero(max_pool_winners(cache))
            winners_shown.set_data(cols, rows)
        else:
            out, _ = avg_pool_forward(fmap, window, stride)
            winners_shown.set_data([], [])
        out_shown.set_data(out)
        out_shown.set_extent((-0.5, out.shape[1] - 0.5, out.shape[0] - 0.5, -0.5))
        left = (28 - window) % stride
        rule = f", last {left} row(s)/col(s) dropped (floor)" if left else ""
        ax_out.set_title(f"output: {mode} pooling {window}x{window}, stride {stride}\n"
                         f"(28 - {window}) // {stride} + 1 = {out.shape[0]}{rule}", fontsize=9)

    controls = {"window": slider("window", 2, 1, 5), "stride": slider("stride", 2, 1, 5),
                "mode": widgets.ToggleButtons(options=["max", "average"], value="max",
                                              description="mode")}
    return Panel(fig, update, controls)
