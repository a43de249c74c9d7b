"""Make the web edition's fonts: layouts/fonts/Lato-*.ttf cut down to the Latin alphabets and
French punctuation, as WOFF2, in layouts/site/fonts/ (about 55 Ko each instead of 660 Ko).

Run it when layouts/fonts/ changes: `.venv/bin/python tools/site-fonts.py`. The fonts are
made once and committed, so that a build spends no time on them; `tests/test_site.py`
checks that they hold every character the site prints (Lato 2.0 has no Reserved Font Name:
the SIL OFL lets a subset keep its name).
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
STYLES = ("Regular", "Bold", "Italic")
UNICODES = [*range(0x20, 0x250), *range(0x2000, 0x2070), 0x20AC, 0x2122, *range(0x2190, 0x2194),
            0x2212]  # the minus sign (typography: « (−4 %) »)


def main() -> None:
    out = ROOT / "layouts" / "site" / "fonts"
    out.mkdir(parents=True, exist_ok=True)
    for style in STYLES:
        options = subset.Options()
        options.flavor = "woff2"
        font = subset.load_font(str(ROOT / "layouts" / "fonts" / f"Lato-{style}.ttf"), options)
        cutter = subset.Subsetter(options)
        cutter.populate(unicodes=UNICODES)
        cutter.subset(font)
        target = out / f"Lato-{style}.woff2"
        subset.save_font(font, str(target), options)
        print(f"{target.relative_to(ROOT)} : {target.stat().st_size // 1024} Ko")


if __name__ == "__main__":
    main()
