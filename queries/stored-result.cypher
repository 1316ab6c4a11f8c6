// name: stored-result
// rule: -
// kind: stored
// answers: What is the whole analysis result, read from the conclusions stored at the last load or refresh?
// columns: coordination_load, mode_mismatches, critical_without_trust, clause_conflicts, mode_fit, retained_functions, concentration, parent_concentration, supply_chains, indirect_concentration, shared_subcontractors, exit_risks
//
// One row; each column is the list of rows of that analysis, as analyze --format json gives it.
// R10-R15 are not here: they depend on the reference date (R14's $asOf), so Neo4jEngine.analyze
// runs their named queries live, on the stored modes, beside this one.
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

// D1-D5: the observations, when the register had DORA supply-chain data.
CALL () {
  OPTIONAL MATCH (m:SourcingGraphMeta {key: 'register'})
  RETURN coalesce(m.supplyChainData, false) AS dora
}
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
       retained_functions, concentration,
       CASE WHEN dora THEN d1 END AS parent_concentration,
       CASE WHEN dora THEN d2 END AS supply_chains,
       CASE WHEN dora THEN d3 END AS indirect_concentration,
       CASE WHEN dora THEN d4 END AS shared_subcontractors,
       CASE WHEN dora THEN d5 END AS exit_risks
