"""cnnlab.course: what the machine offers (PyTorch optional); the links are in
tests/lessons/test_course_links.py."""

from __future__ import annotations

import sys

import pytest
from bad_inputs import assert_refused, rows

from cnnlab import course


def test_import_torch_without_torch_prints_one_line(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "torch", None)
    torch, nn, functional = course.import_torch()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and "PyTorch is not installed" in lines[0]
    assert torch is None and functional is None

    class Model(nn.Module):            # defining a model still works; using it explains why not
        pass

    with pytest.raises(ImportError, match="pip install torch"):
        Model()
    assert course.have(None, "do a thing") is False
    assert capsys.readouterr().out == "skipped (no PyTorch): this cell would do a thing\n"



def test_import_torch_with_torch_returns_its_modules(capsys):
    torch = pytest.importorskip("torch")
    got, nn, functional = course.import_torch()
    assert got is torch and nn is torch.nn and functional is torch.nn.functional
    assert capsys.readouterr().out.startswith(f"PyTorch {torch.__version__} (")
    assert course.have(torch, "do a thing") is True
    assert capsys.readouterr().out == ""


# ---- the bad-input table (tests/bad_inputs.py): (what, call, error, word in the message) ----

BAD_ROWS = [
    ("have what None", lambda: course.have(None, None), TypeError, "what"),
    ("have what number", lambda: course.have(None, 3), TypeError, "what"),
    ("have what empty", lambda: course.have(None, ""), TypeError, "what"),
    ("have what bool", lambda: course.have(None, True), TypeError, "what"),
    ("have what list", lambda: course.have(None, ["compare"]), TypeError, "what"),
    ("colab_url number", lambda: course.colab_url(3), ValueError, "notebook"),
    ("colab_url no suffix", lambda: course.colab_url("00_start_here"), ValueError, "notebook"),
]


@pytest.mark.parametrize(("call", "error", "word"), rows("course", BAD_ROWS))
def test_bad_input_is_refused_with_a_message_naming_it(call, error, word):
    assert_refused(call, error, word)
