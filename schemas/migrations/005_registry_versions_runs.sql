-- Registry versions in force per period, timeliness on each submission, and a row per run.

ALTER TABLE registry_versions ADD COLUMN in_force_from VARCHAR;
ALTER TABLE registry_versions ADD COLUMN content_sha256 VARCHAR;
ALTER TABLE registry_versions ADD COLUMN loaded_seq INTEGER;
ALTER TABLE registry_versions ADD COLUMN file_sha256 VARCHAR;
-- Versions stored before this migration: in force from the first period, in the order stored.
UPDATE registry_versions SET
    in_force_from = (SELECT period FROM periods ORDER BY start_date LIMIT 1),
    loaded_seq = (SELECT count(*) FROM registry_versions o
                  WHERE o.registry_version <= registry_versions.registry_version);

CREATE TABLE registry_periods (
    registry_version VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,
    due_date        DATE NOT NULL,
    PRIMARY KEY (registry_version, period)
);
INSERT INTO registry_periods
SELECT v.registry_version, p.period, p.due_date FROM registry_versions v, periods p;

ALTER TABLE submissions ADD COLUMN checked_against VARCHAR;
ALTER TABLE submissions ADD COLUMN on_time BOOLEAN;
UPDATE submissions SET checked_against = registry_version;
UPDATE submissions SET on_time = (
    SELECT CAST(timezone('Asia/Bangkok', timezone('UTC', submissions.received_at)) AS DATE)
           <= p.due_date
    FROM periods p WHERE p.period = submissions.period)
WHERE accepted;

CREATE TABLE runs (
    run_id          VARCHAR PRIMARY KEY,
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    registry_version VARCHAR NOT NULL,
    new_files       INTEGER,
    accepted        INTEGER,
    rejected        INTEGER,
    duplicates      INTEGER
);

CREATE OR REPLACE VIEW current_facts AS
SELECT f.*, s.sha256, s.original_name, s.received_at, s.registry_version, a.baseline, a.target
FROM facts f
JOIN current_submissions s USING (submission_id)
LEFT JOIN assignments a ON a.registry_version = s.registry_version
    AND a.kr_code = f.kr_code AND a.district_code = f.district_code;

COMMENT ON COLUMN registry_versions.in_force_from IS 'First period this version applies to; a period uses the latest loaded version in force from it or earlier.';
COMMENT ON COLUMN registry_versions.content_sha256 IS 'sha256 of the registry''s content (sheets, not file bytes): a registry edited without a new registry_version is refused.';
COMMENT ON COLUMN registry_versions.loaded_seq IS 'Order in which versions were loaded, 1 first.';
COMMENT ON COLUMN registry_versions.file_sha256 IS 'sha256 of the registry.xlsx bytes last seen with this version: a run that finds the same bytes reads the version from here instead of the workbook.';
COMMENT ON TABLE registry_periods IS 'Each registry version''s reporting periods and due dates.';
COMMENT ON COLUMN registry_periods.registry_version IS 'registry_versions.registry_version.';
COMMENT ON COLUMN registry_periods.period IS 'Period code, e.g. 2569-Q2.';
COMMENT ON COLUMN registry_periods.due_date IS 'Last day (Bangkok) a submission counts as on time, in this version.';
COMMENT ON COLUMN submissions.checked_against IS 'Registry version in force for the period, that the file was checked against (registry_version is the template''s own).';
COMMENT ON COLUMN submissions.on_time IS 'Accepted and received by the due date (Bangkok day) of the version in force; NULL when rejected.';
COMMENT ON TABLE runs IS 'One row per nightly run, written when it starts; finished_at NULL means it was stopped (or is running).';
COMMENT ON COLUMN runs.run_id IS 'UTC start time and process id, also the name of outputs/runs/<run_id>.json and .jsonl.';
COMMENT ON COLUMN runs.started_at IS 'When the run started (UTC).';
COMMENT ON COLUMN runs.finished_at IS 'When the run finished (UTC); NULL: killed or still running.';
COMMENT ON COLUMN runs.registry_version IS 'Registry version of registry.xlsx at the run.';
COMMENT ON COLUMN runs.new_files IS 'Files processed (not seen before); NULL until finished.';
COMMENT ON COLUMN runs.accepted IS 'Of those, accepted.';
COMMENT ON COLUMN runs.rejected IS 'Of those, rejected.';
COMMENT ON COLUMN runs.duplicates IS 'Inbox files already seen (same sha256), only released.';
COMMENT ON VIEW current_facts IS 'The figures in force: one row per (district_code, period, kr_code), from current_submissions. Columns as in facts, plus the submission''s sha256, original_name, received_at, registry_version (of the template the clerk filled) and that version''s baseline and target for the district.';
COMMENT ON COLUMN current_facts.sha256 IS 'SHA-256 of the submission file the figure comes from.';
COMMENT ON COLUMN current_facts.original_name IS 'Name of the submission file the figure comes from.';
COMMENT ON COLUMN current_facts.received_at IS 'When that file was received (its inbox modification time, UTC).';
COMMENT ON COLUMN current_facts.registry_version IS 'Registry version of the template the clerk filled.';
COMMENT ON COLUMN current_facts.baseline IS 'The district''s baseline for the KR in that registry version.';
COMMENT ON COLUMN current_facts.target IS 'The district''s target for the KR in that registry version: the target the figure was reported against.';
