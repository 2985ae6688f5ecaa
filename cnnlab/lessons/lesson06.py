"""Lesson 06: losses of the sigmoid output, and a two-parameter loss surface with its gradient.

Panels first, then the exercise checkers:
the gradient at the logit, and the output layer's gradients.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.ticker import FormatStrFormatter, LogLocator, NullFormatter

from ..activations import sigmoid
from ..data import two_digit_task
from ..seednet import _output_gradient, _seed_network_backward, init_seed_params, seed_forward
from ..ui.widgets import Panel
from . import _check
from ._check import (
    CheckResult,
    Exercise,
    compare_arrays,
    first_failure,
    run_function,
    same,
    show_value,
    source_mentions,
)
from ._common import KERNELS, slider


def loss_curves_figure():
    """Squared error and cross-entropy of a sigmoid output for target 1, and their slopes in z.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = loss_curves_figure()
    >>> fig.axes[1].get_xlabel()
    'logit z'
    >>> plt.close(fig)
    """
    z = np.linspace(-8, 8, 400)
    s = sigmoid(z)
    fig, (ax_s, ax_l, ax_g) = plt.subplots(1, 3, figsize=(8.4, 3.4), layout="constrained")
    ax_s.plot(z, s, label="sigmoid(z)")
    ax_s.plot(z, s * (1 - s), label="its derivative s(1 - s)")
    ax_s.set(xlabel="logit z", ylabel="value", title="the sigmoid and its slope",
             ylim=(-0.05, 1.45))
    ax_s.legend(fontsize=8, loc="upper left")
    ax_l.plot(z, 0.5 * (s - 1) ** 2, label="squared error\n1/2 (y_hat - 1)^2")
    ax_l.plot(z, np.logaddexp(0, -z), label="cross-entropy\n-log y_hat")
    ax_l.set(xlabel="logit z", ylabel="loss", title="loss, target y = 1",
             ylim=(0, 4))
    ax_l.legend(fontsize=8, loc="upper right")
    ax_g.plot(z, (s - 1) * s * (1 - s), label="squared error\n(y_hat - 1) y_hat (1 - y_hat)")
    ax_g.plot(z, s - 1, label="cross-entropy\ny_hat - 1")
    ax_g.set(xlabel="logit z", ylabel="dL/dz", title="dL/dz, target 1",
             ylim=(-1.05, 0.45))
    ax_g.legend(fontsize=8, loc="upper left")
    return fig


def _features(n=200, seed=0):
    """Pooled features of a fixed edge kernel on 3s (target 1) and 8s (target 0)."""
    task = two_digit_task(positive=3, negative=8, n_train=n)
    params = init_seed_params((28, 28), 3, rng=seed)
    params["kernel"] = KERNELS["Sobel y (horizontal edges)"].copy()
    feats = np.array([seed_forward(img, params)[1]["flat"] for img in task["train_images"]])
    # An informative direction for w: the difference of the class means, normalised.
    targets = task["train_targets"]
    direction = feats[targets == 1].mean(0) - feats[targets == 0].mean(0)
    direction /= np.linalg.norm(direction)
    return feats @ direction, targets


def _loss_and_grad(alpha, bias, projected, targets, loss):
    """Mean loss over the images for w = alpha * direction, bf = bias; and d/d(alpha, bias)."""
    z = alpha * projected + bias
    y_hat = sigmoid(z)
    if loss == "cross-entropy":
        value = np.mean(np.logaddexp(0, z) - targets * z, axis=-1)
        grad_z = (y_hat - targets) / targets.size
    else:
        value = np.mean(0.5 * (y_hat - targets) ** 2, axis=-1)
        grad_z = (y_hat - targets) * y_hat * (1 - y_hat) / targets.size
    return value, np.sum(grad_z * projected, axis=-1), np.sum(grad_z, axis=-1)


ARROW_MAX = 2.5
"""The loss surface's arrow is minus the gradient, drawn at most this long (in map units)."""


