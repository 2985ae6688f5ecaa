"""Lesson 07: gradients through pooling and convolution; the gradient check and a bug zoo.

Panels first, then the exercise checkers: the kernel's, the conv bias's and the input's
gradients, a finite-difference gradient, the seed network's whole backward pass.
"""

from __future__ import annotations

from functools import partial

import matplotlib.pyplot as plt
import numpy as np

from .._validate import as_rng, check_bool
from ..conv import conv2d, conv2d_backward
from ..gradcheck import TOLERANCE as CHECK_TOLERANCE
from ..gradcheck import numerical_gradient, rel_error
from ..plotting import show_image
from ..seednet import init_seed_params, seed_backward, seed_forward
from ..ui.widgets import Panel
from . import _mistakes07 as M
from . import solutions
from ._check import Exercise
from ._common import KERNELS, digit, dropdown, first_of, set_cell_texts, slider
from ._mistakes07 import BUGS, LOPSIDED_EDGE

_gradient_image = partial(show_image, signed=True, colorbar_label="gradient")


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
    as_rng(seed, "seed")
    tied = check_bool(tied, "tied")
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
    _gradient_image(axes[1], grads["grad_relu"], "dL/dR:\nonly the winners receive")
    _gradient_image(axes[2], grads["grad_conv"], "dL/dC:\nand only where C + b > 0")
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
        # cells not yet added: greyed (white at 0.6 hid nothing on a map that is mostly 0,
        # which the colour map draws white)
        shade.reshape(-1, 4)[cells:] = (0.5, 0.5, 0.5, 0.5)
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

    # 784 values: a long track (at 300 px the track was 83 px, ten values a pixel)
    return Panel(fig, update, {"cells": slider("output cells added", 1, 1, 784, width="640px")},
                 animated=[done_shown, patch_box, k_shown, axes[2].title, *texts],
                 describe=describe)


def step_size_lab():
    """The finite-difference step h against the error of the check, smooth and through a ReLU.

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

    def kink_jump():
        """The first h past the ReLU curve's lowest point where its error tops the threshold."""
        relu = np.asarray(errors["through a ReLU"])
        past = np.flatnonzero((np.arange(len(steps)) > np.argmin(relu))
                              & (relu > CHECK_TOLERANCE))
        return steps[past[0]] if past.size else steps[-1]

    def describe(log10_h):
        index = int(np.argmin(np.abs(np.log10(steps) - log10_h)))
        best = steps[int(np.argmin(errors["smooth (tanh)"]))]
        jump = kink_jump()
        return (f"Relative error of a gradient check against the step h, on log scales, for "
                f"a smooth function and one through a ReLU. The smooth curve is U-shaped, "
                f"lowest at h = {best:.1g}; the ReLU curve falls as h grows (no truncation "
                f"error) until h crosses a kink, where it jumps above the threshold (at h = "
                f"{jump:.1g}). Your h = {10.0 ** log10_h:.2g} (red line): error "
                f"{errors['smooth (tanh)'][index]:.1e} (smooth), "
                f"{errors['through a ReLU'][index]:.1e} (ReLU); the threshold is "
                f"{CHECK_TOLERANCE:g}.")

    panel = Panel(fig, update, {"log10_h": slider("log10(h)", -6.0, -13.0, 0.0, 0.5)},
                  animated=[marker, legend, ax.title],     # the line passes under the legend
                  describe=describe)
    panel.steps, panel.errors = steps, errors          # the curves' data, for the tests
    return panel


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
        analytic = M.buggy_kernel_gradient(x, kernel, grad_out, stride, bug)
        analytic_shown.set_data(analytic)
        error_shown.set_data(np.abs(analytic - numerical))
        error = rel_error(analytic, numerical)
        verdict = "PASS" if error <= CHECK_TOLERANCE else "FAIL"
        heading.set_text(f"{bug}: relative error {error:.1e} -> gradient check {verdict}")
        axes[1].set_title("analytic dL/dK\n" + ("(no bug)" if bug == "no bug" else
                                                 "(with the bug)"))

    def describe(bug):
        analytic = M.buggy_kernel_gradient(x, kernel, grad_out, stride, bug)
        error = rel_error(analytic, numerical)
        worst = np.unravel_index(np.argmax(np.abs(analytic - numerical)), numerical.shape)
        verdict = "passes" if error <= CHECK_TOLERANCE else "fails"
        return (f"Bug: {bug}. The 3x3 numerical and analytic kernel gradients side by side "
                f"with their error map: relative error {error:.1e}, so the gradient check "
                f"{verdict}; the largest absolute error, "
                f"{np.abs(analytic - numerical).max():.2g}, is at row {worst[0]}, column "
                f"{worst[1]}.")

    return Panel(fig, update, {"bug": dropdown("bug", BUGS, "no bug", width="380px")},
                 animated=[analytic_shown, error_shown, heading, axes[1].title],
                 describe=describe)


# ---- Worked solutions (the third tier of help), written for the exercises --------------------


# ---- Exercise checkers (their mistake catalogues: _mistakes07) -------------------------------

