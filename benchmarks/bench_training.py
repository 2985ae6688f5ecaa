"""Training figures for README: accuracy and time on full MNIST and on the shipped subset,
and training throughput against the identical network in PyTorch (same batch, same threads).

Run:  python benchmarks/bench_training.py [--mnist ../shared/data/mnist.npz] [--quick]
      [--skip-torch]

Goals: full MNIST, one conv block: >= 98.5 % test accuracy in <= 60 s; two blocks: >= 99.0 %
in <= 3 min; shipped subset: >= 95 % in <= 30 s; throughput >= 1.0x PyTorch's.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
from _timing import compare, torch_threads

from cnnlab.data import load_mnist, load_mnist_subset, prepare_images
from cnnlab.engine import small_cnn_loss_fast, training_settings
from cnnlab.engine.memory import keep_freed_memory
from cnnlab.models import init_small_cnn
from cnnlab.train import SGD, Trainer
from cnnlab.train import halving_schedule as schedule

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MNIST = ROOT.parent / "shared" / "data" / "mnist.npz"
DTYPE = np.float32      # float32: about twice as fast as float64, same accuracy here


def train(data, blocks, epochs, lr=0.05, batch_size=64, seed=0, label=""):
    """Train the small CNN; print and return (accuracy, seconds)."""
    x_train = prepare_images(data.train_images).astype(DTYPE)
    x_test = prepare_images(data.test_images).astype(DTYPE)
    params = init_small_cnn(num_filters=8, num_blocks=blocks, seed=seed, dtype=DTYPE)
    optimizer = SGD(lr=lr, momentum=0.9)
    trainer = Trainer(params, small_cnn_loss_fast, optimizer, x_train, data.train_labels, x_test,
                      data.test_labels, batch_size=batch_size, seed=seed,
                      settings=training_settings)
    start = time.perf_counter()
    for epoch in range(epochs):
        optimizer.lr = schedule(epoch, epochs, lr)
        trainer.run(epochs=1, progress=False)
    seconds = time.perf_counter() - start
    accuracy = trainer.history.test_accuracy[-1]
    curve = " ".join(f"{a:.4f}" for a in trainer.history.test_accuracy)
    print(f"  {label:38} {accuracy:7.2%}  {seconds:6.1f} s   (per epoch: {curve})",
          flush=True)
    return accuracy, seconds


def throughput(dtype, rounds=5, batch_size=64, skip_torch=False):
    """Training images per second: cnnlab's Trainer.step against the same loop in PyTorch.

    Both draw shuffled batches of ``batch_size`` from the same 6,400 random images, and run
    forward, backward and an SGD-with-momentum update; cnnlab against PyTorch on 1 thread and
    on all cores, timed in alternating warmed-up blocks (benchmarks/_timing.py).
    """
    rng = np.random.default_rng(0)
    images = rng.random((100 * batch_size, 1, 28, 28)).astype(dtype)
    labels = rng.integers(0, 10, size=images.shape[0])
    params = init_small_cnn(num_filters=8, seed=0, dtype=dtype)
    trainer = Trainer(params, small_cnn_loss_fast, SGD(lr=0.01, momentum=0.9), images, labels,
                      batch_size=batch_size, seed=0, settings=training_settings)
    contenders = {"cnnlab": (trainer.step, None)}     # each step inside training_settings
    torch = None
    if not skip_torch:
        try:
            import torch
        except ImportError:
            pass
    if torch is not None:
        tdtype = torch.float32 if dtype == np.float32 else torch.float64
        model = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 5, padding=2), torch.nn.ReLU(),
                                    torch.nn.MaxPool2d(2), torch.nn.Flatten(),
                                    torch.nn.Linear(8 * 14 * 14, 10)).to(tdtype)
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        tx, ty = torch.tensor(images), torch.tensor(labels)
        generator = torch.Generator().manual_seed(0)
        order, position = torch.randperm(len(tx), generator=generator), [0]

        def torch_step():
            if position[0] >= len(order):
                order[:] = torch.randperm(len(tx), generator=generator)
                position[0] = 0
            index = order[position[0]:position[0] + batch_size]
            position[0] += batch_size
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(tx[index]), ty[index]).backward()
            opt.step()

        for threads in sorted({1, os.cpu_count()}):
            contenders[f"torch{threads}"] = (torch_step, torch_threads(torch, threads))
    times = compare(contenders, rounds=rounds)
    ours = batch_size / times["cnnlab"]
    print(f"  {np.dtype(dtype).name}: cnnlab (NumPy {np.__version__}) {ours:9.0f} images/s")
    if torch is None:
        print("    PyTorch: not installed or skipped (pip install torch==2.13.0 to compare)")
        return
    for name, seconds in times.items():
        if name.startswith("torch"):
            threads = int(name[5:])
            theirs = batch_size / seconds
            print(f"    PyTorch {torch.__version__}, {threads} thread{'s' * (threads > 1)}: "
                  f"{theirs:9.0f} images/s   cnnlab / PyTorch {ours / theirs:5.2f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", type=Path, default=DEFAULT_MNIST)
    parser.add_argument("--quick", action="store_true", help="subset and throughput only")
    parser.add_argument("--skip-torch", action="store_true")
    args = parser.parse_args()
    keep_freed_memory()
    print(f"machine: {os.cpu_count()} cores visible; float32; batch 64; SGD momentum 0.9")
    print("\nThroughput (training steps, batch 64, 8 filters 5x5, pool, dense 10; goal: cnnlab "
          ">= 1.0x PyTorch at the same thread count; cnnlab uses one BLAS thread)")
    for dtype in (np.float32, np.float64):
        throughput(dtype, skip_torch=args.skip_torch)
    print("\nShipped subset (10,000 train / 2,000 test), one conv block; goal >= 95 % in 30 s")
    train(load_mnist_subset(), blocks=1, epochs=3, label="subset, 1 block, 3 epochs")
    if args.quick:
        return
    if not args.mnist.exists():
        print(f"\nfull MNIST: {args.mnist} not found (pass --mnist PATH)")
        return
    full = load_mnist(path=args.mnist)
    print("\nFull MNIST (60,000 train / 10,000 test)")
    print("  goal: one block >= 98.5 % in 60 s")
    train(full, blocks=1, epochs=8, label="full, 1 block (8 filters), 8 epochs")
    print("  goal: two blocks >= 99.0 % in 180 s")
    train(full, blocks=2, epochs=8, label="full, 2 blocks (8, 16 filters), 8 epochs")


if __name__ == "__main__":
    main()
