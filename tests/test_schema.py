"""One front-matter schema: every key is declared once, and validation, the
model, `pressroom new` and the README all follow it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import yaml

from pressroom import model as m
from pressroom.commands.new import new_source
from pressroom.source.parse import load_document
from pressroom.source.schema import FIELDS, KNOWN_KEYS, REQUIRED


def test_every_metadata_field_comes_from_one_key() -> None:
    filled: dict[str, str] = {}
    samples = {"print": ("3mm", "crop"), "summaries": "show", "handout": 2}
    for field in FIELDS:
        for name in field.metadata(samples.get(field.key, "x")):
            assert name not in filled, f"{name} is filled by {filled[name]} and {field.key}"
            filled[name] = field.key
    names = {f.name for f in dataclasses.fields(m.Metadata)} - {"abstract"}
    assert set(filled) == names


def test_the_new_template_holds_every_key_and_means_what_it_says(tmp_path: Path) -> None:
    path = new_source("a-report", tmp_path, dt.date(2026, 1, 2))
    text = path.read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    for field in FIELDS:
        assert f"{field.key}:" in front
        assert field.help in front
    # Uncommenting every key gives a valid source: each example passes its own check.
    keys = front.splitlines()[2:]  # after the two lines that explain the template
    uncommented = "\n".join(line.removeprefix("# ") for line in keys)
    assert set(yaml.safe_load(uncommented)) == set(KNOWN_KEYS)
    whole = tmp_path / "whole.md"
    whole.write_text(f"---\n{uncommented}\n---\n" + text.split("---\n", 2)[2], encoding="utf-8")
    meta = load_document(whole).document.metadata
    assert meta.title == "A report"
    assert meta.print_marks == "crop"
    assert meta.handout_pages == 1
    # The publisher's keys: an author with an affiliation and an ORCID iD,
    # an ISBN and ISSN whose check digits hold, a DOI, the abstract printed.
    assert meta.authors[0].affiliations == ("A University",)
    assert meta.authors[0].orcid == "0000-0002-1825-0097"
    assert (meta.series, meta.number, meta.doi) == ("Working Papers", "12", "10.1000/182")
    assert meta.isbn
    assert meta.issn
    assert meta.abstract_placement == "front"
    assert set(REQUIRED) == {"title", "lang"}
