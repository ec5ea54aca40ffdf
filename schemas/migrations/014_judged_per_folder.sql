-- A file is judged once in each inbox folder, not once in all: a clerk who sent the file to
-- another district's folder (rejected: district-mismatch), then to the district's own, was
-- told "already received" and nothing was stored. The same bytes sent again to the same
-- folder are still a duplicate. DuckDB drops no constraint, so the table is rebuilt under its
-- views (bound by name when queried) and its comments written again.

CREATE TEMPORARY TABLE submissions_before AS SELECT * FROM submissions;
DROP TABLE submissions;

CREATE TABLE submissions (
    submission_id   BIGINT PRIMARY KEY,
    sha256          VARCHAR NOT NULL,
    inbox_folder    VARCHAR NOT NULL,
    original_name   VARCHAR NOT NULL,
    size_bytes      BIGINT NOT NULL,
    received_at     TIMESTAMP NOT NULL,
    run_id          VARCHAR NOT NULL,
    district_code   VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,
    registry_version VARCHAR NOT NULL,
    accepted        BOOLEAN NOT NULL,
    kept_path       VARCHAR NOT NULL,
    errors          INTEGER NOT NULL,
    warnings        INTEGER NOT NULL,
    notices         INTEGER NOT NULL,
    data_as_of      DATE,
    checked_against VARCHAR,
    on_time         BOOLEAN,
    UNIQUE (sha256, inbox_folder)
);
INSERT INTO submissions SELECT * FROM submissions_before;
DROP TABLE submissions_before;

COMMENT ON TABLE submissions IS 'Every file the nightly run processed, accepted or rejected, one row each; never updated or deleted. A file whose bytes are already here from the same inbox folder is skipped, not stored again.';
COMMENT ON COLUMN submissions.submission_id IS 'Submission number, 1, 2, ... in order of processing: run after run, and within a run by received_at; the accepted one processed last is current.';
COMMENT ON COLUMN submissions.sha256 IS 'SHA-256 of the file''s bytes (hex); unique with inbox_folder: the same file is processed once in each folder (sent to the wrong district''s folder, then to its own, it is judged in each).';
COMMENT ON COLUMN submissions.inbox_folder IS 'Inbox folder the file arrived in: the district code of the office that sent it.';
COMMENT ON COLUMN submissions.original_name IS 'File name as it arrived in the inbox.';
COMMENT ON COLUMN submissions.size_bytes IS 'File size in bytes.';
COMMENT ON COLUMN submissions.received_at IS 'When the file came, UTC, to the second: its modification time in the inbox, but not before the start of the last finished run, which did not find it there (a copy keeps its original''s time); decides whether a file came by its due date, and orders the files of one run with their modification times.';
COMMENT ON COLUMN submissions.run_id IS 'Nightly run that processed the file; its report is outputs/runs/<run_id>.json.';
COMMENT ON COLUMN submissions.district_code IS 'District the file declares itself for ('''' when unreadable); may differ from inbox_folder only in a rejected file.';
COMMENT ON COLUMN submissions.period IS 'Period the file declares (periods.period); '''' when unreadable.';
COMMENT ON COLUMN submissions.registry_version IS 'Registry version of the template the file was made from; '''' when unreadable.';
COMMENT ON COLUMN submissions.accepted IS 'True: no error, its figures are in facts; false: rejected, kept in quarantine, no facts stored.';
COMMENT ON COLUMN submissions.kept_path IS 'Where the byte-identical copy is kept, relative to outputs/: archive/<district>/... (accepted) or quarantine/<district>/... (rejected).';
COMMENT ON COLUMN submissions.errors IS 'Number of problems of severity error (0 when accepted).';
COMMENT ON COLUMN submissions.warnings IS 'Number of problems of severity warning.';
COMMENT ON COLUMN submissions.notices IS 'Number of problems of severity notice (values normalised or rounded).';
COMMENT ON COLUMN submissions.data_as_of IS 'Date the clerk says the figures stand at (ข้อมูล ณ วันที่); NULL when not given or not read.';
COMMENT ON COLUMN submissions.checked_against IS 'Registry version in force for the period, that the file was checked against (registry_version is the template''s own).';
COMMENT ON COLUMN submissions.on_time IS 'Accepted and received by the due date (Bangkok day) of the version in force; NULL when rejected.';

-- A file's first-seen row goes as it is stored: the same bytes moved later to the right folder
-- kept the time they were first found in the wrong one, when no run with files came between.
COMMENT ON TABLE inbox_seen IS 'The new files waiting in the inbox and when a run first found each (pipeline bookkeeping): a file a run left there is judged before the files found after it. A file''s row goes when the file is stored, or at the next run with files that no longer finds it in the inbox.';
