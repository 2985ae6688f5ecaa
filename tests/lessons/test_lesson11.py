"""Lesson 11 (11_from_cnnlab_to_pytorch.ipynb): what its prose claims, its panels and
figures, its exercise checkers and the mistakes they name.

Tests that run the notebook or render figures are marked ``slow``; the fast lane
(``python -m pytest -m "not slow"``) keeps the checkers.  The notebook runs once per
session (tests/lesson_runs.py), shared by the claim and figure tests.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from checker_checks import every_catalogued_mistake_fails_with_a_hint_that_names_it
from panels import (
    check_every_control_changes_the_figure,
    panel_id,
    panels_of,
)
from scipy.signal import convolve2d

from cnnlab import course
from cnnlab.conv import conv2d, conv_forward
from cnnlab.lessons import lesson11
from cnnlab.models import init_small_cnn, small_cnn_forward
from cnnlab.saving import load_network, save_network

# ---- its panels and figures: every control works, every state reads -----------------------------


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson11), ids=panel_id)
def test_every_control_changes_the_figure(factory):
    check_every_control_changes_the_figure(factory)


# ---- from test_lesson11.py ----------------------------------------------------------------------
# Lesson 11: the full-MNIST run, the kept network, the flatten panel, the checkers, no torch.

ROOT = Path(__file__).resolve().parents[2]
# A local copy of full MNIST: ../shared/data/mnist.npz beside the repository, or $CNNLAB_FULL_MNIST.
MNIST = Path(os.environ.get("CNNLAB_FULL_MNIST") or ROOT.parent / "shared" / "data" / "mnist.npz")
NOTEBOOK = ROOT / "notebooks" / "11_from_cnnlab_to_pytorch.ipynb"


# ---- exercise 1: PyTorch's layout to cnnlab's ------------------------------------------------


def right_torch_to_cnnlab(state):
    return {k: (v.T.copy() if k == "dense.weight" else v.copy()) for k, v in state.items()}


def _per_key(conv=lambda k, v: v, dense=lambda v: v.T, bias=lambda v: v):
    def answer(state):
        out = {}
        for key, value in state.items():
            if key == "dense.weight":
                out[key] = dense(value)
            elif key.endswith(".weight"):
                out[key] = conv(key, value)
            else:
                out[key] = bias(value)
        return out
    return answer


def _keras_order(value):
    return value.T.reshape(4, 2, 2, -1).transpose(1, 2, 0, 3).reshape(16, -1)


TORCH_MISTAKES = [
    (lambda state: dict(state), "still in nn.Linear's (out, in) layout"),
    (_per_key(dense=lambda v: v.reshape(v.shape[1], v.shape[0])), "you reshaped it"),
    (_per_key(dense=_keras_order), "no re-ordering of the rows is needed"),
    (_per_key(conv=lambda k, v: v[..., ::-1, ::-1]), "rotated the kernels 180 degrees"),
    (_per_key(conv=lambda k, v: v.swapaxes(-1, -2)), "swapped kh and kw"),
    (_per_key(conv=lambda k, v: v.swapaxes(0, 1)), "swapped the filter and channel axes"),
    (lambda state: {k: v.T for k, v in state.items()}, "you transposed every array"),
    (_per_key(conv=lambda k, v: v.transpose(0, 2, 3, 1)), "you moved the channels last"),
    (_per_key(bias=lambda v: v[:, None]), "biases stay 1-D"),
    (lambda state: {k: v for k, v in right_torch_to_cnnlab(state).items() if "bias" not in k},
     "missing ['conv1.bias', 'conv2.bias', 'dense.bias']"),
    (lambda state: {**right_torch_to_cnnlab(state), "dense.W": 0}, "unexpected keys"),
    (lambda state: list(state.values()), "return a dict"),
    (lambda state: {k: v.tolist() for k, v in right_torch_to_cnnlab(state).items()},
     "holds the right numbers as a list"),
]


def test_torch_to_cnnlab_passes_the_right_answer():
    result = lesson11.check_torch_to_cnnlab(right_torch_to_cnnlab)
    assert result.passed, result.message


@pytest.mark.parametrize("answer, hint", TORCH_MISTAKES, ids=[h for _, h in TORCH_MISTAKES])
def test_torch_to_cnnlab_names_the_mistake(answer, hint):
    result = lesson11.check_torch_to_cnnlab(answer)
    assert not result.passed
    assert hint in result.message, result.message


def test_torch_to_cnnlab_stub_crash_and_mutation():
    assert "returned None" in lesson11.check_torch_to_cnnlab(lambda state: None).message
    assert "ZeroDivisionError" in lesson11.check_torch_to_cnnlab(lambda state: 1 / 0).message

    def in_place(state):
        state["dense.weight"] = state["dense.weight"].T
        return state

    message = lesson11.check_torch_to_cnnlab(in_place).message
    assert "your function changed state, the dict it was given" in message


def test_torch_to_cnnlab_right_answer_really_gives_the_torch_network():
    torch = pytest.importorskip("torch", reason="PyTorch is the independent reference here")
    params = init_small_cnn(num_filters=2, kernel_size=3, num_blocks=2, num_classes=3,
                            image_shape=(8, 8), seed=4)
    conv1 = torch.nn.Conv2d(1, 2, 3, padding=1).double()
    conv2 = torch.nn.Conv2d(2, 4, 3, padding=1).double()
    dense = torch.nn.Linear(16, 3).double()
    state = {"conv1.weight": conv1.weight, "conv1.bias": conv1.bias, "conv2.weight":
             conv2.weight, "conv2.bias": conv2.bias, "dense.weight": dense.weight,
             "dense.bias": dense.bias}
    params = right_torch_to_cnnlab({k: v.detach().numpy() for k, v in state.items()})
    x = np.random.default_rng(0).random((5, 1, 8, 8))
    t = torch.from_numpy(x)
    pool = torch.nn.functional.max_pool2d
    for conv in (conv1, conv2):
        t = pool(torch.relu(conv(t)), 2)
    expected = dense(t.flatten(1)).detach().numpy()
    assert np.allclose(small_cnn_forward(params, x)[0], expected, rtol=1e-12, atol=1e-12)


# ---- exercise 2: channels-last dense weight ----------------------------------------------------


def right_channels_last_to_first(weight, channels, height, width):
    m = weight.shape[1]
    return weight.reshape(height, width, channels, m).transpose(2, 0, 1, 3).reshape(-1, m)


LAST_TO_FIRST_MISTAKES = [
    (lambda w, c, h, ww: w, "unchanged"),
    (lambda w, c, h, ww: w.reshape(h, ww, c, -1).transpose(2, 0, 1, 3), "flatten it back"),
    (lambda w, c, h, ww: w.reshape(h, ww, c, -1).transpose(2, 1, 0, 3).reshape(-1, w.shape[1]),
     "rows and columns are swapped"),
    (lambda w, c, h, ww: w.reshape(c, h, ww, -1).transpose(1, 2, 0, 3).reshape(-1, w.shape[1]),
     "the permutation goes the wrong way"),
    (lambda w, c, h, ww: right_channels_last_to_first(w, c, h, ww).T, "(M, D) is nn.Linear's"),
    (lambda w, c, h, ww: w.reshape(ww, h, c, -1).transpose(2, 1, 0, 3).reshape(-1, w.shape[1]),
     "height first, then width"),
    (lambda w, c, h, ww: w.reshape(h, ww, c, -1).transpose(1, 0, 2, 3).reshape(-1, w.shape[1]),
     "that swaps H and W"),
    (lambda w, c, h, ww: w.T.reshape(w.shape), "you reshaped the transpose"),
    (lambda w, c, h, ww: w.reshape(h, h, c, -1).transpose(2, 0, 1, 3).reshape(-1, w.shape[1]),
     "you used the height for the width"),
    (lambda w, c, h, ww: w[::-1], "you reversed the rows"),
    (lambda w, c, h, ww: w.reshape(h, ww, c, -1).transpose(2, 0, 1, 3).reshape(w.shape[1], -1).T,
     "keep the output axis M last"),
    (lambda w, c, h, ww: np.moveaxis(w.reshape(h, ww, c, -1), 2, 0).reshape(-1, 5),
     "on a (12, 2) weight"),                         # M typed as 5, the first case's
    (lambda w, c, h, ww: np.moveaxis(w.reshape(h, ww, c, -1), 0, 2).reshape(-1, w.shape[1]),
     "moves H to the back"),
    (lambda w, c, h, ww: w.reshape(h, ww, c, 10).transpose(2, 0, 1, 3).reshape(-1, 10),
     "the last axis of your reshape is not M, the number of outputs: this weight is (24, 5), so "
     "M = 5; take M from the weight, weight.shape[1] (or -1), not a number typed in"),
    (lambda w, c, h, ww: w.reshape(h, ww, c, 5).transpose(2, 0, 1, 3).reshape(-1, 5),
     "this weight is (12, 2), so M = 2"),                          # M typed as the first case's
    (lambda w, c, h, ww: w.reshape(h, ww, c, -1).transpose(0, 2, 1, 3).reshape(-1, w.shape[1]),
     "that swaps W and C"),
    (lambda w, c, h, ww: w.reshape(h, ww, c, -1, order="F").transpose(2, 0, 1, 3).reshape(
        -1, w.shape[1]), "order='F'"),
]


@pytest.mark.parametrize("answer", [
    lambda w, c, h, ww: np.sort(w, axis=0),                                # rows shuffled
    lambda w, c, h, ww: w.reshape(h, ww, c, -1).transpose(1, 0, 2, 3)[:, ::-1].reshape(
        -1, w.shape[1]),
], ids=["rows sorted", "an uncatalogued permutation"])
def test_channels_last_to_first_right_shape_wrong_values_says_how_they_differ(answer):
    """A walk found "shape (24, 5), expected (24, 5)" for right-shaped wrong values: the message
    says the values differ, that they are the right numbers in the wrong places (an axis moved
    wrongly), and how many."""
    result = lesson11.check_channels_last_to_first(answer)
    assert not result.passed
    assert "right numbers in the wrong places" in result.message, result.message
    assert "entries of the (24, 5) array are wrong" in result.message, result.message
    assert "expected an array of shape" not in result.message


def test_channels_last_to_first_passes_the_right_answer():
    result = lesson11.check_channels_last_to_first(right_channels_last_to_first)
    assert result.passed, result.message


@pytest.mark.parametrize("answer, hint", LAST_TO_FIRST_MISTAKES,
                         ids=[h for _, h in LAST_TO_FIRST_MISTAKES])
def test_channels_last_to_first_names_the_mistake(answer, hint):
    result = lesson11.check_channels_last_to_first(answer)
    assert not result.passed
    assert hint in result.message, result.message


def test_channels_last_to_first_right_answer_gives_the_same_outputs():
    # Independent check: a channels-last flatten times the old weight equals cnnlab's
    # channels-first flatten times the re-ordered weight.
    rng = np.random.default_rng(5)
    maps = rng.normal(size=(6, 3, 2, 4))                        # (N, C, H, W)
    weight_hwc = rng.normal(size=(2 * 4 * 3, 7))
    keras = maps.transpose(0, 2, 3, 1).reshape(6, -1) @ weight_hwc
    ours = maps.reshape(6, -1) @ right_channels_last_to_first(weight_hwc, 3, 2, 4)
    assert np.allclose(keras, ours, rtol=1e-12, atol=1e-12)


def test_channels_last_to_first_stub():
    result = lesson11.check_channels_last_to_first(lambda w, c, h, ww: None)
    assert not result.passed and "returned None" in result.message


# ---- exercise 3: convolution kernels to cross-correlation weights -----------------------------

CONV_MISTAKES = [
    (lambda k: k, "unchanged"),
    (lambda k: np.flip(k), "you flipped every axis"),
    (lambda k: np.rot90(k, 2), "np.rot90, which turns the first two axes by default"),
    (lambda k: k[::-1, ::-1], "you flipped axes 0 and 1, the filters and the channels "
                              "(kernels[::-1, ::-1] does"),
    (lambda k: np.flip(k, axis=2), "the rows only"),
    (lambda k: np.flip(k, axis=3), "the columns only"),
    (lambda k: k.swapaxes(2, 3), "a transpose is a mirror"),
    (lambda k: np.rot90(k, 1, axes=(2, 3)), "a quarter turn"),
    (lambda k: np.rot90(k, -1, axes=(2, 3)), "a quarter turn"),
    (lambda k: np.flip(k, axis=(0, 1)), "flip the last two, kernels[..., ::-1, ::-1]"),
    (lambda k: -k, "a negated kernel"),
    (lambda k: k[:, ::-1, ::-1, ::-1], "you flipped the channels too"),
    (lambda k: k[:, :, ::-1, ::-1].reshape(2, 3, 3, 3), "kernels of shape (3, 2, 2, 4)"),
]


def test_convolution_to_correlation_passes_the_right_answer():
    result = lesson11.check_convolution_to_correlation(lambda k: k[:, :, ::-1, ::-1])
    assert result.passed, result.message


@pytest.mark.parametrize("answer, hint", CONV_MISTAKES, ids=[h for _, h in CONV_MISTAKES])
def test_convolution_to_correlation_names_the_mistake(answer, hint):
    result = lesson11.check_convolution_to_correlation(answer)
    assert not result.passed
    assert hint in result.message, result.message


def test_convolution_to_correlation_right_answer_matches_scipy():
    # SciPy's convolve2d is a true convolution: cnnlab's cross-correlation with the rotated
    # kernel gives the same numbers (and PyTorch's Conv2d, when installed).
    rng = np.random.default_rng(6)
    image, kernel = rng.normal(size=(9, 8)), rng.normal(size=(3, 3))
    flipped = np.flip(kernel[None, None], axis=(2, 3))
    expected = convolve2d(image, kernel, mode="valid")
    assert np.allclose(conv2d(image, flipped[0, 0]), expected, rtol=1e-12, atol=1e-12)
    out, _ = conv_forward(image[None, None], flipped)
    assert np.allclose(out[0, 0], expected, rtol=1e-12, atol=1e-12)
    try:
        import torch
    except ImportError:
        return
    torch_out = torch.nn.functional.conv2d(torch.from_numpy(image[None, None]),
                                           torch.from_numpy(flipped.copy()))
    assert np.allclose(torch_out.numpy()[0, 0], expected, rtol=1e-12, atol=1e-12)


def test_every_catalogue_holds_ten_named_mistakes():
    for exercise, checker, mistakes in (
            ("11 torch_to_cnnlab", lesson11.check_torch_to_cnnlab, TORCH_MISTAKES),
            ("11 channels_last_to_first", lesson11.check_channels_last_to_first,
             LAST_TO_FIRST_MISTAKES),
            ("11 convolution_to_correlation", lesson11.check_convolution_to_correlation,
             CONV_MISTAKES)):
        every_catalogued_mistake_fails_with_a_hint_that_names_it(exercise, checker, mistakes,
                                                                at_least=10)


# ---- exercise 4: a training step in PyTorch ---------------------------------------------------


def torch_step_right(model, optimizer, images, labels):
    optimizer.zero_grad()
    loss = torch_f().cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


def torch_f():
    return pytest.importorskip("torch").nn.functional


def _step(loss_of=None, zero=True, backward_first=True, item=True):
    """A learner's step, with one thing done their way."""
    def step(model, optimizer, images, labels):
        F = torch_f()
        if zero:
            optimizer.zero_grad()
        logits = model(images)
        loss = (loss_of or F.cross_entropy)(logits, labels)
        if backward_first:
            loss.backward()
            optimizer.step()
        else:
            optimizer.step()
            loss.backward()
        return loss.item() if item else loss
    return step


