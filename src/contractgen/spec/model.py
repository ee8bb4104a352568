"""The typed spec model: the one source of truth every surface reads.

Everything here is frozen and already checked: references are resolved into
``TypeRef`` values whose ``kind`` says where the name lives, so a surface never
has to guess whether a name is a model, an enum or a scalar. The word lists
(``Stability``, ``Auth``, ``AUTH_ORDER``, ...) are those of ``spec.vocabulary``,
re-exported here for the modules that import them from the model.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cached_property
from typing import Annotated, Any, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict, PlainSerializer, SkipValidation

from contractgen.spec.scalars import SCALARS, Scalar
from contractgen.spec.vocabulary import AUTH_ORDER as AUTH_ORDER
from contractgen.spec.vocabulary import STABILITY_ORDER as STABILITY_ORDER
from contractgen.spec.vocabulary import (
    AnswerStatus,
    HttpMethod,
    MainStatus,
    OperationKind,
    RateLimitKey,
    TypeKind,
)
from contractgen.spec.vocabulary import Auth as Auth
from contractgen.spec.vocabulary import Stability as Stability

#: A node of a graph walked by ``reachable``.
Node = TypeVar("Node", bound=Hashable)


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def model_post_init(self, context: Any, /) -> None:
        # A large tree holds some 300,000 of these: the set of the fields each was
        # given is shared with every other that was given the same ones (pydantic
        # gives each its own; nothing changes them, and a copy copies them).
        given = self.__pydantic_fields_set__
        shared = _GIVEN.setdefault(frozenset(given), given)
        object.__setattr__(self, "__pydantic_fields_set__", shared)


#: The sets of fields given to spec objects, one of each (see Frozen).
_GIVEN: dict[frozenset[str], set[str]] = {}


class Loc(NamedTuple):
    """Where a thing is written: a path below the contracts root's parent, line, column.

    A named tuple rather than a model: a large tree holds one per field, and
    these are made by our own parser, so they need no validation.
    """

    file: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


#: A Loc field of a spec model: taken as given, not rebuilt by validation (the
#: loader makes every Loc; a tree of 1,300 operations has some 30,000).
Located = Annotated[Loc, SkipValidation]

#: Where the parts of a definition are written, for the differ to point at the
#: node that changed: a section of the definition ("" is the definition itself,
#: "policy", "io.errors.NOT_FOUND", a field's name) -> the loader's position
#: table of that mapping (key -> key line, key col, value line, value col) or
#: sequence ((line, col) per item). The loader gives a mapping that finds the
#: tables in the file's text when first asked (``contractgen.load.places``):
#: a spec holds no positions.
Places = Annotated[Mapping[str, Any], SkipValidation, PlainSerializer(dict)]


def locate(file: str, places: Mapping[str, Any], *candidates: tuple[str, str | int]) -> Loc | None:
    """The written place of the first (section, key or index) candidate found."""
    for section, key in candidates:
        table = places.get(section)
        if isinstance(table, dict):
            entry = table.get(key) if isinstance(key, str) else None
            if entry is not None:
                return Loc(file, entry[0], entry[1])
        elif table is not None and isinstance(key, int) and 0 <= key < len(table):
            line, col = table[key]
            return Loc(file, line, col)
    return None


class TypeRef(Frozen):
    kind: TypeKind
    name: str

    @property
    def scalar(self) -> Scalar:
        assert self.kind == "scalar"
        return SCALARS[self.name]


class Field(NamedTuple):
    """One field of a model.

    Like ``Loc``, a named tuple rather than a model: a large tree holds tens of
    thousands, all made by the loader from values its shape check validated, so
    validating them again would cost a tenth of a second for nothing. It is as
    immutable as the models that hold it.
    """

    name: str
    type: TypeRef
    loc: Loc
    optional: bool = False
    array: bool = False
    description: str | None = None
    deprecated: bool = False
    deprecation_reason: str | None = None
    #: 1.1: an object of string keys to values of the type.
    map: bool = False
    #: 1.1: whether a default is given, and the default (a JSON value).
    has_default: bool = False
    default: Any = None
    #: 1.1: (JSON Schema keyword, value) pairs, in the order of ``vocabulary.CONSTRAINTS``.
    constraints: tuple[tuple[str, Any], ...] = ()
    #: The type name as the contract writes it, where it differs from ``type.name``
    #: (``String`` for ``String_unsecure``): what docs and messages show.
    written_type: str | None = None

    @property
    def shown_type(self) -> str:
        """The type's name as the user wrote it."""
        return self.written_type or self.type.name

    def constraint(self, keyword: str) -> Any:
        """The value of one constraint, or None when it is not set."""
        return next((v for k, v in self.constraints if k == keyword), None)


