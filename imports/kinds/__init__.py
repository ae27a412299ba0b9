"""The kinds of data a spreadsheet can bring in, by name (as in `import_data KIND FILE`)."""

from imports.kinds.base import ImportKind

REGISTRY: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    REGISTRY[kind.name] = kind
    return kind


# Each kind registers itself when its module is imported.
from imports.kinds import contracts, disbursements  # noqa: E402, F401
