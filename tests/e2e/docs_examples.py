"""The examples of docs/clients/*.md, read from the files and run against a live Larder.

Each test module for one document lists every fenced block of it (found by a fragment of
its text) with the check that runs it, or the reason it cannot run as written; a block
that no entry claims, or an entry whose block is gone, fails the suite, so the documents
cannot drift from what Larder does.

The documents' placeholders become the live server's values: `https://larder.example` its
URL, `larder.example` its host and port, `NAME` a repository, `PACKAGE`/`PKG` a package,
`YOUR_TOKEN` (and `$LARDER_TOKEN`, `$NPM_TOKEN` in the environment) a token. A `text` or
`json` block right after a shell block (nothing but blank lines between) is its output.
"""

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.conftest import ROOT, VENV_BIN, require_tool
from tests.npm.clients import NodeClients
from tests.pypi.clients import clean_env

DOCS = ROOT / "docs" / "clients"
_FENCE = re.compile(r"^( *)```(\S*)\s*$")
OUTPUT_INFOS = ("text", "json")


@dataclass
class Block:
    info: str  # the fence's info string: sh, ini, yaml, ... or ""
    text: str
    line: int
    output: "Block | None" = None


def read_blocks(document: str) -> list[Block]:
    """The fenced blocks of docs/clients/<document>, each with its output block if any."""
    lines = (DOCS / document).read_text().splitlines()
    blocks: list[Block] = []
    previous_end: int | None = None  # the line index of the last closing fence
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        indent, info, start = len(opening.group(1)), opening.group(2), index
        body = []
        index += 1
        while not _FENCE.match(lines[index]):
            body.append(lines[index][indent:])
            index += 1
        block = Block(info, "\n".join(body), start + 1)
        adjacent = previous_end is not None and not any(
            line.strip() for line in lines[previous_end + 1 : start]
        )
        if adjacent and block.info in OUTPUT_INFOS and blocks[-1].info == "sh":
            blocks[-1].output = block
        else:
            blocks.append(block)
        previous_end = index
        index += 1
    return blocks


class NotRun(str):
    """Why a block cannot run as written (the reason is kept in the test, for review)."""


@dataclass
class Example:
    fragment: str  # a piece of the block's text that names it (or that it begins with)
    check: Callable | NotRun


def claimed_blocks(document: str, examples: list[Example]) -> list[tuple[Example, Block]]:
    """Each example with its block; fails unless every block is claimed exactly once."""
    blocks = read_blocks(document)
    pairs = []
    for example in examples:
        matching = [block for block in blocks if example.fragment in block.text]
        if len(matching) > 1:  # then the one it begins names it
            matching = [block for block in matching if block.text.startswith(example.fragment)]
        assert len(matching) == 1, (
            f"{document}: {len(matching)} blocks contain {example.fragment!r}"
        )
        pairs.append((example, matching[0]))
    unclaimed = [b for b in blocks if all(b is not block for _, block in pairs)]
    assert not unclaimed, f"{document}: blocks with no check: " + ", ".join(
        f"line {block.line}: {block.text.splitlines()[0]!r}" for block in unclaimed
    )
    return pairs


def block_named(document: str, examples: list[Example], fragment: str) -> Block:
    """The block an example's fragment claims (a check may build on another block too)."""
    return next(block for e, block in claimed_blocks(document, examples) if e.fragment == fragment)


def runnable(examples: list[Example]) -> list[Example]:
    """The examples a test runs (the others carry the reason they cannot run as written)."""
    return [example for example in examples if not isinstance(example.check, NotRun)]


def output_pattern(text: str) -> re.Pattern:
    """A documented output as a pattern: `…` stands for any characters but spaces."""
    parts = [re.escape(part) for part in text.strip().split("…")]
    return re.compile(r"\S*".join(parts))


@dataclass
class Sandbox:
    """A working folder, a HOME and the clients, isolated from this machine's settings."""

    live: object
    root: Path
    fixture: Callable  # pytest's request.getfixturevalue, for checks that need more
    values: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cwd = self.root / "work"
        self.cwd.mkdir(parents=True, exist_ok=True)
        self.bin = self.root / "bin"
        self.bin.mkdir(exist_ok=True)
        for tool in ("twine", "uv", "poetry"):
            (self.bin / tool).symlink_to(require_tool(tool))
        # For npm's and Yarn's isolated environment only: the documents' own config files
        # say where the registry is, so ~/.npmrc is emptied of it.
        self.node = NodeClients(self.root / "node", self.live.url)
        home = self.node.home
        path = [p for p in os.environ["PATH"].split(os.pathsep) if Path(p) != VENV_BIN]
        self.env = {
            **clean_env(home),
            **self.node.env,
            "PATH": os.pathsep.join([str(self.bin), *path]),
            "PIP_CONFIG_FILE": os.devnull,
            "POETRY_VIRTUALENVS_IN_PROJECT": "true",
        }
        self.home = home
        (home / ".npmrc").write_text("update-notifier=false\n")

    def url(self, path: str = "") -> str:
        return self.live.url + path

    def fill(self, text: str) -> str:
        """The document's placeholders replaced by this sandbox's values."""
        host = self.live.url.removeprefix("http://")
        text = re.sub(r"https://([^/\s@]*@)?larder\.example", rf"http://\g<1>{host}", text)
        text = text.replace("larder.example", host)
        for name, value in self.values.items():
            text = re.sub(rf"\b{name}\b", value, text)
        return text

    def with_python(self) -> None:
        """`pip` on PATH is a fresh virtualenv's, never the test suite's own."""
        venv = self.root / "venv"
        if not venv.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        self.env["PATH"] = f"{venv / 'bin'}{os.pathsep}{self.env['PATH']}"
        self.env["VIRTUAL_ENV"] = str(venv)

    def sh(self, script: str, check: bool = True, **env: str) -> subprocess.CompletedProcess:
        """Run a block (placeholders filled) with bash, as a reader pastes it."""
        result = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", self.fill(script)],
            cwd=self.cwd,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"exited {result.returncode}:\n{self.fill(script)}\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def write(self, relative: str, text: str) -> Path:
        """A config file (placeholders filled) below HOME (`~/...`) or the working folder."""
        base = self.home if relative.startswith("~/") else self.cwd
        path = base / relative.removeprefix("~/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.fill(text) + "\n")
        return path
