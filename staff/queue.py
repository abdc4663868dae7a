"""The staff page's view of the queue: what its URL says (search, filters, order, page).

Read from the query string in one place and written back in the same place, so the page's
links (next and previous page, CSV export) keep exactly what the staff member chose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from casestore.case_types import CASE_TYPES, STATUSES
from casestore.cases import QueueFilter

PAGE_SIZE = 25
SEARCH_MAX_LENGTH = 100
STATES = ("open", "finished")


@dataclass(frozen=True)
class QueueView:
    """One page of the queue as the staff member asked for it."""

    where: QueueFilter
    page: int = 1

    @property
    def offset(self) -> int:
        """How many cases come before this page."""
        return (self.page - 1) * PAGE_SIZE


def _page_number(text: str | None) -> int:
    """A page number from the URL (1 when missing or not a positive number)."""
    return int(text) if text and text.isdigit() and 0 < int(text) < 100_000 else 1


def page_count(total: int) -> int:
    """How many pages ``total`` cases fill (at least one, for the empty queue)."""
    return max(1, -(-total // PAGE_SIZE))


def read_view(params: Mapping[str, str], staff_name: str) -> QueueView:
    """The view a query string asks for; unknown values mean "any" (never an error).

    ``mine=1`` keeps the cases assigned to ``staff_name``, the signed-in staff member.
    """
    status, case_type = params.get("status"), params.get("type")
    state, order = params.get("state"), params.get("sort")
    search = (params.get("q") or "").strip()[:SEARCH_MAX_LENGTH]
    where = QueueFilter(
        status=status if status in STATUSES else None,
        case_type=case_type if case_type in CASE_TYPES else None,
        state=state if state in STATES else None,
        search=search or None,
        assigned_to=staff_name if params.get("mine") == "1" else None,
        newest_first=order == "newest",
    )
    return QueueView(where=where, page=_page_number(params.get("page")))


def view_query(view: QueueView, *, page: int | None = None) -> str:
    """The query string (without "?") that ``read_view`` reads back as ``view``."""
    where = view.where
    pairs = {
        "q": where.search,
        "status": where.status,
        "type": where.case_type,
        "state": where.state,
        "mine": "1" if where.assigned_to is not None else None,
        "sort": "newest" if where.newest_first else None,
        "page": str(page or view.page) if (page or view.page) > 1 else None,
    }
    return urlencode({name: value for name, value in pairs.items() if value})

