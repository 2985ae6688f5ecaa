"""Every public function of the layers, the networks and the engine, given bad input.

One table: for each public function, a good call and, for each argument, the kinds of bad
value that apply to it (wrong type, wrong number of dimensions, NaN/inf, empty, zero or
negative sizes, bool for an int, strings, complex numbers, another layer's cache...).  Each bad
call must raise TypeError or ValueError whose message names the argument.  A second table runs
each good call and checks that no input changed and that no output is a view of an input.

``python tests/test_bad_inputs_layers.py`` prints, per module, how many bad inputs were tried and
how many were not refused properly (functions missing from an older cnnlab are left out).
"""

from __future__ import annotations

import copy
import importlib
import sys
from dataclasses import dataclass, field

import numpy as np
import pytest

RNG = np.random.default_rng(0)


def arr(*shape, dtype=np.float64):
    return np.random.default_rng(sum(shape) + len(shape)).normal(size=shape).astype(dtype)


@dataclass
class Spec:
    module: str
    name: str
    good: callable                       # () -> dict of keyword arguments (fresh each call)
    bad: dict = field(default_factory=dict)   # argument -> list of kinds
    primary: callable = None             # output -> the arrays that must not alias inputs


# ----------------------------------------------------------------------------------------------
# Kinds of bad value, each derived from the good value of the argument
# ----------------------------------------------------------------------------------------------

def _first(shape):
    return (0,) * len(shape)


def array_kinds(good, ndim=True, empty=True):
    """Bad arrays like ``good``: wrong type, bool, complex, string, NaN, inf, ndim, empty."""
    kinds = [("a string", "abc"), ("None", None), ("a dict", {"a": 1}),
             ("a bool array", np.ones(good.shape, dtype=bool)),
             ("a complex array", good.astype(complex)),
             ("a string array", np.full(good.shape, "a"))]
    nan, inf = good.copy(), good.copy()
    nan[_first(good.shape)] = np.nan
    inf[_first(good.shape)] = -np.inf
    kinds += [("NaN", nan), ("inf", inf)]
    if ndim:
        kinds.append(("one more axis", good[None]))
        if good.ndim > 1:
            kinds.append(("one axis fewer", good.reshape(-1)))
    if empty:
        kinds.append(("empty", np.zeros((0, *good.shape[1:]))))
    return kinds


def int_kinds(minimum=1, none_ok=False):
    kinds = [("a bool", True), ("a float", 1.5), ("a string", "2"), ("a complex", 1j),
             ("negative", -1), ("a list of three", [1, 2, 3])]
    if minimum >= 1:
        kinds.append(("zero", 0))
    if not none_ok:
        kinds.append(("None", None))
    return kinds


def float_kinds(positive=False):
    kinds = [("NaN", float("nan")), ("inf", float("inf")), ("a string", "0.1"),
             ("a bool", True), ("a complex", 1j), ("None", None)]
    if positive:
        kinds += [("zero", 0.0), ("negative", -1.0)]
    return kinds


def bool_kinds():
    return [("a string", "no"), ("an int", 1), ("None", None), ("a float", 0.0)]


def str_kinds(choices_wrong="nope"):
    return [("an unknown name", choices_wrong), ("a number", 3.5), ("None", None),
            ("a bool", True), ("a list", ["bce"]), ("bytes", b"bce")]


def cache_kinds(other_cache):
    try:
        other_cache()
    except ImportError:                 # an older cnnlab (the counts against the start)
        other_cache = _conv_cache
    return [("None", None), ("a tuple", (1, 2)), ("an empty dict", {}),
            ("another layer's cache", other_cache()), ("a list", [other_cache()]),
            ("a string", "cache")]


def padding_kinds():
    return [("negative", -1), ("a float", 1.5), ("a bool", True), ("an unknown name", "full"),
            ("three numbers", (1, 1, 1)), ("None", None)]


def shape_kinds():
    return [("zero", (0, 5)), ("negative", (-3, 5)), ("floats", (10.5, 9)), ("a string", "ab"),
            ("bools", (True, 5)), ("None", None), ("three numbers", (1, 2, 3))]


def seed_kinds():
    return [("a string", "zero"), ("a float", 1.5), ("negative", -1), ("a bool", True),
            ("a list", [1, 2, 3, 4.5])]


