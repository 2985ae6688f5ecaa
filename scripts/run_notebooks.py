"""Execute every notebook of the course in this Python and check that each ran clean.

    python scripts/run_notebooks.py --out executed/            # every notebooks/*.ipynb
    python scripts/run_notebooks.py --out executed/ 03_convolution.ipynb

Each notebook runs top to bottom in a fresh ``python3`` kernel of the interpreter that runs this
script (the same environment: its numpy, matplotlib, ipywidgets, ipykernel), with nbclient, the
library ``jupyter nbconvert --execute`` uses.  A notebook is clean when no cell raised, nothing
was written to stderr (warnings land there) and no widget shows only its raw text (``Output()``,
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
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# The text/plain of a widget that has nothing else to show (a bare widget repr).
RAW_WIDGET = re.compile(r"^(Output|[HV]?Box|Image|Label|HTML)\(")


def problems_in(notebook):
    """Every error, stderr text or bare widget repr in an executed notebook (list of str)."""
    found = []
    for number, cell in enumerate(notebook["cells"], start=1):
        for output in cell.get("outputs", []):
            kind = output["output_type"]
            if kind == "error":
                found.append(f"cell {number}: {output['ename']}: {output['evalue']}")
            elif kind == "stream" and output.get("name") == "stderr":
                found.append(f"cell {number}: stderr: {output['text'][:300]!r}")
            elif kind in ("display_data", "execute_result"):
                data = output.get("data", {})
                text = data.get("text/plain", "")
                text = "".join(text) if isinstance(text, list) else text
                if WIDGET_VIEW not in data and RAW_WIDGET.match(text):
                    found.append(f"cell {number}: a widget shown as raw text: {text[:80]!r}")
    return found


def run_one(path, out_dir, timeout):
    """Execute one notebook; return (name, seconds, problems)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
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
    out_dir.mkdir(parents=True, exist_ok=True)
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
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    start = time.perf_counter()
    failed = 0
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        jobs = [pool.submit(run_one, path, args.out, args.timeout) for path in paths]
        for job in jobs:
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
