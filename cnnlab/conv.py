"""Convolution as CNNs use it (cross-correlation), forward and backward, slow and fast.

A kernel slides over the (padded) image; at each position the output cell is the sum of the
element-wise products of the kernel and the patch under it::

    out[i, j] = sum_{a, b} padded[i*s + a*d, j*s + b*d] * kernel[a, b]

with stride ``s`` and dilation ``d`` (the kernel's taps are ``d`` pixels apart).  The kernel is
not flipped, so strictly this is cross-correlation; every deep-learning library calls it
convolution anyway (lesson 03 shows the flip that would make it a true convolution).

The derivative of that sum, for an upstream gradient ``g = dL/dout``::

    dL/dkernel[a, b]      = sum_{i, j} g[i, j] * padded[i*s + a*d, j*s + b*d]
    dL/dpadded[i*s + a*d, j*s + b*d] += g[i, j] * kernel[a, b]       (for every i, j, a, b)

so each output cell hands its gradient back to the patch it came from, weighted by the kernel,
and to the kernel, weighted by the patch.  The seed notebook indexed the image as ``I[i-u, j-v]``
in the first formula, which gives this gradient rotated by 180 degrees (lesson 07).

Two forms:

* one image with one kernel, (H, W) x (kh, kw): :func:`conv2d`, :func:`conv2d_backward`;
* a batch of multi-channel images with F filters, (N, C, H, W) x (F, C, kh, kw) + bias (F,):
  :func:`conv_forward` / :func:`conv_backward` (CS231n's ``(out, cache)`` convention).

Each has a ``_loop`` reference version written as plain loops that read like the lesson; the
vectorised versions copy every patch into one row of a matrix (:func:`im2col`, lesson 09) and do
all the multiply-adds as one matrix product; :func:`col2im` hands a gradient for that matrix
back to the pixels.  Loop and vectorised versions share one cache format (a dict whose
``"layer"`` is ``"conv_forward"``), so either backward takes either forward's cache; the tests
check they agree to 1e-12.  The fused conv -> ReLU -> pool block that lessons 09-11 train with
lives in :mod:`cnnlab.engine.blocks`.  Each public function checks its arguments once, then
runs its body (``_conv_forward``, ``_im2col``, ...), which the other textbook modules call.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._validate import (
    as_float_array,
    check_bool,
    check_cache,
    check_int,
    check_pair,
    check_same_shape,
)

__all__ = [
    "box_kernel",
    "conv_output_size",
    "resolve_padding",
    "check_odd_kernel",
    "im2col",
    "col2im",
    "conv2d",
    "conv2d_loop",
    "conv2d_backward",
    "conv2d_backward_loop",
    "check_conv_inputs",
    "conv_forward",
    "conv_forward_loop",
    "conv_backward",
    "conv_backward_loop",
]


# ----------------------------------------------------------------------------------------------
# Sizes
# ----------------------------------------------------------------------------------------------

def box_kernel(size=3):
    """The box-blur kernel: ``size`` x ``size`` weights of ``1 / size**2``, which sum to 1.

    Each output cell of a convolution with it is the average of the pixels under the kernel,
    so a flat region keeps its brightness (weights summing to 9 would make it 9 times brighter).

    Parameters
    ----------
    size : int
        The kernel's side, at least 1.

    Returns
    -------
    numpy.ndarray, shape (size, size)

    Examples
    --------
    >>> box_kernel(3).sum(), box_kernel(3)[0, 0] == 1 / 9
    (np.float64(1.0), np.True_)
    >>> conv2d(np.full((4, 4), 0.5), box_kernel(3))       # a flat region stays 0.5
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    size = check_int(size, "size", minimum=1)
    return np.full((size, size), 1 / size**2)


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    """How many positions a kernel takes along one axis: ``(n + 2p - d(k - 1) - 1) // s + 1``.

    Parameters
    ----------
    size : int
        Input length ``n`` along the axis (rows or columns).
    kernel_size : int
        Kernel length ``k`` along the axis.
    stride : int
        Step ``s`` between positions, 1 or more.
    padding : int or (int, int)
        Zeros added on each side ``p``, or ``(before, after)`` when they differ.
    dilation : int
        Spacing ``d`` between kernel taps, 1 or more; the kernel spans ``d(k - 1) + 1`` pixels.

    Returns
    -------
    int
        The output length.  When the stride does not divide evenly, the last
        ``(n + 2p - d(k - 1) - 1) % s`` pixels are not covered (the floor rule, as in PyTorch).

    Raises
    ------
    ValueError
        When the kernel's span is larger than the padded input, saying why.

    Examples
    --------
    >>> conv_output_size(28, 5)            # 'valid': 28 - 5 + 1
    24
    >>> conv_output_size(28, 5, padding=2) # 'same'
    28
    >>> conv_output_size(7, 3, stride=2)
    3
    """
    size = check_int(size, "size", minimum=1)
    kernel_size = check_int(kernel_size, "kernel_size", minimum=1)
    stride = check_int(stride, "stride", minimum=1)
    dilation = check_int(dilation, "dilation", minimum=1)
    if isinstance(padding, (tuple, list)):
        if len(padding) != 2:
            raise ValueError(f"padding must be an integer or a pair (before, after), "
                             f"got {tuple(padding)!r}")
        before, after = (check_int(p, f"padding[{i}]", minimum=0) for i, p in enumerate(padding))
        described = f"padding {before} before and {after} after"
    else:
        before = after = check_int(padding, "padding", minimum=0)
        described = f"padding {before} on each side"
    extent = dilation * (kernel_size - 1) + 1
    padded = size + before + after
    if extent > padded:
        span = f" (dilated extent {extent})" if dilation > 1 else ""
        raise ValueError(f"kernel {kernel_size}{span} does not fit a {size}-pixel input with "
                         f"{described}: the padded input is only {padded} pixels")
    return _output_size(size, kernel_size, stride, before + after, dilation)


