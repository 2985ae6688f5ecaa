"""Bad input to the training, data, evaluation, gradient-checking, loss, dense and figure APIs.

One table per module: each row calls a public function or method with one kind of bad input and
names the error type and a word the message must contain (the argument's name).  A row fails if
the call returns (a silently wrong answer), raises another type, or raises a message that does not
name the argument.  After the tables: answers at the edges of float64 (hypothesis), and
mutation/aliasing checks (inputs never change, outputs never share memory with inputs).

The ids start with the module (``train:``, ``data:``...), so
``pytest tests/test_bad_inputs_training.py -q -rf | grep -c train:`` counts one module's failures.
"""

from __future__ import annotations

import gzip
import tempfile
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cnnlab import data, dense, evaluate, gradcheck, losses, plotting, train
from cnnlab.ui import board as board_module

NAN, INF = float("nan"), float("inf")


# ---------------------------------------------------------------------------------------------
# Small fixtures built without the layers under test
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


def axes():
    fig, ax = plt.subplots()
    return ax


def folder_with(files):
    """A fresh folder holding ``files`` (name -> bytes); returns its path."""
    folder = Path(tempfile.mkdtemp(prefix="cnnlab-bad-"))
    for name, payload in files.items():
        (folder / name).write_bytes(payload)
    return folder


def idx_bytes(array, type_code=0x08):
    header = bytes([0, 0, type_code, array.ndim])
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def mnist_arrays(**changes):
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 256, (5, 28, 28)).astype(np.uint8),
              "y_train": np.array([0, 1, 2, 3, 9], dtype=np.uint8),
              "x_test": rng.integers(0, 256, (2, 28, 28)).astype(np.uint8),
              "y_test": np.array([4, 5], dtype=np.uint8)}
    arrays.update(changes)
    return arrays


def npz_path(**changes):
    folder = folder_with({})
    path = folder / "mnist.npz"
    np.savez(path, **mnist_arrays(**changes))
    return path


def raw_file(name, payload):
    return folder_with({name: payload}) / name


def truncated_npz():
    path = npz_path()
    path.write_bytes(path.read_bytes()[:300])
    return path


def pickled_npz():
    folder = folder_with({})
    path = folder / "mnist.npz"
    arrays = mnist_arrays()
    arrays["y_train"] = np.array([0, 1, 2, 3, None], dtype=object)
    np.savez(path, **arrays)
    return path


def idx_folder(swap=False, **changes):
    arrays = {"train_images": np.zeros((5, 28, 28), np.uint8),
              "train_labels": np.array([0, 1, 2, 3, 4], np.uint8),
              "test_images": np.zeros((2, 28, 28), np.uint8),
              "test_labels": np.array([1, 2], np.uint8)}
    arrays.update(changes)
    files = {}
    for key, (name, _) in data.MNIST_FILES.items():
        source = key
        if swap and key.startswith("train"):
            source = "train_labels" if key == "train_images" else "train_images"
        files[name] = gzip.compress(idx_bytes(arrays[source]))
    return folder_with(files)


def history(**changes):
    values = {"step_loss": [2.3, 1.5], "step_accuracy": [0.1, 0.5]}
    values.update(changes)
    return train.History(**values)


P2 = np.array([[0.9, 0.1], [0.3, 0.7]])
L2 = np.array([0, 0])


# ---------------------------------------------------------------------------------------------
# The tables: (module, what, call, error type, word the message must contain)
# ---------------------------------------------------------------------------------------------