# ----------------------------------------------------------------------------------------------
# The table
# ----------------------------------------------------------------------------------------------

def _conv_cache():
    from cnnlab.conv import conv_forward
    return conv_forward(arr(2, 1, 5, 5), arr(3, 1, 3, 3), arr(3), padding=1)[1]


def _max_cache():
    from cnnlab.pooling import max_pool_forward
    return max_pool_forward(arr(2, 3, 4, 4))[1]


def _avg_cache():
    from cnnlab.pooling import avg_pool_forward
    return avg_pool_forward(arr(2, 3, 4, 4))[1]


def _relu_cache():
    from cnnlab.activations import relu_forward
    return relu_forward(arr(2, 3))[1]


def _leaky_cache():
    from cnnlab.activations import leaky_relu_forward
    return leaky_relu_forward(arr(2, 3))[1]


def _sigmoid_cache():
    from cnnlab.activations import sigmoid_forward
    return sigmoid_forward(arr(2, 3))[1]


def _block_cache():
    from cnnlab.engine.blocks import conv_relu_pool_forward
    return conv_relu_pool_forward(arr(2, 1, 6, 6), arr(3, 1, 3, 3), arr(3))[1]


def _seed_params():
    from cnnlab.seednet import init_seed_params
    return init_seed_params((8, 8), 3, rng=0)


def _seed_cache():
    from cnnlab.seednet import seed_forward
    return seed_forward(arr(8, 8), _seed_params())[1]


def _seed_network_cache():
    from cnnlab.seednet import seed_network_forward
    return seed_network_forward(arr(2, 8, 8), _seed_params())[1]


def _cnn_params():
    from cnnlab.models import init_small_cnn
    return init_small_cnn(num_filters=2, image_shape=(8, 8))


def _cnn_params_for(side):
    from cnnlab.models import init_small_cnn
    return init_small_cnn(num_filters=2, image_shape=(side, side))


def _cnn_cache():
    from cnnlab.models import small_cnn_forward
    return small_cnn_forward(_cnn_params(), arr(2, 1, 8, 8))[1]


def seed_params_kinds():
    def changed(**changes):
        params = _seed_params()
        params.update(changes)
        return params
    missing = _seed_params()
    del missing["weight"]
    return [("a list", [1, 2]), ("None", None), ("a key missing", missing),
            ("a NaN bias", changed(bias=np.nan)), ("an inf kernel", changed(kernel=np.full(
                (3, 3), np.inf))), ("a bool bias", changed(bias=True)),
            ("a 1-D kernel", changed(kernel=np.ones(9))), ("a string weight",
                                                           changed(weight="w")),
            ("weights of the wrong length", changed(weight=np.ones(3))),
            ("a complex out_bias", changed(out_bias=1j))]


def cnn_params_kinds():
    def changed(**changes):
        params = _cnn_params()
        params.update(changes)
        return params
    return [("a list", [1, 2]), ("None", None), ("an empty dict", {}),
            ("a NaN weight", changed(**{"conv1.weight": np.full((2, 1, 5, 5), np.nan)})),
            ("a bool bias", changed(**{"conv1.bias": np.ones(2, dtype=bool)})),
            ("a string dense weight", changed(**{"dense.weight": "w"})),
            ("a weight with the wrong channels",
             changed(**{"conv1.weight": np.ones((2, 3, 5, 5))}))]


def _two(out):
    return [out[0]]


def _all(out):
    return [value for value in (out if isinstance(out, tuple) else (out,))
            if isinstance(value, np.ndarray)]


def _dict_values(out):
    values = out[1].values() if isinstance(out, tuple) else out.values()
    return [value for value in values if isinstance(value, np.ndarray)]


