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
    avg_pool,
    avg_pool_forward,
    max_pool,
    max_pool_backward,
    max_pool_forward,
    max_pool_winners,
)
from ..ui.widgets import Panel
from ._check import check_function
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
    show_image(axes[2], relu(fmap), "after ReLU: max(x, 0)", vmin=-limit, vmax=limit,
               signed=True, colorbar_label="response")
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


# ---- Exercise checkers ----------------------------------------------------------------------

_MAP = np.random.default_rng(4).permutation(42).reshape(6, 7).astype(float) - 20
# Ties inside 2x2 windows: the first maximum (row-major) wins, not the last, not all of them.
_TIES = np.array([[3.0, 3.0, 1.0, 0.0, -1.0, 2.0],
                  [0.0, 2.0, 4.0, 4.0, 2.0, -1.0],
                  [1.0, 5.0, 0.0, 0.0, 6.0, 1.0],
                  [5.0, 2.0, 0.0, 0.0, 1.0, 6.0],
                  [-2.0, -2.0, 7.0, 1.0, 0.0, 3.0],
                  [-3.0, -2.0, 2.0, 7.0, 3.0, 3.0]])


def _windows_model(m, size, stride, reduce, start_step=None, ceil=False):
    """Pooling as loops with a chosen reduction, step between windows and size rule."""
    start_step = stride if start_step is None else start_step
    def count(n):
        return -(-(n - size) // stride) + 1 if ceil else (n - size) // stride + 1
    return np.array([[reduce(m[i * start_step:i * start_step + size,
                               j * start_step:j * start_step + size])
                      for j in range(count(m.shape[1]))] for i in range(count(m.shape[0]))])


MAX_POOL_MISTAKES = [
    (lambda m, size, stride: max_pool(m, size, size),
     "did you include the stride? These windows step by the window size"),
    (lambda m, size, stride: avg_pool(m, size, stride),
     "that is the average of each window; max pooling keeps the largest value"),
    (lambda m, size, stride: max_pool(m, stride, stride),
     "you used the stride as the window size"),
    (lambda m, size, stride: _windows_model(m, size, stride, np.min),
     "that is the smallest value of each window; max pooling keeps the largest"),
    (lambda m, size, stride: _windows_model(m, size, stride, np.sum),
     "that is the sum of each window; max pooling keeps the largest value"),
    (lambda m, size, stride: _windows_model(m, size, stride, np.max, start_step=1),
     "right size, but your windows start at row i, not i * stride: the window of out[i, j] "
     "is feature_map[i*stride:i*stride + size, j*stride:j*stride + size]"),
    (lambda m, size, stride: _windows_model(m, size, stride, np.max, ceil=True),
     "you kept a last window that runs past the edge; the floor rule drops it: "
     "(n - size) // stride + 1 windows"),
    (lambda m, size, stride: max_pool(m, size, stride)[:-1, :-1],
     "you left out the last row and column of windows: there are (n - size) // stride + 1"),
    (lambda m, size, stride: max_pool(m.T, size, stride),
     "rows and columns are swapped (this map is 6x7, not square): out[i, j] comes from "
     "rows near i * stride and columns near j * stride"),
    (lambda m, size, stride: np.max(m), "that is the largest value of the whole map; max "
                                        "pooling keeps one maximum per window"),
]
MAX_POOL_EXCEPTIONS = [
    (ValueError, "zero-size array", "a window ran past the edge of the map (an empty slice): "
                                    "the floor rule keeps only the windows that fit, "
                                    "(n - size) // stride + 1 of them"),
    (IndexError, "out of bounds", "you wrote outside the output array: it has "
                                  "(n - size) // stride + 1 rows and columns (floor rule)"),
]


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
    cases = [(_MAP, size, stride) for size, stride in ((2, 2), (3, 2), (3, 1), (2, 3))]
    return check_function(max_pool_2d, cases, lambda m, size, stride: max_pool(m, size, stride),
                          MAX_POOL_MISTAKES, name="max_pool_2d",
                          exception_hints=MAX_POOL_EXCEPTIONS,
                          passed="max_pool_2d: correct for four window/stride settings on a "
                                 "6x7 map")


def _right_backward(grad, m):
    return max_pool_backward(grad, max_pool_forward(m, 2)[1])


def _tied_backward(grad, m, pick):
    """Each window's gradient to its tied maxima, chosen by ``pick`` ("all" or "last")."""
    out = np.zeros_like(m, dtype=float)
    for i in range(grad.shape[0]):
        for j in range(grad.shape[1]):
            window = m[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            winners = np.argwhere(window == window.max())
            for a, b in (winners if pick == "all" else winners[-1:]):
                out[2 * i + a, 2 * j + b] += grad[i, j]
    return out


def _to_cell(grad, m, choose):
    out = np.zeros_like(m, dtype=float)
    for i in range(grad.shape[0]):
        for j in range(grad.shape[1]):
            window = m[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            a, b = np.unravel_index(choose(window), (2, 2))
            out[2 * i + a, 2 * j + b] = grad[i, j] * (window[a, b] if choose is None else 1)
    return out


BACKWARD_MISTAKES = [
    (lambda g, m: np.kron(g, np.ones((2, 2))) / 4,
     "your gradient went to every cell of the window: that is average pooling's rule; max "
     "pooling sends it only to the winner"),
    (lambda g, m: np.kron(g, np.ones((2, 2))),
     "every cell of the window got the whole gradient; only the cell that held the maximum "
     "should"),
    (lambda g, m: _tied_backward(g, m, "all"),
     "where two cells tie for the maximum you gave the gradient to both; only the first "
     "(row-major, as np.argmax picks it) gets it, so the sum of the gradients is kept"),
    (lambda g, m: _tied_backward(g, m, "last"),
     "where two cells tie for the maximum you gave the gradient to the last one; the rule "
     "is the first (np.argmax's)"),
    (lambda g, m: np.where(_right_backward(np.ones_like(g), m) > 0, m, 0.0),
     "those are the winning values of the map, not the gradient: put grad_pooled there"),
    (lambda g, m: np.where(m == np.kron(max_pool(m, 2), np.ones((2, 2))), m, 0.0),
     "those are the winning values of the map, not the gradient: put grad_pooled there "
     "(and only at the first of tied maxima)"),
    (lambda g, m: _to_cell(g, m, np.argmin),
     "your gradient went to the smallest cell of each window; it goes to the maximum"),
    (lambda g, m: _right_backward(g, m) * m,
     "you multiplied by the winning value; max pooling passes the gradient through "
     "unchanged (its derivative is 1 at the winner)"),
    (lambda g, m: g, "that is grad_pooled itself; spread it back to the feature map's shape "
                     "(each value to its window's winner)"),
    (lambda g, m: _right_backward(g.T, m.T).T if g.shape[0] != g.shape[1] else None,
     "rows and columns are swapped: the window of grad_pooled[i, j] is "
     "feature_map[2i:2i + 2, 2j:2j + 2]"),
]


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
    >>> check_max_pool_backward(_right_backward).passed
    True
    >>> def spread(g, m):
    ...     return np.kron(g, np.ones((2, 2))) / 4
    >>> print(check_max_pool_backward(spread).message[:77])
    max_pool_backward_2d: your gradient went to every cell of the window: that is
    """
    cases = [(np.arange(1.0, 10.0).reshape(3, 3), _TIES),
             (np.array([[2.0, -1.0, 0.5], [1.5, 3.0, -2.0]]), _TIES[:4] * -1.0 + 1.0)]
    return check_function(max_pool_backward_2d, cases, _right_backward, BACKWARD_MISTAKES,
                          name="max_pool_backward_2d",
                          passed="max_pool_backward_2d: correct, ties included (the first "
                                 "maximum of a window wins)")
