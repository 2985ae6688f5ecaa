"""Lesson 01: a digit as numbers, and a 3x3 kernel you edit by hand.

Panels first, then the exercise checkers:
making a kernel, and applying it at one position.
"""

from __future__ import annotations

from fractions import Fraction

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .._validate import check_index
from ..conv import box_kernel, conv2d
from ..data import load_mnist_subset
from ..plotting import SIGNED_CMAP, annotate_values, show_image
from ..ui.widgets import Panel
from . import solutions
from ._check import Exercise
from ._common import KERNELS, cell_ticks, digit, dropdown, first_of, text_colour

OUTPUT_SCALE = 1.0
"""The kernel editor's output colours run from -1 (blue) to +1 (red), as far from 0 as the input's
brightest pixel (the input runs 0..1), and saturate beyond: an output brighter than the input is
visibly too bright."""


def kernel_editor(index=None):
    """Pick a preset kernel or type the nine weights ("1/9" too); the filtered digit redraws.

    Parameters
    ----------
    index : int, optional
        Which shipped test digit (default: the first 7).

    Returns
    -------
    cnnlab.ui.widgets.Panel
        The output's colour scale is fixed at -1..+1 (:data:`OUTPUT_SCALE`), so a kernel that
        brightens the image shows saturated colours; the title gives the true range.  The
        kernel's colours are its weights over the largest |weight| (its title gives that
        number), so neither colour bar changes while you edit.

    Examples
    --------
    >>> panel = kernel_editor()
    >>> before = panel.live.widget.value
    >>> panel.controls["preset"].value = "sharpen"
    >>> panel.live.widget.value != before
    True
    >>> panel.controls["k11"].value = "1/9"      # typing a weight switches to 'custom'
    >>> panel.controls["preset"].value
    'custom'
    """
    if index is not None:
        check_index(index, "index", len(load_mnist_subset().test_images), "a test image's number")
    image, label = digit(first_of(7) if index is None else index)
    fig, (ax_in, ax_k, ax_out) = plt.subplots(1, 3, figsize=(8.8, 3.3), layout="constrained",
                                              width_ratios=[1, 0.8, 1])
    show_image(ax_in, image, f"input: a {label}", cmap="gray", colorbar_label="pixel value")
    # The kernel's colours are its weights divided by the largest |weight| (a fixed -1..+1
    # scale: the colour bar never changes); its title gives that largest |weight|.
    kernel_shown = ax_k.imshow(np.zeros((3, 3)), cmap=SIGNED_CMAP, vmin=-1, vmax=1)
    ax_k.set(title="kernel (3x3)\nlargest |weight| 0.00", xlabel="column b", ylabel="row a")
    cell_ticks(ax_k, 3, 3)
    fig.colorbar(kernel_shown, ax=ax_k, label="weight / largest |weight|", fraction=0.046,
                 pad=0.04)
    texts = annotate_values(ax_k, np.zeros((3, 3)), fmt="{:.2f}", fontsize=9)
    out_shown = show_image(ax_out, conv2d(image, KERNELS["identity"], padding="same"),
                           "output", cmap=SIGNED_CMAP, vmin=-OUTPUT_SCALE, vmax=OUTPUT_SCALE,
                           colorbar_label="response (clipped at ±1)")
    # Text boxes, not FloatText: a browser's number box turns a typed "1/9" into 19.
    boxes = {f"k{i}{j}": widgets.Text(value=_fraction(KERNELS["identity"][i, j]),
                                      description=f"[{i},{j}]", continuous_update=False,
                                      layout=widgets.Layout(width="150px"),
                                      style={"description_width": "42px"})
             for i in range(3) for j in range(3)}
    controls = {"preset": dropdown("preset", [*KERNELS, "custom"], "identity"), **boxes}
    kernel = np.array(KERNELS["identity"])                 # the last weights that could be read

    def update(preset, **entries):
        unread = [f"[{key[1]},{key[2]}] = {text!r}" for key, text in entries.items()
                  if _weight(text) is None]
        for key, text in entries.items():
            if _weight(text) is not None:
                kernel[int(key[1]), int(key[2])] = _weight(text)
        scale = np.abs(kernel).max()
        kernel_shown.set_data(kernel / scale if scale > 0 else kernel)
        for text, value in zip(texts, kernel.ravel(), strict=True):
            text.set_text(_number(value))
            text.set_color(text_colour(kernel_shown, value / scale if scale > 0 else 0.0))
        ax_k.set_title("kernel (3x3)\n" + (f"not a number: {unread[0]}" if unread else
                                           f"largest |weight| {_number(scale)}"))
        out = conv2d(image, kernel, padding="same")
        out_shown.set_data(out)
        ax_out.set_title(f"output ({preset})\nrange {out.min() + 0.0:.2f} to "
                         f"{out.max() + 0.0:.2f}")

    # Picking a preset fills in the nine boxes; typing in a box switches to "custom".
    presets = {name: {f"k{i}{j}": _fraction(value) for (i, j), value in np.ndenumerate(weights)}
               for name, weights in KERNELS.items()}
    names = [f"k{i}{j}" for i in range(3) for j in range(3)]

    def describe(preset, **entries):
        # Called just after update with the same values: its kernel and output, not again.
        out = np.asarray(out_shown.get_array())
        rows = "; ".join(" ".join(_number(v) for v in row) for row in kernel)
        return (f"A {label} filtered by the {preset} kernel (rows: {rows}). The 28x28 output "
                f"ranges from {out.min() + 0.0:.2f} to {out.max() + 0.0:.2f}, "
                f"{int((out > 0.05).sum())} cells above 0.05 and {int((out < -0.05).sum())} "
                f"below -0.05.")

    return Panel(fig, update, controls, describe=describe,
                 animated=[kernel_shown, ax_k.title, *texts, out_shown, ax_out.title],
                 presets={"preset": (presets, "custom")},
                 rows=[["preset"], names[0:3], names[3:6], names[6:9]])


