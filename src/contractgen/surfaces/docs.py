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
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
import yaml

from contractgen import naming
from contractgen.render import environment
from contractgen.render import render as render_template
from contractgen.spec.model import EnumType, Event, Field, Model, Operation, Spec
from contractgen.surfaces import Options, OutputFile, header_text

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


@functools.lru_cache(maxsize=65536)
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


@functools.lru_cache(maxsize=65536)
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


@functools.lru_cache(maxsize=65536)
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
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._closures: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}
        self._domain_types: dict[str, tuple[list[str], list[str]]] = {}
        self._field_tables: dict[tuple[str, str], Table] = {}
        self._type_links: dict[tuple[str, str, str], str] = {}
        #: id() of an operation or event of the spec -> its page.
        self._item_pages: dict[int, str] = {}
        #: (event key, version) -> the event; the first one wins, as in ``Spec.event``.
        self._events: dict[tuple[str, str], Event] = {}
        for ev in spec.events:
            self._events.setdefault((ev.key, ev.version), ev)

    # -- indexes over the spec, computed once -------------------------------------

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
        return tuple(sorted(files))

    @functools.cached_property
    def emitters(self) -> dict[tuple[str, str], list[tuple[Operation, str | None]]]:
        """(event key, version) -> operations emitting it, with the first matching 'when'."""
        index: dict[tuple[str, str], list[tuple[Operation, str | None]]] = {}
        for op in self.spec.operations:
            seen: set[tuple[str, str]] = set()
            for e in op.emits:
                key = (e.event, e.version)
                if key not in seen:
                    seen.add(key)
                    index.setdefault(key, []).append((op, e.when))
        return index

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
        else:
            return md_cell(name)
        target = relative_in(f"{models_page(owner)}#{type_anchor(name)}", folder)
        return link(md_cell(name), target)

    def field_type(self, f: Field, folder: str) -> str:
        shown = self.type_link_in(f.type.name, f.type.kind, folder)
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
        for f in model.fields:
            notes = [md_cell(f.description)] if f.description else []
            if f.deprecated:
                reason = f": {md_cell(f.deprecation_reason)}" if f.deprecation_reason else ""
                notes.append(f"**Deprecated**{reason}")
            rows.append(
                (
                    md_cell(f.name),
                    self.field_type(f, folder),
                    yes_no(not f.optional),
                    "<br>".join(notes),
                )
            )
        return Table(("Name", "Type", "Required", "Description"), tuple(rows))

    def model_section(self, title: str, name: str | None, from_page: str) -> Section:
        if name is None:
            return Section(title, text="No input.")
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
        page.sections.append(self.model_section("Output", op.output, path))
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
        page.sections.append(Section("Policy", items=self.policy_items(op)))
        page.sections.append(self.emits_section(op, path))
        page.sections.append(Section("Surfaces", items=self.surface_items(op)))
        for ex in op.examples:
            blocks = [self.json_block("Output", ex.output)]
            if op.input is not None:
                blocks.insert(0, self.json_block("Input", ex.input))
            page.examples.append(
                ExampleView(md_cell(ex.name), md_text(ex.description), tuple(blocks))
            )
        page.source = self.source_block(op.source)
        return page

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
        root = "Mutation" if op.kind == "command" else "Query"
        return (
            f"REST: {code(naming.rest_method(op) + ' ' + naming.rest_path(op))}",
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
        emitters = self.emitters.get((ev.key, ev.version), [])
        if emitters:
            rows = tuple(
                (
                    link(md_cell(op.key), relative(operation_page(op), path)),
                    md_cell(op.version),
                    md_cell(when),
                )
                for op, when in emitters
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
        if not page.sections:
            page.description = "This domain defines no models or enums."
        return page

    def enum_section(self, en: EnumType) -> Section:
        text = "Enum" + (": " + md_text(en.description) if en.description else "")
        return Section(
            md_cell(en.name), type_anchor(en.name), text, items=tuple(code(v) for v in en.values)
        )

    @functools.cached_property
    def users(self) -> dict[str, list[Operation | Event]]:
        """Model name -> operations and events whose input, output or payload reaches it."""
        index: dict[str, list[Operation | Event]] = {}
        items: list[Operation | Event] = [*self.spec.operations, *self.spec.events]
        for item in items:
            models, _ = self.closure(item)
            for name in models:
                index.setdefault(name, []).append(item)
        return index

    def users_of(self, name: str, from_page: str) -> list[str]:
        """Links to the operations and events that reach the model."""
        folder = folder_of(from_page)
        found: list[str] = []
        for item in self.users.get(name, ()):
            target = self.page_of(item)
            found.append(link(md_cell(item.key), relative_in(target, folder)))
        return found

    def page_of(self, item: Operation | Event) -> str:
        """The page of an operation or event (memoized: models pages link to many)."""
        page = self._item_pages.get(id(item))
        if page is None:
            page = operation_page(item) if isinstance(item, Operation) else event_page(item)
            self._item_pages[id(item)] = page
        return page

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

    def index(self, title: str) -> Page:
        page = Page("index.md", md_cell(title), "Contracts by domain.")
        rows = []
        for d in self.spec.domains:
            models, enums = self.domain_types(d)
            rows.append(
                (
                    link(md_cell(d), domain_page(d)),
                    str(len(self.spec.operations_in(d))),
                    str(len(self.spec.events_in(d))),
                    str(len(models)),
                    str(len(enums)),
                )
            )
        table = Table(("Domain", "Operations", "Events", "Models", "Enums"), tuple(rows))
        page.sections.append(Section("Domains", table=table))
        return page


# -- sources ------------------------------------------------------------------------


def _domain_sources(spec: Spec, domain: str) -> tuple[str, ...]:
    return tuple(spec.files_in(domain))


def _all_sources(spec: Spec) -> tuple[str, ...]:
    return tuple(sorted({f for d in spec.domains for f in _domain_sources(spec, d)}))


# -- rendering ----------------------------------------------------------------------


def _page_file(page: Page, sources: Sequence[str], template: jinja2.Template) -> OutputFile:
    content = template.render(header=comment(header_text(sources)), page=page)
    return OutputFile(f"{ROOT}/{PAGES}/{page.path}", content, tuple(sorted(set(sources))))


def _nav(spec: Spec, title: str) -> list[Any]:
    nav: list[Any] = [{"Home": "index.md"}]
    for d in spec.domains:
        entries: list[Any] = [{"Overview": domain_page(d)}]
        ops = spec.operations_in(d)
        if ops:
            entries.append({"Operations": [{op.key: operation_page(op)} for op in ops]})
        evs = spec.events_in(d)
        if evs:
            entries.append({"Events": [{ev.key: event_page(ev)} for ev in evs]})
        entries.append({"Models": models_page(d)})
        nav.append({d: entries})
    return nav


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


def _mkdocs_yml(spec: Spec, title: str, options: Options) -> OutputFile:
    nav = _nav(spec, title)
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
    nav_lines = _nav_yaml(nav)
    if nav_lines is None:
        config["nav"] = nav
    body = yaml.safe_dump(
        config, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000
    )
    if nav_lines is not None:
        body += "nav:\n" + "\n".join(nav_lines) + "\n"
    sources = _all_sources(spec)
    head = header_text(sources).replace("\r", " ").replace("\n", " ")
    content = render_template(
        "docs", "mkdocs.yml.jinja", options.templates, header=head, body=body.rstrip("\n")
    )
    return OutputFile(f"{ROOT}/mkdocs.yml", content, sources)


def render(spec: Spec, options: Options) -> list[OutputFile]:
    title = options.openapi.title.strip() or "Contracts"
    builder = _Builder(spec)
    # Looked up once: every page is rendered with the same (possibly overridden) template.
    page = environment("docs", options.templates).get_template("page.md.jinja")
    files = [_mkdocs_yml(spec, title, options)]
    files.append(_page_file(builder.index(title), _all_sources(spec), page))
    for d in spec.domains:
        sources = _domain_sources(spec, d)
        files.append(_page_file(builder.domain(d), sources, page))
        files.append(_page_file(builder.models(d), sources, page))
    for op in spec.operations:
        files.append(_page_file(builder.operation(op), builder.item_sources(op), page))
    for ev in spec.events:
        files.append(_page_file(builder.event(ev), builder.item_sources(ev), page))
    return sorted(files, key=lambda f: f.path)
