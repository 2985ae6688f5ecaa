"""Lesson 06's mistake catalogues, as data: the exercises' inputs, the models of the mistakes
learners make (each the answer that mistake gives) and the hint that names it, and the two
checks that compare an answer with them.

:mod:`cnnlab.lessons.lesson06` declares the exercises themselves (task, idea, solution); its
tests (tests/lessons/test_lesson06.py) write each mistake out as a learner would and check that
its hint names it.
"""

from __future__ import annotations

import ast
import inspect
import textwrap

import numpy as np

from ..activations import sigmoid
from . import _check
from ._check import (
    CheckResult,
    compare_arrays,
    first_failure,
    run_function,
    same,
    show_value,
    source_mentions,
)

_Y_HAT = np.array([0.9, 0.2, 0.6, 0.05, 0.35])
_Y = np.array([1.0, 1.0, 0.0, 0.0, 1.0])
_LOSS_NAMES = ("squared_error", "bce")
_SIGMOID = "the sigmoid's derivative is y_hat (1 - y_hat)"

_OUTER = ("dL/dz (one number per image, N = 5) times w (one per feature, D = 7) element-wise "
          "cannot work: dL/dF has a row per image, np.outer(dL/dz, w), shape (N, D)")
_PRODUCT_EXCEPTIONS = [
    (ValueError, "shapes (5,) (7,)", _OUTER), (ValueError, "shapes (7,) (5,)", _OUTER),
    (ValueError, "matmul", "you used @ (a matrix product) where the shapes do not fit: dL/dw "
                           "= F.T @ dL/dz, one entry per weight; dL/dF = np.outer(dL/dz, w)"),
    (ValueError, "broadcast", "two arrays of different shapes met in an element-wise "
                              "operation: check which vector each product needs"),
]
_LOSS_EXCEPTIONS = [
    (KeyError, None, "a loss name your function does not know: the exercise passes "
                     "loss=\"squared_error\" or loss=\"bce\" (check the loss names)"),
] + _PRODUCT_EXCEPTIONS


def _right_grad_logit(y_hat, y, loss):
    return (y_hat - y) * y_hat * (1 - y_hat) if loss == "squared_error" else y_hat - y


