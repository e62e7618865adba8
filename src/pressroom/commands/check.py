"""``pressroom check [FILES]``: run the validators that apply to each output.

EPUBs: EPUBCheck, and text parity with the source. PDFs: the PDF/UA structure
checks and text parity. Handouts: the structure checks, the page budget and
every key point. The source of ``build/<slug>...`` is ``source/<slug>.md``.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PressroomError

__all__ = ["Check", "check_outputs"]


@dataclass(frozen=True)
class Check:
    """One validator's verdict on one file."""

    path: Path
    name: str
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Whether the check found nothing wrong."""
        return not self.problems


def _epub_text(path: Path) -> str:
    from lxml import etree

    parts: list[str] = []
    with zipfile.ZipFile(path) as book:
        for name in sorted(book.namelist()):
            if name.endswith(".xhtml") and "/chapter-" in name:
                root = etree.fromstring(book.read(name))
                parts.append(" ".join(str(text) for text in root.itertext()))
    return "\n".join(parts)


def _body_text(source: Path) -> str:
    from .. import model as m
    from ..parse import load_document, plain_text
    from ..render.context import walk_blocks

    document = load_document(source).document
    texts = [plain_text(b.children) for b in walk_blocks(document.preamble) if isinstance(b, m.Paragraph)]
    for section in document.all_sections():
        texts.append(plain_text(section.title))
        texts.extend(plain_text(b.children) for b in walk_blocks(section.blocks) if isinstance(b, m.Paragraph))
    return "\n".join(texts)


def _parity(path: Path, product_text: str, source: Path | None) -> Check:
    from ..textparity import missing_words, words

    if source is None or not source.is_file():
        return Check(path, "text parity", (f"no source found ({source}); cannot compare",))
    missing = missing_words(words(_body_text(source)), words(product_text))
    if missing:
        return Check(path, "text parity", (f"{len(missing)} words of the source missing, first: {missing[:5]}",))
    return Check(path, "text parity")


def _source_for(path: Path, sources: Path) -> Path:
    slug = path.name.removesuffix(".epub").removesuffix(".pdf").removesuffix("-handout")
    return sources / f"{slug}.md"


def check_outputs(paths: list[Path], sources: Path = Path("source")) -> list[Check]:
    """Every applicable check on every EPUB and PDF in ``paths`` (files or folders)."""
    from ..textparity import pdf_page_texts
    from ..validate import check_pdf, epubcheck_problems, output_files

    files = output_files(paths)
    checks: list[Check] = []
    for path in files:
        source = _source_for(path, sources)
        if path.suffix == ".epub":
            try:
                messages = epubcheck_problems(path)
            except RuntimeError as exc:
                messages = [str(exc)]
            checks.append(Check(path, "EPUBCheck", tuple(messages)))
            checks.append(_parity(path, _epub_text(path), source))
        elif path.suffix == ".pdf":
            checks.append(Check(path, "PDF/UA structure", tuple(check_pdf(path))))
            pages = pdf_page_texts(path)
            if path.stem.endswith("-handout"):
                checks.append(_handout_budget(path, pages, source))
            else:
                checks.append(_parity(path, "\n".join(pages), source))
    return checks


def _handout_budget(path: Path, pages: list[str], source: Path) -> Check:
    from ..parse import load_document, plain_text
    from ..textparity import contains_words, words

    try:
        document = load_document(source).document
    except PressroomError as exc:
        return Check(path, "page budget", tuple(str(p) for p in exc.problems))
    budget = document.metadata.handout_pages
    problems: list[str] = []
    if len(pages) > budget:
        problems.append(f"{len(pages)} pages; the budget is {budget}")
    text = words("\n".join(pages))
    for section in document.all_sections():
        for point in section.key_points:
            if not contains_words(words(plain_text(point)), text):
                problems.append(f"key point missing: {plain_text(point)[:60]}")
    return Check(path, "page budget", tuple(problems))
