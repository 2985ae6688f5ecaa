"""Lesson 02: padding width and mode on a digit, with the size of the following convolution."""

from __future__ import annotations

import matplotlib.pyplot as plt

from ..conv import conv_output_size
from ..padding import PAD_MODES, pad
from ..widgets import Panel
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
