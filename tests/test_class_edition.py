"""The class edition (issue 27): student notebooks without worked solutions, an autograder that
grades with the course's own checkers on visible and hidden cases, and the grades table.

In-process (the fast lane): every one of the course's exercises graded as otter's test files
grade it (``cnnlab.lessons.classroom.require``/``grade``), with a right answer (full marks), a
mistake its catalogue names (zero, the hint as feedback) and an answer hard-coded to the visible
cases (passes them, fails the hidden ones); the hidden cases themselves; the student notebooks
built.
With otter-grader (the ``teacher`` extra; slow): the autograder zips graded by ``otter run``
over a folder of submissions into the CSV; and the student notebooks under nbval.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from class_answers import NOT_HARD_CODABLE, WRITTEN, hard_coded_source, right_source, wrong_source

import cnnlab
from cnnlab.lessons import _check, classroom

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import build_class_edition  # noqa: E402
import grade_class_edition  # noqa: E402

SEED = 8151
EXERCISES = classroom.exercises()
# exercises whose verdict also reads the answer's code (pad_by_stacking: the zeros stacked on)
READS_CODE = {label for label, e in EXERCISES.items()
              if type(e).verdict is not _check.Exercise.verdict}
ANSWER_NAMES = {label: answer for path in sorted((ROOT / "notebooks").glob("*.ipynb"))
                for _, label, answer in classroom.exercise_cells(
                    json.loads(path.read_text(encoding="utf-8"))["cells"])}
SLOW_TO_CHECK = {"lesson11.check_torch_step"}        # trains a PyTorch model, several seconds
LABELS = [pytest.param(label, marks=pytest.mark.slow) if label in SLOW_TO_CHECK else label
          for label in EXERCISES]


def answer_from(source, label):
    """The answer a notebook cell with ``source`` defines (in a notebook's namespace)."""
    namespace = {"np": np, "cl": cnnlab, "__name__": "__main__"}
    exec(source, namespace)
    return namespace[ANSWER_NAMES[label]]


def test_every_exercise_is_in_a_notebook_exercise_cell_once():
    assert len(EXERCISES) >= 33
    assert set(ANSWER_NAMES) == set(EXERCISES)
    assert set(WRITTEN) == {label for label, e in EXERCISES.items() if e.custom_check} | READS_CODE


@pytest.mark.parametrize("label", LABELS)
def test_a_right_answer_gets_full_marks_on_visible_and_hidden_cases(label):
    answer = answer_from(right_source(label, ANSWER_NAMES[label]), label)
    result = classroom.grade(label, answer, hidden_seed=SEED)
    assert result.passed, result.message
    classroom.require(label, answer, SEED)                 # what the otter test case calls


@pytest.mark.parametrize("label", LABELS)
def test_a_catalogued_mistake_gets_zero_and_its_hint_as_feedback(label):
    source, hint = wrong_source(label, ANSWER_NAMES[label])
    answer = answer_from(source, label)
    result = classroom.grade(label, answer, hidden_seed=SEED)
    assert not result.passed and hint in result.message, result.message
    with pytest.raises(AssertionError) as raised:
        classroom.require(label, answer)                   # the visible cases' test case
    assert hint in str(raised.value)


@pytest.mark.parametrize("label", [label for label in EXERCISES if label not in NOT_HARD_CODABLE])
def test_an_answer_hard_coded_to_the_visible_cases_fails_the_hidden_ones(label):
    answer = answer_from(hard_coded_source(label, ANSWER_NAMES[label]), label)
    if label in READS_CODE:                                # a table stacks nothing: refused
        assert "your code stacks nothing" in classroom.grade(label, answer).message
        return
    assert classroom.grade(label, answer).passed           # it does fool the visible cases
    result = classroom.grade(label, answer, hidden_seed=SEED)
    assert not result.passed
    assert result.message.startswith(f"{ANSWER_NAMES[label]}: right on the cases you see, but "
                                     f"not on the hidden cases")
    # what the learner reads of the hidden cases does not depend on them: the same text for
    # another secret's hidden cases, and no case written out (no array, no value expected or
    # returned).  A hint may name the checker's own settings ("the same at lr=0.37 and at
    # lr=0.74", "for seed=5 and seed=6"): they are no secret's, as the equality shows.
    said = result.message.split(classroom.HIDDEN_FEEDBACK, 1)[1]
    other = classroom.grade(label, answer, hidden_seed=SEED + 1).message
    assert other.split(classroom.HIDDEN_FEEDBACK, 1)[1] == said
    assert not any(mark in said for mark in ("[", "expected", "returned")), said
    for case in classroom.hidden_cases(EXERCISES[label], SEED) if not EXERCISES[
            label].custom_check else ():
        for value in case:                               # no hidden number written out
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                assert f"={value}" not in said.replace(" ", ""), said


def test_a_hidden_case_failure_names_the_mistake_but_never_shows_the_case():
    """The walk of 2026-12-07 read the hidden inputs and expected values in the published
    feedback.  An answer right on the visible cases (a table) and wrong elsewhere in a
    catalogued way gets that mistake's hint; wrong in no catalogued way, only the kind of
    failure.  Neither shows a hidden input or the expected answer."""
    sizes = EXERCISES["lesson03.check_output_size"]
    hidden = classroom.hidden_cases(sizes, SEED)
    table = {case: (case[0] + 2 * case[3] - case[1]) // case[2] + 1
             for case in sizes.check_kwargs["cases"]}

    def floats(n, k, s, p):                               # true division off the table
        return table.get((n, k, s, p), (n + 2 * p - k) / s + 1)

    def crashes(n, k, s, p):
        if (n, k, s, p) in table:
            return table[(n, k, s, p)]
        raise IndexError(f"index {n} is out of bounds for {k}, {s}, {p}")

    def constant(n, k, s, p):
        return table.get((n, k, s, p), 7)

    expected = {"floats": "use floor division //", "crashes": "raised IndexError on a hidden case",
                "constant": "differs from the right one on a hidden case"}
    for answer in (floats, crashes, constant):
        result = classroom.grade(sizes, answer, hidden_seed=SEED)
        assert not result.passed and expected[answer.__name__] in result.message, result.message
        for n, k, s, p in hidden:                         # as the checker writes a case
            assert f"n={n}, k={k}, s={s}, p={p}" not in result.message
            assert f"n={n}" not in result.message and f"{n}, {k}" not in result.message
        assert "expected" not in result.message and "out of bounds" not in result.message

    # a checker of its own (lesson 06): the hint that names the mistake, not the data
    grad = EXERCISES["lesson06.check_grad_logit"]
    seen = {}

    def recorder(y_hat, y, loss):
        answer = (y_hat - y) * y_hat * (1 - y_hat) if loss == "squared_error" else y_hat - y
        seen[classroom._fingerprint((y_hat, y, loss))] = answer
        return answer

    assert grad.verdict(recorder).passed

    def grad_logit(y_hat, y, loss):                       # the cross-entropy answer off the table
        return seen.get(classroom._fingerprint((y_hat, y, loss)), y_hat - y)

    result = classroom.grade(grad, grad_logit, hidden_seed=SEED)
    hint = grad.verdict(lambda y_hat, y, loss: y_hat - y).message     # on the visible cases
    assert not result.passed and result.message.endswith(": " + hint), result.message
    assert "[" not in result.message and "y_hat=" not in result.message


def test_each_exercise_has_its_own_hidden_seed_from_the_teachers_secret():
    seeds = {label: classroom.exercise_seed(SEED, label) for label in EXERCISES}
    assert len(set(seeds.values())) == len(seeds)
    assert all(0 <= seed < 2**62 for seed in seeds.values())
    assert seeds == {label: classroom.exercise_seed(SEED, label) for label in EXERCISES}
    assert all(classroom.exercise_seed(SEED + 1, label) != seed for label, seed in seeds.items())
    with pytest.raises(TypeError, match="label"):
        classroom.exercise_seed(SEED, None)


def test_a_renamed_function_is_told_its_name_is_missing():
    with pytest.raises(AssertionError) as raised:
        classroom.require("lesson03.check_output_size", None, SEED)   # what otter passes
    assert str(raised.value).startswith("output_size: no function named output_size in your "
                                        "notebook")


def test_only_two_exercises_have_no_hidden_case_a_table_could_miss():
    """make_box_blur() takes no input (its one answer is a constant); torch_step's checker
    reads the weights the step leaves, which only a real step gives."""
    assert set(NOT_HARD_CODABLE) == {"lesson01.check_box_blur", "lesson11.check_torch_step"}
    box = EXERCISES["lesson01.check_box_blur"]
    assert box.check_kwargs["cases"] == [()]
    assert classroom.hidden_cases(box, SEED) == [()]


def test_hidden_cases_rearrange_each_array_and_keep_its_values_shape_and_dtype():
    conv = EXERCISES["lesson03.check_conv2d"]
    visible, hidden = conv.check_kwargs["cases"], classroom.hidden_cases(conv, SEED)
    assert len(hidden) == len(visible)
    for seen, unseen in zip(visible, hidden, strict=True):
        for a, b in zip(seen, unseen, strict=True):
            if isinstance(a, np.ndarray):
                assert a.shape == b.shape and a.dtype == b.dtype
                assert np.array_equal(np.sort(a, axis=-1), np.sort(b, axis=-1))
            else:
                assert a == b                     # the stride stays: the arrays changed
        assert any(isinstance(a, np.ndarray) and not np.array_equal(a, b)
                   for a, b in zip(seen, unseen, strict=True))


def test_integer_only_cases_get_their_integers_raised():
    sizes = EXERCISES["lesson03.check_output_size"]
    for seen, unseen in zip(sizes.check_kwargs["cases"], classroom.hidden_cases(sizes, SEED),
                            strict=True):
        assert all(0 <= b - a <= 3 for a, b in zip(seen, unseen, strict=True))
        assert seen != unseen


def test_the_hidden_seed_decides_the_hidden_cases():
    conv = EXERCISES["lesson03.check_conv2d"]
    again = classroom.hidden_cases(conv, SEED)
    other = classroom.hidden_cases(conv, SEED + 1)
    first = classroom.hidden_cases(conv, SEED)
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(first, again, strict=True))
    assert not all(np.array_equal(a[0], b[0]) for a, b in zip(first, other, strict=True))


