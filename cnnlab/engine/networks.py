"""The two networks' losses with the fused block: the same numbers as the textbook, faster.

:func:`cnnlab.models.small_cnn_loss` and :func:`cnnlab.seednet.seed_network_loss` run the
textbook layers one by one.  These run each conv -> ReLU -> 2x2 max pool as the fused block of
:mod:`cnnlab.engine.blocks`, in the same Trainer format ``(params, images, labels) -> (loss,
grads, logits)``; a lesson that wants the speed picks one in a visible line, the way CS231n
writes ``conv_forward_fast = conv_forward_strides``::

    trainer = Trainer(params, engine.small_cnn_loss_fast, ...)   # instead of small_cnn_loss

:func:`seed_step_fast` is :func:`cnnlab.seednet.seed_step` (one image, every gradient the
lessons show) through the same fused seed network, a batch of one.

In float64 they agree with the textbook to about 1e-15; in float32 the last digits can differ
(the sums run in another order).  ``tests/engine/test_networks.py`` checks them to 1e-12 in
float64.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_bool, check_same_shape
from ..conv import check_odd_kernel
from ..dense import dense_backward, dense_forward
from ..losses import binary_cross_entropy_with_logits, softmax_cross_entropy
from ..models import check_small_cnn_inputs, check_small_cnn_loss_inputs
from ..seednet import (
    SEED_PARAM_NAMES,
    check_seed_inputs,
    check_seed_step_inputs,
    seed_output_gradient,
    seed_step,
)
from .blocks import (
    _conv_relu_pool_backward,
    _conv_relu_pool_forward,
    _grad_conv,
    _grad_params,
    _grad_pooled,
    _phase_map,
)

__all__ = ["small_cnn_loss_fast", "small_cnn_logits_fast", "seed_network_loss_fast",
           "seed_network_logits_fast", "seed_step_fast"]


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
                                                  params[f"conv{block}.bias"], 2, copy=False)
    cache["pooled_shape"] = x.shape
    logits, cache["dense"] = dense_forward(x.reshape(x.shape[0], -1), params["dense.weight"],
                                           params["dense.bias"])
    return logits, cache


def small_cnn_loss_fast(params, images, labels, backward=True):
    """:func:`cnnlab.models.small_cnn_loss` through the fused blocks: loss, grads, logits.

    Parameters
    ----------
    params, images, labels, backward
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
    params, x, blocks, labels = check_small_cnn_loss_inputs(params, images, labels)
    backward = check_bool(backward, "backward")
    logits, cache = _small_cnn_logits(params, x, blocks)
    loss, grad_logits = softmax_cross_entropy(logits, labels)
    if not backward:
        return loss, None, logits
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
    return _seed_logits(images, kernel, bias, weight, out_bias, 2)


def _seed_logits(images, kernel, bias, weight, out_bias, pool):
    """The seed network's forward through the fused block: logits (N,) and a cache."""
    pooled, block = _conv_relu_pool_forward(images[:, None], kernel[None, None],
                                            bias.reshape(1), pool)
    flat = pooled.reshape(images.shape[0], -1)                    # f, (N, D)
    return flat @ weight + out_bias, {"flat": flat, "block": block, "weight": weight,
                                      "pooled_shape": pooled.shape}


def _seed_backward(grad_logits, cache):
    """Every gradient of the fused seed network from dL/dlogits (N,); dL/dconv in the block's
    phase layout for :func:`seed_step_fast`."""
    # In the forward pass this was z = f . w + bf, so now we have dL/dw = sum_n dL/dz_n f_n,
    # dL/dbf = sum_n dL/dz_n, and dL/df = dL/dz w, which goes back through the block.
    grad_flat = grad_logits[:, None] * cache["weight"]
    block = cache["block"]
    grad_pooled = _grad_pooled(grad_flat.reshape(cache["pooled_shape"]), block)
    grad_conv, grad_bias = _grad_conv(grad_pooled, block)
    _, grad_kernel = _grad_params(grad_conv, block, False)
    return {"kernel": grad_kernel[0, 0], "bias": grad_bias[0],
            "weight": grad_logits @ cache["flat"], "out_bias": np.add.reduce(grad_logits),
            "flat": grad_flat, "pooled": grad_pooled, "conv": grad_conv}


