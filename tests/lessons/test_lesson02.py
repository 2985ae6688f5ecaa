"""Lesson 02 (02_padding.ipynb): what its prose claims, its panels and
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
    shown_figure_problems,
    static_figure_problems,
)
from lesson_runs import run_lesson
from panels import (
    check_every_control_changes_the_figure,
    panel_id,
    panels_of,
)

from cnnlab import padding as cl_padding
from cnnlab.conv import conv_output_size
from cnnlab.lessons import lesson02
from cnnlab.lessons._common import digit, first_of
from cnnlab.padding import pad, pad_by_stacking

# ---- what the lesson says, its cells show (claims) ----------------------------------------------


@pytest.mark.slow
def test_run_all_shows_no_warning_and_no_error():
    run_lesson("02").assert_clean()


@pytest.mark.slow
def test_02_shrinking_and_coverage():
    run = run_lesson("02")
    assert run.says("So a $5 \\times 5$ kernel turns a $28 \\times 28$ digit into a "
                    "$24 \\times 24$ feature map, and every further layer shrinks it by 4 again")
    sizes = lesson02.shrinking_sizes(28, 5, 6)
    assert sizes[1] == 24 and set(np.diff(sizes)) == {-4}
    assert str(sizes) in run.output_of("shrinking_sizes")
    assert run.says("The corner pixel is seen by one kernel position, a centre pixel by 25.")
    covered = run.namespace["covered"]
    assert covered[0, 0] == 1 and covered[14, 14] == 25 and covered.shape == (28, 28)
    # independently: count the 24 x 24 positions whose 5 x 5 window contains the pixel
    count = sum(1 for i in range(24) for j in range(24) if i <= 0 < i + 5 and j <= 0 < j + 5)
    assert count == 1


@pytest.mark.slow
def test_02_stacking_np_pad_and_cnnlab_agree():
    run = run_lesson("02")
    assert run.says("NumPy does the same in one call, `np.pad(image, p)`")
    assert run.says("They agree:")
    assert run.output_of("np.array_equal(padded_by_hand").startswith("True True True")
    assert run.says("so with $p = (k - 1)/2$ (2 for a $5 \\times 5$ kernel) the output keeps "
                    "the input's size")
    assert conv_output_size(28, 5, padding=2) == 28


def claim_02_border_is_not_blank(run):
    """The mode comparison uses an image whose strokes touch all four borders."""
    assert run.says("A whole MNIST digit almost always has a blank border")
    assert run.says("its strokes touch all four sides")
    printed = run.output_of("border_pixels")
    share = float(printed.split("all black: ")[1].split("%")[0]) / 100
    assert share > 0.95
    border = run.namespace["border"]
    assert run.says(f"cropped to its ink, ${border.shape[0]} \\times {border.shape[1]}$ pixels")
    for side in (border[0], border[-1], border[:, 0], border[:, -1]):
        assert side.max() > 0.3
    # and so every pair of modes fills the frame differently
    padded = {m: pad(border, 4, mode=m, value=lesson02.CONSTANT_VALUE if m == "constant"
                     else 0.0) for m in lesson02.FIGURE_MODES}
    for a in padded:
        for b in padded:
            if a < b:
                assert not np.allclose(padded[a], padded[b]), (a, b)


@pytest.mark.slow
def test_02_modes_are_compared_on_a_border_that_is_not_blank():
    claim_02_border_is_not_blank(run_lesson("02"))


@pytest.mark.slow
def test_02_constant_mode_is_explained_and_shown():
    run = run_lesson("02")
    assert run.says("**constant**: a frame of one value you choose, `cl.pad(image, p, "
                    "mode=\"constant\", value=0.5)` (grey here); **zero** is constant with "
                    "value 0.")
    x = np.arange(6.0).reshape(2, 3)
    assert np.array_equal(pad(x, 2, mode="constant", value=0.0), pad(x, 2, mode="zero"))
    assert np.all(pad(x, 1, mode="constant", value=0.5)[0] == 0.5)
    fig = lesson02.modes_figure()
    titles = [ax.get_title() for ax in fig.axes]
    assert "mode='constant' (0.5)" in titles


@pytest.mark.slow
def test_02_panel_question_has_an_answer():
    run = run_lesson("02")
    assert run.says("At which width does the output keep the input's $16 \\times 20$?")
    assert [p for p in range(9) if conv_output_size(16, 5, padding=p) == 16
            and conv_output_size(20, 5, padding=p) == 20] == [2]
    panel = lesson02.padding_panel(kernel_size=5)
    # issue 23: the panel opened at p = 2, showing the answer under the question
    assert panel.controls["width"].value == 0
    assert "gives 12x16" in panel.live.figure.axes[1].get_title()
    panel.controls["width"].value = 2
    assert "gives 16x20" in panel.live.figure.axes[1].get_title()


def test_02_mode_list_starts_with_the_default_in_the_lessons_order():
    options = list(lesson02.padding_panel().controls["mode"].options)   # issue 23: alphabetical
    assert options[0] == "zero" == lesson02.padding_panel().controls["mode"].value
    assert options[:5] == lesson02.FIGURE_MODES and sorted(options) == sorted(lesson02.PAD_MODES)


def test_02_padding_panel_alt_text_says_no_padding_at_width_0():
    panel = lesson02.padding_panel(kernel_size=5)
    for mode in ("zero", "reflect"):              # issue 23: "the padding's mean value is 0.00"
        said = panel.describe(width=0, mode=mode)
        assert "not padded (p = 0" in said and "mean value" not in said, said
        assert "16x20" in said and "gives 12x16" in said
    said = panel.describe(width=2, mode="zero")
    assert "padded by 2 on every side" in said and "mean value is 0.00" in said
    assert "20x24" in said and "gives 16x20" in said


@pytest.mark.slow
def test_02_uneven_padding_print():
    run = run_lesson("02")
    printed = run.output_of("cl.pad(small, (0, 0, 2, 1))")
    assert "2 columns left, 1 right" in "".join(run._sources)
    last = printed.strip().splitlines()[-3:]
    assert all(line.strip(" []").split()[:2] == ["0.", "0."] for line in last)
    assert all(line.strip(" []").split()[-1] == "0." for line in last)


@pytest.mark.slow
def test_changing_the_mode_example_breaks_its_claim(monkeypatch):
    """Give lesson 02 a whole digit (blank border) for its mode comparison: the claim fails."""
    whole = digit(first_of(2))[0]
    monkeypatch.setattr(lesson02, "border_digit", lambda: whole)
    drifted = run_lesson.__wrapped__("02")
    with pytest.raises(AssertionError):
        claim_02_border_is_not_blank(drifted)


# ---- its panels and figures: every control works, every state reads -----------------------------


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson02), ids=panel_id)
def test_every_control_changes_the_figure(factory):
    check_every_control_changes_the_figure(factory)


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson02), ids=panel_id)
def test_panel_is_readable_in_every_state(factory):
    check_panel_is_readable_in_every_state(factory)


@pytest.mark.slow
def test_static_figure_is_readable():
    assert static_figure_problems(lesson02.modes_figure) == []


@pytest.mark.slow
def test_figures_the_notebook_shows_are_readable():
    problems = shown_figure_problems(run_lesson("02"))
    assert not problems, "\n".join(problems)


# ---- its exercises: each checker passes the right answer and names each catalogued mistake ------

# (checker, right answer, [(wrong answer, words its hint must contain), ...])
CASES = [
    (lesson02.check_pad_by_stacking, pad_by_stacking,
     [(lambda im, p: stack_rows_only(im, p), "not the columns"),
      (lambda im, p: np.hstack([np.zeros((im.shape[0], p)), im, np.zeros((im.shape[0], p))]),
       "not the rows"),
      (lambda im, p: stack_2p(im, p), "EACH side")]),
    (lesson02.check_output_size, lambda n, k, p: n + 2 * p - k + 1,
     [(lambda n, k, p: n + p - k + 1, "EACH side"), (lambda n, k, p: n + 2 * p - k, "off by one"),
      (lambda n, k, p: n + 2 * p, "padded size")]),
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


def stack_rounded(image, p):
    image = image.astype(int)
    rows = np.zeros((p, image.shape[1]))
    stacked = np.vstack([rows, image, rows])
    cols = np.zeros((stacked.shape[0], p))
    return np.hstack([cols, stacked, cols])


def stack_p_plus_1(image, p):
    return stack_2p(image, p) if p == 1 else stack_with(image, p + 1)


def stack_with(image, p):
    rows = np.zeros((p, image.shape[1]))
    stacked = np.vstack([rows, image, rows])
    cols = np.zeros((stacked.shape[0], p))
    return np.hstack([cols, stacked, cols])


def frame(image, p):
    return np.pad(image, p)


def stack_via_helper(image, p):
    return frame(image, p)



def stack_mean(image, p):
    rows = np.full((p, image.shape[1]), image.mean())
    stacked = np.vstack([rows, image, rows])
    return np.hstack([np.full((stacked.shape[0], p), image.mean()), stacked,
                      np.full((stacked.shape[0], p), image.mean())])

def slice_minus_p(image, p):
    out = np.zeros((image.shape[0] + 2 * p, image.shape[1] + 2 * p))
    out[p:-p, p:-p] = image                      # empty when p = 0
    return out


def slice_minus_p_skipping_zero(image, p):
    out = np.zeros((image.shape[0] + 2 * p, image.shape[1] + 2 * p))
    if p > 0:
        out[p:-p, p:-p] = image
    return out


def stack_minus_ones(image, p):
    rows = -np.ones((p, image.shape[1]))
    stacked = np.vstack([rows, image, rows])
    cols = -np.ones((stacked.shape[0], p))
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
    (lambda image, p: cl_padding.pad_by_stacking(image, p), "cnnlab's pad_by_stacking"),
    (stack_via_helper, "np.pad"),                    # inside the learner's own helper
    (stack_rounded, "rounded the pixels"),          # issue 23: image.astype(int) passed
    (stack_p_plus_1, "p + 1"),
    (lambda image, p: image.copy(), "unchanged"),
    (lambda image, p: np.zeros((image.shape[0] + 2 * p, image.shape[1] + 2 * p)), "image is gone"),
    (lambda image, p: np.vstack([np.zeros((p, image.shape[1] + 2 * p)),
                                 np.hstack([np.zeros((image.shape[0], p)), image,
                                            np.zeros((image.shape[0], p))])]),
     "above but not below"),
    (lambda image, p: np.hstack([np.zeros((image.shape[0] + 2 * p, p)),
                                 np.vstack([np.zeros((p, image.shape[1])), image,
                                            np.zeros((p, image.shape[1]))])]),
     "left but not on the right"),
    (stack_mean, "image's mean"),
    # the checkers-a walk (issue 23): answers the catalogue did not know
    (lambda image, p: stack_with(image, p).tolist(), "a list, not a NumPy array"),  # it passed
    (lambda image, p: stack_with(image, p).astype(np.float32), "float32"),          # it passed
    (slice_minus_p, "out[p:-p, p:-p] is empty when p = 0"),
    (slice_minus_p_skipping_zero, "with p = 0 your answer is all zeros"),
    (lambda image, p: stack_with(np.abs(image), p), "absolute value"),
    (lambda image, p: stack_with(np.maximum(image, 0), p), "negative pixels became 0"),
    (lambda image, p: stack_with(image[:, ::-1], p), "mirrored left to right"),
    (lambda image, p: stack_with(image[::-1], p), "upside down"),
    (stack_minus_ones, "-1s"),
    (lambda image, p: stack_with(image.T, p).T if image.shape[0] > 2 else stack_with(image, p)
     .T, "transposed"),
]


OUTPUT_SIZE_02 = [
    (lambda n, k, p: n + 2 * p - (k - 1) // 2, "half of what the kernel removes"),  # "2 more"
    (lambda n, k, p: n + p - k + 1, "EACH side"),
    (lambda n, k, p: n + 2 * p - k, "off by one"),
    (lambda n, k, p: n + 2 * p, "padded size"),
    (lambda n, k, p: n - k + 1, "left out the padding"),
    (lambda n, k, p: n + 2 * p - k - 1, "off by two"),
    (lambda n, k, p: n + 2 * p + k - 1, "do not add"),
    (lambda n, k, p: (n + 2 * p - k + 1) ** 2, "number of output cells"),
    (lambda n, k, p: n - 2 * p - k + 1, "bigger"),
    (lambda n, k, p: n, "input's size"),
    (lambda n, k, p: n + 2 * p - 2 * (k // 2), "only for odd k"),
    (lambda n, k, p: n + 2 * p - k // 2, "not k // 2"),
    (lambda n, k, p: (n + 2 * p - k) // 2 + 1, "no stride here"),
    (lambda n, k, p: n * 2 * p - k + 1, "does not multiply"),
    (lambda n, k, p: n + 2 * k - p + 1, "swapped"),
    (lambda n, k, p: (n + 2 * p - k + 1, n + 2 * p - k + 1), "one number"),
    (lambda n, k, p: n + 2 * p - k + 2, "one too many"),
    (lambda n, k, p: str(n + 2 * p - k + 1), "str"),                 # walk: "24" passed as 24
    # the checkers-a walk (issue 23): answers the catalogue did not know
    (lambda n, k, p: (n + 2 * p - k) / 1 + 1, "returned 24.0, a float"),     # it passed
    (lambda n, k, p: float(n + 2 * p - k + 1), "a float"),                   # it passed
    (lambda n, k, p: np.float64(n + 2 * p - k + 1), "a float"),              # it passed
    (lambda n, k, p: n + p - k, "EACH side (+ 2p)"),
    (lambda n, k, p: [n + 2 * p - k + 1], "a list holding 24, expected the number itself"),
    (lambda n, k, p: n - k + 3, "did not change when only p changed (0 to 2)"),  # no model
]


OUTPUT_SIZE_02 += [                                  # the walk of 2026-12-07
    (lambda n, k, p: (n + 2) * p - k + 1, "* comes before +"),
    (lambda n, k, p: n + 2 ** p - k + 1, "2 to the power p"),
    (lambda n, k, p: min(n, n + 2 * p - k + 1), "capped the size at n"),
]


# The second walk of lessons 00-03 (round 3): shape-only hints, and an answer by slicing that
# passed although the exercise asks for np.vstack and np.hstack.
def pad_columns_2p(image, p):
    rows = np.zeros((p, image.shape[1]))
    stacked = np.vstack([rows, image, rows])
    cols = np.zeros((stacked.shape[0], 2 * p))
    return np.hstack([cols, stacked, cols])


def pad_zeros_like(image, p):                     # image[:p] has only H rows when p > H
    rows = np.zeros_like(image[:p])
    stacked = np.vstack([rows, image, rows])
    cols = np.zeros_like(stacked[:, :p])
    return np.hstack([cols, stacked, cols])


def pad_by_slicing(image, p):                      # right values, no stacking
    height, width = image.shape
    out = np.zeros((height + 2 * p, width + 2 * p))
    out[p:p + height, p:p + width] = image
    return out


PAD += [
    (pad_columns_2p, "your zero columns are 2p wide"),
    (pad_zeros_like, "np.zeros_like(image[:p]) is only H rows tall when p > H"),
    (pad_by_slicing, "your code stacks nothing: you filled a zeros array by slicing"),
]


def test_pad_by_stacking_takes_any_stacking_call():
    """np.concatenate or np.block glue the zeros on as np.vstack and np.hstack do."""
    def by_concatenate(image, p):
        rows = np.zeros((p, image.shape[1]))
        stacked = np.concatenate([rows, image, rows])
        cols = np.zeros((stacked.shape[0], p))
        return np.concatenate([cols, stacked, cols], axis=1)

    def by_block(image, p):
        h, w = image.shape
        z = np.zeros
        return np.block([[z((p, p)), z((p, w)), z((p, p))], [z((h, p)), image, z((h, p))],
                         [z((p, p)), z((p, w)), z((p, p))]])

    for answer in (by_concatenate, by_block):
        passes_without_warning(lesson02.check_pad_by_stacking, answer)


CATALOGUE = {
    "02 pad_by_stacking": (lesson02.check_pad_by_stacking, PAD),
    "02 output_size": (lesson02.check_output_size, OUTPUT_SIZE_02),
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
    result = lesson02.check_output_size(lambda n, k, p: 7)
    assert "n=28, k=5, p=0" in result.message and "expected 24" in result.message


def test_right_answers_written_by_hand_pass():
    def pad_by_stacking(image, p):
        rows = np.zeros((p, image.shape[1]))
        stacked = np.vstack([rows, image, rows])
        cols = np.zeros((stacked.shape[0], p))
        return np.hstack([cols, stacked, cols])

    for checker, answer in [
            (lesson02.check_pad_by_stacking, pad_by_stacking),
            (lesson02.check_output_size, lambda n, k, p: n + 2 * p - k + 1),
    ]:
        passes_without_warning(checker, answer)


def test_the_worked_solutions_are_cnnlab_functions():
    assert lesson02.check_pad_by_stacking(pad_by_stacking)
    assert lesson02.check_output_size(lambda n, k, p: conv_output_size(n, k, padding=p))
    assert "def pad_by_stacking" in repr(lesson02.check_pad_by_stacking.solution(force=True))
    shown = repr(lesson02.check_output_size.solution(force=True))
    assert "def output_size_padded(" in shown and "cnnlab.conv_output_size" in shown
