"""The tables the exports app can build in the background: each name stored on a job maps to
the function its app uses for its own export button, and to the list page it comes from.

Every other table with a file is bounded by construction and always written at once: the
forecast's tables (its 20 schemes at risk, one row per province or content area)."""

from collections.abc import Callable

from budgets.exports import contract_source
from core.exports import ExportSource
from dashboard.monitoring_views import consistency_source
from exports.models import ExportJob
from projects.exports import scheme_source
from registers.exports import SOURCES as REGISTER_SOURCES
from submissions.exports import dossier_source

Table = ExportJob.Table

SOURCES: dict[str, Callable[..., ExportSource]] = {
    Table.SCHEMES: scheme_source,
    Table.CONTRACTS: contract_source,
    **REGISTER_SOURCES,
    # A user outside the portal owns no dossier: the worker's file would be empty.
    Table.PORTAL: dossier_source,
    Table.CONSISTENCY: consistency_source,
}

LIST_PAGES = {
    Table.SCHEMES: "projects:scheme-list",
    Table.PRODUCTS: "registers:product-list",
    Table.CLUSTERS: "registers:cluster-list",
    Table.DOSSIERS: "registers:dossier-list",
    Table.EVENTS: "registers:event-list",
    Table.CONTRACTS: "budgets:contract-list",
    Table.PORTAL: "submissions:scheme-list",
    Table.CONSISTENCY: "dashboard:consistency",
}
