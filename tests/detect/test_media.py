"""The `media` detector through the whole pipeline: registered photos and videos found inside
every container the pipeline opens, metadata checks, and hostile input."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
import zlib
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import docx
import numpy as np
import pytest
from PIL import Image

from leaktrace.core.finding import Finding
from leaktrace.core.pipeline import Scanner
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.media import transforms
from leaktrace.media.decode import fit
from leaktrace.media.index import IndexedMedia, build_index
from leaktrace.media.prints import image_print
from leaktrace.media.video import REGISTER, read_video, video_print
from tests.extract.test_pdf_images import pdf_with_images, raw_rgb
from tests.media.scenes import clip_frames, encoded, scene, video
from tests.media.test_decode import png_claiming

ZONE = {
    "name": "Building 7",
    "polygon": [[52.0, 13.0], [52.0, 13.01], [52.01, 13.01], [52.01, 13.0]],
}
PHOTO, VIDEO_SEED = 41, 42


@pytest.fixture(scope="module")
def index_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("media") / "index"
    clip = read_video(video(clip_frames(VIDEO_SEED, 30)), REGISTER)
    build_index(
        folder,
        [
            (
                IndexedMedia(7, "lab-bench.jpg", "lab", "image", "d" * 64, "CAM-77"),
                image_print(fit(scene(PHOTO))),
            ),
            (IndexedMedia(8, "tour.mp4", None, "video", "e" * 64), video_print(clip)),
        ],
    )
    return folder


def scan(registry: Registry, folder: Path, name: str, data: bytes, **options: Any) -> list[Finding]:
    policy = Policy.from_mapping({"detectors": {"media": {"index": str(folder), **options}}})
    return Scanner(registry, policy).scan_bytes(name, data).findings


def media_findings(findings: list[Finding]) -> list[tuple[str, str, str | None]]:
    return [(f.path, f.rule, f.details.get("document")) for f in findings if f.detector == "media"]


def leaked() -> bytes:
    """The registered photo cropped, rotated and recompressed: what a phone would send."""
    return encoded(transforms.rotate(transforms.crop(scene(PHOTO), 0.15), 6), quality=70)


def docx_with(image: bytes) -> bytes:
    document = docx.Document()
    document.add_paragraph("Quarterly update")
    document.add_picture(io.BytesIO(image))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def eml_with(image: bytes) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.org", "b@example.org", "pics"
    message.set_content("see attached")
    message.add_attachment(image, maintype="image", subtype="jpeg", filename="IMG_0001.jpg")
    return bytes(message)


def zip_with(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def pdf_with_jpeg(image: bytes) -> bytes:
    buffer = io.BytesIO()
    Image.open(io.BytesIO(image)).save(buffer, "PDF")  # a DCTDecode image on one page
    return buffer.getvalue()


CONTAINERS = {
    "photo.jpg": lambda image: image,
    "report.docx": docx_with,
    "mail.eml": eml_with,
    "photos.zip": lambda image: zip_with("trip/IMG_0001.jpg", image),
    "scan.pdf": pdf_with_jpeg,
    "page.html": lambda image: (
        b'<html><body><p>look</p><img src="data:image/jpeg;base64,'
        + base64.b64encode(image)
        + b'"></body></html>'
    ),
}


@pytest.mark.parametrize("name", sorted(CONTAINERS))
def test_a_leaked_photo_is_found_in_every_container(
    registry: Registry, index_folder: Path, name: str
) -> None:
    findings = scan(registry, index_folder, name, CONTAINERS[name](leaked()))
    found = [f for f in findings if f.detector == "media"]
    assert [(f.rule, f.details["document"]) for f in found] == [("image", "lab-bench.jpg")], (
        findings
    )
    finding = found[0]
    assert finding.path == name or finding.path.startswith(f"{name}!")
    assert 0.2 < finding.details["similarity"] <= 1
    assert finding.details["media_id"] == 7 and finding.details["label"] == "lab"
    assert any("cropped" in t or "rotated" in t for t in finding.details["transformations"])
    assert "lab-bench.jpg" in finding.message


def test_a_raw_image_on_a_pdf_page_is_decoded_and_found(
    registry: Registry, index_folder: Path
) -> None:
    data = pdf_with_images(raw_rgb(fit(scene(PHOTO), 200)))
    findings = scan(registry, index_folder, "raw.pdf", data)
    assert media_findings(findings) == [("raw.pdf!<page 1 image 1>", "image", "lab-bench.jpg")]


def test_a_pdf_image_claiming_too_many_pixels_is_not_decoded(
    registry: Registry, index_folder: Path
) -> None:
    entries = b"/Width 100000 /Height 100000 /ColorSpace /DeviceRGB /BitsPerComponent 8"
    data = pdf_with_images((entries + b" /Filter /FlateDecode", zlib.compress(b"\x00" * 300)))
    findings = scan(registry, index_folder, "bomb.pdf", data)
    limits = [f for f in findings if (f.detector, f.rule) == ("limit", "pixels")]
    assert [f.path for f in limits] == ["bomb.pdf!<page 1 image 1>"]


def test_an_exact_copy_is_named_once(registry: Registry, tmp_path: Path) -> None:
    data = encoded(scene(PHOTO), quality=90)
    folder = tmp_path / "index"
    sha = hashlib.sha256(data).hexdigest()
    build_index(
        folder,
        [(IndexedMedia(3, "original.jpg", None, "image", sha), image_print(fit(scene(PHOTO))))],
    )
    findings = scan(registry, folder, "copy.jpg", data)
    assert media_findings(findings) == [("copy.jpg", "exact-copy", "original.jpg")]


def test_a_clip_of_a_registered_video_is_found(registry: Registry, index_folder: Path) -> None:
    clip = [transforms.resize(f, 0.7) for f in clip_frames(VIDEO_SEED, 30)[8:26]]
    data = zip_with("clip.webm", video(clip, codec="libvpx", fmt="webm"))
    findings = scan(registry, index_folder, "clips.zip", data)
    (finding,) = [f for f in findings if f.detector == "media"]
    assert (finding.path, finding.rule, finding.details["document"]) == (
        "clips.zip!clip.webm",
        "video",
        "tour.mp4",
    )
    assert finding.details["times"]


def test_unrelated_images_and_videos_make_no_finding(
    registry: Registry, index_folder: Path
) -> None:
    assert media_findings(scan(registry, index_folder, "other.jpg", encoded(scene(99)))) == []
    assert (
        media_findings(scan(registry, index_folder, "other.mp4", video(clip_frames(98, 20)))) == []
    )


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("cut.jpg", encoded(scene(5))[:500], "image"),
        ("bomb.png", png_claiming(100_000, 100_000), "image"),
        ("broken.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500, "video"),
    ],
)
def test_an_undecodable_item_is_reported_and_the_scan_goes_on(
    registry: Registry, index_folder: Path, name: str, data: bytes, kind: str
) -> None:
    archive = _zip_two(name, data, "IMG_2.jpg", leaked())
    findings = scan(registry, index_folder, "mixed.zip", archive)
    undecodable = [f for f in findings if (f.detector, f.rule) == ("media", "undecodable")]
    assert [f.path for f in undecodable] == [f"mixed.zip!{name}"]
    assert undecodable[0].message.startswith(f"{kind} not compared with registered media")
    assert ("mixed.zip!IMG_2.jpg", "image", "lab-bench.jpg") in media_findings(findings)


def _zip_two(first: str, first_data: bytes, second: str, second_data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(first, first_data)
        archive.writestr(second, second_data)
    return buffer.getvalue()


def gps_jpeg(latitude: float, longitude: float, serial: str | None = None) -> bytes:
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)

    def dms(value: float) -> tuple[float, float, float]:
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        return (degrees, minutes, round(((value - degrees) * 60 - minutes) * 60, 4))

    gps.update({1: "N", 2: dms(latitude), 3: "E", 4: dms(longitude)})
    if serial:
        exif.get_ifd(0x8769)[0xA431] = serial
    buffer = io.BytesIO()
    Image.fromarray(scene(60, 160, 120)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_photos_taken_in_a_restricted_zone_or_with_a_registered_camera(
    registry: Registry, index_folder: Path
) -> None:
    options = {"zones": [ZONE], "cameras": [{"serial": "SN 5501", "name": "Lab camera"}]}
    inside = scan(registry, index_folder, "in.jpg", gps_jpeg(52.005, 13.004, "sn5501"), **options)
    rules = {f.rule: f for f in inside if f.detector == "media"}
    assert set(rules) == {"restricted-zone", "registered-camera"}
    assert rules["restricted-zone"].details["zone"] == "Building 7"
    assert rules["registered-camera"].details["camera"] == "Lab camera"
    outside = scan(registry, index_folder, "out.jpg", gps_jpeg(48.1, 11.5, "OTHER"), **options)
    assert media_findings(outside) == []
    # the camera a registered photo was taken with is a registered device too
    same_camera = scan(registry, index_folder, "c.jpg", gps_jpeg(1.0, 1.0, "CAM-77"))
    (finding,) = [f for f in same_camera if f.detector == "media"]
    assert finding.rule == "registered-camera" and "lab-bench.jpg" in finding.details["camera"]


def test_without_an_index_only_metadata_is_checked(registry: Registry, tmp_path: Path) -> None:
    findings = scan(registry, tmp_path / "none", "in.jpg", gps_jpeg(52.005, 13.004), zones=[ZONE])
    assert media_findings(findings) == [("in.jpg", "restricted-zone", None)]
    assert media_findings(scan(registry, tmp_path / "none", "x.jpg", leaked())) == []


def test_bad_zones_stop_the_scan_before_it_starts(registry: Registry, tmp_path: Path) -> None:
    from leaktrace.core.errors import PolicyError

    with pytest.raises(PolicyError, match="at least 3"):
        scan(registry, tmp_path, "x.jpg", b"", zones=[{"name": "a", "polygon": [[0, 0]]}])


def test_random_bytes_with_image_signatures_never_crash(
    registry: Registry, index_folder: Path
) -> None:
    generator = np.random.default_rng(5)
    for head in (
        b"\xff\xd8\xff",
        b"\x89PNG\r\n\x1a\n",
        b"RIFF\x00\x00\x00\x00WEBP",
        b"\x1a\x45\xdf\xa3webm",
    ):
        data = head + generator.bytes(2000)
        findings = scan(registry, index_folder, "noise.bin", data)
        assert not [f for f in findings if f.message.startswith("detector media failed")]
