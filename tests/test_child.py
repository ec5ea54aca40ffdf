"""A function run apart (pipeline/child.py): in a process forked for it, its result or its
exception handed back to the run."""

import os

import pytest

from pipeline import runner
from pipeline.child import apart
from pipeline.workers import forked


def test_a_function_run_apart_gives_back_what_another_process_returned():
    pid, parent = apart(lambda: (os.getpid(), os.getppid()))
    assert pid != os.getpid()
    assert parent == os.getpid()


def test_a_function_run_apart_may_start_processes_of_its_own():
    """The ingest runs apart and forks its readers."""
    def starts_one() -> int:
        process = forked(os._exit, 7)
        process.join()
        return process.exitcode

    assert apart(starts_one) == 7


def _fails(district: str) -> None:
    raise ValueError(f"district {district} has no folder")


def test_an_exception_raised_apart_is_raised_in_the_run_with_its_traceback():
    with pytest.raises(ValueError, match="district 1001 has no folder") as raised:
        apart(_fails, "1001")
    assert "in a process forked from the run" in raised.value.__notes__[0]
    assert "_fails" in raised.value.__notes__[0]


@pytest.mark.parametrize(("at_home", "apart_from_the_run"), [(2, False), (1, True)])
def test_the_ingest_runs_apart_only_when_more_than_at_home_files_wait(
        workspace, monkeypatch, tmp_path, at_home, apart_from_the_run):
    """Two new files: ingested in the run's own process up to AT_HOME, in one of their own past it;
    stored alike either way."""
    noted = tmp_path / "pids"
    ingest = runner._ingest

    def noting_the_process(*args):
        noted.write_text(str(os.getpid()))
        return ingest(*args)

    monkeypatch.setattr(runner, "_ingest", noting_the_process)
    monkeypatch.setattr(runner, "AT_HOME", at_home)
    workspace.send(workspace.clerk("1001"), "1001")
    workspace.send(workspace.clerk("1002").type("KR-1-01", "actual", "ไม่ทราบ"), "1002")
    report = runner.run(workspace.settings)
    assert (noted.read_text() != str(os.getpid())) == apart_from_the_run
    assert (report.count("accepted"), report.count("rejected")) == (1, 1)
    assert {"discover", "read", "validate", "store"} <= set(report.seconds)
