"""The engine's public functions (cnnlab.engine.blocks, .pooling, .networks), given bad
input: the same table as the textbook modules' (tests/bad_inputs.py).
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
    cnn_params,
    cnn_params_kinds,
    conv_cache,
    dict_values,
    first_output,
    float_kinds,
    good_calls,
    int_kinds,
    kinds_per_function,
    padding_kinds,
    seed_params,
    seed_params_kinds,
    str_kinds,
    untabled_functions,
)

from cnnlab.engine.networks import seed_network_loss_fast
from cnnlab.seednet import init_seed_params


def block_cache():
    from cnnlab.engine.blocks import conv_relu_pool_forward
    return conv_relu_pool_forward(arr(2, 1, 6, 6), arr(3, 1, 3, 3), arr(3))[1]


# ---------------------------------------------------------------------------------------------
# Bad input: each public function, each argument, each kind of bad value (the table's
# machinery is tests/bad_inputs.py)
# ---------------------------------------------------------------------------------------------

# Public functions that take no user data (the bodies behind the doors are private, _name).
NOT_IN_THE_TABLE = {
    "engine.pooling": {"running_maximum"},
    "engine.memory": {"keep_freed_memory", "freed_memory_kept"},   # tests/engine/test_memory.py
    "engine.threads": {"one_blas_thread", "blas_threads"},
}

BAD_INPUTS = [
    Spec("engine.blocks", "conv_relu_pool_forward",
         lambda: {"x": arr(2, 1, 6, 6), "weight": arr(3, 1, 3, 3), "bias": arr(3), "pool": 2},
         {"x": array_kinds(arr(2, 1, 6, 6)), "weight": array_kinds(arr(3, 1, 3, 3)) + [
             ("an even kernel", arr(3, 1, 2, 2))],
          "bias": array_kinds(arr(3)) + [("the wrong length", arr(2))],
          "pool": int_kinds() + [("too big", 7)]}, primary=first_output),
    Spec("engine.blocks", "conv_relu_pool_backward",
         lambda: {"grad_out": arr(2, 3, 3, 3), "cache": block_cache()},
         {"grad_out": array_kinds(arr(2, 3, 3, 3)) + [("the wrong shape", arr(2, 3, 2, 3))],
          "cache": cache_kinds(conv_cache), "input_grad": bool_kinds()}, primary=all_arrays),
    # engine.networks (seed_step_fast has the rows of seednet.seed_step)
    Spec("engine.networks", "small_cnn_loss_fast",
         lambda: {"params": cnn_params(), "images": arr(2, 1, 8, 8), "labels": [1, 3]},
         {"params": cnn_params_kinds(), "images": array_kinds(arr(2, 1, 8, 8)),
          "labels": [("a string", "ab"), ("floats", [0.5, 1.0]), ("too many", [1, 2, 3]),
                     ("out of range", [1, 10]), ("negative", [-1, 0]), ("None", None)],
          "backward": bool_kinds()},
         primary=dict_values),
    Spec("engine.networks", "small_cnn_logits_fast",
         lambda: {"params": cnn_params(), "images": arr(2, 1, 8, 8)},
         {"params": cnn_params_kinds(), "images": array_kinds(arr(2, 1, 8, 8))},
         primary=lambda out: [out[0]]),
    Spec("engine.networks", "seed_network_loss_fast",
         lambda: {"params": seed_params(), "images": arr(2, 8, 8),
                  "targets": np.array([0.0, 1.0])},
         {"params": seed_params_kinds(), "images": array_kinds(arr(2, 8, 8)),
          "targets": array_kinds(np.array([0.0, 1.0])) + [
              ("the wrong length", np.array([0.0, 1.0, 1.0]))],
          "backward": bool_kinds()},
         primary=dict_values),
    Spec("engine.networks", "seed_step_fast", lambda: {"image": arr(8, 8), "y": 1.0,
                                                       "params": seed_params()},
         {"image": array_kinds(arr(8, 8)), "y": float_kinds() + [("above 1", 1.5)],
          "params": seed_params_kinds(), "loss": str_kinds(), "padding": padding_kinds(),
          "pool": int_kinds()}, primary=dict_values),
    Spec("engine.networks", "seed_network_logits_fast",
         lambda: {"params": seed_params(), "images": arr(2, 8, 8)},
         {"params": seed_params_kinds(), "images": array_kinds(arr(2, 8, 8))},
         primary=lambda out: [out[0]]),
]


@pytest.mark.parametrize(("spec", "argument", "kind", "value"), bad_calls(BAD_INPUTS))
def test_bad_input_is_refused_naming_the_argument(spec, argument, kind, value):
    assert_refused_naming_the_argument(spec, argument, kind, value)


def test_every_public_function_is_in_the_table():
    missing = untabled_functions(["engine.blocks", "engine.pooling", "engine.networks",
                                  "engine.memory", "engine.threads"], BAD_INPUTS,
                                 exempt=NOT_IN_THE_TABLE)
    assert not missing, f"public functions with no bad-input rows: {missing}"


def test_at_least_six_kinds_of_bad_input_per_function():
    few = {name: k for name, k in kinds_per_function(BAD_INPUTS).items() if k < 6}
    assert not few, few
    assert len(bad_calls(BAD_INPUTS)) >= 203


@pytest.mark.parametrize("spec", good_calls(BAD_INPUTS))
def test_no_input_changes_and_no_output_is_a_view_of_an_input(spec):
    assert_no_input_changes_and_no_output_is_a_view(spec)


# ---------------------------------------------------------------------------------------------
# Edge cases
# ---------------------------------------------------------------------------------------------

def test_seed_network_loss_fast_keeps_float32_gradients_float32_with_float64_targets():
    params = {k: v.astype(np.float32) for k, v in init_seed_params((8, 8), 3).items()}
    images = arr(4, 8, 8, dtype=np.float32)
    loss, grads, logits = seed_network_loss_fast(params, images, np.array([0.0, 1.0, 1.0, 0.0]))
    assert logits.dtype == np.float32
    for name, grad in grads.items():
        assert grad.dtype == np.float32 and grad.shape == params[name].shape, name
