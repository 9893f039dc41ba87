"""django-auth-ldap's settings, built from LARDER_LDAP_* (docs/authentication.md lists them).

settings.py calls configure() only when LARDER_LDAP_SERVER_URI is set: python-ldap is an
optional dependency (`pip install larder[ldap]`, which needs libldap2-dev and libsasl2-dev
to build).
"""

from django.core.exceptions import ImproperlyConfigured

from repository.env import env_bool, env_int, env_str

GROUP_TYPES = {
    "groupOfNames": "GroupOfNamesType",
    "groupOfUniqueNames": "GroupOfUniqueNamesType",
    "posixGroup": "PosixGroupType",
    "activeDirectory": "NestedActiveDirectoryGroupType",
}


def configure() -> dict:
    try:
        import ldap
        from django_auth_ldap import config
    except ImportError as exc:
        raise ImproperlyConfigured(
            "LARDER_LDAP_SERVER_URI is set but django-auth-ldap is not installed:"
            " pip install 'larder[ldap]' (it needs libldap2-dev and libsasl2-dev)"
        ) from exc

    values: dict = {
        "AUTH_LDAP_SERVER_URI": env_str("LARDER_LDAP_SERVER_URI"),
        "AUTH_LDAP_BIND_DN": env_str("LARDER_LDAP_BIND_DN"),
        "AUTH_LDAP_BIND_PASSWORD": env_str("LARDER_LDAP_BIND_PASSWORD"),
        "AUTH_LDAP_START_TLS": env_bool("LARDER_LDAP_START_TLS", False),
        "AUTH_LDAP_USER_ATTR_MAP": {"first_name": "givenName", "last_name": "sn", "email": "mail"},
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_CACHE_TIMEOUT": env_int("LARDER_LDAP_CACHE_SECONDS", 0),
        "AUTH_LDAP_CONNECTION_OPTIONS": {ldap.OPT_REFERRALS: 0},
    }
    ca_file = env_str("LARDER_LDAP_CA_FILE")
    if ca_file:
        values["AUTH_LDAP_CONNECTION_OPTIONS"].update(
            {
                ldap.OPT_X_TLS_CACERTFILE: ca_file,
                ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_DEMAND,
                ldap.OPT_X_TLS_NEWCTX: 0,  # must come last: applies the options above
            }
        )
    template = env_str("LARDER_LDAP_USER_DN_TEMPLATE")
    search_base = env_str("LARDER_LDAP_USER_SEARCH_BASE")
    if bool(template) == bool(search_base):
        raise ImproperlyConfigured(
            "LDAP needs exactly one of LARDER_LDAP_USER_DN_TEMPLATE and"
            " LARDER_LDAP_USER_SEARCH_BASE"
        )
    if template:
        values["AUTH_LDAP_USER_DN_TEMPLATE"] = template
    else:
        values["AUTH_LDAP_USER_SEARCH"] = config.LDAPSearch(
            search_base,
            ldap.SCOPE_SUBTREE,
            env_str("LARDER_LDAP_USER_SEARCH_FILTER", "(uid=%(user)s)"),
        )
    group_base = env_str("LARDER_LDAP_GROUP_SEARCH_BASE")
    if group_base:
        group_type = env_str("LARDER_LDAP_GROUP_TYPE", "groupOfNames")
        if group_type not in GROUP_TYPES:
            raise ImproperlyConfigured(
                f"LARDER_LDAP_GROUP_TYPE={group_type!r}: use one of {', '.join(GROUP_TYPES)}"
            )
        values["AUTH_LDAP_GROUP_SEARCH"] = config.LDAPSearch(
            group_base,
            ldap.SCOPE_SUBTREE,
            env_str("LARDER_LDAP_GROUP_SEARCH_FILTER", "(objectClass=*)"),
        )
        values["AUTH_LDAP_GROUP_TYPE"] = getattr(config, GROUP_TYPES[group_type])()
        values["AUTH_LDAP_MIRROR_GROUPS"] = env_bool("LARDER_LDAP_MIRROR_GROUPS", True)
    for name in ("REQUIRE_GROUP", "DENY_GROUP"):
        dn = env_str(f"LARDER_LDAP_{name}")
        if dn:
            values[f"AUTH_LDAP_{name}"] = dn
    superusers = env_str("LARDER_LDAP_SUPERUSER_GROUP")
    if superusers:
        values["AUTH_LDAP_USER_FLAGS_BY_GROUP"] = {
            "is_superuser": superusers,
            "is_staff": superusers,
        }
    if (values.get("AUTH_LDAP_REQUIRE_GROUP") or superusers) and not group_base:
        raise ImproperlyConfigured(
            "LARDER_LDAP_REQUIRE_GROUP, _DENY_GROUP and _SUPERUSER_GROUP need"
            " LARDER_LDAP_GROUP_SEARCH_BASE"
        )
    return values