def step_zeroed_between(model, optimizer, images, labels):
    loss = torch_f().cross_entropy(model(images), labels)
    loss.backward()
    optimizer.zero_grad()
    optimizer.step()
    return loss.item()


def step_no_step(model, optimizer, images, labels):
    optimizer.zero_grad()
    loss = torch_f().cross_entropy(model(images), labels)
    loss.backward()
    return loss.item()


def step_no_grad(model, optimizer, images, labels):
    import torch
    optimizer.zero_grad()
    with torch.no_grad():
        loss = torch_f().cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


def step_backward_twice(model, optimizer, images, labels):
    optimizer.zero_grad()
    loss = torch_f().cross_entropy(model(images), labels)
    loss.backward()
    loss.backward()
    optimizer.step()
    return loss.item()


def step_by_hand_too(model, optimizer, images, labels):
    import torch
    loss = torch_step_right(model, optimizer, images, labels)
    with torch.no_grad():
        for p in model.parameters():
            p -= 0.1 * p.grad
    return loss


def step_loss_after(model, optimizer, images, labels):
    torch_step_right(model, optimizer, images, labels)
    return torch_f().cross_entropy(model(images), labels).item()


def step_without_momentum(model, optimizer, images, labels):
    import torch
    optimizer.zero_grad()
    loss = torch_f().cross_entropy(model(images), labels)
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= 0.1 * p.grad
    return loss.item()


