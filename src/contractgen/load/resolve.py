"""From checked files to one resolved ``Spec``: names, references, tree-wide rules."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, cast

from contractgen import naming
from contractgen.diagnostics import Diagnostic, did_you_mean, error
from contractgen.load.cycles import cycles, needs
from contractgen.load.examples import ValueCheck, check_value
from contractgen.load.fields import NEW_KEYS, field_problems
from contractgen.load.places import Places, Written
from contractgen.load.schema import (
    EventParts,
    FileParts,
    OperationParts,
    RawAnswer,
    RawEnum,
    RawEnumValue,
    RawError,
    RawExample,
    RawField,
    RawIO,
    RawMeta,
    RawModel,
    RawRest,
    RawUnion,
)
from contractgen.load.yamlpos import Path, Positions
from contractgen.spec import (
    SCALARS,
    EnumType,
    EnumValue,
    ErrorDef,
    Event,
    Example,
    Field,
    Loc,
    Meta,
    Model,
    Operation,
    Policy,
    Spec,
    Transport,
    TypeRef,
    UnionType,
    canonical_scalar,
)
from contractgen.spec.model import Answer, Emit, RateLimit, version_key
from contractgen.spec.scalars import SCALAR_ALIASES, STRUCTURED_SCALARS
from contractgen.spec.vocabulary import (
    ANSWER_STATUSES,
    BODYLESS_STATUSES,
    GRAPHQL_ROOT_TYPES,
    PARAMETER_METHODS,
    TYPE_SUFFIXES,
    AnswerStatus,
    TypeKind,
)

KEY_RE = re.compile(r"^[a-z][A-Za-z0-9_]*(\.[a-z][A-Za-z0-9_]*)+$")
SEMVER_RE = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)
FIELD_RE = re.compile(r"^[a-z][A-Za-z0-9]*$")
TYPE_NAME_RE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
ENUM_VALUE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
ERROR_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
#: A union member's tag: a name every surface can spell (a GraphQL field, a JSON string).
TAG_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
GQL_NAME_RE = re.compile(r"^[A-Za-z][_0-9A-Za-z]*$")
DOMAIN_RE = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
#: The statuses rest.responses may declare, as YAML keys.
_ANSWER_KEYS = tuple(str(s) for s in ANSWER_STATUSES)
#: A segment of a REST path: plain characters and `{param}` placeholders (`{base}...{head}`).
REST_SEGMENT_RE = re.compile(r"^(?:[A-Za-z0-9._~-]|\{[a-z][A-Za-z0-9]*\})+$")
#: Type names every surface already uses for itself.
RESERVED_TYPE_NAMES = (
    frozenset({*GRAPHQL_ROOT_TYPES, "ErrorCode"})
    | frozenset({s.graphql for s in SCALARS.values()})
    | frozenset(SCALARS)
    | frozenset(SCALAR_ALIASES)
    | naming.PYTHON_KEYWORD_TYPE_NAMES
)
#: Top-level keys that decide what a contract is and its names in the surfaces: a contract
#: that lost one of them to a shape error is checked, but not built.
_NAMING_PARTS = frozenset({"kind", "meta", "transport"})


@dataclass
class Unit:
    """One file that passed the shape check."""

    display: str  # path as shown to the user
    path: str  # stable path, below the contracts root's parent
    raw: FileParts | None  # what survived the shape check of the contract part
    models: dict[str, RawModel]
    enums: dict[str, RawEnum]
    positions: Positions
    domain: str
    text: str
    #: Top-level keys of the contract part that lost something to a shape error.
    lost: frozenset[str] = frozenset()
    #: In a section dropped whole, the values valid on their own (see load.shape).
    loose: dict[Path, Any] = dataclass_field(default_factory=dict)
    #: For a list that lost items to a shape error: the original index of each kept.
    kept: dict[Path, list[int]] = dataclass_field(default_factory=dict)
    unions: dict[str, RawUnion] = dataclass_field(default_factory=dict)

    @functools.cached_property
    def written(self) -> Written:
        """The file's text, for the places of the definitions it holds."""
        return Written(self.text, self.display)

    def loc(self, path: Path, key: bool = False) -> Loc:
        line, col = self.positions.of_key(path) if key else self.positions.of(path)
        return Loc(self.path, line, col)

    def item(self, path: Path, i: int) -> Path:
        """The path in the file of the item i of the (possibly shortened) list at path."""
        kept = self.kept.get(path)
        return (*path, kept[i] if kept is not None else i)


