"""The lessons' helpers that notebooks call, given bad input: each is refused at the door with a
TypeError/ValueError naming the argument (the same Spec table as the textbook modules',
tests/bad_inputs.py), and every function a notebook calls has rows in some bad-input table.

Good calls are never run here (the panels have their own tests): each bad value must be refused
before any work, so the table is fast.  Flags that would start a long run (``run=True``) are
only given falsy bad values: without its door check, the call would be skipped and answer,
and the row fail.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
import re
from pathlib import Path

import numpy as np
import pytest
from bad_inputs import (
    TABLE_FILES,
    Spec,
    array_kinds,
    assert_refused_naming_the_argument,
    bad_calls,
    bool_kinds,
    cnn_params_kinds,
    float_kinds,
    kinds_per_function,
    seed_kinds,
    str_kinds,
)

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
TESTS = Path(__file__).resolve().parents[1]


def cnn28():
    from cnnlab.models import init_small_cnn
    return init_small_cnn(num_filters=2, seed=0)


def seed32():
    from cnnlab.seednet import init_seed_params
    return init_seed_params((32, 32), 5, rng=0)


def unit_image():
    return np.random.default_rng(0).random((28, 28))


def digit_kinds(name_ok_none=False):
    """Bad digits: out of range, negative, float, bool, string (and None unless allowed)."""
    kinds = [("out of range", 10), ("negative", -1), ("a float", 7.0), ("a bool", True),
             ("a string", "7"), ("a numpy float", np.float64(3.0))]
    return kinds if name_ok_none else kinds + [("None", None)]


def count_kinds(minimum=1, none_ok=False):
    """Bad counts: zero (when at least 1 is needed), negative, float, bool, string, None."""
    kinds = [("negative", -1), ("a float", 2.5), ("a whole float", 2.0), ("a bool", True),
             ("a string", "2")] + ([] if none_ok else [("None", None)])
    return kinds + [("zero", 0)] if minimum >= 1 else kinds


def list_kinds():
    return [("None", None), ("a string", "1 2"), ("floats", [1.5, 2.5]), ("empty", []),
            ("bools", [True, False]), ("a number", 3)]


def path_kinds():
    return [("a number", 3), ("a list", ["a.npz"]), ("bytes", b"a.npz")]


def params_kinds():
    from cnnlab.models import init_small_cnn
    kinds = cnn_params_kinds()       # a network for 8x8 images; the lessons' digits are 28x28
    return [(kind, value) for kind, value in kinds if kind != "a weight with the wrong channels"
            ] + [("a network for 32x32 images", init_small_cnn(num_filters=2,
                                                               image_shape=(32, 32)))]


# The helpers notebooks call, with a good call (never run here) and their bad values.
BAD_INPUTS = [
    Spec("lessons.lesson01", "kernel_editor", lambda: {"index": 5},
         {"index": count_kinds(0, none_ok=True) + [("out of range", 2000)]}),
    Spec("lessons.lesson01", "kernels_figure", lambda: {"index": 5},
         {"index": count_kinds(0, none_ok=True) + [("out of range", 5000)]}),
    Spec("lessons.lesson02", "padding_panel", lambda: {"kernel_size": 5},
         {"kernel_size": count_kinds() + [("bigger than the digit", 17)]}),
    Spec("lessons.lesson02", "modes_figure", lambda: {"width": 4},
         {"width": count_kinds() + [("too wide to reflect", 16)]}),
    Spec("lessons.lesson02", "shrinking_sizes",
         lambda: {"size": 28, "kernel_size": 5, "layers": 3},
         {"size": count_kinds(), "kernel_size": count_kinds(), "layers": count_kinds(0)}),
    Spec("lessons.lesson03", "sliding_window",
         lambda: {"size": 8, "kernel_name": "Sobel x (vertical edges)"},
         {"size": count_kinds() + [("smaller than the kernel", 2), ("too big", 19)],
          "kernel_name": str_kinds()}),
    Spec("lessons.lesson04", "feature_map", lambda: {"index": 5},
         {"index": count_kinds(0, none_ok=True) + [("out of range", 2000)]}),
    Spec("lessons.lesson04", "seed_f_pool", lambda: {"C": np.ones((4, 4))},
         # an odd side still raises the seed's own IndexError: notebook 04 shows that crash
         {"C": array_kinds(np.ones((4, 4)))}),
    Spec("lessons.lesson05", "example_params",
         lambda: {"kernel_name": "Sobel x (vertical edges)", "bias": 0.0, "seed": 0},
         {"kernel_name": str_kinds(), "bias": float_kinds(), "seed": seed_kinds()}),
    Spec("lessons.lesson05", "sigmoid_danger", lambda: {"z": -1000.0}, {
        "z": [("NaN", float("nan")), ("a string", "-1000"), ("None", None),
              ("a complex", 1j), ("a bool", True), ("an array of two", np.zeros((2, 2)))]}),
    Spec("lessons.lesson07", "seed_example", lambda: {"seed": 0, "tied": False},
         {"seed": seed_kinds(), "tied": bool_kinds()}),
    Spec("lessons.lesson08", "make_trainer", lambda: {"n_train": 200}, {
        "positive": digit_kinds(), "negative": digit_kinds() + [("the positive digit", 3)],
        "lr": float_kinds(positive=True), "n_train": count_kinds(none_ok=True),
        "seed": seed_kinds(),
        "fused": bool_kinds()}),
    Spec("lessons.lesson08", "seed_network_predictions", lambda: {"params": seed32()}, {
        "positive": digit_kinds(), "negative": digit_kinds(),
        "params": [("None", None), ("a list", [1, 2]), ("an empty dict", {}),
                   ("a 28x28 network", __import__("bad_inputs").seed_params())]}),
    Spec("lessons.lesson09", "time_loops_against_vectorised",
         lambda: {"sizes": (8, 10), "repeat": 1},
         {"sizes": list_kinds() + [("smaller than the kernel", [8, 3])],
          "kernel_size": count_kinds(), "repeat": count_kinds(), "seed": seed_kinds()}),
    Spec("lessons.lesson09", "time_block_against_layers",
         lambda: {"batch": 2, "filters": 2, "repeat": 1},
         {"batch": count_kinds(), "filters": count_kinds(), "repeat": count_kinds(),
          "seed": seed_kinds()}),
    Spec("lessons.lesson09", "timing_figure",
         lambda: {"result": {"sizes": [8], "loop_ms": [1.0], "vectorised_ms": [0.1]}},
         {"result": [("None", None), ("a list", [1, 2]), ("an empty dict", {}),
                     ("a key missing", {"sizes": [8], "loop_ms": [1.0]}), ("a string", "r"),
                     ("a number", 3)]}),
    Spec("lessons.lesson09", "subset_trainer", lambda: {"num_filters": 2}, {
        "num_filters": count_kinds(), "lr": float_kinds(positive=True),
        "batch_size": count_kinds(), "seed": seed_kinds()}),
    Spec("lessons.lesson10", "trained_network", lambda: {"epochs": 2, "seed": 0},
         {"epochs": count_kinds(), "seed": seed_kinds()}),
    Spec("lessons.lesson10", "kernels_figure", lambda: {"params": cnn28()},
         {"params": params_kinds()}),
    Spec("lessons.lesson10", "feature_maps_panel", lambda: {"params": cnn28()},
         {"params": [(k, v) for k, v in params_kinds() if v is not None]}),
    Spec("lessons.lesson10", "saliency_panel", lambda: {"params": cnn28()},
         {"params": [(k, v) for k, v in params_kinds() if v is not None]}),
    Spec("lessons.lesson10", "edit_panel", lambda: {"params": cnn28(), "start": (6, 4, 4)}, {
        "params": [(k, v) for k, v in params_kinds() if v is not None],
        "start": [("a string", "6 4 4"), ("two numbers", (6, 4)), ("a negative side", (-1, 4, 4)),
                  ("a side too big", (15, 4, 4)), ("a row out of the image", (6, 28, 4)),
                  ("floats", (6.0, 4, 4)), ("bools", (True, 4, 4)), ("a number", 6)]}),
    Spec("lessons.lesson10", "print_shift_predictions",
         lambda: {"params": cnn28(), "digit": 7, "shifts": range(-2, 3)}, {
             "digit": digit_kinds(), "shifts": list_kinds() + [("without 0", [1, 2])],
             "params": [(k, v) for k, v in params_kinds() if v is not None]}),
    Spec("lessons.lesson10", "print_cover_census",
         lambda: {"params": cnn28(), "digit": 7, "sizes": range(1, 3), "ask": 1}, {
             "digit": digit_kinds(), "ask": digit_kinds(name_ok_none=True),
             "sizes": list_kinds() + [("zero", [0, 1]), ("bigger than the image", [29])],
             "params": [(k, v) for k, v in params_kinds() if v is not None]}),
    Spec("lessons.lesson11", "flatten_panel", lambda: {"params": cnn28(), "image": unit_image()}, {
        "params": [(k, v) for k, v in params_kinds() if v is not None],
        "image": [(k, v) for k, v in array_kinds(unit_image()) if v is not None] + [
            ("a 0..255 image", np.full((28, 28), 255.0)), ("the wrong size", np.zeros((8, 8)))]}),
    Spec("lessons.lesson11", "train_full_mnist", lambda: {"run": False}, {
        "run": [("None", None), ("zero", 0), ("an empty string", ""), ("a float", 0.0)],
        "epochs": count_kinds(), "board": bool_kinds(), "seed": seed_kinds(),
        "path": path_kinds(), "save_to": path_kinds()}),
    Spec("lessons.lesson11", "trained_network", lambda: {"files": [], "epochs": 2}, {
        "files": [("None", None), ("a string", "a.npz"), ("numbers", [1, 2]), ("a number", 3),
                  ("bytes", [b"a.npz"])],
        "epochs": count_kinds()}),
]


@pytest.mark.parametrize(("spec", "argument", "kind", "value"), bad_calls(BAD_INPUTS))
def test_bad_input_to_a_lesson_helper_is_refused_naming_the_argument(spec, argument, kind,
                                                                     value, capsys):
    assert_refused_naming_the_argument(spec, argument, kind, value)


def test_at_least_six_kinds_of_bad_input_per_helper():
    few = {name: k for name, k in kinds_per_function(BAD_INPUTS).items() if k < 6}
    assert not few, few


# ---------------------------------------------------------------------------------------------
# Every function a notebook calls has rows in a bad-input table
# ---------------------------------------------------------------------------------------------

# Functions notebooks call that take no argument a learner passes, or whose rows live in a table
# of another form, and where.
NO_ROWS_NEEDED = {
    ("data", "load_mnist_subset"): "no arguments",
    ("course", "import_torch"): "no arguments",
    ("lessons.lesson00", "brightness_panel"): "no arguments",
    ("lessons.lesson00", "course_map"): "no arguments",
    ("lessons.lesson02", "border_digit"): "no arguments",
    ("lessons.lesson03", "arithmetic_panel"): "no arguments",
    ("lessons.lesson03", "flip_figure"): "no arguments",
    ("lessons.lesson04", "pooling_panel"): "no arguments",
    ("lessons.lesson04", "relu_figure"): "no arguments",
    ("lessons.lesson05", "forward_panel"): "no arguments",
    ("lessons.lesson06", "loss_curves_figure"): "no arguments",
    ("lessons.lesson06", "loss_surface_panel"): "no arguments",
    ("lessons.lesson07", "bug_zoo"): "no arguments",
    ("lessons.lesson07", "kernel_gradient_builder"): "no arguments",
    ("lessons.lesson07", "routing_figure"): "no arguments",
    ("lessons.lesson07", "step_size_lab"): "no arguments",
    ("lessons.lesson08", "training_panel"): "no arguments",
    ("lessons.lesson10", "start_digits"): "no arguments",
}

# Functions whose rows are in a row table (what, call, error, word): the words their rows'
# names start with, in that file.
IN_ROW_TABLES = {
    ("evaluate", "accuracy"): ("test_evaluate", "accuracy "),
    ("evaluate", "confusion_matrix"): ("test_evaluate", "confusion "),
    ("evaluate", "most_confident_mistakes"): ("test_evaluate", "mistakes "),
    ("evaluate", "plot_confusion_matrix"): ("test_evaluate", "plot_confusion "),
    ("evaluate", "show_mistakes"): ("test_evaluate", "show_mistakes "),
    ("evaluate", "shift_predictions"): ("test_evaluate", "shift_predictions "),
    ("evaluate", "cover_census"): ("test_evaluate", "cover_census "),
    ("gradcheck", "check_gradient"): ("test_gradcheck", "check "),
    ("gradcheck", "max_difference"): ("test_gradcheck", "max_difference "),
    ("gradcheck", "one_sided_slopes"): ("test_gradcheck", "slopes "),
    ("losses", "softmax_cross_entropy"): ("test_losses", "softmax "),
    ("data", "network_arrays"): ("test_data", "arrays "),
    ("plotting", "show_image"): ("test_plotting", "show_image "),
    ("train", "SGD"): ("test_training", "SGD "),
    ("train", "Trainer"): ("test_training", "Trainer "),
    ("ui.board", "TrainingBoard"): ("ui/test_board", "board "),
    ("course", "have"): ("test_course", "have "),
    ("saving", "load_network"): ("test_saving", "load_network "),
    ("saving", "save_network"): ("test_saving", "save_network "),
    ("ui.drawpad", "DrawPad"): ("ui/test_drawpad", "DrawPad "),
    ("ui.widgets", "Panel"): ("ui/test_widgets", "Panel "),
    ("ui.widgets", "LiveFigure"): ("ui/test_widgets", "LiveFigure "),
}


def _load(stem):
    path = TESTS / f"{stem}.py"
    spec = importlib.util.spec_from_file_location("table_" + stem.replace("/", "_"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def notebook_calls():
    """(module, function) of every cnnlab function a notebook calls or imports by name."""
    import cnnlab
    from cnnlab import lessons

    found = set()
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        for path in re.findall(r"\bcl\.([\w.]+)\s*\(", source):
            obj = cnnlab
            for part in path.split("."):
                obj = getattr(obj, part)
            found.add((obj.__module__.removeprefix("cnnlab."), obj.__name__))
        for lesson, name in re.findall(r"\b(lesson\d\d)\.(\w+)\s*\(", source):
            obj = getattr(importlib.import_module(f"cnnlab.lessons.{lesson}"), name)
            found.add((f"lessons.{lesson}", name))
            assert callable(obj) and hasattr(lessons, lesson)
        for module, names in re.findall(r"^from cnnlab\.([\w.]+) import (.+)$", source, re.M):
            for name in (n.strip() for n in names.split(",")):
                obj = getattr(importlib.import_module(f"cnnlab.{module}"), name)
                if inspect.isfunction(obj) or inspect.isclass(obj):
                    found.add((obj.__module__.removeprefix("cnnlab."), obj.__name__))
    return found


def test_notebooks_call_the_helpers_this_survey_expects():
    calls = notebook_calls()
    assert ("lessons.lesson10", "print_cover_census") in calls
    assert ("seednet", "seed_kernel_gradient_as_written") in calls      # imported by name
    assert len(calls) > 90


def test_every_function_a_notebook_calls_has_bad_input_rows():
    specs = {(spec.module, spec.name) for spec in BAD_INPUTS}
    rows = {}
    for stem in TABLE_FILES:
        tests = _load(stem)
        specs |= {(spec.module, spec.name) for spec in getattr(tests, "BAD_INPUTS", [])}
        rows[stem] = [what for what, *_ in getattr(tests, "BAD_ROWS", [])]
    missing = []
    for module, name in sorted(notebook_calls()):
        if name.startswith("check_") and module.startswith("lessons."):
            continue        # an exercise checker: its right answers and mistakes are its table
        if (module, name) in specs or (module, name) in NO_ROWS_NEEDED:
            continue
        where = IN_ROW_TABLES.get((module, name))
        if where and len([w for w in rows.get(where[0], []) if w.startswith(where[1])]) >= 3:
            continue
        missing.append(f"{module}.{name}")
    assert not missing, f"functions notebooks call with no (or under 3) bad-input rows: {missing}"
