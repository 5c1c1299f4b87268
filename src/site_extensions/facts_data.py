"""The volatile facts file (`data/facts.yml`): loading, checking and ageing its entries.

Each top-level key names one fact that changes with releases: a current version, a support
range, a feature's state, a project's status. Every entry carries the primary source it was
checked at and the date it was checked::

    kubernetes.release:                 # an inline value: [[fact:kubernetes.release]]
      value: "1.37"
      source: https://kubernetes.io/releases/
      checked: 2026-12-01
      recheck: 2026-12-16               # optional: the day a release is due; stale from then on

    k8s.sidecar-containers:             # a feature state: [[state:k8s.sidecar-containers]]
      name: native sidecar containers
      project: Kubernetes
      state: stable
      since: "1.33"
      source: https://github.com/kubernetes/website/blob/main/content/en/docs/reference/command-line-tools-reference/feature-gates/SidecarContainers.md
      checked: 2026-12-01

A malformed file raises `FactsError` naming the file, the line and the fix. This module imports
nothing from a site generator; the Markdown extension (`site_extensions.facts`) and
`scripts/facts.py` (`make facts`) share it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

KEY = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
STATES = ("alpha", "beta", "stable", "deprecated", "removed", "experimental")
REQUIRED = ("source", "checked")
FEATURE_FIELDS = ("project", "state", "since")
OPTIONAL = ("value", "name", "note", "recheck", *FEATURE_FIELDS)
FIELDS = (*REQUIRED, *OPTIONAL)
STALE_DAYS = 90


class FactsError(Exception):
    """The facts file is missing or malformed; the message names the file, the line and the fix."""


@dataclass(frozen=True)
class Fact:
    """One checked entry of the facts file."""

    key: str
    line: int
    source: str
    checked: dt.date
    value: str | None = None
    name: str | None = None
    note: str | None = None
    project: str | None = None
    state: str | None = None
    since: str | None = None
    recheck: dt.date | None = None  # a day the value is expected to change (a release is due)

    @property
    def is_feature(self) -> bool:
        return self.state is not None

    def field(self, name: str) -> str:
        """The text of one field (`value` by default in pages); dates as YYYY-MM-DD."""
        value = getattr(self, name)
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    def badge(self) -> str:
        """The feature-state label in kubernetes.io's style: `Kubernetes v1.33 [stable]`."""
        since = f"v{self.since}" if self.since and self.since[0].isdigit() else str(self.since)
        return f"{self.project} {since} [{self.state}]"

    def summary(self) -> str:
        """What the entry says, for listings: its value, or its feature state."""
        return self.badge() if self.is_feature else str(self.value)

    def age(self, today: dt.date) -> int:
        """Days since the entry was last checked at its source."""
        return (today - self.checked).days


def _problem(path: Path, line: int, text: str) -> FactsError:
    return FactsError(f"{path}:{line}: {text}")


def _suggest(word: str, known: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(known), n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def _construct(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def _entry(path: Path, key: str, line: int, node: yaml.Node, today: dt.date) -> Fact:
    if not KEY.match(key):
        raise _problem(path, line, f"key {key!r} must be lower-case words joined by '.' or '-' (e.g. istio.release)")
    if not isinstance(node, yaml.MappingNode):
        raise _problem(path, line, f"{key}: an entry is a mapping of 'value' (or a state), 'source' and 'checked'")
    fields: dict[str, Any] = {}
    for field_node, value_node in node.value:
        name, where = field_node.value, field_node.start_mark.line + 1
        if name not in FIELDS:
            hint = _suggest(name, FIELDS) or f" (fields: {', '.join(FIELDS)})"
            raise _problem(path, where, f"{key}: unknown field {name!r}{hint}")
        if name in fields:
            raise _problem(path, where, f"{key}: field {name!r} is given twice")
        value = _construct(value_node)
        if name in ("checked", "recheck"):
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise _problem(path, where, f"{key}: '{name}' must be a date written YYYY-MM-DD")
            if name == "checked" and value > today:
                raise _problem(path, where, f"{key}: 'checked' {value} is in the future")
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = value.isoformat()  # a date as a value (a release day) is shown as written
        elif isinstance(value, float):
            raise _problem(
                path, where, f'{key}: {name} {value!r} is a number, and YAML drops trailing zeros; quote it: "{value}"'
            )
        elif not isinstance(value, (str, int)) or isinstance(value, bool) or value == "":
            raise _problem(path, where, f"{key}: {name} must be a non-empty string")
        else:
            value = str(value)
        fields[name] = value
    for name in REQUIRED:
        if name not in fields:
            raise _problem(path, line, f"{key}: missing {name!r} (every entry needs its source and date checked)")
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", fields["source"]):
        raise _problem(path, line, f"{key}: source must be the URL of the primary source (https://...)")
    feature = [name for name in FEATURE_FIELDS if name in fields]
    if feature and len(feature) != len(FEATURE_FIELDS):
        missing = ", ".join(n for n in FEATURE_FIELDS if n not in fields)
        raise _problem(path, line, f"{key}: a feature state needs project, state and since; missing {missing}")
    if feature and fields["state"] not in STATES:
        raise _problem(path, line, f"{key}: state {fields['state']!r} is not one of {', '.join(STATES)}")
    if not feature and "value" not in fields:
        raise _problem(path, line, f"{key}: give a 'value', or 'project', 'state' and 'since' for a feature state")
    return Fact(key=key, line=line, **fields)


_cache: dict[str, tuple[tuple[int, int, dt.date], dict[str, Fact]]] = {}


def load(path: Path | str, today: dt.date | None = None) -> dict[str, Fact]:
    """Every entry of the facts file at `path`, by key, checked; re-read only when the file changes."""
    path = Path(path)
    today = today or dt.date.today()
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise FactsError(f"{path}: facts file not found (build from the repository root, or set 'data')") from None
    stamp = (stat.st_mtime_ns, stat.st_size, today)
    cached = _cache.get(str(path))
    if cached and cached[0] == stamp:
        return cached[1]
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else 0
        raise _problem(path, line, f"not valid YAML: {exc.problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FactsError(f"{path}: cannot be read ({exc})") from None
    facts: dict[str, Fact] = {}
    if root is None:
        return facts
    if not isinstance(root, yaml.MappingNode):
        raise _problem(path, 1, "the top level must be a mapping from fact keys to entries")
    for key_node, value_node in root.value:
        key, line = str(key_node.value), key_node.start_mark.line + 1
        if key in facts:
            raise _problem(path, line, f"{key} is defined twice (first at line {facts[key].line}); keep one entry")
        facts[key] = _entry(path, key, line, value_node, today)
    _cache[str(path)] = (stamp, facts)
    return facts


def suggest(key: str, known: list[str]) -> str:
    """A 'did you mean' phrase for an unknown fact key."""
    close = difflib.get_close_matches(key, known, n=3, cutoff=0.6)
    return f"did you mean {' or '.join(close)}?" if close else "add an entry to the facts file, with its source"


def stale(facts: dict[str, Fact], today: dt.date, days: int = STALE_DAYS) -> list[Fact]:
    """Entries not checked for at least `days` days, or whose `recheck` day has come; oldest first."""
    due = [f for f in facts.values() if f.age(today) >= days or (f.recheck is not None and f.recheck <= today)]
    return sorted(due, key=lambda f: f.checked)
