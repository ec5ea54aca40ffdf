"""Builders of test data that behave as the people who make it: the strategy office writes a
registry workbook, clerks fill templates (correctly by default, one method per mistake)."""

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from pipeline.demo.clerk import ClerkWorkbook, Entry
from pipeline.demo.fill import honest_entry
from pipeline.demo.sample_registry import REGISTRY_VERSION, sample_frames
from pipeline.periods import parse_period
from pipeline.registry import Registry
from pipeline.registry_xlsx import write_registry
from pipeline.settings import Settings
from pipeline.templates import template_path, write_templates

__all__ = ["ClerkWorkbook", "Entry", "Workspace", "registry_frames", "write_registry_file"]


def registry_frames(reference) -> dict:
    """The sample registry's sheets, to be edited by a test before it is written."""
    return {name: frame.copy() for name, frame in sample_frames(reference).items()}


def write_registry_file(path: Path, frames: dict, version: str = REGISTRY_VERSION,
                        in_force_from: str = "") -> Path:
    about = {"registry_version": version, "fiscal_year": "2569"}
    if in_force_from:
        about["in_force_from"] = in_force_from
    write_registry(path, about, frames)
    return path


class Workspace:
    """A workspace with the sample registry and templates, where clerks drop files."""

    def __init__(self, root: Path, registry: Registry, reference, template_root: Path):
        self.root = root
        self.settings = Settings(workspace=root)
        self.registry = registry
        self.reference = reference
        self._templates = template_root
        self._clock = 0

    def template(self, district: str, period: str = "2569-Q2") -> Path:
        folder = self._templates / period
        path = template_path(folder, district)
        if not path.exists():
            write_templates(self.registry, self.reference, parse_period(period), folder,
                            self.settings.signing_key)
        return path

    def clerk(self, district: str, period: str = "2569-Q2") -> ClerkWorkbook:
        """A template of the district filled correctly, as an honest clerk would."""
        clerk = ClerkWorkbook(self.template(district, period))
        for kr in self.registry.assigned(district).itertuples():
            clerk.fill(kr.kr_code, honest_entry(kr, district, parse_period(period)))
        return clerk

    def send(self, clerk: ClerkWorkbook, folder: str, name: str | None = None) -> Path:
        """Saves the clerk's workbook into the inbox folder, each file received after the last."""
        self._clock += 1
        # a save of its own, counted as Excel counts saves: openpyxl dates a save to the
        # second, and two saves within one second would otherwise be the same bytes, one file
        clerk.book.properties.revision = str(self._clock)
        path = clerk.save(self.root / "inbox" / folder / (name or f"report_{self._clock}.xlsx"))
        stamp = datetime(2026, 4, 1, tzinfo=UTC).timestamp() + 60 * self._clock
        os.utime(path, (stamp, stamp))
        return path

    def drop(self, source: Path, folder: str, name: str) -> Path:
        """Puts any file in the inbox, as it came."""
        dest = self.root / "inbox" / folder / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        self._clock += 1
        stamp = datetime(2026, 4, 1, tzinfo=UTC).timestamp() + 60 * self._clock
        os.utime(dest, (stamp, stamp))
        return dest
