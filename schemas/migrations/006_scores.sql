-- The scores of each period with data, as the roll-ups and the open data show them.

CREATE TABLE kr_scores (
    period          VARCHAR NOT NULL,
    area            VARCHAR NOT NULL,
    kr_code         VARCHAR NOT NULL,
    kr_type         VARCHAR NOT NULL,
    actual          DOUBLE,
    baseline        DOUBLE,
    target          DOUBLE,
    progress        DOUBLE,
    status          VARCHAR NOT NULL,
    reporting       INTEGER NOT NULL,
    assigned        INTEGER NOT NULL,
    PRIMARY KEY (period, area, kr_code)
);

CREATE TABLE dimension_scores (
    period          VARCHAR NOT NULL,
    area            VARCHAR NOT NULL,
    dimension_id    INTEGER NOT NULL,
    score           DOUBLE,
    krs             INTEGER NOT NULL,
    krs_with_data   INTEGER NOT NULL,
    PRIMARY KEY (period, area, dimension_id)
);

COMMENT ON TABLE kr_scores IS 'Each KR''s figure and score per period for the city, each district group and each district, under the registry version in force for the period; rewritten with the period''s roll-ups.';
COMMENT ON COLUMN kr_scores.period IS 'Period code, e.g. 2569-Q2.';
COMMENT ON COLUMN kr_scores.area IS '''city'', a district group code 01..06, or a district code 1001..1050.';
COMMENT ON COLUMN kr_scores.kr_code IS 'key_results.kr_code.';
COMMENT ON COLUMN kr_scores.kr_type IS 'How district values combine: count (sum), ratio (sum over sum), percent (mean), milestone (share done).';
COMMENT ON COLUMN kr_scores.actual IS 'The combined value of the districts that reported; NULL: none did.';
COMMENT ON COLUMN kr_scores.baseline IS 'The combined baseline.';
COMMENT ON COLUMN kr_scores.target IS 'The combined target for the fiscal year.';
COMMENT ON COLUMN kr_scores.progress IS '(actual - baseline) / (target - baseline), signs turned for decrease KRs; raw, not capped.';
COMMENT ON COLUMN kr_scores.status IS 'on_track, at_risk, off_track against the share of the year elapsed, or no_data.';
COMMENT ON COLUMN kr_scores.reporting IS 'Districts whose figures stand behind the value.';
COMMENT ON COLUMN kr_scores.assigned IS 'Districts assigned the KR.';
COMMENT ON TABLE dimension_scores IS 'Each dimension''s score per period for the city, each group and each district: mean capped progress up KR, objective, issue, dimension.';
COMMENT ON COLUMN dimension_scores.period IS 'Period code.';
COMMENT ON COLUMN dimension_scores.area IS '''city'', a group code or a district code.';
COMMENT ON COLUMN dimension_scores.dimension_id IS 'dimensions.dimension_id.';
COMMENT ON COLUMN dimension_scores.score IS 'Mean capped progress, 0..1; NULL: no figures.';
COMMENT ON COLUMN dimension_scores.krs IS 'KRs of the dimension assigned in the area.';
COMMENT ON COLUMN dimension_scores.krs_with_data IS 'Of those, KRs with figures.';
