"""A large mapping that is only ever looked up by key, packed as one bytes value.

A surface's facts are kept in the incremental state and read back whole by
every edit. A reverse index over the whole tree (who uses each model, say) is
tens of thousands of small lists there: decoding it is most of what reading
the state costs, though an edit looks up a few dozen of its entries. Packed,
it is one bytes value (plain data, as facts must be): reading it is a copy,
and an entry is decoded only when it is looked up.
"""

from __future__ import annotations

import itertools
import marshal
from array import array
from collections.abc import Iterator, Mapping
from typing import Any


def pack(entries: Mapping[str, Any]) -> bytes:
    """The entries (plain data, see ``marshal``) as one bytes value for ``Lookup``."""
    values = [marshal.dumps(value) for value in entries.values()]
    ends = array("Q", itertools.accumulate(map(len, values)))
    return marshal.dumps((tuple(entries), ends.tobytes(), b"".join(values)))


class Lookup(Mapping[str, Any]):
    """The entries ``pack`` packed, in their order; each decoded when it is looked up."""

    def __init__(self, packed: bytes) -> None:
        self._keys: tuple[str, ...]
        self._keys, ends, self._values = marshal.loads(packed)
        self._ends = array("Q", ends)
        self._index: dict[str, int] | None = None

    def __getitem__(self, key: str) -> Any:
        if self._index is None:
            self._index = {k: i for i, k in enumerate(self._keys)}
        i = self._index[key]
        start = self._ends[i - 1] if i else 0
        return marshal.loads(self._values[start : self._ends[i]])

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)