def _output_size(size, kernel_size, stride, padding_total, dilation):
    """The body of :func:`conv_output_size` (ints that fit, already checked)."""
    return (size + padding_total - dilation * (kernel_size - 1) - 1) // stride + 1


def resolve_padding(padding, kernel_shape, stride=1, dilation=1):
    """Turn a padding argument into ``(top, bottom, left, right)``.

    Parameters
    ----------
    padding : int, (int, int), (int, int, int, int), "valid" or "same"
        ``p`` on every side; ``(rows, cols)``; ``(top, bottom, left, right)``; ``"valid"`` (no
        padding); or ``"same"`` (the
        output keeps the input's size; stride 1 only).  When the kernel's span is even, "same"
        cannot be symmetric: the extra row and column go at the bottom and right (as in
        TensorFlow and PyTorch).
    kernel_shape : (int, int)
        ``(kh, kw)``.
    stride, dilation : int or (int, int)

    Returns
    -------
    tuple of 4 int

    Examples
    --------
    >>> resolve_padding("same", (5, 5))
    (2, 2, 2, 2)
    >>> resolve_padding("same", (2, 2))
    (0, 1, 0, 1)
    >>> resolve_padding((1, 0), (3, 3))
    (1, 1, 0, 0)
    """
    kernel_shape = check_pair(kernel_shape, "kernel_shape", minimum=1)
    stride = check_pair(stride, "stride", minimum=1)
    return _pads(padding, kernel_shape, stride, check_pair(dilation, "dilation", minimum=1))


