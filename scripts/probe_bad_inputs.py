"""Probe every public function (cnnlab's and the lessons' helpers a notebook calls) with bad input.

For each function a good call is known (below, or from the function's defaults); the probe then
replaces one argument at a time by kinds of bad value derived from the good one (wrong types,
None, bool, NaN/inf, out-of-range digits and indices, zero or negative sizes, floats where
counts belong, 0..255 images where 0..1 belong, wrong ndim, empty arrays, mis-shaped dicts) and
also hands every array argument over read-only (which must work).  An outcome is:

- good: a TypeError/ValueError whose message names the argument;
- wrong name: a TypeError/ValueError that does not name it;
- raw: any other exception (IndexError, KeyError, AttributeError...) or a warning;
- silent: an answer (for a bad kind);
- changed input: the call wrote into an array it was given.

Run from the repository: ``python scripts/probe_bad_inputs.py [--module NAME] [--verbose]``.
It prints, per module, the bad inputs tried and how many went wrong, then each problem
(``--verbose``).  It never downloads and never trains for long (each call has 30 s).
The bad-input tables in tests/ are the tests; this is the survey that finds what they lack.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import importlib
import inspect
import io
import signal
import sys
import warnings
from collections import Counter, defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

MODULES = ["padding", "conv", "pooling", "activations", "losses", "dense", "seednet", "data",
           "models", "train", "evaluate", "gradcheck", "plotting", "saving", "course",
           "engine.blocks", "engine.pooling", "engine.networks", "engine.memory",
           "engine.threads", "ui.widgets", "ui.board", "ui.drawpad"]
LESSONS = [f"lessons.lesson{n:02d}" for n in range(12)]

# Functions the probe does not call with bad input, and why.
SKIP = {
    "data.load_mnist": "downloads (tests/test_data.py has its rows)",
    "data.load_mnist_subset": "no arguments",
    "lessons.lesson11.train_full_mnist": "trains on full MNIST (its run=False path is probed "
                                         "by its own rows)",
    "lessons.lesson11.trained_network": "trains",
    "lessons.lesson10.trained_network": "trains (probed through its arguments only)",
    "course.in_colab": "no arguments", "course.import_torch": "no arguments",
    "engine.threads.one_blas_thread": "no arguments",
    "train.History": "a record", "train.TrainingDiverged": "an exception",
    "data.MNIST": "a record", "engine.pooling.running_maximum": "an engine body's helper",
    "gradcheck.GradientReport": "a record", "saving.SavedNetwork": "a record",
    "lessons.lesson05.sigmoid_danger": "shows NumPy's overflow warning on purpose",
}

# (function or module prefix, argument, kind) a function rightly accepts: elementwise
# functions take any shape, pooling and padding work on the last two axes, 0 is a digit,
# shifts are signed, seed=None means fresh randomness, a title is free text.
ACCEPTED = [
    ("activations.", "x", "one more axis"), ("activations.", "x", "one axis fewer"),
    ("activations.", "x", "empty"), ("activations.", "logits", "one more axis"),
    ("activations.", "logits", "one axis fewer"), ("activations.", "axis", "negative"),
    ("pooling.", "x", "one more axis"), ("engine.pooling.", "x", "one more axis"),
    ("seednet.check_seed_inputs", "images", "one more axis"),
    ("padding.pad", "image", "one more axis"), ("padding.pad", "padding", "zero"),
    ("padding.pad_by_stacking", "p", "zero"), ("conv.conv_forward", "padding", "zero"),
    ("conv.check_conv_inputs", "bias", "None"), ("conv.conv_output_size", "size", "huge"),
    ("data.shift_image", "rows", "negative"), ("data.shift_image", "rows", "zero"),
    ("data.shift_image", "cols", "negative"), ("data.shift_image", "cols", "zero"),
    ("gradcheck.one_sided_slopes", "index", "negative"),
    ("", "seed", "None"), ("seednet.seed_training_loop", "steps", "zero"),
    ("", "cache", "a key missing"),       # harmless when the backward does not read that key
    ("conv.col2im", "padding", "zero"), ("saving.describe_architecture", "params",
                                         "a NaN parameter"),
    ("lessons.lesson02.shrinking_sizes", "layers", "zero"),
    ("ui.drawpad.rasterize", "polylines", "an empty list"),
    ("ui.drawpad.strokes_to_mnist", "strokes", "an empty list"),
    ("ui.drawpad.edit_digit", "strokes", "an empty list"),
    ("ui.drawpad.edit_digit", "canvas_size", "a float"),
    ("ui.drawpad.edit_digit", "canvas_size", "a whole float"),
    ("dense.flatten_forward", "x", "one more axis"),
    ("gradcheck.numerical_gradient", "x", "one more axis"),
    # the Trainer takes any loss function: its parameters meet their check at the first step
    ("train.Trainer", "params", "a parameter missing"),
    ("train.Trainer", "params", "a parameter of the wrong shape"),
    # a mismatch between two arguments may name either
    ("evaluate.accuracy", "predictions", "one axis fewer"),
    ("evaluate.plot_confusion_matrix", "fontsize", "a float"),
    ("evaluate.plot_confusion_matrix", "fontsize", "a whole float"),
    ("plotting.annotate_values", "fontsize", "a float"),
    ("plotting.annotate_values", "fontsize", "a whole float"),
    ("gradcheck.check_gradient", "inputs", "a parameter of the wrong shape"),
    ("gradcheck.check_gradient", "analytic", "a parameter missing"),      # a subset is fine
    ("gradcheck.check_gradient", "analytic", "a parameter of the wrong shape"),
    ("conv.im2col", "padding", "zero"), ("seednet.seed_conv2d_as_written", "p", "zero"),
    ("saving.load_first", "paths", "an empty list"),
    ("ui.drawpad.centre_of_mass", "image", "a 0..255 image"),
    ("lessons.lesson08.make_trainer", "n_train", "None"),
    ("ui.widgets.Panel", "redrawn", "None"), ("ui.board.TrainingBoard", "kernel_key",
                                              "a string"),
]
# Arguments that only name something in a message, and free text.
LABELS = {"name", "layer", "kind"}
FREE_TEXT = {"title", "suptitle", "trained_on", "what", "path", "kernel_key", "notebook",
             "colorbar_label", "fmt"}


def rand(*shape, low=0.0, high=1.0, seed=0):
    return np.random.default_rng(seed).uniform(low, high, size=shape)


def _cnn():
    from cnnlab.models import init_small_cnn
    return init_small_cnn(num_filters=8, seed=0)


def _seed_params():
    from cnnlab.seednet import init_seed_params
    return init_seed_params((28, 28), 5, rng=0)


def _figure_update_controls():
    import ipywidgets as w
    fig, ax = plt.subplots()
    image = ax.imshow(np.zeros((4, 4)), vmin=0, vmax=1)

    def update(value):
        image.set_data(np.full((4, 4), value / 10))
    return {"figure": fig, "update": update,
            "controls": {"value": w.IntSlider(min=0, max=10, value=3)}}


def _saved_path():
    import tempfile

    from cnnlab.saving import save_network
    path = tempfile.mkdtemp() + "/net.npz"
    save_network(path, _cnn())
    return path


# Good calls for the functions whose arguments have no defaults (kwargs factories).
GOOD = {
    "lessons.lesson04.seed_f_pool": lambda: {"C": rand(8, 8)},
    "lessons.lesson01.kernel_editor": lambda: {"index": 5},
    "lessons.lesson01.kernels_figure": lambda: {"index": 5},
    "lessons.lesson04.feature_map": lambda: {"index": 5},
    "lessons.lesson08.seed_network_predictions": lambda: {
        "params": __import__("cnnlab.seednet", fromlist=["x"]).init_seed_params((32, 32), 5,
                                                                                rng=0)},
    "lessons.lesson09.timing_figure": lambda: {
        "result": __import__("cnnlab.lessons.lesson09", fromlist=["x"])
        .time_loops_against_vectorised(sizes=(8,), repeat=1)},
    "lessons.lesson09.time_block_against_layers": lambda: {"batch": 4, "filters": 2,
                                                           "repeat": 1},
    "lessons.lesson09.time_loops_against_vectorised": lambda: {"sizes": (8, 10), "repeat": 1},
    "lessons.lesson10.kernels_figure": lambda: {"params": _cnn()},
    "lessons.lesson10.feature_maps_panel": lambda: {"params": _cnn()},
    "lessons.lesson10.saliency_panel": lambda: {"params": _cnn()},
    "lessons.lesson10.edit_panel": lambda: {"params": _cnn(), "start": (6, 4, 4)},
    "lessons.lesson10.print_shift_predictions": lambda: {"params": _cnn(), "digit": 7,
                                                         "shifts": range(-2, 3)},
    "lessons.lesson10.print_cover_census": lambda: {"params": _cnn(), "digit": 7,
                                                    "sizes": range(1, 3), "ask": 1},
    "lessons.lesson10.trained_network": lambda: {"epochs": 2, "seed": 0},
    "lessons.lesson11.flatten_panel": lambda: {"params": _cnn(), "image": rand(28, 28)},
    "lessons.lesson08.make_trainer": lambda: {"n_train": 200},
    "lessons.lesson09.subset_trainer": lambda: {"num_filters": 2},
    "seednet.seed_training_loop": lambda: {"steps": 3, "lr": 0.001, "seed": 0},
    "seednet.seed_output_gradient": lambda: {"y_hat": 0.7, "logit": 0.8472978603872037,
                                             "y": 1.0},
    "seednet.seed_loss": lambda: {"y_hat_or_logit": 0.7, "y": 1.0},
    "seednet.seed_kernel_gradient_as_written": lambda: {"image": rand(8, 8),
                                                        "grad_conv": rand(8, 8),
                                                        "kernel_size": 3},
    "seednet.seed_conv2d_as_written": lambda: {"I": rand(8, 8), "K": rand(3, 3), "p": 1},
    "activations.log_softmax": lambda: {"logits": rand(2, 5, low=-3, high=3)},
    "data.parse_idx": lambda: {"source": b"\x00\x00\x08\x01\x00\x00\x00\x02\x05\x07"},
    "data.prepare_images": lambda: {"images": (rand(2, 4, 4) * 255).astype(np.uint8)},
    "data.shift_image": lambda: {"image": rand(8, 8), "rows": 1, "cols": -2},
    "data.two_digit_task": lambda: {"n_train": 20, "n_test": 10},
    "data.iterate_minibatches": lambda: {"images": rand(10, 4, 4),
                                         "labels": np.arange(10) % 3, "batch_size": 4},
    "models.saliency": lambda: {"params": _cnn(), "image": rand(28, 28), "label": 3},
    "models.predict_proba": lambda: {"params": _cnn(), "images": rand(3, 1, 28, 28)},
    "evaluate.shift_predictions": lambda: {"params": _cnn(), "image": rand(28, 28),
                                           "label": 3, "shifts": range(-2, 3)},
    "evaluate.cover_census": lambda: {"params": _cnn(), "image": rand(28, 28), "label": 3,
                                      "sizes": range(1, 3)},
    "evaluate.most_confident_mistakes": lambda: {
        "probabilities": np.full((6, 10), 0.1) + np.eye(10)[[1, 2, 3, 4, 5, 6]] * 0.5,
        "labels": np.array([1, 2, 0, 0, 5, 6]), "k": 2},
    "evaluate.show_mistakes": lambda: {
        "images": rand(6, 28, 28), "probabilities": np.full((6, 10), 0.1),
        "labels": np.arange(6), "indices": np.array([0, 2])},
    "gradcheck.one_sided_slopes": lambda: {"loss": lambda a: float(np.sum(a ** 2)),
                                           "array": rand(3, 3), "index": (1, 2)},
    "gradcheck.max_difference": lambda: {"a": rand(3, 3), "b": rand(3, 3, seed=1)},
    "gradcheck.rel_error": lambda: {"a": rand(3, 3), "b": rand(3, 3, seed=1)},
    "saving.save_network": lambda: {"path": __import__("tempfile").mkdtemp() + "/n.npz",
                                    "params": _cnn()},
    "saving.load_network": lambda: {"path": _saved_path()},
    "saving.load_first": lambda: {"paths": [_saved_path()]},
    "saving.describe_architecture": lambda: {"params": _cnn()},
    "course.colab_url": lambda: {"notebook": "00_start_here.ipynb"},
    "course.colab_badge": lambda: {"notebook": "00_start_here.ipynb"},
    "course.have": lambda: {"torch": None, "what": "this"},
    "engine.threads.blas_threads": lambda: {"count": 1},
    "ui.widgets.LiveFigure": lambda: {"figure": plt.subplots()[0]},
    "ui.widgets.Panel": _figure_update_controls,
    "ui.drawpad.rasterize": lambda: {"polylines": [np.array([[0.2, 0.2], [0.8, 0.8]])],
                                     "radius": 0.05},
    "ui.drawpad.centre_of_mass": lambda: {"image": rand(28, 28)},
    "ui.drawpad.strokes_to_mnist": lambda: {"strokes": [[[40, 40], [200, 200]]]},
    "ui.drawpad.edit_digit": lambda: {"image": rand(28, 28), "strokes": [[[40, 40],
                                                                          [200, 200]]]},
    "ui.drawpad.network_view": lambda: {"params": _cnn(), "image": rand(28, 28)},
    "ui.drawpad.view_figure": lambda: {"params": _cnn(), "image": rand(28, 28)},
    "ui.drawpad.DrawPad": lambda: {"params": _cnn()},
    "ui.board.TrainingBoard": lambda: {},
    "losses.squared_error": lambda: {"y_hat": rand(3), "y": rand(3, seed=1)},
    "losses.binary_cross_entropy_with_logits": lambda: {"logits": rand(3, low=-2, high=2),
                                                        "y": np.array([0.0, 1.0, 1.0])},
    "losses.softmax_cross_entropy": lambda: {"logits": rand(2, 5, low=-2, high=2),
                                             "labels": np.array([1, 3])},
    "dense.dense_forward": lambda: {"x": rand(2, 3), "weight": rand(3, 4), "bias": rand(4)},
    "dense.dense_backward": lambda: {"grad_out": rand(2, 4), "cache": __import__(
        "cnnlab.dense", fromlist=["x"]).dense_forward(rand(2, 3), rand(3, 4), rand(4))[1]},
    "dense.flatten_forward": lambda: {"x": rand(2, 3, 4)},
    "dense.flatten_backward": lambda: {"grad_out": rand(2, 12), "cache": __import__(
        "cnnlab.dense", fromlist=["x"]).flatten_forward(rand(2, 3, 4))[1]},
    "train.Trainer": lambda: {
        "params": _cnn(), "loss_fn": __import__("cnnlab.models", fromlist=["x"]).small_cnn_loss,
        "optimizer": __import__("cnnlab.train", fromlist=["x"]).SGD(),
        "train_images": rand(4, 1, 28, 28), "train_labels": np.array([0, 1, 2, 3])},
    "evaluate.accuracy": lambda: {"predictions": rand(4, 3), "labels": np.array([0, 1, 2, 0])},
    "evaluate.confusion_matrix": lambda: {"labels": np.array([0, 1, 2, 0]),
                                          "predictions": np.array([0, 2, 2, 0]),
                                          "num_classes": 3},
    "evaluate.per_class_accuracy": lambda: {"matrix": np.array([[3, 1], [0, 4]])},
    "evaluate.plot_confusion_matrix": lambda: {"ax": plt.subplots()[1],
                                               "matrix": np.array([[3, 1], [0, 4]])},
    "evaluate.plot_probabilities": lambda: {"ax": plt.subplots()[1],
                                            "probabilities": np.full(10, 0.1)},
    "gradcheck.numerical_gradient": lambda: {"function": lambda a: float(np.sum(a ** 2)),
                                             "x": rand(3)},
    "gradcheck.check_gradient": lambda: {"function": lambda x: float(np.sum(x ** 2)),
                                         "inputs": {"x": rand(3)},
                                         "analytic": {"x": 2 * rand(3)}},
    "plotting.show_image": lambda: {"ax": plt.subplots()[1], "image": rand(4, 4),
                                    "title": "t"},
    "plotting.annotate_values": lambda: {"ax": plt.subplots()[1], "array": rand(3, 3)},
    "plotting.image_grid": lambda: {"images": rand(2, 4, 4), "titles": ["a", "b"]},
}

# Array arguments that hold images with values in 0..1 (a 0..255 image is refused).
UNIT_IMAGES = {"lessons.lesson11.flatten_panel": ("image",),
               "ui.drawpad.centre_of_mass": ("image",), "ui.drawpad.edit_digit": ("image",),
               "ui.drawpad.network_view": ("image",), "ui.drawpad.view_figure": ("image",)}
# Integer arguments that are digits (0..9) or indices into something small.
INDEX_ARGS = {"digit", "index", "label", "ask", "positive", "negative"}
OUT_OF_RANGE = {"index": 2000}          # the shipped test set's size


def _tables_good_calls():
    """The good calls of the Spec tables in tests/ (padding, conv, ... engine)."""
    import importlib.util
    from pathlib import Path
    tests = Path(__file__).resolve().parent.parent / "tests"
    sys.path.insert(0, str(tests))
    good = {}
    for stem in ["test_padding", "test_conv", "test_pooling", "test_activations",
                 "test_seednet", "test_models", "engine/test_bad_inputs", "test_dense",
                 "test_losses"]:
        spec = importlib.util.spec_from_file_location(stem.replace("/", "_"),
                                                      tests / f"{stem}.py")
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception:                                             # noqa: BLE001
            continue
        for row in getattr(module, "BAD_INPUTS", []):
            good.setdefault(f"{row.module}.{row.name}", row.good)
    return good


def public_functions():
    """(module name, function name, function) of every public function probed."""
    found = []
    for name in MODULES + LESSONS:
        module = importlib.import_module(f"cnnlab.{name}")
        names = getattr(module, "__all__", None)
        if names is None or name.startswith("lessons"):
            names = [n for n in vars(module) if not n.startswith("_")]
        for function_name in names:
            obj = getattr(module, function_name)
            if callable(obj) and getattr(obj, "__module__", "") == module.__name__:
                found.append((name, function_name, obj))
    return found


def kinds_for(qualified, argument, good):
    """The kinds of bad value for ``argument`` whose good value is ``good``."""
    kinds = []
    if callable(good) and not isinstance(good, (np.ndarray, type)):
        return [("None", None), ("a string", "f"), ("a number", 3)]
    if isinstance(good, (bool, np.bool_)):
        return [("a string", "no"), ("an int", 1), ("None", None), ("a float", 0.0)]
    if isinstance(good, (int, np.integer)):
        kinds = [("None", None), ("a bool", True), ("a float", 1.5), ("a string", "2"),
                 ("negative", -1), ("a whole float", float(good) + 1.0)]
        if good >= 1 and argument not in INDEX_ARGS:
            kinds.append(("zero", 0))
        if argument in INDEX_ARGS:
            kinds.append(("out of range", OUT_OF_RANGE.get(argument, 10)))
        return kinds
    if isinstance(good, float):
        return [("None", None), ("NaN", float("nan")), ("inf", float("inf")),
                ("a string", "0.1"), ("a bool", True), ("a complex", 1j)]
    if isinstance(good, str):
        kinds = [("None", None), ("a number", 3.5), ("a bool", True)]
        return kinds if argument in FREE_TEXT else kinds + [("an unknown name", "nope")]
    if isinstance(good, range) or (isinstance(good, tuple) and good and all(
            isinstance(v, int) for v in good)):
        return [("None", None), ("a string", "ab"), ("floats", (1.5, 2.5)),
                ("empty", ()), ("bools", (True, False)), ("negative", tuple(-abs(v) - 1
                                                                             for v in good))]
    if isinstance(good, dict):
        kinds = [("None", None), ("a list", [1, 2]), ("an empty dict", {})]
        arrays = [k for k, v in good.items() if isinstance(v, np.ndarray)]
        if "layer" in good:                   # a cache: made by a forward, read by a backward
            missing = dict(good)
            del missing[next(k for k in good if k != "layer")]
            return kinds + [("a key missing", missing)]
        if arrays:
            nan = copy.deepcopy(good)
            nan[arrays[0]] = np.full(good[arrays[0]].shape, np.nan)
            missing = copy.deepcopy(good)
            del missing[arrays[-1]]
            flat = copy.deepcopy(good)
            flat[arrays[0]] = good[arrays[0]].ravel()
            kinds += [("a NaN parameter", nan), ("a parameter missing", missing),
                      ("a parameter of the wrong shape", flat)]
        return kinds
    if isinstance(good, np.ndarray) and good.dtype.kind in "iuf":
        kinds = [("None", None), ("a string", "abc"), ("a bool array", good.astype(bool)),
                 ("a complex array", good.astype(complex)),
                 ("one more axis", good[None]), ("empty", good[:0])]
        if good.ndim > 1:
            kinds.append(("one axis fewer", good.reshape(-1)))
        if good.dtype.kind == "f" and good.size:
            nan, inf = good.copy(), good.copy()
            nan.flat[0], inf.flat[0] = np.nan, np.inf
            kinds += [("NaN", nan), ("inf", inf)]
        module, _, name = qualified.rpartition(".")
        if argument in UNIT_IMAGES.get(qualified, ()) or (
                qualified in UNIT_IMAGES and not UNIT_IMAGES[qualified]):
            kinds.append(("a 0..255 image", np.round(good * 255)))
        return kinds
    if isinstance(good, list) and good:
        return [("None", None), ("a string", "ab"), ("an empty list", []),
                ("a number", 3.5)]
    if good is None:                # an optional argument of unknown type: GOOD gives a value
        return []
    return [("None", None), ("a string", "abc")]


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout("took over 30 s")


def _arrays(value):
    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _arrays(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _arrays(item)


def _run(function, kwargs):
    """(exception or None, warnings, changed input?)"""
    before = copy.deepcopy({k: list(_arrays(v)) for k, v in kwargs.items()})
    caught = None
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(30)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            with np.errstate(all="warn"), contextlib.redirect_stdout(io.StringIO()):
                result = function(**kwargs)
                if hasattr(result, "__enter__") and hasattr(result, "__exit__") and not (
                        hasattr(result, "figure")):
                    with result:          # a context manager checks when it is entered
                        pass
        except Exception as error:                                    # noqa: BLE001
            caught = error
        finally:
            signal.alarm(0)
            plt.close("all")
    changed = any(not np.array_equal(a, b, equal_nan=True)
                  for k, v in kwargs.items() for a, b in zip(before[k], _arrays(v), strict=False)
                  if isinstance(b, np.ndarray) and a.shape == b.shape)
    warned = [w for w in seen if not issubclass(w.category, DeprecationWarning)]
    return caught, warned, changed


def verdict(argument, caught, warned, changed, must_fail):
    if changed:
        return "changed input"
    if caught is None:
        if warned:
            return f"warning {warned[0].category.__name__}: {warned[0].message}"
        return "silent" if must_fail else None
    if isinstance(caught, Timeout):
        return "timeout"
    if isinstance(caught, FileNotFoundError) and argument in str(caught) and must_fail:
        return None                 # a path to no file, said with the argument's name
    if isinstance(caught, (TypeError, ValueError)):
        message = str(caught)
        if must_fail is False:
            return f"refused a good input: {type(caught).__name__}: {message[:100]}"
        if must_fail is None:                   # may be taken or refused
            return None
        wanted = argument.split("_")[0] if argument in ("image_shape", "x_shape") else argument
        return None if wanted in message else (
            f"wrong name: {type(caught).__name__}: {message[:120]}")
    return f"raw {type(caught).__name__}: {str(caught)[:120]}"


def _matches(qualified, prefix):
    """A function's own name, or any function of a module named ``module.``."""
    return qualified == prefix or prefix == "" or (prefix.endswith(".") and
                                                   qualified.startswith(prefix))


