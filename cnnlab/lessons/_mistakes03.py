"""Lesson 03's mistake catalogues, as data: the exercises' inputs, the models of the mistakes
learners make (each the answer that mistake gives) and the hint that names it, and the hints for
the exceptions a wrong loop raises.

:mod:`cnnlab.lessons.lesson03` declares the exercises themselves (task, idea, solution); its
tests (tests/lessons/test_lesson03.py) write each mistake out as a learner would and check that
its hint names it.
"""

from __future__ import annotations

import numpy as np

from ..conv import conv2d

# Fractional values of both signs and zeros, a 7x8 image, a 2x3 kernel and strides 1 to 3.
IMAGE = np.round(np.random.default_rng(3).uniform(-3, 3, size=(7, 8)), 2)
IMAGE[2, 3] = IMAGE[5, 0] = 0.0
_KERNEL = np.array([[1.0, 0.0, 2.0], [-1.0, 3.5, 0.0], [0.0, 1.0, -2.0]])
_RECT = np.array([[1.0, -2.0, 0.5], [0.0, 1.5, -1.0]])
# An int image too (raw pixels, as MNIST's uint8 ones are read): its output is still float64.
INT_IMAGE = np.random.default_rng(4).integers(0, 256, size=(5, 6))
# Large pixels with small differences under an edge kernel whose weights sum to 0: the right
# answers are small differences of large sums, so float32 arithmetic (about 7 digits) shows.
BIG_IMAGE = np.round(500 + np.random.default_rng(7).normal(size=(6, 7)) * 3, 3)
_EDGE = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0]])
CONV_CASES = [(IMAGE, _KERNEL, 1), (IMAGE, _KERNEL, 2), (IMAGE, _RECT, 1), (IMAGE, _RECT.T, 3),
              (INT_IMAGE, _KERNEL, 1), (BIG_IMAGE, _EDGE, 1)]

