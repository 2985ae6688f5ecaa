"""Lesson 08: training the seed network on a real two-digit task, step by step.

Panels first, then the exercise checkers: one gradient-descent update, accuracy from
probabilities, a step with momentum and a mini-batch epoch.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .. import engine
from .._validate import as_rng, check_bool
from ..data import load_mnist_subset, two_digit_task
from ..evaluate import accuracy
from ..plotting import SIGNED_CMAP
from ..seednet import (
    init_seed_params,
    seed_forward,
    seed_network_forward,
    seed_network_loss,
)
from ..train import SGD, Trainer, momentum_step
from ..ui.widgets import Panel, render_whole_next
from . import _mistakes08 as M
from . import solutions
from ._check import Exercise
from ._common import dropdown


def _held_out_accuracy(trainer, batch_size=25):
    """``trainer.evaluate()[1]`` with forward passes only (the engine's fused logits): the
    panel's refresh has no time for the gradients ``evaluate`` computes too."""
    images = trainer.test_images
    with engine.training_settings():
        logits = np.concatenate([engine.seed_network_logits_fast(trainer.params,
                                                                 images[i:i + batch_size])[0]
                                 for i in range(0, images.shape[0], batch_size)])
    return accuracy(logits, trainer.test_labels)


def make_trainer(positive=3, negative=8, lr=0.05, n_train=2000, seed=0, fused=False):
    """A Trainer for the seed network on ``positive`` (1) against ``negative`` (0) digits.

    Parameters
    ----------
    positive : int
        The digit with target 1.
    negative : int
        The digit with target 0.
    lr : float
        Learning rate.
    n_train : int
        Training images to use.
    seed : int
        Seed of np.random.default_rng, so reruns match.
    fused : bool
        Train with the engine's fused block (:func:`cnnlab.engine.seed_network_loss_fast`, the
        same numbers to rounding, several times faster) instead of the textbook's
        :func:`cnnlab.seednet.seed_network_loss`.

    Returns
    -------
    cnnlab.train.Trainer
        SGD with momentum 0.9, batches of 32, 400 held-out images, run inside
        :func:`cnnlab.engine.training_settings` (faster small steps, the same numbers).

    Examples
    --------
    >>> trainer = make_trainer(n_train=64)
    >>> len(trainer.step(2).step_loss)
    2
    """
    as_rng(seed, "seed")
    fused = check_bool(fused, "fused")
    task = two_digit_task(positive=positive, negative=negative, n_train=n_train, n_test=400)
    return _trainer_for(task, lr, seed, fused)


def _trainer_for(task, lr, seed, fused):
    """:func:`make_trainer`'s Trainer on a task already made (the panel keeps its tasks)."""
    loss_fn = engine.seed_network_loss_fast if fused else seed_network_loss
    params = init_seed_params((28, 28), 5, rng=seed, scale=0.01)
    return Trainer(params, loss_fn, SGD(lr=lr, momentum=0.9), task["train_images"],
                   task["train_targets"], task["test_images"], task["test_targets"],
                   batch_size=32, seed=seed, settings=engine.training_settings)


def _button(description):
    """A button as wide as its label (the default width cuts "Reset (new weights)")."""
    return widgets.Button(description=description, layout=widgets.Layout(width="auto"))


def _steps_shown(steps):
    """The step axis's right end: 50, doubled until ``steps`` fits (the axes rarely change)."""
    end = 50
    while end < steps:
        end *= 2
    return end


def _loss_top(largest):
    """The loss axis's top: the first of 1, 2, 5, 10, 20, 50, ... at or above ``largest``."""
    k = 0
    while (top := (1, 2, 5)[k % 3] * 10.0 ** (k // 3)) < largest:
        k += 1
    return top


LEARNING_RATES = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]


def training_panel():
    """Pick two digits and a learning rate; Step / Run 50 / Reset train the seed network.

    Returns
    -------
    cnnlab.ui.widgets.Panel

    Examples
    --------
    >>> panel = training_panel()
    >>> before = panel.live.widget.value
    >>> panel.buttons["run"][0].click()
    >>> panel.live.widget.value != before, panel.state["trainer"].steps_done
    (True, 50)
    >>> panel.controls["lr"].value = 0.1     # a new setting starts a fresh network
    >>> panel.state["trainer"].steps_done
    0
    """
    fig = plt.figure(figsize=(8.8, 5.8), layout="constrained")
    heading = fig.suptitle(" ")
    grid = fig.add_gridspec(2, 2)
    ax_loss, ax_acc = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
    ax_k, ax_map = fig.add_subplot(grid[1, 0]), fig.add_subplot(grid[1, 1])
    # The titles say what the curves are (a legend would sit under the curves).
    loss_line = ax_loss.plot([], [], color="tab:blue")[0]
    ax_loss.set(xlabel="step", ylabel="binary cross-entropy", title="training batch loss")
    acc_line = ax_acc.plot([], [], "o-", color="tab:orange")[0]
    ax_acc.axhline(0.5, color="grey", ls="--", lw=0.8)
    # Room above 1.0, so that a perfect score's marker is not cut by the frame.
    ax_acc.set(xlabel="step", ylabel="accuracy", title="held-out accuracy (dashed: chance)",
               ylim=(0.4, 1.03))
    # Both pictures are divided by their largest value: fixed colour bars, the scale in the title.
    kernel_shown = ax_k.imshow(np.zeros((5, 5)), cmap=SIGNED_CMAP, vmin=-1, vmax=1)
    fig.colorbar(kernel_shown, ax=ax_k, label="weight / max |weight|", ticks=[-1, 0, 1])
    ax_k.set(xticks=range(5), yticks=range(5), xlabel="kernel column", ylabel="kernel row")
    map_shown = ax_map.imshow(np.zeros((28, 28)), cmap="viridis", vmin=0, vmax=1)
    fig.colorbar(map_shown, ax=ax_map, label="response / largest", ticks=[0, 0.5, 1])
    ax_map.set(xticks=[], yticks=[])
    state = {"key": None, "trainer": None, "evals": ([], []), "seed": 0, "limits": None}
    tasks = {}

    def update(positive, negative, lr):
        if positive == negative:            # no task: no network, and no plots of the last one
            state.update(key=None, trainer=None, evals=([], []))
            loss_line.set_data([], [])
            acc_line.set_data([], [])
            kernel_shown.set_data(np.zeros((5, 5)))
            map_shown.set_data(np.zeros((28, 28)))
            ax_k.set_title("kernel K (no network)")
            ax_map.set_title("ReLU map (no network)")
            heading.set_text(f"choose two different digits (both are {positive}; learning "
                             f"rate {lr:.2g})")
            return
        if state["key"] != (positive, negative, lr):
            # The pair's images are made once (a new learning rate or Reset reuses them; the
            # Trainer only reads them: each batch is a new array).  A new pair's replace the
            # last pair's, which are let go first, inside the engine's settings: the C library
            # keeps their 15 MB for the new ones instead of handing back pages to fault in again.
            if (positive, negative) not in tasks:
                with engine.training_settings():
                    state["trainer"] = None
                    tasks.clear()
                    task = two_digit_task(positive=positive, negative=negative, n_train=2000,
                                          n_test=400)
                for array in (value for value in task.values() if isinstance(value, np.ndarray)):
                    array.flags.writeable = False       # shared by the trainers of this pair
                tasks[positive, negative] = task
            state.update(key=(positive, negative, lr), evals=([], []), trainer=_trainer_for(
                tasks[positive, negative], lr, state["seed"], fused=True))
            record()
        trainer, evals = state["trainer"], state["evals"]
        losses = trainer.history.step_loss
        loss_line.set_data(np.arange(1, len(losses) + 1), losses)
        acc_line.set_data(*evals)
        # The axes grow in steps, rarely; a picture of each size is rendered once and kept.
        limits = (_steps_shown(trainer.steps_done), _loss_top(max(losses, default=0.0)))
        if state["limits"] != limits:
            end, margin = limits[0], limits[0] / 25     # the end markers clear the frame
            ax_loss.set(xlim=(-margin, end + margin), ylim=(0.0, limits[1]))
            ax_acc.set_xlim(-margin, end + margin)
            render_whole_next(fig, state=limits)
            state["limits"] = limits
        kernel = trainer.params["kernel"]
        scale = float(np.abs(kernel).max())
        kernel_shown.set_data(kernel / max(scale, 1e-300))
        ax_k.set_title(f"kernel K (max |weight| {scale:.2g})")
        relu = seed_network_forward(trainer.test_images[:1], trainer.params)[1]["relu"][0]
        largest = float(relu.max())
        map_shown.set_data(relu / largest if largest > 0 else relu)
        shown = positive if trainer.test_labels[0] else negative
        ax_map.set_title(f"ReLU map of a test {shown} (largest {largest:.2g})" if largest > 0
                         else f"ReLU map of a test {shown}: all 0 (dead)")
        heading.set_text(f"{positive} (target 1) against {negative} (target 0), lr {lr:.2g}: "
                         f"{trainer.steps_done} steps, held-out accuracy {evals[1][-1]:.1%}")

    def record():
        state["evals"][0].append(state["trainer"].steps_done)
        state["evals"][1].append(_held_out_accuracy(state["trainer"]))

    def train(steps):
        def action(panel):          # a picture every 10 steps: a longer run shows it growing
            if state["trainer"] is not None:
                for start in range(0, steps, 10):
                    if start:
                        panel.redraw()
                    state["trainer"].step(min(10, steps - start))
                    record()
        return action

    def reset(panel):
        state.update(key=None, seed=state["seed"] + 1)      # fresh random weights

    digits = list(range(10))
    controls = {"positive": dropdown("digit for 1", digits, 3, width="160px"),
                "negative": dropdown("digit for 0", digits, 8, width="160px"),
                # 1-2-5 steps: every value the text asks for (0.05, 0.5) is on the slider
                "lr": widgets.SelectionSlider(options=LEARNING_RATES, value=0.05,
                                              description="learning rate",
                                              continuous_update=False,
                                              style={"description_width": "initial"})}
    buttons = {"step": (_button("Step (1 batch)"), train(1)),
               "run": (_button("Run 50 steps"), train(50)),
               "reset": (_button("Reset (new weights)"), reset)}
    load_mnist_subset()      # read once now, so a first pick of a digit answers as fast as the next
    def describe(positive, negative, lr):
        if positive == negative or state["trainer"] is None:
            return heading.get_text()
        losses = state["trainer"].history.step_loss
        loss = (f"the batch loss went from {losses[0]:.3f} to {losses[-1]:.3f} over "
                f"{len(losses)} steps" if losses else "no step taken yet")
        accuracies = ", ".join(f"{a:.0%}" for a in state["evals"][1][-5:])
        return (f"Training the seed network: {heading.get_text()}. In the four pictures: "
                f"{loss}; held-out accuracy so far (last five) {accuracies}, chance 50%; "
                f"{ax_k.get_title()}; {ax_map.get_title()}.")

    panel = Panel(fig, update, controls, buttons=buttons, describe=describe, animated=[
        heading, loss_line, acc_line, kernel_shown, ax_k.title, map_shown, ax_map.title])
    panel.state = state
    return panel


def seed_network_predictions(params, positive=3, negative=8):
    """y_hat of seed-loop parameters on 400 real test digits (raw 0..255, padded to 32x32).

    Parameters
    ----------
    params : dict
        Named parameter arrays (as from the matching init function).
    positive : int
        The digit with target 1.
    negative : int
        The digit with target 0.

    Returns
    -------
    y_hat : numpy.ndarray, shape (400,)
    targets : numpy.ndarray, shape (400,)

    Examples
    --------
    >>> from cnnlab.seednet import seed_training_loop
    >>> _, params = seed_training_loop(steps=3)
    >>> y_hat, targets = seed_network_predictions(params)
    >>> y_hat.shape, float(targets.mean())
    ((400,), 0.5)
    """
    task = two_digit_task(positive=positive, negative=negative, n_test=400)
    images = np.pad(task["test_images"] * 255.0, ((0, 0), (2, 2), (2, 2)))   # raw, like the seed
    y_hat = np.array([seed_forward(image, params)[0] for image in images])
    return y_hat, task["test_targets"]


# ---- Worked solutions (the third tier of help), written for the exercises --------------------


# ---- Exercise checkers (their mistake catalogues: _mistakes08) -------------------------------

check_gd_update = Exercise(
    "gd_update",
    "gd_update(params, grads, lr): a new params dict after one gradient-descent step, param - lr "
    "* grad for "
    "each key, params left unchanged", check=M.check_gd_answer,
    idea="build a new dict: for each name in params, the new value is params[name] minus lr "
         "times grads[name]; assigning into params[name] would change the caller's dict",
    solution=solutions.gd_update, why="the step every training loop of this lesson takes, "
                                       "written as new arrays so that the caller's params stay "
                                       "as they were")

check_accuracy = Exercise(
    "binary_accuracy",
    "binary_accuracy(y_hat, targets): the fraction of images whose prediction (y_hat > 0.5) "
    "equals its target",
    cases=M.ACCURACY_CASES, right=M.accuracy_right, mistakes=M.ACCURACY,
    exception_hints=M.ACCURACY_EXCEPTIONS,
    passed="binary_accuracy: correct on 9 and 7 predictions (two exactly 0.5)",
    idea="turn each probability into a class (y_hat > 0.5), compare with the targets, and "
         "take the fraction of True",
    solution=solutions.binary_accuracy, why="the held-out accuracy this lesson prints, from "
                                             "the seed's probabilities")

check_momentum_step = Exercise(
    "momentum_step",
    "momentum_step(params, grads, velocity, lr, momentum): (new_params, new_velocity) after one "
    "SGD step with momentum, inputs left "
    "unchanged", check=M.check_momentum_answer,
    idea="for each name: the new velocity is momentum times the old velocity plus the gradient; "
         "the new parameter is the old one minus lr times the new velocity; build new dicts",
    solution=momentum_step, why="the rule cl.SGD.update applies in place, as new dicts")

check_train_epoch = Exercise(
    "train_epoch",
    "train_epoch(params, images, targets, order, batch_size, lr): one epoch of mini-batch "
    "gradient descent over the images in the given "
    "order: (new_params, one loss per batch)", check=M.check_epoch_answer,
    forbidden=[(name, f"this exercise asks you to write the loop: do not call {name}")
               for name in ("Trainer", "iterate_minibatches", "seed_training_loop")],
    idea="walk through order in steps of batch_size, the last batch possibly smaller; for each "
         "batch, the seed network's loss function on those images and their targets gives the "
         "batch's loss (keep it, before the step) and its gradients; take one gradient-descent "
         "step with them, and let the next batch start from the parameters that step left",
    solution=solutions.train_epoch, why="the loop cl.Trainer runs each epoch, with plain "
                                         "gradient descent for its optimizer")
