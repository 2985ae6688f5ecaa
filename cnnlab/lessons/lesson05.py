"""Lesson 05: the seed network's forward pass on a real digit, every intermediate shown.

Panels first, then the exercise checkers:
the forward pass, and a sigmoid that never overflows.
"""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np

from .._validate import as_rng, check_float
from ..activations import sigmoid
from ..plotting import SIGNED_CMAP, show_image
from ..seednet import init_seed_params, seed_forward
from ..ui.widgets import Panel
from . import _mistakes05 as M
from . import solutions
from ._check import Exercise, show_value
from ._common import KERNELS, cell_ticks, digit, dropdown, first_of, live_colour_bar, slider


def example_params(kernel_name="Sobel x (vertical edges)", bias=0.0, seed=0):
    """Seed-network parameters for a 28x28 digit: a preset 3x3 kernel, seeded dense weights.

    Parameters
    ----------
    kernel_name : str
        A preset kernel's name, one of lesson 01's kernels: "Sobel x (vertical edges)",
        "Sobel y (horizontal edges)", ... (a name that is not one of them raises a ValueError
        that lists them all).
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
    if not isinstance(kernel_name, str) or kernel_name not in KERNELS:
        raise ValueError(f"kernel_name must be one of {sorted(KERNELS)}, got {kernel_name!r}")
    bias = check_float(bias, "bias")
    as_rng(seed, "seed")
    params = init_seed_params((28, 28), 3, rng=seed, scale=0.1)
    params["kernel"] = KERNELS[kernel_name].copy()
    params["bias"] = np.array(float(bias))
    return params


def forward_panel():
    """Choose the kernel and the bias; watch C, ReLU, pooling and y_hat change.

    Returns
    -------
    cnnlab.ui.widgets.Panel

    Examples
    --------
    >>> panel = forward_panel()
    >>> before = panel.live.widget.value
    >>> panel.controls["bias"].value = -0.5
    >>> panel.live.widget.value != before
    True
    """
    image, label = digit(first_of(3))
    fig = plt.figure(figsize=(8.8, 5.6), layout="constrained")
    grid_spec = fig.add_gridspec(2, 3, width_ratios=[1, 1, 0.55])
    axes = [fig.add_subplot(grid_spec[0, 0]), fig.add_subplot(grid_spec[0, 1]),
            fig.add_subplot(grid_spec[1, 0]), fig.add_subplot(grid_spec[1, 1]),
            fig.add_subplot(grid_spec[:, 2])]
    show_image(axes[0], image, f"input image I (a {label})", cmap="gray",
               colorbar_label="pixel value")
    shown, set_scales, numbers = [], [], []
    for ax, n, title in zip(axes[1:4], (28, 28, 14),
                            ("C = conv(I, K)", "R = ReLU(C + b)", "S = maxpool(R), 14x14"),
                            strict=True):
        shown.append(ax.imshow(np.zeros((n, n)), cmap=SIGNED_CMAP, vmin=-1, vmax=1,
                               interpolation="nearest"))
        ax.set(title=title, xlabel="column j", ylabel="row i")
        # A fixed bar whose numbers follow the map's scale (only they change).
        # R and S (after the ReLU) are never negative: their bars show 0..limit only
        texts, set_scale = live_colour_bar(ax, "value", SIGNED_CMAP,
                                           nonnegative=not title.startswith("C "))
        numbers += texts
        set_scales.append(set_scale)
    for ax, n in zip(axes[:4], (28, 28, 28, 14), strict=True):
        cell_ticks(ax, n, n)
    bars = axes[4].bar([0], [0.5], color="tab:purple", width=0.6)
    axes[4].set(ylim=(0, 1), xlim=(-0.6, 0.6), xticks=[], ylabel="probability",
                title="output y_hat", xlabel="sigmoid(w · f + b_f)")
    half = axes[4].axhline(0.5, color="grey", lw=0.8, ls="--")       # drawn over the bar
    text = axes[4].text(0, 1.02, "", ha="center", va="bottom", fontsize=10,
                        transform=axes[4].get_xaxis_transform())
    axes[4].set_title("output y_hat", pad=40)
    forward = _cached_forward(image)

    def update(kernel, bias):
        y_hat, maps, limits, logit = forward(kernel, bias)
        for artist, array, limit, set_scale in zip(shown, maps, limits, set_scales,
                                                   strict=True):
            artist.set_data(array)
            artist.set_clim(-limit, limit)
            set_scale(limit)
        bars[0].set_height(y_hat)
        text.set_text(f"z = {logit + 0.0:.2f}\ny_hat = {y_hat:.3f}")

    controls = {"kernel": dropdown("kernel K", list(KERNELS), "Sobel x (vertical edges)"),
                "bias": slider("bias b", 0.0, -2.0, 2.0, 0.1)}
    def describe(kernel, bias):
        y_hat, maps, _, logit = forward(kernel, bias)
        sizes = ", ".join(f"{name} {m.shape[0]}x{m.shape[1]} ({int((m > 0).sum())} positive, "
                          f"largest {m.max() + 0.0:.2f})" for name, m in zip("CRS", maps,
                                                                               strict=True))
        return (f"The seed network's forward pass on a {label} with the {kernel} kernel and "
                f"bias {round(bias, 1) + 0.0:.1f}: {sizes}; output z = {logit + 0.0:.2f}, "
                f"y_hat = {y_hat:.3f}.")

    return Panel(fig, update, controls, animated=[*shown, *numbers, bars, half, text],
                 describe=describe)


def _cached_forward(image):
    """``forward(kernel_name, bias) -> (y_hat, (C, R, S), their colour limits, z)``, each
    answer worked out once (a slider moved back and forth only looks it up)."""
    answers = {}

    def forward(kernel_name, bias):
        key = (kernel_name, round(float(bias), 9))
        if key not in answers:
            y_hat, cache = seed_forward(image, example_params(kernel_name, bias))
            maps = (cache["conv"], cache["relu"], cache["pooled"])
            # symmetric about 0; an all-zero map (everything switched off) gets the scale +-1
            limits = tuple(float(np.abs(array).max()) or 1.0 for array in maps)
            answers[key] = (float(y_hat), maps, limits, float(cache["logit"]))
        return answers[key]

    return forward


def sigmoid_danger(z=-1000.0):
    """The seed's sigmoid against the stable one at ``z``, with any warning caught as text.

    Parameters
    ----------
    z : float
        The logit.

    Returns
    -------
    dict
        ``naive`` and ``stable`` (the two values) and ``warning`` (the text of the warning
        the naive form raised, or ``None``); nothing is printed or shown.

    Examples
    --------
    >>> result = sigmoid_danger(-1000.0)
    >>> result["naive"], result["stable"], result["warning"]
    (0.0, 0.0, 'overflow encountered in exp')
    >>> sigmoid_danger(-2.0)["warning"] is None
    True
    """
    z = check_float(z, "z")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        naive = float(1 / (1 + np.exp(-np.float64(z))))
    return {"naive": naive, "stable": float(sigmoid(z)),
            "warning": str(caught[0].message) if caught else None}


# ---- Exercise checkers (their mistake catalogues: _mistakes05) -------------------------------

check_forward = Exercise(
    "forward", "forward(image, kernel, bias, weight, out_bias) returns y_hat of the seed network",
    cases=M.FORWARD_CASES, right=M.right_forward, mistakes=M.FORWARD_MISTAKES,
    exception_hints=M.FORWARD_EXCEPTIONS, atol=1e-10, shape_hint=M.one_number_hint,
    exact_types=True,
    describe=lambda im, k, b, w, bf: (f"an 8x8 image, kernel {show_value(k)}, bias={b}, "
                                      f"16 weights, out_bias={bf}"),
    passed="forward: correct on five cases, a 5x5 kernel among them (with negative "
           "pre-activations the ReLU switches off)",
    idea="follow the seed network's arrows in order: conv2d with padding='same', add the bias "
         "b to every cell, ReLU, a 2x2 max pool, flatten row by row, the dot product with the "
         "weights plus out_bias gives z, and y_hat = sigmoid(z)",
    solution=solutions.forward,
    why="the seed network's arrows in order; cl.seed_forward runs the same steps on a batch")


_HIDDEN = ("{} hides the overflow warning; the exponential still overflows: compute a form that "
           "never exponentiates a large positive number instead")
_READY = ("this exercise asks you to write the sigmoid, not to call {} (if `sigmoid` is your own "
          "helper, give it another name)")

check_sigmoid = Exercise(
    "stable_sigmoid", "stable_sigmoid(x): right values on arrays of any shape and dtype, and no "
    "overflow warning even at x = -1000", check=M.check_sigmoid_answer,
    forbidden=[*((f, _HIDDEN.format(f"np.{f}" if f in ("errstate", "seterr") else f))
                 for f in ("errstate", "seterr", "catch_warnings", "filterwarnings",
                           "simplefilter")),
               ("expit", _READY.format("scipy.special.expit")),
               ("sigmoid", _READY.format("cl.sigmoid"))],
    idea="1 / (1 + exp(-x)) is safe where x >= 0 (exp(-x) <= 1) and exp(x) / (1 + exp(x)) "
         "where x < 0; compute each form only on its own elements, or write the sigmoid with "
         "np.logaddexp, which never overflows",
    solution=solutions.stable_sigmoid,
    why="each form only where it cannot overflow; cl.sigmoid takes the other route, "
        "np.exp(-np.logaddexp(0, -x))")
