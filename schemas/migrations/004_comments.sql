-- What every table, view and column means, readable in the warehouse itself:
--   SELECT table_name, column_name, comment FROM duckdb_columns() WHERE NOT internal;
-- docs/warehouse.md explains the same for analysts, with example queries.
-- Times are UTC without a time zone; periods are codes like 2569-Q2 (fiscal year in
-- Buddhist Era, quarter Q1 = Oct-Dec) or 2569-M01 (fiscal month, M01 = October).

COMMENT ON TABLE schema_migrations IS 'Migrations of schemas/migrations/ applied to this file, one row each; written by pipeline/store.py.';
COMMENT ON COLUMN schema_migrations.version IS 'Number prefix of the migration file (1 = 001_initial.sql).';
COMMENT ON COLUMN schema_migrations.name IS 'File name of the migration, e.g. 001_initial.sql.';

-- Reference data: replaced on every run from schemas/reference/.

COMMENT ON TABLE district_groups IS 'The 6 district groups (กลุ่มเขต); mirrors schemas/reference/district_groups.csv, replaced on every run.';
COMMENT ON COLUMN district_groups.group_code IS 'Group code 01..06 (text, zero-padded).';
COMMENT ON COLUMN district_groups.group_th IS 'Group name in Thai.';
COMMENT ON COLUMN district_groups.group_en IS 'Group name in English.';

COMMENT ON TABLE districts IS 'The 50 district offices; mirrors schemas/reference/districts.csv, replaced on every run.';
COMMENT ON COLUMN districts.district_code IS 'Official district geocode 1001..1050 (text); also the inbox folder name.';
COMMENT ON COLUMN districts.name_th IS 'District name in Thai.';
COMMENT ON COLUMN districts.name_en IS 'District name in English.';
COMMENT ON COLUMN districts.group_code IS 'District group the district belongs to: district_groups.group_code.';

COMMENT ON TABLE dimensions IS 'The 9 policy dimensions ("9 ด้าน 9 ดี"); mirrors schemas/reference/dimensions.csv, replaced on every run.';
COMMENT ON COLUMN dimensions.dimension_id IS 'Dimension number 1..9.';
COMMENT ON COLUMN dimensions.name_th IS 'Dimension name in Thai.';
COMMENT ON COLUMN dimensions.name_en IS 'Dimension name in English.';

COMMENT ON TABLE development_issues IS 'Development issues (about 28) under the dimensions; mirrors schemas/reference/development_issues.csv, replaced on every run.';
COMMENT ON COLUMN development_issues.issue_code IS 'Issue code "d.i": dimension number, dot, issue number within it (the project''s numbering, not BMA''s).';
COMMENT ON COLUMN development_issues.dimension_id IS 'Dimension the issue belongs to: dimensions.dimension_id.';
COMMENT ON COLUMN development_issues.name_th IS 'Issue name in Thai (there is no English name).';

-- The OKR registry: each registry version is stored once, when first seen, and never changed.

COMMENT ON TABLE registry_versions IS 'Versions of the OKR registry workbook seen by the pipeline, one row each; objectives, key_results and assignments are stored per version.';
COMMENT ON COLUMN registry_versions.registry_version IS 'Version label from the registry''s about sheet (e.g. 2569.1); also written into each template and declared by each submission.';
COMMENT ON COLUMN registry_versions.fiscal_year IS 'Fiscal year of the registry, Buddhist Era (2569 = 2025-10-01 .. 2026-09-30).';

COMMENT ON TABLE objectives IS 'Objectives of a registry version, one row per (registry_version, objective_code).';
COMMENT ON COLUMN objectives.registry_version IS 'Registry version the row belongs to: registry_versions.registry_version.';
COMMENT ON COLUMN objectives.objective_code IS 'Objective code, unique within a registry version (e.g. 1.1.1).';
COMMENT ON COLUMN objectives.issue_code IS 'Development issue the objective serves: development_issues.issue_code.';
COMMENT ON COLUMN objectives.name_th IS 'Objective in Thai.';
COMMENT ON COLUMN objectives.name_en IS 'Objective in English.';

