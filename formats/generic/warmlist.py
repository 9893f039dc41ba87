"""A list of file paths, one per line, for warming a generic proxy's cache: blank lines and
`#` comments skipped, a leading `/` dropped (as in the repository's URLs), and each path
checked as a download's would be."""

from formats.generic.paths import UnsafePath, parse_path


def warm_items(text: str) -> list[tuple[str, str | None]]:
    items = []
    for number, line in enumerate(text.splitlines(), 1):
        raw = line.strip().lstrip("/")
        if not raw or raw.startswith("#"):
            continue
        try:
            path = parse_path(raw)
        except UnsafePath as exc:
            raise ValueError(f"line {number}: {exc.message}") from None
        if path.folder:
            raise ValueError(f"line {number}: {raw} is a folder, not a file")
        items.append((path.text, None))
    return items
