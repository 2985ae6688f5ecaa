"""Two networks built from cnnlab's layers, with parameters as plain named arrays.

* The seed's network on a batch, for a two-digit task (:func:`seed_model_loss`): conv (one
  kernel) -> +b -> ReLU -> 2x2 max pool -> dense -> one logit (sigmoid probability).
* A small CNN for the ten digits (:func:`init_small_cnn`, :func:`small_cnn_loss`)::

      images (N, 1, 28, 28)
        -> [conv 5x5 'same' (F filters) -> ReLU -> 2x2 max pool]   one or two blocks
        -> flatten -> dense -> 10 logits -> softmax cross-entropy

Parameters live in a dict such as ``{"conv1.weight": ..., "conv1.bias": ..., "dense.weight":
..., "dense.bias": ...}``: a learner can print, plot or change any of them.  Every loss function
has the shape ``loss_fn(params, images, labels) -> (loss, grads, logits)`` with ``grads`` keyed
like ``params``, which is what :class:`cnnlab.train.Trainer` trains.

The small CNN runs in one of two ways, chosen by one switch, ``fused``:
``fused=False`` goes layer by layer (conv, ReLU, max pool from the textbook) and keeps every
feature map for the pictures; ``fused=True`` runs each block as the engine's fused conv -> ReLU
-> max pool (:mod:`cnnlab.engine.blocks`), the same numbers with less memory traffic.
:func:`small_cnn_loss` (what :class:`cnnlab.train.Trainer` runs) and :func:`predict_proba`
use ``fused=True`` unless told otherwise; :func:`small_cnn_forward` defaults to the layers.

The seed's network on a batch reuses :mod:`cnnlab.seednet`'s network as it is.
"""

from __future__ import annotations

import numpy as np

from ._validate import (
    as_float_array,
    as_rng,
    check_bool,
    check_cache,
    check_float,
    check_int,
    check_pair,
    check_same_shape,
)
from .activations import relu_backward, relu_forward, softmax
from .conv import check_odd_kernel, conv_backward, conv_forward
from .dense import dense_backward, dense_forward, flatten_backward, flatten_forward
from .engine.blocks import conv_relu_pool_backward, conv_relu_pool_forward
from .losses import binary_cross_entropy_with_logits, softmax_cross_entropy
from .pooling import max_pool_backward, max_pool_forward
from .seednet import seed_network_backward, seed_network_forward

__all__ = [
    "init_small_cnn",
    "small_cnn_forward",
    "small_cnn_backward",
    "small_cnn_loss",
    "predict_proba",
    "init_seed_model",
    "seed_model_forward",
    "seed_model_loss",
]


def init_small_cnn(num_filters=8, kernel_size=5, num_blocks=1, num_classes=10,
                   image_shape=(28, 28), in_channels=1, seed=0, dtype=np.float64):
    """He-initialised parameters for the small CNN.

    Weights are drawn from ``N(0, 2 / fan_in)`` (He et al., 2015: the scale that keeps the
    variance of ReLU activations steady from layer to layer); biases start at 0.  Block ``b``
    has ``num_filters * 2**(b-1)`` filters.

    Parameters
    ----------
    num_filters : int
        Filters in the first block.
    kernel_size : int
        Odd, so 'same' padding is symmetric.
    num_blocks : int
        1 or 2 conv blocks (conv -> ReLU -> 2x2 max pool).
    num_classes : int
    image_shape : (int, int)
    in_channels : int
    seed : int or numpy.random.Generator
    dtype : numpy.float32 or numpy.float64
        float64 by default; float32 trains faster (half the memory traffic).

    Returns
    -------
    dict of str -> numpy.ndarray
        ``conv1.weight`` (F, C, k, k), ``conv1.bias`` (F,), [``conv2.*``], ``dense.weight``
        (D, num_classes), ``dense.bias`` (num_classes,).

    Examples
    --------
    >>> params = init_small_cnn()
    >>> for name, value in params.items():
    ...     print(name, value.shape)
    conv1.weight (8, 1, 5, 5)
    conv1.bias (8,)
    dense.weight (1568, 10)
    dense.bias (10,)
    """
    num_filters = check_int(num_filters, "num_filters", minimum=1)
    kernel_size = check_int(kernel_size, "kernel_size", minimum=1)
    check_odd_kernel(kernel_size, "kernel_size")
    dtype = _check_dtype(dtype)
    num_blocks = check_int(num_blocks, "num_blocks", minimum=1)
    if num_blocks > 2:
        raise ValueError(f"num_blocks must be 1 or 2, got {num_blocks}")
    num_classes = check_int(num_classes, "num_classes", minimum=2)
    height, width = check_pair(image_shape, "image_shape", minimum=1)
    channels = check_int(in_channels, "in_channels", minimum=1)
    rng = as_rng(seed, "seed")
    params = {}
    for block in range(1, num_blocks + 1):
        if height < 2 or width < 2:
            raise ValueError(f"image_shape {tuple(image_shape)} is too small for {num_blocks} "
                             f"pooling blocks")
        filters = num_filters * 2 ** (block - 1)
        fan_in = channels * kernel_size * kernel_size
        params[f"conv{block}.weight"] = (rng.standard_normal(
            (filters, channels, kernel_size, kernel_size)) * np.sqrt(2.0 / fan_in)).astype(dtype)
        params[f"conv{block}.bias"] = np.zeros(filters, dtype=dtype)
        channels, height, width = filters, height // 2, width // 2
    features = channels * height * width
    params["dense.weight"] = (rng.standard_normal((features, num_classes))
                              * np.sqrt(2.0 / features)).astype(dtype)
    params["dense.bias"] = np.zeros(num_classes, dtype=dtype)
    return params


