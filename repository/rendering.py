"""READMEs and long descriptions as safe HTML: Markdown rendered, then sanitised with nh3.

Package authors control this text; nothing they write may run script in our pages.
"""

import html

import markdown
import nh3

_MARKDOWN_TYPES = {"text/markdown", "text/x-markdown", ""}


def render_readme(text: str, content_type: str = "text/markdown") -> str:
    """HTML safe to embed in a page: Markdown for markdown (and unknown) types, else <pre>."""
    if not text:
        return ""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in _MARKDOWN_TYPES:
        rendered = markdown.markdown(text, extensions=["fenced_code", "tables"])
    else:
        rendered = f"<pre>{html.escape(text)}</pre>"
    return nh3.clean(rendered, link_rel="noopener noreferrer nofollow")
