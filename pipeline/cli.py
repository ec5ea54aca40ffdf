"""The command line: parse arguments → Settings → call the library → render → exit code."""

import argparse
import getpass
import logging
import sys
import traceback
from datetime import UTC, date, datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline import period_locks
from pipeline.cells import stored_text
from pipeline.period_locks import PeriodActionError
from pipeline.periods import PeriodError, parse_period, thai_date, thai_time, when_received
from pipeline.receipt import ALREADY_RECEIVED, DUPLICATE_OF, repeats
from pipeline.registry import RegistryError
from pipeline.report import OUTCOMES, RunReport
from pipeline.runner import (
    LockHeld,
    UnknownName,
    check,
    export_period,
    registry_in_force,
    run,
    set_period,
    trace_figure,
)
from pipeline.settings import Settings
from pipeline.store import WarehouseBusy
from pipeline.templates import write_templates
from schemas.template_layout import STATUS_LABELS

ENTRY = Path(__file__).resolve().parent.parent / "run_pipeline.py"
EXIT_OK = 0
EXIT_FAILED = 1  # the run itself failed: see the message and the log
EXIT_USAGE = 2  # the command line was wrong (argparse's own code)
EXIT_LOCKED = 3  # another command or a backup holds the workspace lock
EXIT_REGISTRY = 4  # the registry workbook is invalid: nothing was processed

OUTCOME_TH = {"accepted": "ผ่าน / accepted", "rejected": "ไม่ผ่าน / rejected",
              "duplicate": "ซ้ำ (ประมวลผลแล้ว) / already seen",
              "left": "รอตรวจรอบถัดไป / left for the next run"}
LEFT_BECAUSE = {"changed": "ไฟล์ถูกบันทึกทับระหว่างการประมวลผล / saved over during the run",
                "left-with-changed": "ตรวจเทียบกับไฟล์อีกรอบของเขตที่ถูกบันทึกทับระหว่างการประมวลผล / "
                                     "judged against another period's file of the district, "
                                     "saved over during the run"}