TRAIN = [
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

EVALUATE = [
    ("accuracy nan logits", lambda: evaluate.accuracy([[NAN, 0.0], [1.0, 0.0]], [0, 1]),
     ValueError, "predictions"),
    ("accuracy bool", lambda: evaluate.accuracy(np.array([True, False]), [0, 1]), TypeError,
     "predictions"),
    ("accuracy complex", lambda: evaluate.accuracy(np.array([[1j, 0], [0, 1]]), [0, 1]),
     TypeError, "predictions"),
    ("accuracy strings", lambda: evaluate.accuracy(np.array(["a", "b"]), [0, 1]), TypeError,
     "predictions"),
    ("accuracy 3-D", lambda: evaluate.accuracy(np.zeros((2, 2, 2)), [0, 1]), ValueError,
     "predictions"),
    ("accuracy empty", lambda: evaluate.accuracy(np.zeros((0, 2)), []), ValueError,
     "predictions"),
    ("accuracy negative classes", lambda: evaluate.accuracy([-1, 2], [0, 1]), ValueError,
     "predictions"),
    ("accuracy labels short", lambda: evaluate.accuracy(P2, [0]), ValueError, "labels"),
    ("accuracy labels out of range", lambda: evaluate.accuracy(P2, [0, 5]), ValueError,
     "labels"),
    ("accuracy labels negative", lambda: evaluate.accuracy(P2, [0, -1]), ValueError, "labels"),
    ("accuracy labels 0.5", lambda: evaluate.accuracy(P2, [0, 0.5]), TypeError, "labels"),
    ("accuracy labels 2-D", lambda: evaluate.accuracy(P2, [[0], [1]]), ValueError, "labels"),
    ("accuracy binary labels 2", lambda: evaluate.accuracy([0.5, -1.0], [0, 2]), ValueError,
     "labels"),
    ("confusion labels 12", lambda: evaluate.confusion_matrix([12, 0], [1, 0]), ValueError,
     "labels"),
    ("confusion K != num_classes", lambda: evaluate.confusion_matrix([0, 1], np.ones((2, 3))),
     ValueError, "predictions"),
    ("confusion num_classes 0", lambda: evaluate.confusion_matrix([0], [0], num_classes=0),
     ValueError, "num_classes"),
    ("confusion num_classes 2.0", lambda: evaluate.confusion_matrix([0], [0], num_classes=2.0),
     TypeError, "num_classes"),
    ("confusion num_classes bool", lambda: evaluate.confusion_matrix([0], [0], num_classes=True),
     TypeError, "num_classes"),
    ("confusion predictions nan", lambda: evaluate.confusion_matrix([0, 1], [[NAN, 1], [0, 1]],
                                                                    num_classes=2),
     ValueError, "predictions"),
    ("confusion length", lambda: evaluate.confusion_matrix([0, 1, 1], [0, 1]), ValueError,
     "labels"),
    ("confusion predictions 12", lambda: evaluate.confusion_matrix([0, 1], [0, 12]), ValueError,
     "predictions"),
    ("per_class non-square", lambda: evaluate.per_class_accuracy(np.ones((2, 3))), ValueError,
     "matrix"),
    ("per_class negative", lambda: evaluate.per_class_accuracy([[1, -1], [0, 1]]), ValueError,
     "matrix"),
    ("per_class fractional", lambda: evaluate.per_class_accuracy([[0.5, 1], [0, 1]]),
     ValueError, "matrix"),
    ("per_class nan", lambda: evaluate.per_class_accuracy([[NAN, 1], [0, 1]]), ValueError,
     "matrix"),
    ("per_class str", lambda: evaluate.per_class_accuracy("matrix"), TypeError, "matrix"),
    ("per_class 1-D", lambda: evaluate.per_class_accuracy([1, 2]), ValueError, "matrix"),
    ("per_class bool", lambda: evaluate.per_class_accuracy(np.eye(2, dtype=bool)), TypeError,
     "matrix"),
    ("mistakes k 0", lambda: evaluate.most_confident_mistakes(P2, L2, k=0), ValueError, "k"),
    ("mistakes k str", lambda: evaluate.most_confident_mistakes(P2, L2, k="2"), TypeError, "k"),
    ("mistakes k bool", lambda: evaluate.most_confident_mistakes(P2, L2, k=True), TypeError,
     "k"),
    ("mistakes nan", lambda: evaluate.most_confident_mistakes([[NAN, 1], [0, 1]], L2),
     ValueError, "probabilities"),
    ("mistakes 1-D", lambda: evaluate.most_confident_mistakes([0.5, 0.5], L2), ValueError,
     "probabilities"),
    ("mistakes labels range", lambda: evaluate.most_confident_mistakes(P2, [0, 2]), ValueError,
     "labels"),
    ("mistakes labels short", lambda: evaluate.most_confident_mistakes(P2, [0]), ValueError,
     "labels"),
    ("mistakes logits not probabilities", lambda: evaluate.most_confident_mistakes(
        [[3.0, -2.0], [0.5, 4.0]], L2), ValueError, "probabilities"),
    ("plot_confusion ax", lambda: evaluate.plot_confusion_matrix("ax", np.eye(2)), TypeError,
     "ax"),
    ("plot_confusion non-square", lambda: evaluate.plot_confusion_matrix(axes(), np.ones((2, 3))),
     ValueError, "matrix"),
    ("plot_confusion names count", lambda: evaluate.plot_confusion_matrix(
        axes(), np.eye(2), class_names=["a"]), ValueError, "class_names"),
    ("plot_confusion names str", lambda: evaluate.plot_confusion_matrix(
        axes(), np.eye(2), class_names="ab"), TypeError, "class_names"),
    ("plot_confusion negative", lambda: evaluate.plot_confusion_matrix(axes(), -np.eye(2)),
     ValueError, "matrix"),
    ("plot_confusion nan", lambda: evaluate.plot_confusion_matrix(axes(), [[NAN, 0], [0, 1]]),
     ValueError, "matrix"),
    ("plot_probabilities ax", lambda: evaluate.plot_probabilities(None, [0.5, 0.5]), TypeError,
     "ax"),
    ("plot_probabilities label 5", lambda: evaluate.plot_probabilities(axes(), [0.5, 0.5], 5),
     ValueError, "label"),
    ("plot_probabilities label -1", lambda: evaluate.plot_probabilities(axes(), [0.5, 0.5], -1),
     ValueError, "label"),
    ("plot_probabilities label str", lambda: evaluate.plot_probabilities(axes(), [0.5, 0.5],
                                                                         "1"),
     TypeError, "label"),
    ("plot_probabilities 2-D", lambda: evaluate.plot_probabilities(axes(), P2), ValueError,
     "probabilities"),
    ("plot_probabilities > 1", lambda: evaluate.plot_probabilities(axes(), [3.0, -2.0]),
     ValueError, "probabilities"),
    ("plot_probabilities nan", lambda: evaluate.plot_probabilities(axes(), [NAN, 1.0]),
     ValueError, "probabilities"),
    ("show_mistakes index range", lambda: evaluate.show_mistakes(np.zeros((2, 4, 4)), P2, L2,
                                                                 [5]),
     ValueError, "indices"),
    ("show_mistakes index str", lambda: evaluate.show_mistakes(np.zeros((2, 4, 4)), P2, L2,
                                                               ["a"]),
     TypeError, "indices"),
    ("show_mistakes index -1", lambda: evaluate.show_mistakes(np.zeros((2, 4, 4)), P2, L2, [-1]),
     ValueError, "indices"),
    ("show_mistakes images count", lambda: evaluate.show_mistakes(np.zeros((3, 4, 4)), P2, L2,
                                                                  [0]),
     ValueError, "images"),
    ("show_mistakes labels count", lambda: evaluate.show_mistakes(np.zeros((2, 4, 4)), P2, [0],
                                                                  [0]),
     ValueError, "labels"),
    ("show_mistakes images 2-D", lambda: evaluate.show_mistakes(np.zeros((4, 4)), P2, L2, [0]),
     ValueError, "images"),
    ("show_mistakes ncols 0", lambda: evaluate.show_mistakes(np.zeros((2, 4, 4)), P2, L2, [0],
                                                             ncols=0),
     ValueError, "ncols"),
    ("show_mistakes no indices", lambda: evaluate.show_mistakes(np.zeros((2, 4, 4)), P2, L2, []),
     ValueError, "indices"),
    ("show_mistakes images nan", lambda: evaluate.show_mistakes(np.full((2, 4, 4), NAN), P2, L2,
                                                                [0]),
     ValueError, "images"),
    ("show_mistakes 3 channels", lambda: evaluate.show_mistakes(np.zeros((2, 3, 4, 4)), P2, L2,
                                                                [0]),
     ValueError, "images"),
]

DATA = [
    ("prepare float in [0, 1]", lambda: data.prepare_images(np.full((2, 4, 4), 0.5)),
     ValueError, "images"),
    ("prepare 300", lambda: data.prepare_images(np.full((1, 2, 2), 300)), ValueError, "images"),
    ("prepare -1", lambda: data.prepare_images(np.full((1, 2, 2), -1)), ValueError, "images"),
    ("prepare scale inf", lambda: data.prepare_images(np.zeros((1, 2, 2)), scale=INF),
     ValueError, "scale"),
    ("prepare scale True", lambda: data.prepare_images(np.zeros((1, 2, 2)), scale=True),
     TypeError, "scale"),
    ("prepare scale str", lambda: data.prepare_images(np.zeros((1, 2, 2)), scale="255"),
     TypeError, "scale"),
    ("prepare scale 0", lambda: data.prepare_images(np.zeros((1, 2, 2)), scale=0), ValueError,
     "scale"),
    ("prepare scale nan", lambda: data.prepare_images(np.zeros((1, 2, 2)), scale=NAN),
     ValueError, "scale"),
    ("prepare 4-D", lambda: data.prepare_images(np.zeros((1, 1, 2, 2))), ValueError, "images"),
    ("prepare complex", lambda: data.prepare_images(np.zeros((1, 2, 2), complex)), TypeError,
     "images"),
    ("prepare empty", lambda: data.prepare_images(np.zeros((0, 2, 2))), ValueError, "images"),
    ("prepare nan", lambda: data.prepare_images(np.full((1, 2, 2), NAN)), ValueError, "images"),
    ("parse_idx int", lambda: data.parse_idx(3), TypeError, "source"),
    ("parse_idx list", lambda: data.parse_idx([0, 0, 8, 1]), TypeError, "source"),
    ("parse_idx empty", lambda: data.parse_idx(b""), ValueError, "IDX"),
    ("parse_idx garbage", lambda: data.parse_idx(b"hello world, not an IDX file"), ValueError,
     "IDX"),
    ("parse_idx truncated", lambda: data.parse_idx(idx_bytes(np.zeros((3, 4)))[:-2]),
     ValueError, "truncated"),
    ("parse_idx garbage path", lambda: data.parse_idx(raw_file("labels.gz", b"\x1f\x8bjunk")),
     ValueError, "labels.gz"),
    ("parse_idx empty path", lambda: data.parse_idx(raw_file("images-idx", b"")), ValueError,
     "images-idx"),
    ("load path int", lambda: data.load_mnist(path=3), TypeError, "path"),
    ("load path .txt", lambda: data.load_mnist(path=raw_file("mnist.txt", b"1 2 3")),
     ValueError, "path"),
    ("load npz garbage", lambda: data.load_mnist(path=raw_file("mnist.npz", b"garbage" * 20)),
     ValueError, "mnist.npz"),
    ("load npz empty", lambda: data.load_mnist(path=raw_file("mnist.npz", b"")), ValueError,
     "mnist.npz"),
    ("load npz truncated", lambda: data.load_mnist(path=truncated_npz()), ValueError,
     "mnist.npz"),
    ("load npz pickled", lambda: data.load_mnist(path=pickled_npz()), ValueError, "mnist.npz"),
    ("load npz float images in [0, 1]", lambda: data.load_mnist(
        path=npz_path(x_train=np.full((5, 28, 28), 0.5))), ValueError, "x_train"),
    ("load npz pixel 300", lambda: data.load_mnist(
        path=npz_path(x_test=np.full((2, 28, 28), 300))), ValueError, "x_test"),
    ("load npz pixel -1", lambda: data.load_mnist(
        path=npz_path(x_test=np.full((2, 28, 28), -1))), ValueError, "x_test"),
    ("load npz label 12", lambda: data.load_mnist(path=npz_path(y_train=np.array([0, 1, 2, 3,
                                                                                  12]))),
     ValueError, "y_train"),
    ("load npz label -3", lambda: data.load_mnist(path=npz_path(y_test=np.array([-3, 1]))),
     ValueError, "y_test"),
    ("load npz 5 images 3 labels", lambda: data.load_mnist(path=npz_path(y_train=np.arange(3))),
     ValueError, "y_train"),
    ("load npz missing keys", lambda: data.load_mnist(path=_npz_without_keys()),
     ValueError, "x_train"),
    ("load npz images 2-D", lambda: data.load_mnist(path=npz_path(x_train=np.zeros((5, 784),
                                                                                   np.uint8))),
     ValueError, "x_train"),
    ("load idx swapped", lambda: data.load_mnist(path=idx_folder(swap=True)), ValueError,
     "train-images"),
    ("load idx label 12", lambda: data.load_mnist(path=idx_folder(
        test_labels=np.array([12, 1], np.uint8))), ValueError, "t10k-labels"),
    ("load idx count mismatch", lambda: data.load_mnist(path=idx_folder(
        train_labels=np.array([1, 2, 3], np.uint8))), ValueError, "train-labels"),
    ("load cache_dir int", lambda: data.load_mnist(cache_dir=3), TypeError, "cache_dir"),
    ("load download str", lambda: data.load_mnist(cache_dir=folder_with({}), download="yes"),
     TypeError, "download"),
    ("load progress str", lambda: data.load_mnist(cache_dir=folder_with({}), progress="no"),
     TypeError, "progress"),
    ("load cache_dir is a file", lambda: data.load_mnist(cache_dir=raw_file("x", b"x"),
                                                         download=False),
     NotADirectoryError, "cache_dir="),
    ("two_digit positive 3.0", lambda: data.two_digit_task(positive=3.0), TypeError, "positive"),
    ("two_digit positive 12", lambda: data.two_digit_task(positive=12), ValueError, "positive"),
    ("two_digit positive -1", lambda: data.two_digit_task(positive=-1), ValueError, "positive"),
    ("two_digit positive bool", lambda: data.two_digit_task(positive=True), TypeError,
     "positive"),
    ("two_digit same digits", lambda: data.two_digit_task(positive=3, negative=3), ValueError,
     "negative"),
    ("two_digit data str", lambda: data.two_digit_task(data="mnist"), TypeError, "data"),
    ("two_digit n_train 0", lambda: data.two_digit_task(n_train=0), ValueError, "n_train"),
    ("two_digit n_test str", lambda: data.two_digit_task(n_test="5"), TypeError, "n_test"),
    ("minibatches batch_size 0", lambda: list(data.iterate_minibatches(np.zeros((4, 2)),
                                                                       np.zeros(4), 0)),
     ValueError, "batch_size"),
    ("minibatches batch_size 2.5", lambda: list(data.iterate_minibatches(np.zeros((4, 2)),
                                                                         np.zeros(4), 2.5)),
     TypeError, "batch_size"),
    ("minibatches length", lambda: list(data.iterate_minibatches(np.zeros((4, 2)), np.zeros(3),
                                                                 2)),
     ValueError, "labels"),
    ("minibatches rng str", lambda: list(data.iterate_minibatches(np.zeros((4, 2)), np.zeros(4),
                                                                  2, rng="a")),
     TypeError, "rng"),
    ("minibatches shuffle str", lambda: list(data.iterate_minibatches(
        np.zeros((4, 2)), np.zeros(4), 2, shuffle="yes")), TypeError, "shuffle"),
    ("minibatches drop_last str", lambda: list(data.iterate_minibatches(
        np.zeros((4, 2)), np.zeros(4), 2, drop_last="no")), TypeError, "drop_last"),
    ("minibatches images 0-D", lambda: list(data.iterate_minibatches(np.float64(1), np.zeros(1),
                                                                     1)),
     ValueError, "images"),
    ("minibatches labels 2-D", lambda: list(data.iterate_minibatches(np.zeros((4, 2)),
                                                                     np.zeros((4, 1)), 2)),
     ValueError, "labels"),
    ("minibatches images nan", lambda: list(data.iterate_minibatches(np.full((4, 2), NAN),
                                                                     np.zeros(4), 2)),
     ValueError, "images"),
    ("minibatches labels nan", lambda: list(data.iterate_minibatches(np.zeros((4, 2)),
                                                                     np.full(4, NAN), 2)),
     ValueError, "labels"),
]


def _npz_without_keys():
    folder = folder_with({})
    path = folder / "other.npz"
    np.savez(path, a=np.zeros(3))
    return path


def check_sum(function, **inputs):
    return gradcheck.check_gradient(function, inputs, {"x": np.ones(2)})


GRADCHECK = [
    ("rel_error eps 0", lambda: gradcheck.rel_error(0.0, 0.0, eps=0), ValueError, "eps"),
    ("rel_error eps -1", lambda: gradcheck.rel_error(1.0, 2.0, eps=-1), ValueError, "eps"),
    ("rel_error eps nan", lambda: gradcheck.rel_error(1.0, 2.0, eps=NAN), ValueError, "eps"),
    ("rel_error eps str", lambda: gradcheck.rel_error(1.0, 2.0, eps="1e-8"), TypeError, "eps"),
    ("rel_error a nan", lambda: gradcheck.rel_error([NAN], [1.0]), ValueError, "a"),
    ("rel_error shapes", lambda: gradcheck.rel_error(np.ones(2), np.ones(3)), ValueError, "b"),
    ("rel_error a str", lambda: gradcheck.rel_error("abc", [1.0]), TypeError, "a"),
    ("rel_error b complex", lambda: gradcheck.rel_error([1.0], [1j]), TypeError, "b"),
    ("numgrad function", lambda: gradcheck.numerical_gradient(3, np.ones(2)), TypeError,
     "function"),
    ("numgrad h 0", lambda: gradcheck.numerical_gradient(np.sum, np.ones(2), h=0), ValueError,
     "h"),
    ("numgrad h nan", lambda: gradcheck.numerical_gradient(np.sum, np.ones(2), h=NAN),
     ValueError, "h"),
    ("numgrad h str", lambda: gradcheck.numerical_gradient(np.sum, np.ones(2), h="1e-6"),
     TypeError, "h"),
    ("numgrad h bool", lambda: gradcheck.numerical_gradient(np.sum, np.ones(2), h=True),
     TypeError, "h"),
    ("numgrad x nan", lambda: gradcheck.numerical_gradient(np.sum, [NAN]), ValueError, "x"),
    ("numgrad x empty", lambda: gradcheck.numerical_gradient(np.sum, np.ones(0)), ValueError,
     "x"),
    ("numgrad grad_output shape", lambda: gradcheck.numerical_gradient(lambda v: v * 2,
                                                                       np.ones(2), np.ones(3)),
     ValueError, "grad_output"),
    ("numgrad array without grad_output", lambda: gradcheck.numerical_gradient(lambda v: v * 2,
                                                                               np.ones(2)),
     ValueError, "grad_output"),
    ("numgrad function nan", lambda: gradcheck.numerical_gradient(lambda v: np.nan * v.sum(),
                                                                  np.ones(2)),
     ValueError, "function"),
    ("numgrad x at 1e300", lambda: gradcheck.numerical_gradient(np.sum, np.full(2, 1e300)),
     ValueError, "h"),
    ("check tolerance -1", lambda: gradcheck.check_gradient(np.sum, {"x": np.ones(2)},
                                                            {"x": np.ones(2)}, tolerance=-1),
     ValueError, "tolerance"),
    ("check tolerance nan", lambda: gradcheck.check_gradient(np.sum, {"x": np.ones(2)},
                                                             {"x": np.ones(2)}, tolerance=NAN),
     ValueError, "tolerance"),
    ("check tolerance str", lambda: gradcheck.check_gradient(np.sum, {"x": np.ones(2)},
                                                             {"x": np.ones(2)}, tolerance="1e-6"),
     TypeError, "tolerance"),
    ("check tolerance bool", lambda: gradcheck.check_gradient(np.sum, {"x": np.ones(2)},
                                                              {"x": np.ones(2)}, tolerance=True),
     TypeError, "tolerance"),
    ("check inputs list", lambda: gradcheck.check_gradient(np.sum, [np.ones(2)],
                                                           {"x": np.ones(2)}),
     TypeError, "inputs"),
    ("check analytic unknown", lambda: gradcheck.check_gradient(np.sum, {"x": np.ones(2)},
                                                                {"y": np.ones(2)}),
     ValueError, "analytic"),
    ("check analytic shape", lambda: gradcheck.check_gradient(np.sum, {"x": np.ones(2)},
                                                              {"x": np.ones(3)}),
     ValueError, "analytic"),
    ("check analytic nan", lambda: gradcheck.check_gradient(np.sum, {"x": np.ones(2)},
                                                            {"x": [NAN, 1.0]}),
     ValueError, "analytic"),
    ("check h 0", lambda: gradcheck.check_gradient(np.sum, {"x": np.ones(2)}, {"x": np.ones(2)},
                                                   h=0),
     ValueError, "h"),
    ("check function", lambda: gradcheck.check_gradient("f", {"x": np.ones(2)},
                                                        {"x": np.ones(2)}),
     TypeError, "function"),
]

LOSSES = [
    ("squared shapes", lambda: losses.squared_error(np.ones(2), np.ones(3)), ValueError, "y"),
    ("squared nan", lambda: losses.squared_error([NAN], [1.0]), ValueError, "y_hat"),
    ("squared y str", lambda: losses.squared_error([1.0], "a"), TypeError, "y"),
    ("squared bool", lambda: losses.squared_error(np.array([True]), [1.0]), TypeError, "y_hat"),
    ("squared empty", lambda: losses.squared_error(np.ones(0), np.ones(0)), ValueError,
     "y_hat"),
    ("squared complex", lambda: losses.squared_error([1j], [1.0]), TypeError, "y_hat"),
    ("squared overflows float64", lambda: losses.squared_error([1e300], [-1e300]), ValueError,
     "y_hat"),
    ("squared diff overflows", lambda: losses.squared_error([1.7e308], [-1.7e308]), ValueError,
     "y_hat"),
    ("bce shapes", lambda: losses.binary_cross_entropy_with_logits(np.ones(2), np.ones(3)),
     ValueError, "y"),
    ("bce y 2", lambda: losses.binary_cross_entropy_with_logits([0.0], [2.0]), ValueError, "y"),
    ("bce nan", lambda: losses.binary_cross_entropy_with_logits([NAN], [1.0]), ValueError,
     "logits"),
    ("bce y str", lambda: losses.binary_cross_entropy_with_logits([0.0], "1"), TypeError, "y"),
    ("bce bool logits", lambda: losses.binary_cross_entropy_with_logits(np.array([True]), [1.0]),
     TypeError, "logits"),
    ("bce empty", lambda: losses.binary_cross_entropy_with_logits(np.ones(0), np.ones(0)),
     ValueError, "logits"),
    ("softmax labels range", lambda: losses.softmax_cross_entropy(np.zeros((2, 3)), [0, 3]),
     ValueError, "labels"),
    ("softmax labels length", lambda: losses.softmax_cross_entropy(np.zeros((2, 3)), [0]),
     ValueError, "labels"),
    ("softmax 1-D", lambda: losses.softmax_cross_entropy(np.zeros(3), [0]), ValueError,
     "logits"),
    ("softmax nan", lambda: losses.softmax_cross_entropy([[NAN, 0.0]], [0]), ValueError,
     "logits"),
    ("softmax labels 0.5", lambda: losses.softmax_cross_entropy(np.zeros((1, 2)), [0.5]),
     TypeError, "labels"),
    ("softmax bool", lambda: losses.softmax_cross_entropy(np.ones((1, 2), bool), [0]),
     TypeError, "logits"),
    ("softmax empty", lambda: losses.softmax_cross_entropy(np.zeros((0, 2)), []), ValueError,
     "logits"),
]


def dense_cache():
    return dense.dense_forward(np.ones((2, 3)), np.ones((3, 2)), np.ones(2))[1]


def flatten_cache():
    return dense.flatten_forward(np.ones((2, 3, 2)))[1]


DENSE = [
    ("dense x 1-D", lambda: dense.dense_forward(np.ones(3), np.ones((3, 2)), np.ones(2)),
     ValueError, "x"),
    ("dense weight rows", lambda: dense.dense_forward(np.ones((2, 3)), np.ones((4, 2)),
                                                      np.ones(2)),
     ValueError, "weight"),
    ("dense bias length", lambda: dense.dense_forward(np.ones((2, 3)), np.ones((3, 2)),
                                                      np.ones(3)),
     ValueError, "bias"),
    ("dense x nan", lambda: dense.dense_forward(np.full((2, 3), NAN), np.ones((3, 2)),
                                                np.ones(2)),
     ValueError, "x"),
    ("dense weight bool", lambda: dense.dense_forward(np.ones((2, 3)), np.ones((3, 2), bool),
                                                      np.ones(2)),
     TypeError, "weight"),
    ("dense bias 2-D", lambda: dense.dense_forward(np.ones((2, 3)), np.ones((3, 2)),
                                                   np.ones((1, 2))),
     ValueError, "bias"),
    ("dense x str", lambda: dense.dense_forward("x", np.ones((3, 2)), np.ones(2)), TypeError,
     "x"),
    ("dense x empty", lambda: dense.dense_forward(np.ones((0, 3)), np.ones((3, 2)), np.ones(2)),
     ValueError, "x"),
    ("dense_backward grad shape", lambda: dense.dense_backward(np.ones((2, 3)), dense_cache()),
     ValueError, "grad_out"),
    ("dense_backward flatten cache", lambda: dense.dense_backward(np.ones((2, 2)),
                                                                  flatten_cache()),
     TypeError, "flatten_forward"),
    ("dense_backward tuple cache", lambda: dense.dense_backward(np.ones((2, 2)),
                                                                (np.ones((2, 3)),)),
     TypeError, "cache"),
    ("dense_backward None cache", lambda: dense.dense_backward(np.ones((2, 2)), None), TypeError,
     "cache"),
    ("dense_backward grad nan", lambda: dense.dense_backward(np.full((2, 2), NAN),
                                                             dense_cache()),
     ValueError, "grad_out"),
    ("dense_backward grad 1-D", lambda: dense.dense_backward(np.ones(2), dense_cache()),
     ValueError, "grad_out"),
    ("flatten 1-D", lambda: dense.flatten_forward(np.ones(3)), ValueError, "x"),
    ("flatten nan", lambda: dense.flatten_forward(np.full((2, 2), NAN)), ValueError, "x"),
    ("flatten bool", lambda: dense.flatten_forward(np.ones((2, 2), bool)), TypeError, "x"),
    ("flatten str", lambda: dense.flatten_forward(np.array([["a"]])), TypeError, "x"),
    ("flatten empty", lambda: dense.flatten_forward(np.ones((0, 2))), ValueError, "x"),
    ("flatten complex", lambda: dense.flatten_forward(np.ones((2, 2), complex)), TypeError, "x"),
    ("flatten_backward shape", lambda: dense.flatten_backward(np.ones((2, 5)), flatten_cache()),
     ValueError, "grad_out"),
    ("flatten_backward dense cache", lambda: dense.flatten_backward(np.ones((2, 6)),
                                                                    dense_cache()),
     TypeError, "dense_forward"),
    ("flatten_backward tuple cache", lambda: dense.flatten_backward(np.ones((2, 6)), (2, 3, 2)),
     TypeError, "cache"),
    ("flatten_backward nan", lambda: dense.flatten_backward(np.full((2, 6), NAN),
                                                            flatten_cache()),
     ValueError, "grad_out"),
    ("flatten_backward 3-D", lambda: dense.flatten_backward(np.ones((2, 3, 2)), flatten_cache()),
     ValueError, "grad_out"),
    ("flatten_backward None cache", lambda: dense.flatten_backward(np.ones((2, 6)), None),
     TypeError, "cache"),
]

TB = board_module.TrainingBoard

BOARD = [
    ("board max_kernels 0", lambda: TB(kernel_key="w", max_kernels=0), ValueError,
     "max_kernels"),
    ("board max_kernels str", lambda: TB(kernel_key="w", max_kernels="8"), TypeError,
     "max_kernels"),
    ("board smooth 0", lambda: TB(smooth=0), ValueError, "smooth"),
    ("board smooth 2.5", lambda: TB(smooth=2.5), TypeError, "smooth"),
    ("board smooth bool", lambda: TB(smooth=True), TypeError, "smooth"),
    ("board title int", lambda: TB(title=3), TypeError, "title"),
    ("board kernel_key int", lambda: TB(kernel_key=3), TypeError, "kernel_key"),
    ("update history str", lambda: TB().update("history"), TypeError, "history"),
    ("update params list", lambda: TB(kernel_key="w").update(history(), [np.zeros((2, 2))]),
     TypeError, "params"),
    ("update params missing key", lambda: TB(kernel_key="w").update(history(),
                                                                     {"v": np.zeros((2, 2))}),
     ValueError, "params"),
    ("update kernel 1-D", lambda: TB(kernel_key="w").update(history(), {"w": np.zeros(3)}),
     ValueError, "params['w']"),
    ("update kernel nan", lambda: TB(kernel_key="w").update(history(),
                                                            {"w": np.full((2, 2), NAN)}),
     ValueError, "params['w']"),
    ("update history lengths", lambda: TB().update(history(step_accuracy=[0.1])), ValueError,
     "history"),
]

PLOTTING = [
    ("show_image ax", lambda: plotting.show_image("ax", np.eye(2), "t"), TypeError, "ax"),
    ("show_image 3-D", lambda: plotting.show_image(axes(), np.ones((2, 2, 2)), "t"), ValueError,
     "image"),
    ("show_image title", lambda: plotting.show_image(axes(), np.eye(2), 3), TypeError, "title"),
    ("show_image nan", lambda: plotting.show_image(axes(), [[NAN, 1]], "t"), ValueError,
     "image"),
    ("show_image bool", lambda: plotting.show_image(axes(), np.eye(2, dtype=bool), "t"),
     TypeError, "image"),
    ("show_image colorbar str", lambda: plotting.show_image(axes(), np.eye(2), "t",
                                                            colorbar="yes"),
     TypeError, "colorbar"),
    ("show_image vmin > vmax", lambda: plotting.show_image(axes(), np.eye(2), "t", vmin=2,
                                                           vmax=1),
     ValueError, "vmin"),
    ("show_image vmin nan", lambda: plotting.show_image(axes(), np.eye(2), "t", vmin=NAN),
     ValueError, "vmin"),
    ("show_image fmt int", lambda: plotting.show_image(axes(), np.eye(2), "t", annotate=True,
                                                       fmt=3),
     TypeError, "fmt"),
    ("show_image annotate str", lambda: plotting.show_image(axes(), np.eye(2), "t",
                                                            annotate="no"),
     TypeError, "annotate"),
    ("show_image signed str", lambda: plotting.show_image(axes(), np.eye(2), "t",
                                                          signed="yes"),
     TypeError, "signed"),
    ("annotate ax", lambda: plotting.annotate_values(None, np.eye(2)), TypeError, "ax"),
    ("annotate 1-D", lambda: plotting.annotate_values(axes(), np.ones(3)), ValueError, "array"),
    ("annotate fmt int", lambda: plotting.annotate_values(axes(), np.eye(2), fmt=3), TypeError,
     "fmt"),
    ("annotate fmt bad spec", lambda: plotting.annotate_values(axes(), np.eye(2), fmt="{:q}"),
     ValueError, "fmt"),
    ("annotate fontsize 0", lambda: plotting.annotate_values(axes(), np.eye(2), fontsize=0),
     ValueError, "fontsize"),
    ("annotate fontsize str", lambda: plotting.annotate_values(axes(), np.eye(2),
                                                               fontsize="big"),
     TypeError, "fontsize"),
    ("annotate nan", lambda: plotting.annotate_values(axes(), [[NAN]]), ValueError, "array"),
    ("annotate image str", lambda: plotting.annotate_values(axes(), np.eye(2), image="im"),
     TypeError, "image"),
    ("grid empty", lambda: plotting.image_grid([], []), ValueError, "images"),
    ("grid titles count", lambda: plotting.image_grid([np.eye(2)], ["a", "b"]), ValueError,
     "titles"),
    ("grid ncols 0", lambda: plotting.image_grid([np.eye(2)], ["a"], ncols=0), ValueError,
     "ncols"),
    ("grid ncols 1.5", lambda: plotting.image_grid([np.eye(2)], ["a"], ncols=1.5), TypeError,
     "ncols"),
    ("grid size -1", lambda: plotting.image_grid([np.eye(2)], ["a"], size=-1), ValueError,
     "size"),
    ("grid size nan", lambda: plotting.image_grid([np.eye(2)], ["a"], size=NAN), ValueError,
     "size"),
    ("grid titles str", lambda: plotting.image_grid([np.eye(2)], "a"), TypeError, "titles"),
    ("grid suptitle int", lambda: plotting.image_grid([np.eye(2)], ["a"], suptitle=3), TypeError,
     "suptitle"),
    ("grid image 1-D", lambda: plotting.image_grid([np.ones(3)], ["a"]), ValueError, "images[0]"),
]

TABLES = {"train": TRAIN, "evaluate": EVALUATE, "data": DATA, "gradcheck": GRADCHECK,
          "losses": LOSSES, "dense": DENSE, "board": BOARD, "plotting": PLOTTING}

ROWS = [pytest.param(call, error, word, id=f"{module}:{what}")
        for module, table in TABLES.items() for what, call, error, word in table]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize(("call", "error", "word"), ROWS)
def test_bad_input_is_refused_with_a_message_naming_it(call, error, word):
    with warnings.catch_warnings():
        warnings.simplefilter("error")               # a warning is not an answer either
        with pytest.raises(error) as caught:
            call()
    assert word in str(caught.value), f"the message does not name {word!r}: {caught.value}"


def test_every_table_has_many_rows():
    for module, table in TABLES.items():
        assert len(table) >= 6, module
        assert len({what for what, *_ in table}) == len(table), f"{module}: duplicate names"


# ---------------------------------------------------------------------------------------------
# Right answers at the edges (what must NOT be refused)
# ---------------------------------------------------------------------------------------------

def test_prepare_images_accepts_numpy_scalars_and_keeps_float32():
    images = np.array([[[0, 51], [102, 255]]], dtype=np.uint8)
    out = data.prepare_images(images, scale=np.float32(255))
    np.testing.assert_allclose(out[0, 0], [[0, 0.2], [0.4, 1.0]])
    assert out.dtype == np.float64                          # integers are computed in float64
    out32 = data.prepare_images(images.astype(np.float32), scale=np.int64(255))
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, out, rtol=1e-6)
    unit = data.prepare_images(np.full((1, 2, 2), 0.5), scale=1.0)   # already in [0, 1]
    np.testing.assert_array_equal(unit, 0.5)


