"""The Jinja environment shared by every surface.

Templates are found first in the user's override folder (by file name), then
in the built-in templates. Undefined variables are errors, never blanks.
Where caches are allowed, compiled templates are kept on disk (Jinja checks
each one against its source), so a short build does not compile them again.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from contractgen.files import builtin_templates
from contractgen.speed import enabled

_compiled: list[Path] = []


def keep_compiled_templates(folder: Path | None) -> None:
    """Stores compiled templates in folder from now on (None: compile in memory only)."""
    if not enabled("compiled-templates"):
        folder = None
    if _compiled[:1] != ([folder] if folder else []):
        _compiled[:] = [folder] if folder else []
        environment.cache_clear()


@cache
def environment(surface: str, overrides: Path | None = None) -> jinja2.Environment:
    """A Jinja environment for one surface's templates folder."""
    bytecode = None
    if _compiled:
        try:
            _compiled[0].mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(_compiled[0]))
        except OSError:
            bytecode = None
    folders = []
    if overrides is not None and (overrides / surface).is_dir():
        folders.append(str(overrides / surface))
    folders.append(str(builtin_templates() / surface))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode,
    )
    return env


def render(
    surface: str,
    template: str,
    overrides: Path | None = None,
    filters: dict[str, Any] | None = None,
    **context: Any,
) -> str:
    env = environment(surface, overrides)
    if filters:
        env.filters.update(filters)
    return env.get_template(template).render(**context)
