"""Walker u3's answers for lessons 08-11 (each function invented by the learner). Third walk, 2026-12-07."""
import numpy as np
import cnnlab as cl

# ---------------- lesson08 ex1 gd_update
def gd_right(params, grads, lr):
    return {k: params[k] - lr * grads[k] for k in params}
def gd_inplace(params, grads, lr):
    for k in params:
        params[k] -= lr * grads[k]
    return params
def gd_plus(params, grads, lr):
    return {k: params[k] + lr * grads[k] for k in params}
def gd_no_lr(params, grads, lr):
    return {k: params[k] - grads[k] for k in params}
def gd_skip_bias(params, grads, lr):
    return {k: (params[k] - lr * grads[k]) if "bias" not in k else params[k] for k in params}
def gd_shallow_copy(params, grads, lr):
    new = dict(params)
    for k in new:
        new[k] -= lr * grads[k]
    return new
def gd_lr_squared(params, grads, lr):
    return {k: params[k] - lr * lr * grads[k] for k in params}

# ---------------- lesson08 ex2 binary_accuracy
def acc_right(y_hat, targets):
    return float(np.mean((np.asarray(y_hat) > 0.5) == (np.asarray(targets) == 1)))
def acc_ge(y_hat, targets):
    return float(np.mean((np.asarray(y_hat) >= 0.5) == (np.asarray(targets) == 1)))
def acc_count(y_hat, targets):
    return int(np.sum((np.asarray(y_hat) > 0.5) == (np.asarray(targets) == 1)))
def acc_percent(y_hat, targets):
    return 100.0 * float(np.mean((np.asarray(y_hat) > 0.5) == (np.asarray(targets) == 1)))
def acc_threshold_zero(y_hat, targets):   # thinks y_hat are logits
    return float(np.mean((np.asarray(y_hat) > 0) == (np.asarray(targets) == 1)))
def acc_int_div(y_hat, targets):
    return int(np.sum((np.asarray(y_hat) > 0.5) == (np.asarray(targets) == 1))) // len(targets)
def acc_error_rate(y_hat, targets):
    return float(np.mean((np.asarray(y_hat) > 0.5) != (np.asarray(targets) == 1)))

# ---------------- lesson08 ex3 momentum
def mom_right(params, grads, velocity, lr, momentum):
    v = {k: momentum * velocity[k] + grads[k] for k in params}
    return {k: params[k] - lr * v[k] for k in params}, v
def mom_old_velocity(params, grads, velocity, lr, momentum):
    v = {k: momentum * velocity[k] + grads[k] for k in params}
    return {k: params[k] - lr * velocity[k] for k in params}, v
def mom_lr_in_v(params, grads, velocity, lr, momentum):   # v = mu v - lr g; theta += v
    v = {k: momentum * velocity[k] - lr * grads[k] for k in params}
    return {k: params[k] + v[k] for k in params}, v
def mom_dampened(params, grads, velocity, lr, momentum):
    v = {k: momentum * velocity[k] + (1 - momentum) * grads[k] for k in params}
    return {k: params[k] - lr * v[k] for k in params}, v
def mom_swapped_return(params, grads, velocity, lr, momentum):
    v = {k: momentum * velocity[k] + grads[k] for k in params}
    return v, {k: params[k] - lr * v[k] for k in params}
def mom_inplace_velocity(params, grads, velocity, lr, momentum):
    for k in velocity:
        velocity[k] *= momentum
        velocity[k] += grads[k]
    return {k: params[k] - lr * velocity[k] for k in params}, velocity
def mom_ignore_momentum(params, grads, velocity, lr, momentum):
    v = {k: velocity[k] + grads[k] for k in params}
    return {k: params[k] - lr * v[k] for k in params}, v

# ---------------- lesson08 ex4 train_epoch
def te_right(params, images, targets, order, batch_size, lr):
    order = np.asarray(order)
    p = {k: v.copy() for k, v in params.items()}
    losses = []
    for s in range(0, len(order), batch_size):
        idx = order[s:s + batch_size]
        loss, grads, _ = cl.seednet.seed_network_loss(p, images[idx], targets[idx])
        p = {k: p[k] - lr * grads[k] for k in p}
        losses.append(loss)
    return p, losses
def te_ignore_order(params, images, targets, order, batch_size, lr):
    p = dict(params); losses = []
    for s in range(0, len(images), batch_size):
        loss, grads, _ = cl.seednet.seed_network_loss(p, images[s:s + batch_size], targets[s:s + batch_size])
        p = {k: p[k] - lr * grads[k] for k in p}; losses.append(loss)
    return p, losses
def te_drop_last(params, images, targets, order, batch_size, lr):
    order = np.asarray(order); p = dict(params); losses = []
    for s in range(0, len(order) - batch_size + 1, batch_size):
        idx = order[s:s + batch_size]
        loss, grads, _ = cl.seednet.seed_network_loss(p, images[idx], targets[idx])
        p = {k: p[k] - lr * grads[k] for k in p}; losses.append(loss)
    return p, losses
