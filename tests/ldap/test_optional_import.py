"""Larder without LDAP settings never imports python-ldap (an optional extra that needs system
libraries to build): settings, URLs, the middleware and a sign-in all run without it."""

import os
import subprocess
import sys

from tests.e2e.conftest import database_url

CODE = """
import sys, django
django.setup()
from django.test import Client
from django.urls import resolve
resolve("/login/")
Client().post("/login/", {"username": "nobody", "password": "x"})
print(sorted(name for name in sys.modules if name == "ldap" or name.startswith("django_auth_ldap")))
"""


def test_ldap_is_not_imported_without_ldap_settings(transactional_db):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LARDER_LDAP_")}
    env["DJANGO_SETTINGS_MODULE"] = "repository.settings"
    env["DATABASE_URL"] = database_url()  # this test's database
    result = subprocess.run(
        [sys.executable, "-c", CODE], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