COMMENT ON TABLE key_results IS 'Key results (KRs) of a registry version, one row per (registry_version, kr_code); says how a KR is reported and rolled up.';
COMMENT ON COLUMN key_results.registry_version IS 'Registry version the row belongs to: registry_versions.registry_version.';
COMMENT ON COLUMN key_results.kr_code IS 'KR code, unique within a registry version (e.g. KR-1-01).';
COMMENT ON COLUMN key_results.objective_code IS 'Objective of the KR: objectives.objective_code of the same registry version.';
COMMENT ON COLUMN key_results.issue_code IS 'Development issue of the KR''s objective (copied from objectives).';
COMMENT ON COLUMN key_results.dimension_id IS 'Dimension 1..9 of the KR''s issue (copied from development_issues).';
COMMENT ON COLUMN key_results.name_th IS 'KR in Thai.';
COMMENT ON COLUMN key_results.name_en IS 'KR in English.';
COMMENT ON COLUMN key_results.unit_th IS 'Unit of actual, baseline and target, in Thai (e.g. กิโลเมตร, ร้อยละ).';
COMMENT ON COLUMN key_results.unit_en IS 'Unit of actual, baseline and target, in English (e.g. km, percent).';
COMMENT ON COLUMN key_results.kr_type IS 'How the KR is reported and combined across districts: count (a number; summed), ratio (numerator and denominator; sum over sum, as a percent), percent (a percentage; averaged), milestone (1 done / 0 not done; share done).';
COMMENT ON COLUMN key_results.direction IS 'Which way is better: increase, decrease (less is better) or maintain.';
COMMENT ON COLUMN key_results.cumulative IS 'True: values add up through the fiscal year, each period reports the year-to-date total; false: each period reports the level at that time.';
COMMENT ON COLUMN key_results.decimals IS 'Decimal places of the KR''s values, 0..3; count and percent values are rounded to it when stored.';
COMMENT ON COLUMN key_results.weight IS 'Weight the registry gives the KR, 1.0 when left blank; meant for weighted means of percent KRs (the roll-ups do not apply it yet).';

COMMENT ON TABLE assignments IS 'A KR cascaded to a district: its baseline and fiscal-year target, one row per (registry_version, kr_code, district_code). Districts without a row do not report the KR.';
COMMENT ON COLUMN assignments.registry_version IS 'Registry version the row belongs to: registry_versions.registry_version.';
COMMENT ON COLUMN assignments.kr_code IS 'The KR: key_results.kr_code of the same registry version.';
COMMENT ON COLUMN assignments.district_code IS 'The district: districts.district_code.';
COMMENT ON COLUMN assignments.baseline IS 'Starting value before the fiscal year, in the KR''s unit; progress is measured from it.';
COMMENT ON COLUMN assignments.target IS 'Value to reach by the end of the fiscal year, in the KR''s unit.';

COMMENT ON TABLE periods IS 'Reporting periods of the current registry (its periods sheet), one row per period; replaced on every run, not kept per registry version.';
COMMENT ON COLUMN periods.period IS 'Period code: 2569-Q1..Q4 (quarters, Q1 = Oct-Dec) or 2569-M01..M12 (months, M01 = October); the year is the fiscal year in Buddhist Era.';
COMMENT ON COLUMN periods.start_date IS 'First day of the period (Gregorian date).';
COMMENT ON COLUMN periods.end_date IS 'Last day of the period (Gregorian date).';
COMMENT ON COLUMN periods.due_date IS 'Date by which districts should submit; a first accepted file received after it is late.';
COMMENT ON COLUMN periods.expected_share IS 'Share of the fiscal year elapsed at the end of the period (months/12, 0..1): the expected progress of a KR.';

-- Submissions and what they reported.

COMMENT ON TABLE submissions IS 'Every file the nightly run processed, accepted or rejected, one row each; never updated or deleted. Files with a sha256 already here are skipped, not stored again.';
COMMENT ON COLUMN submissions.submission_id IS 'Submission number, 1, 2, ... in order of processing.';
COMMENT ON COLUMN submissions.sha256 IS 'SHA-256 of the file''s bytes (hex); unique: the same file is never processed twice.';
COMMENT ON COLUMN submissions.inbox_folder IS 'Inbox folder the file arrived in: the district code of the office that sent it.';
COMMENT ON COLUMN submissions.original_name IS 'File name as it arrived in the inbox.';
COMMENT ON COLUMN submissions.size_bytes IS 'File size in bytes.';
COMMENT ON COLUMN submissions.received_at IS 'Modification time of the file in the inbox, UTC, to the second; orders submissions (the latest accepted is current).';
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

