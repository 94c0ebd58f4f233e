"""Clarity notes (SPEC §2, §6 ``lint.notes``): what makes a networking mail easy to answer.

Not pitfalls: they never change the exit code. A follow-up (a recipient who has not answered my
last message yet) should carry one clear question or ask and stay short; any mail reads easier
with a single ask; a subject should be there and be short.
"""

from __future__ import annotations

from collections.abc import Sequence

from netguard.analysis.model import RecipientContext
from netguard.lint.document import Document, Sentence
from netguard.lint.lexicon import Lexicon
from netguard.lint.model import LintNote
from netguard.lint.roles import is_question, sentences_with
from netguard.texts import text


def _asks(doc: Document, lex: Lexicon) -> list[Sentence]:
    """Sentences that ask the reader something: a question, or a request without "?"; small
    talk ("how are you?") is not an ask."""
    small_talk = sentences_with(doc, lex.notes.small_talk)
    requests = sentences_with(doc, lex.notes.request)
    return [s for s in doc.sentences if s.start not in small_talk
            and (is_question(doc, s) or s.start in requests)]


def _is_follow_up(recipients: Sequence[RecipientContext]) -> bool:
    return any(r.has_history and r.streak_length > 0 for r in recipients)


def _kinds(doc: Document, lex: Lexicon, recipients: Sequence[RecipientContext],
           subject: str | None) -> list[tuple[str, dict[str, object]]]:
    kinds: list[tuple[str, dict[str, object]]] = []
    asks = len(_asks(doc, lex)) if doc.words else 0
    if _is_follow_up(recipients) and doc.words and asks == 0:
        kinds.append(("no-ask", {}))
    if asks > lex.notes.max_asks:
        kinds.append(("many-asks", {"count": asks}))
    if _is_follow_up(recipients) and len(doc.words) > lex.notes.max_follow_up_words:
        kinds.append(("long", {"words": len(doc.words), "limit": lex.notes.max_follow_up_words}))
    if subject is not None and not subject.strip():
        kinds.append(("subject-empty", {}))
    elif subject is not None and len(subject.strip()) > lex.notes.max_subject_chars:
        kinds.append(("subject-long", {"chars": len(subject.strip()),
                                        "limit": lex.notes.max_subject_chars}))
    return kinds


def clarity_notes(doc: Document, lex: Lexicon, recipients: Sequence[RecipientContext] = (),
                  subject: str | None = None) -> tuple[LintNote, ...]:
    """The clarity notes for a draft (``subject`` None: not known, so not judged)."""
    return tuple(
        LintNote(kind, text("lint", lex.language, f"note_{kind.replace('-', '_')}", **values))
        for kind, values in _kinds(doc, lex, recipients, subject))