def test_a_custom_checks_data_is_rearranged_only_during_the_hidden_check():
    """lesson08.check_gd_update reads PARAMS and GRADS from its module: the hidden check sees
    them shuffled, and they are the learner's visible data again afterwards."""
    from cnnlab.lessons import _mistakes08
    before = {k: v.copy() for k, v in _mistakes08.PARAMS.items()}
    seen = []

    def gd_update(params, grads, lr):
        seen.append({k: v.copy() for k, v in params.items()})
        return {k: params[k] - lr * grads[k] for k in params}

    assert classroom.grade("lesson08.check_gd_update", gd_update, hidden_seed=SEED).passed
    half = len(seen) // 2                 # the checker calls the answer once per setting
    visible, hidden = seen[:half], seen[half:]
    assert half >= 1 and len(seen) == 2 * half
    assert all(np.array_equal(visible[0][k], before[k]) for k in before)
    assert any(not np.array_equal(hidden[0][k], before[k]) for k in before)
    assert all(np.array_equal(_mistakes08.PARAMS[k], before[k]) for k in before)


def test_a_task_seeded_generator_stays_numpys_own():
    """minibatches(..., seed) must shuffle with np.random.default_rng(seed) itself: its hidden
    cases change the data, never the generator (a right answer passes them)."""
    answer = answer_from(right_source("lesson09.check_minibatches", "minibatches"),
                         "lesson09.check_minibatches")
    assert classroom.grade("lesson09.check_minibatches", answer, hidden_seed=SEED).passed


