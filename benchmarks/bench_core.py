"""Speed of cnnlab's core, measured side by side in one run (figures for README).

1. The seed's step: one 32x32 image, one 5x5 kernel, 'same' padding, ReLU, 2x2 max pool, dense,
   sigmoid, forward + backward.  Loop reference versions (the seed's algorithm, corrected)
   against the vectorised versions cnnlab uses everywhere.  Goal: vectorised >= 250x faster.
2. A batch step: 64 MNIST-sized images (1x28x28), 8 filters 5x5 'same', ReLU, 2x2 max pool,
   dense to 10 classes, softmax cross-entropy, forward + backward; cnnlab against the same
   network in PyTorch (CPU, same thread count) when torch is installed.  Goal: >= 1.0x.

Run:  python benchmarks/bench_core.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from cnnlab._memory import keep_freed_memory
from cnnlab.activations import relu_backward, relu_forward
from cnnlab.conv import conv2d_backward_loop, conv2d_loop, conv_backward, conv_forward
from cnnlab.dense import dense_backward, dense_forward, flatten_backward, flatten_forward
from cnnlab.losses import softmax_cross_entropy
from cnnlab.pooling import (
    max_pool_backward,
    max_pool_backward_loop,
    max_pool_forward,
    max_pool_forward_loop,
)
from cnnlab.seednet import init_seed_params, seed_backward, seed_forward


def best_of(function, repeat):
    """Median wall time of ``repeat`` calls, in seconds (after one warm-up call)."""
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def seed_step_loops(image, params, y):
    """Forward + backward of the seed network with the loop reference versions only."""
    kernel, bias, weight, out_bias = (params[k] for k in ("kernel", "bias", "weight", "out_bias"))
    conv = conv2d_loop(image, kernel, padding=2)
    pre = conv + bias
    relu = np.zeros_like(pre)
    for i in range(pre.shape[0]):
        for j in range(pre.shape[1]):
            relu[i, j] = pre[i, j] if pre[i, j] > 0 else 0.0
    pooled, pool_cache = max_pool_forward_loop(relu, 2)
    flat = pooled.reshape(-1)
    z = sum(flat[k] * weight[k] for k in range(flat.size)) + out_bias
    y_hat = 1.0 / (1.0 + np.exp(-z))
    grad_z = (y_hat - y) * y_hat * (1 - y_hat)
    grad_weight = np.array([grad_z * flat[k] for k in range(flat.size)])
    grad_pooled = np.array([grad_z * weight[k] for k in range(flat.size)]).reshape(pooled.shape)
    grad_relu = max_pool_backward_loop(grad_pooled, pool_cache)
    grad_conv = np.zeros_like(grad_relu)
    for i in range(pre.shape[0]):
        for j in range(pre.shape[1]):
            grad_conv[i, j] = grad_relu[i, j] if pre[i, j] > 0 else 0.0
    _, grad_kernel = conv2d_backward_loop(grad_conv, image, kernel, padding=2)
    return grad_kernel, float(grad_conv.sum()), grad_weight, grad_z


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed calls per figure")
    parser.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    args = parser.parse_args()
    keep_freed_memory()   # what cnnlab.train does too: no page faults on every step
    rng = np.random.default_rng(0)
    threads = os.cpu_count()

    # 1. The seed's step.
    image = rng.integers(1, 255, size=(32, 32)) / 255.0
    params = init_seed_params((32, 32), 5, rng=rng, scale=0.1)
    params["bias"] = np.array(0.1)
    loops = seed_step_loops(image, params, 1.0)
    vectorised = seed_step_vectorised(image, params, 1.0)
    agree = all(np.allclose(a, b, rtol=1e-10, atol=1e-14)
                for a, b in zip(loops, vectorised, strict=True))
    t_loops = best_of(lambda: seed_step_loops(image, params, 1.0), max(3, args.repeat // 10))
    t_vec = best_of(lambda: seed_step_vectorised(image, params, 1.0), args.repeat * 10)
    print("Seed step (32x32 image, 5x5 kernel, pool, dense, sigmoid; forward + backward)")
    print(f"  loop reference   {t_loops * 1e3:9.2f} ms")
    print(f"  vectorised       {t_vec * 1e3:9.3f} ms")
    print(f"  speed-up         {t_loops / t_vec:9.0f}x   (goal >= 250x; gradients agree: {agree})")

    # 2. The batch step.
    dtype = np.dtype(args.dtype)
    x = rng.random((64, 1, 28, 28)).astype(dtype)
    labels = rng.integers(0, 10, size=64)
    p = batch_params(rng, dtype)
    t_np = best_of(lambda: batch_step_cnnlab(x, labels, p), args.repeat)
    print(f"\nBatch step (64 x 1x28x28, 8 filters 5x5 'same', ReLU, 2x2 max pool, dense to 10, "
          f"softmax CE; forward + backward; {dtype})")
    print(f"  cnnlab (NumPy)   {t_np * 1e3:9.2f} ms   ({threads} cores visible)")
    try:
        import torch
    except ImportError:
        print("  PyTorch          not installed: pip install torch==2.13.0 to compare")
        return
    torch.set_num_threads(threads)
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

    ours = batch_step_cnnlab(x, labels, p)
    theirs = torch_step()
    same = np.isclose(ours[0], theirs.item(), rtol=1e-4) and np.allclose(
        ours[1], tp["w1"].grad.numpy(), rtol=1e-3, atol=1e-6)
    t_torch = best_of(torch_step, args.repeat)
    print(f"  PyTorch {torch.__version__:<9}{t_torch * 1e3:9.2f} ms   ({torch.get_num_threads()} "
          f"threads)")
    print(f"  cnnlab / PyTorch speed {t_torch / t_np:5.2f}x   (goal >= 1.0x; same loss and "
          f"gradients: {same})")


if __name__ == "__main__":
    main()
