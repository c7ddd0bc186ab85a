"""The domain's worklist enums, exposed as they are."""

from __future__ import annotations

import strawberry

from content.worklists.models import LateAnswers as LateAnswersValue
from content.worklists.models import ReportStatus as ReportStatusValue
from content.worklists.models import WorklistMode as WorklistModeValue

WorklistMode = strawberry.enum(WorklistModeValue, name="WorklistMode",
                               description="LONG_CASE: a structured report; RAPID_REPORTING: normal or "
                                           "abnormal, against a clock.")
LateAnswers = strawberry.enum(LateAnswersValue, name="LateAnswers",
                              description="What a timed worklist does with an answer after its time limit: FLAG "
                                          "accepts it marked over time; REFUSE refuses it.")
ReportStatus = strawberry.enum(ReportStatusValue, name="ReportStatus", description="Whether a report is still a draft.")
