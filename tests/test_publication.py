"""The front matter a publisher sets: authors with affiliations (Quarto's
author schema), series and number, ISBN, ISSN and DOI (check digits
verified), the abstract's heading and placement, the suggested citation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pressroom import model as m
from pressroom.errors import SourceError
from pressroom.model.publication import byline, citation, isbn13, isbn_digits, issn_digits, orcid_digits
from pressroom.render.epub import identifiers
from pressroom.source.parse import parse_text

BODY = "# One\n\nText.\n"


def parse(front: str, body: str = BODY) -> m.Document:
    return parse_text(f"---\ntitle: A Title\nlang: en\n{front}---\n{body}", Path("doc.md")).document


def problems(front: str) -> list[tuple[str, int, int]]:
    """(code, line, column) of each problem; the front matter starts on line 2, ``front`` on line 4."""
    with pytest.raises(SourceError) as caught:
        parse(front)
    return [(p.code, p.location.line, p.location.col) for p in caught.value.problems]


# Real books: Kernighan and Ritchie's The C Programming Language, 2nd edition
# (ISBN-10 and its ISBN-13), Abelson and Sussman's Structure and
# Interpretation of Computer Programs, 2nd edition, and The Chicago Manual of
# Style, 17th edition.
REAL_ISBNS = ["0-13-110362-8", "978-0-13-110362-7", "0-262-51087-1", "978-0-226-28705-8", "ISBN 978 0 226 28705 8"]
# Nature, Science and The Lancet.
REAL_ISSNS = ["0028-0836", "0036-8075", "0140-6736"]


@pytest.mark.parametrize("isbn", REAL_ISBNS)
def test_real_isbns_pass_their_check_digit(isbn: str) -> None:
    assert isbn_digits(isbn)
    assert parse(f"isbn: {isbn}\n").metadata.isbn == isbn


def test_an_isbn_10_becomes_the_isbn_13_of_the_same_book() -> None:
    assert isbn13("0-13-110362-8") == "9780131103627"
    assert isbn13("978-0-13-110362-7") == "9780131103627"
    assert isbn13("0-13-110362-9") == ""


@pytest.mark.parametrize(
    ("isbn", "said"),
    [
        ("978-0-226-28705-9", "must be 8"),
        ("0-13-110362-7", "must be 8"),
        ("978-0-226-2870", "10 or 13 digits"),
        ("977-0-226-28705-8", "10 or 13 digits"),
    ],
)
def test_an_isbn_with_a_wrong_check_digit_is_located_at_its_key(isbn: str, said: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse(f"date: 2024-01-01\nisbn: {isbn}\n")
    (problem,) = caught.value.problems
    assert (problem.code, problem.location.line, problem.location.col) == ("PR025", 5, 1)
    assert said in problem.message


def test_an_isbn_yaml_read_as_a_number_is_asked_for_in_quotes() -> None:
    # 0131103628 read by YAML 1.1 is a number: its leading zero is lost.
    with pytest.raises(SourceError) as caught:
        parse("isbn: 131103628\n")
    assert "in quotes" in caught.value.problems[0].message


@pytest.mark.parametrize("issn", [*REAL_ISSNS, "2434-561X", "0028 0836"])
def test_real_issns_pass_their_check_character(issn: str) -> None:
    assert issn_digits(issn)
    assert parse(f"issn: {issn}\n").metadata.issn == issn


@pytest.mark.parametrize("issn", ["0028-0837", "0028-083", "ABCD-0836"])
def test_an_issn_with_a_wrong_check_character_is_located(issn: str) -> None:
    assert problems(f"issn: {issn}\n") == [("PR026", 4, 1)]


@pytest.mark.parametrize(
    ("doi", "kept"),
    [
        ("10.1000/182", "10.1000/182"),
        ("doi:10.1038/nature12373", "10.1038/nature12373"),
        ("https://doi.org/10.1000/182", "10.1000/182"),
        ("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0", None),
    ],
)
def test_a_doi_is_kept_bare(doi: str, kept: str | None) -> None:
    assert parse(f"doi: '{doi}'\n").metadata.doi == (kept or doi)


@pytest.mark.parametrize("doi", ["11.1000/182", "10.10/182", "10.1000", "https://example.org/10.1000/182"])
def test_what_is_not_a_doi_is_located(doi: str) -> None:
    assert problems(f"doi: '{doi}'\n") == [("PR028", 4, 1)]


AUTHORS = """author:
  - name: Ann Lee
    affiliation: [University of Somewhere, "Institute -- X"]
    orcid: https://orcid.org/0000-0002-1825-0097
    email: ann@example.org
  - Bo "Chen"
  - {name: Cy Doe, affiliations: University of Somewhere, orcid: 0000-0002-1694-233X}