OUTPUT_SIZE_MISTAKES = [
    (lambda n, k, s, p: n + 2 * p - k + 1, "did you include the stride? Divide by s"),
    (lambda n, k, s, p: (n + 2 * p - k) / s + 1, "use floor division //: a position that does "
                                                 "not fit is dropped"),
    (lambda n, k, s, p: (n + p - k) // s + 1, "padding p adds p pixels on EACH side: n + 2p"),
    (lambda n, k, s, p: (n + 2 * p - k + 1) // s,
     "off by one: count the first position, then one more every s pixels: "
     "(n + 2p - k) // s + 1"),
    (lambda n, k, s, p: (n + 2 * p - k) // s, "you forgot the + 1: the first position counts"),
    (lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1,
     "you rounded up; a last position that would run past the edge is dropped: round down "
     "with //"),
    (lambda n, k, s, p: (n + 2 * p - k) * s + 1, "divide by s, do not multiply"),
    (lambda n, k, s, p: round((n + 2 * p - k) / s) + 1,
     "round() rounds to the nearest whole number; a position that does not fit is dropped, "
     "so round down: //"),
    (lambda n, k, s, p: (n - k) // s + 1, "you left out the padding: + 2p"),
    (lambda n, k, s, p: (n + 2 * p) // s - k + 1,
     "the stride divides the whole run of starts, n + 2p - k, not n + 2p alone: "
     "(n + 2p - k) // s + 1"),
    (lambda n, k, s, p: (n + 2 * p - k) // s - 1, "minus 1 drops two positions: the first "
                                                  "position counts, so + 1"),
    (lambda n, k, s, p: (n + 2 * p - k + 1) // s + 1, "the + 1 goes after the division: "
                                                      "(n + 2p - k) // s + 1"),
    (lambda n, k, s, p: n // s, "n // s leaves out the kernel and the padding: "
                                "(n + 2p - k) // s + 1"),
    (lambda n, k, s, p: (n + 2 * p - k) % s + 1, "% is the remainder; floor division is //"),
    (lambda n, k, s, p: (n + 4 * p - k) // s + 1, "you padded by 2p on each side (4p in "
                                                  "all); p pixels go on each side: n + 2p"),
    (lambda n, k, s, p: (n + 2 * p - s) // k + 1, "k and s are swapped: the kernel's size k "
                                                  "is subtracted, the stride s divides: "
                                                  "(n + 2p - k) // s + 1"),
    (lambda n, k, s, p: (n - k) // s + 2 * p + 1,
     "you added the padding after dividing by the stride; pad first (n + 2p), then count the "
     "starts: (n + 2p - k) // s + 1"),
    (lambda n, k, s, p: (n + 2 * p - k) - s + 2, "you subtracted the stride; the stride "
                                                 "divides: (n + 2p - k) // s + 1"),
    (lambda n, k, s, p: (n + 2 * p - k) // s + 1 - p, "your answer loses p: pad first "
                                                      "(n + 2p), then (n + 2p - k) // s + 1"),
    (lambda n, k, s, p: int((n + 2 * p - k) / s) + 1,
     "int() rounds toward zero, not down: where the kernel does not fit (n=4, k=5, s=2, p=0), "
     "(n + 2p - k) / s = -0.5 becomes 0 and you count 1 position instead of 0; // rounds down"),
    (lambda n, k, s, p: (n + 2 * s - k) // p + 1 if p else n + 2 * s - k + 1,
     "s and p are swapped: the padding p is added twice (n + 2p), the stride s divides: "
     "(n + 2p - k) // s + 1"),
    (lambda n, k, s, p: (n + 2 * s - k) // p + 1,
     "s and p are swapped: the padding p is added twice (n + 2p), the stride s divides: "
     "(n + 2p - k) // s + 1"),
    (lambda n, k, s, p: n // s + 2 * p - k + 1,
     "// comes before + and -, so only n was divided by s: put the run of starts in "
     "parentheses, (n + 2p - k) // s + 1"),
    (lambda n, k, s, p: (n + 2 * p - k - 1) // s + 1,
     "your count is one short wherever n + 2p - k is a multiple of s: (n + 2p - k + s - 1) // s "
     "rounds up (a ceil) and leaves out the + 1, which counts the same as subtracting k + 1; "
     "round down and count the first start: (n + 2p - k) // s + 1"),
    (lambda n, k, s, p: n + 2 * p - k // s + 1,
     "// comes before + and -, so only k was divided by s: put the run of starts in "
     "parentheses, (n + 2p - k) // s + 1"),
    (lambda n, k, s, p: ((n + 2 * p - k) // s + 1,) * 2,
     "return one number, the side (the output is square): (n + 2p - k) // s + 1"),
]


CONV_MISTAKES = [
    (lambda im, k, s: conv2d(im, k[::-1, ::-1], stride=s),
     "you flipped the kernel: that is true convolution; CNNs do not flip"),
    (lambda im, k, s: conv2d(im, k),
     "did you include the stride? Your output has one cell per pixel position; with stride s "
     "there is one every s pixels"),
    (lambda im, k, s: conv2d(im, k)[tuple(slice(n) for n in conv2d(im, k, stride=s).shape)],
     "right size, but each patch starts at image[i:i + kh]; with stride s the patch of "
     "out[i, j] starts at row i * s and column j * s"),
    (lambda im, k, s: conv2d(im, k.T, stride=s), "you transposed the kernel: patch[a, b] goes "
                                                 "with kernel[a, b]"),
    (lambda im, k, s: conv2d(im, k, stride=s, padding=1), "that output is padded; this "
                                                          "exercise asks for 'valid'"),
    (lambda im, k, s: np.pad(valid := conv2d(im, k, stride=s),    # in an input-sized array
                             [(0, n - v) for n, v in zip(im.shape, valid.shape, strict=True)]),
     "your output has the input's size, as the seed's f_conv2d does; a valid output has "
     "(n - k) // s + 1 rows and columns"),
    (lambda im, k, s: conv2d(im, k, stride=s)[:-1, :-1],
     "you left out the last row and column of positions: a kernel fits at "
     "(n - k) // s + 1 positions, so loop over range((n - k) // s + 1)"),
    (lambda im, k, s: conv2d(im, k, stride=s) / k.size, "you averaged the products; each "
                                                        "output cell is their sum"),
    (lambda im, k, s: np.trunc(conv2d(im, k, stride=s)),
     "your output holds whole numbers only (np.zeros(..., dtype=int) cuts off the fractions): "
     "make it a float array, np.zeros((rows, cols))"),
    (lambda im, k, s: np.pad(conv2d(im, k, stride=s), ((0, 1), (0, 1))),
     "your output has one row and one column too many: (H - kh) // s + 1 rows"),
    (lambda im, k, s: conv2d(im, k)[::s, :(im.shape[1] - k.shape[1]) // s + 1],
     "your patches step by s down the rows but by 1 along the columns: column j * s"),
    (lambda im, k, s: np.round(conv2d(im, k, stride=s)),
     "you rounded the output cells; each is the exact sum of the products"),
    (lambda im, k, s: conv2d(np.trunc(im), k, stride=s),
     "you made the image whole numbers (astype(int), or an int array) before multiplying; use "
     "its pixels as they are"),
    (lambda im, k, s: conv2d(im, np.trunc(k), stride=s),
     "you made the kernel whole numbers (astype(int)) before multiplying; 3.5 must stay 3.5"),
    (lambda im, k, s: np.abs(conv2d(im, k, stride=s)),
     "you took the absolute value (np.abs) of each output cell; a sum of products can be "
     "negative and stays so"),
    (lambda im, k, s: np.maximum(conv2d(im, k, stride=s), 0),
     "negative output cells became 0: that is a ReLU (lesson 04), not part of the convolution"),
    (lambda im, k, s: conv2d(np.maximum(im, 0), k, stride=s),
     "you set the image's negative pixels to 0 before convolving; use the image as it is"),
    (lambda im, k, s: conv2d(im, k, stride=s) / np.sum(k),
     "you divided by the kernel's sum; each output cell is the plain sum of patch * kernel"),
    (lambda im, k, s: conv2d(im, k, stride=s) + 1, "every cell is 1 too big: is there a "
                                                   "+ 1 left from the size formula, or a sum "
                                                   "started at 1?"),
]


def _patches(im, k, s, cell, rows=None, cols=None):
    """A model of a learner's loops: ``cell(patch, kernel)`` at every (i * s, j * s), over
    ``rows`` x ``cols`` positions (default: the valid ones), a patch cut short at the edge."""
    kh, kw = k.shape
    rows = rows or (im.shape[0] - kh) // s + 1
    cols = cols or (im.shape[1] - kw) // s + 1
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            out[i, j] = cell(im[i * s:i * s + kh, j * s:j * s + kw], k)
    return out


def _square(k):
    return k.shape[0] == k.shape[1]


def _square_output(full):
    """The first rows x rows cells, as loops over range(rows) twice give them (None: past the
    edge, where those loops crash)."""
    return full[:len(full), :len(full)] if len(full) <= full.shape[1] else None


def _ceil(n, k, s):
    return -(-(n - k) // s) + 1


def _stride_one_sized(im, k, s):
    """The strided cells in the top-left corner of an output sized for stride 1, zeros
    elsewhere (loops stepping by s into np.zeros((H - kh + 1, W - kw + 1)))."""
    out = np.zeros((im.shape[0] - k.shape[0] + 1, im.shape[1] - k.shape[1] + 1))
    valid = conv2d(im, k, stride=s)
    out[:valid.shape[0], :valid.shape[1]] = valid
    return out


def _dilated(im, k, s):
    """The kernel's taps s pixels apart, the patch moved by 1: dilation s, stride 1."""
    return conv2d(im, k, dilation=s)


def _image_dtype(im, k, s):
    """The output in the image's dtype: an int image's cells cut to whole numbers."""
    return conv2d(im, k, stride=s).astype(im.dtype)


def _first_positions(im, k, s, rows, cols):
    return conv2d(im, k, stride=s)[:rows, :cols]


_MATMUL = ("@ is a matrix product (rows times columns); the kernel multiplies the patch element "
           "by element: np.sum(patch * kernel)")
_TRANSPOSED = "you transposed the kernel: patch[a, b] goes with kernel[a, b]"
CONV_MISTAKES += [
    (lambda im, k, s: _patches(im, k, s, lambda p, k: np.sum(p @ k)), _MATMUL),
    (lambda im, k, s: _patches(im, k, s, lambda p, k: np.sum(p @ (k if _square(k) else k.T))),
     _MATMUL),
    (lambda im, k, s: conv2d(im, k.T.reshape(k.shape), stride=s), _TRANSPOSED),
    (lambda im, k, s: conv2d(im, k[:, ::-1], stride=s),
     "you mirrored the kernel left to right (k[:, ::-1]); CNNs do not flip it at all: "
     "patch[a, b] goes with kernel[a, b]"),
    (lambda im, k, s: conv2d(im, k[::-1], stride=s),
     "you turned the kernel upside down (k[::-1]); CNNs do not flip it at all: patch[a, b] goes "
     "with kernel[a, b]"),
    (lambda im, k, s: _patches(im, k, s, lambda p, k: np.sum(p * k[:p.shape[0], :p.shape[1]]),
                               _ceil(im.shape[0], k.shape[0], s),
                               _ceil(im.shape[1], k.shape[1], s)),
     "you rounded the number of positions up, so the last patches run past the edge and are "
     "cut short; a patch that does not fit is dropped: (n - k) // s + 1 positions"),
    (lambda im, k, s: _square_output(conv2d(im, k, stride=s)),
     "your output has as many columns as rows, as if the image were square: the columns "
     "come from the width, (W - kw) // s + 1"),
    (_stride_one_sized,
     "your output is sized for stride 1, (H - kh + 1) x (W - kw + 1), and the strided cells "
     "fill only its top-left corner, leaving a frame of zeros: with stride s it has "
     "(H - kh) // s + 1 rows and (W - kw) // s + 1 columns"),
    (lambda im, k, s: conv2d(im[:, :im.shape[0]], k, stride=s),
     "you used the image's height for its width too, as if it were square: the number of "
     "columns comes from W = image.shape[1], (W - kw) // s + 1"),
    (lambda im, k, s: _first_positions(im, k, s, len(range(0, im.shape[0] - k.shape[0], s)),
                                       len(range(0, im.shape[1] - k.shape[1], s))),
     "range(0, n - k, s) stops before n - k, so where n - k is a multiple of the stride s the "
     "last position is left out: the last start is n - k itself, range(0, n - k + 1, s), "
     "(n - k) // s + 1 positions"),
    (_dilated,
     "you spaced the kernel's taps s pixels apart (image[i:i + span:s]): that is dilation; "
     "the stride moves the whole patch by s pixels, and its kh x kw pixels stay next to each "
     "other: image[i*s:i*s + kh, j*s:j*s + kw]"),
    (lambda im, k, s: conv2d(im, k, stride=s) + k.mean(),
     "every cell of yours is off by the same amount, the kernel's mean (0.5 for the 3x3 "
     "kernel): a constant is added, a bias or a stray + kernel.mean(); each output cell is "
     "the sum of patch * kernel alone"),
    (lambda im, k, s: _first_positions(im, k, s, (im.shape[0] - k.shape[0] + 1) // s,
                                       (im.shape[1] - k.shape[1] + 1) // s),
     "your output has (n - k + 1) // s rows and columns: the + 1 counts the first position "
     "and goes after the division, (H - kh) // s + 1 rows and (W - kw) // s + 1 columns"),
    (_image_dtype,
     "your output took the image's dtype (np.zeros(..., dtype=image.dtype)): on an int image "
     "(raw 0..255 pixels) it holds whole numbers only, and a uint8 one wraps around below 0 "
     "and above 255; make it a float array, np.zeros((rows, cols))"),
    (lambda im, k, s: conv2d(im, k)[::s],
     "you used the stride on the rows only: the columns step by s too, (W - kw) // s + 1 of "
     "them, patch column j * s"),
]
def _kh_square(im, k, s):
    """kh for both axes, the patches fitted to the kernel: (W - kh) // s + 1 columns, a kh x kh
    patch times the kernel's first kh columns (a wide kernel) or cut to kw columns (a tall
    one)."""
    kh, kw = k.shape
    if kh <= kw:
        return conv2d(im, k[:kh, :kh], stride=s)
    return conv2d(im, k, stride=s)[:, :(im.shape[1] - kh) // s + 1]


def _window_swapped(im, k, s):
    """out[i, j] from the patch at row j * s, column i * s (0 where that patch does not fit)."""
    kh, kw = k.shape
    rows, cols = (im.shape[0] - kh) // s + 1, (im.shape[1] - kw) // s + 1
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            patch = im[j * s:j * s + kh, i * s:i * s + kw]
            out[i, j] = np.sum(patch * k) if patch.shape == k.shape else 0.0
    return out


CONV_MISTAKES += [
    (_kh_square,
     "you used kh, the kernel's height, for the width too: your output has (W - kh) // s + 1 "
     "columns and your patches are kh x kh (on the 2x3 kernel, 2x2); the width comes from "
     "kw = kernel.shape[1]: (W - kw) // s + 1 columns, patches image[i*s:i*s + kh, "
     "j*s:j*s + kw]"),
    (_window_swapped,
     "you swapped i and j in the patch's position: out[i, j]'s patch starts at row i * s "
     "(i, the output's row) and column j * s: image[i*s:i*s + kh, j*s:j*s + kw]"),
]
_BROADCAST = ("your patch is not the kernel's shape, so they cannot be multiplied: the patch of "
              "out[i, j] is image[i*s:i*s + kh, j*s:j*s + kw], kh rows and kw columns ({})")
_RECT_HINT = ("in this case the kernel is {} and the image 7x8: neither is square; did you use "
              "kh for both axes, swap i and j, or transpose the kernel?")
CONV_EXCEPTIONS = [
    *((ValueError, f"{patch} ({k})", _BROADCAST.format(_RECT_HINT.format(k.replace(",", "x"))))
      for k in ("2,3", "3,2") for patch in ("(2,2)", "(3,3)", "(2,3)", "(3,2)")),
    (ValueError, "broadcast", _BROADCAST.format("the image is 7x8, not square: did you swap "
                                                "i and j, or stop a patch at the image's edge?")),
    (IndexError, "index 5 is out of bounds for axis 0 with size 5",
     "you wrote to row 5 of an output with 5 rows: did you swap the indices? out[i, j] is row "
     "i, column j, with i over the (H - kh) // s + 1 rows and j over the (W - kw) // s + 1 "
     "columns (this output is 5x6, not square)"),
    (ValueError, "matmul", "@ is a matrix product (rows times columns); the kernel multiplies "
                           "the patch element by element: np.sum(patch * kernel)"),
    (IndexError, "out of bounds", "you wrote outside the output array: it has "
                                  "(H - kh) // s + 1 rows and (W - kw) // s + 1 columns, so "
                                  "index it by the position's number, out[i, j] with its patch "
                                  "at row i * s, not by a pixel row r of range(0, H, s) (that "
                                  "is out[r // s, c // s])"),
]
