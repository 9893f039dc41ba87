"""The core model, re-exported so callers import from one place."""

from repository.models.access import ROLE_RANK, ApiToken, ExternalIdentity, RepositoryRole, Role
from repository.models.audit import AuditEvent
from repository.models.blobs import Blob
from repository.models.documents import RenderedDocument
from repository.models.packages import Asset, Package, Sidecar, Tag, Version
from repository.models.repositories import Repository

__all__ = [
    "ROLE_RANK",
    "ApiToken",
    "Asset",
    "AuditEvent",
    "Blob",
    "ExternalIdentity",
    "Package",
    "RenderedDocument",
    "Repository",
    "RepositoryRole",
    "Role",
    "Sidecar",
    "Tag",
    "Version",
]
