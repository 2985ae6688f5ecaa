"""Lessons 06-09: every exercise checker against a catalogue of the mistakes learners make.

Each wrong answer is written the way a learner would write it (loops, misspelt names, in-place
updates), not as a transformation of the right answer.  For every exercise: the right answer
passes; at least six mistakes each fail with a hint that names the mistake; an exception raised
by the learner's code becomes a hint when its cause is recognisable; the checker never changes
the learner's arguments and never lets a mutation change what it expects.
"""

from __future__ import annotations

import numpy as np
import pytest

from cnnlab.lessons import lesson06, lesson07, lesson08, lesson09

# ---- lesson 06 ----------------------------------------------------------------------------


def grad_logit_right(y_hat, y, loss):
    if loss == "squared_error":
        return (y_hat - y) * y_hat * (1 - y_hat)
    return y_hat - y


def grad_logit_misspelt(y_hat, y, loss):
    if loss == "squared error":                  # the exercise passes "squared_error"
        return (y_hat - y) * y_hat * (1 - y_hat)
    return y_hat - y


def grad_logit_no_sigmoid(y_hat, y, loss):
    if loss == "squared_error":
        return y_hat - y
    return y_hat - y


def grad_logit_swapped(y_hat, y, loss):
    if loss == "bce":
        return (y_hat - y) * y_hat * (1 - y_hat)
    return y_hat - y


def grad_logit_sign(y_hat, y, loss):
    return -grad_logit_right(y_hat, y, loss)


def grad_logit_no_half(y_hat, y, loss):
    if loss == "squared_error":
        return 2 * (y_hat - y) * y_hat * (1 - y_hat)
    return y_hat - y


def grad_logit_bce_chained(y_hat, y, loss):
    return (y_hat - y) * y_hat * (1 - y_hat)


def grad_logit_wrt_y_hat(y_hat, y, loss):
    if loss == "squared_error":
        return y_hat - y
    return (y_hat - y) / (y_hat * (1 - y_hat))       # dL/dy_hat of cross-entropy


def grad_logit_sigmoid_only(y_hat, y, loss):
    if loss == "squared_error":
        return y_hat * (1 - y_hat)
    return y_hat - y


def grad_logit_mean(y_hat, y, loss):
    return float(np.mean(grad_logit_right(y_hat, y, loss)))


def grad_logit_none_for_bce(y_hat, y, loss):
    if loss == "squared_error":
        return (y_hat - y) * y_hat * (1 - y_hat)
    if loss == "cross_entropy":                  # never matches "bce": falls through to None
        return y_hat - y
    return None


def grad_logit_raises(y_hat, y, loss):
    return {"squared_error": (y_hat - y) * y_hat * (1 - y_hat), "cross-entropy": y_hat - y}[loss]


def output_right(f, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat)
    return g * f, g, g * w


def output_swapped(f, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat)
    return g * w, g, g * f


def output_no_sigmoid(f, w, y_hat, y):
    g = y_hat - y
    return g * f, g, g * w


def output_sign(f, w, y_hat, y):
    g = (y - y_hat) * y_hat * (1 - y_hat)
    return g * f, g, g * w


def output_dot(f, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat)
    return g * np.dot(f, f), g, g * w           # a dot product instead of one entry per weight


def output_no_error(f, w, y_hat, y):
    g = y_hat * (1 - y_hat)
    return g * f, g, g * w


def output_no_half(f, w, y_hat, y):
    g = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    return g * f, g, g * w


def output_bias_array(f, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat)
    return g * f, g * np.ones_like(f), g * w


def output_two_things(f, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat)
    return g * f, g * w


def output_matmul(f, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat)
    return g * f, g, w @ np.ones((3, 3)) * g     # shapes do not fit: a crash


# ---- lesson 07 ----------------------------------------------------------------------------


def kernel_right(image, grad_conv):
    padded = np.pad(image, 1)
    grad = np.zeros((3, 3))
    for i in range(grad_conv.shape[0]):
        for j in range(grad_conv.shape[1]):
            grad += grad_conv[i, j] * padded[i:i + 3, j:j + 3]
    return grad