COMMENT ON TABLE facts IS 'The figures of accepted submissions, one row per (submission_id, kr_code); superseded submissions keep theirs. For the figures in force use current_facts.';
COMMENT ON COLUMN facts.submission_id IS 'Submission that reported the figure: submissions.submission_id.';
COMMENT ON COLUMN facts.district_code IS 'Reporting district (the submission''s district_code).';
COMMENT ON COLUMN facts.period IS 'Period reported on (the submission''s period).';
COMMENT ON COLUMN facts.kr_code IS 'KR reported: key_results.kr_code of the submission''s registry_version.';
COMMENT ON COLUMN facts.actual IS 'Reported value in the KR''s unit: count and percent as typed (rounded to decimals), ratio = numerator/denominator*100 (not rounded), milestone 1 done / 0 not done; NULL: not reported (the note says why).';
COMMENT ON COLUMN facts.numerator IS 'Ratio KRs only: the numerator as typed; NULL for other KR types or when not reported.';
COMMENT ON COLUMN facts.denominator IS 'Ratio KRs only: the denominator as typed (> 0); NULL for other KR types or when not reported.';
COMMENT ON COLUMN facts.status IS 'Status the clerk picked: on_track, at_risk or off_track; NULL only when no value was reported and none was picked.';
COMMENT ON COLUMN facts.confidence IS 'Clerk''s confidence in the figure: high, medium or low; NULL when left blank.';
COMMENT ON COLUMN facts.note IS 'Clerk''s note (หมายเหตุ); '''' when none. Required for at_risk, off_track and unreported values.';
COMMENT ON COLUMN facts.sheet IS 'Worksheet of the submitted workbook where the value was typed.';
COMMENT ON COLUMN facts.cell IS 'Cell where the value was typed (the numerator cell for ratio KRs), e.g. H6.';

COMMENT ON TABLE problems IS 'Every problem found in a submission, accepted or rejected, one row per (submission_id, seq); the same findings as the clerk''s feedback workbook.';
COMMENT ON COLUMN problems.submission_id IS 'Submission the problem was found in: submissions.submission_id.';
COMMENT ON COLUMN problems.seq IS 'Position 0, 1, ... of the problem within its submission (errors first, then by sheet and cell).';
COMMENT ON COLUMN problems.code IS 'Rule that found the problem, e.g. actual-blank, district-mismatch (catalogue: schemas/rules.py).';
COMMENT ON COLUMN problems.severity IS 'error (the file is rejected), warning (accepted, clerk should check) or notice (something was normalised).';
COMMENT ON COLUMN problems.sheet IS 'Worksheet of the problem; '''' when it concerns the whole file.';
COMMENT ON COLUMN problems.cell IS 'Cell of the problem, e.g. H11; '''' when it concerns the whole file.';
COMMENT ON COLUMN problems.value IS 'What was found, as text ('''' when nothing).';
COMMENT ON COLUMN problems.expected IS 'What was expected or allowed instead, as text ('''' when not applicable).';
COMMENT ON COLUMN problems.message_th IS 'Message to the clerk in Thai.';
COMMENT ON COLUMN problems.message_en IS 'The same message in English.';

COMMENT ON TABLE period_events IS 'Every open, close and reopen of a period (command: run_pipeline.py period), one row each; the latest per period is in force (see period_state).';
COMMENT ON COLUMN period_events.seq IS 'Action number 1, 2, ... in the order the actions were taken.';
COMMENT ON COLUMN period_events.period IS 'Period acted on (period code, e.g. 2569-Q2).';
COMMENT ON COLUMN period_events.action IS 'open, close or reopen; a closed period rejects new submissions.';
COMMENT ON COLUMN period_events.actor IS 'Who ran the command: the --by name, else the operating-system user.';
COMMENT ON COLUMN period_events.acted_at IS 'When the action was taken, UTC.';

-- Views: derived on every query, never stored.

COMMENT ON VIEW current_submissions IS 'The submission in force for each (district_code, period): the latest accepted one by received_at (then submission_id). Columns as in submissions.';
COMMENT ON VIEW submission_status IS 'Every submission with its status: current, superseded (accepted, replaced by a later one) or rejected. Columns as in submissions, plus status.';
COMMENT ON VIEW current_facts IS 'The figures in force: one row per (district_code, period, kr_code), from current_submissions. Columns as in facts, plus the submission''s sha256, original_name, received_at.';
COMMENT ON VIEW period_state IS 'State of each period that has been acted on: the latest period_events row. Periods not listed are open.';

COMMENT ON COLUMN submission_status.status IS 'current (in force), superseded (accepted, replaced by a later accepted file) or rejected.';
COMMENT ON COLUMN current_facts.sha256 IS 'SHA-256 of the submission file the figure comes from.';
COMMENT ON COLUMN current_facts.original_name IS 'Name of the submission file the figure comes from.';
COMMENT ON COLUMN current_facts.received_at IS 'When that file was received (its inbox modification time, UTC).';
COMMENT ON COLUMN period_state.period IS 'Period code.';
COMMENT ON COLUMN period_state.state IS 'closed (new submissions are rejected) or open (after open or reopen).';
COMMENT ON COLUMN period_state.actor IS 'Who took the latest action.';
COMMENT ON COLUMN period_state.acted_at IS 'When the latest action was taken, UTC.';
