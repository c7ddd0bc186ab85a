"""Worklists in GraphQL: build and assign worklists, report blind, mark, progress, coverage, evidence."""
