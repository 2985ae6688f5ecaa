"""Lesson 05's mistake catalogues, as data: the exercises' inputs, the models of the mistakes
learners make (each the answer that mistake gives) and the hint that names it, the hints for the
exceptions a wrong answer raises, and the sigmoid's check (right values, then no overflow).

:mod:`cnnlab.lessons.lesson05` declares the exercises themselves (task, idea, solution); its
tests (tests/lessons/test_lesson05.py) write each mistake out as a learner would and check that
its hint names it.
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid
from ..conv import conv2d
from ..pooling import avg_pool, max_pool
from ..seednet import init_seed_params
from ._check import CheckResult, check_function, run_function

_rng = np.random.default_rng(5)
_IMAGE = _rng.random((8, 8))
_PARAMS = init_seed_params((8, 8), 3, rng=_rng, scale=0.5)
_KERNEL = np.array([[1.0, -2.0, 0.5], [0.0, 1.5, -1.0], [-0.5, 1.0, -1.5]])  # mixed signs
_KERNEL5 = np.round(_rng.uniform(-1, 1, size=(5, 5)), 2)       # 'same' is padding 2, not 1
# Negative biases switch off part of C and a positive one lifts it: the ReLU, and where the
# bias goes, change y_hat in every case.
FORWARD_CASES = [(_IMAGE, _KERNEL, -0.3, _PARAMS["weight"], 0.2),
                 (_IMAGE[::-1], _KERNEL.T, 0.4, _PARAMS["weight"][::-1].copy(), -0.1),
                 (_IMAGE, -_KERNEL, -1.0, _PARAMS["weight"], 0.0),
                 (_IMAGE.T, _KERNEL5, -0.2, _PARAMS["weight"], 0.3),
                 # responses up to about 11 (a ReLU capped at 1 or 6 shows), small weights so
                 # that y_hat stays away from 0 and 1
                 (3 * _IMAGE, _KERNEL, 1.0, 0.1 * _PARAMS["weight"], -0.2)]


def _forward_model(image, kernel, bias, weight, out_bias, relu=True, pool="max",
                   bias_after=False, squash=sigmoid, conv_bias=True, flip=False, out_b=True,
                   order="C", reduce=np.sum):
    """The forward pass with one step changed, to recognise a mistake."""
    conv = conv2d(image, kernel[::-1, ::-1] if flip else kernel, padding="same")
    pre = conv + (bias if conv_bias and not bias_after else 0.0)
    rect = (relu(pre) if callable(relu) else np.maximum(pre, 0)) if relu else pre
    if bias_after:
        rect = rect + bias
    pooled = max_pool(rect, 2) if pool == "max" else avg_pool(rect, 2)
    z = reduce(pooled.ravel(order=order) * weight) + (out_bias if out_b else 0.0)
    return float(squash(z)) if squash else float(z)


def right_forward(image, kernel, bias, weight, out_bias):
    return _forward_model(image, kernel, bias, weight, out_bias)


def _forward_padded(image, kernel, bias, weight, out_bias, padding=0, sign=1.0):
    """The forward pass with a fixed padding (its dense layer takes as many weights as there
    are pooled values) or the output bias subtracted (sign -1)."""
    pooled = max_pool(np.maximum(conv2d(image, kernel, padding=padding) + bias, 0), 2).ravel()
    return float(sigmoid(pooled @ weight[:pooled.size] + sign * out_bias))


FORWARD_MISTAKES = [
    (lambda *a: _forward_padded(*a, padding=0),
     "you left out the padding (a 'valid' convolution): C must keep the image's size, "
     "conv2d(image, kernel, padding='same'), so that the pool gives 4x4 = 16 values, one per "
     "weight"),
    (lambda *a: _forward_padded(*a, padding=1),
     "padding 1 keeps the size only for a 3x3 kernel; this case's 5x5 kernel needs 2 "
     "((k - 1) // 2): write padding='same'"),
    (lambda *a: _forward_padded(*a, padding="same", sign=-1.0),
     "you subtracted out_bias; the dense layer adds it: z = pooled.ravel() @ weight + "
     "out_bias"),
    (lambda *a: _forward_model(*a, relu=False), "you skipped the ReLU after adding the bias "
                                                "(negative responses must become 0)"),
    (lambda *a: _forward_model(*a, bias_after=True), "you added the bias after the ReLU; the "
                                                     "seed adds b first, then rectifies: "
                                                     "ReLU(C + b)"),
    (lambda *a: _forward_model(*a, squash=None), "that is the logit z; y_hat is sigmoid(z)"),
    (lambda *a: _forward_model(*a, conv_bias=False), "you forgot to add the conv bias b to "
                                                     "every cell of C"),
    (lambda *a: _forward_model(*a, pool="avg"), "that is average pooling; the seed network "
                                                "max-pools"),
    (lambda *a: _forward_model(*a, flip=True), "you flipped the kernel; cl.conv2d already "
                                               "computes what CNNs compute (no flip)"),
    (lambda *a: _forward_model(*a, out_b=False), "you forgot the output bias: "
                                                 "z = w . f + out_bias"),
    (lambda *a: 1.0 - _forward_model(*a), "that is 1 - y_hat: check the sign inside the "
                                          "sigmoid, 1 / (1 + exp(-z))"),
    (lambda *a: _forward_model(*a, squash=np.tanh), "that is tanh(z); y_hat is sigmoid(z) = "
                                                    "1 / (1 + exp(-z))"),
    (lambda *a: _forward_model(*a, out_b=False) + a[4], "you added out_bias after the "
                                                        "sigmoid; it goes inside: "
                                                        "sigmoid(w . f + out_bias)"),
    (lambda im, k, *a: _forward_model(im, k.T, *a), "you transposed the kernel: the seed "
                                                     "slides it as it is"),
    (lambda im, k, *a: _forward_model(im, k[::-1], *a), "you turned the kernel upside down"),
    (lambda im, k, b, *a: _forward_model(im, k, -b, *a), "check the sign of the bias: C + b"),
    (lambda im, k, b, w, bf: _forward_model(im, k, b, w[::-1], bf), "you reversed the weights; "
                                                                    "w[i] goes with f[i]"),
    (lambda im, *a: _forward_model(im.T, *a), "you transposed the image"),
    (lambda im, *a: _forward_model(im / 255, *a), "you divided the image by 255; it is already "
                                                  "scaled to 0..1"),
    (lambda *a: _forward_model(*a, order="F"), "you flattened the pooled map column by column "
                                               "(.T.ravel() or order='F'); the seed flattens "
                                               "row by row: pooled.ravel()"),
    (lambda *a: _forward_model(*a, relu=lambda c: np.where(c > 0, c, 0.01 * c)),
     "that is a leaky ReLU (0.01 * C where C < 0); the seed's ReLU sets negative responses "
     "to 0: np.maximum(C + b, 0)"),
    (lambda *a: _forward_model(*a, relu=lambda c: np.clip(c, 0, 1)),
     "np.clip(C + b, 0, 1) caps the responses at 1 as well; the ReLU only sets negative ones "
     "to 0: np.maximum(C + b, 0)"),
    (lambda *a: _forward_model(*a, relu=lambda c: np.clip(c, 0, 6)),
     "your ReLU caps the responses at 6 (ReLU6, np.clip(..., 0, 6)); the seed's ReLU only sets "
     "negative ones to 0: np.maximum(C + b, 0)"),
    (lambda *a: _forward_model(*a, relu=sigmoid),
     "you squashed C + b with the sigmoid where the ReLU belongs; the sigmoid comes once, at "
     "the end, on z: ReLU first, np.maximum(C + b, 0)"),
    (lambda im, k, b, w, bf: _forward_model(im, k + b, 0.0, w, bf),
     "you added the bias to the kernel's weights (kernel + b); it is added to every cell of "
     "the feature map: conv2d(image, kernel, padding='same') + b"),
    (lambda *a: _forward_model(*a, relu=np.abs),
     "you took the absolute value (np.abs) where the ReLU belongs: ReLU sets negative "
     "responses to 0, np.maximum(C + b, 0)"),
    (lambda *a: _forward_model(*a, conv_bias=False, out_b=False),
     "you forgot both biases: add b to every cell of C before the ReLU, ReLU(C + b), and "
     "out_bias to z = w . f + out_bias"),
    (lambda im, k, b, w, bf: float(sigmoid(_forward_model(im, k, b, w, bf, squash=None,
                                                          out_b=False) + bf * np.sum(w))),
     "you added out_bias to every feature before the dot product: (f + out_bias) . w adds "
     "out_bias times the sum of the weights; it is added once, to z = w . f + out_bias"),
    (lambda *a: int(_forward_model(*a)),
     "your answer is 0, a whole number: int() (or //) cut y_hat, a probability between 0 and "
     "1, down to 0, or you returned the predicted label (y_hat > 0.5 gives 0 or 1); forward "
     "returns the probability y_hat itself, a float"),
    (lambda *a: float(_forward_model(*a) > 0.5),
     "that is the predicted label (y_hat > 0.5 gives 0 or 1); forward returns the "
     "probability y_hat itself"),
    (lambda *a: round(_forward_model(*a)), "that is the predicted label (y_hat rounded to 0 "
                                           "or 1); forward returns the probability y_hat"),
    (lambda im, k, b, w, bf: _forward_model(im, k, b, w, 2 * bf),
     "you added out_bias twice: z = w . f + out_bias"),
    (lambda *a: _forward_model(*a, reduce=np.mean),
     "you averaged the 16 products (np.mean); z is their sum, pooled.ravel() @ weight, "
     "plus out_bias"),
    (lambda im, k, b, w, bf: _forward_model(im, b * k, 0.0, w, bf),
     "you multiplied the feature map by the bias; the bias is added: C + b"),
]
_SMALL_C = ("your feature map C is smaller than the 8x8 image (no padding, or a fixed padding=1, "
            "which is 'same' only for a 3x3 kernel; this case's kernel is 5x5): pass "
            "padding='same', which keeps the image's size for any kernel")
_SIZES = {64: "you did not pool: a 2x2 max pool (stride 2) turns the 8x8 map into 4x4 = 16 "
              "values, one per weight",
          49: "your pooling stepped by 1 (7x7 = 49 values); its 2x2 windows step by 2 (the "
              "default stride of cl.max_pool is the window size): 4x4 = 16 values",
          9: _SMALL_C, 4: _SMALL_C, 36: _SMALL_C}
FORWARD_EXCEPTIONS = [
    *((ValueError, words.format(n), hint) for n, hint in _SIZES.items()
      for words in ("(size 16 is different from {})", "shapes ({},) and (16,) not aligned")),
    (ValueError, "(4,4) (16,)", "pooled is 4x4 and weight holds 16 numbers: flatten pooled "
                                "first (pooled.ravel()), then take the dot product with weight"),
    (ValueError, "(size 4 is different from 16)", "weight is a flat vector of 16 numbers; "
                                                  "flatten pooled (pooled.ravel()) and take its "
                                                  "dot product with weight"),
    (ValueError, "mismatch", "the flattened pooled map and the weights differ in length: "
                             "'same' padding keeps C 8x8, a 2x2 max pool (stride 2) gives 4x4 = "
                             "16 values, one per weight"),
    # the worked solution (cnnlab/lessons/solutions.py) imports these by name; the notebook
    # imports cnnlab as cl
    *((NameError, f"'{name}'", f"{name} is cnnlab's: the notebook imports cnnlab as cl, so "
                               f"write cl.{name}") for name in ("conv2d", "relu", "max_pool",
                                                                "sigmoid")),
]


def one_number_hint(shape):
    if shape == (2,):
        return ("your answer holds 2 numbers, as if you returned two things (y_hat, z): "
                "forward returns y_hat alone, one number, sigmoid(z)")
    return (f"your answer has shape {shape}; y_hat is one number: z = pooled.ravel() @ weight "
            f"+ out_bias (16 values times 16 weights, added up), then sigmoid(z)")


_X = np.array([-1000.0, -30.0, -1.0, 0.0, 2.0, 40.0, 1000.0])
# Whole numbers as an integer array (an output made with np.empty_like(x) or np.zeros_like(x)
# is then integer too, and cuts every fraction off), and a 2-D array (a loop over x's elements
# sees rows).
_X_INT = np.array([-3, -1, 0, 1, 4])
_X_GRID = np.array([[-2.5, 0.0, 1.25], [700.0, -700.0, -0.5]])
SIGMOID_CASES = [(_X,), (_X_INT,), (_X_GRID,)]
_ANY_SHAPE = ("your function is right on 1-D arrays but failed on a 2-D x: a loop `for v in x` "
              "gets whole rows, not numbers; use array operations, which act per element on "
              "any shape (np.exp(x), a boolean mask x[x < 0], np.where), or np.vectorize")

SIGMOID_MISTAKES = [
    (lambda x: 1 / (1 + np.exp(x)), "you computed sigmoid(-x) = 1 / (1 + e^x): check the "
                                    "sign, sigmoid(x) = 1 / (1 + e^-x) (sigmoid(2) = 0.88); "
                                    "with logaddexp: np.exp(-np.logaddexp(0, -x))"),
    (lambda x: np.exp(x) / (1 + np.exp(x)),
     "exp(x) / (1 + exp(x)) is safe for negative x, but at x = +1000 it is inf / inf = nan: "
     "use it only where x < 0 and 1 / (1 + exp(-x)) where x >= 0, or "
     "np.exp(-np.logaddexp(0, -x)) everywhere"),
    (lambda x: 0.5 * (1 + np.tanh(x)), "0.5 * (1 + tanh(x)) squashes too steeply: "
                                       "sigmoid(x) = 0.5 * (1 + tanh(x / 2))"),
    (lambda x: 1 / np.exp(-x), "you left out the 1 +: sigmoid is 1 / (1 + e^-x)"),
    (lambda x: np.logaddexp(0, -x), "that is log(1 + e^-x); the sigmoid is exp of minus "
                                    "that: np.exp(-np.logaddexp(0, -x))"),
    (lambda x: np.exp(-x) / (1 + np.exp(-x)), "that is e^-x / (1 + e^-x) = 1 - sigmoid(x): "
                                              "the numerator is 1 (or e^x over 1 + e^x)"),
    (lambda x: 1 / (1 - np.exp(-x)), "1 - e^-x in the denominator: sigmoid is 1 / (1 + e^-x)"),
    (lambda x: np.tanh(x / 2), "tanh(x / 2) runs from -1 to 1; sigmoid(x) = 0.5 * (1 + "
                               "tanh(x / 2))"),
    (lambda x: sigmoid(x).astype(np.asarray(x).dtype),
     "on an integer x your output is integer too, so 0.73 becomes 0: np.empty_like(x) and "
     "np.zeros_like(x) copy x's dtype; make the output float, np.empty(np.shape(x)) or "
     "np.empty_like(x, dtype=float)"),
    (lambda x: sigmoid(np.clip(x, -30, 30)),
     "you clipped x to -30..30, so sigmoid(-1000) becomes 9.4e-14 instead of 0 (and "
     "sigmoid(-40) 2e4 times too big): no clipping is needed once each form is computed only "
     "on its own elements"),
] + [
    (lambda x, bound=bound: sigmoid(np.clip(x, -bound, bound)),
     f"you clipped x to -{bound}..{bound}, so sigmoid(-30) becomes {sigmoid(-bound):.2g} "
     f"instead of {sigmoid(-30.0):.2g} (and sigmoid(40) {sigmoid(bound):.6g} instead of 1): "
     f"no clipping is needed once each form is computed only on its own elements")
    for bound in (5, 8, 10, 12, 15, 20, 25)
] + [
    (lambda x: np.where(np.asarray(x) >= 0, sigmoid(x), 0.0),
     "your negative x all give 0: you filled in only the x >= 0 elements; the x < 0 ones need "
     "exp(x) / (1 + exp(x))"),
    (lambda x: np.where(np.asarray(x) > 0, sigmoid(x), 0.0),
     "your x <= 0 all give 0 (sigmoid(0) is 0.5): the other elements need exp(x) / "
     "(1 + exp(x))"),
    (lambda x: np.where(np.asarray(x) < 0, sigmoid(x), 0.0),
     "your x >= 0 all give 0: you filled in only the x < 0 elements; the others need "
     "1 / (1 + exp(-x))"),
    (lambda x: np.exp(np.minimum(x, 0)),
     "that is e^x for negative x and 1 for the others, not the sigmoid: "
     "sigmoid(x) = exp(x) / (1 + exp(x)) there, 1 / (1 + exp(-x)) elsewhere"),
    (lambda x: np.where(np.asarray(x) == 0, 0.0, sigmoid(x)),
     "sigmoid(0) is 0.5 (1 / (1 + e^0) = 1 / 2), not 0: does x = 0 fall between your two "
     "masks (x < 0 and x > 0)? Use x < 0 and x >= 0"),
]
SIGMOID_EXCEPTIONS = [
    (TypeError, "only", "math.exp works on one number; x is an array: use np.exp"),
    (ValueError, "truth value of an array", "`if x < 0:` asks about the whole array at once; "
                                            "choose per element with np.where(x < 0, ..., ...) "
                                            "or a boolean mask"),
    (OverflowError, None, "math.exp overflowed (e^1000 is too big for a float); use np.exp "
                          "on arrays, in a form that never exponentiates a large positive "
                          "number"),
]


# Far below 0 the sigmoid is e^x itself, a tiny but normal float (not subnormal): 2.7e-261 at
# -600.  An answer right to 1e-15 in absolute terms can still be many orders of magnitude too
# large there (x clipped to -500 gives e^-500 = 7.1e-218), and log y_hat, what the loss uses,
# off by 100 or more.
_X_DEEP = np.array([-600.0, -650.0, -700.0])


def _deep_negative_problem(stable_sigmoid):
    """Compare relatively far below 0; None when right, else the CheckResult naming it."""
    answer, failure = run_function(stable_sigmoid, _X_DEEP.copy(), name="stable_sigmoid")
    if failure is not None:
        return failure
    expected = sigmoid(_X_DEEP)
    try:
        answer = np.asarray(answer, dtype=float)
        # too large relative to the value (x clipped); a form that rounds to 0 there, as
        # 0.5 * (1 + tanh(x / 2)) does, is off by less than the smallest step it could take
        too_large = answer > expected * (1 + 1e-9)
        if answer.shape != expected.shape:
            return None                      # the value checks name shapes
        if not too_large.any():
            return None
        k = int(np.argmax(too_large))
    except (TypeError, ValueError):
        return None
    clipped = ("did you clip x (np.clip)? Clipping is never needed once each form is computed "
               "only on its own elements")
    return CheckResult(False, f"stable_sigmoid: right to 1e-15 in absolute terms, but far "
                              f"below 0 wrong relative to the value: at x = {_X_DEEP[k]:g} "
                              f"yours is {answer[k]:.2g}, the sigmoid is {expected[k]:.2g} "
                              f"(log y_hat {np.log(abs(answer[k]) + 1e-320):.0f} instead of "
                              f"{np.log(expected[k]):.0f}, and the loss uses log y_hat): "
                              f"{clipped}")


def check_sigmoid_answer(stable_sigmoid):
    flat, grid = SIGMOID_CASES[:2], SIGMOID_CASES[2:]
    result = check_function(stable_sigmoid, flat, sigmoid, SIGMOID_MISTAKES,
                            name="stable_sigmoid", exception_hints=SIGMOID_EXCEPTIONS,
                            atol=1e-15, exact_types=True)
    if result.passed:                 # then a 2-D x, where a loop over x's elements gets rows
        result = check_function(stable_sigmoid, grid, sigmoid, SIGMOID_MISTAKES,
                                name="stable_sigmoid", atol=1e-15, exact_types=True,
                                exception_hints=[(Exception, None, _ANY_SHAPE)])
    if not result.passed:
        return result
    deep = _deep_negative_problem(stable_sigmoid)
    if deep is not None:
        return deep
    overflow = {}
    for side, x in (("negative", _X[_X < 0]), ("positive", _X[_X > 0])):
        caught = []
        run_function(stable_sigmoid, x, name="stable_sigmoid", caught=caught)
        overflow[side] = [w for w in caught if "overflow" in w]
    if overflow["negative"] and overflow["positive"]:
        return CheckResult(False, "stable_sigmoid: the values are right, but np.exp "
                                  "overflowed (a RuntimeWarning) for both large negative and "
                                  "large positive x: np.where(x < 0, a, b) computes both a and "
                                  "b for every x and then picks; compute each form only on "
                                  "its own elements (x[x < 0]...), or use "
                                  "np.exp(-np.logaddexp(0, -x))")
    if overflow["negative"]:
        return CheckResult(False, "stable_sigmoid: the values are right, but np.exp "
                                  "overflowed at x = -1000 (a RuntimeWarning: e^-x = e^1000 is "
                                  "too big for a float; 1 / (1 + inf) happens to give 0): for "
                                  "negative x use exp(x) / (1 + exp(x)), or "
                                  "np.exp(-np.logaddexp(0, -x)) everywhere")
    if overflow["positive"]:
        return CheckResult(False, "stable_sigmoid: the values are right, but np.exp "
                                  "overflowed at x = +1000 (a RuntimeWarning): for positive x "
                                  "use 1 / (1 + exp(-x))")
    return CheckResult(True, "stable_sigmoid: correct from -1000 to 1000, with no overflow")
