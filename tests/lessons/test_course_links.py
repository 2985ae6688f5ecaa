"""Badges, the install cell and the Binder configuration all point at one repository address."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cnnlab import course

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def first_cell(path):
    cell = json.loads(path.read_text(encoding="utf-8"))["cells"][0]
    return "".join(cell["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_colab_badge_opens_this_notebook(path):
    assert course.colab_badge(path.name) in first_cell(path)


def test_install_cell_installs_from_the_repository_address():
    address = f"git+https://github.com/{course.REPOSITORY}@{course.BRANCH}"
    assert address in course.COLAB_INSTALL_CELL
    compile(course.COLAB_INSTALL_CELL, "install cell", "exec")


FAKE_PIP = r"""
import importlib.util, subprocess, sys, types
if COLAB:
    sys.modules["google.colab"] = types.ModuleType("colab")
importlib.util.find_spec = lambda name: object() if IMPORTABLE else None
def fake_run(args, **kw):
    sys.__stderr__.write("PIP " + " ".join(args) + "\n")
    return subprocess.CompletedProcess(
        args, RETURNCODE, "", "Collecting cnnlab\nERROR: could not reach github.com\n")
subprocess.run = fake_run
"""


def run_install_cell(colab, importable, returncode=0):
    """Run the install cell in a fresh interpreter, Colab, cnnlab and pip faked as asked.

    Returns what the cell printed, and the pip command lines it ran (one per line).
    """
    setup = f"COLAB, IMPORTABLE, RETURNCODE = {colab}, {importable}, {returncode}\n" + FAKE_PIP
    done = subprocess.run([sys.executable, "-c", setup + course.COLAB_INSTALL_CELL],
                          capture_output=True, text=True, check=True)
    return done.stdout, done.stderr


def test_install_cell_does_nothing_outside_colab():
    assert run_install_cell(colab=False, importable=False) == ("", "")


def test_install_cell_installs_silently_in_colab():
    printed, calls = run_install_cell(colab=True, importable=False)
    assert printed == ""
    assert "-m pip install -q" in calls and course.REPOSITORY in calls


def test_install_cell_says_one_line_when_pip_fails():
    printed, _ = run_install_cell(colab=True, importable=False, returncode=1)
    assert len(printed.splitlines()) == 1
    assert printed.startswith("cnnlab could not be installed")
    assert "could not reach github.com" in printed       # pip's last line, as the reason


def test_install_cell_does_nothing_on_a_rerun():
    assert run_install_cell(colab=True, importable=True) == ("", "")


@pytest.mark.slow
def test_building_cnnlab_prints_no_warning(tmp_path):
    # What the install cell's pip does in Colab: build cnnlab from its source, in isolation.
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path),
                           str(ROOT)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(tmp_path.glob("cnnlab-*.whl"))
    out = "\n".join(line for line in (done.stdout + done.stderr).splitlines()
                    if "WARNING: Location" not in line)          # this machine's pip config
    assert "deprecat" not in out.lower() and "BuildBackendWarning" not in out, out[-2000:]


def test_readme_badges_use_the_repository_address():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert course.binder_url() in readme
    assert course.colab_url("00_start_here.ipynb") in readme
    addresses = set(re.findall(r"github\.com/([\w.-]+/[\w.-]+?)(?:/|@|\.git|\))", readme))
    addresses |= set(re.findall(r"/gh/([\w.-]+/[\w.-]+)/", readme))
    assert addresses == {course.REPOSITORY}


def pyproject():
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def pins(path):
    """The ``name==version`` lines of a requirements file, as {canonical name: Version}."""
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==")
            found[canonicalize_name(name)] = Version(version)
    return found


def requirements(specs):
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    return {canonicalize_name(r.name): r.specifier for r in map(Requirement, specs)}


def test_lower_bounds_are_the_oldest_set_ci_runs():
    from packaging.version import Version

    oldest = pins(ROOT / ".ci" / "oldest.txt")
    for name, spec in requirements(pyproject()["dependencies"]).items():
        low = next(s.version for s in spec if s.operator == ">=")
        assert name in oldest, f"{name}: .ci/oldest.txt must pin its lower bound"
        assert oldest[name] == Version(low), f"{name}: oldest set {oldest[name]}, bound {low}"


@pytest.mark.parametrize("file, extra", [("binder/requirements.txt", "course"),
                                         (".ci/colab.txt", "course-widgets7"),
                                         (".ci/oldest.txt", "course-widgets7")])
def test_every_tested_set_is_inside_the_declared_ranges(file, extra):
    pinned = pins(ROOT / file)
    declared = requirements(pyproject()["dependencies"])
    front_end = requirements(pyproject()["optional-dependencies"][extra])
    for name, spec in list(declared.items()) + list(front_end.items()):
        assert name in pinned, f"{file} does not pin {name}"
        assert pinned[name] in spec, f"{file}: {name} {pinned[name]} is outside {spec}"


def test_front_ends_match_the_widget_protocol():
    # ipywidgets 7 speaks protocol 1 (jupyterlab_widgets 1, JupyterLab 3); 8 speaks protocol 2
    # (jupyterlab_widgets 3, JupyterLab 4).  No extra may admit the other pairing.
    from packaging.version import Version

    extras = pyproject()["optional-dependencies"]
    for extra in ("course", "course-widgets7"):
        spec = requirements(extras[extra])
        widgets7 = spec["ipywidgets"].contains(Version("7.7.1"))
        assert widgets7 != spec["ipywidgets"].contains(Version("8.1.9")), extra
        assert spec["jupyterlab-widgets"].contains(Version("1.1.11")) == widgets7, extra
        assert spec["jupyterlab-widgets"].contains(Version("3.0.17")) != widgets7, extra
        assert spec["jupyterlab"].contains(Version("3.6.8")) == widgets7, extra
        assert spec["jupyterlab"].contains(Version("4.6.6")) != widgets7, extra


def test_requirements_txt_installs_the_matching_front_end():
    lines = [ln.strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines == ["-e .[course]"]


def test_binder_pins_exact_versions_and_installs_cnnlab_last():
    lines = [
        ln.strip()
        for ln in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    assert lines[-1] == "-e ."
    for line in lines[:-1]:
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line), f"{line}: pin it exactly"
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


def test_repo2docker_would_build_python_311_with_our_requirements(tmp_path):
    repo2docker = shutil.which("repo2docker") or str(Path(sys.executable).with_name("repo2docker"))
    if not Path(repo2docker).exists():
        pytest.skip("repo2docker is not installed (pip install jupyter-repo2docker)")
    done = subprocess.run(
        [repo2docker, "--no-build", "--debug", str(ROOT)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-3000:]
    assert "python=3.11" in out
    copy_repo = out.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    install = out.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    assert copy_repo < install, "cnnlab (-e .) must be installed after the repository is copied"


def test_readme_names_only_the_pythons_ci_runs():
    ci = set(re.findall(r'make_venv "\$WORK/\w+" (3\.\d+)', (ROOT / ".ci" / "run").read_text()))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Tested environments", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|") for line in table.splitlines() if line.startswith("| ")][1:]
    assert {row[2].strip() for row in rows} == ci == {"3.10", "3.11", "3.12", "3.13"}
    assert "Python 3.10, 3.11, 3.12 or 3.13" in readme
