"""Walker v2's answers to lessons 04-07 (right ones and wrong ones, 2026-12-07, second walk), as a
learner writes them, before seeing any checker message."""
import numpy as np

import cnnlab as cl

# ---------------------------------------------------------------- lesson 04: max_pool_2d

def pool_right(feature_map, size, stride):
    x = np.asarray(feature_map, dtype=float)
    h = (x.shape[0] - size) // stride + 1
    w = (x.shape[1] - size) // stride + 1
    out = np.empty((h, w))
    for i in range(h):
        for j in range(w):
            out[i, j] = x[i * stride:i * stride + size, j * stride:j * stride + size].max()
    return out


def pool_off_by_one_extra(feature_map, size, stride):
    # +2 instead of +1 in the size formula -> one extra (partial) window each way
    x = np.asarray(feature_map, dtype=float)
    h = (x.shape[0] - size) // stride + 2
    w = (x.shape[1] - size) // stride + 2
    out = np.empty((h, w))
    for i in range(h):
        for j in range(w):
            win = x[i * stride:i * stride + size, j * stride:j * stride + size]
            out[i, j] = win.max() if win.size else 0.0
    return out


def pool_off_by_one_missing(feature_map, size, stride):
    # forgets the +1: one window too few each way
    x = np.asarray(feature_map, dtype=float)
    h = (x.shape[0] - size) // stride
    w = (x.shape[1] - size) // stride
    out = np.empty((h, w))
    for i in range(h):
        for j in range(w):
            out[i, j] = x[i * stride:i * stride + size, j * stride:j * stride + size].max()
    return out


def pool_ignores_stride(feature_map, size, stride):
    # steps by size instead of stride
    return pool_right(feature_map, size, size)


def pool_stride_one(feature_map, size, stride):
    # forgot the stride in the slicing: windows at i, j (but output sized for stride)
    x = np.asarray(feature_map, dtype=float)
    h = (x.shape[0] - size) // stride + 1
    w = (x.shape[1] - size) // stride + 1
    out = np.empty((h, w))
    for i in range(h):
        for j in range(w):
            out[i, j] = x[i:i + size, j:j + size].max()
    return out


def pool_square_only(feature_map, size, stride):
    # uses the row count for both axes
    x = np.asarray(feature_map, dtype=float)
    n = (x.shape[0] - size) // stride + 1
    out = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            out[i, j] = x[i * stride:i * stride + size, j * stride:j * stride + size].max()
    return out


def pool_mean(feature_map, size, stride):
    # average instead of max
    x = np.asarray(feature_map, dtype=float)
    h = (x.shape[0] - size) // stride + 1
    w = (x.shape[1] - size) // stride + 1
    out = np.empty((h, w))
    for i in range(h):
        for j in range(w):
            out[i, j] = x[i * stride:i * stride + size, j * stride:j * stride + size].mean()
    return out


def pool_int_dtype(feature_map, size, stride):
    # output allocated as integers: fractions are truncated
    x = np.asarray(feature_map)
    h = (x.shape[0] - size) // stride + 1
    w = (x.shape[1] - size) // stride + 1
    out = np.zeros((h, w), dtype=int)
    for i in range(h):
        for j in range(w):
            out[i, j] = x[i * stride:i * stride + size, j * stride:j * stride + size].max()
    return out


def pool_list(feature_map, size, stride):
    # returns nested lists
    return pool_right(feature_map, size, stride).tolist()


def pool_library(feature_map, size, stride):
    # calls the library instead of writing the windows
    return cl.max_pool(feature_map, size, stride)


def pool_max_of_abs(feature_map, size, stride):
    # takes the largest magnitude (a negative could win)
    x = np.asarray(feature_map, dtype=float)
    h = (x.shape[0] - size) // stride + 1
    w = (x.shape[1] - size) // stride + 1
    out = np.empty((h, w))
    for i in range(h):
        for j in range(w):
            win = x[i * stride:i * stride + size, j * stride:j * stride + size]
            out[i, j] = win.flat[np.argmax(np.abs(win))]
    return out


def pool_transposed(feature_map, size, stride):
    # returns the result transposed (rows/cols mixed in the loop)
    return pool_right(feature_map, size, stride).T


