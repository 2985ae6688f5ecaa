"""The seed notebook's network, corrected, for any image and kernel size.

One grey image in, one probability out::

    image (H, W)
      -> conv with kernel K (kh, kw), 'same' padding     conv          (H, W)      "C"
      -> + bias b                                         pre_activation
      -> ReLU                                             relu
      -> 2x2 max pooling                                  pooled        (H/2, W/2)  "S"
      -> flatten                                          flat          (D,)        "f"
      -> dense: z = w . f + bf                            logit
      -> sigmoid                                          y_hat

Backward, from the end (``*`` is element-wise)::

    dL/dz      = (y_hat - y) * y_hat * (1 - y_hat)   squared error 1/2 (y_hat - y)^2, the seed's
               = y_hat - y                           binary cross-entropy
    dL/dw      = dL/dz * f          dL/dbf = dL/dz          dL/df = dL/dz * w
    dL/dS      = dL/df reshaped to the pooled map
    dL/drelu   = max-pool backward: each window's gradient to the cell that won
    dL/dC      = dL/drelu * (pre_activation > 0)              (ReLU's derivative)
    dL/db      = sum of dL/dC                                 (b was added to every cell)
    dL/dK[a, b] = sum_{i,j} dL/dC[i, j] * padded[i + a, j + b]   (conv backward)
    dL/dimage  = the conv backward's image gradient

What the seed got wrong, fixed here: the kernel gradient indexed the image as ``I[i-u, j-v]``,
which is the true gradient rotated 180 degrees (:func:`seed_kernel_gradient_as_written` keeps it
for lesson 07); sizes were hard-coded (a 5x5 kernel, 256 weights, a square map); the pooling
function was never defined and broke on odd sizes; the ReLU changed its input; the sigmoid
was the naive formula, which overflows once |z| passes about 709 (here it takes the logit
through a stable formula).

The network is written once, for a batch of images (:func:`seed_network_forward` and
:func:`seed_network_backward`, built from the textbook layers); :func:`seed_forward` and
:func:`seed_backward` run it on one image and keep every intermediate for the lessons, and
:func:`seed_network_loss` trains it on batches (the Trainer's format).  Arguments are checked
once, at these doors; the bodies inside (``_seed_network_forward``, ...) trust them.
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
from .activations import _relu_backward, _relu_forward, _sigmoid
from .conv import _conv_backward, _conv_forward, _output_shape, _pads, check_odd_kernel
from .losses import (
    _binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits,
    squared_error,
)
from .padding import pad_by_stacking
from .pooling import _max_pool_backward, _max_pool_forward, _pool_output_shape

__all__ = [
    "init_seed_params",
    "seed_feature_shape",
    "check_seed_inputs",
    "check_seed_step_inputs",
    "seed_network_forward",
    "seed_network_backward",
    "seed_network_loss",
    "seed_forward",
    "seed_backward",
    "seed_output_gradient",
    "seed_step",
    "seed_loss",
    "seed_kernel_gradient_as_written",
    "seed_conv2d_as_written",
    "seed_training_loop",
    "SEED_PARAM_NAMES",
]

SEED_PARAM_NAMES = ("kernel", "bias", "weight", "out_bias")
"""The seed network's parameters: kernel K (kh, kw), bias b (), weight w (D,), out_bias bf ()."""

LOSSES = ("squared_error", "bce")


def seed_feature_shape(image_shape, kernel_shape, padding="same", pool=2):
    """``(pads, pooled_shape)``: the padding and the pooled map's size for these settings.

    Parameters
    ----------
    image_shape : (int, int)
        (H, W).
    kernel_shape : int or (int, int)
        (kh, kw).
    padding : int, (int, int), "valid" or "same"
    pool : int
        Max-pooling window and stride.

    Returns
    -------
    pads : (top, bottom, left, right)
    pooled_shape : (int, int)

    Examples
    --------
    >>> seed_feature_shape((32, 32), 5)
    ((2, 2, 2, 2), (16, 16))
    """
    return _feature_shape(check_pair(image_shape, "image_shape", minimum=1),
                          check_pair(kernel_shape, "kernel_shape", minimum=1), padding,
                          check_int(pool, "pool", minimum=1))