def _grad_logit_mistakes(loss):
    chained = lambda y_hat, y, loss: (y_hat - y) * y_hat * (1 - y_hat)  # noqa: E731
    plain = lambda y_hat, y, loss: y_hat - y  # noqa: E731
    common = [(lambda y_hat, y, loss: np.mean(_right_grad_logit(y_hat, y, loss)),
               "return one value per entry of y_hat (element-wise), not their mean"),
              (lambda y_hat, y, loss: 0.5 * (y_hat - y) ** 2 if loss == "squared_error" else
               -(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)),
               "that is the loss L itself; dL/dz is its slope in z"),
              (lambda y_hat, y, loss: _right_grad_logit(y_hat, y, loss) / y.size,
               "you divided by the number of entries: dL/dz is per prediction, element-wise "
               "(a batch's mean loss divides by N later, in the layer's gradients)")]
    if loss == "bce":
        return [
            (chained, "for cross-entropy the sigmoid's derivative cancels: dL/dz = y_hat - y"),
            (lambda y_hat, y, loss: y - y_hat, "the sign is flipped: dL/dz = y_hat - y"),
            *[(lambda y_hat, y, loss, half=half: (y_hat - y) * half(y_hat), "for cross-entropy "
               "the sigmoid's derivative cancels entirely: dL/dz = y_hat - y, no factor")
              for half in (lambda v: v, lambda v: 1 - v)],       # half of y_hat (1 - y_hat)
            (lambda y_hat, y, loss: (y_hat - y) / (y_hat * (1 - y_hat)),
             "that is dL/dy_hat of cross-entropy; multiply it by dy_hat/dz = y_hat (1 - y_hat), "
             "which cancels its denominator: dL/dz = y_hat - y"),
        ] + common
    return [
        (plain, "you left out the sigmoid's derivative y_hat (1 - y_hat)"),
        (lambda y_hat, y, loss: -chained(y_hat, y, loss),
         "the sign is flipped: L grows with y_hat - y, so dL/dz has its sign"),
        (lambda y_hat, y, loss: 2 * chained(y_hat, y, loss),
         "twice too large: the 1/2 in L = 1/2 (y_hat - y)^2 cancels the 2 from the square"),
        (lambda y_hat, y, loss: 0.5 * chained(y_hat, y, loss),
         "half the right size: you kept the 1/2 of L = 1/2 (y_hat - y)^2, but the square's "
         "derivative brings a 2 that cancels it: dL/dy_hat = y_hat - y"),
        (lambda y_hat, y, loss: y_hat * (1 - y_hat),
         "that is dy_hat/dz alone: multiply it by dL/dy_hat = y_hat - y"),
        (lambda y_hat, y, loss: (y_hat - y) * y_hat,
         f"you left out the (1 - y_hat) factor: {_SIGMOID}"),
        (lambda y_hat, y, loss: (y_hat - y) * (1 - y_hat),
         f"you left out the y_hat factor: {_SIGMOID}"),
        (lambda y_hat, y, loss: (y_hat - y) * y * (1 - y),
         f"you used the target y in the sigmoid's derivative: {_SIGMOID}, of the prediction "
         f"(y (1 - y) is 0 for targets 0 and 1); or you rounded y_hat to 0 or 1 first "
         f"(np.round, astype(int)), which makes y_hat (1 - y_hat) 0 too: use y_hat as given"),
        (lambda y_hat, y, loss: (y_hat - y) * sigmoid(y_hat) * (1 - sigmoid(y_hat)),
         f"y_hat is already sigmoid(z): {_SIGMOID}, not sigmoid(y_hat) (1 - sigmoid(y_hat))"),
        (lambda y_hat, y, loss: (y_hat - y) ** 2 * y_hat * (1 - y_hat), "dL/dy_hat of "
         "1/2 (y_hat - y)^2 is y_hat - y (the square's slope), not (y_hat - y)^2"),
        (lambda y_hat, y, loss: (y_hat - y) * np.mean(y_hat * (1 - y_hat)),
         f"each entry has its own slope: {_SIGMOID} entry by entry, not its mean"),
        (lambda y_hat, y, loss: (y_hat - y) * y_hat * (1 + y_hat),
         f"(1 + y_hat) should be (1 - y_hat), a minus: {_SIGMOID}"),
        (lambda y_hat, y, loss: (y_hat - y) * y_hat * (1 - y),
         f"you used the target y in (1 - y): {_SIGMOID}, both factors of the prediction"),
    ] + common


def _compares_with_a_name(function):
    """Does ``function``'s source compare something with a string (``loss == "mse"``)?"""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return False
    return any(isinstance(node, ast.Compare) and any(
        isinstance(part, ast.Constant) and isinstance(part.value, str)
        for part in [node.left, *node.comparators]) for node in ast.walk(tree))