def pool_ceil_pad_zero(feature_map, size, stride):
    # ceil mode: pads the leftover with zeros and keeps a partial window
    x = np.asarray(feature_map, dtype=float)
    h = -(-(x.shape[0] - size) // stride) + 1
    w = -(-(x.shape[1] - size) // stride) + 1
    padded = np.zeros(((h - 1) * stride + size, (w - 1) * stride + size))
    padded[:x.shape[0], :x.shape[1]] = x
    return pool_right(padded, size, stride)


def pool_inplace_relu_first(feature_map, size, stride):
    # "cleans" the input first in place (ReLU) then pools: changes input and results
    x = np.asarray(feature_map)
    if x.dtype.kind == "f":
        x[x < 0] = 0
    return pool_right(x, size, stride)


def pool_hardcoded_2(feature_map, size, stride):
    # ignores size and stride: always 2x2 stride 2
    return pool_right(feature_map, 2, 2)


# ---------------------------------------------------------------- lesson 04: max_pool_backward_2d

def poolb_right(grad_pooled, feature_map):
    x = np.asarray(feature_map, dtype=float)
    g = np.asarray(grad_pooled, dtype=float)
    out = np.zeros_like(x)
    for i in range(g.shape[0]):
        for j in range(g.shape[1]):
            win = x[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            a, b = np.unravel_index(np.argmax(win), win.shape)
            out[2 * i + a, 2 * j + b] += g[i, j]
    return out


def poolb_all_ties(grad_pooled, feature_map):
    # every cell equal to the max gets the gradient (ties get it twice)
    x = np.asarray(feature_map, dtype=float)
    g = np.asarray(grad_pooled, dtype=float)
    out = np.zeros_like(x)
    for i in range(g.shape[0]):
        for j in range(g.shape[1]):
            win = x[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            out[2 * i:2 * i + 2, 2 * j:2 * j + 2] += (win == win.max()) * g[i, j]
    return out


def poolb_spread(grad_pooled, feature_map):
    # spreads the gradient over the window (the average-pool rule, no /4)
    g = np.asarray(grad_pooled, dtype=float)
    x = np.asarray(feature_map, dtype=float)
    out = np.zeros_like(x)
    up = np.kron(g, np.ones((2, 2)))
    out[:up.shape[0], :up.shape[1]] = up
    return out


def poolb_last_tie(grad_pooled, feature_map):
    # the LAST maximum wins ties
    x = np.asarray(feature_map, dtype=float)
    g = np.asarray(grad_pooled, dtype=float)
    out = np.zeros_like(x)
    for i in range(g.shape[0]):
        for j in range(g.shape[1]):
            win = x[2 * i:2 * i + 2, 2 * j:2 * j + 2].ravel()
            k = len(win) - 1 - np.argmax(win[::-1])
            a, b = divmod(k, 2)
            out[2 * i + a, 2 * j + b] += g[i, j]
    return out


def poolb_pooled_shape(grad_pooled, feature_map):
    # returns the (upsampled) gradient only over the pooled area: odd sizes lose a row/col
    x = np.asarray(feature_map, dtype=float)
    g = np.asarray(grad_pooled, dtype=float)
    full = poolb_right(g, x)
    return full[:2 * g.shape[0], :2 * g.shape[1]]


def poolb_argmin(grad_pooled, feature_map):
    # routes to the minimum
    x = np.asarray(feature_map, dtype=float)
    g = np.asarray(grad_pooled, dtype=float)
    out = np.zeros_like(x)
    for i in range(g.shape[0]):
        for j in range(g.shape[1]):
            win = x[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            a, b = np.unravel_index(np.argmin(win), win.shape)
            out[2 * i + a, 2 * j + b] += g[i, j]
    return out


def poolb_unravel_wrong(grad_pooled, feature_map):
    # divmod by the wrong width: uses unravel with the feature map's shape
    x = np.asarray(feature_map, dtype=float)
    g = np.asarray(grad_pooled, dtype=float)
    out = np.zeros_like(x)
    for i in range(g.shape[0]):
        for j in range(g.shape[1]):
            win = x[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            k = np.argmax(win)
            a, b = k % 2, k // 2          # row and column swapped
            out[2 * i + a, 2 * j + b] += g[i, j]
    return out


def poolb_ones(grad_pooled, feature_map):
    # marks the winner with 1 and forgets to multiply by the incoming gradient
    x = np.asarray(feature_map, dtype=float)
    g = np.asarray(grad_pooled, dtype=float)
    return poolb_right(np.ones_like(g), x)


def poolb_library(grad_pooled, feature_map):
    out, cache = cl.max_pool_forward(np.asarray(feature_map, dtype=float))
    return cl.max_pool_backward(np.asarray(grad_pooled, dtype=float), cache)


# ---------------------------------------------------------------- lesson 05: forward

def fwd_right(image, kernel, bias, weight, out_bias):
    conv = cl.conv2d(image, kernel, padding="same")
    pooled = cl.max_pool(cl.relu(conv + bias), 2)
    return cl.sigmoid(np.dot(np.ravel(weight), pooled.ravel()) + out_bias)


def fwd_no_bias(image, kernel, bias, weight, out_bias):
    # forgets the conv bias
    pooled = cl.max_pool(cl.relu(cl.conv2d(image, kernel, padding="same")), 2)
    return cl.sigmoid(np.ravel(weight) @ pooled.ravel() + out_bias)


def fwd_bias_after_relu(image, kernel, bias, weight, out_bias):
    # adds the bias after the ReLU
    pooled = cl.max_pool(cl.relu(cl.conv2d(image, kernel, padding="same")) + bias, 2)
    return cl.sigmoid(np.ravel(weight) @ pooled.ravel() + out_bias)


def fwd_no_padding(image, kernel, bias, weight, out_bias):
    # 'valid' convolution; resizes by truncating the weights
    pooled = cl.max_pool(cl.relu(cl.conv2d(image, kernel) + bias), 2).ravel()
    return cl.sigmoid(np.ravel(weight)[:pooled.size] @ pooled + out_bias)


def fwd_flipped_kernel(image, kernel, bias, weight, out_bias):
    # a true convolution (kernel rotated 180)
    conv = cl.conv2d(image, np.rot90(kernel, 2), padding="same")
    return cl.sigmoid(np.ravel(weight) @ cl.max_pool(cl.relu(conv + bias), 2).ravel() + out_bias)


def fwd_no_relu(image, kernel, bias, weight, out_bias):
    conv = cl.conv2d(image, kernel, padding="same")
    return cl.sigmoid(np.ravel(weight) @ cl.max_pool(conv + bias, 2).ravel() + out_bias)


def fwd_avg_pool(image, kernel, bias, weight, out_bias):
    conv = cl.conv2d(image, kernel, padding="same")
    return cl.sigmoid(np.ravel(weight) @ cl.avg_pool(cl.relu(conv + bias), 2).ravel() + out_bias)


def fwd_returns_logit(image, kernel, bias, weight, out_bias):
    # forgets the sigmoid
    conv = cl.conv2d(image, kernel, padding="same")
    return np.ravel(weight) @ cl.max_pool(cl.relu(conv + bias), 2).ravel() + out_bias


def fwd_sign(image, kernel, bias, weight, out_bias):
    # sigmoid of -z
    conv = cl.conv2d(image, kernel, padding="same")
    return cl.sigmoid(-(np.ravel(weight) @ cl.max_pool(cl.relu(conv + bias), 2).ravel() + out_bias))


def fwd_flatten_fortran(image, kernel, bias, weight, out_bias):
    # flattens column-major
    conv = cl.conv2d(image, kernel, padding="same")
    return cl.sigmoid(np.ravel(weight) @ cl.max_pool(cl.relu(conv + bias), 2).ravel(order="F") + out_bias)


def fwd_no_out_bias(image, kernel, bias, weight, out_bias):
    conv = cl.conv2d(image, kernel, padding="same")
    return cl.sigmoid(np.ravel(weight) @ cl.max_pool(cl.relu(conv + bias), 2).ravel())


def fwd_elementwise(image, kernel, bias, weight, out_bias):
    # multiplies element-wise and never sums: returns an array
    conv = cl.conv2d(image, kernel, padding="same")
    return cl.sigmoid(np.ravel(weight) * cl.max_pool(cl.relu(conv + bias), 2).ravel() + out_bias)


def fwd_tuple(image, kernel, bias, weight, out_bias):
    # returns (y_hat, z)
    conv = cl.conv2d(image, kernel, padding="same")
    z = np.ravel(weight) @ cl.max_pool(cl.relu(conv + bias), 2).ravel() + out_bias
    return cl.sigmoid(z), z


def fwd_inplace_image(image, kernel, bias, weight, out_bias):
    # normalises the image in place first
    image /= max(float(np.max(np.abs(image))), 1e-12)
    return fwd_right(image, kernel, bias, weight, out_bias)


def fwd_hardcoded_196(image, kernel, bias, weight, out_bias):
    # hard-codes 14x14 / 196 features
    conv = cl.conv2d(image, kernel, padding="same")
    pooled = cl.max_pool(cl.relu(conv + bias), 2).reshape(196)
    return cl.sigmoid(np.ravel(weight) @ pooled + out_bias)


# ---------------------------------------------------------------- lesson 05: stable_sigmoid

def sig_right(x):
    x = np.asarray(x, dtype=float)
    return np.exp(-np.logaddexp(0.0, -x))


def sig_naive(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def sig_clip(x):
    # clips at +-500 (no overflow, but changes nothing else): actually right-ish
    return 1.0 / (1.0 + np.exp(-np.clip(np.asarray(x, dtype=float), -500, 500)))


def sig_wrong_sign(x):
    return np.exp(-np.logaddexp(0.0, np.asarray(x, dtype=float)))


def sig_int_dtype(x):
    # keeps the input's dtype: integer input -> integer output
    x = np.asarray(x)
    out = np.empty_like(x)
    out[...] = np.exp(-np.logaddexp(0.0, -x))
    return out


def sig_python_loop(x):
    # math.exp per element, returns a flat list
    import math
    out = []
    for v in np.ravel(x):
        out.append(1 / (1 + math.exp(-v)) if v > -700 else 0.0)
    return out


def sig_ravel(x):
    # flattens: returns 1-D for any input
    x = np.ravel(np.asarray(x, dtype=float))
    return np.exp(-np.logaddexp(0.0, -x))


def sig_branch_scalar(x):
    # an `if` on the whole array (works only for scalars)
    if x >= 0:
        return 1 / (1 + np.exp(-x))
    return np.exp(x) / (1 + np.exp(x))


def sig_tanh_missing_half(x):
    # tanh identity with a missing factor 1/2 inside
    return 0.5 * (1 + np.tanh(np.asarray(x, dtype=float)))


def sig_inplace(x):
    # writes the result into the input
    x = np.asarray(x)
    if x.dtype.kind == "f":
        np.negative(x, out=x)
        np.logaddexp(0.0, x, out=x)
        np.negative(x, out=x)
        np.exp(x, out=x)
        return x
    return np.exp(-np.logaddexp(0.0, -x))


def sig_float32(x):
    return np.exp(-np.logaddexp(np.float32(0), -np.asarray(x, dtype=np.float32)))


# ---------------------------------------------------------------- lesson 06: grad_logit

def gl_right(y_hat, y, loss):
    y_hat = np.asarray(y_hat, dtype=float)
    y = np.asarray(y, dtype=float)
    if loss == "squared_error":
        return (y_hat - y) * y_hat * (1 - y_hat)
    if loss == "bce":
        return y_hat - y
    raise ValueError(f"loss must be 'squared_error' or 'bce', got {loss!r}")


def gl_se_no_sigmoid_factor(y_hat, y, loss):
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    return y_hat - y


def gl_se_sign(y_hat, y, loss):
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    if loss == "squared_error":
        return (y - y_hat) * y_hat * (1 - y_hat)
    return y_hat - y


def gl_bce_sign(y_hat, y, loss):
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    if loss == "squared_error":
        return (y_hat - y) * y_hat * (1 - y_hat)
    return y - y_hat


def gl_bce_wrt_yhat(y_hat, y, loss):
    # dL/dy_hat for BCE instead of dL/dz
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    if loss == "squared_error":
        return (y_hat - y) * y_hat * (1 - y_hat)
    return (y_hat - y) / (y_hat * (1 - y_hat))


def gl_swapped(y_hat, y, loss):
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    if loss == "bce":
        return (y_hat - y) * y_hat * (1 - y_hat)
    return y_hat - y


def gl_se_extra_two(y_hat, y, loss):
    # forgot the 1/2: factor 2
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    if loss == "squared_error":
        return 2 * (y_hat - y) * y_hat * (1 - y_hat)
    return y_hat - y


def gl_mean(y_hat, y, loss):
    # averages over the batch (returns a scalar)
    return float(np.mean(gl_right(y_hat, y, loss)))


def gl_ignores_loss(y_hat, y, loss):
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    return (y_hat - y) * y_hat * (1 - y_hat)


def gl_se_uses_y(y_hat, y, loss):
    # sigmoid derivative written with y instead of y_hat
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    if loss == "squared_error":
        return (y_hat - y) * y * (1 - y)
    return y_hat - y


def gl_bad_name_silent(y_hat, y, loss):
    # unknown loss -> silently returns zeros
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    if loss == "squared_error":
        return (y_hat - y) * y_hat * (1 - y_hat)
    if loss == "bce":
        return y_hat - y
    return np.zeros_like(y_hat)


def gl_list(y_hat, y, loss):
    return [float(v) for v in np.ravel(gl_right(y_hat, y, loss))]


# ---------------------------------------------------------------- lesson 06: output_layer_grads

def ol_right(F, w, y_hat, y):
    F, w = np.asarray(F, float), np.asarray(w, float)
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ g, float(g.sum()), np.outer(g, w)


def ol_no_mean(F, w, y_hat, y):
    F, w = np.asarray(F, float), np.asarray(w, float)
    g = (np.asarray(y_hat) - y) * y_hat * (1 - np.asarray(y_hat))
    return F.T @ g, float(g.sum()), np.outer(g, w)


def ol_bf_mean_of_mean(F, w, y_hat, y):
    # divides by N twice for the bias (mean of the already averaged g)
    gw, gb, gF = ol_right(F, w, y_hat, y)
    return gw, gb / len(y), gF


def ol_bf_first_only(F, w, y_hat, y):
    # bias gets only the first image's contribution
    F, w = np.asarray(F, float), np.asarray(w, float)
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ g, float(g[0]), np.outer(g, w)


def ol_bce_grad(F, w, y_hat, y):
    # uses cross-entropy's dL/dz
    F, w = np.asarray(F, float), np.asarray(w, float)
    g = (np.asarray(y_hat, float) - y) / len(y)
    return F.T @ g, float(g.sum()), np.outer(g, w)


def ol_gradF_mean_w(F, w, y_hat, y):
    # grad_F as F * g (feature instead of weight)
    F, w = np.asarray(F, float), np.asarray(w, float)
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ g, float(g.sum()), F * g[:, None]


def ol_gradw_shape(F, w, y_hat, y):
    # grad_w keeps the per-image rows: shape (N, D)
    F, w = np.asarray(F, float), np.asarray(w, float)
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    g = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F * g[:, None], float(g.sum()), np.outer(g, w)


def ol_gradF_no_mean(F, w, y_hat, y):
    # divides by N for w and bf but not for F
    F, w = np.asarray(F, float), np.asarray(w, float)
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    g = (y_hat - y) * y_hat * (1 - y_hat)
    return F.T @ g / len(y), float(g.mean()), np.outer(g, w)


def ol_list(F, w, y_hat, y):
    return list(ol_right(F, w, y_hat, y))


def ol_dict(F, w, y_hat, y):
    gw, gb, gF = ol_right(F, w, y_hat, y)
    return {"grad_w": gw, "grad_bf": gb, "grad_F": gF}


def ol_order(F, w, y_hat, y):
    gw, gb, gF = ol_right(F, w, y_hat, y)
    return gw, gF, gb


def ol_N_from_F_cols(F, w, y_hat, y):
    # divides by D (F.shape[1]) instead of N
    F, w = np.asarray(F, float), np.asarray(w, float)
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    g = (y_hat - y) * y_hat * (1 - y_hat) / F.shape[1]
    return F.T @ g, float(g.sum()), np.outer(g, w)


# ---------------------------------------------------------------- lesson 07: grad_kernel

def gk_right(image, grad_conv):
    x = np.pad(np.asarray(image, float), 1)
    g = np.asarray(grad_conv, float)
    out = np.zeros((3, 3))
    for u in range(3):
        for v in range(3):
            out[u, v] = np.sum(g * x[u:u + g.shape[0], v:v + g.shape[1]])
    return out


def gk_seed_flip(image, grad_conv):
    return np.rot90(gk_right(image, grad_conv), 2)


def gk_no_pad(image, grad_conv):
    # forgets the padding: uses a valid cross-correlation of the image with the interior of grad
    x = np.asarray(image, float)
    g = np.asarray(grad_conv, float)[1:-1, 1:-1]
    out = np.zeros((3, 3))
    for u in range(3):
        for v in range(3):
            out[u, v] = np.sum(g * x[u:u + g.shape[0], v:v + g.shape[1]])
    return out


def gk_transposed(image, grad_conv):
    return gk_right(image, grad_conv).T


def gk_overwrite(image, grad_conv):
    # grad = ... instead of += over output cells: only the last cell counts
    x = np.pad(np.asarray(image, float), 1)
    g = np.asarray(grad_conv, float)
    out = np.zeros((3, 3))
    for i in range(g.shape[0]):
        for j in range(g.shape[1]):
            out = g[i, j] * x[i:i + 3, j:j + 3]
    return out


def gk_square_only(image, grad_conv):
    # uses image.shape[0] for both loop bounds
    x = np.pad(np.asarray(image, float), 1)
    g = np.asarray(grad_conv, float)
    n = g.shape[0]
    out = np.zeros((3, 3))
    for i in range(n):
        for j in range(n):
            if j < g.shape[1]:
                out += g[i, j] * x[i:i + 3, j:j + 3]
    return out


def gk_mean(image, grad_conv):
    # averages the patches instead of summing
    return gk_right(image, grad_conv) / np.size(grad_conv)


def gk_conv_rotated_lib(image, grad_conv):
    # uses cl.conv2d(pad image, grad) - fine - but rotates grad first (true conv)
    return cl.conv2d(np.pad(np.asarray(image, float), 1), np.rot90(np.asarray(grad_conv, float), 2))


def gk_int(image, grad_conv):
    x = np.pad(np.asarray(image), 1)
    g = np.asarray(grad_conv)
    out = np.zeros((3, 3), dtype=int)
    for u in range(3):
        for v in range(3):
            out[u, v] = np.sum(g * x[u:u + g.shape[0], v:v + g.shape[1]])
    return out


# ---------------------------------------------------------------- lesson 07: grad_bias

def gb_right(grad_relu, pre_activation):
    return float(np.sum(np.asarray(grad_relu, float) * (np.asarray(pre_activation) > 0)))


def gb_no_mask(grad_relu, pre_activation):
    return float(np.sum(grad_relu))


def gb_mask_ge(grad_relu, pre_activation):
    # >= 0 at the kink
    return float(np.sum(np.asarray(grad_relu, float) * (np.asarray(pre_activation) >= 0)))


def gb_mean(grad_relu, pre_activation):
    g = np.asarray(grad_relu, float) * (np.asarray(pre_activation) > 0)
    return float(g.mean())


def gb_array(grad_relu, pre_activation):
    # returns the masked map instead of summing
    return np.asarray(grad_relu, float) * (np.asarray(pre_activation) > 0)


def gb_mask_negative(grad_relu, pre_activation):
    return float(np.sum(np.asarray(grad_relu, float) * (np.asarray(pre_activation) < 0)))


def gb_times_pre(grad_relu, pre_activation):
    # multiplies by the pre-activation (as if dR/db were C+b)
    return float(np.sum(np.asarray(grad_relu, float) * np.maximum(pre_activation, 0)))


def gb_axis0(grad_relu, pre_activation):
    # sums over one axis only
    return np.sum(np.asarray(grad_relu, float) * (np.asarray(pre_activation) > 0), axis=0)


def gb_inplace(grad_relu, pre_activation):
    # zeroes the incoming gradient in place
    g = np.asarray(grad_relu)
    g[np.asarray(pre_activation) <= 0] = 0
    return float(g.sum())


# ---------------------------------------------------------------- lesson 07: grad_input

def gi_right(grad_conv, kernel):
    kernel = np.asarray(kernel, float)
    kh, kw = kernel.shape
    g = np.asarray(grad_conv, float)
    ph, pw = kh // 2, kw // 2
    gp = np.pad(g, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    rk = kernel[::-1, ::-1]
    H, W = g.shape
    full = np.zeros((H + kh - 1, W + kw - 1))
    for i in range(full.shape[0]):
        for j in range(full.shape[1]):
            full[i, j] = np.sum(gp[i:i + kh, j:j + kw] * rk)
    return full[ph:ph + H, pw:pw + W]


def gi_not_rotated(grad_conv, kernel):
    kernel = np.asarray(kernel, float)
    return gi_right(grad_conv, kernel[::-1, ::-1])


def gi_square_pad(grad_conv, kernel):
    # uses kh for both paddings (square-only assumption)
    kernel = np.asarray(kernel, float)
    kh, kw = kernel.shape
    g = np.asarray(grad_conv, float)
    p = kh // 2
    gp = np.pad(g, p)
    rk = kernel[::-1, ::-1]
    H, W = g.shape
    out = np.zeros((H, W))
    for i in range(H):
        for j in range(W):
            win = gp[i:i + kh, j:j + kw]
            if win.shape == rk.shape:
                out[i, j] = np.sum(win * rk)
    return out


def gi_hardcoded_3(grad_conv, kernel):
    # crops with a fixed ring of 1 (right only for 3x3)
    kernel = np.asarray(kernel, float)
    kh, kw = kernel.shape
    g = np.asarray(grad_conv, float)
    gp = np.pad(g, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    rk = kernel[::-1, ::-1]
    full = np.zeros((g.shape[0] + kh - 1, g.shape[1] + kw - 1))
    for i in range(full.shape[0]):
        for j in range(full.shape[1]):
            full[i, j] = np.sum(gp[i:i + kh, j:j + kw] * rk)
    return full[1:1 + g.shape[0], 1:1 + g.shape[1]]


def gi_full_shape(grad_conv, kernel):
    # returns the full (padded-image) gradient without dropping the ring
    kernel = np.asarray(kernel, float)
    kh, kw = kernel.shape
    g = np.asarray(grad_conv, float)
    gp = np.pad(g, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    rk = kernel[::-1, ::-1]
    full = np.zeros((g.shape[0] + kh - 1, g.shape[1] + kw - 1))
    for i in range(full.shape[0]):
        for j in range(full.shape[1]):
            full[i, j] = np.sum(gp[i:i + kh, j:j + kw] * rk)
    return full


def gi_rot90_once(grad_conv, kernel):
    # np.rot90(kernel) rotates by 90 degrees, not 180 (forgot the k=2)
    kernel = np.asarray(kernel, float)
    kh, kw = kernel.shape
    g = np.asarray(grad_conv, float)
    return cl.conv2d(g, np.rot90(kernel), padding="same")


def gi_valid(grad_conv, kernel):
    # valid cross-correlation of grad with the rotated kernel, then zero-pads back to size
    kernel = np.asarray(kernel, float)
    kh, kw = kernel.shape
    g = np.asarray(grad_conv, float)
    small = cl.conv2d(g, np.rot90(kernel, 2))
    out = np.zeros_like(g)
    out[kh // 2:kh // 2 + small.shape[0], kw // 2:kw // 2 + small.shape[1]] = small
    return out


def gi_scatter_forgets_accumulate(grad_conv, kernel):
    # scatter version with = instead of +=
    kernel = np.asarray(kernel, float)
    kh, kw = kernel.shape
    g = np.asarray(grad_conv, float)
    H, W = g.shape
    padded = np.zeros((H + kh - 1, W + kw - 1))
    for i in range(H):
        for j in range(W):
            padded[i:i + kh, j:j + kw] = g[i, j] * kernel
    return padded[kh // 2:kh // 2 + H, kw // 2:kw // 2 + W]


# ---------------------------------------------------------------- lesson 07: numerical_gradient

def ng_right(f, x, h):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        up = f(x)
        x[idx] = old - h
        down = f(x)
        x[idx] = old
        grad[idx] = (up - down) / (2 * h)
    return grad


def ng_forward_diff(f, x, h):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    base = f(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        grad[idx] = (f(x) - base) / h
        x[idx] = old
    return grad


def ng_no_two(f, x, h):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        up = f(x)
        x[idx] = old - h
        down = f(x)
        x[idx] = old
        grad[idx] = (up - down) / h
    return grad


def ng_no_restore(f, x, h):
    # forgets to put the entry back
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        up = f(x)
        x[idx] = old - h
        down = f(x)
        grad[idx] = (up - down) / (2 * h)
    return grad


def ng_inplace_caller(f, x, h):
    # works on the caller's array (restores it, but leaves -h on the last one)
    grad = np.zeros(np.shape(x))
    for idx in np.ndindex(np.shape(x)):
        old = x[idx]
        x[idx] = old + h
        up = f(x)
        x[idx] = old - h
        down = f(x)
        grad[idx] = (up - down) / (2 * h)
        x[idx] = old if idx != tuple(s - 1 for s in np.shape(x)) else old - h
    return grad


def ng_int_copy(f, x, h):
    # copies without a float dtype: an int array can't take the nudge
    x = np.array(x)
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        up = f(x)
        x[idx] = old - h
        down = f(x)
        x[idx] = old
        grad[idx] = (up - down) / (2 * h)
    return grad


def ng_whole_array(f, x, h):
    # nudges every entry at once
    x = np.array(x, dtype=float)
    return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))


def ng_flat_1d(f, x, h):
    # returns a flat vector
    return ng_right(f, x, h).ravel()


def ng_ignores_h(f, x, h):
    return ng_right(f, x, 1e-3)


def ng_loop_rows(f, x, h):
    # loops over the first axis only (treats x as 1-D)
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.shape[0]):
        old = x[i].copy()
        x[i] = old + h
        up = f(x)
        x[i] = old - h
        down = f(x)
        x[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad


# ---------------------------------------------------------------- lesson 07: backward_pass

def bp_right(image, params, y):
    y_hat, cache = cl.seed_forward(image, params)
    grad_z = (y_hat - y) * y_hat * (1 - y_hat)
    flat = cache["flat"]
    grad_w = grad_z * flat
    grad_ob = grad_z
    grad_S = (grad_z * np.asarray(params["weight"], float)).reshape(cache["pooled"].shape)
    relu = cache["relu"]
    grad_R = np.zeros_like(relu)
    for i in range(grad_S.shape[0]):
        for j in range(grad_S.shape[1]):
            win = relu[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            a, b = np.unravel_index(np.argmax(win), win.shape)
            grad_R[2 * i + a, 2 * j + b] += grad_S[i, j]
    grad_C = grad_R * (cache["pre_activation"] > 0)
    k = np.asarray(params["kernel"]).shape[0]
    p = k // 2
    xp = np.pad(np.asarray(image, float), p)
    grad_K = np.zeros((k, k))
    for u in range(k):
        for v in range(k):
            grad_K[u, v] = np.sum(grad_C * xp[u:u + grad_C.shape[0], v:v + grad_C.shape[1]])
    return {"kernel": grad_K, "bias": float(grad_C.sum()), "weight": grad_w, "out_bias": float(grad_ob)}


def bp_seed_flip(image, params, y):
    g = bp_right(image, params, y)
    g["kernel"] = np.rot90(g["kernel"], 2)
    return g


def bp_bce(image, params, y):
    # uses the cross-entropy dL/dz
    y_hat, _ = cl.seed_forward(image, params)
    g = bp_right(image, params, y)
    se = (y_hat - y) * y_hat * (1 - y_hat)
    scale = (y_hat - y) / se if se != 0 else 0.0
    return {k: v * scale for k, v in g.items()}


def bp_no_relu_mask(image, params, y):
    y_hat, cache = cl.seed_forward(image, params)
    grad_z = (y_hat - y) * y_hat * (1 - y_hat)
    grad_S = (grad_z * np.asarray(params["weight"], float)).reshape(cache["pooled"].shape)
    relu = cache["relu"]
    grad_R = np.zeros_like(relu)
    for i in range(grad_S.shape[0]):
        for j in range(grad_S.shape[1]):
            win = relu[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            a, b = np.unravel_index(np.argmax(win), win.shape)
            grad_R[2 * i + a, 2 * j + b] += grad_S[i, j]
    grad_C = grad_R
    k = np.asarray(params["kernel"]).shape[0]
    xp = np.pad(np.asarray(image, float), k // 2)
    grad_K = np.array([[np.sum(grad_C * xp[u:u + grad_C.shape[0], v:v + grad_C.shape[1]])
                        for v in range(k)] for u in range(k)])
    return {"kernel": grad_K, "bias": float(grad_C.sum()), "weight": grad_z * cache["flat"],
            "out_bias": float(grad_z)}


def bp_bias_missing(image, params, y):
    # forgets the conv bias key
    g = bp_right(image, params, y)
    del g["bias"]
    return g


def bp_bias_zero(image, params, y):
    g = bp_right(image, params, y)
    g["bias"] = 0.0
    return g


def bp_weight_shape(image, params, y):
    # returns the weight gradient as the 2-D pooled map
    y_hat, cache = cl.seed_forward(image, params)
    g = bp_right(image, params, y)
    g["weight"] = g["weight"].reshape(cache["pooled"].shape)
    return g


def bp_grad_sign(image, params, y):
    g = bp_right(image, params, y)
    return {k: -np.asarray(v) if np.ndim(v) else -v for k, v in g.items()}


def bp_spread_pool(image, params, y):
    # sends each window's gradient to all four cells
    y_hat, cache = cl.seed_forward(image, params)
    grad_z = (y_hat - y) * y_hat * (1 - y_hat)
    grad_S = (grad_z * np.asarray(params["weight"], float)).reshape(cache["pooled"].shape)
    grad_R = np.zeros_like(cache["relu"])
    up = np.kron(grad_S, np.ones((2, 2)))
    grad_R[:up.shape[0], :up.shape[1]] = up
    grad_C = grad_R * (cache["pre_activation"] > 0)
    k = np.asarray(params["kernel"]).shape[0]
    xp = np.pad(np.asarray(image, float), k // 2)
    grad_K = np.array([[np.sum(grad_C * xp[u:u + grad_C.shape[0], v:v + grad_C.shape[1]])
                        for v in range(k)] for u in range(k)])
    return {"kernel": grad_K, "bias": float(grad_C.sum()), "weight": grad_z * cache["flat"],
            "out_bias": float(grad_z)}


def bp_ignores_y(image, params, y):
    return bp_right(image, params, 1.0)


ANSWERS = [
    # lesson 04 max_pool
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "right answer", "keywords": [], "answer": pool_right},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "size formula +2: one extra partial window", "keywords": ["+ 1", "floor", "one too many", "extra", "partial"], "answer": pool_off_by_one_extra},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "size formula missing +1: one window too few", "keywords": ["+ 1", "+1", "one too few", "missing", "last window"], "answer": pool_off_by_one_missing},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "steps by size, ignores stride", "keywords": ["stride"], "answer": pool_ignores_stride},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "windows start at i, j not i*stride", "keywords": ["stride", "i * s", "i*stride"], "answer": pool_stride_one},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "square-only: row count for both axes", "keywords": ["non-square", "columns", "width", "square"], "answer": pool_square_only},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "average instead of max", "keywords": ["mean", "average"], "answer": pool_mean},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "integer output array truncates", "keywords": ["int", "dtype", "float"], "answer": pool_int_dtype},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "returns nested list", "keywords": ["list", "array"], "answer": pool_list},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "calls cl.max_pool (refused)", "keywords": ["cl.max_pool", "yourself", "refused"], "answer": pool_library},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "max of absolute value", "keywords": ["abs", "negative", "magnitude"], "answer": pool_max_of_abs},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "returns transposed result", "keywords": ["transpos", "rows and columns", "swapped"], "answer": pool_transposed},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "ceil mode with zero padding", "keywords": ["floor", "ceil", "dropped", "left over"], "answer": pool_ceil_pad_zero},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "applies ReLU in place to input first", "keywords": ["in place", "input", "modif", "changed"], "answer": pool_inplace_relu_first},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "hard-codes size 2 stride 2", "keywords": ["size", "stride", "ignor"], "answer": pool_hardcoded_2},
    # lesson 04 max_pool_backward
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "right answer", "keywords": [], "answer": poolb_right},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "all tied maxima get the gradient", "keywords": ["tie", "first"], "answer": poolb_all_ties},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "spreads gradient over whole window (no /4)", "keywords": ["every cell", "all four", "winner", "only the max", "average"], "answer": poolb_spread},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "last maximum wins ties", "keywords": ["tie", "first", "last"], "answer": poolb_last_tie},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "returns pooled-area shape (odd sizes lose a row)", "keywords": ["shape", "odd", "leftover", "same shape"], "answer": poolb_pooled_shape},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "routes to the minimum", "keywords": ["minimum", "min", "largest", "maximum"], "answer": poolb_argmin},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "row/col swapped when unravelling argmax", "keywords": ["row", "column", "swapped", "transpos", "unravel"], "answer": poolb_unravel_wrong},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "forgets to multiply by grad (marks 1)", "keywords": ["multipl", "grad_pooled", "incoming", "times"], "answer": poolb_ones},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "calls cl.max_pool_backward (refused)", "keywords": ["refused", "yourself", "max_pool_backward"], "answer": poolb_library},
    # lesson 05 forward
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "right answer", "keywords": [], "answer": fwd_right},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "forgets conv bias", "keywords": ["bias"], "answer": fwd_no_bias},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "bias added after ReLU", "keywords": ["bias", "before the relu", "order"], "answer": fwd_bias_after_relu},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "valid padding (weights truncated)", "keywords": ["same", "padding"], "answer": fwd_no_padding},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "kernel rotated 180 (true convolution)", "keywords": ["flip", "rotat", "180"], "answer": fwd_flipped_kernel},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "no ReLU", "keywords": ["relu"], "answer": fwd_no_relu},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "average pooling", "keywords": ["max", "average", "pool"], "answer": fwd_avg_pool},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "returns logit, no sigmoid", "keywords": ["sigmoid", "logit", "probab"], "answer": fwd_returns_logit},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "sigmoid of -z", "keywords": ["sign", "1 - ", "-z"], "answer": fwd_sign},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "flattens column-major (order F)", "keywords": ["flatten", "order", "row-major", "ravel"], "answer": fwd_flatten_fortran},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "forgets output bias", "keywords": ["out_bias", "output bias", "b_f"], "answer": fwd_no_out_bias},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "element-wise product, no sum (returns array)", "keywords": ["sum", "dot", "scalar", "shape"], "answer": fwd_elementwise},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "returns tuple (y_hat, z)", "keywords": ["tuple", "number", "scalar"], "answer": fwd_tuple},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "normalises the image in place", "keywords": ["in place", "modif", "changed", "input"], "answer": fwd_inplace_image},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "hard-codes 196 features (28x28 only)", "keywords": ["196", "hard", "size", "shape"], "answer": fwd_hardcoded_196},
    # lesson 05 sigmoid
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "right answer", "keywords": [], "answer": sig_right},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "naive 1/(1+exp(-x)) overflows", "keywords": ["overflow", "warn", "logaddexp", "exp(-x)"], "answer": sig_naive},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "clips x to +-500 (arguably fine)", "keywords": ["clip"], "answer": sig_clip},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "wrong sign: computes sigmoid(-x)", "keywords": ["sign", "sigmoid(-x)", "1 - "], "answer": sig_wrong_sign},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "keeps integer dtype", "keywords": ["int", "dtype", "float"], "answer": sig_int_dtype},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "python loop, returns flat list", "keywords": ["list", "array", "shape"], "answer": sig_python_loop},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "flattens 2-D input", "keywords": ["shape", "2-d", "flatten"], "answer": sig_ravel},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "if on the whole array (scalar-only)", "keywords": ["np.where", "element", "truth value", "array"], "answer": sig_branch_scalar},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "tanh identity missing the x/2", "keywords": ["tanh", "factor", "half", "x/2"], "answer": sig_tanh_missing_half},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "writes result into input array", "keywords": ["in place", "input", "modif", "changed"], "answer": sig_inplace},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "computes in float32", "keywords": ["float32", "precision", "dtype", "float64"], "answer": sig_float32},
    # lesson 06 grad_logit
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "right answer", "keywords": [], "answer": gl_right},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "SE without the sigmoid factor", "keywords": ["y_hat (1 - y_hat)", "sigmoid's derivative", "factor", "(1 - y_hat)"], "answer": gl_se_no_sigmoid_factor},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "SE sign flipped (y - y_hat)", "keywords": ["sign"], "answer": gl_se_sign},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "BCE sign flipped", "keywords": ["sign"], "answer": gl_bce_sign},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "BCE dL/dy_hat instead of dL/dz", "keywords": ["y_hat", "dz", "with respect to", "chain"], "answer": gl_bce_wrt_yhat},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "formulas swapped between losses", "keywords": ["swap", "the other loss", "bce", "squared"], "answer": gl_swapped},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "SE missing the 1/2 (factor 2)", "keywords": ["factor 2", "twice", "1/2", "half"], "answer": gl_se_extra_two},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "averages to a scalar", "keywords": ["element-wise", "shape", "mean", "scalar"], "answer": gl_mean},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "ignores the loss argument", "keywords": ["loss", "bce", "ignor"], "answer": gl_ignores_loss},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "sigmoid derivative with y instead of y_hat", "keywords": ["y_hat (1 - y_hat)", "y (1 - y)", "target"], "answer": gl_se_uses_y},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "not a mistake (the exercise passes only the two loss names, and its text says what another name does is up to you): unknown loss name returns zeros silently", "keywords": ["unknown", "valueerror", "raise"], "answer": gl_bad_name_silent},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "returns a list", "keywords": ["list", "array"], "answer": gl_list},
    # lesson 06 output layer
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "right answer", "keywords": [], "answer": ol_right},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "sum instead of mean (no 1/N)", "keywords": ["1/n", "mean", "n times", "average"], "answer": ol_no_mean},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "bias divided by N twice", "keywords": ["bias", "grad_bf", "1/n"], "answer": ol_bf_mean_of_mean},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "bias from first image only", "keywords": ["bias", "every image", "sum", "each image"], "answer": ol_bf_first_only},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "BCE dL/dz instead of SE", "keywords": ["squared", "y_hat (1 - y_hat)", "sigmoid", "cross-entropy"], "answer": ol_bce_grad},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "grad_F uses features not weights", "keywords": ["grad_f", "w", "weight"], "answer": ol_gradF_mean_w},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "grad_w per image (N, D)", "keywords": ["shape", "sum", "(d,)", "every image"], "answer": ol_gradw_shape},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "grad_F not divided by N", "keywords": ["grad_f", "1/n", "mean"], "answer": ol_gradF_no_mean},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "not a mistake (the text says a list of the three is accepted too): returns a list, not a tuple", "keywords": ["tuple"], "answer": ol_list},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "returns a dict", "keywords": ["tuple", "dict"], "answer": ol_dict},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "tuple order (w, F, bf)", "keywords": ["order", "grad_bf", "swapped"], "answer": ol_order},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "divides by D instead of N", "keywords": ["n", "batch", "1/n", "mean"], "answer": ol_N_from_F_cols},
    # lesson 07 grad_kernel
    {"lesson": "lesson07", "checker": "check_grad_kernel", "mistake": "right answer", "keywords": [], "answer": gk_right},
    {"lesson": "lesson07", "checker": "check_grad_kernel", "mistake": "seed's 180-degree flip", "keywords": ["180", "rotat", "flip"], "answer": gk_seed_flip},
    {"lesson": "lesson07", "checker": "check_grad_kernel", "mistake": "no padding (valid, interior of grad)", "keywords": ["pad"], "answer": gk_no_pad},
    {"lesson": "lesson07", "checker": "check_grad_kernel", "mistake": "transposed result", "keywords": ["transpos", "u and v", "swapped"], "answer": gk_transposed},
    {"lesson": "lesson07", "checker": "check_grad_kernel", "mistake": "overwrite instead of accumulate", "keywords": ["+=", "accumulate", "last"], "answer": gk_overwrite},
    {"lesson": "lesson07", "checker": "check_grad_kernel", "mistake": "square-only loop bounds", "keywords": ["square", "columns", "width", "non-square"], "answer": gk_square_only},
    {"lesson": "lesson07", "checker": "check_grad_kernel", "mistake": "mean instead of sum", "keywords": ["sum", "mean", "divid"], "answer": gk_mean},
    {"lesson": "lesson07", "checker": "check_grad_kernel", "mistake": "rotates grad_conv before correlating", "keywords": ["180", "rotat", "flip"], "answer": gk_conv_rotated_lib},
    {"lesson": "lesson07", "checker": "check_grad_kernel", "mistake": "integer output array", "keywords": ["int", "dtype", "float"], "answer": gk_int},
    # lesson 07 grad_bias
    {"lesson": "lesson07", "checker": "check_grad_bias", "mistake": "right answer", "keywords": [], "answer": gb_right},
    {"lesson": "lesson07", "checker": "check_grad_bias", "mistake": "no ReLU mask", "keywords": ["mask", "relu", "positive"], "answer": gb_no_mask},
    {"lesson": "lesson07", "checker": "check_grad_bias", "mistake": "mask >= 0 (kink counts as 1)", "keywords": ["0", "kink", "> 0", ">= 0", "exactly zero"], "answer": gb_mask_ge},
    {"lesson": "lesson07", "checker": "check_grad_bias", "mistake": "mean instead of sum", "keywords": ["sum", "mean"], "answer": gb_mean},
    {"lesson": "lesson07", "checker": "check_grad_bias", "mistake": "returns masked map (no sum)", "keywords": ["sum", "scalar", "number", "shape"], "answer": gb_array},
    {"lesson": "lesson07", "checker": "check_grad_bias", "mistake": "mask where negative", "keywords": ["mask", "positive", "negative", "sign"], "answer": gb_mask_negative},
    {"lesson": "lesson07", "checker": "check_grad_bias", "mistake": "multiplies by relu(pre_activation)", "keywords": ["mask", "1[", "indicator", "pre_activation"], "answer": gb_times_pre},
    {"lesson": "lesson07", "checker": "check_grad_bias", "mistake": "sums over axis 0 only", "keywords": ["axis", "sum", "scalar", "shape"], "answer": gb_axis0},
    {"lesson": "lesson07", "checker": "check_grad_bias", "mistake": "zeroes grad_relu in place", "keywords": ["in place", "modif", "changed", "input"], "answer": gb_inplace},
    # lesson 07 grad_input
    {"lesson": "lesson07", "checker": "check_grad_input", "mistake": "right answer", "keywords": [], "answer": gi_right},
    {"lesson": "lesson07", "checker": "check_grad_input", "mistake": "kernel not rotated", "keywords": ["180", "rotat", "flip"], "answer": gi_not_rotated},
    {"lesson": "lesson07", "checker": "check_grad_input", "mistake": "kh used for both paddings (square-only)", "keywords": ["kw", "non-square", "width", "square"], "answer": gi_square_pad},
    {"lesson": "lesson07", "checker": "check_grad_input", "mistake": "crop ring hard-coded to 1 (3x3 only)", "keywords": ["3x3", "3 × 3", "ring", "crop", "k // 2", "larger kernel"], "answer": gi_hardcoded_3},
    {"lesson": "lesson07", "checker": "check_grad_input", "mistake": "returns full (padded) gradient, ring not dropped", "keywords": ["shape", "ring", "full", "crop"], "answer": gi_full_shape},
    {"lesson": "lesson07", "checker": "check_grad_input", "mistake": "np.rot90(kernel): 90 not 180 degrees", "keywords": ["90", "rot90", "180", "twice"], "answer": gi_rot90_once},
    {"lesson": "lesson07", "checker": "check_grad_input", "mistake": "valid correlation, zero border", "keywords": ["full", "pad", "border", "edge"], "answer": gi_valid},
    {"lesson": "lesson07", "checker": "check_grad_input", "mistake": "scatter with = instead of +=", "keywords": ["+=", "accumulate", "overwrite"], "answer": gi_scatter_forgets_accumulate},
    # lesson 07 numerical_gradient
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "right answer", "keywords": [], "answer": ng_right},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "forward difference", "keywords": ["centred", "centered", "forward", "one-sided", "x - h"], "answer": ng_forward_diff},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "divides by h not 2h", "keywords": ["2h", "2 h", "factor 2", "twice"], "answer": ng_no_two},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "does not restore the entry", "keywords": ["restore", "put back", "reset"], "answer": ng_no_restore},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "nudges caller's array, leaves last entry changed", "keywords": ["in place", "modif", "changed", "restore", "input"], "answer": ng_inplace_caller},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "copy keeps integer dtype", "keywords": ["int", "dtype", "float"], "answer": ng_int_copy},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "nudges all entries at once", "keywords": ["one entry", "each entry", "at a time", "all at once"], "answer": ng_whole_array},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "returns flat vector", "keywords": ["shape", "shaped like"], "answer": ng_flat_1d},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "ignores h (fixed 1e-3)", "keywords": ["h", "step", "ignor"], "answer": ng_ignores_h},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "loops over first axis only", "keywords": ["each entry", "one entry", "row", "ndindex", "2-d"], "answer": ng_loop_rows},
    # lesson 07 backward_pass
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "right answer", "keywords": [], "answer": bp_right},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "seed's 180-degree kernel flip", "keywords": ["180", "rotat", "flip"], "answer": bp_seed_flip},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "cross-entropy dL/dz", "keywords": ["squared", "y_hat (1 - y_hat)", "cross-entropy", "sigmoid"], "answer": bp_bce},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "no ReLU mask", "keywords": ["relu", "mask", "positive"], "answer": bp_no_relu_mask},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "missing 'bias' key", "keywords": ["bias", "key"], "answer": bp_bias_missing},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "conv bias gradient 0", "keywords": ["bias"], "answer": bp_bias_zero},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "weight grad as 2-D map", "keywords": ["shape", "weight", "flat"], "answer": bp_weight_shape},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "every gradient negated", "keywords": ["sign"], "answer": bp_grad_sign},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "pool gradient spread to all 4 cells", "keywords": ["winner", "pool", "max"], "answer": bp_spread_pool},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "ignores y (always 1)", "keywords": ["y", "target", "ignor"], "answer": bp_ignores_y},
]
