"""Lesson 04: a feature map before and after ReLU; max against average pooling, live.

Panels first, then the exercise checkers:
max pooling with a stride, and its backward pass.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..activations import relu
from ..conv import conv2d
from ..plotting import show_image
from ..pooling import (
    avg_pool_backward,
    avg_pool_forward,
    max_pool,
    max_pool_backward,
    max_pool_forward,
    max_pool_winners,
)
from ..widgets import Panel
from ._check import CheckResult, compare_arrays, run_function
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


# ---- Exercise checkers ----------------------------------------------------------------------

_MAP = np.random.default_rng(4).permutation(36).reshape(6, 6).astype(float)


def check_max_pool(max_pool_2d):
    """``max_pool_2d(feature_map, size, stride)`` for a 2-D map (floor rule).

    Parameters
    ----------
    max_pool_2d : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_max_pool(lambda m, size, stride: max_pool(m, size, stride)).passed
    True
    >>> message = check_max_pool(lambda m, size, stride: max_pool(m, size, size)).message
    >>> message.startswith("max_pool_2d: did you include the stride?")
    True
    """
    for size, stride in ((2, 2), (3, 2), (3, 1)):
        answer, failure = run_function(max_pool_2d, _MAP, size, stride, name="max_pool_2d")
        if failure is not None:
            return failure
        expected = max_pool(_MAP, size, stride)
        result = compare_arrays(answer, expected, "max_pool_2d", [
            (max_pool(_MAP, size, size), "did you include the stride? These windows step by "
                                         "the window size"),
            (avg_pool_forward(_MAP, size, stride)[0], "that is the average of each window; "
                                                      "max pooling keeps the largest value"),
            (max_pool(_MAP, stride, stride), "you used the stride as the window size"),
        ])
        if not result:
            return CheckResult(False, f"{result.message} (size {size}, stride {stride})")
    return CheckResult(True, "max_pool_2d: correct for three window/stride settings")


def check_max_pool_backward(max_pool_backward_2d):
    """``max_pool_backward_2d(grad_pooled, feature_map)`` for 2x2 windows, stride 2.

    Parameters
    ----------
    max_pool_backward_2d : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> def right(g, m):
    ...     return max_pool_backward(g, max_pool_forward(m, 2)[1])
    >>> check_max_pool_backward(right).passed
    True
    >>> def spread(g, m):
    ...     return np.kron(g, np.ones((2, 2))) / 4
    >>> print(check_max_pool_backward(spread).message[:77])
    max_pool_backward_2d: your gradient went to every cell of the window: that is
    """
    grad = np.arange(1.0, 10.0).reshape(3, 3)
    answer, failure = run_function(max_pool_backward_2d, grad, _MAP,
                                   name="max_pool_backward_2d")
    if failure is not None:
        return failure
    _, cache = max_pool_forward(_MAP, 2)
    expected = max_pool_backward(grad, cache)
    _, avg_cache = avg_pool_forward(_MAP, 2)
    return compare_arrays(answer, expected, "max_pool_backward_2d", [
        (avg_pool_backward(grad, avg_cache), "your gradient went to every cell of the window: "
         "that is average pooling's rule; max pooling sends it only to the winner"),
        (np.kron(grad, np.ones((2, 2))), "every cell of the window got the whole gradient; "
                                         "only the cell that held the maximum should"),
        (np.where(_MAP == np.kron(max_pool(_MAP, 2), np.ones((2, 2))), _MAP, 0.0),
         "those are the winning values of the map, not the gradient: put grad_pooled there"),
    ])