def check_grad_logit_answer(grad_logit):
    answers = {}
    for loss in _LOSS_NAMES:
        answers[loss], failure = run_function(grad_logit, _Y_HAT, _Y, loss, name="grad_logit",
                                              exception_hints=_LOSS_EXCEPTIONS)
        if failure is not None:
            return failure
    integer = [loss for loss in _LOSS_NAMES
               if isinstance(answers[loss], np.ndarray) and answers[loss].dtype.kind in "iub"]
    if integer:
        return CheckResult(False, f"grad_logit: for loss=\"{integer[0]}\" your function "
                                  f"returned whole numbers (dtype {answers[integer[0]].dtype}): "
                                  f"an int dtype (.astype(int), dtype=int) or int() cut the "
                                  f"fractions off, and every dL/dz here lies between -1 and 1; "
                                  f"keep float64")
    missing = [loss for loss in _LOSS_NAMES if answers[loss] is None]
    if len(missing) == 1:
        return CheckResult(False, f"grad_logit: your function returned None for "
                                  f"loss=\"{missing[0]}\": check the spelling of the loss "
                                  f"names (the exercise passes \"squared_error\" and \"bce\")")
    plain, chained = _Y_HAT - _Y, (_Y_HAT - _Y) * _Y_HAT * (1 - _Y_HAT)
    if same(answers["squared_error"], plain) and same(answers["bce"], chained):
        return CheckResult(False, "grad_logit: you swapped the two losses: the squared error "
                                  "keeps the sigmoid's derivative, cross-entropy loses it")
    if same(answers["squared_error"], plain) and same(answers["bce"],
                                                    plain / (_Y_HAT * (1 - _Y_HAT))):
        return CheckResult(False, "grad_logit: you returned dL/dy_hat for both losses; the "
                                  "chain rule multiplies it by dy_hat/dz = y_hat (1 - y_hat) "
                                  "to give dL/dz")
    if same(answers["squared_error"], plain) and same(answers["bce"], plain):
        named = source_mentions(grad_logit, "squared_error")
        if named is False and _compares_with_a_name(grad_logit):   # a branch never taken
            return CheckResult(False, "grad_logit (squared error): your `if` never matched: "
                                      "the exercise passes loss=\"squared_error\" (check the "
                                      "spelling: not \"mse\", an underscore, no space), so "
                                      "your function "
                                      "returned the cross-entropy answer y_hat - y")
        if named is None:
            return CheckResult(False, "grad_logit (squared error): you returned y_hat - y, the "
                                      "cross-entropy answer: either the sigmoid's derivative "
                                      "y_hat (1 - y_hat) is missing, or your `if` never matched "
                                      "loss == \"squared_error\" (check the spelling of the "
                                      "loss names)")
    if (same(answers["squared_error"], chained) and same(answers["bce"], chained)
            and source_mentions(grad_logit, "bce") is False
            and _compares_with_a_name(grad_logit)):                 # a branch never taken
        return CheckResult(False, "grad_logit (cross-entropy): your `if` never matched: the "
                                  "exercise passes loss=\"bce\" (check the spelling: lower "
                                  "case, not \"BCE\" or \"cross_entropy\"), so your function "
                                  "returned the squared error's answer there")
    return first_failure((_check.check_function(
        grad_logit, [(_Y_HAT, _Y, loss)], _right_grad_logit, _grad_logit_mistakes(loss),
        name=f"grad_logit ({label})", exception_hints=_LOSS_EXCEPTIONS)
        for loss, label in zip(_LOSS_NAMES, ("squared error", "cross-entropy"), strict=True)),
        "grad_logit: correct for both losses")


def _right_output(F, w, y_hat, y):
    g = (y_hat - y) * y_hat * (1 - y_hat) / y.size
    return F.T @ g, g.sum(), np.outer(g, w)


