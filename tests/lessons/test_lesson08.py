"""Lesson 08 (08_training_the_seed_network.ipynb): what its prose claims, its panels and
figures, its exercise checkers and the mistakes they name.

Tests that run the notebook or render figures are marked ``slow``; the fast lane
(``python -m pytest -m "not slow"``) keeps the checkers.  The notebook runs once per
session (tests/lesson_runs.py), shared by the claim and figure tests.
"""

from __future__ import annotations

import glob
import json
from pathlib import Path

import numpy as np
import pytest
from checker_checks import (
    a_stub_and_a_crash_say_not_yet,
    each_known_mistake_gets_its_own_hint,
    every_catalogued_mistake_fails_with_a_hint_that_names_it,
    right_answer_passes,
    the_checker_never_changes_the_learners_arguments,
    unfinished_stub_and_crash_say_not_yet,
)
from figure_checks import (
    COLUMN_PX,
    all_problems,
    click,
    panel_states,
    set_control,
    swept,
)
from lesson_runs import run_lesson
from panels import check_every_control_changes_the_figure, panel_id, panels_of

import cnnlab as cl
from cnnlab.lessons import lesson08
from cnnlab.seednet import seed_network_loss

# ---- what the lesson says, its cells show (claims) ----------------------------------------------


@pytest.mark.slow
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


@pytest.mark.slow
def test_08_a_small_learning_rate_learns():
    run = run_lesson("08")
    assert run.says("Watch the loss fall, the held-out accuracy rise above chance")
    panel = _trained_panel(0.05)
    trainer = panel.state["trainer"]
    losses = trainer.history.step_loss
    assert np.mean(losses[-10:]) < np.mean(losses[:10])
    assert panel.state["evals"][1][-1] > 0.5


@pytest.mark.slow
def test_08_a_learning_rate_of_half_kills_every_relu():
    run = run_lesson("08")
    assert run.says("Try a learning rate of 0.5: within 50 steps the conv bias is pushed so "
                    "negative that every ReLU switches off")
    panel = _trained_panel(0.5)
    trainer = panel.state["trainer"]
    assert trainer.steps_done == 50
    from cnnlab.seednet import seed_network_forward

    _, cache = seed_network_forward(trainer.test_images, trainer.params)
    assert float(np.ravel(trainer.params["bias"])[0]) < -1
    assert np.all(cache["relu"] == 0)
    assert run.says("accuracy sticks at chance")
    assert panel.state["evals"][1][-1] == 0.5
    assert run.says("the ReLU map goes dark")
    assert "(dead)" in panel.live.figure.axes[3].get_title()


@pytest.mark.slow
def test_08_the_text_is_on_the_slider_and_one_digit_twice_clears_the_plots():
    """Issue 23: the log slider could not reach the 0.5 the text asks for; choosing the same
    digit twice left the previous pair's plots (and its buttons still trained it)."""
    run = run_lesson("08")
    assert run.says("Try a learning rate of 0.5")
    panel = lesson08.training_panel()
    assert {0.05, 0.5} <= set(panel.controls["lr"].options) and panel.controls["lr"].value == 0.05
    panel.buttons["run"][0].click()
    panel.controls["negative"].value = 3                          # 3 against 3
    fig = panel.live.figure
    assert len(fig.axes[0].lines[0].get_xdata()) == 0 and len(fig.axes[1].lines[0].get_xdata()) == 0
    assert not np.any(fig.axes[2].images[0].get_array()) and not np.any(
        fig.axes[3].images[0].get_array())
    assert "no network" in fig.axes[2].get_title()
    assert "choose two different" in fig._suptitle.get_text()
    panel.buttons["run"][0].click()
    assert panel.state["trainer"] is None
    panel.controls["negative"].value = 8
    assert panel.state["trainer"].steps_done == 0


@pytest.mark.slow
def test_08_overfitting_is_explained_where_held_out_images_first_appear():
    run = run_lesson("08")
    assert run.says("A network can **overfit**: fit its training images ever better, their quirks "
                    "and noise included, while its score on new images stalls or falls")


