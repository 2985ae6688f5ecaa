"""Lesson 03: the sliding window, cell by cell; the convolution-arithmetic cases, live.

Panels first, then the exercise checkers:
the output size with stride, and a whole convolution as loops.
"""

from __future__ import annotations

import textwrap

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .._validate import check_int
from ..conv import conv2d, conv_output_size
from ..plotting import SIGNED_CMAP, annotate_values
from ..ui.widgets import Panel
from . import _mistakes03 as M
from . import solutions
from ._check import Exercise
from ._common import KERNELS, cell_ticks, digit, dropdown, first_of, set_cell_texts, slider


def sliding_window(size=8, kernel_name="Sobel x (vertical edges)"):
    """Move the kernel over a small crop of a digit: patch, kernel, products and output cell.

    Parameters
    ----------
    size : int
        Side of the crop (the input).
    kernel_name : str
        A key of the preset kernels.

    Returns
    -------
    cnnlab.ui.widgets.Panel
        With a ``position`` slider (and a Play button linked to it).

    Examples
    --------
    >>> panel = sliding_window()
    >>> before = panel.live.widget.value
    >>> panel.controls["position"].value = 7
    >>> panel.live.widget.value != before
    True
    """
    size = check_int(size, "size", minimum=3)
    if size > 18:
        raise ValueError(f"size must be 3..18 (a crop of the 28-pixel digit from row 10), got "
                         f"{size}")
    if not isinstance(kernel_name, str) or kernel_name not in KERNELS:
        raise ValueError(f"kernel_name must be one of {sorted(KERNELS)}, got {kernel_name!r}")
    image, label = digit(first_of(4))
    crop = np.round(image[10:10 + size, 8:8 + size], 1)
    kernel = KERNELS[kernel_name]
    out = conv2d(crop, kernel)
    oh, ow = out.shape
    # Every position's products and the growing output, worked out once: a move only looks up.
    products_at = [crop[i:i + 3, j:j + 3] * kernel for i in range(oh) for j in range(ow)]
    order = np.arange(out.size).reshape(out.shape)
    partial_at = [np.where(order <= position, out, np.nan) for position in range(oh * ow)]
    fig, axes = plt.subplots(1, 4, figsize=(8.8, 3.2), layout="constrained",
                             width_ratios=[1.25, 0.8, 0.8, 1.25])
    ax_in, ax_k, ax_p, ax_out = axes
    in_shown = ax_in.imshow(crop, cmap="gray", vmin=0, vmax=1)
    annotate_values(ax_in, crop, fmt="{:.1f}", image=in_shown, fontsize=8)
    ax_in.set(title=f"input: {size}x{size} crop of a {label}", xlabel="column j",
              ylabel="row i")
    window = ax_in.add_patch(plt.Rectangle((-0.5, -0.5), 3, 3, fill=False, ec="tab:orange",
                                           lw=2.5))
    k_shown = ax_k.imshow(kernel, cmap=SIGNED_CMAP, vmin=-2, vmax=2)
    annotate_values(ax_k, kernel, fmt="{:.0f}", image=k_shown, fontsize=10)
    ax_k.set(title="kernel", xlabel="column b", ylabel="row a")
    products_shown = ax_p.imshow(np.zeros((3, 3)), cmap=SIGNED_CMAP, vmin=-2, vmax=2)
    product_texts = annotate_values(ax_p, np.zeros((3, 3)), fmt="{:.1f}", fontsize=10)
    ax_p.set(xlabel="column b", ylabel="row a")
    limit = np.abs(out).max()
    out_shown = ax_out.imshow(np.full(out.shape, np.nan), cmap=SIGNED_CMAP, vmin=-limit,
                              vmax=limit)
    fig.colorbar(out_shown, ax=ax_out, label="output value", fraction=0.046, pad=0.04)
    cell = ax_out.add_patch(plt.Rectangle((-0.5, -0.5), 1, 1, fill=False, ec="tab:orange",
                                          lw=2.5))
    ax_out.set(xlabel="column j", ylabel="row i")
    for ax, n, m in ((ax_in, size, size), (ax_k, 3, 3), (ax_p, 3, 3), (ax_out, oh, ow)):
        cell_ticks(ax, n, m)

    def update(position):
        i, j = divmod(position, ow)
        window.set_xy((j - 0.5, i - 0.5))
        products = products_at[position]
        products_shown.set_data(products)
        set_cell_texts(product_texts, products, products_shown, "{:.1f}")
        ax_p.set_title(f"patch x kernel\nsum = {products.sum() + 0.0:.1f}")
        out_shown.set_data(partial_at[position])
        cell.set_xy((j - 0.5, i - 0.5))
        ax_out.set_title(f"output\nout[{i}, {j}] = {out[i, j] + 0.0:.1f}")

    def describe(position):
        i, j = divmod(position, ow)
        patch = crop[i:i + 3, j:j + 3]
        return (f"The {kernel_name} kernel over the {size}x{size} crop of a {label}, window at "
                f"row {i}, column {j} (position {position + 1} of {oh * ow}): patch rows "
                + "; ".join(" ".join(f"{v:.1f}" for v in row) for row in patch)
                + f". Products sum to out[{i}, {j}] = {out[i, j] + 0.0:.1f}; the {oh}x{ow} "
                f"output is filled up to this cell.")

    position = slider("window position", 0, 0, oh * ow - 1)
    panel = Panel(fig, update, {"position": position}, describe=describe,
                  animated=[window, products_shown, *product_texts, ax_p.title, out_shown,
                            cell, ax_out.title])
    play = widgets.Play(value=0, min=0, max=oh * ow - 1, interval=400, description="play")
    widgets.jslink((play, "value"), (position, "value"))
    panel.extra.append(play)
    return panel


