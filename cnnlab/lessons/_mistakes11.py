"""Lesson 11's mistake catalogues, as data: for each exercise its test inputs, the models of the
mistakes learners make (each the answer that mistake gives) and the hint that names it. The
worked solutions, the right answers these catalogues compare with, are in
:mod:`cnnlab.lessons.solutions` with every other exercise's.

:mod:`cnnlab.lessons.lesson11` declares the exercises themselves (task, idea, solution); its
tests (tests/lessons/test_lesson11.py) write each mistake out as a learner would and check that
its hint names it.
"""

from __future__ import annotations

import copy
import importlib.util

import numpy as np

from .. import course
from ..models import init_small_cnn
from ._check import CheckResult, compare_arrays, first_failure, run_function
from .solutions import channels_last_to_first, torch_step

# ---- exercise 1: PyTorch's state dict to cnnlab's parameters ------------------------------------


def _small_params():
    params = init_small_cnn(num_filters=2, kernel_size=3, num_blocks=2, num_classes=3,
                            image_shape=(8, 8), seed=11)
    rng = np.random.default_rng(12)
    for key in params:
        if key.endswith(".bias"):
            params[key] = rng.normal(size=params[key].shape)
    return params


def _state_mistakes(key, value, right):
    """What known mistakes make of ``state[key]`` (``value``), with their hints."""
    if key == "dense.weight":
        channels, height, width = 4, 2, 2
        keras = value.T.reshape(channels, height, width, -1).transpose(1, 2, 0, 3).reshape(
            channels * height * width, -1)
        return [
            (value, "still in nn.Linear's (out, in) layout: transpose it to (D, M) with .T"),
            (value.reshape(right.shape), "you reshaped it; a reshape keeps the memory order "
                                         "and scrambles the weights: transpose it (.T)"),
            (keras, "no re-ordering of the rows is needed: PyTorch flattens (C, H, W) exactly "
                    "as cnnlab does; only transpose"),
        ]
    if key.endswith(".weight"):
        return [
            (value[..., ::-1, ::-1], "you rotated the kernels 180 degrees; Conv2d and cnnlab "
                                     "both compute cross-correlation: copy them"),
            (value.swapaxes(-1, -2), "you swapped kh and kw; both store (F, C, kh, kw): copy "
                                     "the conv weights as they are"),
            (value.swapaxes(0, 1), "you swapped the filter and channel axes; both store (F, C, "
                                   "kh, kw): copy the conv weights as they are"),
            (value.T, "you transposed every array; only nn.Linear's weight is stored the other "
                      "way round"),
            (value.transpose(0, 2, 3, 1), "you moved the channels last; both store (F, C, kh, "
                                          "kw)"),
        ]
    return [(value[:, None], "biases stay 1-D, shape (F,) or (M,)"),
            (value[None, :], "biases stay 1-D, shape (F,) or (M,)")]


def check_state(answer_function):
    """Run ``torch_to_cnnlab`` on a two-block network's state dict; name the first mistake."""
    expected = _small_params()
    state = {key: (value.T.copy() if key == "dense.weight" else value.copy())
             for key, value in expected.items()}
    answer, failure = run_function(answer_function, state, name="torch_to_cnnlab",
                                   must_return=True)
    if failure is not None and "in place" in failure.message:
        return CheckResult(False, "torch_to_cnnlab: your function changed state, the dict it "
                                  "was given (state[name] = ... replaces its entry; -= or += "
                                  "changes its array): build a new dict, {name: ... for name, "
                                  "value in state.items()}, and leave state as it was")
    if failure is not None:
        return failure
    if not isinstance(answer, dict):
        return CheckResult(False, f"torch_to_cnnlab: return a dict of arrays keyed like the "
                                  f"state dict, got {type(answer).__name__}")
    missing = [key for key in expected if key not in answer]
    extra = [key for key in answer if key not in expected]
    if missing or extra:
        what = f"missing {missing}" if missing else f"unexpected keys {extra}"
        return CheckResult(False, f"torch_to_cnnlab: {what}: keep every key (the names are the "
                                  f"same in both)")
    other = next((key for key in expected if not isinstance(answer[key], np.ndarray)), None)
    if other is not None and compare_arrays(answer[other], expected[other], "").passed:
        return CheckResult(False, f"torch_to_cnnlab: params[{other!r}] holds the right numbers "
                                  f"as a {type(answer[other]).__name__}: cnnlab's parameters are "
                                  f"NumPy arrays (np.asarray(value), or .numpy() for a tensor)")
    return first_failure((compare_arrays(answer[key], right, f"params[{key!r}]",
                                         _state_mistakes(key, state[key], right))
                          for key, right in expected.items()),
                         "torch_to_cnnlab: correct (only the dense weight changes layout)")


