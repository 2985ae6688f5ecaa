"""Every exercise checker, both ways: a right answer passes; each known mistake gets its hint;
an unfinished stub (returning None) and a crashing answer get NOT YET, never an exception."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from cnnlab.conv import conv2d, conv2d_backward
from cnnlab.lessons import (
    lesson00,
    lesson01,
    lesson02,
    lesson03,
    lesson04,
    lesson05,
    lesson06,
    lesson07,
    lesson08,
    lesson09,
    lesson10,
)
from cnnlab.losses import softmax_cross_entropy
from cnnlab.padding import pad_by_stacking
from cnnlab.pooling import avg_pool, max_pool, max_pool_backward, max_pool_forward
from cnnlab.seednet import seed_forward


def seed_y_hat(image, kernel, bias, weight, out_bias):
    return seed_forward(image, dict(kernel=kernel, bias=bias, weight=weight,
                                    out_bias=out_bias))[0]


def pool_backward(grad, fmap):
    return max_pool_backward(grad, max_pool_forward(fmap, 2)[1])


def kernel_grad(image, grad_conv):
    return conv2d_backward(grad_conv, image, np.zeros((3, 3)), padding=1)[1]


def sigmoid_chain(y_hat, y, loss):
    return (y_hat - y) * y_hat * (1 - y_hat) if loss == "squared_error" else y_hat - y


def output_grads(f, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat)
    return g * f, g, g * w


def no_diagonal(m):
    off = m - np.diag(np.diag(m))
    return np.unravel_index(np.argmax(off), m.shape)


# (checker, right answer, [(wrong answer, words its hint must contain), ...])
CASES = [
    (lesson00.check_invert, lambda im: 255 - im.astype(int),
     [(lambda im: -im.astype(int), "255 - image"), (lambda im: 1 - im.astype(int), "0..1")]),
    (lesson00.check_brightest, lambda im: np.unravel_index(np.argmax(im), im.shape),
     [(lambda im: np.unravel_index(np.argmax(im), im.shape)[::-1], "(column, row)"),
      (lambda im: (int(np.argmax(im)),), "flat index")]),
    (lesson01.check_box_blur, lambda: np.full((3, 3), 1 / 9),
     [(lambda: np.ones((3, 3)), "divide by 9"), (lambda: np.full((3, 3), 1 / 3), "sum to 3")]),
    (lesson01.check_apply_at, lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k),
     [(lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k[::-1, ::-1]), "flipped"),
      (lambda im, k, i, j: np.sum(np.pad(im, 1)[i:i + 3, j:j + 3] * k), "centred")]),
    (lesson02.check_pad_by_stacking, pad_by_stacking,
     [(lambda im, p: np.pad(im, ((p, p), (0, 0))), "not the columns"),
      (lambda im, p: np.pad(im, ((0, 0), (p, p))), "not the rows"),
      (lambda im, p: np.pad(im, 2 * p), "EACH side")]),
    (lesson02.check_output_size, lambda n, k, p: n + 2 * p - k + 1,
     [(lambda n, k, p: n + p - k + 1, "EACH side"), (lambda n, k, p: n + 2 * p - k, "off by one"),
      (lambda n, k, p: n + 2 * p, "padded size")]),
    (lesson03.check_output_size, lambda n, k, s, p: (n + 2 * p - k) // s + 1,
     [(lambda n, k, s, p: n + 2 * p - k + 1, "include the stride"),
      (lambda n, k, s, p: (n + 2 * p - k) / s + 1, "floor division")]),
    (lesson03.check_conv2d, lambda im, k, s: conv2d(im, k, stride=s),
     [(lambda im, k, s: conv2d(im, k[::-1, ::-1], stride=s), "flipped the kernel"),
      (lambda im, k, s: conv2d(im, k), "include the stride"),
      (lambda im, k, s: conv2d(im, k, stride=s, padding=1), "padded")]),
    (lesson04.check_max_pool, lambda m, size, stride: max_pool(m, size, stride),
     [(lambda m, size, stride: max_pool(m, size, size), "include the stride"),
      (lambda m, size, stride: avg_pool(m, size, stride), "average")]),
    (lesson04.check_max_pool_backward, pool_backward,
     [(lambda g, m: np.kron(g, np.ones((2, 2))) / 4, "average pooling's rule"),
      (lambda g, m: np.kron(g, np.ones((2, 2))), "only the cell that held the maximum")]),
    (lesson05.check_forward, seed_y_hat,
     [(lambda im, k, b, w, bf: seed_forward(im, dict(kernel=k, bias=b, weight=w,
                                                     out_bias=bf))[1]["logit"], "logit")]),
    (lesson05.check_sigmoid, lambda x: np.exp(-np.logaddexp(0, -x)),
     [(lambda x: 1 / (1 + np.exp(-x)), "overflowed")]),
    (lesson06.check_grad_logit, sigmoid_chain,
     [(lambda y_hat, y, loss: y_hat - y, "sigmoid's derivative"),
      (lambda y_hat, y, loss: (y_hat - y) * y_hat * (1 - y_hat), "cancels")]),
    (lesson06.check_output_layer, output_grads,
     [(lambda f, w, y_hat, y: output_grads(w, f, y_hat, y), "swapped f and w")]),
    (lesson07.check_grad_kernel, kernel_grad,
     [(lambda im, g: kernel_grad(im, g)[::-1, ::-1], "rotated 180 degrees"),
      (lambda im, g: kernel_grad(im, g) / g.size, "averaged")]),
    (lesson07.check_grad_bias, lambda g, pre: float(np.sum(g * (pre > 0))),
     [(lambda g, pre: float(np.sum(g)), "forgot the ReLU"),
      (lambda g, pre: float(np.mean(g * (pre > 0))), "do not average")]),
    (lesson08.check_gd_update, lambda p, g, lr: {k: p[k] - lr * g[k] for k in p},
     [(lambda p, g, lr: {k: p[k] + lr * g[k] for k in p}, "uphill"),
      (lambda p, g, lr: {k: p[k] - g[k] for k in p}, "learning rate")]),
    (lesson08.check_accuracy, lambda p, t: np.mean((p > 0.5) == t),
     [(lambda p, t: 100 * np.mean((p > 0.5) == t), "percentage"),
      (lambda p, t: np.sum((p > 0.5) == t), "divide by N")]),
    (lesson09.check_im2col, lambda im, k: sliding_window_view(im, (k, k)).reshape(-1, k * k),
     [(lambda im, k: sliding_window_view(im, (k, k)).reshape(-1, k * k).T, "transpose")]),
    (lesson09.check_softmax_grad, lambda z, y: softmax_cross_entropy(z, y)[1],
     [(lambda z, y: softmax_cross_entropy(z, y)[1] * len(y), "batch size"),
      (lambda z, y: -softmax_cross_entropy(z, y)[1], "sign")]),
    (lesson10.check_accuracy_from_confusion, lambda m: np.trace(m) / m.sum(),
     [(lambda m: np.trace(m), "divide by the total"),
      (lambda m: np.mean(np.diag(m) / m.sum(axis=1)), "per-class")]),
    (lesson10.check_most_confused, no_diagonal,
     [(lambda m: no_diagonal(m)[::-1], "swapped"),
      (lambda m: np.unravel_index(np.argmax(m), m.shape), "diagonal")]),
]
IDS = [f"{checker.__module__.rsplit('.', 1)[1]}.{checker.__name__}" for checker, *_ in CASES]


@pytest.mark.parametrize(("checker", "right", "mistakes"), CASES, ids=IDS)
def test_right_answer_passes(checker, right, mistakes):
    result = checker(right)
    assert result.passed, str(result)


@pytest.mark.parametrize(("checker", "right", "mistakes"), CASES, ids=IDS)
def test_each_known_mistake_gets_its_own_hint(checker, right, mistakes):
    for wrong, words in mistakes:
        result = checker(wrong)
        assert not result.passed
        assert words in result.message, f"{result.message!r} should mention {words!r}"


@pytest.mark.parametrize(("checker", "right", "mistakes"), CASES, ids=IDS)
def test_unfinished_stub_and_crash_say_not_yet(checker, right, mistakes):
    def stub(*args):
        return None

    def crash(*args):
        raise IndexError("index 9 is out of bounds")

    for answer, words in ((stub, "None"), (crash, "IndexError")):
        result = checker(answer)
        assert not result.passed
        assert words in result.message or "return" in result.message, result.message
        assert str(result).startswith("NOT YET")
