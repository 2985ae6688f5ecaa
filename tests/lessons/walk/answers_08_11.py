"""Walker w3: answers (right and wrong) to the exercises of lessons 08-11."""
import numpy as np

import cnnlab as cl


# ---------------------------------------------------------------- lesson 08: gd_update
def gd_right(params, grads, lr):
    return {name: params[name] - lr * grads[name] for name in params}

def gd_inplace(params, grads, lr):
    for name in params:
        params[name] -= lr * grads[name]
    return params

def gd_plus(params, grads, lr):
    return {name: params[name] + lr * grads[name] for name in params}

def gd_no_lr(params, grads, lr):
    return {name: params[name] - grads[name] for name in params}

def gd_kernel_only(params, grads, lr):
    new = dict(params)
    new["kernel"] = params["kernel"] - lr * grads["kernel"]
    return new

def gd_list(params, grads, lr):
    return [params[name] - lr * grads[name] for name in params]

# ---------------------------------------------------------------- lesson 08: binary_accuracy
def acc_right(y_hat, targets):
    return float(np.mean((np.asarray(y_hat) > 0.5) == np.asarray(targets)))

def acc_ge(y_hat, targets):
    return float(np.mean((np.asarray(y_hat) >= 0.5) == np.asarray(targets)))

def acc_count(y_hat, targets):
    return int(np.sum((np.asarray(y_hat) > 0.5) == np.asarray(targets)))

def acc_error_rate(y_hat, targets):
    return float(np.mean((np.asarray(y_hat) > 0.5) != np.asarray(targets)))

def acc_int_div(y_hat, targets):
    return int(np.sum((np.asarray(y_hat) > 0.5) == np.asarray(targets))) // len(targets)

def acc_percent(y_hat, targets):
    return 100 * float(np.mean((np.asarray(y_hat) > 0.5) == np.asarray(targets)))

def acc_compare_raw(y_hat, targets):
    return float(np.mean(np.asarray(y_hat) == np.asarray(targets)))

# ---------------------------------------------------------------- lesson 08: momentum_step
def mom_right(params, grads, velocity, lr, momentum):
    new_v = {n: momentum * velocity[n] + grads[n] for n in params}
    return {n: params[n] - lr * new_v[n] for n in params}, new_v

def mom_lr_in_velocity(params, grads, velocity, lr, momentum):
    new_v = {n: momentum * velocity[n] + lr * grads[n] for n in params}
    return {n: params[n] - new_v[n] for n in params}, new_v

def mom_old_velocity(params, grads, velocity, lr, momentum):
    new_v = {n: momentum * velocity[n] + grads[n] for n in params}
    return {n: params[n] - lr * velocity[n] for n in params}, new_v

def mom_swapped_return(params, grads, velocity, lr, momentum):
    new_v = {n: momentum * velocity[n] + grads[n] for n in params}
    return new_v, {n: params[n] - lr * new_v[n] for n in params}

def mom_dampening(params, grads, velocity, lr, momentum):
    new_v = {n: momentum * velocity[n] + (1 - momentum) * grads[n] for n in params}
    return {n: params[n] - lr * new_v[n] for n in params}, new_v

def mom_inplace(params, grads, velocity, lr, momentum):
    for n in params:
        velocity[n] *= momentum
        velocity[n] += grads[n]
        params[n] -= lr * velocity[n]
    return params, velocity

def mom_ignores_momentum(params, grads, velocity, lr, momentum):
    new_v = {n: 0.9 * velocity[n] + grads[n] for n in params}
    return {n: params[n] - lr * new_v[n] for n in params}, new_v

def mom_negated_velocity(params, grads, velocity, lr, momentum):
    new_v = {n: momentum * velocity[n] - grads[n] for n in params}
    return {n: params[n] + lr * new_v[n] for n in params}, new_v

# ---------------------------------------------------------------- lesson 08: train_epoch
def epoch_right(params, images, targets, order, batch_size, lr):
    current, losses = dict(params), []
    for first in range(0, len(order), batch_size):
        batch = np.asarray(order[first:first + batch_size])
        loss, grads, _ = cl.seednet.seed_network_loss(current, images[batch], targets[batch])
        current = {n: current[n] - lr * grads[n] for n in current}
        losses.append(loss)
    return current, losses

