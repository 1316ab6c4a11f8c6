"""For the credentials and TLS tests: searching outputs for a password (every encoding it could
leak in, and every piece of it), the connection variables, a free port."""

from __future__ import annotations

import base64
import html
import json
import secrets
import socket
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, quote_plus

# Every variable that configures a connection; tests set exactly the ones they mean.
CONNECTION_VARIABLES = (
    "NEO4J_URI",
    "NEO4J_USER",
    "NEO4J_PASSWORD",
    "NEO4J_DATABASE",
    "NEO4J_TRUSTED_CA",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
)

TOTAL = {"outputs": 0}
"""How many outputs every :class:`LeakCheck` of this test session has searched."""


def distinctive(tag: str) -> str:
    """A password nobody else uses, with characters that every encoding changes."""
    return f"Pw-{tag}-{secrets.token_hex(6)}-p@ss w/rd#%&?+<>'\"é"


# -- the search --------------------------------------------------------------------------------


def encodings(password: str, users: tuple[str, ...]) -> dict[str, str]:
    """Every form in which a leaked ``password`` could show up in an output."""
    forms = {
        "raw": password,
        "URL-quoted": quote(password, safe=""),
        "URL-quoted (path)": quote(password),
        "form-quoted": quote_plus(password),
        "JSON": json.dumps(password)[1:-1],
        "JSON (ASCII)": json.dumps(password, ensure_ascii=True)[1:-1],
        "HTML": html.escape(password),
        "repr": repr(password)[1:-1],
        "base64": base64.b64encode(password.encode()).decode(),
    }
    # every 10 characters in a row: a truncated, split or partly masked leak
    for start in range(max(len(password) - 9, 1)):
        forms[f"characters {start + 1}-{start + 10}"] = password[start : start + 10]
    for user in users:
        forms[f"base64 of {user}:password"] = base64.b64encode(
            f"{user}:{password}".encode()
        ).decode()
    return forms


@dataclass
class LeakCheck:
    """Searches outputs for every password in every encoding; collects what it finds."""

    passwords: dict[str, str]
    users: tuple[str, ...] = ("neo4j",)
    checked: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)

    def check(self, where: str, text: str | bytes) -> None:
        if isinstance(text, bytes):
            text = text.decode("utf-8", errors="replace")
        self.checked.append(where)
        for label, password in self.passwords.items():
            for form, needle in encodings(password, self.users).items():
                if needle and needle in text:
                    self.found.append(f"{where}: the {label} password ({form})")

    def exception(self, where: str, exc: BaseException) -> None:
        """The exception, everything it was raised from, as str, repr, args and traceback."""
        self.check(f"{where} traceback", "".join(traceback.format_exception(exc)))
        seen: set[int] = set()
        todo: list[BaseException] = [exc]
        while todo:
            current = todo.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            name = type(current).__name__
            self.check(f"{where} {name} str", str(current))
            self.check(f"{where} {name} repr", repr(current))
            self.check(f"{where} {name} args", repr(current.args))
            todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)
            todo.extend(getattr(current, "exceptions", None) or ())

    def files(self, where: str, folder: Path) -> list[Path]:
        written = sorted(p for p in folder.rglob("*") if p.is_file())
        for path in written:
            self.check(f"{where} file {path.name}", path.read_bytes())
        return written

    def assert_clean(self) -> None:
        TOTAL["outputs"] += len(self.checked)
        assert self.checked
        assert not self.found, "\n".join(self.found)


def free_port() -> int:
    """A loopback port nothing listens on (right now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
