"""npm registry routes, matched against the already percent-decoded path.

`@scope%2fname`, `@scope%2Fname` and `@scope/name` therefore all arrive as `@scope/name`.
Registry endpoints under `-/` come first; package names never start with `-`, `.` or `_`.
"""

from django.urls import re_path

from formats.npm.views import accounts, packages, search, tags, tarballs, tokens

NAME = r"(?P<name>@[^/]+/[^/]+|[^@/._-][^/]*)"
REV = r"(?:/-rev/(?P<rev>[^/]+))?"

urlpatterns = [
    re_path(r"^-/ping$", accounts.ping),
    re_path(r"^-/whoami$", accounts.whoami),
    re_path(r"^-/v1/login$", accounts.web_login),
    re_path(r"^-/v1/search$", search.search),
    re_path(r"^-/user/org\.couchdb\.user:(?P<username>[^/]+)$", accounts.couch_user),
    re_path(r"^-/user/token/(?P<token>[^/]+)$", accounts.logout),
    re_path(r"^-/npm/v1/tokens$", tokens.tokens),
    re_path(r"^-/npm/v1/tokens/token/(?P<key>[^/]+)$", tokens.token),
    re_path(rf"^-/package/{NAME}/dist-tags$", tags.dist_tags),
    re_path(rf"^-/package/{NAME}/dist-tags/(?P<tag>[^/]+)$", tags.dist_tag),
    # /@s/n/-/@s/n-1.0.0.tgz: the scope repeated before the file name.
    re_path(
        rf"^(?P<name>(@[^/]+)/[^/]+)/-/\2/(?P<filename>[^/]+\.tgz){REV}$",
        tarballs.tarball,
    ),
    re_path(rf"^{NAME}/-/(?P<filename>[^/]+\.tgz){REV}$", tarballs.tarball),
    re_path(rf"^{NAME}/-rev/(?P<rev>[^/]+)$", packages.package_revision),
    re_path(rf"^{NAME}/(?P<ref>[^/]+)$", packages.package_version),
    re_path(rf"^{NAME}$", packages.package_root),
]
