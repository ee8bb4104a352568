"""The TypeScript surface, checked by its consumer: tsc --strict compiles every golden
case's output and code that uses the clients (errors narrowed by ``code``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from consumers.tools import npm_tool
from consumers.tools import run as run_tool

from contractgen.load import load
from contractgen.surfaces import Options, OutputFile
from contractgen.surfaces.typescript import render, ts_comment, ts_property, ts_str

REPO = Path(__file__).resolve().parents[2]
CASES = sorted((REPO / "tests" / "golden" / "cases").glob("*/contracts"))

KEYWORDS = """\
kind: command
meta:
  key: item.{verb}
  version: "{version}"
  description: "Ends a comment */ and a string \\" and a line \\u2028 here."
  goal: Keywords.
  context: Tests.
  stability: stable
  owners: [team]
io:
  input: {name}Input
  output: null
policy:
  auth: anonymous
models:
  {name}Input:
    description: Fields named like TypeScript keywords.
    fields:
      class: {{type: String_unsecure, description: "*/ closes nothing"}}
      delete: {{type: Boolean, isOptional: true}}
      function: {{type: Int_unsecure, isArray: true, isOptional: true}}
      constructor: {{type: JSONObject, isOptional: true}}
"""

USES_METERING = """\
import { Client } from "./metering/client.js";
import type { AggregationType } from "./metering/models.js";

export async function use(): Promise<string> {
  const client = new Client({ baseUrl: "http://x", auth: () => "user", timeoutMs: 500 });
  const sum: AggregationType = "SUM";
  // @ts-expect-error: not a wire value of the enum
  const wrong: AggregationType = "sum";
  const result = await client.metricGet({ key: "k", orgId: null });
  if (result.ok) {
    return result.value.name + sum + wrong;
  }
  const error = result.error;
  switch (error.code) {
    case "METRIC_NOT_FOUND":
      return error.title;
    case "VALIDATION_FAILED":
      return error.errors.map((e) => e.detail).join();
    case "UNAUTHENTICATED":
    case "FORBIDDEN":
      return String(error.status);
    case null:
      return error.body;
    default: {
      const unreachable: never = error;
      return unreachable;
    }
  }
}
"""


def _compile(folder: Path) -> None:
    tsc = npm_tool("tsc")
    proc = run_tool([tsc, "-p", folder / "tsconfig.json", "--noEmit"], folder)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _write(files: list[OutputFile], root: Path) -> Path:
    for f in files:
        target = root / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f.content, encoding="utf-8")
    return root / "typescript"


@pytest.mark.parametrize("contracts", CASES, ids=lambda p: p.parent.name)
def test_every_golden_case_compiles_under_strict(contracts: Path, tmp_path: Path) -> None:
    result = load(contracts)
    assert result.spec is not None
    _compile(_write(render(result.spec, Options()), tmp_path))


def test_keywords_hostile_text_and_two_majors_compile(tmp_path: Path) -> None:
    root = tmp_path / "contracts" / "kw"
    root.mkdir(parents=True)
    for verb, version, name in (("make", "1.0.0", "Make"), ("make", "2.0.0", "MakeV2")):
        text = KEYWORDS.format(verb=verb, version=version, name=name)
        (root / f"item.{verb}.v{version[0]}.yaml").write_text(text, encoding="utf-8")
    result = load(tmp_path / "contracts")
    assert result.ok and result.spec is not None, result.diagnostics
    files = render(result.spec, Options())
    folder = _write(files, tmp_path / "out")
    client = (folder / "kw" / "client.ts").read_text(encoding="utf-8")
    assert "itemMake(input: m.MakeInput)" in client
    assert "itemMakeV2(input: m.MakeV2Input)" in client
    models = (folder / "kw" / "models.ts").read_text(encoding="utf-8")
    assert "  class: string;" in models and "  delete?: boolean | null;" in models
    assert "*\\/ closes nothing" in models
    _compile(folder)


def test_code_using_the_client_narrows_errors_by_code(tmp_path: Path) -> None:
    result = load(REPO / "contracts")
    assert result.spec is not None
    folder = _write(render(result.spec, Options()), tmp_path)
    (folder / "uses.ts").write_text(USES_METERING, encoding="utf-8")
    _compile(folder)


USES_ANSWERS = """\
import { Client } from "./repos/client.js";

type Stub = { status: number; body?: string; location?: string };

function client(stub: Stub, seen: RequestInit[]): Client {
  const fetch = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    seen.push(init ?? {});
    const headers: Record<string, string> = stub.location ? { Location: stub.location } : {};
    return new Response(stub.body ?? null, { status: stub.status, headers });
  };
  return new Client({ baseUrl: "http://x", auth: "t", fetch });
}

async function get(stub: Stub): Promise<string> {
  const seen: RequestInit[] = [];
  const result = await client(stub, seen).repoGet({ owner: "o", name: "n" });
  if (!result.ok) {
    return `error ${String(result.error.code)} ${seen[0]?.redirect ?? ""}`;
  }
  const reply = result.value;
  switch (reply.status) {
    case 200:
      return `200 ${reply.value.name}`;
    case 301:
      return `301 ${reply.location ?? ""} ${seen[0]?.redirect ?? ""}`;
    case 304:
      return `304 ${String(reply.value)}`;
    default: {
      const unreachable: never = reply;
      return unreachable;
    }
  }
}

async function update(stub: Stub): Promise<string> {
  const result = await client(stub, []).repoUpdate({ owner: "o", name: "n" });
  if (result.ok && result.value.status === 202) {
    return `202 ${result.value.value.jobId}`;
  }
  return result.ok ? String(result.value.status) : "error";
}

const answers = [
  await get({ status: 200, body: JSON.stringify({ id: "1", owner: "o", name: "hello" }) }),
  await get({ status: 304 }),
  await get({ status: 301, location: "/repos/o/n2" }),
  await get({ status: 302, location: "/elsewhere" }),
  await update({ status: 202, body: JSON.stringify({ jobId: "j1" }) }),
];
console.log(JSON.stringify(answers));
"""


def test_declared_answers_resolve_to_replies_by_status(tmp_path: Path) -> None:
    """The answers case compiled and run under node with a fetch of its own: each declared
    answer is a Reply narrowed by status; an undeclared redirect is a TransportFailure."""
    result = load(REPO / "tests" / "golden" / "cases" / "answers" / "contracts")
    assert result.spec is not None
    folder = _write(render(result.spec, Options()), tmp_path)
    (folder / "uses.ts").write_text(USES_ANSWERS, encoding="utf-8")
    tsc, node = npm_tool("tsc"), shutil.which("node")
    proc = run_tool([tsc, "-p", folder / "tsconfig.json"], folder)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert node is not None
    ran = run_tool([node, folder / "dist" / "uses.js"], folder)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert json.loads(ran.stdout) == [
        "200 hello",
        "304 undefined",
        "301 /repos/o/n2 manual",
        "error null manual",
        "202 j1",
    ]


def test_escaping_helpers() -> None:
    assert ts_str('a"b\u2028') == '"a\\"b\\u2028"'
    assert ts_comment("x */ y") == "/**\n * x *\\/ y\n */"
    assert ts_comment("  ") == ""
    assert (ts_property("class"), ts_property("a-b")) == ("class", '"a-b"')
    assert json.loads(ts_str("\\ \n")) == "\\ \n"
