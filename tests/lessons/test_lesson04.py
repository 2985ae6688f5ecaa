"""Lesson 04 (04_relu_and_pooling.ipynb): what its prose claims, its panels and
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
    walk_answer_is_named,
)
from figure_checks import (
    check_panel_is_readable_in_every_state,
    shown_figure_problems,
    static_figure_problems,
)
from lesson_runs import run_lesson
from panels import (
    axes_drawn_whole,
    check_every_control_changes_the_figure,
    colour_bars,
    colour_mesh,
    panel_id,
    panels_of,
)
from scipy import signal

from cnnlab.conv import conv2d
from cnnlab.lessons import _mistakes04, lesson04
from cnnlab.lessons._check import check_function
from cnnlab.pooling import max_pool, max_pool_backward, max_pool_forward, max_pool_winners

# ---- what the lesson says, its cells show (claims) ----------------------------------------------


@pytest.mark.slow
def test_run_all_shows_no_warning_and_no_error():
    run_lesson("04").assert_clean()


@pytest.mark.slow
def test_04_relu_and_the_seed_bugs():
    run = run_lesson("04")
    printed = run.output_of("def seed_relu")
    unchanged, overwritten = printed.split("after the seed's ReLU")
    assert "-1." in unchanged and "-4." in unchanged and "-" not in overwritten.split(":")[1]
    assert run.says("(the seed's pooling, written for even sizes, crashed with an `IndexError` "
                    "on odd ones)")
    assert "the seed's f_pool on the 5x5 input: IndexError" in run.output_of("odd = np.arange")
    with pytest.raises(IndexError):
        lesson04.seed_f_pool(np.zeros((5, 5)))
    assert run.says("With a $2 \\times 2$ window and stride 2, a $28 \\times 28$ map becomes "
                    "$14 \\times 14$.")
    assert max_pool(np.zeros((28, 28)), 2).shape == (14, 14)


@pytest.mark.slow
def test_04_without_a_nonlinearity_two_convolutions_are_one():
    run = run_lesson("04")
    assert run.says("Without a non-linearity, a stack of convolutions would collapse into a "
                    "single convolution.")
    rng = np.random.default_rng(0)
    x, k1, k2 = rng.normal(size=(9, 9)), rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    assert np.allclose(conv2d(conv2d(x, k1), k2), conv2d(x, signal.convolve2d(k1, k2)))


@pytest.mark.slow
def test_04_ties_and_shared_winners():
    run = run_lesson("04")
    assert run.says("when several cells tie, the **first** one in row-major order wins")
    mask = run.output_of("max_pool_forward(np.array([[1.0, 3.0], [3.0, 2.0]]))")
    assert "(the first 3 wins the tie)" in mask and "[[False  True]" in mask
    assert run.says("(overlapping windows can share a winner)")
    fmap = np.maximum(lesson04.feature_map(), 0)
    out, cache = max_pool_forward(fmap, 3, 1)
    assert max_pool_winners(cache).sum() < out.size


@pytest.mark.slow
def test_04_panel_winners_only_in_max_mode_and_on_non_blank_windows():
    run = run_lesson("04")
    assert run.says("the red squares mark the winners (of the windows whose maximum is above "
                    "0")
    panel = lesson04.pooling_panel()
    ax_in = panel.live.figure.axes[0]
    winners = ax_in.lines[0]
    fmap = np.maximum(lesson04.feature_map(), 0)
    cols, rows = winners.get_data()
    assert len(rows) > 0 and np.all(fmap[np.asarray(rows, int), np.asarray(cols, int)] > 0)
    assert len(rows) < 14 * 14 / 2
    assert ax_in.get_legend().get_visible()
    panel.controls["mode"].value = "average"
    assert len(winners.get_data()[0]) == 0 and not ax_in.get_legend().get_visible()


# ---- its panels and figures: every control works, every state reads -----------------------------


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson04), ids=panel_id)
def test_every_control_changes_the_figure(factory):
    check_every_control_changes_the_figure(factory)


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson04), ids=panel_id)
def test_panel_is_readable_in_every_state(factory):
    check_panel_is_readable_in_every_state(factory)


@pytest.mark.slow
def test_static_figure_is_readable():
    assert static_figure_problems(lesson04.relu_figure) == []


@pytest.mark.slow
def test_figures_the_notebook_shows_are_readable():
    problems = shown_figure_problems(run_lesson("04"))
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_pooling_panel_redraws_only_the_output_axes(monkeypatch):
    panel = lesson04.pooling_panel()
    for name, value in [("window", 3), ("stride", 1), ("mode", "average"), ("window", 5)]:
        drawn = axes_drawn_whole(panel, lambda p, n=name, v=value: setattr(
            p.controls[n], "value", v), monkeypatch)
        assert drawn in ([], [1]), (name, value, drawn)      # 1: the output axes


@pytest.mark.slow
def test_pooling_panel_output_colour_bar_is_the_outputs_scale():
    panel = lesson04.pooling_panel()
    figure = panel.live.figure
    ax_out = figure.axes[1]
    bar = colour_bars(figure, figure.axes[:2])[ax_out]
    limit = np.maximum(lesson04.feature_map(), 0).max()
    for window, stride, mode in [(2, 2, "max"), (5, 1, "average"), (1, 3, "max")]:
        with panel.hold():
            panel.controls["window"].value = window
            panel.controls["stride"].value = stride
            panel.controls["mode"].value = mode
        shown = ax_out.images[0]
        assert shown.get_clim() == pytest.approx((0, limit))
        assert colour_mesh(bar).get_clim() == pytest.approx((0, limit))
        assert colour_mesh(bar).cmap.name == shown.cmap.name == "viridis"
        assert bar.get_ylabel() == "pooled response"
        n = (28 - window) // stride + 1
        assert shown.get_array().shape == (n, n)
        assert ax_out.get_xlim() == (-0.5, n - 0.5)


# ---- its exercises: each checker passes the right answer and names each catalogued mistake ------


def pool_backward(grad, fmap):
    return max_pool_backward(grad, max_pool_forward(fmap, 2)[1])


# (checker, right answer, [(wrong answer, words its hint must contain), ...])
CASES = [
    (lesson04.check_max_pool, lambda m, size, stride: pool_loop(m, size, stride),
     [(lambda m, size, stride: pool_loop(m, size, size), "include the stride"),
      (lambda m, size, stride: pool_loop(m, size, stride, np.mean), "average")]),
    (lesson04.check_max_pool_backward, lambda g, m: backward_loop(g, m, "first"),
     [(lambda g, m: np.kron(g, np.ones((2, 2))) / 4, "average pooling's rule"),
      (lambda g, m: np.kron(g, np.ones((2, 2))), "only the cell that held the maximum")]),
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


def pool_best_zero(m, size, stride):
    out = np.zeros(((m.shape[0] - size) // stride + 1, (m.shape[1] - size) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            best = 0
            for value in m[i * stride:i * stride + size, j * stride:j * stride + size].flat:
                best = max(best, value)
            out[i, j] = best
    return out


def pool_int_output(m, size, stride):
    out = np.zeros(((m.shape[0] - size) // stride + 1, (m.shape[1] - size) // stride + 1),
                   dtype=int)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = m[i * stride:i * stride + size, j * stride:j * stride + size].max()
    return out


def pool_stepping_by_size(m, size, stride):
    out = np.zeros(((m.shape[0] - size) // stride + 1, (m.shape[1] - size) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = m[i * size:i * size + size, j * size:j * size + size].max()
    return out


def pool_best_minus_one(m, size, stride):
    out = np.zeros(((m.shape[0] - size) // stride + 1, (m.shape[1] - size) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = max(-1, m[i * stride:i * stride + size, j * stride:j * stride + size].max())
    return out

def pool_relu_first(m, size, stride):
    m = np.maximum(m, 0)                          # ReLU, then pool: the lesson's order
    return pool_loop(m, size, stride)


def pool_window(m, size, stride, window):
    out = np.zeros(((m.shape[0] - size) // stride + 1, (m.shape[1] - size) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = m[i * stride:i * stride + window, j * stride:j * stride + window].max()
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
    (pool_best_zero, "best = 0"),                         # issue 23: passed
    (pool_int_output, "whole numbers only"),              # issue 23: passed
    (pool_stepping_by_size, "not i * size"),              # issue 23: "floor rule" only
    (lambda m, size, stride: max_pool(m, size, stride), "not to call max_pool"),
    (pool_best_minus_one, "best = -1"),
    (lambda m, size, stride: m[::stride, ::stride][:(m.shape[0] - size) // stride + 1,
                                                   :(m.shape[1] - size) // stride + 1],
     "first (top-left) value"),
    (lambda m, size, stride: pool_loop(m, size, stride, np.median), "median"),
    (lambda m, size, stride: pool_loop(m, size, stride, lambda w: w.flat[np.abs(w).argmax()]),
     "largest in size"),
    # the checkers-a walk (issue 23): answers the catalogue did not know
    (pool_relu_first, "applied a ReLU to the feature map before pooling (np.maximum"),
    (lambda m, size, stride: pool_loop(np.clip(m, 0, None), size, stride),
     "applied a ReLU to the feature map before pooling (np.clip"),
    (lambda m, size, stride: pool_loop(m, size, stride).astype(np.float32), "float32"),
    (lambda m, size, stride: pool_loop(m, size, stride).tolist(), "a list, not a NumPy array"),
    (lambda m, size, stride: pool_loop(np.abs(m), size, stride), "absolute values"),
    (lambda m, size, stride: pool_window(m, size, stride, size + 1), "size + 1 wide"),
    (lambda m, size, stride: pool_window(m, size, stride, size - 1), "size - 1 wide"),
    (lambda m, size, stride: pool_loop(m, 2, stride), "always 2x2"),
    (lambda m, size, stride: pool_loop(m, size, 2), "always step by 2"),
    (lambda m, size, stride: pool_loop(m[:, :m.shape[0]], size, stride),
     "as many columns as rows"),
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


def backward_twice_the_size(grad, fmap):
    out = np.zeros((2 * grad.shape[0], 2 * grad.shape[1]))
    for i in range(grad.shape[0]):
        for j in range(grad.shape[1]):
            a, b = np.unravel_index(np.argmax(fmap[2 * i:2 * i + 2, 2 * j:2 * j + 2]), (2, 2))
            out[2 * i + a, 2 * j + b] = grad[i, j]
    return out


def backward_best_zero(grad, fmap):
    out = np.zeros(fmap.shape)
    for i in range(grad.shape[0]):
        for j in range(grad.shape[1]):
            best, where = 0, None
            for a in range(2):
                for b in range(2):
                    if fmap[2 * i + a, 2 * j + b] > best:
                        best, where = fmap[2 * i + a, 2 * j + b], (2 * i + a, 2 * j + b)
            if where is not None:
                out[where] = grad[i, j]
    return out

def backward_no_offset(grad, fmap):
    out = np.zeros(fmap.shape)
    for i in range(grad.shape[0]):
        for j in range(grad.shape[1]):
            a, b = np.unravel_index(np.argmax(fmap[2 * i:2 * i + 2, 2 * j:2 * j + 2]), (2, 2))
            out[i + a, j + b] = grad[i, j]
    return out

def backward_swapped_ab(grad, fmap):
    out = np.zeros(fmap.shape)
    for i in range(grad.shape[0]):
        for j in range(grad.shape[1]):
            a, b = np.unravel_index(np.argmax(fmap[2 * i:2 * i + 2, 2 * j:2 * j + 2]), (2, 2))
            out[2 * i + b, 2 * j + a] = grad[i, j]
    return out

def backward_abs_winner(grad, fmap):
    out = np.zeros(fmap.shape)
    for i in range(grad.shape[0]):
        for j in range(grad.shape[1]):
            window = np.abs(fmap[2 * i:2 * i + 2, 2 * j:2 * j + 2])
            a, b = np.unravel_index(np.argmax(window), (2, 2))
            out[2 * i + a, 2 * j + b] = grad[i, j]
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
    (backward_twice_the_size, "feature map's shape"),      # issue 23: (2h, 2w) passed
    (lambda g, m: np.trunc(backward_loop(g, m)), "whole numbers only"),
    (backward_best_zero, "all negative"),
    (pool_backward, "not to call max_pool_backward"),
    (lambda g, m: backward_loop(np.ones_like(g), m), "put 1 at each winner"),
    (backward_no_offset, "not [i + a, j + b]"),
    (lambda g, m: backward_swapped_ab(g, m),
     "swapped the row and column of the winner"),
    # the checkers-a walk (issue 23): answers the catalogue did not know
    (lambda g, m: backward_loop(g, np.maximum(m, 0)), "applied a ReLU to feature_map"),
    (lambda g, m: backward_loop(np.abs(g), m), "absolute value of the gradient"),
    (lambda g, m: backward_loop(g, m) / 4, "divided the gradient by 4"),
    (lambda g, m: backward_loop(g, m).astype(np.float32), "float32"),
    (lambda g, m: backward_loop(g, m).tolist(), "a list, not a NumPy array"),
    (backward_abs_winner, "largest in size"),
    (lambda g, m: backward_loop(g.T, m.T).T, "rows and columns are swapped"),   # square g too
]





def backward_routed(grad_pooled, feature_map, where):   # the walk of 2026-12-07
    grad = np.zeros(feature_map.shape)
    for i in range(grad_pooled.shape[0]):
        for j in range(grad_pooled.shape[1]):
            window = feature_map[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            grad[where(i, j, int(np.argmax(window)), feature_map.shape[1])] += grad_pooled[i, j]
    return grad


def backward_quarters(grad_pooled, feature_map):       # average pooling's backward
    grad = np.zeros(feature_map.shape)
    for i in range(grad_pooled.shape[0]):
        for j in range(grad_pooled.shape[1]):
            grad[2 * i:2 * i + 2, 2 * j:2 * j + 2] += grad_pooled[i, j] / 4
    return grad


def backward_range_step(grad_pooled, feature_map):     # range(0, h, 2) on a 7x7 map
    grad = np.zeros(feature_map.shape)
    for r in range(0, feature_map.shape[0], 2):
        for c in range(0, feature_map.shape[1], 2):
            u, v = np.unravel_index(np.argmax(feature_map[r:r + 2, c:c + 2]), (2, 2))
            grad[r + u, c + v] += grad_pooled[r // 2, c // 2]
    return grad


BACKWARD += [
    (backward_quarters, "average pooling's rule"),
    (lambda g, m: backward_routed(g, m, lambda i, j, f, w: (2 * i + f // w, 2 * j + f % w)),
     "with the map's width"),
    (lambda g, m: backward_routed(g, m, lambda i, j, f, w: (i + f // 2, j + f % 2)),
     "forgot the window's offset"),
    (backward_range_step, "belong to no window"),
]


CATALOGUE = {
    "04 max_pool": (lesson04.check_max_pool, MAX_POOL),
    "04 max_pool_backward": (lesson04.check_max_pool_backward, BACKWARD),
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
    before = _mistakes04.MAP.copy()
    assert np.array_equal(_mistakes04.MAP, before) and seen[0].any()

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
    def backward(grad, fmap):
        return backward_loop(grad, fmap, "first")

    for checker, answer in [
            (lesson04.check_max_pool, pool_loop),
            (lesson04.check_max_pool_backward, backward),
    ]:
        passes_without_warning(checker, answer)


def test_the_worked_solutions_are_written_for_the_exercises():
    assert "def max_pool_2d(" in repr(lesson04.check_max_pool.solution(force=True))
    shown = repr(lesson04.check_max_pool_backward.solution(force=True))
    assert "def max_pool_backward_2d(" in shown and "max_pool_backward_loop" in shown


LESSON = lesson04
SECOND_WALK = [
    ('size formula +2: one extra partial window',
     ['one window too many', '(n - size) // stride + 1']),
    ('ceil mode with zero padding',
     ['padded the map with zeros', 'floor rule']),
    ('hard-codes size 2 stride 2',
     ['always 2x2 and always step by 2', 'size', 'stride']),
    ('spreads gradient over whole window (no /4)',
     ['copied to all 4 cells', 'winner only']),
]

# ---- the second walk of lessons 04-07 (tests/lessons/walk/answers_04_07_second.py): each answer
# that was accepted, vague or misleading is now refused with a hint naming the mistake ---------

@pytest.mark.parametrize("mistake, words", SECOND_WALK)
def test_second_walk_answer_is_named(mistake, words):
    walk_answer_is_named(LESSON, "answers_04_07_second", mistake, words)


@pytest.mark.slow
def test_the_relu_panels_colour_bar_has_no_negative_ticks():
    """The map after the ReLU keeps the colours of the map beside it (one scale), but its colour
    bar shows only 0 and up: a ReLU's output is never negative (second walk, cosmetic)."""
    import matplotlib.pyplot as plt
    fig = lesson04.relu_figure()
    before, after = (ax.images[0] for ax in fig.axes[1:3])
    assert before.get_clim() == after.get_clim()                 # the same colours
    low, high = after.colorbar.ax.get_ylim()
    assert low == 0 and high == before.get_clim()[1]
    assert after.get_array().min() >= 0
    plt.close(fig)