# ---- exercise 2: a dense weight trained after a channels-last flatten ---------------------------


_RNG = np.random.default_rng(21)
# (weight, C, H, W): H != W and C != H, non-integer values, so that no swap goes unnoticed.
CHANNEL_CASES = [(_RNG.normal(size=(2 * 4 * 3, 5)), 3, 2, 4),
                 (_RNG.normal(size=(3 * 2 * 2, 2)), 2, 3, 2)]


def _one_size_for_both(cases):
    """Exception hints for a reshape that used one image size for both axes: NumPy's message
    names the shape asked for, e.g. "into shape (2,2,3,5)" for the height twice."""
    hints = []
    for _, c, h, ww in cases:
        for a, b, wrong, right in ((h, h, "the height for the width", "width"),
                                   (ww, ww, "the width for the height", "height")):
            hints.append((ValueError, f"into shape ({a},{b},{c},",
                          f"you used {wrong} (reshape({a}, {b}, {c}, ...)): the rows are "
                          f"(H, W, C) = ({h}, {ww}, {c}) cells, so reshape(height, width, "
                          f"channels, M) with the argument {right}"))
    return hints


def _blocks(w, c, h, ww):
    return w.reshape(h, ww, c, -1)


def _outputs_typed_in(cases):
    """Exception hints for a reshape whose (H, W, C) are right and whose last axis, the number
    of outputs M, is a number of the learner's own (10, the digits): NumPy's message names the
    shape asked for, "into shape (2,4,3,10)"."""
    return [(ValueError, f"into shape ({h},{ww},{c},",
             f"the last axis of your reshape is not M, the number of outputs: this weight is "
             f"({w.shape[0]}, {w.shape[1]}), so M = {w.shape[1]}; take M from the weight, "
             f"weight.shape[1] (or -1), not a number typed in (such as 10 for the digits)")
            for w, c, h, ww in cases]


CHANNEL_EXCEPTIONS = _one_size_for_both(CHANNEL_CASES) + _outputs_typed_in(CHANNEL_CASES)

CHANNEL_MISTAKES = [
    (lambda w, c, h, ww: w, "unchanged: the rows are in (H, W, C) order; re-order them to "
                            "(C, H, W)"),
    (lambda w, c, h, ww: _blocks(w, c, h, ww).transpose(2, 0, 1, 3),
     "right order, but flatten it back to (C*H*W, M) with .reshape(-1, M)"),
    (lambda w, c, h, ww: _blocks(w, c, h, ww).transpose(2, 1, 0, 3).reshape(-1, w.shape[1]),
     "rows and columns are swapped: (C, H, W) has the row (H) before the column (W)"),
    (lambda w, c, h, ww: w.reshape(c, h, ww, -1).transpose(1, 2, 0, 3).reshape(-1, w.shape[1]),
     "the permutation goes the wrong way: read the rows as (H, W, C), then move C to the front"),
    (lambda w, c, h, ww: channels_last_to_first(w, c, h, ww).T,
     "keep cnnlab's (D, M) layout; (M, D) is nn.Linear's"),
    (lambda w, c, h, ww: w.reshape(ww, h, c, -1).transpose(2, 1, 0, 3).reshape(-1, w.shape[1]),
     "the rows are (H, W, C): height first, then width"),
    (lambda w, c, h, ww: _blocks(w, c, h, ww).transpose(1, 0, 2, 3).reshape(-1, w.shape[1]),
     "that swaps H and W; move the channel axis C to the front instead"),
    (lambda w, c, h, ww: w.T.reshape(w.shape), "you reshaped the transpose; a reshape keeps the "
                                                "memory order: reshape to (H, W, C, M), move C, "
                                                "reshape back"),
    (lambda w, c, h, ww: w.reshape(c, h, ww, -1).reshape(-1, w.shape[1])[::-1],
     "you reversed the rows; re-order them by moving the channel axis to the front"),
    (lambda w, c, h, ww: _blocks(w, c, h, ww).transpose(2, 0, 1, 3).reshape(w.shape[1], -1).T,
     "the last reshape must keep the output axis M last: .reshape(-1, M), not (M, -1) then .T"),
    (lambda w, c, h, ww: np.moveaxis(_blocks(w, c, h, ww), 0, 2).reshape(-1, w.shape[1]),
     "np.moveaxis(blocks, 0, 2) moves H to the back, not C to the front: np.moveaxis(blocks, 2, "
     "0), or .transpose(2, 0, 1, 3)"),
    (lambda w, c, h, ww: _blocks(w, c, h, ww).transpose(0, 2, 1, 3).reshape(-1, w.shape[1]),
     "that swaps W and C and leaves H first; the channel axis C goes in front of both: "
     ".transpose(2, 0, 1, 3)"),
    (lambda w, c, h, ww: w.reshape(h, ww, c, -1, order="F").transpose(2, 0, 1, 3).reshape(
        -1, w.shape[1]), "order='F' reads the rows in another order: keep NumPy's default "
                         "reshape and move the channel axis with a transpose"),
]

