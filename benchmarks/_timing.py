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
import os
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


# OpenBLAS's kernels that use 256-bit vectors (AVX2) at most, and what its SkylakeX kernels need.
AVX2_KERNELS = {"Haswell", "Zen", "SandyBridge"}
SKYLAKEX_NEEDS = {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"}


def cpu_flags(path="/proc/cpuinfo"):
    """The instruction-set flags the first CPU lists in ``path`` (Linux); empty elsewhere."""
    try:
        with open(path, encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("flags"):
                    return set(line.partition(":")[2].split())
    except OSError:
        pass
    return set()


def openblas_kernel():
    """``(kernel, version)`` of the OpenBLAS that NumPy loaded (threadpoolctl's report), or
    None when NumPy's BLAS is another library."""
    from threadpoolctl import threadpool_info

    for library in threadpool_info():
        if library.get("internal_api") == "openblas":
            return library.get("architecture"), library.get("version")
    return None


def blas_line(kernel=None, flags=None, forced=None):
    """One line for a benchmark's header: which kernels NumPy's OpenBLAS runs on this CPU.

    OpenBLAS picks its kernels when NumPy loads it, from the CPU, unless the environment
    variable ``OPENBLAS_CORETYPE`` names them.  This machine's environment sets it to Haswell
    (256-bit AVX2 kernels) on a CPU with AVX-512, where OpenBLAS alone picks SkylakeX
    (benchmarks/README.md measures both); PyTorch's own libraries use AVX-512 either way.  The
    line says which kernels ran, and when they were set by the environment.  The arguments
    stand in for this machine's (:func:`openblas_kernel`, :func:`cpu_flags`, the variable) in
    tests.
    """
    found = openblas_kernel() if kernel is None else kernel
    flags = cpu_flags() if flags is None else flags
    forced = os.environ.get("OPENBLAS_CORETYPE", "") if forced is None else forced
    if found is None:
        return "NumPy's BLAS: not OpenBLAS"
    name, version = found
    line = f"NumPy's OpenBLAS {version}: {name} kernels"
    if forced:
        line += f", set by OPENBLAS_CORETYPE={forced}"
        if name in AVX2_KERNELS and SKYLAKEX_NEEDS <= flags:
            line += " on a CPU with AVX-512, which these kernels leave unused"
    return line
