"""The draft lint (SPEC §2): each rule fires on its pitfall and stays quiet on clean text,
in Dutch and English; spans point at the words; quoted mail and signatures are not linted."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netguard.analysis.model import RecipientContext
from netguard.errors import UsageError
from netguard.lint.document import read
from netguard.lint.engine import lint
from netguard.lint.model import LintResult
from netguard.lint.serialize import result_to_json

COLD = RecipientContext("anna@studiolicht.nl", name="Anna de Vries", first_name="Anna")
QUIET = RecipientContext("bram@example.org", name="Bram Smit", first_name="Bram",
                         has_history=True, neglected=True)
KNOWN = RecipientContext("bram@example.org", name="Bram Smit", first_name="Bram",
                         has_history=True)


def rules(result: LintResult) -> set[str]:
    return {f.rule for f in result.findings}


def spans(text: str, rule: str, **kwargs: object) -> list[str]:
    result = lint(text, **kwargs)  # type: ignore[arg-type]
    return [text[f.start:f.end] for f in result.findings if f.rule == rule]


SELF_NL = ("Hoi Jan,\n\nIk ben Tom en ik ben sinds dit jaar zelfstandig. Ik heb veel ervaring en "
           "mijn portfolio staat online. Ik werk snel en ik ben flexibel, mijn tarieven zijn "
           "scherp. Ik denk dat ik veel kan betekenen en ik hoor graag van je.\n\nGroet,\nTom\n")
SELF_EN = ("Hi Jan,\n\nI'm Tom and I've been a freelancer since this year. I have lots of "
           "experience and my portfolio is online. I work fast and I'm flexible, and my rates "
           "are fair. I think I could add a lot and I'd love to hear from you.\n\nBest,\nTom\n")
BALANCED_NL = ("Hoi Jan,\n\nIk las je artikel over prijsstrategie en moest aan jouw plannen voor "
               "de studio denken. Hoe gaat het met de verbouwing? Als je wilt, stuur ik je de "
               "checklist die ik zelf gebruik; misschien heb je er iets aan voor jouw team.\n")
BALANCED_EN = ("Hi Jan,\n\nI read your article on pricing and thought of your plans for the "
               "studio. How is the renovation going? If you like, I can send you the checklist "
               "I use myself; maybe it helps your team.\n")


@pytest.mark.parametrize("text", [SELF_NL, SELF_EN])
def test_self_focus_fires_on_ikke_ikke_ikke(text: str) -> None:
    result = lint(text)
    assert rules(result) == {"self-focus"}
    finding = result.findings[0]
    assert finding.pitfall == 1
    assert text[finding.start:finding.end] == finding.text
    assert finding.text.startswith(("Ik ", "I'm ", "I "))


@pytest.mark.parametrize("text", [BALANCED_NL, BALANCED_EN])
def test_self_focus_quiet_on_balanced_text(text: str) -> None:
    assert lint(text).findings == ()


def test_self_focus_needs_a_draft_long_enough_to_judge() -> None:
    assert lint("Ik ben er morgen, ik bel je.").findings == ()


@pytest.mark.parametrize(("text", "word", "name"), [
    ("Pas op met Pixel Perfect, dat zijn echt prutsers.", "prutsers", "Pixel Perfect"),
    ("Be careful with Gerald White, he is totally unreliable.", "unreliable", "Gerald White"),
])
def test_gossip_fires_on_judgement_of_a_named_third_party(text: str, word: str,
                                                          name: str) -> None:
    result = lint(text)
    assert [text[f.start:f.end] for f in result.findings] == [word]
    assert result.findings[0].pitfall == 3
    assert name in result.findings[0].message


@pytest.mark.parametrize("text", [
    "Dat project was een ramp, maar we hebben het samen opgelost.",  # no third party
    "Pixel Perfect heeft mooi werk gemaakt voor de bakker.",  # no judgement
    "Ik vond het werk van Studio Kraai helemaal niet slecht.",  # negated
    "The launch was a disaster because of the storm, sadly.",
    "I thought Gerald White's talk was far from useless, actually it was great.",
])
def test_gossip_quiet_without_a_named_judgement(text: str) -> None:
    assert "gossip" not in rules(lint(text))


@pytest.mark.parametrize(("text", "name"), [
    ("Honestly, Pixel Perfect did a sloppy job on our site.", "Pixel Perfect"),
    ("Honestly, Bakker is a bunch of amateurs.", "Bakker"),
    ("Honestly Pixel Perfect did a sloppy job on our site.", "Pixel Perfect"),
    ("Frankly, the agency Pixel did sloppy work.", "Pixel"),
    ("Eerlijk gezegd zijn ze bij Studio Kraai een stel prutsers.", "Studio Kraai"),
    ("Helaas, Studio Kraai heeft er een rommeltje van gemaakt, het is waardeloos.",
     "Studio Kraai"),
])
def test_gossip_names_the_party_not_the_word_that_opens_the_sentence(text: str,
                                                                     name: str) -> None:
    messages = [f.message for f in lint(text).findings if f.rule == "gossip"]
    assert messages and all(m.endswith(f" {name}.") for m in messages), messages


@pytest.mark.parametrize("text", [
    "Honestly, their work was sloppy.",
    "Eerlijk gezegd was het weer een rommeltje.",
    "Unfortunately, the venue's wifi was awful.",
])
def test_a_discourse_word_alone_is_no_party(text: str) -> None:
    assert "gossip" not in rules(lint(text))


def test_gossip_leaves_recipient_and_my_own_name_alone() -> None:
    text = ("Bram, ik vond mijn eigen eerste versie eerlijk gezegd waardeloos; "
            "Tom Bakker zou het anders doen.")
    assert "gossip" not in rules(lint(text, recipients=[KNOWN], my_names=["Tom Bakker"]))
    assert "gossip" in rules(lint(text, recipients=[KNOWN]))


def test_gossip_uses_configured_competitors_in_any_case() -> None:
    text = "Ik hoorde dat jullie ook bij webburo noord een offerte vroegen; dat zijn prutsers."
    assert "gossip" not in rules(lint(text))
    assert spans(text, "gossip", competitors=["Webburo Noord"]) == ["prutsers"]


@pytest.mark.parametrize("text", [
    "Beste Anna,\n\nIk ben freelance vertaler en zoek nieuwe klanten. Zullen we eens bellen?\n",
    "Dear Anna,\n\nI am a freelance translator looking for new clients. Shall we have a call?\n",
])
def test_cold_no_homework_fires_only_for_a_first_message(text: str) -> None:
    result = lint(text, recipients=[COLD])
    assert rules(result) == {"cold-no-homework"}
    assert result.findings[0].pitfall == 5 and "Anna" in result.findings[0].message
    assert lint(text, recipients=[KNOWN]).findings == ()
    assert lint(text).findings == ()


@pytest.mark.parametrize("text", [
    "Beste Anna,\n\nIk schrijf je omdat ik je artikel over kleurpaletten las.\n",
    "Beste Anna,\n\nVia Marloes hoorde ik dat jullie een vertaler zoeken.\n",
    "Dear Anna,\n\nI loved your talk about colour palettes at the meetup.\n",
    "Dear Anna,\n\nMarcus suggested I get in touch with you about the project.\n",
    "Beste Anna,\n\nAls klant van Studio Licht viel me iets op aan de website.\n",  # their domain
])
def test_cold_no_homework_quiet_when_the_draft_says_why_this_person(text: str) -> None:
    assert lint(text, recipients=[COLD]).findings == ()


@pytest.mark.parametrize(("text", "expected"), [
    ("Wij zijn de beste van Nederland en leveren gegarandeerd op tijd.",
     ["Wij zijn de beste", "gegarandeerd"]),
    ("We are world-class and our results are 100% guaranteed.",
     ["world-class", "100%", "guaranteed"]),
])
def test_exaggeration_spans(text: str, expected: list[str]) -> None:
    assert spans(text, "exaggeration") == expected


@pytest.mark.parametrize("text", [
    "Ik doe mijn best om het vrijdag af te hebben.",
    "Ik wens je de beste start bij het museum!",
    "Je mag me altijd bellen als je hulp nodig hebt.",
    "I'll do my best to finish it by Friday.",
    "What's the best time to call you next week?",
    "All the best with the launch, I hope it goes well.",
])
def test_exaggeration_quiet_on_modesty_wishes_and_ordinary_words(text: str) -> None:
    assert lint(text).findings == ()


@pytest.mark.parametrize(("text", "expected"), [
    ("Hoi Peter, heb je al gekeken naar mijn voorstel??", ["heb je al gekeken", "??"]),
    ("Nogmaals mijn vraag. Zoals gezegd moet het vrijdag af.", ["Nogmaals", "Zoals gezegd"]),
    ("Just following up: any update on my proposal? It's urgent!!",
     ["Just following up", "any update", "urgent", "!!"]),
])
def test_pushy_wording_spans(text: str, expected: list[str]) -> None:
    assert spans(text, "pushy-wording") == expected


@pytest.mark.parametrize("text", [
    "Nogmaals bedankt voor de fijne lunch!",
    "Ik stuur je de nieuwe versie zo snel mogelijk.",
    "I'll send you the new version as soon as possible.",
    "Thanks again for lunch on Tuesday!",
])
def test_pushy_wording_quiet_on_thanks_and_own_promises(text: str) -> None:
    assert lint(text).findings == ()


@pytest.mark.parametrize(("text", "ask"), [
    ("Hoi Bram,\n\nLang niet gesproken! Ken je iemand die een designer zoekt?\n",
     "Ken je iemand"),
    ("Hi Bram,\n\nLong time no speak! Could you introduce me to your manager?\n",
     "Could you"),
])
def test_ask_after_silence_only_for_a_neglected_contact(text: str, ask: str) -> None:
    found = spans(text, "ask-after-silence", recipients=[QUIET])
    assert found[0] == ask
    assert lint(text, recipients=[KNOWN]).findings == ()


@pytest.mark.parametrize("text", [
    "Hoi Bram,\n\nHoe gaat het met je? Zin om binnenkort koffie te drinken?\n",
    "Hi Bram,\n\nHow have you been? Would you be up for a coffee sometime?\n",
])
def test_ask_after_silence_quiet_on_interest_without_an_ask(text: str) -> None:
    assert lint(text, recipients=[QUIET]).findings == ()


def test_muted_contact_gets_no_contextual_findings() -> None:
    from dataclasses import replace
    text = "Hi Bram,\n\nCould you send me some work?\n"
    assert lint(text, recipients=[replace(QUIET, muted=True)]).findings == ()


QUOTED = """Hoi Sarah,

