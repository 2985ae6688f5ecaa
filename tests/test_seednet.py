"""The seed network: every gradient by finite differences and torch; the seed's 180° bug."""

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
    dict_values,
    first_output,
    float_kinds,
    good_calls,
    int_kinds,
    kinds_per_function,
    padding_kinds,
    seed_cache,
    seed_kinds,
    seed_network_cache,
    seed_params,
    seed_params_kinds,
    shape_kinds,
    str_kinds,
    untabled_functions,
)
from hypothesis import given
from hypothesis import strategies as st
from scipy import signal

from cnnlab.gradcheck import check_gradient, numerical_gradient
from cnnlab.seednet import (
    SEED_PARAM_NAMES,
    init_seed_params,
    seed_backward,
    seed_conv2d_as_written,
    seed_forward,
    seed_kernel_gradient_as_written,
    seed_loss,
    seed_network_loss,
    seed_step,
    seed_training_loop,
)


def loss_of(image, params, y, loss, padding="same"):
    y_hat, cache = seed_forward(image, params, padding=padding)
    return seed_loss(y_hat if loss == "squared_error" else cache["logit"], y, loss)


def params_with(params, **changes):
    new = {k: np.array(v, copy=True) for k, v in params.items()}
    new.update(changes)
    return new


def test_seed_sizes_32x32_image_5x5_kernel():
    params = init_seed_params((32, 32), 5, rng=0)
    assert params["weight"].shape == (256,)          # the seed's hard-coded 256, derived
    y_hat, cache = seed_forward(np.random.default_rng(0).integers(1, 255, (32, 32)), params)
    assert cache["conv"].shape == (32, 32) and cache["pooled"].shape == (16, 16)
    assert 0.0 <= y_hat <= 1.0


def test_forward_by_hand_on_a_tiny_image():
    image = np.array([[1.0, 2.0], [3.0, 4.0]])
    params = {"kernel": np.array([[1.0]]), "bias": np.array(-2.0),
              "weight": np.array([0.5]), "out_bias": np.array(0.25)}
    y_hat, cache = seed_forward(image, params)
    # conv with a 1x1 kernel of 1 is the image; -2 then ReLU gives [[0, 0], [1, 2]]; the 2x2
    # max pool gives 2; z = 0.5 * 2 + 0.25 = 1.25.
    np.testing.assert_array_equal(cache["relu"], [[0, 0], [1, 2]])
    assert cache["logit"] == 1.25
    assert y_hat == pytest.approx(1 / (1 + np.exp(-1.25)), rel=1e-15)


@pytest.mark.parametrize("loss", ["squared_error", "bce"])
@given(h=st.integers(4, 9), w=st.integers(4, 9), k=st.sampled_from([1, 3, 5]),
       y=st.sampled_from([0.0, 1.0]), seed=st.integers(0, 2**16))
