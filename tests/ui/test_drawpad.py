"""Strokes to MNIST images (cnnlab.ui.drawpad): hand-worked cases, SciPy, properties, the network.

The preprocessing is checked piece by piece against cases worked out by hand (coverage of a band,
of a pen's round cap, of a dot; the 20x20 fit; the centre of mass), against SciPy
(``ndimage.center_of_mass``, ``ndimage.shift``), and as a whole: MNIST test digits redrawn as
strokes, and digits drawn as polylines, are read by the trained network as what they are.
The widget's kernel side (what it computes and sends) is tested here; its front end in
tests/browser/test_drawpad_in_browser.py.
"""

from __future__ import annotations

import base64
import re
import warnings

import numpy as np
import pytest
from bad_inputs import assert_refused, rows
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cnnlab.lessons import lesson10
from cnnlab.models import init_small_cnn, predict_proba
from cnnlab.ui import drawpad as dp

ndimage = pytest.importorskip("scipy.ndimage", reason="scipy is the independent reference")

ONE = [[(150, 40), (140, 240)]]
ZERO = [[(140, 40), (95, 60), (72, 140), (95, 220), (140, 242), (185, 220), (208, 140),
         (185, 60), (140, 40)]]
SEVEN = [[(80, 70), (200, 70), (150, 160), (125, 230)]]
FOUR = [[(100, 40), (80, 160), (200, 160)], [(170, 80), (170, 250)]]


@pytest.fixture(scope="module")
def params():
    return lesson10.trained_network().params


# ---- rasterize: coverage worked out by hand ----------------------------------------------------

def test_a_band_on_pixel_edges_covers_whole_pixels_and_its_round_caps_the_quarter_disks():
    # Segment (1, 3)-(5, 3), radius 1: the band 2 <= y <= 4 covers rows 2 and 3 fully between
    # x = 1 and x = 5.  The caps are half disks of radius 1 centred on (1, 3) and (5, 3); pixel
    # (2, 0) holds a quarter of the left one.  Sampled 4x4 at offsets 1/8, 3/8, 5/8, 7/8, the
    # quarter disk holds 2 + 3 + 4 + 4 = 13 of the 16 points (by hand: dx = 7/8 admits dy <= 3/8,
    # dx = 5/8 admits dy <= 5/8, dx <= 3/8 admits all four); its exact area is pi/4.
    image = dp.rasterize([[(1.0, 3.0), (5.0, 3.0)]], radius=1.0, shape=(6, 7))
    expected = np.zeros((6, 7))
    expected[2:4, 1:5] = 1.0
    expected[2:4, [0, 5]] = 13 / 16
    np.testing.assert_array_equal(image, expected)
    assert abs(image[2, 0] - np.pi / 4) < 1 / 16


def test_a_band_half_a_pixel_off_splits_its_edge_pixels_in_half():
    # Band 2.5 <= y <= 4.5: rows 2 and 4 half covered (2 of 4 sample rows), row 3 fully.
    image = dp.rasterize([[(0.0, 3.5), (8.0, 3.5)]], radius=1.0, shape=(7, 8))
    np.testing.assert_array_equal(image[2:5, 2:6], [[0.5] * 4, [1.0] * 4, [0.5] * 4])
    assert image[[0, 1, 5, 6]].sum() == 0


def test_a_dot_covers_the_samples_within_its_radius():
    # Disk of radius 1/2 at the centre of pixel (2, 2): the 4 corner samples (3/8, 3/8) from
    # the centre lie at distance 0.53 > 0.5, the other 12 inside: 12/16.  Exact area pi/4.
    image = dp.rasterize([[(2.5, 2.5)]], radius=0.5, shape=(5, 5))
    assert image[2, 2] == 0.75
    assert image.sum() == 0.75
    binary = dp.rasterize([[(2.5, 2.5)]], radius=0.5, shape=(5, 5), samples=1)
    assert binary[2, 2] == 1.0 and binary.sum() == 1.0


