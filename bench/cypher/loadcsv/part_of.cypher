// The LOAD CSV baseline: one PART_OF relationship per row of part_of.csv.
// param: file (string) — the file:/// URL of part_of.csv in the server's import directory
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MATCH (c:Contract {id: row.contract})
  MATCH (l:Lot {id: row.lot})
  CREATE (c)-[:PART_OF {source: row.source}]->(l)
} IN TRANSACTIONS OF 10000 ROWS
