"""The Python surface, checked by its consumers: import, mypy --strict, ruff, a real dispatch."""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from consumers.tools import npm_tool
from consumers.tools import run as run_tool
from generated_packages import imported_from
from pydantic import BaseModel, ValidationError

from contractgen.load import load
from contractgen.spec import Spec
from contractgen.surfaces import Options, OutputFile
from contractgen.surfaces.python import render
from contractgen.surfaces.python._text import docstring_body, py_str

REPO = Path(__file__).resolve().parents[2]

HOSTILE = 'Tricky: """ and \\ and {{ x }} and </script> and */ and a "quote"'

SHOP = f"""\
kind: command
meta:
  key: order.place
  version: "2.0.0"
  title: Place order
  description: {json.dumps(HOSTILE)}
  goal: "Goal with a backslash \\\\ and {{% raw %}}"
  context: Called by the shop.
  stability: beta
  owners: [shop]
io:
  input: PlaceOrderInput
  output: Order
  errors:
    OUT_OF_STOCK:
      description: 'Item is "out" of stock \\ sorry'
      http: 409
      when: '\"\"\"'
      retryable: true
policy:
  auth: user
models:
  PlaceOrderInput:
    description: {json.dumps(HOSTILE)}
    fields:
      class: {{type: String_unsecure, description: "Booking class."}}
      from: {{type: String_unsecure, isOptional: true}}
      email: {{type: EmailAddress}}
      lat: {{type: Latitude, isOptional: true}}
      emails: {{type: EmailAddress, isArray: true, isOptional: true}}
      legacyId: {{type: String_unsecure, isOptional: true, deprecated: 'Use "class"'}}
      kind: {{type: OrderKind, isOptional: true}}
      day: {{type: Date, isOptional: true}}
      note: {{type: NonEmptyString, isOptional: true}}
  Order:
    description: An order.
    fields:
      id: {{type: ID}}
      class: {{type: String_unsecure}}
enums:
  OrderKind:
    description: 'Kind */ of order'
    values: [EXPRESS, STANDARD]
"""


COUNT = """\
kind: query
meta:
  key: order.count
  version: "1.0.0"
  description: Count orders.
  goal: Count.
  context: Dashboards.
  stability: beta
  owners: [shop]
io:
  input: null
  output: Order
policy:
  auth: anonymous
"""


#: A domain that declares a standard code (FORBIDDEN) with its own wording.
VAULT = """\
kind: command
meta:
  key: vault.open
  version: "1.0.0"
  description: Open the vault.
  goal: Open.
  context: Tests.
  stability: beta
  owners: [vault]
io:
  input: null
  output: Vault
  errors:
    FORBIDDEN:
      description: Vault is sealed
      http: 403
      gqlCode: SEALED
      when: Only admins open it
      retryable: true
policy:
  auth: admin
models:
  Vault:
    description: A vault.
    fields:
      id: {type: ID, description: Vault id.}
      keeper: {type: EmailAddress}
      state: {type: VaultState, isOptional: true}
enums:
  VaultState:
    description: Whether the vault is open.
    values: [OPEN, SEALED]
"""


def _spec(root: Path) -> Spec:
    result = load(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    assert result.spec is not None
    return result.spec


def _write(out: Path, files: list[OutputFile]) -> None:
    for f in files:
        path = out / f.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f.content, encoding="utf-8")


def _shop_tree(root: Path) -> Path:
    (root / "shop").mkdir(parents=True, exist_ok=True)
    (root / "shop" / "order.place.yaml").write_text(SHOP, encoding="utf-8")
    (root / "shop" / "order.count.yaml").write_text(COUNT, encoding="utf-8")
    (root / "vault").mkdir(parents=True, exist_ok=True)
    (root / "vault" / "vault.open.yaml").write_text(VAULT, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def bundled_files() -> list[OutputFile]:
    return render(_spec(REPO / "contracts"), Options())


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory, bundled_files: list[OutputFile]) -> Path:
    """Both the bundled metering package and the hostile shop package, written out."""
    base = tmp_path_factory.mktemp("pysurface")
    shop = render(_spec(_shop_tree(base / "contracts")), Options())
    _write(base / "generated", bundled_files + shop)
    return base / "generated" / "python"


