"""Django admin for operators: every change goes through the same services as the API and
the CLI, so it is validated and audited alike.

Stored content (packages, versions, files, blobs, tags) is read-only here; deleting goes
through the package services, which keep the served documents in step. Tokens are never
created here (their secret could not be shown safely): the API or `larder token create`
makes them; the admin lists and revokes them. The audit trail is read-only.
"""

from operator import attrgetter

from django import forms
from django.contrib import admin, messages
from django.db import transaction

from repository.audit import record
from repository.formats import all_formats
from repository.models import (
    ApiToken,
    Asset,
    AuditEvent,
    Blob,
    Package,
    Repository,
    RepositoryRole,
    Tag,
    Version,
)
from repository.services import packages as package_services
from repository.services.groups import groups_with_member
from repository.services.repositories import (
    EDITABLE_FIELDS,
    check_changes,
    check_new_repository,
    create_repository,
    delete_repository,
    public_settings,
    update_repository,
)
from repository.services.tokens import revoke_api_token


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never edited or added here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RepositoryForm(forms.ModelForm):
    format = forms.ChoiceField()
    kind = forms.ChoiceField(choices=Repository.Kind.choices)

    class Meta:
        model = Repository
        fields = ["name", "format", "kind", "description", "anonymous_read"]
        fields += ["redeploy_policy", "delete_policy", "trash_days", "quota_bytes"]
        fields += ["soft_quota_bytes", "settings"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "format" in self.fields:  # absent when changing: fixed for life
            self.fields["format"].choices = [(fmt.name, fmt.label) for fmt in all_formats()]
        if self.instance.pk is not None:  # upstream credentials are never shown
            self.initial["settings"] = public_settings(self.instance.settings)

    def editable_values(self) -> dict:
        return {field: self.cleaned_data[field] for field in EDITABLE_FIELDS}

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            if self.instance.pk is None:
                check_new_repository(
                    cleaned["name"], cleaned["format"], cleaned["kind"], **self.editable_values()
                )
            else:
                check_changes(self.instance, **self.editable_values())
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return cleaned


@admin.register(Repository)
class RepositoryAdmin(admin.ModelAdmin):
    form = RepositoryForm
    list_display = ["name", "format", "kind", "anonymous_read", "redeploy_policy", "delete_policy"]
    list_display += ["quota_bytes"]
    list_filter = ["format", "kind", "anonymous_read", "redeploy_policy", "delete_policy"]
    search_fields = ["name", "description"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return ["name", "format", "kind"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        """Not while a group lists it among its members (delete_repository refuses too)."""
        if obj is not None and groups_with_member(obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        values = form.editable_values()
        private = not form.cleaned_data["anonymous_read"]
        if change:
            current = Repository.objects.get(pk=obj.pk)
            update_repository(current, private=private, request=request, **values)
            return
        created = create_repository(
            obj.name, obj.format, kind=obj.kind, private=private, request=request, **values
        )
        obj.pk = created.pk

    def delete_model(self, request, obj) -> None:
        delete_repository(obj, request=request)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        for repository in queryset:
            delete_repository(repository, request=request)


class DeletesThroughServices(ReadOnlyAdmin):
    """Deletes with the package service (served documents follow) and an audit event."""

    # The package service that deletes one object, and the path from it to its repository.
    delete_with = None
    repository_path = "repository"

    def delete_model(self, request, obj) -> None:
        repository = attrgetter(self.repository_path)(obj)
        target = str(obj)
        with transaction.atomic():
            type(self).delete_with(obj)
            action = f"{self.model._meta.model_name}.delete"
            record(request, action, repository=repository, target=target, via="admin")

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def get_deleted_objects(self, objs, request):
        """Tags go with their version, and the format re-derives them (npm's `latest`
        moves on): deleting a tagged version needs no right to delete tags by hand."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed - {Tag._meta.verbose_name}, protected


@admin.register(Package)
class PackageAdmin(DeletesThroughServices):
    list_display = ["display_name", "repository", "created", "updated"]
    list_filter = ["repository__format"]
    list_select_related = ["repository"]
    search_fields = ["name", "display_name", "repository__name"]
    exclude = ["generation"]

    delete_with = package_services.delete_package


@admin.register(Version)
class VersionAdmin(DeletesThroughServices):
    list_display = ["package", "version", "yanked", "created", "download_count"]
    list_filter = ["yanked", "package__repository__format"]
    list_select_related = ["package", "package__repository"]
    search_fields = ["version", "package__name", "package__repository__name"]
    actions = ["yank", "unyank"]

    delete_with = package_services.delete_version
    repository_path = "package.repository"

    def has_yank_permission(self, request) -> bool:
        return request.user.has_perm("repository.change_version")

    def _set_yanked(self, request, queryset, yanked: bool) -> None:
        with transaction.atomic():
            for version in queryset.select_related("package__repository"):
                package_services.set_yanked(version, yanked)
                action = "version.yank" if yanked else "version.unyank"
                record(
                    request,
                    action,
                    repository=version.package.repository,
                    target=str(version),
                    via="admin",
                )
        self.message_user(
            request,
            f"{'Yanked' if yanked else 'Un-yanked'} {queryset.count()} version(s).",
            messages.SUCCESS,
        )

    @admin.action(description="Yank the selected versions", permissions=["yank"])
    def yank(self, request, queryset) -> None:
        self._set_yanked(request, queryset, True)

    @admin.action(description="Un-yank the selected versions", permissions=["yank"])
    def unyank(self, request, queryset) -> None:
        self._set_yanked(request, queryset, False)


@admin.register(Asset)
class AssetAdmin(DeletesThroughServices):
    list_display = ["path", "repository", "filename", "created", "download_count"]
    list_filter = ["repository"]
    list_select_related = ["repository"]
    search_fields = ["path", "filename", "blob__sha256"]

    delete_with = package_services.delete_asset


@admin.register(Blob)
class BlobAdmin(ReadOnlyAdmin):
    """Blobs are removed by garbage collection once no asset refers to them."""

    list_display = ["sha256", "size", "created", "last_seen"]
    search_fields = ["sha256", "md5", "sha1"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    list_display = ["package", "name", "version"]
    list_select_related = ["package", "version"]
    search_fields = ["name", "package__name"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RepositoryRole)
class RepositoryRoleAdmin(admin.ModelAdmin):
    """Grants: a user or a group holds a role on one repository, or on all of them."""

    list_display = ["__str__", "role", "user", "group", "repository", "created"]
    list_filter = ["role"]
    list_select_related = ["user", "group", "repository"]
    search_fields = ["user__username", "group__name", "repository__name"]
    autocomplete_fields = ["user", "group", "repository"]

    def save_model(self, request, obj, form, change) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record(
                request,
                "role.change" if change else "role.grant",
                repository=obj.repository,
                target=str(obj),
                via="admin",
            )

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            target, repository = str(obj), obj.repository
            super().delete_model(request, obj)
            record(request, "role.revoke", repository=repository, target=target, via="admin")

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        for grant in queryset.select_related("user", "group", "repository"):
            self.delete_model(request, grant)


TOKEN_HINT = (
    "Create tokens with the API (POST /api/v1/tokens/) or `larder token create`: the token "
    "is shown only then. Only a hash of it is kept, so it cannot be shown here."
)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = [
        "prefix",
        "name",
        "user",
        "readonly",
        "created",
        "expires",
        "last_used",
        "revoked",
    ]
    list_filter = ["readonly", ("revoked", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["prefix", "name", "user__username"]
    fields = ["prefix", "name", "user", "readonly", "repositories", "created", "expires"]
    fields += ["last_used", "revoked"]
    actions = ["revoke"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_revoke_permission(self, request) -> bool:
        return request.user.has_perm("repository.change_apitoken")

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "subtitle": TOKEN_HINT})

    @admin.action(description="Revoke the selected tokens", permissions=["revoke"])
    def revoke(self, request, queryset) -> None:
        tokens = list(queryset.filter(revoked__isnull=True).select_related("user"))
        with transaction.atomic():
            for token in tokens:
                revoke_api_token(token, request=request)
        self.message_user(request, f"Revoked {len(tokens)} token(s).", messages.SUCCESS)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created", "actor", "action", "repository_name", "target", "remote_addr"]
    list_filter = ["action"]
    list_select_related = ["actor"]
    search_fields = ["action", "target", "repository_name", "actor__username"]
    date_hierarchy = "created"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
