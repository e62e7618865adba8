"""The language registry: scripts and directions from BCP 47 tags."""

import pytest

from pressroom.model.languages import direction, is_cjk, primary_language, script


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Latn"),
        ("en-GB", "Latn"),
        ("zh", "Hans"),
        ("zh-Hans", "Hans"),
        ("zh-TW", "Hant"),
        ("zh-Hant-HK", "Hant"),
        ("ja", "Jpan"),
        ("ko-KR", "Kore"),
        ("ar", "Arab"),
        ("fa-IR", "Arab"),
        ("he", "Hebr"),
        ("ru", "Cyrl"),
        ("sr-Latn", "Latn"),
        ("az-Arab", "Arab"),
    ],
)
def test_script(lang: str, expected: str) -> None:
    assert script(lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "ltr"),
        ("ar", "rtl"),
        ("ar-EG", "rtl"),
        ("he", "rtl"),
        ("fa", "rtl"),
        ("ur", "rtl"),
        ("zh-Hans", "ltr"),
        ("az-Arab", "rtl"),
        ("ku-Latn", "ltr"),
        ("", "ltr"),
    ],
)
def test_direction(lang: str, expected: str) -> None:
    assert direction(lang) == expected


def test_cjk_and_primary() -> None:
    assert [is_cjk(lang) for lang in ("zh-Hans", "ja", "ko", "en", "ar")] == [True, True, True, False, False]
    assert [primary_language(lang) for lang in ("zh-Hans-CN", "EN_gb")] == ["zh", "en"]