def _feature_shape(image_shape, kernel_shape, padding, pool):
    """The body of :func:`seed_feature_shape` (``padding`` is checked here: it reads it)."""
    pads = _pads(padding, kernel_shape, (1, 1), (1, 1))
    conv_shape = _output_shape(*image_shape, kernel_shape, (1, 1), pads, (1, 1))
    return pads, _pool_output_shape(*conv_shape, (pool, pool), (pool, pool))


def init_seed_params(image_shape, kernel_size=5, rng=None, scale=0.01, padding="same", pool=2):
    """Small random parameters for the seed network, sized from the image.

    As in the seed, every parameter is drawn from ``scale * N(0, 1)`` (``scale = 0.01``): small
    enough that the sigmoid starts near 0.5.  The dense layer gets one weight per cell of the
    pooled map (the seed hard-coded 256, right only for 32x32 images).

    Parameters
    ----------
    image_shape : (int, int)
        (H, W) of the images the network will see.
    kernel_size : int or (int, int)
    rng : numpy.random.Generator or int, optional
        A generator, or a seed for ``np.random.default_rng`` (default seed 0).
    scale : float
        Standard deviation of the initial values, greater than 0.
    padding : int, (int, int), "valid" or "same"
    pool : int
        Max-pooling window (and stride).

    Returns
    -------
    dict
        ``kernel`` (kh, kw), ``bias`` (), ``weight`` (D,), ``out_bias`` (), all float64.

    Examples
    --------
    >>> params = init_seed_params((32, 32), 5, rng=0)
    >>> {name: value.shape for name, value in params.items()}
    {'kernel': (5, 5), 'bias': (), 'weight': (256,), 'out_bias': ()}
    """
    kernel_shape = check_pair(kernel_size, "kernel_size", minimum=1)
    _, (pooled_h, pooled_w) = seed_feature_shape(image_shape, kernel_shape, padding, pool)
    rng = as_rng(0 if rng is None else rng, "rng")
    scale = check_float(scale, "scale", minimum=0, allow_minimum=False)
    return {
        "kernel": scale * rng.standard_normal(kernel_shape),
        "bias": np.array(scale * rng.standard_normal()),
        "weight": scale * rng.standard_normal(pooled_h * pooled_w),
        "out_bias": np.array(scale * rng.standard_normal()),
    }


def _check_number(value, name):
    """One finite real number (a Python number or an array holding one), as a float."""
    array = as_float_array(value, name)
    if array.size != 1:
        raise ValueError(f"{name} must be one number, got shape {array.shape}")
    return array.reshape(())[()]


