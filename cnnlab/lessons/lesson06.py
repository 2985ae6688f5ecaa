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
from . import _mistakes06 as M
from . import solutions
from ._check import Exercise
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
    point = ax.plot([0], [0], "o", color="white", mec="black", label="your (alpha, bias)")[0]
    point.set_clip_on(False)                # at a corner of the map it shows whole
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
    def describe(alpha, bias, loss):
        row, col = lowest[loss]
        value, grad_a, grad_b = _loss_and_grad(alpha, bias - alpha * centre, projected,
                                               targets, loss)
        grad_a = grad_a - centre * grad_b
        length = min(float(np.hypot(grad_a, grad_b)), ARROW_MAX)     # as drawn
        return (f"A map of the {loss} loss over alpha and the bias, both from -3 to 3 (log "
                f"colour scale, {low:.2f} to {high:.2f}). Your point (alpha {alpha:.2f}, bias "
                f"{bias:.2f}) has loss {value:.3f}; the lowest, {surfaces[loss][row, col]:.3f}, "
                f"is at alpha {alphas[col]:.1f}, bias {biases[row]:.1f}, marked with a star. "
                f"Gradient (dL/dalpha, dL/dbias) = ({grad_a:.3f}, {grad_b:.3f}); the red arrow "
                f"points downhill, {length:.2f} long"
                + (" (too short to see: the surface is nearly flat here)." if length < 0.05
                   else "."))

    return Panel(fig, update, controls, animated=[shown, minimum, point, arrow, ax.title],
                 describe=describe)


# ---- Worked solutions (the third tier of help), written for the exercises --------------------


# ---- Exercise checkers (their mistake catalogues: _mistakes06) -------------------------------

check_grad_logit = Exercise(
    "grad_logit",
    "grad_logit(y_hat, y, loss): dL/dz of a sigmoid output, element-wise, for loss "
    "\"squared_error\" or "
    "\"bce\" (only these two names are checked)",
    check=M.check_grad_logit_answer,
    idea="write dL/dy_hat first (y_hat - y for the squared error), then multiply by the "
         "sigmoid's slope dy_hat/dz = y_hat (1 - y_hat); for cross-entropy, dL/dy_hat has "
         "y_hat (1 - y_hat) as its denominator, so the product simplifies",
    solution=solutions.grad_logit, why="dL/dy_hat times the sigmoid's slope, the chain rule of "
                                        "this lesson, with the slope cancelling for cross-entropy")

check_output_layer = Exercise(
    "output_layer_grads",
    "output_layer_grads(F, w, y_hat, y): (dL/dw, dL/dbf, dL/dF) of z = F @ w + bf for a batch, "
    "mean squared "
    "error", check=M.check_output_layer_answer,
    idea="first dL/dz_n for each image, dividing by N for the mean; then each input of "
         "z_n = F[n] . w + bf gets dL/dz_n times what it was multiplied by, and a parameter "
         "shared by the N images adds up its N contributions",
    solution=solutions.output_layer_grads, why="the seed network's output layer for a batch: "
                                                "lesson 07's whole backward pass starts here")
