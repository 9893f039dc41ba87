"""The base of every view below /api/v1/repositories/<name>/."""

from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.viewsets import GenericViewSet

from repository.api.access import readable_repository
from repository.api.filters import InRepositoryFilterBackend
from repository.api.pagination import Pages
from repository.formats import get_format
from repository.models import Package


class RepositoryScopedViewSet(GenericViewSet):
    """Loads the repository named in the URL, and checks that the caller may read it, before
    anything else: nothing below a repository answers for callers who cannot see it."""

    # readable_repository() decides who may read; views that change things check roles.
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    pagination_class = Pages
    filter_backends = [InRepositoryFilterBackend]

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.repository = readable_repository(request, kwargs["name"])
        self.format = get_format(self.repository.format)

    def package_named(self, name: str) -> Package:
        normalized = self.format.normalize_name(name)
        package = Package.objects.filter(repository=self.repository, name=normalized).first()
        if package is None:
            raise NotFound(f"no package named {name} in repository {self.repository.name}")
        return package
