"""The core model, re-exported so callers import from one place."""

from repository.models.access import ROLE_RANK, ApiToken, ExternalIdentity, RepositoryRole, Role
from repository.models.audit import AuditEvent
from repository.models.blobs import Blob
from repository.models.documents import RenderedDocument
from repository.models.figures import StorageSnapshot
from repository.models.packages import Asset, Package, Sidecar, Tag, Version
from repository.models.repositories import Repository
from repository.models.retention import PolicyRun, RetentionPolicy, VersionPin
from repository.models.trash import TrashBlob, TrashEntry

__all__ = [
    "ROLE_RANK",
    "ApiToken",
    "Asset",
    "AuditEvent",
    "Blob",
    "ExternalIdentity",
    "Package",
    "PolicyRun",
    "RenderedDocument",
    "Repository",
    "RepositoryRole",
    "RetentionPolicy",
    "Role",
    "Sidecar",
    "StorageSnapshot",
    "Tag",
    "TrashBlob",
    "TrashEntry",
    "Version",
    "VersionPin",
]
