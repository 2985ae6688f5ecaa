"""Pooling: summarise each window of a feature map by its maximum or its mean.

A ``kh x kw`` window steps across the map by ``stride`` (by default the window size, so windows
do not overlap).  Max pooling keeps the strongest response in each window; average pooling its
mean.  Both shrink the map and make it a little indifferent to small shifts.

Sizes follow one rule, the floor rule PyTorch uses: ``out = (n - k) // s + 1``; rows and columns
left over at the bottom and right (when the windows do not divide the map) are dropped, and
receive zero gradient.  The seed's 2x2 pooling instead raised ``IndexError`` on odd sizes.

Backward:

* max pooling sends each window's gradient to the one cell that won (held the maximum) and
  zero to the others.  Ties: the first maximum in row-major order within the window wins
  (``np.argmax``'s rule).  The forward pass records the winners; backward and the pictures
  (:func:`max_pool_winners`) read the same record.
* average pooling shares each window's gradient equally among its ``kh * kw`` cells.

Everything works on the last two axes, so one map (H, W) and a batch (N, C, H, W) alike.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._validate import as_float_array, check_pair

__all__ = [
    "pool_output_shape",
    "max_pool",
    "avg_pool",
    "max_pool_forward",
    "max_pool_backward",
    "avg_pool_forward",
    "avg_pool_backward",
    "max_pool_forward_loop",
    "max_pool_backward_loop",
    "avg_pool_forward_loop",
    "avg_pool_backward_loop",
    "max_pool_winners",
]


def pool_output_shape(height, width, size=2, stride=None):
    """Output (rows, cols) of pooling an ``height x width`` map: ``(n - k) // s + 1`` per axis.

    Parameters
    ----------
    height, width : int
    size : int or (int, int)
        Window (kh, kw).
    stride : int or (int, int), optional
        Step between windows; the window size when left out.

    Returns
    -------
    (int, int)

    Examples
    --------
    >>> pool_output_shape(28, 28)
    (14, 14)
    >>> pool_output_shape(5, 5)        # the floor rule: the last row and column are dropped
    (2, 2)
    """
    kh, kw = check_pair(size, "size", minimum=1)
    sh, sw = (kh, kw) if stride is None else check_pair(stride, "stride", minimum=1)
    if kh > height or kw > width:
        raise ValueError(f"pooling window {kh}x{kw} is larger than the {height}x{width} map "
                         f"it pools")
    return (height - kh) // sh + 1, (width - kw) // sw + 1


def _setup(x, size, stride):
    x = as_float_array(x, "x")
    if x.ndim < 2:
        raise ValueError(f"x must have at least 2 dimensions (H, W) or (N, C, H, W), "
                         f"got shape {x.shape}")
    window = check_pair(size, "size", minimum=1)
    step = window if stride is None else check_pair(stride, "stride", minimum=1)
    out_shape = pool_output_shape(*x.shape[-2:], window, step)
    return x, window, step, out_shape


def _windows(x, window, step, out_shape):
    """Every window as a view: (..., out_h, out_w, kh, kw)."""
    if window == step:  # non-overlapping: crop, then a reshape is enough (fast, no gather)
        oh, ow = out_shape
        kh, kw = window
        cropped = x[..., :oh * kh, :ow * kw]
        blocks = cropped.reshape(*x.shape[:-2], oh, kh, ow, kw)
        return blocks.swapaxes(-3, -2)
    windows = sliding_window_view(x, window, axis=(-2, -1))
    return windows[..., ::step[0], ::step[1], :, :][..., :out_shape[0], :out_shape[1], :, :]


def _offsets(x, window, out_shape):
    """For non-overlapping windows: view k = (a, b) holds cell (a, b) of every window."""
    kh, kw = window
    oh, ow = out_shape
    for a in range(kh):
        for b in range(kw):
            yield x[..., a:a + kh * oh:kh, b:b + kw * ow:kw]


def _scatter(per_window, x_shape, window, step, out_shape):
    """Add a (..., out_h, out_w, kh, kw) array of window contributions back onto x's grid.

    When ``per_window`` is writeable, it must be the caller's own scratch array: the result
    may be a view of it.
    """
    kh, kw = window
    oh, ow = out_shape
    if window == step:
        blocks = per_window.swapaxes(-3, -2).reshape(*x_shape[:-2], oh * kh, ow * kw)
        if blocks.shape == x_shape and per_window.flags.writeable:
            return blocks                # the windows tile the map: nothing is left over
        grad_x = np.zeros(x_shape, dtype=per_window.dtype)
        grad_x[..., :oh * kh, :ow * kw] = blocks
        return grad_x
    grad_x = np.zeros(x_shape, dtype=per_window.dtype)
    for a in range(kh):          # overlapping windows: accumulate one window offset at a time
        for b in range(kw):
            grad_x[..., a:a + step[0] * (oh - 1) + 1:step[0],
                   b:b + step[1] * (ow - 1) + 1:step[1]] += per_window[..., a, b]
    return grad_x


# ----------------------------------------------------------------------------------------------
# Max pooling
# ----------------------------------------------------------------------------------------------

def max_pool_forward(x, size=2, stride=None):
    """Max pooling over the last two axes; vectorised.

    Parameters
    ----------
    x : array_like, shape (..., H, W)
        One feature map (H, W) or a batch (N, C, H, W).
    size : int or (int, int)
        Window (kh, kw).
    stride : int or (int, int), optional
        Step between windows; the window size when left out.

    Returns
    -------
    out : numpy.ndarray, shape (..., out_h, out_w)
    cache : dict
        ``winner``: for each window, the flat index (row-major, 0..kh*kw-1) of the cell that
        won; plus ``x`` (not a copy), the shapes and the settings.  Read by
        :func:`max_pool_backward` and :func:`max_pool_winners`.

    Examples
    --------
    >>> x = np.array([[1, 2, 5, 0], [3, 4, 1, 1], [0, 0, 2, 2], [7, 0, 2, 2]])
    >>> out, cache = max_pool_forward(x)
    >>> out
    array([[4., 5.],
           [7., 2.]])
    >>> cache["winner"]       # 2x2 windows: 0 top-left, 1 top-right, 2 bottom-left, 3 ...
    array([[3, 0],
           [2, 0]], dtype=uint8)
    """
    x, window, step, out_shape = _setup(x, size, stride)
    return _max_pool(x, window, step, out_shape)


# Two routes to the same winners, for non-overlapping windows.  Every NumPy call costs about a
# microsecond whatever its size, and that fixed cost is most of the work on a single small map;
# on a batch the passes over memory dominate.  So a map of at most _FEW_CELLS cells is pooled
# in the fewest calls (one row per window, argmax along it), a bigger one in the fewest passes
# (compact copies of each window cell, compared element-wise).  Both keep the first maximum.
_FEW_CELLS = 4096


def _max_pool(x, window, step, out_shape):
    """:func:`max_pool_forward` after its checks (callers that checked already start here)."""
    if window == step and x.size <= _FEW_CELLS:
        rows = _windows(x, window, step, out_shape).reshape(-1, window[0] * window[1])
        best = rows.argmax(axis=1)                       # first maximum wins ties
        out = rows[np.arange(rows.shape[0]), best].reshape(*x.shape[:-2], *out_shape)
        winner = best.astype(np.min_scalar_type(rows.shape[1] - 1)).reshape(out.shape)
    elif window == step:
        # Non-overlapping windows: cell (a, b) of every window at once is one strided slice.
        # Copy each into a compact array in x's memory layout ("K"), so that the comparisons
        # below run over contiguous memory (several times faster than over strided slices).
        cells = [view.copy(order="K") for view in _offsets(x, window, out_shape)]
        out, winner = cells[0], _running_maximum(cells[0], cells[1:])
    else:
        flat = _windows(x, window, step, out_shape)
        flat = flat.reshape(*flat.shape[:-2], -1)            # (..., oh, ow, kh*kw)
        winner = np.argmax(flat, axis=-1)                    # first maximum wins ties
        out = np.take_along_axis(flat, winner[..., None], axis=-1)[..., 0]
    cache = {"winner": winner, "x_shape": x.shape, "size": window, "stride": step,
             "out_shape": out_shape, "x": x}
    return out, cache


def _running_maximum(out, cells):
    """Fold ``cells`` into ``out`` by element-wise maximum, in place; return which one won.

    The winner is 0 where ``out``'s own value stayed the maximum and k where ``cells[k - 1]``
    took it; ties keep the earlier one (first maximum wins).  All arrays have one shape;
    :mod:`cnnlab.blocks` pools with this too, so both follow the same rule.
    """
    winner = np.zeros(out.shape, dtype=np.min_scalar_type(len(cells)))
    for k, cell in enumerate(cells, start=1):
        better = np.greater(cell, out)                   # strictly greater: ties keep the first
        np.maximum(out, cell, out=out)
        # winner = k where better.  The k are increasing, so a maximum does it branch-free.
        np.maximum(winner, better.view(np.uint8) * winner.dtype.type(k), out=winner)
    return winner


def max_pool_backward(grad_out, cache):
    """Gradient of :func:`max_pool_forward`: each window's gradient goes to its winner.

    Parameters
    ----------
    grad_out : array_like, shape (..., out_h, out_w)
    cache : dict
        From :func:`max_pool_forward` (or :func:`max_pool_forward_loop`).

    Returns
    -------
    grad_x : numpy.ndarray, shape (..., H, W)

    Examples
    --------
    >>> x = np.array([[1, 2], [4, 3]])
    >>> out, cache = max_pool_forward(x)
    >>> max_pool_backward([[10.0]], cache)
    array([[ 0.,  0.],
           [10.,  0.]])
    """
    return _max_pool_backward(_check_grad_out(grad_out, cache), cache)


def _max_pool_backward(grad, cache):
    """:func:`max_pool_backward` after its checks: ``grad`` is a float array of the right shape."""
    kh, kw = cache["size"]
    if cache["size"] == cache["stride"] and math.prod(cache["x_shape"]) <= _FEW_CELLS:
        rows = np.zeros((grad.size, kh * kw), dtype=grad.dtype)     # one row per window
        rows[np.arange(grad.size), cache["winner"].reshape(-1)] = grad.reshape(-1)
        return _scatter(rows.reshape(*grad.shape, kh, kw), cache["x_shape"], cache["size"],
                        cache["stride"], cache["out_shape"])
    if cache["size"] == cache["stride"]:
        # The gradient gets x's memory layout, which keeps the loops fast.  Cells that no
        # window covers (the floor rule's leftover row or column) must be zero.
        (oh, ow), (height, width) = cache["out_shape"], cache["x_shape"][-2:]
        covered = (oh * kh, ow * kw) == (height, width)
        grad_x = (np.empty_like if covered else np.zeros_like)(cache["x"], dtype=grad.dtype)
        aligned = np.empty_like(cache["winner"], dtype=grad.dtype)   # grad in winner's layout
        aligned[...] = grad
        for k, cells in enumerate(_offsets(grad_x, cache["size"], cache["out_shape"])):
            np.multiply(aligned, cache["winner"] == k, out=cells)   # writes through the view
        return grad_x
    per_window = np.zeros((*grad.shape, kh * kw), dtype=grad.dtype)
    np.put_along_axis(per_window, cache["winner"][..., None], grad[..., None], axis=-1)
    per_window = per_window.reshape(*grad.shape, kh, kw)
    return _scatter(per_window, cache["x_shape"], cache["size"], cache["stride"],
                    cache["out_shape"])


def max_pool_winners(cache):
    """Which input cells won a pooling window (the cells that receive gradient).

    Parameters
    ----------
    cache : dict
        From :func:`max_pool_forward`.

    Returns
    -------
    numpy.ndarray of bool, shape of x (..., H, W)
        True where a cell was the maximum of at least one window.

    Examples
    --------
    >>> _, cache = max_pool_forward(np.array([[1, 2], [4, 3]]))
    >>> max_pool_winners(cache)
    array([[False, False],
           [ True, False]])
    """
    if not isinstance(cache, dict) or "winner" not in cache:
        raise TypeError("cache must be the dict returned by max_pool_forward")
    ones = np.ones(cache["winner"].shape)
    return max_pool_backward(ones, cache) > 0


def max_pool(x, size=2, stride=None):
    """Max pooling, output only (see :func:`max_pool_forward`).

    Parameters
    ----------
    x : array_like, shape (..., H, W)
    size, stride : int or (int, int)

    Returns
    -------
    numpy.ndarray, shape (..., out_h, out_w)

    Examples
    --------
    >>> max_pool(np.arange(16).reshape(4, 4))
    array([[ 5.,  7.],
           [13., 15.]])
    """
    return max_pool_forward(x, size, stride)[0]


def max_pool_forward_loop(x, size=2, stride=None):
    """:func:`max_pool_forward` as loops over maps and windows (reference).

    Parameters
    ----------
    x : array_like, shape (..., H, W)
    size, stride : int or (int, int)

    Returns
    -------
    out : numpy.ndarray, shape (..., out_h, out_w)
    cache : dict
        Same format as :func:`max_pool_forward`'s.

    Examples
    --------
    >>> max_pool_forward_loop([[1, 2], [4, 3]])[0]
    array([[4.]])
    """
    x, (kh, kw), (sh, sw), (oh, ow) = _setup(x, size, stride)
    out = np.zeros((*x.shape[:-2], oh, ow), dtype=x.dtype)
    winner = np.zeros((*x.shape[:-2], oh, ow), dtype=np.int64)
    for index in np.ndindex(*x.shape[:-2]):        # each feature map of the batch
        feature_map = x[index]
        for i in range(oh):
            for j in range(ow):
                window = feature_map[i * sh:i * sh + kh, j * sw:j * sw + kw]
                best = 0
                for k in range(1, kh * kw):       # strictly greater: the first maximum wins
                    if window.flat[k] > window.flat[best]:
                        best = k
                winner[index + (i, j)] = best
                out[index + (i, j)] = window.flat[best]
    cache = {"winner": winner, "x_shape": x.shape, "size": (kh, kw), "stride": (sh, sw),
             "out_shape": (oh, ow), "x": x}
    return out, cache


def max_pool_backward_loop(grad_out, cache):
    """:func:`max_pool_backward` as loops (reference).

    Parameters
    ----------
    grad_out : array_like, shape (..., out_h, out_w)
    cache : dict

    Returns
    -------
    grad_x : numpy.ndarray, shape (..., H, W)

    Examples
    --------
    >>> _, cache = max_pool_forward_loop([[1, 2], [4, 3]])
    >>> max_pool_backward_loop([[1.0]], cache)
    array([[0., 0.],
           [1., 0.]])
    """
    grad = _check_grad_out(grad_out, cache)
    kw = cache["size"][1]
    sh, sw = cache["stride"]
    grad_x = np.zeros(cache["x_shape"], dtype=grad.dtype)
    for index in np.ndindex(*grad.shape):
        *lead, i, j = index
        a, b = divmod(int(cache["winner"][index]), kw)
        grad_x[(*lead, i * sh + a, j * sw + b)] += grad[index]   # += : windows may overlap
    return grad_x


# ----------------------------------------------------------------------------------------------
# Average pooling
# ----------------------------------------------------------------------------------------------

def avg_pool_forward(x, size=2, stride=None):
    """Average pooling over the last two axes; vectorised.

    Parameters
    ----------
    x : array_like, shape (..., H, W)
    size : int or (int, int)
    stride : int or (int, int), optional

    Returns
    -------
    out : numpy.ndarray, shape (..., out_h, out_w)
    cache : dict

    Examples
    --------
    >>> avg_pool_forward(np.array([[1, 2], [4, 3]]))[0]
    array([[2.5]])
    """
    x, window, step, out_shape = _setup(x, size, stride)
    out = _windows(x, window, step, out_shape).mean(axis=(-2, -1))
    return out, {"x_shape": x.shape, "size": window, "stride": step, "out_shape": out_shape}


def avg_pool_backward(grad_out, cache):
    """Gradient of :func:`avg_pool_forward`: each window shares its gradient equally.

    Parameters
    ----------
    grad_out : array_like, shape (..., out_h, out_w)
    cache : dict

    Returns
    -------
    grad_x : numpy.ndarray, shape (..., H, W)

    Examples
    --------
    >>> _, cache = avg_pool_forward(np.zeros((2, 2)))
    >>> avg_pool_backward([[4.0]], cache)
    array([[1., 1.],
           [1., 1.]])
    """
    grad = _check_grad_out(grad_out, cache)
    kh, kw = cache["size"]
    share = np.broadcast_to((grad / (kh * kw))[..., None, None], (*grad.shape, kh, kw))
    return _scatter(share, cache["x_shape"], cache["size"], cache["stride"],
                    cache["out_shape"])


def avg_pool(x, size=2, stride=None):
    """Average pooling, output only (see :func:`avg_pool_forward`).

    Parameters
    ----------
    x : array_like, shape (..., H, W)
    size, stride : int or (int, int)

    Returns
    -------
    numpy.ndarray, shape (..., out_h, out_w)

    Examples
    --------
    >>> avg_pool(np.arange(16).reshape(4, 4))
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    return avg_pool_forward(x, size, stride)[0]


