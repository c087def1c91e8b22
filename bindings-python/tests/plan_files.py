"""Binary plan files taken apart and put together by hand (zip and protobuf), for tests that need
one Terraform would never write. Used by the Python suite, and run by the Node suite:
`python3 plan_files.py deep-path STEPS` writes the safe plan with a sensitive path of STEPS steps."""

from __future__ import annotations

import io
import sys
import warnings
import zipfile
from pathlib import Path
from typing import List, Tuple

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def members(path: Path) -> List[Tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def zipped(entries: List[Tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about a duplicate name, as it should
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return out.getvalue()


def field(number: int, data: bytes) -> bytes:
    def varint(n: int) -> bytes:
        out = bytearray()
        while n >= 0x80:
            out.append(n & 0x7F | 0x80)
            n >>= 7
        out.append(n)
        return bytes(out)

    return varint(number << 3 | 2) + varint(len(data)) + data


def with_change(msgpack: bytes, path_steps: int) -> bytes:
    """The safe plan with a created queue added, whose after value is `msgpack`, with a sensitive
    path of `path_steps` steps."""
    step = field(1, field(1, b"a"))
    change = b"\x08\x01" + field(2, field(1, msgpack)) + field(4, step * path_steps)
    rc = field(13, b"aws_sqs_queue.added") + field(8, b'provider["registry.terraform.io/hashicorp/aws"]') + field(9, change)
    entries = members(FIXTURES / "plans" / "safe.tfplan")
    entries = [(name, data + field(3, rc) if name == "tfplan" else data) for name, data in entries]
    return zipped(entries)


if __name__ == "__main__":
    if sys.argv[1:2] == ["deep-path"]:
        sys.stdout.buffer.write(with_change(b"\x81\xa4name\xa4deep", int(sys.argv[2])))
