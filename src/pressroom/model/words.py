"""The words pressroom prints itself (labels, headings, joining words), in
each language it knows, and the one lookup every product uses.

Keyed by kind, then by primary language subtag (``zh-Hant`` for Chinese in
Traditional characters, where its word differs); English where a language has
no word of its own here. One table, so that a language is added in one place.
"""

from __future__ import annotations

from .languages import primary_language, script

__all__ = ["WORDS", "word"]

WORDS: dict[str, dict[str, str]] = {
    # Before a figure's, a table's and a section's number, and the word that
    # joins the last two of several references ("Figure 1 and Table 2").
    "figure": {
        "ar": "الشكل",
        "de": "Abbildung",
        "en": "Figure",
        "es": "Figura",
        "fr": "Figure",
        "it": "Figura",
        "ja": "図",
        "ko": "그림",
        "nl": "Figuur",
        "pt": "Figura",
        "ru": "Рисунок",
        "zh": "图",
        "zh-Hant": "圖",
    },
    "table": {
        "ar": "الجدول",
        "de": "Tabelle",
        "en": "Table",
        "es": "Tabla",
        "fr": "Tableau",
        "it": "Tabella",
        "ja": "表",
        "ko": "표",
        "nl": "Tabel",
        "pt": "Tabela",
        "ru": "Таблица",
        "zh": "表",
    },
    "section": {
        "ar": "القسم",
        "de": "Abschnitt",
        "en": "Section",
        "es": "Sección",
        "fr": "Section",
        "it": "Sezione",
        "ja": "節",
        "ko": "절",
        "nl": "Paragraaf",
        "pt": "Seção",
        "ru": "Раздел",
        "zh": "节",
        "zh-Hant": "節",
    },
    # pandoc-crossref's default ``eqnPrefix``; its other languages are still to come.
    "equation": {
        "en": "eq.",
    },
    # The titles of the lists of figures and tables and of the index, as
    # LaTeX's babel names them (listfigurename, listtablename, indexname).
    "lof": {
        "ar": "قائمة الأشكال",
        "de": "Abbildungsverzeichnis",
        "en": "List of Figures",
        "es": "Índice de figuras",
        "fr": "Table des figures",
        "it": "Elenco delle figure",
        "ja": "図目次",
        "ko": "그림 목차",
        "nl": "Lijst van figuren",
        "pt": "Lista de figuras",
        "ru": "Список иллюстраций",
        "zh": "插图",
        "zh-Hant": "插圖",
    },
    "lot": {
        "ar": "قائمة الجداول",
        "de": "Tabellenverzeichnis",
        "en": "List of Tables",
        "es": "Índice de tablas",
        "fr": "Liste des tableaux",
        "it": "Elenco delle tabelle",
        "ja": "表目次",
        "ko": "표 목차",
        "nl": "Lijst van tabellen",
        "pt": "Lista de tabelas",
        "ru": "Список таблиц",
        "zh": "表格",
    },
    "index": {
        "ar": "الفهرس",
        "de": "Index",
        "en": "Index",
        "es": "Índice alfabético",
        "fr": "Index",
        "it": "Indice analitico",
        "ja": "索引",
        "ko": "찾아보기",
        "nl": "Index",
        "pt": "Índice remissivo",
        "ru": "Предметный указатель",
        "zh": "索引",
    },
    "and": {
        "de": "und",
        "en": "and",
        "es": "y",
        "fr": "et",
        "it": "e",
        "ja": "と",
        "ko": "및",
        "nl": "en",
        "pt": "e",
        "ru": "и",
        "zh": "和",
    },
    # The front matter's words. "abstract" is Pandoc's own translation
    # of "Abstract" (data/translations/*.yaml), which its ``abstract-title``
    # overrides; "citation" heads the suggested citation; "number" precedes a
    # report's number in its series ("Working Papers No. 12").
    "abstract": {
        "ar": "ملخص",
        "de": "Zusammenfassung",
        "en": "Abstract",
        "es": "Resumen",
        "fr": "Résumé",
        "it": "Sommario",
        "ja": "概要",
        "ko": "초록",
        "nl": "Samenvatting",
        "pt": "Resumo",
        "ru": "Аннотация",
        "zh": "摘要",
    },
    "citation": {
        "ar": "الاقتباس المقترح",
        "de": "Zitiervorschlag",
        "en": "Suggested citation",
        "es": "Cómo citar",
        "fr": "Pour citer ce document",
        "it": "Come citare",
        "ja": "引用表記",
        "ko": "인용 표기",
        "nl": "Citeerwijze",
        "pt": "Como citar",
        "ru": "Для цитирования",
        "zh": "引用格式",
    },
    "number": {
        "ar": "رقم",
        "de": "Nr.",
        "en": "No.",
        "es": "n.º",
        "fr": "no",
        "it": "n.",
        "nl": "nr.",
        "pt": "n.º",
        "ru": "№",
    },
    # The headings and labels of the products' own pages: the contents, the
    # notes of an EPUB chapter, a section's key points, and the publication
    # date on the imprint ("Published 11 January 2017; updated ...", the
    # date following the word).
    "contents": {
        "ar": "المحتويات",
        "de": "Inhalt",
        "en": "Contents",
        "es": "Índice",
        "fr": "Table des matières",
        "ja": "目次",
        "ko": "목차",
        "ru": "Содержание",
        "zh": "目录",
        "zh-Hant": "目錄",
    },
    "notes": {
        "ar": "الحواشي",
        "de": "Anmerkungen",
        "en": "Notes",
        "es": "Notas",
        "fr": "Notes",
        "ja": "注",
        "ko": "주석",
        "ru": "Примечания",
        "zh": "注释",
        "zh-Hant": "註釋",
    },
    "key_points": {
        "ar": "النقاط الرئيسية",
        "de": "Kernpunkte",
        "en": "Key points",
        "es": "Puntos clave",
        "fr": "Points clés",
        "ja": "要点",
        "ko": "요점",
        "ru": "Основные положения",
        "zh": "要点",
        "zh-Hant": "要點",
    },
    # The handout's kicker, and the label of the full text's address.
    "summary": {
        "ar": "موجز",
        "de": "Kurzfassung",
        "en": "Summary",
        "es": "Síntesis",
        "fr": "Synthèse",
        "ja": "概要",
        "ko": "요약",
        "ru": "Краткое изложение",
        "zh": "概要",
    },
    "full_text": {
        "ar": "النص الكامل",
        "de": "Volltext",
        "en": "Full text",
        "es": "Texto completo",
        "fr": "Texte intégral",
        "ja": "全文",
        "ko": "전문",
        "ru": "Полный текст",
        "zh": "全文",
    },
    "published": {
        "ar": "صدر في",
        "de": "Veröffentlicht am",
        "en": "Published",
        "es": "Publicado el",
        "fr": "Publié le",
        "ja": "発行",
        "ko": "발행",
        "ru": "Опубликовано",
        "zh": "发布",
        "zh-Hant": "發布",
    },
    "updated": {
        "ar": "آخر تحديث",
        "de": "aktualisiert am",
        "en": "updated",
        "es": "actualizado el",
        "fr": "mis à jour le",
        "ja": "更新",
        "ko": "갱신",
        "ru": "обновлено",
        "zh": "更新",
    },
    # The imprint's heading over the editions in other languages, and the
    # word that marks the original among them.
    "editions": {
        "ar": "طبعات بلغات أخرى",
        "de": "Ausgaben in anderen Sprachen",
        "en": "Editions in other languages",
        "es": "Ediciones en otros idiomas",
        "fr": "Éditions en d’autres langues",
        "it": "Edizioni in altre lingue",
        "ja": "他言語版",
        "ko": "다른 언어판",
        "nl": "Edities in andere talen",
        "pt": "Edições em outras línguas",
        "ru": "Издания на других языках",
        "zh": "其他语言版本",
    },
    "original": {
        "ar": "الأصل",
        "de": "Original",
        "en": "original",
        "es": "original",
        "fr": "original",
        "it": "originale",
        "ja": "原文",
        "ko": "원문",
        "nl": "origineel",
        "pt": "original",
        "ru": "оригинал",
        "zh": "原文",
    },
    # The imprint's label of the source a document was translated or taken
    # from, the names the title page and the imprint are announced by
    # (aria-label), and what the handout's document title adds to the title
    # ("Security Cooperation: summary").
    "source": {
        "ar": "المصدر",
        "de": "Quelle",
        "en": "Source",
        "es": "Fuente",
        "fr": "Source",
        "ja": "出典",
        "ko": "출처",
        "ru": "Источник",
        "zh": "来源",
        "zh-Hant": "來源",
    },
    "title_page": {
        "ar": "صفحة العنوان",
        "de": "Titelseite",
        "en": "Title page",
        "es": "Portada",
        "fr": "Page de titre",
        "ru": "Титульная страница",
    },
    "imprint": {
        "ar": "بيانات النشر",
        "de": "Impressum",
        "en": "Imprint",
        "es": "Página de créditos",
        "fr": "Mentions d’édition",
        "ru": "Выходные данные",
    },
    "handout_title": {
        "ar": "موجز",
        "de": "Kurzfassung",
        "en": "summary",
        "es": "síntesis",
        "fr": "synthèse",
        "ja": "概要",
        "ko": "요약",
        "ru": "краткое изложение",
        "zh": "概要",
    },
    # The handout's folio, "Page 2 of 3" (the page's word, then the word
    # before the number of pages).
    "page": {
        "ar": "الصفحة",
        "de": "Seite",
        "en": "Page",
        "es": "Página",
        "fr": "Page",
        "ru": "Страница",
    },
    "of": {
        "ar": "من",
        "de": "von",
        "en": "of",
        "es": "de",
        "fr": "sur",
        "ru": "из",
    },
}


def word(kind: str, lang: str) -> str:
    """The ``kind`` word of :data:`WORDS` in language ``lang`` (a BCP 47 tag)."""
    words = WORDS[kind]
    primary = primary_language(lang)
    if primary == "zh" and script(lang) == "Hant" and "zh-Hant" in words:
        return words["zh-Hant"]
    return words.get(primary, words["en"])