def kernel_seed(image, grad_conv):
    grad = np.zeros((3, 3))
    padded = np.pad(image, 1)
    for i in range(grad_conv.shape[0]):
        for j in range(grad_conv.shape[1]):
            grad += grad_conv[i, j] * padded[i:i + 3, j:j + 3][::-1, ::-1]
    return grad


def kernel_overwrite(image, grad_conv):
    padded = np.pad(image, 1)
    grad = np.zeros((3, 3))
    for i in range(grad_conv.shape[0]):
        for j in range(grad_conv.shape[1]):
            grad = grad_conv[i, j] * padded[i:i + 3, j:j + 3]
    return grad


def kernel_skip_border(image, grad_conv):
    grad = np.zeros((3, 3))
    for i in range(1, grad_conv.shape[0] - 1):
        for j in range(1, grad_conv.shape[1] - 1):
            grad += grad_conv[i, j] * image[i - 1:i + 2, j - 1:j + 2]
    return grad


def kernel_unpadded(image, grad_conv):
    grad = np.zeros((3, 3))
    for i in range(image.shape[0] - 2):
        for j in range(image.shape[1] - 2):
            grad += grad_conv[i, j] * image[i:i + 3, j:j + 3]
    return grad


def kernel_mean(image, grad_conv):
    return kernel_right(image, grad_conv) / grad_conv.size


def kernel_transposed(image, grad_conv):
    return kernel_right(image, grad_conv).T


def kernel_unweighted(image, grad_conv):
    padded = np.pad(image, 1)
    return sum(padded[i:i + 3, j:j + 3] for i in range(image.shape[0])
               for j in range(image.shape[1]))


def kernel_border_crash(image, grad_conv):
    grad = np.zeros((3, 3))
    for i in range(grad_conv.shape[0]):
        for j in range(grad_conv.shape[1]):
            grad += grad_conv[i, j] * image[i:i + 3, j:j + 3]     # forgot to pad: 2x3 at the end
    return grad


def kernel_image_gradient(image, grad_conv):
    return grad_conv * 0.5                        # something with the image's shape


def bias_right(grad_relu, pre):
    return float(np.sum(grad_relu * (pre > 0)))


MISTAKES = {
    "06 grad_logit": (lesson06.check_grad_logit, grad_logit_right, [
        (grad_logit_misspelt, "spell"),
        (grad_logit_no_sigmoid, "sigmoid's derivative"),
        (grad_logit_swapped, "swapped"),
        (grad_logit_sign, "sign"),
        (grad_logit_no_half, "1/2"),
        (grad_logit_bce_chained, "cancels"),
        (grad_logit_wrt_y_hat, "dL/dy_hat"),
        (grad_logit_sigmoid_only, "multiply"),
        (grad_logit_mean, "one value per"),
        (grad_logit_none_for_bce, "\"bce\""),
        (grad_logit_raises, "loss names"),
    ]),
    "06 output_layer": (lesson06.check_output_layer, output_right, [
        (output_swapped, "swapped f and w"),
        (output_no_sigmoid, "sigmoid's derivative"),
        (output_sign, "sign"),
        (output_dot, "one entry per weight"),
        (output_no_error, "y_hat - y"),
        (output_no_half, "1/2"),
        (output_bias_array, "one number"),
        (output_two_things, "three"),
        (output_matmul, "element-wise"),
    ]),
    "07 grad_kernel": (lesson07.check_grad_kernel, kernel_right, [
        (kernel_seed, "rotated 180 degrees"),
        (kernel_overwrite, "overwrote"),
        (kernel_skip_border, "border cells"),
        (kernel_unpadded, "unpadded"),
        (kernel_mean, "averaged"),
        (kernel_transposed, "transposed"),
        (kernel_unweighted, "multiply each patch"),
        (kernel_border_crash, "pad the image"),
        (kernel_image_gradient, "dL/dI"),
    ]),
    "07 grad_bias": (lesson07.check_grad_bias, bias_right, [
        (lambda g, pre: float(np.sum(g)), "forgot the ReLU"),
        (lambda g, pre: float(np.mean(g[pre > 0])) * 0 + float(np.mean(g * (pre > 0))),
         "do not average"),
        (lambda g, pre: float(np.sum(g[pre < 0])), "inverted"),
        (lambda g, pre: float(np.sum(g[g > 0])), "not from the gradient"),
        (lambda g, pre: float(np.sum(g * np.maximum(pre, 0))), "not by the ReLU's output"),
        (lambda g, pre: float(np.sum(g * pre)), "added, not multiplied"),
        (lambda g, pre: -float(np.sum(g[pre > 0])), "sign"),
        (lambda g, pre: g * (pre > 0), "one number"),
    ]),
}