# ---- exercise 3: kernels of a true convolution as Conv2d weights --------------------------------


# Two filters of three channels, 3x3 and 2x4 (a rectangular kernel), non-integer values.
KERNEL_CASES = [(np.random.default_rng(31).normal(size=(2, 3, 3, 3)),),
                (np.random.default_rng(32).normal(size=(3, 2, 2, 4)),)]

KERNEL_MISTAKES = [
    (lambda k: k, "unchanged: a convolution flips its kernel and Conv2d does not, so rotate each "
                  "kernel 180 degrees"),
    (lambda k: np.flip(k), "you flipped every axis, the filters and channels too: flip only the "
                           "last two (axis=(2, 3))"),
    (lambda k: np.rot90(k, 2), "you flipped axes 0 and 1, the filters and the channels "
                               "(kernels[::-1, ::-1] does, and so does np.rot90, which turns "
                               "the first two axes by default): flip the last two, kernels[..., "
                               "::-1, ::-1], or pass axes=(2, 3)"),
    (lambda k: np.flip(k, axis=2), "you flipped the rows only; flip the columns too"),
    (lambda k: np.flip(k, axis=3), "you flipped the columns only; flip the rows too"),
    (lambda k: k.swapaxes(2, 3), "a transpose is a mirror along the diagonal, not a 180 degree "
                                 "rotation"),
    (lambda k: np.rot90(k, 1, axes=(2, 3)), "that is a quarter turn; 180 degrees is two"),
    (lambda k: np.rot90(k, -1, axes=(2, 3)), "that is a quarter turn; 180 degrees is two"),
    (lambda k: -k, "a negated kernel is not a rotated one: flip rows and columns "
                   "(axis=(2, 3))"),
    (lambda k: np.flip(k, axis=(1, 2, 3)), "you flipped the channels too; flip only the last "
                                           "two axes (axis=(2, 3))"),
]

# ---- exercise 4: a training step in PyTorch -----------------------------------------------------


def no_torch():
    """The verdict without PyTorch: what to do where the lesson runs (no pip in the browser)."""
    return (f"torch_step: skipped: PyTorch is not installed here ({course._no_torch_advice()}); "
            f"the other exercises need no PyTorch")


_SETUP = []


def _setup(torch):
    """A fresh copy of :func:`_make_setup`'s model, optimizer and batches (made once)."""
    if not _SETUP:
        _SETUP.append(_make_setup(torch))
    model, optimizer, batches = copy.deepcopy(_SETUP[0])   # the optimizer holds the model's weights
    return model, optimizer, batches


def _make_setup(torch):
    """A small model (rectangular 6x8 images, 3 classes), its optimizer with momentum (so that
    stale gradients show), two batches.  The model starts with no gradients, as a fresh one
    does: a step that clears them after optimizer.step() instead of before loss.backward() is
    as right as the lesson's (the first call's gradients then reach no later step); a step that
    never clears them carries the first call's into the second."""
    from torch import nn

    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(2 * 3 * 4, 3)).double()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    rng = np.random.default_rng(41)
    batches = [(torch.from_numpy(rng.random((n, 1, 6, 8))), torch.from_numpy(labels))
               for n, labels in ((5, np.array([0, 2, 1, 2, 0])), (3, np.array([1, 1, 0])))]
    return model, optimizer, batches


