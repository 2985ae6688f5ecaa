"""Lesson 03 (03_convolution.ipynb): what its prose claims, its panels and
figures, its exercise checkers and the mistakes they name.

Tests that run the notebook or render figures are marked ``slow``; the fast lane
(``python -m pytest -m "not slow"``) keeps the checkers.  The notebook runs once per
session (tests/lesson_runs.py), shared by the claim and figure tests.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from checker_checks import (
    each_known_mistake_gets_its_own_hint,
    has_six_named_mistakes,
    mistake_fails_with_its_hint_and_no_warning,
    passes_without_warning,
    right_answer_passes,
    unfinished_stub_and_crash_say_not_yet,
)
from figure_checks import (
    check_panel_is_readable_in_every_state,
    shown_figure_problems,
    static_figure_problems,
)
from lesson_runs import run_lesson
from panels import axes_drawn_whole, check_every_control_changes_the_figure, panel_id, panels_of
from scipy import signal

from cnnlab.conv import conv2d, conv_output_size
from cnnlab.lessons import _mistakes03, lesson03
from cnnlab.lessons._common import KERNELS, digit, first_of
from cnnlab.seednet import seed_conv2d_as_written

# ---- what the lesson says, its cells show (claims) ----------------------------------------------


@pytest.mark.slow
def test_run_all_shows_no_warning_and_no_error():
    run_lesson("03").assert_clean()


@pytest.mark.slow
def test_03_loops_agree_and_the_seed_frame_of_zeros():
    run = run_lesson("03")
    assert "same as cnnlab.conv2d: True" in run.output_of("def conv2d_by_loops")
    assert run.says("With 'same' padding of an odd kernel the seed is right. With $p = 0$ its "
                    "loops fill only the top-left $3 \\times 3$ cells and leave a frame of "
                    "zeros")
    image, sobel = run.namespace["image"], run.namespace["sobel"]
    # (the notebook's own f_conv2d is printed; seednet.seed_conv2d_as_written is the same code)
    assert "f_conv2d agrees with cl.conv2d: True" in run.output_of("def f_conv2d")
    assert np.allclose(seed_conv2d_as_written(image, sobel, 1), conv2d(image, sobel, padding=1))
    seed = seed_conv2d_as_written(image, sobel, 0)
    assert seed.shape == image.shape and np.allclose(seed[:3, :3], conv2d(image, sobel))
    assert not seed[3:].any() and not seed[:, 3:].any()
    printed = run.output_of("def f_conv2d").split("f_conv2d returns")[1].split("cl.conv2d")[0]
    assert np.allclose(np.array(eval(",".join(printed.split()).replace("[,", "[")
                                     .replace(",]", "]"))), seed)


@pytest.mark.slow
def test_03_sliding_window_output_has_both_signs():
    run = run_lesson("03")
    assert run.says("The kernel is Sobel $x$, so the output is large where brightness rises "
                    "from left to right and negative where it falls.")
    image, _ = digit(first_of(4))
    out = conv2d(np.round(image[10:18, 8:16], 1), KERNELS["Sobel x (vertical edges)"])
    assert out.max() > 1 and out.min() < -1


@pytest.mark.slow
def test_03_floor_rule_matches_pytorch():
    run = run_lesson("03")
    assert run.says("The floor drops a last position that would not fit (PyTorch does the "
                    "same).")
    torch = pytest.importorskip("torch", reason="PyTorch is the reference for this claim")
    for n, k, s, p, d in [(28, 5, 1, 2, 1), (7, 3, 2, 0, 1), (7, 3, 1, 0, 2), (6, 3, 2, 1, 1),
                          (8, 3, 3, 0, 1)]:
        layer = torch.nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d)
        assert layer(torch.zeros(1, 1, n, n)).shape[-1] == conv_output_size(n, k, s, p, d)


@pytest.mark.slow
def test_03_cross_correlation_stamps_the_kernel_rotated_180_degrees():
    run = run_lesson("03")
    assert run.says("cross-correlation stamps the kernel rotated by 180 degrees (upside down "
                    "*and* mirrored left to right: the 1 of the kernel's top-left corner lands "
                    "bottom right); convolution, which rotates the kernel first, stamps it as "
                    "it is")
    fig = lesson03.flip_figure()
    kernel = np.asarray(fig.axes[1].images[0].get_array())
    correlation = np.asarray(fig.axes[2].images[0].get_array())
    convolution = np.asarray(fig.axes[3].images[0].get_array())
    assert kernel[0, 0] == 1
    assert np.array_equal(correlation[1:4, 1:4], np.rot90(kernel, 2))
    assert correlation[3, 3] == 1                    # bottom right of the stamp
    assert not np.array_equal(correlation[1:4, 1:4], kernel[::-1])     # not just upside down
    assert np.array_equal(convolution[1:4, 1:4], kernel)
    assert "180" in fig.axes[2].get_title()
    # true convolution (SciPy) of the impulse stamps the kernel as it is
    impulse = np.zeros((5, 5))
    impulse[2, 2] = 1
    assert np.array_equal(signal.convolve2d(impulse, kernel, mode="same"), convolution)


@pytest.mark.slow
def test_03_case_menu_says_custom_after_a_slider_moves():
    run = run_lesson("03")
    assert run.says("(the case menu then says *custom*)")
    panel = lesson03.arithmetic_panel()
    panel.controls["case"].value = "no padding, stride 2 (n=5, k=3)"
    assert panel.controls["stride"].value == 2 and "output: 2x2" in \
        panel.live.figure.axes[1].get_title()
    panel.controls["padding"].value = 1
    assert panel.controls["case"].value == lesson03.CUSTOM_CASE
    assert "= 3" in panel.message


# ---- its panels and figures: every control works, every state reads -----------------------------


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson03), ids=panel_id)
def test_every_control_changes_the_figure(factory):
    check_every_control_changes_the_figure(factory)


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson03), ids=panel_id)
def test_panel_is_readable_in_every_state(factory):
    check_panel_is_readable_in_every_state(factory)


@pytest.mark.slow
def test_static_figure_is_readable():
    assert static_figure_problems(lesson03.flip_figure) == []


@pytest.mark.slow
def test_figures_the_notebook_shows_are_readable():
    problems = shown_figure_problems(run_lesson("03"))
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_sliding_window_moves_redraw_no_axes(monkeypatch):
    panel = lesson03.sliding_window()
    position = panel.controls["position"]
    position.value = 1                     # the first change may save the picture again
    for value in (2, 9, 35, 0):
        drawn = axes_drawn_whole(panel, lambda p, v=value: setattr(position, "value", v),
                                 monkeypatch)
        assert drawn == [], (value, drawn)
    # what a move changes is still there: the window, the products' sum, the output cell
    ax_in, _, ax_p, ax_out = panel.live.figure.axes[:4]
    assert ax_in.patches[0].get_xy() == (-0.5, -0.5)
    assert ax_p.get_title().startswith("patch x kernel\nsum = ")
    assert ax_out.get_title().startswith("output\nout[0, 0] = ")


# ---- its exercises: each checker passes the right answer and names each catalogued mistake ------

# (checker, right answer, [(wrong answer, words its hint must contain), ...])
CASES = [
    (lesson03.check_output_size, lambda n, k, s, p: (n + 2 * p - k) // s + 1,
     [(lambda n, k, s, p: n + 2 * p - k + 1, "include the stride"),
      (lambda n, k, s, p: (n + 2 * p - k) / s + 1, "floor division")]),
    (lesson03.check_conv2d, lambda im, k, s: conv_loop(im, k, s),
     [(lambda im, k, s: conv_loop(im, k, s, flip=True), "flipped the kernel"),
      (lambda im, k, s: conv_no_stride(im, k, s), "include the stride"),
      (lambda im, k, s: conv_loop(np.pad(im, 1), k, s), "padded"),
      (lambda im, k, s: conv2d(im, k, stride=s), "asks for loops")]),
]
IDS = [checker.__name__ for checker, *_ in CASES]


@pytest.mark.parametrize(("checker", "right", "mistakes"), CASES, ids=IDS)
def test_right_answer_passes(checker, right, mistakes):
    right_answer_passes(checker, right)


@pytest.mark.parametrize(("checker", "right", "mistakes"), CASES, ids=IDS)
def test_each_known_mistake_gets_its_own_hint(checker, right, mistakes):
    each_known_mistake_gets_its_own_hint(checker, mistakes)


@pytest.mark.parametrize(("checker", "right", "mistakes"), CASES, ids=IDS)
def test_unfinished_stub_and_crash_say_not_yet(checker, right, mistakes):
    unfinished_stub_and_crash_say_not_yet(checker)


# The mistake catalogue: what learners write, each with the words its hint must contain
# (None: the generic message, which shows the small failing input).

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
    (lambda n, k, s, p: (n + 2 * p) // s - k + 1, "not n + 2p alone"),
    (lambda n, k, s, p: (n + 2 * p - k) // s - 1, "minus 1"),
    (lambda n, k, s, p: (n + 2 * p - k + 1) // s + 1, "after the division"),
    (lambda n, k, s, p: n // s, "leaves out the kernel"),
    (lambda n, k, s, p: (n + 2 * p - k) % s + 1, "remainder"),
    # the checkers-a walk (issue 23): answers the catalogue did not know
    (lambda n, k, s, p: (n + 2.0 * p - k) // s + 1, "returned 28.0, a float"),   # it passed
    (lambda n, k, s, p: np.floor((n + 2 * p - k) / s) + 1, "a float"),           # it passed
    (lambda n, k, s, p: math.floor((n + 2 * p - k) / s) + 1.0, "a float"),       # it passed
    (lambda n, k, s, p: (n + 4 * p - k) // s + 1, "4p in all"),
    (lambda n, k, s, p: (n + 2 * p - s) // k + 1, "k and s are swapped"),
    (lambda n, k, s, p: (n - k) // s + 2 * p + 1, "after dividing by the stride"),
    (lambda n, k, s, p: (n + 2 * p - k) - s + 2, "subtracted the stride"),
    (lambda n, k, s, p: (n + 2 * p - k) // s + 1 - p, "loses p"),
    (lambda n, k, s, p: ((n + 2 * p - k) // s + 1,) * 2, "return one number, the side"),
]


def conv_kh_both_axes(image, kernel, stride):
    kh, kw = kernel.shape
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kh) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i * stride:i * stride + kh, j * stride:j * stride + kh]
                               * kernel)
    return out


def conv_out_ji(image, kernel, stride):
    kh, kw = kernel.shape
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[j, i] = np.sum(image[i * stride:i * stride + kh, j * stride:j * stride + kw]
                               * kernel)
    return out


def conv_int_output(image, kernel, stride):
    kh, kw = kernel.shape
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1),
                   dtype=int)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i * stride:i * stride + kh, j * stride:j * stride + kw]
                               * kernel)
    return out


def conv_by_windows(image, kernel, stride):
    windows = np.lib.stride_tricks.sliding_window_view(image, kernel.shape)
    return np.einsum("ijab,ab->ij", windows, kernel)[::stride, ::stride]

def conv_columns_unstrided(image, kernel, stride):
    kh, kw = kernel.shape
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i * stride:i * stride + kh, j:j + kw] * kernel)
    return out

def conv_matmul(image, kernel, stride):
    kh, kw = kernel.shape
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i * stride:i * stride + kh, j * stride:j * stride + kw]
                               @ kernel)
    return out


def conv_kh_for_width(image, kernel, stride):
    """A walker's loops: kh for the output's width, patches fitted to the kernel."""
    kh, kw = kernel.shape
    rows, cols = (image.shape[0] - kh) // stride + 1, (image.shape[1] - kh) // stride + 1
    out = np.zeros((rows, cols))
    for r in range(rows):
        for c in range(cols):
            patch = image[r * stride:r * stride + kh, c * stride:c * stride + kh]
            out[r, c] = (np.sum(patch * kernel[:kh, :kh]) if kh <= kw
                         else np.sum(patch[:, :kw] * kernel))
    return out


def conv_window_swapped(image, kernel, stride):
    """A walker's loops: the patch of out[r, c] taken at row c * s, column r * s."""
    kh, kw = kernel.shape
    rows, cols = (image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1
    out = np.zeros((rows, cols))
    for r in range(rows):
        for c in range(cols):
            if c * stride + kh <= image.shape[0] and r * stride + kw <= image.shape[1]:
                out[r, c] = np.sum(image[c * stride:c * stride + kh,
                                         r * stride:r * stride + kw] * kernel)
    return out


CONV = [
    (conv_kh_for_width, "used kh, the kernel's height, for the width too"),   # "1 column"
    (conv_window_swapped, "swapped i and j in the patch's position"),         # "25 of 30 off"
    (lambda im, k, s: conv_loop(im, k, s, flip=True), "flipped the kernel"),
    (conv_no_stride, "include the stride"),
    (conv_stride_in_range, "right size"),
    (lambda im, k, s: conv_loop(im, k, s, transpose=True), "transposed"),
    (lambda im, k, s: conv_loop(np.pad(im, 1), k, s), "padded"),
    (lambda im, k, s: conv_loop(im, k, s, input_sized=True), "input's size"),
    (lambda im, k, s: conv_loop(im, k, s, last=False), "last row and column"),
    (lambda im, k, s: conv_loop(im, k, s, average=True), "averaged"),
    (conv_swapped, "not square"),
    (conv_kh_both_axes, "kh for both axes"),                 # issue 23: passed square kernels
    (conv_out_ji, "swap the indices"),                       # issue 23: "outside the output"
    (conv_int_output, "whole numbers only"),                 # issue 23: dtype=int passed
    (lambda im, k, s: np.round(conv_loop(im, k, s)), "rounded"),
    (lambda im, k, s: conv2d(im, k, stride=s), "asks for loops"),   # issue 23: cl.conv2d
    (conv_by_windows, "asks for loops"),
    (lambda im, k, s: np.pad(conv_loop(im, k, s), ((0, 1), (0, 1))), "one row and one column too"),
    (lambda im, k, s: -conv_loop(im, k, s), "sign flipped"),                 # no model: related
    (conv_columns_unstrided, "by 1 along the columns"),
    # the checkers-a walk (issue 23): answers the catalogue did not know
    (lambda im, k, s: conv_loop(im, k, s).astype(np.float32), "float32"),        # it passed
    (lambda im, k, s: conv_loop(im, k, s).tolist(), "a list, not a NumPy array"),  # it passed
    (lambda im, k, s: conv_loop(im.astype(int), k, s), "made the image whole numbers"),
    (lambda im, k, s: conv_loop(im, k.astype(int), s), "made the kernel whole numbers"),
    (lambda im, k, s: np.abs(conv_loop(im, k, s)), "absolute value"),
    (lambda im, k, s: np.maximum(conv_loop(im, k, s), 0), "that is a ReLU"),
    (lambda im, k, s: conv_loop(np.maximum(im, 0), k, s), "negative pixels to 0"),
    (lambda im, k, s: conv_loop(im, k, s) / k.sum(), "divided by the kernel's sum"),
    (lambda im, k, s: conv_loop(im, k, s) + 1, "1 too big"),
    (conv_matmul, "@ is a matrix product"),
    (lambda im, k, s: conv_loop(im, k, s).T, "transposed"),
]




def conv_partial_windows(image, kernel, stride):   # the walk of 2026-12-07: ceil, cut patches
    kh, kw = kernel.shape
    rows = -(-(image.shape[0] - kh) // stride) + 1
    cols = -(-(image.shape[1] - kw) // stride) + 1
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            patch = image[i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[i, j] = np.sum(patch * kernel[:patch.shape[0], :patch.shape[1]])
    return out


def conv_square_output(image, kernel, stride):     # the rows' count used for the columns
    kh, kw = kernel.shape
    n = (image.shape[0] - kh) // stride + 1
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            out[i, j] = np.sum(image[i * stride:i * stride + kh, j * stride:j * stride + kw]
                               * kernel)
    return out


def conv_stride_rows_only(image, kernel, stride):
    kh, kw = kernel.shape
    out = np.zeros(((image.shape[0] - kh) // stride + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i * stride:i * stride + kh, j:j + kw] * kernel)
    return out


def conv_pixel_index(image, kernel, stride):       # out[r, c] with the pixel's row and column
    kh, kw = kernel.shape
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1))
    for r in range(0, image.shape[0] - kh + 1, stride):
        for c in range(0, image.shape[1] - kw + 1, stride):
            out[r, c] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out


OUTPUT_SIZE_03 += [
    (lambda n, k, s, p: int((n + 2 * p - k) / s) + 1, "int() rounds toward zero"),
    (lambda n, k, s, p: (n + 2 * s - k) // p + 1 if p else n + 2 * s - k + 1,
     "s and p are swapped"),
    (lambda n, k, s, p: n // s + 2 * p - k + 1, "only n was divided by s"),
    (lambda n, k, s, p: (n + 2 * p - k - 1) // s + 1, "the same as subtracting k + 1"),
    # the second walk of lessons 00-03 (round 3): misleading, then vague
    (lambda n, k, s, p: (n + 2 * p - k + s - 1) // s, "rounds up (a ceil) and leaves out the + 1"),
    (lambda n, k, s, p: n + 2 * p - k // s + 1, "only k was divided by s"),
]
CONV += [
    (conv_partial_windows, "rounded the number of positions up"),
    (lambda image, kernel, s: conv_loop(image, kernel[:, ::-1], s),
     "mirrored the kernel left to right"),
    (lambda image, kernel, s: conv_loop(image, kernel[::-1], s), "upside down"),
    (conv_square_output, "as many columns as rows"),
    (conv_stride_rows_only, "the stride on the rows only"),
    (conv_pixel_index, "not by a pixel row r of range(0, H, s)"),
]


# The second walk of lessons 00-03 (round 3): answers whose hints gave only a shape, values,
# or (the image's dtype) passed, written as that learner wrote them.
def conv_stride_one_sized(image, kernel, stride):   # loops step by s into a stride-1 output
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(0, image.shape[0] - kh + 1, stride):
        for j in range(0, image.shape[1] - kw + 1, stride):
            out[i // stride, j // stride] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return out


def conv_square_image(image, kernel, stride):       # image.shape[0] for both axes
    kh, kw = kernel.shape
    n = image.shape[0]
    out = np.zeros(((n - kh) // stride + 1, (n - kw) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            patch = image[i * stride:i * stride + kh, j * stride:j * stride + kw]
            if patch.shape == kernel.shape:
                out[i, j] = np.sum(patch * kernel)
    return out


def conv_range_stops_early(image, kernel, stride):   # range(0, n - k, s)
    kh, kw = kernel.shape
    rows, cols = range(0, image.shape[0] - kh, stride), range(0, image.shape[1] - kw, stride)
    out = np.zeros((len(rows), len(cols)))
    for a, r in enumerate(rows):
        for b, c in enumerate(cols):
            out[a, b] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out


def conv_stride_as_dilation(image, kernel, stride):  # the taps spaced s apart
    kh, kw = kernel.shape
    span_h, span_w = (kh - 1) * stride + 1, (kw - 1) * stride + 1
    out = np.zeros((image.shape[0] - span_h + 1, image.shape[1] - span_w + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + span_h:stride, j:j + span_w:stride] * kernel)
    return out


def conv_size_plus_one_inside(image, kernel, stride):   # (n - k + 1) // s positions
    kh, kw = kernel.shape
    out = np.zeros(((image.shape[0] - kh + 1) // stride, (image.shape[1] - kw + 1) // stride))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i * stride:i * stride + kh, j * stride:j * stride + kw]
                               * kernel)
    return out


def conv_image_dtype(image, kernel, stride):         # np.zeros(..., dtype=image.dtype): passed
    kh, kw = kernel.shape
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1),
                   dtype=image.dtype)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i * stride:i * stride + kh, j * stride:j * stride + kw]
                               * kernel)
    return out


CONV += [
    (conv_stride_one_sized, "sized for stride 1"),
    (conv_square_image, "as if it were square"),
    (conv_range_stops_early, "range(0, n - k, s) stops before n - k"),
    (conv_stride_as_dilation, "that is dilation"),
    (lambda im, k, s: conv_loop(im, k, s) + k.mean(), "the kernel's mean"),
    (conv_size_plus_one_inside, "(n - k + 1) // s rows and columns"),
    (conv_image_dtype, "took the image's dtype"),
]


def test_conv2d_loop_tests_an_int_image():
    """Round 3: an output in the image's dtype passed on float images only."""
    images = [image for image, *_ in _mistakes03.CONV_CASES]
    assert any(image.dtype.kind in "iu" for image in images)
    assert lesson03.check_conv2d(conv_loop).passed
    assert "a 5x6 int image" in lesson03.check_conv2d(conv_loop).message


def test_03_output_size_task_does_not_give_the_formula():
    """Round 3: the task (shown in lesson 00's course map, before lesson 03) was the answer."""
    task = lesson03.check_output_size.task
    assert "//" not in task and "+ 1" not in task
    assert all(word in task for word in ("k-wide kernel", "padded by p", "stride s"))


CATALOGUE = {
    "03 output_size": (lesson03.check_output_size, OUTPUT_SIZE_03),
    "03 conv2d": (lesson03.check_conv2d, CONV),
}
MISTAKES = [pytest.param(checker, wrong, words, id=f"{name}-{k}")
            for name, (checker, mistakes) in CATALOGUE.items()
            for k, (wrong, words) in enumerate(mistakes)]


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_each_exercise_has_ten_named_mistakes(name):
    has_six_named_mistakes(CATALOGUE[name][1], at_least=10)


@pytest.mark.parametrize(("checker", "wrong", "words"), MISTAKES)
def test_mistake_fails_with_its_hint_and_no_warning(checker, wrong, words):
    mistake_fails_with_its_hint_and_no_warning(checker, wrong, words)


def test_right_answers_written_by_hand_pass():
    for checker, answer in [
            (lesson03.check_output_size, lambda n, k, s, p: (n + 2 * p - k) // s + 1),
            (lesson03.check_conv2d, conv_loop),
    ]:
        passes_without_warning(checker, answer)


def test_conv2d_loop_cases_are_fractional_rectangular_and_signed():
    cases = _mistakes03.CONV_CASES
    kernels = {k.shape for _, k, _ in cases}
    assert {(3, 3), (2, 3), (3, 2)} <= kernels and {s for *_, s in cases} == {1, 2, 3}
    image = _mistakes03.IMAGE
    assert image.shape == (7, 8) and (image != np.round(image)).any()
    assert (image < 0).any() and (image == 0).any()


def test_the_worked_solutions_are_written_for_the_exercises():
    assert "def output_size_strided(" in repr(lesson03.check_output_size.solution(force=True))
    shown = repr(lesson03.check_conv2d.solution(force=True))
    assert "def conv2d_loop(" in shown and "conv_forward_loop runs these loops" in shown


def test_03_arithmetic_panel_names_its_two_tone_grid_and_keeps_it_when_nothing_fits():
    panel = lesson03.arithmetic_panel()                # issue 23: "input (dark)" over two tones
    ax = panel.live.figure.axes[0]
    # at p = 0 the title names no padding (the walk of 2026-12-07 took the input's lighter
    # checks for the "light checks" of the padding)
    assert ax.get_title() == "input 4x4 (every cell), no padding"   # round 3: "dark" picked
    # nothing out of a two-blue checkerboard with no padding around it
    fits = np.asarray(ax.images[0].get_array()).copy()
    assert len(np.unique(fits)) == 2                   # the input's two tones: its checks
    panel.controls["kernel"].value = 7                 # issue 23: the grid was lost here
    assert "does not fit" in panel.message
    assert np.array_equal(np.asarray(ax.images[0].get_array()), fits)
    panel.controls["padding"].value = 2
    grid = np.asarray(ax.images[0].get_array())
    assert len(np.unique(grid)) == 4 and grid[0, 0] < grid[2, 2]   # light padding, dark input
    assert ax.get_title() == "input 4x4 (dark cells), padding 2 (pale cells)"


def test_conv2d_loop_generic_messages_say_the_mistake_before_the_inputs():
    """Round 3: the 7x8 image and the kernel (about 12 lines) came before the hint."""
    for wrong, sentence in [
            (lambda im, k, s: conv_loop(im, k, s)[:, :-2], "2 columns too few"),
            (lambda im, k, s: -conv_loop(im, k, s), "sign flipped"),
            (lambda im, k, s: conv_loop(im, k, s).tolist(), "a list, not a NumPy array")]:
        message = lesson03.check_conv2d(wrong).message
        first_line = message.split("\n")[0]
        assert sentence in first_line and first_line.index(sentence) < first_line.index(" on ")


def test_conv2d_loop_computed_in_float32_is_named():
    """A walk recorded a loop computing in float32 as right: the cases then had no answer that
    is a small difference of large sums.  Large pixels under an edge kernel show the lost
    digits, and the hint names the dtype."""
    def conv_float32(image, kernel, stride):
        image, kernel = image.astype(np.float32), kernel.astype(np.float32)
        kh, kw = kernel.shape
        out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1))
        for i in range(out.shape[0]):
            for j in range(out.shape[1]):
                patch = image[i * stride:i * stride + kh, j * stride:j * stride + kw]
                out[i, j] = np.sum(patch * kernel)
        return out
    result = lesson03.check_conv2d(conv_float32)
    assert not result and "float32 keeps about 7 digits" in result.message, result.message
