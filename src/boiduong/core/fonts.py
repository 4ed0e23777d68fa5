"""A serif font with every Vietnamese glyph, metric-compatible with Times New Roman.

Nghị định 30/2020/NĐ-CP, Phụ lục I, mục I.2 requires official documents in "phông chữ tiếng Việt
Times New Roman, bộ mã ký tự Unicode theo TCVN 6909:2001". Rendering a PDF needs the font file
itself, so :func:`find_serif_fonts` looks, in order, for:

1. a real Times New Roman on the system (Linux msttcorefonts, ``~/.fonts``, Windows, macOS);
2. Liberation Serif (metric-compatible with Times New Roman, common on Linux);
3. Tinos (the same design as Liberation Serif), built from the ``@fontsource/tinos`` npm package
   that the project installs into ``node_modules``: its ``latin``, ``latin-ext`` and
   ``vietnamese`` WOFF subsets are merged into one TrueType file per style and cached.

A candidate is used only if its character map covers :data:`VIETNAMESE_LETTERS` (old Times New
Roman builds lack the precomposed letters of Vietnamese).
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "VIETNAMESE_LETTERS",
    "FontNotFoundError",
    "SerifFontFiles",
    "build_tinos",
    "find_serif_fonts",
    "missing_characters",
]

_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # grave, hook, tilde, acute, dot


def _vietnamese_letters() -> str:
    lower = [
        unicodedata.normalize("NFC", vowel + tone)
        for vowel in _VOWELS
        for tone in _TONES
        if not (vowel + tone).isascii()
    ]
    lower.append("đ")
    return "".join(lower) + "".join(ch.upper() for ch in lower)


#: The 134 precomposed (non-ASCII) letters of Vietnamese: 66 vowel forms (a ă â e ê i o ô ơ u ư
#: y with each tone) plus đ, in lower and upper case.
VIETNAMESE_LETTERS: str = _vietnamese_letters()

_ASCII_PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))
#: Other characters that official documents use (typographic quotes, dashes, the đồng sign).
_EXTRA_CHARACTERS = "“”‘’–—…₫§°"
_STYLES = ("regular", "bold", "italic", "bold_italic")


class FontNotFoundError(RuntimeError):
    """No usable serif font with Vietnamese glyphs could be found or built."""


@dataclass(frozen=True)
class SerifFontFiles:
    """TrueType files of one serif family, one per style."""

    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path
    family: str  # "Times New Roman", "Liberation Serif" or "Tinos"

    def paths(self) -> tuple[Path, Path, Path, Path]:
        return (self.regular, self.bold, self.italic, self.bold_italic)


# --- system fonts -------------------------------------------------------------------------------

# File names of each family, per style, as shipped by the usual packages.
_TIMES_NAMES: dict[str, tuple[str, ...]] = {
    "regular": ("times.ttf", "Times_New_Roman.ttf", "Times New Roman.ttf", "TimesNewRoman.ttf"),
    "bold": (
        "timesbd.ttf",
        "Times_New_Roman_Bold.ttf",
        "Times New Roman Bold.ttf",
        "TimesNewRoman-Bold.ttf",
    ),
    "italic": (
        "timesi.ttf",
        "Times_New_Roman_Italic.ttf",
        "Times New Roman Italic.ttf",
        "TimesNewRoman-Italic.ttf",
    ),
    "bold_italic": (
        "timesbi.ttf",
        "Times_New_Roman_Bold_Italic.ttf",
        "Times New Roman Bold Italic.ttf",
        "TimesNewRoman-BoldItalic.ttf",
    ),
}
_LIBERATION_NAMES: dict[str, tuple[str, ...]] = {
    "regular": ("LiberationSerif-Regular.ttf",),
    "bold": ("LiberationSerif-Bold.ttf",),
    "italic": ("LiberationSerif-Italic.ttf",),
    "bold_italic": ("LiberationSerif-BoldItalic.ttf",),
}


def default_system_font_dirs() -> list[Path]:
    """Folders where Times New Roman or Liberation Serif are usually installed."""
    home = Path.home()
    dirs = [
        Path("/usr/share/fonts/truetype/msttcorefonts"),
        Path("/usr/share/fonts/msttcore"),
        Path("/usr/share/fonts/truetype/liberation"),
        Path("/usr/share/fonts/truetype/liberation2"),
        Path("/usr/share/fonts/liberation"),
        Path("/usr/share/fonts/liberation-serif"),
        Path("/usr/share/fonts/TTF"),
        Path("/usr/share/fonts/truetype"),
        home / ".fonts",
        home / ".local/share/fonts",
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts/Supplemental"),
        home / "Library/Fonts",
    ]
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows"
    dirs.append(Path(windir) / "Fonts")
    local_appdata = os.environ.get("LOCALAPPDATA")
    if local_appdata:
        dirs.append(Path(local_appdata) / "Microsoft/Windows/Fonts")
    return dirs


def _family_candidates(
    dirs: Iterable[Path], names: dict[str, tuple[str, ...]]
) -> Iterator[list[Path]]:
    """Complete sets of the four style files of one family, one set per folder (file names
    compared case-insensitively), in folder order."""
    for directory in dirs:
        try:
            if not directory.is_dir():
                continue
            listing = {p.name.lower(): p for p in directory.iterdir() if p.is_file()}
        except OSError:
            continue
        found = []
        for style in _STYLES:
            path = next((listing[n.lower()] for n in names[style] if n.lower() in listing), None)
            if path is None:
                break
            found.append(path)
        else:
            yield found


def missing_characters(path: Path, characters: str = VIETNAMESE_LETTERS) -> str:
    """Characters of ``characters`` that the font at ``path`` has no glyph for."""
    stat = Path(path).stat()
    mapped = _mapped_code_points(str(path), stat.st_mtime_ns, stat.st_size)
    return "".join(ch for ch in characters if ord(ch) not in mapped)


@functools.lru_cache(maxsize=64)
def _mapped_code_points(path: str, mtime_ns: int, size: int) -> frozenset[int]:
    """Code points of a font's best cmap; cached per file version (the search runs per render)."""
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def _covers_vietnamese(paths: Sequence[Path]) -> bool:
    try:
        return all(not missing_characters(p, VIETNAMESE_LETTERS + _ASCII_PRINTABLE) for p in paths)
    except Exception:  # an unreadable or non-TrueType file is simply not a candidate
        return False


