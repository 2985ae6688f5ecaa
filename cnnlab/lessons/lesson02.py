"""Lesson 02: padding width and mode on a digit, with the size of the following convolution.

Panels first, then the exercise checkers:
padding by stacking, and the size after padding and convolution.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..conv import conv_output_size
from ..padding import PAD_MODES, pad
from ..widgets import Panel
from ._check import CheckResult, compare_arrays, run_cases, run_function
from ._common import digit, dropdown, first_of, slider


def padding_panel(kernel_size=5):
    """Width and mode sliders: the padded digit, and what a following convolution would output.

    Parameters
    ----------
    kernel_size : int
        The kernel of the convolution that follows (its output size is shown).

    Returns
    -------
    cnnlab.widgets.Panel

    Examples
    --------
    >>> panel = padding_panel()
    >>> before = panel.live.widget.value
    >>> panel.controls["width"].value = 4
    >>> panel.live.widget.value != before
    True
    """
    image, label = digit(first_of(2))
    fig, (ax_in, ax_out) = plt.subplots(1, 2, figsize=(8, 3.8), layout="constrained", dpi=72)
    ax_in.imshow(image, cmap="gray", vmin=0, vmax=1, extent=(-0.5, 27.5, 27.5, -0.5))
    ax_in.set(title=f"input: a {label}, 28x28", xlabel="column j", ylabel="row i",
              xlim=(-8.5, 35.5), ylim=(35.5, -8.5))
    shown = ax_out.imshow(image, cmap="gray", vmin=0, vmax=1)
    frame = ax_out.add_patch(plt.Rectangle((-0.5, -0.5), 28, 28, fill=False, ec="tab:red",
                                           lw=1.5, label="original image"))
    ax_out.legend(loc="lower right", fontsize=8)
    ax_out.set(xlabel="column j", ylabel="row i")
    fig.colorbar(shown, ax=ax_out, label="pixel value")

    def update(width, mode):
        padded = pad(image, width, mode=mode)
        size = padded.shape[0]
        shown.set_data(padded)
        shown.set_extent((-0.5 - width, 27.5 + width, 27.5 + width, -0.5 - width))
        ax_out.set(xlim=(-8.5, 35.5), ylim=(35.5, -8.5))
        frame.set_xy((-0.5, -0.5))
        out = conv_output_size(28, kernel_size, padding=width)
        ax_out.set_title(f"output: padded ({mode}), {size}x{size}\n"
                         f"a {kernel_size}x{kernel_size} conv then gives {out}x{out} "
                         f"= 28 + 2*{width} - {kernel_size} + 1")

    return Panel(fig, update, {"width": slider("padding width p", 2, 0, 8),
                               "mode": dropdown("mode", sorted(PAD_MODES), "zero")})


def modes_figure(width=6):
    """The same digit padded by ``width`` in every mode, side by side.

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
    5
    >>> plt.close(fig)
    """
    image, _ = digit(first_of(2))
    modes = ["zero", "reflect", "edge", "wrap"]
    fig, axes = plt.subplots(1, 4, figsize=(11, 3.2), layout="constrained")
    for ax, mode in zip(axes, modes, strict=True):
        shown = ax.imshow(pad(image, width, mode=mode), cmap="gray", vmin=0, vmax=1)
        ax.add_patch(plt.Rectangle((width - 0.5, width - 0.5), 28, 28, fill=False,
                                   ec="tab:red", lw=1))
        ax.set(title=f"output: mode='{mode}'", xlabel="column j", ylabel="row i")
    fig.colorbar(shown, ax=axes, label="pixel value", shrink=0.8)
    fig.suptitle(f"padding width {width}; red frame = the original 28x28 input")
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
    sizes = [size]
    while len(sizes) <= layers and sizes[-1] >= kernel_size:
        sizes.append(sizes[-1] - kernel_size + 1)
    return sizes


__all__ = ["padding_panel", "modes_figure", "shrinking_sizes"]


# ---- Exercise checkers ----------------------------------------------------------------------

_IMAGE = np.arange(1.0, 13.0).reshape(3, 4)


def check_pad_by_stacking(pad_by_stacking):
    """``pad_by_stacking(image, p)``: zeros around a 2-D image with vstack/hstack.

    Parameters
    ----------
    pad_by_stacking : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_pad_by_stacking(lambda im, p: np.pad(im, p)).passed
    True
    >>> print(check_pad_by_stacking(lambda im, p: np.pad(im, ((p, p), (0, 0)))))
    NOT YET pad_by_stacking: you added the rows but not the columns: hstack columns of H + 2p zeros
    """
    for p in (1, 2):
        answer, failure = run_function(pad_by_stacking, _IMAGE, p, name="pad_by_stacking")
        if failure is not None:
            return failure
        result = compare_arrays(answer, np.pad(_IMAGE, p), "pad_by_stacking", [
            (np.pad(_IMAGE, ((p, p), (0, 0))), "you added the rows but not the columns: "
                                               "hstack columns of H + 2p zeros"),
            (np.pad(_IMAGE, ((0, 0), (p, p))), "you added the columns but not the rows"),
            (np.pad(_IMAGE, ((p, 0), (p, 0))), "you padded only the top and the left: "
                                               "pad both sides"),
            (np.pad(_IMAGE, 2 * p), "that frame is 2p wide: p zeros go on EACH side"),
        ])
        if not result:
            return result
    return CheckResult(True, "pad_by_stacking: correct for p = 1 and 2")


def check_output_size(output_size):
    """``output_size(n, k, p)``: the side of a k x k conv's output on an n x n image padded by p.

    Parameters
    ----------
    output_size : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_output_size(lambda n, k, p: n + 2 * p - k + 1).passed
    True
    >>> print(check_output_size(lambda n, k, p: n + p - k + 1))
    NOT YET output_size: padding p adds p pixels on EACH side: n + 2p - k + 1
    """
    cases = [(28, 5, 0), (28, 5, 2), (7, 3, 1), (10, 4, 3)]
    answers, failure = run_cases(output_size, cases, "output_size")
    if failure is not None:
        return failure
    expected = [n + 2 * p - k + 1 for n, k, p in cases]
    return compare_arrays(answers, np.array(expected, dtype=float),
                          "output_size", [
        (np.array([n + p - k + 1 for n, k, p in cases]), "padding p adds p pixels on EACH "
                                                         "side: n + 2p - k + 1"),
        (np.array([n + 2 * p - k for n, k, p in cases]), "off by one: a kernel fits "
                                                         "n - k + 1 times in n pixels"),
        (np.array([n + 2 * p for n, k, p in cases]), "that is the padded size; the kernel "
                                                     "then removes k - 1"),
    ])
