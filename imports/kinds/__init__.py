"""The kinds of data a spreadsheet can bring in, by name (as in `import_data KIND FILE`)."""

from imports.kinds.base import ImportKind

REGISTRY: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    REGISTRY[kind.name] = kind
    return kind


def load() -> None:
    """Register the kinds (their modules register themselves on import), in the order the
    import page lists them."""
    from imports.kinds import schemes  # noqa: F401, I001
    from imports.kinds import beneficiaries  # noqa: F401
    from imports.kinds import contracts  # noqa: F401
    from imports.kinds import disbursements  # noqa: F401
