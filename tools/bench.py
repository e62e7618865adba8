"""The benchmark behind ``nox -s bench``: pressroom against the
layout floor and Pandoc, per stage, median of several runs, in fresh processes.

Cases: the seed (small) and a generated book of about 300 A4 pages with
footnotes and tables (``tests/longdoc.py``). For each case it measures

- pressroom's stages in one process: parse, render, PDF layout, PDF write,
  EPUB (reusing the layout), handout (with copyfitting), with peak memory;
- the whole build (``pressroom build --no-cache``, all three products);
- the floor: WeasyPrint alone on the exact HTML and CSS of our PDF stage;
- Pandoc 3 (pypandoc-binary) making an EPUB, and a PDF through WeasyPrint,
  from the same Markdown;

then prints ratios, a --jobs comparison on 8 copies of the seed, the
no-op rebuild time, and the proof report's figures for both cases. ``--write FILE`` also writes the tables as Markdown.

``--texture`` runs only the line-texture comparison
(``tools/texture_compare.py``: pressroom with and without its paragraph
breaker, and Typst 0.15, on the same text), which the full run also ends with.

``--scaling`` measures instead how cost grows with the input: three shapes
(``tests/shapes.py``: many chapters, one long paragraph, many notes), each
built at one and ten times a size with ``pressroom build -j 1 --no-cache``
(all three products, then ``-f pdf``), with seconds (wall and CPU) and peak
memory per page at each size and their ratios.
Figures only: nothing here asserts a time (machines here are shared).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.longdoc import long_markdown  # noqa: E402
from tests.shapes import headings_markdown, notes_markdown, paragraph_markdown  # noqa: E402

STAGES_SCRIPT = r"""
import json, os, resource, sys, time
from pathlib import Path
source, html_out, css_out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
def peak(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out = {}
t = time.perf_counter()
from pressroom.source.parse import load_document
from pressroom.model.dates import timestamps
from pressroom.render.theme import Theme
from pressroom.render.themepath import project_dir_for
from pressroom.options import BuildOptions
from pressroom.render import render_pdf, render_epub
from pressroom.products.registry import Job, FORMATS
from pressroom.render.markup import PrintPages
from pressroom.writers.pdf import write_pdf
from pressroom.writers.cover import cover_png
from pressroom.writers.epub import write_epub
from pressroom.engine import patched
with patched(): pass  # import the engine and install its patches, as the import stage
out["import"] = (time.perf_counter() - t, peak())
t = time.perf_counter(); document = load_document(source).document; out["parse"] = (time.perf_counter() - t, peak())
theme = Theme(project_dir_for(source)); dates = timestamps(document.metadata); options = BuildOptions()
t = time.perf_counter(); product = render_pdf(document, theme, dates, options)
out["render"] = (time.perf_counter() - t, peak())
html_out.write_text(product.html, encoding="utf-8"); css_out.write_text(product.stylesheets[0], encoding="utf-8")
timings = {}
pdf = write_pdf(product, str(source), timings, processes=len(os.sched_getaffinity(0)))
out["pdf layout"] = (timings["layout"], peak()); out["pdf write"] = (timings["write"], peak())
t = time.perf_counter()
print_pages = PrintPages(dict(pdf.first_page), pdf.page_count, cover_png(pdf.data))
write_epub(render_epub(document, theme, dates, print_pages), "x")
out["epub"] = (time.perf_counter() - t, peak())
t = time.perf_counter(); FORMATS["handout"].produce(Job(document, theme, dates, options))
out["handout"] = (time.perf_counter() - t, peak())
out["pages"] = pdf.page_count
print(json.dumps(out))
"""

FLOOR_SCRIPT = r"""
import sys, weasyprint
html, css, base, target = sys.argv[1:5]
weasyprint.HTML(filename=html, base_url=base).write_pdf(
    target, stylesheets=[weasyprint.CSS(filename=css, base_url=base)], pdf_variant="pdf/ua-1")
"""


def _tree_pss(root: int) -> int:
    """Bytes of memory (PSS) used by ``root`` and all its descendants now.

    PSS counts a shared page once across the processes that share it, so the
    sum is what a build really holds, however many processes it uses.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
        stack.extend(children.get(pid, []))
    return total


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak memory (MiB, PSS summed over the process tree,
    sampled every 0.1 s) and stdout of one fresh process."""
    started = time.perf_counter()
    ended: list[float] = []

    def wait(process: subprocess.Popen[bytes]) -> None:
        process.wait()
        ended.append(time.perf_counter())

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err)
        # The end is taken by a thread blocked in wait(), not by the sampling
        # loop: a 0.1 s poll added up to 0.1 s to every figure, which matters
        # for a no-op rebuild of 0.2 s.
        waiter = threading.Thread(target=wait, args=(process,))
        waiter.start()
        peak = 0
        while waiter.is_alive():
            peak = max(peak, _tree_pss(process.pid))
            waiter.join(0.1)
        elapsed = ended[0] - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{stderr[-2000:]}")
    return elapsed, peak / 2**20, stdout


def median_run(cmd: list[str], runs: int, cwd: Path | None = None) -> tuple[float, float]:
    """Median wall seconds and peak MiB of ``runs`` fresh runs of ``cmd``."""
    results = [run(cmd, cwd)[:2] for _ in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def pandoc() -> str:
    """The pandoc binary that pypandoc-binary ships."""
    import pypandoc  # bench-only dependency: pypandoc-binary

    return str(pypandoc.get_pandoc_path())


def bench_case(name: str, source: Path, work: Path, runs: int) -> dict[str, object]:
    """Every measurement of one case."""
    python = sys.executable
    html, css = work / f"{name}.html", work / f"{name}.css"
    stage_cmd = [python, "-c", STAGES_SCRIPT, str(source), str(html), str(css)]
    stage_runs = [json.loads(run(stage_cmd)[2]) for _ in range(runs)]
    stages = {
        key: (
            statistics.median(r[key][0] for r in stage_runs),
            max(r[key][1] for r in stage_runs),
        )
        for key in ("import", "parse", "render", "pdf layout", "pdf write", "epub", "handout")
    }
    pages = stage_runs[0]["pages"]
    base = source.parent.resolve().as_uri() + "/"
    weasyprint_bin = str(Path(python).parent / "weasyprint")
    os.environ["PATH"] = f"{Path(python).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    commands = {
        "build": [python, "-m", "pressroom", "build", str(source), "-o", str(work / f"out-{name}"), "--no-cache"],
        "pdf_only": [
            *[python, "-m", "pressroom", "build", str(source), "-o", str(work / f"pdf-{name}")],
            *["-f", "pdf", "--no-cache"],
        ],
        "floor": [python, "-c", FLOOR_SCRIPT, str(html), str(css), base, str(work / f"{name}-floor.pdf")],
        "pandoc_epub": [pandoc(), str(source), "-o", str(work / f"{name}-pandoc.epub")],
        "pandoc_pdf": [
            *[pandoc(), str(source), "-o", str(work / f"{name}-pandoc.pdf")],
            f"--pdf-engine={weasyprint_bin}",
        ],
    }
    # Paired rounds: each round runs every command once, back to back, so that
    # a ratio compares figures taken under the same load on a shared machine;
    # the reported ratio is the median of the rounds' ratios.
    rounds = [{key: run(command)[:2] for key, command in commands.items()} for _ in range(runs)]
    return {"pages": pages, "stages": stages, "rounds": rounds}


# A pure-Python CPU-bound loop (about 1 s): what two processes at once can
# gain on this machine at this moment, whatever pressroom does.
SPIN_SCRIPT = "s = 0\nfor i in range(8_000_000): s += i"


def _spin_pair() -> tuple[float, float]:
    """Seconds for one spinning process alone (the mean of one run before and
    one after), and for two started together."""
    command = [sys.executable, "-c", SPIN_SCRIPT]

    def alone() -> float:
        started = time.perf_counter()
        subprocess.run(command, check=True)
        return time.perf_counter() - started

    before = alone()
    started = time.perf_counter()
    pair = [subprocess.Popen(command) for _ in range(2)]
    for process in pair:
        process.wait()
    together = time.perf_counter() - started
    return (before + alone()) / 2, together


def bench_jobs(work: Path, runs: int) -> list[tuple[float, float, float]]:
    """Sequential and --jobs 2 seconds for a folder of 8 copies of the seed, in
    paired rounds, each with the machine's own ceiling for that round: two
    CPU-bound processes at once over twice one alone, the best ratio that
    perfectly divisible work could reach under the same load."""
    folder = work / "eight"
    folder.mkdir(exist_ok=True)
    seed = ROOT / "source" / "asia-pacific-security-cooperation.md"
    for index in range(8):
        shutil.copy(seed, folder / f"copy-{index}.md")
    base = [sys.executable, "-m", "pressroom", "build", str(folder), "--no-cache"]
    rounds = []
    for _ in range(runs):
        # --jobs defaults to the cores: the sequential figure needs --jobs 1.
        sequential = run([*base, "-o", str(work / "eight-seq"), "--jobs", "1"])[0]
        parallel = run([*base, "-o", str(work / "eight-par"), "--jobs", "2"])[0]
        alone, pair = _spin_pair()
        rounds.append((sequential, parallel, pair / (2 * alone)))
    return rounds


def bench_noop(work: Path, runs: int) -> float:
    """Seconds for a rebuild of the seed when nothing changed."""
    seed = ROOT / "source" / "asia-pacific-security-cooperation.md"
    out = work / "noop"
    run([sys.executable, "-m", "pressroom", "build", str(seed), "-o", str(out)])
    return median_run([sys.executable, "-m", "pressroom", "build", str(seed), "-o", str(out)], runs)[0]


def bench_proof(sources: list[Path]) -> str:
    """The proof report's table for the cases (``pressroom check --proof``):
    the typesetting's figures beside its cost, from the same layout."""
    command = [sys.executable, "-m", "pressroom", "check", "--proof", *map(str, sources)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    table = result.stdout.rstrip() if result.returncode == 0 else f"check --proof failed: {result.stderr[-2000:]}"
    return "\n".join(["### Proof report (`pressroom check --proof`, default thresholds)", "", "```", table, "```", ""])


def _median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def report(cases: dict[str, dict[str, Any]], jobs: list[tuple[float, float, float]], noop: float, runs: int) -> str:
    """The figures as Markdown tables with the ratios the targets are about.

    Figures are medians over the rounds; each ratio is the median of the
    rounds' own ratios (paired: both sides measured back to back).
    """
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}; {runs} paired rounds, fresh processes; figures are medians, and each ratio "
        "is the median of the rounds' ratios.",
        "",
    ]
    for name, data in cases.items():
        stages, rounds = data["stages"], data["rounds"]
        seconds = {key: _median(r[key][0] for r in rounds) for key in rounds[0]}
        memory = {key: _median(r[key][1] for r in rounds) for key in rounds[0]}
        wholes = [r["build"][0] / (r["pandoc_epub"][0] + r["pandoc_pdf"][0]) for r in rounds]
        pdf_stage = _median(r["pdf_only"][0] / r["floor"][0] for r in rounds)
        peak = _median(r["build"][1] / r["floor"][1] for r in rounds)
        lines += [
            f"### {name} ({data['pages']} PDF pages)",
            "",
            "| stage | seconds | peak MiB after (RSS, this process) |",
            "|---|---:|---:|",
            *[f"| {key} | {value[0]:.2f} | {value[1]:.0f} |" for key, value in stages.items()],
            "",
            "| measure | seconds | peak MiB (PSS, all processes) |",
            "|---|---:|---:|",
            f"| pressroom build, all three products | {seconds['build']:.2f} | {memory['build']:.0f} |",
            f"| pressroom build, PDF only | {seconds['pdf_only']:.2f} | {memory['pdf_only']:.0f} |",
            f"| floor: WeasyPrint alone on our HTML | {seconds['floor']:.2f} | {memory['floor']:.0f} |",
            f"| Pandoc EPUB | {seconds['pandoc_epub']:.2f} | |",
            f"| Pandoc PDF via WeasyPrint | {seconds['pandoc_pdf']:.2f} | {memory['pandoc_pdf']:.0f} |",
            "",
            f"- whole build / Pandoc's two products: **{_median(wholes):.2f}** (target at most 0.9; rounds: "
            + ", ".join(f"{whole:.2f}" for whole in wholes)
            + ")",
            f"- PDF stage (`build -f pdf`, whole process) / floor (whole process): **{pdf_stage:.2f}** "
            "(target at most 1.1)",
            f"- peak memory, build / floor: **{peak:.2f}** (target at most 1.3)",
            "",
        ]
    ratios = [parallel / sequential for sequential, parallel, _ in jobs]
    ceilings = [ceiling for _, _, ceiling in jobs]
    lines += [
        "### Parallel and incremental",
        "",
        f"- 8 copies of the seed: sequential {_median(s for s, _, _ in jobs):.2f} s, `--jobs 2` "
        f"{_median(p for _, p, _ in jobs):.2f} s: **{_median(ratios):.2f}** (target at most 0.6; rounds: "
        + ", ".join(f"{ratio:.2f}" for ratio in ratios)
        + ")",
        f"- the machine's ceiling in the same rounds (two CPU-bound Python processes at once over twice one "
        f"alone; 0.5 on two idle cores): **{_median(ceilings):.2f}** (rounds: "
        + ", ".join(f"{ceiling:.2f}" for ceiling in ceilings)
        + ")",
        f"- no-op rebuild of the seed: **{noop:.2f} s** (target under 0.3 s), WeasyPrint not imported",
        "",
    ]
    return "\n".join(lines)


