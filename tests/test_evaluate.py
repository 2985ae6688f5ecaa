"""cnnlab.evaluate: accuracy, the confusion matrix, the mistakes and their figures, by hand,
given bad input and at the edges of float64.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from bad_inputs import (
    NAN,
    aliasing,
    assert_inputs_unchanged_and_outputs_not_views,
    assert_many_rows,
    assert_refused,
    ax_call,
    axes,
    rows,
)
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cnnlab import evaluate, train
from cnnlab.evaluate import (
    accuracy,
    confusion_matrix,
    most_confident_mistakes,
    per_class_accuracy,
    show_mistakes,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_evaluation_by_hand():
    labels = np.array([0, 1, 1, 2])
    predicted = np.array([0, 2, 1, 2])
    matrix = confusion_matrix(labels, predicted, num_classes=3)
    np.testing.assert_array_equal(matrix, [[1, 0, 0], [0, 1, 1], [0, 0, 1]])
    assert accuracy(predicted, labels) == 0.75
    np.testing.assert_allclose(per_class_accuracy(matrix), [1.0, 0.5, 1.0])
    assert evaluate.confusion_accuracy(matrix) == accuracy(predicted, labels)
    assert evaluate.most_confused(matrix) == (1, 2)          # the one 1 read as 2
    p = np.array([[0.1, 0.9], [0.7, 0.3], [0.45, 0.55], [0.8, 0.2]])
    np.testing.assert_array_equal(most_confident_mistakes(p, [0, 1, 0, 0], k=5), [0, 1, 2])
    fig = show_mistakes(np.zeros((4, 5, 5)), p, [0, 1, 0, 0], [0])
    assert fig.axes[0].get_title() == "true 0\npredicted 1 (90%)"
    assert fig.axes[0].images[0].get_cmap().name == "gray"      # white ink on black
    assert fig.axes[0].images[0].get_clim() == (0, 1)
    plt.close(fig)
    fig = show_mistakes(np.zeros((4, 5, 5)), p, [0, 1, 0, 0], [0, 1], suptitle="worst")
    assert fig.get_suptitle() == "worst"
    plt.close(fig)
    fig, ax = plt.subplots()
    evaluate.plot_confusion_matrix(ax, matrix, fontsize=8)
    assert [t.get_text() for t in ax.texts] == ["1", "1", "1", "1"]
    assert {t.get_fontsize() for t in ax.texts} == {8}


def test_confusion_matrix_counts_in_the_platform_index_type():
    # np.bincount takes intp (int32 in the 32-bit browser edition); the counts come back int64.
    from cnnlab.evaluate import confusion_matrix
    counts = confusion_matrix(np.array([0, 1, 1, 2], dtype=np.int64), np.array([0, 1, 2, 2]),
                              num_classes=3)
    assert counts.dtype == np.int64
    assert counts.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 1]]


P2 = np.array([[0.9, 0.1], [0.3, 0.7]])
L2 = np.array([0, 0])


# ---------------------------------------------------------------------------------------------
# Bad input: (what, call, error type, word the message must contain); the table's
# machinery is tests/bad_inputs.py
# ---------------------------------------------------------------------------------------------

def small_cnn():
    from cnnlab.models import init_small_cnn
    return init_small_cnn(num_filters=2, seed=0)


BAD_ROWS = [
    ("accuracy nan logits", lambda: evaluate.accuracy([[NAN, 0.0], [1.0, 0.0]], [0, 1]),
     ValueError, "predictions"),
    ("accuracy bool", lambda: evaluate.accuracy(np.array([True, False]), [0, 1]), TypeError,
     "predictions"),
    ("accuracy complex", lambda: evaluate.accuracy(np.array([[1j, 0], [0, 1]]), [0, 1]),
     TypeError, "predictions"),
    ("accuracy strings", lambda: evaluate.accuracy(np.array(["a", "b"]), [0, 1]), TypeError,
     "predictions"),
    ("accuracy 3-D", lambda: evaluate.accuracy(np.zeros((2, 2, 2)), [0, 1]), ValueError,
     "predictions"),
    ("accuracy empty", lambda: evaluate.accuracy(np.zeros((0, 2)), []), ValueError,
     "predictions"),
    ("accuracy negative classes", lambda: evaluate.accuracy([-1, 2], [0, 1]), ValueError,
     "predictions"),
    ("accuracy labels short", lambda: evaluate.accuracy(P2, [0]), ValueError, "labels"),
    ("accuracy labels out of range", lambda: evaluate.accuracy(P2, [0, 5]), ValueError,
     "labels"),
    ("accuracy labels negative", lambda: evaluate.accuracy(P2, [0, -1]), ValueError, "labels"),
    ("accuracy labels 0.5", lambda: evaluate.accuracy(P2, [0, 0.5]), TypeError, "labels"),
    ("accuracy labels 2-D", lambda: evaluate.accuracy(P2, [[0], [1]]), ValueError, "labels"),
    ("accuracy binary labels 2", lambda: evaluate.accuracy([0.5, -1.0], [0, 2]), ValueError,
     "labels"),
    ("confusion labels 12", lambda: evaluate.confusion_matrix([12, 0], [1, 0]), ValueError,
     "labels"),
    ("confusion K != num_classes", lambda: evaluate.confusion_matrix([0, 1], np.ones((2, 3))),
     ValueError, "predictions"),
    ("confusion num_classes 0", lambda: evaluate.confusion_matrix([0], [0], num_classes=0),
     ValueError, "num_classes"),
    ("confusion num_classes 2.0", lambda: evaluate.confusion_matrix([0], [0], num_classes=2.0),
     TypeError, "num_classes"),
    ("confusion num_classes bool", lambda: evaluate.confusion_matrix([0], [0], num_classes=True),
     TypeError, "num_classes"),
    ("confusion predictions nan", lambda: evaluate.confusion_matrix([0, 1], [[NAN, 1], [0, 1]],
                                                                    num_classes=2),
     ValueError, "predictions"),
    ("confusion length", lambda: evaluate.confusion_matrix([0, 1, 1], [0, 1]), ValueError,
     "labels"),
    ("confusion predictions 12", lambda: evaluate.confusion_matrix([0, 1], [0, 12]), ValueError,
     "predictions"),
    ("per_class non-square", lambda: evaluate.per_class_accuracy(np.ones((2, 3))), ValueError,
     "matrix"),
    ("per_class negative", lambda: evaluate.per_class_accuracy([[1, -1], [0, 1]]), ValueError,
     "matrix"),
    ("per_class fractional", lambda: evaluate.per_class_accuracy([[0.5, 1], [0, 1]]),
     ValueError, "matrix"),
    ("per_class nan", lambda: evaluate.per_class_accuracy([[NAN, 1], [0, 1]]), ValueError,
     "matrix"),
    ("per_class str", lambda: evaluate.per_class_accuracy("matrix"), TypeError, "matrix"),
    ("confusion_accuracy empty", lambda: evaluate.confusion_accuracy(np.zeros((2, 2))),
     ValueError, "at least one image"),
    ("confusion_accuracy non-square", lambda: evaluate.confusion_accuracy(np.ones((2, 3))),
     ValueError, "square"),
    ("most_confused one class", lambda: evaluate.most_confused([[3]]), ValueError, "2 classes"),
    ("most_confused negative", lambda: evaluate.most_confused([[1, -1], [0, 1]]), ValueError,
     "counts"),
    ("per_class 1-D", lambda: evaluate.per_class_accuracy([1, 2]), ValueError, "matrix"),
    ("per_class bool", lambda: evaluate.per_class_accuracy(np.eye(2, dtype=bool)), TypeError,
     "matrix"),
    ("mistakes k 0", lambda: evaluate.most_confident_mistakes(P2, L2, k=0), ValueError, "k"),
    ("mistakes k str", lambda: evaluate.most_confident_mistakes(P2, L2, k="2"), TypeError, "k"),
    ("mistakes k bool", lambda: evaluate.most_confident_mistakes(P2, L2, k=True), TypeError,
     "k"),
    ("mistakes nan", lambda: evaluate.most_confident_mistakes([[NAN, 1], [0, 1]], L2),
     ValueError, "probabilities"),
    ("mistakes 1-D", lambda: evaluate.most_confident_mistakes([0.5, 0.5], L2), ValueError,
     "probabilities"),
    ("mistakes labels range", lambda: evaluate.most_confident_mistakes(P2, [0, 2]), ValueError,
     "labels"),
    ("mistakes labels short", lambda: evaluate.most_confident_mistakes(P2, [0]), ValueError,
     "labels"),
    ("mistakes logits not probabilities", lambda: evaluate.most_confident_mistakes(
        [[3.0, -2.0], [0.5, 4.0]], L2), ValueError, "probabilities"),
    ("plot_confusion ax", lambda: evaluate.plot_confusion_matrix("ax", np.eye(2)), TypeError,
     "ax"),
    ("plot_confusion non-square", lambda: evaluate.plot_confusion_matrix(axes(), np.ones((2, 3))),
     ValueError, "matrix"),
    ("plot_confusion names count", lambda: evaluate.plot_confusion_matrix(
        axes(), np.eye(2), class_names=["a"]), ValueError, "class_names"),
    ("plot_confusion names str", lambda: evaluate.plot_confusion_matrix(
        axes(), np.eye(2), class_names="ab"), TypeError, "class_names"),
    ("plot_confusion negative", lambda: evaluate.plot_confusion_matrix(axes(), -np.eye(2)),
     ValueError, "matrix"),
    ("plot_confusion nan", lambda: evaluate.plot_confusion_matrix(axes(), [[NAN, 0], [0, 1]]),
     ValueError, "matrix"),
    ("plot_confusion fontsize 0", lambda: evaluate.plot_confusion_matrix(axes(), np.eye(2),
                                                                         fontsize=0),
     ValueError, "fontsize"),
    ("plot_probabilities ax", lambda: evaluate.plot_probabilities(None, [0.5, 0.5]), TypeError,
     "ax"),
    ("plot_probabilities label 5", lambda: evaluate.plot_probabilities(axes(), [0.5, 0.5], 5),
     ValueError, "label"),
    ("plot_probabilities label -1", lambda: evaluate.plot_probabilities(axes(), [0.5, 0.5], -1),
     ValueError, "label"),
    ("plot_probabilities label str", lambda: evaluate.plot_probabilities(axes(), [0.5, 0.5],
                                                                         "1"),
     TypeError, "label"),
    ("plot_probabilities 2-D", lambda: evaluate.plot_probabilities(axes(), P2), ValueError,
     "probabilities"),
    ("plot_probabilities > 1", lambda: evaluate.plot_probabilities(axes(), [3.0, -2.0]),
     ValueError, "probabilities"),
    ("plot_probabilities nan", lambda: evaluate.plot_probabilities(axes(), [NAN, 1.0]),
     ValueError, "probabilities"),
    ("show_mistakes index range", lambda: evaluate.show_mistakes(np.zeros((2, 4, 4)), P2, L2,
                                                                 [5]),
     ValueError, "indices"),
    ("show_mistakes index str", lambda: evaluate.show_mistakes(np.zeros((2, 4, 4)), P2, L2,
                                                               ["a"]),
     TypeError, "indices"),
    ("show_mistakes index -1", lambda: evaluate.show_mistakes(np.zeros((2, 4, 4)), P2, L2, [-1]),
     ValueError, "indices"),
    ("show_mistakes images count", lambda: evaluate.show_mistakes(np.zeros((3, 4, 4)), P2, L2,
                                                                  [0]),
     ValueError, "images"),
    ("show_mistakes labels count", lambda: evaluate.show_mistakes(np.zeros((2, 4, 4)), P2, [0],
                                                                  [0]),
     ValueError, "labels"),
    ("show_mistakes images 2-D", lambda: evaluate.show_mistakes(np.zeros((4, 4)), P2, L2, [0]),
     ValueError, "images"),
    ("show_mistakes ncols 0", lambda: evaluate.show_mistakes(np.zeros((2, 4, 4)), P2, L2, [0],
                                                             ncols=0),
     ValueError, "ncols"),
    ("show_mistakes suptitle", lambda: evaluate.show_mistakes(np.zeros((2, 4, 4)), P2, L2, [0],
                                                              suptitle=3), TypeError, "suptitle"),
    ("show_mistakes no indices", lambda: evaluate.show_mistakes(np.zeros((2, 4, 4)), P2, L2, []),
     ValueError, "indices"),
    ("show_mistakes images nan", lambda: evaluate.show_mistakes(np.full((2, 4, 4), NAN), P2, L2,
                                                                [0]),
     ValueError, "images"),
    ("show_mistakes 3 channels", lambda: evaluate.show_mistakes(np.zeros((2, 3, 4, 4)), P2, L2,
                                                                [0]),
     ValueError, "images"),
    # shift_predictions and cover_census (lesson 10's print_shift_predictions/print_cover_census)
    ("shift_predictions label 10", lambda: evaluate.shift_predictions(
        small_cnn(), np.zeros((28, 28)), 10), ValueError, "label"),
    ("shift_predictions label -1", lambda: evaluate.shift_predictions(
        small_cnn(), np.zeros((28, 28)), -1), ValueError, "label"),
    ("shift_predictions label float", lambda: evaluate.shift_predictions(
        small_cnn(), np.zeros((28, 28)), 3.0), TypeError, "label"),
    ("shift_predictions shifts None", lambda: evaluate.shift_predictions(
        small_cnn(), np.zeros((28, 28)), 3, shifts=None), TypeError, "shifts"),
    ("shift_predictions shifts floats", lambda: evaluate.shift_predictions(
        small_cnn(), np.zeros((28, 28)), 3, shifts=[0, 1.5]), TypeError, "shifts"),
    ("shift_predictions shifts empty", lambda: evaluate.shift_predictions(
        small_cnn(), np.zeros((28, 28)), 3, shifts=[]), ValueError, "shifts"),
    ("shift_predictions params list", lambda: evaluate.shift_predictions(
        [1, 2], np.zeros((28, 28)), 3), TypeError, "params"),
    ("shift_predictions image 3-D", lambda: evaluate.shift_predictions(
        small_cnn(), np.zeros((1, 28, 28)), 3), ValueError, "image"),
    ("cover_census label 10", lambda: evaluate.cover_census(
        small_cnn(), np.zeros((28, 28)), 10, sizes=[1]), ValueError, "label"),
    ("cover_census label bool", lambda: evaluate.cover_census(
        small_cnn(), np.zeros((28, 28)), True, sizes=[1]), TypeError, "label"),
    ("cover_census sizes None", lambda: evaluate.cover_census(
        small_cnn(), np.zeros((28, 28)), 3, sizes=None), TypeError, "sizes"),
    ("cover_census sizes zero", lambda: evaluate.cover_census(
        small_cnn(), np.zeros((28, 28)), 3, sizes=[0]), ValueError, "sizes"),
    ("cover_census sizes too big", lambda: evaluate.cover_census(
        small_cnn(), np.zeros((28, 28)), 3, sizes=[29]), ValueError, "sizes"),
    ("cover_census image nan", lambda: evaluate.cover_census(
        small_cnn(), np.full((28, 28), NAN), 3, sizes=[1]), ValueError, "image"),
]


@pytest.mark.parametrize(("call", "error", "word"), rows("evaluate", BAD_ROWS))
def test_bad_input_is_refused_with_a_message_naming_it(call, error, word):
    assert_refused(call, error, word)


def test_the_bad_input_table_has_many_rows():
    assert_many_rows("evaluate", BAD_ROWS)


# ---------------------------------------------------------------------------------------------
# Right answers at the edges
# ---------------------------------------------------------------------------------------------

def test_binary_accuracy_from_logits_and_one_accuracy_function():
    assert evaluate.accuracy([1.5, -2.0, 0.3], [1, 1, 1.0]) == pytest.approx(2 / 3)
    assert evaluate.accuracy([[2.0, 1.0], [0.0, 3.0]], [0, 0]) == 0.5
    assert evaluate.accuracy([3, 1], [3, 2]) == 0.5
    assert not hasattr(train, "accuracy_of_logits") or (
        train.accuracy_of_logits is evaluate.accuracy)


@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 5)),
                  elements=st.floats(-1.7e308, 1.7e308)))
def test_accuracy_is_the_mean_of_argmax_hits_at_any_scale(logits):
    labels = np.arange(logits.shape[0]) % logits.shape[1]
    expected = np.mean(logits.argmax(axis=1) == labels)
    assert evaluate.accuracy(logits, labels) == expected


# ---------------------------------------------------------------------------------------------
# Inputs never change; outputs never share memory with inputs
# ---------------------------------------------------------------------------------------------

ALIAS_RNG = np.random.default_rng(5)
A = ALIAS_RNG.random((3, 4))
ALIASING = [
    ("accuracy", evaluate.accuracy, (A, np.array([0, 1, 2]))),
    ("accuracy classes", evaluate.accuracy, (np.array([1, 2, 3]), np.array([1, 2, 0]))),
    ("confusion_matrix", lambda y, p: evaluate.confusion_matrix(y, p, num_classes=4),
     (np.array([0, 1, 3]), A)),
    ("per_class_accuracy", evaluate.per_class_accuracy, (np.eye(3),)),
    ("confusion_accuracy", evaluate.confusion_accuracy, (np.eye(3),)),
    ("most_confused", evaluate.most_confused, (np.eye(3),)),
    ("most_confident_mistakes", evaluate.most_confident_mistakes, (A / A.sum(1, keepdims=True),
                                                                   np.array([0, 1, 2]))),
    ("plot_confusion_matrix", lambda m: ax_call(evaluate.plot_confusion_matrix, m).get_array(),
     (np.eye(3),)),
    ("plot_probabilities", lambda p: ax_call(evaluate.plot_probabilities, p), (A[0] / 4,)),
    ("show_mistakes", lambda i, p, l: evaluate.show_mistakes(i, p, l, [0, 1]),
     (ALIAS_RNG.random((3, 4, 4)), A / A.sum(1, keepdims=True), np.array([0, 1, 2]))),
]


@pytest.mark.parametrize(("function", "inputs"), aliasing(ALIASING))
def test_inputs_unchanged_and_outputs_not_views(function, inputs):
    assert_inputs_unchanged_and_outputs_not_views(function, inputs)


# ---------------------------------------------------------------------------------------------
# Moving and covering the input: shift_predictions, cover_census
# ---------------------------------------------------------------------------------------------

def _net_and_digit():
    from cnnlab.models import init_small_cnn
    image = np.zeros((28, 28))
    image[6:22, 12:16] = 1.0                        # a bar, like a 1
    return init_small_cnn(num_filters=2, seed=3), image


def test_shift_predictions_are_the_predictions_of_the_shifted_images():
    from cnnlab.data import shift_image
    from cnnlab.models import predict_proba
    params, image = _net_and_digit()
    shifts = [-3, 0, 2, 5]
    result = evaluate.shift_predictions(params, image, 4, shifts)
    for name, (dy, dx) in {"right": (0, 1), "down": (1, 0)}.items():
        expected = [int(predict_proba(params, shift_image(image, dy * s, dx * s)).argmax())
                    for s in shifts]
        assert result[name] == expected
        # kept: the longest gap-free run of shifts around 0 that all give the label
        run = [s for s in shifts if all(p == 4 for t, p in zip(shifts, expected, strict=True)
                                        if min(s, 0) <= t <= max(s, 0))]
        assert result["kept"][name] == ((min(run), max(run)) if run else None)
    blank = evaluate.shift_predictions(params, np.zeros((28, 28)), 9, [-2, -1, 0, 1])
    assert blank["right"] == blank["down"] == [blank["right"][0]] * 4   # nothing to move
    label = blank["right"][0]
    kept = evaluate.shift_predictions(params, np.zeros((28, 28)), label, [-2, -1, 0, 1])["kept"]
    assert kept == {"right": (-2, 1), "down": (-2, 1)}
    other = (label + 1) % 10
    kept = evaluate.shift_predictions(params, np.zeros((28, 28)), other, [-2, -1, 0, 1])["kept"]
    assert kept == {"right": None, "down": None}


def test_cover_census_counts_every_square_and_finds_the_first_change():
    from cnnlab.models import predict_proba
    params, image = _net_and_digit()
    before = image.copy()
    label = int(predict_proba(params, image).argmax())
    census = evaluate.cover_census(params, image, label, sizes=[3, 27])
    np.testing.assert_array_equal(image, before)
    assert census["total"] == sum(census["counts"].values()) == 26 ** 2 + 2 ** 2
    if census["smallest"] is not None:
        size, top, left, predicted = census["smallest"]
        covered = image.copy()
        covered[top:top + size, left:left + size] = 0
        assert int(predict_proba(params, covered).argmax()) == predicted != label
    # a blank image: covering changes nothing, so every square gives the same answer
    blank = evaluate.cover_census(params, np.zeros((28, 28)), label, sizes=[5])
    assert list(blank["counts"].values()) == [24 ** 2]


@pytest.mark.parametrize(("call", "error", "word"), [
    (lambda p, i: evaluate.shift_predictions(p, i, 1, [1, 2]), ValueError, "include 0"),
    (lambda p, i: evaluate.shift_predictions(p, i, 1, [0, 1.5]), TypeError, "shifts"),
    (lambda p, i: evaluate.shift_predictions(p, i[None], 1), ValueError, "image"),
    (lambda p, i: evaluate.shift_predictions(p, i, -1), ValueError, "label"),
    (lambda p, i: evaluate.cover_census(p, i, 1, sizes=[0]), ValueError, "sizes"),
    (lambda p, i: evaluate.cover_census(p, i, 1, sizes=[29]), ValueError, "sizes"),
    (lambda p, i: evaluate.cover_census(p, i, 1, sizes=[]), ValueError, "sizes"),
    (lambda p, i: evaluate.cover_census(p, np.full((28, 28), np.nan), 1), ValueError, "image"),
])
def test_moving_and_covering_refuse_bad_input(call, error, word):
    params, image = _net_and_digit()
    with pytest.raises(error, match=word):
        call(params, image)
