"""The breaking-change rules: compare two specs and list every change.

Contracts are matched by key across versions (see ``_pair``); models and enums
by name, with a rename detected when a removed and an added model have the same
shape. A change to a shared model is judged once per use: an operation input,
an operation output or an event payload, each reached through ``Spec.closure``.

Every rule is an entry of the registry (``contractgen.rules.diff``, imported
here as ``R``): this module decides which rule applies and which of its cases,
and the entry gives the verdicts. docs/diff.md lists the rules.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, Protocol, TypeVar

from contractgen import naming
from contractgen.diff.changes import Change, ContractRef, Impact, Verdict, worst
from contractgen.rules import diff as R
from contractgen.rules.model import DiffRule
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
    RateLimit,
    Spec,
    UnionType,
    locate,
    version_key,
)
from contractgen.spec.vocabulary import CONSTRAINTS

Direction = Literal["input", "output", "event"]
Use = tuple[ContractRef, Direction]
Item = TypeVar("Item", Operation, Event)
Contract = Operation | Event
#: One contract line: its ref, the old and the new item (None where it is absent).
Line = tuple[ContractRef, Contract | None, Contract | None]

B, N = Verdict.BREAKING, Verdict.INFO


def _judge(rule: DiffRule, uses: Sequence[Use]) -> tuple[dict[str, Verdict], tuple[Impact, ...]]:
    """Per-surface verdicts (worst over uses) and per-contract impacts of a rule
    judged per use; a type nothing reaches is judged by the rule's ``unused`` case."""
    if not uses:
        return rule.verdicts("unused"), ()
    per_contract: dict[ContractRef, list[Verdict]] = defaultdict(list)
    for ref, direction in uses:
        per_contract[ref].append(worst(tuple(rule.verdicts(direction).values())))
    verdicts = rule.verdicts(*sorted({d for _, d in uses}))
    impacts = tuple(Impact(ref, worst(v)) for ref, v in sorted(per_contract.items()))
    return verdicts, impacts


def _used_on(uses: Sequence[Use]) -> list[str]:
    """The cases of a type-wide rule (model or enum removed or renamed) its uses reach."""
    cases = ["any"]
    if any(d in ("input", "output") for _, d in uses):
        cases.append("operation")
    if any(d == "event" for _, d in uses):
        cases.append("event")
    return cases


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


