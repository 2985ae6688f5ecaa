"""The fused conv -> ReLU -> max pool block against the three layers, finite differences, torch."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnlab.activations import relu_backward, relu_forward
from cnnlab.conv import conv_backward, conv_forward
from cnnlab.engine import blocks
from cnnlab.engine.blocks import conv_relu_pool_backward, conv_relu_pool_forward
from cnnlab.gradcheck import check_gradient
from cnnlab.pooling import max_pool_backward, max_pool_forward

block_settings = st.fixed_dictionaries({
    "n": st.integers(1, 3), "channels": st.integers(1, 3), "filters": st.integers(1, 4),
    "kh": st.sampled_from([1, 3, 5, 7]), "kw": st.sampled_from([1, 3, 5]),
    "pool": st.integers(1, 3), "height": st.integers(1, 13), "width": st.integers(1, 13),
    "seed": st.integers(0, 2**16),
})


def three_layers(x, weight, bias, pool):
    """The block as the lessons build it: conv ('same') -> ReLU -> max pool, with caches."""
    conv, conv_cache = conv_forward(x, weight, bias, padding="same")
    relu, relu_cache = relu_forward(conv)
    out, pool_cache = max_pool_forward(relu, pool)

    def backward(grad_out):
        grad = relu_backward(max_pool_backward(grad_out, pool_cache), relu_cache)
        return conv_backward(grad, conv_cache)

    return out, backward


def random_block(s):
    rng = np.random.default_rng(s["seed"])
    x = rng.normal(size=(s["n"], s["channels"], s["height"], s["width"]))
    weight = rng.normal(size=(s["filters"], s["channels"], s["kh"], s["kw"]))
    bias = rng.normal(size=s["filters"])
    return rng, x, weight, bias


@contextlib.contextmanager
def route(name):
    """Send every input down the block's small-input route ("small") or its big one ("big")."""
    few_cells = blocks.FEW_CELLS
    blocks.FEW_CELLS = {"small": 10**12, "big": 0}[name]
    blocks._geometry.cache_clear()
    try:
        yield
    finally:
        blocks.FEW_CELLS = few_cells
        blocks._geometry.cache_clear()


@pytest.mark.parametrize("way", ["small", "big"])
@given(s=block_settings)
def test_block_equals_the_three_layers_forward_and_backward(way, s):
    if s["pool"] > min(s["height"], s["width"]):
        return
    rng, x, weight, bias = random_block(s)
    before = [x.copy(), weight.copy(), bias.copy()]
    with route(way):
        out, cache = conv_relu_pool_forward(x, weight, bias, pool=s["pool"])
    assert cache["geometry"]["small"] == (way == "small")
    expected, backward = three_layers(x, weight, bias, s["pool"])
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)
    grad_out = rng.normal(size=out.shape)
    before.append(grad_out.copy())
    grads = conv_relu_pool_backward(grad_out, cache, input_grad=True)
    for name, ours, theirs in zip(("x", "weight", "bias"), grads, backward(grad_out),
                                  strict=True):
        assert ours.shape == theirs.shape, name
        np.testing.assert_allclose(ours, theirs, rtol=1e-11, atol=1e-11, err_msg=name)
    for array, original in zip((x, weight, bias, grad_out), before, strict=True):
        np.testing.assert_array_equal(array, original)      # inputs never changed


@pytest.mark.parametrize(("shape", "kernel", "pool"),
                         [((2, 2, 6, 7), (3, 2, 3, 3), 2), ((1, 1, 9, 9), (2, 1, 5, 5), 3),
                          ((2, 3, 5, 4), (2, 3, 3, 1), 1)])