def _fraction(weight):
    """A weight as a learner would type it: "1/9", "-2", "0.5"."""
    return str(Fraction(float(weight)).limit_denominator(1000))


def _number(value):
    """A weight's label, short enough for its cell: "0.11", "-4.00", "1e+06" (never "-0")."""
    return f"{value + 0.0:.2f}" if abs(value) < 1000 else f"{value:.0e}"


def _weight(text):
    """A typed weight ("1/9", "0.25", "-3", "1e6") as a float; None when it is not a number."""
    try:
        value = float(Fraction(text.strip()))
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    return value if np.isfinite(value) else None


FIGURE_KERNELS = ["box blur", "sharpen", "Sobel x (vertical edges)",
                  "Sobel y (horizontal edges)", "Laplacian (outline)"]
"""The hand-made kernels :func:`kernels_figure` applies, in its order."""


def kernels_figure(index=None):
    """The input digit and what each hand-made kernel makes of it (2 rows of 3 panels).

    Parameters
    ----------
    index : int, optional
        Which shipped test digit (default: the first 7).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = kernels_figure()
    >>> [ax.get_title() for ax in fig.axes[:6]][-1]
    'output: Laplacian (outline)'
    >>> plt.close(fig)
    """
    if index is not None:
        check_index(index, "index", len(load_mnist_subset().test_images), "a test image's number")
    image, label = digit(first_of(7) if index is None else index)
    fig, axes = plt.subplots(2, 3, figsize=(8.6, 5.7), layout="constrained", dpi=96)
    show_image(axes[0, 0], image, f"input: a {label}", cmap="gray",
               colorbar_label="pixel value")
    for ax, name in zip(axes.flat[1:], FIGURE_KERNELS, strict=True):
        show_image(ax, conv2d(image, KERNELS[name], padding="same"), f"output: {name}",
                   signed=True, colorbar_label="response")
    return fig


# ---- Exercise checkers ----------------------------------------------------------------------

_ZEROS = ("every weight is 0: 1/9 became 0 (floor division // or an integer dtype); divide with "
          "/ and keep floats")

