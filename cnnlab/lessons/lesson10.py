"""Lesson 10: what the trained network learned: kernels, feature maps, saliency, live edits.

The figures and panels of the trained network (it and the digits the panels show are in
_network10.py), then the exercise checkers: reading a confusion matrix, saliency by hand.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .._validate import check_index
from ..activations import softmax
from ..data import shift_image
from ..evaluate import plot_probabilities
from ..evaluate import print_cover_census as print_census
from ..evaluate import print_shift_predictions as print_shifts
from ..models import check_small_cnn_inputs, saliency, small_cnn_forward
from ..plotting import show_image
from ..ui.widgets import Panel
from . import _mistakes10 as M
from . import solutions
from ._check import Exercise
from ._common import dropdown, slider
from ._network10 import params_or_trained, shown_digits
from ._network10 import start_digits as start_digits  # the notebook's and pad's names
from ._network10 import trained_network as trained_network


def kernels_figure(params):
    """The first layer's learned kernels, each on its own symmetric colour scale.

    Parameters
    ----------
    params : dict
        Named parameter arrays (as from the matching init function).

    Examples
    --------
    >>> fig = kernels_figure(trained_network().params)
    >>> fig.axes[0].get_title()
    'kernel 0'
    >>> plt.close(fig)
    """
    check_small_cnn_inputs(params, np.zeros((1, 1, 28, 28)))
    kernels = params["conv1.weight"][:, 0]
    fig, axes = plt.subplots(1, len(kernels), figsize=(1.7 * len(kernels), 2.2),
                             layout="constrained")
    for index, (ax, kernel) in enumerate(zip(axes, kernels, strict=True)):
        show_image(ax, kernel, f"kernel {index}", signed=True, colorbar=False,
                   axis_labels=False)
        ax.set(xticks=[], yticks=[])
    fig.suptitle("learned 5x5 kernels of layer 1 (red +, blue -, white 0)")
    return fig


def feature_maps_panel(params=None):
    """Choose a digit; see the eight feature maps (after ReLU) the first layer makes of it.

    Parameters
    ----------
    params : dict, optional
        The small CNN's parameters (default: :func:`trained_network`'s).

    Returns
    -------
    cnnlab.ui.widgets.Panel

    Examples
    --------
    >>> panel = feature_maps_panel()
    >>> before = panel.live.widget.value
    >>> panel.controls["digit"].value = 7
    >>> panel.live.widget.value != before
    True
    """
    params = params_or_trained(params)
    # The first layer's maps of the ten digits, computed once; one colour scale for them all.
    images = shown_digits()
    _, cache = small_cnn_forward(params, images[:, None])
    relu = cache["relu1"]
    top = max(float(relu.max()), 1e-9)
    fig = plt.figure(figsize=(8.8, 3.7), layout="constrained")
    grid = fig.add_gridspec(2, 5, width_ratios=[1.6, 1, 1, 1, 1])
    ax_in = fig.add_subplot(grid[:, 0])
    image_shown = show_image(ax_in, np.zeros((28, 28)), "input digit", cmap="gray",
                             vmin=0, vmax=1, colorbar=False, axis_labels=False)
    axes = [fig.add_subplot(grid[i // 4, 1 + i % 4]) for i in range(8)]
    maps = [ax.imshow(np.zeros((28, 28)), cmap="viridis", vmin=0, vmax=top) for ax in axes]
    for i, ax in enumerate(axes):
        ax.set(title=f"map {i}", xticks=[], yticks=[])
    bar = fig.colorbar(maps[0], ax=axes, location="right", shrink=0.9)
    bar.set_label("ReLU response (one scale\nfor all maps and digits)")

    def update(digit):
        image_shown.set_data(images[digit])
        ax_in.set_title(f"input: a test {digit}")
        for shown, fmap in zip(maps, relu[digit], strict=True):
            shown.set_data(fmap)

    def describe(digit):
        strongest = np.argsort([-fmap.max() for fmap in relu[digit]])[:3]
        said = ", ".join(f"map {k} ({int((relu[digit][k] > 0).sum())} active cells, largest "
                         f"{relu[digit][k].max():.2f})" for k in strongest)
        quiet = [str(k) for k, fmap in enumerate(relu[digit]) if fmap.max() <= 0]
        return (f"A test {digit} and the eight 28x28 feature maps the first layer makes of it "
                f"after ReLU, on one scale up to {top:.2f}. Strongest: {said}."
                + (f" All zero: map {', '.join(quiet)}." if quiet else ""))

    return Panel(fig, update, {"digit": dropdown("digit", list(range(10)), 3, width="160px")},
                 animated=[image_shown, ax_in.title, *maps], describe=describe)


def saliency_panel(params=None):
    """Choose a digit: the image, and which pixels would raise (red) or lower (blue) its score.

    Parameters
    ----------
    params : dict, optional
        The small CNN's parameters (default: :func:`trained_network`'s).

    Returns
    -------
    cnnlab.ui.widgets.Panel

    Examples
    --------
    >>> panel = saliency_panel()
    >>> before = panel.live.widget.value
    >>> panel.controls["digit"].value = 0
    >>> panel.live.widget.value != before
    True
    """
    params = params_or_trained(params)
    # The ten digits' saliency maps, computed once, on one colour scale.
    images = shown_digits()
    maps = [saliency(params, image, digit) for digit, image in enumerate(images)]
    limit = max(max(float(np.abs(grad).max()) for grad in maps), 1e-12)
    fig, (ax_in, ax_s) = plt.subplots(1, 2, figsize=(8, 3.6), layout="constrained")
    image_shown = show_image(ax_in, np.zeros((28, 28)), "input", cmap="gray", vmin=0, vmax=1,
                             colorbar_label="pixel")
    sal_shown = show_image(ax_s, np.zeros((28, 28)), "saliency", signed=True, vmin=-limit,
                           vmax=limit, colorbar_label="d score / d pixel\n(one scale for all "
                                                      "digits)")

    def update(digit):
        image_shown.set_data(images[digit])
        sal_shown.set_data(maps[digit])
        ax_in.set_title(f"input: a test {digit}")
        ax_s.set_title(f"saliency: d logit[{digit}] / d pixel")

    def describe(digit):
        grad = maps[digit]
        i, j = np.unravel_index(np.argmax(grad), grad.shape)
        k, m = np.unravel_index(np.argmin(grad), grad.shape)
        return (f"A test {digit} beside its saliency map, d logit[{digit}] / d pixel: "
                f"{int((grad > 0).sum())} pixels would raise the score (red), "
                f"{int((grad < 0).sum())} lower it (blue). Strongest raise {grad[i, j]:.2g} at "
                f"row {i}, column {j}; strongest lowering {grad[k, m]:.2g} at row {k}, "
                f"column {m}.")

    return Panel(fig, update, {"digit": dropdown("digit", list(range(10)), 2, width="160px")},
                 animated=[image_shown, ax_in.title, sal_shown, ax_s.title], describe=describe)


def print_shift_predictions(params=None, digit=7, shifts=range(-8, 9)):
    """:func:`cnnlab.evaluate.print_shift_predictions` of the first test ``digit``.

    Parameters
    ----------
    params : dict, optional
        The small CNN's parameters (default: :func:`trained_network`'s).
    digit : int
        Which test digit (the first one of that class).
    shifts : sequence of int
        Pixels to move by.

    Examples
    --------
    >>> print_shift_predictions(digit=1)["right"][8]         # doctest: +ELLIPSIS
    shift by      -8 ...
    1
    """
    digit = check_index(digit, "digit", 10, "a digit")
    return print_shifts(params_or_trained(params), shown_digits()[digit], digit, shifts)


def print_cover_census(params=None, digit=7, sizes=range(1, 15), ask=None):
    """:func:`cnnlab.evaluate.print_cover_census` of the first test ``digit``.

    Parameters
    ----------
    params : dict, optional
        The small CNN's parameters (default: :func:`trained_network`'s).
    digit : int
        Which test digit (the first one of that class).
    sizes : sequence of int
        Side lengths of the square, in pixels.
    ask : int, optional
        A class: does any square make the network say it?

    Examples
    --------
    >>> print_cover_census(digit=1, sizes=[1])["total"]      # doctest: +ELLIPSIS
    black squares of side 1 to 1 pixels, at every place on the test 1: 784 settings
    ...
    784
    """
    digit = check_index(digit, "digit", 10, "a digit")
    if ask is not None:
        ask = check_index(ask, "ask", 10, "None or a digit")
    return print_census(params_or_trained(params), shown_digits()[digit], digit, sizes, ask)


def edit_panel(params=None, start=None):
    """Shift a digit (zeros fill in) or cover part of it; the prediction updates live.

    Parameters
    ----------
    params : dict, optional
        The small CNN's parameters (default: :func:`trained_network`'s).
    start : (int, int, int), optional
        (size, top, left) of the covering square to start with (default: (6, 4, 4)).

    Returns
    -------
    cnnlab.ui.widgets.Panel

    Examples
    --------
    >>> panel = edit_panel()
    >>> before = panel.live.widget.value
    >>> panel.controls["shift_x"].value = 4
    >>> panel.live.widget.value != before
    True
    """
    if start is not None:
        if not isinstance(start, (tuple, list)) or len(start) != 3:
            raise TypeError(f"start must be None or (size, top, left), got {start!r}")
        check_index(start[0], "start[0] (size)", 15, "a side")
        check_index(start[1], "start[1] (top)", 28, "a row")
        check_index(start[2], "start[2] (left)", 28, "a column")
    params = params_or_trained(params)
    size0, top0, left0 = start if start is not None else (6, 4, 4)
    fig, (ax_in, ax_p) = plt.subplots(1, 2, figsize=(8.5, 3.6), layout="constrained")
    image_shown = show_image(ax_in, np.zeros((28, 28)), "edited input", cmap="gray", vmin=0,
                             vmax=1, colorbar_label="pixel")
    box = ax_in.add_patch(plt.Rectangle((0, 0), 0, 0, fill=False, ec="tab:red", lw=1.5))
    bars = plot_probabilities(ax_p, np.full(10, 0.1))
    images = shown_digits()

    def update(digit, shift_x, shift_y, top, left, size):
        edited = shift_image(images[digit], shift_y, shift_x)      # zeros fill in
        if size:
            edited[top:top + size, left:left + size] = 0.0
            box.set_bounds(left - 0.5, top - 0.5, size, size)
        else:
            box.set_bounds(0, 0, 0, 0)
        logits, _ = small_cnn_forward(params, edited[None, None])
        probabilities = softmax(logits)[0]
        image_shown.set_data(edited)
        rows, cols = min(size, 28 - top), min(size, 28 - left)    # the part inside the image
        clipped = f" ({rows}x{cols} of it inside)" if (rows, cols) != (size, size) else ""
        ax_in.set_title(f"a test {digit}: moved {shift_x} right, {shift_y} down\n"
                        + (f"covered by a {size}x{size} square{clipped}" if size else
                           "not covered"))
        for k, bar in enumerate(bars):
            bar.set_height(probabilities[k])
            bar.set_color("tab:green" if k == digit else "tab:blue")
        predicted = int(probabilities.argmax())
        ax_p.set_title(f"prediction: {predicted} ({probabilities[predicted]:.0%}); true digit "
                       f"{digit} in green")

    controls = {"digit": dropdown("digit", list(range(10)), 7, width="160px"),
                "shift_x": slider("shift right (pixels)", 0, -8, 8),
                "shift_y": slider("shift down (pixels)", 0, -8, 8),
                "top": slider("cover: top row", top0, 0, 27),
                "left": slider("cover: left column", left0, 0, 27),
                "size": slider("cover: side (0 = none)", size0, 0, 14)}
    def describe(digit, shift_x, shift_y, top, left, size):
        probabilities = [bar.get_height() for bar in bars]
        ranked = np.argsort(probabilities)[::-1][:3]
        cover = (f"covered by a {size}x{size} black square at row {top}, column {left}"
                 if size else "not covered")
        return (f"A test {digit} moved {shift_x} pixels right and {shift_y} down, {cover}. "
                f"The network predicts {ranked[0]}; its three likeliest digits: "
                + ", ".join(f"{k} {probabilities[k]:.0%}" for k in ranked)
                + f"; the true digit {digit} has {probabilities[digit]:.0%}.")

    return Panel(fig, update, controls, describe=describe,
                 animated=[image_shown, box, ax_in.title, bars, ax_p.title])


# ---- Exercises: the catalogues of mistakes are data, in _mistakes10.py -------------------------

check_accuracy_from_confusion = Exercise(
    "accuracy_from_confusion",
    "accuracy_from_confusion(matrix): the accuracy (a fraction) from a confusion matrix alone",
    cases=M.MATRICES, right=M.right_accuracy, mistakes=M.ACCURACY_MISTAKES,
    shape_hint=lambda shape: f"return one number, the accuracy, got an array of shape {shape}",
    passed="accuracy_from_confusion: correct on a 3x3 and a 4x4 matrix",
    idea="the right answers are the diagonal (true class = prediction); every image is counted "
         "once somewhere in the matrix",
    forbidden=[("confusion_accuracy", "write it from the matrix yourself: "
                                      "cl.evaluate.confusion_accuracy is the solution")],
    solution=solutions.accuracy_from_confusion,
    why="the trace counts the images whose prediction is right")

check_most_confused = Exercise(
    "most_confused",
    "most_confused(matrix): (true_class, predicted_class), a tuple, of the largest off-diagonal "
    "count (on a tie, the first in row-major order, as np.argmax)",
    cases=M.CONFUSED_MATRICES, right=M.right_most_confused, mistakes=M.CONFUSED_MISTAKES,
    exact_types=True,
    passed="most_confused: correct on a 3x3 and two 4x4 matrices (one with a three-way tie)",
    idea="blank out the diagonal (it holds the right answers), find the largest count that is "
         "left (the first one on a tie, reading along each row, row after row), and say where "
         "it is as (row, column): rows are true classes",
    forbidden=[("most_confused", "write it from the matrix yourself: "
                                 "cl.evaluate.most_confused is the solution")],
    solution=solutions.most_confused, why="the confusion matrix's rows are true classes, so "
                                           "the cell's row and column are the pair")

check_saliency = Exercise(
    "saliency_map",
    "saliency_map(params, image, label): d logit[label] / d pixel of one (H, W) image, from "
    "small_cnn_forward and "
    "small_cnn_backward", cases=M.SALIENCY_CASES, right=saliency,
    mistakes=M.SALIENCY_MISTAKES, exception_hints=M.SALIENCY_EXCEPTIONS,
    shape_hint=M.saliency_shape_hint,
    describe=lambda p, im, label: f"a {im.shape[0]}x{im.shape[1]} image, label={label}",
    forbidden=[("saliency", "build it from small_cnn_forward and small_cnn_backward: "
                            "cnnlab.models.saliency is this exercise's solution")],
    passed="saliency_map: correct on a 6x8 and a 7x5 image (one read as another class)",
    idea="run the forward pass on a batch of one image; the score of class label is "
         "logits[0, label], so its gradient with respect to the logits is 1 there and 0 "
         "elsewhere; run the backward pass from that, asking for the images' gradient",
    solution=solutions.saliency_map, why="lesson 07's backward pass, started from the "
                                          "class's score instead of the loss")
