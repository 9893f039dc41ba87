"""A real OpenLDAP `slapd`, configured by the tests themselves with a small directory.

Users (password = "<name>-directory-pw"): alice (developers, larder-users, larder-admins),
bob (larder-users), carol (developers only: not allowed into Larder). Groups are
groupOfNames under ou=groups. The server listens on a free loopback port for one session.
"""

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

SUFFIX = "dc=larder,dc=test"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "directory-admin-secret"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
SLAPD = "/usr/sbin/slapd"

USERS = {"alice": "Alice Liddell", "bob": "Bob Builder", "carol": "Carol Danvers"}
MEMBERS = {
    "developers": ["alice", "carol"],
    "larder-users": ["alice", "bob"],
    "larder-admins": ["alice"],
}

CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {root}/slapd.pid
database mdb
maxsize 16777216
suffix "{suffix}"
rootdn "{admin}"
rootpw {password}
directory {root}/db
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
"""


def password_of(user: str) -> str:
    return f"{user}-directory-pw"


def user_dn(user: str) -> str:
    return f"uid={user},{PEOPLE}"


def group_dn(group: str) -> str:
    return f"cn={group},{GROUPS}"


def _ldif() -> str:
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Larder\ndc: larder",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people",
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups",
    ]
    for user, name in USERS.items():
        given, surname = name.split()
        entries.append(
            f"dn: {user_dn(user)}\nobjectClass: inetOrgPerson\nuid: {user}\ncn: {name}\n"
            f"givenName: {given}\nsn: {surname}\nmail: {user}@larder.test\n"
            f"userPassword: {password_of(user)}"
        )
    for group, members in MEMBERS.items():
        lines = "\n".join(f"member: {user_dn(user)}" for user in members)
        entries.append(f"dn: {group_dn(group)}\nobjectClass: groupOfNames\ncn: {group}\n{lines}")
    return "\n\n".join(entries) + "\n"


@dataclass
class Directory:
    uri: str

    def modify(self, ldif: str) -> None:
        subprocess.run(
            ["ldapmodify", "-x", "-H", self.uri, "-D", ADMIN_DN, "-w", ADMIN_PASSWORD],
            input=ldif,
            text=True,
            check=True,
            capture_output=True,
        )

    def remove_member(self, group: str, user: str) -> None:
        self.modify(
            f"dn: {group_dn(group)}\nchangetype: modify\ndelete: member\nmember: {user_dn(user)}\n"
        )

    def add_member(self, group: str, user: str) -> None:
        self.modify(
            f"dn: {group_dn(group)}\nchangetype: modify\nadd: member\nmember: {user_dn(user)}\n"
        )

    def settings_env(self) -> dict[str, str]:
        """The LARDER_LDAP_* environment of a Larder using this directory."""
        return {
            "LARDER_LDAP_SERVER_URI": self.uri,
            "LARDER_LDAP_BIND_DN": ADMIN_DN,
            "LARDER_LDAP_BIND_PASSWORD": ADMIN_PASSWORD,
            "LARDER_LDAP_USER_SEARCH_BASE": PEOPLE,
            "LARDER_LDAP_USER_SEARCH_FILTER": "(uid=%(user)s)",
            "LARDER_LDAP_GROUP_SEARCH_BASE": GROUPS,
            "LARDER_LDAP_GROUP_SEARCH_FILTER": "(objectClass=groupOfNames)",
            "LARDER_LDAP_GROUP_TYPE": "groupOfNames",
            "LARDER_LDAP_REQUIRE_GROUP": group_dn("larder-users"),
            "LARDER_LDAP_SUPERUSER_GROUP": group_dn("larder-admins"),
            "LARDER_LDAP_RECHECK_SECONDS": "0",
        }


def _free_port() -> int:
    from tests.e2e.conftest import free_port

    return free_port()


def start_directory(root: Path) -> tuple[subprocess.Popen, Directory]:
    if not Path(SLAPD).exists() or shutil.which("ldapadd") is None:
        pytest.fail("slapd and ldap-utils are not installed: run .ci/run", pytrace=False)
    (root / "db").mkdir(parents=True)
    config = root / "slapd.conf"
    config.write_text(
        CONFIG.format(root=root, suffix=SUFFIX, admin=ADMIN_DN, password=ADMIN_PASSWORD)
    )
    uri = f"ldap://127.0.0.1:{_free_port()}/"
    log = open(root / "slapd.log", "wb")  # noqa: SIM115 - kept open while it runs
    process = subprocess.Popen(
        [SLAPD, "-f", str(config), "-h", uri, "-d", "0"], stdout=log, stderr=subprocess.STDOUT
    )
    directory = Directory(uri)
    deadline = time.monotonic() + 20
    while True:
        probe = subprocess.run(
            ["ldapadd", "-x", "-H", uri, "-D", ADMIN_DN, "-w", ADMIN_PASSWORD],
            input=_ldif(),
            text=True,
            capture_output=True,
        )
        if probe.returncode == 0:
            return process, directory
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(
                f"slapd did not start: {probe.stderr}\n{(root / 'slapd.log').read_text()}"
            )
        time.sleep(0.2)
