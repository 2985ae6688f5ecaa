"""Walker v3's answers to lessons 08-11 (right ones and wrong ones), as a learner writes them:
the second walk of these lessons, 2026-12-07, on main at 3c9b86c (14 right, 111 wrong).

Imports only numpy, cnnlab and the standard library.  PyTorch, for lesson 11's torch_step,
is reached through cnnlab.course.import_torch() inside the functions.
"""
import numpy as np

import cnnlab as cl


def _torch():
    import contextlib
    import io
    with contextlib.redirect_stdout(io.StringIO()):
        torch, nn, F = cl.course.import_torch()
    return torch, F


# ---------------------------------------------------------------- lesson 08, gd_update
def gd_right(params, grads, lr):
    return {name: params[name] - lr * grads[name] for name in params}


def gd_in_place(params, grads, lr):
    for name in params:
        params[name] -= lr * grads[name]
    return params


def gd_plus(params, grads, lr):
    return {name: params[name] + lr * grads[name] for name in params}


def gd_no_lr(params, grads, lr):
    return {name: params[name] - grads[name] for name in params}


def gd_only_kernel(params, grads, lr):
    new = dict(params)
    new["kernel"] = params["kernel"] - lr * grads["kernel"]
    return new


def gd_list(params, grads, lr):
    return [params[name] - lr * grads[name] for name in params]


def gd_swapped(params, grads, lr):
    return {name: grads[name] - lr * params[name] for name in params}


def gd_drops_out_bias(params, grads, lr):
    return {name: params[name] - lr * grads[name] for name in params if name != "out_bias"}


def gd_half_lr(params, grads, lr):
    return {name: params[name] - 0.5 * lr * grads[name] for name in params}


# ---------------------------------------------------------------- lesson 08, binary_accuracy
def acc_right(y_hat, targets):
    return float(np.mean((np.asarray(y_hat) > 0.5) == np.asarray(targets)))


def acc_ge(y_hat, targets):
    return float(np.mean((np.asarray(y_hat) >= 0.5) == np.asarray(targets)))


def acc_count(y_hat, targets):
    return int(np.sum((np.asarray(y_hat) > 0.5) == np.asarray(targets)))


def acc_no_threshold(y_hat, targets):
    return float(np.mean(np.asarray(y_hat) == np.asarray(targets)))


def acc_inverted(y_hat, targets):
    return float(np.mean((np.asarray(y_hat) < 0.5) == np.asarray(targets)))


def acc_int_division(y_hat, targets):
    correct = int(np.sum((np.asarray(y_hat) > 0.5) == np.asarray(targets)))
    return correct // len(targets)


def acc_error_rate(y_hat, targets):
    return 1.0 - float(np.mean((np.asarray(y_hat) > 0.5) == np.asarray(targets)))


def acc_percent(y_hat, targets):
    return 100.0 * float(np.mean((np.asarray(y_hat) > 0.5) == np.asarray(targets)))


# ---------------------------------------------------------------- lesson 08, momentum_step
def mom_right(params, grads, velocity, lr, momentum):
    new_velocity = {n: momentum * velocity[n] + grads[n] for n in params}
    new_params = {n: params[n] - lr * new_velocity[n] for n in params}
    return new_params, new_velocity


def mom_lr_in_velocity(params, grads, velocity, lr, momentum):
    new_velocity = {n: momentum * velocity[n] + lr * grads[n] for n in params}
    new_params = {n: params[n] - new_velocity[n] for n in params}
    return new_params, new_velocity


def mom_old_velocity(params, grads, velocity, lr, momentum):
    new_velocity = {n: momentum * velocity[n] + grads[n] for n in params}
    new_params = {n: params[n] - lr * velocity[n] for n in params}
    return new_params, new_velocity


def mom_dampened(params, grads, velocity, lr, momentum):
    new_velocity = {n: momentum * velocity[n] + (1 - momentum) * grads[n] for n in params}
    new_params = {n: params[n] - lr * new_velocity[n] for n in params}
    return new_params, new_velocity


def mom_in_place_velocity(params, grads, velocity, lr, momentum):
    for n in velocity:
        velocity[n] *= momentum
        velocity[n] += grads[n]
    new_params = {n: params[n] - lr * velocity[n] for n in params}
    return new_params, velocity


def mom_params_only(params, grads, velocity, lr, momentum):
    new_velocity = {n: momentum * velocity[n] + grads[n] for n in params}
    return {n: params[n] - lr * new_velocity[n] for n in params}


def mom_ignores_momentum(params, grads, velocity, lr, momentum):
    new_velocity = {n: grads[n] + 0 * velocity[n] for n in params}
    new_params = {n: params[n] - lr * new_velocity[n] for n in params}
    return new_params, new_velocity


def mom_swapped_return(params, grads, velocity, lr, momentum):
    new_params, new_velocity = mom_right(params, grads, velocity, lr, momentum)
    return new_velocity, new_params


def mom_sign(params, grads, velocity, lr, momentum):
    new_velocity = {n: momentum * velocity[n] - grads[n] for n in params}
    new_params = {n: params[n] - lr * new_velocity[n] for n in params}
    return new_params, new_velocity


