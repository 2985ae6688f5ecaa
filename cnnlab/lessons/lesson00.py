"""Lesson 00: a first slider, to prove that widgets render.

The panels come first, then the exercise checkers:
checkers for lesson 00's warm-up exercises.
"""

from __future__ import annotations

import html
import importlib

import matplotlib.pyplot as plt
import numpy as np

from ..data import brightest_pixel
from ..ui.widgets import Panel
from . import solutions
from ._check import Exercise, _Shown, progress
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

    return Panel(fig, update, {"gamma": slider("contrast (gamma)", 1.0, 0.2, 3.0, 0.1)},
                 animated=[shown, right.title], describe=describe)


def course_map():
    """Every lesson's exercises, each marked done once you have passed it on this machine.

    Passed exercises are remembered in a small file (``cnnlab.lessons._check.progress_file()``);
    rerun the cell to see the map again.

    Returns
    -------
    object
        A table in a notebook, plain text elsewhere.

    Examples
    --------
    >>> "lesson00.check_invert" in repr(course_map())
    True
    """
    done, rows = progress(), []
    for number in range(12):
        module = importlib.import_module(f"cnnlab.lessons.lesson{number:02d}")
        for attr, checker in vars(module).items():
            if attr.startswith("check_") and (isinstance(checker, Exercise) or getattr(
                    checker, "__module__", "") == module.__name__):
                task = getattr(checker, "task", None) or (checker.__doc__ or "").split("\n")[0]
                rows.append((f"lesson{number:02d}.{attr}", task.replace("``", ""),
                             bool(done.get(getattr(checker, "key", None)))))
    head = f"{sum(d for *_, d in rows)} of {len(rows)} exercises done"
    text = "\n".join([head] + [f"{'[x]' if d else '[ ]'} {name}: {task}"
                                for name, task, d in rows])
    cells = "".join(f"<tr><td>{'&#10004; done' if d else ''}</td><td><code>{name}</code></td>"
                    f"<td>{html.escape(task)}</td></tr>" for name, task, d in rows)
    return _Shown(text, f"<p><b>{head}</b></p><table><tr><th>done</th><th>checker</th>"
                        f"<th>your function</th></tr>{cells}</table>")


# ---- Exercise checkers ----------------------------------------------------------------------
# Float images that are not full-range (so 255 - image, image.max() - image and 1 - image all
# differ), rectangular (so rows and columns cannot be confused), and a uint8 image as MNIST
# stores it (so wrap-around and overflow mistakes show up).

_FLOAT = np.array([[12.0, 40.0, 200.0, 7.5],
                   [90.0, 31.0, 64.0, 150.0],
                   [3.0, 120.0, 18.0, 77.0]])
_UINT8 = np.array([[0, 255, 17], [128, 3, 250]], dtype=np.uint8)
_TIED = np.array([[1.0, 5.0, 2.0, 0.0, 3.0, 4.0],
                  [2.0, 0.0, 6.0, 1.0, 9.0, 3.0],
                  [4.0, 1.0, 0.0, 5.0, 2.0, 7.0],
                  [3.0, 9.0, 1.0, 2.0, 0.0, 5.0],
                  [0.0, 2.0, 8.0, 4.0, 1.0, 6.0]])      # two brightest pixels: (1, 4) and (3, 1)
_SINGLE = np.array([[0.1, 0.5, 0.2], [0.3, 0.2, 0.9], [0.4, 0.0, 0.6], [0.8, 0.7, 0.1]])
_DARK = _SINGLE - 1.0                  # every pixel negative: no pixel beats a start of 0
_EDGE = np.array([[0.1, 0.3, 0.9], [0.2, 0.4, 0.8], [0.5, 0.0, 0.7]])   # the two brightest in
                                                                         # the last column
_TIED3 = np.array([[1.0, 2.0, 0.0, 9.0],
                   [9.0, 3.0, 4.0, 0.5],
                   [2.0, 1.0, 9.0, 3.0]])     # three brightest: (0, 3), (1, 0), (2, 2): the
#                                               first by rows is not the first by columns
_LAST = np.array([[0.2, 0.4, 0.1], [0.3, 0.0, 0.5], [0.6, 0.2, 0.95]])   # in the last row


