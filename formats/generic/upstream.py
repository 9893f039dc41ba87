"""Reading a plain file server as a generic proxy's upstream: no index, one URL per path.

A path asked for here is the upstream's base URL plus that path. One HEAD says whether the
file is there, its Content-Type (kept, so clients see what the upstream serves) and its
size; such servers publish no digests, so the size is all the fetched bytes are checked
against. The core fetches the bytes on the first GET, and remembers a 404 for the
negative TTL only.
"""

from urllib.parse import quote, urlsplit

from repository.proxy.client import UpstreamClient
from repository.proxy.errors import UpstreamNotFound
from repository.proxy.index import IndexRequest, UpstreamFile, UpstreamPackage, UpstreamReader

DEFAULT_CONTENT_TYPE = "application/octet-stream"


class GenericUpstream(UpstreamReader):
    def index_request(self, name: str) -> IndexRequest | None:
        return None

    def parse(self, name: str, body: bytes, content_type: str, url: str) -> UpstreamPackage:
        raise ValueError("a generic upstream has no index documents")

    def file_at(self, client: UpstreamClient, path: str) -> UpstreamFile | None:
        url = client.url_for(quote(path))  # "#" or "?" in a name are part of the path
        try:
            response = client.get(url, method="HEAD")
        except UpstreamNotFound:
            return None
        response.close()
        if urlsplit(response.url).path.endswith("/"):
            return None  # redirected to a folder (path + "/"): its listing is no file
        return UpstreamFile(
            path=path,
            filename=path.rsplit("/", 1)[-1],
            url=url,
            size=response.content_length,
            content_type=response.headers.get("Content-Type") or DEFAULT_CONTENT_TYPE,
        )
