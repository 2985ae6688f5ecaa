"""Lesson 07's mistake catalogues, as data: for each exercise its test cases, the models of the
mistakes learners make (each the answer that mistake gives) and the hint that names it; and the
bug zoo's buggy kernel gradients (the panel's catalogue of bugs).

:mod:`cnnlab.lessons.lesson07` declares the exercises themselves (task, idea, solution); its
tests (tests/lessons/test_lesson07.py) write each mistake out as a learner would and check that
its hint names it.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ..conv import conv2d, conv2d_backward
from ..seednet import seed_forward, seed_kernel_gradient_as_written
from ._check import CheckResult, compare_arrays, first_failure, run_function, same

LOPSIDED_EDGE = np.array([[-0.5, 0.0, 0.5], [-1.0, 0.0, 1.0], [-0.25, 0.0, 0.25]])
"""A vertical-edge kernel with a weaker bottom row: its 180-degree rotation is neither the kernel
nor its negative, so a rotated gradient cannot pass for the right one by accident."""


def with_zeros(rng, shape):
    """Non-integer pixels in [0, 1) with some exactly 0, as in a real digit."""
    return rng.random(shape) * (rng.random(shape) > 0.3)


def refuse(names, task):
    """``forbidden`` entries: each library call named, refused with the task's words."""
    return [(name, f"this exercise asks you to {task}: do not call {name}") for name in names]


# ---- grad_kernel: dL/dK of a 3x3 kernel, 'same' padding ---------------------------------------

def grad_k(image, grad_conv, kernel_shape=(3, 3), padding=1):
    """dL/dK of a kernel of ``kernel_shape`` (the right answer)."""
    return conv2d_backward(grad_conv, image, np.zeros(kernel_shape), padding=padding)[1]


def _last_patch_only(image, grad_conv):
    h, w = grad_conv.shape
    return grad_conv[h - 1, w - 1] * np.pad(image, 1)[h - 1:h + 2, w - 1:w + 2]


def _unpadded(image, grad_conv, offset):
    h, w = image.shape[0] - 2, image.shape[1] - 2
    return grad_k(image, grad_conv[offset:offset + h, offset:offset + w], padding=0)


_rng = np.random.default_rng(7)
GRAD_KERNEL_CASES = [(with_zeros(_rng, (6, 7)),
                      _rng.normal(size=(6, 7)) * (_rng.random((6, 7)) > 0.4)),
                     (with_zeros(_rng, (5, 4)), _rng.normal(size=(5, 4)))]
def _edge_padded(image, grad_conv):
    """dK with the image padded by its edge pixels instead of zeros."""
    padded = np.pad(image, 1, mode="edge")
    return sum(grad_conv[i, j] * padded[i:i + 3, j:j + 3]
               for i in range(grad_conv.shape[0]) for j in range(grad_conv.shape[1]))