# Dumoulin & Visin, "A guide to convolution arithmetic for deep learning" (2016), section 2-5.
ARITHMETIC_CASES = {
    "no padding, unit stride (n=4, k=3)": dict(n=4, k=3, s=1, p=0, d=1),
    "arbitrary padding (n=5, k=4, p=2)": dict(n=5, k=4, s=1, p=2, d=1),
    "half / 'same' padding (n=5, k=3, p=1)": dict(n=5, k=3, s=1, p=1, d=1),
    "full padding (n=5, k=3, p=2)": dict(n=5, k=3, s=1, p=2, d=1),
    "no padding, stride 2 (n=5, k=3)": dict(n=5, k=3, s=2, p=0, d=1),
    "padding and stride (n=5, k=3, s=2, p=1)": dict(n=5, k=3, s=2, p=1, d=1),
    "odd: padding, stride, leftover (n=6, k=3, s=2, p=1)": dict(n=6, k=3, s=2, p=1, d=1),
    "dilation 2 (n=7, k=3, d=2)": dict(n=7, k=3, s=1, p=0, d=2),
}


CUSTOM_CASE = "custom (set by the sliders)"


def arithmetic_panel():
    """Stride, padding and dilation sliders with the output-size formula, on a grid picture.

    The dark cells are the input (two dark shades, as a checkerboard, so that each cell
    shows), the pale ones around it the padding (at p = 0 there are none, and every cell is
    the input's); the red dots mark where the
    kernel's taps land at its first position, the orange squares every position's top-left
    tap.  Settings that do not fit show the reason instead of a picture.  Moving a slider
    switches the case menu to "custom".

    Returns
    -------
    cnnlab.ui.widgets.Panel

    Examples
    --------
    >>> panel = arithmetic_panel()
    >>> before = panel.live.widget.value
    >>> panel.controls["stride"].value = 2
    >>> panel.live.widget.value != before
    True
    >>> panel.controls["case"].value == CUSTOM_CASE
    True
    >>> panel.controls["kernel"].value = 7       # does not fit: the reason is shown
    >>> "does not fit" in panel.message
    True
    """
    fig = plt.figure(figsize=(8.8, 5.0), layout="constrained")
    grid_spec = fig.add_gridspec(2, 2, width_ratios=[1.4, 1], height_ratios=[4, 1])
    ax = fig.add_subplot(grid_spec[0, 0])
    ax_out = fig.add_subplot(grid_spec[0, 1])
    ax_msg = fig.add_subplot(grid_spec[1, :])
    ax_msg.axis("off")
    grid_shown = ax.imshow(np.zeros((9, 9)), cmap="Blues", vmin=0, vmax=2)
    taps = ax.plot([], [], "o", color="tab:red", ms=8, label="kernel taps (first position)")[0]
    starts = ax.plot([], [], "s", mfc="none", mec="tab:orange", mew=2, ms=13,
                     label="top-left tap of each position")[0]
    ax_msg.legend(handles=[taps, starts], loc="upper right", fontsize=9, frameon=False)
    message = ax_msg.text(0.0, 1.0, "", va="top", ha="left", fontsize=10,
                          transform=ax_msg.transAxes)
    ax.set(xticks=[], yticks=[])
    out_shown = ax_out.imshow(np.zeros((3, 3)), cmap="Greens", vmin=0, vmax=1)
    ax_out.set(xticks=[], yticks=[])
    controls = {
        "case": dropdown("case", [*ARITHMETIC_CASES, CUSTOM_CASE], width="440px"),
        "size": slider("input n", 4, 2, 9),
        "kernel": slider("kernel k", 3, 1, 7),
        "stride": slider("stride s", 1, 1, 3),
        "padding": slider("padding p", 0, 0, 3),
        "dilation": slider("dilation d", 1, 1, 3),
    }

    def update(case, size, kernel, stride, padding, dilation):
        total = size + 2 * padding
        ax.set_title(f"input {size}x{size} (dark cells), padding {padding} (pale cells)"
                     if padding else f"input {size}x{size} (every cell), no padding")
        grid_shown.set_extent((-0.5, total - 0.5, total - 0.5, -0.5))
        checker = np.indices((total, total)).sum(axis=0) % 2 * 0.15   # cells visible
        grid = np.full((total, total), 0.35) + checker
        grid[padding:padding + size, padding:padding + size] += 0.65
        grid_shown.set_data(grid)                # the same grid whether the kernel fits or not
        try:
            out = conv_output_size(size, kernel, stride, padding, dilation)
        except ValueError as error:
            show_message(f"does not fit: {error}")
            taps.set_data([], [])
            starts.set_data([], [])
            out_shown.set_data(np.zeros((1, 1)))
            ax_out.set_title("output: none")
            return
        ty, tx = np.meshgrid(np.arange(kernel) * dilation, np.arange(kernel) * dilation,
                             indexing="ij")
        taps.set_data(tx.ravel(), ty.ravel())
        sy, sx = np.meshgrid(np.arange(out) * stride, np.arange(out) * stride, indexing="ij")
        starts.set_data(sx.ravel(), sy.ravel())
        out_shown.set_data(0.45 + 0.2 * (np.indices((out, out)).sum(axis=0) % 2))
        out_shown.set_extent((-0.5, out - 0.5, out - 0.5, -0.5))
        ax_out.set_title(f"output: {out}x{out}")
        formula = (f"n_out = (n + 2p - d(k-1) - 1) // s + 1 = ({size} + {2 * padding} - "
                   f"{dilation * (kernel - 1)} - 1) // {stride} + 1 = {out}")
        leftover = (total - dilation * (kernel - 1) - 1) % stride
        if leftover:
            formula += (f"\n{leftover} padded row(s) and column(s) left over at the bottom "
                        f"and right: the floor rule drops them")
        show_message(formula)

    def show_message(text):
        message.set_text("\n".join(textwrap.fill(line, 70) for line in text.split("\n")))
        if panel is not None:
            panel.message = text

    # Picking a case sets the five sliders; moving a slider switches the case to "custom".
    names = {"size": "n", "kernel": "k", "stride": "s", "padding": "p", "dilation": "d"}
    cases = {case: {name: settings[key] for name, key in names.items()}
             for case, settings in ARITHMETIC_CASES.items()}
    panel = None                          # update runs once inside Panel(), before it returns
    def describe(case, size, kernel, stride, padding, dilation):
        return (f"Convolution arithmetic ({case}): input {size}x{size}, kernel {kernel}, "
                f"stride {stride}, padding {padding}, dilation {dilation}. "
                f"{ax_out.get_title()}. " + message.get_text().replace("\n", " "))

    panel = Panel(fig, update, controls, animated=[message, ax.title, ax_out.title],
                  presets={"case": (cases, CUSTOM_CASE)}, describe=describe)
    panel.message = message.get_text()
    return panel


