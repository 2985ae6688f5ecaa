"""Lesson 10's mistake catalogues, as data: for each exercise its test inputs, the models of the
mistakes learners make (each the answer that mistake gives) and the hint that names it.

:mod:`cnnlab.lessons.lesson10` declares the exercises themselves (task, idea, solution); its
tests (tests/lessons/test_lesson10.py) write each mistake out as a learner would and check that
its hint names it.
"""

from __future__ import annotations

import numpy as np

from ..activations import softmax
from ..losses import softmax_cross_entropy
from ..models import init_small_cnn, saliency, small_cnn_backward, small_cnn_forward

# Two confusion matrices (rows: true class, columns: prediction).  The second is 4x4, its
# largest mistake count (7) is neither the largest share of its row nor of its column, and its
# answer is another cell than the first's: no hard-coded pair passes both.
# Above the diagonal alone (np.triu) and both directions added point at different cells.
_M1 = np.array([[50, 6, 0], [5, 40, 5], [1, 9, 38]])
_ORDER = [2, 3, 0, 1]
_M2 = np.array([[30, 1, 6, 0], [2, 30, 0, 4], [0, 7, 41, 1], [5, 0, 2, 10]])[_ORDER][:, _ORDER]
# A tie: the largest mistake count, 7, is in three cells; the first in row-major order (as
# np.argmax reads the matrix) is (0, 2), the last (2, 1) and the first down the columns (1, 0).
_M3 = np.array([[20, 4, 7, 1], [7, 15, 0, 2], [3, 7, 30, 0], [0, 5, 2, 11]])
MATRICES = [(_M1,), (_M2,)]
CONFUSED_MATRICES = [(_M1,), (_M2,), (_M3,)]


def _off(m):
    return m - np.diag(np.diag(m))


def _cell(m, scores):
    return tuple(int(i) for i in np.unravel_index(np.argmax(scores), m.shape))


def _last_cell(m, scores):
    flat = np.ravel(scores)
    index = flat.size - 1 - int(np.argmax(flat[::-1]))
    return tuple(int(i) for i in np.unravel_index(index, m.shape))


def right_accuracy(m):
    return np.trace(m) / m.sum()


def _recall(m):
    return np.diag(m) / m.sum(axis=1)


ACCURACY_MISTAKES = [
    (np.trace, "that is the number of right answers (the trace); divide by the total number of "
               "images"),
    (lambda m: _recall(m).mean(), "that is the mean of the per-class accuracies (each row's "
                                  "diagonal over the row's sum); count every image once: trace "
                                  "/ total"),
    (lambda m: (np.diag(m) / m.sum(axis=0)).mean(),
     "that is the mean precision (each column's diagonal over the column's sum); the accuracy "
     "is the trace over the total"),
    (lambda m: np.trace(m) / len(m), "divide by the number of images (the sum of the matrix), "
                                     "not the number of classes (that gives the mean of the "
                                     "diagonal)"),
    (lambda m: np.trace(m) / m.size, "divide by the number of images (the sum of the matrix), "
                                     "not the number of cells"),
    (lambda m: 1 - right_accuracy(m), "that is the error rate (the wrong answers' share): take "
                                      "the diagonal"),
    (lambda m: 100 * right_accuracy(m), "that is a percentage; return a fraction between 0 and "
                                        "1"),
    (lambda m: np.trace(m) / (m.sum() - np.trace(m)), "you divided by the wrong answers only; "
                                                      "divide by all the images (the sum of "
                                                      "the whole matrix)"),
    (_recall, "that is one accuracy per class (per row); the accuracy is one number: trace / "
              "total"),
    (lambda m: np.trace(m) // m.sum(), "integer division (//), or int(), rounds down to 0; use "
                                        "/ and keep the fraction"),
    (lambda m: np.mean(np.diag(m)) / np.mean(m), "the mean of the diagonal over the mean of the "
                                                 "matrix is n times the accuracy: the diagonal "
                                                 "has n cells, the matrix n * n; divide the sums"),
    (lambda m: np.trace(m[::-1]) / m.sum(), "m[::-1] turns the matrix upside down: its trace is "
                                            "the anti-diagonal; take np.trace(m) itself"),
    (lambda m: np.trace(m) / (m.sum() + 1), "you divided by the number of images plus one: the "
                                            "total is m.sum()"),
    (lambda m: np.diag(m).max() / m.sum(), "that is only the largest diagonal cell; add up the "
                                           "whole diagonal (np.trace)"),
    (lambda m: m[0, 0] / m[0].sum(), "that is the first class's accuracy alone; use the whole "
                                     "diagonal and the whole matrix"),
    (lambda m: np.trace(m) / m[0].sum(), "you divided by the first row's sum (the images of "
                                         "class 0 alone), so the answer can exceed 1, which an "
                                         "accuracy never does: divide the trace by the total, "
                                         "the sum of the whole matrix"),
    (lambda m: np.trace(m) / m.max(), "you divided by the largest cell, so the answer can "
                                      "exceed 1, which an accuracy never does: divide the trace "
                                      "by the total, the sum of the whole matrix"),
]


