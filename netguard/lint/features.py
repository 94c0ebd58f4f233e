"""What the trained lint model sees of a draft: features per sentence and of the whole draft.

A sentence's features are its words (as lemma, from a table made with ``simplemma``, and as
written where that differs), word pairs, the lexicon's phrase hits (``x:pushy``, ``x:negative``,
...) and word classes (``c:absolute``, ``c:badwork``, ...), each hit also tied to the sentence's
role: whom it is about (``self``, ``reader``, ``other``) and whether a third party is named in
it or referred back to (``party``); and punctuation (``??``, ``!!``, a question) and negation.
A sentence without any such cue adds no words: to the model it is small talk. The draft's
features are which hand-written rules fired, the recipient context (first message, a
neglected contact) and how the draft speaks of me and of you (counts, in bins).
Words inside quotation marks are someone else's and are left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from netguard.lint.cold import mentions_company
from netguard.lint.document import Sentence, Word
from netguard.lint.findings import Check
from netguard.lint.focus import counts
from netguard.lint.gossip import negated, parties
from netguard.lint.phrases_index import PhraseIndex
from netguard.lint.roles import owner, person
from netguard.resources import resource

_BINS = (1, 2, 3, 5, 8, 12, 20)
# Word classes of gossip's kinds: a cue only beside a named party, so alone they add no words.
_GOSSIP_KINDS = ("c:failing", "c:sarcasm", "c:confide", "c:unlike", "c:p-ironic",
                 "c:p-insinuation", "c:p-failing", "c:p-disparaging")
# Cues that add no words either: warmth towards the reader ("I hope you ...") says an "I" is
# about the reader, the scope of a claim ("van Nederland") weighs a claim; the sentence's words
# stay out, as for small talk.
_WORDLESS = (*_GOSSIP_KINDS, "c:warmth", "c:scope", "c:neg", "c:pos", "c:p-harmless")
_CLAIMS = frozenset({"absolute", "superlative"})
_MARKS = (("??", "??"), ("!!", "!!"), ("%", "%"))
_DIGIT = re.compile(r"\d")
_RATIOS = (1.0, 1.5, 2.0, 3.0, 5.0)
_LENGTHS = (30, 60, 120, 200)


_LEMMAS: dict[str, dict[str, str]] = {}


def use_lemmas(language: str, table: dict[str, str]) -> None:
    """Use ``table`` (word -> lemma) for ``language``: ``tools/train_lint.py`` makes it."""
    _LEMMAS[language] = table


def lemmas(language: str) -> dict[str, str]:
    """The shipped lemma table of ``language`` (``resources/lint/lemmas-<lang>.json``): the
    forms ``simplemma`` knows of the lemmas in the training drafts, so that the lint needs no
    lemmatiser (and no second to load one) at run time."""
    if language not in _LEMMAS:
        path = resource("lint", f"lemmas-{language}.json")
        _LEMMAS[language] = (json.loads(path.read_text(encoding="utf-8"))
                             if path.is_file() else {})
    return _LEMMAS[language]


def lemma(key: str, language: str) -> str:
    """The dictionary form of a lowercase word (``gemaakt`` -> ``maken``), or the word itself."""
    return lemmas(language).get(key, key)


@dataclass(frozen=True, slots=True)
class DraftFeatures:
    sentences: tuple[tuple[Sentence, frozenset[str]], ...]
    draft: tuple[str, ...]


def _role(check: Check, sentence: Sentence) -> str:
    """Whom ``sentence`` is about: the first person it names (I, you, they), or nobody."""
    return person(check, sentence.words) or "none"


def _indexes(check: Check) -> dict[str, tuple[PhraseIndex, ...]]:
    lex = check.lex
    return {
        "x:negative": (lex.negative,),
        "x:exaggeration": (lex.exaggeration.phrases, lex.exaggeration.own),
        "x:exaggeration-weak": (lex.exaggeration.weak,),
        "x:pushy": (lex.pushy.phrases, lex.pushy.own),
        "x:pushy-weak": (lex.pushy.weak,),
        "x:ask": (lex.ask.phrases, lex.ask.own, lex.ask.weak),
        "x:pressing": (lex.pressing,),
        "x:release": (lex.release,),
        "x:homework": (lex.homework,),
        "x:request": (lex.notes.request,),
        "x:inclusive": (lex.inclusive,),
    } | {f"c:{name}": (index,) for name, index in lex.classes}


# Cues a negation takes back ("niet slecht", "not the best", "never once late" stays a claim).
_NEGATABLE = frozenset({"x:negative", "c:badwork", "c:superlative", "x:exaggeration", "c:neg",
                        "c:pos",
                        "c:superlative@self", "c:superlative@reader", "c:superlative@other",
                        "c:superlative@none"})
# The cues each phrase rule's exemptions excuse ("I'll send it by Friday", "coffee sometime?").
_FAMILIES = {
    "exaggeration": ("x:exaggeration", "x:exaggeration-weak", "c:absolute", "c:superlative",
                     *(f"c:{claim}@{who}" for claim in ("absolute", "superlative")
                       for who in ("self", "reader", "other", "none"))),
    "pushy": ("x:pushy", "x:pushy-weak", "x:pressing", "c:pressure", "c:guilt", "c:count"),
    "ask": ("x:ask", "x:request", "c:request"),
    "gossip": ("x:negative", "c:badwork", "c:warning", "c:failing", "c:sarcasm", "c:confide",
               "c:unlike", "c:neg"),
}


_FAMILY = {name: family for family, names in _FAMILIES.items() for name in names}


def _exempt(check: Check, name: str, sentence: Sentence) -> bool:
    """Whether the exemptions of the rule the cue ``name`` belongs to excuse ``sentence``."""
    family = _FAMILY.get(name)
    if family is None:
        return False
    key = (family, sentence.start)
    if key not in check.excused:
        lex = check.lex
        exempt = {"exaggeration": lex.exaggeration.exempt, "pushy": lex.pushy.exempt,
                  "ask": lex.ask.exempt, "gossip": lex.no_gossip}[family]
        check.excused[key] = exempt is not None and exempt.search(
            check.doc.folded, sentence.start, sentence.end) is not None
    return check.excused[key]


def _marked(check: Check, name: str, sentence: Sentence, start: int) -> str:
    """``name`` found at ``start``, marked when a negation or an exemption takes it back."""
    mark = "not+" if name in _NEGATABLE and negated(check, start) else ""
    return f"excused+{mark}{name}" if _exempt(check, name, sentence) else mark + name


def _hits(check: Check) -> dict[int, set[str]]:
    """The lexicon's phrase hits and word classes, by the start of the sentence they begin in;
    a hit right after a negation ("niet slecht", "far from useless") is marked ``not+``, one in
    a sentence a rule's exemptions excuse is marked ``excused+``."""
    found: dict[int, set[str]] = {}
    for name, group in _indexes(check).items():
        for index in group:
            for start, end in index.spans(check.doc):
                sentence = check.doc.sentence_of(start)
                if sentence is not None and not check.doc.quoted(start, end):
                    found.setdefault(sentence.start, set()).add(
                        _marked(check, name, sentence, start))
    return found


