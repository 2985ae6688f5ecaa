"""Losses and their gradients: hand-worked values, stability, finite differences, torch."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from bad_inputs import (
    NAN,
    aliasing,
    assert_inputs_unchanged_and_outputs_not_views,
    assert_many_rows,
    assert_refused,
    rows,
)
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cnnlab import losses
from cnnlab.gradcheck import check_gradient
from cnnlab.losses import binary_cross_entropy_with_logits, softmax_cross_entropy, squared_error


def test_squared_error_by_hand():
    loss, grad = squared_error([0.8, 0.1], [1.0, 0.0])
    assert loss == pytest.approx(0.5 * (0.2**2 + 0.1**2))
    np.testing.assert_allclose(grad, [-0.2, 0.1])


def test_binary_cross_entropy_by_hand():
    z = np.array([2.0, -1.0])
    y = np.array([1.0, 0.0])
    s = 1 / (1 + np.exp(-z))
    expected = -np.mean(y * np.log(s) + (1 - y) * np.log(1 - s))
    loss, grad = binary_cross_entropy_with_logits(z, y)
    assert loss == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(grad, (s - y) / 2, rtol=1e-12)


def test_softmax_cross_entropy_by_hand():
    logits = np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 0.0]])
    labels = np.array([0, 2])
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    expected = -(np.log(p[0, 0]) + np.log(1 / 3)) / 2
    loss, grad = softmax_cross_entropy(logits, labels)
    assert loss == pytest.approx(expected, rel=1e-12)
    one_hot = np.eye(3)[labels]
    np.testing.assert_allclose(grad, (p - one_hot) / 2, rtol=1e-12)


def test_extreme_logits_never_overflow_or_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            loss, grad = binary_cross_entropy_with_logits([1e4, -1e4], [0.0, 1.0])
            loss2, _ = softmax_cross_entropy([[1e4, -1e4]], [1])
    assert loss == pytest.approx(1e4) and loss2 == pytest.approx(2e4)
    np.testing.assert_allclose(grad, [0.5, -0.5])


@given(st.integers(1, 5), st.integers(2, 6), st.integers(0, 2**16))
def test_gradients_match_finite_differences(n, k, seed):
    # h = 1e-4: the losses are smooth, so the O(h^2) truncation error (~1e-8 relative) is far
    # below the round-off a smaller step would add to tiny gradient entries.
    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=3, size=(n, k))
    labels = rng.integers(0, k, size=n)
    targets = rng.integers(0, 2, size=(n, k)).astype(float)
    _, grad = softmax_cross_entropy(logits, labels)
    report = check_gradient(lambda logits: softmax_cross_entropy(logits, labels)[0],
                            {"logits": logits}, {"logits": grad}, h=1e-4)["logits"]
    assert report.passed, str(report)
    _, grad = binary_cross_entropy_with_logits(logits, targets)
    report = check_gradient(lambda logits: binary_cross_entropy_with_logits(logits, targets)[0],
                            {"logits": logits}, {"logits": grad}, h=1e-4)["logits"]
    assert report.passed, str(report)
    _, grad = squared_error(logits, targets)
    report = check_gradient(lambda logits: squared_error(logits, targets)[0],
                            {"logits": logits}, {"logits": grad}, h=1e-4)["logits"]
    assert report.passed, str(report)


def test_against_torch():
    torch = pytest.importorskip("torch", reason="PyTorch is an optional cross-check; "
                                "pip install torch==2.13.0 to run it")
    rng = np.random.default_rng(5)
    logits = rng.normal(scale=4, size=(6, 10))
    labels = rng.integers(0, 10, size=6)
    t = torch.tensor(logits, requires_grad=True)
    torch_loss = torch.nn.functional.cross_entropy(t, torch.tensor(labels))
    torch_loss.backward()
    loss, grad = softmax_cross_entropy(logits, labels)
    assert loss == pytest.approx(torch_loss.item(), rel=1e-12)
    np.testing.assert_allclose(grad, t.grad.numpy(), rtol=1e-10, atol=1e-15)
    targets = rng.integers(0, 2, size=(6, 10)).astype(float)
    t = torch.tensor(logits, requires_grad=True)
    torch_loss = torch.nn.functional.binary_cross_entropy_with_logits(t, torch.tensor(targets))
    torch_loss.backward()
    loss, grad = binary_cross_entropy_with_logits(logits, targets)
    assert loss == pytest.approx(torch_loss.item(), rel=1e-12)
    np.testing.assert_allclose(grad, t.grad.numpy(), rtol=1e-10, atol=1e-15)


def test_inputs_never_change():
    logits = np.array([[1.0, 2.0], [3.0, -1.0]])
    labels = np.array([1, 0])
    copies = logits.copy(), labels.copy()
    softmax_cross_entropy(logits, labels)
    binary_cross_entropy_with_logits(logits, np.ones((2, 2)))
    squared_error(logits, np.zeros((2, 2)))
    np.testing.assert_array_equal(logits, copies[0])
    np.testing.assert_array_equal(labels, copies[1])


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: softmax_cross_entropy([[1.0, 2.0]], [2]), ValueError, "labels"),
        (lambda: softmax_cross_entropy([[1.0, 2.0]], [0.5]), TypeError, "labels"),
        (lambda: softmax_cross_entropy([[1.0, 2.0]], [0, 1]), ValueError, "labels"),
        (lambda: softmax_cross_entropy([1.0, 2.0], [0]), ValueError, r"\(N, K\)"),
        (lambda: binary_cross_entropy_with_logits([0.0], [2.0]), ValueError, "between 0 and 1"),
        (lambda: binary_cross_entropy_with_logits([0.0, 1.0], [1.0]), ValueError, "shape"),
        (lambda: squared_error([0.0], [np.nan]), ValueError, "finite"),
    ],
)
def test_bad_input_is_refused_with_a_message(call, error, words):
    with pytest.raises(error, match=words):
        call()


# ---------------------------------------------------------------------------------------------
# Bad input: (what, call, error type, word the message must contain); the table's
# machinery is tests/bad_inputs.py
# ---------------------------------------------------------------------------------------------

BAD_ROWS = [
    ("squared shapes", lambda: losses.squared_error(np.ones(2), np.ones(3)), ValueError, "y"),
    ("squared nan", lambda: losses.squared_error([NAN], [1.0]), ValueError, "y_hat"),
    ("squared y str", lambda: losses.squared_error([1.0], "a"), TypeError, "y"),
    ("squared bool", lambda: losses.squared_error(np.array([True]), [1.0]), TypeError, "y_hat"),
    ("squared empty", lambda: losses.squared_error(np.ones(0), np.ones(0)), ValueError,
     "y_hat"),
    ("squared complex", lambda: losses.squared_error([1j], [1.0]), TypeError, "y_hat"),
    ("squared overflows float64", lambda: losses.squared_error([1e300], [-1e300]), ValueError,
     "y_hat"),
    ("squared diff overflows", lambda: losses.squared_error([1.7e308], [-1.7e308]), ValueError,
     "y_hat"),
    ("bce shapes", lambda: losses.binary_cross_entropy_with_logits(np.ones(2), np.ones(3)),
     ValueError, "y"),
    ("bce y 2", lambda: losses.binary_cross_entropy_with_logits([0.0], [2.0]), ValueError, "y"),
    ("bce nan", lambda: losses.binary_cross_entropy_with_logits([NAN], [1.0]), ValueError,
     "logits"),
    ("bce y str", lambda: losses.binary_cross_entropy_with_logits([0.0], "1"), TypeError, "y"),
    ("bce bool logits", lambda: losses.binary_cross_entropy_with_logits(np.array([True]), [1.0]),
     TypeError, "logits"),
    ("bce empty", lambda: losses.binary_cross_entropy_with_logits(np.ones(0), np.ones(0)),
     ValueError, "logits"),
    ("softmax labels range", lambda: losses.softmax_cross_entropy(np.zeros((2, 3)), [0, 3]),
     ValueError, "labels"),
    ("softmax labels length", lambda: losses.softmax_cross_entropy(np.zeros((2, 3)), [0]),
     ValueError, "labels"),
    ("softmax 1-D", lambda: losses.softmax_cross_entropy(np.zeros(3), [0]), ValueError,
     "logits"),
    ("softmax nan", lambda: losses.softmax_cross_entropy([[NAN, 0.0]], [0]), ValueError,
     "logits"),
    ("softmax labels 0.5", lambda: losses.softmax_cross_entropy(np.zeros((1, 2)), [0.5]),
     TypeError, "labels"),
    ("softmax bool", lambda: losses.softmax_cross_entropy(np.ones((1, 2), bool), [0]),
     TypeError, "logits"),
    ("softmax empty", lambda: losses.softmax_cross_entropy(np.zeros((0, 2)), []), ValueError,
     "logits"),
]


@pytest.mark.parametrize(("call", "error", "word"), rows("losses", BAD_ROWS))
def test_bad_input_is_refused_with_a_message_naming_it(call, error, word):
    assert_refused(call, error, word)


def test_the_bad_input_table_has_many_rows():
    assert_many_rows("losses", BAD_ROWS)


# ---------------------------------------------------------------------------------------------
# Right answers at the edges of float64
# ---------------------------------------------------------------------------------------------

@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(2, 4)),
                  elements=st.floats(-1.7976931348623157e308, 1.7976931348623157e308)))
def test_softmax_cross_entropy_never_warns_at_any_finite_scale(logits):
    labels = np.arange(logits.shape[0]) % logits.shape[1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            loss, grad = losses.softmax_cross_entropy(logits, labels)
        except ValueError as error:                 # the loss itself exceeds float64
            assert "float64" in str(error) and "logits" in str(error)
            return
    assert np.isfinite(loss) and loss >= 0 and np.isfinite(grad).all()
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-12)


@given(hnp.arrays(np.float64, st.integers(1, 6),
                  elements=st.floats(-1.7976931348623157e308, 1.7976931348623157e308)),
       st.data())
def test_binary_cross_entropy_is_finite_and_silent_at_any_finite_scale(logits, draw):
    targets = draw.draw(hnp.arrays(np.float64, logits.shape, elements=st.sampled_from([0.0,
                                                                                       1.0])))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grad = losses.binary_cross_entropy_with_logits(logits, targets)
    assert np.isfinite(loss) and loss >= 0 and np.isfinite(grad).all()
    assert np.all(np.abs(grad) <= 1.0 / logits.size)


@given(hnp.arrays(np.float64, st.integers(1, 5),
                  elements=st.floats(-1.7976931348623157e308, 1.7976931348623157e308)))
def test_squared_error_is_right_or_refused_never_a_warning(y_hat):
    y = np.zeros_like(y_hat)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            loss, grad = losses.squared_error(y_hat, y)
        except ValueError as error:
            assert "float64" in str(error) and "y_hat" in str(error)
            return
    assert np.isfinite(loss)
    np.testing.assert_array_equal(grad, y_hat)


def test_float32_in_float32_out():
    x32 = np.ones((2, 3), np.float32)
    assert losses.squared_error(x32, x32)[1].dtype == np.float32
    assert losses.binary_cross_entropy_with_logits(x32, x32)[1].dtype == np.float32
    assert losses.softmax_cross_entropy(x32, [0, 1])[1].dtype == np.float32


# ---------------------------------------------------------------------------------------------
# Inputs never change; outputs never share memory with inputs
# ---------------------------------------------------------------------------------------------

A = np.random.default_rng(5).random((3, 4))
ALIASING = [
    ("squared_error", losses.squared_error, (A, A + 1)),
    ("bce", losses.binary_cross_entropy_with_logits, (A, (A > 0.5) * 1.0)),
    ("softmax_ce", losses.softmax_cross_entropy, (A, np.array([0, 3, 1]))),
]


@pytest.mark.parametrize(("function", "inputs"), aliasing(ALIASING))
def test_inputs_unchanged_and_outputs_not_views(function, inputs):
    assert_inputs_unchanged_and_outputs_not_views(function, inputs)
