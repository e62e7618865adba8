"""TeX math (Pandoc's ``tex_math_dollars``) converted once, in the source stage,
into what every product shows, so that a formula that cannot be shown is a
located problem of the source rather than a failed product.

- MathML, made by latex2mathml (through ziamath's ``tex2mml``, which mends a
  few of its constructs, such as ``aligned``), is what the EPUB holds (EPUB
  3.3 reading systems render MathML) and what the PDFs are drawn from;
- a vector drawing of that MathML, made by ziamath with its own math font
  (STIX Two Math, SIL Open Font License; no system font is read), is what the
  PDF and the handout show, sized in ems of the text around it.

latex2mathml is lenient: it passes an unknown command through as text
(``\\foo`` becomes ``<mi>\\foo</mi>``), ignores unbalanced braces and unknown
environments, and may make MathML that is no well-formed XML (a ``&`` outside
an alignment). Each of those is checked here and reported at its place in
the formula, as TeX itself would refuse it.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import cache
from typing import Any

from lxml import etree

from ..model.nodes import MathDrawing

__all__ = ["FormulaError", "convert_formula", "missing_glyphs"]

# The size, in the drawing's units, a formula is drawn at: its metrics are
# divided by it to give ems, so the drawing scales with the text around it.
_SIZE = 100
# The body text's colour in the default theme (pdf.css and handout.css: #111).
_INK = "#111"
# Commands that would make the formula more than a drawing of mathematics: a
# link inside MathML would escape pressroom's link policy (write a Markdown link).
_REFUSED = {r"\href": "a link inside a formula: write a Markdown link around or beside it"}
_COMMAND = re.compile(r"\\(?:[A-Za-z]+\*?|.)", re.DOTALL)
_BEGIN = re.compile(r"\\begin\s*\{([^{}]*)\}")
# A token element's text that is a TeX command latex2mathml did not know.
_UNKNOWN = re.compile(r"^\\[A-Za-z]*$")


class FormulaError(Exception):
    """A formula that cannot be converted or drawn: ``offset`` is where in
    its TeX the problem lies, ``code`` the problem's code."""

    def __init__(self, code: str, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.offset = offset


@dataclass(frozen=True)
class Converted:
    """A formula as the products show it: its MathML and its drawing."""

    mathml: str
    drawing: MathDrawing


def convert_formula(tex: str, display: bool) -> Converted:
    """``tex`` as MathML (with ``alttext``, the TeX) and drawn; raise
    :class:`FormulaError` (PR150: not TeX pressroom can read; PR151: MathML
    the drawing library cannot lay out) with the place of the problem."""
    from latex2mathml import exceptions

    _check_braces(tex)
    _check_commands(tex)
    tex2mml = _ziamath().tex.tex2mml
    try:
        mathml = tex2mml(tex, inline=not display)
    except exceptions.MissingSuperScriptOrSubscriptError as exc:
        raise FormulaError("PR150", "a '^' or '_' with nothing after it", _first(tex, "^_")) from exc
    except (exceptions.DoubleSubscriptsError, exceptions.DoubleSuperscriptsError) as exc:
        raise FormulaError("PR150", "a double subscript or superscript: add braces, as in x^{a^b}") from exc
    except exceptions.ExtraLeftOrMissingRightError as exc:
        raise FormulaError("PR150", r"a \left without its \right, or a \right without its \left") from exc
    except exceptions.MissingEndError as exc:
        raise FormulaError("PR150", r"a \begin{...} without its \end{...}", max(tex.find(r"\begin"), 0)) from exc
    except (exceptions.NumeratorNotFoundError, exceptions.DenominatorNotFoundError) as exc:
        raise FormulaError("PR150", "a fraction without its numerator or denominator") from exc
    except exceptions.NoAvailableTokensError as exc:
        raise FormulaError("PR150", "a command without its argument (the formula ends too early)") from exc
    except exceptions.LimitsMustFollowMathOperatorError as exc:
        raise FormulaError("PR150", r"\limits must follow an operator such as \sum", tex.find(r"\limits")) from exc
    except Exception as exc:
        # latex2mathml raises its own errors above for what it knows to be
        # wrong, and other ones (IndexError, ValueError, ...) on input it does
        # not expect; either way there is no MathML to show.
        raise FormulaError("PR150", f"not TeX math pressroom can read ({type(exc).__name__})") from exc
    root = _parsed(tex, mathml)
    _check_unknown(tex, root)
    root.set("alttext", tex)
    mathml = etree.tostring(root, encoding="unicode")
    return Converted(mathml, _drawing(tex, root))


def _ziamath() -> Any:
    """ziamath, imported without its warning: 0.13 finds its font with
    ``importlib.resources.path``, which Python 3.11 and 3.12 call deprecated
    (a DeprecationWarning, an error where warnings are errors)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import ziamath.tex
        import ziamath.zmath
    return ziamath


def _first(tex: str, characters: str) -> int:
    return min((tex.find(c) for c in characters if c in tex), default=0)


def _check_braces(tex: str) -> None:
    """Every ``{`` closed by a ``}``; ``\\{`` and ``\\}`` are braces to print."""
    opened: list[int] = []
    for match in re.finditer(r"\\.|[{}]", tex, re.DOTALL):
        if match.group() == "{":
            opened.append(match.start())
        elif match.group() == "}":
            if not opened:
                raise FormulaError("PR150", "a '}' that closes no '{' (write \\} for a brace to print)", match.start())
            opened.pop()
    if opened:
        raise FormulaError("PR150", "a '{' that is never closed (write \\{ for a brace to print)", opened[-1])


def _check_commands(tex: str) -> None:
    """No refused command, and no environment latex2mathml does not know (it would drop it without a word)."""
    from latex2mathml.commands import MATRICES

    for match in _COMMAND.finditer(tex):
        if match.group() in _REFUSED:
            raise FormulaError("PR150", f"{match.group()} is not allowed: {_REFUSED[match.group()]}", match.start())
    known = {name.lstrip("\\") for name in MATRICES} | {"aligned"}
    for match in _BEGIN.finditer(tex):
        if match.group(1).strip() not in known:
            message = f"unknown environment '{match.group(1)}' (known: {', '.join(sorted(known))})"
            raise FormulaError("PR150", message, match.start())


def _parsed(tex: str, mathml: str) -> etree._Element:
    try:
        return etree.fromstring(mathml)
    except etree.XMLSyntaxError as exc:
        # latex2mathml copies '&' and '<' into the MathML as they are where it
        # does not expect them: outside an alignment, or inside \text{...}.
        offset = _first(tex, "&<")
        raise FormulaError(
            "PR150", "a '&' outside an array or alignment, or a '<' or '&' inside \\text{...}", offset
        ) from exc


def _check_unknown(tex: str, root: etree._Element) -> None:
    """latex2mathml keeps a command it does not know as text: TeX would refuse it."""
    for element in root.iter():
        text = str(element.text or "").strip()
        if text and _UNKNOWN.match(text):
            if text == "\\":
                raise FormulaError("PR150", "a '\\' that starts no command", tex.find("\\"))
            where = re.search(re.escape(text) + r"(?![A-Za-z])", tex)
            raise FormulaError("PR150", f"unknown command {text}", where.start() if where else 0)


def _drawing(tex: str, root: etree._Element) -> MathDrawing:
    """The formula drawn by ziamath, in the body text's colour, with its size in ems."""
    root.set("mathcolor", _INK)
    try:
        math = _ziamath().zmath.Math(etree.tostring(root, encoding="unicode"), size=_SIZE, margin=0)
        svg = math.svg()
        width, height = math.getsize()
        descent = -math.getyofst()
    except Exception as exc:
        # ziamath raises what its layout meets (AssertionError, ValueError,
        # KeyError) on MathML it cannot lay out; the formula cannot be printed.
        raise FormulaError("PR151", f"the formula cannot be drawn ({type(exc).__name__})") from exc
    finally:
        del root.attrib["mathcolor"]
    return MathDrawing(svg, round(width / _SIZE, 4), round(height / _SIZE, 4), round(descent / _SIZE, 4))


@cache
def _font_characters() -> frozenset[int]:
    """The characters ziamath's math font can draw."""
    from importlib.resources import files

    from fontTools.ttLib import TTFont

    with (files("ziamath") / "fonts" / "STIXTwoMath-Regular.ttf").open("rb") as font_file:
        return frozenset(TTFont(font_file, lazy=True).getBestCmap())


def missing_glyphs(mathml: str) -> list[str]:
    """The characters of a formula's MathML text the math font cannot draw (in the
    PDFs they would print as empty boxes), each once, in order."""
    have = _font_characters()
    missing: list[str] = []
    for element in etree.fromstring(mathml).iter():
        for character in element.text or "":
            if ord(character) not in have and not character.isspace() and character not in missing:
                missing.append(character)
    return missing