@pytest.fixture(scope="module")
def packages(out: Path) -> Iterator[dict[str, ModuleType]]:
    """The three domain packages and the runtime they share, imported together."""
    with imported_from(out, "metering", "shop", "vault", "contractgen_runtime") as modules:
        yield modules


@pytest.fixture(scope="module")
def metering(packages: dict[str, ModuleType]) -> ModuleType:
    return packages["metering"]


@pytest.fixture(scope="module")
def shop(packages: dict[str, ModuleType]) -> ModuleType:
    return packages["shop"]


@pytest.fixture(scope="module")
def vault(packages: dict[str, ModuleType]) -> ModuleType:
    return packages["vault"]


@pytest.fixture(scope="module")
def runtime(packages: dict[str, ModuleType]) -> ModuleType:
    """The shared runtime the domain packages imported."""
    return packages["contractgen_runtime"]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": ""}
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, env=env
    )


# -- layout and headers -----------------------------------------------------------


RUNTIME_MODULES = (
    "__init__",
    "about",
    "client",
    "context",
    "errors",
    "events",
    "registry",
    *(f"serve/{m}" for m in ("__init__", "app", "auth", "graphql", "limits")),
    *(f"serve/{m}" for m in ("mcp", "publishers", "rest", "service", "wire")),
)


def test_one_package_per_domain_with_every_module(bundled_files: list[OutputFile]) -> None:
    paths = [f.path for f in bundled_files]
    assert paths == sorted(
        [
            *(f"python/contractgen_runtime/{m}.py" for m in RUNTIME_MODULES),
            *(
                f"python/metering/{m}.py"
                for m in (
                    "__init__",
                    "client",
                    "errors",
                    "events",
                    "handlers",
                    "models",
                    "registry",
                )
            ),
            "python/contractgen_runtime/py.typed",
            "python/metering/py.typed",
            "python/pyproject.toml",
        ]
    )
    for f in bundled_files:
        assert "Do not edit" in f.content.splitlines()[0]
        if not f.path.endswith(".py"):  # the distribution's files
            assert f.sources == ()
            continue
        if f.path.startswith("python/contractgen_runtime/"):
            assert f.content.startswith("# Generated by contractgen: the shared runtime ")
            assert f.sources == ()
            continue
        assert f.content.startswith("# Generated by contractgen from ")
        assert f.sources and all(s.startswith("contracts/metering/") for s in f.sources)
    by_path = {f.path: f for f in bundled_files}
    assert by_path["python/metering/events.py"].sources == tuple(
        sorted(
            f"contracts/metering/events/{p.name}"
            for p in (REPO / "contracts/metering/events").iterdir()
        )
    )


def test_runtime_is_written_once_and_only_with_a_domain(tmp_path: Path) -> None:
    spec = _spec(_shop_tree(tmp_path / "contracts"))
    files = render(spec, Options())
    runtime_paths = [f.path for f in files if f.path.startswith("python/contractgen_runtime/")]
    assert runtime_paths == sorted(
        [
            *(f"python/contractgen_runtime/{m}.py" for m in RUNTIME_MODULES),
            "python/contractgen_runtime/py.typed",
        ]
    )
    folders = {"contractgen_runtime", "shop", "vault", "pyproject.toml"}
    assert {f.path.split("/")[1] for f in files} == folders
    # The runtime does not depend on the contracts.
    bundled = render(_spec(REPO / "contracts"), Options())
    assert [f for f in files if f.path in runtime_paths] == [
        f for f in bundled if f.path in runtime_paths
    ]
    empty = Spec.model_validate({"root": "."})
    assert not empty.domains
    assert render(empty, Options()) == []


def test_render_is_deterministic(bundled_files: list[OutputFile]) -> None:
    again = render(_spec(REPO / "contracts"), Options())
    assert again == bundled_files


