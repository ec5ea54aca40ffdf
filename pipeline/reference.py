"""schemas/reference/*.csv → frames: BMA's districts, groups, dimensions, development issues."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "schemas" / "reference"


@dataclass(frozen=True)
class Reference:
    districts: pd.DataFrame  # code, name_th, name_en, group_code
    groups: pd.DataFrame  # group_code, group_th, group_en, district_count
    dimensions: pd.DataFrame  # dimension_id, name_th, name_en
    issues: pd.DataFrame  # issue_code, dimension_id, name_th


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE_DIR / name, dtype=str, keep_default_na=False)


@cache
def load_reference() -> Reference:
    districts = _read("districts.csv")[["code", "name_th", "name_en", "group_code"]]
    groups = _read("district_groups.csv").astype({"district_count": int})
    dimensions = _read("dimensions.csv").astype({"dimension_id": int})
    issues = _read("development_issues.csv").astype({"dimension_id": int})
    return Reference(districts, groups, dimensions, issues)
