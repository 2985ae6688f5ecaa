"""The gradient checker itself: it passes right gradients and catches wrong ones."""

from __future__ import annotations

import numpy as np
import pytest
from bad_inputs import (
    INF,
    NAN,
    aliasing,
    assert_inputs_unchanged_and_outputs_not_views,
    assert_many_rows,
    assert_refused,
    rows,
)

from cnnlab import gradcheck
from cnnlab.gradcheck import check_gradient, numerical_gradient, rel_error


def test_rel_error_by_hand():
    assert rel_error(np.array([1.0]), np.array([1.0])) == 0.0
    assert rel_error(np.array([1.0, 3.0]), np.array([1.0, 1.0])) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="b must have the shape of a"):
        rel_error(np.ones(2), np.ones(3))


def test_numerical_gradient_of_known_functions():
    x = np.array([[0.5, -1.0], [2.0, 3.0]])
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(np.sin(v)), x), np.cos(x),
                               rtol=1e-8)
    grad_output = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(numerical_gradient(lambda v: v**2, x, grad_output),
                               2 * x * grad_output, rtol=1e-8)
    before = x.copy()
    numerical_gradient(lambda v: np.sum(v), x)
    np.testing.assert_array_equal(x, before)


def test_check_gradient_catches_a_wrong_entry_and_says_where():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    right = 3 * x**2
    wrong = right.copy()
    wrong[1, 0] += 0.5
    good = check_gradient(lambda x: np.sum(x**3), {"x": x}, {"x": right})["x"]
    bad = check_gradient(lambda x: np.sum(x**3), {"x": x}, {"x": wrong})["x"]
    assert good.passed and good.rel_error < 1e-8
    assert not bad.passed and bad.worst_index == (1, 0)
    assert "MISMATCH" in str(bad) and "(1, 0)" in str(bad)


def test_check_gradient_catches_a_rotated_kernel_gradient():
    # The seed's bug in miniature: a correct gradient rotated by 180 degrees must fail.
    rng = np.random.default_rng(0)
    w = rng.normal(size=(3, 3))
    target = rng.normal(size=(3, 3))
    grad = 2 * (w - target)
    report = check_gradient(lambda w: np.sum((w - target) ** 2), {"w": w},
                            {"w": np.rot90(grad, 2)})["w"]
    assert not report.passed


def test_bad_arguments():
    with pytest.raises(ValueError, match="h must be"):
        numerical_gradient(np.sum, np.ones(2), h=0)
    with pytest.raises(ValueError, match="not in inputs"):
        check_gradient(np.sum, {"x": np.ones(2)}, {"y": np.ones(2)})
    with pytest.raises(ValueError, match="shape"):
        check_gradient(lambda x: np.sum(x), {"x": np.ones(2)}, {"x": np.ones(3)})
    with pytest.raises(TypeError, match="inputs must be a dict"):
        check_gradient(np.sum, np.ones(2), np.ones(2))


# ---------------------------------------------------------------------------------------------
# Bad input: (what, call, error type, word the message must contain); the table's
# machinery is tests/bad_inputs.py
# ---------------------------------------------------------------------------------------------

