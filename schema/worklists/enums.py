"""The domain's worklist enums, exposed as they are."""

from __future__ import annotations

import strawberry

from content.worklists.models import ReportStatus as ReportStatusValue
from content.worklists.models import WorklistMode as WorklistModeValue

WorklistMode = strawberry.enum(WorklistModeValue, name="WorklistMode",
                               description="LONG_CASE: a structured report; RAPID_REPORTING: normal or "
                                           "abnormal, against a clock.")
ReportStatus = strawberry.enum(ReportStatusValue, name="ReportStatus", description="Whether a report is still a draft.")
