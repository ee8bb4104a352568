"""The Markdown docs surface: an mkdocs site describing every contract.

Output layout (all below ``docs/``)::

    mkdocs.yml                       site config with a generated nav
    pages/index.md                   domains with counts
    pages/<domain>/index.md          operations, events and types of a domain
    pages/<domain>/<stem>.md         one page per operation
    pages/<domain>/events/<stem>.md  one page per event
    pages/<domain>/models.md         models and enums defined in the domain

Every name, link, anchor and table cell is computed here and handed to the
templates already escaped for Markdown; the templates only lay them out.
User text is escaped so that it shows literally: no raw HTML, no emphasis, no
links, no code fences and no block constructs can come out of a description.

Rendered domain by domain (see ``contractgen.surfaces``): a domain owns its
index, models, operation and event pages. What they show about other domains
(who reaches a model, who emits an event) comes from the facts; links to pages
of other domains are computed from names and domains only. mkdocs.yml and
pages/index.md are assembled from each domain's nav text and index row.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
import yaml

from contractgen import naming
from contractgen.spec.model import (
    EnumType,
    EnumValue,
    Event,
    Field,
    Model,
    Operation,
    Spec,
    UnionType,
    version_key,
)
from contractgen.surfaces import Options, OutputFile, Rendered, header_text, render_surface
from contractgen.surfaces.fieldschema import required
from contractgen.surfaces.jinja import environment
from contractgen.surfaces.jinja import render as render_template
from contractgen.surfaces.lookup import Lookup, pack
from contractgen.surfaces.prose import constraint_parts, value_note

ROOT = "docs"
PAGES = "pages"
#: Markdown extensions the site uses (and the tests render with).
MARKDOWN_EXTENSIONS = ("toc", "tables", "fenced_code", "attr_list")

# -- escaping -------------------------------------------------------------------

#: Characters escaped anywhere in user text. Backslash escapes where
#: Python-Markdown knows them, numeric entities where it does not (or where a
#: raw character would still be seen by a block parser, such as '|' in tables).
_INLINE = str.maketrans(
    {
        "\\": "\\\\",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "{": "\\{",
        "}": "\\}",
        "`": "&#96;",
        "|": "&#124;",
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
    }
)
#: A numbered-list marker: its '.' or ')' is escaped.
_NUMBERED = re.compile(r"^\d+[.)](?=\s|$)")
#: Line starts that open a block construct (heading, bullet, fence, rule,
#: setext underline): their first character is escaped.
_BLOCK_START = re.compile(r"^(?:#|[-+](?=\s|$)|~~~|=+\s*$|-[-\s]*$)")


#: The Output section of a command without output.
NO_OUTPUT = (
    "No output: the command returns nothing. REST answers without a body (204 unless "
    "`transport.rest.status` says otherwise), the GraphQL field returns `true` once done, "
    "and the Python handler returns `None`."
)


def _entity(char: str) -> str:
    return f"&#{ord(char)};"


def _escape_line(line: str) -> str:
    text = line.strip().translate(_INLINE)
    numbered = _NUMBERED.match(text)
    if numbered:
        end = numbered.end() - 1
        return text[:end] + _entity(text[end]) + text[end + 1 :]
    if _BLOCK_START.match(text):
        return _entity(text[0]) + text[1:]
    return text


@functools.lru_cache(maxsize=8192)
def md_text(text: str | None) -> str:
    """User prose as Markdown that renders literally; blank lines still separate paragraphs."""
    if not text:
        return ""
    lines = [_escape_line(line) for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    # Lines of one paragraph are joined with a space, as Markdown would show them.
    paragraphs = "\n".join(out).split("\n\n")
    return "\n\n".join(" ".join(p.split("\n")) for p in paragraphs)


@functools.lru_cache(maxsize=8192)
def md_cell(text: str | None) -> str:
    """User text as one table cell: escaped, newlines turned into <br>."""
    if not text:
        return ""
    lines = [_escape_line(line) for line in text.replace("\r\n", "\n").split("\n")]
    return "<br>".join(line for line in lines if line)


def code(text: str) -> str:
    """An inline code span, or escaped text when the value cannot sit in one safely."""
    if not text or any(c in text for c in "`|\n\r"):
        return md_text(text)
    return f"`{text}`"


def fence_for(text: str) -> str:
    """A backtick fence longer than any run of backticks in ``text`` (at least three)."""
    if "`" not in text:
        return "```"
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def comment(text: str) -> str:
    """An HTML comment that no text can close early."""
    safe = text.replace("\r", " ").replace("\n", " ").replace(">", "&gt;").replace("<", "&lt;")
    while "--" in safe:
        safe = safe.replace("--", "- -")
    return f"<!-- {safe.strip('-').strip()} -->"


def link(label: str, target: str) -> str:
    """A Markdown link: ``label`` is already Markdown, ``target`` a computed relative path."""
    return f"[{label}]({target})"


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def listing(values: Iterable[str]) -> str:
    items = [md_cell(v) for v in values]
    return ", ".join(items) if items else "none"


# -- paths --------------------------------------------------------------------------


def operation_page(op: Operation) -> str:
    return f"{op.domain}/{naming.file_stem(op)}.md"


def event_page(ev: Event) -> str:
    return f"{ev.domain}/events/{naming.file_stem(ev)}.md"


def domain_page(domain: str) -> str:
    return f"{domain}/index.md"


def models_page(domain: str) -> str:
    return f"{domain}/models.md"


def folder_of(page: str) -> str:
    """The folder of a page (below pages/): links from a page depend only on it."""
    return posixpath.dirname(page) or "."


def relative(target: str, from_page: str) -> str:
    """Link from one page to another (paths below pages/), keeping a '#anchor'."""
    return relative_in(target, folder_of(from_page))


def relative_in(target: str, folder: str) -> str:
    """Link from a page in ``folder`` to another page, keeping a '#anchor'."""
    path, _, anchor = target.partition("#")
    rel = _relpath(path, folder)
    return f"{rel}#{anchor}" if anchor else rel


@functools.lru_cache(maxsize=8192)
def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath``, cached: links depend only on the page's folder and the target."""
    return posixpath.relpath(path, start)


