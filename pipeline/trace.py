"""One figure's history: every accepted submission that reported a district's KR for a period,
with where the clerk typed it, and which one is current. Rejected submissions stored no
figure; they are listed by `submission_status`."""

import duckdb
import pandas as pd

_HISTORY = """
SELECT s.submission_id, s.received_at, s.original_name, s.sha256, s.status AS submission,
       f.actual, f.numerator, f.denominator, f.status, f.note, f.sheet, f.cell
FROM facts f JOIN submission_status s USING (submission_id)
WHERE f.district_code = ? AND f.period = ? AND f.kr_code = ?
ORDER BY s.submission_id  -- as processed: the last is current
"""


def trace(con: duckdb.DuckDBPyConnection, district: str, period: str, kr: str) -> pd.DataFrame:
    return con.execute(_HISTORY, [district, period, kr]).df()
