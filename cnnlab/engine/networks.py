"""The two networks' losses with the fused block: the same numbers as the textbook, faster.

:func:`cnnlab.models.small_cnn_loss` and :func:`cnnlab.seednet.seed_network_loss` run the
textbook layers one by one.  These run each conv -> ReLU -> 2x2 max pool as the fused block of
:mod:`cnnlab.engine.blocks`, in the same Trainer format ``(params, images, labels) -> (loss,
grads, logits)``; a lesson that wants the speed picks one in a visible line, the way CS231n
writes ``conv_forward_fast = conv_forward_strides``::

    trainer = Trainer(params, engine.small_cnn_loss_fast, ...)   # instead of small_cnn_loss

In float64 they agree with the textbook to about 1e-15; in float32 the last digits can differ
(the sums run in another order).  ``tests/engine/test_networks.py`` checks both to 1e-12 in
float64.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_labels, check_same_shape
from ..conv import check_odd_kernel
from ..dense import dense_backward, dense_forward
from ..losses import binary_cross_entropy_with_logits, softmax_cross_entropy
from ..models import check_small_cnn_inputs
from ..seednet import SEED_PARAM_NAMES, check_seed_inputs
from .blocks import _conv_relu_pool_backward, _conv_relu_pool_forward

__all__ = ["small_cnn_loss_fast", "small_cnn_logits_fast", "seed_network_loss_fast",
           "seed_network_logits_fast"]


def small_cnn_logits_fast(params, images):
    """:func:`cnnlab.models.small_cnn_forward`'s logits through the fused blocks.

    Parameters
    ----------
    params : dict
        From :func:`cnnlab.models.init_small_cnn`.
    images : array_like, shape (N, C, H, W) or (N, H, W)

    Returns
    -------
    logits : numpy.ndarray, shape (N, num_classes)
    cache : dict
        The blocks' caches and the dense layer's, for :func:`small_cnn_loss_fast`.

    Examples
    --------
    >>> from cnnlab.models import init_small_cnn
    >>> small_cnn_logits_fast(init_small_cnn(num_filters=2), np.zeros((3, 28, 28)))[0].shape
    (3, 10)
    """
    params, x, blocks = check_small_cnn_inputs(params, images)
    return _small_cnn_logits(params, x, blocks)


def _small_cnn_logits(params, x, blocks):
    cache = {"blocks": blocks}
    for block in range(1, blocks + 1):
        x, cache[block] = _conv_relu_pool_forward(x, params[f"conv{block}.weight"],
                                                  params[f"conv{block}.bias"], 2)
    cache["pooled_shape"] = x.shape
    logits, cache["dense"] = dense_forward(x.reshape(x.shape[0], -1), params["dense.weight"],
                                           params["dense.bias"])
    return logits, cache


def small_cnn_loss_fast(params, images, labels):
    """:func:`cnnlab.models.small_cnn_loss` through the fused blocks: loss, grads, logits.

    Parameters
    ----------
    params, images, labels
        As for :func:`cnnlab.models.small_cnn_loss`, and so are the returned
        ``(loss, grads, logits)``.

    Examples
    --------
    >>> from cnnlab.models import init_small_cnn, small_cnn_loss
    >>> params = init_small_cnn(num_filters=2)
    >>> images = np.random.default_rng(0).random((4, 28, 28))
    >>> fast, layers = (small_cnn_loss_fast(params, images, [0, 1, 2, 3]),
    ...                 small_cnn_loss(params, images, [0, 1, 2, 3]))
    >>> bool(np.isclose(fast[0], layers[0], rtol=1e-12))
    True
    """
    params, x, blocks = check_small_cnn_inputs(params, images)
    labels = check_labels(labels, "labels", n_classes=params["dense.bias"].shape[0],
                          n_samples=x.shape[0])
    logits, cache = _small_cnn_logits(params, x, blocks)
    loss, grad_logits = softmax_cross_entropy(logits, labels)
    grads = {}
    grad, grads["dense.weight"], grads["dense.bias"] = dense_backward(grad_logits,
                                                                      cache["dense"])
    grad = grad.reshape(cache["pooled_shape"])
    for block in range(blocks, 0, -1):
        grad, grads[f"conv{block}.weight"], grads[f"conv{block}.bias"] = (
            _conv_relu_pool_backward(grad, cache[block], block > 1))
    return loss, grads, logits


def seed_network_logits_fast(params, images):
    """:func:`cnnlab.seednet.seed_network_forward`'s logits through the fused block.

    The seed's settings only: 'same' padding with an odd kernel, 2x2 max pooling.

    Parameters
    ----------
    params : dict
        From :func:`cnnlab.seednet.init_seed_params`.
    images : array_like, shape (N, H, W)

    Returns
    -------
    logits : numpy.ndarray, shape (N,)
    cache : dict
        What :func:`seed_network_loss_fast` needs.

    Examples
    --------
    >>> from cnnlab.seednet import init_seed_params
    >>> seed_network_logits_fast(init_seed_params((8, 8), 3), np.zeros((2, 8, 8)))[0].shape
    (2,)
    """
    images, kernel, bias, weight, out_bias, *_ = check_seed_inputs(images, params)
    if images.ndim != 3:
        raise ValueError(f"images must be 3-D (N, H, W), got shape {images.shape} "
                         f"({images.ndim}-D)")
    check_odd_kernel(kernel.shape, "params['kernel']")
    pooled, block = _conv_relu_pool_forward(images[:, None], kernel[None, None],
                                            np.reshape(bias, (1,)), 2)
    flat = pooled.reshape(images.shape[0], -1)                    # f, (N, D)
    return flat @ weight + out_bias, {"flat": flat, "block": block, "weight": weight,
                                      "pooled_shape": pooled.shape}


def seed_network_loss_fast(params, images, targets):
    """:func:`cnnlab.seednet.seed_network_loss` through the fused block: loss, grads, logits.

    Parameters
    ----------
    params, images, targets
        As for :func:`cnnlab.seednet.seed_network_loss`, and so are the returned
        ``(loss, grads, logits)``.

    Examples
    --------
    >>> from cnnlab.seednet import init_seed_params, seed_network_loss
    >>> params = init_seed_params((8, 8), 3, scale=0.5)
    >>> images = np.random.default_rng(0).random((4, 8, 8))
    >>> fast = seed_network_loss_fast(params, images, [0, 1, 1, 0])
    >>> bool(np.isclose(fast[0], seed_network_loss(params, images, [0, 1, 1, 0])[0]))
    True
    """
    logits, cache = seed_network_logits_fast(params, images)
    targets = as_float_array(targets, "targets", ndim=1, axes="(N,)")
    check_same_shape(targets, "targets", logits.shape, "the logits (one target per image)")
    # float64 targets must not turn float32 gradients into float64 (0 and 1 are exact)
    loss, grad_logits = binary_cross_entropy_with_logits(
        logits, targets.astype(logits.dtype, copy=False))
    # In the forward pass this was z = f . w + bf, so now we have dL/dw = sum_n dL/dz_n f_n,
    # dL/dbf = sum_n dL/dz_n, and dL/df = dL/dz w, which goes back through the block.
    grad_flat = grad_logits[:, None] * cache["weight"]
    _, grad_kernel, grad_bias = _conv_relu_pool_backward(
        grad_flat.reshape(cache["pooled_shape"]), cache["block"], False)
    grads = {"kernel": grad_kernel[0, 0], "bias": grad_bias[0],
             "weight": grad_logits @ cache["flat"], "out_bias": grad_logits.sum()}
    return loss, {name: np.reshape(grads[name], np.shape(params[name]))
                  for name in SEED_PARAM_NAMES}, logits
