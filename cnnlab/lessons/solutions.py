"""The worked solution of every exercise in the course, in course order: the answer key.

This is the third tier of help. ``lessonNN.check_<name>(your_function)`` checks an answer (tier
one, a hint that names the mistake), ``.more_help()`` gives the idea in words (tier two), and
after a try ``.solution()`` shows the function below written for that exercise (tier three),
headed ``Worked solution: cnnlab.lessons.solutions.<name>``. Each function has the exercise's
own name (lessons 02 and 03 both ask for an ``output_size``: here ``output_size_padded`` and
``output_size_strided``), a short docstring and the plain code the lesson asks for, and passes
its own checker.
A teacher reads this module as the answer key. An answer that calls anything from it is refused
by name: the checkers ask you to write the code yourself.

Exercises whose solution is a function cnnlab already has (``cnnlab.data.brightest_pixel``,
``cnnlab.conv.box_kernel``, ``cnnlab.padding.pad_by_stacking``, ``cnnlab.train.momentum_step``)
show that function instead and are not repeated here.
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid
from ..conv import conv2d
from ..models import small_cnn_backward, small_cnn_forward
from ..pooling import max_pool
from ..seednet import seed_forward, seed_network_loss

# ---- Lesson 00: a first slider, to prove that widgets render ------------------------------------


def invert(image):
    """The worked solution of ``check_invert``: the negative of a 0..255 image.

    Parameters
    ----------
    image : numpy.ndarray, any shape, values 0..255

    Returns
    -------
    numpy.ndarray, the shape and dtype of ``image``

    Examples
    --------
    >>> invert(np.array([[0, 255], [100, 7]], dtype=np.uint8))
    array([[255,   0],
           [155, 248]], dtype=uint8)
    """
    return 255 - image                         # every pixel at once: white 255 -> 0, black 0 -> 255


# ---- Lesson 01: a digit as numbers, and a 3x3 kernel you edit by hand ---------------------------


def apply_at(image, kernel, i, j):
    """The worked solution of ``check_apply_at``: one output cell of a 3x3 kernel.

    Parameters
    ----------
    image : numpy.ndarray, shape (H, W)
    kernel : numpy.ndarray, shape (3, 3)
    i, j : int
        The row and column of the patch's top-left corner.

    Returns
    -------
    float

    Examples
    --------
    >>> apply_at(np.arange(16.0).reshape(4, 4), np.eye(3), 1, 0)   # 4 + 9 + 14
    np.float64(27.0)
    """
    patch = image[i:i + 3, j:j + 3]            # 3 rows, 3 columns: a slice's end is left out
    return np.sum(patch * kernel)              # element by element, then add the 9 products


# ---- Lesson 02: padding width and mode on a digit, with the size of the following convolution ----


def output_size_padded(n, k, p):
    """The worked solution of ``check_output_size``: the side of a k x k conv's output.

    Parameters
    ----------
    n, k, p : int
        The image's side, the kernel's side and the padding.

    Returns
    -------
    int

    Examples
    --------
    >>> output_size_padded(28, 5, 2)
    28
    """
    padded = n + 2 * p                         # p zeros on each side
    return padded - k + 1                      # the positions where k pixels fit, the first too


# ---- Lesson 03: the sliding window, cell by cell; the convolution-arithmetic cases, live --------


def output_size_strided(n, k, s, p):
    """The worked solution of ``check_output_size``: the number of positions of a k-wide kernel.

    Parameters
    ----------
    n, k, s, p : int
        The input's side, the kernel's side, the stride and the padding.

    Returns
    -------
    int

    Examples
    --------
    >>> output_size_strided(7, 3, 2, 0), output_size_strided(4, 5, 2, 0)
    (3, 0)
    """
    last_start = n + 2 * p - k                 # the last start that fits in the padded input
    return last_start // s + 1                 # starts 0, s, 2s, ... up to it: round down, + 1


def conv2d_loop(image, kernel, stride):
    """The worked solution of ``check_conv2d``: a valid cross-correlation, one cell at a time.

    Parameters
    ----------
    image : numpy.ndarray, shape (H, W)
    kernel : numpy.ndarray, shape (kh, kw)
    stride : int

    Returns
    -------
    numpy.ndarray, shape ((H - kh) // stride + 1, (W - kw) // stride + 1), float64

    Examples
    --------
    >>> conv2d_loop(np.arange(16.0).reshape(4, 4), np.ones((2, 3)), 2)
    array([[18.],
           [66.]])
    """
    kh, kw = kernel.shape
    rows = (image.shape[0] - kh) // stride + 1
    cols = (image.shape[1] - kw) // stride + 1
    out = np.zeros((rows, cols))               # floats, whatever the image's dtype
    for i in range(rows):
        for j in range(cols):
            patch = image[i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[i, j] = np.sum(patch * kernel)  # lesson 01's apply_at, at (i * s, j * s)
    return out


# ---- Lesson 04: a feature map before and after ReLU; max against average pooling, live ----------


def max_pool_2d(feature_map, size, stride):
    """The worked solution of ``check_max_pool``: max pooling of a 2-D map, floor rule.

    Parameters
    ----------
    feature_map : numpy.ndarray, shape (H, W)
    size, stride : int

    Returns
    -------
    numpy.ndarray, shape ((H - size) // stride + 1, (W - size) // stride + 1)

    Examples
    --------
    >>> max_pool_2d(np.arange(-15.0, 0.0).reshape(3, 5), 2, 2)
    array([[-9., -7.]])
    """
    rows = (feature_map.shape[0] - size) // stride + 1     # the floor rule drops a partial
    cols = (feature_map.shape[1] - size) // stride + 1     # window at the edge
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            window = feature_map[i * stride:i * stride + size, j * stride:j * stride + size]
            out[i, j] = np.max(window)         # the largest value, negative or not
    return out


def max_pool_backward_2d(grad_pooled, feature_map):
    """The worked solution of ``check_max_pool_backward``: 2x2 windows, stride 2.

    Parameters
    ----------
    grad_pooled : numpy.ndarray, shape (H // 2, W // 2)
    feature_map : numpy.ndarray, shape (H, W)

    Returns
    -------
    numpy.ndarray, shape (H, W): dL/dfeature_map

    Examples
    --------
    >>> max_pool_backward_2d(np.array([[1.0]]), np.array([[0.0, 3.0], [3.0, 1.0]]))
    array([[0., 1.],
           [0., 0.]])
    """
    grad = np.zeros(feature_map.shape)         # a cell in no window, or not its winner: 0
    for i in range(grad_pooled.shape[0]):
        for j in range(grad_pooled.shape[1]):
            window = feature_map[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            u, v = np.unravel_index(np.argmax(window), window.shape)   # the first maximum
            grad[2 * i + u, 2 * j + v] += grad_pooled[i, j]
    return grad


# ---- Lesson 05: the seed network's forward pass on a real digit, every intermediate shown -------


def forward(image, kernel, bias, weight, out_bias):
    """The worked solution of ``check_forward``: y_hat of the seed network for one image.

    Parameters
    ----------
    image : numpy.ndarray, shape (H, W), H and W even
    kernel : numpy.ndarray, shape (k, k), k odd
    bias, out_bias : float
    weight : numpy.ndarray, shape (H * W // 4,)

    Returns
    -------
    float

    Examples
    --------
    >>> from cnnlab.lessons.lesson05 import example_params
    >>> params = example_params()
    >>> image = np.random.default_rng(0).random((28, 28))
    >>> y_hat = forward(image, params["kernel"], params["bias"], params["weight"],
    ...                          params["out_bias"])
    >>> bool(np.isclose(y_hat, seed_forward(image, params)[0]))
    True
    """
    conv = conv2d(image, kernel, padding="same")   # C keeps the image's size
    relu = np.maximum(conv + bias, 0.0)            # ReLU(C + b)
    pooled = max_pool(relu, 2)                     # 2x2 windows, stride 2
    z = pooled.ravel() @ weight + out_bias         # flattened row by row, one weight each
    return float(sigmoid(z))                       # y_hat


def stable_sigmoid(x):
    """The worked solution of ``check_sigmoid``: the sigmoid, with no overflow at any x.

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    numpy.ndarray, float64, the shape of ``x``

    Examples
    --------
    >>> stable_sigmoid(np.array([-1000, 0, 1000]))
    array([0. , 0.5, 1. ])
    """
    x = np.asarray(x, dtype=np.float64)        # integers too: the output holds fractions
    out = np.empty(x.shape)
    negative = x < 0
    e = np.exp(x[negative])                    # e^x <= 1 where x < 0: no overflow
    out[negative] = e / (1 + e)
    out[~negative] = 1 / (1 + np.exp(-x[~negative]))   # e^-x <= 1 where x >= 0
    return out


# ---- Lesson 06: losses of the sigmoid output, and a two-parameter loss surface ----------------


def grad_logit(y_hat, y, loss):
    """Exercise 1's worked solution: dL/dz of a sigmoid output, element-wise.

    Parameters
    ----------
    y_hat, y : numpy.ndarray
        The sigmoid's outputs and the targets (0 or 1), same shape.
    loss : str
        "squared_error" or "bce".

    Examples
    --------
    >>> grad_logit(np.array([0.75]), np.array([1.0]), "squared_error").tolist()
    [-0.046875]
    >>> grad_logit(np.array([0.75]), np.array([1.0]), "bce").tolist()
    [-0.25]
    """
    if loss == "squared_error":
        return (y_hat - y) * y_hat * (1 - y_hat)   # dL/dy_hat times the sigmoid's slope
    if loss == "bce":
        return y_hat - y                           # the slope cancels dL/dy_hat's denominator
    raise ValueError(f"loss must be 'squared_error' or 'bce', got {loss!r}")


def output_layer_grads(F, w, y_hat, y):
    """Exercise 2's worked solution: (dL/dw, dL/dbf, dL/dF) of z = F @ w + bf, mean squared error.

    Parameters
    ----------
    F : numpy.ndarray, shape (N, D)
        The features, one row per image.
    w : numpy.ndarray, shape (D,)
        The output weights.
    y_hat, y : numpy.ndarray, shape (N,)
        The predictions and targets.

    Examples
    --------
    >>> grad_w, grad_bf, grad_F = output_layer_grads(
    ...     np.ones((2, 3)), np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.5]), np.array([1.0, 0.0]))
    >>> grad_w.tolist(), grad_bf, grad_F.shape
    ([0.0, 0.0, 0.0], 0.0, (2, 3))
    """
    grad_z = (y_hat - y) * y_hat * (1 - y_hat) / len(y)   # dL/dz_n, the mean's 1/N included
    grad_w = F.T @ grad_z              # w is shared by the N images: their contributions add up
    grad_bf = float(grad_z.sum())      # bf is added for every image, times 1
    grad_F = np.outer(grad_z, w)       # row n: dL/dz_n times the weights F[n] was multiplied by
    return grad_w, grad_bf, grad_F


# ---- Lesson 07: gradients through pooling and convolution; the gradient check and a bug zoo -----


def grad_kernel(image, grad_conv):
    """Exercise 1's worked solution: dL/dK of a 3x3 kernel with 'same' padding.

    Parameters
    ----------
    image : numpy.ndarray, shape (H, W)
        The convolution's input.
    grad_conv : numpy.ndarray, shape (H, W)
        dL/dC, one value per output cell.

    Examples
    --------
    >>> grad_kernel(np.ones((2, 3)), np.ones((2, 3))).tolist()
    [[2.0, 3.0, 2.0], [4.0, 6.0, 4.0], [2.0, 3.0, 2.0]]
    """
    padded = np.pad(image, 1)                      # the patches C[i, j] saw, at the borders too
    grad = np.zeros((3, 3))
    for i in range(grad_conv.shape[0]):
        for j in range(grad_conv.shape[1]):
            grad += grad_conv[i, j] * padded[i:i + 3, j:j + 3]   # each cell hands back its patch
    return grad


def grad_bias(grad_relu, pre_activation):
    """Exercise 2's worked solution: dL/db of the conv bias, through the ReLU.

    Parameters
    ----------
    grad_relu : numpy.ndarray
        dL/dR, at the ReLU's output.
    pre_activation : numpy.ndarray
        The ReLU's input, C + b, same shape.

    Examples
    --------
    >>> float(grad_bias(np.array([[1.0, 2.0], [3.0, 4.0]]),
    ...                        np.array([[0.5, 0.0], [-1.0, 2.0]])))
    5.0
    """
    grad_conv = grad_relu * (pre_activation > 0)   # the ReLU passes the gradient where C + b > 0
    return np.sum(grad_conv)                       # b was added to every cell: sum


def grad_input(grad_conv, kernel):
    """Exercise 3's worked solution: dL/dI of conv2d(image, kernel, padding='same').

    Parameters
    ----------
    grad_conv : numpy.ndarray, shape (H, W)
        dL/dC.
    kernel : numpy.ndarray, shape (kh, kw)
        An odd-sized kernel.

    Examples
    --------
    >>> grad_input(np.array([[1.0, 0.0, 0.0]]), np.array([[1.0, 2.0, 3.0]])).tolist()
    [[2.0, 3.0, 0.0]]
    """
    kh, kw = kernel.shape
    height, width = grad_conv.shape
    padded = np.zeros((height + kh - 1, width + kw - 1))   # the gradient of the padded image
    for i in range(height):
        for j in range(width):
            padded[i:i + kh, j:j + kw] += grad_conv[i, j] * kernel   # each cell's patch, tap by tap
    return padded[kh // 2:kh // 2 + height, kw // 2:kw // 2 + width]   # drop the padding ring


def numerical_gradient(f, x, h):
    """Exercise 4's worked solution: centred finite differences, one entry at a time.

    Parameters
    ----------
    f : callable
        Array -> number.
    x : array_like
        The point (left unchanged).
    h : float
        The step.

    Examples
    --------
    >>> np.round(numerical_gradient(lambda v: np.sum(v ** 2), np.array([1.0, -2.0]), 1e-3),
    ...          6).tolist()
    [2.0, -4.0]
    """
    x = np.array(x, dtype=float)                   # a float copy: the caller's x stays as it was
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        above = f(x)
        x[index] = original - h
        below = f(x)
        x[index] = original                        # put it back before the next entry
        grad[index] = (above - below) / (2 * h)
    return grad


def backward_pass(image, params, y):
    """Exercise 5's worked solution: every gradient of the seed network (squared error).

    Parameters
    ----------
    image : numpy.ndarray, shape (H, W)
        One image.
    params : dict
        The seed network's parameters.
    y : float
        The target, 0 or 1.

    Examples
    --------
    >>> from cnnlab.seednet import init_seed_params
    >>> params = init_seed_params((6, 6), 3, rng=0)
    >>> grads = backward_pass(np.random.default_rng(1).random((6, 6)), params, 1.0)
    >>> sorted(grads) == sorted(params), grads["kernel"].shape
    (True, (3, 3))
    """
    y_hat, cache = seed_forward(image, params)
    grad_z = (y_hat - y) * y_hat * (1 - y_hat)               # lesson 06: squared error
    grads = {"out_bias": grad_z, "weight": grad_z * cache["flat"]}
    grad_pooled = (grad_z * params["weight"]).reshape(cache["pooled"].shape)   # dL/df -> dL/dS
    relu = cache["relu"]
    grad_relu = np.zeros_like(relu)
    for i in range(grad_pooled.shape[0]):                    # lesson 04: to each window's winner
        for j in range(grad_pooled.shape[1]):
            window = relu[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            u, v = np.unravel_index(np.argmax(window), window.shape)
            grad_relu[2 * i + u, 2 * j + v] = grad_pooled[i, j]
    grads["bias"] = grad_bias(grad_relu, cache["pre_activation"])       # exercise 2
    grads["kernel"] = grad_kernel(image, grad_relu * (cache["pre_activation"] > 0))
    return grads


# ---- Lesson 08: training the seed network on a real two-digit task, step by step ----------------


def gd_update(params, grads, lr):
    """Exercise 1's worked solution: a new params dict after one gradient-descent step.

    Parameters
    ----------
    params, grads : dict of numpy.ndarray
        Parameters and their gradients, same keys.
    lr : float
        The learning rate.

    Examples
    --------
    >>> gd_update({"bias": np.array(1.0)}, {"bias": np.array(4.0)}, 0.25)
    {'bias': np.float64(0.0)}
    """
    return {name: params[name] - lr * grads[name] for name in params}   # new arrays, new dict


def binary_accuracy(y_hat, targets):
    """Exercise 2's worked solution: the fraction of predictions (y_hat > 0.5) equal to targets.

    Parameters
    ----------
    y_hat : numpy.ndarray
        Probabilities of class 1.
    targets : numpy.ndarray
        0 or 1, same shape.

    Examples
    --------
    >>> float(binary_accuracy(np.array([0.9, 0.5, 0.2]), np.array([1.0, 1.0, 0.0])))
    0.6666666666666666
    """
    predictions = y_hat > 0.5              # class 1 above 0.5; exactly 0.5 is class 0
    return np.mean(predictions == targets)


def train_epoch(params, images, targets, order, batch_size, lr):
    """Exercise 4's worked solution: one epoch of mini-batch gradient descent in the given order.

    Parameters
    ----------
    params : dict
        The seed network's parameters (left unchanged).
    images, targets : numpy.ndarray
        (N, H, W) images and their N targets.
    order : numpy.ndarray
        The order to visit the images in.
    batch_size : int
        Images per step.
    lr : float
        The learning rate.

    Examples
    --------
    >>> from cnnlab.seednet import init_seed_params
    >>> rng = np.random.default_rng(0)
    >>> params = init_seed_params((6, 6), 3, rng=1)
    >>> new, losses = train_epoch(params, rng.random((5, 6, 6)), np.array([1.0, 0, 1, 0, 1]),
    ...                                  np.arange(5), 2, 0.1)
    >>> len(losses)
    3
    """
    losses = []
    for start in range(0, len(order), batch_size):           # the last batch may be smaller
        batch = order[start:start + batch_size]
        loss, grads, _ = seed_network_loss(params, images[batch], targets[batch])
        losses.append(loss)                                   # before this batch's step
        params = {name: params[name] - lr * grads[name] for name in params}   # new dicts
    return params, losses


# ---- Lesson 09: loops against vectorised code on your machine; im2col; a fused block; MNIST -----


def im2col(image, k):
    """Exercise 1's worked solution: one row per k x k patch, row-major, each flattened.

    Parameters
    ----------
    image : numpy.ndarray, shape (H, W)
        One image.
    k : int
        The patch side.

    Examples
    --------
    >>> im2col(np.arange(6.0).reshape(2, 3), 2).tolist()
    [[0.0, 1.0, 3.0, 4.0], [1.0, 2.0, 4.0, 5.0]]
    """
    height, width = image.shape
    rows = [image[i:i + k, j:j + k].ravel()            # along each row of starts first
            for i in range(height - k + 1) for j in range(width - k + 1)]
    return np.array(rows)


def softmax_ce_grad(logits, labels):
    """Exercise 2's worked solution: dL/dlogits of the batch-mean softmax cross-entropy.

    Parameters
    ----------
    logits : numpy.ndarray, shape (N, K)
        One row of class scores per image.
    labels : numpy.ndarray of int, shape (N,)
        The true classes.

    Examples
    --------
    >>> softmax_ce_grad(np.array([[0.0, 0.0]]), np.array([1])).tolist()
    [[0.5, -0.5]]
    """
    shifted = logits - logits.max(axis=1, keepdims=True)   # no overflow: the largest is e^0
    probabilities = np.exp(shifted)
    probabilities /= probabilities.sum(axis=1, keepdims=True)   # each image's row sums to 1
    one_hot = np.zeros_like(probabilities)
    one_hot[np.arange(len(labels)), labels] = 1.0
    return (probabilities - one_hot) / len(labels)          # the loss is the mean over N images


def minibatches(images, labels, batch_size, seed):
    """Exercise 3's worked solution: the (images, labels) batches of one shuffled epoch.

    Parameters
    ----------
    images, labels : numpy.ndarray
        N images and their N labels.
    batch_size : int
        Images per batch.
    seed : int
        The seed of the shuffle.

    Examples
    --------
    >>> batches = minibatches(np.zeros((5, 2, 2)), np.arange(5), 2, seed=0)
    >>> [len(batch_labels) for _, batch_labels in batches]
    [2, 2, 1]
    """
    order = np.random.default_rng(seed).permutation(len(images))   # one order for both
    return [(images[order[start:start + batch_size]], labels[order[start:start + batch_size]])
            for start in range(0, len(order), batch_size)]           # the last may be smaller


# ---- Lesson 10: what the trained network learned: kernels, feature maps, saliency, live edits ----


def accuracy_from_confusion(matrix):
    """Exercise 1's worked solution: the accuracy from a confusion matrix alone.

    Parameters
    ----------
    matrix : numpy.ndarray, shape (K, K)
        Counts: row = true class, column = prediction.

    Examples
    --------
    >>> float(accuracy_from_confusion(np.array([[3, 1], [0, 4]])))
    0.875
    """
    return np.trace(matrix) / np.sum(matrix)   # the right answers over every image, each once


def most_confused(matrix):
    """Exercise 2's worked solution: (true_class, predicted_class) of the largest mistake count.

    Parameters
    ----------
    matrix : numpy.ndarray, shape (K, K)
        Counts: row = true class, column = prediction.

    Examples
    --------
    >>> most_confused(np.array([[5, 1, 0], [3, 4, 0], [0, 2, 9]]))
    (1, 0)
    """
    mistakes = matrix - np.diag(np.diag(matrix))        # the right answers left out
    true, predicted = np.unravel_index(np.argmax(mistakes), mistakes.shape)
    return int(true), int(predicted)                    # row: true class, column: prediction


def saliency_map(params, image, label):
    """Exercise 3's worked solution: d logit[label] / d pixel of one (H, W) image.

    Parameters
    ----------
    params : dict
        The small CNN's parameters.
    image : numpy.ndarray, shape (H, W)
        One image.
    label : int
        The class whose score is differentiated.

    Examples
    --------
    >>> from cnnlab.models import init_small_cnn
    >>> saliency_map(init_small_cnn(num_filters=2, seed=0), np.ones((28, 28)), 3).shape
    (28, 28)
    """
    logits, cache = small_cnn_forward(params, image[None, None])   # a batch of one image
    grad_logits = np.zeros_like(logits)
    grad_logits[0, label] = 1.0                  # the score's gradient: 1 at its own logit
    return small_cnn_backward(grad_logits, cache, input_grad=True)["images"][0, 0]


# ---- Lesson 11: from cnnlab to PyTorch: your network in torch.nn, the flatten order ------------


def torch_to_cnnlab(state):
    """cnnlab's parameters from a ``SmallCNN`` state dict given as NumPy arrays.

    The names are the same; conv weights and biases are copied as they are (both store
    (F, C, kh, kw) and both cross-correlate); only nn.Linear's weight (M, D) is transposed to
    cnnlab's (D, M).  The flatten order is the same in both, (C, H, W).

    Parameters
    ----------
    state : dict of str to numpy.ndarray
        ``SmallCNN().state_dict()``, each tensor as a NumPy array.

    Examples
    --------
    >>> torch_to_cnnlab({"dense.weight": np.ones((3, 2))})["dense.weight"].shape
    (2, 3)
    """
    return {name: (value.T.copy() if name == "dense.weight" else value.copy())
            for name, value in state.items()}


def channels_last_to_first(weight, channels, height, width):
    """Re-order the rows of a dense weight from an (H, W, C) flatten to a (C, H, W) one.

    Parameters
    ----------
    weight : numpy.ndarray, shape (C*H*W, M)
        Rows in (H, W, C) order (channels last).
    channels, height, width : int
        C, H and W of the feature maps the dense layer reads.

    Examples
    --------
    >>> w = np.arange(4.0)[:, None]                       # H=1, W=2, C=2: rows (h, w, c)
    >>> channels_last_to_first(w, 2, 1, 2).ravel().tolist()
    [0.0, 2.0, 1.0, 3.0]
    """
    outputs = weight.shape[1]
    blocks = weight.reshape(height, width, channels, outputs)
    return blocks.transpose(2, 0, 1, 3).reshape(-1, outputs)


def convolution_to_correlation(kernels):
    """The (F, C, kh, kw) weights that make a cross-correlation (Conv2d, conv_forward) compute
    the true convolution with ``kernels``: each kernel rotated 180 degrees.

    Parameters
    ----------
    kernels : numpy.ndarray, shape (F, C, kh, kw)

    Examples
    --------
    >>> convolution_to_correlation(np.arange(4.0).reshape(1, 1, 2, 2))[0, 0].tolist()
    [[3.0, 2.0], [1.0, 0.0]]
    """
    return np.flip(kernels, axis=(2, 3)).copy()


def torch_step(model, optimizer, images, labels):
    """One step of training in PyTorch; returns the batch's loss before the step.

    The four lines of every PyTorch training loop: forget the last step's gradients, forward
    and loss, backward (autograd), update.

    Parameters
    ----------
    model : torch.nn.Module
    optimizer : torch.optim.Optimizer
        Over ``model.parameters()``.
    images, labels : torch.Tensor
        A batch, (N, 1, 28, 28) and (N,).

    Examples
    --------
    >>> torch_step.__name__
    'torch_step'
    """
    import torch.nn.functional as F

    optimizer.zero_grad()
    loss = F.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()
