"""Training figures for README: time to 99 % on full MNIST beside PyTorch, and training
throughput against the identical network in PyTorch, each library at its best thread count.

Run:  python benchmarks/bench_training.py [--mnist ../shared/data/mnist.npz] [--quick]
      [--skip-torch] [--rounds 5]

Goals (issue 24): full MNIST, two conv blocks: cnnlab reaches 99.0 % test accuracy in <= 30 s
of training and >= 1.5x faster than PyTorch on the same recipe; throughput (images/s, each at
its best of 1 thread and both cores) >= 1.5x PyTorch's in float32 and float64; shipped subset:
>= 95 % in <= 30 s.

cnnlab and PyTorch train side by side: epoch k of one, then epoch k of the other, so that both
share whatever else the machine is doing; compare ratios on a shared machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time
from pathlib import Path

import numpy as np
from _timing import blas_line, compare, torch_threads

from cnnlab.data import load_mnist, load_mnist_subset, network_arrays
from cnnlab.engine import cores, over_cores, small_cnn_loss_fast, training_settings
from cnnlab.engine.memory import keep_freed_memory
from cnnlab.models import init_small_cnn
from cnnlab.train import SGD, Trainer, one_cycle_schedule

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MNIST = ROOT.parent / "shared" / "data" / "mnist.npz"
DTYPE = np.float32      # float32: about twice as fast as float64, same accuracy here
# The full-MNIST recipe (lesson 11's train_full_mnist): two blocks (8 and 16 filters 5x5),
# batch 128, SGD with momentum 0.9, one-cycle learning rate peaking at 0.15, 3 epochs.
RECIPE = {"blocks": 2, "batch_size": 128, "lr": 0.15, "momentum": 0.9, "epochs": 3}
GOAL = 0.99


def cnnlab_loss(workers):
    """The engine's step on ``workers`` threads (1: the plain fused step)."""
    return small_cnn_loss_fast if workers == 1 else over_cores(small_cnn_loss_fast, workers)


def torch_step_of(torch, blocks, params, images, labels):
    """PyTorch's forward + backward step on the same network, weights and batch as cnnlab's."""
    model = torch_net(torch, blocks, params)
    tx, ty = torch.from_numpy(images), torch.from_numpy(labels)

    def torch_step():
        model.zero_grad()
        torch.nn.functional.cross_entropy(model(tx), ty).backward()
    return torch_step


