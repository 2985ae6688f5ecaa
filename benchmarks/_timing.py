"""Timing shared by the benchmarks: medians over alternating blocks, so that the contenders
share whatever else the (shared, noisy) machine is doing while they run.

Each contender gets a warm-up of ``warmup`` seconds at the start of each of its blocks (thread
pools wake up, caches fill, the allocator settles), then ``block`` timed calls; the blocks of all
contenders alternate ``rounds`` times.  A library whose worker threads are still spinning from
its own last call would slow the next contender if calls alternated one by one; whole blocks
keep each library's threads in their steady state.
"""

from __future__ import annotations

import contextlib
import time

import numpy as np


def compare(contenders, rounds=5, block=40, warmup=0.3):
    """Median seconds per call of each contender.

    Parameters
    ----------
    contenders : dict of str -> (callable, context manager factory or None)
        The function to time (no arguments) and, optionally, a factory for a context it runs in
        (e.g. a thread-count setting).
    rounds, block : int
    warmup : float
        Seconds of untimed calls before each block.

    Returns
    -------
    dict of str -> float
    """
    times = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, (function, context) in contenders.items():
            with (context() if context is not None else contextlib.nullcontext()):
                end = time.perf_counter() + warmup
                while time.perf_counter() < end:
                    function()
                for _ in range(block):
                    start = time.perf_counter()
                    function()
                    times[name].append(time.perf_counter() - start)
    return {name: float(np.median(values)) for name, values in times.items()}


def torch_threads(torch, count):
    """A context-manager factory: PyTorch's intra-op threads set to ``count`` inside."""

    @contextlib.contextmanager
    def context():
        before = torch.get_num_threads()
        torch.set_num_threads(count)
        try:
            yield
        finally:
            torch.set_num_threads(before)

    return context