def test_the_covered_area_approaches_the_stroke_area():
    # A stroke of length L and radius r covers 2 r L + pi r^2.  With the band's edges at
    # 7.75 and 10.25 (on sample boundaries for 16 samples) only the round caps are estimated.
    length, radius = 14.0, 1.25
    image = dp.rasterize([[(5.0, 9.0), (5.0 + length, 9.0)]], radius, shape=(20, 26), samples=16)
    assert image.sum() == pytest.approx(2 * radius * length + np.pi * radius**2, abs=0.05)


def test_strokes_are_antialiased_in_steps_of_one_sixteenth():
    image = dp.strokes_to_mnist([[(30, 30), (210, 250)]])
    grey = image[(image > 0) & (image < 1)]
    assert grey.size > 20, "a diagonal stroke has grey (partly covered) edge pixels"
    np.testing.assert_allclose(image * 16, np.round(image * 16), atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.integers(-3, 3), st.integers(-3, 3), st.integers(0, 3))
def test_moving_the_strokes_by_whole_pixels_moves_the_image(dx, dy, seed):
    rng = np.random.default_rng(seed)
    line = rng.uniform(8, 20, size=(4, 2))
    image = dp.rasterize([line], 1.2)
    moved = dp.rasterize([line + (dx, dy)], 1.2)
    np.testing.assert_array_equal(moved, dp.shift_image(image, dy, dx))


# ---- the MNIST steps: fit 20x20, keep the aspect ratio, centre the mass -----------------------

def test_a_horizontal_stroke_becomes_20_wide_and_keeps_its_aspect_ratio():
    # Ink box: 180 + 20 = 200 wide, 20 high -> scale 1/10: 20 x 2 pixels, placed at columns
    # 4..23 and rows 13..14 (centre 14 - 1), with round caps of radius 1 at both ends.  Its
    # centre of mass (13.5, 13.5) moves by (1, 1) (a half rounds up) to (14.5, 14.5).
    image = dp.strokes_to_mnist([[(0, 0), (180, 0)]], pen_width=20)
    expected = np.zeros((28, 28))
    expected[14:16, 6:24] = 1.0
    expected[14:16, [5, 24]] = 13 / 16
    np.testing.assert_array_equal(image, expected)


def test_size_and_place_of_the_drawing_do_not_matter():
    drawing = [np.array(line, dtype=float) for line in SEVEN]
    image = dp.strokes_to_mnist(drawing, pen_width=22)
    smaller = dp.strokes_to_mnist([line / 3 + (37, -11) for line in drawing], pen_width=22)
    np.testing.assert_allclose(image, smaller, atol=1e-12)


def test_the_pen_keeps_its_width_so_a_dot_stays_a_dot_and_a_small_one_thin():
    """Issue 23: the pen was scaled with the drawing: a dot became a 20x20 disc (read as a 0)
    and a small 1 a fat pill."""
    dot = dp.strokes_to_mnist([[(140, 140)]])
    assert np.count_nonzero(dot) <= 9 and dot.sum() == pytest.approx(np.pi * 1.1 ** 2, rel=0.1)
    tall = dp.strokes_to_mnist([[(140, 30), (140, 250)]])
    small = dp.strokes_to_mnist([[(140, 120), (140, 150)]])
    for one in (tall, small):
        rows = np.flatnonzero(one.sum(axis=1))
        assert rows[-1] - rows[0] + 1 in (20, 21)                 # 20 pixels tall
        assert one.sum(axis=1)[rows[5]] == pytest.approx(2.2, abs=0.3)   # 2.2 pixels wide


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 280), st.integers(0, 280)), min_size=1,
                         max_size=6), min_size=1, max_size=3),
       st.floats(4, 40))
