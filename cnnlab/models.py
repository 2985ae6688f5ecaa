"""The small CNN for the ten digits, built from cnnlab's layers, its parameters plain named
arrays (:func:`init_small_cnn`, :func:`small_cnn_loss`)::

      images (N, 1, 28, 28)
        -> [conv 5x5 'same' (F filters) -> ReLU -> 2x2 max pool]   one or two blocks
        -> flatten -> dense -> 10 logits -> softmax cross-entropy

Parameters live in a dict such as ``{"conv1.weight": ..., "conv1.bias": ..., "dense.weight":
..., "dense.bias": ...}``: a learner can print, plot or change any of them.  Every loss function
has the shape ``loss_fn(params, images, labels) -> (loss, grads, logits)`` with ``grads`` keyed
like ``params``, which is what :class:`cnnlab.train.Trainer` trains.

The small CNN runs layer by layer (conv, ReLU, max pool from the textbook) and keeps every
feature map for the pictures; :func:`cnnlab.engine.small_cnn_loss_fast` is its fused twin for
speed (lessons 09-11 pick it in one visible line).  Arguments are checked once, at the doors
(:func:`check_small_cnn_inputs`); the bodies inside trust them.

The seed's network (one kernel, one logit) is :mod:`cnnlab.seednet`'s, written there once; its
loss in the Trainer's format is :func:`cnnlab.seednet.seed_network_loss`.
"""

from __future__ import annotations

import numpy as np

from ._validate import (
    as_float_array,
    as_rng,
    check_bool,
    check_cache,
    check_float_dtype,
    check_int,
    check_labels,
    check_pair,
    check_same_shape,
)
from .activations import _relu_backward, _relu_forward, softmax
from .conv import _conv_backward, _conv_forward, _pads, check_odd_kernel
from .dense import _dense_backward, _dense_forward, _flatten_backward, _flatten_forward
from .losses import _softmax_cross_entropy
from .pooling import _max_pool_backward, _max_pool_forward

