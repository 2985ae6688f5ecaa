"""Lesson 07: gradients through pooling and convolution; the gradient check and a bug zoo.

Panels first, then the exercise checkers:
the kernel gradient and the conv-bias gradient.
"""

from __future__ import annotations

from functools import partial

import matplotlib.pyplot as plt
import numpy as np

from ..conv import conv2d, conv2d_backward
from ..gradcheck import TOLERANCE as CHECK_TOLERANCE
from ..gradcheck import numerical_gradient, rel_error
from ..plotting import show_image
from ..seednet import init_seed_params, seed_backward, seed_forward, seed_kernel_gradient_as_written
from ..ui.widgets import Panel
from ._check import check_function
from ._common import KERNELS, digit, dropdown, first_of, set_cell_texts, slider

_gradient_image = partial(show_image, signed=True, colorbar_label="gradient")

LOPSIDED_EDGE = np.array([[-0.5, 0.0, 0.5], [-1.0, 0.0, 1.0], [-0.25, 0.0, 0.25]])
"""A vertical-edge kernel with a weaker bottom row: its 180-degree rotation is neither the kernel
nor its negative, so a rotated gradient cannot pass for the right one by accident."""


def seed_example(seed=0, tied=False):
    """A seed network on a real digit with the gradients of every layer (target y = 1).

    The default example has no pooling tie and no ReLU input near 0, so a gradient check with
    ``h = 1e-6`` crosses no kink; ``tied=True`` (Sobel y x 0.5, bias -0.1) has two tied
    pooling windows, where a correct gradient fails the check.

    Parameters
    ----------
    seed : int
        Seed of np.random.default_rng, so reruns match.
    tied : bool
        The example with tied pooling windows.

    Returns
    -------
    (image (28, 28), params, cache, grads)
        As :func:`cnnlab.seed_forward` and :func:`cnnlab.seed_backward` give them.

    Examples
    --------
    >>> image, params, cache, grads = seed_example()
    >>> from cnnlab.pooling import tied_windows
    >>> grads["grad_kernel"].shape, tied_windows(cache["relu"])
    ((3, 3), [])
    >>> tied_windows(seed_example(tied=True)[2]["relu"])
    [(10, 4), (10, 5)]
    """
    image, _ = digit(first_of(3))
    params = init_seed_params((28, 28), 3, rng=seed, scale=0.2)
    if tied:
        params["kernel"] = KERNELS["Sobel y (horizontal edges)"] * 0.5
        params["bias"] = np.array(-0.1)
    else:
        params["kernel"] = LOPSIDED_EDGE.copy()
        params["bias"] = np.array(-0.13)
    _, cache = seed_forward(image, params)
    return image, params, cache, seed_backward(1.0, cache)


def routing_figure():
    """dL/dS (14x14) routed back through max pooling to dL/d(ReLU output) (28x28).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = routing_figure()
    >>> fig.axes[0].get_title()
    'dL/dS (pooled, 14x14)'
    >>> plt.close(fig)
    """
    _, _, cache, grads = seed_example()
    fig, axes = plt.subplots(1, 3, figsize=(8.4, 3.3), layout="constrained")
    _gradient_image(axes[0], grads["grad_pooled"], "dL/dS (pooled, 14x14)")
    _gradient_image(axes[1], grads["grad_relu"], "dL/dR: only the winners receive")
    _gradient_image(axes[2], grads["grad_conv"], "dL/dC: and only where C + b > 0")
    return fig


