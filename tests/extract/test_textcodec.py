from hypothesis import given
from hypothesis import strategies as st

from leaktrace.extract.textcodec import decode_text, looks_like_text

SAMPLE = "Ärger über die Größe: «naïve» façade — 東京 ✓\n"


def test_utf8_utf16_and_legacy_encodings_decode() -> None:
    assert decode_text(SAMPLE.encode("utf-8")) == (SAMPLE, "utf-8")
    assert decode_text(SAMPLE.encode("utf-16"))[0] == SAMPLE
    assert decode_text(SAMPLE.encode("utf-16-le"))[0] == SAMPLE
    german = "Sehr geehrte Damen und Herren, die Größe der Übergabe ist vertraulich.\n" * 5
    assert decode_text(german.encode("cp1252"))[0] == german


def test_declared_charset_wins_when_it_is_real() -> None:
    data = "café".encode("latin-1")
    assert decode_text(data, declared="latin-1") == ("café", "iso8859-1")
    assert decode_text(b"plain", declared="no-such-charset\x00") == ("plain", "utf-8")


def test_text_and_binary_are_told_apart() -> None:
    assert looks_like_text(SAMPLE.encode("utf-8"))
    assert looks_like_text(SAMPLE.encode("utf-16"))
    assert not looks_like_text(bytes(range(256)))
    assert not looks_like_text(b"")


@given(st.binary(max_size=4096), st.one_of(st.none(), st.text(max_size=12)))
def test_decoding_never_raises(data: bytes, declared: str | None) -> None:
    text, encoding = decode_text(data, declared)
    assert isinstance(text, str) and encoding
    looks_like_text(data)
