"""Lesson 04: a feature map before and after ReLU; max against average pooling, live.

Panels first, then the exercise checkers:
max pooling with a stride, and its backward pass.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .._validate import as_float_array, check_index
from ..activations import relu
from ..conv import conv2d
from ..data import load_mnist_subset
from ..plotting import show_image
from ..pooling import (
    avg_pool_forward,
    max_pool,
    max_pool_forward,
    max_pool_winners,
)
from ..ui.widgets import Panel
from . import _mistakes04 as M
from . import solutions
from ._check import CheckResult, Exercise, _used_names, check_function
from ._common import KERNELS, cell_ticks, digit, first_of, slider


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
    if index is not None:
        check_index(index, "index", len(load_mnist_subset().test_images), "a test image's number")
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
    fig, axes = plt.subplots(1, 3, figsize=(8.6, 2.9), layout="constrained", dpi=96)
    show_image(axes[0], image, "input digit", cmap="gray", colorbar_label="pixel value")
    limit = np.abs(fmap).max()
    show_image(axes[1], fmap, "feature map (Sobel x)", vmin=-limit, vmax=limit,
               signed=True, colorbar_label="response")
    after = show_image(axes[2], relu(fmap), "after ReLU: max(x, 0)", vmin=-limit, vmax=limit,
                       signed=True, colorbar_label="response")
    # the same colours as the map beside it, but a ReLU's output has no negative values: its
    # bar shows only 0 and up
    after.colorbar.ax.set_ylim(0, limit)
    for ax in axes:
        cell_ticks(ax, *fmap.shape)
    return fig


def seed_f_pool(C):
    """The seed's 2x2 max pooling as it loops: written for even sizes only.

    On an odd size its last window index points past the end of the output, and it crashes
    with an ``IndexError`` (cnnlab's pooling drops the leftover row and column instead).

    Parameters
    ----------
    C : numpy.ndarray, shape (H, W)
        A feature map; H and W even.

    Returns
    -------
    S : numpy.ndarray, shape (H // 2, W // 2)

    Examples
    --------
    >>> seed_f_pool(np.arange(16.0).reshape(4, 4))
    array([[ 5.,  7.],
           [13., 15.]])
    """
    C = as_float_array(C, "C", ndim=2, axes="(H, W)")
    S = np.zeros((C.shape[0] // 2, C.shape[1] // 2))
    for i in range(0, C.shape[0], 2):
        for j in range(0, C.shape[1], 2):
            S[i // 2, j // 2] = C[i:i + 2, j:j + 2].max()
    return S


def pooling_panel():
    """Window, stride and max/average: the rectified map with its winners, and the output.

    Winners are marked only in max mode, and only for windows whose maximum is above 0 (in a
    window of zeros the first cell "wins" a tie of nothing).

    Returns
    -------
    cnnlab.ui.widgets.Panel

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
    fig, (ax_in, ax_out) = plt.subplots(1, 2, figsize=(8.6, 4.3), layout="constrained")
    show_image(ax_in, fmap, "input: feature map after ReLU", cmap="viridis", vmin=0,
               vmax=limit, colorbar_label="response")
    winners_shown = ax_in.plot([], [], "s", mfc="none", mec="tab:red", mew=1.5, ms=5,
                               label="winner of a window (max > 0)")[0]
    legend = ax_in.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), fontsize=9,
                          frameon=False)
    out_shown = ax_out.imshow(np.zeros((14, 14)), cmap="viridis", vmin=0, vmax=limit,
                              interpolation="nearest")
    ax_out.set(title="output", xlabel="column j", ylabel="row i")
    # The colour bar is made from a fixed scale, not from the image: it never changes.
    scale = plt.cm.ScalarMappable(norm=plt.Normalize(0, limit), cmap="viridis")
    fig.colorbar(scale, ax=ax_out, fraction=0.046, pad=0.04, label="pooled response")
    cell_ticks(ax_in, *fmap.shape)
    note = ax_out.text(0.5, -0.2, " ", transform=ax_out.transAxes, ha="center", va="top",
                       fontsize=9)
    pooled = {}                       # (window, stride, mode) -> (output, winners' rows, cols)

    def pool(window, stride, mode):
        key = (window, stride, mode)
        if key not in pooled:
            if mode == "max":
                out, cache = max_pool_forward(fmap, window, stride)
                rows, cols = np.nonzero(max_pool_winners(cache) & (fmap > 0))
            else:
                out, _ = avg_pool_forward(fmap, window, stride)
                rows = cols = np.array([], dtype=int)
            pooled[key] = (out, rows, cols)
        return pooled[key]

    def update(window, stride, mode):
        out, rows, cols = pool(window, stride, mode)
        winners_shown.set_data(cols, rows)
        legend.set_visible(mode == "max")
        if out.shape != out_shown.get_array().shape:    # new limits and ticks: a new size
            out_shown.set_extent((-0.5, out.shape[1] - 0.5, out.shape[0] - 0.5, -0.5))
            cell_ticks(ax_out, *out.shape)
        out_shown.set_data(out)
        left = (28 - window) % stride
        ax_out.set_title(f"output: {mode} pooling {window}x{window}, stride {stride}\n"
                         f"(28 - {window}) // {stride} + 1 = {out.shape[0]}")
        note.set_text(f"the last {left} row(s) and column(s) are dropped (floor rule)"
                      if left else " ")

    controls = {"window": slider("window", 2, 1, 5), "stride": slider("stride", 2, 1, 5),
                "mode": widgets.ToggleButtons(options=["max", "average"], value="max",
                                              description="mode")}
    # A new window or stride changes the output's size, and with it the output axes' limits
    # and ticks: that axes is drawn whole on every change.
    def describe(window, stride, mode):
        out, rows, _ = pool(window, stride, mode)
        winners = f", {rows.size} winning cells marked with red squares" if mode == "max" else ""
        return (f"A 28x28 feature map after ReLU ({int((fmap > 0).sum())} positive cells, "
                f"largest {limit:.2f}) pooled by {mode} over {window}x{window} windows with "
                f"stride {stride}{winners}: the output is {out.shape[0]}x{out.shape[1]}, values "
                f"{out.min():.2f} to {out.max():.2f}, {int((out > 0).sum())} positive. "
                + note.get_text()).strip()

    return Panel(fig, update, controls,
                 animated=[winners_shown, legend, out_shown, ax_out.title, note],
                 redrawn=[ax_out], describe=describe)


