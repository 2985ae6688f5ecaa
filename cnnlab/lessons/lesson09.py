"""Lesson 09: loops against vectorised code on your machine; im2col; a fused block; MNIST.

Panels first, then the exercises: im2col, the gradient of softmax cross-entropy, and the
shuffled mini-batches of one epoch.
"""

from __future__ import annotations

import functools
import time

import matplotlib.pyplot as plt
import numpy as np

from .. import engine
from .._validate import as_rng, check_int, check_int_sequence
from ..activations import relu_backward, relu_forward, softmax
from ..conv import conv2d, conv2d_loop, conv_backward, conv_forward
from ..data import load_mnist_subset, prepare_images
from ..engine.blocks import conv_relu_pool_backward, conv_relu_pool_forward
from ..models import init_small_cnn
from ..pooling import max_pool_backward, max_pool_forward
from ..train import SGD, Trainer
from . import _mistakes09 as M
from . import solutions
from ._check import Exercise, show_value


def _best_seconds(function, repeat, at_least=0.002):
    """The best time of one call of ``function()`` over ``repeat`` runs, in seconds.

    Each run calls ``function`` until ``at_least`` seconds have passed and divides by the
    number of calls: a browser's clock (the JupyterLite edition) ticks in steps of 0.1 ms or
    coarser, so a single fast call could read as 0.
    """
    best = np.inf
    for _ in range(repeat):
        calls, start = 0, time.perf_counter()
        while True:
            function()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= at_least:
                break
        best = min(best, elapsed / calls)
    return best


def time_loops_against_vectorised(sizes=(8, 16, 24, 32), kernel_size=5, repeat=3, seed=0):
    """Time conv2d_loop and conv2d on random square images; check they agree.

    Parameters
    ----------
    sizes : sequence of int
        Image sides to time.
    kernel_size : int
        Side of the (square) kernel.
    repeat : int
        Timed runs per size (the best one counts).
    seed : int
        Seed of np.random.default_rng, so reruns match.

    Returns
    -------
    dict
        ``sizes``, ``loop_ms``, ``vectorised_ms`` (lists), ``agree`` (bool).

    Examples
    --------
    >>> result = time_loops_against_vectorised(sizes=(8,), repeat=1)
    >>> result["agree"], len(result["loop_ms"])
    (True, 1)
    """
    kernel_size = check_int(kernel_size, "kernel_size", minimum=1)
    sizes = check_int_sequence(sizes, "sizes", minimum=kernel_size)
    repeat = check_int(repeat, "repeat", minimum=1)
    as_rng(seed, "seed")
    rng = np.random.default_rng(seed)
    kernel = rng.normal(size=(kernel_size, kernel_size))
    result = {"sizes": list(sizes), "loop_ms": [], "vectorised_ms": [], "agree": True}
    for size in sizes:
        image = rng.normal(size=(size, size))
        for name, function in (("loop_ms", conv2d_loop), ("vectorised_ms", conv2d)):
            call = functools.partial(function, image, kernel, padding="same")
            result[name].append(_best_seconds(call, repeat) * 1e3)
        result["agree"] &= bool(np.allclose(conv2d_loop(image, kernel, padding="same"),
                                            conv2d(image, kernel, padding="same"),
                                            rtol=1e-12, atol=1e-12))
    return result


def time_block_against_layers(batch=64, filters=8, repeat=20, seed=0):
    """Time conv -> ReLU -> 2x2 max pool as three layers and as the fused block; check they agree.

    Parameters
    ----------
    batch, filters : int
        A batch of MNIST-sized images (1 x 28 x 28) and 5x5 filters, as the small CNN has.
    repeat : int
        Timed runs of each (the best one counts).
    seed : int
        Seed of np.random.default_rng, so reruns match.

    Returns
    -------
    dict
        ``layers_ms``, ``block_ms`` (forward and backward, best of ``repeat``, timed inside
        :func:`cnnlab.engine.training_settings`, one BLAS thread and freed memory kept, as
        :func:`subset_trainer` trains), ``agree`` (outputs and weight gradients equal to 1e-12).

    Examples
    --------
    >>> result = time_block_against_layers(batch=4, repeat=1)
    >>> result["agree"]
    True
    """
    batch = check_int(batch, "batch", minimum=1)
    filters = check_int(filters, "filters", minimum=1)
    repeat = check_int(repeat, "repeat", minimum=1)
    as_rng(seed, "seed")
    rng = np.random.default_rng(seed)
    x = rng.random((batch, 1, 28, 28))
    weight, bias = rng.normal(size=(filters, 1, 5, 5)) * 0.2, rng.normal(size=filters) * 0.1

    def layers():
        conv, conv_cache = conv_forward(x, weight, bias, padding="same")
        relu, relu_cache = relu_forward(conv)
        out, pool_cache = max_pool_forward(relu, 2)
        grad = relu_backward(max_pool_backward(np.ones_like(out), pool_cache), relu_cache)
        return out, conv_backward(grad, conv_cache, input_grad=False)[1]

    def block():
        out, cache = conv_relu_pool_forward(x, weight, bias)
        return out, conv_relu_pool_backward(np.ones_like(out), cache)[1]

    result = {}
    with engine.training_settings():             # as subset_trainer's Trainer runs
        for name, function in (("layers_ms", layers), ("block_ms", block)):
            result[name] = _best_seconds(function, repeat) * 1e3
    (out_a, grad_a), (out_b, grad_b) = layers(), block()
    result["agree"] = bool(np.allclose(out_a, out_b, rtol=1e-12, atol=1e-12)
                           and np.allclose(grad_a, grad_b, rtol=1e-12, atol=1e-12))
    return result


