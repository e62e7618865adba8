"""Cost that grows with the input, not faster.

The engine's scaling patches (``pressroom/engine/patches/``) must change
how long WeasyPrint takes and never what it writes: one test lays out a book
that takes every patched path with and without them and compares the bytes.
The others count, on one layout, the work that used to grow with the square
of the book's length (pages scanned, list entries searched, characters handed
to the line breaker) and check that it now grows with the book. No test here
measures time.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .shapes import headings_markdown

# The tests lay out blind to system fonts: the page names a shipped face.
FACE = (Path(__file__).resolve().parents[1] / "templates" / "fonts" / "CharisSIL-Regular.ttf").as_uri()
STYLE = """
@font-face { font-family: Face; src: url("%s"); }
@page { size: 110mm 150mm; margin: 14mm; font-family: Face; font-size: 8pt;
  @top-left { content: string(doc-title); } @top-right { content: string(chapter); }
  @bottom-center { content: counter(page); } }
@page :nth(1 of chapter) { @top-right { content: none; } }
body { font-family: Face; font-size: 10pt; line-height: 13pt; hyphens: auto; text-align: justify; }
.title { string-set: doc-title content(); }
section { break-before: right; page: chapter; }
h1 { string-set: chapter content(); font-size: 12pt; }
.toc a::after { content: " " target-counter(attr(href), page); }
.fn { float: footnote; }
.fixed { position: fixed; bottom: 2mm; right: 2mm; font-size: 6pt; }
pre { white-space: pre; font-size: 6pt; line-height: 7pt; }
.narrow { width: 9pt; font-size: 4pt; line-height: 5pt; text-align: left; }
.anywhere { overflow-wrap: anywhere; }
"""
WORDS = [
    "cooperation",
    "région",
    "security",
    "dialogue",
    "stabilité",
    "partners",
    "trust",
    "maritime",
    "économie",
    "forum",
]


def _words(count: int, start: int = 0) -> str:
    return " ".join(WORDS[(start + 7 * i) % len(WORDS)] for i in range(count))


def book_html(chapters: int, paragraph_words: int, extras: bool = True) -> str:
    """A book of ``chapters`` one-page chapters (each on a right-hand page,
    with a note and a contents entry pointing at it) and a paragraph of
    ``paragraph_words`` words; with ``extras``, also a fixed box on every
    page, preformatted text, a very narrow column and unbreakable words,
    each longer than the engine fixes' long-text threshold."""
    toc = "".join(f'<li><a href="#ch{n}">Chapter {n}</a></li>' for n in range(1, chapters + 1))
    body = "".join(
        f'<section><h1 id="ch{n}">Chapter {n}</h1><p>{_words(40, n)}<span class="fn">Note {n}.</span> '
        f"{_words(30, n + 1)}</p><h2>Part {n}.1</h2><p>{_words(50, n + 2)}</p></section>"
        for n in range(1, chapters + 1)
    )
    long_text = _words(paragraph_words).replace("partners", "part\u00adners")
    extra = ""
    if extras:
        pre = "\n".join(f"{i:05d} {_words(6, i)}" for i in range(120))
        unbreakable = f"{_words(500)} {'x' * 300} {_words(20)}"
        extra = (
            f'<pre>{pre}</pre><p class="narrow">{_words(500)}</p><p class="anywhere">{unbreakable}</p>'
            '<div class="fixed">fixed</div>'
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><title>Scaling</title>'
        f"<style>{STYLE % FACE}</style></head><body>"
        f'<p class="title">A Scaling Test</p><nav class="toc"><ul>{toc}</ul></nav>{body}'
        f'<section><h1 id="long">The long paragraph</h1><p>{long_text}</p>{extra}</section>'
        "</body></html>"
    )