class Resolver:
    """Resolves files into a spec: ``add`` each file in file order, then ``run``.

    ``add`` registers a file's models and enums, and resolves each model as
    soon as every type its fields name is defined (at once, or when a later
    file defines the last of them), so this work overlaps the parsing of later
    files. ``run`` resolves the models that name undefined types (reporting
    them), then the contracts, and checks rules across the tree. The result
    does not depend on when a model was resolved.
    """

    def __init__(self, broken_names: set[str], root: str) -> None:
        #: The contract files (operations and events), resolved at ``run``.
        self.units: list[Unit] = []
        #: Each domain's first file's place of ``meta.domain`` (for check_domains).
        self.domain_at: dict[str, Loc] = {}
        #: Names whose definition failed (or may exist in a file that failed):
        #: references to them are not reported again (complete at ``run``).
        self.broken = broken_names
        #: Set when a file's models or enums cannot be read at all: then any
        #: name may be defined there, and no reference is reported as unknown.
        self.names_unsure = False
        #: Model -> fields dropped for a reported problem: examples, pii and path
        #: parameters that name them are not reported again.
        self.dropped: dict[str, set[str]] = {}
        #: Keys of events whose file failed: emits naming them are not reported;
        #: with an event whose key cannot be read, no emits of unknown events are.
        self.unsure_events: set[str] = set()
        self.unsure_event_key = False
        #: Models and enums defined more than once (reported): which definition an
        #: example meant is unknown, so examples of these are not checked.
        self.twice: set[str] = set()
        self.root = root
        self.diags: list[Diagnostic] = []
        self.display: dict[str, str] = {}
        #: Every model defined (in the order defined), and those not resolved yet
        #: with what they were written as (let go once resolved: the loader keeps
        #: only what the spec needs).
        self.model_names: dict[str, None] = {}
        self.raw_models: dict[str, tuple[Unit, RawModel]] = {}
        self.enums: dict[str, EnumType] = {}
        self.models: dict[str, Model] = {}
        self.raw_unions: dict[str, tuple[Unit, RawUnion]] = {}
        self.unions: dict[str, UnionType] = {}
        # Definitions seen so far: by name, and by name folded to lower case.
        self.seen: dict[str, Loc] = {}
        self.folded: dict[str, tuple[str, Loc]] = {}
        #: Models waiting for a type name to be defined, by that name.
        self.waiting: dict[str, list[str]] = {}
        self.known: dict[str, TypeRef] = {}  # type names resolved so far
        self.good_names: set[str] = set()  # field names that passed FIELD_RE (most repeat)

    # -- reporting --------------------------------------------------------------

    def err(
        self,
        code: str,
        message: str,
        loc: Loc,
        hint: str | None = None,
        related: Iterable[tuple[Loc, str]] = (),
    ) -> None:
        self.diags.append(
            error(
                code,
                message,
                self.display.get(loc.file, loc.file),
                loc.line,
                loc.col,
                hint,
                tuple((self.display.get(r.file, r.file), r.line, r.col, m) for r, m in related),
            )
        )

    def report_twice(self, code: str, what: str, loc: Loc, hint: str, first: Loc) -> None:
        """Reports the second definition of something defined once already, at first."""
        self.err(code, f"{what} is defined twice", loc, hint, [(first, "first defined here")])

    # -- the whole run ------------------------------------------------------------

    def add(self, unit: Unit) -> None:
        """Takes the next file (in file order)."""
        if isinstance(unit.raw, (EventParts, OperationParts)):
            self.units.append(unit)
        if unit.domain not in self.domain_at:
            self.domain_at[unit.domain] = unit.loc(("meta", "domain"))
        self.display[unit.path] = unit.display
        models, names = self.collect_definitions(unit)
        for name in names:  # what waited for these names may be resolved now
            models.extend(self.waiting.pop(name, ()))
        for model in models:
            missing = self.missing_type(model)
            if missing is None:
                self.resolve_model(model)
            else:
                self.waiting.setdefault(missing, []).append(model)

    def run(self) -> Spec:
        for models in self.waiting.values():  # (each names a type nothing defines)
            for model in models:
                self.resolve_model(model)
        self.resolve_unions()
        self.check_defaults()
        self.check_cycles()
        ops: list[Operation] = []
        events: list[Event] = []
        for unit in self.drain(EventParts):
            if isinstance(unit.raw, EventParts):
                ev = self.event(unit, unit.raw)
                if ev:
                    events.append(ev)
        event_ids = {(e.key, e.version) for e in events}
        for unit in self.drain(OperationParts):
            if isinstance(unit.raw, OperationParts):
                op = self.operation(unit, unit.raw, event_ids, events)
                if op:
                    ops.append(op)
        self.check_domains()
        self.check_unique_versions([*ops, *events])
        self.check_error_codes(ops)
        self.check_surfaces([*ops, *events])
        return Spec(
            root=self.root,
            operations=tuple(sorted(ops, key=lambda o: (o.key, version_key(o.version)))),
            events=tuple(sorted(events, key=lambda e: (e.key, version_key(e.version)))),
            models=dict(sorted(self.models.items())),
            enums=dict(sorted(self.enums.items())),
            unions=dict(sorted(self.unions.items())),
        )

    def drain(self, kind: type[FileParts]) -> Iterator[Unit]:
        """The contract files of one kind, in file order, each let go (with what it
        was written as, and where) once the caller is done with it."""
        mine = [u for u in self.units if isinstance(u.raw, kind)]
        self.units = [u for u in self.units if not isinstance(u.raw, kind)]
        mine.reverse()
        while mine:
            yield mine.pop()

    # -- models and enums ---------------------------------------------------------

    def type_name_ok(self, name: str, loc: Loc, what: str) -> bool:
        if not TYPE_NAME_RE.match(name):
            self.err(
                "CG207",
                f"{what} name '{name}' must be PascalCase "
                "(a capital letter, then letters and digits)",
                loc,
                f"try '{naming.pascal(name)}'" if naming.pascal(name) else None,
            )
            return False
        if name in RESERVED_TYPE_NAMES or name.startswith("__"):
            hint = None
            if name in naming.PYTHON_KEYWORD_TYPE_NAMES:
                hint = f"'{name}' is a Python keyword, so no class can have it: try '{name}Value'"
            self.err("CG403", f"{what} name '{name}' is reserved by a generated surface", loc, hint)
            return False
        return True

    def collect_definitions(self, unit: Unit) -> tuple[list[str], list[str]]:
        """Registers the file's enums and models; returns the names of its new
        models, and of all its new types."""
        seen, folded = self.seen, self.folded
        models: list[str] = []
        names: list[str] = []
        sections: tuple[tuple[str, dict[str, Any]], ...] = (
            ("enums", unit.enums),
            ("models", unit.models),
            ("unions", unit.unions),
        )
        for section, items in sections:
            for name in items:
                loc = unit.loc((section, name), key=True)
                if name in seen:
                    self.report_twice(
                        "CG401",
                        f"'{name}'",
                        loc,
                        "model and enum names are global across the contracts tree",
                        seen[name],
                    )
                    self.twice.add(name)
                    continue
                seen[name] = loc
                if not self.type_name_ok(name, loc, section[:-1]):
                    self.broken.add(name)
                    continue
                other = folded.get(name.lower())
                if other is not None:
                    self.err(
                        "CG403",
                        f"'{name}' and '{other[0]}' differ only in case; "
                        "generated file names would collide",
                        loc,
                        related=[(other[1], f"'{other[0]}' defined here")],
                    )
                    self.broken.add(name)
                    continue
                folded[name.lower()] = (name, loc)
                names.append(name)
                if section == "enums":
                    self.enum(unit, name)
                elif section == "unions":
                    self.raw_unions[name] = (unit, unit.unions[name])
                else:
                    self.raw_models[name] = (unit, unit.models[name])
                    self.model_names[name] = None
                    models.append(name)
        return models, names

    def enum(self, unit: Unit, name: str) -> None:
        raw = unit.enums[name]
        loc = unit.loc(("enums", name), key=True)
        if not raw.values:
            self.err("CG204", f"enum '{name}' has no values", unit.loc(("enums", name, "values")))
        members: list[EnumValue] = []
        #: (surface, spelling) -> index of the value that has it ("" is the wire).
        spelt: dict[tuple[str, str], int] = {}
        for i, item in enumerate(raw.values):
            member = _enum_value(item)
            if self.enum_value_ok(unit, name, i, member.value, spelt):
                members.append(member)
        self.enums[name] = EnumType(
            name=name,
            description=raw.description,
            members=tuple(members),
            domain=unit.domain,
            loc=loc,
            places=Places(unit.written, ("enums", name), ("values",)),
        )

    def enum_value_ok(
        self, unit: Unit, name: str, i: int, value: str, spelt: dict[tuple[str, str], int]
    ) -> bool:
        """Whether a value is well-formed and spelt apart from the values before it in
        every surface (problems reported); records its spellings."""
        vloc = unit.loc(("enums", name, "values", i))
        if not ENUM_VALUE_RE.match(value):
            fixed = re.sub(r"[^A-Za-z0-9_.-]+", "-", value).strip("-_.")
            self.err(
                "CG207",
                f"enum value '{value}' must be letters, digits, '_', '-' and '.', "
                "starting with a letter or digit",
                vloc,
                f"try '{fixed}'" if fixed else None,
            )
            return False
        if ("", value) in spelt:
            self.err("CG401", f"enum value '{value}' is listed twice in '{name}'", vloc)
            return False
        spellings = [(surface, spell(value)) for surface, spell in _ENUM_SPELLINGS]
        for surface, spelling in spellings:
            other = spelt.get((surface, spelling))
            if other is not None:
                first = unit.enums[name].values[other]
                shown = first if isinstance(first, str) else first.value
                self.err(
                    "CG403",
                    f"enum values '{shown}' and '{value}' of '{name}' are both "
                    f"spelt '{spelling}' as {surface}",
                    vloc,
                    "rename one of them",
                    [(unit.loc(("enums", name, "values", other)), f"'{shown}' listed here")],
                )
                return False
        for key in [("", value), *spellings]:
            spelt[key] = i
        return True

    def all_type_names(self) -> list[str]:
        """Every type name a field may use, as contracts write them (``String``, not
        the name it stands for)."""
        aliased = set(SCALAR_ALIASES.values())
        scalars = [s for s in SCALARS if s not in aliased]
        return [*scalars, *SCALAR_ALIASES, *self.model_names, *self.enums, *self.raw_unions]

    def report_unknown_type(self, name: str, loc: Loc, what: str) -> None:
        if not self.is_broken(name):
            self.err(
                "CG301",
                f"{what} '{name}' is not a scalar, model or enum",
                loc,
                did_you_mean(name, self.all_type_names(), TYPE_SUFFIXES["type"]),
            )

    def is_broken(self, name: str) -> bool:
        """Whether a name's definition failed, or may be in a file that failed."""
        return self.names_unsure or name in self.broken

    def defined_type(self, name: str) -> TypeRef | None:
        """The type a name stands for, if it is defined (so far)."""
        scalar = canonical_scalar(name)
        if scalar:
            return _type_ref("scalar", scalar)
        if name in self.model_names:
            return _type_ref("model", name)
        if name in self.enums:
            return _type_ref("enum", name)
        if name in self.raw_unions:
            return _type_ref("union", name)
        return None

    def missing_type(self, name: str) -> str | None:
        """A type name the model's fields use that is not defined (yet), if any.
        Once defined, a name keeps its meaning: a model whose types are all
        defined resolves the same whenever it is resolved."""
        known = self.known
        for rf in self.raw_models[name][1].fields.values():
            type_name = rf.type
            if type_name not in known:
                ref = self.defined_type(type_name)
                if ref is None:
                    return type_name
                known[type_name] = ref
        return None

    def resolve_model(self, name: str) -> None:
        """Resolves one registered model, reporting what is wrong with it. The loop is
        the loader's hottest: a field whose name and type were seen before takes no call."""
        unit, raw = self.raw_models.pop(name)
        base: Path = ("models", name)
        if not raw.fields and name not in self.dropped:  # (not when its fields were reported)
            self.report_no_fields(unit, name)
        fields: list[Field] = []
        folded: dict[str, str] = {}
        written = unit.positions.entries((*base, "fields"))  # (one lookup per model)
        known, good_names = self.known, self.good_names
        for fname, rf in raw.fields.items():
            at = written.get(fname)
            floc = (
                Loc._make((unit.path, at[0], at[1]))
                if at
                else unit.loc((*base, "fields", fname), key=True)
            )
            if fname not in good_names and not self.field_name_ok(fname, floc):
                self.drop(name, fname)
                continue
            # Names that pass FIELD_RE and share a snake_case (Python) spelling
            # also share a lower-case one, so one folding covers both surfaces.
            fold = fname.lower()
            if fold in folded:
                self.report_field_collision(unit, name, folded[fold], fname, floc)
                self.drop(name, fname)
                continue
            folded[fold] = fname
            ref = known.get(rf.type)  # most fields name a type seen before
            if ref is None:
                ref = self.field_type(unit, name, fname, rf.type)
                if ref is None:
                    continue
            deprecated = rf.deprecated
            new = _NO_NEW_KEYS
            if rf.model_fields_set & NEW_KEYS:  # (format 1.1)
                new = self.new_keys(unit, name, fname, rf, ref)
            reason = deprecated if isinstance(deprecated, str) else None
            shown = rf.type if rf.type != ref.name else None
            made = (fname, ref, floc, rf.is_optional, rf.is_array, rf.description)
            fields.append(Field._make((*made, bool(deprecated), reason, *new, shown)))
        self.models[name] = Model(
            name=name,
            description=raw.description,
            fields=tuple(fields),
            domain=unit.domain,
            loc=unit.loc(base, key=True),
            places=Places(unit.written, base, tuple(raw.fields), sub=("fields",)),
        )
        # What the model was written as, and where, is not needed any more.
        del unit.models[name]
        if not unit.models:
            unit.positions.forget("models")

    def drop(self, model: str, fname: str) -> None:
        """Remembers a field left out of its model for a reported problem."""
        self.dropped.setdefault(model, set()).add(fname)

    def new_keys(
        self, unit: Unit, model: str, fname: str, rf: RawField, ref: TypeRef
    ) -> tuple[bool, bool, Any, tuple[tuple[str, Any], ...]]:
        """A field's 1.1 keys (map, has default, default, constraints), checked where
        they are written; a field with a problem keeps neither default nor constraints,
        so nothing is checked against them."""
        ok = True
        for key, code, message, hint in field_problems(rf, ref, fname):
            ok = False
            self.err(code, message, unit.loc(("models", model, "fields", fname, key)), hint)
        if not ok:
            return rf.is_map and not rf.is_array, False, None, ()
        has_default = "default" in rf.model_fields_set
        return rf.is_map, has_default, rf.default, rf.constraints()

    def check_defaults(self) -> None:
        """Each default is a value of its field's type, within its constraints."""
        check = ValueCheck(self.models, self.enums, self.dropped, self.unions)
        for model in self.models.values():
            for f in model.fields:
                if not f.has_default:
                    continue
                for sub, message, hint in check.field(f, f.default, ()):
                    loc = model.at(f.name, "default", f.loc)
                    if sub:
                        message = f"at {'.'.join(str(s) for s in sub)}: {message}"
                    self.err("CG502", f"default of '{model.name}.{f.name}': {message}", loc, hint)

    def check_cycles(self) -> None:
        """A cycle of required fields: no finite value fills its models (CG421)."""
        for loop in cycles(self.models, self.unions):
            model = self.models[loop[0]]
            field = next(f for f in model.fields if needs(f) == loop[1 % len(loop)])
            shown = " -> ".join([*loop, loop[0]])
            self.err(
                "CG421",
                f"no value of '{model.name}' can be written: its required fields lead back "
                f"to it ({shown})",
                model.at(field.name, "type", field.loc),
                f"make '{model.name}.{field.name}' (or another field of the cycle) optional "
                "(isOptional: true) or a list (isArray: true)",
            )

    # -- unions -------------------------------------------------------------------

    def resolve_unions(self) -> None:
        """Resolves every union once all models are; each member's tag is checked
        against the other unions the model belongs to."""
        tagged: dict[str, tuple[str, str, str, Loc]] = {}  # model -> union, disc, tag, where
        for name, (unit, raw) in self.raw_unions.items():
            base: Path = ("unions", name)
            disc_ok = bool(FIELD_RE.match(raw.discriminator))
            if not disc_ok:
                self.err(
                    "CG207",
                    f"discriminator '{raw.discriminator}' must be a lowerCamelCase field name",
                    unit.loc((*base, "discriminator")),
                )
            if not raw.members:
                where = unit.loc((*base, "members"))
                self.err("CG204", f"union '{name}' has no members", where)
            members: list[tuple[str, str]] = []
            for tag, model in raw.members.items():
                mloc = unit.loc((*base, "members", tag))
                if not TAG_RE.match(tag):
                    self.err(
                        "CG207",
                        f"tag '{tag}' of union '{name}' must be a name "
                        "(a letter, then letters, digits and '_')",
                        unit.loc((*base, "members", tag), key=True),
                        "GraphQL spells each tag as a field of the union's input type",
                    )
                    continue
                if not self.model_ref(model, mloc, f"member '{tag}' of union '{name}'"):
                    continue
                members.append((tag, model))
                if disc_ok:
                    self.check_member(name, raw.discriminator, model, mloc)
                self.check_tag(tagged, (name, raw.discriminator, tag, mloc), model)
            self.unions[name] = UnionType(
                name=name,
                description=raw.description,
                discriminator=raw.discriminator,
                members=tuple(members),
                domain=unit.domain,
                loc=unit.loc(base, key=True),
                places=Places(unit.written, base, ("members",)),
            )

    def check_member(self, union: str, disc: str, model: str, where: Loc) -> None:
        """Whether a member model declares the discriminator as a required String."""
        f = self.models[model].field(disc)
        if f is None:
            self.err(
                "CG224",
                f"member model '{model}' of union '{union}' has no field '{disc}'",
                where,
                f"declare the discriminator in '{model}': {disc}: {{type: String}}",
            )
        elif f.optional or f.array or f.type != _type_ref("scalar", "String_unsecure"):
            self.err(
                "CG224",
                f"field '{disc}' of '{model}' is the discriminator of union '{union}': "
                "it must be a required, single String",
                f.loc,
                f"write {disc}: {{type: String}}",
                [(where, f"'{model}' is a member of '{union}' here")],
            )

    def check_tag(
        self,
        tagged: dict[str, tuple[str, str, str, Loc]],
        this: tuple[str, str, str, Loc],
        model: str,
    ) -> None:
        """A model that several unions (or one union twice) list must get one tag."""
        other = tagged.setdefault(model, this)
        if other is this or (other[1:3] == this[1:3] and other[0] != this[0]):
            return
        union, disc, tag, where = this
        self.err(
            "CG420",
            f"model '{model}' is '{disc}: {tag}' in union '{union}' but "
            f"'{other[1]}: {other[2]}' in union '{other[0]}'",
            where,
            "a model has one tag: give each union the same discriminator and tag for it, "
            "or use another model",
            [(other[3], f"'{model}' tagged here")],
        )

    def report_no_fields(self, unit: Unit, model: str) -> None:
        self.err(
            "CG204",
            f"model '{model}' has no fields",
            unit.loc(("models", model, "fields")),
            "GraphQL and OpenAPI need at least one field per type",
        )

    def field_name_ok(self, fname: str, loc: Loc) -> bool:
        """Whether a field name not seen before is lowerCamelCase (it is then remembered)."""
        if not FIELD_RE.match(fname):
            hint = f"try '{naming.camel(fname)}'" if naming.words(fname) else None
            if fname[:1].isdigit():
                hint = "names may not start with a digit in Python, GraphQL or JSON models"
            self.err(
                "CG207",
                f"field name '{fname}' must be lowerCamelCase (letters and digits)",
                loc,
                hint,
            )
            return False
        self.good_names.add(fname)
        return True

    def report_field_collision(
        self, unit: Unit, model: str, first: str, fname: str, loc: Loc
    ) -> None:
        self.err(
            "CG403",
            f"fields '{first}' and '{fname}' of '{model}' collide in a generated "
            "surface (equal up to case)",
            loc,
            related=[(unit.loc(("models", model, "fields", first), key=True), "other field")],
        )

    def field_type(self, unit: Unit, model: str, fname: str, type_name: str) -> TypeRef | None:
        """The type a field names, when it is the first to name it (None: reported)."""
        ref = self.defined_type(type_name)
        if ref is None:
            where = unit.loc(("models", model, "fields", fname, "type"))
            self.report_unknown_type(type_name, where, "type")
            self.drop(model, fname)
            return None
        self.known[type_name] = ref
        return ref

    def model_ref(self, name: str, loc: Loc, what: str) -> bool:
        if name in self.models:
            return True
        if self.is_broken(name):
            return False
        suffixes = TYPE_SUFFIXES.get(what, TYPE_SUFFIXES["type"])
        if name in self.enums or name in self.raw_unions or canonical_scalar(name):
            hint = did_you_mean(name, [m for m in self.models if m != name], suffixes)
            self.err("CG302", f"{what} must name a model; '{name}' is not a model", loc, hint)
            return False
        self.err(
            "CG302",
            f"{what} names unknown model '{name}'",
            loc,
            did_you_mean(name, self.models, suffixes),
        )
        return False

    # -- contracts -----------------------------------------------------------------

    def meta(self, unit: Unit, raw: RawMeta | None) -> Meta | None:
        """The meta of a contract, if it is valid; with a meta dropped for a shape
        error, the checks of its keys that are valid on their own."""
        if raw is None:
            loose = unit.loose
            self.meta_ok(unit, loose.get(("meta", "key")), loose.get(("meta", "version")), None)
            return None
        if not self.meta_ok(unit, raw.key, raw.version, raw.owners):
            return None
        return Meta(
            key=raw.key,
            version=raw.version,
            title=raw.title,
            description=raw.description,
            goal=raw.goal,
            context=raw.context,
            stability=raw.stability,
            owners=tuple(raw.owners),
            tags=tuple(raw.tags),
            loc=unit.loc(("meta",)),
        )

    def meta_ok(
        self, unit: Unit, key: str | None, version: str | None, owners: list[str] | None
    ) -> bool:
        ok = True
        if key is not None and not KEY_RE.match(key):
            ok = False
            self.err(
                "CG205",
                f"key '{key}' must be dotted lowerCamel segments, like 'usage.record'",
                unit.loc(("meta", "key")),
                "at least two segments, each starting with a lower-case letter",
            )
        if version is not None and not SEMVER_RE.match(version):
            ok = False
            self.err(
                "CG206",
                f"version '{version}' is not a semantic version",
                unit.loc(("meta", "version")),
                'write MAJOR.MINOR.PATCH, e.g. "1.0.0"',
            )
        if owners is not None and not owners:
            ok = False
            self.err(
                "CG204", "meta.owners must name at least one owner", unit.loc(("meta", "owners"))
            )
        return ok

    def event(self, unit: Unit, raw: EventParts) -> Event | None:
        meta = self.meta(unit, raw.meta)
        ok = raw.payload is not None and self.model_ref(
            raw.payload, unit.loc(("payload",)), "payload"
        )
        if ok and raw.payload is not None:
            self.check_pii(unit, raw.pii, raw.payload, ("pii",), "payload")
        if meta is None or not ok or raw.payload is None or unit.lost & _NAMING_PARTS:
            if raw.meta is not None and KEY_RE.match(raw.meta.key):
                self.unsure_events.add(raw.meta.key)
            elif raw.meta is not None:  # (what emits meant to name is unknown)
                self.unsure_event_key = True
            return None
        return Event(
            meta=meta,
            domain=unit.domain,
            file=unit.path,
            payload=raw.payload,
            pii=tuple(raw.pii),
            source=unit.text,
            places=_places(unit, ("meta",)),
        )

    def check_pii(self, unit: Unit, pii: list[str], model: str, path: Path, what: str) -> None:
        fields = [f.name for f in self.models[model].fields]
        dropped = self.dropped.get(model, ())
        for i, name in enumerate(pii):
            if name not in fields and name not in dropped:
                self.err(
                    "CG212",
                    f"pii names '{name}', which is not a field of the {what} model '{model}'",
                    unit.loc((*path, i)),
                    did_you_mean(name, fields),
                )

    def operation(
        self,
        unit: Unit,
        raw: OperationParts,
        event_ids: set[tuple[str, str]],
        events: list[Event],
    ) -> Operation | None:
        """Checks every part of an operation file that survived its shape check
        (each part that another needs, only when that one is valid); the
        operation, when all of it is there and valid."""
        meta = self.meta(unit, raw.meta)
        io = raw.io
        input_ok, output_ok = self.io_refs(unit, raw)
        errors = self.errors(unit, io.errors) if io else ()
        policy = self.policy(unit, raw)
        pii = list(policy.pii) if policy else unit.loose.get(("policy", "pii"))
        if isinstance(pii, list) and io and input_ok:
            self.check_policy_pii(unit, pii, io)
        emits = self.emits(unit, raw, event_ids, events)
        transport = self.transport(unit, raw)
        examples = self.examples(unit, raw, io, input_ok, output_ok) if io else ()
        if (
            meta is None
            or io is None
            or not (input_ok and output_ok)
            or policy is None
            or transport is None
            or unit.lost & _NAMING_PARTS
        ):
            return None
        return Operation(
            kind=raw.kind,
            meta=meta,
            domain=unit.domain,
            file=unit.path,
            input=io.input,
            output=io.output,
            errors=errors,
            policy=policy,
            emits=emits,
            transport=transport,
            examples=examples,
            source=unit.text,
            places=_places(
                unit,
                ("meta", "io", "policy", "transport.rest", "transport.gql"),
                [f"io.errors.{e.code}" for e in errors]
                + (["transport.rest.responses"] if transport.rest_answers else []),
            ),
        )

    def io_refs(self, unit: Unit, raw: OperationParts) -> tuple[bool, bool]:
        """Whether the input and the output name models (a query needs an output);
        with io lost to a shape error, the checks of its keys valid on their own."""
        io = raw.io
        if io is None:
            self.lost_io(unit)
            return False, False
        input_ok = output_ok = True
        if io.input is not None:
            input_ok = self.model_ref(io.input, unit.loc(("io", "input")), "io.input")
        if io.output is not None:
            output_ok = self.model_ref(io.output, unit.loc(("io", "output")), "io.output")
        elif raw.kind == "query":
            output_ok = False
            self.err(
                "CG204",
                "a query returns a result; 'output: null' is only for a command",
                unit.loc(("io", "output")),
                "name the output model, or make the operation a command",
            )
        return input_ok, output_ok

    def lost_io(self, unit: Unit) -> None:
        """With io dropped for a shape error, the checks of its keys valid on their own."""
        for part in ("input", "output"):
            name = unit.loose.get(("io", part))
            if isinstance(name, str):
                self.model_ref(name, unit.loc(("io", part)), f"io.{part}")
        errors = unit.loose.get(("io", "errors"))
        if isinstance(errors, dict):
            self.errors(unit, errors)

    def check_policy_pii(self, unit: Unit, pii: list[str], io: RawIO) -> None:
        if io.input is not None:
            self.check_pii(unit, pii, io.input, ("policy", "pii"), "input")
        elif pii:
            self.err(
                "CG212",
                "policy.pii names fields, but the operation has no input",
                unit.loc(("policy", "pii")),
            )

    def errors(self, unit: Unit, raw: dict[str, RawError]) -> tuple[ErrorDef, ...]:
        out: list[ErrorDef] = []
        for code, e in raw.items():
            path: Path = ("io", "errors", code)
            loc = unit.loc(path, key=True)
            ok = True
            if not ERROR_CODE_RE.match(code):
                ok = False
                self.err(
                    "CG209",
                    f"error code '{code}' must be UPPER_SNAKE_CASE",
                    loc,
                    f"try '{naming.upper_snake(code)}'" if naming.words(code) else None,
                )
            if not 400 <= e.http <= 599:
                ok = False
                self.err(
                    "CG208",
                    f"HTTP status {e.http} of '{code}' is not an error status",
                    unit.loc((*path, "http")),
                    "use a status from 400 to 599",
                )
            gql = e.gql_code or code
            if e.gql_code is not None and not ERROR_CODE_RE.match(e.gql_code):
                ok = False
                self.err(
                    "CG209",
                    f"gqlCode '{e.gql_code}' must be UPPER_SNAKE_CASE",
                    unit.loc((*path, "gqlCode")),
                )
            if ok:
                out.append(
                    ErrorDef(
                        code=code,
                        description=e.description,
                        http=e.http,
                        gql_code=gql,
                        when=e.when,
                        retryable=e.retryable,
                        loc=loc,
                    )
                )
        return tuple(sorted(out, key=lambda x: x.code))

    def policy(self, unit: Unit, raw: OperationParts) -> Policy | None:
        p = raw.policy
        if p is None:
            return None
        if raw.kind == "query" and p.idempotent is False:
            self.err(
                "CG204",
                "a query is always idempotent; 'idempotent: false' contradicts 'kind: query'",
                unit.loc(("policy", "idempotent")),
                "remove the line, or make the operation a command",
            )
            return None
        return Policy(
            auth=p.auth,
            idempotent=True if raw.kind == "query" else bool(p.idempotent),
            rate_limit=RateLimit(rpm=p.rate_limit.rpm, key=p.rate_limit.key)
            if p.rate_limit
            else None,
            flags=tuple(p.flags),
            pii=tuple(p.pii),
        )

    def emits(
        self,
        unit: Unit,
        raw: OperationParts,
        event_ids: set[tuple[str, str]],
        events: list[Event],
    ) -> tuple[Emit, ...]:
        out: list[Emit] = []
        if raw.side_effects is None:
            return ()
        for i, em in enumerate(raw.side_effects.emits):
            path = unit.item(("sideEffects", "emits"), i)
            loc = unit.loc(path)
            if (em.event, em.version) not in event_ids:
                if em.event in self.unsure_events or self.unsure_event_key:
                    continue  # (the event's own problems are reported)
                versions = sorted(e.version for e in events if e.key == em.event)
                hint: str | None
                if versions:
                    hint = f"'{em.event}' exists at version {', '.join(versions)}"
                else:
                    hint = did_you_mean(em.event, sorted({e.key for e in events}))
                self.err(
                    "CG303",
                    f"emits unknown event '{em.event}' version {em.version}",
                    unit.loc((*path, "version" if versions else "event")),
                    hint,
                )
                continue
            out.append(Emit(event=em.event, version=em.version, when=em.when, loc=loc))
        return tuple(out)

    def transport(self, unit: Unit, raw: OperationParts) -> Transport | None:
        t = raw.transport
        if t is None:
            return Transport()
        ok = True
        if t.gql and not GQL_NAME_RE.match(t.gql.field):
            ok = False
            self.err(
                "CG211",
                f"GraphQL field name '{t.gql.field}' is not a valid GraphQL name",
                unit.loc(("transport", "gql", "field")),
                "letters, digits and '_', starting with a letter",
            )
        path = t.rest.path if t.rest else None
        if path is not None:
            if not rest_path_ok(path):
                ok = False
                self.err(
                    "CG210",
                    f"REST path '{path}' is not a valid path",
                    unit.loc(("transport", "rest", "path")),
                    "start with '/', use plain segments or '{param}' placeholders, never two "
                    "placeholders side by side",
                )
            else:
                ok &= self.path_params(unit, raw, path)
        answers: tuple[Answer, ...] | None = ()
        if t.rest is not None:
            ok &= self.rest_status_ok(unit, raw)
            ok &= self.rest_headers_ok(unit, raw, path or "")
            ok &= self.rest_query_ok(unit, raw, path or "")
            answers = self.rest_answers(unit, raw, t.rest)
        if not ok or answers is None:
            return None
        return Transport(
            rest_method=t.rest.method if t.rest else None,
            rest_path=path,
            rest_status=t.rest.status if t.rest else None,
            rest_answers=answers,
            rest_headers=tuple(t.rest.headers.items()) if t.rest else (),
            rest_query=tuple(t.rest.query) if t.rest else (),
            gql_field=t.gql.field if t.gql else None,
        )

    def rest_status_ok(self, unit: Unit, raw: OperationParts) -> bool:
        """Whether the main status fits the operation (204, 205 and the redirects
        answer without a body)."""
        status = raw.transport.rest.status if raw.transport and raw.transport.rest else None
        if status in BODYLESS_STATUSES and raw.io is not None and raw.io.output is not None:
            self.err(
                "CG210",
                f"status {status} answers without a body, but the operation has an output",
                unit.loc(("transport", "rest", "status")),
                "use 200 or 201, or make the output null",
            )
            return False
        return True

    def rest_answers(
        self, unit: Unit, raw: OperationParts, rest: RawRest
    ) -> tuple[Answer, ...] | None:
        """The other answers of the route, each checked against the main status and
        the output; None when one is not valid."""
        output = raw.io.output if raw.io is not None else None
        main = rest.status or (200 if output is not None or raw.io is None else 204)
        out: list[Answer] = []
        ok = True
        for key, answer in rest.responses.items():
            path: Path = ("transport", "rest", "responses", key)
            problem = _answer_problem(key, answer, main, output, raw.io is not None)
            if problem is not None:
                ok = False
                message, hint, where = problem
                self.err("CG213", message, unit.loc((*path, *where), key=not where), hint)
                continue
            if answer.output is not None:
                where_output = unit.loc((*path, "output"))
                if not self.model_ref(answer.output, where_output, f"responses.{key}.output"):
                    ok = False
                    continue
            status = cast(AnswerStatus, int(key))
            out.append(Answer(status, answer.description, unit.loc(path, key=True), answer.output))
        return tuple(sorted(out)) if ok else None

    def rest_headers_ok(self, unit: Unit, raw: OperationParts, path: str) -> bool:
        """Whether each header carries a top-level scalar input field that is nowhere else."""
        rest = raw.transport.rest if raw.transport else None
        if rest is None or not rest.headers:
            return True
        if raw.io is None:
            return False  # (io's own problems are reported)
        model = self.models.get(raw.io.input or "")
        if raw.io.input is not None and model is None:
            return False  # (the input is reported already)
        ok = True
        seen: dict[str, str] = {}
        for fname, header in rest.headers.items():
            problem = _header_problem(model, fname, header, path, seen)
            if problem is not None:
                ok = False
                message, hint, on_key = problem
                where = ("transport", "rest", "headers", fname)
                self.err("CG210", message, unit.loc(where, key=on_key), hint)
            seen.setdefault(header.lower(), fname)
        return ok

    def rest_query_ok(self, unit: Unit, raw: OperationParts, path: str) -> bool:
        """Whether each query entry names a top-level input field that travels nowhere
        else, on a route with a body (a GET or DELETE sends its input there already)."""
        rest = raw.transport.rest if raw.transport else None
        if rest is None or not rest.query or raw.io is None:
            return True
        method = rest.method or ("GET" if raw.kind == "query" else "POST")
        model = self.models.get(raw.io.input or "")
        if raw.io.input is not None and model is None:
            return False  # (the input is reported already)
        ok = True
        for i, fname in enumerate(rest.query):
            problem = _query_problem(model, fname, method, path, rest.headers, rest.query[:i])
            if problem is not None:
                ok = False
                self.err(
                    "CG210", problem[0], unit.loc(("transport", "rest", "query", i)), problem[1]
                )
        return ok

    def path_params(self, unit: Unit, raw: OperationParts, path: str) -> bool:
        params = re.findall(r"\{([a-z][A-Za-z0-9]*)\}", path)
        if not params:
            return True
        name = raw.io.input if raw.io else None
        model = self.models.get(name or "")
        if raw.io is None or (name is not None and model is None):
            return False  # (what the input is was reported, or cannot be known)
        loc = unit.loc(("transport", "rest", "path"))
        dropped = self.dropped.get(name or "", ())
        for p in params:
            f = model.field(p) if model else None
            if p in dropped:
                return False
            if f is None or f.optional or f.array or f.type.kind in ("model", "union"):
                fields = [f.name for f in model.fields] if model else []
                self.err(
                    "CG210",
                    f"path parameter '{{{p}}}' must be a required, non-array scalar or enum "
                    "field of the input model",
                    loc,
                    did_you_mean(p, fields) if f is None else None,
                )
                return False
        return True

    def examples(
        self, unit: Unit, raw: OperationParts, io: RawIO, input_ok: bool, output_ok: bool
    ) -> tuple[Example, ...]:
        """The examples that fit the operation. A side whose model was reported
        (unknown, or broken) is not checked."""
        out: list[Example] = []
        names: set[str] = set()
        for i, ex in enumerate(raw.examples):
            path = unit.item(("examples",), i)
            if ex.name in names:
                self.err(
                    "CG401", f"example name '{ex.name}' is used twice", unit.loc((*path, "name"))
                )
            names.add(ex.name)
            # (Both sides are checked, whatever the first gives.)
            ok = input_ok and self.example_part_ok(unit, ex, path, "input", io.input, ex.input)
            ok &= output_ok and self.example_part_ok(unit, ex, path, "output", io.output, ex.output)
            if ok:
                out.append(
                    Example(
                        name=ex.name,
                        description=ex.description,
                        input=ex.input,
                        output=ex.output,
                        loc=unit.loc(path),
                    )
                )
        return tuple(out)

    def example_part_ok(
        self, unit: Unit, ex: RawExample, path: Path, part: str, model: str | None, value: Any
    ) -> bool:
        """Whether an example's input or output fits the operation (problems reported)."""
        if model is None:
            if value is None:
                return True
            self.err(
                "CG501",
                f"example '{ex.name}' gives an {part}, but the operation has no {part}",
                unit.loc((*path, part)),
            )
            return False
        if value is None:
            if part == "output":
                return True
            self.err(
                "CG501",
                f"example '{ex.name}' has no input",
                unit.loc(path),
                f"add 'input:' matching '{model}'",
            )
            return False
        if model in self.twice:  # (CG401 is reported; which one it meant is unknown)
            return False
        ok = True
        for sub, message, hint in check_value(
            self.models, self.enums, model, value, self.dropped, self.unions
        ):
            ok = False
            self.err(
                "CG501",
                f"example '{ex.name}' {part}: {message}",
                unit.loc((*path, part, *sub)),
                hint,
            )
        return ok

    # -- rules across the tree -------------------------------------------------------

    def check_unique_versions(self, items: list[Operation | Event]) -> None:
        seen: dict[tuple[str, str, str], Loc] = {}
        majors: dict[tuple[str, str, int], tuple[str, Loc]] = {}
        for item in items:
            kind = "event" if isinstance(item, Event) else "operation"
            ident = (kind, item.key, item.version)
            loc = item.meta.loc
            if ident in seen:
                self.report_twice(
                    "CG402",
                    f"{kind} '{item.key}' version {item.version}",
                    loc,
                    "bump the version of the new contract",
                    seen[ident],
                )
                continue
            seen[ident] = loc
            mkey = (kind, item.key, naming.major(item.version))
            if mkey in majors:
                other_version, other_loc = majors[mkey]
                self.err(
                    "CG405",
                    f"{kind} '{item.key}' has versions {other_version} and {item.version} "
                    f"in major {mkey[2]}; surfaces carry only the major, so they would collide",
                    loc,
                    "keep one version per major: replace the older one",
                    [(other_loc, f"version {other_version} here")],
                )
            else:
                majors[mkey] = (item.version, loc)

    def check_domains(self) -> None:
        """No two domains may share a spelling in a surface ('feature-flags' and
        'feature_flags' are one Python package)."""
        first = self.domain_at
        for surface, spell in naming.DOMAIN_SPELLINGS:
            claimed: dict[str, str] = {}
            for domain, loc in first.items():
                other = claimed.setdefault(spell(domain), domain)
                if other != domain:
                    self.err(
                        "CG403",
                        f"domains '{other}' and '{domain}' are both spelt '{spell(domain)}' "
                        f"as a {surface}",
                        loc,
                        "use one spelling of the domain in every folder and meta.domain",
                        [(first[other], f"domain '{other}' here")],
                    )

    def check_error_codes(self, ops: list[Operation]) -> None:
        first: dict[tuple[str, str], ErrorDef] = {}
        classes: dict[tuple[str, str], ErrorDef] = {}
        for op in ops:
            for e in op.errors:
                key = (op.domain, e.code)
                other = first.setdefault(key, e)
                if other is e:  # a code's first place: its Python class is its own
                    cls = naming.error_class(e.code)
                    self.check_error_class(classes.setdefault((op.domain, cls), e), e, cls)
                if other.http != e.http:
                    self.err(
                        "CG404",
                        f"error code '{e.code}' has HTTP {e.http} here but HTTP {other.http} "
                        f"elsewhere in domain '{op.domain}'",
                        e.loc,
                        "one code means one status within a domain",
                        [(other.loc, f"HTTP {other.http} here")],
                    )

    def check_error_class(self, first: ErrorDef, e: ErrorDef, cls: str) -> None:
        """Two codes of a domain whose Python class is one ('A_1B' and 'A1B')."""
        if first is not e:
            self.err(
                "CG403",
                f"error codes '{first.code}' and '{e.code}' are both spelt '{cls}' as a "
                "Python class",
                e.loc,
                "rename one code so that the two differ by more than a '_' before a digit",
                [(first.loc, f"'{first.code}' here")],
            )

    def check_surfaces(self, items: list[Operation | Event]) -> None:
        """No two contracts may take one surface name (naming.surface_names): one
        error per pair, naming every name they share."""
        claims: dict[tuple[str, str], Operation | Event] = {}
        shared: dict[tuple[int, int], tuple[Operation | Event, Operation | Event, list[str]]] = {}
        for item in sorted(items, key=lambda c: (c.meta.loc.file, c.key, isinstance(c, Event))):
            for surface, name in naming.surface_names(item):
                other = claims.setdefault((surface, name), item)
                # (Two versions in one major are reported by check_unique_versions.)
                if other is not item and not _same_major(other, item):
                    pair = shared.setdefault((id(item), id(other)), (item, other, []))
                    pair[2].append(f"{surface} '{name}'")
        for item, other, names in shared.values():
            self.err(
                "CG405",
                f"{_listed(names)} of '{item.id}' "
                f"{'is' if len(names) == 1 else 'are'} also produced by '{other.id}'",
                item.meta.loc,
                "set transport overrides or rename a key so each contract gets its own names",
                [(other.meta.loc, f"'{other.id}' defined here")],
            )


