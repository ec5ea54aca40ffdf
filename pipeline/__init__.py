"""Consolidation of the BMA district OKR progress workbooks (see README.md)."""