def test_a_forbidden_call_is_refused_on_the_hidden_cases_too():
    def conv2d_loop(image, kernel, stride):
        return cnnlab.conv2d(image, kernel, stride=stride)
    result = classroom.grade("lesson03.check_conv2d", conv2d_loop, hidden_seed=SEED)
    assert not result.passed and "loops" in result.message


@pytest.fixture
def solutions_back_on():
    yield
    _check.SOLUTIONS_OFF = ""


def test_the_student_edition_switches_the_solutions_off_and_keeps_the_hints(solutions_back_on):
    conv = EXERCISES["lesson03.check_conv2d"]
    assert "def conv2d_loop(" in repr(conv.solution(force=True))
    classroom.student_edition()
    for exercise in EXERCISES.values():
        shown = repr(exercise.solution(force=True))
        assert "switched off in this class edition" in shown and "def " not in shown
        assert exercise.idea in repr(exercise.more_help())
    result = conv(lambda image, kernel, stride: None)
    assert "more_help()" in result.help and "solution()" not in result.help


def test_the_build_writes_student_notebooks_and_one_test_file_per_exercise(tmp_path):
    manifest = build_class_edition.build(tmp_path, points=2, seed=SEED, zip_it=False,
                                         log=lambda text: None)
    students = sorted((tmp_path / "student").glob("*.ipynb"))
    assert [p.name for p in students] == sorted(p.name for p in (ROOT / "notebooks").glob(
        "[0-9][0-9]_*.ipynb"))
    tagged = {}
    for path in students:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = notebook["cells"]
        assert "cnnlab.lessons.classroom.student_edition()" in cells[2]["source"]
        for cell in cells:
            text = "".join(cell["source"])
            if cell["cell_type"] == "markdown":
                assert ".solution()` shows" not in text and "three steps" not in text, text
                assert text.count("switched off") <= 1, text
            if build_class_edition.TAG in cell["metadata"].get("tags", []):
                meta = cell["metadata"]["cnnlab"]
                tagged[meta["exercise"]] = meta
                assert cell["metadata"]["otter"]["tests"] == [
                    build_class_edition.question_name(meta["exercise"])]
                assert f"{meta['exercise']}({meta['answer']})" in text
        assert notebook["metadata"]["cnnlab_class_edition"]["exercises"] == [
            label for label in tagged if label.startswith(f"lesson{path.name[:2]}")]
    assert tagged.keys() == EXERCISES.keys()
    assert all(meta["points"] == 2 for meta in tagged.values())
    tests = sorted((tmp_path / "autograder").glob("lesson*/tests/*.py"))
    assert len(tests) == len(EXERCISES) and manifest["secret"] == SEED
    text = (tmp_path / "autograder" / "lesson03" / "tests" / "lesson03_conv2d.py").read_text()
    assert 'require("lesson03.check_conv2d", conv2d_loop)' in text
    assert 'require("lesson03.check_conv2d", conv2d_loop, hidden_seed=HIDDEN_SEED)' in text
    assert "all_or_nothing = True" in text and "points = 2" in text
    seeds = set()
    for path in tests:
        source = path.read_text(encoding="utf-8")
        compile(source, str(path), "exec")
        label = next(label for label in EXERCISES
                     if build_class_edition.question_name(label) == path.stem)
        seed = classroom.exercise_seed(SEED, label)
        seeds.add(seed)
        assert f"HIDDEN_SEED = {seed}  #" in source and str(SEED) not in source
        # otter's feedback prints the line of the test that failed: a require(...) line
        assert all(str(seed) not in line for line in source.splitlines() if "require(" in line)
        assert source.count(str(seed)) == 1
    assert len(seeds) == len(tests)
    conv = json.loads((tmp_path / "class_edition.json").read_text())["lessons"]["lesson03"][
        "exercises"][1]
    assert conv["answer"] == "conv2d_loop"
    assert conv["hidden_seed"] == classroom.exercise_seed(SEED, "lesson03.check_conv2d")
    assert manifest["cnnlab"] == "cnnlab @ git+https://github.com/cnnlab/cnnlab@main"


