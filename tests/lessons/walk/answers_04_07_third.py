"""Walker u2: answers for lessons 04-07 (right ones first, then learner mistakes). Third walk, 2026-12-07."""
import math
import numpy as np
import cnnlab as cl

# ---------------- lesson04.check_max_pool ----------------
def mp_right(feature_map, size, stride):
    H, W = feature_map.shape
    oh, ow = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = feature_map[i*stride:i*stride+size, j*stride:j*stride+size].max()
    return out

def mp_off_by_one(feature_map, size, stride):
    H, W = feature_map.shape
    oh, ow = (H - size) // stride, (W - size) // stride
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = feature_map[i*stride:i*stride+size, j*stride:j*stride+size].max()
    return out

def mp_ceil(feature_map, size, stride):
    H, W = feature_map.shape
    oh, ow = -(-(H - size) // stride) + 1, -(-(W - size) // stride) + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = feature_map[i*stride:i*stride+size, j*stride:j*stride+size].max()
    return out

def mp_ignore_stride(feature_map, size, stride):
    return mp_right(feature_map, size, size)

def mp_mean(feature_map, size, stride):
    H, W = feature_map.shape
    oh, ow = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = feature_map[i*stride:i*stride+size, j*stride:j*stride+size].mean()
    return out

def mp_list(feature_map, size, stride):
    return mp_right(feature_map, size, stride).tolist()

def mp_square_only(feature_map, size, stride):
    H = feature_map.shape[0]
    n = (H - size) // stride + 1
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            out[i, j] = feature_map[i*stride:i*stride+size, j*stride:j*stride+size].max()
    return out

def mp_int_dtype(feature_map, size, stride):
    H, W = feature_map.shape
    oh, ow = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((oh, ow), dtype=int)
    for i in range(oh):
        for j in range(ow):
            out[i, j] = feature_map[i*stride:i*stride+size, j*stride:j*stride+size].max()
    return out

def mp_transposed(feature_map, size, stride):
    return mp_right(feature_map, size, stride).T

def mp_inplace(feature_map, size, stride):
    out = mp_right(feature_map, size, stride)
    np.maximum(feature_map, 0, out=feature_map)   # "ReLU first" in place
    return out

def mp_zero_init(feature_map, size, stride):
    # keeps a running max starting from 0: wrong for all-negative windows
    H, W = feature_map.shape
    oh, ow = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            best = 0.0
            for a in range(size):
                for b in range(size):
                    best = max(best, feature_map[i*stride+a, j*stride+b])
            out[i, j] = best
    return out

# ---------------- lesson04.check_max_pool_backward ----------------
def mpb_right(grad_pooled, feature_map):
    grad = np.zeros(feature_map.shape)
    ph, pw = grad_pooled.shape
    for i in range(ph):
        for j in range(pw):
            win = feature_map[2*i:2*i+2, 2*j:2*j+2]
            a, b = np.unravel_index(np.argmax(win), win.shape)
            grad[2*i+a, 2*j+b] = grad_pooled[i, j]
    return grad

def mpb_all_cells(grad_pooled, feature_map):
    grad = np.zeros(feature_map.shape)
    ph, pw = grad_pooled.shape
    for i in range(ph):
        for j in range(pw):
            grad[2*i:2*i+2, 2*j:2*j+2] = grad_pooled[i, j]
    return grad

def mpb_avg(grad_pooled, feature_map):
    return mpb_all_cells(grad_pooled, feature_map) / 4

def mpb_all_ties(grad_pooled, feature_map):
    grad = np.zeros(feature_map.shape)
    ph, pw = grad_pooled.shape
    for i in range(ph):
        for j in range(pw):
            win = feature_map[2*i:2*i+2, 2*j:2*j+2]
            grad[2*i:2*i+2, 2*j:2*j+2] = (win == win.max()) * grad_pooled[i, j]
    return grad

def mpb_argmin(grad_pooled, feature_map):
    grad = np.zeros(feature_map.shape)
    ph, pw = grad_pooled.shape
    for i in range(ph):
        for j in range(pw):
            win = feature_map[2*i:2*i+2, 2*j:2*j+2]
            a, b = np.unravel_index(np.argmin(win), win.shape)
            grad[2*i+a, 2*j+b] = grad_pooled[i, j]
    return grad

def mpb_pooled_shape(grad_pooled, feature_map):
    ph, pw = grad_pooled.shape
    return mpb_right(grad_pooled, feature_map)[:2*ph, :2*pw] if feature_map.shape[0] % 2 else \
        mpb_right(grad_pooled, feature_map[:2*ph, :2*pw])[:2*ph, :2*pw]

def mpb_divmod_wrong(grad_pooled, feature_map):
    # unravels the argmax as (col, row)
    grad = np.zeros(feature_map.shape)
    ph, pw = grad_pooled.shape
    for i in range(ph):
        for j in range(pw):
            win = feature_map[2*i:2*i+2, 2*j:2*j+2]
            b, a = divmod(int(np.argmax(win)), 2)
            grad[2*i+a, 2*j+b] = grad_pooled[i, j]
    return grad

def mpb_uses_grad_value(grad_pooled, feature_map):
    # puts the feature map's max (not the gradient) in the cell
    grad = np.zeros(feature_map.shape)
    ph, pw = grad_pooled.shape
    for i in range(ph):
        for j in range(pw):
            win = feature_map[2*i:2*i+2, 2*j:2*j+2]
            a, b = np.unravel_index(np.argmax(win), win.shape)
            grad[2*i+a, 2*j+b] = win.max()
    return grad

# ---------------- lesson05.check_forward ----------------
def fw_right(image, kernel, bias, weight, out_bias):
    c = cl.conv2d(image, kernel, padding="same") + bias
    s = cl.max_pool(cl.relu(c), 2)
    return float(cl.sigmoid(weight @ s.ravel() + out_bias))

def fw_valid(image, kernel, bias, weight, out_bias):
    c = cl.conv2d(image, kernel, padding=0) + bias
    s = cl.max_pool(cl.relu(c), 2)
    f = s.ravel()
    w = weight[:f.size]
    return float(cl.sigmoid(w @ f + out_bias))

def fw_bias_after_relu(image, kernel, bias, weight, out_bias):
    s = cl.max_pool(cl.relu(cl.conv2d(image, kernel, padding="same")) + bias, 2)
    return float(cl.sigmoid(weight @ s.ravel() + out_bias))

def fw_no_bias(image, kernel, bias, weight, out_bias):
    s = cl.max_pool(cl.relu(cl.conv2d(image, kernel, padding="same")), 2)
    return float(cl.sigmoid(weight @ s.ravel() + out_bias))

def fw_no_out_bias(image, kernel, bias, weight, out_bias):
    s = cl.max_pool(cl.relu(cl.conv2d(image, kernel, padding="same") + bias), 2)
    return float(cl.sigmoid(weight @ s.ravel()))

def fw_no_relu(image, kernel, bias, weight, out_bias):
    s = cl.max_pool(cl.conv2d(image, kernel, padding="same") + bias, 2)
    return float(cl.sigmoid(weight @ s.ravel() + out_bias))

def fw_logit(image, kernel, bias, weight, out_bias):
    s = cl.max_pool(cl.relu(cl.conv2d(image, kernel, padding="same") + bias), 2)
    return float(weight @ s.ravel() + out_bias)

def fw_fortran_flatten(image, kernel, bias, weight, out_bias):
    s = cl.max_pool(cl.relu(cl.conv2d(image, kernel, padding="same") + bias), 2)
    return float(cl.sigmoid(weight @ s.ravel(order="F") + out_bias))

def fw_flipped_kernel(image, kernel, bias, weight, out_bias):
    s = cl.max_pool(cl.relu(cl.conv2d(image, np.rot90(kernel, 2), padding="same") + bias), 2)
    return float(cl.sigmoid(weight @ s.ravel() + out_bias))

# ---------------- lesson05.check_sigmoid ----------------
def sig_right(x):
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1 / (1 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    out[~pos] = e / (1 + e)
    return out

def sig_naive(x):
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))

