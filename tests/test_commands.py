"""The commands a user runs are the commands CI runs, and installing cnnlab downgrades nothing.

- README's static-edition command is the Pages workflow's two steps, and ``.ci/run`` runs every
  ``run:`` line of that workflow as written (so a broken command fails CI, not the published
  site); ``.ci/run`` leaves matplotlib's backend to the kernels.
- ``scripts/run_notebooks.py`` flags a ``plt.show()`` that showed nothing and runs a lesson after
  the lesson whose file it reads; ``scripts/build_static_edition.py`` turns every panel into its
  PNG, notes where the sliders move, and refuses a panel whose PNG is older than its figure.
- pyproject's dependencies have lower bounds only (an upper bound needs a reason on its line),
  and pip, asked to install them where newer versions (or Colab's) are present, keeps those.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def script(name):
    """A module of scripts/ (they are not a package)."""
    spec = importlib.util.spec_from_file_location(f"_cnnlab_{name}", ROOT / "scripts" / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def workflow_runs():
    """The ``run:`` lines of .github/workflows/pages.yml, in order."""
    text = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    return re.findall(r"^\s*(?:- )?run: (.+?)\s*$", text, flags=re.MULTILINE)


def readme_static_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.DOTALL)
    found = [line for block in blocks for line in block.splitlines()
             if "build_static_edition.py" in line]
    assert len(found) == 1, found
    return found[0].strip()


def test_readme_static_edition_command_is_the_pages_workflows_steps():
    runs = workflow_runs()
    assert len(runs) == 3, runs
    assert readme_static_command() == " && ".join(runs[:2])
    assert runs[2].startswith("python scripts/build_lite.py --output site/")


def test_ci_runs_every_pages_workflow_step_as_written():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    body = ci.split("pages_workflow() {", 1)[1].split("\n}\n", 1)[0]
    lines = [line.strip() for line in body.splitlines()]
    runs = workflow_runs()
    assert [line for line in lines if line in runs] == runs, "pages.yml and .ci/run differ"
    assert re.search(r"^phase .* pages_workflow$", ci, flags=re.MULTILINE), "never called"


@pytest.mark.slow
def test_readme_static_command_resolves_with_pip(tmp_path):
    # The command once ended in ResolutionImpossible (`-e .` in binder/requirements.txt against
    # a non-editable `.[static]`).  A dry run asks PyPI for the pins' metadata only.
    install = workflow_runs()[0]
    assert install.startswith("python -m pip install ")
    args = install.removeprefix("python -m pip install ").replace('".[static]"', ".[static]")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
         *args.split()], cwd=ROOT, capture_output=True, text=True, timeout=600,
        env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"))
    if done.returncode and "ResolutionImpossible" not in done.stderr and (
            "NewConnectionError" in done.stderr or "Could not find a version" in done.stderr):
        pytest.skip(f"PyPI is not reachable: {done.stderr.strip().splitlines()[-1]}")
    assert done.returncode == 0, done.stderr[-2000:]


def test_ci_leaves_matplotlibs_backend_to_the_kernels():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    code = [line for line in ci.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in code if "MPLBACKEND" in line]


# --- scripts/run_notebooks.py


def cell(source, *outputs):
    return {"cell_type": "code", "source": source, "metadata": {}, "outputs": list(outputs),
            "execution_count": 1}


def shown(*mimetypes):
    return {"output_type": "display_data", "metadata": {},
            "data": {m: "x" for m in ("text/plain", *mimetypes)}}


def test_a_plt_show_that_showed_nothing_is_a_problem():
    problems_in = script("run_notebooks.py").problems_in
    notebook = {"cells": [
        cell("fig, ax = plt.subplots()\nplt.show()", shown("image/png")),   # a picture: clean
        cell("ax.plot([1, 2])\nplt.show()"),                                # Agg: nothing shown
        cell("# plt.show() is not needed here\nx = 1"),                     # a comment only
        cell("plt.show()  # again", shown()),                               # text, no picture
    ]}
    found = problems_in(notebook)
    assert [p.split(":")[0] for p in found] == ["cell 2", "cell 4"], found
    assert all("plt.show() showed no picture" in p for p in found)


def test_lessons_that_read_lesson_09s_network_wait_for_it():
    run_notebooks = script("run_notebooks.py")
    paths = sorted((ROOT / "notebooks").glob("*.ipynb"))
    waits = {p.stem[:2]: [w.stem[:2] for w in ws] for p, ws in
             run_notebooks.waits_for(paths).items()}
    assert waits["10"] == ["09"] and waits["11"] == ["09"]
    assert all(ws == [] for number, ws in waits.items() if number not in ("10", "11")), waits


def test_kernels_get_the_inline_backend_whatever_the_caller_set():
    text = (ROOT / "scripts" / "run_notebooks.py").read_text(encoding="utf-8")
    assert 'os.environ["MPLBACKEND"] = INLINE_BACKEND' in text
    assert "module://matplotlib_inline.backend_inline" in text


# --- scripts/build_static_edition.py

PNG_NEW = base64.b64encode(b"\x89PNG\r\n\x1a\nnew").decode()
PNG_OLD = base64.b64encode(b"\x89PNG\r\n\x1a\nold").decode()


def executed_notebook(panel_png, image_value):
    """Two panels (a box holding an image widget, then its still picture: show_panel's two
    outputs) and a progress bar, with their widget state."""
    def panel(model):
        mark = f"{model}id"
        return ({"output_type": "display_data", "metadata": {"cnnlab": {"controls": mark}},
                 "data": {WIDGET_VIEW: {"model_id": model},
                          "text/plain": "[the controls of the picture below: ...]"}},
                {"output_type": "display_data", "metadata": {"cnnlab": {"still": mark}},
                 "data": {"image/png": panel_png, "text/plain": "[picture: ...]",
                          "text/html": f'<img src="data:image/png;base64,{panel_png}" alt="..." '
                                       f'data-cnnlab-still="{mark}">'}})

    state = {"state": {
        "box1": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_img1"]}},
        "img1": {"model_name": "ImageModel", "state": {},
                 "buffers": [{"path": ["value"], "data": image_value}]},
        "box2": {"model_name": "VBoxModel", "state": {"children": []}},
        "bar": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_label"]}},
        "label": {"model_name": "HTMLModel", "state": {"value": "epoch 2/2 done"}},
    }}
    return {"nbformat": 4, "nbformat_minor": 5,
            "metadata": {"widgets": {WIDGET_STATE: state}},
            "cells": [{"cell_type": "markdown", "metadata": {}, "source": "# 03 · Title"},
                      cell("show()", *panel("box1")),
                      cell("show()", *panel("box2")),
                      cell("train()", {"output_type": "display_data", "metadata": {},
                                       "data": {WIDGET_VIEW: {"model_id": "bar"},
                                                "text/plain": "HBox(...)"}})]}


def test_static_notebook_shows_pngs_with_one_note_and_no_widget_state():
    static_notebook = script("build_static_edition.py").static_notebook
    executed = executed_notebook(PNG_NEW, PNG_NEW)
    before = json.dumps(executed)
    still = static_notebook(executed, "03_convolution.ipynb")
    assert json.dumps(executed) == before, "the executed notebook was changed"
    assert "widgets" not in still["metadata"]
    first, second, bar = (c["outputs"] for c in still["cells"][1:])
    # Each panel's widget output goes, its still stays: one picture, marked as a panel's.
    assert [o["metadata"].get("cnnlab") for o in first] == [
        {"note": "sliders"}, {"still": "box1id", "panel": True}]
    assert [o["metadata"].get("cnnlab") for o in second] == [{"still": "box2id", "panel": True}]
    note = first[0]["data"]["text/html"]
    for address in ("https://mybinder.org/", "https://colab.research.google.com/",
                    "https://cnnlab.github.io/cnnlab/lite/"):
        assert f'href="{address}' in note and "03_convolution.ipynb" in note, address
    assert all(WIDGET_VIEW not in o["data"] for c in still["cells"][1:] for o in c["outputs"])
    assert first[1]["data"]["image/png"] == PNG_NEW
    assert bar[0]["data"]["text/plain"] == "epoch 2/2 done"


def test_static_notebook_refuses_a_panel_older_than_its_figure():
    static_notebook = script("build_static_edition.py").static_notebook
    with pytest.raises(ValueError, match="cell 2: the panel's PNG is not the picture"):
        static_notebook(executed_notebook(PNG_OLD, PNG_NEW), "09_bigger_and_faster.ipynb")


# --- dependency bounds


def test_an_upper_bound_comes_with_the_reason_it_is_there():
    from packaging.requirements import Requirement

    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = text.split("[project]", 1)[1].split("\n[tool.", 1)[0]
    for line in project.splitlines():
        for quoted in re.findall(r'"([A-Za-z][\w.\-]*(?:\[[\w,]+\])?[<>=!~][^"]*)"', line):
            operators = {s.operator for s in Requirement(quoted).specifier}
            assert operators <= {">="} or "# known broken:" in line, (
                f"{quoted}: a lower bound only, or say on its line which release is known broken")


def fake_installed(folder, versions):
    """Installed-looking distributions (metadata only) of the given versions, in ``folder``."""
    for name, version in versions.items():
        info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        (info / "INSTALLER").write_text("pip\n")


def colab_versions():
    found = {}
    for line in (ROOT / ".ci" / "colab.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==")
            found[name] = version
    return found


@pytest.mark.slow
@pytest.mark.parametrize("present", ["colab", "newer"])
def test_installing_cnnlab_keeps_what_is_installed(tmp_path, present):
    # What Colab's install cell does: pip installs cnnlab's dependencies where Colab's own (or
    # newer) versions are present.  pip must keep every one; offline, any other answer fails.
    import tomllib
    from packaging.requirements import Requirement

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = [Requirement(d).name for d in dependencies]
    colab = colab_versions()
    versions = {name: colab[name] if present == "colab" else "99.0" for name in names}
    fake_installed(tmp_path / "site", versions)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--quiet",
         "--report", "-", *dependencies], capture_output=True, text=True, timeout=300,
        env=dict(os.environ, PYTHONPATH=str(tmp_path / "site"), PIP_DISABLE_PIP_VERSION_CHECK="1"))
    assert done.returncode == 0, f"pip would replace an installed version: {done.stderr[-1500:]}"
    report = json.loads(done.stdout)
    assert report["install"] == [], [i["metadata"]["version"] for i in report["install"]]
