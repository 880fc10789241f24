"""check_uploads decides by content, within the limits; attach stores under random names."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from PIL import Image

from attachments.models import Attachment, Kind
from attachments.services import attach, check_uploads, clean_name
from tests.attachments import files
from tests.factories import CommentFactory, InternalNoteFactory, TicketFactory

MB = 1024 * 1024


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("screenshot.png", files.image_bytes("PNG"), Kind.PNG),
        ("photo.jpg", files.image_bytes("JPEG"), Kind.JPEG),
        ("anim.gif", files.image_bytes("GIF"), Kind.GIF),
        ("photo.webp", files.image_bytes("WEBP"), Kind.WEBP),
        ("invoice.pdf", files.pdf_bytes(), Kind.PDF),
        ("error.log", "Größe überschritten\n".encode(), Kind.TEXT),
        ("report.docx", files.docx_bytes(), Kind.DOCX),
        ("letter.odt", files.odt_bytes(), Kind.ODT),
    ],
)
def test_allowed_kinds_are_recognised_by_their_content(name, data, kind):
    # The declared type is a lie on purpose: only the content counts.
    (checked,) = check_uploads([files.upload(name, data, "application/x-msdownload")])

    assert checked.content_type == kind
    assert checked.size == len(data)
    assert checked.name == name


def test_a_file_from_an_email_is_checked_the_same_way():
    (checked,) = check_uploads([ContentFile(files.pdf_bytes(), name="scan.pdf")])

    assert checked.content_type == Kind.PDF


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("cute-cat.png", files.EXE, "binary"),
        ("invoice.pdf", files.EXE, "binary"),
        ("photo.png", files.HTML, "not what its name says"),
        ("logo.png", files.SVG, "not what its name says"),
        ("report.pdf", files.SVG, "not what its name says"),
        ("page.html", files.HTML, "not what its name says"),
        ("drawing.svg", files.SVG, "not what its name says"),
        ("report.docx", files.plain_zip_bytes(), "not an office document"),
        ("macro.docx", files.docx_bytes(files.DOCM_MAIN), "another type"),
        ("hollow.docx", files.docx_bytes(with_part=False), "another type"),
        ("truncated.pdf", b"%PDF-1.7\n1 0 obj", "incomplete PDF"),
        ("broken.png", files.image_bytes("PNG")[:40], "damaged image"),
        ("latin1.txt", "caf\xe9".encode("latin-1"), "not UTF-8"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused_by_name(name, data, reason):
    with pytest.raises(ValidationError) as refused:
        check_uploads([files.upload(name, data, "image/png")])

    assert f"“{name}”" in messages_of(refused.value)
    assert reason in messages_of(refused.value)


def test_a_jpeg_with_a_zip_behind_it_named_docx_is_refused():
    # A polyglot: a valid JPEG for image viewers, a valid zip for archive tools.
    polyglot = files.image_bytes("JPEG") + files.docx_bytes()

    with pytest.raises(ValidationError, match="its content is a JPEG image"):
        check_uploads([files.upload("contract.docx", polyglot)])


def test_a_png_with_a_script_behind_it_is_accepted_but_previewed_from_fresh_pixels():
    polyglot = files.image_bytes("PNG") + files.HTML

    (checked,) = check_uploads([files.upload("chart.png", polyglot)])

    assert checked.content_type == Kind.PNG
    assert checked.thumbnail is not None
    assert b"<script" not in checked.thumbnail.content


def test_every_refused_file_is_named_at_once():
    with pytest.raises(ValidationError) as refused:
        check_uploads([files.upload("a.png", files.EXE), files.upload("b.exe", files.EXE)])

    assert len(refused.value.messages) == 2


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match=r"“empty\.txt” is empty"):
        check_uploads([files.upload("empty.txt", b"")])


def test_a_file_of_ten_megabytes_passes_and_one_byte_more_is_refused():
    exactly = b"a" * (10 * MB)

    check_uploads([files.upload("big.txt", exactly)])
    with pytest.raises(
        ValidationError,
        match=r"“bigger.txt” is too large \(10.0 MB\); each file may be at most 10 MB",
    ):
        check_uploads([files.upload("bigger.txt", exactly + b"a")])


def test_a_message_may_carry_twenty_five_megabytes_in_all():
    nine = b"a" * (9 * MB)
    check_uploads([files.upload(f"{n}.txt", b"a" * (25 * MB // 3)) for n in range(3)])

    with pytest.raises(ValidationError, match="come to 27 MB; a message may carry at most 25 MB"):
        check_uploads([files.upload(f"{n}.txt", nine) for n in range(3)])


def test_a_message_may_carry_ten_files():
    check_uploads([files.upload(f"{n}.txt", b"hello") for n in range(10)])

    with pytest.raises(ValidationError, match="at most 10 files"):
        check_uploads([files.upload(f"{n}.txt", b"hello") for n in range(11)])


def test_the_limits_come_from_the_settings(settings):
    settings.HELPDESK_ATTACHMENT_MAX_BYTES = 4

    with pytest.raises(ValidationError, match="at most 4 bytes"):
        check_uploads([files.upload("five.txt", b"12345")])


def test_an_image_wider_than_ten_thousand_pixels_is_refused():
    wide = files.image_bytes("PNG", size=(10_001, 1))

    with pytest.raises(ValidationError, match="wider or taller than 10,000 pixels"):
        check_uploads([files.upload("wide.png", wide)])


def test_an_image_of_more_than_sixteen_megapixels_png_is_refused_before_decoding():
    # 4,100 x 4,100 = 16.8 megapixels, well inside the side limit: the header alone refuses it.
    big = files.image_bytes("PNG", size=(4_100, 4_100))

    with pytest.raises(ValidationError, match="too many pixels"):
        check_uploads([files.upload("big.png", big)])


def test_a_preview_is_upright_small_and_without_metadata():
    (checked,) = check_uploads([files.upload("phone.jpg", files.jpeg_with_gps())])

    assert checked.thumbnail is not None
    preview = Image.open(io.BytesIO(checked.thumbnail.content))
    assert preview.size == (48, 64)  # turned upright: the photo was 64 x 48, rotated
    assert not preview.getexif()
    assert b"SpyCam" not in checked.thumbnail.content


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\me\\report.pdf", "report.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("tab\there\x00.txt", "tab here .txt"),
        ("", "attachment"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_names_lose_folders_and_control_characters(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.django_db
def test_attach_stores_files_under_random_names_with_a_preview(user):
    ticket = TicketFactory.create(creator=user)
    uploads = check_uploads(
        [files.upload("My Secret Plan.png", files.image_bytes()), files.upload("a.txt", b"hi")]
    )

    image, text = attach(ticket=ticket, comment=None, uploads=uploads, uploaded_by=user)

    storage = storages["attachments"]
    assert "Secret" not in image.storage_name
    with storage.open(text.storage_name) as stored:
        assert stored.read() == b"hi"
    assert image.has_thumbnail
    assert storage.exists(image.thumbnail_name)
    assert not text.has_thumbnail
    assert list(Attachment.objects.filter(ticket=ticket)) == [image, text]


@pytest.mark.django_db
def test_an_internal_notes_files_are_for_staff_only(user, staff_user):
    note = InternalNoteFactory.create(ticket=TicketFactory.create(creator=user))
    uploads = check_uploads([files.upload("note.txt", b"hi")])

    (attachment,) = attach(
        ticket=note.ticket, comment=note, uploads=uploads, uploaded_by=note.author
    )

    assert attachment not in Attachment.objects.visible_to(user)
    assert attachment in Attachment.objects.visible_to(staff_user)


@pytest.mark.django_db
def test_a_comment_of_another_ticket_is_refused(user):
    comment = CommentFactory.create()

    with pytest.raises(ValueError, match="another ticket"):
        attach(
            ticket=TicketFactory.create(creator=user),
            comment=comment,
            uploads=[],
            uploaded_by=user,
        )
