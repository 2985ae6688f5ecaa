"""The static edition, read offline: every page opens with the network blocked, every panel shows
its picture, the maths is typeset, and nothing on any page asks for anything outside the site or
for a file the site lacks.  The notebooks it publishes read offline too, exported as a user
exports them (``jupyter nbconvert --to html``).

The site is the one in ``CNNLAB_STATIC_SITE`` (CI builds it with the Pages workflow's own
commands), or is built here: every notebook executed in this Python, then
scripts/build_static_edition.py.  The expectations come from the notebooks in the site's
``notebooks/`` folder, not from the pages: each image output of a cell must be an image on that
cell's page.  (That a panel's picture is the figure as its cell left it, lesson 09's trained
board, the build checks against the widget state: tests/test_commands.py.)
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from . import a11y, harness

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(p.name for p in (harness.ROOT / "notebooks").glob("*.ipynb"))
BAD_TEXTS = ("Click to show javascript error", "Error displaying widget", "Output()",
             "Math Processing Error", "Traceback")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    given = os.environ.get("CNNLAB_STATIC_SITE")
    if given:
        return Path(given)
    executed = tmp_path_factory.mktemp("executed")
    out = tmp_path_factory.mktemp("site")
    scripts = harness.ROOT / "scripts"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(harness.ROOT), os.environ.get("PYTHONPATH", "")]))
    subprocess.run([sys.executable, str(scripts / "run_notebooks.py"), "--out", str(executed)],
                   check=True, env=env)
    subprocess.run([sys.executable, str(scripts / "build_static_edition.py"),
                    "--executed", str(executed), "--out", str(out)], check=True, env=env)
    return out


@pytest.fixture(scope="module")
def served(site):
    """The site on a local web server (as GitHub Pages serves it; fonts need http, not file:)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# MathJax 2 loads about:blank into a hidden frame (a request Chromium reports as failed); any
# other failed request is a file missing from the site.
MATHJAX_PROBES = ("about:blank",)


@pytest.fixture(scope="module")
def chrome():
    with harness.browser() as browser:
        yield browser


@pytest.fixture
def offline_page(chrome):
    """A page whose every request outside file:// and localhost is refused and recorded."""
    context = chrome.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.outside = []
    page.console_log = []
    page.missing = []
    page.on("requestfailed", lambda request: page.missing.append(request.url)
            if not any(probe in request.url for probe in MATHJAX_PROBES) else None)

    def route(request_route):
        url = request_route.request.url
        parts = urlparse(url)
        local = parts.scheme in ("file", "data", "blob") or parts.hostname in (
            "localhost", "127.0.0.1", "::1")
        if local:
            request_route.continue_()
        else:
            page.outside.append(url)
            request_route.abort()

    context.route("**/*", route)
    page.on("console", lambda m: page.console_log.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: page.console_log.append(f"pageerror: {e}"))
    yield page
    context.close()


def panel_pictures(notebook):
    """For each cell: (number of image outputs, [each panel's picture], the slider note's HTML)."""
    cells = []
    for cell in notebook["cells"]:
        images, panels, note = 0, [], None
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            images += "image/png" in data or "image/jpeg" in data
            marks = output.get("metadata", {}).get("cnnlab", {})
            if marks.get("panel"):
                panels.append(data["image/png"].replace("\n", ""))
            if marks.get("note") == "sliders":
                note = data["text/html"]
        cells.append((images, panels, note))
    return cells


