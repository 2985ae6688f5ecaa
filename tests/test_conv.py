"""Convolution: against scipy, an explicit einsum over windows, finite differences and torch."""

from __future__ import annotations

import numpy as np
import pytest
from bad_inputs import (
    Spec,
    all_arrays,
    arr,
    array_kinds,
    assert_no_input_changes_and_no_output_is_a_view,
    assert_refused_naming_the_argument,
    bad_calls,
    bool_kinds,
    cache_kinds,
    conv_cache,
    first_output,
    good_calls,
    int_kinds,
    kinds_per_function,
    max_cache,
    padding_kinds,
    relu_cache,
    shape_kinds,
    untabled_functions,
)
from hypothesis import given
from hypothesis import strategies as st
from scipy import signal

from cnnlab.conv import (
    conv2d,
    conv2d_backward,
    conv2d_backward_loop,
    conv2d_loop,
    conv_backward,
    conv_backward_loop,
    conv_forward,
    conv_forward_loop,
    conv_output_size,
    resolve_padding,
)
from cnnlab.gradcheck import check_gradient


def dilate(kernel, d):
    """A kernel with d - 1 zeros between its taps (an independent way to express dilation)."""
    kh, kw = kernel.shape
    out = np.zeros((d * (kh - 1) + 1, d * (kw - 1) + 1))
    out[::d, ::d] = kernel
    return out


def reference_conv2d(image, kernel, stride, pads, dilation):
    """scipy's 'valid' cross-correlation of the zero-padded image, subsampled by the stride."""
    top, bottom, left, right = pads
    padded = np.pad(image, ((top, bottom), (left, right)))
    full = signal.correlate2d(padded, dilate(kernel, dilation), mode="valid")
    return full[::stride, ::stride]


def reference_conv_batch(x, weight, bias, stride, pads, dilation):
    """An explicit einsum over every window, written independently of cnnlab."""
    top, bottom, left, right = pads
    padded = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    f, c, kh, kw = weight.shape
    span_h, span_w = dilation * (kh - 1) + 1, dilation * (kw - 1) + 1
    out_h = (padded.shape[2] - span_h) // stride + 1
    out_w = (padded.shape[3] - span_w) // stride + 1
    windows = np.empty((x.shape[0], c, out_h, out_w, kh, kw))
    for i in range(out_h):
        for j in range(out_w):
            windows[:, :, i, j] = padded[:, :, i * stride:i * stride + span_h:dilation,
                                         j * stride:j * stride + span_w:dilation]
    return np.einsum("ncijab,fcab->nfij", windows, weight) + bias[None, :, None, None]


conv_settings = st.fixed_dictionaries({
    "h": st.integers(3, 9), "w": st.integers(3, 9),
    "kh": st.integers(1, 4), "kw": st.integers(1, 4),
    "stride": st.integers(1, 3), "padding": st.integers(0, 2), "dilation": st.integers(1, 2),
    "seed": st.integers(0, 2**16),
})


def fits(s):
    return (s["dilation"] * (s["kh"] - 1) + 1 <= s["h"] + 2 * s["padding"]
            and s["dilation"] * (s["kw"] - 1) + 1 <= s["w"] + 2 * s["padding"])


# ---------------------------------------------------------------------------------------------
# Hand-worked examples and sizes
# ---------------------------------------------------------------------------------------------

def test_hand_worked_3x3_with_2x2_kernel():
    image = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    kernel = np.array([[1, 0], [0, -1]])
    # Each output: top-left minus bottom-right of its 2x2 patch: 1-5, 2-6, 4-8, 5-9.
    expected = np.array([[-4.0, -4.0], [-4.0, -4.0]])
    np.testing.assert_array_equal(conv2d(image, kernel), expected)
    np.testing.assert_array_equal(conv2d_loop(image, kernel), expected)


def test_not_flipped_cross_correlation():
    # A kernel with a single 1 in its top-left corner picks the top-left of each patch.
    image = np.arange(25.0).reshape(5, 5)
    kernel = np.zeros((3, 3))
    kernel[0, 0] = 1
    np.testing.assert_array_equal(conv2d(image, kernel), image[:3, :3])


