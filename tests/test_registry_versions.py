"""Registry changes mid-year: a new version in force from a period, earlier periods keep theirs,
a template of another version is checked against the one in force (issue 4, point 6)."""

import hashlib
import shutil

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.cli import EXIT_REGISTRY
from pipeline.registry import load_registry
from pipeline.runner import export_period, run, set_period
from pipeline.templates import template_path
from tests.builders import Workspace, registry_frames, write_registry_file
from tests.running import query, run_cli

RETIRED = "KR-7-04"  # assigned to 1001, not to 1002
ADDED = "KR-1-99"
REVISED = "KR-1-03"  # every district's target doubled


def _version_two(reference, retired: str | None = RETIRED) -> dict:
    frames = registry_frames(reference)
    krs = frames["key_results"]
    added = krs[krs["kr_code"] == "KR-1-01"].assign(
        kr_code=ADDED, name_th="จำนวนจุดให้บริการใหม่", name_en="New service points")
    frames["key_results"] = pd.concat([krs[krs["kr_code"] != retired], added],
                                      ignore_index=True)
    plan = frames["assignments"]
    plan = plan[plan["kr_code"] != retired]
    plan.loc[plan["kr_code"] == REVISED, "target"] *= 2
    new = plan[plan["kr_code"] == "KR-1-01"].assign(kr_code=ADDED)
    frames["assignments"] = pd.concat([plan, new], ignore_index=True)
    return frames


@pytest.fixture
def revised(workspace, reference, tmp_path):
    """Q1 reported under 2569.1; then registry 2569.2, in force from Q2, replaces it."""
    for district in ("1001", "1002"):
        workspace.send(workspace.clerk(district, "2569-Q1"), district)
    run(workspace.settings)
    path = write_registry_file(workspace.settings.registry_path, _version_two(reference),
                               version="2569.2", in_force_from="2569-Q2")
    second = Workspace(workspace.root, load_registry(path, reference), reference,
                       tmp_path / "templates-2569.2")
    second._clock = 100
    return workspace, second


def _codes(entry: dict) -> list[tuple[str, str, str]]:
    return [(p["severity"], p["code"], p["cell"]) for p in entry["problems"]]


def test_a_new_version_applies_from_its_period_and_earlier_periods_keep_theirs(revised):
    old, new = revised
    new.send(new.clerk("1001", "2569-Q2"), "1001")
    report = run(new.settings)
    db = new.settings.warehouse_path
    assert query(db, "SELECT registry_version, in_force_from, loaded_seq FROM registry_versions "
                     "ORDER BY loaded_seq") == [("2569.1", "2569-Q1", 1), ("2569.2", "2569-Q2", 2)]
    assert (report.files[0]["outcome"], _codes(report.files[0])) == ("accepted", [])

    def target(period: str, district: str) -> float:
        export_period(new.settings, period)
        facts = pd.read_csv(new.settings.public_dir(period) / "facts.csv", dtype=str)
        row = facts[(facts["kr_code"] == REVISED) & (facts["district_code"] == district)]
        return float(row["target"].iloc[0])

    first = old.registry.assignments.set_index(["kr_code", "district_code"])["target"]
    assert target("2569-Q1", "1001") == first[(REVISED, "1001")]
    assert target("2569-Q2", "1001") == 2 * first[(REVISED, "1001")]
    assert query(db, "SELECT period, registry_version, checked_against FROM submissions "
                     "ORDER BY submission_id") == [
        ("2569-Q1", "2569.1", "2569.1"), ("2569-Q1", "2569.1", "2569.1"),
        ("2569-Q2", "2569.2", "2569.2")]


def test_export_publishes_with_the_versions_the_warehouse_holds(workspace, reference):
    """registry.xlsx edited into 2569.2, in force from Q2, before any run loaded it: export
    published Q2 against it, though a run may yet refuse it (a closed period), and its files
    were not rewritten once the office put the version right."""
    workspace.send(workspace.clerk("1001", "2569-Q2"), "1001")
    run(workspace.settings)
    write_registry_file(workspace.settings.registry_path, _version_two(reference),
                        version="2569.2", in_force_from="2569-Q2")
    export_period(workspace.settings, "2569-Q2")
    facts = pd.read_csv(workspace.settings.public_dir("2569-Q2") / "facts.csv", dtype=str)
    row = facts[(facts["kr_code"] == REVISED) & (facts["district_code"] == "1001")]
    stored = workspace.registry.assignments.set_index(["kr_code", "district_code"])["target"]
    assert float(row["target"].iloc[0]) == stored[(REVISED, "1001")]


