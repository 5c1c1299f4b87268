"""Figure renders for `mkdocs serve`, off the request path.

MkDocs' development server holds every request until the running rebuild has finished, so a
rebuild must not wait for a slow or hanging figure script (up to the render timeout). Under
`serve`, each rebuild starts a render pass in a background thread and waits for it only briefly:

- finished in time (the usual case: one changed script, cached others): the rebuild uses it;
- still running: the rebuild shows the last good picture of each changed script with a note
  (`updating`), or a "being rendered" box for a script that has none (`pending`), and when the
  pass finishes a rebuild is requested, so the page then shows the new figure or its error.

A pass is reused while the scripts stay as they were when it started; an edit during a pass
starts a new one, and only the newest pass counts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..forkserver import ForkServer
from ..options import RenderOptions
from ..render import RenderReport, render_all

Stamps = dict[str, tuple[int, int]]


def script_stamps(options: RenderOptions) -> Stamps:
    """Modification time and size of every file in the scripts folder: what a render pass reads."""
    stamps: Stamps = {}
    for path in sorted(options.scripts_dir.glob("*.py")):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        stamps[path.name] = (stat.st_mtime_ns, stat.st_size)
    return stamps


class RenderPass:
    """One `render_all` in a daemon thread."""

    def __init__(self, options: RenderOptions, server: ForkServer | None, done: Callable[[RenderPass], None]) -> None:
        self.stamps = script_stamps(options)
        self.report: RenderReport | None = None
        self.error: BaseException | None = None
        self.awaited = True  # False once a rebuild went ahead without it
        self._thread = threading.Thread(target=self._run, args=(options, server, done), daemon=True)
        self._thread.start()

    def _run(self, options: RenderOptions, server: ForkServer | None, done: Callable[[RenderPass], None]) -> None:
        try:
            self.report = render_all(options, server=server)
        except BaseException as exc:  # handed to the rebuild that reads the result
            self.error = exc
        done(self)

    def wait(self, seconds: float | None) -> bool:
        self._thread.join(seconds)
        return not self._thread.is_alive()


class LiveRenders:
    """Background render passes for one `mkdocs serve` session."""

    def __init__(self, server: ForkServer | None, request_rebuild: Callable[[], None]) -> None:
        self.server = server
        self.request_rebuild = request_rebuild
        self._latest: RenderPass | None = None
        self._lock = threading.Lock()  # guards `_latest` (read by the build thread and each pass's thread)

    def report(self, options: RenderOptions, wait: float | None) -> RenderReport | None:
        """This rebuild's render report, or None when the newest pass needs more than `wait` seconds."""
        with self._lock:
            latest = self._latest
            if latest is None or latest.stamps != script_stamps(options):
                latest = self._latest = RenderPass(options, self.server, self._finished)
        if not latest.wait(wait):
            latest.awaited = False
            return None
        if latest.error is not None:
            raise latest.error
        return latest.report

    def last_stamps(self) -> Stamps:
        """The scripts as the newest pass read them."""
        return dict(self._latest.stamps) if self._latest is not None else {}

    def _finished(self, finished: RenderPass) -> None:
        with self._lock:
            newest = finished is self._latest
        if newest and not finished.awaited:
            self.request_rebuild()


def provisional_records(
    previous: dict[str, dict[str, Any]], previous_stamps: Stamps, options: RenderOptions
) -> dict[str, dict[str, Any]]:
    """What pages show while a pass is still rendering: unchanged figures as they were, changed
    ones with their last good picture marked `updating`, new or failed ones as `pending`."""
    now = script_stamps(options)
    style_changed = now.get(options.style_module) != previous_stamps.get(options.style_module)
    records: dict[str, dict[str, Any]] = {}
    for name in sorted(Path(n).stem for n in now if n != options.style_module and not n.startswith("_")):
        record = previous.get(name)
        changed = style_changed or now.get(f"{name}.py") != previous_stamps.get(f"{name}.py")
        if record is not None and not changed:
            records[name] = record
        elif record is not None and record.get("status") == "ok":
            records[name] = {**record, "updating": True}
        else:
            script = record["script"] if record else str(options.scripts_dir / f"{name}.py")
            records[name] = {"status": "pending", "script": script}
    return records