@pytest.mark.parametrize(
    ("args", "expected"),
    [((28, 5), 24), ((28, 5, 1, 2), 28), ((7, 3, 2), 3), ((5, 3, 2, 1), 3), ((5, 4, 1, 2), 6),
     ((7, 3, 1, 0, 2), 3), ((6, 3, 2, 1, 1), 3), ((5, 3, 1, 2), 7)],
)
def test_output_size_formula(args, expected):
    # Cases from Dumoulin & Visin, "A guide to convolution arithmetic for deep learning".
    assert conv_output_size(*args) == expected


@given(n=st.integers(1, 30), k=st.integers(1, 7), s=st.integers(1, 4), p=st.integers(0, 3),
       d=st.integers(1, 3))
def test_output_size_matches_counting_positions(n, k, s, p, d):
    extent = d * (k - 1) + 1
    positions = [start for start in range(0, n + 2 * p, s) if start + extent <= n + 2 * p]
    if not positions:
        with pytest.raises(ValueError, match="does not fit"):
            conv_output_size(n, k, s, p, d)
    else:
        assert conv_output_size(n, k, s, p, d) == len(positions)


def test_output_size_explains_why_it_does_not_fit():
    with pytest.raises(ValueError, match=r"kernel 7 does not fit a 5-pixel input with padding 0"):
        conv_output_size(5, 7)
    with pytest.raises(ValueError, match=r"dilated extent 7"):
        conv_output_size(5, 3, dilation=3)


def test_same_padding():
    assert resolve_padding("same", (5, 5)) == (2, 2, 2, 2)
    assert resolve_padding("same", (4, 2)) == (1, 2, 0, 1)
    assert resolve_padding("same", (3, 3), dilation=2) == (2, 2, 2, 2)
    assert resolve_padding("valid", (3, 3)) == (0, 0, 0, 0)
    image = np.random.default_rng(0).normal(size=(6, 7))
    for kernel_shape in [(3, 3), (4, 2), (5, 1)]:
        out = conv2d(image, np.ones(kernel_shape), padding="same")
        assert out.shape == image.shape
    with pytest.raises(ValueError, match="stride 1"):
        resolve_padding("same", (3, 3), stride=2)


# ---------------------------------------------------------------------------------------------
# Forward against independent references
# ---------------------------------------------------------------------------------------------

@given(conv_settings)
def test_conv2d_matches_scipy(s):
    if not fits(s):
        return
    rng = np.random.default_rng(s["seed"])
    image = rng.normal(size=(s["h"], s["w"]))
    kernel = rng.normal(size=(s["kh"], s["kw"]))
    before = (image.copy(), kernel.copy())
    pads = (s["padding"],) * 4
    expected = reference_conv2d(image, kernel, s["stride"], pads, s["dilation"])
    for function in (conv2d, conv2d_loop):
        out = function(image, kernel, s["stride"], s["padding"], s["dilation"])
        np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(image, before[0])
    np.testing.assert_array_equal(kernel, before[1])