# ---- Exercise checkers (their mistake catalogues: _mistakes04) -------------------------------

_POOL_CASES = [*((M.MAP, size, stride) for size, stride in ((2, 2), (3, 2), (3, 1), (2, 3))),
               (M.NEG, 2, 2)]


def _check_max_pool(answer):
    """The cases and catalogue; an answer that makes the all-negative map's windows 0 is told
    which of the two ways it did so: a ReLU before pooling (its code calls np.maximum, relu,
    np.clip or np.where) or a loop starting from best = 0."""
    result = check_function(answer, _POOL_CASES, lambda m, size, stride: max_pool(m, size, stride),
                            M.MAX_POOL_MISTAKES, name="max_pool_2d",
                            exception_hints=M.MAX_POOL_EXCEPTIONS, exact_types=True,
                            passed="max_pool_2d: correct for four window/stride settings on a "
                                   "6x7 map and an all-negative 5x7 one")
    relu = sorted(set(M.RELU_NAMES) & _used_names(answer))
    if M.BEST_ZERO in result.message and relu:
        how = {"maximum": "np.maximum(feature_map, 0)", "clip": "np.clip",
               "where": "np.where"}.get(relu[0], relu[0])
        return CheckResult(False, "max_pool_2d: " + M.RELU_FIRST.format(how))
    return result


check_max_pool = Exercise(
    "max_pool_2d", "max_pool_2d(feature_map, size, stride) for a 2-D map (floor rule)",
    check=_check_max_pool,
    forbidden=[(f, f"this exercise asks you to write the windows yourself, not to call {f}")
               for f in ("max_pool", "max_pool_forward", "max_pool_forward_loop",
                         "sliding_window_view", "as_strided", "max_pool2d")],
    idea="(n - size) // stride + 1 windows along each axis; the window of out[i, j] starts at "
         "row i * stride and column j * stride, size x size; keep its largest value",
    solution=solutions.max_pool_2d,
    why="cnnlab.pooling.max_pool_forward_loop runs these loops over a batch of maps, "
        "remembering each winner for the backward pass")


check_max_pool_backward = Exercise(
    "max_pool_backward_2d", "max_pool_backward_2d(grad_pooled, feature_map) for 2x2 windows, "
    "stride 2", cases=[(np.arange(1.0, 10.0).reshape(3, 3) / 4, M.TIES),
                       (np.array([[2.0, -1.0, 0.5], [1.5, 3.0, -2.0]]), M.TIES[:4, :6] * -1.0)],
    right=M.right_backward, mistakes=M.BACKWARD_MISTAKES, shape_hint=M.backward_shape_hint,
    exception_hints=M.BACKWARD_EXCEPTIONS, exact_types=True,
    forbidden=[(f, f"this exercise asks you to route the gradient yourself, not to call {f}")
               for f in ("max_pool_backward", "max_pool_backward_loop", "max_pool_forward",
                         "max_pool_forward_loop", "max_pool_winners")],
    passed="max_pool_backward_2d: correct, ties included (the first maximum of a window wins)",
    idea="start from zeros of the feature map's shape; for each window find the position of its "
         "first maximum (the cell the forward pass kept) and add grad_pooled[i, j] there; "
         "every other cell gets 0",
    solution=solutions.max_pool_backward_2d,
    why="the winner the forward pass kept gets the whole gradient, as "
        "cnnlab.pooling.max_pool_backward_loop does for a batch")
