"""Lesson 10: what the trained network learned: kernels, feature maps, saliency, live edits.

The trained network and the digits the panels show, then the figures and panels, then the
exercise checkers: reading a confusion matrix.
"""

from __future__ import annotations

import functools

import matplotlib.pyplot as plt
import numpy as np

from .._validate import check_index, check_int
from ..activations import softmax
from ..data import shift_image
from ..evaluate import (
    cover_census,
    plot_probabilities,
    shift_predictions,
)
from ..models import check_small_cnn_inputs, saliency, small_cnn_forward
from ..plotting import show_image
from ..ui.widgets import Panel
from ._check import CheckResult, compare_arrays, run_function
from ._common import digit as digit_image
from ._common import dropdown, first_of, slider
from .lesson09 import subset_trainer

_TRAINED = {}                     # (epochs, seed) -> Trainer


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
    epochs = check_int(epochs, "epochs", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    if (epochs, seed) not in _TRAINED:
        _TRAINED[epochs, seed] = subset_trainer(seed=seed)
        _TRAINED[epochs, seed].run(epochs=epochs, progress=False)
    return _TRAINED[epochs, seed]


def _params(params):
    if params is not None:                  # the panels' door: a small CNN for 28x28 digits
        check_small_cnn_inputs(params, np.zeros((1, 1, 28, 28)))
    return trained_network().params if params is None else params


def start_digits():
    """The first shipped test image of each digit, the pad's starting points.

    Returns
    -------
    numpy.ndarray of float64, shape (10, 28, 28)
        Image ``k`` is a test ``k``, values in [0, 1].

    Examples
    --------
    >>> start_digits().shape
    (10, 28, 28)
    """
    return np.stack([digit_image(first_of(k))[0] for k in range(10)])


@functools.lru_cache(maxsize=1)
def _shown_digits():
    """:func:`start_digits`, made once and read-only: the panels show them as they are."""
    images = start_digits()
    images.setflags(write=False)
    return images


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
    params = _params(params)
    # The first layer's maps of the ten digits, computed once; one colour scale for them all.
    images = _shown_digits()
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
    params = _params(params)
    # The ten digits' saliency maps, computed once, on one colour scale.
    images = _shown_digits()
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
    """Print :func:`cnnlab.evaluate.shift_predictions` of the first test ``digit`` as two rows,
    the shifts that change the answer marked with ``*``.

    Parameters
    ----------
    params : dict, optional
        The small CNN's parameters (default: :func:`trained_network`'s).
    digit : int
        Which test digit (the first one of that class).
    shifts : sequence of int
        Pixels to move by.

    Returns
    -------
    dict
        What :func:`cnnlab.evaluate.shift_predictions` returns.

    Examples
    --------
    >>> result = print_shift_predictions(digit=1)  # doctest: +ELLIPSIS
    shift by      -8 ...
    >>> result["right"][8], result["down"][8]            # not moved
    (1, 1)
    """
    digit = check_index(digit, "digit", 10, "a digit")
    result = shift_predictions(_params(params), _shown_digits()[digit], digit, shifts)
    print("shift by    " + "".join(f"{s:>4}" for s in result["shifts"]))
    for name in ("right", "down"):
        print(f"{'moved ' + name:<12}" + "".join(
            f"{p:>4}" if p == digit else f"{str(p) + '*':>4}" for p in result[name]))
    if None in result["kept"].values():
        print(f"(* = not a {digit}.)  Even unmoved, the network does not read it as a {digit}.")
        return result
    (r0, r1), (d0, d1) = result["kept"]["right"], result["kept"]["down"]
    print(f"(* = not a {digit}.)  It stays a {digit} when moved right by {r0} to {r1} pixels "
          f"(negative: left) and down by {d0} to {d1} pixels (negative: up).")
    return result


def print_cover_census(params=None, digit=7, sizes=range(1, 15), ask=None):
    """Print :func:`cnnlab.evaluate.cover_census` of the first test ``digit``: how often each
    answer comes up, the smallest square that changes it, and whether any says ``ask``.

    Parameters
    ----------
    params : dict, optional
        The small CNN's parameters (default: :func:`trained_network`'s).
    digit : int
        Which test digit (the first one of that class).
    sizes : sequence of int
        Side lengths of the square, in pixels.
    ask : int, optional
        A class to answer a question about: does any square make the network say it?

    Returns
    -------
    dict
        What :func:`cnnlab.evaluate.cover_census` returns.

    Examples
    --------
    >>> census = print_cover_census(digit=1, sizes=[1])  # doctest: +ELLIPSIS
    black squares of side 1 to 1 pixels, at every place on the test 1: 784 settings
    ...
    >>> census["total"]
    784
    """
    digit = check_index(digit, "digit", 10, "a digit")
    if ask is not None:
        ask = check_index(ask, "ask", 10, "None or a digit")
    census = cover_census(_params(params), _shown_digits()[digit], digit, sizes)
    counts, total = census["counts"], census["total"]
    print(f"black squares of side {min(sizes)} to {max(sizes)} pixels, at every place on the "
          f"test {digit}: {total} settings")
    for k, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  the network says {k}: {n:5d} times ({n / total:.2%})")
    never = [k for k in range(10) if k not in counts]
    if never:
        print(f"  never: {', '.join(map(str, never))}")
    if census["smallest"]:
        size, top, left, k = census["smallest"]
        print(f"the smallest square that changes the answer: side {size}, top row {top}, left "
              f"column {left}: the network says {k}")
    else:
        print(f"no square changes the answer: it always says {digit}")
    if ask is not None:
        times = counts.get(ask, 0)
        print(f"does a black square turn this {digit} into a {ask}? " + (
            f"yes, in {times} of the {total} settings" if times else
            f"no: none of the {total} settings does"))
    return census


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
    params = _params(params)
    size0, top0, left0 = start if start is not None else (6, 4, 4)
    fig, (ax_in, ax_p) = plt.subplots(1, 2, figsize=(8.5, 3.6), layout="constrained")
    image_shown = show_image(ax_in, np.zeros((28, 28)), "edited input", cmap="gray", vmin=0,
                             vmax=1, colorbar_label="pixel")
    box = ax_in.add_patch(plt.Rectangle((0, 0), 0, 0, fill=False, ec="tab:red", lw=1.5))
    bars = plot_probabilities(ax_p, np.full(10, 0.1))
    images = _shown_digits()

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
        ax_in.set_title(f"a test {digit}: moved {shift_x} right, {shift_y} down\n"
                        + (f"covered by a {size}x{size} square" if size else "not covered"))
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


# ---- Exercise checkers ----------------------------------------------------------------------

_MATRIX = np.array([[50, 2, 0], [5, 40, 5], [1, 9, 38]])
_RIGHT, _TOTAL = np.trace(_MATRIX), _MATRIX.sum()          # 128 right answers of 150
_RECALL = np.diag(_MATRIX) / _MATRIX.sum(axis=1)           # each row's share that is right
_ACCURACY = _RIGHT / _TOTAL

# What known mistakes make of _MATRIX instead of the accuracy, and the hint for each.
ACCURACY_MISTAKES = [
    (_RIGHT, f"that is the number of right answers ({_RIGHT}); divide by the total number of "
             f"images"),
    (_RECALL.mean(), "that is the mean of the per-class accuracies (each row's diagonal over "
                     "the row's sum); count every image once: trace / total"),
    ((np.diag(_MATRIX) / _MATRIX.sum(axis=0)).mean(),
     "that is the mean precision (each column's diagonal over the column's sum); the accuracy "
     "is the trace over the total"),
    (_RIGHT / _MATRIX.shape[0], "divide by the number of images (the sum of the matrix), not "
                                "the number of classes (that gives the mean of the diagonal)"),
    (_RIGHT / _MATRIX.size, "divide by the number of images (the sum of the matrix), not the "
                            "number of cells"),
    (1 - _ACCURACY, "that is the error rate (the wrong answers' share): take the diagonal"),
    (100 * _ACCURACY, "that is a percentage; return a fraction between 0 and 1"),
    (_RIGHT / (_TOTAL - _RIGHT), "you divided by the wrong answers only; divide by all the "
                                 "images (the sum of the whole matrix)"),
    (_RECALL, "that is one accuracy per class (per row); the accuracy is one number: trace / "
              "total"),
    (_RIGHT // _TOTAL, "integer division (//) rounds down to 0; use / instead"),
    (np.diag(_MATRIX).max() / _TOTAL, "that is only the largest diagonal cell; add up the whole "
                                      "diagonal (np.trace)"),
]


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
    accuracy: that is the number of right answers (128); divide by the total number of images
    """
    answer, failure = run_function(accuracy_from_confusion, _MATRIX,
                                   name="accuracy_from_confusion")
    if failure is not None:
        return failure
    if isinstance(answer, tuple):
        return CheckResult(False, f"accuracy: return one number, got a tuple {answer!r}")
    result = compare_arrays(answer, _ACCURACY, "accuracy", ACCURACY_MISTAKES)
    if not result.passed and "the values differ" in result.message:
        return CheckResult(False, f"{result.message}; the matrix was {_MATRIX.tolist()}")
    return result


_OFF = _MATRIX - np.diag(np.diag(_MATRIX))          # the mistakes alone: the largest is (2, 1)


def _inside(pair):
    return all(0 <= v < 3 for v in pair)


# What a learner's pair (true, predicted) may be instead of (2, 1), and the hint for it.
PAIR_MISTAKES = [
    (lambda pair: pair == (1, 2), "you swapped the order: rows are the true class, columns "
                                  "the prediction"),
    (lambda pair: pair[0] == pair[1], "{pair} is a diagonal cell (right answers): leave the "
                                      "diagonal out"),
    (lambda pair: pair == (3, 2), "you counted from 1; Python's indices start at 0"),
    (lambda pair: _inside(pair) and _OFF[pair] == _OFF[_OFF > 0].min(),
     "{pair} holds the smallest mistake count; you want the largest (argmax, not argmin)"),
    (lambda pair: _inside(pair) and _OFF[pair] == 0, "{pair} holds no mistakes at all; did "
                                                    "you take argmin over a matrix with the "
                                                    "diagonal zeroed?"),
]
# ... and a single number instead of a pair.
NUMBER_MISTAKES = [
    (int(np.argmax(_OFF)), "{value} is a flat index into the matrix; turn it into (row, "
                           "column) with np.unravel_index({value}, matrix.shape)"),
    (_OFF.max(), "{value} is the largest count; return where it is, (true, predicted)"),
]


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
    most_confused: (0, 0) is a diagonal cell (right answers): leave the diagonal out
    """
    answer, failure = run_function(most_confused, _MATRIX, name="most_confused",
                                   must_return=True)
    if failure is not None:
        return failure
    not_a_pair = CheckResult(False, f"most_confused: return a pair (true, predicted), got "
                                    f"{answer!r}")
    if np.ndim(answer) == 0:
        hints = [hint for value, hint in NUMBER_MISTAKES if answer == value]
        return CheckResult(False, "most_confused: " + hints[0].format(value=answer)) if hints \
            else not_a_pair
    try:
        pair = tuple(int(v) for v in np.asarray(answer).ravel())
    except (TypeError, ValueError):
        return not_a_pair
    if len(pair) == 2 and np.shape(answer) == (2,):
        if pair == (2, 1):
            return CheckResult(True, "most_confused: correct: 9 images of class 2 read as 1")
        hint = next((hint for is_it, hint in PAIR_MISTAKES if is_it(pair)),
                    f"expected (2, 1), the cell with 9 mistakes, got {{pair}}; the matrix was "
                    f"{_MATRIX.tolist()}")
        return CheckResult(False, "most_confused: " + hint.format(pair=pair))
    if len(pair) == 3 and pair in (tuple(np.argmax(_OFF, axis=1)), tuple(np.argmax(_OFF, axis=0))):
        return CheckResult(False, "most_confused: that is one argmax per row (or column); take "
                                  "the argmax of the whole matrix and turn it into (row, column) "
                                  "with np.unravel_index")
    return not_a_pair