def flip_figure():
    """Cross-correlation (what CNNs compute) against true convolution, on a single bright pixel.

    Cross-correlation stamps the kernel rotated by 180 degrees (upside down *and* mirrored
    left to right); convolution, which rotates the kernel first, stamps it as it is.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = flip_figure()
    >>> len(fig.axes) >= 4
    True
    >>> plt.close(fig)
    """
    image = np.zeros((5, 5))
    image[2, 2] = 1.0                      # a single bright pixel: an "impulse"
    kernel = np.arange(1.0, 10.0).reshape(3, 3)
    correlation = conv2d(image, kernel, padding=1)
    convolution = conv2d(image, kernel[::-1, ::-1], padding=1)
    fig, axes = plt.subplots(1, 4, figsize=(8.6, 3.2), layout="constrained", dpi=96)
    panels = [(image, "input:\none bright pixel"), (kernel, "kernel"),
              (correlation, "cross-correlation\n(CNNs): rotated 180°"),
              (convolution, "convolution\n(true): kernel as is")]
    for ax, (array, title) in zip(axes, panels, strict=True):
        shown = ax.imshow(array, cmap="viridis", vmin=0, vmax=9)
        annotate_values(ax, array, fmt="{:.0f}", image=shown, fontsize=9)
        ax.set(title=title, xlabel="column j", ylabel="row i")
        cell_ticks(ax, *array.shape)
    fig.colorbar(shown, ax=axes, label="value", shrink=0.8)
    return fig


