"""Every page of Larder's web UI in headless Chromium, as the user who should see it.

Each row of PAGES is one visit: the answer the visitor gets (after any redirect to the login
page), no console error, no Content-Security-Policy violation, no inline script or handler in
the page, and the security headers. The table must name every route of the UI's URLconf
(resolved, not typed here), so a page added later without a row fails this test. The
browsable API's pages are visited too: they run no inline script either.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.urls import get_resolver
from playwright.sync_api import ConsoleMessage, Page, Response, sync_playwright

from repository.access.tokens import create_token
from repository.models import Repository, RepositoryRole, Role
from repository.retention.run import execute, queue_run
from repository.retention.trash import trash_version
from repository.services.repositories import create_repository
from tests.conftest import PASSWORD
from tests.e2e.test_ui_browser import CHROMIUM, CHROMIUM_ARGS
from tests.retention.fixtures import policy, publish

__all__ = ["policy", "publish"]

pytestmark = pytest.mark.e2e

FORMATS = {"pypi": "py", "npm": "npm", "generic": "files"}
PACKAGES = {"pypi": "flask", "npm": "@corp/left-pad", "generic": "tools"}
OFFLINE = {"proxy": {"upstream": "http://upstream.invalid/", "offline": True}}

# Collects what the page's Content-Security-Policy refused, before any page script runs.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ` +
    `${event.sourceFile}:${event.lineNumber}`
  );
});
"""
# Script the policy would have to allow: inline <script>, on* handlers, javascript: links.
INLINE_SCRIPT = """
() => {
  const found = [];
  for (const script of document.scripts) {
    const type = (script.type || "text/javascript").toLowerCase();
    if (!script.src && (type.includes("javascript") || type === "module")) {
      found.push("<script> " + script.textContent.trim().slice(0, 60));
    }
  }
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const value = attribute.value.trim().toLowerCase();
      if (attribute.name.startsWith("on") || value.startsWith("javascript:")) {
        found.push(`<${element.localName} ${attribute.name}>`);
      }
    }
  }
  return found;
}
"""


@dataclass(frozen=True)
class Visit:
    """One page as one visitor sees it."""

    route: str  # the ui: route it covers, or a name for a page outside the UI's URLconf
    url: str  # formatted with the fixture's ids: ids from the `site` fixture, like {policy}
    user: str | None  # None: not signed in
    status: int
    lands: str | None = None  # the path it ends on when redirected (the login page)
    act: Callable[[Page], None] | None = None  # what the visitor does there first
    heading: str | None = None  # the page's <h1>, where the status alone says too little
    shown: bool = True  # False: an answer the browser does not show (a CSV file, a 405)


def _stale_csrf(page: Page) -> None:
    """A form posted with a CSRF cookie gone (expired, or cleared in another tab)."""
    page.context.clear_cookies()
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _create_token(page: Page) -> None:
    page.get_by_label("Name").fill("laptop")
    page.get_by_role("button", name="Create token").click()


def _repository_pages() -> list[Visit]:
    """Each format's repositories of each kind, their package pages, and a proxy's refusal
    for a package it has not cached (it is offline)."""
    visits = []
    for fmt, prefix in FORMATS.items():
        package = PACKAGES[fmt]
        for kind in ("hosted", "proxy", "group"):
            name = f"{prefix}-{kind}"
            user = "reader" if kind == "hosted" else "admin"
            visits += [
                Visit("repository-detail", f"/ui/repositories/{name}/", user, 200),
                Visit("package-detail", f"/ui/repositories/{name}/packages/{package}/", user, 200),
            ]
        visits += [
            Visit("proxy-edit", f"/ui/repositories/{prefix}-proxy/proxy/", "admin", 200),
            Visit(
                "package-detail",
                f"/ui/repositories/{prefix}-proxy/packages/absent/",
                "admin",
                404,
                heading="Not available now",
            ),
        ]
    return visits


def _not_allowed(route: str, url: str) -> Visit:
    """An action (a form's POST) asked with a GET: 405, still with the headers."""
    return Visit(route, url, "admin", 405, shown=False)