_ROUNDED = ("you rounded the pixels to whole numbers (astype(int) or np.uint8); a float pixel "
            "7.5 becomes 247.5")


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
    (lambda image: 255 - np.floor(image), _ROUNDED),
    (lambda image: np.floor(255 - image), _ROUNDED),
    (lambda image: 255 - np.round(image), _ROUNDED),
    (lambda image: image + 255, "you added 255; the negative subtracts: 255 - image"),
    (lambda image: 254 - image, "254 - image is one too dark: white 255 must become 0"),
    (lambda image: 255 - image + 1, "255 - image + 1 is one too bright (and wraps around in "
                                    "uint8): white 255 must become 0"),
    (lambda image: 255 - image / 255, "you divided the pixels by 255 first; these run 0..255: "
                                      "255 - image"),
    (lambda image: 255 * (1 - image), "255 * (1 - image) inverts a 0..1 image and scales it to "
                                      "0..255; these pixels already run 0..255: 255 - image"),
    (lambda image: image[::-1], "you reversed the order of the rows (a mirror image); the "
                                "negative changes each pixel's value: 255 - image"),
    (lambda image: image[::-1, ::-1], "you flipped the image around; the negative changes each "
                                      "pixel's value, not its place: 255 - image"),
    (lambda image: 255 - image.mean() + 0 * image, "you subtracted the image's mean from 255 "
                                                   "(one number for every pixel); subtract "
                                                   "each pixel: 255 - image"),
    (lambda image: np.full(np.shape(image), 255.0) - image.max(),
     "every pixel got 255 - the brightest value (one number); subtract each pixel: "
     "255 - image"),
    (lambda image: 255 / (image + 1), "you divided; the negative subtracts: 255 - image"),
    (lambda image: (255 - image) / 255, "you divided by 255, which scales the negative to "
                                        "0..1; the exercise keeps the 0..255 scale: "
                                        "255 - image"),
    (lambda image: 1 - image / 255, "1 - image / 255 is the negative scaled to 0..1; the "
                                    "exercise keeps the 0..255 scale: 255 - image"),
    (lambda image: (255 - image).astype(np.int8),
     "int8 holds -128..127 only, so 255 - 12 = 243 wrapped around to -13: keep the result as "
     "it comes (255 - image), or as float"),
    (lambda image: (255 - image.astype(np.int64)).astype(np.int8),
     "int8 holds -128..127 only, so 255 - 12 = 243 wrapped around to -13: keep the result as "
     "it comes (255 - image), or as float"),
]
INVERT_EXCEPTIONS = [
    (IndexError, "out of bounds",
     "your loops ran past this image's edge: did you loop over a fixed size such as range(28)? "
     "This image is not 28x28: loop over range(image.shape[0]) rows and "
     "range(image.shape[1]) columns, or write 255 - image for every pixel at once"),
    (OverflowError, None, "a uint8 pixel holds 0..255 only, so 256 does not fit; the "
                          "negative is 255 - image (255 - 0 = 255, 255 - 255 = 0)"),
    (TypeError, "invert", "np.invert and ~ flip the bits of whole numbers; they fail on "
                          "float pixels: write 255 - image"),
    (TypeError, "bad operand type for unary ~", "~ flips the bits of whole numbers; it fails "
                                                "on float pixels: write 255 - image"),
]


check_invert = Exercise(
    "invert", "invert(image) turns a 0..255 image into its negative, 255 - image",
    cases=[(_FLOAT,), (_UINT8,)], right=lambda image: 255 - image, mistakes=INVERT_MISTAKES,
    exception_hints=INVERT_EXCEPTIONS, exact_types=True,
    passed="invert: correct, on a float image and a uint8 image",
    idea="white 255 must become 0 and black 0 must become 255: subtract every pixel from the "
         "largest value a pixel can hold (not from this image's largest); arithmetic on an "
         "array acts on every pixel at once",
    solution=solutions.invert,
    why="cnnlab.data.negative does the same subtraction, with white as a parameter")


def _first_brightest(image):
    return tuple(int(i) for i in np.unravel_index(np.argmax(image), image.shape))


