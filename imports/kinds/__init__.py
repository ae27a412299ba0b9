"""The kinds of data a spreadsheet can bring in, by name (as in `import_data KIND FILE`)."""

from imports.kinds.base import ImportKind

REGISTRY: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    REGISTRY[kind.name] = kind
    return kind


def load() -> None:
    """Register the kinds (their modules register themselves on import)."""
    from imports.kinds import schemes  # noqa: F401, I001 (the order of the kinds on the page)
    from imports.kinds import beneficiaries  # noqa: F401
