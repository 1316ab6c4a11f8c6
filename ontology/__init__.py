"""The ontology of collaboration modes (OWL + SHACL, Turtle) and the rule parameters read from it."""
