"""Lesson 01 (01_images_are_arrays.ipynb): what its prose claims, its panels and
figures, its exercise checkers and the mistakes they name.

Tests that run the notebook or render figures are marked ``slow``; the fast lane
(``python -m pytest -m "not slow"``) keeps the checkers.  The notebook runs once per
session (tests/lesson_runs.py), shared by the claim and figure tests.
"""

from __future__ import annotations

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
    figure_problems,
    shown_figure_problems,
    static_figure_problems,
)
from lesson_runs import run_lesson
from panels import (
    check_every_control_changes_the_figure,
    panel_id,
    panels_of,
)

from cnnlab.conv import conv2d
from cnnlab.data import load_mnist_subset
from cnnlab.lessons import lesson01
from cnnlab.lessons._common import KERNELS, digit, first_of

# ---- what the lesson says, its cells show (claims) ----------------------------------------------


@pytest.mark.slow
def test_run_all_shows_no_warning_and_no_error():
    run_lesson("01").assert_clean()


@pytest.mark.slow
def test_01_digit_facts():
    run = run_lesson("01")
    data = load_mnist_subset()
    assert run.says("The shipped MNIST subset holds 12,000 handwritten digits, each "
                    "$28 \\times 28$ pixels")
    assert len(data.train_images) + len(data.test_images) == 12000
    assert data.test_images.shape[1:] == (28, 28)
    image = run.namespace["image"]
    assert run.says("0 is black (background), 1 is white ink")
    assert image.min() == 0.0 and image.max() <= 1.0 and np.mean(image == 0) > 0.5
    # issue 23: it said "the top-left corner of the stroke"; the crop is the end of the 3's
    # upper arc (its first two rows) and the left of its middle bar (bright bottom right)
    assert run.says("Here are rows 8 to 15 and columns 8 to 15 of it, printed as numbers: at "
                    "the top, the left end of the upper arc; at the bottom right, the left part "
                    "of the middle bar")
    crop = image[8:16, 8:16]
    assert run.namespace["label"] == 3 and crop[0].max() > 0.9 and crop[2].max() < 0.1
    assert crop[5:, 4:].min() > 0.9 and crop[:, 0].max() == 0
    assert image[4:8].max() > 0.9 and image[11:16].max() > 0.9      # the arc above, the bar


@pytest.mark.slow
def test_01_edge_example_is_zero_on_flat_areas_and_3_on_the_edge():
    run = run_lesson("01")
    assert run.says("Where the patch straddles the dark-to-bright edge (columns 1 and 2 of the "
                    "output), the output is large (3); on the flat areas at either side it is 0.")
    out = conv2d(run.namespace["tiny"], run.namespace["edge"])
    assert np.all(out[:, 1:3] == 3) and np.all(out[:, [0, -1]] == 0)
    printed = run.output_of("tiny = np.array")
    assert "out[0, 1] = 3" in printed and "[[0. 3. 3. 0.]" in printed
    assert "-0" not in printed


@pytest.mark.slow
def test_01_every_kernel_named_is_shown():
    run = run_lesson("01")
    assert run.says("a box blur (the average of the 9 pixels under it: the pixel itself and its 8 "
                     "neighbours), sharpen, Sobel $x$ and $y$ "
                    "(horizontal and vertical changes), and a Laplacian (outlines)")
    fig = lesson01.kernels_figure()
    titles = " | ".join(ax.get_title() for ax in fig.axes)
    for name in ("box blur", "sharpen", "Sobel x", "Sobel y", "Laplacian"):
        assert name in titles
    assert "lesson01.kernels_figure()" in run.printed or any(
        "kernels_figure" in s for s in run._sources)


@pytest.mark.slow
def test_01_says_the_kernels_figure_and_editor_show_a_7_and_the_edge_magnitude_the_3():
    run = run_lesson("01")                 # the walk of 2026-12-07: the digit changed unsaid
    assert run.says("The figure and the editor below use another digit, a 7")
    assert run.says("the edge magnitude after them is of `image`, the 3 above, again")
    assert int(run.namespace["label"]) == 3
    assert digit(first_of(7))[1] == 7
    fig = lesson01.kernels_figure()
    assert fig.axes[0].get_title() == "input: a 7"
    editor = lesson01.kernel_editor()
    assert editor.live.figure.axes[0].get_title() == "input: a 7"


