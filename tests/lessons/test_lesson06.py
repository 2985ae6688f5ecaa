"""Lesson 06 (06_loss_and_output.ipynb): what its prose claims, its panels and
figures, its exercise checkers and the mistakes they name.

Tests that run the notebook or render figures are marked ``slow``; the fast lane
(``python -m pytest -m "not slow"``) keeps the checkers.  The notebook runs once per
session (tests/lesson_runs.py), shared by the claim and figure tests.
"""

from __future__ import annotations

import inspect
import re

import matplotlib.pyplot as plt
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
from cnnlab.lessons import lesson06

# ---- what the lesson says, its cells show (claims) ----------------------------------------------


@pytest.mark.slow
def test_06_cross_entropy_keeps_learning_from_confident_mistakes():
    run = run_lesson("06")
    assert run.says("the squared error's gradient vanishes")
    assert run.says("Cross-entropy's gradient stays near $-1$ (right panel, left end)")
    figure = lesson06.loss_curves_figure()
    squared, cross = figure.axes[2].lines[:2]
    assert squared.get_xdata()[0] == -8                       # the left end, confidently wrong
    assert abs(squared.get_ydata()[0]) < 1e-3
    assert cross.get_ydata()[0] == pytest.approx(-1, abs=1e-3)


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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
    assert run.says("the red arrow is minus the gradient at your point, the direction of "
                    "steepest descent: its length is the gradient's size (drawn at most 2.5 "
                    "long, so that it stays on the map), so where the surface is nearly flat it "
                    "is too short to see")
    grad = np.array(_gradient_in_title(panel))
    arrow = ax.collections[0]
    direction = np.array([arrow.U[0], arrow.V[0]])
    assert np.allclose(direction, -grad, atol=1e-3)
    assert lesson06.ARROW_MAX == 2.5
    assert run.says("The bias axis is measured from the median image: $b_f = \\text{bias} - "
                    "\\alpha c$")
    assert ax.get_ylabel() == "bias (bf = bias - alpha * median)"


@pytest.mark.slow
def test_06_the_arrow_is_as_long_as_the_gradient_and_no_title_prints_minus_zero():
    """Issue 23: the arrow had one length whatever the gradient (squared error's 0.007 and
    cross-entropy's 3.5 looked the same), and a title printed "-0.000"."""
    panel = lesson06.loss_surface_panel()
    arrow = panel.live.figure.axes[0].collections[0]
    with panel.hold():
        panel.controls["alpha"].value = -3.0
        panel.controls["bias"].value = 0.0
    lengths = {}
    for loss in ("cross-entropy", "squared error"):
        panel.controls["loss"].value = loss
        lengths[loss] = float(np.hypot(arrow.U[0], arrow.V[0]))
    assert lengths["squared error"] < 0.05 * lengths["cross-entropy"] <= 0.05 * 2.5
    titles = []
    for alpha in np.arange(-3.0, 3.01, 0.25):
        for bias in np.arange(-3.0, 3.01, 0.5):
            with panel.hold():
                panel.controls["alpha"].value = alpha
                panel.controls["bias"].value = bias
            titles.append(panel.live.figure.axes[0].get_title())
    assert not [t for t in titles if "-0.000" in t]
    # one name for the second coordinate (walk 2026-12-07: legend "bf", axis "bias", alt "bf")
    axes = panel.live.figure.axes[0]
    assert "(alpha, bias)" in [text.get_text() for text in axes.get_legend().get_texts()][1]
    assert axes.get_ylabel().startswith("bias") and "dL/dbias" in axes.get_title()
    assert "(dL/dalpha, dL/dbias)" in panel.describe(alpha=-3.0, bias=0.0, loss="squared error")


@pytest.mark.slow
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


# ---- its panels and figures: every control works, every state reads -----------------------------


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson06), ids=panel_id)
def test_every_control_changes_the_figure(factory):
    check_every_control_changes_the_figure(factory)


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson06), ids=panel_id)
def test_every_control_value_leaves_the_panel_readable(factory):
    assert swept(factory).problems() == []