def loss_surface_panel():
    """The loss over two parameters (the scale of w and the bias bf), the point and its gradient.

    Returns
    -------
    cnnlab.ui.widgets.Panel

    Examples
    --------
    >>> panel = loss_surface_panel()
    >>> before = panel.live.widget.value
    >>> panel.controls["alpha"].value = 1.0
    >>> panel.live.widget.value != before
    True
    """
    projected, targets = _features()
    centre = np.median(projected)
    alphas = np.linspace(-3, 3, 61)
    biases = np.linspace(-3, 3, 61)
    surfaces = {loss: np.array([[_loss_and_grad(a, b - a * centre, projected, targets, loss)[0]
                                 for a in alphas] for b in biases])
                for loss in ("cross-entropy", "squared error")}
    lowest = {loss: np.unravel_index(np.argmin(values), values.shape)
              for loss, values in surfaces.items()}
    fig, ax = plt.subplots(figsize=(7.0, 5.0), layout="constrained")
    # A logarithmic colour scale: the cross-entropy spans 0.33..10.7 here, and on a linear
    # scale everything below 1 (the whole valley) would be one colour.  One scale for both
    # losses, so they compare (and the colour bar never changes).
    low = min(values.min() for values in surfaces.values())
    high = max(values.max() for values in surfaces.values())
    shown = ax.imshow(surfaces["cross-entropy"], origin="lower", extent=(-3, 3, -3, 3),
                      cmap="viridis", aspect="auto", norm=LogNorm(low, high))
    bar = fig.colorbar(shown, ax=ax, label="mean loss over 200 images (log scale)")
    bar.ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    bar.ax.yaxis.set_major_formatter(FormatStrFormatter("%.2f"))
    bar.ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set(xlabel="alpha (w = alpha * direction)", ylabel="bias (bf = bias - alpha * median)")
    minimum = ax.plot([0], [0], "*", color="white", mec="black", ms=14,
                      label="lowest loss on the map")[0]
    point = ax.plot([0], [0], "o", color="white", mec="black", label="your (alpha, bf)")[0]
    arrow = ax.quiver([0], [0], [0], [0], color="tab:red", angles="xy", scale_units="xy",
                      scale=1, width=0.008, label="minus the gradient (downhill)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.11), ncol=3, fontsize=8)

    def update(alpha, bias, loss):
        shown.set_data(surfaces[loss])
        row, col = lowest[loss]
        minimum.set_data([alphas[col]], [biases[row]])
        value, grad_a, grad_b = _loss_and_grad(alpha, bias - alpha * centre, projected,
                                               targets, loss)
        grad_a = grad_a - centre * grad_b     # chain rule through bf = bias - alpha c
        point.set_data([alpha], [bias])
        # The arrow is minus the gradient itself (its length is the gradient's size), at most
        # ARROW_MAX long so that it stays on the map.
        scale = min(1.0, ARROW_MAX / max(np.hypot(grad_a, grad_b), 1e-12))
        arrow.set_offsets([[alpha, bias]])
        arrow.set_UVC([-grad_a * scale], [-grad_b * scale])
        grad_a, grad_b = (round(float(g), 3) + 0.0 for g in (grad_a, grad_b))   # no "-0.000"
        ax.set_title(f"{loss}: L = {value:.3f} (lowest {surfaces[loss][row, col]:.3f})\n"
                     f"gradient (dL/dalpha, dL/dbias) = ({grad_a:.3f}, {grad_b:.3f})",
                     fontsize=10)

    controls = {"alpha": slider("alpha", -1.0, -3.0, 3.0, 0.25),
                "bias": slider("bias", 1.5, -3.0, 3.0, 0.25),
                "loss": widgets.ToggleButtons(options=["cross-entropy", "squared error"],
                                              value="cross-entropy", description="loss")}
    return Panel(fig, update, controls, animated=[shown, minimum, point, arrow, ax.title])


# ---- Exercise checkers ----------------------------------------------------------------------

_Y_HAT = np.array([0.9, 0.2, 0.6, 0.05, 0.35])
_Y = np.array([1.0, 1.0, 0.0, 0.0, 1.0])
_LOSS_NAMES = ("squared_error", "bce")
_SIGMOID = "the sigmoid's derivative is y_hat (1 - y_hat)"

_PRODUCT_EXCEPTIONS = [
    (ValueError, "matmul", "you used @ (a matrix product) where the shapes do not fit: dL/dw "
                           "= F.T @ dL/dz, one entry per weight; dL/dF = np.outer(dL/dz, w)"),
    (ValueError, "broadcast", "two arrays of different shapes met in an element-wise "
                              "operation: check which vector each product needs"),
]
_LOSS_EXCEPTIONS = [
    (KeyError, None, "a loss name your function does not know: the exercise passes "
                     "loss=\"squared_error\" or loss=\"bce\" (check the loss names)"),
] + _PRODUCT_EXCEPTIONS


def _right_grad_logit(y_hat, y, loss):
    return (y_hat - y) * y_hat * (1 - y_hat) if loss == "squared_error" else y_hat - y


def _grad_logit_mistakes(loss):
    chained = lambda y_hat, y, loss: (y_hat - y) * y_hat * (1 - y_hat)  # noqa: E731
    plain = lambda y_hat, y, loss: y_hat - y  # noqa: E731
    common = [(lambda y_hat, y, loss: np.mean(_right_grad_logit(y_hat, y, loss)),
               "return one value per entry of y_hat (element-wise), not their mean"),
              (lambda y_hat, y, loss: 0.5 * (y_hat - y) ** 2 if loss == "squared_error" else
               -(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)),
               "that is the loss L itself; dL/dz is its slope in z"),
              (lambda y_hat, y, loss: _right_grad_logit(y_hat, y, loss) / y.size,
               "you divided by the number of entries: dL/dz is per prediction, element-wise "
               "(a batch's mean loss divides by N later, in the layer's gradients)")]
    if loss == "bce":
        return [
            (chained, "for cross-entropy the sigmoid's derivative cancels: dL/dz = y_hat - y"),
            (lambda y_hat, y, loss: y - y_hat, "the sign is flipped: dL/dz = y_hat - y"),
            *[(lambda y_hat, y, loss, half=half: (y_hat - y) * half(y_hat), "for cross-entropy "
               "the sigmoid's derivative cancels entirely: dL/dz = y_hat - y, no factor")
              for half in (lambda v: v, lambda v: 1 - v)],       # half of y_hat (1 - y_hat)
            (lambda y_hat, y, loss: (y_hat - y) / (y_hat * (1 - y_hat)),
             "that is dL/dy_hat of cross-entropy; multiply it by dy_hat/dz = y_hat (1 - y_hat), "
             "which cancels its denominator: dL/dz = y_hat - y"),
        ] + common
    return [
        (plain, "you left out the sigmoid's derivative y_hat (1 - y_hat)"),
        (lambda y_hat, y, loss: -chained(y_hat, y, loss),
         "the sign is flipped: L grows with y_hat - y, so dL/dz has its sign"),
        (lambda y_hat, y, loss: 2 * chained(y_hat, y, loss),
         "twice too large: the 1/2 in L = 1/2 (y_hat - y)^2 cancels the 2 from the square"),
        (lambda y_hat, y, loss: y_hat * (1 - y_hat),
         "that is dy_hat/dz alone: multiply it by dL/dy_hat = y_hat - y"),
        (lambda y_hat, y, loss: (y_hat - y) * y_hat,
         f"you left out the (1 - y_hat) factor: {_SIGMOID}"),
        (lambda y_hat, y, loss: (y_hat - y) * (1 - y_hat),
         f"you left out the y_hat factor: {_SIGMOID}"),
        (lambda y_hat, y, loss: (y_hat - y) * y * (1 - y),
         f"you used the target y in the sigmoid's derivative: {_SIGMOID}, of the prediction "
         f"(y (1 - y) is 0 for targets 0 and 1)"),
        (lambda y_hat, y, loss: (y_hat - y) * np.mean(y_hat * (1 - y_hat)),
         f"each entry has its own slope: {_SIGMOID} entry by entry, not its mean"),
        (lambda y_hat, y, loss: (y_hat - y) * y_hat * (1 - y),
         f"you used the target y in (1 - y): {_SIGMOID}, both factors of the prediction"),
    ] + common


