"""From parsed documents to a resolved spec: each file's shape, then the tree.

Kept apart from ``contractgen.load`` because importing it builds the pydantic
classes of the file format and of the spec: ``load`` starts parsing (in a
child, for a large tree) before it imports this module.
"""

from __future__ import annotations

from collections.abc import Sequence

from contractgen.diagnostics import Diagnostic, error
from contractgen.load.broken import names_in_text
from contractgen.load.resolve import DOMAIN_RE, Resolver, Unit
from contractgen.load.schema import EventParts, OperationParts
from contractgen.load.shape import Checked, check_shape
from contractgen.load.yamlpos import Document
from contractgen.naming import RUNTIME_PACKAGE, python_package
from contractgen.spec import Spec

DEFAULT_DOMAIN = "default"


def domain_of(rel: str) -> str:
    """The domain of a file by its place: its top folder below the contracts root."""
    parts = rel.split("/")
    return parts[0] if len(parts) > 1 else DEFAULT_DOMAIN


class Checker:
    """Checks parsed files as they come (``accept``, in any order), passes them on to
    the resolver in file order, then resolves the tree (``resolve``)."""

    def __init__(self, root_name: str, files: Sequence[tuple[str, bytes, str]]) -> None:
        self.files = files  # (path below the root, bytes, display name), in file order
        self.count = len(files)
        #: The files accepted and not yet passed on; None for one that failed before
        #: resolution.
        self.units: dict[int, Unit | None] = {}
        self.broken: set[str] = set()
        self.diags: list[Diagnostic] = []
        self.root_name = root_name
        self.resolver = Resolver(self.broken, root_name)
        self.next = 0  # the first file not yet passed to the resolver

    def accept(self, i: int, doc: Document) -> None:
        """Shape-checks the parsed file i (while a forked child may still be parsing)."""
        self.units[i] = self.unit(i, doc)
        while self.next in self.units:  # in file order, whichever process parsed what
            unit = self.units.pop(self.next)  # (the resolver holds what it needs)
            if unit is not None:
                self.resolver.add(unit)
            self.next += 1

    def unit(self, i: int, doc: Document) -> Unit | None:
        rel, data, display = self.files[i]
        self.diags.extend(doc.diagnostics)
        if doc.data is None:
            # What it may define is unknown: references to it are not reported.
            names, event = names_in_text(data.decode("utf-8", errors="replace"))
            self.broken.update(names)
            if event is not None:
                self.unsure_event(event or None)
            return None
        checked = check_shape(doc.data, doc.positions, display)
        self.take(checked, doc.data)
        raw = checked.raw
        domain = domain_of(rel)
        if isinstance(raw, (OperationParts, EventParts)) and raw.meta and raw.meta.domain:
            domain = raw.meta.domain
        problem: tuple[str, str] | None = None
        if not DOMAIN_RE.match(domain):
            problem = (
                f"domain '{domain}' is not a valid domain name",
                "rename the folder or set meta.domain to lower case words joined by '-' or '_', "
                "like 'feature-flags'",
            )
        elif python_package(domain) == RUNTIME_PACKAGE:
            problem = (
                f"domain '{domain}' is the name of the generated Python runtime package",
                "rename the folder or set meta.domain to another name",
            )
        if problem is not None:
            line, col = doc.positions.of(("meta", "domain"))
            self.diags.append(error("CG207", problem[0], display, line, col, problem[1]))
            self.broken.update((*checked.models, *checked.enums))
            return None
        return Unit(
            display=display,
            path=f"{self.root_name}/{rel}",
            raw=raw,
            models=checked.models,
            enums=checked.enums,
            unions=checked.unions,
            positions=doc.positions,
            domain=domain,
            text=data.decode("utf-8-sig"),
            lost=frozenset(checked.lost),
            loose=checked.loose,
            kept=checked.kept,
        )

    def take(self, checked: Checked, data: dict[str, object]) -> None:
        """Takes what the shape check of a file reports, and what it leaves unsure."""
        self.diags.extend(checked.diagnostics)
        self.broken.update(checked.broken)
        self.resolver.names_unsure |= checked.unreadable
        for model, fields in checked.dropped.items():
            self.resolver.dropped.setdefault(model, set()).update(fields)
        raw = checked.raw
        if (isinstance(raw, EventParts) and raw.meta is None) or (
            raw is None and "payload" in data
        ):
            meta = data.get("meta")
            key = meta.get("key") if isinstance(meta, dict) else None
            self.unsure_event(key if isinstance(key, str) else None)

    def unsure_event(self, key: str | None) -> None:
        """Notes an event file that failed, by its key if it can be read."""
        if key is None:
            self.resolver.unsure_event_key = True
        else:
            self.resolver.unsure_events.add(key)

    def resolve(self) -> Spec:
        """The spec of every accepted file (all must be); problems go to ``diags``."""
        assert self.next == self.count
        spec = self.resolver.run()
        self.diags.extend(self.resolver.diags)
        return spec