SUBMISSION_TH = {"current": "ปัจจุบัน / current", "superseded": "ถูกแทนที่ / superseded"}
STATE_TH = {"rejected": "ส่งแล้วแต่ไม่ผ่าน / rejected", "missing": "ยังไม่ส่ง / missing"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run_pipeline.py",
        description="The OKR consolidation pipeline of the Bangkok Metropolitan Administration: "
                    "district workbooks checked, stored in a DuckDB warehouse and rolled up. "
                    "See README.md.")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str, default: str = "the current directory"
                ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--workspace", type=Path, default=None,
                         help=f"the workspace folder (default: {default})")
        return sub

    demo = command("demo", "build the demo workspace and run the nightly job", "demo/")
    demo.add_argument("--no-run", action="store_true",
                      help="prepare the workspace and fill the inbox, but do not run")
    templates = command("templates", "write one template workbook per district for a period")
    templates.add_argument("--period", required=True, help="a period code such as 2569-Q2")
    command("run", "the nightly job: ingest the inbox, store, roll up, report")
    check_files = command("check", "dry run: check files, write their feedback, store nothing")
    check_files.add_argument("files", nargs="+", type=Path, metavar="FILE",
                             help="a clerk's workbook, in the inbox or anywhere")
    trace = command("trace", "the history of one figure: who reported it, when, from which cell")
    trace.add_argument("--district", required=True, help="a district code such as 1030")
    trace.add_argument("--period", required=True, help="a period code such as 2569-Q2")
    trace.add_argument("--kr", required=True, help="a key result code such as KR-1-01")
    export_files = command("export", "write a period's open data: Parquet, CSV, dictionary")
    export_files.add_argument("--period", required=True, help="a period code such as 2569-Q2")
    period = command("period", "open, close or reopen a reporting period")
    period.add_argument("action", choices=period_locks.ACTIONS)
    period.add_argument("period", help="a period code such as 2569-Q2")
    period.add_argument("--by", default=getpass.getuser(),
                        help="who is acting (default: the operating-system user)")
    period.add_argument("--force", action="store_true",
                        help="close even though new files wait in the inbox")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console()
    if not console.is_terminal:  # under cron: lines long enough for Thai file names, and
        console = Console(width=160)  # the run's progress as plain log lines on stderr
        logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    default = Path("demo") if args.command == "demo" else Path.cwd()
    settings = Settings(workspace=(args.workspace or default).resolve())
    try:
        if args.command == "templates":
            return _templates(settings, args.period, console)
        if args.command == "run":
            return _run(settings, console)
        if args.command == "check":
            return _check(settings, args.files, console)
        if args.command == "export":
            code = parse_period(args.period).code
            paths = export_period(settings, code)
            console.print(f"ข้อมูลเปิด / open data: {len(paths)} files in "
                          f"{settings.public_dir(code)}", highlight=False, soft_wrap=True)
            return EXIT_OK
        if args.command == "trace":
            return _trace(settings, args.district, parse_period(args.period).code, args.kr,
                          console)
        if args.command == "period":
            return _period(settings, args.action, args.period, args.by, console, args.force)
        return _demo(settings, args.no_run, console)
    except RegistryError as err:
        console.print(f"[red]{escape(str(err))}[/red]", highlight=False, soft_wrap=True)
        return EXIT_REGISTRY
    except LockHeld as err:
        console.print(f"[yellow]มีคำสั่งอื่นหรือการสำรองข้อมูลใช้พื้นที่ทำงานนี้อยู่ / {err}[/yellow]",
                      highlight=False, soft_wrap=True)
        return EXIT_LOCKED
    except WarehouseBusy as err:  # the files stored before it stay stored: safe to run again
        console.print("[yellow]คลังข้อมูลเปิดอยู่ในโปรแกรมอื่น ระบบจึงหยุดไว้ก่อน กรุณาปิดโปรแกรมนั้น "
                      "(หรือให้ผู้ใช้ทำงานกับสำเนา) แล้วรันใหม่ / "
                      f"{escape(str(err))}[/yellow]", highlight=False, soft_wrap=True)
        return EXIT_LOCKED
    except (PeriodError, UnknownName) as err:
        console.print(f"[red]{escape(str(err))}[/red]", highlight=False, soft_wrap=True)
        return EXIT_USAGE
    except Exception as err:  # a broken run: say what broke, keep the trace for whoever fixes it
        traceback.print_exc(file=sys.stderr)
        console.print(f"[red]การประมวลผลล้มเหลว / the run failed: {type(err).__name__}: "
                      f"{err}[/red]\nไฟล์ที่ยังไม่ได้บันทึกยังอยู่ในกล่องรับ แก้สาเหตุแล้วรันใหม่ได้ / "
                      "files not yet stored stay in the inbox; fix the cause and run again.",
                      highlight=False, soft_wrap=True)
        return EXIT_FAILED


def _templates(settings: Settings, period_code: str, console: Console) -> int:
    period = parse_period(period_code)
    reference, registry = registry_in_force(settings, period.code)
    paths = write_templates(registry, reference, period, settings.templates_dir(period.code),
                            settings.signing_key)
    for path in paths:  # where each district's clerk is to send it: named for the district
        (settings.inbox / path.stem).mkdir(parents=True, exist_ok=True)
    console.print(f"เขียนแบบรายงาน {len(paths)} ไฟล์ (ทะเบียนรุ่น {registry.version}) / wrote "
                  f"{len(paths)} templates (registry {registry.version}) to "
                  f"{settings.templates_dir(period.code)}", highlight=False)
    console.print(f"โฟลเดอร์รับไฟล์ของแต่ละเขต / each district's inbox folder: "
                  f"{settings.inbox}/<district_code>/", highlight=False, soft_wrap=True)
    return EXIT_OK


