"""The summary handout: page budget with copyfitting, QR code,
fallback summaries, pull quotes."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp

from pressroom import BuildOptions, build, load_document
from pressroom.errors import BuildError
from pressroom.model.summary import leading_sentences

from .textcheck import contains_run, words

FRONT = """---
title: Handout Test
lang: en
date: 2024-01-02
publisher: Test Office
url: https://example.org/full-text?id=42
{extra}---
"""
SENTENCE = "Regional partners should deepen practical cooperation on maritime search and rescue"


def source(tmp_path: Path, sections: int, points: int, *, extra: str = "", summaries: bool = True) -> Path:
    parts = [FRONT.format(extra=extra)]
    for number in range(1, sections + 1):
        parts.append(f"# Section {number}\n")
        if summaries:
            parts.append("::: summary")
            parts += [f"- Point {number}.{k}: {SENTENCE} number {k}." for k in range(1, points + 1)]
            parts.append(":::\n")
        parts.append(f"Opening sentence of section {number} says one thing. A second sentence adds more. " * 3 + "\n")
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "doc.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def pdf_facts(path: Path) -> tuple[int, str, float]:
    """Page count, text, and the smallest font size of body text on page 1."""
    pdf = pypdfium2.PdfDocument(path)
    try:
        textpage = pdf[0].get_textpage()
        sizes = [pdfium_c.FPDFText_GetFontSize(textpage, i) for i in range(textpage.count_chars())]
        text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        return len(pdf), text, min(s for s in sizes if s > 8)
    finally:
        pdf.close()


def build_handout(path: Path, out: Path) -> tuple[Path, tuple[object, ...]]:
    report = build([path], BuildOptions(output_dir=out, formats=("handout",)))
    return report.outputs[0].path, report.warnings


def test_qr_code_decodes_to_the_url(seed_outputs: dict[str, Path]) -> None:
    pdf = pypdfium2.PdfDocument(seed_outputs["handout"])
    try:
        image = pdf[0].render(scale=200 / 72).to_pil()
    finally:
        pdf.close()
    results = zxingcpp.read_barcodes(image)
    url = load_document(Path(__file__).parents[1] / "source" / "asia-pacific-security-cooperation.md").document
    assert [r.text for r in results] == [url.metadata.url]


def test_crowded_handout_copyfits_onto_one_page(tmp_path: Path) -> None:
    roomy, _ = build_handout(source(tmp_path / "a", 2, 3), tmp_path / "out-a")
    crowded, _ = build_handout(source(tmp_path / "b", 4, 6), tmp_path / "out-b")
    roomy_pages, _, roomy_size = pdf_facts(roomy)
    pages, text, size = pdf_facts(crowded)
    assert (roomy_pages, pages) == (1, 1)
    assert size < roomy_size  # smaller type...
    assert size >= 8.5  # ...but never below the floor
    for number in range(1, 5):
        for k in range(1, 7):
            assert contains_run(words(f"Point {number}.{k}: {SENTENCE} number {k}."), words(text))


def test_overfull_handout_fails_and_says_by_how_much(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "doc-handout.pdf").write_bytes(b"previous")
    with pytest.raises(BuildError) as caught:
        build_handout(source(tmp_path, 6, 9), out)
    (problem,) = caught.value.problems
    assert problem.code == "PR501"
    assert "even at 8.5 pt type; its budget is 1" in problem.message
    assert "key points (" in problem.message
    assert "words) spill over" in problem.message
    assert "handout: {pages: 2}" in problem.message
    assert (out / "doc-handout.pdf").read_bytes() == b"previous"


def test_two_page_budget_is_honoured(tmp_path: Path) -> None:
    path, _ = build_handout(source(tmp_path, 6, 9, extra="handout: {pages: 2}\n"), tmp_path / "out")
    pages, text, _ = pdf_facts(path)
    assert pages == 2
    assert contains_run(words(f"Point 6.9: {SENTENCE} number 9."), words(text))


def test_sections_without_summary_get_opening_sentences_and_a_warning(tmp_path: Path) -> None:
    path, warnings = build_handout(source(tmp_path, 2, 0, summaries=False), tmp_path / "out")
    assert [(w.code, w.location.line) for w in warnings] == [("PR502", 9), ("PR502", 13)]  # type: ignore[attr-defined]
    assert "section '#section-1' has no '::: summary'" in warnings[0].message  # type: ignore[attr-defined]
    _, text, _ = pdf_facts(path)
    assert contains_run(
        words("Opening sentence of section 2 says one thing. A second sentence adds more."), words(text)
    )


def test_opening_sentences_split_before_any_capital() -> None:
    """French, Russian and Greek sentences begin with capitals beyond ASCII,
    and may open with a quote (French with a narrow no-break space after it)."""
    french = (
        "La coopération régionale progresse depuis dix ans. "
        "Élargir les échanges entre garde-côtes reste la priorité. "
        "«\u202fÀ terme, une structure commune est possible\u202f», conclut le rapport."
    )
    assert leading_sentences(french, limit=8) == "La coopération régionale progresse depuis dix ans."
    assert leading_sentences(french, limit=16) == (
        "La coopération régionale progresse depuis dix ans. Élargir les échanges entre garde-côtes reste la priorité."
    )
    russian = "Сотрудничество в регионе развивается. «Новый этап» начался в 2024 году. Это важно."
    assert leading_sentences(russian, limit=4) == "Сотрудничество в регионе развивается."
    assert (
        leading_sentences(russian, limit=10)
        == "Сотрудничество в регионе развивается. «Новый этап» начался в 2024 году."
    )
    greek = "Η συνεργασία αναπτύσσεται σταθερά. Ωστόσο μένουν πολλά να γίνουν."
    assert leading_sentences(greek, limit=5) == "Η συνεργασία αναπτύσσεται σταθερά."


def test_opening_sentences_of_chinese_and_japanese() -> None:
    """CJK sentences end at 。！？ or ． with no space after them; characters count
    as half a word (about 90 of them for 45 words); closing brackets stay with
    the sentence they close."""
    chinese = "区域合作不断深化。各方同意加强海上搜救合作！这是否足够？ 第四句话。"
    assert leading_sentences(chinese, limit=5) == "区域合作不断深化。"
    assert leading_sentences(chinese, limit=12) == "区域合作不断深化。各方同意加强海上搜救合作！"
    assert leading_sentences(chinese, limit=16) == "区域合作不断深化。各方同意加强海上搜救合作！这是否足够？"
    japanese = "「協力が必要です。」各国の代表はそう述べた．会議は午後に終わった！"
    assert leading_sentences(japanese, limit=5) == "「協力が必要です。」"
    assert leading_sentences(japanese, limit=11) == "「協力が必要です。」各国の代表はそう述べた．"


def test_abbreviations_glued_by_smart_typography_end_no_sentence() -> None:
    """The no-break space that Pandoc's ``smart`` puts after "Dr." is no sentence break."""
    text = "Dr.\u00a0Li opened the meeting. It ended late."
    assert leading_sentences(text, limit=5) == "Dr.\u00a0Li opened the meeting."


