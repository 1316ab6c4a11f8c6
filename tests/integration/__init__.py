"""Tests against a real Neo4j: the test server from the environment, or private servers."""
