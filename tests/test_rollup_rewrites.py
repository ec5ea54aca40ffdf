"""A period's roll-up workbooks are rewritten only where their figures change: a correction to
one KR rewrites its dimension's book, the district groups' and the committee's (each shows the
city's figures), and leaves the other dimensions' books as they were, "data as of" included."""

import shutil
import zipfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from pipeline import freshness
from pipeline.rollup_inputs import BookInputs
from pipeline.rollup_xlsx import write_named
from pipeline.runner import run
from pipeline.settings import Settings
from tests.rollup_books import build_rollups
from tests.running import run_cli

PERIOD = "2569-Q2"
REWRITTEN = {"dimension-1", *[f"group-0{g}" for g in range(1, 7)], "committee"}
UNTOUCHED = {f"dimension-{d}" for d in range(2, 10)}


def _books(workspace) -> dict[str, bytes]:
    folder = workspace.settings.rollups_dir(PERIOD)
    return {path.stem: path.read_bytes() for path in folder.glob("*.xlsx")}


def _as_of(workspace, name: str) -> str:
    """The "data as of" the book carries in its properties."""
    path = workspace.settings.rollups_dir(PERIOD) / f"{name}.xlsx"
    with zipfile.ZipFile(path) as book:
        custom = book.read("docProps/custom.xml").decode()
    return custom.split('name="as_of"')[1].split("<vt:filetime>")[1].split("<")[0]


@pytest.fixture
def corrected(workspace):
    """Three districts report; then 1001 corrects one figure of a dimension-1 KR."""
    for district in ("1001", "1002", "1003"):
        workspace.send(workspace.clerk(district), district)
    run(workspace.settings)
    before = _books(workspace), {name: _as_of(workspace, name) for name in _books(workspace)}
    workspace.send(workspace.clerk("1001").type("KR-1-02", "actual", 77), "1001", "แก้ไข.xlsx")
    return workspace, before


def test_a_correction_rewrites_only_the_books_whose_figures_it_changes(corrected):
    workspace, (books, as_of) = corrected
    folder = workspace.settings.rollups_dir(PERIOD)
    times = {path.stem: path.stat().st_mtime_ns for path in folder.glob("*.xlsx")}
    report = run(workspace.settings)
    assert report.count("accepted") == 1
    after = _books(workspace)
    assert set(after) == REWRITTEN | UNTOUCHED
    assert {name for name in after if after[name] != books[name]} == REWRITTEN
    assert {p.stem for p in folder.glob("*.xlsx") if p.stat().st_mtime_ns == times[p.stem]
            } == UNTOUCHED
    # a book left as it was still says when its figures were last written; the others, now
    assert {_as_of(workspace, name) for name in UNTOUCHED} == {as_of["dimension-2"]}
    assert {_as_of(workspace, name) for name in REWRITTEN} != {as_of["dimension-2"]}
    assert len(report.rollups[PERIOD]) == 16  # the run report still lists all the books
    assert {Path(p).stem for p in report.rewritten[PERIOD]} == REWRITTEN  # and those written


def test_a_book_changed_or_removed_since_it_was_written_is_written_again(corrected):
    workspace, (books, as_of) = corrected
    folder = workspace.settings.rollups_dir(PERIOD)
    (folder / "dimension-2.xlsx").write_bytes(books["dimension-3"])  # saved over by hand
    (folder / "dimension-4.xlsx").unlink()
    run(workspace.settings)
    after = _books(workspace)
    assert after["dimension-2"] not in (books["dimension-2"], books["dimension-3"])
    assert _as_of(workspace, "dimension-2") == _as_of(workspace, "dimension-1") != as_of[
        "dimension-2"]
    assert "dimension-4" in after
    assert after["dimension-5"] == books["dimension-5"]


def test_outputs_deleted_by_hand_are_written_again_by_the_next_run_with_nothing_new(workspace):
    """A rerun restores them: they stayed missing until something in their period changed."""
    for district in ("1001", "1002"):
        workspace.send(workspace.clerk(district), district)
    run(workspace.settings)
    settings = workspace.settings
    public = sorted(p.name for p in settings.public_dir(PERIOD).iterdir())
    books = _books(workspace)
    shutil.rmtree(settings.public_dir(PERIOD))
    (settings.rollups_dir(PERIOD) / "committee.xlsx").unlink()
    report = run(settings)
    assert sorted(p.name for p in settings.public_dir(PERIOD).iterdir()) == public
    assert "index.html" in public
    assert set(_books(workspace)) == set(books)
    assert [Path(p).stem for p in report.rewritten[PERIOD]] == ["committee"]  # the rest kept
    assert run(settings).rewritten == {PERIOD: []}  # and then nothing more to do


def test_a_correction_to_an_earlier_period_rewrites_only_the_trends_it_changes_after_it(
        workspace):
    """Q2's books show Q1 only in the trends (its dimension's book) and in what changed since
    (the committee's): the district groups' books and the other dimensions' stay."""
    for district in ("1001", "1002", "1003"):
        workspace.send(workspace.clerk(district, "2569-Q1"), district)
        workspace.send(workspace.clerk(district), district)
    run(workspace.settings)
    books = _books(workspace)
    workspace.send(workspace.clerk("1001", "2569-Q1").type("KR-1-02", "actual", 77), "1001",
                   "แก้ไขไตรมาส1.xlsx")
    run(workspace.settings)
    after = _books(workspace)
    assert {name for name in after if after[name] != books[name]} == {"dimension-1",
                                                                      "committee"}