def kernel_gradient_builder():
    """dL/dK built patch by patch: slide over the output cells and watch the sum accumulate.

    Returns
    -------
    cnnlab.ui.widgets.Panel

    Examples
    --------
    >>> panel = kernel_gradient_builder()
    >>> before = panel.live.widget.value
    >>> panel.controls["cells"].value = 400
    >>> panel.live.widget.value != before
    True
    """
    image, params, cache, grads = seed_example()
    grad_conv = grads["grad_conv"]
    padded = np.pad(image, 1)
    # contribution of output cell (i, j): grad_conv[i, j] * the 3x3 patch it saw
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3))
    contributions = (grad_conv[:, :, None, None] * windows).reshape(-1, 3, 3)
    running = np.cumsum(contributions, axis=0)
    limit = np.abs(grads["grad_kernel"]).max()
    fig, axes = plt.subplots(1, 3, figsize=(8.8, 3.4), layout="constrained")
    _gradient_image(axes[0], grad_conv, "dL/dC (upstream gradient)")
    done_shown = axes[0].imshow(np.zeros((28, 28, 4)))
    show_image(axes[1], image, "input image: the current patch", cmap="gray",
               colorbar_label="pixel")
    patch_box = axes[1].add_patch(plt.Rectangle((-1.5, -1.5), 3, 3, fill=False, ec="tab:red",
                                                lw=2))
    k_shown = _gradient_image(axes[2], np.zeros((3, 3)), "dL/dK so far", vmin=-limit, vmax=limit,
                              annotate=True)
    axes[2].set(xticks=range(3), yticks=range(3))
    texts = list(axes[2].texts)
    for text in texts:
        text.set_fontsize(9)

    def update(cells):
        index = cells - 1
        i, j = divmod(index, 28)
        partial = running[index]
        k_shown.set_data(partial)
        set_cell_texts(texts, partial, k_shown, "{:.2g}")
        patch_box.set_xy((j - 1.5, i - 1.5))
        shade = np.zeros((28, 28, 4))
        shade.reshape(-1, 4)[cells:] = (1, 1, 1, 0.6)       # cells not yet added: greyed
        done_shown.set_data(shade)
        axes[2].set_title(f"dL/dK after {cells} of 784 cells\n"
                          + ("= the full gradient" if cells == 784 else "(running sum)"))

    def describe(cells):
        i, j = divmod(cells - 1, 28)
        rows = "; ".join(" ".join(f"{v:.2g}" for v in row) for row in running[cells - 1])
        return (f"dL/dK built from the first {cells} of 784 output cells (the last one added: "
                f"row {i}, column {j}, its 3x3 input patch boxed in red; cells not yet added "
                f"greyed on the dL/dC map). dL/dK so far, rows: {rows}"
                + (": the full gradient." if cells == 784 else "."))

    return Panel(fig, update, {"cells": slider("output cells added", 1, 1, 784)},
                 animated=[done_shown, patch_box, k_shown, axes[2].title, *texts],
                 describe=describe)


def step_size_lab():
    """The finite-difference step h against the error of the check: a U-shaped curve.

    Returns
    -------
    cnnlab.ui.widgets.Panel

    Examples
    --------
    >>> panel = step_size_lab()
    >>> before = panel.live.widget.value
    >>> panel.controls["log10_h"].value = -2.0
    >>> panel.live.widget.value != before
    True
    """
    rng = np.random.default_rng(7)
    x = rng.normal(size=(6, 6))
    kernel = rng.normal(size=(3, 3))
    weights = rng.normal(size=(6, 6))

    out = conv2d(x, kernel, padding=1)
    steps = np.logspace(-13, 0, 53)
    errors = {}
    # A smooth function of the kernel, and the same through a ReLU (kinks where out crosses 0):
    # (the function applied to the convolution, its slope at out).
    for name, (f, slope) in {"smooth (tanh)": (np.tanh, 1 - np.tanh(out) ** 2),
                             "through a ReLU": (lambda v: np.maximum(v, 0), out > 0)}.items():
        def loss(kernel, f=f):
            return float(np.sum(f(conv2d(x, kernel, padding=1)) * weights))
        _, analytic = conv2d_backward(slope * weights, x, kernel, padding=1)
        errors[name] = [rel_error(analytic, numerical_gradient(loss, kernel, h=h)) for h in steps]
    fig, ax = plt.subplots(figsize=(7.2, 4.2), layout="constrained")
    for name, values in errors.items():
        ax.loglog(steps, values, "o-", ms=3, label=name)
    ax.axhline(CHECK_TOLERANCE, color="grey", ls="--", lw=0.8,
               label=f"check_gradient's threshold ({CHECK_TOLERANCE:g})")
    marker = ax.axvline(1e-6, color="tab:red", lw=1.5, label="your h")
    ax.set(xlabel="finite-difference step h", ylabel="relative error of the check",
           ylim=(1e-15, 10), yticks=10.0 ** np.arange(-15, 1, 3),
           xticks=10.0 ** np.arange(-12, 1, 2))
    legend = ax.legend(fontsize=8, loc="upper center")

    def update(log10_h):
        h = 10.0 ** log10_h
        marker.set_xdata([h, h])
        index = int(np.argmin(np.abs(np.log10(steps) - log10_h)))
        ax.set_title(f"h = {h:.2g}: error {errors['smooth (tanh)'][index]:.1e} (smooth), "
                     f"{errors['through a ReLU'][index]:.1e} (ReLU)", fontsize=10)

    def describe(log10_h):
        index = int(np.argmin(np.abs(np.log10(steps) - log10_h)))
        best = {name: steps[int(np.argmin(values))] for name, values in errors.items()}
        return (f"Relative error of a gradient check against the step h, on log scales, for "
                f"a smooth function and one through a ReLU: U-shaped curves, lowest at h = "
                f"{best['smooth (tanh)']:.1g} (smooth) and {best['through a ReLU']:.1g} "
                f"(ReLU). Your h = {10.0 ** log10_h:.2g} (red line): error "
                f"{errors['smooth (tanh)'][index]:.1e} (smooth), "
                f"{errors['through a ReLU'][index]:.1e} (ReLU); the threshold is "
                f"{CHECK_TOLERANCE:g}.")

    panel = Panel(fig, update, {"log10_h": slider("log10(h)", -6.0, -13.0, 0.0, 0.5)},
                  animated=[marker, legend, ax.title],     # the line passes under the legend
                  describe=describe)
    panel.steps, panel.errors = steps, errors          # the curves' data, for the tests
    return panel