GRAD_KERNEL = [
    (lambda im, g: seed_kernel_gradient_as_written(im, g, 3),
     "your dK is the right one rotated 180 degrees: you flipped the kernel (image[i-u, j-v] "
     "instead of image[i+u, j+v]), or padded dL/dC and slid the image over it (pad the image, "
     "then slide dL/dC over it); the rotation belongs to dL/dI, not dL/dK"),
    (lambda im, g: grad_k(im, g) + g.sum(),
     "every tap is off by the same amount, sum(dL/dC): you added dL/db (the bias's gradient, "
     "the sum of dL/dC) to each tap; dL/dK sums dL/dC times the image under each tap, nothing "
     "more"),
    (_last_patch_only, "only the last patch counts: you overwrote the sum (grad = ...) instead of "
                       "accumulating it (grad += ...) inside the loop"),
    (lambda im, g: _unpadded(im, g, 1), "you skipped the border cells: pad the image by 1 so "
                                         "every output cell has its 3x3 patch"),
    (lambda im, g: _unpadded(im, g, 0), "you used the unpadded image, so patch (i, j) was paired "
                                         "with the wrong cell of dL/dC: pad the image by 1 first "
                                         "(np.pad(image, 1))"),
    (lambda im, g: grad_k(im, g) / g.size, "you averaged over the cells; dK is a sum over them"),
    (lambda im, g: grad_k(im, g).T, "your dK is transposed: entry [u, v] belongs to row offset u "
                                    "and column offset v"),
    (lambda im, g: grad_k(im, np.ones_like(g)), "you summed the patches without weighting them: "
                                                "multiply each patch by its dL/dC[i, j]"),
    (lambda im, g: -grad_k(im, g), "the sign is flipped: dK = + sum of dL/dC times the patch"),
    (lambda im, g: grad_k(im, g * (im != 0)),
     "you masked dL/dC where the image is 0: dL/dC is already masked by the ReLU; a 0 pixel only "
     "adds nothing to the taps that read it, and the cell centred on it still counts"),
    (lambda im, g: grad_k(im, g * (g > 0)), "you dropped the negative cells of dL/dC: every cell "
                                            "counts, with its sign"),
    (lambda im, g: grad_k(im, np.abs(g)), "every cell of dL/dC counts with its sign: no abs"),
    (lambda im, g: grad_k(im, g[::-1, ::-1]), "you read dL/dC backwards (rotated 180 degrees): "
                                              "patch (i, j) goes with dL/dC[i, j]"),
    (lambda im, g: grad_k(im, g * (np.arange(g.shape[1]) < g.shape[0])),
     "your column loop stops at the number of rows (range(H) for both loops, as if the image "
     "were square): on the 6x7 image the last column of dL/dC never counted; loop j over "
     "range(W), W = grad_conv.shape[1]"),
    (lambda im, g: grad_k(im, g * (np.arange(g.shape[0]) < g.shape[1])[:, None]),
     "your row loop stops at the number of columns (range(W) for both loops, as if the image "
     "were square): on the 5x4 image the last row of dL/dC never counted; loop i over "
     "range(H), H = grad_conv.shape[0]"),
    (_edge_padded, "you padded by repeating the edge pixels: 'same' padding adds zeros "
                   "(np.pad's default)"),
    (lambda im, g: grad_k(im[::-1, ::-1], g), "you rotated the image: patch (i, j) is "
                                              "padded[i:i+3, j:j+3] of the image as it is"),
]
_HEIGHT_FOR_WIDTH = ("on the 5x4 image your slices are 5 wide where dL/dC is 4 wide: you used "
                     "the height for the width too; the width is image.shape[1] (h, w = "
                     "image.shape)")
_WIDTH_FOR_HEIGHT = ("on the 6x7 image your slices are 7 high where dL/dC is 6 high: you used "
                     "the width for the height too; the height is image.shape[0] (h, w = "
                     "image.shape)")
_HARD_CODED_SIZE = ("your slice of the padded image ran to its end (8x9 for the 6x7 image) "
                    "while dL/dC is 6x7: did you hard-code the image size (28x28, [:28, :28])? "
                    "Take the size from the arguments, h, w = grad_conv.shape, and cut "
                    "padded[u:u+h, v:v+w]")
GRAD_KERNEL_EXCEPTIONS = [
    (ValueError, "(5,4) (5,5)", _HEIGHT_FOR_WIDTH), (ValueError, "(5,5) (5,4)", _HEIGHT_FOR_WIDTH),
    (ValueError, "(6,7) (7,7)", _WIDTH_FOR_HEIGHT), (ValueError, "(7,7) (6,7)", _WIDTH_FOR_HEIGHT),
    (ValueError, "(8,9) (6,7)", _HARD_CODED_SIZE), (ValueError, "(6,7) (8,9)", _HARD_CODED_SIZE),
    (ValueError, "broadcast", "a patch at the border is smaller than 3x3 (shapes could not be "
                              "broadcast): pad the image by 1, then cut padded[i:i+3, j:j+3]"),
    (IndexError, None, "you indexed past the edge of an array: loop i over range(H) and j over "
                       "range(W) of dL/dC, and cut the patches from the padded image"),
]


def grad_kernel_shape_hint(shape):
    if shape == (1, 1):
        return ("your answer is 1x1: without padding, conv2d(image, grad_conv) fits dL/dC (as "
                "big as the image) at one place only; pad the image by 1 first, "
                "conv2d(image, grad_conv, padding=1), so each of the 3x3 taps gets its patch")
    return ("your answer has the image's shape: dK has one entry per kernel tap (3x3); did you "
            "compute dL/dI instead?" if shape in ((6, 7), (5, 4)) else None)


# ---- grad_bias: dL/db of the conv bias, through the ReLU ---------------------------------------

_rng = np.random.default_rng(70)
GRAD_BIAS_CASES = [(_rng.normal(size=shape), np.round(_rng.normal(size=shape), 1))  # exact 0s
                   for shape in ((5, 5), (3, 4))]