def test_a_long_first_sentence_is_cut_at_a_word_before_the_limit() -> None:
    words_500 = [f"word{k}," for k in range(500)]
    text = " ".join(words_500) + " end. Second sentence."
    cut = leading_sentences(text)
    assert cut == " ".join(words_500[:45])[:-1] + "…"  # no comma before the ellipsis
    assert leading_sentences(text) == cut
    chinese = "加强合作" * 150 + "。"
    cut = leading_sentences(chinese)
    assert cut == chinese[:90] + "…"
    mixed = "这是一个很长的句子" * 20 + "。"
    assert len(leading_sentences(mixed, limit=10)) == 21  # 20 characters and the ellipsis


def test_long_opening_paragraphs_without_summaries_fit_the_handout(tmp_path: Path) -> None:
    """Without any key points, the fallback is capped, so the handout fits its page."""
    long_sentence = " ".join(f"{SENTENCE} number {k}" for k in range(40)) + "."
    parts = [FRONT.format(extra="")]
    for number in range(1, 5):
        parts.append(f"# Section {number}\n\nSection {number} begins: {long_sentence} A short one.\n")
    path = tmp_path / "doc.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    handout, warnings = build_handout(path, tmp_path / "out")
    assert [w.code for w in warnings] == ["PR502"] * 4  # type: ignore[attr-defined]  # and no PR501
    pages, text, _ = pdf_facts(handout)
    assert pages == 1
    assert contains_run(words(f"Section 4 begins: {SENTENCE} number 0"), words(text))
    assert "number 39" not in text


def test_overfull_handout_of_opening_sentences_asks_for_summaries(tmp_path: Path) -> None:
    """PR501 must not ask to shorten key points a section does not have."""
    parts = [FRONT.format(extra="")]
    for number in range(1, 41):
        parts.append(f"# Section {number}\n\n{SENTENCE} in section {number}, " + "and more of it, " * 12 + "again.\n")
    path = tmp_path / "doc.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_handout(path, tmp_path / "out")
    (problem,) = caught.value.problems
    assert problem.code == "PR501"
    assert "key points (" not in problem.message
    assert "or the key points" not in problem.message
    assert "have no '::: summary'" in problem.message
    assert "opening sentences" in problem.message
    assert "add a '::: summary'" in problem.message


