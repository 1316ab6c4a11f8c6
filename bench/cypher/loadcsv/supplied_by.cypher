// The LOAD CSV baseline: one SUPPLIED_BY relationship per row of supplied_by.csv.
// param: file (string) — the file:/// URL of supplied_by.csv in the server's import directory
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MATCH (c:Contract {id: row.contract})
  MATCH (o:Organisation {id: row.organisation})
  CREATE (c)-[:SUPPLIED_BY {source: row.source}]->(o)
} IN TRANSACTIONS OF 10000 ROWS