def _skipping_row_0(image):
    """Loops over rows 1.. with image[0, 0] as the starting best: row 0 is seen only there."""
    rest = image[1:]
    if rest.size == 0 or rest.max() <= image[0, 0]:
        return (0, 0)
    row, col = _first_brightest(rest)
    return (row + 1, col)


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
     "you divided the flat index by the number of rows (or gave np.unravel_index the shape "
     "reversed); a row holds image.shape[1] pixels: np.unravel_index(flat, image.shape)"),
    (lambda im: tuple(int(i) + 1 for i in _first_brightest(im)), "NumPy counts rows and "
                                                                 "columns from 0, not 1"),
    (lambda im: np.nonzero(im == im.max()), "np.nonzero / np.where give every brightest "
                                            "pixel; return only the first, as (row, col)"),
    (lambda im: _first_brightest(im)[:1], "that is only the row; return (row, col)"),
    (lambda im: np.argwhere(im == im.max()), "np.argwhere gives every brightest pixel; return "
                                             "only the first, as (row, col)"),
    (lambda im: im.max(), "that is the brightest value; return where it is: (row, col)"),
    (lambda im: _first_brightest(im) if im.max() > 0 else (0, 0),
     "you started from best = 0, but in this image every pixel is negative, so none beats it: "
     "start from the first pixel (or -np.inf), or use np.argmax"),
    (lambda im: _first_brightest(np.abs(im)), "you looked for the largest absolute value "
                                               "(np.abs): in this image of negative pixels "
                                               "the brightest is the one nearest 0"),
    (lambda im: tuple(int(i) for i in np.unravel_index(np.argsort(im, axis=None,
                                                                  kind="stable")[-2], im.shape)),
     "that is the second-brightest pixel: np.argsort(...)[-2] is one before the last; "
     "np.argmax gives the brightest"),
    (lambda im: divmod(int(np.argmax(im)), 28),
     "you divided the flat index by 28, MNIST's width; a row of this image holds "
     "image.shape[1] pixels (not 28): np.unravel_index(flat, image.shape)"),
    (lambda im: (int(np.argmax(im)) / im.shape[1], int(np.argmax(im)) % im.shape[1]),
     "your row is a fraction: / divides exactly, so flat / image.shape[1] is not a whole "
     "number; the row is flat // image.shape[1] (floor division), or use np.unravel_index"),
    (_skipping_row_0,
     "your search skips row 0 (range(1, ...)?): of the first row only your starting value "
     "image[0, 0] is seen, so a brightest pixel elsewhere in row 0 is missed; range(h) "
     "starts at row 0"),
    (lambda im: _first_brightest(im[:, :-1]), "your search stops before the last column "
                                               "(range(image.shape[1] - 1)?); range(w) goes "
                                               "through column w - 1, the last one"),
    (lambda im: _first_brightest(im[:-1]), "your search stops before the last row "
                                           "(range(image.shape[0] - 1)?); range(h) goes "
                                           "through row h - 1, the last one"),
    (lambda im: tuple(int(i) for i in np.unravel_index(np.argmax(im.T), im.T.shape))[::-1],
     "where pixels tie for the brightest you returned the first one column by column (a "
     "search of image.T, or loops with the column outside); the first counts row by row, as "
     "np.argmax(image) reads it: np.unravel_index(np.argmax(image), image.shape)"),
    (lambda im: tuple(int(i) for i in np.unravel_index(np.argmax(im.T), im.T.shape)),
     "you searched the image transposed (column by column) and returned its (column, row); "
     "search image itself: np.unravel_index(np.argmax(image), image.shape)"),
]


check_brightest = Exercise(
    "brightest", "brightest(image) returns (row, col) of the brightest pixel (the first one)",
    cases=[(_TIED,), (_SINGLE,), (_DARK,), (_LAST,), (_EDGE,), (_TIED3,)],
    right=_first_brightest,
    mistakes=BRIGHTEST_MISTAKES, exact_types=True,
    passed="brightest: correct, (1, 4) is the first of two brightest pixels (the other is at "
           "(3, 1))",
    idea="find the position of the largest value as if the rows were one long line (the flat "
         "index, the first one on a tie), then turn that one number into a row and a column: "
         "a row holds image.shape[1] pixels",
    solution=brightest_pixel, why="np.argmax then np.unravel_index, as the exercise says")