@example([[(0, 280), (59, 167), (195, 269), (271, 0)]], 4.0)   # a last-bit offset, found once
def test_any_drawing_fits_20x20_with_its_mass_centred(strokes, pen_width):
    image = dp.strokes_to_mnist(strokes, pen_width=pen_width)
    assert image.shape == (28, 28) and image.dtype == np.float64
    assert image.min() >= 0 and image.max() <= 1
    # The same steps as documented: the ink (path plus pen), its long side made 20 and centred in
    # the 28x28 frame, rasterised, then moved by whole pixels to put the mass at 14.
    # The path is scaled, the pen keeps its width in MNIST pixels (pen_width / 10).
    points = np.concatenate([np.array(line, dtype=float) for line in strokes])
    radius = pen_width / 20
    low, extent = points.min(axis=0), np.ptp(points, axis=0)
    scale = (20 - 2 * radius) / extent.max() if extent.max() else 0.0
    # (the offset summed in one order, as strokes_to_mnist does: another order of the same sum
    # can differ in the last bit and move a stroke across a sample's edge, 1/16 of a pixel)
    offset = (28 - (extent * scale + 2 * radius)) / 2 + radius
    fitted = dp.rasterize([(np.array(line, dtype=float) - low) * scale + offset
                           for line in strokes], radius)
    rows, cols = np.flatnonzero(fitted.sum(axis=1)), np.flatnonzero(fitted.sum(axis=0))
    side = max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1)
    assert 19 <= side <= 20 if extent.max() else side <= 2 * radius + 2     # a dot stays small
    row, col = dp.centre_of_mass(fitted)
    np.testing.assert_array_equal(
        image, dp.shift_image(fitted, int(np.floor(14.5 - row)), int(np.floor(14.5 - col))))
    if image.sum() == fitted.sum():                 # no ink pushed out of the frame
        row, col = dp.centre_of_mass(image)
        assert abs(row - 14) <= 0.5 + 1e-12 and abs(col - 14) <= 0.5 + 1e-12


def test_an_empty_pad_is_an_empty_image():
    np.testing.assert_array_equal(dp.strokes_to_mnist([]), np.zeros((28, 28)))


def test_centre_of_mass_agrees_with_scipy():              # shift_image: tests/test_data.py
    rng = np.random.default_rng(3)
    image = rng.uniform(0, 1, size=(28, 28)) * (rng.uniform(size=(28, 28)) > 0.7)
    np.testing.assert_allclose(dp.centre_of_mass(image), ndimage.center_of_mass(image),
                               rtol=1e-12)


# ---- editing a test digit ----------------------------------------------------------------------

def test_edit_digit_draws_and_erases_in_order_and_leaves_its_input_alone():
    start = np.zeros((28, 28))
    start[10:18, 10:18] = 0.5
    keep = start.copy()
    across = [[(0, 140), (280, 140)]]              # canvas row 140 = image row 14
    drawn = dp.edit_digit(start, across, pen_width=20)
    np.testing.assert_array_equal(drawn[13:15], 1.0)       # band 13 <= y <= 15: rows 13, 14
    np.testing.assert_array_equal(drawn[10:13, 10:18], 0.5)
    erased = dp.edit_digit(start, across + across, erase=[False, True], pen_width=20)
    np.testing.assert_array_equal(erased[13:15], 0.0)
    redrawn = dp.edit_digit(start, across + across, erase=[True, False], pen_width=20)
    np.testing.assert_array_equal(redrawn[13:15], 1.0)
    np.testing.assert_array_equal(start, keep)


# ---- the network reads drawn digits -----------------------------------------------------------

def test_mnist_test_digits_redrawn_as_strokes_stay_classified(params):
    # Every pixel brighter than 1/2 becomes a dot of the pen (a 28-pixel digit on the 280-pixel
    # canvas); the dots then go through the whole MNIST preprocessing again.
    images = lesson10.trained_network().test_images[:200, 0].astype(np.float64)
    labels = lesson10.trained_network().test_labels[:200]
    redrawn = []
    for image in images:
        rows, cols = np.nonzero(image > 0.5)
        redrawn.append(dp.strokes_to_mnist(
            [[(10 * (c + 0.5), 10 * (r + 0.5))] for r, c in zip(rows, cols, strict=True)],
            pen_width=20))
    before = predict_proba(params, images[:, None]).argmax(axis=1)
    after = predict_proba(params, np.array(redrawn)[:, None]).argmax(axis=1)
    assert np.mean(after == labels) >= np.mean(before == labels) - 0.02
    assert np.mean(after == before) >= 0.9


@pytest.mark.parametrize(("digit", "strokes"), [(1, ONE), (0, ZERO), (7, SEVEN), (4, FOUR)])
def test_digits_drawn_as_polylines_are_read_right(params, digit, strokes):
    view = dp.network_view(params, dp.strokes_to_mnist(strokes))
    assert view["predicted"] == digit
    assert view["probabilities"].sum() == pytest.approx(1.0)


