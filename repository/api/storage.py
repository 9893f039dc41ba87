"""Storage figures: per repository for its admins, all of them for global admins."""

from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from repository.api.access import readable_repository, require_global_admin, require_role
from repository.models import Repository, Role
from repository.retention.figures import Figures, figures


def figures_json(found: Figures) -> dict:
    repository = found.repository
    return {
        "repository": repository.name,
        "stored_bytes": found.stored_bytes,
        "unique_bytes": found.unique_bytes,
        "trash_bytes": found.trash_bytes,
        "packages": found.packages,
        "versions": found.versions,
        "files": found.files,
        "growth_bytes_per_day": found.growth_per_day,
        "quota_bytes": repository.quota_bytes,
        "soft_quota_bytes": repository.soft_quota_bytes,
        "over_soft_quota": found.over_soft_quota,
        "history": [
            {"day": day.isoformat(), "stored_bytes": stored} for day, stored in found.history
        ],
    }


class AllStorage(APIView):
    permission_classes = [AllowAny]

    def get(self, request) -> Response:
        require_global_admin(request, "see every repository's storage")
        rows = figures(list(Repository.objects.order_by("name")))
        return Response({"results": [figures_json(found) for found in rows]})


class RepositoryStorage(APIView):
    permission_classes = [AllowAny]

    def get(self, request, name: str) -> Response:
        repository = readable_repository(request, name)
        require_role(request, repository, Role.ADMIN, f"see the storage of {name}")
        return Response(figures_json(figures([repository])[0]))
