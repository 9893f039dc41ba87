"""Answers to generic requests: files, folder listings (HTML or JSON) and upload results."""

import hashlib

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from formats.generic.links import native_url
from formats.generic.listing import Listing
from formats.generic.negotiation import wants_html, wants_json
from repository.access.permissions import has_role
from repository.downloads import asset_response
from repository.models import Asset, Repository, Role
from repository.services.packages import AssetResult
from repository.serving import not_modified

# Paths can be redeployed or deleted and uploaded again: caches must revalidate (cheap: ETag).
REVALIDATE = "no-cache"


def file_response(request: HttpRequest, asset: Asset) -> HttpResponse:
    public = request.larder.source.public_file(asset)
    response = asset_response(
        request,
        asset,
        last_modified=asset.updated,
        cache_control=REVALIDATE if public else "private, no-cache",
    )
    # An uploaded .html or .svg must not run script on Larder's origin.
    response["Content-Security-Policy"] = "sandbox"
    return response


def _file_entry(request: HttpRequest, repository: Repository, asset: Asset) -> dict:
    return {
        "name": asset.path.rsplit("/", 1)[-1],
        "path": asset.path,
        "url": native_url(request, repository, asset.path),
        "size": asset.size,
        "sha256": asset.blob.sha256 if asset.cached else None,
        "sha1": asset.blob.sha1 if asset.cached else None,
        "md5": asset.blob.md5 if asset.cached else None,
        "content_type": asset.content_type,
        "modified": asset.updated,
        "cached": asset.cached,  # a proxy knows some files before it holds their bytes
    }


def listing_document(request: HttpRequest, repository: Repository, listing: Listing) -> dict:
    """The folder as one dict: the JSON answer, and the HTML page's rows."""
    return {
        "repository": repository.name,
        "path": listing.folder.prefix,
        "url": native_url(request, repository, listing.folder.prefix),
        "folders": [
            {
                "name": entry.name,
                "path": entry.path,
                "url": native_url(request, repository, entry.path),
                "files": entry.files,
                "size": entry.size,
                "modified": entry.modified,
            }
            for entry in listing.folders
        ],
        "files": [_file_entry(request, repository, asset) for asset in listing.files],
    }


def _breadcrumbs(request: HttpRequest, repository: Repository, listing: Listing) -> list:
    """(name, url) for each folder from the root down to this one."""
    segments = listing.folder.segments
    return [
        (name, native_url(request, repository, "/".join(segments[: i + 1]) + "/"))
        for i, name in enumerate(segments)
    ]


def _folder_page(request: HttpRequest, repository: Repository, listing: Listing, document):
    breadcrumbs = _breadcrumbs(request, repository, listing)
    root_url = native_url(request, repository)
    parents = [root_url] + [url for _, url in breadcrumbs]
    return render(
        request,
        "generic/folder.html",
        {
            "repository": repository,
            "folder": document,
            "breadcrumbs": breadcrumbs,
            "root_url": root_url,
            "parent_url": parents[-2] if breadcrumbs else None,
            "can_upload": has_role(request, repository, Role.DEPLOYER),
        },
    )


def _with_validators(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """ETag from the body, 304 when it matches, and no body on HEAD."""
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": REVALIDATE, "Vary": "Accept, Authorization, Cookie"}
    if not_modified(request, etag, None):
        return HttpResponse(status=304, headers=headers)
    for name, value in headers.items():
        response[name] = value
    response["Content-Length"] = str(len(response.content))
    if request.method == "HEAD":
        response.content = b""
    return response


def listing_response(request: HttpRequest, repository: Repository, listing: Listing):
    document = listing_document(request, repository, listing)
    if wants_json(request):
        response = JsonResponse(document)
    else:
        response = _folder_page(request, repository, listing, document)
    return _with_validators(request, response)


def stored_response(
    request: HttpRequest, repository: Repository, result: AssetResult
) -> HttpResponse:
    """201 for a new file, 200 for the same bytes again or a replacement."""
    asset = result.asset
    status = 201 if result.created else 200
    url = native_url(request, repository, asset.path)
    if request.method == "POST" and wants_html(request):
        folder = asset.path.rpartition("/")[0]
        listing_url = native_url(request, repository, folder + "/" if folder else "")
        return HttpResponse(status=303, headers={"Location": listing_url})
    if wants_json(request):
        entry = _file_entry(request, repository, asset)
        response = JsonResponse(
            {**entry, "created": result.created, "replaced": result.replaced}, status=status
        )
    else:
        verb = "Created" if result.created else ("Replaced" if result.replaced else "Unchanged")
        response = HttpResponse(
            f"{verb} {url} ({asset.blob.size} bytes, sha256 {asset.blob.sha256})\n",
            status=status,
            content_type="text/plain; charset=utf-8",
        )
    if result.created:
        response["Location"] = url
    return response
