"""Speed of cnnlab's core, measured side by side in one run (figures for README).

1. The seed's step: one 32x32 image, one 5x5 kernel, 'same' padding, ReLU, 2x2 max pool, dense,
   sigmoid, forward + backward.  The seed notebook's loops (its kernel-gradient index fixed)
   against cnnlab's two vectorised seed steps, side by side: the textbook's
   (cnnlab.seednet.seed_step: the layers one by one, its arguments checked once at the door)
   and the engine's (cnnlab.engine.seed_step_fast: the same results through the fused seed
   network, a batch of one).  Goal: vectorised >= 250x faster.
2. A batch step: 64 MNIST-sized images (1x28x28), 8 filters 5x5 'same', ReLU, 2x2 max pool,
   dense to 10 classes, softmax cross-entropy, forward + backward; cnnlab against the same
   network in PyTorch (CPU) when torch is installed, each on 1 thread and on every core
   (cnnlab's cores: engine.over_cores, the batch split over threads).  Goal (issue 24): best
   against best >= 1.5x.  The step is also set against its compute limit: its fewest
   floating-point operations (the products' multiply-adds) at NumPy's measured one-thread
   matrix-product rate.
3. Where the time of lesson 11's step goes: two blocks (8 and 16 filters 5x5), batch 128, one
   thread, part by part (each block's forward and backward, the second block's three matrix
   products on their own, the dense layer and the loss), beside the whole step and its
   compute limit.

4. With ``--kernels Haswell SkylakeX``: the same products and steps under each of OpenBLAS's
   kernels (``OPENBLAS_CORETYPE``, read when NumPy loads OpenBLAS, so each in a fresh process,
   the kernels alternating): NumPy's one-thread square-product rate, and the CPU time of the
   one-block 64-image and two-block 128-image steps on one thread.

Run:  python benchmarks/bench_core.py [--rounds 5] [--kernels Haswell SkylakeX]
"""

from __future__ import annotations

import argparse
import os

import numpy as np
from _timing import blas_line, compare, torch_threads

from cnnlab.engine import cores, over_cores, seed_step_fast, small_cnn_loss_fast
from cnnlab.engine.memory import keep_freed_memory
from cnnlab.engine.threads import one_blas_thread
from cnnlab.models import init_small_cnn, small_cnn_loss
from cnnlab.padding import pad_by_stacking
from cnnlab.seednet import init_seed_params, seed_step

# The seed notebook's step, function by function as the seed writes it (its names, its loops),
# with three repairs so that it runs and its gradients are right: f_pool, which the seed calls
# but never defines, is a 2x2 max pool in the seed's loop style; f_ReLU works on a copy instead
# of changing C in place; the kernel gradient reads I[i+u, j+v] where the seed reads I[i-u, j-v]
# (the 180-degree rotation).  Sizes come from the arrays instead of the seed's 5x5 and 256.

def f_conv2d(I, K, p):
    fSize = K.shape[0]
    I2 = pad_by_stacking(I, p)                 # the seed's f_padd: stacks rows/columns of zeros
    numRows, numCols = I2.shape
    C = np.zeros((numRows - 2 * p, numCols - 2 * p))
    for i in range(numRows - fSize + 1):
        for j in range(numCols - fSize + 1):
            A = I2[i:i + fSize, j:j + fSize]
            C[i, j] = (A.flatten() * K.flatten()).sum()
    return C


def f_ReLU(C):
    C = C.copy()
    C[C < 0] = 0
    return C


