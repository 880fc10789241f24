"""On S3 (moto's in-process S3): private objects, and downloads through 60-second signed URLs
whose signature forces the attachment disposition and the sniffed type."""

import sys
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from botocore.exceptions import BotoCoreError, ClientError
from moto import mock_aws

from attachments.storage import storage_errors
from tests.attachments import files
from tests.factories import TicketFactory

BUCKET = "helpdesk-attachments"

pytestmark = pytest.mark.django_db


@pytest.fixture
def s3(settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "attachments": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "location": "attachments",
                    "default_acl": "private",
                    "querystring_auth": True,
                    "querystring_expire": 60,
                    "file_overwrite": False,
                    "signature_version": "s3v4",
                },
            },
        }
        yield client


def test_files_are_private_objects_under_random_names(s3, user, attach_files):
    (pdf,) = attach_files(TicketFactory.create(creator=user), {"plan.pdf": files.pdf_bytes()})

    key = f"attachments/{pdf.storage_name}"
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner alone
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == files.pdf_bytes()
    assert "plan" not in key


def test_a_download_redirects_to_a_short_lived_signed_url(s3, user, user_client, attach_files):
    (pdf,) = attach_files(TicketFactory.create(creator=user), {"plan ü.pdf": files.pdf_bytes()})

    response = user_client.get(f"/attachments/{pdf.pk}/")

    assert response.status_code == 302
    url = urlsplit(response["Location"])
    query = parse_qs(url.query)
    assert url.path == f"/{BUCKET}/attachments/{pdf.storage_name}" or url.hostname.startswith(
        BUCKET
    )
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    assert query["response-content-disposition"] == [
        "attachment; filename*=utf-8''plan%20%C3%BC.pdf"
    ]
    assert query["response-content-type"] == ["application/pdf"]
    assert response["Cache-Control"] == "private, no-store"


def test_another_customer_gets_no_signed_url(s3, user, other_user_client, attach_files):
    (pdf,) = attach_files(TicketFactory.create(creator=user), {"plan.pdf": files.pdf_bytes()})

    assert other_user_client.get(f"/attachments/{pdf.pk}/").status_code == 404


def test_previews_are_served_by_the_site_itself_on_s3_too(s3, user, user_client, attach_files):
    (photo,) = attach_files(TicketFactory.create(creator=user), {"a.png": files.image_bytes()})

    response = user_client.get(f"/attachments/{photo.pk}/preview/")

    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert body.startswith(b"\x89PNG")  # the picture has transparency


def test_s3_refusing_or_unreachable_is_a_storage_error_like_a_full_disk():
    """botocore's errors are caught wherever a file system's are (a form error on upload, a 404
    on download, a retry of a delete), once the S3 backend has loaded botocore."""
    assert storage_errors() == (OSError, BotoCoreError, ClientError)


def test_a_process_that_never_loaded_botocore_catches_only_file_system_errors(monkeypatch):
    """Without a bucket nothing imports boto3 (half a second per process, tests/test_startup.py),
    and nothing can raise its errors either."""
    monkeypatch.delitem(sys.modules, "botocore.exceptions")

    assert storage_errors() == (OSError,)
