"""Walker w7's answers for lessons 05, 06 and 07 (each function written by the learner). Fourth
walk, 2026-12-08, README only, in JupyterLab 4 (Restart & Run All, then each exercise).

Each answer is written the way a learner types it, from the lesson's text; the right one
first, then the mistakes the brief names (off-by-one, wrong axis, forgot the bias, float vs
int, transposed shape) where the exercise has room for them, then others that came up."""
import numpy as np

import cnnlab as cl


# ---------------- lesson05 ex1 forward
def fw_right(image, kernel, bias, weight, out_bias):
    c = cl.conv2d(image, kernel, padding="same")
    s = cl.max_pool(cl.relu(c + bias), 2)
    return float(cl.sigmoid(s.ravel() @ weight + out_bias))
def fw_by_hand(image, kernel, bias, weight, out_bias):
    # no cnnlab at all: pad, slide, rectify, pool by reshaping, dot, sigmoid
    k = kernel.shape[0]
    p = k // 2
    padded = np.pad(image, p)
    h, w = image.shape
    c = np.array([[np.sum(padded[i:i + k, j:j + k] * kernel) for j in range(w)] for i in range(h)])
    r = np.maximum(c + bias, 0)
    s = r.reshape(h // 2, 2, w // 2, 2).max(axis=(1, 3))
    z = s.ravel() @ weight + out_bias
    return 1 / (1 + np.exp(-z))
def fw_pool_off_by_one(image, kernel, bias, weight, out_bias):
    # pooled with stride 1: windows overlap, (H-1) x (W-1) values; weights cut to fit
    r = cl.relu(cl.conv2d(image, kernel, padding="same") + bias)
    s = cl.max_pool(r, 2, stride=1)
    return float(cl.sigmoid(s.ravel()[:weight.size] @ weight + out_bias))
def fw_pool_wrong_axis(image, kernel, bias, weight, out_bias):
    # pools by reshaping, but takes the max over axes (0, 2) instead of (1, 3)
    r = cl.relu(cl.conv2d(image, kernel, padding="same") + bias)
    h, w = r.shape
    s = r.reshape(h // 2, 2, w // 2, 2).max(axis=(0, 2))
    return float(cl.sigmoid(np.resize(s.ravel(), weight.size) @ weight + out_bias))
def fw_forgot_both_biases(image, kernel, bias, weight, out_bias):
    s = cl.max_pool(cl.relu(cl.conv2d(image, kernel, padding="same")), 2)
    return float(cl.sigmoid(s.ravel() @ weight))
def fw_int_truncated(image, kernel, bias, weight, out_bias):
    # int() on the probability: always 0
    s = cl.max_pool(cl.relu(cl.conv2d(image, kernel, padding="same") + bias), 2)
    return int(cl.sigmoid(s.ravel() @ weight + out_bias))
def fw_rounded_prediction(image, kernel, bias, weight, out_bias):
    # returns the class (0.0 or 1.0), not the probability
    s = cl.max_pool(cl.relu(cl.conv2d(image, kernel, padding="same") + bias), 2)
    return float(cl.sigmoid(s.ravel() @ weight + out_bias) > 0.5)
def fw_transposed_pool(image, kernel, bias, weight, out_bias):
    s = cl.max_pool(cl.relu(cl.conv2d(image, kernel, padding="same") + bias), 2)
    return float(cl.sigmoid(s.T.ravel() @ weight + out_bias))
def fw_kernel_transposed(image, kernel, bias, weight, out_bias):
    s = cl.max_pool(cl.relu(cl.conv2d(image, kernel.T, padding="same") + bias), 2)
    return float(cl.sigmoid(s.ravel() @ weight + out_bias))
def fw_relu_after_pool(image, kernel, bias, weight, out_bias):
    s = cl.relu(cl.max_pool(cl.conv2d(image, kernel, padding="same") + bias, 2))
    return float(cl.sigmoid(s.ravel() @ weight + out_bias))
def fw_out_bias_inside_sum(image, kernel, bias, weight, out_bias):
    # adds out_bias to every pooled value before the dot product
    s = cl.max_pool(cl.relu(cl.conv2d(image, kernel, padding="same") + bias), 2)
    return float(cl.sigmoid((s.ravel() + out_bias) @ weight))
def fw_tanh(image, kernel, bias, weight, out_bias):
    s = cl.max_pool(cl.relu(cl.conv2d(image, kernel, padding="same") + bias), 2)
    return float(np.tanh(s.ravel() @ weight + out_bias))
def fw_pool_size_4(image, kernel, bias, weight, out_bias):
    # "2x2 max pool" read as pool size 4 (four cells); weights cut to fit
    s = cl.max_pool(cl.relu(cl.conv2d(image, kernel, padding="same") + bias), 4)
    return float(cl.sigmoid(s.ravel() @ weight[:s.size] + out_bias))


# ---------------- lesson05 ex2 stable_sigmoid
def sg_right(x):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, 1 / (1 + np.exp(-np.abs(x))), np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))))
def sg_logaddexp(x):
    return np.exp(-np.logaddexp(0, -np.asarray(x, dtype=float)))