def _period(settings: Settings, action: str, code: str, actor: str, console: Console,
            force: bool = False) -> int:
    period = parse_period(code)
    try:
        state, refused = set_period(settings, action, period.code, actor, force=force)
    except PeriodActionError as err:
        console.print(f"[red]{escape(str(err))}[/red]", highlight=False, soft_wrap=True)
        return EXIT_USAGE
    shown = {"open": "เปิดรับรายงาน / open", "closed": "ปิดรับรายงาน / closed"}[state]
    console.print(f"รอบ {period.code}: {shown} (by {actor})", highlight=False)
    if refused:
        console.print(
            f"ไฟล์ {len(refused)} ไฟล์ถูกปฏิเสธขณะปิดรอบ ให้เขตเปิดไฟล์ บันทึกอีกครั้ง แล้วส่งใหม่ "
            "(ไฟล์เดิมที่ไม่ได้บันทึกใหม่จะถือว่าส่งซ้ำ) / "
            f"{len(refused)} file(s) were refused while the period was closed; ask the "
            "district to open the file, save it again and send it (the very same file is a "
            "duplicate and is not judged again):", highlight=False, soft_wrap=True)
        for folder, name, received in refused:
            console.print(f"  {folder}  {name}  ({when_received(received)})",
                          highlight=False, markup=False)
    return EXIT_OK


def _check(settings: Settings, files: list[Path], console: Console) -> int:
    """Exit 0 when every file would be accepted, 1 when any would be rejected, or was when it
    was received (a file already received is not judged again), 2 when a file named is not
    there (a path typed wrong is not a rejected file)."""
    folders = [f for f in files if f.is_dir()]
    absent = [f for f in files if not f.is_file() and f not in folders]
    for said, named in (("ไม่พบไฟล์ / no such file", absent),
                        ("เป็นโฟลเดอร์ ไม่ใช่ไฟล์ / a folder, not a file", folders)):
        if named:
            console.print(f"[red]{said}: " + escape(", ".join(map(str, named))) + "[/red]",
                          highlight=False, soft_wrap=True)
    if absent or folders:
        return EXIT_USAGE
    results, received = check(settings, [f.resolve() for f in files])
    for verdict, response in results:
        outcome = "ผ่าน / would be accepted" if verdict.accepted else "ไม่ผ่าน / would be rejected"
        console.print(f"[bold]{escape(str(verdict.arrival.path))}[/bold]: {outcome}",
                      highlight=False)
        for p in verdict.problems:
            console.print(f"  {p.severity:<7} {p.cell or '-':<5} [{p.code}] {p.message_th}",
                          highlight=False, markup=False)
        console.print(f"  ใบรับ / receipt: {response.receipt_path}", highlight=False,
                      markup=False)
        if response.feedback_path:
            console.print(f"  ไฟล์ที่ทำเครื่องหมายแล้ว / feedback: {response.feedback_path}",
                          highlight=False, markup=False)
    for arrival, earlier in received:
        console.print(f"[bold]{escape(str(arrival.path))}[/bold]: {ALREADY_RECEIVED}",
                      highlight=False)
        for sentence in repeats(earlier):
            console.print(f"  {sentence}", highlight=False, markup=False)
    rejected = any(not v.accepted for v, _ in results) or any(
        earlier["status"] == "rejected" for _, earlier in received)
    return EXIT_FAILED if rejected else EXIT_OK


def _trace(settings: Settings, district: str, period: str, kr: str, console: Console) -> int:
    history = trace_figure(settings, district, period, kr)
    if history.empty:
        console.print(f"ไม่มีรายงานที่ผ่านของ {kr} เขต {district} รอบ {period} / no accepted "
                      "submission reported this figure", highlight=False)
        return EXIT_OK
    table = Table(title=f"{kr} · เขต {district} · {period}")
    for header in ("รับเมื่อ (เวลาไทย) / received (Bangkok)", "ไฟล์ / file", "sha256", "ค่า / value",
                   "สถานะ / status", "ช่อง / cell", "รายงาน / submission"):
        table.add_column(header, overflow="fold")
    for row in history.itertuples():
        value = "ไม่มีข้อมูล" if row.actual != row.actual else stored_text(row.actual)
        table.add_row(thai_time(row.received_at.replace(tzinfo=UTC)), escape(row.original_name),
                      row.sha256[:12], value, _status(row.status),
                      escape(f"{row.sheet}!{row.cell}"), SUBMISSION_TH[row.submission])
    console.print(table)
    return EXIT_OK


