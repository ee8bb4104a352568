"""Incremental builds give byte for byte what a clean build gives.

A property test drives random sequences of edits (descriptions, fields, types
that cross domains, contracts and models added, removed and renamed, a broken
file and its repair) through one output folder built with caches, and after
every edit compares it, manifest included, with a clean build of the same
contracts into a fresh folder.
"""

from __future__ import annotations

import marshal
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractgen import build
from contractgen.build import Outcome
from contractgen.config import load_config
from contractgen.files import scan_output
from contractgen.speed import incremental
from contractgen.speed.cache import BuildCache, build_target
from contractgen.surfaces import SURFACE_NAMES

FIXTURE = Path(__file__).parent / "fixtures" / "crossdomain" / "contracts"


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class Project:
    """A project folder built with caches, and a way to build its contracts cleanly."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.contracts = base / "contracts"
        shutil.copytree(FIXTURE, self.contracts)
        (base / "pyproject.toml").write_text("[tool.contractgen]\n")
        self.incremental_runs = 0

    def build(self, use_cache: bool = True, output: str = "generated") -> Outcome:
        overrides: dict[str, Any] = {"output": output}
        config = load_config(self.base, overrides)
        target = build_target(self.base, overrides)
        return build.run(config, target, check=False, use_cache=use_cache)

    def clean_tree(self) -> tuple[Outcome, dict[str, bytes]]:
        shutil.rmtree(self.base / "clean", ignore_errors=True)
        outcome = self.build(use_cache=False, output="clean")
        return outcome, _tree(self.base / "clean")

    # -- edits -------------------------------------------------------------------

    def files(self, pattern: str = "*.yaml") -> list[Path]:
        return sorted(self.contracts.rglob(pattern))

    def edit(self, path: Path, change: Callable[[dict[str, Any]], None]) -> None:
        data = yaml.safe_load(path.read_text())
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False))


def _models_files(p: Project) -> list[Path]:
    return [f for f in p.files() if yaml.safe_load(f.read_text()).get("models")]


def _op_files(p: Project) -> list[Path]:
    return [f for f in p.files() if yaml.safe_load(f.read_text())["kind"] in ("command", "query")]


def _model_names(p: Project) -> list[str]:
    names: list[str] = []
    for f in _models_files(p):
        names += list(yaml.safe_load(f.read_text())["models"])
    return sorted(names)


def edit_description(p: Project, n: int, text: str) -> None:
    files = p.files()
    target = files[n % len(files)]

    def change(data: dict[str, Any]) -> None:
        if "meta" in data:
            data["meta"]["description"] = text
        else:
            section: dict[str, Any] = data["models"] if data.get("models") else data["enums"]
            first = sorted(section)[0]
            section[first]["description"] = text

    p.edit(target, change)


def add_field(p: Project, n: int, text: str) -> None:
    files = _models_files(p)
    target = files[n % len(files)]

    def change(data: dict[str, Any]) -> None:
        name = sorted(data["models"])[n % len(data["models"])]
        data["models"][name]["fields"][f"extra{n}"] = {"type": "String", "description": text}

    p.edit(target, change)


def retype_field(p: Project, n: int, text: str) -> None:
    """Points a field at another model, often one of another domain."""
    files = _models_files(p)
    target = files[n % len(files)]
    names = _model_names(p)

    def change(data: dict[str, Any]) -> None:
        model = sorted(data["models"])[n % len(data["models"])]
        other = names[(n * 7) % len(names)]
        data["models"][model]["fields"][f"link{n}"] = {"type": other, "isOptional": True}

    p.edit(target, change)


def add_operation(p: Project, n: int, text: str) -> None:
    domain = sorted(d.name for d in p.contracts.iterdir())[n % 4]
    names = _model_names(p)
    (p.contracts / domain / f"extra{n}.get.yaml").write_text(
        yaml.safe_dump(
            {
                "kind": "query",
                "meta": {
                    "key": f"extra{n}.get",
                    "version": "1.0.0",
                    "description": text,
                    "goal": "Test incremental builds.",
                    "context": "A property test.",
                    "stability": "beta",
                    "owners": ["team.test"],
                },
                "io": {"input": None, "output": names[n % len(names)]},
                "policy": {"auth": "user"},
            },
            sort_keys=False,
        ).replace("input: null\n", "")
    )


def remove_operation(p: Project, n: int, text: str) -> None:
    ops = _op_files(p)
    if len(ops) > 2:
        ops[n % len(ops)].unlink()


def rename_operation(p: Project, n: int, text: str) -> None:
    ops = _op_files(p)
    source = ops[n % len(ops)]
    source.rename(source.with_name(f"renamed{n}-{source.name}"))


def add_model(p: Project, n: int, text: str) -> None:
    files = _models_files(p)
    target = files[n % len(files)]

    def change(data: dict[str, Any]) -> None:
        data["models"][f"Added{n}"] = {"description": text, "fields": {"v": {"type": "Int"}}}

    p.edit(target, change)


def describe_field(p: Project, n: int, text: str) -> None:
    files = _models_files(p)
    target = files[n % len(files)]

    def change(data: dict[str, Any]) -> None:
        model = data["models"][sorted(data["models"])[n % len(data["models"])]]
        field = model["fields"][sorted(model["fields"])[n % len(model["fields"])]]
        field["description"] = text

    p.edit(target, change)


def edit_output_in_place(p: Project, n: int, text: str) -> None:
    """Someone edits a generated file in place (the build must put it right), and
    changes a contract description too."""
    outputs = [
        f for f in sorted((p.base / "generated").rglob("*")) if f.is_file() and f.name[0] != "."
    ]
    if outputs:
        with open(outputs[n % len(outputs)], "r+b") as handle:
            handle.write(b"edited in place")
    edit_description(p, n, text)


#: Edits that keep names and references (an incremental build renders a few
#: domains) come twice, so that sequences often chain several of them.
EDITS = [
    edit_output_in_place,
    edit_description,
    edit_description,
    describe_field,
    describe_field,
    add_field,
    add_field,
    retype_field,
    add_operation,
    remove_operation,
    rename_operation,
    add_model,
]
texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=30
).map(lambda s: s.strip() or "plain")


@pytest.fixture
def allow_caches(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("CONTRACTGEN_NO_CACHE", raising=False)
    yield


def _compare(p: Project) -> None:
    outcome = p.build()
    clean, expected = p.clean_tree()
    assert outcome.ok == clean.ok
    assert [str(d) for d in outcome.diagnostics] == [str(d) for d in clean.diagnostics]
    if outcome.ok:
        assert _tree(p.base / "generated") == expected
        # The build cache describes the folder exactly (an incremental build
        # records sizes and times it knows without scanning the folder).
        target = build_target(p.base, {"output": "generated"})
        assert target is not None
        record = BuildCache(target.base, target.output).read()
        assert record.stats == scan_output(target.output)
        assert record.hashes.keys() == record.stats.keys()


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(EDITS), st.integers(0, 50), texts), min_size=1, max_size=6
    )
)
def test_random_edits_build_as_clean_builds(
    tmp_path_factory: pytest.TempPathFactory, allow_caches: None, steps: list[Any]
) -> None:
    p = Project(tmp_path_factory.mktemp("incremental"))
    assert p.build().ok
    for edit, n, text in steps:
        edit(p, n, text)
        _compare(p)


def test_a_description_edit_renders_only_the_domains_that_read_it(
    tmp_path: Path, allow_caches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The state is written before each build returns, so that the next one finds it
    # however loaded the machine is (from a detached process, it may come late).
    monkeypatch.setenv("CONTRACTGEN_SPEED_OFF", "background")
    p = Project(tmp_path)
    assert p.build().ok
    plans: list[incremental.Plan | None] = []
    real_plan = incremental.plan

    def spy(target: Any) -> incremental.Plan | None:
        found = real_plan(target)
        plans.append(found)
        return found

    monkeypatch.setattr(incremental, "plan", spy)
    full_runs: list[int] = []
    real_build = build._build

    def count(*args: Any) -> Outcome | None:
        _config, _target, _check, use_cache, _step, plan = args
        if use_cache and plan is None:  # a whole build, but not the clean one compared with
            full_runs.append(1)
        return real_build(*args)

    monkeypatch.setattr(build, "_build", count)

    edit_description(p, 0, "A new description of the billing models.")  # billing/models.yaml
    _compare(p)
    assert plans[-1] is not None and plans[-1].domains == {"billing"}
    assert not full_runs

    order = p.contracts / "orders" / "order.place.yaml"
    p.edit(order, lambda d: d["meta"].update(description="Places an order, edited."))
    _compare(p)
    assert plans[-1] is not None and plans[-1].domains == {"orders", "billing"}
    assert not full_runs

    # The catalog is read by every domain but reports.
    p.edit(
        p.contracts / "catalog" / "models.yaml",
        lambda d: d["models"]["Money"].update(description="Money, edited."),
    )
    _compare(p)
    assert plans[-1] is not None and plans[-1].domains == {"catalog", "orders", "billing"}
    assert not full_runs

    # A new reference across domains changes what depends on what: a full build.
    retype_field(p, 3, "")
    _compare(p)
    assert full_runs


def test_every_surface_is_covered() -> None:
    assert set(load_config(FIXTURE.parent).settings.surfaces) == set(SURFACE_NAMES)


def test_texts_edited_in_place_patch_the_merged_document(
    tmp_path: Path, allow_caches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Description edits of varying length, one after another: the merged OpenAPI
    document is the previous one patched where the texts stand (it is not assembled),
    and every text of the other domains is found again where it moved to."""
    from contractgen.surfaces import openapi

    p = Project(tmp_path)
    assert p.build().ok
    assembled: list[int] = []
    real_assemble = openapi.assemble

    def count(*args: Any) -> Any:
        assembled.append(1)
        return real_assemble(*args)

    monkeypatch.setattr(openapi, "assemble", count)
    order = p.contracts / "orders" / "order.place.yaml"
    for text in ("Places an order.", "Places one order, at once, with everything it needs.", "x"):

        def describe(data: dict[str, Any], text: str = text) -> None:
            data["meta"]["description"] = text

        p.edit(order, describe)
        _compare(p)
        edit_description(p, 0, text * 3)  # billing/models.yaml: a later place in the file
        _compare(p)
    assert len(assembled) == 6  # the clean builds compared with, only