BOX_BLUR_MISTAKES = [
    (lambda: np.ones((3, 3)), "these weights sum to 9, so the image gets 9 times brighter: "
                              "divide by 9"),
    (lambda: np.full((3, 3), 1 / 3), "these weights sum to 3: an average of 9 pixels divides "
                                     "by 9"),
    (lambda: np.full((3, 3), 1 / 8), "these weights sum to 9/8: an average of 9 pixels (the "
                                     "centre too) divides by 9"),
    (lambda: 1 / 9, "that is one number; return the 3x3 array of weights, "
                    "np.full((3, 3), 1 / 9)"),
    (lambda: np.full(9, 1 / 9), "that is a flat list of 9 weights; the kernel is a 3x3 array "
                                "(np.full((3, 3), 1 / 9))"),
    (lambda: np.zeros((3, 3)), _ZEROS),
    (lambda: np.full((5, 5), 1 / 25), "that is a 5x5 blur; the exercise asks for 3x3"),
    (lambda: KERNELS["identity"], "that is the identity kernel: it copies each pixel instead "
                                  "of averaging its neighbourhood"),
    (lambda: np.full((3, 3), 0.11), "0.11 is 1/9 rounded, so the weights sum to 0.99 and the "
                                    "image darkens a little: write 1 / 9"),
    (lambda: np.full((3, 3), 0.111), "0.111 is 1/9 rounded, so the weights sum to 0.999: "
                                     "write 1 / 9"),
    (lambda: np.eye(3) / 3, "only the diagonal has weights; a box blur averages all 9 pixels "
                            "under it: np.full((3, 3), 1 / 9)"),
    (lambda: np.full((3, 3), 9.0), "weights of 9 make the image 81 times brighter; each weight "
                                   "is 1/9"),
    (lambda: np.full((1, 9), 1 / 9), "that is a 1x9 row; the kernel is 3x3"),
    (lambda: 1.0, "that is the sum of the weights (1); return the 3x3 array of weights"),
    (lambda: np.eye(3), "only the diagonal has weights; a box blur averages all 9 pixels"),
    (lambda: np.full((3, 3), 0.1), "0.1 is not 1/9: nine weights of 0.1 sum to 0.9 and darken "
                                   "the image"),
    (lambda: np.full((2, 2), 1 / 4), "that is a 2x2 blur; the exercise asks for 3x3"),
    (lambda: np.full((4, 4), 1 / 16), "that is a 4x4 blur; the exercise asks for 3x3"),
    (lambda: np.array([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]) / 16,
     "that is a Gaussian blur (weights 1-2-1, the centre counts most); a box blur weighs all "
     "9 pixels the same, 1/9 each"),
    (lambda: np.where(np.arange(9).reshape(3, 3) == 4, 0.0, 1 / 8),
     "you left out the centre pixel (1/8 around a 0); the average includes it: 9 weights of "
     "1/9"),
    (lambda: np.full((3, 3), -1 / 9), "these weights are -1/9: the image would turn negative; "
                                      "an average uses +1/9"),
    (lambda: np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]]),
     "that is a sharpen kernel (its weights sum to 1 but are not equal); a box blur is 9 "
     "weights of 1/9"),
    (lambda: np.full((3, 3, 1), 1 / 9), "that is a 3x3x1 array; the kernel is 2-D, 3x3: "
                                        "np.full((3, 3), 1 / 9)"),
]

check_box_blur = Exercise(
    "make_box_blur", "make_box_blur() returns the 3x3 kernel that averages a pixel's "
    "neighbourhood", cases=[()], right=lambda: np.full((3, 3), 1 / 9),
    mistakes=BOX_BLUR_MISTAKES, exact_types=True,
    passed="make_box_blur: correct, nine weights of 1/9 (they sum "
                                       "to 1)",
    idea="an average of 9 numbers adds them up and divides by 9: the kernel multiplies each of "
         "the 9 pixels by the same weight, and the 9 weights must add up to 1",
    solution=box_kernel, why="the same kernel for any size")


# Fractional and negative pixels (so rounding the sum shows), inside positions (so a centred
# or swapped patch also fits).
_IMAGE = np.round(np.random.default_rng(1).uniform(-2, 10, size=(6, 7)), 2)
_KERNEL = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0], [1.0, 0.5, -2.0]])
_POSITIONS = [(1, 2), (2, 1), (3, 2)]


def _right_apply_at(image, kernel, i, j):
    return np.sum(image[i:i + 3, j:j + 3] * kernel)


_ROUNDED = "you rounded the sum to a whole number (int() or round()); the output cell is a float"

