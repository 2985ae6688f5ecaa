"""A catalogue of the mistakes learners make in the exercises of lessons 00-05.

For every exercise: at least six plausible wrong answers, written the way a learner writes them
(loops, slices, a forgotten step), each paired with words its hint must contain.  None may pass,
each must get the hint that names it (never the generic "values differ"), no warning may reach
the page, and the checker must neither change the learner's arguments' meaning nor let the
learner's mutation change the expected answer.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from cnnlab.lessons import lesson00, lesson01, lesson02, lesson03, lesson04, lesson05
from cnnlab.lessons._check import check_function

# ---- lesson 00 --------------------------------------------------------------------------------


def invert_in_place(image):
    image[...] = 255 - image
    return image


def invert_bits(image):
    return np.invert(image)


def brightest_last(image):
    best, where = -np.inf, None
    for i in range(image.shape[0]):
        for j in range(image.shape[1]):
            if image[i, j] >= best:                  # >= keeps the last of a tie
                best, where = image[i, j], (i, j)
    return where


def brightest_divmod_rows(image):
    flat = np.argmax(image)
    return flat // image.shape[0], flat % image.shape[0]


INVERT = [
    (lambda image: -image, "negated"),
    (lambda image: 1 - image, "0..1"),
    (lambda image: 1.0 - image.astype(float), "0..1"),
    (lambda image: 256 - image, "256"),
    (lambda image: image.max() - image, "brightest pixel"),
    (lambda image: image - 255, "image - 255"),
    (lambda image: image, "unchanged"),
    (invert_in_place, "in place"),
    (invert_bits, "np.invert"),
    (lambda image: ~image, "~"),
]
BRIGHTEST = [
    (lambda im: np.unravel_index(np.argmax(im), im.shape)[::-1], "(column, row)"),
    (lambda im: np.argmax(im), "flat index"),
    (lambda im: (np.argmax(im),), "flat index"),
    (brightest_last, "last one"),
    (lambda im: (np.argmax(im.max(axis=1)), np.argmax(im.max(axis=0))), "from another"),
    (lambda im: np.unravel_index(np.argmin(im), im.shape), "darkest"),
    (lambda im: np.argmax(im, axis=0), "axis=0"),
    (lambda im: np.argmax(im, axis=1), "axis=1"),
    (brightest_divmod_rows, "number of rows"),
    (lambda im: tuple(int(i) + 1 for i in np.unravel_index(np.argmax(im), im.shape)), "from 0"),
    (lambda im: np.where(im == im.max()), "every brightest"),
]

# ---- lesson 01 --------------------------------------------------------------------------------


def box_list_flat():
    return [1 / 9] * 9


BOX_BLUR = [
    (lambda: np.ones((3, 3)), "divide by 9"),
    (lambda: np.ones((3, 3)) / 3, "sum to 3"),
    (lambda: np.ones((3, 3)) / 8, "divides by 9"),
    (lambda: 1 / 9, "one number"),
    (box_list_flat, "flat list"),
    (lambda: np.ones((3, 3)) // 9, "floor division"),
    (lambda: np.ones((5, 5)) / 25, "5x5"),
    (lambda: np.eye(3)[1:2].T @ np.eye(3)[1:2], "identity"),
]


def apply_at_centred(image, kernel, i, j):
    return np.sum(image[i - 1:i + 2, j - 1:j + 2] * kernel)


def apply_at_loops_swapped(image, kernel, i, j):
    total = 0.0
    for a in range(3):
        for b in range(3):
            total += image[j + a, i + b] * kernel[a, b]
    return total


APPLY_AT = [
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * np.flip(k)), "flipped"),
    (apply_at_centred, "centred"),
    (apply_at_loops_swapped, "swapped i and j"),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k.T), "transposed"),
    (lambda im, k, i, j: im[i:i + 3, j:j + 3] * k, "their sum"),
    (lambda im, k, i, j: (im[i:i + 3, j:j + 3] * k).mean(), "mean"),
    (lambda im, k, i, j: im[i:i + 3, j:j + 3].sum(), "without multiplying"),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] @ k), "matrix product"),
    (lambda im, k, i, j: np.sum(im[i:i + 2, j:j + 2] * k), "2x2"),
    (lambda im, k, i, j: np.sum(im[i:i + 4, j:j + 4] * k), "4x4"),
    (lambda im, k, i, j: np.sum(im[0:3, 0:3] * k), None),       # generic: shows the input
]

# ---- lesson 02 --------------------------------------------------------------------------------


def stack_rows_only(image, p):
    rows = np.zeros((p, image.shape[1]))
    return np.vstack([rows, image, rows])


def stack_short_columns(image, p):
    rows = np.zeros((p, image.shape[1]))
    stacked = np.vstack([rows, image, rows])
    cols = np.zeros((image.shape[0], p))             # H tall, should be H + 2p
    return np.hstack([cols, stacked, cols])


def stack_rows_square(image, p):
    rows = np.zeros((p, image.shape[0]))             # uses H where W is needed
    stacked = np.vstack([rows, image, rows])
    cols = np.zeros((stacked.shape[0], p))
    return np.hstack([cols, stacked, cols])


def stack_one_side(image, p):
    stacked = np.vstack([np.zeros((p, image.shape[1])), image])
    return np.hstack([np.zeros((stacked.shape[0], p)), stacked])


def stack_ones(image, p):
    rows = np.ones((p, image.shape[1]))
    stacked = np.vstack([rows, image, rows])
    cols = np.ones((stacked.shape[0], p))
    return np.hstack([cols, stacked, cols])


def stack_always_one(image, p):
    rows = np.zeros((1, image.shape[1]))
    stacked = np.vstack([rows, image, rows])
    cols = np.zeros((stacked.shape[0], 1))
    return np.hstack([cols, stacked, cols])


def stack_2p(image, p):
    rows = np.zeros((2 * p, image.shape[1]))
    stacked = np.vstack([rows, image, rows])
    cols = np.zeros((stacked.shape[0], 2 * p))
    return np.hstack([cols, stacked, cols])


PAD = [
    (lambda image, p: np.pad(image, p), "np.pad"),
    (lambda image, p: np.pad(image, ((p, p), (p, p)), mode="constant"), "np.pad"),
    (stack_rows_only, "not the columns"),
    (lambda image, p: np.hstack([np.zeros((image.shape[0], p)), image,
                                 np.zeros((image.shape[0], p))]), "not the rows"),
    (stack_one_side, "top and the left"),
    (stack_2p, "EACH side"),
    (stack_always_one, "always padded by 1"),
    (stack_ones, "ones"),
    (stack_short_columns, "H + 2 * p"),
    (stack_rows_square, "not square"),
]
OUTPUT_SIZE_02 = [
    (lambda n, k, p: n + p - k + 1, "EACH side"),
    (lambda n, k, p: n + 2 * p - k, "off by one"),
    (lambda n, k, p: n + 2 * p, "padded size"),
    (lambda n, k, p: n - k + 1, "left out the padding"),
    (lambda n, k, p: n + 2 * p - k - 1, "off by two"),
    (lambda n, k, p: n + 2 * p + k - 1, "do not add"),
    (lambda n, k, p: (n + 2 * p - k + 1) ** 2, "number of output cells"),
    (lambda n, k, p: n - 2 * p - k + 1, "bigger"),
]

# ---- lesson 03 --------------------------------------------------------------------------------


def conv_stride_in_range(image, kernel, stride):
    kh, kw = kernel.shape
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)     # forgot * stride
    return out


def conv_no_stride(image, kernel, stride):
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return out


def conv_loop(image, kernel, stride, flip=False, transpose=False, average=False,
              last=True, input_sized=False):
    k = kernel[::-1, ::-1] if flip else kernel.T if transpose else kernel
    kh, kw = k.shape
    oh = (image.shape[0] - kh) // stride + 1
    ow = (image.shape[1] - kw) // stride + 1
    out = np.zeros(image.shape if input_sized else (oh - (not last), ow - (not last)))
    for i in range(oh - (not last)):
        for j in range(ow - (not last)):
            patch = image[i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[i, j] = np.mean(patch * k) if average else np.sum(patch * k)
    return out


def conv_swapped(image, kernel, stride):
    kh, kw = kernel.shape
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[j * stride:j * stride + kh, i * stride:i * stride + kw]
                               * kernel)
    return out


OUTPUT_SIZE_03 = [
    (lambda n, k, s, p: n + 2 * p - k + 1, "include the stride"),
    (lambda n, k, s, p: (n + 2 * p - k) / s + 1, "floor division"),
    (lambda n, k, s, p: (n + p - k) // s + 1, "EACH side"),
    (lambda n, k, s, p: (n + 2 * p - k + 1) // s, "off by one"),
    (lambda n, k, s, p: (n + 2 * p - k) // s, "+ 1"),
    (lambda n, k, s, p: math.ceil((n + 2 * p - k) / s) + 1, "rounded up"),
    (lambda n, k, s, p: (n + 2 * p - k) * s + 1, "do not multiply"),
    (lambda n, k, s, p: round((n + 2 * p - k) / s) + 1, "round()"),
    (lambda n, k, s, p: (n - k) // s + 1, "padding"),
]
CONV = [
    (lambda im, k, s: conv_loop(im, k, s, flip=True), "flipped the kernel"),
    (conv_no_stride, "include the stride"),
    (conv_stride_in_range, "right size"),
    (lambda im, k, s: conv_loop(im, k, s, transpose=True), "transposed"),
    (lambda im, k, s: conv_loop(np.pad(im, 1), k, s), "padded"),
    (lambda im, k, s: conv_loop(im, k, s, input_sized=True), "input's size"),
    (lambda im, k, s: conv_loop(im, k, s, last=False), "last row and column"),
    (lambda im, k, s: conv_loop(im, k, s, average=True), "averaged"),
    (conv_swapped, "not square"),
]

# ---- lesson 04 --------------------------------------------------------------------------------


def pool_loop(m, size, stride, reduce=np.max, start=None, ceil=False, drop_last=False):
    start = stride if start is None else start
    def count(n):
        return (-(-(n - size) // stride) if ceil else (n - size) // stride) + 1 - drop_last
    out = np.zeros((count(m.shape[0]), count(m.shape[1])))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = reduce(m[i * start:i * start + size, j * start:j * start + size])
    return out


def pool_too_big(m, size, stride):
    out = np.zeros(((m.shape[0] - size) // stride + 1, (m.shape[1] - size) // stride + 1))
    for i in range(0, m.shape[0], stride):       # loops over the input, writes past the end
        for j in range(0, m.shape[1], stride):
            out[i // stride, j // stride] = m[i:i + size, j:j + size].max()
    return out


MAX_POOL = [
    (lambda m, size, stride: pool_loop(m, size, size), "include the stride"),
    (lambda m, size, stride: pool_loop(m, size, stride, np.mean), "average"),
    (lambda m, size, stride: pool_loop(m, stride, stride), "stride as the window"),
    (lambda m, size, stride: pool_loop(m, size, stride, np.min), "smallest"),
    (lambda m, size, stride: pool_loop(m, size, stride, np.sum), "sum"),
    (lambda m, size, stride: pool_loop(m, size, stride, start=1), "right size"),
    (lambda m, size, stride: pool_loop(m, size, stride, ceil=True), "floor rule"),
    (lambda m, size, stride: pool_loop(m, size, stride, drop_last=True), "last row"),
    (lambda m, size, stride: pool_loop(m.T, size, stride), "swapped"),
    (lambda m, size, stride: m.max(), "whole map"),
    (pool_too_big, "outside the output"),
]


def backward_loop(grad, fmap, rule="first", value=None):
    out = np.zeros(fmap.shape)
    for i in range(grad.shape[0]):
        for j in range(grad.shape[1]):
            window = fmap[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            for a in range(2):
                for b in range(2):
                    hit = {"all": window[a, b] == window.max(),
                           "min": (a, b) == np.unravel_index(np.argmin(window), (2, 2)),
                           "first": (a, b) == np.unravel_index(np.argmax(window), (2, 2)),
                           "last": (a, b) == tuple(np.argwhere(window == window.max())[-1])}
                    if hit[rule]:
                        out[2 * i + a, 2 * j + b] = (grad[i, j] if value is None
                                                     else value(grad[i, j], window[a, b]))
    return out


BACKWARD = [
    (lambda g, m: np.repeat(np.repeat(g, 2, axis=0), 2, axis=1) / 4, "average pooling"),
    (lambda g, m: np.repeat(np.repeat(g, 2, axis=0), 2, axis=1), "only the cell"),
    (lambda g, m: backward_loop(g, m, "all"), "to both"),
    (lambda g, m: backward_loop(g, m, "last"), "the last one"),
    (lambda g, m: backward_loop(g, m, "first", lambda gv, mv: mv), "winning values"),
    (lambda g, m: backward_loop(g, m, "min"), "smallest"),
    (lambda g, m: backward_loop(g, m, "first", lambda gv, mv: gv * mv), "multiplied"),
    (lambda g, m: g, "grad_pooled itself"),
]

# ---- lesson 05 --------------------------------------------------------------------------------


def make_forward(relu=True, bias_after=False, squash=True, conv_bias=True, pool="max",
                 flip=False, out_b=True, padding="same", sign=1.0):
    from cnnlab import avg_pool, conv2d, max_pool

    def forward(image, kernel, bias, weight, out_bias):
        C = conv2d(image, np.flip(kernel) if flip else kernel, padding=padding)
        if conv_bias and not bias_after:
            C = C + bias
        R = np.maximum(C, 0) if relu else C
        if bias_after:
            R = R + bias
        S = max_pool(R, 2) if pool == "max" else avg_pool(R, 2)
        z = S.flatten() @ weight + (out_bias if out_b else 0)
        return 1 / (1 + np.exp(-sign * z)) if squash else z
    return forward


FORWARD = [
    (make_forward(relu=False), "skipped the ReLU"),
    (make_forward(bias_after=True), "after the ReLU"),
    (make_forward(squash=False), "logit"),
    (make_forward(conv_bias=False), "conv bias"),
    (make_forward(pool="avg"), "average pooling"),
    (make_forward(flip=True), "flipped the kernel"),
    (make_forward(out_b=False), "output bias"),
    (make_forward(sign=-1.0), "sign"),
    (make_forward(padding=0), "padding='same'"),
]


def sigmoid_where(x):
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


def sigmoid_math(x):
    return 1 / (1 + math.exp(-x))


def sigmoid_if(x):
    if x < 0:
        return np.exp(x) / (1 + np.exp(x))
    return 1 / (1 + np.exp(-x))


SIGMOID = [
    (lambda x: 1 / (1 + np.exp(-x)), "overflowed at x = -1000"),
    (lambda x: np.exp(x) / (1 + np.exp(x)), "inf / inf = nan"),
    (sigmoid_where, "both"),
    (lambda x: 1 / (1 + np.exp(x)), "check the sign"),
    (lambda x: np.exp(-np.logaddexp(0, x)), "check the sign"),
    (lambda x: 0.5 * (1 + np.tanh(x)), "tanh(x / 2)"),
    (lambda x: 1 / np.exp(-x), "1 +"),
    (lambda x: np.logaddexp(0, -x), "exp of minus"),
    (sigmoid_math, "math.exp"),
    (sigmoid_if, "whole array"),
]

CATALOGUE = {
    "00 invert": (lesson00.check_invert, INVERT),
    "00 brightest": (lesson00.check_brightest, BRIGHTEST),
    "01 box_blur": (lesson01.check_box_blur, BOX_BLUR),
    "01 apply_at": (lesson01.check_apply_at, APPLY_AT),
    "02 pad_by_stacking": (lesson02.check_pad_by_stacking, PAD),
    "02 output_size": (lesson02.check_output_size, OUTPUT_SIZE_02),
    "03 output_size": (lesson03.check_output_size, OUTPUT_SIZE_03),
    "03 conv2d": (lesson03.check_conv2d, CONV),
    "04 max_pool": (lesson04.check_max_pool, MAX_POOL),
    "04 max_pool_backward": (lesson04.check_max_pool_backward, BACKWARD),
    "05 forward": (lesson05.check_forward, FORWARD),
    "05 sigmoid": (lesson05.check_sigmoid, SIGMOID),
}
MISTAKES = [pytest.param(checker, wrong, words, id=f"{name}-{k}")
            for name, (checker, mistakes) in CATALOGUE.items()
            for k, (wrong, words) in enumerate(mistakes)]


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_each_exercise_has_six_named_mistakes(name):
    named = [words for _, words in CATALOGUE[name][1] if words is not None]
    assert len(named) >= 6


@pytest.mark.parametrize(("checker", "wrong", "words"), MISTAKES)
def test_mistake_fails_with_its_hint_and_no_warning(checker, wrong, words):
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # a warning reaching the page fails the test
        result = checker(wrong)
    assert not result.passed, f"a wrong answer passed: {result}"
    assert str(result).startswith("NOT YET")
    if words is None:
        assert " on " in result.message and "expected" in result.message, result.message
    else:
        assert words in result.message, f"{result.message!r} should name {words!r}"


def test_generic_message_shows_the_small_failing_input():
    result = lesson01.check_apply_at(lambda im, k, i, j: np.sum(im[0:3, 0:3] * k))
    assert "i=" in result.message and "[[" in result.message
    assert "index (" not in result.message
    result = lesson02.check_output_size(lambda n, k, p: 7)
    assert "n=28, k=5, p=0" in result.message and "expected 24" in result.message


def test_checker_uses_private_copies():
    """A learner's function that mutates its argument is named, and the mutation cannot
    change the expected answer of a later case."""
    seen = []

    def mutating_pool(m, size, stride):
        seen.append(m.copy())
        out = pool_loop(m, size, stride)
        m[...] = 0.0
        return out

    result = lesson04.check_max_pool(mutating_pool)
    assert not result.passed and "in place" in result.message
    before = lesson04._MAP.copy()
    assert np.array_equal(lesson04._MAP, before) and seen[0].any()

    def right_then_mutate(m, size, stride):
        out = pool_loop(m, size, stride)
        return out

    assert lesson04.check_max_pool(right_then_mutate).passed

    # check_function computes the expected answer from its own copy, after the learner ran
    calls = []

    def learner(x):
        calls.append(1)
        x += 100.0          # mutates its (private) copy
        return x - 100.0

    result = check_function(learner, [(np.ones(3),)], lambda x: x.copy(), name="f")
    assert not result.passed and "in place" in result.message


def test_right_answers_written_by_hand_pass():
    def brightest(image):
        return np.unravel_index(np.argmax(image), image.shape)

    def pad_by_stacking(image, p):
        rows = np.zeros((p, image.shape[1]))
        stacked = np.vstack([rows, image, rows])
        cols = np.zeros((stacked.shape[0], p))
        return np.hstack([cols, stacked, cols])

    def sigmoid(x):
        out = np.empty_like(x, dtype=float)
        neg = x < 0
        out[~neg] = 1 / (1 + np.exp(-x[~neg]))
        out[neg] = np.exp(x[neg]) / (1 + np.exp(x[neg]))
        return out

    def backward(grad, fmap):
        return backward_loop(grad, fmap, "first")

    for checker, answer in [
            (lesson00.check_invert, lambda image: 255 - image),
            (lesson00.check_invert, lambda image: 255.0 - image.astype(float)),
            (lesson00.check_brightest, brightest),
            (lesson01.check_box_blur, lambda: np.ones((3, 3)) / 9),
            (lesson01.check_apply_at, lambda im, k, i, j: (im[i:i + 3, j:j + 3] * k).sum()),
            (lesson02.check_pad_by_stacking, pad_by_stacking),
            (lesson02.check_output_size, lambda n, k, p: n + 2 * p - k + 1),
            (lesson03.check_output_size, lambda n, k, s, p: (n + 2 * p - k) // s + 1),
            (lesson03.check_conv2d, conv_loop),
            (lesson04.check_max_pool, pool_loop),
            (lesson04.check_max_pool_backward, backward),
            (lesson05.check_forward, make_forward()),
            (lesson05.check_sigmoid, sigmoid)]:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = checker(answer)
        assert result.passed, str(result)
