// name: mode-characteristics
// rule: -
// kind: ontology
// answers: How do the three collaboration modes differ, characteristic by characteristic?
// param: lang (nl|en, optional) — nl for Dutch, en for English (the default)
// columns: characteristic, mode, value
//
// The nine characteristics (kenmerken) of the modes, in table order, each mode from weakest to
// strongest (distrust, reliability, trust).

// Every mode's value for every characteristic, in the language asked for.
MATCH (m:CollaborationMode)-[value:HAS_CHARACTERISTIC]->(c:ModeCharacteristic)
WITH m, c, value, coalesce($lang, 'en') = 'nl' AS dutch
RETURN CASE WHEN dutch THEN c.labelNl ELSE c.labelEn END AS characteristic,
       CASE WHEN dutch THEN m.labelNl ELSE m.labelEn END AS mode,
       CASE WHEN dutch THEN value.valueNl ELSE value.valueEn END AS value
ORDER BY c.order, m.rank
