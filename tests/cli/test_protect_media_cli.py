"""`leaktrace protect add` with photos and videos, `protect media`, then a scan finds them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaktrace.media import transforms
from tests.cli.runner import RunCli
from tests.media.scenes import clip_frames, encoded, scene, video


@pytest.fixture
def run(tmp_path: Path, database_url: str) -> RunCli:
    return RunCli(tmp_path / "home", database_url)


def test_register_scan_and_remove_media(run: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "lab"
    folder.mkdir()
    (folder / "bench.jpg").write_bytes(encoded(scene(51), quality=92))
    (folder / "tour.mp4").write_bytes(video(clip_frames(52, 20)))
    (folder / "notes.txt").write_text("The prototype stays in room 4 until the review. " * 4)
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)

    added = run("protect", "add", str(folder), "--label", "lab")
    assert added.exit_code == 1, added.output  # broken.png could not be registered
    lines = added.stdout.splitlines()
    assert any(line.startswith("added media #1 bench.jpg (image, ") for line in lines)
    assert any(line.startswith("added media #2 tour.mp4 (video, 4 frames)") for line in lines)
    assert any(line.startswith("added #1 notes.txt") for line in lines)
    assert "broken.png" in added.stderr and "3 added, 0 already registered, 1 not" in added.stderr

    listed = run("protect", "media", "list", "--format", "jsonl")
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["name"], r["kind"], r["label"]) for r in records] == [
        ("bench.jpg", "image", "lab"),
        ("tour.mp4", "video", "lab"),
    ]
    shown = run("protect", "media", "show", "2")
    assert "video/mp4" in shown.stdout and "frame_count" in shown.stdout

    leak = tmp_path / "outbox"
    leak.mkdir()
    cropped = transforms.crop(transforms.flip(scene(51), 1), 0.1)
    (leak / "IMG_9.jpg").write_bytes(encoded(cropped, quality=60))
    scanned = run("scan", "--no-store", "--format", "jsonl", "-j", "1", str(leak))
    findings = [json.loads(line) for line in scanned.stdout.splitlines()]
    assert [(f["detector"], f["rule"], f["details"]["document"]) for f in findings] == [
        ("media", "image", "bench.jpg")
    ]

    assert run("protect", "media", "remove", "1").stdout.startswith("removed media #1 bench.jpg")
    again = run("scan", "--no-store", "--format", "jsonl", "-j", "1", str(leak))
    assert again.stdout == ""
    missing = run("protect", "media", "show", "1")
    assert missing.exit_code == 2


def test_public_media_and_one_name_for_many_files_are_refused(run: RunCli, tmp_path: Path) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(encoded(scene(53)))
    assert run("protect", "add", "--public", str(photo)).exit_code == 2
    other = tmp_path / "b.jpg"
    other.write_bytes(encoded(scene(54)))
    assert run("protect", "add", "--name", "x", str(photo), str(other)).exit_code == 2
    named = run("protect", "add", "--name", "Bench photo", str(photo))
    assert named.exit_code == 0 and "added media #1 Bench photo" in named.stdout
