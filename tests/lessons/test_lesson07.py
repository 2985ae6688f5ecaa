"""Lesson 07 (07_backprop.ipynb): what its prose claims, its panels and
figures, its exercise checkers and the mistakes they name.

Tests that run the notebook or render figures are marked ``slow``; the fast lane
(``python -m pytest -m "not slow"``) keeps the checkers.  The notebook runs once per
session (tests/lesson_runs.py), shared by the claim and figure tests.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pytest
from checker_checks import (
    a_stub_and_a_crash_say_not_yet,
    each_known_mistake_gets_its_own_hint,
    every_catalogued_mistake_fails_with_a_hint_that_names_it,
    right_answer_passes,
    the_checker_never_changes_the_learners_arguments,
    unfinished_stub_and_crash_say_not_yet,
    walk_answer_is_named,
)
from figure_checks import (
    COLUMN_PX,
    all_problems,
    panel_states,
    set_control,
    static,
    swept,
)
from lesson_runs import run_lesson
from panels import (
    check_every_control_changes_the_figure,
    panel_id,
    panels_of,
)

import cnnlab as cl
from cnnlab.lessons import lesson07

# ---- what the lesson says, its cells show (claims) ----------------------------------------------


def claim_07_the_example_has_no_ties_or_kinks(run):
    """'each of its 47 pooling windows with a positive maximum has a clear winner (by at least
    0.005); the other 149 windows are all 0 after the ReLU, ... every one of their cells has a
    negative ReLU input; and no ReLU input lies within 0.001 of 0' (issue 23: it said "every
    pooling window has a clear winner" while 149 of 196 tie at 0)."""
    cache = run.namespace["cache"]
    relu = cache["relu"]
    windows = np.sort(relu.reshape(14, 2, 14, 2).transpose(0, 2, 1, 3).reshape(14, 14, 4), -1)
    positive = windows[..., 3] > 0
    assert positive.sum() == 47 and (~positive).sum() == 149
    assert np.all(windows[..., 3][positive] - windows[..., 2][positive] >= 0.005)
    pre = cache["pre_activation"].reshape(14, 2, 14, 2).transpose(0, 2, 1, 3).reshape(14, 14, 4)
    assert np.all(pre[~positive] < 0)
    assert np.min(np.abs(cache["pre_activation"])) >= 0.001


def claim_07_cnnlab_passes_and_the_seed_fails(run):
    ours, theirs = run.namespace["ours"]["kernel"], run.namespace["theirs"]["kernel"]
    assert ours.passed, str(ours)
    assert not theirs.passed
    printed = run.output_of("seed_version = seed_kernel_gradient_as_written")
    assert re.search(r"cnnlab: kernel: .* ok\n", printed)
    assert re.search(r"seed: +kernel: .* MISMATCH\n", printed)
    assert "seed's answer == ours rotated 180 degrees: True" in printed


def claim_07_the_input_gradient_is_a_full_convolution_with_the_rotated_kernel(run):
    ns = run.namespace
    assert ns["full"].shape == (30, 30) and ns["grad_image"].shape == (28, 28)
    rotated = cl.check_gradient(ns["loss_of_image"], {"image": ns["image"]},
                                {"image": ns["grad_image"]})["image"]
    plain = cl.check_gradient(ns["loss_of_image"], {"image": ns["image"]},
                              {"image": ns["not_rotated"]})["image"]
    assert rotated.passed and not plain.passed
    printed = run.output_of("rotated = np.rot90")
    assert re.search(r"kernel rotated: +image: .* ok\n", printed)
    assert re.search(r"kernel not rotated: image: .* MISMATCH\n", printed)
    assert "equals cnnlab's grads['grad_image']: True" in printed


LESSON_07_EXAMPLE_CLAIMS = [claim_07_the_example_has_no_ties_or_kinks,
                            claim_07_cnnlab_passes_and_the_seed_fails,
                            claim_07_the_input_gradient_is_a_full_convolution_with_the_rotated_kernel]


@pytest.mark.slow
def test_07_the_example_is_described_as_it_is():
    run = run_lesson("07")
    assert run.says("with bias $b = -0.13$ and target $y = 1$")
    params = run.namespace["params"]
    assert float(params["bias"]) == -0.13
    kernel = params["kernel"]
    assert run.says("(so its 180-degree rotation is a different kernel, not even its negative)")
    for moved in (np.rot90(kernel, 2), kernel.T):
        assert not np.allclose(moved, kernel) and not np.allclose(moved, -kernel)
    assert np.abs(kernel[0]).sum() > np.abs(kernel[2]).sum()      # "bottom row is weaker"
    assert run.says("each of its 47 pooling windows with a positive maximum has a clear winner "
                    "(by at least 0.005); the other 149 windows are all 0 after the ReLU, a "
                    "four-way tie that does not matter, since every one of their cells has a "
                    "negative ReLU input and the ReLU's mask stops the gradient there; and no "
                    "ReLU input lies within 0.001 of 0")
    claim_07_the_example_has_no_ties_or_kinks(run)


@pytest.mark.slow
def test_07_pooling_and_relu_route_the_gradient_as_described():
    run = run_lesson("07")
    assert run.says("the gradient of the 196 flattened features")
    grads, cache = run.namespace["grads"], run.namespace["cache"]
    assert grads["grad_flat"].shape == (196,)
    assert run.says("backward it hands each window's gradient to **that one cell**")
    per_window = (grads["grad_relu"] != 0).reshape(14, 2, 14, 2).sum(axis=(1, 3))
    assert np.all(per_window == (grads["grad_pooled"] != 0))
    assert "cells that receive a gradient: 196 of 784 after pooling" in run.output_of(
        "routing_figure")
    assert run.says("the ReLU passes the gradient only where its input $C + b$ was positive")
    assert np.array_equal(grads["grad_conv"],
                          grads["grad_relu"] * (cache["pre_activation"] > 0))


