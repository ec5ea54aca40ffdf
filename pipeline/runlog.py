"""What a run says while it works: every event as a JSON line beside the run report
(outputs/runs/<run_id>.jsonl), the same events as plain log lines (for cron's mail and the
journal), and progress bars when a person watches on a terminal."""

import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

LOGGER = logging.getLogger("pipeline.run")


class RunLog:
    def __init__(self, path: Path, run_id: str, seconds: dict[str, float],
                 console: Console | None = None):
        """`seconds` collects each stage's wall time (the run report's); `console`, when
        given, shows progress bars instead of log lines."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("a", encoding="utf-8")
        self._run_id = run_id
        self._seconds = seconds
        self._console = console

    def event(self, name: str, **fields) -> None:
        record = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                  "run_id": self._run_id, "event": name, **fields}
        self._file.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self._file.flush()
        if self._console is None:
            LOGGER.info("%s %s", name, " ".join(f"{k}={v}" for k, v in fields.items()))

    @contextmanager
    def stage(self, name: str, total: int = 0) -> Iterator[Callable[[], None]]:
        """Times a stage; yields a function to call once per item done. `total`: the items it
        takes, when it counts them (a stage that does not says none, not items=0)."""
        self.event(f"{name}.start", **({"items": total} if total else {}))
        start = time.perf_counter()
        with self._bar(name, total) as advance:
            yield advance
        spent = time.perf_counter() - start
        self._seconds[name] = round(self._seconds.get(name, 0.0) + spent, 4)
        self.event(f"{name}.end", seconds=round(spent, 4))

    @contextmanager
    def _bar(self, name: str, total: int) -> Iterator[Callable[[], None]]:
        if self._console is None or not total:
            yield lambda: None
            return
        columns = (TextColumn(f"{name:<9}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=self._console, transient=True) as progress:
            task = progress.add_task(name, total=total)
            yield lambda: progress.advance(task)

    def close(self) -> None:
        self._file.close()
