"""Build the static edition of the course: every lesson as a web page, readable with no kernel.

    python -m pip install -r binder/requirements.txt -e ".[static]"
    python scripts/build_static_edition.py                    # -> site/index.html
    python scripts/build_static_edition.py --executed DIR     # from notebooks run already

(README's command and .github/workflows/pages.yml's steps are these two lines; .ci/run runs them
as they are written there, and tests/test_commands.py fails when the three differ.)

Every notebook in notebooks/ is executed in lesson order (scripts/run_notebooks.py: must run
clean; lesson 10 starts once lesson 09 has kept its network), then exported with nbconvert's
``lab`` HTML template.  A widget panel's display message carries a PNG of its figure beside the
widget (cnnlab.ui.widgets.show_panel: the starting picture, or the final one when the cell
changed it, as lesson 09's training does); the export shows that PNG instead of the widget, so
no page needs require.js or a widget renderer from a CDN, and a one-line note above a page's
first panel says where its sliders move (Binder, Colab, the browser edition).  MathJax is served
from the site itself (the jupyter_server_mathjax package), the Colab badge becomes a text link,
and links between lessons point at their pages.  Nothing on a page is fetched from elsewhere and
no file it asks for is missing (tests/browser/test_static_edition.py opens every page in
Chromium with the network blocked).

The site: ``index.html`` (the table of lessons), one ``NN_name.html`` per lesson, the executed
notebooks under ``notebooks/`` and MathJax under ``mathjax/``.  The notebooks there are the
pages' notebooks: each panel is its PNG and no widget state is kept, so any reader without a
widget renderer (``jupyter nbconvert --to html`` offline, an editor's preview, a notebook viewer)
shows every picture instead of an empty widget box.
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\(([^)]*)\)")
LESSON_LINK = re.compile(r'href="(?:\./)?(\d\d_\w+)\.ipynb(#[^"]*)?"')
# nbconvert's lab template without the scripts it would fetch from CDNs: require.js and the
# widget renderer (no widget is left to render) and mermaid (no lesson draws a mermaid chart);
# MathJax from the site, with the one web font jupyter_server_mathjax ships (STIX-Web).  The
# hidden MathML MathJax adds for screen readers would ask for its TeX fonts, which the package
# does not ship (a 404 on every page with a double-struck letter, such as lesson 09's
# \mathbb 1): that MathML is never seen, so it keeps the page's font.  Links in running text are
# underlined: the lab theme tells them from the words around them by colour alone (axe-core:
# link-in-text-block, WCAG 1.4.1).
TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_mathjax -%}
<style>.MJX_Assistive_MathML [mathvariant] {font-family: inherit !important;}
.jp-RenderedMarkdown a:link, .jp-RenderedMarkdown a:visited {text-decoration: underline;}</style>
<script type="text/x-mathjax-config">
MathJax.Hub.Config({"HTML-CSS": {availableFonts: ["STIX-Web"], preferredFont: "STIX-Web",
                                 webFont: "STIX-Web", imageFont: null}});
</script>
{{ super() }}
{%- endblock html_head_js_mathjax -%}
"""


def _text(value):
    return "".join(value) if isinstance(value, list) else value


def widget_text(model_id, state):
    """What a widget without a picture (a tqdm bar) showed last, as one line of text."""
    models = state.get("state", {})
    model = models.get(model_id, {}).get("state", {})
    parts = []
    for child in model.get("children", []):
        child_id = child.removeprefix("IPY_MODEL_") if isinstance(child, str) else ""
        child_state = models.get(child_id, {})
        name = child_state.get("model_name", "")
        values = child_state.get("state", {})
        if name == "HTMLModel" or name == "LabelModel":
            text = html.unescape(re.sub(r"<[^>]+>", "", str(values.get("value", ""))))
            parts.append(text.strip())
        elif name in ("FloatProgressModel", "IntProgressModel"):
            low, high = values.get("min", 0), values.get("max", 100)
            share = (values.get("value", 0) - low) / ((high - low) or 1)
            parts.append("|" + "█" * round(10 * share) + " " * (10 - round(10 * share)) + "|")
    return " ".join(p for p in parts if p)


