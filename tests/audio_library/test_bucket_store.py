"""BucketStore against a real S3-API server (moto's, on loopback): the bucket is the store, the
folder a cache that is filled from it and checked against the digests."""
from __future__ import annotations

import hashlib
import io

import pytest
import requests

from audio_library import MediaStore
from audio_library.bucket import BucketStore
from tests.s3_kit import s3, s3_endpoint  # noqa: F401 (fixtures)

CONTENT = b"ID3 not really audio, the store does not care" * 1000
SHA = hashlib.sha256(CONTENT).hexdigest()


@pytest.fixture
def store(s3, tmp_path) -> BucketStore:
    return BucketStore(f"s3://{s3.bucket}/media", MediaStore(tmp_path / "cache"), s3.endpoint)


def test_an_added_file_is_in_the_bucket_under_its_digest_once(store, s3, tmp_path):
    first = store.add_stream(io.BytesIO(CONTENT), ".MP3")
    again = store.add_stream(io.BytesIO(CONTENT), "mp3")
    assert (first.sha256, first.is_new, again.is_new) == (SHA, True, False)
    assert s3.keys() == [f"media/{SHA[:2]}/{SHA}.mp3"]
    head = s3.client().head_object(Bucket=s3.bucket, Key=f"media/{SHA[:2]}/{SHA}.mp3")
    assert (head["ContentType"], head["ContentLength"]) == ("audio/mpeg", len(CONTENT))
    assert list(store.files()) == [(SHA, "mp3")]


def test_another_node_reads_the_file_through_its_own_empty_cache(store, s3, tmp_path):
    store.add_stream(io.BytesIO(CONTENT), "mp3")
    other = BucketStore(f"s3://{s3.bucket}/media", MediaStore(tmp_path / "other"), s3.endpoint)
    assert other.exists(SHA) and not other.cache.exists(SHA)
    path = other.path_for(SHA)
    assert path.read_bytes() == CONTENT and path.is_relative_to(tmp_path / "other")


def test_bytes_in_the_bucket_that_do_not_match_their_name_are_refused(store, s3):
    s3.client().put_object(Bucket=s3.bucket, Key=f"media/{SHA[:2]}/{SHA}.mp3", Body=b"something else")
    with pytest.raises(FileNotFoundError, match="does not hold the content"):
        store.path_for(SHA)
    assert not store.cache.exists(SHA) and list(store.cache.files()) == []


def test_a_missing_file_and_a_removed_one(store, s3):
    with pytest.raises(FileNotFoundError):
        store.path_for(SHA)
    store.add_stream(io.BytesIO(CONTENT), "mp3")
    assert store.remove(SHA) and s3.keys() == [] and not store.exists(SHA)
    assert not store.remove(SHA)
    with pytest.raises(ValueError):
        store.path_for("../" + SHA[3:])


def test_a_presigned_link_serves_the_file_and_ranges_of_it_without_credentials(store):
    store.add_stream(io.BytesIO(CONTENT), "mp3")
    link = store.link(SHA, "mp3", 60)
    assert "X-Amz-Signature=" in link and "X-Amz-Expires=60" in link
    whole = requests.get(link, timeout=30)
    part = requests.get(link, headers={"Range": "bytes=100-"}, timeout=30)
    assert (whole.status_code, whole.content, whole.headers["Content-Type"]) == (200, CONTENT, "audio/mpeg")
    assert (part.status_code, part.content) == (206, CONTENT[100:])


def test_a_bucket_url_names_a_bucket(tmp_path):
    with pytest.raises(ValueError, match="s3://bucket/prefix"):
        BucketStore("https://example.com/media", MediaStore(tmp_path))
