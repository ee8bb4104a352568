"""Large objects kept until the next piece of work of their kind."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from contractgen.load import load
from contractgen.speed import memory

ROOT = Path(__file__).resolve().parents[2]


class _Big:
    pass


def test_kept_until_the_next_of_its_kind_or_released() -> None:
    first, other = _Big(), _Big()
    memory.keep_until_next("test", first)
    memory.keep_until_next("other-test", other)
    ref, other_ref = weakref.ref(first), weakref.ref(other)
    del first, other
    gc.collect()
    assert ref() is not None
    memory.keep_until_next("test", _Big())  # the next one frees the last
    assert ref() is None
    assert other_ref() is not None  # other kinds are left alone
    memory.release("other-test")
    assert other_ref() is None
    memory.release("test")


def test_a_load_keeps_its_documents_only_when_asked() -> None:
    result = load(ROOT / "contracts", free_late=True)
    assert result.ok
    kept = memory._kept["load"]
    assert kept[0] is result
    docs = kept[1]
    assert len(docs) == len(list((ROOT / "contracts").rglob("*.yaml")))
    doc_ref = weakref.ref(docs[0])
    del kept, docs
    load(ROOT / "contracts")  # frees the last load's, keeps nothing of its own
    gc.collect()
    assert doc_ref() is None
    assert "load" not in memory._kept
