"""cnnlab.models: the small CNN's gradients by finite differences, predict_proba in batches,
and every public function given bad input (the seed model's maths is tests/test_seednet.py's).
"""

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
    cnn_cache,
    cnn_params,
    cnn_params_for,
    cnn_params_kinds,
    dict_values,
    first_output,
    good_calls,
    int_kinds,
    kinds_per_function,
    seed_kinds,
    seed_network_cache,
    shape_kinds,
    untabled_functions,
)

from cnnlab.gradcheck import check_gradient
from cnnlab.models import (
    init_small_cnn,
    predict_proba,
    saliency,
    small_cnn_backward,
    small_cnn_forward,
    small_cnn_loss,
)


@pytest.mark.parametrize("blocks", [1, 2])
def test_small_cnn_gradients_match_finite_differences(blocks):
    rng = np.random.default_rng(blocks)
    params = init_small_cnn(num_filters=2, kernel_size=3, num_blocks=blocks, num_classes=3,
                            image_shape=(8, 8), seed=rng)
    params = {k: v + 0.05 * rng.standard_normal(v.shape) for k, v in params.items()}
    images = rng.permutation(2 * 64).reshape(2, 1, 8, 8) / 128.0
    labels = np.array([0, 2])
    loss, grads, _ = small_cnn_loss(params, images, labels)
    for name in params:
        def f(value, name=name):
            changed = dict(params)
            changed[name] = value
            return small_cnn_loss(changed, images, labels)[0]
        report = check_gradient(lambda x, f=f: f(x), {"x": params[name]}, {"x": grads[name]},
                                h=1e-5, tolerance=1e-5)["x"]
        assert report.passed, f"{name}: {report}"
    logits, cache = small_cnn_forward(params, images)
    grad_images = small_cnn_backward(np.eye(3)[labels], cache, input_grad=True)["images"]
    report = check_gradient(lambda x: np.sum(small_cnn_forward(params, x)[0] * np.eye(3)[labels]),
                            {"x": images}, {"x": grad_images}, h=1e-5, tolerance=1e-5)["x"]
    assert report.passed, str(report)


def test_predict_proba_in_batches():
    params = init_small_cnn(num_filters=2)
    images = np.random.default_rng(0).random((7, 1, 28, 28))
    p = predict_proba(params, images, batch_size=3)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p, predict_proba(params, images, batch_size=100), rtol=1e-12)


def test_saliency_is_the_finite_difference_gradient_of_the_class_score():
    rng = np.random.default_rng(3)
    params = init_small_cnn(num_filters=2, kernel_size=3, num_classes=3, image_shape=(8, 8),
                            seed=rng)
    params = {k: v + 0.05 * rng.standard_normal(v.shape) for k, v in params.items()}
    image = rng.random((8, 8))
    grad = saliency(params, image, 2)
    report = check_gradient(lambda x: small_cnn_forward(params, x[None, None])[0][0, 2],
                            {"x": image}, {"x": grad}, h=1e-5, tolerance=1e-5)["x"]
    assert report.passed, str(report)
    assert not np.array_equal(grad, saliency(params, image, 1))     # another class, another map


# ---------------------------------------------------------------------------------------------
# Bad input: each public function, each argument, each kind of bad value (the table's
# machinery is tests/bad_inputs.py)
# ---------------------------------------------------------------------------------------------

