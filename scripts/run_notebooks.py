"""Execute every notebook of the course in this Python and check that each ran clean.

    python scripts/run_notebooks.py --out executed/            # every notebooks/*.ipynb
    python scripts/run_notebooks.py --out executed/ 03_convolution.ipynb

Each notebook runs top to bottom in a fresh ``python3`` kernel of the interpreter that runs this
script (the same environment: its numpy, matplotlib, ipywidgets, ipykernel), with nbclient, the
library ``jupyter nbconvert --execute`` uses, and with matplotlib's inline backend, as in
JupyterLab (an ``MPLBACKEND`` set for this script, such as CI's ``Agg``, does not reach the
kernels: with Agg, ``plt.show()`` shows nothing).  The kernels run in ``--out``, so a file a
lesson keeps (lesson 09's ``small_cnn_lesson09.npz``) lands there, not in the checkout, and a
lesson that reads such a file (10 and 11) starts only once the lesson that writes it has
finished, as a learner going through the course in order has it.  A notebook is clean when no
cell raised, nothing was written to stderr (warnings land there), every cell that calls
``plt.show()`` left a picture, and no widget shows only its raw text (``Output()``,
``VBox(...)``: a widget with nothing else to show).  The executed copies, with their outputs and
the widget state, are written to ``--out`` (the static edition is built from them).  Exit code
0 when every notebook ran clean, 1 otherwise, with one line per problem.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# The text/plain of a widget that has nothing else to show (a bare widget repr).
RAW_WIDGET = re.compile(r"^(Output|[HV]?Box|Image|Label|HTML)\(")
# A call of plt.show() that is code, not a comment.
PLT_SHOW = re.compile(r"^[^#\n]*\bplt\.show\(\)", flags=re.MULTILINE)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
# The files a lesson keeps for later ones: a notebook that names the file waits for its writer.
KEEPS = {"09_bigger_and_faster.ipynb": "small_cnn_lesson09.npz"}


def _text(value):
    return "".join(value) if isinstance(value, list) else value


def problems_in(notebook):
    """Every error, stderr text or bare widget repr in an executed notebook (list of str)."""
    found = []
    for number, cell in enumerate(notebook["cells"], start=1):
        if cell["cell_type"] == "code" and PLT_SHOW.search(_text(cell["source"])):
            outputs = cell.get("outputs", [])
            if not any("image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {})
                       for o in outputs):
                found.append(f"cell {number}: plt.show() showed no picture (the kernel's "
                             f"matplotlib backend is not inline?)")
        for output in cell.get("outputs", []):
            kind = output["output_type"]
            if kind == "error":
                found.append(f"cell {number}: {output['ename']}: {output['evalue']}")
            elif kind == "stream" and output.get("name") == "stderr":
                found.append(f"cell {number}: stderr: {output['text'][:300]!r}")
            elif kind in ("display_data", "execute_result"):
                data = output.get("data", {})
                text = data.get("text/plain", "")
                text = _text(text)
                if WIDGET_VIEW not in data and RAW_WIDGET.match(text):
                    found.append(f"cell {number}: a widget shown as raw text: {text[:80]!r}")
    return found


def waits_for(paths):
    """For each notebook, the notebooks among ``paths`` that write a file it names."""
    writers = [p for p in paths if p.name in KEEPS]
    found = {}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        found[path] = [w for w in writers if w != path and KEEPS[w.name] in text]
    return found


def run_one(path, out_dir, timeout):
    """Execute one notebook in ``out_dir``; return (name, seconds, problems)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(path, as_version=4)
    out_dir.mkdir(parents=True, exist_ok=True)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(out_dir)}},
                            store_widget_state=True)
    start = time.perf_counter()
    problems = []
    try:
        client.execute()
    except CellExecutionError:
        pass                          # the error output is in the notebook: reported below
    except Exception as error:  # noqa: BLE001 - a dead kernel or a timeout is a problem too
        problems.append(f"{type(error).__name__}: {error}"[:500])
    seconds = time.perf_counter() - start
    problems += problems_in(notebook)
    nbformat.write(notebook, out_dir / path.name)
    return path.name, seconds, problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="notebook file names (default: all of them)")
    parser.add_argument("--out", required=True, type=Path, help="folder for executed copies")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default 2)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    paths = ([NOTEBOOKS / name for name in args.names] if args.names
             else sorted(NOTEBOOKS.glob("*.ipynb")))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    # The kernel must be this interpreter's (a kernelspec named python3 elsewhere would win).
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(Path(sys.prefix) / "share" / "jupyter"), os.environ.get("JUPYTER_PATH", "")])
    # The kernels inherit this environment: matplotlib inline there, whatever this script has.
    os.environ["MPLBACKEND"] = INLINE_BACKEND
    start = time.perf_counter()
    failed = 0
    jobs = max(1, args.jobs)
    waiting = waits_for(paths)
    pending, running, finished = list(paths), {}, set()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        while pending or running:
            for path in list(pending):
                if len(running) < jobs and all(w.name in finished for w in waiting[path]):
                    running[pool.submit(run_one, path, args.out, args.timeout)] = path
                    pending.remove(path)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for job in done:
                finished.add(running.pop(job).name)
                name, seconds, problems = job.result()
                print(f"{'clean' if not problems else 'FAILED':7} {seconds:6.1f} s  {name}",
                      flush=True)
                for problem in problems:
                    print(f"        {problem}", flush=True)
                failed += bool(problems)
    version = ".".join(map(str, sys.version_info[:3]))
    print(f"{len(paths) - failed} of {len(paths)} notebooks ran clean in "
          f"{time.perf_counter() - start:.0f} s (Python {version}, {sys.prefix})")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "versions.json").write_text(json.dumps(versions(), indent=1))
    return 1 if failed else 0


def versions():
    """The versions of the packages that matter for the course in this environment."""
    from importlib import metadata

    names = ["numpy", "matplotlib", "ipywidgets", "ipykernel", "matplotlib-inline", "tqdm",
             "threadpoolctl", "anywidget", "pooch", "jupyterlab", "jupyterlab_widgets",
             "notebook", "nbclient"]
    found = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return found


if __name__ == "__main__":
    sys.exit(main())
