"""conv -> ReLU -> max pool as one block: the three layers the small CNN repeats, fused for speed.

:mod:`cnnlab.conv`, :mod:`cnnlab.activations` and :mod:`cnnlab.pooling` give the layers one at
a time, each readable on its own, and the lessons use them.  Training runs this block instead.
It computes the same numbers (the tests check it against the three layers, and by finite
differences) while moving much less data through memory, which is what limits a small network
on a CPU: the arithmetic waits for the data (benchmarks/README.md has the measured step times).
Three ideas make the difference.

1. **Bias and ReLU after the pooling.**  Adding one bias to every cell, and the ReLU, are both
   non-decreasing, so they commute with taking a maximum::

       max_k relu(c_k + b) = relu(max_k c_k + b)

   Pool the raw convolution first; the bias and the ReLU then touch a map p*p times smaller,
   and so does the ReLU's backward pass.

2. **Outputs grouped by pooling phase.**  Call cell (u, v) of every p x p pooling window a
   *phase*: phase (u, v) is the output grid's rows u, u+p, u+2p, ... and columns v, v+p, ...
   If the convolution writes each phase as its own contiguous block, pooling is a running
   maximum over p*p contiguous arrays, with no strided gathers.

3. **One patch matrix for every phase.**  Output cell (p*i + u, p*j + v) with kernel tap
   (a, b) reads padded input (p*i + u + a, p*j + v + b).  That depends on (u, a) only through
   r = u + a, and on (v, b) only through s = v + b.  So a single matrix ``Z``, one row per
   channel and offset (c, r, s), serves every phase.  For phase (u, v), a copy of the kernel
   shifted to offset (u, v) and zero elsewhere picks out the right rows::

       conv[f, phase (u, v)] = shifted_kernel[f, (u, v)] @ Z        (one product, all phases)

   For a 5x5 kernel and 2x2 pooling, ``Z`` has 6*6 = 36 rows per channel, where im2col has
   4 phases * 25 taps = 100 rows of the same length.  To build ``Z``, split the padded input
   into its p*p phase images (rows = r1 mod p, columns = c1 mod p), with the batch as the
   innermost axis.  Then, for one offset and one output row i, the cells (j, n) of that row
   read out_w * N numbers one after the other in a phase image: a single copy of long runs
   builds all of ``Z``, one column per pooled cell, ordered (i, j, n).

   Why this layout and not im2col's (one row per tap, 25 per channel here, so fewer
   multiply-adds): on the course's second block (8 channels in, 16 filters 5x5, 14x14, batch
   128, one OpenBLAS thread), the three products of the phase layout (64 x 288 by 288 x 6272)
   ran faster than im2col's (16 x 200 by 200 x 25088, 30 % fewer multiply-adds): a product
   with 16 rows cannot keep the arithmetic busy, and the p*p shifted kernels make 4x more rows
   (benchmarks/README.md, issue 24, has the timings).

Small inputs (at most :data:`cnnlab.engine.pooling.FEW_CELLS` input cells, such as one seed
image) take the fewest NumPy calls instead of the fewest passes over memory, as
:mod:`cnnlab.engine.pooling` does: every call has a fixed cost, and on a 32x32 image that cost
is most of the work.  ``Z`` is then one copy of a strided view of the padded input (no phase
images; columns ordered (n, i, j)), the pooling one ``argmax`` and one ``max`` over the phases,
and the winners' gradient one broadcast comparison.  The rows of ``Z`` and the shifted kernels
are the same, and the input gradient is that view's adjoint.

Shapes: ``x`` (N, C, H, W), ``weight`` (F, C, kh, kw) with odd kh, kw ('same' padding, stride 1),
pooling window = stride = ``pool``, output (N, F, H // pool, W // pool) (the floor rule).
"""

from __future__ import annotations

import functools

import numpy as np

from .._validate import as_float_array, check_bool, check_cache, check_int, check_same_shape
from ..conv import check_conv_inputs, check_odd_kernel
from ..pooling import pool_output_shape
from .gemm import matmul
from .pooling import FEW_CELLS, running_maximum

__all__ = ["conv_relu_pool_forward", "conv_relu_pool_backward"]