def test_overflow_names_key_points_and_opening_sentences_apart() -> None:
    """A spill of both: the author's key points may be shortened; a section
    shown by its opening sentences is told to get a summary."""
    from types import SimpleNamespace

    from pressroom.model.summary import handout_sections
    from pressroom.products.handout import _overflow
    from pressroom.source.parse import parse_text

    text = "---\ntitle: T\nlang: en\n---\n# A\n\n::: summary\n- one\n- two words\n:::\n\n# B\n\nB says this.\n"
    sections, _ = handout_sections(parse_text(text, Path("doc.md")).document)
    layout = SimpleNamespace(first_page={"a-kp1": 1, "a-kp2": 2, "b-summary": 2})
    assert _overflow(layout, sections, 1) == (  # type: ignore[arg-type]
        "1 key point and the opening sentences of 1 section (5 words) spill over, from section '#a' on; "
        "section '#b' has no '::: summary', so the handout shows its opening sentences: add a '::: summary' "
        "of short key points to it, or shorten the abstract or the other key points"
    )
    layout.first_page["b-summary"] = 1
    assert _overflow(layout, sections, 1) == (  # type: ignore[arg-type]
        "1 key point (2 words) spills over, from section '#a' on; shorten the abstract or the key points"
    )


def test_pull_quote_appears_in_the_handout(tmp_path: Path) -> None:
    path = source(tmp_path, 1, 2)
    path.write_text(
        path.read_text(encoding="utf-8") + "\n::: pullquote\nA quotable line about cooperation.\n:::\n",
        encoding="utf-8",
    )
    handout, _ = build_handout(path, tmp_path / "out")
    _, text, _ = pdf_facts(handout)
    assert contains_run(words("A quotable line about cooperation."), words(text))


@pytest.mark.parametrize("budget", [1, 2])
@pytest.mark.parametrize("threshold", [1.2, 1.1, 1.05, 1.0, 0.95, 0.9, 0.85, 0.8])
def test_copyfit_finds_the_step_trying_every_step_would(budget: int, threshold: float) -> None:
    """The guessed search agrees with trying each step from the top.

    A fake layout needs ``budget`` pages up to ``threshold`` and more above it,
    growing with the square of the scale as real text does.
    """
    from pressroom.products.handout import HANDOUT_SCALES, copyfit

    calls: list[float] = []

    class Fake:
        def __init__(self, scale: float) -> None:
            calls.append(scale)
            extra = 0 if scale <= threshold else int(budget * (scale / threshold) ** 2 + 1) - budget
            self.page_count = budget + extra
            self.first_page: dict[str, int] = {}

    result, fitted = copyfit(Fake, budget)  # type: ignore[arg-type]
    fitting = [s for s in HANDOUT_SCALES if s <= threshold]
    assert fitted == bool(fitting)
    assert calls[0] == HANDOUT_SCALES[0]
    expected = fitting[0] if fitting else HANDOUT_SCALES[-1]
    assert [s for s in calls if calls.count(s) > 1] == []  # each size laid out once at most
    assert len(calls) <= 5  # never the six layouts of trying the steps one by one
    assert expected in calls
    assert Fake(expected).page_count == result.page_count


def test_unnumbered_back_matter_is_left_out_where_the_document_has_key_points(tmp_path: Path) -> None:
    from pressroom.model.summary import handout_sections
    from pressroom.source.parse import load_document

    text = (
        "---\ntitle: T\nlang: en\n---\n\n# Findings\n\n::: summary\n- The point.\n:::\n\nThe text.\n\n"
        "# Method\n\nHow it was done. More.\n\n# Acknowledgements {-}\n\nWe thank the reviewers.\n"
    )
    source = tmp_path / "doc.md"
    source.write_text(text, encoding="utf-8")
    sections, warnings = handout_sections(load_document(source).document)
    # The numbered section without key points still gets its opening sentences and a warning.
    assert [shown.section.id for shown in sections] == ["findings", "method"]
    assert [(w.code, w.location.line) for w in warnings] == [("PR502", 14)]
    # Without key points anywhere, every section is summarised by its opening sentences.
    source.write_text(text.replace("::: summary\n- The point.\n:::\n\n", ""), encoding="utf-8")
    sections, _ = handout_sections(load_document(source).document)
    assert [shown.section.id for shown in sections] == ["findings", "method", "acknowledgements"]
