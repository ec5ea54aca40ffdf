-- A file left in the inbox for a later run (saved over during a run, held back with such a
-- file, or in a run that was killed) was ordered among the next night's files by its
-- modification time: a correction sent the next night, saved before it, was stored before it
-- and lost to it. The night a file was first found now comes first (pipeline.discover).

CREATE TABLE inbox_seen (
    sha256          VARCHAR PRIMARY KEY,
    first_seen_at   TIMESTAMP NOT NULL
);

COMMENT ON TABLE inbox_seen IS 'The new files waiting in the inbox and when a run first found each (pipeline bookkeeping, rewritten by every run with files): a file a run left there is judged before the files found after it. A file''s row goes at the next run that finds it stored, or no longer there.';
COMMENT ON COLUMN inbox_seen.sha256 IS 'sha256 of the file''s bytes.';
COMMENT ON COLUMN inbox_seen.first_seen_at IS 'Start of the first run that found these bytes in the inbox, UTC.';
