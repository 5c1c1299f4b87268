"""Python-Markdown extension: pages take volatile facts from `data/facts.yml` instead of restating them.

Syntax, anywhere in a page or an included snippet (code blocks too)::

    [[fact:kubernetes.release]]            the entry's value: 1.37
    [[fact:kubernetes.release|checked]]    another field: source, checked, name, note, project, state, since
    [[state:k8s.sidecar-containers]]       a feature-state badge: Kubernetes v1.33 [stable]
    \\[[fact:kubernetes.release]]          a backslash shows the syntax itself

A `[[state:...]]` alone on its line becomes a block notice ("Feature state: ..."), as kubernetes.io's
`feature-state` shortcode renders; inside a sentence it is an inline badge; in a code block it is
plain text. An unknown key or field is a warning that names the file, the line and the closest key
(so `mkdocs build --strict` fails) and shows a visible marker in the page. A malformed facts file
stops the build with `FactsError` (file, line, fix).

Two passes: one before pymdownx.snippets, on the page's own lines (exact line numbers, counted in
the source file, front matter included), and one after it, for text that includes brought in.

    markdown_extensions:
      - site_extensions.facts:
          data: data/facts.yml   # relative to the directory the build runs in

This imports nothing from MkDocs. Its warnings go to a logger under `mkdocs.` because that is
the logger tree MkDocs counts for `--strict`; other generators still show the page marker.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from figure_pipeline.markdown import FenceTracker, page_source_path

from .facts_data import FIELDS, Fact, FactsError, load, suggest

log = logging.getLogger("mkdocs.extensions.facts")

TOKEN = re.compile(r"(?P<escape>\\?)\[\[(?P<kind>fact|state):(?P<key>[^\]|\s]*)(?:\|(?P<field>[^\]\s]*))?\]\]")
ANY = re.compile(r"\[\[\s*(?:facts?|states?)\b")
SNIPPET = re.compile(r"""^\s*-{1,}8<-{1,}\s+(?P<q>["']?)(?P<path>[^"'\s]+)(?P=q)\s*$""")
ESCAPED = "\ue000"  # stands for an escaped "[[" between the two passes


def _marker(text: str, in_code: bool) -> str:
    """What an unknown reference shows: plain text in code, a red inline note elsewhere."""
    return f"<<{text}>>" if in_code else f'<span class="fact-error" role="alert">{_inline(text)}</span>'


def _inline(text: str) -> str:
    """Text for inline HTML that Markdown must not read as links or emphasis."""
    return html.escape(text).replace("[", "&#91;").replace("]", "&#93;").replace("*", "&#42;").replace("_", "&#95;")


class FactsPreprocessor(Preprocessor):
    """Replaces fact references; `first` runs on the page's own lines, the other pass after includes."""

    def __init__(self, md: Markdown, extension: FactsExtension, first: bool) -> None:
        super().__init__(md)
        self.extension = extension
        self.first = first

    def run(self, lines: list[str]) -> list[str]:
        page = page_source_path(self.md)
        offset = self._front_matter_lines(page, lines) if self.first else 0
        if self.first:
            self.extension.included = [m.group("path") for line in lines if (m := SNIPPET.match(line))]
        out = []
        fences = FenceTracker()
        for number, line in enumerate(lines, start=1):
            in_fence = fences.in_code(line)
            if "[[" in line:
                line = self._line(line, page, number + offset, in_fence)
            if not self.first:
                line = line.replace(ESCAPED, "[[")
            out.append(line)
        return out

    def _line(self, line: str, page: str | None, number: int, in_code: bool) -> str:
        line = TOKEN.sub(lambda m: self._replace(m, page, number, in_code), line)
        return ANY.sub(lambda m: self._malformed(m, page, number), line)

    def _front_matter_lines(self, page: str | None, lines: list[str]) -> int:
        """Lines the generator stripped before Markdown saw the page (YAML front matter)."""
        if page is None:
            return 0
        try:
            source = (Path(self.extension.getConfig("docs_dir")) / page).read_text(encoding="utf-8")
        except OSError:
            return 0
        text = "\n".join(lines)
        at = source.find(text) if text else -1
        return source[:at].count("\n") if at > 0 else 0

    def _replace(self, match: re.Match[str], page: str | None, line: int, in_code: bool) -> str:
        if match.group("escape"):
            return ESCAPED + match.group(0)[3:] if self.first else match.group(0)[1:]
        kind, key, field = match.group("kind"), match.group("key"), match.group("field")
        facts = self.extension.facts()
        fact = facts.get(key)
        if fact is None:
            return self._unknown(match, page, line, in_code, f"unknown fact '{key}'; {suggest(key, sorted(facts))}")
        if kind == "state":
            if not fact.is_feature or field:
                why = "has no feature state (use [[fact:...]])" if not fact.is_feature else "takes no field"
                return self._unknown(match, page, line, in_code, f"[[state:{key}]] {why}")
            return self._badge(fact, match, in_code)
        name = field or "value"
        if name not in FIELDS or getattr(fact, name) is None:
            present = [f for f in FIELDS if getattr(fact, f) is not None]
            return self._unknown(
                match, page, line, in_code, f"fact '{key}' has no field '{name}' (it has: {', '.join(present)})"
            )
        return fact.field(name)

    def _badge(self, fact: Fact, match: re.Match[str], in_code: bool) -> str:
        label = fact.badge()
        if in_code:
            return label
        title = html.escape(f"{fact.name or fact.key}: checked {fact.checked.isoformat()} at {fact.source}")
        code = f'<code class="feature-state__label">{_inline(label)}</code>'
        state = html.escape(fact.state or "")
        if match.string.strip() == match.group(0):
            markup = (
                f'<div class="feature-state feature-state--{state}" title="{title}">'
                f'<span class="feature-state__name">Feature state:</span> {code}</div>'
            )
        else:
            markup = f'<span class="feature-state feature-state--{state}" title="{title}">{code}</span>'
        # Raw HTML rather than a stash placeholder: normalize_whitespace (after both passes)
        # strips the placeholder's control characters.
        return markup

    def _where(self, page: str | None, line: int, token: str) -> str:
        """`docs/page.md:LINE` for the page's own lines; the included file and line otherwise."""
        docs = Path(self.extension.getConfig("docs_dir")).name
        here = f"{docs}/{page}:{line}" if page else f"line {line}"
        if self.first:
            return here
        return self._locate(token) or f"text included into {here.rsplit(':', 1)[0] if page else 'the page'}"

    def _unknown(self, match: re.Match[str], page: str | None, line: int, in_code: bool, problem: str) -> str:
        log.warning(f"{self._where(page, line, match.group(0))}: {problem}")
        return _marker(problem, in_code)

    def _malformed(self, match: re.Match[str], page: str | None, line: int) -> str:
        """Warns about a `[[fact` that is not a reference, and keeps its text as written."""
        rest = match.string[match.start() :]
        shown = rest.split("]]")[0][:60] + ("]]" if "]]" in rest else "")
        where = self._where(page, line, shown)
        log.warning(f"{where}: malformed fact reference {shown!r}; write [[fact:key]] or [[state:key]] (no spaces)")
        return ESCAPED + match.group(0)[2:]

    def _locate(self, token: str) -> str | None:
        """The included file and line a reference came from (it was not in the page itself)."""
        candidates = list(self.extension.included)
        snippets = self.md.preprocessors["snippet"] if "snippet" in self.md.preprocessors else None  # noqa: SIM401 (a Registry has no get)
        candidates += list(getattr(snippets, "auto_append", []) or [])
        for name in candidates:
            try:
                text = Path(name).read_text(encoding="utf-8")
            except OSError:
                continue
            for number, line in enumerate(text.splitlines(), start=1):
                if token in line:
                    return f"{name}:{number}"
        return None


class FactsExtension(Extension):
    """Registers the two passes around pymdownx.snippets (priority 32)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "data": ["data/facts.yml", "The facts file, relative to the directory the build runs in"],
            "docs_dir": ["docs", "The docs folder, to count page lines in the source file"],
        }
        super().__init__(**kwargs)
        self.included: list[str] = []

    def facts(self) -> dict[str, Fact]:
        """The checked entries (a malformed file raises FactsError)."""
        return load(Path(self.getConfig("data")))

    def extendMarkdown(self, md: Markdown) -> None:
        self.facts()  # a broken facts file stops the build before the first page
        md.preprocessors.register(FactsPreprocessor(md, self, first=True), "nutshell_facts", 33)
        md.preprocessors.register(FactsPreprocessor(md, self, first=False), "nutshell_facts_included", 31)
        md.registerExtension(self)

    def reset(self) -> None:
        self.included = []


def makeExtension(**kwargs: Any) -> FactsExtension:
    """Entry point Python-Markdown calls for `site_extensions.facts`."""
    return FactsExtension(**kwargs)


__all__ = ["FactsError", "FactsExtension", "makeExtension"]
