-- submission_status was created before submissions had data_as_of, checked_against and
-- on_time: DuckDB's catalogue (duckdb_columns(), information_schema.columns) lists a view's
-- columns as they stood when it was created, though a query reads them all. Created again,
-- it lists every column; its comments go with it and are written again.
CREATE OR REPLACE VIEW submission_status AS
SELECT s.*,
       CASE WHEN NOT s.accepted THEN 'rejected'
            WHEN c.submission_id IS NOT NULL THEN 'current'
            ELSE 'superseded' END AS status
FROM submissions s LEFT JOIN current_submissions c USING (submission_id);

COMMENT ON VIEW submission_status IS 'Every submission with its status: current, superseded (accepted, replaced by a later one) or rejected. Columns as in submissions, plus status.';
COMMENT ON COLUMN submission_status.status IS 'current (in force), superseded (accepted, replaced by a later accepted file) or rejected.';

-- The periods table has held every period any registry version lists since migration 005.
COMMENT ON TABLE periods IS 'Reporting periods: every period any loaded registry version lists (last fiscal year''s too), one row per period, with the due date of the version in force for it; rewritten whenever registry.xlsx changes.';
