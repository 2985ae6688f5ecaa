"""Lesson 08's mistake catalogues, as data: for each exercise its test inputs, the models of the
mistakes learners make (each the answer that mistake gives) and the hint that names it.

:mod:`cnnlab.lessons.lesson08` declares the exercises themselves (task, idea, solution); its
tests (tests/lessons/test_lesson08.py) write each mistake out as a learner would and check that
its hint names it.
"""

from __future__ import annotations

import numpy as np

from ..seednet import init_seed_params, seed_network_loss
from ._check import CheckResult, compare_arrays, first_failure, run_function, same, show_value

_rng = np.random.default_rng(8)
PARAMS = {"kernel": _rng.normal(size=(3, 3)), "bias": np.array(0.5),
          "weight": _rng.normal(size=4), "out_bias": np.array(-0.25)}
GRADS = {"kernel": _rng.normal(size=(3, 3)), "bias": np.array(-2.0),
         "weight": _rng.normal(size=4), "out_bias": np.array(0.75)}
VELOCITY = {"kernel": _rng.normal(size=(3, 3)), "bias": np.array(0.3),
            "weight": _rng.normal(size=4), "out_bias": np.array(-1.5)}


def _dict_answer(answer, name, what, keys):
    """None when ``answer`` is a dict with exactly ``keys``; else the failed result."""
    if not isinstance(answer, dict):
        return CheckResult(False, f"{name}: {what} must be a dict keyed like params, got "
                                  f"{type(answer).__name__}")
    if set(answer) != set(keys):
        missing, extra = sorted(set(keys) - set(answer)), sorted(set(answer) - set(keys))
        hint = " (did you `return` inside the loop?)" if len(answer) == 1 else ""
        return CheckResult(False, f"{name}: {what} needs exactly the keys of params; missing "
                                  f"{missing}, unexpected {extra}{hint}")
    return None


def dict_in_place(failure, name):
    """``failure`` with a hint for a dict of arrays when it says an argument was changed in
    place: ``2 * params`` does not work on a dict and ``params.copy()`` is shallow (it copies the
    dict, not its arrays), so the generic advice does not help here."""
    if failure is None or "in place" not in failure.message:
        return failure
    changed = [word for word in ("params", "velocity", "state") if f"'{word}'" in
               failure.message]
    what = changed[0] if changed else "params"
    new = {"params": "params[key] - lr * grads[key]",
           "velocity": "momentum * velocity[key] + grads[key]"}.get(what, f"{what}[key].copy()")
    return CheckResult(False, f"{name}: your function changed the arrays inside {what} in place "
                              f"({what}[key] -= ..., or += ...): {what}.copy() does not prevent "
                              f"it, it copies the dict but shares its arrays; build new arrays, "
                              f"e.g. {{key: {new} for key in {what}}}, or copy each array "
                              f"first, {{key: value.copy() for key, value in {what}.items()}}")


def _per_key(name, what, answer, right, models, hints, shown):
    """compare_arrays for each key of ``right``; a model's value for that key names it, and a
    value that belongs to another key says the values are under the wrong names."""
    for key in right:
        elsewhere = [other for other in right if other != key
                     and np.shape(answer[key]) == np.shape(right[other])
                     and same(answer[key], right[other])]
        if elsewhere and not same(answer[key], right[key]):
            yield CheckResult(False, f"{name}: {what}[{key!r}] holds the value that belongs to "
                                     f"{elsewhere[0]!r}: the values are under the wrong names; "
                                     f"keep each parameter's name, e.g. {{name: ... for name "
                                     f"in params}}")
    yield from (compare_arrays(answer[key], right[key], f"{name}: {what}[{key!r}]",
                               [(model[key], hint)
                                for model, hint in zip(models, hints, strict=True)],
                               shown=shown(key)) for key in right)


# ---- gd_update: one gradient-descent step ------------------------------------------------------

