"""The parser's rules on their own: sender, text, quoted history, HTML, odd input."""

from __future__ import annotations

import pytest

from inbound.parsing import MalformedMessage, parse
from inbound.text import html_to_text, trim_quoted
from tests.inbound.conftest import eml

HEAD = b"From: Alice <alice@example.com>\nTo: support@help.example.org\nSubject: Hi\n"


def message(body: bytes = b"Hello", *, head: bytes = HEAD, **headers: str) -> bytes:
    extra = b"".join(
        f"{name.replace('_', '-')}: {value}\n".encode() for name, value in headers.items()
    )
    return head + extra + b"\n" + body


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"To: support@help.example.org\nSubject: no sender\n\nHello", "0 From headers"),
        (message(head=b"From: a@example.com, b@example.com\n"), "2 addresses in From"),
        (message(head=b"From: undisclosed-recipients:;\n"), "0 addresses in From"),
        (message(head=b"From: Alice <alice>\n"), "a From address without a domain"),
        (message(head=b"From: <alice@exa mple.com>\n"), "an invalid From address"),
        (b"", "no headers"),
        (b"\x00\xff\xfe garbage without any header", "no headers"),
    ],
)
def test_a_message_without_one_valid_sender_is_malformed(raw, reason):
    with pytest.raises(MalformedMessage, match=reason):
        parse(raw)


def test_a_display_name_with_an_encoded_line_break_is_refused():
    raw = message(
        head=b"From: =?utf-8?q?Eve=0D=0ABcc:_victim@example.net?= <eve@example.net>\n"
        b"To: support@help.example.org\n"
    )

    with pytest.raises(MalformedMessage, match="an unreadable From header"):
        parse(raw)


def test_a_display_name_keeps_to_one_line_and_is_only_ever_logged():
    parsed = parse(message(head=b"From: =?utf-8?q?Eve=09=E2=80=AEtab?= <eve@example.net>\n"))

    assert (parsed.sender, parsed.sender_name) == ("eve@example.net", "Eve tab")


def test_a_quoted_address_in_the_display_name_is_not_the_sender():
    parsed = parse(message(head=b'From: "alice@example.com" <mallory@example.net>\n'))

    assert parsed.sender == "mallory@example.net"


def test_duplicated_headers_use_the_first_and_never_fail():
    raw = message(
        head=HEAD + b"Subject: second subject\nMessage-ID: <one@x.example>\n"
        b"Message-ID: <two@x.example>\n"
    )

    parsed = parse(raw)

    assert (parsed.subject, parsed.message_id) == ("Hi", "<one@x.example>")


def test_references_are_read_newest_first_without_duplicates():
    parsed = parse(
        message(In_Reply_To="<c@x.example>", References="<a@x.example> <b@x.example> <c@x.example>")
    )

    assert parsed.references == ("<c@x.example>", "<b@x.example>", "<a@x.example>")


def test_the_real_files_parse_with_their_attachments():
    parsed = parse(eml("multipart_attachments.eml"))

    assert [(a.filename, a.content_type) for a in parsed.attachments] == [
        ("error-screenshot.png", "image/png"),
        ("invoice-2024-117.pdf", "application/pdf"),
        ("viewer.pdf.exe", "application/octet-stream"),
    ]
    assert parsed.attachments[0].content.startswith(b"\x89PNG\r\n\x1a\n")


def test_an_attached_message_is_kept_whole_and_file_names_lose_their_folders():
    raw = (
        HEAD + b'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n'
        b"--b\nContent-Type: text/plain\n\nSee attached.\n"
        b"--b\nContent-Type: message/rfc822\n\nFrom: x@example.com\nSubject: inner\n\ninner body\n"
        b"--b\nContent-Type: text/plain\n"
        b'Content-Disposition: attachment; filename="../../etc/.passwd"\n\n'
        b"root\n--b--\n"
    )

    parsed = parse(raw)

    assert parsed.body == "See attached."
    assert [a.filename for a in parsed.attachments] == ["attachment-1.eml", "passwd"]
    assert b"inner body" in parsed.attachments[0].content


def test_trimming_cuts_gmail_history_even_when_the_attribution_is_folded():
    text = (
        "Yes, that fixed it.\n\nOn Mon, 9 Dec 2024 at 09:00, A Very Long Name Indeed\n"
        "<support+t1.abc@help.example.org> wrote:\n> Did the restart help?\n"
    )

    assert trim_quoted(text) == "Yes, that fixed it."


def test_trimming_keeps_interleaved_quotes_and_drops_the_trailing_block():
    text = "> Is it plugged in?\nYes.\n> Which model?\nThe X200.\n\n> Thanks\n> Support\n"

    assert trim_quoted(text) == "> Is it plugged in?\nYes.\n> Which model?\nThe X200."


def test_trimming_cuts_a_signature_and_an_outlook_header_block():
    assert trim_quoted("Fixed.\n-- \nAlice\nAccounts") == "Fixed."
    assert (
        trim_quoted("Fixed.\n\nFrom: Helpdesk <s@x.org>\nSent: Monday\nTo: Alice\n\nOld text")
        == "Fixed."
    )


def test_html_keeps_preformatted_text_and_quotes_blockquotes():
    html = "<p>Log:</p><pre>line 1\n  line 2</pre><blockquote><p>old text</p></blockquote>"

    assert html_to_text(html) == "Log:\n\nline 1\n  line 2\n\n> old text"