def epoch_ignores_order(params, images, targets, order, batch_size, lr):
    current, losses = dict(params), []
    for first in range(0, len(order), batch_size):
        loss, grads, _ = cl.seednet.seed_network_loss(current, images[first:first + batch_size],
                                                      targets[first:first + batch_size])
        current = {n: current[n] - lr * grads[n] for n in current}
        losses.append(loss)
    return current, losses

def epoch_drops_last(params, images, targets, order, batch_size, lr):
    current, losses = dict(params), []
    for first in range(0, len(order) - batch_size + 1, batch_size):
        batch = np.asarray(order[first:first + batch_size])
        loss, grads, _ = cl.seednet.seed_network_loss(current, images[batch], targets[batch])
        current = {n: current[n] - lr * grads[n] for n in current}
        losses.append(loss)
    return current, losses

def epoch_inplace(params, images, targets, order, batch_size, lr):
    losses = []
    for first in range(0, len(order), batch_size):
        batch = np.asarray(order[first:first + batch_size])
        loss, grads, _ = cl.seednet.seed_network_loss(params, images[batch], targets[batch])
        for n in params:
            params[n] -= lr * grads[n]
        losses.append(loss)
    return params, losses

def epoch_mean_loss(params, images, targets, order, batch_size, lr):
    current, losses = epoch_right(params, images, targets, order, batch_size, lr)
    return current, float(np.mean(losses))

def epoch_loss_after_step(params, images, targets, order, batch_size, lr):
    current, losses = dict(params), []
    for first in range(0, len(order), batch_size):
        batch = np.asarray(order[first:first + batch_size])
        _, grads, _ = cl.seednet.seed_network_loss(current, images[batch], targets[batch])
        current = {n: current[n] - lr * grads[n] for n in current}
        losses.append(cl.seednet.seed_network_loss(current, images[batch], targets[batch])[0])
    return current, losses

def epoch_one_step_per_epoch(params, images, targets, order, batch_size, lr):
    batch = np.asarray(order)
    loss, grads, _ = cl.seednet.seed_network_loss(params, images[batch], targets[batch])
    return {n: params[n] - lr * grads[n] for n in params}, [loss]

# ---------------------------------------------------------------- lesson 09: im2col
def im2col_right(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].ravel()
                     for i in range(h - k + 1) for j in range(w - k + 1)])

def im2col_column_order(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].ravel()
                     for j in range(w - k + 1) for i in range(h - k + 1)])

def im2col_off_by_one(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].ravel()
                     for i in range(h - k) for j in range(w - k)])

def im2col_patch_transposed(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].T.ravel()
                     for i in range(h - k + 1) for j in range(w - k + 1)])

def im2col_square_only(image, k):
    h = image.shape[0]
    return np.array([image[i:i + k, j:j + k].ravel()
                     for i in range(h - k + 1) for j in range(h - k + 1)])

def im2col_list(image, k):
    h, w = image.shape
    return [list(image[i:i + k, j:j + k].ravel())
            for i in range(h - k + 1) for j in range(w - k + 1)]

def im2col_transposed_matrix(image, k):
    return im2col_right(image, k).T

# ---------------------------------------------------------------- lesson 09: softmax_ce_grad
def _onehot(labels, k):
    out = np.zeros((len(labels), k))
    out[np.arange(len(labels)), labels] = 1.0
    return out

def smx_right(logits, labels):
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return (p - _onehot(labels, logits.shape[1])) / logits.shape[0]

def smx_no_mean(logits, labels):
    return smx_right(logits, labels) * logits.shape[0]

def smx_no_max_shift(logits, labels):
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return (p - _onehot(labels, logits.shape[1])) / logits.shape[0]

def smx_wrong_sign(logits, labels):
    return -smx_right(logits, labels)

def smx_div_by_classes(logits, labels):
    return smx_right(logits, labels) * logits.shape[0] / logits.shape[1]

