"""A service deploys without the generator: the serving runtime is in the generated
package (``contractgen_runtime.serve``), and the example imports only generated
packages and their extras.

- In a fresh interpreter where importing ``contractgen``, ``jinja2`` or
  ``datamodel_code_generator`` fails, the reference service answers over REST,
  GraphQL and MCP (in-process).
- The wheel of ``generated/python``, installed with its extras into a fresh
  virtual environment without contractgen, serves an operation under uvicorn on a
  loopback port (needs pip to reach an index: CI fails without it, elsewhere it
  skips).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import venv
from pathlib import Path

import httpx
import pytest

from .support import GENERATED, REPO

#: Top-level modules of the generator that a deployed service must never need.
GENERATOR_ONLY = ("contractgen", "jinja2", "datamodel_code_generator")

BLOCKER = f"""
import importlib.abc
import sys

BLOCKED = {GENERATOR_ONLY!r}


class Blocked(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            message = f"{{name}} is not installed in a deployed service"
            raise ModuleNotFoundError(message, name=name)
        return None


sys.meta_path.insert(0, Blocked())
"""

PROGRAM = """
import asyncio
import json
import sys

sys.path[:0] = [{python!r}, {repo!r}]
import httpx

from examples.metering_service import build_app

METRIC = {{"key": "api_calls", "name": "API Calls", "unit": "calls"}}
GET = "query {{ metricGet(input: {{key: \\"api_calls\\"}}) {{ key name unit }} }}"
MCP_CALL = {{
    "jsonrpc": "2.0",
    "id": 1,
    "method": "tools/call",
    "params": {{"name": "metricGet", "arguments": {{"key": "api_calls"}}}},
}}
MCP_HEADERS = {{"Accept": "application/json, text/event-stream"}}


async def main():
    transport = httpx.ASGITransport(app=build_app())
    admin = {{"Authorization": "Bearer admin"}}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://service", headers=admin
    ) as http:
        defined = await http.post("/v1/metric/define", json=METRIC)
        got = await http.get("/v1/metric/get", params={{"key": "api_calls"}})
        missing = await http.get("/v1/metric/get", params={{"key": "nope"}})
        graphql = await http.post("/graphql", json={{"query": GET}})
        mcp = await http.post("/mcp/", json=MCP_CALL, headers=MCP_HEADERS)
    return {{
        "define": [defined.status_code, defined.json()["key"]],
        "get": [got.status_code, got.json()],
        "missing": [missing.status_code, missing.json()["code"]],
        "graphql": [graphql.status_code, graphql.json()],
        "mcp": [mcp.status_code, mcp.json()["result"]["structuredContent"]],
        "loaded": sorted(
            m for m in sys.modules if m.split(".")[0] in {blocked!r}
        ),
    }}


