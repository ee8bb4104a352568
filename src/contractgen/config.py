"""``[tool.contractgen]`` in pyproject.toml, resolved into settings.

Paths in the table are relative to the pyproject.toml that holds it. CLI flags
override the table. Unknown keys are errors, located by line in the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from contractgen.diagnostics import Diagnostic, did_you_mean, error
from contractgen.files import CACHE_DIR, find_pyproject, read_tool_table

#: The surfaces a build can write, in the order a build lists them.
SURFACES = ("python", "openapi", "graphql", "docs", "typescript")


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class OpenAPIInfo(_Table):
    title: str = "Contracts API"
    version: str = "1.0.0"
    description: str | None = None
    servers: list[str] = ["/"]
    # Contact and licence appear only when configured (an empty text counts as unset).
    contact_name: str | None = Field(None, alias="contact-name")
    contact_url: str | None = Field(None, alias="contact-url")
    contact_email: str | None = Field(None, alias="contact-email")
    license_name: str | None = Field(None, alias="license-name")
    license_url: str | None = Field(None, alias="license-url")


class GraphQLOptions(_Table):
    #: Emit ``@specifiedBy`` on custom scalars that have a specification URL.
    specified_by: bool = Field(True, alias="specified-by")


class PythonOptions(_Table):
    """Options of the Python surface (its package per domain is generated/python/<domain>/)."""

    #: Who writes models.py: our template (fast), or datamodel-code-generator.
    models_engine: Literal["builtin", "datamodel-code-generator"] = Field(
        "builtin", alias="models-engine"
    )
    #: The distribution generated/python/pyproject.toml describes (pip install generated/python).
    name: str = Field("contracts", pattern=r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")
    version: str = "0.1.0"


class Settings(_Table):
    contracts: str = "contracts"
    output: str = "generated"
    surfaces: list[str] = list(SURFACES)
    templates: str | None = None
    python: PythonOptions = PythonOptions()
    openapi: OpenAPIInfo = OpenAPIInfo.model_validate({})
    graphql: GraphQLOptions = GraphQLOptions.model_validate({})


@dataclass
class Config:
    """Resolved settings with absolute paths."""

    base: Path
    settings: Settings
    source: Path | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def contracts(self) -> Path:
        return (self.base / self.settings.contracts).resolve()

    @property
    def output(self) -> Path:
        return (self.base / self.settings.output).resolve()

    @property
    def cache_dir(self) -> Path:
        """Where parse and build caches live (never committed)."""
        return self.base / CACHE_DIR

    @property
    def templates(self) -> Path | None:
        t = self.settings.templates
        return (self.base / t).resolve() if t else None


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith((key + " ", key + "=", f'"{key}"')):
            return number
    return 0


def load_config(start: Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    start = (start or Path.cwd()).resolve()
    try:
        pyproject, text, table = read_tool_table(start)
    except tomllib.TOMLDecodeError as exc:
        where = find_pyproject(start)
        diag = error("CG100", f"pyproject.toml is not valid TOML: {exc}", str(where))
        return Config(start, Settings(), where, [diag])
    table = {**table, **{k: v for k, v in (overrides or {}).items() if v is not None}}
    base = pyproject.parent if pyproject is not None else start
    try:
        settings = Settings.model_validate(table)
    except ValidationError as exc:
        file = str(pyproject) if pyproject else "pyproject.toml"
        return Config(base, Settings(), pyproject, _table_diagnostics(exc, text, file))
    from_cli = (overrides or {}).get("surfaces") is not None
    origin = "command line (--surface)" if from_cli or pyproject is None else str(pyproject)
    line = 0 if from_cli else _line_of(text, "surfaces")
    return Config(base, settings, pyproject, _surface_diagnostics(settings, origin, line))


def _table_diagnostics(exc: ValidationError, text: str, file: str) -> list[Diagnostic]:
    """One diagnostic per problem of the table, at the line of its key when found."""
    diags = []
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err["loc"]]
        name = ".".join(loc)
        line = _line_of(text, loc[-1]) if loc else 0
        if err["type"] == "extra_forbidden":
            code, message = "CG201", f"unknown configuration key '{name}'"
            hint = did_you_mean(loc[-1], Settings.model_fields)
        else:
            code, message, hint = "CG203", f"configuration '{name}': {err['msg']}", None
        diags.append(error(code, message, file, line, 1 if line else 0, hint))
    return diags


def _surface_diagnostics(settings: Settings, origin: str, line: int) -> list[Diagnostic]:
    """One diagnostic per surface the settings name that does not exist."""
    return [
        error(
            "CG204",
            f"unknown surface '{s}'",
            origin,
            line,
            1 if line else 0,
            did_you_mean(s, SURFACES) or "one of: " + ", ".join(SURFACES),
        )
        for s in settings.surfaces
        if s not in SURFACES
    ]
