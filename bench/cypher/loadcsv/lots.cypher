// The LOAD CSV baseline: one Lot node per row of lots.csv.
// param: file (string) — the file:/// URL of lots.csv in the server's import directory
//
// Every column is a property (the extra user columns too, as our loader keeps them); the values
// are typed text (true/false, ISO dates, plain numbers), and an empty cell is no property.
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  CREATE (l:Lot)
  SET l = row {
    .*,
    commodity: toBoolean(row.commodity),
    primeContractorDefaulted: toBoolean(row.primeContractorDefaulted)
  }
} IN TRANSACTIONS OF 10000 ROWS
