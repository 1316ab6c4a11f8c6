"""Building a Register from triples: entities by type, their identifiers, values and references.

Every problem is collected (see :class:`~sourcing_graph.loaders.rdf_fields.FieldReader`) and
raised at the end as one :class:`RegisterError`. Triples about other things (the ontology,
labels...) are ignored; an unknown ``sg:`` property on an entity is an error. Conclusions
(``sg:effectiveMode``, ``sg:lotMode``..., ``sg:Finding`` resources) are ignored: the register is
what was read, its conclusions are recomputed from it.
"""

from __future__ import annotations

from collections.abc import Iterator

from sourcing_graph.errors import RegisterError, Text
from sourcing_graph.loaders import rdf_terms as t
from sourcing_graph.loaders.rdf_fields import FieldReader, Index, Props, derived_identifier
from sourcing_graph.loaders.rdf_terms import FALSE, TRUE, Term, Vocabulary, short
from sourcing_graph.model import (
    OWN_IT,
    Contract,
    Function,
    Lot,
    Organisation,
    Register,
    Subcontracting,
)

_KINDS = (t.KIND_ORGANISATION, t.KIND_LOT, t.KIND_FUNCTION, t.KIND_CONTRACT)
_KIND_WORDS = {
    t.KIND_ORGANISATION: Text("org"),
    t.KIND_LOT: Text("lot"),
    t.KIND_FUNCTION: Text("function"),
    t.KIND_CONTRACT: Text("contract"),
}
"""The kinds of entity, in the problems."""
_MODE = Text("collaboration mode")
_CLAUSE_TYPE = Text("clause type")
_BASIS = Text("selection basis")
_CLASS_KINDS: dict[Term, str] = {
    **dict.fromkeys(t.ORG_CLASSES, t.KIND_ORGANISATION),
    t.LOT_CLASS: t.KIND_LOT,
    t.FUNCTION_CLASS: t.KIND_FUNCTION,
    t.CONTRACT_CLASS: t.KIND_CONTRACT,
}