def _scare_quotes(check: Check, sentence: Sentence) -> bool:
    return any(sentence.start <= a and b <= sentence.end
               and len(check.doc.masked[a:b].split()) <= 3 for a, b in check.doc.quotations)


def _unquoted(check: Check, sentence: Sentence) -> str:
    """The sentence's text with what stands in quotation marks blanked ("ASAP??" in a subject)."""
    doc = check.doc
    raw = doc.masked[sentence.start:sentence.end]
    for start, end in doc.quotations:
        if sentence.start <= start < sentence.end:
            a, b = start - sentence.start, min(end, sentence.end) - sentence.start
            raw = raw[:a] + " " * (b - a) + raw[b:]
    return raw


def _own_words(check: Check, sentence: Sentence) -> list[Word]:
    quoted = check.doc.quoted
    return [w for w in sentence.words if not quoted(w.start, w.end)]


def _classes(check: Check, sentence: Sentence, words: Sequence[Word]) -> set[str]:
    """The word classes of ``words`` (looked up, and superlatives by their ending)."""
    lex, found = check.lex, set()
    for word in words:
        names = lex.class_words.get(word.key, ())
        if len(word.key) >= 6 and word.key.endswith(lex.superlative_endings):
            names += ("superlative",)  # "fastest", "snelste"
        for name in names:
            found.add(_marked(check, f"c:{name}", sentence, word.start))
            if name in _CLAIMS:  # whose claim: "I'm the fastest", not "your best year"
                who = owner(check, sentence, word.start) or "none"
                found.add(_marked(check, f"c:{name}@{who}", sentence, word.start))
    return found