# ---- lesson 08 ----------------------------------------------------------------------------


def gd_right(params, grads, lr):
    return {name: params[name] - lr * grads[name] for name in params}


def gd_in_place(params, grads, lr):
    for name in params:
        params[name] -= lr * grads[name]
    return params


def gd_rebinds_keys(params, grads, lr):
    for name in params:
        params[name] = params[name] - lr * grads[name]     # new arrays, but in the caller's dict
    return params


def gd_seed_keys(params, grads, lr):
    return {name: params[name] - lr * grads[f"grad_{name}"] for name in params}


def gd_return_in_loop(params, grads, lr):
    new = {}
    for name in params:
        new[name] = params[name] - lr * grads[name]
        return new


def gd_list(params, grads, lr):
    return [params[name] - lr * grads[name] for name in params]


def accuracy_right(y_hat, targets):
    return np.mean((y_hat > 0.5) == targets)


# ---- lesson 09 ----------------------------------------------------------------------------


def im2col_right(image, k):
    h, w = image.shape
    rows = []
    for i in range(h - k + 1):
        for j in range(w - k + 1):
            rows.append(image[i:i + k, j:j + k].ravel())
    return np.array(rows)


def im2col_columns_first(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].ravel() for j in range(w - k + 1)
                     for i in range(h - k + 1)])


def im2col_fortran(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].flatten("F") for i in range(h - k + 1)
                     for j in range(w - k + 1)])


def im2col_off_by_one(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].ravel() for i in range(h - k)
                     for j in range(w - k)])


def im2col_past_the_edge(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].ravel() for i in range(w - k + 1)
                     for j in range(h - k + 1)])        # H and W swapped: ragged patches


def im2col_stride_k(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].ravel() for i in range(0, h - k + 1, k)
                     for j in range(0, w - k + 1, k)])


def softmax_grad_right(logits, labels):
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p / len(labels)


def softmax_grad_naive(logits, labels):
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p / len(labels)


def softmax_grad_global_max(logits, labels):
    z = logits - logits.max()
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p / len(labels)


def softmax_grad_columns(logits, labels):
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p[:, labels] -= 1
    return p / len(labels)


def softmax_grad_by_classes(logits, labels):
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p / logits.shape[1]


def softmax_grad_no_mean(logits, labels):
    return softmax_grad_right(logits, labels) * len(labels)


def softmax_grad_no_one_hot(logits, labels):
    z = logits - logits.max(axis=1, keepdims=True)
    return np.exp(z) / np.exp(z).sum(axis=1, keepdims=True) / len(labels)


def softmax_grad_no_softmax(logits, labels):
    grad = logits.copy()
    grad[np.arange(len(labels)), labels] -= 1
    return grad / len(labels)


