"""Padding against np.pad, the seed's hand-worked example, and the promised errors."""

from __future__ import annotations

import numpy as np
import pytest
from bad_inputs import (
    Spec,
    arr,
    array_kinds,
    assert_no_input_changes_and_no_output_is_a_view,
    assert_refused_naming_the_argument,
    bad_calls,
    good_calls,
    int_kinds,
    kinds_per_function,
    padding_kinds,
    str_kinds,
    untabled_functions,
)
from hypothesis import given
from hypothesis import strategies as st

from cnnlab.padding import pad, pad_by_stacking


def test_seed_example_3x3_padded_by_one():
    # The seed pads a 3x3 image with a frame of width 1: the image sits in the middle of a 5x5
    # array of zeros (worked by hand).
    image = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    expected = np.array([
        [0, 0, 0, 0, 0],
        [0, 1, 2, 3, 0],
        [0, 4, 5, 6, 0],
        [0, 7, 8, 9, 0],
        [0, 0, 0, 0, 0],
    ], dtype=float)
    np.testing.assert_array_equal(pad_by_stacking(image, 1), expected)
    np.testing.assert_array_equal(pad(image, 1), expected)


def test_modes_by_hand():
    row = np.array([[1.0, 2.0, 3.0]])
    widths = (0, 0, 2, 2)
    np.testing.assert_array_equal(pad(row, widths, "zero"), [[0, 0, 1, 2, 3, 0, 0]])
    np.testing.assert_array_equal(pad(row, widths, "constant", value=9),
                                  [[9, 9, 1, 2, 3, 9, 9]])
    np.testing.assert_array_equal(pad(row, widths, "reflect"), [[3, 2, 1, 2, 3, 2, 1]])
    np.testing.assert_array_equal(pad(row, widths, "edge"), [[1, 1, 1, 2, 3, 3, 3]])
    np.testing.assert_array_equal(pad(row, widths, "wrap"), [[2, 3, 1, 2, 3, 1, 2]])


NP_MODE = {"zero": "constant", "edge": "edge", "reflect": "reflect", "wrap": "wrap"}


@given(
    h=st.integers(3, 7), w=st.integers(3, 7), lead=st.sampled_from([(), (2,), (2, 3)]),
    widths=st.tuples(*[st.integers(0, 2)] * 4), mode=st.sampled_from(sorted(NP_MODE)),
    seed=st.integers(0, 2**16),
)
def test_matches_np_pad_on_the_last_two_axes(h, w, lead, widths, mode, seed):
    image = np.random.default_rng(seed).normal(size=(*lead, h, w))
    before = image.copy()
    top, bottom, left, right = widths
    expected = np.pad(image, [(0, 0)] * len(lead) + [(top, bottom), (left, right)],
                      mode=NP_MODE[mode])
    np.testing.assert_array_equal(pad(image, widths, mode), expected)
    np.testing.assert_array_equal(image, before)


@given(h=st.integers(1, 6), w=st.integers(1, 6), p=st.integers(0, 3), seed=st.integers(0, 99))
def test_stacking_equals_np_pad(h, w, p, seed):
    image = np.random.default_rng(seed).integers(0, 255, size=(h, w))
    np.testing.assert_array_equal(pad_by_stacking(image, p), np.pad(image.astype(float), p))


def test_integer_images_become_float64_and_float32_stays():
    assert pad(np.ones((2, 2), dtype=np.uint8), 1).dtype == np.float64
    assert pad(np.ones((2, 2), dtype=np.float32), 1).dtype == np.float32


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        ((np.ones((3, 3)), -1), {}, ValueError, "padding"),
        ((np.ones((3, 3)), (1, 2)), {}, ValueError, "padding"),
        ((np.ones((3, 3)), 1.5), {}, TypeError, "padding"),
        ((np.ones((3, 3)), 1), {"mode": "mirror"}, ValueError, "mode"),
        ((np.ones((3, 3)), 3), {"mode": "reflect"}, ValueError, "reflect"),
        ((np.ones((3, 3)), 4), {"mode": "wrap"}, ValueError, "wrap"),
        ((np.ones(3), 1), {}, ValueError, "image"),
        ((np.array([[1.0, np.nan]]), 1), {}, ValueError, "image"),
        ((np.ones((2, 2), dtype=bool), 1), {}, TypeError, "image"),
        ((np.ones((2, 2), dtype=complex), 1), {}, TypeError, "image"),
    ],
)
def test_bad_input_is_refused_with_a_message(args, kwargs, error, words):
    with pytest.raises(error, match=words):
        pad(*args, **kwargs)


def test_stacking_bad_input():
    with pytest.raises(ValueError, match="image"):
        pad_by_stacking(np.ones((2, 2, 2)), 1)
    with pytest.raises(ValueError, match="p"):
        pad_by_stacking(np.ones((2, 2)), -1)


# ---------------------------------------------------------------------------------------------
# Bad input: each public function, each argument, each kind of bad value (the table's
# machinery is tests/bad_inputs.py)
# ---------------------------------------------------------------------------------------------

BAD_INPUTS = [
    Spec("padding", "pad", lambda: {"image": arr(2, 3, 4, 5), "padding": 1, "mode": "zero"},
         {"image": array_kinds(arr(2, 3, 4, 5), ndim=False) + [("1-D", np.ones(4))],
          "padding": padding_kinds() + [("five numbers", (1, 1, 1, 1, 1))],
          "mode": str_kinds()}),
    Spec("padding", "pad", lambda: {"image": arr(4, 5), "padding": 1, "mode": "constant",
                                    "value": 2.0},
         {"value": [("NaN", np.nan), ("a string", "2"), ("an array", np.ones(3)),
                    ("a complex", 1j), ("a bool", True), ("inf", np.inf)]}),
    Spec("padding", "pad_by_stacking", lambda: {"image": arr(4, 5), "p": 2},
         {"image": array_kinds(arr(4, 5)), "p": int_kinds(minimum=0)}),
    Spec("padding", "resolve_pad_width", lambda: {"padding": (1, 2, 3, 4)},
         {"padding": padding_kinds()}, primary=lambda out: []),
]


@pytest.mark.parametrize(("spec", "argument", "kind", "value"), bad_calls(BAD_INPUTS))
def test_bad_input_is_refused_naming_the_argument(spec, argument, kind, value):
    assert_refused_naming_the_argument(spec, argument, kind, value)


def test_every_public_function_is_in_the_table():
    missing = untabled_functions(["padding"], BAD_INPUTS)
    assert not missing, f"public functions with no bad-input rows: {missing}"


def test_at_least_six_kinds_of_bad_input_per_function():
    few = {name: k for name, k in kinds_per_function(BAD_INPUTS).items() if k < 6}
    assert not few, few
    assert len(bad_calls(BAD_INPUTS)) >= 53


@pytest.mark.parametrize("spec", good_calls(BAD_INPUTS))
def test_no_input_changes_and_no_output_is_a_view_of_an_input(spec):
    assert_no_input_changes_and_no_output_is_a_view(spec)
