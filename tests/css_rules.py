"""Just enough of a CSS reader to compare style rules written by hand with minified ones."""

from __future__ import annotations

import re
from typing import NamedTuple


class StyleRule(NamedTuple):
    """One style rule: the at-rules around it (outermost first), its selector and declarations."""

    context: tuple[str, ...]
    selector: str
    declarations: tuple[str, ...]

    def css(self) -> str:
        """The rule as one line of CSS, inside its at-rules."""
        text = f"{self.selector}{{{';'.join(self.declarations)}}}"
        for at_rule in reversed(self.context):
            text = f"{at_rule}{{{text}}}"
        return text


_GROUPING = ("@media", "@supports", "@layer", "@container")


def _spelling(text: str) -> str:
    """`0.5` for `.5`, unquoted attribute values, single spaces."""
    text = re.sub(r"(?<![\w.])\.(\d)", r"0.\1", re.sub(r"\s+", " ", text).strip())
    return re.sub(r'=(["\'])([\w-]+)\1\]', r"=\2]", text)


def normalise_selector(text: str) -> str:
    """One spelling of a selector list (spaces are combinators there, so only these go)."""
    return re.sub(r"\s*([,>+~])\s*", r"\1", _spelling(text))


def normalise_declaration(text: str) -> str:
    """One spelling of a declaration: no space around `:` and `,`, none inside brackets."""
    text = re.sub(r"\s*([:,])\s*", r"\1", _spelling(text))
    return re.sub(r"\(\s*", "(", re.sub(r"\s*\)", ")", text))


def _split_declarations(body: str) -> list[str]:
    """`body` split at each `;` that is outside quotes and brackets (data URIs hold `;`)."""
    parts, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(body):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == ";" and not depth:
            parts.append(body[start:index])
            start = index + 1
    return [*parts, body[start:]]


def _block_end(text: str, start: int) -> int:
    """The index just past the `}` that closes the block opened at `text[start - 1]`."""
    depth, index, quote = 1, start, ""
    while depth:
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        index += 1
    return index


def style_rules(text: str, context: tuple[str, ...] = ()) -> list[StyleRule]:
    """Every style rule of a stylesheet, inside `@media` and the other grouping at-rules too."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rules: list[StyleRule] = []
    index = 0
    while (open_brace := text.find("{", index)) >= 0:
        prelude = normalise_selector(text[index:open_brace].rsplit(";", 1)[-1])
        end = _block_end(text, open_brace + 1)
        body = text[open_brace + 1 : end - 1]
        if prelude.startswith(_GROUPING):
            rules += style_rules(body, (*context, prelude))
        elif not prelude.startswith("@"):
            declarations = tuple(normalise_declaration(d) for d in _split_declarations(body) if d.strip())
            rules.append(StyleRule(context, prelude, declarations))
        index = end
    return rules
