"""The command line (python -m lucas / the lucas script): term, seq, bench, help and errors."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from reference import ref_matrix, ref_step
from subproc import run_python

import lucas
from lucas.__main__ import main, parse_int

FIB = ([1, 1], [0, 1])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """main() in this process: (exit status, stdout, stderr)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse: --help, --version and usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def run_process(*argv: str) -> subprocess.CompletedProcess[str]:
    """python -m lucas *argv, run from the repository root."""
    return run_python("-m", "lucas", *argv, cwd=os.path.dirname(__file__) + "/..")


def signal_while_running(argv: list[str], signum: int) -> tuple[int, str]:
    """Start python -m lucas *argv (which must print progress), send signum once the
    progress shows, and return its exit status and stderr."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "lucas", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _wait_for_output(proc.stderr)  # the progress bar: we are inside the main loop
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, err.decode()


# ---------------------------------------------------------------------------------------------
# the README's main-job command, as a real process


def test_readme_main_job_prints_f100_exactly() -> None:
    proc = run_process("term", "1,1", "0,1", "100")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"{ref_step(*FIB, 100)}\n"
    assert proc.stderr == ""
    # run from the repository root, it must still use the installed package (not ./lucas)
    assert proc.stdout.strip() == "354224848179261915075"


def test_console_script_installed() -> None:
    script = Path(sys.executable).with_name("lucas")
    if not script.exists():
        pytest.skip("no lucas console script next to this interpreter")
    proc = subprocess.run(
        [str(script), "term", "1,2", "0,1", "20"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0 and proc.stdout == f"{ref_step([1, 2], [0, 1], 20)}\n"


# ---------------------------------------------------------------------------------------------
# term


@pytest.mark.parametrize("n", [0, 1, 2, 50, 92, 93, 100, 1000, 5000])
def test_term_exact_any_size(capsys: pytest.CaptureFixture[str], n: int) -> None:
    code, out, err = run(capsys, "term", "1,1", "0,1", str(n))
    assert (code, err) == (0, "")
    assert out == f"{ref_step(*FIB, n)}\n"


def test_term_more_digits_than_pythons_str_limit(capsys: pytest.CaptureFixture[str]) -> None:
    # F(30000) has 6270 digits, over the default int -> str limit of Python 3.11+ (4300).
    limit = getattr(sys, "get_int_max_str_digits", lambda: None)()
    code, out, err = run(capsys, "term", "1,1", "0,1", "30000")
    assert (code, err) == (0, "")
    assert getattr(sys, "get_int_max_str_digits", lambda: None)() == limit  # restored
    value = ref_step(*FIB, 30000)
    assert len(out.strip()) == 6270
    assert out.strip().endswith(str(value % 10**100).zfill(100))
    assert int(out.strip()[:20]) == value // 10 ** (6270 - 20)
    code, out, _ = run(capsys, "seq", "1,1", "0,1", "2", "--start", "30000")
    assert code == 0 and out.split("\n")[0].endswith(str(value % 10**50).zfill(50))


def test_term_several_n_and_negative(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "term", "-1,3", "0,1", "5", "-3", "40")
    assert code == 0
    assert out.split() == [str(ref_step([-1, 3], [0, 1], n)) for n in (5, -3, 40)]


@pytest.mark.parametrize(
    ("n_text", "m_text", "n", "m"),
    [
        ("10^18", "10^9+7", 10**18, 10**9 + 7),
        ("10^18", "2^61-1", 10**18, 2**61 - 1),
        ("1e18", "2^64-59", 10**18, 2**64 - 59),
        ("2^100", "10^30+57", 2**100, 10**30 + 57),
        ("-10^18", "10^9+7", -(10**18), 10**9 + 7),
    ],
)
def test_term_mod(
    capsys: pytest.CaptureFixture[str], n_text: str, m_text: str, n: int, m: int
) -> None:
    code, out, err = run(capsys, "term", "1,1", "0,1", n_text, "--mod", m_text)
    assert (code, err) == (0, "")
    assert out == f"{ref_matrix(*FIB, n, m)}\n"


def test_term_signature_is_reversed(capsys: pytest.CaptureFixture[str]) -> None:
    # OEIS A000129 (Pell) signature [2, 1]; Tribonacci-like [1, 0, 2] is not a palindrome
    _, out, _ = run(capsys, "term", "--signature", "2,1", "0,1", "20")
    assert out == f"{ref_step([1, 2], [0, 1], 20)}\n"
    _, out, _ = run(capsys, "term", "--signature", "1,0,2", "1,2,3", "30")
    assert out == f"{ref_step([2, 0, 1], [1, 2, 3], 30)}\n"


def test_parse_int_forms() -> None:
    assert parse_int("2^61-1") == 2**61 - 1
    assert parse_int("10^9+7") == 10**9 + 7
    assert parse_int("1_000") == 1000
    assert parse_int("1e18") == 10**18
    assert parse_int("-7") == -7
    assert parse_int("-2^3") == -8


# ---------------------------------------------------------------------------------------------
# seq


def test_seq_stdout_exact_past_int64(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "seq", "1,1", "0,1", "120")
    assert (code, err) == (0, "")
    assert out.split("\n")[:-1] == [str(ref_step(*FIB, n)) for n in range(120)]
    assert out.endswith("\n")


def test_seq_start_mod_and_negative_start(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "seq", "1,1", "0,1", "5", "--start", "10^18", "--mod", "10^9+7")
    assert out.split() == [str(ref_matrix(*FIB, 10**18 + j, 10**9 + 7)) for j in range(5)]
    _, out, _ = run(capsys, "seq", "1,2", "0,1", "10", "--start", "-5")
    assert out.split() == [str(ref_step([1, 2], [0, 1], n)) for n in range(-5, 5)]


def test_seq_float64(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "seq", "1,1", "0,1", "3", "--start", "100", "--dtype", "float64")
    assert [float(x) for x in out.split()] == [float(ref_step(*FIB, n)) for n in (100, 101, 102)]


def test_seq_count_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "seq", "1,1", "0,1", "0") == (0, "", "")


@pytest.mark.parametrize(
    ("extra", "dtype"),
    [(["--mod", "2^61-1"], np.int64), (["--mod", "2^64-59"], np.uint64), ([], np.int64)],
)
def test_seq_out_npy(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, extra: list[str], dtype: type
) -> None:
    path = tmp_path / "terms.npy"
    count = 90 if not extra else 3 * 2**20 + 5  # more than one chunk
    code, out, err = run(capsys, "seq", "1,1", "0,1", str(count), "--out", str(path), *extra)
    assert (code, out, err) == (0, "", "")
    got = np.load(path)
    assert got.dtype == dtype and got.shape == (count,)
    m = parse_int(extra[1]) if extra else None
    np.testing.assert_array_equal(got, lucas.sequence(*FIB, count, mod=m, dtype=dtype))
    for j in (0, 89, count - 1):
        assert int(got[j]) == ref_matrix(*FIB, j, m)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["terms.npy"]


def test_seq_out_object(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "big.npy"
    code, _, _ = run(capsys, "seq", "1,1", "0,1", "200", "--dtype", "object", "--out", str(path))
    assert code == 0
    got = np.load(path, allow_pickle=True)
    assert got.tolist() == [ref_step(*FIB, n) for n in range(200)]


def test_seq_out_overflow_is_one_line_and_leaves_no_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "f.npy"
    code, out, err = run(capsys, "seq", "1,1", "0,1", "100", "--out", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "a[93]" in err and "--mod" in err
    assert list(tmp_path.iterdir()) == []


def test_seq_progress_forced_and_suppressed(capsys: pytest.CaptureFixture[str]) -> None:
    count = str(3 * 2**20)
    code, out, err = run(capsys, "seq", "1,1", "0,1", count, "--mod", "7", "--progress")
    assert code == 0 and len(out.split()) == 3 * 2**20
    assert "100.0%" in err and f"{3 * 2**20:,}/{3 * 2**20:,} terms" in err
    assert err.endswith("\n")
    # automatic mode on a non-terminal stderr, and --no-progress: nothing on stderr
    for flag in ([], ["--no-progress"]):
        code, _, err = run(capsys, "seq", "1,1", "0,1", count, "--mod", "7", *flag)
        assert (code, err) == (0, "")


def _wait_for_output(stream: object, timeout: float = 60) -> bytes:
    got: list[bytes] = []
    read = stream.read  # type: ignore[attr-defined]
    reader = threading.Thread(target=lambda: got.append(read(1)))
    reader.start()
    reader.join(timeout)
    assert got and got[0], "the command produced no progress output in time"
    return got[0]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_seq_ctrl_c_exits_cleanly() -> None:
    # A real SIGINT while a practically endless run prints (10^12 terms to /dev/null).
    argv = ["seq", "1,1", "0,1", "10^12", "--mod", "2^61-1", "--progress"]
    code, text = signal_while_running(argv, signal.SIGINT)
    assert code == 130
    assert text.rstrip("\n").endswith("lucas: interrupted")
    assert "Traceback" not in text


@pytest.mark.parametrize("extra", [["--mod", "2^61-1"], ["--dtype", "object"]])
def test_seq_interrupted_out_leaves_no_file(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    extra: list[str],
) -> None:
    # Ctrl-C arriving in the middle of writing (deterministic: the third call raises).  The
    # sizes are small enough that a run the patch failed to stop would still be harmless.
    # Patch the package object that `from . import sequence` in lucas.__main__ resolves to
    # (a test module that re-executes conftest can leave a second lucas module object behind).
    pkg = sys.modules["lucas"]
    calls = []
    real = pkg.sequence

    def interrupted(*args: object, **kwargs: object) -> np.ndarray:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pkg, "sequence", interrupted)
    path = tmp_path / "part.npy"
    count = 3 * (4096 if "object" in extra else 2**20) + 5  # 1 dtype probe + 3 chunks
    code, out, err = run(capsys, "seq", "1,1", "0,1", str(count), "--out", str(path), *extra)
    assert code == 130 and out == ""
    assert err == "lucas: interrupted\n"
    assert list(tmp_path.iterdir()) == []


def test_seq_out_larger_than_the_disk(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(
        capsys, "seq", "1,1", "0,1", "10^15", "--mod", "7", "--out", str(tmp_path / "x.npy")
    )
    assert code == 1 and "GB free" in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_seq_out_file_mode_is_ordinary(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "m.npy"
    assert run(capsys, "seq", "1,1", "0,1", "10", "--out", str(path))[0] == 0
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
def test_seq_closed_pipe_is_quiet() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "lucas", "seq", "1,1", "0,1", "10^8", "--mod", "7"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert first == b"0\n"
    assert err == b""
    assert proc.returncode in (0, 1)


# ---------------------------------------------------------------------------------------------
# bench


def test_bench_quick_prints_a_checked_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "bench", "--quick", "--repeat", "1")
    assert (code, err) == (0, "")
    rows = [line for line in out.splitlines() if line.startswith("| ") and "---" not in line]
    header, body = rows[0], rows[1:]
    assert "pure Python" in header and "ratio" in header
    assert len(body) == 5
    for line in body:
        ratio = line.rstrip(" |").rsplit("|", 1)[1].strip()
        assert ratio.endswith("x") and float(ratio[:-1].replace(",", "")) > 0


# ---------------------------------------------------------------------------------------------
# help and errors


@pytest.mark.parametrize("cmd", [[], ["term"], ["seq"], ["bench"]])
def test_help_everywhere(capsys: pytest.CaptureFixture[str], cmd: list[str]) -> None:
    code, out, err = run(capsys, *cmd, "--help")
    assert code == 0 and err == ""
    assert out.startswith("usage: lucas")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert (code, out) == (0, f"lucas {lucas.__version__}\n")


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["term"],
        ["term", "1,1", "0,1"],
        ["term", "1,x", "0,1", "5"],
        ["term", "1,1", "0", "5"],
        ["term", "1,1", "0,1", "5.5"],
        ["term", "1,1", "0,1", "5", "--mod", "0"],
        ["term", "1,1", "0,1", "5", "--mod", "-3"],
        ["term", "1,1", "0,1", "5", "--bogus"],
        ["term", "2,1", "0,1", "-3"],  # cannot run backwards over the integers
        ["term", "2,1", "0,1", "-3", "--mod", "4"],  # 2 not invertible mod 4
        ["term", "1,1", "0,1", "10^10^9"],
        ["term", "", "", "5"],
        ["seq", "1,1", "0,1", "-1"],
        ["seq", "1,1", "0,1", "5", "--dtype", "int8"],
        ["seq", "1,1", "0,1", "5", "--out", "x.txt"],
        ["seq", "1,1", "0,1", "100", "--dtype", "int64"],
        ["seq", "1,1", "0,1", "5", "--mod", "2^64+1", "--dtype", "uint64"],
        ["bench", "--repeat", "0"],
    ],
)
def test_bad_arguments_one_line_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.endswith("\n")
    assert err.startswith("lucas") and "error:" in err
    assert "Traceback" not in err


# ---------------------------------------------------------------------------------------------
# the README's command-line examples, as written


def _readme_console_examples() -> list[tuple[str, list[str]]]:
    readme = Path(__file__).resolve().parent.parent / "README.md"
    if not readme.exists():
        return []
    examples: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", readme.read_text(encoding="utf-8"), re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ "):
                examples.append((line[2:], []))
            elif examples:
                examples[-1][1].append(line)
    return examples


README_COMMANDS = _readme_console_examples()


@pytest.mark.parametrize(
    ("command", "expected"), README_COMMANDS, ids=[c for c, _ in README_COMMANDS]
)
def test_readme_command(tmp_path: Path, command: str, expected: list[str]) -> None:
    argv = shlex.split(command, comments=True)
    assert argv[0] == "lucas"
    if argv[1] == "bench":
        pytest.skip("timed by test_bench_quick_prints_a_checked_table")
    proc = run_python("-m", "lucas", *argv[1:], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == expected
    if "--out" in argv:
        out = tmp_path / argv[argv.index("--out") + 1]
        assert out.exists() and np.load(out).shape[0] > 0


def test_readme_has_command_examples() -> None:
    if not README_COMMANDS:
        pytest.skip("README.md not next to the tests")
    commands = {c.split()[1] for c, _ in README_COMMANDS}
    assert {"term", "seq", "bench"} <= commands


# ---------------------------------------------------------------------------------------------
# argument syntax: nothing is silently reinterpreted


@pytest.mark.parametrize(
    ("coefs", "field"),
    [
        ("1,,2", "field 2 of 3 is empty"),
        ("1,2,", "field 3 of 3 is empty"),
        (",1", "field 1 of 2 is empty"),
    ],
)
def test_empty_list_field_is_an_error(
    capsys: pytest.CaptureFixture[str], coefs: str, field: str
) -> None:
    init = ",".join(["0"] * len(coefs.split(",")))
    code, out, err = run(capsys, "term", coefs, init, "5")
    assert (code, out) == (2, "")
    assert field in err and err.count("\n") == 1


@pytest.mark.parametrize("text", ["\u0665", "1\u0660", "\uff15", "\u0967\u0966"])
def test_non_ascii_digits_are_refused(capsys: pytest.CaptureFixture[str], text: str) -> None:
    assert int(text) >= 0  # Python's int() would take them: the CLI must not
    first = next(ch for ch in text if not ch.isascii())
    for argv in (
        ["term", "1,1", "0,1", text],
        ["term", f"1,{text}", "0,1", "5"],
        ["term", "1,1", "0,1", "5", "--mod", text],
    ):
        code, out, err = run(capsys, *argv)
        assert (code, out) == (2, "")
        assert "only ASCII digits" in err and f"U+{ord(first):04X}" in err


@pytest.mark.parametrize("text", ["1_", "1__000", "2^6_", "10^9+7_"])
def test_misplaced_underscore_has_a_specific_message(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    code, _, err = run(capsys, "term", "1,1", "0,1", text)
    assert code == 2 and "'_' may only separate digits" in err


def test_numbers_over_pythons_digit_limit_are_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    big = 10**5000 + 12345  # 5001 digits: over Python's default int <-> str limit of 4300
    digits = "1" + "0" * 4995 + "12345"
    m = 10**9 + 7
    with_limit = getattr(sys, "get_int_max_str_digits", lambda: None)()
    assert parse_int("1_" + digits[1:]) == big
    code, out, err = run(capsys, "term", "1,1", "0,1", digits, "--mod", str(m))
    assert (code, err) == (0, "")
    assert out == f"{ref_matrix(*FIB, big, m)}\n"
    assert getattr(sys, "get_int_max_str_digits", lambda: None)() == with_limit


def test_numbers_over_the_cli_limit_name_it(capsys: pytest.CaptureFixture[str]) -> None:
    from lucas.__main__ import MAX_DIGITS

    code, _, err = run(capsys, "term", "1,1", "0,1", "7" * (MAX_DIGITS + 1), "--mod", "7")
    assert code == 2 and f"limit of {MAX_DIGITS:,} digits" in err and err.count("\n") == 1


def test_space_separated_lists_are_explained(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "term", "1", "1", "0", "1", "5")
    assert (code, out) == (2, "")
    assert "comma-separated" in err and "lucas term 1,1 0,1 5" in err and "--order 1" in err
    code, out, err = run(capsys, "seq", "1", "1", "0", "1", "5")
    assert code == 2 and "comma-separated" in err
    # an order-1 recurrence with several N is still possible, said explicitly
    code, out, _ = run(capsys, "term", "2", "1", "10", "20", "--order", "1")
    assert (code, out) == (0, f"{2**10}\n{2**20}\n")
    assert run(capsys, "term", "3", "1", "4")[:2] == (0, "81\n")  # one N: unambiguous
    code, _, err = run(capsys, "term", "1,1", "0,1", "5", "--order", "3")
    assert code == 2 and "--order 3" in err


def test_messages_use_flag_words(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "seq", "1,1", "0,1", "100", "--dtype", "int64")
    assert code == 2 and "--dtype object" in err and "--mod M" in err
    assert "dtype=object" not in err and "mod=" not in err
    code, _, err = run(capsys, "term", "1,1", "0,1", str(2**62))
    assert code == 2 and "--mod" in err and "term_mod" not in err


# ---------------------------------------------------------------------------------------------
# --out: real reasons for failures, no partial files


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs a Linux /proc")
def test_out_on_proc_says_not_a_regular_filesystem(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "seq", "1,1", "0,1", "10", "--out", "/proc/x.npy")
    assert (code, out) == (1, "")
    assert "not a regular filesystem" in err and "GB free" not in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_out_into_dev_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert not Path("/dev/full.npy").exists()
    code, _, err = run(capsys, "seq", "1,1", "0,1", "10", "--out", "/dev/full.npy")
    assert code == 1 and "/dev" in err and err.count("\n") == 1
    assert not Path("/dev/full.npy").exists()
    assert not [p for p in Path("/dev").iterdir() if p.name.startswith(".lucas-")]


@pytest.mark.parametrize("where", ["write", "fsync"])
@pytest.mark.parametrize("extra", [["--mod", "7"], ["--dtype", "object"]])
def test_out_write_errors_fail_and_leave_nothing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    extra: list[str],
) -> None:
    import errno
    import io

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    class FullDisk(io.FileIO):
        """A file whose writes fail as on a full disk."""

        def write(self, data: object) -> int:
            full()
            return 0

    if where == "fsync":
        monkeypatch.setattr(os, "fsync", full)
    else:
        monkeypatch.setattr(os, "fdopen", lambda fd, mode="r", *a, **k: FullDisk(fd, "wb"))
    code, out, err = run(
        capsys, "seq", "1,1", "0,1", "5000", "--out", str(tmp_path / "f.npy"), *extra
    )
    assert (code, out) == (1, "")
    assert "No space left on device" in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_out_object_refuses_up_front_what_cannot_fit_in_memory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for extra in ([], ["--mod", "2^61-1"]):
        code, out, err = run(
            capsys,
            "seq",
            "1,1",
            "0,1",
            "10^13",
            "--dtype",
            "object",
            "--out",
            str(tmp_path / "o.npy"),
            *extra,
        )
        assert (code, out) == (1, "")
        assert "in memory" in err and "GB" in err and "--mod" in err
        assert "MemoryError" not in err and err.count("\n") == 1
        assert list(tmp_path.iterdir()) == []


def test_out_object_memory_error_is_explained(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lucas.__main__ as cli

    real_empty = np.empty

    def no_memory(shape: object, dtype: object = None, **kw: object) -> np.ndarray:
        if dtype is object:
            raise MemoryError
        return real_empty(shape, dtype, **kw)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(cli.np, "empty", no_memory)
    code, _, err = run(
        capsys, "seq", "1,1", "0,1", "100", "--dtype", "object", "--out", str(tmp_path / "o.npy")
    )
    assert code == 1 and "out of memory" in err and "--dtype object" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_seq_out_killed_leaves_no_temp_file(tmp_path: Path, signame: str) -> None:
    out = tmp_path / "big.npy"
    argv = ["seq", "1,1", "0,1", str(2 * 10**8), "--mod", "2^61-1", "--progress", "--out", str(out)]
    # once the progress bar shows, the temporary file exists
    code, err = signal_while_running(argv, getattr(signal, signame))
    assert code == 128 + getattr(signal, signame)
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_bench_time_is_stated_the_same_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "bench", "--help")
    assert code == 0
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"about (\d+) s", " ".join(out.split()))
    assert stated is not None, out
    assert "`bench` times" in readme and f"(about {stated.group(1)} s" in " ".join(readme.split())
    import lucas.__main__ as cli

    assert f"about {stated.group(1)} s" in (cli.__doc__ or "")
