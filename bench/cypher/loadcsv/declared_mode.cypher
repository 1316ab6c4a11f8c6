// The LOAD CSV baseline: one DECLARED_MODE relationship per row of declared_mode.csv.
// param: file (string) — the file:/// URL of declared_mode.csv in the server's import directory
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MATCH (c:Contract {id: row.contract})
  MATCH (m:CollaborationMode {key: row.mode})
  CREATE (c)-[:DECLARED_MODE {source: row.source}]->(m)
} IN TRANSACTIONS OF 10000 ROWS