def test_binary_accuracy_from_logits_and_one_accuracy_function():
    assert evaluate.accuracy([1.5, -2.0, 0.3], [1, 1, 1.0]) == pytest.approx(2 / 3)
    assert evaluate.accuracy([[2.0, 1.0], [0.0, 3.0]], [0, 0]) == 0.5
    assert evaluate.accuracy([3, 1], [3, 2]) == 0.5
    assert not hasattr(train, "accuracy_of_logits") or (
        train.accuracy_of_logits is evaluate.accuracy)


@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 5)),
                  elements=st.floats(-1.7e308, 1.7e308)))
def test_accuracy_is_the_mean_of_argmax_hits_at_any_scale(logits):
    labels = np.arange(logits.shape[0]) % logits.shape[1]
    expected = np.mean(logits.argmax(axis=1) == labels)
    assert evaluate.accuracy(logits, labels) == expected


@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(2, 4)),
                  elements=st.floats(-1.7976931348623157e308, 1.7976931348623157e308)))
def test_softmax_cross_entropy_never_warns_at_any_finite_scale(logits):
    labels = np.arange(logits.shape[0]) % logits.shape[1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            loss, grad = losses.softmax_cross_entropy(logits, labels)
        except ValueError as error:                 # the loss itself exceeds float64
            assert "float64" in str(error) and "logits" in str(error)
            return
    assert np.isfinite(loss) and loss >= 0 and np.isfinite(grad).all()
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-12)


