"""The parallel bilingual edition: a translation that declares ``parallel:
true`` gets a PDF with its original on the left-hand pages and itself on the
right-hand ones, each spread opening on the same block, and an EPUB whose
blocks link to their counterparts."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pressroom import BuildOptions, build
from pressroom.validation.textparity import pdf_page_texts

ENGLISH_WORDS = [
    "the",
    "report",
    "says",
    "that",
    "every",
    "nation",
    "keeps",
    "its",
    "word",
    "and",
    "its",
    "peace",
    "with",
    "care",
]
FRENCH_WORDS = [
    "le",
    "rapport",
    "dit",
    "que",
    "chaque",
    "nation",
    "tient",
    "parole",
    "et",
    "garde",
    "sa",
    "paix",
    "avec",
    "soin",
]


def _paragraph(marker: str, words: list[str], count: int) -> str:
    return f"{marker} " + " ".join(words[i % len(words)] for i in range(count)) + "."


def _source(title: str, lang: str, extra: str, marker: str, words: list[str], lengths: list[list[int]]) -> str:
    heading = "Section" if lang == "en" else "Partie"
    parts = [f"---\ntitle: {title}\nlang: {lang}\ndate: 2017-01-11\n{extra}---\n"]
    number = 0
    for index, section in enumerate(lengths, start=1):
        parts.append(f"# {heading} {index} {{#s{index}}}\n")
        for count in section:
            number += 1
            parts.append(_paragraph(f"{marker}{number}", words, count) + "\n")
    return "\n".join(parts)


# Words per paragraph, by section: the French version of paragraph 5 is
# far longer than the English (longer than a page).
ENGLISH_LENGTHS = [[40, 120, 80, 60], [30, 90, 150, 70, 50], [200, 100]]
FRENCH_LENGTHS = [[45, 130, 90, 65], [35, 1400, 160, 75, 55], [210, 110]]


def _project(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    (source / "report.md").write_text(
        _source("A Report", "en", "", "Para", ENGLISH_WORDS, ENGLISH_LENGTHS), encoding="utf-8"
    )
    (source / "report.fr.md").write_text(
        _source("Un rapport", "fr", "parallel: true\n", "Alinea", FRENCH_WORDS, FRENCH_LENGTHS), encoding="utf-8"
    )
    return source


def _starts(text: str, marker: str) -> list[int]:
    """The numbers of the blocks that start in ``text``: their markers, and headings."""
    return [int(n) for n in re.findall(rf"\b{marker}(\d+)\b", text)]


def test_the_parallel_pdf_sets_the_original_left_and_the_translation_right(tmp_path: Path) -> None:
    source = _project(tmp_path)
    report = build([source], BuildOptions(output_dir=tmp_path / "build", formats=("pdf",), jobs=1))
    names = [o.path.name for o in report.outputs]
    assert names == ["report.fr.pdf", "report.fr-parallel.pdf", "report.pdf"]
    pages = pdf_page_texts(tmp_path / "build" / "report.fr-parallel.pdf")
    assert len(pages) % 2 == 0
    spreads = list(zip(pages[0::2], pages[1::2], strict=True))
    # Several spreads, one of them for the long French paragraph alone.
    assert len(spreads) >= 4
    for left, right in spreads:
        assert not _starts(left, "Alinea")
        assert "Partie" not in left
        assert not _starts(right, "Para")
        assert "Section" not in right
        # The same blocks start on the two pages of every spread.
        assert _starts(left, "Para") == _starts(right, "Alinea")
        assert re.findall(r"Section (\d)", left) == re.findall(r"Partie (\d)", right)
    # Every block is printed, on each side, once.
    assert sorted(n for left, _ in spreads for n in _starts(left, "Para")) == list(range(1, 12))
    assert sorted(n for _, right in spreads for n in _starts(right, "Alinea")) == list(range(1, 12))
    # The long French paragraph runs over spreads of its own, the English one facing its first page.
    long_spreads = [k for k, (_, right) in enumerate(spreads) if "Alinea6" in right]
    assert long_spreads
    following = spreads[long_spreads[0] + 1]
    assert _starts(following[1], "Alinea") == []
    assert _starts(following[0], "Para") == []


def test_the_parallel_pdf_is_rebuilt_byte_identical(tmp_path: Path) -> None:
    source = _project(tmp_path)
    first = tmp_path / "one"
    second = tmp_path / "two"
    build([source / "report.fr.md"], BuildOptions(output_dir=first, formats=("pdf",), jobs=1))
    build([source / "report.fr.md"], BuildOptions(output_dir=second, formats=("pdf",), jobs=1))
    data = (first / "report.fr-parallel.pdf").read_bytes()
    assert data == (second / "report.fr-parallel.pdf").read_bytes()
    # Its templates are recorded, so that editing one makes it again; the
    # original's text is in its key.
    manifest = json.loads((first / ".pressroom-cache" / "manifest.json").read_text(encoding="utf-8"))
    deps = manifest["entries"]["report.fr/parallel-pdf"]["deps"]
    assert {"theme:parallel.css", "theme:parallel.html.j2", "theme:pdf.css"} <= set(deps)
    report = build([source / "report.fr.md"], BuildOptions(output_dir=first, formats=("pdf",), jobs=1))
    assert all(output.reused for output in report.outputs)
    original = source / "report.md"
    original.write_text(original.read_text(encoding="utf-8").replace("Para11", "Para11 Now"), encoding="utf-8")
    report = build([source / "report.fr.md"], BuildOptions(output_dir=first, formats=("pdf",), jobs=1))
    assert "report.fr-parallel.pdf" in [o.path.name for o in report.outputs if not o.reused]


def test_each_side_of_the_parallel_pdf_holds_its_own_text(tmp_path: Path) -> None:
    from pressroom.commands.check import check_outputs

    source = _project(tmp_path)
    build([source / "report.fr.md"], BuildOptions(output_dir=tmp_path / "build", formats=("pdf",), jobs=1))
    checks = check_outputs([tmp_path / "build" / "report.fr-parallel.pdf"], sources=source)
    # The joined PDF keeps the tagged structure the checks ask of any.
    assert [check.problems for check in checks if check.name == "PDF/UA structure"] == [()]
    parity = {check.name: check.problems for check in checks if check.name.startswith("text parity")}
    assert parity == {
        "text parity (left-hand pages, the original)": (),
        "text parity (right-hand pages, the translation)": (),
    }
