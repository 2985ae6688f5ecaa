"""Lesson 00: a first slider, to prove that widgets render.

The panels come first, then the exercise checkers:
checkers for lesson 00's warm-up exercises.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..ui.widgets import Panel
from ._check import check_function
from ._common import digit, first_of, slider


def brightness_panel():
    """A digit whose contrast you change with a slider: input on the left, output on the right.

    Returns
    -------
    cnnlab.ui.widgets.Panel
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
    fig, (left, right) = plt.subplots(1, 2, figsize=(6.4, 3.0), layout="constrained")
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

    def describe(gamma):
        out = np.power(image, gamma)
        return (f"A handwritten {label}, 28x28 pixels, beside its output with every pixel "
                f"raised to the power {gamma:.1f}: mean brightness {image.mean():.2f} before, "
                f"{out.mean():.2f} after; {int((out > 0.5).sum())} pixels brighter than 0.5.")

    return Panel(fig, update, {"gamma": slider("contrast (gamma)", 1.0, 0.2, 3.0, 0.2)},
                 animated=[shown, right.title], describe=describe)


# ---- Exercise checkers ----------------------------------------------------------------------
# Float images that are not full-range (so 255 - image, image.max() - image and 1 - image all
# differ), rectangular (so rows and columns cannot be confused), and a uint8 image as MNIST
# stores it (so wrap-around and overflow mistakes show up).

_FLOAT = np.array([[12.0, 40.0, 200.0, 7.0],
                   [90.0, 31.0, 64.0, 150.0],
                   [3.0, 120.0, 18.0, 77.0]])
_UINT8 = np.array([[0, 255, 17], [128, 3, 250]], dtype=np.uint8)
_TIED = np.array([[1.0, 5.0, 2.0, 0.0, 3.0, 4.0],
                  [2.0, 0.0, 6.0, 1.0, 9.0, 3.0],
                  [4.0, 1.0, 0.0, 5.0, 2.0, 7.0],
                  [3.0, 9.0, 1.0, 2.0, 0.0, 5.0],
                  [0.0, 2.0, 8.0, 4.0, 1.0, 6.0]])      # two brightest pixels: (1, 4) and (3, 1)
_SINGLE = np.array([[0.1, 0.5, 0.2], [0.3, 0.2, 0.9], [0.4, 0.0, 0.6], [0.8, 0.7, 0.1]])


def _invert_in_place(image):
    image[...] = 255 - image
    return image


INVERT_MISTAKES = [
    (lambda image: -image, "you negated the pixels (black 0 stays 0); the negative of a 0..255 "
                           "image is 255 - image"),
    (lambda image: 1 - image, "1 - image inverts images scaled to 0..1; these pixels run from "
                              "0 to 255: 255 - image"),
    (lambda image: image.max() - image, "you subtracted from this image's brightest pixel; "
                                        "the negative uses the largest possible value, "
                                        "255 - image (an image without white would stay "
                                        "too dark)"),
    (lambda image: image - 255, "that is image - 255, the negative of the answer: write "
                                "255 - image"),
    (lambda image: 256 - image, "256 - image is one too bright: white 255 must become 0"),
    (lambda image: image, "you returned the image unchanged"),
    (lambda image: 255 - image.min() - image, "subtract from 255, not from 255 - min: "
                                              "255 - image"),
]
INVERT_EXCEPTIONS = [
    (OverflowError, None, "a uint8 pixel holds 0..255 only, so 256 does not fit; the "
                          "negative is 255 - image (255 - 0 = 255, 255 - 255 = 0)"),
    (TypeError, "invert", "np.invert and ~ flip the bits of whole numbers; they fail on "
                          "float pixels: write 255 - image"),
    (TypeError, "bad operand type for unary ~", "~ flips the bits of whole numbers; it fails "
                                                "on float pixels: write 255 - image"),
]


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
    >>> check_invert(lambda image: 255 - image).passed
    True
    >>> print(check_invert(lambda image: -image).message[:39])
    invert: you negated the pixels (black 0
    """
    return check_function(invert, [(_FLOAT,), (_UINT8,)], lambda image: 255 - image,
                          INVERT_MISTAKES, name="invert", exception_hints=INVERT_EXCEPTIONS,
                          passed="invert: correct, on a float image and a uint8 image")


def _first_brightest(image):
    return tuple(int(i) for i in np.unravel_index(np.argmax(image), image.shape))


BRIGHTEST_MISTAKES = [
    (lambda im: _first_brightest(im)[::-1], "you returned (column, row); NumPy indexes "
                                            "images as [row, column]"),
    (lambda im: int(np.argmax(im)), "that is the flat index (counting row by row); turn it "
                                    "into (row, col) with np.unravel_index(flat, image.shape)"),
    (lambda im: (int(np.argmax(im)),), "that is the flat index (counting row by row); turn "
                                       "it into (row, col) with np.unravel_index"),
    (lambda im: tuple(int(i) for i in np.unravel_index(
        np.flatnonzero(im == im.max())[-1], im.shape)),
     "two pixels tie for the brightest and you returned the last one; np.argmax returns "
     "the first"),
    (lambda im: (int(np.argmax(im.max(axis=1))), int(np.argmax(im.max(axis=0)))),
     "you took the row from one brightest pixel and the column from another (they tie "
     "here); take both from one flat index: np.unravel_index(np.argmax(image), image.shape)"),
    (lambda im: tuple(int(i) for i in np.unravel_index(np.argmin(im), im.shape)),
     "that is the darkest pixel: np.argmin; the brightest is np.argmax"),
    (lambda im: np.argmax(im, axis=0), "np.argmax(image, axis=0) gives the brightest row of "
                                       "every column; leave out axis to search the whole image"),
    (lambda im: np.argmax(im, axis=1), "np.argmax(image, axis=1) gives the brightest column "
                                       "of every row; leave out axis to search the whole image"),
    (lambda im: divmod(int(np.argmax(im)), im.shape[0]),
     "you divided the flat index by the number of rows; a row holds image.shape[1] pixels, "
     "so divide by the number of columns (or use np.unravel_index)"),
    (lambda im: tuple(int(i) + 1 for i in _first_brightest(im)), "NumPy counts rows and "
                                                                 "columns from 0, not 1"),
    (lambda im: np.nonzero(im == im.max()), "np.nonzero / np.where give every brightest "
                                            "pixel; return only the first, as (row, col)"),
]


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
    return check_function(brightest, [(_TIED,), (_SINGLE,)], _first_brightest,
                          BRIGHTEST_MISTAKES, name="brightest",
                          passed="brightest: correct, (1, 4) is the first of two brightest "
                                 "pixels (the other is at (3, 1))")
