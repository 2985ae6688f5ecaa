"""The bad-input tables' shared machinery: kinds of bad value, the good inputs they replace,
and the checks every module's table runs.

Each module's test file (tests/test_conv.py, tests/test_data.py, ...) holds that module's bad
inputs in one of two forms:

- a ``Spec`` table (the layers and networks): for each public function a good call and, for
  each argument, the kinds of bad value that apply to it (wrong type, wrong number of
  dimensions, NaN/inf, empty, zero or negative sizes, bool for an int, strings, complex
  numbers, another layer's cache...).  ``assert_refused_naming_the_argument`` wants each bad
  call to raise TypeError or ValueError whose message names the argument;
  ``assert_no_input_changes_and_no_output_is_a_view`` runs the good call and checks that no
  input changed and that no output is a view of an input.
- a table of rows ``(what, call, error type, word the message must contain)`` (training, data,
  evaluation, gradient checking, losses, dense, the board, figures): ``assert_refused`` wants
  the call to raise that type, without a warning, with the word in its message.

``python tests/bad_inputs.py`` prints, per module, how many bad inputs were tried and how many
were not refused properly (functions missing from an older cnnlab are left out).
"""

from __future__ import annotations

import copy
import importlib
import sys
import warnings
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pytest


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
        other_cache = conv_cache
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
# Good inputs the tables start from (fresh on each call)
# ----------------------------------------------------------------------------------------------

def conv_cache():
    from cnnlab.conv import conv_forward
    return conv_forward(arr(2, 1, 5, 5), arr(3, 1, 3, 3), arr(3), padding=1)[1]


def max_cache():
    from cnnlab.pooling import max_pool_forward
    return max_pool_forward(arr(2, 3, 4, 4))[1]


def avg_cache():
    from cnnlab.pooling import avg_pool_forward
    return avg_pool_forward(arr(2, 3, 4, 4))[1]


def relu_cache():
    from cnnlab.activations import relu_forward
    return relu_forward(arr(2, 3))[1]


def leaky_cache():
    from cnnlab.activations import leaky_relu_forward
    return leaky_relu_forward(arr(2, 3))[1]


def sigmoid_cache():
    from cnnlab.activations import sigmoid_forward
    return sigmoid_forward(arr(2, 3))[1]


def seed_params():
    from cnnlab.seednet import init_seed_params
    return init_seed_params((8, 8), 3, rng=0)


def seed_cache():
    from cnnlab.seednet import seed_forward
    return seed_forward(arr(8, 8), seed_params())[1]


def seed_network_cache():
    from cnnlab.seednet import seed_network_forward
    return seed_network_forward(arr(2, 8, 8), seed_params())[1]


def cnn_params():
    from cnnlab.models import init_small_cnn
    return init_small_cnn(num_filters=2, image_shape=(8, 8))


def cnn_params_for(side):
    from cnnlab.models import init_small_cnn
    return init_small_cnn(num_filters=2, image_shape=(side, side))


def cnn_cache():
    from cnnlab.models import small_cnn_forward
    return small_cnn_forward(cnn_params(), arr(2, 1, 8, 8))[1]


def seed_params_kinds():
    def changed(**changes):
        params = seed_params()
        params.update(changes)
        return params
    missing = seed_params()
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
        params = cnn_params()
        params.update(changes)
        return params
    return [("a list", [1, 2]), ("None", None), ("an empty dict", {}),
            ("a NaN weight", changed(**{"conv1.weight": np.full((2, 1, 5, 5), np.nan)})),
            ("a bool bias", changed(**{"conv1.bias": np.ones(2, dtype=bool)})),
            ("a string dense weight", changed(**{"dense.weight": "w"})),
            ("a weight with the wrong channels",
             changed(**{"conv1.weight": np.ones((2, 3, 5, 5))}))]


# What a good call returns that must not share memory with an input

def first_output(out):
    return [out[0]]


def all_arrays(out):
    return [value for value in (out if isinstance(out, tuple) else (out,))
            if isinstance(value, np.ndarray)]


def dict_values(out):
    values = out[1].values() if isinstance(out, tuple) else out.values()
    return [value for value in values if isinstance(value, np.ndarray)]




# ----------------------------------------------------------------------------------------------
# Spec tables: one bad argument at a time
# ----------------------------------------------------------------------------------------------

def bad_calls(specs):
    """Every (spec, argument, kind, bad value) of ``specs``, as pytest parameters."""
    return [pytest.param(spec, argument, kind, value,
                         id=f"{spec.module}.{spec.name}-{argument}-{kind}")
            for spec in specs for argument, kinds in spec.bad.items() for kind, value in kinds]


def good_calls(specs):
    """Every spec of ``specs``, as pytest parameters."""
    return [pytest.param(spec, id=f"{spec.module}.{spec.name}") for spec in specs]


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


def assert_refused_naming_the_argument(spec, argument, kind, value):
    problem = try_bad_call(spec, argument, value)
    assert problem is None, f"{spec.name}({argument}={kind}): {problem}"


def untabled_functions(module_names, specs, exempt=None):
    """The public functions of ``cnnlab.<name>`` that have no row in ``specs``."""
    covered = {(spec.module, spec.name) for spec in specs}
    missing = []
    for name in module_names:
        module = importlib.import_module(f"cnnlab.{name}")
        for function_name in module.__all__:
            obj = getattr(module, function_name)
            if not callable(obj) or isinstance(obj, type) or obj.__module__ != module.__name__:
                continue
            if (name, function_name) not in covered and (
                    function_name not in (exempt or {}).get(name, ())):
                missing.append(f"{name}.{function_name}")
    return missing


