"""Where the course lives and how it opens: one place for the repository address.

The Colab badge of every notebook, the Binder badge in README and the install cell that opens
every notebook are built from :data:`REPOSITORY` and :data:`BRANCH`;
``tests/lessons/test_course_links.py`` checks that they agree, so moving the repository means
changing one line.  What the machine offers is detected here too: Colab (:func:`in_colab`), CI
(:data:`IN_CI`), the browser edition (:data:`IN_BROWSER`) and PyTorch (:func:`import_torch`,
:func:`have`), which the course uses but never needs.
"""

from __future__ import annotations

import os
import sys
import types

__all__ = [
    "REPOSITORY",
    "BRANCH",
    "COLAB_INSTALL_CELL",
    "IN_CI",
    "IN_BROWSER",
    "colab_url",
    "colab_badge",
    "binder_url",
    "in_colab",
    "import_torch",
    "have",
]

REPOSITORY = "cnnlab/cnnlab"
"""GitHub ``owner/name`` of the course."""

BRANCH = "main"
"""The branch the badges open."""

COLAB_INSTALL_CELL = f'''\
# In Google Colab: install cnnlab once (Colab keeps its numpy and matplotlib). Elsewhere: nothing.
import importlib.util
import subprocess
import sys

if "google.colab" in sys.modules and importlib.util.find_spec("cnnlab") is None:
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                          "cnnlab @ git+https://github.com/{REPOSITORY}@{BRANCH}"],
                         capture_output=True, text=True)
    if pip.returncode != 0:
        said = (pip.stderr.strip().splitlines() or ["no message"])[-1]
        print(f"cnnlab could not be installed ({{said}}): check the connection and rerun.")'''
"""The exact source of every notebook's first code cell.

Silent when the install works (pip's own messages are captured), one line when it fails, and
nothing at all outside Colab or when cnnlab is importable already (a rerun, a restarted runtime).
"""

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
"""True when the environment says CI: training cells may then take fewer steps (and say so)."""

IN_BROWSER = sys.platform == "emscripten"
"""True in the browser edition (JupyterLite: Pyodide, Python compiled to WebAssembly), which has
no PyTorch and no network: the lessons say what to do there instead of ``pip install``."""


def _no_torch_advice():
    """What to do without PyTorch, where the lesson runs (no ``pip install`` in the browser)."""
    if IN_BROWSER:
        return ("to run the PyTorch cells, open this lesson in Colab or Binder (the badges in "
                "README) or on your computer: PyTorch does not run in the browser edition")
    return "pip install torch"


def in_colab():
    """Return True when running inside Google Colab.

    Examples
    --------
    >>> in_colab()
    False
    """
    return "google.colab" in sys.modules


class _NoTorchModule:
    """Stands in for ``torch.nn.Module`` without PyTorch: a class can subclass it, not use it."""

    def __init__(self, *args, **kwargs):
        raise ImportError(f"PyTorch is not installed: {_no_torch_advice()}")


def import_torch():
    """``(torch, torch.nn, torch.nn.functional)``, or placeholders when PyTorch is missing.

    Prints one line: PyTorch's version and device, or that it is not installed.  Without
    PyTorch, ``torch`` and ``F`` are None and ``nn.Module`` is a placeholder class, so a cell
    that only *defines* a ``torch.nn.Module`` subclass still runs.

    Returns
    -------
    (module or None, module or namespace, module or None)

    Examples
    --------
    >>> torch, nn, F = import_torch()                     # doctest: +ELLIPSIS
    PyTorch ...
    >>> hasattr(nn, "Module")
    True
    """
    try:
        import torch
        import torch.nn.functional as F
        from torch import nn
    except ImportError:
        if IN_BROWSER:
            print("PyTorch is not here (the browser edition has no PyTorch): each PyTorch cell "
                  "below shows its code and prints one line instead of running; "
                  + _no_torch_advice() + ".")
        else:
            print(f"PyTorch is not installed here ({_no_torch_advice()}): each PyTorch cell below "
                  f"shows its code and prints one line instead of running.")
        return None, types.SimpleNamespace(Module=_NoTorchModule), None
    gpu = (f"GPU: {torch.cuda.get_device_name(0)}" if torch.cuda.is_available()
           else "no GPU, CPU only")
    print(f"PyTorch {torch.__version__} ({gpu}; {torch.get_num_threads()} CPU threads)")
    return torch, nn, F


def have(torch, what):
    """True when PyTorch is there; otherwise print that the cell skipped ``what``.

    Parameters
    ----------
    torch : module or None
        What :func:`import_torch` returned.
    what : str
        What the cell would do, e.g. ``"compare the outputs"``.

    Returns
    -------
    bool

    Examples
    --------
    >>> have(None, "compare the outputs")
    skipped (no PyTorch): this cell would compare the outputs
    False
    """
    if not isinstance(what, str) or not what:
        raise TypeError(f"what must be a non-empty string (what the cell would do), got "
                        f"{what!r}")
    if torch is None:
        print(f"skipped (no PyTorch): this cell would {what}")
        return False
    return True


def colab_url(notebook):
    """The address that opens ``notebooks/<notebook>`` in Colab.

    Parameters
    ----------
    notebook : str
        File name such as ``"00_start_here.ipynb"``.

    Examples
    --------
    >>> colab_url("00_start_here.ipynb")
    'https://colab.research.google.com/github/cnnlab/cnnlab/blob/main/notebooks/00_start_here.ipynb'
    """
    if not isinstance(notebook, str) or not notebook.endswith(".ipynb"):
        raise ValueError(f"notebook must be a file name ending in .ipynb, got {notebook!r}")
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/notebooks/{notebook}"


def colab_badge(notebook):
    """The markdown line of the "Open in Colab" badge for ``notebooks/<notebook>``.

    Parameters
    ----------
    notebook : str
        File name such as ``"00_start_here.ipynb"``.

    Examples
    --------
    >>> colab_badge("00_start_here.ipynb").startswith("[![Open In Colab]")
    True
    """
    return (
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"({colab_url(notebook)})"
    )


def binder_url(notebook="00_start_here.ipynb"):
    """The Binder address that builds the course and opens ``notebook`` in JupyterLab.

    Parameters
    ----------
    notebook : str
        File name such as ``"00_start_here.ipynb"``.

    Examples
    --------
    >>> binder_url()
    'https://mybinder.org/v2/gh/cnnlab/cnnlab/main?urlpath=lab/tree/notebooks/00_start_here.ipynb'
    """
    colab_url(notebook)  # same argument check
    return f"https://mybinder.org/v2/gh/{REPOSITORY}/{BRANCH}?urlpath=lab/tree/notebooks/{notebook}"