def test_block_gradients_match_finite_differences(shape, kernel, pool):
    rng = np.random.default_rng(7)
    # Distinct inputs and a positive bias keep ties and ReLU kinks away from the step h.
    x = rng.permutation(int(np.prod(shape))).reshape(shape) / np.prod(shape)
    weight, bias = rng.normal(size=kernel), np.full(kernel[0], 0.3)
    out, cache = conv_relu_pool_forward(x, weight, bias, pool=pool)
    grad_out = rng.normal(size=out.shape)
    grad_x, grad_weight, grad_bias = conv_relu_pool_backward(grad_out, cache, input_grad=True)
    reports = check_gradient(lambda x, weight, bias: conv_relu_pool_forward(x, weight, bias,
                                                                            pool)[0],
                             {"x": x, "weight": weight, "bias": bias},
                             {"x": grad_x, "weight": grad_weight, "bias": grad_bias},
                             grad_output=grad_out, h=1e-6, tolerance=1e-6)
    for name, report in reports.items():
        assert report.passed, f"{name}: {report}"


def test_block_against_torch():
    torch = pytest.importorskip("torch", reason="PyTorch is an optional cross-check; "
                                "pip install torch==2.13.0 to run it")
    rng = np.random.default_rng(3)
    x, weight, bias = (rng.normal(size=(4, 3, 15, 12)), rng.normal(size=(5, 3, 5, 3)),
                       rng.normal(size=5))
    out, cache = conv_relu_pool_forward(x, weight, bias, pool=2)
    grad_out = rng.normal(size=out.shape)
    grads = conv_relu_pool_backward(grad_out, cache, input_grad=True)
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, weight, bias))
    tout = torch.nn.functional.max_pool2d(
        torch.relu(torch.nn.functional.conv2d(tx, tw, tb, padding=(2, 1))), 2)
    tout.backward(torch.tensor(grad_out))
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=1e-12, atol=1e-12)
    for ours, theirs in zip(grads, (tx.grad, tw.grad, tb.grad), strict=True):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-12)


def test_float32_stays_float32_and_agrees_with_float64():
    rng = np.random.default_rng(1)
    x, weight, bias = rng.random((8, 1, 28, 28)), rng.normal(size=(8, 1, 5, 5)), rng.normal(size=8)
    out64, cache64 = conv_relu_pool_forward(x, weight, bias)
    out32, cache32 = conv_relu_pool_forward(*(a.astype(np.float32) for a in (x, weight, bias)))
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, out64, rtol=1e-4, atol=1e-5)
    grad_out = rng.normal(size=out64.shape)
    _, grad_w64, _ = conv_relu_pool_backward(grad_out, cache64)
    _, grad_w32, _ = conv_relu_pool_backward(grad_out.astype(np.float32), cache32)
    assert grad_w32.dtype == np.float32
    np.testing.assert_allclose(grad_w32, grad_w64, rtol=1e-3, atol=1e-3)


def test_float32_second_block_agrees_with_float64_every_gradient():
    # the course's second block (8 channels in, 16 filters): the big route, where float32's
    # weight gradient is the transposed product (blocks._weight_gradient_product)
    rng = np.random.default_rng(4)
    x, weight, bias = (rng.random((6, 8, 14, 14)), rng.normal(size=(16, 8, 5, 5)) / 10,
                       rng.normal(size=16) / 10)
    out64, cache64 = conv_relu_pool_forward(x, weight, bias)
    out32, cache32 = conv_relu_pool_forward(*(a.astype(np.float32) for a in (x, weight, bias)))
    assert not cache64["geometry"]["small"] and out32.dtype == np.float32
    np.testing.assert_allclose(out32, out64, rtol=1e-4, atol=1e-5)
    grad_out = rng.normal(size=out64.shape)
    grads64 = conv_relu_pool_backward(grad_out, cache64, input_grad=True)
    grads32 = conv_relu_pool_backward(grad_out.astype(np.float32), cache32, input_grad=True)
    for name, ours, theirs in zip(("x", "weight", "bias"), grads32, grads64, strict=True):
        assert ours.dtype == np.float32, name
        np.testing.assert_allclose(ours, theirs, rtol=1e-3, atol=1e-3, err_msg=name)


