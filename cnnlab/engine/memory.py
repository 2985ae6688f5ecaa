"""Keep freed memory in the process, so big temporaries do not page-fault on every step.

A training step allocates and frees the same few megabyte-sized arrays (patch matrices, feature
maps) every time.  By default the C library hands such large blocks back to the operating system
when they are freed, so every step pays again for fresh pages.  :func:`keep_freed_memory` asks
it to keep blocks up to a threshold for reuse (``mallopt`` on Linux; elsewhere the call is
skipped and nothing changes).  benchmarks/README.md has the measured effect.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

__all__ = ["keep_freed_memory"]

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_done = False


def keep_freed_memory(threshold=1 << 30):
    """Ask glibc to keep freed blocks up to ``threshold`` bytes for reuse; True if it applied.

    Parameters
    ----------
    threshold : int
        Blocks up to this size are served from (and returned to) the heap.

    Returns
    -------
    bool

    Examples
    --------
    >>> keep_freed_memory() in (True, False)
    True
    """
    global _done
    if _done:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    ok = mallopt(_M_MMAP_THRESHOLD, int(threshold)) == 1
    ok = mallopt(_M_TRIM_THRESHOLD, int(threshold)) == 1 and ok
    _done = ok
    return ok
