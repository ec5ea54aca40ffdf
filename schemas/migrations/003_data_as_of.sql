-- The date the clerk says the figures of a submission stand at ("ข้อมูล ณ วันที่").

ALTER TABLE submissions ADD COLUMN data_as_of DATE;  -- NULL: not given