# ---------------------------------------------------------------- lesson 08, train_epoch
def te_right(params, images, targets, order, batch_size, lr):
    current = {n: np.array(v, copy=True) for n, v in params.items()}
    losses = []
    for first in range(0, len(order), batch_size):
        batch = np.asarray(order[first:first + batch_size])
        loss, grads, _ = cl.seednet.seed_network_loss(current, images[batch], targets[batch])
        current = {n: current[n] - lr * grads[n] for n in current}
        losses.append(loss)
    return current, losses


def te_ignores_order(params, images, targets, order, batch_size, lr):
    current = dict(params)
    losses = []
    for first in range(0, len(order), batch_size):
        loss, grads, _ = cl.seednet.seed_network_loss(
            current, images[first:first + batch_size], targets[first:first + batch_size])
        current = {n: current[n] - lr * grads[n] for n in current}
        losses.append(loss)
    return current, losses


def te_drops_last(params, images, targets, order, batch_size, lr):
    current = dict(params)
    losses = []
    for b in range(len(order) // batch_size):
        batch = np.asarray(order[b * batch_size:(b + 1) * batch_size])
        loss, grads, _ = cl.seednet.seed_network_loss(current, images[batch], targets[batch])
        current = {n: current[n] - lr * grads[n] for n in current}
        losses.append(loss)
    return current, losses


def te_off_by_one_slice(params, images, targets, order, batch_size, lr):
    current = dict(params)
    losses = []
    for first in range(0, len(order), batch_size):
        batch = np.asarray(order[first:first + batch_size - 1])
        if len(batch) == 0:
            continue
        loss, grads, _ = cl.seednet.seed_network_loss(current, images[batch], targets[batch])
        current = {n: current[n] - lr * grads[n] for n in current}
        losses.append(loss)
    return current, losses


def te_mean_loss(params, images, targets, order, batch_size, lr):
    new_params, losses = te_right(params, images, targets, order, batch_size, lr)
    return new_params, float(np.mean(losses))


def te_in_place(params, images, targets, order, batch_size, lr):
    losses = []
    for first in range(0, len(order), batch_size):
        batch = np.asarray(order[first:first + batch_size])
        loss, grads, _ = cl.seednet.seed_network_loss(params, images[batch], targets[batch])
        for n in params:
            params[n] -= lr * grads[n]
        losses.append(loss)
    return params, losses


def te_no_chaining(params, images, targets, order, batch_size, lr):
    new_params = dict(params)
    losses = []
    for first in range(0, len(order), batch_size):
        batch = np.asarray(order[first:first + batch_size])
        loss, grads, _ = cl.seednet.seed_network_loss(params, images[batch], targets[batch])
        new_params = {n: params[n] - lr * grads[n] for n in params}
        losses.append(loss)
    return new_params, losses


def te_targets_not_reordered(params, images, targets, order, batch_size, lr):
    current = dict(params)
    losses = []
    for first in range(0, len(order), batch_size):
        batch = np.asarray(order[first:first + batch_size])
        loss, grads, _ = cl.seednet.seed_network_loss(
            current, images[batch], targets[first:first + batch_size])
        current = {n: current[n] - lr * grads[n] for n in current}
        losses.append(loss)
    return current, losses


def te_sign(params, images, targets, order, batch_size, lr):
    current = dict(params)
    losses = []
    for first in range(0, len(order), batch_size):
        batch = np.asarray(order[first:first + batch_size])
        loss, grads, _ = cl.seednet.seed_network_loss(current, images[batch], targets[batch])
        current = {n: current[n] + lr * grads[n] for n in current}
        losses.append(loss)
    return current, losses


# ---------------------------------------------------------------- lesson 09, im2col
def im2col_right(image, k):
    image = np.asarray(image)
    height, width = image.shape
    rows = [image[i:i + k, j:j + k].ravel()
            for i in range(height - k + 1) for j in range(width - k + 1)]
    return np.array(rows, dtype=float)


def im2col_column_major(image, k):
    image = np.asarray(image)
    height, width = image.shape
    rows = [image[i:i + k, j:j + k].ravel()
            for j in range(width - k + 1) for i in range(height - k + 1)]
    return np.array(rows, dtype=float)


def im2col_patch_transposed(image, k):
    image = np.asarray(image)
    height, width = image.shape
    rows = [image[i:i + k, j:j + k].T.ravel()
            for i in range(height - k + 1) for j in range(width - k + 1)]
    return np.array(rows, dtype=float)


def im2col_off_by_one(image, k):
    image = np.asarray(image)
    height, width = image.shape
    rows = [image[i:i + k, j:j + k].ravel()
            for i in range(height - k) for j in range(width - k)]
    return np.array(rows, dtype=float)


def im2col_square_only(image, k):
    image = np.asarray(image)
    n = image.shape[0]
    rows = [image[i:i + k, j:j + k].ravel()
            for i in range(n - k + 1) for j in range(n - k + 1)]
    return np.array(rows, dtype=float)


def im2col_list(image, k):
    image = np.asarray(image)
    height, width = image.shape
    return [image[i:i + k, j:j + k].ravel()
            for i in range(height - k + 1) for j in range(width - k + 1)]


def im2col_int(image, k):
    image = np.asarray(image)
    height, width = image.shape
    out = np.zeros(((height - k + 1) * (width - k + 1), k * k), dtype=int)
    r = 0
    for i in range(height - k + 1):
        for j in range(width - k + 1):
            out[r] = image[i:i + k, j:j + k].ravel()
            r += 1
    return out


def im2col_transposed(image, k):
    return im2col_right(image, k).T


# ---------------------------------------------------------------- lesson 09, softmax_ce_grad
def _softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def sm_right(logits, labels):
    logits = np.asarray(logits, dtype=float)
    n = logits.shape[0]
    grad = _softmax(logits)
    grad[np.arange(n), labels] -= 1
    return grad / n


def sm_no_mean(logits, labels):
    logits = np.asarray(logits, dtype=float)
    grad = _softmax(logits)
    grad[np.arange(len(grad)), labels] -= 1
    return grad


def sm_unstable(logits, labels):
    logits = np.asarray(logits, dtype=float)
    e = np.exp(logits)
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(p)), labels] -= 1
    return p / len(p)


