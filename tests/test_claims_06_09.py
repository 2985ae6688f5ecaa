"""Lessons 06-09 say only what their cells compute.

Each test pairs a sentence of a lesson's prose (``run.says(...)``: the test fails when the sentence
is edited away, so the claim and its check move together) with an assertion on what the notebook
computed after Run All (its namespace, its printed output) or on the panel the sentence describes.
Where a claim depends on the lesson's example, the check is a function of the run, so a test can
show that changing the example breaks it (``test_a_tied_example_breaks_lesson_07s_claims``).
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
from pathlib import Path

import numpy as np
import pytest

import cnnlab as cl
from cnnlab.lessons import lesson06, lesson07, lesson08, lesson09

sys.path.insert(0, str(Path(__file__).parent))      # tests/ holds lesson_runs (importlib mode)
from lesson_runs import run_lesson  # noqa: E402

# ---- lesson 06 ----------------------------------------------------------------------------


def test_06_cross_entropy_keeps_learning_from_confident_mistakes():
    run = run_lesson("06")
    assert run.says("the squared error's gradient vanishes")
    assert run.says("Cross-entropy's gradient stays near $-1$ (right panel, left end)")
    figure = lesson06.loss_curves_figure()
    squared, cross = figure.axes[2].lines[:2]
    assert squared.get_xdata()[0] == -8                       # the left end, confidently wrong
    assert abs(squared.get_ydata()[0]) < 1e-3
    assert cross.get_ydata()[0] == pytest.approx(-1, abs=1e-3)


def test_06_check_gradient_is_defined_before_it_is_used_and_every_gradient_passes():
    run = run_lesson("06")
    assert run.says("with $h = 10^{-6}$")
    assert run.says("says `ok` when the error is at most $10^{-6}$ (its `tolerance`), "
                    "`MISMATCH` above")
    defaults = inspect.signature(cl.check_gradient).parameters
    assert defaults["h"].default == 1e-6 and defaults["tolerance"].default == 1e-6
    assert run.says("A right derivation in float64 usually lands near $10^{-8}$ or below")
    assert run.says("a small output layer with 5 features and the squared-error loss")
    assert run.namespace["f"].shape == (5,) and run.namespace["w"].shape == (5,)
    assert run.says("all three gradients pass")
    reports = run.namespace["reports"]
    assert sorted(reports) == ["bf", "f", "w"]
    assert all(r.passed and r.rel_error < 1e-7 for r in reports.values())
    printed = run.output_of("cl.check_gradient(loss")
    assert printed.count(" ok") == 3 and "MISMATCH" not in printed


def test_06_relative_error_is_0_for_equal_and_1_for_opposite_numbers():
    run = run_lesson("06")
    assert run.says("0 for identical numbers, 1 for numbers of opposite sign")
    x = np.array([0.5, -2.0])
    same = cl.check_gradient(lambda x: float(np.sum(3 * x)), {"x": x}, {"x": np.full(2, 3.0)})
    opposite = cl.check_gradient(lambda x: float(np.sum(3 * x)), {"x": x},
                                 {"x": np.full(2, -3.0)})
    assert same["x"].rel_error < 1e-9
    assert opposite["x"].rel_error == pytest.approx(1.0)


def _gradient_in_title(panel):
    title = panel.live.figure.axes[0].get_title()
    a, b = re.search(r"= \((-?[\d.]+), (-?[\d.]+)\)", title).groups()
    return float(a), float(b)


def test_06_loss_surface_is_what_the_text_says():
    run = run_lesson("06")
    assert run.says("the mean loss of 200 real 3s (target 1) and 8s (target 0)")
    projected, targets = lesson06._features()
    assert projected.shape == (200,) and set(np.unique(targets)) == {0, 1}
    assert run.says("on a logarithmic colour scale (so the valley shows)")
    panel = lesson06.loss_surface_panel()
    ax = panel.live.figure.axes[0]
    image = ax.images[0]
    assert type(image.norm).__name__ == "LogNorm"
    assert run.says("The white star marks the lowest loss on the map")
    for loss in ("cross-entropy", "squared error"):
        panel.controls["loss"].value = loss
        surface = np.asarray(image.get_array())
        row, col = np.unravel_index(np.argmin(surface), surface.shape)
        star = ax.lines[0]
        assert star.get_xdata()[0] == pytest.approx(np.linspace(-3, 3, 61)[col])
        assert star.get_ydata()[0] == pytest.approx(np.linspace(-3, 3, 61)[row])
    assert run.says("the red arrow is minus the gradient at your point")
    grad = np.array(_gradient_in_title(panel))
    arrow = ax.collections[0]
    direction = np.array([arrow.U[0], arrow.V[0]])
    assert np.dot(direction, grad) < 0 and np.isclose(np.linalg.norm(direction), 1)


def test_06_far_from_the_valley_squared_error_is_flat_and_cross_entropy_slopes():
    run = run_lesson("06")
    assert run.says("far from the valley, where the network is confidently wrong, the "
                    "squared-error surface is almost flat while the cross-entropy one still "
                    "slopes")
    panel = lesson06.loss_surface_panel()
    with panel.hold():
        panel.controls["alpha"].value = -3.0
        panel.controls["bias"].value = 0.0
    slopes = {}
    for loss in ("cross-entropy", "squared error"):
        panel.controls["loss"].value = loss
        slopes[loss] = np.hypot(*_gradient_in_title(panel))
    assert slopes["squared error"] < 0.05 * slopes["cross-entropy"]


# ---- lesson 07 ----------------------------------------------------------------------------


def claim_07_the_example_has_no_ties_or_kinks(run):
    """'every pooling window of it has a clear winner (by at least 0.005) and no ReLU input
    lies within 0.001 of 0'."""
    cache = run.namespace["cache"]
    relu = cache["relu"]
    windows = np.sort(relu.reshape(14, 2, 14, 2).transpose(0, 2, 1, 3).reshape(14, 14, 4), -1)
    positive = windows[..., 3] > 0
    assert np.all(windows[..., 3][positive] - windows[..., 2][positive] >= 0.005)
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
    assert run.says("every pooling window of it has a clear winner (by at least 0.005) and no "
                    "ReLU input lies within 0.001 of 0")
    claim_07_the_example_has_no_ties_or_kinks(run)


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


