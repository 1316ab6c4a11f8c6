"""The DORA Register of Information's templates, column codes and closed-list codes, in words.

Column meanings follow the EBA's annotated table layout of the DORA Register of Information in
reporting framework 4.0 (DPM 2.0; the templates of Commission Implementing Regulation (EU)
2024/2956, Annex I), whose xBRL-CSV files name columns by code (``c0010``...). Closed-list codes
(``eba_TA:S01``...) are the DPM 4.0 members of the lists in Annex III (ICT services) and of the
drop-downs of the templates. Where each meaning was checked is in ``docs/dora.md``.
"""

from __future__ import annotations

TEMPLATES: dict[str, tuple[str, dict[str, str]]] = {
    "b_01.02": (
        "list of entities within the scope of the register",
        {
            "c0010": "LEI of the entity",
            "c0020": "name of the entity",
            "c0040": "type of entity",
        },
    ),
    "b_02.01": (
        "contractual arrangements - general information",
        {
            "c0010": "contractual arrangement reference number",
            "c0020": "type of contractual arrangement",
            "c0030": "overarching contractual arrangement reference number",
            "c0040": "currency of the amount reported in c0050",
            "c0050": "annual expense or estimated cost of the contractual arrangement for the past year",
        },
    ),
    "b_02.02": (
        "contractual arrangements - specific information",
        {
            "c0010": "contractual arrangement reference number",
            "c0020": "LEI of the entity making use of the ICT service(s)",
            "c0030": "identification code of the ICT third-party service provider",
            "c0040": "type of code to identify the ICT third-party service provider",
            "c0050": "function identifier",
            "c0060": "type of ICT services",
            "c0070": "start date of the contractual arrangement",
            "c0080": "end date of the contractual arrangement",
            "c0090": "reason of the termination or ending of the contractual arrangement",
            "c0100": "notice period for the financial entity making use of the ICT service(s)",
            "c0110": "notice period for the ICT third-party service provider",
            "c0120": "country of the governing law of the contractual arrangement",
            "c0130": "country of provision of the ICT services",
            "c0140": "storage of data",
            "c0150": "location of the data at rest (storage)",
            "c0160": "location of management of the data (processing)",
            "c0170": "sensitiveness of the data stored by the ICT third-party service provider",
            "c0180": "level of reliance on the ICT service supporting the critical or important function",
        },
    ),
    "b_03.03": (
        "entities signing the contractual arrangements for providing ICT services (intra-group)",
        {
            "c0010": "contractual arrangement reference number",
            "c0020": "LEI of the entity providing ICT services",
        },
    ),
    "b_05.01": (
        "ICT third-party service providers",
        {
            "c0010": "identification code of the ICT third-party service provider",
            "c0020": "type of code to identify the ICT third-party service provider",
            "c0030": "additional identification code of the ICT third-party service provider",
            "c0040": "type of additional identification code of the ICT third-party service provider",
            "c0050": "legal name of the ICT third-party service provider",
            "c0060": "name of the ICT third-party service provider in Latin alphabet",
            "c0070": "type of person of the ICT third-party service provider",
            "c0080": "country of the ICT third-party service provider's headquarters",
            "c0090": "currency of the amount reported in c0100",
            "c0100": "total annual expense or estimated cost of the ICT third-party service provider",
            "c0110": "identification code of the provider's ultimate parent undertaking",
            "c0120": "type of code to identify the provider's ultimate parent undertaking",
        },
    ),
    "b_05.02": (
        "ICT service supply chains",
        {
            "c0010": "contractual arrangement reference number",
            "c0020": "type of ICT services",
            "c0030": "identification code of the ICT third-party service provider",
            "c0040": "type of code to identify the ICT third-party service provider",
            "c0050": "rank",
            "c0060": "identification code of the recipient of sub-contracted ICT services",
            "c0070": "type of code to identify the recipient of sub-contracted ICT services",
        },
    ),
    "b_06.01": (
        "functions identification",
        {
            "c0010": "function identifier",
            "c0020": "licensed activity",
            "c0030": "function name",
            "c0040": "LEI of the financial entity",
            "c0050": "criticality or importance assessment",
            "c0060": "reasons for criticality or importance",
            "c0070": "date of the last assessment of criticality or importance",
            "c0080": "recovery time objective of the function (hours)",
            "c0090": "recovery point objective of the function (hours)",
            "c0100": "impact of discontinuing the function",
        },
    ),
    "b_07.01": (
        "assessment of the ICT services",
        {
            "c0010": "contractual arrangement reference number",
            "c0020": "identification code of the ICT third-party service provider",
            "c0030": "type of code to identify the ICT third-party service provider",
            "c0040": "type of ICT services",
            "c0050": "substitutability of the ICT third-party service provider",
            "c0060": "reason if the provider is considered not substitutable or difficult to substitute",
            "c0070": "date of the last audit on the ICT third-party service provider",
            "c0080": "existence of an exit plan",
            "c0090": "possibility of reintegration of the contracted ICT service",
            "c0100": "impact of discontinuing the ICT services",
            "c0110": "are there alternative ICT third-party service providers identified?",
            "c0120": "identification of alternative ICT third-party service providers",
        },
    ),
}
"""Template (lower case, as the file is named) -> (its title, {column code: meaning})."""

