"""Command line: ``python -m lucas`` (also installed as the ``lucas`` script).

    lucas term 1,1 0,1 100                  # F(100), exact
    lucas term 1,1 0,1 10^18 --mod 10^9+7   # F(10^18) mod 1000000007
    lucas term --signature 2,1 0,1 20       # Pell (OEIS A000129 signature), 15994428
    lucas seq 1,1 0,1 10                    # F(0..9), one a line
    lucas seq 1,1 0,1 10^8 --mod 2^61-1 --out fib.npy
    lucas bench                             # lucas against pure Python, about 7 s

Numbers accept ``_`` separators and the forms ``1e6``, ``B^E``, ``B^E+C`` and ``B^E-C``
(10^18, 2^61-1).  Bad arguments print one line on stderr and exit with status 2; Ctrl-C exits with
status 130 and removes a partial ``--out`` file.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from typing import IO, Any, NoReturn

import numpy as np

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
#: Terms per call to lucas.sequence in ``seq``: big enough to run at full speed, small enough
#: for the progress bar to move and for Ctrl-C to be seen promptly.
CHUNK = 2**20
CHUNK_OBJECT = 2**12
#: Largest power accepted in an argument (bits): keeps a typo like 10^10^9 from eating memory.
MAX_POWER_BITS = 1 << 20

_NUMBER = re.compile(
    r"^([+-]?)([0-9][0-9_]*)(?:[eE]([0-9]+))?(?:\^([0-9][0-9_]*))?(?:([+-])([0-9][0-9_]*))?$",
    re.ASCII,
)
#: Longest decimal integer accepted (Python 3.11+ refuses over 4,300 digits by default; we lift
#: that locally, but keep a bound so that a stray paste cannot run for minutes).
MAX_DIGITS = 1_000_000


def _int_of_digits(digits: str, text: str) -> int:
    """int() of an ASCII digit string with ``_`` only between digits, any length up to
    MAX_DIGITS (independent of sys.get_int_max_str_digits)."""
    if "__" in digits or digits.endswith("_"):
        raise argparse.ArgumentTypeError(f"{text!r}: '_' may only separate digits (like 1_000_000)")
    plain = digits.replace("_", "")
    if len(plain) > MAX_DIGITS:
        raise argparse.ArgumentTypeError(
            f"{text[:20]!r}...: {len(plain):,} digits, over the limit of {MAX_DIGITS:,} digits "
            "for a number on the command line"
        )
    get_limit = getattr(sys, "get_int_max_str_digits", None)
    if get_limit is None or len(plain) <= 4000:
        return int(plain)
    old = get_limit()
    sys.set_int_max_str_digits(0)
    try:
        return int(plain)
    finally:
        sys.set_int_max_str_digits(old)


def parse_int(text: str) -> int:
    """An integer argument: ``123``, ``-7``, ``1_000``, ``1e6``, ``10^18``, ``2^61-1``, ``10^9+7``.

    Only ASCII digits are accepted (no Arabic-Indic or fullwidth digits, which Python's int()
    would take).

    Examples
    --------
    >>> from lucas.__main__ import parse_int
    >>> parse_int("2^61-1") == 2**61 - 1, parse_int("1e6"), parse_int("-10^3+1")
    (True, 1000000, -1001)
    """
    stripped = text.strip()
    if not stripped.isascii():
        bad = next(ch for ch in stripped if not ch.isascii())
        raise argparse.ArgumentTypeError(
            f"{_short(text)}: only ASCII digits 0-9 are accepted, found {bad!r} (U+{ord(bad):04X})"
        )
    m = _NUMBER.match(stripped)
    if m is None:
        raise argparse.ArgumentTypeError(
            f"expected an integer (like 42, -7, 1e6, 10^18 or 2^61-1), got {_short(text)}"
        )
    sign, base_s, dec_s, exp_s, op, add_s = m.groups()
    value = _int_of_digits(base_s, text)
    if dec_s is not None:
        if int(dec_s) > 100_000:
            raise argparse.ArgumentTypeError(f"{text!r} is too large (1eE takes E <= 100000)")
        value *= 10 ** int(dec_s)
    if exp_s is not None:
        exp = _int_of_digits(exp_s, text)
        if value > 1 and exp * value.bit_length() > MAX_POWER_BITS:
            raise argparse.ArgumentTypeError(
                f"{text!r} is too large (a power may have at most {MAX_POWER_BITS:,} bits)"
            )
        value **= exp
    if op is not None:
        add = _int_of_digits(add_s, text)
        value = value + add if op == "+" else value - add
    return -value if sign == "-" else value


def _short(text: str, limit: int = 40) -> str:
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "..."


def parse_int_list(text: str) -> list[int]:
    """Comma-separated integers: ``1,1`` or ``-1,3``; each item as in :func:`parse_int`.

    An empty field (``1,,2``, ``1,2,``) is an error, not skipped."""
    fields = text.split(",")
    if text.strip() == "":
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers (like 1,1 or -1,3), got {text!r}"
        )
    values = []
    for pos, field in enumerate(fields, 1):
        if field.strip() == "":
            raise argparse.ArgumentTypeError(
                f"expected comma-separated integers (like 1,1 or -1,3), got {_short(text)}: "
                f"field {pos} of {len(fields)} is empty"
            )
        try:
            values.append(parse_int(field))
        except argparse.ArgumentTypeError as exc:
            raise argparse.ArgumentTypeError(
                f"expected comma-separated integers (like 1,1 or -1,3), got {_short(text)}: "
                f"field {pos}: {exc}"
            ) from None
    return values


def parse_count(text: str) -> int:
    value = parse_int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"count must be >= 0, got {text!r}")
    return value


def parse_modulus(text: str) -> int:
    value = parse_int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"the modulus must be positive, got {text!r}")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit status 2) and lists that may start with '-'."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Let "-1,3" or "-2^5" be a positional value rather than an unknown option; no option
        # of this program starts with "-<digit>".  (argparse consults this attribute; where
        # a Python version lacks it, "--" before such values still works.)
        self._negative_number_matcher = re.compile(r"^-\d[\d_,^+eE-]*$")

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments:") and all(
            _NUMBER.match(w) for w in message.split(":", 1)[1].split()
        ):
            message += (
                " (COEFS and INIT are comma-separated lists: 'lucas seq 1,1 0,1 10', "
                "not 'lucas seq 1 1 0 1 10')"
            )
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _add_recurrence_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "coefs",
        type=parse_int_list,
        help="coefficients, oldest first: a[n+k] = c0*a[n] + ... + c(k-1)*a[n+k-1] "
        "(Fibonacci 1,1; Pell 1,2)",
    )
    p.add_argument("init", type=parse_int_list, help="initial values a[0], ..., a[k-1] (0,1)")
    p.add_argument(
        "--signature",
        action="store_true",
        help="COEFS is an OEIS signature, newest first (a(n) = s1*a(n-1) + s2*a(n-2) + ...)",
    )


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="lucas",
        description="Terms of linear recurrences a[n+k] = sum(c[i] * a[n+i]), a[:k] = init, "
        "exact or modulo m.",
        epilog="Numbers accept 10^18, 2^61-1, 10^9+7, 1e6 and 1_000 forms.  "
        "Examples: lucas term 1,1 0,1 100;  lucas seq 1,1 0,1 10;  lucas bench",
    )
    p.add_argument("--version", action="version", version=f"lucas {_version()}")
    sub = p.add_subparsers(dest="command", metavar="{term,seq,bench}", required=True)

    t = sub.add_parser(
        "term",
        help="print a[n] exactly (any size), or a[n] mod M",
        description="Print a[n] for each N: an exact integer of any size, or the residue "
        "in [0, M) with --mod.  Negative N runs the recurrence backwards where it can "
        "(c0 = +-1, or c0 invertible mod M).",
    )
    _add_recurrence_args(t)
    t.set_defaults(handler=_cmd_term, subparser=t)
    t.add_argument("n", type=parse_int, nargs="+", metavar="N", help="index (10^18 works)")
    t.add_argument("--mod", type=parse_modulus, metavar="M", help="print a[n] mod M")
    t.add_argument(
        "--order",
        type=int,
        metavar="K",
        help="the order k (the length of COEFS), checked; needed for an order-1 recurrence "
        "with several N, which otherwise looks like lists written without commas",
    )

    s = sub.add_parser(
        "seq",
        help="print or save a[start], ..., a[start+count-1]",
        description="The terms a[START], ..., a[START+COUNT-1], one per line on stdout or "
        "into a .npy file.  On stdout values are exact (Python integers once they leave "
        "int64); --out stores int64 (or uint64/float64/object with --mod/--dtype).  A "
        "progress bar is shown on stderr for long runs on a terminal; Ctrl-C stops cleanly.",
    )
    _add_recurrence_args(s)
    s.set_defaults(handler=_cmd_seq, subparser=s)
    s.add_argument("count", type=parse_count, metavar="COUNT", help="number of terms")
    s.add_argument("--start", type=parse_int, default=0, metavar="N", help="first index (0)")
    s.add_argument("--mod", type=parse_modulus, metavar="M", help="residues mod M")
    s.add_argument(
        "--dtype",
        choices=["auto", "int64", "uint64", "float64", "object"],
        default="auto",
        help="result type (auto: exact integers on stdout, int64 in --out; with --mod "
        "int64/uint64 as M needs)",
    )
    s.add_argument("--out", metavar="FILE.npy", help="write a .npy file instead of printing")
    s.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on stderr (default: on a terminal, for runs over 0.5 s)",
    )

    b = sub.add_parser(
        "bench",
        help="quick comparison against pure Python (about 7 s), printed as a table",
        description="Time a few everyday workloads with lucas and with the plain Python one "
        "would write without it; every lucas result is checked against the Python one.  The "
        "full suite with more anchors is benchmarks/run.py in the source tree.  Takes about 7 s "
        "of CPU time (longer on a busy machine; --quick about 1 s).",
    )
    b.set_defaults(handler=_cmd_bench, subparser=b)
    b.add_argument("--quick", action="store_true", help="smaller sizes (about 1 s)")
    b.add_argument("--repeat", type=int, default=3, help="best of this many runs (3)")
    from ._cli_guess import add_parser as _add_guess  # lucas guess: lucas/_cli_guess.py

    _add_guess(sub)
    return p


def _version() -> str:
    from . import __version__

    return __version__


def _recurrence(args: argparse.Namespace) -> tuple[list[int], list[int], str | None]:
    """(coefs oldest first, init) from the arguments, or an error message."""
    coefs = list(args.coefs)
    if args.signature:
        coefs = coefs[::-1]
    if len(coefs) != len(args.init):
        return (
            coefs,
            args.init,
            (
                f"COEFS and INIT must have the same length (the order k), got {len(coefs)} "
                f"and {len(args.init)}"
            ),
        )
    return coefs, list(args.init), None


# ---------------------------------------------------------------------------------------------
# term


def _cmd_term(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from . import term, term_mod

    coefs, init, problem = _recurrence(args)
    if problem:
        parser.error(problem)
    if args.order is not None and args.order != len(coefs):
        parser.error(f"--order {args.order} given, but COEFS has {len(coefs)} entries")
    if len(coefs) == 1 and len(args.n) > 1 and args.order is None:
        words = " ".join(str(w) for w in [coefs[0], init[0], *args.n])
        parser.error(
            f"'lucas term {words}' reads as an order-1 recurrence (COEFS={coefs[0]}, "
            f"INIT={init[0]}, several N); COEFS and INIT are comma-separated lists, e.g. "
            "'lucas term 1,1 0,1 5' for F(5); for order 1 with several N add --order 1"
        )
    # Object arrays: exact Python integers of any size, for every n and m.
    c = np.array(coefs, dtype=object)
    i = np.array(init, dtype=object)
    for n in args.n:
        if args.mod is None:
            value = term(c, i, n)
        else:
            value = term_mod(c, i, n, args.mod)
        sys.stdout.write(f"{value}\n")
    return 0


# ---------------------------------------------------------------------------------------------
# seq


class Progress:
    """A one-line progress bar on a stream, redrawn at most 10 times a second."""

    def __init__(self, total: int, stream: IO[str], mode: bool | None, delay: float = 0.5):
        self.total = max(total, 1)
        self.stream = stream
        # None: automatic (a terminal, and only once the run has taken `delay` seconds).
        self.enabled = mode if mode is not None else _isatty(stream)
        self.delay = 0.0 if mode else delay
        self.t0 = time.perf_counter()
        self.last = -1.0
        self.shown = False

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        elapsed = now - self.t0
        if elapsed < self.delay or (now - self.last < 0.1 and done < self.total):
            return
        self.last = now
        frac = min(done / self.total, 1.0)
        width = 30
        fill = int(frac * width)
        eta = f"  ETA {elapsed / frac - elapsed:.1f} s" if 0 < frac < 1 else ""
        self.stream.write(
            f"\r{frac:6.1%} |{'#' * fill}{' ' * (width - fill)}| {done:,}/{self.total:,} terms"
            f"  {elapsed:.1f} s{eta}   "
        )
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _chunks(
    coefs: list[int], init: list[int], start: int, count: int, mod: int | None, dtype: str
) -> Any:
    """Yield (number of terms done, array) in chunks; 'auto' on stdout moves to exact Python
    ints from the first chunk that leaves int64."""
    from . import sequence

    kind: Any = None if dtype == "auto" else dtype
    done = 0
    while done < count:
        size = min(CHUNK_OBJECT if kind == "object" else CHUNK, count - done)
        try:
            block = sequence(coefs, init, size, start=start + done, mod=mod, dtype=kind)
        except OverflowError:
            if dtype != "auto" or kind == "object":
                raise
            kind = "object"  # exact from here on
            continue
        done += size
        yield done, block


#: Filesystems that hold no ordinary files: writing a .npy there is a mistake (or a crash).
_PSEUDO_FS = frozenset(
    {
        "proc",
        "sysfs",
        "devtmpfs",
        "devpts",
        "cgroup",
        "cgroup2",
        "debugfs",
        "tracefs",
        "securityfs",
        "configfs",
        "fusectl",
        "mqueue",
        "bpf",
        "pstore",
        "efivarfs",
        "binfmt_misc",
        "autofs",
        "rpc_pipefs",
        "nsfs",
        "hugetlbfs",
    }
)


def _filesystem_type(folder: str) -> str | None:
    """The type of the filesystem that holds ``folder`` (Linux /proc/self/mountinfo), or None."""
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    real = os.path.realpath(folder)
    best, best_type = "", None
    for line in lines:
        left, sep, right = line.partition(" - ")
        fields = left.split()
        if not sep or len(fields) < 5 or not right.split():
            continue
        mount = fields[4].replace("\\040", " ")
        inside = real == mount or real.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, best_type = mount, right.split()[0]
    return best_type


def _check_out_folder(path: str, folder: str) -> None:
    """Refuse a destination that cannot hold an ordinary file, with the real reason."""
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            f"--out {path}: cannot write there: {folder}: No such file or directory"
        )
    if os.path.lexists(path) and not os.path.isfile(path):
        raise OSError(f"--out {path}: exists and is not a regular file")
    fstype = _filesystem_type(folder)
    try:
        blocks = os.statvfs(folder).f_blocks
    except (OSError, AttributeError):
        blocks = None
    if fstype in _PSEUDO_FS or blocks == 0:
        kind = f" ({fstype})" if fstype else ""
        raise OSError(
            f"--out {path}: {folder} is not a regular filesystem{kind}; choose a file on a disk"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"--out {path}: {folder} is not writable (Permission denied)")


def _available_memory() -> int | None:
    """Bytes of memory available for new allocations (Linux MemAvailable), or None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return None


