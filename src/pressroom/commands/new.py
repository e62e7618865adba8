"""``pressroom new <slug>``: a new source with every front-matter key shown."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

from ..errors import BuildError, Location, Problem, UsageError
from ..source.schema import template_lines

__all__ = ["DESCRIPTION", "HELP", "add_arguments", "new_source", "run"]

HELP = "start a new source from a commented template"
DESCRIPTION = "New source."

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A file name holds at most 255 bytes on common file systems; the outputs'
# names add "-handout.pdf" and their temporary files about 45 characters more.
MAX_SLUG = 100

# The front matter comes from the schema (every key, with its help:
# pressroom.source.schema); the body shows what a section, its key points
# and a note look like.
FRONT_MATTER_HEAD = (
    "# Front matter: Pandoc's key names, so this file also works with Pandoc.\n"
    "# Keys after a # are optional: remove the # to use one.\n"
)
BODY = """\
# A First Section {#first-section}

::: summary
- The first key point of this section, in one sentence.
- A second key point; the handout lists these under the heading.
:::

Write the section's text here. Footnotes work as in Pandoc.[^first]

## A Subsection

Text of the subsection, with a [link to the first section](#first-section).

[^first]: A footnote, printed at the foot of the page.
"""


def new_source(slug: str, folder: Path = Path("source"), today: dt.date | None = None) -> Path:
    """Create ``folder/<slug>.md`` from the commented template; never overwrite."""
    if not _SLUG.match(slug):
        raise UsageError(
            [Problem("PR016", f"'{slug}' is not a slug: use lower-case letters, digits and hyphens", Location(slug))]
        )
    if len(slug) > MAX_SLUG:
        message = f"the slug is {len(slug)} characters long; at most {MAX_SLUG} make file names every system can hold"
        raise UsageError([Problem("PR016", message, Location(slug[:40] + "..."))])
    path = folder / f"{slug}.md"
    if path.exists():
        raise UsageError([Problem("PR017", "already exists; choose another slug", Location(str(path)))])
    day = today or dt.date.today()
    title = slug.replace("-", " ").capitalize()
    front = template_lines({"title": title, "today": day.isoformat(), "year": str(day.year)})
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{FRONT_MATTER_HEAD}" + "\n".join(front) + "\n---\n\n" + BODY, encoding="utf-8")
    except OSError as exc:
        raise BuildError([Problem("PR404", f"cannot write the source: {exc.strerror}", Location(str(path)))]) from exc
    return path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The new source's name, and whether to build it."""
    parser.add_argument("slug", metavar="SLUG", help="name of the new source/<SLUG>.md (lower-case, hyphens)")
    parser.add_argument("--no-build", action="store_true", help="only create the source; do not build it")


def run(args: argparse.Namespace) -> int:
    """Write the new source, then build it unless told not to."""
    from ..build import build
    from ..options import BuildOptions
    from .build import print_report

    path = new_source(args.slug)
    print(f"created {path}")
    if args.no_build:
        return 0
    return print_report(build([path], BuildOptions()))