def type_anchor(name: str) -> str:
    """The id of a model's or enum's heading on its models page (names are unique)."""
    return name


# -- view models --------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def rule(self) -> tuple[str, ...]:
        return tuple("---" for _ in self.headers)


@dataclass(frozen=True)
class Section:
    """A titled block: optional prose, optional table, optional bullet list."""

    title: str
    anchor: str = ""
    text: str = ""
    table: Table | None = None
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """A fenced block of verbatim text."""

    title: str
    lang: str
    fence: str
    body: str


@dataclass(frozen=True)
class ExampleView:
    title: str
    text: str
    blocks: tuple[Block, ...]


@dataclass
class Page:
    path: str
    title: str
    description: str = ""
    meta: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    examples: list[ExampleView] = field(default_factory=list)
    source: Block | None = None


class _Builder:
    """Builds the pages of the domains of ``spec``.

    ``facts`` (see ``finalize``) says what other domains contribute to them: who
    reaches a model and who emits an event. Without it (for ``facts_part``) only
    the indexes over the spec itself are available.
    """

    def __init__(self, spec: Spec, facts: Mapping[str, Any] | None = None) -> None:
        self.spec = spec
        #: Model name -> [key, page] of every operation and event reaching it.
        self._users: Mapping[str, list[list[str]]] = _lookup(facts["users"]) if facts else {}
        #: Event key -> version -> [key, version, page, when] of the operations emitting it.
        self._emitters: Mapping[str, Mapping[str, list[list[Any]]]] = (
            _lookup(facts["emitters"]) if facts else {}
        )
        self._closures: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}
        self._domain_types: dict[str, tuple[list[str], list[str]]] = {}
        self._field_tables: dict[tuple[str, str], Table] = {}
        self._type_links: dict[tuple[str, str, str], str] = {}

    # -- indexes over the spec, computed once -------------------------------------

    @functools.cached_property
    def _events(self) -> dict[tuple[str, str], Event]:
        """(event key, version) -> the event; the first one wins, as in ``Spec.event``."""
        index: dict[tuple[str, str], Event] = {}
        for ev in self.spec.events:
            index.setdefault((ev.key, ev.version), ev)
        return index

    def closure(self, item: Operation | Event) -> tuple[list[str], list[str]]:
        """Models and enums an operation or event reaches (memoized by its roots)."""
        roots = tuple(self.spec.roots_of(item))
        found = self._closures.get(roots)
        if found is None:
            found = self._closures[roots] = self.spec.closure(roots)
        return found

    def domain_types(self, domain: str) -> tuple[list[str], list[str]]:
        found = self._domain_types.get(domain)
        if found is None:
            found = self._domain_types[domain] = self.spec.domain_types(domain)
        return found

    def item_sources(self, item: Operation | Event) -> tuple[str, ...]:
        """Contract files an operation's or event's page is rendered from."""
        models, enums = self.closure(item)
        files = {item.file}
        files |= {self.spec.models[m].loc.file for m in models}
        files |= {self.spec.enums[e].loc.file for e in enums}
        files |= {self.spec.unions[u].loc.file for u in self.spec.unions_reached(models)}
        return tuple(sorted(files))

    @staticmethod
    def emitted(op: Operation) -> list[list[str | None]]:
        """[event key, version, when] of each event an operation emits, with the 'when'
        of its first mention."""
        found: dict[tuple[str, str], str | None] = {}
        for e in op.emits:
            found.setdefault((e.event, e.version), e.when)
        return [[event, version, when] for (event, version), when in found.items()]

    # -- shared pieces ------------------------------------------------------------

    def type_link(self, name: str, kind: str, from_page: str) -> str:
        return self.type_link_in(name, kind, folder_of(from_page))

    def type_link_in(self, name: str, kind: str, folder: str) -> str:
        """A link to a type's heading from a page in ``folder`` (cached)."""
        key = (name, kind, folder)
        shown = self._type_links.get(key)
        if shown is None:
            shown = self._type_links[key] = self._build_type_link(name, kind, folder)
        return shown

    def _build_type_link(self, name: str, kind: str, folder: str) -> str:
        if kind == "model":
            owner = self.spec.models[name].domain
        elif kind == "enum":
            owner = self.spec.enums[name].domain
        elif kind == "union":
            owner = self.spec.unions[name].domain
        else:
            return md_cell(name)
        target = relative_in(f"{models_page(owner)}#{type_anchor(name)}", folder)
        return link(md_cell(name), target)

    def field_type(self, f: Field, folder: str) -> str:
        if f.type.kind == "scalar":
            shown = md_cell(f.shown_type)  # as the contract writes it
        else:
            shown = self.type_link_in(f.type.name, f.type.kind, folder)
        if f.map:
            return f"map of {shown}"
        return f"\\[{shown}\\]" if f.array else shown

    def field_table(self, model: Model, from_page: str) -> Table:
        """A model's fields; links depend only on the page's folder, so the table is
        built once per model and folder (an operation page and its domain's models page
        share it)."""
        folder = folder_of(from_page)
        table = self._field_tables.get((model.name, folder))
        if table is None:
            table = self._field_tables[model.name, folder] = self._build_field_table(model, folder)
        return table

    def _build_field_table(self, model: Model, folder: str) -> Table:
        rows = []
        # 1.1: a Default and a Constraints column, each only where a field needs it.
        defaults = any(f.has_default for f in model.fields)
        constraints = any(f.constraints for f in model.fields)
        disc, tag = self.spec.tags.get(model.name, (None, None))
        for f in model.fields:
            notes = [md_cell(f.description)] if f.description else []
            if f.name == disc and tag is not None:
                notes.append(f"Always {code(tag)}: the tag of this model in its unions")
            if f.deprecated:
                reason = f": {md_cell(f.deprecation_reason)}" if f.deprecation_reason else ""
                notes.append(f"**Deprecated**{reason}")
            row = [md_cell(f.name), self.field_type(f, folder), yes_no(required(f))]
            if defaults:
                row.append(code(json.dumps(f.default)) if f.has_default else "")
            if constraints:
                row.append(", ".join(code(p) for p in constraint_parts(f)))
            rows.append((*row, "<br>".join(notes)))
        headers = (
            "Name",
            "Type",
            "Required",
            *(["Default"] if defaults else []),
            *(["Constraints"] if constraints else []),
            "Description",
        )
        return Table(headers, tuple(rows))

    def model_section(
        self, title: str, name: str | None, from_page: str, none: str = "No input."
    ) -> Section:
        if name is None:
            return Section(title, text=none)
        model = self.spec.models[name]
        text = "Model " + self.type_link(name, "model", from_page)
        if model.description:
            text += ": " + md_text(model.description)
        if not model.fields:
            return Section(title, text=text + "\n\nNo fields.")
        return Section(title, text=text, table=self.field_table(model, from_page))

    def meta_lines(
        self, item: Operation | Event, type_label: str, from_page: str
    ) -> list[tuple[str, str]]:
        meta = item.meta
        lines = [("Type", type_label)]
        if meta.title:
            lines.append(("Title", md_text(meta.title)))
        lines += [
            ("Version", md_cell(meta.version)),
            ("Stability", md_cell(meta.stability)),
            ("Owners", listing(meta.owners)),
            ("Tags", listing(meta.tags)),
            ("Domain", link(md_cell(item.domain), relative(domain_page(item.domain), from_page))),
            ("File", code(item.file)),
        ]
        return lines

    def source_block(self, source: str) -> Block:
        body = source.replace("\r\n", "\n")
        if not body.endswith("\n"):
            body += "\n"
        return Block("Source Definition", "yaml", fence_for(body), body)

    def json_block(self, title: str, value: Any) -> Block:
        body = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        return Block(title, "json", fence_for(body), body)

    # -- operation -----------------------------------------------------------------

    def operation(self, op: Operation) -> Page:
        path = operation_page(op)
        page = Page(path, md_cell(op.key), md_text(op.meta.description))
        page.meta = self.meta_lines(op, f"operation ({op.kind})", path)
        page.sections.append(Section("Goal", text=md_text(op.meta.goal) or "Not stated."))
        page.sections.append(Section("Context", text=md_text(op.meta.context) or "Not stated."))
        page.sections.append(self.model_section("Input", op.input, path))
        page.sections.append(self.model_section("Output", op.output, path, NO_OUTPUT))
        if op.errors:
            rows = tuple(
                (
                    code(e.code),
                    str(e.http),
                    code(e.gql_code),
                    md_cell(e.description),
                    md_cell(e.when),
                    yes_no(e.retryable),
                )
                for e in op.errors
            )
            table = Table(
                ("Code", "HTTP", "GraphQL code", "Description", "When", "Retryable"), rows
            )
            page.sections.append(Section("Errors", table=table))
        else:
            page.sections.append(Section("Errors", text="No declared errors."))
        if naming.answers_more(op):
            page.sections.append(self.answers_section(op, path))
        page.sections.append(Section("Policy", items=self.policy_items(op)))
        page.sections.append(self.emits_section(op, path))
        page.sections.append(Section("Surfaces", items=self.surface_items(op)))
        for ex in op.examples:
            blocks = [self.json_block("Output", ex.output)] if op.output is not None else []
            if op.input is not None:
                blocks.insert(0, self.json_block("Input", ex.input))
            page.examples.append(
                ExampleView(md_cell(ex.name), md_text(ex.description), tuple(blocks))
            )
        page.source = self.source_block(op.source)
        return page

    def answers_section(self, op: Operation, path: str) -> Section:
        """The REST answers beside the main success: a second success, 304, redirects."""
        main = naming.rest_status(op)
        rows = []
        for status, model in naming.rest_answers(op):
            if status == main and not naming.redirects(status):
                continue
            if model is not None:
                body = "Model " + self.type_link(model, "model", path)
            else:
                body = "Location header" if naming.redirects(status) else "No body"
            when = naming.answer_description(op, status) or "The only answer: a redirect."
            rows.append((str(status), body, md_cell(when)))
        text = (
            "REST answers these too; they are not errors. The Python and TypeScript "
            "clients return a reply with the status (the body's model, or a redirect's "
            "Location); GraphQL has no place for them (see the GraphQL surface's page)."
        )
        return Section(
            "Other answers", text=text, table=Table(("Status", "Body", "When"), tuple(rows))
        )

    def policy_items(self, op: Operation) -> tuple[str, ...]:
        p = op.policy
        rate = (
            f"{p.rate_limit.rpm} requests per minute per {md_cell(p.rate_limit.key)}"
            if p.rate_limit
            else "none"
        )
        return (
            f"Auth: {md_cell(p.auth)}",
            f"Idempotent: {yes_no(p.idempotent)}",
            f"Rate limit: {rate}",
            f"Flags: {listing(p.flags)}",
            f"PII: {listing(p.pii)}",
        )

    def emits_section(self, op: Operation, path: str) -> Section:
        if not op.emits:
            return Section("Emitted events", text="None.")
        rows = []
        for emit in op.emits:
            ev = self._events.get((emit.event, emit.version))
            label = md_cell(emit.event)
            shown = link(label, relative(event_page(ev), path)) if ev else label
            rows.append((shown, md_cell(emit.version), md_cell(emit.when)))
        return Section("Emitted events", table=Table(("Event", "Version", "When"), tuple(rows)))

    def surface_items(self, op: Operation) -> tuple[str, ...]:
        root = naming.gql_root(op)
        rest = [f"REST: {code(naming.rest_method(op) + ' ' + naming.rest_path(op))}"]
        status = naming.rest_status(op)
        if status != 200:
            rest.append(f"REST success status: {status}")
        if op.transport.rest_headers:
            sent = (f"{code(f)} as {code(h)}" for f, h in op.transport.rest_headers)
            rest.append("REST request headers: " + ", ".join(sent))
        if op.transport.rest_query:
            rest.append(
                "REST query parameters: " + ", ".join(code(f) for f in op.transport.rest_query)
            )
        return (
            *rest,
            f"GraphQL field: {code(naming.gql_field(op))} on {root}",
            f"Operation id: {code(naming.operation_id(op))}",
        )

    # -- event ------------------------------------------------------------------------

    def event(self, ev: Event) -> Page:
        path = event_page(ev)
        page = Page(path, md_cell(ev.key), md_text(ev.meta.description))
        page.meta = self.meta_lines(ev, "event", path)
        page.sections.append(self.model_section("Payload", ev.payload, path))
        page.sections.append(Section("PII", text=listing(ev.pii)))
        emitters = self._emitters.get(ev.key, {}).get(ev.version, [])
        if emitters:
            rows = tuple(
                (
                    link(md_cell(key), relative(page, path)),
                    md_cell(version),
                    md_cell(when),
                )
                for key, version, page, when in emitters
            )
            page.sections.append(
                Section("Emitted by", table=Table(("Operation", "Version", "When"), rows))
            )
        else:
            page.sections.append(Section("Emitted by", text="No operation emits this event."))
        page.source = self.source_block(ev.source)
        return page

    # -- types ------------------------------------------------------------------------

    def models(self, domain: str) -> Page:
        path = models_page(domain)
        page = Page(path, f"{md_cell(domain)} models", "Models and enums defined in this domain.")
        for name in self.spec.models_in(domain):
            m = self.spec.models[name]
            text = md_text(m.description)
            users = self.users_of(m.name, path)
            if users:
                text = (text + "\n\n" if text else "") + "Used by: " + ", ".join(users)
            table = self.field_table(m, path) if m.fields else None
            page.sections.append(Section(md_cell(m.name), type_anchor(m.name), text, table))
        for name in self.spec.enums_in(domain):
            page.sections.append(self.enum_section(self.spec.enums[name]))
        unions = self.spec.unions_in(domain)
        for name in unions:
            page.sections.append(self.union_section(self.spec.unions[name], path))
        if unions:
            page.description = "Models, enums and unions defined in this domain."
        if not page.sections:
            page.description = "This domain defines no models or enums."
        return page

    def enum_section(self, en: EnumType) -> Section:
        text = "Enum" + (": " + md_text(en.description) if en.description else "")
        return Section(
            md_cell(en.name),
            type_anchor(en.name),
            text,
            items=tuple(_value_item(v) for v in en.members),
        )

    def union_section(self, union: UnionType, from_page: str) -> Section:
        """A union: what it is for, its discriminator, and the model each tag stands for."""
        text = "Union" + (": " + md_text(union.description) if union.description else "")
        text += (
            f"\n\nOne of the models below, chosen by the value of its "
            f"{code(union.discriminator)} field (the tag); any other tag is refused."
        )
        rows = tuple(
            (code(tag), self.type_link(model, "model", from_page)) for tag, model in union.members
        )
        return Section(
            md_cell(union.name), type_anchor(union.name), text, Table(("Tag", "Model"), rows)
        )

    def users_of(self, name: str, from_page: str) -> list[str]:
        """Links to the operations and events (of any domain) that reach the model."""
        folder = folder_of(from_page)
        return [
            link(md_cell(key), relative_in(page, folder)) for key, page in self._users.get(name, ())
        ]

    # -- indexes ----------------------------------------------------------------------

    def domain(self, domain: str) -> Page:
        path = domain_page(domain)
        page = Page(path, md_cell(domain), "")
        ops = self.spec.operations_in(domain)
        evs = self.spec.events_in(domain)
        page.description = f"{len(ops)} operations, {len(evs)} events."
        if ops:
            op_rows: tuple[tuple[str, ...], ...] = tuple(
                (
                    link(md_cell(op.key), relative(operation_page(op), path)),
                    op.kind,
                    md_cell(op.version),
                    md_cell(op.meta.stability),
                    md_cell(op.meta.description),
                )
                for op in ops
            )
            headers = ("Key", "Kind", "Version", "Stability", "Description")
            page.sections.append(Section("Operations", table=Table(headers, op_rows)))
        if evs:
            ev_rows: tuple[tuple[str, ...], ...] = tuple(
                (
                    link(md_cell(ev.key), relative(event_page(ev), path)),
                    md_cell(ev.version),
                    md_cell(ev.meta.stability),
                    md_cell(ev.meta.description),
                )
                for ev in evs
            )
            ev_headers = ("Key", "Version", "Stability", "Description")
            page.sections.append(Section("Events", table=Table(ev_headers, ev_rows)))
        models, enums = self.domain_types(domain)
        types = [self.type_link(n, "model", path) for n in models]
        types += [self.type_link(n, "enum", path) + " (enum)" for n in enums]
        page.sections.append(
            Section(
                "Models",
                text="Models and enums this domain defines or uses; all definitions of the "
                "domain are on its "
                + link("models page", relative(models_page(domain), path))
                + ".",
                items=tuple(types),
            )
        )
        return page

    def index_row(self, domain: str) -> list[str]:
        """The domain's row of the site's index page."""
        models, enums = self.domain_types(domain)
        return [
            link(md_cell(domain), domain_page(domain)),
            str(len(self.spec.operations_in(domain))),
            str(len(self.spec.events_in(domain))),
            str(len(models)),
            str(len(enums)),
        ]