def test_an_older_template_whose_krs_still_exist_is_accepted_with_a_notice(revised):
    old, _ = revised
    old.send(old.clerk("1002", "2569-Q2"), "1002")
    report = run(old.settings)
    (entry,) = report.files
    assert entry["outcome"] == "accepted"
    problems = {p["code"]: p for p in entry["problems"]}
    # checked against 2569.2: the doubled target makes the clerk's "on track" disagree
    assert set(problems) == {"registry-version-differs", "kr-added", "status-disagrees"}
    row = _cell_of(old.template("1002", "2569-Q2"), REVISED)[1:]
    assert problems["status-disagrees"]["cell"][1:] == row
    assert problems["registry-version-differs"]["message_th"] == (
        "แบบรายงานนี้ทำจากทะเบียน OKR รุ่น 2569.1 แต่รอบนี้ใช้รุ่น 2569.2 "
        "จึงตรวจและคำนวณตามค่าเป้าหมายของรุ่น 2569.2 ครั้งต่อไปกรุณาใช้แบบรายงานของรอบนี้")
    assert problems["kr-added"]["message_en"] == (
        f"Key result {ADDED} is in registry version 2569.2, which this period uses, but not in "
        "the template you filled; it shows as no data.")
    # the receipt lists it apart from how the cells were read, which it is not about
    receipt = (old.settings.outputs / entry["receipt_path"]).read_text(encoding="utf-8")
    cells, whole = receipt.split("\n## แจ้งให้ทราบ / for your information\n\n")
    assert "(registry-version-differs)" not in cells
    assert whole.startswith("- แบบรายงานนี้ทำจากทะเบียน OKR รุ่น 2569.1")
    # the figures stay attached to the template's version and target the clerk saw
    db = old.settings.warehouse_path
    assert query(db, "SELECT DISTINCT registry_version FROM current_facts "
                     "WHERE period = '2569-Q2'") == [("2569.1",)]
    first = old.registry.assignments.set_index(["kr_code", "district_code"])["target"]
    assert query(db, "SELECT target FROM current_facts WHERE period = '2569-Q2' "
                     "AND kr_code = ?", [REVISED]) == [(first[(REVISED, "1002")],)]


def test_an_older_template_with_a_retired_kr_is_rejected_at_its_row(revised):
    old, _ = revised
    old.send(old.clerk("1001", "2569-Q2"), "1001")
    report = run(old.settings)
    (entry,) = report.files
    assert entry["outcome"] == "rejected"
    (retired,) = [p for p in entry["problems"] if p["code"] == "kr-retired"]
    cell = _cell_of(old.template("1001", "2569-Q2"), RETIRED)
    assert (retired["severity"], retired["cell"]) == ("error", cell)
    # true as well of a KR the new version keeps but no longer assigns to this district
    assert retired["message_th"] == (
        f"ตัวชี้วัด {RETIRED} ไม่ได้มอบหมายให้เขตนี้ในทะเบียน OKR รุ่น 2569.2 ที่ใช้กับรอบนี้ "
        "(ถูกยกเลิกหรือเปลี่ยนแปลง) กรุณากรอกแบบรายงานของรอบนี้แล้วส่งใหม่")
    assert retired["message_en"] == (
        f"Key result {RETIRED} is not assigned to this district in registry version 2569.2, "
        "which this period uses (it was retired or changed); fill in this period's template "
        "and send it again.")
    # the files a new version turned away are found by the version they were checked against
    assert query(old.settings.warehouse_path, "SELECT period, accepted, checked_against "
                 "FROM submissions ORDER BY submission_id DESC LIMIT 1") == [
        ("2569-Q2", False, "2569.2")]


def _cell_of(path, text: str) -> str:
    book = load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == text:
                    return cell.coordinate
    raise AssertionError(f"{text} is not in {path}")


