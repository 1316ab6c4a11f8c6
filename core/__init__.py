"""sourcing-graph: IT sourcing relationships and their collaboration modes as a knowledge graph."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sourcing-graph")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