def timing_figure(result):
    """Plot the timings of :func:`time_loops_against_vectorised`.

    Parameters
    ----------
    result : dict
        What time_loops_against_vectorised returned.

    Examples
    --------
    >>> fig = timing_figure({"sizes": [8, 16], "loop_ms": [1, 4], "vectorised_ms": [0.1, 0.1],
    ...                      "agree": True})
    >>> fig.axes[0].get_ylabel()
    'time per convolution (ms)'
    >>> plt.close(fig)
    """
    if not isinstance(result, dict) or not {"sizes", "loop_ms", "vectorised_ms"} <= set(result):
        raise TypeError("result must be the dict time_loops_against_vectorised returns (sizes, "
                        f"loop_ms, vectorised_ms), got {type(result).__name__}")
    fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
    ax.semilogy(result["sizes"], result["loop_ms"], "o-", label="loops (conv2d_loop)")
    ax.semilogy(result["sizes"], result["vectorised_ms"], "s-", label="vectorised (conv2d)")
    ax.set(xlabel="image side n (n x n image, 5x5 kernel)",
           ylabel="time per convolution (ms)",
           title=f"measured on this machine; same results: {result['agree']}")
    ax.legend()
    return fig


def subset_trainer(num_filters=8, lr=0.05, batch_size=64, seed=0):
    """A Trainer for the small CNN on the shipped MNIST subset (float32 for speed).

    It trains with the engine: :func:`cnnlab.engine.small_cnn_loss_fast` (the fused block,
    the same numbers as :func:`cnnlab.models.small_cnn_loss` to float32 rounding), each call
    inside :func:`cnnlab.engine.training_settings` (one BLAS thread, freed memory kept).

    Parameters
    ----------
    num_filters : int
        Filters of the first conv block.
    lr : float
        Learning rate.
    batch_size : int
        Images per mini-batch.
    seed : int
        Seed of np.random.default_rng, so reruns match.

    Examples
    --------
    >>> trainer = subset_trainer()
    >>> trainer.steps_per_epoch
    157
    """
    data = load_mnist_subset()
    params = init_small_cnn(num_filters=num_filters, seed=seed, dtype=np.float32)
    return Trainer(params, engine.small_cnn_loss_fast, SGD(lr=lr, momentum=0.9),
                   prepare_images(data.train_images).astype(np.float32), data.train_labels,
                   prepare_images(data.test_images).astype(np.float32), data.test_labels,
                   batch_size=batch_size, seed=seed, settings=engine.training_settings)


# ---- Exercise checkers ----------------------------------------------------------------------

# Distinct non-integer values, negative ones too: a patch's place and order show in its values.
_IMAGE = (np.random.default_rng(90).permutation(20).reshape(4, 5) - 9.5) / 4
_IMAGE_2 = (np.random.default_rng(91).permutation(20).reshape(5, 4) - 9.5) / 4


def _patches(image, k, rows, cols, step=1, order="C"):
    """Patches at (i * step, j * step), i in rows, j in cols, in row-major position order."""
    out = [image[i * step:i * step + k, j * step:j * step + k].ravel(order=order)
           for i in rows for j in cols]
    return np.array(out)


def _right_im2col(image, k):
    h, w = image.shape
    return _patches(image, k, range(h - k + 1), range(w - k + 1))


