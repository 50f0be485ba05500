"""Pages of the COP contracts: the pole's reporting grid, the director's approval page, INCa's review
queue and the national dashboard, with their CSV and XLSX exports.

Every page reads in a constant number of queries: rows are fetched in bulk and indexed in Python, so
that more poles, indicators or years never mean more queries. Permissions come from cop_contracts.rules:
a contract outside the user's scope is a 404, a forbidden step on a visible value a 403. Each POST makes
one service call (the bulk review, one per value in a single transaction); a TransitionError comes back
as the message next to the field it names, with a 400.
"""

from cop_contracts.views.dashboard import DashboardView, PoleFiguresView, national_dashboard
from cop_contracts.views.grid import (
    ContractGridView,
    MyReportingView,
    PoleCurrentContractView,
    SubmitYearView,
    ValueCellView,
    reporting_grid,
)
from cop_contracts.views.review import ApprovalView, BulkReviewView, ReviewQueueView

__all__ = [
    "ApprovalView",
    "BulkReviewView",
    "ContractGridView",
    "DashboardView",
    "MyReportingView",
    "PoleCurrentContractView",
    "PoleFiguresView",
    "ReviewQueueView",
    "SubmitYearView",
    "ValueCellView",
    "national_dashboard",
    "reporting_grid",
]
