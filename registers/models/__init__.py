from registers.models.clusters import ClusterPlanDossier, IndustrialCluster
from registers.models.events import EventParticipant, PromotionEvent
from registers.models.files import ProductFile
from registers.models.products import ProductGroup, ProductLevel, SelectionRound, TypicalProduct

__all__ = [
    "ClusterPlanDossier",
    "EventParticipant",
    "IndustrialCluster",
    "ProductFile",
    "ProductGroup",
    "ProductLevel",
    "PromotionEvent",
    "SelectionRound",
    "TypicalProduct",
]