GD_STEPS = [
    (lambda p, g, lr: p + lr * g, "you stepped uphill: subtract the gradient (param - lr * grad)"),
    (lambda p, g, lr: p - g, "you forgot the learning rate"),
    (lambda p, g, lr: -lr * g, "that is the step alone; add it to the old value"),
    (lambda p, g, lr: p - g / lr, "you divided by the learning rate; multiply by it"),
    (lambda p, g, lr: g - lr * p, "you swapped params and grads: param - lr * grad"),
    (lambda p, g, lr: p - lr * lr * g, "the learning rate appears twice: param - lr * grad"),
    (lambda p, g, lr: p, "params[name] did not move: every parameter takes a step"),
    (lambda p, g, lr: p - lr * np.mean(g), "each entry takes its own step: param - lr * grad "
                                           "entry by entry, not the mean gradient"),
    (lambda p, g, lr: lr * g - p, "the sign of the whole answer is flipped: param - lr * grad"),
    (lambda p, g, lr: p - lr * np.sign(g), "each entry moves by lr times its gradient, not lr "
                                           "times the gradient's sign"),
    (lambda p, g, lr: p - lr * g * g, "the step is lr times the gradient, not its square"),
]
GD_EXCEPTIONS = [
    (KeyError, "grad_", "grads uses the same keys as params: grads[\"kernel\"] is dL/dK (not "
                        "grads[\"grad_kernel\"])"),
    (KeyError, None, "grads has exactly the keys of params (\"kernel\", \"bias\", \"weight\", "
                     "\"out_bias\"): loop over params and read grads[name]"),
]


#: The learning rates of the two runs: a second one catches a learning rate typed in (0.1).
GD_RATES = (0.1, 0.37)


def check_gd_answer(gd_update):
    """Two runs, at each of :data:`GD_RATES`; the first failure, else PASS."""
    return first_failure((_check_gd_at(gd_update, lr) for lr in GD_RATES),
                         "gd_update: correct, and params is left unchanged")


def _own_rate(answer):
    """The learning rate an answer's step used (param - rate * grad), from its first entry."""
    try:
        return float((PARAMS["kernel"].flat[0] - np.asarray(answer["kernel"]).flat[0])
                     / GRADS["kernel"].flat[0])
    except (TypeError, ValueError, IndexError, KeyError):
        return GD_RATES[0]


def _own_rate_hint(gd_update, lr, own):
    """What a step of ``own`` times the gradient at ``lr`` is, from a second run at the other
    rate: a stray factor (the step follows lr, times a number of its own) or a learning rate
    typed in (the step stays the same)."""
    other = GD_RATES[1] if lr == GD_RATES[0] else GD_RATES[0]
    answer, failure = run_function(gd_update, PARAMS, GRADS, other, name="gd_update",
                                   must_return=True)
    factor = own / lr
    if failure is None and isinstance(answer, dict) and "kernel" in answer:
        own_other = _own_rate(answer)
        if np.isclose(own_other, factor * other, rtol=1e-6) and not np.isclose(factor, 1):
            return (f"your step was {factor:.6g} * lr * grad (with lr={lr}, {own:.6g} times the "
                    f"gradient; with lr={other}, {own_other:.6g} times): drop the extra factor "
                    f"{factor:.6g}, param - lr * grad")
    return (f"with lr={lr} your step was {own:.6g} times the gradient: use the argument lr, "
            f"not a number typed in")


def _check_gd_at(gd_update, lr):
    answer, failure = run_function(gd_update, PARAMS, GRADS, lr, name="gd_update",
                                   exception_hints=GD_EXCEPTIONS, must_return=True)
    if failure is not None:
        if "in place" in failure.message:
            return CheckResult(False, "gd_update: you changed params in place (params[name] "
                                      "-= ... or params[name] = ...): the exercise asks for a "
                                      "new dict, e.g. {name: params[name] - lr * grads[name] "
                                      "for name in params}")
        return failure
    problem = _dict_answer(answer, "gd_update", "the new dict", PARAMS)
    if problem is not None:
        return problem
    own = _own_rate(answer)
    steps = GD_STEPS + [(lambda p, g, rate: p - own * g, _own_rate_hint(gd_update, lr, own))]
    models = [{k: step(PARAMS[k], GRADS[k], lr) for k in PARAMS} for step, _ in steps]
    right = {k: PARAMS[k] - lr * GRADS[k] for k in PARAMS}
    return first_failure(_per_key(
        "gd_update", "new params", answer, right, models, [h for _, h in steps],
        lambda k: f"params[{k!r}]={show_value(PARAMS[k])}, grads[{k!r}]={show_value(GRADS[k])}, "
                  f"lr={lr}"), "gd_update: correct, and params is left unchanged")