class RegisterBuilder:
    """Rebuilds a Register from an index of triples, one kind of entity after the other."""

    def __init__(self, index: Index, source: str, vocab: Vocabulary) -> None:
        self.index = index
        self.source = source
        self.vocab = vocab
        self.fields = FieldReader(source)
        self.kinds: dict[Term, str] = {}
        self.by_kind: dict[str, list[Term]] = {kind: [] for kind in _KINDS}
        self.ids: dict[Term, str] = {}
        self.organisations: dict[str, Organisation] = {}
        self.lots: dict[str, Lot] = {}
        self.functions: dict[str, Function] = {}
        self.contracts: dict[str, Contract] = {}
        self.dependencies: set[tuple[str, str]] = set()
        self.subcontracting: set[Subcontracting] = set()

    def build(self) -> Register:
        """The register, or :class:`RegisterError` with every problem found."""
        self.classify()
        self.identify()
        self.read_organisations()
        self.read_lots()
        self.read_dependencies()
        self.read_functions()
        self.read_contracts()
        self.read_links()
        problems = self.fields.problems
        if problems:
            raise RegisterError(
                problems[: t.MAX_PROBLEMS], truncated=len(problems) > t.MAX_PROBLEMS
            )
        return Register(
            organisations=self.organisations,
            lots=self.lots,
            functions=self.functions,
            contracts=self.contracts,
            dependencies=self.dependencies,
            subcontracting=self.subcontracting,
            source=self.source,
        )

    def classify(self) -> None:
        """The kind of each subject typed as a register entity."""
        for subject, props in self.index.items():
            for cls in props.get(t.TYPE, ()):
                kind = _CLASS_KINDS.get(cls)
                if kind is None:
                    continue
                if self.kinds.setdefault(subject, kind) != kind:
                    self.fields.problem(
                        Text(
                            "{subject} is typed as two kinds of register entity",
                            subject=short(subject),
                        ),
                        f"{self.kinds[subject]} and {kind}",
                        Text("one of sg:Organisation, sg:Lot, sg:Function, sg:Contract"),
                    )
        for subject, kind in self.kinds.items():
            self.by_kind[kind].append(subject)

    def identify(self) -> None:
        """The identifier of each entity; two entities of a kind may not share one."""
        seen: dict[tuple[str, str], Term] = {}
        for kind, subjects in self.by_kind.items():
            for subject in subjects:
                identifier = self.fields.identifier(subject, self.index[subject], kind)
                if identifier is None:
                    continue
                other = seen.get((kind, identifier))
                if other is not None:
                    self.fields.problem(
                        Text(
                            "two {kind} entities share an identifier: {first} and {second}",
                            kind=_KIND_WORDS[kind],
                            first=short(other),
                            second=short(subject),
                        ),
                        identifier,
                        Text("unique identifiers"),
                    )
                    continue
                seen[(kind, identifier)] = subject
                self.ids[subject] = identifier

    def entities(self, kind: str, allowed: frozenset[str]) -> Iterator[tuple[Term, str]]:
        """(subject, identifier) of each identified entity of ``kind``, its properties checked."""
        for subject in self.by_kind[kind]:
            identifier = self.ids.get(subject)
            if identifier is not None:
                self.fields.unexpected(subject, self.index[subject], allowed)
                yield subject, identifier

    def reference(self, subject: Term, prop: str, node: Term | None, kind: str) -> str | None:
        """The identifier of the entity ``node`` refers to, creating a default one if needed."""
        if node is None:
            return None
        node_kind = self.kinds.get(node)
        if node_kind == kind:
            return self.ids.get(node)  # None: a problem with its identifier was reported already
        if node_kind is not None:
            self.fields.problem(
                Text(
                    "{subject} {property} refers to a {found}, not a {kind}",
                    subject=short(subject),
                    property=short(prop),
                    found=_KIND_WORDS[node_kind],
                    kind=_KIND_WORDS[kind],
                ),
                short(node),
                Text("a {kind}", kind=_KIND_WORDS[kind]),
            )
            return None
        identifier = derived_identifier(node, kind)
        if identifier is None:
            self.fields.problem(
                Text(
                    "{subject} {property} refers to something that is not a {kind}",
                    subject=short(subject),
                    property=short(prop),
                    kind=_KIND_WORDS[kind],
                ),
                short(node),
                Text(
                    "an IRI typed as a {kind}, or sgr:{path}/<identifier>",
                    kind=_KIND_WORDS[kind],
                    path=kind,
                ),
            )
            return None
        if kind == t.KIND_ORGANISATION and identifier not in self.organisations:
            self.organisations[identifier] = Organisation(identifier, None, identifier == OWN_IT)
        elif kind == t.KIND_LOT and identifier not in self.lots:
            self.lots[identifier] = Lot(identifier)
        elif kind == t.KIND_FUNCTION and identifier not in self.functions:
            self.functions[identifier] = Function(identifier)
        return identifier

    def read_organisations(self) -> None:
        fields = self.fields
        for subject, identifier in self.entities(t.KIND_ORGANISATION, t.ORG_PROPS):
            props = self.index[subject]
            classes = set(props.get(t.TYPE, ()))
            by_class = bool(classes & t.INTERNAL_CLASSES)
            flag = fields.boolean(subject, fields.single(subject, props, t.INTERNAL), t.INTERNAL)
            internal = by_class if flag is None else flag
            if by_class and flag is False:
                fields.problem(
                    Text(
                        "{subject} is typed as internal but has sg:internal false",
                        subject=short(subject),
                    ),
                    short(FALSE),
                    "sg:internal true",
                )
            if t.EXTERNAL_CLASS in classes and internal:
                fields.problem(
                    Text(
                        "{subject} is typed sg:ExternalSupplier but is internal",
                        subject=short(subject),
                    ),
                    short(TRUE),
                    "sg:internal false",
                )
            if identifier == OWN_IT and not internal:
                fields.problem(
                    Text("own-it (the own IT organisation) is always internal"),
                    short(FALSE),
                    "sg:internal true",
                )
            self.organisations[identifier] = Organisation(
                identifier,
                fields.string(subject, fields.single(subject, props, t.NAME), t.NAME),
                internal,
                fields.extras(subject, props),
                self.parent(subject, props),
                source=self.source_of(subject, props),
            )

    def parent(self, subject: Term, props: Props) -> str | None:
        """An organisation's ultimate parent: ``sg:ultimateParent`` (an id, any undertaking) or the
        organisation ``sg:partOfGroup`` names; when both are given they must agree."""
        fields = self.fields
        named = fields.string(subject, fields.single(subject, props, t.PARENT), t.PARENT)
        group_node = fields.single(subject, props, t.PART_OF_GROUP)
        group = self.reference(subject, t.PART_OF_GROUP, group_node, t.KIND_ORGANISATION)
        if named is not None and group is not None and named != group:
            fields.problem(
                Text(
                    "{subject} sg:partOfGroup and sg:ultimateParent name different parents",
                    subject=short(subject),
                ),
                f"{group} and {named}",
                Text("the same ultimate parent (or one of the two)"),
            )
        return named if named is not None else group

    def source_of(self, subject: Term, props: Props) -> str | None:
        """Where the register said it (``sg:source``), when the RDF says."""
        return self.fields.string(subject, self.fields.single(subject, props, t.SOURCE), t.SOURCE)

    def level(self, subject: Term, props: Props, prop: str) -> str | None:
        node = self.fields.single(subject, props, prop)
        return self.fields.individual(subject, node, prop, self.vocab.level_keys, Text("level"))

    def read_lots(self) -> None:
        fields = self.fields
        for subject, identifier in self.entities(t.KIND_LOT, t.LOT_PROPS | t.CONCLUSION_PROPS):
            props = self.index[subject]
            prime_node = fields.single(subject, props, t.PRIME)
            prime = self.reference(subject, t.PRIME, prime_node, t.KIND_ORGANISATION)
            complexity = self.level(subject, props, t.COMPLEXITY)
            dynamics = self.level(subject, props, t.DYNAMICS)
            commodity_node = fields.single(subject, props, t.COMMODITY)
            commodity = fields.boolean(subject, commodity_node, t.COMMODITY)
            defaulted_node = fields.single(subject, props, t.PRIME_DEFAULTED)
            defaulted = fields.boolean(subject, defaulted_node, t.PRIME_DEFAULTED)
            self.lots[identifier] = Lot(
                identifier,
                fields.string(subject, fields.single(subject, props, t.NAME), t.NAME),
                prime or OWN_IT,
                complexity,
                dynamics,
                commodity,
                fields.extras(subject, props),
                source=self.source_of(subject, props),
                # without sg:primeContractorDefaulted: defaulted when no prime contractor is named
                prime_contractor_defaulted=prime_node is None if defaulted is None else defaulted,
            )

    def read_dependencies(self) -> None:
        for subject in self.by_kind[t.KIND_LOT]:
            identifier = self.ids.get(subject)
            if identifier is None:
                continue
            for target in self.index[subject].get(t.DEPENDS_ON, ()):
                target_id = self.reference(subject, t.DEPENDS_ON, target, t.KIND_LOT)
                if target_id is None:
                    continue
                if target_id == identifier:
                    self.fields.problem(
                        Text("lot {lot!r} depends on itself", lot=identifier),
                        short(target),
                        Text("another lot"),
                    )
                    continue
                self.dependencies.add((identifier, target_id))
        for subject, props in self.index.items():  # sg:dependsOn on subjects not typed as lots
            if subject not in self.kinds and t.DEPENDS_ON in props:
                self.fields.problem(
                    Text("{subject} has sg:dependsOn but is not a lot", subject=short(subject)),
                    short(subject),
                    Text("an sg:Lot"),
                )

    def read_functions(self) -> None:
        fields = self.fields
        for subject, identifier in self.entities(t.KIND_FUNCTION, t.FUNCTION_PROPS):
            props = self.index[subject]
            name = fields.string(subject, fields.single(subject, props, t.NAME), t.NAME)
            critical = fields.boolean(
                subject, fields.single(subject, props, t.CRITICAL), t.CRITICAL
            )
            retained = fields.boolean(
                subject, fields.single(subject, props, t.RETAINED), t.RETAINED
            )
            self.functions[identifier] = Function(
                identifier,
                name,
                bool(critical),
                bool(retained),
                fields.extras(subject, props),
                source=self.source_of(subject, props),
            )

    def read_contracts(self) -> None:
        for subject, identifier in self.entities(
            t.KIND_CONTRACT, t.CONTRACT_PROPS | t.CONCLUSION_PROPS
        ):
            contract = self.contract(subject, identifier, self.index[subject])
            if contract is not None:
                self.contracts[identifier] = contract

    def contract(self, subject: Term, identifier: str, props: Props) -> Contract | None:
        fields, vocab = self.fields, self.vocab
        if not props.get(t.SUPPLIER):
            message = Text("contract {ident!r} has no supplier", ident=identifier)
            fields.problem(message, None, Text("one sg:supplier"))
        if not props.get(t.LOT):
            fields.problem(
                Text("contract {ident!r} has no lot", ident=identifier), None, Text("one sg:lot")
            )
        supplier_node = fields.single(subject, props, t.SUPPLIER)
        supplier = self.reference(subject, t.SUPPLIER, supplier_node, t.KIND_ORGANISATION)
        lot_id = self.reference(subject, t.LOT, fields.single(subject, props, t.LOT), t.KIND_LOT)
        mode_node = fields.single(subject, props, t.MODE)
        mode = fields.individual(subject, mode_node, t.MODE, vocab.mode_keys, _MODE)
        clauses = set()
        for node in props.get(t.CLAUSE, ()):
            key = fields.individual(subject, node, t.CLAUSE, vocab.clause_keys, _CLAUSE_TYPE)
            if key is not None:
                clauses.add(key)
        delivered = set()
        for node in props.get(t.DELIVERS, ()):
            function_id = self.reference(subject, t.DELIVERS, node, t.KIND_FUNCTION)
            if function_id is not None:
                delivered.add(function_id)
        basis_node = fields.single(subject, props, t.BASIS)
        basis = fields.individual(subject, basis_node, t.BASIS, vocab.base_keys, _BASIS)
        start = fields.date(subject, fields.single(subject, props, t.START), t.START)
        end = fields.date(subject, fields.single(subject, props, t.END), t.END)
        value = fields.number(subject, fields.single(subject, props, t.VALUE), t.VALUE)
        extra = fields.extras(subject, props)
        written_node = fields.single(subject, props, t.MODE_AS_WRITTEN)
        mode_as_written = fields.string(subject, written_node, t.MODE_AS_WRITTEN)
        clause_words = self.clause_words(subject, props, clauses)
        if supplier is None or lot_id is None:
            return None
        return Contract(
            identifier,
            supplier,
            lot_id,
            mode,
            frozenset(clauses),
            frozenset(delivered),
            start,
            end,
            value,
            basis,
            extra,
            source=self.source_of(subject, props),
            mode_as_written=mode_as_written,
            clause_words=clause_words,
        )

    def clause_words(
        self, subject: Term, props: Props, clauses: set[str]
    ) -> dict[str, tuple[str, ...]]:
        """Per clause type of the contract, the words as written (``sg:clauseWording``)."""
        fields = self.fields
        words: dict[str, tuple[str, ...]] = {}
        for node in props.get(t.CLAUSE_WORDING, ()):
            wording = self.index.get(node, {})
            if t.WORDING_CLASS not in wording.get(t.TYPE, ()):
                fields.wrong(
                    subject, t.CLAUSE_WORDING, Text("clause wording"), node, "an sg:ClauseWording"
                )
                continue
            fields.unexpected(node, wording, t.WORDING_PROPS)
            of = fields.single(node, wording, t.WORDING_OF)
            key = fields.individual(node, of, t.WORDING_OF, self.vocab.clause_keys, _CLAUSE_TYPE)
            written = [
                fields.string(node, w, t.CLAUSE_WORD) for w in wording.get(t.CLAUSE_WORD, ())
            ]
            if key is not None and key not in clauses:
                fields.problem(
                    Text(
                        "{wording} gives words for a clause type {subject} does not have",
                        wording=short(node),
                        subject=short(subject),
                    ),
                    short(of),
                    Text("a clause type of the contract's sg:hasClause"),
                )
            elif key is not None:
                words[key] = tuple(w for w in written if w is not None)
        return words

    def read_links(self) -> None:
        for subject, props in self.index.items():
            if t.LINK_CLASS in props.get(t.TYPE, ()):
                self.fields.unexpected(subject, props, t.LINK_PROPS)
                link = self.link(subject, props)
                if link is not None:
                    self.subcontracting.add(link)

    def link(self, subject: Term, props: Props) -> Subcontracting | None:
        fields = self.fields
        contract_node = fields.single(subject, props, t.LINK_CONTRACT)
        contract_id = self.reference(subject, t.LINK_CONTRACT, contract_node, t.KIND_CONTRACT)
        if contract_node is None:
            message = Text("{subject} has no contract", subject=short(subject))
            fields.problem(message, None, Text("one sg:linkContract"))
        elif contract_id is not None and contract_id not in self.contracts:
            fields.problem(
                Text(
                    "{subject} sg:linkContract refers to a contract the register does not have",
                    subject=short(subject),
                ),
                short(contract_node),
                Text("a contract of the register"),
            )
            contract_id = None
        provider_node = fields.single(subject, props, t.PROVIDER)
        if provider_node is None:
            message = Text("{subject} has no provider", subject=short(subject))
            fields.problem(message, None, Text("one sg:provider"))
        provider = self.reference(subject, t.PROVIDER, provider_node, t.KIND_ORGANISATION)
        recipient_node = fields.single(subject, props, t.RECIPIENT)
        recipient = self.reference(subject, t.RECIPIENT, recipient_node, t.KIND_ORGANISATION)
        rank = fields.rank(subject, fields.single(subject, props, t.CHAIN_RANK), t.CHAIN_RANK)
        service_node = fields.single(subject, props, t.SERVICE_TYPE)
        service = fields.string(subject, service_node, t.SERVICE_TYPE)
        if contract_id is None or provider is None or rank is None:
            return None
        source = self.source_of(subject, props)
        return Subcontracting(contract_id, provider, rank, recipient, service, source)


def build_register(index: Index, source: str, vocab: Vocabulary) -> Register:
    """The register the indexed triples describe, or :class:`RegisterError` with every problem."""
    return RegisterBuilder(index, source, vocab).build()
