"""The Jinja environment shared by every surface.

Templates are found first in the user's override folder (by file name), then
in the built-in templates. Undefined variables are errors, never blanks.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from contractgen.files import builtin_templates


@cache
def environment(surface: str, overrides: Path | None = None) -> jinja2.Environment:
    """A Jinja environment for one surface's templates folder."""
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
