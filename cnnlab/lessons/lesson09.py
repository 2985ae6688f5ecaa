"""Lesson 09: loops against vectorised code on your machine; im2col; a fused block; MNIST.

Panels first, then the exercise checkers:
im2col, and the gradient of softmax cross-entropy.
"""

from __future__ import annotations

import time

import matplotlib.pyplot as plt
import numpy as np

from ..activations import relu_backward, relu_forward, softmax
from ..conv import conv2d, conv2d_loop, conv_backward, conv_forward
from ..conv import im2col as conv_im2col
from ..data import load_mnist_subset, prepare_images
from ..engine.blocks import conv_relu_pool_backward, conv_relu_pool_forward
from ..engine.memory import keep_freed_memory
from ..engine.threads import one_blas_thread
from ..models import init_small_cnn, small_cnn_loss
from ..pooling import max_pool_backward, max_pool_forward
from ..train import SGD, Trainer
from ._check import compare_arrays, run_function


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
    rng = np.random.default_rng(seed)
    kernel = rng.normal(size=(kernel_size, kernel_size))
    result = {"sizes": list(sizes), "loop_ms": [], "vectorised_ms": [], "agree": True}
    for size in sizes:
        image = rng.normal(size=(size, size))
        for name, function in (("loop_ms", conv2d_loop), ("vectorised_ms", conv2d)):
            best = np.inf
            for _ in range(repeat):
                start = time.perf_counter()
                function(image, kernel, padding="same")
                best = min(best, time.perf_counter() - start)
            result[name].append(best * 1e3)
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
        ``layers_ms``, ``block_ms`` (forward and backward, best of ``repeat``, with one BLAS
        thread and freed memory kept, as the Trainer runs), ``agree`` (outputs and weight
        gradients equal to 1e-12).

    Examples
    --------
    >>> result = time_block_against_layers(batch=4, repeat=1)
    >>> result["agree"]
    True
    """
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

    keep_freed_memory()                          # as the Trainer does (see cnnlab._memory)
    result = {}
    with one_blas_thread():                      # as the Trainer runs (see cnnlab._threads)
        for name, function in (("layers_ms", layers), ("block_ms", block)):
            best = np.inf
            for _ in range(repeat):
                start = time.perf_counter()
                function()
                best = min(best, time.perf_counter() - start)
            result[name] = best * 1e3
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
    fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
    ax.semilogy(result["sizes"], result["loop_ms"], "o-", label="loops (conv2d_loop)")
    ax.semilogy(result["sizes"], result["vectorised_ms"], "s-", label="vectorised (conv2d)")
    ax.set(xlabel="image side n (n x n image, 5x5 kernel)",
           ylabel="time per convolution (ms)",
           title=f"measured on this machine; same results: {result['agree']}")
    ax.legend()
    return fig


def im2col(image, kernel_size):
    """Every k x k patch of a 2-D image as one row: :func:`cnnlab.conv.im2col`, no padding.

    Parameters
    ----------
    image : numpy.ndarray, shape (H, W)
        A grey image.
    kernel_size : int
        Side of the (square) kernel.

    Examples
    --------
    >>> im2col(np.arange(9.0).reshape(3, 3), 2)
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])
    """
    return conv_im2col(image, kernel_size)


def subset_trainer(num_filters=8, lr=0.05, batch_size=64, seed=0):
    """A Trainer for the small CNN on the shipped MNIST subset (float32 for speed).

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
    return Trainer(params, small_cnn_loss, SGD(lr=lr, momentum=0.9),
                   prepare_images(data.train_images).astype(np.float32), data.train_labels,
                   prepare_images(data.test_images).astype(np.float32), data.test_labels,
                   batch_size=batch_size, seed=seed)


# ---- Exercise checkers ----------------------------------------------------------------------

_IMAGE = np.arange(20.0).reshape(4, 5)


def check_im2col(im2col):
    """``im2col(image, k)``: one row per k x k patch (row-major positions), patch flattened.

    Parameters
    ----------
    im2col : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> from numpy.lib.stride_tricks import sliding_window_view as windows
    >>> check_im2col(lambda im, k: windows(im, (k, k)).reshape(-1, k * k)).passed
    True
    >>> print(check_im2col(lambda im, k: windows(im, (k, k)).reshape(-1, k * k).T).message)
    im2col: you returned one column per patch (the transpose): put each patch in a row
    """
    answer, failure = run_function(im2col, _IMAGE, 3, name="im2col")
    if failure is not None:
        return failure
    windows = np.lib.stride_tricks.sliding_window_view(_IMAGE, (3, 3))
    expected = windows.reshape(-1, 9)
    return compare_arrays(answer, expected, "im2col", [
        (expected.T, "you returned one column per patch (the transpose): put each patch in "
                     "a row"),
        (windows.transpose(1, 0, 2, 3).reshape(-1, 9), "your patches go down the columns "
                                                         "first; go along each row first"),
        (windows.transpose(0, 1, 3, 2).reshape(-1, 9), "each patch is flattened column by "
                                                         "column; flatten it row by row"),
    ])


def check_softmax_grad(softmax_ce_grad):
    """``softmax_ce_grad(logits, labels)``: dL/dlogits of the batch-mean cross-entropy.

    Parameters
    ----------
    softmax_ce_grad : callable
        Your function (see the exercise).

    Returns
    -------
    CheckResult
        PASS, or NOT YET with a hint naming the likely mistake.

    Examples
    --------
    >>> from cnnlab.losses import softmax_cross_entropy
    >>> check_softmax_grad(lambda z, y: softmax_cross_entropy(z, y)[1]).passed
    True
    >>> wrong = lambda z, y: softmax_cross_entropy(z, y)[1] * len(y)
    >>> print(check_softmax_grad(wrong).message)
    dL/dlogits: you forgot to divide by the batch size (the loss is a mean over N images)
    """
    rng = np.random.default_rng(9)
    logits = rng.normal(size=(4, 5))
    labels = np.array([0, 3, 3, 1])
    answer, failure = run_function(softmax_ce_grad, logits, labels, name="softmax_ce_grad")
    if failure is not None:
        return failure
    one_hot = np.eye(5)[labels]
    right = (softmax(logits) - one_hot) / 4
    return compare_arrays(answer, right, "dL/dlogits", [
        (right * 4, "you forgot to divide by the batch size (the loss is a mean over N images)"),
        (-right, "the sign is flipped: dL/dz = softmax(z) - one_hot"),
        ((logits - one_hot) / 4, "apply the softmax first: dL/dz = softmax(z) - one_hot"),
        (softmax(logits) / 4, "subtract the one-hot labels: dL/dz = softmax(z) - one_hot"),
    ])
