"""Lesson 09's mistake catalogue for its mini-batch exercise, as data: the test inputs, the models
of the mistakes learners make (each the batches that mistake gives) and the hint that names it.

:mod:`cnnlab.lessons.lesson09` declares the exercise itself (task, idea, solution); its tests
(tests/lessons/test_lesson09.py) write each mistake out as a learner would and check that its
hint names it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import numpy as np

from ..data import iterate_minibatches
from ._check import CheckResult, run_function

_RNG = np.random.default_rng(92)
# (images, labels, batch_size, seed): 7 images of 2x3 in batches of 3 (the last holds one), 10
# of 4 numbers in batches of 4, and 8 in batches of 4 (no partial batch: a count of
# N // batch_size + 1 would add an empty one); non-integer pixels, labels that tell every
# image apart.
BATCH_CASES = [(_RNG.normal(size=(7, 2, 3)), np.arange(7) * 3 % 7, 3, 5),
               (_RNG.normal(size=(10, 4)), np.arange(10)[::-1].copy(), 4, 1),
               (_RNG.normal(size=(8, 3)), (np.arange(8) * 5 % 8).copy(), 4, 2)]


def right_minibatches(images, labels, batch_size, seed):
    return list(iterate_minibatches(images, labels, batch_size, rng=np.random.default_rng(seed)))


def _cut(images, labels, order, batch_size):
    return [(images[order[i:i + batch_size]], labels[order[i:i + batch_size]])
            for i in range(0, len(order), batch_size)]


def _legacy(images, labels, batch_size, seed):
    np_random = np.random.RandomState(seed)
    return _cut(images, labels, np_random.permutation(len(labels)), batch_size)


def _two_orders(images, labels, batch_size, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.permutation(len(labels)), rng.permutation(len(labels))
    return [(images[a[i:i + batch_size]], labels[b[i:i + batch_size]])
            for i in range(0, len(a), batch_size)]


def _batches_shuffled(images, labels, batch_size, seed):
    starts = np.random.default_rng(seed).permutation(np.arange(0, len(labels), batch_size))
    return [(images[s:s + batch_size], labels[s:s + batch_size]) for s in starts]


def _order(seed, n):
    return np.random.default_rng(seed).permutation(n)


def _seed_off(step):
    def model(images, labels, batch_size, seed):
        return _cut(images, labels, _order(seed + step, len(labels)), batch_size)
    return model


BATCH_MISTAKES = [
    (_seed_off(1), "you shuffled with seed + 1: draw the order with the seed you are given, "
                   "np.random.default_rng(seed).permutation(N)"),
    (_seed_off(-1), "you shuffled with seed - 1: draw the order with the seed you are given, "
                    "np.random.default_rng(seed).permutation(N)"),
    (lambda im, y, b, s: _cut(im, y, np.arange(len(y)), b),
     "your batches are not shuffled: draw the order with np.random.default_rng(seed)"
     ".permutation(N) first"),
    (_two_orders, "images and labels were shuffled by two different permutations, so no image "
                  "keeps its label: draw one order and index both with it"),
    (lambda im, y, b, s: [(im[_order(s, len(y))[i:i + b]], y[i:i + b])
                          for i in range(0, len(y), b)],
     "the labels kept their old order while the images were shuffled: index both with the "
     "same order"),
    (lambda im, y, b, s: _cut(im, y, _order(s, len(y)), b)[:len(y) // b],
     "the last, smaller batch is missing: an epoch covers every image once (range(0, N, "
     "batch_size))"),
    (_legacy, "that is the old global generator (np.random.seed / RandomState); the course draws "
              "with np.random.default_rng(seed).permutation(N)"),
    (lambda im, y, b, s: _cut(im, y, np.random.default_rng(s).choice(len(y), len(y)), b),
     "rng.choice(N, N) draws with replacement, so some images come twice and some never: use "
     "rng.permutation(N)"),
    (lambda im, y, b, s: [(im[_order(s, len(y))[i:i + b]], y[_order(s, len(y))[i:i + b]])
                          for i in range(len(y) - b + 1)],
     "your batches overlap: step through the order batch_size at a time (range(0, N, "
     "batch_size))"),
    (_batches_shuffled, "you shuffled the batches but not the images: shuffle the images first, "
                        "then cut the order into batches"),
    (lambda im, y, b, s: _cut(im, y, _order(s, len(y) - 1), b),
     "one image never comes: permute all N images (permutation(N), not N - 1)"),
    (lambda im, y, b, s: [(im[_order(s, len(y))[k * b:(k + 1) * b]],
                           y[_order(s, len(y))[k * b:(k + 1) * b]])
                          for k in range(len(y) // b + 1)],
     "N // batch_size + 1 batches leave an empty last batch when batch_size divides N (8 images "
     "in 4s): count with range(0, N, batch_size), or round up: -(-N // batch_size)"),
    (lambda im, y, b, s: [(im[o], y[o]) for o in np.array_split(_order(s, len(y)), b)],
     "np.array_split(order, batch_size) makes batch_size batches of nearly equal size (7 images "
     "in 3s: sizes 3, 2, 2), not batches of batch_size images; cut the order every batch_size "
     "images, order[start:start + batch_size], so only the last batch is smaller (3, 3, 1)"),
    (lambda im, y, b, s: [(im[o], y[o]) for o in np.array_split(_order(s, len(y)),
                                                                 len(y) // b)],
     "np.array_split makes batches of nearly equal size; cut the order every batch_size images "
     "(the last batch holds what is left)"),
    (lambda im, y, b, s: [(im[_order(s, len(y))[i::b]], y[_order(s, len(y))[i::b]])
                          for i in range(b)],
     "order[i::batch_size] takes every batch_size-th image, which makes batch_size batches; a "
     "batch is a run of the order: order[start:start + batch_size]"),
]


def _same_batches(answer, expected):
    try:
        return len(answer) == len(expected) and all(
            len(pair) == 2 and np.array_equal(np.asarray(pair[0]), e[0])
            and np.array_equal(np.asarray(pair[1]), e[1])
            for pair, e in zip(answer, expected, strict=True))
    except TypeError:
        return False


def check_batches(answer_function):
    """Run ``minibatches`` on both cases; PASS, the named mistake, or what differs."""
    answers = []
    for args in BATCH_CASES:
        value, failure = run_function(answer_function, *args, name="minibatches",
                                      must_return=True)
        if failure is not None:
            return failure
        if isinstance(value, Iterator):
            return CheckResult(False, f"minibatches: return a list of (images, labels) pairs, "
                                      f"got a {type(value).__name__}: a generator (yield, or "
                                      f"(... for ...) in round brackets) has no len() and is "
                                      f"empty after one pass; build the list, [... for ...] in "
                                      f"square brackets, or list(...) around it")
        if not isinstance(value, (list, tuple)):
            return CheckResult(False, f"minibatches: return a list of (images, labels) pairs, "
                                      f"got {type(value).__name__}")
        answers.append(list(value))
    if not all(isinstance(pair, (tuple, list)) and len(pair) == 2 for a in answers for pair in a):
        return CheckResult(False, "minibatches: return a list of (images, labels) pairs, one "
                                  "per batch (not the images alone)")
    expected = [right_minibatches(*args) for args in BATCH_CASES]
    if all(_same_batches(a, e) for a, e in zip(answers, expected, strict=True)):
        return CheckResult(True, "minibatches: correct: 7 images in batches of 3, 10 and 8 in "
                                 "batches of 4, shuffled with the seed, each image once")
    for mistake, hint in BATCH_MISTAKES:
        if all(_same_batches(a, mistake(*args)) for a, args in
               zip(answers, BATCH_CASES, strict=True)):
            return CheckResult(False, f"minibatches: {hint}")
    k = next(i for i, (a, e) in enumerate(zip(answers, expected, strict=True))
             if not _same_batches(a, e))
    images, labels, batch_size, seed = BATCH_CASES[k]
    shapes = [np.shape(pair[0]) for pair in answers[k]]
    if any(np.shape(pair[0])[1:] != images.shape[1:] for pair in answers[k]):
        return CheckResult(False, f"minibatches: the first item of each pair must be a batch "
                                  f"of images, shape (batch, {images.shape[1]}, "
                                  f"{images.shape[2]}); yours have shapes {shapes[:3]}: "
                                  f"(images, labels), in that order")
    seen = Counter(label for pair in answers[k] for label in np.ravel(pair[1]).tolist())
    twice = sorted(label for label, count in seen.items() if count > 1)
    never = sorted(set(labels.tolist()) - set(seen))
    if twice or never:
        what = "; ".join(part for part in (
            f"the images labelled {twice} come more than once" if twice else "",
            f"the images labelled {never} never come" if never else "") if part)
        return CheckResult(False, f"minibatches: an epoch shows every image exactly once; on "
                                  f"{len(labels)} images, batch_size={batch_size}, seed={seed}, "
                                  f"{what} (your batches' labels: "
                                  f"{[np.ravel(p[1]).tolist() for p in answers[k]]}): cut the "
                                  f"order into runs that do not overlap, order[start:start + "
                                  f"batch_size] for start in range(0, N, batch_size)")
    same_seed, failure = run_function(answer_function, images, labels, batch_size, seed,
                                      name="minibatches", must_return=True)
    if failure is None and not _same_batches(same_seed, [(np.asarray(a), np.asarray(b))
                                                         for a, b in answers[k]]):
        return CheckResult(False, f"minibatches: two calls with the same seed={seed} gave "
                                  f"different batches: the seed is not used (np.random."
                                  f"permutation and np.random.shuffle draw from NumPy's global "
                                  f"generator); draw the order from the seed you are given, "
                                  f"np.random.default_rng(seed).permutation(N)")
    other_seed = seed + 1
    again, failure = run_function(answer_function, images, labels, batch_size, other_seed,
                                  name="minibatches", must_return=True)
    if (failure is None and _same_batches(again, [(np.asarray(a), np.asarray(b))
                                                        for a, b in answers[k]])
            and not _same_batches(expected[k], right_minibatches(images, labels, batch_size,
                                                                 other_seed))):
        return CheckResult(False, f"minibatches: your batches are the same for seed={seed} and "
                                  f"seed={other_seed}: draw the order from the seed you are "
                                  f"given, np.random.default_rng(seed).permutation(N), not from "
                                  f"a number of your own")
    got = [np.asarray(pair[1]).tolist() for pair in answers[k]]
    wanted = [e[1].tolist() for e in expected[k]]
    if got == wanted:
        return CheckResult(False, f"minibatches: on {len(labels)} images, batch_size="
                                  f"{batch_size}, seed={seed}: the labels are right but the "
                                  f"images are not the ones given (changed, rounded or of "
                                  f"another dtype): take images[order[start:start + "
                                  f"batch_size]] as they are")
    return CheckResult(False, f"minibatches: on {len(labels)} images with labels "
                              f"{labels.tolist()}, batch_size={batch_size}, seed={seed}: your "
                              f"batches' labels are {got}, expected "
                              f"{[e[1].tolist() for e in expected[k]]}")
