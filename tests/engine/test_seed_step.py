"""engine.seed_step_fast against the textbook's seed_step: every result to 1e-12 in float64,
and the textbook's errors for bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnlab.engine import seed_step_fast
from cnnlab.seednet import SEED_PARAM_NAMES, init_seed_params, seed_step

GRADIENTS = ("grad_kernel", "grad_bias", "grad_weight", "grad_out_bias", "grad_logit",
             "grad_flat", "grad_pooled", "grad_relu", "grad_conv")


def assert_same_step(fast, textbook):
    """Same y_hat, same keys, every value to 1e-12 (shapes and None included)."""
    (y_hat, grads), (want_y_hat, want) = fast, textbook
    assert isinstance(y_hat, float) and y_hat == pytest.approx(want_y_hat, rel=1e-12, abs=1e-15)
    assert sorted(grads) == sorted(want)
    assert grads["grad_image"] is None and want["grad_image"] is None
    assert grads["loss"] == pytest.approx(want["loss"], rel=1e-12, abs=1e-15)
    for name in GRADIENTS:
        assert type(grads[name]) is type(want[name]), name
        assert np.shape(grads[name]) == np.shape(want[name]), name
        np.testing.assert_allclose(grads[name], want[name], rtol=1e-12, atol=1e-14,
                                   err_msg=name)


settings = st.fixed_dictionaries({
    "height": st.integers(1, 17), "width": st.integers(1, 17),
    "kh": st.sampled_from([1, 3, 5, 7]), "kw": st.sampled_from([1, 3, 5]),
    "pool": st.integers(1, 3), "loss": st.sampled_from(["squared_error", "bce"]),
    "y": st.sampled_from([0.0, 1.0, 0.25]), "bias": st.floats(-2.0, 2.0),
    "seed": st.integers(0, 2**16),
})


@given(settings)
def test_fast_step_equals_the_textbook_step(s):
    """Random sizes (odd, even, rectangular images and kernels), pools 1-3, both losses."""
    if s["pool"] > min(s["height"], s["width"]):
        return
    rng = np.random.default_rng(s["seed"])
    params = init_seed_params((s["height"], s["width"]), (s["kh"], s["kw"]), rng=rng,
                              scale=0.5, pool=s["pool"])
    params["bias"] = np.array(s["bias"])      # negative biases switch whole windows off
    image = rng.normal(size=(s["height"], s["width"]))
    before = {name: value.copy() for name, value in params.items()}, image.copy()
    fast = seed_step_fast(image, s["y"], params, loss=s["loss"], pool=s["pool"])
    assert_same_step(fast, seed_step(image, s["y"], params, loss=s["loss"], pool=s["pool"]))
    np.testing.assert_array_equal(image, before[1])                  # inputs unchanged
    for name in SEED_PARAM_NAMES:
        np.testing.assert_array_equal(params[name], before[0][name])


def test_a_big_image_takes_the_big_route_and_gives_the_textbook_step():
    from cnnlab.engine.pooling import FEW_CELLS
    assert 72 * 70 > FEW_CELLS                    # the block's big route (batch innermost)
    rng = np.random.default_rng(3)
    params = init_seed_params((72, 70), 5, rng=rng, scale=0.1)
    params["bias"] = np.array(-0.05)              # some windows switched off
    image = rng.random((72, 70))
    for loss in ("squared_error", "bce"):
        assert_same_step(seed_step_fast(image, 1.0, params, loss),
                         seed_step(image, 1.0, params, loss))


def test_the_seeds_32x32_step_and_raw_pixels():
    rng = np.random.default_rng(0)
    params = init_seed_params((32, 32), 5, rng=rng, scale=0.1)
    image = rng.integers(1, 255, size=(32, 32))                        # raw pixels, ints
    for loss in ("squared_error", "bce"):
        assert_same_step(seed_step_fast(image, 1.0, params, loss),
                         seed_step(image, 1.0, params, loss))


def test_windows_the_relu_switched_off_send_their_gradient_to_the_first_cell():
    """A window whose every cell is <= 0 after the bias: the textbook's max pool gives its
    gradient to the window's first cell (the tie rule) in grad_relu, and the ReLU stops it."""
    params = {"kernel": np.zeros((3, 3)), "bias": np.array(-1.0), "weight": np.ones(4),
              "out_bias": np.array(0.0)}
    params["kernel"][1, 1] = 1.0                          # conv = the image itself
    image = np.full((4, 4), 0.5)
    image[2:, 2:] = [[0.5, 3.0], [1.0, 0.5]]              # only the last window is alive
    _, grads = seed_step_fast(image, 1.0, params)
    _, want = seed_step(image, 1.0, params)
    assert_same_step((_, grads), (_, want))
    first_cells = np.zeros((4, 4), dtype=bool)
    first_cells[0, 0] = first_cells[0, 2] = first_cells[2, 0] = True
    np.testing.assert_array_equal(grads["grad_relu"] != 0, first_cells | (image == 3.0))
    np.testing.assert_array_equal(grads["grad_conv"] != 0, image == 3.0)
    assert grads["grad_bias"] == pytest.approx(grads["grad_conv"][2, 3])


