from repository.rendering import render_readme


def test_it_renders_markdown_readmes():
    assert "<h1>Hello</h1>" in render_readme("# Hello")


def test_it_strips_script_and_event_handlers_from_readmes():
    rendered = render_readme('<script>alert(1)</script><img src="x" onerror="alert(2)">')
    assert "<script" not in rendered
    assert "onerror" not in rendered


def test_it_shows_plain_text_readmes_preformatted_and_escaped():
    assert render_readme("a < b", "text/plain") == "<pre>a &lt; b</pre>"