def _value_item(v: EnumValue) -> str:
    """An enum value in the docs: as the wire carries it, then its description."""
    note = value_note(v)
    return code(v.value) + (f": {md_cell(note)}" if note else "")


def _index_page(title: str, rows: Iterable[Sequence[str]]) -> Page:
    page = Page("index.md", md_cell(title), "Contracts by domain.")
    headers = ("Domain", "Operations", "Events", "Models", "Enums")
    table = Table(headers, tuple(tuple(row) for row in rows))
    page.sections.append(Section("Domains", table=table))
    return page


# -- rendering ----------------------------------------------------------------------


def _domain_sources(spec: Spec, domain: str) -> tuple[str, ...]:
    return tuple(spec.files_in(domain))


def _title(options: Options) -> str:
    return options.openapi.title.strip() or "Contracts"


def _page_file(page: Page, sources: Sequence[str], template: jinja2.Template) -> OutputFile:
    content = template.render(header=comment(header_text(sources)), page=page)
    return OutputFile(f"{ROOT}/{PAGES}/{page.path}", content, tuple(sorted(set(sources))))


def _nav_entry(spec: Spec, domain: str) -> dict[str, Any]:
    """A domain's entry of the site nav: its overview, operations, events and models."""
    entries: list[Any] = [{"Overview": domain_page(domain)}]
    ops = spec.operations_in(domain)
    if ops:
        entries.append({"Operations": [{op.key: operation_page(op)} for op in ops]})
    evs = spec.events_in(domain)
    if evs:
        entries.append({"Events": [{ev.key: event_page(ev)} for ev in evs]})
    entries.append({"Models": models_page(domain)})
    return {domain: entries}


