"""Lesson 10: what the trained network learned: kernels, feature maps, saliency, live edits.

Panels first, then the exercise checkers:
reading a confusion matrix.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..activations import softmax
from ..evaluate import plot_probabilities
from ..models import small_cnn_backward, small_cnn_forward
from ..plotting import show_image
from ..widgets import Panel
from ._check import CheckResult, compare_arrays, run_function
from ._common import dropdown, slider
from .lesson09 import subset_trainer

_TRAINED = {}


def trained_network(epochs=2, seed=0):
    """The small CNN trained on the shipped subset (deterministic; trained once per session).

    Parameters
    ----------
    epochs : int
        Passes over the training data.
    seed : int
        Seed of np.random.default_rng, so reruns match.

    Returns
    -------
    cnnlab.train.Trainer

    Examples
    --------
    >>> trainer = trained_network()
    >>> trainer.history.test_accuracy[-1] > 0.9
    True
    """
    key = (epochs, seed)
    if key not in _TRAINED:
        trainer = subset_trainer(seed=seed)
        trainer.run(epochs=epochs, progress=False)
        _TRAINED[key] = trainer
    return _TRAINED[key]


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
    kernels = params["conv1.weight"][:, 0]
    fig, axes = plt.subplots(1, len(kernels), figsize=(1.7 * len(kernels), 2.2),
                             layout="constrained")
    for index, (ax, kernel) in enumerate(zip(axes, kernels, strict=True)):
        show_image(ax, kernel, f"kernel {index}", signed=True, colorbar=False,
                   axis_labels=False)
        ax.set(xticks=[], yticks=[])
    fig.suptitle("learned 5x5 kernels of layer 1 (red +, blue -, white 0)")
    return fig


def _test_image(digit):
    trainer = trained_network()
    labels = trainer.test_labels
    index = int(np.flatnonzero(labels == digit)[0])
    return trainer.test_images[index, 0].astype(np.float64), index


def feature_maps_panel():
    """Choose a digit; see the eight feature maps (after ReLU) the first layer makes of it.

    Returns
    -------
    cnnlab.widgets.Panel

    Examples
    --------
    >>> panel = feature_maps_panel()
    >>> before = panel.live.widget.value
    >>> panel.controls["digit"].value = 7
    >>> panel.live.widget.value != before
    True
    """
    params = trained_network().params
    fig, axes = plt.subplots(2, 5, figsize=(12, 5), layout="constrained", dpi=72)
    image_shown = show_image(axes[0, 0], np.zeros((28, 28)), "input digit", cmap="gray",
                             vmin=0, vmax=1, colorbar=False)
    maps = [axes.flat[i + 1].imshow(np.zeros((28, 28)), cmap="viridis") for i in range(8)]
    for i, ax in enumerate(axes.flat[1:9]):
        ax.set(title=f"map {i} (ReLU)", xticks=[], yticks=[])
    axes.flat[9].axis("off")
    fig.colorbar(maps[0], ax=axes.flat[9], label="response (each map scaled to its max)",
                 location="left")

    def update(digit):
        image, _ = _test_image(digit)
        image_shown.set_data(image)
        _, cache = small_cnn_forward(params, image[None, None])
        for shown, fmap in zip(maps, cache["relu1"][0], strict=True):
            shown.set_data(fmap)
            shown.set_clim(0, max(float(fmap.max()), 1e-9))

    return Panel(fig, update, {"digit": dropdown("digit", list(range(10)), 3, width="160px")})


def saliency(params, image, label):
    """The gradient of the class score (logit) with respect to the input pixels.

    Parameters
    ----------
    params : dict
        Named parameter arrays (as from the matching init function).
    image : numpy.ndarray, shape (H, W)
        A grey image.
    label : int
        The class whose score is differentiated.

    Examples
    --------
    >>> trainer = trained_network()
    >>> saliency(trainer.params, np.zeros((28, 28)), 3).shape
    (28, 28)
    """
    logits, cache = small_cnn_forward(params, np.asarray(image, dtype=np.float64)[None, None])
    grad_logits = np.zeros_like(logits)
    grad_logits[0, label] = 1.0
    return small_cnn_backward(grad_logits, cache, input_grad=True)["images"][0, 0]


def saliency_panel():
    """Choose a digit: the image, and which pixels would raise (red) or lower (blue) its score.

    Returns
    -------
    cnnlab.widgets.Panel

    Examples
    --------
    >>> panel = saliency_panel()
    >>> before = panel.live.widget.value
    >>> panel.controls["digit"].value = 0
    >>> panel.live.widget.value != before
    True
    """
    params = trained_network().params
    fig, (ax_in, ax_s) = plt.subplots(1, 2, figsize=(8, 3.6), layout="constrained", dpi=72)
    image_shown = show_image(ax_in, np.zeros((28, 28)), "input", cmap="gray", vmin=0, vmax=1,
                             colorbar_label="pixel")
    sal_shown = show_image(ax_s, np.zeros((28, 28)), "saliency", signed=True,
                           colorbar_label="d score / d pixel")

    def update(digit):
        image, _ = _test_image(digit)
        grad = saliency(params, image, digit)
        image_shown.set_data(image)
        limit = max(np.abs(grad).max(), 1e-12)
        sal_shown.set_data(grad)
        sal_shown.set_clim(-limit, limit)
        ax_in.set_title(f"input: a test {digit}")
        ax_s.set_title(f"saliency: d logit[{digit}] / d pixel")

    return Panel(fig, update, {"digit": dropdown("digit", list(range(10)), 2, width="160px")})


def edit_panel():
    """Shift a digit or cover part of it; the prediction and probabilities update live.

    Returns
    -------
    cnnlab.widgets.Panel

    Examples
    --------
    >>> panel = edit_panel()
    >>> before = panel.live.widget.value
    >>> panel.controls["shift_x"].value = 4
    >>> panel.live.widget.value != before
    True
    """
    params = trained_network().params
    fig, (ax_in, ax_p) = plt.subplots(1, 2, figsize=(8.5, 3.6), layout="constrained", dpi=72)
    image_shown = show_image(ax_in, np.zeros((28, 28)), "edited input", cmap="gray", vmin=0,
                             vmax=1, colorbar_label="pixel")
    box = ax_in.add_patch(plt.Rectangle((0, 0), 0, 0, fill=False, ec="tab:red", lw=1.5))
    bars = plot_probabilities(ax_p, np.full(10, 0.1))

    def update(digit, shift_x, shift_y, cover, cover_size):
        image, _ = _test_image(digit)
        edited = np.roll(image, (shift_y, shift_x), axis=(0, 1))
        if cover_size:
            row, col = divmod(cover, 4)
            top, left = row * 7, col * 7
            edited = edited.copy()
            edited[top:top + cover_size, left:left + cover_size] = 0.0
            box.set_bounds(left - 0.5, top - 0.5, cover_size, cover_size)
        else:
            box.set_bounds(0, 0, 0, 0)
        logits, _ = small_cnn_forward(params, edited[None, None])
        probabilities = softmax(logits)[0]
        image_shown.set_data(edited)
        for k, bar in enumerate(bars):
            bar.set_height(probabilities[k])
            bar.set_color("tab:green" if k == digit else "tab:blue")
        predicted = int(probabilities.argmax())
        ax_p.set_title(f"prediction: {predicted} ({probabilities[predicted]:.0%}); "
                       f"true digit {digit} in green")

    controls = {"digit": dropdown("digit", list(range(10)), 7, width="160px"),
                "shift_x": slider("shift right", 0, -8, 8),
                "shift_y": slider("shift down", 0, -8, 8),
                "cover": slider("cover block (0-15)", 0, 0, 15),
                "cover_size": slider("cover size", 7, 0, 14)}
    return Panel(fig, update, controls)


__all__ = ["trained_network", "kernels_figure", "feature_maps_panel", "saliency",
           "saliency_panel", "edit_panel"]


# ---- Exercise checkers ----------------------------------------------------------------------

_MATRIX = np.array([[50, 2, 0], [5, 40, 5], [1, 9, 38]])


def check_accuracy_from_confusion(accuracy_from_confusion):
    """``accuracy_from_confusion(matrix)``: right answers (the diagonal) over all images.

    Parameters
    ----------
    accuracy_from_confusion : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_accuracy_from_confusion(lambda m: np.trace(m) / m.sum()).passed
    True
    >>> print(check_accuracy_from_confusion(lambda m: np.trace(m)).message)
    accuracy: that is the number of right answers; divide by the total number of images
    """
    answer, failure = run_function(accuracy_from_confusion, _MATRIX,
                                   name="accuracy_from_confusion")
    if failure is not None:
        return failure
    expected = np.trace(_MATRIX) / _MATRIX.sum()
    per_class = np.diag(_MATRIX) / _MATRIX.sum(axis=1)
    return compare_arrays(answer, expected, "accuracy", [
        (np.trace(_MATRIX), "that is the number of right answers; divide by the total number "
                            "of images"),
        (per_class.mean(), "that is the mean of the per-class accuracies; count every image "
                           "once: trace / total"),
        (np.trace(_MATRIX) / _MATRIX.shape[0], "divide by the number of images (the sum of "
                                               "the matrix), not the number of classes"),
        (1 - expected, "that is the error rate"),
    ])


def check_most_confused(most_confused):
    """``most_confused(matrix)`` -> ``(true, predicted)`` of the largest off-diagonal count.

    Parameters
    ----------
    most_confused : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> def right(m):
    ...     off = m - np.diag(np.diag(m))
    ...     return np.unravel_index(np.argmax(off), m.shape)
    >>> check_most_confused(right).passed
    True
    >>> print(check_most_confused(lambda m: np.unravel_index(np.argmax(m), m.shape)).message)
    most_confused: that is a diagonal cell (right answers): leave the diagonal out
    """
    answer, failure = run_function(most_confused, _MATRIX, name="most_confused")
    if failure is not None:
        return failure
    try:
        pair = tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return CheckResult(False, f"most_confused: return a pair (true, predicted), got "
                                  f"{answer!r}")
    if pair == (2, 1):
        return CheckResult(True, "most_confused: correct: 9 images of class 2 read as 1")
    if pair == (1, 2):
        return CheckResult(False, "most_confused: you swapped the order: rows are the true "
                                  "class, columns the prediction")
    if len(pair) == 2 and pair[0] == pair[1]:
        return CheckResult(False, "most_confused: that is a diagonal cell (right answers): "
                                  "leave the diagonal out")
    return CheckResult(False, f"most_confused: expected (2, 1), got {pair}")