@pytest.mark.slow
def test_figures_the_notebooks_show_are_readable():
    """Every figure a cell shows with plt.show(), at the inline backend's dpi and pixel size;
    the figures of the session's one run of the notebook."""
    seen = [f"{title!r}: {p}" for title, figure in run_lesson("06").shown
            for p in all_problems(figure, figure.dpi)]
    assert seen == []


# Each figure of the lesson, in every state the tests visit (a panel and its moves).
FIGURES = {
    "06 loss curves": static(lesson06.loss_curves_figure),
    "06 loss surface": panel_states(lesson06.loss_surface_panel, [
        ("squared error", set_control("loss", "squared error")),
        ("corner", set_control("alpha", 3.0)),
        ("other corner", set_control("bias", -3.0)),
        ("cross-entropy again", set_control("loss", "cross-entropy")),
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
    for factory in panels_of(lesson06):
        start = swept(factory).states[0]                    # the panel as built
        width = int.from_bytes(start.png[16:20], "big")     # the PNG's own width (IHDR)
        assert start.width == f"{width}px"
        assert start.max_width == "100%"
        assert width <= COLUMN_PX


# ---- its exercises: each checker passes the right answer and names each catalogued mistake ------


def sigmoid_chain(y_hat, y, loss):
    return (y_hat - y) * y_hat * (1 - y_hat) if loss == "squared_error" else y_hat - y


def output_grads(F, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ g, g.sum(), np.outer(g, w)


# (checker, right answer, [(wrong answer, words its hint must contain), ...])
CASES = [
    (lesson06.check_grad_logit, sigmoid_chain,
     [(lambda y_hat, y, loss: y_hat - y, "sigmoid's derivative"),
      (lambda y_hat, y, loss: (y_hat - y) * y_hat * (1 - y_hat), "cancels")]),
    (lesson06.check_output_layer, output_grads,
     [(lambda F, w, y_hat, y: output_grads(F, w, y_hat, y)[:2] + (
         output_grads(F, w, y_hat, y)[1] * w,), "one row per image")]),
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

def grad_logit_right(y_hat, y, loss):
    if loss == "squared_error":
        return (y_hat - y) * y_hat * (1 - y_hat)
    return y_hat - y


def grad_logit_other_name(y_hat, y, loss):
    if loss == "mse":                            # another name: the branch never runs
        return (y_hat - y) * y_hat * (1 - y_hat)
    return y_hat - y


def grad_logit_misspelt(y_hat, y, loss):
    if loss == "squared error":                  # the exercise passes "squared_error"
        return (y_hat - y) * y_hat * (1 - y_hat)
    return y_hat - y


def grad_logit_no_sigmoid(y_hat, y, loss):
    if loss == "squared_error":
        return y_hat - y
    return y_hat - y


def grad_logit_swapped(y_hat, y, loss):
    if loss == "bce":
        return (y_hat - y) * y_hat * (1 - y_hat)
    return y_hat - y


def grad_logit_sign(y_hat, y, loss):
    return -grad_logit_right(y_hat, y, loss)


def grad_logit_no_half(y_hat, y, loss):
    if loss == "squared_error":
        return 2 * (y_hat - y) * y_hat * (1 - y_hat)
    return y_hat - y


def grad_logit_bce_chained(y_hat, y, loss):
    return (y_hat - y) * y_hat * (1 - y_hat)


def grad_logit_wrt_y_hat(y_hat, y, loss):
    if loss == "squared_error":
        return y_hat - y
    return (y_hat - y) / (y_hat * (1 - y_hat))       # dL/dy_hat of cross-entropy


def grad_logit_sigmoid_only(y_hat, y, loss):
    if loss == "squared_error":
        return y_hat * (1 - y_hat)
    return y_hat - y


def grad_logit_mean(y_hat, y, loss):
    return float(np.mean(grad_logit_right(y_hat, y, loss)))


def grad_logit_none_for_bce(y_hat, y, loss):
    if loss == "squared_error":
        return (y_hat - y) * y_hat * (1 - y_hat)
    if loss == "cross_entropy":                  # never matches "bce": falls through to None
        return y_hat - y
    return None


def grad_logit_raises(y_hat, y, loss):
    return {"squared_error": (y_hat - y) * y_hat * (1 - y_hat), "cross-entropy": y_hat - y}[loss]


def output_right(F, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ g, g.sum(), np.outer(g, w)


def output_grad_f_times_f(F, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ g, g.sum(), F * g[:, None]


def output_grad_w_per_image(F, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F * g[:, None], g.sum(), np.outer(g, w)


def output_swapped(F, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return g.sum() * w, g.sum(), g @ F


def output_no_sigmoid(F, w, y_hat, y):
    g = (y_hat - y) / len(y)
    return F.T @ g, g.sum(), np.outer(g, w)


def output_sign(F, w, y_hat, y):
    g = (y - y_hat) * y_hat * (1 - y_hat) / len(y)
    return F.T @ g, g.sum(), np.outer(g, w)


def output_product_of_sums(F, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return g.sum() * F.sum(axis=0), g.sum(), np.outer(g, w)


def output_no_error(F, w, y_hat, y):
    g = y_hat * (1 - y_hat) / len(y)
    return F.T @ g, g.sum(), np.outer(g, w)


def output_no_half(F, w, y_hat, y):
    g = 2 * (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ g, g.sum(), np.outer(g, w)


def output_no_mean(F, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat)
    return F.T @ g, g.sum(), np.outer(g, w)


def output_bias_array(F, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ g, g, np.outer(g, w)


def output_bias_mean_twice(F, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ g, g.mean(), np.outer(g, w)


def output_two_things(F, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ g, g.sum()


def output_matmul(F, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F @ g, g.sum(), np.outer(g, w)        # (N, D) @ (N,): the shapes do not fit


def output_no_outer(F, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ g, g.sum(), g * w               # (N,) * (D,): broadcast error


def output_features_summed(F, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ g, g.sum(), g.sum() * w         # one row, not one per image


def output_target_in_derivative(F, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y) / len(y)
    return F.T @ g, g.sum(), np.outer(g, w)


def grad_logit_no_one_minus(y_hat, y, loss):
    return (y_hat - y) * y_hat if loss == "squared_error" else y_hat - y


def grad_logit_no_y_hat_factor(y_hat, y, loss):
    return (y_hat - y) * (1 - y_hat) if loss == "squared_error" else y_hat - y


def grad_logit_y_for_y_hat(y_hat, y, loss):
    if loss == "squared_error":
        return (y_hat - y) * y * (1 - y)         # the target where the prediction belongs
    return y_hat - y


MISTAKES = {
    "06 grad_logit": (lesson06.check_grad_logit, grad_logit_right, [
        (grad_logit_misspelt, "spell"),
        (grad_logit_other_name, "not \"mse\""),
        (lambda y_hat, y, loss: (y_hat - y) * y_hat * (1 + y_hat) if loss == "squared_error"
         else y_hat - y, "(1 + y_hat) should be (1 - y_hat)"),
        (grad_logit_no_sigmoid, "sigmoid's derivative"),
        (grad_logit_swapped, "swapped"),
        (grad_logit_sign, "sign"),
        (grad_logit_no_half, "1/2"),
        (grad_logit_bce_chained, "cancels"),
        (grad_logit_wrt_y_hat, "dL/dy_hat"),
        (grad_logit_sigmoid_only, "multiply"),
        (grad_logit_mean, "one value per"),
        (grad_logit_none_for_bce, "\"bce\""),
        (grad_logit_raises, "loss names"),
        (grad_logit_no_one_minus, "(1 - y_hat) factor"),          # issue 23: the values, not
        (grad_logit_no_y_hat_factor, "y_hat factor"),              # the mistake, before
        (grad_logit_y_for_y_hat, "used the target y"),
        (lambda y_hat, y, loss: grad_logit_right(y_hat, y, loss) / len(y), "number of entries"),
        (lambda y_hat, y, loss: 0.5 * (y_hat - y) ** 2 if loss == "squared_error" else y_hat - y,
         "the loss L itself"),
        (lambda y_hat, y, loss: grad_logit_right(y_hat, y, "squared_error") if loss ==
         "squared_error" else (y_hat - y) * y_hat, "cancels entirely"),
        (lambda y_hat, y, loss: (y_hat - y) * np.mean(y_hat * (1 - y_hat)) if loss ==
         "squared_error" else y_hat - y, "its own slope"),
        (lambda y_hat, y, loss: (y_hat - y) * cl.sigmoid(y_hat) * (1 - cl.sigmoid(y_hat))
         if loss == "squared_error" else y_hat - y, "already sigmoid(z)"),
        (lambda y_hat, y, loss: (y_hat - y) ** 2 * y_hat * (1 - y_hat) if loss == "squared_error"
         else y_hat - y, "the square's slope"),
        (lambda y_hat, y, loss: grad_logit_right(y_hat, y, loss).astype(int),
         "returned whole numbers (dtype int64)"),          # was told "used the target y"
    ]),
    "06 output_layer": (lesson06.check_output_layer, output_right, [
        (output_swapped, "swapped F and w"),
        (output_grad_f_times_f, "you multiplied dL/dz by F itself"),
        (output_grad_w_per_image, "sum the rows"),
        (output_no_sigmoid, "sigmoid's derivative"),
        (output_sign, "sign"),
        (output_product_of_sums, "not a product of"),
        (output_no_error, "y_hat - y"),
        (output_no_half, "1/2"),
        (output_no_mean, "divide the sum by N"),
        (output_bias_array, "one number"),
        (output_bias_mean_twice, "not twice"),
        (output_two_things, "three"),
        (output_matmul, "F.T @ dL/dz"),
        (output_no_outer, "times w (one per feature, D = 7) element-wise cannot work"),
        (output_features_summed, "one row per image"),
        (output_target_in_derivative, "used the target y"),
        (lambda F, w, y_hat, y: output_right(F, w, y_hat, y)[:2] + (
            np.outer(w, output_right(F, w, y_hat, y)[1] * 0 + (y_hat - y) * y_hat * (1 - y_hat)
                     / len(y)),), "yours is transposed"),
        (lambda F, w, y_hat, y: ((F * ((y_hat - y) * y_hat * (1 - y_hat) / len(y))[:, None]).mean(
            axis=0),) + output_right(F, w, y_hat, y)[1:], "divided by N twice"),
        (lambda F, w, y_hat, y: output_right(F, w, y_hat, y)[:2] + (np.outer(
            output_right(F, w, y_hat, y)[1] * 0 + (y_hat - y) * y_hat * (1 - y_hat) / len(y),
            F.sum(axis=0)),), "what multiplied F"),
        (lambda F, w, y_hat, y: output_right(F, w, y_hat, y)[1::-1] + output_right(
            F, w, y_hat, y)[2:], "your item 1 is dL/dbf"),
        (lambda F, w, y_hat, y: tuple(output_right(F, w, y_hat, y)[k] for k in (2, 0, 1)),
         "in the wrong order: you returned (grad_F, grad_w, grad_bf)"),   # was told "extra axis"
        (lambda F, w, y_hat, y: output_right(F, w, y_hat, y)[:2] + (np.tile(
            ((y_hat - y) * y_hat * (1 - y_hat) / len(y))[:, None], (1, len(w))),),
         "you left out w"),
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


LESSON = lesson06
SECOND_WALK = [
    ('bias from first image only',
     ["first image's dL/dz only", 'all N images']),
    ('divides by D instead of N',
     ['divided by D = 7', 'N = 5 images']),
]

# ---- the second walk of lessons 04-07 (tests/lessons/walk/answers_04_07_second.py): each answer
# that was accepted, vague or misleading is now refused with a hint naming the mistake ---------

@pytest.mark.parametrize("mistake, words", SECOND_WALK)
def test_second_walk_answer_is_named(mistake, words):
    walk_answer_is_named(LESSON, "answers_04_07_second", mistake, words)


def test_what_the_exercises_say_about_other_loss_names_and_a_list_holds():
    """The exercise text says only the two loss names are checked and a list of the three
    gradients is accepted; the checkers do exactly that (the second walk's two answers)."""
    import json
    from pathlib import Path
    notebook = next((Path(__file__).parents[2] / "notebooks").glob("06_*.ipynb"))
    text = " ".join("".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"])
    assert "The checker passes only these two names" in text
    assert "a list of the three, in that order, is accepted too" in text
    assert "only these two names are checked" in lesson06.check_grad_logit.task

    def grad_logit(y_hat, y, loss):
        if loss == "squared_error":
            return (y_hat - y) * y_hat * (1 - y_hat)
        if loss == "bce":
            return y_hat - y
        return np.zeros_like(y_hat)

    def as_list(F, w, y_hat, y):
        g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
        return [F.T @ g, g.sum(), np.outer(g, w)]

    assert lesson06.check_grad_logit(grad_logit).passed
    assert lesson06.check_output_layer(as_list).passed


def test_06_loss_surface_text_tells_to_switch_the_panels_loss_buttons():
    """issue 23: "compare the two losses" under a panel that shows one loss at a time."""
    import json
    from pathlib import Path

    notebook = Path(__file__).resolve().parents[2] / "notebooks" / "06_loss_and_output.ipynb"
    text = " ".join("".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"])
    assert ("The panel opens on cross-entropy; to compare the two losses, switch its *loss* "
            "buttons to *squared error* and back") in text
    loss = lesson06.loss_surface_panel().controls["loss"]
    assert loss.description == "loss" and loss.value == "cross-entropy"
    assert list(loss.options) == ["cross-entropy", "squared error"]


# ---- the fourth walk of lessons 05-07 (tests/lessons/walk/answers_05_07_fourth.py) ------------

FOURTH_WALK = [
    ("compares with 'BCE' (capitals): bce falls to squared error",
     ["never matched", "loss=\"bce\"", "lower case"]),
    ("rounds y_hat to an int class first", ["rounded y_hat", "use y_hat as given"]),
    # named after the walk's report, by the lead (they had come back with a generic message)
    ("grad_bf left at 0", ["dL/dbf is 0", "grad_z.sum()"]),
    ("// N (floor division) instead of / N", ["floor division", "divide with / N"]),
]


@pytest.mark.parametrize("mistake, words", FOURTH_WALK)
def test_fourth_walk_answer_is_named(mistake, words):
    walk_answer_is_named(LESSON, "answers_05_07_fourth", mistake, words)


def test_surface_describe_says_when_the_arrow_is_too_short_to_see():
    """Far from the valley the squared error's surface is flat: its gradient at (-3, -3) is
    about 0.01, an arrow no one sees; the text says so instead of 'points downhill' alone."""
    panel = lesson06.loss_surface_panel()
    panel.controls["alpha"].value = -3.0
    panel.controls["bias"].value = -3.0
    panel.controls["loss"].value = "squared error"
    assert "too short to see" in panel.live.widget.alt
    panel.controls["loss"].value = "cross-entropy"
    text = panel.live.widget.alt
    assert "too short to see" not in text and "2.50 long" in text


def test_loss_surface_point_at_a_corner_is_not_clipped():
    """Walk 2026-12-08: at alpha -3, bias -3 the white point was cut in half by the frame."""
    panel = lesson06.loss_surface_panel()
    panel.controls["alpha"].value, panel.controls["bias"].value = -3.0, -3.0
    point = [line for line in panel.live.figure.axes[0].lines
             if line.get_label() == "your (alpha, bias)"][0]
    assert not point.get_clip_on() and list(point.get_xdata()) == [-3.0]
    plt.close("all")
