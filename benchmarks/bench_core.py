"""Speed of cnnlab's core, measured side by side in one run (figures for README).

1. The seed's step: one 32x32 image, one 5x5 kernel, 'same' padding, ReLU, 2x2 max pool, dense,
   sigmoid, forward + backward.  The seed notebook's loops (its kernel-gradient index fixed)
   against cnnlab's vectorised seednet.  Goal: vectorised >= 250x faster.
2. A batch step: 64 MNIST-sized images (1x28x28), 8 filters 5x5 'same', ReLU, 2x2 max pool,
   dense to 10 classes, softmax cross-entropy, forward + backward; cnnlab against the same
   network in PyTorch (CPU, same thread count) when torch is installed.  Goal: >= 1.0x.

Run:  python benchmarks/bench_core.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os

import numpy as np
from _timing import compare, torch_threads

from cnnlab._memory import keep_freed_memory
from cnnlab._threads import one_blas_thread
from cnnlab.activations import relu_backward, relu_forward
from cnnlab.conv import conv_backward, conv_forward
from cnnlab.dense import dense_backward, dense_forward, flatten_backward, flatten_forward
from cnnlab.losses import softmax_cross_entropy
from cnnlab.padding import pad_by_stacking
from cnnlab.pooling import max_pool_backward, max_pool_forward
from cnnlab.seednet import init_seed_params, seed_backward, seed_forward


def seed_step_loops(image, params, y):
    """Forward + backward with the seed notebook's own loops (its kernel-gradient index fixed).

    Written as the seed writes it: stacking zeros to pad, a double loop over output cells with a
    flattened product per cell, ReLU and pooling cell by cell, Python loops over the 256 dense
    weights, and the kernel gradient as a loop over 25 taps of a loop over every cell.
    """
    kernel, bias, weight, out_bias = (params[k] for k in ("kernel", "bias", "weight", "out_bias"))
    k = kernel.shape[0]
    p = k // 2
    padded = pad_by_stacking(image, p)
    rows, cols = image.shape
    conv = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            conv[i, j] = (padded[i:i + k, j:j + k].flatten() * kernel.flatten()).sum()
    pre = conv + bias
    relu = pre.copy()
    relu[relu < 0] = 0
    pooled = np.zeros((rows // 2, cols // 2))
    for i in range(0, rows, 2):
        for j in range(0, cols, 2):
            pooled[i // 2, j // 2] = relu[i:i + 2, j:j + 2].max()
    flat = pooled.flatten()
    z = weight.dot(flat) + out_bias
    y_hat = 1 / (1 + np.exp(-z))
    a = (y_hat - y) * y_hat * (1 - y_hat)
    grad_weight = np.zeros(len(flat))
    grad_flat = np.zeros(len(weight))
    for i in range(len(flat)):
        grad_weight[i] = a * flat[i]
        grad_flat[i] = a * weight[i]
    grad_pooled = grad_flat.reshape(pooled.shape)
    grad_conv = np.zeros((rows, cols))
    for i in range(0, rows, 2):
        for j in range(0, cols, 2):
            block = relu[i:i + 2, j:j + 2]
            ind = np.unravel_index(np.argmax(block, axis=None), block.shape)
            grad_conv[i + ind[0], j + ind[1]] = grad_pooled[i // 2, j // 2]
    grad_kernel = np.zeros((k, k))
    for u in range(-p, p + 1):
        for v in range(-p, p + 1):
            total = 0.0
            for i in range(rows):
                for j in range(cols):
                    if relu[i, j] > 0:
                        total += padded[i + p + u, j + p + v] * grad_conv[i, j]   # fixed index
            grad_kernel[u + p, v + p] = total
    grad_bias = grad_conv[relu > 0].sum()
    return grad_kernel, grad_bias, grad_weight, a


def seed_step_vectorised(image, params, y):
    _, cache = seed_forward(image, params)
    grads = seed_backward(y, cache)
    return grads["grad_kernel"], grads["grad_bias"], grads["grad_weight"], grads["grad_out_bias"]


def batch_params(rng, dtype):
    return {
        "w1": (rng.normal(size=(8, 1, 5, 5)) * np.sqrt(2 / 25)).astype(dtype),
        "b1": np.zeros(8, dtype),
        "w2": (rng.normal(size=(8 * 14 * 14, 10)) * np.sqrt(2 / 1568)).astype(dtype),
        "b2": np.zeros(10, dtype),
    }


def batch_step_cnnlab(x, labels, p):
    conv, conv_cache = conv_forward(x, p["w1"], p["b1"], padding="same")
    relu, relu_cache = relu_forward(conv)
    pooled, pool_cache = max_pool_forward(relu, 2)
    flat, flat_cache = flatten_forward(pooled)
    logits, dense_cache = dense_forward(flat, p["w2"], p["b2"])
    loss, grad_logits = softmax_cross_entropy(logits, labels)
    grad_flat, grad_w2, grad_b2 = dense_backward(grad_logits, dense_cache)
    grad_pooled = flatten_backward(grad_flat, flat_cache)
    grad_relu = max_pool_backward(grad_pooled, pool_cache)
    grad_conv = relu_backward(grad_relu, relu_cache)
    _, grad_w1, grad_b1 = conv_backward(grad_conv, conv_cache, input_grad=False)
    return loss, grad_w1, grad_b1, grad_w2, grad_b2


def batch_figures(dtype, rounds):
    """Time the batch step in ``dtype``: cnnlab against PyTorch on 1 and on all cores."""
    rng = np.random.default_rng(0)
    x = rng.random((64, 1, 28, 28)).astype(dtype)
    labels = rng.integers(0, 10, size=64)
    p = batch_params(rng, dtype)
    contenders = {"cnnlab": (lambda: batch_step_cnnlab(x, labels, p), one_blas_thread)}
    try:
        import torch
    except ImportError:
        torch = None
    same = None
    if torch is not None:
        tdtype = torch.float64 if dtype == np.float64 else torch.float32
        tp = {k: torch.tensor(v, dtype=tdtype, requires_grad=True) for k, v in p.items()}
        tx, tlabels = torch.tensor(x, dtype=tdtype), torch.tensor(labels)

        def torch_step():
            for value in tp.values():
                value.grad = None
            conv = torch.nn.functional.conv2d(tx, tp["w1"], tp["b1"], padding=2)
            pooled = torch.nn.functional.max_pool2d(torch.relu(conv), 2)
            logits = pooled.reshape(64, -1) @ tp["w2"] + tp["b2"]
            loss = torch.nn.functional.cross_entropy(logits, tlabels)
            loss.backward()
            return loss

        ours, theirs = batch_step_cnnlab(x, labels, p), torch_step()
        same = bool(np.isclose(ours[0], theirs.item(), rtol=1e-4) and np.allclose(
            ours[1], tp["w1"].grad.numpy(), rtol=1e-3, atol=1e-6))
        for threads in sorted({1, os.cpu_count()}):
            contenders[f"torch{threads}"] = (torch_step, torch_threads(torch, threads))
    return compare(contenders, rounds=rounds), same, torch


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="alternating timed blocks")
    args = parser.parse_args()
    keep_freed_memory()   # what cnnlab.train does too: no page faults on every step
    rng = np.random.default_rng(0)

    # 1. The seed's step.
    image = rng.integers(1, 255, size=(32, 32)) / 255.0
    params = init_seed_params((32, 32), 5, rng=rng, scale=0.1)
    params["bias"] = np.array(0.1)
    loops = seed_step_loops(image, params, 1.0)
    vectorised = seed_step_vectorised(image, params, 1.0)
    agree = all(np.allclose(a, b, rtol=1e-10, atol=1e-14)
                for a, b in zip(loops, vectorised, strict=True))
    times = compare({"loops": (lambda: seed_step_loops(image, params, 1.0), None),
                     "vectorised": (lambda: seed_step_vectorised(image, params, 1.0), None)},
                    rounds=args.rounds, block=5)
    # More calls for the fast one: its median over 5 calls per block is too coarse.
    times.update(compare({"vectorised": (lambda: seed_step_vectorised(image, params, 1.0),
                                         None)}, rounds=args.rounds, block=400))
    print("Seed step (32x32 image, 5x5 kernel 'same', ReLU, 2x2 max pool, dense, sigmoid; "
          "forward + backward)")
    print(f"  seed's loops     {times['loops'] * 1e3:9.2f} ms")
    print(f"  vectorised       {times['vectorised'] * 1e3:9.3f} ms")
    print(f"  speed-up         {times['loops'] / times['vectorised']:9.0f}x   "
          f"(goal >= 250x; gradients agree: {agree})")

    # 2. The batch step, in both floating-point types.
    print("\nBatch step (64 x 1x28x28, 8 filters 5x5 'same', ReLU, 2x2 max pool, dense to 10, "
          f"softmax CE; forward + backward; {os.cpu_count()} cores visible)")
    print("  cnnlab runs with one BLAS thread (as its Trainer does; see cnnlab/_threads.py).")
    print("  Speed = PyTorch's time / cnnlab's time; goal >= 1.0x at the same thread count.")
    for dtype in (np.float64, np.float32):
        times, same, torch = batch_figures(np.dtype(dtype), args.rounds)
        print(f"  {np.dtype(dtype).name}:  cnnlab {times['cnnlab'] * 1e3:6.2f} ms")
        if torch is None:
            print("    PyTorch: not installed (pip install torch==2.13.0 to compare)")
            continue
        for name, seconds in times.items():
            if name.startswith("torch"):
                threads = int(name[5:])
                print(f"    PyTorch {torch.__version__}, {threads} thread{'s' * (threads > 1)}: "
                      f"{seconds * 1e3:6.2f} ms   speed {seconds / times['cnnlab']:5.2f}x")
        print(f"    same loss and gradients: {same}")


if __name__ == "__main__":
    main()