def conv_relu_pool_forward(x, weight, bias, pool=2):
    """``max_pool(relu(conv(x, weight, 'same') + bias), pool)`` in one fused pass.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    weight : array_like, shape (F, C, kh, kw)
        kh and kw odd, so that 'same' padding is symmetric.
    bias : array_like, shape (F,)
    pool : int
        Max-pooling window and stride; at most H and W.

    Returns
    -------
    out : numpy.ndarray, shape (N, F, H // pool, W // pool)
    cache : dict
        What :func:`conv_relu_pool_backward` needs.

    Examples
    --------
    >>> from cnnlab.conv import conv_forward
    >>> from cnnlab.pooling import max_pool
    >>> rng = np.random.default_rng(0)
    >>> x, w, b = rng.normal(size=(2, 3, 8, 8)), rng.normal(size=(4, 3, 5, 5)), rng.normal(size=4)
    >>> out, cache = conv_relu_pool_forward(x, w, b)
    >>> out.shape
    (2, 4, 4, 4)
    >>> layers = max_pool(np.maximum(conv_forward(x, w, b, padding="same")[0], 0))
    >>> bool(np.allclose(out, layers, rtol=1e-12, atol=1e-12))
    True
    """
    if bias is None:
        raise TypeError("bias must be an array of shape (F,), got None")
    x, weight, bias = check_conv_inputs(x, weight, bias)
    check_odd_kernel(weight.shape[2:], "weight")
    pool = check_int(pool, "pool", minimum=1)
    pool_output_shape(*x.shape[2:], pool)          # says so when the window does not fit
    return _conv_relu_pool_forward(x, weight, bias, pool)


def _conv_relu_pool_forward(x, weight, bias, pool, copy=True):
    """The body of :func:`conv_relu_pool_forward`, for what it checked.

    ``copy=False`` returns the output as a read-only view of the cache's pooled map instead of
    a fresh array: for a caller that only reads it (the networks hand it to the next layer,
    which on the big route then reads long runs with the batch innermost, see
    :func:`_phase_patches`).
    """
    num_filters = weight.shape[0]
    dtype = np.result_type(x, weight, bias)
    geometry = _geometry(x.shape, weight.shape, pool)
    patches = _phase_patches(x.astype(dtype, copy=False), geometry)       # Z: (C*Rg*Sg, cells)
    kernels = _shifted_kernels(weight.astype(dtype, copy=False), geometry)  # (F*p*p, C*Rg*Sg)
    conv = matmul(kernels, patches).reshape(num_filters, pool * pool, -1)  # (F, phase, cells)

    # 2x2 (p x p) max pooling: a running maximum over the phases, which are contiguous blocks.
    # The winner is the phase (row-major within the window) that held the maximum; ties go to
    # the first, as in cnnlab.pooling.
    if geometry["small"]:                                  # fewest calls: one argmax, one max
        winner, pooled = conv.argmax(axis=1), np.maximum.reduce(conv, axis=1)
    else:                                                  # fewest passes over memory
        pooled = conv[:, 0].copy()
        winner = running_maximum(pooled, [conv[:, k] for k in range(1, pool * pool)])
    # Bias and ReLU after the maximum (they commute with it), on the small pooled map.
    pooled += bias.astype(dtype, copy=False)[:, None]
    np.maximum(pooled, 0 if geometry["small"] else np.zeros_like(pooled), out=pooled)

    out = _from_columns(pooled, geometry)           # (N, F, oh, ow)
    if copy:
        out = out.copy()                            # never a view of the cache
    else:
        out.flags.writeable = False                 # the cache's own numbers: read only
    cache = {"layer": "conv_relu_pool_forward", "geometry": geometry, "patches": patches,
             "kernels": kernels, "winner": winner, "pooled": pooled,
             "weight_shape": weight.shape, "dtype": dtype}
    return out, cache


