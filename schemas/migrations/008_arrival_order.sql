-- The submission in force is the one processed last, no longer the one whose file was saved
-- last: a correction saved the day before the wrong file, sent after it, kept its older
-- modification time when copied to the inbox and was told "accepted and stored" while the
-- wrong figures stayed in force. Submissions are numbered in the order they are processed:
-- run after run, and within a run by modification time (pipeline.discover).

CREATE OR REPLACE VIEW current_submissions AS
SELECT * EXCLUDE (rank) FROM (
    SELECT *, row_number() OVER (
        PARTITION BY district_code, period ORDER BY submission_id DESC) AS rank
    FROM submissions WHERE accepted
) WHERE rank = 1;

COMMENT ON VIEW current_submissions IS 'The submission in force for each (district_code, period): the accepted one processed last (the highest submission_id). Columns as in submissions.';
COMMENT ON COLUMN submissions.submission_id IS 'Submission number, 1, 2, ... in order of processing: run after run, and within a run by received_at; the accepted one processed last is current.';
COMMENT ON COLUMN submissions.received_at IS 'Modification time of the file in the inbox, UTC, to the second: when it was saved or copied there; orders the files of one run, and decides whether a file came by its due date.';
