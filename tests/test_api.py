"""The public API is short, documented and runnable: ``help(cnnlab)`` is a table of contents.

Every public function of every cnnlab module has a NumPy-style docstring with its parameters,
what it returns and an example (the examples themselves run as doctests).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import cnnlab

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(cnnlab.__path__, prefix="cnnlab.")
    if not any(part.startswith("_") for part in info.name.split("."))
)


def public_functions(module):
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in dir(module) if not n.startswith("_")]
    for name in names:
        obj = getattr(module, name)
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == module.__name__:
            yield name, obj


def test_top_level_api_is_listed_and_importable():
    assert cnnlab.__all__, "cnnlab.__all__ lists the public API"
    for name in cnnlab.__all__:
        assert hasattr(cnnlab, name), name
    assert len(cnnlab.__all__) == len(set(cnnlab.__all__))
    # The package docstring is the table of contents help(cnnlab) prints first.
    for module in ("conv", "pooling", "gradcheck", "data", "train"):
        assert f"cnnlab.{module}" in cnnlab.__doc__


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_function_has_a_docstring_with_an_example(module_name):
    module = importlib.import_module(module_name)
    assert module.__doc__ and module.__doc__.strip(), f"{module_name} has no module docstring"
    missing = []
    for name, obj in public_functions(module):
        doc = inspect.getdoc(obj) or ""
        if "Examples" not in doc or ">>>" not in doc:
            missing.append(name)
        elif inspect.isfunction(obj) and inspect.signature(obj).parameters and (
            "Parameters" not in doc
        ):
            missing.append(name)
    assert not missing, f"{module_name}: no Parameters/Examples section in {missing}"

