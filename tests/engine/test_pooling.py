"""The engine's size-routed max pooling against the textbook's: same numbers, same caches."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnlab.engine import pooling as engine_pooling
from cnnlab.engine.pooling import max_pool_backward_fast, max_pool_forward_fast, running_maximum
from cnnlab.pooling import (
    max_pool_backward,
    max_pool_backward_loop,
    max_pool_forward,
    max_pool_forward_loop,
    max_pool_winners,
)

ROUTES = {"few calls": 10**12, "few passes": -1}

settings = st.fixed_dictionaries({
    "h": st.integers(1, 9), "w": st.integers(1, 9), "size": st.integers(1, 3),
    "stride": st.sampled_from([None, 1, 2, 3]), "lead": st.sampled_from([(), (2, 3)]),
    "seed": st.integers(0, 2**16), "route": st.sampled_from(sorted(ROUTES)),
    "relu": st.booleans(), "dtype": st.sampled_from([np.float64, np.float32]),
})


@pytest.fixture
def route(monkeypatch):
    """Send non-overlapping windows down one route, whatever the map's size."""
    def choose(name):
        monkeypatch.setattr(engine_pooling, "FEW_CELLS", ROUTES[name])
    return choose


@given(settings)
def test_every_route_equals_the_textbook(s):
    if s["size"] > min(s["h"], s["w"]):
        return
    rng = np.random.default_rng(s["seed"])
    x = rng.normal(size=(*s["lead"], s["h"], s["w"])).astype(s["dtype"])
    if s["relu"]:
        x = np.maximum(x, 0)                  # full of ties (zeros): the tie rule at work
    before = x.copy()
    old = engine_pooling.FEW_CELLS
    engine_pooling.FEW_CELLS = ROUTES[s["route"]]
    try:
        out, cache = max_pool_forward_fast(x, s["size"], s["stride"])
        grad_out = rng.normal(size=out.shape).astype(s["dtype"])
        grad_x = max_pool_backward_fast(grad_out, cache)
        textbook_out, textbook_cache = max_pool_forward(x, s["size"], s["stride"])
        loop_out, loop_cache = max_pool_forward_loop(x, s["size"], s["stride"])
        np.testing.assert_array_equal(out, textbook_out)
        np.testing.assert_array_equal(out, loop_out)
        np.testing.assert_array_equal(cache["winner"], textbook_cache["winner"])
        expected = max_pool_backward(grad_out, textbook_cache)
        assert grad_x.dtype == expected.dtype == s["dtype"]
        # one cache format: every backward takes every forward's cache (overlapping windows
        # add their shares in another order in the loop: float32 rounds at 1e-7)
        tolerance = 1e-12 if s["dtype"] == np.float64 else 1e-6
        for backward in (max_pool_backward, max_pool_backward_loop, max_pool_backward_fast):
            for either in (cache, textbook_cache, loop_cache):
                np.testing.assert_allclose(backward(grad_out, either), expected,
                                           rtol=tolerance, atol=tolerance)
        np.testing.assert_array_equal(max_pool_winners(cache), max_pool_winners(textbook_cache))
    finally:
        engine_pooling.FEW_CELLS = old
    np.testing.assert_array_equal(x, before)
    assert not np.shares_memory(out, x) and not np.shares_memory(grad_x, grad_out)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_ties_go_to_the_first_maximum_on_every_route(route, name):
    route(name)
    _, cache = max_pool_forward_fast(np.array([[2.0, 2.0], [2.0, 1.0]]))
    np.testing.assert_array_equal(max_pool_backward_fast([[1.0]], cache),
                                  [[1.0, 0.0], [0.0, 0.0]])


def test_each_route_is_taken_at_its_own_size():
    # A single 32x32 map is pooled in the fewest calls, a batch of 28x28 maps in the fewest
    # passes; both give the textbook's winners.
    rng = np.random.default_rng(5)
    for shape in [(32, 32), (6, 8, 28, 28)]:
        x = np.maximum(rng.normal(size=shape), 0.0)
        assert (x.size <= engine_pooling.FEW_CELLS) == (len(shape) == 2)
        np.testing.assert_array_equal(max_pool_forward_fast(x)[1]["winner"],
                                      max_pool_forward(x)[1]["winner"])


def test_running_maximum_keeps_the_first_of_equal_values():
    out = np.array([1.0, 3.0, 2.0, 0.0])
    winner = running_maximum(out, [np.array([1.0, 4.0, 0.0, 5.0]),
                                   np.array([1.0, 4.0, 9.0, 5.0])])
    np.testing.assert_array_equal(out, [1.0, 4.0, 9.0, 5.0])
    np.testing.assert_array_equal(winner, [0, 1, 2, 1])


def test_bad_input_is_refused_with_the_textbook_messages():
    with pytest.raises(ValueError, match="larger than the 3x3 map"):
        max_pool_forward_fast(np.ones((3, 3)), 4)
    with pytest.raises(TypeError, match="the cache given comes from avg_pool_forward"):
        from cnnlab.pooling import avg_pool_forward
        max_pool_backward_fast(np.ones((1, 1)), avg_pool_forward(np.ones((2, 2)))[1])