def _bits_per_index(coefs: list[int]) -> float:
    """Growth of |a[n]| in bits per step: log2 of the largest root of the characteristic
    polynomial (Cauchy's bound 1 + max|c| where floats cannot hold the coefficients)."""
    k = len(coefs)
    cauchy = math.log2(1 + max((abs(c) for c in coefs), default=0))
    try:
        poly = np.array([1.0] + [-float(c) for c in coefs[::-1]])
        if not np.all(np.isfinite(poly)):
            return cauchy
        roots = np.roots(poly) if k else np.zeros(0)
        rho = float(np.max(np.abs(roots))) if roots.size else 0.0
    except (OverflowError, ValueError, np.linalg.LinAlgError):
        return cauchy
    return max(math.log2(rho), 0.0) if rho > 0 else 0.0


def _object_out_bytes(
    coefs: list[int], init: list[int], start: int, count: int, mod: int | None
) -> tuple[int, int]:
    """(memory, file size) estimates in bytes for ``--dtype object --out``: every term is a
    Python int kept in memory (8-byte pointer + 28-byte int header + digits), then pickled."""
    if mod is not None:
        digits = mod.bit_length() / 8
    else:
        grow = _bits_per_index(coefs)
        far = max(abs(start), abs(start + count - 1))
        near = 0 if start <= 0 <= start + count - 1 else min(abs(start), abs(start + count - 1))
        seed = max((abs(v).bit_length() for v in init), default=0)
        digits = (grow * (near + far) / 2 + seed) / 8
    memory = int(count * (8 + 28 + digits))
    file_size = int(count * (6 + digits))
    return memory + file_size, file_size


