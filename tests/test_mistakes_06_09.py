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
