// The LOAD CSV baseline: one DELIVERS relationship per row of delivers.csv.
// param: file (string) — the file:/// URL of delivers.csv in the server's import directory
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MATCH (c:Contract {id: row.contract})
  MATCH (f:Function {id: row.function})
  CREATE (c)-[:DELIVERS {source: row.source}]->(f)
} IN TRANSACTIONS OF 10000 ROWS