BAD_ROWS = [
    ("rel_error eps 0", lambda: gradcheck.rel_error(0.0, 0.0, eps=0), ValueError, "eps"),
    ("rel_error eps -1", lambda: gradcheck.rel_error(1.0, 2.0, eps=-1), ValueError, "eps"),
    ("rel_error eps nan", lambda: gradcheck.rel_error(1.0, 2.0, eps=NAN), ValueError, "eps"),
    ("rel_error eps str", lambda: gradcheck.rel_error(1.0, 2.0, eps="1e-8"), TypeError, "eps"),
    ("rel_error a nan", lambda: gradcheck.rel_error([NAN], [1.0]), ValueError, "a"),
    ("rel_error shapes", lambda: gradcheck.rel_error(np.ones(2), np.ones(3)), ValueError, "b"),
    ("rel_error a str", lambda: gradcheck.rel_error("abc", [1.0]), TypeError, "a"),
    ("rel_error b complex", lambda: gradcheck.rel_error([1.0], [1j]), TypeError, "b"),
    ("numgrad function", lambda: gradcheck.numerical_gradient(3, np.ones(2)), TypeError,
     "function"),
    ("numgrad h 0", lambda: gradcheck.numerical_gradient(np.sum, np.ones(2), h=0), ValueError,
     "h"),
    ("numgrad h nan", lambda: gradcheck.numerical_gradient(np.sum, np.ones(2), h=NAN),
     ValueError, "h"),
    ("numgrad h str", lambda: gradcheck.numerical_gradient(np.sum, np.ones(2), h="1e-6"),
     TypeError, "h"),
    ("numgrad h bool", lambda: gradcheck.numerical_gradient(np.sum, np.ones(2), h=True),
     TypeError, "h"),
    ("numgrad x nan", lambda: gradcheck.numerical_gradient(np.sum, [NAN]), ValueError, "x"),
    ("numgrad x empty", lambda: gradcheck.numerical_gradient(np.sum, np.ones(0)), ValueError,
     "x"),
    ("numgrad grad_output shape", lambda: gradcheck.numerical_gradient(lambda v: v * 2,
                                                                       np.ones(2), np.ones(3)),
     ValueError, "grad_output"),
    ("numgrad array without grad_output", lambda: gradcheck.numerical_gradient(lambda v: v * 2,
                                                                               np.ones(2)),
     ValueError, "grad_output"),
    ("numgrad function nan", lambda: gradcheck.numerical_gradient(lambda v: np.nan * v.sum(),
                                                                  np.ones(2)),
     ValueError, "function"),
    ("numgrad x at 1e300", lambda: gradcheck.numerical_gradient(np.sum, np.full(2, 1e300)),
     ValueError, "h"),
    ("check tolerance -1", lambda: gradcheck.check_gradient(np.sum, {"x": np.ones(2)},
                                                            {"x": np.ones(2)}, tolerance=-1),
     ValueError, "tolerance"),
    ("check tolerance nan", lambda: gradcheck.check_gradient(np.sum, {"x": np.ones(2)},
                                                             {"x": np.ones(2)}, tolerance=NAN),
     ValueError, "tolerance"),
    ("check tolerance str", lambda: gradcheck.check_gradient(np.sum, {"x": np.ones(2)},
                                                             {"x": np.ones(2)}, tolerance="1e-6"),
     TypeError, "tolerance"),
    ("check tolerance bool", lambda: gradcheck.check_gradient(np.sum, {"x": np.ones(2)},
                                                              {"x": np.ones(2)}, tolerance=True),
     TypeError, "tolerance"),
    ("check inputs list", lambda: gradcheck.check_gradient(np.sum, [np.ones(2)],
                                                           {"x": np.ones(2)}),
     TypeError, "inputs"),
    ("check analytic unknown", lambda: gradcheck.check_gradient(np.sum, {"x": np.ones(2)},
                                                                {"y": np.ones(2)}),
     ValueError, "analytic"),
    ("check analytic shape", lambda: gradcheck.check_gradient(np.sum, {"x": np.ones(2)},
                                                              {"x": np.ones(3)}),
     ValueError, "analytic"),
    ("check analytic nan", lambda: gradcheck.check_gradient(np.sum, {"x": np.ones(2)},
                                                            {"x": [NAN, 1.0]}),
     ValueError, "analytic"),
    ("check h 0", lambda: gradcheck.check_gradient(np.sum, {"x": np.ones(2)}, {"x": np.ones(2)},
                                                   h=0),
     ValueError, "h"),
    ("check function", lambda: gradcheck.check_gradient("f", {"x": np.ones(2)},
                                                        {"x": np.ones(2)}),
     TypeError, "function"),
    ("slopes loss", lambda: gradcheck.one_sided_slopes("f", np.ones(2), (0,)), TypeError,
     "loss"),
    ("slopes array nan", lambda: gradcheck.one_sided_slopes(np.sum, [NAN, 1.0], (0,)),
     ValueError, "array"),
    ("slopes array string", lambda: gradcheck.one_sided_slopes(np.sum, "ab", (0,)), TypeError,
     "array"),
    ("slopes index outside", lambda: gradcheck.one_sided_slopes(np.sum, np.ones(2), (2,)),
     ValueError, "index"),
    ("slopes index a slice", lambda: gradcheck.one_sided_slopes(np.sum, np.ones(2), (slice(None),)),
     ValueError, "index"),
    ("slopes index a string", lambda: gradcheck.one_sided_slopes(np.sum, np.ones(2), "a"),
     ValueError, "index"),
    ("slopes h 0", lambda: gradcheck.one_sided_slopes(np.sum, np.ones(2), (0,), h=0.0),
     ValueError, "h"),
    ("slopes h bool", lambda: gradcheck.one_sided_slopes(np.sum, np.ones(2), (0,), h=True),
     TypeError, "h"),
    # max_difference (lesson 11 compares cnnlab with PyTorch with it)
    ("max_difference bool", lambda: gradcheck.max_difference(np.array([True]), [1.0]),
     TypeError, "a"),
    ("max_difference complex", lambda: gradcheck.max_difference([1.0], np.array([1j])),
     TypeError, "b"),
    ("max_difference nan", lambda: gradcheck.max_difference([NAN], [1.0]), ValueError, "a"),
    ("max_difference inf", lambda: gradcheck.max_difference([1.0], [INF]), ValueError, "b"),
    ("max_difference strings", lambda: gradcheck.max_difference(["x"], [1.0]), TypeError, "a"),
    ("max_difference shapes", lambda: gradcheck.max_difference(np.ones(3), np.ones(2)),
     ValueError, "same shape"),
    ("check nan input", lambda: gradcheck.check_gradient(
        lambda x: float(np.sum(x)), {"x": np.array([NAN])}, {"x": np.ones(1)}), ValueError,
     "inputs['x']"),
    ("check empty analytic", lambda: gradcheck.check_gradient(
        lambda x: float(np.sum(x)), {"x": np.ones(1)}, {}), ValueError, "analytic"),
]