def sg_float_of_array(x):
    # float() on the array: only a single number works
    x = float(x)
    return 1 / (1 + np.exp(-x)) if x >= 0 else np.exp(x) / (1 + np.exp(x))
def sg_vectorize(x):
    def one(v):
        return 1 / (1 + np.exp(-v)) if v >= 0 else np.exp(v) / (1 + np.exp(v))
    return np.vectorize(one)(x)
def sg_vectorize_int(x):
    # np.vectorize infers the output dtype from the first element; an int array -> ints?
    def one(v):
        return 1 / (1 + np.exp(-v)) if v >= 0 else np.exp(v) / (1 + np.exp(v))
    return np.vectorize(one, otypes=[int])(x)
def sg_boundary_off_by_one(x):
    # switches forms at x > 1 instead of x >= 0: the naive form is used for x in [0, 1] only,
    # which is safe, but the e^x / (1 + e^x) form for x > 1 up to 1000 overflows
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    small = x <= 1
    out[small] = 1 / (1 + np.exp(-x[small]))
    e = np.exp(x[~small])
    out[~small] = e / (1 + e)
    return out
def sg_forms_swapped(x):
    # each form used exactly where it overflows
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    neg = x < 0
    out[neg] = 1 / (1 + np.exp(-x[neg]))
    e = np.exp(x[~neg])
    out[~neg] = e / (1 + e)
    return out
def sg_flattened(x):
    x = np.asarray(x, dtype=float).ravel()
    return np.exp(-np.logaddexp(0, -x))
def sg_list(x):
    return [float(v) for v in np.exp(-np.logaddexp(0, -np.asarray(x, dtype=float))).ravel()]
def sg_one_minus(x):
    # 1 - sigmoid(-x) written with the wrong sign inside: gives sigmoid(-x)
    return 1 - np.exp(-np.logaddexp(0, -np.asarray(x, dtype=float)))
def sg_float32(x):
    return np.exp(-np.logaddexp(0, -np.asarray(x, dtype=np.float32)))


# ---------------- lesson06 ex1 grad_logit
def gl_right(y_hat, y, loss):
    if loss == "squared_error":
        return (y_hat - y) * y_hat * (1 - y_hat)
    if loss == "bce":
        return y_hat - y
    raise ValueError(f"loss must be 'squared_error' or 'bce', got {loss!r}")
def gl_slope_one_plus(y_hat, y, loss):
    # slope written y_hat (1 + y_hat)
    if loss == "bce":
        return y_hat - y
    return (y_hat - y) * y_hat * (1 + y_hat)
def gl_bce_name_typo(y_hat, y, loss):
    # "BCE" in capitals: bce falls through to the squared error
    if loss == "BCE":
        return y_hat - y
    return (y_hat - y) * y_hat * (1 - y_hat)
def gl_mean(y_hat, y, loss):
    # the mean over the batch, as in exercise 2, here where the gradient is element-wise
    g = (y_hat - y) * y_hat * (1 - y_hat) if loss == "squared_error" else y_hat - y
    return g / len(y)
def gl_summed(y_hat, y, loss):
    g = (y_hat - y) * y_hat * (1 - y_hat) if loss == "squared_error" else y_hat - y
    return g.sum()
def gl_slope_of_y(y_hat, y, loss):
    # the sigmoid's slope written with the target: y (1 - y), which is 0 for targets 0 and 1
    if loss == "bce":
        return y_hat - y
    return (y_hat - y) * y * (1 - y)
def gl_int_targets(y_hat, y, loss):
    # rounds y_hat to a class first
    y_hat = np.round(y_hat).astype(int)
    return (y_hat - y) * y_hat * (1 - y_hat) if loss == "squared_error" else y_hat - y
def gl_bce_logit_form(y_hat, y, loss):
    # differentiates log(1 + e^z) - y z but writes e^z / (1 + e^z) as y_hat / (1 - y_hat)
    if loss == "squared_error":
        return (y_hat - y) * y_hat * (1 - y_hat)
    return y_hat / (1 - y_hat) - y


# ---------------- lesson06 ex2 output_layer_grads
def ol_right(F, w, y_hat, y):
    gz = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ gz, float(gz.sum()), np.outer(gz, w)
def ol_right_list(F, w, y_hat, y):
    gz = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return [gz @ F, np.sum(gz), gz[:, None] * w[None, :]]
def ol_gradw_axis1(F, w, y_hat, y):
    gz = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return (F * gz[:, None]).sum(axis=1), float(gz.sum()), np.outer(gz, w)
def ol_forgot_bias(F, w, y_hat, y):
    gz = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ gz, np.outer(gz, w)
def ol_bias_zero(F, w, y_hat, y):
    gz = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ gz, 0.0, np.outer(gz, w)