SPECS = [
    # padding
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
    # conv
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
         primary=_all),
    Spec("conv", "col2im", lambda: {"columns": arr(72, 27), "x_shape": (2, 3, 6, 6),
                                    "kernel_shape": (3, 3), "stride": 1, "padding": 1},
         {"columns": array_kinds(arr(72, 27)) + [("the wrong shape", arr(70, 27))],
          "x_shape": shape_kinds(), "kernel_shape": shape_kinds(), "stride": int_kinds()},
         primary=_all),
    Spec("conv", "conv2d", lambda: {"image": arr(6, 6), "kernel": arr(3, 3), "stride": 1,
                                    "padding": 0, "dilation": 1},
         {"image": array_kinds(arr(6, 6)), "kernel": array_kinds(arr(3, 3)),
          "stride": int_kinds(), "padding": padding_kinds(), "dilation": int_kinds()},
         primary=_all),
    Spec("conv", "conv2d_loop", lambda: {"image": arr(6, 6), "kernel": arr(3, 3)},
         {"image": array_kinds(arr(6, 6)), "kernel": array_kinds(arr(3, 3)),
          "stride": int_kinds()}, primary=_all),
    Spec("conv", "conv2d_backward", lambda: {"grad_feature_map": arr(4, 4), "image": arr(6, 6),
                                             "kernel": arr(3, 3)},
         {"grad_feature_map": array_kinds(arr(4, 4)) + [("the wrong shape", arr(3, 4))],
          "image": array_kinds(arr(6, 6)), "kernel": array_kinds(arr(3, 3)),
          "stride": int_kinds()}, primary=_all),
    Spec("conv", "conv2d_backward_loop", lambda: {"grad_feature_map": arr(4, 4),
                                                  "image": arr(6, 6), "kernel": arr(3, 3)},
         {"grad_feature_map": array_kinds(arr(4, 4)) + [("the wrong shape", arr(3, 4))],
          "image": array_kinds(arr(6, 6)), "kernel": array_kinds(arr(3, 3))}, primary=_all),
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
         primary=_two),
    Spec("conv", "conv_forward_loop", lambda: {"x": arr(1, 1, 4, 4), "weight": arr(2, 1, 3, 3),
                                               "bias": arr(2)},
         {"x": array_kinds(arr(1, 1, 4, 4)), "weight": array_kinds(arr(2, 1, 3, 3)),
          "stride": int_kinds(), "padding": padding_kinds()}, primary=_two),
    Spec("conv", "conv_backward", lambda: {"grad_out": arr(2, 3, 5, 5), "cache": _conv_cache()},
         {"grad_out": array_kinds(arr(2, 3, 5, 5)) + [("the wrong shape", arr(2, 3, 4, 5))],
          "cache": cache_kinds(_max_cache), "input_grad": bool_kinds()}, primary=_all),
    Spec("conv", "conv_backward_loop", lambda: {"grad_out": arr(2, 3, 5, 5),
                                                "cache": _conv_cache()},
         {"grad_out": array_kinds(arr(2, 3, 5, 5)) + [("the wrong shape", arr(2, 3, 4, 5))],
          "cache": cache_kinds(_relu_cache)}, primary=_all),
    # pooling
    Spec("pooling", "pool_output_shape", lambda: {"height": 10, "width": 9, "size": 2},
         {"height": int_kinds() + [("a pair", (10.5, 9))], "width": int_kinds(),
          "size": int_kinds(), "stride": int_kinds(none_ok=True)}, primary=lambda out: []),
    *[Spec("pooling", name, lambda: {"x": arr(2, 3, 6, 6), "size": 2, "stride": 2},
           {"x": array_kinds(arr(2, 3, 6, 6), ndim=False) + [("1-D", arr(6))],
            "size": int_kinds() + [("too big", 7)], "stride": int_kinds(none_ok=True)},
           primary=_two if name.endswith(("forward", "loop")) else _all)
      for name in ("max_pool", "avg_pool", "max_pool_forward", "avg_pool_forward",
                   "max_pool_forward_loop", "avg_pool_forward_loop")],
    Spec("pooling", "check_pool_inputs", lambda: {"x": arr(2, 3, 6, 6), "size": 2, "stride": 2},
         {"x": array_kinds(arr(2, 3, 6, 6), ndim=False) + [("1-D", arr(6))],
          "size": int_kinds() + [("too big", 7)], "stride": int_kinds(none_ok=True)},
         primary=lambda out: []),       # returns the checked x itself, as documented
    *[Spec("pooling", name, lambda cache=cache: {"grad_out": arr(2, 3, 2, 2), "cache": cache()},
           {"grad_out": array_kinds(arr(2, 3, 2, 2)) + [("the wrong shape", arr(2, 3, 3, 2))],
            "cache": cache_kinds(other)}, primary=_all)
      for name, cache, other in (("max_pool_backward", _max_cache, _avg_cache),
                                 ("max_pool_backward_loop", _max_cache, _avg_cache),
                                 ("avg_pool_backward", _avg_cache, _max_cache),
                                 ("avg_pool_backward_loop", _avg_cache, _max_cache))],
    Spec("pooling", "check_pool_grad", lambda: {"grad_out": arr(2, 3, 2, 2),
                                                "cache": _max_cache()},
         {"grad_out": array_kinds(arr(2, 3, 2, 2)) + [("the wrong shape", arr(2, 3, 3, 2))],
          "cache": cache_kinds(_avg_cache)}, primary=lambda out: []),
    Spec("pooling", "max_pool_winners", lambda: {"cache": _max_cache()},
         {"cache": cache_kinds(_avg_cache)}, primary=_all),
    # activations
    *[Spec("activations", name, lambda: {"x": arr(3, 4)},
           {"x": array_kinds(arr(3, 4), ndim=False, empty=False)},
           primary=_two if name.endswith("forward") else _all)
      for name in ("relu", "relu_forward", "sigmoid", "sigmoid_forward", "leaky_relu",
                   "leaky_relu_forward")],
    *[Spec("activations", name, lambda: {"x": arr(3, 4), "slope": 0.1},
           {"slope": float_kinds() + [("one", 1.0), ("negative", -0.5)]},
           primary=_two if name.endswith("forward") else _all)
      for name in ("leaky_relu", "leaky_relu_forward")],
    *[Spec("activations", name, lambda cache=cache: {"grad_out": arr(2, 3), "cache": cache()},
           {"grad_out": array_kinds(arr(2, 3), empty=False), "cache": cache_kinds(other)},
           primary=_all)
      for name, cache, other in (("relu_backward", _relu_cache, _sigmoid_cache),
                                 ("leaky_relu_backward", _leaky_cache, _relu_cache),
                                 ("sigmoid_backward", _sigmoid_cache, _leaky_cache))],
    *[Spec("activations", name, lambda: {"logits": arr(3, 4), "axis": -1},
           {"logits": array_kinds(arr(3, 4), ndim=False),
            "axis": [("a float", 1.0), ("a bool", True), ("out of range", 2), ("a string", "1"),
                     ("None", None), ("a tuple", (0, 1))]}, primary=_all)
      for name in ("softmax", "log_softmax")],
    # seednet
    Spec("seednet", "seed_feature_shape", lambda: {"image_shape": (8, 8), "kernel_shape": 3},
         {"image_shape": shape_kinds(), "kernel_shape": shape_kinds()[:4],
          "padding": padding_kinds(), "pool": int_kinds()}, primary=lambda out: []),
    Spec("seednet", "init_seed_params", lambda: {"image_shape": (8, 8), "kernel_size": 3,
                                                 "rng": 0, "scale": 0.01},
         {"image_shape": shape_kinds(), "kernel_size": int_kinds(), "rng": seed_kinds(),
          "scale": float_kinds(positive=True), "padding": padding_kinds(),
          "pool": int_kinds() + [("too big", 9)]}, primary=lambda out: []),
    Spec("seednet", "check_seed_inputs", lambda: {"images": arr(8, 8), "params": _seed_params()},
         {"images": array_kinds(arr(8, 8))[:-3] + [("empty", np.zeros((0, 8))),
                                                   ("4-D", arr(1, 1, 8, 8))],
          "params": seed_params_kinds(), "pool": int_kinds()}, primary=lambda out: []),
    Spec("seednet", "seed_network_forward", lambda: {"images": arr(2, 8, 8),
                                                     "params": _seed_params()},
         {"images": array_kinds(arr(2, 8, 8)), "params": seed_params_kinds(),
          "padding": padding_kinds(), "pool": int_kinds()}, primary=_two),
    Spec("seednet", "seed_network_backward", lambda: {"grad_logits": arr(2),
                                                      "cache": _seed_network_cache()},
         {"grad_logits": array_kinds(arr(2)) + [("the wrong length", arr(3))],
          "cache": cache_kinds(_seed_cache), "input_grad": bool_kinds()}, primary=_dict_values),
    Spec("seednet", "seed_forward", lambda: {"image": arr(8, 8), "params": _seed_params()},
         {"image": array_kinds(arr(8, 8)), "params": seed_params_kinds(),
          "padding": padding_kinds(), "pool": int_kinds()}, primary=lambda out: []),
    # seed_backward's y rows are the former check_seed_target's; seed_forward's params rows
    # cover the former check_seed_params's, and its loss rows check_seed_loss's.
    Spec("seednet", "seed_backward", lambda: {"y": 1.0, "cache": _seed_cache()},
         {"y": float_kinds() + [("above 1", 1.5), ("below 0", -0.5), ("two numbers", [0, 1])],
          "cache": cache_kinds(_seed_network_cache),
          "loss": str_kinds(), "input_grad": bool_kinds()}, primary=_dict_values),
    Spec("seednet", "seed_output_gradient", lambda: {"y_hat": 0.5, "logit": 0.0, "y": 1.0,
                                                     "loss": "squared_error"},
         {"loss": str_kinds()}, primary=lambda out: []),
    Spec("seednet", "seed_network_loss", lambda: {"params": _seed_params(),
                                                  "images": arr(2, 8, 8),
                                                  "targets": np.array([0.0, 1.0])},
         {"params": seed_params_kinds(), "images": array_kinds(arr(2, 8, 8)),
          "targets": array_kinds(np.array([0.0, 1.0])) + [
              ("the wrong length", np.array([0.0, 1.0, 1.0])), ("above 1", np.array([0.0, 2.0]))]},
         primary=_dict_values),
    Spec("seednet", "seed_step", lambda: {"image": arr(8, 8), "y": 1.0,
                                          "params": _seed_params()},
         {"image": array_kinds(arr(8, 8)), "y": float_kinds() + [("above 1", 1.5)],
          "params": seed_params_kinds(), "loss": str_kinds(), "padding": padding_kinds(),
          "pool": int_kinds()}, primary=_dict_values),
    Spec("seednet", "check_seed_step_inputs", lambda: {"image": arr(8, 8), "y": 1.0,
                                                       "params": _seed_params()},
         {"image": array_kinds(arr(8, 8)), "y": float_kinds() + [("above 1", 1.5)],
          "params": seed_params_kinds(), "loss": str_kinds(), "padding": padding_kinds(),
          "pool": int_kinds()}, primary=lambda out: []),
    Spec("seednet", "seed_loss", lambda: {"y_hat_or_logit": 0.5, "y": 1.0},
         {"loss": str_kinds()}, primary=lambda out: []),
    Spec("seednet", "seed_kernel_gradient_as_written",
         lambda: {"image": arr(5, 5), "grad_conv": arr(5, 5), "kernel_size": 3},
         {"image": array_kinds(arr(5, 5)),
          "grad_conv": array_kinds(arr(5, 5)) + [("the wrong shape", arr(4, 5))],
          "kernel_size": int_kinds() + [("even", 4)]}, primary=_all),
    # models
    Spec("models", "init_small_cnn", lambda: {"num_filters": 2, "image_shape": (8, 8)},
         {"num_filters": int_kinds(), "kernel_size": int_kinds() + [("even", 4)],
          "num_blocks": int_kinds() + [("three", 3)], "num_classes": int_kinds(),
          "image_shape": shape_kinds(), "in_channels": int_kinds(), "seed": seed_kinds(),
          "dtype": [("int64", np.int64), ("float16", np.float16), ("a string", "floaty"),
                    ("complex", np.complex128), ("bool", bool), ("None", None)]},
         primary=lambda out: []),
    Spec("models", "small_cnn_forward", lambda: {"params": _cnn_params(),
                                                 "images": arr(2, 1, 8, 8)},
         {"params": cnn_params_kinds(), "images": array_kinds(arr(2, 1, 8, 8))}, primary=_two),
    Spec("models", "check_small_cnn_inputs", lambda: {"params": _cnn_params(),
                                                      "images": arr(2, 1, 8, 8)},
         {"params": cnn_params_kinds() + [("a dense weight for 28x28 images",
                                            _cnn_params_for(28))],
          "images": array_kinds(arr(2, 1, 8, 8)) + [("3 channels", arr(2, 3, 8, 8)),
                                                    ("too small to pool", arr(2, 1, 1, 8))]},
         primary=lambda out: []),
    Spec("models", "small_cnn_backward", lambda: {"grad_logits": arr(2, 10),
                                                  "cache": _cnn_cache()},
         {"grad_logits": array_kinds(arr(2, 10)), "cache": cache_kinds(_seed_network_cache),
          "input_grad": bool_kinds()}, primary=_dict_values),
    Spec("models", "small_cnn_loss", lambda: {"params": _cnn_params(),
                                              "images": arr(2, 1, 8, 8), "labels": [1, 3]},
         {"params": cnn_params_kinds(), "images": array_kinds(arr(2, 1, 8, 8)),
          "labels": [("a string", "ab"), ("floats", [0.5, 1.0]), ("too many", [1, 2, 3]),
                     ("out of range", [1, 10]), ("negative", [-1, 0]), ("None", None)]},
         primary=_dict_values),
    Spec("models", "predict_proba", lambda: {"params": _cnn_params(), "images": arr(2, 8, 8),
                                             "batch_size": 1},
         {"params": cnn_params_kinds(), "images": array_kinds(arr(2, 8, 8)),
          "batch_size": int_kinds()}, primary=_all),
    Spec("models", "seed_model_forward", lambda: {"params": _seed_params(),
                                                  "images": arr(2, 8, 8)},
         {"params": seed_params_kinds(), "images": array_kinds(arr(2, 8, 8))}, primary=_two),
    Spec("models", "seed_model_loss", lambda: {"params": _seed_params(), "images": arr(2, 8, 8),
                                               "targets": np.array([0.0, 1.0])},
         {"params": seed_params_kinds(), "images": array_kinds(arr(2, 8, 8)),
          "targets": array_kinds(np.array([0.0, 1.0])) + [("the wrong length",
                                                           np.array([0.0, 1.0, 1.0]))]},
         primary=_dict_values),
    # the engine
    Spec("engine.blocks", "conv_relu_pool_forward",
         lambda: {"x": arr(2, 1, 6, 6), "weight": arr(3, 1, 3, 3), "bias": arr(3), "pool": 2},
         {"x": array_kinds(arr(2, 1, 6, 6)), "weight": array_kinds(arr(3, 1, 3, 3)) + [
             ("an even kernel", arr(3, 1, 2, 2))],
          "bias": array_kinds(arr(3)) + [("the wrong length", arr(2))],
          "pool": int_kinds() + [("too big", 7)]}, primary=_two),
    Spec("engine.blocks", "conv_relu_pool_backward",
         lambda: {"grad_out": arr(2, 3, 3, 3), "cache": _block_cache()},
         {"grad_out": array_kinds(arr(2, 3, 3, 3)) + [("the wrong shape", arr(2, 3, 2, 3))],
          "cache": cache_kinds(_conv_cache), "input_grad": bool_kinds()}, primary=_all),
    Spec("engine.pooling", "max_pool_forward_fast",
         lambda: {"x": arr(2, 3, 6, 6), "size": 2},
         {"x": array_kinds(arr(2, 3, 6, 6), ndim=False), "size": int_kinds() + [("too big", 7)],
          "stride": int_kinds(none_ok=True)}, primary=_two),
    Spec("engine.pooling", "max_pool_backward_fast",
         lambda: {"grad_out": arr(2, 3, 2, 2), "cache": _max_cache()},
         {"grad_out": array_kinds(arr(2, 3, 2, 2)) + [("the wrong shape", arr(2, 3, 3, 2))],
          "cache": cache_kinds(_avg_cache)}, primary=_all),
    # engine.networks (seed_step_fast's rows are seednet.seed_step's)
    Spec("engine.networks", "small_cnn_loss_fast",
         lambda: {"params": _cnn_params(), "images": arr(2, 1, 8, 8), "labels": [1, 3]},
         {"params": cnn_params_kinds(), "images": array_kinds(arr(2, 1, 8, 8)),
          "labels": [("a string", "ab"), ("floats", [0.5, 1.0]), ("too many", [1, 2, 3]),
                     ("out of range", [1, 10]), ("negative", [-1, 0]), ("None", None)]},
         primary=_dict_values),
    Spec("engine.networks", "small_cnn_logits_fast",
         lambda: {"params": _cnn_params(), "images": arr(2, 1, 8, 8)},
         {"params": cnn_params_kinds(), "images": array_kinds(arr(2, 1, 8, 8))},
         primary=lambda out: [out[0]]),
    Spec("engine.networks", "seed_network_loss_fast",
         lambda: {"params": _seed_params(), "images": arr(2, 8, 8),
                  "targets": np.array([0.0, 1.0])},
         {"params": seed_params_kinds(), "images": array_kinds(arr(2, 8, 8)),
          "targets": array_kinds(np.array([0.0, 1.0])) + [
              ("the wrong length", np.array([0.0, 1.0, 1.0]))]},
         primary=_dict_values),
    Spec("engine.networks", "seed_step_fast", lambda: {"image": arr(8, 8), "y": 1.0,
                                                       "params": _seed_params()},
         {"image": array_kinds(arr(8, 8)), "y": float_kinds() + [("above 1", 1.5)],
          "params": seed_params_kinds(), "loss": str_kinds(), "padding": padding_kinds(),
          "pool": int_kinds()}, primary=_dict_values),
    Spec("engine.networks", "seed_network_logits_fast",
         lambda: {"params": _seed_params(), "images": arr(2, 8, 8)},
         {"params": seed_params_kinds(), "images": array_kinds(arr(2, 8, 8))},
         primary=lambda out: [out[0]]),
]

