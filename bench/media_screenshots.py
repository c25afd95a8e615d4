"""Protected photos in real screenshots: a browser renders pages that show a registered photo
among text, and the screenshot is looked up as a scan would (decoded, brought to the working
size, matched against every registered photo).

    python bench/media_screenshots.py [--photos 120] [--json docs/media-screenshots.json]

The synthetic screenshot of ``media_quality.py`` pastes the photo onto a drawn window; here
Debian's ``chromium`` lays out and rasterizes real pages (anti-aliased text, image scaling by
the browser, PNG of the whole window), in four layouts: an article with the photo at 40% and
at 25% of the window's width, a dark chat window with the photo in a message bubble, and a
gallery of four photos of which one is registered (the other three are unregistered photos
from the same corpus). All of the corpus's photos are registered except the gallery's three.
A false match is any registered photo reported that the page does not show.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from media_corpus import photos

from leaktrace.media.decode import decode_image, fit
from leaktrace.media.index import IndexedMedia, MediaIndex
from leaktrace.media.matcher import Matcher
from leaktrace.media.prints import image_print

WINDOW = (1366, 900)
_TEXT = (
    "the site survey covered the north wing and the loading bay where the new equipment will"
    " be installed next quarter after the review board signs off on the revised budget and the"
    " safety team confirms that every access point has been checked"
)
_WORDS = _TEXT.split()


def prose(seed: int, words: int) -> str:
    generator = np.random.default_rng(seed)
    chosen = generator.choice(_WORDS, size=words)
    sentences = [" ".join(chosen[i : i + 14]).capitalize() + "." for i in range(0, words, 14)]
    return " ".join(sentences)


def article(image: str, width: int, seed: int) -> str:
    return f"""<html><body style="font-family:sans-serif;margin:0;background:#fff">
<div style="background:#1d3557;color:#fff;padding:14px 40px;font-size:20px">Intranet news</div>
<div style="margin:20px 40px"><h2>Update from the facilities team</h2><p>{prose(seed, 90)}</p>
<figure style="margin:10px 0"><img src="{image}" style="width:{width}%">
<figcaption style="color:#555;font-size:13px">{prose(seed + 1, 12)}</figcaption></figure>
<p>{prose(seed + 2, 160)}</p></div></body></html>"""


def chat(image: str, seed: int) -> str:
    bubble = "background:#2b2f36;border-radius:10px;padding:10px 14px;margin:8px 0;max-width:60%"
    return f"""<html><body style="font-family:sans-serif;margin:0;background:#16181c;color:#e6e6e6">
<div style="display:flex"><div style="width:240px;background:#0f1114;height:900px;padding:12px">
<p>General</p><p>Site team</p><p>Procurement</p></div><div style="padding:16px;flex:1">
<div style="{bubble}">{prose(seed, 20)}</div><div style="{bubble}">{prose(seed + 1, 12)}</div>
<div style="{bubble}"><img src="{image}" style="width:420px;border-radius:6px"></div>
<div style="{bubble}">{prose(seed + 2, 16)}</div></div></div></body></html>"""


def gallery(images: list[str], seed: int) -> str:
    cells = "".join(
        f'<img src="{name}" style="width:300px;height:220px;object-fit:cover;margin:6px">'
        for name in images
    )
    return f"""<html><body style="font-family:sans-serif;margin:24px;background:#f4f4f4">
<h2>Album: {prose(seed, 4)}</h2><div style="width:640px">{cells}</div>
<p>{prose(seed + 1, 40)}</p></body></html>"""


def browser():  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium")
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        sys.exit("needs Debian's chromium and chromium-driver")
    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        "--allow-file-access-from-files",
    ):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)


def jpeg(pixels: np.ndarray, path: Path) -> None:
    image = Image.fromarray(pixels)
    image.thumbnail((1280, 1280))
    image.save(path, "JPEG", quality=90)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=120, help="photos shown (spread over all)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", type=Path, help="also save the screenshots in this folder")
    args = parser.parse_args()
    corpus = photos()
    generator = np.random.default_rng(5)
    order = generator.permutation(len(corpus))
    fillers = [int(n) for n in order[:3]]  # unregistered photos for the gallery
    shown = [int(n) for n in np.sort(order[3:])][:: max(1, (len(corpus) - 3) // args.photos)]
    registered = [n for n in range(len(corpus)) if n not in fillers]
    started = time.perf_counter()
    entries = [
        (
            IndexedMedia(n, corpus[n].name, None, "image", f"{n:064x}"),
            image_print(fit(corpus[n].pixels())),
        )
        for n in registered
    ]
    matcher = Matcher(MediaIndex.from_prints(entries))
    print(f"{len(registered)} photos registered in {time.perf_counter() - started:.0f} s")
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    false = 0
    misses: dict[str, list[str]] = defaultdict(list)
    driver = browser()
    try:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            for n in fillers:
                jpeg(corpus[n].pixels(), root / f"filler{n}.jpg")
            for count, number in enumerate(shown):
                name = f"photo{number}.jpg"
                jpeg(corpus[number].pixels(), root / name)
                pages = {
                    "article 40%": article(name, 40, number),
                    "article 25%": article(name, 25, number),
                    "chat, dark": chat(name, number),
                    "gallery of 4": gallery(
                        [
                            f"filler{fillers[0]}.jpg",
                            f"filler{fillers[1]}.jpg",
                            name,
                            f"filler{fillers[2]}.jpg",
                        ],
                        number,
                    ),
                }
                for layout, html in pages.items():
                    page = root / "page.html"
                    page.write_text(html)
                    driver.get(page.as_uri())
                    shot = driver.get_screenshot_as_png()
                    if args.keep and count < 3:
                        args.keep.mkdir(parents=True, exist_ok=True)
                        (args.keep / f"{layout.split()[0]}-{number}.png").write_bytes(shot)
                    hits = {registered[m.media] for m in matcher.match_image(decode_image(shot))}
                    found[layout][0] += number in hits
                    found[layout][1] += 1
                    false += len(hits - {number})
                    if number not in hits:
                        misses[layout].append(corpus[number].name)
                print(f"\r{count + 1}/{len(shown)} pages", end="", file=sys.stderr)
    finally:
        driver.quit()
    print(file=sys.stderr)
    for layout, (hit, total) in found.items():
        print(f"{layout:<14} {hit}/{total} = {hit / total:.3f}")
        if misses[layout]:
            print(f"  missed: {', '.join(misses[layout][:10])}")
    print(f"false matches: {false}")
    if args.json:
        result = {"registered": len(registered), "found": found, "false": false, "misses": misses}
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
