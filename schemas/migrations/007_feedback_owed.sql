-- The clerks' annotated workbooks still to be written. A submission's row is added in the
-- transaction that stores it and removed once its workbook is written, so a run killed in
-- between leaves it for the next run: the warehouse commits before the slow part of the
-- answer (issue 6), and no clerk goes without it.

CREATE TABLE feedback_owed (
    submission_id   INTEGER PRIMARY KEY,
    feedback_path   VARCHAR NOT NULL
);

COMMENT ON TABLE feedback_owed IS 'Submissions whose annotated workbook (the clerk''s file with each problem marked at its cell) is stored but not yet written; empty after a run that finished.';
COMMENT ON COLUMN feedback_owed.submission_id IS 'The submission, as in submissions; its kept copy is annotated with its rows of problems.';
COMMENT ON COLUMN feedback_owed.feedback_path IS 'Where the workbook goes, relative to outputs/: feedback/<period>/<district>/<file>.feedback.xlsx.';