def _pads(padding, kernel_shape, stride, dilation):
    """:func:`resolve_padding` for checked pairs ``kernel_shape``, ``stride``, ``dilation``;
    ``padding`` itself is checked here (it is what this function reads)."""
    (kh, kw), (sh, sw), (dh, dw) = kernel_shape, stride, dilation
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding == "same":
            if (sh, sw) != (1, 1):
                raise ValueError(f"padding='same' needs stride 1 (got stride {(sh, sw)}): with "
                                 f"a larger stride the output cannot keep the input's size; "
                                 f"give the padding as a number")
            total_h, total_w = dh * (kh - 1), dw * (kw - 1)
            return (total_h // 2, total_h - total_h // 2, total_w // 2, total_w - total_w // 2)
        raise ValueError(f"padding must be an integer, a pair, 'valid' or 'same', "
                         f"got {padding!r}")
    if isinstance(padding, (tuple, list)) and len(padding) == 4:
        return tuple(check_int(p, f"padding[{i}]", minimum=0) for i, p in enumerate(padding))
    ph, pw = check_pair(padding, "padding", minimum=0)
    return (ph, ph, pw, pw)


def check_odd_kernel(kernel_shape, name="kernel_shape"):
    """Return ``(kh, kw)`` if both are odd, else say why 'same' padding needs odd kernels.

    An odd kernel has a centre pixel, so 'same' padding puts ``k // 2`` zeros on each side; an
    even one would need one more zero on one side than on the other.

    Parameters
    ----------
    kernel_shape : int or (int, int)
        A kernel side, or ``(kh, kw)``.
    name : str
        The argument's name, for the error message.

    Returns
    -------
    (int, int)

    Examples
    --------
    >>> check_odd_kernel(5, "kernel_size")
    (5, 5)
    >>> check_odd_kernel((4, 3), "weight")
    Traceback (most recent call last):
    ...
    ValueError: weight must be odd on both sides, so that 'same' padding is symmetric; got 4x3
    """
    kh, kw = check_pair(kernel_shape, name, minimum=1)
    if kh % 2 == 0 or kw % 2 == 0:
        raise ValueError(f"{name} must be odd on both sides, so that 'same' padding is "
                         f"symmetric; got {kh}x{kw}")
    return kh, kw


def _output_shape(height, width, kernel_shape, stride, pads, dilation):
    """(out_h, out_w) for a padded input, with the error message naming both axes."""
    kh, kw = kernel_shape
    top, bottom, left, right = pads
    if dilation[0] * (kh - 1) + 1 > height + top + bottom or (
            dilation[1] * (kw - 1) + 1 > width + left + right):
        span = ""
        if dilation != (1, 1):
            span = (f" (dilated extent {dilation[0] * (kh - 1) + 1}x"
                    f"{dilation[1] * (kw - 1) + 1})")
        raise ValueError(f"kernel {kh}x{kw}{span} does not fit a {height}x{width} input with "
                         f"padding {pads} (top, bottom, left, right): the padded input is "
                         f"{height + top + bottom}x{width + left + right}")
    return (_output_size(height, kh, stride[0], top + bottom, dilation[0]),
            _output_size(width, kw, stride[1], left + right, dilation[1]))


def _settings(kernel_shape, stride, padding, dilation):
    """Check stride, padding and dilation at a door; ``kernel_shape`` is a checked pair."""
    stride = check_pair(stride, "stride", minimum=1)
    dilation = check_pair(dilation, "dilation", minimum=1)
    return stride, _pads(padding, kernel_shape, stride, dilation), dilation


def _zero_pad(x, pads):
    """x with zeros added around its last two axes: a new array of zeros, x copied inside."""
    top, bottom, left, right = pads
    if pads == (0, 0, 0, 0):
        return x
    height, width = x.shape[-2:]
    padded = np.zeros((*x.shape[:-2], top + height + bottom, left + width + right), x.dtype)
    padded[..., top:top + height, left:left + width] = x
    return padded


def _crop(padded, pads):
    top, bottom, left, right = pads
    height, width = padded.shape[-2:]
    return padded[..., top:height - bottom, left:width - right]


def _tap_slices(kernel_shape, stride, dilation, out_shape):
    """For each kernel tap (a, b): the row and column slices of the padded input it reads."""
    row_end = stride[0] * (out_shape[0] - 1) + 1
    col_end = stride[1] * (out_shape[1] - 1) + 1
    for a in range(kernel_shape[0]):
        for b in range(kernel_shape[1]):
            r, c = a * dilation[0], b * dilation[1]
            yield a, b, slice(r, r + row_end, stride[0]), slice(c, c + col_end, stride[1])


# ----------------------------------------------------------------------------------------------
# im2col and its adjoint col2im: every patch as one row of a matrix
# ----------------------------------------------------------------------------------------------

def _check_x(x):
    return as_float_array(x, "x", ndim=(2, 4), axes="(H, W) or (N, C, H, W)")


def im2col(x, kernel_shape, stride=1, padding=0, dilation=1):
    """Every patch a kernel sees, one patch per row ("image to columns").

    Row ``(n, i, j)`` holds the patch under the kernel at output position ``(i, j)`` of image
    ``n``, flattened channel by channel, each channel's patch row by row; so the convolution
    with F filters is one matrix product, ``im2col(x, ...) @ weight.reshape(F, -1).T``.

    Parameters
    ----------
    x : array_like, shape (H, W) or (N, C, H, W)
        One grey image, or a batch of multi-channel images.
    kernel_shape : int or (int, int)
        ``(kh, kw)``.
    stride, dilation : int or (int, int)
    padding : int, (int, int), (top, bottom, left, right), "valid" or "same"
        Zeros added around each image (see :func:`resolve_padding`).

    Returns
    -------
    numpy.ndarray
        Shape (out_h * out_w, kh * kw) for one image; (N * out_h * out_w, C * kh * kw) for a
        batch.  A new array (never a view of ``x``).

    Examples
    --------
    >>> im2col(np.arange(9.0).reshape(3, 3), 2)
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])
    >>> im2col(np.ones((2, 3, 5, 5)), (3, 3), padding=1).shape    # 2 images x 25 positions
    (50, 27)
    """
    x = _check_x(x)
    kernel_shape = check_pair(kernel_shape, "kernel_shape", minimum=1)
    stride, pads, dilation = _settings(kernel_shape, stride, padding, dilation)
    return _im2col(x, kernel_shape, stride, pads, dilation)


def _im2col(x, kernel_shape, stride, pads, dilation):
    """The body of :func:`im2col`: checked arguments, ``pads`` as (top, bottom, left, right)."""
    kh, kw = kernel_shape
    out_h, out_w = _output_shape(*x.shape[-2:], (kh, kw), stride, pads, dilation)
    batch = x if x.ndim == 4 else x[None, None]
    n, channels = batch.shape[:2]
    span = (dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1)
    # windows[n, c, i, j, a, b] = padded[n, c, i*s + a*d, j*s + b*d]: a strided view, no copy
    windows = sliding_window_view(_zero_pad(batch, pads), span, axis=(2, 3))
    windows = windows[:, :, ::stride[0], ::stride[1], ::dilation[0], ::dilation[1]]
    # (N, oh, ow, C, kh, kw) -> one row per output position: this reshape is the one copy
    # (a 1x1 kernel with stride 1 would be a view of x: copy it, never hand x back).
    columns = windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * out_h * out_w,
                                                          channels * kh * kw)
    return columns.copy() if np.may_share_memory(columns, x) else columns