def torch_net(torch, blocks, params):
    """The small CNN in torch.nn, holding cnnlab's ``params`` (same initial weights)."""
    layers = []
    for block in range(1, blocks + 1):
        weight = params[f"conv{block}.weight"]
        conv = torch.nn.Conv2d(weight.shape[1], weight.shape[0], weight.shape[2],
                               padding=weight.shape[2] // 2)
        layers += [conv, torch.nn.ReLU(), torch.nn.MaxPool2d(2)]
    dense = torch.nn.Linear(*params["dense.weight"].shape)
    model = torch.nn.Sequential(*layers, torch.nn.Flatten(), dense)
    model = model.to(torch.float32 if params["dense.weight"].dtype == np.float32
                     else torch.float64)
    with torch.no_grad():
        for block in range(1, blocks + 1):
            conv = model[3 * (block - 1)]
            conv.weight.copy_(torch.from_numpy(params[f"conv{block}.weight"]))
            conv.bias.copy_(torch.from_numpy(params[f"conv{block}.bias"]))
        dense.weight.copy_(torch.from_numpy(params["dense.weight"].T.copy()))
        dense.bias.copy_(torch.from_numpy(params["dense.bias"]))
    return model


class TorchTrainer:
    """PyTorch on cnnlab's recipe: the same batches in the same order (the Trainer's shuffle),
    the same SGD with momentum, the learning rate set before each step, the test set after
    each epoch."""

    def __init__(self, torch, params, blocks, x_train, y_train, x_test, y_test, batch_size,
                 momentum, seed=0):
        self.torch, self.batch_size = torch, batch_size
        self.model = torch_net(torch, blocks, params)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1, momentum=momentum)
        self.x_train, self.y_train = torch.from_numpy(x_train), torch.from_numpy(y_train)
        self.x_test, self.y_test = torch.from_numpy(x_test), torch.from_numpy(y_test)
        self.rng = np.random.default_rng(seed)        # as Trainer's: one permutation per epoch
        self.steps_done = 0
        self.steps_per_epoch = -(-len(y_train) // batch_size)

    def step(self, index, lr):
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        self.optimizer.zero_grad()
        logits = self.model(self.x_train[index])
        self.torch.nn.functional.cross_entropy(logits, self.y_train[index]).backward()
        self.optimizer.step()
        self.steps_done += 1

    def run_epoch(self, lr_schedule):
        order = self.torch.from_numpy(self.rng.permutation(len(self.y_train)))
        for start in range(0, len(order), self.batch_size):
            self.step(order[start:start + self.batch_size], lr_schedule(self.steps_done))
        with self.torch.no_grad():
            predicted = self.model(self.x_test).argmax(1)
        return float((predicted == self.y_test).double().mean())


def best_threads(torch, dtype, blocks, batch_size, rounds=2):
    """Each library's fastest thread count for this network's step, from a short alternating
    timing: {'cnnlab': workers, 'torch': threads}."""
    rng = np.random.default_rng(1)
    images = rng.random((batch_size, 1, 28, 28)).astype(dtype)
    labels = rng.integers(0, 10, size=batch_size)
    params = init_small_cnn(num_filters=8, num_blocks=blocks, seed=0, dtype=dtype)
    counts = sorted({1, cores()})
    losses = {n: cnnlab_loss(n) for n in counts}
    contenders = {f"cnnlab{n}": (lambda n=n: losses[n](params, images, labels),
                                 training_settings) for n in counts}
    if torch is not None:
        torch_step = torch_step_of(torch, blocks, params, images, labels)
        contenders |= {f"torch{n}": (torch_step, torch_threads(torch, n)) for n in counts}
    times = compare(contenders, rounds=rounds, block=10)
    best = {}
    for library in ("cnnlab", "torch"):
        mine = {int(k[len(library):]): v for k, v in times.items() if k.startswith(library)}
        if mine:
            best[library] = min(mine, key=mine.get)
    return best, times


def time_to_goal(data, skip_torch, seed=0):
    """Train cnnlab and PyTorch on the recipe, epoch by epoch alternately; print each epoch's
    accuracy and time, and both times to 99 %."""
    torch = None if skip_torch else _import_torch()
    x_train, y_train, x_test, y_test = network_arrays(data, dtype=DTYPE)
    best, probe = best_threads(torch, DTYPE, RECIPE["blocks"], RECIPE["batch_size"])
    print("  thread counts (one step, ms): " + ", ".join(
        f"{k} {v * 1e3:.1f}" for k, v in probe.items()) + f" -> best {best}")
    params = init_small_cnn(num_filters=8, num_blocks=RECIPE["blocks"], seed=seed, dtype=DTYPE)
    torch_run = None
    if torch is not None:
        torch_run = TorchTrainer(torch, params, RECIPE["blocks"], x_train, y_train, x_test,
                                 y_test, RECIPE["batch_size"], RECIPE["momentum"], seed)
    optimizer = SGD(lr=RECIPE["lr"], momentum=RECIPE["momentum"])
    trainer = Trainer(params, cnnlab_loss(best["cnnlab"]), optimizer, x_train, y_train, x_test,
                      y_test, batch_size=RECIPE["batch_size"], seed=seed,
                      settings=training_settings)
    total = RECIPE["epochs"] * trainer.steps_per_epoch

    def schedule(step):
        return one_cycle_schedule(step, total, RECIPE["lr"])

    # wall-clock seconds, and the CPU seconds of the process (all its threads): on a loaded
    # machine the wall clock also counts the time other programs had the cores
    clock, cpu = {"cnnlab": 0.0, "torch": 0.0}, {"cnnlab": 0.0, "torch": 0.0}
    reached = {}
    for epoch in range(1, RECIPE["epochs"] + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        trainer.run(epochs=1, progress=False, lr_schedule=schedule)
        clock["cnnlab"] += time.perf_counter() - start
        cpu["cnnlab"] += time.process_time() - start_cpu
        accuracy = {"cnnlab": trainer.history.test_accuracy[-1]}
        if torch_run is not None:
            with torch_threads(torch, best["torch"])():
                start, start_cpu = time.perf_counter(), time.process_time()
                accuracy["torch"] = torch_run.run_epoch(schedule)
                clock["torch"] += time.perf_counter() - start
                cpu["torch"] += time.process_time() - start_cpu
        for name, value in accuracy.items():
            if value >= GOAL and name not in reached:
                reached[name] = clock[name]
        print(f"  epoch {epoch}: " + "   ".join(
            f"{name} {value:.2%} at {clock[name]:5.1f} s (CPU {cpu[name]:5.1f} s)"
            for name, value in accuracy.items()), f"  (load {os.getloadavg()[0]:.1f})",
            flush=True)
    for name, label in (("cnnlab", f"cnnlab, {best['cnnlab']} thread(s)"),
                        ("torch", f"PyTorch, {best.get('torch')} thread(s)")):
        if name == "torch" and torch_run is None:
            print("  PyTorch: not installed or skipped (pip install torch==2.13.0 to compare)")
            continue
        print(f"  {label:24} time to {GOAL:.1%}: " +
              (f"{reached[name]:6.1f} s" if name in reached else "not reached"))
    if "cnnlab" in reached and "torch" in reached:
        print(f"  cnnlab / PyTorch speed: {reached['torch'] / reached['cnnlab']:.2f}x "
              f"(goal >= 1.5x, cnnlab <= 30 s)")


def _import_torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


def train_subset(epochs=3, lr=0.05, batch_size=64, seed=0):
    """The shipped subset, one block, lesson 09's recipe: print (accuracy, seconds)."""
    x_train, y_train, x_test, y_test = network_arrays(load_mnist_subset(), dtype=DTYPE)
    params = init_small_cnn(num_filters=8, num_blocks=1, seed=seed, dtype=DTYPE)
    trainer = Trainer(params, small_cnn_loss_fast, SGD(lr=lr, momentum=0.9), x_train, y_train,
                      x_test, y_test, batch_size=batch_size, seed=seed,
                      settings=training_settings)
    start = time.perf_counter()
    trainer.run(epochs=epochs, progress=False)
    seconds = time.perf_counter() - start
    curve = " ".join(f"{a:.4f}" for a in trainer.history.test_accuracy)
    print(f"  subset, 1 block, {epochs} epochs: {trainer.history.test_accuracy[-1]:7.2%} in "
          f"{seconds:5.1f} s   (per epoch: {curve})", flush=True)


def throughput(dtype, blocks=1, batch_size=64, rounds=5, skip_torch=False):
    """Training images per second: cnnlab's Trainer.step against the same loop in PyTorch.

    Both draw shuffled batches of ``batch_size`` from the same random images and run forward,
    backward and an SGD-with-momentum update; cnnlab on 1 thread and on all cores
    (engine.over_cores), PyTorch on 1 thread and on all cores, timed in alternating warmed-up
    blocks (benchmarks/_timing.py).  Returns the best of each library in images/s.
    """
    rng = np.random.default_rng(0)
    images = rng.random((50 * batch_size, 1, 28, 28)).astype(dtype)
    labels = rng.integers(0, 10, size=images.shape[0])
    counts = sorted({1, cores()})
    contenders = {}
    for n in counts:
        params = init_small_cnn(num_filters=8, num_blocks=blocks, seed=0, dtype=dtype)
        trainer = Trainer(params, cnnlab_loss(n), SGD(lr=0.01, momentum=0.9), images, labels,
                          batch_size=batch_size, seed=0, settings=training_settings)
        contenders[f"cnnlab{n}"] = (trainer.step, None)    # each step inside training_settings
    torch = None if skip_torch else _import_torch()
    if torch is not None:
        params = init_small_cnn(num_filters=8, num_blocks=blocks, seed=0, dtype=dtype)
        model = torch_net(torch, blocks, params)
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        tx, ty = torch.from_numpy(images), torch.from_numpy(labels)
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

        for n in counts:
            contenders[f"torch{n}"] = (torch_step, torch_threads(torch, n))
    times = compare(contenders, rounds=rounds)
    rate = {name: batch_size / seconds for name, seconds in times.items()}
    line = "   ".join(f"{name[:-1] if name[-1].isdigit() else name} {name[-1]}: {value:7.0f}"
                      for name, value in rate.items())
    print(f"  {np.dtype(dtype).name}, {blocks} block(s), batch {batch_size} (images/s): {line}")
    ours = max(v for k, v in rate.items() if k.startswith("cnnlab"))
    if torch is None:
        print("    PyTorch: not installed or skipped (pip install torch==2.13.0 to compare)")
        return
    theirs = max(v for k, v in rate.items() if k.startswith("torch"))
    print(f"    best against best: cnnlab {ours:7.0f} / PyTorch {theirs:7.0f} = "
          f"{ours / theirs:4.2f}x (goal >= 1.5x)", flush=True)


def cpu_per_step(dtype, blocks, batch_size, rounds=6, block=15):
    """Each library's CPU time per forward + backward step on one thread (``time.thread_time``,
    median over alternating blocks): steadier than the wall clock when other programs share the
    cores, since time spent waiting for a core is not counted."""
    torch = _import_torch()
    rng = np.random.default_rng(0)
    images = rng.random((batch_size, 1, 28, 28)).astype(dtype)
    labels = rng.integers(0, 10, size=batch_size)
    params = init_small_cnn(num_filters=8, num_blocks=blocks, seed=0, dtype=dtype)
    steps = {"cnnlab": (lambda: small_cnn_loss_fast(params, images, labels), training_settings)}
    if torch is not None:
        steps["torch"] = (torch_step_of(torch, blocks, params, images, labels),
                          torch_threads(torch, 1))
    seconds = {name: [] for name in steps}
    for _ in range(rounds):
        for name, (step, context) in steps.items():
            with context():
                for _ in range(3):
                    step()
                for _ in range(block):
                    start = time.thread_time()
                    step()
                    seconds[name].append(time.thread_time() - start)
    ms = {name: float(np.median(values)) * 1e3 for name, values in seconds.items()}
    line = (f"  {np.dtype(dtype).name}, {blocks} block(s), batch {batch_size}: "
            f"cnnlab {ms['cnnlab']:.2f} ms")
    if "torch" in ms:
        line += f", PyTorch {ms['torch']:.2f} ms, ratio {ms['torch'] / ms['cnnlab']:.2f}x"
    print(line, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", type=Path, default=DEFAULT_MNIST)
    parser.add_argument("--quick", action="store_true", help="subset and throughput only")
    parser.add_argument("--skip-torch", action="store_true")
    parser.add_argument("--rounds", type=int, default=5, help="alternating timed blocks")
    args = parser.parse_args()
    keep_freed_memory()
    print(f"machine: {cores()} cores; load average {os.getloadavg()[0]:.1f} at the start")
    print(blas_line())
    print("\nThroughput (training steps: forward, backward, SGD with momentum; 8 filters 5x5 "
          "per block, 2x2 max pool, dense 10)")
    for dtype in (np.float32, np.float64):
        for blocks, batch_size in ((1, 64), (RECIPE["blocks"], RECIPE["batch_size"])):
            throughput(dtype, blocks, batch_size, args.rounds, args.skip_torch)
    if not args.skip_torch:
        print("\nCPU time per step, one thread each (forward + backward; not counting time spent "
              "waiting for a core)")
        for dtype in (np.float32, np.float64):
            for blocks, batch_size in ((1, 64), (RECIPE["blocks"], RECIPE["batch_size"])):
                cpu_per_step(dtype, blocks, batch_size)
    print("\nShipped subset (10,000 train / 2,000 test), one conv block; goal >= 95 % in 30 s")
    train_subset()
    if args.quick:
        return
    if not args.mnist.exists():
        print(f"\nfull MNIST: {args.mnist} not found (pass --mnist PATH)")
        return
    print(f"\nFull MNIST (60,000 train / 10,000 test) to {GOAL:.1%}: two blocks (8, 16 filters "
          f"5x5), float32, batch {RECIPE['batch_size']}, SGD momentum {RECIPE['momentum']}, "
          f"one-cycle lr peak {RECIPE['lr']}, {RECIPE['epochs']} epochs; the same initial "
          f"weights and batches in both")
    with contextlib.suppress(KeyboardInterrupt):
        time_to_goal(load_mnist(path=args.mnist), args.skip_torch)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