def right_most_confused(m):
    return _cell(m, _off(m))


CONFUSED_MISTAKES = [
    (lambda m: _cell(m, m), "that is a diagonal cell (right answers): leave the diagonal out"),
    (lambda m: right_most_confused(m)[::-1], "you swapped the order: rows are the true class, "
                                             "columns the prediction"),
    (lambda m: int(np.argmax(_off(m))), "that is a flat index into the matrix; turn it into "
                                        "(row, column) with np.unravel_index(index, m.shape)"),
    (lambda m: _off(m).max(), "that is the largest count; return where it is, (true, "
                              "predicted)"),
    (lambda m: tuple(i + 1 for i in right_most_confused(m)),
     "you counted from 1; Python's indices start at 0"),
    (lambda m: _cell(m, -np.where(_off(m) > 0, _off(m), m.max() + 1)),
     "that cell holds the smallest mistake count; you want the largest (argmax, not argmin)"),
    (lambda m: _cell(m, -(m + np.diag(np.full(len(m), m.max() + 1)))),
     "that cell holds no mistakes at all; did you take argmin over a matrix with the diagonal "
     "zeroed?"),
    (lambda m: tuple(np.argmax(_off(m), axis=1)), "that is one argmax per row (or column); take "
                                                  "the argmax of the whole matrix and turn it "
                                                  "into (row, column) with np.unravel_index"),
    (lambda m: tuple(np.argmax(_off(m), axis=0)), "that is one argmax per row (or column); take "
                                                  "the argmax of the whole matrix and turn it "
                                                  "into (row, column) with np.unravel_index"),
    (lambda m: _cell(m, _off(m) / m.sum(axis=1, keepdims=True)),
     "that is the largest share of its row (a rate); the most frequent mistake is the largest "
     "count itself: do not divide by the row sums"),
    (lambda m: _cell(m, _off(m) / m.sum(axis=0, keepdims=True)),
     "that is the largest share of its column; the most frequent mistake is the largest count "
     "itself: do not divide by the column sums"),
    (lambda m: _cell(m, np.triu(m, 1)),
     "you searched above the diagonal only (np.triu(m, 1)): mistakes below it count too; blank "
     "out the diagonal alone and search the whole matrix"),
    (lambda m: _cell(m, np.tril(m, -1)),
     "you searched below the diagonal only (np.tril(m, -1)): mistakes above it count too; blank "
     "out the diagonal alone and search the whole matrix"),
    (lambda m: (int(np.argmax(_off(m).sum(axis=1))), int(np.argmax(_off(m).sum(axis=0)))),
     "that pairs the class missed most often (a row sum) with the class wrongly predicted most "
     "often (a column sum); the pair is one cell: the argmax of the whole off-diagonal matrix"),
    *((lambda m, n=n: divmod(int(np.argmax(_off(m))), n),
       f"you divided the flat index by {n} (divmod(index, {n})), as if there were always {n} "
       f"classes; this matrix has n = len(matrix) classes: divmod(index, len(matrix)), or "
       f"np.unravel_index(index, matrix.shape)") for n in (10, 9, 11)),
    (lambda m: divmod(int(np.argmax(_off(m))), len(m) + 1),
     "divmod(index, n + 1): a row of the matrix has n cells, so (row, column) = divmod(index, "
     "n), or np.unravel_index(index, m.shape)"),
    (lambda m: _last_cell(m, _off(m)),
     "on a tie you returned the last of the largest cells; return the first in row-major "
     "order (along each row, row after row), which np.argmax gives"),
    (lambda m: _cell(m.T, _off(m).T)[::-1],
     "on a tie you returned the first of the largest cells down the columns; return the first "
     "in row-major order (along each row, row after row), which np.argmax of the matrix "
     "itself gives"),
    (lambda m: _cell(m, np.triu(_off(m) + _off(m).T)),
     "you added the two directions (m + m.T); (true, predicted) is one cell: 2 read as 1 is "
     "another mistake than 1 read as 2"),
]


def _small_params(seed, shape):
    params = init_small_cnn(num_filters=2, kernel_size=3, num_classes=3, image_shape=shape,
                            seed=seed)
    params["conv1.bias"] = np.array([0.05, -0.1])           # some ReLUs off, some on
    params["dense.bias"] = np.array([0.3, -0.2, 0.1])
    return params


def _image(seed, shape):
    image = np.random.default_rng(seed).random(shape)
    image[image < 0.25] = 0.0                                # black pixels, as in a digit
    return image


# A rectangular 6x8 image and a 7x5 one, non-integer pixels, zeros among them; in the second
# case the network predicts another class than the label asked about.
SALIENCY_CASES = [(_small_params(101, (6, 8)), _image(102, (6, 8)), 1),
                  (_small_params(103, (7, 5)), _image(104, (7, 5)), 0)]