APPLY_AT_MISTAKES = [
    (lambda im, k, i, j: im[i + 1, j + 1] * k[1, 1],
     "you multiplied the centre pixel by the centre weight only; the output cell adds all 9 "
     "products, patch * kernel summed: np.sum(image[i:i + 3, j:j + 3] * kernel)"),
    (lambda im, k, i, j: np.sum(im[i:i + 2, j:j + 2] * k[:2, :2]),
     "your patch is 2x2 (a slice or range(2) one short): the end of a slice is left out, so "
     "image[i:i + 3, j:j + 3] is the 3 rows and 3 columns starting at (i, j), and range(3) "
     "goes 0, 1, 2"),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k.astype(int)),
     "you rounded the kernel's weights to whole numbers (astype(int) or int()): 0.5 became 0; "
     "use the weights as they are"),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k[::-1, ::-1]),
     "you flipped the kernel: a CNN multiplies patch[a, b] by kernel[a, b]"),
    (lambda im, k, i, j: np.sum(im[i - 1:i + 2, j - 1:j + 2] * k),
     "you centred the patch on (i, j); here (i, j) is the patch's top-left corner: "
     "image[i:i + 3, j:j + 3]"),
    (lambda im, k, i, j: np.sum(im[j:j + 3, i:i + 3] * k),
     "you swapped i and j: i is the row (first index), j the column: image[i:i + 3, j:j + 3]"),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k.T),
     "you transposed the kernel: patch[a, b] goes with kernel[a, b]"),
    (lambda im, k, i, j: im[i:i + 3, j:j + 3] * k,
     "those are the nine products; the output cell is their sum: np.sum(patch * kernel)"),
    (lambda im, k, i, j: np.mean(im[i:i + 3, j:j + 3] * k),
     "that is the mean of the products; the output cell is their sum"),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3]),
     "you added up the pixels without multiplying by the kernel's weights"),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] @ k),
     "@ is a matrix product; the kernel multiplies the patch element by element: "
     "np.sum(patch * kernel)"),
    (lambda im, k, i, j: int(_right_apply_at(im, k, i, j)), _ROUNDED),
    (lambda im, k, i, j: round(_right_apply_at(im, k, i, j)), _ROUNDED),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k, axis=0),
     "np.sum(..., axis=0) adds up each column, giving 3 numbers; leave out axis to add all 9"),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] + k),
     "you added the kernel to the patch; multiply them element by element, then add up"),
    (lambda im, k, i, j: np.max(im[i:i + 3, j:j + 3] * k),
     "that is the largest product; the output cell is the sum of all nine"),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k[::-1]),
     "you turned the kernel upside down (k[::-1]); patch[a, b] goes with kernel[a, b]"),
    (lambda im, k, i, j: np.sum(np.round(im[i:i + 3, j:j + 3]) * k),
     "you rounded the pixels to whole numbers; use them as they are"),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k, axis=1),
     "np.sum(..., axis=1) adds up each row, giving 3 numbers; leave out axis to add all 9"),
    (lambda im, k, i, j: abs(_right_apply_at(im, k, i, j)),
     "you took the absolute value of the sum; a weighted sum can be negative and stays so"),
    (lambda im, k, i, j: max(_right_apply_at(im, k, i, j), 0.0),
     "a negative sum became 0: that is a ReLU (lesson 04), not part of the output cell"),
    (lambda im, k, i, j: _right_apply_at(im, k, *_POSITIONS[0]),
     f"every call gave the cell at {_POSITIONS[0]}: use the arguments i and j, "
     "image[i:i + 3, j:j + 3]"),
    (lambda im, k, i, j: _right_apply_at(im, k, i, j + 1),
     "your patch starts one column to the right (j + 1); its top-left corner is column j"),
    (lambda im, k, i, j: _right_apply_at(im, k, i + 1, j),
     "your patch starts one row down (i + 1); its top-left corner is row i"),
    (lambda im, k, i, j: _right_apply_at(im, np.abs(k), i, j),
     "you used the kernel's absolute values (np.abs); its negative weights stay negative"),
    (lambda im, k, i, j: _right_apply_at(np.maximum(im, 0), k, i, j),
     "you set the negative pixels to 0 first; use the image as it is"),
    (lambda im, k, i, j: np.sum((im[i:i + 3, j:j + 3] * k) ** 2),
     "you squared the products; the output cell is their plain sum"),
]
APPLY_AT_EXCEPTIONS = [
    (ValueError, "(2,2) (3,3)", "your patch is 2x2: the end of a slice is excluded, so "
                                "image[i:i + 3] takes the 3 rows i, i+1, i+2"),
    (ValueError, "(4,4) (3,3)", "your patch is 4x4: image[i:i + 3] already takes 3 rows "
                                "(i, i+1, i+2)"),
    (ValueError, "broadcast", "your patch is not 3x3, so it cannot be multiplied by the "
                              "kernel: cut image[i:i + 3, j:j + 3] ((i, j) is its top-left "
                              "corner)"),
]


check_apply_at = Exercise(
    "apply_at", "apply_at(image, kernel, i, j): the output cell whose 3x3 patch starts at (i, j)",
    cases=[*((_IMAGE, _KERNEL, i, j) for i, j in _POSITIONS), (_IMAGE, -_KERNEL, 1, 2)],
    right=_right_apply_at,
    mistakes=APPLY_AT_MISTAKES, exception_hints=APPLY_AT_EXCEPTIONS, exact_types=True,
    passed="apply_at: correct at four positions of a 6x7 image",
    idea="cut out the 3x3 patch whose top-left corner is row i, column j (a slice of 3 rows and "
         "3 columns), multiply it by the kernel element by element, and add up the 9 products",
    solution=solutions.apply_at,
    why="lesson 03's conv2d_loop runs these two lines for every (i, j) of the output")