def _grad_logit_check(grad_logit):
    answers = {}
    for loss in _LOSS_NAMES:
        answers[loss], failure = run_function(grad_logit, _Y_HAT, _Y, loss, name="grad_logit",
                                              exception_hints=_LOSS_EXCEPTIONS)
        if failure is not None:
            return failure
    missing = [loss for loss in _LOSS_NAMES if answers[loss] is None]
    if len(missing) == 1:
        return CheckResult(False, f"grad_logit: your function returned None for "
                                  f"loss=\"{missing[0]}\": check the spelling of the loss "
                                  f"names (the exercise passes \"squared_error\" and \"bce\")")
    plain, chained = _Y_HAT - _Y, (_Y_HAT - _Y) * _Y_HAT * (1 - _Y_HAT)
    if same(answers["squared_error"], plain) and same(answers["bce"], chained):
        return CheckResult(False, "grad_logit: you swapped the two losses: the squared error "
                                  "keeps the sigmoid's derivative, cross-entropy loses it")
    if same(answers["squared_error"], plain) and same(answers["bce"],
                                                    plain / (_Y_HAT * (1 - _Y_HAT))):
        return CheckResult(False, "grad_logit: you returned dL/dy_hat for both losses; the "
                                  "chain rule multiplies it by dy_hat/dz = y_hat (1 - y_hat) "
                                  "to give dL/dz")
    if same(answers["squared_error"], plain) and same(answers["bce"], plain):
        named = source_mentions(grad_logit, "squared_error")
        if named is False and source_mentions(grad_logit, "squared"):
            return CheckResult(False, "grad_logit (squared error): your `if` never matched: "
                                      "the exercise passes loss=\"squared_error\" (check the "
                                      "spelling: an underscore, no space), so your function "
                                      "returned the cross-entropy answer y_hat - y")
        if named is None:
            return CheckResult(False, "grad_logit (squared error): you returned y_hat - y, the "
                                      "cross-entropy answer: either the sigmoid's derivative "
                                      "y_hat (1 - y_hat) is missing, or your `if` never matched "
                                      "loss == \"squared_error\" (check the spelling of the "
                                      "loss names)")
    return first_failure((_check.check_function(
        grad_logit, [(_Y_HAT, _Y, loss)], _right_grad_logit, _grad_logit_mistakes(loss),
        name=f"grad_logit ({label})", exception_hints=_LOSS_EXCEPTIONS)
        for loss, label in zip(_LOSS_NAMES, ("squared error", "cross-entropy"), strict=True)),
        "grad_logit: correct for both losses")


