"""Walker w2's answers to lessons 04-07 (right ones and wrong ones), as a learner writes them."""
import numpy as np

import cnnlab as cl

# ----------------------------------------------------------------------------------------------
# Lesson 04, exercise 1: max_pool_2d(feature_map, size, stride)
# ----------------------------------------------------------------------------------------------


def mp_right(feature_map, size, stride):
    h, w = feature_map.shape
    oh, ow = (h - size) // stride + 1, (w - size) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = feature_map[i * stride:i * stride + size, j * stride:j * stride + size].max()
    return out


def mp_ceil(feature_map, size, stride):
    # keeps the partial windows at the edge (ceil instead of floor)
    h, w = feature_map.shape
    oh, ow = -(-(h - size) // stride) + 1, -(-(w - size) // stride) + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = feature_map[i * stride:i * stride + size, j * stride:j * stride + size].max()
    return out


def mp_off_by_one(feature_map, size, stride):
    # forgets the +1 in the size formula
    h, w = feature_map.shape
    oh, ow = (h - size) // stride, (w - size) // stride
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = feature_map[i * stride:i * stride + size, j * stride:j * stride + size].max()
    return out


def mp_ignores_stride(feature_map, size, stride):
    # always steps by the window size
    return mp_right(feature_map, size, size)


def mp_no_stride_in_slice(feature_map, size, stride):
    # right output size, but windows start at (i, j) instead of (i*stride, j*stride)
    h, w = feature_map.shape
    oh, ow = (h - size) // stride + 1, (w - size) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = feature_map[i:i + size, j:j + size].max()
    return out


def mp_square_only(feature_map, size, stride):
    # uses the height for both axes
    h = feature_map.shape[0]
    oh = (h - size) // stride + 1
    out = np.zeros((oh, oh))
    for i in range(oh):
        for j in range(oh):
            out[i, j] = feature_map[i * stride:i * stride + size, j * stride:j * stride + size].max()
    return out


def mp_int_dtype(feature_map, size, stride):
    # output array of integers: values get truncated
    h, w = feature_map.shape
    oh, ow = (h - size) // stride + 1, (w - size) // stride + 1
    out = np.zeros((oh, ow), dtype=int)
    for i in range(oh):
        for j in range(ow):
            out[i, j] = feature_map[i * stride:i * stride + size, j * stride:j * stride + size].max()
    return out


def mp_library(feature_map, size, stride):
    # calls the library the exercise forbids
    return cl.max_pool(feature_map, size, stride)


def mp_returns_list(feature_map, size, stride):
    return mp_right(feature_map, size, stride).tolist()


def mp_average(feature_map, size, stride):
    # average instead of max
    h, w = feature_map.shape
    oh, ow = (h - size) // stride + 1, (w - size) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = feature_map[i * stride:i * stride + size, j * stride:j * stride + size].mean()
    return out


def mp_window_too_small(feature_map, size, stride):
    # off-by-one in the slice end: windows of size-1
    h, w = feature_map.shape
    oh, ow = (h - size) // stride + 1, (w - size) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = feature_map[i * stride:i * stride + size - 1, j * stride:j * stride + size - 1].max()
    return out


def mp_zeros_init_max(feature_map, size, stride):
    # running maximum started at 0: wrong when a whole window is negative
    h, w = feature_map.shape
    oh, ow = (h - size) // stride + 1, (w - size) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            best = 0.0
            for u in range(size):
                for v in range(size):
                    best = max(best, feature_map[i * stride + u, j * stride + v])
            out[i, j] = best
    return out


def mp_in_place(feature_map, size, stride):
    # right values but relu-ises the input in place first ("pooling comes after relu anyway")
    feature_map[feature_map < 0] = 0
    return mp_right(feature_map, size, stride)


def mp_abs_max(feature_map, size, stride):
    # takes the largest magnitude (keeps its sign)
    h, w = feature_map.shape
    oh, ow = (h - size) // stride + 1, (w - size) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            win = feature_map[i * stride:i * stride + size, j * stride:j * stride + size]
            out[i, j] = win.flat[np.argmax(np.abs(win))]
    return out


def mp_transposed(feature_map, size, stride):
    # swapped i and j when writing
    return mp_right(feature_map, size, stride).T


# ----------------------------------------------------------------------------------------------
# Lesson 04, exercise 2: max_pool_backward_2d(grad_pooled, feature_map), 2x2, stride 2
# ----------------------------------------------------------------------------------------------


def mpb_right(grad_pooled, feature_map):
    grad = np.zeros(feature_map.shape)
    ph, pw = grad_pooled.shape
    for i in range(ph):
        for j in range(pw):
            win = feature_map[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            u, v = np.unravel_index(np.argmax(win), win.shape)
            grad[2 * i + u, 2 * j + v] += grad_pooled[i, j]
    return grad


def mpb_all_ties(grad_pooled, feature_map):
    # gives the gradient to every cell equal to the maximum (all tied cells)
    grad = np.zeros(feature_map.shape)
    ph, pw = grad_pooled.shape
    for i in range(ph):
        for j in range(pw):
            win = feature_map[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            grad[2 * i:2 * i + 2, 2 * j:2 * j + 2] += (win == win.max()) * grad_pooled[i, j]
    return grad


def mpb_last_tie(grad_pooled, feature_map):
    # the LAST maximum wins a tie instead of the first
    grad = np.zeros(feature_map.shape)
    ph, pw = grad_pooled.shape
    for i in range(ph):
        for j in range(pw):
            win = feature_map[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            k = 3 - np.argmax(win.ravel()[::-1])
            u, v = divmod(k, 2)
            grad[2 * i + u, 2 * j + v] += grad_pooled[i, j]
    return grad


def mpb_spread(grad_pooled, feature_map):
    # average-pool backward: spreads grad/4 over the window
    grad = np.zeros(feature_map.shape)
    ph, pw = grad_pooled.shape
    for i in range(ph):
        for j in range(pw):
            grad[2 * i:2 * i + 2, 2 * j:2 * j + 2] += grad_pooled[i, j] / 4
    return grad


def mpb_pooled_shape(grad_pooled, feature_map):
    # returns the mask of winners times... nothing: returns grad at pooled shape
    return grad_pooled.copy()


def mpb_unravel_wrong(grad_pooled, feature_map):
    # converts the flat argmax with divmod by the map's width instead of the window's
    grad = np.zeros(feature_map.shape)
    ph, pw = grad_pooled.shape
    w = feature_map.shape[1]
    for i in range(ph):
        for j in range(pw):
            win = feature_map[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            u, v = divmod(int(np.argmax(win)), w)
            grad[2 * i + u, 2 * j + v] += grad_pooled[i, j]
    return grad


def mpb_window_offset(grad_pooled, feature_map):
    # forgot the window's offset: puts every gradient inside the top-left window
    grad = np.zeros(feature_map.shape)
    ph, pw = grad_pooled.shape
    for i in range(ph):
        for j in range(pw):
            win = feature_map[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            u, v = np.unravel_index(np.argmax(win), win.shape)
            grad[i + u, j + v] += grad_pooled[i, j]
    return grad


def mpb_library(grad_pooled, feature_map):
    _, cache = cl.max_pool_forward(feature_map)
    return cl.max_pool_backward(grad_pooled, cache)


def mpb_multiplies_by_value(grad_pooled, feature_map):
    # multiplies by the winning value (as if pooling were a product)
    grad = np.zeros(feature_map.shape)
    ph, pw = grad_pooled.shape
    for i in range(ph):
        for j in range(pw):
            win = feature_map[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            u, v = np.unravel_index(np.argmax(win), win.shape)
            grad[2 * i + u, 2 * j + v] += grad_pooled[i, j] * win[u, v]
    return grad


# ----------------------------------------------------------------------------------------------
# Lesson 05, exercise 1: forward(image, kernel, bias, weight, out_bias)
# ----------------------------------------------------------------------------------------------


def fw_right(image, kernel, bias, weight, out_bias):
    k = kernel.shape[0]
    conv = cl.conv2d(image, kernel, padding=k // 2)
    pooled = cl.max_pool(cl.relu(conv + bias), 2)
    return float(cl.sigmoid(weight @ pooled.ravel() + out_bias))


def fw_valid(image, kernel, bias, weight, out_bias):
    # forgot the padding: 'valid' convolution
    pooled = cl.max_pool(cl.relu(cl.conv2d(image, kernel) + bias), 2)
    return float(cl.sigmoid(weight[:pooled.size] @ pooled.ravel() + out_bias))


def fw_no_bias(image, kernel, bias, weight, out_bias):
    # forgot the conv bias
    conv = cl.conv2d(image, kernel, padding=kernel.shape[0] // 2)
    pooled = cl.max_pool(cl.relu(conv), 2)
    return float(cl.sigmoid(weight @ pooled.ravel() + out_bias))


def fw_bias_after_relu(image, kernel, bias, weight, out_bias):
    # adds the bias after the ReLU
    conv = cl.conv2d(image, kernel, padding=kernel.shape[0] // 2)
    pooled = cl.max_pool(cl.relu(conv) + bias, 2)
    return float(cl.sigmoid(weight @ pooled.ravel() + out_bias))


def fw_no_relu(image, kernel, bias, weight, out_bias):
    conv = cl.conv2d(image, kernel, padding=kernel.shape[0] // 2)
    pooled = cl.max_pool(conv + bias, 2)
    return float(cl.sigmoid(weight @ pooled.ravel() + out_bias))


def fw_returns_logit(image, kernel, bias, weight, out_bias):
    # forgot the sigmoid: returns z
    conv = cl.conv2d(image, kernel, padding=kernel.shape[0] // 2)
    pooled = cl.max_pool(cl.relu(conv + bias), 2)
    return float(weight @ pooled.ravel() + out_bias)


def fw_flatten_F(image, kernel, bias, weight, out_bias):
    # flattens column-major (Fortran order)
    conv = cl.conv2d(image, kernel, padding=kernel.shape[0] // 2)
    pooled = cl.max_pool(cl.relu(conv + bias), 2)
    return float(cl.sigmoid(weight @ pooled.ravel(order="F") + out_bias))


def fw_padding_1(image, kernel, bias, weight, out_bias):
    # hard-codes padding 1 (right only for 3x3 kernels)
    conv = cl.conv2d(image, kernel, padding=1)
    pooled = cl.max_pool(cl.relu(conv + bias), 2)
    return float(cl.sigmoid(weight[:pooled.size] @ pooled.ravel() + out_bias))


def fw_flipped_kernel(image, kernel, bias, weight, out_bias):
    # true convolution: flips the kernel
    conv = cl.conv2d(image, kernel[::-1, ::-1], padding=kernel.shape[0] // 2)
    pooled = cl.max_pool(cl.relu(conv + bias), 2)
    return float(cl.sigmoid(weight @ pooled.ravel() + out_bias))


def fw_avg_pool(image, kernel, bias, weight, out_bias):
    conv = cl.conv2d(image, kernel, padding=kernel.shape[0] // 2)
    pooled = cl.avg_pool(cl.relu(conv + bias), 2)
    return float(cl.sigmoid(weight @ pooled.ravel() + out_bias))


def fw_minus_out_bias(image, kernel, bias, weight, out_bias):
    conv = cl.conv2d(image, kernel, padding=kernel.shape[0] // 2)
    pooled = cl.max_pool(cl.relu(conv + bias), 2)
    return float(cl.sigmoid(weight @ pooled.ravel() - out_bias))


def fw_one_minus(image, kernel, bias, weight, out_bias):
    # returns the probability of class 0
    return 1.0 - fw_right(image, kernel, bias, weight, out_bias)


# ----------------------------------------------------------------------------------------------
# Lesson 05, exercise 2: stable_sigmoid(x)
# ----------------------------------------------------------------------------------------------


def sig_right(x):
    x = np.asarray(x, dtype=float)
    return np.exp(-np.logaddexp(0.0, -x))


def sig_naive(x):
    return 1.0 / (1.0 + np.exp(-x))


def sig_other_naive(x):
    # the e^z / (1 + e^z) form: overflows for large positive x instead
    return np.exp(x) / (1.0 + np.exp(x))


def sig_clip(x):
    # clips x to [-30, 30]: no overflow, but wrong far out
    x = np.clip(x, -30, 30)
    return 1.0 / (1.0 + np.exp(-x))


def sig_wrong_sign(x):
    return np.exp(-np.logaddexp(0.0, x))


def sig_scalar_only(x):
    # written for one number with an if: fails on arrays
    if x >= 0:
        return 1.0 / (1.0 + np.exp(-x))
    return np.exp(x) / (1.0 + np.exp(x))


def sig_list(x):
    return [float(sig_right(v)) for v in np.ravel(x)]


def sig_tanh_missing_half(x):
    # 0.5*(1+tanh(x/2)) with the /2 forgotten
    return 0.5 * (1.0 + np.tanh(np.asarray(x, dtype=float)))


def sig_where_both_branches(x):
    # np.where evaluates both branches: right values, but warns on overflow
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, 1.0 / (1.0 + np.exp(-x)), np.exp(x) / (1.0 + np.exp(x)))


def sig_in_place(x):
    # overwrites its input with the result
    x[...] = np.exp(-np.logaddexp(0.0, -x))
    return x


def sig_float32(x):
    return np.exp(-np.logaddexp(0.0, -np.asarray(x, dtype=np.float32)))


# ----------------------------------------------------------------------------------------------
# Lesson 06, exercise 1: grad_logit(y_hat, y, loss)
# ----------------------------------------------------------------------------------------------


def gl_right(y_hat, y, loss):
    y_hat, y = np.asarray(y_hat, dtype=float), np.asarray(y, dtype=float)
    if loss == "squared_error":
        return (y_hat - y) * y_hat * (1 - y_hat)
    if loss == "bce":
        return y_hat - y
    raise ValueError(f"loss must be 'squared_error' or 'bce', got {loss!r}")


def gl_swapped(y_hat, y, loss):
    # the two formulas swapped
    return gl_right(y_hat, y, "bce" if loss == "squared_error" else "squared_error")


def gl_sign(y_hat, y, loss):
    return -gl_right(y_hat, y, loss)


def gl_no_sigmoid_factor(y_hat, y, loss):
    # squared error without the sigmoid's derivative (dL/dy_hat instead of dL/dz)
    return np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)


def gl_ignores_loss(y_hat, y, loss):
    y_hat, y = np.asarray(y_hat, dtype=float), np.asarray(y, dtype=float)
    return (y_hat - y) * y_hat * (1 - y_hat)


def gl_bce_dyhat(y_hat, y, loss):
    # BCE's derivative w.r.t. y_hat instead of z
    y_hat, y = np.asarray(y_hat, dtype=float), np.asarray(y, dtype=float)
    if loss == "squared_error":
        return (y_hat - y) * y_hat * (1 - y_hat)
    return -(y / y_hat) + (1 - y) / (1 - y_hat)


def gl_wrong_sigmoid_derivative(y_hat, y, loss):
    # uses y_hat*(1+y_hat)
    y_hat, y = np.asarray(y_hat, dtype=float), np.asarray(y, dtype=float)
    if loss == "squared_error":
        return (y_hat - y) * y_hat * (1 + y_hat)
    return y_hat - y


def gl_extra_half(y_hat, y, loss):
    # keeps the 1/2 of the loss
    y_hat, y = np.asarray(y_hat, dtype=float), np.asarray(y, dtype=float)
    if loss == "squared_error":
        return 0.5 * (y_hat - y) * y_hat * (1 - y_hat)
    return y_hat - y


def gl_mean(y_hat, y, loss):
    # averages over the batch: returns one number
    return float(np.mean(gl_right(y_hat, y, loss)))


def gl_loss_value(y_hat, y, loss):
    # returns the loss itself, not its derivative
    y_hat, y = np.asarray(y_hat, dtype=float), np.asarray(y, dtype=float)
    if loss == "squared_error":
        return 0.5 * (y_hat - y) ** 2
    return -(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))


def gl_other_names(y_hat, y, loss):
    # expects "mse"/"ce" and falls through to bce otherwise
    y_hat, y = np.asarray(y_hat, dtype=float), np.asarray(y, dtype=float)
    if loss == "mse":
        return (y_hat - y) * y_hat * (1 - y_hat)
    return y_hat - y


# ----------------------------------------------------------------------------------------------
# Lesson 06, exercise 2: output_layer_grads(F, w, y_hat, y) -> (grad_w, grad_bf, grad_F)
# ----------------------------------------------------------------------------------------------


def ol_right(F, w, y_hat, y):
    n = F.shape[0]
    grad_z = (y_hat - y) * y_hat * (1 - y_hat) / n
    return F.T @ grad_z, float(grad_z.sum()), np.outer(grad_z, w)


def ol_no_mean(F, w, y_hat, y):
    # forgot the 1/N
    grad_z = (y_hat - y) * y_hat * (1 - y_hat)
    return F.T @ grad_z, float(grad_z.sum()), np.outer(grad_z, w)


def ol_bf_mean_twice(F, w, y_hat, y):
    # grad_bf = mean of grad_z (which already has 1/N): divided twice
    n = F.shape[0]
    grad_z = (y_hat - y) * y_hat * (1 - y_hat) / n
    return F.T @ grad_z, float(grad_z.mean()), np.outer(grad_z, w)


def ol_bce(F, w, y_hat, y):
    # uses the cross-entropy's dL/dz
    n = F.shape[0]
    grad_z = (y_hat - y) / n
    return F.T @ grad_z, float(grad_z.sum()), np.outer(grad_z, w)


def ol_grad_F_not_divided(F, w, y_hat, y):
    # 1/N on the parameters only, not on grad_F
    n = F.shape[0]
    gz = (y_hat - y) * y_hat * (1 - y_hat)
    return F.T @ gz / n, float(gz.sum() / n), np.outer(gz, w)


def ol_grad_w_per_image(F, w, y_hat, y):
    # returns grad_w per image (N, D) instead of summed
    n = F.shape[0]
    grad_z = (y_hat - y) * y_hat * (1 - y_hat) / n
    return F * grad_z[:, None], float(grad_z.sum()), np.outer(grad_z, w)


def ol_bf_array(F, w, y_hat, y):
    # grad_bf left as the per-image vector
    n = F.shape[0]
    grad_z = (y_hat - y) * y_hat * (1 - y_hat) / n
    return F.T @ grad_z, grad_z, np.outer(grad_z, w)


def ol_grad_F_uses_F(F, w, y_hat, y):
    # grad_F multiplied by F instead of w
    n = F.shape[0]
    grad_z = (y_hat - y) * y_hat * (1 - y_hat) / n
    return F.T @ grad_z, float(grad_z.sum()), F * grad_z[:, None]


def ol_list(F, w, y_hat, y):
    # returns a list instead of a tuple, in the order (grad_w, grad_F, grad_bf)
    gw, gb, gF = ol_right(F, w, y_hat, y)
    return [gw, gF, gb]


def ol_sign(F, w, y_hat, y):
    gw, gb, gF = ol_right(F, w, y_hat, y)
    return -gw, -gb, -gF


def ol_grad_F_transposed(F, w, y_hat, y):
    gw, gb, gF = ol_right(F, w, y_hat, y)
    return gw, gb, np.outer(w, (y_hat - y) * y_hat * (1 - y_hat) / F.shape[0])


# ----------------------------------------------------------------------------------------------
# Lesson 07, exercise 1: grad_kernel(image, grad_conv), 3x3, same padding
# ----------------------------------------------------------------------------------------------


def gk_right(image, grad_conv):
    padded = np.pad(image, 1)
    h, w = image.shape
    grad = np.zeros((3, 3))
    for u in range(3):
        for v in range(3):
            grad[u, v] = np.sum(grad_conv * padded[u:u + h, v:v + w])
    return grad


def gk_flipped(image, grad_conv):
    # the seed's bug
    return gk_right(image, grad_conv)[::-1, ::-1]


def gk_no_padding(image, grad_conv):
    # valid cross-correlation of the image with grad_conv: only works if sizes match ... crops
    h, w = image.shape
    grad = np.zeros((3, 3))
    for u in range(3):
        for v in range(3):
            grad[u, v] = np.sum(grad_conv[:h - 2, :w - 2] * image[u:u + h - 2, v:v + w - 2])
    return grad


def gk_transposed(image, grad_conv):
    return gk_right(image, grad_conv).T


def gk_overwrite(image, grad_conv):
    # '=' instead of '+=' in the patch loop: only the last patch counts
    padded = np.pad(image, 1)
    h, w = image.shape
    grad = np.zeros((3, 3))
    for i in range(h):
        for j in range(w):
            grad = grad_conv[i, j] * padded[i:i + 3, j:j + 3]
    return grad


def gk_mean(image, grad_conv):
    # divides by the number of cells
    return gk_right(image, grad_conv) / image.size


def gk_square_only(image, grad_conv):
    padded = np.pad(image, 1)
    h = image.shape[0]
    grad = np.zeros((3, 3))
    for u in range(3):
        for v in range(3):
            grad[u, v] = np.sum(grad_conv[:h, :h] * padded[u:u + h, v:v + h])
    return grad


# ----------------------------------------------------------------------------------------------
# Lesson 07, exercise 2: grad_bias(grad_relu, pre_activation)
# ----------------------------------------------------------------------------------------------


def gb_right(grad_relu, pre_activation):
    return float(np.sum(grad_relu * (pre_activation > 0)))


def gb_no_mask(grad_relu, pre_activation):
    return float(np.sum(grad_relu))


def gb_ge_zero(grad_relu, pre_activation):
    # mask >= 0 (counts exact zeros)
    return float(np.sum(grad_relu * (pre_activation >= 0)))


def gb_mean(grad_relu, pre_activation):
    return float(np.mean(grad_relu * (pre_activation > 0)))


def gb_array(grad_relu, pre_activation):
    # returns the masked map, not its sum
    return grad_relu * (pre_activation > 0)


def gb_multiplies_by_value(grad_relu, pre_activation):
    # multiplies by the ReLU output instead of its derivative
    return float(np.sum(grad_relu * np.maximum(pre_activation, 0)))


def gb_in_place(grad_relu, pre_activation):
    # zeroes the caller's grad_relu in place
    grad_relu[pre_activation <= 0] = 0
    return float(grad_relu.sum())


# ----------------------------------------------------------------------------------------------
# Lesson 07, exercise 3: grad_input(grad_conv, kernel), any odd kh x kw
# ----------------------------------------------------------------------------------------------


def gi_right(grad_conv, kernel):
    kh, kw = kernel.shape
    h, w = grad_conv.shape
    ph, pw = kh // 2, kw // 2
    grad_pad = np.zeros((h + 2 * ph, w + 2 * pw))
    for i in range(h):
        for j in range(w):
            grad_pad[i:i + kh, j:j + kw] += grad_conv[i, j] * kernel
    return grad_pad[ph:ph + h, pw:pw + w]


def gi_not_rotated(grad_conv, kernel):
    kh, kw = kernel.shape
    return cl.conv2d(grad_conv, kernel, padding=(kh // 2, kw // 2))


def gi_square_pad(grad_conv, kernel):
    # uses kh // 2 for both axes
    kh, kw = kernel.shape
    rotated = kernel[::-1, ::-1]
    return cl.conv2d(np.pad(grad_conv, kh // 2), rotated)[:, :grad_conv.shape[1]] \
        if kh >= kw else cl.conv2d(np.pad(grad_conv, kh // 2), rotated)


def gi_3x3_only(grad_conv, kernel):
    # hard-codes the 3x3 case from the lesson
    full = cl.conv2d(grad_conv, np.rot90(kernel, 2), padding=2)
    return full[1:-1, 1:-1]


def gi_flip_one_axis(grad_conv, kernel):
    # flips only the rows (np.flipud) instead of rotating 180 degrees
    kh, kw = kernel.shape
    return cl.conv2d(grad_conv, np.flipud(kernel), padding=(kh // 2, kw // 2))


def gi_no_crop(grad_conv, kernel):
    # returns the padded image's gradient (full convolution) without dropping the ring
    kh, kw = kernel.shape
    return cl.conv2d(grad_conv, np.rot90(kernel, 2), padding=(kh - 1, kw - 1))


def gi_transposed_kernel(grad_conv, kernel):
    kh, kw = kernel.shape
    return cl.conv2d(grad_conv, kernel.T, padding=(kw // 2, kh // 2)) if kh == kw else \
        cl.conv2d(grad_conv, np.rot90(kernel, 2).T.T, padding=(kh // 2, kw // 2)) * 0.5


def gi_rotated_right(grad_conv, kernel):
    # a right one with the rotated kernel (second way)
    kh, kw = kernel.shape
    return cl.conv2d(grad_conv, np.rot90(kernel, 2), padding=(kh // 2, kw // 2))


# ----------------------------------------------------------------------------------------------
# Lesson 07, exercise 4: numerical_gradient(f, x, h)
# ----------------------------------------------------------------------------------------------


def ng_right(f, x, h):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        plus = f(x)
        x[idx] = old - h
        minus = f(x)
        x[idx] = old
        grad[idx] = (plus - minus) / (2 * h)
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


def ng_missing_2(f, x, h):
    # divides by h instead of 2h
    return 2 * ng_right(f, x, h)


def ng_no_restore(f, x, h):
    # forgets to put the entry back (and modifies the caller's x)
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        plus = f(x)
        x[idx] = old - h
        minus = f(x)
        grad[idx] = (plus - minus) / (2 * h)
    return grad


def ng_flat_1d(f, x, h):
    # loops over range(len(x)): right only for 1-D x
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for k in range(len(x)):
        old = x[k].copy()
        x[k] = old + h
        plus = f(x)
        x[k] = old - h
        minus = f(x)
        x[k] = old
        grad[k] = (plus - minus) / (2 * h)
    return grad


def ng_all_at_once(f, x, h):
    # nudges every entry at once
    x = np.array(x, dtype=float)
    return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))


def ng_int_array(f, x, h):
    # keeps x's dtype: an integer x cannot take a nudge of 1e-6
    x = np.array(x)
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        plus = f(x)
        x[idx] = old - h
        minus = f(x)
        x[idx] = old
        grad[idx] = (plus - minus) / (2 * h)
    return grad


def ng_ignores_h(f, x, h):
    return ng_right(f, x, 1e-2)


def ng_sign(f, x, h):
    return -ng_right(f, x, h)


def ng_list(f, x, h):
    return ng_right(f, x, h).ravel().tolist()


# ----------------------------------------------------------------------------------------------
# Lesson 07, exercise 5: backward_pass(image, params, y)
# ----------------------------------------------------------------------------------------------


def _bp(image, params, y, flip=False, mask=True, relu_mask_ge=False, sig=True, bias_sum=True,
        route="first"):
    y_hat, cache = cl.seed_forward(image, params)
    grad_z = (y_hat - y) * (y_hat * (1 - y_hat) if sig else 1.0)
    grad_w = grad_z * cache["flat"]
    grad_out_bias = float(grad_z)
    grad_S = (grad_z * params["weight"]).reshape(cache["pooled"].shape)
    relu = cache["relu"]
    grad_R = np.zeros(relu.shape)
    ph, pw = grad_S.shape
    for i in range(ph):
        for j in range(pw):
            win = relu[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            if route == "first":
                u, v = np.unravel_index(np.argmax(win), win.shape)
                grad_R[2 * i + u, 2 * j + v] = grad_S[i, j]
            else:
                grad_R[2 * i:2 * i + 2, 2 * j:2 * j + 2] = grad_S[i, j] / 4
    pre = cache["pre_activation"]
    if mask:
        grad_C = grad_R * ((pre >= 0) if relu_mask_ge else (pre > 0))
    else:
        grad_C = grad_R
    k = params["kernel"].shape[0]
    p = k // 2
    padded = np.pad(image, p)
    h, w = image.shape
    gk = np.zeros((k, k))
    for u in range(k):
        for v in range(k):
            gk[u, v] = np.sum(grad_C * padded[u:u + h, v:v + w])
    if flip:
        gk = gk[::-1, ::-1]
    gb = float(grad_C.sum()) if bias_sum else float(grad_C.mean())
    return {"kernel": gk, "bias": gb, "weight": grad_w, "out_bias": grad_out_bias}


def bp_right(image, params, y):
    return _bp(image, params, y)


def bp_flipped(image, params, y):
    return _bp(image, params, y, flip=True)


def bp_no_relu_mask(image, params, y):
    return _bp(image, params, y, mask=False)


def bp_no_sigmoid_derivative(image, params, y):
    return _bp(image, params, y, sig=False)


def bp_bias_mean(image, params, y):
    return _bp(image, params, y, bias_sum=False)


def bp_avg_route(image, params, y):
    return _bp(image, params, y, route="spread")


def bp_missing_key(image, params, y):
    grads = _bp(image, params, y)
    grads.pop("out_bias")
    return grads


def bp_wrong_keys(image, params, y):
    g = _bp(image, params, y)
    return {"K": g["kernel"], "b": g["bias"], "w": g["weight"], "bf": g["out_bias"]}


def bp_sign(image, params, y):
    g = _bp(image, params, y)
    return {k: -np.asarray(v) for k, v in g.items()}



# ---- added after the first run: more ways learners go wrong ----


def mp_h_div_size(feature_map, size, stride):
    # output size h // size: assumes non-overlapping windows (stride == size)
    h, w = feature_map.shape
    oh, ow = h // size, w // size
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = feature_map[i * stride:i * stride + size, j * stride:j * stride + size].max()
    return out


def mpb_range_step(grad_pooled, feature_map):
    # loops over range(0, h, 2): visits the half window at an odd edge
    grad = np.zeros(feature_map.shape)
    h, w = feature_map.shape
    for i in range(0, h, 2):
        for j in range(0, w, 2):
            win = feature_map[i:i + 2, j:j + 2]
            u, v = np.unravel_index(np.argmax(win), (2, 2))
            grad[i + u, j + v] += grad_pooled[i // 2, j // 2]
    return grad


def fw_valid_crash(image, kernel, bias, weight, out_bias):
    # forgot the padding, and nothing else: the dense layer then gets too few features
    pooled = cl.max_pool(cl.relu(cl.conv2d(image, kernel) + bias), 2)
    return float(cl.sigmoid(weight @ pooled.ravel() + out_bias))


def sig_suppressed(x):
    # the naive form with the warning switched off
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def sig_int_input(x):
    # builds the output with np.zeros_like(x): an integer x gives an integer result
    out = np.zeros_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1.0 + ex)
    return out


def ol_broadcast(F, w, y_hat, y):
    # grad_F = grad_z * w: broadcasts (N,) against (D,)
    n = F.shape[0]
    grad_z = (y_hat - y) * y_hat * (1 - y_hat) / n
    return F.T @ grad_z, float(grad_z.sum()), grad_z * w


def ng_no_restore_copy(f, x, h):
    # works on a copy but never puts the entry back
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        plus = f(x)
        x[idx] = old - h
        minus = f(x)
        grad[idx] = (plus - minus) / (2 * h)
    return grad


def bp_mask_conv(image, params, y):
    # ReLU mask taken from C (before the bias) instead of C + b
    y_hat, cache = cl.seed_forward(image, params)
    g = _bp(image, params, y)
    grad_z = (y_hat - y) * y_hat * (1 - y_hat)
    grad_S = (grad_z * params["weight"]).reshape(cache["pooled"].shape)
    relu = cache["relu"]
    grad_R = np.zeros(relu.shape)
    for i in range(grad_S.shape[0]):
        for j in range(grad_S.shape[1]):
            win = relu[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            u, v = np.unravel_index(np.argmax(win), win.shape)
            grad_R[2 * i + u, 2 * j + v] = grad_S[i, j]
    grad_C = grad_R * (cache["conv"] > 0)
    k = params["kernel"].shape[0]
    padded = np.pad(image, k // 2)
    h, w = image.shape
    gk = np.array([[np.sum(grad_C * padded[u:u + h, v:v + w]) for v in range(k)] for u in range(k)])
    g.update(kernel=gk, bias=float(grad_C.sum()))
    return g


def bp_weight_2d(image, params, y):
    # weight gradient left in the pooled map's shape
    g = _bp(image, params, y)
    y_hat, cache = cl.seed_forward(image, params)
    g["weight"] = g["weight"].reshape(cache["pooled"].shape)
    return g


ANSWERS = [
    # ---- lesson 04, max pool ----
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "right answer", "keywords": [], "answer": mp_right},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "ceil instead of floor (keeps partial windows)",
     "keywords": ["floor", "partial", "left over", "dropped"], "answer": mp_ceil},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "off by one: forgot +1 in output size",
     "keywords": ["+ 1", "+1", "one row", "off by one", "too few"], "answer": mp_off_by_one},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "ignores the stride argument (steps by size)",
     "keywords": ["stride"], "answer": mp_ignores_stride},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "window start not multiplied by stride",
     "keywords": ["stride", "i * stride", "start"], "answer": mp_no_stride_in_slice},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "square-only: uses height for both axes",
     "keywords": ["width", "square", "column", "non-square"], "answer": mp_square_only},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "integer output array (dtype=int)",
     "keywords": ["int", "dtype", "float"], "answer": mp_int_dtype},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "calls cl.max_pool (forbidden)",
     "keywords": ["cl.max_pool", "yourself", "refused"], "answer": mp_library},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "returns a list",
     "keywords": ["list", "array"], "answer": mp_returns_list},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "average instead of max",
     "keywords": ["average", "mean"], "answer": mp_average},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "window slice one too short (size-1)",
     "keywords": ["size - 1", "window", "slice", "too small", "short"], "answer": mp_window_too_small},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "running max started at 0 (negative windows)",
     "keywords": ["negative", "0", "start"], "answer": mp_zeros_init_max},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "changes the input in place",
     "keywords": ["in place", "input", "modif", "changed"], "answer": mp_in_place},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "largest magnitude instead of largest value",
     "keywords": ["abs", "magnitude", "negative"], "answer": mp_abs_max},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "output transposed",
     "keywords": ["transpos", "swapped", "rows and columns"], "answer": mp_transposed},
    # ---- lesson 04, max pool backward ----
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "right answer", "keywords": [], "answer": mpb_right},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "every tied maximum gets the gradient",
     "keywords": ["tie", "first"], "answer": mpb_all_ties},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "last maximum wins a tie",
     "keywords": ["tie", "first", "last"], "answer": mpb_last_tie},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "spreads grad/4 (average-pool backward)",
     "keywords": ["average", "spread", "4", "one cell", "winner"], "answer": mpb_spread},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "returns grad at pooled shape",
     "keywords": ["shape"], "answer": mpb_pooled_shape},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "unravels argmax with the map width",
     "keywords": ["unravel", "index", "position", "window"], "answer": mpb_unravel_wrong},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "forgot the window offset 2*i",
     "keywords": ["offset", "2 * i", "stride", "window"], "answer": mpb_window_offset},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "calls cl.max_pool_backward (forbidden)",
     "keywords": ["max_pool_backward", "yourself", "refused"], "answer": mpb_library},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "multiplies by the winning value",
     "keywords": ["value", "multipl", "times"], "answer": mpb_multiplies_by_value},
    # ---- lesson 05, forward ----
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "right answer", "keywords": [], "answer": fw_right},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "no padding (valid conv)",
     "keywords": ["padding", "same"], "answer": fw_valid},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "forgot the conv bias",
     "keywords": ["bias", " b "], "answer": fw_no_bias},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "bias added after the ReLU",
     "keywords": ["before the relu", "after the relu", "order", "bias"], "answer": fw_bias_after_relu},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "no ReLU",
     "keywords": ["relu"], "answer": fw_no_relu},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "returns the logit (no sigmoid)",
     "keywords": ["sigmoid", "logit"], "answer": fw_returns_logit},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "flattens in column-major order",
     "keywords": ["flatten", "order", "ravel", "column"], "answer": fw_flatten_F},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "hard-codes padding 1 (3x3 only)",
     "keywords": ["padding", "kernel size", "5x5", "k // 2"], "answer": fw_padding_1},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "flips the kernel (true convolution)",
     "keywords": ["flip", "rotat", "180"], "answer": fw_flipped_kernel},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "average pooling instead of max",
     "keywords": ["average", "max pool", "mean"], "answer": fw_avg_pool},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "subtracts the output bias",
     "keywords": ["out_bias", "sign", "output bias", "b_f"], "answer": fw_minus_out_bias},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "returns 1 - y_hat",
     "keywords": ["1 - ", "class 0", "complement"], "answer": fw_one_minus},
    # ---- lesson 05, sigmoid ----
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "right answer", "keywords": [], "answer": sig_right},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "naive 1/(1+exp(-x))",
     "keywords": ["overflow", "naive", "-1000"], "answer": sig_naive},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "e^x/(1+e^x): overflows for large positive x",
     "keywords": ["overflow", "positive", "1000"], "answer": sig_other_naive},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "clips x to [-30, 30]",
     "keywords": ["clip", "tail", "small", "precision"], "answer": sig_clip},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "wrong sign (computes sigmoid(-x))",
     "keywords": ["sign", "-x", "1 - "], "answer": sig_wrong_sign},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "scalar-only if/else (fails on arrays)",
     "keywords": ["array", "element", "if"], "answer": sig_scalar_only},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "returns a flat list",
     "keywords": ["list", "array", "shape"], "answer": sig_list},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "tanh form missing the /2",
     "keywords": ["tanh", "factor", "x / 2", "half"], "answer": sig_tanh_missing_half},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "np.where with both branches (warns)",
     "keywords": ["where", "both", "warn", "overflow"], "answer": sig_where_both_branches},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "overwrites its input in place",
     "keywords": ["in place", "input", "modif", "changed"], "answer": sig_in_place},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "casts to float32",
     "keywords": ["float32", "dtype", "float64", "precision"], "answer": sig_float32},
    # ---- lesson 06, grad_logit ----
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "right answer", "keywords": [], "answer": gl_right},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "the two formulas swapped",
     "keywords": ["swap", "other loss", "bce", "squared"], "answer": gl_swapped},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "wrong sign (y - y_hat)",
     "keywords": ["sign", "y - y_hat"], "answer": gl_sign},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "squared error without sigmoid derivative",
     "keywords": ["y_hat (1 - y_hat)", "y_hat * (1 - y_hat)", "sigmoid", "chain"], "answer": gl_no_sigmoid_factor},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "ignores the loss argument",
     "keywords": ["loss", "bce", "argument"], "answer": gl_ignores_loss},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "BCE derivative w.r.t. y_hat, not z",
     "keywords": ["y_hat", "with respect to z", "dz", "chain"], "answer": gl_bce_dyhat},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "sigmoid derivative y_hat(1+y_hat)",
     "keywords": ["1 - y_hat", "sigmoid", "derivative"], "answer": gl_wrong_sigmoid_derivative},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "extra factor 1/2",
     "keywords": ["1/2", "half", "factor", "0.5"], "answer": gl_extra_half},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "averages to one number",
     "keywords": ["element", "shape", "mean", "scalar"], "answer": gl_mean},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "returns the loss, not its derivative",
     "keywords": ["loss itself", "derivative", "value of the loss"], "answer": gl_loss_value},
    {"lesson": "lesson06", "checker": "check_grad_logit", "mistake": "expects 'mse' name; falls through to bce",
     "keywords": ["squared_error", "name", "loss"], "answer": gl_other_names},
    # ---- lesson 06, output layer ----
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "right answer", "keywords": [], "answer": ol_right},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "forgot the 1/N",
     "keywords": ["1/n", "mean", "n times", "divide"], "answer": ol_no_mean},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "grad_bf divided by N twice",
     "keywords": ["grad_bf", "sum", "n"], "answer": ol_bf_mean_twice},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "cross-entropy dL/dz instead of squared error",
     "keywords": ["sigmoid", "y_hat (1 - y_hat)", "cross-entropy", "squared"], "answer": ol_bce},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "grad_F not divided by N",
     "keywords": ["grad_f", "1/n", "n times"], "answer": ol_grad_F_not_divided},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "grad_w per image (N, D), not summed",
     "keywords": ["shape", "sum", "grad_w", "every image"], "answer": ol_grad_w_per_image},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "grad_bf left as a vector",
     "keywords": ["grad_bf", "sum", "number", "shape"], "answer": ol_bf_array},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "grad_F uses F instead of w",
     "keywords": ["grad_f", " w", "weight"], "answer": ol_grad_F_uses_F},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "list in wrong order (w, F, bf)",
     "keywords": ["order", "tuple"], "answer": ol_list},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "all signs flipped",
     "keywords": ["sign"], "answer": ol_sign},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "grad_F transposed (D, N)",
     "keywords": ["shape", "transpos", "(n, d)"], "answer": ol_grad_F_transposed},
    # ---- lesson 07 ----
    {"lesson": "lesson07", "checker": "check_grad_kernel", "mistake": "right answer", "keywords": [], "answer": gk_right},
    {"lesson": "lesson07", "checker": "check_grad_kernel", "mistake": "kernel gradient rotated 180 (seed's bug)",
     "keywords": ["rotat", "180", "flip"], "answer": gk_flipped},
    {"lesson": "lesson07", "checker": "check_grad_kernel", "mistake": "no padding (cropped valid sum)",
     "keywords": ["pad", "border", "edge"], "answer": gk_no_padding},
    {"lesson": "lesson07", "checker": "check_grad_kernel", "mistake": "transposed",
     "keywords": ["transpos", "rows and columns", "swapped"], "answer": gk_transposed},
    {"lesson": "lesson07", "checker": "check_grad_kernel", "mistake": "overwrite instead of accumulate",
     "keywords": ["+=", "accumulate", "last patch", "overwrite"], "answer": gk_overwrite},
    {"lesson": "lesson07", "checker": "check_grad_kernel", "mistake": "divides by number of cells",
     "keywords": ["mean", "divide", "sum"], "answer": gk_mean},
    {"lesson": "lesson07", "checker": "check_grad_kernel", "mistake": "square-only (uses h for width)",
     "keywords": ["width", "square", "non-square", "column"], "answer": gk_square_only},
    {"lesson": "lesson07", "checker": "check_grad_bias", "mistake": "right answer", "keywords": [], "answer": gb_right},
    {"lesson": "lesson07", "checker": "check_grad_bias", "mistake": "no ReLU mask",
     "keywords": ["mask", "relu", "positive"], "answer": gb_no_mask},
    {"lesson": "lesson07", "checker": "check_grad_bias", "mistake": "mask >= 0 (counts exact zeros)",
     "keywords": [">= 0", "exactly 0", "zero", "> 0"], "answer": gb_ge_zero},
    {"lesson": "lesson07", "checker": "check_grad_bias", "mistake": "mean instead of sum",
     "keywords": ["mean", "sum"], "answer": gb_mean},
    {"lesson": "lesson07", "checker": "check_grad_bias", "mistake": "returns the masked map, not its sum",
     "keywords": ["sum", "number", "shape", "scalar"], "answer": gb_array},
    {"lesson": "lesson07", "checker": "check_grad_bias", "mistake": "multiplies by the ReLU output",
     "keywords": ["derivative", "mask", "value", "0 or 1"], "answer": gb_multiplies_by_value},
    {"lesson": "lesson07", "checker": "check_grad_bias", "mistake": "zeroes grad_relu in place",
     "keywords": ["in place", "modif", "changed", "input"], "answer": gb_in_place},
    {"lesson": "lesson07", "checker": "check_grad_input", "mistake": "right answer", "keywords": [], "answer": gi_right},
    {"lesson": "lesson07", "checker": "check_grad_input", "mistake": "right answer (rotated kernel + conv2d)", "keywords": [], "answer": gi_rotated_right},
    {"lesson": "lesson07", "checker": "check_grad_input", "mistake": "kernel not rotated",
     "keywords": ["rotat", "180", "flip"], "answer": gi_not_rotated},
    {"lesson": "lesson07", "checker": "check_grad_input", "mistake": "kh//2 padding on both axes",
     "keywords": ["kw", "width", "non-square", "column"], "answer": gi_square_pad},
    {"lesson": "lesson07", "checker": "check_grad_input", "mistake": "hard-coded 3x3 crop",
     "keywords": ["3x3", "any", "5x5", "kernel size", "odd"], "answer": gi_3x3_only},
    {"lesson": "lesson07", "checker": "check_grad_input", "mistake": "flips rows only (flipud)",
     "keywords": ["rotat", "180", "both axes", "flip"], "answer": gi_flip_one_axis},
    {"lesson": "lesson07", "checker": "check_grad_input", "mistake": "no crop: returns the full (padded) gradient",
     "keywords": ["crop", "ring", "shape", "pad"], "answer": gi_no_crop},
    {"lesson": "lesson07", "checker": "check_grad_input", "mistake": "transposed kernel (and junk for non-square)",
     "keywords": ["transpos", "rotat"], "answer": gi_transposed_kernel},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "right answer", "keywords": [], "answer": ng_right},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "forward difference",
     "keywords": ["centred", "centered", "forward", "x - h"], "answer": ng_forward_diff},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "divides by h instead of 2h",
     "keywords": ["2h", "2 * h", "twice", "factor"], "answer": ng_missing_2},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "does not restore the entry (changes x)",
     "keywords": ["restore", "put back", "in place", "changed", "modif"], "answer": ng_no_restore},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "1-D only loop (range(len(x)))",
     "keywords": ["2-d", "ndindex", "every entry", "shape", "1-d"], "answer": ng_flat_1d},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "nudges all entries at once",
     "keywords": ["one entry", "one at a time", "every entry"], "answer": ng_all_at_once},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "keeps integer dtype of x",
     "keywords": ["int", "dtype", "float"], "answer": ng_int_array},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "ignores h (uses 1e-2)",
     "keywords": ["h", "step"], "answer": ng_ignores_h},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "wrong sign",
     "keywords": ["sign"], "answer": ng_sign},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "returns a flat list",
     "keywords": ["list", "shape", "array"], "answer": ng_list},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "right answer", "keywords": [], "answer": bp_right},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "kernel gradient rotated 180",
     "keywords": ["rotat", "180", "flip"], "answer": bp_flipped},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "no ReLU mask",
     "keywords": ["relu", "mask"], "answer": bp_no_relu_mask},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "no sigmoid derivative",
     "keywords": ["sigmoid", "y_hat (1 - y_hat)", "y_hat * (1 - y_hat)"], "answer": bp_no_sigmoid_derivative},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "bias gradient mean instead of sum",
     "keywords": ["bias", "sum", "mean"], "answer": bp_bias_mean},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "pooling routed as average (grad/4)",
     "keywords": ["pool", "winner", "average"], "answer": bp_avg_route},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "out_bias key missing",
     "keywords": ["out_bias", "key"], "answer": bp_missing_key},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "other key names",
     "keywords": ["key", "kernel"], "answer": bp_wrong_keys},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "all signs flipped",
     "keywords": ["sign"], "answer": bp_sign},
    {"lesson": "lesson04", "checker": "check_max_pool", "mistake": "output size h // size (assumes stride == size)",
     "keywords": ["stride", "floor", "(n - size) // stride"], "answer": mp_h_div_size},
    {"lesson": "lesson04", "checker": "check_max_pool_backward", "mistake": "range(0, h, 2) visits the half window at an odd edge",
     "keywords": ["odd", "edge", "last row", "left over", "half"], "answer": mpb_range_step},
    {"lesson": "lesson05", "checker": "check_forward", "mistake": "no padding (crashes in the dense layer)",
     "keywords": ["padding", "same"], "answer": fw_valid_crash},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "naive form with np.errstate(over='ignore')",
     "keywords": ["overflow", "errstate", "warning", "naive"], "answer": sig_suppressed},
    {"lesson": "lesson05", "checker": "check_sigmoid", "mistake": "np.zeros_like(x): integer x gives integer output",
     "keywords": ["int", "dtype", "float"], "answer": sig_int_input},
    {"lesson": "lesson06", "checker": "check_output_layer", "mistake": "grad_F = grad_z * w (broadcast error)",
     "keywords": ["outer", "broadcast", "grad_z[:, none]", "(n, d)"], "answer": ol_broadcast},
    {"lesson": "lesson07", "checker": "check_numerical_gradient", "mistake": "copy but never restores the entry",
     "keywords": ["restore", "put back", "original"], "answer": ng_no_restore_copy},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "ReLU mask from C, not C + b",
     "keywords": ["c + b", "pre_activation", "bias", "mask"], "answer": bp_mask_conv},
    {"lesson": "lesson07", "checker": "check_backward_pass", "mistake": "weight gradient in pooled shape (14x14)",
     "keywords": ["shape", "flat", "weight"], "answer": bp_weight_2d},
]
