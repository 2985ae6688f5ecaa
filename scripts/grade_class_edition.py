"""Grade a folder of submitted class-edition notebooks into a CSV, with otter-grader.

    python -m pip install -e ".[teacher]"
    python scripts/grade_class_edition.py submissions/ --class-edition class/ --csv grades.csv
    python scripts/grade_class_edition.py submissions/ --timeout 300     # seconds per notebook

Every ``*.ipynb`` under ``submissions/`` (any depth: ``alice/03_convolution.ipynb`` or
``alice_03.ipynb``) is a student notebook of the class edition: its metadata names its lesson,
whose autograder (``class/autograder/lessonNN-autograder.zip``, from
scripts/build_class_edition.py) grades it with ``otter run`` (no Docker: the notebook runs in
this Python, so run this where cnnlab and the lessons' packages are installed, and trust the
code you grade as you would any code you run).

Writes ``grades.csv`` (one row per submission: each exercise's points, the total and the most
it could be, and a note: why a file was not graded) and, beside it, ``grades_feedback.csv`` (one
row per submission and exercise: the points and the feedback, the checker's own hint when the
answer is wrong, or "correct").  A folder that mixes lessons gets one pair per lesson instead,
``grades_lesson03.csv`` and ``grades_lesson03_feedback.csv``, ..., and the notebooks whose
lesson is unknown go in ``grades_not_graded.csv``.

One bad file never stops the run: a notebook that is no class-edition notebook (a course
notebook, a broken file), that otter cannot run, or that runs longer than ``--timeout`` seconds
(default 600) gets a row with no points and the reason in its note; files that are not
notebooks are listed and skipped.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from build_class_edition import otter_command  # noqa: E402

PUBLIC = "Public Tests"
TIMEOUT = 600          # seconds per submission: a lesson notebook ran in 12-60 s here


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


class NotGraded(Exception):
    """A submission that could not be graded; its message is the reason, for the CSV."""


def lesson_of(path):
    """The lesson a class-edition notebook belongs to (its metadata), e.g. ``lesson03``.

    Raises
    ------
    NotGraded
        When the file is not a notebook (not JSON) or not a class-edition notebook.
    """
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NotGraded(f"not a readable notebook ({type(error).__name__}: "
                        f"{str(error)[:120]})") from None
    meta = notebook.get("metadata", {}) if isinstance(notebook, dict) else {}
    lesson = meta.get("cnnlab_class_edition", {}).get("lesson") if isinstance(meta, dict) else None
    if not lesson:
        raise NotGraded("not a class-edition notebook (no metadata.cnnlab_class_edition.lesson:"
                        " a course notebook, not the student one handed out?)")
    return lesson


def grade_one(otter, autograder, submission, timeout=TIMEOUT):
    """otter's results for one submission: ``[(question, points, max_points, feedback)]``.

    Raises
    ------
    NotGraded
        When otter gives no results, or runs longer than ``timeout`` seconds (then otter and
        the notebook's kernel are stopped).
    """
    with tempfile.TemporaryDirectory() as out:
        process = subprocess.Popen([*otter, "run", "--no-logo", "-a", str(autograder), "-o",
                                    out, str(submission)], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)     # otter and the kernel it started
            process.communicate()
            raise NotGraded(f"timed out: still running after {timeout:g} s "
                            f"(--timeout), stopped") from None
        results = Path(out) / "results.json"
        if not results.exists():
            said = (stderr.strip().splitlines() or stdout.strip().splitlines() or ["no output"])
            raise NotGraded(f"otter run failed: {said[-1][:200]}")
        tests = json.loads(results.read_text(encoding="utf-8"))["tests"]
    return [(t["name"], float(t["score"]), float(t["max_score"]), feedback_of(t["output"]))
            for t in tests if t["name"] != PUBLIC]


def grade_folder(submissions, class_edition, csv_path, log=print, timeout=TIMEOUT):
    """Grade every notebook under ``submissions``; write the CSV files (one pair per lesson
    when the folder mixes lessons); return the rows of the grades tables as dicts.

    A file that cannot be graded gets a row with its reason in ``note`` and no points; a
    file that is not a ``.ipynb`` is listed in the log and skipped.
    """
    otter = otter_command()
    if otter is None:
        raise SystemExit("otter-grader is not installed: pip install -e \".[teacher]\"")
    submissions, class_edition = Path(submissions), Path(class_edition)
    files = sorted(p for p in submissions.rglob("*") if p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(submissions).parts))
    paths = [p for p in files if p.suffix == ".ipynb"]
    others = [p.relative_to(submissions).as_posix() for p in files if p.suffix != ".ipynb"]
    if others:
        log(f"skipped {len(others)} file{'s' if len(others) != 1 else ''} that "
            f"{'are' if len(others) != 1 else 'is'} not a notebook: {', '.join(others)}")
    if not paths:
        raise SystemExit(f"no .ipynb file under {submissions}")
    manifest = class_edition / "class_edition.json"
    built = json.loads(manifest.read_text(encoding="utf-8"))["lessons"] if manifest.exists() else {}
    rows, details, questions, groups = [], [], {}, {}
    for path in paths:
        name = path.relative_to(submissions).as_posix()
        row = {"submission": name, "lesson": "", "note": ""}
        try:
            row["lesson"] = lesson = lesson_of(path)
            autograder = class_edition / "autograder" / f"{lesson}-autograder.zip"
            if not autograder.exists():
                raise NotGraded(f"no autograder for {lesson} ({autograder})")
            groups[name] = lesson
            questions.setdefault(lesson, [e["question"] for e in built.get(lesson, {}).get(
                "exercises", [])])
            graded = grade_one(otter, autograder, path, timeout)
        except NotGraded as reason:
            row["note"] = f"not graded: {reason}"
            rows.append(row)
            log(f"{name}: {row['note']}")
            continue
        asked = questions[lesson]
        for question, points, most, feedback in graded:
            row[question] = points
            asked += [question] if question not in asked else []
            details.append({"submission": name, "lesson": lesson, "exercise": question,
                            "points": points, "max_points": most, "feedback": feedback})
        row["total"] = sum(p for _, p, _, _ in graded)
        row["max_total"] = sum(m for _, _, m, _ in graded)
        rows.append(row)
        log(f"{name}: {row['total']:g} / {row['max_total']:g}")
    csv_path = Path(csv_path)
    lessons = sorted(questions) or [""]
    unknown = [row for row in rows if row["submission"] not in groups]
    written = []
    for lesson in lessons:
        mine = [row for row in rows if groups.get(row["submission"], "") == lesson
                or (len(lessons) == 1 and row in unknown)]
        path = csv_path if len(lessons) == 1 else csv_path.with_name(
            f"{csv_path.stem}_{lesson}{csv_path.suffix}")
        written += _write(path, mine, questions.get(lesson, []),
                          [d for d in details if d["lesson"] == lesson])
    if len(lessons) > 1 and unknown:
        written += _write(csv_path.with_name(f"{csv_path.stem}_not_graded{csv_path.suffix}"),
                          unknown, [], None)
    not_graded = sum(1 for row in rows if row["note"])
    log(f"{len(rows) - not_graded} of {len(rows)} notebooks graded"
        + (f" ({not_graded} not: see the note column)" if not_graded else "")
        + f": {', '.join(str(p) for p in written)}")
    return rows


def _write(path, rows, questions, details):
    """Write a grades table (and, unless ``details`` is None, its feedback table)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["submission", "lesson", *questions, "total",
                                         "max_total", "note"], restval="")
        writer.writeheader()
        writer.writerows(rows)
    if details is None:
        return [path]
    feedback_path = path.with_name(path.stem + "_feedback.csv")
    with feedback_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["submission", "exercise", "points", "max_points",
                                         "feedback"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(details)
    return [path, feedback_path]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", type=Path, help="folder of submitted notebooks")
    parser.add_argument("--class-edition", type=Path, default=ROOT / "class",
                        help="the folder scripts/build_class_edition.py built (default: class/)")
    parser.add_argument("--csv", type=Path, default=Path("grades.csv"),
                        help="the grades table to write (default: grades.csv; a folder that "
                             "mixes lessons gets grades_lessonNN.csv per lesson)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT,
                        help=f"seconds one submission may run before it is stopped and "
                             f"recorded as timed out (default: {TIMEOUT})")
    args = parser.parse_args(argv)
    if args.timeout <= 0:
        parser.error("--timeout must be a number of seconds > 0")
    grade_folder(args.submissions, args.class_edition, args.csv, timeout=args.timeout)


if __name__ == "__main__":
    main()
