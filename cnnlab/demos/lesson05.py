"""Lesson 05: the seed network's forward pass on a real digit, every intermediate shown."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..plotting import show_image
from ..seednet import init_seed_params, seed_forward
from ..widgets import Panel
from ._common import KERNELS, digit, dropdown, first_of, slider


def example_params(kernel_name="Sobel x (vertical edges)", bias=0.0, seed=0):
    """Seed-network parameters for a 28x28 digit: a preset 3x3 kernel, seeded dense weights.

    Parameters
    ----------
    kernel_name : str
        A preset kernel's name (see cnnlab.demos._common.KERNELS).
    bias : float
        The conv bias b.
    seed : int
        Seed of np.random.default_rng, so reruns match.

    Examples
    --------
    >>> params = example_params()
    >>> params["kernel"].shape, params["weight"].shape
    ((3, 3), (196,))
    """
    params = init_seed_params((28, 28), 3, rng=seed, scale=0.1)
    params["kernel"] = KERNELS[kernel_name].copy()
    params["bias"] = np.array(float(bias))
    return params


def forward_panel():
    """Choose the kernel and the bias; watch C, ReLU, pooling and y_hat change.

    Returns
    -------
    cnnlab.widgets.Panel

    Examples
    --------
    >>> panel = forward_panel()
    >>> before = panel.live.widget.value
    >>> panel.controls["bias"].value = -0.5
    >>> panel.live.widget.value != before
    True
    """
    image, label = digit(first_of(3))
    fig, axes = plt.subplots(1, 5, figsize=(15, 3.3), layout="constrained", dpi=72,
                             width_ratios=[1, 1, 1, 1, 0.8])
    show_image(axes[0], image, f"input image I (a {label})", cmap="gray",
               colorbar_label="pixel")
    shown = [show_image(ax, np.zeros((n, n)), title, signed=True, colorbar_label="value")
             for ax, n, title in zip(axes[1:4], (28, 28, 14),
                                     ("C = conv(I, K)", "ReLU(C + b)", "S = maxpool(ReLU)"),
                                     strict=True)]
    bars = axes[4].bar([0], [0.5], color="tab:purple")
    axes[4].set(ylim=(0, 1), xticks=[], ylabel="probability", title="output y_hat",
                xlabel="sigmoid(w . f + bf)")
    axes[4].axhline(0.5, color="grey", lw=0.8, ls="--")
    text = axes[4].text(0, 0.05, "", ha="center", fontsize=9, color="white")

    def update(kernel, bias):
        y_hat, cache = seed_forward(image, example_params(kernel, bias))
        for artist, array in zip(shown, (cache["conv"], cache["relu"], cache["pooled"]),
                                 strict=True):
            limit = max(np.abs(array).max(), 1e-9)
            artist.set_data(array)
            artist.set_clim(-limit, limit)
        bars[0].set_height(y_hat)
        text.set_text(f"z = {cache['logit']:.2f}\ny_hat = {y_hat:.3f}")

    controls = {"kernel": dropdown("kernel K", list(KERNELS), "Sobel x (vertical edges)"),
                "bias": slider("bias b", 0.0, -2.0, 2.0, 0.1)}
    return Panel(fig, update, controls)
