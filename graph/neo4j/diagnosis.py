"""What a driver error means, in one line with its fix: TLS, credentials, unavailability, refusals.

The messages name the settings concerned as :class:`~sourcing_graph.errors.Mention` parts (the CLI
names them by its options and variables); the password never appears in them.
"""

from __future__ import annotations

import re
import socket
import ssl
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from neo4j import exceptions as nx

from sourcing_graph.errors import LoadError, Mention, Neo4jUnavailableError
from sourcing_graph.graph.neo4j.settings import (
    DATABASE,
    PASSWORD,
    TRUSTED_CA,
    USER,
    Neo4jSettings,
)
from sourcing_graph.text import visible

_MEMORY_HINTS = ("OutOfMemory", "MemoryPool", "MemoryLimit", "Database.Unknown")


class Diagnosis(NamedTuple):
    """What went wrong (message parts) and the setting that would fix it."""

    parts: tuple[str | Mention, ...]
    setting: str


def causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc``, the exceptions it was raised from and, for exception groups, their members."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.extend(getattr(current, "exceptions", None) or ())
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)


def is_connection_error(exc: BaseException) -> bool:
    """The connection failed or was lost (not a refusal of the credentials)."""
    return isinstance(
        exc,
        (
            nx.ServiceUnavailable,
            nx.SessionExpired,
            nx.IncompleteCommit,
            ConnectionError,
            BrokenPipeError,
            nx.DriverError,
        ),
    ) and not isinstance(exc, nx.AuthError)


def is_auth_error(exc: BaseException) -> bool:
    """The server refused the login: wrong credentials, or too many wrong ones in a row."""
    return isinstance(exc, nx.AuthError) or (
        isinstance(exc, nx.Neo4jError) and (exc.code or "").endswith(".AuthenticationRateLimit")
    )


def read_only_refusal(exc: Any) -> bool:
    """Whether the server refused a write: a user without write rights (``Forbidden``), a READ
    session (``AccessMode``) or a read-only database (``WriteOnReadOnlyAccessDatabase``)."""
    code = getattr(exc, "code", None) or ""
    return any(part in code for part in ("Forbidden", "AccessMode", "ReadOnly"))


def not_ready(exc: BaseException, settings: Neo4jSettings) -> bool:
    """Whether ``exc`` means "unavailable or not ready yet" (worth waiting for), never a refusal."""
    if isinstance(exc, (nx.AuthError, nx.ConfigurationError, nx.Forbidden)):
        return False
    found = list(causes(exc))
    if any(isinstance(c, ssl.SSLError) for c in found):
        return False  # a certificate or TLS mismatch does not mend itself: say so at once
    if (
        not _encrypted(settings)
        and any("handshake" in str(c).lower() for c in found)
        and speaks_tls(settings.uri)
    ):
        return False  # a plain connection to a server that requires TLS: no use waiting
    if isinstance(exc, nx.Neo4jError):
        code = exc.code or ""
        return isinstance(exc, nx.TransientError) or "DatabaseUnavailable" in code
    return isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired, OSError))


def _encrypted(settings: Neo4jSettings) -> bool:
    return "+" in settings.uri.partition("://")[0] or settings.trusted_ca is not None


def tls_problem(settings: Neo4jSettings, exc: BaseException) -> Diagnosis | None:
    """What went wrong with TLS, with the fix, or None when it was not TLS."""
    found = list(causes(exc))
    base = settings.uri.partition("://")[0].lower().split("+")[0]
    for cause in found:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return _untrusted(settings, (cause.verify_message or str(cause)).rstrip("."), base)
    if (
        not _encrypted(settings)
        and any("handshake" in str(c) for c in found)
        and speaks_tls(settings.uri)
    ):
        return Diagnosis(
            (
                f"the server requires an encrypted connection; use {base}+s:// (with ",
                Mention("trusted_ca", "a trusted CA file", "flag"),
                f" when its certificate is signed by your own CA) or {base}+ssc://",
            ),
            "uri",
        )
    for cause in found:
        if isinstance(cause, ssl.SSLError):
            return Diagnosis(
                (
                    f"the TLS handshake failed ({cause.reason or type(cause).__name__}); if the "
                    f"server does not use TLS on Bolt, connect with {base}:// instead",
                ),
                "uri",
            )
    return None


def _untrusted(settings: Neo4jSettings, detail: str, base: str) -> Diagnosis:
    """The server's certificate failed verification: which way, and the fix."""
    if "mismatch" in detail:
        return Diagnosis(
            (
                f"the server's TLS certificate does not name the host of the URI ({detail}); "
                "connect with a host name the certificate names",
            ),
            "uri",
        )
    if settings.trusted_ca is not None:
        return Diagnosis(
            (
                f"the server's TLS certificate is not trusted ({detail}): it is not signed by the "
                "CA in ",
                TRUSTED_CA,
                f" {str(settings.trusted_ca)!r}",
            ),
            "trusted_ca",
        )
    return Diagnosis(
        (
            f"the server's TLS certificate is not trusted ({detail}); trust the CA that signed it "
            "with ",
            Mention("trusted_ca", "a trusted CA file (Neo4jSettings.trusted_ca)", "option"),
            " or ",
            Mention("system_ca", "the system's trusted CAs"),
            f", or use {base}+ssc:// to accept any certificate",
        ),
        "trusted_ca",
    )