@pytest.mark.slow
def test_07_the_running_sum_ends_at_the_kernel_gradient_and_the_bias_gets_the_total():
    run = run_lesson("07")
    assert run.says("When every cell is added the running sum is the kernel's gradient")
    panel = lesson07.kernel_gradient_builder()
    panel.controls["cells"].value = 784
    shown = next(np.asarray(ax.images[0].get_array()) for ax in panel.live.figure.axes
                 if ax.images and ax.images[0].get_array().shape == (3, 3))
    assert np.allclose(shown, run.namespace["grads"]["grad_kernel"])
    assert run.says("the bias, added to every cell, collects the sum of all of "
                    "$\\partial L/\\partial C$")
    grads = run.namespace["grads"]
    assert grads["grad_bias"] == pytest.approx(grads["grad_conv"].sum())


@pytest.mark.slow
def test_07_the_input_gradient_claims():
    run = run_lesson("07")
    assert run.says("a cross-correlation (what `cl.conv2d` computes) with the kernel **rotated "
                    "180 degrees**")
    assert run.says("one output for every pixel any tap touched (30 × 30)")
    claim_07_the_input_gradient_is_a_full_convolution_with_the_rotated_kernel(run)


@pytest.mark.slow
def test_07_the_check_exposes_the_seed():
    run = run_lesson("07")
    assert run.says("On our example cnnlab's gradient passes the check and the seed's fails")
    claim_07_cnnlab_passes_and_the_seed_fails(run)


@pytest.mark.slow
def test_07_the_tied_example_fails_for_the_reason_given():
    run = run_lesson("07")
    ns = run.namespace
    assert run.says("has exactly such ties")
    tied = cl.pooling.tied_windows(ns["tied_cache"]["relu"])
    assert tied
    assert run.says("Sobel $y$ ignores the middle row of its patch, and along the top edge of "
                    "the 3's lower bar the rows above and below are flat")
    assert np.all(ns["tied_params"]["kernel"][1] == 0)
    padded = np.pad(ns["tied_image"], 1)
    relu = ns["tied_cache"]["relu"]
    for row, col in tied:
        window = relu[2 * row:2 * row + 2, 2 * col:2 * col + 2]
        cells = [(2 * row + i, 2 * col + j) for i, j in np.argwhere(window == window.max())]
        patches = [padded[i:i + 3, j:j + 3] for i, j in cells]
        assert len(patches) >= 2
        assert all(np.array_equal(p[[0, 2]], patches[0][[0, 2]]) for p in patches)
    assert run.says("cnnlab's gradient, right everywhere else, fails the check there")
    assert not ns["tied"].passed
    assert "MISMATCH" in run.output_of("tied_windows(tied_cache")


@pytest.mark.slow
def test_07_one_sided_slopes_tell_a_tie_from_a_bug():
    run = run_lesson("07")
    ns = run.namespace
    assert run.says("At a tie they differ by a fixed amount however small $h$ gets, and the "
                    "analytic gradient (pooling gives a tie to the first maximum) equals one of "
                    "them")
    at = ns["tied"].worst_index
    analytic = ns["tied_grads"]["grad_kernel"][at]
    for h in (1e-6, 1e-8):
        slopes = cl.gradcheck.one_sided_slopes(ns["loss_of_tied_kernel"],
                                               ns["tied_params"]["kernel"], at, h=h)
        assert abs(slopes["forward"] - slopes["backward"]) > 1e-5
        assert min(abs(slopes["forward"] - analytic), abs(slopes["backward"] - analytic)) < 1e-8
    assert run.says("At the seed's worst entry the two slopes agree, and the seed's value "
                    "matches neither: a bug")
    at = ns["theirs"]["kernel"].worst_index
    slopes = cl.gradcheck.one_sided_slopes(ns["loss_of_kernel"], ns["params"]["kernel"], at)
    assert abs(slopes["forward"] - slopes["backward"]) < 1e-6
    assert abs(ns["seed_version"][at] - slopes["forward"]) > 1e-3


@pytest.mark.slow
def test_07_the_step_size_curves_look_as_described():
    run = run_lesson("07")
    panel = lesson07.step_size_lab()
    steps, errors = panel.steps, panel.errors
    smooth, kinked = np.array(errors["smooth (tanh)"]), np.array(errors["through a ReLU"])
    threshold = lesson07.CHECK_TOLERANCE
    assert run.says("For a smooth function the error is U-shaped in $h$ and lowest between "
                    "about $10^{-7}$ and $10^{-4}$ in float64; `check_gradient`'s default "
                    "$h = 10^{-6}$ lies there")
    assert 1e-7 <= steps[np.argmin(smooth)] <= 1e-4
    assert smooth[0] > threshold and smooth[-1] > threshold
    assert smooth[np.argmin(np.abs(np.log10(steps) + 6))] < threshold
    assert run.says("Through a ReLU the function is piecewise linear, so there is no truncation "
                    "error at all, until $h$ is large enough to cross a kink and the error "
                    "jumps up")
    middle = (steps >= 1e-5) & (steps <= 1e-3)
    assert np.all(kinked[middle] < smooth[middle])
    assert kinked[-1] > 1e-2
    # the alt text says the same (walk 2026-12-07: it called both curves U-shaped): only the
    # smooth curve is; the ReLU one falls until h crosses a kink, then jumps above the threshold
    said = panel.describe(log10_h=-6.0)
    assert "The smooth curve is U-shaped" in said and "the ReLU curve falls as h grows" in said
    lowest = int(np.argmin(kinked))
    jump = lowest + int(np.argmax(kinked[lowest:] > threshold))
    assert f"jumps above the threshold (at h = {steps[jump]:.1g})" in said
    assert np.all(kinked[lowest:jump] <= threshold) and kinked[jump] > threshold
    # the figure's threshold line is check_gradient's, and h is written as a number
    line = panel.live.figure.axes[0].lines[2]
    assert line.get_ydata()[0] == threshold == 1e-6
    panel.controls["log10_h"].value = -1.5
    assert panel.live.figure.axes[0].get_title().startswith("h = 0.032:")