#: Strings PyYAML writes plain (unquoted) both as a simple key and as a value: a
#: letter, then letters, digits and ``._/-``; minus the words YAML 1.1 reads as
#: booleans or null. At most 100 characters (longer keys are written as complex keys).
_PLAIN_YAML = re.compile(r"[A-Za-z][A-Za-z0-9._/-]{0,99}")
_YAML_WORDS = frozenset(
    {
        "yes", "Yes", "YES", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
        "null", "Null", "NULL",
    }
)  # fmt: skip


def _plain_yaml(text: str) -> bool:
    return _PLAIN_YAML.fullmatch(text) is not None and text not in _YAML_WORDS


def _nav_yaml(nav: list[Any], indent: str = "") -> list[str] | None:
    """The nav as PyYAML's ``safe_dump`` block style writes it, line by line, or None
    when some name or path is not a plain string (``safe_dump`` then writes it all).

    The nav has thousands of short entries; PyYAML's per-node machinery made it the
    costliest part of the docs surface.
    """
    lines: list[str] = []
    for entry in nav:
        ((key, value),) = entry.items()
        if not _plain_yaml(key):
            return None
        if isinstance(value, str):
            if not _plain_yaml(value):
                return None
            lines.append(f"{indent}- {key}: {value}")
            continue
        inner = _nav_yaml(value, indent + "  ") if value else None
        if inner is None:
            return None
        lines.append(f"{indent}- {key}:")
        lines.extend(inner)
    return lines