def _check_dtype(dtype):
    if dtype is None:
        raise TypeError("dtype must be numpy.float32 or numpy.float64, got None")
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be numpy.float32 or numpy.float64, got {dtype!r}") from None
    if dtype not in (np.float32, np.float64):
        raise TypeError(f"dtype must be numpy.float32 or numpy.float64, got {dtype}")
    return dtype


def _blocks(params):
    count = 0
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict of named arrays (from init_small_cnn), "
                        f"got {type(params).__name__}")
    while f"conv{count + 1}.weight" in params:
        count += 1
    if count == 0 or "dense.weight" not in params:
        raise ValueError("params must hold conv1.weight, conv1.bias, ..., dense.weight, "
                         "dense.bias (build them with init_small_cnn)")
    return count


def _check_images(images):
    images = as_float_array(images, "images", ndim=(3, 4), axes="(N, C, H, W) or (N, H, W)")
    return images[:, None] if images.ndim == 3 else images


def _check_params(params, images):
    """Check the small CNN's parameters and that ``images`` (N, C, H, W) fit them."""
    blocks = _blocks(params)
    for name, value in params.items():
        if name.startswith(("conv", "dense")) and name.endswith((".weight", ".bias")):
            ndim = {"weight": 4 if name.startswith("conv") else 2, "bias": 1}[
                name.rsplit(".", 1)[1]]
            as_float_array(value, f"params[{name!r}]", ndim=ndim)
    channels = np.shape(params["conv1.weight"])[1]
    if images.shape[1] != channels:
        raise ValueError(f"images have {images.shape[1]} channels but params['conv1.weight'] "
                         f"expects {channels}: images must be (N, {channels}, H, W)")
    for block in range(1, blocks + 1):
        weight, bias = params[f"conv{block}.weight"], params.get(f"conv{block}.bias")
        if bias is None or np.shape(bias) != np.shape(weight)[:1]:
            raise ValueError(f"params['conv{block}.bias'] must have one entry per filter, "
                             f"shape {np.shape(weight)[:1]}")
        made = np.shape(params[f"conv{block - 1}.weight"])[0] if block > 1 else channels
        if np.shape(weight)[1] != made:
            raise ValueError(f"params['conv{block}.weight'] must take the {made} channels "
                             f"that come into block {block}")
    return blocks


def small_cnn_forward(params, images, fused=False):
    """Logits of the small CNN for a batch of images.

    Parameters
    ----------
    params : dict
        From :func:`init_small_cnn`.
    images : array_like, shape (N, C, H, W) or (N, H, W)
        Pixel values in [0, 1] (see :func:`cnnlab.data.prepare_images`).
    fused : bool
        False (default): the textbook layers one by one, keeping every feature map.  True:
        each block as the engine's fused conv -> ReLU -> max pool (no full-size maps kept).

    Returns
    -------
    logits : numpy.ndarray, shape (N, num_classes)
    cache : dict
        ``layer`` ("small_cnn_forward"), every layer's cache and output (``conv1``,
        ``relu1``, ``pool1``, ...; with ``fused=True`` only ``pool1``, ...), for
        :func:`small_cnn_backward` and for pictures of feature maps.

    Examples
    --------
    >>> params = init_small_cnn(num_filters=2)
    >>> logits, cache = small_cnn_forward(params, np.zeros((3, 1, 28, 28)))
    >>> logits.shape, cache["relu1"].shape
    ((3, 10), (3, 2, 28, 28))
    """
    x = _check_images(images)
    fused = check_bool(fused, "fused")
    cache = {"layer": "small_cnn_forward", "blocks": _check_params(params, x), "fused": fused}
    for block in range(1, cache["blocks"] + 1):
        weight, bias = params[f"conv{block}.weight"], params[f"conv{block}.bias"]
        if fused:
            x, cache[f"block{block}_cache"] = conv_relu_pool_forward(x, weight, bias, pool=2)
        else:
            x, cache[f"conv{block}_cache"] = conv_forward(x, weight, bias, padding="same")
            cache[f"conv{block}"] = x
            x, cache[f"relu{block}_cache"] = relu_forward(x)
            cache[f"relu{block}"] = x
            x, cache[f"pool{block}_cache"] = max_pool_forward(x, 2)
        cache[f"pool{block}"] = x
    flat, cache["flatten_cache"] = flatten_forward(x)
    logits, cache["dense_cache"] = dense_forward(flat, params["dense.weight"],
                                                 params["dense.bias"])
    cache["logits_shape"] = logits.shape
    return logits, cache


