"""engine.over_cores: a batch split over threads gives the textbook's numbers (1e-12, float64)."""

from __future__ import annotations

import inspect
import threading

import numpy as np
import pytest

from cnnlab import engine
from cnnlab.engine.parallel import over_cores
from cnnlab.models import init_small_cnn, small_cnn_loss
from cnnlab.seednet import init_seed_params, seed_network_loss
from cnnlab.train import SGD, Trainer


def _params(blocks, dtype, rng):
    params = init_small_cnn(num_filters=3, num_blocks=blocks, seed=rng, dtype=dtype)
    return {k: (v + 0.01 * rng.standard_normal(v.shape)).astype(dtype)
            for k, v in params.items()}


@pytest.mark.parametrize("blocks", [1, 2])
@pytest.mark.parametrize("workers, n", [(2, 37), (3, 64), (2, 16)])
def test_over_cores_gives_the_textbook_small_cnn_numbers(blocks, workers, n):
    rng = np.random.default_rng(blocks * 100 + n)
    params = _params(blocks, np.float64, rng)
    images, labels = rng.random((n, 1, 28, 28)), rng.integers(0, 10, size=n)
    loss, grads, logits = over_cores(engine.small_cnn_loss_fast, workers)(params, images, labels)
    want_loss, want_grads, want_logits = small_cnn_loss(params, images, labels)
    assert loss == pytest.approx(want_loss, rel=1e-12)
    np.testing.assert_allclose(logits, want_logits, rtol=1e-12, atol=1e-12)
    assert sorted(grads) == sorted(want_grads)
    for name in want_grads:
        np.testing.assert_allclose(grads[name], want_grads[name], rtol=1e-10, atol=1e-12,
                                   err_msg=name)


def test_over_cores_keeps_float32():
    rng = np.random.default_rng(5)
    params = _params(2, np.float32, rng)
    images, labels = rng.random((32, 1, 28, 28)).astype(np.float32), rng.integers(0, 10, 32)
    loss, grads, logits = over_cores(engine.small_cnn_loss_fast, 2)(params, images, labels)
    assert logits.dtype == np.float32
    assert all(grads[name].dtype == np.float32 for name in params)
    assert loss == pytest.approx(small_cnn_loss(params, images, labels)[0], rel=1e-5)


def test_the_seed_networks_mean_binary_cross_entropy_splits_too():
    rng = np.random.default_rng(8)
    params = init_seed_params((12, 12), 3, rng=rng, scale=0.5)
    images, targets = rng.random((20, 12, 12)), (rng.random(20) > 0.5) * 1.0
    loss, grads, _ = over_cores(engine.seed_network_loss_fast, 2)(params, images, targets)
    want_loss, want_grads, _ = seed_network_loss(params, images, targets)
    assert loss == pytest.approx(want_loss, rel=1e-12)
    for name in want_grads:
        np.testing.assert_allclose(grads[name], want_grads[name], rtol=1e-10, atol=1e-13)


def test_chunks_run_in_other_threads_and_small_batches_stay_whole():
    seen = []

    def loss_fn(params, images, labels):
        seen.append((threading.current_thread().name, len(images)))
        return float(images.mean()), {"w": np.array([images.sum()])}, images[:, :2].copy()

    split = over_cores(loss_fn, workers=2, min_chunk=4)
    images = np.arange(24.0).reshape(12, 2)
    loss, grads, logits = split({"w": np.zeros(1)}, images, np.zeros(12))
    assert sorted(size for _, size in seen) == [6, 6]
    assert any(name.startswith("cnnlab-batch") for name, _ in seen)
    assert loss == pytest.approx(images.mean())
    assert grads["w"][0] == pytest.approx(images.sum() / 2)       # each half's sum, weighted
    np.testing.assert_array_equal(logits, images)
    seen.clear()
    split({"w": np.zeros(1)}, images[:7], np.zeros(7))           # 7 < 2 * min_chunk: whole
    assert seen == [(threading.current_thread().name, 7)]


