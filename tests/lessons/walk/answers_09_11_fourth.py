"""Walker u4's answers for lessons 09 and 11 (each function invented by the learner). Fourth walk,
2026-12-07, README only, in JupyterLab 4 (Restart & Run All, then each exercise)."""
import numpy as np


# ---------------- lesson09 ex1 im2col
def im_right(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].ravel() for i in range(h - k + 1) for j in range(w - k + 1)])
def im_off_by_one(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].ravel() for i in range(h - k) for j in range(w - k)])
def im_columns_first(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].ravel() for j in range(w - k + 1) for i in range(h - k + 1)])
def im_transposed(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].ravel() for i in range(h - k + 1) for j in range(w - k + 1)]).T
def im_patch_transposed(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].T.ravel() for i in range(h - k + 1) for j in range(w - k + 1)])
def im_int_dtype(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].ravel() for i in range(h - k + 1) for j in range(w - k + 1)], dtype=int)
def im_three_axes(image, k):
    h, w = image.shape
    return np.array([[image[i:i + k, j:j + k].ravel() for j in range(w - k + 1)] for i in range(h - k + 1)])
def im_height_for_both(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].ravel() for i in range(h - k + 1) for j in range(h - k + 1)])
def im_row_number_from_height(image, k):
    h, w = image.shape
    out = np.zeros(((h - k + 1) * (w - k + 1), k * k))
    for i in range(h - k + 1):
        for j in range(w - k + 1):
            out[i * (h - k + 1) + j] = image[i:i + k, j:j + k].ravel()
    return out
def im_mirrored(image, k):
    h, w = image.shape
    return np.array([image[i:i + k, j:j + k].ravel()[::-1] for i in range(h - k + 1) for j in range(w - k + 1)])