def step_new_optimizer(model, optimizer, images, labels):
    import torch
    return torch_step_right(model, torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9),
                            images, labels)


def step_zero_grad_last(model, optimizer, images, labels):
    loss = torch_f().cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    return loss.item()


def step_twice(model, optimizer, images, labels):
    torch_step_right(model, optimizer, images, labels)
    return torch_step_right(model, optimizer, images, labels)


def step_first_image(model, optimizer, images, labels):
    return torch_step_right(model, optimizer, images[:1], labels[:1])


def step_adam(model, optimizer, images, labels):
    import torch
    return torch_step_right(model, torch.optim.Adam(model.parameters()), images, labels)


def step_lr_by_hand(model, optimizer, images, labels):
    import torch
    optimizer.zero_grad()
    loss = torch_f().cross_entropy(model(images), labels)
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= 0.01 * p.grad
    return loss.item()


STEP_MISTAKES = [
    (_step(zero=False), "call optimizer.zero_grad() before"),
    (_step(backward_first=False), "call optimizer.step() after loss.backward()"),
    (_step(lambda z, y: torch_f().cross_entropy(torch_f().softmax(z, dim=1), y)),
     "do not apply softmax first"),
    (_step(lambda z, y: torch_f().nll_loss(z, y)), "F.nll_loss expects log-probabilities"),
    (_step(lambda z, y: torch_f().cross_entropy(z, y, reduction="sum")), "the sum over the batch"),
    (_step(lambda z, y: torch_f().mse_loss(z, torch_f().one_hot(y, 3).double())),
     "squared error"),
    (_step(lambda z, y: torch_f().cross_entropy(z, (y + 1) % 3)), "labels are off by one"),
    (_step(lambda z, y: -torch_f().cross_entropy(z, y)), "the sign is flipped"),
    (step_loss_after, "computed before the step"),
    (step_by_hand_too, "the weights moved twice"),
    (step_zeroed_between, "no gradient reached optimizer.step()"),
    (step_no_step, "call optimizer.step() after loss.backward()"),
    (step_no_grad, "autograd was off"),
    (step_backward_twice, "backward() twice"),
    (_step(lambda z, y: torch_f().cross_entropy(y, z)), "the logits first"),
    (_step(lambda z, y: torch_f().cross_entropy(z, y, reduction="none")), "one number"),
    # walk 2026-12-07 (fourth): float labels used to get PyTorch's raw RuntimeError
    (_step(lambda z, y: torch_f().cross_entropy(z, y.float())), "integer class numbers"),
    (_step(item=False), "Python float"),
    (step_without_momentum, "without momentum"),
    (step_new_optimizer, "without momentum"),
    (step_twice, "two steps per call"),
    (step_first_image, "one image only"),
    (step_adam, "a new optimizer (Adam)"),
    (step_lr_by_hand, "your loss is right, but the weights after the first step differ"),
    (_step(lambda z, y: torch_f().cross_entropy(z, y, label_smoothing=0.1)),
     "your first loss is 1.12227, expected 1.12369 (before any step): the loss itself differs"),
]


