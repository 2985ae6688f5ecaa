"""Lesson 03: the sliding window, cell by cell; the convolution-arithmetic cases, live.

Panels first, then the exercise checkers:
the output size with stride, and a whole convolution as loops.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..conv import conv2d, conv_output_size
from ..plotting import SIGNED_CMAP, annotate_values
from ..widgets import Panel
from ._check import CheckResult, compare_arrays, run_cases, run_function
from ._common import KERNELS, digit, dropdown, first_of, slider


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
    cnnlab.widgets.Panel
        With a ``position`` slider (and a Play button linked to it).

    Examples
    --------
    >>> panel = sliding_window()
    >>> before = panel.live.widget.value
    >>> panel.controls["position"].value = 7
    >>> panel.live.widget.value != before
    True
    """
    image, label = digit(first_of(4))
    crop = np.round(image[10:10 + size, 8:8 + size], 1)
    kernel = KERNELS[kernel_name]
    out = conv2d(crop, kernel)
    oh, ow = out.shape
    fig, axes = plt.subplots(1, 4, figsize=(13, 3.6), layout="constrained", dpi=72,
                             width_ratios=[1.3, 0.75, 0.75, 1.1])
    ax_in, ax_k, ax_p, ax_out = axes
    ax_in.imshow(crop, cmap="gray", vmin=0, vmax=1)
    annotate_values(ax_in, crop, fmt="{:.1f}", fontsize=6)
    ax_in.set(title=f"input: {size}x{size} crop of a {label}", xlabel="column j",
              ylabel="row i")
    window = ax_in.add_patch(plt.Rectangle((-0.5, -0.5), 3, 3, fill=False, ec="tab:red", lw=2))
    ax_k.imshow(kernel, cmap=SIGNED_CMAP, vmin=-2, vmax=2)
    annotate_values(ax_k, kernel, fmt="{:.0f}")
    ax_k.set(title="kernel", xticks=range(3), yticks=range(3))
    products_shown = ax_p.imshow(np.zeros((3, 3)), cmap=SIGNED_CMAP, vmin=-2, vmax=2)
    product_texts = annotate_values(ax_p, np.zeros((3, 3)), fmt="{:.1f}")
    ax_p.set(xticks=range(3), yticks=range(3))
    limit = np.abs(out).max()
    out_shown = ax_out.imshow(np.full(out.shape, np.nan), cmap=SIGNED_CMAP, vmin=-limit,
                              vmax=limit)
    fig.colorbar(out_shown, ax=ax_out, label="output value")
    cell = ax_out.add_patch(plt.Rectangle((-0.5, -0.5), 1, 1, fill=False, ec="tab:red", lw=2))
    ax_out.set(xlabel="column j", ylabel="row i")

    def update(position):
        i, j = divmod(position, ow)
        window.set_xy((j - 0.5, i - 0.5))
        patch = crop[i:i + 3, j:j + 3]
        products = patch * kernel
        products_shown.set_data(products)
        for text, value in zip(product_texts, products.ravel(), strict=True):
            text.set_text(f"{value:.1f}")
        ax_p.set_title(f"patch x kernel, sum = {products.sum():.1f}")
        partial = np.full(out.shape, np.nan)
        partial.flat[:position + 1] = out.flat[:position + 1]
        out_shown.set_data(partial)
        cell.set_xy((j - 0.5, i - 0.5))
        ax_out.set_title(f"output: out[{i}, {j}] = {out[i, j]:.1f}")

    position = slider("window position", 0, 0, oh * ow - 1)
    panel = Panel(fig, update, {"position": position})
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


