"""Print, as pip requirements, the Python packages of repo2docker's base environment.

    python .ci/binder_base_env.py PYTHON_VERSION > base.txt     # e.g. 3.11 (binder/runtime.txt)
    python .ci/binder_base_env.py 3.11 --repo2docker DIR        # the package's folder, unpacked

mybinder.org builds the course with repo2docker: a conda environment from repo2docker's lock
file for that Python (JupyterLab, Notebook, JupyterHub's single-user server...), then
``pip install -r binder/requirements.txt`` into it, and starts the server from it.  A pip
conflict there is a launch waiting to fail.  This reads the lock file shipped inside the
installed jupyter-repo2docker package and keeps its Python packages with their exact versions
(conda names turned into PyPI names), so CI can build a stand-in of that environment in a venv,
install binder/requirements.txt on top, and run ``pip check``.  Non-Python packages (the
interpreter, C libraries, Node.js) are left out.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# conda-forge names that differ on PyPI (None: not a Python package, or a conda-only bundle).
RENAMED = {
    "nbconvert-core": "nbconvert",
    "jupyterhub-base": "jupyterhub",
    "jupyterhub-singleuser": None,
    "bleach-with-css": None,
    "jsonschema-with-format-nongpl": None,
    "brotli-python": "brotli",
    "cached_property": None,
    "cached-property": "cached-property",
    "python-fastjsonschema": "fastjsonschema",
    "python_abi": None,
    "python": None,
    "pip": None,
    "setuptools": None,
    "wheel": None,
    "tzdata": None,
    "ca-certificates": None,
    "typing-extensions": None,
    "pysocks": "PySocks",
}


def base_packages(version, package=None):
    if package is None:
        import repo2docker

        package = Path(repo2docker.__file__).parent
    folder = Path(package) / "buildpacks" / "conda"
    lock = folder / f"environment.py-{version}-linux-64.lock"
    if not lock.is_file():
        raise SystemExit(f"repo2docker has no base environment for Python {version}: {lock}")
    found = {}
    for line in lock.read_text().splitlines():
        match = re.search(r"/(noarch|linux-64)/([^/]+)-([^-/]+)-([^-/]+)\.(?:conda|tar\.bz2)#",
                          line)
        if not match:
            continue
        subdir, name, version_, build = match.groups()
        python_build = subdir == "noarch" or build.startswith("py")
        if not python_build:
            continue
        name = RENAMED.get(name, name)
        if name:
            found[name] = version_
    return found


if __name__ == "__main__":
    package = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--repo2docker" else None
    for name, version in sorted(base_packages(sys.argv[1], package).items()):
        print(f"{name}=={version}")
