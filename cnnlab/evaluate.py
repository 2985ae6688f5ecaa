"""How good is the trained network, and where does it go wrong?

* :func:`accuracy`: the fraction of images classified right.
* :func:`confusion_matrix`: row = the true digit, column = the predicted digit; the diagonal
  holds the right answers, everything else a kind of mistake ("4 read as 9").
* :func:`most_confident_mistakes`: the wrong answers the network was surest of, often the most
  instructive pictures (and sometimes a label that is itself wrong).
* Plots of each, and of one image's class probabilities.
* :func:`shift_predictions`, :func:`cover_census`: what the network answers when its input is
  moved or partly covered (how far its answer survives changes it never saw in training).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ._validate import (
    as_float_array,
    as_real_array,
    check_axes,
    check_float,
    check_index,
    check_int,
    check_int_sequence,
    check_labels,
    check_str,
)
from .data import shift_image
from .models import check_small_cnn_inputs, predict_proba
from .plotting import show_image

__all__ = [
    "accuracy",
    "confusion_matrix",
    "per_class_accuracy",
    "confusion_accuracy",
    "most_confused",
    "most_confident_mistakes",
    "plot_confusion_matrix",
    "plot_probabilities",
    "show_mistakes",
    "shift_predictions",
    "cover_census",
    "print_shift_predictions",
    "print_cover_census",
]


def _predicted_classes(predictions, name="predictions"):
    """Class numbers (N,) from class numbers, one logit per image, or (N, K) scores."""
    values = as_real_array(predictions, name, ndim=(1, 2), axes="(N,) or (N, K)")
    if values.ndim == 2:
        return values.argmax(axis=1), values.shape[1]
    if values.dtype.kind == "f":                   # one logit per image: class 1 when > 0
        return (values > 0).astype(np.int64), 2
    if values.min() < 0:
        raise ValueError(f"{name} must be class numbers 0 or more, got {values.min()}")
    return values.astype(np.int64), None


def accuracy(predictions, labels):
    """Fraction of correct predictions.

    The one accuracy of the course: the trainer's per-step accuracy is this function too.

    Parameters
    ----------
    predictions : array_like, shape (N,) or (N, K)
        Predicted class numbers (integers, shape (N,)); or one logit per image (floats, shape
        (N,), class 1 when the logit is above 0); or per-class scores, logits or probabilities
        (shape (N, K), the largest one is the prediction).
    labels : array_like of int, shape (N,)
        The true classes, 0..K-1 (0 or 1 for one logit per image; whole floats such as the
        0.0/1.0 targets of a sigmoid output are accepted).

    Returns
    -------
    float
        In [0, 1].

    Examples
    --------
    >>> accuracy([1, 2, 3], [1, 2, 0])
    0.6666666666666666
    >>> accuracy([[0.9, 0.1], [0.2, 0.8]], [0, 0])
    0.5
    >>> accuracy([1.5, -2.0], [1.0, 1.0])        # one logit per image
    0.5
    """
    predicted, num_classes = _predicted_classes(predictions)
    if num_classes is None:         # class numbers: any label 0 or more
        num_classes = int(max(predicted.max(), np.max(as_real_array(labels, "labels")))) + 1
    labels = check_labels(labels, "labels", n_classes=num_classes,
                          n_samples=predicted.shape[0])
    return float(np.mean(predicted == labels))


def confusion_matrix(labels, predictions, num_classes=10):
    """Counts of (true class, predicted class) pairs.

    Parameters
    ----------
    labels : array_like of int, shape (N,)
    predictions : array_like, shape (N,) or (N, num_classes)
        Class numbers, one logit per image, or per-class scores (as for :func:`accuracy`).
    num_classes : int

    Returns
    -------
    numpy.ndarray of int64, shape (num_classes, num_classes)
        ``matrix[t, p]`` = how many images of class ``t`` were predicted as ``p``.

    Examples
    --------
    >>> confusion_matrix([0, 0, 1, 1], [0, 1, 1, 1], num_classes=2)
    array([[1, 1],
           [0, 2]])
    """
    num_classes = check_int(num_classes, "num_classes", minimum=1)
    predicted, k = _predicted_classes(predictions)
    if np.ndim(predictions) == 2 and k != num_classes:
        raise ValueError(f"predictions has {k} scores per image but num_classes={num_classes}: "
                         f"they must match")
    labels = check_labels(labels, "labels", n_classes=num_classes, n_samples=predicted.shape[0])
    predicted = check_labels(predicted, "predictions", n_classes=num_classes)
    # bincount counts in the platform's index type: int32 in the browser (Pyodide is 32-bit).
    pairs = (labels * num_classes + predicted).astype(np.intp)
    counts = np.bincount(pairs, minlength=num_classes * num_classes).astype(np.int64)
    return counts.reshape(num_classes, num_classes)


def _counts(matrix):
    matrix = as_float_array(matrix, "matrix", ndim=2, axes="(K, K)")
    if matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix must be square (K, K), got {matrix.shape}")
    if matrix.min() < 0 or not np.all(matrix == np.round(matrix)):
        raise ValueError("matrix must hold counts (whole numbers 0 or more), as "
                         "confusion_matrix returns")
    return matrix


def _probabilities(probabilities, ndim, axes):
    probabilities = as_float_array(probabilities, "probabilities", ndim=ndim, axes=axes)
    if probabilities.min() < 0 or probabilities.max() > 1:
        raise ValueError(f"probabilities must lie in [0, 1], got values from "
                         f"{probabilities.min():g} to {probabilities.max():g}; for logits pass "
                         f"cnnlab.softmax(logits)")
    return probabilities


def per_class_accuracy(matrix):
    """Accuracy for each true class, from a confusion matrix (the diagonal over the row sums).

    Parameters
    ----------
    matrix : array_like, shape (K, K)

    Returns
    -------
    numpy.ndarray, shape (K,)
        NaN for a class with no images.

    Examples
    --------
    >>> per_class_accuracy([[1, 1], [0, 2]])
    array([0.5, 1. ])
    """
    matrix = _counts(matrix)
    totals = matrix.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(matrix) / np.where(totals > 0, totals, 1), np.nan)


def confusion_accuracy(matrix):
    """The accuracy from a confusion matrix alone: the right answers (the diagonal) over all.

    Parameters
    ----------
    matrix : array_like, shape (K, K)
        Counts, as :func:`confusion_matrix` returns; at least one image.

    Returns
    -------
    float
        ``trace / sum``, in [0, 1]; the same number :func:`accuracy` gives for those images.

    Examples
    --------
    >>> confusion_accuracy([[1, 1], [0, 2]])
    0.75
    """
    matrix = _counts(matrix)
    if matrix.sum() == 0:
        raise ValueError("matrix must count at least one image, got all zeros")
    return float(np.trace(matrix) / matrix.sum())


def most_confused(matrix):
    """The most frequent mistake: ``(true class, predicted class)`` of the largest count off
    the diagonal (the first such cell in row-major order when several tie).

    Parameters
    ----------
    matrix : array_like, shape (K, K)
        Counts, as :func:`confusion_matrix` returns, K >= 2.

    Returns
    -------
    (int, int)

    Examples
    --------
    >>> most_confused([[5, 1, 0], [3, 4, 0], [0, 2, 9]])      # three 1s read as 0
    (1, 0)
    """
    matrix = _counts(matrix)
    if len(matrix) < 2:
        raise ValueError(f"matrix must have at least 2 classes, got shape {matrix.shape}")
    mistakes = matrix - np.diag(np.diag(matrix))          # the right answers left out
    true, predicted = np.unravel_index(np.argmax(mistakes), matrix.shape)
    return int(true), int(predicted)


def most_confident_mistakes(probabilities, labels, k=8):
    """Indices of the ``k`` wrong predictions with the highest predicted probability.

    Parameters
    ----------
    probabilities : array_like, shape (N, K)
    labels : array_like of int, shape (N,)
    k : int

    Returns
    -------
    numpy.ndarray of int, shape (<= k,)
        Most confident first.

    Examples
    --------
    >>> p = [[0.9, 0.1], [0.4, 0.6], [0.2, 0.8]]
    >>> most_confident_mistakes(p, [1, 0, 0], k=2)
    array([0, 2])
    """
    probabilities = _probabilities(probabilities, 2, "(N, K)")
    labels = check_labels(labels, "labels", n_classes=probabilities.shape[1],
                          n_samples=probabilities.shape[0])
    k = check_int(k, "k", minimum=1)
    predicted = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predicted != labels)
    confidence = probabilities[wrong, predicted[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")[:k]]


def plot_confusion_matrix(ax, matrix, class_names=None, fontsize=7):
    """Draw a confusion matrix with counts in the cells and labelled axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    matrix : array_like, shape (K, K)
    class_names : sequence of str, optional
    fontsize : float
        Size of the counts written in the cells (points), greater than 0.

    Returns
    -------
    matplotlib.image.AxesImage

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> shown = plot_confusion_matrix(ax, [[5, 1], [0, 4]])
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('predicted digit', 'true digit')
    >>> plt.close(fig)
    """
    check_axes(ax)
    matrix = _counts(matrix)
    fontsize = check_float(fontsize, "fontsize", minimum=0, allow_minimum=False)
    k = matrix.shape[0]
    if class_names is None:
        names = [str(i) for i in range(k)]
    else:
        if isinstance(class_names, str) or not hasattr(class_names, "__len__"):
            raise TypeError(f"class_names must be a list of {k} names, got "
                            f"{type(class_names).__name__}")
        names = [str(name) for name in class_names]
        if len(names) != k:
            raise ValueError(f"class_names must give one name per class: {k} classes, "
                             f"{len(names)} names")
    shown = ax.imshow(matrix, cmap="Blues")
    ax.figure.colorbar(shown, ax=ax, label="number of images")
    ax.set_xticks(range(k), names)
    ax.set_yticks(range(k), names)
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title("confusion matrix (diagonal = right)")
    threshold = matrix.max() / 2 if matrix.size else 0
    for (i, j), value in np.ndenumerate(matrix):
        if value:
            ax.text(j, i, f"{int(value)}", ha="center", va="center", fontsize=fontsize,
                    color="white" if value > threshold else "black")
    return shown


def plot_probabilities(ax, probabilities, label=None):
    """Bar chart of one image's class probabilities; the true class (if given) outlined.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    probabilities : array_like, shape (K,)
    label : int, optional

    Returns
    -------
    matplotlib.container.BarContainer
        Update with ``bar.set_height(p)`` for each bar.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> bars = plot_probabilities(ax, [0.1, 0.9], label=1)
    >>> len(bars)
    2
    >>> plt.close(fig)
    """
    check_axes(ax)
    probabilities = _probabilities(probabilities, 1, "(K,)")
    if label is not None:
        label = check_int(label, "label", minimum=0)
        if label >= probabilities.size:
            raise ValueError(f"label must be a class 0..{probabilities.size - 1}, got {label}")
    bars = ax.bar(range(probabilities.size), probabilities, color="tab:blue")
    if label is not None:
        bars[label].set_edgecolor("black")
        bars[label].set_linewidth(2)
    ax.set_ylim(0, 1)
    ax.set_xticks(range(probabilities.size))
    ax.set_xlabel("digit")
    ax.set_ylabel("probability")
    ax.set_title("predicted probabilities")
    return bars


def show_mistakes(images, probabilities, labels, indices, ncols=4, suptitle=None):
    """A figure of chosen images, white ink on black (pixels 0 to 1), each titled
    "true 4", "predicted 9 (97%)" on two lines.

    Parameters
    ----------
    images : array_like, shape (N, H, W) or (N, 1, H, W)
    probabilities : array_like, shape (N, K)
    labels : array_like of int, shape (N,)
    indices : sequence of int
        Which images to show (e.g. from :func:`most_confident_mistakes`).
    ncols : int
    suptitle : str, optional
        A title above the whole figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = show_mistakes(np.zeros((2, 4, 4)), [[0.2, 0.8], [0.6, 0.4]], [0, 1], [0, 1])
    >>> fig.axes[0].get_title()
    'true 0\\npredicted 1 (80%)'
    >>> plt.close(fig)
    """
    images = as_real_array(images, "images", ndim=(3, 4), axes="(N, H, W) or (N, 1, H, W)")
    if images.ndim == 4:
        if images.shape[1] != 1:
            raise ValueError(f"images must have one channel, (N, 1, H, W), got shape "
                             f"{images.shape}")
        images = images[:, 0]
    probabilities = _probabilities(probabilities, 2, "(N, K)")
    if images.shape[0] != probabilities.shape[0]:
        raise ValueError(f"images has {images.shape[0]} images but probabilities has "
                         f"{probabilities.shape[0]} rows: they must match")
    labels = check_labels(labels, "labels", n_classes=probabilities.shape[1],
                          n_samples=probabilities.shape[0])
    if isinstance(indices, (str, bytes)) or not hasattr(indices, "__iter__"):
        raise TypeError(f"indices must be a sequence of image numbers, got "
                        f"{type(indices).__name__}")
    indices = [check_int(i, "indices", minimum=0) for i in indices]
    if not indices:
        raise ValueError("indices must name at least one image")
    if max(indices) >= images.shape[0]:
        raise ValueError(f"indices must lie in 0..{images.shape[0] - 1}, got {max(indices)}")
    ncols = min(check_int(ncols, "ncols", minimum=1), len(indices))
    check_str(suptitle, "suptitle", allow_none=True)
    nrows = -(-len(indices) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.3 * ncols, 2.6 * nrows), squeeze=False,
                             layout="constrained")
    for ax, index in zip(axes.flat, indices, strict=False):
        predicted = int(probabilities[index].argmax())
        show_image(ax, images[index], f"true {labels[index]}\npredicted {predicted} "
                   f"({probabilities[index, predicted]:.0%})", cmap="gray", vmin=0, vmax=1,
                   colorbar=False, axis_labels=False)
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in list(axes.flat)[len(indices):]:
        ax.set_visible(False)
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def _image_and_label(image, label, params):
    image = as_float_array(image, "image", ndim=2, axes="(H, W)")
    params = check_small_cnn_inputs(params, image[None, None])[0]
    classes = params["dense.weight"].shape[1]
    return image, check_index(label, "label", classes, "a class")


def _predicted(params, batch):
    return predict_proba(params, batch[:, None]).argmax(axis=1)


def shift_predictions(params, image, label, shifts=range(-8, 9)):
    """The small CNN's answer when ``image`` is moved right, and down, by each shift.

    Zeros fill the pixels the move uncovers (:func:`cnnlab.data.shift_image`); a negative
    shift moves left (or up).

    Parameters
    ----------
    params : dict
        The small CNN's parameters.
    image : array_like, shape (H, W)
    label : int
        The right answer, for ``"kept"``.
    shifts : sequence of int
        Pixels to move by; must include 0.

    Returns
    -------
    dict
        ``"shifts"`` (list); ``"right"`` and ``"down"``: the predicted class at each shift
        (lists of int); ``"kept"``: for each direction, ``(first, last)``, the shifts around 0,
        without a gap, that keep the answer ``label`` (None if the unmoved image is not read
        as ``label``).

    Examples
    --------
    >>> from cnnlab.models import init_small_cnn
    >>> result = shift_predictions(init_small_cnn(seed=0), np.zeros((28, 28)), 0, [-1, 0, 1])
    >>> result["right"] == result["down"]       # a blank image looks the same moved
    True
    """
    image, label = _image_and_label(image, label, params)
    shifts = check_int_sequence(shifts, "shifts")
    if 0 not in shifts:
        raise ValueError(f"shifts must include 0 (the image not moved), got {shifts}")
    result = {"shifts": shifts, "kept": {}}
    for name, (dy, dx) in {"right": (0, 1), "down": (1, 0)}.items():
        batch = np.stack([shift_image(image, dy * s, dx * s) for s in shifts])
        row = result[name] = [int(p) for p in _predicted(params, batch)]
        low = high = shifts.index(0)
        while low > 0 and row[low - 1] == label:
            low -= 1
        while high < len(row) - 1 and row[high + 1] == label:
            high += 1
        result["kept"][name] = (shifts[low], shifts[high]) if row[low] == label else None
    return result


def cover_census(params, image, label, sizes=range(1, 15)):
    """The small CNN's answers when a black square covers ``image`` at every size and place.

    Parameters
    ----------
    params : dict
        The small CNN's parameters.
    image : array_like, shape (H, W)
        The image to cover (it stays unchanged: each square covers a copy).
    label : int
        The right answer, for ``"smallest"``.
    sizes : sequence of int
        Side lengths of the square in pixels, each from 1 to the image's smaller side.

    Returns
    -------
    dict
        ``"counts"``: {predicted class: number of squares}; ``"total"``: the number of
        squares; ``"smallest"``: ``(size, top, left, predicted)`` of the first square (by
        size, then row by row) whose answer is not ``label``, or None.

    Examples
    --------
    >>> from cnnlab.models import init_small_cnn
    >>> census = cover_census(init_small_cnn(seed=0), np.zeros((28, 28)), 0, sizes=[27])
    >>> census["total"], sum(census["counts"].values())
    (4, 4)
    """
    image, label = _image_and_label(image, label, params)
    sizes = check_int_sequence(sizes, "sizes", minimum=1)
    if not sizes or max(sizes) > min(image.shape):
        raise ValueError(f"sizes must be 1 to {min(image.shape)} (the image's smaller side), "
                         f"at least one, got {sizes}")
    settings = [(size, top, left) for size in sizes for top in range(image.shape[0] - size + 1)
                for left in range(image.shape[1] - size + 1)]
    batch = np.repeat(image[None], len(settings), axis=0)
    for covered, (size, top, left) in zip(batch, settings, strict=True):
        covered[top:top + size, left:left + size] = 0.0
    predicted = _predicted(params, batch)
    counts = {int(k): int(n) for k, n in zip(*np.unique(predicted, return_counts=True),
                                              strict=True)}
    changed = np.flatnonzero(predicted != label)
    smallest = (*settings[int(changed[0])], int(predicted[changed[0]])) if changed.size else None
    return {"counts": counts, "total": len(settings), "smallest": smallest}


def print_shift_predictions(params, image, label, shifts=range(-8, 9)):
    """Print :func:`shift_predictions` as two rows (moved right, moved down), the shifts that
    change the answer marked with ``*``, and the range of shifts that keeps it.

    Parameters
    ----------
    params, image, label, shifts
        As for :func:`shift_predictions`.

    Returns
    -------
    dict
        What :func:`shift_predictions` returns.

    Examples
    --------
    >>> from cnnlab.models import init_small_cnn
    >>> result = print_shift_predictions(init_small_cnn(seed=0), np.zeros((28, 28)), 3, [0])
    ... # doctest: +ELLIPSIS
    shift by       0
    moved right ...
    """
    result = shift_predictions(params, image, label, shifts)
    print("shift by    " + "".join(f"{s:>4}" for s in result["shifts"]))
    for name in ("right", "down"):
        print(f"{'moved ' + name:<12}" + "".join(
            f"{p:>4}" if p == label else f"{str(p) + '*':>4}" for p in result[name]))
    if None in result["kept"].values():
        print(f"(* = not a {label}.)  Even unmoved, the network does not read it as a {label}.")
        return result
    (r0, r1), (d0, d1) = result["kept"]["right"], result["kept"]["down"]
    print(f"(* = not a {label}.)  It stays a {label} when moved right by {r0} to {r1} pixels "
          f"(negative: left) and down by {d0} to {d1} pixels (negative: up).")
    again = [f"{_ranges(found)} moved {name}" for name in ("right", "down")
             if (found := [s for s, p in zip(result["shifts"], result[name], strict=True)
                           if p == label and not result["kept"][name][0] <= s
                           <= result["kept"][name][1]])]
    if again:
        print(f"Beyond a shift marked *, it reads a {label} again at {' and at '.join(again)}: "
              f"the answer need not change only once as the digit moves further.")
    return result


def _ranges(values):
    """Sorted integers as runs: [-8, -7, -6, 5] -> "-8 to -6, 5"."""
    runs = []
    for value in sorted(values):
        if runs and value == runs[-1][1] + 1:
            runs[-1][1] = value
        else:
            runs.append([value, value])
    return ", ".join(f"{a} to {b}" if a != b else f"{a}" for a, b in runs)


def print_cover_census(params, image, label, sizes=range(1, 15), ask=None):
    """Print :func:`cover_census`: how often each answer comes up, the smallest square that
    changes it, and whether any square makes the network say ``ask``.

    Parameters
    ----------
    params, image, label, sizes
        As for :func:`cover_census`.
    ask : int, optional
        A class to answer a question about: does any square make the network say it?

    Returns
    -------
    dict
        What :func:`cover_census` returns.

    Examples
    --------
    >>> from cnnlab.models import init_small_cnn
    >>> census = print_cover_census(init_small_cnn(seed=0), np.zeros((28, 28)), 3, [28])
    ... # doctest: +ELLIPSIS
    black squares of side 28 to 28 pixels, at every place on the test 3: 1 settings
    ...
    """
    census = cover_census(params, image, label, sizes)
    counts, total = census["counts"], census["total"]
    print(f"black squares of side {min(sizes)} to {max(sizes)} pixels, at every place on the "
          f"test {label}: {total} settings")
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
        print(f"no square changes the answer: it always says {label}")
    if ask is not None:
        times = counts.get(ask, 0)
        print(f"does a black square turn this {label} into a {ask}? " + (
            f"yes, in {times} of the {total} settings" if times else
            f"no: none of the {total} settings does"))
    return census