def test_07_the_input_gradient_claims():
    run = run_lesson("07")
    assert run.says("a cross-correlation (what `cl.conv2d` computes) with the kernel **rotated "
                    "180 degrees**")
    assert run.says("one output for every pixel any tap touched (30 × 30)")
    claim_07_the_input_gradient_is_a_full_convolution_with_the_rotated_kernel(run)


def test_07_the_check_exposes_the_seed():
    run = run_lesson("07")
    assert run.says("On our example cnnlab's gradient passes the check and the seed's fails")
    claim_07_cnnlab_passes_and_the_seed_fails(run)


def test_07_the_tied_example_fails_for_the_reason_given():
    run = run_lesson("07")
    ns = run.namespace
    assert run.says("has exactly such ties")
    tied = lesson07.tied_windows(ns["tied_cache"])
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
    assert "MISMATCH" in run.output_of("tied_windows(tied_cache)")


def test_07_one_sided_slopes_tell_a_tie_from_a_bug():
    run = run_lesson("07")
    ns = run.namespace
    assert run.says("At a tie they differ by a fixed amount however small $h$ gets, and the "
                    "analytic gradient (pooling gives a tie to the first maximum) equals one of "
                    "them")
    at = ns["tied"].worst_index
    analytic = ns["tied_grads"]["grad_kernel"][at]
    for h in (1e-6, 1e-8):
        slopes = lesson07.one_sided_slopes(ns["loss_of_tied_kernel"], ns["tied_params"]["kernel"],
                                           at, h=h)
        assert abs(slopes["forward"] - slopes["backward"]) > 1e-5
        assert min(abs(slopes["forward"] - analytic), abs(slopes["backward"] - analytic)) < 1e-8
    assert run.says("At the seed's worst entry the two slopes agree, and the seed's value "
                    "matches neither: a bug")
    at = ns["theirs"]["kernel"].worst_index
    slopes = lesson07.one_sided_slopes(ns["loss_of_kernel"], ns["params"]["kernel"], at)
    assert abs(slopes["forward"] - slopes["backward"]) < 1e-6
    assert abs(ns["seed_version"][at] - slopes["forward"]) > 1e-3


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
    # the figure's threshold line is check_gradient's, and h is written as a number
    line = panel.live.figure.axes[0].lines[2]
    assert line.get_ydata()[0] == threshold == 1e-6
    panel.controls["log10_h"].value = -1.5
    assert panel.live.figure.axes[0].get_title().startswith("h = 0.032:")