def col2im(columns, x_shape, kernel_shape, stride=1, padding=0, dilation=1):
    """The adjoint of :func:`im2col`: add every row's entries back onto the pixels they came from.

    A pixel that several patches share receives the sum of their entries; this is how a
    gradient for the patch matrix becomes a gradient for the image.

    Parameters
    ----------
    columns : array_like, shape of ``im2col(x, kernel_shape, ...)``
        (out_h * out_w, kh * kw) for one image, (N * out_h * out_w, C * kh * kw) for a batch.
    x_shape : tuple of int
        (H, W) or (N, C, H, W), the shape of the image(s) the patches came from.
    kernel_shape, stride, padding, dilation
        As in :func:`im2col`.

    Returns
    -------
    numpy.ndarray, shape x_shape

    Examples
    --------
    >>> col2im(np.ones((4, 4)), (3, 3), 2)        # how many 2x2 patches hold each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    if not isinstance(x_shape, (tuple, list)) or len(x_shape) not in (2, 4):
        raise ValueError(f"x_shape must be (H, W) or (N, C, H, W), got {x_shape!r}")
    x_shape = tuple(check_int(v, f"x_shape[{i}]", minimum=1) for i, v in enumerate(x_shape))
    kh, kw = check_pair(kernel_shape, "kernel_shape", minimum=1)
    stride, pads, dilation = _settings((kh, kw), stride, padding, dilation)
    out_h, out_w = _output_shape(*x_shape[-2:], (kh, kw), stride, pads, dilation)
    n, channels = x_shape[:2] if len(x_shape) == 4 else (1, 1)
    columns = as_float_array(columns, "columns", ndim=2, axes="(positions, patch)")
    check_same_shape(columns, "columns", (n * out_h * out_w, channels * kh * kw),
                     "im2col's output for this x_shape and these settings")
    return _col2im(columns, x_shape, (kh, kw), stride, pads, dilation)


def _col2im(columns, x_shape, kernel_shape, stride, pads, dilation):
    """The body of :func:`col2im`: checked arguments, ``columns`` of the right shape."""
    kh, kw = kernel_shape
    out_h, out_w = _output_shape(*x_shape[-2:], (kh, kw), stride, pads, dilation)
    n, channels = x_shape[:2] if len(x_shape) == 4 else (1, 1)
    per_tap = columns.reshape(n, out_h, out_w, channels, kh, kw)
    top, bottom, left, right = pads
    height, width = x_shape[-2:]
    padded = np.zeros((n, channels, height + top + bottom, width + left + right),
                      dtype=columns.dtype)
    for a, b, rows, cols in _tap_slices((kh, kw), stride, dilation, (out_h, out_w)):
        padded[:, :, rows, cols] += per_tap[..., a, b].transpose(0, 3, 1, 2)   # += : overlaps
    return _crop(padded, pads).reshape(x_shape)
# ----------------------------------------------------------------------------------------------
# One image, one kernel: (H, W) x (kh, kw), as a batch of one image with one filter
# ----------------------------------------------------------------------------------------------

def _check_2d(image, kernel):
    image = as_float_array(image, "image", ndim=2, axes="(H, W)")
    kernel = as_float_array(kernel, "kernel", ndim=2, axes="(kh, kw)")
    return image, kernel


def conv2d(image, kernel, stride=1, padding=0, dilation=1):
    """Slide ``kernel`` over ``image`` (cross-correlation, as CNNs use it); vectorised.

    Parameters
    ----------
    image : array_like, shape (H, W)
    kernel : array_like, shape (kh, kw)
    stride : int or (int, int)
        Step between kernel positions (rows, cols).
    padding : int, (int, int), "valid" or "same"
        Zeros added around the image (see :func:`resolve_padding`).
    dilation : int or (int, int)
        Spacing between kernel taps.

    Returns
    -------
    feature_map : numpy.ndarray, shape (out_h, out_w)
        ``out_h = (H + 2p - d(kh - 1) - 1) // s + 1``, likewise ``out_w``.

    Examples
    --------
    >>> image = np.arange(16.0).reshape(4, 4)
    >>> conv2d(image, np.ones((2, 2)))
    array([[10., 14., 18.],
           [26., 30., 34.],
           [42., 46., 50.]])
    >>> conv2d(image, np.ones((3, 3)), padding="same").shape
    (4, 4)
    """
    image, kernel = _check_2d(image, kernel)
    stride, pads, dilation = _settings(kernel.shape, stride, padding, dilation)
    out_shape = _output_shape(*image.shape, kernel.shape, stride, pads, dilation)
    # one patch per row, times the flattened kernel: every output cell in one product
    return (_im2col(image, kernel.shape, stride, pads, dilation) @ kernel.reshape(-1)).reshape(
        out_shape)


def conv2d_loop(image, kernel, stride=1, padding=0, dilation=1):
    """:func:`conv2d` written as the lesson says it: one output cell at a time.

    The seed's algorithm, corrected: the output size comes from the formula (so stride and
    dilation work and rectangular kernels are fine) instead of the padded image's size.
    It is :func:`conv_forward_loop` on a batch of one image and one filter.

    Parameters
    ----------
    image : array_like, shape (H, W)
    kernel : array_like, shape (kh, kw)
    stride, padding, dilation
        As in :func:`conv2d`.

    Returns
    -------
    feature_map : numpy.ndarray, shape (out_h, out_w)

    Examples
    --------
    >>> conv2d_loop([[1, 2], [3, 4]], [[1, 0], [0, 1]])
    array([[5.]])
    """
    image, kernel = _check_2d(image, kernel)
    return conv_forward_loop(image[None, None], kernel[None, None], None, stride, padding,
                             dilation)[0][0, 0]


def conv2d_backward(grad_feature_map, image, kernel, stride=1, padding=0, dilation=1):
    """Gradients of :func:`conv2d` with respect to the image and the kernel; vectorised.

    Parameters
    ----------
    grad_feature_map : array_like, shape (out_h, out_w)
        ``dL/dfeature_map``, the upstream gradient.
    image : array_like, shape (H, W)
    kernel : array_like, shape (kh, kw)
    stride, padding, dilation
        The settings of the forward pass.

    Returns
    -------
    grad_image : numpy.ndarray, shape (H, W)
    grad_kernel : numpy.ndarray, shape (kh, kw)

    Examples
    --------
    >>> image = np.arange(9.0).reshape(3, 3)
    >>> grad_image, grad_kernel = conv2d_backward(np.ones((2, 2)), image, np.eye(2))
    >>> grad_kernel          # each tap saw the sum of a 2x2 block of the image
    array([[ 8., 12.],
           [20., 24.]])
    """
    return _conv2d_backward_by(conv_forward, conv_backward, grad_feature_map, image, kernel,
                               stride, padding, dilation)


def conv2d_backward_loop(grad_feature_map, image, kernel, stride=1, padding=0, dilation=1):
    """:func:`conv2d_backward` as loops: each output cell hands its gradient back.

    For every output cell ``(i, j)``: the kernel's gradient collects ``g[i, j] * patch`` and the
    patch's pixels collect ``g[i, j] * kernel`` (accumulate with ``+=``: pixels shared by
    overlapping patches receive from all of them).  It is :func:`conv_backward_loop` on a
    batch of one image and one filter.

    Parameters
    ----------
    grad_feature_map : array_like, shape (out_h, out_w)
    image : array_like, shape (H, W)
    kernel : array_like, shape (kh, kw)
    stride, padding, dilation
        The settings of the forward pass.

    Returns
    -------
    grad_image : numpy.ndarray, shape (H, W)
    grad_kernel : numpy.ndarray, shape (kh, kw)

    Examples
    --------
    >>> grad_image, grad_kernel = conv2d_backward_loop([[1.0]], [[1, 2], [3, 4]], np.ones((2, 2)))
    >>> grad_kernel
    array([[1., 2.],
           [3., 4.]])
    """
    return _conv2d_backward_by(conv_forward_loop, conv_backward_loop, grad_feature_map, image,
                               kernel, stride, padding, dilation)


def _conv2d_backward_by(forward, backward, grad_feature_map, image, kernel, stride, padding,
                        dilation):
    """conv2d's gradients through a batch forward/backward pair (one image, one filter)."""
    image, kernel = _check_2d(image, kernel)
    grad = as_float_array(grad_feature_map, "grad_feature_map", ndim=2, axes="(out_h, out_w)")
    out, cache = forward(image[None, None], kernel[None, None], None, stride, padding, dilation)
    check_same_shape(grad, "grad_feature_map", out.shape[2:], "the forward output")
    grad_x, grad_weight, _ = backward(grad[None, None], cache)
    return grad_x[0, 0], grad_weight[0, 0]


