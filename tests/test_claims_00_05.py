"""What lessons 00-05 say, their cells must show.

Each test pairs a sentence of a lesson's prose (``run.says``) with a check of what the lesson's
cells computed (its namespace and printed output, see tests/lesson_runs.py), or of the panel
the sentence describes.  When the prose and the computation drift apart, the test fails; the
last tests show it does, by changing one demo's example.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import signal

from cnnlab.activations import sigmoid
from cnnlab.conv import conv2d, conv_output_size
from cnnlab.data import load_mnist_subset
from cnnlab.lessons import lesson00, lesson01, lesson02, lesson03, lesson04, lesson05
from cnnlab.lessons._common import KERNELS, digit, first_of
from cnnlab.padding import pad
from cnnlab.pooling import max_pool, max_pool_forward, max_pool_winners

sys.path.insert(0, str(Path(__file__).parent))   # tests/ helpers (pytest's importlib mode)
from lesson_runs import run_lesson  # noqa: E402

LESSONS = ["00", "01", "02", "03", "04", "05"]


@pytest.mark.parametrize("name", LESSONS)
def test_run_all_shows_no_warning_and_no_error(name):
    run = run_lesson(name)
    assert not any(run.warnings), [w for w in run.warnings if w]
    assert not any(e.strip() for e in run.stderr), run.stderr


# ---- 00 ---------------------------------------------------------------------------------------

def test_00_gamma_slider_darkens_and_brightens():
    run = run_lesson("00")
    assert run.says("$\\gamma > 1$ darkens the grey strokes, $\\gamma < 1$ brightens them "
                    "(black 0 and white 1 stay as they are")
    assert run.says("a handwritten 3 from the MNIST data set")
    panel = lesson00.brightness_panel()
    image, label = digit(first_of(3))
    assert label == 3 and "3" in panel.live.figure.axes[0].get_title()
    shown = panel.live.figure.axes[1].images[0]
    grey = (image > 0.05) & (image < 0.95)
    for gamma, darker in ((2.0, True), (0.4, False)):
        panel.controls["gamma"].value = gamma
        out = np.asarray(shown.get_array())
        assert np.all(out[grey] < image[grey]) if darker else np.all(out[grey] > image[grey])
        assert np.array_equal(out[image == 0], image[image == 0])
        assert np.allclose(out[image == 1], 1.0)


def test_00_numpy_the_exercises_use_is_explained():
    run = run_lesson("00")
    assert not run.says("No NumPy")
    assert run.says("`np.argmax(image)` gives the position of the largest value as if the rows "
                    "were laid end to end in one long line (the *flat index*; on ties, the "
                    "first)")
    tied = np.array([[1, 7, 2], [7, 0, 3]])
    assert np.argmax(tied) == 1 and np.unravel_index(np.argmax(tied), tied.shape) == (0, 1)
    assert run.says("MNIST stores pixels as whole numbers 0..255")
    data = load_mnist_subset()
    assert data.test_images.dtype == np.uint8 and data.test_images.max() == 255
    assert run.says("`10 + image` adds 10 to each one")


# ---- 01 ---------------------------------------------------------------------------------------

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
    assert run.says("Here is the top-left corner of the stroke, printed as numbers")
    assert image[8:16, 8:16].max() > 0.9


def test_01_edge_example_is_zero_on_flat_areas_and_3_on_the_edge():
    run = run_lesson("01")
    assert run.says("Where the patch straddles the dark-to-bright edge (columns 1 and 2 of the "
                    "output), the output is large (3); on the flat areas at either side it is 0.")
    out = conv2d(run.namespace["tiny"], run.namespace["edge"])
    assert np.all(out[:, 1:3] == 3) and np.all(out[:, [0, -1]] == 0)
    printed = run.output_of("tiny = np.array")
    assert "out[0, 1] = 3" in printed and "[[0. 3. 3. 0.]" in printed
    assert "-0" not in printed


def test_01_every_kernel_named_is_shown():
    run = run_lesson("01")
    assert run.says("a box blur (the average of the 9 neighbours), sharpen, Sobel $x$ and $y$ "
                    "(horizontal and vertical changes), and a Laplacian (outlines)")
    fig = lesson01.kernels_figure()
    titles = " | ".join(ax.get_title() for ax in fig.axes)
    for name in ("box blur", "sharpen", "Sobel x", "Sobel y", "Laplacian"):
        assert name in titles
    assert "lesson01.kernels_figure()" in run.printed or any(
        "kernels_figure" in s for s in run._sources)


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


def test_01_kernel_editor_all_ones_is_visibly_too_bright_and_one_off_centre_shifts():
    run = run_lesson("01")
    assert run.says("The output's colours stay on the input's scale, $-1$ (blue) to $+1$ "
                    "(red), and saturate beyond it; the title gives the true range.")
    assert run.says("make every weight 1 (why does the output get so bright?); put a single 1 "
                    "off-centre (the image shifts)")
    panel = lesson01.kernel_editor()
    out_image = panel.live.figure.axes[2].images[0]
    with panel.hold():
        for i in range(3):
            for j in range(3):
                panel.controls[f"k{i}{j}"].value = 1.0
    assert panel.controls["preset"].value == "custom"
    out = np.asarray(out_image.get_array())
    assert out_image.get_clim() == (-1.0, 1.0)
    assert np.mean(out > 1.0) > 0.1                      # saturated red: visibly too bright
    assert f"{out.max():.2f}" in panel.live.figure.axes[2].get_title()
    image, _ = digit(first_of(7))
    with panel.hold():
        for i in range(3):
            for j in range(3):
                panel.controls[f"k{i}{j}"].value = 1.0 if (i, j) == (0, 0) else 0.0
    shifted = np.asarray(out_image.get_array())
    assert np.allclose(shifted[1:, 1:], image[:-1, :-1])


# ---- 02 ---------------------------------------------------------------------------------------

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


def test_02_modes_are_compared_on_a_border_that_is_not_blank():
    claim_02_border_is_not_blank(run_lesson("02"))


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


def test_02_panel_question_has_an_answer():
    run = run_lesson("02")
    assert run.says("At which width does the output keep the input's $16 \\times 20$?")
    assert [p for p in range(9) if conv_output_size(16, 5, padding=p) == 16
            and conv_output_size(20, 5, padding=p) == 20] == [2]
    panel = lesson02.padding_panel(kernel_size=5)
    panel.controls["width"].value = 2
    assert "gives 16x20" in panel.live.figure.axes[1].get_title()


def test_02_uneven_padding_print():
    run = run_lesson("02")
    printed = run.output_of("cl.pad(small, (0, 0, 2, 1))")
    assert "2 columns left, 1 right" in "".join(run._sources)
    last = printed.strip().splitlines()[-3:]
    assert all(line.strip(" []").split()[:2] == ["0.", "0."] for line in last)
    assert all(line.strip(" []").split()[-1] == "0." for line in last)


# ---- 03 ---------------------------------------------------------------------------------------

def test_03_loops_agree_and_the_seed_frame_of_zeros():
    run = run_lesson("03")
    assert "same as cnnlab.conv2d: True" in run.output_of("def conv2d_by_loops")
    assert run.says("With 'same' padding of an odd kernel the seed is right. With $p = 0$ its "
                    "loops fill only the top-left $3 \\times 3$ cells and leave a frame of "
                    "zeros")
    image, sobel = run.namespace["image"], run.namespace["sobel"]
    # (the notebook's own f_conv2d is printed; lesson03.seed_f_conv2d is the same code)
    assert "f_conv2d agrees with cl.conv2d: True" in run.output_of("def f_conv2d")
    assert np.allclose(lesson03.seed_f_conv2d(image, sobel, 1), conv2d(image, sobel, padding=1))
    seed = lesson03.seed_f_conv2d(image, sobel, 0)
    assert seed.shape == image.shape and np.allclose(seed[:3, :3], conv2d(image, sobel))
    assert not seed[3:].any() and not seed[:, 3:].any()
    printed = run.output_of("def f_conv2d").split("f_conv2d returns")[1].split("cl.conv2d")[0]
    assert np.allclose(np.array(eval(",".join(printed.split()).replace("[,", "[")
                                     .replace(",]", "]"))), seed)


def test_03_sliding_window_output_has_both_signs():
    run = run_lesson("03")
    assert run.says("The kernel is Sobel $x$, so the output is large where brightness rises "
                    "from left to right and negative where it falls.")
    image, _ = digit(first_of(4))
    out = conv2d(np.round(image[10:18, 8:16], 1), KERNELS["Sobel x (vertical edges)"])
    assert out.max() > 1 and out.min() < -1


def test_03_floor_rule_matches_pytorch():
    run = run_lesson("03")
    assert run.says("The floor drops a last position that would not fit (PyTorch does the "
                    "same).")
    torch = pytest.importorskip("torch", reason="PyTorch is the reference for this claim")
    for n, k, s, p, d in [(28, 5, 1, 2, 1), (7, 3, 2, 0, 1), (7, 3, 1, 0, 2), (6, 3, 2, 1, 1),
                          (8, 3, 3, 0, 1)]:
        layer = torch.nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d)
        assert layer(torch.zeros(1, 1, n, n)).shape[-1] == conv_output_size(n, k, s, p, d)


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


# ---- 04 ---------------------------------------------------------------------------------------

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


def test_04_without_a_nonlinearity_two_convolutions_are_one():
    run = run_lesson("04")
    assert run.says("Without a non-linearity, a stack of convolutions would collapse into a "
                    "single convolution.")
    rng = np.random.default_rng(0)
    x, k1, k2 = rng.normal(size=(9, 9)), rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    assert np.allclose(conv2d(conv2d(x, k1), k2), conv2d(x, signal.convolve2d(k1, k2)))


def test_04_ties_and_shared_winners():
    run = run_lesson("04")
    assert run.says("when several cells tie, the **first** one in row-major order wins")
    mask = run.output_of("max_pool_forward(np.array([[1.0, 3.0], [3.0, 2.0]]))")
    assert "(the first 3 wins the tie)" in mask and "[[False  True]" in mask
    assert run.says("(overlapping windows can share a winner)")
    fmap = np.maximum(lesson04.feature_map(), 0)
    out, cache = max_pool_forward(fmap, 3, 1)
    assert max_pool_winners(cache).sum() < out.size


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


# ---- 05 ---------------------------------------------------------------------------------------

def test_05_shapes():
    run = run_lesson("05")
    assert run.says("The seed hard-coded 256 weights (right only for a $32 \\times 32$ image); "
                    "`cnnlab.seednet` sizes them from the image.")
    assert (32 // 2) ** 2 == 256 and run.namespace["params"]["weight"].shape == (196,)
    printed = run.output_of("init_seed_params")
    assert "pooled          shape (14, 14)" in printed and "flat            shape (196,)" in \
        printed


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


def test_05_sigmoid_danger_is_shown_as_text():
    claim_05_sigmoid(run_lesson("05"))


def test_05_raw_pixels():
    run = run_lesson("05")
    assert run.says("On the $[0, 1]$ pixels above it stays small.")
    z = run.namespace["cache"]["logit"]
    z_raw = run.namespace["cache_raw"]["logit"]
    assert abs(z) < 1
    assert run.says("Raw 0..255 pixels make every pixel, and so every response of the kernel, "
                    "255 times larger, and $z$ grows with them")
    assert np.allclose(run.namespace["cache_raw"]["conv"], 255 * run.namespace["cache"]["conv"])
    assert abs(z_raw) > 100 * abs(z)
    printed = run.output_of("raw = data.test_images[0]")
    assert f"z = {z_raw:.1f}" in printed and "warned: None" in printed
    assert run.says("stays far from trouble even on raw pixels: a float64 exponential "
                    "overflows only beyond $|z| \\approx 709$")
    assert abs(z_raw) < 709
    with np.errstate(over="ignore"):
        assert np.isfinite(np.exp(709.0)) and np.isinf(np.exp(710.0))


# ---- the claim tests catch drift ---------------------------------------------------------------

def test_changing_the_mode_example_breaks_its_claim(monkeypatch):
    """Give lesson 02 a whole digit (blank border) for its mode comparison: the claim fails."""
    whole = digit(first_of(2))[0]
    monkeypatch.setattr(lesson02, "border_digit", lambda: whole)
    drifted = run_lesson.__wrapped__("02")
    with pytest.raises(AssertionError):
        claim_02_border_is_not_blank(drifted)


def test_changing_the_sigmoid_demo_breaks_its_claim(monkeypatch):
    """Let lesson 05's demo compute the naive sigmoid without catching its warning as text:
    the claim about the printed table fails."""
    def quiet(z=-1000.0):
        return {"naive": float(sigmoid(z)), "stable": float(sigmoid(z)), "warning": None}

    monkeypatch.setattr(lesson05, "sigmoid_danger", quiet)
    drifted = run_lesson.__wrapped__("05")
    with pytest.raises(AssertionError):
        claim_05_sigmoid(drifted)