@pytest.mark.slow
def test_01_sobel_x_finds_vertical_edges_and_sobel_y_horizontal_ones():
    run = run_lesson("01")
    assert run.says("Sobel $x$ lights up the left and right sides of the strokes; Sobel $y$ "
                    "their tops and bottoms")
    bar = np.zeros((9, 9))
    bar[:, 3:6] = 1.0                        # a vertical stroke: left and right sides only
    gx = conv2d(bar, KERNELS["Sobel x (vertical edges)"], padding=1)[1:-1]
    gy = conv2d(bar, KERNELS["Sobel y (horizontal edges)"], padding=1)[1:-1]
    assert np.abs(gx).max() == 4 and np.abs(gy).max() == 0
    assert (gx[:, 2] > 0).all() and (gx[:, 6] < 0).all()


@pytest.mark.slow
def test_01_kernel_editor_all_ones_is_visibly_too_bright_and_one_off_centre_shifts():
    run = run_lesson("01")
    # issue 23: it said "on the input's scale, -1 to +1", but the input runs 0..1
    assert run.says("The output's colours run from $-1$ (blue) to $+1$ (red), as far from 0 "
                    "either way as the input's brightest pixel (1; the input runs from 0 to 1), "
                    "and saturate beyond; the title gives the true range.")
    assert run.namespace["image"].min() == 0 and run.namespace["image"].max() == 1.0
    assert run.says("make every weight 1 (why does the output get so bright?); put a single 1 "
                    "off-centre (the image shifts)")
    panel = lesson01.kernel_editor()
    out_image = panel.live.figure.axes[2].images[0]
    with panel.hold():
        for i in range(3):
            for j in range(3):
                panel.controls[f"k{i}{j}"].value = "1"
    assert panel.controls["preset"].value == "custom"
    out = np.asarray(out_image.get_array())
    assert out_image.get_clim() == (-1.0, 1.0)
    assert np.mean(out > 1.0) > 0.1                      # saturated red: visibly too bright
    assert f"{out.max():.2f}" in panel.live.figure.axes[2].get_title()
    image, _ = digit(first_of(7))
    with panel.hold():
        for i in range(3):
            for j in range(3):
                panel.controls[f"k{i}{j}"].value = "1" if (i, j) == (0, 0) else "0"
    shifted = np.asarray(out_image.get_array())
    assert np.allclose(shifted[1:, 1:], image[:-1, :-1])


# ---- its panels and figures: every control works, every state reads -----------------------------


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson01), ids=panel_id)
def test_every_control_changes_the_figure(factory):
    check_every_control_changes_the_figure(factory)


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson01), ids=panel_id)
def test_panel_is_readable_in_every_state(factory):
    check_panel_is_readable_in_every_state(factory)


@pytest.mark.slow
def test_kernel_editor_all_ones_state_is_readable():
    panel = lesson01.kernel_editor()
    with panel.hold():
        for i in range(3):
            for j in range(3):
                panel.controls[f"k{i}{j}"].value = "1"
    assert figure_problems(panel.live.figure, panel.live.dpi, drawn=True) == []


@pytest.mark.slow
def test_static_figure_is_readable():
    assert static_figure_problems(lesson01.kernels_figure) == []


@pytest.mark.slow
def test_figures_the_notebook_shows_are_readable():
    problems = shown_figure_problems(run_lesson("01"))
    assert not problems, "\n".join(problems)


# ---- its exercises: each checker passes the right answer and names each catalogued mistake ------

# (checker, right answer, [(wrong answer, words its hint must contain), ...])
CASES = [
    (lesson01.check_box_blur, lambda: np.full((3, 3), 1 / 9),
     [(lambda: np.ones((3, 3)), "divide by 9"), (lambda: np.full((3, 3), 1 / 3), "sum to 3")]),
    (lesson01.check_apply_at, lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k),
     [(lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k[::-1, ::-1]), "flipped"),
      (lambda im, k, i, j: np.sum(np.pad(im, 1)[i:i + 3, j:j + 3] * k), "centred")]),
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