def _write_npy(
    path: str,
    coefs: list[int],
    init: list[int],
    start: int,
    count: int,
    mod: int | None,
    dtype: str,
    progress: Progress,
) -> None:
    """Write the terms to ``path`` through a temporary file in the same directory, renamed at
    the end: an interrupted or failed run leaves no partial file behind.  Numeric dtypes are
    streamed with checked writes and an fsync (a full disk is an error, not a short file)."""
    from . import sequence

    folder = os.path.dirname(os.path.abspath(path))
    _check_out_folder(path, folder)
    # The result dtype: what sequence gives for no terms (cheap), int64 for "auto".
    kind: Any = None if dtype == "auto" else dtype
    dt = sequence(coefs, init, 0, start=start, mod=mod, dtype=kind).dtype
    if dt.kind == "O":
        memory, need = _object_out_bytes(coefs, init, start, count, mod)
        avail = _available_memory()
        if avail is not None and memory > avail:
            raise MemoryError(
                f"--dtype object --out keeps all {count:,} terms in memory as Python integers "
                f"before writing: about {memory / 1e9:,.1f} GB, and {avail / 1e9:,.1f} GB are "
                "available; ask for fewer terms, use --mod with --dtype int64/uint64 (written "
                "as it goes), or print to stdout (streamed, exact)"
            )
    else:
        need = count * dt.itemsize
    free = shutil.disk_usage(folder).free
    if need > free:
        raise OSError(
            f"--out {path}: {count:,} terms need {need / 1e9:,.1f} GB, {free / 1e9:,.1f} GB free"
        )
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".lucas-", suffix=".npy", dir=folder)
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # as an ordinary new file (mkstemp makes it private)
        with os.fdopen(fd, "wb") as f:
            if dt.kind == "O":
                _write_object(f, coefs, init, start, count, mod, progress)
            else:
                header = {
                    "descr": np.lib.format.dtype_to_descr(dt),
                    "fortran_order": False,
                    "shape": (count,),
                }
                np.lib.format.write_array_header_1_0(f, header)
                buf = np.empty(min(CHUNK, count), dtype=dt)
                done = 0
                while done < count:
                    size = min(CHUNK, count - done)
                    part = buf[:size]
                    sequence(coefs, init, size, start=start + done, mod=mod, dtype=dt, out=part)
                    f.write(part.data.cast("B"))
                    done += size
                    progress.update(done)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        if exc.strerror and exc.filename is not None:
            raise OSError(exc.errno, f"--out {path}: {exc.strerror}") from None
        raise
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _write_object(
    f: IO[bytes],
    coefs: list[int],
    init: list[int],
    start: int,
    count: int,
    mod: int | None,
    progress: Progress,
) -> None:
    try:
        arr = np.empty(count, dtype=object)
        for done, block in _chunks(coefs, init, start, count, mod, "object"):
            arr[done - len(block) : done] = block
            progress.update(done)
        np.lib.format.write_array(f, arr, allow_pickle=True)
    except MemoryError:
        raise MemoryError(
            f"out of memory keeping {count:,} Python integers for --dtype object --out; ask "
            "for fewer terms, use --mod with --dtype int64/uint64, or print to stdout"
        ) from None


