"""Every docstring example of the installed package runs as a doctest, every public name has
numpydoc-style examples, and the README's ``>>>`` examples run too."""

from __future__ import annotations

import doctest
import importlib
import importlib.metadata
import inspect
import re
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

import lucas

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

#: The package's Python modules whose docstrings are documentation (the C module's objects are
#: reached through the public names).
MODULES = ["lucas", "lucas._config", "lucas._sequence", "lucas.__main__", "lucas._bench"]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
#: Public data, documented in the module docstring rather than in their own.
DATA = {"__version__", "METHODS"}


def _public_objects() -> list[tuple[str, object]]:
    return [(name, getattr(lucas, name)) for name in lucas.__all__ if name not in DATA]


def _module_tests() -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests: list[doctest.DocTest] = []
    for modname in MODULES:
        try:
            mod: ModuleType = importlib.import_module(modname)
        except ImportError:  # a module another part of the package may not ship yet
            continue
        tests.extend(t for t in finder.find(mod, modname, globs={}) if t.examples)
    return tests


def _object_tests() -> list[doctest.DocTest]:
    """Doctests of the public objects defined in C (ufuncs, types) and their members, which
    DocTestFinder does not reach from the modules."""
    parser = doctest.DocTestParser()
    tests = []
    seen: set[int] = set()
    for name, obj in _public_objects():
        members = [(f"lucas.{name}", obj)]
        if inspect.isclass(obj):
            members += [
                (f"lucas.{name}.{a}", getattr(obj, a))
                for a in dir(obj)
                if not a.startswith("_") or a == "__init__"
            ]
        for qual, member in members:
            doc = getattr(member, "__doc__", None)
            if not isinstance(doc, str) or ">>>" not in doc or id(doc) in seen:
                continue
            module = getattr(member, "__module__", None) or ""
            if isinstance(member, np.ufunc) or module.startswith("lucas._core") or not module:
                seen.add(id(doc))
                tests.append(parser.get_doctest(doc, {}, qual, None, 0))
    return [t for t in tests if t.examples]


ALL_TESTS = _module_tests() + _object_tests()


def test_collected_something() -> None:
    names = {t.name for t in ALL_TESTS}
    for expected in ("lucas", "lucas.term", "lucas.term_mod", "lucas._config.show_config"):
        assert expected in names, sorted(names)
    assert len(ALL_TESTS) >= 10


@pytest.mark.parametrize("test", ALL_TESTS, ids=lambda t: t.name)
def test_docstring_examples(test: doctest.DocTest) -> None:
    out: list[str] = []
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    result = runner.run(test, out=out.append)
    assert result.attempted > 0
    assert result.failed == 0, "".join(out)


def test_failures_are_reported() -> None:
    # The runner above must notice a wrong expected output (guards the harness itself).
    parser = doctest.DocTestParser()
    bad = parser.get_doctest(">>> 1 + 1\n3\n", {}, "bad", None, 0)
    out: list[str] = []
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    assert runner.run(bad, out=out.append).failed == 1
    assert "Expected:" in "".join(out)


@pytest.mark.parametrize("name", [name for name, _ in _public_objects()])
def test_every_public_name_has_numpydoc_examples(name: str) -> None:
    doc = inspect.getdoc(getattr(lucas, name)) or ""
    assert doc, f"lucas.{name} has no docstring"
    has_examples = re.search(r"^Examples\n-{8}\n", doc, re.MULTILINE)
    assert has_examples, f"lucas.{name}: no 'Examples' section"
    assert ">>> " in doc.split("Examples", 1)[1], f"lucas.{name}: Examples without >>> lines"
    summary = doc.strip().splitlines()
    assert summary and summary[0].strip(), f"lucas.{name}: no summary line"


def test_version_matches_distribution() -> None:
    assert lucas.__version__ == importlib.metadata.version("lucas-recurrence")
    assert re.fullmatch(r"\d+\.\d+\.\d+([ab]\d+|rc\d+|\.dev\d+)?", lucas.__version__)


def test_all_is_complete_and_importable() -> None:
    public = {n for n in vars(lucas) if not n.startswith("_")} - {"annotations"}
    modules = {n for n in public if isinstance(getattr(lucas, n), ModuleType)}
    assert sorted(public - modules - set(lucas.__all__)) == []
    for name in lucas.__all__:
        assert hasattr(lucas, name)


# ---------------------------------------------------------------------------------------------
# README


def test_readme_examples() -> None:
    if not README.exists():
        pytest.skip("README.md not next to the tests (installed tests only)")
    pytest.importorskip("pandas")
    pytest.importorskip("dask.array")
    # code fences end an example's expected output
    text = re.sub(r"^```.*$", "", README.read_text(encoding="utf-8"), flags=re.MULTILINE)
    test = doctest.DocTestParser().get_doctest(text, {}, "README.md", str(README), 0)
    if not test.examples:
        pytest.skip("README has no >>> examples")
    out: list[str] = []
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    result = runner.run(test, out=out.append)
    assert result.failed == 0, "".join(out)