# ----------------------------------------------------------------------------------------------
# Batches of multi-channel images: (N, C, H, W) x (F, C, kh, kw) + (F,)
# ----------------------------------------------------------------------------------------------

def check_conv_inputs(x, weight, bias):
    """Check a batch, its filters and their biases against each other; return them as floats.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    weight : array_like, shape (F, C, kh, kw)
    bias : array_like, shape (F,), or None

    Returns
    -------
    x, weight, bias : numpy.ndarray (bias None when given None)

    Examples
    --------
    >>> x, weight, bias = check_conv_inputs(np.ones((1, 2, 4, 4)), np.ones((3, 2, 3, 3)), None)
    >>> x.dtype, bias is None
    (dtype('float64'), True)
    """
    x = as_float_array(x, "x", ndim=4, axes="(N, C, H, W)")
    weight = as_float_array(weight, "weight", ndim=4, axes="(F, C, kh, kw)")
    if weight.shape[1] != x.shape[1]:
        raise ValueError(f"weight has {weight.shape[1]} input channels but x has {x.shape[1]}: "
                         f"weight (F, C, kh, kw) must match x (N, C, H, W) in C")
    if bias is not None:
        bias = as_float_array(bias, "bias", ndim=1, axes="(F,)")
        if bias.shape[0] != weight.shape[0]:
            raise ValueError(f"bias must have one entry per filter, shape ({weight.shape[0]},), "
                             f"got {bias.shape}")
    return x, weight, bias


