"""Roll-up frames of a period → the 16 workbooks: one per dimension, one per district group,
and the committee overview. Earlier periods of the same fiscal year give the trends and what
changed since the previous period."""

from collections.abc import Sequence
from pathlib import Path

from pipeline.rollup import PeriodRollup
from pipeline.rollup_book import dressed, write_book
from pipeline.rollup_committee import write_committee
from pipeline.rollup_dimension import write_dimension
from pipeline.rollup_group import write_group


def write_rollups(rollup: PeriodRollup, out_dir: Path,
                  earlier: Sequence[PeriodRollup] = ()) -> list[Path]:
    """`earlier`: the roll-ups of earlier periods of the same fiscal year with data, oldest
    first (others are ignored)."""
    before = sorted((r for r in earlier if r.period.fiscal_year == rollup.period.fiscal_year
                     and r.period.end < rollup.period.start), key=lambda r: r.period.end)
    ref = rollup.reference
    rollup = dressed(rollup)
    paths = [write_book(out_dir / f"dimension-{dim.dimension_id}.xlsx", rollup,
                        f"ด้าน{dim.name_th}",
                        lambda b, s, d=dim: write_dimension(b, s, rollup, d, before))
             for dim in ref.dimensions.itertuples()]
    paths += [write_book(out_dir / f"group-{group.group_code}.xlsx", rollup,
                         f"กลุ่ม{group.group_th}",
                         lambda b, s, g=group: write_group(b, s, rollup, g))
              for group in ref.groups.itertuples()]
    paths.append(write_book(out_dir / "committee.xlsx", rollup, "ภาพรวมสำหรับคณะกรรมการ",
                            lambda b, s: write_committee(b, s, rollup, before)))
    return paths
