"""What ``jupyter nbconvert --to html`` makes of an executed panel, with and without widget state.

A panel's output carries the widget view and, beside it, its picture (``image/png`` and a
``text/html`` ``<img>`` with the alt text: cnnlab/ui/widgets.py, ``_bundle``).  nbconvert keeps
one format per output: the widget view whenever the notebook's saved widget state holds its
model (nbconvert's WidgetsDataTypeFilter; ``nbconvert --execute``, VS Code and JupyterLab's
"save widget state" all save every live model), drawn by a renderer from a CDN, so offline the
panel is an empty box.  cnnlab cannot change that choice from the output (README, the
paragraph after the static edition's command); these tests pin it, and check that README's two
ways around it give one picture per panel, with its alt text.
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


def test_each_panel_output_holds_its_picture_beside_the_widget(executed):
    outputs = [output for cell in executed.cells[1:] for output in cell.outputs
               if VIEW in output.get("data", {})]
    assert len(outputs) == PANELS_SHOWN
    for output in outputs:
        assert output.data["image/png"] and output.data["text/html"].startswith("<img ")
    state = executed.metadata["widgets"][STATE]["state"]
    assert all(output.data[VIEW]["model_id"] in state for output in outputs)


def test_with_widget_state_nbconvert_writes_the_widget_and_no_picture(executed):
    body = html_of(executed)
    assert len(re.findall(f'<script type="{re.escape(VIEW)}">', body)) == PANELS_SHOWN
    assert panel_pictures(body) == []
    assert "unpkg.com/@jupyter-widgets/html-manager" in body     # the renderer, from a CDN


@pytest.mark.parametrize("workaround", ["cleared metadata", "priority without the widget"])
def test_readmes_workarounds_give_one_picture_per_panel(executed, workaround):
    if workaround == "cleared metadata":
        config = {"ClearMetadataPreprocessor": {"enabled": True}}
    else:
        config = {"NbConvertBase": {"display_data_priority": [
            "text/html", "image/png", "text/plain"]}}
    body = html_of(executed, **config)
    pictures = panel_pictures(body)
    assert len(pictures) == PANELS_SHOWN, pictures
    assert all('src="data:image/png;base64,' in tag for tag in pictures)
    assert f'<script type="{VIEW}">' not in body
