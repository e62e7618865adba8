"""Number the footnotes in reading order and give notes and calls their ids.

markdown-it numbers notes in the order its parser meets their calls, which is
not the order a reader meets them: a note called from another note's text is
met where that note's definition stands (usually the end of the file), a note
in the abstract belongs to another parse. Here the notes are numbered by
:func:`pressroom.model.walk.walk` over what the print and EPUB editions show, so the
number of every note is the order in which a reader of those editions first
meets it, nested notes right after the note that calls them (the abstract's
first, as it comes before the body). Notes called only where those editions
do not show (hidden key points, an abstract kept to the handout) keep number
0: the handout numbers its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from . import nodes as m
from .ids import IdRegistry
from .walk import EVERYTHING, edition_view, walk

__all__ = ["map_inlines", "number_notes"]


def _map_nodes(nodes: tuple[m.Inline, ...], change: Callable[[m.Inline], m.Inline]) -> tuple[m.Inline, ...]:
    out: list[m.Inline] = []
    for node in nodes:
        if isinstance(node, m.INLINE_CONTAINERS):
            children = _map_nodes(node.children, change)
            # A node whose content is unchanged stays the same object, so
            # that a change keyed by node identity still finds it.
            same = len(children) == len(node.children) and all(
                a is b for a, b in zip(children, node.children, strict=True)
            )
            if not same:
                node = replace(node, children=children)
        changed = change(node)
        # A change may empty a text (a note style's citation takes the
        # punctuation after it): an empty text would stand between two note
        # calls, which the renderers separate only when they are neighbours.
        if not (isinstance(changed, m.Text) and not changed.text):
            out.append(changed)
    return tuple(out)


def _map_blocks(blocks: tuple[m.Block, ...], change: Callable[[m.Inline], m.Inline]) -> tuple[m.Block, ...]:
    out: list[m.Block] = []
    for block in blocks:
        if isinstance(block, m.Paragraph):
            block = m.Paragraph(block.id, _map_nodes(block.children, change), block.line)
        elif isinstance(block, (m.BulletList, m.OrderedList)):
            items = tuple(m.ListItem(i.id, _map_blocks(i.blocks, change), i.line) for i in block.items)
            block = replace(block, items=items)
        elif isinstance(block, m.BlockQuote):
            block = m.BlockQuote(block.id, _map_blocks(block.blocks, change), block.line)
        elif isinstance(block, m.Div):
            block = replace(block, blocks=_map_blocks(block.blocks, change))
        elif isinstance(block, m.DefinitionList):
            entries = tuple(
                replace(
                    entry,
                    term=_map_nodes(entry.term, change),
                    definitions=tuple(_map_blocks(d, change) for d in entry.definitions),
                )
                for entry in block.items
            )
            block = replace(block, items=entries)
        elif isinstance(block, m.LineBlock):
            block = replace(block, lines=tuple(_map_nodes(line, change) for line in block.lines))
        elif isinstance(block, m.Table):
            header = tuple(m.TableCell(_map_nodes(c.children, change), c.align) for c in block.header)
            rows = tuple(tuple(m.TableCell(_map_nodes(c.children, change), c.align) for c in r) for r in block.rows)
            block = replace(block, header=header, rows=rows, caption=_map_nodes(block.caption, change))
        out.append(block)
    return tuple(out)


def _map_section(section: m.Section, change: Callable[[m.Inline], m.Inline]) -> m.Section:
    # replace(): every field not named here (the heading's classes, ...) is kept.
    return replace(
        section,
        title=_map_nodes(section.title, change),
        blocks=_map_blocks(section.blocks, change),
        subsections=tuple(_map_section(sub, change) for sub in section.subsections),
        key_points=tuple(m.KeyPoint(p.id, _map_nodes(p.children, change)) for p in section.key_points),
    )


def map_inlines(document: m.Document, change: Callable[[m.Inline], m.Inline]) -> m.Document:
    """``document`` with every inline node replaced by ``change(node)``
    (children first), everywhere: body, titles, key points, notes, abstract."""
    return replace(
        document,
        metadata=replace(document.metadata, abstract=_map_blocks(document.metadata.abstract, change)),
        preamble=_map_blocks(document.preamble, change),
        sections=tuple(_map_section(s, change) for s in document.sections),
        footnotes=tuple(replace(n, blocks=_map_blocks(n.blocks, change)) for n in document.footnotes),
    )


def _reid(blocks: tuple[m.Block, ...], scope: str, registry: IdRegistry, counter: list[int]) -> tuple[m.Block, ...]:
    """``blocks`` with ids ``<scope>-<n>`` in reading order (a note's blocks)."""

    def next_id() -> str:
        counter[0] += 1
        return registry.generated(f"{scope}-{counter[0]}")

    out: list[m.Block] = []
    for block in blocks:
        ident = next_id()
        if isinstance(block, m.Paragraph):
            block = m.Paragraph(ident, block.children, block.line)
        elif isinstance(block, (m.BulletList, m.OrderedList)):
            items = []
            for item in block.items:
                item_id = next_id()
                items.append(m.ListItem(item_id, _reid(item.blocks, scope, registry, counter), item.line))
            block = replace(block, id=ident, items=tuple(items))
        elif isinstance(block, m.DefinitionList):
            entries = []
            for entry in block.items:
                entry_id = next_id()
                definitions = tuple(_reid(d, scope, registry, counter) for d in entry.definitions)
                entries.append(replace(entry, id=entry_id, definitions=definitions))
            block = replace(block, id=ident, items=tuple(entries))
        elif isinstance(block, m.LineBlock):
            block = replace(block, id=ident)
        elif isinstance(block, m.BlockQuote):
            block = m.BlockQuote(ident, _reid(block.blocks, scope, registry, counter), block.line)
        elif isinstance(block, m.Div):
            block = replace(block, id=block.id or ident, blocks=_reid(block.blocks, scope, registry, counter))
        elif isinstance(block, m.CodeBlock):
            block = m.CodeBlock(ident, block.text, block.language, block.line)
        elif isinstance(block, m.Table):
            block = replace(block, id=ident)
        elif isinstance(block, m.ThematicBreak):
            block = m.ThematicBreak(ident, block.line)
        out.append(block)
    return tuple(out)


def number_notes(draft: m.Document, registry: IdRegistry) -> m.Document:
    """Number ``draft``'s notes and give notes, their blocks and their calls final ids.

    In ``draft`` a call's ``note`` and a note's ``id`` are the parser's keys.
    Notes no call reaches are dropped.
    """
    numbers: dict[str, int] = {}
    calls: dict[int, m.FootnoteRef] = {}  # by the draft call's identity
    subs: dict[str, int] = {}
    for node, _ in walk(draft, edition_view(draft)):
        if isinstance(node, m.FootnoteRef):
            number = numbers.setdefault(node.note, len(numbers) + 1)
            sub = subs.get(node.note, 0)
            subs[node.note] = sub + 1
            call = f"fnref{number}" if sub == 0 else f"fnref{number}-{sub + 1}"
            calls[id(node)] = m.FootnoteRef(number, sub, node.note, registry.generated(call))
    elsewhere: dict[str, int] = {}
    for node, _ in walk(draft, EVERYTHING):
        if isinstance(node, m.FootnoteRef) and id(node) not in calls:
            if node.note not in numbers:
                elsewhere.setdefault(node.note, len(elsewhere) + 1)
            number = numbers.get(node.note, 0)
            sub = subs.get(node.note, 0)
            subs[node.note] = sub + 1
            calls[id(node)] = m.FootnoteRef(number, sub, node.note, registry.generated(f"fnref-{node.note}-{sub + 1}"))
    note_ids: dict[str, str] = {
        key: registry.generated(f"fn{number}") for key, number in sorted(numbers.items(), key=lambda kv: kv[1])
    }
    note_ids.update({key: registry.generated(f"fn-{key}") for key in elsewhere})

    def final(node: m.Inline) -> m.Inline:
        if isinstance(node, m.FootnoteRef):
            ref = calls.get(id(node))
            if ref is not None:
                return m.FootnoteRef(ref.number, ref.sub, note_ids[ref.note], ref.id)
        return node

    notes: Mapping[str, m.Footnote] = {note.id: note for note in draft.footnotes}
    kept = sorted((key for key in note_ids if key in notes), key=lambda k: (numbers.get(k, 0) == 0, numbers.get(k, 0)))
    numbered = replace(
        draft,
        footnotes=tuple(
            m.Footnote(
                numbers.get(key, 0),
                note_ids[key],
                _reid(notes[key].blocks, note_ids[key], registry, [0]),
                notes[key].label,
                notes[key].line,
            )
            for key in kept
        ),
    )
    return map_inlines(numbered, final)
