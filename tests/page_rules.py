"""The rules every page, figure and example of the guide follows, in one place.

Each rule's `statement` is the sentence CONTRIBUTING.md's "Page checklist" and the pull request
template print word for word (tests/test_content.py checks that they do), and every test that
enforces a rule ends its failure message with `rule.cite()`, so a contributor who breaks a rule
reads the same sentence and the section that explains it.
"""

from __future__ import annotations

from dataclasses import dataclass

CHECKLIST = "CONTRIBUTING.md, section Page checklist"

MIN_WORDS = 700
DESCRIPTION_CHARS = (50, 170)
KUBERNETES_VERSION_INCLUDE = "includes/kubernetes-version.md"

# Figure scripts shown only by the pages of one section carry that section's prefix.
FIGURE_PREFIXES = {"containers": "containers_", "kubernetes": "k8s_", "service-mesh": "mesh_"}

# Text that `make new-page` writes for the author to replace; none of it may reach the site.
SCAFFOLD_MARKER = "NEW-PAGE:"


@dataclass(frozen=True)
class Rule:
    """One contributor-facing rule: its short name and the sentence that states it."""

    name: str
    statement: str

    def cite(self) -> str:
        """The suffix of a failure message: the rule, word for word, and where it is explained."""
        return f"\n  rule: {self.statement}\n  see {CHECKLIST}"


DESCRIPTION = Rule(
    "description",
    f"Front matter has a `description:` of {DESCRIPTION_CHARS[0]} to {DESCRIPTION_CHARS[1]} characters, "
    "different from every other page's.",
)
ONE_TITLE = Rule("title", "The page has exactly one `#` heading, its title.")
IN_NAV = Rule("nav", "The page is listed under `nav:` in `mkdocs.yml`.")
WORDS = Rule(
    "words",
    f"A section page has at least {MIN_WORDS} words of explanation (code blocks, included files and figure "
    "lines do not count).",
)
FIGURE = Rule("figure", "A section page shows at least one figure, on a line of its own: `![Caption](figure:name)`.")
SOURCE = Rule("source", "A section page links at least one primary source with an `https://` link.")
RELATED = Rule("related", "A section page links at least one other page of the guide with a relative `.md` link.")
VERSION_INCLUDE = Rule(
    "kubernetes-version",
    f'Every page under `docs/kubernetes/` includes `--8<-- "{KUBERNETES_VERSION_INCLUDE}"`.',
)
FIGURE_PREFIX = Rule(
    "figure-prefix",
    "A figure shown only on one section's pages is named `containers_<name>`, `k8s_<name>` or `mesh_<name>`.",
)
SCAFFOLD_LEFT = Rule(
    "scaffold",
    f"No `{SCAFFOLD_MARKER}` placeholder from `make new-page` is left in a page or a figure script.",
)
EXAMPLE_SHOWN = Rule(
    "example-shown",
    'Every file under `docs/examples/` is included by a page with `--8<-- "docs/examples/..."`.',
)
OWN_WORDS = Rule("own-words", "Pages are written in your own words: no run of 10 words from the 2021 seed article.")

ALL = (
    DESCRIPTION,
    ONE_TITLE,
    IN_NAV,
    WORDS,
    FIGURE,
    SOURCE,
    RELATED,
    VERSION_INCLUDE,
    FIGURE_PREFIX,
    SCAFFOLD_LEFT,
    EXAMPLE_SHOWN,
    OWN_WORDS,
)
