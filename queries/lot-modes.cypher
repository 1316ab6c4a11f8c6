// name: lot-modes
// rule: R2
// kind: helper
// answers: In which collaboration mode does each lot run, and which mode does it need?
// param: primeContractor (organisation, optional) — only the lots this organisation coordinates
// columns: lot, prime_contractor, mode, recommended, contracts
//
// Reads what the last load or refresh stored: mode (R2, Lot.mode: the lowest-ranked effective
// mode among the lot's contracts; unknown when none is known) and recommended (R7,
// Lot.recommendedMode: the minimum mode for the lot's complexity, dynamics and commodity).

MATCH (lot:Lot)-[:COORDINATED_BY]->(prime:Organisation)
WHERE $primeContractor IS NULL OR prime.id = $primeContractor
RETURN lot.id AS lot,
       prime.id AS prime_contractor,
       coalesce(lot.mode, 'unknown') AS mode,
       lot.recommendedMode AS recommended,
       COUNT { (lot)<-[:PART_OF]-(:Contract) } AS contracts
ORDER BY lot