def _conv_cache(x, weight, bias, stride, pads, dilation, columns):
    """The one cache format of both conv forwards (``columns`` None from the loop version)."""
    return {"layer": "conv_forward", "x": x, "weight": weight, "has_bias": bias is not None,
            "stride": stride, "pads": pads, "dilation": dilation, "columns": columns}


def _check_conv_grad(grad_out, cache, kind):
    """The checks both conv backwards make: the cache, then grad_out's shape."""
    check_cache(cache, "cache", "conv_forward", kind)
    x, weight = cache["x"], cache["weight"]
    out_shape = _output_shape(*x.shape[2:], weight.shape[2:], cache["stride"], cache["pads"],
                              cache["dilation"])
    grad = as_float_array(grad_out, "grad_out", ndim=4, axes="(N, F, out_h, out_w)")
    check_same_shape(grad, "grad_out", (x.shape[0], weight.shape[0], *out_shape),
                     "the forward output (N, F, out_h, out_w)")
    return grad


def conv_forward(x, weight, bias=None, stride=1, padding=0, dilation=1):
    """Convolve a batch of multi-channel images with F filters; vectorised (im2col + matmul).

    ``out[n, f] = bias[f] + sum_c conv2d(x[n, c], weight[f, c])``.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    weight : array_like, shape (F, C, kh, kw)
    bias : array_like, shape (F,), optional
    stride : int or (int, int)
    padding : int, (int, int), "valid" or "same"
    dilation : int or (int, int)

    Returns
    -------
    out : numpy.ndarray, shape (N, F, out_h, out_w)
        A view of a new (N, out_h, out_w, F) array (no copy is made to reorder it).
    cache : dict
        ``layer`` ("conv_forward"), ``x``, ``weight``, ``has_bias``, ``stride``, ``pads``,
        ``dilation`` and ``columns`` (the im2col matrix), for :func:`conv_backward` or
        :func:`conv_backward_loop`.

    Examples
    --------
    >>> x = np.ones((2, 3, 5, 5))
    >>> weight = np.ones((4, 3, 3, 3))
    >>> out, cache = conv_forward(x, weight, np.zeros(4), padding=1)
    >>> print(out.shape, out[0, 0, 2, 2], out[0, 0, 0, 0])
    (2, 4, 5, 5) 27.0 12.0
    """
    x, weight, bias = check_conv_inputs(x, weight, bias)
    stride, pads, dilation = _settings(weight.shape[2:], stride, padding, dilation)
    return _conv_forward(x, weight, bias, stride, pads, dilation)