PAGE_FACTS = """() => {
    const cells = Array.from(document.querySelectorAll('main > .jp-Cell'));
    return {
        cells: cells.map((cell) => Array.from(cell.querySelectorAll('.jp-OutputArea-output img'))
            .map((img) => ({src: img.src, loaded: img.complete && img.naturalWidth > 0,
                            alt: img.alt}))),
        text: Array.from(document.querySelectorAll('.jp-OutputArea'))
            .map((area) => area.innerText).join(' | '),
        notes: Array.from(document.querySelectorAll('.cnnlab-note')).map((note) => ({
            text: note.innerText,
            links: Array.from(note.querySelectorAll('a')).map((a) => a.href),
            cell: cells.findIndex((cell) => cell.contains(note)),
        })),
        widgets: document.querySelectorAll(
            '.jupyter-widgets, script[type="application/vnd.jupyter.widget-view+json"]').length,
        typeset: document.querySelectorAll('.MathJax, .MathJax_Display, mjx-container').length,
        mathErrors: document.querySelectorAll('.MathJax_Error, merror').length
            + (document.body.innerText.match(/Math Processing Error/g) || []).length,
    };
}"""

MATHJAX_DONE = """() => window.MathJax && window.MathJax.Hub && window.MathJax.Hub.queue
    && window.MathJax.Hub.queue.pending === 0 && !window.MathJax.Hub.queue.running"""


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_static_page_reads_offline_with_every_panel_picture(site, served, offline_page, name):
    page = offline_page
    notebook = json.loads((site / "notebooks" / name).read_text(encoding="utf-8"))
    page.goto(f"{served}/{name.replace('.ipynb', '.html')}", wait_until="load")
    try:
        page.wait_for_function(MATHJAX_DONE, timeout=60_000, polling=200)
        typesetting = "done"
    except Exception as error:  # noqa: BLE001 - reported below, after the requests
        typesetting = f"MathJax did not finish: {error}"[:300]
    facts = page.evaluate(PAGE_FACTS)
    assert page.outside == [], f"{name}: the page asked for {page.outside}"
    assert page.missing == [], f"{name}: files missing from the site: {page.missing}"
    assert typesetting == "done", f"{name}: {typesetting}"
    assert facts["mathErrors"] == 0, f"{name}: MathJax could not typeset a formula"
    for words in BAD_TEXTS:
        assert words not in facts["text"], f"{name}: {words!r} on the page"
    assert facts["widgets"] == 0, f"{name}: a widget left for a renderer the page does not have"
    expected = panel_pictures(notebook)
    assert len(facts["cells"]) == len(expected), f"{name}: cells on the page != in the notebook"
    panels, first_panel = 0, None
    for number, (shown, (images, cell_panels, _)) in enumerate(
            zip(facts["cells"], expected, strict=True), 1):
        assert len(shown) == images, f"{name} cell {number}: {len(shown)} images, want {images}"
        assert all(img["loaded"] for img in shown), f"{name} cell {number}: an image is broken"
        # Each picture says what it shows (a panel's describe, or a figure's own description),
        # not nbconvert's "No description has been provided for this image".
        assert all(img["alt"] and "No description" not in img["alt"] for img in shown), (
            f"{name} cell {number}: an image without its alt text")
        sources = [img["src"].split("base64,", 1)[-1] for img in shown]
        for picture in cell_panels:
            panels += 1
            first_panel = number if first_panel is None else first_panel
            assert picture in sources, f"{name} cell {number}: a panel without its picture"
    # One note, in the cell of the first panel, saying where the sliders move, with its links.
    if first_panel is None:
        assert facts["notes"] == [], f"{name}: a note about sliders on a page without panels"
    else:
        assert len(facts["notes"]) == 1, f"{name}: {len(facts['notes'])} notes about sliders"
        note = facts["notes"][0]
        assert note["cell"] + 1 == first_panel, f"{name}: the note is not beside the first panel"
        assert "to move their sliders" in note["text"]
        hosts = {urlparse(link).hostname for link in note["links"]}
        assert hosts == {"mybinder.org", "colab.research.google.com", "cnnlab.github.io"}, hosts
        assert all(name in link for link in note["links"]), note["links"]
    if "09_" in name:
        assert panels == 1, "lesson 09 shows its training board"
        assert "100%" in facts["text"], "lesson 09's progress bar shows the finished run"
    elif not name.startswith("11_"):
        assert panels >= 1, f"{name}: no widget panel found"
    # Built in lesson order: lessons 10 and 11 use the network lesson 09 kept.
    assert "trained it again" not in facts["text"], f"{name}: lesson 09's network did not reach it"
    assert "no saved network found" not in facts["text"], f"{name}: lesson 09's network is missing"
    if "$" in json.dumps([c["source"] for c in notebook["cells"] if c["cell_type"] == "markdown"]):
        assert facts["typeset"] > 0, f"{name}: the maths was not typeset"
    violations = a11y.axe_violations(page)
    assert violations == [], f"{name}: axe-core:\n" + "\n".join(violations)
    assert not [m for m in page.console_log if m.startswith("pageerror")], page.console_log


