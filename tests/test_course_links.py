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

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# Replaces subprocess.run in a child interpreter, so the install cell runs without installing.
FAKE_RUN = "import subprocess\nsubprocess.run = lambda *args, **kw: print('INSTALLING', *args)\n"


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


def test_install_cell_does_nothing_outside_colab():
    # Run it in a fresh interpreter: it must neither fail nor try to install anything.
    code = FAKE_RUN + course.COLAB_INSTALL_CELL
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "INSTALLING" not in done.stdout


def test_install_cell_would_install_in_colab():
    code = "import sys, types; sys.modules['google.colab'] = types.ModuleType('colab')\n"
    code += FAKE_RUN + course.COLAB_INSTALL_CELL
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "INSTALLING" in done.stdout and course.REPOSITORY in done.stdout


def test_readme_badges_use_the_repository_address():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert course.binder_url() in readme
    assert course.colab_url("00_start_here.ipynb") in readme
    addresses = set(re.findall(r"github\.com/([\w.-]+/[\w.-]+?)(?:/|@|\.git|\))", readme))
    addresses |= set(re.findall(r"/gh/([\w.-]+/[\w.-]+)/", readme))
    assert addresses == {course.REPOSITORY}


def test_pyproject_declares_lower_bounds_only():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = text.split("dependencies = [", 1)[1].split("]", 1)[0]
    specs = re.findall(r'"([^"]+)"', block)
    assert specs, "no dependencies found"
    for spec in specs:
        assert "==" not in spec, f"{spec}: pyproject takes ranges; binder/ pins"
    assert "ipywidgets>=7.7,<9" in specs


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
