"""One frozen settings object, built by the CLI and passed down: no stage reads the environment."""

from dataclasses import dataclass, field
from pathlib import Path

# Templates are signed so that metadata retyped by hand is detected; the key guards against a
# clerk editing the district or period, not against a determined forger.
DEFAULT_SIGNING_KEY = "bma-okr-template-v1"


@dataclass(frozen=True)
class Thresholds:
    """A KR is on track at progress >= expected, at risk at >= at_risk * expected, each as
    shown, to 0.1 % (score.status)."""

    at_risk: float = 0.7


@dataclass(frozen=True)
class Limits:
    """Checked before a submission is parsed."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_unpacked_bytes: int = 200 * 1024 * 1024  # all entries of an .xlsx/.ods zip, unpacked
    max_zip_entries: int = 2000
    read_seconds: float = 30.0  # one file, read in a worker process that is killed past it


@dataclass(frozen=True)
class Settings:
    workspace: Path
    signing_key: str = DEFAULT_SIGNING_KEY
    thresholds: Thresholds = field(default_factory=Thresholds)
    limits: Limits = field(default_factory=Limits)

    @property
    def registry_path(self) -> Path:
        return self.workspace / "registry.xlsx"

    @property
    def inbox(self) -> Path:
        return self.workspace / "inbox"

    @property
    def outputs(self) -> Path:
        return self.workspace / "outputs"

    @property
    def warehouse_path(self) -> Path:
        return self.outputs / "warehouse.duckdb"

    @property
    def archive(self) -> Path:
        return self.outputs / "archive"

    @property
    def quarantine(self) -> Path:
        return self.outputs / "quarantine"

    @property
    def answers(self) -> Path:
        """Receipts and annotated workbooks, by period and inbox folder."""
        return self.outputs / "feedback"

    @property
    def dry_run_answers(self) -> Path:
        """What `check` writes: beside the nightly job's answers, never over them."""
        return self.outputs / "check"

    @property
    def runs(self) -> Path:
        return self.outputs / "runs"

    @property
    def lock_path(self) -> Path:
        return self.outputs / ".run.lock"

    def templates_dir(self, period: str) -> Path:
        return self.outputs / "templates" / period

    def rollups_dir(self, period: str) -> Path:
        return self.outputs / "rollups" / period

    def public_dir(self, period: str) -> Path:
        return self.outputs / "public" / period
