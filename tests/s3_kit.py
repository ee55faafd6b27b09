"""A real S3-API server on loopback: moto's standalone server in its own process, on a free port.

Use the `s3` fixture: it gives the endpoint and a new empty bucket per test, with the standard
AWS environment variables (dummy credentials, a region) that boto3 reads as in production.
"""
from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.loopback import free_port, server_process

AWS_ENV = {"AWS_ACCESS_KEY_ID": "radio-test", "AWS_SECRET_ACCESS_KEY": "radio-test-secret",
           "AWS_DEFAULT_REGION": "us-east-1"}


@dataclass
class S3:
    endpoint: str
    bucket: str

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint)

    def keys(self) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listing.get("Contents", ()))


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    with server_process([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], port):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def s3(s3_endpoint, monkeypatch) -> S3:
    for name, value in AWS_ENV.items():
        monkeypatch.setenv(name, value)
    found = S3(s3_endpoint, f"radio-{uuid.uuid4().hex[:10]}")
    found.client().create_bucket(Bucket=found.bucket)
    return found