"""


def test_authors_as_pandoc_and_quarto_take_them() -> None:
    meta = parse(AUTHORS).metadata
    ann, bo, cy = meta.authors
    # Smart typography in names and affiliations, as in every text key.
    assert ann == m.Author(
        "Ann Lee", ("University of Somewhere", "Institute – X"), "ann@example.org", "0000-0002-1825-0097"
    )
    assert bo == m.Author("Bo “Chen”")
    assert cy.affiliations == ("University of Somewhere",)
    assert cy.orcid == "0000-0002-1694-233X"
    assert parse("author: One Name\n").metadata.authors == (m.Author("One Name"),)
    assert parse("author: {name: Map Alone, affiliation: Somewhere}\n").metadata.authors[0].affiliations == (
        "Somewhere",
    )


@pytest.mark.parametrize(
    ("front", "found"),
    [
        # Located where the fault is, inside the list.
        ("author:\n  - A\n  - name: B\n    orcid: 0000-0002-1825-0098\n", ("PR027", 7, 12)),
        ("author:\n  - name: B\n    email: not-an-address\n", ("PR005", 6, 12)),
        ("author:\n  - name: B\n    twitter: '@b'\n", ("PR005", 6, 14)),
        ("author:\n  - affiliation: Nowhere\n", ("PR005", 5, 5)),
        ("author:\n  - name: B\n    affiliation: [[nested]]\n", ("PR005", 6, 18)),
        ("author: [A, [B]]\n", ("PR005", 4, 13)),
    ],
    ids=["orcid-checksum", "email", "unknown-key", "no-name", "nested-affiliation", "nested-list"],
)
def test_a_wrong_author_is_located_at_its_fault(front: str, found: tuple[str, int, int]) -> None:
    assert problems(front) == [found]


def test_orcid_check_character() -> None:
    assert orcid_digits("0000-0002-1825-0097") == "0000-0002-1825-0097"
    assert orcid_digits("https://orcid.org/0000-0001-5109-3700") == "0000-0001-5109-3700"
    assert orcid_digits("0000-0002-1694-233x") == "0000-0002-1694-233X"
    assert orcid_digits("0000-0002-1825-0096") == ""


def test_bylines_as_publishers_set_them() -> None:
    one_each = (m.Author("A", ("Uni A",)), m.Author("B", ("Uni B",)), m.Author("C"))
    assert byline(one_each).style == "inline"
    shared = (m.Author("A", ("Uni",)), m.Author("B", ("Uni",)))
    assert byline(shared).style == "shared"
    several = byline((m.Author("A", ("Uni A", "Inst")), m.Author("B", ("Inst",))))
    assert several.style == "marks"
    assert several.affiliations == ("Uni A", "Inst")
    assert [numbers for _, numbers in several.names] == [(1, 2), (2,)]


def test_abstract_placement_and_title() -> None:
    meta = parse("abstract: Short.\nabstract-title: 'Summary -- in brief'\nabstract-placement: handout\n").metadata
    assert meta.abstract_title == "Summary – in brief"
    assert meta.abstract_placement == "handout"
    assert parse("abstract: Short.\n").metadata.abstract_placement == "front"
    assert problems("abstract: Short.\nabstract-placement: page\n") == [("PR005", 5, 1)]


def test_series_number_and_a_verbatim_citation() -> None:
    meta = parse('series: "Working Papers"\nnumber: 12\ncitation: \'Lee -- "Report"\'\n').metadata
    assert (meta.series, meta.number) == ("Working Papers", "12")
    assert meta.citation == "Lee – “Report”"
    assert citation(meta).before == meta.citation


def test_the_suggested_citation_is_built_from_the_metadata() -> None:
    meta = m.Metadata(
        title="A Report",
        subtitle="Its Subtitle",
        lang="en",
        authors=(m.Author("Ann Lee"), m.Author("Bo Chen"), m.Author("Cy Doe")),
        date=dt.date(2024, 5, 1),
        series="Working Papers",
        number="12",
        publisher="The Institute",
        url="https://example.org/r",
        doi="10.1000/182",
    )
    found = citation(meta)
    assert found.before == "Ann Lee, Bo Chen, and Cy Doe. 2024. "
    assert found.title == "A Report: Its Subtitle"
    # The DOI's address wins over the url.
    assert found.after == ". Working Papers No.\u00a012. The Institute. https://doi.org/10.1000/182"
    many = m.Metadata(title="T", lang="en", authors=tuple(m.Author(f"A{n}") for n in range(11)))
    assert citation(many).before == "A0, A1, A2, A3, A4, A5, A6, et al. "
    # No authors: the publisher is the author, as for a corporate report.
    corporate = m.Metadata(title="T", lang="de", publisher="Amt", number="3")
    assert (citation(corporate).before, citation(corporate).after) == ("Amt. ", ". Nr.\u00a03.")


def test_the_epub_identifier_is_the_isbn_13_and_keeps_the_uuid() -> None:
    meta = parse("isbn: 0-13-110362-8\n").metadata
    assert identifiers(meta) == ("urn:isbn:9780131103627", meta.identifier)
    assert meta.identifier.startswith("urn:uuid:")
    assert identifiers(parse("").metadata) == (parse("").metadata.identifier,)


def test_notes_called_from_a_printed_abstract_come_first() -> None:
    body = "# One\n\nText.[^b]\n\n[^b]: Body note.\n"
    front = "abstract: |\n  An abstract.[^a]\n\n  [^a]: Abstract note.\n"
    printed = parse(front, body)
    assert [(note.number, note.label) for note in printed.footnotes] == [(1, "a"), (2, "b")]
    kept = parse(front + "abstract-placement: handout\n", body)
    assert sorted((note.number, note.label) for note in kept.footnotes) == [(0, "a"), (1, "b")]


def rendered_pdf_html(front: str, lang: str = "en") -> str:
    """The print edition's HTML for a document with ``front`` in language ``lang``."""
    from pressroom.model.dates import timestamps
    from pressroom.options import BuildOptions
    from pressroom.render import render_pdf
    from pressroom.render.theme import Theme

    text = f"---\ntitle: T\nlang: {lang}\n{front}---\n{BODY}"
    document = parse_text(text, Path("doc.md")).document
    return render_pdf(document, Theme(None), timestamps(document.metadata, {}), BuildOptions()).html


def test_the_headings_are_in_the_document_language_and_abstract_title_wins() -> None:
    english = rendered_pdf_html("abstract: Short.\n")
    assert '<h1 id="abstract-title" class="abstract-title">Abstract</h1>' in english
    assert ">Suggested citation</p>" in english
    german = rendered_pdf_html("abstract: Kurz.\nseries: Arbeitspapiere\nnumber: 3\n", lang="de-AT")
    assert ">Zusammenfassung</h1>" in german
    assert ">Zitiervorschlag</p>" in german
    assert "Arbeitspapiere Nr.\u00a03" in german
    titled = rendered_pdf_html("abstract: Short.\nabstract-title: 'Summary -- Key Findings'\n")
    assert ">Summary – Key Findings</h1>" in titled
    kept = rendered_pdf_html("abstract: Short.\nabstract-placement: handout\n")
    assert "abstract-title" not in kept
    assert "Short." not in kept


def test_a_corporate_author_that_publishes_is_named_once() -> None:
    body = m.Metadata(title="T", lang="en", authors=(m.Author("The Office"),), publisher="The Office")
    assert citation(body).after == "."
