"""Lesson 10 (10_what_did_it_learn.ipynb): what its prose claims, its panels and
figures, its exercise checkers and the mistakes they name.

Tests that run the notebook or render figures are marked ``slow``; the fast lane
(``python -m pytest -m "not slow"``) keeps the checkers.  The notebook runs once per
session (tests/lesson_runs.py), shared by the claim and figure tests.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import numpy as np
import pytest
from checker_checks import (
    each_known_mistake_gets_its_own_hint,
    every_catalogued_mistake_fails_with_a_hint_that_names_it,
    right_answer_passes,
    the_checker_never_changes_the_learners_arguments,
    unfinished_stub_and_crash_say_not_yet,
)
from panels import check_every_control_changes_the_figure, panel_id, panels_of

from cnnlab import evaluate
from cnnlab.activations import softmax
from cnnlab.lessons import lesson10
from cnnlab.losses import softmax_cross_entropy
from cnnlab.models import saliency, small_cnn_backward, small_cnn_forward

# ---- its panels and figures: every control works, every state reads -----------------------------


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson10), ids=panel_id)
def test_every_control_changes_the_figure(factory):
    check_every_control_changes_the_figure(factory)


# ---- its exercises: each checker passes the right answer and names each catalogued mistake ------


def no_diagonal(m):
    off = m - np.diag(np.diag(m))
    return np.unravel_index(np.argmax(off), m.shape)


def saliency_right(params, image, label):
    logits, cache = small_cnn_forward(params, image[None, None])
    grad_logits = np.zeros_like(logits)
    grad_logits[0, label] = 1.0
    return small_cnn_backward(grad_logits, cache, input_grad=True)["images"][0, 0]


def saliency_seeded_with_logit(params, image, label):
    """A walker's seed: the logit's value instead of 1 (the map scaled by it)."""
    logits, cache = small_cnn_forward(params, image[None, None])
    grad_logits = np.zeros_like(logits)
    grad_logits[0, label] = logits[0, label]
    return small_cnn_backward(grad_logits, cache, input_grad=True)["images"][0, 0]


# (checker, right answer, [(wrong answer, words its hint must contain), ...])
CASES = [
    (lesson10.check_accuracy_from_confusion, lambda m: np.trace(m) / m.sum(),
     [(lambda m: np.trace(m), "divide by the total"),
      (lambda m: np.mean(np.diag(m) / m.sum(axis=1)), "per-class")]),
    (lesson10.check_most_confused, no_diagonal,
     [(lambda m: no_diagonal(m)[::-1], "swapped"),
      (lambda m: np.unravel_index(np.argmax(m), m.shape), "diagonal")]),
    (lesson10.check_saliency, saliency_right,
     [(lambda p, im, y: -saliency_right(p, im, y), "sign")]),
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


@pytest.mark.parametrize(("checker", "right", "mistakes"), CASES, ids=IDS)
def test_the_checker_never_changes_the_learners_arguments(checker, right, mistakes):
    the_checker_never_changes_the_learners_arguments(checker, right)


NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "10_what_did_it_learn.ipynb"


def _off(m):
    return m - np.diag(np.diag(m))


def _zero_diagonal_in_place(m):
    np.fill_diagonal(m, 0)
    return np.unravel_index(np.argmax(m), m.shape)


# The mistake catalogues: what learners write, each with the words its hint must contain.

ACCURACY_MISTAKES = [
    (lambda m: np.trace(m), "number of right answers"),
    (lambda m: np.mean(np.diag(m) / m.sum(axis=1)), "mean of the per-class accuracies"),
    (lambda m: np.mean(np.diag(m) / m.sum(axis=0)), "mean precision"),
    (lambda m: np.trace(m) / len(m), "not the number of classes"),
    (lambda m: np.diag(m).mean(), "not the number of classes"),
    (lambda m: np.trace(m) / m.size, "not the number of cells"),
    (lambda m: 1 - np.trace(m) / m.sum(), "error rate"),
    (lambda m: (m.sum() - np.trace(m)) / m.sum(), "error rate"),
    (lambda m: 100 * np.trace(m) / m.sum(), "percentage"),
    (lambda m: np.trace(m) / (m.sum() - np.trace(m)), "wrong answers only"),
    (lambda m: np.diag(m) / m.sum(axis=1), "one accuracy per class"),
    (lambda m: np.trace(m) // m.sum(), "integer division"),
    (lambda m: np.diag(m).max() / m.sum(), "largest diagonal cell"),
    (lambda m: (np.trace(m) / m.sum(), m.sum()), "return one number"),
    (lambda m: m[0][0] / sum(m[0]), "first class's accuracy alone"),
    (lambda m: 128 / 154, "on m="),                          # the first matrix's answer, typed
    (lambda m: int(np.trace(m) / m.sum()), "or int(), rounds down"),
    (lambda m: np.mean(np.diag(m)) / np.mean(m), "n times the accuracy"),
    (lambda m: np.trace(np.flipud(m)) / m.sum(), "anti-diagonal"),
    (lambda m: np.trace(m) / (m.sum() + 1), "plus one"),
    (lambda m: round(np.trace(m) / m.sum(), 2), "rounded to 2 decimals"),
    (lambda m: float(np.trace(m) / m[0].sum()), "you divided by the first row's sum (the images "
                                                "of class 0 alone), so the answer can exceed 1"),
    (lambda m: np.trace(m) / np.max(m), "you divided by the largest cell"),
]

def _most_confused_last_tie(matrix):
    off = np.array(matrix, dtype=float)
    np.fill_diagonal(off, -np.inf)
    i, j = max(((i, j) for i in range(len(off)) for j in range(len(off))),
               key=lambda ij: (off[ij], ij))                   # the last of the tied largest
    return int(i), int(j)


CONFUSED_MISTAKES = [
    (lambda m: divmod(int(np.argmax(m - np.diag(np.diag(m)))), 10),       # "2 of 2 off"
     "divided the flat index by 10"),
    (lambda m: np.unravel_index(np.argmax(m), m.shape), "diagonal cell"),
    (lambda m: np.unravel_index(np.argmax(_off(m)), m.shape)[::-1], "swapped the order"),
    (lambda m: int(np.argmax(_off(m))), "flat index"),
    (lambda m: _off(m).max(), "largest count"),
    (_zero_diagonal_in_place, "in place"),
    (lambda m: tuple(int(i) + 1 for i in np.unravel_index(np.argmax(_off(m)), m.shape)),
     "counted from 1"),
    (lambda m: np.unravel_index(np.argmin(np.where(_off(m) > 0, _off(m), 999)), m.shape),
     "smallest mistake count"),
    (lambda m: np.unravel_index(np.argmin(m + np.diag([999] * len(m))), m.shape), "no mistakes"),
    (lambda m: tuple(np.argmax(_off(m), axis=1)), "one argmax per row"),
    (lambda m: tuple(np.argmax(_off(m), axis=0)), "one argmax per row (or column)"),
    (lambda m: np.unravel_index(np.argmax(_off(m) / m.sum(axis=1, keepdims=True)), m.shape),
     "share of its row"),
    (lambda m: np.unravel_index(np.argmax(_off(m) / m.sum(axis=0)), m.shape),
     "share of its column"),
    (lambda m: np.unravel_index(np.argmax(np.triu(_off(m) + _off(m).T)), m.shape),
     "the two directions"),
    (lambda m: (2, 1), "expected (0, 3)"),                    # the first matrix's answer, typed
    (lambda m: "2, 1", "returned str"),
    (lambda m: np.unravel_index(np.argmax(np.triu(m, 1)), m.shape), "above the diagonal only"),
    (lambda m: np.unravel_index(np.argmax(np.tril(m, -1)), m.shape), "below the diagonal only"),
    (lambda m: (np.argmax(_off(m).sum(axis=1)), np.argmax(_off(m).sum(axis=0))),
     "the class missed most often (a row sum)"),
    (lambda m: divmod(int(np.argmax(_off(m))), m.shape[0] + 1), "divmod(index, n + 1)"),
    (lambda m: tuple(float(i) for i in np.unravel_index(np.argmax(_off(m)), m.shape)),
     "indices are whole numbers"),
    (lambda m: list(np.unravel_index(np.argmax(_off(m)), m.shape)), "expected a tuple"),
    (lambda m: [int(i) for i in np.unravel_index(np.argmax(_off(m)), m.shape)],
     "your function returned a list, expected a tuple"),
    (_most_confused_last_tie, "on a tie you returned the last of the largest cells; return the "
                              "first in row-major order"),
    (lambda m: np.unravel_index(np.argmax(_off(m).T), m.shape)[::-1],
     "on a tie you returned the first of the largest cells down the columns"),
]


def _grads(params, image, grad_of_logits):
    logits, cache = small_cnn_forward(params, image[None, None])
    return small_cnn_backward(grad_of_logits(logits), cache, input_grad=True)


def saliency_of_loss(params, image, label):
    logits, cache = small_cnn_forward(params, image[None, None])
    _, grad_logits = softmax_cross_entropy(logits, np.array([label]))
    return small_cnn_backward(grad_logits, cache, input_grad=True)["images"][0, 0]


def saliency_of_probability(params, image, label):
    logits, cache = small_cnn_forward(params, image[None, None])
    p = softmax(logits)
    grad_logits = -p[0, label] * p
    grad_logits[0, label] += p[0, label]
    return small_cnn_backward(grad_logits, cache, input_grad=True)["images"][0, 0]


def saliency_every_class(params, image, label):
    return _grads(params, image, np.ones_like)["images"][0, 0]


def saliency_of_prediction(params, image, label):
    logits, cache = small_cnn_forward(params, image[None, None])
    grad_logits = np.zeros_like(logits)
    grad_logits[0, logits.argmax()] = 1.0
    return small_cnn_backward(grad_logits, cache, input_grad=True)["images"][0, 0]


def saliency_of_kernels(params, image, label):
    return _grads(params, image, lambda z: np.eye(z.shape[1])[[label]])["conv1.weight"]


def saliency_without_input_grad(params, image, label):
    logits, cache = small_cnn_forward(params, image[None, None])
    grad_logits = np.zeros_like(logits)
    grad_logits[0, label] = 1.0
    return small_cnn_backward(grad_logits, cache)["images"][0, 0]


def saliency_unbatched(params, image, label):
    logits, cache = small_cnn_forward(params, image)
    return logits


def saliency_1d_seed(params, image, label):
    logits, cache = small_cnn_forward(params, image[None, None])
    grad_logits = np.zeros(logits.shape[1])
    grad_logits[label] = 1.0
    return small_cnn_backward(grad_logits, cache, input_grad=True)["images"][0, 0]


SALIENCY_MISTAKES = [
    (saliency_seeded_with_logit, "the right one times a constant, the logit's value"),
    (saliency_of_loss, "gradient of the loss"),
    (lambda p, im, y: -saliency_of_loss(p, im, y), "minus the loss's gradient"),
    (saliency_of_probability, "gradient of the probability"),
    (saliency_every_class, "1 at every class"),
    (saliency_of_prediction, "predicted class"),
    (lambda p, im, y: np.abs(saliency_right(p, im, y)), "np.abs"),
    (lambda p, im, y: -saliency_right(p, im, y), "sign is flipped"),
    (lambda p, im, y: saliency_right(p, im, y) * im, "gradient times input"),
    (lambda p, im, y: saliency_right(p, im, (y + 1) % 3), "label + 1"),
    (lambda p, im, y: saliency_right(p, im, y - 1), "label - 1"),
    (saliency_of_kernels, "conv1.weight"),
    (lambda p, im, y: saliency_right(p, im, y)[None, None], "take [0, 0]"),
    (lambda p, im, y: saliency_right(p, im, y)[None], "(H, W) map"),
    (saliency_without_input_grad, "input_grad=True"),
    (saliency_unbatched, "image[None, None]"),
    (saliency_1d_seed, "np.zeros_like(logits)"),
    (lambda p, im, y: saliency(p, im, y), "cnnlab.models.saliency is this exercise's solution"),
    (lambda p, im, y: saliency_right(p, im, 1), "class 1 whatever the label"),
    (lambda p, im, y: saliency_right(p, im, y) / np.max(np.abs(saliency_right(p, im, y))),
     "largest |value| of 1"),
    (lambda p, im, y: np.abs(saliency_right(p, im, y)) / np.abs(saliency_right(p, im, y)).max(),
     "np.abs and scaling to 1"),
    (lambda p, im, y: saliency_right(p, im, y) ** 2, "you squared the gradient"),
    (lambda p, im, y: np.maximum(saliency_right(p, im, y), 0), "positive gradients only"),
    (lambda p, im, y: saliency_right(p, im * 255, y), "scaled the image by 255"),
    (lambda p, im, y: saliency_right(p, 1 - im, y), "inverted the image"),
    (lambda p, im, y: saliency_right(p, im, y).astype(int), "whole numbers only"),
]

MISTAKES = {
    "10 accuracy_from_confusion": (lesson10.check_accuracy_from_confusion,
                                   lambda m: np.trace(m) / m.sum(), ACCURACY_MISTAKES),
    "10 most_confused": (lesson10.check_most_confused, no_diagonal, CONFUSED_MISTAKES),
    "10 saliency_map": (lesson10.check_saliency, saliency_right, SALIENCY_MISTAKES),
}


@pytest.mark.parametrize("exercise", sorted(MISTAKES))
def test_every_catalogued_mistake_fails_with_a_hint_that_names_it(exercise):
    checker, _, mistakes = MISTAKES[exercise]
    every_catalogued_mistake_fails_with_a_hint_that_names_it(exercise, checker, mistakes,
                                                            at_least=10)


@pytest.mark.parametrize("answer", [
    lambda m: np.trace(m) / m.sum(),
    lambda m: float(np.sum(np.diag(m))) / float(np.sum(m)),
    lambda m: sum(m[i][i] for i in range(len(m))) / sum(sum(row) for row in m),
])
def test_accuracy_checker_accepts_right_answers(answer):
    assert lesson10.check_accuracy_from_confusion(answer).passed


@pytest.mark.parametrize("answer", [
    lambda m: np.unravel_index(np.argmax(_off(m)), m.shape),
    lambda m: np.unravel_index(np.argmax(np.where(np.eye(len(m), dtype=bool), -1, m)), m.shape),
    lambda m: max(((i, j) for i in range(len(m)) for j in range(len(m)) if i != j),
                  key=lambda ij: m[ij]),
    lambda m: tuple(int(i) for i in np.unravel_index(np.argmax(_off(m)), m.shape)),
])
def test_most_confused_checker_accepts_right_answers(answer):
    assert lesson10.check_most_confused(answer).passed


def test_the_rate_and_the_count_disagree_so_a_row_normalised_answer_fails():
    """Issue 23: most_confused taking the largest row-normalised rate was accepted."""
    from cnnlab.lessons import _mistakes10

    matrix = _mistakes10.MATRICES[1][0]
    off = _off(matrix)
    by_rate = np.unravel_index(np.argmax(off / matrix.sum(axis=1, keepdims=True)), off.shape)
    assert tuple(by_rate) != tuple(no_diagonal(matrix))
    assert evaluate.most_confused(matrix) == tuple(int(i) for i in no_diagonal(matrix))


def test_most_confused_has_a_three_way_tie_and_the_task_says_which_cell():
    """Walk v3: the last of tied cells was accepted, and the task did not say which one."""
    from cnnlab.lessons import _mistakes10

    matrix = _mistakes10.CONFUSED_MATRICES[2][0]
    off = _off(matrix)
    tied = list(zip(*np.nonzero(off == off.max()), strict=True))
    assert len(tied) == 3 and tuple(no_diagonal(matrix)) == tied[0] == (0, 2)
    assert "on a tie, the first in row-major order, as np.argmax" in \
        lesson10.check_most_confused.task
    assert any("on a tie, the first of the tied cells in row-major order (along each row, row "
               "after row), the one `np.argmax` finds" in cell for cell in _text())


def test_an_unknown_wrong_answer_is_shown_with_the_small_input():
    result = lesson10.check_accuracy_from_confusion(lambda m: 0.5)
    assert not result.passed and "[[50  6  0]" in result.message
    result = lesson10.check_most_confused(lambda m: (0, 1))
    assert not result.passed and "[[50  6  0]" in result.message


# ---- the prose against the cells --------------------------------------------------------------


def _text():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells]


def _printed(function, *args, **kwargs):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        value = function(*args, **kwargs)
    return value, buffer.getvalue()


@pytest.mark.slow
def test_moving_fills_with_zeros_and_some_shift_changes_the_answer():
    text = "\n".join(_text())
    assert "np.roll" in text and "zeros fill" in text
    result, printed = _printed(lesson10.print_shift_predictions, digit=7)
    row = result["right"] + result["down"]
    assert result["right"][result["shifts"].index(0)] == 7
    assert any(p != 7 for p in row), "the summary says moving far enough changes the answer"
    assert "*" in printed and "It stays a 7 when moved right by" in printed
    # a 7 read again beyond a changed shift is said (walk 2026-12-07: -4 read 8*, -5..-8 a 7)
    (r0, r1), shifts = result["kept"]["right"], result["shifts"]
    again = [s for s, p in zip(shifts, result["right"], strict=True)
             if p == 7 and not r0 <= s <= r1]
    assert bool(again) == ("reads a 7 again at" in printed)
    if again:
        assert f"{min(again)} to " in printed or f"at {min(again)}" in printed
    # The panel's picture is the zero-filled shift, not a wrap-around.
    panel = lesson10.edit_panel()
    image = lesson10.start_digits()[7]
    with panel.hold():
        panel.controls["size"].value = 0
        panel.controls["shift_y"].value = 8
    shown = panel.live.figure.axes[0].images[0].get_array()
    np.testing.assert_array_equal(np.asarray(shown)[:8], 0.0)
    np.testing.assert_array_equal(np.asarray(shown)[8:], image[:-8])


@pytest.mark.slow
def test_the_cover_census_answers_the_question_the_text_asks():
    text = "\n".join(_text())
    assert "Could covering a stroke turn the 7 into a 1? The last line answers that." in text
    assert "flip a 7 into a 1" not in text          # the old promise that never came true
    census, printed = _printed(lesson10.print_cover_census, digit=7, ask=1)
    last = printed.strip().splitlines()[-1]
    assert last.startswith("does a black square turn this 7 into a 1?")
    assert ("no: none" in last) == (1 not in census["counts"])
    assert sum(census["counts"].values()) == census["total"] == sum(
        (29 - s) ** 2 for s in range(1, 15))
    # The summary says covering the right part changes the answer; the panel starts there.
    assert census["smallest"] is not None
    size, top, left, predicted = census["smallest"]
    assert predicted != 7
    panel = lesson10.edit_panel(start=(size, top, left))
    title = panel.live.figure.axes[1].get_title()
    assert title.startswith(f"prediction: {predicted} "), title


def test_the_pad_paragraph_says_the_pen_keeps_its_width_and_it_does():
    """Issue 23: the pad scaled the pen with the drawing (a dot became a 20x20 disc)."""
    from cnnlab.ui.drawpad import strokes_to_mnist

    text = "\n".join(_text())
    assert ("the strokes are scaled so that the ink fits $20 \\times 20$ (keeping its shape) "
            "while the pen keeps its width, about 2 pixels like MNIST's strokes (so a dot stays "
            "a dot and a small 1 stays thin)") in text
    dot = strokes_to_mnist([[(140, 140)]])
    assert 0 < np.count_nonzero(dot) <= 9
    small, tall = (strokes_to_mnist([[(140, 140 - h), (140, 140 + h)]]) for h in (10, 100))
    assert np.abs(small.sum(axis=1) - tall.sum(axis=1)).max() < 0.3   # as thin as a tall 1
    assert 1.7 <= tall.sum(axis=1).max() <= 2.7


def test_the_cover_title_says_how_much_of_the_square_is_inside():
    """Issue 23: a 14x14 square at row 27 was "covered by a 14x14 square" with one row inside."""
    from cnnlab.models import init_small_cnn

    panel = lesson10.edit_panel(init_small_cnn(num_filters=2, seed=0), start=(14, 4, 4))
    with panel.hold():
        panel.controls["top"].value = 27
    title = panel.live.figure.axes[0].get_title()
    assert title.endswith("covered by a 14x14 square (1x14 of it inside)"), title
    with panel.hold():
        panel.controls["top"].value = 14
    assert panel.live.figure.axes[0].get_title().endswith("covered by a 14x14 square")


@pytest.mark.slow
def test_the_cover_controls_are_explained_and_named():
    text = "\n".join(_text())
    assert "cover block (0-15)" not in text
    panel = lesson10.edit_panel()
    names = [c.description for c in panel.controls.values()]
    assert "cover: top row" in names and "cover: left column" in names
    assert "top-left corner" in text and "0 for no square" in text


@pytest.mark.slow
def test_the_feature_map_grid_has_no_empty_slot_and_one_scale():
    panel = lesson10.feature_maps_panel()
    figure = panel.live.figure
    images = [ax for ax in figure.axes if ax.images]
    assert len(images) == 9                         # the input and eight maps, nothing empty
    limits = {ax.images[0].get_clim() for ax in images[1:]}
    assert len(limits) == 1, "every map on one colour scale, as the text says"
    assert "share one colour scale" in "\n".join(_text())


@pytest.mark.slow
def test_mistakes_are_white_on_black_like_every_other_digit():
    trainer = lesson10.trained_network()
    probabilities = np.eye(10)[(trainer.test_labels[:8] + 1) % 10]
    figure = evaluate.show_mistakes(trainer.test_images[:8], probabilities,
                                    trainer.test_labels[:8], range(8))
    for ax in figure.axes:
        assert ax.images[0].get_cmap().name == "gray"
        assert "\n" in ax.get_title()               # two short lines, not one long one
    import matplotlib.pyplot as plt

    plt.close(figure)


def test_shift_summary_says_so_when_even_the_unmoved_digit_is_misread():
    from cnnlab.models import init_small_cnn, predict_proba
    params = init_small_cnn(num_filters=2, seed=3)           # untrained: misreads most digits
    wrong = next(d for d in range(10)
                 if predict_proba(params, lesson10.start_digits()[d]).argmax() != d)
    result, printed = _printed(lesson10.print_shift_predictions, params, digit=wrong,
                               shifts=[-1, 0, 1])
    assert result["kept"] == {"right": None, "down": None}
    assert printed.splitlines()[-1] == (f"(* = not a {wrong}.)  Even unmoved, the network does "
                                        f"not read it as a {wrong}.")