@pytest.mark.slow
def test_07_every_bug_in_the_zoo_fails_the_check_and_no_bug_passes():
    run = run_lesson("07")
    assert run.says("the panel computes dL/dK with the bug switched on and compares it with "
                    "finite differences")
    panel = lesson07.bug_zoo()
    for bug in lesson07.BUGS:
        panel.controls["bug"].value = bug
        title = panel.live.figure._suptitle.get_text()
        assert title.endswith("PASS" if bug == "no bug" else "FAIL"), title


@pytest.mark.slow
def test_a_tied_example_breaks_lesson_07s_claims(monkeypatch):
    """The claim checks are not tautologies: give lesson 07 back its old example (two tied
    pooling windows) and each of them fails."""
    monkeypatch.setattr(lesson07, "seed_example",
                        functools.partial(lesson07.seed_example, tied=True))
    run = run_lesson.__wrapped__("07")
    failed = []
    for claim in LESSON_07_EXAMPLE_CLAIMS:
        try:
            claim(run)
        except AssertionError:
            failed.append(claim.__name__)
    assert failed == [claim.__name__ for claim in LESSON_07_EXAMPLE_CLAIMS]


@pytest.mark.slow
def test_07_the_routing_titles_clear_each_other_and_the_colour_bars():
    """Issue 23: the routing figure's titles ran into each other and into the colour bars."""
    fig = lesson07.routing_figure()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    titles = [ax.title.get_window_extent(renderer) for ax in fig.axes[:3]]
    bars = [ax.get_tightbbox(renderer) for ax in fig.axes[3:]]      # with ticks and label
    assert len(bars) == 3
    for left, title, bar_on_the_left in zip(titles, titles[1:], bars, strict=False):
        assert title.x0 - left.x1 >= 20                  # a clear gap between two titles
        assert title.x0 > bar_on_the_left.x1             # not over the colour bar's column


@pytest.mark.slow
def test_07_the_bug_zoo_says_no_bug_when_there_is_none_and_the_cell_slider_is_long():
    """Issue 23: the analytic panel's title said "(with the bug)" under "no bug"; the "output
    cells added" slider's track was 83 px wide for 784 values."""
    panel = lesson07.bug_zoo()
    titles = {}
    for bug in ("kernel flip", "no bug"):
        panel.controls["bug"].value = bug
        titles[bug] = panel.live.figure.axes[1].get_title()
    assert titles == {"kernel flip": "analytic dL/dK\n(with the bug)",
                      "no bug": "analytic dL/dK\n(no bug)"}
    cells = lesson07.kernel_gradient_builder().controls["cells"]
    assert int(cells.layout.width.removesuffix("px")) >= 640 and cells.max == 784


# ---- its panels and figures: every control works, every state reads -----------------------------


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson07), ids=panel_id)
def test_every_control_changes_the_figure(factory):
    check_every_control_changes_the_figure(factory)


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson07), ids=panel_id)
def test_every_control_value_leaves_the_panel_readable(factory):
    assert swept(factory).problems() == []


@pytest.mark.slow
def test_figures_the_notebooks_show_are_readable():
    """Every figure a cell shows with plt.show(), at the inline backend's dpi and pixel size;
    the figures of the session's one run of the notebook."""
    seen = [f"{title!r}: {p}" for title, figure in run_lesson("07").shown
            for p in all_problems(figure, figure.dpi)]
    assert seen == []


