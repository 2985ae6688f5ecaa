"""Lesson 04's mistake catalogues, as data: the exercises' inputs, the models of the mistakes
learners make (each the answer that mistake gives) and the hint that names it, and the hints for
the exceptions a wrong loop raises.

:mod:`cnnlab.lessons.lesson04` declares the exercises themselves (task, idea, solution); its
tests (tests/lessons/test_lesson04.py) write each mistake out as a learner would and check that
its hint names it.
"""

from __future__ import annotations

import numpy as np

from ..pooling import avg_pool, max_pool, max_pool_backward, max_pool_forward

# Fractional values of both signs, an odd 6x7 map, an all-negative 5x7 one, ties in windows.
MAP = np.round(np.random.default_rng(4).uniform(-5, 5, size=(6, 7)), 2)
NEG = -np.abs(MAP[:5]) - 0.25
TIES = np.array([[3.0, 3.0, 1.0, 0.0, -1.0, 2.0, 0.5],
                 [0.0, 2.0, 4.0, 4.0, 2.0, -1.0, 9.0],
                 [1.0, 5.0, 0.0, 0.0, 6.0, 1.0, 0.0],
                 [5.0, 2.0, 0.0, 0.0, 1.0, 6.0, -2.0],
                 [-2.0, -2.0, 7.0, 1.0, 0.0, 3.0, 1.0],
                 [-3.0, -2.0, 2.0, 7.0, 3.0, 3.0, 4.0],
                 [8.0, 0.0, 1.0, 9.0, -1.0, 2.0, 5.0]])  # 7x7: the floor rule drops a row/column