BUGS = ["no bug", "kernel flip", "missing stride", "overwrite instead of accumulate",
        "in-place ReLU"]


def _buggy_kernel_gradient(x, kernel, grad_out, stride, bug):
    """dL/dK of ``relu(conv2d(x, kernel, stride))`` for upstream ``grad_out``, with ``bug``
    (one of BUGS), written as the loop a learner writes."""
    kh, kw = kernel.shape
    source = np.maximum(x, 0) if bug == "in-place ReLU" else x   # ReLU overwrote the input
    pre = conv2d(x, kernel, stride=stride)
    grad_pre = grad_out * (pre > 0)
    step = 1 if bug == "missing stride" else stride
    grad_kernel = np.zeros_like(kernel)
    for i in range(pre.shape[0]):
        for j in range(pre.shape[1]):
            patch = source[i * step:i * step + kh, j * step:j * step + kw]
            if bug == "overwrite instead of accumulate":
                grad_kernel = grad_pre[i, j] * patch
            else:
                grad_kernel = grad_kernel + grad_pre[i, j] * patch
    return grad_kernel[::-1, ::-1] if bug == "kernel flip" else grad_kernel


def bug_zoo():
    """Switch on a known bug and watch the gradient check fail, with its error map.

    Returns
    -------
    cnnlab.ui.widgets.Panel

    Examples
    --------
    >>> panel = bug_zoo()
    >>> before = panel.live.widget.value
    >>> panel.controls["bug"].value = "kernel flip"
    >>> panel.live.widget.value != before
    True
    """
    rng = np.random.default_rng(11)
    x = rng.normal(size=(9, 9))
    kernel = rng.normal(size=(3, 3))
    stride = 2
    grad_out = rng.normal(size=conv2d(x, kernel, stride=stride).shape)

    def loss(kernel):
        return float(np.sum(np.maximum(conv2d(x, kernel, stride=stride), 0) * grad_out))

    numerical = numerical_gradient(loss, kernel)
    fig, axes = plt.subplots(1, 3, figsize=(8.8, 3.4), layout="constrained")
    limit = np.abs(numerical).max() * 1.5
    _gradient_image(axes[0], numerical, "numerical dL/dK\n(finite differences)", vmin=-limit,
                    vmax=limit)
    analytic_shown = _gradient_image(axes[1], numerical, "analytic dL/dK\n(with the bug)",
                                     vmin=-limit, vmax=limit)
    error_shown = show_image(axes[2], np.zeros((3, 3)), "error map\n|analytic - numerical|",
                             cmap="Reds", vmin=0, vmax=limit, colorbar_label="absolute error")
    for ax in axes:
        ax.set(xticks=range(3), yticks=range(3), xlabel="kernel column v",
               ylabel="kernel row u")
    heading = fig.suptitle(" ")

    def update(bug):
        analytic = _buggy_kernel_gradient(x, kernel, grad_out, stride, bug)
        analytic_shown.set_data(analytic)
        error_shown.set_data(np.abs(analytic - numerical))
        error = rel_error(analytic, numerical)
        verdict = "PASS" if error <= CHECK_TOLERANCE else "FAIL"
        heading.set_text(f"{bug}: relative error {error:.1e} -> gradient check {verdict}")

    def describe(bug):
        analytic = _buggy_kernel_gradient(x, kernel, grad_out, stride, bug)
        error = rel_error(analytic, numerical)
        worst = np.unravel_index(np.argmax(np.abs(analytic - numerical)), numerical.shape)
        verdict = "passes" if error <= CHECK_TOLERANCE else "fails"
        return (f"Bug: {bug}. The 3x3 numerical and analytic kernel gradients side by side "
                f"with their error map: relative error {error:.1e}, so the gradient check "
                f"{verdict}; the largest absolute error, "
                f"{np.abs(analytic - numerical).max():.2g}, is at row {worst[0]}, column "
                f"{worst[1]}.")

    return Panel(fig, update, {"bug": dropdown("bug", BUGS, "no bug", width="380px")},
                 animated=[analytic_shown, error_shown, heading], describe=describe)