check_grad_kernel = Exercise(
    "grad_kernel",
    "grad_kernel(image, grad_conv): dL/dK of a 3x3 kernel with 'same' padding (p = 1), given the "
    "image and dL/dC",
    cases=M.GRAD_KERNEL_CASES, right=M.grad_k, mistakes=M.GRAD_KERNEL,
    exception_hints=M.GRAD_KERNEL_EXCEPTIONS, shape_hint=M.grad_kernel_shape_hint,
    describe=lambda im, g: f"a {im.shape[0]}x{im.shape[1]} image and its dL/dC",
    passed="grad_kernel: correct on a 6x7 and a 5x4 image (with 0 pixels)",
    forbidden=[*M.refuse(("conv2d_backward", "conv_backward", "seed_backward"),
                         "build dK yourself")],
    idea="pad the image by 1; for every output cell (i, j) the patch it saw is padded[i:i+3, "
         "j:j+3]: add dL/dC[i, j] times that patch to a 3x3 running sum",
    solution=solutions.grad_kernel, why="each output cell hands dL/dC times the patch it saw "
                                         "back to the kernel, the sum this lesson derives")

check_grad_bias = Exercise(
    "grad_bias",
    "grad_bias(grad_relu, pre_activation): dL/db of the conv bias, given dL/dR (at the ReLU's "
    "output) and the ReLU's input",
    cases=M.GRAD_BIAS_CASES, right=lambda g, pre: np.sum(g * (pre > 0)), mistakes=M.GRAD_BIAS,
    describe=lambda g, pre: f"a {g.shape[0]}x{g.shape[1]} dL/dR and pre_activation",
    shape_hint=M.grad_bias_shape_hint,
    passed="grad_bias: correct on a 5x5 and a 3x4 map (with exact zeros)",
    idea="b was added to every cell of C, so each cell hands its dL/dC back to b; dL/dC is "
         "dL/dR where the ReLU's input was positive and 0 elsewhere",
    solution=solutions.grad_bias,
    why="the ReLU's mask, then the sum over the cells b was added to")

check_grad_input = Exercise(
    "grad_input",
    "grad_input(grad_conv, kernel): dL/dI of conv2d(image, kernel, padding='same') for any odd "
    "kernel, given dL/dC",
    cases=M.GRAD_IMAGE_CASES, right=M.grad_i, mistakes=M.GRAD_IMAGE,
    shape_hint=M.grad_image_shape_hint,
    passed="grad_input: correct for a 3x3 and a 3x5 kernel",
    forbidden=M.refuse(("conv2d_backward", "conv_backward", "seed_backward",
                        "seed_network_backward"), "derive dL/dI"),
    idea="pixel (p, q) of the padded image was read by output cell (p - u, q - v) through tap "
         "(u, v): loop over the cells adding dL/dC[i, j] * kernel into the patch each saw, or "
         "cross-correlate dL/dC, padded by k - 1, with the rotated kernel; then drop the ring",
    solution=solutions.grad_input, why="the scatter form of dL/dI: each cell adds dL/dC times "
                                        "the kernel into the patch it read, then the ring is "
                                        "dropped")

check_numerical_gradient = Exercise(
    "numerical_gradient",
    "numerical_gradient(f, x, h): centred finite differences of f at x with step h, one entry at "
    "a "
    "time, shaped like x", cases=M.NUMERICAL_CASES,
    right=lambda f, x, h: numerical_gradient(f, x, h=h), rtol=1e-5, mistakes=M.NUMERICAL,
    shape_hint=lambda shape: "return an array shaped like x: one slope per entry",
    forbidden=M.refuse(("numerical_gradient", "check_gradient", "one_sided_slopes",
                        "approx_fprime", "gradient"), "write the finite differences"),
    idea="for each index of a float copy of x (np.ndindex(x.shape)): set that entry to original "
         "+ h and evaluate f, then original - h, divide the difference by 2h, put it back",
    solution=solutions.numerical_gradient, why="the check this lesson runs against every "
                                                "gradient it derives (cnnlab.gradcheck has it "
                                                "for any function)")

check_backward_pass = Exercise(
    "backward_pass",
    "backward_pass(image, params, y): every gradient of the seed network for one image and target "
    "y (squared "
    "error), in a dict keyed like params", check=M.check_seed_gradients,
    forbidden=M.refuse(("seed_backward", "seed_network_backward", "seed_network_loss",
                        "seed_step", "numerical_gradient", "check_gradient"),
                       "chain the layers' gradients yourself"),
    idea="cl.seed_forward(image, params) gives the cache; walk back: dL/dz, then dL/dw, dL/dbf, "
         "dL/df (lesson 06), dL/df reshaped to dL/dS, to each window's winner, through the "
         "ReLU's mask, then dL/db and dL/dK (exercises 1 and 2)",
    solution=solutions.backward_pass,
    why="lessons 04 to 07 chained: dL/dz, the dense layer, each window's winner, the ReLU's "
        "mask, then exercises 2 and 1")