# ---- binary_accuracy -----------------------------------------------------------------------------

def accuracy_right(y_hat, targets):
    return np.mean((y_hat > 0.5) == targets)


# Exactly 0.5 with either target (0.5 is class 0), and probabilities 0.0 and 1.0 that equal
# their targets (so comparing y_hat itself with the target does not give 0 on every case).
ACCURACY_CASES = [(np.array([0.9, 0.2, 0.6, 0.45, 0.51, 0.05, 0.7, 0.3, 0.5]),
                   np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0])),
                  (np.array([0.5, 0.8, 0.0, 0.3, 1.0, 0.65, 0.2]),
                   np.array([0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0]))]
ACCURACY = [
    (lambda p, t: np.sum((p > 0.5) == t) // len(t), "integer division (//), or int(), rounds "
                                                     "the fraction down to 0: divide with / and "
                                                     "keep the float"),
    (lambda p, t: np.mean(np.abs(p - t) <= 0.5), "|y_hat - target| <= 0.5 counts exactly 0.5 "
                                                  "as right for either target; predict first "
                                                  "(y_hat > 0.5, so 0.5 is class 0), then "
                                                  "compare with the target"),
    (lambda p, t: np.mean(np.abs(p - t) < 0.5), "|y_hat - target| < 0.5 counts exactly 0.5 as "
                                                 "wrong even for target 0; predict first (y_hat "
                                                 "> 0.5, so 0.5 is class 0), then compare with "
                                                 "the target"),
    (lambda p, t: np.sum((p > 0.5) == t) / np.sum(p > 0.5), "divide by the number of images N, "
                                                            "not by the number predicted 1"),
    (lambda p, t: np.sum((p > 0.5) == t) / (len(t) - 1), "divide by the number of images N, "
                                                         "not N - 1"),
    (lambda p, t: 100 * accuracy_right(p, t), "that is a percentage; return a fraction between "
                                              "0 and 1"),
    (lambda p, t: np.sum((p > 0.5) == t), "that is the count of right answers; divide by N"),
    (lambda p, t: np.mean((p > 0) == t), "y_hat is a probability: threshold it at 0.5 (logits "
                                         "are thresholded at 0)"),
    (lambda p, t: 1 - accuracy_right(p, t), "that is the error rate; accuracy counts the right "
                                            "answers"),
    (lambda p, t: np.mean((p >= 0.5) == t), "y_hat > 0.5 means class 1: exactly 0.5 is class 0 "
                                            "(use >, not >=)"),
    (lambda p, t: np.mean((p < 0.5) == t), "class 1 is y_hat > 0.5, not y_hat < 0.5"),
    (lambda p, t: np.mean((p > 0.5) == t[::-1]), "you compared each prediction with another "
     "image's target (the targets reversed): compare element by element, prediction i with "
     "target i, (y_hat > 0.5) == targets"),
    (lambda p, t: np.mean(p == t), "compare the prediction (y_hat > 0.5), not the probability "
                                   "itself, with the target"),
    (lambda p, t: (p > 0.5) == t, "return one number: the mean of the right/wrong array"),
    (lambda p, t: np.mean(t[p > 0.5]), "that is the fraction right among the images predicted 1 "
                                       "(precision); accuracy counts every image"),
    (lambda p, t: np.mean((p > 0.5)[t == 1]), "that is the fraction of the 1s found (recall); "
                                              "accuracy counts every image"),
    (lambda p, t: np.sum((p > 0.5) == t) / np.sum(t), "divide by the number of images N, not by "
                                                      "the number of 1s"),
    (lambda p, t: np.mean((p > 0.5) & (t == 1)), "that counts only the 1s found; the 0s predicted "
                                                  "as 0 are right answers too"),
]
ACCURACY_EXCEPTIONS = [
    (ValueError, "truth value", "Python chains comparisons: a > 0.5 == t means (a > 0.5) and "
                                "(0.5 == t); write ((y_hat > 0.5) == targets) with brackets"),
]