class Model(Frozen):
    name: str
    description: str | None = None
    #: Fields arrive made by the loader (see Field): taken as given.
    fields: Annotated[tuple[Field, ...], SkipValidation]
    domain: str
    loc: Located
    #: "" -> the model's mapping; a field's name -> that field's mapping.
    places: Places = {}

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def at(self, section: str, key: str, fallback: Loc) -> Loc:
        """Where a key of the model ("") or of one of its fields is written."""
        return locate(self.loc.file, self.places, (section, key)) or fallback


class EnumValue(NamedTuple):
    """One value of an enum: the string the wire carries, as written, and its notes."""

    value: str
    description: str | None = None
    deprecated: bool = False
    deprecation_reason: str | None = None


class EnumType(Frozen):
    name: str
    description: str | None = None
    members: tuple[EnumValue, ...]
    domain: str
    loc: Located
    #: "" -> the enum's mapping; "values" -> its values, by index.
    places: Places = {}

    @property
    def values(self) -> tuple[str, ...]:
        """The wire values, in written order."""
        return tuple(m.value for m in self.members)

    def at(self, key: str | int) -> Loc:
        """Where a key of the enum is written, or (an index) one of its values."""
        section = "values" if isinstance(key, int) else ""
        return locate(self.loc.file, self.places, (section, key)) or self.loc


class UnionType(Frozen):
    """A discriminated union of models: each member model carries the discriminator
    field, whose value on the wire is the member's tag."""

    name: str
    description: str | None = None
    discriminator: str
    #: (tag, model name) per member, as written.
    members: tuple[tuple[str, str], ...]
    domain: str
    loc: Located
    #: "" -> the union's mapping; "members" -> its members, by tag.
    places: Places = {}

    @property
    def models(self) -> tuple[str, ...]:
        return tuple(m for _, m in self.members)

    def at(self, section: str, key: str) -> Loc:
        """Where a key of the union ("") or a member's tag ("members") is written."""
        return locate(self.loc.file, self.places, (section, key)) or self.loc


class Meta(Frozen):
    key: str
    version: str
    title: str | None = None
    description: str
    goal: str | None = None
    context: str | None = None
    stability: Stability
    owners: tuple[str, ...]
    tags: tuple[str, ...] = ()
    loc: Located

    @property
    def major(self) -> int:
        return major(self.version)


class ErrorDef(Frozen):
    code: str
    description: str
    http: int
    gql_code: str
    when: str | None = None
    retryable: bool = False
    loc: Located


class RateLimit(Frozen):
    rpm: int
    key: RateLimitKey = "user"


class Policy(Frozen):
    auth: Auth
    idempotent: bool
    rate_limit: RateLimit | None = None
    flags: tuple[str, ...] = ()
    pii: tuple[str, ...] = ()


class Emit(Frozen):
    event: str
    version: str
    when: str | None = None
    loc: Located


class Answer(NamedTuple):
    """Another answer a REST route declares (``transport.rest.responses``): a second
    success, 304 or a redirect. ``output``: the model its body holds when that is not
    the operation's output (naming.answer_output gives the model sent)."""

    status: AnswerStatus
    description: str
    loc: Loc
    output: str | None = None


class Transport(Frozen):
    """Overrides of the default surfaces; None means the default."""

    rest_method: HttpMethod | None = None
    rest_path: str | None = None
    #: The main status as written (naming.rest_status gives the default).
    rest_status: MainStatus | None = None
    #: Input fields a route with a body takes in its query string, as written.
    rest_query: tuple[str, ...] = ()
    #: The other answers, by rising status.
    rest_answers: Annotated[tuple[Answer, ...], SkipValidation] = ()
    #: (input field, header name) for each field sent as a request header, as written.
    rest_headers: tuple[tuple[str, str], ...] = ()
    gql_field: str | None = None

    def header_of(self, field: str) -> str | None:
        """The request header that carries an input field, if one does."""
        return next((h for f, h in self.rest_headers if f == field), None)


class Example(Frozen):
    name: str
    description: str | None = None
    input: Any = None
    output: Any = None
    loc: Located


