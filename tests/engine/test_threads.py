"""One BLAS thread while training: set inside the block, restored after it."""

from __future__ import annotations

import numpy as np


def test_one_blas_thread_limits_numpys_blas_and_restores_it():
    from threadpoolctl import threadpool_info

    from cnnlab.engine.threads import one_blas_thread

    def blas_threads():
        return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]

    before = blas_threads()
    assert before, "NumPy's BLAS should be visible to threadpoolctl"
    with one_blas_thread():
        assert blas_threads() == [1] * len(before)
        assert np.allclose(np.ones((3, 4)) @ np.ones((4, 2)), 4.0)
    assert blas_threads() == before


def test_in_the_browser_edition_nothing_is_limited_and_threadpoolctl_is_not_asked(monkeypatch):
    """Pyodide (sys.platform "emscripten") has no BLAS and no threads: the blocks run as they
    are, without threadpoolctl (its first look for libraries cost 0.25 s there)."""
    import sys

    from cnnlab.engine import threads

    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setattr(threads, "_controller", None)
    monkeypatch.setitem(sys.modules, "threadpoolctl", None)        # import threadpoolctl fails
    with threads.one_blas_thread():
        ran = True
    with threads.blas_threads(2):
        ran = ran and True
    assert ran and threads._controller is None