# --- Tinos from @fontsource/tinos ---------------------------------------------------------------

_FONTSOURCE_SUBSETS = ("latin", "latin-ext", "vietnamese")
_FONTSOURCE_STYLES = {
    "regular": "400-normal",
    "bold": "700-normal",
    "italic": "400-italic",
    "bold_italic": "700-italic",
}
_TINOS_FILES = {
    "regular": "Tinos-Regular.ttf",
    "bold": "Tinos-Bold.ttf",
    "italic": "Tinos-Italic.ttf",
    "bold_italic": "Tinos-BoldItalic.ttf",
}


def _merge_subsets(sources: Sequence[Path], target: Path) -> None:
    """Merge fontsource subsets of one style into one TrueType file.

    All subsets are cut from the same Tinos font, so a glyph name means the same outline in every
    subset: the first subset is the base, and each later one contributes the glyphs (with their
    composite components and metrics) of the code points the base does not map yet. Layout tables
    (GSUB/GPOS) stay those of the base; PDF rendering of precomposed letters does not need them.
    """
    from fontTools.ttLib import TTFont

    base = TTFont(str(sources[0]))
    base.flavor = None
    glyf = base["glyf"]
    hmtx = base["hmtx"]
    order = list(base.getGlyphOrder())
    known = set(order)
    cmap = dict(base.getBestCmap())

    for source_path in sources[1:]:
        source = TTFont(str(source_path))
        source_glyf = source["glyf"]
        source_hmtx = source["hmtx"]

        def copy_glyph(
            name: str, source_glyf=source_glyf, source_hmtx=source_hmtx, source=source
        ) -> None:
            if name in known:
                return
            glyph = source_glyf[name]
            if glyph.isComposite():
                for component in glyph.components:
                    copy_glyph(component.glyphName)
            glyf.glyphs[name] = glyph
            hmtx.metrics[name] = source_hmtx.metrics[name]
            order.append(name)
            known.add(name)

        for code_point, name in sorted(source.getBestCmap().items()):
            if code_point not in cmap:
                copy_glyph(name)
                cmap[code_point] = name
        source.close()

    base.setGlyphOrder(order)
    glyf.glyphOrder = order
    for subtable in base["cmap"].tables:
        if subtable.isUnicode():
            limit = 0xFFFF if subtable.format in (4, 6) else 0x10FFFF
            subtable.cmap = {cp: name for cp, name in cmap.items() if cp <= limit}

    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    base.save(str(temporary))
    base.close()
    os.replace(temporary, target)


