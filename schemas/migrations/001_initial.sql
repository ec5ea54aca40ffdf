-- The warehouse: reference data, the registry (by version), submissions and their facts.
-- Applied once, in order with the migrations after it; never rebuilt.

CREATE TABLE district_groups (
    group_code      VARCHAR PRIMARY KEY,  -- 01..06
    group_th        VARCHAR NOT NULL,
    group_en        VARCHAR NOT NULL
);

CREATE TABLE districts (
    district_code   VARCHAR PRIMARY KEY,  -- official geocode 1001..1050
    name_th         VARCHAR NOT NULL,
    name_en         VARCHAR NOT NULL,
    group_code      VARCHAR NOT NULL
);

CREATE TABLE dimensions (
    dimension_id    INTEGER PRIMARY KEY,  -- 1..9, the "9 ด้าน 9 ดี"
    name_th         VARCHAR NOT NULL,
    name_en         VARCHAR NOT NULL
);

CREATE TABLE development_issues (
    issue_code      VARCHAR PRIMARY KEY,  -- d.i, ours
    dimension_id    INTEGER NOT NULL,
    name_th         VARCHAR NOT NULL
);

CREATE TABLE registry_versions (
    registry_version VARCHAR PRIMARY KEY,
    fiscal_year     INTEGER NOT NULL
);

CREATE TABLE objectives (
    registry_version VARCHAR NOT NULL,
    objective_code  VARCHAR NOT NULL,
    issue_code      VARCHAR NOT NULL,
    name_th         VARCHAR NOT NULL,
    name_en         VARCHAR NOT NULL,
    PRIMARY KEY (registry_version, objective_code)
);

CREATE TABLE key_results (
    registry_version VARCHAR NOT NULL,
    kr_code         VARCHAR NOT NULL,
    objective_code  VARCHAR NOT NULL,
    issue_code      VARCHAR NOT NULL,
    dimension_id    INTEGER NOT NULL,
    name_th         VARCHAR NOT NULL,
    name_en         VARCHAR NOT NULL,
    unit_th         VARCHAR NOT NULL,
    unit_en         VARCHAR NOT NULL,
    kr_type         VARCHAR NOT NULL,     -- count, ratio, percent, milestone
    direction       VARCHAR NOT NULL,     -- increase, decrease, maintain
    cumulative      BOOLEAN NOT NULL,     -- values add up through the fiscal year
    decimals        INTEGER NOT NULL,
    weight          DOUBLE NOT NULL,
    PRIMARY KEY (registry_version, kr_code)
);

CREATE TABLE assignments (
    registry_version VARCHAR NOT NULL,
    kr_code         VARCHAR NOT NULL,
    district_code   VARCHAR NOT NULL,
    baseline        DOUBLE NOT NULL,
    target          DOUBLE NOT NULL,      -- for the whole fiscal year
    PRIMARY KEY (registry_version, kr_code, district_code)
);

CREATE TABLE periods (
    period          VARCHAR PRIMARY KEY,  -- 2569-Q2, 2569-M01
    start_date      DATE NOT NULL,
    end_date        DATE NOT NULL,
    due_date        DATE NOT NULL,
    expected_share  DOUBLE NOT NULL       -- share of the fiscal year elapsed at the end
);

CREATE TABLE submissions (
    submission_id   BIGINT PRIMARY KEY,   -- in order of processing
    sha256          VARCHAR NOT NULL UNIQUE,
    inbox_folder    VARCHAR NOT NULL,     -- the district folder the file arrived in
    original_name   VARCHAR NOT NULL,
    size_bytes      BIGINT NOT NULL,
    received_at     TIMESTAMP NOT NULL,   -- the file's modification time in the inbox (UTC)
    run_id          VARCHAR NOT NULL,
    district_code   VARCHAR NOT NULL,     -- as declared by the file ('' when unreadable)
    period          VARCHAR NOT NULL,
    registry_version VARCHAR NOT NULL,
    accepted        BOOLEAN NOT NULL,
    kept_path       VARCHAR NOT NULL,     -- relative to outputs/: archive/... or quarantine/...
    errors          INTEGER NOT NULL,
    warnings        INTEGER NOT NULL,
    notices         INTEGER NOT NULL
);

CREATE TABLE facts (
    submission_id   BIGINT NOT NULL,
    district_code   VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,
    kr_code         VARCHAR NOT NULL,
    actual          DOUBLE,               -- NULL: not reported (the note says why)
    numerator       DOUBLE,               -- ratio KRs only
    denominator     DOUBLE,
    status          VARCHAR,              -- on_track, at_risk, off_track, as the clerk said
    confidence      VARCHAR,              -- high, medium, low
    note            VARCHAR NOT NULL,
    sheet           VARCHAR NOT NULL,     -- where the clerk typed the value
    cell            VARCHAR NOT NULL,
    PRIMARY KEY (submission_id, kr_code)
);

CREATE TABLE problems (
    submission_id   BIGINT NOT NULL,
    seq             INTEGER NOT NULL,
    code            VARCHAR NOT NULL,     -- the rule, see schemas/rules.py
    severity        VARCHAR NOT NULL,     -- error, warning, notice
    sheet           VARCHAR NOT NULL,
    cell            VARCHAR NOT NULL,
    value           VARCHAR NOT NULL,
    expected        VARCHAR NOT NULL,
    message_th      VARCHAR NOT NULL,
    message_en      VARCHAR NOT NULL,
    PRIMARY KEY (submission_id, seq)
);

CREATE VIEW current_submissions AS
SELECT * EXCLUDE (rank) FROM (
    SELECT *, row_number() OVER (
        PARTITION BY district_code, period ORDER BY received_at DESC, submission_id DESC) AS rank
    FROM submissions WHERE accepted
) WHERE rank = 1;

CREATE VIEW submission_status AS
SELECT s.*,
       CASE WHEN NOT s.accepted THEN 'rejected'
            WHEN c.submission_id IS NOT NULL THEN 'current'
            ELSE 'superseded' END AS status
FROM submissions s LEFT JOIN current_submissions c USING (submission_id);

CREATE VIEW current_facts AS
SELECT f.*, s.sha256, s.original_name, s.received_at
FROM facts f JOIN current_submissions s USING (submission_id);
