"""Lesson 05: the seed network's forward pass on a real digit, every intermediate shown.

Panels first, then the exercise checkers:
the forward pass, and a sigmoid that never overflows.
"""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np

from ..activations import sigmoid
from ..plotting import show_image
from ..seednet import init_seed_params, seed_forward
from ..widgets import Panel
from ._check import CheckResult, compare_arrays, run_function
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


# ---- Exercise checkers ----------------------------------------------------------------------

_RNG = np.random.default_rng(5)
_IMAGE = _RNG.random((8, 8))
_PARAMS = init_seed_params((8, 8), 3, rng=_RNG, scale=0.5)
_PARAMS["bias"] = np.array(0.1)


def _variant(relu=True, pool=True, bias=True, squash=True):
    """The forward pass with a step left out, to recognise the mistake."""
    from ..conv import conv2d
    from ..pooling import avg_pool

    conv = conv2d(_IMAGE, _PARAMS["kernel"], padding="same")
    pre = conv + (float(_PARAMS["bias"]) if bias else 0.0)
    rect = np.maximum(pre, 0) if relu else pre
    pooled = (np.max(rect.reshape(4, 2, 4, 2), axis=(1, 3)) if pool else avg_pool(rect))
    z = pooled.ravel() @ _PARAMS["weight"] + float(_PARAMS["out_bias"])
    return float(sigmoid(z)) if squash else float(z)


def check_forward(forward):
    """``forward(image, kernel, bias, weight, out_bias)`` returns ``y_hat`` of the seed network.

    Parameters
    ----------
    forward : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> def right(image, kernel, bias, weight, out_bias):
    ...     return seed_forward(image, dict(kernel=kernel, bias=bias, weight=weight,
    ...                                     out_bias=out_bias))[0]
    >>> check_forward(right).passed
    True
    """
    args = (_IMAGE, _PARAMS["kernel"], float(_PARAMS["bias"]), _PARAMS["weight"],
            float(_PARAMS["out_bias"]))
    answer, failure = run_function(forward, *args, name="forward")
    if failure is not None:
        return failure
    expected = seed_forward(_IMAGE, _PARAMS)[0]
    return compare_arrays(answer, expected, "forward", [
        (_variant(relu=False), "you skipped the ReLU after adding the bias"),
        (_variant(squash=False), "that is the logit z; y_hat is sigmoid(z)"),
        (_variant(bias=False), "you forgot to add the conv bias b to every cell of C"),
        (_variant(pool=False), "that is average pooling; the seed network max-pools"),
    ], atol=1e-10)


def check_sigmoid(stable_sigmoid):
    """``stable_sigmoid(x)``: right values, and no overflow warning even at x = -1000.

    Parameters
    ----------
    stable_sigmoid : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_sigmoid(lambda x: np.exp(-np.logaddexp(0, -x))).passed
    True
    >>> print(check_sigmoid(lambda x: 1 / (1 + np.exp(-x))).message[:60])
    stable_sigmoid: np.exp overflowed (overflow encountered in e
    """
    x = np.array([-1000.0, -30.0, -1.0, 0.0, 2.0, 40.0, 1000.0])
    with warnings.catch_warnings(), np.errstate(over="raise"):
        warnings.simplefilter("error")          # an overflow is an error here, not a warning
        answer, failure = run_function(stable_sigmoid, x, name="stable_sigmoid")
    if failure is not None:
        if "overflow" in failure.message:
            return CheckResult(False, "stable_sigmoid: np.exp overflowed (overflow encountered "
                                      "in exp) at x = -1000, where e^-x = e^1000 is too big for "
                                      "a float: use exp(x) / (1 + exp(x)) for negative x, or "
                                      "np.logaddexp")
        return failure
    return compare_arrays(answer, sigmoid(x), "stable_sigmoid", [
        (1 / (1 + np.exp(np.clip(x, -700, 700))), "you computed 1 / (1 + e^x): the sign of "
                                                   "the exponent is -x"),
    ], atol=1e-12)