check_grad_logit = Exercise(
    "grad_logit", "dL/dz of a sigmoid output, element-wise, for loss \"squared_error\" or \"bce\"",
    check=_grad_logit_check,
    idea="write dL/dy_hat first (y_hat - y for the squared error), then multiply by the "
         "sigmoid's slope dy_hat/dz = y_hat (1 - y_hat); for cross-entropy, dL/dy_hat has "
         "y_hat (1 - y_hat) as its denominator, so the product simplifies",
    solution=_output_gradient, why="the seed network's dL/dz for its two losses")


def _right_output(F, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat) / y.size
    return F.T @ g, g.sum(), np.outer(g, w)


def _output_layer_check(output_layer_grads):
    rng = np.random.default_rng(6)
    F, w = rng.random((5, 7)) - 0.3, rng.standard_normal(7)
    y_hat, y = np.array([0.7, 0.15, 0.55, 0.92, 0.3]), np.array([0.0, 1.0, 0.0, 1.0, 1.0])
    answer, failure = run_function(output_layer_grads, F, w, y_hat, y, must_return=True,
                                   name="output_layer_grads", exception_hints=_PRODUCT_EXCEPTIONS)
    if failure is not None:
        return failure
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        got = f"{len(answer)} things" if isinstance(answer, (tuple, list)) else (
            type(answer).__name__)
        return CheckResult(False, f"output_layer_grads: return three things, "
                                  f"(grad_w, grad_bf, grad_F); got {got}")
    n, e = y.size, y_hat - y
    g = e * y_hat * (1 - y_hat) / n
    mean = "the loss is the mean over the N images: divide the sum by N"

    def family(make):
        return [(make(e / n), "you left out the sigmoid's derivative y_hat (1 - y_hat)"),
                (make(-g), "the sign is flipped: dL/dz = (y_hat - y) y_hat (1 - y_hat) / N"),
                (make(y_hat * (1 - y_hat) / n), "you left out dL/dy_hat = y_hat - y"),
                (make(2 * g), "twice too large: the 1/2 in the loss cancels the 2"),
                (make(g * n), mean), (make(e * y_hat * (1 - y) / n), "you used the target "
                                                                    "y in (1 - y): " + _SIGMOID)]

    checks = [
        ("dL/dw", answer[0], F.T @ g, [
            (g.sum() * F.mean(0), "dL/dw is a sum over the images of dL/dz_n times that image's "
                                  "features, F.T @ dL/dz, not a product of a sum and a mean"),
            (g.sum() * F.sum(0), "dL/dw is a sum of products, F.T @ dL/dz, not a product of "
                                 "sums: each image's features go with its own dL/dz_n"),
            (g.sum() * w, "you swapped F and w: dL/dw = F.T @ dL/dz (w multiplies F)"),
            (F.T @ g / n, "you divided by N twice: dL/dz already holds the mean's 1/N"),
            (F @ w * g, "dL/dw has one entry per weight: F.T @ dL/dz")]
         + family(lambda d: F.T @ d)),
        ("dL/dbf", answer[1], g.sum(), [
            (g, "dL/dbf is one number: bf is one bias added for every image, so sum dL/dz over "
                "the images"),
            (g.mean(), mean + " once, not twice (the mean of dL/dz divides again)")]
         + family(lambda d: d.sum())),
        ("dL/dF", answer[2], np.outer(g, w), [
            (g @ F, "you swapped F and w: dL/dF = np.outer(dL/dz, w), a row per image"),
            (g.sum() * w, "dL/dF has one row per image (shape (N, D)): np.outer(dL/dz, w)"),
            (np.outer(g, w).sum(0), "dL/dF has one row per image (shape (N, D)), not their "
                                    "sum"),
            (np.outer(w, g), "dL/dF is np.outer(dL/dz, w), one row per image, shape (N, D); "
                             "yours is transposed, (D, N)")] + family(lambda d: np.outer(d, w))),
    ]
    shown = f"F={show_value(F)}, w={show_value(w)}, y_hat={show_value(y_hat)}, y={show_value(y)}"
    return first_failure((compare_arrays(value, expected, name, mistakes, shown=shown)
                          for name, value, expected, mistakes in checks),
                         "output_layer_grads: all three gradients are correct for a batch")


check_output_layer = Exercise(
    "output_layer_grads", "(dL/dw, dL/dbf, dL/dF) of z = F @ w + bf for a batch, mean squared "
                          "error", check=_output_layer_check,
    idea="first dL/dz_n for each image, dividing by N for the mean; then each input of "
         "z_n = F[n] . w + bf gets dL/dz_n times what it was multiplied by, and a parameter "
         "shared by the N images adds up its N contributions",
    solution=_seed_network_backward, why="its first lines are the output layer for a batch; "
                                         "there dL/dz already holds the 1/N")
