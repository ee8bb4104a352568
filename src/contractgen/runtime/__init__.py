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

#: Where the serving runtime's names live.
SERVING_RUNTIME = "contractgen_runtime.serve"


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(SERVING_RUNTIME), name)
