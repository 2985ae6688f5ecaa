"""Lesson 00: a first slider, to prove that widgets render."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..widgets import Panel
from ._common import digit, first_of, slider


def brightness_panel():
    """A digit whose contrast you change with a slider: input on the left, output on the right.

    Returns
    -------
    cnnlab.widgets.Panel
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
    fig, (left, right) = plt.subplots(1, 2, figsize=(6.4, 3.0), layout="constrained", dpi=80)
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

    return Panel(fig, update, {"gamma": slider("contrast (gamma)", 1.0, 0.2, 3.0, 0.2)})
