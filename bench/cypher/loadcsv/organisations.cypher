// The LOAD CSV baseline: one Organisation node per row of organisations.csv.
// param: file (string) — the file:/// URL of organisations.csv in the server's import directory
//
// Every column is a property (the extra user columns too, as our loader keeps them); the values
// are typed text (true/false, ISO dates, plain numbers), and an empty cell is no property.
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  CREATE (o:Organisation)
  SET o = row {.*, internal: toBoolean(row.internal)}
} IN TRANSACTIONS OF 10000 ROWS
