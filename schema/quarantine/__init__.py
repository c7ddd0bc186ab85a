"""Quarantine review in GraphQL: the held images a caller may review, and the review mutation."""
