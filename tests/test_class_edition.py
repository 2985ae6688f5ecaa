"""The class edition (issue 27): student notebooks without worked solutions, an autograder that
grades with the course's own checkers on visible and hidden cases, and the grades table.

In-process (the fast lane): every one of the course's exercises graded as otter's test files
grade it (``cnnlab.classroom.require``/``grade``), with a right answer (full marks), a mistake
its catalogue names (zero, the hint as feedback) and an answer hard-coded to the visible cases
(passes them, fails the hidden ones); the hidden cases themselves; the student notebooks built.
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
from cnnlab import classroom
from cnnlab.lessons import _check

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
    assert "right on the cases you see, but not on the hidden cases" in result.message


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
    assert "def conv2d_loop_solution" in repr(conv.solution(force=True))
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
        assert "cnnlab.classroom.student_edition()" in cells[2]["source"]
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
    assert len(tests) == len(EXERCISES) and manifest["hidden_seed"] == SEED
    text = (tmp_path / "autograder" / "lesson03" / "tests" / "lesson03_conv2d.py").read_text()
    assert 'require("lesson03.check_conv2d", conv2d_loop)' in text
    assert f'require("lesson03.check_conv2d", conv2d_loop, hidden_seed={SEED})' in text
    assert "all_or_nothing = True" in text and "points = 2" in text
    for path in tests:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    assert json.loads((tmp_path / "class_edition.json").read_text())["lessons"]["lesson03"][
        "exercises"][1]["answer"] == "conv2d_loop"


def test_feedback_is_read_from_otters_output():
    output = ("q results:\n    q - 1 result:\n        \u274c Test case failed\n        Error at "
              "line 19 in test q:\n              require(\"lesson03.check_conv2d\", f)\n"
              "        AssertionError: f: on image=\n        [[1. 2.]]\n        , expected 3\n\n"
              "    q - 2 result:\n        \u274c Test case failed\n")
    assert grade_class_edition.feedback_of(output) == "f: on image=\n[[1. 2.]]\n, expected 3"
    assert grade_class_edition.feedback_of("q - 1 result:\n  \u2705 Test case passed") == "correct"


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
    rows = grade_class_edition.grade_folder(folder, edition, tmp_path / "grades.csv",
                                            log=lambda text: None)
    totals = {row["submission"]: (row["total"], row["max_total"]) for row in rows}
    assert totals == {f"{kind}/{name}": (score, 2.0) for name in ("03_convolution.ipynb",
                                                                   "06_loss_and_output.ipynb")
                      for kind, score in (("right", 2.0), ("wrong", 0.0), ("hard-coded", 0.0))}
    with (tmp_path / "grades_feedback.csv").open(encoding="utf-8") as handle:
        details = list(csv.DictReader(handle))
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
    if not files:
        pytest.skip("tests/lessons/walk/ (the learners' answers, added on main by issue 23's "
                    "walk) is not in this checkout")
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
