"""The engine's fused losses against the textbook's networks (1e-12 in float64)."""

from __future__ import annotations

import numpy as np
import pytest

from cnnlab import engine
from cnnlab.models import init_small_cnn, small_cnn_backward, small_cnn_forward, small_cnn_loss
from cnnlab.seednet import SEED_PARAM_NAMES, init_seed_params, seed_network_loss
from cnnlab.train import SGD, Trainer


@pytest.mark.parametrize("n", [4, 12], ids=["small-route", "big-route"])
@pytest.mark.parametrize("blocks", [1, 2])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_small_cnn_loss_fast_gives_the_textbook_numbers(blocks, dtype, n):
    # 4 images (3136 cells) take the blocks' small route, 12 the big one (blocks.FEW_CELLS),
    # where the blocks hand each other views with the batch innermost
    assert 4 * 28 * 28 <= engine.blocks.FEW_CELLS < 12 * 3 * 14 * 14
    rng = np.random.default_rng(10 + blocks)
    params = init_small_cnn(num_filters=3, num_blocks=blocks, seed=rng, dtype=dtype)
    params = {k: (v + 0.01 * rng.standard_normal(v.shape)).astype(dtype)
              for k, v in params.items()}
    images = rng.random((n, 1, 28, 28)).astype(dtype)
    labels = rng.integers(0, 10, size=n)
    fast = engine.small_cnn_loss_fast(params, images, labels)
    layers = small_cnn_loss(params, images, labels)
    tolerance = 1e-12 if dtype == np.float64 else 1e-4
    assert fast[0] == pytest.approx(layers[0], rel=tolerance)
    np.testing.assert_allclose(fast[2], layers[2], rtol=tolerance, atol=tolerance)
    assert sorted(fast[1]) == sorted(params)
    for name in params:
        assert fast[1][name].dtype == dtype, name
        np.testing.assert_allclose(fast[1][name], layers[1][name], rtol=1e-10 if
                                   dtype == np.float64 else 1e-3, atol=tolerance, err_msg=name)


def test_small_cnn_loss_is_the_hand_worked_softmax_cross_entropy_of_the_layers():
    rng = np.random.default_rng(3)
    params = init_small_cnn(num_filters=4, num_blocks=2, seed=rng)
    images, labels = rng.random((5, 28, 28)), rng.integers(0, 10, size=5)
    loss, grads, logits = small_cnn_loss(params, images, labels)
    layer_logits, cache = small_cnn_forward(params, images)
    np.testing.assert_array_equal(logits, layer_logits)
    probabilities = np.exp(layer_logits - layer_logits.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    assert loss == pytest.approx(-np.mean(np.log(probabilities[np.arange(5), labels])),
                                 rel=1e-12)
    layer_grads = small_cnn_backward((probabilities - np.eye(10)[labels]) / 5, cache)
    for name in params:
        np.testing.assert_allclose(grads[name], layer_grads[name], rtol=1e-10, atol=1e-12,
                                   err_msg=name)


@pytest.mark.parametrize(("shape", "kernel_size", "n"), [((28, 28), 5, 6), ((9, 7), 3, 3),
                                                         ((8, 8), 1, 2)])
def test_seed_network_loss_fast_gives_the_textbook_numbers(shape, kernel_size, n):
    rng = np.random.default_rng(sum(shape) + kernel_size)
    params = init_seed_params(shape, kernel_size, rng=rng, scale=0.5)
    images, targets = rng.random((n, *shape)), rng.integers(0, 2, size=n).astype(float)
    loss, grads, logits = engine.seed_network_loss_fast(params, images, targets)
    want_loss, want_grads, want_logits = seed_network_loss(params, images, targets)
    assert loss == pytest.approx(want_loss, rel=1e-12)
    np.testing.assert_allclose(logits, want_logits, rtol=1e-12, atol=1e-12)
    for name in SEED_PARAM_NAMES:
        assert grads[name].shape == params[name].shape, name
        np.testing.assert_allclose(grads[name], want_grads[name], rtol=1e-12, atol=1e-12,
                                   err_msg=name)


def test_a_fast_trainer_follows_the_textbook_trainer():
    rng = np.random.default_rng(5)
    images, targets = rng.random((64, 12, 12)), rng.integers(0, 2, size=64).astype(float)

    def trainer(loss_fn, settings=None):
        return Trainer(init_seed_params((12, 12), 3, rng=1, scale=0.3), loss_fn, SGD(lr=0.1),
                       images, targets, images[:16], targets[:16], batch_size=8,
                       settings=settings)

    textbook = trainer(seed_network_loss)
    fast = trainer(engine.seed_network_loss_fast, engine.training_settings)
    textbook.step(12)
    fast.step(12)
    np.testing.assert_allclose(fast.history.step_loss, textbook.history.step_loss, rtol=1e-9)
    for name, value in textbook.params.items():
        np.testing.assert_allclose(fast.params[name], value, rtol=1e-9, atol=1e-12)
    assert fast.evaluate()[1] == textbook.evaluate()[1]


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: engine.small_cnn_loss_fast(init_small_cnn(), np.ones((2, 3, 28, 28)), [0, 1]),
         ValueError, "channels"),
        (lambda: engine.small_cnn_loss_fast(init_small_cnn(), np.ones((2, 28, 28)), [0, 10]),
         ValueError, "labels must lie in 0..9"),
        (lambda: engine.small_cnn_loss_fast(init_small_cnn(), np.ones((2, 20, 20)), [0, 1]),
         ValueError, "params['dense.weight'] has 1568 rows"),
        (lambda: engine.seed_network_loss_fast(init_seed_params((8, 8), 3), np.ones((8, 8)),
                                               [1.0]), ValueError, "images must be 3-D"),
        (lambda: engine.seed_network_loss_fast(init_seed_params((8, 8), 4), np.ones((2, 8, 8)),
                                               [1.0, 0.0]), ValueError, "must be odd"),
        (lambda: engine.seed_network_loss_fast(init_seed_params((8, 8), 3), np.ones((2, 8, 8)),
                                               [1.0, 2.0]), ValueError, "between 0 and 1"),
        (lambda: engine.seed_network_loss_fast({"kernel": np.ones((3, 3))}, np.ones((2, 8, 8)),
                                               [1.0, 0.0]), ValueError, "missing"),
    ],
)
def test_bad_input_is_refused_with_a_message(call, error, words):
    with pytest.raises(error, match=None) as raised:
        call()
    assert words in str(raised.value)


def test_training_settings_limit_blas_inside_and_restore_it():
    threadpoolctl = pytest.importorskip("threadpoolctl", reason="threadpoolctl finds NumPy's BLAS")
    blas = [p for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
    if not blas:
        pytest.skip("NumPy reports no BLAS library here")
    before = [p["num_threads"] for p in blas]
    with engine.training_settings():
        inside = [p["num_threads"] for p in threadpoolctl.threadpool_info()
                  if p["user_api"] == "blas"]
    after = [p["num_threads"] for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
    assert inside == [1] * len(before) and after == before
