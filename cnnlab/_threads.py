"""One BLAS thread while cnnlab trains: small matrix products run faster on one core.

NumPy hands every matrix product to a BLAS library (OpenBLAS in the wheels from PyPI), which
splits big products over all cores.  A training step of the course's networks makes a few small
products (8 filters x 25 taps x 50,000 cells) between many element-wise operations that NumPy
runs on one core.  After each product the BLAS worker threads keep spinning for a while, waiting
for the next one, and compete with those element-wise loops for the CPU.  Measured here (2 cores,
benchmarks/bench_core.py): a 64-image step took 1.9 ms with one BLAS thread in every run, and
with OpenBLAS's 2 threads 2.5 ms in most runs (1.6 ms in a few).  So
:class:`cnnlab.train.Trainer` runs its steps inside :func:`one_blas_thread`.

threadpoolctl (from the scikit-learn developers) finds whichever BLAS NumPy loaded (OpenBLAS,
MKL, BLIS, Accelerate) and sets its thread count for a ``with`` block, then restores it.
"""

from __future__ import annotations

import contextlib

__all__ = ["one_blas_thread"]

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
    global _controller
    if _controller is None:         # looking up the loaded libraries takes ~1 ms: do it once
        from threadpoolctl import ThreadpoolController
        _controller = ThreadpoolController()
    with _controller.limit(limits=1, user_api="blas"):
        yield
