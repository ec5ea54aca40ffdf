"""Any figure in a roll-up can be traced to the cell a clerk typed it in."""

import hashlib

import pytest

from pipeline.runner import run, trace_figure
from tests.running import run_cli


def test_a_figure_is_traced_through_every_submission_that_reported_it(workspace):
    settings = workspace.settings
    first = workspace.send(workspace.clerk("1001").type("KR-1-03", "actual", 100), "1001",
                           "v1.xlsx")
    run(settings)
    workspace.send(workspace.clerk("1001").type("KR-1-03", "actual", 120), "1001", "v2.xlsx")
    workspace.send(workspace.clerk("1001").type("KR-1-03", "actual", "?"), "1001", "v3.xlsx")
    run(settings)
    history = trace_figure(settings, "1001", "2569-Q2", "KR-1-03")
    assert history[["original_name", "actual", "submission", "sheet", "cell"]].values.tolist() == [
        ["v1.xlsx", 100.0, "superseded", "รายงานผล", "H8"],
        ["v2.xlsx", 120.0, "current", "รายงานผล", "H8"],
    ]
    (kept,) = (settings.archive / "1001").glob(f"*-{first.name}")
    assert history["sha256"].iloc[0] == hashlib.sha256(kept.read_bytes()).hexdigest()

    result = run_cli("trace", "--district", "1001", "--period", "2569-Q2", "--kr", "KR-1-03",
                     "--workspace", str(workspace.root))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "v1.xlsx" in line or "v2.xlsx" in line]
    assert len(lines) == 2
    assert "100" in lines[0] and "superseded" in lines[0] and "รายงานผล!H8" in lines[0]
    assert "ล่าช้ากว่าแผน / off track" in lines[0]  # the clerk's status as picked, not off_track
    assert "120" in lines[1] and "current" in lines[1]
    assert "(Bangkok)" in result.stdout and "1 เม.ย. 2569 07:0" in lines[0]  # 00:0x UTC


def test_a_kr_left_blank_with_a_note_and_no_status_is_traced(workspace):
    """Its status is NULL, which the warehouse reads back as NaN beside a status that is not:
    trace broke on it."""
    workspace.send(workspace.clerk("1001"), "1001", "v1.xlsx")
    run(workspace.settings)
    clerk = workspace.clerk("1001").type("KR-1-03", "actual", None)
    clerk.type("KR-1-03", "status", None).type("KR-1-03", "note", "ยังไม่ได้รับรายงานจากผู้รับจ้าง")
    workspace.send(clerk, "1001", "v2.xlsx")
    assert run(workspace.settings).files[0]["outcome"] == "accepted"
    result = run_cli("trace", "--district", "1001", "--period", "2569-Q2", "--kr", "KR-1-03",
                     "--workspace", str(workspace.root))
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if "v2.xlsx" in line]
    assert "ไม่มีข้อมูล" in line and "│ - " in line


def test_a_figure_nobody_reported_says_so(workspace):
    result = run_cli("trace", "--district", "1001", "--period", "2569-Q2", "--kr", "KR-1-03",
                     "--workspace", str(workspace.root))
    assert result.returncode == 0
    assert "no accepted submission reported this figure" in result.stdout


def test_a_correction_of_a_few_units_in_millions_shows_in_the_trace(workspace):
    """Both figures showed as 1.23457e+07."""
    workspace.send(workspace.clerk("1001").type("KR-1-03", "actual", 12345678), "1001", "v1.xlsx")
    run(workspace.settings)
    workspace.send(workspace.clerk("1001").type("KR-1-03", "actual", 12345680), "1001", "v2.xlsx")
    run(workspace.settings)
    result = run_cli("trace", "--district", "1001", "--period", "2569-Q2", "--kr", "KR-1-03",
                     "--workspace", str(workspace.root))
    lines = [line for line in result.stdout.splitlines() if ".xlsx" in line]
    assert ["12,345,678" in lines[0], "12,345,680" in lines[1]] == [True, True]


def test_a_ratios_percentage_shows_to_four_decimals_in_the_trace(workspace):
    """101 of 104 showed as 97.1153846153846, as in the receipt."""
    workspace.send(workspace.clerk("1001").type("KR-1-04", "numerator", 101)
                   .type("KR-1-04", "denominator", 104), "1001", "v1.xlsx")
    run(workspace.settings)
    result = run_cli("trace", "--district", "1001", "--period", "2569-Q2", "--kr", "KR-1-04",
                     "--workspace", str(workspace.root))
    (line,) = [line for line in result.stdout.splitlines() if ".xlsx" in line]
    assert "97.1154" in line and "97.11538" not in line


@pytest.mark.parametrize(("district", "kr", "said"), [
    ("1001", "KR-1-1", "the registry of period 2569-Q2 has no key result KR-1-1"),
    ("101", "KR-1-03", "no district has the code 101"),
    # a KR cascaded to some districts only: "nobody reported it" for one never asked to
    ("1001", "KR-1-09", "key result KR-1-09 is not assigned to district 1001 in period 2569-Q2")])
def test_a_district_or_kr_typed_wrong_is_a_usage_error(workspace, district, kr, said):
    """It read "no accepted submission reported this figure", and exited 0."""
    run(workspace.settings)
    result = run_cli("trace", "--district", district, "--period", "2569-Q2", "--kr", kr,
                     "--workspace", str(workspace.root))
    assert result.returncode == 2
    assert said in result.stdout
