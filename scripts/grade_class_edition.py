"""Grade a folder of submitted class-edition notebooks into a CSV, with otter-grader.

    python -m pip install -e ".[teacher]"
    python scripts/grade_class_edition.py submissions/ --class-edition class/ --csv grades.csv

Every ``*.ipynb`` under ``submissions/`` (any depth: ``alice/03_convolution.ipynb`` or
``alice_03.ipynb``) is a student notebook of the class edition: its metadata names its lesson,
whose autograder (``class/autograder/lessonNN-autograder.zip``, from
scripts/build_class_edition.py) grades it with ``otter run`` (no Docker: the notebook runs in
this Python, so run this where cnnlab and the lessons' packages are installed, and trust the
code you grade as you would any code you run).

Writes ``grades.csv`` (one row per submission: each exercise's points, the total and the most
it could be) and, beside it, ``grades_feedback.csv`` (one row per submission and exercise: the
points and the feedback, the checker's own hint when the answer is wrong, or "correct").
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from build_class_edition import otter_command  # noqa: E402

PUBLIC = "Public Tests"


def feedback_of(output):
    """The feedback in otter's output for one question: the first failed case's
    AssertionError message (the checker's hint), or "correct" when every case passed.

    Examples
    --------
    >>> feedback_of("q results:\\n    q - 1 result:\\n        \\u2705 Test case passed")
    'correct'
    >>> out = ("q - 2 result:\\n        \\u274c Test case failed\\n        Error at line 25:\\n"
    ...        "              require(...)\\n        AssertionError: f: you flipped the kernel")
    >>> feedback_of(out)
    'f: you flipped the kernel'
    """
    failed = output.split("Test case failed", 1)
    if len(failed) == 1:
        return "correct"
    rest = failed[1]
    found = re.search(r"^( *)(\w+Error): (.*?)(?=^\s*\S+ - \d+ result:|\Z)", rest, re.S | re.M)
    if not found:
        return textwrap.dedent(rest).strip()
    indent = found.group(1)
    lines = found.group(3).rstrip().split("\n")
    lines = [lines[0]] + [line[len(indent):] if line.startswith(indent) else line
                          for line in lines[1:]]
    text = "\n".join(lines).strip()
    return text if found.group(2) == "AssertionError" else f"{found.group(2)}: {text}"


def lesson_of(path):
    """The lesson a class-edition notebook belongs to (its metadata), e.g. ``lesson03``."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    lesson = notebook.get("metadata", {}).get("cnnlab_class_edition", {}).get("lesson")
    if not lesson:
        raise ValueError(f"submission: {path} is not a class-edition notebook (no "
                         f"metadata.cnnlab_class_edition.lesson)")
    return lesson


def grade_one(otter, autograder, submission):
    """otter's results for one submission: ``[(question, points, max_points, feedback)]``."""
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run([*otter, "run", "--no-logo", "-a", str(autograder), "-o", out,
                               str(submission)], capture_output=True, text=True)
        results = Path(out) / "results.json"
        if not results.exists():
            raise RuntimeError(f"otter run failed on {submission}:\n{done.stdout}\n{done.stderr}")
        tests = json.loads(results.read_text(encoding="utf-8"))["tests"]
    return [(t["name"], float(t["score"]), float(t["max_score"]), feedback_of(t["output"]))
            for t in tests if t["name"] != PUBLIC]


def grade_folder(submissions, class_edition, csv_path, log=print):
    """Grade every notebook under ``submissions``; write the two CSV files; return the rows
    of ``grades.csv`` as dicts."""
    otter = otter_command()
    if otter is None:
        raise SystemExit("otter-grader is not installed: pip install -e \".[teacher]\"")
    submissions, class_edition = Path(submissions), Path(class_edition)
    paths = sorted(submissions.rglob("*.ipynb"))
    if not paths:
        raise SystemExit(f"no .ipynb file under {submissions}")
    rows, details, questions = [], [], []
    for path in paths:
        lesson = lesson_of(path)
        autograder = class_edition / "autograder" / f"{lesson}-autograder.zip"
        if not autograder.exists():
            raise SystemExit(f"{path}: no autograder for {lesson} ({autograder})")
        graded = grade_one(otter, autograder, path)
        name = path.relative_to(submissions).as_posix()
        row = {"submission": name, "lesson": lesson}
        for question, points, most, feedback in graded:
            row[question] = points
            questions += [question] if question not in questions else []
            details.append({"submission": name, "exercise": question, "points": points,
                            "max_points": most, "feedback": feedback})
        row["total"] = sum(p for _, p, _, _ in graded)
        row["max_total"] = sum(m for _, _, m, _ in graded)
        rows.append(row)
        log(f"{name}: {row['total']:g} / {row['max_total']:g}")
    csv_path = Path(csv_path)
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["submission", "lesson", *questions, "total",
                                         "max_total"], restval="")
        writer.writeheader()
        writer.writerows(rows)
    feedback_path = csv_path.with_name(csv_path.stem + "_feedback.csv")
    with feedback_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["submission", "exercise", "points", "max_points",
                                         "feedback"])
        writer.writeheader()
        writer.writerows(details)
    log(f"{len(rows)} submissions graded: {csv_path}, {feedback_path}")
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", type=Path, help="folder of submitted notebooks")
    parser.add_argument("--class-edition", type=Path, default=ROOT / "class",
                        help="the folder scripts/build_class_edition.py built (default: class/)")
    parser.add_argument("--csv", type=Path, default=Path("grades.csv"),
                        help="the grades table to write (default: grades.csv)")
    args = parser.parse_args(argv)
    grade_folder(args.submissions, args.class_edition, args.csv)


if __name__ == "__main__":
    main()
