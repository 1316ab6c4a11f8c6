"""Deprecated: the network view moved to :mod:`sourcing_graph.views.network` (presentation is a
stage of its own, after the engines). This alias warns once and goes in a later release."""

import warnings

from sourcing_graph.views.network import *  # noqa: F403
from sourcing_graph.views.network import build_view, write_view  # noqa: F401

warnings.warn(
    "sourcing_graph.graph.views moved to sourcing_graph.views.network; import it from there",
    DeprecationWarning,
    stacklevel=2,
)