def _cmd_seq(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    coefs, init, problem = _recurrence(args)
    if problem:
        parser.error(problem)
    if args.out is not None and not args.out.endswith(".npy"):
        parser.error(f"--out must name a .npy file, got {args.out!r}")
    progress = Progress(args.count, sys.stderr, args.progress)
    try:
        if args.out is not None:
            try:
                _write_npy(
                    args.out, coefs, init, args.start, args.count, args.mod, args.dtype, progress
                )
            except OverflowError as exc:
                first = str(exc).split(" (use ")[0]
                raise OverflowError(
                    f"{first}; for --out choose --mod M, --dtype float64 or --dtype object "
                    "(a pickled .npy)"
                ) from None
        else:
            out = sys.stdout
            for done, block in _chunks(coefs, init, args.start, args.count, args.mod, args.dtype):
                if block.dtype.kind == "f":
                    out.write("\n".join(map(repr, block.tolist())))
                else:
                    out.write("\n".join(map(str, block.tolist())))
                out.write("\n")
                progress.update(done)
            out.flush()
    finally:
        progress.close()
    return 0


# ---------------------------------------------------------------------------------------------
# bench


def _cmd_bench(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from ._bench import run_bench

    if args.repeat < 1:
        parser.error(f"--repeat must be >= 1, got {args.repeat}")
    run_bench(quick=args.quick, repeat=args.repeat, stream=sys.stdout)
    return 0


class Terminated(BaseException):
    """SIGTERM (or SIGHUP) arrived: unwind like Ctrl-C so that partial files are removed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated(signum)


def _install_signal_handlers() -> list[tuple[int, Any]]:
    """SIGTERM/SIGHUP raise Terminated (Python's default would kill the process without
    running any cleanup); returns the previous handlers.  Only possible in the main thread."""
    previous = []
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        try:
            previous.append((signum, signal.signal(signum, _raise_terminated)))
        except (ValueError, OSError):  # not the main thread, or not allowed here
            pass
    return previous


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0, 1 on I/O errors, 2 for bad
    arguments or inputs, 130 when interrupted, 128 + the signal number on SIGTERM/SIGHUP)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace, argparse.ArgumentParser], int] = args.handler
    # Exact results are printed in full, however many digits (Python 3.11+ limits int -> str
    # conversion to 4300 digits by default); the previous limit is restored on return.
    get_limit = getattr(sys, "get_int_max_str_digits", None)
    limit = get_limit() if get_limit is not None else None
    if limit is not None:
        sys.set_int_max_str_digits(0)
    previous = _install_signal_handlers()
    try:
        return handler(args, args.subparser)
    except KeyboardInterrupt:
        sys.stderr.write("lucas: interrupted\n")
        return EXIT_INTERRUPTED
    except Terminated as exc:
        sys.stderr.write(f"lucas: terminated by {signal.Signals(exc.signum).name}\n")
        return 128 + exc.signum
    except BrokenPipeError:
        # The reader went away (lucas seq ... | head): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except (ValueError, TypeError, OverflowError) as exc:
        sys.stderr.write(f"lucas {args.command}: error: {_one_line(exc)}\n")
        return EXIT_USAGE
    except (OSError, MemoryError) as exc:
        sys.stderr.write(f"lucas {args.command}: error: {_one_line(exc)}\n")
        return 1
    finally:
        for signum, old in previous:
            signal.signal(signum, old)
        if limit is not None:
            sys.set_int_max_str_digits(limit)


#: Python-API words in library messages, and the command-line flags that mean the same.
_CLI_WORDS = [
    (re.compile(r"\bdtype=object\b"), "--dtype object"),
    (re.compile(r"\bdtype=(int64|uint64|float64)\b"), r"--dtype \1"),
    (re.compile(r"\bwith mod=, dtype must be\b"), "with --mod, --dtype must be"),
    (re.compile(r"(?<![\w-])mod=(?!\w)"), "--mod M"),
    (re.compile(r"\buse term_mod\b"), "use --mod M"),
    (re.compile(r"\bterm_mod\b"), "--mod"),
]


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, MemoryError) and not str(exc):
        text = "out of memory"
    else:
        text = " ".join((str(exc) or type(exc).__name__).split())
    text = re.sub(r"^lucas\.\w+: ", "", text)  # the command name is already in front
    for pattern, flag in _CLI_WORDS:
        text = pattern.sub(flag, text)
    return text


if __name__ == "__main__":
    sys.exit(main())
