"""The sample registry: BMA-like KRs (sample_*.csv) cascaded to the 50 districts.

It is a sample built on BMA's real policy themes, not BMA's official plan. Each district's
baseline and target are the KR's typical values scaled by a factor fixed per (KR, district).
"""

import hashlib
from datetime import timedelta
from pathlib import Path

import pandas as pd

from pipeline.periods import parse_period
from pipeline.reference import Reference
from pipeline.registry_xlsx import write_registry

HERE = Path(__file__).resolve().parent
FISCAL_YEAR = 2569
REGISTRY_VERSION = "2569.1"
DUE_AFTER_DAYS = 15
NOTE = ("ตัวอย่าง (SAMPLE): ทะเบียน OKR สมมุติจากประเด็นนโยบายจริงของกรุงเทพมหานคร "
        "ไม่ใช่แผนปฏิบัติราชการฉบับทางการ / a sample registry built on BMA's real policy "
        "themes, not BMA's official plan")


def stable_unit(*parts: str) -> float:
    """A number in [0, 1) fixed by its arguments: deterministic variety without a global seed."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def sample_frames(reference: Reference) -> dict[str, pd.DataFrame]:
    objectives = pd.read_csv(HERE / "sample_objectives.csv", dtype=str)
    key_results = pd.read_csv(HERE / "sample_key_results.csv", dtype=str, keep_default_na=False)
    return {
        "objectives": objectives,
        "key_results": key_results.drop(columns=["baseline", "target", "districts"]),
        "assignments": _assignments(key_results, reference),
        "periods": fiscal_year_periods(FISCAL_YEAR),
    }


def fiscal_year_periods(fiscal_year: int) -> pd.DataFrame:
    codes = [f"{fiscal_year}-Q{q}" for q in range(1, 5)]
    codes += [f"{fiscal_year}-M{m:02d}" for m in range(1, 13)]
    return pd.DataFrame({
        "period": codes,
        "due_date": [(parse_period(c).end + timedelta(days=DUE_AFTER_DAYS)).isoformat()
                     for c in codes],
    })


def _assignments(key_results: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    all_codes = reference.districts["code"].tolist()
    rows = []
    for kr in key_results.itertuples():
        codes = all_codes if kr.districts == "all" else kr.districts.split()
        for code in codes:
            baseline, target = _scaled(kr, code)
            rows.append((kr.kr_code, code, baseline, target))
    return pd.DataFrame(rows, columns=["kr_code", "district_code", "baseline", "target"])


def _scaled(kr, district_code: str) -> tuple[float, float]:
    baseline, target = float(kr.baseline), float(kr.target)
    if kr.kr_type == "milestone" or baseline == target:
        return baseline, target
    decimals = int(kr.decimals)
    if kr.kr_type in ("ratio", "percent"):
        shift = round((stable_unit(kr.kr_code, district_code) - 0.5) * 10, decimals)
        baseline = min(max(baseline + shift, 0.0), 100.0)
        target = min(max(target + shift / 2, 0.0), 100.0)
        return baseline, target if target != baseline else min(baseline + 1, 100.0)
    factor = 0.6 + 0.8 * stable_unit(kr.kr_code, district_code)
    return round(baseline * factor, decimals), round(target * factor, decimals) or 1.0


def write_sample_registry(path: Path, reference: Reference) -> None:
    about = {"registry_version": REGISTRY_VERSION, "fiscal_year": str(FISCAL_YEAR), "note": NOTE}
    write_registry(path, about, sample_frames(reference))