def ol_int_N(F, w, y_hat, y):
    # integer division by N on the float array: floor
    gz = (y_hat - y) * y_hat * (1 - y_hat) // len(y)
    return F.T @ gz, float(gz.sum()), np.outer(gz, w)
def ol_gradF_transposed(F, w, y_hat, y):
    gz = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ gz, float(gz.sum()), np.outer(w, gz)
def ol_grad_w_mean_of_F(F, w, y_hat, y):
    # dL/dw = mean of dL/dz times mean of F
    gz = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return gz.sum() * F.mean(axis=0), float(gz.sum()), np.outer(gz, w)
def ol_divided_by_D(F, w, y_hat, y):
    gz = (y_hat - y) * y_hat * (1 - y_hat) / F.shape[1]
    return F.T @ gz, float(gz.sum()), np.outer(gz, w)
def ol_gradF_one_row(F, w, y_hat, y):
    # dL/dF as one row, the mean over the images
    gz = (y_hat - y) * y_hat * (1 - y_hat) / len(y)
    return F.T @ gz, float(gz.sum()), gz.sum() * w
def ol_bce_gradient(F, w, y_hat, y):
    # cross-entropy's dL/dz, not the squared error the exercise asks for
    gz = (y_hat - y) / len(y)
    return F.T @ gz, float(gz.sum()), np.outer(gz, w)


# ---------------- lesson07 ex1 grad_kernel
def gk_right(image, grad_conv):
    padded = np.pad(image, 1)
    h, w = grad_conv.shape
    out = np.zeros((3, 3))
    for u in range(3):
        for v in range(3):
            out[u, v] = np.sum(grad_conv * padded[u:u + h, v:v + w])
    return out
def gk_conv2d(image, grad_conv):
    # the cross-correlation of the padded image with dL/dC, 'valid': 3x3
    return cl.conv2d(np.pad(image, 1), grad_conv)
def gk_off_by_one_window(image, grad_conv):
    # slices u:u+h-1: drops the last row and column of every product
    padded = np.pad(image, 1)
    h, w = grad_conv.shape
    out = np.zeros((3, 3))
    for u in range(3):
        for v in range(3):
            out[u, v] = np.sum(grad_conv[:h - 1, :w - 1] * padded[u:u + h - 1, v:v + w - 1])
    return out
def gk_pad_2(image, grad_conv):
    # padding 2 (k - 1), then the first 3x3 of the result
    padded = np.pad(image, 2)
    h, w = grad_conv.shape
    return np.array([[np.sum(grad_conv * padded[u:u + h, v:v + w]) for v in range(3)] for u in range(3)])
def gk_image_only(image, grad_conv):
    # forgets to multiply by dL/dC: sums the patches
    padded = np.pad(image, 1)
    h, w = image.shape
    return np.array([[np.sum(padded[u:u + h, v:v + w]) for v in range(3)] for u in range(3)])
def gk_int_zeros(image, grad_conv):
    padded = np.pad(image, 1)
    h, w = grad_conv.shape
    out = np.zeros((3, 3), dtype=int)
    for u in range(3):
        for v in range(3):
            out[u, v] = np.sum(grad_conv * padded[u:u + h, v:v + w])
    return out
def gk_image_and_grad_swapped(image, grad_conv):
    # pads dL/dC instead of the image
    padded = np.pad(grad_conv, 1)
    h, w = image.shape
    return np.array([[np.sum(image * padded[u:u + h, v:v + w]) for v in range(3)] for u in range(3)])
def gk_summed_over_kernel(image, grad_conv):
    # adds the bias's gradient into every tap
    return gk_right(image, grad_conv) + grad_conv.sum()


# ---------------- lesson07 ex2 grad_bias
def gb_right(grad_relu, pre_activation):
    return float(np.sum(grad_relu[pre_activation > 0]))
def gb_sum_axis0(grad_relu, pre_activation):
    return np.sum(grad_relu * (pre_activation > 0), axis=0)
def gb_int(grad_relu, pre_activation):
    return int(np.sum(grad_relu * (pre_activation > 0)))
def gb_mask_of_grad(grad_relu, pre_activation):
    # masks where the gradient is positive, not where C + b is
    return float(np.sum(grad_relu[grad_relu > 0]))
def gb_relu_of_pre(grad_relu, pre_activation):
    # multiplies by ReLU(C + b) itself
    return float(np.sum(grad_relu * np.maximum(pre_activation, 0)))
def gb_mask_inverted(grad_relu, pre_activation):
    return float(np.sum(grad_relu[pre_activation < 0]))
def gb_count(grad_relu, pre_activation):
    # counts the active cells
    return float(np.sum(pre_activation > 0))
def gb_array0d(grad_relu, pre_activation):
    return np.array([np.sum(grad_relu * (pre_activation > 0))])


