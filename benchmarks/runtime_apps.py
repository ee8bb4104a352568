"""The two apps ``runtime_bench.py`` serves: usage.record through contractgen's runtime,
and the same endpoint hand-written with FastAPI, over the same pydantic models and the
same in-memory handler (examples/metering_service.py)."""

import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
for _path in (REPO / "generated" / "python", REPO):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from contractgen_runtime.serve import dev_authenticator  # noqa: E402
from metering import DefineMetricInput, RecordUsageInput, UsageRecord  # noqa: E402

from examples.metering_service import Store, Usage, build_app  # noqa: E402

METRIC = DefineMetricInput(key="api_calls", name="API Calls", unit="calls")


def contract_app() -> Any:
    """The reference service (every operation; the benchmark calls usage.record)."""
    return build_app()


def contract_app_unfrozen() -> Any:
    """The reference service with the collector left alone (``freeze_heap=False``):
    what the runtime's frozen heap gains (``runtime_bench.py --unfrozen``)."""
    return build_app(freeze_heap=False)


def fastapi_app() -> Any:
    """usage.record written by hand with FastAPI, on the same handler and models."""
    from fastapi import FastAPI, HTTPException, Request

    from examples.metering_service import Metrics

    store = Store()
    usage = Usage(store)
    app = FastAPI()

    async def define(request: Request) -> dict[str, str]:
        await Metrics(store).define(METRIC, dev_authenticator(request.headers))
        return {"ok": "yes"}

    async def record(body: RecordUsageInput, request: Request) -> UsageRecord:
        ctx = dev_authenticator(request.headers)
        if ctx.auth != "admin":
            raise HTTPException(status_code=403)
        return await usage.record(body, ctx)

    app.post("/v1/metric/define")(define)
    app.post(
        "/v1/usage/record",
        status_code=201,
        response_model=UsageRecord,
        response_model_by_alias=True,
        response_model_exclude_none=True,
    )(record)
    return app