def _shapes() -> dict[str, tuple[tuple[str, str], tuple[str, str]]]:
    """Every shape's (size label, Markdown) at 1x and 10x."""
    return {
        "headings": (("300 chapters", headings_markdown(300)), ("3,000 chapters", headings_markdown(3000))),
        "paragraph": (("100 KB", paragraph_markdown(100_000)), ("1 MB", paragraph_markdown(1_000_000))),
        "notes": (("500 notes", notes_markdown(500)), ("5,000 notes", notes_markdown(5000))),
    }


_WROTE = re.compile(r"\((\d+) pages,")


def _measured_build(source: Path, out: Path, formats: list[str]) -> dict[str, Any]:
    """Wall and CPU seconds, peak PSS and outcome of one ``pressroom build -j 1 --no-cache``.

    A handout refused for its budget (PR501) is an outcome, not a failure:
    a book of hundreds of chapters without summaries cannot have one.
    """
    command = [sys.executable, "-m", "pressroom", "build", str(source), "-o", str(out), "-j", "1", "--no-cache"]
    command += formats
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    ended: list[float] = []
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr)

        def wait() -> None:
            process.wait()
            ended.append(time.perf_counter())

        waiter = threading.Thread(target=wait)
        waiter.start()
        peak = 0
        while waiter.is_alive():
            peak = max(peak, _tree_pss(process.pid))
            waiter.join(0.1)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        stdout.seek(0)
        stderr.seek(0)
        out_text, err_text = stdout.read().decode(), stderr.read().decode()
    refused = process.returncode == 1 and "[PR501]" in err_text and err_text.count("error:") == 1
    if process.returncode != 0 and not refused:
        raise SystemExit(f"failed: {' '.join(command)}\n{err_text[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    pages = [int(found) for found in _WROTE.findall(out_text)]
    return {
        "wall": ended[0] - started,
        "cpu": cpu,
        "mib": peak / 2**20,
        "pages": max(pages, default=0),
        "refused": refused,
    }


def bench_scaling(work: Path) -> dict[str, list[dict[str, Any]]]:
    """Each shape at 1x and 10x: its PDF's pages and both builds' figures."""
    results: dict[str, list[dict[str, Any]]] = {}
    for shape, sizes in _shapes().items():
        for label, markdown in sizes:
            source = work / f"{shape}-{len(results.get(shape, []))}.md"
            source.write_text(markdown, encoding="utf-8")
            pdf = _measured_build(source, work / f"scaling-pdf-{source.stem}", ["-f", "pdf"])
            whole = _measured_build(source, work / f"scaling-all-{source.stem}", [])
            entry = {"label": label, "source_kib": len(markdown.encode()) / 1024, "pages": pdf["pages"]}
            results.setdefault(shape, []).append({**entry, "pdf": pdf, "all": whole})
    return results


def scaling_report(results: dict[str, list[dict[str, Any]]]) -> str:
    """The scaling figures as Markdown: per page at each size and the ratios 10x/1x."""
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}; one run of each build, fresh processes, `-j 1 --no-cache`. CPU is user + system "
        "seconds of the build's process; memory is peak PSS (sampled every 0.1 s).",
        "",
        "| shape | size | source KiB | PDF pages | build | wall s | CPU s | peak MiB | CPU ms/page | MiB/page |",
        "|---|---|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    ratios: list[str] = []
    for shape, (small, large) in results.items():
        for entry in (small, large):
            for build in ("all", "pdf"):
                figures = entry[build]
                name = (
                    "`-f pdf`" if build == "pdf" else "all three" + (" (handout PR501)" if figures["refused"] else "")
                )
                lines.append(
                    f"| {shape} | {entry['label']} | {entry['source_kib']:.0f} | {entry['pages']} | {name} | "
                    f"{figures['wall']:.1f} | {figures['cpu']:.1f} | {figures['mib']:.0f} | "
                    f"{1000 * figures['cpu'] / entry['pages']:.1f} | {figures['mib'] / entry['pages']:.3f} |"
                )
        for build in ("all", "pdf"):
            per_page = {
                key: (large[build][key] / large["pages"]) / (small[build][key] / small["pages"])
                for key in ("wall", "cpu", "mib")
            }
            marginal = (large[build]["cpu"] - small[build]["cpu"]) / (large["pages"] - small["pages"])
            name = "`-f pdf`" if build == "pdf" else "all three"
            ratios.append(
                f"- {shape}, {name}: per page at 10x / at 1x: CPU **{per_page['cpu']:.2f}**, wall "
                f"{per_page['wall']:.2f}, memory **{per_page['mib']:.2f}** (target at most 1.5); each page added "
                f"costs {1000 * marginal:.1f} ms of CPU against {1000 * small[build]['cpu'] / small['pages']:.1f} "
                "ms a page at 1x"
            )
    return "\n".join([*lines, "", *ratios, ""])