CRITICAL = "eba_BT:x28"
"""B_06.01 c0050 ``Yes``: the function is critical or important."""

OPEN_END = "9999-12-31"
"""The end date the templates use for an arrangement without an end date."""

STAND_IN = "DORA ICT service type (stand-in lot)"
"""``extra["stand_in"]`` of a lot made from an ICT service type."""

_ICT_SERVICES = {
    "S01": "ICT project management",
    "S02": "ICT development",
    "S03": "ICT help desk and first level support",
    "S04": "ICT security management services",
    "S05": "Provision of data",
    "S06": "Data analysis",
    "S07": "ICT facilities and hosting services (excluding cloud services)",
    "S08": "Computation",
    "S09": "Non-cloud data storage",
    "S10": "Telecom carrier",
    "S11": "Network infrastructure",
    "S12": "Hardware and physical devices",
    "S13": "Software licencing (excluding SaaS)",
    "S14": "ICT operation management (including maintenance)",
    "S15": "ICT consulting",
    "S16": "ICT risk management",
    "S17": "Cloud services: IaaS",
    "S18": "Cloud services: PaaS",
    "S19": "Cloud services: SaaS",
}

CODES: dict[str, str] = {
    **{f"eba_TA:{k}": v for k, v in _ICT_SERVICES.items()},
    # yes / no / assessment not performed (criticality, exit plan, alternatives, storage)
    "eba_BT:x28": "Yes",
    "eba_BT:x29": "No",
    "eba_BT:x21": "Assessment not performed",
    # levels: sensitiveness, impact of discontinuing; reliance; reintegration
    "eba_ZZ:x791": "Low",
    "eba_ZZ:x792": "Medium",
    "eba_ZZ:x793": "High",
    "eba_ZZ:x799": "Assessment not performed",
    "eba_ZZ:x794": "Not significant",
    "eba_ZZ:x795": "Low reliance",
    "eba_ZZ:x796": "Material reliance",
    "eba_ZZ:x797": "Full reliance",
    "eba_ZZ:x798": "Easy",
    "eba_ZZ:x966": "Difficult",
    "eba_ZZ:x967": "Highly complex",
    "eba_ZZ:x0": "Not applicable",
    # substitutability and the reason for it
    "eba_ZZ:x959": "Not substitutable",
    "eba_ZZ:x960": "Highly complex substitutability",
    "eba_ZZ:x961": "Medium complexity in terms of substitutability",
    "eba_ZZ:x962": "Easily substitutable",
    "eba_ZZ:x963": "Lack of real alternatives",
    "eba_ZZ:x964": "Difficulties in migrating or reintegrating",
    "eba_ZZ:x965": "Lack of real alternatives and difficulties in migrating or reintegrating",
    # is the entity making use of the services a branch
    "eba_ZZ:x838": "Branch of a financial entity",
    "eba_ZZ:x839": "Not a branch",
    # type of contractual arrangement; reason of termination
    "eba_CO:x1": "Standalone arrangement",
    "eba_CO:x2": "Overarching arrangement",
    "eba_CO:x3": "Subsequent or associated arrangement",
    "eba_CO:x4": "Termination not for cause: expired and not renewed",
    "eba_CO:x5": "Termination for cause: provider in breach of law, regulation or contract",
    "eba_CO:x6": "Termination for cause: impediments of the provider capable of altering the function",
    "eba_CO:x7": "Termination for cause: weaknesses in the management and security of data",
    "eba_CO:x8": "Termination as requested by the competent authority",
    "eba_CO:x9": "Other reasons for termination",
    # type of person of the provider
    "eba_CT:x212": "Legal person, excluding individuals acting in a business capacity",
    "eba_CT:x213": "Individual acting in a business capacity",
    # type of code identifying a provider or parent
    "eba_qCO:qx2000": "LEI",
    "eba_qCO:qx2001": "NIN (national identity number)",
    "eba_qCO:qx2002": "EUID",
    "eba_qCO:qx2003": "CRN (country code + national registration number)",
    "eba_qCO:qx2004": "VAT number",
    "eba_qCO:qx2005": "PNR (passport number)",
    "eba_GA:qx2007": "Not applicable",
}
"""Closed-list code -> its readable value (English, as in the EBA's lists)."""


def readable(code: str) -> str | None:
    """The readable value of a closed-list code, or None when the code is not known.

    Countries (``eba_GA:NL``) read as their ISO 3166 code, currencies (``eba_CU:EUR``,
    ``iso4217:EUR``) as their ISO 4217 code.

    >>> readable("eba_TA:S01")
    'ICT project management'
    >>> readable("eba_CU:EUR"), readable("eba_GA:NL"), readable("eba_XX:x1") is None
    ('EUR', 'NL', True)
    """
    found = CODES.get(code)
    if found is not None:
        return found
    prefix, sep, local = code.partition(":")
    if not sep:
        return None
    if prefix == "eba_GA" and len(local) == 2 and local.isalpha() and local.isupper():
        return local
    if prefix in ("eba_CU", "iso4217") and len(local) == 3 and local.isalpha() and local.isupper():
        return local
    return None


def meaning(template: str, code: str) -> str:
    """``b_02.02 c0030 (identification code of the ICT third-party service provider)``."""
    columns = TEMPLATES.get(template, ("", {}))[1]
    what = columns.get(code)
    return f"{template} {code}" + (f" ({what})" if what else "")
