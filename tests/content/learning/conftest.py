"""Self-study tests reuse the worklists' small school (trainers, a validator, trainees in a cohort)."""

from tests.content.worklists.conftest import world  # noqa: F401  (the fixture, by name)
