"""Mark running heads and folios as pagination artifacts (PDF/UA-1, ISO 14289-1 7.8).

WeasyPrint 70 tags the text of page-margin boxes as ``/Span`` marked content and
builds structure elements for it that it never links into the structure tree
(pdf/tags.py: "could be included in tree as Artifact, but that's only allowed in
PDF 2.0"). Such content is neither real content nor an artifact, which PDF/UA
forbids. This finisher, run by WeasyPrint right before it writes the trailer,
turns every marked-content sequence whose structure element is unreachable from
the structure tree into ``/Artifact <</Type /Pagination>>`` and drops it from the
parent tree.
"""

from __future__ import annotations

from typing import Any

__all__ = ["artifact_unlinked_content"]


def _number(reference: Any) -> int | None:
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return int(reference.split()[0])
    return None


def artifact_unlinked_content(document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: see the module docstring."""
    import pydyf

    objects = pdf.objects

    def resolve(reference: Any) -> Any:
        number = _number(reference)
        return objects[number] if number is not None else reference

    if "StructTreeRoot" not in pdf.catalog:
        return
    root = resolve(pdf.catalog["StructTreeRoot"])
    reachable: set[int] = set()
    pending = list(root["K"])
    while pending:
        number = _number(pending.pop())
        if number is None or number in reachable:
            continue
        reachable.add(number)
        element = objects[number]
        kids = element.get("K") if isinstance(element, pydyf.Dictionary) else None
        if isinstance(kids, pydyf.Array):
            pending.extend(kid for kid in kids if _number(kid) is not None)

    nums = resolve(root["ParentTree"])["Nums"]
    parents = {nums[i]: nums[i + 1] for i in range(0, len(nums), 2)}
    # pydyf keeps page references as flat (number, 0, "R") triples.
    kids = pdf.pages["Kids"]
    for index, number in enumerate(kids[0::3]):
        page = objects[number]
        mcids = parents.get(page.get("StructParents", index))
        if not isinstance(mcids, pydyf.Array):
            continue
        unlinked = {mcid for mcid, ref in enumerate(mcids) if _number(ref) not in reachable}
        if not unlinked:
            continue
        for mcid in unlinked:
            mcids[mcid] = "null"
        stream = resolve(page["Contents"]).stream
        for position, item in enumerate(stream):
            if (
                isinstance(item, pydyf.Dictionary)
                and item.get("MCID") in unlinked
                and position > 0
                and isinstance(stream[position - 1], str)
            ):
                stream[position - 1] = "/Artifact"
                stream[position] = pydyf.Dictionary({"Type": "/Pagination"})