def avg_pool_forward_loop(x, size=2, stride=None):
    """:func:`avg_pool_forward` as loops (reference).

    Parameters
    ----------
    x : array_like, shape (..., H, W)
    size, stride : int or (int, int)

    Returns
    -------
    out : numpy.ndarray, shape (..., out_h, out_w)
    cache : dict

    Examples
    --------
    >>> avg_pool_forward_loop([[1, 2], [4, 3]])[0]
    array([[2.5]])
    """
    x, (kh, kw), (sh, sw), (oh, ow) = _setup(x, size, stride)
    out = np.zeros((*x.shape[:-2], oh, ow), dtype=x.dtype)
    for index in np.ndindex(*x.shape[:-2]):
        for i in range(oh):
            for j in range(ow):
                out[index + (i, j)] = np.mean(x[index][i * sh:i * sh + kh, j * sw:j * sw + kw])
    return out, {"x_shape": x.shape, "size": (kh, kw), "stride": (sh, sw),
                 "out_shape": (oh, ow)}


def avg_pool_backward_loop(grad_out, cache):
    """:func:`avg_pool_backward` as loops (reference).

    Parameters
    ----------
    grad_out : array_like, shape (..., out_h, out_w)
    cache : dict

    Returns
    -------
    grad_x : numpy.ndarray, shape (..., H, W)

    Examples
    --------
    >>> _, cache = avg_pool_forward_loop(np.zeros((2, 2)))
    >>> avg_pool_backward_loop([[4.0]], cache)
    array([[1., 1.],
           [1., 1.]])
    """
    grad = _check_grad_out(grad_out, cache)
    (kh, kw), (sh, sw) = cache["size"], cache["stride"]
    grad_x = np.zeros(cache["x_shape"], dtype=grad.dtype)
    for index in np.ndindex(*grad.shape):
        *lead, i, j = index
        grad_x[(*lead, slice(i * sh, i * sh + kh), slice(j * sw, j * sw + kw))] += (
            grad[index] / (kh * kw))
    return grad_x


def _check_grad_out(grad_out, cache):
    if not isinstance(cache, dict) or "x_shape" not in cache:
        raise TypeError("cache must be the dict returned by the matching *_forward function")
    grad = as_float_array(grad_out, "grad_out")
    expected = (*cache["x_shape"][:-2], *cache["out_shape"])
    if grad.shape != expected:
        raise ValueError(f"grad_out must have the forward output's shape {expected}, "
                         f"got {grad.shape}")
    return grad