def _listed(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return " and ".join(filter(None, [", ".join(names[:-1]), names[-1]]))


def _same_major(a: Operation | Event, b: Operation | Event) -> bool:
    """One contract in one major (two versions of it are the same surface name)."""
    return (type(a), a.key, a.meta.major) == (type(b), b.key, b.meta.major)


#: A field's 1.1 keys when it writes none: not a map, no default, no constraints.
_NO_NEW_KEYS: tuple[bool, bool, Any, tuple[tuple[str, Any], ...]] = (False, False, None, ())

#: How each surface that cannot carry a wire value as written spells it.
_ENUM_SPELLINGS = (
    ("a Python enum member", naming.python_enum_member),
    ("a GraphQL enum value", naming.graphql_enum_value),
)


def _enum_value(item: str | RawEnumValue) -> EnumValue:
    if isinstance(item, str):
        return EnumValue(item)
    deprecated = item.deprecated
    return EnumValue(
        item.value,
        item.description,
        bool(deprecated),
        deprecated if isinstance(deprecated, str) else None,
    )


#: A header name: an HTTP token (RFC 9110).
HEADER_RE = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
#: Headers OpenAPI ignores as parameters: the protocol owns them.
RESERVED_HEADERS = frozenset({"accept", "content-type", "authorization"})


def rest_path_ok(path: str) -> bool:
    """Whether a REST path is valid: '/' alone, or '/'-separated segments of plain
    characters and `{param}` placeholders, no two placeholders side by side (where one
    would end is unknown)."""
    if path == "/":
        return True
    segments = path.split("/")
    return (
        path.startswith("/")
        and all(REST_SEGMENT_RE.match(s) for s in segments[1:])
        and "}{" not in path
    )


def _query_problem(
    model: Model | None,
    fname: str,
    method: str,
    path: str,
    headers: dict[str, str],
    before: list[str],
) -> tuple[str, str] | None:
    """What is wrong with one entry of rest.query: (message, hint), or None."""
    if method in PARAMETER_METHODS:
        return (
            f"a {method} route sends its input in the query string already",
            "remove rest.query",
        )
    fields = [f.name for f in model.fields] if model else []
    if fname not in fields:
        return (
            f"rest.query names '{fname}', which is not a field of the input model",
            did_you_mean(fname, fields) or "name top-level fields of the input model",
        )
    if "{" + fname + "}" in path or fname in headers or fname in before:
        return (
            f"input field '{fname}' already travels elsewhere",
            "a field travels in the path, a header, the query string or the body: one of them",
        )
    return None


def _answer_problem(
    key: str, answer: RawAnswer, main: int, output: str | None, io_known: bool
) -> tuple[str, str, Path] | None:
    """What is wrong with one entry of rest.responses: (message, hint, where below the
    entry: () for its status), or None."""
    if key not in _ANSWER_KEYS:
        hint = (
            "an error status goes in io.errors"
            if key.isdigit() and 400 <= int(key) <= 599
            else "one of " + ", ".join(_ANSWER_KEYS)
        )
        return f"'{key}' is not a status a route answers with beside its main one", hint, ()
    status = int(key)
    if status == main:
        return (
            f"status {status} is the route's main status already",
            "remove the entry, or choose another main status with rest.status",
            (),
        )
    if status in BODYLESS_STATUSES:
        if answer.output is not None:
            return (
                f"status {status} answers without a body, so it holds no '{answer.output}'",
                "remove output",
                ("output",),
            )
        return None
    if answer.output is None and output is None and io_known:
        return (
            f"status {status} answers with a body, but the operation has no output",
            "name the model its body holds with 'output', or use 204",
            (),
        )
    return None


def _header_problem(
    model: Model | None, fname: str, header: str, path: str, seen: dict[str, str]
) -> tuple[str, str | None, bool] | None:
    """Why a field may not travel in that header: (message, hint, at the key), or None."""
    if model is None:
        return "headers name input fields, but the operation has no input", None, True
    f = model.field(fname)
    if f is None:
        names = [x.name for x in model.fields]
        hint = did_you_mean(fname, names)
        return f"'{fname}' is not a field of the input model '{model.name}'", hint, True
    if f.array or f.type.kind in ("model", "union") or f.type.name in STRUCTURED_SCALARS:
        hint = "a header carries one plain value: a scalar or enum field"
        return f"input field '{fname}' cannot travel in a header", hint, True
    if "{" + fname + "}" in path:
        hint = "a field travels in the path, a header or the body, never two of them"
        return f"input field '{fname}' is already a path parameter", hint, True
    if not HEADER_RE.match(header):
        hint = "letters, digits and '-', like 'Idempotency-Key'"
        return f"'{header}' is not a valid HTTP header name", hint, False
    if header.lower() in RESERVED_HEADERS:
        return f"header '{header}' belongs to HTTP itself", "choose another header name", False
    if header.lower() in seen:
        other = seen[header.lower()]
        return f"header '{header}' also carries '{other}'", "one header per field", False
    return None


@functools.cache
def _type_ref(kind: TypeKind, name: str) -> TypeRef:
    """One shared (frozen) TypeRef per type: a large tree has a few hundred types
    but tens of thousands of fields."""
    return TypeRef(kind=kind, name=name)


def _places(unit: Unit, sections: tuple[str, ...], more: Iterable[str] = ()) -> Places:
    """The places of a contract's sections, for the differ (spec.Places)."""
    return Places(unit.written, (), (*sections, *more), dotted=True)
