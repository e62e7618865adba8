"""Ids, links and image paths: every product valid for any heading text, link
target or file name (one id registry, one link and image policy)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from pressroom import BuildOptions, PressroomError, build
from pressroom import model as m
from pressroom.model.ids import is_ncname
from pressroom.model.walk import walk
from pressroom.source.parse import parse_text
from pressroom.validation.validators import epubcheck_problems

FRONT = "---\ntitle: Ids\nlang: en\n---\n\n"


def parse(body: str, tmp_path: Path | None = None) -> m.Document:
    folder = tmp_path or Path("/nonexistent")
    return parse_text(FRONT + body, folder / "doc.md").document


def all_ids(document: m.Document) -> list[str]:
    ids = [getattr(node, "id", "") for node, _ in walk(document)]
    ids += [s.summary_id for s in document.all_sections()]
    return [ident for ident in ids if ident]


def codes_of(body: str, tmp_path: Path) -> list[str]:
    try:
        result = parse_text(FRONT + body, tmp_path / "doc.md")
    except PressroomError as exc:
        return [p.code for p in exc.problems]
    return [p.code for p in result.warnings]


def test_heading_ids_are_unique_the_way_pandoc_makes_them() -> None:
    document = parse("# Intro\n\nOne.\n\n# Intro 1\n\nTwo.\n\n# Intro\n\nThree.\n")
    assert [s.id for s in document.sections] == ["intro", "intro-1", "intro-2"]


def test_block_ids_never_collide_with_heading_ids() -> None:
    # The first paragraph under "Intro" would be 'intro-1', the second heading's id.
    document = parse("# Intro\n\nOne.\n\nTwo.\n\n# Intro\n\nThree [back](#intro-1).\n")
    ids = all_ids(document)
    assert len(ids) == len(set(ids)), ids
    assert document.sections[1].id == "intro-1"
    assert all(is_ncname(ident) for ident in ids)


def test_an_explicit_id_never_collides_with_a_note() -> None:
    document = parse("# Notes {#fn1}\n\nA call.[^a] Another.[^b]\n\n[^a]: First.\n[^b]: Second.\n")
    ids = all_ids(document)
    assert len(ids) == len(set(ids)), ids
    assert document.sections[0].id == "fn1"
    assert [note.number for note in document.footnotes] == [1, 2]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("# Title {#1st}\n\nText.\n", "PR115"),
        ("# Title {#toc}\n\nText.\n", "PR115"),
        ("# Title {#page-3}\n\nText.\n", "PR115"),
        ("# A {#same}\n\nText.\n\n# B {#same}\n\nText.\n", "PR102"),
    ],
)
def test_invalid_reserved_and_duplicate_ids_are_refused(body: str, code: str, tmp_path: Path) -> None:
    assert code in codes_of(body, tmp_path)


def test_an_empty_heading_is_an_error(tmp_path: Path) -> None:
    assert "PR117" in codes_of("# Fine\n\nText.\n\n#\n\nMore text.\n", tmp_path)


def test_protocol_relative_links_are_refused(tmp_path: Path) -> None:
    assert "PR114" in codes_of("# T\n\nSee [share](//evil.example/share/x).\n", tmp_path)


def _image(path: Path) -> None:
    Image.new("RGB", (60, 40), (40, 90, 160)).save(path, format="PNG")


@pytest.fixture(scope="module")
def odd_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path], tuple[str, ...]]:
    """A document with every kind of odd link, image name and heading."""
    folder = tmp_path_factory.mktemp("odd")
    for name in ("café.png", "a b.png", "img.png"):
        _image(folder / name)
    source = folder / "odd.md"
    source.write_text(
        FRONT
        + "# A [linked](https://example.org) heading\n\n"
        + "See [other](other.md), [spaced](my%20url), [star](bar*) and [nothing]().\n\n"
        + "Images: ![café](café.png), ![spaced](<a b.png>), ![query](img.png?v=2), ![frag](img.png#frag).\n\n"
        + "# Intro\n\nOne.\n\n# Intro 1\n\nTwo.\n\n# Intro\n\nThree, [to the first](#intro).\n",
        encoding="utf-8",
    )
    report = build([source], BuildOptions(output_dir=folder / "out"))
    return folder, {r.format: r.path for r in report.outputs}, tuple(p.code for p in report.warnings)


def test_links_to_local_files_are_text_with_a_warning(odd_build: tuple[Path, dict[str, Path], tuple[str, ...]]) -> None:
    folder, outputs, codes = odd_build
    assert codes.count("PR116") == 4
    with zipfile.ZipFile(outputs["epub"]) as book:
        chapters = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    for target in ("other.md", "my%20url", "my url", "bar*", 'href=""'):
        assert target not in chapters
    assert "See other, spaced, star and nothing." in chapters
    with pikepdf.open(outputs["pdf"]) as pdf:
        uris = [
            str(annot.A.URI)
            for page in pdf.pages
            for annot in page.obj.get("/Annots", [])
            if "/A" in annot and "/URI" in annot.A
        ]
    assert uris == ["https://example.org"]
    assert str(folder) not in outputs["pdf"].read_bytes().decode("latin-1")


def test_odd_names_links_and_headings_give_valid_products(
    odd_build: tuple[Path, dict[str, Path], tuple[str, ...]],
) -> None:
    _, outputs, _ = odd_build
    with zipfile.ZipFile(outputs["epub"]) as book:
        images = sorted(n for n in book.namelist() if "/images/" in n)
    # Every file the images name, under ASCII names, each once.
    assert [name.rsplit("/", 1)[-1] for name in images] == ["01-cafe.png", "02-a-b.png", "03-img.png"]
    assert epubcheck_problems(outputs["epub"]) == []


def test_a_document_without_headings_gives_a_valid_epub(tmp_path: Path) -> None:
    source = tmp_path / "memo.md"
    source.write_text(FRONT + "Just a memo, with no heading at all.\n", encoding="utf-8")
    report = build([source], BuildOptions(output_dir=tmp_path / "out", formats=("epub",)))
    (epub,) = (r.path for r in report.outputs)
    with zipfile.ZipFile(epub) as book:
        nav = book.read("EPUB/nav.xhtml").decode()
    assert '<a href="text-00.xhtml">Ids</a>' in nav
    assert epubcheck_problems(epub) == []