@given(hnp.arrays(np.float64, st.integers(1, 6),
                  elements=st.floats(-1.7976931348623157e308, 1.7976931348623157e308)),
       st.data())
def test_binary_cross_entropy_is_finite_and_silent_at_any_finite_scale(logits, draw):
    targets = draw.draw(hnp.arrays(np.float64, logits.shape, elements=st.sampled_from([0.0,
                                                                                       1.0])))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grad = losses.binary_cross_entropy_with_logits(logits, targets)
    assert np.isfinite(loss) and loss >= 0 and np.isfinite(grad).all()
    assert np.all(np.abs(grad) <= 1.0 / logits.size)


@given(hnp.arrays(np.float64, st.integers(1, 5),
                  elements=st.floats(-1.7976931348623157e308, 1.7976931348623157e308)))
def test_squared_error_is_right_or_refused_never_a_warning(y_hat):
    y = np.zeros_like(y_hat)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            loss, grad = losses.squared_error(y_hat, y)
        except ValueError as error:
            assert "float64" in str(error) and "y_hat" in str(error)
            return
    assert np.isfinite(loss)
    np.testing.assert_array_equal(grad, y_hat)


def test_numerical_gradient_uses_the_step_it_really_took():
    x = np.array([1e10, -3e10])
    np.testing.assert_allclose(gradcheck.numerical_gradient(np.sum, x, h=1e-3), [1.0, 1.0],
                               rtol=1e-3)


