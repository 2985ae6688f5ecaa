"""cnnlab.engine.gemm: the engine's matrix product, by either route, is ``a @ b``; the block
trained through the einsum route (the browser edition's) matches the textbook's three layers."""

from __future__ import annotations

import numpy as np
import pytest

from cnnlab.engine import gemm
from cnnlab.engine.blocks import conv_relu_pool_backward, conv_relu_pool_forward

from .test_blocks import three_layers


@pytest.fixture(params=["@", "einsum"])
def route(request, monkeypatch):
    monkeypatch.setattr(gemm, "ROUTE", request.param)
    return request.param


def test_the_native_route_is_numpys_operator_and_pyodides_is_einsum():
    assert gemm.ROUTE == "@"          # these tests run natively (CPython with a BLAS NumPy)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_each_route_is_the_matrix_product(route, dtype):
    a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=dtype)
    b = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, -1.0]], dtype=dtype)
    product = gemm.matmul(a, b)          # worked by hand: rows . columns
    np.testing.assert_array_equal(product, np.array([[7.0, -1.0], [16.0, -1.0]]))
    assert product.dtype == dtype
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(32, 36)).astype(dtype), rng.normal(size=(36, 500)).astype(dtype)
    before = a.copy(), b.copy()
    tolerance = 1e-12 if dtype == np.float64 else 1e-4
    np.testing.assert_allclose(gemm.matmul(a, b), a @ b, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(gemm.matmul(b.T, a.T), b.T @ a.T, rtol=tolerance, atol=tolerance)
    np.testing.assert_array_equal(a, before[0])
    np.testing.assert_array_equal(b, before[1])


def test_the_block_through_each_route_equals_the_three_layers(route):
    rng = np.random.default_rng(11)
    x, weight = rng.normal(size=(3, 2, 12, 12)), rng.normal(size=(4, 2, 5, 5))
    bias = rng.normal(size=4)
    out, cache = conv_relu_pool_forward(x, weight, bias, pool=2)
    expected, backward = three_layers(x, weight, bias, 2)
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)
    grad_out = rng.normal(size=out.shape)
    for ours, theirs in zip(conv_relu_pool_backward(grad_out, cache, input_grad=True),
                            backward(grad_out), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-11, atol=1e-11)