def test_otters_published_feedback_shows_neither_the_seed_nor_the_hidden_case(tmp_path):
    """otter's own test-file runner (what Gradescope runs) on a hard-coded answer: its
    feedback, which students read once grades are published, holds the hint of the hidden
    cases but no seed and no hidden input."""
    test_files = pytest.importorskip("otter.test_files", reason="otter-grader (pip install -e "
                                     "\".[teacher]\") runs the test files")
    build_class_edition.build(tmp_path, lessons=["03"], seed=SEED, zip_it=False,
                              log=lambda text: None)
    label = "lesson03.check_output_size"
    answer = answer_from(hard_coded_source(label, "output_size"), label)
    test = test_files.ExceptionTestFile.from_file(
        str(tmp_path / "autograder" / "lesson03" / "tests" / "lesson03_output_size.py"))
    test.run({"output_size": answer})
    visible, hidden = test.test_case_results
    assert visible.passed and not hidden.passed
    printed = str(test) + hidden.message
    assert "right on the cases you see, but not on the hidden cases" in printed
    assert "hidden_seed=HIDDEN_SEED" in printed
    seed = classroom.exercise_seed(SEED, label)
    assert str(seed) not in printed and str(SEED) not in printed
    for n, k, s, p in classroom.hidden_cases(EXERCISES[label], seed):
        assert f"n={n}, k={k}, s={s}, p={p}" not in printed and f"n={n}" not in printed
    assert "expected" not in hidden.message
    test.run({})                                          # the function renamed: not found
    assert "no function named output_size in your notebook" in test.test_case_results[0].message