def test_rel_error_of_two_zeros_with_a_small_floor():
    assert gradcheck.rel_error(0.0, 0.0, eps=1e-300) == 0.0


def test_sgd_keeps_float32_parameters_float32():
    params = {"w": np.zeros(3, np.float32)}
    train.SGD(lr=0.5, momentum=0.9).update(params, {"w": np.ones(3)})
    assert params["w"].dtype == np.float32
    adam = {"w": np.zeros(3, np.float32)}
    train.Adam(lr=0.5).update(adam, {"w": np.ones(3)})
    assert adam["w"].dtype == np.float32


def test_prepare_images_float32_at_a_huge_scale_is_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = data.prepare_images(np.full((1, 2, 2), 3e38, np.float32), scale=1e300)
    assert out.dtype == np.float32 and np.all((out >= 0) & (out <= 1))


@given(st.lists(st.floats(0, 1.7976931348623157e308), min_size=1, max_size=40),
       st.integers(1, 30))
def test_board_running_mean_is_a_mean_and_silent_at_any_scale(losses_seen, smooth):
    board = board_module.TrainingBoard.__new__(board_module.TrainingBoard)
    board.smooth = smooth                        # only the running mean, no figure
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        means = board._running_mean(losses_seen)
    values = np.array(losses_seen)
    for i in range(values.size):
        window = values[max(0, i - smooth + 1):i + 1]
        assert means[i] == pytest.approx(np.sum(window / window.size), rel=1e-9)
    assert np.isfinite(means).all()


