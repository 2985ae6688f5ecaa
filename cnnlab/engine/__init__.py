"""The engine: speed tricks kept apart from the textbook, each tested against it.

The textbook (``cnnlab.conv``, ``cnnlab.pooling``, ``cnnlab.models``, ...) holds one loop
version and one plain vectorised version of every layer, and never imports this package. What
makes training fast on a CPU lives here, and every piece is checked against the textbook in
``tests/engine/``:

    cnnlab.engine.blocks    conv -> ReLU -> max pool fused into one block (lesson 09, "pool first")
    cnnlab.engine.networks  the small CNN's and the seed network's losses through that block,
                            and the seed's one-image step (seed_step_fast)
    cnnlab.engine.pooling   the running maximum the block pools with on big inputs
    cnnlab.engine.gemm      the block's matrix products: einsum in the browser (no BLAS there)
    cnnlab.engine.memory    keep freed memory in the process (no page faults on every step)
    cnnlab.engine.threads   run NumPy's BLAS on one thread while training
    cnnlab.engine.parallel  both cores: a batch's loss and gradients in chunks, one thread each

A lesson picks the engine in a visible line, CS231n style::

    trainer = Trainer(params, engine.small_cnn_loss_fast, ..., settings=engine.training_settings)

and both cores by wrapping the loss: ``engine.over_cores(engine.small_cnn_loss_fast)``.

``settings`` runs every ``step``/``run``/``evaluate`` call inside :func:`training_settings`
(one BLAS thread, freed memory kept; both put back when the call returns).  Nothing here
changes the process unless a lesson asks.
"""

from __future__ import annotations

import contextlib

from .memory import freed_memory_kept
from .networks import (
    seed_network_logits_fast,
    seed_network_loss_fast,
    seed_step_fast,
    small_cnn_logits_fast,
    small_cnn_loss_fast,
)
from .parallel import cores, over_cores
from .threads import one_blas_thread

__all__ = ["training_settings", "small_cnn_loss_fast", "small_cnn_logits_fast",
           "seed_network_loss_fast", "seed_network_logits_fast", "seed_step_fast",
           "over_cores", "cores"]


@contextlib.contextmanager
def training_settings():
    """One BLAS thread and freed memory kept, for one ``with`` block; then as before.

    What a Trainer given ``settings=training_settings`` runs each call in: the small matrix
    products of these networks are steadiest on one thread (:mod:`cnnlab.engine.threads`), and
    glibc keeping freed blocks saves a page fault per fresh array (:mod:`cnnlab.engine.memory`).
    Neither changes a number the network computes.

    Examples
    --------
    >>> import numpy as np
    >>> with training_settings():
    ...     total = float((np.ones((2, 3)) @ np.ones(3)).sum())
    >>> total
    6.0
    """
    with one_blas_thread(), freed_memory_kept():
        yield
