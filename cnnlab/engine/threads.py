"""One BLAS thread while cnnlab trains: small matrix products are a bet on one core.

NumPy hands every matrix product to a BLAS library (OpenBLAS in the wheels from PyPI), which
splits big products over all cores.  A training step of the course's networks makes a few small
products between element-wise operations that NumPy runs on one core.  After each product the
BLAS worker threads keep spinning for a while, waiting for the next one, and can compete with
those element-wise loops for the CPU; one thread gives the steadiest step time
(benchmarks/README.md has the measurements).  So :func:`cnnlab.engine.training_settings`, which
a lesson hands to its Trainer, runs each call inside :func:`one_blas_thread`;
:func:`blas_threads` sets any other count.  The second core is used another way: by splitting
the batch over threads (:mod:`cnnlab.engine.parallel`), each of which runs its own one-thread
products.

threadpoolctl (from the scikit-learn developers) finds whichever BLAS NumPy loaded (OpenBLAS,
MKL, BLIS, Accelerate) and sets its thread count for a ``with`` block, then restores it.  In
the browser edition (Pyodide, ``sys.platform == "emscripten"``) NumPy has no BLAS and Python no
threads: there is nothing to limit, and the blocks run as they are, without asking threadpoolctl
(whose first look for libraries cost a quarter of a second there, at the first training step of
lessons 08-11).
"""

from __future__ import annotations

import contextlib
import sys

from .._validate import check_int

__all__ = ["one_blas_thread", "blas_threads"]

_controller = None


@contextlib.contextmanager
def one_blas_thread():
    """Run the ``with`` block with NumPy's BLAS limited to one thread, then restore it.

    Examples
    --------
    >>> import numpy as np
    >>> with one_blas_thread():
    ...     product = np.ones((2, 3)) @ np.ones((3, 2))
    >>> product
    array([[3., 3.],
           [3., 3.]])
    """
    with _blas_threads(1):
        yield


def blas_threads(count):
    """Run the ``with`` block with NumPy's BLAS limited to ``count`` threads, then restore it.

    Parameters
    ----------
    count : int
        How many threads NumPy's BLAS may use inside the block: at least 1 (checked when
        called, before the ``with`` block starts).

    Examples
    --------
    >>> with blas_threads(2):
    ...     pass
    >>> blas_threads(0)
    Traceback (most recent call last):
    ...
    ValueError: count must be at least 1, got 0
    """
    return _blas_threads(check_int(count, "count", minimum=1))


@contextlib.contextmanager
def _blas_threads(count):
    global _controller
    if sys.platform == "emscripten":        # Pyodide: no BLAS, no threads, nothing to limit
        yield
        return
    if _controller is None:         # looking up the loaded libraries takes ~1 ms: do it once
        from threadpoolctl import ThreadpoolController
        _controller = ThreadpoolController()
    with _controller.limit(limits=count, user_api="blas"):
        yield