def sig_where_both(x):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))

def sig_int_out(x):
    x = np.asarray(x)
    out = np.empty_like(x)          # integer input -> integer output
    pos = x >= 0
    out[pos] = 1 / (1 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    out[~pos] = e / (1 + e)
    return out

def sig_1d_loop(x):
    return np.array([1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v)) for v in x])

def sig_wrong_sign(x):
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1 / (1 + np.exp(x[pos] * 0 - x[pos] * -1))   # = 1/(1+e^x): sigmoid(-x)
    e = np.exp(-x[~pos])
    out[~pos] = 1 / (1 + e) * 0 + np.exp(x[~pos]) / (1 + np.exp(x[~pos])) * 0 + 1 / (1 + 1 / e)
    return out

def sig_tanh_wrong(x):
    # tanh identity with a missing factor: sigmoid(x) = (1 + tanh(x/2)) / 2, forgot the /2 inside
    return (1 + np.tanh(np.asarray(x, dtype=float))) / 2

# ---------------- lesson06.check_grad_logit ----------------
def gl_right(y_hat, y, loss):
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    if loss == "squared_error":
        return (y_hat - y) * y_hat * (1 - y_hat)
    if loss == "bce":
        return y_hat - y
    raise ValueError(f"loss must be 'squared_error' or 'bce', got {loss!r}")

