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
    avg_pool,
    avg_pool_forward,
    max_pool,
    max_pool_backward,
    max_pool_backward_loop,
    max_pool_forward,
    max_pool_forward_loop,
    max_pool_winners,
)
from ..ui.widgets import Panel
from ._check import Exercise
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


# ---- Exercise checkers ----------------------------------------------------------------------
# Fractional values of both signs, an odd 6x7 map, an all-negative 5x7 one, ties in windows.

_MAP = np.round(np.random.default_rng(4).uniform(-5, 5, size=(6, 7)), 2)
_NEG = -np.abs(_MAP[:5]) - 0.25
_TIES = np.array([[3.0, 3.0, 1.0, 0.0, -1.0, 2.0, 0.5],
                  [0.0, 2.0, 4.0, 4.0, 2.0, -1.0, 9.0],
                  [1.0, 5.0, 0.0, 0.0, 6.0, 1.0, 0.0],
                  [5.0, 2.0, 0.0, 0.0, 1.0, 6.0, -2.0],
                  [-2.0, -2.0, 7.0, 1.0, 0.0, 3.0, 1.0],
                  [-3.0, -2.0, 2.0, 7.0, 3.0, 3.0, 4.0],
                  [8.0, 0.0, 1.0, 9.0, -1.0, 2.0, 5.0]])  # 7x7: the floor rule drops a row/column


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
    (lambda m, size, stride: np.maximum(max_pool(m, size, stride), 0),
     "you started from best = 0, but in a window whose values are all negative none beats it "
     "(this map is all negative): start from the window's first value, or use np.max"),
    (lambda m, size, stride: np.maximum(max_pool(m, size, stride), -1),
     "you started from a fixed number (best = -1), which a window of smaller values never "
     "beats (this map is all negative): start from the window's first value, or use np.max"),
    (lambda m, size, stride: m[::stride, ::stride][:(m.shape[0] - size) // stride + 1,
                                                   :(m.shape[1] - size) // stride + 1],
     "you kept each window's first (top-left) value; max pooling keeps the largest"),
    (lambda m, size, stride: _windows_model(m, size, stride, np.median),
     "that is the median of each window; max pooling keeps the largest value"),
    (lambda m, size, stride: _windows_model(m, size, stride, lambda w: w.flat[np.argmax(
        np.abs(w))]), "you kept the value largest in size (abs); max pooling keeps the largest "
                      "value, so a window of negative values keeps its least negative one"),
    (lambda m, size, stride: np.trunc(max_pool(m, size, stride)),
     "your output holds whole numbers only (np.zeros(..., dtype=int) cuts off the fractions): "
     "make it a float array"),
]
MAX_POOL_EXCEPTIONS = [
    (ValueError, "zero-size array", "a window ran past the edge of the map (an empty slice): "
                                    "window i starts at row i * stride (not i * size), and "
                                    "there are (n - size) // stride + 1 windows (floor rule)"),
    (IndexError, "out of bounds", "you wrote outside the output array: it has "
                                  "(n - size) // stride + 1 rows and columns (floor rule)"),
]

check_max_pool = Exercise(
    "max_pool_2d", "max_pool_2d(feature_map, size, stride) for a 2-D map (floor rule)",
    cases=[*((_MAP, size, stride) for size, stride in ((2, 2), (3, 2), (3, 1), (2, 3))),
           (_NEG, 2, 2)],
    right=lambda m, size, stride: max_pool(m, size, stride), mistakes=MAX_POOL_MISTAKES,
    exception_hints=MAX_POOL_EXCEPTIONS,
    forbidden=[(f, f"this exercise asks you to write the windows yourself, not to call {f}")
               for f in ("max_pool", "max_pool_forward", "max_pool_forward_loop",
                         "sliding_window_view", "as_strided", "max_pool2d")],
    passed="max_pool_2d: correct for four window/stride settings on a 6x7 map and an "
           "all-negative 5x7 one",
    idea="(n - size) // stride + 1 windows along each axis; the window of out[i, j] starts at "
         "row i * stride and column j * stride, size x size; keep its largest value",
    solution=max_pool_forward_loop, why="the same loops over a batch of maps, remembering "
                                        "each winner for the backward pass")


def _right_backward(grad, m):
    return max_pool_backward(grad, max_pool_forward(m, 2)[1])


def _routed(grad, m, pick, step=2):
    """Each window's gradient to the cells ``pick(window)`` names (a model of a rule)."""
    out = np.zeros(m.shape)
    for (i, j), g in np.ndenumerate(grad):
        for a, b in pick(m[2 * i:2 * i + 2, 2 * j:2 * j + 2]):
            out[step * i + a, step * j + b] = g
    return out


