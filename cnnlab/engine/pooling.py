"""The running maximum that the fused block pools with, and the size at which it switches.

:mod:`cnnlab.pooling` pools every map the same plain way (each window one row of a matrix,
``argmax`` along the rows).  The fused block (:mod:`cnnlab.engine.blocks`) pools a small input
that way too, in the fewest NumPy calls (every NumPy call has a fixed cost whatever its size,
and on one small map that fixed cost is most of the work), and a bigger one in the fewest
passes over memory: cell (a, b) of every window is one compact array, and a running maximum
over those arrays (:func:`running_maximum`) finds the winners, with the textbook's tie rule
(the first maximum in row-major order wins).  :data:`FEW_CELLS` is where it switches.
"""

from __future__ import annotations

import numpy as np

__all__ = ["FEW_CELLS", "running_maximum"]

FEW_CELLS = 4096
"""Inputs of at most this many cells are pooled in the fewest calls, bigger ones in the fewest
passes over memory (see the module docstring)."""


def running_maximum(out, cells):
    """Fold ``cells`` into ``out`` by element-wise maximum, in place; return which one won.

    Parameters
    ----------
    out : numpy.ndarray
        The first candidate; overwritten with the maximum.
    cells : list of numpy.ndarray
        The other candidates, each of ``out``'s shape.

    Returns
    -------
    numpy.ndarray of unsigned int, shape of out
        0 where ``out``'s own value stayed the maximum, k where ``cells[k - 1]`` took it; ties
        keep the earlier one (the first maximum wins, as ``np.argmax``).

    Examples
    --------
    >>> out = np.array([1.0, 5.0, 2.0])
    >>> running_maximum(out, [np.array([3.0, 5.0, 0.0])])
    array([1, 0, 0], dtype=uint8)
    >>> out
    array([3., 5., 2.])
    """
    winner = np.zeros(out.shape, dtype=np.min_scalar_type(len(cells)))
    for k, cell in enumerate(cells, start=1):
        better = np.greater(cell, out)                   # strictly greater: ties keep the first
        np.maximum(out, cell, out=out)
        # winner = k where better.  The k are increasing, so a maximum does it branch-free.
        np.maximum(winner, better.view(np.uint8) * winner.dtype.type(k), out=winner)
    return winner