@pytest.mark.parametrize("way", ["small", "big"])
def test_the_uncopied_output_is_the_same_numbers_and_read_only(way):
    rng = np.random.default_rng(5)
    x, weight, bias = rng.normal(size=(3, 2, 10, 12)), rng.normal(size=(4, 2, 3, 3)), np.zeros(4)
    with route(way):
        copied, _ = blocks._conv_relu_pool_forward(x, weight, bias, 2)
        view, cache = blocks._conv_relu_pool_forward(x, weight, bias, 2, copy=False)
    np.testing.assert_array_equal(view, copied)
    assert copied.flags.writeable and not view.flags.writeable
    assert np.shares_memory(view, cache["pooled"]) and not np.shares_memory(copied, view)


def test_without_input_grad_the_other_gradients_are_the_same():
    rng = np.random.default_rng(2)
    x, weight, bias = rng.normal(size=(2, 2, 8, 8)), rng.normal(size=(3, 2, 3, 3)), np.zeros(3)
    out, cache = conv_relu_pool_forward(x, weight, bias)
    grad_out = rng.normal(size=out.shape)
    lean = conv_relu_pool_backward(grad_out, cache)
    full = conv_relu_pool_backward(grad_out, cache, input_grad=True)
    assert lean[0] is None and full[0].shape == x.shape
    np.testing.assert_array_equal(lean[1], full[1])
    np.testing.assert_array_equal(lean[2], full[2])


def test_a_backward_names_the_forward_its_cache_came_from():
    x, w, b = np.ones((1, 1, 6, 6)), np.ones((2, 1, 3, 3)), np.zeros(2)
    _, conv_cache = conv_forward(x, w, b, padding="same")
    with pytest.raises(TypeError, match="needs the cache returned by conv_relu_pool_forward; "
                                        "the cache given comes from conv_forward"):
        conv_relu_pool_backward(np.ones((1, 2, 3, 3)), conv_cache)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: conv_relu_pool_forward(np.ones((1, 1, 6, 6)), np.ones((2, 1, 4, 4)),
                                        np.zeros(2)), ValueError, "weight must be odd"),
        (lambda: conv_relu_pool_forward(np.ones((1, 1, 6, 6)), np.ones((2, 1, 3, 3)), None),
         TypeError, "bias"),
        (lambda: conv_relu_pool_forward(np.ones((1, 1, 6, 6)), np.ones((2, 1, 3, 3)),
                                        np.zeros(3)), ValueError, "one entry per filter"),
        (lambda: conv_relu_pool_forward(np.ones((1, 2, 6, 6)), np.ones((2, 1, 3, 3)),
                                        np.zeros(2)), ValueError, "input channels"),
        (lambda: conv_relu_pool_forward(np.ones((1, 1, 1, 6)), np.ones((2, 1, 3, 3)),
                                        np.zeros(2)), ValueError, "pooling window 2x2"),
        (lambda: conv_relu_pool_forward(np.ones((1, 1, 6, 6)), np.ones((2, 1, 3, 3)),
                                        np.zeros(2), pool=0), ValueError, "pool must be"),
        (lambda: conv_relu_pool_forward(np.full((1, 1, 6, 6), np.nan), np.ones((2, 1, 3, 3)),
                                        np.zeros(2)), ValueError, "x must be finite"),
        (lambda: conv_relu_pool_forward(np.ones((6, 6)), np.ones((2, 1, 3, 3)), np.zeros(2)),
         ValueError, "x must be 4-D"),
        (lambda: conv_relu_pool_backward(np.ones((1, 2, 3, 3)), {}), TypeError, "cache"),
        (lambda: conv_relu_pool_backward(
            np.ones((1, 2, 2, 2)),
            conv_relu_pool_forward(np.ones((1, 1, 6, 6)), np.ones((2, 1, 3, 3)),
                                   np.zeros(2))[1]), ValueError, "grad_out must have"),
        (lambda: conv_relu_pool_backward(
            np.ones((1, 2, 3, 3)),
            conv_relu_pool_forward(np.ones((1, 1, 6, 6)), np.ones((2, 1, 3, 3)),
                                   np.zeros(2))[1], input_grad="yes"), TypeError, "input_grad"),
    ],
)
def test_bad_input_is_refused_with_a_message(call, error, words):
    with pytest.raises(error, match=words):
        call()