def test_a_template_of_an_unknown_registry_version_is_rejected(workspace, reference, tmp_path):
    path = write_registry_file(tmp_path / "draft.xlsx", _version_two(reference),
                               version="2569.9-draft")
    draft = Workspace(workspace.root, load_registry(path, reference), reference,
                      tmp_path / "templates-draft")
    draft.send(draft.clerk("1002", "2569-Q2"), "1002")
    report = run(workspace.settings)
    (entry,) = report.files
    assert entry["outcome"] == "rejected"
    assert [(p["code"], p["message_en"]) for p in entry["problems"]] == [(
        "registry-version-unknown",
        "This template was made from registry version 2569.9-draft, which the warehouse does "
        "not know; start again from a fresh template (version 2569.1).")]


def test_a_registry_edited_without_a_new_version_is_refused(workspace, reference):
    workspace.send(workspace.clerk("1001", "2569-Q1"), "1001")
    run(workspace.settings)
    write_registry_file(workspace.settings.registry_path, _version_two(reference))
    waiting = workspace.send(workspace.clerk("1002", "2569-Q1"), "1002")
    result = run_cli("run", "--workspace", str(workspace.root))
    assert result.returncode == EXIT_REGISTRY
    assert ("sheet about: registry_version '2569.1' is already stored with other content; a "
            "changed registry needs a new registry_version") in " ".join(result.stdout.split())
    assert waiting.exists()  # nothing was processed
    assert query(workspace.settings.warehouse_path, "SELECT count(*) FROM submissions") == [(1,)]


def _sorted_by_the_office(frames: dict) -> dict:
    """Assignments sorted by target, largest first, as a filter in Excel leaves them, and the
    periods A to Z (2569-M01 before 2569-Q1, the two first periods of the year)."""
    return {**frames,
            "assignments": frames["assignments"].sort_values("target", ascending=False),
            "periods": frames["periods"].sort_values("period")}


