"""Run the command-line interface with ``python -m sourcing_graph``."""

from sourcing_graph.cli import main

main()