def te_shuffled_targets(params, images, targets, order, batch_size, lr):
    order = np.asarray(order); p = dict(params); losses = []
    for s in range(0, len(order), batch_size):
        idx = order[s:s + batch_size]
        loss, grads, _ = cl.seednet.seed_network_loss(p, images[idx], targets[s:s + batch_size])
        p = {k: p[k] - lr * grads[k] for k in p}; losses.append(loss)
    return p, losses
def te_full_batch_grads_once(params, images, targets, order, batch_size, lr):  # stale params: grads all from start
    order = np.asarray(order); p = dict(params); losses = []
    for s in range(0, len(order), batch_size):
        idx = order[s:s + batch_size]
        loss, grads, _ = cl.seednet.seed_network_loss(params, images[idx], targets[idx])
        p = {k: p[k] - lr * grads[k] for k in p}; losses.append(loss)
    return p, losses
def te_inplace(params, images, targets, order, batch_size, lr):
    order = np.asarray(order); losses = []
    for s in range(0, len(order), batch_size):
        idx = order[s:s + batch_size]
        loss, grads, _ = cl.seednet.seed_network_loss(params, images[idx], targets[idx])
        for k in params:
            params[k] -= lr * grads[k]
        losses.append(loss)
    return params, losses
def te_mean_loss(params, images, targets, order, batch_size, lr):
    p, losses = te_right(params, images, targets, order, batch_size, lr)
    return p, float(np.mean(losses))
def te_off_by_one_batch(params, images, targets, order, batch_size, lr):  # batches of batch_size+1
    order = np.asarray(order); p = dict(params); losses = []
    for s in range(0, len(order), batch_size):
        idx = order[s:s + batch_size + 1]
        loss, grads, _ = cl.seednet.seed_network_loss(p, images[idx], targets[idx])
        p = {k: p[k] - lr * grads[k] for k in p}; losses.append(loss)
    return p, losses

# ---------------- lesson09 ex1 im2col
def im_right(image, k):
    image = np.asarray(image, dtype=float)
    H, W = image.shape
    rows = [image[i:i + k, j:j + k].ravel() for i in range(H - k + 1) for j in range(W - k + 1)]
    return np.array(rows)
def im_off_by_one(image, k):
    image = np.asarray(image, dtype=float); H, W = image.shape
    return np.array([image[i:i + k, j:j + k].ravel() for i in range(H - k) for j in range(W - k)])
def im_col_major_patches(image, k):
    image = np.asarray(image, dtype=float); H, W = image.shape
    return np.array([image[i:i + k, j:j + k].ravel() for j in range(W - k + 1) for i in range(H - k + 1)])
def im_patch_flatten_F(image, k):
    image = np.asarray(image, dtype=float); H, W = image.shape
    return np.array([image[i:i + k, j:j + k].ravel(order="F") for i in range(H - k + 1) for j in range(W - k + 1)])
def im_transposed(image, k):
    return im_right(image, k).T
def im_square_only(image, k):
    image = np.asarray(image, dtype=float); H = image.shape[0]
    return np.array([image[i:i + k, j:j + k].ravel() for i in range(H - k + 1) for j in range(H - k + 1)])
def im_list(image, k):
    image = np.asarray(image, dtype=float); H, W = image.shape
    return [image[i:i + k, j:j + k].ravel() for i in range(H - k + 1) for j in range(W - k + 1)]
def im_int_dtype(image, k):
    return im_right(np.asarray(image).astype(int), k).astype(int)

# ---------------- lesson09 ex2 softmax grad
def _softmax(z):
    z = z - z.max(axis=1, keepdims=True); e = np.exp(z); return e / e.sum(axis=1, keepdims=True)
def sg_right(logits, labels):
    logits = np.asarray(logits, dtype=float); labels = np.asarray(labels)
    p = _softmax(logits); p[np.arange(len(labels)), labels] -= 1
    return p / len(labels)
def sg_no_mean(logits, labels):
    return sg_right(logits, labels) * len(labels)
def sg_wrong_sign(logits, labels):
    return -sg_right(logits, labels)