def test_torch_step_passes_the_right_answer_and_names_each_mistake():
    pytest.importorskip("torch", reason="the exercise's own subject")
    assert lesson11.check_torch_step(torch_step_right).passed
    # zero_grad after the step instead of before backward: as right in a loop that starts with
    # no gradients (a fresh model's), as the checker's model does; walk 2026-12-07
    assert lesson11.check_torch_step(step_zero_grad_last).passed
    every_catalogued_mistake_fails_with_a_hint_that_names_it(
        "11 torch_step", lesson11.check_torch_step, STEP_MISTAKES, at_least=10)
    assert "return" in lesson11.check_torch_step(lambda *args: None).message
    assert "RuntimeError" in lesson11.check_torch_step(_crash).message


def _crash(*args):
    raise RuntimeError("something unexpected")


def test_torch_step_says_it_skipped_without_torch(monkeypatch):
    import importlib.util

    from cnnlab.lessons import _mistakes11

    real = importlib.util.find_spec
    monkeypatch.setattr(_mistakes11.importlib.util, "find_spec",
                        lambda name, *a: None if name == "torch" else real(name, *a))
    result = lesson11.check_torch_step(torch_step_right)
    assert not result.passed and "skipped: PyTorch is not installed" in result.message
    assert "pip install torch" in result.message
    monkeypatch.setattr(_mistakes11.course, "IN_BROWSER", True)     # the browser edition
    result = lesson11.check_torch_step(torch_step_right)
    assert "pip" not in result.message and "Colab or Binder" in result.message