def test_static_index_links_every_lesson(site, served, offline_page):
    page = offline_page
    page.goto(f"{served}/index.html", wait_until="load")
    links = page.evaluate("() => Array.from(document.querySelectorAll('a')).map(a => a.href)")
    local = [urlparse(link).path for link in links if link.startswith(served)]
    for name in NOTEBOOKS:
        assert f"/{name.replace('.ipynb', '.html')}" in local, f"index.html does not link {name}"
    for path in local:
        assert (site / path.lstrip("/")).is_file(), f"broken link {path}"
    assert page.outside == [], f"index.html asked for {page.outside}"


def test_static_pages_link_lessons_to_pages_not_notebooks(site):
    for name in NOTEBOOKS:
        text = (site / name.replace(".ipynb", ".html")).read_text(encoding="utf-8")
        assert not re.findall(r'href="(?:\./)?\d\d_\w+\.ipynb', text), name


def test_png_pictures_are_real_pngs(site):
    notebook = json.loads((site / "notebooks" / NOTEBOOKS[0]).read_text(encoding="utf-8"))
    pictures = [p for _, panels, _ in panel_pictures(notebook) for p in panels]
    assert pictures and all(base64.b64decode(p)[:8] == b"\x89PNG\r\n\x1a\n" for p in pictures)


@pytest.fixture(scope="module")
def exported(site, tmp_path_factory):
    """The site's notebooks exported as a user exports a notebook: ``jupyter nbconvert --to html``
    with its default template (which takes require.js, MathJax and any widget renderer from
    CDNs: offline, none of them loads)."""
    out = tmp_path_factory.mktemp("nbconvert")
    subprocess.run([sys.executable, "-m", "nbconvert", "--to", "html", "--log-level", "ERROR",
                    "--output-dir", str(out), *[str(site / "notebooks" / n) for n in NOTEBOOKS]],
                   check=True)
    return out


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_published_notebook_exported_offline_shows_every_picture(exported, site, offline_page,
                                                                 name):
    # A reader with no widget renderer (an offline nbconvert export, an editor's preview) shows
    # every panel's PNG, never an empty widget box.
    page = offline_page
    notebook = json.loads((site / "notebooks" / name).read_text(encoding="utf-8"))
    assert "widgets" not in notebook["metadata"], f"{name}: the published notebook keeps widgets"
    page.goto((exported / name.replace(".ipynb", ".html")).as_uri(), wait_until="load")
    facts = page.evaluate(PAGE_FACTS)
    assert facts["widgets"] == 0, f"{name}: a widget box for a renderer the reader lacks"
    for number, (shown, (images, cell_panels, _)) in enumerate(
            zip(facts["cells"], panel_pictures(notebook), strict=True), 1):
        assert len(shown) == images, f"{name} cell {number}: {len(shown)} images, want {images}"
        assert all(img["loaded"] for img in shown), f"{name} cell {number}: an image is broken"
        sources = [img["src"].split("base64,", 1)[-1] for img in shown]
        assert all(picture in sources for picture in cell_panels), f"{name} cell {number}"