def _conv_forward(x, weight, bias, stride, pads, dilation):
    """The body of :func:`conv_forward`: checked arrays, stride and dilation pairs, pads
    (top, bottom, left, right) with which the kernel fits."""
    num_filters, _, kh, kw = weight.shape
    out_h, out_w = _output_shape(*x.shape[2:], (kh, kw), stride, pads, dilation)
    columns = _im2col(x, (kh, kw), stride, pads, dilation)         # (N*oh*ow, C*kh*kw)
    out = columns @ weight.reshape(num_filters, -1).T               # (N*oh*ow, F): one matmul
    if bias is not None:
        out += bias
    # (N, oh, ow, F) viewed as (N, F, oh, ow): no copy; NumPy handles the strides.
    out = out.reshape(x.shape[0], out_h, out_w, num_filters).transpose(0, 3, 1, 2)
    return out, _conv_cache(x, weight, bias, stride, pads, dilation, columns)


def conv_backward(grad_out, cache, input_grad=True):
    """Gradients of :func:`conv_forward`; vectorised.

    Parameters
    ----------
    grad_out : array_like, shape (N, F, out_h, out_w)
        ``dL/dout``.
    cache : dict
        From :func:`conv_forward` or :func:`conv_forward_loop`.
    input_grad : bool
        Compute ``grad_x``.  A network's first layer does not need it (nothing comes before
        the images), and skipping it halves the work; ``grad_x`` is then None.

    Returns
    -------
    grad_x : numpy.ndarray, shape (N, C, H, W), or None when ``input_grad`` is False
    grad_weight : numpy.ndarray, shape (F, C, kh, kw)
    grad_bias : numpy.ndarray, shape (F,), or None when the forward pass had no bias

    Examples
    --------
    >>> x = np.ones((1, 1, 3, 3))
    >>> out, cache = conv_forward(x, np.ones((1, 1, 2, 2)), np.zeros(1))
    >>> grad_x, grad_weight, grad_bias = conv_backward(np.ones_like(out), cache)
    >>> grad_x[0, 0]          # the centre pixel is in all four patches
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    >>> grad_bias
    array([4.])
    """
    grad = _check_conv_grad(grad_out, cache, "conv_backward")
    return _conv_backward(grad, cache, check_bool(input_grad, "input_grad"))


def _conv_backward(grad, cache, input_grad):
    """The body of :func:`conv_backward`: ``grad`` a float array of the output's shape."""
    x, weight = cache["x"], cache["weight"]
    stride, pads, dilation = cache["stride"], cache["pads"], cache["dilation"]
    columns = cache["columns"]
    if columns is None:                       # the loop forward's cache: build the matrix now
        columns = _im2col(x, weight.shape[2:], stride, pads, dilation)
    num_filters = weight.shape[0]
    # In the forward pass this was out = columns @ W.T + b (W: one filter per row), so now we
    # have dW = grad.T @ columns, db = grad summed over positions, dcolumns = grad @ W.
    grad_rows = grad.transpose(0, 2, 3, 1).reshape(-1, num_filters)    # (N*oh*ow, F)
    grad_weight = (grad_rows.T @ columns).reshape(weight.shape)
    grad_bias = grad_rows.sum(axis=0) if cache["has_bias"] else None
    if not input_grad:
        return None, grad_weight, grad_bias
    grad_columns = grad_rows @ weight.reshape(num_filters, -1)         # (N*oh*ow, C*kh*kw)
    grad_x = _col2im(grad_columns, x.shape, weight.shape[2:], stride, pads, dilation)
    return grad_x, grad_weight, grad_bias


