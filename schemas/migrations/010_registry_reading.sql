-- registry.xlsx's cells formatted as percentages (92.5%) were read as the fractions Excel
-- keeps (0.925); they are read as they show since pipeline.registry_store.READING 2. The
-- bytes a version was last seen with are now keyed with the reading, so that a registry
-- stored before is read once again (and refused, naming the cells, if it held such cells).

COMMENT ON COLUMN registry_versions.file_sha256 IS 'sha256 of the reading revision (pipeline.registry_store.READING) and the sha256 of the registry.xlsx bytes last seen with this version: a run that finds the same bytes, to be read the same way, reads the version from here instead of the workbook.';
