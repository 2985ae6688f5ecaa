"""Lesson 00: a first slider, to prove that widgets render.

The panels come first, then the exercise checkers:
checkers for lesson 00's warm-up exercises.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..widgets import Panel
from ._check import CheckResult, compare_arrays, run_function
from ._common import digit, first_of, slider


def brightness_panel():
    """A digit whose contrast you change with a slider: input on the left, output on the right.

    Returns
    -------
    cnnlab.widgets.Panel
        Display it (last line of a cell) to get the slider and the figure.

    Examples
    --------
    >>> panel = brightness_panel()
    >>> before = panel.live.widget.value
    >>> panel.controls["gamma"].value = 2.0
    >>> panel.live.widget.value != before
    True
    """
    image, label = digit(first_of(3))
    fig, (left, right) = plt.subplots(1, 2, figsize=(6.4, 3.0), layout="constrained", dpi=80)
    left.imshow(image, cmap="gray", vmin=0, vmax=1)
    left.set_title(f"input: a handwritten {label}")
    shown = right.imshow(image, cmap="gray", vmin=0, vmax=1)
    fig.colorbar(shown, ax=right, label="pixel value (0 black, 1 white)")
    for ax in (left, right):
        ax.set_xlabel("column j")
        ax.set_ylabel("row i")

    def update(gamma):
        shown.set_data(np.power(image, gamma))
        right.set_title(f"output: pixel ** {gamma:.1f}")

    return Panel(fig, update, {"gamma": slider("contrast (gamma)", 1.0, 0.2, 3.0, 0.2)})


# ---- Exercise checkers ----------------------------------------------------------------------

_CASE = np.random.default_rng(0).integers(0, 200, size=(5, 6)).astype(np.uint8)
_CASE[1, 4] = 255          # one brightest pixel, away from the diagonal


def check_invert(invert):
    """``invert(image)`` turns a 0..255 image into its negative, ``255 - image``.

    Parameters
    ----------
    invert : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_invert(lambda image: 255 - image.astype(int)).passed
    True
    >>> print(check_invert(lambda image: -image.astype(int)))
    NOT YET invert: you negated the pixels; the negative of a 0..255 image is 255 - image
    """
    answer, failure = run_function(invert, _CASE, name="invert")
    if failure is not None:
        return failure
    expected = 255 - _CASE.astype(int)
    mistakes = [(-_CASE.astype(int), "you negated the pixels; the negative of a 0..255 image "
                 "is 255 - image"),
                (1 - _CASE.astype(int), "1 - image inverts images scaled to 0..1; these pixels "
                 "run from 0 to 255")]
    return compare_arrays(answer, expected, "invert", mistakes)


def check_brightest(brightest):
    """``brightest(image)`` returns ``(row, col)`` of the brightest pixel (the first one).

    Parameters
    ----------
    brightest : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_brightest(lambda im: np.unravel_index(np.argmax(im), im.shape)).passed
    True
    >>> print(check_brightest(lambda im: np.unravel_index(np.argmax(im), im.shape)[::-1]))
    NOT YET brightest: you returned (column, row); NumPy indexes images as [row, column]
    """
    answer, failure = run_function(brightest, _CASE, name="brightest")
    if failure is not None:
        return failure
    if answer is None:
        return CheckResult(False, "brightest: your function returned None; return (row, col)")
    expected = tuple(int(i) for i in np.unravel_index(np.argmax(_CASE), _CASE.shape))
    try:
        answer = tuple(int(i) for i in answer)
    except (TypeError, ValueError):
        return CheckResult(False, f"brightest: return a pair (row, col), got {answer!r}")
    if answer == expected:
        return CheckResult(True, f"brightest: correct, {expected}")
    if answer == expected[::-1]:
        return CheckResult(False, "brightest: you returned (column, row); NumPy indexes "
                                  "images as [row, column]")
    if answer == (int(np.argmax(_CASE)),) or len(answer) == 1:
        return CheckResult(False, "brightest: that is the flat index; turn it into (row, col) "
                                  "with np.unravel_index")
    return CheckResult(False, f"brightest: expected {expected}, got {answer}")