def test_the_build_pins_the_cnnlab_students_and_autograders_install(tmp_path):
    said = []
    manifest = build_class_edition.build(tmp_path, lessons=["03"], seed=SEED, zip_it=False,
                                         log=said.append, cnnlab="v0.4.0")
    pinned = "cnnlab @ git+https://github.com/cnnlab/cnnlab@v0.4.0"
    assert manifest["cnnlab"] == pinned
    assert (tmp_path / "autograder" / "lesson03" / "requirements.txt").read_text() == (
        pinned + "\n")
    cells = json.loads((tmp_path / "student" / "03_convolution.ipynb").read_text())["cells"]
    assert cells[1]["source"] == cnnlab.course.COLAB_INSTALL_CELL.replace(
        "cnnlab @ git+https://github.com/cnnlab/cnnlab@main", pinned)
    assert build_class_edition.requirements("lesson11", "==0.4.0") == "cnnlab==0.4.0\ntorch\n"
    for bad in ("", "v1 && rm -rf ~", "a..b", 3):
        with pytest.raises(ValueError, match="cnnlab: must be a git ref"):
            build_class_edition.cnnlab_requirement(bad)
    # the build says how many, in words: 1 student notebook, 1 point each
    assert "1 student notebook in" in said[-1] and "2 graded exercises, 1 point each" in said[-1]
    assert said[0] == "03_convolution.ipynb: 2 exercises -> autograder/lesson03/tests"


def test_feedback_is_read_from_otters_output():
    output = ("q results:\n    q - 1 result:\n        \u274c Test case failed\n        Error at "
              "line 19 in test q:\n              require(\"lesson03.check_conv2d\", f)\n"
              "        AssertionError: f: on image=\n        [[1. 2.]]\n        , expected 3\n\n"
              "    q - 2 result:\n        \u274c Test case failed\n")
    assert grade_class_edition.feedback_of(output) == "f: on image=\n[[1. 2.]]\n, expected 3"
    assert grade_class_edition.feedback_of("q - 1 result:\n  \u2705 Test case passed") == "correct"


