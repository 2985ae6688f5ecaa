"""The seed network's step with every argument checked once: for loops of many small steps.

:func:`cnnlab.seednet.seed_step` runs :func:`cnnlab.seednet.seed_forward` and
:func:`cnnlab.seednet.seed_backward`, and every layer inside checks its arguments again.  On a
32x32 image the arithmetic is so small that those checks and NumPy's fixed cost per call are
most of the time.  :func:`seed_step` here checks everything once, at the start, with the
textbook's own checks, and then runs the same forward and backward without checking again:

* the feature-map sizes for a given (image, kernel, padding, pool) are remembered between
  steps (only for padding given as a str, an int or a tuple of ints: anything else meets the
  checks every time);
* the patches come from one strided view of the padded image, built directly;
* pooling takes the size-routed path of :mod:`cnnlab.engine.pooling`;
* the sigmoid of the one logit is :func:`cnnlab.activations.logistic`, the formula
  :func:`cnnlab.activations.sigmoid` computes after its checks.

``tests/test_engine_seednet.py`` checks it against the textbook step to 1e-12.
"""

from __future__ import annotations

import functools

import numpy as np

from .._validate import as_float_array, check_int
from ..activations import logistic
from ..seednet import (
    check_seed_inputs,
    check_seed_loss,
    check_seed_params,
    check_seed_target,
    seed_feature_shape,
    seed_output_gradient,
)
from .pooling import max_pool_backward_checked, max_pool_forward_checked

__all__ = ["seed_step"]

_remembered_feature_shape = functools.lru_cache(maxsize=64)(seed_feature_shape)


def _feature_shape(image_shape, kernel_shape, padding, pool):
    """seed_feature_shape, remembered for paddings whose equality cannot mislead the cache."""
    plain = type(padding) in (str, int) or (
        type(padding) is tuple and all(type(p) is int for p in padding))
    if plain:
        return _remembered_feature_shape(image_shape, kernel_shape, padding, pool)
    return seed_feature_shape(image_shape, kernel_shape, padding, pool)


def _patches(image, kernel_shape, pads):
    """Every patch of one (H, W) image, one row per kernel tap: shape (kh*kw, out_h*out_w).

    The windows are a view of a fresh padded copy, built with ``np.ndarray`` on its buffer:
    output (i, j) starts at padded[i, j], tap (a, b) is a, b further on.
    """
    kh, kw = kernel_shape
    top, bottom, left, right = pads
    height, width = image.shape
    padded = np.zeros((height + top + bottom, width + left + right), dtype=image.dtype)
    padded[top:top + height, left:left + width] = image
    out_h, out_w = padded.shape[0] - kh + 1, padded.shape[1] - kw + 1
    rows, cols = padded.strides
    windows = np.ndarray((out_h, out_w, kh, kw), padded.dtype, padded, 0,
                         (rows, cols, rows, cols))
    return windows.transpose(2, 3, 0, 1).reshape(kh * kw, out_h * out_w), (out_h, out_w)


def seed_step(image, y, params, loss="squared_error", padding="same", pool=2):
    """:func:`cnnlab.seednet.seed_step` with its arguments checked once: the same numbers.

    Parameters
    ----------
    image : array_like, shape (H, W)
    y : float
        The target, in [0, 1].
    params : dict
        ``kernel`` (kh, kw), ``bias``, ``weight`` (D,), ``out_bias``.
    loss : {"squared_error", "bce"}
    padding : int, (int, int), "valid" or "same"
    pool : int

    Returns
    -------
    y_hat : float
    grads : dict
        As from :func:`cnnlab.seednet.seed_backward`, with ``grad_image`` None.

    Examples
    --------
    >>> from cnnlab.seednet import init_seed_params
    >>> params = init_seed_params((8, 8), 3, rng=0)
    >>> y_hat, grads = seed_step(np.ones((8, 8)), 1.0, params)
    >>> grads["grad_kernel"].shape, grads["grad_image"] is None
    ((3, 3), True)
    """
    image = as_float_array(image, "image", ndim=2, axes="(H, W)")
    kernel, bias, weight, out_bias = check_seed_params(params)
    pool = check_int(pool, "pool", minimum=1)
    loss = check_seed_loss(loss)
    y = check_seed_target(y)
    pads, pooled_shape = _feature_shape(image.shape, kernel.shape, padding, pool)
    if weight.shape[0] != pooled_shape[0] * pooled_shape[1]:
        check_seed_inputs(image, params, padding, pool)      # says why, and how to fix it

    # forward: the textbook's seed_network_forward on one image
    columns, conv_shape = _patches(image, kernel.shape, pads)
    conv = (kernel.reshape(-1) @ columns).reshape(conv_shape)            # C
    pre_activation = conv + bias                                         # C + b
    relu = np.maximum(pre_activation, 0.0)
    pooled, pool_cache = max_pool_forward_checked(relu, (pool, pool), (pool, pool),
                                                  pooled_shape)          # S
    flat = pooled.reshape(-1)                                            # f
    logit = float(flat @ weight + out_bias)                              # z
    y_hat = float(logistic(logit))

    # backward: in the forward pass this was z = w . f + bf after C = K * image, and so on
    value, grad_logit = seed_output_gradient(y_hat, logit, y, loss)
    grad_flat = grad_logit * weight                                      # dL/df
    grad_pooled = grad_flat.reshape(pooled.shape)                        # dL/dS
    grad_relu = max_pool_backward_checked(grad_pooled, pool_cache)       # to the winners
    grad_conv = grad_relu * (pre_activation > 0)                         # dL/dC
    # dL/dK[a, b] = sum over cells of dL/dC * the pixel tap (a, b) saw there: one product
    grad_kernel = (columns @ grad_conv.reshape(-1)).reshape(kernel.shape)
    return y_hat, {"loss": float(value), "grad_kernel": grad_kernel,
                   "grad_bias": float(grad_conv.sum()), "grad_weight": grad_logit * flat,
                   "grad_out_bias": float(grad_logit), "grad_image": None,
                   "grad_logit": float(grad_logit), "grad_flat": grad_flat,
                   "grad_pooled": grad_pooled, "grad_relu": grad_relu, "grad_conv": grad_conv}