# Each figure of the lesson, in every state the tests visit (a panel and its moves).
FIGURES = {
    "07 routing": static(lesson07.routing_figure),
    "07 kernel gradient builder": panel_states(lesson07.kernel_gradient_builder, [
        ("400 cells", set_control("cells", 400)),
        ("every cell", set_control("cells", 784)),
    ]),
    "07 step size": panel_states(lesson07.step_size_lab, [
        ("h 10^-1.5", set_control("log10_h", -1.5)),
        ("h 10^-13", set_control("log10_h", -13.0)),
        ("h 1", set_control("log10_h", 0.0)),
    ]),
    "07 bug zoo": panel_states(lesson07.bug_zoo, [
        (bug, set_control("bug", bug)) for bug in lesson07.BUGS[1:]]),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_state_of_every_figure_is_readable(name):
    found = []
    for state, figure, dpi in FIGURES[name]():
        found += [f"{state}: {problem}" for problem in all_problems(figure, dpi, drawn=True)]
    assert found == []


@pytest.mark.slow
def test_panels_are_shown_at_their_pixel_size():
    for factory in panels_of(lesson07):
        start = swept(factory).states[0]                    # the panel as built
        width = int.from_bytes(start.png[16:20], "big")     # the PNG's own width (IHDR)
        assert start.width == f"{width}px"
        assert start.max_width == "100%"
        assert width <= COLUMN_PX


# ---- its exercises: each checker passes the right answer and names each catalogued mistake ------


def kernel_grad(image, grad_conv):
    padded = np.pad(image, 1)
    return sum(grad_conv[i, j] * padded[i:i + 3, j:j + 3] for i, j in np.ndindex(grad_conv.shape))


# (checker, right answer, [(wrong answer, words its hint must contain), ...])
CASES = [
    (lesson07.check_grad_kernel, kernel_grad,
     [(lambda im, g: kernel_grad(im, g)[::-1, ::-1], "rotated 180 degrees"),
      (lambda im, g: kernel_grad(im, g) / g.size, "averaged")]),
    (lesson07.check_grad_bias, lambda g, pre: float(np.sum(g * (pre > 0))),
     [(lambda g, pre: float(np.sum(g)), "forgot the ReLU"),
      (lambda g, pre: float(np.mean(g * (pre > 0))), "do not average")]),
]
IDS = [checker.__name__ for checker, *_ in CASES]


@pytest.mark.parametrize(("checker", "right", "mistakes"), CASES, ids=IDS)
def test_right_answer_passes(checker, right, mistakes):
    right_answer_passes(checker, right)


@pytest.mark.parametrize(("checker", "right", "mistakes"), CASES, ids=IDS)
def test_each_known_mistake_gets_its_own_hint(checker, right, mistakes):
    each_known_mistake_gets_its_own_hint(checker, mistakes)


@pytest.mark.parametrize(("checker", "right", "mistakes"), CASES, ids=IDS)
def test_unfinished_stub_and_crash_say_not_yet(checker, right, mistakes):
    unfinished_stub_and_crash_say_not_yet(checker)


# The mistake catalogue: what learners write, each with the words its hint must contain.

def kernel_right(image, grad_conv):
    padded = np.pad(image, 1)
    grad = np.zeros((3, 3))
    for i in range(grad_conv.shape[0]):
        for j in range(grad_conv.shape[1]):
            grad += grad_conv[i, j] * padded[i:i + 3, j:j + 3]
    return grad


def kernel_height_for_width(image, grad_conv):
    """Square-only: the height used for the width too (right on a square image)."""
    padded, h = np.pad(image, 1), image.shape[0]
    return np.array([[np.sum(grad_conv[:h, :h] * padded[u:u + h, v:v + h]) for v in range(3)]
                     for u in range(3)])


def kernel_seed(image, grad_conv):
    grad = np.zeros((3, 3))
    padded = np.pad(image, 1)
    for i in range(grad_conv.shape[0]):
        for j in range(grad_conv.shape[1]):
            grad += grad_conv[i, j] * padded[i:i + 3, j:j + 3][::-1, ::-1]
    return grad


def kernel_overwrite(image, grad_conv):
    padded = np.pad(image, 1)
    grad = np.zeros((3, 3))
    for i in range(grad_conv.shape[0]):
        for j in range(grad_conv.shape[1]):
            grad = grad_conv[i, j] * padded[i:i + 3, j:j + 3]
    return grad


def kernel_skip_border(image, grad_conv):
    grad = np.zeros((3, 3))
    for i in range(1, grad_conv.shape[0] - 1):
        for j in range(1, grad_conv.shape[1] - 1):
            grad += grad_conv[i, j] * image[i - 1:i + 2, j - 1:j + 2]
    return grad


def kernel_unpadded(image, grad_conv):
    grad = np.zeros((3, 3))
    for i in range(image.shape[0] - 2):
        for j in range(image.shape[1] - 2):
            grad += grad_conv[i, j] * image[i:i + 3, j:j + 3]
    return grad


def kernel_mean(image, grad_conv):
    return kernel_right(image, grad_conv) / grad_conv.size


def kernel_transposed(image, grad_conv):
    return kernel_right(image, grad_conv).T


def kernel_unweighted(image, grad_conv):
    padded = np.pad(image, 1)
    return sum(padded[i:i + 3, j:j + 3] for i in range(image.shape[0])
               for j in range(image.shape[1]))


def kernel_border_crash(image, grad_conv):
    grad = np.zeros((3, 3))
    for i in range(grad_conv.shape[0]):
        for j in range(grad_conv.shape[1]):
            grad += grad_conv[i, j] * image[i:i + 3, j:j + 3]     # forgot to pad: 2x3 at the end
    return grad


def kernel_image_gradient(image, grad_conv):
    return grad_conv * 0.5                        # something with the image's shape


def kernel_masked_by_zero_pixels(image, grad_conv):
    padded = np.pad(image, 1)
    grad = np.zeros((3, 3))
    for i in range(grad_conv.shape[0]):
        for j in range(grad_conv.shape[1]):
            if image[i, j] != 0:                  # issue 23: accepted before (no 0 pixel)
                grad += grad_conv[i, j] * padded[i:i + 3, j:j + 3]
    return grad


def kernel_positive_cells_only(image, grad_conv):
    return kernel_right(image, np.maximum(grad_conv, 0))


def kernel_library(image, grad_conv):
    return cl.conv2d_backward(grad_conv, image, np.zeros((3, 3)), padding=1)[1]


def bias_right(grad_relu, pre):
    return float(np.sum(grad_relu * (pre > 0)))


def image_right(grad_conv, kernel):
    """dL/dI by scattering: each output cell hands dL/dC[i, j] * kernel to the patch it saw."""
    kh, kw = kernel.shape
    grad = np.zeros((grad_conv.shape[0] + kh - 1, grad_conv.shape[1] + kw - 1))
    for i in range(grad_conv.shape[0]):
        for j in range(grad_conv.shape[1]):
            grad[i:i + kh, j:j + kw] += grad_conv[i, j] * kernel
    return grad[kh // 2:grad.shape[0] - kh // 2, kw // 2:grad.shape[1] - kw // 2]


def image_by_correlation(grad_conv, kernel, rotate=lambda k: k[::-1, ::-1], crop=True):
    """dL/dI as the lesson's cell computes it, for any odd kernel: a full cross-correlation
    with the rotated kernel, the padding ring dropped."""
    kh, kw = kernel.shape
    full = cl.conv2d(grad_conv, rotate(kernel), padding=(kh - 1, kw - 1))
    if crop == "corner":
        return full[:grad_conv.shape[0], :grad_conv.shape[1]]
    return full[kh // 2:full.shape[0] - kh // 2, kw // 2:full.shape[1] - kw // 2] if crop else full


def image_overwrite(grad_conv, kernel):
    kh, kw = kernel.shape
    grad = np.zeros((grad_conv.shape[0] + kh - 1, grad_conv.shape[1] + kw - 1))
    for i in range(grad_conv.shape[0]):
        for j in range(grad_conv.shape[1]):
            grad[i:i + kh, j:j + kw] = grad_conv[i, j] * kernel
    return grad[kh // 2:grad.shape[0] - kh // 2, kw // 2:grad.shape[1] - kw // 2]


def image_valid(grad_conv, kernel):
    return cl.conv2d(grad_conv, kernel[::-1, ::-1])               # no padding: too small


def image_library(grad_conv, kernel):
    return cl.conv2d_backward(grad_conv, np.zeros_like(grad_conv), kernel, padding="same")[0]


def differences_whole_rows(f, x, h):
    """for k in range(len(x)): right for a 1-D x, whole rows nudged at once on a 2-D one."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for k in range(len(x)):
        original = x[k].copy()
        x[k] = original + h
        up = f(x)
        x[k] = original - h
        grad[k] = (up - f(x)) / (2 * h)
        x[k] = original
    return grad


def differences(f, x, h, plus=1, minus=-1, divide=2, restore=True, step=None):
    """Finite differences as a learner writes them; the keywords are the usual slips."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + plus * (step or h)
        up = f(x)
        x[index] = original + minus * (step or h)
        down = f(x)
        grad[index] = (up - down) / (divide * (step or h))
        if restore:
            x[index] = original
    return grad


def differences_precedence(f, x, h):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[index] += h
        down[index] -= h
        grad[index] = (f(up) - f(down)) / 2 * h          # / 2 * h is (.. / 2) * h
    return grad


def differences_in_place(f, x, h):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        x[index] += h                            # on the caller's own array
        up = f(x)
        x[index] -= 2 * h
        down = f(x)
        x[index] += h
        grad[index] = (up - down) / (2 * h)
    return grad


def differences_integer(f, x, h):
    grad = np.zeros(x.shape)
    nudged = x.copy()                            # integers stay integers: the nudge is lost
    for index in np.ndindex(x.shape):
        nudged[index] = x[index] + h
        up = f(nudged)
        nudged[index] = x[index] - h
        grad[index] = (up - f(nudged)) / (2 * h)
        nudged[index] = x[index]
    return grad


def differences_integer_result(f, x, h):
    grad = np.zeros_like(x)                      # an integer x: an integer gradient
    for index in np.ndindex(x.shape):
        nudged = x.astype(float)
        nudged[index] += h
        up = f(nudged)
        nudged[index] -= 2 * h
        grad[index] = (up - f(nudged)) / (2 * h)
    return grad


def differences_all_at_once(f, x, h):
    return np.ones(x.shape) * (f(x + h) - f(x - h)) / (2 * h)


def differences_flat(f, x, h):
    return differences(f, x, h).ravel()


def differences_library(f, x, h):
    return cl.gradcheck.numerical_gradient(f, x, h=h)


def backward_written(image, params, y, bug=""):
    """The seed's backward pass as a learner writes it, layer by layer, with one slip."""
    y_hat, cache = cl.seed_forward(image, params)
    grad_z = (y_hat - y) if bug == "no sigmoid" else (y_hat - y) * y_hat * (1 - y_hat)
    grad_z = {"sign": (y - y_hat) * y_hat * (1 - y_hat), "no half": 2 * grad_z}.get(bug, grad_z)
    grad_w = grad_z * params["weight"] if bug == "swap" else grad_z * cache["flat"]
    grad_f = grad_z * params["weight"]
    pooled = cache["pooled"]
    grad_s = grad_f.reshape(pooled.shape[::-1]).T if bug == "order" else grad_f.reshape(
        pooled.shape)
    grad_r = np.zeros_like(cache["relu"])
    for i in range(pooled.shape[0]):
        for j in range(pooled.shape[1]):
            window = cache["relu"][2 * i:2 * i + 2, 2 * j:2 * j + 2]
            if bug == "spread":
                grad_r[2 * i:2 * i + 2, 2 * j:2 * j + 2] = grad_s[i, j]
            elif bug == "average":
                grad_r[2 * i:2 * i + 2, 2 * j:2 * j + 2] = grad_s[i, j] / 4
            else:
                u, v = np.unravel_index(np.argmax(window), window.shape)
                grad_r[2 * i + u, 2 * j + v] = grad_s[i, j]
    mask = cache["conv"] > 0 if bug == "mask from C" else cache["pre_activation"] > 0
    grad_c = grad_r if bug == "no relu" else grad_r * mask
    grad_k = kernel_unpadded(image, grad_c[1:-1, 1:-1]) if bug == "unpadded" else kernel_right(
        image, grad_c)
    if bug == "relu as input":
        grad_k = kernel_right(cache["relu"], grad_c)
    grad_z_out = grad_z * cache["flat"].sum() if bug == "out f" else grad_z
    return {"kernel": grad_k[::-1, ::-1] if bug == "flip" else grad_k,
            "bias": {"bias array": grad_c, "bias before relu": grad_r.sum(),
                     "bias mean": grad_c.mean()}.get(bug, grad_c.sum()),
            "weight": grad_w, "out_bias": grad_z_out}


def backward_with_layers(image, params, y):
    """The same pass from cnnlab's layer functions: allowed, the exercise is the chain."""
    y_hat, cache = cl.seed_forward(image, params)
    grad_z = (y_hat - y) * y_hat * (1 - y_hat)
    _, pool_cache = cl.max_pool_forward(cache["relu"][None, None])
    grad_r = cl.max_pool_backward((grad_z * params["weight"]).reshape(1, 1, *cache[
        "pooled"].shape), pool_cache)[0, 0]
    grad_c = grad_r * (cache["pre_activation"] > 0)
    return {"kernel": cl.conv2d(np.pad(image, 1), grad_c), "bias": grad_c.sum(),
            "weight": grad_z * cache["flat"], "out_bias": grad_z}


def backward_names_swapped(image, params, y):
    grads = backward_written(image, params, y)
    return {**grads, "weight": grads["out_bias"], "out_bias": grads["weight"]}


def backward_keys(image, params, y):
    grads = backward_written(image, params, y)
    return {f"grad_{name}": value for name, value in grads.items()}


def backward_library(image, params, y):
    grads = cl.seed_backward(y, cl.seed_forward(image, params)[1])
    return {name: grads[f"grad_{name}"] for name in params}


def slip(function, **bug):
    named = functools.partial(function, **bug)
    named.__name__ = f"{function.__name__}({bug})"
    return named


def numerical_integer_copy(f, x, h):
    """A walker's loop: np.array(x) and np.zeros_like(x) keep an integer x's dtype."""
    x = np.array(x)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        high = f(x)
        x[index] = original - h
        low = f(x)
        x[index] = original
        grad[index] = (high - low) / (2 * h)
    return grad


def numerical_row_view(f, x, h):
    """A walker's loop over range(len(x)), the row kept as a view."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for k in range(len(x)):
        original = x[k]
        x[k] = original + h
        high = f(x)
        x[k] = original - h
        low = f(x)
        x[k] = original
        grad[k] = (high - low) / (2 * h)
    return grad


def kernel_hard_coded_28(image, grad_conv):
    """A walker's answer: the patch size written as MNIST's 28x28."""
    padded = np.pad(np.asarray(image, float), 1)
    out = np.zeros((3, 3))
    for u in range(3):
        for v in range(3):
            out[u, v] = np.sum(padded[u:u + 28, v:v + 28] * grad_conv[:28, :28])
    return out


MISTAKES = {
    "07 grad_kernel": (lesson07.check_grad_kernel, kernel_right, [
        (kernel_seed, "rotated 180 degrees"),
        (kernel_overwrite, "overwrote"),
        (kernel_skip_border, "border cells"),
        (kernel_unpadded, "unpadded"),
        (kernel_mean, "averaged"),
        (kernel_transposed, "transposed"),
        (kernel_unweighted, "multiply each patch"),
        (kernel_border_crash, "pad the image"),
        (lambda image, g: cl.conv2d(image, g, padding=0), "your answer is 1x1: without padding"),
        (kernel_hard_coded_28, "hard-code the image size (28x28"),  # was told "pad by 1"
        (kernel_image_gradient, "dL/dI"),
        (kernel_masked_by_zero_pixels, "masked dL/dC where the image is 0"),
        (kernel_positive_cells_only, "negative cells"),
        (kernel_library, "do not call conv2d_backward"),
        (lambda im, g: kernel_right(im, np.abs(g)), "no abs"),
        (lambda im, g: cl.conv2d(np.pad(im, 1), g[::-1, ::-1]), "read dL/dC backwards"),
        (lambda im, g: cl.conv2d(np.pad(im, 1, mode="edge"), g), "repeating the edge pixels"),
        (lambda im, g: kernel_right(np.rot90(im, 2), g), "you rotated the image"),
        (kernel_height_for_width, "you used the height for the width"),
    ]),
    "07 grad_bias": (lesson07.check_grad_bias, bias_right, [
        (lambda g, pre: float(np.sum(g)), "forgot the ReLU"),
        (lambda g, pre: float(np.mean(g * (pre > 0))), "do not average"),
        (lambda g, pre: float(np.sum(g[pre > 0]) / np.count_nonzero(pre > 0)), "do not average"),
        (lambda g, pre: float(np.sum(g[pre < 0])), "inverted"),
        (lambda g, pre: float(np.sum(g[pre >= 0])), "> 0, not >= 0"),
        (lambda g, pre: float(np.sum(g[g > 0])), "not from the gradient"),
        (lambda g, pre: float(np.sum(g * np.maximum(pre, 0))), "not by the ReLU's output"),
        (lambda g, pre: float(np.sum(g * pre)), "added, not multiplied"),
        (lambda g, pre: -float(np.sum(g[pre > 0])), "sign"),
        (lambda g, pre: float(np.max(g * (pre > 0))), "sum, not max"),
        (lambda g, pre: g * (pre > 0), "one number"),
        (lambda g, pre: float(np.sum(np.abs(g)[pre > 0])), "no abs"),
        (lambda g, pre: float(np.sum(g * np.sign(pre))), "np.sign(pre_activation) is -1"),
        (lambda g, pre: float(np.sum(g[pre != 0])), "pre_activation != 0 lets the negative"),
        (lambda g, pre: np.sum(g * pre > 0), "counts cells (True/False)"),
        (lambda g, pre: int(np.sum(g * (pre > 0))), "whole numbers only"),
    ]),
    "07 grad_input": (lesson07.check_grad_input, image_right, [
        (lambda g, k: cl.conv2d(g, k[::-1, ::-1], padding=k.shape[0] // 2),   # "smaller"
         "you padded the columns by 1 like the rows (kh//2 = 1"),
        (functools.partial(image_by_correlation, rotate=lambda k: k), "did not rotate"),
        (functools.partial(image_by_correlation, rotate=np.fliplr), "left-right only"),
        (functools.partial(image_by_correlation, rotate=np.flipud), "upside down only"),
        (lambda g, k: cl.conv2d(g, np.rot90(k), padding="same"), "turns the kernel 90 degrees"),
        (lambda g, k: cl.conv2d(g, np.rot90(k, -1), padding="same"),
         "turns the kernel 90 degrees"),
        (functools.partial(image_by_correlation, crop=False), "full convolution"),
        (functools.partial(image_by_correlation, crop="corner"), "top-left corner"),
        (lambda g, k: -image_right(g, k), "sign"),
        (lambda g, k: g * np.sum(k), "kernel's sum"),
        (lambda g, k: image_right(g, k) / k.size, "averaged"),
        (image_overwrite, "overwrote"),
        (image_valid, "smaller than the image"),
        (lambda g, k: cl.conv2d(g, 2 * k[::-1, ::-1], padding="same"), "twice too large"),
        (lambda g, k: kernel_right(g, g), "that is dL/dK"),
        (image_library, "do not call conv2d_backward"),
        (lambda g, k: cl.conv2d(g, k.T, padding=(k.shape[1] // 2, k.shape[0] // 2)),
         "you transposed the kernel"),
    ]),
    "07 numerical_gradient": (lesson07.check_numerical_gradient, differences, [
        (numerical_integer_copy, "x is an integer array here (dtype int64)"),
        (numerical_row_view, "original = x[k] is a view of that row"),
        (slip(differences, minus=0, divide=1), "forward difference"),
        (slip(differences, plus=0, divide=1), "backward difference"),
        (slip(differences, minus=0), "minus side"),
        (slip(differences, divide=1), "divide by 2h"),
        (slip(differences, divide=4), "half too small"),
        (differences_precedence, "with brackets"),
        (slip(differences, plus=-1, minus=1), "sign"),
        (slip(differences, restore=False), "put each entry back"),
        (slip(differences, step=1e-6), "not the h you were given"),
        (differences_all_at_once, "one entry at a time"),
        (differences_integer, "holds integers"),
        (differences_flat, "shaped like x"),
        (differences_integer_result, "holds integers where x does"),
        (differences_in_place, "changed its argument 'x' in place"),
        (differences_library, "do not call numerical_gradient"),
        (slip(differences, step=1e-5), "h = 0.001 or smaller, a number of your own"),
        (slip(differences, plus=0.5, minus=-0.5, divide=1), "h / 2 on each side"),
        (lambda f, x, h: np.abs(differences(f, x, h)), "throws the slope's sign away"),
        (slip(differences, step=1e-2), "the one for h = 0.01, a number of your own"),
        (differences_whole_rows, "range(len(x)) walks over the rows"),
    ]),
    "07 backward_pass": (lesson07.check_backward_pass, backward_written, [
        (slip(backward_written, bug="flip"), "rotated 180 degrees"),
        (slip(backward_written, bug="no relu"), "through the ReLU everywhere"),
        (slip(backward_written, bug="spread"), "not to all 4 cells"),
        (slip(backward_written, bug="average"), "average pooling"),
        (slip(backward_written, bug="order"), "row by row"),
        (slip(backward_written, bug="no sigmoid"), "sigmoid's derivative"),
        (slip(backward_written, bug="sign"), "sign"),
        (slip(backward_written, bug="no half"), "1/2"),
        (slip(backward_written, bug="swap"), "dL/df"),
        (slip(backward_written, bug="bias array"), "one number"),
        (slip(backward_written, bug="bias before relu"), "ReLU"),
        (slip(backward_written, bug="unpadded"), "pad the image by 1"),
        (slip(backward_written, bug="relu as input"), "not the ReLU's output"),
        (slip(backward_written, bug="out f"), "nothing multiplies it"),
        (backward_keys, "keyed like params"),
        # walk 2026-12-07: the mask from C passed while every case had bias -0.1
        (slip(backward_written, bug="mask from C"), "not from C alone"),
        (slip(backward_written, bug="bias mean"), "not their mean"),
        (backward_library, "do not call seed_backward"),
        (backward_names_swapped, "each other's gradients"),
    ]),
}


def test_the_seed_pass_from_cnnlabs_layers_passes():
    right_answer_passes(lesson07.check_backward_pass, backward_with_layers)


def test_the_backward_models_are_cnnlabs_gradients():
    """The checker's right answer for the whole pass is seed_backward's (cnnlab's textbook)."""
    from cnnlab.lessons import _mistakes07
    for image, params, y in _mistakes07.SEED_CASES:
        grads = cl.seed_backward(y, cl.seed_forward(image, params)[1])
        model = _mistakes07.seed_grads(image, params, y)
        for name in params:
            assert np.allclose(model[name], grads[f"grad_{name}"])


@pytest.mark.parametrize("exercise", sorted(MISTAKES))
def test_the_right_answer_passes(exercise):
    checker, right, _ = MISTAKES[exercise]
    right_answer_passes(checker, right)


@pytest.mark.parametrize("exercise", sorted(MISTAKES))
def test_every_catalogued_mistake_fails_with_a_hint_that_names_it(exercise):
    checker, _, mistakes = MISTAKES[exercise]
    every_catalogued_mistake_fails_with_a_hint_that_names_it(exercise, checker, mistakes,
                                                             at_least=10)


@pytest.mark.parametrize("exercise", sorted(MISTAKES))
def test_a_stub_and_a_crash_say_not_yet(exercise):
    checker, _, _ = MISTAKES[exercise]
    a_stub_and_a_crash_say_not_yet(checker)


@pytest.mark.parametrize("exercise", sorted(MISTAKES))
def test_the_checker_never_changes_the_learners_arguments(exercise):
    """An answer that writes into its inputs is reported, and what the checker expects is
    computed from untouched inputs (the learner's mutation cannot move the target)."""
    checker, right, _ = MISTAKES[exercise]
    the_checker_never_changes_the_learners_arguments(checker, right)


LESSON = lesson07
SECOND_WALK = [
    ('square-only loop bounds',
     ['range(H) for both loops', 'range(W)']),
    ('kh used for both paddings (square-only)',
     ['kh//2 on both axes', 'kw//2']),
    ('crop ring hard-coded to 1 (3x3 only)',
     ['ring of 1', 'kh//2 rows and kw//2 columns']),
    ('valid correlation, zero border',
     ["'valid' correlation", 'full convolution']),
    ('conv bias gradient 0',
     ['dL/db is 0', 'dL/dC.sum()']),
    ('ignores y (always 1)',
     ['target y = 1', 'uses the argument y']),
    ('ignores h (fixed 1e-3)',
     ['h = 0.001 or smaller', 'use the argument h']),
    ('sums over axis 0 only',
     ['one axis only', 'no axis']),
]

# ---- the second walk of lessons 04-07 (tests/lessons/walk/answers_04_07_second.py): each answer
# that was accepted, vague or misleading is now refused with a hint naming the mistake ---------

@pytest.mark.parametrize("mistake, words", SECOND_WALK)
def test_second_walk_answer_is_named(mistake, words):
    walk_answer_is_named(LESSON, "answers_04_07_second", mistake, words)


@pytest.mark.slow
def test_07_the_rotated_input_gradient_error_is_explained():
    """Cell 11: the rotated version's error, about 1e-7 (1.2e-7 and 1.7e-7 seen on two
    machines), sits above lesson 06's usual 1e-8 because its worst entry is about 600 times
    smaller than the largest; the unrotated one flips a sign."""
    run = run_lesson("07")
    ns = run.namespace
    assert run.says("its worst entry (printed above) is about 600 times smaller than the largest")
    assert run.says("The rotated version's relative error, about $10^{-7}$")
    report = cl.check_gradient(ns["loss_of_image"], {"image": ns["image"]},
                               {"image": ns["grad_image"]})["image"]
    assert 1e-8 < report.rel_error < 1e-6 and report.passed
    ratio = np.abs(ns["grad_image"]).max() / abs(ns["grad_image"][report.worst_index])
    assert 500 < ratio < 700
    wrong = cl.check_gradient(ns["loss_of_image"], {"image": ns["image"]},
                              {"image": ns["not_rotated"]})["image"]
    worst = wrong.worst_index
    assert np.sign(wrong.analytic[worst]) != np.sign(ns["grad_image"][worst])


# ---- the fourth walk of lessons 05-07 (tests/lessons/walk/answers_05_07_fourth.py) ------------

FOURTH_WALK = [
    ("a 1-element array np.array([sum])", ["shape (1,)", "without brackets"]),
    ("counts the active cells (forgot the gradient)", ["you counted the cells"]),
    ("pads dL/dC instead of the image", ["padded dL/dC", "pad the image"]),
    ("transposed output (worked on grad_conv.T)", ["transposed", "dL/dC's shape"]),
    ("range(x.size - 1): the last entry forgotten (off by one)", ["last entry is 0",
                                                                 "one short"]),
    ("divides by 2h^2", ["divided by h twice"]),
    # named after the walk's report, by the lead (they had come back with a generic message)
    ("adds the bias's gradient to every tap", ["added dL/db", "each tap"]),
    ("crop starts one too far (kh // 2 + 1)", ["shifted one row up", "kh//2 + 1"]),
    ("row and column paddings swapped (kw // 2 for rows)", ["swapped the paddings"]),
]


@pytest.mark.parametrize("mistake, words", FOURTH_WALK)
def test_fourth_walk_answer_is_named(mistake, words):
    walk_answer_is_named(LESSON, "answers_05_07_fourth", mistake, words)


def test_kernel_builder_greys_the_cells_not_yet_added():
    """The cells not yet added are drawn grey over the dL/dC map (a white veil, as before,
    vanished on a map that is mostly 0 and drawn white)."""
    panel = lesson07.kernel_gradient_builder()
    panel.controls["cells"].value = 100
    shade = panel.live.figure.axes[0].images[1].get_array()
    assert np.allclose(shade[0, 0], 0) and shade[27, 27, 3] > 0
    assert np.all(np.asarray(shade[27, 27, :3]) < 0.8)


def test_backward_pass_solution_shows_what_it_imports():
    """The worked solution calls seed_forward by name; pasted into the notebook (cnnlab as cl)
    it raised a NameError.  The shown source imports it, and names the learner's own answers to
    the exercises before instead of importing their worked solutions."""
    shown = repr(lesson07.check_backward_pass.solution(force=True))
    assert "\nfrom cnnlab.seednet import seed_forward\n" in shown
    assert "# and your own grad_bias, grad_kernel, from the exercises before" in shown
    assert "import grad_bias" not in shown
