// name: stored-result
// rule: -
// kind: stored
// answers: What is the whole analysis result, read from the conclusions stored at the last load or refresh?
// columns: coordination_load, mode_mismatches, critical_without_trust, clause_conflicts, mode_fit, retained_functions, concentration, as_of, cost_selection, unbounded_trust, reliability_without_evaluation, contract_review, renegotiation_windows, posture, parent_concentration, supply_chains, indirect_concentration, shared_subcontractors, exit_risks
//
// One row; each column is the list of rows of that analysis, as analyze --format json gives it.
// R10-R15 as stored are those at the reference date of the last load or refresh (as_of, ISO;
// R14's windows depend on it): Neo4jEngine.analyze uses them when its own date is that one, and
// else runs their named queries live, on the stored modes. posture (R15) is one map, its
// external_value_by_mode as [mode, amount] pairs (the engine makes them a map).
// Nothing is derived here: R5 and R9 are the properties of the organisations, the other rules'
// rows the :Finding nodes (their fields are their properties). R9's lists are the supplier's
// contracts, their lots and the critical functions they deliver, read from the register. The
// DORA columns are null unless the register had supply-chain data when it was concluded.

// R5: every prime contractor, from its stored coordination measures.
CALL () {
  MATCH (o:Organisation)
  WHERE o.coordinationScore IS NOT NULL
  WITH o ORDER BY o.coordinationScore DESC, o.id
  RETURN collect({
    prime_contractor: o.id, lots: o.coordinationLots, suppliers: o.coordinationSuppliers,
    interfaces: o.coordinationInterfaces, distrust_lots: o.coordinationDistrustLots,
    mismatches: o.coordinationMismatches, penalty_bonus_clauses: o.coordinationPenaltyBonusClauses,
    score: o.coordinationScore, external: NOT o.internal
  }) AS coordination_load
}

// R3, R4, R6, R7, R8: the findings, their fields as stored.
CALL () {
  MATCH (f:Finding {rule: 'R3'})
  WITH f ORDER BY f.lot, f.depends_on
  RETURN collect({
    lot: f.lot, depends_on: f.depends_on, lot_mode: f.lot_mode, depends_on_mode: f.depends_on_mode,
    severity: f.severity, direction: f.direction
  }) AS mode_mismatches
}
CALL () {
  MATCH (f:Finding {rule: 'R4'})
  WITH f ORDER BY f.supplier, f.function
  RETURN collect({
    supplier: f.supplier, function: f.function, contracts: f.contracts, reasons: f.reasons
  }) AS critical_without_trust
}
CALL () {
  MATCH (f:Finding {rule: 'R6'})
  WITH f ORDER BY f.contract
  RETURN collect({
    contract: f.contract, lot: f.lot, supplier: f.supplier, declared_mode: f.declared_mode,
    effective_mode: f.effective_mode, clauses: f.clauses
  }) AS clause_conflicts
}
CALL () {
  MATCH (f:Finding {rule: 'R7'})
  WITH f ORDER BY f.lot
  RETURN collect({lot: f.lot, mode: f.mode, recommended: f.recommended}) AS mode_fit
}
CALL () {
  MATCH (f:Finding {rule: 'R8'})
  WITH f ORDER BY f.function, f.supplier
  RETURN collect({function: f.function, supplier: f.supplier, contracts: f.contracts})
    AS retained_functions
}

// R9: every external supplier with a contract, from its stored concentration measures.
CALL () {
  MATCH (s:Organisation)
  WHERE s.concentrationContracts IS NOT NULL
  WITH s ORDER BY s.concentrationCriticalFunctions DESC, s.concentrationAnnualValueCents DESC, s.id
  RETURN collect({
    supplier: s.id,
    critical_functions: COLLECT {
      MATCH (s)<-[:SUPPLIED_BY]-(:Contract)-[:DELIVERS]->(f:Function)
      WHERE f.critical
      RETURN DISTINCT f.id AS id ORDER BY id
    },
    lots: COLLECT {
      MATCH (s)<-[:SUPPLIED_BY]-(:Contract)-[:PART_OF]->(l:Lot)
      RETURN DISTINCT l.id AS id ORDER BY id
    },
    contracts: COLLECT { MATCH (s)<-[:SUPPLIED_BY]-(c:Contract) RETURN c.id AS id ORDER BY id },
    annual_value: s.concentrationAnnualValueCents / 100.0
  }) AS concentration
}