# ---- Exercise checkers (their mistake catalogues: _mistakes03) -------------------------------

check_output_size = Exercise(
    "output_size", "output_size(n, k, s, p): the number of positions of a k-wide kernel "
    "along an n-pixel side padded by p, at stride s",
    cases=[(28, 5, 1, 2), (7, 3, 2, 0), (5, 3, 2, 1), (6, 3, 2, 1), (10, 4, 3, 0), (8, 3, 3, 0),
           (4, 5, 2, 0)],                # the last: the kernel does not fit, 0 positions
    right=lambda n, k, s, p: (n + 2 * p - k) // s + 1, mistakes=M.OUTPUT_SIZE_MISTAKES,
    exact_types=True,
    passed="output_size: correct on 7 cases (with leftovers, and a kernel that does not fit)",
    idea="count the positions of the kernel's first row: the padded input is n + 2p long, the "
         "last start that fits is n + 2p - k, and starts are s apart, counting the first one",
    solution=solutions.output_size_strided,
    why="cnnlab.conv_output_size counts the same way, with dilation as well")


_LOOPS = "this exercise asks for loops: compute each output cell yourself, not with {}"

check_conv2d = Exercise(
    "conv2d_loop",
    "conv2d_loop(image, kernel, stride): a valid cross-correlation of image with kernel at a "
    "stride, with loops",
    cases=M.CONV_CASES, right=lambda im, k, s: conv2d(im, k, stride=s), mistakes=M.CONV_MISTAKES,
    exception_hints=M.CONV_EXCEPTIONS, exact_types=True,
    forbidden=[(f, _LOOPS.format(f)) for f in (
        "conv2d", "conv_forward", "conv_forward_loop", "conv2d_loop", "im2col", "correlate2d",
        "convolve2d", "correlate", "convolve", "fftconvolve", "sliding_window_view",
        "as_strided")],
    passed="conv2d_loop: correct for strides 1 to 3, a 3x3 and a 2x3 kernel, on a 7x8 image, "
           "a 5x6 int image and a 6x7 one of large pixels (float64 kept every digit)",
    idea="make the output array first, (H - kh) // s + 1 rows and (W - kw) // s + 1 columns "
         "of floats; then for each output cell (i, j) take the patch that starts at row i*s and "
         "column j*s, kh rows by kw columns, and add up patch * kernel",
    solution=solutions.conv2d_loop,
    why="cnnlab.conv.conv_forward_loop runs these loops for a batch of images and filters")
