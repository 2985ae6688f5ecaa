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

The small CNN comes in two equal forms: :func:`small_cnn_forward` / :func:`small_cnn_backward`
go layer by layer and keep every feature map for the pictures; :func:`small_cnn_loss` and
:func:`predict_proba` run each block fused (:mod:`cnnlab.blocks`), for speed.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_int, check_pair
from .activations import relu_backward, relu_forward, softmax
from .conv import conv_backward, conv_forward
from .dense import dense_backward, dense_forward, flatten_backward, flatten_forward
from .engine.blocks import conv_relu_pool_backward, conv_relu_pool_forward
from .losses import binary_cross_entropy_with_logits, softmax_cross_entropy
from .pooling import max_pool_backward, max_pool_forward

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


def _rng(seed):
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


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
    dtype : numpy dtype
        float64 by default; float32 trains about twice as fast.

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
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd for 'same' padding, got {kernel_size}")
    num_blocks = check_int(num_blocks, "num_blocks", minimum=1)
    if num_blocks > 2:
        raise ValueError(f"num_blocks must be 1 or 2, got {num_blocks}")
    num_classes = check_int(num_classes, "num_classes", minimum=2)
    height, width = check_pair(tuple(image_shape), "image_shape", minimum=1)
    channels = check_int(in_channels, "in_channels", minimum=1)
    rng = _rng(seed)
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


def _blocks(params):
    count = 0
    while f"conv{count + 1}.weight" in params:
        count += 1
    if count == 0 or "dense.weight" not in params:
        raise ValueError("params must hold conv1.weight, conv1.bias, ..., dense.weight, "
                         "dense.bias (build them with init_small_cnn)")
    return count


def _check_images(images):
    images = as_float_array(images, "images", ndim=(3, 4), axes="(N, C, H, W) or (N, H, W)")
    return images[:, None] if images.ndim == 3 else images


def small_cnn_forward(params, images):
    """Logits of the small CNN for a batch of images.

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
        Every layer's cache and output (``conv1``, ``relu1``, ``pool1``, ...), for the backward
        pass and for pictures of feature maps.

    Examples
    --------
    >>> params = init_small_cnn(num_filters=2)
    >>> logits, cache = small_cnn_forward(params, np.zeros((3, 1, 28, 28)))
    >>> logits.shape, cache["relu1"].shape
    ((3, 10), (3, 2, 28, 28))
    """
    x = _check_images(images)
    cache = {"blocks": _blocks(params)}
    for block in range(1, cache["blocks"] + 1):
        weight = params[f"conv{block}.weight"]
        x, cache[f"conv{block}_cache"] = conv_forward(x, weight, params[f"conv{block}.bias"],
                                                      padding="same")
        cache[f"conv{block}"] = x
        x, cache[f"relu{block}_cache"] = relu_forward(x)
        cache[f"relu{block}"] = x
        x, cache[f"pool{block}_cache"] = max_pool_forward(x, 2)
        cache[f"pool{block}"] = x
    flat, cache["flatten_cache"] = flatten_forward(x)
    logits, cache["dense_cache"] = dense_forward(flat, params["dense.weight"],
                                                 params["dense.bias"])
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
    grads = {}
    grad, grads["dense.weight"], grads["dense.bias"] = dense_backward(grad_logits,
                                                                      cache["dense_cache"])
    grad = flatten_backward(grad, cache["flatten_cache"])
    for block in range(cache["blocks"], 0, -1):
        grad = max_pool_backward(grad, cache[f"pool{block}_cache"])
        grad = relu_backward(grad, cache[f"relu{block}_cache"])
        need = block > 1 or input_grad
        grad, grads[f"conv{block}.weight"], grads[f"conv{block}.bias"] = conv_backward(
            grad, cache[f"conv{block}_cache"], input_grad=need)
    if input_grad:
        grads["images"] = grad
    return grads


