#!/usr/bin/env bash
# Installs the packages whose photographs the media benchmarks use (bench/photos.py lists
# them by path): about 1,030 distinct photographs with all of them, 39 without. Idempotent.
set -euo pipefail

packages=(
    plasma-workspace-wallpapers # KDE Plasma's photographic wallpapers (the first 39)
    mate-backgrounds            # MATE's nature backgrounds (the first 39)
    stellarium-data             # astrophotographs of nebulae, galaxies and clusters
    endless-sky-data            # landscape photographs (public domain, CC-BY-SA)
    endless-sky-high-dpi        # the same landscapes at twice the size
    scratch                     # Scratch 1.4's photographic backgrounds
    opencv-doc                  # OpenCV's sample photographs
    lomiri-wallpapers-16.04     # Lomiri's wallpapers (photographs chosen by name)
    lomiri-wallpapers-20.04
    palapeli-data               # Palapeli's jigsaw photographs
    sddm-theme-maldives         # one beach photograph
    gcompris-qt-data            # GCompris's photographs of animals, monuments, instruments
)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$package")
done
if ((${#missing[@]})); then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
fi

# scikit-image and matplotlib ship the sample photographs of the first 39; pdqhash finds
# near-duplicates.
python3 -m pip install --quiet scikit-image matplotlib pdqhash numpy Pillow