def test_bad_input_gets_the_loss_functions_own_errors():
    params = init_small_cnn(num_filters=2)
    split = over_cores(engine.small_cnn_loss_fast, 2)
    with pytest.raises(ValueError, match="labels"):
        split(params, np.zeros((20, 1, 28, 28)), np.zeros(19, dtype=int))
    with pytest.raises(ValueError, match="labels"):     # an error inside a chunk reaches us
        split(params, np.zeros((20, 1, 28, 28)), np.full(20, 10))
    with pytest.raises(TypeError, match="loss_fn"):
        over_cores("not a function")
    with pytest.raises(ValueError, match="workers"):
        over_cores(engine.small_cnn_loss_fast, workers=0)


def test_a_trainer_on_both_cores_follows_the_textbook_trainer():
    rng = np.random.default_rng(2)
    images, labels = rng.random((48, 1, 28, 28)), rng.integers(0, 10, size=48)
    runs = []
    for loss_fn in (small_cnn_loss, over_cores(engine.small_cnn_loss_fast, 2)):
        params = init_small_cnn(num_filters=2, num_blocks=2, seed=1)
        trainer = Trainer(params, loss_fn, SGD(lr=0.05), images, labels, batch_size=24,
                          settings=engine.training_settings)
        trainer.step(4)
        runs.append((trainer.history.step_loss, params))
    np.testing.assert_allclose(runs[0][0], runs[1][0], rtol=1e-12)
    for name in runs[0][1]:
        np.testing.assert_allclose(runs[0][1][name], runs[1][1][name], rtol=1e-10, atol=1e-13)


def test_one_core_in_the_browser_so_no_thread_is_started(monkeypatch):
    monkeypatch.setattr("sys.platform", "emscripten")
    assert engine.cores() == 1
    seen = []

    def loss_fn(params, images, labels):
        seen.append(threading.current_thread().name)
        return 0.0, {}, images

    over_cores(loss_fn)({}, np.zeros((64, 2)), np.zeros(64))
    assert seen == [threading.current_thread().name]


@pytest.mark.parametrize("loss_fn, workers", [
    (engine.small_cnn_loss_fast, 1), (engine.small_cnn_loss_fast, 2),
    (engine.seed_network_loss_fast, 1), (engine.seed_network_loss_fast, 3)])
def test_backward_false_is_the_forward_pass_alone_over_the_cores_too(loss_fn, workers):
    """backward=False: the same loss and logits as the whole step (the textbook's, 1e-12), no
    gradients; over_cores passes it on and keeps the loss's signature."""
    rng = np.random.default_rng(workers)
    if loss_fn is engine.small_cnn_loss_fast:
        params, textbook = _params(2, np.float64, rng), small_cnn_loss
        images, labels = rng.random((37, 1, 28, 28)), rng.integers(0, 10, size=37)
    else:
        params, textbook = init_seed_params((12, 12), 3, rng=rng, scale=0.5), seed_network_loss
        images, labels = rng.random((37, 12, 12)), (rng.random(37) > 0.5) * 1.0
    split = over_cores(loss_fn, workers) if workers > 1 else loss_fn
    assert "backward" in inspect.signature(split).parameters
    loss, grads, logits = split(params, images, labels, backward=False)
    want_loss, _, want_logits = textbook(params, images, labels)
    assert grads is None
    assert loss == pytest.approx(want_loss, rel=1e-12)
    np.testing.assert_allclose(logits, want_logits, rtol=1e-12, atol=1e-12)
    assert textbook(params, images, labels, backward=False)[1] is None
    with pytest.raises(TypeError, match="backward"):
        split(params, images, labels, backward="no")


def test_over_cores_of_a_loss_without_backward_keeps_its_signature():
    def mean_loss(params, images, labels):          # a learner's own, three arguments
        return small_cnn_loss(params, images, labels)
    assert list(inspect.signature(over_cores(mean_loss, 2)).parameters) == [
        "params", "images", "labels"]
