"""Markable formats: plain text, Markdown, HTML and docx keep everything but their marks."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import numpy as np
import pytest
from selectolax.lexbor import LexborHTMLParser

from leaktrace.extract.html import html_to_text
from leaktrace.trace.formats import (
    UnmarkableDocument,
    load_markable,
    merge_readings,
    parse_markable,
    plan_document,
    read_format_marks,
    text_of,
)
from leaktrace.trace.formats.docx import FORMAT_MARK_FORMS
from leaktrace.trace.plan import MarkPlan
from leaktrace.trace.read import read_marks
from leaktrace.trace.render import render_marks
from tests.trace.marking import BRIEFING, KEY, random_bits, strip_invisible

PARAGRAPHS = [part.replace("\n", " ") for part in BRIEFING.split("\n\n")]


def _marked(
    path: Path, out: Path, seed: int, veto: tuple[str, ...] = ()
) -> tuple[MarkPlan, np.ndarray]:
    document = load_markable(path)
    plan = plan_document(document, key=KEY, veto=veto)
    bits = random_bits(len(plan), seed)
    document.save(render_marks(document.nodes, plan, bits), plan.format_bits(bits), out)
    return plan, bits


def _layer(plan: MarkPlan, layer: str) -> np.ndarray:
    return np.array([slot.layer == layer for slot in plan.slots])


# -- docx


def _briefing_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading(PARAGRAPHS[0], 1)
    for text in PARAGRAPHS[1:]:
        paragraph = document.add_paragraph()
        half = len(text) // 2
        paragraph.add_run(text[:half])
        paragraph.add_run(text[half:]).bold = True  # a run boundary inside a word
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Savings per year once the two logistics sites are consolidated"
    table.cell(0, 1).text = "about 2.5 million dollars"
    section = document.sections[0]
    section.header.paragraphs[0].text = "Confidential: leadership team only, do not forward"
    section.footer.paragraphs[0].text = "Project Harbor briefing prepared by the program office"
    document.save(str(path))
    return path


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_a_docx_copy_reads_back_its_text_and_format_marks(tmp_path: Path) -> None:
    original = _briefing_docx(tmp_path / "a.docx")
    plan, bits = _marked(original, tmp_path / "b.docx", seed=1)
    data = (tmp_path / "b.docx").read_bytes()
    counts = plan.layer_counts()
    assert counts["wording"] >= 20 and counts["format"] >= 10
    text = ~_layer(plan, "format")
    read = read_marks(text_of(parse_markable(data)), plan)
    assert np.array_equal(read[text], plan.readings_of(bits)[text])
    formats = read_format_marks(data, plan)
    assert np.array_equal(formats[~text], plan.readings_of(bits)[~text])
    assert (formats[text] == -1).all()
    assert np.array_equal(merge_readings(read, formats), plan.readings_of(bits))
    # Converted to plain text by another program, the text marks still read.
    converted = read_marks(_docx_text(data), plan)
    body = converted >= 0
    assert body.sum() > 0.8 * text.sum() - 40  # the header, footer and table are not in it
    assert np.array_equal(converted[body], plan.readings_of(bits)[body])


def test_a_docx_copy_is_the_same_document_but_for_its_marks(tmp_path: Path) -> None:
    original = _briefing_docx(tmp_path / "a.docx")
    _marked(original, tmp_path / "b.docx", seed=2, veto=("wording",))
    before = zipfile.ZipFile(original)
    after = zipfile.ZipFile(tmp_path / "b.docx")
    assert before.namelist() == after.namelist()
    for name in before.namelist():
        old, new = before.read(name), after.read(name)
        if name in ("word/document.xml", "word/header1.xml", "word/footer1.xml"):
            new_text = strip_invisible(new.decode())
            for mark in FORMAT_MARK_FORMS:
                new_text = new_text.replace(f"<w:rPr>{mark}</w:rPr>", "").replace(mark, "")
            assert new_text == old.decode(), name
        else:
            assert old == new, name
    copy = docx.Document(str(tmp_path / "b.docx"))
    assert [strip_invisible(p.text) for p in copy.paragraphs] == [
        p.text for p in docx.Document(str(original)).paragraphs
    ]


def test_docx_nodes_cover_body_table_header_and_footer(tmp_path: Path) -> None:
    document = load_markable(_briefing_docx(tmp_path / "a.docx"))
    joined = text_of(document)
    for text in (PARAGRAPHS[2], "about 2.5 million dollars", "do not forward", "program office"):
        assert text in joined
    assert None in document.joins  # between the body and the header: unknown


def test_styles_that_set_the_mark_properties_turn_format_marks_off(tmp_path: Path) -> None:
    path = _briefing_docx(tmp_path / "a.docx")
    with zipfile.ZipFile(path) as package:
        contents = {info.filename: package.read(info) for info in package.infolist()}
    styles = contents["word/styles.xml"].decode()
    contents["word/styles.xml"] = styles.replace("<w:rPr>", '<w:rPr><w:w w:val="90"/>', 1).encode()
    changed = tmp_path / "c.docx"
    with zipfile.ZipFile(changed, "w") as package:
        for name, data in contents.items():
            package.writestr(name, data)
    assert load_markable(changed).format_mark is None


# -- HTML

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Project Harbor</title>
<style>p { margin: 0 } /* toward */</style></head>
<body>
<h1 class="title">{title}</h1>
{paragraphs}
<p>Run <code>deploy --toward prod</code> in order to finish, e.g. &amp; more.</p>
<script>var towards = "in order to";</script>
</body></html>
"""


