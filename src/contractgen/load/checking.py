"""From parsed documents to a resolved spec: each file's shape, then the tree.

Kept apart from ``contractgen.load`` because importing it builds the pydantic
classes of the file format and of the spec: ``load`` starts parsing (in a
child, for a large tree) before it imports this module.
"""

from __future__ import annotations

from collections.abc import Sequence

from contractgen.diagnostics import Diagnostic, error
from contractgen.load.resolve import DOMAIN_RE, Resolver, Unit
from contractgen.load.schema import RawEventFile, RawOperationFile
from contractgen.load.shape import check_shape
from contractgen.load.yamlpos import Document
from contractgen.naming import RUNTIME_PACKAGE
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
        #: Every file accepted so far; None for one that failed before resolution.
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
            unit = self.units[self.next]
            if unit is not None:
                self.resolver.add(unit)
            self.next += 1

    def unit(self, i: int, doc: Document) -> Unit | None:
        rel, data, display = self.files[i]
        self.diags.extend(doc.diagnostics)
        if doc.data is None:
            return None
        checked = check_shape(doc.data, doc.positions, display)
        self.diags.extend(checked.diagnostics)
        self.broken.update(checked.broken)
        raw = checked.raw
        domain = domain_of(rel)
        if isinstance(raw, (RawOperationFile, RawEventFile)) and raw.meta.domain:
            domain = raw.meta.domain
        problem: tuple[str, str] | None = None
        if not DOMAIN_RE.match(domain):
            problem = (
                f"domain '{domain}' is not a valid package name",
                "rename the folder or set meta.domain to lower_snake_case",
            )
        elif domain == RUNTIME_PACKAGE:
            problem = (
                f"domain '{domain}' is the name of the generated Python runtime package",
                "rename the folder or set meta.domain to another name",
            )
        if problem is not None:
            line, col = doc.positions.of(("meta", "domain"))
            self.diags.append(error("CG207", problem[0], display, line, col, problem[1]))
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
        )

    def resolve(self) -> Spec:
        """The spec of every accepted file (all must be); problems go to ``diags``."""
        assert self.next == len(self.files)
        spec = self.resolver.run()
        self.diags.extend(self.resolver.diags)
        return spec