class Contract(Frozen):
    """What operations and events share: meta, domain, file, source text."""

    meta: Meta
    domain: str
    file: str
    #: The contract file's text, for docs pages.
    source: str
    #: "" -> the file's top mapping; "meta", "io", "policy", "transport.rest",
    #: "transport.gql", "io.errors.<CODE>" -> those mappings.
    places: Places = {}

    def at(self, *candidates: tuple[str, str]) -> Loc:
        """Where the first written of the candidates (section, key) is; else the meta."""
        return locate(self.file, self.places, *candidates) or self.meta.loc

    @property
    def key(self) -> str:
        return self.meta.key

    @property
    def version(self) -> str:
        return self.meta.version

    @property
    def id(self) -> str:
        return f"{self.meta.key}@{self.meta.version}"


class Operation(Contract):
    kind: OperationKind
    input: str | None
    #: None: a command that returns nothing (REST 204).
    output: str | None
    errors: tuple[ErrorDef, ...] = ()
    policy: Policy
    emits: tuple[Emit, ...] = ()
    transport: Transport = Transport()
    examples: tuple[Example, ...] = ()


class Event(Contract):
    payload: str
    pii: tuple[str, ...] = ()


@dataclass
class DomainIndex:
    operations: list[Operation] = dc_field(default_factory=list)
    events: list[Event] = dc_field(default_factory=list)
    models: list[str] = dc_field(default_factory=list)
    enums: list[str] = dc_field(default_factory=list)
    unions: list[str] = dc_field(default_factory=list)
    files: set[str] = dc_field(default_factory=set)