def _tied(window):
    return np.argwhere(window == window.max())


def _skip_negative_windows(grad, m):
    """Windows whose maximum is not above 0 get no gradient (a loop starting from best = 0)."""
    keep = np.kron(max_pool(m, 2) > 0, np.ones((2, 2)))
    out = _right_backward(grad, m)
    out[:keep.shape[0], :keep.shape[1]] *= keep
    return out


BACKWARD_MISTAKES = [
    (lambda g, m: np.kron(g, np.ones((2, 2))) / 4,
     "your gradient went to every cell of the window: that is average pooling's rule; max "
     "pooling sends it only to the winner"),
    (lambda g, m: np.kron(g, np.ones((2, 2))),
     "every cell of the window got the whole gradient; only the cell that held the maximum "
     "should"),
    (lambda g, m: _routed(g, m, _tied),
     "where two cells tie for the maximum you gave the gradient to both; only the first "
     "(row-major, as np.argmax picks it) gets it, so the sum of the gradients is kept"),
    (lambda g, m: _routed(g, m, lambda w: _tied(w)[-1:]),
     "where two cells tie for the maximum you gave the gradient to the last one; the rule "
     "is the first (np.argmax's)"),
    (lambda g, m: np.where(_right_backward(np.ones_like(g), m) > 0, m, 0.0),
     "those are the winning values of the map, not the gradient: put grad_pooled there"),
    (lambda g, m: _routed(g, m, lambda w: [np.unravel_index(np.argmin(w), (2, 2))]),
     "your gradient went to the smallest cell of each window; it goes to the maximum"),
    (lambda g, m: _right_backward(g, m) * m,
     "you multiplied by the winning value; max pooling passes the gradient through "
     "unchanged (its derivative is 1 at the winner)"),
    (lambda g, m: g, "that is grad_pooled itself; spread it back to the feature map's shape "
                     "(each value to its window's winner)"),
    (lambda g, m: _right_backward(g.T, m.T).T if g.shape[0] != g.shape[1] else None,
     "rows and columns are swapped: the window of grad_pooled[i, j] is "
     "feature_map[2i:2i + 2, 2j:2j + 2]"),
    (lambda g, m: np.trunc(_right_backward(g, m)),
     "your gradient holds whole numbers only (np.zeros(..., dtype=int), or np.zeros_like of "
     "an integer map, cuts off the fractions): make it a float array"),
    (lambda g, m: _right_backward(np.ones_like(g), m),
     "you put 1 at each winner; put grad_pooled[i, j] there"),
    (lambda g, m: _routed(g, m, lambda w: _tied(w)[:1], step=1),
     "the winner of window (i, j) is at feature_map[2i + a, 2j + b], not [i + a, j + b]: the "
     "window starts at row 2i and column 2j"),
    (lambda g, m: _routed(g, m, lambda w: _tied(w)[:1, ::-1]),
     "inside the window you swapped the row and column of the winner: it is at "
     "feature_map[2i + a, 2j + b] with a its row"),
    (_skip_negative_windows,
     "a window whose values are all negative got no gradient: did you start from best = 0? "
     "Start from the window's first value (or use np.argmax)"),
]


def _backward_shape_hint(shape):
    return (f"your gradient has shape {shape}, twice grad_pooled's; it must have the feature "
            f"map's shape (this one is 7x7): the row and column the floor rule dropped get "
            f"gradient 0") if shape == (6, 6) else None


check_max_pool_backward = Exercise(
    "max_pool_backward_2d", "max_pool_backward_2d(grad_pooled, feature_map) for 2x2 windows, "
    "stride 2", cases=[(np.arange(1.0, 10.0).reshape(3, 3) / 4, _TIES),
                       (np.array([[2.0, -1.0, 0.5], [1.5, 3.0, -2.0]]), _TIES[:4, :6] * -1.0)],
    right=_right_backward, mistakes=BACKWARD_MISTAKES, shape_hint=_backward_shape_hint,
    forbidden=[(f, f"this exercise asks you to route the gradient yourself, not to call {f}")
               for f in ("max_pool_backward", "max_pool_backward_loop", "max_pool_forward",
                         "max_pool_forward_loop", "max_pool_winners")],
    passed="max_pool_backward_2d: correct, ties included (the first maximum of a window wins)",
    idea="start from zeros of the feature map's shape; for each window find the position of its "
         "first maximum (the cell the forward pass kept) and add grad_pooled[i, j] there; "
         "every other cell gets 0",
    solution=[max_pool_forward_loop, max_pool_backward_loop],
    why="the forward pass remembers each window's winner; the backward pass sends the gradient "
        "there")