def test_07_every_bug_in_the_zoo_fails_the_check_and_no_bug_passes():
    run = run_lesson("07")
    assert run.says("the panel computes dL/dK with the bug switched on and compares it with "
                    "finite differences")
    panel = lesson07.bug_zoo()
    for bug in lesson07.BUGS:
        panel.controls["bug"].value = bug
        title = panel.live.figure._suptitle.get_text()
        assert title.endswith("PASS" if bug == "no bug" else "FAIL"), title


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


# ---- lesson 08 ----------------------------------------------------------------------------


def test_08_the_trainer_is_what_the_text_says():
    run = run_lesson("08")
    trainer = run.namespace["trainer"]
    assert run.says("**the loss is binary cross-entropy**")
    images, targets = trainer.train_images[:4], trainer.train_labels[:4]
    loss, _, logits = trainer.loss_fn(trainer.params, images, targets)
    assert loss == pytest.approx(cl.binary_cross_entropy_with_logits(logits, targets)[0])
    assert run.says("**the kernel is $5 \\times 5$**")
    assert trainer.params["kernel"].shape == (5, 5)
    assert run.says("**momentum 0.9**")
    assert trainer.optimizer.momentum == 0.9
    assert run.says("(here 32 at a time, the loss averaged over the batch)")
    assert trainer.batch_size == 32
    assert run.says("We train on 2,000 images and measure accuracy on 400 **held-out** images "
                    "the network never trains on")
    assert len(trainer.train_images) == 2000 and len(trainer.test_images) == 400
    train = {image.tobytes() for image in trainer.train_images}
    assert not any(image.tobytes() in train for image in trainer.test_images)
    printed = run.output_of("lesson08.make_trainer(positive=3")
    assert ("kernel (5, 5), momentum 0.9, batch 32, 2000 training and 400 held-out images"
            in printed)
    _, accuracy = trainer.evaluate()
    assert accuracy > 0.5 and f"accuracy {accuracy:.1%}" in printed


def _trained_panel(lr, steps=1):
    panel = lesson08.training_panel()
    panel.controls["lr"].value = lr
    for _ in range(steps):
        panel.buttons["run"][0].click()
    return panel


def test_08_a_small_learning_rate_learns():
    run = run_lesson("08")
    assert run.says("Watch the loss fall, the held-out accuracy rise above chance")
    panel = _trained_panel(0.05)
    trainer = panel.state["trainer"]
    losses = trainer.history.step_loss
    assert np.mean(losses[-10:]) < np.mean(losses[:10])
    assert panel.state["evals"][1][-1] > 0.5


def test_08_a_learning_rate_of_half_kills_every_relu():
    run = run_lesson("08")
    assert run.says("Try a learning rate of 0.5: within 50 steps the conv bias is pushed so "
                    "negative that every ReLU switches off")
    panel = _trained_panel(0.5)
    trainer = panel.state["trainer"]
    assert trainer.steps_done == 50
    from cnnlab.models import seed_model_forward

    _, cache = seed_model_forward(trainer.params, trainer.test_images)
    assert float(np.ravel(trainer.params["bias"])[0]) < -1
    assert np.all(cache["relu"] == 0)
    assert run.says("accuracy sticks at chance")
    assert panel.state["evals"][1][-1] == 0.5
    assert run.says("the ReLU map goes dark")
    assert "(dead)" in panel.live.figure.axes[3].get_title()


