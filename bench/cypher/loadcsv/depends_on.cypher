// The LOAD CSV baseline: one DEPENDS_ON relationship per row of depends_on.csv.
// param: file (string) — the file:/// URL of depends_on.csv in the server's import directory
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MATCH (a:Lot {id: row.lot})
  MATCH (b:Lot {id: row.depends_on})
  CREATE (a)-[:DEPENDS_ON {source: row.source}]->(b)
} IN TRANSACTIONS OF 10000 ROWS