def build_tinos(*, build_dir: Path, node_modules: Path, force: bool = False) -> SerifFontFiles:
    """Tinos TrueType files built from ``@fontsource/tinos`` into ``build_dir`` (cached).

    A file is rebuilt only when it is missing (or ``force`` is set); a file that lacks Vietnamese
    letters is an error, not a silent fallback.
    """
    files_dir = Path(node_modules) / "@fontsource" / "tinos" / "files"
    build_dir = Path(build_dir)
    targets: dict[str, Path] = {}
    for style, suffix in _FONTSOURCE_STYLES.items():
        target = build_dir / _TINOS_FILES[style]
        targets[style] = target
        if target.is_file() and not force:
            continue
        sources = [files_dir / f"tinos-{subset}-{suffix}.woff" for subset in _FONTSOURCE_SUBSETS]
        absent = [str(p) for p in sources if not p.is_file()]
        if absent:
            raise FontNotFoundError(
                "Cannot build Tinos: missing " + ", ".join(absent) + ". Install the front-end "
                "assets (npm ci, which brings @fontsource/tinos) or install Times New Roman or "
                "Liberation Serif (apt-get install fonts-liberation)."
            )
        _merge_subsets(sources, target)
        missing = missing_characters(target, VIETNAMESE_LETTERS + _ASCII_PRINTABLE)
        if missing:
            target.unlink(missing_ok=True)
            raise FontNotFoundError(f"Built {target.name} lacks glyphs for {missing!r}")
    return SerifFontFiles(family="Tinos", **targets)


def find_serif_fonts(
    *,
    build_dir: Path,
    node_modules: Path,
    system_font_dirs: Sequence[Path] | None = None,
) -> SerifFontFiles:
    """The best serif family available: Times New Roman, else Liberation Serif, else Tinos.

    ``system_font_dirs`` replaces the usual system folders (pass ``[]`` to skip them, as tests do
    to get the same font on every machine).
    """
    dirs = default_system_font_dirs() if system_font_dirs is None else list(system_font_dirs)
    families = (("Times New Roman", _TIMES_NAMES), ("Liberation Serif", _LIBERATION_NAMES))
    for family, names in families:
        for paths in _family_candidates(dirs, names):
            # Liberation Serif 1.x and old Times New Roman builds lack Vietnamese letters.
            if _covers_vietnamese(paths):
                regular, bold, italic, bold_italic = paths
                return SerifFontFiles(regular, bold, italic, bold_italic, family=family)
    try:
        return build_tinos(build_dir=build_dir, node_modules=node_modules)
    except FontNotFoundError:
        raise
    except Exception as exc:  # a corrupt package or an unexpected fontTools failure
        raise FontNotFoundError(f"Cannot build Tinos from {node_modules}: {exc}") from exc
