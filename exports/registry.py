"""The tables the exports app can build in the background: each name stored on a job maps to
the function its app uses for its own export button, and to the list page it comes from."""

from collections.abc import Callable

from budgets.exports import contract_source
from core.exports import ExportSource
from exports.models import ExportJob
from projects.exports import scheme_source
from registers.exports import SOURCES as REGISTER_SOURCES

Table = ExportJob.Table

SOURCES: dict[str, Callable[..., ExportSource]] = {
    Table.SCHEMES: scheme_source,
    Table.CONTRACTS: contract_source,
    **REGISTER_SOURCES,
}

LIST_PAGES = {
    Table.SCHEMES: "projects:scheme-list",
    Table.PRODUCTS: "registers:product-list",
    Table.CLUSTERS: "registers:cluster-list",
    Table.DOSSIERS: "registers:dossier-list",
    Table.EVENTS: "registers:event-list",
    Table.CONTRACTS: "budgets:contract-list",
}