def gl_no_sigmoid_factor(y_hat, y, loss):
    return np.asarray(y_hat, float) - np.asarray(y, float)

def gl_sign(y_hat, y, loss):
    return -gl_right(y_hat, y, loss)

def gl_bce_extra_factor(y_hat, y, loss):
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    return (y_hat - y) * y_hat * (1 - y_hat)

def gl_swapped(y_hat, y, loss):
    return gl_right(y_hat, y, "bce" if loss == "squared_error" else "squared_error")

def gl_factor2(y_hat, y, loss):
    g = gl_right(y_hat, y, loss)
    return 2 * g if loss == "squared_error" else g

def gl_bce_wrt_yhat(y_hat, y, loss):
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    if loss == "squared_error":
        return (y_hat - y) * y_hat * (1 - y_hat)
    return -y / y_hat + (1 - y) / (1 - y_hat)

def gl_list(y_hat, y, loss):
    return [float(v) for v in gl_right(y_hat, y, loss)]

def gl_se_wrt_yhat(y_hat, y, loss):
    y_hat, y = np.asarray(y_hat, float), np.asarray(y, float)
    return (y_hat - y) if loss == "squared_error" else y_hat - y

# ---------------- lesson06.check_output_layer ----------------
def ol_right(F, w, y_hat, y):
    N = F.shape[0]
    r = (y_hat - y) * y_hat * (1 - y_hat) / N
    return F.T @ r, float(r.sum()), np.outer(r, w)

def ol_no_mean(F, w, y_hat, y):
    r = (y_hat - y) * y_hat * (1 - y_hat)
    return F.T @ r, float(r.sum()), np.outer(r, w)

def ol_bias_vector(F, w, y_hat, y):
    N = F.shape[0]
    r = (y_hat - y) * y_hat * (1 - y_hat) / N
    return F.T @ r, r, np.outer(r, w)

def ol_bias_mean_twice(F, w, y_hat, y):
    N = F.shape[0]
    r = (y_hat - y) * y_hat * (1 - y_hat) / N
    return F.T @ r, float(r.mean()), np.outer(r, w)

def ol_wrong_axis(F, w, y_hat, y):
    N = F.shape[0]
    r = (y_hat - y) * y_hat * (1 - y_hat) / N
    return (F * r[:, None]).sum(axis=1), float(r.sum()), np.outer(r, w)

def ol_no_sigmoid(F, w, y_hat, y):
    N = F.shape[0]
    r = (y_hat - y) / N
    return F.T @ r, float(r.sum()), np.outer(r, w)

def ol_gradF_transposed(F, w, y_hat, y):
    N = F.shape[0]
    r = (y_hat - y) * y_hat * (1 - y_hat) / N
    return F.T @ r, float(r.sum()), np.outer(w, r)

def ol_dict(F, w, y_hat, y):
    gw, gb, gF = ol_right(F, w, y_hat, y)
    return {"grad_w": gw, "grad_bf": gb, "grad_F": gF}