def sg_softmax_axis0(logits, labels):
    z = np.asarray(logits, dtype=float); e = np.exp(z - z.max(axis=0, keepdims=True)); p = e / e.sum(axis=0, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p / len(labels)
def sg_unstable(logits, labels):
    z = np.asarray(logits, dtype=float); e = np.exp(z); p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p / len(labels)
def sg_forgot_minus_one(logits, labels):
    return _softmax(np.asarray(logits, dtype=float)) / len(labels)
def sg_divide_by_K(logits, labels):
    z = np.asarray(logits, dtype=float); p = _softmax(z); p[np.arange(len(labels)), labels] -= 1
    return p / z.shape[1]
def sg_inplace_logits(logits, labels):
    z = logits; z -= z.max(axis=1, keepdims=True); np.exp(z, out=z); z /= z.sum(axis=1, keepdims=True)
    z[np.arange(len(labels)), labels] -= 1; z /= len(labels); return z

# ---------------- lesson09 ex3 minibatches
def mb_right(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return [(images[order[s:s + batch_size]], labels[order[s:s + batch_size]]) for s in range(0, len(order), batch_size)]
def mb_drop_last(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return [(images[order[s:s + batch_size]], labels[order[s:s + batch_size]]) for s in range(0, len(order) - batch_size + 1, batch_size)]
def mb_labels_unshuffled(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return [(images[order[s:s + batch_size]], labels[s:s + batch_size]) for s in range(0, len(order), batch_size)]
def mb_ignore_seed(images, labels, batch_size, seed):
    order = np.random.default_rng(0).permutation(len(images))
    return [(images[order[s:s + batch_size]], labels[order[s:s + batch_size]]) for s in range(0, len(order), batch_size)]
def mb_legacy_rng(images, labels, batch_size, seed):
    order = np.random.RandomState(seed).permutation(len(images))
    return [(images[order[s:s + batch_size]], labels[order[s:s + batch_size]]) for s in range(0, len(order), batch_size)]
def mb_choice_with_replacement(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).integers(0, len(images), len(images))
    return [(images[order[s:s + batch_size]], labels[order[s:s + batch_size]]) for s in range(0, len(order), batch_size)]
def mb_no_shuffle(images, labels, batch_size, seed):
    return [(images[s:s + batch_size], labels[s:s + batch_size]) for s in range(0, len(images), batch_size)]
def mb_swapped_pair(images, labels, batch_size, seed):
    return [(y, x) for x, y in mb_right(images, labels, batch_size, seed)]
def mb_batch_count_as_size(images, labels, batch_size, seed):   # splits into batch_size pieces
    order = np.random.default_rng(seed).permutation(len(images))
    return [(images[o], labels[o]) for o in np.array_split(order, batch_size)]

# ---------------- lesson10 ex1 accuracy from confusion
def ac_right(matrix):
    m = np.asarray(matrix); return float(np.trace(m) / m.sum())
def ac_int_div(matrix):
    m = np.asarray(matrix); return int(np.trace(m)) // int(m.sum())
def ac_row_mean(matrix):       # mean per-class recall
    m = np.asarray(matrix, dtype=float); return float(np.mean(np.diag(m) / m.sum(axis=1)))
def ac_divide_by_K(matrix):
    m = np.asarray(matrix, dtype=float); return float(np.trace(m) / m.shape[0])
def ac_percent(matrix):
    return 100 * ac_right(matrix)
def ac_antidiag(matrix):
    m = np.asarray(matrix, dtype=float); return float(np.trace(np.fliplr(m)) / m.sum())
def ac_first_row(matrix):
    m = np.asarray(matrix, dtype=float); return float(m[0, 0] / m[0].sum())

# ---------------- lesson10 ex2 most confused
def mc_right(matrix):
    m = np.array(matrix, dtype=float); np.fill_diagonal(m, -np.inf)
    i, j = np.unravel_index(np.argmax(m), m.shape); return (int(i), int(j))
def mc_include_diagonal(matrix):
    m = np.asarray(matrix); i, j = np.unravel_index(np.argmax(m), m.shape); return (int(i), int(j))
def mc_swapped(matrix):
    i, j = mc_right(matrix); return (j, i)
def mc_flat_index(matrix):
    m = np.array(matrix, dtype=float); np.fill_diagonal(m, -np.inf); return int(np.argmax(m))
def mc_inplace_zero_diag(matrix):
    np.fill_diagonal(matrix, 0)
    i, j = np.unravel_index(np.argmax(matrix), matrix.shape); return (int(i), int(j))
def mc_last_tie(matrix):
    m = np.array(matrix, dtype=float); np.fill_diagonal(m, -np.inf)
    flat = m.size - 1 - np.argmax(m.ravel()[::-1]); i, j = np.unravel_index(flat, m.shape); return (int(i), int(j))
def mc_list(matrix):
    return list(mc_right(matrix))
def mc_argmin(matrix):
    m = np.array(matrix, dtype=float); np.fill_diagonal(m, np.inf)
    i, j = np.unravel_index(np.argmin(m), m.shape); return (int(i), int(j))
def mc_hardcoded_10(matrix):
    m = np.array(matrix, dtype=float)
    for d in range(10):
        if d < m.shape[0]:
            m[d, d] = -np.inf
    i, j = divmod(int(np.argmax(m)), 10); return (i, j)

# ---------------- lesson10 ex3 saliency
def sal_right(params, image, label):
    x = np.asarray(image, dtype=float)[None, None]
    logits, cache = cl.models.small_cnn_forward(params, x)
    g = np.zeros_like(logits); g[0, label] = 1
    return cl.models.small_cnn_backward(g, cache, input_grad=True)["images"][0, 0]
def sal_abs(params, image, label):
    return np.abs(sal_right(params, image, label))
def sal_all_logits(params, image, label):
    x = np.asarray(image, dtype=float)[None, None]
    logits, cache = cl.models.small_cnn_forward(params, x)
    return cl.models.small_cnn_backward(np.ones_like(logits), cache, input_grad=True)["images"][0, 0]
def sal_4d(params, image, label):
    x = np.asarray(image, dtype=float)[None, None]
    logits, cache = cl.models.small_cnn_forward(params, x)
    g = np.zeros_like(logits); g[0, label] = 1
    return cl.models.small_cnn_backward(g, cache, input_grad=True)["images"]
def sal_softmax_grad(params, image, label):   # grad of the CE loss instead of the score
    x = np.asarray(image, dtype=float)[None, None]
    logits, cache = cl.models.small_cnn_forward(params, x)
    z = logits - logits.max(); p = np.exp(z) / np.exp(z).sum(); p[0, label] -= 1
    return cl.models.small_cnn_backward(p, cache, input_grad=True)["images"][0, 0]
def sal_wrong_label(params, image, label):
    x = np.asarray(image, dtype=float)[None, None]
    logits, cache = cl.models.small_cnn_forward(params, x)
    g = np.zeros_like(logits); g[0, int(np.argmax(logits))] = 1
    return cl.models.small_cnn_backward(g, cache, input_grad=True)["images"][0, 0]
def sal_transposed(params, image, label):
    return sal_right(params, image, label).T
def sal_logit_value(params, image, label):   # passes the logit itself as the upstream gradient
    x = np.asarray(image, dtype=float)[None, None]
    logits, cache = cl.models.small_cnn_forward(params, x)
    g = np.zeros_like(logits); g[0, label] = logits[0, label]
    return cl.models.small_cnn_backward(g, cache, input_grad=True)["images"][0, 0]

# ---------------- lesson11 ex1 torch_to_cnnlab
def tc_right(state):
    return {k: (np.asarray(v).T.copy() if k == "dense.weight" else np.asarray(v).copy()) for k, v in state.items()}
def tc_no_transpose(state):
    return {k: np.asarray(v).copy() for k, v in state.items()}
def tc_transpose_all_weights(state):
    return {k: (np.asarray(v).T.copy() if k.endswith("weight") else np.asarray(v).copy()) for k, v in state.items()}
def tc_flip_conv(state):
    return {k: (np.asarray(v).T.copy() if k == "dense.weight" else
                np.asarray(v)[..., ::-1, ::-1].copy() if k.startswith("conv") and k.endswith("weight") else np.asarray(v).copy())
            for k, v in state.items()}
def tc_same_object(state):
    state["dense.weight"] = state["dense.weight"].T
    return state
def tc_reshape_not_T(state):
    return {k: (np.asarray(v).reshape(np.asarray(v).shape[::-1]) if k == "dense.weight" else np.asarray(v).copy()) for k, v in state.items()}
def tc_renamed(state):
    return {k.replace(".", "_"): (np.asarray(v).T.copy() if k == "dense.weight" else np.asarray(v).copy()) for k, v in state.items()}

# ---------------- lesson11 ex2 channels last to first
def cl_right(weight, channels, height, width):
    w = np.asarray(weight); M = w.shape[1]
    return w.reshape(height, width, channels, M).transpose(2, 0, 1, 3).reshape(channels * height * width, M)
def cl_reshape_only(weight, channels, height, width):
    w = np.asarray(weight); return w.reshape(channels * height * width, -1)
def cl_wrong_split(weight, channels, height, width):   # reshapes as (C,H,W) then moves
    w = np.asarray(weight); M = w.shape[1]
    return w.reshape(channels, height, width, M).transpose(1, 2, 0, 3).reshape(-1, M)
def cl_swap_hw(weight, channels, height, width):
    w = np.asarray(weight); M = w.shape[1]
    return w.reshape(height, width, channels, M).transpose(2, 1, 0, 3).reshape(-1, M)
def cl_square_hw(weight, channels, height, width):
    w = np.asarray(weight); M = w.shape[1]
    return w.reshape(height, height, channels, M).transpose(2, 0, 1, 3).reshape(-1, M)
def cl_transposed_out(weight, channels, height, width):
    return cl_right(weight, channels, height, width).T
def cl_args_order(weight, channels, height, width):   # thinks (H,W,C) means reshape(width,height,...)
    w = np.asarray(weight); M = w.shape[1]
    return w.reshape(width, height, channels, M).transpose(2, 1, 0, 3).reshape(-1, M)

# ---------------- lesson11 ex3 convolution to correlation
def cc_right(kernels):
    return np.asarray(kernels)[:, :, ::-1, ::-1].copy()
def cc_flip_rows_only(kernels):
    return np.asarray(kernels)[:, :, ::-1, :].copy()
def cc_transpose(kernels):
    return np.asarray(kernels).transpose(0, 1, 3, 2).copy()
def cc_flip_all_axes(kernels):
    return np.asarray(kernels)[::-1, ::-1, ::-1, ::-1].copy()
def cc_identity(kernels):
    return np.asarray(kernels).copy()
def cc_rot90(kernels):
    return np.rot90(np.asarray(kernels), 1, axes=(2, 3)).copy()
def cc_negate(kernels):
    return -np.asarray(kernels)
def cc_flip_channels_too(kernels):
    return np.asarray(kernels)[:, ::-1, ::-1, ::-1].copy()

# ---------------- lesson11 ex4 torch step
def ts_right(model, optimizer, images, labels):
    import torch.nn.functional as F
    optimizer.zero_grad()
    loss = F.cross_entropy(model(images), labels)
    loss.backward(); optimizer.step()
    return loss.item()
def ts_no_zero_grad(model, optimizer, images, labels):
    import torch.nn.functional as F
    loss = F.cross_entropy(model(images), labels); loss.backward(); optimizer.step(); return loss.item()
def ts_no_step(model, optimizer, images, labels):
    import torch.nn.functional as F
    optimizer.zero_grad(); loss = F.cross_entropy(model(images), labels); loss.backward(); return loss.item()
def ts_returns_tensor(model, optimizer, images, labels):
    import torch.nn.functional as F
    optimizer.zero_grad(); loss = F.cross_entropy(model(images), labels); loss.backward(); optimizer.step(); return loss
def ts_softmax_first(model, optimizer, images, labels):
    import torch, torch.nn.functional as F
    optimizer.zero_grad(); loss = F.cross_entropy(torch.softmax(model(images), 1), labels); loss.backward(); optimizer.step(); return loss.item()
def ts_loss_after_step(model, optimizer, images, labels):
    import torch.nn.functional as F
    optimizer.zero_grad(); loss = F.cross_entropy(model(images), labels); loss.backward(); optimizer.step()
    return F.cross_entropy(model(images), labels).item()

R = "right answer"
ANSWERS = [
 dict(lesson="lesson08", checker="check_gd_update", mistake=R, keywords=[], answer=gd_right),
 dict(lesson="lesson08", checker="check_gd_update", mistake="changes params in place and returns it", keywords=["in place", "unchanged", "copy", "new dict"], answer=gd_inplace),
 dict(lesson="lesson08", checker="check_gd_update", mistake="adds the gradient (wrong sign)", keywords=["sign", "minus", "subtract", "uphill", "plus"], answer=gd_plus),
 dict(lesson="lesson08", checker="check_gd_update", mistake="forgets the learning rate", keywords=["lr", "learning rate"], answer=gd_no_lr),
 dict(lesson="lesson08", checker="check_gd_update", mistake="skips the biases", keywords=["bias"], answer=gd_skip_bias),
 dict(lesson="lesson08", checker="check_gd_update", mistake="shallow dict copy then -= (arrays still changed in place)", keywords=["in place", "unchanged", "copy", "-="], answer=gd_shallow_copy),
 dict(lesson="lesson08", checker="check_gd_update", mistake="multiplies by lr twice", keywords=["lr", "learning rate", "twice", "squared"], answer=gd_lr_squared),
 dict(lesson="lesson08", checker="check_accuracy", mistake=R, keywords=[], answer=acc_right),
 dict(lesson="lesson08", checker="check_accuracy", mistake=">= 0.5 instead of > 0.5", keywords=[">=", "0.5", "exactly", "strictly"], answer=acc_ge),
 dict(lesson="lesson08", checker="check_accuracy", mistake="returns the count, not the fraction", keywords=["count", "fraction", "divide", "mean"], answer=acc_count),
 dict(lesson="lesson08", checker="check_accuracy", mistake="returns a percentage", keywords=["percent", "100", "fraction"], answer=acc_percent),
 dict(lesson="lesson08", checker="check_accuracy", mistake="thresholds at 0 (treats y_hat as logits)", keywords=["0.5", "threshold", "logit", "probabilit"], answer=acc_threshold_zero),
 dict(lesson="lesson08", checker="check_accuracy", mistake="integer division (always 0)", keywords=["integer", "//", "division"], answer=acc_int_div),
 dict(lesson="lesson08", checker="check_accuracy", mistake="returns the error rate (!=)", keywords=["error", "1 -", "wrong", "!="], answer=acc_error_rate),
 dict(lesson="lesson08", checker="check_momentum_step", mistake=R, keywords=[], answer=mom_right),
 dict(lesson="lesson08", checker="check_momentum_step", mistake="moves by the old velocity", keywords=["old velocity", "new velocity", "before"], answer=mom_old_velocity),
 dict(lesson="lesson08", checker="check_momentum_step", mistake="puts lr inside the velocity (v = mu v - lr g)", keywords=["lr", "learning rate", "inside", "sign"], answer=mom_lr_in_v),
 dict(lesson="lesson08", checker="check_momentum_step", mistake="dampened (1-mu) g", keywords=["1 - momentum", "dampen", "(1 -"], answer=mom_dampened),
 dict(lesson="lesson08", checker="check_momentum_step", mistake="returns (velocity, params) swapped", keywords=["order", "swap", "(new_params, new_velocity)"], answer=mom_swapped_return),
 dict(lesson="lesson08", checker="check_momentum_step", mistake="updates velocity in place", keywords=["in place", "unchanged", "copy", "velocity"], answer=mom_inplace_velocity),
 dict(lesson="lesson08", checker="check_momentum_step", mistake="ignores momentum (v + g)", keywords=["momentum", "mu", "times"], answer=mom_ignore_momentum),
 dict(lesson="lesson08", checker="check_train_epoch", mistake=R, keywords=[], answer=te_right),
 dict(lesson="lesson08", checker="check_train_epoch", mistake="ignores order", keywords=["order"], answer=te_ignore_order),
 dict(lesson="lesson08", checker="check_train_epoch", mistake="drops the last smaller batch", keywords=["last", "smaller", "remainder"], answer=te_drop_last),
 dict(lesson="lesson08", checker="check_train_epoch", mistake="targets not reordered by order", keywords=["targets", "label", "order"], answer=te_shuffled_targets),
 dict(lesson="lesson08", checker="check_train_epoch", mistake="gradients always at the starting params", keywords=["updated", "new params", "starting", "each batch", "stale"], answer=te_full_batch_grads_once),
 dict(lesson="lesson08", checker="check_train_epoch", mistake="updates params in place", keywords=["in place", "unchanged", "copy"], answer=te_inplace),
 dict(lesson="lesson08", checker="check_train_epoch", mistake="returns mean loss instead of list", keywords=["one loss per batch", "list", "per batch"], answer=te_mean_loss),
 dict(lesson="lesson08", checker="check_train_epoch", mistake="batches of batch_size+1 (off by one slice)", keywords=["batch_size", "overlap", "twice", "size"], answer=te_off_by_one_batch),
 dict(lesson="lesson09", checker="check_im2col", mistake=R, keywords=[], answer=im_right),
 dict(lesson="lesson09", checker="check_im2col", mistake="range(H-k) off by one", keywords=["h - k + 1", "+ 1", "off by one", "last"], answer=im_off_by_one),
 dict(lesson="lesson09", checker="check_im2col", mistake="patches in column-major order", keywords=["row-major", "order", "column"], answer=im_col_major_patches),
 dict(lesson="lesson09", checker="check_im2col", mistake="each patch flattened column by column", keywords=["row by row", "flatten", "column", "order='f'", "transpose"], answer=im_patch_flatten_F),
 dict(lesson="lesson09", checker="check_im2col", mistake="returns the transpose (k*k, patches)", keywords=["transpose", "shape", "one row per patch"], answer=im_transposed),
 dict(lesson="lesson09", checker="check_im2col", mistake="assumes square images", keywords=["square", "width", "w - k"], answer=im_square_only),
 dict(lesson="lesson09", checker="check_im2col", mistake="returns a list", keywords=["list", "array"], answer=im_list),
 dict(lesson="lesson09", checker="check_im2col", mistake="integer dtype", keywords=["int", "dtype", "float"], answer=im_int_dtype),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake=R, keywords=[], answer=sg_right),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake="no division by N (sum, not mean)", keywords=["mean", "divide", " n", "batch"], answer=sg_no_mean),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake="wrong sign (one-hot - p)", keywords=["sign"], answer=sg_wrong_sign),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake="softmax over axis 0", keywords=["axis", "row", "column"], answer=sg_softmax_axis0),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake="no max subtraction (overflow)", keywords=["overflow", "max", "stable", "nan", "inf"], answer=sg_unstable),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake="forgets to subtract the one-hot", keywords=["one-hot", "subtract", "label", "- 1"], answer=sg_forgot_minus_one),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake="divides by K classes instead of N", keywords=["n", "batch", "classes", "k"], answer=sg_divide_by_K),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake="overwrites logits in place", keywords=["in place", "unchanged", "copy", "modif"], answer=sg_inplace_logits),
 dict(lesson="lesson09", checker="check_minibatches", mistake=R, keywords=[], answer=mb_right),
 dict(lesson="lesson09", checker="check_minibatches", mistake="drops the last smaller batch", keywords=["last", "smaller", "every image"], answer=mb_drop_last),
 dict(lesson="lesson09", checker="check_minibatches", mistake="labels not shuffled with images", keywords=["label", "keep", "same order"], answer=mb_labels_unshuffled),
 dict(lesson="lesson09", checker="check_minibatches", mistake="ignores seed (always 0)", keywords=["seed"], answer=mb_ignore_seed),
 dict(lesson="lesson09", checker="check_minibatches", mistake="np.random.RandomState instead of default_rng", keywords=["default_rng", "randomstate", "generator"], answer=mb_legacy_rng),
 dict(lesson="lesson09", checker="check_minibatches", mistake="integers with replacement", keywords=["exactly once", "replacement", "permutation", "twice"], answer=mb_choice_with_replacement),
 dict(lesson="lesson09", checker="check_minibatches", mistake="no shuffle", keywords=["shuffle", "permutation", "order"], answer=mb_no_shuffle),
 dict(lesson="lesson09", checker="check_minibatches", mistake="returns (labels, images) pairs", keywords=["pair", "order", "(images_batch", "swap"], answer=mb_swapped_pair),
 dict(lesson="lesson09", checker="check_minibatches", mistake="array_split into batch_size batches", keywords=["number of batches", "batch_size", "size", "pieces"], answer=mb_batch_count_as_size),
 dict(lesson="lesson10", checker="check_accuracy_from_confusion", mistake=R, keywords=[], answer=ac_right),
 dict(lesson="lesson10", checker="check_accuracy_from_confusion", mistake="integer division", keywords=["integer", "//", "division"], answer=ac_int_div),
 dict(lesson="lesson10", checker="check_accuracy_from_confusion", mistake="mean of per-class recalls", keywords=["per class", "per-class", "recall", "mean of", "balanced"], answer=ac_row_mean),
 dict(lesson="lesson10", checker="check_accuracy_from_confusion", mistake="divides by the number of classes", keywords=["total", "sum", "classes"], answer=ac_divide_by_K),
 dict(lesson="lesson10", checker="check_accuracy_from_confusion", mistake="percentage", keywords=["percent", "100", "fraction"], answer=ac_percent),
 dict(lesson="lesson10", checker="check_accuracy_from_confusion", mistake="anti-diagonal", keywords=["diagonal", "trace"], answer=ac_antidiag),
 dict(lesson="lesson10", checker="check_accuracy_from_confusion", mistake="only the first row", keywords=["every class", "all", "whole", "row"], answer=ac_first_row),
 dict(lesson="lesson10", checker="check_most_confused", mistake=R, keywords=[], answer=mc_right),
 dict(lesson="lesson10", checker="check_most_confused", mistake="includes the diagonal", keywords=["diagonal"], answer=mc_include_diagonal),
 dict(lesson="lesson10", checker="check_most_confused", mistake="(predicted, true) swapped", keywords=["swap", "row", "true_class", "order"], answer=mc_swapped),
 dict(lesson="lesson10", checker="check_most_confused", mistake="returns flat index", keywords=["unravel", "flat", "tuple", "index"], answer=mc_flat_index),
 dict(lesson="lesson10", checker="check_most_confused", mistake="zeros diagonal of input in place", keywords=["in place", "unchanged", "copy", "modif"], answer=mc_inplace_zero_diag),
 dict(lesson="lesson10", checker="check_most_confused", mistake="last of tied cells", keywords=["tie", "first"], answer=mc_last_tie),
 dict(lesson="lesson10", checker="check_most_confused", mistake="returns a list", keywords=["tuple", "list"], answer=mc_list),
 dict(lesson="lesson10", checker="check_most_confused", mistake="argmin (least confused)", keywords=["largest", "argmin", "smallest"], answer=mc_argmin),
 dict(lesson="lesson10", checker="check_most_confused", mistake="hard-codes 10 classes", keywords=["10", "size", "shape", "classes"], answer=mc_hardcoded_10),
 dict(lesson="lesson10", checker="check_saliency", mistake=R, keywords=[], answer=sal_right),
 dict(lesson="lesson10", checker="check_saliency", mistake="absolute value", keywords=["abs", "sign", "negative"], answer=sal_abs),
 dict(lesson="lesson10", checker="check_saliency", mistake="ones for all logits", keywords=["one-hot", "label", "only", "all logits", "sum"], answer=sal_all_logits),
 dict(lesson="lesson10", checker="check_saliency", mistake="returns (1,1,H,W)", keywords=["shape", "(h, w)", "squeeze", "[0, 0]"], answer=sal_4d),
 dict(lesson="lesson10", checker="check_saliency", mistake="gradient of the CE loss instead of the score", keywords=["score", "loss", "softmax", "logit"], answer=sal_softmax_grad),
 dict(lesson="lesson10", checker="check_saliency", mistake="uses predicted class, ignores label", keywords=["label", "predicted", "argmax"], answer=sal_wrong_label),
 dict(lesson="lesson10", checker="check_saliency", mistake="transposed map", keywords=["transpos"], answer=sal_transposed),
 dict(lesson="lesson10", checker="check_saliency", mistake="upstream gradient = logit value, not 1", keywords=["1", "one", "upstream", "one-hot"], answer=sal_logit_value),
 dict(lesson="lesson11", checker="check_torch_to_cnnlab", mistake=R, keywords=[], answer=tc_right),
 dict(lesson="lesson11", checker="check_torch_to_cnnlab", mistake="forgets to transpose dense.weight", keywords=["transpose", "dense.weight", ".t"], answer=tc_no_transpose),
 dict(lesson="lesson11", checker="check_torch_to_cnnlab", mistake="transposes conv weights too", keywords=["conv", "only dense", "transpose"], answer=tc_transpose_all_weights),
 dict(lesson="lesson11", checker="check_torch_to_cnnlab", mistake="flips conv kernels", keywords=["flip", "correlat", "conv"], answer=tc_flip_conv),
 dict(lesson="lesson11", checker="check_torch_to_cnnlab", mistake="modifies the state in place / returns it", keywords=["new dict", "in place", "unchanged", "copy"], answer=tc_same_object),
 dict(lesson="lesson11", checker="check_torch_to_cnnlab", mistake="reshape instead of transpose for dense.weight", keywords=["reshape", "transpose", ".t"], answer=tc_reshape_not_T),
 dict(lesson="lesson11", checker="check_torch_to_cnnlab", mistake="renames keys (dots to underscores)", keywords=["name", "key"], answer=tc_renamed),
 dict(lesson="lesson11", checker="check_channels_last_to_first", mistake=R, keywords=[], answer=cl_right),
 dict(lesson="lesson11", checker="check_channels_last_to_first", mistake="reshape only, no move", keywords=["move", "transpose", "axis", "axes"], answer=cl_reshape_only),
 dict(lesson="lesson11", checker="check_channels_last_to_first", mistake="reshapes as (C,H,W) then moves (inverse)", keywords=["(h, w, c)", "inverse", "other way", "direction"], answer=cl_wrong_split),
 dict(lesson="lesson11", checker="check_channels_last_to_first", mistake="also swaps H and W", keywords=["h and w", "height", "width", "swap"], answer=cl_swap_hw),
 dict(lesson="lesson11", checker="check_channels_last_to_first", mistake="assumes height == width", keywords=["square", "width", "height"], answer=cl_square_hw),
 dict(lesson="lesson11", checker="check_channels_last_to_first", mistake="returns (M, CHW)", keywords=["shape", "transpose", "(chw, m)"], answer=cl_transposed_out),
 dict(lesson="lesson11", checker="check_channels_last_to_first", mistake="reshape(width,height,...) and swap", keywords=["width", "height", "order"], answer=cl_args_order),
 dict(lesson="lesson11", checker="check_convolution_to_correlation", mistake=R, keywords=[], answer=cc_right),
 dict(lesson="lesson11", checker="check_convolution_to_correlation", mistake="flips rows only", keywords=["both", "columns", "width", "kw", "axis"], answer=cc_flip_rows_only),
 dict(lesson="lesson11", checker="check_convolution_to_correlation", mistake="transposes instead of flipping", keywords=["transpos", "flip", "rotat"], answer=cc_transpose),
 dict(lesson="lesson11", checker="check_convolution_to_correlation", mistake="flips all four axes", keywords=["filter", "channel", "f", "c", "last two"], answer=cc_flip_all_axes),
 dict(lesson="lesson11", checker="check_convolution_to_correlation", mistake="returns unchanged", keywords=["flip", "unchanged", "same"], answer=cc_identity),
 dict(lesson="lesson11", checker="check_convolution_to_correlation", mistake="rot90 instead of rot180", keywords=["90", "180", "rotat"], answer=cc_rot90),
 dict(lesson="lesson11", checker="check_convolution_to_correlation", mistake="negates kernel", keywords=["sign", "negat", "flip"], answer=cc_negate),
 dict(lesson="lesson11", checker="check_convolution_to_correlation", mistake="flips channel axis too", keywords=["channel", "c", "last two"], answer=cc_flip_channels_too),
 dict(lesson="lesson11", checker="check_torch_step", mistake=R, keywords=[], answer=ts_right),
 dict(lesson="lesson11", checker="check_torch_step", mistake="no zero_grad", keywords=["zero_grad", "accumulat", "left over"], answer=ts_no_zero_grad),
 dict(lesson="lesson11", checker="check_torch_step", mistake="no optimizer.step()", keywords=["step", "optimizer"], answer=ts_no_step),
 dict(lesson="lesson11", checker="check_torch_step", mistake="returns tensor not float", keywords=["item", "float", "tensor"], answer=ts_returns_tensor),
 dict(lesson="lesson11", checker="check_torch_step", mistake="softmax before cross_entropy", keywords=["softmax", "logits", "twice"], answer=ts_softmax_first),
 dict(lesson="lesson11", checker="check_torch_step", mistake="returns the loss after the step", keywords=["before", "after", "loss"], answer=ts_loss_after_step),
]