// R10-R14: the findings, their fields as stored.
CALL () {
  MATCH (f:Finding {rule: 'R10'})
  WITH f ORDER BY f.contract
  RETURN collect({
    contract: f.contract, lot: f.lot, supplier: f.supplier, recommended: f.recommended,
    effective_mode: f.effective_mode
  }) AS cost_selection
}
CALL () {
  MATCH (f:Finding {rule: 'R11'})
  WITH f ORDER BY f.contract
  RETURN collect({contract: f.contract, lot: f.lot, supplier: f.supplier}) AS unbounded_trust
}
CALL () {
  MATCH (f:Finding {rule: 'R12'})
  WITH f ORDER BY f.contract
  RETURN collect({contract: f.contract, lot: f.lot, supplier: f.supplier})
    AS reliability_without_evaluation
}
CALL () {
  MATCH (f:Finding {rule: 'R13'})
  WITH f ORDER BY f.contract
  RETURN collect({
    contract: f.contract, lot: f.lot, supplier: f.supplier, effective_mode: f.effective_mode,
    target_mode: f.target_mode, blocking: f.blocking, missing: f.missing
  }) AS contract_review
}
CALL () {
  MATCH (f:Finding {rule: 'R14'})
  WITH f ORDER BY f.end_date, f.contract
  RETURN collect({
    contract: f.contract, lot: f.lot, supplier: f.supplier, end_date: f.end_date,
    days_left: f.days_left, status: f.status, in_review: f.in_review
  }) AS renegotiation_windows
}

// The meta node: the reference date, R15, and whether the register had DORA supply-chain data.
CALL () {
  OPTIONAL MATCH (m:SourcingGraphMeta {key: 'register'})
  RETURN coalesce(m.supplyChainData, false) AS dora, toString(m.asOf) AS as_of,
         CASE WHEN m.postureVerdict IS NOT NULL THEN {
           external_value_by_mode: [i IN range(0, size(m.postureValueModes) - 1) |
                                    [m.postureValueModes[i], m.postureValueAmounts[i]]],
           external_prime_contractors: m.postureExternalPrimeContractors,
           basis: m.postureBasis, verdict: m.postureVerdict, reasons: m.postureReasons
         } END AS posture
}

// D1-D5: the observations, when the register had DORA supply-chain data.
CALL () {
  MATCH (f:Finding {rule: 'D1'})
  WITH f ORDER BY size(f.critical_functions) DESC, f.annual_value_cents DESC, f.parent
  RETURN collect({
    parent: f.parent, suppliers: f.suppliers, critical_functions: f.critical_functions,
    contracts: f.contracts, annual_value: f.annual_value_cents / 100.0
  }) AS d1
}
CALL () {
  MATCH (f:Finding {rule: 'D2'})
  WITH f ORDER BY f.depth DESC, f.function
  RETURN collect({function: f.function, depth: f.depth, providers: f.providers, contracts: f.contracts})
    AS d2
}

CALL () {
  MATCH (f:Finding {rule: 'D3'})
  WITH f ORDER BY size(f.critical_functions) DESC, f.level, f.organisation
  RETURN collect({
    organisation: f.organisation, level: f.level, members: f.members,
    direct_functions: f.direct_functions, critical_functions: f.critical_functions
  }) AS d3
}
CALL () {
  MATCH (f:Finding {rule: 'D4'})
  WITH f ORDER BY size(f.groups) DESC, size(f.critical_functions) DESC, f.subcontractor
  RETURN collect({
    subcontractor: f.subcontractor, direct_providers: f.direct_providers, groups: f.groups,
    contracts: f.contracts, critical_functions: f.critical_functions
  }) AS d4
}
CALL () {
  MATCH (f:Finding {rule: 'D5'})
  WITH f ORDER BY size(f.reasons) DESC, f.function, f.contract
  RETURN collect({function: f.function, contract: f.contract, supplier: f.supplier,
                  reasons: f.reasons}) AS d5
}

RETURN coordination_load, mode_mismatches, critical_without_trust, clause_conflicts, mode_fit,
       retained_functions, concentration, as_of, cost_selection, unbounded_trust,
       reliability_without_evaluation, contract_review, renegotiation_windows, posture,
       CASE WHEN dora THEN d1 END AS parent_concentration,
       CASE WHEN dora THEN d2 END AS supply_chains,
       CASE WHEN dora THEN d3 END AS indirect_concentration,
       CASE WHEN dora THEN d4 END AS shared_subcontractors,
       CASE WHEN dora THEN d5 END AS exit_risks
