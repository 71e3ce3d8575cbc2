#!/usr/bin/env python3
"""Draws the installable app's icons (assets/img/app/*.png) from the shapes of
assets/img/preau.svg (a 64-unit square), with Pillow: drawn 8 times larger, then
reduced, for smooth edges. The PNGs are committed; run again only if the logo changes:
    python3 packaging/make-app-icons.py
"""
from pathlib import Path

from PIL import Image, ImageDraw

PAPER = "#fffdf8"  # --paper of preau.css: the app's background
BRAND = "#0b5f83"  # --brand
ACCENT = "#f2a93b"  # --accent
GREEN = "#1d6b3a"  # --ok
SUPER = 8


def draw(size: int, logo_share: float) -> Image.Image:
    big = size * SUPER
    img = Image.new("RGB", (big, big), PAPER)
    d = ImageDraw.Draw(img)
    unit = big * logo_share / 64
    off = (big - 64 * unit) / 2

    def p(x: float, y: float) -> tuple[float, float]:
        return (off + x * unit, off + y * unit)

    def rect(x: float, y: float, w: float, h: float, r: float, fill: str) -> None:
        d.rounded_rectangle([p(x, y), p(x + w, y + h)], radius=r * unit, fill=fill)

    d.polygon([p(6, 30), p(32, 10), p(58, 30)], fill=ACCENT)
    rect(12, 30, 6, 24, 2, BRAND)
    rect(46, 30, 6, 24, 2, BRAND)
    rect(8, 27, 48, 5, 2, BRAND)
    d.ellipse([p(26, 38), p(38, 50)], fill=GREEN)
    return img.resize((size, size), Image.LANCZOS)


def main() -> None:
    out = Path(__file__).resolve().parent.parent / "assets" / "img" / "app"
    out.mkdir(parents=True, exist_ok=True)
    # « any »: the logo fills most of the square; « maskable »: it stays inside the
    # central circle (80 % of the side) that Android's masks keep.
    draw(192, 0.9).save(out / "icon-192.png", optimize=True)
    draw(512, 0.9).save(out / "icon-512.png", optimize=True)
    draw(180, 0.9).save(out / "apple-touch-icon.png", optimize=True)
    draw(512, 0.7).save(out / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