def box_list_flat():
    return [1 / 9] * 9


def box_without_centre():
    kernel = np.ones((3, 3)) / 8
    kernel[1, 1] = 0
    return kernel


BOX_BLUR = [
    (lambda: np.ones((3, 3)), "divide by 9"),
    (lambda: np.ones((3, 3)) / 3, "sum to 3"),
    (lambda: np.ones((3, 3)) / 8, "divides by 9"),
    (lambda: 1 / 9, "one number"),
    (box_list_flat, "flat list"),
    (lambda: np.ones((3, 3)) // 9, "floor division"),
    (lambda: np.ones((5, 5)) / 25, "5x5"),
    (lambda: np.eye(3)[1:2].T @ np.eye(3)[1:2], "identity"),
    (lambda: np.full((3, 3), 1 / 9, dtype=int), "every weight is 0"),
    (lambda: np.full((3, 3), 0.11), "rounded"),
    (lambda: np.eye(3) / 3, "diagonal"),
    (lambda: np.full((3, 3), 9), "81 times"),
    (lambda: np.full((1, 9), 1 / 9), "1x9"),
    (lambda: np.full((3, 3), 1 / 9).sum(), "sum of the weights"),
    (lambda: np.ones((3, 3)) * 0.1, "0.1 is not 1/9"),
    (lambda: np.full((2, 2), 0.25), "2x2 blur"),
    # the checkers-a walk (issue 23): answers the catalogue did not know
    (lambda: [[1 / 9] * 3] * 3, "a list, not a NumPy array"),                # it passed
    (lambda: np.full((3, 3), 1 / 9, dtype=np.float32), "float32"),           # it passed
    (lambda: np.full((3, 3), 1 / 9, dtype=np.float16), "close but not exact"),
    (lambda: np.full((3, 3), round(1 / 9, 4)), "rounded to 4 decimals"),      # not "0.9999 times"
    (lambda: np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16, "Gaussian blur"),
    (box_without_centre, "left out the centre pixel"),
    (lambda: -np.ones((3, 3)) / 9, "-1/9"),
    (lambda: np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]), "sharpen kernel"),
    (lambda: np.ones((4, 4)) / 16, "4x4 blur"),
    (lambda: np.ones((3, 3, 1)) / 9, "3x3x1"),
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
    (lambda im, k, i, j: float(im[i + 1, j + 1] * k[1, 1]),      # a walker: was "14.87 less"
     "centre pixel by the centre weight only"),
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
    (lambda im, k, i, j: int(np.sum(im[i:i + 3, j:j + 3] * k)), "whole number"),   # issue 23
    (lambda im, k, i, j: round(float(np.sum(im[i:i + 3, j:j + 3] * k))), "whole number"),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k, axis=0), "axis=0"),
    (lambda im, k, i, j: np.sum(im[i + 1:i + 4, j + 1:j + 4] * k), "top-left corner"),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] + k), "added the kernel"),
    (lambda im, k, i, j: (im[i:i + 3, j:j + 3] * k).max(), "largest product"),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * np.flipud(k)), "upside down"),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * k) / 9, "mean of the products"),
    (lambda im, k, i, j: abs(np.sum(im[i:i + 3, j:j + 3] * k)), "absolute value"),  # walk
    # the checkers-a walk (issue 23): answers the catalogue did not know
    (lambda im, k, i, j: np.float32(np.sum(im[i:i + 3, j:j + 3] * k)), "float32"),  # it passed
    (lambda im, k, i, j: max(np.sum(im[i:i + 3, j:j + 3] * k), 0), "that is a ReLU"),
    (lambda im, k, i, j: np.sum(im[1:4, 2:5] * k), "every call gave the cell at (1, 2)"),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j + 1:j + 4] * k), "one column to the right"),
    (lambda im, k, i, j: np.sum(im[i:i + 3, j:j + 3] * np.abs(k)), "kernel's absolute values"),
    (lambda im, k, i, j: np.sum(np.clip(im[i:i + 3, j:j + 3], 0, None) * k), "negative pixels"),
    (lambda im, k, i, j: np.sum((im[i:i + 3, j:j + 3] * k) ** 2), "squared the products"),
    (lambda im, k, i, j: [np.sum(im[i:i + 3, j:j + 3] * k)],
     "a list holding 12.03, expected the number itself"),
]