__all__ = [
    "init_small_cnn",
    "check_small_cnn_inputs",
    "check_small_cnn_loss_inputs",
    "small_cnn_forward",
    "small_cnn_backward",
    "small_cnn_loss",
    "predict_proba",
    "saliency",
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
    dtype = check_float_dtype(dtype)
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


def check_small_cnn_loss_inputs(params, images, labels):
    """:func:`check_small_cnn_inputs`, and the labels against the batch and the classes.

    What :func:`small_cnn_loss` checks at its door (and :mod:`cnnlab.engine`'s fused loss).

    Parameters
    ----------
    params : dict
        From :func:`init_small_cnn`.
    images : array_like, shape (N, C, H, W) or (N, H, W)
    labels : array_like of int, shape (N,)
        Each in 0..num_classes-1.

    Returns
    -------
    params, x, blocks
        As :func:`check_small_cnn_inputs` returns them.
    labels : numpy.ndarray of int64, shape (N,)

    Examples
    --------
    >>> checked = check_small_cnn_loss_inputs(init_small_cnn(), np.zeros((2, 28, 28)), [7, 1])
    >>> checked[3]
    array([7, 1])
    """
    params, x, blocks = check_small_cnn_inputs(params, images)
    labels = check_labels(labels, "labels", n_classes=params["dense.bias"].shape[0],
                          n_samples=x.shape[0])
    return params, x, blocks, labels


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


def check_small_cnn_inputs(params, images):
    """Check the small CNN's parameters and a batch of images against each other, once.

    What the doors of this module check (and :mod:`cnnlab.engine`'s fused loss).

    Parameters
    ----------
    params : dict
        From :func:`init_small_cnn`.
    images : array_like, shape (N, C, H, W) or (N, H, W)

    Returns
    -------
    params : dict
        The same names, each array as a float array.
    x : numpy.ndarray, shape (N, C, H, W)
    blocks : int
        How many conv blocks ``params`` has.

    Examples
    --------
    >>> params, x, blocks = check_small_cnn_inputs(init_small_cnn(), np.zeros((2, 28, 28)))
    >>> x.shape, blocks
    ((2, 1, 28, 28), 1)
    """
    x = as_float_array(images, "images", ndim=(3, 4), axes="(N, C, H, W) or (N, H, W)")
    x = x[:, None] if x.ndim == 3 else x
    blocks = _blocks(params)
    checked = dict(params)
    for name, value in params.items():
        if name.startswith(("conv", "dense")) and name.endswith((".weight", ".bias")):
            ndim = {"weight": 4 if name.startswith("conv") else 2, "bias": 1}[
                name.rsplit(".", 1)[1]]
            checked[name] = as_float_array(value, f"params[{name!r}]", ndim=ndim)
    channels, height, width = x.shape[1:]
    for block in range(1, blocks + 1):
        weight, bias = checked[f"conv{block}.weight"], checked.get(f"conv{block}.bias")
        if bias is None or bias.shape != weight.shape[:1]:
            raise ValueError(f"params['conv{block}.bias'] must have one entry per filter, "
                             f"shape {weight.shape[:1]}")
        if weight.shape[1] != channels:
            where = ("images have" if block == 1 else f"block {block - 1} makes")
            raise ValueError(f"{where} {channels} channels but params['conv{block}.weight'] "
                             f"expects {weight.shape[1]}: images must be (N, "
                             f"{checked['conv1.weight'].shape[1]}, H, W)")
        channels = weight.shape[0]
        if height < 2 or width < 2:
            raise ValueError(f"images of {x.shape[2]}x{x.shape[3]} are too small for {blocks} "
                             f"blocks: block {block} would pool a {height}x{width} map with a "
                             f"2x2 window")
        height, width = height // 2, width // 2
    weight, bias = checked["dense.weight"], checked.get("dense.bias")
    if weight.shape[0] != channels * height * width:
        raise ValueError(f"params['dense.weight'] has {weight.shape[0]} rows but the last block "
                         f"makes {channels}x{height}x{width} = {channels * height * width} "
                         f"features: build params with init_small_cnn(image_shape=...)")
    if bias is None or bias.shape != weight.shape[1:]:
        raise ValueError(f"params['dense.bias'] must have one entry per class, shape "
                         f"{weight.shape[1:]}")
    return checked, x, blocks


def small_cnn_forward(params, images):
    """Logits of the small CNN for a batch of images, layer by layer.

    Parameters
    ----------
    params : dict
        From :func:`init_small_cnn`.
    images : array_like, shape (N, C, H, W) or (N, H, W)
        Pixel values in [0, 1] (see :func:`cnnlab.data.prepare_images`).

    Returns
    -------
    logits : numpy.ndarray, shape (N, num_classes)
    cache : dict
        ``layer`` ("small_cnn_forward"), every layer's cache and output (``conv1``,
        ``relu1``, ``pool1``, ...), for :func:`small_cnn_backward` and for pictures of
        feature maps.

    Examples
    --------
    >>> params = init_small_cnn(num_filters=2)
    >>> logits, cache = small_cnn_forward(params, np.zeros((3, 1, 28, 28)))
    >>> logits.shape, cache["relu1"].shape
    ((3, 10), (3, 2, 28, 28))
    """
    return _small_cnn_forward(*check_small_cnn_inputs(params, images))


def _small_cnn_forward(params, x, blocks):
    """The body of :func:`small_cnn_forward`, for what check_small_cnn_inputs returns."""
    cache = {"layer": "small_cnn_forward", "blocks": blocks}
    for block in range(1, blocks + 1):
        weight, bias = params[f"conv{block}.weight"], params[f"conv{block}.bias"]
        same = _pads("same", weight.shape[2:], (1, 1), (1, 1))
        x, cache[f"conv{block}_cache"] = _conv_forward(x, weight, bias, (1, 1), same, (1, 1))
        cache[f"conv{block}"] = x
        x, cache[f"relu{block}_cache"] = _relu_forward(x)
        cache[f"relu{block}"] = x
        pooled_shape = (x.shape[2] // 2, x.shape[3] // 2)
        x, cache[f"pool{block}_cache"] = _max_pool_forward(x, (2, 2), (2, 2), pooled_shape)
        cache[f"pool{block}"] = x
    flat, cache["flatten_cache"] = _flatten_forward(x)
    logits, cache["dense_cache"] = _dense_forward(flat, params["dense.weight"],
                                                  params["dense.bias"])
    cache["logits_shape"] = logits.shape
    return logits, cache


def small_cnn_backward(grad_logits, cache, input_grad=False):
    """Gradients of every parameter (and optionally of the images) from ``dL/dlogits``.

    Parameters
    ----------
    grad_logits : array_like, shape (N, num_classes)
    cache : dict
        From :func:`small_cnn_forward`.
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
    return _small_cnn_backward(grad_logits, cache, input_grad)


def _small_cnn_backward(grad_logits, cache, input_grad):
    """The body of :func:`small_cnn_backward`: ``grad_logits`` a float array of the logits'
    shape."""
    grads = {}
    # backward through the forward's layers in reverse: dense, flatten, then each block
    grad, grads["dense.weight"], grads["dense.bias"] = _dense_backward(grad_logits,
                                                                       cache["dense_cache"])
    grad = _flatten_backward(grad, cache["flatten_cache"])
    for block in range(cache["blocks"], 0, -1):
        need = block > 1 or input_grad        # the images need no gradient unless asked
        grad = _max_pool_backward(grad, cache[f"pool{block}_cache"])
        grad = _relu_backward(grad, cache[f"relu{block}_cache"])
        grad, grads[f"conv{block}.weight"], grads[f"conv{block}.bias"] = _conv_backward(
            grad, cache[f"conv{block}_cache"], need)
    if input_grad:
        grads["images"] = grad
    return grads


def small_cnn_loss(params, images, labels, backward=True):
    """Mean softmax cross-entropy of the small CNN on a batch, with every gradient.

    The Trainer's format (:class:`cnnlab.train.Trainer`): the textbook layers one by one.
    :func:`cnnlab.engine.small_cnn_loss_fast` gives the same numbers faster (lesson 09).

    Parameters
    ----------
    params : dict
    images : array_like, shape (N, C, H, W) or (N, H, W)
    labels : array_like of int, shape (N,)
    backward : bool
        Also run the backward pass.  False (an evaluation: forward only) returns None for
        ``grads``.

    Returns
    -------
    loss : float
    grads : dict or None
        Keyed like ``params``; None when ``backward`` is False.
    logits : numpy.ndarray, shape (N, num_classes)

    Examples
    --------
    >>> params = init_small_cnn(num_filters=2)
    >>> loss, grads, logits = small_cnn_loss(params, np.zeros((4, 1, 28, 28)), [0, 1, 2, 3])
    >>> round(loss, 4)        # all-zero images: every class equally likely, log(10)
    2.3026
    """
    params, x, blocks, labels = check_small_cnn_loss_inputs(params, images, labels)
    backward = check_bool(backward, "backward")
    logits, cache = _small_cnn_forward(params, x, blocks)
    loss, grad_logits = _softmax_cross_entropy(logits, labels)
    return loss, _small_cnn_backward(grad_logits, cache, False) if backward else None, logits


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
    params, x, blocks = check_small_cnn_inputs(params, images[None] if images.ndim == 2 else images)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    return np.concatenate([softmax(_small_cnn_forward(params, x[i:i + batch_size], blocks)[0])
                           for i in range(0, x.shape[0], batch_size)])


def saliency(params, image, label):
    """The gradient of one class's score (logit) with respect to the input pixels.

    Red pixels (positive) would raise the score if brightened, blue ones lower it: a picture of
    what the network looks at (Simonyan et al., 2014).  One forward pass, then the backward pass
    of :func:`small_cnn_backward` from ``dlogit[label] = 1``.

    Parameters
    ----------
    params : dict
        From :func:`init_small_cnn` (trained).
    image : array_like, shape (H, W)
        One grey image, values in [0, 1].
    label : int
        The class whose score is differentiated, ``0 <= label < num_classes``.

    Returns
    -------
    numpy.ndarray, shape (H, W)
        ``d logit[label] / d pixel``.

    Examples
    --------
    >>> params = init_small_cnn(num_filters=2, seed=0)
    >>> grad = saliency(params, np.random.default_rng(0).random((28, 28)), 3)
    >>> grad.shape, bool(np.abs(grad).max() > 0)
    ((28, 28), True)
    """
    image = as_float_array(image, "image", ndim=2, axes="(H, W)")
    params, x, blocks = check_small_cnn_inputs(params, image[None, None])
    label = check_int(label, "label", minimum=0)
    classes = params["dense.bias"].shape[0]
    if label >= classes:
        raise ValueError(f"label must lie in 0..{classes - 1}, got {label}")
    logits, cache = _small_cnn_forward(params, x, blocks)
    grad_logits = np.zeros_like(logits)
    grad_logits[0, label] = 1.0
    return _small_cnn_backward(grad_logits, cache, True)["images"][0, 0]