def _status(code: str | None) -> str:
    """A clerk's status as the template offers it, not the warehouse's code (at_risk)."""
    return " / ".join(STATUS_LABELS[code]) if isinstance(code, str) else "-"  # NULL: NaN


def _run(settings: Settings, console: Console) -> int:
    report = run(settings, console=console if console.is_terminal else None)
    render_report(report, settings, console)
    return EXIT_OK


def _demo(settings: Settings, no_run: bool, console: Console) -> int:
    # the demo's builders are not needed otherwise
    from pipeline.demo.build import NotADemoWorkspace, build_demo

    try:
        summary = build_demo(settings)
    except NotADemoWorkspace as err:  # a folder of something else is never wiped
        console.print(f"[red]สร้างพื้นที่ทำงานสาธิตในโฟลเดอร์นี้ไม่ได้ กรุณาเลือกโฟลเดอร์ว่าง / {err}; "
                      "choose an empty folder with --workspace[/red]",
                      highlight=False, soft_wrap=True)
        return EXIT_USAGE
    console.print(f"พื้นที่ทำงานตัวอย่าง / demo workspace: {settings.workspace}", highlight=False)
    console.print(f"  ทะเบียน OKR / registry: {settings.registry_path}", highlight=False)
    for period, folder in summary.templates.items():
        console.print(f"  แบบรายงาน {period} / templates: {folder}", highlight=False)
    console.print(f"  ไฟล์ที่รอประมวลผล / inbox: {summary.inbox_files} files in {settings.inbox}",
                  highlight=False)
    if no_run:
        console.print("รันงานประจำคืนได้ด้วย / run the nightly job with: "  # from any folder
                      f"{Path(sys.executable).absolute()} {ENTRY} run --workspace "
                      f"{settings.workspace}", highlight=False, soft_wrap=True)
        return EXIT_OK
    return _run(settings, console)


def _missing(report: RunReport, period: str) -> str:
    """The districts without an accepted report; for a period past due that no file was sent
    for, that nobody has sent and when it was due, not fifty names."""
    if period in report.unsent:
        due = date.fromisoformat(report.unsent[period])
        return (f"ยังไม่มีเขตใดส่ง ({len(report.missing[period])} เขต) ครบกำหนด {thai_date(due)} / "
                f"no district has sent a file ({len(report.missing[period])}); due {due}")
    return ", ".join(f"{r['district_code']} {r['name_th']} ({STATE_TH[r['state']]})"
                     for r in report.missing.get(period, []))