def test_files_that_cannot_be_graded_get_a_row_with_the_reason_and_the_run_goes_on(
        tmp_path, monkeypatch):
    """A course notebook, a broken file, a notebook of a lesson without an autograder and one
    that runs past the timeout each get a row with the reason; a text file is listed."""
    folder = tmp_path / "submissions"
    folder.mkdir()
    course = json.loads((ROOT / "notebooks" / "03_convolution.ipynb").read_text())
    (folder / "ann_03.ipynb").write_text(json.dumps(course))
    (folder / "ben_03.ipynb").write_text('{"cells": [')
    (folder / "notes.txt").write_text("not a notebook\n")
    looping = {"cells": [], "metadata": {"cnnlab_class_edition": {"lesson": "lesson03"}}}
    (folder / "cal_03.ipynb").write_text(json.dumps(looping))
    looping["metadata"]["cnnlab_class_edition"]["lesson"] = "lesson99"
    (folder / "dee_99.ipynb").write_text(json.dumps(looping))
    edition = tmp_path / "class"
    (edition / "autograder").mkdir(parents=True)
    (edition / "autograder" / "lesson03-autograder.zip").write_bytes(b"")
    # an "otter" that never finishes, and starts a child of its own (as otter starts a kernel)
    never = [sys.executable, "-c", "import subprocess, sys, time; subprocess.Popen([sys."
             "executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"]
    monkeypatch.setattr(grade_class_edition, "otter_command", lambda: never)
    said = []
    import time
    started = time.perf_counter()
    rows = grade_class_edition.grade_folder(folder, edition, tmp_path / "grades.csv",
                                            log=said.append, timeout=2)
    assert time.perf_counter() - started < 30
    notes = {row["submission"]: row["note"] for row in rows}
    assert notes["ann_03.ipynb"].startswith("not graded: not a class-edition notebook")
    assert notes["ben_03.ipynb"].startswith("not graded: not a readable notebook")
    assert notes["cal_03.ipynb"] == ("not graded: timed out: still running after 2 s "
                                     "(--timeout), stopped")
    assert notes["dee_99.ipynb"].startswith("not graded: no autograder for lesson99")
    assert said[0] == "skipped 1 file that is not a notebook: notes.txt"
    with (tmp_path / "grades.csv").open(encoding="utf-8") as handle:
        written = {row["submission"]: row for row in csv.DictReader(handle)}
    assert {name: row["note"] for name, row in written.items()} == notes
    assert all(row["total"] == "" for row in written.values())
    assert "0 of 4 notebooks graded (4 not: see the note column)" in said[-1]


# ---- with otter-grader: the autograder zips, otter run and the grades table ---------------------

def submission(student, kind):
    """A copy of a student notebook whose exercise cells hold ``kind`` answers."""
    notebook = json.loads(student.read_text(encoding="utf-8"))
    for index, label, answer in classroom.exercise_cells(notebook["cells"]):
        cell = notebook["cells"][index]
        call = [line for line in "".join(cell["source"]).splitlines() if f"{label}(" in line][-1]
        body = {"right": right_source, "hard-coded": hard_coded_source,
                "wrong": lambda lab, ans: wrong_source(lab, ans)[0]}[kind](label, answer)
        cell["source"] = body.strip() + "\n\n" + call
    return notebook


@pytest.mark.slow
def test_otter_grades_a_folder_of_submissions_into_the_csv(tmp_path):
    """Lessons 03 (checkers on cases) and 06 (checkers of their own): right answers get full
    marks, catalogued mistakes zero with their hints, hard-coded answers zero on the hidden
    cases; graded by the autograder zips under ``otter run``, as on Gradescope."""
    pytest.importorskip("otter", reason="otter-grader (pip install -e \".[teacher]\") grades "
                                        "the submissions")
    edition, folder = tmp_path / "class", tmp_path / "submissions"
    build_class_edition.build(edition, lessons=["03", "06"], seed=SEED, log=lambda text: None)
    assert (edition / "autograder" / "lesson03-autograder.zip").exists()
    for path in sorted((edition / "student").glob("*.ipynb")):
        for kind in ("right", "wrong", "hard-coded"):
            (folder / kind).mkdir(parents=True, exist_ok=True)
            (folder / kind / path.name).write_text(json.dumps(submission(path, kind)))
    # what the walk of 2026-12-07 put in the folder too: a course notebook and a text file
    (folder / "course_03.ipynb").write_text((ROOT / "notebooks" / "03_convolution.ipynb")
                                            .read_text(encoding="utf-8"))
    (folder / "notes.txt").write_text("not a notebook\n")
    said = []
    rows = grade_class_edition.grade_folder(folder, edition, tmp_path / "grades.csv",
                                            log=said.append)
    totals = {row["submission"]: (row["total"], row["max_total"]) for row in rows
              if "total" in row}
    assert totals == {f"{kind}/{name}": (score, 2.0) for name in ("03_convolution.ipynb",
                                                                   "06_loss_and_output.ipynb")
                      for kind, score in (("right", 2.0), ("wrong", 0.0), ("hard-coded", 0.0))}
    assert "skipped 1 file that is not a notebook: notes.txt" in said
    # a folder that mixes lessons: one grades table (and feedback table) per lesson
    assert not (tmp_path / "grades.csv").exists()
    details = []
    for lesson in ("lesson03", "lesson06"):
        with (tmp_path / f"grades_{lesson}.csv").open(encoding="utf-8") as handle:
            table = list(csv.DictReader(handle))
        assert {row["lesson"] for row in table} == {lesson} and len(table) == 3
        assert all(key.startswith(lesson) for key in table[0] if key.startswith("lesson0"))
        with (tmp_path / f"grades_{lesson}_feedback.csv").open(encoding="utf-8") as handle:
            details += list(csv.DictReader(handle))
    with (tmp_path / "grades_not_graded.csv").open(encoding="utf-8") as handle:
        not_graded = list(csv.DictReader(handle))
    assert [row["submission"] for row in not_graded] == ["course_03.ipynb"]
    assert "not a class-edition notebook" in not_graded[0]["note"]
    assert len(details) == 12
    for row in details:
        kind = row["submission"].split("/")[0]
        label = next(label for label in EXERCISES
                     if build_class_edition.question_name(label) == row["exercise"])
        if kind == "right":
            assert row["feedback"] == "correct" and float(row["points"]) == 1.0
        elif kind == "wrong":
            hint = wrong_source(label, ANSWER_NAMES[label])[1]
            assert hint in row["feedback"] and float(row["points"]) == 0.0
        else:
            assert "not on the hidden cases" in row["feedback"] and float(row["points"]) == 0.0
            assert "hidden_seed" not in row["feedback"] and "[" not in row["feedback"]