def texture_section(runs: int) -> str:
    """The line-texture comparison (tools/texture_compare.py, in a process of
    its own), as a Markdown section."""
    script = Path(__file__).resolve().with_name("texture_compare.py")
    done = subprocess.run(
        [sys.executable, str(script), "--runs", str(runs)], stdout=subprocess.PIPE, text=True, check=True
    )
    return "## Line texture against Typst\n\n" + done.stdout


def main() -> int:
    """Run the benchmark and print (and optionally write) the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chapters", type=int, default=45, help="chapters of the long case (45: about 300 pages)")
    parser.add_argument("--write", type=Path, help="also write the tables to this Markdown file")
    parser.add_argument("--scaling", action="store_true", help="measure cost per page at 1x and 10x sizes instead")
    parser.add_argument("--texture", action="store_true", help="only compare line texture with Typst")
    args = parser.parse_args()
    if args.texture:
        text = texture_section(args.runs)
        print(text)
        if args.write:
            args.write.write_text(text, encoding="utf-8")
        return 0
    if args.scaling:
        with tempfile.TemporaryDirectory() as folder:
            text = scaling_report(bench_scaling(Path(folder)))
        print(text)
        if args.write:
            args.write.write_text(text, encoding="utf-8")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        long_source = work / "long-book.md"
        long_source.write_text(long_markdown(chapters=args.chapters, summaries=True), encoding="utf-8")
        cases = {
            "seed": bench_case("seed", ROOT / "source" / "asia-pacific-security-cooperation.md", work, args.runs),
            "long book": bench_case("long", long_source, work, args.runs),
        }
        jobs = bench_jobs(work, max(args.runs, 5))
        noop = bench_noop(work, max(args.runs, 5))
        proof = bench_proof([ROOT / "source" / "asia-pacific-security-cooperation.md", long_source])
    text = "\n".join([report(cases, jobs, noop, args.runs).rstrip("\n"), "", proof, "", texture_section(args.runs)])
    print(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
