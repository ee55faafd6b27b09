"""The content-addressed store kept in an S3-compatible bucket, with a local folder as its cache.

The bucket holds each file under ``prefix/ab/<sha256>.<suffix>``, the names the local
:class:`MediaStore` uses, so a folder copied into a bucket (or back) keeps working. The
bucket is the store: a file is added there before :meth:`BucketStore.add` returns.
Whatever must read the bytes (ffmpeg for a render, a day pack, voicing with jingles) gets
a path in the local cache, downloaded once and checked against its digest; devices
never pass through the app for their audio: they get a short-lived presigned link
(:meth:`BucketStore.link`).

Credentials and region come from the standard AWS settings (environment, ``~/.aws``,
instance roles) through boto3; only the endpoint of a non-AWS server is ours to pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from audio_library.formats import mime_type
from audio_library.store import ALLOWED_SUFFIXES, MediaStore, StoredMedia, checked_digest

__all__ = ["BucketStore"]

# Stored files are named by their content: they never change, so caches may keep them.
_CACHE_CONTROL = "private, max-age=31536000, immutable"


class BucketStore:
    """Media in ``s3://bucket/prefix``, addressed by sha256, cached under ``cache``'s root."""

    def __init__(self, url: str, cache: MediaStore, endpoint_url: str | None = None) -> None:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError(f"a media bucket is given as s3://bucket/prefix, not {url!r}")
        self.bucket, self.prefix, self.cache = parts.netloc, parts.path.strip("/"), cache
        self.endpoint_url = endpoint_url
        self._client = None

    def __repr__(self) -> str:
        return f"BucketStore('s3://{self.bucket}/{self.prefix}', cache={self.cache!r})"

    @property
    def client(self):
        """boto3's S3 client, made on first use (boto3 takes a while to import)."""
        if self._client is None:
            import boto3
            from botocore.config import Config

            self._client = boto3.client("s3", endpoint_url=self.endpoint_url,
                                        config=Config(signature_version="s3v4", retries={"mode": "standard"}))
        return self._client

    def add(self, src: Path, suffix: str) -> StoredMedia:
        """Store a copy of the file at ``src`` (in the bucket, and the cache)."""
        local = self.cache.add(src, suffix)
        return self._upload(local)

    def add_stream(self, stream: BinaryIO, suffix: str) -> StoredMedia:
        local = self.cache.add_stream(stream, suffix)
        return self._upload(local)

    def path_for(self, sha256: str) -> Path:
        """A local copy of the stored file (downloaded into the cache when not there yet);
        FileNotFoundError when the bucket has no such file."""
        if self.cache.exists(sha256):
            return self.cache.path_for(sha256)
        key = self._key(sha256)
        if key is None:
            raise FileNotFoundError(f"no stored media with sha256 {sha256} in s3://{self.bucket}/{self.prefix}")
        body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        with body:
            local = self.cache.add_stream(body, key.rpartition(".")[2])
        if local.sha256 != sha256:  # the bucket's bytes are not what their name says
            self.cache.remove(local.sha256)
            raise FileNotFoundError(f"s3://{self.bucket}/{key} does not hold the content its name gives")
        return local.path

    def exists(self, sha256: str) -> bool:
        """Whether content with this digest is stored (the cache only holds what the bucket has)."""
        return self.cache.exists(sha256) or self._key(sha256) is not None

    def remove(self, sha256: str) -> bool:
        """Delete the stored file from the bucket and the cache (see MediaStore.remove)."""
        key = self._key(sha256)
        if key is not None:
            self.client.delete_object(Bucket=self.bucket, Key=key)
        return self.cache.remove(sha256) or key is not None

    def link(self, sha256: str, suffix: str, seconds: int) -> str:
        """A presigned GET link to the file, valid for ``seconds`` (made offline: no request)."""
        return self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": self._name(checked_digest(sha256), suffix)},
            ExpiresIn=seconds)

    def files(self) -> Iterator[tuple[str, str]]:
        """(sha256, suffix) of every stored file, read from the bucket's listing."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=f"{self.prefix}/" if self.prefix else "")
        for page in pages:
            for item in page.get("Contents", ()):
                sha256, _, suffix = item["Key"].rpartition("/")[2].partition(".")
                if suffix in ALLOWED_SUFFIXES and len(sha256) == 64:
                    yield sha256, suffix

    def _upload(self, local: StoredMedia) -> StoredMedia:
        """Put the cached file into the bucket unless the bucket has that content already."""
        suffix = local.path.suffix.lstrip(".")
        if self._key(local.sha256) is not None:
            return StoredMedia(local.sha256, local.path, local.bytes, is_new=False)
        self.client.upload_file(str(local.path), self.bucket, self._name(local.sha256, suffix), ExtraArgs={
            "ContentType": mime_type(suffix), "CacheControl": _CACHE_CONTROL})
        return StoredMedia(local.sha256, local.path, local.bytes, is_new=True)

    def _key(self, sha256: str) -> str | None:
        """The bucket key of the file with this digest, whatever its suffix; None if absent."""
        start = self._name(checked_digest(sha256), "")
        found = self.client.list_objects_v2(Bucket=self.bucket, Prefix=start, MaxKeys=1).get("Contents", ())
        return found[0]["Key"] if found else None

    def _name(self, sha256: str, suffix: str) -> str:
        return "/".join(filter(None, (self.prefix, sha256[:2], f"{sha256}.{suffix}")))
