"""The trained lint model (netguard/lint/learned.py, verdict.py): it finds a pitfall put in words
the rules do not know, never without a cue of the rule's kind, and keeps quiet without weights.
The figures across writers are in test_lint_eval.py; these are the mechanics."""

from __future__ import annotations

import subprocess
import sys

import pytest

from netguard.lint.engine import lint, prepare, rule_findings
from netguard.lint.features import features, lemma
from netguard.lint.learned import model, possible
from netguard.lint.verdict import decide

# Written for this test (in no labelled set): gossip without a harsh word, a boast without a
# listed phrase. The rules alone miss them.
GOSSIP = {
    "en": ("Hi Sam,\n\nYou asked about Brightline Media for the new site. Last spring they "
           "delivered our brochure three weeks late, with half the photos out of focus. I would "
           "double-check everything they send you.\n\nBest,\nLeo\n"),
    "nl": ("Hoi Sam,\n\nJe vroeg naar Brightline Media voor de nieuwe site. Vorig voorjaar "
           "leverden ze onze brochure drie weken te laat, met de helft van de foto's onscherp. Ik "
           "zou alles wat ze sturen goed nalopen.\n\nGroet,\nLeo\n"),
}
BOAST_NL = ("Hoi Sam,\n\nIk heb dit jaar veertig workshops gegeven en elke deelnemer vond ze de "
            "beste ooit. Niemand in de regio komt in de buurt.\n\nGroet,\nLeo\n")


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_model_finds_gossip_put_without_a_harsh_word(language: str) -> None:
    text = GOSSIP[language]
    assert "gossip" not in rule_findings(prepare(text))
    [found] = lint(text).findings
    assert found.rule == "gossip" and found.pitfall == 3
    sentence = text[found.start:found.end]
    assert sentence.endswith(".") and ("late" in sentence or "te laat" in sentence)
    assert f'"{sentence}"' in found.message and "Brightline Media" in found.message


def test_the_model_finds_a_boast_the_rules_miss() -> None:
    assert rule_findings(prepare(BOAST_NL)) == {}
    assert [f.rule for f in lint(BOAST_NL).findings] == ["exaggeration"]


# A pushy phrase the rules know, then a second pushy sentence in words they do not: both are
# marked (the second used to go unmarked beside the rule's hit). Written for this test.
TWICE_PUSHY = {
    "nl": ("Hoi Sanne,\n\nIk wilde even checken of je mijn vorige mail al gelezen hebt. Ik heb "
           "echt snel antwoord nodig, want anders loop ik deze klus mis!!\n\nGroet, Piet\n",
           "mijn vorige mail", "Ik heb echt snel antwoord nodig"),
    "en": ("Hi Sam,\n\nJust checking whether you read my last email. I really need an answer "
           "fast, or I will lose this job!!\n\nBest, Piet\n",
           "my last email", "I really need an answer fast"),
}
CALM_BESIDE = {
    "nl": "De foto's van de opening staan in de gedeelde map, kijk maar wanneer het je uitkomt.",
    "en": "The photos of the opening are in the shared folder, have a look whenever it suits you.",
}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_second_pushy_sentence_is_marked_beside_the_rules_hit(language: str) -> None:
    text, known, other = TWICE_PUSHY[language]
    found = lint(text).findings
    assert [f.rule for f in found] == ["pushy-wording", "pushy-wording"]
    assert found[0].text == known
    assert found[1].text.startswith(other) and found[1].text.endswith("!!")


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_calm_sentence_beside_the_rules_hit_stays_unmarked(language: str) -> None:
    text, known, other = TWICE_PUSHY[language]
    start = text.index(other)
    calm = text[:start] + CALM_BESIDE[language] + text[text.index("!!") + 2:]
    assert [f.text for f in lint(calm).findings] == [known]


def test_without_weights_the_rules_decide() -> None:
    text = GOSSIP["en"] + "\nThey are total amateurs, Brightline Media.\n"
    check = prepare(text)
    found = rule_findings(check)
    assert set(found) == {"gossip"}
    assert decide(check, found, {}) == found["gossip"]
    assert decide(check, {}, {}) == []


def test_no_finding_without_a_cue_of_the_rules_kind() -> None:
    """However the words weigh, gossip needs a judgement tied to a named party, an ask after a
    silence a request, and a close-the-loop never presses."""
    check = prepare("Hi Sam,\n\nThe train was late again, so I missed the start. How was it?\n")
    sentences = [names for _, names in features(check, frozenset()).sentences]
    every = set().union(*sentences)
    assert not possible("gossip", every)
    assert not possible("ask-after-silence", every)
    assert not possible("pushy-wording", {"x:release", "c:pressure"})
    assert possible("pushy-wording", {"c:pressure"})


def test_the_lint_runs_on_shipped_tables_without_a_lemmatiser() -> None:
    assert lemma("gemaakt", "nl") == "maken"
    assert lemma("clients", "en") == "client"
    assert lemma("qwertyuiop", "en") == "qwertyuiop"
    assert model("nl") and model("en")
    run = subprocess.run(
        [sys.executable, "-c", "import sys; from netguard.lint import lint; "
         "lint('Ik heb dit jaar de beste workshops gegeven.'); print('simplemma' in sys.modules)"],
        capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