@pytest.mark.parametrize("padding", ["valid", 1, (0, 2), (1, 2, 0, 1)])
def test_other_paddings_and_even_kernels_give_the_textbook_step(padding):
    rng = np.random.default_rng(4)
    for kernel_size in (3, (2, 4)):
        params = init_seed_params((9, 10), kernel_size, rng=rng, scale=0.5, padding=padding)
        image = rng.normal(size=(9, 10))
        assert_same_step(seed_step_fast(image, 0.0, params, "bce", padding),
                         seed_step(image, 0.0, params, "bce", padding))


def test_float32_stays_float32():
    rng = np.random.default_rng(5)
    params = {k: np.asarray(v, dtype=np.float32)
              for k, v in init_seed_params((12, 12), 3, rng=rng, scale=0.5).items()}
    image = rng.random((12, 12)).astype(np.float32)
    _, grads = seed_step_fast(image, 1.0, params)
    _, want = seed_step(image, 1.0, params)
    for name in ("grad_kernel", "grad_weight", "grad_conv", "grad_relu", "grad_pooled"):
        assert grads[name].dtype == want[name].dtype == np.float32, name
        np.testing.assert_allclose(grads[name], want[name], rtol=1e-4, atol=1e-6, err_msg=name)


def _bad_calls():
    image, params = np.ones((8, 8)), init_seed_params((8, 8), 3)
    nan_image = image.copy()
    nan_image[2, 3] = np.nan
    return [
        ({"image": np.ones(8)}, "image"),
        ({"image": nan_image}, "image"),
        ({"image": np.ones((8, 8), dtype=bool)}, "image"),
        ({"y": 1.5}, "y"),
        ({"y": float("nan")}, "y"),
        ({"y": "1"}, "y"),
        ({"params": {"kernel": np.ones((3, 3))}}, "params"),
        ({"params": init_seed_params((6, 6), 3)}, "params['weight']"),
        ({"params": dict(params, bias=np.ones(2))}, "params['bias']"),
        ({"loss": "mse"}, "loss"),
        ({"padding": "full"}, "padding"),
        ({"pool": 0}, "pool"),
        ({"pool": 9}, "pool"),
        ({"pool": 2.0}, "pool"),
    ], image, params


BAD, IMAGE, PARAMS = _bad_calls()


@pytest.mark.parametrize(("change", "word"), BAD, ids=[word for _, word in BAD])
def test_bad_input_gets_the_textbooks_error(change, word):
    arguments = {"image": IMAGE, "y": 1.0, "params": PARAMS} | change
    with pytest.raises((TypeError, ValueError)) as textbook:
        seed_step(**arguments)
    with pytest.raises(type(textbook.value)) as fast:
        seed_step_fast(**arguments)
    assert str(fast.value) == str(textbook.value)
    assert word in str(fast.value)