def render_report(report: RunReport, settings: Settings, console: Console) -> None:
    """Runs that did not finish and files that need someone's attention, theirs too, then
    accepted / rejected / missing by period."""
    for earlier in report.unfinished:
        stored = len(earlier["files"])
        if not stored:  # killed before it stored anything: this run did its work again
            continue
        console.print(f"[yellow]การประมวลผล {earlier['run_id']} หยุดก่อนเสร็จ: บันทึกไฟล์ไว้แล้ว "
                      f"{stored} ไฟล์ (รายการอยู่ในรายงานการประมวลผลนี้) / run {earlier['run_id']} "
                      f"did not finish; it had stored {stored} files (listed in this run's "
                      "report, under unfinished_runs)[/yellow]", highlight=False, soft_wrap=True)
    every = report.files
    # a run that did not finish wrote no report: its rejected files are told here, once with
    # their errors (one killed before it released the inbox left them there, and they are
    # tonight's duplicates, told as such)
    unfinished = {(f["folder"], f["name"]): f for earlier in report.unfinished
                  for f in earlier["files"] if f["outcome"] == "rejected"}
    tonight = {(f["folder"], f["name"]) for f in every}
    attention = [f for key, f in unfinished.items() if key not in tonight]
    attention += [f for f in every if f["outcome"] != "accepted"]
    if attention:
        table = Table(title="ไฟล์ที่ไม่ผ่าน ซ้ำ หรือรอรอบถัดไป / files rejected, already seen "
                            "or left for the next run")
        for header in ("เขต / folder", "ไฟล์ / file", "รอบ / period", "ผล / outcome",
                       "เหตุผล / why"):
            table.add_column(header, overflow="fold")
        for item in attention:
            table.add_row(escape(item["folder"] or ""), escape(item["name"]),
                          escape(item.get("period") or ""),
                          OUTCOME_TH[item["outcome"]],
                          LEFT_BECAUSE.get(item.get("left_because")) or _why(
                              unfinished.get((item["folder"], item["name"]), item)))
        console.print(table)
    table = Table(title=f"สรุปการประมวลผล / run {report.run_id}")
    for header in ("รอบ / period", "ไฟล์ที่ผ่านคืนนี้ / accepted tonight",
                   "ไฟล์ที่ไม่ผ่านคืนนี้ / rejected tonight",
                   "อัตราการส่ง (ตรงเวลา) / reporting rate (on time)",
                   "ยังไม่มีรายงานที่ผ่าน / without an accepted report",
                   "ส่งหลังกำหนด / late"):
        table.add_column(header, overflow="fold")
    for period in sorted({f.get("period") for f in every if f.get("period")}
                         | set(report.missing)):
        files = [f for f in every if f.get("period") == period]
        missing = _missing(report, period)
        city = next((r for r in report.completeness.get(period, []) if r["area"] == "city"), None)
        rate = f"{city['rate']:.0%} ({city['on_time_rate']:.0%})" if city else "-"
        late = ", ".join(f"{r['district_code']} {r['name_th']}"
                         for r in report.late.get(period, []))
        table.add_row(period, str(sum(f["outcome"] == "accepted" for f in files)),
                      str(sum(f["outcome"] == "rejected" for f in files)), rate,
                      missing or "-", late or "-")
    console.print(table)
    totals = ", ".join(f"{OUTCOME_TH[o]} {report.count(o)}" for o in OUTCOMES)
    console.print(f"รวม / totals: {totals}", highlight=False)
    for period, paths in report.rollups.items():
        written = len(report.rewritten.get(period, paths))
        console.print(f"รายงานสรุป {period} / roll-ups: เขียนใหม่ {written} จาก {len(paths)} ไฟล์ / "
                      f"{written} of {len(paths)} workbooks rewritten in "
                      f"{settings.rollups_dir(period)}", highlight=False)
        console.print(f"  แดชบอร์ดและข้อมูลเปิด / dashboard and open data: "
                      f"{settings.public_dir(period) / 'index.html'}", highlight=False)
    console.print(f"รายงานการประมวลผล / run report: {settings.runs / (report.run_id + '.json')}"
                  f" (log: {report.run_id}.jsonl)", highlight=False)
    console.print(f"คลังข้อมูล / warehouse: {settings.warehouse_path}", highlight=False)
    console.print("ใบรับและไฟล์ตอบกลับของเขต / receipts and feedback for the clerks: "
                  f"{settings.outputs / 'feedback'}", highlight=False)


def _why(item: dict) -> str:
    if item.get("repeats"):  # a duplicate: the file it repeats, and what became of it
        then = item["repeats"]
        th, en = DUPLICATE_OF[then["status"]]
        return escape(f"= {then['name']} ({then['folder'] or 'inbox'}, "
                      f"{when_received(datetime.fromisoformat(then['received_at']))}): "
                      f"{th} / {en}")
    errors = [p for p in item["problems"] if p["severity"] == "error"]
    lines = [escape(f"{p['cell'] or p['sheet'] or '-'} [{p['code']}] {p['message_th']}")
             for p in errors[:3]]
    if len(errors) > 3:
        lines.append(f"… และอีก {len(errors) - 3} รายการ / and {len(errors) - 3} more")
    return "\n".join(lines)
