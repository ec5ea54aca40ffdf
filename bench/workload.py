"""Benchmark parameters → a cached workload: scaled registry, templates, and an inbox of clerks'
workbooks (plus one resubmission), built with the project's own demo builders.

The workload lives in bench/work/<key>/ where <key> names its parameters; a finished build
leaves manifest.json, and a later run with the same parameters reuses it.
"""

import json
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

from pipeline import score
from pipeline.demo import fill, sample_registry
from pipeline.demo.build import _honest
from pipeline.periods import parse_period
from pipeline.reference import Reference, load_reference
from pipeline.registry import load_registry
from pipeline.registry_xlsx import write_registry
from pipeline.settings import DEFAULT_SIGNING_KEY
from pipeline.templates import write_templates

WORK = Path(__file__).resolve().parent / "work"
FISCAL_YEAR = sample_registry.FISCAL_YEAR
# What a few clerks get wrong: the first three are normalised (with a notice) and accepted,
# the last one is rejected and gets a feedback workbook.
MISTAKES = ("thai_digits", "status_typed", "percent_sign", "blank_actual")


@dataclass(frozen=True)
class Params:
    districts: int = 50
    periods: int = 12  # the first N months of FY 2569: 2569-M01 …
    krs: int = 440
    mistake_permille: int = 30  # files with a mistake, per thousand

    @property
    def key(self) -> str:
        return (f"d{self.districts}-p{self.periods}-k{self.krs}-m{self.mistake_permille}")

    @property
    def period_codes(self) -> list[str]:
        return [f"{FISCAL_YEAR}-M{m:02d}" for m in range(1, self.periods + 1)]


_MANIFEST = ("files", "facts", "rejected", "resubmission")
SMALL = Params(districts=5, periods=2)
FULL = Params()


@dataclass(frozen=True)
class Workload:
    params: Params
    root: Path
    files: int  # workbooks in the inbox
    facts: int  # facts the accepted files carry
    rejected: int  # files a clerk got wrong beyond normalising
    resubmission: str  # path under root of the changed file, relative to resubmit/

    @property
    def registry(self) -> Path:
        return self.root / "registry.xlsx"

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def resubmit(self) -> Path:
        return self.root / "resubmit"

    def inbox_files(self) -> list[Path]:
        return sorted(p for p in self.inbox.rglob("*.xlsx"))


def load_or_build(params: Params, workers: int = 2, log=lambda _text: None) -> Workload:
    root = WORK / params.key
    manifest = root / "manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        return Workload(params=params, root=root, **{k: data[k] for k in _MANIFEST})
    if root.exists():
        shutil.rmtree(root)  # a build that did not finish
    root.mkdir(parents=True)
    reference = load_reference()
    log(f"registry: {params.krs} KRs x {params.districts} districts")
    write_registry(root / "registry.xlsx", _about(), scaled_frames(reference, params))
    registry = load_registry(root / "registry.xlsx", reference)
    codes = reference.districts["code"].tolist()[: params.districts]
    log(f"templates: {params.districts} districts x {params.periods} periods")
    for code in params.period_codes:
        write_templates(registry, reference, parse_period(code), root / "templates" / code,
                        DEFAULT_SIGNING_KEY)
    _check_scalar_status(registry, params.period_codes[-1:])
    jobs = [(str(root), code, district) for code in params.period_codes for district in codes]
    log(f"clerks: filling {len(jobs)} workbooks in {workers} processes")
    with ProcessPoolExecutor(workers) as pool:
        mistakes = list(pool.map(_clerk_job, jobs, [params] * len(jobs), chunksize=4))
    resubmission = _resubmission(root, registry, params, codes)
    rejected = sum(1 for m in mistakes if m == "blank_actual")
    data = {
        "files": len(jobs),
        "facts": (len(jobs) - rejected) * params.krs,
        "rejected": rejected,
        "resubmission": resubmission,
    }
    manifest.write_text(json.dumps({**data, "params": asdict(params),
                                    "mistakes": {f"{j[2]} {j[1]}": m for j, m in
                                                 zip(jobs, mistakes, strict=True) if m}},
                                   ensure_ascii=False, indent=2), encoding="utf-8")
    return Workload(params=params, root=root, **data)


def _about() -> dict[str, str]:
    return {"registry_version": f"{sample_registry.REGISTRY_VERSION}-bench",
            "fiscal_year": str(FISCAL_YEAR), "note": "benchmark: the sample registry, scaled"}


def scaled_frames(reference: Reference, params: Params) -> dict[str, pd.DataFrame]:
    """The sample registry's KRs repeated (renumbered within their dimension) up to
    `params.krs`, every KR assigned to each of the first `params.districts` districts."""
    sample = pd.read_csv(sample_registry.HERE / "sample_key_results.csv", dtype=str,
                         keep_default_na=False)
    rows, per_dimension = [], {}
    for i in range(params.krs):
        kr = sample.iloc[i % len(sample)].copy()
        copy = i // len(sample)
        dimension = kr["kr_code"].split("-")[1]
        per_dimension[dimension] = per_dimension.get(dimension, 0) + 1
        kr["kr_code"] = f"KR-{dimension}-{per_dimension[dimension]:02d}"
        if copy:
            kr["name_th"] = f"{kr['name_th']} (ชุดที่ {copy + 1})"
            kr["name_en"] = f"{kr['name_en']} (set {copy + 1})"
        kr["districts"] = " ".join(reference.districts["code"].tolist()[: params.districts])
        rows.append(kr)
    key_results = pd.DataFrame(rows).reset_index(drop=True)
    periods = sample_registry.fiscal_year_periods(FISCAL_YEAR)
    return {
        "objectives": pd.read_csv(sample_registry.HERE / "sample_objectives.csv", dtype=str),
        "key_results": key_results.drop(columns=["baseline", "target", "districts"]),
        "assignments": sample_registry._assignments(key_results, reference),
        "periods": periods,
    }


