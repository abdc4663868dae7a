"""Cases as CSV rows: one format for the CLI's ``export`` and the staff page's CSV link."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from casestore.models import Case

EXPORT_COLUMNS = (
    "reference", "institution", "year", "type", "status", "created_at", "updated_at", "facts",
    "checklist_done", "checklist_total",
)


def export_rows(cases: Iterable[Case]) -> Iterator[dict[str, object]]:
    """CSV rows for cases (facts as JSON, checklist as done/total counts)."""
    for case in cases:
        yield {
            "reference": case.reference,
            "institution": case.institution,
            "year": case.year,
            "type": case.type,
            "status": case.status,
            "created_at": case.created_at.isoformat(timespec="seconds"),
            "updated_at": case.updated_at.isoformat(timespec="seconds"),
            "facts": json.dumps(case.facts, ensure_ascii=False, sort_keys=True),
            "checklist_done": sum(1 for item in case.checklist if item.get("done")),
            "checklist_total": len(case.checklist),
        }


def csv_text(cases: Iterable[Case]) -> str:
    """The whole CSV file (header and one row per case) as text."""
    handle = io.StringIO(newline="")
    writer = csv.DictWriter(handle, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(export_rows(cases))
    return handle.getvalue()
