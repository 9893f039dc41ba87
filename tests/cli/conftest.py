"""Running `larder` in-process, as a script would: argv in; exit code, stdout, stderr out."""

from dataclasses import dataclass

import pytest

from repository.cli import main
from tests.retention.fixtures import policy, publish, tag

__all__ = ["policy", "publish", "tag"]


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def larder(capsys, db):
    def run(*argv: str) -> Result:
        capsys.readouterr()
        code = main(list(argv))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run
