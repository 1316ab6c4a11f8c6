// name: coordination-load
// rule: R5
// kind: analysis
// answers: How heavy is the coordination load of each prime contractor, and who carries the most?
// param: primeContractor (organisation, optional) — only this prime contractor
// columns: prime_contractor, lots, suppliers, interfaces, distrust_lots, mismatches, penalty_bonus_clauses, score, external
//
// Reads the lots' modes (R2) stored with the register. Over the lots a prime contractor P
// coordinates: lots (with or without contracts), suppliers
// (distinct external suppliers with a contract there, P itself included), interfaces (dependencies
// touching P's lots whose two lots have different sets of external suppliers), distrust_lots (R2),
// mismatches (R3 findings touching P's lots), penalty_bonus_clauses (forcing clause types per
// contract). score: the sum of each measure times its CoordinationWeight. Each dependency counts
// once, even when both its lots are P's.

// Step 1: every lot with its prime contractor, the rank of its mode (R2, stored as RUNS_IN; null
// when unknown), its external suppliers and the number of forcing clause types on its contracts
// (counted from the few forcing clause types, walking their incoming HAS_CLAUSE). With a prime
// contractor, only its lots and the lots they share a dependency with.
CALL () {
  CALL () {
    MATCH (t:ClauseType)-[:FORCES]->(:CollaborationMode)
    MATCH (t)<-[:HAS_CLAUSE]-(:Contract)-[:PART_OF]->(lot:Lot)
    RETURN lot, 1 AS forcing
    UNION ALL
    MATCH (lot:Lot)
    RETURN lot, 0 AS forcing
  }
  WITH lot, sum(forcing) AS forcing
  MATCH (lot)-[:COORDINATED_BY]->(prime:Organisation)
  WHERE $primeContractor IS NULL OR prime.id = $primeContractor
     OR EXISTS { (lot)-[:DEPENDS_ON]-(:Lot)-[:COORDINATED_BY]->(:Organisation {id: $primeContractor}) }
  OPTIONAL MATCH (lot)-[:RUNS_IN]->(mode:CollaborationMode)
  RETURN collect({
    lot: lot, prime: prime, rank: mode.rank, forcing: forcing,
    external: COLLECT {
      MATCH (lot)<-[:PART_OF]-(:Contract)-[:SUPPLIED_BY]->(s:Organisation)
      WHERE NOT s.internal
      RETURN DISTINCT s.id
    }
  }) AS lots
}

// Step 2: every distinct dependency (a pair of lots), seen from both its lots: is it an interface
// (the two lots have different sets of external suppliers), is it a mismatch (R3: both modes known
// and different)? Counted for the prime contractor of each of its lots, once when both are the
// same one's.
CALL (lots) {
  UNWIND lots AS end
  WITH end, end.lot AS lot
  MATCH (lot)-[dependency:DEPENDS_ON]-(:Lot)
  WITH dependency, collect(end) AS ends
  WITH startNode(dependency) AS from, endNode(dependency) AS to, collect(ends)[0] AS ends
  WITH [e IN ends WHERE e.lot = from][0] AS a, [e IN ends WHERE e.lot = to][0] AS b
  WITH a.rank <> b.rank AS mismatch,
       NOT (all(s IN a.external WHERE s IN b.external) AND all(s IN b.external WHERE s IN a.external))
         AS interface,
       CASE WHEN a.prime = b.prime THEN [a.prime] ELSE [a.prime, b.prime] END AS primes
  UNWIND primes AS prime
  WITH prime, sum(CASE WHEN interface THEN 1 ELSE 0 END) AS interfaces,
       sum(CASE WHEN mismatch THEN 1 ELSE 0 END) AS mismatches
  RETURN collect({prime: prime, interfaces: interfaces, mismatches: mismatches}) AS touching
}

// Step 3: the measures per prime contractor (its lots grouped on the organisation alone).
MATCH (distrust:CollaborationMode {key: 'distrust'})
CALL (lots, touching, distrust) {
  UNWIND lots AS row
  WITH row.prime AS prime, collect(row) AS own
  WHERE $primeContractor IS NULL OR prime.id = $primeContractor
  WITH prime, own, [t IN touching WHERE t.prime = prime][0] AS dependencies
  RETURN collect({
    prime: prime,
    lots: size(own),
    suppliers: COUNT { UNWIND own AS row UNWIND row.external AS s RETURN DISTINCT s },
    interfaces: coalesce(dependencies.interfaces, 0),
    distrust_lots: size([row IN own WHERE row.rank = distrust.rank]),
    mismatches: coalesce(dependencies.mismatches, 0),
    penalty_bonus_clauses: reduce(n = 0, row IN own | n + row.forcing)
  }) AS primes
}

// Step 4 (R5): the score, weighted by the ontology's CoordinationWeight nodes (read once; summed
// in the order of the columns); a whole number when every weight is one.
CALL () {
  MATCH (w:CoordinationWeight)
  RETURN collect(w) AS weights
}
UNWIND primes AS p
WITH p, weights, 0
     + coalesce([w IN weights WHERE w.measure = 'lots'][0].weight, 0) * p.lots
     + coalesce([w IN weights WHERE w.measure = 'suppliers'][0].weight, 0) * p.suppliers
     + coalesce([w IN weights WHERE w.measure = 'interfaces'][0].weight, 0) * p.interfaces
     + coalesce([w IN weights WHERE w.measure = 'distrust_lots'][0].weight, 0) * p.distrust_lots
     + coalesce([w IN weights WHERE w.measure = 'mismatches'][0].weight, 0) * p.mismatches
     + coalesce([w IN weights WHERE w.measure = 'penalty_bonus_clauses'][0].weight, 0) * p.penalty_bonus_clauses
     AS weightedSum
RETURN p.prime.id AS prime_contractor,
       p.lots AS lots, p.suppliers AS suppliers, p.interfaces AS interfaces,
       p.distrust_lots AS distrust_lots, p.mismatches AS mismatches,
       p.penalty_bonus_clauses AS penalty_bonus_clauses,
       CASE WHEN all(w IN weights WHERE w.weight = round(w.weight))
            THEN toInteger(weightedSum) ELSE toFloat(weightedSum) END AS score,
       NOT p.prime.internal AS external
ORDER BY score DESC, prime_contractor