def probe(only=None):
    good_calls = _tables_good_calls()
    results = defaultdict(lambda: [0, 0])
    problems = defaultdict(list)
    for module_name, function_name, function in public_functions():
        qualified = f"{module_name}.{function_name}"
        if qualified in SKIP or (only and not module_name.startswith(only)):
            continue
        if function_name.startswith("check_") and module_name.startswith("lessons"):
            continue            # exercise checkers take the learner's function (their tables)
        try:
            parameters = inspect.signature(function).parameters
        except (TypeError, ValueError):
            continue
        factory = GOOD.get(qualified) or good_calls.get(qualified)
        if factory is None:
            if any(p.default is inspect.Parameter.empty and p.kind not in (
                    p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters.values()):
                problems[module_name].append(f"{function_name}: no good call known")
                continue
            factory = dict
        defaults = {n: p.default for n, p in parameters.items()
                    if p.default is not inspect.Parameter.empty}
        caught, warned, changed = _run(function, factory())
        if caught is not None or warned or changed:
            problems[module_name].append(f"{function_name}: the good call failed: "
                                         f"{caught!r} {warned[:1]} changed={changed}")
            continue
        for argument in parameters:
            if parameters[argument].kind in (inspect.Parameter.VAR_POSITIONAL,
                                             inspect.Parameter.VAR_KEYWORD):
                continue
            good = factory().get(argument, defaults.get(argument))
            if argument in LABELS or (qualified, argument) == ("course.have", "torch"):
                continue
            # must_fail: True for a bad kind, None for one a function may take or refuse by
            # name (ACCEPTED), False for an input that must work (read-only arrays)
            cases = [(kind, value, None if any(_matches(qualified, prefix) and argument == a
                                               and kind == k for prefix, a, k in ACCEPTED)
                      else True)
                     for kind, value in kinds_for(qualified, argument, good)
                     if not (value is None and defaults.get(argument, 0) is None)]
            if isinstance(good, np.ndarray):
                read_only = good.copy()
                read_only.setflags(write=False)
                cases.append(("read-only", read_only, False))
            for kind, value, must_fail in cases:
                kwargs = factory()
                kwargs[argument] = value
                problem = verdict(argument, *_run(function, kwargs), must_fail)
                results[module_name][0] += 1
                if problem:
                    results[module_name][1] += 1
                    problems[module_name].append(f"{function_name}({argument}={kind}): "
                                                 f"{problem}")
    return results, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", help="only modules whose name starts with this")
    parser.add_argument("--verbose", action="store_true", help="list every problem")
    args = parser.parse_args()
    results, problems = probe(args.module)
    total = Counter()
    for module, (tried, failed) in results.items():
        print(f"{module:20s} tried {tried:4d}  went wrong {failed:4d}")
        total.update(tried=tried, failed=failed)
    print(f"{'all':20s} tried {total['tried']:4d}  went wrong {total['failed']:4d}")
    if args.verbose:
        for module, lines in problems.items():
            for line in lines:
                print(f"{module}.{line}")


if __name__ == "__main__":
    main()