def saved_images(model_id, state):
    """The values (base64 PNG) the image widgets under a widget held when the notebook was saved."""
    models = state.get("state", {})
    model = models.get(model_id, {})
    found = []
    # a panel's picture: cnnlab.ui.widgets.FigureImage (an anywidget) or an ipywidgets Image
    if model.get("model_name") in ("ImageModel", "AnyModel"):
        found += [b["data"] for b in model.get("buffers", []) if b.get("path") == ["value"]]
    for child in model.get("state", {}).get("children", []):
        if isinstance(child, str):
            found += saved_images(child.removeprefix("IPY_MODEL_"), state)
    return found


def slider_note(name):
    """The one-line note above a page's first panel: where the sliders move (an output)."""
    import nbformat

    from cnnlab import course

    owner, repository = course.REPOSITORY.split("/")
    lite = (f"https://{owner}.github.io/{repository}/lite/lab/index.html"
            f"?path=notebooks/{name}")
    links = (f'<a href="{course.binder_url(name)}">Binder</a>, '
             f'<a href="{course.colab_url(name)}">Colab</a> or '
             f'<a href="{lite}">the browser edition</a>')
    text = ("The panels below are still pictures: to move their sliders, open this lesson in "
            "{} (nothing to install), or run it on your machine (README).")
    return nbformat.v4.new_output(
        "display_data", metadata={"cnnlab": {"note": "sliders"}},
        data={"text/html": f'<p class="cnnlab-note"><em>{text.format(links)}</em></p>',
              "text/plain": text.format("Binder, Colab or the browser edition")})


def static_notebook(notebook, name="00_start_here.ipynb"):
    """A copy of an executed notebook made for a static page (the argument is not changed).

    A panel's widget output goes and its still picture stays (marked ``"panel": true`` in the
    output's ``cnnlab`` metadata; cnnlab.ui.widgets.show_panel makes the two); a widget with
    no picture (a progress bar) shows its last text; the widget state goes, so every reader
    shows the picture; a note on where the sliders move goes above the first panel; the Colab
    badge becomes a text link.  A panel whose PNG is not what its image widget showed last (a
    picture older than the cell's end) is an error.
    """
    notebook = copy.deepcopy(notebook)
    state = notebook.get("metadata", {}).pop("widgets", {}).get(WIDGET_STATE, {})
    noted = False
    for number, cell in enumerate(notebook["cells"], start=1):
        if cell["cell_type"] == "markdown":
            cell["source"] = BADGE.sub(r"[Open this lesson in Colab](\1)", _text(cell["source"]))
            continue
        outputs = []
        panels = {}                           # a panel's still id -> its widget's model id
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            marks = output.get("metadata", {}).get("cnnlab", {})
            view = data.pop(WIDGET_VIEW, None)
            if view is not None and "controls" in marks:
                panels[marks["controls"]] = view.get("model_id", "")
                continue                      # the page shows the panel's still instead
            if "still" in marks:
                saved = saved_images(panels.get(marks["still"], ""), state)
                if saved and data["image/png"].replace("\n", "") not in saved:
                    raise ValueError(f"{name} cell {number}: the panel's PNG is not the picture "
                                     "its figure showed last")
                marks["panel"] = True
                if not noted:
                    outputs.append(slider_note(name))
                    noted = True
            elif view is not None:
                text = widget_text(view.get("model_id", ""), state)
                if text:
                    data["text/plain"] = text
            outputs.append(output)
        if "outputs" in cell:
            cell["outputs"] = outputs
    return notebook


def exporter(mathjax_url):
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", template_file="cnnlab_static.html.j2",
                        extra_loaders=[DictLoader({"cnnlab_static.html.j2": TEMPLATE})],
                        mathjax_url=mathjax_url, embed_images=True)


