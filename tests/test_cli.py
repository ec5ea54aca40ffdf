"""The commands as the strategy office types them, run as real subprocesses."""

import pytest

from pipeline.cli import EXIT_REGISTRY, EXIT_USAGE
from tests.running import run_cli


def test_templates_writes_one_workbook_per_district(workspace):
    result = run_cli("templates", "--period", "2569-Q3", "--workspace", str(workspace.root))
    assert result.returncode == 0, result.stderr
    folder = workspace.root / "outputs" / "templates" / "2569-Q3"
    assert sorted(p.stem for p in folder.glob("*.xlsx")) == [str(c) for c in range(1001, 1051)]
    assert "wrote 50 templates" in result.stdout
    # and the folder each district's clerk sends hers to, where none was
    assert sorted(p.name for p in (workspace.root / "inbox").iterdir()) == [
        str(c) for c in range(1001, 1051)]


def test_the_workspace_defaults_to_the_current_directory(workspace):
    result = run_cli("templates", "--period", "2569-Q3", cwd=workspace.root)
    assert result.returncode == 0, result.stderr
    assert (workspace.root / "outputs" / "templates" / "2569-Q3" / "1001.xlsx").exists()


@pytest.mark.parametrize("typed", ["Q2/2569", "[/x]"])  # the second, Rich markup
def test_a_period_that_is_not_a_code_is_a_usage_error(workspace, typed):
    """A code Rich reads as markup failed the error's own printing: a traceback, exit 1."""
    result = run_cli("templates", "--period", typed, "--workspace", str(workspace.root))
    assert result.returncode == EXIT_USAGE, result.stderr
    assert f"'{typed}' is not a period code like 2569-Q2 or 2569-M01" in result.stdout


def test_a_run_without_a_registry_fails_with_the_registry_exit_code(tmp_path):
    result = run_cli("run", "--workspace", str(tmp_path))
    assert result.returncode == EXIT_REGISTRY
    assert "registry.xlsx is invalid" in result.stdout.replace("\n", "")
    assert "does not exist" in result.stdout


def test_a_run_with_rejected_files_still_exits_zero(workspace):
    workspace.send(workspace.clerk("1001").type("KR-1-01", "actual", "?"), "1001")
    result = run_cli("run", "--workspace", str(workspace.root))
    assert result.returncode == 0, result.stderr
    assert ("ผ่าน / accepted 0, ไม่ผ่าน / rejected 1, ซ้ำ (ประมวลผลแล้ว) / already seen 0"
            in result.stdout)
    assert "ไม่ผ่าน" in result.stdout
    assert "H6 [not-a-number]" in result.stdout  # the rule's code, not eaten as markup
    assert len(list((workspace.root / "outputs" / "runs").glob("*.json"))) == 1


def test_an_unexpected_failure_is_a_failed_run(workspace):
    (workspace.root / "outputs").mkdir()
    (workspace.root / "outputs" / "warehouse.duckdb").write_bytes(b"not a database")
    workspace.send(workspace.clerk("1001"), "1001")
    result = run_cli("run", "--workspace", str(workspace.root))
    assert result.returncode == 1
    assert "the run failed" in result.stdout
    assert list((workspace.root / "inbox" / "1001").glob("*.xlsx"))  # nothing lost


def test_the_demo_refuses_to_overwrite_a_real_workspace(workspace):
    result = run_cli("demo", "--no-run", "--workspace", str(workspace.root))
    assert result.returncode == 2
    assert "is not a demo workspace" in result.stdout
    assert (workspace.root / "registry.xlsx").exists()


def test_file_names_are_shown_as_they_are_not_read_as_markup(workspace, tmp_path):
    """Rich reads "[final]" in a name as a style tag: "OKR [final].xlsx" showed as "OKR .xlsx",
    a file the office could not find, in the run's table and in check's."""
    bad = workspace.clerk("1001").type("KR-1-01", "actual", "สิบ")
    workspace.send(bad, "1001", "OKR [final].xlsx")
    result = run_cli("run", "--workspace", str(workspace.root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OKR [final].xlsx" in result.stdout
    checked = bad.save(tmp_path / "1001" / "ส่ง [แก้].xlsx")
    result = run_cli("check", str(checked), "--workspace", str(workspace.root))
    assert result.returncode == 1
    assert "ส่ง [แก้].xlsx" in result.stdout
