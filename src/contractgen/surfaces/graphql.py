"""The GraphQL SDL surface.

Output, below ``graphql/``:

- ``base.graphql``: the root types (each with one ``contractgenVersion`` field so
  that no root type is ever empty), every custom scalar the contracts use, and
  one error-code enum per domain that declares errors.
- ``operations/<stem>.graphql``: one fragment per operation. It extends
  ``Query`` (queries) or ``Mutation`` (commands) with the operation's field and
  defines every type the field reaches, so ``base.graphql`` followed by one
  fragment is a complete schema.
- ``schema.graphql``: the merged schema: every field and every type once,
  event payloads included (as object types; events are not subscriptions).

Every name and type expression is computed here; the templates only loop and
substitute. Nothing in this module imports graphql-core: it is a test-time
dependency, and the surface must work without it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

import jinja2

from contractgen import naming
from contractgen.render import environment
from contractgen.spec.model import Field, Model, Operation, Spec
from contractgen.spec.scalars import SCALARS
from contractgen.surfaces import Options, OutputFile, header_text

SURFACE = "graphql"
BUILTIN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})
ROOT_TYPES = frozenset({"Query", "Mutation", "Subscription"})
#: The one field every root type carries, so that a root type is never empty.
VERSION_FIELD = "contractgenVersion"
INDENT = "  "

Side = Literal["input", "output"]


# -- names ---------------------------------------------------------------------


@dataclass(frozen=True)
class TypeNames:
    """Every GraphQL type name the surface gives a model, enum or domain.

    ``objects`` maps a model to its object type (always the model's own name);
    ``inputs`` maps a model to its input type; ``error_enums`` maps a domain to
    its error-code enum. Only models that play a role get an entry.
    """

    objects: dict[str, str]
    inputs: dict[str, str]
    error_enums: dict[str, str]


def input_models(spec: Spec) -> list[str]:
    """Models reachable from an operation input: they become input types."""
    return spec.closure(op.input for op in spec.operations if op.input)[0]


def object_models(spec: Spec) -> list[str]:
    """Models that become object types.

    Those reachable from an operation output or an event payload, plus models
    no contract uses at all (declared, so published), and what they reach.
    """
    return _object_models(spec, input_models(spec))


def _object_models(spec: Spec, inputs: list[str]) -> list[str]:
    """object_models, given the input models."""
    roots = [op.output for op in spec.operations]
    roots += [ev.payload for ev in spec.events]
    reached = set(spec.closure(roots)[0])
    as_input = set(inputs)
    unused = [m for m in spec.models if m not in as_input and m not in reached]
    return sorted(reached.union(spec.closure(unused)[0]))


def _free(candidate: str, taken: set[str]) -> str:
    """The candidate, or the candidate with the smallest number >= 2 appended that is free."""
    name, n = candidate, 2
    while name in taken:
        name, n = f"{candidate}{n}", n + 1
    return name


def error_enum_name(domain: str) -> str:
    """The preferred name of a domain's error-code enum: 'metering' -> 'MeteringErrorCode'."""
    return naming.pascal(domain) + "ErrorCode"


def type_names(spec: Spec) -> TypeNames:
    """Names of every generated type, collision-free and independent of iteration order.

    Rules (documented in docs/surfaces/graphql.md):

    1. Object types keep the model's name; enums keep theirs.
    2. A domain's error enum is ``<Domain>ErrorCode``.
    3. An input type is the model's name when it already ends in ``Input`` and
       the model is not also an object type; otherwise the name plus ``Input``.
    4. Every model name, enum name, scalar name and root type name is reserved;
       a derived name (rules 2 and 3) that hits a reserved or earlier name gets
       the smallest free number from 2 on (``AddressInput2``). Derived names are
       given in sorted order: error enums by domain, then inputs by model.
    """
    inputs = input_models(spec)
    objects = _object_models(spec, inputs)
    taken: set[str] = set(spec.models) | set(spec.enums) | BUILTIN_SCALARS | ROOT_TYPES
    taken |= {s.graphql for s in SCALARS.values()}

    error_enums: dict[str, str] = {}
    for domain in sorted({op.domain for op in spec.operations if op.errors}):
        error_enums[domain] = _free(error_enum_name(domain), taken)
        taken.add(error_enums[domain])

    object_set = set(objects)
    input_names: dict[str, str] = {}
    # Input-only models already named '...Input' own their name.
    for m in inputs:
        if m.endswith("Input") and m not in object_set:
            input_names[m] = m
    for m in inputs:
        if m in input_names:
            continue
        input_names[m] = _free(m + "Input", taken)
        taken.add(input_names[m])
    return TypeNames(
        objects={m: m for m in objects},
        inputs=dict(sorted(input_names.items())),
        error_enums=error_enums,
    )


def type_expression(f: Field, side: Side, names: TypeNames) -> str:
    """A field's GraphQL type: list items are never null; the field is non-null unless optional."""
    if f.type.kind == "scalar":
        base = f.type.scalar.graphql
    elif f.type.kind == "enum":
        base = f.type.name
    elif side == "input":
        base = names.inputs[f.type.name]
    else:
        base = names.objects[f.type.name]
    expr = f"[{base}!]" if f.array else base
    return expr if f.optional else expr + "!"


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


@functools.lru_cache(maxsize=65536)
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
    text = f.description
    directives = ""
    if f.deprecated:
        if side == "input" and not f.optional:
            # GraphQL forbids deprecating a required input field: say it in words.
            note = "Deprecated" + (f": {f.deprecation_reason}" if f.deprecation_reason else ".")
            text = f"{text}\n\n{note}" if text else note
        else:
            directives = deprecated_directive(f.deprecation_reason)
    return Member(
        description=description(text, INDENT),
        name=f.name,
        type=type_expression(f, side, names),
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


def _enum_definition(spec: Spec, name: str) -> Definition:
    enum = spec.enum(name)
    return Definition(
        keyword="enum",
        name=name,
        description=description(enum.description),
        members=tuple(Member(description="", name=v) for v in enum.values),
        sources=(enum.loc.file,),
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


def custom_scalars(spec: Spec) -> list[str]:
    """Contract scalars that GraphQL does not define, used anywhere in the spec."""
    used = spec.scalars_used(spec.models)
    return [s for s in used if not SCALARS[s].graphql_builtin]


def _error_line(op: Operation, code: str) -> str:
    e = next(e for e in op.errors if e.code == code)
    label = e.gql_code if e.gql_code == e.code else f"{e.gql_code} (contract code {e.code})"
    line = f"- {label} (HTTP {e.http}): {e.description}"
    if e.when:
        line += f"; when: {e.when}"
    return line


def operation_description(op: Operation) -> str:
    """The root field's description: the operation's description and its errors."""
    parts = [op.meta.description]
    if op.errors:
        lines = [_error_line(op, e.code) for e in sorted(op.errors, key=lambda e: e.gql_code)]
        parts.append("Errors:\n" + "\n".join(lines))
    return "\n\n".join(parts)


def _operation_member(op: Operation, names: TypeNames) -> Member:
    args = f"(input: {names.inputs[op.input]}!)" if op.input else ""
    directives = ""
    if op.meta.stability == "deprecated":
        directives = deprecated_directive(f"The contract {op.id} is deprecated.")
    return Member(
        description=description(operation_description(op), INDENT),
        name=naming.gql_field(op),
        args=args,
        type=names.objects[op.output] + "!",
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


def _error_enums(
    names: TypeNames, root_fields: Iterable[tuple[Operation, Member]]
) -> list[Definition]:
    """One enum per domain with errors; root_fields: every operation with its root field."""
    by_domain: dict[str, list[tuple[Operation, str]]] = {}
    for op, root_field in root_fields:
        by_domain.setdefault(op.domain, []).append((op, root_field.name))
    out: list[Definition] = []
    for domain, enum_name in sorted(names.error_enums.items()):
        ops = by_domain.get(domain, [])
        by_code: dict[str, list[tuple[Operation, str, str]]] = {}
        for op, field_name in ops:
            for e in op.errors:
                by_code.setdefault(e.gql_code, []).append((op, e.code, field_name))
        members = []
        for code, uses in sorted(by_code.items()):
            errors = [next(e for e in op.errors if e.code == c) for op, c, _ in uses]
            texts = sorted({e.description for e in errors})
            statuses = ", ".join(str(s) for s in sorted({e.http for e in errors}))
            fields = ", ".join(sorted({field_name for _, _, field_name in uses}))
            text = f"{'; '.join(texts)}\n\nHTTP {statuses}. Returned by: {fields}."
            members.append(Member(description=description(text, INDENT), name=code))
        out.append(
            Definition(
                keyword="enum",
                name=enum_name,
                description=description(
                    f"Error codes the {domain} operations return in a GraphQL error's "
                    "extensions.code."
                ),
                members=tuple(members),
                sources=tuple(sorted({op.file for op, _ in ops})),
            )
        )
    return out


class _Catalog:
    """The views of one spec, each built and rendered once.

    A model's input or object type, an enum, an error enum and an operation's
    root field appear both in the merged schema and in every fragment that
    reaches them: each is built once here, rendered once through the
    ``definition`` macro of ``_definitions.jinja`` (so an override of that file
    still lays it out), and its text is reused by every file that shows it.
    """

    def __init__(self, spec: Spec, options: Options) -> None:
        self.spec = spec
        self.options = options
        self.names = type_names(spec)
        self._templates: dict[str, jinja2.Template] = {}
        self._definition = self.template("_definitions.jinja").module.definition  # type: ignore[attr-defined]
        self._inputs: dict[str, Definition] = {}
        self._objects: dict[str, Definition] = {}
        self._enums: dict[str, Definition] = {}

    def template(self, name: str) -> jinja2.Template:
        """A template of the surface, looked up once per catalog."""
        if name not in self._templates:
            self._templates[name] = environment(SURFACE, self.options.templates).get_template(name)
        return self._templates[name]

    def rendered(self, d: Definition) -> Definition:
        """The definition with its text: the ``definition`` macro's output for it."""
        return d._replace(text=str(self._definition(d)))

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

    def enum(self, name: str) -> Definition:
        if name not in self._enums:
            self._enums[name] = self.rendered(_enum_definition(self.spec, name))
        return self._enums[name]

    @functools.cached_property
    def operation_members(self) -> list[tuple[Operation, Member]]:
        """Every operation with its root field, in spec order."""
        return [(op, _operation_member(op, self.names)) for op in self.spec.operations]

    @functools.cached_property
    def scalars(self) -> list[Definition]:
        return [
            self.rendered(_scalar_definition(s, self.options)) for s in custom_scalars(self.spec)
        ]

    @functools.cached_property
    def error_enums(self) -> list[Definition]:
        return [self.rendered(d) for d in _error_enums(self.names, self.operation_members)]

    @functools.cached_property
    def all_sources(self) -> tuple[str, ...]:
        return _all_sources(self.spec)

    def render(self, template: str, *, header: str, definitions: list[Definition]) -> str:
        text = self.template(template).render(header=header, definitions=definitions)
        return text.rstrip("\n") + "\n"


def _types_for(
    catalog: _Catalog, input_roots: Iterable[str], output_roots: Iterable[str]
) -> list[Definition]:
    """Input types, object types and enums reached from the roots, in that order, by name."""
    in_models, in_enums = catalog.spec.closure(input_roots)
    out_models, out_enums = catalog.spec.closure(output_roots)
    defs = sorted((catalog.input(m) for m in in_models), key=lambda d: d.name)
    defs += sorted((catalog.object(m) for m in out_models), key=lambda d: d.name)
    defs += [catalog.enum(e) for e in sorted(set(in_enums) | set(out_enums))]
    return defs


def _root(keyword: str, name: str, members: list[Member], with_version: bool = True) -> Definition:
    head = [_version_member(name)] if with_version else []
    return Definition(keyword=keyword, name=name, members=(*head, *members))


def _header(sources: Iterable[str]) -> str:
    return "# " + header_text(sources)


def _all_sources(spec: Spec) -> tuple[str, ...]:
    files = {op.file for op in spec.operations} | {ev.file for ev in spec.events}
    files |= {m.loc.file for m in spec.models.values()}
    files |= {e.loc.file for e in spec.enums.values()}
    return tuple(sorted(files))


def _base_schema(catalog: _Catalog) -> str:
    defs = [catalog.rendered(_root("type", "Query", []))]
    if any(op.kind == "command" for op in catalog.spec.operations):
        defs.append(catalog.rendered(_root("type", "Mutation", [])))
    defs += catalog.scalars
    defs += catalog.error_enums
    return catalog.render(
        "base.graphql.jinja", header=_header(catalog.all_sources), definitions=defs
    )


def base_schema(spec: Spec, options: Options) -> str:
    """Text of graphql/base.graphql."""
    return _base_schema(_Catalog(spec, options))


def operation_fragment(spec: Spec, op: Operation, options: Options) -> OutputFile:
    """graphql/operations/<stem>.graphql: the operation's root field and its types."""
    catalog = _Catalog(spec, options)
    return _fragment(catalog, op, _operation_member(op, catalog.names))


def _fragment(catalog: _Catalog, op: Operation, member: Member) -> OutputFile:
    root = "Query" if op.kind == "query" else "Mutation"
    ext = catalog.rendered(_root("extend type", root, [member], with_version=False))
    types = _types_for(catalog, [op.input] if op.input else [], [op.output])
    sources = tuple(sorted({op.file, *(s for d in types for s in d.sources)}))
    content = catalog.render(
        "operation.graphql.jinja", header=_header(sources), definitions=[ext, *types]
    )
    return OutputFile(f"graphql/operations/{naming.file_stem(op)}.graphql", content, sources)


def _merged_schema(catalog: _Catalog) -> str:
    members = catalog.operation_members
    queries = [m for op, m in members if op.kind == "query"]
    commands = [m for op, m in members if op.kind == "command"]
    defs = [catalog.rendered(_root("type", "Query", sorted(queries, key=lambda m: m.name)))]
    if commands:
        mutation = _root("type", "Mutation", sorted(commands, key=lambda m: m.name))
        defs.append(catalog.rendered(mutation))
    enums = catalog.error_enums + [catalog.enum(e) for e in catalog.spec.enums]
    defs += catalog.scalars
    defs += sorted(enums, key=lambda d: d.name)
    defs += sorted((catalog.input(m) for m in catalog.names.inputs), key=lambda d: d.name)
    defs += sorted((catalog.object(m) for m in catalog.names.objects), key=lambda d: d.name)
    return catalog.render(
        "schema.graphql.jinja", header=_header(catalog.all_sources), definitions=defs
    )


def merged_schema(spec: Spec, options: Options) -> str:
    """Text of graphql/schema.graphql: base, every root field and every type once."""
    return _merged_schema(_Catalog(spec, options))


def render(spec: Spec, options: Options) -> list[OutputFile]:
    catalog = _Catalog(spec, options)
    sources = catalog.all_sources
    files = [
        OutputFile("graphql/base.graphql", _base_schema(catalog), sources),
        OutputFile("graphql/schema.graphql", _merged_schema(catalog), sources),
    ]
    files += [_fragment(catalog, op, member) for op, member in catalog.operation_members]
    return sorted(files, key=lambda f: f.path)
