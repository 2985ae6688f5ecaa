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

Everything works on the last two axes, so one map (H, W) and a batch (N, C, H, W) alike.  The
vectorised versions reuse :func:`cnnlab.conv.im2col`: every map becomes a one-channel image,
each window one row, and pooling is a maximum (or mean) along the rows; the backward passes
hand the rows back with :func:`cnnlab.conv.col2im`.  Loop and vectorised versions share one
cache format, so either backward takes either forward's cache.  The engine's fused block
(:mod:`cnnlab.engine.blocks`) pools faster, with the same winners.
"""

from __future__ import annotations

import math

import numpy as np

from ._validate import (
    as_float_array,
    check_cache,
    check_float,
    check_int,
    check_pair,
    check_same_shape,
)
from .conv import _col2im, _im2col

__all__ = [
    "pool_output_shape",
    "check_pool_inputs",
    "check_pool_grad",
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
    "tied_windows",
]


def pool_output_shape(height, width, size=2, stride=None):
    """Output (rows, cols) of pooling an ``height x width`` map: ``(n - k) // s + 1`` per axis.

    The same rule as a convolution's output size (:func:`cnnlab.conv.conv_output_size`) with
    no padding: a pooling window is a kernel that takes a maximum or a mean.

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
    height = check_int(height, "height", minimum=1)
    width = check_int(width, "width", minimum=1)
    window = check_pair(size, "size", minimum=1)
    step = window if stride is None else check_pair(stride, "stride", minimum=1)
    return _pool_output_shape(height, width, window, step)


def _pool_output_shape(height, width, window, step):
    """The body of :func:`pool_output_shape`: checked ints; says so if the window is larger."""
    (kh, kw), (sh, sw) = window, step
    if kh > height or kw > width:
        raise ValueError(f"size: the pooling window {kh}x{kw} is larger than the "
                         f"{height}x{width} map it pools")
    return (height - kh) // sh + 1, (width - kw) // sw + 1


def check_pool_inputs(x, size=2, stride=None):
    """Check a pooling call's arguments; return ``(x, window, step, out_shape)``.

    Parameters
    ----------
    x : array_like, shape (..., H, W)
    size : int or (int, int)
    stride : int or (int, int), optional

    Returns
    -------
    x : numpy.ndarray (float)
    window, step, out_shape : (int, int)

    Examples
    --------
    >>> check_pool_inputs(np.ones((1, 3, 6, 6)), 2)[1:]
    ((2, 2), (2, 2), (3, 3))
    """
    x = as_float_array(x, "x")
    if x.ndim < 2:
        raise ValueError(f"x must have at least 2 dimensions (H, W) or (N, C, H, W), "
                         f"got shape {x.shape}")
    window = check_pair(size, "size", minimum=1)
    step = window if stride is None else check_pair(stride, "stride", minimum=1)
    return x, window, step, _pool_output_shape(*x.shape[-2:], window, step)


def check_pool_grad(grad_out, cache, layer="max_pool_forward", kind="max_pool_backward"):
    """Check a pooling backward's arguments: the cache came from ``layer``, grad_out fits it.

    Parameters
    ----------
    grad_out : array_like, shape (..., out_h, out_w)
    cache : dict
        From the forward pass named ``layer``.
    layer, kind : str
        The forward that must have made the cache, and the backward asking (for messages).

    Returns
    -------
    numpy.ndarray
        ``grad_out`` as a float array.

    Examples
    --------
    >>> _, cache = max_pool_forward(np.ones((4, 4)))
    >>> check_pool_grad(np.ones((2, 2)), cache).shape
    (2, 2)
    """
    check_cache(cache, "cache", layer, kind)
    grad = as_float_array(grad_out, "grad_out")
    check_same_shape(grad, "grad_out", (*cache["x_shape"][:-2], *cache["out_shape"]),
                     "the forward output")
    return grad


def _pool_cache(layer, x, window, step, out_shape, winner=None):
    """The one cache format of every pooling forward (``winner`` for max pooling only)."""
    cache = {"layer": layer, "x": x, "x_shape": x.shape, "size": window, "stride": step,
             "out_shape": out_shape}
    if winner is not None:
        cache["winner"] = winner
    return cache


