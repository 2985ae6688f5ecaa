"""Pooling: window references, torch, finite differences, the seed's example, the tie rule."""

from __future__ import annotations

import numpy as np
import pytest
from bad_inputs import (
    Spec,
    all_arrays,
    arr,
    array_kinds,
    assert_no_input_changes_and_no_output_is_a_view,
    assert_refused_naming_the_argument,
    avg_cache,
    bad_calls,
    cache_kinds,
    conv_cache,
    first_output,
    float_kinds,
    good_calls,
    int_kinds,
    kinds_per_function,
    max_cache,
    untabled_functions,
)
from hypothesis import given
from hypothesis import strategies as st
from numpy.lib.stride_tricks import sliding_window_view

from cnnlab.gradcheck import check_gradient
from cnnlab.pooling import (
    avg_pool,
    avg_pool_backward,
    avg_pool_backward_loop,
    avg_pool_forward,
    avg_pool_forward_loop,
    max_pool,
    max_pool_backward,
    max_pool_backward_loop,
    max_pool_forward,
    max_pool_forward_loop,
    max_pool_winners,
    pool_output_shape,
    tied_windows,
)


def window_reference(x, size, stride, reduce):
    """Reduce every window, found independently with sliding_window_view and the floor rule."""
    windows = sliding_window_view(x, (size, size), axis=(-2, -1))[..., ::stride, ::stride, :, :]
    return reduce(windows, axis=(-2, -1))


pool_settings = st.fixed_dictionaries({
    "h": st.integers(2, 9), "w": st.integers(2, 9), "size": st.integers(1, 3),
    "stride": st.integers(1, 3), "lead": st.sampled_from([(), (2, 3)]),
    "seed": st.integers(0, 2**16),
})


def distinct_values(rng, shape):
    """Random values with no ties (a permutation), so the maximum of each window is unique."""
    return rng.permutation(int(np.prod(shape))).reshape(shape).astype(float) / 7.0


def test_seed_pooling_gradient_example():
    # The seed's 4x4 example: feature map C, pooled gradient DS = [[1, 2], [3, 4]].  Its
    # walkthrough, worked by hand: the window maxima are 6 at (1, 1), 8 at (1, 3), 9 at (2, 0)
    # and 6 at (3, 3), so DC holds 1, 2, 3, 4 there.  The matrix the seed printed puts the 2 at
    # (0, 3) instead, where C holds 4, not its window's maximum 8: the printout is wrong.
    feature_map = np.array([[1, 3, 2, 4], [5, 6, 7, 8], [9, 2, 4, 1], [3, 7, 5, 6]])
    grad_pooled = np.array([[1.0, 2.0], [3.0, 4.0]])
    expected = np.array([
        [0.0, 0.0, 0.0, 0.0],
        [0.0, 1.0, 0.0, 2.0],
        [3.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 4.0],
    ])
    seed_printout = np.array([[0, 0, 0, 2], [0, 1, 0, 0], [3, 0, 0, 0], [0, 0, 0, 4.0]])
    out, cache = max_pool_forward(feature_map)
    np.testing.assert_array_equal(out, [[6.0, 8.0], [9.0, 6.0]])
    grad = max_pool_backward(grad_pooled, cache)
    np.testing.assert_array_equal(grad, expected)
    assert not np.array_equal(grad, seed_printout)
    _, loop_cache = max_pool_forward_loop(feature_map)
    np.testing.assert_array_equal(max_pool_backward_loop(grad_pooled, loop_cache), expected)