class Spec(Frozen):
    """All contracts of one tree, resolved. Collections are sorted by name."""

    root: str
    operations: tuple[Operation, ...] = ()
    events: tuple[Event, ...] = ()
    models: dict[str, Model] = {}
    enums: dict[str, EnumType] = {}
    unions: dict[str, UnionType] = {}

    # -- look-ups -------------------------------------------------------------

    def model(self, name: str) -> Model:
        return self.models[name]

    def enum(self, name: str) -> EnumType:
        return self.enums[name]

    def union(self, name: str) -> UnionType:
        return self.unions[name]

    @cached_property
    def tags(self) -> dict[str, tuple[str, str]]:
        """Model -> (discriminator, tag) of every union member (unions agree on both)."""
        return {m: (u.discriminator, tag) for u in self.unions.values() for tag, m in u.members}

    def event(self, key: str, version: str) -> Event | None:
        return next((e for e in self.events if e.key == key and e.version == version), None)

    @cached_property
    def _by_domain(self) -> dict[str, DomainIndex]:
        """Everything of each domain, indexed once (the spec is frozen)."""
        index: dict[str, DomainIndex] = {}

        def of(domain: str) -> DomainIndex:
            return index.setdefault(domain, DomainIndex())

        for op in self.operations:
            of(op.domain).operations.append(op)
            of(op.domain).files.add(op.file)
        for ev in self.events:
            of(ev.domain).events.append(ev)
            of(ev.domain).files.add(ev.file)
        for m in self.models.values():
            of(m.domain).models.append(m.name)
            of(m.domain).files.add(m.loc.file)
        for en in self.enums.values():
            of(en.domain).enums.append(en.name)
            of(en.domain).files.add(en.loc.file)
        for un in self.unions.values():
            of(un.domain).unions.append(un.name)
            of(un.domain).files.add(un.loc.file)
        return dict(sorted(index.items()))

    @property
    def domains(self) -> tuple[str, ...]:
        return tuple(self._by_domain)

    def _domain(self, domain: str) -> DomainIndex:
        return self._by_domain.get(domain) or DomainIndex()

    def operations_in(self, domain: str) -> tuple[Operation, ...]:
        return tuple(self._domain(domain).operations)

    def events_in(self, domain: str) -> tuple[Event, ...]:
        return tuple(self._domain(domain).events)

    def models_in(self, domain: str) -> list[str]:
        """Names of the models a domain defines, sorted."""
        return sorted(self._domain(domain).models)

    def enums_in(self, domain: str) -> list[str]:
        """Names of the enums a domain defines, sorted."""
        return sorted(self._domain(domain).enums)

    def unions_in(self, domain: str) -> list[str]:
        """Names of the unions a domain defines, sorted."""
        return sorted(self._domain(domain).unions)

    def files_in(self, domain: str) -> list[str]:
        """Contract files that define anything of the domain, sorted."""
        return sorted(self._domain(domain).files)

    # -- reachability -----------------------------------------------------------

    @cached_property
    def references(
        self,
    ) -> dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
        """Per model: the models, enums, scalars and unions its fields name (indexed once).
        A field of a union type reaches the union's member models too."""
        index = {}
        unions = self.unions
        for name, model in self.models.items():
            kinds: dict[str, list[str]] = {"model": [], "enum": [], "scalar": [], "union": []}
            for f in model.fields:
                kinds[f.type.kind].append(f.type.name)
                if f.type.kind == "union" and f.type.name in unions:
                    kinds["model"].extend(unions[f.type.name].models)
            index[name] = (
                tuple(kinds["model"]),
                tuple(kinds["enum"]),
                tuple(kinds["scalar"]),
                tuple(kinds["union"]),
            )
        return index

    def unions_reached(self, models: Iterable[str]) -> list[str]:
        """The unions the fields of these models name, sorted."""
        references = self.references
        return sorted({u for m in models for u in references[m][3]})

    def closure(self, roots: Iterable[str]) -> tuple[list[str], list[str]]:
        """Models and enums reachable from the given model names, sorted."""
        references = self.references
        models = reachable((r for r in roots if r in references), lambda m: references[m][0])
        enums = {e for m in models for e in references[m][1]}
        return sorted(models), sorted(enums)

    def roots_of(self, item: Operation | Event) -> list[str]:
        if isinstance(item, Operation):
            answers = (a.output for a in item.transport.rest_answers)
            return [n for n in (item.input, item.output, *answers) if n]
        return [item.payload]

    def domain_types(self, domain: str) -> tuple[list[str], list[str]]:
        """Models and enums a domain uses: its own definitions (its unions' members
        included) and all its contracts reach."""
        roots: list[str] = self.models_in(domain)
        for u in self.unions_in(domain):
            roots.extend(self.unions[u].models)
        items: list[Operation | Event] = [*self.operations_in(domain), *self.events_in(domain)]
        for item in items:
            roots.extend(self.roots_of(item))
        models, enums = self.closure(roots)
        own_enums = set(self.enums_in(domain))
        return models, sorted(set(enums) | own_enums)

    def domain_unions(self, domain: str) -> list[str]:
        """Unions a domain uses: its own, and those the models it uses name."""
        models, _ = self.domain_types(domain)
        return sorted({*self.unions_in(domain), *self.unions_reached(models)})

    def definition(self, name: str) -> Model | EnumType | UnionType | None:
        """The model, enum or union of that name (None for a scalar or unknown name)."""
        found = self.models.get(name)
        if found is not None:
            return found
        return self.enums.get(name) or self.unions.get(name)

    def domain_of_type(self, name: str) -> str | None:
        """The domain that defines a model or enum (None for a scalar or unknown name)."""
        found = self.definition(name)
        return found.domain if found is not None else None

    def domain_deps(self, domain: str) -> list[str]:
        """Other domains whose definitions this domain's contracts read, sorted.

        What its models, operations and events reach (models, enums), and the
        events its operations emit with what their payloads reach. Rendering a
        domain needs these domains loaded too.
        """
        models, enums = self.domain_types(domain)
        unions = self.domain_unions(domain)
        found = {self.domain_of_type(n) for n in [*models, *enums, *unions]}
        for op in self.operations_in(domain):
            for e in op.emits:
                ev = self.event(e.event, e.version)
                if ev is not None:
                    found.add(ev.domain)
                    reached_models, reached_enums = self.closure([ev.payload])
                    reached = [
                        *reached_models,
                        *reached_enums,
                        *self.unions_reached(reached_models),
                    ]
                    found |= {self.domain_of_type(n) for n in reached}
        found.discard(domain)
        return sorted(d for d in found if d is not None)

    def scalars_used(self, models: Iterable[str]) -> list[str]:
        references = self.references
        return sorted({s for m in models for s in references[m][2]})


def reachable(roots: Iterable[Node], edges: Callable[[Node], Iterable[Node]]) -> set[Node]:
    """Every node reachable from the roots, roots included; edges(node) names the nodes
    one node points at, and is asked once per node reached.

    The one walk over references: models to the models their fields name (``Spec``),
    and, in the surfaces, the same graph as plain data or the schemas of a document.
    """
    seen: set[Node] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(edges(node))
    return seen


def major(version: str) -> int:
    """The major of a semantic version: what surfaces carry in their names and paths."""
    return int(version.split(".", 1)[0])


def version_key(version: str) -> tuple[int, ...]:
    """Sort key of a semantic version: its numeric core (pre-release and build ignored)."""
    core = version.split("-", 1)[0].split("+", 1)[0]
    try:
        return tuple(int(p) for p in core.split("."))
    except ValueError:
        return (0,)
