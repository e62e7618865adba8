"""PDF/X with the print shop's output profile: the output intent,
the conformance metadata, the trim box, reproducible bytes, and clear errors
without a usable profile. Nothing here validates PDF/X itself (README)."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import ImageCms

from pressroom import BuildOptions, build
from pressroom.errors import UsageError

from .conftest import SEED_SOURCE


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An RGB output profile (sRGB, made by LittleCMS through Pillow)."""
    path = tmp_path_factory.mktemp("icc") / "printer.icc"
    path.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    return path


def _build(folder: Path, profile: Path | None, variant: str = "pdf/x-4") -> bytes:
    options = BuildOptions(
        output_dir=folder, formats=("pdf",), pdf_variant=variant, output_profile=profile, use_cache=False
    )
    (record,) = build([SEED_SOURCE], options).outputs
    return record.path.read_bytes()


def test_pdfx4_has_the_output_intent_and_metadata(profile: Path, tmp_path: Path) -> None:
    data = _build(tmp_path / "a", profile)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        assert intent.DestOutputProfile.read_bytes() == profile.read_bytes()
        with pdf.open_metadata() as xmp:
            assert xmp["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
            assert xmp["xmpMM:DocumentID"].startswith("xmp.did:")
        assert all("/TrimBox" in page.obj for page in pdf.pages)
    assert _build(tmp_path / "b", profile) == data  # the DocumentID no longer comes from uuid4


@pytest.mark.parametrize("variant", ["pdf/x-1a", "pdf/x-3"])
def test_older_pdfx_versions_are_named_in_the_info_dictionary(variant: str, profile: Path, tmp_path: Path) -> None:
    with pikepdf.open(io.BytesIO(_build(tmp_path, profile, variant))) as pdf:
        assert str(pdf.docinfo["/GTS_PDFXVersion"]).startswith("PDF/X-" + variant[len("pdf/x-") :].upper()[:1])
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFX"


def test_pdfx_without_a_profile_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        _build(tmp_path, None)
    assert [p.code for p in caught.value.problems] == ["PR019"]
    assert not (tmp_path / "asia-pacific-security-cooperation.pdf").exists()


def test_a_file_that_is_not_an_icc_profile_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "fake.icc"
    fake.write_bytes(b"not a profile" * 10)
    for path in (fake, tmp_path / "missing.icc"):
        with pytest.raises(UsageError) as caught:
            _build(tmp_path, path)
        assert [p.code for p in caught.value.problems] == ["PR020"]
