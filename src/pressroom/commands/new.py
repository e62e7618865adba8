"""``pressroom new <slug>``: a new source with every front-matter key shown."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..errors import BuildError, Location, Problem, UsageError

__all__ = ["new_source"]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A file name holds at most 255 bytes on common file systems; the outputs'
# names add "-handout.pdf" and their temporary files about 45 characters more.
MAX_SLUG = 100

TEMPLATE = """\
---
# Front matter: Pandoc's key names, so this file also works with Pandoc.
# Required:
title: "{title}"
lang: en                  # BCP 47 language tag: drives hyphenation and quotes
# Optional (remove the # to use one):
# subtitle: "A subtitle"
# author: [First Author, Second Author]
# publisher: "Publishing body"
date: {today}          # publication date, YYYY-MM-DD
# modified: {today}    # date of the last revision
# edition: "First Edition {year}"
# identifier: "urn:isbn:..."   # default: a stable urn:uuid from title and date
abstract: |
  One or two sentences that say what this document is about. The handout
  leads with them.
# description: "One sentence for catalogues and e-book metadata."
# subject: [Policy]
# keywords: [first keyword, second keyword]
# rights: "© {year} ..."
# url: "https://example.org/full-text"   # printed with a QR code on the handout
# source: "Where the original was published"
# paper: a4               # or letter
# summaries: hide         # 'show' prints the key points in the PDF and EPUB too
# handout: {{pages: 1}}    # the handout's page budget: 1 or 2
# print: {{bleed: 3mm, marks: crop}}   # bleed and crop marks for a print shop
---

# A First Section {{#first-section}}

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
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(TEMPLATE.format(title=title, today=day.isoformat(), year=day.year), encoding="utf-8")
    except OSError as exc:
        raise BuildError([Problem("PR404", f"cannot write the source: {exc.strerror}", Location(str(path)))]) from exc
    return path
