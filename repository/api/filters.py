"""Query-string filters of the API's lists (django-filter)."""

import django_filters
from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend

from repository.models import Asset, Package, Repository, Version


class RepositoryFilter(django_filters.FilterSet):
    name = django_filters.CharFilter()
    format = django_filters.CharFilter()
    kind = django_filters.CharFilter()
    search = django_filters.CharFilter(method="filter_search", label="name or description")

    class Meta:
        model = Repository
        fields = ["name", "format", "kind"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class InRepositoryFilter(django_filters.FilterSet):
    """Filters whose package names follow the repository's format (PyPI: Foo_Bar = foo-bar)."""

    def __init__(self, *args, fmt, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.format = fmt

    def normalized(self, name: str) -> str:
        return self.format.normalize_name(name)


class InRepositoryFilterBackend(DjangoFilterBackend):
    """Hands the view's repository format to InRepositoryFilter filter sets."""

    def get_filterset_kwargs(self, request, queryset, view) -> dict:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        if issubclass(self.get_filterset_class(view, queryset) or object, InRepositoryFilter):
            kwargs["fmt"] = view.format
        return kwargs


class PackageFilter(InRepositoryFilter):
    name = django_filters.CharFilter(method="filter_name", label="exact name")
    search = django_filters.CharFilter(method="filter_search", label="part of the name")

    class Meta:
        model = Package
        fields = ["name"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(name=self.normalized(value))

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(display_name__icontains=value))


class VersionFilter(django_filters.FilterSet):
    version = django_filters.CharFilter()
    yanked = django_filters.BooleanFilter()

    class Meta:
        model = Version
        fields = ["version", "yanked"]


class AssetFilter(InRepositoryFilter):
    path = django_filters.CharFilter()
    path_prefix = django_filters.CharFilter(field_name="path", lookup_expr="startswith")
    filename = django_filters.CharFilter()
    sha256 = django_filters.CharFilter(method="filter_sha256")
    package = django_filters.CharFilter(method="filter_package", label="package name")
    version = django_filters.CharFilter(field_name="version__version")

    class Meta:
        model = Asset
        fields = ["path", "filename"]

    def filter_sha256(self, queryset, name, value):
        return queryset.filter(blob_id=value.strip().lower())

    def filter_package(self, queryset, name, value):
        return queryset.filter(package__name=self.normalized(value))