def sm_sign(logits, labels):
    return -sm_right(logits, labels)


def sm_no_onehot(logits, labels):
    logits = np.asarray(logits, dtype=float)
    return _softmax(logits) / logits.shape[0]


def sm_axis0(logits, labels):
    logits = np.asarray(logits, dtype=float)
    e = np.exp(logits - logits.max(axis=0, keepdims=True))
    p = e / e.sum(axis=0, keepdims=True)
    p[np.arange(len(p)), labels] -= 1
    return p / len(p)


def sm_bad_index(logits, labels):
    logits = np.asarray(logits, dtype=float)
    p = _softmax(logits)
    p[:, labels] -= 1
    return p / len(p)


def sm_in_place(logits, labels):
    logits -= logits.max(axis=1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=1, keepdims=True)
    logits[np.arange(len(logits)), labels] -= 1
    logits /= len(logits)
    return logits


def sm_divide_by_classes(logits, labels):
    logits = np.asarray(logits, dtype=float)
    p = _softmax(logits)
    p[np.arange(len(p)), labels] -= 1
    return p / logits.shape[1]


# ---------------------------------------------------------------- lesson 09, minibatches
def mb_right(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return [(images[order[i:i + batch_size]], labels[order[i:i + batch_size]])
            for i in range(0, len(order), batch_size)]


def mb_global_rng(images, labels, batch_size, seed):
    order = np.random.permutation(len(images))
    return [(images[order[i:i + batch_size]], labels[order[i:i + batch_size]])
            for i in range(0, len(order), batch_size)]


def mb_drops_last(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return [(images[order[b * batch_size:(b + 1) * batch_size]],
             labels[order[b * batch_size:(b + 1) * batch_size]])
            for b in range(len(order) // batch_size)]


def mb_labels_unshuffled(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return [(images[order[i:i + batch_size]], labels[i:i + batch_size])
            for i in range(0, len(order), batch_size)]


def mb_indices(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return [(order[i:i + batch_size], labels[order[i:i + batch_size]])
            for i in range(0, len(order), batch_size)]


def mb_seed_plus_one(images, labels, batch_size, seed):
    return mb_right(images, labels, batch_size, seed + 1)


def mb_no_shuffle(images, labels, batch_size, seed):
    return [(images[i:i + batch_size], labels[i:i + batch_size])
            for i in range(0, len(images), batch_size)]


def mb_overlapping(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return [(images[order[i:i + batch_size]], labels[order[i:i + batch_size]])
            for i in range(0, len(order), max(1, batch_size - 1))]


# ---------------------------------------------------------------- lesson 10, accuracy_from_confusion
def afc_right(matrix):
    matrix = np.asarray(matrix)
    return float(np.trace(matrix) / matrix.sum())


def afc_balanced(matrix):
    matrix = np.asarray(matrix, dtype=float)
    return float(np.mean(np.diag(matrix) / matrix.sum(axis=1)))


def afc_by_classes(matrix):
    matrix = np.asarray(matrix)
    return float(np.trace(matrix) / matrix.shape[0])


def afc_int_division(matrix):
    matrix = np.asarray(matrix)
    return int(np.trace(matrix)) // int(matrix.sum())


def afc_percent(matrix):
    return 100 * afc_right(matrix)


def afc_first_row(matrix):
    matrix = np.asarray(matrix)
    return float(np.trace(matrix) / matrix[0].sum())


def afc_off_diagonal(matrix):
    matrix = np.asarray(matrix)
    return float((matrix.sum() - np.trace(matrix)) / matrix.sum())


# ---------------------------------------------------------------- lesson 10, most_confused
def mc_right(matrix):
    off = np.array(matrix, dtype=float, copy=True)
    np.fill_diagonal(off, -np.inf)
    i, j = np.unravel_index(np.argmax(off), off.shape)
    return int(i), int(j)


def mc_keeps_diagonal(matrix):
    matrix = np.asarray(matrix)
    i, j = np.unravel_index(np.argmax(matrix), matrix.shape)
    return int(i), int(j)


def mc_swapped(matrix):
    i, j = mc_right(matrix)
    return j, i


def mc_in_place(matrix):
    np.fill_diagonal(matrix, 0)
    i, j = np.unravel_index(np.argmax(matrix), matrix.shape)
    return int(i), int(j)


def mc_flat_index(matrix):
    off = np.array(matrix, dtype=float, copy=True)
    np.fill_diagonal(off, -np.inf)
    return int(np.argmax(off))


def mc_argmin(matrix):
    off = np.array(matrix, dtype=float, copy=True)
    np.fill_diagonal(off, np.inf)
    i, j = np.unravel_index(np.argmin(off), off.shape)
    return int(i), int(j)


def mc_float_indices(matrix):
    i, j = mc_right(matrix)
    return float(i), float(j)


def mc_list(matrix):
    return list(mc_right(matrix))


# ---------------------------------------------------------------- lesson 10, saliency_map
def sal_right(params, image, label):
    image = np.asarray(image, dtype=float)
    logits, cache = cl.models.small_cnn_forward(params, image[None, None])
    grad_logits = np.zeros_like(logits)
    grad_logits[0, label] = 1.0
    grads = cl.models.small_cnn_backward(grad_logits, cache, input_grad=True)
    return grads["images"][0, 0]


def sal_no_squeeze(params, image, label):
    image = np.asarray(image, dtype=float)
    logits, cache = cl.models.small_cnn_forward(params, image[None, None])
    grad_logits = np.zeros_like(logits)
    grad_logits[0, label] = 1.0
    return cl.models.small_cnn_backward(grad_logits, cache, input_grad=True)["images"]


def sal_all_ones(params, image, label):
    image = np.asarray(image, dtype=float)
    logits, cache = cl.models.small_cnn_forward(params, image[None, None])
    grads = cl.models.small_cnn_backward(np.ones_like(logits), cache, input_grad=True)
    return grads["images"][0, 0]


def sal_loss_gradient(params, image, label):
    image = np.asarray(image, dtype=float)
    logits, cache = cl.models.small_cnn_forward(params, image[None, None])
    _, grad_logits = cl.softmax_cross_entropy(logits, np.array([label]))
    grads = cl.models.small_cnn_backward(grad_logits, cache, input_grad=True)
    return grads["images"][0, 0]


def sal_sign(params, image, label):
    return -sal_right(params, image, label)


def sal_predicted_class(params, image, label):
    image = np.asarray(image, dtype=float)
    logits, cache = cl.models.small_cnn_forward(params, image[None, None])
    grad_logits = np.zeros_like(logits)
    grad_logits[0, int(np.argmax(logits[0]))] = 1.0
    grads = cl.models.small_cnn_backward(grad_logits, cache, input_grad=True)
    return grads["images"][0, 0]


def sal_abs(params, image, label):
    return np.abs(sal_right(params, image, label))


def sal_probability(params, image, label):
    image = np.asarray(image, dtype=float)
    logits, cache = cl.models.small_cnn_forward(params, image[None, None])
    p = cl.softmax(logits)
    onehot = np.zeros_like(p)
    onehot[0, label] = 1.0
    # d p_y / d z = p_y (onehot - p)
    grad_logits = p[0, label] * (onehot - p)
    grads = cl.models.small_cnn_backward(grad_logits, cache, input_grad=True)
    return grads["images"][0, 0]


# ---------------------------------------------------------------- lesson 11, torch_to_cnnlab
def t2c_right(state):
    return {name: (np.array(value).T.copy() if name == "dense.weight" else np.array(value, copy=True))
            for name, value in state.items()}


def t2c_no_transpose(state):
    return {name: np.array(value, copy=True) for name, value in state.items()}


def t2c_transpose_all(state):
    return {name: np.array(value).T.copy() for name, value in state.items()}


def t2c_flip_conv(state):
    out = t2c_right(state)
    for name in out:
        if name.startswith("conv") and name.endswith("weight"):
            out[name] = out[name][..., ::-1, ::-1].copy()
    return out


def t2c_in_place(state):
    state["dense.weight"] = state["dense.weight"].T
    return state


def t2c_reshape(state):
    out = {name: np.array(value, copy=True) for name, value in state.items()}
    w = out["dense.weight"]
    out["dense.weight"] = w.reshape(w.shape[1], w.shape[0])
    return out


def t2c_weights_only(state):
    return {name: (np.array(value).T.copy() if name == "dense.weight" else np.array(value, copy=True))
            for name, value in state.items() if name.endswith("weight")}


def t2c_one_block_only(state):
    return {"conv1.weight": np.array(state["conv1.weight"], copy=True),
            "conv1.bias": np.array(state["conv1.bias"], copy=True),
            "dense.weight": np.array(state["dense.weight"]).T.copy(),
            "dense.bias": np.array(state["dense.bias"], copy=True)}


# ---------------------------------------------------------------- lesson 11, channels_last_to_first
def cl2f_right(weight, channels, height, width):
    weight = np.asarray(weight)
    m = weight.shape[1]
    return weight.reshape(height, width, channels, m).transpose(2, 0, 1, 3).reshape(-1, m)


def cl2f_reshape_only(weight, channels, height, width):
    return np.asarray(weight).copy()


def cl2f_wrong_direction(weight, channels, height, width):
    weight = np.asarray(weight)
    m = weight.shape[1]
    return weight.reshape(channels, height, width, m).transpose(1, 2, 0, 3).reshape(-1, m)


def cl2f_square(weight, channels, height, width):
    weight = np.asarray(weight)
    m = weight.shape[1]
    return weight.reshape(height, height, channels, m).transpose(2, 0, 1, 3).reshape(-1, m)


def cl2f_transposed(weight, channels, height, width):
    return cl2f_right(weight, channels, height, width).T


def cl2f_hw_swapped(weight, channels, height, width):
    weight = np.asarray(weight)
    m = weight.shape[1]
    return weight.reshape(height, width, channels, m).transpose(2, 1, 0, 3).reshape(-1, m)


def cl2f_hardcoded_m(weight, channels, height, width):
    weight = np.asarray(weight)
    return weight.reshape(height, width, channels, 10).transpose(2, 0, 1, 3).reshape(-1, 10)


# ---------------------------------------------------------------- lesson 11, convolution_to_correlation
def c2c_right(kernels):
    return np.asarray(kernels)[..., ::-1, ::-1].copy()


def c2c_one_axis(kernels):
    return np.asarray(kernels)[..., ::-1].copy()


def c2c_wrong_axes(kernels):
    return np.asarray(kernels)[::-1, ::-1].copy()


def c2c_transpose(kernels):
    return np.swapaxes(np.asarray(kernels), -1, -2).copy()


def c2c_unchanged(kernels):
    return np.asarray(kernels).copy()


def c2c_rot90_default_axes(kernels):
    return np.rot90(np.asarray(kernels), 2).copy()


def c2c_rot90_once(kernels):
    return np.rot90(np.asarray(kernels), 1, axes=(-2, -1)).copy()


def c2c_flip_all(kernels):
    return np.flip(np.asarray(kernels)).copy()


def c2c_in_place(kernels):
    kernels[...] = kernels[..., ::-1, ::-1].copy()
    return kernels


# ---------------------------------------------------------------- lesson 11, torch_step
def ts_right(model, optimizer, images, labels):
    torch, F = _torch()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


def ts_no_zero_grad(model, optimizer, images, labels):
    torch, F = _torch()
    loss = F.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


def ts_returns_tensor(model, optimizer, images, labels):
    torch, F = _torch()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss


def ts_no_step(model, optimizer, images, labels):
    torch, F = _torch()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(images), labels)
    loss.backward()
    return loss.item()


def ts_zero_grad_before_step(model, optimizer, images, labels):
    torch, F = _torch()
    loss = F.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.zero_grad()
    optimizer.step()
    return loss.item()


def ts_double_softmax(model, optimizer, images, labels):
    torch, F = _torch()
    optimizer.zero_grad()
    loss = F.cross_entropy(torch.softmax(model(images), dim=1), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


def ts_nll_on_logits(model, optimizer, images, labels):
    torch, F = _torch()
    optimizer.zero_grad()
    loss = F.nll_loss(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


def ts_no_backward(model, optimizer, images, labels):
    torch, F = _torch()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(images), labels)
    optimizer.step()
    return loss.item()


def ts_sum_loss(model, optimizer, images, labels):
    torch, F = _torch()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(images), labels, reduction="sum")
    loss.backward()
    optimizer.step()
    return loss.item()


# ---------------------------------------------------------------- second round of wrong answers
def te_loss_after_update(params, images, targets, order, batch_size, lr):
    current = {n: np.array(v, copy=True) for n, v in params.items()}
    losses = []
    for first in range(0, len(order), batch_size):
        batch = np.asarray(order[first:first + batch_size])
        _, grads, _ = cl.seednet.seed_network_loss(current, images[batch], targets[batch])
        current = {n: current[n] - lr * grads[n] for n in current}
        losses.append(cl.seednet.seed_network_loss(current, images[batch], targets[batch])[0])
    return current, losses


def acc_array_shape(y_hat, targets):
    return np.array([acc_right(y_hat, targets)])


def mb_generator(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return ((images[order[i:i + batch_size]], labels[order[i:i + batch_size]])
            for i in range(0, len(order), batch_size))


def sm_returns_tuple(logits, labels):
    logits = np.asarray(logits, dtype=float)
    grad = sm_right(logits, labels)
    p = _softmax(logits)
    loss = -np.mean(np.log(p[np.arange(len(p)), labels] + 1e-300))
    return loss, grad


def afc_array(matrix):
    return np.array([afc_right(matrix)])


def mc_last_tie(matrix):
    off = np.array(matrix, dtype=float, copy=True)
    np.fill_diagonal(off, -np.inf)
    flat = off.ravel()
    index = len(flat) - 1 - int(np.argmax(flat[::-1]))
    i, j = np.unravel_index(index, off.shape)
    return int(i), int(j)


def sal_no_input_grad(params, image, label):
    image = np.asarray(image, dtype=float)
    logits, cache = cl.models.small_cnn_forward(params, image[None, None])
    grad_logits = np.zeros_like(logits)
    grad_logits[0, label] = 1.0
    return cl.models.small_cnn_backward(grad_logits, cache)["images"][0, 0]


def cl2f_moveaxis_wrong(weight, channels, height, width):
    weight = np.asarray(weight)
    m = weight.shape[1]
    return np.moveaxis(weight.reshape(height, width, channels, m), 2, 1).reshape(-1, m)


def t2c_torch_layout_conv(state):
    out = t2c_right(state)
    for name in out:
        if name.startswith("conv") and name.endswith("weight"):
            out[name] = np.transpose(out[name], (2, 3, 1, 0)).copy()
    return out


def A(lesson, checker, mistake, keywords, answer):
    return {"lesson": lesson, "checker": checker, "mistake": mistake,
            "keywords": keywords, "answer": answer}


L8, L9, L10, L11 = "lesson08", "lesson09", "lesson10", "lesson11"
ANSWERS = [
    # lesson 08
    A(L8, "check_gd_update", "right answer", [], gd_right),
    A(L8, "check_gd_update", "changes params in place and returns them", ["in place", "unchanged", "modif", "copy"], gd_in_place),
    A(L8, "check_gd_update", "adds the gradient (wrong sign, ascent)", ["sign", "plus", "ascent", "against", "+"], gd_plus),
    A(L8, "check_gd_update", "forgets the learning rate", ["lr", "learning rate"], gd_no_lr),
    A(L8, "check_gd_update", "updates only the kernel", ["bias", "weight", "out_bias", "every"], gd_only_kernel),
    A(L8, "check_gd_update", "returns a list instead of a dict", ["dict", "list"], gd_list),
    A(L8, "check_gd_update", "swaps params and grads", ["swap", "params", "grads"], gd_swapped),
    A(L8, "check_gd_update", "drops the out_bias key", ["out_bias", "missing", "key"], gd_drops_out_bias),
    A(L8, "check_gd_update", "half the learning rate (missing factor)", ["factor", "lr", "learning rate", "half"], gd_half_lr),
    A(L8, "check_accuracy", "right answer", [], acc_right),
    A(L8, "check_accuracy", ">= 0.5 instead of > 0.5", ["0.5", "threshold", "strict", ">="], acc_ge),
    A(L8, "check_accuracy", "returns the count, not the fraction", ["fraction", "count", "divide", "mean"], acc_count),
    A(L8, "check_accuracy", "compares y_hat to targets with no threshold", ["threshold", "0.5", "predict"], acc_no_threshold),
    A(L8, "check_accuracy", "inverted classes (< 0.5)", ["invert", "flip", "opposite", "class 1"], acc_inverted),
    A(L8, "check_accuracy", "integer division count // n", ["integer", "division", "//"], acc_int_division),
    A(L8, "check_accuracy", "returns the error rate 1 - accuracy", ["error", "1 -", "wrong", "mistak"], acc_error_rate),
    A(L8, "check_accuracy", "returns a percentage (x100)", ["percent", "100", "fraction"], acc_percent),
    A(L8, "check_momentum_step", "right answer", [], mom_right),
    A(L8, "check_momentum_step", "lr folded into the velocity (v = mu v + lr g)", ["lr", "learning rate", "velocity"], mom_lr_in_velocity),
    A(L8, "check_momentum_step", "moves params with the OLD velocity", ["old", "new velocity", "order", "previous"], mom_old_velocity),
    A(L8, "check_momentum_step", "dampening (1 - mu) g", ["1 - momentum", "dampen", "factor", "(1 -"], mom_dampened),
    A(L8, "check_momentum_step", "changes velocity in place", ["in place", "velocity", "unchanged", "modif"], mom_in_place_velocity),
    A(L8, "check_momentum_step", "returns only new_params", ["tuple", "two", "pair", "velocity"], mom_params_only),
    A(L8, "check_momentum_step", "ignores momentum (v = g)", ["momentum", "ignor", "mu"], mom_ignores_momentum),
    A(L8, "check_momentum_step", "returns (velocity, params) swapped", ["order", "swap", "first"], mom_swapped_return),
    A(L8, "check_momentum_step", "v = mu v - g (wrong sign)", ["sign"], mom_sign),
    A(L8, "check_train_epoch", "right answer", [], te_right),
    A(L8, "check_train_epoch", "ignores order (takes images in stored order)", ["order", "shuffle"], te_ignores_order),
    A(L8, "check_train_epoch", "drops the last smaller batch", ["last", "smaller", "partial"], te_drops_last),
    A(L8, "check_train_epoch", "off-by-one slice (batch_size - 1 images)", ["batch_size", "off", "size", "one"], te_off_by_one_slice),
    A(L8, "check_train_epoch", "returns the mean loss instead of the list", ["per batch", "list", "one loss", "mean"], te_mean_loss),
    A(L8, "check_train_epoch", "updates params in place", ["in place", "unchanged", "modif"], te_in_place),
    A(L8, "check_train_epoch", "every batch starts from the original params (no chaining)", ["previous", "updated", "chain", "each batch", "original"], te_no_chaining),
    A(L8, "check_train_epoch", "targets sliced without order", ["target", "label", "order"], te_targets_not_reordered),
    A(L8, "check_train_epoch", "adds the gradient (wrong sign)", ["sign", "ascent", "against"], te_sign),
    # lesson 09
    A(L9, "check_im2col", "right answer", [], im2col_right),
    A(L9, "check_im2col", "patches in column-major order", ["order", "row-major", "column", "along"], im2col_column_major),
    A(L9, "check_im2col", "each patch flattened column by column", ["flatten", "row by row", "transpos"], im2col_patch_transposed),
    A(L9, "check_im2col", "off by one: range(H - k)", ["last", "off", "+ 1", "count", "number of"], im2col_off_by_one),
    A(L9, "check_im2col", "square-only: uses height for width", ["width", "square", "non-square"], im2col_square_only),
    A(L9, "check_im2col", "returns a list of rows", ["array", "list"], im2col_list),
    A(L9, "check_im2col", "integer output array", ["dtype", "int", "float", "truncat"], im2col_int),
    A(L9, "check_im2col", "returns the transpose (k*k, patches)", ["shape", "transpos"], im2col_transposed),
    A(L9, "check_softmax_grad", "right answer", [], sm_right),
    A(L9, "check_softmax_grad", "forgets to divide by N", ["mean", "divide", "batch", " n"], sm_no_mean),
    A(L9, "check_softmax_grad", "no max subtraction (overflow)", ["overflow", "max", "nan", "stable", "inf"], sm_unstable),
    A(L9, "check_softmax_grad", "one-hot minus p (wrong sign)", ["sign"], sm_sign),
    A(L9, "check_softmax_grad", "forgets to subtract the one-hot", ["one-hot", "subtract", "label"], sm_no_onehot),
    A(L9, "check_softmax_grad", "softmax over axis 0", ["axis", "row", "column"], sm_axis0),
    A(L9, "check_softmax_grad", "p[:, labels] -= 1 (wrong indexing)", ["index", "arange", "each row", "label"], sm_bad_index),
    A(L9, "check_softmax_grad", "changes logits in place", ["in place", "logits", "modif", "unchanged"], sm_in_place),
    A(L9, "check_softmax_grad", "divides by the number of classes", ["classes", " k", "batch", " n"], sm_divide_by_classes),
    A(L9, "check_minibatches", "right answer", [], mb_right),
    A(L9, "check_minibatches", "np.random.permutation, ignores the seed", ["seed", "default_rng"], mb_global_rng),
    A(L9, "check_minibatches", "drops the last smaller batch", ["last", "smaller", "every image"], mb_drops_last),
    A(L9, "check_minibatches", "labels not shuffled with the images", ["label", "keep", "same order"], mb_labels_unshuffled),
    A(L9, "check_minibatches", "returns indices instead of images", ["images", "indices", "index"], mb_indices),
    A(L9, "check_minibatches", "seed + 1", ["seed", "order", "permutation"], mb_seed_plus_one),
    A(L9, "check_minibatches", "no shuffle at all", ["shuffle", "order", "permutation"], mb_no_shuffle),
    A(L9, "check_minibatches", "step batch_size - 1 (overlapping batches)", ["twice", "exactly once", "overlap", "duplicate"], mb_overlapping),
    # lesson 10
    A(L10, "check_accuracy_from_confusion", "right answer", [], afc_right),
    A(L10, "check_accuracy_from_confusion", "mean per-class recall (balanced accuracy)", ["per class", "balanced", "row", "recall"], afc_balanced),
    A(L10, "check_accuracy_from_confusion", "divides by the number of classes", ["total", "sum", "classes"], afc_by_classes),
    A(L10, "check_accuracy_from_confusion", "integer division", ["integer", "division", "//"], afc_int_division),
    A(L10, "check_accuracy_from_confusion", "percentage", ["percent", "100", "fraction"], afc_percent),
    A(L10, "check_accuracy_from_confusion", "divides by the first row's sum", ["total", "sum", "row"], afc_first_row),
    A(L10, "check_accuracy_from_confusion", "off-diagonal share (error rate)", ["error", "diagonal", "off"], afc_off_diagonal),
    A(L10, "check_most_confused", "right answer", [], mc_right),
    A(L10, "check_most_confused", "keeps the diagonal", ["diagonal", "correct", "off"], mc_keeps_diagonal),
    A(L10, "check_most_confused", "returns (predicted, true)", ["order", "swap", "true", "row"], mc_swapped),
    A(L10, "check_most_confused", "zeroes the diagonal of the input in place", ["in place", "modif", "unchanged"], mc_in_place),
    A(L10, "check_most_confused", "returns the flat index", ["flat", "unravel", "tuple", "pair"], mc_flat_index),
    A(L10, "check_most_confused", "argmin instead of argmax", ["largest", "max", "smallest"], mc_argmin),
    A(L10, "check_most_confused", "float indices", ["float", "int", "integer"], mc_float_indices),
    A(L10, "check_most_confused", "returns a list", ["tuple", "list"], mc_list),
    A(L10, "check_saliency", "right answer", [], sal_right),
    A(L10, "check_saliency", "returns (1, 1, H, W), not squeezed", ["shape", "(h, w)", "squeeze"], sal_no_squeeze),
    A(L10, "check_saliency", "grad of the sum of all logits (ones)", ["label", "one-hot", "only", "score"], sal_all_ones),
    A(L10, "check_saliency", "gradient of the loss instead of the score", ["loss", "score", "logit", "cross-entropy"], sal_loss_gradient),
    A(L10, "check_saliency", "wrong sign", ["sign", "negat"], sal_sign),
    A(L10, "check_saliency", "uses the predicted class, ignores label", ["label", "predicted", "argmax"], sal_predicted_class),
    A(L10, "check_saliency", "returns abs values", ["abs", "sign", "negative"], sal_abs),
    A(L10, "check_saliency", "gradient of the probability instead of the logit", ["probab", "softmax", "logit", "score"], sal_probability),
    # lesson 11
    A(L11, "check_torch_to_cnnlab", "right answer", [], t2c_right),
    A(L11, "check_torch_to_cnnlab", "no transpose of dense.weight", ["transpose", "dense.weight", ".t"], t2c_no_transpose),
    A(L11, "check_torch_to_cnnlab", "transposes every array (.T reverses conv axes)", ["conv", "only the dense", "as they are", "axes"], t2c_transpose_all),
    A(L11, "check_torch_to_cnnlab", "flips conv kernels", ["flip", "conv", "180", "as they are"], t2c_flip_conv),
    A(L11, "check_torch_to_cnnlab", "changes state in place", ["in place", "new dict", "modif", "unchanged"], t2c_in_place),
    A(L11, "check_torch_to_cnnlab", "reshape instead of transpose", ["reshape", "transpose"], t2c_reshape),
    A(L11, "check_torch_to_cnnlab", "drops the biases", ["bias", "missing", "key"], t2c_weights_only),
    A(L11, "check_torch_to_cnnlab", "hard-coded one block (conv2 lost)", ["conv2", "block", "missing", "key"], t2c_one_block_only),
    A(L11, "check_channels_last_to_first", "right answer", [], cl2f_right),
    A(L11, "check_channels_last_to_first", "returns the weight unchanged", ["axis", "move", "order", "unchanged"], cl2f_reshape_only),
    A(L11, "check_channels_last_to_first", "the inverse move (first to last)", ["direction", "inverse", "other way", "axis"], cl2f_wrong_direction),
    A(L11, "check_channels_last_to_first", "square: height used for width", ["width", "height", "square"], cl2f_square),
    A(L11, "check_channels_last_to_first", "returns (M, CHW), transposed", ["shape", "transpos"], cl2f_transposed),
    A(L11, "check_channels_last_to_first", "H and W swapped in the move", ["height", "width", "swap", "order"], cl2f_hw_swapped),
    A(L11, "check_channels_last_to_first", "hard-coded M = 10", ["hard", "10", "m"], cl2f_hardcoded_m),
    A(L11, "check_convolution_to_correlation", "right answer", [], c2c_right),
    A(L11, "check_convolution_to_correlation", "flips only the width axis", ["both", "height", "row", "axis"], c2c_one_axis),
    A(L11, "check_convolution_to_correlation", "flips the F and C axes", ["axis", "axes", "spatial", "last two", "filter"], c2c_wrong_axes),
    A(L11, "check_convolution_to_correlation", "transposes kh and kw", ["transpos", "rotat", "flip"], c2c_transpose),
    A(L11, "check_convolution_to_correlation", "returns the kernels unchanged", ["flip", "180", "unchanged"], c2c_unchanged),
    A(L11, "check_convolution_to_correlation", "np.rot90 on default axes (F, C)", ["axes", "axis", "spatial", "last two"], c2c_rot90_default_axes),
    A(L11, "check_convolution_to_correlation", "rot90 once (90 degrees)", ["90", "180", "twice"], c2c_rot90_once),
    A(L11, "check_convolution_to_correlation", "np.flip on all axes", ["all axes", "filter", "channel", "axis"], c2c_flip_all),
    A(L11, "check_convolution_to_correlation", "overwrites the input in place", ["in place", "modif", "unchanged"], c2c_in_place),
    A(L11, "check_torch_step", "right answer", [], ts_right),
    A(L11, "check_torch_step", "forgets zero_grad", ["zero_grad", "accumulat", "left over"], ts_no_zero_grad),
    A(L11, "check_torch_step", "returns the tensor, not a float", ["float", "item", "tensor"], ts_returns_tensor),
    A(L11, "check_torch_step", "forgets optimizer.step()", ["step", "optimizer", "unchanged"], ts_no_step),
    A(L11, "check_torch_step", "zero_grad between backward and step", ["zero_grad", "order", "before", "after"], ts_zero_grad_before_step),
    A(L11, "check_torch_step", "softmax before cross_entropy", ["softmax", "logits", "twice"], ts_double_softmax),
    A(L11, "check_torch_step", "nll_loss on raw logits", ["nll", "log_softmax", "logits"], ts_nll_on_logits),
    A(L11, "check_torch_step", "forgets backward()", ["backward", "gradient"], ts_no_backward),
    A(L11, "check_torch_step", "sum instead of mean loss", ["mean", "sum", "reduction"], ts_sum_loss),
]

ANSWERS += [
    A(L8, "check_train_epoch", "records each loss after the update (recomputed)", ["before", "returned", "as each batch", "after"], te_loss_after_update),
    A(L8, "check_accuracy", "returns a 1-element array", ["shape", "float", "number", "scalar"], acc_array_shape),
    A(L9, "check_minibatches", "returns a generator, not a list", ["list", "generator"], mb_generator),
    A(L9, "check_softmax_grad", "returns (loss, grad)", ["tuple", "return", "gradient only"], sm_returns_tuple),
    A(L10, "check_accuracy_from_confusion", "returns a 1-element array", ["shape", "float", "number", "scalar"], afc_array),
    A(L10, "check_most_confused", "on ties picks the last largest cell", ["tie", "first"], mc_last_tie),
    A(L10, "check_saliency", "forgets input_grad=True", ["input_grad"], sal_no_input_grad),
    A(L11, "check_channels_last_to_first", "moves C to position 1 (H, C, W order)", ["axis", "front", "order", "move"], cl2f_moveaxis_wrong),
    A(L11, "check_torch_to_cnnlab", "conv weights to (kh, kw, C, F) as if for Keras", ["conv", "as they are", "layout", "shape"], t2c_torch_layout_conv),
]
