// name: posture
// rule: R15
// kind: analysis
// answers: Which of the three sound sourcing options (A distrust, B trust, C in-house) does the register follow, and if none, why?
// columns: external_value_by_mode, external_prime_contractors, basis, verdict, reasons
//
// One row (the analysis result holds it as one object). external_value_by_mode: the annual values
// of the external contracts per effective mode (R1, Contract.effectiveMode), every mode by rank and
// then 'unknown', as [mode, amount] pairs (the engine makes them a map), summed exactly in whole
// cents: each value as toInteger(floor(value * 100 + 0.5)), the arithmetic of
// sourcing_graph.graph.money.cents, and the sum written as cents / 100.0.
// external_prime_contractors: the external organisations that coordinate a lot, sorted. basis:
// the known mode with the largest sum (ties go to the lower rank), null when none is above 0.
// verdict: C (no external contract and no external prime contractor), A (no external prime
// contractor, basis distrust), B (idem, basis trust), else other; reasons (sorted, only for
// other): external_prime_contractor, no_known_basis, reliability_basis.

// The external contracts' cents per effective mode, and how many there are.
CALL () {
  MATCH (c:Contract)-[:SUPPLIED_BY]->(supplier:Organisation)
  WHERE NOT supplier.internal
  RETURN c.effectiveMode AS mode,
         sum(toInteger(floor(coalesce(c.annualValue, 0.0) * 100 + 0.5))) AS cents,
         count(c) AS contracts
}
WITH collect({mode: mode, cents: cents}) AS sums, sum(contracts) AS external

// The external prime contractors, and the basis: the known mode with the most cents.
WITH sums, external,
     COLLECT {
       MATCH (:Lot)-[:COORDINATED_BY]->(prime:Organisation)
       WHERE NOT prime.internal
       RETURN DISTINCT prime.id AS id ORDER BY id
     } AS primes,
     COLLECT {
       MATCH (m:CollaborationMode)
       WITH m, coalesce([s IN sums WHERE s.mode = m.key][0].cents, 0) AS cents
       WHERE cents > 0
       RETURN m.key AS basis ORDER BY cents DESC, m.rank, basis LIMIT 1
     }[0] AS basis
WITH sums, primes, basis,
     CASE
       WHEN external = 0 AND size(primes) = 0 THEN 'C'
       WHEN size(primes) = 0 AND basis = 'distrust' THEN 'A'
       WHEN size(primes) = 0 AND basis = 'trust' THEN 'B'
       ELSE 'other'
     END AS verdict

RETURN COLLECT {
         MATCH (m:CollaborationMode)
         WITH m ORDER BY m.rank, m.key
         RETURN [m.key, toFloat(coalesce([s IN sums WHERE s.mode = m.key][0].cents, 0)) / 100.0] AS pair
       } + [['unknown', toFloat(coalesce([s IN sums WHERE s.mode = 'unknown'][0].cents, 0)) / 100.0]]
         AS external_value_by_mode,
       primes AS external_prime_contractors,
       basis,
       verdict,
       CASE WHEN verdict = 'other' THEN
         [reason IN ['external_prime_contractor', 'no_known_basis', 'reliability_basis'] WHERE
           (reason = 'external_prime_contractor' AND size(primes) > 0)
           OR (reason = 'reliability_basis' AND basis = 'reliability')
           OR (reason = 'no_known_basis' AND basis IS NULL)]
       ELSE [] END AS reasons