def _page(path: Path) -> Path:
    paragraphs = "\n".join(f"<p data-x='1'>{text}</p>" for text in PARAGRAPHS[1:])
    path.write_text(PAGE.replace("{title}", PARAGRAPHS[0]).replace("{paragraphs}", paragraphs))
    return path


def test_an_html_copy_reads_back_and_keeps_its_markup(tmp_path: Path) -> None:
    original = _page(tmp_path / "a.html")
    plan, bits = _marked(original, tmp_path / "b.html", seed=3)
    data = (tmp_path / "b.html").read_bytes()
    text = ~_layer(plan, "format")
    assert plan.layer_counts()["format"] >= 5
    assert np.array_equal(
        read_marks(text_of(parse_markable(data)), plan)[text], plan.readings_of(bits)[text]
    )
    assert np.array_equal(read_format_marks(data, plan)[~text], plan.readings_of(bits)[~text])
    page = data.decode()
    for kept in (
        "<code>deploy --toward prod</code>",
        'var towards = "in order to";',
        "/* toward */",
        "&amp;",
    ):
        assert kept in page
    without = re.sub(r' (?:translate="yes"|spellcheck="true")', "", strip_invisible(page))
    assert len(without.splitlines()) == len(original.read_text().splitlines())


def test_html_marks_survive_a_parser_round_trip_and_text_extraction(tmp_path: Path) -> None:
    plan, bits = _marked(_page(tmp_path / "a.html"), tmp_path / "b.html", seed=4)
    reserialized = LexborHTMLParser((tmp_path / "b.html").read_text()).html or ""
    formats = ~np.array([slot.layer != "format" for slot in plan.slots])
    read = read_format_marks(reserialized.encode(), plan)
    assert np.array_equal(read[formats], plan.readings_of(bits)[formats])
    text = read_marks(html_to_text(reserialized), plan)
    got = text >= 0
    assert got.sum() > 0.9 * (~formats).sum()
    assert np.array_equal(text[got], plan.readings_of(bits)[got])


# -- Markdown

MARKDOWN = """---
title: Harbor toward
---
# Project Harbor

{body}

See [the plan toward growth](https://example.com/toward?in-order-to=1) and `towards()`.

```python
toward = "in order to"
```

    indented toward code, in order to

Mail office@example.com or visit https://example.org/towards.

[ref]: https://example.com/toward
"""


def test_a_markdown_copy_marks_prose_only(tmp_path: Path) -> None:
    source = MARKDOWN.replace("{body}", "\n\n".join(PARAGRAPHS[1:]))
    (tmp_path / "a.md").write_text(source)
    plan, bits = _marked(tmp_path / "a.md", tmp_path / "b.md", seed=5)
    copy = (tmp_path / "b.md").read_text()
    assert plan.layer_counts()["wording"] >= 20
    assert np.array_equal(read_marks(copy, plan), plan.readings_of(bits))
    for kept in (
        "---\ntitle: Harbor toward\n---\n",
        "(https://example.com/toward?in-order-to=1)",
        "`towards()`",
        '```python\ntoward = "in order to"\n```',
        "    indented toward code, in order to",
        "office@example.com",
        "https://example.org/towards.",
        "[ref]: https://example.com/toward",
    ):
        assert kept in copy


def test_markdown_is_told_by_its_content() -> None:
    assert type(parse_markable(b"# Title\n\nSome `code` here.\n")).__name__ == "MarkdownDocument"
    assert type(parse_markable(b"Just a plain note.\n")).__name__ == "TextDocument"
    assert type(parse_markable(b"Just a plain note.\n", ".md")).__name__ == "MarkdownDocument"


# -- plain text


@pytest.mark.parametrize(
    ("encoding", "layers"),
    [
        ("utf-8", {"wording", "invisible"}),
        ("utf-8-sig", {"wording", "invisible"}),
        ("utf-16", {"wording", "invisible"}),
        ("cp1252", {"wording"}),
    ],
)
def test_plain_text_is_written_back_in_its_encoding(
    tmp_path: Path, encoding: str, layers: set[str]
) -> None:
    text = BRIEFING.replace("\n", "\r\n") + "Caf\u00e9 \u00a3 done.\r\n"
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    document = load_markable(tmp_path / "a.txt")
    assert document.layers == layers
    plan, bits = _marked(tmp_path / "a.txt", tmp_path / "b.txt", seed=6)
    data = (tmp_path / "b.txt").read_bytes()
    assert data[:3] == text.encode(encoding)[:3]  # the same BOM, if any
    copy = data.decode(encoding)
    assert "\r\n" in copy and "\u00a3" in copy
    assert np.array_equal(read_marks(copy, plan), plan.readings_of(bits))
    assert {slot.layer for slot in plan.slots} <= layers


# -- what cannot be marked


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n", b"PK\x03\x04" + bytes(40), b"\x00\x01\x02\x03" * 100],
    ids=["pdf", "zip", "binary"],
)
def test_unsupported_files_are_usage_errors(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "file").write_bytes(data)
    with pytest.raises(UnmarkableDocument):
        load_markable(tmp_path / "file")


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UnmarkableDocument):
        load_markable(tmp_path / "nothing.txt")


def test_format_marks_of_a_plain_text_read_unread() -> None:
    plan = plan_document(parse_markable(BRIEFING.encode()), key=KEY)
    assert (read_format_marks(BRIEFING.encode(), plan) == -1).all()


def test_merging_readings_keeps_agreement_and_drops_conflicts() -> None:
    one = np.array([-1, 0, 1, 1, -1], dtype=np.int8)
    two = np.array([1, 0, 0, -1, -1], dtype=np.int8)
    assert merge_readings(one, two).tolist() == [1, 0, -1, 1, -1]
