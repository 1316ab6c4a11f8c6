// The LOAD CSV baseline: one Function node per row of functions.csv.
// param: file (string) — the file:/// URL of functions.csv in the server's import directory
//
// Every column is a property (the extra user columns too, as our loader keeps them); the values
// are typed text (true/false, ISO dates, plain numbers), and an empty cell is no property.
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  CREATE (f:Function)
  SET f = row {.*, critical: toBoolean(row.critical), retained: toBoolean(row.retained)}
} IN TRANSACTIONS OF 10000 ROWS
