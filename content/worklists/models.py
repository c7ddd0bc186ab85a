"""Worklist tables (filled in by the worklists work)."""