def _shape(model: Model) -> tuple[tuple[str, str, str, bool, bool, bool], ...]:
    return tuple(
        sorted((f.name, f.type.kind, f.type.name, f.optional, f.array, f.map) for f in model.fields)
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
        self.union_uses: dict[str, set[Use]] = defaultdict(set)
        self.renames: dict[str, str] = {}
        #: types reached by contracts removed from the tree, and those contracts
        self.gone_with: dict[str, set[ContractRef]] = defaultdict(set)

    # -- helpers --------------------------------------------------------------------

    def add(
        self,
        rule: DiffRule,
        subject: str,
        message: str,
        surfaces: dict[str, Verdict],
        old_loc: Loc | None,
        new_loc: Loc | None,
        impacts: Iterable[Impact] = (),
    ) -> None:
        self.changes.append(
            Change(rule.id, subject, message, surfaces, old_loc, new_loc, tuple(impacts))
        )

    def on_line(
        self,
        ref: ContractRef,
        rule: DiffRule,
        message: str,
        surfaces: dict[str, Verdict],
        old_loc: Loc | None,
        new_loc: Loc | None,
    ) -> None:
        """A change of one contract line, which carries its worst verdict."""
        impact = Impact(ref, worst(tuple(surfaces.values())))
        self.add(rule, f"{ref.kind} {ref.key}", message, surfaces, old_loc, new_loc, [impact])

    def note_uses(self, ref: ContractRef, item: Contract, spec: Spec) -> None:
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
            for u in spec.unions_reached(models):
                self.union_uses[u].add((ref, direction))

    def uses_of_model(self, old_name: str, new_name: str) -> list[Use]:
        return sorted(self.model_uses.get(old_name, set()) | self.model_uses.get(new_name, set()))

    def uses_of_enum(self, name: str) -> list[Use]:
        return sorted(self.enum_uses.get(name, set()))

    # -- entry point ------------------------------------------------------------------

    def run(self) -> list[Change]:
        lines = self.lines()
        self.note_all_uses(lines)
        self.find_renames()
        before = len(self.changes)
        self.compare_types()
        type_changes = self.changes[before:]
        touched_by_types = {i.contract for c in type_changes for i in c.impacts}
        for ref, o, n in sorted(lines, key=lambda r: r[0]):
            if o is not None and n is not None:
                self.compare_line(ref, o, n, ref in touched_by_types)
            elif o is not None:
                self.removed_contract(ref, o, successor_version=ref.new_version)
            elif n is not None:
                self.added_contract(ref, n)
        return sorted(self.changes, key=Change.sort_key)

    def lines(self) -> list[Line]:
        """Every contract line: pairs, then removed ones, then added ones."""
        op_pairs, op_removed, op_added = _pair(self.old.operations, self.new.operations)
        ev_pairs, ev_removed, ev_added = _pair(self.old.events, self.new.events)
        pairs: list[tuple[Contract, Contract]] = [*op_pairs, *ev_pairs]
        removed: list[tuple[Contract, Contract | None]] = [*op_removed, *ev_removed]
        added: list[Contract] = [*op_added, *ev_added]
        return [
            *((_ref(o, n), o, n) for o, n in pairs),
            *((_ref(o, successor), o, None) for o, successor in removed),
            *((_ref(None, n), None, n) for n in added),
        ]

    def note_all_uses(self, lines: Sequence[Line]) -> None:
        """Only contract lines present on both sides have clients a type change can
        break: a removed or an added contract is reported on its own."""
        for ref, o, n in lines:
            if o is not None and n is not None:
                self.note_uses(ref, o, self.old)
                self.note_uses(ref, n, self.new)
            elif o is not None:
                models, enums = self.old.closure(self.old.roots_of(o))
                for name in [*models, *enums]:
                    self.gone_with[name].add(ref)

    # -- contracts --------------------------------------------------------------------

    def compare_line(self, ref: ContractRef, o: Contract, n: Contract, by_types: bool) -> None:
        start = len(self.changes)
        if isinstance(o, Operation) and isinstance(n, Operation):
            self.compare_operations(ref, o, n)
        elif isinstance(o, Event) and isinstance(n, Event):
            self.compare_events(ref, o, n)
        if o.meta.version == n.meta.version:
            return
        what = "major" if n.meta.major > o.meta.major else "version"
        alone = "" if by_types or len(self.changes) > start else " without any change"
        self.add(
            R.META_VERSION,
            f"{ref.kind} {ref.key}",
            f"{what} bumped {o.meta.version} -> {n.meta.version}{alone}",
            R.META_VERSION.verdicts("any"),
            *_both_at(o, n, ("meta", "version")),
        )

    def added_contract(self, ref: ContractRef, n: Contract) -> None:
        rule = R.OPERATION_ADDED if isinstance(n, Operation) else R.EVENT_ADDED
        what = rule.id.split(".")[0]
        surfaces = rule.verdicts("any")
        self.on_line(ref, rule, f"{what} {n.id} added", surfaces, None, n.meta.loc)

    def removed_contract(
        self, ref: ContractRef, o: Contract, successor_version: str | None
    ) -> None:
        rule = R.OPERATION_REMOVED if isinstance(o, Operation) else R.EVENT_REMOVED
        what = rule.id.split(".")[0]
        notes = []
        if o.meta.stability == "deprecated":
            notes.append("it was deprecated")
        if successor_version:
            notes.append(f"{o.meta.key}@{successor_version} remains")
        tail = f" ({'; '.join(notes)})" if notes else ""
        surfaces = rule.verdicts("any")
        self.on_line(ref, rule, f"{what} {o.id} removed{tail}", surfaces, o.meta.loc, None)

    def meta_changes(self, ref: ContractRef, o: Contract, n: Contract) -> None:
        subject = f"{ref.kind} {ref.key}"
        for attr, rule in R.META_TEXTS.items():
            if getattr(o.meta, attr) != getattr(n.meta, attr):
                self.add(
                    rule,
                    subject,
                    f"meta.{attr} changed",
                    rule.verdicts("any"),
                    *_both_at(o, n, ("meta", attr), ("", "meta")),
                    [Impact(ref, N)],
                )
        so, sn = o.meta.stability, n.meta.stability
        if so != sn:
            if sn == "deprecated":
                case, how = "lowered or deprecated", "deprecated"
            elif so == "deprecated" or STABILITY_ORDER.index(sn) > STABILITY_ORDER.index(so):
                case, how = "raised", "raised"
            else:
                case, how = "lowered or deprecated", "lowered"
            kind = "operation" if isinstance(n, Operation) else "event"
            surfaces = R.META_STABILITY.verdicts(f"{case} ({kind})")
            msg = f"stability {how}: {so} -> {sn}"
            where = _both_at(o, n, ("meta", "stability"))
            self.on_line(ref, R.META_STABILITY, msg, surfaces, *where)

    def compare_events(self, ref: ContractRef, o: Event, n: Event) -> None:
        self.meta_changes(ref, o, n)
        # The names the surfaces derive from the key and major: changed by a major bump.
        for rule, derive, what in (
            (R.EVENT_GRAPHQL_FIELD, naming.gql_event_field, "Subscription field"),
            (R.EVENT_PYTHON_NAME, naming.event_name, "Python event class"),
        ):
            old_name, new_name = derive(o), derive(n)
            if old_name != new_name:
                where = _both_at(o, n, ("meta", "version"))
                msg = f"{what} {old_name} -> {new_name}"
                self.on_line(ref, rule, msg, rule.verdicts("any"), *where)
        if o.payload != n.payload:
            where = _both_at(o, n, ("", "payload"))
            self.io_changed(ref, "payload", o.payload, n.payload, "event", *where)
        if o.pii != n.pii:
            subject = f"event {ref.key}"
            surfaces = R.EVENT_PII.verdicts("any")
            where = _both_at(o, n, ("", "pii"))
            self.add(R.EVENT_PII, subject, "pii fields changed", surfaces, *where)

    def compare_operations(self, ref: ContractRef, o: Operation, n: Operation) -> None:
        def one(rule: DiffRule, message: str, case: str, *where: tuple[str, str]) -> None:
            """A change of the operation, at the first written of the places."""
            self.on_line(ref, rule, message, rule.verdicts(case), *_both_at(o, n, *where))

        self.meta_changes(ref, o, n)
        if o.kind != n.kind:
            one(R.OPERATION_KIND, f"{o.kind} became a {n.kind}", "any", ("", "kind"))
        self.compare_transport(o, n, one)
        self.compare_io(ref, o, n, one)
        self.compare_errors(ref, o, n)
        self.compare_policy(o, n, one)
        if {(e.event, e.version) for e in o.emits} != {(e.event, e.version) for e in n.emits}:
            one(R.OPERATION_EMITS, "emitted events changed", "any", ("", "sideEffects"))
        if _examples(o) != _examples(n):
            one(R.OPERATION_EXAMPLES, "examples changed", "any", ("", "examples"))

    def compare_transport(self, o: Operation, n: Operation, one: _One) -> None:
        for label, rule, fn, where in _TRANSPORT:
            if fn(o) != fn(n):
                one(rule, f"{label} {fn(o)} -> {fn(n)}", "any", *where)
        self.compare_answers(o, n, one)
        old_in = self.old.models.get(o.input or "")
        new_in = self.new.models.get(n.input or "")
        if old_in is None or new_in is None:
            return
        for f in old_in.fields:
            if new_in.field(f.name) is None:
                continue
            was, now = _rest_place(o, f.name), _rest_place(n, f.name)
            if was != now:
                msg = f"input field {f.name} moved: {was} -> {now}"
                where = (("transport.rest", "headers"), ("transport.rest", "path"), ("", "io"))
                one(R.TRANSPORT_REST_LOCATION, msg, "any", *where)

    def compare_answers(self, o: Operation, n: Operation, one: _One) -> None:
        """The other answers of the REST route: added, removed, or holding another model
        (a change of the main status is the rest-status rule's)."""
        old, new = _answers(o), _answers(n)
        rest = (("transport.rest", "responses"), ("transport.rest", "status"), ("", "transport"))
        for status in sorted({*old, *new}):
            where = (("transport.rest.responses", str(status)), *rest)
            if status not in old:
                case = "another" if naming.answers_more(o) else "first"
                one(R.TRANSPORT_REST_ANSWER_ADDED, f"REST answer {status} added", case, *where)
            elif status not in new:
                case = "another" if naming.answers_more(n) else "last"
                one(R.TRANSPORT_REST_ANSWER_REMOVED, f"REST answer {status} removed", case, *where)
            elif old[status] != new[status]:
                message = f"REST answer {status} holds {new[status]}, was {old[status]}"
                one(R.TRANSPORT_REST_ANSWER_BODY, message, "any", *where)

    def compare_io(self, ref: ContractRef, o: Operation, n: Operation, one: _One) -> None:
        if o.input != n.input:
            if o.input is None or n.input is None:
                rule = R.IO_INPUT_ADDED if o.input is None else R.IO_INPUT_REMOVED
                one(rule, f"input {o.input} -> {n.input}", "any", ("io", "input"), ("", "io"))
            else:
                where = _both_at(o, n, ("io", "input"))
                self.io_changed(ref, "input", o.input, n.input, "input", *where)
        if o.output != n.output:
            if o.output is None or n.output is None:
                rule = R.IO_OUTPUT_ADDED if o.output is None else R.IO_OUTPUT_REMOVED
                one(rule, f"output {o.output} -> {n.output}", "any", ("io", "output"), ("", "io"))
            else:
                where = _both_at(o, n, ("io", "output"))
                self.io_changed(ref, "output", o.output, n.output, "output", *where)

    def compare_policy(self, o: Operation, n: Operation, one: _One) -> None:
        po, pn = o.policy, n.policy

        def at(key: str) -> tuple[tuple[str, str], tuple[str, str]]:
            return ("policy", key), ("", "policy")

        if po.auth != pn.auth:
            tighter = AUTH_ORDER.index(pn.auth) > AUTH_ORDER.index(po.auth)
            how = "tightened" if tighter else "loosened"
            one(R.POLICY_AUTH, f"auth {how}: {po.auth} -> {pn.auth}", how, *at("auth"))
        if po.idempotent != pn.idempotent:
            word, case = ("no longer", "lost") if po.idempotent else ("now", "gained")
            one(R.POLICY_IDEMPOTENT, f"{word} idempotent", case, *at("idempotent"), ("", "kind"))
        if po.rate_limit != pn.rate_limit:
            msg, case = _rate_limit_change(po.rate_limit, pn.rate_limit)
            one(R.POLICY_RATE_LIMIT, msg, case, *at("rateLimit"))
        if po.flags != pn.flags:
            case = "gained" if set(pn.flags) - set(po.flags) else "only dropped"
            msg = f"feature flags {list(po.flags)} -> {list(pn.flags)}"
            one(R.POLICY_FLAGS, msg, case, *at("flags"))
        if po.pii != pn.pii:
            one(R.POLICY_PII, f"pii fields {list(po.pii)} -> {list(pn.pii)}", "any", *at("pii"))

    # -- errors -----------------------------------------------------------------------

    def compare_errors(self, ref: ContractRef, o: Operation, n: Operation) -> None:
        old_e: dict[str, ErrorDef] = {e.code: e for e in o.errors}
        new_e: dict[str, ErrorDef] = {e.code: e for e in n.errors}
        for code in sorted(set(old_e) | set(new_e)):
            eo, en = old_e.get(code), new_e.get(code)
            old_at = (o, eo) if eo else None
            new_at = (n, en) if en else None
            if en is None:
                msg = f"error {code} no longer returned"
                self.on_error(ref, R.ERROR_REMOVED, code, msg, old_at, new_at)
            elif eo is None:
                msg = f"error {code} may now be returned"
                self.on_error(ref, R.ERROR_ADDED, code, msg, old_at, new_at)
            else:
                for rule, what, get, keys in _ERROR_ATTRS:
                    if get(eo) != get(en):
                        msg = what.format(old=get(eo), new=get(en))
                        self.on_error(ref, rule, code, msg, old_at, new_at, keys)

    def on_error(
        self,
        ref: ContractRef,
        rule: DiffRule,
        code: str,
        message: str,
        old: tuple[Operation, ErrorDef] | None,
        new: tuple[Operation, ErrorDef] | None,
        keys: tuple[str, ...] = (),
    ) -> None:
        """A change of one error code, at the first written of its keys (else at the code)."""
        surfaces = rule.verdicts("any")
        self.add(
            rule,
            f"{ref.kind} {ref.key} error {code}",
            message,
            surfaces,
            _error_at(old, keys),
            _error_at(new, keys),
            [Impact(ref, worst(tuple(surfaces.values())))],
        )

    # -- io -----------------------------------------------------------------------------

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
        renamed, retyped = _IO_RULES[slot]
        case = "event" if direction == "event" else "operation"
        if self.renames.get(old_name) == new_name:
            msg = f"{slot} type renamed {old_name} -> {new_name} (same shape)"
            self.on_line(ref, renamed, msg, renamed.verdicts(case), ol, nl)
            return
        msg = f"{slot} type {old_name} -> {new_name}"
        self.on_line(ref, retyped, msg, retyped.verdicts(case), ol, nl)
        om, nm = self.old.models.get(old_name), self.new.models.get(new_name)
        if om is not None and nm is not None:
            prefix = f"{slot} of {ref.kind} {ref.key}: "
            self.compare_fields(om, nm, [(ref, direction)], prefix)

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
                self.compare_model(om, nm)
            elif om is not None:
                self.model_gone(om)
            elif nm is not None and name not in self.renames.values():
                self.type_added(R.MODEL_ADDED, "model", name, nm.loc)
        for name in sorted(set(old.enums) | set(new.enums)):
            oe, ne = old.enums.get(name), new.enums.get(name)
            if oe is not None and ne is not None:
                self.compare_enum(oe, ne)
            elif oe is not None:
                uses = self.uses_of_enum(name)
                impacts = self.removal_impacts(name, uses)
                self.type_gone(R.ENUM_REMOVED, "enum", name, uses, oe.loc, None, impacts)
            elif ne is not None:
                self.type_added(R.ENUM_ADDED, "enum", name, ne.loc)
        for name in sorted(set(old.unions) | set(new.unions)):
            ou, nu = old.unions.get(name), new.unions.get(name)
            if ou is not None and nu is not None:
                self.compare_union(ou, nu)
            elif ou is not None:
                rule = R.UNION_REMOVED
                msg = f"union {name} removed"
                self.add(rule, f"union {name}", msg, rule.verdicts("any"), ou.loc, None)
            elif nu is not None:
                self.type_added(R.UNION_ADDED, "union", name, nu.loc)

    def compare_union(self, ou: UnionType, nu: UnionType) -> None:
        """Members by tag (a member's tag or model changed: removed and added), judged by
        how the contracts use the union; the discriminator."""
        uses = sorted(self.union_uses.get(ou.name, set()))
        subject = f"union {ou.name}"
        old_members, new_members = set(ou.members), set(nu.members)
        for tag, model in sorted(old_members - new_members):
            surfaces, impacts = _judge(R.UNION_MEMBER_REMOVED, uses)
            where = ou.at("members", tag), nu.at("", "members")
            msg = f"member {tag} ({model}) removed"
            self.add(R.UNION_MEMBER_REMOVED, subject, msg, surfaces, *where, impacts)
        for tag, model in sorted(new_members - old_members):
            surfaces, impacts = _judge(R.UNION_MEMBER_ADDED, uses)
            where = ou.at("", "members"), nu.at("members", tag)
            msg = f"member {tag} ({model}) added"
            self.add(R.UNION_MEMBER_ADDED, subject, msg, surfaces, *where, impacts)
        if ou.discriminator != nu.discriminator:
            surfaces, impacts = _judge(R.UNION_DISCRIMINATOR, uses)
            where = ou.at("", "discriminator"), nu.at("", "discriminator")
            msg = f"discriminator {ou.discriminator} -> {nu.discriminator}"
            self.add(R.UNION_DISCRIMINATOR, subject, msg, surfaces, *where, impacts)

    def compare_model(self, om: Model, nm: Model) -> None:
        if om.description != nm.description:
            rule = R.MODEL_DESCRIPTION
            subject = f"model {om.name}"
            where = om.at("", "description", om.loc), nm.at("", "description", nm.loc)
            self.add(rule, subject, "description changed", rule.verdicts("any"), *where)
        self.compare_fields(om, nm, self.uses_of_model(om.name, nm.name), "")

    def model_gone(self, om: Model) -> None:
        name = om.name
        target = self.renames.get(name)
        uses = self.uses_of_model(name, target or name)
        if target is None:
            impacts = self.removal_impacts(name, uses)
            self.type_gone(R.MODEL_REMOVED, "model", name, uses, om.loc, None, impacts)
            return
        impacts = [Impact(r, B) for r in sorted({r for r, _ in uses})]
        new_loc = self.new.models[target].loc
        self.type_gone(R.MODEL_RENAMED, "model", name, uses, om.loc, new_loc, impacts, target)

    def type_gone(
        self,
        rule: DiffRule,
        what: str,
        name: str,
        uses: Sequence[Use],
        old_loc: Loc,
        new_loc: Loc | None,
        impacts: Sequence[Impact],
        target: str | None = None,
    ) -> None:
        """A model or enum removed, or (with a target) renamed."""
        gone = f"renamed to {target} (same shape)" if target else "removed"
        surfaces = rule.verdicts(*_used_on(uses))
        self.add(
            rule, f"{what} {name}", f"{what} {name} {gone}", surfaces, old_loc, new_loc, impacts
        )

    def type_added(self, rule: DiffRule, what: str, name: str, loc: Loc) -> None:
        self.add(rule, f"{what} {name}", f"{what} {name} added", rule.verdicts("any"), None, loc)

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
        # A value is located where it is written; on the side without it, at 'values:'.
        gone = set(oe.values) - set(ne.values)
        new = set(ne.values) - set(oe.values)
        for old_value, new_value in _wire_renames(gone, new):
            gone.discard(old_value)
            new.discard(new_value)
            surfaces, impacts = _judge(R.ENUM_VALUE_RENAMED, uses)
            where = oe.at(oe.values.index(old_value)), ne.at(ne.values.index(new_value))
            msg = f"value {old_value} renamed {new_value} on the wire"
            self.add(R.ENUM_VALUE_RENAMED, subject, msg, surfaces, *where, impacts)
        for value in sorted(gone):
            surfaces, impacts = _judge(R.ENUM_VALUE_REMOVED, uses)
            where = oe.at(oe.values.index(value)), ne.at("values")
            msg = f"value {value} removed"
            self.add(R.ENUM_VALUE_REMOVED, subject, msg, surfaces, *where, impacts)
        for value in sorted(new):
            surfaces, impacts = _judge(R.ENUM_VALUE_ADDED, uses)
            where = oe.at("values"), ne.at(ne.values.index(value))
            msg = f"value {value} added"
            self.add(R.ENUM_VALUE_ADDED, subject, msg, surfaces, *where, impacts)
        old_notes = {m.value: m[1:] for m in oe.members}
        for i, m in enumerate(ne.members):
            if m.value in old_notes and old_notes[m.value] != m[1:]:
                rule = R.ENUM_VALUE_NOTES
                where = oe.at(oe.values.index(m.value)), ne.at(i)
                msg = f"value {m.value}: description or deprecation changed"
                self.add(rule, subject, msg, rule.verdicts("any"), *where)
        if oe.description != ne.description:
            rule = R.ENUM_DESCRIPTION
            where = oe.at("description"), ne.at("description")
            self.add(rule, subject, "description changed", rule.verdicts("any"), *where)

    # -- fields -------------------------------------------------------------------------

    def compare_fields(self, om: Model, nm: Model, uses: Sequence[Use], prefix: str) -> None:
        fields = _FieldDiff(self, om, nm, uses, prefix)
        old_f = {f.name: f for f in om.fields}
        new_f = {f.name: f for f in nm.fields}
        for name in sorted(set(old_f) | set(new_f)):
            fo, fn = old_f.get(name), new_f.get(name)
            if fn is None:
                assert fo is not None
                fields.removed(fo)
            elif fo is None:
                fields.added(fn)
            else:
                fields.changed(fo, fn)
                fields.notes(fo, fn)


class _FieldDiff:
    """The field rules between two models (or two versions of one), for given uses."""

    def __init__(
        self, differ: _Differ, om: Model, nm: Model, uses: Sequence[Use], prefix: str
    ) -> None:
        self.differ = differ
        self.om, self.nm = om, nm
        self.uses = uses
        self.prefix = prefix
        same = om.name == nm.name
        self.subject = f"model {nm.name}" if same else f"model {om.name}->{nm.name}"

    def one(
        self, rule: DiffRule, fo: Field | None, fn: Field | None, msg: str, key: str = ""
    ) -> None:
        surfaces, impacts = _judge(rule, self.uses)
        self.note(rule, fo, fn, msg, surfaces, impacts, key)

    def note(
        self,
        rule: DiffRule,
        fo: Field | None,
        fn: Field | None,
        msg: str,
        surfaces: dict[str, Verdict],
        impacts: Iterable[Impact] = (),
        key: str = "",
    ) -> None:
        """A field change, at the field's key (else, when written, at the field's
        own key that changed, such as its 'type:'); at the model where it is absent."""
        name = (fo or fn).name  # type: ignore[union-attr]
        old_loc = self.om.at(name, key, fo.loc) if fo else self.om.loc
        new_loc = self.nm.at(name, key, fn.loc) if fn else self.nm.loc
        subject = f"{self.subject} field {name}"
        self.differ.add(rule, subject, self.prefix + msg, surfaces, old_loc, new_loc, impacts)

    def removed(self, fo: Field) -> None:
        note = (
            f"after deprecation ({fo.deprecation_reason or 'deprecated'})"
            if fo.deprecated
            else "without prior deprecation"
        )
        self.one(R.FIELD_REMOVED, fo, None, f"field {fo.name} removed {note}")

    def added(self, fn: Field) -> None:
        rule = R.FIELD_ADDED_OPTIONAL if fn.optional else R.FIELD_ADDED_REQUIRED
        which = "optional" if fn.optional else "required"
        self.one(rule, None, fn, f"{which} field {fn.name} added")

    def changed(self, fo: Field, fn: Field) -> None:
        if fo.type != fn.type:
            renamed = self.differ.renames.get(fo.type.name) == fn.type.name
            if fo.type.kind == "model" and renamed:
                msg = f"type {fo.type.name} renamed {fn.type.name} (same shape)"
                self.one(R.FIELD_TYPE_RENAMED, fo, fn, msg, "type")
            else:
                msg = f"type {fo.shown_type} -> {fn.shown_type}"
                self.one(R.FIELD_TYPE_CHANGED, fo, fn, msg, "type")
        if fo.array != fn.array:
            msg = "now a list" if fn.array else "no longer a list"
            self.one(R.FIELD_ARRAY_CHANGED, fo, fn, msg, "isArray")
        if fo.optional != fn.optional:
            rule = R.FIELD_NOW_OPTIONAL if fn.optional else R.FIELD_NOW_REQUIRED
            msg = "now optional" if fn.optional else "now required"
            self.one(rule, fo, fn, msg, "isOptional")
        if fo.map != fn.map:
            self.one(
                R.FIELD_MAP_CHANGED, fo, fn, "now a map" if fn.map else "no longer a map", "isMap"
            )
        self.defaults(fo, fn)
        tightened, loosened = constraint_moves(fo.constraints, fn.constraints)
        for rule, moves, verb in (
            (R.FIELD_CONSTRAINT_TIGHTENED, tightened, "tightened"),
            (R.FIELD_CONSTRAINT_LOOSENED, loosened, "loosened"),
        ):
            if moves:
                text = "; ".join(m for m, _ in moves)
                self.one(rule, fo, fn, f"constraints {verb}: {text}", moves[0][1])

    def defaults(self, fo: Field, fn: Field) -> None:
        if fo.has_default and fn.has_default and fo.default != fn.default:
            msg = f"default {json.dumps(fo.default)} -> {json.dumps(fn.default)}"
            self.one(R.FIELD_DEFAULT_CHANGED, fo, fn, msg, "default")
        elif fn.has_default and not fo.has_default and not fn.optional:
            msg = f"default {json.dumps(fn.default)} added"
            self.one(R.FIELD_DEFAULT_ADDED, fo, fn, msg, "default")
        elif fo.has_default and not fn.has_default and not fn.optional:
            self.one(R.FIELD_DEFAULT_REMOVED, fo, fn, "default removed", "default")

    def notes(self, fo: Field, fn: Field) -> None:
        if fo.deprecated != fn.deprecated or fo.deprecation_reason != fn.deprecation_reason:
            msg = "deprecated" if fn.deprecated else "no longer deprecated"
            rule = R.FIELD_DEPRECATED
            self.note(rule, fo, fn, msg, rule.verdicts("any"), key="deprecated")
        if fo.description != fn.description:
            rule = R.FIELD_DESCRIPTION
            self.note(rule, fo, fn, "description changed", rule.verdicts("any"), key="description")


class _One(Protocol):
    """Reports one change of the operation being compared: its rule, message and
    case, located at the first written of the places (section, key)."""

    def __call__(
        self, rule: DiffRule, message: str, case: str, *where: tuple[str, str]
    ) -> None: ...


#: Where a place is written: (section, key) of ``Contract.places``.
_Where = tuple[tuple[str, str], ...]

#: Label, rule, the name on the surface, and where it is set: the transport
#: override if written, else what the default follows (the kind or the major).
_TRANSPORT: tuple[tuple[str, DiffRule, Callable[[Operation], str], _Where], ...] = (
    (
        "REST method",
        R.TRANSPORT_REST_METHOD,
        naming.rest_method,
        (("transport.rest", "method"), ("", "kind")),
    ),
    (
        "REST path",
        R.TRANSPORT_REST_PATH,
        naming.rest_path,
        (("transport.rest", "path"), ("meta", "version")),
    ),
    (
        "GraphQL field",
        R.TRANSPORT_GRAPHQL_FIELD,
        naming.gql_field,
        (("transport.gql", "field"), ("meta", "version")),
    ),
    (
        "REST success status",
        R.TRANSPORT_REST_STATUS,
        lambda op: str(naming.rest_status(op)),
        (("transport.rest", "status"), ("io", "output"), ("", "io")),
    ),
    ("Python handler", R.TRANSPORT_PYTHON_HANDLER, naming.handler_name, (("meta", "version"),)),
)

#: Rule, message, the value compared, and the keys of the error that hold it.
_ERROR_ATTRS: tuple[tuple[DiffRule, str, Callable[[ErrorDef], Any], tuple[str, ...]], ...] = (
    (R.ERROR_HTTP, "HTTP status {old} -> {new}", lambda e: e.http, ("http",)),
    (R.ERROR_GQL_CODE, "GraphQL code {old} -> {new}", lambda e: e.gql_code, ("gqlCode",)),
    (R.ERROR_RETRYABLE, "retryable {old} -> {new}", lambda e: e.retryable, ("retryable",)),
    (
        R.ERROR_DESCRIPTION,
        "description or 'when' changed",
        lambda e: (e.description, e.when),
        ("description", "when"),
    ),
)


def _answers(op: Operation) -> dict[int, str | None]:
    """The answers of the route beside its main status, with the model each body holds.
    The operation's own output changing is the io rules' (so it is not compared here)."""
    main = naming.rest_status(op)
    return {
        status: model if model != op.output else None
        for status, model in naming.rest_answers(op)
        if status != main
    }


def _rest_place(op: Operation, field: str) -> str:
    """Where an input field travels on the REST route, the body and the query string as
    one place (a method change, reported on its own, moves a field between those two)."""
    place = naming.rest_location(op, field)
    if field in op.transport.rest_query:
        return "query"  # (chosen in transport.rest.query: the method does not move it)
    return "body or query" if place in ("body", "query") else place


def _both_at(o: Contract, n: Contract, *where: tuple[str, str]) -> tuple[Loc, Loc]:
    """The first written of the places, in the old and in the new contract."""
    return o.at(*where), n.at(*where)


def _error_at(side: tuple[Operation, ErrorDef] | None, keys: tuple[str, ...]) -> Loc | None:
    """Where the first written of an error's keys is; else its code; None when absent."""
    if side is None:
        return None
    op, err = side
    section = f"io.errors.{err.code}"
    return locate(op.file, op.places, *((section, k) for k in keys)) or err.loc


_IO_RULES: dict[str, tuple[DiffRule, DiffRule]] = {
    "input": (R.IO_INPUT_RENAMED, R.IO_INPUT_TYPE),
    "output": (R.IO_OUTPUT_RENAMED, R.IO_OUTPUT_TYPE),
    "payload": (R.IO_PAYLOAD_RENAMED, R.IO_PAYLOAD_TYPE),
}


def _rate_limit_change(ro: RateLimit | None, rn: RateLimit | None) -> tuple[str, str]:
    """The message and the case of a rate limit change."""
    if rn is None:
        return "rate limit removed", "removed or raised"
    if ro is None:
        return f"rate limit added: {rn.rpm} rpm per {rn.key}", "added, lowered or re-keyed"
    lower = rn.rpm < ro.rpm or rn.key != ro.key
    case = "added, lowered or re-keyed" if lower else "removed or raised"
    return f"rate limit {ro.rpm}/{ro.key} -> {rn.rpm}/{rn.key}", case


def _wire_renames(gone: set[str], new: set[str]) -> list[tuple[str, str]]:
    """Removed and added values that the Python surface spells the same: one value
    renamed on the wire (PENDING -> pending), in sorted order."""
    by_member = {naming.python_enum_member(v): v for v in sorted(new)}
    pairs = []
    for value in sorted(gone):
        match = by_member.pop(naming.python_enum_member(value), None)
        if match is not None:
            pairs.append((value, match))
    return pairs


#: Lower bounds: a larger value, or a bound added, accepts fewer values.
_LOWER = ("minLength", "minimum", "exclusiveMinimum", "minItems")
_UPPER = ("maxLength", "maximum", "exclusiveMaximum", "maxItems")
#: (text, the constraint keyword: where to point)
Move = tuple[str, str]


def constraint_moves(
    old: tuple[tuple[str, Any], ...], new: tuple[tuple[str, Any], ...]
) -> tuple[list[Move], list[Move]]:
    """The constraint changes that accept fewer values, and those that accept more
    (a changed pattern, or a multipleOf neither divides, is both)."""
    o, n = dict(old), dict(new)
    tightened: list[Move] = []
    loosened: list[Move] = []
    for key in [k for k in CONSTRAINTS if k in o or k in n]:
        before, after = o.get(key), n.get(key)
        if before == after:
            continue
        text = f"{key} {_shown(before)} -> {_shown(after)}"
        fewer, more = _direction(key, before, after)
        if fewer:
            tightened.append((text, key))
        if more:
            loosened.append((text, key))
    return tightened, loosened


def _shown(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value)


def _direction(key: str, before: Any, after: Any) -> tuple[bool, bool]:
    """Whether a changed constraint accepts fewer values, and whether it accepts more."""
    if before is None or after is None:  # added: fewer; removed: more
        added = before is None and (key != "uniqueItems" or bool(after))
        removed = after is None and (key != "uniqueItems" or bool(before))
        return added, removed
    if key in _LOWER:
        return after > before, after < before
    if key in _UPPER:
        return after < before, after > before
    if key == "uniqueItems":
        return bool(after) and not before, bool(before) and not after
    if key == "multipleOf":
        finer = _divides(after, before)  # every multiple of the old is one of the new
        coarser = _divides(before, after)
        return not finer, not coarser
    return True, True  # a pattern changed: no telling, so both


def _divides(step: float, value: float) -> bool:
    quotient = value / step
    return abs(quotient - round(quotient)) < 1e-9


def compare(old: Spec, new: Spec) -> list[Change]:
    """Every change from ``old`` to ``new``, judged; sorted by subject."""
    return _Differ(old, new).run()