# Public functions that take no user data (the bodies behind the doors are private, _name).
NOT_IN_THE_TABLE = {
    "engine.pooling": {"running_maximum"},
    "engine.memory": {"keep_freed_memory", "freed_memory_kept"},   # tests/engine/test_memory.py
    "engine.threads": {"one_blas_thread", "blas_threads"},
}
MODULES = ["padding", "conv", "pooling", "activations", "seednet", "models", "engine.blocks",
           "engine.pooling", "engine.networks"]


def bad_calls():
    """Every (spec, argument, kind, bad value) in the table."""
    for spec in SPECS:
        for argument, kinds in spec.bad.items():
            for kind, value in kinds:
                yield spec, argument, kind, value


def try_bad_call(spec, argument, value):
    """None if the call was refused properly, else what went wrong."""
    module = importlib.import_module(f"cnnlab.{spec.module}")
    function = getattr(module, spec.name)
    kwargs = spec.good()
    kwargs[argument] = value
    try:
        with np.errstate(all="raise"):
            function(**kwargs)
    except (TypeError, ValueError) as error:
        message = str(error)
        wanted = argument.split("_")[0] if argument in ("image_shape", "x_shape") else argument
        if wanted not in message and not (argument == "y_hat_or_logit" and "y" in message):
            return f"{type(error).__name__} without naming {argument!r}: {message}"
        return None
    except Exception as error:                                    # noqa: BLE001
        return f"{type(error).__name__}: {error}"
    return "accepted"


