"""De-identification: PS3.15 Annex E Basic profile as a table, applied by one engine."""

from importers.deid.engine import Deidentifier, DeidResult, UidChange
from importers.deid.profile import BASIC_PROFILE, Action, Rule

__all__ = ["BASIC_PROFILE", "Action", "DeidResult", "Deidentifier", "Rule", "UidChange"]
