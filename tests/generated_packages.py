"""Importing generated Python packages from a folder for the length of a test, as if
the folder were installed, then putting back what was imported before: other tests
hold classes of the packages they imported (``contractgen_runtime`` above all), and
a class of a second copy of a module is not the same class."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType


@contextmanager
def imported_from(folder: Path, *packages: str) -> Iterator[dict[str, ModuleType]]:
    """``packages`` (dotted names; ``contractgen_runtime`` always comes too) imported
    fresh from ``folder``, by name; on exit, ``sys.modules`` and ``sys.path`` are as
    they were."""
    roots = {name.split(".")[0] for name in packages} | {"contractgen_runtime"}
    saved = {m: sys.modules.pop(m) for m in list(sys.modules) if m.split(".")[0] in roots}
    sys.path.insert(0, str(folder))
    try:
        yield {name: importlib.import_module(name) for name in packages}
    finally:
        sys.path.remove(str(folder))
        for m in [m for m in sys.modules if m.split(".")[0] in roots]:
            del sys.modules[m]
        sys.modules.update(saved)