SAME_BYTES_SCRIPT = """
import sys
import pressroom.engine.patches as patches
from pressroom.engine import patched
SCALING = {"line_notes", "page_styles", "earlier_pages", "layout_document", "target_lookups", "string_sets",
           "long_text"}
if sys.argv[2] == "plain":
    patches.PATCHES = tuple(patch for patch in patches.PATCHES if patch.NAME not in SCALING)
import weasyprint
html = open(sys.argv[1], encoding="utf-8").read()
with patched():
    sys.stdout.buffer.write(weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))
"""


@pytest.mark.slow
def test_scaling_fixes_write_the_same_bytes(tmp_path: Path) -> None:
    html = tmp_path / "book.html"
    html.write_text(book_html(12, 3000), encoding="utf-8")

    def pdf(mode: str) -> bytes:
        command = [sys.executable, "-c", SAME_BYTES_SCRIPT, str(html), mode]
        return subprocess.run(command, capture_output=True, check=True).stdout

    plain, fixed = pdf("plain"), pdf("fixed")
    with pikepdf.open(io.BytesIO(plain)) as laid_out:
        assert len(laid_out.pages) > 30  # the book was laid out, blank versos included
    assert fixed == plain


class _Counter:
    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)


def _counting_list(counter: _Counter, key: str) -> type[list[Any]]:
    class CountingList(list[Any]):
        """Counts the entries it hands out by slicing, and searches for None."""

        def __getitem__(self, index: Any) -> Any:
            result = super().__getitem__(index)
            if isinstance(index, slice):
                counter.counts[key] += len(result)
                return CountingList(result)
            return result

        def __contains__(self, item: object) -> bool:
            counter.counts[f"{key}: searches"] += 1
            if item is None:
                counter.counts[key] += len(self)
            return super().__contains__(item)

        def copy(self) -> CountingList:
            return CountingList(self)

    return CountingList


def _counting_dict(counter: _Counter, key: str, base: type[dict[Any, Any]] = dict) -> type[dict[Any, Any]]:
    class CountingDict(base):  # type: ignore[valid-type,misc]
        """Counts the keys iterated over and the membership tests made."""

        def __iter__(self) -> Iterator[Any]:
            for item in super().__iter__():
                counter.counts[key] += 1
                yield item

        def items(self) -> Any:
            for item in super().items():
                counter.counts[key] += 1
                yield item

        def __contains__(self, item: object) -> bool:
            counter.counts[key] += 1
            return super().__contains__(item)

        def __reversed__(self) -> Iterator[Any]:
            counter.counts[f"{key}: backwards"] += 1
            return super().__reversed__()

    return CountingDict


