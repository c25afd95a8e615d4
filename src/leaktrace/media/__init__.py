"""Protected photos and videos: perceptual hashes, local features, an index and a matcher.

    bytes ─► decode.py (Pillow / PyAV, bounded) ─► RGB frames
          ─► pdq.py (global PDQ hash, 8 dihedral variants on the query side)
          ─► features.py (ORB keypoints + 256-bit descriptors, spread over the frame)
          ─► prints.py (what is stored: hashes and features, never pixels)
          ─► index.py (memory-mapped: PDQ table + LSH tables over descriptor bits)
          ─► matcher.py (PDQ lookup; LSH votes → RANSAC-verified similarity transform)

See docs/media.md for the design and the measured results.
"""

from pathlib import Path


def media_index_folder(home: Path) -> Path:
    """Where the data folder keeps the index of registered photos and videos."""
    return home / "media-index"