# ---------------- lesson09 ex2 softmax_ce_grad
def sg_right(logits, labels):
    z = logits - logits.max(1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p / len(labels)
def sg_no_mean(logits, labels):
    return sg_right(logits, labels) * len(labels)
def sg_no_shift(logits, labels):
    p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p / len(labels)
def sg_axis0(logits, labels):
    z = logits - logits.max(0, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(0, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p / len(labels)
def sg_sign(logits, labels):
    return -sg_right(logits, labels)
def sg_no_one_hot(logits, labels):
    z = logits - logits.max(1, keepdims=True)
    return np.exp(z) / np.exp(z).sum(1, keepdims=True) / len(labels)
def sg_columns(logits, labels):
    z = logits - logits.max(1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    p[:, labels] -= 1
    return p / len(labels)
def sg_in_place(logits, labels):
    logits -= logits.max(1, keepdims=True)
    p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p / len(labels)
def sg_by_classes(logits, labels):
    return sg_right(logits, labels) * len(labels) / logits.shape[1]

# ---------------- lesson09 ex3 minibatches
def mb_right(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return [(images[order[i:i + batch_size]], labels[order[i:i + batch_size]])
            for i in range(0, len(order), batch_size)]
def mb_drop_last(images, labels, batch_size, seed):
    return [b for b in mb_right(images, labels, batch_size, seed) if len(b[1]) == batch_size]
def mb_no_shuffle(images, labels, batch_size, seed):
    return [(images[i:i + batch_size], labels[i:i + batch_size]) for i in range(0, len(images), batch_size)]
def mb_labels_in_old_order(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return [(images[order[i:i + batch_size]], labels[i:i + batch_size]) for i in range(0, len(order), batch_size)]
def mb_legacy_seed(images, labels, batch_size, seed):
    np.random.seed(seed)
    order = np.random.permutation(len(images))
    return [(images[order[i:i + batch_size]], labels[order[i:i + batch_size]]) for i in range(0, len(order), batch_size)]
def mb_slice_one_short(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return [(images[order[i:i + batch_size - 1]], labels[order[i:i + batch_size - 1]])
            for i in range(0, len(order), batch_size)]
def mb_float_count(images, labels, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(images))
    return [(images[order[i * batch_size:(i + 1) * batch_size]], labels[order[i * batch_size:(i + 1) * batch_size]])
            for i in range(int(len(order) / batch_size))]
def mb_generator(images, labels, batch_size, seed):
    yield from mb_right(images, labels, batch_size, seed)
def mb_new_order_per_batch(images, labels, batch_size, seed):
    rng, out = np.random.default_rng(seed), []
    for _ in range(0, len(images), batch_size):
        idx = rng.permutation(len(images))[:batch_size]
        out.append((images[idx], labels[idx]))
    return out

# ---------------- lesson11 ex1 torch_to_cnnlab
def tc_right(state):
    return {k: (v.T.copy() if k == "dense.weight" else v.copy()) for k, v in state.items()}
def tc_no_transpose(state):
    return {k: v.copy() for k, v in state.items()}
def tc_every_weight(state):
    return {k: (v.T.copy() if k.endswith("weight") else v.copy()) for k, v in state.items()}
def tc_drops_biases(state):
    return {k: (v.T.copy() if k == "dense.weight" else v.copy()) for k, v in state.items() if not k.endswith("bias")}
def tc_one_block(state):
    return {"conv1.weight": state["conv1.weight"], "conv1.bias": state["conv1.bias"],
            "dense.weight": state["dense.weight"].T, "dense.bias": state["dense.bias"]}
def tc_in_place(state):
    state["dense.weight"] = state["dense.weight"].T
    return state
def tc_reshape(state):
    return {k: (v.reshape(v.shape[::-1]) if k == "dense.weight" else v.copy()) for k, v in state.items()}
def tc_tensors(state):
    import torch
    return {k: torch.from_numpy(v.T.copy() if k == "dense.weight" else v.copy()) for k, v in state.items()}

# ---------------- lesson11 ex2 channels_last_to_first
def cl_right(weight, channels, height, width):
    return weight.reshape(height, width, channels, -1).transpose(2, 0, 1, 3).reshape(channels * height * width, -1)
def cl_inverse(weight, channels, height, width):
    return weight.reshape(channels, height, width, -1).transpose(1, 2, 0, 3).reshape(channels * height * width, -1)
def cl_moveaxis_to_1(weight, channels, height, width):
    return np.moveaxis(weight.reshape(height, width, channels, -1), 2, 1).reshape(channels * height * width, -1)
def cl_out_transposed(weight, channels, height, width):
    return cl_right(weight, channels, height, width).T

# ---------------- lesson11 ex3 convolution_to_correlation
def cc_right(kernels):
    return kernels[..., ::-1, ::-1].copy()
def cc_np_flip_everything(kernels):
    return np.flip(kernels)
def cc_first_two_axes(kernels):
    return kernels[::-1, ::-1].copy()

# ---------------- lesson11 ex4 torch_step
def ts_right(model, optimizer, images, labels):
    import torch.nn.functional as F
    optimizer.zero_grad()
    loss = F.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()
def ts_float_labels(model, optimizer, images, labels):
    import torch.nn.functional as F
    optimizer.zero_grad()
    loss = F.cross_entropy(model(images), labels.float())
    loss.backward()
    optimizer.step()
    return loss.item()
def ts_swapped_arguments(model, optimizer, images, labels):
    import torch.nn.functional as F
    optimizer.zero_grad()
    loss = F.cross_entropy(labels, model(images))
    loss.backward()
    optimizer.step()
    return loss.item()
def ts_zero_grad_after_backward(model, optimizer, images, labels):
    import torch.nn.functional as F
    loss = F.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.zero_grad()
    optimizer.step()
    return loss.item()


R = "right"
ANSWERS = [
 dict(lesson="lesson09", checker="check_im2col", mistake=R, keywords=[], answer=im_right),
 dict(lesson="lesson09", checker="check_im2col", mistake="range(H - k): off by one", keywords=["off by one"], answer=im_off_by_one),
 dict(lesson="lesson09", checker="check_im2col", mistake="columns of starts first", keywords=["row-major", "columns first"], answer=im_columns_first),
 dict(lesson="lesson09", checker="check_im2col", mistake="one column per patch", keywords=["transpose", "column"], answer=im_transposed),
 dict(lesson="lesson09", checker="check_im2col", mistake="each patch flattened by columns", keywords=["column by column"], answer=im_patch_transposed),
 dict(lesson="lesson09", checker="check_im2col", mistake="int dtype", keywords=["whole numbers", "int"], answer=im_int_dtype),
 dict(lesson="lesson09", checker="check_im2col", mistake="(oh, ow, k*k) array", keywords=["shape"], answer=im_three_axes),
 dict(lesson="lesson09", checker="check_im2col", mistake="H used for the column starts", keywords=["past the edge", "W-k"], answer=im_height_for_both),
 dict(lesson="lesson09", checker="check_im2col", mistake="row number i*(H-k+1)+j", keywords=["i * (W - k + 1) + j"], answer=im_row_number_from_height),
 dict(lesson="lesson09", checker="check_im2col", mistake="each patch reversed", keywords=["mirrored"], answer=im_mirrored),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake=R, keywords=[], answer=sg_right),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake="forgot / N", keywords=["batch size"], answer=sg_no_mean),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake="no max shift", keywords=["overflow", "maximum"], answer=sg_no_shift),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake="softmax over axis 0", keywords=["axis"], answer=sg_axis0),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake="one-hot minus p", keywords=["sign"], answer=sg_sign),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake="no one-hot subtracted", keywords=["one_hot", "one-hot"], answer=sg_no_one_hot),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake="p[:, labels] -= 1", keywords=["np.arange"], answer=sg_columns),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake="changes logits in place", keywords=["in place"], answer=sg_in_place),
 dict(lesson="lesson09", checker="check_softmax_grad", mistake="divides by K", keywords=["classes"], answer=sg_by_classes),
 dict(lesson="lesson09", checker="check_minibatches", mistake=R, keywords=[], answer=mb_right),
 dict(lesson="lesson09", checker="check_minibatches", mistake="drops the last batch", keywords=["last"], answer=mb_drop_last),
 dict(lesson="lesson09", checker="check_minibatches", mistake="no shuffle", keywords=["shuffled"], answer=mb_no_shuffle),
 dict(lesson="lesson09", checker="check_minibatches", mistake="labels not shuffled", keywords=["labels"], answer=mb_labels_in_old_order),
 dict(lesson="lesson09", checker="check_minibatches", mistake="np.random.seed", keywords=["default_rng"], answer=mb_legacy_seed),
 dict(lesson="lesson09", checker="check_minibatches", mistake="slice one short", keywords=["exactly once"], answer=mb_slice_one_short),
 dict(lesson="lesson09", checker="check_minibatches", mistake="int(N / batch_size) batches", keywords=["last"], answer=mb_float_count),
 dict(lesson="lesson09", checker="check_minibatches", mistake="a generator", keywords=["list"], answer=mb_generator),
 dict(lesson="lesson09", checker="check_minibatches", mistake="new permutation per batch", keywords=["exactly once"], answer=mb_new_order_per_batch),
 dict(lesson="lesson11", checker="check_torch_to_cnnlab", mistake=R, keywords=[], answer=tc_right),
 dict(lesson="lesson11", checker="check_torch_to_cnnlab", mistake="no transpose", keywords=["transpose"], answer=tc_no_transpose),
 dict(lesson="lesson11", checker="check_torch_to_cnnlab", mistake="every weight transposed", keywords=["only nn.Linear"], answer=tc_every_weight),
 dict(lesson="lesson11", checker="check_torch_to_cnnlab", mistake="biases dropped", keywords=["missing"], answer=tc_drops_biases),
 dict(lesson="lesson11", checker="check_torch_to_cnnlab", mistake="one block hard-coded", keywords=["missing"], answer=tc_one_block),
 dict(lesson="lesson11", checker="check_torch_to_cnnlab", mistake="state changed in place", keywords=["new dict"], answer=tc_in_place),
 dict(lesson="lesson11", checker="check_torch_to_cnnlab", mistake="reshape, not transpose", keywords=["reshape"], answer=tc_reshape),
 dict(lesson="lesson11", checker="check_torch_to_cnnlab", mistake="returns tensors", keywords=["NumPy"], answer=tc_tensors),
 dict(lesson="lesson11", checker="check_channels_last_to_first", mistake=R, keywords=[], answer=cl_right),
 dict(lesson="lesson11", checker="check_channels_last_to_first", mistake="the inverse permutation", keywords=["wrong way"], answer=cl_inverse),
 dict(lesson="lesson11", checker="check_channels_last_to_first", mistake="C moved to axis 1", keywords=["in front"], answer=cl_moveaxis_to_1),
 dict(lesson="lesson11", checker="check_channels_last_to_first", mistake="(M, D) returned", keywords=["(D, M)"], answer=cl_out_transposed),
 dict(lesson="lesson11", checker="check_convolution_to_correlation", mistake=R, keywords=[], answer=cc_right),
 dict(lesson="lesson11", checker="check_convolution_to_correlation", mistake="np.flip without axis", keywords=["every axis"], answer=cc_np_flip_everything),
 dict(lesson="lesson11", checker="check_convolution_to_correlation", mistake="kernels[::-1, ::-1]", keywords=["axes 0 and 1"], answer=cc_first_two_axes),
 dict(lesson="lesson11", checker="check_torch_step", mistake=R, keywords=[], answer=ts_right),
 dict(lesson="lesson11", checker="check_torch_step", mistake="labels.float()", keywords=["integer class numbers"], answer=ts_float_labels),
 dict(lesson="lesson11", checker="check_torch_step", mistake="cross_entropy(labels, logits)", keywords=["logits first"], answer=ts_swapped_arguments),
 dict(lesson="lesson11", checker="check_torch_step", mistake="zero_grad between backward and step", keywords=["no gradient reached"], answer=ts_zero_grad_after_backward),
]