# ---------------- lesson07 ex3 grad_input
def gi_right(grad_conv, kernel):
    kh, kw = kernel.shape
    padded = np.pad(grad_conv, ((kh // 2, kh // 2), (kw // 2, kw // 2)))
    return cl.conv2d(padded, kernel[::-1, ::-1])
def gi_full_then_crop(grad_conv, kernel):
    # the lesson's recipe: full convolution with padding k - 1, then drop the ring
    kh, kw = kernel.shape
    full = cl.conv2d(np.pad(grad_conv, ((kh - 1, kh - 1), (kw - 1, kw - 1))), np.rot90(kernel, 2))
    return full[kh // 2:kh // 2 + grad_conv.shape[0], kw // 2:kw // 2 + grad_conv.shape[1]]
def gi_crop_off_by_one(grad_conv, kernel):
    # drops one row/column too many at the start (kh // 2 + 1)
    kh, kw = kernel.shape
    full = cl.conv2d(np.pad(grad_conv, ((kh - 1, kh - 1), (kw - 1, kw - 1))), np.rot90(kernel, 2))
    a, b = kh // 2 + 1, kw // 2 + 1
    return np.pad(full[a:a + grad_conv.shape[0], b:b + grad_conv.shape[1]],
                  ((0, max(0, grad_conv.shape[0] - full[a:a + grad_conv.shape[0]].shape[0])),
                   (0, max(0, grad_conv.shape[1] - full[:, b:b + grad_conv.shape[1]].shape[1]))))
def gi_no_crop(grad_conv, kernel):
    # returns the padded image's gradient (H + kh - 1, W + kw - 1)
    kh, kw = kernel.shape
    return cl.conv2d(np.pad(grad_conv, ((kh - 1, kh - 1), (kw - 1, kw - 1))), np.rot90(kernel, 2))
def gi_pads_swapped(grad_conv, kernel):
    # pads rows by kw // 2 and columns by kh // 2
    kh, kw = kernel.shape
    padded = np.pad(grad_conv, ((kw // 2, kw // 2), (kh // 2, kh // 2)))
    out = cl.conv2d(padded, kernel[::-1, ::-1])
    h, w = grad_conv.shape
    res = np.zeros((h, w))
    res[:min(h, out.shape[0]), :min(w, out.shape[1])] = out[:h, :w]
    return res
def gi_rot90_once(grad_conv, kernel):
    # np.rot90(kernel) is 90 degrees, not 180; for a non-square kernel it also changes shape
    kh, kw = kernel.shape
    k = np.rot90(kernel)
    padded = np.pad(grad_conv, ((k.shape[0] // 2,) * 2, (k.shape[1] // 2,) * 2))
    return cl.conv2d(padded, k)
def gi_scatter_transposed(grad_conv, kernel):
    # scatter version that writes kernel.T into each patch
    kh, kw = kernel.shape
    h, w = grad_conv.shape
    padded = np.zeros((h + kh - 1, w + kw - 1))
    kt = kernel.T if kh == kw else kernel[::-1, ::-1]
    for i in range(h):
        for j in range(w):
            padded[i:i + kh, j:j + kw] += grad_conv[i, j] * kt
    return padded[kh // 2:kh // 2 + h, kw // 2:kw // 2 + w]
def gi_int_result(grad_conv, kernel):
    return gi_right(grad_conv, kernel).astype(int)
def gi_transposed_output(grad_conv, kernel):
    return gi_right(grad_conv.T, kernel.T)


# ---------------- lesson07 ex4 numerical_gradient
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
def ng_flat_view(f, x, h):
    # works on a flat copy and reshapes at the end
    x = np.array(x, dtype=float)
    flat = x.reshape(-1)
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        up = f(x)
        flat[i] = old - h
        down = f(x)
        flat[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad.reshape(x.shape)
def ng_off_by_one(f, x, h):
    # range(x.size - 1): forgets the last entry
    x = np.array(x, dtype=float)
    flat = x.reshape(-1)
    grad = np.zeros(flat.size)
    for i in range(flat.size - 1):
        old = flat[i]
        flat[i] = old + h
        up = f(x)
        flat[i] = old - h
        down = f(x)
        flat[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad.reshape(x.shape)
def ng_int_copy(f, x, h):
    # np.array(x) keeps an integer x integer: x + h rounds back to x
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
def ng_all_at_once(f, x, h):
    # nudges every entry at once: one directional derivative, spread over the shape
    x = np.asarray(x, dtype=float)
    return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))
def ng_sign(f, x, h):
    return -ng_right(f, x, h)
def ng_h_squared(f, x, h):
    # divides by 2h^2
    return ng_right(f, x, h) / h
def ng_transposed(f, x, h):
    return ng_right(f, x, h).T


# ---------------- lesson07 ex5 backward_pass
def _bp(image, params, y, *, mask=True, pool_route=True, flat_order="C", bias_sum=True,
        kernel_pad=None, grad_z=None, weight_from=None):
    y_hat, cache = cl.seed_forward(image, params)
    gz = (y_hat - y) * y_hat * (1 - y_hat) if grad_z is None else grad_z(y_hat, y)
    g = {"out_bias": float(gz), "weight": gz * (cache["flat"] if weight_from is None else weight_from(cache))}
    pooled = cache["pooled"]
    grad_pooled = (gz * params["weight"]).reshape(pooled.shape, order=flat_order)
    relu = cache["relu"]
    grad_relu = np.zeros_like(relu)
    H, W = pooled.shape
    for i in range(H):
        for j in range(W):
            win = relu[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            if pool_route:
                a, b = np.unravel_index(np.argmax(win), win.shape)
                grad_relu[2 * i + a, 2 * j + b] = grad_pooled[i, j]
            else:
                grad_relu[2 * i:2 * i + 2, 2 * j:2 * j + 2] = grad_pooled[i, j] / 4
    grad_conv = grad_relu * (cache["pre_activation"] > 0) if mask else grad_relu
    g["bias"] = float(grad_conv.sum()) if bias_sum else float(grad_conv.mean())
    k = params["kernel"].shape[0]
    pad = k // 2 if kernel_pad is None else kernel_pad
    padded = np.pad(image, pad)
    h, w = padded.shape[0] - k + 1, padded.shape[1] - k + 1
    grad_conv = grad_conv[(k // 2 - pad):, (k // 2 - pad):][:h, :w]
    g["kernel"] = np.array([[np.sum(grad_conv * padded[u:u + h, v:v + w]) for v in range(k)]
                            for u in range(k)])
    return g
def bp_right(image, params, y):
    return _bp(image, params, y)
def bp_with_layers(image, params, y):
    # with cnnlab's layer functions, as the exercise allows
    y_hat, cache = cl.seed_forward(image, params)
    gz = (y_hat - y) * y_hat * (1 - y_hat)
    grad_pooled = (gz * params["weight"]).reshape(cache["pooled"].shape)
    _, pool_cache = cl.max_pool_forward(cache["relu"])
    grad_relu = cl.max_pool_backward(grad_pooled, pool_cache)
    grad_conv = grad_relu * (cache["pre_activation"] > 0)
    grad_kernel = cl.conv2d(np.pad(image, params["kernel"].shape[0] // 2), grad_conv)
    return {"kernel": grad_kernel, "bias": float(grad_conv.sum()),
            "weight": gz * cache["flat"], "out_bias": float(gz)}
def bp_flatten_F(image, params, y):
    # reshapes dL/df column by column
    return _bp(image, params, y, flat_order="F")
def bp_pool_spread(image, params, y):
    # spreads each window's gradient over its four cells (average pooling's backward)
    return _bp(image, params, y, pool_route=False)
def bp_bias_mean(image, params, y):
    return _bp(image, params, y, bias_sum=False)
def bp_kernel_pad0(image, params, y):
    # the kernel's gradient from the unpadded image (the cells near the edge shift by one)
    return _bp(image, params, y, kernel_pad=0)
def bp_bce(image, params, y):
    # cross-entropy's dL/dz, not the squared error's
    return _bp(image, params, y, grad_z=lambda y_hat, y: y_hat - y)
def bp_weight_from_pooled_2d(image, params, y):
    # dL/dw keeps the pooled map's 2-D shape
    return _bp(image, params, y, weight_from=lambda cache: cache["pooled"])
def bp_weight_from_relu(image, params, y):
    # dL/dw from the ReLU map before pooling, cut to size
    return _bp(image, params, y, weight_from=lambda cache: cache["relu"].ravel()[:cache["flat"].size])
def bp_int_out_bias(image, params, y):
    g = _bp(image, params, y)
    g["out_bias"] = int(g["out_bias"])
    return g
def bp_kernel_transposed(image, params, y):
    g = _bp(image, params, y)
    g["kernel"] = g["kernel"].T
    return g
def bp_keys_renamed(image, params, y):
    g = _bp(image, params, y)
    return {"K": g["kernel"], "b": g["bias"], "w": g["weight"], "bf": g["out_bias"]}


R = "right"
ANSWERS = [
 # lesson 05, exercise 1
 dict(lesson="lesson05", checker="check_forward", mistake=R, keywords=[], answer=fw_right),
 dict(lesson="lesson05", checker="check_forward", mistake="right, by hand without cnnlab (numpy float64 returned)", keywords=[], answer=fw_by_hand),
 dict(lesson="lesson05", checker="check_forward", mistake="pool with stride 1 (off by one window step)", keywords=["stride"], answer=fw_pool_off_by_one),
 dict(lesson="lesson05", checker="check_forward", mistake="pool by reshape, max over the wrong axes (0, 2)", keywords=["axis", "axes"], answer=fw_pool_wrong_axis),
 dict(lesson="lesson05", checker="check_forward", mistake="forgot both biases", keywords=["bias"], answer=fw_forgot_both_biases),
 dict(lesson="lesson05", checker="check_forward", mistake="int() of the probability", keywords=["int", "float"], answer=fw_int_truncated),
 dict(lesson="lesson05", checker="check_forward", mistake="returns the class 0/1, not the probability", keywords=["probability", "0.5", "class"], answer=fw_rounded_prediction),
 dict(lesson="lesson05", checker="check_forward", mistake="pooled map transposed before flattening", keywords=["transpos", "row by row", "column"], answer=fw_transposed_pool),
 dict(lesson="lesson05", checker="check_forward", mistake="kernel transposed", keywords=["transpos"], answer=fw_kernel_transposed),
 dict(lesson="lesson05", checker="check_forward", mistake="not a mistake: ReLU after the pool (max pooling and the ReLU commute: both keep order)", keywords=[], answer=fw_relu_after_pool),
 dict(lesson="lesson05", checker="check_forward", mistake="out_bias added to every feature before the dot product", keywords=["out_bias", "once"], answer=fw_out_bias_inside_sum),
 dict(lesson="lesson05", checker="check_forward", mistake="tanh instead of the sigmoid", keywords=["tanh", "sigmoid"], answer=fw_tanh),
 dict(lesson="lesson05", checker="check_forward", mistake="pool size 4 for '2x2'", keywords=["2x2", "size 2", "pool"], answer=fw_pool_size_4),
 # lesson 05, exercise 2
 dict(lesson="lesson05", checker="check_sigmoid", mistake=R, keywords=[], answer=sg_right),
 dict(lesson="lesson05", checker="check_sigmoid", mistake="right, with np.logaddexp", keywords=[], answer=sg_logaddexp),
 dict(lesson="lesson05", checker="check_sigmoid", mistake="float(x): one number only", keywords=["array", "shape", "float("], answer=sg_float_of_array),
 dict(lesson="lesson05", checker="check_sigmoid", mistake="right, np.vectorize of the two-form scalar version", keywords=[], answer=sg_vectorize),
 dict(lesson="lesson05", checker="check_sigmoid", mistake="np.vectorize with otypes=[int]", keywords=["int", "float", "dtype"], answer=sg_vectorize_int),
 dict(lesson="lesson05", checker="check_sigmoid", mistake="forms switched at x > 1 instead of x >= 0 (off by one)", keywords=["overflow", "x >= 0", "0"], answer=sg_boundary_off_by_one),
 dict(lesson="lesson05", checker="check_sigmoid", mistake="each form used where it overflows", keywords=["overflow", "swap", "each form"], answer=sg_forms_swapped),
 dict(lesson="lesson05", checker="check_sigmoid", mistake="flattens the array (2-D comes back 1-D)", keywords=["shape"], answer=sg_flattened),
 dict(lesson="lesson05", checker="check_sigmoid", mistake="returns a list", keywords=["list", "array"], answer=sg_list),
 dict(lesson="lesson05", checker="check_sigmoid", mistake="1 - sigmoid(x): the mirror image", keywords=["sign", "-x", "mirror", "1 -"], answer=sg_one_minus),
 dict(lesson="lesson05", checker="check_sigmoid", mistake="computes in float32", keywords=["float32", "float64", "dtype"], answer=sg_float32),
 # lesson 06, exercise 1
 dict(lesson="lesson06", checker="check_grad_logit", mistake=R, keywords=[], answer=gl_right),
 dict(lesson="lesson06", checker="check_grad_logit", mistake="sigmoid slope as y_hat (1 + y_hat)", keywords=["1 - y_hat", "slope"], answer=gl_slope_one_plus),
 dict(lesson="lesson06", checker="check_grad_logit", mistake="compares with 'BCE' (capitals): bce falls to squared error", keywords=["bce", "name"], answer=gl_bce_name_typo),
 dict(lesson="lesson06", checker="check_grad_logit", mistake="divides by N (mean) in an element-wise gradient", keywords=["N", "element-wise", "mean"], answer=gl_mean),
 dict(lesson="lesson06", checker="check_grad_logit", mistake="sums over the elements (wrong axis: none asked)", keywords=["element-wise", "sum", "shape"], answer=gl_summed),
 dict(lesson="lesson06", checker="check_grad_logit", mistake="sigmoid slope written with the target, y (1 - y)", keywords=["y_hat (1 - y_hat)", "target"], answer=gl_slope_of_y),
 dict(lesson="lesson06", checker="check_grad_logit", mistake="rounds y_hat to an int class first", keywords=["int", "round", "float"], answer=gl_int_targets),
 dict(lesson="lesson06", checker="check_grad_logit", mistake="bce: y_hat / (1 - y_hat) - y (e^z written wrongly)", keywords=["y_hat - y", "bce"], answer=gl_bce_logit_form),
 # lesson 06, exercise 2
 dict(lesson="lesson06", checker="check_output_layer", mistake=R, keywords=[], answer=ol_right),
 dict(lesson="lesson06", checker="check_output_layer", mistake="right, as a list, gz @ F and np.sum (numpy float)", keywords=[], answer=ol_right_list),
 dict(lesson="lesson06", checker="check_output_layer", mistake="grad_w summed over axis 1 (per image, not per feature)", keywords=["axis", "shape", "grad_w"], answer=ol_gradw_axis1),
 dict(lesson="lesson06", checker="check_output_layer", mistake="forgot grad_bf (two values returned)", keywords=["three", "grad_bf"], answer=ol_forgot_bias),
 dict(lesson="lesson06", checker="check_output_layer", mistake="grad_bf left at 0", keywords=["grad_bf", "bf", "sum"], answer=ol_bias_zero),
 dict(lesson="lesson06", checker="check_output_layer", mistake="// N (floor division) instead of / N", keywords=["//", "floor", "/ N"], answer=ol_int_N),
 dict(lesson="lesson06", checker="check_output_layer", mistake="grad_F transposed, np.outer(w, gz)", keywords=["transpos", "shape", "(N, D)"], answer=ol_gradF_transposed),
 dict(lesson="lesson06", checker="check_output_layer", mistake="grad_w = sum(gz) * mean(F)", keywords=["each image", "F.T", "own"], answer=ol_grad_w_mean_of_F),
 dict(lesson="lesson06", checker="check_output_layer", mistake="divides by D (features) instead of N (images)", keywords=["N", "images", "D"], answer=ol_divided_by_D),
 dict(lesson="lesson06", checker="check_output_layer", mistake="grad_F as one row (D,), summed over images", keywords=["shape", "(N, D)", "each image"], answer=ol_gradF_one_row),
 dict(lesson="lesson06", checker="check_output_layer", mistake="cross-entropy's dL/dz (y_hat - y), not squared error", keywords=["squared error", "y_hat (1 - y_hat)", "cross-entropy"], answer=ol_bce_gradient),
 # lesson 07, exercise 1
 dict(lesson="lesson07", checker="check_grad_kernel", mistake=R, keywords=[], answer=gk_right),
 dict(lesson="lesson07", checker="check_grad_kernel", mistake="right, with cl.conv2d(padded image, dL/dC)", keywords=[], answer=gk_conv2d),
 dict(lesson="lesson07", checker="check_grad_kernel", mistake="slices u:u+h-1 (off by one: last row and column dropped)", keywords=["last", "row", "off by one"], answer=gk_off_by_one_window),
 dict(lesson="lesson07", checker="check_grad_kernel", mistake="pads the image by 2", keywords=["pad", "1"], answer=gk_pad_2),
 dict(lesson="lesson07", checker="check_grad_kernel", mistake="forgot to multiply by dL/dC", keywords=["grad_conv", "dL/dC", "multipl"], answer=gk_image_only),
 dict(lesson="lesson07", checker="check_grad_kernel", mistake="int array for the result (float vs int)", keywords=["int", "float", "dtype"], answer=gk_int_zeros),
 dict(lesson="lesson07", checker="check_grad_kernel", mistake="pads dL/dC instead of the image", keywords=["pad", "image"], answer=gk_image_and_grad_swapped),
 dict(lesson="lesson07", checker="check_grad_kernel", mistake="adds the bias's gradient to every tap", keywords=["bias", "sum"], answer=gk_summed_over_kernel),
 # lesson 07, exercise 2
 dict(lesson="lesson07", checker="check_grad_bias", mistake=R, keywords=[], answer=gb_right),
 dict(lesson="lesson07", checker="check_grad_bias", mistake="summed over axis 0 only (wrong axis: a row of sums)", keywords=["every cell", "axis", "number"], answer=gb_sum_axis0),
 dict(lesson="lesson07", checker="check_grad_bias", mistake="int() of the sum", keywords=["int", "float"], answer=gb_int),
 dict(lesson="lesson07", checker="check_grad_bias", mistake="mask from the gradient's sign, not from C + b", keywords=["pre_activation", "C + b"], answer=gb_mask_of_grad),
 dict(lesson="lesson07", checker="check_grad_bias", mistake="times ReLU(C + b) instead of the 0/1 mask", keywords=["mask", "0 or 1", "1"], answer=gb_relu_of_pre),
 dict(lesson="lesson07", checker="check_grad_bias", mistake="mask inverted (< 0)", keywords=["> 0", "positive", "inverted"], answer=gb_mask_inverted),
 dict(lesson="lesson07", checker="check_grad_bias", mistake="counts the active cells (forgot the gradient)", keywords=["grad_relu", "gradient", "count"], answer=gb_count),
 dict(lesson="lesson07", checker="check_grad_bias", mistake="a 1-element array np.array([sum])", keywords=["number", "shape"], answer=gb_array0d),
 # lesson 07, exercise 3
 dict(lesson="lesson07", checker="check_grad_input", mistake=R, keywords=[], answer=gi_right),
 dict(lesson="lesson07", checker="check_grad_input", mistake="right, the lesson's full convolution then crop", keywords=[], answer=gi_full_then_crop),
 dict(lesson="lesson07", checker="check_grad_input", mistake="crop starts one too far (kh // 2 + 1)", keywords=["kh // 2", "off by one", "crop", "shift"], answer=gi_crop_off_by_one),
 dict(lesson="lesson07", checker="check_grad_input", mistake="no crop: the padded image's gradient", keywords=["shape", "crop", "ring", "padding"], answer=gi_no_crop),
 dict(lesson="lesson07", checker="check_grad_input", mistake="row and column paddings swapped (kw // 2 for rows)", keywords=["kh", "kw", "rows", "columns"], answer=gi_pads_swapped),
 dict(lesson="lesson07", checker="check_grad_input", mistake="np.rot90 once (90 degrees, not 180)", keywords=["180", "rot90", "twice", "90"], answer=gi_rot90_once),
 dict(lesson="lesson07", checker="check_grad_input", mistake="scatter with kernel.T (for square kernels)", keywords=["transpos", "kernel itself", "rotat"], answer=gi_scatter_transposed),
 dict(lesson="lesson07", checker="check_grad_input", mistake="int result (float vs int)", keywords=["int", "float", "dtype"], answer=gi_int_result),
 dict(lesson="lesson07", checker="check_grad_input", mistake="transposed output (worked on grad_conv.T)", keywords=["transpos", "shape"], answer=gi_transposed_output),
 # lesson 07, exercise 4
 dict(lesson="lesson07", checker="check_numerical_gradient", mistake=R, keywords=[], answer=ng_right),
 dict(lesson="lesson07", checker="check_numerical_gradient", mistake="right, through a flat view of a float copy", keywords=[], answer=ng_flat_view),
 dict(lesson="lesson07", checker="check_numerical_gradient", mistake="range(x.size - 1): the last entry forgotten (off by one)", keywords=["last", "every entry"], answer=ng_off_by_one),
 dict(lesson="lesson07", checker="check_numerical_gradient", mistake="np.array(x) keeps an int x int: the nudge rounds away", keywords=["int", "float"], answer=ng_int_copy),
 dict(lesson="lesson07", checker="check_numerical_gradient", mistake="nudges every entry at once", keywords=["one entry", "one at a time", "every entry"], answer=ng_all_at_once),
 dict(lesson="lesson07", checker="check_numerical_gradient", mistake="sign flipped ((f(x-h) - f(x+h)))", keywords=["sign"], answer=ng_sign),
 dict(lesson="lesson07", checker="check_numerical_gradient", mistake="divides by 2h^2", keywords=["2h", "2 * h", "h"], answer=ng_h_squared),
 dict(lesson="lesson07", checker="check_numerical_gradient", mistake="transposed result", keywords=["transpos", "shape"], answer=ng_transposed),
 # lesson 07, exercise 5
 dict(lesson="lesson07", checker="check_backward_pass", mistake=R, keywords=[], answer=bp_right),
 dict(lesson="lesson07", checker="check_backward_pass", mistake="right, with cnnlab's layer functions", keywords=[], answer=bp_with_layers),
 dict(lesson="lesson07", checker="check_backward_pass", mistake="dL/df reshaped column by column (order F)", keywords=["row by row", "order", "reshape"], answer=bp_flatten_F),
 dict(lesson="lesson07", checker="check_backward_pass", mistake="pool gradient spread over the window (/4)", keywords=["winner", "max", "one cell"], answer=bp_pool_spread),
 dict(lesson="lesson07", checker="check_backward_pass", mistake="bias gradient as the mean of dL/dC", keywords=["sum", "mean"], answer=bp_bias_mean),
 dict(lesson="lesson07", checker="check_backward_pass", mistake="kernel gradient from the unpadded image", keywords=["pad", "same"], answer=bp_kernel_pad0),
 dict(lesson="lesson07", checker="check_backward_pass", mistake="cross-entropy's dL/dz", keywords=["squared error", "y_hat (1 - y_hat)"], answer=bp_bce),
 dict(lesson="lesson07", checker="check_backward_pass", mistake="weight gradient kept 2-D (the pooled map's shape)", keywords=["shape", "flat", "weight"], answer=bp_weight_from_pooled_2d),
 dict(lesson="lesson07", checker="check_backward_pass", mistake="weight gradient from the ReLU map (before pooling)", keywords=["flat", "pooled"], answer=bp_weight_from_relu),
 dict(lesson="lesson07", checker="check_backward_pass", mistake="int() of out_bias", keywords=["int", "float", "out_bias"], answer=bp_int_out_bias),
 dict(lesson="lesson07", checker="check_backward_pass", mistake="kernel gradient transposed", keywords=["transpos", "kernel"], answer=bp_kernel_transposed),
 dict(lesson="lesson07", checker="check_backward_pass", mistake="keys renamed (K, b, w, bf)", keywords=["key", "kernel", "params"], answer=bp_keys_renamed),
]