def small_cnn_loss(params, images, labels):
    """Mean softmax cross-entropy of the small CNN on a batch, with every gradient.

    This is what :class:`cnnlab.train.Trainer` calls at every step, so it runs each block as
    one fused conv -> ReLU -> max pool (:mod:`cnnlab.blocks`): the same numbers as
    :func:`small_cnn_forward` and :func:`small_cnn_backward` (the tests check it), about 1.5x
    as fast, but without the full-size feature maps that the pictures need.

    Parameters
    ----------
    params : dict
    images : array_like, shape (N, C, H, W) or (N, H, W)
    labels : array_like of int, shape (N,)

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
    """
    logits, caches = _fused_forward(params, images)
    loss, grad_logits = softmax_cross_entropy(logits, labels)
    grads = {}
    grad, grads["dense.weight"], grads["dense.bias"] = dense_backward(grad_logits,
                                                                      caches["dense"])
    grad = flatten_backward(grad, caches["flatten"])
    for block in range(len(caches["blocks"]), 0, -1):
        grad, grads[f"conv{block}.weight"], grads[f"conv{block}.bias"] = (
            conv_relu_pool_backward(grad, caches["blocks"][block - 1], input_grad=block > 1))
    return loss, grads, logits


def _fused_forward(params, images):
    """Logits through fused blocks (see :func:`small_cnn_loss`), and the backward's caches."""
    x = _check_images(images)
    caches = {"blocks": []}
    for block in range(1, _blocks(params) + 1):
        x, cache = conv_relu_pool_forward(x, params[f"conv{block}.weight"],
                                          params[f"conv{block}.bias"], pool=2)
        caches["blocks"].append(cache)
    flat, caches["flatten"] = flatten_forward(x)
    logits, caches["dense"] = dense_forward(flat, params["dense.weight"], params["dense.bias"])
    return logits, caches


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
    return np.concatenate([softmax(_fused_forward(params, images[i:i + batch_size])[0])
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
        Standard deviation of every initial value (the seed's 0.01).

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
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd for 'same' padding, got {kernel_size}")
    height, width = check_pair(tuple(image_shape), "image_shape", minimum=2)
    rng = _rng(seed)
    return {"kernel": scale * rng.standard_normal((kernel_size, kernel_size)),
            "bias": scale * rng.standard_normal(1),
            "weight": scale * rng.standard_normal((height // 2) * (width // 2)),
            "out_bias": scale * rng.standard_normal(1)}


def seed_model_forward(params, images):
    """Logits of the seed network for a batch of images (one logit per image).

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
    images = as_float_array(images, "images", ndim=3, axes="(N, H, W)")
    kernel = params["kernel"]
    conv, conv_cache = conv_forward(images[:, None], kernel[None, None],
                                    np.asarray(params["bias"]).reshape(1), padding="same")
    relu, relu_cache = relu_forward(conv)
    pooled, pool_cache = max_pool_forward(relu, 2)
    flat, flat_cache = flatten_forward(pooled)
    logits, dense_cache = dense_forward(flat, params["weight"][:, None],
                                        np.asarray(params["out_bias"]).reshape(1))
    cache = {"conv": conv[:, 0], "relu": relu[:, 0], "pooled": pooled[:, 0],
             "caches": (conv_cache, relu_cache, pool_cache, flat_cache, dense_cache)}
    return logits[:, 0], cache


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
        Keyed like ``params``.
    logits : numpy.ndarray, shape (N,)

    Examples
    --------
    >>> loss, grads, logits = seed_model_loss(init_seed_model(), np.zeros((2, 28, 28)), [0, 1])
    >>> grads["kernel"].shape
    (5, 5)
    """
    logits, cache = seed_model_forward(params, images)
    targets = as_float_array(targets, "targets", ndim=1, axes="(N,)")
    loss, grad_logits = binary_cross_entropy_with_logits(logits, targets)
    conv_cache, relu_cache, pool_cache, flat_cache, dense_cache = cache["caches"]
    grad_flat, grad_weight, grad_out_bias = dense_backward(grad_logits[:, None], dense_cache)
    grad = max_pool_backward(flatten_backward(grad_flat, flat_cache), pool_cache)
    grad = relu_backward(grad, relu_cache)
    _, grad_kernel, grad_bias = conv_backward(grad, conv_cache, input_grad=False)
    grads = {"kernel": grad_kernel[0, 0], "bias": grad_bias, "weight": grad_weight[:, 0],
             "out_bias": grad_out_bias}
    return loss, grads, logits
