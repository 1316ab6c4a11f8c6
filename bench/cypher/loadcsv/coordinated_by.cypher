// The LOAD CSV baseline: one COORDINATED_BY relationship per row of coordinated_by.csv.
// param: file (string) — the file:/// URL of coordinated_by.csv in the server's import directory
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MATCH (l:Lot {id: row.lot})
  MATCH (o:Organisation {id: row.organisation})
  CREATE (l)-[:COORDINATED_BY {source: row.source, defaulted: toBoolean(row.defaulted)}]->(o)
} IN TRANSACTIONS OF 10000 ROWS
