"""Paragraph-wide line breaking: the breaker's choice (Knuth-Plass total fit)
and the engine setting exactly that choice, or its own where the breaker
cannot measure a paragraph, counted; nothing else laid out differently."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from pressroom.engine.breaking.knuth_plass import Line, Opportunity, Settings, break_lines
from pressroom.engine.layout import Layout, lay_out
from pressroom.engine.texture import LineFact, line_facts
from pressroom.model.dates import timestamps
from pressroom.options import BuildOptions
from pressroom.render import render_pdf
from pressroom.render.theme import Theme
from pressroom.render.typesetting import breakable_address, settled
from pressroom.source.media import load_media
from pressroom.source.parse import load_document

SEED = Path(__file__).resolve().parents[1] / "source" / "asia-pacific-security-cooperation.md"


def _words(widths: list[float], space: float = 1.0) -> list[Opportunity]:
    """A paragraph of words of ``widths`` separated by spaces, as opportunities."""
    opportunities: list[Opportunity] = []
    x = 0.0
    offset = 0
    for index, width in enumerate(widths):
        x += width
        offset += 1
        last = index == len(widths) - 1
        kind = "end" if last else "space"
        opportunities.append(Opportunity(offset, offset + (0 if last else 1), x, index, x + space, index + 1, kind))
        if not last:
            x += space
            offset += 1
    return opportunities


def _greedy(opportunities: list[Opportunity], width: float) -> list[int]:
    """First fit: each line as full as it goes (the engine's own way)."""
    ends: list[int] = []
    begin = 0.0
    for index, here in enumerate(opportunities):
        following = opportunities[index + 1] if index + 1 < len(opportunities) else None
        if following is not None and following.width - begin > width:
            ends.append(index)
            begin = here.start_width
    return ends


widths = st.lists(st.floats(min_value=1, max_value=12, allow_nan=False), min_size=2, max_size=40)


@settings(max_examples=200, deadline=None)
@given(widths, st.floats(min_value=14, max_value=40))
def test_a_chosen_breaking_is_never_overfull_and_never_worse_than_first_fit(words: list[float], measure: float) -> None:
    # Only badness counts here, so that first fit's breaking is one the
    # breaker weighed: it must find one at least as good.
    knuth = Settings(
        stretch=0.5, shrink=0.2, tolerance=float("inf"), adjacent=0, short_last_demerits=0, last_line_rules=False
    )
    opportunities = _words(words)
    lines = break_lines(opportunities, measure, measure, knuth)
    if any(width > measure for width in words):
        return  # a word wider than the line: no breaking can set it (the engine's own fallback then)
    assert lines is not None
    assert lines[-1].last
    assert lines[-1].end == opportunities[-1].end
    for line in lines:
        assert line.width <= measure + line.spaces * knuth.shrink + 1e-6
        assert line.ratio >= -1 - 1e-9
    assert (
        _demerits(lines, knuth)
        <= _demerits(_as_lines(opportunities, _greedy(opportunities, measure), measure, knuth), knuth) + 1e-6
    )


def _as_lines(opportunities: list[Opportunity], ends: list[int], measure: float, knuth: Settings) -> list[Line]:
    lines: list[Line] = []
    previous = None
    for index in [*ends, len(opportunities) - 1]:
        here = opportunities[index]
        begin_width = previous.start_width if previous else 0.0
        begin_spaces = previous.start_spaces if previous else 0
        width = here.width - begin_width
        spaces = here.spaces - begin_spaces
        last = index == len(opportunities) - 1
        if width > measure:
            ratio = (measure - width) / (spaces * knuth.shrink) if spaces else -10.0
        elif last:
            ratio = 0.0
        else:
            ratio = (measure - width) / (spaces * knuth.stretch) if spaces else 100.0
        lines.append(Line(previous.start if previous else 0, here.end, width, spaces, False, ratio, last))
        previous = here
    return lines


def _demerits(lines: list[Line], knuth: Settings) -> float:
    """TeX's demerits of a breaking without hyphens: the line penalty and badness of each line."""
    total = 0.0
    for line in lines:
        badness = 10000.0 if line.ratio < -1 else min(100 * abs(line.ratio) ** 3, 10000.0)
        total += (knuth.line_penalty + badness) ** 2
    return total


def _layout(source: Path, breaking: str) -> Layout:
    document = load_document(source).document
    media, _ = load_media(document, allow_remote=False)
    options = BuildOptions(line_breaking=breaking)
    return lay_out(render_pdf(document, Theme(None), timestamps(document.metadata, {}), options, media), source.stem)


def _body(facts: list[LineFact]) -> list[LineFact]:
    return [fact for fact in facts if fact.justified and not fact.last and fact.spaces]


def test_the_seed_is_set_as_planned_more_evenly_and_within_its_measure() -> None:
    engine = _layout(SEED, "engine")
    paragraph = _layout(SEED, "paragraph")
    assert engine.breaker.planned == 0
    assert paragraph.breaker.planned > 10
    assert paragraph.breaker.fallbacks == {}
    before, after = _body(line_facts(engine.document)), _body(line_facts(paragraph.document))
    loose_before = sum(fact.mean_space >= 0.5 for fact in before)
    loose_after = sum(fact.mean_space >= 0.5 for fact in after)
    assert loose_after < loose_before / 2
    for fact in after:
        # Justified to the measure: never overfull, never short.
        assert abs(fact.width - fact.measure) < 0.5, fact
    hyphenated = [fact.hyphen for fact in line_facts(paragraph.document) if fact.justified]
    assert not any(a and b for a, b in itertools.pairwise(hyphenated))
    # The text is the same text: the same words in the same order, paragraph by paragraph.
    assert _paragraphs(line_facts(engine.document)) == _paragraphs(line_facts(paragraph.document))


def _paragraphs(facts: list[LineFact]) -> dict[str, str]:
    texts: dict[str, list[str]] = {}
    for fact in facts:
        if fact.justified and fact.element_id:
            texts.setdefault(fact.element_id, []).append(fact.text)
    return {ident: _joined(" ".join(lines).split()) for ident, lines in texts.items()}


def _joined(words: list[str]) -> str:
    # Hyphenation moves where words break, not what they say.
    return "".join(word.rstrip("\u2010") for word in words)


def test_the_engine_tries_no_word_after_a_line_planned_to_end_between_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each try lays the line out again: with the line's reach set to its
    # planned width neither the next word nor a part of it fits, so only a
    # line planned to end with a hyphen (or one the breaker does not plan)
    # tries to hyphenate, and no planned line tries the next word.
    import pyphen  # type: ignore[import-untyped]
    from weasyprint.text import line_break

    tries: list[str] = []
    lines = [0]
    iterate, first_line = pyphen.Pyphen.iterate, line_break.Layout.get_first_line

    def counted(self: Any, word: str) -> Any:
        tries.append(word)
        return iterate(self, word)

    def counted_line(self: Any) -> Any:
        lines[0] += 1
        return first_line(self)

    monkeypatch.setattr(pyphen.Pyphen, "iterate", counted)
    monkeypatch.setattr(line_break.Layout, "get_first_line", counted_line)
    _layout(SEED, "engine")
    by_engine, lines_by_engine = len(tries), lines[0]
    tries.clear()
    lines[0] = 0
    layout = _layout(SEED, "paragraph")
    assert layout.breaker.fallbacks == {}
    assert by_engine > 30
    # What is left: the lines planned with a hyphen, and lines not justified
    # (headings, running heads).
    assert len(tries) * 3 < by_engine, " ".join(tries)
    # One layout of each planned line fewer (the next word's), at least.
    assert lines_by_engine - lines[0] >= layout.breaker.lines


def test_a_paragraph_broken_across_pages_keeps_its_planned_lines(tmp_path: Path) -> None:
    sentence = "Cooperation across the basin depends on data that every riparian state can trust and use. "
    source = tmp_path / "long.md"
    source.write_text("---\ntitle: Long\nlang: en\n---\n\n# One\n\n" + sentence * 60 + "\n", encoding="utf-8")
    layout = _layout(source, "paragraph")
    facts = [fact for fact in line_facts(layout.document) if fact.justified and fact.element_id == "one-1"]
    assert len({fact.page for fact in facts}) >= 2
    assert layout.breaker.planned == 1
    assert layout.breaker.lines == len(facts)
    assert layout.breaker.fallbacks == {}


def test_text_of_wide_characters_across_inline_boxes_is_set_as_planned(tmp_path: Path) -> None:
    # Pango counts bytes of UTF-8 and the breaker characters: accented letters,
    # curly quotes, dashes and ligatures in several inline boxes (emphasis,
    # strong, a link) must measure where the engine sets them, or a line would
    # come out otherwise and be counted as a fallback.
    sentence = (
        "The riparian states’ “coopération” — bilateral meetings — *define* the efficiency "
        "of **river networks** and [exchanges](https://example.org/) refined. "
    )
    source = tmp_path / "wide.md"
    source.write_text("---\ntitle: Wide\nlang: en\n---\n\n# One\n\n" + sentence * 12 + "\n", encoding="utf-8")
    layout = _layout(source, "paragraph")
    facts = [fact for fact in line_facts(layout.document) if fact.justified and fact.element_id == "one-1"]
    assert len(facts) > 8
    assert layout.breaker.planned == 1
    assert layout.breaker.fallbacks == {}
    assert layout.breaker.lines == len(facts)
    for fact in facts[:-1]:
        assert abs(fact.width - fact.measure) < 0.5, fact


def test_a_paragraph_the_breaker_cannot_measure_is_left_to_the_engine_and_counted(tmp_path: Path) -> None:
    Image.new("RGB", (40, 20), (40, 90, 160)).save(tmp_path / "icon.png")
    source = tmp_path / "icon.md"
    text = "A paragraph of plain words long enough to run over several lines of the measure. " * 3
    source.write_text(
        f"---\ntitle: Icon\nlang: en\n---\n\n# One\n\n{text}with an ![icon](icon.png) inline. {text}\n\n{text}\n",
        encoding="utf-8",
    )
    layout = _layout(source, "paragraph")
    assert layout.breaker.fallbacks == {"an atomic box (InlineReplacedBox)": 1}
    assert layout.breaker.planned == 1
    for fact in _body(line_facts(layout.document)):
        assert fact.width <= fact.measure + 0.5


def test_text_that_is_not_justified_is_laid_out_as_the_engine_lays_it_out(tmp_path: Path) -> None:
    # The title page, headings and a centred image's paragraph are not
    # justified: with no justified paragraph of several lines, the PDFs match.
    source = tmp_path / "short.md"
    source.write_text("---\ntitle: Short\nlang: en\n---\n\n# One\n\nA line.\n\n## Two\n\nAnother.\n", encoding="utf-8")
    engine = _layout(source, "engine").write().data
    paragraph = _layout(source, "paragraph").write().data
    assert engine == paragraph


def test_a_spaced_em_dash_stays_with_the_word_before_it() -> None:
    assert settled("peace — and & war") == "peace\u00a0— and &amp; war"
    # A long identifier breaks before its separators, never within three letters of an end.
    assert str(settled("see rio_grande_transboundary_aquifer_assessment")).count("<wbr/>") == 3


def test_an_address_shown_as_text_may_break_after_slashes_and_before_dots() -> None:
    marked = str(breakable_address("https://example.org/a/b.pdf?x=1&y=2"))
    assert marked == "https://example<wbr/>.org/<wbr/>a/<wbr/>b<wbr/>.pdf<wbr/>?x<wbr/>=1<wbr/>&amp;y<wbr/>=2"
    assert marked.replace("<wbr/>", "").replace("&amp;", "&") == "https://example.org/a/b.pdf?x=1&y=2"


def test_no_line_of_the_seed_begins_with_an_em_dash() -> None:
    layout = _layout(SEED, "paragraph")
    assert not [fact.text for fact in line_facts(layout.document) if fact.text.lstrip().startswith("\u2014")]


def test_breaking_is_a_build_option_in_the_cache_key() -> None:
    from pressroom.options import key_fields

    assert "line_breaking" in key_fields()
    assert dataclasses.replace(BuildOptions(), line_breaking="engine").line_breaking == "engine"


def test_an_emergency_stretch_finds_a_line_without_spaces_after_one_too_loose_with_a_space() -> None:
    # The line from the start to the second break has a space and is far too
    # loose; the line from the first break to the second has none, and the
    # emergency stretch makes it settable. The search must look past the
    # first to find the second: it is the only breaking there is.
    opportunities = [
        Opportunity(end=3, start=4, width=30.0, spaces=0, start_width=31.0, start_spaces=1, kind="space"),
        Opportunity(end=7, start=7, width=60.0, spaces=1, start_width=60.0, start_spaces=1, kind="space"),
        Opportunity(end=20, start=20, width=150.0, spaces=1, start_width=150.0, start_spaces=1, kind="end"),
    ]
    knuth = Settings(stretch=1.0, shrink=0.0, tolerance=9999.0, emergency_stretch=50.0)
    lines = break_lines(opportunities, 100.0, 100.0, knuth)
    assert lines is not None
    assert [(line.start, line.end) for line in lines] == [(0, 3), (4, 7), (7, 20)]