@pytest.mark.parametrize(("call", "error", "word"), rows("gradcheck", BAD_ROWS))
def test_bad_input_is_refused_with_a_message_naming_it(call, error, word):
    assert_refused(call, error, word)


def test_the_bad_input_table_has_many_rows():
    assert_many_rows("gradcheck", BAD_ROWS)


# ---------------------------------------------------------------------------------------------
# Right answers at the edges
# ---------------------------------------------------------------------------------------------

def test_numerical_gradient_uses_the_step_it_really_took():
    x = np.array([1e10, -3e10])
    np.testing.assert_allclose(gradcheck.numerical_gradient(np.sum, x, h=1e-3), [1.0, 1.0],
                               rtol=1e-3)


def test_rel_error_of_two_zeros_with_a_small_floor():
    assert gradcheck.rel_error(0.0, 0.0, eps=1e-300) == 0.0


# ---------------------------------------------------------------------------------------------
# Inputs never change; outputs never share memory with inputs
# ---------------------------------------------------------------------------------------------

A = np.random.default_rng(5).random((3, 4))
ALIASING = [
    ("rel_error", gradcheck.rel_error, (A, A + 1e-9)),
    ("numerical_gradient", lambda x: gradcheck.numerical_gradient(np.sum, x), (A,)),
    ("check_gradient", lambda x, g: [(r.analytic, r.numerical) for r in gradcheck.check_gradient(
        lambda x: np.sum(x ** 2), {"x": x}, {"x": g}).values()], (A, 2 * A)),
]


@pytest.mark.parametrize(("function", "inputs"), aliasing(ALIASING))
def test_inputs_unchanged_and_outputs_not_views(function, inputs):
    assert_inputs_unchanged_and_outputs_not_views(function, inputs)


def test_one_sided_slopes_agree_where_smooth_and_split_at_a_kink():
    x = np.array([[0.5, -2.0], [0.0, 3.0]])
    smooth = gradcheck.one_sided_slopes(lambda v: float(np.sum(v ** 2)), x, (0, 1), h=1e-6)
    for slope in smooth.values():                       # d(x^2)/dx = 2x = -4
        assert abs(slope + 4.0) < 1e-5
    kink = gradcheck.one_sided_slopes(lambda v: float(np.sum(np.maximum(v, 0))), x, (1, 0))
    assert (kink["forward"], kink["backward"], kink["centred"]) == pytest.approx((1, 0, 0.5))
    assert np.array_equal(x, [[0.5, -2.0], [0.0, 3.0]])  # the point is not changed


def test_max_difference():
    assert gradcheck.max_difference(np.ones(3), np.ones(3)) == 0.0
    assert gradcheck.max_difference([[1.0, -2.0]], [[1.5, 2.0]]) == 4.0
    with pytest.raises(ValueError, match="same shape"):
        gradcheck.max_difference(np.ones(3), np.ones(4))



def test_max_difference_reads_torch_tensors():
    torch = pytest.importorskip("torch")
    tensor = torch.tensor([1.0, 2.0], requires_grad=True) * 2    # needs .detach()
    assert gradcheck.max_difference(tensor, np.array([2.0, 3.0])) == 1.0


def test_check_gradient_says_ok_up_to_tolerance():
    assert gradcheck.TOLERANCE == 1e-6
    x = np.array([1.0, 2.0])
    wrong = check_gradient(lambda x: np.sum(x ** 2), {"x": x}, {"x": 2 * x * 1.00001})["x"]
    assert wrong.tolerance == gradcheck.TOLERANCE and not wrong.passed
    assert 1e-6 < wrong.rel_error < 1e-5                  # 1e-5 / 2, just above the threshold
    right = check_gradient(lambda x: np.sum(x ** 2), {"x": x}, {"x": 2 * x})["x"]
    assert right.passed
