"""What ``jupyter nbconvert --to html`` makes of an executed panel, with and without widget state.

A panel is two outputs (cnnlab/ui/widgets.py, ``show_panel``): the widget, with a line of text
for readers that cannot draw it, then its still picture (``image/png`` and a ``text/html``
``<img>`` with the alt text).  nbconvert keeps one format per output: for the widget, its view
whenever the notebook's saved widget state holds its model (nbconvert's
WidgetsDataTypeFilter; ``nbconvert --execute``, VS Code and JupyterLab's "save widget state"
all save every live model), drawn by a renderer from a CDN, so offline an empty box; the still
is a picture in every case.  So an export shows every panel's picture, with the state or
without it, online or not; where the widget renderer does load, the drawn figure hides the
still (cnnlab/ui/still.js; tests/browser/test_notebooks_in_browser.py checks that in JupyterLab).
"""

from __future__ import annotations

import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter  # needed by jupyter_server (JupyterLab), and [static]
from traitlets.config import Config

pytestmark = pytest.mark.slow

VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"
PANELS_SHOWN = 2


@pytest.fixture(scope="module")
def executed():
    """Two lesson panels, executed as ``nbconvert --execute`` does (widget state saved in the
    notebook's metadata)."""
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from cnnlab.lessons import lesson00, lesson03"),
        nbformat.v4.new_code_cell("lesson00.brightness_panel()"),
        nbformat.v4.new_code_cell("lesson03.arithmetic_panel()"),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    return notebook


def html_of(notebook, **config):
    exporter = HTMLExporter(config=Config(config))
    body, _ = exporter.from_notebook_node(nbformat.from_dict(notebook))
    return body


def panel_pictures(body):
    """The ``<img>`` tags of the exported page whose alt text is a panel's description."""
    return [tag for tag in re.findall(r"<img [^>]*>", body) if 'alt="' in tag
            and 'alt="Image"' not in tag]


def test_each_panel_is_its_widget_then_its_still_picture(executed):
    state = executed.metadata["widgets"][STATE]["state"]
    for cell in executed.cells[1:]:
        widget, still = cell.outputs
        assert set(widget.data) == {VIEW, "text/plain"}            # no picture to lose
        assert widget.data[VIEW]["model_id"] in state               # nbconvert takes the view
        mark = still.metadata["cnnlab"]["still"]
        assert widget.metadata["cnnlab"] == {"controls": mark}
        assert still.data["image/png"] and still.data["text/html"].startswith("<img ")
        assert f'data-cnnlab-still="{mark}"' in still.data["text/html"]
        # The saved FigureImage knows the same id, so a renderer that draws it hides the still.
        assert any(model["state"].get("still") == mark for model in state.values())


def test_with_widget_state_nbconvert_shows_the_widget_and_every_picture(executed):
    body = html_of(executed)
    assert len(re.findall(f'<script type="{re.escape(VIEW)}">', body)) == PANELS_SHOWN
    assert "unpkg.com/@jupyter-widgets/html-manager" in body     # the renderer, from a CDN
    pictures = panel_pictures(body)
    assert len(pictures) == PANELS_SHOWN, pictures
    assert all('src="data:image/png;base64,' in tag for tag in pictures)


def test_without_widget_state_nbconvert_shows_a_line_and_every_picture(executed):
    body = html_of(executed, ClearMetadataPreprocessor={"enabled": True})
    assert f'<script type="{VIEW}">' not in body
    assert len(panel_pictures(body)) == PANELS_SHOWN
    assert body.count("the controls of the picture below: run the notebook") == PANELS_SHOWN


def test_exported_with_widget_state_offline_every_picture_is_on_screen(executed, tmp_path):
    """The export opened in Chromium with every request outside the file refused (no CDN):
    each panel's picture is loaded and takes room on the page."""
    from tests.browser import harness

    page_file = tmp_path / "export.html"
    page_file.write_text(html_of(executed), encoding="utf-8")
    refused = []
    with harness.browser() as browser:
        context = browser.new_context()
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            "file:") else (refused.append(route.request.url), route.abort()))
        page = context.new_page()
        page.goto(page_file.as_uri(), wait_until="load")
        shown = page.evaluate("""() => Array.from(
            document.querySelectorAll('img[data-cnnlab-still]')).map((img) => ({
                loaded: img.complete && img.naturalWidth > 0,
                height: img.getBoundingClientRect().height, alt: img.alt}))""")
        context.close()
    assert any("html-manager" in url for url in refused), refused      # the CDN was refused
    assert len(shown) == PANELS_SHOWN, shown
    assert all(img["loaded"] and img["height"] > 50 and img["alt"] for img in shown), shown
