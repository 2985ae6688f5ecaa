"""Lesson 05 (05_forward_pass.ipynb): what its prose claims, its panels and
figures, its exercise checkers and the mistakes they name.

Tests that run the notebook or render figures are marked ``slow``; the fast lane
(``python -m pytest -m "not slow"``) keeps the checkers.  The notebook runs once per
session (tests/lesson_runs.py), shared by the claim and figure tests.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib.pyplot as plt
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
from figure_checks import check_panel_is_readable_in_every_state, shown_figure_problems
from lesson_runs import fold, run_lesson
from panels import (
    axes_drawn_whole,
    check_every_control_changes_the_figure,
    colour_bars,
    colour_mesh,
    panel_id,
    panels_of,
    text_number,
)

from cnnlab.activations import sigmoid
from cnnlab.lessons import lesson05
from cnnlab.lessons._common import KERNELS, digit, first_of
from cnnlab.seednet import seed_forward

# ---- what the lesson says, its cells show (claims) ----------------------------------------------


@pytest.mark.slow
def test_run_all_shows_no_warning_and_no_error():
    run_lesson("05").assert_clean()


@pytest.mark.slow
def test_05_shapes():
    run = run_lesson("05")
    assert run.says("The seed hard-coded 256 weights (right only for a $32 \\times 32$ image); "
                    "`cnnlab.seednet` sizes them from the image.")
    assert (32 // 2) ** 2 == 256 and run.namespace["params"]["weight"].shape == (196,)
    printed = run.output_of("init_seed_params")
    assert "pooled          shape (14, 14)" in printed and "flat            shape (196,)" in \
        printed


@pytest.mark.slow
def test_05_bias_switches_responses_off():
    run = run_lesson("05")
    assert run.says("A negative bias switches off weak responses after the ReLU; a bias below "
                    "minus the largest response (try *box blur* with $b = -2$) leaves $S$ "
                    "empty, and then $z = b_f$ and $\\hat y = \\sigma(b_f)$.")
    image, _ = digit(first_of(3))
    from cnnlab.seednet import seed_forward
    on = [np.mean(seed_forward(image, lesson05.example_params("Sobel x (vertical edges)",
                                                              b))[1]["relu"] > 0)
          for b in (0.0, -0.5)]
    assert on[1] < on[0]
    params = lesson05.example_params("box blur", -2.0)
    y_hat, cache = seed_forward(image, params)
    assert not cache["pooled"].any()
    assert cache["logit"] == pytest.approx(float(params["out_bias"]))
    assert y_hat == pytest.approx(float(sigmoid(params["out_bias"])))


def claim_05_sigmoid(run):
    assert run.says("the seed prints 0.7858349830425586") or "0.7858349830425586" in \
        "".join(run._sources)
    assert "sigmoid(w . f + bf) = 0.7858349830425586" in run.output_of("f, w, bf")
    assert run.says("$e^{1000}$ overflows to `inf`, NumPy warns, and only then does "
                    "$1/(1 + \\infty)$ give 0")
    table = run.output_of("sigmoid_danger(z)")
    lines = table.splitlines()
    assert "warned: None" in lines[0] and "warned: None" in lines[1]
    assert "naive 0, stable 0, naive form warned: overflow encountered in exp" in lines[2]
    assert run.says("At $z = -1000$ both forms return 0")
    assert run.says("the stable log-form gives the exact $-1000$")
    assert "naive -inf · stable -np.logaddexp(0, 1000) = -1000.0" in table
    with np.errstate(over="ignore"):
        assert 1 / (1 + np.exp(1000.0)) == 0.0 and np.isinf(np.exp(1000.0))


@pytest.mark.slow
def test_05_sigmoid_danger_is_shown_as_text():
    claim_05_sigmoid(run_lesson("05"))


@pytest.mark.slow
def test_05_raw_pixels():
    run = run_lesson("05")
    assert run.says("On the $[0, 1]$ pixels above it stays small.")
    z = run.namespace["cache"]["logit"]
    z_raw = run.namespace["cache_raw"]["logit"]
    assert abs(z) < 1
    # issue 23: it said "255 times larger, and z grows with them" over "(428 times larger)"
    assert run.says("Raw 0..255 pixels make every pixel, and so every response of the kernel, "
                    "255 times larger; the biases $b$ and $b_f$ stay as they are, so $z$ does "
                    "not grow by exactly 255: it can grow by more or by less.")
    assert np.allclose(run.namespace["cache_raw"]["conv"], 255 * run.namespace["cache"]["conv"])
    params = run.namespace["params"]
    assert float(params["bias"]) != 0 and float(params["out_bias"]) != 0
    assert abs(z_raw) > 100 * abs(z) and round(z_raw / z) != 255
    assert f"({z_raw / z:.0f} times larger)" in run.output_of("raw = data.test_images[0]")
    printed = run.output_of("raw = data.test_images[0]")
    assert f"z = {z_raw:.1f}" in printed and "warned: None" in printed
    assert run.says("stays far from trouble even on raw pixels: a float64 exponential "
                    "overflows only beyond $|z| \\approx 709$")
    assert abs(z_raw) < 709
    # issue 23: README said the seed's sigmoid "overflows on raw pixels"; it overflows past 709
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "overflows on raw pixels" not in readme
    assert fold("sigmoid is the naive formula, which overflows once |z| passes about 709") in \
        fold(readme)
    assert run.says("where the seed's naive formula would warn")
    assert lesson05.sigmoid_danger(-710.0)["warning"] and not lesson05.sigmoid_danger(-700.0)[
        "warning"]
    with np.errstate(over="ignore"):
        assert np.isfinite(np.exp(709.0)) and np.isinf(np.exp(710.0))


@pytest.mark.slow
def test_changing_the_sigmoid_demo_breaks_its_claim(monkeypatch):
    """Let lesson 05's demo compute the naive sigmoid without catching its warning as text:
    the claim about the printed table fails."""
    def quiet(z=-1000.0):
        return {"naive": float(sigmoid(z)), "stable": float(sigmoid(z)), "warning": None}

    monkeypatch.setattr(lesson05, "sigmoid_danger", quiet)
    drifted = run_lesson.__wrapped__("05")
    with pytest.raises(AssertionError):
        claim_05_sigmoid(drifted)


# ---- its panels and figures: every control works, every state reads -----------------------------


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson05), ids=panel_id)
def test_every_control_changes_the_figure(factory):
    check_every_control_changes_the_figure(factory)


@pytest.mark.slow
@pytest.mark.parametrize("factory", panels_of(lesson05), ids=panel_id)
def test_panel_is_readable_in_every_state(factory):
    check_panel_is_readable_in_every_state(factory)


@pytest.mark.slow
def test_figures_the_notebook_shows_are_readable():
    problems = shown_figure_problems(run_lesson("05"))
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("name, value", [("kernel", "sharpen"), ("bias", -1.3)])
def test_forward_panel_changes_redraw_no_axes(name, value, monkeypatch):
    panel = lesson05.forward_panel()
    panel.controls["bias"].value = 0.4
    drawn = axes_drawn_whole(panel, lambda p: setattr(p.controls[name], "value", value),
                             monkeypatch)
    assert drawn == []


@pytest.mark.slow
@pytest.mark.parametrize("kernel", list(KERNELS))
def test_forward_panel_colour_bars_say_each_maps_scale(kernel):
    image, _ = digit(first_of(3))
    panel = lesson05.forward_panel()
    figure = panel.live.figure
    map_axes = figure.axes[1:4]
    bars = colour_bars(figure, map_axes)
    for bias in (-2.0, -0.5, 0.0, 1.5):
        with panel.hold():
            panel.controls["kernel"].value = kernel
            panel.controls["bias"].value = bias
        _, cache = seed_forward(image, lesson05.example_params(kernel, bias))
        for ax, key in zip(map_axes, ("conv", "relu", "pooled"), strict=True):
            shown = ax.images[0]
            assert np.array_equal(shown.get_array(), cache[key])
            largest = np.abs(cache[key]).max()
            limit = largest if largest > 0 else 1.0        # all switched off: +-1, all white
            assert shown.get_clim() == pytest.approx((-limit, limit))
            # The bar shows the same colours from -1 to 1: the number at its tick f must be
            # f * limit, so that a colour reads as the same value on the bar and on the map.
            bar = bars[ax]
            mesh = colour_mesh(bar)
            assert mesh.get_clim() == (-1.0, 1.0) and mesh.cmap.name == shown.cmap.name
            numbers = sorted((text.get_position()[1], text_number(text)) for text in bar.texts)
            assert [f for f, _ in numbers] == list(bar.get_yticks())
            for fraction, number in numbers:
                assert number == pytest.approx(fraction * limit, abs=0.005), (key, bias)
            assert bar.get_ylabel() == "value"
    assert panel.controls["kernel"].value == kernel


# ---- its exercises: each checker passes the right answer and names each catalogued mistake ------


def seed_y_hat(image, kernel, bias, weight, out_bias):
    return seed_forward(image, dict(kernel=kernel, bias=bias, weight=weight,
                                    out_bias=out_bias))[0]


# (checker, right answer, [(wrong answer, words its hint must contain), ...])
CASES = [
    (lesson05.check_forward, seed_y_hat,
     [(lambda im, k, b, w, bf: seed_forward(im, dict(kernel=k, bias=b, weight=w,
                                                     out_bias=bf))[1]["logit"], "logit")]),
    (lesson05.check_sigmoid, lambda x: np.exp(-np.logaddexp(0, -x)),
     [(lambda x: 1 / (1 + np.exp(-x)), "overflowed")]),
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

def make_forward(relu=True, bias_after=False, squash=True, conv_bias=True, pool="max",
                 flip=False, out_b=True, padding="same", sign=1.0, pool_stride=2, order="C",
                 dot="ravel", bias_outside=False, kernel_t=False):
    from cnnlab import avg_pool, conv2d, max_pool

    def forward(image, kernel, bias, weight, out_bias):
        kernel = kernel.T if kernel_t else kernel
        C = conv2d(image, np.flip(kernel) if flip else kernel, padding=padding)
        if conv_bias and not bias_after:
            C = C + bias
        R = np.maximum(C, 0) if relu else C
        if bias_after:
            R = R + bias
        S = max_pool(R, 2, pool_stride) if pool == "max" else avg_pool(R, 2)
        if dot == "broadcast":
            z = np.sum(S * weight)
        elif dot == "matrix":
            z = S @ weight.reshape(S.shape)
        else:
            z = S.flatten(order=order) @ weight
        z = z + (out_bias if out_b and not bias_outside else 0)
        if squash == "tanh":
            return np.tanh(z)
        y_hat = 1 / (1 + np.exp(-sign * z)) if squash else z
        return y_hat + out_bias if bias_outside else y_hat
    return forward


def forward_steps(image, kernel, bias, weight, out_bias, rectify=lambda c: np.maximum(c, 0),
                  combine=lambda c, b: c + b, dot=lambda f, w: f @ w):
    from cnnlab import conv2d, max_pool
    pooled = max_pool(rectify(combine(conv2d(image, kernel, padding="same"), bias)), 2)
    return 1 / (1 + np.exp(-(dot(pooled.ravel(), weight) + out_bias)))


def forward_leaky(image, kernel, bias, weight, out_bias):
    return forward_steps(image, kernel, bias, weight, out_bias,
                         rectify=lambda c: np.where(c > 0, c, 0.01 * c))


def forward_abs(image, kernel, bias, weight, out_bias):
    return forward_steps(image, kernel, bias, weight, out_bias, rectify=np.abs)


def forward_mean(image, kernel, bias, weight, out_bias):
    return forward_steps(image, kernel, bias, weight, out_bias, dot=lambda f, w: np.mean(f * w))


def forward_bias_times(image, kernel, bias, weight, out_bias):
    return forward_steps(image, kernel, bias, weight, out_bias, combine=lambda c, b: c * b)


def forward_pool_then_relu(image, kernel, bias, weight, out_bias):
    """ReLU after the max pool: the same y_hat (max and ReLU commute), so it is right."""
    from cnnlab import conv2d, max_pool
    pooled = np.maximum(max_pool(conv2d(image, kernel, padding="same") + bias, 2), 0)
    return 1 / (1 + np.exp(-(pooled.ravel() @ weight + out_bias)))


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
    (make_forward(padding=1), "fixed padding=1"),                # issue 23: passed 3x3 cases
    (make_forward(pool_stride=1), "stepped by 1"),               # issue 23: "padding='same'"
    (make_forward(dot="broadcast"), "flatten pooled first"),     # issue 23: a raw error
    (make_forward(dot="matrix"), "y_hat is one number"),
    (make_forward(squash="tanh"), "tanh(z)"),
    (make_forward(bias_outside=True), "after the sigmoid"),
    (make_forward(order="F"), "column by column"),
    (make_forward(kernel_t=True), "transposed the kernel"),
    (lambda im, k, b, w, bf: make_forward()(im / 255, k, b, w, bf), "already scaled"),
    (lambda im, k, b, w, bf: make_forward()(im, k, -b, w, bf), "sign of the bias"),
    (lambda im, k, b, w, bf: make_forward()(im, k, b, w[::-1], bf), "reversed the weights"),
    # the checkers-a walk (issue 23): answers the catalogue did not know
    (lambda im, k, b, w, bf: np.float32(make_forward()(im, k, b, w, bf)), "float32"),
    (lambda im, k, b, w, bf: float(make_forward()(im, k, b, w, bf) > 0.5), "predicted label"),
    (lambda im, k, b, w, bf: round(make_forward()(im, k, b, w, bf)), "predicted label"),
    (lambda im, k, b, w, bf: make_forward()(im, k, b, w, 2 * bf), "out_bias twice"),
    (forward_leaky, "leaky ReLU"),
    (forward_abs, "absolute value"),
    (forward_mean, "averaged the 16 products"),
    (forward_bias_times, "multiplied the feature map by the bias"),
    (lambda im, k, b, w, bf: forward_steps(im, k, b, w, bf, rectify=lambda c: np.clip(c, 0, 1)),
     "caps the responses at 1"),
    (lambda im, k, b, w, bf: forward_steps(im, k, b, w, bf, rectify=lambda c: np.clip(c, 0, 6)),
     "ReLU6"),                                                       # it passed
    (lambda im, k, b, w, bf: forward_steps(im, k, b, w, bf, rectify=lambda c: 1 / (1 + np.exp(-c))),
     "squashed C + b with the sigmoid"),
    (lambda im, k, b, w, bf: forward_steps(im, k + b, 0.0, w, bf), "added the bias to the kernel"),
    (lambda im, k, b, w, bf: np.array([make_forward()(im, k, b, w, bf)]), "y_hat is one number"),
]


def sigmoid_where(x):
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


def sigmoid_math(x):
    return 1 / (1 + math.exp(-x))


def sigmoid_if(x):
    if x < 0:
        return np.exp(x) / (1 + np.exp(x))
    return 1 / (1 + np.exp(-x))


def sigmoid_quiet(x):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def sigmoid_expit(x):
    from scipy.special import expit
    return expit(x)


def sigmoid_empty_like(x):
    out = np.empty_like(x)                       # integer when x is: 0.73 becomes 0
    neg = x < 0
    out[~neg] = 1 / (1 + np.exp(-x[~neg]))
    out[neg] = np.exp(x[neg]) / (1 + np.exp(x[neg]))
    return out


def sigmoid_positive_only(x):
    out = np.zeros(np.shape(x))
    out[x >= 0] = 1 / (1 + np.exp(-x[x >= 0]))
    return out


def sigmoid_masks_miss_zero(x):
    out = np.zeros(np.shape(x))
    out[x > 0] = 1 / (1 + np.exp(-x[x > 0]))
    out[x < 0] = np.exp(x[x < 0]) / (1 + np.exp(x[x < 0]))
    return out


def sigmoid_loop(x):
    return np.array([1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))
                     for v in x])


SIGMOID = [
    (lambda x: 1 / (1 + np.exp(-x)), "overflowed at x = -1000"),
    (lambda x: np.exp(x) / (1 + np.exp(x)), "inf / inf = nan"),
    (sigmoid_where, "both"),
    (lambda x: 1 / (1 + np.exp(x)), "check the sign"),
    (lambda x: np.exp(-np.logaddexp(0, x)), "check the sign"),
    (lambda x: 0.5 * (1 + np.tanh(x)), "tanh(x / 2)"),
    (lambda x: 1 / (1 + np.exp(-np.clip(x, -10, 10))),       # was told "float16?"
     "you clipped x to -10..10, so sigmoid(-30) becomes 4.5e-05"),
    (lambda x: 1 / (1 + np.exp(-np.clip(x, -20, 20))), "you clipped x to -20..20"),
    (lambda x: 1 / np.exp(-x), "1 +"),
    (lambda x: np.logaddexp(0, -x), "exp of minus"),
    (sigmoid_math, "math.exp"),
    (sigmoid_if, "whole array"),
    (sigmoid_quiet, "hides the overflow"),                       # issue 23: it passed
    (lambda x: sigmoid(x), "not to call cl.sigmoid"),
    (sigmoid_expit, "scipy.special.expit"),
    (lambda x: 1 / (1 - np.exp(-x)), "1 - e^-x"),
    (lambda x: np.tanh(x / 2), "runs from -1 to 1"),
    # the checkers-a walk (issue 23): answers the catalogue did not know
    (sigmoid_empty_like, "integer too"),                          # walk: it passed
    (lambda x: [float(v) for v in np.exp(-np.logaddexp(0, -x))], "a list, not a NumPy array"),
    (lambda x: np.exp(-np.logaddexp(0, -x)).astype(np.float32), "float32"),
    (lambda x: 1 / (1 + np.exp(-np.clip(x, -30, 30))), "clipped x to -30..30"),
    (sigmoid_positive_only, "negative x all give 0"),
    (sigmoid_masks_miss_zero, "sigmoid(0) is 0.5"),
    (lambda x: np.exp(np.minimum(x, 0)), "e^x for negative x"),
    (sigmoid_loop, "failed on a 2-D x"),
    (lambda x: np.round(np.exp(-np.logaddexp(0, -x)), 4), "rounded to 4 decimals"),
    (lambda x: np.full(np.shape(x), 0.5), "every value of yours is the same"),
]


def forward_padded(image, kernel, bias, weight, out_bias, padding=0, sign=1):  # the walk
    from cnnlab import conv2d, max_pool
    pooled = max_pool(np.maximum(conv2d(image, kernel, padding=padding) + bias, 0), 2).ravel()
    return float(sigmoid(pooled @ weight[:pooled.size] + sign * out_bias))


FORWARD += [
    (forward_padded, "'valid' convolution"),
    (lambda *args: forward_padded(*args, padding=1), "needs 2 ((k - 1) // 2)"),
    (lambda *args: forward_padded(*args, padding="same", sign=-1), "you subtracted out_bias"),
]


CATALOGUE = {
    "05 forward": (lesson05.check_forward, FORWARD),
    "05 sigmoid": (lesson05.check_sigmoid, SIGMOID),
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
    def sigmoid(x):
        out = np.empty_like(x, dtype=float)
        neg = x < 0
        out[~neg] = 1 / (1 + np.exp(-x[~neg]))
        out[neg] = np.exp(x[neg]) / (1 + np.exp(x[neg]))
        return out

    def sigmoid_vectorized(x):
        return np.vectorize(lambda v: 1 / (1 + math.exp(-v)) if v >= 0
                            else math.exp(v) / (1 + math.exp(v)))(x)

    for checker, answer in [
            (lesson05.check_forward, make_forward()),
            (lesson05.check_forward, forward_pool_then_relu),
            (lesson05.check_sigmoid, sigmoid),
            (lesson05.check_sigmoid, sigmoid_vectorized),
            (lesson05.check_sigmoid, lambda x: 0.5 * (1 + np.tanh(x / 2))),
    ]:
        passes_without_warning(checker, answer)


def test_the_worked_solutions_are_cnnlab_functions():
    shown = repr(lesson05.check_forward.solution(force=True))
    assert "def forward(" in shown and "np.maximum(conv + bias, 0.0)" in shown
    shown = repr(lesson05.check_sigmoid.solution(force=True))
    assert "def stable_sigmoid(" in shown and "np.logaddexp" in shown


LESSON = lesson05
SECOND_WALK = [
    ('clips x to +-500 (arguably fine)',
     ['relative', 'clip', 'log y_hat -500 instead of -600']),
    ('returns tuple (y_hat, z)',
     ['two things (y_hat, z)', 'y_hat alone']),
]

# ---- the second walk of lessons 04-07 (tests/lessons/walk/answers_04_07_second.py): each answer
# that was accepted, vague or misleading is now refused with a hint naming the mistake ---------

@pytest.mark.parametrize("mistake, words", SECOND_WALK)
def test_second_walk_answer_is_named(mistake, words):
    walk_answer_is_named(LESSON, "answers_04_07_second", mistake, words)


@pytest.mark.slow
def test_05_raw_pixels_grow_z_by_more_than_255_for_the_reason_given():
    """Cells 11-12: z grows by more than 255 on raw pixels because the negative bias b lets
    more cells past the ReLU there (the second printed line counts them)."""
    run = run_lesson("05")
    ns = run.namespace
    assert run.says("it can grow by more or by less. Here it grows by more: the negative bias "
                    "$b$ switches off the weak responses")
    cache, cache_raw, params = ns["cache"], ns["cache_raw"], ns["params"]
    assert cache_raw["logit"] / cache["logit"] > 255
    assert float(params["bias"]) < 0
    passing = int((cache["pre_activation"] > 0).sum())
    passing_raw = int((cache_raw["pre_activation"] > 0).sum())
    assert passing_raw > passing
    assert (f"cells past the ReLU (C + b > 0): {passing} on [0, 1] pixels, {passing_raw} on raw "
            f"pixels") in run.printed


@pytest.mark.slow
def test_the_relu_and_pool_maps_colour_bars_have_no_negative_ticks():
    """R = ReLU(C + b) and S = maxpool(R) are never negative: their live colour bars show
    0..limit (the same colours as C's symmetric scale), C's the whole -limit..limit (second
    walk, cosmetic)."""
    import matplotlib.pyplot as plt
    panel = lesson05.forward_panel()
    figure = panel.live.figure
    figure.canvas.draw()
    bars = [ax for ax in figure.axes if ax.get_ylabel() == "value"]
    assert [tuple(ax.get_ylim()) for ax in bars] == [(-1.0, 1.0), (0.0, 1.0), (0.0, 1.0)]
    for ax in bars[1:]:
        numbers = [text.get_text() for text in ax.texts]
        assert numbers[0] == "0" and not any("\N{MINUS SIGN}" in n for n in numbers), numbers
    assert any("\N{MINUS SIGN}" in text.get_text() for text in bars[0].texts)
    plt.close(figure)


def test_05_watch_every_stage_says_the_panel_has_its_own_kernel_and_bias():
    """issue 23: the panel's z differed from the one printed two cells above, unexplained."""
    import json
    from pathlib import Path

    notebook = Path(__file__).resolve().parents[2] / "notebooks" / "05_forward_pass.ipynb"
    text = " ".join("".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"])
    assert "The panel uses its own kernel, chosen from the list, and its own bias $b$" in text
    assert "its dense weights $w$ and $b_f$ are the same random ones as in `params`" in text
    assert "cl.init_seed_params(image.shape, kernel_size=3, rng=0, scale=0.1)" in text
    from cnnlab.seednet import init_seed_params

    ours = init_seed_params((28, 28), kernel_size=3, rng=0, scale=0.1)
    controls = lesson05.forward_panel().controls
    panel = lesson05.example_params(controls["kernel"].value, controls["bias"].value)
    assert np.array_equal(panel["weight"], ours["weight"])
    assert np.array_equal(panel["out_bias"], ours["out_bias"])
    assert not np.array_equal(panel["kernel"], ours["kernel"])
    assert not np.array_equal(panel["bias"], ours["bias"])


# ---- the fourth walk of lessons 05-07 (tests/lessons/walk/answers_05_07_fourth.py): the answers
# that got a bare "yours is ... less" or another mistake's hint now hear their own -------------

FOURTH_WALK = [
    ("forgot both biases", ["forgot both biases", "ReLU(C + b)", "z = w . f + out_bias"]),
    ("out_bias added to every feature before the dot product",
     ["before the dot product", "sum of the weights", "added once"]),
    ("int() of the probability", ["int()", "a float"]),
]


@pytest.mark.parametrize("mistake, words", FOURTH_WALK)
def test_fourth_walk_answer_is_named(mistake, words):
    walk_answer_is_named(LESSON, "answers_05_07_fourth", mistake, words)


def test_relu_and_max_pool_commute_in_forward():
    """A learner who rectifies after pooling, ReLU(maxpool(C + b)), is right: the ReLU keeps
    order, so the two commute; the checker must accept it (answers_05_07_fourth)."""
    from cnnlab import conv2d, max_pool, relu

    def forward(image, kernel, bias, weight, out_bias):
        pooled = relu(max_pool(conv2d(image, kernel, padding="same") + bias, 2))
        return float(sigmoid(pooled.ravel() @ weight + out_bias))

    assert lesson05.check_forward(forward).passed


def test_the_worked_solution_pasted_into_the_notebook_is_told_the_cl_prefix():
    """The worked solution calls conv2d, max_pool and sigmoid by name (solutions.py imports
    them); pasted into the notebook, where cnnlab is `cl`, it raised a bare NameError. The
    solution's header says to write cl.conv2d, and the NameError names it."""
    import inspect
    import textwrap

    import cnnlab as cl
    from cnnlab.lessons import solutions

    namespace = {"np": np, "cl": cl, "lesson05": lesson05}
    exec(textwrap.dedent(inspect.getsource(solutions.forward)), namespace)   # noqa: S102
    result = lesson05.check_forward(namespace["forward"])
    assert not result.passed and "write cl.conv2d" in result.message
    shown = repr(lesson05.check_forward.solution(force=True))
    assert "from cnnlab.conv import conv2d\nfrom cnnlab.pooling import max_pool\n" in shown


@pytest.mark.parametrize("value", [0.0, -0.5, 1.5, -2.0])
def test_forward_panel_alt_text_writes_the_bias_as_its_slider_shows_it(value):
    """Walk 2026-12-08: the alt text said "bias +0.0" where the slider read "0.00"."""
    panel = lesson05.forward_panel()
    control = panel.controls["bias"]
    control.value = value
    shown = format(control.value, control.readout_format)       # what the slider's readout says
    assert shown == f"{value:.1f}"
    assert f"bias {shown}:" in panel.live.alt, panel.live.alt
    plt.close("all")
