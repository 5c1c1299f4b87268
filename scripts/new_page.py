"""`make new-page SECTION=... NAME=... TITLE=...`: scaffold a page that follows the page checklist.

Writes `docs/<section>/<name>.md`, a figure script `diagrams/<prefix><name>.py` in the house
style, and the page's entry at the end of its section in the `nav:` of `mkdocs.yml`. Every place
the author must write is marked with the scaffold marker, and tests/test_content.py fails until
none is left, so a scaffold can never be published half-written. Nothing is overwritten: an
existing page or script, or a name that is not a lower-case slug, stops with a message and
writes nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import page_rules as rules  # noqa: E402  (the rules live beside the tests that enforce them)

SECTION_TITLES = {"containers": "Containers", "kubernetes": "Kubernetes", "service-mesh": "Service mesh"}
MARK = rules.SCAFFOLD_MARKER

PAGE = """\
---
description: "{mark} one sentence of {low} to {high} characters on what this page teaches."
---

# {title}

{mark} an opening paragraph that says what the reader will learn on this page.
{version_note}
## {mark} the idea

{mark} explain the concept before any command: what it is, why it exists, what it replaces.

![{mark} a caption that says what to notice in the figure.](figure:{figure})

## {mark} how it works

{mark} the mechanism, in the reader's terms. Link glossary terms ([Pod](../glossary.md#pod)) and
the primary source of every version, default or status you state.

!!! warning "{mark} a pitfall"
    {mark} what goes wrong in practice, and how to avoid it.

## {mark} try it

{mark} a tested example: put the file under `docs/examples/{section}/{name}-<thing>.yaml` and
include it here with a snippet line.

## Further reading

- [{mark} the primary source](https://kubernetes.io/docs/home/): the specification, the project's
  documentation or its release notes.

## Related pages

- [{section_title}](index.md): {mark} why a reader goes there next.
"""

FIGURE = '''\
"""{mark} one sentence on what the figure shows (its text description starts with it)."""

from diagrams.k8s.compute import Pod
from diagrams.k8s.network import Service

from house_style import figure, group, request

with figure("{mark} {title}"):
    with group("{mark} boundary"):
        entry = Service("{mark} entry")
        part = Pod("{mark} part")
    entry >> request("{mark} call") >> part
'''


class ScaffoldError(Exception):
    """A scaffold that cannot be written as asked; the message says what to change."""


def scaffold(root: Path, section: str, name: str, title: str) -> list[Path]:
    """Write the page, its figure script and its nav entry under `root`; return the paths written."""
    if section not in SECTION_TITLES:
        raise ScaffoldError(f"SECTION must be one of {', '.join(SECTION_TITLES)}, not {section!r}")
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", name):
        raise ScaffoldError(f"NAME must be a lower-case slug such as pod-lifecycle, not {name!r}")
    if not title.strip():
        raise ScaffoldError('TITLE must say what the page is about, e.g. TITLE="Pod lifecycle"')
    page = root / "docs" / section / f"{name}.md"
    figure_name = rules.FIGURE_PREFIXES[section] + name.replace("-", "_")
    script = root / "diagrams" / f"{figure_name}.py"
    for path in (page, script):
        if path.exists():
            raise ScaffoldError(f"{path.relative_to(root)} exists already; choose another NAME")
    config = root / "mkdocs.yml"
    nav_text = _with_nav_entry(config.read_text(encoding="utf-8"), f"{section}/{name}.md", section)

    version_note = f'\n--8<-- "{rules.KUBERNETES_VERSION_INCLUDE}"\n' if section == "kubernetes" else ""
    low, high = rules.DESCRIPTION_CHARS
    page.write_text(
        PAGE.format(
            mark=MARK,
            low=low,
            high=high,
            title=title.strip(),
            version_note=version_note,
            figure=figure_name,
            section=section,
            name=name,
            section_title=SECTION_TITLES[section],
        ),
        encoding="utf-8",
    )
    script.write_text(FIGURE.format(mark=MARK, title=title.strip()), encoding="utf-8")
    config.write_text(nav_text, encoding="utf-8")
    return [page, script, config]


def _with_nav_entry(config: str, entry: str, section: str) -> str:
    """`mkdocs.yml` text with `entry` after the last nav line of `section`."""
    lines = config.splitlines(keepends=True)
    positions = [i for i, line in enumerate(lines) if re.match(rf"\s+- {re.escape(section)}/[\w./-]+\.md\s*$", line)]
    if not positions:
        raise ScaffoldError(f"mkdocs.yml has no nav entries under {section}/; add the page to nav: by hand")
    last = positions[-1]
    indent = re.match(r"\s*", lines[last]).group(0)
    lines.insert(last + 1, f"{indent}- {entry}\n")
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line of `make new-page`."""
    parser = argparse.ArgumentParser(prog="make new-page", description=__doc__.splitlines()[0])
    parser.add_argument("--section", required=True, help="containers, kubernetes or service-mesh")
    parser.add_argument("--name", required=True, help="the page's file name without .md, e.g. pod-lifecycle")
    parser.add_argument("--title", required=True, help="the page's title")
    args = parser.parse_args(argv)
    try:
        written = scaffold(ROOT, args.section, args.name, args.title)
    except ScaffoldError as exc:
        print(f"new-page: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"Now replace every '{MARK}' placeholder; `make check` tells you what is left.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
