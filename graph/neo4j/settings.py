"""Where and how to connect to Neo4j: the checked settings, and the driver's URI and encryption."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import neo4j

from sourcing_graph.errors import ConnectionSettingsError, Mention

URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

# The settings as error messages name them (the CLI names them by its options and variables).
URI = Mention("uri", "the URI")
USER = Mention("user", "the user name")
PASSWORD = Mention("password", "the password")
DATABASE = Mention("database", "the database name")
TRUSTED_CA = Mention("trusted_ca", "the trusted CA file")

DEFAULT_RETRY_TIME = 30.0
"""Seconds a transaction is retried by default (the driver's own default; a cluster's leader
election can take that long)."""

NOTIFICATION_LEVELS = ("off", "deprecations", "warnings", "all")
"""What the server may tell about the store's own queries, from nothing to everything."""
DEFAULT_NOTIFICATIONS = "deprecations"


@dataclass(frozen=True)
class Neo4jSettings:
    """Where and how to connect. The password never appears in ``repr`` or messages.

    ``trusted_ca`` is a PEM file of the CA certificate(s) that signed the server's certificate
    (a self-hosted server with its own CA): the connection is then encrypted and trusts only
    those CAs, also for ``bolt://``/``neo4j://`` URIs. ``+s`` URIs without it trust the system's
    CAs (which honour ``SSL_CERT_FILE``); ``+ssc`` URIs accept any certificate.
    A URI with credentials in it (``user:password@host``) is refused and never echoed.
    Refused values raise :class:`ConnectionSettingsError` with the ``setting`` they concern.
    """

    uri: str
    user: str = "neo4j"
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    trusted_ca: str | None = None
    wait: float = 0.0
    """Seconds :meth:`Neo4jStore.connect` keeps retrying while the server is not (yet) available."""
    retry_time: float = DEFAULT_RETRY_TIME
    """Seconds the driver keeps retrying a transaction that failed for a passing reason (a
    leader election in a cluster, a lost connection) before it gives up."""
    notifications: str = DEFAULT_NOTIFICATIONS
    """Which of the server's notifications about the store's own queries the driver asks for and
    logs (logger ``neo4j.notifications``): ``off``; ``deprecations`` (deprecated and unsupported
    features: what a coming Neo4j version removes); ``warnings`` (every warning, also an unknown
    label or property); ``all`` (also performance hints and other information). A person's query
    (``sourcing-graph query``) gets them all whatever this says."""

    def __post_init__(self) -> None:
        if not self.wait >= 0:
            raise ConnectionSettingsError(
                f"the wait for Neo4j must be a number of seconds >= 0, not {self.wait!r}",
                setting="wait",
            )
        if not self.retry_time >= 0:
            raise ConnectionSettingsError(
                "the retry time for Neo4j transactions must be a number of seconds >= 0, "
                f"not {self.retry_time!r}",
                setting="retry_time",
            )
        if self.notifications not in NOTIFICATION_LEVELS:
            raise ConnectionSettingsError(
                f"the Neo4j notifications setting must be one of {', '.join(NOTIFICATION_LEVELS)}, "
                f"not {self.notifications!r}",
                setting="notifications",
            )
        self._check_uri()
        if self.trusted_ca is not None:
            self._check_trusted_ca()

    def _check_uri(self) -> None:
        shown = redact_uri(self.uri)
        if "@" in self.uri.partition("://")[2]:
            raise ConnectionSettingsError(
                URI,
                f" {shown!r} holds credentials; put the user in ",
                Mention("user", "Neo4jSettings.user", "option"),
                " and the password in ",
                Mention("password", "Neo4jSettings.password", "option"),
                ", never in the URI",
                setting="uri",
            )
        try:
            parts = urlsplit(self.uri)
        except ValueError as exc:
            raise ConnectionSettingsError(
                URI, f" {shown!r} is not a valid URI: {exc}", setting="uri"
            ) from None
        if parts.scheme.lower() not in URI_SCHEMES:
            raise ConnectionSettingsError(
                URI,
                f" {shown!r} is not a Neo4j URI; expected one starting with "
                + ", ".join(f"{s}://" for s in URI_SCHEMES),
                setting="uri",
            )
        if not parts.hostname:
            raise ConnectionSettingsError(URI, f" {shown!r} names no host", setting="uri")

    def _check_trusted_ca(self) -> None:
        scheme = self.uri.partition("://")[0].lower()
        if scheme.endswith("+ssc"):
            raise ConnectionSettingsError(
                TRUSTED_CA,
                f" cannot be used with {scheme}:// (which accepts any certificate); use "
                f"{scheme[:-4]}+s:// or {scheme[:-4]}:// with it",
                setting="trusted_ca",
            )
        if not Path(str(self.trusted_ca)).is_file():
            raise ConnectionSettingsError(
                TRUSTED_CA,
                f" {str(self.trusted_ca)!r} is not a file (expected the PEM certificate of the CA "
                "that signed the server's certificate)",
                setting="trusted_ca",
            )


def redact_uri(uri: str) -> str:
    """``uri`` with anything between ``://`` and the last ``@`` (user, password) as ``***``."""
    scheme, sep, rest = uri.partition("://")
    if "@" not in rest:
        return uri
    return f"{scheme}{sep}***@{rest.rpartition('@')[2]}"


def driver_security(settings: Neo4jSettings) -> tuple[str, dict[str, Any]]:
    """The URI and encryption settings for the driver.

    The driver takes ``encrypted``/``trusted_certificates`` only with ``bolt://``/``neo4j://``, so a
    custom CA turns ``neo4j+s://`` into ``neo4j://`` with encryption on and exactly that CA trusted
    (``+s`` means the same thing with the system's CAs).
    """
    if settings.trusted_ca is None:
        return settings.uri, {}
    try:
        ssl.create_default_context(cafile=str(settings.trusted_ca))
    except (ssl.SSLError, OSError) as exc:
        raise ConnectionSettingsError(
            TRUSTED_CA,
            f" {str(settings.trusted_ca)!r} holds no usable PEM certificate: "
            f"{getattr(exc, 'reason', None) or exc}",
            setting="trusted_ca",
        ) from None
    scheme, sep, rest = settings.uri.partition("://")
    plain = scheme.lower().removesuffix("+s")
    return f"{plain}{sep}{rest}", {
        "encrypted": True,
        "trusted_certificates": neo4j.TrustCustomCAs(str(settings.trusted_ca)),
    }