def small_cnn_backward(grad_logits, cache, input_grad=False):
    """Gradients of every parameter (and optionally of the images) from ``dL/dlogits``.

    Parameters
    ----------
    grad_logits : array_like, shape (N, num_classes)
    cache : dict
        From :func:`small_cnn_forward` (either ``fused`` setting).
    input_grad : bool
        Also return ``dL/dimages`` under the key ``"images"`` (saliency maps need it).

    Returns
    -------
    dict of str -> numpy.ndarray
        Keyed like the parameters.

    Examples
    --------
    >>> params = init_small_cnn(num_filters=2)
    >>> logits, cache = small_cnn_forward(params, np.ones((1, 1, 28, 28)))
    >>> grads = small_cnn_backward(np.ones_like(logits), cache)
    >>> sorted(grads) == sorted(params)
    True
    """
    check_cache(cache, "cache", "small_cnn_forward", "small_cnn_backward")
    input_grad = check_bool(input_grad, "input_grad")
    grad_logits = as_float_array(grad_logits, "grad_logits", ndim=2, axes="(N, num_classes)")
    check_same_shape(grad_logits, "grad_logits", cache["logits_shape"], "the logits")
    grads = {}
    # backward through the forward's layers in reverse: dense, flatten, then each block
    grad, grads["dense.weight"], grads["dense.bias"] = dense_backward(grad_logits,
                                                                      cache["dense_cache"])
    grad = flatten_backward(grad, cache["flatten_cache"])
    for block in range(cache["blocks"], 0, -1):
        need = block > 1 or input_grad        # the images need no gradient unless asked
        if cache["fused"]:
            grad, grads[f"conv{block}.weight"], grads[f"conv{block}.bias"] = (
                conv_relu_pool_backward(grad, cache[f"block{block}_cache"], input_grad=need))
            continue
        grad = max_pool_backward(grad, cache[f"pool{block}_cache"])
        grad = relu_backward(grad, cache[f"relu{block}_cache"])
        grad, grads[f"conv{block}.weight"], grads[f"conv{block}.bias"] = conv_backward(
            grad, cache[f"conv{block}_cache"], input_grad=need)
    if input_grad:
        grads["images"] = grad
    return grads


def small_cnn_loss(params, images, labels, fused=True):
    """Mean softmax cross-entropy of the small CNN on a batch, with every gradient.

    This is what :class:`cnnlab.train.Trainer` calls at every step.  ``fused`` is the one
    switch between the engine and the textbook: True runs each block as the fused conv ->
    ReLU -> max pool of :mod:`cnnlab.engine.blocks`; False runs the textbook layers one by one.
    Both give the same numbers (the tests check it to 1e-12).

    Parameters
    ----------
    params : dict
    images : array_like, shape (N, C, H, W) or (N, H, W)
    labels : array_like of int, shape (N,)
    fused : bool
        True (default): the engine's fused blocks; False: the textbook layers.

    Returns
    -------
    loss : float
    grads : dict
        Keyed like ``params``.
    logits : numpy.ndarray, shape (N, num_classes)

    Examples
    --------
    >>> params = init_small_cnn(num_filters=2)
    >>> loss, grads, logits = small_cnn_loss(params, np.zeros((4, 1, 28, 28)), [0, 1, 2, 3])
    >>> round(loss, 4)        # all-zero images: every class equally likely, log(10)
    2.3026
    >>> bool(np.allclose(small_cnn_loss(params, np.zeros((4, 28, 28)), [0, 1, 2, 3],
    ...                                 fused=False)[0], loss))
    True
    """
    logits, cache = small_cnn_forward(params, images, fused=fused)
    loss, grad_logits = softmax_cross_entropy(logits, labels)
    return loss, small_cnn_backward(grad_logits, cache), logits


