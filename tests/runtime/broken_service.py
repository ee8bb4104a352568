"""A metering service with two bugs, for ``contractgen verify`` to find: metric.get
answers a 500 on valid input, and usage.record's GraphQL-visible output differs from
call to call on a shared app."""

from __future__ import annotations

from typing import Any

from contractgen_runtime.serve import create_app
from starlette.applications import Starlette

from examples.metering_service import SCHEMA, build_registry  # isort: skip


class Crashing:
    async def handle(self, input: Any, ctx: Any) -> Any:
        raise RuntimeError("bug")


def app() -> Starlette:
    registry = build_registry()
    registry.register_handler("metric.get", "1.0.0", Crashing())
    return create_app(registry, graphql=SCHEMA)
