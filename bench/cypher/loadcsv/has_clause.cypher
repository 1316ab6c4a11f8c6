// The LOAD CSV baseline: one HAS_CLAUSE relationship per row of has_clause.csv.
// param: file (string) — the file:/// URL of has_clause.csv in the server's import directory
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MATCH (c:Contract {id: row.contract})
  MATCH (t:ClauseType {key: row.clause})
  CREATE (c)-[:HAS_CLAUSE {source: row.source, asWritten: split(row.asWritten, '|')}]->(t)
} IN TRANSACTIONS OF 10000 ROWS