def predict_proba(params, images, batch_size=500):
    """Class probabilities of the small CNN, computed in batches (any number of images).

    Parameters
    ----------
    params : dict
    images : array_like, shape (N, C, H, W), (N, H, W) or one image (H, W)
    batch_size : int

    Returns
    -------
    numpy.ndarray, shape (N, num_classes)
        Each row sums to 1.

    Examples
    --------
    >>> p = predict_proba(init_small_cnn(num_filters=2), np.zeros((28, 28)))
    >>> p.shape, round(float(p.sum()), 6)
    ((1, 10), 1.0)
    """
    images = as_float_array(images, "images", ndim=(2, 3, 4))
    if images.ndim == 2:
        images = images[None]
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    return np.concatenate([softmax(small_cnn_forward(params, images[i:i + batch_size],
                                                     fused=True)[0])
                           for i in range(0, images.shape[0], batch_size)])


# ----------------------------------------------------------------------------------------------
# The seed's network, batched
# ----------------------------------------------------------------------------------------------

def init_seed_model(image_shape=(28, 28), kernel_size=5, seed=0, scale=0.01):
    """Parameters of the seed network in the trainer's format (see :mod:`cnnlab.seednet`).

    Parameters
    ----------
    image_shape : (int, int)
    kernel_size : int
        Odd ('same' padding, as in the seed).
    seed : int or numpy.random.Generator
    scale : float
        Standard deviation of every initial value (the seed's 0.01), greater than 0.

    Returns
    -------
    dict
        ``kernel`` (k, k), ``bias`` (1,), ``weight`` (D,), ``out_bias`` (1,).

    Examples
    --------
    >>> {k: v.shape for k, v in init_seed_model().items()}
    {'kernel': (5, 5), 'bias': (1,), 'weight': (196,), 'out_bias': (1,)}
    """
    kernel_size = check_int(kernel_size, "kernel_size", minimum=1)
    check_odd_kernel(kernel_size, "kernel_size")
    height, width = check_pair(image_shape, "image_shape", minimum=2)
    rng = as_rng(seed, "seed")
    scale = check_float(scale, "scale", minimum=0, allow_minimum=False)
    return {"kernel": scale * rng.standard_normal((kernel_size, kernel_size)),
            "bias": scale * rng.standard_normal(1),
            "weight": scale * rng.standard_normal((height // 2) * (width // 2)),
            "out_bias": scale * rng.standard_normal(1)}


def seed_model_forward(params, images):
    """Logits of the seed network for a batch of images (one logit per image).

    :func:`cnnlab.seednet.seed_network_forward` with the seed's settings ('same' padding,
    2x2 max pooling).

    Parameters
    ----------
    params : dict
        From :func:`init_seed_model`.
    images : array_like, shape (N, H, W)

    Returns
    -------
    logits : numpy.ndarray, shape (N,)
    cache : dict
        ``conv``, ``relu``, ``pooled`` maps (N, ...) and the layers' caches.

    Examples
    --------
    >>> logits, cache = seed_model_forward(init_seed_model(), np.zeros((2, 28, 28)))
    >>> logits.shape, cache["pooled"].shape
    ((2,), (2, 14, 14))
    """
    return seed_network_forward(images, params, padding="same", pool=2)


def seed_model_loss(params, images, targets):
    """Mean binary cross-entropy of the seed network on a batch, with every gradient.

    Parameters
    ----------
    params : dict
    images : array_like, shape (N, H, W)
    targets : array_like, shape (N,)
        1 for the positive digit, 0 for the other.

    Returns
    -------
    loss : float
    grads : dict
        Keyed like ``params``, each gradient with its parameter's shape and the logits' dtype.
    logits : numpy.ndarray, shape (N,)

    Examples
    --------
    >>> loss, grads, logits = seed_model_loss(init_seed_model(), np.zeros((2, 28, 28)), [0, 1])
    >>> grads["kernel"].shape
    (5, 5)
    """
    logits, cache = seed_model_forward(params, images)
    targets = as_float_array(targets, "targets", ndim=1, axes="(N,)")
    check_same_shape(targets, "targets", logits.shape, "the logits (one target per image)")
    # float64 targets must not turn float32 gradients into float64 (0 and 1 are exact)
    loss, grad_logits = binary_cross_entropy_with_logits(logits,
                                                         targets.astype(logits.dtype, copy=False))
    grads = seed_network_backward(grad_logits, cache)
    return loss, {name: np.reshape(grads["grad_" + name], np.shape(params[name]))
                  for name in ("kernel", "bias", "weight", "out_bias")}, logits
