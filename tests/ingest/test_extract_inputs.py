"""What comes into extraction besides a well-formed page: wrong or missing encodings, binary
files and other content types, and hostile or odd markup."""

from __future__ import annotations

import codecs
import time

import pytest

from claims.ingest.extract import (
    ExtractionError,
    check_content_type,
    decode_html,
    extract_content,
    extract_html,
)
from claims.ingest.fetch import safe_fetch
from tests.ingest.conftest import DE_SENTENCE, EN_SENTENCE, LOCAL_POLICY, page
from tests.ingest.server import LocalServer

# -- encodings ------------------------------------------------------------------------------------

GERMAN = "Über die Größe der Straße wurde gestritten, sagte Jürgen Müller – „das kostet 5 €“."


def _html(body_text: str, meta: str | None) -> str:
    meta_tag = f'<meta charset="{meta}">' if meta else ""
    return f"<html><head>{meta_tag}<title>t</title></head><body><p>{body_text}</p></body></html>"


@pytest.mark.parametrize(
    ("encoding", "meta", "declared"),
    [
        ("utf-8", "utf-8", "utf-8"),  # honest
        ("cp1252", None, "utf-8"),  # windows-1252 bytes, header says UTF-8
        ("cp1252", "utf-8", None),  # ... meta says UTF-8
        ("cp1252", "utf-8", "utf-8"),  # ... both lie
        ("utf-8", None, "iso-8859-1"),  # UTF-8 bytes, header says latin-1
        ("utf-8", "iso-8859-1", None),  # ... meta says latin-1
        ("utf-8", "windows-1252", "iso-8859-1"),  # ... both lie
        ("cp1252", "windows-1252", "utf-8"),  # meta right, header wrong
        ("cp1252", "utf-8", "windows-1252"),  # header right, meta wrong
        ("cp1252", None, None),  # no label at all
        ("iso-8859-15", "iso-8859-15", None),  # the euro sign differs from cp1252 here
    ],
)
def test_decode_html_survives_wrong_labels(encoding: str, meta: str | None, declared) -> None:
    text = GERMAN if encoding != "iso-8859-15" else GERMAN.replace("–", "-").replace("„", '"')
    text = text.replace("“", '"') if encoding == "iso-8859-15" else text
    raw = _html(text, meta).encode(encoding)

    assert text in decode_html(raw, declared)


def test_decode_html_honours_byte_order_marks() -> None:
    html = _html(GERMAN, None)
    for bom, codec in [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")]:
        assert decode_html(bom + html.encode(codec), "iso-8859-1") == html


def test_decode_html_xml_declaration_encoding() -> None:
    raw = b'<?xml version="1.0" encoding="ISO-8859-1"?>' + _html(GERMAN[:40], None).encode(
        "latin-1"
    )
    assert GERMAN[:40] in decode_html(raw, None)


@pytest.mark.parametrize(
    ("encoding", "declared"),
    [("latin-1", "utf-8"), ("utf-8", "iso-8859-1"), ("utf-8", None), ("cp1252", None)],
)
def test_wrongly_declared_article_served_and_extracted(
    server: LocalServer, encoding: str, declared: str | None
) -> None:
    # The real page with its meta charset removed, served with a lying or missing header.
    html = page("article_de.html").decode("utf-8").replace('<meta charset="utf-8">', "")
    content_type = f"text/html; charset={declared}" if declared else "text/html"
    url = server.add(
        f"/x/encoding-{encoding}-{declared}", body=html.encode(encoding), content_type=content_type
    )

    result = safe_fetch(url, policy=LOCAL_POLICY)
    doc = extract_content(
        result.content,
        content_type=result.content_type,
        url=url,
        declared_charset=result.charset,
    )

    assert result.charset == (declared.lower() if declared else None)
    assert DE_SENTENCE in doc.text
    assert "Ã" not in doc.text and "\ufffd" not in doc.text  # no mojibake, no replacement chars


# -- bad content ----------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"\x00\xff" * 50
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


@pytest.mark.parametrize(
    ("content", "name"), [(PNG, "PNG image"), (PDF, "PDF document"), (JPEG, "JPEG image")]
)
def test_binary_files_are_refused_even_when_labelled_html(content: bytes, name: str) -> None:
    with pytest.raises(ExtractionError) as info:
        extract_content(content, content_type="text/html; charset=utf-8")

    assert info.value.reason == "binary"
    assert name in info.value.message


def test_binary_served_by_the_server_fails_extraction(server: LocalServer) -> None:
    url = server.add("/x/pdf", body=PDF, content_type="application/pdf")

    result = safe_fetch(url, policy=LOCAL_POLICY)
    with pytest.raises(ExtractionError) as info:
        extract_content(result.content, content_type=result.content_type)

    assert info.value.reason == "binary"


def test_random_bytes_with_nul_are_binary() -> None:
    with pytest.raises(ExtractionError) as info:
        extract_html(b"\x13\x37\x00\x00garbage\x00" * 20)
    assert info.value.reason == "binary"


@pytest.mark.parametrize("content", [b"", b"   \n\t  ", b"\r\n"])
def test_empty_content_fails_readably(content: bytes) -> None:
    with pytest.raises(ExtractionError) as info:
        extract_content(content, content_type="text/html")
    assert info.value.reason == "empty"
    assert info.value.message == "The page is empty."


def test_non_html_text_in_an_html_label_is_not_html() -> None:
    with pytest.raises(ExtractionError) as info:
        extract_html(b'{"status": "ok", "items": [1, 2, 3]}')
    assert info.value.reason == "not_html"


@pytest.mark.parametrize(
    ("content_type", "reason"),
    [
        ("application/json", "unsupported_content"),
        ("application/pdf", "unsupported_content"),
        ("image/png", "binary"),
        ("video/mp4", "binary"),
    ],
)
def test_check_content_type_refuses(content_type: str, reason: str) -> None:
    with pytest.raises(ExtractionError) as info:
        check_content_type(content_type, b"some bytes that are not magic")
    assert info.value.reason == reason


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html",
        "text/html; charset=UTF-8",
        "application/xhtml+xml",
        "text/plain",
        "",
        "application/octet-stream",
    ],
)
def test_check_content_type_accepts_text(content_type: str) -> None:
    check_content_type(content_type, b"<html><body><p>ok</p></body></html>")


