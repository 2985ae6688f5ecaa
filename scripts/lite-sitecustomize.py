"""The browser edition's start (scripts/build_lite.py): IPython's terminal, deferred.

IPython's package imports ``IPython.terminal.embed`` (the terminal shell and prompt_toolkit)
only to offer ``IPython.embed``; the Pyodide kernel has no terminal, and that import was
0.4-0.5 s of every start in the browser.  Here the module is a stand-in until something uses
it: then the real one is imported, and takes its place.
"""

import importlib
import importlib.abc
import importlib.machinery
import sys

_DEFERRED = "IPython.terminal.embed"


def _real():
    stand_in = sys.modules.pop(_DEFERRED)
    try:
        module = importlib.import_module(_DEFERRED)
    except BaseException:
        sys.modules[_DEFERRED] = stand_in
        raise
    return module


def _embed(*args, **kwargs):
    """IPython.embed: the real one, imported now (see sitecustomize)."""
    return _real().embed(*args, **kwargs)


class _DeferredTerminal(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        if name != _DEFERRED:
            return None
        sys.meta_path.remove(self)                  # the stand-in, once; then the real one
        return importlib.machinery.ModuleSpec(name, self)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.embed = _embed
        module.__getattr__ = _attribute


def _attribute(name):
    if name.startswith("__"):         # what the import system asks of any module: not a use
        raise AttributeError(name)
    return getattr(_real(), name)


sys.meta_path.insert(0, _DeferredTerminal())