def apply_at_range_2(image, kernel, i, j):        # the walk of 2026-12-07
    total = 0.0
    for a in range(2):
        for b in range(2):
            total += image[i + a, j + b] * kernel[a, b]
    return total


APPLY_AT += [
    (lambda image, kernel, i, j: np.sum(image[i:i + 2, j:j + 2] * kernel[:2, :2]),
     "your patch is 2x2"),
    (apply_at_range_2, "range(3) goes 0, 1, 2"),
    (lambda image, kernel, i, j: np.sum(image[i:i + 3, j:j + 3] * kernel.astype(int)),
     "rounded the kernel's weights"),
]


CATALOGUE = {
    "01 box_blur": (lesson01.check_box_blur, BOX_BLUR),
    "01 apply_at": (lesson01.check_apply_at, APPLY_AT),
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


def test_generic_message_shows_the_small_failing_input():
    result = lesson01.check_apply_at(lambda im, k, i, j: np.sum(im[0:3, 0:3] * k))
    assert "i=" in result.message and "[[" in result.message
    assert "index (" not in result.message


def test_right_answers_written_by_hand_pass():
    for checker, answer in [
            (lesson01.check_box_blur, lambda: np.ones((3, 3)) / 9),
            (lesson01.check_apply_at, lambda im, k, i, j: (im[i:i + 3, j:j + 3] * k).sum()),
    ]:
        passes_without_warning(checker, answer)


def test_a_generic_message_of_make_box_blur_says_how_it_was_called():
    message = lesson01.check_box_blur(lambda: np.full((2, 3), 1 / 6)).message
    assert "when called as make_box_blur()" in message and "no arguments:" not in message


def test_the_worked_solutions_are_cnnlab_functions():
    from cnnlab.conv import box_kernel
    assert lesson01.check_box_blur(box_kernel)
    assert "def box_kernel" in repr(lesson01.check_box_blur.solution(force=True))
    shown = repr(lesson01.check_apply_at.solution(force=True))
    assert "def apply_at(" in shown and "np.sum(patch * kernel)" in shown
    assert "conv2d_loop runs these two lines for every (i, j)" in shown


@pytest.mark.slow
def test_01_the_editor_says_fractions_work():
    assert run_lesson("01").says("type your own nine weights, as numbers or fractions such as "
                                 "`1/9` (the preset switches to *custom*)")


def test_01_a_weight_typed_as_a_fraction_is_read_as_one():
    panel = lesson01.kernel_editor()                  # issue 23: "1/9" became 19
    ax_k = panel.live.figure.axes[1]
    with panel.hold():
        for i in range(3):
            for j in range(3):
                panel.controls[f"k{i}{j}"].value = "1/9"
    shown = np.asarray(panel.live.figure.axes[2].images[0].get_array())
    assert np.allclose(shown, conv2d(digit(first_of(7))[0], np.full((3, 3), 1 / 9),
                                     padding="same"))
    assert [t.get_text() for t in ax_k.texts] == ["0.11"] * 9
    panel.controls["preset"].value = "box blur"       # the preset fills in the same fractions
    assert {panel.controls[f"k{i}{j}"].value for i in range(3) for j in range(3)} == {"1/9"}
    panel.controls["k00"].value = "1/"                # half-typed: said, and the rest kept
    assert ax_k.get_title() == "kernel (3x3)\nnot a number: [0,0] = '1/'"
    assert np.allclose(np.asarray(panel.live.figure.axes[2].images[0].get_array()), shown)


def test_01_a_huge_weight_label_stays_inside_its_cell():
    panel = lesson01.kernel_editor()                  # issue 23: 1e6 ran over its neighbour
    panel.controls["k01"].value = "1e6"
    ax_k = panel.live.figure.axes[1]
    figure = panel.live.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    label = ax_k.texts[1]
    assert label.get_text() == "1e+06"
    box = label.get_window_extent(renderer)
    left, right = (ax_k.transData.transform([(x, 0)])[0][0] for x in (0.5, 1.5))
    assert left <= box.x0 and box.x1 <= right, (box, left, right)
