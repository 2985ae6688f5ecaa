"""Both cores: a batch's loss and gradients computed in halves, one thread per core.

A training step of the course's networks makes many small NumPy calls, and NumPy's BLAS only
splits the largest products over the cores (:mod:`cnnlab.engine.threads` keeps it on one).  The
batch itself splits cleanly instead: the loss is a *mean* over the images, so

    loss(batch)  = sum_k  (n_k / N) * loss(chunk k)
    grads(batch) = sum_k  (n_k / N) * grads(chunk k)
    logits       = the chunks' logits, one after the other

for chunks of n_k images that together are the N images of the batch.  Each chunk runs in its
own thread; NumPy lets go of Python's global interpreter lock inside its loops and matrix
products, so the chunks' arithmetic runs on different cores at the same time (only the Python
between the calls takes turns).  The sums are the textbook's numbers, added in another order:
``tests/engine/test_parallel.py`` checks them against :func:`cnnlab.models.small_cnn_loss` to
1e-12 in float64.

    trainer = Trainer(params, engine.over_cores(engine.small_cnn_loss_fast), ...,
                      settings=engine.training_settings)

A batch too small to share (fewer than ``2 * min_chunk`` images, e.g. one seed image) goes to
the loss function whole, and so does anything that is not a NumPy array with one label per
image: the loss function's own checks then say what is wrong.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .._validate import check_int

__all__ = ["over_cores", "cores"]

_pools = {}
_pools_lock = threading.Lock()


def cores():
    """How many cores this process may run on (its CPU affinity where the system says); 1 in
    the browser (Pyodide), which cannot start threads.

    Examples
    --------
    >>> cores() >= 1
    True
    """
    if sys.platform == "emscripten":
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                              # macOS, Windows, Pyodide
        return os.cpu_count() or 1


def _pool(threads):
    """One shared pool of ``threads`` worker threads (made on first use, kept)."""
    with _pools_lock:
        if threads not in _pools:
            _pools[threads] = ThreadPoolExecutor(threads, thread_name_prefix="cnnlab-batch")
        return _pools[threads]


def _in_errstate(errstate, loss_fn, *args, **kwargs):
    """``loss_fn(*args, **kwargs)`` under the caller's floating-point error settings (NumPy
    keeps them per thread, and a Trainer silences overflow while it checks the loss itself)."""
    with np.errstate(**errstate):
        return loss_fn(*args, **kwargs)


def over_cores(loss_fn, workers=None, min_chunk=8):
    """``loss_fn`` on a batch split into ``workers`` chunks, run in parallel threads.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(params, images, labels) -> (loss, grads, logits)`` whose loss is the *mean*
        over the images (softmax or binary cross-entropy, as every loss in cnnlab), e.g.
        :func:`cnnlab.engine.small_cnn_loss_fast`.  If it takes ``backward`` (as cnnlab's
        losses do), so does the function returned, and an evaluation's forward-only pass runs
        over the cores too.
    workers : int, optional
        Chunks (threads, the calling one included); default :func:`cores`.  1 calls ``loss_fn``
        as it is.
    min_chunk : int
        Fewest images per chunk; a smaller batch is split into fewer chunks (or none).

    Returns
    -------
    callable
        ``(params, images, labels) -> (loss, grads, logits)``: ``loss_fn``'s answer for the whole
        batch, each gradient in its parameter's dtype.

    Examples
    --------
    >>> from cnnlab.engine import small_cnn_loss_fast
    >>> from cnnlab.models import init_small_cnn, small_cnn_loss
    >>> params = init_small_cnn(num_filters=2)
    >>> images = np.random.default_rng(0).random((20, 1, 28, 28))
    >>> labels = np.arange(20) % 10
    >>> loss, grads, logits = over_cores(small_cnn_loss_fast, workers=2)(params, images, labels)
    >>> want = small_cnn_loss(params, images, labels)
    >>> bool(np.isclose(loss, want[0], rtol=1e-12))
    True
    >>> bool(np.allclose(grads["conv1.weight"], want[1]["conv1.weight"], rtol=1e-10))
    True
    """
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be a function (params, images, labels) -> (loss, grads, "
                        f"logits), got {type(loss_fn).__name__}")
    workers = cores() if workers is None else check_int(workers, "workers", minimum=1)
    min_chunk = check_int(min_chunk, "min_chunk", minimum=1)

    @functools.wraps(loss_fn)       # its signature is loss_fn's: backward only if it takes it
    def loss_over_cores(params, images, labels, backward=True):
        more = {} if backward is True else {"backward": backward}   # loss_fn checks it
        n = images.shape[0] if isinstance(images, np.ndarray) and images.ndim >= 1 else 0
        chunks = min(workers, n // min_chunk)
        if chunks < 2 or not isinstance(labels, np.ndarray) or labels.shape != (n,):
            return loss_fn(params, images, labels, **more)     # whole: its own checks speak
        bounds = [n * k // chunks for k in range(chunks + 1)]
        errstate = np.geterr()
        futures = [_pool(workers - 1).submit(_in_errstate, errstate, loss_fn, params,
                                             images[a:b], labels[a:b], **more)
                   for a, b in zip(bounds[1:-1], bounds[2:], strict=True)]
        first = loss_fn(params, images[:bounds[1]], labels[:bounds[1]], **more)   # this thread's
        answers = [first] + [future.result() for future in futures]
        weights = [(b - a) / n for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        loss = sum(weight * float(answer[0])
                   for weight, answer in zip(weights, answers, strict=True))
        logits = np.concatenate([answer[2] for answer in answers])
        if first[1] is None:                               # forward only: no gradients
            return loss, None, logits
        grads = {}
        for name, grad in first[1].items():
            total = np.multiply(grad, weights[0], dtype=grad.dtype)
            for weight, answer in zip(weights[1:], answers[1:], strict=True):
                total += weight * answer[1][name]
            grads[name] = total
        return loss, grads, logits

    return loss_over_cores