def test_network_view_saliency_is_the_input_gradient_of_the_predicted_score(params):
    # float64 weights, and noise of 1e-3 that breaks the ties of a drawn image (its plateaus
    # of equal values give tied max-pool windows, where the gradient is one of several one-sided
    # slopes and a finite difference averages them: lesson 07's tie).
    params = {name: value.astype(np.float64) for name, value in params.items()}
    image = 0.998 * dp.strokes_to_mnist(SEVEN) + np.random.default_rng(0).uniform(0, 1e-3, (28, 28))
    view = dp.network_view(params, image)
    np.testing.assert_allclose(view["saliency"],
                               lesson10.saliency(params, image, view["predicted"]), rtol=1e-12)
    # A centred finite difference at a few pixels: (z(x + h e) - z(x - h e)) / 2h.
    from cnnlab.models import small_cnn_forward

    def score(x):
        return float(small_cnn_forward(params, x[None, None])[0][0, view["predicted"]])

    for row, col in [(8, 12), (14, 14), (20, 9)]:
        step = np.zeros((28, 28))
        step[row, col] = 1e-6
        numeric = (score(image + step) - score(image - step)) / 2e-6
        assert numeric == pytest.approx(view["saliency"][row, col], rel=1e-5, abs=1e-8)


# ---- the widget's kernel side -------------------------------------------------------------------

def test_the_pad_sends_what_the_network_sees_after_each_drawing(params):
    pad = dp.DrawPad(params, test_digits=lesson10.start_digits())
    assert pad.info["seq"] == 0 and "empty pad" in pad.info["headline"]
    pad.drawing = {"start": "blank", "seq": 5,
                   "strokes": [{"points": [list(p) for p in SEVEN[0]], "erase": False}]}
    assert pad.info["seq"] == 5 and pad.info["predicted"] == 7
    np.testing.assert_array_equal(pad.image, dp.strokes_to_mnist(SEVEN))
    pixels = np.frombuffer(pad.pixels, dtype=np.uint8).reshape(10, 28, 28, 4)
    np.testing.assert_array_equal(pixels[0, ..., 0], np.rint(pad.image * 255))   # grey input
    assert len(set(pixels[1:9].reshape(8, -1).sum(axis=1))) > 1                # 8 maps differ
    assert pad.background == b""
    pad.draw([[(20, 80), (260, 80)]], erase=[True], start="7")
    start = lesson10.start_digits()[7]
    assert len(pad.background) == 28 * 28 * 4
    np.testing.assert_array_equal(
        pad.image, dp.edit_digit(start, [[(20, 80), (260, 80)]], [True], dp.PEN_WIDTH))
    assert pad.image.sum() < start.sum()
    assert len(pad.timings_ms) == 3


def test_the_pad_refuses_drawings_it_cannot_make(params):
    pad = dp.DrawPad(params)
    with pytest.raises(ValueError, match="eraser"):
        pad.draw([[(1, 1), (5, 5)]], erase=[True])
    with pytest.raises(ValueError, match="start"):
        pad.draw([[(1, 1), (5, 5)]], start="7")           # no test digits were given
    with pytest.raises(ValueError, match="test_digits"):
        dp.DrawPad(params, test_digits=np.zeros((9, 28, 28)))


