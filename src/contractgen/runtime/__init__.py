"""The runtime: one ASGI application serving generated registries over REST, GraphQL and MCP.

Generated code declares the tables (each domain registry's ``OPERATIONS``: key,
version, auth, models, REST route and status, GraphQL field, declared errors);
this package interprets them. Every transport goes through one dispatch
(``service.Service.call``): one auth check, one input check, one error model,
one output check. Its dependencies (starlette, uvicorn, httpx; the ``mcp``
SDK) are the ``runtime`` and ``mcp`` extras and are imported only here, never
by ``validate`` or ``build``.

The generated ``contractgen_runtime`` package (written next to the domain
packages) must be importable when these names are first used; they are
imported on first use, so that ``contractgen serve`` can put the generated
packages on the path first.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contractgen.runtime.app import create_app
    from contractgen.runtime.auth import Authenticator, anonymous, dev_authenticator
    from contractgen.runtime.service import Outcome, Service

#: Exported name -> the module that defines it.
_HOMES = {
    "Authenticator": "auth",
    "Outcome": "service",
    "Service": "service",
    "anonymous": "auth",
    "create_app": "app",
    "dev_authenticator": "auth",
}

__all__ = ["Authenticator", "Outcome", "Service", "anonymous", "create_app", "dev_authenticator"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
