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
overflowed on raw pixels (here it takes the logit through a stable formula).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ._validate import as_float_array, check_int, check_pair
from .conv import _patches_2d, resolve_padding
from .losses import binary_cross_entropy_with_logits, squared_error
from .pooling import _max_pool, _max_pool_backward, pool_output_shape

__all__ = [
    "init_seed_params",
    "seed_forward",
    "seed_backward",
    "seed_step",
    "seed_loss",
    "seed_kernel_gradient_as_written",
    "SEED_PARAM_NAMES",
]

SEED_PARAM_NAMES = ("kernel", "bias", "weight", "out_bias")
"""The seed network's parameters: kernel K (kh, kw), bias b (), weight w (D,), out_bias bf ()."""

LOSSES = ("squared_error", "bce")


def _feature_shape(image_shape, kernel_shape, padding, pool):
    """``(pads, pooled_shape)`` for these settings, or the error that says why they do not fit.

    A training loop asks the same question at every step, so the answers are remembered, for
    padding given as a string, an int or a tuple of ints.  Anything else (a list, a float, a
    bool that would compare equal to 1) is worked out afresh, and meets the checks each time.
    """
    plain = type(padding) in (str, int) or (
        type(padding) is tuple and all(type(p) is int for p in padding))
    if plain:
        return _remembered_feature_shape(image_shape, kernel_shape, padding, pool)
    return _work_out_feature_shape(image_shape, kernel_shape, padding, pool)


def _work_out_feature_shape(image_shape, kernel_shape, padding, pool):
    height, width = image_shape
    top, bottom, left, right = resolve_padding(padding, kernel_shape)
    conv_h = height + top + bottom - kernel_shape[0] + 1
    conv_w = width + left + right - kernel_shape[1] + 1
    if conv_h < 1 or conv_w < 1:
        raise ValueError(f"kernel {kernel_shape[0]}x{kernel_shape[1]} does not fit a "
                         f"{height}x{width} image with padding {padding!r}")
    return (top, bottom, left, right), pool_output_shape(conv_h, conv_w, pool)


_remembered_feature_shape = functools.lru_cache(maxsize=64)(_work_out_feature_shape)


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
        Standard deviation of the initial values.
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
    image_shape = check_pair(tuple(image_shape), "image_shape", minimum=1)
    kernel_shape = check_pair(kernel_size, "kernel_size", minimum=1)
    pool = check_int(pool, "pool", minimum=1)
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(0 if rng is None else rng)
    _, (pooled_h, pooled_w) = _feature_shape(image_shape, kernel_shape, padding, pool)
    return {
        "kernel": scale * rng.standard_normal(kernel_shape),
        "bias": np.array(scale * rng.standard_normal()),
        "weight": scale * rng.standard_normal(pooled_h * pooled_w),
        "out_bias": np.array(scale * rng.standard_normal()),
    }


def _check_params(params):
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


def _check_number(value, name):
    """One finite real number (a Python number or an array holding one), as a float."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.size == 1:
        number = float(value.reshape(()))         # the common case, checked quickly
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        array = as_float_array(value, name)
        if array.size != 1:
            raise ValueError(f"{name} must be one number, got shape {array.shape}")
        return float(array.reshape(()))
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number}")
    return number


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
        ``image``, ``params``, ``padding``, ``pool``, and the intermediates ``conv`` (C, before
        the bias), ``pre_activation`` (C + b), ``relu``, ``pool_cache``, ``pooled`` (S), ``flat``
        (f), ``logit`` (z) and ``y_hat``.

    Examples
    --------
    >>> params = init_seed_params((8, 8), 3, rng=0)
    >>> y_hat, cache = seed_forward(np.ones((8, 8)), params)
    >>> cache["conv"].shape, cache["pooled"].shape, cache["flat"].shape
    ((8, 8), (4, 4), (16,))
    >>> 0 < y_hat < 1
    True
    """
    return _forward(*_check_forward(image, params, padding, pool))


def _check_forward(image, params, padding, pool):
    """Every check :func:`seed_forward` makes, done once: returns :func:`_forward`'s arguments."""
    image = as_float_array(image, "image", ndim=2, axes="(H, W)")
    kernel, bias, weight, out_bias = _check_params(params)
    pool = check_int(pool, "pool", minimum=1)
    pads, pooled_shape = _feature_shape(image.shape, kernel.shape, padding, pool)
    if weight.shape[0] != pooled_shape[0] * pooled_shape[1]:
        raise ValueError(f"params['weight'] has {weight.shape[0]} entries but the pooled map is "
                         f"{pooled_shape[0]}x{pooled_shape[1]} = "
                         f"{pooled_shape[0] * pooled_shape[1]}: build params with "
                         f"init_seed_params({image.shape}, {kernel.shape})")
    return image, kernel, bias, weight, out_bias, padding, pads, pool, pooled_shape


