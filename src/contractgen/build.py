"""One build (or check) of the configured surfaces: load, render, verify, write.

The command line calls this and prints the outcome; ``watch`` calls it after
every change. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from contractgen.cache import BuildCache, Target, is_fresh
from contractgen.config import Config
from contractgen.diagnostics import Diagnostic
from contractgen.memory import collector_paused
from contractgen.surfaces import OutputFile
from contractgen.write import Changes, digest


@dataclass
class Outcome:
    """What a build did. ``ok`` is false on contract, template or path errors, and
    for a check that found the output folder not current."""

    ok: bool = True
    #: The cache showed these inputs were already built and nothing was touched.
    unchanged: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[OutputFile] = field(default_factory=list)
    changes: Changes | None = None
    #: A refused output path (a template that tries to write outside the folder).
    error: str | None = None


def remember(target: Target | None, files: list[OutputFile], hashes: dict[str, str]) -> None:
    if target is not None:
        cache = BuildCache(target.base, target.output)
        cache.store(target.key, {f.path: hashes.get(f.path) or digest(f.content) for f in files})


def run(
    config: Config,
    target: Target | None,
    *,
    check: bool,
    use_cache: bool = True,
    cache_checked: bool = False,
    step: Callable[[str], None] = lambda _: None,
) -> Outcome:
    """Builds (or, with check, compares) the output folder; step() hears each phase.

    With use_cache, unchanged inputs whose output is intact mean no work
    (cache_checked says the caller already found they are not).
    """
    if use_cache and not cache_checked and is_fresh(target, check):
        return Outcome(unchanged=True)
    with collector_paused():
        return _run(config, target, check=check, use_cache=use_cache, step=step)


def _run(
    config: Config,
    target: Target | None,
    *,
    check: bool,
    use_cache: bool,
    step: Callable[[str], None],
) -> Outcome:
    import jinja2

    from contractgen.load import load
    from contractgen.surfaces import Options, render_all, template_diagnostic
    from contractgen.write import UnsafePath, compare, write

    step("loading contracts")
    result = load(config.contracts, config.cache_dir if use_cache else None, background=True)
    if not result.ok or result.spec is None:
        return Outcome(ok=False, diagnostics=result.diagnostics)
    surfaces = config.settings.surfaces
    step(f"rendering {', '.join(surfaces)} ({len(result.spec.operations)} operations)")
    try:
        files = render_all(result.spec, Options.from_config(config), surfaces)
    except jinja2.TemplateError as exc:
        return Outcome(ok=False, diagnostics=[template_diagnostic(exc)])
    if config.templates is not None:
        from contractgen.surfaces.verify import verify

        rejected = verify(files, config.templates)
        if rejected:
            return Outcome(ok=False, diagnostics=rejected, files=files)
    step(f"{'comparing' if check else 'writing'} {len(files)} files")
    try:
        if check:
            changes = compare(config.output, files)
            if changes.exact:
                remember(target, files, {})
            return Outcome(ok=changes.exact, files=files, changes=changes)
        changes = write(config.output, files)
    except UnsafePath as exc:
        return Outcome(ok=False, files=files, error=str(exc))
    remember(target, files, changes.hashes)
    return Outcome(files=files, changes=changes)
