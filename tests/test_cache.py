"""The hashes of contract files, remembered by size and modification time."""

from __future__ import annotations

import hashlib
import marshal
import os
import time
from pathlib import Path

import pytest

from contractgen.speed.cache import RACY_NS, contract_hashes


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_unchanged_old_files_are_not_read_again(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    (root / "a").mkdir(parents=True)
    old, recent = root / "a" / "old.yaml", root / "a" / "recent.yaml"
    old.write_bytes(b"kind: models\n")
    recent.write_bytes(b"kind: models\n")
    past = time.time_ns() - 10 * RACY_NS
    os.utime(old, ns=(past, past))
    cache = tmp_path / "contracts.marshal"
    assert contract_hashes(root, cache) == {
        "a/old.yaml": _sha(b"kind: models\n"),
        "a/recent.yaml": _sha(b"kind: models\n"),
    }
    # Forge the remembered hashes: only a file the cache may trust keeps the forgery.
    stored = marshal.loads(cache.read_bytes())
    stored["files"] = {rel: (*entry[:2], "forged") for rel, entry in stored["files"].items()}
    cache.write_bytes(marshal.dumps(stored))
    hashes = contract_hashes(root, cache)
    assert hashes["a/old.yaml"] == "forged"  # old, same size and time: trusted
    assert hashes["a/recent.yaml"] == _sha(b"kind: models\n")  # too recent: read again


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    root.mkdir()
    f = root / "x.yaml"
    f.write_bytes(b"one\n")
    past = time.time_ns() - 10 * RACY_NS
    os.utime(f, ns=(past, past))
    cache = tmp_path / "contracts.marshal"
    contract_hashes(root, cache)
    f.write_bytes(b"two!\n")
    os.utime(f, ns=(past, past))  # same time, other size
    assert contract_hashes(root, cache) == {"x.yaml": _sha(b"two!\n")}
    f.write_bytes(b"six!\n")
    later = past + 1_000
    os.utime(f, ns=(later, later))  # same size, other time
    assert contract_hashes(root, cache) == {"x.yaml": _sha(b"six!\n")}


def test_no_cache_file_means_reading_everything(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    root.mkdir()
    (root / "x.yaml").write_bytes(b"x\n")
    (tmp_path / "contracts.marshal").write_bytes(b"not marshal")
    assert contract_hashes(root, tmp_path / "contracts.marshal") == {"x.yaml": _sha(b"x\n")}
    assert contract_hashes(root) == {"x.yaml": _sha(b"x\n")}


def test_the_contracts_stats_shared_with_the_child_are_the_whole_scan(tmp_path: Path) -> None:
    """The child and this process split the contracts folder's stats (its folders in
    shares, the files directly in it the child's): together, the serial scan's."""
    from contractgen.files import scan_output
    from contractgen.speed.cache import OutputScan

    root = tmp_path / "contracts"
    for n in range(300):  # (more folders than shares: several folders a share)
        (root / f"d{n:03}").mkdir(parents=True)
        (root / f"d{n:03}" / "op.yaml").write_text(str(n))
    (root / "d007" / "deep" / "x.yaml").parent.mkdir()
    (root / "d007" / "deep" / "x.yaml").write_text("x")
    (root / "top.yaml").write_text("top")
    (root / ".hidden.yaml").write_text("hidden")
    scan = OutputScan(tmp_path, tmp_path / "out", in_child=True, contracts=root)
    assert scan.contract_stats() == scan_output(root, follow=True)
    assert scan.verdict() == (None, False)  # (no build record: nothing to compare)
    alone = OutputScan(tmp_path, tmp_path / "out", contracts=root)
    assert alone.contract_stats() is None  # (no child: the caller scans)


def test_a_linked_contract_edited_through_its_target_is_hashed_again(tmp_path: Path) -> None:
    """A contract file may be a symbolic link (a monorepo sharing contracts): its stats
    are the target's, so an edit to the target is seen; a link to nothing is left out."""
    root = tmp_path / "contracts"
    root.mkdir()
    target = tmp_path / "shared.yaml"
    target.write_bytes(b"a\n")
    (root / "linked.yaml").symlink_to(target)
    (root / "broken.yaml").symlink_to(tmp_path / "nowhere.yaml")
    stat_cache = tmp_path / "contracts.marshal"
    assert contract_hashes(root, stat_cache) == {"linked.yaml": _sha(b"a\n")}
    target.write_bytes(b"a longer text\n")
    assert contract_hashes(root, stat_cache) == {"linked.yaml": _sha(b"a longer text\n")}


def _recorded_output(tmp_path: Path) -> Path:
    """An output folder of four files in three folders and one directly in it, and a
    build record (key "k") that lists them as they are."""
    from contractgen.files import MANIFEST, scan_output
    from contractgen.speed.cache import BuildCache

    out = tmp_path / "out"
    for name in ("a/x", "b/y/z", "c/w", "top"):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(name)
    (out / MANIFEST).write_text("{}")
    stats = scan_output(out)
    assert stats is not None
    BuildCache(tmp_path, out).store("k", dict.fromkeys(stats, "0" * 64), stats)
    return out


def test_the_output_scan_shared_with_a_child_sees_every_folder(tmp_path: Path) -> None:
    """The child and this process split the output folder's folders between them;
    a change in any of them (or a file directly in the folder) is seen."""
    from contractgen.files import scan_output
    from contractgen.speed.cache import BuildCache, OutputScan

    out = _recorded_output(tmp_path)
    assert OutputScan(tmp_path, out, in_child=True).verdict() == ("k", True)
    for name in ("a/x", "b/y/z", "c/w", "top"):
        (out / name).write_text(name + " edited")
        assert OutputScan(tmp_path, out, in_child=True).verdict() == ("k", False), name
        assert OutputScan(tmp_path, out).verdict() == ("k", False), name
        (out / name).unlink()
        new = scan_output(out)
        assert new is not None
        BuildCache(tmp_path, out).store("k", dict.fromkeys(new, "0" * 64), new)
        assert OutputScan(tmp_path, out, in_child=True).verdict() == ("k", True)


@pytest.mark.parametrize("change", ["folder gone", "folder new", "file new", "group damaged"])
def test_the_shared_scan_sees_folders_come_and_go(tmp_path: Path, change: str) -> None:
    """Each process compares the folders it scanned with their groups of the record: a
    folder the record has and the folder has not (no token names it), one it does not
    know, a new file, or a damaged group all mean the folder is not as recorded."""
    import shutil

    from contractgen.speed.cache import BuildCache, OutputScan

    out = _recorded_output(tmp_path)
    cache = BuildCache(tmp_path, out)
    if change == "folder gone":
        shutil.rmtree(out / "b")
    elif change == "folder new":
        (out / "d").mkdir()
        (out / "d" / "v").write_text("v")
    elif change == "file new":
        (out / "c" / "v").write_text("v")
    else:
        data = cache.path.read_bytes()
        cache.path.write_bytes(data[:-3] + b"\xff\xff\xff")
    assert OutputScan(tmp_path, out, in_child=True).verdict()[1] is False
    assert OutputScan(tmp_path, out).verdict()[1] is False


def test_the_shared_scan_sees_folders_beyond_its_tokens(tmp_path: Path) -> None:
    """More folders than one-byte tokens: the child scans the rest itself."""
    from contractgen.files import MANIFEST, scan_output
    from contractgen.speed.cache import BuildCache, OutputScan

    out = tmp_path / "out"
    for n in range(300):
        (out / f"f{n:03}").mkdir(parents=True)
        (out / f"f{n:03}" / "x").write_text(str(n))
    (out / MANIFEST).write_text("{}")
    stats = scan_output(out)
    assert stats is not None
    BuildCache(tmp_path, out).store("k", dict.fromkeys(stats, "0" * 64), stats)
    assert OutputScan(tmp_path, out, in_child=True).verdict() == ("k", True)
    (out / "f299" / "x").write_text("changed")
    assert OutputScan(tmp_path, out, in_child=True).verdict() == ("k", False)


def test_the_tool_key_covers_all_of_contractgens_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """A change to any module of contractgen (an editable install, no version bump)
    changes the key, so an old build is not taken for current."""
    import contractgen
    from contractgen.speed import cache

    package = Path(contractgen.__file__).parent
    module = package / "naming.py"  # (outside speed/, where the cache module lives)
    real = Path.read_bytes
    before = cache.tool_key("{}", None)

    def edited(path: Path) -> bytes:
        data = real(path)
        return data + b"\n# edited\n" if path == module else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert cache.tool_key("{}", None) != before


def test_the_settings_key_ignores_the_order_of_keys_only(tmp_path: Path) -> None:
    """Equal tables give the same key at every level, whatever their key order; any
    other difference (a value, a type, a nested table) gives another."""
    from contractgen.speed.cache import build_target

    def key(table: str) -> str:
        (tmp_path / "pyproject.toml").write_text(table)
        target = build_target(tmp_path, {})
        assert target is not None
        return target.key

    top, openapi = '[tool.contractgen]\noutput = "gen"\n', "[tool.contractgen.openapi]\n"
    first = key(top + openapi + 'title = "A"\nversion = "1"\n')
    again = key(openapi + 'version = "1"\ntitle = "A"\n' + top)
    assert first == again
    others = [
        top + openapi + 'title = "B"\nversion = "1"\n',
        top + openapi + 'title = "A"\nversion = 1\n',
        top + 'surfaces = ["docs", "python"]\n',
        top + 'surfaces = ["python", "docs"]\n',
    ]
    assert len({first, *(key(t) for t in others)}) == 5


@pytest.mark.parametrize(
    "stored",
    [
        b"",
        b"garbage",
        marshal.dumps({"key": "k", "hashes": {}, "stats": {}}),  # (the record's old form)
        b"contractgen build record 2\n" + (1 << 60).to_bytes(8, "little"),
    ],
)
def test_a_record_of_another_form_or_damaged_is_no_record(tmp_path: Path, stored: bytes) -> None:
    from contractgen.speed.cache import BuildCache, Record

    cache = BuildCache(tmp_path, tmp_path / "out")
    cache.path.parent.mkdir(parents=True)
    cache.path.write_bytes(stored)
    assert cache.key() is None and cache.read() == Record(None, {}, {}, "")


def test_the_record_head_names_the_key_alone(tmp_path: Path) -> None:
    from contractgen.speed.cache import BuildCache

    cache = BuildCache(tmp_path, tmp_path / "out")
    cache.store("k", {"b": "1" * 64, "a": "0" * 64}, {"a": (1, 2), "b": (3, 4)}, "m" * 64)
    record = cache.read()
    assert cache.key() == record.key == "k" and record.manifest == "m" * 64
    assert list(record.hashes) == ["a", "b"] and record.stats == {"a": (1, 2), "b": (3, 4)}