def _outcome(step, torch, name="torch_step", hints=()):
    """(losses, weights after each step, gradients left) of two calls, or (None, failure)."""
    model, optimizer, batches = _setup(torch)
    losses, weights = [], []
    for x, y in batches:
        x0, y0 = x.clone(), y.clone()
        value, failure = run_function(lambda x=x, y=y: step(model, optimizer, x, y), name=name,
                                      exception_hints=hints, must_return=True)
        if failure is not None:
            return None, failure
        if not (torch.equal(x, x0) and torch.equal(y, y0)):
            return None, CheckResult(False, f"{name}: your function changed images or labels "
                                            f"in place; work on a copy")
        losses.append(value)
        weights.append([p.detach().clone() for p in model.parameters()])
    grads = [None if p.grad is None else p.grad.clone() for p in model.parameters()]
    return (losses, weights, grads), None


def _same_weights(a, b, torch):
    return all(torch.allclose(x, y, rtol=1e-9, atol=1e-12) for x, y in zip(a, b, strict=True))


def _as_number(value):
    try:
        return float(value.detach() if hasattr(value, "detach") else value)
    except (TypeError, ValueError, RuntimeError):
        return None


def _same(outcome, other, torch):
    (losses, weights, _), (losses2, weights2, _) = outcome, other
    numbers = [_as_number(v) for v in losses]
    return (None not in numbers
            and np.allclose(numbers, [float(v) for v in losses2], rtol=1e-9, atol=1e-12)
            and all(_same_weights(a, b, torch) for a, b in zip(weights, weights2, strict=True)))


TORCH_EXCEPTIONS = [
    (RuntimeError, "does not require grad", "autograd was off for the forward pass (torch.no_grad"
                                            "() or .detach()): run the forward pass with it on"),
    (RuntimeError, "backward through the graph a second time",
     "you called backward() twice on one graph; once per step"),
    (RuntimeError, "expected scalar type Long", "F.cross_entropy(logits, labels): the logits "
                                                "first, the integer labels second"),
    ((RuntimeError, NotImplementedError), "for 'Long'", "F.cross_entropy(logits, labels): the "
                                                        "logits first, the integer labels "
                                                        "second"),
    (RuntimeError, "expected target dtype", "F.cross_entropy takes the labels as integer class "
                                            "numbers (torch.long), as they are given: no "
                                            ".float() on them"),
    (RuntimeError, "grad can be implicitly created only for scalar",
     "backward() needs one number: reduce the per-image losses with .mean() (F.cross_entropy "
     "does by default)"),
]


def check_step(step, mistakes):
    """Run ``step`` twice on a small model; compare losses and weights with the right answer's
    and with each mistake model's, naming the first that matches."""
    if importlib.util.find_spec("torch") is None:
        return CheckResult(False, no_torch())
    import torch

    outcome, failure = _outcome(step, torch, hints=TORCH_EXCEPTIONS)
    if failure is not None:
        return failure
    right, _ = _outcome(torch_step, torch)
    losses, weights, grads = outcome
    if _same(outcome, right, torch):
        if not all(isinstance(v, float) for v in losses):
            return CheckResult(False, f"torch_step: right numbers, but return the loss as a "
                                      f"Python float (loss.item()), got "
                                      f"{type(losses[0]).__name__}")
        return CheckResult(True, "torch_step: correct: two steps with momentum, same losses "
                                 "and weights as the worked solution")
    initial = [p.detach().clone() for p in _setup(torch)[0].parameters()]
    if all(_same_weights(w, initial, torch) for w in weights):
        idle = all(g is None or not torch.any(g) for g in grads)
        return CheckResult(False, "torch_step: the weights did not change: " + (
            "no gradient reached optimizer.step(); call loss.backward() after zero_grad() and "
            "before step()" if idle else "call optimizer.step() after loss.backward()"))
    for mistake, hint in mistakes:
        other, problem = _outcome(mistake, torch)
        if problem is None and _same(outcome, other, torch):
            return CheckResult(False, f"torch_step: {hint}")
    if None in [_as_number(v) for v in losses]:
        return CheckResult(False, f"torch_step: return the loss as a number (loss.item()), got "
                                  f"{type(losses[0]).__name__}")
    got, wanted = [_as_number(v) for v in losses], right[0]
    on = ("torch_step: on a 5-image and a 3-image batch (6x8 images, 3 classes, SGD with "
          "momentum 0.9)")
    if not np.isclose(got[0], wanted[0], rtol=1e-9, atol=1e-12):
        return CheckResult(False, f"{on}: your first loss is {got[0]:.6g}, expected "
                                  f"{wanted[0]:.6g} (before any step): the loss itself differs; "
                                  f"return F.cross_entropy(model(images), labels), the mean over "
                                  f"the whole batch, as it was before the step")
    first = "first" if not _same_weights(weights[0], right[1][0], torch) else "second"
    return CheckResult(False, f"{on}: your loss is right, but the weights after the {first} "
                              f"step differ from optimizer.step()'s: clear the old gradients "
                              f"(optimizer.zero_grad()) before loss.backward(), then call the "
                              f"optimizer you were given, once, and change no weight by hand")


