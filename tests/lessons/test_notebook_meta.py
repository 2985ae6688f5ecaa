"""Every lesson follows the course's notebook conventions (CONTRIBUTING.md).

Committed without outputs, a standard ``python3`` kernel, an opening that says what the learner
will be able to do, the Colab install cell, and a closing summary with exercises.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cnnlab import course

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
LESSONS = [
    "00_start_here",
    "01_images_are_arrays",
    "02_padding",
    "03_convolution",
    "04_relu_and_pooling",
    "05_forward_pass",
    "06_loss_and_output",
    "07_backprop",
    "08_training_the_seed_network",
    "09_bigger_and_faster",
    "10_what_did_it_learn",
    "11_from_cnnlab_to_pytorch",
]
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell):
    text = cell["source"]
    return "".join(text) if isinstance(text, list) else text


def test_every_lesson_of_the_map_is_there_and_nothing_else():
    assert [p.stem for p in PATHS] == LESSONS


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    for number, cell in enumerate(load(path)["cells"], start=1):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"cell {number} has outputs: clear them"
            assert cell.get("execution_count") is None, f"cell {number} has an execution count"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_standard_python3_kernel(path):
    notebook = load(path)
    assert notebook["nbformat"] == 4
    spec = notebook["metadata"]["kernelspec"]
    assert spec["name"] == "python3"
    assert spec["language"] == "python"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_opening_says_what_the_learner_will_be_able_to_do(path):
    cells = load(path)["cells"]
    first = cells[0]
    assert first["cell_type"] == "markdown"
    text = source(first)
    number = path.stem[:2]
    assert re.search(rf"^# {number} · \S", text, flags=re.MULTILINE), "missing '# NN · Title'"
    goals = text.split("## What you will be able to do", 1)
    assert len(goals) == 2, "missing '## What you will be able to do'"
    bullets = re.findall(r"^\s*[-*] \S", goals[1].split("**Assumes:**")[0], flags=re.MULTILINE)
    assert 2 <= len(bullets) <= 5, f"{len(bullets)} goal bullets; the convention is 2 to 5"
    assert "**Assumes:**" in text


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_second_cell_is_the_colab_install_cell(path):
    second = load(path)["cells"][1]
    assert second["cell_type"] == "code"
    assert source(second).strip() == course.COLAB_INSTALL_CELL.strip()


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_ends_with_summary_and_exercises(path):
    cells = load(path)["cells"]
    headings = [
        (i, line.strip())
        for i, cell in enumerate(cells)
        if cell["cell_type"] == "markdown"
        for line in source(cell).splitlines()
        if line.startswith("## ")
    ]
    names = [h for _, h in headings]
    assert "## Summary" in names and "## Exercises" in names
    summary = names.index("## Summary")
    exercises = names.index("## Exercises")
    assert summary < exercises, "the summary comes before the exercises"
    assert headings[-1][1] == "## Exercises", "nothing but exercises after '## Exercises'"
    start = headings[exercises][0]
    checks = [c for c in cells[start:] if c["cell_type"] == "code" and ".check_" in source(c)]
    assert 2 <= len(checks) <= 5, f"{len(checks)} exercise cells with a checker; expected 2-5"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_code_is_valid_python_and_never_downloads(path):
    for number, cell in enumerate(load(path)["cells"], start=1):
        if cell["cell_type"] != "code" or number == 2:
            continue
        text = source(cell)
        lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        compile("\n".join(lines), f"{path.name} cell {number}", "exec")
        assert "urlopen" not in text and "requests." not in text, f"cell {number} downloads"
        assert "load_mnist(" not in text or "path=" in text, f"cell {number} downloads MNIST"
