"""The document model: one typed, immutable tree per source (:mod:`.nodes`),
and what is computed from it alone: the one traversal (:mod:`.walk`), ids
(:mod:`.ids`), note numbers (:mod:`.notes`), the handout's selection
(:mod:`.summary`), dates (:mod:`.dates`) and the JSON dump (:mod:`.dump`).

The node types are importable from here: ``from pressroom import model as m``
then ``m.Paragraph``.
"""

from .nodes import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Div,
    Document,
    Emphasis,
    Footnote,
    FootnoteRef,
    Image,
    Inline,
    KeyPoint,
    LineBreak,
    Link,
    ListItem,
    Metadata,
    OrderedList,
    Paragraph,
    Section,
    SoftBreak,
    Strikeout,
    Strong,
    Table,
    TableCell,
    Text,
    ThematicBreak,
)

__all__ = [
    "Block",
    "BlockQuote",
    "BulletList",
    "Code",
    "CodeBlock",
    "Div",
    "Document",
    "Emphasis",
    "Footnote",
    "FootnoteRef",
    "Image",
    "Inline",
    "KeyPoint",
    "LineBreak",
    "Link",
    "ListItem",
    "Metadata",
    "OrderedList",
    "Paragraph",
    "Section",
    "SoftBreak",
    "Strikeout",
    "Strong",
    "Table",
    "TableCell",
    "Text",
    "ThematicBreak",
]