def _words(check: Check, words: Sequence[Word], out: set[str]) -> None:
    """Adds the lemmas (and the words as written, where they differ), with the words in a
    negation's scope marked ``not-``, and the pairs of lemmas."""
    lex = check.lex
    table, negation, add = lemmas(lex.language), lex.negation, out.add
    keys = [w.key for w in words]
    bases = [table.get(key, key) for key in keys]
    negated = 0  # words still in the scope of a negation ("niet slecht", "not the best")
    for key, base in zip(keys, bases, strict=True):
        if negated:
            if base != key:
                add("w:not-" + key)
            add("l:not-" + base)
            negated -= 1
        else:
            if base != key:
                add("w:" + key)
            add("l:" + base)
        if key in negation:
            add("neg")
            negated = 3
    out.update([f"b:{a} {b}" for a, b in pairwise(bases)])


def _sentence(check: Check, sentence: Sentence, party: bool,
              hits: set[str]) -> frozenset[str]:
    """The features of one sentence; its words only where it carries a cue (a phrase hit, a
    word class, a question, a named party): the rest of a draft is small talk to the model."""
    doc = check.doc
    role = _role(check, sentence)
    words = _own_words(check, sentence) if doc.quotations else sentence.words
    hits = hits | _classes(check, sentence, words)
    if doc.quotations and _scare_quotes(check, sentence):
        hits.add("c:scare-quotes")  # a word or two in quotation marks: 'ambitious'
    out = {f"role:{role}", *hits}
    out.update([f"{role}+{h}" for h in hits])
    if party:
        out.update([f"party+{h}" for h in hits])
    raw = _unquoted(check, sentence)
    out.update([name for name, mark in _MARKS if mark in raw])
    if "?" in raw:  # a question asks something, unless it is small talk ("how have you been?")
        out.add("excused+q" if _exempt(check, "x:ask", sentence) else f"q+{role}")
    if _DIGIT.search(raw):
        out.add("digit")
    if party or "?" in raw or any(not h.endswith(_WORDLESS) for h in hits):
        _words(check, words, out)
    return frozenset(out)


def _binned(name: str, value: float, edges: tuple[float, ...]) -> Iterator[str]:
    return (f"{name}>={edge:g}" for edge in edges if value >= edge)


def _draft(check: Check, fired: frozenset[str]) -> list[str]:
    first, second, _ = counts(check)
    out = [f"rule:{rule}" for rule in sorted(fired)]
    out += ["ctx:cold" for r in check.recipients[:1] if not r.has_history]
    out += ["ctx:neglected" for r in check.recipients[:1] if r.neglected]
    out += ["ctx:their-company" for r in check.recipients[:1] if mentions_company(check, r)]
    out += list(_binned("first", first, _BINS)) + list(_binned("second", second, _BINS))
    out += list(_binned("ratio", first / max(second, 1), _RATIOS))
    out += list(_binned("words", len(check.doc.words), _LENGTHS))
    return out