def title_of(notebook):
    first = _text(notebook["cells"][0]["source"])
    found = re.search(r"^# (.+)$", first, flags=re.MULTILINE)
    return found.group(1).strip() if found else "cnnlab"


def goals_of(notebook):
    first = _text(notebook["cells"][0]["source"])
    goals = first.split("## What you will be able to do", 1)[-1].split("**Assumes:**")[0]
    return [line.strip()[2:] for line in goals.splitlines() if line.strip().startswith("- ")]


def index_notebook(pages):
    """The front page, as a one-cell notebook exported like the lessons."""
    import nbformat

    lines = [
        "# cnnlab · convolutional neural networks from scratch, live",
        "",
        "The **static edition**: every lesson as it looks after *Run All*, with every figure "
        "at the setting the notebook leaves it. To move the sliders, open a lesson in Binder "
        "or Colab (links at the top of each lesson) or run it on your machine (README).",
        "",
        "| lesson | you will be able to |",
        "|---|---|",
    ]
    for page, notebook in pages:
        goals = "; ".join(goal.rstrip(".") for goal in goals_of(notebook))
        lines.append(f"| [{title_of(notebook)}]({page}) | {goals} |")
    first = pages[0][0].replace(".html", ".ipynb") if pages else "00_start_here.ipynb"
    lines += ["", "Each lesson's notebook with these outputs lies beside its page, under "
              f"notebooks/ (for example [notebooks/{first}](notebooks/{first}))."]
    index = nbformat.v4.new_notebook()
    index.cells.append(nbformat.v4.new_markdown_cell("\n".join(lines)))
    index.metadata["title"] = "cnnlab · static edition"
    return index


def build(executed, out):
    """Write the site to ``out`` from the executed notebooks in ``executed``; return the pages."""
    import jupyter_server_mathjax
    import nbformat

    out.mkdir(parents=True, exist_ok=True)
    mathjax = Path(jupyter_server_mathjax.__file__).parent / "static"
    shutil.copytree(mathjax, out / "mathjax", dirs_exist_ok=True)
    (out / "notebooks").mkdir(exist_ok=True)
    html_exporter = exporter(f"mathjax/MathJax.js?config={MATHJAX_CONFIG}")
    names = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    missing = [name for name in names if not (executed / name).is_file()]
    if missing:
        raise SystemExit(f"not executed: {', '.join(missing)} (in {executed})")
    pages = []
    for name in names:
        notebook = nbformat.read(executed / name, as_version=4)
        still = static_notebook(notebook, name)
        nbformat.write(still, out / "notebooks" / name)
        page = name.replace(".ipynb", ".html")
        body, _ = html_exporter.from_notebook_node(
            still, resources={"metadata": {"name": title_of(notebook)}})
        body = LESSON_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
        (out / page).write_text(body, encoding="utf-8")
        pages.append((page, notebook))
        print(f"wrote {out / page}")
    body, _ = html_exporter.from_notebook_node(
        index_notebook(pages), resources={"metadata": {"name": "cnnlab · static edition"}})
    (out / "index.html").write_text(body, encoding="utf-8")
    (out / ".nojekyll").write_text("")
    print(f"wrote {out / 'index.html'}: {len(pages)} lessons")
    return [page for page, _ in pages]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="default: site/")
    parser.add_argument("--executed", type=Path,
                        help="executed notebooks (default: run every notebook now)")
    args = parser.parse_args(argv)
    if args.executed is None:
        args.executed = Path(tempfile.mkdtemp(prefix="cnnlab-executed-"))
        # The whole course, as a learner runs it (not the shortened CI runs).
        env = {k: v for k, v in os.environ.items() if k != "CI"}
        done = subprocess.run([sys.executable, str(ROOT / "scripts" / "run_notebooks.py"),
                               "--out", str(args.executed)], env=env, check=False)
        if done.returncode:
            raise SystemExit("a notebook did not run clean: no static edition built")
    build(args.executed, args.out)
    print(json.dumps({"site": str(args.out.resolve())}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