def test_field_descriptions_edited_in_place_patch_the_merged_schema(
    tmp_path: Path, allow_caches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Field and operation descriptions of varying length, in two domains: the merged
    GraphQL schema is the previous one patched where the type definitions and root
    fields stand (it is not assembled), and every other text is found again where it
    moved to."""
    from contractgen.surfaces import graphql

    p = Project(tmp_path)
    assert p.build().ok
    assembled: list[int] = []
    real_assemble = graphql.assemble

    def count(*args: Any) -> Any:
        assembled.append(1)
        return real_assemble(*args)

    monkeypatch.setattr(graphql, "assemble", count)
    order = p.contracts / "orders" / "order.place.yaml"
    for text in ("A field.", "A field, described at length, with every detail it has.", "x"):

        def describe(data: dict[str, Any], text: str = text) -> None:
            data["meta"]["description"] = text

        describe_field(p, 0, text)
        _compare(p)
        describe_field(p, 3, text * 2)  # a model file of another domain
        _compare(p)
        p.edit(order, describe)  # a root field (Mutation)
        _compare(p)
    assert len(assembled) == 9  # the clean builds compared with, only


def test_an_edit_patches_the_manifest_unless_it_was_edited_by_hand(
    tmp_path: Path, allow_caches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an edit, the manifest is the previous one with the changed hashes written
    over (it is not made again); one edited by hand since is made whole."""
    from contractgen import write

    monkeypatch.setenv("CONTRACTGEN_SPEED_OFF", "background")  # (the state, before the edit)
    p = Project(tmp_path)
    assert p.build().ok
    made: list[int] = []
    real_manifest = write._manifest

    def count(placed: Any) -> Any:
        made.append(1)
        return real_manifest(placed)

    monkeypatch.setattr(write, "_manifest", count)
    order = p.contracts / "orders" / "order.place.yaml"
    p.edit(order, lambda d: d["meta"].update(description="Places an order, edited."))
    _compare(p)
    assert len(made) == 1  # the clean build compared with, only
    manifest = p.base / "generated" / write.MANIFEST
    manifest.write_text(manifest.read_text().replace('"contractgen"', '"edited"', 1))
    p.edit(order, lambda d: d["meta"].update(description="Places an order, edited again."))
    _compare(p)
    assert len(made) == 3


def test_domain_records_are_read_only_for_the_domains_an_edit_touches(
    tmp_path: Path, allow_caches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each domain's summary and facts parts are records (marshal bytes) in the state;
    an edit decodes those of the domains it renders and carries the others as they
    were, byte for byte."""
    import marshal

    monkeypatch.setenv("CONTRACTGEN_SPEED_OFF", "background")  # (the state, before the edit)
    p = Project(tmp_path)
    assert p.build().ok

    def state() -> dict[str, Any]:
        target = build_target(p.base, {"output": "generated"})
        assert target is not None
        found = incremental.read_state(target)
        assert found is not None
        return found

    before = state()
    assert all(isinstance(record, bytes) for record in before["domains"].values())
    edit_description(p, 0, "A new description of the billing models.")  # billing/models.yaml
    _compare(p)
    after = state()
    assert after["layout"] == before["layout"]
    for d, record in after["domains"].items():
        assert marshal.loads(record) == marshal.loads(before["domains"][d])
        if d not in ("billing", "orders"):  # (the domains loaded for the edit)
            assert record == before["domains"][d]
    for surface, stored in after["surfaces"].items():
        assert stored["parts"] == before["surfaces"][surface]["parts"]


def test_many_patches_in_a_row_read_every_record_where_its_texts_moved(
    tmp_path: Path, allow_caches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A spliced surface keeps each domain's piece as a record, read only when an
    edit renders that domain again, its places moved by the patches made since:
    more patches in a row than the state keeps moves of (then every record is
    written afresh), in two domains in turn, each build as a clean one."""
    from contractgen.speed import splice
    from contractgen.surfaces import graphql, openapi

    monkeypatch.setenv("CONTRACTGEN_SPEED_OFF", "background")  # (the state, before each edit)
    p = Project(tmp_path)
    assert p.build().ok
    assembled: list[int] = []
    for module in (graphql, openapi):
        real = module.assemble

        def count(*args: Any, real: Any = real) -> Any:
            assembled.append(1)
            return real(*args)

        monkeypatch.setattr(module, "assemble", count)
    order = p.contracts / "orders" / "order.place.yaml"
    compared = 0
    for n in range(splice.MOVES + 2):
        text = "Places an order" + ", at once" * (n % 3) + "."

        def describe(data: dict[str, Any], text: str = text) -> None:
            data["meta"]["description"] = text

        p.edit(order, describe)
        _compare(p)
        describe_field(p, 3, text * (n % 2 + 1))  # a model file of another domain
        _compare(p)
        compared += 2
    assert len(assembled) == 2 * compared  # the clean builds compared with, only
    target = build_target(p.base, {"output": "generated"})
    assert target is not None
    state = incremental.read_state(target)
    assert state is not None
    assert 0 < len(state["surfaces"]["openapi"]["moves"]) < splice.MOVES


def test_an_edit_reads_the_summaries_and_parts_of_the_domains_it_loads_only(
    tmp_path: Path, allow_caches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state is an index and records that stand after it: an edit reads the
    records it needs where the index says they stand, and of the summaries, facts
    parts and output files only those of the domains it loads (with the merged
    files': the others' files stay in the folder as they are)."""
    monkeypatch.setenv("CONTRACTGEN_SPEED_OFF", "background")
    p = Project(tmp_path)
    assert p.build().ok
    read: list[tuple[int, int]] = []
    saving: list[int] = []  # (writing the next state reads every record: not counted)
    real_read, real_save = incremental._Source.read, incremental.save_state

    def spy(source: incremental._Source, where: tuple[int, int]) -> bytes:
        if not saving:
            read.append(where)
        return real_read(source, where)

    def save(*args: Any) -> None:
        saving.append(1)
        real_save(*args)

    monkeypatch.setattr(incremental._Source, "read", spy)
    monkeypatch.setattr(incremental, "save_state", save)
    target = build_target(p.base, {"output": "generated"})
    assert target is not None
    state = incremental.read_state(target)
    assert state is not None
    index = state["domains"].where, {s: v["parts"].where for s, v in state["surfaces"].items()}
    outputs = dict(state["outputs"].where)
    state["source"].close()
    edit_description(p, 0, "A new description of the billing models.")  # billing/models.yaml
    _compare(p)
    summaries, parts = index
    assert {d for d, where in summaries.items() if where in read} == {"billing"}
    for surface, where_of in parts.items():
        assert {d for d, where in where_of.items() if where in read} == {"billing"}, surface
    assert {d for d, where in outputs.items() if where in read} == {"", "billing"}


@pytest.mark.parametrize("damage", ["empty", "short", "long", "garbage", "old"])
def test_a_damaged_state_means_a_full_build(
    tmp_path: Path, allow_caches: None, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    """A state file cut short, grown, overwritten or of the earlier layout (one
    ``marshal`` value) is not used: the edit builds in full, as a clean build."""
    import marshal

    monkeypatch.setenv("CONTRACTGEN_SPEED_OFF", "background")
    p = Project(tmp_path)
    assert p.build().ok
    target = build_target(p.base, {"output": "generated"})
    assert target is not None
    path = incremental._state_path(target)
    data = path.read_bytes()
    path.write_bytes(
        {
            "empty": b"",
            "short": data[:-1],
            "long": data + b"\0",
            "garbage": b"\xff" * 64,
            "old": marshal.dumps({"format": incremental.STATE_FORMAT - 1}),
        }[damage]
    )
    assert incremental.read_state(target) is None
    plans: list[incremental.Plan | None] = []
    real_plan = incremental.plan

    def spy(t: Any) -> incremental.Plan | None:
        plans.append(real_plan(t))
        return plans[-1]

    monkeypatch.setattr(incremental, "plan", spy)
    edit_description(p, 0, "Billing models, described again.")
    _compare(p)
    assert plans == [None]
    found = incremental.read_state(target)  # (the full build wrote a good one)
    assert found is not None
    found["source"].close()


def _inodes(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.mark.parametrize("exchanges", [True, False])
def test_an_edit_renames_only_the_files_it_changed_into_the_folder(
    tmp_path: Path, allow_caches: None, monkeypatch: pytest.MonkeyPatch, exchanges: bool
) -> None:
    """No staging tree: the folder stays the same folder and the files the edit did
    not change are not touched (with the files exchanged into place, or, where the
    platform cannot, renamed over the old ones)."""
    from contractgen import portable, write

    monkeypatch.setenv("CONTRACTGEN_SPEED_OFF", "background")
    if not exchanges:  # (a platform without renameat2)
        monkeypatch.setattr(portable, "_libc_renameat2", lambda: None)
    p = Project(tmp_path)
    assert p.build().ok
    out = p.base / "generated"
    folder, before = out.stat().st_ino, _inodes(out)
    staged: list[int] = []
    monkeypatch.setattr(write.Staging, "__enter__", lambda self: staged.append(1))
    edit_description(p, 0, "A new description of the billing models.")  # billing/models.yaml
    outcome = p.build()
    assert outcome.ok and outcome.changes is not None and not staged
    after = _inodes(out)
    changed = {rel for rel in after if after[rel] != before[rel]}
    assert set(outcome.changes.stale) | {write.MANIFEST} == changed
    assert any(rel.startswith("python/") for rel in changed)
    assert out.stat().st_ino == folder
    assert not list(p.base.glob(".generated.contractgen-patch-*"))
    assert outcome.count == len(before) - 1  # (the manifest)
    assert outcome.changes.hashes.keys() == set(outcome.changes.stale)
    monkeypatch.undo()
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("CONTRACTGEN_NO_CACHE", raising=False)
    _compare(p)


@pytest.mark.parametrize("renamed", [0, 1])
def test_a_build_killed_while_renaming_is_completed_then_built_in_full(
    tmp_path: Path, allow_caches: None, monkeypatch: pytest.MonkeyPatch, renamed: int
) -> None:
    """Killed after its journal, with none or one of its files renamed in: the next
    build renames the rest in (the folder is never left half patched) and builds the
    whole tree (what its scan found no longer holds)."""
    from contractgen import write

    monkeypatch.setenv("CONTRACTGEN_SPEED_OFF", "background")
    p = Project(tmp_path)
    assert p.build().ok
    real_exit, real_rename = write.InPlace.__exit__, os.replace

    def killed(self: write.InPlace, *exc: object) -> None:
        self._lock.__exit__(None, None, None)  # (a killed process cleans nothing up)

    def rename_one(self: write.InPlace, moves: list[str]) -> None:
        if renamed:
            real_rename(f"{self.patch}/{write._quoted(moves[0])}", f"{self.out}/{moves[0]}")
        raise KeyboardInterrupt

    monkeypatch.setattr(write.InPlace, "__exit__", killed)
    monkeypatch.setattr(write.InPlace, "_rename_in", rename_one)
    edit_description(p, 0, "A new description of the billing models.")
    with pytest.raises(KeyboardInterrupt):
        p.build()
    assert len(list(p.base.glob(".generated.contractgen-patch-*"))) == 1
    monkeypatch.setattr(write.InPlace, "__exit__", real_exit)
    monkeypatch.undo()
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("CONTRACTGEN_NO_CACHE", raising=False)
    monkeypatch.setenv("CONTRACTGEN_SPEED_OFF", "background")
    whole: list[int] = []
    real_build = build._build

    def count(*args: Any) -> Outcome | None:
        outcome = real_build(*args)
        if args[0].output.name == "generated":  # (not the clean build compared with)
            whole.append(args[-1] is None and outcome is not None)
        return outcome

    monkeypatch.setattr(build, "_build", count)
    _compare(p)
    # The first build after: the whole tree, once its plan found the folder changed
    # (the scan is asked only before the folder is touched, after recover).
    assert whole == [False, True], whole
    assert not list(p.base.glob(".generated.contractgen-patch-*"))


@pytest.mark.parametrize("by_hand", [False, True])
def test_the_scan_goes_on_while_an_edit_renders_and_is_asked_before_the_folder(
    tmp_path: Path, allow_caches: None, monkeypatch: pytest.MonkeyPatch, by_hand: bool
) -> None:
    """As on the command line, a forked child scans the folder while the edit loads
    and renders; the verdict is asked only before anything is renamed in. A file of
    another domain edited by hand means the whole tree is built (and restored)."""
    from contractgen.speed import cache

    monkeypatch.setenv("CONTRACTGEN_SPEED_OFF", "background")  # (the state, before the edit)
    p = Project(tmp_path)
    assert p.build().ok
    other = p.base / "generated" / "python" / "reports" / "models.py"
    if by_hand:
        other.write_text(other.read_text() + "# edited by hand\n")
    events: list[str] = []
    real_verdict, real_render = cache.OutputScan.verdict, build._render_into
    real_build = build._build

    def verdict(self: cache.OutputScan) -> tuple[str | None, bool]:
        events.append(f"verdict in child: {self._child is not None}")
        return real_verdict(self)

    def render(*args: Any) -> Any:
        events.append("render")
        return real_render(*args)

    def whole(*args: Any) -> Outcome | None:
        events.append("plan" if args[-1] is not None else "whole")
        return real_build(*args)

    monkeypatch.setattr(cache.OutputScan, "verdict", verdict)
    monkeypatch.setattr(build, "_render_into", render)
    monkeypatch.setattr(build, "_build", whole)
    order = p.contracts / "orders" / "order.place.yaml"
    p.edit(order, lambda d: d["meta"].update(description="Places an order, edited."))
    overrides: dict[str, Any] = {"output": "generated"}
    target = build_target(p.base, overrides, scan=True)
    assert target is not None and target.scan is not None
    outcome = build.run(load_config(p.base, overrides), target, check=False)
    assert outcome.ok
    expected = ["plan", "render", "verdict in child: True"]
    assert events == expected + (["whole", "render"] if by_hand else []), events
    monkeypatch.undo()
    assert _tree(p.base / "generated") == p.clean_tree()[1]


def test_a_patch_without_its_journal_is_dropped_and_the_folder_left_alone(
    tmp_path: Path,
) -> None:
    from contractgen import write
    from contractgen.write import recover

    out = tmp_path / "gen"
    out.mkdir()
    (out / "a.txt").write_text("old")
    patch = tmp_path / ".gen.contractgen-patch-1"
    patch.mkdir()
    (patch / "a.txt").write_text("new")
    assert recover(out) is False
    assert (out / "a.txt").read_text() == "old" and not patch.exists()
    patch.mkdir()
    (patch / "a.txt").write_text("new")
    (patch / write._JOURNAL).write_bytes(marshal.dumps(["a.txt"]))
    assert recover(out) is True
    assert (out / "a.txt").read_text() == "new" and not patch.exists()


def test_builds_leave_nothing_behind_beside_the_folder_or_in_the_cache(
    tmp_path: Path, allow_caches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replaced trees, patch folders and the old copies of cache files are removed (by
    the build's detached process; here, with it off, before the build returns)."""
    monkeypatch.setenv("CONTRACTGEN_SPEED_OFF", "background")
    p = Project(tmp_path)
    assert p.build().ok
    for n in range(3):
        edit_description(p, 0, f"Edit number {n}.")
        assert p.build().ok
    remove_operation(p, 1, "")  # (a contract gone: a build through a staging tree)
    assert p.build().ok
    beside = sorted(f.name for f in p.base.iterdir() if f.name.startswith("."))
    assert beside == [".contractgen-cache"]
    cache = sorted(f.name for f in (p.base / ".contractgen-cache").iterdir())
    assert all(not name.startswith(".") or name == ".gitignore" for name in cache), cache