@given(conv_settings, st.integers(1, 3), st.integers(1, 3), st.integers(1, 3))
def test_batched_forward_matches_einsum_reference(s, n, c, f):
    if not fits(s):
        return
    rng = np.random.default_rng(s["seed"])
    x = rng.normal(size=(n, c, s["h"], s["w"]))
    weight = rng.normal(size=(f, c, s["kh"], s["kw"]))
    bias = rng.normal(size=f)
    expected = reference_conv_batch(x, weight, bias, s["stride"], (s["padding"],) * 4,
                                    s["dilation"])
    fast, _ = conv_forward(x, weight, bias, s["stride"], s["padding"], s["dilation"])
    loop, _ = conv_forward_loop(x, weight, bias, s["stride"], s["padding"], s["dilation"])
    np.testing.assert_allclose(fast, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(loop, fast, rtol=1e-12, atol=1e-12)


def test_rectangular_stride_and_padding_pairs():
    rng = np.random.default_rng(1)
    image = rng.normal(size=(7, 10))
    kernel = rng.normal(size=(2, 3))
    out = conv2d(image, kernel, stride=(1, 2), padding=(1, 0))
    padded = np.pad(image, ((1, 1), (0, 0)))
    expected = signal.correlate2d(padded, kernel, mode="valid")[:, ::2]
    np.testing.assert_allclose(out, expected, atol=1e-12)


# ---------------------------------------------------------------------------------------------
# Backward: finite differences, loops, torch
# ---------------------------------------------------------------------------------------------

@given(conv_settings)
def test_conv2d_backward_matches_finite_differences(s):
    if not fits(s):
        return
    rng = np.random.default_rng(s["seed"])
    image = rng.normal(size=(s["h"], s["w"]))
    kernel = rng.normal(size=(s["kh"], s["kw"]))
    settings = (s["stride"], s["padding"], s["dilation"])
    out = conv2d(image, kernel, *settings)
    grad_out = rng.normal(size=out.shape)
    grad_image, grad_kernel = conv2d_backward(grad_out, image, kernel, *settings)
    reports = check_gradient(lambda image, kernel: conv2d(image, kernel, *settings),
                             {"image": image, "kernel": kernel},
                             {"image": grad_image, "kernel": grad_kernel}, grad_output=grad_out)
    for report in reports.values():
        assert report.passed, str(report)
    loop_image, loop_kernel = conv2d_backward_loop(grad_out, image, kernel, *settings)
    np.testing.assert_allclose(loop_image, grad_image, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(loop_kernel, grad_kernel, rtol=1e-12, atol=1e-12)


@given(conv_settings, st.integers(1, 2), st.integers(1, 3), st.integers(1, 3))
def test_batched_backward_matches_finite_differences_and_loops(s, n, c, f):
    if not fits(s):
        return
    rng = np.random.default_rng(s["seed"])
    x = rng.normal(size=(n, c, s["h"], s["w"]))
    weight = rng.normal(size=(f, c, s["kh"], s["kw"]))
    bias = rng.normal(size=f)
    settings = (s["stride"], s["padding"], s["dilation"])
    out, cache = conv_forward(x, weight, bias, *settings)
    grad_out = rng.normal(size=out.shape)
    grad_x, grad_weight, grad_bias = conv_backward(grad_out, cache)
    reports = check_gradient(
        lambda x, weight, bias: conv_forward(x, weight, bias, *settings)[0],
        {"x": x, "weight": weight, "bias": bias},
        {"x": grad_x, "weight": grad_weight, "bias": grad_bias}, grad_output=grad_out)
    for report in reports.values():
        assert report.passed, str(report)
    _, loop_cache = conv_forward_loop(x, weight, bias, *settings)
    loop_grads = conv_backward_loop(grad_out, loop_cache)
    for fast, slow in zip((grad_x, grad_weight, grad_bias), loop_grads, strict=True):
        np.testing.assert_allclose(slow, fast, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("stride", "padding", "dilation"),
                         [(1, 0, 1), (2, 1, 1), (1, 2, 2), (3, 0, 1), (2, 2, 2)])
def test_batched_conv_against_torch_autograd(stride, padding, dilation):
    torch = pytest.importorskip("torch", reason="PyTorch is an optional cross-check; "
                                "pip install torch==2.13.0 to run it")
    rng = np.random.default_rng(7)
    x = rng.normal(size=(3, 2, 9, 8))
    weight = rng.normal(size=(4, 2, 3, 3))
    bias = rng.normal(size=4)
    out, cache = conv_forward(x, weight, bias, stride, padding, dilation)
    grad_out = rng.normal(size=out.shape)
    grads = conv_backward(grad_out, cache)
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, weight, bias))
    tout = torch.nn.functional.conv2d(tx, tw, tb, stride=stride, padding=padding,
                                      dilation=dilation)
    tout.backward(torch.tensor(grad_out))
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=1e-10, atol=1e-10)
    for ours, theirs in zip(grads, (tx.grad, tw.grad, tb.grad), strict=True):
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-10)