def kinds_per_function(specs):
    """(module, function) -> how many kinds of bad input its rows try."""
    kinds = {}
    for spec in specs:
        for argument_kinds in spec.bad.values():
            kinds.setdefault((spec.module, spec.name), set()).update(
                kind for kind, _ in argument_kinds)
    return {name: len(k) for name, k in kinds.items()}


def _arrays_in(value):
    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _arrays_in(item)
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _arrays_in(item)


def assert_no_input_changes_and_no_output_is_a_view(spec):
    function = getattr(importlib.import_module(f"cnnlab.{spec.module}"), spec.name)
    kwargs = spec.good()
    before = copy.deepcopy(kwargs)
    out = function(**kwargs)
    for name, value in kwargs.items():
        for old, new in zip(_arrays_in(before[name]), _arrays_in(value), strict=True):
            np.testing.assert_array_equal(old, new, err_msg=f"{spec.name} changed {name}")
    primary = (spec.primary or all_arrays)(out)
    inputs = list(_arrays_in(kwargs))
    for result in primary:
        for given in inputs:
            assert not np.shares_memory(result, given), f"{spec.name}: output aliases an input"


# ----------------------------------------------------------------------------------------------
# Row tables: (what, call, error type, word the message must contain)
# ----------------------------------------------------------------------------------------------

NAN, INF = float("nan"), float("inf")


def rows(module, table):
    """A row table as pytest parameters ``(call, error, word)``, ids ``module:what``."""
    return [pytest.param(call, error, word, id=f"{module}:{what}")
            for what, call, error, word in table]


def assert_refused(call, error, word):
    """``call()`` raises ``error`` (not a warning, not an answer) whose message has ``word``."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")               # a warning is not an answer either
        with pytest.raises(error) as caught:
            call()
    assert word in str(caught.value), f"the message does not name {word!r}: {caught.value}"


def assert_many_rows(module, table):
    assert len(table) >= 6, module
    assert len({what for what, *_ in table}) == len(table), f"{module}: duplicate names"


def axes():
    """A fresh Axes (the test files close their figures after each test)."""
    fig, ax = plt.subplots()
    return ax


def ax_call(function, *args, **kwargs):
    fig, ax = plt.subplots()
    return function(ax, *args, **kwargs)


def outputs(result):
    """Every array in ``result`` (an array, or tuples, lists and dicts of them)."""
    if isinstance(result, np.ndarray):
        return [result]
    if isinstance(result, (tuple, list)):
        return [a for item in result for a in outputs(item)]
    if isinstance(result, dict):
        return [a for item in result.values() for a in outputs(item)]
    return []


def aliasing(table):
    """``(name, function, inputs)`` rows as pytest parameters ``(function, inputs)``."""
    return [pytest.param(function, inputs, id=name) for name, function, inputs in table]


def assert_inputs_unchanged_and_outputs_not_views(function, inputs):
    copies = [np.array(a, copy=True) for a in inputs]
    result = function(*inputs)
    for before, after in zip(copies, inputs, strict=True):
        np.testing.assert_array_equal(after, before)
    for out in outputs(result):
        if isinstance(out, np.ma.MaskedArray):
            out = out.data
        for given_array in inputs:
            assert not np.shares_memory(out, given_array), "an output is a view of an input"


# ----------------------------------------------------------------------------------------------
# python tests/bad_inputs.py: the counts per module
# ----------------------------------------------------------------------------------------------

# The test files holding tables: BAD_INPUTS (a Spec table) or BAD_ROWS (a row table).
TABLE_FILES = ["test_padding", "test_conv", "test_pooling", "test_activations", "test_seednet",
               "test_models", "engine/test_bad_inputs", "test_training", "test_evaluate",
               "test_data", "test_gradcheck", "test_losses", "test_dense", "ui/test_board",
               "test_plotting", "test_saving", "test_course", "ui/test_widgets",
               "ui/test_drawpad", "lessons/test_bad_inputs"]


def count():
    """Per module: (bad inputs tried, not refused properly), skipping functions it lacks."""
    import importlib.util
    from pathlib import Path

    warnings.simplefilter("ignore")
    results = {}

    def tally(module, problem):
        tried, failed = results.get(module, (0, 0))
        results[module] = (tried + 1, failed + (problem is not None))

    for stem in TABLE_FILES:
        path = Path(__file__).resolve().parent / f"{stem}.py"
        loader = importlib.util.spec_from_file_location(stem.replace("/", "_"), path)
        tests = importlib.util.module_from_spec(loader)
        loader.loader.exec_module(tests)
        for spec in getattr(tests, "BAD_INPUTS", []):
            try:
                module = importlib.import_module(f"cnnlab.{spec.module}")
            except ImportError:
                continue
            if not hasattr(module, spec.name):
                continue
            for argument, kinds in spec.bad.items():
                for _, value in kinds:
                    try:
                        problem = try_bad_call(spec, argument, value)
                    except Exception as error:                    # noqa: BLE001
                        problem = f"the good call itself failed: {error}"
                    tally(spec.module, problem)
        module = stem.rsplit("/", 1)[-1].removeprefix("test_")
        for _, call, error, word in getattr(tests, "BAD_ROWS", []):
            try:
                call()
                problem = "accepted"
            except error as caught:
                problem = None if word in str(caught) else "without the word"
            except Exception as caught:                           # noqa: BLE001
                problem = f"{type(caught).__name__}"
            plt.close("all")
            tally(module, problem)
    return results


if __name__ == "__main__":
    totals = count()
    for module, (tried, failed) in totals.items():
        print(f"{module:16s} tried {tried:4d}  not refused properly {failed:4d}")
    print(f"{'all':16s} tried {sum(t for t, _ in totals.values()):4d}  not refused properly "
          f"{sum(f for _, f in totals.values()):4d}")
    sys.exit(0)
