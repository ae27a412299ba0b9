"""Every write of the submission portal: drafts and their cost lines (drafts.py), attached
files (files.py), monthly progress reports (progress.py), comments and the moves of a dossier
(dossier.py: submit, withdraw, resubmit, which go through projects.services.scheme_transition).

Each service runs in one transaction and checks everything before it keeps anything: a bad cost
line, a beneficiary of another province or a refused file leaves nothing half-saved. Refusals
are ValidationErrors with Vietnamese messages, keyed by the form field they concern where there
is one; a user acting on what they may not touch gets PermissionDenied."""

from submissions.services.dossier import comment_add, dossier_transition
from submissions.services.drafts import CostLineInput, draft_create, draft_update
from submissions.services.files import (
    attachment_add,
    attachment_open,
    attachment_remove,
    size_text,
)
from submissions.services.progress import (
    first_period,
    progress_report_submit,
    report_periods_open,
)

__all__ = [
    "CostLineInput",
    "attachment_add",
    "attachment_open",
    "attachment_remove",
    "comment_add",
    "dossier_transition",
    "draft_create",
    "draft_update",
    "first_period",
    "progress_report_submit",
    "report_periods_open",
    "size_text",
]