def speaks_tls(uri: str) -> bool:
    """True when the server at ``uri`` completes a TLS handshake (certificate not checked)."""
    parts = urlsplit(uri)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((parts.hostname or "", parts.port or 7687), timeout=5) as raw,
            context.wrap_socket(raw, server_hostname=parts.hostname),
        ):
            return True
    except (OSError, ValueError):
        return False


def load_failed(settings: Neo4jSettings, exc: BaseException, contracts: int) -> LoadError | None:
    """A server-side failure of a load as one clear message (None: not a Neo4j error).

    The commonest cause is memory: a register loads in one transaction, which must fit in the
    server's heap and transaction memory limits (Neo4j says "Unable to complete transaction" when
    its heap runs out at commit).
    """
    if not isinstance(exc, nx.Neo4jError):
        return None
    code = exc.code or type(exc).__name__
    message = visible((exc.message or "").splitlines()[0] if exc.message else "")[:300]
    parts: list[str | Mention] = [
        f"Neo4j at {settings.uri} could not complete the load ({code}: {message}); nothing of this "
        "load was committed and the previously loaded register is intact"
    ]
    if read_only_refusal(exc):
        parts.append(
            ". The server refuses writes here (a read-only database, or a user without write "
            "rights): load into a writable database, or as a user who may write"
        )
    elif any(hint in code or hint in message for hint in _MEMORY_HINTS):
        limit = re.search(r"\b((?:db|dbms)\.memory\.transaction\.[a-z_.]*max)\b", message)
        parts.append(
            f". A register loads in one transaction ({contracts:,} contracts here); if the server "
            "ran out of memory (its debug.log says so), "
        )
        if limit:  # the server named the limit the load went over
            parts.append(f"raise {limit.group(1)} in the server's configuration")
        else:
            parts.extend(
                (
                    "give it more heap (",
                    Mention("server_heap", "server.memory.heap.max_size"),
                    ") or a higher db.memory.transaction.total.max",
                )
            )
        parts.extend(
            (
                ", then load again; or load in bounded transactions (",
                Mention("batched", "batched=True"),
                ")",
            )
        )
    return LoadError(*parts)


def reason(settings: Neo4jSettings, exc: BaseException) -> str:
    """The cause in one short line, without the password."""
    text = str(exc)
    errno = re.search(r"reason (\[Errno \d+\] [^)\n]*)", text)
    found = errno.group(1) if errno else (text.splitlines()[0] if text else type(exc).__name__)
    if settings.password:
        found = found.replace(settings.password, "***")
    return found


def unavailable(
    settings: Neo4jSettings, exc: BaseException, waited: float | None = None
) -> Neo4jUnavailableError:
    """``exc`` (a failure to reach or use the server) as one line naming the URI and the fix."""
    found = list(causes(exc))
    check = (" (check ", USER, " and ", PASSWORD, ")")
    if any(is_auth_error(c) and not isinstance(c, nx.AuthError) for c in found):
        return Neo4jUnavailableError(
            f"Neo4j at {settings.uri} refused the login of user {settings.user!r} after too many "
            "wrong passwords in a row; it accepts the right one again after a few seconds",
            *check,
            setting="password",
        )
    if any(isinstance(c, nx.AuthError) for c in found):
        return Neo4jUnavailableError(
            f"Neo4j at {settings.uri} refused the credentials of user {settings.user!r}",
            *check,
            setting="password",
        )
    if isinstance(exc, nx.Neo4jError) and "DatabaseNotFound" in (exc.code or ""):
        return Neo4jUnavailableError(
            f"Neo4j at {settings.uri} has no database {settings.database!r} (check ",
            DATABASE,
            ")",
            setting="database",
        )
    head = f"cannot reach Neo4j at {settings.uri}"
    if waited is not None:
        head += f" after waiting {waited:.0f} s"
    tls = tls_problem(settings, exc)
    if tls is not None:
        return Neo4jUnavailableError(f"{head}: ", *tls.parts, setting=tls.setting)
    return Neo4jUnavailableError(f"{head}: {reason(settings, exc)}", setting="uri")


def after_failed_load(
    settings: Neo4jSettings,
    exc: Exception,
    contracts: int,
    *,
    committing: bool,
    landed: Callable[[], bool | None],
) -> Exception | None:
    """The error that says what a failed load of ``contracts`` contracts left behind: ``exc``
    itself when nothing clearer is known. None when the connection dropped during the commit
    (``committing``) and Neo4j confirms the load was committed: ``landed()`` (asked only then)
    says whether it was, None when it cannot tell."""
    if is_auth_error(exc):
        return unavailable(settings, exc)
    if not is_connection_error(exc):
        return load_failed(settings, exc, contracts) or exc
    uri = settings.uri
    if not committing:
        return Neo4jUnavailableError(
            f"lost the connection to Neo4j at {uri} during the load; nothing of "
            "this load was committed and the previously loaded register is intact"
        )
    outcome = landed()
    if outcome is None:
        return Neo4jUnavailableError(
            f"lost the connection to Neo4j at {uri} while committing the load and could "
            "not reach it again to check: the load may or may not have been committed; "
            "run it again (a load replaces whatever register is there)"
        )
    if not outcome:
        return Neo4jUnavailableError(
            f"lost the connection to Neo4j at {uri} while committing the load; Neo4j "
            "confirms it was not committed and the previously loaded register is intact"
        )
    return None
