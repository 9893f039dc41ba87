"""`larder migrate` applies migrations, talking on stderr only."""


def test_it_migrates_and_keeps_stdout_clean(larder):
    result = larder("migrate")
    assert result.code == 0
    assert result.stdout == ""
    assert "No migrations to apply" in result.stderr