PAGES: list[Visit] = [
    Visit("repository-list", "/", None, 200),
    Visit("repository-list", "/", "admin", 200),
    *_repository_pages(),
    Visit("repository-detail", "/ui/repositories/py-hosted/", "outsider", 404, heading="Not found"),
    Visit("repository-detail", "/ui/repositories/py-hosted/", None, 404, heading="Not found"),
    Visit("package-detail", "/ui/repositories/py-hosted/packages/absent/", "reader", 404),
    Visit("generic-folder", "/repository/files-hosted/", "admin", 200),
    Visit("generic-folder", "/repository/files-hosted/tools/1.0/", "reader", 200),
    Visit("generic-folder", "/repository/files-proxy/", "admin", 200),
    Visit("generic-folder", "/repository/files-group/", "admin", 200),
    _not_allowed("move-member", "/ui/repositories/py-group/members/"),
    Visit("proxy-new", "/ui/proxies/new/", "admin", 200),
    Visit("proxy-new", "/ui/proxies/new/", "outsider", 403, heading="Not allowed"),
    Visit("proxy-new", "/ui/proxies/new/", None, 200, lands="/login/"),
    Visit("proxy-edit", "/ui/repositories/py-proxy/proxy/", "owner", 200),
    Visit("proxy-edit", "/ui/repositories/py-proxy/proxy/", "reader", 404),
    Visit("proxy-edit", "/ui/repositories/py-hosted/proxy/", "admin", 404),
    _not_allowed("cooldown-exemption", "/ui/repositories/npm-proxy/cooldown/@corp/left-pad/"),
    Visit("repository-grants", "/ui/repositories/py-hosted/grants/", "admin", 200),
    Visit("repository-grants", "/ui/repositories/py-hosted/grants/", "owner", 200),
    Visit("repository-grants", "/ui/repositories/py-hosted/grants/", "reader", 403),
    _not_allowed("repository-grant-remove", "/ui/repositories/py-hosted/grants/{grant}/remove/"),
    _not_allowed("version-pin", "/ui/repositories/py-hosted/pins/flask/1.0/"),
    Visit("trash", "/ui/repositories/py-hosted/trash/", "admin", 200),
    Visit("trash", "/ui/repositories/py-hosted/trash/", "owner", 200),
    Visit("trash", "/ui/repositories/py-hosted/trash/", "reader", 404),
    _not_allowed("trash-restore", "/ui/repositories/py-hosted/trash/{entry}/restore/"),
    _not_allowed("trash-purge", "/ui/repositories/py-hosted/trash/{entry}/purge/"),
    Visit("policy-list", "/ui/retention/", "admin", 200),
    Visit("policy-list", "/ui/retention/", "reader", 403),
    Visit("policy-list", "/ui/retention/", None, 200, lands="/login/"),
    Visit("policy-new", "/ui/retention/new/", "admin", 200),
    Visit("policy-preview", "/ui/retention/preview/?policy={policy}", "admin", 200),
    Visit("policy-edit", "/ui/retention/{policy}/", "admin", 200),
    Visit("policy-preview-csv", "/ui/retention/{policy}/preview.csv", "admin", 200, shown=False),
    _not_allowed("policy-run", "/ui/retention/{policy}/run/"),
    _not_allowed("policy-delete", "/ui/retention/{policy}/delete/"),
    Visit("run-detail", "/ui/retention/runs/{run}/", "admin", 200),
    Visit("storage", "/ui/storage/", "admin", 200),
    Visit("storage", "/ui/storage/", "outsider", 403),
    Visit("tokens", "/ui/tokens/", "reader", 200),
    Visit("tokens", "/ui/tokens/", "admin", 200),
    Visit("tokens", "/ui/tokens/", None, 200, lands="/login/"),
    Visit("token-create", "/ui/tokens/", "reader", 201, act=_create_token, heading="Token created"),
    _not_allowed("token-create", "/ui/tokens/new/"),
    _not_allowed("token-revoke", "/ui/tokens/{token}/revoke/"),
    Visit("global-grants", "/ui/grants/", "admin", 200),
    Visit("global-grants", "/ui/grants/", "reader", 403),
    _not_allowed("global-grant-remove", "/ui/grants/{global_grant}/remove/"),
    Visit("users", "/ui/users/", "admin", 200),
    Visit("users", "/ui/users/", "reader", 403),
    Visit("user-detail", "/ui/users/reader/", "admin", 200),
    _not_allowed("user-active", "/ui/users/reader/active/"),
    _not_allowed("user-password", "/ui/users/reader/password/"),
    Visit("groups", "/ui/groups/", "admin", 200),
    Visit("group-detail", "/ui/groups/qa/", "admin", 200),
    _not_allowed("group-member-remove", "/ui/groups/qa/members/outsider/remove/"),
    Visit("audit", "/ui/audit/", "admin", 200),
    Visit("audit", "/ui/audit/", "owner", 200),
    Visit("audit", "/ui/audit/", "outsider", 403, heading="Not allowed"),
    Visit("login", "/login/", None, 200),
    Visit("csrf-failure", "/login/", None, 403, act=_stale_csrf, heading="This form has expired"),
    _not_allowed("logout", "/logout/"),
    Visit("unknown-page", "/ui/no-such-page/", "admin", 404),
    Visit("api", "/api/v1/repositories/", "admin", 200),
    Visit("api", "/api/v1/repositories/py-hosted/", "reader", 200),
    Visit("api", "/api/v1/repositories/", None, 200),
]


def ui_routes() -> set[str]:
    """Every named route of the UI's URLconf, as the root resolver includes it."""
    _, resolver = get_resolver().namespace_dict["ui"]
    return {pattern.name for pattern in resolver.url_patterns}


