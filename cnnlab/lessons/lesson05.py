"""Lesson 05: the seed network's forward pass on a real digit, every intermediate shown.

Panels first, then the exercise checkers:
the forward pass, and a sigmoid that never overflows.
"""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np

from .._validate import as_rng, check_float
from ..activations import _sigmoid, sigmoid, sigmoid_forward
from ..conv import conv2d
from ..plotting import SIGNED_CMAP, show_image
from ..pooling import avg_pool, max_pool
from ..seednet import _seed_forward, _seed_network_forward, init_seed_params, seed_forward
from ..ui.widgets import Panel
from ._check import CheckResult, Exercise, run_function, show_value
from ._check import check_function as _check_function
from ._common import KERNELS, cell_ticks, digit, dropdown, first_of, live_colour_bar, slider


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
        texts, set_scale = live_colour_bar(ax, "value", SIGNED_CMAP)
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
                f"bias {bias:+.1f}: {sizes}; output z = {logit + 0.0:.2f}, "
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


# ---- Exercise checkers ----------------------------------------------------------------------

_RNG = np.random.default_rng(5)
_IMAGE = _RNG.random((8, 8))
_PARAMS = init_seed_params((8, 8), 3, rng=_RNG, scale=0.5)
_KERNEL = np.array([[1.0, -2.0, 0.5], [0.0, 1.5, -1.0], [-0.5, 1.0, -1.5]])  # mixed signs
_KERNEL5 = np.round(_RNG.uniform(-1, 1, size=(5, 5)), 2)       # 'same' is padding 2, not 1
# Negative biases switch off part of C and a positive one lifts it: the ReLU, and where the
# bias goes, change y_hat in every case.
_CASES = [(_IMAGE, _KERNEL, -0.3, _PARAMS["weight"], 0.2),
          (_IMAGE[::-1], _KERNEL.T, 0.4, _PARAMS["weight"][::-1].copy(), -0.1),
          (_IMAGE, -_KERNEL, -1.0, _PARAMS["weight"], 0.0),
          (_IMAGE.T, _KERNEL5, -0.2, _PARAMS["weight"], 0.3)]


def _forward_model(image, kernel, bias, weight, out_bias, relu=True, pool="max",
                   bias_after=False, squash=sigmoid, conv_bias=True, flip=False, out_b=True,
                   order="C"):
    """The forward pass with one step changed, to recognise a mistake."""
    conv = conv2d(image, kernel[::-1, ::-1] if flip else kernel, padding="same")
    pre = conv + (bias if conv_bias and not bias_after else 0.0)
    rect = np.maximum(pre, 0) if relu else pre
    if bias_after:
        rect = rect + bias
    pooled = max_pool(rect, 2) if pool == "max" else avg_pool(rect, 2)
    z = pooled.ravel(order=order) @ weight + (out_bias if out_b else 0.0)
    return float(squash(z)) if squash else float(z)


def _right_forward(image, kernel, bias, weight, out_bias):
    return _forward_model(image, kernel, bias, weight, out_bias)


FORWARD_MISTAKES = [
    (lambda *a: _forward_model(*a, relu=False), "you skipped the ReLU after adding the bias "
                                                "(negative responses must become 0)"),
    (lambda *a: _forward_model(*a, bias_after=True), "you added the bias after the ReLU; the "
                                                     "seed adds b first, then rectifies: "
                                                     "ReLU(C + b)"),
    (lambda *a: _forward_model(*a, squash=None), "that is the logit z; y_hat is sigmoid(z)"),
    (lambda *a: _forward_model(*a, conv_bias=False), "you forgot to add the conv bias b to "
                                                     "every cell of C"),
    (lambda *a: _forward_model(*a, pool="avg"), "that is average pooling; the seed network "
                                                "max-pools"),
    (lambda *a: _forward_model(*a, flip=True), "you flipped the kernel; cl.conv2d already "
                                               "computes what CNNs compute (no flip)"),
    (lambda *a: _forward_model(*a, out_b=False), "you forgot the output bias: "
                                                 "z = w . f + out_bias"),
    (lambda *a: 1.0 - _forward_model(*a), "that is 1 - y_hat: check the sign inside the "
                                          "sigmoid, 1 / (1 + exp(-z))"),
    (lambda *a: _forward_model(*a, squash=np.tanh), "that is tanh(z); y_hat is sigmoid(z) = "
                                                    "1 / (1 + exp(-z))"),
    (lambda *a: _forward_model(*a, out_b=False) + a[4], "you added out_bias after the "
                                                        "sigmoid; it goes inside: "
                                                        "sigmoid(w . f + out_bias)"),
    (lambda im, k, *a: _forward_model(im, k.T, *a), "you transposed the kernel: the seed "
                                                     "slides it as it is"),
    (lambda im, k, *a: _forward_model(im, k[::-1], *a), "you turned the kernel upside down"),
    (lambda im, k, b, *a: _forward_model(im, k, -b, *a), "check the sign of the bias: C + b"),
    (lambda im, k, b, w, bf: _forward_model(im, k, b, w[::-1], bf), "you reversed the weights; "
                                                                    "w[i] goes with f[i]"),
    (lambda im, *a: _forward_model(im.T, *a), "you transposed the image"),
    (lambda im, *a: _forward_model(im / 255, *a), "you divided the image by 255; it is already "
                                                  "scaled to 0..1"),
    (lambda *a: _forward_model(*a, order="F"), "you flattened the pooled map column by column "
                                               "(.T.ravel() or order='F'); the seed flattens "
                                               "row by row: pooled.ravel()"),
]
_SMALL_C = ("your feature map C is smaller than the 8x8 image (no padding, or a fixed padding=1, "
            "which is 'same' only for a 3x3 kernel; this case's kernel is 5x5): pass "
            "padding='same', which keeps the image's size for any kernel")
