-- Opening and closing periods: every action is kept, the latest one is in force.

CREATE TABLE period_events (
    seq             INTEGER PRIMARY KEY,  -- in order of the actions
    period          VARCHAR NOT NULL,
    action          VARCHAR NOT NULL,     -- open, close, reopen
    actor           VARCHAR NOT NULL,     -- who ran the command (the operating-system user)
    acted_at        TIMESTAMP NOT NULL    -- when (UTC)
);

CREATE VIEW period_state AS
SELECT period, CASE WHEN action = 'close' THEN 'closed' ELSE 'open' END AS state, actor, acted_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY period ORDER BY seq DESC) AS rank
    FROM period_events
) WHERE rank = 1;
