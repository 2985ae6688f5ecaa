"""Lesson 01: a digit as numbers, and a 3x3 kernel you edit by hand."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..conv import conv2d
from ..plotting import SIGNED_CMAP, annotate_values, show_image
from ..widgets import Panel
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