def _check_params(params):
    """The seed network's parameters, checked: ``(kernel, bias, weight, out_bias)``."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict with keys {SEED_PARAM_NAMES}, "
                        f"got {type(params).__name__}")
    missing = [k for k in SEED_PARAM_NAMES if k not in params]
    if missing:
        raise ValueError(f"params is missing {missing}; it needs {SEED_PARAM_NAMES}")
    kernel = as_float_array(params["kernel"], "params['kernel']", ndim=2, axes="(kh, kw)")
    weight = as_float_array(params["weight"], "params['weight']", ndim=1, axes="(D,)")
    return (kernel, _check_number(params["bias"], "params['bias']"), weight,
            _check_number(params["out_bias"], "params['out_bias']"))


def check_seed_inputs(images, params, padding="same", pool=2):
    """Every check of a seed-network call, done once: images and params against each other.

    What the doors of this module check (and :mod:`cnnlab.engine`'s fused seed loss).

    Parameters
    ----------
    images : array_like, shape (H, W) or (N, H, W)
    params : dict
        ``kernel`` (kh, kw), ``bias`` (one number), ``weight`` (D,), ``out_bias`` (one number).
    padding : int, (int, int), "valid" or "same"
    pool : int

    Returns
    -------
    images : numpy.ndarray (float)
    kernel, bias, weight, out_bias
        ``kernel`` (kh, kw) and ``weight`` (D,) float arrays; the biases NumPy floats.
    pads : (top, bottom, left, right)
    pool : int
    pooled_shape : (int, int)

    Examples
    --------
    >>> checked = check_seed_inputs(np.ones((8, 8)), init_seed_params((8, 8), 3))
    >>> checked[-3:]
    ((1, 1, 1, 1), 2, (4, 4))
    """
    return _check_inputs(images, params, padding, pool, (2, 3), "(H, W) or (N, H, W)")


def _check_inputs(images, params, padding, pool, ndim, axes):
    images = as_float_array(images, "images" if ndim != 2 else "image", ndim=ndim, axes=axes)
    kernel, bias, weight, out_bias = _check_params(params)
    pool = check_int(pool, "pool", minimum=1)
    pads, pooled_shape = _feature_shape(images.shape[-2:], kernel.shape, padding, pool)
    if weight.shape[0] != pooled_shape[0] * pooled_shape[1]:
        raise ValueError(f"params['weight'] has {weight.shape[0]} entries but the pooled map is "
                         f"{pooled_shape[0]}x{pooled_shape[1]} = "
                         f"{pooled_shape[0] * pooled_shape[1]}: build params with "
                         f"init_seed_params({images.shape[-2:]}, {kernel.shape})")
    return images, kernel, bias, weight, out_bias, pads, pool, pooled_shape


def _check_target(y):
    """A target of the seed network: one finite number in [0, 1], as a float."""
    y = float(_check_number(y, "y"))
    if not 0.0 <= y <= 1.0:
        raise ValueError(f"y must be a target between 0 and 1, got {y}")
    return y


def _check_loss(loss):
    """A loss name: ``"squared_error"`` (the seed's) or ``"bce"``."""
    if not isinstance(loss, str) or loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    return loss


# ----------------------------------------------------------------------------------------------
# The network, for a batch of images
# ----------------------------------------------------------------------------------------------

def seed_network_forward(images, params, padding="same", pool=2):
    """Logits of the seed network for a batch of images, keeping every intermediate.

    Parameters
    ----------
    images : array_like, shape (N, H, W)
    params : dict
        ``kernel`` (kh, kw), ``bias`` (one number), ``weight`` (D,), ``out_bias`` (one number).
    padding : int, (int, int), "valid" or "same"
    pool : int
        Max-pooling window and stride.

    Returns
    -------
    logits : numpy.ndarray, shape (N,)
    cache : dict
        ``layer`` ("seed_network_forward"); the maps ``conv`` (C, before the bias),
        ``pre_activation`` (C + b), ``relu``, ``pooled`` (S), each (N, ., .); ``flat`` (N, D);
        the layers' caches.

    Examples
    --------
    >>> logits, cache = seed_network_forward(np.zeros((2, 8, 8)), init_seed_params((8, 8), 3))
    >>> logits.shape, cache["pooled"].shape
    ((2,), (2, 4, 4))
    """
    return _seed_network_forward(*_check_inputs(images, params, padding, pool, 3, "(N, H, W)"))


def _seed_network_forward(images, kernel, bias, weight, out_bias, pads, pool, pooled_shape):
    """The body of :func:`seed_network_forward`, for what :func:`check_seed_inputs` returns."""
    conv, conv_cache = _conv_forward(images[:, None], kernel[None, None], None, (1, 1), pads,
                                     (1, 1))
    conv = conv[:, 0]                                                   # C
    pre_activation = conv + bias                                        # C + b
    relu, relu_cache = _relu_forward(pre_activation)                    # a new array
    pooled, pool_cache = _max_pool_forward(relu, (pool, pool), (pool, pool), pooled_shape)  # S
    flat = pooled.reshape(pooled.shape[0], -1)                          # f
    logits = flat @ weight + out_bias                                   # z = w . f + bf
    cache = {"layer": "seed_network_forward", "kernel": kernel, "weight": weight, "conv": conv,
             "pre_activation": pre_activation, "relu": relu, "pooled": pooled, "flat": flat,
             "conv_cache": conv_cache, "relu_cache": relu_cache, "pool_cache": pool_cache}
    return logits, cache


def seed_network_backward(grad_logits, cache, input_grad=False):
    """Every gradient of the seed network from ``dL/dlogits``.

    Parameters
    ----------
    grad_logits : array_like, shape (N,)
    cache : dict
        From :func:`seed_network_forward`.
    input_grad : bool
        Also compute ``grad_images`` (for saliency pictures); None otherwise.

    Returns
    -------
    dict
        ``grad_kernel`` (kh, kw), ``grad_bias``, ``grad_weight`` (D,), ``grad_out_bias`` (each
        bias gradient a NumPy scalar); ``grad_images`` (N, H, W) or None; and the intermediate
        gradients ``grad_flat``, ``grad_pooled``, ``grad_relu``, ``grad_conv`` (dL/dC).

    Examples
    --------
    >>> logits, cache = seed_network_forward(np.ones((2, 8, 8)), init_seed_params((8, 8), 3))
    >>> grads = seed_network_backward(np.ones(2), cache)
    >>> grads["grad_kernel"].shape, grads["grad_weight"].shape
    ((3, 3), (16,))
    """
    check_cache(cache, "cache", "seed_network_forward", "seed_network_backward")
    input_grad = check_bool(input_grad, "input_grad")
    grad_logits = as_float_array(grad_logits, "grad_logits", ndim=1, axes="(N,)")
    check_same_shape(grad_logits, "grad_logits", cache["flat"].shape[:1], "the logits (N,)")
    return _seed_network_backward(grad_logits, cache, input_grad)


def _seed_network_backward(grad_logits, cache, input_grad):
    """The body of :func:`seed_network_backward`: ``grad_logits`` a float array (N,)."""
    # In the forward pass this was z = f . w + bf, so now we have
    # dL/dw = sum_n dL/dz_n f_n, dL/dbf = sum_n dL/dz_n, dL/df = dL/dz w.
    grad_weight = grad_logits @ cache["flat"]
    grad_out_bias = grad_logits.sum()
    grad_flat = grad_logits[:, None] * cache["weight"]
    grad_pooled = grad_flat.reshape(cache["pooled"].shape)                  # dL/dS
    grad_relu = _max_pool_backward(grad_pooled, cache["pool_cache"])        # to the winners
    grad_conv = _relu_backward(grad_relu, cache["relu_cache"])              # dL/dC
    grad_bias = grad_conv.sum()                                             # b was in every cell
    grad_images, grad_kernel, _ = _conv_backward(grad_conv[:, None], cache["conv_cache"],
                                                 input_grad)
    return {"grad_kernel": grad_kernel[0, 0], "grad_bias": grad_bias, "grad_weight": grad_weight,
            "grad_out_bias": grad_out_bias,
            "grad_images": None if grad_images is None else grad_images[:, 0],
            "grad_flat": grad_flat, "grad_pooled": grad_pooled, "grad_relu": grad_relu,
            "grad_conv": grad_conv}


def seed_network_loss(params, images, targets, backward=True):
    """Mean binary cross-entropy of the seed network on a batch, with every gradient.

    The Trainer's format (:class:`cnnlab.train.Trainer`), with the seed's settings ('same'
    padding, 2x2 max pooling).

    Parameters
    ----------
    params : dict
        From :func:`init_seed_params`.
    images : array_like, shape (N, H, W)
    targets : array_like, shape (N,)
        1 for the positive class, 0 for the other (any value in [0, 1]).
    backward : bool
        Also run the backward pass.  False (an evaluation: forward only) returns None for
        ``grads``.

    Returns
    -------
    loss : float
    grads : dict or None
        Keyed like ``params``, each gradient with its parameter's shape and the logits' dtype;
        None when ``backward`` is False.
    logits : numpy.ndarray, shape (N,)

    Examples
    --------
    >>> params = init_seed_params((8, 8), 3)
    >>> loss, grads, logits = seed_network_loss(params, np.zeros((2, 8, 8)), [0, 1])
    >>> grads["kernel"].shape, grads["bias"].shape, logits.shape
    ((3, 3), (), (2,))
    """
    checked = _check_inputs(images, params, "same", 2, 3, "(N, H, W)")
    targets = as_float_array(targets, "targets", ndim=1, axes="(N,)")
    check_same_shape(targets, "targets", checked[0].shape[:1], "the logits (one target per image)")
    if targets.min() < 0 or targets.max() > 1:
        raise ValueError(f"targets must lie between 0 and 1, got values from {targets.min()} "
                         f"to {targets.max()}")
    backward = check_bool(backward, "backward")
    logits, cache = _seed_network_forward(*checked)
    # float64 targets must not turn float32 gradients into float64 (0 and 1 are exact)
    loss, grad_logits = _binary_cross_entropy_with_logits(
        logits, targets.astype(logits.dtype, copy=False))
    if not backward:
        return loss, None, logits
    grads = _seed_network_backward(grad_logits, cache, False)
    return loss, {name: np.reshape(grads["grad_" + name], np.shape(params[name]))
                  for name in SEED_PARAM_NAMES}, logits


# ----------------------------------------------------------------------------------------------
# One image at a time, as the lessons use it
# ----------------------------------------------------------------------------------------------

def seed_forward(image, params, padding="same", pool=2):
    """Run the seed network on one image, keeping every intermediate.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Any scale (raw 0..255 pixels are fine: nothing overflows).
    params : dict
        ``kernel`` (kh, kw), ``bias`` (), ``weight`` (D,), ``out_bias`` () as from
        :func:`init_seed_params`; D must equal the pooled map's size.
    padding : int, (int, int), "valid" or "same"
        The seed pads by ``kh // 2``: "same" for odd kernels.
    pool : int
        Max-pooling window and stride.

    Returns
    -------
    y_hat : float
        The predicted probability of class 1.
    cache : dict
        ``layer`` ("seed_forward"), ``image``, ``network`` (the batch cache of
        :func:`seed_network_forward`), and this image's intermediates ``conv`` (C, before the
        bias), ``pre_activation`` (C + b), ``relu``, ``pooled`` (S), ``flat`` (f), ``logit``
        (z) and ``y_hat``.

    Examples
    --------
    >>> params = init_seed_params((8, 8), 3, rng=0)
    >>> y_hat, cache = seed_forward(np.ones((8, 8)), params)
    >>> cache["conv"].shape, cache["pooled"].shape, cache["flat"].shape
    ((8, 8), (4, 4), (16,))
    >>> 0 < y_hat < 1
    True
    """
    return _seed_forward(*_check_inputs(image, params, padding, pool, 2, "(H, W)"))


def _seed_forward(image, *checked):
    """The body of :func:`seed_forward`, for what :func:`check_seed_inputs` returns."""
    logits, network = _seed_network_forward(image[None], *checked)     # a batch of one
    logit = float(logits[0])
    y_hat = float(_sigmoid(logit))
    cache = {"layer": "seed_forward", "image": image, "network": network, "logit": logit,
             "y_hat": y_hat}
    for name in ("conv", "pre_activation", "relu", "pooled", "flat"):
        cache[name] = network[name][0]
    return y_hat, cache


def seed_output_gradient(y_hat, logit, y, loss="squared_error"):
    """The loss of one prediction and its gradient with respect to the logit, ``dL/dz``.

    Parameters
    ----------
    y_hat : float
        ``sigmoid(logit)``.
    logit : float
        ``z``.
    y : float
        The target in [0, 1].
    loss : {"squared_error", "bce"}
        ``1/2 (y_hat - y)^2`` (the seed's), whose gradient is ``(y_hat - y) y_hat (1 - y_hat)``;
        or binary cross-entropy, whose gradient is ``y_hat - y``.

    Returns
    -------
    value : float
    grad_logit : float

    Examples
    --------
    >>> seed_output_gradient(0.5, 0.0, 1.0)
    (0.125, -0.125)
    >>> seed_output_gradient(1.5, 0.0, 1.0)
    Traceback (most recent call last):
    ...
    ValueError: y_hat must be at most 1.0, got 1.5
    """
    y_hat = check_float(y_hat, "y_hat", minimum=0.0, maximum=1.0)
    logit = check_float(logit, "logit")
    y = check_float(y, "y", minimum=0.0, maximum=1.0)
    return _output_gradient(y_hat, logit, y, _check_loss(loss))


def _output_gradient(y_hat, logit, y, loss):
    """The body of :func:`seed_output_gradient`."""
    if loss == "squared_error":
        return 0.5 * (y_hat - y) ** 2, (y_hat - y) * y_hat * (1.0 - y_hat)
    return _binary_cross_entropy_with_logits(np.asarray(logit), np.asarray(y))[0], y_hat - y


def seed_loss(y_hat_or_logit, y, loss="squared_error"):
    """The seed network's loss for one prediction.

    Parameters
    ----------
    y_hat_or_logit : float
        ``y_hat`` for ``loss="squared_error"``; the logit ``z`` for ``loss="bce"`` (computed
        from the logit, so it never takes ``log(0)``).
    y : float
        The target, 0 or 1.
    loss : {"squared_error", "bce"}

    Returns
    -------
    float

    Examples
    --------
    >>> seed_loss(0.75, 1.0)
    0.03125
    >>> round(seed_loss(0.0, 1.0, loss="bce"), 4)
    0.6931
    """
    y_hat_or_logit = check_float(y_hat_or_logit, "y_hat_or_logit")
    if _check_loss(loss) == "squared_error":
        return squared_error(y_hat_or_logit, y)[0]
    return binary_cross_entropy_with_logits(y_hat_or_logit, y)[0]


def seed_backward(y, cache, loss="squared_error", input_grad=True):
    """Every gradient of the seed network, for target ``y``.

    Parameters
    ----------
    y : float
        The target, 0 or 1 (any value in [0, 1]).
    cache : dict
        From :func:`seed_forward`.
    loss : {"squared_error", "bce"}
        The seed's ``1/2 (y_hat - y)^2`` or binary cross-entropy.
    input_grad : bool
        Also compute ``grad_image`` (dL/dimage, for saliency pictures); training does not
        need it, and ``grad_image`` is then None.

    Returns
    -------
    dict
        ``loss`` (float); the parameter gradients ``grad_kernel`` (kh, kw), ``grad_bias`` (float),
        ``grad_weight`` (D,), ``grad_out_bias`` (float); ``grad_image`` (H, W); and the
        intermediate gradients ``grad_logit``, ``grad_flat``, ``grad_pooled``, ``grad_relu``,
        ``grad_conv`` (dL/dC) for the lessons.

    Examples
    --------
    >>> params = init_seed_params((8, 8), 3, rng=0)
    >>> y_hat, cache = seed_forward(np.ones((8, 8)), params)
    >>> grads = seed_backward(1.0, cache)
    >>> grads["grad_kernel"].shape, grads["grad_weight"].shape
    ((3, 3), (16,))
    """
    loss = _check_loss(loss)
    check_cache(cache, "cache", "seed_forward", "seed_backward")
    return _seed_backward(_check_target(y), cache, loss, check_bool(input_grad, "input_grad"))


def _seed_backward(y, cache, loss, input_grad):
    """The body of :func:`seed_backward`: ``y`` a float in [0, 1], ``loss`` a known name."""
    # in the forward pass this was y_hat = sigmoid(z) and then the loss, so now dL/dz:
    value, grad_logit = _output_gradient(cache["y_hat"], cache["logit"], y, loss)
    network = cache["network"]
    grads = _seed_network_backward(np.array([grad_logit], dtype=network["flat"].dtype), network,
                                   input_grad)
    images = grads.pop("grad_images")
    out = {"loss": float(value), "grad_kernel": grads["grad_kernel"],
           "grad_bias": float(grads["grad_bias"]), "grad_weight": grads["grad_weight"],
           "grad_out_bias": float(grads["grad_out_bias"]),
           "grad_image": None if images is None else images[0],
           "grad_logit": float(grad_logit)}
    for name in ("grad_flat", "grad_pooled", "grad_relu", "grad_conv"):
        out[name] = grads[name][0]
    return out


def seed_step(image, y, params, loss="squared_error", padding="same", pool=2):
    """Forward and backward for one image in one call: what one step of gradient descent needs.

    :func:`seed_forward` followed by ``seed_backward(..., input_grad=False)``.

    Parameters
    ----------
    image : array_like, shape (H, W)
    y : float
        The target, 0 or 1 (any value in [0, 1]).
    params : dict
        As for :func:`seed_forward`.
    loss : {"squared_error", "bce"}
    padding : int, (int, int), "valid" or "same"
    pool : int

    Returns
    -------
    y_hat : float
    grads : dict
        As from :func:`seed_backward`, with ``grad_image`` None.

    Examples
    --------
    >>> params = init_seed_params((8, 8), 3, rng=0)
    >>> y_hat, grads = seed_step(np.ones((8, 8)), 1.0, params)
    >>> for name in SEED_PARAM_NAMES:          # one step of gradient descent
    ...     params[name] = params[name] - 0.5 * grads["grad_" + name]
    >>> seed_step(np.ones((8, 8)), 1.0, params)[0] > y_hat
    True
    """
    image, y, loss, *checked = check_seed_step_inputs(image, y, params, loss, padding, pool)
    y_hat, cache = _seed_forward(image, *checked)
    return y_hat, _seed_backward(y, cache, loss, False)


def check_seed_step_inputs(image, y, params, loss="squared_error", padding="same", pool=2):
    """Every check of a :func:`seed_step` call, done once (its door's check, and the engine's).

    Parameters
    ----------
    image, y, params, loss, padding, pool
        As for :func:`seed_step`.

    Returns
    -------
    image : numpy.ndarray (float), shape (H, W)
    y : float
    loss : str
    kernel, bias, weight, out_bias, pads, pool, pooled_shape
        As from :func:`check_seed_inputs`.

    Examples
    --------
    >>> checked = check_seed_step_inputs(np.ones((8, 8)), 1, init_seed_params((8, 8), 3))
    >>> checked[1:3], checked[-3:]
    ((1.0, 'squared_error'), ((1, 1, 1, 1), 2, (4, 4)))
    """
    loss, y = _check_loss(loss), _check_target(y)
    image, *checked = _check_inputs(image, params, padding, pool, 2, "(H, W)")
    return (image, y, loss, *checked)


def seed_kernel_gradient_as_written(image, grad_conv, kernel_size):
    """The seed's kernel gradient, formula as written: ``dK[u, v] = sum I[i-u, j-v] dC[i, j]``.

    Kept to be exposed (lesson 07 and a regression test): for 'same' padding this is the
    true gradient rotated by 180 degrees, because the true formula reads the image at
    ``I[i+u, j+v]`` (the kernel's tap ``(u, v)`` multiplied the pixel ``(i+u, j+v)`` in the
    forward pass).  Here ``u, v`` run over ``-r..r`` around the kernel's centre, as in the seed,
    and pixels outside the image count as the zero padding.

    Parameters
    ----------
    image : array_like, shape (H, W)
    grad_conv : array_like, shape (H, W)
        ``dL/dC`` (the seed's ``DC``; zero where the ReLU was off).
    kernel_size : int
        Odd, so the kernel has a centre.

    Returns
    -------
    numpy.ndarray, shape (kernel_size, kernel_size)

    Examples
    --------
    >>> image = np.arange(16.0).reshape(4, 4)
    >>> grad_conv = np.zeros((4, 4)); grad_conv[1, 1] = 1.0
    >>> seed_kernel_gradient_as_written(image, grad_conv, 3)   # the 3x3 patch, upside down
    array([[10.,  9.,  8.],
           [ 6.,  5.,  4.],
           [ 2.,  1.,  0.]])
    """
    image = as_float_array(image, "image", ndim=2, axes="(H, W)")
    grad_conv = as_float_array(grad_conv, "grad_conv", ndim=2, axes="(H, W)")
    check_same_shape(grad_conv, "grad_conv", image.shape, "the image ('same' padding)")
    kernel_size = check_int(kernel_size, "kernel_size", minimum=1)
    check_odd_kernel(kernel_size, "kernel_size")        # the seed's formula needs a centre
    r = kernel_size // 2
    height, width = image.shape
    grad_kernel = np.zeros((kernel_size, kernel_size))
    for u in range(-r, r + 1):
        for v in range(-r, r + 1):
            total = 0.0
            for i in range(height):
                for j in range(width):
                    if 0 <= i - u < height and 0 <= j - v < width:   # the seed's bounds check
                        total += image[i - u, j - v] * grad_conv[i, j]
            grad_kernel[u + r, v + r] = total
    return grad_kernel


def seed_conv2d_as_written(I, K, p):
    """The seed notebook's convolution ``f_conv2d``, with its names (sizes read from the arrays).

    Kept to be exposed (lesson 03): its output has the size of the *unpadded* input, which is
    right only for 'same' padding of an odd kernel; with any other padding the cells the loops
    never reach stay 0.

    Parameters
    ----------
    I : array_like, shape (H, W)
        The image.
    K : array_like, shape (k, k)
        A square kernel.
    p : int
        Zeros stacked on each side (the seed's ``f_padd``).

    Returns
    -------
    C : numpy.ndarray, shape (H, W)
        Always the input's size, whatever ``p`` and ``k``.

    Examples
    --------
    >>> seed_conv2d_as_written(np.ones((4, 4)), np.ones((3, 3)), 0)
    array([[9., 9., 0., 0.],
           [9., 9., 0., 0.],
           [0., 0., 0., 0.],
           [0., 0., 0., 0.]])
    """
    I = as_float_array(I, "I", ndim=2, axes="(H, W)")  # noqa: E741 - the seed's name
    K = as_float_array(K, "K", ndim=2, axes="(k, k)")
    if K.shape[0] != K.shape[1]:
        raise ValueError(f"K must be square, got shape {K.shape}")
    p = check_int(p, "p", minimum=0)
    fSize = K.shape[0]
    I2 = pad_by_stacking(I, p)
    numRows, numCols = I2.shape
    C = np.zeros((numRows - 2 * p, numCols - 2 * p))
    for i in range(numRows - fSize + 1):
        for j in range(numCols - fSize + 1):
            A = I2[i:i + fSize, j:j + fSize]
            C[i, j] = (A.flatten() * K.flatten()).sum()
    return C


def seed_training_loop(steps=50, lr=0.001, seed=0):
    """The seed's own loop: one random 32x32 image of 1..254, target 0, plain gradient descent.

    Kept to be exposed (lesson 08): it learns to say 0 for one image, which tells nothing
    about digits.

    Parameters
    ----------
    steps : int
        Number of gradient-descent steps (>= 0).
    lr : float
        Learning rate (> 0).
    seed : int
        Seed of np.random.default_rng, so reruns match.

    Returns
    -------
    y_hats : list of float
        The prediction just before each step, so ``y_hats[k]`` is the prediction after k
        steps (``y_hats[0]``: the untrained network's; ``params`` are one step past
        ``y_hats[-1]``). It falls towards 0.
    params : dict
        The trained parameters (for a 32x32 image, a 5x5 kernel).

    Examples
    --------
    >>> y_hats, params = seed_training_loop(steps=5)
    >>> y_hats[-1] < y_hats[0], params["kernel"].shape
    (True, (5, 5))
    """
    steps = check_int(steps, "steps", minimum=0)
    lr = check_float(lr, "lr", minimum=0.0, allow_minimum=False)
    rng = as_rng(seed)
    image = rng.integers(1, 255, size=(32, 32)).astype(float)   # 1..254: the end is left out
    params = init_seed_params((32, 32), 5, rng=rng, scale=0.01)
    y_hats = []
    for _ in range(steps):
        y_hat, grads = seed_step(image, 0.0, params)     # forward and backward
        y_hats.append(y_hat)
        for name in SEED_PARAM_NAMES:
            params[name] = params[name] - lr * np.asarray(grads[f"grad_{name}"])
    return y_hats, params