def test_08_reset_starts_from_new_random_weights():
    run = run_lesson("08")
    assert run.says("**Reset** starts again from new random weights (another seed)")
    panel = lesson08.training_panel()
    before = panel.state["trainer"].params["kernel"].copy()
    panel.buttons["reset"][0].click()
    assert not np.allclose(panel.state["trainer"].params["kernel"], before)


def test_08_the_seed_loop_says_0_to_everything():
    run = run_lesson("08")
    ns = run.namespace
    y_hats = np.array(ns["y_hats"])
    assert run.says("it falls step after step towards 0")
    assert np.all(np.diff(y_hats) < 0) and y_hats[-1] < 0.05
    assert f"y_hat: {y_hats[0]:.3f} -> {y_hats[-1]:.3f}" in run.output_of("seed_training_loop")
    assert run.says("On real digits every $\\hat y$ stays below 0.5: the network answers \"8\" "
                    "for every image and scores exactly chance, since half of them are 3s")
    assert ns["digit_y_hats"].max() < 0.5
    assert ns["digit_targets"].mean() == 0.5
    assert "accuracy 50.0%" in run.output_of("seed_training_loop")
    assert run.says("(the dense weights and the kernel move; the output bias $b_f$ hardly does)")
    _, start = lesson08.seed_training_loop(steps=0)
    image = np.random.default_rng(0).integers(1, 255, size=(32, 32)).astype(float)
    trained = ns["seed_params"]

    def logit(params):
        return cl.seed_forward(image, params)[1]["logit"]

    drop = {name: logit(dict(start, **{name: trained[name]})) - logit(start)
            for name in ("weight", "kernel", "out_bias")}
    assert drop["weight"] < 0 and drop["kernel"] < 0
    assert abs(drop["out_bias"]) < 0.01 * min(abs(drop["weight"]), abs(drop["kernel"]))


# ---- lesson 09 ----------------------------------------------------------------------------


def test_09_shapes_and_the_two_symbols():
    run = run_lesson("09")
    printed = run.output_of("cl.conv_forward(x, weight")
    assert "-> (4, 8, 10, 10)" in printed
    assert run.says("Here $\\star$ is **cross-correlation**, $(x \\star K)[i, j] = \\sum_{u, v} "
                    "x[i + u,\\, j + v]\\, K[u, v]$: what `cl.conv2d`")
    assert "cl.conv2d(x, K) is the cross-correlation of x with K: True" in printed
    assert run.says("which is a cross-correlation with the kernel rotated 180 degrees")
    rng = np.random.default_rng(1)
    x, k = rng.random((6, 7)), rng.normal(size=(3, 3))
    true_convolution = np.array([[sum(x[i + 2 - u, j + 2 - v] * k[u, v] for u in range(3)
                                      for v in range(3)) for j in range(5)] for i in range(4)])
    assert np.allclose(true_convolution, cl.conv2d(x, np.rot90(k, 2)))


def test_09_a_loss_of_2000_stays_finite():
    run = run_lesson("09")
    ns = run.namespace
    assert run.says("Subtracting $\\max_j z_j$ before exponentiating changes nothing and keeps "
                    "every $e^{z}$ at most 1")
    z = np.random.default_rng(2).normal(size=(5, 7)) * 10
    shifted = z - z.max(axis=1, keepdims=True)
    assert np.allclose(np.exp(z) / np.exp(z).sum(1, keepdims=True), cl.softmax(shifted))
    assert np.exp(shifted).max() == 1.0
    assert run.says("so $p_2 = e^{-2000}$ underflows to 0 (the softmax prints 0), yet its loss "
                    "is exactly $-\\log p_2 = 2000$")
    assert cl.softmax(ns["logits"])[1, 2] == 0.0
    assert ns["per_image"][1] == 2000.0
    assert run.says("The batch loss is the mean of the two")
    assert ns["loss"] == pytest.approx(ns["per_image"].mean())
    assert f"batch mean {ns['loss']:.3f}" in run.output_of("per_image = ")
    assert run.says("the gradient's second row is $(p - \\text{one-hot})/N = (1, 0, -1)/2$: "
                    "large, finite, no NaN")
    assert np.allclose(ns["grad"][1], [0.5, 0.0, -0.5])