MISTAKES.update({
    "08 gd_update": (lesson08.check_gd_update, gd_right, [
        (lambda p, g, lr: {k: p[k] + lr * g[k] for k in p}, "uphill"),
        (lambda p, g, lr: {k: p[k] - g[k] for k in p}, "learning rate"),
        (lambda p, g, lr: {k: -lr * g[k] for k in p}, "step alone"),
        (lambda p, g, lr: {k: p[k] - g[k] / lr for k in p}, "divided by the learning rate"),
        (lambda p, g, lr: {k: g[k] - lr * p[k] for k in p}, "swapped params and grads"),
        (gd_in_place, "new dict"),
        (gd_rebinds_keys, "new dict"),
        (gd_seed_keys, "grads[\"kernel\"]"),
        (gd_return_in_loop, "inside the loop"),
        (gd_list, "return a dict"),
    ]),
    "08 accuracy": (lesson08.check_accuracy, accuracy_right, [
        (lambda p, t: 100 * np.mean((p > 0.5) == t), "percentage"),
        (lambda p, t: np.sum((p > 0.5) == t), "divide by N"),
        (lambda p, t: np.mean((p > 0) == t), "threshold it at 0.5"),
        (lambda p, t: np.mean((p > 0.5) != t), "error rate"),
        (lambda p, t: np.mean((p >= 0.5) == t), "use >, not >="),
        (lambda p, t: np.mean(p == t), "not the probability"),
        (lambda p, t: (p > 0.5) == t, "one number"),
        (lambda p, t: np.mean(t[p > 0.5]), "precision"),
        (lambda p, t: np.mean((p > 0.5)[t == 1]), "recall"),
    ]),
    "09 im2col": (lesson09.check_im2col, im2col_right, [
        (lambda im, k: im2col_right(im, k).T, "transpose"),
        (im2col_columns_first, "go along each row first"),
        (im2col_fortran, "flatten it row by row"),
        (im2col_off_by_one, "off by one"),
        (lambda im, k: im2col_right(np.pad(im, k // 2), k), "no padding"),
        (im2col_stride_k, "stride 1"),
        (lambda im, k: np.lib.stride_tricks.sliding_window_view(im, (k, k)), "reshape"),
        (im2col_past_the_edge, "past the edge"),
    ]),
    "09 softmax_grad": (lesson09.check_softmax_grad, softmax_grad_right, [
        (softmax_grad_no_mean, "batch size"),
        (lambda z, y: -softmax_grad_right(z, y), "sign"),
        (softmax_grad_no_softmax, "apply the softmax first"),
        (softmax_grad_no_one_hot, "subtract the one-hot"),
        (softmax_grad_naive, "overflowed"),
        (softmax_grad_global_max, "each row's own maximum"),
        (softmax_grad_columns, "np.arange(N)"),
        (softmax_grad_by_classes, "not the number of classes"),
    ]),
})


@pytest.mark.parametrize("exercise", sorted(MISTAKES))
def test_the_right_answer_passes(exercise):
    checker, right, _ = MISTAKES[exercise]
    result = checker(right)
    assert result.passed, str(result)


@pytest.mark.parametrize("exercise", sorted(MISTAKES))
def test_every_catalogued_mistake_fails_with_a_hint_that_names_it(exercise):
    checker, _, mistakes = MISTAKES[exercise]
    assert len(mistakes) >= 6, f"{exercise}: only {len(mistakes)} mistakes catalogued"
    hints = []
    for wrong, words in mistakes:
        result = checker(wrong)
        name = getattr(wrong, "__name__", "a lambda")
        assert not result.passed, f"{exercise}: {name} passed"
        assert words in result.message, f"{exercise}: {name} got {result.message!r}, " \
                                        f"which does not mention {words!r}"
        hints.append(result.message)
    # the hints are specific: no generic "values differ" among them
    assert not [h for h in hints if "values differ" in h or "your function returned [" in h]


@pytest.mark.parametrize("exercise", sorted(MISTAKES))
def test_a_stub_and_a_crash_say_not_yet(exercise):
    checker, _, _ = MISTAKES[exercise]

    def stub(*args):
        return None

    def crash(*args):
        raise RuntimeError("something unexpected")

    assert "return" in checker(stub).message
    result = checker(crash)
    assert not result.passed and "RuntimeError" in result.message


@pytest.mark.parametrize("exercise", sorted(MISTAKES))
def test_the_checker_never_changes_the_learners_arguments(exercise):
    """An answer that writes into its inputs is reported, and what the checker expects is
    computed from untouched inputs (the learner's mutation cannot move the target)."""
    checker, right, _ = MISTAKES[exercise]
    seen = []

    def vandal(*args):
        answer = right(*[a.copy() if isinstance(a, np.ndarray) else
                         {k: v.copy() for k, v in a.items()} if isinstance(a, dict) else a
                         for a in args])
        for a in args:
            if isinstance(a, np.ndarray):
                seen.append(a.copy())
                a[...] = 0
            elif isinstance(a, dict):
                for value in a.values():
                    value[...] = 0
        return answer

    result = checker(vandal)
    assert not result.passed and "in place" in result.message, result.message
    # the same inputs reach a second call unchanged
    checker(lambda *args: seen.extend(a.copy() for a in args if isinstance(a, np.ndarray)))
    assert checker(right).passed
