"""The test suite: unit/ (no server, no browser), integration/ (a real Neo4j), browser/ (headless
Chromium); shared helpers in support/, test data in data/."""
