"""Run a lesson notebook in this process and keep what a learner would see, for claim tests.

``run_lesson("07_backprop")`` executes every code cell of ``notebooks/07_backprop.ipynb`` in a
fresh IPython shell (the Agg backend, CI=true as in CI) and returns a :class:`LessonRun` with

- ``namespace``: the notebook's variables after Run All (what a learner could inspect),
- ``outputs``: per code cell, the text it printed (stdout, and the text/plain of displayed
  values),
- ``markdown``: the text of every markdown cell, with whitespace folded, so a test can insist
  that the sentence it backs is still there,
- ``stderr``: per code cell, what it wrote to stderr,
- ``warnings``: per code cell, every warning it raised (a learner would see them; under pytest
  they never reach stderr, so they are recorded here with the "always" filter).

- ``shown``: every figure a cell showed with ``plt.show()``, as ``(title, figure)``, laid out as
  the inline backend lays it out (drawn once when shown), for the figure tests to read.

Claim tests (tests/lessons/test_lessonNN.py) pair a sentence of the prose with a check of what
the cells computed: when the prose and the computation drift apart, the test fails.  Each
notebook runs once per test session (``run_lesson("07")`` and ``run_lesson("07_backprop")`` are
the same run), and its claim tests and figure tests share that run.  ``run_lesson.__wrapped__``
runs it again, uncached (for a test that changes the lesson's code first).
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def fold(text):
    """Whitespace folded to single spaces (markdown line breaks do not matter to a reader)."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class LessonRun:
    name: str
    namespace: dict
    outputs: list = field(default_factory=list)      # one string per code cell
    markdown: list = field(default_factory=list)     # folded text of each markdown cell
    stderr: list = field(default_factory=list)       # per code cell: what went to stderr
    warnings: list = field(default_factory=list)     # per code cell: warnings it raised
    shown: list = field(default_factory=list)        # (title, figure) of each plt.show()

    @property
    def text(self):
        """All the prose of the lesson, folded."""
        return " ".join(self.markdown)

    @property
    def printed(self):
        """Everything the code cells printed, in order."""
        return "\n".join(self.outputs)

    def says(self, sentence):
        """True when ``sentence`` (folded) appears in the lesson's prose."""
        return fold(sentence) in self.text

    def assert_clean(self):
        """Run All raised no warning and wrote nothing to stderr, in any cell."""
        assert not any(self.warnings), [w for w in self.warnings if w]
        assert not any(e.strip() for e in self.stderr), self.stderr

    def output_of(self, marker):
        """The output of the first code cell whose source contains ``marker``."""
        for source, output in zip(self._sources, self.outputs, strict=True):
            if marker in source:
                return output
        raise KeyError(f"no code cell of {self.name} contains {marker!r}")

    _sources: list = field(default_factory=list, repr=False)


def notebook_path(name):
    matches = sorted(NOTEBOOKS.glob(f"{name}*.ipynb"))
    if len(matches) != 1:
        raise FileNotFoundError(f"no single notebook matches {name!r} in {NOTEBOOKS}")
    return matches[0]


def run_lesson(name):
    """Execute the notebook ``name`` (e.g. ``"07"`` or ``"07_backprop"``) top to bottom, once
    per test session: later calls for the same notebook return the same :class:`LessonRun`.

    What a lesson changes for the whole process is undone afterwards, so later tests (doctests
    above all) see the process as it was: NumPy's print options (lesson 01 sets them) and the
    IPython shell (while one exists, ``display()`` prints differently).
    """
    return _cached_run(notebook_path(name))


def _uncached_run(name):
    """Run the notebook again, whatever ran before (``run_lesson.__wrapped__``)."""
    return _run_once(notebook_path(name))


run_lesson.__wrapped__ = _uncached_run


@functools.cache
def _cached_run(path):
    return _run_once(path)


def _run_once(path):
    import numpy as np
    from IPython.core.interactiveshell import InteractiveShell

    printing = np.get_printoptions()
    try:
        return _run_lesson(path)
    finally:
        np.set_printoptions(**printing)
        InteractiveShell.clear_instance()


def _run_lesson(path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    os.environ.setdefault("CI", "true")
    notebook = json.loads(path.read_text(encoding="utf-8"))
    import numpy as np

    existed = InteractiveShell.initialized()
    saved_hooks = (sys.displayhook, sys.excepthook)
    saved_print = np.get_printoptions()           # a lesson may set its own (lesson 01 does)
    saved_rc = matplotlib.rcParams.copy()
    try:
        return _run(path, notebook, InteractiveShell, capture_output, plt)
    finally:
        np.set_printoptions(**saved_print)
        matplotlib.rcParams.update(saved_rc)
        # Leave no IPython shell behind: with one alive, display() in later tests (doctests
        # of cnnlab.ui.widgets) would behave as in a notebook.
        if not existed:
            InteractiveShell.clear_instance()
            sys.displayhook, sys.excepthook = saved_hooks


def _run(path, notebook, InteractiveShell, capture_output, plt):
    shell = InteractiveShell.instance()
    shell.reset(new_session=True)
    run = LessonRun(name=path.stem, namespace=shell.user_ns)
    shown_by = plt.show

    def show(*args, **kwargs):
        """plt.show as the inline backend does it: the figure laid out, kept for figure tests."""
        figure = plt.gcf()
        figure.canvas.draw()
        run.shown.append((figure.axes[0].get_title() if figure.axes else "?", figure))

    plt.show = show
    try:
        _run_cells(path, notebook, shell, run, capture_output, plt)
    finally:
        plt.show = shown_by
    run.namespace = dict(shell.user_ns)
    return run


def _run_cells(path, notebook, shell, run, capture_output, plt):
    for cell in notebook["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            run.markdown.append(fold(source))
            continue
        if cell["cell_type"] != "code":
            continue
        with capture_output() as captured, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = shell.run_cell(source, store_history=False)
        plt.close("all")
        if not result.success:
            raise RuntimeError(f"{path.name}: a cell failed:\n{source}\n{result.error_in_exec}")
        shown = [o.data.get("text/plain", "") for o in captured.outputs]
        run.outputs.append(captured.stdout + "\n".join(shown))
        run.stderr.append(captured.stderr)
        run.warnings.append([f"{w.category.__name__}: {w.message}" for w in caught])
        run._sources.append(source)
