// name: supply-chain-data
// rule: -
// kind: helper
// answers: Does the register hold DORA supply-chain data, so that the result has the DORA analyses D1 and D2?
// columns: dora
//
// dora: true when an organisation names its ultimate parent or a contract has a supply-chain link
// (a register read from a DORA package, or RDF that has them). One row.

RETURN EXISTS { MATCH (o:Organisation) WHERE o.parent IS NOT NULL }
    OR EXISTS { MATCH (:Contract)-[:SUPPLY_CHAIN]->(:Organisation) } AS dora