def _yaml(value: Any) -> str:
    return yaml.safe_dump(
        value, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000
    )


def _nav_text(nav: list[Any]) -> str:
    """Nav entries as lines of the block sequence below ``nav:`` (each line ending in a
    newline). PyYAML writes each entry of that sequence the same whatever its
    neighbours, so the entries of each domain can be written on their own and joined."""
    lines = _nav_yaml(nav)
    if lines is None:
        return _yaml(nav)
    return "".join(line + "\n" for line in lines)


#: The nav's first entry, before the domains.
_HOME = _nav_text([{"Home": "index.md"}])


def _mkdocs_yml(
    title: str, navs: Iterable[str], sources: tuple[str, ...], options: Options
) -> OutputFile:
    config: dict[str, Any] = {
        "site_name": title,
        "docs_dir": PAGES,
        "use_directory_urls": False,
        "markdown_extensions": list(MARKDOWN_EXTENSIONS),
        "validation": {
            "omitted_files": "warn",
            "absolute_links": "warn",
            "unrecognized_links": "warn",
            "anchors": "warn",
        },
    }
    body = _yaml(config) + "nav:\n" + _HOME + "".join(navs)
    head = header_text(sources).replace("\r", " ").replace("\n", " ")
    content = render_template(
        "docs", "mkdocs.yml.jinja", options.templates, header=head, body=body.rstrip("\n")
    )
    return OutputFile(f"{ROOT}/mkdocs.yml", content, sources)


