"""Keep freed memory in the process, so big temporaries do not page-fault on every step.

A training step allocates and frees the same few megabyte-sized arrays (patch matrices, feature
maps) every time.  By default the C library hands such large blocks back to the operating system
when they are freed, so every step pays again for fresh pages.  Two ways to ask it to keep
blocks up to a threshold for reuse (``mallopt`` on Linux's glibc; elsewhere, Pyodide included,
nothing happens and the functions say so):

- :func:`freed_memory_kept`, a ``with`` block: part of :func:`cnnlab.engine.training_settings`,
  which a Trainer runs each call in when a lesson asks; afterwards the previous setting is back;
- :func:`keep_freed_memory`, for the rest of the process (the benchmarks).

benchmarks/README.md has the measured effect.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import sys

from .._validate import check_int

__all__ = ["keep_freed_memory", "freed_memory_kept"]

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_GLIBC_DEFAULT_THRESHOLD = 128 * 1024     # both thresholds' documented start values
_kept_threshold = None                    # what keep_freed_memory set for the whole process
_depth = 0                                # nested freed_memory_kept blocks


@functools.cache
def _mallopt():
    """glibc's ``mallopt``, or None where there is none (looked up once: finding the C library
    runs ``ldconfig``)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):
        return None


def _set_thresholds(mallopt, threshold):
    ok = mallopt(_M_MMAP_THRESHOLD, int(threshold)) == 1
    return mallopt(_M_TRIM_THRESHOLD, int(threshold)) == 1 and ok


def keep_freed_memory(threshold=1 << 30):
    """Ask glibc to keep freed blocks up to ``threshold`` bytes for the rest of the process.

    Parameters
    ----------
    threshold : int
        Blocks up to this size (bytes, at least 1) are served from (and returned to) the heap.

    Returns
    -------
    bool
        True if the C library took the setting (glibc), False where it does not apply.

    Examples
    --------
    >>> keep_freed_memory() in (True, False)
    True
    """
    global _kept_threshold
    threshold = check_int(threshold, "threshold", minimum=1)
    mallopt = _mallopt()
    if mallopt is None or not _set_thresholds(mallopt, threshold):
        return False
    _kept_threshold = threshold
    return True


def freed_memory_kept(threshold=1 << 30):
    """Inside the ``with`` block glibc keeps freed blocks up to ``threshold``; then as before.

    Nested blocks apply it once.  "As before" is glibc's default, or the process-wide setting
    of :func:`keep_freed_memory` if that was made.

    Parameters
    ----------
    threshold : int
        Blocks up to this size (bytes, at least 1) are kept for reuse inside the block.

    Examples
    --------
    >>> import numpy as np
    >>> with freed_memory_kept():
    ...     total = np.ones(1_000_000).sum()
    >>> total
    np.float64(1000000.0)
    """
    return _freed_memory_kept(check_int(threshold, "threshold", minimum=1))


@contextlib.contextmanager
def _freed_memory_kept(threshold):
    global _depth
    mallopt = _mallopt() if _depth == 0 else None
    if mallopt is not None:
        _set_thresholds(mallopt, threshold)
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if mallopt is not None:
            _set_thresholds(mallopt, _kept_threshold or _GLIBC_DEFAULT_THRESHOLD)