def test_09_loops_and_vectorised_code():
    run = run_lesson("09")
    result = run.namespace["result"]          # the last 'result' is the block timing
    assert run.says("Both compute the same numbers.")
    timing = lesson09.time_loops_against_vectorised(sizes=(8, 48), repeat=3)
    assert timing["agree"]
    ratios = np.array(timing["loop_ms"]) / np.array(timing["vectorised_ms"])
    assert run.says("is many times faster than Python loops, more so the larger the image")
    assert ratios[-1] > ratios[0] and ratios[-1] >= 10
    assert run.says("The trainer below uses the fused block; the lessons' separate layers give "
                    "the same numbers")
    assert result["agree"]
    assert run.says("same numbers, faster training")
    assert result["block_ms"] < result["layers_ms"]


def test_09_im2col_rows_say_where_each_patch_came_from():
    run = run_lesson("09")
    ns = run.namespace
    assert run.says("row $r$ of the matrix is the patch whose top-left corner is $(r \\,//\\, 3,"
                    "\\; r \\,\\%\\, 3)$")
    tiny, columns = ns["tiny"], ns["columns"]
    assert len(np.unique(tiny)) == tiny.size
    for r, row in enumerate(columns):
        i, j = divmod(r, 3)
        assert np.array_equal(row, tiny[i:i + 2, j:j + 2].ravel())
    product = (columns @ ns["kernel"].ravel()).reshape(3, 3)
    assert np.allclose(product, cl.conv2d(tiny, ns["kernel"]))
    assert len(np.unique(product)) == 9                   # the output shows the order too


def test_09_pooling_commutes_with_bias_and_relu():
    run = run_lesson("09")
    assert run.says("$$\\max_k \\operatorname{relu}(c_k + b) = \\operatorname{relu}\\big(\\max_k "
                    "c_k + b\\big).$$")
    rng = np.random.default_rng(0)
    c, b = rng.normal(size=(1000, 4)), rng.normal(size=(1000, 1))
    assert np.array_equal(np.maximum(c + b, 0).max(1), np.maximum(c.max(1) + b[:, 0], 0))


def test_09_the_network_and_its_training_are_as_described():
    run = run_lesson("09")
    ns = run.namespace
    trainer, history = ns["trainer"], ns["history"]
    assert run.says("conv (8 filters, $5 \\times 5$, same) → ReLU → $2 \\times 2$ max pool → "
                    "dense (1568 → 10)")
    assert trainer.params["conv1.weight"].shape == (8, 1, 5, 5)
    assert trainer.params["dense.weight"].shape == (1568, 10)
    assert run.says("the 10,000 shipped training images and scored on the 2,000 test images")
    assert len(trainer.train_images) == 10_000 and len(trainer.test_images) == 2_000
    assert run.says("after the first epoch the training point sits **below** the test point")
    assert history.train_accuracy[0] < history.test_accuracy[0]
    assert run.says("the training accuracy is the average over the epoch's batches")
    first_epoch = history.step_accuracy[:trainer.steps_per_epoch]
    assert history.train_accuracy[0] == pytest.approx(np.mean(first_epoch))
    assert np.mean(first_epoch[:10]) < history.test_accuracy[0] - 0.2   # "still guessing"
    assert run.says("A small CNN reaches 95 %+ on held-out MNIST digits in two epochs")
    assert trainer.steps_done == 2 * trainer.steps_per_epoch
    assert history.test_accuracy[-1] >= 0.95
    assert f"{history.test_accuracy[-1]:.2%}" in run.output_of("subset_trainer")


def test_09_every_run_starts_from_the_same_weights():
    run = run_lesson("09")
    assert "# seed 0: every run starts from the same weights" in "\n".join(run._sources)
    first, second = lesson09.subset_trainer(), lesson09.subset_trainer()
    for name in first.params:
        assert np.array_equal(first.params[name], second.params[name])