# -- the surface protocol -----------------------------------------------------------


def facts_part(spec: Spec, domain: str, options: Options) -> dict[str, Any]:
    """What the pages of other domains show about this one.

    ``operations``: [key, version, page, models reached, events emitted as
    [event key, version, when]] per operation; ``events``: [key, version, page,
    models reached] per event. Models pages list who reaches their models, event
    pages who emits them.
    """
    builder = _Builder(spec)
    operations = [
        [op.key, op.version, operation_page(op), builder.closure(op)[0], builder.emitted(op)]
        for op in spec.operations_in(domain)
    ]
    events = [
        [ev.key, ev.version, event_page(ev), builder.closure(ev)[0]]
        for ev in spec.events_in(domain)
    ]
    return {"operations": operations, "events": events}


def finalize(parts: Mapping[str, Any], options: Options) -> dict[str, Any]:
    """The reverse indexes over every domain, in the spec's order (operations by key and
    version, then events likewise).

    ``users``: model name -> [key, page] of the operations and events reaching it;
    ``emitters``: event key -> version -> [key, version, page, when] of the
    operations emitting it. Both are packed (``surfaces.lookup``): pages only look
    their entries up, and an edit reads the facts back whole.
    """

    def order(item: list[Any]) -> tuple[str, tuple[int, ...]]:
        return item[0], version_key(item[1])

    operations = sorted((op for part in parts.values() for op in part["operations"]), key=order)
    events = sorted((ev for part in parts.values() for ev in part["events"]), key=order)
    users: dict[str, list[list[str]]] = {}
    emitters: dict[str, dict[str, list[list[Any]]]] = {}
    for key, version, page, models, emitted in operations:
        for name in models:
            users.setdefault(name, []).append([key, page])
        for event, event_version, when in emitted:
            by_version = emitters.setdefault(event, {})
            by_version.setdefault(event_version, []).append([key, version, page, when])
    for key, _, page, models in events:
        for name in models:
            users.setdefault(name, []).append([key, page])
    return {"users": pack(users), "emitters": pack(emitters)}


