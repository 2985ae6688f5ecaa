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
from ..seednet import init_seed_params, seed_forward
from ..ui.widgets import Panel
from ._check import (
    CheckResult,
    check_function,
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
    ax.set(xlabel="alpha (w = alpha * direction)", ylabel="bias bf (shifted to the median)")
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
        scale = 1.0 / max(np.hypot(grad_a, grad_b), 1e-12)
        arrow.set_offsets([[alpha, bias]])
        arrow.set_UVC([-grad_a * scale], [-grad_b * scale])
        ax.set_title(f"{loss}: L = {value:.3f} (lowest {surfaces[loss][row, col]:.3f})\n"
                     f"gradient (dL/dalpha, dL/dbf) = ({grad_a:.3f}, {grad_b:.3f})", fontsize=10)

    controls = {"alpha": slider("alpha", -1.0, -3.0, 3.0, 0.25),
                "bias": slider("bias", 1.5, -3.0, 3.0, 0.25),
                "loss": widgets.ToggleButtons(options=["cross-entropy", "squared error"],
                                              value="cross-entropy", description="loss")}
    def describe(alpha, bias, loss):
        row, col = lowest[loss]
        value, grad_a, grad_b = _loss_and_grad(alpha, bias - alpha * centre, projected,
                                               targets, loss)
        grad_a = grad_a - centre * grad_b
        return (f"A map of the {loss} loss over alpha and the bias, both from -3 to 3 (log "
                f"colour scale, {low:.2f} to {high:.2f}). Your point (alpha {alpha:.2f}, bias "
                f"{bias:.2f}) has loss {value:.3f}; the lowest, {surfaces[loss][row, col]:.3f}, "
                f"is at alpha {alphas[col]:.1f}, bias {biases[row]:.1f}, marked with a star. "
                f"Gradient (dL/dalpha, dL/dbf) = ({grad_a:.3f}, {grad_b:.3f}); the red arrow "
                f"points downhill.")

    return Panel(fig, update, controls, animated=[shown, minimum, point, arrow, ax.title],
                 describe=describe)


# ---- Exercise checkers ----------------------------------------------------------------------

_Y_HAT = np.array([0.9, 0.2, 0.6, 0.05])
_Y = np.array([1.0, 1.0, 0.0, 0.0])
_LOSS_NAMES = ("squared_error", "bce")

_PRODUCT_EXCEPTIONS = [
    (ValueError, "matmul", "ValueError: you used @ (a matrix product) where an element-wise "
                           "product * is needed"),
    (ValueError, "broadcast", "ValueError: two arrays of different shapes met in an "
                              "element-wise operation: check which vector each product needs"),
]
_LOSS_EXCEPTIONS = [
    (KeyError, None, "KeyError: a loss name your function does not know: the exercise "
                     "passes loss=\"squared_error\" or loss=\"bce\" (check the loss names)"),
] + _PRODUCT_EXCEPTIONS


def _grad_logit_mistakes(loss):
    chained = lambda y_hat, y, loss: (y_hat - y) * y_hat * (1 - y_hat)  # noqa: E731
    plain = lambda y_hat, y, loss: y_hat - y  # noqa: E731
    common = [
        (lambda y_hat, y, loss: np.mean(_right_grad_logit(y_hat, y, loss)),
         "return one value per entry of y_hat (element-wise), not their mean"),
    ]
    if loss == "squared_error":
        return [
            (plain, "you left out the sigmoid's derivative y_hat (1 - y_hat)"),
            (lambda y_hat, y, loss: -chained(y_hat, y, loss),
             "the sign is flipped: L grows with y_hat - y, so dL/dz has its sign"),
            (lambda y_hat, y, loss: 2 * chained(y_hat, y, loss),
             "twice too large: the 1/2 in L = 1/2 (y_hat - y)^2 cancels the 2 from the square"),
            (lambda y_hat, y, loss: y_hat * (1 - y_hat),
             "that is dy_hat/dz alone: multiply it by dL/dy_hat = y_hat - y"),
        ] + common
    return [
        (chained, "for cross-entropy the sigmoid's derivative cancels: dL/dz = y_hat - y"),
        (lambda y_hat, y, loss: -plain(y_hat, y, loss), "the sign is flipped: dL/dz = y_hat - y"),
        (lambda y_hat, y, loss: (y_hat - y) / (y_hat * (1 - y_hat)),
         "that is dL/dy_hat of cross-entropy; multiply it by dy_hat/dz = y_hat (1 - y_hat), "
         "which cancels its denominator: dL/dz = y_hat - y"),
    ] + common


def _right_grad_logit(y_hat, y, loss):
    chained = (y_hat - y) * y_hat * (1 - y_hat)
    return chained if loss == "squared_error" else y_hat - y


def check_grad_logit(grad_logit):
    """``grad_logit(y_hat, y, loss)``: dL/dz for a sigmoid output, loss "squared_error" or "bce".

    Parameters
    ----------
    grad_logit : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> def right(y_hat, y, loss):
    ...     return (y_hat - y) * y_hat * (1 - y_hat) if loss == "squared_error" else y_hat - y
    >>> check_grad_logit(right).passed
    True
    >>> print(check_grad_logit(lambda y_hat, y, loss: y_hat - y).message)
    grad_logit (squared error): you left out the sigmoid's derivative y_hat (1 - y_hat)
    """
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
    return first_failure((check_function(
        grad_logit, [(_Y_HAT, _Y, loss)], _right_grad_logit, _grad_logit_mistakes(loss),
        name=f"grad_logit ({label})", exception_hints=_LOSS_EXCEPTIONS)
        for loss, label in zip(_LOSS_NAMES, ("squared error", "cross-entropy"), strict=True)),
        "grad_logit: correct for both losses")


def check_output_layer(output_layer_grads):
    """``output_layer_grads(f, w, y_hat, y)`` -> (dL/dw, dL/dbf, dL/df), squared error loss.

    Parameters
    ----------
    output_layer_grads : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> def right(f, w, y_hat, y):
    ...     g = (y_hat - y) * y_hat * (1 - y_hat)
    ...     return g * f, g, g * w
    >>> check_output_layer(right).passed
    True
    >>> def swapped(f, w, y_hat, y):
    ...     g = (y_hat - y) * y_hat * (1 - y_hat)
    ...     return g * w, g, g * f
    >>> print(check_output_layer(swapped).message)
    dL/dw: you swapped f and w: dL/dw = dL/dz * f (w multiplies f in z = w . f + bf)
    """
    rng = np.random.default_rng(6)
    f, w = rng.random(6), rng.standard_normal(6)
    y_hat, y = 0.7, 0.0
    answer, failure = run_function(output_layer_grads, f, w, y_hat, y,
                                   name="output_layer_grads", must_return=True,
                                   exception_hints=_PRODUCT_EXCEPTIONS)
    if failure is not None:
        return failure
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        got = f"{len(answer)} things" if isinstance(answer, (tuple, list)) else (
            type(answer).__name__)
        return CheckResult(False, f"output_layer_grads: return three things, "
                                  f"(grad_w, grad_bf, grad_f); got {got}")
    g = (y_hat - y) * y_hat * (1 - y_hat)
    forgot = "you left out the sigmoid's derivative y_hat (1 - y_hat)"
    sign = "the sign is flipped: dL/dz = (y_hat - y) y_hat (1 - y_hat)"
    no_error = "you left out dL/dy_hat = y_hat - y: dL/dz = (y_hat - y) y_hat (1 - y_hat)"
    half = "twice too large: the 1/2 in the loss cancels the 2 from the square"

    def family(x):
        return [((y_hat - y) * x, forgot), (-g * x, sign),
                (y_hat * (1 - y_hat) * x, no_error), (2 * g * x, half)]

    checks = [
        ("dL/dw", answer[0], g * f, [(g * w, "you swapped f and w: dL/dw = dL/dz * f (w "
                                             "multiplies f in z = w . f + bf)"),
                                     (g * np.dot(f, f), "dL/dw has one entry per weight: "
                                                        "dL/dz * f, element-wise (not a dot "
                                                        "product)"),
                                     (g * np.dot(f, w), "dL/dw has one entry per weight: "
                                                        "dL/dz * f, element-wise (not a dot "
                                                        "product)")] + family(f)),
        ("dL/dbf", answer[1], g, [(g * np.ones_like(f), "dL/dbf is one number: bf is a single "
                                                        "bias, dL/dbf = dL/dz"),
                                  (g * f, "dL/dbf is one number: bf is a single bias, dL/dbf "
                                          "= dL/dz")] + family(1.0)),
        ("dL/df", answer[2], g * w, [(g * f, "you swapped f and w: dL/df = dL/dz * w")]
         + family(w)),
    ]
    shown = f"f={show_value(f)}, w={show_value(w)}, y_hat={y_hat}, y={y}"
    return first_failure((compare_arrays(value, expected, name, mistakes, shown=shown)
                          for name, value, expected, mistakes in checks),
                         "output_layer_grads: all three gradients are correct")