@pytest.mark.slow
@pytest.mark.parametrize("lesson", sorted({label[6:8] for label in EXERCISES}))
def test_the_student_edition_runs_clean_under_nbval_without_solutions(tmp_path, lesson):
    """Each student notebook runs under nbval (no error in any cell); a last cell asks every
    exercise of the lesson for its solution and finds it switched off."""
    build_class_edition.build(tmp_path, lessons=[lesson], seed=SEED, zip_it=False,
                              log=lambda text: None)
    path = next((tmp_path / "student").glob(f"{lesson}_*.ipynb"))
    notebook = json.loads(path.read_text(encoding="utf-8"))
    labels = notebook["metadata"]["cnnlab_class_edition"]["exercises"]
    probe = "\n".join(f"assert 'switched off' in repr({label}.solution(force=True))"
                      for label in labels)
    notebook["cells"].append({"cell_type": "code", "execution_count": None, "metadata": {},
                              "outputs": [], "source": probe})
    path.write_text(json.dumps(notebook))
    network = ROOT / "notebooks" / "small_cnn_lesson09.npz"
    if lesson in ("10", "11") and network.exists():
        (tmp_path / "student" / network.name).write_bytes(network.read_bytes())
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "--nbval-lax", "--nbval-current-env", "-o", "addopts=",
                           str(path)], cwd=tmp_path / "student", capture_output=True,
                          text=True, env={**__import__("os").environ, "CI": "true"})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "passed" in done.stdout


WALK = Path(__file__).parent / "lessons" / "walk"


@pytest.mark.slow
def test_every_right_answer_learners_wrote_passes_the_hidden_cases_too():
    """The hidden cases stay valid inputs: each right answer new learners wrote on their walk
    (tests/lessons/walk/, independent of the checkers' own right answers) that passes the
    visible cases passes the hidden ones too, for three hidden seeds."""
    import importlib.util
    import warnings

    files = sorted(WALK.glob("answers_*.py"))
    assert files, "tests/lessons/walk/ holds the learners' answers"
    checked, refused = 0, []
    for path in files:
        spec = importlib.util.spec_from_file_location(f"walk_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for entry in module.ANSWERS:
            label = f"{entry['lesson']}.{entry['checker']}"
            right = entry["mistake"].lower().startswith(("right", "not a mistake"))
            if not right or label not in EXERCISES:
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if not classroom.grade(label, entry["answer"]).passed:
                    continue                      # the lesson tests' business, not ours
                checked += 1
                for seed in (1, SEED, 2026):
                    result = classroom.grade(label, entry["answer"], hidden_seed=seed)
                    if not result.passed:
                        refused.append((label, entry["mistake"], seed, result.message))
    assert checked >= 30, f"only {checked} right answers from the walk"
    assert refused == [], refused