def test_every_gradient_matches_finite_differences(loss, h, w, k, y, seed):
    rng = np.random.default_rng(seed)
    # Distinct pixel values and a bias that keeps pre-activations away from 0, so that neither
    # a ReLU kink nor a pooling tie sits within the finite-difference step.
    image = rng.permutation(h * w).reshape(h, w) / (h * w) + 0.1
    params = init_seed_params((h, w), k, rng=rng, scale=1.0)
    params["bias"] = np.array(0.05)
    _, cache = seed_forward(image, params)
    # Re-centre the output so the logit is 0.3: a saturated sigmoid has gradients of 1e-9, all
    # round-off, which no finite-difference check can judge.
    params["out_bias"] = params["out_bias"] - cache["logit"] + 0.3
    _, cache = seed_forward(image, params)
    pre = cache["pre_activation"]
    windows = np.sort(pre[:h // 2 * 2, :w // 2 * 2].reshape(h // 2, 2, w // 2, 2)
                      .transpose(0, 2, 1, 3).reshape(-1, 4), axis=1)
    if np.min(np.abs(pre)) < 1e-3 or np.min(windows[:, 3] - windows[:, 2]) < 1e-3:
        return                      # a kink or a tie within reach of the step: not a fair check
    grads = seed_backward(y, cache, loss=loss)
    checks = {
        "kernel": ("grad_kernel", lambda v: loss_of(image, params_with(params, kernel=v), y, loss)),
        "bias": ("grad_bias", lambda v: loss_of(image, params_with(params, bias=v), y, loss)),
        "weight": ("grad_weight", lambda v: loss_of(image, params_with(params, weight=v), y, loss)),
        "out_bias": ("grad_out_bias",
                     lambda v: loss_of(image, params_with(params, out_bias=v), y, loss)),
        "image": ("grad_image", lambda v: loss_of(v, params, y, loss)),
    }
    for name, (key, function) in checks.items():
        point = image if name == "image" else params[name]
        report = check_gradient(lambda x, function=function: function(x), {"x": point},
                                {"x": np.asarray(grads[key], dtype=float)}, h=1e-5,
                                tolerance=1e-5)["x"]
        assert report.passed, f"{key}: {report}"


def test_seed_formula_is_the_true_kernel_gradient_rotated_180_degrees():
    rng = np.random.default_rng(42)
    image = rng.integers(1, 255, size=(12, 12)) / 255.0
    params = init_seed_params((12, 12), 5, rng=rng, scale=0.5)
    params["bias"] = np.array(0.1)                    # some cells pass the ReLU
    _, cache = seed_forward(image, params)
    grads = seed_backward(0.0, cache)
    assert np.abs(grads["grad_conv"]).max() > 0
    as_written = seed_kernel_gradient_as_written(image, grads["grad_conv"], 5)
    assert not np.allclose(as_written, grads["grad_kernel"])          # the seed's is wrong...
    np.testing.assert_allclose(as_written, np.rot90(grads["grad_kernel"], 2), rtol=1e-12,
                               atol=1e-15)                            # ...by exactly 180°
    numerical = numerical_gradient(
        lambda kernel: loss_of(image, params_with(params, kernel=kernel), 0.0, "squared_error"),
        params["kernel"])
    np.testing.assert_allclose(grads["grad_kernel"], numerical, rtol=1e-5, atol=1e-10)


def test_against_torch_autograd():
    torch = pytest.importorskip("torch", reason="PyTorch is an optional cross-check; "
                                "pip install torch==2.13.0 to run it")
    rng = np.random.default_rng(3)
    image = rng.normal(size=(10, 12))
    params = init_seed_params((10, 12), 3, rng=rng, scale=0.5)
    y = 1.0
    _, cache = seed_forward(image, params)
    grads = seed_backward(y, cache, loss="bce")
    t = {k: torch.tensor(np.asarray(v, dtype=float), requires_grad=True)
         for k, v in params.items()}
    timage = torch.tensor(image, requires_grad=True)
    conv = torch.nn.functional.conv2d(timage[None, None], t["kernel"][None, None], padding=1)
    pooled = torch.nn.functional.max_pool2d(torch.relu(conv + t["bias"]), 2)
    logit = pooled.reshape(-1) @ t["weight"] + t["out_bias"]
    target = torch.tensor(y, dtype=torch.float64)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, target)
    loss.backward()
    assert grads["loss"] == pytest.approx(loss.item(), rel=1e-12)
    for name, key in (("kernel", "grad_kernel"), ("bias", "grad_bias"), ("weight", "grad_weight"),
                      ("out_bias", "grad_out_bias")):
        np.testing.assert_allclose(grads[key], t[name].grad.numpy(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(grads["grad_image"], timage.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_raw_pixels_do_not_overflow_and_inputs_stay():
    image = np.full((32, 32), 255, dtype=np.uint8)
    params = init_seed_params((32, 32), 5, rng=0, scale=1.0)
    params["out_bias"] = np.array(-1e5)                    # a logit far below -700
    before = {k: v.copy() for k, v in params.items()}
    y_hat, cache = seed_forward(image, params)
    grads = seed_backward(1.0, cache, loss="bce")
    assert y_hat == 0.0 and np.isfinite(grads["loss"])
    assert np.all(image == 255)
    for name, value in before.items():
        np.testing.assert_array_equal(params[name], value)


def test_relu_is_not_in_place():
    params = init_seed_params((6, 6), 3, rng=0, scale=1.0)
    _, cache = seed_forward(np.random.default_rng(1).normal(size=(6, 6)), params)
    assert (cache["pre_activation"] < 0).any()             # kept, not overwritten by the ReLU
    assert (cache["relu"] >= 0).all()


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: seed_forward(np.ones((8, 8)), init_seed_params((6, 6), 3)), ValueError,
         "params\\['weight'\\] has 9 entries"),
        (lambda: seed_forward(np.ones(8), init_seed_params((8, 8), 3)), ValueError, "image"),
        (lambda: seed_forward(np.ones((8, 8)), {"kernel": np.ones((3, 3))}), ValueError,
         "missing"),
        (lambda: seed_forward(np.ones((3, 3)), init_seed_params((8, 8), 3), padding=0,
                              pool=2), ValueError, "pooling window 2x2 is larger"),
        (lambda: init_seed_params((3, 3), 5, padding="valid"), ValueError, "does not fit"),
        (lambda: seed_backward(2.0, seed_forward(np.ones((4, 4)),
                                                 init_seed_params((4, 4), 3))[1]),
         ValueError, "between 0 and 1"),
        (lambda: seed_backward(1.0, {}), TypeError, "cache"),
        (lambda: seed_backward(1.0, seed_forward(np.ones((4, 4)),
                                                 init_seed_params((4, 4), 3))[1],
                               input_grad="no"), TypeError, "input_grad"),
        (lambda: seed_backward(1.0, seed_forward(np.ones((4, 4)),
                                                 init_seed_params((4, 4), 3))[1], loss="mse"),
         ValueError, "loss"),
        (lambda: seed_kernel_gradient_as_written(np.ones((4, 4)), np.ones((4, 4)), 4),
         ValueError, "odd"),
    ],
)
def test_bad_input_is_refused_with_a_message(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_without_the_image_gradient_every_other_gradient_is_the_same():
    rng = np.random.default_rng(3)
    image = rng.normal(size=(10, 12))
    params = init_seed_params((10, 12), 3, rng=rng, scale=0.5)
    _, cache = seed_forward(image, params)
    full = seed_backward(1.0, cache)
    lean = seed_backward(1.0, cache, input_grad=False)
    assert lean["grad_image"] is None
    assert full["grad_image"].shape == image.shape
    for name, value in full.items():
        if name != "grad_image":
            np.testing.assert_array_equal(lean[name], value, err_msg=name)


def test_seed_step_trains_the_seed_network():
    # Gradient descent on one image, as in the seed: the prediction climbs to the target.
    image = np.random.default_rng(0).integers(1, 255, size=(32, 32)) / 255.0
    params = init_seed_params((32, 32), 5, rng=1, scale=0.1)
    predictions = []
    for _ in range(30):
        y_hat, grads = seed_step(image, 1.0, params, loss="bce")
        predictions.append(y_hat)
        for name in SEED_PARAM_NAMES:
            params[name] = params[name] - 1.0 * grads["grad_" + name]
    assert predictions[0] < 0.5 and predictions[-1] > 0.95
    assert np.all(np.diff(predictions) > 0)


def test_arguments_are_checked_once_at_the_door():
    # scripts/count_validation_calls.py counts the calls into cnnlab/_validate.py (issue 22:
    # at most 15 for seed_forward on one 28x28 image; 226 before the doors).
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "count_validation_calls.py"
    spec = importlib.util.spec_from_file_location("count_validation_calls", path)
    counter = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(counter)
    calls = counter.seed_calls()
    assert calls["seed_forward"] <= 15, calls
    assert calls["seed_backward"] <= 15, calls
    assert calls["small_cnn_loss"] <= 15, calls
    assert counter.count_validation_calls(lambda: None) == 0


def test_batched_seed_network_loss_equals_the_one_image_seed_network():
    rng = np.random.default_rng(0)
    params = init_seed_params((8, 8), 3, rng=rng, scale=0.5)
    images = rng.random((3, 8, 8))
    targets = np.array([1.0, 0.0, 1.0])
    loss, grads, logits = seed_network_loss(params, images, targets)
    one = params
    total = {k: 0.0 for k in ("grad_kernel", "grad_weight", "grad_bias", "grad_out_bias")}
    for image, target, logit in zip(images, targets, logits, strict=True):
        _, cache = seed_forward(image, one)
        assert cache["logit"] == pytest.approx(logit, rel=1e-12)
        single = seed_backward(target, cache, loss="bce")
        for key in total:
            total[key] = total[key] + np.asarray(single[key]) / 3
    np.testing.assert_allclose(grads["kernel"], total["grad_kernel"], rtol=1e-10)
    np.testing.assert_allclose(grads["weight"], total["grad_weight"], rtol=1e-10)
    np.testing.assert_allclose(grads["bias"], total["grad_bias"], rtol=1e-10)
    assert grads["bias"].shape == params["bias"].shape == ()


# ---------------------------------------------------------------------------------------------
# Bad input: each public function, each argument, each kind of bad value (the table's
# machinery is tests/bad_inputs.py)
# ---------------------------------------------------------------------------------------------

BAD_INPUTS = [
    Spec("seednet", "seed_feature_shape", lambda: {"image_shape": (8, 8), "kernel_shape": 3},
         {"image_shape": shape_kinds(), "kernel_shape": shape_kinds()[:4],
          "padding": padding_kinds(), "pool": int_kinds()}, primary=lambda out: []),
    Spec("seednet", "init_seed_params", lambda: {"image_shape": (8, 8), "kernel_size": 3,
                                                 "rng": 0, "scale": 0.01},
         {"image_shape": shape_kinds(), "kernel_size": int_kinds(), "rng": seed_kinds(),
          "scale": float_kinds(positive=True), "padding": padding_kinds(),
          "pool": int_kinds() + [("too big", 9)]}, primary=lambda out: []),
    Spec("seednet", "check_seed_inputs", lambda: {"images": arr(8, 8), "params": seed_params()},
         {"images": array_kinds(arr(8, 8))[:-3] + [("empty", np.zeros((0, 8))),
                                                   ("4-D", arr(1, 1, 8, 8))],
          "params": seed_params_kinds(), "pool": int_kinds()}, primary=lambda out: []),
    Spec("seednet", "seed_network_forward", lambda: {"images": arr(2, 8, 8),
                                                     "params": seed_params()},
         {"images": array_kinds(arr(2, 8, 8)), "params": seed_params_kinds(),
          "padding": padding_kinds(), "pool": int_kinds()}, primary=first_output),
    Spec("seednet", "seed_network_backward", lambda: {"grad_logits": arr(2),
                                                      "cache": seed_network_cache()},
         {"grad_logits": array_kinds(arr(2)) + [("the wrong length", arr(3))],
          "cache": cache_kinds(seed_cache), "input_grad": bool_kinds()}, primary=dict_values),
    Spec("seednet", "seed_forward", lambda: {"image": arr(8, 8), "params": seed_params()},
         {"image": array_kinds(arr(8, 8)), "params": seed_params_kinds(),
          "padding": padding_kinds(), "pool": int_kinds()}, primary=lambda out: []),
    # seed_backward's y rows are the former check_seed_target's; seed_forward's params rows
    # cover the former checkseed_params's, and its loss rows check_seed_loss's.
    Spec("seednet", "seed_backward", lambda: {"y": 1.0, "cache": seed_cache()},
         {"y": float_kinds() + [("above 1", 1.5), ("below 0", -0.5), ("two numbers", [0, 1])],
          "cache": cache_kinds(seed_network_cache),
          "loss": str_kinds(), "input_grad": bool_kinds()}, primary=dict_values),
    Spec("seednet", "seed_output_gradient", lambda: {"y_hat": 0.5, "logit": 0.0, "y": 1.0,
                                                     "loss": "squared_error"},
         {"loss": str_kinds()}, primary=lambda out: []),
    Spec("seednet", "seed_network_loss", lambda: {"params": seed_params(),
                                                  "images": arr(2, 8, 8),
                                                  "targets": np.array([0.0, 1.0])},
         {"params": seed_params_kinds(), "images": array_kinds(arr(2, 8, 8)),
          "targets": array_kinds(np.array([0.0, 1.0])) + [
              ("the wrong length", np.array([0.0, 1.0, 1.0])), ("above 1", np.array([0.0, 2.0]))],
          "backward": bool_kinds()},
         primary=dict_values),
    Spec("seednet", "seed_step", lambda: {"image": arr(8, 8), "y": 1.0,
                                          "params": seed_params()},
         {"image": array_kinds(arr(8, 8)), "y": float_kinds() + [("above 1", 1.5)],
          "params": seed_params_kinds(), "loss": str_kinds(), "padding": padding_kinds(),
          "pool": int_kinds()}, primary=dict_values),
    Spec("seednet", "check_seed_step_inputs", lambda: {"image": arr(8, 8), "y": 1.0,
                                                       "params": seed_params()},
         {"image": array_kinds(arr(8, 8)), "y": float_kinds() + [("above 1", 1.5)],
          "params": seed_params_kinds(), "loss": str_kinds(), "padding": padding_kinds(),
          "pool": int_kinds()}, primary=lambda out: []),
    Spec("seednet", "seed_loss", lambda: {"y_hat_or_logit": 0.5, "y": 1.0},
         {"loss": str_kinds()}, primary=lambda out: []),
    Spec("seednet", "seed_kernel_gradient_as_written",
         lambda: {"image": arr(5, 5), "grad_conv": arr(5, 5), "kernel_size": 3},
         {"image": array_kinds(arr(5, 5)),
          "grad_conv": array_kinds(arr(5, 5)) + [("the wrong shape", arr(4, 5))],
          "kernel_size": int_kinds() + [("even", 4)]}, primary=all_arrays),
    Spec("seednet", "seed_conv2d_as_written", lambda: {"I": arr(5, 5), "K": arr(3, 3), "p": 1},
         {"I": array_kinds(arr(5, 5)), "K": array_kinds(arr(3, 3)) + [("not square", arr(3, 2))],
          "p": int_kinds(minimum=0)}, primary=all_arrays),
    Spec("seednet", "seed_training_loop", lambda: {"steps": 2, "lr": 0.001, "seed": 0},
         {"steps": int_kinds(minimum=0), "lr": float_kinds(positive=True), "seed": seed_kinds()},
         primary=lambda out: []),
]


@pytest.mark.parametrize(("spec", "argument", "kind", "value"), bad_calls(BAD_INPUTS))
def test_bad_input_is_refused_naming_the_argument(spec, argument, kind, value):
    assert_refused_naming_the_argument(spec, argument, kind, value)


def test_every_public_function_is_in_the_table():
    missing = untabled_functions(["seednet"], BAD_INPUTS)
    assert not missing, f"public functions with no bad-input rows: {missing}"


def test_at_least_six_kinds_of_bad_input_per_function():
    few = {name: k for name, k in kinds_per_function(BAD_INPUTS).items() if k < 6}
    # seed_output_gradient and seed_loss take numbers the seed step computed: only the loss
    # name is theirs to check.
    assert set(few) <= {("seednet", "seed_output_gradient"), ("seednet", "seed_loss")}, few
    assert len(bad_calls(BAD_INPUTS)) >= 337


@pytest.mark.parametrize("spec", good_calls(BAD_INPUTS))
def test_no_input_changes_and_no_output_is_a_view_of_an_input(spec):
    assert_no_input_changes_and_no_output_is_a_view(spec)


# ---------------------------------------------------------------------------------------------
# Edge cases
# ---------------------------------------------------------------------------------------------

def test_seed_network_loss_keeps_float32_gradients_float32_with_float64_targets():
    params = {k: v.astype(np.float32) for k, v in init_seed_params((8, 8), 3).items()}
    images = arr(4, 8, 8, dtype=np.float32)
    loss, grads, logits = seed_network_loss(params, images, np.array([0.0, 1.0, 1.0, 0.0]))
    assert logits.dtype == np.float32
    for name, grad in grads.items():
        assert grad.dtype == np.float32 and grad.shape == params[name].shape, name


def test_the_seeds_conv2d_is_right_for_same_padding_and_leaves_zeros_otherwise():
    rng = np.random.default_rng(3)
    image, kernel = rng.random((6, 7)), rng.normal(size=(3, 3))
    np.testing.assert_allclose(seed_conv2d_as_written(image, kernel, 1),
                               signal.correlate2d(image, kernel, mode="same"), rtol=1e-12)
    valid = seed_conv2d_as_written(image, kernel, 0)       # the input's size, not the valid one
    assert valid.shape == (6, 7) and not valid[4:].any() and not valid[:, 5:].any()
    np.testing.assert_allclose(valid[:4, :5], signal.correlate2d(image, kernel, mode="valid"),
                               rtol=1e-12)


def test_the_seeds_loop_drives_y_hat_to_0_by_plain_gradient_descent():
    y_hats, params = seed_training_loop(steps=3, lr=0.001, seed=0)
    assert len(y_hats) == 3 and np.all(np.diff(y_hats) < 0)
    rng = np.random.default_rng(0)                          # the loop, step by step
    image = rng.integers(1, 255, size=(32, 32)).astype(float)
    expected = init_seed_params((32, 32), 5, rng=rng, scale=0.01)
    for _ in range(3):
        _, grads = seed_step(image, 0.0, expected)
        expected = {k: expected[k] - 0.001 * grads[f"grad_{k}"] for k in SEED_PARAM_NAMES}
    for name in SEED_PARAM_NAMES:
        np.testing.assert_allclose(params[name], expected[name], rtol=1e-12)


def test_seed_network_loss_without_the_backward_pass_gives_the_same_loss_and_logits():
    rng = np.random.default_rng(4)
    params = init_seed_params((8, 8), 3, rng=rng, scale=0.5)
    images, targets = rng.random((5, 8, 8)), np.array([0.0, 1.0, 1.0, 0.0, 1.0])
    loss, grads, logits = seed_network_loss(params, images, targets)
    forward_loss, no_grads, forward_logits = seed_network_loss(params, images, targets,
                                                               backward=False)
    assert no_grads is None and grads
    assert forward_loss == loss
    np.testing.assert_array_equal(forward_logits, logits)