@pytest.fixture
def site(make_repository, make_user, publish, policy, admin, reader, outsider) -> dict[str, int]:
    """Repositories of every format and kind with a package each, a trashed version, a policy
    with a finished dry run, a group, a grant and a token; the ids the URLs need."""
    for fmt, prefix in FORMATS.items():
        hosted = make_repository(f"{prefix}-hosted", fmt, private=fmt == "pypi")
        proxy = create_repository(f"{prefix}-proxy", fmt, kind="proxy", settings=OFFLINE)
        create_repository(
            f"{prefix}-group",
            fmt,
            kind="group",
            settings={"members": [hosted.name, proxy.name], "write_to": hosted.name},
        )
        version = "1.0.0" if fmt == "npm" else "1.0"
        publish(hosted, PACKAGES[fmt], version)
        publish(proxy, PACKAGES[fmt], version)
    py_hosted = Repository.objects.get(name="py-hosted")
    entry = trash_version(publish(py_hosted, "flask", "0.9"), reason="deleted by hand")
    cleanup = policy(py_hosted, keep_newest=1)
    run = execute(queue_run(cleanup, trigger="ui", dry_run=True))
    qa = Group.objects.create(name="qa")
    qa.user_set.add(outsider)
    grant = RepositoryRole.objects.get(repository=py_hosted, user=reader)
    auditors = Group.objects.create(name="auditors")
    global_grant = RepositoryRole.objects.create(group=auditors, role=Role.READER)
    owner = make_user("owner")
    for repository in Repository.objects.filter(name__in=["py-hosted", "py-proxy"]):
        RepositoryRole.objects.create(user=owner, repository=repository, role=Role.ADMIN)
    token, _ = create_token(reader)
    return {
        "entry": entry.pk,
        "policy": cleanup.pk,
        "run": run.pk,
        "grant": grant.pk,
        "global_grant": global_grant.pk,
        "token": token.pk,
    }


def _log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_text(f"Signed in as {username}").wait_for()


def _open(page: Page, visit: Visit, url: str) -> Response:
    response = page.goto(url)
    if visit.act is not None:
        with page.expect_navigation() as navigation:
            visit.act(page)
        response = navigation.value
    return response


def _console(page: Page, message: ConsoleMessage, errors: list[str]) -> None:
    """Console errors, but not Chromium's note that the page itself answered 403 or 404."""
    if message.type != "error":
        return
    if message.text.startswith("Failed to load resource") and message.location["url"] == page.url:
        return
    errors.append(f"console: {message.text}")


def _answer_problems(visit: Visit, status: int, headers: dict[str, str]) -> list[str]:
    """The status and the security headers of the answer."""
    problems = []
    if status != visit.status:
        problems.append(f"status {status}, expected {visit.status}")
    policy = dict(
        [*part.strip().split(" ", 1), ""][:2]
        for part in headers.get("content-security-policy", "").split(";")
        if part.strip()
    )
    if policy.get("frame-ancestors") != "'none'" or policy.get("script-src") != "'self'":
        problems.append(f"CSP {headers.get('content-security-policy')!r}")
    if headers.get("x-content-type-options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if headers.get("referrer-policy") != "same-origin":
        problems.append("no Referrer-Policy")
    return problems


def _page_problems(page: Page, visit: Visit, url: str, console: list[str]) -> list[str]:
    """What is wrong with this visit; nothing when it is right."""
    if not visit.shown:
        answer = page.request.get(url)
        return _answer_problems(visit, answer.status, answer.headers)
    response = _open(page, visit, url)
    problems = _answer_problems(visit, response.status, response.all_headers())
    path = urlsplit(page.url).path
    if visit.lands is not None and path != visit.lands:
        problems.append(f"ended on {path}, expected {visit.lands}")
    if visit.heading is not None and page.locator("h1").inner_text() != visit.heading:
        problems.append(f"heading {page.locator('h1').inner_text()!r}, expected {visit.heading!r}")
    problems += console
    problems += page.evaluate("window.__cspViolations || []")
    problems += page.evaluate(INLINE_SCRIPT)
    return problems


def test_every_ui_page_renders_under_the_csp_for_the_right_user(live, site):
    covered = {visit.route for visit in PAGES}
    assert ui_routes() - covered == set(), "UI routes with no row in PAGES"

    failures: dict[str, list[str]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages: dict[str | None, Page] = {}
        console: list[str] = []
        for user in {visit.user for visit in PAGES}:
            context = browser.new_context(base_url=live.url)
            context.add_init_script(WATCH_CSP)
            page = context.new_page()
            if user is not None:
                _log_in(page, user)
            page.on("console", lambda message, page=page: _console(page, message, console))
            page.on("pageerror", lambda error: console.append(f"page error: {error}"))
            pages[user] = page
        for visit in PAGES:
            page = pages[visit.user]
            console.clear()
            url = visit.url.format(**site)
            problems = _page_problems(page, visit, url, console)
            if problems:
                failures[f"{url} as {visit.user or 'anonymous'}"] = problems
        browser.close()
    assert not failures, "\n".join(f"{where}: {problems}" for where, problems in failures.items())
