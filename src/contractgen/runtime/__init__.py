"""The generator's side of serving: ``serve --mock``, ``verify`` and the CLI's glue.

The serving runtime itself (the ASGI app over REST, GraphQL and MCP, the
dispatch, authenticators, limiters, event publishers) is generated:
``contractgen_runtime.serve``, in the generated Python package, so that a
service deploys without contractgen. This package builds the mock of the
contracts on it, runs ``contractgen verify`` against an app, and runs
``contractgen serve``. The generated packages (``<output>/python``) must be
importable when these modules are imported: ``contractgen serve`` and
``verify`` put them on the path first.

For convenience the serving runtime's main names are reachable here too, imported
on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contractgen_runtime.serve import (
        Authenticator,
        Outcome,
        Service,
        anonymous,
        create_app,
        dev_authenticator,
    )

__all__ = ["Authenticator", "Outcome", "Service", "anonymous", "create_app", "dev_authenticator"]

#: The extras of ``contractgen serve`` and ``verify``, as docs/runtime.md names them.
EXTRAS_INSTALL = "pip install 'contractgen[runtime,mcp,verify]'"
#: Top-level module -> the contractgen extra that installs it.
EXTRA_OF = {
    "starlette": "runtime",
    "uvicorn": "runtime",
    "httpx": "runtime",
    "anyio": "runtime",
    "mcp": "mcp",
    "schemathesis": "verify",
    "hypothesis": "verify",
}


class ServeError(Exception):
    """Why the app cannot be served or verified (printed, exit code 2)."""


def missing_extra(exc: ModuleNotFoundError) -> str | None:
    """The one-line hint for a module that an extra installs, or None for any other."""
    top = (exc.name or "").partition(".")[0]
    extra = EXTRA_OF.get(top)
    if extra is None:
        return None
    return f"{top} is not installed: it comes with contractgen's {extra!r} extra ({EXTRAS_INSTALL})"


#: Where the serving runtime's names live.
SERVING_RUNTIME = "contractgen_runtime.serve"


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(SERVING_RUNTIME), name)