def conv_forward_loop(x, weight, bias=None, stride=1, padding=0, dilation=1):
    """:func:`conv_forward` as plain loops over images, filters and output cells (reference).

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    weight : array_like, shape (F, C, kh, kw)
    bias : array_like, shape (F,), optional
    stride, padding, dilation
        As in :func:`conv_forward`.

    Returns
    -------
    out : numpy.ndarray, shape (N, F, out_h, out_w)
    cache : dict
        :func:`conv_forward`'s format (``columns`` is None): either backward takes it.

    Examples
    --------
    >>> out, _ = conv_forward_loop(np.ones((1, 2, 3, 3)), np.ones((1, 2, 3, 3)), np.array([1.0]))
    >>> out
    array([[[[19.]]]])
    """
    x, weight, bias = check_conv_inputs(x, weight, bias)
    num_filters, _, kh, kw = weight.shape
    stride, pads, dilation = _settings((kh, kw), stride, padding, dilation)
    out_h, out_w = _output_shape(*x.shape[2:], (kh, kw), stride, pads, dilation)
    padded = _zero_pad(x, pads)
    out = np.zeros((x.shape[0], num_filters, out_h, out_w), dtype=np.result_type(x, weight))
    for n in range(x.shape[0]):
        for f in range(num_filters):
            for i in range(out_h):
                for j in range(out_w):
                    top, left = i * stride[0], j * stride[1]
                    patch = padded[n, :, top:top + dilation[0] * (kh - 1) + 1:dilation[0],
                                   left:left + dilation[1] * (kw - 1) + 1:dilation[1]]
                    out[n, f, i, j] = np.sum(patch * weight[f])
                    if bias is not None:
                        out[n, f, i, j] += bias[f]
    return out, _conv_cache(x, weight, bias, stride, pads, dilation, None)


def conv_backward_loop(grad_out, cache):
    """:func:`conv_backward` as plain loops (reference).

    Parameters
    ----------
    grad_out : array_like, shape (N, F, out_h, out_w)
    cache : dict
        From :func:`conv_forward_loop` or :func:`conv_forward`.

    Returns
    -------
    grad_x : numpy.ndarray, shape (N, C, H, W)
    grad_weight : numpy.ndarray, shape (F, C, kh, kw)
    grad_bias : numpy.ndarray, shape (F,), or None

    Examples
    --------
    >>> out, cache = conv_forward_loop(np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)), np.zeros(1))
    >>> conv_backward_loop(np.ones_like(out), cache)[1]
    array([[[[1., 1.],
             [1., 1.]]]])
    """
    grad = _check_conv_grad(grad_out, cache, "conv_backward_loop")
    x, weight = cache["x"], cache["weight"]
    stride, pads, dilation = cache["stride"], cache["pads"], cache["dilation"]
    num_filters, _, kh, kw = weight.shape
    padded = _zero_pad(x, pads)
    grad_padded = np.zeros_like(padded, dtype=np.result_type(padded, grad))
    grad_weight = np.zeros(weight.shape, dtype=np.result_type(weight, grad))
    for n in range(x.shape[0]):
        for f in range(num_filters):
            for i in range(grad.shape[2]):
                for j in range(grad.shape[3]):
                    top, left = i * stride[0], j * stride[1]
                    rows = slice(top, top + dilation[0] * (kh - 1) + 1, dilation[0])
                    cols = slice(left, left + dilation[1] * (kw - 1) + 1, dilation[1])
                    # in the forward pass this was out[n, f, i, j] = sum(patch * weight[f]),
                    # so now we have d weight[f] += g * patch and d patch += g * weight[f]
                    grad_weight[f] += grad[n, f, i, j] * padded[n, :, rows, cols]
                    grad_padded[n, :, rows, cols] += grad[n, f, i, j] * weight[f]
    grad_bias = grad.sum(axis=(0, 2, 3)) if cache["has_bias"] else None
    return _crop(grad_padded, pads), grad_weight, grad_bias
