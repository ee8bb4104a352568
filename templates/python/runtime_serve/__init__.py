"""The serving runtime: one ASGI application serving the generated registries over
REST, GraphQL and MCP.

The generated domain packages declare the tables (each registry's ``operations``:
key, version, auth, models, REST route and status, GraphQL field, declared
errors, rate limit); this package interprets them. Every transport goes
through one dispatch (``service.Service.call``): one auth check, one input
check, one error model, one output check.

Its dependencies are the distribution's extras, each imported only by the
module that needs it: ``serve`` (starlette, uvicorn) for the app and REST,
``graphql`` (graphql-core) for ``/graphql``, ``mcp`` (the official SDK) for
MCP, ``redis`` (redis-py) for the Redis Streams publisher. Importing
``contractgen_runtime`` or a domain package needs none of them, nor does
importing this package: its names are imported on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Generator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..about import DISTRIBUTION, EXTRA_OF

if TYPE_CHECKING:
    from .app import create_app, frozen_heap
    from .auth import Authenticator, anonymous, dev_authenticator
    from .limits import InMemoryLimiter, Limiter
    from .publishers import InProcess, Publisher, RedisStreams
    from .service import Outcome, Service

#: Exported name -> the module that defines it.
_HOMES = {
    "Authenticator": "auth",
    "InMemoryLimiter": "limits",
    "InProcess": "publishers",
    "Limiter": "limits",
    "Outcome": "service",
    "Publisher": "publishers",
    "RedisStreams": "publishers",
    "Service": "service",
    "anonymous": "auth",
    "create_app": "app",
    "dev_authenticator": "auth",
    "frozen_heap": "app",
}

__all__ = [
    "Authenticator",
    "InMemoryLimiter",
    "InProcess",
    "Limiter",
    "Outcome",
    "Publisher",
    "RedisStreams",
    "Service",
    "anonymous",
    "create_app",
    "dev_authenticator",
    "frozen_heap",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with extra_named():
        return getattr(importlib.import_module(f"{__name__}.{home}"), name)


@contextmanager
def extra_named() -> Generator[None, None, None]:
    """Imports under it that fail for a module one of the distribution's extras
    installs fail with a message that names the extra and its ``pip install``."""
    try:
        yield
    except ModuleNotFoundError as exc:
        top = (exc.name or "").partition(".")[0]
        extra = EXTRA_OF.get(top)
        if extra is None:
            raise
        message = (
            f"{top} is not installed: the {extra!r} extra of {DISTRIBUTION} installs it"
            f" (pip install '{DISTRIBUTION}[{extra}]')"
        )
        raise ModuleNotFoundError(message, name=exc.name) from exc