print(json.dumps(asyncio.run(main())))
"""


def test_the_example_serves_every_transport_without_the_generator(tmp_path: Path) -> None:
    program = BLOCKER + PROGRAM.format(
        python=str(GENERATED / "python"), repo=str(REPO), blocked=GENERATOR_ONLY
    )
    script = tmp_path / "service.py"
    script.write_text(program, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    metric = {"key": "api_calls", "name": "API Calls", "unit": "calls"}
    assert found["define"] == [201, "api_calls"]
    assert found["get"][0] == 200 and found["get"][1].items() >= metric.items()
    assert found["missing"] == [404, "METRIC_NOT_FOUND"]
    assert found["graphql"] == [200, {"data": {"metricGet": metric}}]
    assert found["mcp"][0] == 200 and found["mcp"][1].items() >= metric.items()
    assert found["loaded"] == []


def test_the_blocker_blocks(tmp_path: Path) -> None:
    """The meta-path finder above really makes the generator unimportable."""
    program = BLOCKER + "import contractgen\n"
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode != 0 and "ModuleNotFoundError" in done.stderr


def test_a_missing_extra_is_named_with_its_install(tmp_path: Path) -> None:
    """Serving GraphQL without graphql-core fails with the extra to install, not only
    Python's bare "No module named 'graphql'"."""
    blocker = BLOCKER.replace(repr(GENERATOR_ONLY), repr(("graphql",)))
    program = blocker + (
        f"import sys\nsys.path[:0] = [{str(GENERATED / 'python')!r}, {str(REPO)!r}]\n"
        "from examples.metering_service import build_app\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    last = done.stderr.strip().splitlines()[-1]
    assert done.returncode != 0
    assert last == (
        "ModuleNotFoundError: graphql is not installed: the 'graphql' extra of"
        " metering-contracts installs it (pip install 'metering-contracts[graphql]')"
    )


# -- the wheel, in a fresh virtual environment --------------------------------------------


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


SERVICE = """
from metering import GetMetricInput, MetricDefinition, Registry
from contractgen_runtime import Context
from contractgen_runtime.serve import create_app, dev_authenticator


class GetMetric:
    async def handle(self, input: GetMetricInput, ctx: Context) -> MetricDefinition:
        return MetricDefinition.model_validate(
            {
                "id": "met_1",
                "key": input.key,
                "name": "API Calls",
                "unit": "calls",
                "aggregationType": "SUM",
                "resetPeriod": "MONTHLY",
                "isActive": True,
                "createdAt": "2026-01-01T00:00:00Z",
                "updatedAt": "2026-01-01T00:00:00Z",
            }
        )


registry = Registry()
registry.register("metric.get", "1.0.0", GetMetric())
app = create_app(registry, authenticator=dev_authenticator, mcp=False)
"""


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the wheel of generated/python and its ``serve`` extra,
    and nothing of contractgen."""
    root = tmp_path_factory.mktemp("deploy")
    tree = root / "python"
    shutil.copytree(GENERATED / "python", tree)
    venv.create(root / "venv", with_pip=True)
    python = root / "venv" / "bin" / "python"
    wheel = subprocess.run(
        [python, "-m", "pip", "wheel", "--no-deps", "-q", "-w", root / "dist", tree],
        capture_output=True,
        text=True,
    )
    if wheel.returncode != 0:
        _unavailable(f"no wheel built (no index?): {wheel.stderr[-2000:]}")
    built = next((root / "dist").glob("*.whl"))
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", f"{built}[serve]"],
        capture_output=True,
        text=True,
    )
    if install.returncode != 0:
        _unavailable(f"pip could not install the wheel: {install.stderr[-2000:]}")
    return python


def test_the_wheel_serves_without_contractgen(deployed: Path, tmp_path: Path) -> None:
    python = deployed
    absent = subprocess.run(
        [python, "-c", "import importlib.util as u; print(u.find_spec('contractgen'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert absent.stdout.strip() == "None"
    (tmp_path / "service.py").write_text(SERVICE, encoding="utf-8")
    port = _free_port()
    command = [
        str(python),
        "-m",
        "uvicorn",
        "service:app",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        response = _first_answer(server, url + "/v1/metric/get?key=api_calls")
        assert response.status_code == 200, response.text
        assert response.json()["key"] == "api_calls"
        anonymous = httpx.get(url + "/v1/metric/list")
        assert anonymous.status_code == 401
        assert anonymous.headers["content-type"] == "application/problem+json"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _first_answer(server: subprocess.Popen[str], url: str) -> httpx.Response:
    """The answer of the first call that reaches the server (it needs a moment to start)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return httpx.get(url, headers={"Authorization": "Bearer admin"}, timeout=2)
        except httpx.TransportError:
            if server.poll() is not None or time.monotonic() > deadline:
                _, err = server.communicate(timeout=5)
                raise AssertionError(f"uvicorn did not serve: {err}") from None
            time.sleep(0.1)


def test_the_extras_pin_what_contractgen_pins() -> None:
    """Every extra of the generated distribution pins its packages as contractgen's own
    pyproject.toml does (one pin of each package across both)."""
    ours = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    generated = tomllib.loads((GENERATED / "python" / "pyproject.toml").read_text("utf-8"))
    pinned = {pin for pins in ours["project"]["optional-dependencies"].values() for pin in pins}
    extras = generated["project"]["optional-dependencies"]
    assert set(extras) == {"serve", "graphql", "mcp", "redis"}
    assert {pin for pins in extras.values() for pin in pins} <= pinned
    assert any(p.startswith("mcp>=1") and p.endswith("<2") for p in extras["mcp"])