def test_no_bias_gives_no_bias_gradient():
    out, cache = conv_forward(np.ones((1, 1, 3, 3)), np.ones((2, 1, 2, 2)))
    assert conv_backward(np.ones_like(out), cache)[2] is None


# ---------------------------------------------------------------------------------------------
# Dtypes, inputs untouched, errors
# ---------------------------------------------------------------------------------------------

def test_integer_images_are_computed_in_float64():
    image = np.array([[255, 0], [0, 255]], dtype=np.uint8)
    out = conv2d(image, np.ones((2, 2), dtype=np.int64))
    assert out.dtype == np.float64 and out[0, 0] == 510.0   # no uint8 wrap-around


def test_float32_stays_float32():
    x = np.ones((1, 1, 4, 4), dtype=np.float32)
    out, _ = conv_forward(x, np.ones((1, 1, 3, 3), dtype=np.float32))
    assert out.dtype == np.float32


def test_backward_leaves_inputs_alone():
    rng = np.random.default_rng(3)
    x, weight, bias = rng.normal(size=(2, 2, 5, 5)), rng.normal(size=(3, 2, 3, 3)), np.ones(3)
    copies = [a.copy() for a in (x, weight, bias)]
    out, cache = conv_forward(x, weight, bias, padding=1)
    grad_out = rng.normal(size=out.shape)
    grad_copy = grad_out.copy()
    conv_backward(grad_out, cache)
    conv_backward_loop(grad_out, conv_forward_loop(x, weight, bias, padding=1)[1])
    image, kernel = x[0, 0].copy(), weight[0, 0].copy()
    conv2d_backward(np.ones((3, 3)), image, kernel)
    conv2d_backward_loop(np.ones((3, 3)), image, kernel)
    for before, after in zip(copies, (x, weight, bias), strict=True):
        np.testing.assert_array_equal(before, after)
    np.testing.assert_array_equal(grad_out, grad_copy)
    np.testing.assert_array_equal(image, x[0, 0])
    np.testing.assert_array_equal(kernel, weight[0, 0])


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: conv2d(np.ones((5, 5)), np.ones((7, 7))), ValueError,
         r"kernel 7x7 does not fit a 5x5 input with padding \(0, 0, 0, 0\)"),
        (lambda: conv2d(np.ones((5, 5)), np.ones((3, 3)), dilation=3), ValueError,
         "dilated extent 7x7"),
        (lambda: conv2d(np.ones((5, 5)), np.ones((3, 3)), stride=0), ValueError, "stride"),
        (lambda: conv2d(np.ones((5, 5)), np.ones((3, 3)), dilation=0), ValueError, "dilation"),
        (lambda: conv2d(np.ones((5, 5)), np.ones((3, 3)), padding=-1), ValueError, "padding"),
        (lambda: conv2d(np.ones((5, 5)), np.ones((3, 3)), padding="full"), ValueError,
         "padding"),
        (lambda: conv2d(np.ones((5, 5)), np.ones((3, 3)), stride=1.5), TypeError, "stride"),
        (lambda: conv2d(np.ones((5, 5, 1)), np.ones((3, 3))), ValueError, "image"),
        (lambda: conv2d(np.ones((5, 5)), np.ones(3)), ValueError, "kernel"),
        (lambda: conv2d(np.full((5, 5), np.nan), np.ones((3, 3))), ValueError, "finite"),
        (lambda: conv2d(np.ones((5, 5)), np.full((3, 3), np.inf)), ValueError, "kernel"),
        (lambda: conv2d(np.ones((5, 5), dtype=complex), np.ones((3, 3))), TypeError, "image"),
        (lambda: conv2d(np.array([["a"]]), np.ones((1, 1))), TypeError, "image"),
        (lambda: conv_forward(np.ones((1, 2, 5, 5)), np.ones((4, 3, 3, 3))), ValueError,
         "channels"),
        (lambda: conv_forward(np.ones((1, 1, 5, 5)), np.ones((4, 1, 3, 3)), np.ones(3)),
         ValueError, "bias"),
        (lambda: conv_forward(np.ones((1, 5, 5)), np.ones((4, 1, 3, 3))), ValueError,
         r"\(N, C, H, W\)"),
        (lambda: conv_backward(np.ones((1, 1, 2, 2)),
                               conv_forward(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)))[1]),
         ValueError, "grad_out"),
        (lambda: conv2d_backward(np.ones((2, 2)), np.ones((5, 5)), np.ones((3, 3))), ValueError,
         "grad"),
    ],
)
def test_bad_input_is_refused_with_a_message(call, error, words):
    with pytest.raises(error, match=words):
        call()


