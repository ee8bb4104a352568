"""Requests per second and p50/p99 latency of usage.record over REST on loopback:
contractgen's runtime against a hand-written FastAPI endpoint, side by side in one
run, each on uvicorn with one worker; plus GraphQL requests per second of the same
mutation through the runtime. Not a test: run it on a quiet machine.

    python benchmarks/runtime_bench.py [--requests 20000] [--concurrency 32]

Needs the ``bench`` extra (fastapi). Target: at least FastAPI's throughput, with a
p99 no worse.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ADMIN = {"Authorization": "Bearer admin"}
METRIC = {"key": "api_calls", "name": "API Calls", "unit": "calls"}
RECORD = {"metricKey": "api_calls", "subjectType": "org", "subjectId": "o1", "quantity": 1}
MUTATION = "mutation($i: RecordUsageInput!) { usageRecord(input: $i) { id quantity } }"


@contextmanager
def server(factory: str) -> Iterator[str]:
    """uvicorn, one worker, serving ``benchmarks.runtime_apps:<factory>``."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        f"runtime_apps:{factory}",
        "--factory",
        "--port",
        str(port),
        "--workers",
        "1",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(command, cwd=HERE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(url + "/", timeout=0.5)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        httpx.post(url + "/v1/metric/define", json=METRIC, headers=ADMIN)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


async def load(url: str, path: str, body: dict[str, object], total: int, width: int) -> list[float]:
    """Sends ``total`` requests, at most ``width`` at a time; returns each latency (s)."""
    latencies: list[float] = []
    remaining = iter(range(total))
    limits = httpx.Limits(max_connections=width, max_keepalive_connections=width)
    async with httpx.AsyncClient(base_url=url, headers=ADMIN, limits=limits) as client:

        async def worker() -> None:
            for _ in remaining:
                start = time.perf_counter()
                response = await client.post(path, json=body)
                latencies.append(time.perf_counter() - start)
                if not response.is_success:
                    raise RuntimeError(f"{path}: {response.status_code} {response.text}")

        await asyncio.gather(*(worker() for _ in range(width)))
    return latencies


def measure(
    name: str, url: str, path: str, body: dict[str, object], args: argparse.Namespace
) -> float:
    asyncio.run(load(url, path, body, min(1000, args.requests), args.concurrency))  # warm-up
    start = time.perf_counter()
    latencies = asyncio.run(load(url, path, body, args.requests, args.concurrency))
    rate = len(latencies) / (time.perf_counter() - start)
    cuts = statistics.quantiles(latencies, n=100)
    p50, p99 = cuts[49] * 1000, cuts[98] * 1000
    print(f"{name:32} {rate:9.0f} req/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    with server("contract_app") as url:
        ours = measure("contractgen REST usage.record", url, "/v1/usage/record", RECORD, args)
        graphql: dict[str, object] = {"query": MUTATION, "variables": {"i": RECORD}}
        measure("contractgen GraphQL usageRecord", url, "/graphql", graphql, args)
    with server("fastapi_app") as url:
        theirs = measure("FastAPI REST usage.record", url, "/v1/usage/record", RECORD, args)
    print(f"throughput ratio (contractgen / FastAPI): {ours / theirs:.2f}x (target >= 1.0x)")
    return 0 if ours >= theirs else 1


if __name__ == "__main__":
    sys.exit(main())
