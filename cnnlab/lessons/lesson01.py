"""Lesson 01: a digit as numbers, and a 3x3 kernel you edit by hand.

Panels first, then the exercise checkers:
making a kernel, and applying it at one position.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..conv import conv2d
from ..plotting import SIGNED_CMAP, annotate_values, show_image
from ..widgets import Panel
from ._check import compare_arrays, run_cases, run_function
from ._common import KERNELS, digit, dropdown, first_of


def kernel_editor(index=None):
    """Pick a preset kernel or type the nine numbers; the filtered digit redraws at once.

    Parameters
    ----------
    index : int, optional
        Which shipped test digit (default: the first 7).

    Returns
    -------
    cnnlab.widgets.Panel

    Examples
    --------
    >>> panel = kernel_editor()
    >>> before = panel.live.widget.value
    >>> panel.controls["preset"].value = "sharpen"
    >>> panel.live.widget.value != before
    True
    >>> panel.controls["k11"].value = 2.0      # typing a number switches to 'custom'
    >>> panel.controls["preset"].value
    'custom'
    """
    image, label = digit(first_of(7) if index is None else index)
    fig, (ax_in, ax_k, ax_out) = plt.subplots(1, 3, figsize=(10, 3.2), layout="constrained",
                                              dpi=72)
    show_image(ax_in, image, f"input: a {label}", cmap="gray", colorbar_label="pixel value")
    kernel_shown = ax_k.imshow(np.zeros((3, 3)), cmap=SIGNED_CMAP, vmin=-1, vmax=1)
    ax_k.set(title="kernel (3x3)", xlabel="column", ylabel="row", xticks=range(3),
             yticks=range(3))
    fig.colorbar(kernel_shown, ax=ax_k, label="weight")
    texts = annotate_values(ax_k, np.zeros((3, 3)), fmt="{:.2f}")
    out_shown = show_image(ax_out, conv2d(image, KERNELS["identity"], padding="same"),
                           "output: feature map", signed=True, colorbar_label="response")
    boxes = {f"k{i}{j}": widgets.FloatText(value=float(KERNELS["identity"][i, j]),
                                           description=f"[{i},{j}]",
                                           layout=widgets.Layout(width="140px"),
                                           style={"description_width": "30px"})
             for i in range(3) for j in range(3)}
    preset = dropdown("preset", [*KERNELS, "custom"], "identity")
    controls = {"preset": preset, **boxes}
    state = {"syncing": False}

    def update(preset, **entries):
        kernel = np.array([[entries[f"k{i}{j}"] for j in range(3)] for i in range(3)])
        scale = max(np.abs(kernel).max(), 1e-9)
        kernel_shown.set_data(kernel)
        kernel_shown.set_clim(-scale, scale)
        for text, value in zip(texts, kernel.ravel(), strict=True):
            text.set_text(f"{value:.2f}")
        out = conv2d(image, kernel, padding="same")
        limit = max(np.abs(out).max(), 1e-9)
        out_shown.set_data(out)
        out_shown.set_clim(-limit, limit)
        ax_out.set_title(f"output ({preset}): range {out.min():.2f} to {out.max():.2f}")

    panel = None

    # These observers are attached before the panel's own, so they run first and the panel
    # then redraws once with every value in place.
    def on_preset(change):
        if change["new"] == "custom":
            return
        state["syncing"] = True
        with panel.hold(redraw=False):
            for (i, j), value in np.ndenumerate(KERNELS[change["new"]]):
                boxes[f"k{i}{j}"].value = float(value)
        state["syncing"] = False

    def on_box(change):
        if not state["syncing"] and preset.value != "custom":
            with panel.hold(redraw=False):
                preset.value = "custom"

    preset.observe(on_preset, names="value")
    for box in boxes.values():
        box.observe(on_box, names="value")
    panel = Panel(fig, update, controls)
    return panel


# ---- Exercise checkers ----------------------------------------------------------------------

_IMAGE = np.random.default_rng(1).integers(0, 10, size=(6, 7)).astype(float)
_KERNEL = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0], [1.0, 0.0, -2.0]])


def check_box_blur(make_box_blur):
    """``make_box_blur()`` returns the 3x3 kernel that averages a pixel's neighbourhood.

    Parameters
    ----------
    make_box_blur : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_box_blur(lambda: np.full((3, 3), 1 / 9)).passed
    True
    >>> print(check_box_blur(lambda: np.ones((3, 3))))
    NOT YET box blur: these weights sum to 9, so the image gets 9 times brighter: divide by 9
    """
    answer, failure = run_function(make_box_blur, name="make_box_blur")
    if failure is not None:
        return failure
    return compare_arrays(answer, np.full((3, 3), 1 / 9), "box blur", [
        (np.ones((3, 3)), "these weights sum to 9, so the image gets 9 times brighter: "
                          "divide by 9"),
        (np.full((3, 3), 1 / 3), "these weights sum to 3: an average of 9 pixels divides by 9"),
    ])


def check_apply_at(apply_at):
    """``apply_at(image, kernel, i, j)``: the output cell whose 3x3 patch starts at (i, j).

    Parameters
    ----------
    apply_at : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_apply_at(lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k)).passed
    True
    >>> print(check_apply_at(lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k[::-1, ::-1])))
    NOT YET apply_at: you flipped the kernel: a CNN multiplies patch[a, b] by kernel[a, b]
    """
    cases = [(1, 2), (0, 0), (3, 4)]
    answers, failure = run_cases(apply_at, [(_IMAGE, _KERNEL, i, j) for i, j in cases],
                                 "apply_at")
    if failure is not None:
        return failure
    padded = np.pad(_IMAGE, 1)
    expected = [np.sum(_IMAGE[i:i + 3, j:j + 3] * _KERNEL) for i, j in cases]
    flipped = [np.sum(_IMAGE[i:i + 3, j:j + 3] * _KERNEL[::-1, ::-1]) for i, j in cases]
    centred = [np.sum(padded[i:i + 3, j:j + 3] * _KERNEL) for i, j in cases]
    return compare_arrays(answers, np.array(expected), "apply_at", [
        (np.array(flipped), "you flipped the kernel: a CNN multiplies patch[a, b] by "
                            "kernel[a, b]"),
        (np.array(centred), "you centred the patch on (i, j); here (i, j) is the patch's "
                            "top-left corner"),
    ])