def arithmetic_panel():
    """Stride, padding and dilation sliders with the output-size formula, on a grid picture.

    The blue squares are the input, grey the padding; the red dots mark where the kernel's
    taps land at its first position, the outlined cells every position's top-left corner.
    Settings that do not fit show the reason instead of a picture.

    Returns
    -------
    cnnlab.widgets.Panel

    Examples
    --------
    >>> panel = arithmetic_panel()
    >>> before = panel.live.widget.value
    >>> panel.controls["stride"].value = 2
    >>> panel.live.widget.value != before
    True
    >>> panel.controls["kernel"].value = 7       # does not fit: the reason is shown
    >>> "does not fit" in panel.message
    True
    """
    fig, (ax, ax_out) = plt.subplots(1, 2, figsize=(10, 4.2), layout="constrained", dpi=72,
                                     width_ratios=[1.4, 1])
    grid_shown = ax.imshow(np.zeros((9, 9)), cmap="Blues", vmin=0, vmax=2)
    taps = ax.plot([], [], "o", color="tab:red", ms=9, label="kernel taps (first position)")[0]
    starts = ax.plot([], [], "s", mfc="none", mec="tab:orange", ms=14,
                     label="top-left tap of each position")[0]
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=8, ncol=2)
    ax.set(xticks=[], yticks=[])
    out_shown = ax_out.imshow(np.zeros((3, 3)), cmap="Greens", vmin=0, vmax=1)
    ax_out.set(xticks=[], yticks=[])
    controls = {
        "case": dropdown("case", list(ARITHMETIC_CASES), width="420px"),
        "size": slider("input n", 4, 2, 9),
        "kernel": slider("kernel k", 3, 1, 5),
        "stride": slider("stride s", 1, 1, 3),
        "padding": slider("padding p", 0, 0, 3),
        "dilation": slider("dilation d", 1, 1, 3),
    }
    panel = None

    def update(case, size, kernel, stride, padding, dilation):
        total = size + 2 * padding
        try:
            out = conv_output_size(size, kernel, stride, padding, dilation)
        except ValueError as error:
            panel_message(str(error))
            grid = np.zeros((total, total))
            grid[padding:padding + size, padding:padding + size] = 1
            grid_shown.set_data(grid)
            grid_shown.set_extent((-0.5, total - 0.5, total - 0.5, -0.5))
            taps.set_data([], [])
            starts.set_data([], [])
            out_shown.set_data(np.zeros((1, 1)))
            ax_out.set_title("output: none")
            return
        checker = np.indices((total, total)).sum(axis=0) % 2 * 0.15   # cells visible
        grid = np.full((total, total), 0.35) + checker
        grid[padding:padding + size, padding:padding + size] = 1 + checker[
            padding:padding + size, padding:padding + size]
        grid_shown.set_data(grid)
        grid_shown.set_extent((-0.5, total - 0.5, total - 0.5, -0.5))
        ty, tx = np.meshgrid(np.arange(kernel) * dilation, np.arange(kernel) * dilation,
                             indexing="ij")
        taps.set_data(tx.ravel(), ty.ravel())
        sy, sx = np.meshgrid(np.arange(out) * stride, np.arange(out) * stride, indexing="ij")
        starts.set_data(sx.ravel(), sy.ravel())
        out_shown.set_data(0.45 + 0.2 * (np.indices((out, out)).sum(axis=0) % 2))
        out_shown.set_extent((-0.5, out - 0.5, out - 0.5, -0.5))
        ax_out.set_title(f"output: {out}x{out}")
        formula = (f"(n + 2p - d(k-1) - 1) // s + 1 = ({size} + {2 * padding} - "
                   f"{dilation * (kernel - 1)} - 1) // {stride} + 1 = {out}")
        leftover = (total - dilation * (kernel - 1) - 1) % stride
        if leftover:
            formula += f"\n({leftover} padded row(s)/column(s) left over: the floor rule)"
        panel_message(formula)

    def panel_message(text):
        ax.set_title(f"input {controls['size'].value}x{controls['size'].value} "
                     f"(blue) + padding (light)\n{text}", fontsize=9)
        if panel is not None:
            panel.message = text

    panel = Panel(fig, update, controls)
    panel.message = ax.get_title()

    def on_case(change):
        settings = ARITHMETIC_CASES[change["new"]]
        with panel.hold():
            for name, key in (("size", "n"), ("kernel", "k"), ("stride", "s"),
                              ("padding", "p"), ("dilation", "d")):
                controls[name].value = settings[key]

    controls["case"].observe(on_case, names="value")
    return panel