_SIZES = {64: "you did not pool: a 2x2 max pool (stride 2) turns the 8x8 map into 4x4 = 16 "
              "values, one per weight",
          49: "your pooling stepped by 1 (7x7 = 49 values); its 2x2 windows step by 2 (the "
              "default stride of cl.max_pool is the window size): 4x4 = 16 values",
          9: _SMALL_C, 4: _SMALL_C, 36: _SMALL_C}
FORWARD_EXCEPTIONS = [
    *((ValueError, words.format(n), hint) for n, hint in _SIZES.items()
      for words in ("(size 16 is different from {})", "shapes ({},) and (16,) not aligned")),
    (ValueError, "(4,4) (16,)", "pooled is 4x4 and weight holds 16 numbers: flatten pooled "
                                "first (pooled.ravel()), then take the dot product with weight"),
    (ValueError, "(size 4 is different from 16)", "weight is a flat vector of 16 numbers; "
                                                  "flatten pooled (pooled.ravel()) and take its "
                                                  "dot product with weight"),
    (ValueError, "mismatch", "the flattened pooled map and the weights differ in length: "
                             "'same' padding keeps C 8x8, a 2x2 max pool (stride 2) gives 4x4 = "
                             "16 values, one per weight"),
]


def _one_number(shape):
    return (f"your answer has shape {shape}; y_hat is one number: z = pooled.ravel() @ weight "
            f"+ out_bias (16 values times 16 weights, added up), then sigmoid(z)")


check_forward = Exercise(
    "forward", "forward(image, kernel, bias, weight, out_bias) returns y_hat of the seed network",
    cases=_CASES, right=_right_forward, mistakes=FORWARD_MISTAKES,
    exception_hints=FORWARD_EXCEPTIONS, atol=1e-10, shape_hint=_one_number,
    describe=lambda im, k, b, w, bf: (f"an 8x8 image, kernel {show_value(k)}, bias={b}, "
                                      f"16 weights, out_bias={bf}"),
    passed="forward: correct on four cases, a 5x5 kernel among them (with negative "
           "pre-activations the ReLU switches off)",
    idea="follow the seed network's arrows in order: conv2d with padding='same', add the bias "
         "b to every cell, ReLU, a 2x2 max pool, flatten row by row, the dot product with the "
         "weights plus out_bias gives z, and y_hat = sigmoid(z)",
    solution=[_seed_network_forward, _seed_forward],
    why="cl.seed_forward checks its inputs, then runs these: the steps on a batch of one "
        "image, then the sigmoid")


_X = np.array([-1000.0, -30.0, -1.0, 0.0, 2.0, 40.0, 1000.0])