def test_output_identical_across_hash_seeds(
    bundled_files: list[OutputFile], tmp_path: Path
) -> None:
    code = (
        "import sys, json; from pathlib import Path; from contractgen.load import load; "
        "from contractgen.surfaces import Options; from contractgen.surfaces.python import render; "
        "files = render(load(Path(sys.argv[1])).spec, Options()); "
        "print(json.dumps([[f.path, f.content] for f in files]))"
    )
    outputs = set()
    for seed in ("1", "987"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-c", code, str(REPO / "contracts")],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            check=True,
        )
        outputs.add(proc.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop()) == [[f.path, f.content] for f in bundled_files]


# -- consumers: mypy, ruff ----------------------------------------------------------


def test_generated_code_passes_mypy_strict(out: Path) -> None:
    packages = ["contractgen_runtime", "metering", "shop", "vault"]
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == packages
    proc = _run(["mypy", "--strict", "--no-incremental", *packages], out)
    assert proc.returncode == 0, proc.stdout + proc.stderr


RUFF_RULES = "E,F,W,I,B,UP,SIM,RUF"


def test_generated_code_is_ruff_clean(out: Path) -> None:
    # E501 is ignored: user text (descriptions) cannot be wrapped without changing it.
    check = _run(
        ["ruff", "check", "--isolated", "--select", RUFF_RULES, "--ignore", "E501", "."], out
    )
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = _run(["ruff", "format", "--isolated", "--check", "--diff", "."], out)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    # And ruff's default rules, as a project with no configuration of its own runs it.
    default = _run(["ruff", "check", "--isolated", "--no-cache", "."], out)
    assert default.returncode == 0, default.stdout + default.stderr


def test_generated_code_passes_pyright_strict(out: Path) -> None:
    pyright = npm_tool("pyright")
    (out / "pyrightconfig.json").write_text('{"typeCheckingMode": "strict"}')
    try:
        proc = run_tool([pyright, "--pythonpath", sys.executable], out)
    finally:
        (out / "pyrightconfig.json").unlink()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 errors, 0 warnings" in proc.stdout


# -- models ---------------------------------------------------------------------------


def test_models_cover_the_domain_and_use_python_names(metering: ModuleType) -> None:
    spec = _spec(REPO / "contracts")
    models, enums = spec.domain_types("metering")
    for name in [*models, *enums]:
        assert hasattr(metering.models, name), name
    record = metering.UsageRecord.model_validate(
        {
            "id": "ur_1",
            "metricKey": "api_calls",
            "subjectType": "org",
            "subjectId": "org_1",
            "quantity": 2.5,
            "timestamp": "2026-01-15T10:00:00Z",
            "createdAt": "2026-01-15T10:00:00Z",
        }
    )
    assert record.metric_key == "api_calls"
    assert record.timestamp.year == 2026 and record.timestamp.tzinfo is not None
    assert record.source is None
    assert record.model_dump(by_alias=True, exclude_none=True)["metricKey"] == "api_calls"
    assert [m.name for m in metering.AggregationType] == [
        "COUNT",
        "SUM",
        "AVG",
        "MAX",
        "MIN",
        "LAST",
    ]
    assert metering.AggregationType("SUM") == "SUM"
    field = metering.UsageRecord.model_fields["metric_key"]
    assert field.description == "Key of the metric the usage counts against."


def test_keyword_fields_work_by_alias_and_by_name(shop: ModuleType) -> None:
    by_alias = shop.PlaceOrderInput.model_validate({"class": "eco", "from": "x", "email": "a@b.c"})
    assert by_alias.class_ == "eco" and by_alias.from_ == "x"
    by_name = shop.PlaceOrderInput(class_="biz", email="a@b.c")
    assert by_name.class_ == "biz"
    assert by_name.model_dump(by_alias=True, exclude_none=True) == {
        "class": "biz",
        "email": "a@b.c",
    }