def seed_network_loss_fast(params, images, targets, backward=True):
    """:func:`cnnlab.seednet.seed_network_loss` through the fused block: loss, grads, logits.

    Parameters
    ----------
    params, images, targets, backward
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
    backward = check_bool(backward, "backward")
    logits, cache = seed_network_logits_fast(params, images)
    targets = as_float_array(targets, "targets", ndim=1, axes="(N,)")
    check_same_shape(targets, "targets", logits.shape, "the logits (one target per image)")
    # float64 targets must not turn float32 gradients into float64 (0 and 1 are exact)
    loss, grad_logits = binary_cross_entropy_with_logits(
        logits, targets.astype(logits.dtype, copy=False))
    if not backward:
        return loss, None, logits
    grads = _seed_backward(grad_logits, cache)
    return loss, {name: np.reshape(grads[name], np.shape(params[name]))
                  for name in SEED_PARAM_NAMES}, logits


def seed_step_fast(image, y, params, loss="squared_error", padding="same", pool=2):
    """:func:`cnnlab.seednet.seed_step` through the fused seed network: the same results.

    One image is a batch of one of :func:`seed_network_loss_fast`'s network; the maps the
    lessons show (``grad_relu``, ``grad_conv``) are read back from the block's phase layout.
    Arguments are checked once, with :func:`cnnlab.seednet.check_seed_step_inputs`, so bad input
    gets the textbook's errors.  Settings the fused block does not compute (a padding other
    than 'same' for an odd kernel) go to :func:`cnnlab.seednet.seed_step` itself.

    Parameters
    ----------
    image, y, params, loss, padding, pool
        As for :func:`cnnlab.seednet.seed_step`.

    Returns
    -------
    y_hat : float
    grads : dict
        As from :func:`cnnlab.seednet.seed_step` (``grad_image`` None).

    Examples
    --------
    >>> from cnnlab.seednet import init_seed_params, seed_step
    >>> params = init_seed_params((8, 8), 3, rng=0, scale=0.5)
    >>> image = np.random.default_rng(0).random((8, 8))
    >>> (y_hat, grads), (want, want_grads) = (seed_step_fast(image, 1.0, params),
    ...                                       seed_step(image, 1.0, params))
    >>> bool(np.isclose(y_hat, want, rtol=1e-12)), sorted(grads) == sorted(want_grads)
    (True, True)
    >>> bool(np.allclose(grads["grad_kernel"], want_grads["grad_kernel"], rtol=1e-12))
    True
    """
    image, y, loss, kernel, bias, weight, out_bias, pads, pool, pooled_shape = (
        check_seed_step_inputs(image, y, params, loss, padding, pool))
    kh, kw = kernel.shape
    if kh % 2 == 0 or kw % 2 == 0 or pads != (kh // 2, kh // 2, kw // 2, kw // 2):
        return seed_step(image, y, params, loss, padding, pool)
    logits, cache = _seed_logits(image[None], kernel, bias, weight, out_bias, pool)
    logit = float(logits[0])
    # cnnlab.activations.sigmoid's stable formula, exp(-log(1 + e^-z)), without its door's
    # checks: the logit is a finite number computed here
    y_hat = float(np.exp(-np.logaddexp(0.0, -logit)))
    # in the forward pass this was y_hat = sigmoid(z) and then the loss, so now dL/dz:
    value, grad_logit = seed_output_gradient(y_hat, logit, y, loss)
    grads = _seed_backward(np.array([grad_logit], dtype=logits.dtype), cache)
    geometry = cache["block"]["geometry"]
    grad_conv = _phase_map(grads["conv"], geometry)[0, 0]                # dL/dC, (H, W)
    # dL/drelu: dL/dC where C + b > 0; where a whole window was <= 0 (its pooled value 0, and
    # dL/dC zero across it) the textbook's pooling gave the gradient to the window's first
    # cell (the tie rule), and the ReLU stopped it there.
    grad_pooled = grads["flat"].reshape(pooled_shape)
    grad_relu = grad_conv.copy()
    np.copyto(grad_relu[:pool * pooled_shape[0]:pool, :pool * pooled_shape[1]:pool],
              grad_pooled, where=cache["flat"].reshape(pooled_shape) == 0)
    return y_hat, {"loss": float(value), "grad_kernel": grads["kernel"],
                   "grad_bias": float(grads["bias"]), "grad_weight": grads["weight"],
                   "grad_out_bias": float(grads["out_bias"]), "grad_image": None,
                   "grad_logit": float(grad_logit), "grad_flat": grads["flat"][0],
                   "grad_pooled": grad_pooled, "grad_relu": grad_relu, "grad_conv": grad_conv}
