"""The engine's matrix products: NumPy's ``@`` natively, ``einsum`` in the browser edition.

NumPy hands ``a @ b`` to a BLAS library (OpenBLAS in the wheels from PyPI) on a desktop.  In the
browser edition (Pyodide 0.27.7, where ``sys.platform == "emscripten"``) NumPy is built without
BLAS: ``@`` falls back to a plain triple loop, while ``np.einsum("ij,jk->ik", ...)`` runs NumPy's
own vectorised sum-of-products kernels.  Measured in Chromium on the training's products
(float32, lesson 09's batch of 64): einsum is 5-20x faster than ``@`` there and as fast as
SciPy's OpenBLAS ``sgemm``, without loading SciPy (README, "In the browser").  So the engine
computes every product through :func:`matmul`, which picks the route once, at import.

The route changes no number beyond float rounding (the same sums in another order): the tests in
``tests/engine/test_gemm.py`` check both routes against ``@`` on every platform.
"""

from __future__ import annotations

import sys

import numpy as np

__all__ = ["matmul", "ROUTE"]

#: How :func:`matmul` multiplies: "einsum" in Pyodide (no BLAS there), "@" elsewhere.
ROUTE = "einsum" if sys.platform == "emscripten" else "@"


def matmul(a, b):
    """``a @ b`` for two 2-D arrays, by the fastest route of this platform (:data:`ROUTE`).

    Parameters
    ----------
    a : numpy.ndarray, shape (M, K)
    b : numpy.ndarray, shape (K, N)

    Returns
    -------
    numpy.ndarray, shape (M, N)
        In the common dtype of ``a`` and ``b``.

    Examples
    --------
    >>> import numpy as np
    >>> matmul(np.arange(6.0).reshape(2, 3), np.ones((3, 2)))
    array([[ 3.,  3.],
           [12., 12.]])
    """
    if ROUTE == "einsum":
        return np.einsum("ij,jk->ik", a, b)
    return a @ b
