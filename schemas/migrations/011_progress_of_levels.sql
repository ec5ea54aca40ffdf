-- A level to hold (a maintain KR, or a target equal to its baseline) was scored on the level
-- alone and compared with the share of the year elapsed: below its level, it was on track at
-- mid-year. It is now scored over the part of the year gone (pipeline.score).

COMMENT ON COLUMN kr_scores.progress IS '(actual - baseline) / (target - baseline), signs turned for decrease KRs; for a level to hold (maintain, or a target equal to its baseline), the share of the level held (1 at it or beyond) times the share of the fiscal year elapsed, unless the KR is cumulative; raw, not capped.';