def test_without_a_widget_front_end_the_pad_shows_a_sentence_and_a_picture(params):
    pad = dp.DrawPad(params)
    (widget, widget_meta), (still, still_meta) = pad.outputs()
    assert widget["application/vnd.jupyter.widget-view+json"]["model_id"] == pad.model_id
    assert set(widget) == {"application/vnd.jupyter.widget-view+json", "text/plain"}
    assert "running Jupyter kernel" in widget["text/plain"]
    # The picture is an output of its own, marked with the id the pad's view hides (still.js).
    assert len(pad.still) == 32 and widget_meta == {"cnnlab": {"controls": pad.still}}
    assert still_meta == {"cnnlab": {"still": pad.still}}
    assert base64.b64decode(still["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert still["text/html"].startswith("<img src=\"data:image/png;base64,")
    assert f'data-cnnlab-still="{pad.still}"' in still["text/html"]
    assert dp.DrawPad(params).still != pad.still


# ---- bad arguments: a clear error naming the argument -----------------------------------------

@pytest.mark.parametrize(("strokes", "error", "words"), [
    (np.zeros((3, 2)), TypeError, "strokes must be a list of polylines"),
    ("a 7", TypeError, "strokes must be a list"),
    (None, TypeError, "strokes must be a list"),
    ([[(1, 2, 3)]], ValueError, r"strokes\[0\] must have shape \(n, 2\)"),
    ([[(1, 2)], []], ValueError, r"strokes\[1\]"),
    ([[(1, 2)], [(np.nan, 2)]], ValueError, r"strokes\[1\]"),
    ([[("a", "b")]], TypeError, r"strokes\[0\]"),
    ([[(True, False)]], TypeError, r"strokes\[0\]"),
    ([[1, 2, 3]], ValueError, r"strokes\[0\]"),
])
def test_bad_strokes_are_refused_by_name(strokes, error, words):
    with pytest.raises(error, match=words):
        dp.strokes_to_mnist(strokes)


@pytest.mark.parametrize(("kwargs", "error", "words"), [
    ({"pen_width": 0}, ValueError, "pen_width must be greater than 0"),
    ({"pen_width": -3}, ValueError, "pen_width"),
    ({"pen_width": "thick"}, TypeError, "pen_width"),
    ({"pen_width": float("inf")}, ValueError, "pen_width"),
    ({"samples": 0}, ValueError, "samples"),
    ({"samples": 2.5}, TypeError, "samples"),
])
def test_bad_pen_and_sampling_are_refused_by_name(kwargs, error, words):
    with pytest.raises(error, match=words):
        dp.strokes_to_mnist(ONE, **kwargs)


def test_bad_edit_arguments_are_refused_by_name():
    image = np.zeros((28, 28))
    with pytest.raises(ValueError, match=r"image must have shape \(28, 28\)"):
        dp.edit_digit(np.zeros((27, 28)), ONE)
    with pytest.raises(ValueError, match=r"image must hold values in \[0, 1\]"):
        dp.edit_digit(image + 255, ONE)
    with pytest.raises(ValueError, match="erase must be a list of 1 booleans"):
        dp.edit_digit(image, ONE, erase=[True, False])
    with pytest.raises(TypeError, match="erase must hold True or False"):
        dp.edit_digit(image, ONE, erase=["yes"])
    with pytest.raises(ValueError, match="canvas_size"):
        dp.edit_digit(image, ONE, canvas_size=0)
    with pytest.raises(ValueError, match="radius"):
        dp.rasterize(ONE, radius=0)
    with pytest.raises(ValueError, match="all zero"):
        dp.centre_of_mass(image)
    with pytest.raises(ValueError, match="non-negative"):
        dp.centre_of_mass(image - 1)


def test_no_function_changes_its_input():
    strokes = [np.array(SEVEN[0], dtype=float)]
    keep = strokes[0].copy()
    image = lesson10.start_digits()[3]
    keep_image = image.copy()
    dp.strokes_to_mnist(strokes)
    dp.rasterize([strokes[0] / 10], 1.0)
    dp.edit_digit(image, strokes, [True])
    np.testing.assert_array_equal(strokes[0], keep)
    np.testing.assert_array_equal(image, keep_image)


def test_front_end_is_the_shipped_js_and_css_files():
    """The pad's front end comes from still.js, drawpad.js and drawpad.css beside the module
    (package data), passed to anywidget as their text."""
    import pathlib

    here = pathlib.Path(dp.__file__).parent
    pad = dp.DrawPad(init_small_cnn())
    assert pad._esm == ((here / "still.js").read_text(encoding="utf-8")
                        + (here / "drawpad.js").read_text(encoding="utf-8"))
    assert 'hideStill(model.get("still"))' in pad._esm
    assert pad._css == (here / "drawpad.css").read_text(encoding="utf-8")
    assert "export default { render };" in pad._esm
    assert ".cnnlab-pad {" in pad._css


# A row table (tests/bad_inputs.py): (what, call, error, word the message must contain).
# Coordinates of 1e300 gave an empty image and a RuntimeWarning (issue 25).
BAD_ROWS = [
    ("strokes 1e300", lambda: dp.strokes_to_mnist([[(1e300, 1e300)]]), ValueError,
     "strokes[0] must have coordinates"),
    ("strokes 1e7", lambda: dp.strokes_to_mnist([[(0, 0), (1e7, 5)]]), ValueError,
     "strokes[0] must have coordinates"),
    ("strokes pen 1e300", lambda: dp.strokes_to_mnist(ONE, pen_width=1e300), ValueError,
     "pen_width must be at most"),
    ("edit -1e300", lambda: dp.edit_digit(np.zeros((28, 28)), [[(-1e300, 3)]]), ValueError,
     "strokes[0]"),
    ("rasterize shape None", lambda: dp.rasterize(ONE, 1.0, shape=None), TypeError,
     "shape must be a pair"),
    ("rasterize shape empty", lambda: dp.rasterize(ONE, 1.0, shape=()), TypeError,
     "shape must be a pair"),
    ("view 0..255", lambda: dp.network_view(init_small_cnn(), np.full((28, 28), 255.0)),
     ValueError, "image must hold values in [0, 1]"),
    ("view_figure title", lambda: dp.view_figure(init_small_cnn(), np.zeros((28, 28)),
                                                 title=3), TypeError, "title"),
    ("DrawPad example string", lambda: dp.DrawPad(init_small_cnn(), example="a 7"), TypeError,
     "example must be a list"),
    ("DrawPad example 1e300", lambda: dp.DrawPad(init_small_cnn(), example=[[(1e300, 1)]]),
     ValueError, "example[0]"),
    ("DrawPad test_digits 9", lambda: dp.DrawPad(init_small_cnn(),
                                                 test_digits=np.zeros((9, 28, 28))),
     ValueError, "test_digits"),
    ("DrawPad test_digits 0..255", lambda: dp.DrawPad(init_small_cnn(),
                                                      test_digits=np.full((10, 28, 28), 255.0)),
     ValueError, "test_digits"),
    ("DrawPad test_digits nan", lambda: dp.DrawPad(init_small_cnn(),
                                                   test_digits=np.full((10, 28, 28), np.nan)),
     ValueError, "test_digits"),
    ("DrawPad params list", lambda: dp.DrawPad([1, 2]), TypeError, "params"),
]


@pytest.mark.parametrize(("call", "error", "word"), rows("drawpad", BAD_ROWS))
def test_bad_input_is_refused_with_a_message_naming_it(call, error, word):
    assert_refused(call, error, word)


@pytest.mark.parametrize(("drawing", "words"), [
    ({"start": "blank", "strokes": [{"erase": False}], "seq": 2},
     r"drawing\['strokes'\]\[0\] must be a dict with 'points'"),
    ({"start": "blank", "strokes": ["not a stroke"], "seq": 2}, r"drawing\['strokes'\]\[0\]"),
    ({"start": "blank", "strokes": [{"points": [[1e300, 1]]}], "seq": 2},
     r"drawing\['strokes'\]\[0\] must have coordinates"),
    ({"start": "blank", "strokes": [{"points": [[1, 1]], "erase": "yes"}], "seq": 2},
     r"drawing\['strokes'\]\[0\]\['erase'\]"),
    ({"start": "blank", "strokes": "abc", "seq": 2}, r"drawing\['strokes'\] must be a list"),
    ({"start": "nine", "strokes": [], "seq": 2}, r"drawing\['start'\]"),
])
def test_a_message_the_pad_cannot_read_is_said_in_its_headline(params, drawing, words):
    """A malformed drawing from the page raised KeyError inside the widget (issue 25): the pad
    now names what is wrong in its headline (where the page shows it) and keeps its picture."""
    pad = dp.DrawPad(params)
    before = pad.pixels
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pad.drawing = drawing                      # what a message from the page does
    assert re.search(words, pad.error), pad.error
    assert pad.info["headline"].startswith("the pad could not read this drawing: ")
    assert pad.info["seq"] == 2 and pad.pixels == before
    pad.draw(ONE, start="blank")                   # and it carries on
    assert pad.error is None and pad.info["headline"].startswith("prediction: ")