# ---- momentum_step: one step of SGD with momentum ----------------------------------------------

def momentum_right(p, g, v, lr, m):
    velocity = m * v + g
    return p - lr * velocity, velocity


MOMENTUM = [
    (lambda p, g, v, lr, m: (p - lr * (v + g), v + g), "you left out the momentum factor: the "
     "old velocity is multiplied by momentum before the gradient is added, velocity = momentum "
     "* velocity + grad (yours is velocity + grad, as if momentum were 1)"),
    (lambda p, g, v, lr, m: (p - lr * g, g), "you dropped the old velocity: velocity = momentum "
                                             "* velocity + grad"),
    (lambda p, g, v, lr, m: (p - lr * g, v), "that is a plain gradient step with the velocity "
     "left as it was: velocity = momentum * velocity + grad, then param - lr * velocity"),
    (lambda p, g, v, lr, m: (p - lr * (m * g + v), m * g + v), "momentum multiplies the old "
     "velocity, not the gradient: velocity = momentum * velocity + grad"),
    (lambda p, g, v, lr, m: (p - lr * (m * v + (1 - m) * g), m * v + (1 - m) * g),
     "that is a running mean, m v + (1 - m) grad; this lesson's (and PyTorch's) velocity has "
     "no (1 - momentum) factor: momentum * velocity + grad"),
    (lambda p, g, v, lr, m: (p - lr * v, m * v + g), "you stepped with the old velocity: update "
                                                     "the velocity first, then step with it"),
    (lambda p, g, v, lr, m: (p + lr * (m * v + g), m * v + g), "you stepped uphill: param - lr "
                                                               "* velocity"),
    (lambda p, g, v, lr, m: (p + m * v - lr * g, m * v - lr * g), "you folded the learning rate "
     "into the velocity (v = m v - lr grad; param + v); here velocity = momentum * velocity + "
     "grad, and the step is lr times it"),
    (lambda p, g, v, lr, m: (p - lr * (m * v + lr * g), m * v + lr * g), "the learning rate "
     "appears twice: velocity = momentum * velocity + grad (no lr), then param - lr * velocity"),
    (lambda p, g, v, lr, m: (p - (m * v + g), m * v + g), "you forgot the learning rate in the "
                                                          "step: param - lr * velocity"),
    (lambda p, g, v, lr, m: (p - lr * m * (v + g), m * (v + g)), "momentum multiplies the old "
     "velocity only: momentum * velocity + grad, not momentum * (velocity + grad)"),
    (lambda p, g, v, lr, m: (p - lr * (m * v - g), m * v - g), "the gradient is added to the "
     "velocity: momentum * velocity + grad (the minus sign is in the step, param - lr * v)"),
    (lambda p, g, v, lr, m: (p - lr * g - m * v, m * v + g), "step with the new velocity alone: "
     "param - lr * velocity, where velocity = momentum * velocity + grad"),
    (lambda p, g, v, lr, m: (p - lr * (g + m * (m * v + g)), m * v + g), "that is Nesterov's "
     "step (lr times grad + momentum * velocity); this lesson's step is param - lr * velocity "
     "with the new velocity"),
]


#: (lr, momentum) of the two runs: lr != 1 - m (lr inside the velocity is not a mean); the
#: second catches a learning rate or a momentum typed in.
MOMENTUM_SETTINGS = ((0.05, 0.9), (0.2, 0.6))


