"""What a requirements.txt or a pylock.toml names for `larder proxy warm` (PyPI's reader)."""

import pytest

from repository.formats import get_format


def items(text: str) -> list:
    return get_format("pypi").warm_items(text)


def test_it_reads_pins_of_a_compiled_requirements_file():
    text = (
        "# via pip-compile\n"
        "--index-url https://upstream.example/simple/\n"
        "six==1.17.0 \\\n"
        "    --hash=sha256:4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274 \\\n"
        "    --hash=sha256:ff70335d468e7eb6ec65b95b99d3a2836546063f63acc5171de367e834932a81\n"
        "idna===3.10 ; python_version >= '3.6'  # the URLs' names\n"
        "\n"
        "Packaging[extra] >=24\n"
        "attrs==24.*\n"
        "-e .\n"
    )
    assert items(text) == [
        ("six", "1.17.0"),
        ("idna", "3.10"),
        ("Packaging", None),
        ("attrs", None),
    ]


def test_it_reads_a_pylock_toml():
    text = (
        'lock-version = "1.0"\n'
        'created-by = "uv"\n'
        "[[packages]]\n"
        'name = "six"\n'
        'version = "1.17.0"\n'
        "[[packages.wheels]]\n"
        'url = "https://upstream.example/six-1.17.0-py2.py3-none-any.whl"\n'
        "[[packages]]\n"
        'name = "local-thing"\n'
        "[packages.directory]\n"
        'path = "."\n'
    )
    assert items(text) == [("six", "1.17.0"), ("local-thing", None)]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"lockfileVersion": 3}\n', "line 1: not a requirement"),
        ("six==1.0\nsix >= = 2\n", "line 2: not a requirement"),
        ("-r base.txt\n", "line 1: -r is not followed: warm that file"),
        ("six @ https://upstream.example/six.whl\n", "line 1: six comes from a URL"),
        ('lock-version = "1.0"\npackages = "six"\n', "`packages` must be an array"),
        ('lock-version = "1.0"\n[[packages]]\nversion = "1"\n', "package 1 needs a name"),
    ],
)
def test_it_says_where_a_file_is_not_readable(text, reason):
    with pytest.raises(ValueError, match=reason.replace("[", r"\[")):
        items(text)