# ---- the flatten panel ------------------------------------------------------------------------


@pytest.mark.slow
def test_flatten_panel_marks_the_right_cells():
    params = init_small_cnn(num_filters=3, num_blocks=2, seed=0)      # 6 maps of 7 x 7
    panel = lesson11.flatten_panel(params, np.random.default_rng(0).random((28, 28)))
    control = panel.controls["index"]
    assert (control.min, control.max) == (0, 6 * 7 * 7 - 1)
    before = panel.live.widget.value
    control.value = 2 * 49 + 3 * 7 + 5                    # channel 2, row 3, column 5
    assert panel.live.widget.value != before
    ax = panel.live.figure.axes[0]
    title = ax.get_title()
    assert "channel 2, row 3, column 5 in (C, H, W) order" in title
    h, w, c = np.unravel_index(control.value, (7, 7, 6))
    assert f"channel {c}, row {h}, column {w} in (H, W, C) order" in title
    square, circle = ax.lines
    band = 1                                              # label rows above 7 x 7 maps
    assert square.get_xdata()[0] == (2 % 4) * 8 + 5 and square.get_ydata()[0] == band + 3
    assert circle.get_xdata()[0] == (c % 4) * 8 + w
    assert circle.get_ydata()[0] == (c // 4) * (7 + band) + band + h


def test_flatten_panel_markers_on_edge_cells_are_not_clipped():
    """Issue 23: a marker on a map at the montage's edge was cut in half by the axes."""
    panel = lesson11.flatten_panel(init_small_cnn(num_filters=2, seed=0), np.zeros((28, 28)))
    panel.controls["index"].value = 0                      # channel 0, row 0, column 0: the corner
    square, circle = panel.live.figure.axes[0].lines
    assert not square.get_clip_on() and not circle.get_clip_on()


def test_flatten_panel_channel_labels_clear_the_frame():
    """Walk 2026-12-07: "channel 0" and "channel 4" started on the axes' left frame line."""
    panel = lesson11.flatten_panel()
    figure = panel.live.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    ax = figure.axes[0]
    frame = ax.get_window_extent(renderer)
    labels = [t for t in ax.texts if t.get_text().startswith("channel ")]
    assert [t.get_text() for t in labels] == [f"channel {c}" for c in range(8)]
    for label in labels:
        box = label.get_window_extent(renderer)
        assert box.x0 >= frame.x0 + 1, (label.get_text(), box.x0, frame.x0)   # >= 1 px inside
        assert box.y1 <= frame.y1 and box.x1 <= frame.x1


@pytest.mark.slow
def test_the_race_ends_apart_and_the_prose_says_so():
    """Issue 23: the text said '(nearly) the same weights' after a float32 drift of 7.6e-2."""
    pytest.importorskip("torch", reason="the race runs in PyTorch")
    from lesson_runs import run_lesson

    run = run_lesson("11")
    ns = run.namespace
    assert not run.says("end with (nearly) the same weights")
    assert run.says("yet they do not end with the same weights: with PyTorch here, the last line "
                    "shows how far float32 rounding")
    assert run.says("moved them apart over the epoch's 157 steps")
    assert ns["trainer"].steps_done == 157 and ns["drift"] > 1e-5   # far above float32 eps
    assert run.says("the two test accuracies still come out close")
    ours = ns["trainer"].evaluate()[1]
    theirs = ns["torch_accuracy"](ns["torch_model"], ns["x_test"], ns["y_test"])
    assert abs(ours - theirs) < 0.02
    assert run.says("ends with close test accuracies, the weights apart by what float32 rounding "
                    "grows to over the epoch")
    assert not run.says("about a minute of training")
    # the layer names said are the printed network's (walk 2026-12-07: "conv1, conv2 and dense"
    # over a one-block network that has no conv2)
    assert run.says("The layers are named `conv1` (and `conv2` when there is a second block) "
                    "and `dense`")
    assert {name.split(".")[0] for name in ns["model"].state_dict()} == {"conv1", "dense"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "| full MNIST, two blocks (8 and 16 filters), 8 epochs (the recipe before issue 24)" \
        in readme


# ---- the network this lesson translates ---------------------------------------------------------


def test_trained_network_prefers_a_kept_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    params = init_small_cnn(num_filters=3, num_blocks=2, seed=1)
    save_network("small_cnn_full_mnist.npz", params, trained_on="full MNIST", test_accuracy=0.99)
    save_network("small_cnn_lesson09.npz", init_small_cnn(), trained_on="subset")
    saved = lesson11.trained_network()
    assert capsys.readouterr().out == ("loaded small_cnn_full_mnist.npz: full MNIST, "
                                       "test accuracy 99.00%\n")
    assert saved.architecture["num_blocks"] == 2
    assert all(np.array_equal(saved.params[k], params[k]) for k in params)
    os.remove("small_cnn_full_mnist.npz")
    assert lesson11.trained_network().trained_on == "subset"


@pytest.mark.slow
def test_trained_network_trains_when_no_file_is_there(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    saved = lesson11.trained_network()
    out = capsys.readouterr().out
    assert out.startswith("no saved network found (small_cnn_full_mnist.npz, "
                          "small_cnn_lesson09.npz): trained lesson 09's network now")
    assert saved.test_accuracy > 0.95 and saved.dtype == "float32"
    assert f"{saved.test_accuracy:.2%}" in out


# ---- the full-MNIST cell ---------------------------------------------------------------------


def test_full_mnist_is_opt_in_and_skips_under_ci(monkeypatch, capsys):
    assert lesson11.train_full_mnist(run=False) is None
    assert capsys.readouterr().out.count("\n") == 1
    monkeypatch.setattr(course, "IN_CI", True)
    assert lesson11.train_full_mnist(run=True) is None
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "skipped under CI" in out


def test_full_mnist_skips_offline_with_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(course, "IN_CI", False)
    monkeypatch.setenv("CNNLAB_DATA", str(tmp_path))

    # Nothing listens on port 9 of this machine: every download is refused at once, as offline.
    monkeypatch.setattr("cnnlab.data.MNIST_MIRRORS", ("http://127.0.0.1:9/",))
    assert lesson11.train_full_mnist(run=True, board=False, save_to=None) is None
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "could not load it" in out and "offline?" in out
    assert lesson11.train_full_mnist(run=True, path=tmp_path / "none.npz", board=False) is None
    assert "could not load it (FileNotFoundError" in capsys.readouterr().out


@pytest.mark.slow
def test_full_mnist_board_still_shows_the_trained_board(monkeypatch, capsys):
    """The board's still picture (nbconvert's, a reader's without widgets) is updated after the
    cell only while the board's figure lives: `result` must keep it (walk 2026-12-07, fourth:
    the still kept the empty board, 3x3 placeholder kernels and no curves)."""
    import gc

    from IPython.core.interactiveshell import InteractiveShell

    from cnnlab.data import load_mnist_subset
    from cnnlab.ui import widgets

    monkeypatch.setattr(course, "IN_CI", False)
    monkeypatch.setattr(lesson11, "load_mnist", lambda path=None: load_mnist_subset())
    monkeypatch.setattr(widgets, "_SHOWN", [])
    monkeypatch.setattr(widgets, "_WATCHING", [])
    ours = not InteractiveShell.initialized()
    shell = InteractiveShell.instance()
    try:
        shell.user_ns["lesson11"] = lesson11
        shell.run_cell("result = lesson11.train_full_mnist(run=True, path='subset', epochs=1, "
                       "save_to=None)")
        gc.collect()
        assert " after 1 epoch (" in capsys.readouterr().out      # one epoch, not "1 epochs"
        board = shell.user_ns["result"]["board"]
        (record,) = [r for r in widgets._SHOWN if r.live() is board.live]
        assert record.png is board.live.widget.value      # the still holds the trained board
        assert "a 5x5 grid" in board.live.widget.alt
    finally:
        shell.user_ns.pop("result", None)
        for event in ("pre_run_cell", "post_run_cell"):
            for hook in (widgets._before_cell, widgets._after_cell):
                if hook in shell.events.callbacks[event]:
                    shell.events.unregister(event, hook)
        if ours:
            InteractiveShell.clear_instance()


@pytest.mark.slow
@pytest.mark.skipif(not MNIST.exists(), reason=f"full MNIST not found at {MNIST}: this test "
                                               f"needs a local copy (set CNNLAB_FULL_MNIST)")
def test_full_mnist_reaches_99_percent(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(course, "IN_CI", False)
    result = lesson11.train_full_mnist(run=True, path=MNIST, board=False,
                                       save_to=tmp_path / "full.npz")
    out = capsys.readouterr().out
    print(out)                                   # the accuracy and the time, with pytest -s
    assert result["accuracy"] >= 0.99, out
    assert f"test accuracy {result['accuracy']:.2%} after 3 epochs" in out
    assert f"trained in {result['seconds']:.0f} s" in out
    saved = load_network(tmp_path / "full.npz", architecture={"num_blocks": 2,
                                                              "num_filters": 8})
    assert saved.test_accuracy == result["accuracy"]
    assert saved.trained_on.startswith("full MNIST (60,000 training images)")


# ---- the notebook without PyTorch ------------------------------------------------------------


@pytest.mark.slow
def test_notebook_runs_clean_without_torch(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat", reason="runs the notebook (comes with nbval)")
    nbclient = pytest.importorskip("nbclient", reason="runs the notebook (comes with jupyterlab)")
    hide = tmp_path / "hide_torch"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text("import sys\nsys.modules['torch'] = None\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hide), str(ROOT)]))
    work = tmp_path / "work"                     # no saved network there: it trains one
    work.mkdir()
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(work)}}).execute()
    outputs = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert not any(o.output_type == "error" for o in cell.outputs), cell.source
        assert all(o.get("name") != "stderr" for o in cell.outputs), text
        outputs.append((cell.source, text))
    imports = next(text for source, text in outputs if "import_torch()" in source)
    assert imports.count("\n") == 1 and "PyTorch is not installed" in imports
    torch_cells = [(s, t) for s, t in outputs if "course.have(torch" in s]
    assert len(torch_cells) >= 6
    for source, text in torch_cells:
        skipped = [ln for ln in text.splitlines() if ln.startswith("skipped (no PyTorch)")]
        assert len(skipped) == 1, (source, text)
    # Prose about a skipped cell's output says it needs PyTorch (issue 23: it described output
    # that never came).
    prose = "\n".join("".join(c.source) for c in notebook.cells if c.cell_type == "markdown")
    assert "With PyTorch here, every difference above is tiny" in prose
    assert "with PyTorch here, the last line shows" in prose
    assert "Every difference is tiny" not in prose
    # The NumPy half still runs and prints its numbers.
    assert any("every array identical: True" in t for _, t in outputs)
    assert any("cnnlab:  one epoch (157 steps)" in t for _, t in outputs)


def test_11_torch_step_help_says_backward_adds_and_zero_grad_clears():
    """issue 23: the idea said "an optimizer keeps adding gradients"; it is loss.backward()
    that adds into .grad, and the optimizer's zero_grad() that clears it."""
    from cnnlab.lessons import lesson11

    said = repr(lesson11.check_torch_step.more_help())
    assert "loss.backward() adds each new gradient into the parameter's .grad" in said
    assert "optimizer.zero_grad()" in said and "optimizer keeps adding" not in said


@pytest.mark.slow
def test_11_torch_backward_adds_into_grad_and_zero_grad_clears_it():
    """What the help above says, as torch does it (importing torch takes seconds)."""
    import torch

    weight = torch.nn.Parameter(torch.tensor([2.0]))
    optimizer = torch.optim.SGD([weight], lr=0.1)
    for _ in range(2):
        (3 * weight).sum().backward()
    assert weight.grad.tolist() == [6.0]                 # backward() added 3 twice
    optimizer.zero_grad()
    assert weight.grad is None or weight.grad.tolist() == [0.0]
