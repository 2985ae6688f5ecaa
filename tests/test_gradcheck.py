"""The gradient checker itself: it passes right gradients and catches wrong ones."""

from __future__ import annotations

import numpy as np
import pytest

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
