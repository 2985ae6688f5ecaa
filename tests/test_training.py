"""cnnlab.train: the optimizers and the Trainer, by hand, on a tiny task, given bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from bad_inputs import INF, NAN, assert_many_rows, assert_refused, outputs, rows

from cnnlab import train
from cnnlab.models import init_small_cnn, small_cnn_loss
from cnnlab.train import SGD, Adam, Trainer, TrainingDiverged


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


def test_momentum_step_is_sgds_rule_as_new_dicts():
    """Hand-worked: v = 0.5 * 1 + 2 = 2.5, w = 1 - 0.1 * 2.5 = 0.75; three steps agree with
    SGD.update (velocity from zeros) and the inputs are never changed."""
    new, v = train.momentum_step({"w": np.array([1.0])}, {"w": np.array([2.0])},
                                 {"w": np.array([1.0])}, lr=0.1, momentum=0.5)
    assert new["w"][0] == pytest.approx(0.75) and v["w"][0] == pytest.approx(2.5)
    rng = np.random.default_rng(3)
    params = {"k": rng.normal(size=(3, 2)), "b": np.array(0.5)}
    in_place, optimizer = {k: value.copy() for k, value in params.items()}, SGD(0.05, 0.9)
    velocity = {k: np.zeros_like(value) for k, value in params.items()}
    for _ in range(3):
        grads = {k: rng.normal(size=np.shape(value)) for k, value in params.items()}
        kept = {k: value.copy() for k, value in params.items()}
        params, velocity = train.momentum_step(params, grads, velocity, 0.05, 0.9)
        assert all(np.array_equal(kept[k], value) for k, value in kept.items())
        optimizer.update(in_place, grads)
        for k in params:
            np.testing.assert_allclose(params[k], in_place[k], rtol=1e-12)
    with pytest.raises(ValueError, match="velocity must be a dict keyed like params"):
        train.momentum_step(params, grads, {"k": velocity["k"]}, 0.05)
    with pytest.raises(ValueError, match="momentum"):
        train.momentum_step(params, grads, velocity, 0.05, momentum=1.0)
    with pytest.raises(ValueError, match=r"grads\['k'\]"):
        train.momentum_step(params, dict(grads, k=np.ones(3)), velocity, 0.05)


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


# ---------------------------------------------------------------------------------------------
# Small fixtures for the bad-input table, built without the layers under test
# ---------------------------------------------------------------------------------------------

def linear_loss(params, images, labels):
    """A softmax regression on flattened images: (loss, grads, logits), written out by hand."""
    x = np.asarray(images).reshape(len(images), -1)
    logits = x @ params["w"] + params["b"]
    shifted = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(shifted)
    p /= p.sum(axis=1, keepdims=True)
    labels = np.asarray(labels).astype(int)
    n = len(labels)
    loss = -np.mean(np.log(p[np.arange(n), labels]))
    g = p.copy()
    g[np.arange(n), labels] -= 1
    g /= n
    return float(loss), {"w": x.T @ g, "b": g.sum(axis=0)}, logits


def tiny_data(n=12, dtype=np.float64):
    rng = np.random.default_rng(0)
    images = rng.random((n, 1, 3, 3)).astype(dtype)
    labels = (images[:, 0, 0, 0] > 0.5).astype(np.int64)
    return images, labels


def tiny_params(dtype=np.float64):
    return {"w": np.zeros((9, 2), dtype=dtype), "b": np.zeros(2, dtype=dtype)}


def trainer(**changes):
    images, labels = tiny_data()
    arguments = {"params": tiny_params(), "loss_fn": linear_loss,
                 "optimizer": train.SGD(lr=0.1), "train_images": images,
                 "train_labels": labels, "test_images": images, "test_labels": labels,
                 "batch_size": 4}
    arguments.update(changes)
    return train.Trainer(**arguments)


def sgd_update(params=None, grads=None, optimizer=None):
    optimizer = optimizer or train.SGD(lr=0.1)
    params = {"w": np.zeros(3)} if params is None else params
    optimizer.update(params, grads)


def _read_only(array):
    array.flags.writeable = False
    return array


def adam_update(params=None, grads=None):
    sgd_update(params, grads, train.Adam(lr=0.1))



# ---------------------------------------------------------------------------------------------
# Bad input: (what, call, error type, word the message must contain); the table's
# machinery is tests/bad_inputs.py
# ---------------------------------------------------------------------------------------------

BAD_ROWS = [
    ("SGD lr str", lambda: train.SGD(lr="0.1"), TypeError, "lr"),
    ("SGD lr bool", lambda: train.SGD(lr=True), TypeError, "lr"),
    ("SGD lr 0", lambda: train.SGD(lr=0), ValueError, "lr"),
    ("SGD lr -1", lambda: train.SGD(lr=-1), ValueError, "lr"),
    ("SGD lr nan", lambda: train.SGD(lr=NAN), ValueError, "lr"),
    ("SGD lr inf", lambda: train.SGD(lr=INF), ValueError, "lr"),
    ("SGD momentum 1", lambda: train.SGD(momentum=1), ValueError, "momentum"),
    ("SGD momentum -0.1", lambda: train.SGD(momentum=-0.1), ValueError, "momentum"),
    ("SGD momentum nan", lambda: train.SGD(momentum=NAN), ValueError, "momentum"),
    ("SGD momentum str", lambda: train.SGD(momentum="0.9"), TypeError, "momentum"),
    ("SGD momentum None", lambda: train.SGD(momentum=None), TypeError, "momentum"),
    ("SGD.update params list", lambda: sgd_update([np.zeros(3)], {"w": np.ones(3)}),
     TypeError, "params"),
    ("SGD.update grads None", lambda: sgd_update(None, None), TypeError, "grads"),
    ("SGD.update grad None", lambda: sgd_update(None, {"w": None}), TypeError, "grads['w']"),
    ("SGD.update grad broadcast", lambda: sgd_update(None, {"w": np.ones(1)}), ValueError,
     "grads['w']"),
    ("SGD.update unknown key", lambda: sgd_update(None, {"v": np.ones(3)}), ValueError, "'v'"),
    ("SGD.update grad nan", lambda: sgd_update(None, {"w": np.full(3, NAN)}), ValueError,
     "grads['w']"),
    ("SGD.update grad str", lambda: sgd_update(None, {"w": "abc"}), TypeError, "grads['w']"),
    ("SGD.update grad complex", lambda: sgd_update(None, {"w": np.ones(3) * 1j}), TypeError,
     "grads['w']"),
    ("SGD.update int param", lambda: sgd_update({"w": np.zeros(3, int)}, {"w": np.ones(3)}),
     TypeError, "params['w']"),
    ("SGD.update list param", lambda: sgd_update({"w": [0.0, 0.0, 0.0]}, {"w": np.ones(3)}),
     TypeError, "params['w']"),
    ("SGD.update nan param", lambda: sgd_update({"w": np.full(3, NAN)}, {"w": np.ones(3)}),
     ValueError, "params['w']"),
    ("SGD.update read-only param", lambda: sgd_update({"w": _read_only(np.zeros(3))},
                                                      {"w": np.ones(3)}),
     ValueError, "params['w']"),
    ("SGD.update overflow", lambda: train.SGD(lr=1e300, momentum=0).update(
        {"w": np.ones(3)}, {"w": np.full(3, 1e300)}), ValueError, "lr"),
    ("Adam eps 0", lambda: train.Adam(eps=0), ValueError, "eps"),
    ("Adam eps -1", lambda: train.Adam(eps=-1), ValueError, "eps"),
    ("Adam eps nan", lambda: train.Adam(eps=NAN), ValueError, "eps"),
    ("Adam eps str", lambda: train.Adam(eps="1e-8"), TypeError, "eps"),
    ("Adam beta1 1", lambda: train.Adam(beta1=1), ValueError, "beta1"),
    ("Adam beta2 nan", lambda: train.Adam(beta2=NAN), ValueError, "beta2"),
    ("Adam beta1 str", lambda: train.Adam(beta1="0.9"), TypeError, "beta1"),
    ("Adam lr 0", lambda: train.Adam(lr=0), ValueError, "lr"),
    ("Adam.update grad None", lambda: adam_update(None, {"w": None}), TypeError, "grads['w']"),
    ("Adam.update grad broadcast", lambda: adam_update(None, {"w": np.ones(1)}), ValueError,
     "grads['w']"),
    ("Adam.update unknown key", lambda: adam_update(None, {"v": np.ones(3)}), ValueError, "'v'"),
    ("Adam.update grad nan", lambda: adam_update(None, {"w": np.full(3, NAN)}), ValueError,
     "grads['w']"),
    ("Adam.update int param", lambda: adam_update({"w": np.zeros(3, int)}, {"w": np.ones(3)}),
     TypeError, "params['w']"),
    ("Adam.update grads list", lambda: adam_update(None, [np.ones(3)]), TypeError, "grads"),
    ("Trainer params list", lambda: trainer(params=[np.zeros(3)]), TypeError, "params"),
    ("Trainer params empty", lambda: trainer(params={}), ValueError, "params"),
    ("Trainer params int", lambda: trainer(params={"w": np.zeros((9, 2), int),
                                                   "b": np.zeros(2)}), TypeError, "params['w']"),
    ("Trainer loss_fn", lambda: trainer(loss_fn=3), TypeError, "loss_fn"),
    ("Trainer optimizer", lambda: trainer(optimizer="sgd"), TypeError, "optimizer"),
    ("Trainer train_images nan", lambda: trainer(train_images=np.full((12, 1, 3, 3), NAN)),
     ValueError, "train_images"),
    ("Trainer train_images str", lambda: trainer(train_images="images"), TypeError,
     "train_images"),
    ("Trainer train_labels short", lambda: trainer(train_labels=np.zeros(3, int)), ValueError,
     "train_labels"),
    ("Trainer train_labels 2-D", lambda: trainer(train_labels=np.zeros((12, 1), int)),
     ValueError, "train_labels"),
    ("Trainer train_labels nan", lambda: trainer(train_labels=np.full(12, NAN)), ValueError,
     "train_labels"),
    ("Trainer train_labels str", lambda: trainer(train_labels=np.array(["a"] * 12)), TypeError,
     "train_labels"),
    ("Trainer test_images without labels", lambda: trainer(test_labels=None), ValueError,
     "test_labels"),
    ("Trainer test_labels without images", lambda: trainer(test_images=None), ValueError,
     "test_images"),
    ("Trainer test_labels short", lambda: trainer(test_labels=np.zeros(3, int)), ValueError,
     "test_labels"),
    ("Trainer test_images nan", lambda: trainer(test_images=np.full((12, 1, 3, 3), NAN)),
     ValueError, "test_images"),
    ("Trainer test_images other shape", lambda: trainer(test_images=np.zeros((12, 1, 4, 4))),
     ValueError, "test_images"),
    ("Trainer batch_size 0", lambda: trainer(batch_size=0), ValueError, "batch_size"),
    ("Trainer batch_size 2.5", lambda: trainer(batch_size=2.5), TypeError, "batch_size"),
    ("Trainer batch_size str", lambda: trainer(batch_size="8"), TypeError, "batch_size"),
    ("Trainer seed str", lambda: trainer(seed="a"), TypeError, "seed"),
    ("Trainer seed -1", lambda: trainer(seed=-1), TypeError, "seed"),
    ("Trainer settings str", lambda: trainer(settings="yes"), TypeError, "settings"),
    ("step 0", lambda: trainer().step(0), ValueError, "num_steps"),
    ("step -1", lambda: trainer().step(-1), ValueError, "num_steps"),
    ("step 1.5", lambda: trainer().step(1.5), TypeError, "num_steps"),
    ("step str", lambda: trainer().step("2"), TypeError, "num_steps"),
    ("step bool", lambda: trainer().step(True), TypeError, "num_steps"),
    ("step None", lambda: trainer().step(None), TypeError, "num_steps"),
    ("evaluate batch_size -1", lambda: trainer().evaluate(batch_size=-1), ValueError,
     "batch_size"),
    ("evaluate batch_size 0", lambda: trainer().evaluate(batch_size=0), ValueError,
     "batch_size"),
    ("evaluate batch_size str", lambda: trainer().evaluate(batch_size="a"), TypeError,
     "batch_size"),
    ("evaluate images without labels", lambda: trainer().evaluate(tiny_data()[0]), ValueError,
     "labels"),
    ("evaluate labels short", lambda: trainer().evaluate(tiny_data()[0], np.zeros(3, int)),
     ValueError, "labels"),
    ("evaluate images nan", lambda: trainer().evaluate(np.full((12, 1, 3, 3), NAN),
                                                       tiny_data()[1]), ValueError, "images"),
    ("evaluate no test data", lambda: trainer(test_images=None, test_labels=None).evaluate(),
     ValueError, "images"),
    ("run epochs 0", lambda: trainer().run(epochs=0, progress=False), ValueError, "epochs"),
    ("run epochs -1", lambda: trainer().run(epochs=-1, progress=False), ValueError, "epochs"),
    ("run epochs str", lambda: trainer().run(epochs="1", progress=False), TypeError, "epochs"),
    ("run max_steps 0", lambda: trainer().run(max_steps=0, progress=False), ValueError,
     "max_steps"),
    ("run max_steps 1.5", lambda: trainer().run(max_steps=1.5, progress=False), TypeError,
     "max_steps"),
    ("run progress str", lambda: trainer().run(progress="no"), TypeError, "progress"),
    ("run board str", lambda: trainer().run(progress=False, board="board"), TypeError, "board"),
    ("run board_every 0", lambda: trainer().run(progress=False, board_every=0), ValueError,
     "board_every"),
    ("loss_fn returns two values", lambda: trainer(
        loss_fn=lambda p, x, y: linear_loss(p, x, y)[:2]).step(), TypeError, "loss_fn"),
    ("loss_fn returns a str loss", lambda: trainer(
        loss_fn=lambda p, x, y: ("0.5",) + linear_loss(p, x, y)[1:]).step(), TypeError,
     "loss_fn"),
    ("loss_fn returns a grads list", lambda: trainer(
        loss_fn=lambda p, x, y: (1.0, [np.zeros((9, 2))], linear_loss(p, x, y)[2])).step(),
     TypeError, "loss_fn"),
    ("loss_fn grads misspelt", lambda: trainer(
        loss_fn=lambda p, x, y: (1.0, {"W": np.zeros((9, 2))}, linear_loss(p, x, y)[2])).step(),
     ValueError, "'W'"),
]


@pytest.mark.parametrize(("call", "error", "word"), rows("train", BAD_ROWS))
def test_bad_input_is_refused_with_a_message_naming_it(call, error, word):
    assert_refused(call, error, word)


def test_the_bad_input_table_has_many_rows():
    assert_many_rows("train", BAD_ROWS)


# ---------------------------------------------------------------------------------------------
# Right answers at the edges; inputs never change
# ---------------------------------------------------------------------------------------------

def test_sgd_keeps_float32_parameters_float32():
    params = {"w": np.zeros(3, np.float32)}
    train.SGD(lr=0.5, momentum=0.9).update(params, {"w": np.ones(3)})
    assert params["w"].dtype == np.float32
    adam = {"w": np.zeros(3, np.float32)}
    train.Adam(lr=0.5).update(adam, {"w": np.ones(3)})
    assert adam["w"].dtype == np.float32


def test_trainer_averages_losses_near_the_largest_float64_without_overflow():
    def huge_loss(params, images, labels):
        return 1.5e308, {"w": np.zeros((9, 2))}, np.zeros((len(labels), 2))

    images, labels = tiny_data()
    t = train.Trainer(tiny_params(), huge_loss, train.SGD(lr=0.1), images, labels, images,
                      labels, batch_size=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = t.run(epochs=2, progress=False)
    assert history.train_loss == pytest.approx([1.5e308, 1.5e308])
    assert history.test_loss == pytest.approx([1.5e308, 1.5e308])


def test_trainer_keeps_float32_and_runs_on_it():
    images, labels = tiny_data(dtype=np.float32)
    params = tiny_params(np.float32)
    t = train.Trainer(params, linear_loss, train.SGD(lr=0.1), images, labels, batch_size=4)
    t.step(3)
    assert params["w"].dtype == np.float32 and t.train_images.dtype == np.float32


def test_a_refused_update_changes_nothing():
    for optimizer in (train.SGD(lr=0.1), train.Adam(lr=0.1)):
        params = {"a": np.ones(2), "b": np.ones(3)}
        with pytest.raises(ValueError, match=r"grads\['b'\]"):
            optimizer.update(params, {"a": np.ones(2), "b": np.array([1.0, NAN, 1.0])})
        np.testing.assert_array_equal(params["a"], 1.0)
        np.testing.assert_array_equal(params["b"], 1.0)
        assert not getattr(optimizer, "velocity", None) and not getattr(optimizer, "m", None)


def test_optimizers_change_params_in_place_and_never_the_gradients():
    for optimizer in (train.SGD(lr=0.1, momentum=0.0), train.SGD(lr=0.1), train.Adam(lr=0.1)):
        w = np.ones(3)
        grad = np.array([1.0, -2.0, 3.0])
        params = {"w": w}
        optimizer.update(params, {"w": grad})
        optimizer.update(params, {"w": grad})
        assert params["w"] is w and not np.all(w == 1)
        np.testing.assert_array_equal(grad, [1.0, -2.0, 3.0])
        for state in vars(optimizer).values():
            for array in outputs(state):
                assert not np.shares_memory(array, grad)


def test_trainer_never_changes_the_data_it_trains_on():
    images, labels = tiny_data()
    copies = images.copy(), labels.copy()
    t = train.Trainer(tiny_params(), linear_loss, train.SGD(lr=0.1), images, labels, images,
                      labels, batch_size=5)
    t.run(epochs=2, progress=False)
    t.evaluate()
    np.testing.assert_array_equal(images, copies[0])
    np.testing.assert_array_equal(labels, copies[1])


def test_one_cycle_schedule_rises_then_falls_to_zero():
    lrs = [train.one_cycle_schedule(s, 20, 0.5, warmup=0.25) for s in range(20)]
    assert lrs[0] == pytest.approx(0.05)                       # lr / 10 at the start
    assert lrs[5] == pytest.approx(0.5)                        # the peak after 25 % of the steps
    assert lrs[19] == pytest.approx(0.5 / 15)                  # one step short of zero
    assert all(a < b for a, b in zip(lrs[:5], lrs[1:6], strict=True))
    assert all(a > b for a, b in zip(lrs[5:-1], lrs[6:], strict=True))
    assert train.one_cycle_schedule(0, 4, 1.0, warmup=0.0) == 1.0
    with pytest.raises(ValueError, match="step must satisfy"):
        train.one_cycle_schedule(20, 20, 0.5)
    with pytest.raises(ValueError, match="warmup"):
        train.one_cycle_schedule(0, 20, 0.5, warmup=1.0)
    with pytest.raises(ValueError, match="lr"):
        train.one_cycle_schedule(0, 20, -0.5)


def test_run_sets_the_learning_rate_of_every_step_from_lr_schedule():
    seen = []

    class Recorder(SGD):
        def update(self, params, grads):
            seen.append(self.lr)
            super().update(params, grads)

    images, labels = np.random.default_rng(0).random((8, 1, 8, 8)), np.arange(8) % 2
    params = init_small_cnn(num_filters=1, num_classes=2, image_shape=(8, 8))
    trainer = Trainer(params, small_cnn_loss, Recorder(lr=1.0), images, labels, batch_size=2)
    trainer.run(epochs=2, progress=False, lr_schedule=lambda step: 0.1 * (step + 1))
    assert seen == pytest.approx([0.1 * (s + 1) for s in range(8)])
    with pytest.raises(TypeError, match="lr_schedule"):
        trainer.run(progress=False, lr_schedule=0.1)
    with pytest.raises(ValueError, match="lr"):
        trainer.run(progress=False, lr_schedule=lambda step: 0.0)


def test_evaluate_runs_the_forward_pass_alone_when_the_loss_can():
    """A loss_fn that takes ``backward`` is asked for the forward pass alone in evaluate (the
    training steps still get gradients); one that does not (a learner's own) is called as it
    is; both give the same evaluation."""
    rng = np.random.default_rng(3)
    params = init_small_cnn(num_filters=2, seed=0)
    images, labels = rng.random((30, 1, 28, 28)), rng.integers(0, 10, size=30)
    calls = []

    def with_flag(params, images, labels, backward=True):
        calls.append(backward)
        return small_cnn_loss(params, images, labels, backward=backward)

    def without_flag(params, images, labels):
        calls.append("plain")
        return small_cnn_loss(params, images, labels)

    answers = []
    for loss_fn in (with_flag, without_flag):
        trainer = Trainer({k: v.copy() for k, v in params.items()}, loss_fn, SGD(lr=0.1),
                          images[:20], labels[:20], images[20:], labels[20:], batch_size=10)
        trainer.step(1)
        answers.append(trainer.evaluate(batch_size=4))
    assert calls == [True, False, False, False, "plain", "plain", "plain", "plain"]
    assert answers[0] == pytest.approx(answers[1], rel=1e-12)
    want_loss = small_cnn_loss(trainer.params, images[20:], labels[20:])[0]
    assert answers[1][0] == pytest.approx(want_loss, rel=1e-12)