def test_a_registry_whose_rows_are_sorted_is_the_same_version(workspace, reference):
    """The assignments' order is nothing a version holds: the same rows sorted were refused
    as "already stored with other content", and the night's files waited for a new version
    that changed nothing."""
    workspace.send(workspace.clerk("1001", "2569-Q1"), "1001")
    run(workspace.settings)
    write_registry_file(workspace.settings.registry_path,
                        _sorted_by_the_office(registry_frames(reference)))
    workspace.send(workspace.clerk("1002", "2569-Q1"), "1002")
    result = run_cli("run", "--workspace", str(workspace.root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert query(workspace.settings.warehouse_path,
                 "SELECT registry_version, accepted FROM submissions ORDER BY submission_id"
                 ) == [("2569.1", True)] * 2
    assert query(workspace.settings.warehouse_path,
                 "SELECT registry_version FROM registry_versions") == [("2569.1",)]
    assert run_cli("run", "--workspace", str(workspace.root)).returncode == 0  # and the next


def test_a_sorted_registry_changes_no_figure_the_warehouse_or_the_books_hold(
        workspace, reference):
    """The run after the sort read the registry from the file in its new order, later runs
    from the warehouse in the old one: sums in another order, and a published figure moved by
    a hundredth and back."""
    for district in ("1001", "1002", "1003", "1004", "1005"):
        workspace.send(workspace.clerk(district, "2569-Q1"), district)
    run(workspace.settings)
    public = workspace.settings.public_dir("2569-Q1")
    before = {path.name: path.read_bytes() for path in public.glob("*.csv")}
    write_registry_file(workspace.settings.registry_path,
                        _sorted_by_the_office(registry_frames(reference)))
    run(workspace.settings)
    assert {path.name: path.read_bytes() for path in public.glob("*.csv")} == before
    shutil.rmtree(public)
    run(workspace.settings)  # the registry read from the warehouse now
    assert {path.name: path.read_bytes() for path in public.glob("*.csv")} == before


def test_a_registry_of_whole_numbers_sorted_is_the_same_version(workspace, reference):
    """Baselines and targets all whole numbers were read as integers from the file and as
    floats from the warehouse: never equal, and the sorted registry was refused."""
    frames = registry_frames(reference)
    frames["assignments"][["baseline", "target"]] = frames["assignments"][
        ["baseline", "target"]].astype(float).round()
    write_registry_file(workspace.settings.registry_path, frames)
    run(workspace.settings)
    write_registry_file(workspace.settings.registry_path, _sorted_by_the_office(frames))
    result = run_cli("run", "--workspace", str(workspace.root))
    assert result.returncode == 0, result.stdout + result.stderr


def _first_percent_row(book) -> int:
    kinds = {row[0]: row[6] for row in book["key_results"].iter_rows(min_row=2, values_only=True)}
    return next(row[0].row for row in book["assignments"].iter_rows(min_row=2)
                if kinds.get(row[0].value) == "percent")


def test_a_registry_stored_with_percentages_read_as_fractions_is_read_again_and_named(
        workspace, reference):
    """Before, 87.9% and 95.7% typed in Excel were stored as 0.879 and 0.957: the same bytes
    were then read from the warehouse night after night, a hundred times too small. They are
    read once again, and the version is refused with the reason, not as an edit nobody made."""
    path = workspace.settings.registry_path
    write_registry_file(path, registry_frames(reference))
    book = load_workbook(path)
    row = _first_percent_row(book)
    sheet = book["assignments"]
    kr, district = sheet[f"A{row}"].value, sheet[f"B{row}"].value
    sheet[f"C{row}"].value, sheet[f"D{row}"].value = 0.879, 0.957  # as Excel stores them
    book.save(path)
    run(workspace.settings)  # unformatted: stored as 0.879 and 0.957, as the old reading did
    for column in "CD":
        sheet[f"{column}{row}"].number_format = "0.0%"
    book.save(path)
    with duckdb.connect(str(workspace.settings.warehouse_path)) as con:  # as the old run left it
        con.execute("UPDATE registry_versions SET file_sha256 = ?",
                    [hashlib.sha256(path.read_bytes()).hexdigest()])
    result = run_cli("run", "--workspace", str(workspace.root))
    assert result.returncode == EXIT_REGISTRY
    assert (f"sheet assignments: 2 baselines or targets are formatted as percentages and were "
            f"stored as fractions, a hundred times too small ({kr} for {district}, column "
            "baseline: 87.9% stored as 0.879), before this version of the pipeline read them as "
            "they show") in " ".join(result.stdout.split())


def test_a_sorted_registry_with_a_target_changed_is_refused(workspace, reference):
    run(workspace.settings)
    frames = registry_frames(reference)
    frames["assignments"].loc[frames["assignments"]["kr_code"] == REVISED, "target"] *= 2
    write_registry_file(workspace.settings.registry_path, _sorted_by_the_office(frames))
    result = run_cli("run", "--workspace", str(workspace.root))
    assert result.returncode == EXIT_REGISTRY
    assert ("sheet about: registry_version '2569.1' is already stored with other content; a "
            "changed registry needs a new registry_version") in " ".join(result.stdout.split())


def test_a_new_version_in_force_for_a_closed_period_is_refused(workspace, reference):
    """A closed period's figures and roll-ups are final: a version in force from it would
    score them anew against its targets and rewrite its books."""
    workspace.send(workspace.clerk("1001", "2569-Q1"), "1001")
    run(workspace.settings)
    assert run_cli("period", "close", "2569-Q1", "--by", "สยป.",
                   "--workspace", str(workspace.root)).returncode == 0
    book = workspace.settings.rollups_dir("2569-Q1") / "committee.xlsx"
    before = book.read_bytes()
    write_registry_file(workspace.settings.registry_path, _version_two(reference),
                        version="2569.2", in_force_from="2569-Q1")
    result = run_cli("run", "--workspace", str(workspace.root))
    assert result.returncode == EXIT_REGISTRY
    assert ("sheet about: in_force_from '2569-Q1' would put registry_version '2569.2' in force "
            "for 2569-Q1, already closed: a closed period keeps the figures and roll-ups it was "
            "closed with; name a later period, or reopen those first (python run_pipeline.py "
            "period reopen PERIOD)") in " ".join(result.stdout.split())
    assert query(workspace.settings.warehouse_path,
                 "SELECT registry_version FROM registry_versions") == [("2569.1",)]
    assert book.read_bytes() == before
    # what the message asks for can be done: the period reopened, the version goes in
    assert run_cli("period", "reopen", "2569-Q1", "--by", "สยป.",
                   "--workspace", str(workspace.root)).returncode == 0
    assert run_cli("run", "--workspace", str(workspace.root)).returncode == 0
    assert query(workspace.settings.warehouse_path, "SELECT registry_version FROM "
                 "registry_versions ORDER BY loaded_seq") == [("2569.1",), ("2569.2",)]


def test_a_new_version_in_force_after_a_closed_period_goes_in_and_leaves_it(
        workspace, reference):
    workspace.send(workspace.clerk("1001", "2569-Q1"), "1001")
    run(workspace.settings)
    set_period(workspace.settings, "close", "2569-Q1", "สยป.")
    book = workspace.settings.rollups_dir("2569-Q1") / "committee.xlsx"
    before = book.read_bytes()
    write_registry_file(workspace.settings.registry_path, _version_two(reference),
                        version="2569.2", in_force_from="2569-Q2")
    run(workspace.settings)
    assert query(workspace.settings.warehouse_path, "SELECT registry_version FROM "
                 "registry_versions ORDER BY loaded_seq") == [("2569.1",), ("2569.2",)]
    assert book.read_bytes() == before


def test_trace_finds_a_figure_of_a_kr_a_later_version_retired_from_its_period(
        workspace, reference):
    """Q2 reported under 2569.1, then 2569.2 made in force from Q2 retires one of its KRs:
    the stored figure is still there, and trace said no such key result (exit 2)."""
    workspace.send(workspace.clerk("1001", "2569-Q2"), "1001", "q2.xlsx")
    run(workspace.settings)
    write_registry_file(workspace.settings.registry_path, _version_two(reference),
                        version="2569.2", in_force_from="2569-Q2")
    run(workspace.settings)
    traced = run_cli("trace", "--district", "1001", "--period", "2569-Q2", "--kr", RETIRED,
                     "--workspace", str(workspace.root))
    assert traced.returncode == 0, traced.stdout
    assert "q2.xlsx" in traced.stdout
    typo = run_cli("trace", "--district", "1001", "--period", "2569-Q2", "--kr", "KR-0-00",
                   "--workspace", str(workspace.root))
    assert typo.returncode == 2


def test_an_earlier_version_put_back_is_refused(revised, reference):
    """registry.xlsx of 2569.1 copied back over 2569.2: the later periods would silently move
    back to 2569.1 (its KRs, its targets) and their roll-ups be rewritten under it."""
    _, new = revised
    new.send(new.clerk("1001", "2569-Q2"), "1001")
    run(new.settings)
    write_registry_file(new.settings.registry_path, registry_frames(reference))
    result = run_cli("run", "--workspace", str(new.root))
    assert result.returncode == EXIT_REGISTRY
    assert ("sheet about: registry_version '2569.1' was followed by '2569.2' in fiscal year "
            "2569; registry.xlsx must be the latest version ('2569.2') or a new one (a new "
            "registry_version and in_force_from)") in " ".join(result.stdout.split())


def test_a_resaved_registry_with_the_same_content_is_the_same_version(workspace, reference):
    run(workspace.settings)
    write_registry_file(workspace.settings.registry_path, registry_frames(reference))
    run(workspace.settings)
    assert query(workspace.settings.warehouse_path,
                 "SELECT count(*) FROM registry_versions") == [(1,)]


def test_a_version_stored_before_its_text_was_unified_is_the_same_version_re_saved(
        workspace, reference):
    """A warehouse holds the hash of the content as typed (ำ as ํ + า): the same registry
    saved again was refused as another content of its version."""
    frames = registry_frames(reference)
    krs = frames["key_results"]
    named = krs.index[krs["name_th"].str.contains("ำ")][0]
    krs.loc[named, "name_th"] = krs.loc[named, "name_th"].replace("ำ", "\u0e4d\u0e32")
    path = write_registry_file(workspace.settings.registry_path, frames)
    run(workspace.settings)
    typed = load_registry(path, reference).typed_sha256
    con = duckdb.connect(str(workspace.settings.warehouse_path))
    con.execute("UPDATE registry_versions SET content_sha256 = ?, file_sha256 = 'saved before'",
                [typed])  # as the version was stored before the text was unified
    con.close()
    result = run_cli("run", "--workspace", str(workspace.root))
    assert result.returncode == 0, result.stdout
    assert query(workspace.settings.warehouse_path,
                 "SELECT count(*) FROM registry_versions") == [(1,)]


def test_a_registry_read_back_from_the_warehouse_is_the_one_parsed(workspace, reference):
    """A run that finds registry.xlsx unchanged reads it from the warehouse: the same registry,
    its columns in the same order (a roll-up workbook's fingerprint would differ otherwise)."""
    from pipeline import registry_store, store

    settings = workspace.settings
    con = store.connect(settings.warehouse_path)
    try:
        parsed, digest = registry_store.load_current(con, settings, reference)
        registry_store.sync(con, reference, parsed, digest, settings)
        stored, again = registry_store.load_current(con, settings, reference)
    finally:
        con.close()
    assert again == digest and stored is not parsed
    assert (stored.version, stored.fiscal_year, stored.in_force_from, stored.content_sha256) == (
        parsed.version, parsed.fiscal_year, parsed.in_force_from, parsed.content_sha256)
    for name in ("objectives", "key_results", "assignments", "periods"):
        mine, theirs = getattr(stored, name), getattr(parsed, name)
        pd.testing.assert_frame_equal(mine, theirs)


def _template(settings, period: str) -> tuple[str, list[str]]:
    """District 1001's template of the period: its registry version and its KR codes."""
    book = load_workbook(template_path(settings.templates_dir(period), "1001"), read_only=True)
    meta = {row[0]: row[1] for row in book["_meta"].iter_rows(values_only=True)}
    codes = [row[0] for row in book["รายงานผล"].iter_rows(min_row=6, values_only=True)
             if row[0]]
    return meta["registry_version"], codes


def test_a_periods_templates_are_made_from_the_version_in_force_for_it(revised):
    _, new = revised
    for period in ("2569-Q1", "2569-Q2"):
        result = run_cli("templates", "--period", period, "--workspace", str(new.root))
        assert result.returncode == 0, result.stdout + result.stderr
    q1_version, q1_codes = _template(new.settings, "2569-Q1")
    q2_version, q2_codes = _template(new.settings, "2569-Q2")
    assert (q1_version, q2_version) == ("2569.1", "2569.2")
    assert RETIRED in q1_codes and ADDED not in q1_codes
    assert RETIRED not in q2_codes and ADDED in q2_codes


def test_templates_of_a_registry_edited_without_a_new_version_are_refused(workspace, reference):
    run(workspace.settings)
    write_registry_file(workspace.settings.registry_path, _version_two(reference))
    result = run_cli("templates", "--period", "2569-Q3", "--workspace", str(workspace.root))
    assert result.returncode == EXIT_REGISTRY
    assert "a changed registry needs a new registry_version" in " ".join(result.stdout.split())
    assert not workspace.settings.templates_dir("2569-Q3").exists()


def test_a_registry_edited_after_its_templates_were_issued_is_refused(workspace, reference):
    """Templates made before any run, then registry.xlsx edited under the same version: the
    first run took the edited one in, and a clerk's honest template without a KR it had
    gained was refused as "do not delete template rows". Making the templates stores the
    version, as a run does."""
    made = run_cli("templates", "--period", "2569-Q2", "--workspace", str(workspace.root))
    assert made.returncode == 0, made.stdout + made.stderr
    assert query(workspace.settings.warehouse_path,
                 "SELECT registry_version FROM registry_versions") == [("2569.1",)]
    write_registry_file(workspace.settings.registry_path, _version_two(reference))
    result = run_cli("run", "--workspace", str(workspace.root))
    assert result.returncode == EXIT_REGISTRY
    assert ("sheet about: registry_version '2569.1' is already stored with other content; a "
            "changed registry needs a new registry_version") in " ".join(result.stdout.split())


def test_a_new_version_that_does_not_say_from_when_it_applies_is_refused(workspace, reference):
    """Without in_force_from a version applies from the first period: the periods reported
    under 2569.1 would be scored against 2569.2's targets."""
    workspace.send(workspace.clerk("1001", "2569-Q1"), "1001")
    run(workspace.settings)
    write_registry_file(workspace.settings.registry_path, _version_two(reference),
                        version="2569.2")
    waiting = workspace.send(workspace.clerk("1002", "2569-Q1"), "1002")
    result = run_cli("run", "--workspace", str(workspace.root))
    assert result.returncode == EXIT_REGISTRY
    assert ("sheet about: in_force_from is missing; registry_version '2569.2' follows '2569.1' "
            "in fiscal year 2569, so it must name the first period it applies to") in " ".join(
        result.stdout.split())
    assert waiting.exists()  # nothing was processed
    assert query(workspace.settings.warehouse_path,
                 "SELECT registry_version FROM registry_versions") == [("2569.1",)]


def test_last_years_periods_stay_known_once_the_next_years_registry_is_loaded(
        workspace, reference):
    """1 October: registry 2570.1 goes in; 2569-Q4 is due on 15 October. A district's Q4 file
    is judged against 2569.1 (it was rejected as of an unknown period), and last year's
    periods can still be closed, reopened and exported (they were refused as not listed)."""
    from pipeline.demo.sample_registry import fiscal_year_periods
    from pipeline.registry_xlsx import write_registry

    workspace.send(workspace.clerk("1001", "2569-Q2"), "1001")
    run(workspace.settings)
    frames = registry_frames(reference)
    frames["periods"] = fiscal_year_periods(2570)
    write_registry(workspace.settings.registry_path,
                   {"registry_version": "2570.1", "fiscal_year": "2570"}, frames)
    workspace.send(workspace.clerk("1002", "2569-Q4"), "1002")
    report = run(workspace.settings)
    assert [(e["outcome"], _codes(e)) for e in report.files] == [("accepted", [])]
    for command in (["period", "close", "2569-Q2"], ["period", "reopen", "2569-Q2"],
                    ["export", "--period", "2569-Q2"]):
        result = run_cli(*command, "--workspace", str(workspace.root))
        assert result.returncode == 0, (command, result.stdout)
    refused = run_cli("period", "close", "2568-Q2", "--workspace", str(workspace.root))
    assert refused.returncode == 2
    assert "period 2568-Q2 is not in the registry's periods sheet" in refused.stdout
    # the warehouse's calendar keeps them: queries that start from it found no 2569 figures
    calendar = query(workspace.settings.warehouse_path,
                     "SELECT period, due_date::VARCHAR FROM periods ORDER BY start_date, period")
    assert [code[:4] for code, _ in calendar] == ["2569"] * 16 + ["2570"] * 16
    assert ("2569-Q4", "2026-10-15") in calendar


def test_a_correction_to_an_earlier_period_is_compared_with_that_periods_plan(
        demo_settings, reference, tmp_path):
    """Registry 2569.2 triples KR-1-03's target from Q3 on. District 1005 sends its Q2 figures
    again, unchanged but for a note: its peers' Q2 figures were levelled against the tripled
    target, and its own figure came out an outlier (a warning here, as its note explains it;
    without a note, the file was rejected)."""
    import shutil

    from pipeline.demo.clerk import ClerkWorkbook
    from pipeline.settings import Settings

    root = tmp_path / "demo"
    shutil.copytree(demo_settings.workspace, root)
    settings = Settings(workspace=root)
    frames = registry_frames(reference)
    plan = frames["assignments"]
    plan.loc[plan["kr_code"] == REVISED, "target"] = (
        plan.loc[plan["kr_code"] == REVISED, "target"].astype(float) * 3)
    write_registry_file(settings.registry_path, frames, version="2569.2",
                        in_force_from="2569-Q3")
    (sent,) = (settings.archive / "1005").glob("*OKR_1005_2569-Q2.xlsx")
    clerk = ClerkWorkbook(sent).type("KR-1-01", "note", "ส่งใหม่ ตัวเลขเดิม")
    clerk.save(settings.inbox / "1005" / "OKR_1005_2569-Q2_again.xlsx")
    (entry,) = run(settings).files
    assert entry["outcome"] == "accepted"
    assert [p["code"] for p in entry["problems"] if p["severity"] != "notice"] == []


@pytest.fixture
def added(workspace, reference, tmp_path):
    """Registry 2569.2 adds KR-1-99 (cumulative, to increase) from Q1 and retires none: a
    template of 2569.1, without its row, is accepted, and has no KR-1-99 figure."""
    run(workspace.settings)  # 2569.1 loaded, nothing received
    path = write_registry_file(workspace.settings.registry_path,
                               _version_two(reference, retired=None), version="2569.2",
                               in_force_from="2569-Q1")
    return workspace, Workspace(workspace.root, load_registry(path, reference), reference,
                                tmp_path / "templates-2569.2")


def test_a_later_file_of_a_period_counts_whole_for_the_next_period_sent_that_night(added):
    """Tonight district 1001 sends Q1 on the new template (KR-1-99 at 2.0), then Q1 again on
    the old one, and Q2 with KR-1-99 at 1.5. The later Q1 file is in force whole, as the
    warehouse keeps it: Q2 has no earlier KR-1-99 figure to fall below."""
    workspace, new = added
    new.send(new.clerk("1001", "2569-Q1").type(ADDED, "actual", 2.0), "1001")
    workspace._clock = new._clock
    workspace.send(workspace.clerk("1001", "2569-Q1"), "1001")
    new._clock = workspace._clock
    new.send(new.clerk("1001", "2569-Q2").type(ADDED, "actual", 1.5), "1001")
    report = run(new.settings)
    assert [(f["period"], f["outcome"]) for f in report.files] == [
        ("2569-Q1", "accepted"), ("2569-Q1", "accepted"), ("2569-Q2", "accepted")]
    assert "kr-added" in [p["code"] for p in report.files[1]["problems"]]
    assert query(new.settings.warehouse_path,
                 f"SELECT period FROM current_facts WHERE kr_code = '{ADDED}'") == [("2569-Q2",)]


def test_a_later_period_falls_below_what_a_same_night_correction_leaves_in_force(added):
    """Q1's KR-1-99 was corrected to 3.0 once Q2 stood at 2.0 (a warning). Tonight Q2 comes
    again on the old template, without KR-1-99, and Q3 at 2.5: with Q2's figure gone, Q3
    falls below Q1's 3.0, as it would have the night after."""
    workspace, new = added
    for period, figure in (("2569-Q1", 1.0), ("2569-Q2", 2.0), ("2569-Q1", 3.0)):
        new.send(new.clerk("1001", period).type(ADDED, "actual", figure), "1001")
        assert run(new.settings).files[0]["outcome"] == "accepted"
    workspace._clock = new._clock
    workspace.send(workspace.clerk("1001", "2569-Q2"), "1001")
    new._clock = workspace._clock
    new.send(new.clerk("1001", "2569-Q3").type(ADDED, "actual", 2.5), "1001")
    second, third = run(new.settings).files
    assert (second["outcome"], third["outcome"]) == ("accepted", "rejected")
    assert [p["message_th"] for p in third["problems"] if p["severity"] == "error"] == [
        "ผลสะสม 2.50 ต่ำกว่าผลที่รายงานไว้ในรอบก่อน (3, 2569-Q1) ตัวชี้วัดนี้เป็นผลสะสม "
        "จึงต้องไม่ลดลง"]


def test_reference_data_changed_by_an_upgrade_reaches_the_warehouse_with_no_new_registry(
        workspace, reference):
    """The reference tables were written only with a new registry: a dimension renamed in
    the code stayed under its old name in the tables analysts join, while the books and the
    open data used the new one."""
    run(workspace.settings)
    con = duckdb.connect(str(workspace.settings.warehouse_path))
    try:  # a warehouse filled by a version of the code that named dimension 1 otherwise
        con.execute("UPDATE dimensions SET name_en = 'OLD NAME' WHERE dimension_id = 1")
        con.execute("DELETE FROM districts WHERE district_code = '1050'")
    finally:
        con.close()
    run(workspace.settings)
    path = workspace.settings.warehouse_path
    assert query(path, "SELECT name_en FROM dimensions WHERE dimension_id = 1") == [
        (reference.dimensions.set_index("dimension_id").at[1, "name_en"],)]
    assert query(path, "SELECT count(*) FROM districts") == [(50,)]
