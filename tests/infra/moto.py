"""moto's standalone S3-compatible server (`moto_server`, from moto[server]), a separate
process the app talks to over HTTP exactly as it would to S3."""

import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from .processes import free_port, wait_until


class MotoServer:
    access_key = "test-access-key"
    secret_key = "test-secret-key"
    region = "us-east-1"

    def __init__(self):
        self.process = None
        self.port = None
        self.log = None

    @property
    def endpoint_url(self):
        return f"http://127.0.0.1:{self.port}"

    def _answers(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"moto_server exited:\n{Path(self.log.name).read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{self.endpoint_url}/moto-api/", timeout=1):
                return True
        except OSError:
            return False

    def start(self):
        binary = shutil.which("moto_server", path=str(Path(sys.executable).parent))
        if binary is None:
            raise RuntimeError("moto_server is missing: `uv sync` installs moto[server] (dev)")
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (open while the server runs)
            prefix="moto-", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(
            [binary, "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self._answers, timeout=30, what="moto_server to answer")
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.log.close()
            Path(self.log.name).unlink(missing_ok=True)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
        )