def smx_wrong_axis(logits, labels):
    z = logits - logits.max(axis=0, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=0, keepdims=True)
    return (p - _onehot(labels, logits.shape[1])) / logits.shape[0]

def smx_inplace(logits, labels):
    logits -= logits.max(axis=1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=1, keepdims=True)
    logits[np.arange(len(labels)), labels] -= 1
    logits /= logits.shape[0]
    return logits

def smx_no_onehot(logits, labels):
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return p / logits.shape[0]

# ---------------------------------------------------------------- lesson 09: minibatches
def mb_right(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return [(images[order[s:s + batch_size]], labels[order[s:s + batch_size]])
            for s in range(0, len(order), batch_size)]

def mb_no_shuffle(images, labels, batch_size, seed):
    return [(images[s:s + batch_size], labels[s:s + batch_size])
            for s in range(0, len(images), batch_size)]

def mb_drop_last(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return [(images[order[s:s + batch_size]], labels[order[s:s + batch_size]])
            for s in range(0, len(order) - batch_size + 1, batch_size)]

def mb_two_permutations(images, labels, batch_size, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.permutation(len(images)), rng.permutation(len(images))
    return [(images[a[s:s + batch_size]], labels[b[s:s + batch_size]])
            for s in range(0, len(a), batch_size)]

def mb_ignores_seed(images, labels, batch_size, seed):
    order = np.random.default_rng(12345).permutation(len(images))
    return [(images[order[s:s + batch_size]], labels[order[s:s + batch_size]])
            for s in range(0, len(order), batch_size)]

def mb_labels_unshuffled(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return [(images[order[s:s + batch_size]], labels[s:s + batch_size])
            for s in range(0, len(order), batch_size)]

def mb_legacy_random(images, labels, batch_size, seed):
    np.random.seed(seed)
    order = np.random.permutation(len(images))
    return [(images[order[s:s + batch_size]], labels[order[s:s + batch_size]])
            for s in range(0, len(order), batch_size)]

# ---------------------------------------------------------------- lesson 10: accuracy_from_confusion
def acm_right(matrix):
    return np.trace(matrix) / np.sum(matrix)

def acm_mean_recall(matrix):
    matrix = np.asarray(matrix, dtype=float)
    return float(np.mean(np.diag(matrix) / matrix.sum(axis=1)))

def acm_int_div(matrix):
    return int(np.trace(matrix)) // int(np.sum(matrix))

def acm_count(matrix):
    return np.trace(matrix)

def acm_over_classes(matrix):
    return np.trace(matrix) / len(matrix)

def acm_first_row(matrix):
    return matrix[0, 0] / matrix[0].sum()

# ---------------------------------------------------------------- lesson 10: most_confused
def mc_right(matrix):
    off = np.array(matrix, dtype=float)
    np.fill_diagonal(off, -1)
    i, j = np.unravel_index(np.argmax(off), off.shape)
    return int(i), int(j)

def mc_keeps_diagonal(matrix):
    i, j = np.unravel_index(np.argmax(matrix), np.shape(matrix))
    return int(i), int(j)

def mc_swapped(matrix):
    i, j = mc_right(matrix)
    return j, i

def mc_flat_index(matrix):
    off = np.array(matrix, dtype=float)
    np.fill_diagonal(off, -1)
    return int(np.argmax(off))

def mc_inplace_diag(matrix):
    np.fill_diagonal(matrix, 0)
    i, j = np.unravel_index(np.argmax(matrix), matrix.shape)
    return int(i), int(j)

def mc_transposed_unravel(matrix):
    off = np.array(matrix, dtype=float)
    np.fill_diagonal(off, -1)
    flat = int(np.argmax(off))
    n = off.shape[0]
    return flat % n, flat // n

def mc_min(matrix):
    off = np.array(matrix, dtype=float)
    np.fill_diagonal(off, np.inf)
    i, j = np.unravel_index(np.argmin(off), off.shape)
    return int(i), int(j)

# ---------------------------------------------------------------- lesson 10: saliency_map
def sal_right(params, image, label):
    logits, cache = cl.models.small_cnn_forward(params, image[None, None])
    g = np.zeros_like(logits)
    g[0, label] = 1.0
    return cl.models.small_cnn_backward(g, cache, input_grad=True)["images"][0, 0]

def sal_keeps_batch_axes(params, image, label):
    logits, cache = cl.models.small_cnn_forward(params, image[None, None])
    g = np.zeros_like(logits)
    g[0, label] = 1.0
    return cl.models.small_cnn_backward(g, cache, input_grad=True)["images"]

def sal_of_loss(params, image, label):
    logits, cache = cl.models.small_cnn_forward(params, image[None, None])
    _, g = cl.softmax_cross_entropy(logits, np.array([label]))
    return cl.models.small_cnn_backward(g, cache, input_grad=True)["images"][0, 0]

def sal_all_logits(params, image, label):
    logits, cache = cl.models.small_cnn_forward(params, image[None, None])
    return cl.models.small_cnn_backward(np.ones_like(logits), cache, input_grad=True)["images"][0, 0]

def sal_abs(params, image, label):
    return np.abs(sal_right(params, image, label))

def sal_of_probability(params, image, label):
    logits, cache = cl.models.small_cnn_forward(params, image[None, None])
    p = cl.softmax(logits)
    g = -p * p[0, label]
    g[0, label] += p[0, label]
    return cl.models.small_cnn_backward(g, cache, input_grad=True)["images"][0, 0]

def sal_predicted_class(params, image, label):
    logits, cache = cl.models.small_cnn_forward(params, image[None, None])
    g = np.zeros_like(logits)
    g[0, int(logits.argmax())] = 1.0
    return cl.models.small_cnn_backward(g, cache, input_grad=True)["images"][0, 0]

# ---------------------------------------------------------------- lesson 11: torch_to_cnnlab
def t2c_right(state):
    return {n: (v.T.copy() if n == "dense.weight" else v.copy()) for n, v in state.items()}

def t2c_no_transpose(state):
    return {n: v.copy() for n, v in state.items()}

def t2c_transpose_all(state):
    return {n: v.T.copy() for n, v in state.items()}

def t2c_flip_conv(state):
    out = t2c_right(state)
    for n in out:
        if n.startswith("conv") and n.endswith("weight"):
            out[n] = out[n][:, :, ::-1, ::-1].copy()
    return out

def t2c_inplace(state):
    state["dense.weight"] = state["dense.weight"].T
    return state

def t2c_reshape_not_transpose(state):
    out = {n: v.copy() for n, v in state.items()}
    w = state["dense.weight"]
    out["dense.weight"] = w.reshape(w.shape[1], w.shape[0])
    return out

# ---------------------------------------------------------------- lesson 11: channels_last_to_first
def cl2f_right(weight, channels, height, width):
    m = weight.shape[1]
    return weight.reshape(height, width, channels, m).transpose(2, 0, 1, 3).reshape(-1, m)

def cl2f_reshape_only(weight, channels, height, width):
    return weight.reshape(channels, height, width, -1).reshape(-1, weight.shape[1])

def cl2f_wrong_order(weight, channels, height, width):
    m = weight.shape[1]
    return weight.reshape(height, width, channels, m).transpose(2, 1, 0, 3).reshape(-1, m)

def cl2f_square_only(weight, channels, height, width):
    m = weight.shape[1]
    return weight.reshape(height, height, channels, m).transpose(2, 0, 1, 3).reshape(-1, m)

def cl2f_returns_torch_layout(weight, channels, height, width):
    return cl2f_right(weight, channels, height, width).T

def cl2f_reverse_direction(weight, channels, height, width):
    m = weight.shape[1]
    return weight.reshape(channels, height, width, m).transpose(1, 2, 0, 3).reshape(-1, m)

# ---------------------------------------------------------------- lesson 11: convolution_to_correlation
def c2c_right(kernels):
    return kernels[:, :, ::-1, ::-1].copy()

def c2c_one_axis(kernels):
    return kernels[:, :, ::-1, :].copy()

def c2c_transpose(kernels):
    return np.swapaxes(kernels, 2, 3).copy()

def c2c_flip_all(kernels):
    return kernels[::-1, ::-1, ::-1, ::-1].copy()

def c2c_rot90(kernels):
    return np.rot90(kernels, 1, axes=(2, 3)).copy()

def c2c_identity(kernels):
    return kernels

def c2c_flip_first_axes(kernels):
    return kernels[::-1, ::-1].copy()

# ---------------------------------------------------------------- lesson 11: torch_step
def _F():
    return cl.course.import_torch()[2]

def ts_right(model, optimizer, images, labels):
    optimizer.zero_grad()
    loss = _F().cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()

def ts_no_zero_grad(model, optimizer, images, labels):
    loss = _F().cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()

def ts_no_step(model, optimizer, images, labels):
    optimizer.zero_grad()
    loss = _F().cross_entropy(model(images), labels)
    loss.backward()
    return loss.item()

def ts_returns_tensor(model, optimizer, images, labels):
    optimizer.zero_grad()
    loss = _F().cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss

def ts_nll_on_logits(model, optimizer, images, labels):
    optimizer.zero_grad()
    loss = _F().nll_loss(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()

def ts_loss_after_step(model, optimizer, images, labels):
    optimizer.zero_grad()
    F = _F()
    loss = F.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    return F.cross_entropy(model(images), labels).item()

def ts_zero_grad_after(model, optimizer, images, labels):
    loss = _F().cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    return loss.item()

# ---------------------------------------------------------------- extra probes
def gd_hardcoded_lr(params, grads, lr):
    return {name: params[name] - 0.05 * grads[name] for name in params}

def epoch_hardcoded_lr(params, images, targets, order, batch_size, lr):
    return epoch_right(params, images, targets, order, batch_size, 0.05)

def epoch_reshuffles(params, images, targets, order, batch_size, lr):
    return epoch_right(params, images, targets, np.random.default_rng(0).permutation(np.asarray(order)),
                       batch_size, lr)

def im2col_int_dtype(image, k):
    return im2col_right(np.asarray(image).astype(int), k)

def sal_sign_flip(params, image, label):
    return -sal_right(params, image, label)

def ts_sum_loss(model, optimizer, images, labels):
    optimizer.zero_grad()
    loss = _F().cross_entropy(model(images), labels, reduction="sum")
    loss.backward()
    optimizer.step()
    return loss.item()

def mb_images_only(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return [images[order[s:s + batch_size]] for s in range(0, len(order), batch_size)]

def acc_float_targets_compare(y_hat, targets):
    return float(np.mean((np.asarray(y_hat) > 0.5).astype(int) == np.asarray(targets).astype(int)[::-1]))


def epoch_shallow_copy(params, images, targets, order, batch_size, lr):
    params = params.copy()          # what the in-place hint suggests; the arrays are still shared
    return epoch_inplace(params, images, targets, order, batch_size, lr)


def A(lesson, checker, mistake, keywords, answer):
    return {"lesson": lesson, "checker": checker, "mistake": mistake, "keywords": keywords,
            "answer": answer}

L8, L9, L10, L11 = "lesson08", "lesson09", "lesson10", "lesson11"
ANSWERS = [
    A(L8, "check_gd_update", "right answer", [], gd_right),
    A(L8, "check_gd_update", "updates params in place and returns the same dict", ["in place", "unchanged", "new dict", "copy"], gd_inplace),
    A(L8, "check_gd_update", "adds the gradient (wrong sign)", ["sign", "against", "minus", "+"], gd_plus),
    A(L8, "check_gd_update", "forgets the learning rate", ["lr", "learning rate"], gd_no_lr),
    A(L8, "check_gd_update", "updates only the kernel", ["every", "bias", "weight", "only"], gd_kernel_only),
    A(L8, "check_gd_update", "returns a list instead of a dict", ["dict", "list"], gd_list),
    A(L8, "check_accuracy", "right answer", [], acc_right),
    A(L8, "check_accuracy", ">= 0.5 instead of > 0.5", [">=", "0.5 exactly", "strictly", "equal to 0.5"], acc_ge),
    A(L8, "check_accuracy", "returns the count, not the fraction", ["count", "fraction", "divide"], acc_count),
    A(L8, "check_accuracy", "returns the error rate", ["error", "1 -", "wrong ones", "mistakes"], acc_error_rate),
    A(L8, "check_accuracy", "integer division gives 0", ["integer", "//", "division"], acc_int_div),
    A(L8, "check_accuracy", "returns a percentage", ["percent", "100"], acc_percent),
    A(L8, "check_accuracy", "compares raw y_hat to targets without threshold", ["threshold", "0.5"], acc_compare_raw),
    A(L8, "check_momentum_step", "right answer", [], mom_right),
    A(L8, "check_momentum_step", "lr inside the velocity (v = mu v + lr g)", ["lr", "learning rate", "velocity"], mom_lr_in_velocity),
    A(L8, "check_momentum_step", "moves the params with the old velocity", ["old", "new velocity", "previous"], mom_old_velocity),
    A(L8, "check_momentum_step", "returns (velocity, params) swapped", ["order", "swap", "(new_params, new_velocity)"], mom_swapped_return),
    A(L8, "check_momentum_step", "dampening (1 - mu) on the gradient", ["1 - momentum", "dampening", "(1 -"], mom_dampening),
    A(L8, "check_momentum_step", "changes params and velocity in place", ["in place", "unchanged", "new dict"], mom_inplace),
    A(L8, "check_momentum_step", "ignores the momentum argument (hard-codes 0.9)", ["momentum argument", "hard", "ignore"], mom_ignores_momentum),
    A(L8, "check_momentum_step", "stores the negated velocity", ["sign", "negative", "negated"], mom_negated_velocity),
    A(L8, "check_train_epoch", "right answer", [], epoch_right),
    A(L8, "check_train_epoch", "ignores order, goes through images in stored order", ["order"], epoch_ignores_order),
    A(L8, "check_train_epoch", "drops the last, smaller batch", ["last", "smaller", "partial"], epoch_drops_last),
    A(L8, "check_train_epoch", "changes params in place", ["in place", "unchanged"], epoch_inplace),
    A(L8, "check_train_epoch", "returns the mean loss, not one per batch", ["one per batch", "list", "mean"], epoch_mean_loss),
    A(L8, "check_train_epoch", "records the loss after the step", ["before", "after", "as each batch's call returned"], epoch_loss_after_step),
    A(L8, "check_train_epoch", "one full-batch step instead of mini-batches", ["batch_size", "mini-batch", "one step"], epoch_one_step_per_epoch),
    A(L9, "check_im2col", "right answer", [], im2col_right),
    A(L9, "check_im2col", "patches in column-major order", ["order", "row-major", "column"], im2col_column_order),
    A(L9, "check_im2col", "off by one: misses the last row/column of patches", ["off by one", "+ 1", "last"], im2col_off_by_one),
    A(L9, "check_im2col", "each patch flattened column by column", ["transpos", "row by row", "column by column"], im2col_patch_transposed),
    A(L9, "check_im2col", "uses the height for the width (square only)", ["square", "width", "non-square"], im2col_square_only),
    A(L9, "check_im2col", "returns a list of lists", ["array", "list"], im2col_list),
    A(L9, "check_im2col", "returns the transposed matrix (k*k, patches)", ["transpos", "shape", "one row per patch"], im2col_transposed_matrix),
    A(L9, "check_softmax_grad", "right answer", [], smx_right),
    A(L9, "check_softmax_grad", "forgets to divide by N", ["N", "mean", "batch"], smx_no_mean),
    A(L9, "check_softmax_grad", "no max subtraction: overflow on large logits", ["overflow", "max", "nan", "large"], smx_no_max_shift),
    A(L9, "check_softmax_grad", "one-hot minus p (wrong sign)", ["sign", "one-hot minus"], smx_wrong_sign),
    A(L9, "check_softmax_grad", "divides by number of classes K", ["K", "classes", "N"], smx_div_by_classes),
    A(L9, "check_softmax_grad", "softmax over axis 0 (the batch)", ["axis", "row", "batch"], smx_wrong_axis),
    A(L9, "check_softmax_grad", "overwrites the logits in place", ["in place", "modif", "unchanged"], smx_inplace),
    A(L9, "check_softmax_grad", "forgets to subtract the one-hot", ["one-hot", "true class", "subtract"], smx_no_onehot),
    A(L9, "check_minibatches", "right answer", [], mb_right),
    A(L9, "check_minibatches", "no shuffle", ["shuffle", "permutation", "order"], mb_no_shuffle),
    A(L9, "check_minibatches", "drops the last smaller batch", ["last", "smaller", "every image"], mb_drop_last),
    A(L9, "check_minibatches", "separate permutations for images and labels", ["label", "keep", "same order"], mb_two_permutations),
    A(L9, "check_minibatches", "ignores seed (hard-coded)", ["seed"], mb_ignores_seed),
    A(L9, "check_minibatches", "labels not shuffled", ["label", "keeps its label"], mb_labels_unshuffled),
    A(L9, "check_minibatches", "legacy np.random.seed + permutation", ["default_rng", "seed", "generator"], mb_legacy_random),
    A(L10, "check_accuracy_from_confusion", "right answer", [], acm_right),
    A(L10, "check_accuracy_from_confusion", "mean of per-class recall", ["per-class", "recall", "row", "balanced"], acm_mean_recall),
    A(L10, "check_accuracy_from_confusion", "integer division", ["integer", "//"], acm_int_div),
    A(L10, "check_accuracy_from_confusion", "returns trace (count)", ["count", "divide", "total"], acm_count),
    A(L10, "check_accuracy_from_confusion", "divides by number of classes", ["classes", "total", "sum"], acm_over_classes),
    A(L10, "check_accuracy_from_confusion", "only the first class", ["first", "every class", "diagonal"], acm_first_row),
    A(L10, "check_most_confused", "right answer", [], mc_right),
    A(L10, "check_most_confused", "does not exclude the diagonal", ["diagonal"], mc_keeps_diagonal),
    A(L10, "check_most_confused", "returns (predicted, true)", ["order", "swap", "row", "(true"], mc_swapped),
    A(L10, "check_most_confused", "returns the flat index", ["unravel", "flat", "tuple"], mc_flat_index),
    A(L10, "check_most_confused", "zeros the diagonal of the caller's matrix", ["in place", "unchanged", "modif"], mc_inplace_diag),
    A(L10, "check_most_confused", "unravels column-major", ["unravel", "row", "column", "swap"], mc_transposed_unravel),
    A(L10, "check_most_confused", "smallest off-diagonal count", ["largest", "min"], mc_min),
    A(L10, "check_saliency", "right answer", [], sal_right),
    A(L10, "check_saliency", "returns (1,1,H,W)", ["shape", "(H, W)", "batch"], sal_keeps_batch_axes),
    A(L10, "check_saliency", "gradient of the loss, not the score", ["loss", "score", "logit"], sal_of_loss),
    A(L10, "check_saliency", "gradient of the sum of all logits", ["label", "one", "sum", "all"], sal_all_logits),
    A(L10, "check_saliency", "absolute value of gradient", ["abs", "sign"], sal_abs),
    A(L10, "check_saliency", "gradient of probability instead of logit", ["probab", "softmax", "logit"], sal_of_probability),
    A(L10, "check_saliency", "uses predicted class, ignores label", ["label", "predicted"], sal_predicted_class),
    A(L11, "check_torch_to_cnnlab", "right answer", [], t2c_right),
    A(L11, "check_torch_to_cnnlab", "forgets to transpose the dense weight", ["transpose", "dense"], t2c_no_transpose),
    A(L11, "check_torch_to_cnnlab", "transposes every array (conv kernels reversed axes)", ["conv", "as they are", "only"], t2c_transpose_all),
    A(L11, "check_torch_to_cnnlab", "flips the conv kernels", ["flip", "180", "cross-correlat"], t2c_flip_conv),
    A(L11, "check_torch_to_cnnlab", "changes the input dict in place", ["new dict", "in place", "unchanged"], t2c_inplace),
    A(L11, "check_torch_to_cnnlab", "reshape instead of transpose", ["reshape", "transpose"], t2c_reshape_not_transpose),
    A(L11, "check_channels_last_to_first", "right answer", [], cl2f_right),
    A(L11, "check_channels_last_to_first", "reshape only, no axis moved", ["move", "transpose", "axis", "reshape"], cl2f_reshape_only),
    A(L11, "check_channels_last_to_first", "wrong axis order (C, W, H)", ["order", "height", "width", "axes"], cl2f_wrong_order),
    A(L11, "check_channels_last_to_first", "uses height for width (square only)", ["width", "square"], cl2f_square_only),
    A(L11, "check_channels_last_to_first", "returns (M, CHW) torch layout", ["shape", "transpos", "(CHW, M)"], cl2f_returns_torch_layout),
    A(L11, "check_channels_last_to_first", "converts the wrong direction (first->last)", ["direction", "inverse", "other way"], cl2f_reverse_direction),
    A(L11, "check_convolution_to_correlation", "right answer", [], c2c_right),
    A(L11, "check_convolution_to_correlation", "flips only the rows", ["both", "column", "width", "one axis"], c2c_one_axis),
    A(L11, "check_convolution_to_correlation", "transposes instead of flipping", ["transpos", "flip", "180"], c2c_transpose),
    A(L11, "check_convolution_to_correlation", "flips all four axes", ["filter", "channel", "last two", "F, C"], c2c_flip_all),
    A(L11, "check_convolution_to_correlation", "rot90 once", ["90", "180", "twice"], c2c_rot90),
    A(L11, "check_convolution_to_correlation", "returns the kernels unchanged", ["flip", "unchanged", "180"], c2c_identity),
    A(L11, "check_convolution_to_correlation", "flips the F and C axes instead", ["filter", "channel", "last two", "axes"], c2c_flip_first_axes),
    A(L11, "check_torch_step", "right answer", [], ts_right),
    A(L11, "check_torch_step", "forgets zero_grad", ["zero_grad", "accumulat", "left over"], ts_no_zero_grad),
    A(L11, "check_torch_step", "forgets optimizer.step()", ["step", "optimizer"], ts_no_step),
    A(L11, "check_torch_step", "returns the tensor, not .item()", ["item", "float", "tensor"], ts_returns_tensor),
    A(L11, "check_torch_step", "nll_loss on raw logits", ["cross_entropy", "nll", "log_softmax"], ts_nll_on_logits),
    A(L11, "check_torch_step", "returns the loss after the step", ["before", "after"], ts_loss_after_step),
    A(L11, "check_torch_step", "not a mistake: zero_grad after step (equivalent variant, passing is right)", ["zero_grad", "before"], ts_zero_grad_after),
    A(L8, "check_gd_update", "hard-codes lr = 0.05 (ignores the argument)", ["lr", "learning rate", "argument"], gd_hardcoded_lr),
    A(L8, "check_train_epoch", "hard-codes lr = 0.05 (ignores the argument)", ["lr", "learning rate", "argument"], epoch_hardcoded_lr),
    A(L8, "check_train_epoch", "reshuffles the given order itself", ["order", "shuffle"], epoch_reshuffles),
    A(L8, "check_accuracy", "reverses the targets (misaligned)", ["align", "order", "same image"], acc_float_targets_compare),
    A(L9, "check_im2col", "casts the image to int", ["int", "dtype", "float"], im2col_int_dtype),
    A(L9, "check_minibatches", "returns only image batches, no labels", ["pair", "label", "tuple"], mb_images_only),
    A(L10, "check_saliency", "wrong sign (gradient negated)", ["sign", "negat", "minus"], sal_sign_flip),
    A(L11, "check_torch_step", "sum instead of mean loss (reduction='sum')", ["mean", "sum", "reduction"], ts_sum_loss),
    A(L8, "check_train_epoch", "params.copy() (shallow) then in-place -= on the arrays", ["shallow", "arrays", "copy each"], epoch_shallow_copy),
]