def flip_figure():
    """Cross-correlation (what CNNs compute) against true convolution (the kernel flipped).

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
    image = np.zeros((7, 7))
    image[3, 3] = 1.0                      # a single bright pixel: an "impulse"
    kernel = np.arange(1.0, 10.0).reshape(3, 3)
    correlation = conv2d(image, kernel, padding=1)
    convolution = conv2d(image, kernel[::-1, ::-1], padding=1)
    fig, axes = plt.subplots(1, 4, figsize=(12, 3.2), layout="constrained")
    panels = [(image, "input: one bright pixel"), (kernel, "kernel"),
              (correlation, "output: cross-correlation\n(CNNs): kernel appears flipped"),
              (convolution, "output: convolution\n(kernel flipped first): kernel as is")]
    for ax, (array, title) in zip(axes, panels, strict=True):
        shown = ax.imshow(array, cmap="viridis")
        if array.shape == (3, 3) or array.any():
            annotate_values(ax, array, fmt="{:.0f}")
        ax.set(title=title, xlabel="column j", ylabel="row i")
    fig.colorbar(shown, ax=axes, label="value", shrink=0.8)
    return fig


# ---- Exercise checkers ----------------------------------------------------------------------

_IMAGE = np.random.default_rng(3).integers(-3, 4, size=(7, 8)).astype(float)
_KERNEL = np.array([[1.0, 0.0, 2.0], [-1.0, 3.0, 0.0], [0.0, 1.0, -2.0]])


def check_output_size(output_size):
    """``output_size(n, k, s, p)`` = ``(n + 2p - k) // s + 1``.

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
    >>> check_output_size(lambda n, k, s, p: (n + 2 * p - k) // s + 1).passed
    True
    >>> print(check_output_size(lambda n, k, s, p: n + 2 * p - k + 1))
    NOT YET output_size: did you include the stride? Positions are s pixels apart: divide by s
    """
    cases = [(28, 5, 1, 2), (7, 3, 2, 0), (5, 3, 2, 1), (6, 3, 2, 1), (10, 4, 3, 0)]
    answers, failure = run_cases(output_size, cases, "output_size")
    if failure is not None:
        return failure
    expected = [(n + 2 * p - k) // s + 1 for n, k, s, p in cases]
    return compare_arrays(answers, np.array(expected, dtype=float),
                          "output_size", [
        (np.array([n + 2 * p - k + 1 for n, k, s, p in cases]),
         "did you include the stride? Positions are s pixels apart: divide by s"),
        (np.array([(n + 2 * p - k) / s + 1 for n, k, s, p in cases]),
         "use floor division //: a position that does not fit is dropped"),
        (np.array([(n + p - k) // s + 1 for n, k, s, p in cases]),
         "padding p adds p pixels on EACH side: n + 2p"),
        (np.array([(n + 2 * p - k + 1) // s for n, k, s, p in cases]),
         "off by one: count the first position, then one more every s pixels"),
    ])


def check_conv2d(conv2d_loop):
    """``conv2d_loop(image, kernel, stride)``: a valid cross-correlation written with loops.

    Parameters
    ----------
    conv2d_loop : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_conv2d(lambda im, k, s: conv2d(im, k, stride=s)).passed
    True
    >>> result = check_conv2d(lambda im, k, s: conv2d(im, k[::-1, ::-1], stride=s))
    >>> print(result.message)
    conv2d_loop: you flipped the kernel: that is true convolution; CNNs do not flip (stride 1)
    """
    for stride in (1, 2):
        answer, failure = run_function(conv2d_loop, _IMAGE, _KERNEL, stride,
                                       name="conv2d_loop")
        if failure is not None:
            return failure
        expected = conv2d(_IMAGE, _KERNEL, stride=stride)
        result = compare_arrays(answer, expected, "conv2d_loop", [
            (conv2d(_IMAGE, _KERNEL[::-1, ::-1], stride=stride),
             "you flipped the kernel: that is true convolution; CNNs do not flip"),
            (conv2d(_IMAGE, _KERNEL), "did you include the stride? Step i * stride, "
                                      "not i, when you cut the patch"),
            (conv2d(_IMAGE, _KERNEL.T, stride=stride),
             "you transposed the kernel: patch[a, b] goes with kernel[a, b]"),
            (conv2d(_IMAGE, _KERNEL, stride=stride, padding=1),
             "that output is padded; this exercise asks for 'valid' (no padding)"),
        ])
        if not result:
            return CheckResult(False, f"{result.message} (stride {stride})")
    return CheckResult(True, "conv2d_loop: correct for stride 1 and 2")