_REGISTRY = {}


def _registry(root: Path):
    if root not in _REGISTRY:
        _REGISTRY[root] = load_registry(root / "registry.xlsx", load_reference())
    return _REGISTRY[root]


def _scalar_status(value: float, kr, share: float) -> str:
    """fill._status for one value without building pandas Series (3 s a workbook → 0.05 s):
    the same arithmetic as score.progress and score.status; checked against it on each build."""
    span = kr.target - kr.baseline
    if kr.direction == "maintain" or span == 0:
        if kr.direction == "decrease":  # a level not to exceed
            level = 1.0 if value <= kr.target else kr.target / value
        else:
            level = 1.0 if value >= kr.target else (
                value / kr.target if kr.target else float("nan"))
        progress = level * (1.0 if kr.cumulative else share)
    else:
        progress = (value - kr.baseline) / span
    if progress != progress:
        return "no_data"
    progress, at_risk = score.shown(progress), fill.Thresholds().at_risk
    return ("on_track" if progress >= score.shown(share)
            else "at_risk" if progress >= score.shown(at_risk * share) else "off_track")


def _check_scalar_status(registry, period_codes: list[str]) -> None:
    krs = registry.assigned(registry.assignments["district_code"].iloc[0]).head(70)
    for code in period_codes:
        share = parse_period(code).elapsed_share
        for kr in krs.itertuples():
            for value in (kr.baseline, kr.target, (kr.baseline + kr.target) / 2,
                          kr.target * 0.8, kr.target * 1.2):
                slow = fill._status(value, kr, share)
                if _scalar_status(value, kr, share) != slow:
                    raise AssertionError(f"bench status differs from fill._status: {kr.kr_code}")


def _clerk_job(job: tuple[str, str, str], params: Params) -> str:
    """One clerk fills one template and drops it in the inbox; returns the mistake made."""
    root, code, district = Path(job[0]), job[1], job[2]
    fill._status = _scalar_status  # in this worker process only
    registry = _registry(root)
    period = parse_period(code)
    clerk = _honest(registry, period, root / "templates" / code, district)
    pick = sample_registry.stable_unit("bench-mistake", district, code)
    mistake = ""
    if pick * 1000 < params.mistake_permille:
        mistake = MISTAKES[int(pick * 1000 / params.mistake_permille * len(MISTAKES))]
        _make(mistake, clerk, registry.assigned(district))
    path = root / "inbox" / district / f"OKR_{district}_{code}.xlsx"
    _save(clerk, path, _received(registry, code, district))
    return mistake


def _make(mistake: str, clerk, krs: pd.DataFrame) -> None:
    counts = krs[krs["kr_type"] == "count"]["kr_code"].tolist()
    percents = krs[krs["kr_type"] == "percent"]["kr_code"].tolist()
    if mistake == "thai_digits":
        value = clerk.value(counts[0], "actual")
        clerk.type(counts[0], "actual", f"{value:,}".translate(
            str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")))
    elif mistake == "status_typed":
        clerk.type(counts[1], "status", "On track")
    elif mistake == "percent_sign":
        clerk.type(percents[0], "actual", f"{clerk.value(percents[0], 'actual')} %")
    elif mistake == "blank_actual":
        clerk.type(counts[2], "actual", None).type(counts[2], "note", None)


def _received(registry, code: str, district: str) -> datetime:
    """Sent a few days before the due date, at a time of day that varies by district."""
    due = registry.periods.set_index("period")["due_date"][code]
    return datetime(due.year, due.month, due.day, 9, tzinfo=UTC) - timedelta(
        days=5, minutes=37 * int(district[-2:]))


def _save(clerk, path: Path, received: datetime) -> None:
    clerk.save(path)
    os.utime(path, (received.timestamp(), received.timestamp()))


def _resubmission(root: Path, registry, params: Params, districts: list[str]) -> str:
    """The middle district corrects one figure of the last period: a changed file."""
    district, code = districts[len(districts) // 2], params.period_codes[-1]
    clerk = _honest(registry, parse_period(code), root / "templates" / code, district)
    kr = registry.assigned(district).query("kr_type == 'count'")["kr_code"].iloc[0]
    clerk.type(kr, "actual", round(float(clerk.value(kr, "actual")) * 1.1 + 1, 1))
    clerk.type(kr, "note", "แก้ไขตัวเลขตามผลการตรวจสอบของสำนักงานเขต")
    name = f"{district}/OKR_{district}_{code}_v2_แก้ไข.xlsx"
    _save(clerk, root / "resubmit" / name,
          _received(registry, code, district) + timedelta(days=2))
    return name