def test_ties_go_to_the_first_maximum_in_row_major_order():
    x = np.array([[2.0, 2.0], [2.0, 1.0]])
    for forward, backward in ((max_pool_forward, max_pool_backward),
                              (max_pool_forward_loop, max_pool_backward_loop)):
        _, cache = forward(x)
        np.testing.assert_array_equal(backward([[1.0]], cache), [[1.0, 0.0], [0.0, 0.0]])
        np.testing.assert_array_equal(max_pool_winners(cache),
                                      [[True, False], [False, False]])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_loop_and_vectorised_agree_on_relu_maps_full_of_ties(dtype):
    # ReLU outputs are full of ties (zeros), so ties get a real workout; odd sizes leave a row.
    # Each backward takes the other forward's cache (one cache format).
    rng = np.random.default_rng(5)
    for shape in [(32, 32), (33, 31), (6, 8, 28, 28), (2, 8, 29, 27)]:
        x = np.maximum(rng.normal(size=shape), 0.0).astype(dtype)
        out, cache = max_pool_forward(x)
        out_loop, cache_loop = max_pool_forward_loop(x)
        np.testing.assert_array_equal(out, out_loop)
        np.testing.assert_array_equal(cache["winner"], cache_loop["winner"])
        grad_out = rng.normal(size=out.shape).astype(dtype)
        grad_x = max_pool_backward(grad_out, cache)
        assert grad_x.dtype == dtype and grad_x.shape == x.shape
        np.testing.assert_array_equal(grad_x, max_pool_backward_loop(grad_out, cache_loop))
        np.testing.assert_array_equal(grad_x, max_pool_backward_loop(grad_out, cache))
        np.testing.assert_array_equal(grad_x, max_pool_backward(grad_out, cache_loop))


def test_odd_sizes_follow_the_floor_rule():
    x = np.arange(25.0).reshape(5, 5)
    assert pool_output_shape(5, 5) == (2, 2)
    np.testing.assert_array_equal(max_pool(x), [[6.0, 8.0], [16.0, 18.0]])
    _, cache = max_pool_forward(x)
    grad = max_pool_backward(np.ones((2, 2)), cache)
    assert grad[4].sum() == 0 and grad[:, 4].sum() == 0   # the dropped row and column


def test_average_by_hand():
    np.testing.assert_array_equal(avg_pool([[1, 3], [5, 7]]), [[4.0]])
    _, cache = avg_pool_forward(np.zeros((2, 2)))
    np.testing.assert_array_equal(avg_pool_backward([[8.0]], cache), np.full((2, 2), 2.0))