def ol_sign(F, w, y_hat, y):
    gw, gb, gF = ol_right(F, w, y_hat, y)
    return -gw, -gb, -gF

def ol_gradF_no_mean(F, w, y_hat, y):
    r = (y_hat - y) * y_hat * (1 - y_hat)
    N = F.shape[0]
    return F.T @ r / N, float(r.sum()) / N, np.outer(r, w)

def ol_order(F, w, y_hat, y):
    gw, gb, gF = ol_right(F, w, y_hat, y)
    return gF, gw, gb

def ol_gradF_uses_F(F, w, y_hat, y):
    N = F.shape[0]
    r = (y_hat - y) * y_hat * (1 - y_hat) / N
    return F.T @ r, float(r.sum()), r[:, None] * F

# ---------------- lesson07.check_grad_kernel ----------------
def gk_right(image, grad_conv):
    P = np.pad(np.asarray(image, float), 1)
    H, W = grad_conv.shape
    out = np.zeros((3, 3))
    for u in range(3):
        for v in range(3):
            out[u, v] = np.sum(P[u:u+H, v:v+W] * grad_conv)
    return out

def gk_rotated(image, grad_conv):
    return np.rot90(gk_right(image, grad_conv), 2)

def gk_no_padding(image, grad_conv):
    return cl.conv2d(image, grad_conv, padding=0)

def gk_transposed(image, grad_conv):
    return gk_right(image, grad_conv).T

def gk_mean(image, grad_conv):
    return gk_right(image, grad_conv) / grad_conv.size

def gk_hardcoded28(image, grad_conv):
    P = np.pad(np.asarray(image, float), 1)
    out = np.zeros((3, 3))
    for u in range(3):
        for v in range(3):
            out[u, v] = np.sum(P[u:u+28, v:v+28] * grad_conv[:28, :28])
    return out

def gk_square_only(image, grad_conv):
    P = np.pad(np.asarray(image, float), 1)
    H = grad_conv.shape[0]
    out = np.zeros((3, 3))
    for u in range(3):
        for v in range(3):
            out[u, v] = np.sum(P[u:u+H, v:v+H] * grad_conv[:H, :H])
    return out

# ---------------- lesson07.check_grad_bias ----------------
def gb_right(grad_relu, pre_activation):
    return float(np.sum(grad_relu * (pre_activation > 0)))

def gb_no_mask(grad_relu, pre_activation):
    return float(np.sum(grad_relu))

def gb_ge_zero(grad_relu, pre_activation):
    return float(np.sum(grad_relu * (pre_activation >= 0)))

def gb_not_summed(grad_relu, pre_activation):
    return grad_relu * (pre_activation > 0)

def gb_mean(grad_relu, pre_activation):
    return float(np.mean(grad_relu * (pre_activation > 0)))

def gb_mask_times_value(grad_relu, pre_activation):
    return float(np.sum(grad_relu * np.maximum(pre_activation, 0)))

# ---------------- lesson07.check_grad_input ----------------
def gi_right(grad_conv, kernel):
    return cl.conv2d(grad_conv, np.rot90(kernel, 2), padding="same")

def gi_not_rotated(grad_conv, kernel):
    return cl.conv2d(grad_conv, kernel, padding="same")

def gi_pad1(grad_conv, kernel):
    return cl.conv2d(grad_conv, np.rot90(kernel, 2), padding=1)

def gi_transposed_kernel(grad_conv, kernel):
    return cl.conv2d(grad_conv, np.asarray(kernel).T, padding="same")

