"""The engine's seed step (checked once) against the textbook's forward and backward."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnlab.engine.seednet import seed_step as engine_step
from cnnlab.seednet import (
    SEED_PARAM_NAMES,
    init_seed_params,
    seed_backward,
    seed_forward,
)
from cnnlab.seednet import seed_step as textbook_step

STEPS = [textbook_step, engine_step]


def params_with(params, **changes):
    new = {k: np.array(v, copy=True) for k, v in params.items()}
    new.update(changes)
    return new


@pytest.mark.parametrize("loss", ["squared_error", "bce"])
@given(h=st.integers(2, 40), w=st.integers(2, 40), k=st.sampled_from([1, 2, 3, 5]),
       padding=st.sampled_from(["same", "valid", 1, (0, 1)]), pool=st.integers(1, 3),
       y=st.floats(0.0, 1.0), seed=st.integers(0, 2**16))
def test_seed_step_is_forward_then_backward(loss, h, w, k, padding, pool, y, seed):
    # Both steps run the textbook forward and backward; the engine's checks once: same numbers.
    rng = np.random.default_rng(seed)
    image = rng.normal(size=(h, w))
    try:
        params = init_seed_params((h, w), k, rng=rng, scale=1.0, padding=padding, pool=pool)
    except ValueError:
        with pytest.raises(ValueError):
            textbook_step(image, y, init_seed_params((40, 40), k), loss, padding, pool)
        with pytest.raises(ValueError):
            engine_step(image, y, init_seed_params((40, 40), k), loss, padding, pool)
        return
    before, image_before = params_with(params), image.copy()
    y_hat_apart, cache = seed_forward(image, params, padding=padding, pool=pool)
    apart = seed_backward(y, cache, loss=loss, input_grad=False)
    for step in STEPS:
        y_hat, grads = step(image, y, params, loss=loss, padding=padding, pool=pool)
        np.testing.assert_array_equal(image, image_before)
        assert y_hat == pytest.approx(y_hat_apart, rel=1e-12, abs=1e-12)
        assert grads.keys() == apart.keys() and grads["grad_image"] is None
        for name, value in apart.items():
            if value is not None:
                np.testing.assert_allclose(grads[name], value, rtol=1e-12, atol=1e-12,
                                           err_msg=name)
        for name in SEED_PARAM_NAMES:
            np.testing.assert_array_equal(params[name], before[name])


def bad_bias(value):
    params = init_seed_params((8, 8), 3)
    params["bias"] = value
    return params


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda step: step(np.ones((8, 8)), 1.0, bad_bias(np.nan)), ValueError,
         "params\\['bias'\\] must be finite"),
        (lambda step: step(np.ones((8, 8)), 1.0, bad_bias(float("inf"))), ValueError,
         "params\\['bias'\\] must be finite"),
        (lambda step: step(np.ones((8, 8)), 1.0, bad_bias(True)), TypeError, "boolean"),
        (lambda step: step(np.ones((8, 8)), 1.0, bad_bias(np.ones(2))), ValueError,
         "params\\['bias'\\] must be one number"),
        (lambda step: step(np.ones((8, 8)), 1.0, bad_bias(1 + 2j)), TypeError, "complex"),
        (lambda step: step(np.ones((8, 8)), 1.0, bad_bias("0.1")), TypeError, "real numbers"),
        (lambda step: step(np.ones((8, 8)), np.nan, init_seed_params((8, 8), 3)), ValueError,
         "y must be finite"),
        (lambda step: step(np.ones((8, 8)), 1.5, init_seed_params((8, 8), 3)), ValueError,
         "between 0 and 1"),
        (lambda step: step(np.ones((8, 8)), 1.0, init_seed_params((8, 8), 3), loss="mse"),
         ValueError, "loss"),
        (lambda step: step(np.ones((6, 6)), 1.0, init_seed_params((8, 8), 3)), ValueError,
         "params\\['weight'\\] has 16 entries"),
        (lambda step: step(np.full((8, 8), np.inf), 1.0, init_seed_params((8, 8), 3)),
         ValueError, "image must be finite"),
    ],
)
@pytest.mark.parametrize("step", STEPS)
def test_seed_step_refuses_bad_input_with_a_message(call, error, words, step):
    with pytest.raises(error, match=words):
        call(step)


@pytest.mark.parametrize("padding", [True, 1.0, (1, True), [1, 1.5]])
def test_remembered_shapes_never_let_a_bad_padding_through(padding):
    engine_step(np.ones((8, 8)), 1.0, init_seed_params((8, 8), 3, padding=1), padding=1)
    # The shapes are remembered between steps; a padding that compares equal to a good one
    # (True == 1, 1.0 == 1) must still be refused, also after the good one was seen.
    params = init_seed_params((8, 8), 3, padding=1)
    seed_forward(np.ones((8, 8)), params, padding=1)
    seed_forward(np.ones((8, 8)), params, padding=(1, 1))
    with pytest.raises(TypeError, match="padding"):
        seed_forward(np.ones((8, 8)), params, padding=padding)
    with pytest.raises(TypeError, match="padding"):
        engine_step(np.ones((8, 8)), 1.0, params, padding=padding)
