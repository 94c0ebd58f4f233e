"""The watcher reads the text of any draft, however broken the MIME (hostile input)."""

from __future__ import annotations

from pathlib import Path

from netguard.watch import body_text


def test_body_text_never_raises_on_the_malformed_corpus(corpora: Path) -> None:
    files = [path for path in sorted(corpora.rglob("*")) if path.is_file()]
    assert files
    for path in files:
        assert isinstance(body_text(path.read_bytes()), str), path


def test_body_text_prefers_plain_text_and_decodes_it() -> None:
    raw = (b"To: a@example.org\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/alternative; boundary=b\r\n\r\n"
           b"--b\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n"
           b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n"
           b"Content-Transfer-Encoding: quoted-printable\r\n\r\nCaf=C3=A9 morgen?\r\n--b--\r\n")
    assert body_text(raw).strip() == "Café morgen?"
