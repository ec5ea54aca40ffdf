-- A file is received when it was saved, but not before the last run that finished without
-- finding it (pipeline.runner._received): a copy keeps the time its original was saved, and
-- one saved in January and sent in December was on time, its figures "as of" January.

COMMENT ON COLUMN submissions.received_at IS 'When the file came, UTC, to the second: its modification time in the inbox, but not before the start of the last finished run, which did not find it there (a copy keeps its original''s time); decides whether a file came by its due date, and orders the files of one run with their modification times.';
COMMENT ON COLUMN current_facts.received_at IS 'When that file was received (submissions.received_at, UTC).';