def test_float32_in_float32_out():
    x32 = np.ones((2, 3), np.float32)
    out, cache = dense.dense_forward(x32, np.ones((3, 2), np.float32), np.ones(2, np.float32))
    assert out.dtype == np.float32
    grads = dense.dense_backward(np.ones((2, 2), np.float32), cache)
    assert all(g.dtype == np.float32 for g in grads)
    flat, flat_cache = dense.flatten_forward(np.ones((2, 3, 2), np.float32))
    assert flat.dtype == np.float32
    assert dense.flatten_backward(flat, flat_cache).dtype == np.float32
    assert losses.squared_error(x32, x32)[1].dtype == np.float32
    assert losses.binary_cross_entropy_with_logits(x32, x32)[1].dtype == np.float32
    assert losses.softmax_cross_entropy(x32, [0, 1])[1].dtype == np.float32


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


# ---------------------------------------------------------------------------------------------
# Inputs never change; outputs never share memory with inputs
# ---------------------------------------------------------------------------------------------

def _outputs(result):
    if isinstance(result, np.ndarray):
        return [result]
    if isinstance(result, (tuple, list)):
        return [a for item in result for a in _outputs(item)]
    if isinstance(result, dict):
        return [a for item in result.values() for a in _outputs(item)]
    return []


def _ax_call(function, *args, **kwargs):
    fig, ax = plt.subplots()
    return function(ax, *args, **kwargs)


