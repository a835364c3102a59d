"""An exact text layer for Thai in WeasyPrint's PDFs (issue #12, defect 2).

The cause: WeasyPrint writes one ToUnicode entry per glyph, taken from the first cluster it draws the glyph in
(`weasyprint/draw/text.py`: the first glyph of a multi-glyph cluster gets "", the last the whole cluster).
HarfBuzz's Thai shaper always splits SARA AM (ำ) into NIKHAHIT + SARA AA in one cluster and, after a tone mark,
moves NIKHAHIT before the tone and merges the three into one cluster; Sarabun also substitutes lowered or
left-shifted tone-mark glyphs. One glyph (SARA AA) must then read า in ตาม and ำ in ตำบล, which no per-glyph
map can do: `pdftotext` read ตำบล as ตาบล and น้ำ as นา, and ที่ as ท่ี.

The fix, at the two places the PDF carries text:
- every drawn line (HTML text and the charts' SVG text) is wrapped in a marked-content span whose /ActualText
  is the line's own text (ISO 32000-1 §14.9.4); text extraction, copy-and-paste and screen readers that honour
  it (poppler's pdftotext, Acrobat, Chromium) read the text exactly;
- each glyph's ToUnicode entry is its own character from the font's cmap (following the font's single and
  ligature substitutions back to the characters, for shifted tone marks) instead of the first cluster met, so a
  viewer that ignores /ActualText reads ตำ as ต + ํ + า (the same look) rather than ตา.

WeasyPrint has no hook for either, so `install()` wraps its line-drawing function and font class; the test
`tests/test_report.py::test_pdf_text_layer_is_exact` fails if an upgrade changes what is wrapped.
"""

from functools import cache
from io import BytesIO

_installed = False


def install() -> None:
    """Wrap WeasyPrint's line drawing and fonts once per process (idempotent)."""
    global _installed
    if _installed:
        return
    import weasyprint.draw.text as draw_text
    import weasyprint.pdf.stream as pdf_stream

    draw_text.draw_first_line = _with_actual_text(draw_text.draw_first_line)
    pdf_stream.Font = _font_with_own_chars(pdf_stream.Font)
    _installed = True


def line_text(textbox) -> str:
    """The text of the first line of a WeasyPrint text box's Pango layout (the line it is about to draw)."""
    layout = textbox.pango_layout
    line, _ = layout.get_first_line()
    return layout.text.encode()[line.start_index:line.start_index + line.length].decode()


def _with_actual_text(draw_first_line):
    import pydyf

    def draw_first_line_with_actual_text(stream, textbox, *args, **kwargs):
        text = line_text(textbox) if textbox.text.strip() else ""
        if not text.strip():
            return draw_first_line(stream, textbox, *args, **kwargs)
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
        try:
            return draw_first_line(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    return draw_first_line_with_actual_text


class OwnChars(dict):
    """A font's glyph → text map that keeps a glyph's own character where the font has one."""

    def __init__(self, own: dict[int, str]):
        super().__init__()
        self.own = own

    def __setitem__(self, glyph_id: int, text: str) -> None:
        super().__setitem__(glyph_id, self.own.get(glyph_id, text))


def _font_with_own_chars(font_class):
    class FontWithOwnChars(font_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.to_unicode = OwnChars(own_chars(self.file_content))

    return FontWithOwnChars


@cache
def own_chars(font_file: bytes) -> dict[int, str]:
    """Glyph id → the text it draws: the cmap (lowest code point when several share a glyph), then glyphs
    reached from those by the font's single substitutions (GSUB type 1, e.g. a lowered tone mark) and ligatures
    (type 4, e.g. NIKHAHIT + MAI EK drawn as one glyph: their characters in order)."""
    from fontTools.ttLib import TTFont

    font = TTFont(BytesIO(font_file), lazy=True, fontNumber=0)
    names: dict[str, str] = {}
    for code, name in sorted(font.getBestCmap().items(), reverse=True):
        names[name] = chr(code)
    rules: list[tuple[tuple[str, ...], str]] = []  # (source glyphs, target glyph)
    if "GSUB" in font:
        for lookup in font["GSUB"].table.LookupList.Lookup:
            for sub in lookup.SubTable:
                sub = getattr(sub, "ExtSubTable", sub)
                if getattr(sub, "LookupType", None) == 1:
                    rules += [((source,), target) for source, target in sub.mapping.items()]
                elif getattr(sub, "LookupType", None) == 4:
                    rules += [((first, *lig.Component), lig.LigGlyph)
                              for first, ligs in sub.ligatures.items() for lig in ligs]
    changed = True
    while changed:
        changed = False
        for sources, target in rules:
            if target not in names and all(source in names for source in sources):
                names[target] = "".join(names[source] for source in sources)
                changed = True
    return {font.getGlyphID(name): char for name, char in names.items()}