@pytest.mark.parametrize(
    ("extra", "bad"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"lat": -91}, "lat"),
        ({"lat": 90.5}, "lat"),
        ({"emails": ["ok@x.y", "nope"]}, "emails"),
        ({"note": ""}, "note"),
        ({"kind": "SLOW"}, "kind"),
        ({"day": "2026-13-01"}, "day"),
    ],
)
def test_scalar_constraints_reject_bad_values(
    shop: ModuleType, extra: dict[str, Any], bad: str
) -> None:
    data = {"class": "eco", "email": "a@b.c", **extra}
    with pytest.raises(ValidationError) as info:
        shop.PlaceOrderInput.model_validate(data)
    assert info.value.errors()[0]["loc"][0] == bad


def test_scalar_constraints_accept_good_values(shop: ModuleType) -> None:
    value = shop.PlaceOrderInput.model_validate(
        {
            "class": "eco",
            "email": "a@b.c",
            "lat": -90,
            "emails": ["x@y.z"],
            "kind": "EXPRESS",
            "day": "2026-01-31",
        }
    )
    assert value.lat == -90 and value.kind is shop.OrderKind.EXPRESS
    assert value.day.isoformat() == "2026-01-31"


def test_deprecated_field_is_marked(shop: ModuleType) -> None:
    field = shop.PlaceOrderInput.model_fields["legacy_id"]
    assert field.deprecated == 'Use "class"'
    value = shop.PlaceOrderInput.model_validate({"class": "e", "email": "a@b.c", "legacyId": "7"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert value.legacy_id == "7"
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)


# -- hostile text ------------------------------------------------------------------------


def test_hostile_text_survives_in_docstrings(shop: ModuleType) -> None:
    assert inspect.getdoc(shop.PlaceOrderInput) == HOSTILE
    doc = inspect.getdoc(shop.OrderPlaceV2Handler)
    assert doc is not None
    assert HOSTILE in doc.split("\n\n")
    assert "Goal: Goal with a backslash \\ and {% raw %}" in doc
    assert "OutOfStockError: OUT_OF_STOCK (409)" in doc
    assert shop.OutOfStockError.description == 'Item is "out" of stock \\ sorry'
    assert shop.OutOfStockError.when == '"""'
    assert inspect.getdoc(shop.OrderKind) == "Kind */ of order"


@pytest.mark.parametrize(
    "text",
    [
        '"""',
        "a\\b",
        'ends with quote"',
        'it\'s "both"',
        "tab\there",
        "nul\x00",
        "{{ x }}",
        "é ü \u2028",
    ],
)
def test_escaping_round_trips(text: str) -> None:
    assert eval(py_str(text)) == text
    assert eval('"""' + docstring_body(text) + '"""') == text.strip()


# -- errors ---------------------------------------------------------------------------------


def test_error_classes_and_problem_bodies(metering: ModuleType) -> None:
    err = metering.MetricNotFoundError("no metric api_calls")
    assert isinstance(err, metering.ContractError)
    assert metering.ERRORS["METRIC_NOT_FOUND"] is metering.MetricNotFoundError
    assert metering.error_class("NOPE") is metering.ContractError
    problem = err.to_problem(instance="/v1/usage/record")
    assert problem == {
        "type": "urn:contractgen:metering:error:metric-not-found",
        "title": "Metric does not exist",
        "status": 404,
        "code": "METRIC_NOT_FOUND",
        "retryable": False,
        "detail": "no metric api_calls",
        "instance": "/v1/usage/record",
    }
    ext = err.to_graphql_extensions()
    assert ext["code"] == "METRIC_NOT_FOUND" and ext["status"] == 404
    assert metering.DuplicateRecordError.http_status == 409


# -- handlers, registry, dispatch: end to end -----------------------------------------------------

RECORD_INPUT = {
    "metricKey": "api_calls",
    "subjectType": "org",
    "subjectId": "org_1",
    "quantity": 1,
}


def _record_handler(metering: ModuleType) -> Any:
    class RecordUsage:
        def __init__(self) -> None:
            self.seen: list[Any] = []

        async def handle(self, input: Any, ctx: Any) -> Any:
            self.seen.append((input, ctx))
            if input.metric_key == "missing":
                raise metering.MetricNotFoundError(f"metric {input.metric_key} is not defined")
            return metering.UsageRecord(
                id="ur_1",
                metric_key=input.metric_key,
                subject_type=input.subject_type,
                subject_id=input.subject_id,
                quantity=input.quantity,
                timestamp="2026-01-15T10:00:00Z",
                created_at="2026-01-15T10:00:00Z",
            )

    return RecordUsage()


def test_dispatch_end_to_end(metering: ModuleType) -> None:
    registry = metering.Registry()
    handler = _record_handler(metering)
    registry.register("usage.record", "1.0.0", handler)
    admin = metering.Context(subject_id="u_1", auth="admin")

    result = asyncio.run(registry.dispatch("usage.record", "1.0.0", RECORD_INPUT, admin))
    assert isinstance(result, metering.UsageRecord)
    assert result.metric_key == "api_calls" and result.quantity == 1.0
    assert isinstance(handler.seen[0][0], metering.RecordUsageInput)

    with pytest.raises(metering.ValidationFailedError) as bad:
        asyncio.run(registry.dispatch("usage.record", "1.0.0", {"metricKey": 3}, admin))
    problem = bad.value.to_problem()
    assert problem["status"] == 422 and problem["code"] == "VALIDATION_FAILED"
    pointers = {e["pointer"] for e in problem["errors"]}
    assert {"/metricKey", "/subjectType", "/subjectId", "/quantity"} <= pointers
    assert all(e["detail"] for e in problem["errors"])

    with pytest.raises(metering.MetricNotFoundError) as missing:
        asyncio.run(
            registry.dispatch(
                "usage.record", "1.0.0", {**RECORD_INPUT, "metricKey": "missing"}, admin
            )
        )
    body = missing.value.to_problem()
    assert body["status"] == 404 and body["code"] == "METRIC_NOT_FOUND"
    assert body["detail"] == "metric missing is not defined"


def test_dispatch_checks_auth_before_input(metering: ModuleType) -> None:
    registry = metering.Registry()
    registry.register("usage.record", "1.0.0", _record_handler(metering))
    with pytest.raises(metering.UnauthenticatedError) as anon:
        asyncio.run(registry.dispatch("usage.record", "1.0.0", {}, metering.Context()))
    assert anon.value.to_problem()["status"] == 401
    with pytest.raises(metering.ForbiddenError) as user:
        asyncio.run(registry.dispatch("usage.record", "1.0.0", {}, metering.Context("u", "user")))
    assert user.value.to_problem()["status"] == 403
    # A user-level query is open to service and admin callers too.
    assert metering.Context("s", "service").allows("user")
    assert not metering.Context("s", "service").allows("admin")


def test_unimplemented_operation_raises_a_clear_error(metering: ModuleType) -> None:
    registry = metering.Registry()
    admin = metering.Context("u", "admin")
    with pytest.raises(
        NotImplementedError, match=r"usage\.record version 1\.0\.0.*UsageRecordHandler"
    ):
        asyncio.run(registry.dispatch("usage.record", "1.0.0", RECORD_INPUT, admin))
    with pytest.raises(metering.OperationNotFoundError):
        asyncio.run(registry.dispatch("usage.nothing", "1.0.0", {}, admin))
    with pytest.raises(metering.OperationNotFoundError):
        registry.register("usage.record", "9.0.0", _record_handler(metering))


def test_standard_error_bodies_are_the_domains(metering: ModuleType) -> None:
    """401, 403, 404 and 422 from dispatch: the domain's classes and problem type URIs."""
    registry = metering.Registry()
    registry.register("usage.record", "1.0.0", _record_handler(metering))
    calls = [
        ("usage.nothing", {}, metering.Context("u", "admin"), metering.OperationNotFoundError),
        ("usage.record", {}, metering.Context(), metering.UnauthenticatedError),
        ("usage.record", {}, metering.Context("u", "user"), metering.ForbiddenError),
        ("usage.record", {"metricKey": 3}, metering.Context("u", "admin"), None),
    ]
    bodies = []
    for key, raw, ctx, cls in calls:
        with pytest.raises(cls or metering.ValidationFailedError) as info:
            asyncio.run(registry.dispatch(key, "1.0.0", raw, ctx))
        assert type(info.value) is (cls or metering.ValidationFailedError)
        body = info.value.to_problem(instance="/op")
        body.pop("errors", None)
        bodies.append(body)
    assert bodies == [
        {
            "type": "urn:contractgen:metering:error:operation-not-found",
            "title": "Operation not found",
            "status": 404,
            "code": "OPERATION_NOT_FOUND",
            "retryable": False,
            "detail": "no operation usage.nothing version 1.0.0",
            "instance": "/op",
        },
        {
            "type": "urn:contractgen:metering:error:unauthenticated",
            "title": "Authentication required",
            "status": 401,
            "code": "UNAUTHENTICATED",
            "retryable": False,
            "detail": "usage.record needs admin access",
            "instance": "/op",
        },
        {
            "type": "urn:contractgen:metering:error:forbidden",
            "title": "Forbidden",
            "status": 403,
            "code": "FORBIDDEN",
            "retryable": False,
            "detail": "usage.record needs admin access, caller has user",
            "instance": "/op",
        },
        {
            "type": "urn:contractgen:metering:error:validation-failed",
            "title": "Invalid input",
            "status": 422,
            "code": "VALIDATION_FAILED",
            "retryable": False,
            "detail": "4 invalid input value(s)",
            "instance": "/op",
        },
    ]


def test_handler_returning_the_wrong_type_is_an_internal_domain_error(
    metering: ModuleType,
) -> None:
    class Wrong:
        async def handle(self, input: Any, ctx: Any) -> Any:
            return 42

    registry = metering.Registry()
    registry.register("usage.record", "1.0.0", Wrong())
    admin = metering.Context("u", "admin")
    with pytest.raises(metering.ContractError) as info:
        asyncio.run(registry.dispatch("usage.record", "1.0.0", RECORD_INPUT, admin))
    assert type(info.value) is metering.ContractError
    assert info.value.to_problem() == {
        "type": "urn:contractgen:metering:error:internal",
        "title": "Internal error",
        "status": 500,
        "code": "INTERNAL",
        "retryable": False,
        "detail": "handler of usage.record returned int",
    }


def test_domains_share_the_runtime(
    runtime: ModuleType, metering: ModuleType, shop: ModuleType
) -> None:
    # One Context, one EventSink, one OperationInfo for every domain.
    for name in ("Context", "AuthLevel", "AUTH_ORDER", "EventSink", "OperationInfo"):
        assert getattr(metering, name) is getattr(runtime, name) is getattr(shop, name)
    assert metering.handlers.Context is runtime.Context  # old module paths still work
    assert metering.events.payload_json is runtime.payload_json
    assert issubclass(metering.Registry, runtime.Registry)
    assert issubclass(metering.ContractError, runtime.ContractError)
    assert metering.ContractError is not shop.ContractError
    for code, cls in runtime.STANDARD_ERRORS.items():
        assert issubclass(metering.ERRORS[code], cls)
        assert issubclass(metering.ERRORS[code], metering.ContractError)
        assert issubclass(shop.ERRORS[code], cls)
        assert not issubclass(shop.ERRORS[code], metering.ContractError)
    assert runtime.ForbiddenError().to_problem()["type"] == "urn:contractgen:error:forbidden"


def test_domain_declaring_a_standard_code_keeps_its_wording(
    runtime: ModuleType, vault: ModuleType
) -> None:
    assert issubclass(vault.ForbiddenError, runtime.ForbiddenError)
    assert vault.ForbiddenError.description == "Vault is sealed"
    registry = vault.Registry()
    with pytest.raises(vault.ForbiddenError) as info:
        asyncio.run(registry.dispatch("vault.open", "1.0.0", None, vault.Context("u", "user")))
    assert info.value.to_problem() == {
        "type": "urn:contractgen:vault:error:forbidden",
        "title": "Vault is sealed",
        "status": 403,
        "code": "FORBIDDEN",
        "retryable": True,
        "detail": "vault.open needs admin access, caller has user",
    }
    assert info.value.to_graphql_extensions() == {
        "code": "SEALED",
        "status": 403,
        "retryable": True,
    }
    # The standard codes it does not declare come from the runtime.
    assert vault.UnauthenticatedError.description == "Authentication required"


def test_operations_table_matches_the_contracts(metering: ModuleType) -> None:
    spec = _spec(REPO / "contracts")
    ops = metering.OPERATIONS
    assert set(ops) == {(o.key, o.version) for o in spec.operations_in("metering")}
    info = ops[("usage.record", "1.0.0")]
    assert info.auth == "admin" and info.input is metering.RecordUsageInput
    assert info.output is metering.UsageRecord
    for o in spec.operations_in("metering"):
        assert issubclass(ops[(o.key, o.version)].output, BaseModel)


# -- events ---------------------------------------------------------------------


def test_emit_helper_passes_key_version_and_json(metering: ModuleType) -> None:
    sent: list[tuple[str, str, dict[str, object]]] = []

    class Sink:
        def emit(self, key: str, version: str, payload: dict[str, object]) -> None:
            sent.append((key, version, payload))

    spec = _spec(REPO / "contracts")
    event = spec.event("usage.recorded", "1.0.0")
    assert event is not None
    payload_cls = metering.EVENTS[("usage.recorded", "1.0.0")]
    assert payload_cls.__name__ == event.payload
    model = spec.model(event.payload)
    data: dict[str, Any] = {}
    for f in model.fields:
        if f.optional:
            continue
        data[f.name] = {"DateTime": "2026-01-15T10:00:00Z", "Float_unsecure": 1.5}.get(
            f.type.name, "x"
        )
    metering.emit_usage_recorded(Sink(), payload_cls.model_validate(data))
    assert sent[0][0:2] == ("usage.recorded", "1.0.0")
    assert set(sent[0][2]) == set(data)


def test_operation_without_input_gets_none(shop: ModuleType) -> None:
    class Count:
        async def handle(self, input: None, ctx: Any) -> Any:
            assert input is None
            return shop.Order(id="o_1", class_="eco")

    registry = shop.Registry()
    registry.register("order.count", "1.0.0", Count())
    result = asyncio.run(registry.dispatch("order.count", "1.0.0", None, shop.Context()))
    assert result == shop.Order(id="o_1", class_="eco")
    assert shop.OPERATIONS[("order.count", "1.0.0")].input is None


# -- the optional datamodel-code-generator engine --------------------------------------


def test_datamodel_code_generator_engine_gives_equivalent_checked_models(
    tmp_path: Path, bundled_files: list[OutputFile]
) -> None:
    from contractgen.config import PythonOptions

    options = Options(
        python=PythonOptions.model_validate({"models-engine": "datamodel-code-generator"})
    )
    base = tmp_path / "dmcg"
    external = render(_spec(REPO / "contracts"), options) + render(
        _spec(_shop_tree(base / "contracts")), options
    )
    _write(base / "generated", external)
    root = base / "generated" / "python"
    proc = _run(
        ["mypy", "--strict", "--no-incremental", "contractgen_runtime", "metering", "shop"], root
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Same files, and the same public model and enum names as the built-in engine.
    assert [f.path for f in external if "metering" in f.path] == [
        f.path for f in bundled_files if "metering" in f.path
    ]
    assert [f for f in external if "contractgen_runtime" in f.path] == [
        f for f in bundled_files if "contractgen_runtime" in f.path
    ] * 2  # once per render call: the bundled tree and the shop tree
    ours = next(f.content for f in bundled_files if f.path.endswith("models.py"))
    theirs = next(f.content for f in external if f.path == "python/metering/models.py")
    assert set(_public_classes(ours)) == set(_public_classes(theirs))
    with imported_from(root, "shop.models") as modules:
        shop_models = modules["shop.models"]
        order = shop_models.PlaceOrderInput.model_validate({"class": "eco", "email": "a@b.c"})
        assert order.class_ == "eco"
        with pytest.raises(ValidationError):
            shop_models.PlaceOrderInput.model_validate({"class": "eco", "email": "nope"})


def _public_classes(source: str) -> list[str]:
    import ast

    return [n.name for n in ast.parse(source).body if isinstance(n, ast.ClassDef)]
