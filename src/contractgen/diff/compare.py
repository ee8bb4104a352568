"""The breaking-change rules: compare two specs and list every change.

Contracts are matched by key across versions (see ``_pair``); models and enums
by name, with a rename detected when a removed and an added model have the same
shape. A change to a shared model is judged once per use: an operation input,
an operation output or an event payload, each reached through ``Spec.closure``.
The rules and their reasons are documented in docs/diff.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, TypeVar

from contractgen import naming
from contractgen.diff.changes import Change, ContractRef, Impact, Verdict, worst
from contractgen.spec.model import (
    AUTH_ORDER,
    STABILITY_ORDER,
    EnumType,
    ErrorDef,
    Event,
    Field,
    Loc,
    Model,
    Operation,
    Spec,
    version_key,
)

Direction = Literal["input", "output", "event", "unused"]
Use = tuple[ContractRef, Direction]
Item = TypeVar("Item", Operation, Event)

B, D, S, N = Verdict.BREAKING, Verdict.DANGEROUS, Verdict.SAFE, Verdict.INFO

# -- rule tables ------------------------------------------------------------------
# For each model-level rule and each direction a type is used in: the verdict on
# the wire surfaces (rest and graphql for operations, events for payloads) and on
# the Python surface. Order: (rest, graphql, python) / (events, python).

_OP_RULES: dict[str, dict[str, tuple[Verdict, Verdict, Verdict]]] = {
    "field.removed": {"input": (B, B, B), "output": (B, B, B)},
    "field.added.required": {"input": (B, B, B), "output": (S, S, S)},
    "field.added.optional": {"input": (S, S, S), "output": (S, S, S)},
    "field.type-changed": {"input": (B, B, B), "output": (B, B, B)},
    "field.array-changed": {"input": (B, B, B), "output": (B, B, B)},
    "field.now-required": {"input": (B, B, B), "output": (S, S, S)},
    "field.now-optional": {"input": (S, S, S), "output": (D, B, D)},
    "field.type-renamed": {"input": (N, B, S), "output": (N, B, S)},
    "enum.value-removed": {"input": (B, B, B), "output": (D, B, B)},
    "enum.value-added": {"input": (S, S, S), "output": (D, D, S)},
}
_EVENT_RULES: dict[str, tuple[Verdict, Verdict]] = {
    "field.removed": (B, B),
    "field.added.required": (S, S),
    "field.added.optional": (S, S),
    "field.type-changed": (B, B),
    "field.array-changed": (B, B),
    "field.now-required": (S, S),
    "field.now-optional": (D, D),
    "field.type-renamed": (N, S),
    "enum.value-removed": (D, B),
    "enum.value-added": (D, S),
}
#: A type nothing reaches is still a Python class: judge it as strictly as any use.
_UNUSED_PYTHON: dict[str, Verdict] = {
    "field.removed": B,
    "field.added.required": B,
    "field.added.optional": S,
    "field.type-changed": B,
    "field.array-changed": B,
    "field.now-required": B,
    "field.now-optional": D,
    "field.type-renamed": S,
    "enum.value-removed": B,
    "enum.value-added": S,
}


def _judge(rule: str, uses: Sequence[Use]) -> tuple[dict[str, Verdict], tuple[Impact, ...]]:
    """Per-surface verdicts (worst over uses) and per-contract impacts of one rule."""
    surfaces: dict[str, list[Verdict]] = defaultdict(list)
    per_contract: dict[ContractRef, list[Verdict]] = defaultdict(list)
    for ref, direction in uses:
        if direction == "event":
            ev, py = _EVENT_RULES[rule]
            got = {"events": ev, "python": py}
        elif direction == "unused":
            got = {"python": _UNUSED_PYTHON[rule]}
        else:
            rest, gql, py = _OP_RULES[rule][direction]
            got = {"rest": rest, "graphql": gql, "python": py}
        for surface, verdict in got.items():
            surfaces[surface].append(verdict)
        per_contract[ref].append(worst(tuple(got.values())))
    if not uses:
        surfaces["python"].append(_UNUSED_PYTHON[rule])
    verdicts = {s: worst(v) for s, v in surfaces.items()}
    impacts = tuple(Impact(ref, worst(v)) for ref, v in sorted(per_contract.items()))
    return verdicts, impacts


def _pair(
    olds: Sequence[Item], news: Sequence[Item]
) -> tuple[list[tuple[Item, Item]], list[tuple[Item, Item | None]], list[Item]]:
    """Matches contracts by key: the same major is the same contract line.

    When a key has no common major, its newest old version is paired with the
    oldest new version above it (a line replaced by a major bump). Returns the
    pairs, the removed items (each with the newest successor of its key, if any)
    and the added items.
    """
    by_key_old: dict[str, list[Item]] = defaultdict(list)
    by_key_new: dict[str, list[Item]] = defaultdict(list)
    for o in olds:
        by_key_old[o.meta.key].append(o)
    for n in news:
        by_key_new[n.meta.key].append(n)
    pairs: list[tuple[Item, Item]] = []
    removed: list[tuple[Item, Item | None]] = []
    added: list[Item] = []
    for key in sorted(set(by_key_old) | set(by_key_new)):
        old_list = sorted(by_key_old[key], key=lambda i: version_key(i.meta.version))
        new_list = sorted(by_key_new[key], key=lambda i: version_key(i.meta.version))
        left_old: list[Item] = []
        used: set[str] = set()
        for o in old_list:
            same = [n for n in new_list if n.meta.major == o.meta.major and n.id not in used]
            exact = [n for n in same if n.meta.version == o.meta.version]
            match = exact[0] if exact else (same[-1] if same else None)
            if match is None:
                left_old.append(o)
            else:
                used.add(match.id)
                pairs.append((o, match))
        left_new = [n for n in new_list if n.id not in used]
        if left_old and left_new and not used:
            o = left_old[-1]
            higher = [n for n in left_new if n.meta.major > o.meta.major]
            if higher:
                pairs.append((o, higher[0]))
                left_old.remove(o)
                left_new.remove(higher[0])
        newest = new_list[-1] if new_list else None
        for o in left_old:
            successor = newest if newest and newest.meta.major > o.meta.major else None
            removed.append((o, successor))
        added.extend(left_new)
    return pairs, removed, added


def _shape(model: Model) -> tuple[tuple[str, str, str, bool, bool], ...]:
    return tuple(
        sorted((f.name, f.type.kind, f.type.name, f.optional, f.array) for f in model.fields)
    )


def _examples(op: Operation) -> list[tuple[str, str | None, Any, Any]]:
    """An operation's examples without their positions: moving lines changes nothing."""
    return [(e.name, e.description, e.input, e.output) for e in op.examples]