CASES = list(bad_calls())


@pytest.mark.parametrize(("spec", "argument", "kind", "value"), CASES,
                         ids=[f"{s.module}.{s.name}-{a}-{k}" for s, a, k, _ in CASES])
def test_bad_input_is_refused_naming_the_argument(spec, argument, kind, value):
    problem = try_bad_call(spec, argument, value)
    assert problem is None, f"{spec.name}({argument}={kind}): {problem}"


def test_every_public_function_is_in_the_table():
    covered = {(spec.module, spec.name) for spec in SPECS}
    missing = []
    for name in MODULES + ["engine.memory", "engine.threads"]:
        module = importlib.import_module(f"cnnlab.{name}")
        for function_name in module.__all__:
            obj = getattr(module, function_name)
            if not callable(obj) or isinstance(obj, type) or obj.__module__ != module.__name__:
                continue
            if (name, function_name) not in covered and (
                    function_name not in NOT_IN_THE_TABLE.get(name, ())):
                missing.append(f"{name}.{function_name}")
    assert not missing, f"public functions with no bad-input rows: {missing}"


def test_at_least_six_kinds_of_bad_input_per_function():
    kinds = {}
    for spec, _, kind, _ in CASES:
        kinds.setdefault((spec.module, spec.name), set()).add(kind)
    few = {name: len(k) for name, k in kinds.items() if len(k) < 6}
    # seed_output_gradient and seed_loss take numbers the seed step computed: only the loss
    # name is theirs to check.
    assert set(few) <= {("seednet", "seed_output_gradient"), ("seednet", "seed_loss")}, few
    assert len(CASES) > 1500


