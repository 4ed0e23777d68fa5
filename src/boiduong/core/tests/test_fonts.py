"""The serif font used for PDFs covers Vietnamese (Nghị định 30/2020/NĐ-CP Phụ lục I mục I.2)."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from boiduong.core.fonts import (
    VIETNAMESE_LETTERS,
    FontNotFoundError,
    build_tinos,
    find_serif_fonts,
    missing_characters,
)

REPO_ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture(autouse=True)
def _media_root():
    """Overrides the project conftest's fixture: these tests need no Django settings, so they
    also run with ``-p no:django``."""


NODE_MODULES = REPO_ROOT / "node_modules"
SAMPLE = "ẮẰẲẴẶắằẳẵặƠơƯưĐđỆệỘộỮữ"


@pytest.fixture(scope="module")
def tinos(tmp_path_factory):
    return build_tinos(build_dir=tmp_path_factory.mktemp("tinos"), node_modules=NODE_MODULES)


def test_vietnamese_letters_constant():
    assert len(VIETNAMESE_LETTERS) == 134
    assert len(set(VIETNAMESE_LETTERS)) == 134
    assert all(not ch.isascii() for ch in VIETNAMESE_LETTERS)
    assert unicodedata.normalize("NFC", VIETNAMESE_LETTERS) == VIETNAMESE_LETTERS
    assert set(SAMPLE) <= set(VIETNAMESE_LETTERS)
    assert VIETNAMESE_LETTERS.lower() == "".join(ch.lower() for ch in VIETNAMESE_LETTERS)
    assert sum(ch.islower() for ch in VIETNAMESE_LETTERS) == 67


def test_built_tinos_covers_vietnamese(tinos):
    assert tinos.family == "Tinos"
    ascii_letters = "".join(chr(c) for c in range(0x20, 0x7F))
    for path in tinos.paths():
        assert path.is_file()
        assert missing_characters(path, VIETNAMESE_LETTERS + ascii_letters + SAMPLE) == ""
        font = TTFont(str(path))
        cmap = font.getBestCmap()
        glyf = font["glyf"]
        for ch in SAMPLE + "Aa":
            glyph = glyf[cmap[ord(ch)]]
            assert glyph.isComposite() or glyph.numberOfContours > 0, (path.name, ch)
        assert font["maxp"].numGlyphs == len(font.getGlyphOrder())


def test_styles_are_distinct_files(tinos):
    names = {TTFont(str(p))["name"].getDebugName(4) for p in tinos.paths()}
    assert names == {"Tinos Regular", "Tinos Bold", "Tinos Italic", "Tinos Bold Italic"}


def test_build_is_cached(tinos):
    before = [p.stat().st_mtime_ns for p in tinos.paths()]
    again = build_tinos(build_dir=tinos.regular.parent, node_modules=NODE_MODULES)
    assert again == tinos
    assert [p.stat().st_mtime_ns for p in again.paths()] == before


def test_find_serif_fonts_falls_back_to_tinos(tmp_path):
    fonts = find_serif_fonts(build_dir=tmp_path, node_modules=NODE_MODULES, system_font_dirs=[])
    assert fonts.family == "Tinos"
    assert fonts.regular.parent == tmp_path


def _install_as(tinos, folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for source, name in zip(tinos.paths(), names, strict=True):
        shutil.copy(source, folder / name)


def test_find_serif_fonts_prefers_times_new_roman_then_liberation(tinos, tmp_path):
    liberation = tmp_path / "liberation"
    _install_as(
        tinos,
        liberation,
        [f"LiberationSerif-{s}.ttf" for s in ("Regular", "Bold", "Italic", "BoldItalic")],
    )
    found = find_serif_fonts(
        build_dir=tmp_path / "build", node_modules=NODE_MODULES, system_font_dirs=[liberation]
    )
    assert found.family == "Liberation Serif"
    assert found.bold.name == "LiberationSerif-Bold.ttf"

    times = tmp_path / "msttcorefonts"
    _install_as(tinos, times, ["times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"])
    found = find_serif_fonts(
        build_dir=tmp_path / "build",
        node_modules=NODE_MODULES,
        system_font_dirs=[liberation, times],
    )
    assert found.family == "Times New Roman"
    assert found.bold_italic.name == "timesbi.ttf"
    assert not (tmp_path / "build").exists()


def test_a_system_font_without_vietnamese_is_skipped(tmp_path):
    times = tmp_path / "fonts"
    times.mkdir()
    latin_only = NODE_MODULES / "@fontsource/tinos/files/tinos-latin-400-normal.woff"
    font = TTFont(str(latin_only))
    font.flavor = None
    for name in ("times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"):
        font.save(str(times / name))
    found = find_serif_fonts(
        build_dir=tmp_path / "build", node_modules=NODE_MODULES, system_font_dirs=[times]
    )
    assert found.family == "Tinos"


def test_no_font_anywhere_is_a_clear_error(tmp_path):
    with pytest.raises(FontNotFoundError, match="@fontsource/tinos|tinos-latin"):
        find_serif_fonts(
            build_dir=tmp_path / "build", node_modules=tmp_path / "nothing", system_font_dirs=[]
        )


def test_an_incomplete_installation_does_not_hide_a_complete_one(tinos, tmp_path):
    """Liberation Serif 1.x (no Vietnamese) and 2.x (complete) are often installed side by side."""
    old, new = tmp_path / "liberation", tmp_path / "liberation2"
    old.mkdir()
    latin_only = TTFont(str(NODE_MODULES / "@fontsource/tinos/files/tinos-latin-400-normal.woff"))
    latin_only.flavor = None
    names = [f"LiberationSerif-{s}.ttf" for s in ("Regular", "Bold", "Italic", "BoldItalic")]
    for name in names:
        latin_only.save(str(old / name))
    _install_as(tinos, new, names)
    found = find_serif_fonts(
        build_dir=tmp_path / "build", node_modules=NODE_MODULES, system_font_dirs=[old, new]
    )
    assert found.family == "Liberation Serif"
    assert found.regular.parent == new
