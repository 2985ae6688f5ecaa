"""Where the course lives and how it opens: one place for the repository address.

The Colab badge of every notebook, the Binder badge in README and the install cell that opens
every notebook are built from :data:`REPOSITORY` and :data:`BRANCH`; ``tests/test_course_links.py``
checks that they agree, so moving the repository means changing one line.
"""

from __future__ import annotations

import os
import sys

__all__ = [
    "REPOSITORY",
    "BRANCH",
    "COLAB_INSTALL_CELL",
    "IN_CI",
    "colab_url",
    "colab_badge",
    "binder_url",
    "in_colab",
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


def in_colab():
    """Return True when running inside Google Colab.

    Examples
    --------
    >>> in_colab()
    False
    """
    return "google.colab" in sys.modules


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