@pytest.fixture(scope="module")
def engine_work() -> tuple[dict[str, int], int]:
    """Lay out a 60-page book with every structure whose search used to grow
    with the book replaced by one that counts; returns the counts and the pages."""
    from pressroom.engine import patched

    with patched():  # installed before the counting structures go in
        pass
    import weasyprint
    import weasyprint.css as css
    import weasyprint.layout as layout
    import weasyprint.layout.inline as inline
    from weasyprint.css.targets import TargetCollector

    counter = _Counter()
    lists, dicts = _counting_list(counter, "page states sliced"), _counting_dict(counter, "lookups scanned")
    note_list = _counting_list(counter, "notes searched for None")
    cascaded = _counting_dict(counter, "cascaded styles iterated")
    strings = _counting_dict(counter, "string-set pages tested", defaultdict)
    with pytest.MonkeyPatch.context() as patch:
        initialize = layout.initialize_page_maker

        def initialize_page_maker(context: Any, root_box: Any) -> None:
            initialize(context, root_box)
            context.page_maker = lists(context.page_maker)

        patch.setattr(layout, "initialize_page_maker", initialize_page_maker)
        fixed_boxes = layout.layout_fixed_boxes

        def layout_fixed_boxes(context: Any, pages: list[Any], page: Any) -> Any:
            counter.counts["pages searched for fixed boxes: searches"] += 1
            counter.counts["pages searched for fixed boxes"] += len(pages)
            return fixed_boxes(context, pages, page)

        patch.setattr(layout, "layout_fixed_boxes", layout_fixed_boxes)
        collector_init = TargetCollector.__init__

        def target_collector_init(collector: Any) -> None:
            collector_init(collector)
            collector.counter_lookup_items = dicts()

        patch.setattr(TargetCollector, "__init__", target_collector_init)
        context_init = layout.LayoutContext.__init__

        def layout_context_init(context: Any, *args: Any) -> None:
            context_init(context, *args)
            context.footnotes = note_list()
            context.string_set = defaultdict(lambda: strings(list))

        patch.setattr(layout.LayoutContext, "__init__", layout_context_init)
        style_for_init = css.StyleFor.__init__

        def style_for_init_counting(style_for: Any, *args: Any) -> None:
            style_for_init(style_for, *args)
            style_for._cascaded_styles = cascaded(style_for._cascaded_styles)

        patch.setattr(css.StyleFor, "__init__", style_for_init_counting)
        split_first_line = inline.split_first_line

        def split_first_line_counting(text: str, *args: Any, **kwargs: Any) -> Any:
            counter.counts["longest text to break"] = max(counter.counts["longest text to break"], len(text))
            return split_first_line(text, *args, **kwargs)

        patch.setattr(inline, "split_first_line", split_first_line_counting)
        with patched():
            document = weasyprint.HTML(string=book_html(30, 5000, extras=False)).render()
    return defaultdict(int, counter.counts), len(document.pages)


def test_the_counted_book_is_long_and_counted(engine_work: tuple[dict[str, int], int]) -> None:
    counts, pages = engine_work
    assert pages > 60
    # Every counting structure was in use (else the bounds below hold vacuously).
    assert counts["lookups scanned"] >= 30  # the contents' 30 target-counter() lookups
    assert counts["page states sliced"] > 0
    assert counts["pages searched for fixed boxes: searches"] >= 2 * pages
    assert counts["notes searched for None: searches"] >= 30  # the chapters' notes
    assert counts["cascaded styles iterated"] + counts["cascaded styles iterated: backwards"] >= pages
    assert counts["string-set pages tested"] >= pages


@pytest.mark.parametrize(
    "work",
    [
        "page states sliced",  # make_page: every earlier page's anchors, for every page
        "pages searched for fixed boxes",  # layout_document: every other page, for every page
        "lookups scanned",  # every counter lookup, for every box missing a counter / every anchor placed
        "notes searched for None",  # every note not yet placed, for every box of every line
        "cascaded styles iterated",  # every page's margin-box styles, for every page
        "string-set pages tested",  # every page back to the title page, for every left-hand running head
    ],
)
def test_engine_work_grows_with_the_pages_not_their_square(engine_work: tuple[dict[str, int], int], work: str) -> None:
    counts, pages = engine_work
    assert counts[work] <= 4 * pages, f"{work}: {counts[work]} for {pages} pages"


def test_the_line_breaker_reads_a_window_of_a_long_paragraph(engine_work: tuple[dict[str, int], int]) -> None:
    counts, _ = engine_work
    # 5,000 words (about 45,000 characters) in one text box; the breaker gets
    # at most 16 KB of it for each line, not the rest of the paragraph.
    assert counts["longest text to break"] <= 16384


# -- the source stage ------------------------------------------------------

QUOTE_PIECES = [*"ab 1'\"'\"*_`.,!?-()\n", "  \n", "\\'", "**", "[x](#y)", "é", "—", "\u00a0", "'\"", '9""', "~~"]