def _arrays_in(value):
    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _arrays_in(item)
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _arrays_in(item)


@pytest.mark.parametrize("spec", SPECS, ids=[f"{s.module}.{s.name}" for s in SPECS])
def test_no_input_changes_and_no_output_is_a_view_of_an_input(spec):
    function = getattr(importlib.import_module(f"cnnlab.{spec.module}"), spec.name)
    kwargs = spec.good()
    before = copy.deepcopy(kwargs)
    out = function(**kwargs)
    for name, value in kwargs.items():
        for old, new in zip(_arrays_in(before[name]), _arrays_in(value), strict=True):
            np.testing.assert_array_equal(old, new, err_msg=f"{spec.name} changed {name}")
    primary = (spec.primary or _all)(out)
    inputs = list(_arrays_in(kwargs))
    for result in primary:
        for given in inputs:
            assert not np.shares_memory(result, given), f"{spec.name}: output aliases an input"


def count(modules=MODULES):
    """Per module: (bad inputs tried, not refused properly), skipping functions it lacks."""
    import warnings
    warnings.simplefilter("ignore")
    results = {}
    for spec, argument, _, value in CASES:
        try:
            module = importlib.import_module(f"cnnlab.{spec.module}")
        except ImportError:
            continue
        if not hasattr(module, spec.name):
            continue
        try:
            problem = try_bad_call(spec, argument, value)
        except Exception as error:                                # noqa: BLE001
            problem = f"the good call itself failed: {error}"
        tried, failed = results.get(spec.module, (0, 0))
        results[spec.module] = (tried + 1, failed + (problem is not None))
    return results


