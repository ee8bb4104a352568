"""``contractgen serve``: run the user's app or the mock of the contracts with uvicorn.

The generated Python packages (``<output>/python``) and the project folder are
put on the import path, also for ``--reload``'s worker process (through
``PYTHONPATH``); the mock is built by a factory that reads the project folder
from ``CONTRACTGEN_PROJECT``, so that a reloaded worker builds it again.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

from starlette.applications import Starlette

from contractgen.config import Config, load_config
from contractgen.load import load
from contractgen.spec.model import Spec

PROJECT_ENV = "CONTRACTGEN_PROJECT"
MOCK_FACTORY = "contractgen.runtime.serving:mock_from_environment"


class ServeError(Exception):
    """Why the app cannot be served (printed, exit code 2)."""


def spec_of(config: Config) -> Spec:
    """The configured contracts' spec, once their packages are built and importable."""
    add_import_paths(config)
    if not (config.output / "python").is_dir():
        raise ServeError(f"{config.output / 'python'} is missing: run `contractgen build` first")
    result = load(config.contracts)
    if not result.ok or result.spec is None:
        raise ServeError("the contracts have errors: run `contractgen validate`")
    return result.spec


def mock_for(config: Config, spec: Spec | None = None) -> Starlette:
    """The mock app of the configured contracts and their built packages."""
    spec = spec or spec_of(config)
    from contractgen.runtime.mock import mock_app

    return mock_app(spec, config.output)


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


#: The Authorization header of every call that ``serve --stdio`` answers.
STDIO_AUTHORIZATION_ENV = "CONTRACTGEN_AUTHORIZATION"


def app_factory(config: Config, target: str | None) -> tuple[Callable[[], Starlette], bool]:
    """What makes the app ``target`` names (``module:attr``: an app, or a function that
    makes one), or the mock when it is None; and whether each call makes a new app."""
    if target is None:
        spec = spec_of(config)
        return (lambda: mock_for(config, spec)), True
    add_import_paths(config)
    module, _, attr = target.partition(":")
    found = getattr(importlib.import_module(module), attr or "app", None)
    if isinstance(found, Starlette):
        return _checked(target, lambda: found), False
    if callable(found):
        return _checked(target, found), True
    raise ServeError(f"{target} is neither an app nor a function that makes one")


def _checked(target: str, make: Callable[[], object]) -> Callable[[], Starlette]:
    def checked() -> Starlette:
        app = make()
        if not isinstance(app, Starlette) or not hasattr(app.state, "service"):
            raise ServeError(f"{target} is not an app made by contractgen_runtime.serve.create_app")
        return app

    return checked


def served_app(config: Config, target: str | None) -> Starlette:
    """The app ``target`` names (``module:attr``), or the mock when it is None."""
    return app_factory(config, target)[0]()


def run_stdio(config: Config, target: str | None) -> None:
    """Serves the app's operations over MCP's stdio transport until stdin closes."""
    import anyio

    service = served_app(config, target).state.service
    from contractgen_runtime.serve.mcp import run_stdio as serve_stdio

    authorization = os.environ.get(STDIO_AUTHORIZATION_ENV)
    headers = {"authorization": authorization} if authorization else {}
    anyio.run(serve_stdio, service, headers)


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


def run_verify(config: Config, target: str | None, fmt: str, examples: int) -> tuple[str, bool]:
    """The verify report of the app (or the mock), and whether every check passed."""
    import yaml

    apps, fresh = app_factory(config, target)
    spec = spec_of(config)
    from contractgen.runtime.verify import render, verify

    document_path = config.output / "openapi" / "openapi.yaml"
    if not document_path.is_file():
        raise ServeError(f"{document_path} is missing: run `contractgen build` first")
    document = yaml.safe_load(document_path.read_text(encoding="utf-8"))
    findings = verify(apps, fresh, spec, document, examples)
    return render(findings, fmt), all(f.ok for f in findings)