GRAD_BIAS = [
    (lambda g, pre: np.sum(g), "you forgot the ReLU: the gradient only passes where "
                               "pre_activation > 0"),
    (lambda g, pre: np.mean(g * (pre > 0)), "b is added to every cell: sum their gradients, do "
                                            "not average them"),
    (lambda g, pre: np.mean(g[pre > 0]), "b is added to every cell: sum the gradients that pass, "
                                         "do not average them"),
    (lambda g, pre: np.sum(g * (pre < 0)), "your mask is inverted: the ReLU passes the gradient "
                                           "where pre_activation > 0"),
    (lambda g, pre: np.sum(g * (pre >= 0)), "a cell with pre_activation exactly 0 passes nothing "
                                            "(the ReLU's slope there is taken as 0): mask with "
                                            "> 0, not >= 0"),
    (lambda g, pre: np.sum(g * (g > 0)), "the mask comes from the ReLU's input "
                                         "(pre_activation > 0), not from the gradient"),
    (lambda g, pre: np.sum(g * np.maximum(pre, 0)), "b is added, not multiplied: dC/db = 1, so "
     "multiply by the ReLU's mask (pre > 0), not by the ReLU's output"),
    (lambda g, pre: np.sum(g * pre), "b is added, not multiplied: dC/db = 1, so no value of "
                                     "pre_activation multiplies the gradient"),
    (lambda g, pre: -np.sum(g * (pre > 0)), "the sign is flipped: dL/db = + sum of dL/dR where "
                                            "pre_activation > 0"),
    (lambda g, pre: np.max(g * (pre > 0)), "dL/db adds up the gradient of every cell: sum, not "
                                           "max"),
    (lambda g, pre: np.sum(np.abs(g) * (pre > 0)), "every cell's gradient counts with its sign: "
                                                   "no abs"),
    (lambda g, pre: np.sum(g * np.sign(pre)), "np.sign(pre_activation) is -1 where it is "
                                              "negative: the ReLU's slope there is 0, so mask "
                                              "with (pre_activation > 0)"),
    (lambda g, pre: np.sum(g[pre != 0]), "pre_activation != 0 lets the negative cells through: "
                                         "the ReLU passes the gradient where pre_activation > 0"),
    (lambda g, pre: np.sum(g * pre > 0), "(g * pre > 0) counts cells (True/False), it does not "
                                         "add gradients: np.sum(g * (pre > 0)), with brackets"),
    (lambda g, pre: np.sum(pre > 0), "you counted the cells that pass the ReLU; dL/db adds up "
                                     "their gradients: np.sum(grad_relu * (pre_activation > 0))"),
]
GRAD_BIAS_SHAPE_HINT = ("return one number: b was added to every cell, so sum the gradients "
                        "that pass the ReLU (your answer is an array, like dL/dC)")


def grad_bias_shape_hint(shape):
    """The hint for an answer of ``shape``: one number inside an array, a row or column of sums
    (one axis summed), or a whole map."""
    if shape == (1,):
        return ("your answer is an array holding one number (shape (1,)): dL/db is a number "
                "itself, np.sum(...) or float(np.sum(...)), without brackets or np.array([...]) "
                "around it")
    if len(shape) == 1:
        return (f"your answer is {shape[0]} numbers in a row: you summed over one axis only "
                f"(np.sum(..., axis=0) gives a sum per column, axis=1 per row); dL/db is one "
                f"number, the sum over every cell that passes the ReLU: np.sum(...) with no axis")
    return GRAD_BIAS_SHAPE_HINT


# ---- grad_image: dL/dI of a 'same' convolution, any odd kernel ---------------------------------

def grad_i(grad_conv, kernel):
    """dL/dI (the right answer)."""
    return conv2d_backward(grad_conv, np.zeros_like(grad_conv), kernel, padding="same")[0]


def _full(grad_conv, kernel):
    kh, kw = kernel.shape
    return conv2d(grad_conv, kernel[::-1, ::-1], padding=(kh - 1, kw - 1))


