"""A demanding publisher's paragraphs against the paragraph breaker: web
addresses that leave no good break, French guillemets, and what the proof
report must see."""

from __future__ import annotations

from pathlib import Path

from pressroom.engine.layout import Layout, lay_out
from pressroom.engine.texture import line_facts
from pressroom.model.dates import timestamps
from pressroom.options import BuildOptions
from pressroom.render import render_pdf
from pressroom.render.theme import Theme
from pressroom.render.typesetting import settled
from pressroom.source.media import load_media
from pressroom.source.parse import load_document


def _layout(source: Path, breaking: str = "paragraph") -> Layout:
    document = load_document(source).document
    media, _ = load_media(document, allow_remote=False)
    options = BuildOptions(line_breaking=breaking)
    return lay_out(render_pdf(document, Theme(None), timestamps(document.metadata, {}), options, media), source.stem)


ADDRESSES = (
    "The full report is published at "
    "<https://english.scio.gov.cn/whitepapers/2017-01/20/content_40535681.htm?lang=en&page=2#section-ii> "
    "and the appendix at "
    "<https://www.internationalorganizations.example.org/documentation/publications/"
    "annualreports/2017/securitycooperation.pdf> "
    "with the data at "
    "<https://data.example.com/downloads/statistics/regionalcooperation/asiapacific/spreadsheets.xlsx> "
    "for readers who want them."
)


def test_a_paragraph_of_long_addresses_has_no_short_line_before_its_last(tmp_path: Path) -> None:
    # No breaking of this paragraph is within the tolerance, so every choice
    # has a line of "infinite" badness; the breaker took one that ends a
    # fifth of the way across ("2017-01/20/", a justified line with no space
    # to stretch, left ragged) where the engine's own breaking stretches one
    # space. A line with no space must count how far it falls short.
    source = tmp_path / "addresses.md"
    source.write_text(f"---\ntitle: Addresses\nlang: en\n---\n\n# One\n\n{ADDRESSES}\n", encoding="utf-8")
    layout = _layout(source)
    assert layout.breaker.planned == 1
    assert layout.breaker.fallbacks == {}
    facts = [fact for fact in line_facts(layout.document) if fact.justified and fact.element_id == "one-1"]
    assert len(facts) > 4
    for fact in facts[:-1]:
        # An address breaks only after a slash or before a dot (never with a
        # hyphen added), so a line of one may fall short, but not by far.
        assert fact.width > 0.6 * fact.measure, fact
        assert fact.width <= fact.measure + 0.5, fact


def test_french_guillemets_keep_their_inner_spaces() -> None:
    # French sets a space inside guillemets that never breaks (Lexique des
    # règles typographiques; Unicode's line breaking allows a break after a
    # space before any quotation mark, UAX #14 LB18 before LB19).
    assert settled("il dit « les visions » puis") == "il dit «\u00a0les visions\u00a0» puis"
    assert settled("« fin ».") == "«\u00a0fin\u00a0»."
    # German and Swiss German quote »so« and «so»: no inner space, nothing to do.
    assert settled("er sagte »Zitat« und «so»") == "er sagte »Zitat« und «so»"


def test_no_french_line_begins_with_a_closing_guillemet_or_ends_with_an_opening_one(tmp_path: Path) -> None:
    words = ["les", "visions", "guident", "actions", "pour", "résoudre", "nouveaux", "problèmes", "sécurité"]
    paragraphs = []
    for number in range(6):
        text = []
        for index in range(70):
            word = words[(index * 7 + number) % len(words)]
            text.append(f"« {word} »" if index % 4 == 1 else f"« *{word}* »" if index % 9 == 2 else word)
        paragraphs.append(" ".join(text) + ".")
    source = tmp_path / "guillemets.md"
    body = "\n\n".join(paragraphs)
    source.write_text(f"---\ntitle: Guillemets\nlang: fr\n---\n\n# Un\n\n{body}\n", encoding="utf-8")
    for breaking in ("paragraph", "engine"):
        facts = [fact for fact in line_facts(_layout(source, breaking).document) if fact.justified]
        assert len(facts) > 20
        for fact in facts:
            assert not fact.text.lstrip().startswith("»"), (breaking, fact.text)
            assert not fact.text.rstrip().endswith("«"), (breaking, fact.text)


def test_no_hyphen_is_added_inside_a_web_address(tmp_path: Path) -> None:
    source = tmp_path / "addresses.md"
    source.write_text(f"---\ntitle: Addresses\nlang: en\n---\n\n# One\n\n{ADDRESSES}\n", encoding="utf-8")
    for breaking in ("paragraph", "engine"):
        facts = [fact for fact in line_facts(_layout(source, breaking).document) if fact.element_id == "one-1"]
        for fact in facts:
            # A line may end at a hyphen the address has, never at one added.
            assert not fact.text.endswith("\u2010"), (breaking, fact.text)
