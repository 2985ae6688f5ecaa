"""Dense and flatten layers: hand-worked values, finite differences, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnlab.dense import dense_backward, dense_forward, flatten_backward, flatten_forward
from cnnlab.gradcheck import check_gradient


def test_by_hand():
    out, cache = dense_forward([[1.0, 2.0], [0.0, 1.0]], [[1.0, -1.0], [2.0, 0.5]], [0.5, 0.0])
    np.testing.assert_array_equal(out, [[5.5, 0.0], [2.5, 0.5]])
    grad_x, grad_weight, grad_bias = dense_backward(np.ones((2, 2)), cache)
    np.testing.assert_array_equal(grad_x, [[0.0, 2.5], [0.0, 2.5]])
    np.testing.assert_array_equal(grad_weight, [[1.0, 1.0], [3.0, 3.0]])
    np.testing.assert_array_equal(grad_bias, [2.0, 2.0])


@given(st.integers(1, 4), st.integers(1, 5), st.integers(1, 4), st.integers(0, 2**16))
def test_backward_matches_finite_differences(n, d, m, seed):
    rng = np.random.default_rng(seed)
    x, weight, bias = rng.normal(size=(n, d)), rng.normal(size=(d, m)), rng.normal(size=m)
    out, cache = dense_forward(x, weight, bias)
    grad_out = rng.normal(size=out.shape)
    grad_x, grad_weight, grad_bias = dense_backward(grad_out, cache)
    reports = check_gradient(lambda x, weight, bias: dense_forward(x, weight, bias)[0],
                             {"x": x, "weight": weight, "bias": bias},
                             {"x": grad_x, "weight": grad_weight, "bias": grad_bias},
                             grad_output=grad_out)
    for report in reports.values():
        assert report.passed, str(report)


def test_flatten_round_trip():
    x = np.arange(24.0).reshape(2, 3, 2, 2)
    out, cache = flatten_forward(x)
    np.testing.assert_array_equal(out[1], np.arange(12.0, 24.0))
    np.testing.assert_array_equal(flatten_backward(out, cache), x)


def test_inputs_never_change():
    x, weight, bias = np.ones((2, 3)), np.ones((3, 2)), np.zeros(2)
    out, cache = dense_forward(x, weight, bias)
    grad = np.ones_like(out)
    dense_backward(grad, cache)
    for array, value in ((x, 1.0), (weight, 1.0), (bias, 0.0), (grad, 1.0)):
        assert np.all(array == value)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: dense_forward(np.ones((2, 3)), np.ones((4, 2)), np.ones(2)), ValueError,
         "weight has 4 rows but x has 3 features"),
        (lambda: dense_forward(np.ones((2, 3)), np.ones((3, 2)), np.ones(3)), ValueError,
         "bias"),
        (lambda: dense_forward(np.ones(3), np.ones((3, 2)), np.ones(2)), ValueError, r"\(N, D\)"),
        (lambda: dense_backward(np.ones((2, 3)),
                                dense_forward(np.ones((2, 3)), np.ones((3, 2)), np.ones(2))[1]),
         ValueError, "grad_out"),
        (lambda: flatten_forward(np.ones(3)), ValueError, "batch"),
        (lambda: dense_forward(np.ones((1, 1), dtype=bool), np.ones((1, 1)), np.ones(1)),
         TypeError, "x"),
    ],
)
def test_bad_input_is_refused_with_a_message(call, error, words):
    with pytest.raises(error, match=words):
        call()
