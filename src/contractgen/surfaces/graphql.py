"""The GraphQL SDL surface.

Output, below ``graphql/``:

- ``base.graphql``: the root types ``Query`` and ``Mutation`` (each with one
  ``contractgenVersion`` field so that no root type is ever empty), and every
  custom scalar the types use.
- ``operations/<stem>.graphql``: one fragment per operation. It extends
  ``Query`` (queries) or ``Mutation`` (commands) with the operation's field and
  defines every type the field reaches, so ``base.graphql`` followed by one
  fragment is a complete schema.
- ``schema.graphql``: the merged schema: every field and every type once, and
  the events as ``Subscription`` fields. Every type it defines is reached from
  a root type: models and enums nothing reaches are left out, and error codes
  (which travel in extensions, untyped) are in root field descriptions only.

The surface renders domain by domain (see ``contractgen.surfaces``): the facts
are the type names (which need every domain's models and how operations and
events use them), the enums and the custom scalars the types use; a domain
owns its operations' fragments, and its piece holds its share of the two
merged files: its root and Subscription fields and the definitions of its
models and enums, already laid out by the ``definition`` macro.

Every name and type expression is computed here; the templates only loop and
substitute. Nothing in this module imports graphql-core: it is a test-time
dependency, and the surface must work without it.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, Literal, NamedTuple, cast

import jinja2

from contractgen import naming
from contractgen.naming import graphql_enum_value
from contractgen.spec.model import (
    EnumValue,
    Event,
    Field,
    Model,
    Operation,
    Spec,
    UnionType,
    reachable,
    version_key,
)
from contractgen.spec.scalars import SCALARS
from contractgen.spec.vocabulary import GRAPHQL_ROOT_TYPES
from contractgen.surfaces import Options, OutputFile, Rendered, header_text, render_surface
from contractgen.surfaces.jinja import environment
from contractgen.surfaces.prose import deprecation_note, field_notes, paragraphs

SURFACE = "graphql"
#: The one field every root type carries, so that a root type is never empty.
VERSION_FIELD = naming.GRAPHQL_VERSION_FIELD
INDENT = "  "
#: The type of a command without output (GraphQL has no void): always true once done.
VOID_TYPE = "Boolean"
VOID_NOTE = "Returns true once the command has run: the contract has no output."
#: How the input object of a union is used (GraphQL has no input unions).
ONE_OF_NOTE = (
    "Give exactly one field: its name is the tag, and the member's "
    "'{discriminator}' field holds the same tag."
)

Side = Literal["input", "output"]


# -- names ---------------------------------------------------------------------


@dataclass(frozen=True)
class TypeNames:
    """Every GraphQL type name the surface gives a model, enum or domain.

    ``objects`` maps a model to its object type (always the model's own name);
    ``inputs`` maps a model to its input type; ``enums`` are the enums those
    types use. Only models and enums a root field reaches get an entry.
    """

    objects: dict[str, str]
    inputs: dict[str, str]
    enums: frozenset[str] = frozenset()
    #: Unions shown as output unions (their own name), and the input type of each union
    #: an input reaches (a ``@oneOf`` input object).
    unions: frozenset[str] = frozenset()
    union_inputs: dict[str, str] = dc_field(default_factory=dict)

    @classmethod
    def from_facts(cls, facts: Mapping[str, Any]) -> TypeNames:
        """The names ``finalize`` computed (its facts, plain data)."""
        return cls(
            objects={m: m for m in facts["objects"]},
            inputs=dict(facts["inputs"]),
            enums=frozenset(facts["enums"]),
            unions=frozenset(facts.get("unions", ())),
            union_inputs=dict(facts.get("union_inputs", {})),
        )


def type_names(spec: Spec) -> TypeNames:
    """Names of every generated type, collision-free and independent of iteration order.

    The rules are those of ``_names`` (which ``finalize`` applies to the
    domains' facts parts); this computes them for a whole spec.
    """
    options = Options()
    parts = {d: facts_part(spec, d, options) for d in spec.domains}
    return TypeNames.from_facts(finalize(parts, options))


def _reach(graph: Mapping[str, Sequence[str]], roots: Iterable[str]) -> set[str]:
    """Models reachable from the roots (those that are models) in the reference graph."""
    return reachable((r for r in roots if r in graph), graph.__getitem__)


def _names(parts: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Every generated type name, from the domains' facts parts (plain data).

    Rules (documented in docs/surfaces/graphql.md):

    1. Models reachable from an operation input become input types. Models
       reachable from an operation output or an event payload become object
       types. A model no contract reaches has no type: no root field could
       return it.
    2. Object types keep the model's name; enums keep theirs.
    3. An input type is the model's name when it already ends in ``Input`` and
       the model is not also an object type; otherwise the name plus ``Input``.
    4. Every model name, enum name, scalar name and root type name is reserved;
       an input type name (rule 3) that hits a reserved or earlier name gets
       the smallest free number from 2 on (``AddressInput2``). Input type names
       are given in sorted order of their models.
    5. A union an object type reaches is an output union of its own name; a union
       an input type reaches is a ``@oneOf`` input type ``<Union>Input`` (named as
       in rule 4, after the input types).
    """
    graph: dict[str, Sequence[str]] = {}
    enums: set[str] = set()
    model_unions: dict[str, Sequence[str]] = {}
    unions: dict[str, Sequence[str]] = {}
    for part in parts.values():
        graph.update(part["models"])
        enums.update(part["enums"])
        model_unions.update(part.get("model_unions", {}))
        unions.update(part.get("unions", {}))
    inputs = sorted(_reach(graph, (m for p in parts.values() for m in p["inputs"])))
    reached = _reach(graph, (m for p in parts.values() for m in p["outputs"]))
    objects = sorted(reached)

    # (The scalars' GraphQL names include GraphQL's own: String, Int, Float, Boolean, ID.)
    taken = {*graph, *enums, *unions, *GRAPHQL_ROOT_TYPES, *(s.graphql for s in SCALARS.values())}
    names: dict[str, Any] = {
        "objects": objects,
        "inputs": _input_names(inputs, set(objects), taken),
    }
    if unions:
        names.update(_union_names(model_unions, inputs, objects, taken))
    return names


def _union_names(
    model_unions: Mapping[str, Sequence[str]],
    inputs: list[str],
    objects: list[str],
    taken: set[str],
) -> dict[str, Any]:
    """Rule 5 of ``_names``: the unions output types reach keep their name; each union an
    input type reaches gets an input type ``<Union>Input`` (the next free name, in union
    order). A union no type reaches has no GraphQL type: no root field could return it."""
    outputs = {u for m in objects for u in model_unions.get(m, ())}
    union_inputs: dict[str, str] = {}
    for u in sorted({u for m in inputs for u in model_unions.get(m, ())}):
        union_inputs[u] = naming.numbered(u + "Input", taken)
        taken.add(union_inputs[u])
    return {"unions": sorted(outputs), "union_inputs": union_inputs}


def _input_names(inputs: list[str], objects: set[str], taken: set[str]) -> dict[str, str]:
    """Rule 4 of ``_names``: each input model's type name, by model (adds them to taken)."""
    names: dict[str, str] = {}
    # Input-only models already named '...Input' own their name.
    for m in inputs:
        if m.endswith("Input") and m not in objects:
            names[m] = m
    for m in inputs:
        if m in names:
            continue
        names[m] = naming.numbered(m + "Input", taken)
        taken.add(names[m])
    return dict(sorted(names.items()))


def type_expression(f: Field, side: Side, names: TypeNames) -> str:
    """A field's GraphQL type: list items are never null; the field is non-null unless optional."""
    if f.map:  # GraphQL has no maps (documented in docs/surfaces/graphql.md)
        base = SCALARS["JSONObject"].graphql
    elif f.type.kind == "scalar":
        base = f.type.scalar.graphql
    elif f.type.kind == "enum":
        base = f.type.name
    elif f.type.kind == "union":
        base = names.union_inputs[f.type.name] if side == "input" else f.type.name
    elif side == "input":
        base = names.inputs[f.type.name]
    else:
        base = names.objects[f.type.name]
    expr = f"[{base}!]" if f.array else base
    return expr if f.optional else expr + "!"


def default_literal(f: Field) -> str | None:
    """A field's default as a GraphQL input value literal; None when the field has none,
    or when GraphQL cannot write it (a map, a model: the description says it)."""
    if not f.has_default or f.map or f.type.kind == "model":
        return None
    items = f.default if f.array else [f.default]
    if f.type.kind == "enum":
        written = [naming.graphql_enum_value(v) for v in items]
    elif f.type.name in ("JSON", "JSONObject"):
        return None
    else:
        written = [
            string_literal(v) if isinstance(v, str) else json.dumps(v).lower() for v in items
        ]
    return f"[{', '.join(written)}]" if f.array else written[0]


# -- string escaping -------------------------------------------------------------


def _is_blank(line: str) -> bool:
    return line.strip(" \t") == ""


def _leading_ws(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def block_string_value(lines: list[str]) -> str:
    """The value GraphQL gives a block string whose (unescaped) lines are given.

    The spec's BlockStringValue: drop the common indentation of every line but
    the first, then leading and trailing blank lines.
    """
    common: int | None = None
    for line in lines[1:]:
        indent = _leading_ws(line)
        if indent < len(line) and (common is None or indent < common):
            common = indent
    out = list(lines)
    if common:
        out = [out[0], *(line[common:] for line in out[1:])]
    while out and _is_blank(out[0]):
        out.pop(0)
    while out and _is_blank(out[-1]):
        out.pop()
    return "\n".join(out)


#: Characters a block string cannot carry verbatim: controls (tab and newline aside), CR.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _printable(text: str) -> bool:
    """No characters that a block string cannot carry verbatim (controls, CR)."""
    return _UNPRINTABLE.search(text) is None


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r"}
_ESCAPES["\t"] = "\\t"


def string_literal(text: str) -> str:
    """A GraphQL string literal ("...") whose value is exactly text."""
    out = []
    for c in text:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif c < " " or "\x7f" <= c <= "\x9f":
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


@functools.lru_cache(maxsize=8192)
def description(text: str | None, indent: str = "") -> str:
    """A description written above a definition, ending in a newline; '' for none.

    A block string when its value reads back exactly (``\"\"\"`` inside becomes
    ``\\\"\"\"``); otherwise, for text a block string would change (leading
    blank lines, indentation on every line, control characters), a plain
    string with escapes.
    """
    if text is None or text == "":
        return ""
    if _printable(text):
        body = text.replace('"""', '\\"""')
        lines = text.split("\n")
        one_line = (
            len(lines) == 1
            and not _is_blank(text[0])
            and not _is_blank(text[-1])
            and not text.endswith(('"', "\\"))
        )
        if one_line and block_string_value([text]) == text:
            return f'{indent}"""{body}"""\n'
        raw = ["", *(indent + line if line else "" for line in lines), indent]
        if block_string_value(raw) == text:
            inner = "\n".join(indent + line if line else "" for line in body.split("\n"))
            return f'{indent}"""\n{inner}\n{indent}"""\n'
    return f"{indent}{string_literal(text)}\n"


def deprecated_directive(reason: str | None) -> str:
    if reason is None:
        return " @deprecated"
    return f" @deprecated(reason: {string_literal(reason)})"


# -- views handed to the templates -----------------------------------------------


# Views are named tuples: a large tree has one member per field and side, and
# named tuples are cheaper to make (and to copy with a text) than frozen dataclasses.


class Member(NamedTuple):
    """One field, argument-carrying root field or enum value, pre-rendered."""

    description: str
    name: str
    args: str = ""
    type: str = ""
    directives: str = ""


class Definition(NamedTuple):
    """One type definition: keyword is 'type', 'input', 'enum', 'scalar' or 'extend type'."""

    keyword: str
    name: str
    description: str = ""
    directives: str = ""
    members: tuple[Member, ...] = ()
    #: Contract files the definition comes from (not shown in it).
    sources: tuple[str, ...] = ()
    #: The definition laid out by the ``definition`` macro of ``_definitions.jinja``.
    text: str = ""


def _field_member(f: Field, side: Side, names: TypeNames) -> Member:
    default = default_literal(f) if side == "input" else None
    notes = field_notes(f, with_default=default is None and side == "input")
    text = paragraphs(f.description, notes) if notes else f.description
    directives = ""
    if f.deprecated:
        if side == "input" and not f.optional and default is None:
            # GraphQL forbids deprecating a required input field: say it in words.
            note = deprecation_note(f)
            text = f"{text}\n\n{note}" if text else note
        else:
            directives = deprecated_directive(f.deprecation_reason)
    return Member(
        description=description(text, INDENT),
        name=f.name,
        type=type_expression(f, side, names) + (f" = {default}" if default else ""),
        directives=directives,
    )


def _model_definition(model: Model, side: Side, names: TypeNames) -> Definition:
    return Definition(
        keyword="input" if side == "input" else "type",
        name=names.inputs[model.name] if side == "input" else names.objects[model.name],
        description=description(model.description),
        members=tuple(_field_member(f, side, names) for f in model.fields),
        sources=(model.loc.file,),
    )


def _union_definition(union: UnionType, side: Side, names: TypeNames) -> Definition:
    """An output union of the members' object types, or a ``@oneOf`` input object with one
    field per tag, each of the member's input type (one of them is given)."""
    if side == "output":
        members = tuple(Member(description="", name=m) for m in dict.fromkeys(union.models))
        return Definition(
            keyword="union",
            name=union.name,
            description=description(union.description),
            members=members,
            sources=(union.loc.file,),
        )
    text = f"{union.description}\n\n{ONE_OF_NOTE}" if union.description else ONE_OF_NOTE
    return Definition(
        keyword="input",
        name=names.union_inputs[union.name],
        description=description(text.format(discriminator=union.discriminator)),
        directives=" @oneOf",
        members=tuple(
            Member(description="", name=tag, type=names.inputs[m]) for tag, m in union.members
        ),
        sources=(union.loc.file,),
    )


def enum_value_description(enum: str, value: str) -> str:
    """An enum value's description: the contracts give none, so it names what it is."""
    return f"The value {value} of {enum}."


def _enum_definition(spec: Spec, name: str) -> Definition:
    enum = spec.enum(name)
    return Definition(
        keyword="enum",
        name=name,
        description=description(enum.description),
        members=tuple(_enum_member(name, v) for v in enum.members),
        sources=(enum.loc.file,),
    )


def _enum_member(enum: str, v: EnumValue) -> Member:
    """One enum value: GraphQL's spelling of it, its description (or, where the contract
    gives none, what it is) and deprecation."""
    name = graphql_enum_value(v.value)
    return Member(
        description=description(v.description or enum_value_description(enum, v.value), INDENT),
        name=name,
        directives=deprecated_directive(v.deprecation_reason) if v.deprecated else "",
    )


def _scalar_definition(name: str, options: Options) -> Definition:
    scalar = SCALARS[name]
    directives = ""
    if scalar.specified_by and options.graphql.specified_by:
        directives = f" @specifiedBy(url: {string_literal(scalar.specified_by)})"
    return Definition(
        keyword="scalar",
        name=scalar.graphql,
        description=description(scalar.description),
        directives=directives,
    )


def _custom(used: Iterable[str]) -> list[str]:
    """The given contract scalars that GraphQL does not define."""
    return [s for s in used if not SCALARS[s].graphql_builtin]


def _error_line(op: Operation, code: str) -> str:
    e = next(e for e in op.errors if e.code == code)
    label = e.gql_code if e.gql_code == e.code else f"{e.gql_code} (contract code {e.code})"
    line = f"- {label} (HTTP {e.http}): {e.description}"
    if e.when:
        line += f"; when: {e.when}"
    return line


def operation_description(op: Operation) -> str:
    """The root field's description: the operation's description, what a command without
    output returns instead, and its errors."""
    parts = [op.meta.description]
    if op.output is None:
        parts.append(VOID_NOTE)
    if op.errors:
        lines = [_error_line(op, e.code) for e in sorted(op.errors, key=lambda e: e.gql_code)]
        parts.append("Errors:\n" + "\n".join(lines))
    if naming.answers_more(op):
        parts.append(answers_note(op))
    return "\n\n".join(parts)


def answers_note(op: Operation) -> str:
    """What the field says of the REST answers beside the main success: those holding
    the output are its value; the others are an error with the answer's status."""
    lines = ["REST answers (not errors):"]
    for status, _ in naming.rest_answers(op):
        value = "the value" if op.output else "true"
        shown = value if naming.graphql_result(op, status) else "an error with extensions.status"
        when = naming.answer_description(op, status)
        lines.append(f"- {status}: {shown}" + (f" ({when})" if when else ""))
    return "\n".join(lines)


def _input_argument(spec: Spec, op: Operation, names: TypeNames) -> str:
    """The root field's one argument, described (by its model, or as what it is), on
    lines of its own."""
    if not op.input:
        return ""
    inner = INDENT * 2
    said = description(spec.model(op.input).description or f"The input of {op.key}.", inner)
    return f"(\n{said}{inner}input: {names.inputs[op.input]}!\n{INDENT})"


def _operation_member(spec: Spec, op: Operation, names: TypeNames) -> Member:
    args = _input_argument(spec, op, names)
    directives = ""
    if op.meta.stability == "deprecated":
        directives = deprecated_directive(f"The contract {op.id} is deprecated.")
    return Member(
        description=description(operation_description(op), INDENT),
        name=naming.gql_field(op),
        args=args,
        type=(names.objects[op.output] if op.output else VOID_TYPE) + "!",
        directives=directives,
    )


def event_description(ev: Event) -> str:
    """A Subscription field's description: the event's, and which contract it is."""
    return f"{ev.meta.description}\n\nEvent {ev.key} {ev.version}."


def _event_member(ev: Event, names: TypeNames) -> Member:
    directives = ""
    if ev.meta.stability == "deprecated":
        directives = deprecated_directive(f"The contract {ev.id} is deprecated.")
    return Member(
        description=description(event_description(ev), INDENT),
        name=naming.gql_event_field(ev),
        type=names.objects[ev.payload] + "!",
        directives=directives,
    )


def _version_member(root: str) -> Member:
    text = (
        "Version of the contractgen generator that produced this schema. "
        "It is there so that the root type is never empty; it has no side effects."
        if root == "Mutation"
        else "Version of the contractgen generator that produced this schema."
    )
    return Member(description=description(text, INDENT), name=VERSION_FIELD, type="String!")


# -- plain data ------------------------------------------------------------------

#: How many fields a member has.
_MEMBER_WIDTH = len(Member._fields)
#: Joins the fields of a definition's members in its plain form. No field ever
#: holds it: names and type expressions are GraphQL names, and descriptions and
#: directive arguments are escaped (``description``, ``string_literal``).
_SEPARATOR = "\x00"


def _plain(d: Definition, whole: bool = True) -> list[Any]:
    """A definition as plain data (named tuples do not survive marshal).

    Its fields in order, but its members as one string: every field of every
    member, joined by ``_SEPARATOR``. A large schema has tens of thousands of
    members; one string per definition is cheaper to make, to keep (the
    garbage collector does not track it) and to store than a tuple per member.
    Without whole (the built-in templates, which show a stored definition's
    name and text only), the other fields are left empty.

    The text is split in two: what it says, and the white space it ends with,
    so that a build can splice the first (``spliced_texts``) while a template
    strips the end of the document. A list, so that its text can be replaced.
    """
    said, tail = _said_and_tail(d.text)
    if not whole:
        return [d.keyword, d.name, "", "", "", (), said, tail]
    members = _SEPARATOR.join(itertools.chain.from_iterable(d.members))
    return [d.keyword, d.name, d.description, d.directives, members, tuple(d.sources), said, tail]


def _said_and_tail(text: str) -> tuple[str, str]:
    """A text, and the white space it ends with (a marker may stand in for the first)."""
    said = text.rstrip()
    return said, text[len(said) :]


class _StoredDefinition(Definition):
    """A definition read back from a piece (see ``_plain``), for the merged documents.

    Its members stay one string until something reads ``members``: the
    built-in templates show only ``text``, and making a ``Member`` of every
    field of a large merged schema would cost more than the rest of assembling
    it. A template that does read ``d.members`` gets ``Member`` views, as ever.
    """

    @functools.cached_property
    def members(self) -> tuple[Member, ...]:
        # The tuple's own item (the field's name is this property).
        joined = cast(str, self[4])
        flat = joined.split(_SEPARATOR) if joined else []
        if len(flat) % _MEMBER_WIDTH:
            raise ValueError(f"members of {self.name} do not split into {_MEMBER_WIDTH} fields")
        columns = (flat[i::_MEMBER_WIDTH] for i in range(_MEMBER_WIDTH))
        return tuple(map(Member, *columns))


def _definition(data: Sequence[Any]) -> Definition:
    """The definition ``_plain`` gave (its members are made on first use)."""
    return _StoredDefinition._make((*data[:6], data[6] + data[7]))


# -- rendering -------------------------------------------------------------------


class _Templates:
    """The surface's templates for one set of options, each looked up once."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self._templates: dict[str, jinja2.Template] = {}
        self._definition = self.template("_definitions.jinja").module.definition  # type: ignore[attr-defined]

    def template(self, name: str) -> jinja2.Template:
        """A template of the surface, looked up once per instance."""
        if name not in self._templates:
            self._templates[name] = environment(SURFACE, self.options.templates).get_template(name)
        return self._templates[name]

    def rendered(self, d: Definition) -> Definition:
        """The definition with its text: the ``definition`` macro's output for it."""
        return d._replace(text=str(self._definition(d)))

    def render(self, template: str, *, header: str, definitions: list[Definition]) -> str:
        text = self.template(template).render(header=header, definitions=definitions)
        return text.rstrip("\n") + "\n"


class _Catalog(_Templates):
    """The views of the domains being rendered, each built and rendered once.

    A model's input or object type and an enum appear both in the merged
    schema (through the piece of the domain that defines it) and in every
    fragment that reaches them: each is built once here, rendered once through
    the ``definition`` macro of ``_definitions.jinja`` (so an override of that
    file still lays it out), and its text is reused by every file that shows
    it. Type names come from the facts, never from the (maybe partial) spec.
    """

    def __init__(self, spec: Spec, options: Options, names: TypeNames) -> None:
        super().__init__(options)
        self.spec = spec
        self.names = names
        self._inputs: dict[str, Definition] = {}
        self._objects: dict[str, Definition] = {}
        self._enums: dict[str, Definition] = {}
        self._unions: dict[str, Definition] = {}

    def input(self, model: str) -> Definition:
        if model not in self._inputs:
            view = _model_definition(self.spec.model(model), "input", self.names)
            self._inputs[model] = self.rendered(view)
        return self._inputs[model]

    def object(self, model: str) -> Definition:
        if model not in self._objects:
            view = _model_definition(self.spec.model(model), "output", self.names)
            self._objects[model] = self.rendered(view)
        return self._objects[model]

    def union(self, name: str, side: Side) -> Definition:
        key = f"{side} {name}"
        if key not in self._unions:
            view = _union_definition(self.spec.union(name), side, self.names)
            self._unions[key] = self.rendered(view)
        return self._unions[key]

    def enum(self, name: str) -> Definition:
        if name not in self._enums:
            self._enums[name] = self.rendered(_enum_definition(self.spec, name))
        return self._enums[name]

    def operation_members(self, domain: str) -> list[tuple[Operation, Member]]:
        """Every operation of a domain with its root field, in spec order."""
        spec = self.spec
        return [(op, _operation_member(spec, op, self.names)) for op in spec.operations_in(domain)]


def _types_for(
    catalog: _Catalog, input_roots: Iterable[str], output_roots: Iterable[str]
) -> list[Definition]:
    """Input types, object types and enums reached from the roots, in that order, by name."""
    spec = catalog.spec
    in_models, in_enums = spec.closure(input_roots)
    out_models, out_enums = spec.closure(output_roots)
    inputs = [catalog.input(m) for m in in_models]
    inputs += [catalog.union(u, "input") for u in spec.unions_reached(in_models)]
    objects = [catalog.object(m) for m in out_models]
    objects += [catalog.union(u, "output") for u in spec.unions_reached(out_models)]
    defs = sorted(inputs, key=lambda d: d.name)
    defs += sorted(objects, key=lambda d: d.name)
    defs += [catalog.enum(e) for e in sorted(set(in_enums) | set(out_enums))]
    return defs


#: What each root type holds, as its description says.
ROOT_DESCRIPTIONS = {
    "Query": "The queries of the API: one field per query contract.",
    "Mutation": "The commands of the API: one field per command contract.",
    "Subscription": (
        "The events of the API: one field per event contract, delivering its payload."
    ),
}


def _root(keyword: str, name: str, members: list[Member], with_version: bool = True) -> Definition:
    head = [_version_member(name)] if with_version else []
    # An extension adds fields to a type described elsewhere: it carries no description.
    text = None if keyword.startswith("extend") else ROOT_DESCRIPTIONS[name]
    return Definition(
        keyword=keyword, name=name, description=description(text), members=(*head, *members)
    )


def _header(sources: Iterable[str]) -> str:
    return "# " + header_text(sources)


#: A domain's root fields: each operation, its field, and the root type's extension
#: that adds the field (what its fragment shows).
RootFields = list[tuple[Operation, Member, Definition]]


def _extension(catalog: _Catalog, op: Operation, member: Member) -> Definition:
    return catalog.rendered(_root("extend type", naming.gql_root(op), [member], with_version=False))


def _root_fields(catalog: _Catalog, domain: str) -> RootFields:
    return [(op, m, _extension(catalog, op, m)) for op, m in catalog.operation_members(domain)]


def _field_text(extension: Definition) -> str:
    """A root field as the ``definition`` macro lays it out: what its extension holds
    between the braces (the built-in macro lays out each member on its own)."""
    text = extension.text
    return text[text.index("{\n") + 2 : text.rindex("}")]


def _root_of_texts(templates: _Templates, name: str, fields: list[str]) -> Definition:
    """A root type laid out from its fields' texts (``_field_text``): the type with its
    version field, the fields' texts added before its closing brace."""
    root = templates.rendered(_root("type", name, []))
    end = root.text.rindex("}")
    return root._replace(text=root.text[:end] + "".join(fields) + root.text[end:])


def _root_type(templates: _Templates, name: str, fields: list[Any]) -> Definition:
    """Query or Mutation, from the pieces' root fields (see ``_piece``)."""
    if templates.options.templates is None:
        return _root_of_texts(templates, name, [f[5] + f[6] for f in fields])
    return templates.rendered(_root("type", name, [Member._make(f[4]) for f in fields]))


def _fragment(catalog: _Catalog, op: Operation, ext: Definition) -> OutputFile:
    types = _types_for(catalog, [op.input] if op.input else [], [op.output] if op.output else [])
    sources = tuple(sorted({op.file, *(s for d in types for s in d.sources)}))
    content = catalog.render(
        "operation.graphql.jinja", header=_header(sources), definitions=[ext, *types]
    )
    return OutputFile(f"graphql/operations/{naming.file_stem(op)}.graphql", content, sources)


def _piece(catalog: _Catalog, domain: str, root_fields: RootFields) -> dict[str, Any]:
    """A domain's share of base.graphql and schema.graphql, as plain data.

    ``sources``: the domain's contract files; ``fields``: its root fields as
    ``[name, key, version key, is a command, member, text, its ending white space]``
    (the first three sort them as the spec orders operations; with the built-in
    templates, the text laid out and no member, else the member and no text); ``events``: its
    ``Subscription`` fields as ``(name, key, version key, False, member)``; ``enums``, ``inputs``,
    ``objects``: the enums it defines and the input and object types of the
    models it defines. Definitions are ``_plain`` lists, their text already
    laid out.
    """
    spec, names = catalog.spec, catalog.names
    whole = catalog.options.templates is not None  # (an override may read every field)
    own = spec.models_in(domain)
    own_unions = spec.unions_in(domain)
    fields = [
        [m.name, op.key, version_key(op.version), op.kind == "command"]
        + ([tuple(m), "", ""] if whole else [(), *_said_and_tail(_field_text(ext))])
        for op, m, ext in root_fields
    ]
    events = [
        (m.name, ev.key, version_key(ev.version), False, tuple(m))
        for ev in spec.events_in(domain)
        for m in [_event_member(ev, names)]
    ]
    return {
        "sources": spec.files_in(domain),
        "fields": fields,
        "events": events,
        "enums": [
            _plain(catalog.enum(e), whole) for e in spec.enums_in(domain) if e in names.enums
        ],
        "inputs": [_plain(catalog.input(m), whole) for m in own if m in names.inputs]
        + [_plain(catalog.union(u, "input"), whole) for u in own_unions if u in names.union_inputs],
        "objects": [_plain(catalog.object(m), whole) for m in own if m in names.objects]
        + [_plain(catalog.union(u, "output"), whole) for u in own_unions if u in names.unions],
    }


# -- the domain protocol (see contractgen.surfaces) ------------------------------


def facts_part(spec: Spec, domain: str, options: Options) -> dict[str, Any]:
    """What naming the types needs of one domain.

    ``models``: each model it defines with the models its fields name;
    ``enums``: the enums it defines; ``uses``: each model it defines with the
    enums and scalars its fields name;
    ``inputs`` and ``outputs``: the models its operations take, and those they
    return or its events carry.
    The lists are sorted sets: an edit that only rewords, reorders or renames
    fields keeps the part (and an incremental build need not fall back to a full one).
    """
    own = spec.models_in(domain)
    ops = spec.operations_in(domain)
    references = spec.references
    models = {m: sorted(set(references[m][0])) for m in own}
    outputs = {op.output for op in ops if op.output} | {ev.payload for ev in spec.events_in(domain)}
    part: dict[str, Any] = {}
    model_unions = {m: sorted(set(references[m][3])) for m in own if references[m][3]}
    if model_unions or spec.unions_in(domain):  # (a 1.0 tree's facts stay as they were)
        part["model_unions"] = model_unions
        part["unions"] = {u: sorted(set(spec.union(u).models)) for u in spec.unions_in(domain)}
    return {
        **part,
        "models": models,
        "enums": spec.enums_in(domain),
        "uses": {m: _uses(spec, m) for m in own},
        "inputs": sorted({op.input for op in ops if op.input}),
        "outputs": sorted(outputs),
    }


def _uses(spec: Spec, model: str) -> list[str]:
    """The enums and custom scalars a model's fields name (a map field: the JSONObject
    scalar). GraphQL's own scalars are left out: the SDL never defines them, and a
    field of one added to a model then keeps the part (an incremental build)."""
    refs = spec.references[model]
    maps = ["JSONObject"] if any(f.map for f in spec.model(model).fields) else []
    return sorted({*refs[1], *_custom(refs[2]), *maps})


def finalize(parts: Mapping[str, Any], options: Options) -> dict[str, Any]:
    """The type names (see ``_names``), and the enums and custom scalars the types
    use (``enums``, ``scalars``): what no type uses is left out of the SDL."""
    facts = _names(parts)
    typed = {*facts["objects"], *facts["inputs"]}
    used = {u for p in parts.values() for m, us in p["uses"].items() if m in typed for u in us}
    facts["enums"] = sorted(u for u in used if u not in SCALARS)
    facts["scalars"] = _custom(sorted(u for u in used if u in SCALARS))
    return facts


def render_domains(
    spec: Spec, options: Options, facts: Mapping[str, Any], domains: Sequence[str]
) -> Rendered:
    """Each domain's operation fragments and its piece (see ``_piece``)."""
    catalog = _Catalog(spec, options, TypeNames.from_facts(facts))
    out = Rendered()
    for domain in domains:
        root_fields = _root_fields(catalog, domain)
        out.files[domain] = [_fragment(catalog, op, ext) for op, _, ext in root_fields]
        out.pieces[domain] = _piece(catalog, domain, root_fields)
    return out


def assemble(
    pieces: Mapping[str, Any], facts: Mapping[str, Any], options: Options
) -> list[OutputFile]:
    """base.graphql and schema.graphql, from every domain's piece."""
    templates = _Templates(options)
    ordered = [pieces[d] for d in sorted(pieces)]
    sources = tuple(sorted({s for p in ordered for s in p["sources"]}))
    header = _header(sources)
    fields = sorted((f for p in ordered for f in p["fields"]), key=lambda f: f[:3])
    queries = [f for f in fields if not f[3]]
    commands = [f for f in fields if f[3]]
    # One field per event name: a later version of the same major replaces an earlier one.
    events = sorted((f for p in ordered for f in p["events"]), key=lambda f: f[:3])
    subscriptions = list({f[0]: Member._make(f[4]) for f in events}.values())
    scalars = [templates.rendered(_scalar_definition(s, options)) for s in facts["scalars"]]

    base = [templates.rendered(_root("type", "Query", []))]
    if commands:
        base.append(templates.rendered(_root("type", "Mutation", [])))
    base += scalars

    merged = [_root_type(templates, "Query", queries)]
    if commands:
        merged.append(_root_type(templates, "Mutation", commands))
    if subscriptions:
        merged.append(
            templates.rendered(_root("type", "Subscription", subscriptions, with_version=False))
        )
    merged += scalars
    merged += sorted((_definition(e) for p in ordered for e in p["enums"]), key=lambda d: d.name)
    merged += sorted((_definition(d) for p in ordered for d in p["inputs"]), key=lambda d: d.name)
    merged += sorted((_definition(d) for p in ordered for d in p["objects"]), key=lambda d: d.name)
    return [
        OutputFile(
            "graphql/base.graphql",
            templates.render("base.graphql.jinja", header=header, definitions=base),
            sources,
        ),
        OutputFile(
            "graphql/schema.graphql",
            templates.render("schema.graphql.jinja", header=header, definitions=merged),
            sources,
        ),
    ]


# -- whole-spec helpers ------------------------------------------------------------


def _merged_files(spec: Spec, options: Options) -> dict[str, str]:
    """The assembled files' texts, by path, for a whole spec."""
    parts = {d: facts_part(spec, d, options) for d in spec.domains}
    facts = finalize(parts, options)
    catalog = _Catalog(spec, options, TypeNames.from_facts(facts))
    pieces = {d: _piece(catalog, d, _root_fields(catalog, d)) for d in spec.domains}
    return {f.path: f.content for f in assemble(pieces, facts, options)}


def base_schema(spec: Spec, options: Options) -> str:
    """Text of graphql/base.graphql."""
    return _merged_files(spec, options)["graphql/base.graphql"]


def operation_fragment(spec: Spec, op: Operation, options: Options) -> OutputFile:
    """graphql/operations/<stem>.graphql: the operation's root field and its types."""
    catalog = _Catalog(spec, options, type_names(spec))
    member = _operation_member(spec, op, catalog.names)
    return _fragment(catalog, op, _extension(catalog, op, member))


def merged_schema(spec: Spec, options: Options) -> str:
    """Text of graphql/schema.graphql: base, every root field and every type once."""
    return _merged_files(spec, options)["graphql/schema.graphql"]


def spliced_texts(piece: Mapping[str, Any]) -> Iterator[tuple[list[Any], int]]:
    """The slots of a piece whose text the merged schema holds verbatim: each root
    field's text, and each type definition's text without its ending white space
    (see ``contractgen.speed.splice``)."""
    for field in piece["fields"]:
        yield field, 5
    for kind in ("enums", "inputs", "objects"):
        for definition in piece[kind]:
            yield definition, 6


def render(spec: Spec, options: Options) -> list[OutputFile]:
    return render_surface(sys.modules[__name__], spec, options)
