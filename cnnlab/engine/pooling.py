"""Max pooling routed by map size, and the running maximum that the fused block uses.

:mod:`cnnlab.pooling` pools every map the same plain way (each window one row of a matrix,
``argmax`` along the rows).  For non-overlapping windows, this module picks between two routes
to the same winners and the same cache:

* a small map (at most :data:`FEW_CELLS` cells) is pooled in the fewest NumPy calls: the
  windows as one reshaped view, one ``argmax``.  Every NumPy call has a fixed cost whatever
  its size, and on one small map that fixed cost is most of the work;
* a bigger map is pooled in the fewest passes over memory: cell (a, b) of every window is one
  strided slice, copied into a compact array in x's memory layout, and a running maximum over
  those copies (:func:`running_maximum`) finds the winners.

Overlapping windows go to the textbook version.  Every route keeps the textbook's tie rule (the
first maximum in row-major order wins) and its cache format (``"layer": "max_pool_forward"``),
so :func:`cnnlab.pooling.max_pool_backward` takes these caches and the backward here takes the
textbook's; ``tests/test_engine_pooling.py`` checks both against the textbook.
"""

from __future__ import annotations

import math

import numpy as np

from ..pooling import check_pool_grad, check_pool_inputs, max_pool_backward, max_pool_forward

__all__ = [
    "FEW_CELLS",
    "running_maximum",
    "max_pool_forward_fast",
    "max_pool_backward_fast",
]

FEW_CELLS = 4096
"""Maps of at most this many cells are pooled in the fewest calls, bigger ones in the fewest
passes over memory (see the module docstring)."""


def running_maximum(out, cells):
    """Fold ``cells`` into ``out`` by element-wise maximum, in place; return which one won.

    Parameters
    ----------
    out : numpy.ndarray
        The first candidate; overwritten with the maximum.
    cells : list of numpy.ndarray
        The other candidates, each of ``out``'s shape.

    Returns
    -------
    numpy.ndarray of unsigned int, shape of out
        0 where ``out``'s own value stayed the maximum, k where ``cells[k - 1]`` took it; ties
        keep the earlier one (the first maximum wins, as ``np.argmax``).

    Examples
    --------
    >>> out = np.array([1.0, 5.0, 2.0])
    >>> running_maximum(out, [np.array([3.0, 5.0, 0.0])])
    array([1, 0, 0], dtype=uint8)
    >>> out
    array([3., 5., 2.])
    """
    winner = np.zeros(out.shape, dtype=np.min_scalar_type(len(cells)))
    for k, cell in enumerate(cells, start=1):
        better = np.greater(cell, out)                   # strictly greater: ties keep the first
        np.maximum(out, cell, out=out)
        # winner = k where better.  The k are increasing, so a maximum does it branch-free.
        np.maximum(winner, better.view(np.uint8) * winner.dtype.type(k), out=winner)
    return winner


def _cells(x, window, out_shape):
    """View k = (a, b): cell (a, b) of every non-overlapping window, one strided slice."""
    kh, kw = window
    oh, ow = out_shape
    for a in range(kh):
        for b in range(kw):
            yield x[..., a:a + kh * oh:kh, b:b + kw * ow:kw]


def max_pool_forward_fast(x, size=2, stride=None):
    """:func:`cnnlab.pooling.max_pool_forward`, routed by map size; the same numbers and cache.

    Parameters
    ----------
    x : array_like, shape (..., H, W)
    size : int or (int, int)
    stride : int or (int, int), optional

    Returns
    -------
    out : numpy.ndarray, shape (..., out_h, out_w)
    cache : dict
        :func:`cnnlab.pooling.max_pool_forward`'s format.

    Examples
    --------
    >>> out, cache = max_pool_forward_fast(np.array([[1, 2], [4, 3]]))
    >>> out, cache["winner"]
    (array([[4.]]), array([[2]], dtype=uint8))
    """
    x, window, step, out_shape = check_pool_inputs(x, size, stride)
    if window != step:
        return max_pool_forward(x, window, step)
    kh, kw = window
    out_grid = (*x.shape[:-2], *out_shape)
    if x.size <= FEW_CELLS:
        oh, ow = out_shape
        cropped = x[..., :oh * kh, :ow * kw]
        rows = cropped.reshape(*x.shape[:-2], oh, kh, ow, kw).swapaxes(-3, -2).reshape(-1, kh * kw)
        best = rows.argmax(axis=1)                       # first maximum wins ties
        out = rows[np.arange(rows.shape[0]), best].reshape(out_grid)
        winner = best.astype(np.min_scalar_type(kh * kw - 1)).reshape(out_grid)
    else:
        # Copy each cell's slice into a compact array in x's memory layout ("K"), so that the
        # comparisons run over contiguous memory rather than strided slices.
        cells = [view.copy(order="K") for view in _cells(x, window, out_shape)]
        out, winner = cells[0], running_maximum(cells[0], cells[1:])
    cache = {"layer": "max_pool_forward", "x": x, "x_shape": x.shape, "size": window,
             "stride": step, "out_shape": out_shape, "winner": winner}
    return out, cache


def max_pool_backward_fast(grad_out, cache):
    """:func:`cnnlab.pooling.max_pool_backward`, routed by map size; the same numbers.

    Parameters
    ----------
    grad_out : array_like, shape (..., out_h, out_w)
    cache : dict
        From any max-pool forward (textbook, loop or fast).

    Returns
    -------
    grad_x : numpy.ndarray, shape (..., H, W)

    Examples
    --------
    >>> _, cache = max_pool_forward_fast(np.array([[1, 2], [4, 3]]))
    >>> max_pool_backward_fast([[10.0]], cache)
    array([[ 0.,  0.],
           [10.,  0.]])
    """
    grad = check_pool_grad(grad_out, cache, "max_pool_forward", "max_pool_backward_fast")
    if cache["size"] != cache["stride"]:
        return max_pool_backward(grad, cache)
    kh, kw = cache["size"]
    (oh, ow), (height, width) = cache["out_shape"], cache["x_shape"][-2:]
    # in the forward pass this was out = the winner's value, so now the winner gets grad
    if math.prod(cache["x_shape"]) <= FEW_CELLS:
        rows = np.zeros((grad.size, kh * kw), dtype=grad.dtype)     # one row per window
        rows[np.arange(grad.size), cache["winner"].reshape(-1)] = grad.reshape(-1)
        blocks = rows.reshape(*grad.shape, kh, kw).swapaxes(-3, -2).reshape(
            *cache["x_shape"][:-2], oh * kh, ow * kw)
        if (oh * kh, ow * kw) == (height, width):
            return blocks                # the windows tile the map: nothing is left over
        grad_x = np.zeros(cache["x_shape"], dtype=grad.dtype)
        grad_x[..., :oh * kh, :ow * kw] = blocks
        return grad_x
    # The gradient gets x's memory layout, which keeps the loops fast.  Cells that no window
    # covers (the floor rule's leftover row or column) must be zero.
    covered = (oh * kh, ow * kw) == (height, width)
    grad_x = (np.empty_like if covered else np.zeros_like)(cache["x"], dtype=grad.dtype)
    aligned = np.empty_like(cache["winner"], dtype=grad.dtype)   # grad in winner's layout
    aligned[...] = grad
    for k, cells in enumerate(_cells(grad_x, cache["size"], cache["out_shape"])):
        np.multiply(aligned, cache["winner"] == k, out=cells)   # writes through the view
    return grad_x