def gi_square_pad(grad_conv, kernel):
    kh = kernel.shape[0]
    return cl.conv2d(grad_conv, np.rot90(kernel, 2), padding=kh // 2)

def gi_flip_rows_only(grad_conv, kernel):
    return cl.conv2d(grad_conv, np.flipud(kernel), padding="same")

def gi_scatter_offbyone(grad_conv, kernel):
    kh, kw = kernel.shape
    H, W = grad_conv.shape
    P = np.zeros((H + kh - 1, W + kw - 1))
    for i in range(H):
        for j in range(W):
            P[i:i+kh, j:j+kw] += grad_conv[i, j] * kernel
    return P[1:1+H, 1:1+W]      # crop by 1 regardless of kernel size

# ---------------- lesson07.check_numerical_gradient ----------------
def ng_right(f, x, h):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h; fp = f(x)
        x[idx] = old - h; fm = f(x)
        x[idx] = old
        grad[idx] = (fp - fm) / (2 * h)
    return grad

def ng_forward(f, x, h):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    f0 = f(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h; fp = f(x)
        x[idx] = old
        grad[idx] = (fp - f0) / h
    return grad

def ng_missing_2(f, x, h):
    return 2 * ng_right(f, x, h)

def ng_no_restore(f, x, h):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h; fp = f(x)
        x[idx] = old - h; fm = f(x)
        grad[idx] = (fp - fm) / (2 * h)
    return grad

def ng_inplace_input(f, x, h):
    grad = np.zeros(np.shape(x))
    for idx in np.ndindex(x.shape):
        x[idx] += h; fp = f(x)
        x[idx] -= 2 * h; fm = f(x)
        x[idx] += h
        grad[idx] = (fp - fm) / (2 * h)
    return grad

def ng_flat(f, x, h):
    return ng_right(f, x, h).ravel()

def ng_int_like(f, x, h):
    x = np.array(x)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h; fp = f(x)
        x[idx] = old - h; fm = f(x)
        x[idx] = old
        grad[idx] = (fp - fm) / (2 * h)
    return grad

def ng_1d_only(f, x, h):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(len(x)):
        old = x[i]
        x[i] = old + h; fp = f(x)
        x[i] = old - h; fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / (2 * h)
    return grad

# ---------------- lesson07.check_backward_pass ----------------
def _pool_back(grad_pooled, relu):
    grad = np.zeros(relu.shape)
    ph, pw = grad_pooled.shape
    for i in range(ph):
        for j in range(pw):
            win = relu[2*i:2*i+2, 2*j:2*j+2]
            a, b = np.unravel_index(np.argmax(win), win.shape)
            grad[2*i+a, 2*j+b] = grad_pooled[i, j]
    return grad

def _bp(image, params, y, sigmoid_factor=True, rotate=False, mask=True, keys=True):
    y_hat, cache = cl.seed_forward(image, params)
    gz = (y_hat - y) * (y_hat * (1 - y_hat) if sigmoid_factor else 1.0)
    grad_weight = gz * cache["flat"]
    grad_out_bias = gz
    grad_pooled = (gz * params["weight"]).reshape(cache["pooled"].shape)
    grad_relu = _pool_back(grad_pooled, cache["relu"])
    grad_conv = grad_relu * (cache["pre_activation"] > 0) if mask else grad_relu
    grad_kernel = gk_right(image, grad_conv)
    if rotate:
        grad_kernel = np.rot90(grad_kernel, 2)
    d = {"kernel": grad_kernel, "bias": float(grad_conv.sum()), "weight": grad_weight,
         "out_bias": float(grad_out_bias)}
    return d

def bp_right(image, params, y):
    return _bp(image, params, y)

def bp_no_sigmoid(image, params, y):
    return _bp(image, params, y, sigmoid_factor=False)

def bp_rotated_kernel(image, params, y):
    return _bp(image, params, y, rotate=True)

def bp_no_relu_mask(image, params, y):
    return _bp(image, params, y, mask=False)

def bp_tuple(image, params, y):
    d = _bp(image, params, y)
    return d["kernel"], d["bias"], d["weight"], d["out_bias"]

def bp_missing_out_bias(image, params, y):
    d = _bp(image, params, y)
    del d["out_bias"]
    return d

def bp_sign(image, params, y):
    return {k: -np.asarray(v) for k, v in _bp(image, params, y).items()}

def bp_y_ignored(image, params, y):
    return _bp(image, params, 1.0)

def fw_avg_pool(image, kernel, bias, weight, out_bias):
    s = cl.avg_pool(cl.relu(cl.conv2d(image, kernel, padding="same") + bias), 2)
    return float(cl.sigmoid(weight @ s.ravel() + out_bias))

def fw_array_out(image, kernel, bias, weight, out_bias):
    s = cl.max_pool(cl.relu(cl.conv2d(image, kernel, padding="same") + bias), 2)
    return cl.sigmoid(weight @ s.reshape(-1, 1) + out_bias)     # shape (1,), not a number

def sig_logaddexp_sign(x):
    return np.exp(-np.logaddexp(0, np.asarray(x, dtype=float)))

def sig_clip_small(x):
    # "stable" by clipping, but clips far too tightly
    x = np.clip(np.asarray(x, dtype=float), -10, 10)
    return 1 / (1 + np.exp(-x))


def E(lesson, checker, mistake, keywords, answer):
    return {"lesson": lesson, "checker": checker, "mistake": mistake, "keywords": keywords, "answer": answer}

L4, L5, L6, L7 = "lesson04", "lesson05", "lesson06", "lesson07"
MP, MPB = "check_max_pool", "check_max_pool_backward"
ANSWERS = [
    E(L4, MP, "right answer", [], mp_right),
    E(L4, MP, "off-by-one: (H-size)//stride without +1", ["+ 1", "+1", "one window", "off by one", "last window"], mp_off_by_one),
    E(L4, MP, "ceil rule instead of floor (partial windows kept)", ["floor", "partial", "ceil"], mp_ceil),
    E(L4, MP, "ignores the stride argument (steps by size)", ["stride"], mp_ignore_stride),
    E(L4, MP, "mean instead of max (average pooling)", ["mean", "average"], mp_mean),
    E(L4, MP, "returns a list of lists", ["list", "array"], mp_list),
    E(L4, MP, "square-only: uses H for both output axes", ["square", "width", "column", "W"], mp_square_only),
    E(L4, MP, "integer output array (np.zeros(dtype=int))", ["int", "dtype", "float"], mp_int_dtype),
    E(L4, MP, "returns the transposed result", ["transpos", "rows and columns", "swap"], mp_transposed),
    E(L4, MP, "modifies the input in place (ReLU on it)", ["in place", "input", "changed", "modif"], mp_inplace),
    E(L4, MP, "running max starts at 0 (wrong for negative windows)", ["negative", "0", "zero", "start"], mp_zero_init),
    E(L4, MPB, "right answer", [], mpb_right),
    E(L4, MPB, "gives gradient to every cell in the window", ["every cell", "only", "maximum", "one cell"], mpb_all_cells),
    E(L4, MPB, "average-pool backward (divides by 4)", ["average", "4", "mean"], mpb_avg),
    E(L4, MPB, "tied maxima all get the gradient", ["tie", "tied", "first"], mpb_all_ties),
    E(L4, MPB, "argmin instead of argmax", ["min", "smallest", "maximum"], mpb_argmin),
    E(L4, MPB, "unravels the argmax as (col,row)", ["transpos", "row", "column", "swap"], mpb_divmod_wrong),
    E(L4, MPB, "puts the feature map's max instead of the gradient", ["gradient", "value", "grad_pooled"], mpb_uses_grad_value),
    E(L5, "check_forward", "right answer", [], fw_right),
    E(L5, "check_forward", "valid padding (padding=0) instead of same", ["same", "padding"], fw_valid),
    E(L5, "check_forward", "adds conv bias after ReLU", ["bias", "before", "relu", "order"], fw_bias_after_relu),
    E(L5, "check_forward", "forgets the conv bias", ["bias"], fw_no_bias),
    E(L5, "check_forward", "forgets the output bias", ["out_bias", "output bias"], fw_no_out_bias),
    E(L5, "check_forward", "no ReLU", ["relu"], fw_no_relu),
    E(L5, "check_forward", "returns the logit (no sigmoid)", ["sigmoid", "logit", "probab"], fw_logit),
    E(L5, "check_forward", "flattens column-major (ravel order F)", ["flatten", "order", "ravel", "row"], fw_fortran_flatten),
    E(L5, "check_forward", "flips the kernel (true convolution)", ["flip", "rotat", "kernel"], fw_flipped_kernel),
    E(L5, "check_forward", "average pooling instead of max", ["average", "mean", "max"], fw_avg_pool),
    E(L5, "check_forward", "returns a 1-element array, not a number", ["number", "float", "shape", "array"], fw_array_out),
    E(L5, "check_sigmoid", "right answer", [], sig_right),
    E(L5, "check_sigmoid", "logaddexp with the wrong sign (sigmoid(-x))", ["sign", "-x", "logaddexp"], sig_logaddexp_sign),
    E(L5, "check_sigmoid", "clips x to [-10, 10] (wrong far from 0)", ["clip", "10", "saturat"], sig_clip_small),
    E(L5, "check_sigmoid", "naive 1/(1+exp(-x)) overflows", ["overflow", "exp", "-1000"], sig_naive),
    E(L5, "check_sigmoid", "np.where computes both branches (overflow warning)", ["both", "where", "overflow"], sig_where_both),
    E(L5, "check_sigmoid", "empty_like on integer input -> integer output", ["int", "dtype", "float"], sig_int_out),
    E(L5, "check_sigmoid", "python loop over x: only 1-D works", ["2-D", "shape", "1-D", "loop"], sig_1d_loop),
    E(L5, "check_sigmoid", "computes sigmoid(-x) for x>=0 (sign)", ["sign", "-x"], sig_wrong_sign),
    E(L5, "check_sigmoid", "tanh identity missing the /2 inside", ["tanh", "x/2", "half", "factor"], sig_tanh_wrong),
    E(L6, "check_grad_logit", "right answer", [], gl_right),
    E(L6, "check_grad_logit", "squared error without the sigmoid derivative", ["y_hat (1", "sigmoid", "derivative", "(1 - y_hat)"], gl_no_sigmoid_factor),
    E(L6, "check_grad_logit", "sign flipped (y - y_hat)", ["sign"], gl_sign),
    E(L6, "check_grad_logit", "bce with the extra sigmoid factor", ["bce", "cancel", "sigmoid"], gl_bce_extra_factor),
    E(L6, "check_grad_logit", "the two losses swapped", ["swap", "bce", "squared"], gl_swapped),
    E(L6, "check_grad_logit", "squared error with a factor 2", ["2", "factor", "half"], gl_factor2),
    E(L6, "check_grad_logit", "bce gradient wrt y_hat, not z (chain rule stopped)", ["y_hat", "chain", "z", "logit"], gl_bce_wrt_yhat),
    E(L6, "check_grad_logit", "returns a list", ["list", "array"], gl_list),
    E(L6, "check_output_layer", "right answer", [], ol_right),
    E(L6, "check_output_layer", "forgets the 1/N of the mean", ["N", "mean", "1/N", "divide"], ol_no_mean),
    E(L6, "check_output_layer", "grad_bf left as a vector (not summed)", ["sum", "scalar", "shape", "bf"], ol_bias_vector),
    E(L6, "check_output_layer", "grad_bf divided by N twice (mean of r/N)", ["N", "mean", "twice", "bf"], ol_bias_mean_twice),
    E(L6, "check_output_layer", "grad_w summed over the wrong axis", ["axis", "shape", "grad_w"], ol_wrong_axis),
    E(L6, "check_output_layer", "no sigmoid derivative", ["sigmoid", "derivative", "y_hat (1"], ol_no_sigmoid),
    E(L6, "check_output_layer", "grad_F transposed (D,N)", ["shape", "transpos", "grad_F"], ol_gradF_transposed),
    E(L6, "check_output_layer", "returns a dict", ["tuple", "dict"], ol_dict),
    E(L6, "check_output_layer", "sign flipped", ["sign"], ol_sign),
    E(L6, "check_output_layer", "grad_F without 1/N (only params divided)", ["N", "grad_F", "mean"], ol_gradF_no_mean),
    E(L6, "check_output_layer", "tuple in wrong order", ["order"], ol_order),
    E(L6, "check_output_layer", "grad_F uses F instead of w", ["w", "weight", "grad_F"], ol_gradF_uses_F),
    E(L7, "check_grad_kernel", "right answer", [], gk_right),
    E(L7, "check_grad_kernel", "rotated 180 degrees (the seed's bug)", ["rotat", "180", "flip"], gk_rotated),
    E(L7, "check_grad_kernel", "no padding (valid) -> 1x1", ["pad", "shape", "3"], gk_no_padding),
    E(L7, "check_grad_kernel", "transposed result", ["transpos", "row", "column"], gk_transposed),
    E(L7, "check_grad_kernel", "divides by number of pixels (mean)", ["mean", "sum", "divide"], gk_mean),
    E(L7, "check_grad_kernel", "hard-coded 28x28 image", ["28", "size", "shape"], gk_hardcoded28),
    E(L7, "check_grad_kernel", "square-only image (H for both)", ["square", "width", "W"], gk_square_only),
    E(L7, "check_grad_bias", "right answer", [], gb_right),
    E(L7, "check_grad_bias", "forgets the ReLU mask", ["relu", "mask", "negative", "> 0"], gb_no_mask),
    E(L7, "check_grad_bias", "mask >= 0 (zero counts as active)", ["zero", "0", ">= 0", "tie"], gb_ge_zero),
    E(L7, "check_grad_bias", "not summed (returns the map)", ["sum", "scalar", "number"], gb_not_summed),
    E(L7, "check_grad_bias", "mean instead of sum", ["mean", "sum"], gb_mean),
    E(L7, "check_grad_bias", "multiplies by relu value instead of the 0/1 mask", ["mask", "derivative", "0 or 1", "1"], gb_mask_times_value),
    E(L7, "check_grad_input", "right answer", [], gi_right),
    E(L7, "check_grad_input", "kernel not rotated", ["rotat", "180", "flip"], gi_not_rotated),
    E(L7, "check_grad_input", "hard-coded padding=1 (3x3 only)", ["padding", "kh // 2", "5", "size"], gi_pad1),
    E(L7, "check_grad_input", "transposes the kernel instead of rotating", ["transpos", "rotat"], gi_transposed_kernel),
    E(L7, "check_grad_input", "padding kh//2 on both axes (square-only)", ["kw", "width", "column", "non-square", "square"], gi_square_pad),
    E(L7, "check_grad_input", "flips only the rows (half rotation)", ["column", "rotat", "flip", "180"], gi_flip_rows_only),
    E(L7, "check_grad_input", "scatter version, crops by 1 whatever the kernel", ["crop", "kh // 2", "padding", "5"], gi_scatter_offbyone),
    E(L7, "check_numerical_gradient", "right answer", [], ng_right),
    E(L7, "check_numerical_gradient", "forward difference instead of centred", ["centred", "centered", "forward", "x - h"], ng_forward),
    E(L7, "check_numerical_gradient", "divides by h instead of 2h", ["2h", "2 * h", "factor", "twice"], ng_missing_2),
    E(L7, "check_numerical_gradient", "does not restore x[i] after nudging", ["restore", "put back", "reset"], ng_no_restore),
    E(L7, "check_numerical_gradient", "nudges the caller's x in place (float drift)", ["in place", "input", "copy", "modif"], ng_inplace_input),
    E(L7, "check_numerical_gradient", "returns a flat vector", ["shape", "shaped like"], ng_flat),
    E(L7, "check_numerical_gradient", "zeros_like on integer x -> integer grad", ["int", "dtype", "float"], ng_int_like),
    E(L7, "check_numerical_gradient", "1-D only loop (range(len(x)))", ["2-D", "shape", "ndindex", "entry"], ng_1d_only),
    E(L7, "check_backward_pass", "right answer", [], bp_right),
    E(L7, "check_backward_pass", "no sigmoid derivative at the output", ["sigmoid", "y_hat (1", "derivative"], bp_no_sigmoid),
    E(L7, "check_backward_pass", "kernel gradient rotated 180", ["rotat", "180", "flip"], bp_rotated_kernel),
    E(L7, "check_backward_pass", "no ReLU mask", ["relu", "mask"], bp_no_relu_mask),
    E(L7, "check_backward_pass", "returns a tuple", ["dict", "tuple"], bp_tuple),
    E(L7, "check_backward_pass", "missing out_bias key", ["out_bias", "key", "missing"], bp_missing_out_bias),
    E(L7, "check_backward_pass", "sign flipped", ["sign"], bp_sign),
    E(L7, "check_backward_pass", "ignores y (always 1)", ["y", "target", "label"], bp_y_ignored),
]