@given(pool_settings)
def test_forward_matches_window_reference_and_loops(s):
    if s["size"] > min(s["h"], s["w"]):
        return
    x = np.random.default_rng(s["seed"]).normal(size=(*s["lead"], s["h"], s["w"]))
    before = x.copy()
    for reduce, fast, loop in ((np.max, max_pool_forward, max_pool_forward_loop),
                               (np.mean, avg_pool_forward, avg_pool_forward_loop)):
        expected = window_reference(x, s["size"], s["stride"], reduce)
        out, _ = fast(x, s["size"], s["stride"])
        out_loop, _ = loop(x, s["size"], s["stride"])
        np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(out_loop, out, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(x, before)


@given(pool_settings)
def test_backward_matches_finite_differences_and_loops(s):
    if s["size"] > min(s["h"], s["w"]):
        return
    rng = np.random.default_rng(s["seed"])
    x = distinct_values(rng, (*s["lead"], s["h"], s["w"]))   # no ties: max is differentiable
    size, stride = s["size"], s["stride"]
    for forward, backward, loop_forward, loop_backward in (
            (max_pool_forward, max_pool_backward, max_pool_forward_loop, max_pool_backward_loop),
            (avg_pool_forward, avg_pool_backward, avg_pool_forward_loop, avg_pool_backward_loop)):
        out, cache = forward(x, size, stride)
        grad_out = rng.normal(size=out.shape)
        grad_x = backward(grad_out, cache)
        report = check_gradient(lambda x, forward=forward: forward(x, size, stride)[0],
                                {"x": x}, {"x": grad_x}, grad_output=grad_out, h=1e-4)["x"]
        assert report.passed, str(report)
        _, loop_cache = loop_forward(x, size, stride)
        for either_backward, either_cache in ((loop_backward, loop_cache),
                                              (loop_backward, cache), (backward, loop_cache)):
            np.testing.assert_allclose(either_backward(grad_out, either_cache), grad_x,
                                       rtol=1e-12, atol=1e-12)


@given(pool_settings)
def test_winners_are_the_cells_that_receive_gradient(s):
    if s["size"] > min(s["h"], s["w"]):
        return
    x = distinct_values(np.random.default_rng(s["seed"]), (*s["lead"], s["h"], s["w"]))
    out, cache = max_pool_forward(x, s["size"], s["stride"])
    winners = max_pool_winners(cache)
    assert winners.shape == x.shape
    np.testing.assert_array_equal(np.isin(x, out), winners)


@pytest.mark.parametrize(("size", "stride", "shape"),
                         [(2, 2, (2, 3, 8, 8)), (2, 2, (1, 2, 7, 9)), (3, 2, (2, 1, 9, 7)),
                          (3, 1, (1, 2, 6, 6))])
def test_against_torch(size, stride, shape):
    torch = pytest.importorskip("torch", reason="PyTorch is an optional cross-check; "
                                "pip install torch==2.13.0 to run it")
    rng = np.random.default_rng(11)
    x = distinct_values(rng, shape)
    grad_out = None
    for forward, backward, torch_pool in ((max_pool_forward, max_pool_backward,
                                           torch.nn.functional.max_pool2d),
                                          (avg_pool_forward, avg_pool_backward,
                                           torch.nn.functional.avg_pool2d)):
        out, cache = forward(x, size, stride)
        grad_out = rng.normal(size=out.shape)
        tx = torch.tensor(x, requires_grad=True)
        tout = torch_pool(tx, size, stride)
        tout.backward(torch.tensor(grad_out))
        np.testing.assert_allclose(out, tout.detach().numpy(), rtol=1e-12)
        np.testing.assert_allclose(backward(grad_out, cache), tx.grad.numpy(), rtol=1e-12,
                                   atol=1e-15)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: max_pool(np.ones((3, 3)), 4), ValueError, "larger than the 3x3 map"),
        (lambda: max_pool(np.ones((4, 4)), 0), ValueError, "size"),
        (lambda: max_pool(np.ones((4, 4)), 2, 0), ValueError, "stride"),
        (lambda: avg_pool(np.ones(4)), ValueError, "x"),
        (lambda: avg_pool(np.array([[np.nan, 1.0], [1.0, 1.0]])), ValueError, "finite"),
        (lambda: max_pool(np.ones((2, 2), dtype=bool)), TypeError, "x"),
        (lambda: max_pool_backward(np.ones((3, 3)), max_pool_forward(np.ones((4, 4)))[1]),
         ValueError, "grad_out"),
        (lambda: max_pool_backward(np.ones((2, 2)), None), TypeError, "cache"),
        (lambda: max_pool(np.ones((4, 4)), 2.0), TypeError, "size"),
    ],
)
def test_bad_input_is_refused_with_a_message(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_integers_become_float64():
    assert max_pool(np.ones((4, 4), dtype=np.uint8)).dtype == np.float64
    assert avg_pool(np.ones((4, 4), dtype=np.float32)).dtype == np.float32


# ---------------------------------------------------------------------------------------------
# Bad input: each public function, each argument, each kind of bad value (the table's
# machinery is tests/bad_inputs.py)
# ---------------------------------------------------------------------------------------------

BAD_INPUTS = [
    Spec("pooling", "pool_output_shape", lambda: {"height": 10, "width": 9, "size": 2},
         {"height": int_kinds() + [("a pair", (10.5, 9))], "width": int_kinds(),
          "size": int_kinds(), "stride": int_kinds(none_ok=True)}, primary=lambda out: []),
    *[Spec("pooling", name, lambda: {"x": arr(2, 3, 6, 6), "size": 2, "stride": 2},
           {"x": array_kinds(arr(2, 3, 6, 6), ndim=False) + [("1-D", arr(6))],
            "size": int_kinds() + [("too big", 7)], "stride": int_kinds(none_ok=True)},
           primary=first_output if name.endswith(("forward", "loop")) else all_arrays)
      for name in ("max_pool", "avg_pool", "max_pool_forward", "avg_pool_forward",
                   "max_pool_forward_loop", "avg_pool_forward_loop")],
    Spec("pooling", "check_pool_inputs", lambda: {"x": arr(2, 3, 6, 6), "size": 2, "stride": 2},
         {"x": array_kinds(arr(2, 3, 6, 6), ndim=False) + [("1-D", arr(6))],
          "size": int_kinds() + [("too big", 7)], "stride": int_kinds(none_ok=True)},
         primary=lambda out: []),       # returns the checked x itself, as documented
    *[Spec("pooling", name, lambda cache=cache: {"grad_out": arr(2, 3, 2, 2), "cache": cache()},
           {"grad_out": array_kinds(arr(2, 3, 2, 2)) + [("the wrong shape", arr(2, 3, 3, 2))],
            "cache": cache_kinds(other)}, primary=all_arrays)
      for name, cache, other in (("max_pool_backward", max_cache, avg_cache),
                                 ("max_pool_backward_loop", max_cache, avg_cache),
                                 ("avg_pool_backward", avg_cache, max_cache),
                                 ("avg_pool_backward_loop", avg_cache, max_cache))],
    Spec("pooling", "check_pool_grad", lambda: {"grad_out": arr(2, 3, 2, 2),
                                                "cache": max_cache()},
         {"grad_out": array_kinds(arr(2, 3, 2, 2)) + [("the wrong shape", arr(2, 3, 3, 2))],
          "cache": cache_kinds(avg_cache)}, primary=lambda out: []),
    Spec("pooling", "max_pool_winners", lambda: {"cache": max_cache()},
         {"cache": cache_kinds(avg_cache)}, primary=all_arrays),
    Spec("pooling", "tied_windows", lambda: {"x": arr(6, 6), "size": 2},
         {"x": array_kinds(arr(6, 6)), "size": int_kinds() + [("too big", 7)],
          "tolerance": float_kinds() + [("negative", -1.0)]}, primary=lambda out: []),
]


@pytest.mark.parametrize(("spec", "argument", "kind", "value"), bad_calls(BAD_INPUTS))
def test_bad_input_is_refused_naming_the_argument(spec, argument, kind, value):
    assert_refused_naming_the_argument(spec, argument, kind, value)


def test_every_public_function_is_in_the_table():
    missing = untabled_functions(["pooling"], BAD_INPUTS)
    assert not missing, f"public functions with no bad-input rows: {missing}"


def test_at_least_six_kinds_of_bad_input_per_function():
    few = {name: k for name, k in kinds_per_function(BAD_INPUTS).items() if k < 6}
    assert not few, few
    assert len(bad_calls(BAD_INPUTS)) >= 310


@pytest.mark.parametrize("spec", good_calls(BAD_INPUTS))
def test_no_input_changes_and_no_output_is_a_view_of_an_input(spec):
    assert_no_input_changes_and_no_output_is_a_view(spec)


# ---------------------------------------------------------------------------------------------
# Edge cases
# ---------------------------------------------------------------------------------------------

def test_pool_output_shape_refuses_a_fractional_size():
    from cnnlab.pooling import pool_output_shape
    with pytest.raises(TypeError, match="height"):
        pool_output_shape(10.5, 9)
    with pytest.raises(TypeError, match="height"):
        pool_output_shape((10.5, 9), 9)


def test_a_backward_says_which_forward_its_cache_came_from():
    from cnnlab.pooling import avg_pool_backward, max_pool_backward
    with pytest.raises(TypeError, match="avg_pool_backward needs the cache returned by "
                                        "avg_pool_forward; the cache given comes from "
                                        "max_pool_forward"):
        avg_pool_backward(np.ones((2, 3, 2, 2)), max_cache())
    with pytest.raises(TypeError, match="comes from conv_forward"):
        max_pool_backward(np.ones((2, 3, 2, 2)), conv_cache())


def test_tied_windows_lists_the_windows_whose_positive_maximum_is_shared():
    x = np.array([[1.0, 1.0, 0.0, 0.0, 2.0, 0.5],
                  [0.0, 0.5, 0.0, 0.0, 0.5, 2.0 + 1e-9],
                  [3.0, 0.0, 0.0, 0.0, 0.0, 0.0]])     # the odd last row is dropped (floor rule)
    assert tied_windows(x) == [(0, 0)]                  # (0, 1) ties at 0: no gradient either way
    assert tied_windows(x, tolerance=1e-6) == [(0, 0), (0, 2)]
    assert tied_windows(x, size=3) == [] and tied_windows(x, size=3, tolerance=1e-6) == [(0, 1)]