def conv_relu_pool_backward(grad_out, cache, input_grad=False):
    """Gradients of :func:`conv_relu_pool_forward`.

    Backward through the block, in reverse: the ReLU passes the gradient where the pooled value
    was positive; pooling sends it to the phase that won; the convolution's gradients are then
    one product each with the patch matrix (for the weights) and with the shifted kernels (for
    the input).

    Parameters
    ----------
    grad_out : array_like, shape (N, F, H // pool, W // pool)
    cache : dict
        From :func:`conv_relu_pool_forward`.
    input_grad : bool
        Also compute ``grad_x`` (a first block does not need it); None otherwise.

    Returns
    -------
    grad_x : numpy.ndarray, shape (N, C, H, W), or None
    grad_weight : numpy.ndarray, shape (F, C, kh, kw)
    grad_bias : numpy.ndarray, shape (F,)

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x, w, b = rng.normal(size=(2, 1, 6, 6)), rng.normal(size=(3, 1, 3, 3)), np.zeros(3)
    >>> out, cache = conv_relu_pool_forward(x, w, b)
    >>> grad_x, grad_w, grad_b = conv_relu_pool_backward(np.ones_like(out), cache, True)
    >>> grad_x.shape, grad_w.shape, grad_b.shape
    ((2, 1, 6, 6), (3, 1, 3, 3), (3,))
    """
    check_cache(cache, "cache", "conv_relu_pool_forward", "conv_relu_pool_backward")
    input_grad = check_bool(input_grad, "input_grad")
    geometry = cache["geometry"]
    grad = as_float_array(grad_out, "grad_out", ndim=4, axes="(N, F, out_h, out_w)")
    check_same_shape(grad, "grad_out", (geometry["n"], cache["weight_shape"][0],
                                        geometry["out_h"], geometry["out_w"]),
                     "the forward output (N, F, out_h, out_w)")
    return _conv_relu_pool_backward(grad, cache, input_grad)


def _conv_relu_pool_backward(grad, cache, input_grad):
    """The body of :func:`conv_relu_pool_backward`: ``grad`` a float array of the output's
    shape."""
    grad_pooled = _grad_pooled(grad, cache)
    grad_conv, grad_bias = _grad_conv(grad_pooled, cache)
    return _grad_params(grad_conv, cache, input_grad) + (grad_bias,)


def _grad_pooled(grad, cache):
    """``grad`` (N, F, out_h, out_w) in the pooled layout (F, cells), the columns in the route's
    order (:func:`_from_columns`); a view of ``grad`` when the axes allow: read it, never
    write."""
    geometry = cache["geometry"]
    axes = (1, 0, 2, 3) if geometry["small"] else (1, 2, 3, 0)
    return grad.transpose(axes).reshape(cache["weight_shape"][0], -1)


def _from_columns(pooled, geometry):
    """A map in the pooled layout (F, cells) as (N, F, out_h, out_w) (a view).

    The columns are the pooled cells (n, i, j) in that order on the small route, and (i, j, n)
    on the big one (the batch innermost: see :func:`_phase_patches`).
    """
    n, out_h, out_w = geometry["n"], geometry["out_h"], geometry["out_w"]
    if geometry["small"]:
        return pooled.reshape(-1, n, out_h, out_w).transpose(1, 0, 2, 3)
    return pooled.reshape(-1, out_h, out_w, n).transpose(3, 0, 1, 2)


def _grad_conv(grad_pooled, cache):
    """dL/dconv in the phase layout (F*p*p, N*M), and dL/dbias (F,), from dL/dout pooled."""
    # In the forward pass this was out = relu(max over phases of (kernels @ patches) + bias),
    # so now we go back through the ReLU and the maximum.
    num_filters, phases = cache["weight_shape"][0], cache["geometry"]["pool"] ** 2
    grad_pooled = grad_pooled * (cache["pooled"] > 0)      # ReLU: gradient only where positive
    grad_bias = np.add.reduce(grad_pooled, axis=1)         # the bias was added to every cell
    # Max pooling: the whole gradient goes to the phase that won, zero to the others.
    if cache["geometry"]["small"]:
        grad_conv = grad_pooled[:, None] * (cache["winner"][:, None]
                                            == cache["geometry"]["phase_ids"])
    else:
        grad_conv = np.empty((num_filters, phases, grad_pooled.shape[1]), dtype=cache["dtype"])
        for k in range(phases):
            np.multiply(grad_pooled, cache["winner"] == k, out=grad_conv[:, k])
    return grad_conv.reshape(num_filters * phases, -1), grad_bias


