"""What a list of paths names for `larder proxy warm` (generic files' reader)."""

import pytest

from repository.formats import get_format


def items(text: str) -> list:
    return get_format("generic").warm_items(text)


def test_it_reads_one_path_per_line():
    text = "# tools\n/tools/jq-1.7.tar.gz\n\n  docs/readme.txt  \n"
    assert items(text) == [("tools/jq-1.7.tar.gz", None), ("docs/readme.txt", None)]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ok.txt\n../etc/passwd\n", "line 2: invalid path: '..' segments"),
        ("tools/\n", "line 1: tools/ is a folder"),
    ],
)
def test_it_refuses_paths_a_download_would(text, reason):
    with pytest.raises(ValueError, match=reason):
        items(text)
