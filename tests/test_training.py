"""Models, optimizers, the trainer, evaluation and the board."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnlab.evaluate import (
    accuracy,
    confusion_matrix,
    most_confident_mistakes,
    per_class_accuracy,
    show_mistakes,
)
from cnnlab.gradcheck import check_gradient
from cnnlab.models import (
    init_small_cnn,
    predict_proba,
    small_cnn_backward,
    small_cnn_forward,
    small_cnn_loss,
)
from cnnlab.seednet import init_seed_params, seed_backward, seed_forward, seed_network_loss
from cnnlab.train import SGD, Adam, History, Trainer, TrainingDiverged
from cnnlab.ui.board import TrainingBoard


@pytest.mark.parametrize("blocks", [1, 2])
def test_small_cnn_gradients_match_finite_differences(blocks):
    rng = np.random.default_rng(blocks)
    params = init_small_cnn(num_filters=2, kernel_size=3, num_blocks=blocks, num_classes=3,
                            image_shape=(8, 8), seed=rng)
    params = {k: v + 0.05 * rng.standard_normal(v.shape) for k, v in params.items()}
    images = rng.permutation(2 * 64).reshape(2, 1, 8, 8) / 128.0
    labels = np.array([0, 2])
    loss, grads, _ = small_cnn_loss(params, images, labels)
    for name in params:
        def f(value, name=name):
            changed = dict(params)
            changed[name] = value
            return small_cnn_loss(changed, images, labels)[0]
        report = check_gradient(lambda x, f=f: f(x), {"x": params[name]}, {"x": grads[name]},
                                h=1e-5, tolerance=1e-5)["x"]
        assert report.passed, f"{name}: {report}"
    logits, cache = small_cnn_forward(params, images)
    grad_images = small_cnn_backward(np.eye(3)[labels], cache, input_grad=True)["images"]
    report = check_gradient(lambda x: np.sum(small_cnn_forward(params, x)[0] * np.eye(3)[labels]),
                            {"x": images}, {"x": grad_images}, h=1e-5, tolerance=1e-5)["x"]
    assert report.passed, str(report)


def test_batched_seed_network_loss_equals_the_one_image_seed_network():
    rng = np.random.default_rng(0)
    params = init_seed_params((8, 8), 3, rng=rng, scale=0.5)
    images = rng.random((3, 8, 8))
    targets = np.array([1.0, 0.0, 1.0])
    loss, grads, logits = seed_network_loss(params, images, targets)
    one = params
    total = {k: 0.0 for k in ("grad_kernel", "grad_weight", "grad_bias", "grad_out_bias")}
    for image, target, logit in zip(images, targets, logits, strict=True):
        _, cache = seed_forward(image, one)
        assert cache["logit"] == pytest.approx(logit, rel=1e-12)
        single = seed_backward(target, cache, loss="bce")
        for key in total:
            total[key] = total[key] + np.asarray(single[key]) / 3
    np.testing.assert_allclose(grads["kernel"], total["grad_kernel"], rtol=1e-10)
    np.testing.assert_allclose(grads["weight"], total["grad_weight"], rtol=1e-10)
    np.testing.assert_allclose(grads["bias"], total["grad_bias"], rtol=1e-10)
    assert grads["bias"].shape == params["bias"].shape == ()


def test_sgd_momentum_and_adam_by_hand():
    params = {"w": np.array([1.0])}
    sgd = SGD(lr=0.1, momentum=0.9)
    sgd.update(params, {"w": np.array([1.0])})         # v = 1, w = 1 - 0.1
    sgd.update(params, {"w": np.array([1.0])})         # v = 0.9 + 1 = 1.9, w = 0.9 - 0.19
    assert params["w"][0] == pytest.approx(0.71)
    params = {"w": np.array([0.0])}
    adam = Adam(lr=0.1)
    adam.update(params, {"w": np.array([2.0])})
    adam.update(params, {"w": np.array([-2.0])})
    m = (0.9 * 0.1 * 2 + 0.1 * -2) / (1 - 0.9**2)
    v = (0.999 * 0.001 * 4 + 0.001 * 4) / (1 - 0.999**2)
    assert params["w"][0] == pytest.approx(-0.1 - 0.1 * m / (np.sqrt(v) + 1e-8))


def tiny_task():
    rng = np.random.default_rng(0)
    images = rng.random((40, 1, 8, 8))
    labels = (images[:, 0, :4].mean(axis=(1, 2)) > images[:, 0, 4:].mean(axis=(1, 2))) * 1
    return images, labels


def test_training_lowers_the_loss_and_is_deterministic():
    images, labels = tiny_task()

    def train():
        params = init_small_cnn(num_filters=4, kernel_size=3, num_classes=2, image_shape=(8, 8))
        trainer = Trainer(params, small_cnn_loss, SGD(lr=0.02), images, labels, images, labels,
                          batch_size=8, seed=3)
        history = trainer.run(epochs=6, progress=False)
        return params, history

    params, history = train()
    again, _ = train()
    assert history.test_loss[-1] < history.test_loss[0]
    assert len(history.step_loss) == 30 and len(history.test_accuracy) == 6
    for name in params:
        np.testing.assert_array_equal(params[name], again[name])


def test_divergence_stops_with_learning_rate_advice():
    images, labels = tiny_task()
    params = init_small_cnn(num_filters=4, kernel_size=3, num_classes=2, image_shape=(8, 8))
    trainer = Trainer(params, small_cnn_loss, SGD(lr=1e300, momentum=0.0), images, labels,
                      batch_size=8)
    with pytest.raises(TrainingDiverged, match=r"at step \d+: training diverged; .*lr=1e\+299"):
        trainer.run(epochs=2, progress=False)
    assert trainer.steps_done < 3


def test_trainer_checks_its_arguments():
    images, labels = tiny_task()
    params = init_small_cnn(num_filters=2, kernel_size=3, num_classes=2, image_shape=(8, 8))
    with pytest.raises(ValueError, match="train_labels"):
        Trainer(params, small_cnn_loss, SGD(), images, labels[:3])
    with pytest.raises(ValueError, match="learning rate"):
        SGD(lr=-1)
    with pytest.raises(TypeError, match="optimizer"):
        Trainer(params, small_cnn_loss, "sgd", images, labels)
    with pytest.raises(ValueError, match="kernel_size must be odd"):
        init_small_cnn(kernel_size=4)


def test_predict_proba_in_batches():
    params = init_small_cnn(num_filters=2)
    images = np.random.default_rng(0).random((7, 1, 28, 28))
    p = predict_proba(params, images, batch_size=3)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p, predict_proba(params, images, batch_size=100), rtol=1e-12)


def test_evaluation_by_hand():
    labels = np.array([0, 1, 1, 2])
    predicted = np.array([0, 2, 1, 2])
    matrix = confusion_matrix(labels, predicted, num_classes=3)
    np.testing.assert_array_equal(matrix, [[1, 0, 0], [0, 1, 1], [0, 0, 1]])
    assert accuracy(predicted, labels) == 0.75
    np.testing.assert_allclose(per_class_accuracy(matrix), [1.0, 0.5, 1.0])
    p = np.array([[0.1, 0.9], [0.7, 0.3], [0.45, 0.55], [0.8, 0.2]])
    np.testing.assert_array_equal(most_confident_mistakes(p, [0, 1, 0, 0], k=5), [0, 1, 2])
    fig = show_mistakes(np.zeros((4, 5, 5)), p, [0, 1, 0, 0], [0])
    assert fig.axes[0].get_title() == "true 0 · predicted 1 (90%)"
    plt.close(fig)


def test_board_updates_in_place_without_new_figures():
    params = init_small_cnn(num_filters=4)
    board = TrainingBoard(kernel_key="conv1.weight", max_kernels=4)
    before = plt.get_fignums()
    png = board.widget.value
    history = History(step_loss=[2.3, 1.5], step_accuracy=[0.1, 0.5], eval_step=[2],
                      epoch=[1.0], train_loss=[1.9], train_accuracy=[0.3], test_loss=[1.7],
                      test_accuracy=[0.4])
    board.update(history, params)
    assert board.widget.value != png
    assert plt.get_fignums() == before
    assert board.loss_ax.get_xlabel() == "training step" and board.acc_ax.get_ylabel()
    np.testing.assert_allclose(board.kernel_images[0].get_array(),
                               params["conv1.weight"][0, 0] /
                               np.abs(params["conv1.weight"][0, 0]).max())


def test_trainer_draws_its_batches_with_iterate_minibatches():
    from cnnlab.data import iterate_minibatches

    images = np.arange(10.0)[:, None] * np.ones((10, 3))
    labels = np.arange(10) % 2
    seen = []

    def recording_loss(params, batch, batch_labels):
        seen.append(batch[:, 0].copy())
        logits = np.zeros((len(batch_labels), 2))
        return 0.5, {"w": np.zeros(1)}, logits

    trainer = Trainer({"w": np.zeros(1)}, recording_loss, SGD(lr=0.1), images, labels,
                      batch_size=4, seed=7)
    trainer.step(6)                                   # two epochs of 3 batches
    rng = np.random.default_rng(7)
    expected = [b[:, 0] for _ in range(2) for b, _ in iterate_minibatches(images, labels, 4,
                                                                          rng=rng)]
    assert len(seen) == len(expected) == 6
    for got, want in zip(seen, expected, strict=True):
        np.testing.assert_array_equal(got, want)
    assert trainer.epochs_done == 2


@pytest.mark.parametrize("tuned", [True, False])
def test_process_settings_only_when_asked_and_scoped_to_each_call(tuned):
    from threadpoolctl import threadpool_info

    from cnnlab.engine import training_settings

    def blas_threads():
        return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]

    before = blas_threads()
    inside = []

    def loss(params, batch, batch_labels):
        inside.append(blas_threads())
        return 0.5, {"w": np.zeros(1)}, np.zeros((len(batch_labels), 2))

    images, labels = np.ones((8, 2)), np.zeros(8, dtype=int)
    trainer = Trainer({"w": np.zeros(1)}, loss, SGD(lr=0.1), images, labels, images, labels,
                      batch_size=4, settings=training_settings if tuned else None)
    assert blas_threads() == before                   # building a Trainer changes nothing
    trainer.step(2)
    trainer.run(epochs=1, progress=False)
    trainer.evaluate()
    assert blas_threads() == before                   # and every call puts it back
    want = [1] * len(before) if tuned else before
    assert inside and all(threads == want for threads in inside)


def test_divergence_is_read_from_the_exception_type_not_its_text():
    from cnnlab._validate import NotFiniteError

    def overflowing(params, images, labels):
        raise NotFiniteError("some layer: an activation overflowed")

    def other_error(params, images, labels):
        raise ValueError("x must be finite, said a bug that is not a divergence")

    images, labels = np.ones((4, 2)), np.zeros(4)
    with pytest.raises(TrainingDiverged, match="overflowed in the forward pass"):
        Trainer({"w": np.zeros(1)}, overflowing, SGD(lr=0.1), images, labels).step()
    with pytest.raises(ValueError, match="said a bug") as caught:
        Trainer({"w": np.zeros(1)}, other_error, SGD(lr=0.1), images, labels).step()
    assert not isinstance(caught.value, TrainingDiverged)


def test_confusion_matrix_counts_in_the_platform_index_type():
    # np.bincount takes intp (int32 in the 32-bit browser edition); the counts come back int64.
    from cnnlab.evaluate import confusion_matrix
    counts = confusion_matrix(np.array([0, 1, 1, 2], dtype=np.int64), np.array([0, 1, 2, 2]),
                              num_classes=3)
    assert counts.dtype == np.int64
    assert counts.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