def _scatter_overwrite(grad_conv, kernel):
    kh, kw = kernel.shape
    out = np.zeros((grad_conv.shape[0] + kh - 1, grad_conv.shape[1] + kw - 1))
    for (i, j), g in np.ndenumerate(grad_conv):
        out[i:i + kh, j:j + kw] = g * kernel
    return out[kh // 2:out.shape[0] - kh // 2, kw // 2:out.shape[1] - kw // 2]


def _crop_from(full, top, left, shape):
    """``full[top:, left:]`` cut to ``shape``, with 0 where it runs out (a loop that skips)."""
    out = np.zeros(shape)
    part = full[top:top + shape[0], left:left + shape[1]]
    out[:part.shape[0], :part.shape[1]] = part
    return out


_ROTATE = "rotate it 180 degrees, both axes (k[::-1, ::-1])"
def _padded_by(grad_conv, kernel, rows, cols):
    """Cross-correlation of dL/dC, padded by ``rows`` and ``cols`` a side, with the rotated
    kernel; a window that does not fit gives 0 (a loop that skips it)."""
    kh, kw = kernel.shape
    padded, rotated = np.pad(grad_conv, ((rows, rows), (cols, cols))), kernel[::-1, ::-1]
    out = np.zeros(grad_conv.shape)
    for i, j in np.ndindex(out.shape):
        window = padded[i:i + kh, j:j + kw]
        if window.shape == rotated.shape:
            out[i, j] = np.sum(window * rotated)
    return out


GRAD_IMAGE = [
    (lambda g, k: _padded_by(g, k, k.shape[0] // 2, k.shape[0] // 2),
     "you padded dL/dC by kh//2 on both axes, as if the kernel were square: the columns need "
     "kw//2 (a 3x5 kernel: 1 row and 2 columns a side)"),
    (lambda g, k: _padded_by(g, k, k.shape[1] // 2, k.shape[1] // 2),
     "you padded dL/dC by kw//2 on both axes, as if the kernel were square: the rows need "
     "kh//2 (a 3x5 kernel: 1 row and 2 columns a side)"),
    (lambda g, k: _padded_by(g, k, k.shape[1] // 2, k.shape[0] // 2),
     "you swapped the paddings: the rows need kh//2 (the kernel's height) and the columns "
     "kw//2 (its width); you padded the rows by kw//2 and the columns by kh//2 (a 3x5 kernel: "
     "1 row and 2 columns a side)"),
    (lambda g, k: _crop_from(_full(g, k), k.shape[0] // 2 + 1, k.shape[1] // 2 + 1, g.shape),
     "your picture is shifted one row up and one column left: the crop starts one too far "
     "(kh//2 + 1); drop kh//2 rows and kw//2 columns from the top-left of the full result"),
    (lambda g, k: _full(g, k)[1:1 + g.shape[0], 1:1 + g.shape[1]],
     "you dropped a ring of 1 from the full result, which is right only for a 3x3 kernel: drop "
     "kh//2 rows and kw//2 columns a side (a 3x5 kernel: 1 row and 2 columns)"),
    (lambda g, k: np.pad(conv2d(g, k[::-1, ::-1]),
                         ((k.shape[0] // 2,) * 2, (k.shape[1] // 2,) * 2)),
     "your border is 0: you cross-correlated dL/dC with the rotated kernel without padding it "
     "(a 'valid' correlation) and filled the edge with zeros; dL/dI is a full convolution: "
     "pad dL/dC by kh - 1 rows and kw - 1 columns, correlate, then drop the ring (or pad by "
     "kh//2 and kw//2 and keep the image's size), so a border pixel collects from every cell "
     "whose patch covered it"),
    (lambda g, k: grad_i(g, k[::-1, ::-1]), "you did not rotate the kernel: dL/dI is a cross-"
     "correlation of dL/dC with the kernel rotated 180 degrees (k[::-1, ::-1])"),
    # grad_i rotates what it is given: grad_i(g, k[::-1]) correlates with k[:, ::-1]
    (lambda g, k: grad_i(g, k[::-1]), f"you flipped the kernel left-right only: {_ROTATE}"),
    (lambda g, k: grad_i(g, k[:, ::-1]), f"you flipped the kernel upside down only: {_ROTATE}"),
    (lambda g, k: grad_i(g, np.rot90(k, -1)), "np.rot90(k) turns the kernel 90 degrees; the "
     "rotation is 180 degrees: np.rot90(k, 2), or k[::-1, ::-1]"),
    (lambda g, k: grad_i(g, np.rot90(k)), "np.rot90(k, -1) turns the kernel 90 degrees; the "
     "rotation is 180 degrees: np.rot90(k, 2), or k[::-1, ::-1]"),
    (lambda g, k: _full(g, k)[:g.shape[0], :g.shape[1]], "you cut the top-left corner of the "
     "full result: drop the padding ring from every side, kh//2 rows and kw//2 columns"),
    (lambda g, k: grad_i(g, k.T[::-1, ::-1]), "you transposed the kernel (k.T, a mirror along "
     "its diagonal): dL/dI cross-correlates dL/dC with the kernel rotated 180 degrees, "
     "k[::-1, ::-1]"),
    (lambda g, k: -grad_i(g, k), "the sign is flipped: dL/dI = + sum of dL/dC times the taps"),
    (lambda g, k: g * k.sum(), "every pixel collects dL/dC of each cell whose patch covered it, "
                               "times the tap that read it: not dL/dC times the kernel's sum"),
    (lambda g, k: grad_i(g, k) / k.size, "you averaged over the taps; dL/dI is a sum"),
    (lambda g, k: 2 * grad_i(g, k), "twice too large: each (cell, tap) pair adds its product "
                                    "once"),
    (_scatter_overwrite, "you overwrote (=) where patches overlap: a pixel seen by several output "
                         "cells collects from all of them (+=)"),
]


GRAD_IMAGE_CASES = [(with_zeros(np.random.default_rng(71), (5, 6)) - 0.4, LOPSIDED_EDGE),
                    (np.random.default_rng(72).normal(size=(6, 7)),
                     np.array([[0.5, -1, 0.25, 0, 2], [1, 0.5, -0.75, 1.5, 0],
                               [-2, 0, 1, 0.25, -0.5]]))]


def grad_image_shape_hint(shape):
    if shape in ((3, 3), (3, 5)):
        return "your answer has the kernel's shape: that is dL/dK; dL/dI has the image's shape"
    if shape == (6, 5):                  # the 6x7 dL/dC and its 3x5 kernel, rows right
        # (or the 5x6 dL/dC of the first case, transposed)
        return ("your answer is 6x5. If the kernel was 3x5 (dL/dC 6x7), your rows are right "
                "(6) but you have 2 columns too few (5): you padded the columns by 1 like the "
                "rows (kh//2 = 1, or a padding of 1 written in); they need kw//2 = 2 a side, "
                "padding=(kh // 2, kw // 2) (the kernel is not square). If dL/dC was 5x6 (3x3 "
                "kernel), 6x5 is its shape transposed: rows and columns swapped (a .T, or "
                "grad_conv.T used); dL/dI has dL/dC's shape")
    if shape in ((7, 8), (8, 11)):
        return ("your answer is larger than the image: that is the full convolution (the padded "
                "image's gradient); drop the padding ring, kh//2 rows and kw//2 columns a side")
    return ("your answer is smaller than the image: pad dL/dC by kh - 1 rows and kw - 1 columns "
            "(a full convolution) before the cross-correlation")


# ---- numerical_gradient: centred finite differences -------------------------------------------

def wavy(x):
    """A smooth loss of an array whose centred and one-sided differences all differ, and whose
    slope in each entry depends on the others (a nudge left in place shows)."""
    return float(np.sum(np.sin(3 * x) * np.arange(1, x.size + 1).reshape(x.shape))
                 + x.flat[0] ** 3 + np.sum(x) ** 2)


def _differences(f, x, h, plus=1.0, minus=-1.0, divide=2.0, keep=False, dtype=float):
    """(f(x + plus h) - f(x + minus h)) / (divide h), one entry at a time; ``keep``: each
    nudge is left in place, never undone; ``dtype=None``: integers stay integers."""
    x, grad = np.array(x, dtype=dtype), np.zeros(np.shape(x))
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + plus * h
        high = f(x.copy())
        x[index] = original + minus * h
        grad[index] = (high - f(x.copy())) / (divide * h)
        x[index] = x[index] if keep else original
    return grad


def _whole_rows(f, x, h, view=False):
    """A loop over range(len(x)): on a 2-D x each nudge moves a whole row; ``view``: the
    row kept as original = x[k] (a view), which x[k] = original + h moves too, so the minus
    side lands back on x itself."""
    x, grad = np.array(x, dtype=float), np.zeros(np.shape(x))
    for k in range(len(x)):
        original = x[k].copy()
        x[k] = original + h
        high = f(x.copy())
        x[k] = original if view else original - h
        grad[k] = (high - f(x.copy())) / (2 * h)
        x[k] = original
    return grad


NUMERICAL_CASES = [(wavy, np.array([[0.3, -1.2, 0.0], [2.5, -0.7, 1.1]]), 1e-2),
                   (wavy, np.array([[0.5], [-2.0], [0.0], [1.5]]), 3e-3),
                   (wavy, np.array([[1, -2], [0, 3]]), 1e-2)]
NUMERICAL = [
    (partial(_differences, minus=0.0, divide=1.0), "that is the forward difference (f(x + h) - "
     "f(x)) / h, off by O(h); the centred one, (f(x + h) - f(x - h)) / 2h, is off by O(h^2)"),
    (partial(_differences, plus=0.0, divide=1.0), "that is the backward difference (f(x) - "
     "f(x - h)) / h; use the centred one, (f(x + h) - f(x - h)) / 2h"),
    (partial(_differences, minus=0.0), "your minus side is f(x), not f(x - h) (or you halved a "
                                       "forward difference): (f(x + h) - f(x - h)) / 2h"),
    (partial(_differences, divide=1.0), "twice too large: x + h and x - h are 2h apart, so "
                                        "divide by 2h"),
    (partial(_differences, plus=-1.0, minus=1.0), "the sign is flipped: (f(x + h) - f(x - h)) "
                                                  "/ 2h"),
    (partial(_differences, keep=True), "you never put each entry back after nudging it, so every "
     "later entry is measured at a moved x: restore x[index] = original"),
    # a fixed h of 1e-3 or smaller gives answers too close to tell apart (all within O(h^2))
    *[(lambda f, x, h, own=own: _differences(f, x, own), f"your answer is the one for h = {own}"
       f"{'' if own == 1e-2 else ' or smaller'}, a number of your own, not the h you were given "
       f"(this case passes h = 0.003): use the argument h") for own in (1e-2, 1e-3, 1e-4)],
    (lambda f, x, h: _differences(f, x, 1e-6), "you used a fixed h of your own (a tiny one, such "
                                                "as 1e-5 or 1e-6), not the h you were given: use "
                                                "the argument h"),
    (partial(_whole_rows, view=True), "range(len(x)) walks over the rows of a 2-D x, so "
     "x[k] + h nudged a whole row at once, and original = x[k] is a view of that row, so "
     "x[k] = original + h moved original too (your minus side was f(x) itself): loop over "
     "every entry, for index in np.ndindex(x.shape), where x[index] is one number"),
    (_whole_rows, "range(len(x)) walks over the rows of a 2-D x, so x[k] + h nudged a whole row "
                  "at once: loop over every entry, for index in np.ndindex(x.shape)"),
    (partial(_differences, plus=0.5, minus=-0.5, divide=1.0), "you nudged by h / 2 on each side: "
     "the exercise's step is h, (f(x + h) - f(x - h)) / 2h"),
    (lambda f, x, h: np.abs(_differences(f, x, h)), "np.abs throws the slope's sign away: "
                                                    "(f(x + h) - f(x - h)) / 2h as it is"),
    (lambda f, x, h: _differences(f, x, h) * (np.arange(np.size(x)) < np.size(x) - 1)
     .reshape(np.shape(x)),
     "your last entry is 0 and the others are right: the loop stopped one short "
     "(range(x.size - 1), or a range that ends before the last index); visit every entry, "
     "for index in np.ndindex(x.shape)"),
    (lambda f, x, h: np.full(np.shape(x), (f(x + h) - f(x - h)) / (2 * h)),
     "you nudged every entry at once: nudge one entry at a time, the others fixed"),
    (partial(_differences, dtype=None), "x holds integers, so x[index] = original + h stored "
     "an integer (the nudge was cut off): work on a float copy, np.array(x, dtype=float)"),
    (partial(_differences, divide=4.0), "half too small: x + h and x - h are 2h apart, so "
                                        "divide by 2h"),
    (lambda f, x, h: _differences(f, x, h) / h, "1/h times too large: you divided by h twice "
     "(/ (2 * h ** 2), or / 2 / h / h); divide the difference by 2h once"),
    (lambda f, x, h: _differences(f, x, h) * h * h, "(f(x + h) - f(x - h)) / 2 * h multiplies "
     "by h: write / (2 * h), with brackets"),
    (lambda f, x, h: _differences(f, x, h) * 2 * h, "that is the change of f; divide it by the "
                                                    "distance, 2h"),
    (lambda f, x, h: _differences(f, x, h, dtype=None).astype(np.asarray(x).dtype),
     f"x is an integer array here (dtype {NUMERICAL_CASES[2][1].dtype}), and np.array(x) and "
     f"np.zeros_like(x) keep that dtype: x[index] = original + h was cut back to a whole "
     f"number (the nudge lost), and each slope stored into grad was cut too; work on a float "
     f"copy, np.array(x, dtype=float), and start from np.zeros(x.shape)"),
    (lambda f, x, h: _differences(f, x, h).astype(np.asarray(x).dtype), "your answer holds "
     "integers where x does (np.zeros_like(x) keeps x's integer type, so each slope was cut): "
     "start from a float array, np.zeros(x.shape)"),
]


# ---- backward_pass: every gradient of the seed network ----------------------------------------

def seed_grads(image, params, y, bug=""):
    """The seed network's gradients (squared error) for one image, with ``bug`` (a key of
    SEED_BUGS) switched on; no bug: the right answer."""
    y = 1.0 if bug == "y one" else y
    y_hat, cache = seed_forward(image, params)
    g = (y_hat - y) * (1.0 if bug == "no sigmoid" else y_hat * (1 - y_hat))      # dL/dz
    g = {"sign": -g, "half": 2 * g}.get(bug, g)
    (ph, pw), relu = cache["pooled"].shape, cache["relu"]
    grad_pooled = (g * params["weight"]).reshape((pw, ph) if bug == "order" else (ph, pw))
    windows = relu.reshape(ph, 2, pw, 2).transpose(0, 2, 1, 3).reshape(ph, pw, 4)
    first_max = np.eye(4)[windows.argmax(-1)].reshape(ph, pw, 2, 2).transpose(0, 2, 1, 3)
    route = {"spread": 1.0, "average": 0.25}.get(bug, first_max.reshape(relu.shape))
    grad_relu = np.kron(grad_pooled.T if bug == "order" else grad_pooled, np.ones((2, 2))) * route
    mask = cache["conv"] > 0 if bug == "mask from C" else cache["pre_activation"] > 0
    grad_conv = grad_relu * (1.0 if bug == "no relu" else mask)
    kernel = (_unpadded(image, grad_conv, 1) if bug == "unpadded" else
              grad_k(relu if bug == "relu as input" else image, grad_conv, params["kernel"].shape))
    return {"kernel": {"flip": kernel[::-1, ::-1], "transpose": kernel.T}.get(bug, kernel),
            "bias": {"bias array": grad_conv, "bias before relu": grad_relu.sum(),
                     "bias mean": grad_conv.mean(), "bias zero": 0.0}.get(bug, grad_conv.sum()),
            "weight": {"swap": g * params["weight"], "no g": cache["flat"]}.get(
                bug, g * cache["flat"]), "out_bias": g * cache["flat"].sum() if bug == "out f"
            else g}


SEED_BUGS = {
    "flip": "your dL/dK is the right one rotated 180 degrees (the seed's bug): dK reads the "
            "image forwards, image[i+u, j+v]",
    "transpose": "your dL/dK is transposed: entry [u, v] is row offset u, column offset v",
    "no relu": "the gradient went through the ReLU everywhere: it passes only where C + b > 0",
    "spread": "max pooling sends each window's gradient to its winner only, not to all 4 cells",
    "average": "that is average pooling's backward (a quarter to each cell): max pooling sends "
               "the whole gradient to the window's winner",
    "order": "dL/df went back to the wrong pooling windows: reshape it to the pooled map's shape "
             "row by row, grad_f.reshape(S.shape)",
    "no sigmoid": "you left out the sigmoid's derivative: dL/dz = (y_hat - y) y_hat (1 - y_hat) "
                  "for the squared error",
    "sign": "the sign is flipped: dL/dz = (y_hat - y) y_hat (1 - y_hat)",
    "half": "twice too large: the 1/2 in L = 1/2 (y_hat - y)^2 cancels the 2",
    "swap": "dL/dw = dL/dz * f (the features); dL/dz * w is dL/df, which goes further back",
    "no g": "dL/dw = dL/dz * f: you left out dL/dz",
    "mask from C": "the ReLU's mask comes from its input, C + b (cache['pre_activation'] > 0), "
                   "not from C alone (cache['conv'] > 0): the bias moves cells across 0",
    "bias mean": "dL/db is the sum of dL/dC over the cells, not their mean: b is added to "
                 "every cell and each hands its whole gradient back",
    "bias array": "dL/db is one number: b was added to every cell, so sum dL/dC",
    "bias before relu": "dL/db sums dL/dC, the gradient after the ReLU's mask, not dL/dR",
    "relu as input": "dL/dK reads the convolution's input, the image, not the ReLU's output",
    "out f": "dL/dbf = dL/dz: bf is added to w . f, nothing multiplies it",
    "bias zero": "your dL/db is 0, but the conv bias b changes the loss: it is added to every "
                 "cell of C, so dL/db = dL/dC.sum(), dL/dC being the gradient after the ReLU's "
                 "mask",
    "y one": "your gradients are those for the target y = 1, but this case has y = 0: dL/dz = "
             "(y_hat - y) y_hat (1 - y_hat) uses the argument y",
    "unpadded": "dL/dK: pad the image by 1 first (the seed's convolution is 'same'), so every "
                "cell of dL/dC has its 3x3 patch",
}
_rng = np.random.default_rng(72)
SEED_CASES = [(with_zeros(_rng, shape), {"kernel": _rng.normal(size=(3, 3)) * 0.5,
                                         "bias": np.array(bias), "weight": _rng.normal(size=12),
                                         "out_bias": np.array(0.2)}, y)
              for shape, y, bias in (((6, 8), 1.0, -0.1), ((8, 6), 0.0, -0.1),
                                     ((6, 8), 1.0, 0.6))]
# a bias of +0.6 puts cells with C between -0.6 and 0 among the pooling winners, so a ReLU mask
# taken from C instead of C + b changes dL/db and dL/dK (the first two cases alone missed it)


def check_seed_gradients(backward_pass):
    """``backward_pass(image, params, y)`` on SEED_CASES, each gradient compared in the order
    the pass computes them, a wrong one named by the bug whose answer it equals."""
    results = []
    for image, params, y in SEED_CASES:
        answer, failure = run_function(backward_pass, image, params, y, must_return=True,
                                       name="backward_pass")
        if failure is not None:
            return failure
        if not isinstance(answer, dict) or set(answer) != set(params):
            got = sorted(answer) if isinstance(answer, dict) else type(answer).__name__
            return CheckResult(False, f"backward_pass: return a dict keyed like params, "
                                      f"{sorted(params)} (got {got})")
        right = seed_grads(image, params, y)
        for key in right:                                # gradients under each other's names
            theirs = [other for other in right if other != key
                      and np.shape(answer[key]) == np.shape(right[other])
                      and same(answer[key], right[other]) and same(answer[other], right[key])]
            if theirs:
                return CheckResult(False, f"backward_pass: your {key!r} and {theirs[0]!r} are "
                                          f"each other's gradients: each key holds the "
                                          f"gradient of the parameter of that name")
        wrong = {bug: seed_grads(image, params, y, bug) for bug in SEED_BUGS}
        shown = f"a {image.shape[0]}x{image.shape[1]} image, y={y}"
        results += [compare_arrays(answer[key], right[key], f"backward_pass[{key!r}]",
                                   [(wrong[bug][key], hint) for bug, hint in SEED_BUGS.items()],
                                   shown=shown) for key in ("out_bias", "weight", "bias", "kernel")]
    return first_failure(results, "backward_pass: every gradient of the seed network is correct")


# ---- the bug zoo (a panel): dL/dK of relu(conv2d(x, kernel, stride)) with a known bug ----------

BUGS = ["no bug", "kernel flip", "missing stride", "overwrite instead of accumulate",
        "in-place ReLU"]


def buggy_kernel_gradient(x, kernel, grad_out, stride, bug):
    """dL/dK of ``relu(conv2d(x, kernel, stride))`` for upstream ``grad_out``, with ``bug``
    (one of BUGS), written as the loop a learner writes."""
    kh, kw = kernel.shape
    source = np.maximum(x, 0) if bug == "in-place ReLU" else x   # ReLU overwrote the input
    pre = conv2d(x, kernel, stride=stride)
    grad_pre = grad_out * (pre > 0)
    step = 1 if bug == "missing stride" else stride
    grad_kernel = np.zeros_like(kernel)
    for i in range(pre.shape[0]):
        for j in range(pre.shape[1]):
            patch = source[i * step:i * step + kh, j * step:j * step + kw]
            if bug == "overwrite instead of accumulate":
                grad_kernel = grad_pre[i, j] * patch
            else:
                grad_kernel = grad_kernel + grad_pre[i, j] * patch
    return grad_kernel[::-1, ::-1] if bug == "kernel flip" else grad_kernel