BAD_INPUTS = [
    Spec("models", "init_small_cnn", lambda: {"num_filters": 2, "image_shape": (8, 8)},
         {"num_filters": int_kinds(), "kernel_size": int_kinds() + [("even", 4)],
          "num_blocks": int_kinds() + [("three", 3)], "num_classes": int_kinds(),
          "image_shape": shape_kinds(), "in_channels": int_kinds(), "seed": seed_kinds(),
          "dtype": [("int64", np.int64), ("float16", np.float16), ("a string", "floaty"),
                    ("complex", np.complex128), ("bool", bool), ("None", None)]},
         primary=lambda out: []),
    Spec("models", "small_cnn_forward", lambda: {"params": cnn_params(),
                                                 "images": arr(2, 1, 8, 8)},
         {"params": cnn_params_kinds(), "images": array_kinds(arr(2, 1, 8, 8))},
         primary=first_output),
    Spec("models", "check_small_cnn_inputs", lambda: {"params": cnn_params(),
                                                      "images": arr(2, 1, 8, 8)},
         {"params": cnn_params_kinds() + [("a dense weight for 28x28 images",
                                            cnn_params_for(28))],
          "images": array_kinds(arr(2, 1, 8, 8)) + [("3 channels", arr(2, 3, 8, 8)),
                                                    ("too small to pool", arr(2, 1, 1, 8))]},
         primary=lambda out: []),
    Spec("models", "small_cnn_backward", lambda: {"grad_logits": arr(2, 10),
                                                  "cache": cnn_cache()},
         {"grad_logits": array_kinds(arr(2, 10)), "cache": cache_kinds(seed_network_cache),
          "input_grad": bool_kinds()}, primary=dict_values),
    Spec("models", "check_small_cnn_loss_inputs",
         lambda: {"params": cnn_params(), "images": arr(2, 1, 8, 8), "labels": [1, 3]},
         {"params": cnn_params_kinds(), "images": array_kinds(arr(2, 1, 8, 8)),
          "labels": [("a string", "ab"), ("floats", [0.5, 1.0]), ("too many", [1, 2, 3]),
                     ("out of range", [1, 10]), ("negative", [-1, 0]), ("None", None)]},
         primary=lambda out: []),
    Spec("models", "small_cnn_loss", lambda: {"params": cnn_params(),
                                              "images": arr(2, 1, 8, 8), "labels": [1, 3]},
         {"params": cnn_params_kinds(), "images": array_kinds(arr(2, 1, 8, 8)),
          "labels": [("a string", "ab"), ("floats", [0.5, 1.0]), ("too many", [1, 2, 3]),
                     ("out of range", [1, 10]), ("negative", [-1, 0]), ("None", None)],
          "backward": bool_kinds()},
         primary=dict_values),
    Spec("models", "predict_proba", lambda: {"params": cnn_params(), "images": arr(2, 8, 8),
                                             "batch_size": 1},
         {"params": cnn_params_kinds(), "images": array_kinds(arr(2, 8, 8)),
          "batch_size": int_kinds()}, primary=all_arrays),
    Spec("models", "saliency", lambda: {"params": cnn_params(), "image": arr(8, 8), "label": 3},
         {"params": cnn_params_kinds(), "image": array_kinds(arr(8, 8)),
          "label": [("a float", 1.5), ("a bool", True), ("a string", "3"), ("negative", -1),
                    ("too large", 10), ("None", None)]}, primary=first_output),
]


@pytest.mark.parametrize(("spec", "argument", "kind", "value"), bad_calls(BAD_INPUTS))
def test_bad_input_is_refused_naming_the_argument(spec, argument, kind, value):
    assert_refused_naming_the_argument(spec, argument, kind, value)


def test_every_public_function_is_in_the_table():
    missing = untabled_functions(["models"], BAD_INPUTS)
    assert not missing, f"public functions with no bad-input rows: {missing}"


def test_at_least_six_kinds_of_bad_input_per_function():
    few = {name: k for name, k in kinds_per_function(BAD_INPUTS).items() if k < 6}
    assert not few, few
    assert len(bad_calls(BAD_INPUTS)) >= 170      # the seed network's cases are in test_seednet.py


@pytest.mark.parametrize("spec", good_calls(BAD_INPUTS))
def test_no_input_changes_and_no_output_is_a_view_of_an_input(spec):
    assert_no_input_changes_and_no_output_is_a_view(spec)


def test_small_cnn_loss_without_the_backward_pass_gives_the_same_loss_and_logits():
    rng = np.random.default_rng(4)
    params = init_small_cnn(num_filters=2, seed=1)
    images, labels = rng.random((5, 1, 28, 28)), rng.integers(0, 10, size=5)
    loss, grads, logits = small_cnn_loss(params, images, labels)
    forward_loss, no_grads, forward_logits = small_cnn_loss(params, images, labels,
                                                            backward=False)
    assert no_grads is None and grads
    assert forward_loss == loss
    np.testing.assert_array_equal(forward_logits, logits)