# ---- Exercise checkers ----------------------------------------------------------------------

def _right_grad_kernel(image, grad_conv):
    return conv2d_backward(grad_conv, image, np.zeros((3, 3)), padding=1)[1]


def _last_patch_only(image, grad_conv):
    """The 'overwrite instead of accumulate' bug: grad = ... in the loop keeps the last term."""
    h, w = grad_conv.shape
    return grad_conv[h - 1, w - 1] * np.pad(image, 1)[h - 1:h + 2, w - 1:w + 2]


def _unpadded(image, grad_conv, offset):
    """Patches of the unpadded image, paired with dL/dC cells shifted by ``offset``."""
    h, w = image.shape[0] - 2, image.shape[1] - 2
    return conv2d_backward(grad_conv[offset:offset + h, offset:offset + w], image,
                           np.zeros((3, 3)))[1]


GRAD_KERNEL_MISTAKES = [
    (lambda im, g: seed_kernel_gradient_as_written(im, g, 3),
     "your dK is the right one rotated 180 degrees: you flipped the kernel "
     "(image[i-u, j-v] instead of image[i+u, j+v]); the rotation belongs to dL/dI, not dL/dK"),
    (_last_patch_only, "only the last patch counts: you overwrote the sum (grad = ...) instead "
                       "of accumulating it (grad += ...) inside the loop"),
    (lambda im, g: _unpadded(im, g, 1), "you skipped the border cells: pad the image by 1 so "
                                         "every output cell has its 3x3 patch"),
    (lambda im, g: _unpadded(im, g, 0), "you used the unpadded image, so patch (i, j) was "
                                         "paired with the wrong cell of dL/dC: pad the image "
                                         "by 1 first (np.pad(image, 1))"),
    (lambda im, g: _right_grad_kernel(im, g) / g.size,
     "you averaged over the cells; dK is a sum over them"),
    (lambda im, g: _right_grad_kernel(im, g).T,
     "your dK is transposed: entry [u, v] belongs to row offset u and column offset v"),
    (lambda im, g: _right_grad_kernel(im, np.ones_like(g)),
     "you summed the patches without weighting them: multiply each patch by its dL/dC[i, j]"),
    (lambda im, g: -_right_grad_kernel(im, g), "the sign is flipped: dK = + sum of dL/dC "
                                               "times the patch"),
]