def f_pool(C):
    S = np.zeros((C.shape[0] // 2, C.shape[1] // 2))
    for i in range(0, C.shape[0], 2):
        for j in range(0, C.shape[1], 2):
            S[i // 2, j // 2] = C[i:i + 2, j:j + 2].max()
    return S


def f_sigmoid(f, w, bf):
    x = w.dot(f) + bf
    return 1 / (1 + np.exp(-x))


def f_forwardPass(I, K, b, w, bf):
    p = int(K.shape[0] / 2)
    C = f_conv2d(I, K, p)
    C = C + b
    C = f_ReLU(C)
    S = f_pool(C)
    f = S.flatten()
    y_hat = f_sigmoid(f, w, bf)
    return C, f, y_hat


def f_getGradient_w(y_hat, y, f):
    Dw = np.squeeze(np.zeros((1, len(f))))
    a = (y_hat - y) * y_hat * (1 - y_hat)
    for i in range(len(f)):
        Dw[i] = a * f[i]
    return Dw


def f_getGradient_f(y_hat, y, w):
    Df = np.squeeze(np.zeros((1, len(w))))
    a = (y_hat - y) * y_hat * (1 - y_hat)
    for i in range(len(w)):
        Df[i] = a * w[i]
    return Df


def f_getGradient_bf(y_hat, y):
    return (y_hat - y) * y_hat * (1 - y_hat)


def f_getGradient_S(Df, shape):
    return Df.reshape(shape)


def f_getGradient_C(DS, C):
    r, c = C.shape
    DC = np.zeros((r, c))
    for i in range(0, r, 2):
        for j in range(0, c, 2):
            C_block = C[i:i + 2, j:j + 2]
            ind = np.unravel_index(np.argmax(C_block, axis=None), C_block.shape)
            DC[i + ind[0], j + ind[1]] = DS[int(i / 2), int(j / 2)]
    return DC


def f_getChainRuleGradients(C, DC, I, u, v):
    DKuv = 0
    for i in range(C.shape[0]):
        for j in range(C.shape[1]):
            if C[i, j] > 0 and i + u >= 0 and j + v >= 0 and i + u < C.shape[0] \
                    and j + v < C.shape[1]:
                DKuv = DKuv + (I[i + u, j + v] * DC[i, j])       # the seed: I[i - u, j - v]
    return DKuv


def f_getGradient_K(C, I, y_hat, y, w, k):
    Df = f_getGradient_f(y_hat, y, w)
    DS = f_getGradient_S(Df, (C.shape[0] // 2, C.shape[1] // 2))
    DC = f_getGradient_C(DS, C)
    p = k // 2
    DK = np.zeros((k, k))
    for u in range(-p, p + 1):
        for v in range(-p, p + 1):
            DK[u + p, v + p] = f_getChainRuleGradients(C, DC, I, u, v)
    return DK, DC


def f_getGradient_b(C, DC):
    return DC[C > 0].sum()


def f_backwardPass(I, C, f, w, y_hat, y, k):
    Dw = f_getGradient_w(y_hat, y, f)
    Dbf = f_getGradient_bf(y_hat, y)
    DK, DC = f_getGradient_K(C, I, y_hat, y, w, k)
    Db = f_getGradient_b(C, DC)
    return DK, Db, Dw, Dbf


def seed_step_loops(image, params, y):
    """Forward + backward with the seed notebook's own functions (repaired as said above)."""
    kernel, bias, weight, out_bias = (params[k] for k in ("kernel", "bias", "weight", "out_bias"))
    C, f, y_hat = f_forwardPass(image, kernel, float(bias), weight, float(out_bias))
    return f_backwardPass(image, C, f, weight, y_hat, y, kernel.shape[0])


def seed_step_vectorised(image, params, y, step=seed_step):
    _, grads = step(image, y, params)          # forward + backward, without dL/dimage (as the seed)
    return grads["grad_kernel"], grads["grad_bias"], grads["grad_weight"], grads["grad_out_bias"]


def batch_params(rng, dtype):
    """The batch network's parameters, named as cnnlab.models names them."""
    return {
        "conv1.weight": (rng.normal(size=(8, 1, 5, 5)) * np.sqrt(2 / 25)).astype(dtype),
        "conv1.bias": np.zeros(8, dtype),
        "dense.weight": (rng.normal(size=(8 * 14 * 14, 10)) * np.sqrt(2 / 1568)).astype(dtype),
        "dense.bias": np.zeros(10, dtype),
    }


def batch_step_cnnlab(x, labels, p):
    """What lessons 09-11 train with: loss and every gradient (the engine's fused block)."""
    return small_cnn_loss_fast(p, x, labels)


def batch_step_layers(x, labels, p):
    """The same step, layer by layer with the textbook's layers (for the record)."""
    return small_cnn_loss(p, x, labels)


def batch_flops(n=64, filters=8, kernel=5, size=28, classes=10):
    """Fewest floating-point operations of the batch step: 2 per multiply-add of the
    convolution (forward, and its weight gradient; the first layer needs no input gradient)
    and of the dense layer (forward, weight and input gradients)."""
    conv = 2 * n * filters * kernel * kernel * size * size
    dense = 2 * n * filters * (size // 2) ** 2 * classes
    return 2 * conv + 3 * dense


def gemm_rate(dtype, size=384, repeats=20):
    """NumPy's matrix-product speed on one BLAS thread, floating-point operations per second
    (best of ``repeats`` square products)."""
    import time

    a = np.random.default_rng(0).random((size, size)).astype(dtype)
    best = np.inf
    with one_blas_thread():
        for _ in range(repeats):
            start = time.perf_counter()
            a @ a
            best = min(best, time.perf_counter() - start)
    return 2 * size ** 3 / best


def batch_figures(dtype, rounds):
    """Time the batch step in ``dtype``: cnnlab against PyTorch, each on 1 and on all cores."""
    rng = np.random.default_rng(0)
    x = rng.random((64, 1, 28, 28)).astype(dtype)
    labels = rng.integers(0, 10, size=64)
    p = batch_params(rng, dtype)
    counts = sorted({1, cores()})
    steps = {n: over_cores(small_cnn_loss_fast, n) for n in counts}
    contenders = {f"cnnlab{n}": (lambda n=n: steps[n](p, x, labels), one_blas_thread)
                  for n in counts}
    contenders["layers1"] = (lambda: batch_step_layers(x, labels, p), one_blas_thread)
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
            conv = torch.nn.functional.conv2d(tx, tp["conv1.weight"], tp["conv1.bias"], padding=2)
            pooled = torch.nn.functional.max_pool2d(torch.relu(conv), 2)
            logits = pooled.reshape(64, -1) @ tp["dense.weight"] + tp["dense.bias"]
            loss = torch.nn.functional.cross_entropy(logits, tlabels)
            loss.backward()
            return loss

        (loss, grads, _), theirs = batch_step_cnnlab(x, labels, p), torch_step()
        same = bool(np.isclose(loss, theirs.item(), rtol=1e-4) and all(
            np.allclose(grads[k], tp[k].grad.numpy(), rtol=1e-3, atol=1e-6) for k in p))
        for n in counts:
            contenders[f"torch{n}"] = (torch_step, torch_threads(torch, n))
    return compare(contenders, rounds=rounds), same, torch


def two_block_flops(n=128, filters=(8, 16), kernel=5, size=28, classes=10):
    """Fewest floating-point operations of lesson 11's step: block 1's convolution and its
    weight gradient, block 2's convolution, weight and input gradients, the dense layer's
    three products (2 per multiply-add)."""
    first = 2 * n * filters[0] * kernel * kernel * size * size
    second = 2 * n * filters[1] * filters[0] * kernel * kernel * (size // 2) ** 2
    dense = 2 * n * filters[1] * (size // 4) ** 2 * classes
    return 2 * first + 3 * second + 3 * dense


def two_block_split(dtype, rounds, n=128):
    """Median seconds of each part of the two-block step (one BLAS thread), and the whole."""
    from cnnlab.dense import dense_backward, dense_forward
    from cnnlab.engine.blocks import (
        _conv_relu_pool_backward,
        _conv_relu_pool_forward,
        _grad_conv,
        _grad_pooled,
        _weight_gradient_product,
    )
    from cnnlab.engine.gemm import matmul
    from cnnlab.losses import softmax_cross_entropy
    from cnnlab.models import init_small_cnn

    rng = np.random.default_rng(0)
    p = init_small_cnn(num_filters=8, num_blocks=2, seed=0, dtype=dtype)
    x = rng.random((n, 1, 28, 28)).astype(dtype)
    labels = rng.integers(0, 10, size=n)
    weights = [(p[f"conv{b}.weight"], p[f"conv{b}.bias"]) for b in (1, 2)]
    out1, cache1 = _conv_relu_pool_forward(x, *weights[0], 2, copy=False)
    out2, cache2 = _conv_relu_pool_forward(out1, *weights[1], 2, copy=False)

    def dense_and_loss():
        logits, cache = dense_forward(out2.reshape(n, -1), p["dense.weight"], p["dense.bias"])
        grad_logits = softmax_cross_entropy(logits, labels)[1]
        return dense_backward(grad_logits, cache)[0].reshape(out2.shape)

    grad2 = dense_and_loss()
    grad1 = _conv_relu_pool_backward(grad2, cache2, True)[0]
    patches, kernels = cache2["patches"], cache2["kernels"]
    grad_conv = _grad_conv(_grad_pooled(grad2, cache2), cache2)[0]
    parts = {
        "block 1 forward": lambda: _conv_relu_pool_forward(x, *weights[0], 2, copy=False),
        "block 2 forward": lambda: _conv_relu_pool_forward(out1, *weights[1], 2, copy=False),
        "dense + loss, forward and backward": dense_and_loss,
        "block 2 backward (with dL/dx)": lambda: _conv_relu_pool_backward(grad2, cache2, True),
        "block 1 backward (no dL/dx)": lambda: _conv_relu_pool_backward(grad1, cache1, False),
        "block 2's three products": lambda: (matmul(kernels, patches),
                                             _weight_gradient_product(grad_conv, patches),
                                             matmul(kernels.T, grad_conv)),
        "whole step": lambda: small_cnn_loss_fast(p, x, labels),
    }
    return compare({name: (part, one_blas_thread) for name, part in parts.items()},
                   rounds=rounds, block=10)


def kernel_probe():
    """The figures of part 4 in this process (its OpenBLAS kernels), as one JSON line."""
    import json
    import time

    def cpu_ms(step, repeats=30):
        with one_blas_thread():
            for _ in range(5):                  # warm: pages faulted in, caches filled
                step()
            values = []
            for _ in range(repeats):
                start = time.thread_time()
                step()
                values.append(time.thread_time() - start)
        return float(np.median(values)) * 1e3

    keep_freed_memory()
    rng = np.random.default_rng(0)
    figures = {"kernel": blas_line()}
    for dtype in (np.float32, np.float64):
        name = np.dtype(dtype).name
        figures[f"{name} GEMM (GFLOP/s)"] = gemm_rate(dtype) / 1e9
        x1 = rng.random((64, 1, 28, 28)).astype(dtype)
        x2 = rng.random((128, 1, 28, 28)).astype(dtype)
        labels = rng.integers(0, 10, size=128)
        p1 = init_small_cnn(num_filters=8, num_blocks=1, seed=0, dtype=dtype)
        p2 = init_small_cnn(num_filters=8, num_blocks=2, seed=0, dtype=dtype)
        figures[f"{name} 1 block (ms)"] = cpu_ms(
            lambda p1=p1, x1=x1, y=labels[:64]: small_cnn_loss_fast(p1, x1, y))
        figures[f"{name} 2 blocks (ms)"] = cpu_ms(
            lambda p2=p2, x2=x2, y=labels: small_cnn_loss_fast(p2, x2, y))
    print(json.dumps(figures))


def compare_kernels(kernels, rounds):
    """Part 4: ``kernel_probe`` in fresh processes, one per kernel in turn, ``rounds`` times."""
    import json
    import subprocess
    import sys

    runs = {kernel: [] for kernel in kernels}
    for _ in range(rounds):
        for kernel in kernels:
            out = subprocess.run([sys.executable, __file__, "--probe"], check=True, text=True,
                                 capture_output=True,
                                 env=os.environ | {"OPENBLAS_CORETYPE": kernel}).stdout
            runs[kernel].append(json.loads(out.splitlines()[-1]))
    print(f"\nOpenBLAS's kernels side by side (each in fresh processes, alternating, {rounds} "
          f"rounds; medians; steps: CPU ms on one thread; load {os.getloadavg()[0]:.1f})")
    names = [name for name in runs[kernels[0]][0] if name != "kernel"]
    median = {kernel: {name: float(np.median([run[name] for run in runs[kernel]]))
                       for name in names} for kernel in kernels}
    for kernel in kernels:
        print(f"  {runs[kernel][0]['kernel']}")
        print("    " + ";  ".join(f"{name} {median[kernel][name]:.2f}" for name in names))
    first, *others = kernels
    for kernel in others:           # > 1: faster than the first kernel (a rate up, a time down)
        ratios = {name.split(" (")[0]: (median[kernel][name] / median[first][name]
                                        if "GFLOP" in name else
                                        median[first][name] / median[kernel][name])
                  for name in names}
        print(f"  {kernel} against {first}: "
              + ";  ".join(f"{name} {ratio:.2f}x" for name, ratio in ratios.items()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="alternating timed blocks")
    parser.add_argument("--kernels", nargs="+", metavar="CORETYPE",
                        help="only part 4: OpenBLAS's kernels side by side (e.g. Haswell SkylakeX)")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        kernel_probe()
        return
    if args.kernels:
        compare_kernels(args.kernels, args.rounds)
        return
    keep_freed_memory()   # as engine.training_settings does while training: no page faults
    rng = np.random.default_rng(0)
    print(f"machine: {cores()} cores; load average {os.getloadavg()[0]:.1f} at the start; "
          f"{blas_line()}\n")

    # 1. The seed's step.
    image = rng.integers(1, 255, size=(32, 32)) / 255.0
    params = init_seed_params((32, 32), 5, rng=rng, scale=0.1)
    params["bias"] = np.array(0.1)
    loops = seed_step_loops(image, params, 1.0)
    steps = {"textbook": seed_step, "engine": seed_step_fast}
    agree = {name: all(np.allclose(a, b, rtol=1e-10, atol=1e-14) for a, b in zip(
        loops, seed_step_vectorised(image, params, 1.0, step), strict=True))
        for name, step in steps.items()}
    times = compare({"loops": (lambda: seed_step_loops(image, params, 1.0), None)} | {
        name: (lambda step=step: seed_step_vectorised(image, params, 1.0, step), None)
        for name, step in steps.items()}, rounds=args.rounds, block=5)
    # More calls for the fast ones, alternating: a median over 5 calls per block is too coarse.
    times.update(compare({name: (lambda step=step: seed_step_vectorised(image, params, 1.0, step),
                                 None) for name, step in steps.items()},
                         rounds=args.rounds, block=400))
    print("Seed step (32x32 image, 5x5 kernel 'same', ReLU, 2x2 max pool, dense, sigmoid; "
          "forward + backward, float64)")
    print(f"  seed's loops                          {times['loops'] * 1e3:9.2f} ms")
    for name, label in (("textbook", "textbook (seednet.seed_step)"),
                        ("engine", "engine (engine.seed_step_fast)")):
        print(f"  {label:36s}  {times[name] * 1e3:9.3f} ms   "
              f"{times['loops'] / times[name]:5.0f}x the loops   (goal >= 250x; gradients "
              f"agree with the loops: {agree[name]})")

    # 2. The batch step, in both floating-point types.
    print("\nBatch step (64 x 1x28x28, 8 filters 5x5 'same', ReLU, 2x2 max pool, dense to 10, "
          f"softmax CE; forward + backward; {cores()} cores; load {os.getloadavg()[0]:.1f})")
    print("  cnnlab's step is engine.small_cnn_loss_fast (fused conv-ReLU-pool block), on")
    print("  n cores through engine.over_cores (one BLAS thread each); 'layer by layer' is the")
    print("  same step from the lessons' separate layers.  Goal: best >= 1.5x PyTorch's best.")
    for dtype in (np.float64, np.float32):
        times, same, torch = batch_figures(np.dtype(dtype), args.rounds)
        limit = batch_flops() / gemm_rate(dtype)
        print(f"  {np.dtype(dtype).name}:  layer by layer, 1 thread "
              f"{times['layers1'] * 1e3:6.2f} ms;  compute limit on one core "
              f"{limit * 1e3:5.2f} ms ({batch_flops() / 1e6:.1f} MFLOP at NumPy's one-thread "
              f"GEMM rate)")
        for name in [k for k in times if k.startswith("cnnlab")]:
            threads = int(name[6:])
            line = (f"    cnnlab, {threads} core{'s' * (threads > 1)}: "
                    f"{times[name] * 1e3:6.2f} ms ({times[name] / limit:4.1f}x the one-core "
                    f"limit)")
            if torch is not None:
                theirs = times[f"torch{threads}"]
                line += (f"   PyTorch {torch.__version__}, {threads} thread"
                         f"{'s' * (threads > 1)}: {theirs * 1e3:6.2f} ms   "
                         f"speed {theirs / times[name]:5.2f}x")
            print(line)
        if torch is None:
            print("    PyTorch: not installed (pip install torch==2.13.0 to compare)")
        else:
            ours = min(v for k, v in times.items() if k.startswith("cnnlab"))
            theirs = min(v for k, v in times.items() if k.startswith("torch"))
            print(f"    best against best: {ours * 1e3:.2f} ms / {theirs * 1e3:.2f} ms = "
                  f"{theirs / ours:4.2f}x;  same loss and gradients: {same}", flush=True)

    # 3. Where the two-block step's time goes.
    print("\nLesson 11's step, part by part (2 blocks: 8 and 16 filters 5x5, batch 128, one "
          f"thread; load {os.getloadavg()[0]:.1f}; ms, median)")
    for dtype in (np.float32, np.float64):
        times = two_block_split(np.dtype(dtype), args.rounds)
        limit = two_block_flops() / gemm_rate(dtype)
        whole = times.pop("whole step")
        products = times.pop("block 2's three products")
        print(f"  {np.dtype(dtype).name}: " + ";  ".join(
            f"{name} {value * 1e3:.2f}" for name, value in times.items()))
        second = times["block 2 forward"] + times["block 2 backward (with dL/dx)"]
        print(f"    of block 2's {second * 1e3:.2f} ms, its three matrix products "
              f"{products * 1e3:.2f} ms;  parts' sum "
              f"{sum(times.values()) * 1e3:.2f}, whole step {whole * 1e3:.2f} ms;  compute "
              f"limit {limit * 1e3:.2f} ms ({two_block_flops() / 1e6:.0f} MFLOP at NumPy's "
              f"one-thread GEMM rate)", flush=True)


if __name__ == "__main__":
    main()