def _grad_params(grad_conv, cache, input_grad):
    """``(grad_x or None, grad_weight)`` from dL/dconv in the phase layout."""
    geometry = cache["geometry"]
    num_filters = cache["weight_shape"][0]
    # conv = kernels @ patches, so d/dkernels = grad_conv @ patches.T; each phase's shifted
    # kernel holds the same weights at offset (u, v), so their gradients add up.
    grad_kernels = _weight_gradient_product(grad_conv, cache["patches"]).reshape(num_filters,
                                                                               -1)
    grad_weight = np.add.reduce(grad_kernels[:, geometry["taps"]], axis=1).reshape(
        cache["weight_shape"])
    grad_x = None
    if input_grad:
        backward = _phase_patches_small_backward if geometry["small"] else _phase_patches_backward
        grad_x = backward(matmul(cache["kernels"].T, grad_conv), geometry)
    return grad_x, grad_weight


def _weight_gradient_product(grad_conv, patches):
    """``grad_conv @ patches.T``, (F*p*p, C*Rg*Sg): in float32 as ``(patches @ grad_conv.T).T``.

    The same sums; OpenBLAS (one thread, the wheels' build) ran the float32 one faster written
    that way on the course's blocks, and the float64 one slower, so float64 keeps the direct
    product (benchmarks/README.md, issue 24).
    """
    if patches.dtype == np.float32 and grad_conv.dtype == np.float32:
        return matmul(patches, grad_conv.T).T
    return matmul(grad_conv, patches.T)


def _phase_map(phases, geometry):
    """A map in the phase layout (F*p*p, cells) back on the output grid: (N, F, H, W).

    Cell (p*i + u, p*j + v) of the map is phase (u, v)'s entry for pooled cell (i, j); the
    rows and columns that no pooling window covers (the floor rule) are zero.
    """
    p, n, out_h, out_w = geometry["pool"], geometry["n"], geometry["out_h"], geometry["out_w"]
    if geometry["small"]:                                  # columns (n, i, j)
        grid = phases.reshape(-1, p, p, n, out_h, out_w).transpose(3, 0, 4, 1, 5, 2)
    else:                                                  # columns (i, j, n)
        grid = phases.reshape(-1, p, p, out_h, out_w, n).transpose(5, 0, 3, 1, 4, 2)
    grid = grid.reshape(n, -1, out_h * p, out_w * p)
    if (out_h * p, out_w * p) == (geometry["height"], geometry["width"]):
        return grid
    full = np.zeros((*grid.shape[:2], geometry["height"], geometry["width"]), dtype=grid.dtype)
    full[..., :out_h * p, :out_w * p] = grid
    return full


