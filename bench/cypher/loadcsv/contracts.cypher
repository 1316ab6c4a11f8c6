// The LOAD CSV baseline: one Contract node per row of contracts.csv.
// param: file (string) — the file:/// URL of contracts.csv in the server's import directory
//
// Every column is a property (the extra user columns too, as our loader keeps them); the values
// are typed text (true/false, ISO dates, plain numbers), and an empty cell is no property.
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  CREATE (c:Contract)
  SET c = row {
    .*,
    startDate: date(row.startDate),
    endDate: date(row.endDate),
    annualValue: toFloat(row.annualValue),
    annualValueCents: toInteger(row.annualValueCents)
  }
} IN TRANSACTIONS OF 10000 ROWS