def check_momentum_answer(momentum_step):
    """Two runs, at each of :data:`MOMENTUM_SETTINGS`; the first failure, else PASS."""
    return first_failure((_check_momentum_at(momentum_step, lr, m)
                          for lr, m in MOMENTUM_SETTINGS),
                         "momentum_step: correct, and params and velocity are left unchanged")


def _check_momentum_at(momentum_step, lr, m):
    answer, failure = run_function(momentum_step, PARAMS, GRADS, VELOCITY, lr, m,
                                   name="momentum_step", must_return=True)
    failure = dict_in_place(failure, "momentum_step")
    if failure is not None:
        return failure
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return CheckResult(False, "momentum_step: return two dicts, (new_params, new_velocity)")
    right = {k: momentum_right(PARAMS[k], GRADS[k], VELOCITY[k], lr, m) for k in PARAMS}
    if isinstance(answer[0], dict) and set(answer[0]) == set(PARAMS) and all(
            np.shape(answer[0][k]) == np.shape(PARAMS[k]) and np.allclose(answer[0][k],
                                                                           right[k][1])
            for k in PARAMS):
        return CheckResult(False, "momentum_step: you returned (new_velocity, new_params): "
                                  "return (new_params, new_velocity), in that order")
    for got, what in zip(answer, ("new params", "new velocity"), strict=True):
        problem = _dict_answer(got, "momentum_step", what, PARAMS)
        if problem is not None:
            return problem
    (lr0, m0), typed = MOMENTUM_SETTINGS[0], []
    if m != m0:
        typed.append((lambda p, g, v, rate, mom: momentum_right(p, g, v, rate, m0),
                      f"with momentum={m} your velocity used {m0}: use the argument momentum, "
                      f"not a number typed in"))
    if lr != lr0:
        typed.append((lambda p, g, v, rate, mom: momentum_right(p, g, v, lr0, mom),
                      f"with lr={lr} your step used {lr0}: use the argument lr, not a number "
                      f"typed in"))
    catalogue = MOMENTUM + typed
    models = [{k: model(PARAMS[k], GRADS[k], VELOCITY[k], lr, m) for k in PARAMS}
              for model, _ in catalogue]
    hints = [h for _, h in catalogue]

    def shown(k):
        return (f"params[{k!r}]={show_value(PARAMS[k])}, grads[{k!r}]={show_value(GRADS[k])}, "
                f"velocity[{k!r}]={show_value(VELOCITY[k])}, lr={lr}, momentum={m}")

    return first_failure(
        (result for i, what in enumerate(("new velocity", "new params"))
         for result in _per_key("momentum_step", what, answer[1 - i],
                                {k: right[k][1 - i] for k in PARAMS},
                                [{k: mod[k][1 - i] for k in PARAMS} for mod in models], hints,
                                shown)),
        "momentum_step: correct, and params and velocity are left unchanged")


# ---- train_epoch: one epoch of mini-batch gradient descent -------------------------------------

_rng = np.random.default_rng(80)
EPOCH_IMAGES = _rng.random((10, 6, 6)) * (_rng.random((10, 6, 6)) > 0.3)
EPOCH_TARGETS = np.array([1.0, 0, 0, 1, 1, 0, 1, 0, 0, 1])
EPOCH_ORDER = _rng.permutation(10)
EPOCH_PARAMS = init_seed_params((6, 6), 3, rng=1, scale=0.5)
# lr 0.37, not 0.5: twice the learning rate (1.0) would look like none at all
EPOCH_BATCH, EPOCH_LR = 4, 0.37