def _kind(item: Operation | Event) -> str:
    return item.kind if isinstance(item, Operation) else "event"


def _ref(old: Operation | Event | None, new: Operation | Event | None) -> ContractRef:
    some = old if old is not None else new
    assert some is not None
    return ContractRef(
        key=some.meta.key,
        kind=_kind(some),
        old_version=old.meta.version if old else None,
        new_version=new.meta.version if new else None,
        stability=some.meta.stability,
    )


class _Differ:
    def __init__(self, old: Spec, new: Spec) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []
        #: name -> uses, in each tree
        self.model_uses: dict[str, set[Use]] = defaultdict(set)
        self.enum_uses: dict[str, set[Use]] = defaultdict(set)
        self.renames: dict[str, str] = {}
        #: types reached by contracts removed from the tree, and those contracts
        self.gone_with: dict[str, set[ContractRef]] = defaultdict(set)

    # -- helpers --------------------------------------------------------------------

    def add(
        self,
        code: str,
        subject: str,
        message: str,
        surfaces: dict[str, Verdict],
        old_loc: Loc | None,
        new_loc: Loc | None,
        impacts: Iterable[Impact] = (),
    ) -> None:
        self.changes.append(
            Change(code, subject, message, surfaces, old_loc, new_loc, tuple(impacts))
        )

    def note_uses(self, ref: ContractRef, item: Operation | Event, spec: Spec) -> None:
        if isinstance(item, Operation):
            roots: list[tuple[str | None, Direction]] = [
                (item.input, "input"),
                (item.output, "output"),
            ]
        else:
            roots = [(item.payload, "event")]
        for root, direction in roots:
            if root is None:
                continue
            models, enums = spec.closure([root])
            for m in models:
                self.model_uses[m].add((ref, direction))
            for e in enums:
                self.enum_uses[e].add((ref, direction))

    def uses_of_model(self, old_name: str, new_name: str) -> list[Use]:
        return sorted(self.model_uses.get(old_name, set()) | self.model_uses.get(new_name, set()))

    def uses_of_enum(self, name: str) -> list[Use]:
        return sorted(self.enum_uses.get(name, set()))

    # -- entry point ------------------------------------------------------------------

    def run(self) -> list[Change]:
        op_pairs, op_removed, op_added = _pair(self.old.operations, self.new.operations)
        ev_pairs, ev_removed, ev_added = _pair(self.old.events, self.new.events)
        refs: list[tuple[ContractRef, Operation | Event | None, Operation | Event | None]] = []
        pairs: list[tuple[Operation | Event, Operation | Event]] = [*op_pairs, *ev_pairs]
        removed: list[tuple[Operation | Event, Operation | Event | None]] = [
            *op_removed,
            *ev_removed,
        ]
        added: list[Operation | Event] = [*op_added, *ev_added]
        for po, pn in pairs:
            refs.append((_ref(po, pn), po, pn))
        for ro, successor in removed:
            refs.append((_ref(ro, successor), ro, None))
        for an in added:
            refs.append((_ref(None, an), None, an))
        # Only contract lines present on both sides have clients a type change can
        # break: a removed or an added contract is reported on its own.
        for ref, o, n in refs:
            if o is not None and n is not None:
                self.note_uses(ref, o, self.old)
                self.note_uses(ref, n, self.new)
            elif o is not None:
                models, enums = self.old.closure(self.old.roots_of(o))
                for name in [*models, *enums]:
                    self.gone_with[name].add(ref)
        self.find_renames()
        before = len(self.changes)
        self.compare_types()
        type_changes = self.changes[before:]
        for ref, o, n in sorted(refs, key=lambda r: r[0]):
            start = len(self.changes)
            if o is not None and n is not None:
                if isinstance(o, Operation) and isinstance(n, Operation):
                    self.compare_operations(ref, o, n)
                elif isinstance(o, Event) and isinstance(n, Event):
                    self.compare_events(ref, o, n)
                touched = len(self.changes) > start or any(
                    i.contract == ref for c in type_changes for i in c.impacts
                )
                if o.meta.version != n.meta.version:
                    what = "major" if n.meta.major > o.meta.major else "version"
                    alone = "" if touched else " without any change"
                    self.add(
                        "meta.version",
                        f"{ref.kind} {ref.key}",
                        f"{what} bumped {o.meta.version} -> {n.meta.version}{alone}",
                        {"python": N},
                        o.meta.loc,
                        n.meta.loc,
                    )
            elif o is not None:
                self.removed_contract(ref, o, successor_version=ref.new_version)
            elif n is not None:
                what = "operation" if isinstance(n, Operation) else "event"
                self.add(
                    f"{what}.added",
                    f"{ref.kind} {ref.key}",
                    f"{what} {n.id} added",
                    _surfaces_of(n, S),
                    None,
                    n.meta.loc,
                    [Impact(ref, S)],
                )
        return sorted(self.changes, key=Change.sort_key)

    # -- contracts --------------------------------------------------------------------

    def removed_contract(
        self, ref: ContractRef, o: Operation | Event, successor_version: str | None
    ) -> None:
        what = "operation" if isinstance(o, Operation) else "event"
        notes = []
        if o.meta.stability == "deprecated":
            notes.append("it was deprecated")
        if successor_version:
            notes.append(f"{o.meta.key}@{successor_version} remains")
        tail = f" ({'; '.join(notes)})" if notes else ""
        self.add(
            f"{what}.removed",
            f"{ref.kind} {ref.key}",
            f"{what} {o.id} removed{tail}",
            _surfaces_of(o, B),
            o.meta.loc,
            None,
            [Impact(ref, B)],
        )

    def meta_changes(self, ref: ContractRef, o: Operation | Event, n: Operation | Event) -> None:
        subject = f"{ref.kind} {ref.key}"
        imp = [Impact(ref, N)]
        for attr in ("title", "description", "goal", "context", "owners", "tags"):
            if getattr(o.meta, attr) != getattr(n.meta, attr):
                self.add(
                    f"meta.{attr}",
                    subject,
                    f"meta.{attr} changed",
                    {"python": N},
                    o.meta.loc,
                    n.meta.loc,
                    imp,
                )
        so, sn = o.meta.stability, n.meta.stability
        if so != sn:
            if sn == "deprecated":
                verdict, how = D, "deprecated"
            elif so == "deprecated" or STABILITY_ORDER.index(sn) > STABILITY_ORDER.index(so):
                verdict, how = N, "raised"
            else:
                verdict, how = D, "lowered"
            self.add(
                "meta.stability",
                subject,
                f"stability {how}: {so} -> {sn}",
                {s: verdict for s in _surfaces_of(n, verdict)},
                o.meta.loc,
                n.meta.loc,
                [Impact(ref, verdict)],
            )

    def compare_events(self, ref: ContractRef, o: Event, n: Event) -> None:
        subject = f"event {ref.key}"
        self.meta_changes(ref, o, n)
        if naming.event_name(o) != naming.event_name(n):
            self.add(
                "event.python-name",
                subject,
                f"Python event class {naming.event_name(o)} -> {naming.event_name(n)}",
                {"python": B},
                o.meta.loc,
                n.meta.loc,
                [Impact(ref, B)],
            )
        if o.payload != n.payload:
            self.io_changed(ref, "payload", o.payload, n.payload, "event", o.meta.loc, n.meta.loc)
        if o.pii != n.pii:
            self.add(
                "event.pii", subject, "pii fields changed", {"events": N}, o.meta.loc, n.meta.loc
            )

    def compare_operations(self, ref: ContractRef, o: Operation, n: Operation) -> None:
        subject = f"{ref.kind} {ref.key}"
        ol, nl = o.meta.loc, n.meta.loc

        def one(code: str, message: str, surfaces: dict[str, Verdict]) -> None:
            self.add(
                code,
                subject,
                message,
                surfaces,
                ol,
                nl,
                [Impact(ref, worst(tuple(surfaces.values())))],
            )

        self.meta_changes(ref, o, n)
        if o.kind != n.kind:
            one("operation.kind", f"{o.kind} became a {n.kind}", {"graphql": B, "python": D})
        for label, fn, surface in (
            ("REST method", naming.rest_method, "rest"),
            ("REST path", naming.rest_path, "rest"),
            ("GraphQL field", naming.gql_field, "graphql"),
            ("Python handler", naming.handler_name, "python"),
        ):
            if fn(o) != fn(n):
                code = "transport." + label.lower().replace(" ", "-")
                one(code, f"{label} {fn(o)} -> {fn(n)}", {surface: B})
        # io
        if o.input != n.input:
            if o.input is None or n.input is None:
                what = "added" if o.input is None else "removed"
                one(f"io.input-{what}", f"input {o.input} -> {n.input}", _op_surfaces(B))
            else:
                self.io_changed(ref, "input", o.input, n.input, "input", ol, nl)
        if o.output != n.output:
            self.io_changed(ref, "output", o.output, n.output, "output", ol, nl)
        self.compare_errors(ref, o, n)
        self.compare_policy(ref, o, n, one)
        if {(e.event, e.version) for e in o.emits} != {(e.event, e.version) for e in n.emits}:
            one("operation.emits", "emitted events changed", {"events": N})
        if _examples(o) != _examples(n):
            one("operation.examples", "examples changed", {"python": N})

    def compare_policy(
        self,
        ref: ContractRef,
        o: Operation,
        n: Operation,
        one: Callable[[str, str, dict[str, Verdict]], None],
    ) -> None:
        po, pn = o.policy, n.policy
        if po.auth != pn.auth:
            tighter = AUTH_ORDER.index(pn.auth) > AUTH_ORDER.index(po.auth)
            how, v = ("tightened", B) if tighter else ("loosened", D)
            one("policy.auth", f"auth {how}: {po.auth} -> {pn.auth}", {"rest": v, "graphql": v})
        if po.idempotent != pn.idempotent:
            v = D if po.idempotent else S
            word = "no longer" if po.idempotent else "now"
            one("policy.idempotent", f"{word} idempotent", {"rest": v, "graphql": v})
        ro, rn = po.rate_limit, pn.rate_limit
        if ro != rn:
            if rn is None:
                v, msg = S, "rate limit removed"
            elif ro is None:
                v, msg = D, f"rate limit added: {rn.rpm} rpm per {rn.key}"
            else:
                lower = rn.rpm < ro.rpm or rn.key != ro.key
                v = D if lower else S
                msg = f"rate limit {ro.rpm}/{ro.key} -> {rn.rpm}/{rn.key}"
            one("policy.rate-limit", msg, {"rest": v, "graphql": v})
        if po.flags != pn.flags:
            gained = sorted(set(pn.flags) - set(po.flags))
            v = D if gained else S
            one(
                "policy.flags",
                f"feature flags {list(po.flags)} -> {list(pn.flags)}",
                {"rest": v, "graphql": v},
            )
        if po.pii != pn.pii:
            one("policy.pii", f"pii fields {list(po.pii)} -> {list(pn.pii)}", {"python": N})

    def compare_errors(self, ref: ContractRef, o: Operation, n: Operation) -> None:
        subject = f"{ref.kind} {ref.key}"
        old_e: dict[str, ErrorDef] = {e.code: e for e in o.errors}
        new_e: dict[str, ErrorDef] = {e.code: e for e in n.errors}

        def one(
            code: str,
            e_old: ErrorDef | None,
            e_new: ErrorDef | None,
            msg: str,
            surfaces: dict[str, Verdict],
        ) -> None:
            v = worst(tuple(surfaces.values()))
            self.add(
                code,
                f"{subject} error {(e_old or e_new).code}",  # type: ignore[union-attr]
                msg,
                surfaces,
                e_old.loc if e_old else None,
                e_new.loc if e_new else None,
                [Impact(ref, v)],
            )

        for code in sorted(set(old_e) | set(new_e)):
            eo, en = old_e.get(code), new_e.get(code)
            if en is None:
                one(
                    "error.removed",
                    eo,
                    None,
                    f"error {code} no longer returned",
                    {"errors": D, "rest": D, "graphql": D, "python": D},
                )
            elif eo is None:
                one(
                    "error.added",
                    None,
                    en,
                    f"error {code} may now be returned",
                    {"errors": D, "rest": D, "graphql": D, "python": S},
                )
            else:
                if eo.http != en.http:
                    one(
                        "error.http",
                        eo,
                        en,
                        f"HTTP status {eo.http} -> {en.http}",
                        {"errors": B, "rest": B},
                    )
                if eo.gql_code != en.gql_code:
                    one(
                        "error.gql-code",
                        eo,
                        en,
                        f"GraphQL code {eo.gql_code} -> {en.gql_code}",
                        {"errors": B, "graphql": B},
                    )
                if eo.retryable != en.retryable:
                    one(
                        "error.retryable",
                        eo,
                        en,
                        f"retryable {eo.retryable} -> {en.retryable}",
                        {"errors": D},
                    )
                if (eo.description, eo.when) != (en.description, en.when):
                    one("error.description", eo, en, "description or 'when' changed", {"errors": N})

    def io_changed(
        self,
        ref: ContractRef,
        slot: str,
        old_name: str,
        new_name: str,
        direction: Direction,
        ol: Loc,
        nl: Loc,
    ) -> None:
        subject = f"{ref.kind} {ref.key}"
        if self.renames.get(old_name) == new_name:
            surfaces = (
                {"events": N, "python": S}
                if direction == "event"
                else {"rest": N, "graphql": B, "python": S}
            )
            self.add(
                f"io.{slot}-renamed",
                subject,
                f"{slot} type renamed {old_name} -> {new_name} (same shape)",
                surfaces,
                ol,
                nl,
                [Impact(ref, worst(tuple(surfaces.values())))],
            )
            return
        surfaces = {"python": B} if direction == "event" else {"graphql": B, "python": B}
        self.add(
            f"io.{slot}-type",
            subject,
            f"{slot} type {old_name} -> {new_name}",
            surfaces,
            ol,
            nl,
            [Impact(ref, B)],
        )
        om, nm = self.old.models.get(old_name), self.new.models.get(new_name)
        if om is not None and nm is not None:
            self.compare_fields(om, nm, [(ref, direction)], f"{slot} of {subject}: ")

    # -- models and enums --------------------------------------------------------------

    def find_renames(self) -> None:
        gone = sorted(set(self.old.models) - set(self.new.models))
        born = sorted(set(self.new.models) - set(self.old.models))
        for name in gone:
            shape = _shape(self.old.models[name])
            same = [b for b in born if _shape(self.new.models[b]) == shape]
            taken = set(self.renames.values())
            same = [b for b in same if b not in taken]
            if len(same) == 1:
                self.renames[name] = same[0]

    def compare_types(self) -> None:
        old, new = self.old, self.new
        for name in sorted(set(old.models) | set(new.models)):
            om, nm = old.models.get(name), new.models.get(name)
            if om is not None and nm is not None:
                if om.description != nm.description:
                    self.add(
                        "model.description",
                        f"model {name}",
                        "description changed",
                        {"python": N},
                        om.loc,
                        nm.loc,
                    )
                self.compare_fields(om, nm, self.uses_of_model(name, name), "")
            elif om is not None:
                target = self.renames.get(name)
                uses = self.uses_of_model(name, target or name)
                on_ops = any(d in ("input", "output") for _, d in uses)
                if target is not None:
                    surfaces = {"python": B, "rest": N}
                    if on_ops:
                        surfaces["graphql"] = B
                    if any(d == "event" for _, d in uses):
                        surfaces["events"] = N
                    self.add(
                        "model.renamed",
                        f"model {name}",
                        f"model {name} renamed to {target} (same shape)",
                        surfaces,
                        om.loc,
                        new.models[target].loc,
                        [Impact(r, B) for r in sorted({r for r, _ in uses})],
                    )
                else:
                    surfaces = {"python": B, "rest": N}
                    if on_ops:
                        surfaces["graphql"] = B
                    self.add(
                        "model.removed",
                        f"model {name}",
                        f"model {name} removed",
                        surfaces,
                        om.loc,
                        None,
                        self.removal_impacts(name, uses),
                    )
            elif nm is not None and name not in self.renames.values():
                self.add(
                    "model.added",
                    f"model {name}",
                    f"model {name} added",
                    {"python": S},
                    None,
                    nm.loc,
                )
        for name in sorted(set(old.enums) | set(new.enums)):
            oe, ne = old.enums.get(name), new.enums.get(name)
            if oe is not None and ne is not None:
                self.compare_enum(oe, ne)
            elif oe is not None:
                uses = self.uses_of_enum(name)
                surfaces = {"python": B, "rest": N}
                if any(d in ("input", "output") for _, d in uses):
                    surfaces["graphql"] = B
                self.add(
                    "enum.removed",
                    f"enum {name}",
                    f"enum {name} removed",
                    surfaces,
                    oe.loc,
                    None,
                    self.removal_impacts(name, uses),
                )
            elif ne is not None:
                self.add(
                    "enum.added", f"enum {name}", f"enum {name} added", {"python": S}, None, ne.loc
                )

    def removal_impacts(self, name: str, uses: Sequence[Use]) -> list[Impact]:
        """Live contracts that reached a removed type; else the removed contracts it went with.

        A type that leaves together with the contracts using it is reported, but the
        contracts' own removal carries the verdict (an info impact keeps it off the gate).
        """
        live = sorted({r for r, _ in uses})
        if live:
            return [Impact(r, B) for r in live]
        return [Impact(r, N) for r in sorted(self.gone_with.get(name, set()))]

    def compare_enum(self, oe: EnumType, ne: EnumType) -> None:
        uses = self.uses_of_enum(oe.name)
        subject = f"enum {oe.name}"
        for value in sorted(set(oe.values) - set(ne.values)):
            surfaces, impacts = _judge("enum.value-removed", uses)
            self.add(
                "enum.value-removed",
                subject,
                f"value {value} removed",
                surfaces,
                oe.loc,
                ne.loc,
                impacts,
            )
        for value in sorted(set(ne.values) - set(oe.values)):
            surfaces, impacts = _judge("enum.value-added", uses)
            self.add(
                "enum.value-added",
                subject,
                f"value {value} added",
                surfaces,
                oe.loc,
                ne.loc,
                impacts,
            )
        if oe.description != ne.description:
            self.add(
                "enum.description", subject, "description changed", {"python": N}, oe.loc, ne.loc
            )

    def compare_fields(self, om: Model, nm: Model, uses: Sequence[Use], prefix: str) -> None:
        subject = f"model {nm.name}" if om.name == nm.name else f"model {om.name}->{nm.name}"
        old_f = {f.name: f for f in om.fields}
        new_f = {f.name: f for f in nm.fields}

        def one(rule: str, fo: Field | None, fn: Field | None, msg: str) -> None:
            surfaces, impacts = _judge(rule, uses)
            name = (fo or fn).name  # type: ignore[union-attr]
            self.add(
                rule,
                f"{subject} field {name}",
                prefix + msg,
                surfaces,
                fo.loc if fo else om.loc,
                fn.loc if fn else nm.loc,
                impacts,
            )

        for name in sorted(set(old_f) | set(new_f)):
            fo, fn = old_f.get(name), new_f.get(name)
            if fn is None:
                assert fo is not None
                note = (
                    f"after deprecation ({fo.deprecation_reason or 'deprecated'})"
                    if fo.deprecated
                    else "without prior deprecation"
                )
                one("field.removed", fo, None, f"field {name} removed {note}")
                continue
            if fo is None:
                rule = "field.added.optional" if fn.optional else "field.added.required"
                which = "optional" if fn.optional else "required"
                one(rule, None, fn, f"{which} field {name} added")
                continue
            if fo.type != fn.type:
                if fo.type.kind == "model" and self.renames.get(fo.type.name) == fn.type.name:
                    one(
                        "field.type-renamed",
                        fo,
                        fn,
                        f"type {fo.type.name} renamed {fn.type.name} (same shape)",
                    )
                else:
                    one("field.type-changed", fo, fn, f"type {fo.type.name} -> {fn.type.name}")
            if fo.array != fn.array:
                one("field.array-changed", fo, fn, "now a list" if fn.array else "no longer a list")
            if fo.optional != fn.optional:
                rule = "field.now-optional" if fn.optional else "field.now-required"
                one(rule, fo, fn, "now optional" if fn.optional else "now required")
            if fo.deprecated != fn.deprecated or fo.deprecation_reason != fn.deprecation_reason:
                self.add(
                    "field.deprecated",
                    f"{subject} field {name}",
                    prefix + ("deprecated" if fn.deprecated else "no longer deprecated"),
                    {"python": N},
                    fo.loc,
                    fn.loc,
                )
            if fo.description != fn.description:
                self.add(
                    "field.description",
                    f"{subject} field {name}",
                    prefix + "description changed",
                    {"python": N},
                    fo.loc,
                    fn.loc,
                )


def _op_surfaces(v: Verdict) -> dict[str, Verdict]:
    return {"rest": v, "graphql": v, "python": v}


def _surfaces_of(item: Operation | Event, v: Verdict) -> dict[str, Verdict]:
    if isinstance(item, Operation):
        return _op_surfaces(v)
    return {"events": v, "python": v}


def compare(old: Spec, new: Spec) -> list[Change]:
    """Every change from ``old`` to ``new``, judged; sorted by subject."""
    return _Differ(old, new).run()