@pytest.mark.slow
def test_08_reset_starts_from_new_random_weights():
    run = run_lesson("08")
    assert run.says("**Reset** starts again from new random weights (another seed)")
    panel = lesson08.training_panel()
    before = panel.state["trainer"].params["kernel"].copy()
    panel.buttons["reset"][0].click()
    assert not np.allclose(panel.state["trainer"].params["kernel"], before)


@pytest.mark.slow
def test_08_the_seed_loop_says_0_to_everything():
    run = run_lesson("08")
    ns = run.namespace
    y_hats = np.array(ns["y_hats"])
    assert run.says("it falls step after step towards 0")
    assert run.says("image of integers 1..254")
    assert run.says("each one computed just before its step (so the first is the untrained "
                    "network's)")
    loop_figure = dict(run.shown)["the seed's loop: y_hat -> 0"]
    assert list(loop_figure.axes[0].lines[0].get_xdata()) == list(range(50))
    assert loop_figure.axes[0].get_xlabel() == "steps taken"
    assert np.all(np.diff(y_hats) < 0) and y_hats[-1] < 0.05
    assert f"y_hat: {y_hats[0]:.3f} -> {y_hats[-1]:.3f}" in run.output_of("seed_training_loop")
    assert run.says("On real digits every $\\hat y$ stays below 0.5: the network answers \"8\" "
                    "for every image and scores exactly chance, since half of them are 3s")
    assert ns["digit_y_hats"].max() < 0.5
    assert ns["digit_targets"].mean() == 0.5
    assert "accuracy 50.0%" in run.output_of("seed_training_loop")
    assert run.says("(the dense weights and the kernel move; the output bias $b_f$ hardly does)")
    _, start = cl.seednet.seed_training_loop(steps=0)
    image = np.random.default_rng(0).integers(1, 255, size=(32, 32)).astype(float)
    trained = ns["seed_params"]

    def logit(params):
        return cl.seed_forward(image, params)[1]["logit"]

    drop = {name: logit(dict(start, **{name: trained[name]})) - logit(start)
            for name in ("weight", "kernel", "out_bias")}
    assert drop["weight"] < 0 and drop["kernel"] < 0
    assert abs(drop["out_bias"]) < 0.01 * min(abs(drop["weight"]), abs(drop["kernel"]))


# ---- its panels and figures: every control works, every state reads -----------------------------


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson08), ids=panel_id)
def test_every_control_changes_the_figure(factory):
    check_every_control_changes_the_figure(factory)


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson08), ids=panel_id)
def test_every_control_value_leaves_the_panel_readable(factory):
    assert swept(factory).problems() == []


@pytest.mark.slow
def test_figures_the_notebooks_show_are_readable():
    """Every figure a cell shows with plt.show(), at the inline backend's dpi and pixel size;
    the figures of the session's one run of the notebook."""
    seen = [f"{title!r}: {p}" for title, figure in run_lesson("08").shown
            for p in all_problems(figure, figure.dpi)]
    assert seen == []


