"""Activations: hand-worked values, stability at any scale, derivatives, inputs untouched."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from bad_inputs import (
    Spec,
    all_arrays,
    arr,
    array_kinds,
    assert_no_input_changes_and_no_output_is_a_view,
    assert_refused_naming_the_argument,
    bad_calls,
    cache_kinds,
    first_output,
    float_kinds,
    good_calls,
    kinds_per_function,
    leaky_cache,
    relu_cache,
    sigmoid_cache,
    untabled_functions,
)
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnnlab.activations import (
    leaky_relu,
    leaky_relu_backward,
    leaky_relu_forward,
    log_softmax,
    relu,
    relu_backward,
    relu_forward,
    sigmoid,
    sigmoid_backward,
    sigmoid_forward,
    softmax,
)
from cnnlab.gradcheck import check_gradient

finite = st.floats(-50, 50, allow_nan=False)


def test_seed_sigmoid_example():
    # The seed: f = [0.5, 1.5], w = [0.3, 0.7], bf = 0.1, so z = 0.15 + 1.05 + 0.1 = 1.3 and
    # y_hat = 1 / (1 + e^-1.3) = 0.7858349830425586.
    f, w, bf = np.array([0.5, 1.5]), np.array([0.3, 0.7]), 0.1
    assert sigmoid(w @ f + bf) == pytest.approx(0.7858349830425586, abs=1e-15)
    assert sigmoid(1.3) == pytest.approx(1 / (1 + np.exp(-1.3)), abs=1e-15)


def test_stable_at_any_scale_without_warnings():
    big = np.array([-1e4, -800.0, -1.0, 0.0, 1.0, 800.0, 1e4])
    raw_pixels_logit = np.array([-255.0 * 25, 255.0 * 25])   # a 5x5 kernel on raw pixels
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            s = sigmoid(np.concatenate([big, raw_pixels_logit]))
            p = softmax(np.array([[1e4, 0.0, -1e4]]))
            lp = log_softmax(np.array([[1e4, 0.0, -1e4]]))
    assert np.all((s >= 0) & (s <= 1)) and s[0] == 0.0 and s[-1] == 1.0
    np.testing.assert_allclose(p, [[1.0, 0.0, 0.0]], atol=1e-300)
    np.testing.assert_allclose(lp, [[0.0, -1e4, -2e4]])


@given(arrays(np.float64, st.integers(1, 6), elements=finite))
def test_sigmoid_matches_the_textbook_formula_where_it_is_safe(x):
    np.testing.assert_allclose(sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-12)
    np.testing.assert_allclose(sigmoid(-x), 1 - sigmoid(x), atol=1e-15)


@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(2, 5)), elements=finite))
def test_softmax_sums_to_one_and_matches_log_softmax(logits):
    p = softmax(logits, axis=1)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.log(p), log_softmax(logits, axis=1), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(softmax(logits + 123.0, axis=1), p, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(softmax(logits.T, axis=0), p.T, rtol=1e-12)


def test_relu_and_leaky_by_hand():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(relu(x), [0, 0, 0, 0.5, 2])
    np.testing.assert_array_equal(leaky_relu(x, 0.1), [-0.2, -0.05, 0, 0.5, 2])
    _, cache = relu_forward(x)
    np.testing.assert_array_equal(relu_backward(np.ones(5), cache), [0, 0, 0, 1, 1])
    _, cache = leaky_relu_forward(x, 0.1)
    np.testing.assert_array_equal(leaky_relu_backward(np.ones(5), cache), [0.1, 0.1, 0.1, 1, 1])


@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 4)),
              elements=st.floats(-5, 5).filter(lambda v: abs(v) > 1e-3)),
       st.integers(0, 2**16))
def test_backward_matches_finite_differences(x, seed):
    grad_out = np.random.default_rng(seed).normal(size=x.shape)
    for forward, backward in ((relu_forward, relu_backward),
                              (leaky_relu_forward, leaky_relu_backward),
                              (sigmoid_forward, sigmoid_backward)):
        _, cache = forward(x)
        analytic = backward(grad_out, cache)
        report = check_gradient(lambda x, forward=forward: forward(x)[0], {"x": x},
                                {"x": analytic}, grad_output=grad_out, h=1e-6,
                                tolerance=1e-6)["x"]
        assert report.passed, str(report)


def test_inputs_never_change():
    x = np.array([-1.0, 2.0, -3.0])
    before = x.copy()
    for function in (relu, leaky_relu, sigmoid, softmax, log_softmax):
        function(x)
    relu_backward(x, relu_forward(x)[1])
    np.testing.assert_array_equal(x, before)   # the seed's f_ReLU would have zeroed x[0], x[2]


def test_integers_become_float64():
    assert relu(np.array([1, -1], dtype=np.int8)).dtype == np.float64
    assert sigmoid(np.array([255], dtype=np.uint8)).dtype == np.float64


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: sigmoid([np.nan]), ValueError, "finite"),
        (lambda: relu(np.array([True])), TypeError, "boolean"),
        (lambda: softmax([1j]), TypeError, "complex"),
        (lambda: softmax([[1.0, 2.0]], axis=2), ValueError, "axis"),
        (lambda: leaky_relu([1.0], slope=1.5), ValueError, "slope"),
        (lambda: relu_backward(np.ones(2), relu_forward(np.ones(3))[1]), ValueError,
         "grad_out"),
    ],
)
def test_bad_input_is_refused_with_a_message(call, error, words):
    with pytest.raises(error, match=words):
        call()


# ---------------------------------------------------------------------------------------------
# Bad input: each public function, each argument, each kind of bad value (the table's
# machinery is tests/bad_inputs.py)
# ---------------------------------------------------------------------------------------------

BAD_INPUTS = [
    *[Spec("activations", name, lambda: {"x": arr(3, 4)},
           {"x": array_kinds(arr(3, 4), ndim=False, empty=False)},
           primary=first_output if name.endswith("forward") else all_arrays)
      for name in ("relu", "relu_forward", "sigmoid", "sigmoid_forward", "leaky_relu",
                   "leaky_relu_forward")],
    *[Spec("activations", name, lambda: {"x": arr(3, 4), "slope": 0.1},
           {"slope": float_kinds() + [("one", 1.0), ("negative", -0.5)]},
           primary=first_output if name.endswith("forward") else all_arrays)
      for name in ("leaky_relu", "leaky_relu_forward")],
    *[Spec("activations", name, lambda cache=cache: {"grad_out": arr(2, 3), "cache": cache()},
           {"grad_out": array_kinds(arr(2, 3), empty=False), "cache": cache_kinds(other)},
           primary=all_arrays)
      for name, cache, other in (("relu_backward", relu_cache, sigmoid_cache),
                                 ("leaky_relu_backward", leaky_cache, relu_cache),
                                 ("sigmoid_backward", sigmoid_cache, leaky_cache))],
    *[Spec("activations", name, lambda: {"logits": arr(3, 4), "axis": -1},
           {"logits": array_kinds(arr(3, 4), ndim=False),
            "axis": [("a float", 1.0), ("a bool", True), ("out of range", 2), ("a string", "1"),
                     ("None", None), ("a tuple", (0, 1))]}, primary=all_arrays)
      for name in ("softmax", "log_softmax")],
]


@pytest.mark.parametrize(("spec", "argument", "kind", "value"), bad_calls(BAD_INPUTS))
def test_bad_input_is_refused_naming_the_argument(spec, argument, kind, value):
    assert_refused_naming_the_argument(spec, argument, kind, value)


def test_every_public_function_is_in_the_table():
    missing = untabled_functions(["activations"], BAD_INPUTS)
    assert not missing, f"public functions with no bad-input rows: {missing}"


def test_at_least_six_kinds_of_bad_input_per_function():
    few = {name: k for name, k in kinds_per_function(BAD_INPUTS).items() if k < 6}
    assert not few, few
    assert len(bad_calls(BAD_INPUTS)) >= 142


@pytest.mark.parametrize("spec", good_calls(BAD_INPUTS))
def test_no_input_changes_and_no_output_is_a_view_of_an_input(spec):
    assert_no_input_changes_and_no_output_is_a_view(spec)


# ---------------------------------------------------------------------------------------------
# Edge cases
# ---------------------------------------------------------------------------------------------

def test_softmax_and_log_softmax_do_not_warn_at_the_ends_of_the_float_range():
    from cnnlab.activations import log_softmax, softmax
    logits = np.array([1.7e308, -1.7e308])
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(softmax(logits), [1.0, 0.0])
        # the exact answer, 1.7e308 apart twice = -3.4e308, is below float64's range: an
        # error naming logits (issue 25), never -inf
        with pytest.raises(ValueError, match="logits are too far apart for float64"):
            log_softmax(logits)
    # just inside the range: finite and exact (log(1 + e^-1.7e308) is 0), with no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(log_softmax([1.0e308, -0.7e308]), [0.0, -1.7e308])
