"""The parse cache gives the same results as parsing, and never stale ones."""

from __future__ import annotations

import shutil
from pathlib import Path

from contractgen.load import load


def test_cached_load_equals_uncached(tmp_path: Path, bundled_contracts: Path) -> None:
    contracts = tmp_path / "contracts"
    shutil.copytree(bundled_contracts, contracts)
    cache = tmp_path / "cache"
    plain = load(contracts)
    first = load(contracts, cache)  # fills the cache
    assert (cache / "parse.marshal").is_file()
    second = load(contracts, cache)  # reads it
    assert plain.spec is not None and first.spec is not None and second.spec is not None
    assert plain.spec.model_dump_json() == first.spec.model_dump_json()
    assert plain.spec.model_dump_json() == second.spec.model_dump_json()
    assert plain.diagnostics == second.diagnostics


def test_an_edited_file_is_parsed_again(tmp_path: Path, bundled_contracts: Path) -> None:
    contracts = tmp_path / "contracts"
    shutil.copytree(bundled_contracts, contracts)
    cache = tmp_path / "cache"
    assert load(contracts, cache).ok
    record = contracts / "metering" / "usage.record.yaml"
    record.write_text(record.read_text().replace("http: 404", "http: 200"))
    result = load(contracts, cache)
    assert not result.ok
    assert [(d.code, d.file.endswith("usage.record.yaml")) for d in result.diagnostics] == [
        ("CG208", True)
    ]
    # diagnostics from the cache carry their positions and hints too
    again = load(contracts, cache)
    assert again.diagnostics == result.diagnostics


def test_a_damaged_cache_is_ignored(tmp_path: Path, bundled_contracts: Path) -> None:
    contracts = tmp_path / "contracts"
    shutil.copytree(bundled_contracts, contracts)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "parse.marshal").write_bytes(b"\x00not marshal at all")
    result = load(contracts, cache)
    assert result.ok and result.spec is not None
    assert len(result.spec.operations) == 13


def test_the_cache_file_is_whole_when_the_load_returns(
    tmp_path: Path, bundled_contracts: Path
) -> None:
    """Each document is written as it comes; the index closes the file, which then
    holds an entry for every contract file, and an unchanged tree leaves it alone."""
    from contractgen.speed.parse_cache import ParseCache, _format_tag

    contracts = tmp_path / "contracts"
    shutil.copytree(bundled_contracts, contracts)
    cache = tmp_path / "cache"
    first = load(contracts, cache)
    entries = ParseCache(cache).read(_format_tag())
    assert len(entries) == sum(1 for _ in contracts.rglob("*.yaml"))
    assert not [p.name for p in cache.iterdir() if p.name.startswith(".parse.marshal.")]
    written = (cache / "parse.marshal").stat().st_mtime_ns
    second = load(contracts, cache)
    assert (cache / "parse.marshal").stat().st_mtime_ns == written
    assert first.spec is not None and second.spec is not None
    assert first.spec.model_dump_json() == second.spec.model_dump_json()


def test_a_damaged_entry_is_parsed_again(tmp_path: Path, bundled_contracts: Path) -> None:
    from contractgen.speed.parse_cache import ParseCache, _format_tag

    contracts = tmp_path / "contracts"
    shutil.copytree(bundled_contracts, contracts)
    cache = tmp_path / "cache"
    plain = load(contracts)
    load(contracts, cache)
    entry = next(iter(ParseCache(cache).read(_format_tag()).values()))
    data = bytearray((cache / "parse.marshal").read_bytes())
    at = data.find(bytes(entry[:64]))
    data[at] = 0xFF  # no type marshal knows
    (cache / "parse.marshal").write_bytes(bytes(data))
    again = load(contracts, cache)
    assert plain.spec is not None and again.spec is not None
    assert plain.spec.model_dump_json() == again.spec.model_dump_json()
    assert plain.diagnostics == again.diagnostics
