"""Several app servers share their files through an S3-compatible bucket: the
archived PDF and the bilagor must travel only through Django's storage API."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from meetings.actions import publication
from tests.conftest import justera

ROOT = Path(__file__).resolve().parent.parent.parent
BASE = "/norrbotten/arbetsutskott/2021-09-27/"
S3_STORAGE = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {"bucket_name": "paragraf-test", "region_name": "eu-north-1"},
}


@pytest.fixture
def bucket(settings, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-north-1")
        s3.create_bucket(
            Bucket="paragraf-test",
            CreateBucketConfiguration={"LocationConstraint": "eu-north-1"},
        )
        settings.STORAGES = {**settings.STORAGES, "default": S3_STORAGE}
        yield s3


@pytest.mark.django_db
def test_a_protocol_justeras_and_is_served_from_the_bucket(
    client, settings, bucket, drafted, annica, secretary
):
    justera(drafted, justerare=[annica], by=secretary)
    publication.publish(drafted, by=secretary)
    archive = drafted.archive

    stored = bucket.get_object(Bucket="paragraf-test", Key=archive.pdf.name)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == archive.sha256
    public = drafted.public_version
    stored = bucket.get_object(Bucket="paragraf-test", Key=public.pdf.name)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == public.sha256
    response = client.get(BASE + "protokoll.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_s3_bucket_in_the_environment_selects_the_bucket_storage(tmp_path):
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, json; django.setup(); "
            "from django.conf import settings as s; print(json.dumps(s.STORAGES['default']))",
        ],
        cwd=ROOT,
        env={
            **keep,
            "DJANGO_SETTINGS_MODULE": "minutes_site.settings",
            "SECRET_KEY": "k",
            "SITE_URL": "https://protokoll.example.se",
            "DATA_DIR": str(tmp_path),
            "S3_BUCKET": "protokoll",
            "S3_ENDPOINT_URL": "https://s3.example.se",
            "S3_SECRET_KEY": "hemligt",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    storage = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "protokoll"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.se"
    assert storage["OPTIONS"]["secret_key"] == "hemligt"
    assert storage["OPTIONS"]["default_acl"] == "private"