# ----------------------------------------------------------------------------------------------
# The phase layout
# ----------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def _geometry(x_shape, weight_shape, pool):
    """Sizes of the phase layout, computed once per forward pass.

    Offsets r = u + a run over 0..kh+p-2; written r = p*r2 + r1 (r1 = phase of the input row,
    r2 = row within that phase image), r2 runs over ``groups_h`` values.  The grid of offsets
    is therefore ``p*groups_h`` tall (a row or two more than kh+p-1 for some sizes: the shifted
    kernels are zero there).  Output row i reads phase-image rows i + r2 (i < out_h, r2 <
    groups_h), and column j columns j + c2: a phase image is ``rows`` x ``row``, enough for
    those and for the padded input.  Remembered for the last shapes seen (the dict is
    shared: read it, never write into it).
    """
    n, channels, height, width = x_shape
    _, _, kh, kw = weight_shape
    out_h, out_w = height // pool, width // pool
    groups_h, groups_w = -(-(kh + pool - 1) // pool), -(-(kw + pool - 1) // pool)   # ceil
    pad_h, pad_w = kh // 2, kw // 2
    row = max(out_w + groups_w - 1, -(-(pad_w + width) // pool))
    rows = max(out_h + groups_h - 1, -(-(pad_h + height) // pool))
    small = n * channels * height * width <= FEW_CELLS
    if small:
        row = out_w       # the small route has no phase images (see _padded_shape_small)
    return {"n": n, "channels": channels, "height": height, "width": width, "pool": pool,
            "pad": (pad_h, pad_w), "out_h": out_h, "out_w": out_w, "row": row, "rows": rows,
            "groups": (groups_h, groups_w),
            "grid": (channels, pool * groups_h, pool * groups_w),
            "grid_size": channels * pool * groups_h * pool * groups_w,
            "taps": _taps(pool, (channels, pool * groups_h, pool * groups_w), (kh, kw)),
            "small": small,
            "phase_ids": np.arange(pool * pool)[:, None]}


def _phase_images(x, geometry):
    """Zero-pad x and split it into its p*p phases, the batch innermost: shape
    (p, p, C, rows, row, N), contiguous, with ``phases[r1, c1, c, i, j, n] = padded[n, c,
    p*i + r1, p*j + c1]``."""
    p, rows, row = geometry["pool"], geometry["rows"], geometry["row"]
    n, channels, height, width = x.shape
    pad_h, pad_w = geometry["pad"]
    padded = np.zeros((channels, p * rows, p * row, n), dtype=x.dtype)
    padded[:, pad_h:pad_h + height, pad_w:pad_w + width] = x.transpose(1, 2, 3, 0)
    phases = padded.reshape(channels, rows, p, row, p, n).transpose(2, 4, 0, 1, 3, 5)
    return np.ascontiguousarray(phases)


def _phase_patches(x, geometry):
    """The patch matrix Z: row (c, r, s) holds, for every output cell of one phase, the input
    pixel at offset (r, s) from the cell's window corner; shape (C*Rg*Sg, cells), one column
    per pooled cell, in the order (n, i, j) on the small route and (i, j, n) on the big one.

    The big route keeps the batch innermost, so that every run it copies is long: for offset
    (r2, r1, c2, c1) and output row i, the cells (j, n) of that row read phase (r1, c1)'s row
    i + r2 from column c2 on, out_w * N numbers one after the other.
    """
    if geometry["small"]:
        return _phase_patches_small(x, geometry)
    phases = _phase_images(x, geometry)
    p, n = geometry["pool"], geometry["n"]
    channels, (groups_h, groups_w) = geometry["channels"], geometry["groups"]
    out_h, out_w = geometry["out_h"], geometry["out_w"]
    s_r1, s_c1, s_c, s_i, s_j, s_n = phases.strides
    # Z[c, r2, r1, c2, c1, i, (j, n)] = phases[r1, c1, c, i + r2, (c2 + j, n)]: a view with
    # plain strides (the phases array is ours and the offsets stay inside it), then one copy.
    view = np.ndarray((channels, groups_h, p, groups_w, p, out_h, out_w * n), phases.dtype,
                      phases, 0, (s_c, s_i, s_r1, s_j, s_c1, s_i, s_n))
    return view.reshape(channels * groups_h * p * groups_w * p, -1)


def _phase_patches_small(x, geometry):
    """Z in the fewest calls: one copy of a strided view of the zero-padded input.

    Z[(c, r, s), (n, i, j)] = padded[n, c, p*i + r, p*j + s] (r = p*r2 + r1, s = p*c2 + c1);
    ``row`` is out_w on this route.
    """
    p, row, n = geometry["pool"], geometry["row"], geometry["n"]
    channels, (groups_h, groups_w) = geometry["channels"], geometry["groups"]
    _, _, height, width = x.shape
    pad_h, pad_w = geometry["pad"]
    padded = np.zeros(_padded_shape_small(geometry), dtype=x.dtype)
    padded[:, :, pad_h:pad_h + height, pad_w:pad_w + width] = x
    s_n, s_c, s_r, s_col = padded.strides
    # (r2, r1) is offset r = p*r2 + r1, one row further per step: one axis (and so for s)
    view = np.ndarray((channels, groups_h * p, groups_w * p, n, geometry["out_h"], row),
                      padded.dtype, padded, 0, (s_c, s_r, s_col, s_n, p * s_r, p * s_col))
    return view.reshape(channels * groups_h * p * groups_w * p, -1)


def _padded_shape_small(geometry):
    """The zero-padded input of the small route: tall and wide enough for every offset."""
    p, (groups_h, groups_w) = geometry["pool"], geometry["groups"]
    return (geometry["n"], geometry["channels"], p * (geometry["out_h"] + groups_h),
            p * (geometry["row"] + groups_w))


def _phase_patches_small_backward(grad_patches, geometry):
    """Add a gradient for the small route's Z back onto the input pixels (its adjoint)."""
    p, n, channels = geometry["pool"], geometry["n"], geometry["channels"]
    (groups_h, groups_w), out_h, out_w = geometry["groups"], geometry["out_h"], geometry["out_w"]
    grad_patches = grad_patches.reshape(channels, groups_h, p, groups_w, p, n, out_h, out_w)
    grad_padded = np.zeros(_padded_shape_small(geometry), dtype=grad_patches.dtype)
    s_n, s_c, s_r, s_col = grad_padded.strides
    for r2 in range(groups_h):
        for c2 in range(groups_w):
            # offsets (p*r2 + r1, p*c2 + c1) for output (i, j) land on distinct pixels
            view = np.ndarray((channels, p, p, n, out_h, out_w), grad_padded.dtype, grad_padded,
                              p * (r2 * s_r + c2 * s_col),
                              (s_c, s_r, s_col, s_n, p * s_r, p * s_col))
            view += grad_patches[:, r2, :, c2]
    pad_h, pad_w = geometry["pad"]
    return grad_padded[:, :, pad_h:pad_h + geometry["height"],
                       pad_w:pad_w + geometry["width"]]


def _phase_patches_backward(grad_patches, geometry):
    """Add a gradient for Z back onto the input pixels each entry was copied from (the big
    route: the adjoint of :func:`_phase_patches`'s view)."""
    p, row, rows, n = geometry["pool"], geometry["row"], geometry["rows"], geometry["n"]
    channels, (groups_h, groups_w) = geometry["channels"], geometry["groups"]
    out_h, out_w = geometry["out_h"], geometry["out_w"]
    grad_patches = grad_patches.reshape(channels, groups_h, p, groups_w, p, out_h, out_w * n)
    grad_phases = np.zeros((p, p, channels, rows, row * n), dtype=grad_patches.dtype)
    for r2 in range(groups_h):
        for c2 in range(groups_w):
            # (c, r1, c1, i, (j, n)) -> (r1, c1, c, i, (j, n)), the phases' axis order
            grad_phases[:, :, :, r2:r2 + out_h, c2 * n:(c2 + out_w) * n] += (
                grad_patches[:, r2, :, c2].transpose(1, 2, 0, 3, 4))
    # phases[r1, c1, c, i, j, n] = padded[n, c, p*i + r1, p*j + c1]; the copy keeps the batch
    # innermost (long runs), and the answer is a (N, C, H, W) view of it, which the block before
    # (on the big route too) reads in that order again
    grad_padded = grad_phases.reshape(p, p, channels, rows, row, n).transpose(
        2, 3, 0, 4, 1, 5).reshape(channels, p * rows, p * row, n)
    pad_h, pad_w = geometry["pad"]
    return grad_padded[:, pad_h:pad_h + geometry["height"],
                       pad_w:pad_w + geometry["width"]].transpose(3, 0, 1, 2)


def _shifted_kernels(weight, geometry):
    """For each phase (u, v), the kernel placed at offset (u, v) of the offset grid, zero
    elsewhere: shape (F*p*p, C*Rg*Sg), so that ``kernels @ Z`` is every phase's convolution."""
    num_filters, phases = weight.shape[0], geometry["pool"] ** 2
    kernels = np.zeros((num_filters, phases * geometry["grid_size"]), dtype=weight.dtype)
    kernels[:, geometry["taps"]] = weight.reshape(num_filters, 1, -1)   # one write, all phases
    return kernels.reshape(num_filters * phases, -1)


def _taps(pool, grid, kernel_shape):
    """Where tap (c, a, b) of the kernel sits in phase (u, v)'s shifted kernel, flattened:
    (p*p, C*kh*kw) positions in one filter's (p, p, C, Rg, Sg) block."""
    kh, kw = kernel_shape
    positions = np.arange(pool * pool * int(np.prod(grid))).reshape(pool, pool, *grid)
    taps = np.stack([positions[u, v, :, u:u + kh, v:v + kw].reshape(-1)
                     for u in range(pool) for v in range(pool)])
    taps.flags.writeable = False                 # shared by every call with these shapes
    return taps
