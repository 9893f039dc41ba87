"""The stylesheet and script reach the browser from the app server, no collectstatic needed."""

from django.test import Client


def test_it_serves_the_stylesheet_and_the_copy_script(db):
    client = Client()
    css = client.get("/static/larder.css")
    js = client.get("/static/larder.js")
    assert css.status_code == js.status_code == 200
    assert css["Content-Type"].startswith("text/css")
    assert b"data-copy" in b"".join(js.streaming_content)


def test_it_links_them_from_every_page(db):
    body = Client().get("/").content.decode()
    assert '<link rel="stylesheet" href="/static/larder.css">' in body
    assert '<script src="/static/larder.js" defer></script>' in body
