"""Dense and flatten layers: hand-worked values, finite differences, errors."""

from __future__ import annotations

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

from cnnlab import dense
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


def dense_cache():
    return dense.dense_forward(np.ones((2, 3)), np.ones((3, 2)), np.ones(2))[1]


def flatten_cache():
    return dense.flatten_forward(np.ones((2, 3, 2)))[1]


# ---------------------------------------------------------------------------------------------
# Bad input: (what, call, error type, word the message must contain); the table's
# machinery is tests/bad_inputs.py
# ---------------------------------------------------------------------------------------------

BAD_ROWS = [
    ("dense x 1-D", lambda: dense.dense_forward(np.ones(3), np.ones((3, 2)), np.ones(2)),
     ValueError, "x"),
    ("dense weight rows", lambda: dense.dense_forward(np.ones((2, 3)), np.ones((4, 2)),
                                                      np.ones(2)),
     ValueError, "weight"),
    ("dense bias length", lambda: dense.dense_forward(np.ones((2, 3)), np.ones((3, 2)),
                                                      np.ones(3)),
     ValueError, "bias"),
    ("dense x nan", lambda: dense.dense_forward(np.full((2, 3), NAN), np.ones((3, 2)),
                                                np.ones(2)),
     ValueError, "x"),
    ("dense weight bool", lambda: dense.dense_forward(np.ones((2, 3)), np.ones((3, 2), bool),
                                                      np.ones(2)),
     TypeError, "weight"),
    ("dense bias 2-D", lambda: dense.dense_forward(np.ones((2, 3)), np.ones((3, 2)),
                                                   np.ones((1, 2))),
     ValueError, "bias"),
    ("dense x str", lambda: dense.dense_forward("x", np.ones((3, 2)), np.ones(2)), TypeError,
     "x"),
    ("dense x empty", lambda: dense.dense_forward(np.ones((0, 3)), np.ones((3, 2)), np.ones(2)),
     ValueError, "x"),
    ("dense_backward grad shape", lambda: dense.dense_backward(np.ones((2, 3)), dense_cache()),
     ValueError, "grad_out"),
    ("dense_backward flatten cache", lambda: dense.dense_backward(np.ones((2, 2)),
                                                                  flatten_cache()),
     TypeError, "flatten_forward"),
    ("dense_backward tuple cache", lambda: dense.dense_backward(np.ones((2, 2)),
                                                                (np.ones((2, 3)),)),
     TypeError, "cache"),
    ("dense_backward None cache", lambda: dense.dense_backward(np.ones((2, 2)), None), TypeError,
     "cache"),
    ("dense_backward grad nan", lambda: dense.dense_backward(np.full((2, 2), NAN),
                                                             dense_cache()),
     ValueError, "grad_out"),
    ("dense_backward grad 1-D", lambda: dense.dense_backward(np.ones(2), dense_cache()),
     ValueError, "grad_out"),
    ("flatten 1-D", lambda: dense.flatten_forward(np.ones(3)), ValueError, "x"),
    ("flatten nan", lambda: dense.flatten_forward(np.full((2, 2), NAN)), ValueError, "x"),
    ("flatten bool", lambda: dense.flatten_forward(np.ones((2, 2), bool)), TypeError, "x"),
    ("flatten str", lambda: dense.flatten_forward(np.array([["a"]])), TypeError, "x"),
    ("flatten empty", lambda: dense.flatten_forward(np.ones((0, 2))), ValueError, "x"),
    ("flatten complex", lambda: dense.flatten_forward(np.ones((2, 2), complex)), TypeError, "x"),
    ("flatten_backward shape", lambda: dense.flatten_backward(np.ones((2, 5)), flatten_cache()),
     ValueError, "grad_out"),
    ("flatten_backward dense cache", lambda: dense.flatten_backward(np.ones((2, 6)),
                                                                    dense_cache()),
     TypeError, "dense_forward"),
    ("flatten_backward tuple cache", lambda: dense.flatten_backward(np.ones((2, 6)), (2, 3, 2)),
     TypeError, "cache"),
    ("flatten_backward nan", lambda: dense.flatten_backward(np.full((2, 6), NAN),
                                                            flatten_cache()),
     ValueError, "grad_out"),
    ("flatten_backward 3-D", lambda: dense.flatten_backward(np.ones((2, 3, 2)), flatten_cache()),
     ValueError, "grad_out"),
    ("flatten_backward None cache", lambda: dense.flatten_backward(np.ones((2, 6)), None),
     TypeError, "cache"),
]


@pytest.mark.parametrize(("call", "error", "word"), rows("dense", BAD_ROWS))
def test_bad_input_is_refused_with_a_message_naming_it(call, error, word):
    assert_refused(call, error, word)


def test_the_bad_input_table_has_many_rows():
    assert_many_rows("dense", BAD_ROWS)


# ---------------------------------------------------------------------------------------------
# Right answers at the edges
# ---------------------------------------------------------------------------------------------

def test_float32_in_float32_out():
    x32 = np.ones((2, 3), np.float32)
    out, cache = dense.dense_forward(x32, np.ones((3, 2), np.float32), np.ones(2, np.float32))
    assert out.dtype == np.float32
    grads = dense.dense_backward(np.ones((2, 2), np.float32), cache)
    assert all(g.dtype == np.float32 for g in grads)
    flat, flat_cache = dense.flatten_forward(np.ones((2, 3, 2), np.float32))
    assert flat.dtype == np.float32
    assert dense.flatten_backward(flat, flat_cache).dtype == np.float32


# ---------------------------------------------------------------------------------------------
# Inputs never change; outputs never share memory with inputs
# ---------------------------------------------------------------------------------------------

ALIAS_RNG = np.random.default_rng(5)
A = ALIAS_RNG.random((3, 4))
ALIASING = [
    ("dense_forward", lambda x, w, b: dense.dense_forward(x, w, b)[0],   # the cache keeps x
     (A, ALIAS_RNG.random((4, 2)), ALIAS_RNG.random(2))),
    ("dense_backward", lambda g: dense.dense_backward(
        g, dense.dense_forward(A, np.ones((4, 2)), np.ones(2))[1]), (ALIAS_RNG.random((3, 2)),)),
    ("flatten_forward", lambda x: dense.flatten_forward(x)[0], (ALIAS_RNG.random((3, 2, 2)),)),
    ("flatten_backward", lambda g: dense.flatten_backward(
        g, dense.flatten_forward(np.ones((3, 2, 2)))[1]), (ALIAS_RNG.random((3, 4)),)),
]


@pytest.mark.parametrize(("function", "inputs"), aliasing(ALIASING))
def test_inputs_unchanged_and_outputs_not_views(function, inputs):
    assert_inputs_unchanged_and_outputs_not_views(function, inputs)