# ---------------------------------------------------------------------------------------------
# Bad input: each public function, each argument, each kind of bad value (the table's
# machinery is tests/bad_inputs.py)
# ---------------------------------------------------------------------------------------------

BAD_INPUTS = [
    Spec("conv", "box_kernel", lambda: {"size": 3}, {"size": int_kinds()}, primary=all_arrays),
    Spec("conv", "conv_output_size", lambda: {"size": 28, "kernel_size": 5, "stride": 1,
                                              "padding": 0, "dilation": 1},
         {"size": int_kinds(), "kernel_size": int_kinds(), "stride": int_kinds(),
          "padding": padding_kinds(), "dilation": int_kinds()}, primary=lambda out: []),
    Spec("conv", "resolve_padding", lambda: {"padding": "same", "kernel_shape": (3, 3)},
         {"padding": padding_kinds(), "kernel_shape": shape_kinds()}, primary=lambda out: []),
    Spec("conv", "check_odd_kernel", lambda: {"kernel_shape": (3, 5)},
         {"kernel_shape": shape_kinds() + [("even", (4, 3))]}, primary=lambda out: []),
    Spec("conv", "im2col", lambda: {"x": arr(2, 3, 6, 6), "kernel_shape": (3, 3), "stride": 1,
                                    "padding": 1, "dilation": 1},
         {"x": array_kinds(arr(2, 3, 6, 6)), "kernel_shape": shape_kinds(),
          "stride": int_kinds(), "padding": padding_kinds(), "dilation": int_kinds()},
         primary=all_arrays),
    Spec("conv", "col2im", lambda: {"columns": arr(72, 27), "x_shape": (2, 3, 6, 6),
                                    "kernel_shape": (3, 3), "stride": 1, "padding": 1},
         {"columns": array_kinds(arr(72, 27)) + [("the wrong shape", arr(70, 27))],
          "x_shape": shape_kinds(), "kernel_shape": shape_kinds(), "stride": int_kinds()},
         primary=all_arrays),
    Spec("conv", "conv2d", lambda: {"image": arr(6, 6), "kernel": arr(3, 3), "stride": 1,
                                    "padding": 0, "dilation": 1},
         {"image": array_kinds(arr(6, 6)), "kernel": array_kinds(arr(3, 3)),
          "stride": int_kinds(), "padding": padding_kinds(), "dilation": int_kinds()},
         primary=all_arrays),
    Spec("conv", "conv2d_loop", lambda: {"image": arr(6, 6), "kernel": arr(3, 3)},
         {"image": array_kinds(arr(6, 6)), "kernel": array_kinds(arr(3, 3)),
          "stride": int_kinds()}, primary=all_arrays),
    Spec("conv", "conv2d_backward", lambda: {"grad_feature_map": arr(4, 4), "image": arr(6, 6),
                                             "kernel": arr(3, 3)},
         {"grad_feature_map": array_kinds(arr(4, 4)) + [("the wrong shape", arr(3, 4))],
          "image": array_kinds(arr(6, 6)), "kernel": array_kinds(arr(3, 3)),
          "stride": int_kinds()}, primary=all_arrays),
    Spec("conv", "conv2d_backward_loop", lambda: {"grad_feature_map": arr(4, 4),
                                                  "image": arr(6, 6), "kernel": arr(3, 3)},
         {"grad_feature_map": array_kinds(arr(4, 4)) + [("the wrong shape", arr(3, 4))],
          "image": array_kinds(arr(6, 6)), "kernel": array_kinds(arr(3, 3))}, primary=all_arrays),
    Spec("conv", "check_conv_inputs", lambda: {"x": arr(2, 1, 5, 5), "weight": arr(3, 1, 3, 3),
                                               "bias": arr(3)},
         {"x": array_kinds(arr(2, 1, 5, 5)), "weight": array_kinds(arr(3, 1, 3, 3)),
          "bias": array_kinds(arr(3))[2:] + [("the wrong length", arr(2)), ("a string", "b")]},
         primary=lambda out: []),
    Spec("conv", "conv_forward", lambda: {"x": arr(2, 1, 5, 5), "weight": arr(3, 1, 3, 3),
                                          "bias": arr(3), "padding": 1},
         {"x": array_kinds(arr(2, 1, 5, 5)), "weight": array_kinds(arr(3, 1, 3, 3)),
          "bias": array_kinds(arr(3))[2:] + [("the wrong length", arr(2)), ("a string", "b")],
          "stride": int_kinds(), "padding": padding_kinds(), "dilation": int_kinds()},
         primary=first_output),
    Spec("conv", "conv_forward_loop", lambda: {"x": arr(1, 1, 4, 4), "weight": arr(2, 1, 3, 3),
                                               "bias": arr(2)},
         {"x": array_kinds(arr(1, 1, 4, 4)), "weight": array_kinds(arr(2, 1, 3, 3)),
          "stride": int_kinds(), "padding": padding_kinds()}, primary=first_output),
    Spec("conv", "conv_backward", lambda: {"grad_out": arr(2, 3, 5, 5), "cache": conv_cache()},
         {"grad_out": array_kinds(arr(2, 3, 5, 5)) + [("the wrong shape", arr(2, 3, 4, 5))],
          "cache": cache_kinds(max_cache), "input_grad": bool_kinds()}, primary=all_arrays),
    Spec("conv", "conv_backward_loop", lambda: {"grad_out": arr(2, 3, 5, 5),
                                                "cache": conv_cache()},
         {"grad_out": array_kinds(arr(2, 3, 5, 5)) + [("the wrong shape", arr(2, 3, 4, 5))],
          "cache": cache_kinds(relu_cache)}, primary=all_arrays),
]


