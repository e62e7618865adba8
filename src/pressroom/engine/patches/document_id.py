"""PDF/X-4's DocumentID from the document, not from chance.

What goes wrong. ``DocumentMetadata.generate_rdf_metadata``
(weasyprint/pdf/metadata.py) writes PDF/X-4's ``xmpMM:DocumentID`` from
``uuid4()``, so no two builds of a PDF/X file were alike.

The change. That one call becomes a name-based UUID (RFC 9562, version 5) of
:data:`document_identity`, which the PDF writer sets from the markup it lays
out: the same document gives the same identifier, a different one another.

When it can go: when WeasyPrint takes the identifier from the caller or
from ``SOURCE_DATE_EPOCH``-style reproducibility settings.
"""

from __future__ import annotations

import hashlib
import uuid
from contextvars import ContextVar

from ..studied import recompile_in_place

NAME = "document_id"
STUDIED = {"DocumentMetadata.generate_rdf_metadata": "bc3e78ab24f1a809438159395786cc8b734c87c90f629d2d784742f0136807c5"}

# The text the PDF/X DocumentID is derived from, set by the writer per document.
document_identity: ContextVar[str] = ContextVar("document_identity", default="")


def document_uuid() -> uuid.UUID:
    """The DocumentID for the document being written (see :data:`document_identity`)."""
    digest = hashlib.sha256(document_identity.get().encode()).hexdigest()
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:pressroom:{digest}")


def install() -> None:
    """Recompile ``generate_rdf_metadata`` to call :func:`document_uuid`, active while pressroom writes."""
    import weasyprint.pdf.metadata as metadata

    name = "DocumentMetadata.generate_rdf_metadata"
    edits = (("f'xmp.did:{uuid4()}'", "f'xmp.did:{_pressroom_document_uuid()}'"),)

    recompile_in_place(
        metadata.DocumentMetadata,
        "generate_rdf_metadata",
        name,
        STUDIED[name],
        NAME,
        edits,
        {"_pressroom_document_uuid": document_uuid},
    )
