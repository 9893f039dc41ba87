"""The policy form of the UI: fields as a person types them, checked by the policy service."""

from django import forms

from repository.models import Repository, RetentionPolicy
from repository.retention.policies import check_name, clean_fields
from repository.retention.rules import RULE_FIELDS, Rules

_DAYS = {"min_value": 0, "required": False}


class PolicyForm(forms.Form):
    name = forms.CharField(max_length=100)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    repositories = forms.ModelMultipleChoiceField(
        queryset=Repository.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    keep_newest = forms.IntegerField(label="Keep the newest N versions of each package", **_DAYS)
    older_than_days = forms.IntegerField(label="Uploaded more than D days ago", **_DAYS)
    not_downloaded_days = forms.IntegerField(
        label="Not downloaded for D days (never downloaded: since upload)", **_DAYS
    )
    releases = forms.ChoiceField(choices=RetentionPolicy.Releases.choices, required=False)
    name_glob = forms.CharField(label="Package names matching", required=False, max_length=255)
    cached_not_downloaded_days = forms.IntegerField(
        label="Proxies: evict cached files not downloaded for D days", **_DAYS
    )
    delete_last_version = forms.BooleanField(
        label="May delete a package's last remaining version", required=False
    )
    schedule = forms.CharField(label="Schedule (crontab, UTC)", required=False, max_length=100)
    enabled = forms.BooleanField(label="Run on the schedule", required=False, initial=True)

    def __init__(self, *args, policy: RetentionPolicy | None = None, **kwargs) -> None:
        self.policy = policy
        if policy is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                field: getattr(policy, field)
                for field in ("name", "description", *RULE_FIELDS, "schedule", "enabled")
            } | {"repositories": list(policy.repositories.all())}
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def policy_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["releases"] = data.get("releases") or RetentionPolicy.Releases.ANY
        data.pop("name", None)
        data.pop("repositories", None)
        return data

    def rules(self) -> Rules:
        data = self.policy_fields()
        return Rules(**{field: data[field] for field in RULE_FIELDS})

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            check_name(cleaned["name"], self.policy)
            clean_fields(self.policy_fields())
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return cleaned
