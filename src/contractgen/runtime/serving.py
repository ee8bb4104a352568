"""``contractgen serve``: run the user's app or the mock of the contracts with uvicorn.

The generated Python packages (``<output>/python``) and the project folder are
put on the import path, also for ``--reload``'s worker process (through
``PYTHONPATH``); the mock is built by a factory that reads the project folder
from ``CONTRACTGEN_PROJECT``, so that a reloaded worker builds it again.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from starlette.applications import Starlette

from contractgen.config import Config, load_config
from contractgen.load import load

PROJECT_ENV = "CONTRACTGEN_PROJECT"
MOCK_FACTORY = "contractgen.runtime.serving:mock_from_environment"


class ServeError(Exception):
    """Why the app cannot be served (printed, exit code 2)."""


def mock_for(config: Config) -> Starlette:
    """The mock app of the configured contracts and their built packages."""
    add_import_paths(config)
    from contractgen.runtime.mock import mock_app

    if not (config.output / "python").is_dir():
        raise ServeError(f"{config.output / 'python'} is missing: run `contractgen build` first")
    result = load(config.contracts)
    if not result.ok or result.spec is None:
        raise ServeError("the contracts have errors: run `contractgen validate`")
    return mock_app(result.spec, config.output)


def mock_from_environment() -> Starlette:
    """The uvicorn factory of ``serve --mock``."""
    return mock_for(load_config(Path(os.environ.get(PROJECT_ENV, "."))))


def import_paths(config: Config) -> list[str]:
    """Where the user's app and the generated packages import from."""
    return [str(config.output / "python"), str(config.base)]


def add_import_paths(config: Config) -> None:
    for path in reversed(import_paths(config)):
        if path not in sys.path:
            sys.path.insert(0, path)


def run(config: Config, target: str | None, host: str, port: int, reload: bool) -> None:
    """Serves ``target`` (``module:attr``), or the mock when it is None, until stopped."""
    import uvicorn

    paths = import_paths(config)
    add_import_paths(config)
    os.environ["PYTHONPATH"] = os.pathsep.join([*paths, os.environ.get("PYTHONPATH", "")])
    os.environ[PROJECT_ENV] = str(config.base)
    if target is None:
        if not reload:
            mock_for(config)  # fail here, with a message, rather than in the server
        uvicorn.run(MOCK_FACTORY, factory=True, host=host, port=port, reload=reload)
    else:
        uvicorn.run(target, host=host, port=port, reload=reload)