def epoch(params, images, targets, order, batch_size, lr, bug=""):
    """One epoch of plain gradient descent over ``order`` in batches; ``bug`` (a key of
    EPOCH_BUGS) switched on; no bug: the right answer (new params, the batch losses)."""
    params, losses, stale, saved = dict(params), [], [], []
    order = {"in stored order": np.arange(len(images)), "reversed": order[::-1],
             "own shuffle": np.random.default_rng(0).permutation(len(images))}.get(bug, order)
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    size = 1 if bug == "one image at a time" else batch_size
    starts = range(0, len(images) - (len(images) % size if bug == "drop last" else 0),
                   1 if bug == "overlapping" else size)
    end = size - 1 if bug == "short batches" else size
    batches = ([order[start:start + end] for start in starts] if bug != "array_split" else
               np.array_split(order, len(order) // size))
    for start, batch in zip(starts, batches, strict=False):
        labels = targets[start:start + size] if bug == "targets in stored order" else targets[batch]
        loss, grads, _ = seed_network_loss(stale[0] if stale else params, images[batch], labels)
        if bug in ("stale", "last step only"):
            stale = stale or [dict(params)]
        if bug == "last step only":
            params = dict(stale[0])
        if bug == "one update":
            saved.append(grads)
        else:
            rate = {"no lr": 1.0, "times size": lr * len(batch), "twice lr": 2 * lr,
                    "frozen": 0.0}.get(bug, lr)
            if bug == "momentum":
                velocity = {k: 0.9 * velocity[k] + grads[k] for k in params}
                grads = velocity
            params = {k: params[k] + (1 if bug == "uphill" else -1) * rate * grads[k]
                      for k in params}
        losses.append(seed_network_loss(params, images[batch], labels)[0]
                      if bug == "loss after" else loss)
    if saved:
        params = {k: params[k] - lr * np.mean([g[k] for g in saved], axis=0) for k in params}
    return params, losses


EPOCH_BUGS = {
    "drop last": "you dropped the last, smaller batch (10 images in batches of 4: 4, 4 and 2): "
                 "keep it, range(0, N, batch_size)",
    "in stored order": "visit the images in the given order: batch = order[start:start + "
                       "batch_size], then images[batch]",
    "reversed": "visit order from its start: the first batch is order[:batch_size]",
    "array_split": "np.array_split(order, N // batch_size) makes batches of other sizes (5 "
                   "and 5 here): cut order[start:start + batch_size], the last one shorter",
    "times size": "seed_network_loss's gradients are already the batch's mean: step by lr * "
                  "grad, not lr * batch size * grad",
    "targets in stored order": "the targets must follow the images: targets[batch] with the "
                               "same indices as images[batch]",
    "overlapping": "your batches overlap: step the start by batch_size, range(0, N, batch_size)",
    "one image at a time": "use batches of batch_size images, not one image per step",
    "one update": "update the parameters after every batch, not once at the end of the epoch",
    "loss after": "record each batch's loss as seed_network_loss returns it, before that "
                  "batch's update",
    "uphill": "you stepped uphill: param - lr * grad",
    "no lr": "you forgot the learning rate: param - lr * grad",
    "stale": "compute each batch's gradient at the parameters the previous step left, not at "
             "the epoch's starting parameters",
    "last step only": "each batch's step must start from the params the previous batch's step "
                      "left: your gradients are all taken at the starting params, and only the "
                      "last batch's step is in the answer; keep one params variable, params = "
                      "{name: params[name] - lr * grads[name] ...}, and the next batch's "
                      "seed_network_loss uses it",
    "short batches": "your batches hold batch_size - 1 images (3, not 4): a slice leaves out its "
                     "end, so order[start:start + batch_size] holds batch_size images; do not "
                     "subtract 1",
    "frozen": "your new params are the old ones: every batch's step must change them, params = "
              "{name: params[name] - lr * grads[name] ...}, and return the last ones",
    "own shuffle": "you drew your own shuffle: visit the images in the order given (order), "
                   "batch = order[start:start + batch_size]",
    "momentum": "that is a step with momentum (lesson 08's exercise 3); this epoch takes plain "
                "gradient descent steps, param - lr * grad",
    "twice lr": "your steps are twice too long: param - lr * grad, lr once",
}


def check_epoch_answer(train_epoch):
    args = (EPOCH_PARAMS, EPOCH_IMAGES, EPOCH_TARGETS, EPOCH_ORDER, EPOCH_BATCH, EPOCH_LR)
    answer, failure = run_function(train_epoch, *args, name="train_epoch", must_return=True)
    failure = dict_in_place(failure, "train_epoch")
    if failure is not None:
        return failure
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return CheckResult(False, "train_epoch: return two things, (new_params, batch_losses)")
    problem = _dict_answer(answer[0], "train_epoch", "new params", EPOCH_PARAMS)
    if problem is not None:
        return problem
    if np.ndim(answer[1]) == 0:
        return CheckResult(False, "train_epoch: return the list of batch losses, one number per "
                                  "batch (3 here), not one number")
    if np.size(answer[1]) == 1:
        return CheckResult(False, "train_epoch: you returned one loss: that is one step on the "
                                  "whole set (or one loss for the epoch); mini-batch gradient "
                                  "descent takes one step per batch of batch_size images (10 "
                                  "images in batches of 4: 3 steps, 3 losses)")
    right, models = epoch(*args), [epoch(*args, bug=bug) for bug in EPOCH_BUGS]
    hints = list(EPOCH_BUGS.values())
    shown = f"10 images of 6x6 in batches of {EPOCH_BATCH}, lr={EPOCH_LR}"
    # the parameters first: two bugs (one update, stale gradients) give the same losses
    result = first_failure(
        list(_per_key("train_epoch", "new params", answer[0], right[0], [m[0] for m in models],
                      hints, lambda k: shown))
        + [compare_arrays(np.asarray(answer[1], dtype=float), right[1], "train_epoch: the batch "
                          "losses", [(m[1], h) for m, h in zip(models, hints, strict=True)],
                          shown=shown)],
        "train_epoch: correct, 3 batches in the given order, params left unchanged")
    if result.passed or "your function returned" not in result.message:
        return result
    diagnosis = _epoch_diagnosis(train_epoch, answer, args)
    return result if diagnosis is None else diagnosis


def _epoch_diagnosis(train_epoch, answer, args):
    """Name what a second run shows when no model matched: a learning rate of the learner's
    own (the answer does not change with lr), or an order of its own (the first batch's loss
    is not that of images[order[:batch_size]])."""
    params, images, targets, order, batch_size, lr = args
    other, failure = run_function(train_epoch, *args[:5], 2 * lr, name="train_epoch",
                                  must_return=True)
    if (failure is None and isinstance(other, (tuple, list)) and len(other) == 2
            and isinstance(other[0], dict) and set(other[0]) == set(params)
            and all(same(other[0][k], answer[0][k]) for k in params)
            and not all(same(answer[0][k], params[k]) for k in params)):
        return CheckResult(False, f"train_epoch: your new params are the same at lr={lr} and at "
                                  f"lr={2 * lr}: use the argument lr in each step, not a number "
                                  f"typed in")
    first = seed_network_loss(params, images[order[:batch_size]],
                              targets[order[:batch_size]])[0]
    losses = np.asarray(answer[1], dtype=float).ravel()
    if losses.size and not np.isclose(losses[0], first, rtol=1e-9, atol=1e-12):
        sizes = [k for k in range(1, len(order) + 1) if k != batch_size and np.isclose(
            losses[0], seed_network_loss(params, images[order[:k]], targets[order[:k]])[0],
            rtol=1e-9, atol=1e-12)]
        if sizes:
            return CheckResult(False, f"train_epoch: your first batch held {sizes[0]} images, "
                                      f"not batch_size={batch_size}: its loss {losses[0]:.6g} "
                                      f"is that of images[order[:{sizes[0]}]]; the batch is "
                                      f"order[start:start + batch_size] (a slice leaves out its "
                                      f"end, so it holds batch_size images)")
        return CheckResult(False, f"train_epoch: your first batch's loss is {losses[0]:.6g}, but "
                                  f"the first batch, images[order[:{batch_size}]] with "
                                  f"targets[order[:{batch_size}]], has loss {first:.6g} at the "
                                  f"starting params: take the batches from order as given, "
                                  f"order[start:start + batch_size] (do not shuffle it again)")
    return None