IM2COL_MISTAKES = [
    (lambda im, k: _right_im2col(im, k).T, "you returned one column per patch (the transpose): "
                                           "put each patch in a row"),
    (lambda im, k: np.array([im[i:i + k, j:j + k].ravel() for j in range(im.shape[1] - k + 1)
                             for i in range(im.shape[0] - k + 1)]),
     "your patches go down the columns first; go along each row first (row-major positions)"),
    (lambda im, k: _patches(im, k, range(im.shape[0] - k + 1), range(im.shape[1] - k + 1),
                            order="F"),
     "each patch is flattened column by column; flatten it row by row"),
    (lambda im, k: _patches(im, k, range(im.shape[0] - k), range(im.shape[1] - k)),
     "off by one: a k x k patch fits at H - k + 1 rows and W - k + 1 columns (range(H - k + 1))"),
    (lambda im, k: _right_im2col(np.pad(im, k // 2), k),
     "no padding here: every patch lies inside the image"),
    (lambda im, k: _patches(im, k, range((im.shape[0] - k) // k + 1),
                            range((im.shape[1] - k) // k + 1), step=k),
     "stride 1: the patches overlap, moving one pixel at a time (you moved k pixels)"),
    (lambda im, k: np.lib.stride_tricks.sliding_window_view(im, (k, k)),
     "reshape the windows: one row per patch, each of k * k numbers "
     "(.reshape(-1, k * k))"),
]

IM2COL_EXCEPTIONS = [
    (ValueError, "inhomogeneous", "ValueError: your patches have different sizes: a patch ran "
                                  "past the edge; rows start at 0..H-k and columns at 0..W-k "
                                  "(H, W = image.shape)"),
    (ValueError, "setting an array element", "ValueError: your patches have different "
                                             "sizes: a patch ran past the edge; rows start at "
                                             "0..H-k and columns at 0..W-k (H, W = image.shape)"),
    (IndexError, "out of bounds", "an index ran past the end of an array: patches start at rows "
                                  "0..H-k and columns 0..W-k of the image (H, W = image.shape), "
                                  "and the patch starting at (i, j) is row i * (W - k + 1) + j "
                                  "of the matrix: W - k + 1 patches along each image row, W the "
                                  "width"),
]


check_im2col = Exercise(
    "im2col",
    "im2col(image, k): one row per k x k patch (row-major positions), each patch flattened row by "
    "row",
    cases=[(_IMAGE, 3), (_IMAGE_2, 2)], right=_right_im2col, mistakes=IM2COL_MISTAKES,
    exception_hints=IM2COL_EXCEPTIONS,
    describe=lambda im, k: f"a {im.shape[0]}x{im.shape[1]} image, k={k}",
    forbidden=[("im2col", "write the patches yourself: cl.conv.im2col is this exercise's "
                          "solution")],
    passed="im2col: correct on a 4x5 image (k = 3) and a 5x4 (k = 2)",
    idea="a k x k patch starts at every row 0..H-k and every column 0..W-k; go along each row "
         "of starts, and put each patch, flattened, in the next row of the matrix",
    solution=solutions.im2col, why="the matrix the tiny example above multiplies by the "
                                   "kernel (cl.conv.im2col does it for batches, channels and "
                                   "strides)")


def _softmax_rows(z, shift):
    e = np.exp(z - shift)
    return e / e.sum(axis=1, keepdims=True)


def _right_softmax_grad(z, labels):
    n = len(labels)
    return (softmax(z) - np.eye(z.shape[1])[labels]) / n


def _subtract_columns(z, labels):
    p = softmax(z)
    p[:, labels] -= 1
    return p / len(labels)


SOFTMAX_MISTAKES = [
    (lambda z, y: _right_softmax_grad(z, y) * len(y),
     "you forgot to divide by the batch size (the loss is a mean over N images)"),
    (lambda z, y: -_right_softmax_grad(z, y), "the sign is flipped: dL/dz = softmax(z) - one_hot"),
    (lambda z, y: (z - np.eye(z.shape[1])[y]) / len(y),
     "apply the softmax first: dL/dz = softmax(z) - one_hot"),
    (lambda z, y: softmax(z) / len(y), "subtract the one-hot labels: dL/dz = softmax(z) - "
                                       "one_hot"),
    (lambda z, y: (_softmax_rows(z, 0.0) - np.eye(z.shape[1])[y]) / len(y),
     "your softmax overflowed (exp(1000) is inf, and inf / inf is NaN): subtract each row's "
     "maximum before exponentiating"),
    (lambda z, y: (_softmax_rows(z, z.max()) - np.eye(z.shape[1])[y]) / len(y),
     "you subtracted the maximum of the whole batch: a row far below it underflows to 0 / 0; "
     "subtract each row's own maximum (z.max(axis=1, keepdims=True))"),
    (lambda z, y: (_softmax_rows(z, z.max(axis=0, keepdims=True)) - np.eye(z.shape[1])[y])
     / len(y),
     "you subtracted the maximum of each column; the softmax only allows a shift of each row "
     "(z.max(axis=1, keepdims=True))"),
    (lambda z, y: (np.exp(z - z.max(axis=1, keepdims=True))
                   / np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=0)
                   - np.eye(z.shape[1])[y]) / len(y),
     "normalise each row (sum over axis=1), not each column"),
    (_subtract_columns, "p[:, labels] picks those columns in every row; subtract 1 only at "
                        "p[np.arange(N), labels]"),
    (lambda z, y: (softmax(z) - np.eye(z.shape[1])[y]) / z.shape[1],
     "divide by the batch size N (the number of rows), not the number of classes"),
    (lambda z, y: (softmax(z.T).T - np.eye(z.shape[1])[y]) / len(y),
     "your softmax normalised each column (axis 0); each image's row sums to 1: axis=1"),
    (lambda z, y: (softmax(z) - np.eye(z.shape[1])[(y + 1) % z.shape[1]]) / len(y),
     "your one-hot is one class off (label + 1): put the 1 at column labels[i] itself"),
    (lambda z, y: (softmax(z) - np.eye(z.shape[1])[y - 1]) / len(y),
     "your one-hot is one class off (label - 1): put the 1 at column labels[i] itself"),
    (lambda z, y: (1 / (1 + np.exp(-z)) - np.eye(z.shape[1])[y]) / len(y),
     "that is the sigmoid of each logit on its own; the softmax divides each row's exp by the "
     "row's sum, so the K probabilities add up to 1"),
    (lambda z, y: (softmax(z) - 1) / len(y), "you subtracted 1 from every class; subtract it "
                                             "only at each image's label (the one-hot)"),
    (lambda z, y: (np.log(softmax(z)) - np.eye(z.shape[1])[y]) / len(y),
     "that is the log-softmax; the gradient uses the probabilities themselves: softmax(z) - "
     "one_hot"),
    (lambda z, y: (softmax(z) - np.eye(z.shape[1])[y]) / (len(y) * z.shape[1]),
     "divide by the batch size N only, not by N times the number of classes"),
    (lambda z, y: softmax(z) * (1 - softmax(z)) / len(y),
     "p (1 - p) is the sigmoid's slope; softmax with cross-entropy simplifies to softmax(z) - "
     "one_hot"),
    (lambda z, y: (softmax(z) - np.eye(z.shape[1])[np.argmax(z, axis=1)]) / len(y),
     "you put the 1 at the predicted class (argmax); put it at the true label"),
]

SOFTMAX_EXCEPTIONS = [
    (ValueError, "could not be broadcast", "your one-hot has the wrong shape: np.eye(K)[labels] "
                                           "with K = logits.shape[1] classes, not np.eye(N) "
                                           "with N images"),
    (IndexError, "out of bounds", "a label indexes past the classes: the one-hot has K = "
                                  "logits.shape[1] columns (np.eye(K)[labels])"),
]


check_softmax_grad = Exercise(
    "softmax_ce_grad",
    "softmax_ce_grad(logits, labels): dL/dlogits of the batch-mean softmax cross-entropy, (N, K)",
    cases=[(np.random.default_rng(9).normal(size=(4, 5)), np.array([0, 3, 3, 1])),
           (np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]]), np.array([2, 0]))],
    right=_right_softmax_grad, mistakes=SOFTMAX_MISTAKES, exception_hints=SOFTMAX_EXCEPTIONS,
    describe=lambda z, y: f"logits {show_value(z)}, labels {y.tolist()}",
    forbidden=[(f, f"write the gradient yourself: cl.{f} gives it ready-made") for f in
               ("softmax_cross_entropy", "small_cnn_loss", "small_cnn_loss_fast")],
    passed="softmax_ce_grad: correct, also for logits of +-1000",
    idea="the softmax of each row (shifted by the row's maximum, so nothing overflows), minus "
         "1 at each image's true class, all divided by the number of images N",
    solution=solutions.softmax_ce_grad, why="softmax minus the one-hot, over N: the "
                                             "gradient every step of this lesson's training "
                                             "starts from")

check_minibatches = Exercise(
    "minibatches",
    "minibatches(images, labels, batch_size, seed): the (images, labels) batches of one shuffled "
    "epoch, drawn with "
    "np.random.default_rng(seed).permutation(N)", check=M.check_batches,
    forbidden=[("iterate_minibatches", "cut the batches yourself: cl.data.iterate_minibatches "
                                       "is this exercise's solution")],
    idea="draw one order of all N images with the seeded generator; cut it into pieces of "
         "batch_size (the last one may be smaller) and index images and labels with each piece",
    solution=solutions.minibatches, why="the batches the Trainer draws every epoch (with "
                                         "cl.data.iterate_minibatches)")
