"""cnnlab.models: the small CNN and the seed model, given bad input.

Their maths (finite differences, the batched seed network against the one-image one)
is checked in tests/test_training.py, beside the Trainer that uses them.
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
    seed_params,
    seed_params_kinds,
    shape_kinds,
    untabled_functions,
)

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
    Spec("models", "small_cnn_loss", lambda: {"params": cnn_params(),
                                              "images": arr(2, 1, 8, 8), "labels": [1, 3]},
         {"params": cnn_params_kinds(), "images": array_kinds(arr(2, 1, 8, 8)),
          "labels": [("a string", "ab"), ("floats", [0.5, 1.0]), ("too many", [1, 2, 3]),
                     ("out of range", [1, 10]), ("negative", [-1, 0]), ("None", None)]},
         primary=dict_values),
    Spec("models", "predict_proba", lambda: {"params": cnn_params(), "images": arr(2, 8, 8),
                                             "batch_size": 1},
         {"params": cnn_params_kinds(), "images": array_kinds(arr(2, 8, 8)),
          "batch_size": int_kinds()}, primary=all_arrays),
    Spec("models", "seed_model_forward", lambda: {"params": seed_params(),
                                                  "images": arr(2, 8, 8)},
         {"params": seed_params_kinds(), "images": array_kinds(arr(2, 8, 8))},
         primary=first_output),
    Spec("models", "seed_model_loss", lambda: {"params": seed_params(), "images": arr(2, 8, 8),
                                               "targets": np.array([0.0, 1.0])},
         {"params": seed_params_kinds(), "images": array_kinds(arr(2, 8, 8)),
          "targets": array_kinds(np.array([0.0, 1.0])) + [("the wrong length",
                                                           np.array([0.0, 1.0, 1.0]))]},
         primary=dict_values),
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
    assert len(bad_calls(BAD_INPUTS)) >= 223


@pytest.mark.parametrize("spec", good_calls(BAD_INPUTS))
def test_no_input_changes_and_no_output_is_a_view_of_an_input(spec):
    assert_no_input_changes_and_no_output_is_a_view(spec)
