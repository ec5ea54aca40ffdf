"""Runs the read and validate stages on a workspace's inbox, storing nothing."""

from pipeline.discover import discover
from pipeline.read import read_submission
from pipeline.registry_store import RegistryVersions
from pipeline.validate import judge


def read_inbox(workspace, limits=None):
    settings = workspace.settings
    return [read_submission(a, limits or settings.limits) for a in discover(settings.inbox)]


def judge_inbox(workspace, limits=None):
    return judge(read_inbox(workspace, limits), RegistryVersions((workspace.registry,)),
                 workspace.settings)


def only_verdict(workspace, limits=None):
    (verdict,) = judge_inbox(workspace, limits)
    return verdict


def found(verdict) -> list[tuple[str, str, str]]:
    """The problems as (severity, code, cell), in the order the clerk sees them."""
    return [(p.severity, p.code, p.cell) for p in verdict.problems]