if __name__ == "__main__":
    totals = count()
    for module, (tried, failed) in totals.items():
        print(f"{module:16s} tried {tried:4d}  not refused properly {failed:4d}")
    print(f"{'all':16s} tried {sum(t for t, _ in totals.values()):4d}  not refused properly "
          f"{sum(f for _, f in totals.values()):4d}")
    sys.exit(0)


# ----------------------------------------------------------------------------------------------
# The edge cases named in issue 13, one by one
# ----------------------------------------------------------------------------------------------

def test_softmax_and_log_softmax_do_not_warn_at_the_ends_of_the_float_range():
    from cnnlab.activations import log_softmax, softmax
    logits = np.array([1.7e308, -1.7e308])
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(softmax(logits), [1.0, 0.0])
        assert log_softmax(logits)[0] == 0.0 and log_softmax(logits)[1] == -np.inf


def test_pool_output_shape_refuses_a_fractional_size():
    from cnnlab.pooling import pool_output_shape
    with pytest.raises(TypeError, match="height"):
        pool_output_shape(10.5, 9)
    with pytest.raises(TypeError, match="height"):
        pool_output_shape((10.5, 9), 9)


def test_a_backward_says_which_forward_its_cache_came_from():
    from cnnlab.pooling import avg_pool_backward, max_pool_backward
    with pytest.raises(TypeError, match="avg_pool_backward needs the cache returned by "
                                        "avg_pool_forward; the cache given comes from "
                                        "max_pool_forward"):
        avg_pool_backward(np.ones((2, 3, 2, 2)), _max_cache())
    with pytest.raises(TypeError, match="comes from conv_forward"):
        max_pool_backward(np.ones((2, 3, 2, 2)), _conv_cache())


@pytest.mark.parametrize("loss_name", ["seednet.seed_network_loss",
                                       "engine.networks.seed_network_loss_fast"])
def test_seed_network_loss_keeps_float32_gradients_float32_with_float64_targets(loss_name):
    from cnnlab.seednet import init_seed_params
    module, name = loss_name.rsplit(".", 1)
    loss_fn = getattr(importlib.import_module(f"cnnlab.{module}"), name)
    params = {k: v.astype(np.float32) for k, v in init_seed_params((8, 8), 3).items()}
    images = arr(4, 8, 8, dtype=np.float32)
    loss, grads, logits = loss_fn(params, images, np.array([0.0, 1.0, 1.0, 0.0]))
    assert logits.dtype == np.float32
    for name, grad in grads.items():
        assert grad.dtype == np.float32 and grad.shape == params[name].shape, name


def test_input_grad_must_be_a_bool():
    from cnnlab.conv import conv_backward
    with pytest.raises(TypeError, match="input_grad must be True or False, got 'no'"):
        conv_backward(np.ones((2, 3, 5, 5)), _conv_cache(), input_grad="no")