@pytest.mark.parametrize(("spec", "argument", "kind", "value"), bad_calls(BAD_INPUTS))
def test_bad_input_is_refused_naming_the_argument(spec, argument, kind, value):
    assert_refused_naming_the_argument(spec, argument, kind, value)


def test_every_public_function_is_in_the_table():
    missing = untabled_functions(["conv"], BAD_INPUTS)
    assert not missing, f"public functions with no bad-input rows: {missing}"


def test_at_least_six_kinds_of_bad_input_per_function():
    few = {name: k for name, k in kinds_per_function(BAD_INPUTS).items() if k < 6}
    assert not few, few
    assert len(bad_calls(BAD_INPUTS)) >= 445


@pytest.mark.parametrize("spec", good_calls(BAD_INPUTS))
def test_no_input_changes_and_no_output_is_a_view_of_an_input(spec):
    assert_no_input_changes_and_no_output_is_a_view(spec)


# ---------------------------------------------------------------------------------------------
# Edge cases
# ---------------------------------------------------------------------------------------------

def test_input_grad_must_be_a_bool():
    from cnnlab.conv import conv_backward
    with pytest.raises(TypeError, match="input_grad must be True or False, got 'no'"):
        conv_backward(np.ones((2, 3, 5, 5)), conv_cache(), input_grad="no")


def test_box_kernel_averages_as_scipy_uniform_filter_does():
    from scipy import ndimage

    from cnnlab.conv import box_kernel
    image = np.random.default_rng(7).random((6, 9))
    for size in (1, 3, 5):
        kernel = box_kernel(size)
        assert kernel.shape == (size, size) and np.isclose(kernel.sum(), 1.0)
        r = size // 2
        expected = ndimage.uniform_filter(image, size)[r:image.shape[0] - r, r:image.shape[1] - r]
        assert np.allclose(conv2d(image, kernel), expected)
    with pytest.raises(ValueError, match="size"):
        box_kernel(0)
    with pytest.raises(TypeError, match="size"):
        box_kernel(2.5)