GRAD_KERNEL_EXCEPTIONS = [
    (ValueError, "broadcast", "ValueError: a patch at the border is smaller than 3x3 (shapes "
                              "could not be broadcast): pad the image by 1 first, then cut "
                              "padded[i:i+3, j:j+3]"),
    (IndexError, None, "IndexError: you indexed past the edge of an array: loop i over "
                       "range(H) and j over range(W) of dL/dC, and cut the patches from the "
                       "padded image"),
]


def check_grad_kernel(grad_kernel):
    """``grad_kernel(image, grad_conv)``: dL/dK of a 3x3 kernel with 'same' padding (p = 1).

    Parameters
    ----------
    grad_kernel : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_grad_kernel(_right_grad_kernel).passed
    True
    >>> print(check_grad_kernel(lambda im, g: _right_grad_kernel(im, g)[::-1, ::-1]).message[:67])
    dK: your dK is the right one rotated 180 degrees: you flipped the k
    """
    rng = np.random.default_rng(7)
    cases = [(rng.random((6, 7)), rng.normal(size=(6, 7)) * (rng.random((6, 7)) > 0.4)),
             (rng.random((5, 4)), rng.normal(size=(5, 4)))]
    return check_function(
        grad_kernel, cases, _right_grad_kernel,
        GRAD_KERNEL_MISTAKES, name="dK", exception_hints=GRAD_KERNEL_EXCEPTIONS,
        describe=lambda im, g: f"a {im.shape[0]}x{im.shape[1]} image and its dL/dC",
        passed="dK: correct on a 6x7 and a 5x4 image",
        shape_hint=lambda shape: "your answer has the image's shape: dK has one entry per "
                                 "kernel tap (3x3); did you compute dL/dI instead?"
                                 if shape in ((6, 7), (5, 4)) else None)


def _right_grad_bias(grad_relu, pre):
    return float(np.sum(grad_relu * (pre > 0)))


GRAD_BIAS_MISTAKES = [
    (lambda g, pre: float(np.sum(g)), "you forgot the ReLU: the gradient only passes where "
                                      "pre_activation > 0"),
    (lambda g, pre: float(np.mean(g * (pre > 0))), "b is added to every cell: sum their "
                                                   "gradients, do not average them"),
    (lambda g, pre: float(np.sum(g * (pre < 0))), "your mask is inverted: the ReLU passes the "
                                                  "gradient where pre_activation > 0"),
    (lambda g, pre: float(np.sum(g * (g > 0))), "the mask comes from the ReLU's input "
                                                "(pre_activation > 0), not from the gradient"),
    (lambda g, pre: float(np.sum(g * np.maximum(pre, 0))),
     "b is added, not multiplied: dC/db = 1, so multiply by the ReLU's mask (pre > 0), not by "
     "the ReLU's output"),
    (lambda g, pre: float(np.sum(g * pre)), "b is added, not multiplied: dC/db = 1, so no "
                                            "value of pre_activation multiplies the gradient"),
    (lambda g, pre: -float(np.sum(g * (pre > 0))), "the sign is flipped: dL/db = + sum of "
                                                   "dL/dR where pre_activation > 0"),
]


def check_grad_bias(grad_bias):
    """``grad_bias(grad_relu, pre_activation)``: dL/db of the conv bias, through the ReLU.

    Parameters
    ----------
    grad_bias : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> check_grad_bias(lambda g, pre: float(np.sum(g * (pre > 0)))).passed
    True
    >>> print(check_grad_bias(lambda g, pre: float(np.sum(g))).message)
    dL/db: you forgot the ReLU: the gradient only passes where pre_activation > 0
    """
    rng = np.random.default_rng(70)
    cases = [(rng.normal(size=(5, 5)), rng.normal(size=(5, 5))),
             (rng.normal(size=(3, 4)), rng.normal(size=(3, 4)))]
    return check_function(
        grad_bias, cases, _right_grad_bias, GRAD_BIAS_MISTAKES, name="dL/db",
        describe=lambda g, pre: f"a {g.shape[0]}x{g.shape[1]} dL/dR and pre_activation",
        passed="dL/db: correct on a 5x5 and a 3x4 map",
        shape_hint=lambda shape: "return one number: b was added to every cell, so sum the "
                                 "gradients that pass the ReLU (your answer is an array, like "
                                 "dL/dC)")