def _forward(image, kernel, bias, weight, out_bias, padding, pads, pool, pooled_shape):
    """The forward pass itself, on checked arguments (from :func:`_check_forward`)."""
    columns, conv_shape = _patches_2d(image, kernel.shape, (1, 1), pads, (1, 1))  # tap rows
    conv = (kernel.reshape(-1) @ columns).reshape(conv_shape)   # C
    pre_activation = conv + bias                                # C + b
    relu = np.maximum(pre_activation, 0.0)                      # a new array, not in place
    pooled, pool_cache = _max_pool(relu, (pool, pool), (pool, pool), pooled_shape)   # S
    flat = pooled.reshape(-1)                                   # f
    logit = float(flat @ weight + out_bias)                     # z = w . f + bf
    y_hat = _sigmoid_of_number(logit)
    cache = {"image": image, "params": {"kernel": kernel, "bias": bias, "weight": weight,
                                        "out_bias": out_bias},
             "padding": padding, "pads": pads, "pool": pool, "columns": columns, "conv": conv,
             "pre_activation": pre_activation,
             "relu": relu, "pool_cache": pool_cache, "pooled": pooled, "flat": flat,
             "logit": logit, "y_hat": y_hat}
    return y_hat, cache


def _sigmoid_of_number(z):
    """``1 / (1 + e^-z)`` for one Python float, never overflowing (as :func:`sigmoid` does)."""
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)                       # z < 0: e^z cannot overflow
    return e / (1.0 + e)


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
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    if loss == "squared_error":
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
    _check_loss(loss)
    if not isinstance(cache, dict) or "pool_cache" not in cache:
        raise TypeError("cache must be the dict returned by seed_forward")
    if not isinstance(input_grad, (bool, np.bool_)):
        raise TypeError(f"input_grad must be True or False, got {input_grad!r}")
    return _backward(_check_target(y), cache, loss, input_grad)


def _check_loss(loss):
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")


def _check_target(y):
    y = _check_number(y, "y")
    if not 0.0 <= y <= 1.0:
        raise ValueError(f"y must be a target between 0 and 1, got {y}")
    return y


def _backward(y, cache, loss, input_grad):
    """The backward pass itself, on checked arguments."""
    y_hat, logit, params = cache["y_hat"], cache["logit"], cache["params"]
    if loss == "squared_error":
        value = 0.5 * (y_hat - y) ** 2
        grad_logit = (y_hat - y) * y_hat * (1.0 - y_hat)       # dL/dy_hat * dy_hat/dz
    else:
        value = seed_loss(logit, y, loss="bce")
        grad_logit = y_hat - y
    grad_weight = grad_logit * cache["flat"]                   # dL/dw = dL/dz * f
    grad_out_bias = grad_logit                                 # dL/dbf = dL/dz
    grad_flat = grad_logit * params["weight"]                  # dL/df = dL/dz * w
    grad_pooled = grad_flat.reshape(cache["pooled"].shape)     # dL/dS
    grad_relu = _max_pool_backward(grad_pooled, cache["pool_cache"])
    grad_conv = grad_relu * (cache["pre_activation"] > 0)      # dL/dC through the ReLU
    grad_bias = float(grad_conv.sum())                         # b was added to every cell
    kernel = params["kernel"]
    # dL/dK[a, b] = sum over cells of dL/dC * the pixel tap (a, b) saw there: one product.
    grad_kernel = (cache["columns"] @ grad_conv.reshape(-1)).reshape(kernel.shape)
    grad_image = None
    if input_grad:
        # Each pixel fed every cell whose patch covered it: a "full" convolution of dL/dC with
        # the kernel turned 180 degrees (pad dL/dC by kh-1, kw-1), then crop the padding off.
        kh, kw = kernel.shape
        full = (kh - 1, kh - 1, kw - 1, kw - 1)
        columns, padded_shape = _patches_2d(grad_conv, kernel.shape, (1, 1), full, (1, 1))
        grad_padded = (kernel[::-1, ::-1].reshape(-1) @ columns).reshape(padded_shape)
        top, _, left, _ = cache["pads"]
        height, width = cache["image"].shape
        grad_image = grad_padded[top:top + height, left:left + width]
    return {"loss": float(value), "grad_kernel": grad_kernel, "grad_bias": grad_bias,
            "grad_weight": grad_weight, "grad_out_bias": float(grad_out_bias),
            "grad_image": grad_image, "grad_logit": float(grad_logit), "grad_flat": grad_flat,
            "grad_pooled": grad_pooled, "grad_relu": grad_relu, "grad_conv": grad_conv}


def seed_step(image, y, params, loss="squared_error", padding="same", pool=2):
    """Forward and backward for one image in one call: what one step of gradient descent needs.

    The same numbers as ``seed_forward`` followed by ``seed_backward(..., input_grad=False)``,
    with every argument checked once at the start rather than again inside each layer, so a
    loop of many small steps spends its time on arithmetic rather than on checks.

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
    checked = _check_forward(image, params, padding, pool)
    _check_loss(loss)
    y = _check_target(y)
    y_hat, cache = _forward(*checked)
    return y_hat, _backward(y, cache, loss, input_grad=False)


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
    if grad_conv.shape != image.shape:
        raise ValueError(f"grad_conv must have the image's shape {image.shape} ('same' "
                         f"padding), got {grad_conv.shape}")
    kernel_size = check_int(kernel_size, "kernel_size", minimum=1)
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd (the seed's formula needs a centre), "
                         f"got {kernel_size}")
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
