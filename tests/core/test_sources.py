import os
from pathlib import Path

from leaktrace.core.sources import PathFilter, find_sources


def tree(root: Path) -> None:
    (root / "b").mkdir()
    (root / "a.txt").write_text("a")
    (root / "b" / "c.txt").write_text("c")
    (root / "b" / "skip.log").write_text("log")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("x")


def test_walk_is_sorted_and_filtered(tmp_path: Path) -> None:
    tree(tmp_path)
    sources = list(find_sources([str(tmp_path)], PathFilter(exclude=[".git/", "*.log"])))
    assert [Path(s.display).relative_to(tmp_path).as_posix() for s in sources] == [
        "a.txt",
        "b/c.txt",
    ]
    assert all(s.problem is None for s in sources)


def test_include_patterns(tmp_path: Path) -> None:
    tree(tmp_path)
    sources = list(find_sources([str(tmp_path)], PathFilter(include=["*.log"])))
    assert [Path(s.display).name for s in sources] == ["skip.log"]


def test_missing_path_and_stdin(tmp_path: Path) -> None:
    missing, stdin = list(find_sources([str(tmp_path / "nope"), "-"]))
    assert missing.problem == "no such file or directory"
    assert stdin.is_stdin


def test_symlink_loops_are_reported_not_followed(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f.txt").write_text("f")
    os.symlink(tmp_path / "d", tmp_path / "d" / "again")
    os.symlink(tmp_path / "self", tmp_path / "self")
    sources = list(find_sources([str(tmp_path)]))
    problems = {Path(s.display).name: s.problem for s in sources if s.problem}
    assert "link loop" in problems["again"]
    assert problems["self"] is not None and "symbolic links" in problems["self"]
    assert [Path(s.display).name for s in sources if s.problem is None] == ["f.txt"]


def test_a_link_to_a_directory_read_elsewhere_is_no_loop(tmp_path: Path) -> None:
    (tmp_path / "gcc-12").mkdir()
    (tmp_path / "gcc-12" / "NEWS").write_text("n")
    os.symlink("gcc-12", tmp_path / "gcc")  # read first (name order), under the alias
    os.symlink("gcc-12", tmp_path / "z-gcc")
    sources = list(find_sources([str(tmp_path)]))
    assert all(s.problem is None for s in sources)
    assert [Path(s.display).relative_to(tmp_path).as_posix() for s in sources] == ["gcc/NEWS"]


def test_fifo_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    [source] = list(find_sources([str(tmp_path)]))
    assert source.problem is not None and "not a regular file" in source.problem