@pytest.fixture(scope="module")
def q2(demo_workspace, registry, reference):
    built = build_rollups(Settings(workspace=demo_workspace), registry, reference)
    return built[PERIOD], [built["2569-Q1"].city_figures()]


def test_a_dimension_book_written_from_its_share_is_the_book_of_the_whole_period(q2, tmp_path):
    """The share holds all the book draws on: cut out or not, the same workbook."""
    inputs = BookInputs(*q2)
    for name in inputs.names[:9]:
        write_named(tmp_path / f"share-{name}.xlsx", name, *inputs.of(name))
        write_named(tmp_path / f"whole-{name}.xlsx", name, inputs.rollup, inputs.before)
        with (zipfile.ZipFile(tmp_path / f"share-{name}.xlsx") as share,
              zipfile.ZipFile(tmp_path / f"whole-{name}.xlsx") as whole):
            assert share.namelist() == whole.namelist()
            assert [part for part in share.namelist()
                    if share.read(part) != whole.read(part)] == [], name
        assert len(inputs.of(name)[0].kr_district) < len(inputs.rollup.kr_district)


def test_fingerprints_follow_the_figures_not_the_time_of_the_data(q2):
    rollup, earlier = q2
    prints = _prints(rollup, earlier)
    assert len(set(prints.values())) == 11  # 9 dimensions, the groups' and the committee's
    later = replace(rollup, as_of=rollup.as_of + timedelta(days=3))
    assert _prints(later, earlier) == prints
    rows = rollup.kr_district.copy()
    one = rows.index[(rows["kr_code"] == "KR-1-02") & rows["actual"].notna()][0]
    rows.loc[one, "actual"] += 1
    changed = _prints(replace(rollup, kr_district=rows), earlier)
    assert {name for name in prints if changed[name] != prints[name]} == REWRITTEN
    trend = [replace(earlier[0], kr_city=earlier[0].kr_city.assign(
        progress=earlier[0].kr_city["progress"].where(
            earlier[0].kr_city["kr_code"] != "KR-3-01", 0.5)))]
    changed = _prints(rollup, trend)  # an earlier period's figure: its dimension's trend
    assert {name for name in prints if changed[name] != prints[name]} == {
        "dimension-3", "committee"}


def test_an_upgrade_of_the_code_changes_every_fingerprint(q2, tmp_path):
    """After an upgrade every book is written again: none keeps an older layout."""
    prints = _prints(*q2)
    upgraded = _prints(*q2, version="another")
    assert all(upgraded[name] != prints[name] for name in prints)
    copy = tmp_path / "project"
    for folder in freshness.MADE_BY:
        shutil.copytree(freshness.PROJECT / folder, copy / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    assert freshness.code_version(copy) == freshness.code_version()
    (copy / "pipeline" / "__pycache__").mkdir(exist_ok=True)
    (copy / "pipeline" / "__pycache__" / "x.pyc").write_bytes(b"compiled")
    assert freshness.code_version.__wrapped__(copy) == freshness.code_version()
    with (copy / "pipeline" / "rollup_group.py").open("a") as source:
        source.write("# a fix\n")
    assert freshness.code_version.__wrapped__(copy) != freshness.code_version()


def _prints(rollup, earlier, version: str = "this") -> dict[str, str]:
    inputs = BookInputs(rollup, earlier)
    return {name: inputs.fingerprint(name, version) for name in inputs.names}


def test_the_run_summary_says_how_many_books_were_rewritten(corrected):
    """It said "16 workbooks" when the correction rewrote a few of them."""
    workspace, _ = corrected
    result = run_cli("run", "--workspace", str(workspace.root))
    assert result.returncode == 0, result.stderr
    assert (f"เขียนใหม่ {len(REWRITTEN)} จาก 16 ไฟล์ / {len(REWRITTEN)} of 16 workbooks rewritten"
            in " ".join(result.stdout.split()))


def test_a_quiet_night_still_says_where_each_periods_outputs_are(corrected):
    """With nothing rewritten, the run report's rollups were {} and the summary printed no
    path: the office could not tell where the books were, or whether there were any."""
    workspace, _ = corrected
    run(workspace.settings)
    report = run(workspace.settings)  # nothing new
    assert report.rewritten == {PERIOD: []}
    assert sorted(report.rollups[PERIOD]) == sorted(
        f"rollups/{PERIOD}/{name}.xlsx" for name in REWRITTEN | UNTOUCHED)
    assert f"public/{PERIOD}/index.html" in report.public[PERIOD]
    result = run_cli("run", "--workspace", str(workspace.root))
    shown = " ".join(result.stdout.split())
    assert "เขียนใหม่ 0 จาก 16 ไฟล์ / 0 of 16 workbooks rewritten" in shown
    assert str(workspace.settings.public_dir(PERIOD) / "index.html") in shown