@settings(max_examples=400, deadline=None)
@given(
    text=st.lists(st.sampled_from(QUOTE_PIECES), min_size=1, max_size=40).map("".join),
    quotes=st.sampled_from(["“”‘’", "„“‚‘", "«»‹›", "「」『』", ["«\u202f", "\u202f»", "‹\u202f", "\u202f›"]]),
)
def test_smart_quotes_are_markdown_its(text: str, quotes: str | list[str]) -> None:
    """pressroom's linear rule makes every decision markdown-it's makes, multi-character quotes included."""
    from markdown_it.rules_core.smartquotes import smartquotes as markdown_its

    from pressroom.source.markdown import make_parser

    ours, theirs = make_parser("en"), make_parser("en")
    theirs.core.ruler.at("smartquotes", markdown_its)
    for parser in (ours, theirs):
        parser.options["quotes"] = quotes
    assert ours.render(text) == theirs.render(text)


def test_smart_quotes_rule_is_the_linear_one() -> None:
    from pressroom.source.markdown import make_parser
    from pressroom.source.smartquotes import smartquotes

    rules = make_parser("en").core.ruler.getRules("")
    assert smartquotes in rules
    assert all(rule.__module__ != "markdown_it.rules_core.smartquotes" for rule in rules)


def test_repeated_headings_take_ids_in_linear_time(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """600 headings called "Intro" get intro, intro-1, ..., intro-599 (Pandoc's
    rule) without trying every taken suffix again for each."""
    from pressroom.model.ids import IdRegistry
    from pressroom.source.parse import parse_text

    tried = [0]
    taken = IdRegistry.taken

    def counting(registry: IdRegistry, ident: str) -> bool:
        tried[0] += 1
        return taken(registry, ident)

    monkeypatch.setattr(IdRegistry, "taken", counting)
    source = "---\ntitle: T\nlang: en\n---\n\n" + "# Intro\n\nText.\n\n" * 600
    document = parse_text(source, tmp_path / "doc.md").document
    assert [s.id for s in document.sections[:3]] == ["intro", "intro-1", "intro-2"]
    assert document.sections[-1].id == "intro-599"
    assert tried[0] <= 10 * 600


def test_a_word_beyond_the_longest_the_engine_hyphenates_is_refused_where_it_stands(tmp_path: Path) -> None:
    """PR134: a word of more than 500 letters, in the body or a note, is refused
    with its line before anything is laid out; code, and Thai or Chinese text
    written without spaces, are not words in this sense."""
    from pressroom.errors import SourceError
    from pressroom.source.parse import parse_text

    word, thai, han = "a" * 501, "\u0e01" * 800, "\u4e00" * 800
    source = (
        f"---\ntitle: T\nlang: en\n---\n\n# Heading\n\nFine {'b' * 500} text.\nA second line with {word}.[^1]\n\n"
        f"Code `{'c' * 900}`, {thai} and {han}.\n\n[^1]: A note with {'d' * 600}.\n"
    )
    with pytest.raises(SourceError) as caught:
        parse_text(source, tmp_path / "doc.md")
    problems = [(p.code, p.location.line) for p in caught.value.problems]
    assert problems == [("PR134", 9), ("PR134", 13)]
    assert "a word of 501 letters" in caught.value.problems[0].message
    assert "limited to 500 letters" in caught.value.problems[0].message


def test_a_handout_far_beyond_its_budget_is_refused_without_laying_it_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PR501 before any layout when the handout's words are more than three
    times what its budget holds at the floor (300 chapters of one sentence)."""
    import pressroom.engine.layout as pdf
    from pressroom import BuildOptions, build
    from pressroom.errors import BuildError

    def no_layout(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the handout was laid out")

    monkeypatch.setattr(pdf, "lay_out", no_layout)
    source = tmp_path / "doc.md"
    source.write_text(headings_markdown(300), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build([source], BuildOptions(output_dir=tmp_path / "out", formats=("handout",), jobs=1))
    (problem,) = caught.value.problems
    assert problem.code == "PR501"
    assert "more than three times what its budget of 1 page holds" in problem.message
    assert "have no '::: summary'" in problem.message
