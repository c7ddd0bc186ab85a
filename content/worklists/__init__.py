"""Worklists, assignments, blind reporting, feedback, progress and curriculum coverage."""