RNG = np.random.default_rng(5)
A = RNG.random((3, 4))
ALIASING = [
    ("dense_forward", lambda x, w, b: dense.dense_forward(x, w, b)[0],   # the cache keeps x
     (A, RNG.random((4, 2)), RNG.random(2))),
    ("dense_backward", lambda g: dense.dense_backward(
        g, dense.dense_forward(A, np.ones((4, 2)), np.ones(2))[1]), (RNG.random((3, 2)),)),
    ("flatten_forward", lambda x: dense.flatten_forward(x)[0], (RNG.random((3, 2, 2)),)),
    ("flatten_backward", lambda g: dense.flatten_backward(
        g, dense.flatten_forward(np.ones((3, 2, 2)))[1]), (RNG.random((3, 4)),)),
    ("squared_error", losses.squared_error, (A, A + 1)),
    ("bce", losses.binary_cross_entropy_with_logits, (A, (A > 0.5) * 1.0)),
    ("softmax_ce", losses.softmax_cross_entropy, (A, np.array([0, 3, 1]))),
    ("rel_error", gradcheck.rel_error, (A, A + 1e-9)),
    ("numerical_gradient", lambda x: gradcheck.numerical_gradient(np.sum, x), (A,)),
    ("check_gradient", lambda x, g: [(r.analytic, r.numerical) for r in gradcheck.check_gradient(
        lambda x: np.sum(x ** 2), {"x": x}, {"x": g}).values()], (A, 2 * A)),
    ("accuracy", evaluate.accuracy, (A, np.array([0, 1, 2]))),
    ("accuracy classes", evaluate.accuracy, (np.array([1, 2, 3]), np.array([1, 2, 0]))),
    ("confusion_matrix", lambda y, p: evaluate.confusion_matrix(y, p, num_classes=4),
     (np.array([0, 1, 3]), A)),
    ("per_class_accuracy", evaluate.per_class_accuracy, (np.eye(3),)),
    ("most_confident_mistakes", evaluate.most_confident_mistakes, (A / A.sum(1, keepdims=True),
                                                                   np.array([0, 1, 2]))),
    ("plot_confusion_matrix", lambda m: _ax_call(evaluate.plot_confusion_matrix, m).get_array(),
     (np.eye(3),)),
    ("plot_probabilities", lambda p: _ax_call(evaluate.plot_probabilities, p), (A[0] / 4,)),
    ("show_mistakes", lambda i, p, l: evaluate.show_mistakes(i, p, l, [0, 1]),
     (RNG.random((3, 4, 4)), A / A.sum(1, keepdims=True), np.array([0, 1, 2]))),
    ("prepare_images", data.prepare_images, (RNG.integers(0, 256, (2, 3, 3)),)),
    ("prepare_images float32", data.prepare_images,
     (RNG.integers(0, 256, (2, 3, 3)).astype(np.float32),)),
    ("prepare_images scale 1", lambda x: data.prepare_images(x, scale=1.0), (A,)),
    ("iterate_minibatches", lambda x, y: list(data.iterate_minibatches(x, y, 2, shuffle=False)),
     (A, np.array([0, 1, 2]))),
    ("show_image", lambda i: _ax_call(plotting.show_image, i, "t").get_array(), (A,)),
    ("annotate_values", lambda i: _ax_call(plotting.annotate_values, i), (A,)),
    ("image_grid", lambda i: [s.get_array() for s in plotting.image_grid([i], ["t"])[1]], (A,)),
]


@pytest.mark.parametrize(("function", "inputs"), [pytest.param(f, i, id=n)
                                                   for n, f, i in ALIASING])
def test_inputs_unchanged_and_outputs_not_views(function, inputs):
    copies = [np.array(a, copy=True) for a in inputs]
    result = function(*inputs)
    for before, after in zip(copies, inputs, strict=True):
        np.testing.assert_array_equal(after, before)
    for out in _outputs(result):
        if isinstance(out, np.ma.MaskedArray):
            out = out.data
        for given_array in inputs:
            assert not np.shares_memory(out, given_array), "an output is a view of an input"


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
            for array in _outputs(state):
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


def test_two_digit_task_and_loaders_return_new_arrays():
    subset = data.load_mnist_subset()
    task = data.two_digit_task(subset, n_train=5, n_test=3)
    for key in ("train_images", "test_images"):
        assert not np.shares_memory(task[key], subset.train_images)
        assert not np.shares_memory(task[key], subset.test_images)
    path = npz_path()
    loaded = data.load_mnist(path=path)
    again = data.load_mnist(path=path)
    assert not np.shares_memory(loaded.train_images, again.train_images)