def test_octet_stream_html_is_sniffed_and_extracted() -> None:
    doc = extract_content(page("article_en.html"), content_type="application/octet-stream")
    assert EN_SENTENCE in doc.text


def test_plain_text_content_goes_to_text_extraction() -> None:
    body = "Regierung plant Steuerreform\n\nDie Bundesregierung will die Einkommensteuer senken."
    doc = extract_content(body.encode("cp1252"), content_type="text/plain", declared_charset=None)

    assert doc.title == "Regierung plant Steuerreform"
    assert "Einkommensteuer senken" in doc.text
    assert doc.language == "de"


# -- hostile or odd markup ------------------------------------------------------------------------

_FILLER = "Die Bundesregierung hat am Mittwoch ein Gesetz beschlossen, das die Steuern senkt. " * 4


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script only", b"<html><head><script>var t = 'Die Regierung hat beschlossen';</script>"
                        b"</head><body><div id=app></div></body></html>"),
        ("frameset", b"<html><frameset><frame src='a.html'></frameset></html>"),
        ("doctype only", b"<!DOCTYPE html>"),
        ("cdata", b"<html><body><![CDATA[" + b"x" * 100_000 + b"]]></body></html>"),
        ("entity expansion", b'<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;'
                             b'&a;&a;&a;&a;&a;&a;">]><html><body><p>&b;&b;&b;</p></body></html>'),
    ],
)  # fmt: skip
def test_odd_markup_fails_cleanly(name: str, content: bytes) -> None:
    with pytest.raises(ExtractionError) as info:
        extract_content(content, content_type="text/html")
    assert info.value.reason == "no_main_text", name


def test_deeply_nested_markup_is_handled() -> None:
    content = b"<html><body>" + b"<div>" * 40_000 + b"<p>x</p>" + b"</div>" * 40_000 + b"</body>"
    with pytest.raises(ExtractionError) as info:
        extract_content(content, content_type="text/html")
    assert info.value.reason == "no_main_text"


def test_external_entities_are_not_resolved() -> None:
    content = (
        b'<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/hostname">]><html><body><article><p>&x; '
        + _FILLER.encode()
        + b"</p></article></body></html>"
    )
    doc = extract_content(content, content_type="text/html")
    hostname = open("/etc/hostname").read().strip()  # noqa: SIM115
    assert hostname not in doc.text
    assert "Bundesregierung" in doc.text


def test_xhtml_with_xml_declaration() -> None:
    content = (
        b'<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
        b"<body><article><p>" + _FILLER.encode() + b"</p></article></body></html>"
    )
    doc = extract_content(content, content_type="application/xhtml+xml")
    assert doc.text.startswith("Die Bundesregierung")
    assert doc.language == "de"


def test_control_characters_are_removed_from_text() -> None:
    content = ("<html><body><article><p>" + _FILLER.replace("Gesetz", "Ge\x01setz\x0b") + "</p>"
               "</article></body></html>").encode()  # fmt: skip
    doc = extract_content(content, content_type="text/html")
    assert "\x01" not in doc.text and "\x0b" not in doc.text
    assert "Gesetz" in doc.text


@pytest.mark.parametrize("quote", ['"', "'", ""])
def test_element_with_absurd_attribute_count_is_refused_fast(quote: str) -> None:
    # libxml2 is quadratic in the attributes of one element: this page would take ~100 s.
    attributes = " ".join(f"a{i}={quote}1>{quote}" if quote else f"a{i}" for i in range(50_000))
    content = f"<html><body><p {attributes}>{_FILLER}</p></body></html>".encode()

    started = time.monotonic()
    with pytest.raises(ExtractionError) as info:
        extract_content(content, content_type="text/html")

    assert info.value.reason == "malformed"
    assert time.monotonic() - started < 2.0


def test_many_ordinary_attributes_are_fine() -> None:
    attributes = " ".join(f'data-x{i}="v"' for i in range(200))
    content = f"<html><body><article><p {attributes}>{_FILLER}</p></article></body></html>"
    assert "Bundesregierung" in extract_content(content.encode(), content_type="text/html").text