def _windows_model(m, size, stride, reduce, start_step=None, ceil=False):
    """Pooling as loops with a chosen reduction, step between windows and size rule."""
    start_step = stride if start_step is None else start_step
    def count(n):
        return -(-(n - size) // stride) + 1 if ceil else (n - size) // stride + 1
    return np.array([[reduce(m[i * start_step:i * start_step + size,
                               j * start_step:j * start_step + size])
                      for j in range(count(m.shape[1]))] for i in range(count(m.shape[0]))])


BEST_ZERO = ("you started from best = 0, but in a window whose values are all negative none "
             "beats it (this map is all negative): start from the window's first value, or use "
             "np.max")
RELU_FIRST = ("you applied a ReLU to the feature map before pooling ({}), so every window of "
              "negative values gives 0 (this map is all negative); max_pool_2d pools the map as "
              "it is: keep each window's largest value, negative or not")
RELU_NAMES = ("maximum", "relu", "clip", "where", "relu_forward")   # how a ReLU is written


def _window_size_model(m, size, stride, window):
    """Windows of side ``window`` at the right places and count (a slice end off by one)."""
    count = [(n - size) // stride + 1 for n in m.shape]
    return np.array([[m[i * stride:i * stride + window, j * stride:j * stride + window].max()
                      for j in range(count[1])] for i in range(count[0])])


def _rows_squared(out):
    """The first rows x rows windows, as loops over range(rows) twice give them (None where
    those loops would run past the map)."""
    return out[:len(out), :len(out)] if len(out) <= out.shape[1] else None


MAX_POOL_MISTAKES = [
    (lambda m, size, stride: _rows_squared(max_pool(m, size, stride)),
     "your output has as many columns as rows, as if the map were square (this one is 6x7): "
     "the columns come from the width, (W - size) // stride + 1"),
    (lambda m, size, stride: max_pool(m, size, size),
     "did you include the stride? These windows step by the window size"),
    (lambda m, size, stride: avg_pool(m, size, stride),
     "that is the average of each window; max pooling keeps the largest value"),
    (lambda m, size, stride: max_pool(m, stride, stride),
     "you used the stride as the window size"),
    (lambda m, size, stride: _windows_model(m, size, stride, np.min),
     "that is the smallest value of each window; max pooling keeps the largest"),
    (lambda m, size, stride: _windows_model(m, size, stride, np.sum),
     "that is the sum of each window; max pooling keeps the largest value"),
    (lambda m, size, stride: _windows_model(m, size, stride, np.max, start_step=1),
     "right size, but your windows start at row i, not i * stride: the window of out[i, j] "
     "is feature_map[i*stride:i*stride + size, j*stride:j*stride + size]"),
    (lambda m, size, stride: _windows_model(m, size, stride, np.max, ceil=True),
     "you kept a last window that runs past the edge; the floor rule drops it: "
     "(n - size) // stride + 1 windows"),
    (lambda m, size, stride: max_pool(m, size, stride)[:-1, :-1],
     "you left out the last row and column of windows: there are (n - size) // stride + 1"),
    (lambda m, size, stride: max_pool(m.T, size, stride),
     "rows and columns are swapped (this map is 6x7, not square): out[i, j] comes from "
     "rows near i * stride and columns near j * stride"),
    (lambda m, size, stride: np.max(m), "that is the largest value of the whole map; max "
                                        "pooling keeps one maximum per window"),
    (lambda m, size, stride: np.maximum(max_pool(m, size, stride), 0), BEST_ZERO),
    (lambda m, size, stride: np.maximum(max_pool(m, size, stride), -1),
     "you started from a fixed number (best = -1), which a window of smaller values never "
     "beats (this map is all negative): start from the window's first value, or use np.max"),
    (lambda m, size, stride: m[::stride, ::stride][:(m.shape[0] - size) // stride + 1,
                                                   :(m.shape[1] - size) // stride + 1],
     "you kept each window's first (top-left) value; max pooling keeps the largest"),
    (lambda m, size, stride: _windows_model(m, size, stride, np.median),
     "that is the median of each window; max pooling keeps the largest value"),
    (lambda m, size, stride: _windows_model(m, size, stride, lambda w: w.flat[np.argmax(
        np.abs(w))]), "you kept the value largest in size (abs); max pooling keeps the largest "
                      "value, so a window of negative values keeps its least negative one"),
    (lambda m, size, stride: np.trunc(max_pool(m, size, stride)),
     "your output holds whole numbers only (np.zeros(..., dtype=int) cuts off the fractions): "
     "make it a float array"),
    (lambda m, size, stride: max_pool(np.abs(m), size, stride),
     "you pooled the absolute values (np.abs): a window of negative values then gives a "
     "positive number; keep each window's largest value as it is"),
    (lambda m, size, stride: _window_size_model(m, size, stride, size + 1),
     "your windows are size + 1 wide (the slice i*stride:i*stride + size already takes size "
     "cells; its end is excluded)"),
    (lambda m, size, stride: _window_size_model(m, size, stride, size - 1),
     "your windows are size - 1 wide: the end of a slice is excluded, so "
     "feature_map[i*stride:i*stride + size] takes the size cells"),
    (lambda m, size, stride: max_pool(m, 2, stride),
     "your windows are always 2x2: use the argument size for the window's side"),
    (lambda m, size, stride: max_pool(m, size, 2),
     "your windows always step by 2: use the argument stride for the step"),
    (lambda m, size, stride: max_pool(m, 2, 2),
     "your windows are always 2x2 and always step by 2, whatever the arguments: use size for "
     "the window's side and stride for the step"),
    (lambda m, size, stride: _zero_padded_ceil(m, size, stride),
     "you padded the map with zeros to keep a last, partial window (ceil instead of floor); "
     "the floor rule drops a window that runs past the edge: (n - size) // stride + 1 "
     "windows"),
    (lambda m, size, stride: _extra_windows(m, size, stride, 1),
     "one window too many each way (+2 where the size rule has + 1): there are "
     "(n - size) // stride + 1 windows, and the extra one runs past the edge"),
]


def _zero_padded_ceil(m, size, stride):
    """Ceil mode: the map padded with zeros at the bottom and right to fit a last window."""
    count = [-(-(n - size) // stride) + 1 for n in m.shape]
    padded = np.zeros(((count[0] - 1) * stride + size, (count[1] - 1) * stride + size))
    padded[:m.shape[0], :m.shape[1]] = m
    return max_pool(padded, size, stride)


def _extra_windows(m, size, stride, extra):
    """``extra`` more windows each way than the floor rule's; a window past the edge is cut to
    what is left of the map (0 when nothing is)."""
    count = [(n - size) // stride + 1 + extra for n in m.shape]
    return np.array([[(lambda w: w.max() if w.size else 0.0)(
        m[i * stride:i * stride + size, j * stride:j * stride + size])
        for j in range(count[1])] for i in range(count[0])])
BACKWARD_EXCEPTIONS = [
    (IndexError, "out of bounds",
     "your loop reached past the map's edge: with an odd size (this map is 7x7) the last row "
     "and column belong to no window (the floor rule), so the last range(0, h, 2) step finds "
     "a half window; loop over grad_pooled's cells, range(grad_pooled.shape[0]), with window "
     "(i, j) starting at row 2 * i and column 2 * j"),
]
MAX_POOL_EXCEPTIONS = [
    (ValueError, "zero-size array", "a window ran past the edge of the map (an empty slice): "
                                    "window i starts at row i * stride (not i * size), and "
                                    "there are (n - size) // stride + 1 windows (floor rule)"),
    (IndexError, "out of bounds", "you wrote outside the output array: it has "
                                  "(n - size) // stride + 1 rows and columns (floor rule)"),
]


def right_backward(grad, m):
    """The right answer: each window's gradient to its first maximum."""
    return max_pool_backward(grad, max_pool_forward(m, 2)[1])


def _routed(grad, m, pick, step=2):
    """Each window's gradient to the cells ``pick(window)`` names (a model of a rule)."""
    out = np.zeros(m.shape)
    for (i, j), g in np.ndenumerate(grad):
        for a, b in pick(m[2 * i:2 * i + 2, 2 * j:2 * j + 2]):
            out[step * i + a, step * j + b] = g
    return out


def _tied(window):
    return np.argwhere(window == window.max())


def _skip_negative_windows(grad, m):
    """Windows whose maximum is not above 0 get no gradient (a loop starting from best = 0)."""
    keep = np.kron(max_pool(m, 2) > 0, np.ones((2, 2)))
    out = right_backward(grad, m)
    out[:keep.shape[0], :keep.shape[1]] *= keep
    return out


RELU_FIRST_BACKWARD = ("you applied a ReLU to feature_map before looking for the winners: in a "
                      "window of negative values every cell then ties at 0 and the first one "
                      "got the gradient; the winner is the cell the forward pass kept, the "
                      "window's largest value, negative or not")


def _floor_padded(grad, m):
    """``grad`` (twice grad_pooled's shape) padded with 0 to the map's shape: the rows and
    columns the floor rule dropped."""
    return np.pad(grad, [(0, m.shape[0] - grad.shape[0]), (0, m.shape[1] - grad.shape[1])])


def _winner_by(grad, m, place):
    """Each window's gradient to ``place(i, j, flat)``, where ``flat`` is the window's
    np.argmax (a model of a mistake in turning it into a position)."""
    out = np.zeros(m.shape)
    for (i, j), g in np.ndenumerate(grad):
        flat = int(np.argmax(m[2 * i:2 * i + 2, 2 * j:2 * j + 2]))
        out[place(i, j, flat, m.shape)] += g
    return out


BACKWARD_MISTAKES = [
    (lambda g, m: _floor_padded(np.kron(g, np.ones((2, 2))) / 4, m),
     "your gradient went to every cell of the window, a quarter each: that is average "
     "pooling's rule; max pooling sends it all to the window's winner"),
    (lambda g, m: _winner_by(g, m, lambda i, j, f, shape: (2 * i + f // shape[1],
                                                          2 * j + f % shape[1])),
     "you turned the window's flat argmax into (row, col) with the map's width; a window is 2 "
     "wide: np.unravel_index(flat, (2, 2)) or divmod(flat, 2)"),
    (lambda g, m: _winner_by(g, m, lambda i, j, f, shape: (i + f // 2, j + f % 2)),
     "you forgot the window's offset: the window of grad_pooled[i, j] starts at row 2 * i and "
     "column 2 * j, so its winner is at (2 * i + u, 2 * j + v)"),
    (lambda g, m: np.kron(g, np.ones((2, 2))) / 4,
     "your gradient went to every cell of the window: that is average pooling's rule; max "
     "pooling sends it only to the winner"),
    (lambda g, m: _floor_padded(np.kron(g, np.ones((2, 2))), m),
     "every cell of the window got the whole gradient (copied to all 4 cells); max pooling "
     "sends each window's gradient to its winner only, the cell that held the maximum"),
    (lambda g, m: np.kron(g, np.ones((2, 2))),
     "every cell of the window got the whole gradient; only the cell that held the maximum "
     "should"),
    (lambda g, m: _routed(g, m, _tied),
     "where two cells tie for the maximum you gave the gradient to both; only the first "
     "(row-major, as np.argmax picks it) gets it, so the sum of the gradients is kept"),
    (lambda g, m: _routed(g, m, lambda w: _tied(w)[-1:]),
     "where two cells tie for the maximum you gave the gradient to the last one; the rule "
     "is the first (np.argmax's)"),
    (lambda g, m: np.where(right_backward(np.ones_like(g), m) > 0, m, 0.0),
     "those are the winning values of the map, not the gradient: put grad_pooled there"),
    (lambda g, m: _routed(g, m, lambda w: [np.unravel_index(np.argmin(w), (2, 2))]),
     "your gradient went to the smallest cell of each window; it goes to the maximum"),
    (lambda g, m: right_backward(g, m) * m,
     "you multiplied by the winning value; max pooling passes the gradient through "
     "unchanged (its derivative is 1 at the winner)"),
    (lambda g, m: g, "that is grad_pooled itself; spread it back to the feature map's shape "
                     "(each value to its window's winner)"),
    (lambda g, m: right_backward(g.T, m.T).T,
     "rows and columns are swapped: the window of grad_pooled[i, j] is "
     "feature_map[2i:2i + 2, 2j:2j + 2]"),
    (lambda g, m: np.trunc(right_backward(g, m)),
     "your gradient holds whole numbers only (np.zeros(..., dtype=int), or np.zeros_like of "
     "an integer map, cuts off the fractions): make it a float array"),
    (lambda g, m: right_backward(np.ones_like(g), m),
     "you put 1 at each winner; put grad_pooled[i, j] there"),
    (lambda g, m: _routed(g, m, lambda w: _tied(w)[:1], step=1),
     "the winner of window (i, j) is at feature_map[2i + a, 2j + b], not [i + a, j + b]: the "
     "window starts at row 2i and column 2j"),
    (lambda g, m: _routed(g, m, lambda w: _tied(w)[:1, ::-1]),
     "inside the window you swapped the row and column of the winner: it is at "
     "feature_map[2i + a, 2j + b] with a its row"),
    (_skip_negative_windows,
     "a window whose values are all negative got no gradient: did you start from best = 0? "
     "Start from the window's first value (or use np.argmax)"),
    (lambda g, m: right_backward(g, np.maximum(m, 0)), RELU_FIRST_BACKWARD),
    (lambda g, m: right_backward(np.abs(g), m),
     "you sent the absolute value of the gradient (np.abs): a negative grad_pooled[i, j] "
     "stays negative at its winner"),
    (lambda g, m: _routed(g, m, lambda w: [np.unravel_index(np.argmax(np.abs(w)), (2, 2))]),
     "your gradient went to the cell largest in size (np.abs); it goes to the largest value, "
     "so in a window of negative values to the least negative one"),
    (lambda g, m: right_backward(g, m) / 4,
     "you divided the gradient by 4 (the window's size): that is average pooling's share; "
     "max pooling passes the whole grad_pooled[i, j] to the winner"),
]


def backward_shape_hint(shape):
    return (f"your gradient has shape {shape}, twice grad_pooled's; it must have the feature "
            f"map's shape (this one is 7x7): the row and column the floor rule dropped get "
            f"gradient 0") if shape == (6, 6) else None
