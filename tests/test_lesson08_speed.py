"""Lesson 08's training panel: the fast path computes what the textbook path computes, and a
redraw after a step draws only the changing artists (the curves' axes grow only when outgrown).
"""

from __future__ import annotations

import numpy as np
import pytest

from cnnlab.lessons import lesson08
from cnnlab.models import init_seed_model, seed_model_loss


@pytest.mark.parametrize(("shape", "kernel_size", "n"), [((28, 28), 5, 7), ((8, 10), 3, 4),
                                                         ((12, 12), 5, 1)])
def test_fused_loss_equals_the_textbook_loss(shape, kernel_size, n):
    rng = np.random.default_rng(8)
    params = init_seed_model(shape, kernel_size, seed=rng, scale=0.5)
    images = rng.random((n, *shape))
    targets = rng.integers(0, 2, size=n).astype(float)
    loss, grads, logits = lesson08._fused_seed_loss(params, images, targets)
    want_loss, want_grads, want_logits = seed_model_loss(params, images, targets)
    assert loss == pytest.approx(want_loss, rel=1e-12, abs=1e-14)
    np.testing.assert_allclose(logits, want_logits, rtol=1e-12, atol=1e-14)
    assert set(grads) == set(want_grads)
    for name, want in want_grads.items():
        assert grads[name].shape == params[name].shape
        np.testing.assert_allclose(grads[name], want, rtol=1e-10, atol=1e-14, err_msg=name)


def test_fused_trainer_follows_the_textbook_trainer_and_its_accuracy_is_evaluate():
    textbook = lesson08.make_trainer(7, 1, lr=0.1, n_train=256)
    fused = lesson08.make_trainer(7, 1, lr=0.1, n_train=256, fused=True)
    assert textbook.loss_fn is seed_model_loss and fused.loss_fn is not seed_model_loss
    textbook.step(20)
    fused.step(20)
    np.testing.assert_allclose(fused.history.step_loss, textbook.history.step_loss, rtol=1e-9)
    for name, value in textbook.params.items():
        np.testing.assert_allclose(fused.params[name], value, rtol=1e-9, atol=1e-12)
    assert textbook.evaluate()[1] > 0.5
    for batch_size in (25, 7, 400, 1000):
        assert lesson08._held_out_accuracy(fused, batch_size) == textbook.evaluate()[1]


def test_make_trainer_rejects_a_fused_that_is_not_a_bool():
    with pytest.raises(TypeError, match="fused"):
        lesson08.make_trainer(fused="yes")


def test_axes_ends_grow_in_steps():
    assert [lesson08._steps_shown(s) for s in (0, 1, 50, 51, 100, 101, 400, 401)] == [
        50, 50, 50, 100, 100, 200, 400, 800]
    assert [lesson08._loss_top(x) for x in (0.0, 0.69, 1.0, 1.01, 2.5, 7.0, 15.2, 60.0)] == [
        1, 1, 1, 2, 5, 10, 20, 100]


def test_a_step_redraws_no_whole_axes_and_the_curves_always_fit():
    panel = lesson08.training_panel()
    ax_loss, ax_acc = panel.live.figure.axes[:2]
    for name in ("step", "run", "run", "step", "run"):
        panel.buttons[name][0].click()
        trainer = panel.state["trainer"]
        assert panel.live._blitter.dynamic == set(), name     # only animated artists drawn
        for ax in (ax_loss, ax_acc):                            # every step is on the axis
            assert ax.get_xlim()[0] < 0 and ax.get_xlim()[1] > trainer.steps_done
        assert ax_loss.get_ylim()[1] >= max(trainer.history.step_loss)
    with panel.hold():                                         # a loss spike above 1 fits too
        panel.controls["negative"].value, panel.controls["positive"].value = 1, 7
        panel.controls["lr"].value = 1.0
    panel.buttons["run"][0].click()
    assert ax_loss.get_ylim()[1] >= max(panel.state["trainer"].history.step_loss) > 1
    assert panel.live._blitter.dynamic == set()


@pytest.mark.parametrize(("positive", "negative", "n_train"), [(3, 8, 2000), (8, 3, 2000),
                                                               (7, 1, 64), (0, 9, 10_000)])
def test_the_panels_task_is_two_digit_task(positive, negative, n_train):
    from cnnlab.data import two_digit_task

    task = lesson08._task(positive, negative, n_train)
    want = two_digit_task(positive=positive, negative=negative, n_train=n_train, n_test=400)
    assert set(task) == set(want)
    for name, value in want.items():
        assert np.array_equal(task[name], value), name
        assert np.asarray(task[name]).dtype == np.asarray(value).dtype, name


@pytest.mark.parametrize(("kwargs", "error", "named"), [
    ({"positive": 11}, ValueError, "positive"), ({"negative": -1}, ValueError, "negative"),
    ({"positive": 8}, ValueError, "different"), ({"n_train": 0}, ValueError, "n_train"),
    ({"positive": 2.5}, TypeError, "positive"), ({"negative": True}, TypeError, "negative")])
def test_make_trainer_says_what_is_wrong(kwargs, error, named):
    with pytest.raises(error, match=named):
        lesson08.make_trainer(**kwargs)
