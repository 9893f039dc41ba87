"""The UI's forms: they parse and check input; services do the work."""

from django import forms

from repository.models import Role

EXPIRY_CHOICES = [("30", "30 days"), ("7", "7 days"), ("90", "90 days"), ("365", "1 year")]
EXPIRY_CHOICES += [("", "Never")]


class TokenForm(forms.Form):
    name = forms.CharField(max_length=128, required=False, label="Name")
    expires_in_days = forms.ChoiceField(
        choices=EXPIRY_CHOICES, required=False, initial="30", label="Expires"
    )
    readonly = forms.BooleanField(required=False, label="Read-only (installs and downloads)")
    repositories = forms.MultipleChoiceField(
        required=False,
        label="Limit to these repositories (none: every repository you can reach)",
        widget=forms.CheckboxSelectMultiple,
    )
    setup_repository = forms.ChoiceField(required=False, label="Show client setup for repository")

    def __init__(self, *args, repository_names: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(name, name) for name in repository_names]
        self.fields["repositories"].choices = choices
        self.fields["setup_repository"].choices = [("", "—"), *choices]

    def clean_expires_in_days(self) -> int | None:
        value = self.cleaned_data["expires_in_days"]
        return int(value) if value else None


class GrantForm(forms.Form):
    SUBJECTS = [("user", "User"), ("group", "Group")]
    subject_type = forms.ChoiceField(choices=SUBJECTS, label="Grant to")
    subject = forms.CharField(max_length=150, label="User or group name")
    role = forms.ChoiceField(choices=Role.choices, label="Role")


class NewUserForm(forms.Form):
    username = forms.CharField(max_length=150, label="User name")
    email = forms.EmailField(required=False, label="Email")
    password = forms.CharField(widget=forms.PasswordInput, label="Password")


class PasswordForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput, label="New password")


class GroupForm(forms.Form):
    name = forms.CharField(max_length=150, label="Group name")


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150, label="User name")