Dank voor je reactie! Dinsdag is prima.

Groet,
Pim

Op ma 4 mrt 2024 om 09:12 schreef Sarah Jansen <sarah@bureaujansen.nl>:
> Heb je al gekeken naar de planning?? Die prutsers van Drukkerij Vos!
"""
QUOTED_EN = """Sounds good, Tuesday works.

On Mon, 4 Mar 2024 at 09:12, Sarah Johnson
<sarah@example.com> wrote:
> Any update?? We are the best agency in the world, 100% guaranteed.
"""
INTERLEAVED = """Hi Rob,

> Any update on the invoice?? It's urgent!!

Of course, I've fixed it.
"""
OUTLOOK = """Prima, tot dan.

-----Oorspronkelijk bericht-----
Van: Jan <jan@example.nl>
Verzonden: maandag 4 maart 2024 09:12
Aan: Pim
Onderwerp: planning

Heb je al gekeken?? Wij zijn de beste.
"""
SIGNATURE = """Hoi Lisa,

Hierbij de offerte.

--
Smit Fotografie | De beste plaatjes van het Gooi, gegarandeerd!
"""
CLOSING = """Hi Lisa,

Attached is the revised quote.

Best regards,
Eric Smith
Smith Photography | The best pictures in Surrey, 100% guaranteed
"""


@pytest.mark.parametrize("text", [QUOTED, QUOTED_EN, INTERLEAVED, OUTLOOK, SIGNATURE, CLOSING])
def test_quoted_mail_and_signatures_are_not_linted(text: str) -> None:
    assert lint(text).findings == ()


@pytest.mark.parametrize(("text", "found"), [
    ("Hi Anna,\n\nThanks for the tour.\n\nBest,\nSanne\n\nPS: any update on my proposal?? "
     "I need it ASAP!", ["any update", "??", "ASAP"]),
    ("Hoi Anna,\n\nDank voor de rondleiding.\n\nGroet,\nSanne\nPS Heb je al gekeken naar "
     "mijn offerte??", ["Heb je al gekeken", "??"]),
    ("Hi Anna,\n\nThanks for the tour.\n\nThanks,\nSanne\n\nBy the way, Pixel Perfect are "
     "a bunch of amateurs, honestly.", ["a bunch of", "amateurs"]),
])
def test_text_under_the_sign_off_is_checked(text: str, found: list[str]) -> None:
    assert [text[f.start:f.end] for f in lint(text).findings] == found


def test_signature_lines_under_the_sign_off_are_not_checked() -> None:
    text = ("Hi Anna,\n\nThanks for the tour.\n\nBest,\nSanne Meijer\nThe best web design in "
            "Utrecht | 06-12345678\nwww.sannemeijer.example\n")
    assert lint(text).findings == ()


def test_spans_are_offsets_into_the_original_input() -> None:
    text = "> quoted line\nHoi Jan,\n\nWij leveren gegarandeerd op tijd. Heb je al gekeken??\n"
    result = lint(text)
    assert [text[f.start:f.end] for f in result.findings] == [
        "gegarandeerd", "Heb je al gekeken", "??"]
    assert all(text[f.start:f.end] == f.text for f in result.findings)


def test_tokens_with_apostrophes_and_diacritics() -> None:
    doc = read("Ik zag z'n ideeën, I’m sure (m’n café) — don't!")
    assert [w.text for w in doc.words] == ["Ik", "zag", "z'n", "ideeën", "I’m", "sure", "m’n",
                                           "café", "don't"]
    assert [w.key for w in doc.words][4] == "i'm"


def test_first_person_contractions_count_for_self_focus() -> None:
    text = ("I’m Tom. I’ve worked in design for years and I’m proud of it. I’d say my work is "
            "solid; I’ll show my portfolio and I’m sure it fits. I’ve time next week, and "
            "my rates are fair.")
    assert rules(lint(text)) == {"self-focus"}
    dutch = ("Ik ben Tom. M'n werk is m'n passie en ik heb m'n eigen studio. Ik ontwerp logo's, "
             "ik maak m'n eigen illustraties en ik ben trots op m'n portfolio. Ik hoop op een "
             "reactie.")
    assert rules(lint(dutch)) == {"self-focus"}


@pytest.mark.parametrize(("text", "language"), [
    ("Hoi Anna, ik las je artikel over de nieuwe huisstijl en vond het erg goed.", "nl"),
    ("Hi Anna, I read your article about the new brand and really liked it.", "en"),
    ("", "en"),
])
def test_language_detection(text: str, language: str) -> None:
    assert lint(text).language == language


def test_explicit_language_and_messages_in_that_language() -> None:
    result = lint("Heb je al gekeken??", language="en")
    assert result.language == "en"
    dutch = lint("Heb je al gekeken naar mijn voorstel??")
    assert dutch.language == "nl"
    assert "aandringt" in dutch.findings[0].message
    assert "rusten" in dutch.findings[0].advice


def test_unknown_language_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        lint("hello", language="de")


def test_result_to_json_has_the_spec_shape() -> None:
    data = result_to_json(lint("Heb je al gekeken naar mijn voorstel??"))
    assert data["language"] == "nl"
    assert set(data["findings"][0]) == {"pitfall", "rule", "start", "end", "text", "message",
                                        "advice"}
    assert data["findings"][0]["rule"] == "pushy-wording"


PIECES = ["Hoi Jan,", "Hi Jan,", "\n", "\n\n", "> ", "-- \n", "Groet,\n", "Best,\n", "ik ", "I'm ",
          "je ", "you ", "de beste ", "the best ", "heb je al gekeken", "any update", "??", "!!",
          "Pixel Perfect ", "prutsers ", "clowns ", "kun je ", "could you ", "omdat ", "z'n ",
          "Op 1 mei schreef Jan:\n", "On Mon, Jan wrote:\n", "É", "’", ". ", "İ", "ß", "\x00"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=60))
def test_any_text_gives_findings_whose_spans_fit(pieces: list[str]) -> None:
    text = "".join(pieces)
    result = lint(text, recipients=[COLD, QUIET], competitors=["Pixel Perfect", ""])
    assert result.language in ("nl", "en")
    for f in result.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start:f.end] == f.text


# SPEC §2: each rule judges meaning in context. What it fires on ...
IN_CONTEXT_FIRES = [
    ("gossip", "nl", "Tussen ons: bij Studio Blauw is het één grote chaos."),
    ("gossip", "nl", "Webbureau Jansen maakt er echt een potje van, vind ik."),
    ("gossip", "en", "Fair warning about CodeNest. They overcharge and underdeliver."),
    ("gossip", "en", "I wouldn't trust Stackhouse with a lemonade stand."),
    ("gossip", "en", "Sorry you had to deal with PrintPro. They're a bunch of cowboys."),
    ("exaggeration", "nl", "Ik ben de grootste specialist van de Randstad."),
    ("exaggeration", "nl", "Niemand in Utrecht bouwt snellere sites."),
    ("exaggeration", "nl", "Ik haal elke deadline, zonder uitzondering."),
    ("exaggeration", "en", "We are the only agency that truly gets SaaS."),
    ("exaggeration", "en", "My clients see results in week one, every time."),
    ("exaggeration", "en", "To be clear, there is no one better at logistics than me."),
    ("pushy-wording", "en", "This is my third email about this."),
    ("pushy-wording", "en", "I've been waiting on you for weeks."),
    ("pushy-wording", "en", "I held the slot for you, so I expect an answer."),
    ("pushy-wording", "en", "I need your decision before noon."),
    ("pushy-wording", "nl", "Kun je het zo snel mogelijk sturen?"),
    ("pushy-wording", "nl", "Dit is al mijn derde mail over deze factuur."),
]
# ... and the near-misses that must stay quiet.
IN_CONTEXT_QUIET = [
    ("en", "Sorry to hear the storm hit Bakery Jansen last week."),
    ("nl", "De A12 was weer één grote file-ellende, dus ik was te laat."),
    ("en", "The Northern line was a disaster again, sorry I was late."),
    ("en", "Awful traffic on the Bruce Highway this morning, sorry I was late."),
    ("nl", "Wat een vreselijke file op de Ring van Antwerpen, sorry dat ik te laat was."),
    ("en", "I met Jan from Pixel Perfect; they do lovely work."),
    ("en", "Your new product pages are the best I've seen, honestly."),
    ("nl", "Jullie nieuwe pagina's zijn de beste die ik dit jaar zag."),
    ("en", "I'm 100% on board with Tuesday at 10."),
    ("nl", "Helemaal mee eens, 100%. Dinsdag past mij prima."),
    ("en", "The easiest way to reach me is by phone."),
    ("en", "I can't guarantee the February slot after Wednesday, but I'll ask."),
    ("nl", "Ik laat het hierbij; past het later, dan hoor ik het graag."),
    ("en", "You said the deadline moved up, so here is the draft."),
    ("en", "As I said on the phone, the venue can fit 80 people."),
    ("nl", "Zoals ik al zei aan de telefoon: de zaal kan 80 mensen kwijt."),
    ("nl", "Gefeliciteerd met je eerste lustrum, Ahmed!! Wat een mijlpaal."),
    ("en", "Just a reminder that the shared workspace closes early on the 24th."),
    ("en", "The printer needs the files by Friday, so I'll send them Thursday."),
    ("nl", "Ik stuur je de nieuwe versie zo snel mogelijk."),
    ("en", "I've written a few times now, so I'll leave it here. This is my third email about it."),
    ("nl", "Ik heb je al drie keer gemaild, dus ik laat het hierbij. De deur staat open."),
]


@pytest.mark.parametrize(("rule", "language", "text"), IN_CONTEXT_FIRES)
def test_rules_fire_on_the_meaning(rule: str, language: str, text: str) -> None:
    assert rule in rules(lint(text, language=language))


@pytest.mark.parametrize(("language", "text"), IN_CONTEXT_QUIET)
def test_rules_stay_quiet_on_near_misses(language: str, text: str) -> None:
    assert lint(text, language=language).findings == ()


def test_gossip_about_the_recipients_own_company_is_not_gossip() -> None:
    text = "Hi Anna,\n\nHonestly, the Studiolicht website is a mess right now. Shall I help?\n"
    assert "gossip" in rules(lint(text, language="en"))
    assert "gossip" not in rules(lint(text, language="en", recipients=[COLD]))


def test_an_answer_under_a_quote_is_the_writers_own() -> None:
    text = ("Hoi Aaron,\n\nOp 4 dec. 2026 om 14:12 schreef Aaron Vos:\n> Kun je een pdf sturen?\n\n"
            "Natuurlijk, de pdf zit in de bijlage. Heb je al gekeken naar mijn voorstel??\n")
    found = spans(text, "pushy-wording")
    assert found == ["Heb je al gekeken", "??"]
    assert lint(text).language == "nl"


def test_inclusive_we_is_not_self_focus() -> None:
    inclusive = ("Hi Jan,\n\nShall we meet on Tuesday? As we discussed, we could start with the "
                 "menu. Let's keep it small: we could ask Sam, and we could book the room we used "
                 "last time. When we met, our chat about the menu was fun; we could do that again, "
                 "since we both like it.\n\nBest,\nTom\n")
    assert "self-focus" not in rules(lint(inclusive, language="en"))
    exclusive = inclusive.replace("Shall we meet on Tuesday? As we discussed, we could start",
                                  "We are a studio. We build apps, we ship fast and we")
    exclusive = exclusive.replace("Let's keep it small: we could ask Sam, and we could book",
                                  "Our team is big: we hired Sam, and we rented")
    assert "self-focus" in rules(lint(exclusive, language="en"))
