"""Lesson 02: padding width and mode on a digit, with the size of the following convolution.

Panels first, then the exercise checkers:
padding by stacking, and the size after padding and convolution.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .._validate import check_int
from ..conv import conv_output_size
from ..padding import PAD_MODES, pad, pad_by_stacking
from ..ui.widgets import Panel
from . import solutions
from ._check import CheckResult, Exercise, _used_names, show_value
from ._common import digit, dropdown, first_of, slider

CONSTANT_VALUE = 0.5
"""The grey that ``constant`` mode fills the frame with in this lesson's figures (``zero`` is
``constant`` with 0: black)."""


def border_digit():
    """A 2 cropped to its ink (16 x 20): its strokes touch all four borders, so every padding
    mode fills the frame differently (a whole MNIST digit has a blank border, where zero, edge
    and constant padding would all look alike).

    Returns
    -------
    numpy.ndarray, shape (16, 20)
        float64 pixels in [0, 1].

    Examples
    --------
    >>> image = border_digit()
    >>> image.shape
    (16, 20)
    >>> all(edge.max() > 0.3 for edge in (image[0], image[-1], image[:, 0], image[:, -1]))
    True
    """
    image, _ = digit(first_of(2))
    return image[7:23, 4:24]


def _padded(image, width, mode):
    value = CONSTANT_VALUE if mode == "constant" else 0.0
    return pad(image, width, mode=mode, value=value)


def padding_panel(kernel_size=5):
    """Width and mode controls: the padded digit, and what a following convolution would output.

    Parameters
    ----------
    kernel_size : int
        The kernel of the convolution that follows (its output size is shown).

    Returns
    -------
    cnnlab.ui.widgets.Panel

    Examples
    --------
    >>> panel = padding_panel()
    >>> before = panel.live.widget.value
    >>> panel.controls["width"].value = 4
    >>> panel.live.widget.value != before
    True
    """
    kernel_size = check_int(kernel_size, "kernel_size", minimum=1)
    if kernel_size > 16:
        raise ValueError(f"kernel_size must be at most 16 (it must fit the 16-pixel-tall digit "
                         f"unpadded), got {kernel_size}")
    image = border_digit()
    h, w = image.shape
    fig, (ax_in, ax_out) = plt.subplots(1, 2, figsize=(8.4, 4.2), layout="constrained")
    limits = dict(xlim=(-8.5, w + 7.5), ylim=(h + 7.5, -8.5))
    ax_in.imshow(image, cmap="gray", vmin=0, vmax=1, extent=(-0.5, w - 0.5, h - 0.5, -0.5))
    ax_in.set(title=f"input: a 2 cropped to {h}x{w}", xlabel="column j", ylabel="row i",
              **limits)
    shown = ax_out.imshow(image, cmap="gray", vmin=0, vmax=1)
    frame = ax_out.add_patch(plt.Rectangle((-0.5, -0.5), w, h, fill=False, ec="tab:orange",
                                           lw=2, label="the input"))
    ax_out.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=9)
    ax_out.set(xlabel="column j", ylabel="row i")
    fig.colorbar(shown, ax=ax_out, label="pixel value")
    ax_out.set(**limits)                  # fixed limits: set_extent leaves them alone

    def update(width, mode):
        padded = _padded(image, width, mode)
        shown.set_data(padded)
        shown.set_extent((-0.5 - width, w - 0.5 + width, h - 0.5 + width, -0.5 - width))
        out_h = conv_output_size(h, kernel_size, padding=width)
        out_w = conv_output_size(w, kernel_size, padding=width)
        what = f"constant {CONSTANT_VALUE}" if mode == "constant" else mode
        ax_out.set_title(f"padded ({what}): {padded.shape[0]}x{padded.shape[1]}\n"
                         f"a {kernel_size}x{kernel_size} conv then gives {out_h}x{out_w}")

    def describe(width, mode):
        padded = _padded(image, width, mode)
        border = np.ones(padded.shape, dtype=bool)
        border[width:width + h, width:width + w] = False
        out = conv_output_size(h, kernel_size, padding=width)
        if width:
            padding = (f"padded by {width} on every side in {mode} mode: "
                       f"{padded.shape[0]}x{padded.shape[1]}, the orange frame marks the input; "
                       f"the padding's mean value is {padded[border].mean():.2f}")
        else:                                     # p = 0: no padding, whatever the mode
            padding = (f"not padded (p = 0, so the {mode} mode adds nothing): "
                       f"{padded.shape[0]}x{padded.shape[1]}, the orange frame is the image's "
                       f"own edge")
        return (f"A 2 cropped to {h}x{w}, {padding}. A {kernel_size}x"
                f"{kernel_size} convolution then gives {out}x"
                f"{conv_output_size(w, kernel_size, padding=width)}.")

    # Opens at p = 0 (p = 2 answers the question above the panel); the default mode first.
    modes = [*FIGURE_MODES, *(m for m in PAD_MODES if m not in FIGURE_MODES)]
    return Panel(fig, update, {"width": slider("padding width p", 0, 0, 8),
                               "mode": dropdown("mode", modes, "zero")},
                 animated=[shown, frame, ax_out.title], describe=describe)


FIGURE_MODES = ["zero", "constant", "reflect", "edge", "wrap"]
"""The modes :func:`modes_figure` shows, in its order."""


def modes_figure(width=4):
    """The border-touching digit, and the same digit padded by ``width`` in every mode.

    Parameters
    ----------
    width : int
        Padding width on every side.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = modes_figure()
    >>> len(fig.axes)
    7
    >>> plt.close(fig)
    """
    width = check_int(width, "width", minimum=1)
    if width > 15:
        raise ValueError(f"width must be 1..15 (reflect padding must be narrower than the "
                         f"16-pixel-tall digit), got {width}")
    image = border_digit()
    h, w = image.shape
    fig, axes = plt.subplots(2, 3, figsize=(8.6, 5.3), layout="constrained", dpi=96)
    axes[0, 0].imshow(image, cmap="gray", vmin=0, vmax=1,
                      extent=(-0.5, w - 0.5, h - 0.5, -0.5))
    axes[0, 0].set(title=f"input ({h}x{w})")
    for ax, mode in zip(axes.flat[1:], FIGURE_MODES, strict=True):
        shown = ax.imshow(_padded(image, width, mode), cmap="gray", vmin=0, vmax=1,
                          extent=(-width - 0.5, w - 0.5 + width, h - 0.5 + width,
                                  -width - 0.5))
        ax.add_patch(plt.Rectangle((-0.5, -0.5), w, h, fill=False, ec="tab:orange", lw=1.5))
        what = f" ({CONSTANT_VALUE})" if mode == "constant" else ""
        ax.set_title(f"mode='{mode}'{what}")
    for ax in axes.flat:
        ax.set(xlabel="column j", ylabel="row i")
    fig.colorbar(shown, ax=axes, label="pixel value", shrink=0.6)
    fig.suptitle(f"padding width {width}; orange frame = the input")
    return fig


def shrinking_sizes(size=28, kernel_size=5, layers=5):
    """Image size after each of ``layers`` unpadded convolutions.

    Parameters
    ----------
    size : int
        Side of the (square) image.
    kernel_size : int
        Side of the (square) kernel.
    layers : int
        How many convolutions to apply.

    Examples
    --------
    >>> shrinking_sizes(28, 5, 3)
    [28, 24, 20, 16]
    """
    size = check_int(size, "size", minimum=1)
    kernel_size = check_int(kernel_size, "kernel_size", minimum=1)
    layers = check_int(layers, "layers", minimum=0)
    sizes = [size]
    while len(sizes) <= layers and sizes[-1] >= kernel_size:
        sizes.append(sizes[-1] - kernel_size + 1)
    return sizes


__all__ = ["padding_panel", "modes_figure", "shrinking_sizes"]


# ---- Exercise checkers ----------------------------------------------------------------------
# Fractional, negative and zero pixels (so rounding them shows), rectangular images (so H and W
# cannot be confused), p = 0 to 3.

_IMAGE = np.array([[0.5, -1.25, 2.0, 0.0], [3.75, 0.0, -0.5, 1.5], [2.25, 4.0, -3.0, 0.25]])
_WIDE = np.array([[1.5, 0.0, -2.5, 7.25, 0.75], [-0.5, 3.0, 0.0, 1.0, 2.5]])


PAD_MISTAKES = [
    (lambda im, p: np.pad(im, ((p, p), (0, 0))), "you added the rows but not the columns: "
                                                 "hstack columns of H + 2p zeros"),
    (lambda im, p: np.pad(im, ((0, 0), (p, p))), "you added the columns but not the rows: "
                                                 "vstack p rows of zeros above and below"),
    (lambda im, p: np.pad(im, ((p, 0), (p, 0))), "you padded only the top and the left: "
                                                 "p zeros go on both sides"),
    (lambda im, p: np.pad(im, ((0, p), (0, p))), "you padded only the bottom and the right: "
                                                 "p zeros go on both sides"),
    (lambda im, p: np.pad(im, 2 * p), "that frame is 2p wide: p zeros go on EACH side"),
    (lambda im, p: np.pad(im, ((p, p), (2 * p, 2 * p))),
     "your zero columns are 2p wide on each side (4p columns in all); p columns go on each "
     "side: np.zeros((H + 2p, p)) left and right"),
    (lambda im, p: np.pad(im, ((2 * p, 2 * p), (p, p))),
     "your zero rows are 2p tall above and below (4p rows in all); p rows go on each side: "
     "np.zeros((p, W)) above and below"),
    (lambda im, p: np.pad(im, ((min(p, im.shape[0]),) * 2, (min(p, im.shape[1]),) * 2)),
     "with p larger than the image your zeros are too few: image[:p] has at most H rows (and "
     "[:, :p] at most W columns), so np.zeros_like(image[:p]) is only H rows tall when p > H; "
     "make the zero rows np.zeros((p, W)) and the columns np.zeros((H + 2p, p))"),
    (lambda im, p: np.pad(im, 1), "you always padded by 1; use the argument p"),
    (lambda im, p: np.pad(im, p, constant_values=1.0), "that frame is made of ones; padding "
                                                       "adds zeros (np.zeros)"),
    (lambda im, p: np.pad(np.trunc(im), p), "you rounded the pixels to whole numbers "
                                            "(astype(int)); padding keeps them as they are"),
    (lambda im, p: np.pad(im, p + 1), "that frame is p + 1 wide: p zeros on each side"),
    (lambda im, p: np.pad(im, p, mode="edge"), "that frame repeats the border pixels (edge "
                                               "mode); pad_by_stacking adds zeros"),
    (lambda im, p: np.pad(im, ((p, 0), (p, p))), "you put zeros above but not below: p rows "
                                                 "go above and p below"),
    (lambda im, p: np.pad(im, ((0, p), (p, p))), "you put zeros below but not above: p rows "
                                                 "go above and p below"),
    (lambda im, p: np.zeros(np.add(im.shape, 2 * p)), "the frame is right but the image is "
                                                      "gone: it goes in the middle"),
    (lambda im, p: im, "you returned the image unchanged"),
    (lambda im, p: np.pad(im, ((p, p), (p, 0))), "you put zero columns on the left but not on "
                                                 "the right: p on each side"),
    (lambda im, p: np.pad(im, ((p, p), (0, p))), "you put zero columns on the right but not on "
                                                 "the left: p on each side"),
    (lambda im, p: np.pad(im, p, constant_values=im.mean()), "that frame holds the image's "
                                                             "mean; padding adds zeros"),
    (lambda im, p: np.pad(im, p) if p else np.zeros_like(im),
     "with p = 0 your answer is all zeros: out[p:-p] is empty when p = 0 (-0 is 0); this "
     "exercise asks you to stack the zeros on (np.vstack, np.hstack), not to fill a zeros "
     "array by slicing"),
    (lambda im, p: np.pad(im, p, constant_values=-1.0), "that frame is made of -1s; padding "
                                                        "adds zeros (np.zeros)"),
    (lambda im, p: np.pad(np.abs(im), p), "you took the absolute value of the pixels "
                                          "(np.abs); padding keeps them as they are"),
    (lambda im, p: np.pad(np.maximum(im, 0), p), "the image's negative pixels became 0; "
                                                 "padding keeps them as they are"),
    (lambda im, p: np.pad(im[:, ::-1], p), "the image is mirrored left to right inside the "
                                           "frame: hstack [zeros, image, zeros] in that order"),
    (lambda im, p: np.pad(im[::-1], p), "the image is upside down inside the frame: vstack "
                                        "[zeros, image, zeros] in that order"),
]
PAD_EXCEPTIONS = [
    (ValueError, "into shape (0,0)", "out[p:-p, p:-p] is empty when p = 0 (-0 is 0, so the "
                                     "slice stops before it starts); this exercise asks you "
                                     "to stack the zeros on (np.vstack, np.hstack), not to "
                                     "fill a zeros array by slicing"),
    (ValueError, "along dimension 0", "your zero columns have the wrong height: after the "
                                      "rows are stacked on, the image is H + 2p tall, so "
                                      "the columns must be np.zeros((H + 2 * p, p))"),
    (ValueError, "along dimension 1", "your zero rows have the wrong width: they must be as "
                                      "wide as the image, np.zeros((p, W)) with "
                                      "W = image.shape[1] (this image is not square)"),
]
_NO_PAD = ("this exercise asks you to glue the zeros on with np.vstack and np.hstack, as the "
           "seed does, not to call {}")

_STACKING = {"vstack", "hstack", "concatenate", "stack", "block", "column_stack", "row_stack",
             "dstack", "append", "r_", "c_"}


class _StackingExercise(Exercise):
    """pad_by_stacking: right values are not enough, the zeros must be stacked on (the task
    names np.vstack and np.hstack); an answer whose code stacks nothing, filling a zeros array
    by slicing, is refused by name, read from its code as the forbidden calls are."""

    def verdict(self, answer, check=None):
        result = super().verdict(answer, check)
        if result.passed and not _used_names(answer) & _STACKING:
            return CheckResult(False, f"{self.name}: the values are right, but your code stacks "
                                      f"nothing: you filled a zeros array by slicing (what "
                                      f"np.pad does for you); this exercise asks you to glue "
                                      f"the zeros on with np.vstack and np.hstack, as the "
                                      f"seed does")
        return result


check_pad_by_stacking = _StackingExercise(
    "pad_by_stacking", "pad_by_stacking(image, p): zeros around a 2-D image with vstack/hstack, "
    "not np.pad", cases=[(_IMAGE, 1), (_IMAGE, 2), (_WIDE, 3), (_WIDE, 0)],
    right=lambda im, p: np.pad(im, p), mistakes=PAD_MISTAKES, exception_hints=PAD_EXCEPTIONS,
    forbidden=[("pad", _NO_PAD.format("np.pad or cl.pad")),
               ("pad_by_stacking", _NO_PAD.format("cnnlab's pad_by_stacking")),
               ("copyMakeBorder", _NO_PAD.format("cv2.copyMakeBorder"))],
    describe=lambda im, p: f"image={show_value(im)}, p={p}", exact_types=True,
    passed="pad_by_stacking: correct for p = 0 to 3 on a 3x4 and a 2x5 image",
    idea="first put p rows of zeros, as wide as the image, above and below it; the result is "
         "H + 2p tall, so the columns of zeros you then put left and right are H + 2p tall",
    solution=pad_by_stacking, why="the seed's method, as cnnlab keeps it")


OUTPUT_SIZE_MISTAKES = [
    (lambda n, k, p: n + 2 * p - (k - 1) // 2,
     "you subtracted (k - 1) // 2, half of what the kernel removes: a k-wide kernel fits "
     "n - k + 1 times, so it removes k - 1 pixels in all (k // 2 on each side, for odd k): "
     "n + 2p - k + 1"),
    (lambda n, k, p: (n + 2) * p - k + 1,
     "you multiplied (n + 2) by p: * comes before +, so write n + 2 * p - k + 1 (2p is added "
     "to n)"),
    (lambda n, k, p: n + 2 ** p - k + 1, "2 ** p is 2 to the power p; padding adds 2 * p "
                                         "(p pixels on each side): n + 2 * p - k + 1"),
    (lambda n, k, p: min(n, n + 2 * p - k + 1),
     "you capped the size at n, but padding can make the output larger than the input: "
     "n + 2p - k + 1 as it is"),
    (lambda n, k, p: n + p - k + 1, "padding p adds p pixels on EACH side: n + 2p - k + 1"),
    (lambda n, k, p: n + 2 * p - k, "off by one: a kernel fits n - k + 1 times in n pixels"),
    (lambda n, k, p: n + 2 * p, "that is the padded size; the kernel then removes k - 1"),
    (lambda n, k, p: n - k + 1, "you left out the padding: it adds 2p"),
    (lambda n, k, p: n + 2 * p - k - 1, "off by two: the kernel removes k - 1 pixels, so add "
                                        "1 back: n + 2p - k + 1"),
    (lambda n, k, p: n + 2 * p + k - 1, "the kernel shrinks the output: subtract k - 1, do "
                                        "not add it"),
    (lambda n, k, p: (n + 2 * p - k + 1) ** 2, "that is the number of output cells; the "
                                               "function returns the side"),
    (lambda n, k, p: n - 2 * p - k + 1, "padding makes the image bigger: + 2p"),
    (lambda n, k, p: n, "that is the input's size, which the output keeps only with 'same' "
                        "padding, p = (k - 1) / 2: n + 2p - k + 1"),
    (lambda n, k, p: n + 2 * p - 2 * (k // 2), "k // 2 on each side is right only for odd k "
                                               "(this case has k = 4): the kernel removes "
                                               "k - 1 pixels"),
    (lambda n, k, p: n + 2 * p - k // 2, "the kernel removes k - 1 pixels, not k // 2: "
                                         "n + 2p - k + 1"),
    (lambda n, k, p: (n + 2 * p - k) // 2 + 1, "there is no stride here (it is 1): do not "
                                               "divide, n + 2p - k + 1"),
    (lambda n, k, p: n * 2 * p - k + 1, "padding adds 2p pixels, it does not multiply: "
                                        "n + 2p - k + 1"),
    (lambda n, k, p: n + 2 * k - p + 1, "k and p are swapped: n + 2p - k + 1"),
    (lambda n, k, p: (n + 2 * p - k + 1,) * 2, "return one number, the side (the output is "
                                               "square)"),
    (lambda n, k, p: n + p - k, "p goes on EACH side (+ 2p), and a kernel fits n - k + 1 "
                                "times: n + 2p - k + 1"),
    (lambda n, k, p: n + 2 * p - k + 2, "one too many: the kernel removes k - 1 pixels, so "
                                        "n + 2p - (k - 1) = n + 2p - k + 1"),
]

check_output_size = Exercise(
    "output_size", "output_size(n, k, p): the side of a k x k conv's output on an n x n image "
    "padded by p", cases=[(28, 5, 0), (28, 5, 2), (7, 3, 1), (10, 4, 3), (9, 4, 0)],
    right=lambda n, k, p: n + 2 * p - k + 1, mistakes=OUTPUT_SIZE_MISTAKES, exact_types=True,
    passed="output_size: correct on 5 cases",
    idea="pad first: the image is then n + 2p pixels wide; count the positions where a k-wide "
         "kernel fits in that, the first one included",
    solution=solutions.output_size_padded,
    why="cnnlab.conv_output_size counts the same way, with a stride and dilation as well")