def check_output_layer_answer(output_layer_grads):
    rng = np.random.default_rng(6)
    F, w = rng.random((5, 7)) - 0.3, rng.standard_normal(7)
    y_hat, y = np.array([0.7, 0.15, 0.55, 0.92, 0.3]), np.array([0.0, 1.0, 0.0, 1.0, 1.0])
    answer, failure = run_function(output_layer_grads, F, w, y_hat, y, must_return=True,
                                   name="output_layer_grads", exception_hints=_PRODUCT_EXCEPTIONS)
    if failure is not None:
        return failure
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        got = f"{len(answer)} things" if isinstance(answer, (tuple, list)) else (
            type(answer).__name__)
        return CheckResult(False, f"output_layer_grads: return three things, "
                                  f"(grad_w, grad_bf, grad_F); got {got}")
    n, e = y.size, y_hat - y
    g = e * y_hat * (1 - y_hat) / n
    mean = "the loss is the mean over the N images: divide the sum by N"

    def family(make):
        return [(make(e / n), "you left out the sigmoid's derivative y_hat (1 - y_hat)"),
                (make(-g), "the sign is flipped: dL/dz = (y_hat - y) y_hat (1 - y_hat) / N"),
                (make(y_hat * (1 - y_hat) / n), "you left out dL/dy_hat = y_hat - y"),
                (make(2 * g), "twice too large: the 1/2 in the loss cancels the 2"),
                (make(g * n), mean), (make(e * y_hat * (1 - y) / n), "you used the target "
                                                                    "y in (1 - y): " + _SIGMOID),
                (make(e * y_hat * (1 + y_hat) / n), "(1 + y_hat) should be (1 - y_hat), a "
                                                    "minus: " + _SIGMOID),
                (make(e * y_hat * (1 - y_hat) // n), "// N is floor division: it rounded "
                                                     "every dL/dz_n down to a whole number (0 "
                                                     "or -1 here); divide with / N"),
                (make(g * n / F.shape[1]), f"you divided by D = {F.shape[1]} (F.shape[1], the "
                                           f"number of features); the loss is the mean over "
                                           f"the N = {n} images: divide by N = len(y) = "
                                           f"F.shape[0]")]

    checks = [
        ("dL/dw", answer[0], F.T @ g, [
            (g.sum() * F.mean(0), "dL/dw is a sum over the images of dL/dz_n times that image's "
                                  "features, F.T @ dL/dz, not a product of a sum and a mean"),
            (g.sum() * F.sum(0), "dL/dw is a sum of products, F.T @ dL/dz, not a product of "
                                 "sums: each image's features go with its own dL/dz_n"),
            (g.sum() * w, "you swapped F and w: dL/dw = F.T @ dL/dz (w multiplies F)"),
            (F.T @ g / n, "you divided by N twice: dL/dz already holds the mean's 1/N"),
            (F @ w * g, "dL/dw has one entry per weight: F.T @ dL/dz"),
            (g[:, None] * F, "that is one row per image, dL/dz_n times F[n]; w is shared by the "
                             "N images, so sum the rows: F.T @ dL/dz, shape (D,)"),
            ((g[:, None] * F).sum(axis=1), f"you summed over axis=1, the D = {F.shape[1]} "
                                           f"features, so you got one number per image (N = "
                                           f"{n}); dL/dw has one entry per weight: sum over "
                                           f"the images, axis=0, (dL/dz[:, None] * F).sum("
                                           f"axis=0) = F.T @ dL/dz")]
         + family(lambda d: F.T @ d)),
        ("dL/dbf", answer[1], g.sum(), [
            (g, "dL/dbf is one number: bf is one bias added for every image, so sum dL/dz over "
                "the images"),
            (g.mean(), mean + " once, not twice (the mean of dL/dz divides again)"),
            (g[0], "that is the first image's dL/dz only: bf is added for every image, so "
                   "dL/dbf sums dL/dz over all N images, grad_z.sum()"),
            (0.0, "your dL/dbf is 0: bf is added to every image's z, so it has a gradient, the "
                  "sum of dL/dz over the N images, grad_z.sum()")]
         + family(lambda d: d.sum())),
        ("dL/dF", answer[2], np.outer(g, w), [
            (g @ F, "you swapped F and w: dL/dF = np.outer(dL/dz, w), a row per image"),
            (g.sum() * w, "dL/dF has one row per image (shape (N, D)): np.outer(dL/dz, w)"),
            (np.outer(g, w).sum(0), "dL/dF has one row per image (shape (N, D)), not their "
                                    "sum"),
            (np.outer(w, g), "dL/dF is np.outer(dL/dz, w), one row per image, shape (N, D); "
                             "yours is transposed, (D, N)"),
            (np.outer(g, F.sum(0)), "F's gradient is dL/dz times what multiplied F, the weights "
                                    "w: np.outer(dL/dz, w)"),
            (g[:, None] * F, "you multiplied dL/dz by F itself; F's gradient is dL/dz times "
                             "what multiplied F, the weights w: np.outer(dL/dz, w)"),
            (np.outer(g, np.ones_like(w)), "you left out w: each feature's gradient is dL/dz_n "
                                           "times its weight, np.outer(dL/dz, w)")]
         + family(lambda d: np.outer(d, w))),
    ]
    rights = [expected for _, _, expected, _ in checks]
    for place, value in enumerate(answer):             # two gradients trade places
        others = [k for k, right in enumerate(rights) if k != place and same(value, right)
                  and same(answer[k], rights[place])]
        if others:
            return CheckResult(False, f"output_layer_grads: your item {place + 1} is "
                                      f"{checks[others[0]][0]}: return the three gradients in "
                                      f"the order (grad_w, grad_bf, grad_F)")
    # all three right but in another order (a 3-cycle; two that trade places are named above)
    gradient_names = ["grad_w", "grad_bf", "grad_F"]
    matches = [next((k for k, right in enumerate(rights) if same(value, right)), None)
               for value in answer]
    if sorted(m for m in matches if m is not None) == [0, 1, 2] and matches != [0, 1, 2]:
        yours = ", ".join(gradient_names[m] for m in matches)
        return CheckResult(False, f"output_layer_grads: all three gradients are right, but "
                                  f"in the wrong order: you returned ({yours}); return them "
                                  f"in the order (grad_w, grad_bf, grad_F)")
    shown = f"F={show_value(F)}, w={show_value(w)}, y_hat={show_value(y_hat)}, y={show_value(y)}"
    return first_failure((compare_arrays(value, expected, name, mistakes, shown=shown)
                          for name, value, expected, mistakes in checks),
                         "output_layer_grads: all three gradients are correct for a batch")
