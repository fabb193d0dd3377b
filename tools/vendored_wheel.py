"""Drop the scipy-openblas32 requirement from a wheel that carries its own OpenBLAS.

``auditwheel repair`` (Linux) and ``delocate-wheel`` (macOS) copy the OpenBLAS library that
lucas links into the wheel, so the installed package never needs the scipy-openblas32 wheel
at runtime (and the openblas-libs maintainers ask projects other than NumPy/SciPy not to
depend on it at runtime).  The metadata still lists it, because source builds do need it:
this rewrites METADATA without that line and updates RECORD.  Refuses a wheel that does not
contain a copy of the library.

    python tools/vendored_wheel.py dist/lucas_recurrence-*.whl     # rewrites in place
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import sys
import tempfile
import zipfile

DEPENDENCY = re.compile(r"^Requires-Dist: *scipy[-_.]openblas32\b.*$", re.IGNORECASE | re.MULTILINE)
VENDORED = re.compile(r"(^|/)[^/]*\.libs/libscipy_openblas[-.]|\.dylibs/libscipy_openblas")


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return f"sha256={digest.decode()},{len(data)}"


def drop_dependency(wheel: str) -> bool:
    """Rewrite ``wheel`` in place; True if the requirement was there."""
    with zipfile.ZipFile(wheel) as zin:
        names = zin.namelist()
        if not any(VENDORED.search(n) for n in names):
            raise SystemExit(f"{wheel}: no vendored libscipy_openblas (run auditwheel first)")
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        record = next(n for n in names if n.endswith(".dist-info/RECORD"))
        text = zin.read(meta).decode()
        new_text, count = DEPENDENCY.subn("", text)
        if not count:
            return False
        new_meta = re.sub(r"\n{3,}", "\n\n", new_text).encode()
        rows = []
        for line in zin.read(record).decode().splitlines():
            path = line.split(",", 1)[0]
            rows.append(f"{path},{_record_hash(new_meta)}" if path == meta else line)
        fd, tmp = tempfile.mkstemp(suffix=".whl", dir=os.path.dirname(os.path.abspath(wheel)))
        os.close(fd)
        try:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
                for info in zin.infolist():
                    if info.filename == meta:
                        zout.writestr(info, new_meta)
                    elif info.filename == record:
                        zout.writestr(info, "\n".join(rows) + "\n")
                    else:
                        zout.writestr(info, zin.read(info.filename))
            os.replace(tmp, wheel)
        except BaseException:
            os.unlink(tmp)
            raise
    return True


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    for wheel in argv:
        changed = drop_dependency(wheel)
        print(f"{wheel}: {'dropped' if changed else 'no'} scipy-openblas32 requirement")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