def _window_rows(x, window, step):
    """Every pooling window as one row: im2col of each map as a one-channel image.

    Shape (M * out_h * out_w, kh * kw) with M the number of maps (the product of the leading
    axes); row-major order within each window.
    """
    height, width = x.shape[-2:]
    return _im2col(x.reshape(-1, 1, height, width), window, step, (0, 0, 0, 0), (1, 1))


def _rows_to_maps(rows, cache):
    """Add window rows back onto the maps they came from (the adjoint of _window_rows)."""
    height, width = cache["x_shape"][-2:]
    maps = math.prod(cache["x_shape"][:-2])
    return _col2im(rows, (maps, 1, height, width), cache["size"], cache["stride"], (0, 0, 0, 0),
                   (1, 1)).reshape(cache["x_shape"])


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
        ``layer`` ("max_pool_forward"); ``winner``: for each window, the flat index
        (row-major, 0..kh*kw-1) of the cell that won; ``x`` (not a copy), ``x_shape``,
        ``size``, ``stride``, ``out_shape``.  Read by :func:`max_pool_backward`,
        :func:`max_pool_backward_loop` and :func:`max_pool_winners`.

    Examples
    --------
    >>> x = np.array([[1, 2, 5, 0], [3, 4, 1, 1], [0, 0, 2, 2], [7, 0, 2, 2]])
    >>> out, cache = max_pool_forward(x)
    >>> out
    array([[4., 5.],
           [7., 2.]])
    >>> cache["winner"]       # 2x2 windows: 0 top-left, 1 top-right, 2 bottom-left, 3 ...
    array([[3, 0],
           [2, 0]])
    """
    return _max_pool_forward(*check_pool_inputs(x, size, stride))


def _max_pool_forward(x, window, step, out_shape):
    """The body of :func:`max_pool_forward`, for what :func:`check_pool_inputs` returns."""
    rows = _window_rows(x, window, step)                  # one row per window
    winner = rows.argmax(axis=1)                          # first maximum wins ties
    out_grid = (*x.shape[:-2], *out_shape)
    out = rows[np.arange(rows.shape[0]), winner].reshape(out_grid)
    return out, _pool_cache("max_pool_forward", x, window, step, out_shape,
                            winner.reshape(out_grid))


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
    return _max_pool_backward(check_pool_grad(grad_out, cache, "max_pool_forward",
                                              "max_pool_backward"), cache)


def _max_pool_backward(grad, cache):
    """The body of :func:`max_pool_backward`: ``grad`` a float array of the output's shape."""
    kh, kw = cache["size"]
    # In the forward pass this was out = row[winner] for each window's row, so now we have
    # d row[winner] = grad and zero for the other cells of the row.
    rows = np.zeros((grad.size, kh * kw), dtype=grad.dtype)
    rows[np.arange(grad.size), cache["winner"].reshape(-1)] = grad.reshape(-1)
    return _rows_to_maps(rows, cache)


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
    check_cache(cache, "cache", "max_pool_forward", "max_pool_winners")
    return _max_pool_backward(np.ones(cache["winner"].shape), cache) > 0


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
        :func:`max_pool_forward`'s format: either backward takes it.

    Examples
    --------
    >>> max_pool_forward_loop([[1, 2], [4, 3]])[0]
    array([[4.]])
    """
    x, (kh, kw), (sh, sw), (oh, ow) = check_pool_inputs(x, size, stride)
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
    return out, _pool_cache("max_pool_forward", x, (kh, kw), (sh, sw), (oh, ow), winner)


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
    grad = check_pool_grad(grad_out, cache, "max_pool_forward", "max_pool_backward_loop")
    kw = cache["size"][1]
    sh, sw = cache["stride"]
    grad_x = np.zeros(cache["x_shape"], dtype=grad.dtype)
    for index in np.ndindex(*grad.shape):
        *lead, i, j = index
        # in the forward pass this was out[index] = window.flat[winner], so now we have
        # d window.flat[winner] += grad[index]
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
        ``layer`` ("avg_pool_forward"), ``x``, ``x_shape``, ``size``, ``stride``,
        ``out_shape``; either avg-pool backward takes it.

    Examples
    --------
    >>> avg_pool_forward(np.array([[1, 2], [4, 3]]))[0]
    array([[2.5]])
    """
    x, window, step, out_shape = check_pool_inputs(x, size, stride)
    out = _window_rows(x, window, step).mean(axis=1).reshape(*x.shape[:-2], *out_shape)
    return out, _pool_cache("avg_pool_forward", x, window, step, out_shape)