SIGMOID_MISTAKES = [
    (lambda x: 1 / (1 + np.exp(x)), "you computed sigmoid(-x) = 1 / (1 + e^x): check the "
                                    "sign, sigmoid(x) = 1 / (1 + e^-x) (sigmoid(2) = 0.88); "
                                    "with logaddexp: np.exp(-np.logaddexp(0, -x))"),
    (lambda x: np.exp(x) / (1 + np.exp(x)),
     "exp(x) / (1 + exp(x)) is safe for negative x, but at x = +1000 it is inf / inf = nan: "
     "use it only where x < 0 and 1 / (1 + exp(-x)) where x >= 0, or "
     "np.exp(-np.logaddexp(0, -x)) everywhere"),
    (lambda x: 0.5 * (1 + np.tanh(x)), "0.5 * (1 + tanh(x)) squashes too steeply: "
                                       "sigmoid(x) = 0.5 * (1 + tanh(x / 2))"),
    (lambda x: 1 / np.exp(-x), "you left out the 1 +: sigmoid is 1 / (1 + e^-x)"),
    (lambda x: np.logaddexp(0, -x), "that is log(1 + e^-x); the sigmoid is exp of minus "
                                    "that: np.exp(-np.logaddexp(0, -x))"),
    (lambda x: np.exp(-x) / (1 + np.exp(-x)), "that is e^-x / (1 + e^-x) = 1 - sigmoid(x): "
                                              "the numerator is 1 (or e^x over 1 + e^x)"),
    (lambda x: 1 / (1 - np.exp(-x)), "1 - e^-x in the denominator: sigmoid is 1 / (1 + e^-x)"),
    (lambda x: np.tanh(x / 2), "tanh(x / 2) runs from -1 to 1; sigmoid(x) = 0.5 * (1 + "
                               "tanh(x / 2))"),
]
SIGMOID_EXCEPTIONS = [
    (TypeError, "only", "math.exp works on one number; x is an array: use np.exp"),
    (ValueError, "truth value of an array", "`if x < 0:` asks about the whole array at once; "
                                            "choose per element with np.where(x < 0, ..., ...) "
                                            "or a boolean mask"),
    (OverflowError, None, "math.exp overflowed (e^1000 is too big for a float); use np.exp "
                          "on arrays, in a form that never exponentiates a large positive "
                          "number"),
]
_HIDDEN = ("{} hides the overflow warning; the exponential still overflows: compute a form that "
           "never exponentiates a large positive number instead")
_READY = ("this exercise asks you to write the sigmoid, not to call {} (if `sigmoid` is your own "
          "helper, give it another name)")


def _check_sigmoid(stable_sigmoid):
    result = _check_function(stable_sigmoid, [(_X,)], sigmoid, SIGMOID_MISTAKES,
                             name="stable_sigmoid", exception_hints=SIGMOID_EXCEPTIONS,
                             atol=1e-12)
    if not result.passed:
        return result
    overflow = {}
    for side, x in (("negative", _X[_X < 0]), ("positive", _X[_X > 0])):
        caught = []
        run_function(stable_sigmoid, x, name="stable_sigmoid", caught=caught)
        overflow[side] = [w for w in caught if "overflow" in w]
    if overflow["negative"] and overflow["positive"]:
        return CheckResult(False, "stable_sigmoid: the values are right, but np.exp "
                                  "overflowed (a RuntimeWarning) for both large negative and "
                                  "large positive x: np.where(x < 0, a, b) computes both a and "
                                  "b for every x and then picks; compute each form only on "
                                  "its own elements (x[x < 0]...), or use "
                                  "np.exp(-np.logaddexp(0, -x))")
    if overflow["negative"]:
        return CheckResult(False, "stable_sigmoid: the values are right, but np.exp "
                                  "overflowed at x = -1000 (a RuntimeWarning: e^-x = e^1000 is "
                                  "too big for a float; 1 / (1 + inf) happens to give 0): for "
                                  "negative x use exp(x) / (1 + exp(x)), or "
                                  "np.exp(-np.logaddexp(0, -x)) everywhere")
    if overflow["positive"]:
        return CheckResult(False, "stable_sigmoid: the values are right, but np.exp "
                                  "overflowed at x = +1000 (a RuntimeWarning): for positive x "
                                  "use 1 / (1 + exp(-x))")
    return CheckResult(True, "stable_sigmoid: correct from -1000 to 1000, with no overflow")


check_sigmoid = Exercise(
    "stable_sigmoid", "stable_sigmoid(x): right values, and no overflow warning even at "
    "x = -1000", check=_check_sigmoid,
    forbidden=[*((f, _HIDDEN.format(f"np.{f}" if f in ("errstate", "seterr") else f))
                 for f in ("errstate", "seterr", "catch_warnings", "filterwarnings",
                           "simplefilter")),
               ("expit", _READY.format("scipy.special.expit")),
               ("sigmoid", _READY.format("cl.sigmoid"))],
    idea="1 / (1 + exp(-x)) is safe where x >= 0 (exp(-x) <= 1) and exp(x) / (1 + exp(x)) "
         "where x < 0; compute each form only on its own elements, or write the sigmoid with "
         "np.logaddexp, which never overflows",
    solution=[sigmoid_forward, _sigmoid], why="cl.sigmoid(x) is sigmoid_forward(x)[0], whose "
    "body _sigmoid takes the logaddexp route")