# Each figure of the lesson, in every state the tests visit (a panel and its moves).
FIGURES = {
    "08 training": panel_states(lesson08.training_panel, [
        ("one step", click("step")),
        ("50 steps", click("run")),
        ("learning rate 0.5, 50 steps", lambda p: (set_control("lr", 0.5)(p),
                                                   click("run")(p))),
        ("the same digit twice", set_control("negative", 3)),
        ("7 against 1", lambda p: (set_control("negative", 1)(p), set_control("positive", 7)(p),
                                   click("run", 2)(p))),
        ("reset", click("reset")),
        ("learning rate 0.001", set_control("lr", 0.001)),
    ]),
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
    for factory in panels_of(lesson08):
        start = swept(factory).states[0]                    # the panel as built
        width = int.from_bytes(start.png[16:20], "big")     # the PNG's own width (IHDR)
        assert start.width == f"{width}px"
        assert start.max_width == "100%"
        assert width <= COLUMN_PX


# ---- its exercises: each checker passes the right answer and names each catalogued mistake ------

# (checker, right answer, [(wrong answer, words its hint must contain), ...])
CASES = [
    (lesson08.check_gd_update, lambda p, g, lr: {k: p[k] - lr * g[k] for k in p},
     [(lambda p, g, lr: {k: p[k] + lr * g[k] for k in p}, "uphill"),
      (lambda p, g, lr: {k: p[k] - g[k] for k in p}, "learning rate")]),
    (lesson08.check_accuracy, lambda p, t: np.mean((p > 0.5) == t),
     [(lambda p, t: 100 * np.mean((p > 0.5) == t), "percentage"),
      (lambda p, t: np.sum((p > 0.5) == t), "divide by N")]),
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

def gd_right(params, grads, lr):
    return {name: params[name] - lr * grads[name] for name in params}


def gd_in_place(params, grads, lr):
    for name in params:
        params[name] -= lr * grads[name]
    return params


def gd_rebinds_keys(params, grads, lr):
    for name in params:
        params[name] = params[name] - lr * grads[name]     # new arrays, but in the caller's dict
    return params


def gd_seed_keys(params, grads, lr):
    return {name: params[name] - lr * grads[f"grad_{name}"] for name in params}


def gd_return_in_loop(params, grads, lr):
    new = {}
    for name in params:
        new[name] = params[name] - lr * grads[name]
        return new


def gd_list(params, grads, lr):
    return [params[name] - lr * grads[name] for name in params]


def gd_frozen(params, grads, lr):
    return {name: params[name].copy() for name in params}


def gd_mean_step(params, grads, lr):
    return {name: params[name] - lr * np.mean(grads[name]) for name in params}


def accuracy_right(y_hat, targets):
    return np.mean((y_hat > 0.5) == targets)


def momentum_right(params, grads, velocity, lr, momentum):
    new_velocity = {name: momentum * velocity[name] + grads[name] for name in params}
    return {name: params[name] - lr * new_velocity[name] for name in params}, new_velocity


def momentum_written(params, grads, velocity, lr, momentum, slip=""):
    """One step with momentum as a learner writes it, with one of the usual slips."""
    new_params, new_velocity = {}, {}
    for name in params:
        p, g, v = params[name], grads[name], velocity[name]
        new_v = {"no memory": g, "scaled grad": momentum * g + v,
                 "running mean": momentum * v + (1 - momentum) * g,
                 "lr inside": momentum * v - lr * g, "lr twice": momentum * v + lr * g,
                 "both scaled": momentum * (v + g), "minus grad": momentum * v - g}.get(
                     slip, momentum * v + g)
        new_params[name] = {"old velocity": p - lr * v, "uphill": p + lr * new_v,
                            "mixed": p - lr * g - momentum * v,
                            "lr inside": p + new_v, "no lr": p - new_v}.get(slip, p - lr * new_v)
        new_velocity[name] = new_v
    return new_params, new_velocity


def momentum_plain_step(params, grads, velocity, lr, momentum):
    return {name: params[name] - lr * grads[name] for name in params}, velocity


def momentum_swapped_return(params, grads, velocity, lr, momentum):
    return momentum_right(params, grads, velocity, lr, momentum)[::-1]


def momentum_in_place(params, grads, velocity, lr, momentum):
    for name in params:
        velocity[name] *= momentum
        velocity[name] += grads[name]
    return {name: params[name] - lr * velocity[name] for name in params}, velocity


def momentum_params_only(params, grads, velocity, lr, momentum):
    return momentum_right(params, grads, velocity, lr, momentum)[0]


def epoch_right(params, images, targets, order, batch_size, lr):
    losses = []
    for start in range(0, len(images), batch_size):
        batch = order[start:start + batch_size]
        loss, grads, _ = cl.seednet.seed_network_loss(params, images[batch], targets[batch])
        losses.append(loss)
        params = {name: params[name] - lr * grads[name] for name in params}
    return params, losses


def epoch_with_momentum(params, images, targets, order, batch_size, lr):
    losses, velocity = [], {name: np.zeros_like(value) for name, value in params.items()}
    for start in range(0, len(images), batch_size):
        batch = order[start:start + batch_size]
        loss, grads, _ = cl.seednet.seed_network_loss(params, images[batch], targets[batch])
        losses.append(loss)
        velocity = {name: 0.9 * velocity[name] + grads[name] for name in params}
        params = {name: params[name] - lr * velocity[name] for name in params}
    return params, losses


def epoch_written(params, images, targets, order, batch_size, lr, slip=""):
    """One epoch as a learner writes it, with one of the usual slips."""
    losses, start_params, saved = [], params, []
    n = len(images)
    stop = n - n % batch_size if slip == "drop last" else n
    step = 1 if slip == "overlap" else batch_size
    for start in range(0, stop, step):
        visit = {"no order": np.arange(n), "reversed": order[::-1]}.get(slip, order)
        batch = visit[start:start + batch_size - (slip == "short")]
        labels = targets[start:start + batch_size] if slip == "labels" else targets[batch]
        at = start_params if slip in ("stale", "no chaining") else params
        loss, grads, _ = cl.seednet.seed_network_loss(at, images[batch], labels)
        if slip == "no chaining":               # each step from the starting params
            params = start_params
        if slip == "once":
            saved.append(grads)
            losses.append(loss)
            continue
        rate = {"no lr": 1.0, "uphill": -lr, "times size": lr * len(batch)}.get(slip, lr)
        params = {name: params[name] - rate * grads[name] for name in params}
        losses.append(cl.seednet.seed_network_loss(params, images[batch], labels)[0]
                      if slip == "after" else loss)
    if saved:
        params = {name: params[name] - lr * np.mean([g[name] for g in saved], axis=0)
                  for name in params}
    return params, losses


def epoch_array_split(params, images, targets, order, batch_size, lr):
    losses = []
    for batch in np.array_split(order, len(order) // batch_size):
        loss, grads, _ = cl.seednet.seed_network_loss(params, images[batch], targets[batch])
        losses.append(loss)
        params = {name: params[name] - lr * grads[name] for name in params}
    return params, losses


def epoch_per_image(params, images, targets, order, batch_size, lr):
    return epoch_right(params, images, targets, order, 1, lr)


def epoch_mean_loss(params, images, targets, order, batch_size, lr):
    params, losses = epoch_right(params, images, targets, order, batch_size, lr)
    return params, float(np.mean(losses))


def epoch_after_shallow_copy(params, images, targets, order, batch_size, lr):
    """The generic in-place advice followed: params.copy() copies the dict, not its arrays."""
    return epoch_in_place(params.copy(), images, targets, order, batch_size, lr)


def epoch_full_batch(params, images, targets, order, batch_size, lr):
    """One step on all the images: the whole set as one batch."""
    loss, grads, _ = cl.seednet.seed_network_loss(params, images[order], targets[order])
    return {name: params[name] - lr * grads[name] for name in params}, [loss]


def epoch_in_place(params, images, targets, order, batch_size, lr):
    losses = []
    for start in range(0, len(images), batch_size):
        batch = order[start:start + batch_size]
        loss, grads, _ = cl.seednet.seed_network_loss(params, images[batch], targets[batch])
        losses.append(loss)
        for name in params:
            params[name] -= lr * grads[name]
    return params, losses


def epoch_trainer(params, images, targets, order, batch_size, lr):
    trainer = cl.Trainer(params, cl.seednet.seed_network_loss, cl.SGD(lr=lr, momentum=0),
                         images, targets, batch_size=batch_size)
    trainer.step(trainer.steps_per_epoch)
    return trainer.params, trainer.history.step_loss


def slip(function, name):
    def answer(*args):
        return function(*args, slip=name)
    answer.__name__ = f"{function.__name__}[{name}]"
    return answer


def momentum_nesterov(params, grads, velocity, lr, momentum):
    new_velocity = {k: momentum * velocity[k] + grads[k] for k in params}
    return ({k: params[k] - lr * (grads[k] + momentum * new_velocity[k]) for k in params},
            new_velocity)


MISTAKES = {
    "08 gd_update": (lesson08.check_gd_update, gd_right, [
        (lambda p, g, lr: {k: p[k] - 0.05 * g[k] for k in p}, "with lr=0.1 your step was 0.05 "
                                                              "times the gradient"),
        (lambda p, g, lr: {k: p[k] + lr * g[k] for k in p}, "uphill"),
        (lambda p, g, lr: {k: p[k] - g[k] for k in p}, "learning rate"),
        (lambda p, g, lr: {k: -lr * g[k] for k in p}, "step alone"),
        (lambda p, g, lr: {k: p[k] - g[k] / lr for k in p}, "divided by the learning rate"),
        (lambda p, g, lr: {k: g[k] - lr * p[k] for k in p}, "swapped params and grads"),
        (lambda p, g, lr: {k: p[k] - lr * lr * g[k] for k in p}, "appears twice"),
        (gd_frozen, "did not move"),
        (gd_mean_step, "not the mean gradient"),
        (lambda p, g, lr: {k: p[k] - lr * np.sign(g[k]) for k in p}, "gradient's sign"),
        (lambda p, g, lr: {k: p[k] - lr * g[k] ** 2 for k in p}, "not its square"),
        (gd_in_place, "new dict"),
        (gd_rebinds_keys, "new dict"),
        (gd_seed_keys, "grads[\"kernel\"]"),
        (gd_return_in_loop, "inside the loop"),
        (gd_list, "must be a dict"),
        (lambda p, g, lr: {k: p[k] - 0.1 * g[k] for k in p}, "not a number typed in"),
        (lambda p, g, lr: {k: p[k] - 0.5 * lr * g[k] for k in p},
         "your step was 0.5 * lr * grad (with lr=0.1, 0.05 times the gradient; with lr=0.37, "
         "0.185 times): drop the extra factor 0.5"),
        (lambda p, g, lr: {k: p[k] - 3 * lr * g[k] for k in p}, "drop the extra factor 3"),
        (lambda p, g, lr: dict(zip(list(p)[::-1], [p[k] - lr * g[k] for k in p], strict=True)),
         "under the wrong names"),
    ]),
    "08 accuracy": (lesson08.check_accuracy, accuracy_right, [
        (lambda p, t: np.mean((p > 0.5) == t[::-1]), "another image's target"),
        (lambda p, t: 100 * np.mean((p > 0.5) == t), "percentage"),
        (lambda p, t: np.sum((p > 0.5) == t), "divide by N"),
        (lambda p, t: np.mean((p > 0) == t), "threshold it at 0.5"),
        (lambda p, t: np.mean((p > 0.5) != t), "error rate"),
        (lambda p, t: np.mean((p >= 0.5) == t), "use >, not >="),
        (lambda p, t: np.mean((p < 0.5) == t), "not y_hat < 0.5"),
        (lambda p, t: np.mean(p == t), "not the probability"),
        (lambda p, t: (p > 0.5) == t, "one number"),
        (lambda p, t: np.mean(t[p > 0.5]), "precision"),
        (lambda p, t: np.mean((p > 0.5)[t == 1]), "recall"),
        (lambda p, t: np.count_nonzero((p > 0.5) == t) / t.sum(), "not by the number of 1s"),
        (lambda p, t: np.mean(p > 0.5 == t), "with brackets"),
        (lambda p, t: np.sum((p > 0.5) & (t == 1)) / len(t), "only the 1s found"),
        (lambda p, t: np.sum((p > 0.5) == t) // len(t), "integer division (//)"),
        (lambda p, t: int(np.mean((p > 0.5) == t)), "or int(), rounds the fraction down"),
        (lambda p, t: np.sum((p > 0.5) == t) / len(p[p > 0.5]), "not by the number predicted 1"),
        (lambda p, t: np.sum((p > 0.5) == t) / (len(t) - 1), "not N - 1"),
        (lambda p, t: np.mean(np.abs(p - t) <= 0.5), "counts exactly 0.5 as right"),
        (lambda p, t: np.mean(np.abs(p - t) < 0.5), "counts exactly 0.5 as wrong"),
        (lambda p, t: round(float(np.mean((p > 0.5) == t)), 2), "rounded to 2 decimals"),
    ]),
    "08 momentum_step": (lesson08.check_momentum_step, momentum_right, [
        (lambda params, grads, velocity, lr, momentum: (                  # was shown values only
            {k: params[k] - lr * (velocity[k] + grads[k]) for k in params},
            {k: velocity[k] + grads[k] for k in params}), "left out the momentum factor"),
        (slip(momentum_written, "no memory"), "dropped the old velocity"),
        (momentum_plain_step, "plain gradient step"),
        (slip(momentum_written, "scaled grad"), "not the gradient"),
        (slip(momentum_written, "running mean"), "no (1 - momentum) factor"),
        (slip(momentum_written, "old velocity"), "stepped with the old velocity"),
        (slip(momentum_written, "uphill"), "uphill"),
        (slip(momentum_written, "lr inside"), "folded the learning rate"),
        (slip(momentum_written, "lr twice"), "appears twice"),
        (slip(momentum_written, "no lr"), "forgot the learning rate"),
        (slip(momentum_written, "both scaled"), "old velocity only"),
        (slip(momentum_written, "minus grad"), "the gradient is added to the velocity"),
        (slip(momentum_written, "mixed"), "new velocity alone"),
        (momentum_swapped_return, "in that order"),
        (momentum_in_place, "changed the arrays inside velocity in place"),
        (momentum_params_only, "return two dicts"),
        (momentum_nesterov, "Nesterov"),
        (lambda p, g, v, lr, m: momentum_right(p, g, v, lr, 0.9), "with momentum=0.6 your "
                                                                  "velocity used 0.9"),
        (lambda p, g, v, lr, m: momentum_right(p, g, v, 0.05, m), "with lr=0.2 your step used "
                                                                  "0.05"),
    ]),
    "08 train_epoch": (lesson08.check_train_epoch, epoch_right, [
        (slip(epoch_written, "drop last"), "last, smaller batch"),
        (slip(epoch_written, "no order"), "given order"),
        (slip(epoch_written, "labels"), "targets must follow the images"),
        (slip(epoch_written, "overlap"), "overlap"),
        (epoch_per_image, "not one image per step"),
        (slip(epoch_written, "once"), "after every batch"),
        (slip(epoch_written, "after"), "before that batch's update"),
        (slip(epoch_written, "uphill"), "uphill"),
        (slip(epoch_written, "no lr"), "learning rate"),
        (slip(epoch_written, "stale"), "the previous step left"),
        (slip(epoch_written, "no chaining"), "only the last batch's step is in the answer"),
        (slip(epoch_written, "short"), "your batches hold batch_size - 1 images (3, not 4)"),
        (slip(epoch_written, "reversed"), "from its start"),
        (slip(epoch_written, "times size"), "already the batch's mean"),
        (epoch_array_split, "np.array_split"),
        (epoch_mean_loss, "one number per batch"),
        (epoch_in_place, "changed the arrays inside params in place"),
        (epoch_after_shallow_copy, "params.copy() does not prevent it"),
        (lambda p, im, t, o, b, lr: epoch_right(p, im, t, o, b, 0.05),
         "your new params are the same at lr=0.37 and at lr=0.74"),
        (lambda p, im, t, o, b, lr: epoch_right(p, im, t, np.random.default_rng(3).permutation(
            o), b, lr), "take the batches from order as given"),
        (epoch_full_batch, "one step on the whole set"),
        (epoch_trainer, "do not call Trainer"),
        (lambda p, im, t, o, b, lr: epoch_right(p, im, t, o, b, 2 * lr), "twice too long"),
        (lambda p, im, t, o, b, lr: (p, epoch_right(p, im, t, o, b, lr)[1]),
         "your new params are the old ones"),
        (lambda p, im, t, o, b, lr: epoch_right(p, im, t, np.random.default_rng(0).permutation(
            len(t)), b, lr), "you drew your own shuffle"),
        (epoch_with_momentum, "that is a step with momentum"),
    ]),
}


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


# ---- from test_lesson08_speed.py ----------------------------------------------------------------
# Lesson 08's training panel: the fast path computes what the textbook path computes, and a

# The fused seed loss against the textbook's: tests/engine/test_networks.py.


def test_fused_trainer_follows_the_textbook_trainer_and_its_accuracy_is_evaluate():
    textbook = lesson08.make_trainer(7, 1, lr=0.1, n_train=256)
    fused = lesson08.make_trainer(7, 1, lr=0.1, n_train=256, fused=True)
    assert textbook.loss_fn is seed_network_loss and fused.loss_fn is not seed_network_loss
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


@pytest.mark.slow
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


@pytest.mark.parametrize(("kwargs", "error", "named"), [
    ({"positive": 11}, ValueError, "positive"), ({"negative": -1}, ValueError, "negative"),
    ({"positive": 8}, ValueError, "different"), ({"n_train": 0}, ValueError, "n_train"),
    ({"positive": 2.5}, TypeError, "positive"), ({"negative": True}, TypeError, "negative")])
def test_make_trainer_says_what_is_wrong(kwargs, error, named):
    with pytest.raises(error, match=named):
        lesson08.make_trainer(**kwargs)


def test_the_seed_loops_predictions_are_taken_before_each_step():
    """seed_training_loop's docstring and lesson 08's cell 7: y_hats[k] is the prediction
    after k steps (the first the untrained network's), on an image of integers 1..254."""
    y_hats, params = cl.seednet.seed_training_loop(steps=3)
    _, start = cl.seednet.seed_training_loop(steps=0)
    image = np.random.default_rng(0).integers(1, 255, size=(32, 32)).astype(float)
    assert image.min() == 1 and image.max() == 254
    assert y_hats[0] == pytest.approx(cl.seed_forward(image, start)[0], rel=1e-12)
    _, two = cl.seednet.seed_training_loop(steps=2)
    assert y_hats[2] == pytest.approx(cl.seed_forward(image, two)[0], rel=1e-12)
    assert cl.seed_forward(image, params)[0] < y_hats[-1]
    doc = cl.seednet.seed_training_loop.__doc__
    assert "image of 1..254" in doc and "``y_hats[k]`` is the prediction after k" in doc


def test_train_epochs_second_tier_is_words_not_code():
    idea = lesson08.check_train_epoch.idea
    assert not any(code in idea for code in ("[", "=", "range(", "seed_network_loss", ":"))
    assert "steps of batch_size" in idea and "before the step" in idea


def test_a_first_batch_of_another_size_is_named_by_its_size():
    def epoch_two_then_four(params, images, targets, order, batch_size, lr):
        losses = []
        for batch in (order[:2], order[2:6], order[6:]):
            loss, grads, _ = cl.seednet.seed_network_loss(params, images[batch], targets[batch])
            losses.append(loss)
            params = {name: params[name] - lr * grads[name] for name in params}
        return params, losses

    result = lesson08.check_train_epoch(epoch_two_then_four)
    assert not result and "your first batch held 2 images, not batch_size=4" in result.message
    assert "shuffle" not in result.message


def test_adam_is_explained_where_optimizers_are_and_its_first_step_is_about_lr():
    """Issue 23's walk expected Adam explained: lesson 08's paragraph says what it does, with a
    number checked here: the first step moves each parameter by about lr, whatever its
    gradient's size; and momentum SGD is indeed the only optimizer the lessons' code builds."""
    notebook = json.loads(Path(lesson08.__file__).parents[2].joinpath(
        "notebooks", "08_training_the_seed_network.ipynb").read_text(encoding="utf-8"))
    text = "".join("".join(cell["source"]) for cell in notebook["cells"])
    assert ("its first step moves each parameter by about the learning rate, whether its "
            "gradient is 0.001 or 1000") in text
    params = {"small": np.array([0.3]), "large": np.array([-0.7])}
    cl.Adam(lr=0.1).update(params, {"small": np.array([0.001]), "large": np.array([1000.0])})
    assert np.allclose([params["small"][0], params["large"][0]], [0.2, -0.8], rtol=0, atol=1e-3)
    for path in glob.glob(str(Path(lesson08.__file__).parents[2] / "notebooks" / "*.ipynb")):
        cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
        code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert "Adam" not in code, path


def test_the_training_panel_makes_a_pairs_images_once_and_never_changes_them():
    """A new learning rate or Reset trains on the same images (made once per pair of digits,
    read-only); they are the task two_digit_task makes, and a new pair gets its own."""
    panel = lesson08.training_panel()
    first = panel.state["trainer"]
    panel.controls["lr"].value = 0.1
    panel.buttons["reset"][0].click()
    second = panel.state["trainer"]
    assert second is not first and second.train_images is first.train_images
    task = cl.two_digit_task(positive=3, negative=8, n_train=2000, n_test=400)
    np.testing.assert_array_equal(second.train_images, task["train_images"])
    np.testing.assert_array_equal(second.test_labels, task["test_targets"])
    assert not second.train_images.flags.writeable
    panel.controls["positive"].value = 1
    third = panel.state["trainer"]
    assert third.train_images is not first.train_images
    np.testing.assert_array_equal(
        third.train_images,
        cl.two_digit_task(positive=1, negative=8, n_train=2000, n_test=400)["train_images"])