def _backward(params, image, seed_of_logits, key="images"):
    """The backward pass from ``dlogits = seed_of_logits(logits)``, gradient of ``key``."""
    logits, cache = small_cnn_forward(params, image[None, None])
    grads = small_cnn_backward(seed_of_logits(logits), cache, input_grad=True)
    return grads[key][0, 0] if key == "images" else grads[key]


def _one_hot(label):
    return lambda z: np.eye(z.shape[1])[[label]]


def _loss_grad(p, im, label):
    return _backward(p, im, lambda z: softmax_cross_entropy(z, np.array([label]))[1])


def _probability_grad(p, im, label):
    def seed(z):
        prob = softmax(z)
        return prob[0, label] * (np.eye(z.shape[1])[[label]] - prob)
    return _backward(p, im, seed)


def _predicted(p, im, label):
    return _backward(p, im, lambda z: np.eye(z.shape[1])[[int(np.argmax(z))]])


SALIENCY_MISTAKES = [
    (lambda p, im, label: _backward(p, im, lambda z: np.eye(z.shape[1])[[label]] * z),
     "your map is the right one times a constant, the logit's value: you seeded dlogits[0, "
     "label] with the logit itself; the score's gradient with respect to itself is 1: "
     "dlogits = 1 at [0, label], 0 elsewhere"),
    (_loss_grad, "that is the gradient of the loss (softmax cross-entropy), not of the class's "
                 "score: start the backward pass from dlogits = 1 at [0, label], 0 elsewhere"),
    (lambda p, im, label: -_loss_grad(p, im, label),
     "that is minus the loss's gradient, not the class's score's: start the backward pass from "
     "dlogits = 1 at [0, label], 0 elsewhere"),
    (_probability_grad, "that is the gradient of the probability softmax(logits)[label]; "
                        "saliency differentiates the logit itself: dlogits = one-hot of label"),
    (lambda p, im, label: _backward(p, im, np.ones_like),
     "you started the backward pass from 1 at every class: that is the gradient of the sum of "
     "all scores; put 1 only at [0, label]"),
    (_predicted, "you differentiated the predicted class's score; use the label you were given"),
    (lambda p, im, label: np.abs(saliency(p, im, label)),
     "np.abs throws the sign away: keep it (red pixels raise the score, blue lower it)"),
    (lambda p, im, label: -saliency(p, im, label),
     "the sign is flipped: dlogits[0, label] = +1, not -1"),
    (lambda p, im, label: saliency(p, im, label) * im,
     "that is gradient times input; saliency is the gradient alone"),
    (lambda p, im, label: saliency(p, im, (label + 1) % 3),
     "off by one in the class: dlogits[0, label] = 1, not label + 1"),
    (lambda p, im, label: saliency(p, im, (label - 1) % 3),
     "off by one in the class: dlogits[0, label] = 1, not label - 1"),
    (lambda p, im, label: _backward(p, im, _one_hot(label), "conv1.weight"),
     "that is the gradient of the first layer's kernels (conv1.weight); the pixels' gradient is "
     "small_cnn_backward(..., input_grad=True)['images']"),
    (lambda p, im, label: saliency(p, im, 1), "you used class 1 whatever the label: "
                                               "dlogits[0, label] = 1, with the argument label"),
    (lambda p, im, label: saliency(p, im, label) / np.abs(saliency(p, im, label)).max(),
     "you scaled it to a largest |value| of 1: return the gradient itself (the plot scales it)"),
    (lambda p, im, label: np.abs(saliency(p, im, label)) / np.abs(saliency(p, im, label)).max(),
     "np.abs and scaling to 1 throw the sign and the size away: return the gradient itself"),
    (lambda p, im, label: saliency(p, im, label) ** 2, "you squared the gradient, which throws its "
                                                       "sign away: return it as it is"),
    (lambda p, im, label: np.maximum(saliency(p, im, label), 0),
     "you kept the positive gradients only (a ReLU on the map): keep the negative ones too "
     "(pixels that lower the score)"),
    (lambda p, im, label: saliency(p, 255 * im, label), "you scaled the image by 255: the "
                                                        "network takes it as it is, 0 to 1"),
    (lambda p, im, label: saliency(p, 1 - im, label), "you inverted the image (1 - image): run "
                                                      "the network on the image as it is"),
    (lambda p, im, label: _backward(p, im, _one_hot(label))[None, None],
     "return one (H, W) map: take [0, 0] of grads['images'], whose shape is (1, 1, H, W)"),
]

SALIENCY_EXCEPTIONS = [
    (KeyError, "images", "small_cnn_backward returns the pixels' gradient under 'images' only "
                         "when asked: pass input_grad=True"),
    (ValueError, "images must be 3-D or 4-D", "small_cnn_forward takes a batch: give it "
                                              "image[None, None], shape (1, 1, H, W)"),
    (ValueError, "grad_logits", "dlogits has the logits' shape (1, num_classes): np.zeros_like"
                                "(logits), then set [0, label] = 1"),
]


def saliency_shape_hint(shape):
    return (f"return one (H, W) map, got shape {shape}: grads['images'] has shape (1, 1, H, "
            f"W); take [0, 0] of it" if len(shape) != 2 else None)
