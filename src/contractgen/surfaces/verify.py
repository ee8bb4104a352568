"""Checks rendered output with each surface's real consumer.

Used when a user template folder overrides built-in templates: a template that
yields invalid output fails the build with a diagnostic naming the template,
before anything is written. (The built-in templates are held to the same
consumers by the test suite, so the normal build does not pay for this.)
"""

from __future__ import annotations

from pathlib import Path

from contractgen.diagnostics import Diagnostic, error
from contractgen.surfaces import OutputFile


def _overridden(templates: Path, surface: str) -> list[str]:
    folder = templates / surface
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(templates).as_posix() for p in folder.rglob("*") if p.is_file())


def _problem(f: OutputFile) -> str | None:
    """Why the file is not accepted by its consumer, or None."""
    if f.path.endswith(".py"):
        try:
            compile(f.content, f.path, "exec")
        except SyntaxError as exc:
            return f"Python does not compile: {exc.msg} (line {exc.lineno})"
        return None
    if f.path.endswith(".graphql"):
        from graphql import GraphQLError, build_schema, parse

        try:
            if f.path.endswith("schema.graphql"):
                build_schema(f.content)
            else:
                parse(f.content)
        except GraphQLError as exc:
            return f"GraphQL SDL is invalid: {exc.message}"
        return None
    if f.path.startswith("openapi/") and f.path.endswith((".yaml", ".yml")):
        import yaml
        from openapi_spec_validator import validate

        try:
            document = yaml.safe_load(f.content)
            validate(document)
        except Exception as exc:  # the validator raises several unrelated types
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return f"OpenAPI document is invalid: {first}"
        return None
    return None


def verify(files: list[OutputFile], templates: Path) -> list[Diagnostic]:
    """Diagnostics for every output a user template made invalid."""
    diags: list[Diagnostic] = []
    cache: dict[str, list[str]] = {}
    for f in files:
        surface = f.path.split("/", 1)[0]
        overridden = cache.setdefault(surface, _overridden(templates, surface))
        if not overridden:
            continue
        problem = _problem(f)
        if problem is None:
            continue
        names = ", ".join(overridden)
        diags.append(
            error(
                "CG601",
                f"generated {f.path} is invalid: {problem}",
                str(templates / surface),
                hint=f"the override template(s) {names} produced it; nothing was written",
            )
        )
    return diags