def avg_pool_backward(grad_out, cache):
    """Gradient of :func:`avg_pool_forward`: each window shares its gradient equally.

    Parameters
    ----------
    grad_out : array_like, shape (..., out_h, out_w)
    cache : dict
        From :func:`avg_pool_forward` or :func:`avg_pool_forward_loop`.

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
    grad = check_pool_grad(grad_out, cache, "avg_pool_forward", "avg_pool_backward")
    kh, kw = cache["size"]
    # In the forward pass this was out = mean of the window's row, so now every cell of the
    # row gets grad / (kh * kw).
    rows = np.repeat(grad.reshape(-1, 1) / (kh * kw), kh * kw, axis=1)
    return _rows_to_maps(rows, cache)


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
    x, (kh, kw), (sh, sw), (oh, ow) = check_pool_inputs(x, size, stride)
    out = np.zeros((*x.shape[:-2], oh, ow), dtype=x.dtype)
    for index in np.ndindex(*x.shape[:-2]):
        for i in range(oh):
            for j in range(ow):
                out[index + (i, j)] = np.mean(x[index][i * sh:i * sh + kh, j * sw:j * sw + kw])
    return out, _pool_cache("avg_pool_forward", x, (kh, kw), (sh, sw), (oh, ow))


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
    grad = check_pool_grad(grad_out, cache, "avg_pool_forward", "avg_pool_backward_loop")
    (kh, kw), (sh, sw) = cache["size"], cache["stride"]
    grad_x = np.zeros(cache["x_shape"], dtype=grad.dtype)
    for index in np.ndindex(*grad.shape):
        *lead, i, j = index
        # in the forward pass this was out[index] = mean(window), so each cell gets 1/(kh*kw)
        grad_x[(*lead, slice(i * sh, i * sh + kh), slice(j * sw, j * sw + kw))] += (
            grad[index] / (kh * kw))
    return grad_x


def tied_windows(x, size=2, tolerance=1e-12):
    """The max-pooling windows of a map whose positive maximum is shared by two cells.

    There max pooling has a kink: nudging either tied cell up changes the output, nudging it
    down does not, so a finite-difference check there disagrees with any gradient.  (A window
    whose maximum is 0, after a ReLU, passes no gradient either way, so it is not listed.)

    Parameters
    ----------
    x : array_like, shape (H, W)
        The map being pooled (a ReLU's output, say).
    size : int
        The side of the square, non-overlapping window.
    tolerance : float
        Values closer than this count as tied (>= 0).

    Returns
    -------
    list of (int, int)
        (row, column) of each tied window in the pooled map.

    Examples
    --------
    >>> tied_windows(np.array([[1.0, 1.0, 0.0, 0.0], [0.0, 0.5, 0.0, 0.0]]))
    [(0, 0)]
    """
    x = as_float_array(x, "x", ndim=2, axes="(H, W)")
    size = check_int(size, "size", minimum=1)
    tolerance = check_float(tolerance, "tolerance", minimum=0.0)
    rows, cols = _pool_output_shape(*x.shape, (size, size), (size, size))
    windows = x[:size * rows, :size * cols].reshape(rows, size, cols, size).transpose(0, 2, 1, 3)
    ordered = np.sort(windows.reshape(rows, cols, size * size), axis=-1)
    if size * size < 2:
        return []
    tied = (ordered[..., -1] > 0) & (ordered[..., -1] - ordered[..., -2] <= tolerance)
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(tied), strict=True)]
