"""Draw the figures of the example report "Shared Rivers, Shared Data".

Every number here is illustrative: the Lantara basin is a fictional composite
(see the report's methodological note). The script writes plain SVG text, with
no external fonts or references, and one PNG heat map with Pillow, so that the
figures are small, reviewable and the same bytes on every run.

    python3 examples/report/figures/make_figures.py

writes basin-map.svg, data-sharing.svg, dry-season-flow.svg and
timeliness.png next to this file.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = "Lato, sans-serif"
INK = "#222222"
GREY = "#8a8a8a"
BLUE = "#2b5a8c"
LIGHT_BLUE = "#9cc0e0"
ORANGE = "#c8692c"
GREEN = "#5b8c3a"

# Illustrative series, shared with the report's text and tables.
PARAMETERS = ["Water level", "Discharge", "Rainfall", "Water quality", "Sediment", "Reservoir releases"]
SHARED_2015 = [62, 41, 55, 18, 9, 0]
SHARED_2023 = [94, 78, 88, 47, 22, 50]

YEARS = list(range(2000, 2024))
# Dry-season flow at the delta gauge (index, 2000 = 100).
DRY_FLOW = [
    100, 97, 104, 99, 95, 101, 98, 94, 103, 96, 91, 97,
    93, 99, 108, 112, 106, 87, 114, 110, 79, 116, 109, 118,
]  # fmt: skip
# Cumulative live storage of upstream reservoirs (index, 2000 = 100).
STORAGE = [
    100, 100, 100, 112, 112, 112, 126, 126, 148, 148, 171, 171,
    171, 205, 240, 240, 262, 262, 301, 301, 301, 318, 318, 318,
]  # fmt: skip

# The sixteen core stations of the heat map, upstream to downstream.
CORE_STATIONS = [
    "KS-01", "KS-03", "KS-05", "KS-07",
    "TV-02", "TV-04", "TV-06", "TV-08",
    "MD-01", "MD-03", "MD-05", "MD-08",
    "SL-01", "SL-02", "SL-04", "SL-06",
]  # fmt: skip


def svg_document(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    """Wrap drawing elements in an SVG root with a title and a description."""
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12" fill="{INK}">',
        f"  <title>{title}</title>",
        f"  <desc>{desc}</desc>",
        f'  <rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    return "\n".join([*head, *("  " + line for line in body), "</svg>", ""])


def text(x: float, y: float, content: str, anchor: str = "start", size: int = 12, **extra: str) -> str:
    """One <text> element; extra attributes are written as given."""
    more = "".join(f' {key.replace("_", "-")}="{value}"' for key, value in extra.items())
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" font-size="{size}"{more}>{content}</text>'


def basin_map() -> str:
    """A schematic map of the fictional Lantara basin: states, river, dams, gauges."""
    body: list[str] = []
    # Basin outline.
    body.append(
        '<path d="M60,70 C120,30 220,40 300,70 C380,95 470,120 540,190 C590,240 600,320 560,370 '
        'C520,410 440,400 380,380 C300,350 220,300 160,250 C100,200 40,140 60,70 Z" '
        f'fill="#eef4f8" stroke="{GREY}" stroke-width="1.5"/>'
    )
    # State boundaries (dashed).
    dashed = f'fill="none" stroke="{GREY}" stroke-width="1.2" stroke-dasharray="6 4"'
    body.append(f'<path d="M200,45 C190,120 170,190 150,240" {dashed}/>')
    body.append(f'<path d="M360,88 C350,170 320,260 290,335" {dashed}/>')
    body.append(f'<path d="M500,150 C470,230 470,300 470,398" {dashed}/>')
    # State names.
    for x, y, name in [(110, 185, "KESARA"), (300, 125, "TAVONG"), (418, 348, "MERIDAN"), (530, 290, "SULAI")]:
        body.append(text(x, y, name, "middle", 13, letter_spacing="2", fill="#555555"))
    # Main stem and tributaries.
    river = f'fill="none" stroke="{BLUE}" stroke-linecap="round"'
    main_stem = "M80,85 C140,110 180,170 240,200 C300,230 340,240 400,270 C460,300 520,330 565,360"
    body.append(f'<path d="{main_stem}" {river} stroke-width="4"/>')
    body.append(f'<path d="M230,60 C235,110 238,160 240,200" {river} stroke-width="2.2"/>')
    body.append(f'<path d="M420,120 C410,180 405,230 400,270" {river} stroke-width="2.2"/>')
    body.append(f'<path d="M330,350 C350,320 370,295 400,270" {river} stroke-width="2.2"/>')
    body.append(text(232, 56, "Oru", "middle", 11, font_style="italic", fill=BLUE))
    body.append(text(428, 112, "Sepal", "middle", 11, font_style="italic", fill=BLUE))
    body.append(text(318, 366, "Dham", "middle", 11, font_style="italic", fill=BLUE))
    body.append(text(300, 222, "Lantara", "middle", 12, font_style="italic", fill=BLUE, transform="rotate(24 300 222)"))
    # Delta.
    body.append(f'<path d="M565,360 L585,385 M565,360 L595,365 M565,360 L570,392" {river} stroke-width="1.5"/>')
    # Dams (triangles) and gauging stations (circles).
    for x, y in [(120, 105), (175, 160), (238, 150), (415, 170)]:
        body.append(f'<path d="M{x - 7},{y + 6} L{x + 7},{y + 6} L{x},{y - 7} Z" fill="{ORANGE}"/>')
    gauges = [(95, 92), (150, 128), (210, 188), (270, 214), (330, 236), (400, 270), (455, 296), (520, 330), (560, 357)]
    for x, y in gauges:
        body.append(f'<circle cx="{x}" cy="{y}" r="4.5" fill="#ffffff" stroke="{INK}" stroke-width="1.5"/>')
    body.append(text(590, 412, "Gulf", "middle", 11, font_style="italic", fill="#555555"))
    # Legend.
    legend_y = 440
    body.append(f'<line x1="40" y1="{legend_y}" x2="70" y2="{legend_y}" stroke="{BLUE}" stroke-width="4"/>')
    body.append(text(78, legend_y + 4, "River"))
    body.append(f'<line x1="130" y1="{legend_y}" x2="160" y2="{legend_y}" {dashed}/>')
    body.append(text(168, legend_y + 4, "State boundary"))
    body.append(f'<path d="M273,{legend_y + 6} L287,{legend_y + 6} L280,{legend_y - 7} Z" fill="{ORANGE}"/>')
    body.append(text(295, legend_y + 4, "Storage dam"))
    body.append(f'<circle cx="390" cy="{legend_y}" r="4.5" fill="#ffffff" stroke="{INK}" stroke-width="1.5"/>')
    body.append(text(400, legend_y + 4, "Main-stem gauge"))
    body.append(text(620, 24, "Schematic, not to scale", "end", 10, fill="#555555"))
    return svg_document(
        640,
        460,
        "Schematic map of the fictional Lantara basin",
        "Four riparian states from Kesara in the headwaters to Sulai in the delta; the Lantara main stem with "
        "its tributaries the Oru, the Sepal and the Dham; four storage dams and a selection of main-stem gauges.",
        body,
    )


def data_sharing_chart() -> str:
    """Horizontal grouped bars: share of stations sharing each parameter, 2015 and 2023."""
    left, top, bar, gap, scale = 150, 50, 14, 16, 4.0
    body: list[str] = []
    for step in range(0, 101, 20):
        x = left + step * scale
        body.append(f'<line x1="{x:g}" y1="{top - 8}" x2="{x:g}" y2="{top + 6 * (2 * bar + gap)}" stroke="#dddddd"/>')
        body.append(text(x, top + 6 * (2 * bar + gap) + 16, f"{step}%", "middle", 11))
    for row, (name, old, new) in enumerate(zip(PARAMETERS, SHARED_2015, SHARED_2023, strict=True)):
        y = top + row * (2 * bar + gap)
        body.append(text(left - 8, y + bar + 4, name, "end"))
        body.append(f'<rect x="{left}" y="{y}" width="{old * scale:g}" height="{bar}" fill="{LIGHT_BLUE}"/>')
        body.append(f'<rect x="{left}" y="{y + bar}" width="{new * scale:g}" height="{bar}" fill="{BLUE}"/>')
        body.append(text(left + new * scale + 4, y + 2 * bar - 3, str(new), size=10))
    body.append(f'<line x1="{left}" y1="{top - 8}" x2="{left}" y2="{top + 6 * (2 * bar + gap)}" stroke="{INK}"/>')
    body.append(f'<rect x="{left}" y="14" width="12" height="12" fill="{LIGHT_BLUE}"/>')
    body.append(text(left + 18, 24, "2015"))
    body.append(f'<rect x="{left + 70}" y="14" width="12" height="12" fill="{BLUE}"/>')
    body.append(text(left + 88, 24, "2023"))
    return svg_document(
        600,
        340,
        "Share of core stations whose data reach all four states within a day, by parameter",
        "Illustrative data for the fictional Lantara basin. 2015 and 2023 respectively: water level 62 and 94 "
        "per cent, discharge 41 and 78, rainfall 55 and 88, water quality 18 and 47, sediment 9 and 22, "
        "reservoir releases 0 and 50.",
        body,
    )


def flow_chart() -> str:
    """Two index lines: dry-season flow at the delta and upstream reservoir storage."""
    left, top, width, height = 60, 30, 520, 260
    low, high = 50, 350

    def point(index: int, value: float) -> str:
        x = left + index * width / (len(YEARS) - 1)
        y = top + height - (value - low) * height / (high - low)
        return f"{x:.1f},{y:.1f}"

    body: list[str] = []
    for value in range(low, high + 1, 50):
        y = top + height - (value - low) * height / (high - low)
        body.append(f'<line x1="{left}" y1="{y:g}" x2="{left + width}" y2="{y:g}" stroke="#dddddd"/>')
        body.append(text(left - 8, y + 4, str(value), "end", 11))
    for index, year in enumerate(YEARS):
        if year % 4 == 0:
            x = left + index * width / (len(YEARS) - 1)
            body.append(f'<line x1="{x:.1f}" y1="{top + height}" x2="{x:.1f}" y2="{top + height + 5}" stroke="{INK}"/>')
            body.append(text(x, top + height + 20, str(year), "middle", 11))
    body.append(f'<line x1="{left}" y1="{top + height}" x2="{left + width}" y2="{top + height}" stroke="{INK}"/>')
    storage = " ".join(point(i, v) for i, v in enumerate(STORAGE))
    flow = " ".join(point(i, v) for i, v in enumerate(DRY_FLOW))
    body.append(f'<polyline points="{storage}" fill="none" stroke="{ORANGE}" stroke-width="2.5"/>')
    body.append(f'<polyline points="{flow}" fill="none" stroke="{BLUE}" stroke-width="2.5"/>')
    body.append(text(left + width, 58, "Upstream live storage", "end", 12, fill=ORANGE))
    body.append(text(left + width, 210, "Dry-season flow at the delta gauge", "end", 12, fill=BLUE))
    body.append(
        text(14, top + height / 2, "Index, 2000 = 100", "middle", 11, transform=f"rotate(-90 14 {top + height / 2:g})")
    )
    return svg_document(
        600,
        330,
        "Dry-season flow at the delta gauge and upstream reservoir storage, 2000 to 2023",
        "Illustrative index series for the fictional Lantara basin, 2000 = 100. Storage rises in steps from 100 "
        "to 318 as reservoirs are filled; dry-season flow varies between 79 (2020) and 118 (2023).",
        body,
    )


def delay_days(station: int, month: int) -> int:
    """Median days between measurement and receipt in the other states (illustrative, deterministic)."""
    base = [0, 0, 1, 1, 1, 2, 2, 3, 0, 1, 1, 2, 3, 4, 5, 6][station]
    monsoon = 1 if 5 <= month <= 9 else 0  # the flood season strains the smaller offices
    wobble = (station * 7 + month * 5) % 4 == 0
    return min(7, max(0, base - monsoon + int(wobble) + (2 if station >= 12 and month in (9, 10) else 0)))


def timeliness_png() -> None:
    """A heat map of delivery delay by core station and month, as a small palette PNG."""
    cell, left, top = 26, 64, 34
    months = "JFMAMJJASOND"
    width, height = left + cell * 12 + 150, top + cell * len(CORE_STATIONS) + 16
    colours = ["#1f4e79", "#3f78ad", "#7fa9cf", "#c9dcec", "#f3d9b1", "#e9a86a", "#cf6d2e", "#99420f"]
    image = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=12)
    for month, letter in enumerate(months):
        draw.text((left + month * cell + cell / 2, top - 8), letter, fill=INK, font=font, anchor="ms")
    for row, code in enumerate(CORE_STATIONS):
        y = top + row * cell
        draw.text((left - 8, y + cell / 2), code, fill=INK, font=font, anchor="rm")
        for month in range(12):
            x = left + month * cell
            days = delay_days(row, month)
            draw.rectangle((x, y, x + cell - 2, y + cell - 2), fill=colours[days])
    legend_x = left + cell * 12 + 24
    draw.text((legend_x, top - 8), "Days late", fill=INK, font=font, anchor="ls")
    for days, colour in enumerate(colours):
        y = top + days * 22
        draw.rectangle((legend_x, y, legend_x + 18, y + 18), fill=colour)
        label = f"{days}" if days < 7 else "7 or more"
        draw.text((legend_x + 26, y + 9), label, fill=INK, font=font, anchor="lm")
    image.quantize(colors=32, dither=Image.Dither.NONE).save(HERE / "timeliness.png", optimize=True)


def main() -> None:
    """Write every figure next to this script."""
    (HERE / "basin-map.svg").write_text(basin_map(), encoding="utf-8")
    (HERE / "data-sharing.svg").write_text(data_sharing_chart(), encoding="utf-8")
    (HERE / "dry-season-flow.svg").write_text(flow_chart(), encoding="utf-8")
    timeliness_png()


if __name__ == "__main__":
    main()
