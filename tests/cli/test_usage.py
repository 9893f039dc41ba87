"""Bad usage exits 2 with argparse's message on stderr, never a traceback."""

import pytest

from repository.cli import main


@pytest.mark.parametrize(
    "argv",
    [[], ["no-such-command"], ["token", "create"], ["repo", "create", "x"], ["yank", "r"]],
    ids=["nothing", "unknown", "token-without-user", "repo-without-format", "yank-too-few"],
)
def test_it_exits_2_on_bad_usage(argv, capsys):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "usage: larder" in err


def test_it_lists_its_commands_in_help(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    help_text = capsys.readouterr().out
    for command in ("serve", "worker", "beat", "migrate", "createadmin", "repo", "token", "yank"):
        assert command in help_text