_CUES = ("c:", "x:", "not+", "excused+")
AT_PARTY = "at-party"  # a sentence that names a third party, or one of the two after it
Featured = tuple[tuple[Sentence, frozenset[str]], ...]


def _naming(named: dict[int, str | None], sentences: Featured) -> list[int]:
    """The places of the sentences that name a third party."""
    return [i for i, (sentence, _) in enumerate(sentences)
            if named.get(sentence.start) is not None]


def _near_party(named: dict[int, str | None], sentences: Featured) -> set[str]:
    """The cues of the two sentences after one that names a third party ("They went with
    Snapshot Studio. Wonky horizons, half of them out of focus.")."""
    return {f"near-party+{n}" for i in _naming(named, sentences)
            for _, names in sentences[i + 1:i + 3] for n in names if n.startswith(_CUES)}


def _at_party(named: dict[int, str | None], sentences: Featured) -> Featured:
    """``sentences``, those about a third party marked ``AT_PARTY``."""
    about = {j for i in _naming(named, sentences) for j in range(i, i + 3)}
    return tuple((s, names | {AT_PARTY} if i in about else names)
                 for i, (s, names) in enumerate(sentences))


# Cues counted over the draft: several different signs of one pitfall say more than one.
_COUNTED = {
    "exaggeration": ("self+c:absolute", "self+c:superlative", "self+x:exaggeration",
                     "none+c:absolute", "none+c:superlative"),
    "pushy": ("c:pressure", "c:guilt", "c:count", "x:pushy", "x:pushy-weak", "x:pressing",
              "c:request"),
    "gossip": tuple(f"party+{cue}" for cue in ("x:negative", "c:badwork", "c:warning",
                                               "c:scare-quotes")),
    "negative": ("party+c:neg", "party+not+c:pos", "other+c:neg"),
    "gossip-kinds": tuple(f"party+{cue}" for cue in _GOSSIP_KINDS),
}


def _counted(sentences: Featured) -> list[str]:
    out = []
    for family, cues in _COUNTED.items():
        count = sum(1 for _, names in sentences for cue in cues if cue in names)
        out += [f"n:{family}>={edge}" for edge in (1, 2, 3, 4) if count >= edge]
    return out


# Signs of a judgement of someone (SPEC §2): several different ones about a party say more
# than one (``n:judged>=k``).
JUDGEMENT = ("x:negative", "c:badwork", "c:warning", "c:scare-quotes", "c:failing", "c:sarcasm",
             "c:confide", "c:unlike", "c:neg", "c:p-ironic", "c:p-insinuation", "c:p-failing",
             "c:p-disparaging")


def _judged(sentences: Featured) -> list[str]:
    """How many different signs of a judgement the sentences about a third party carry: in a
    sentence about the writer or the reader, only those tied to the party named in it."""
    about: set[str] = set()
    for _, names in sentences:
        if AT_PARTY in names:
            mine = "role:self" in names or "role:reader" in names
            about.update(n.removeprefix("party+") for n in names
                         if not mine or n.startswith("party+"))
    count = len(about.intersection(JUDGEMENT))
    return [f"n:judged>={edge}" for edge in (1, 2, 3, 4, 5) if count >= edge]


def features(check: Check, fired: frozenset[str]) -> DraftFeatures:
    """The features of the draft in ``check``; ``fired`` are the rules that fired on it."""
    hits = _hits(check)
    named = parties(check)
    sentences = tuple(
        (s, _sentence(check, s, named.get(s.start) is not None, hits.get(s.start, set())))
        for s in check.doc.sentences)
    near = sorted(_near_party(named, sentences))
    marked = _at_party(named, sentences)
    draft = _draft(check, fired) + near + _counted(sentences) + _judged(marked)
    return DraftFeatures(marked, tuple(draft))