@functools.lru_cache(maxsize=4)
def _lookup(packed: bytes) -> Lookup:
    """The packed facts, unpacked once for every batch of domains that reads them."""
    return Lookup(packed)


def render_domains(
    spec: Spec, options: Options, facts: Mapping[str, Any], domains: Sequence[str]
) -> Rendered:
    """Each domain's pages; its piece: ``sources`` (its contract files), ``row`` (its
    row of the index page) and ``nav`` (its nav entries, as YAML text)."""
    builder = _Builder(spec, facts)
    # Looked up once: every page is rendered with the same (possibly overridden) template.
    page = environment("docs", options.templates).get_template("page.md.jinja")
    rendered = Rendered()
    for d in domains:
        sources = _domain_sources(spec, d)
        files = [
            _page_file(builder.domain(d), sources, page),
            _page_file(builder.models(d), sources, page),
        ]
        for op in spec.operations_in(d):
            files.append(_page_file(builder.operation(op), builder.item_sources(op), page))
        for ev in spec.events_in(d):
            files.append(_page_file(builder.event(ev), builder.item_sources(ev), page))
        rendered.files[d] = files
        rendered.pieces[d] = {
            "sources": list(sources),
            "row": builder.index_row(d),
            "nav": _nav_text([_nav_entry(spec, d)]),
        }
    return rendered


def assemble(
    pieces: Mapping[str, Any], facts: Mapping[str, Any], options: Options
) -> list[OutputFile]:
    """The site config (mkdocs.yml with the nav) and the index page, from the pieces."""
    title = _title(options)
    domains = sorted(pieces)
    sources = tuple(sorted({s for d in domains for s in pieces[d]["sources"]}))
    page = environment("docs", options.templates).get_template("page.md.jinja")
    return [
        _mkdocs_yml(title, [pieces[d]["nav"] for d in domains], sources, options),
        _page_file(_index_page(title, [pieces[d]["row"] for d in domains]), sources, page),
    ]


def render(spec: Spec, options: Options) -> list[OutputFile]:
    """Every file of the docs surface, sorted by path."""
    return render_surface(sys.modules[__name__], spec, options)