def _cross_entropy(loss):
    """A training step whose loss is ``loss(logits, labels, F)``; the rest right."""
    def step(model, optimizer, images, labels):
        import torch.nn.functional as F
        optimizer.zero_grad()
        value = loss(model(images), labels, F)
        value.backward()
        optimizer.step()
        return value.item()
    return step


def _no_zero_grad(model, optimizer, images, labels):
    import torch.nn.functional as F
    loss = F.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


def _loss_after_step(model, optimizer, images, labels):
    import torch.nn.functional as F
    torch_step(model, optimizer, images, labels)
    return F.cross_entropy(model(images), labels).item()


def _twice(model, optimizer, images, labels):
    import torch
    loss = torch_step(model, optimizer, images, labels)
    with torch.no_grad():
        for p in model.parameters():
            p -= 0.1 * p.grad
    return loss


def _no_momentum(model, optimizer, images, labels):
    import torch
    import torch.nn.functional as F
    optimizer.zero_grad()
    loss = F.cross_entropy(model(images), labels)
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= optimizer.param_groups[0]["lr"] * p.grad
    return loss.item()


def _two_steps(model, optimizer, images, labels):
    torch_step(model, optimizer, images, labels)
    return torch_step(model, optimizer, images, labels)


def _one_image(model, optimizer, images, labels):
    return torch_step(model, optimizer, images[:1], labels[:1])


def _adam(lr=None):
    """A step with a new Adam optimizer (its default learning rate, or the given one's)."""
    def step(model, optimizer, images, labels):
        import torch
        rate = {} if lr is None else {"lr": lr}
        return torch_step(model, torch.optim.Adam(model.parameters(), **rate), images,
                                   labels)
    return step


TORCH_MISTAKES = [
    (_no_momentum, "the weights moved by plain gradient descent, without momentum: you updated "
                   "them by hand (p -= lr * p.grad) or made a new optimizer inside the step, "
                   "which forgets its velocity; call the optimizer you were given: "
                   "optimizer.step()"),
    (_two_steps, "you took two steps per call: one forward, one backward and one "
                 "optimizer.step() per call"),
    (_one_image, "you trained on one image only: use the whole batch, images and labels as "
                 "they are"),
    (_adam(), "you made a new optimizer (Adam) inside the step: call the optimizer you were "
              "given, optimizer.step()"),
    (_adam(0.1), "you made a new optimizer (Adam) inside the step: call the optimizer you were "
                 "given, optimizer.step()"),
    (_no_zero_grad, "the gradients add up from step to step: call optimizer.zero_grad() before "
                    "loss.backward()"),
    (_cross_entropy(lambda z, y, F: F.cross_entropy(F.softmax(z, dim=1), y)),
     "F.cross_entropy takes the logits and applies log-softmax itself: do not apply softmax "
     "first"),
    (_cross_entropy(lambda z, y, F: F.nll_loss(z, y)),
     "F.nll_loss expects log-probabilities: use F.cross_entropy on the logits (or nll_loss of "
     "F.log_softmax)"),
    (_cross_entropy(lambda z, y, F: F.cross_entropy(z, y, reduction="sum")),
     "that is the sum over the batch; the loss is the mean (F.cross_entropy's default)"),
    (_cross_entropy(lambda z, y, F: F.mse_loss(z, F.one_hot(y, 3).double())),
     "that is squared error on one-hot labels; classification uses F.cross_entropy"),
    (_cross_entropy(lambda z, y, F: F.cross_entropy(z, (y + 1) % 3)),
     "your labels are off by one: pass labels as they are"),
    (_cross_entropy(lambda z, y, F: -F.cross_entropy(z, y)),
     "the sign is flipped: minimise F.cross_entropy itself (step() already goes downhill)"),
    (_loss_after_step, "return the loss you backpropagated (computed before the step), not a "
                       "new one after it"),
    (_twice, "the weights moved twice: optimizer.step() already applies the learning rate and "
             "the momentum; do not update them by hand as well"),
]
