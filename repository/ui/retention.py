"""Retention pages: policies (list, create, edit with a live preview, run now, delete) and
their runs. For admins of all repositories; the work is repository/retention/'s."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from repository.models import PolicyRun, RetentionPolicy
from repository.retention import policies
from repository.retention.preview import Cursor, action, csv_rows, page, policy_scope
from repository.retention.rules import Rules
from repository.retention.run import queue_run
from repository.retention.schedules import next_run
from repository.retention.tasks import execute_run
from repository.ui.access import for_global_admins
from repository.ui.policy_form import PolicyForm

PREVIEW_ROWS = 50
RUNS_SHOWN = 20


def _policy(pk: int) -> RetentionPolicy:
    found = RetentionPolicy.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("no such policy")
    return found


@for_global_admins
@require_safe
def policy_list(request: HttpRequest) -> HttpResponse:
    last_runs = PolicyRun.objects.filter(policy=OuterRef("pk")).order_by("-created", "-pk")
    rows = list(
        RetentionPolicy.objects.prefetch_related("repositories")
        .annotate(
            last_status=Subquery(last_runs.values("status")[:1]),
            last_run=Subquery(last_runs.values("created")[:1]),
        )
        .order_by("name")
    )
    for policy in rows:
        policy.summary = Rules.of(policy).summary()
        policy.next_run = next_run(policy)
    return render(request, "ui/retention/policy_list.html", {"policies": rows})


def _save(request: HttpRequest, form: PolicyForm) -> RetentionPolicy | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    fields = form.policy_fields()
    try:
        if form.policy is None:
            return policies.create_policy(
                data["name"], repositories=list(data["repositories"]), request=request, **fields
            )
        return policies.update_policy(
            form.policy,
            name=data["name"],
            repositories=list(data["repositories"]),
            request=request,
            **fields,
        )
    except ValueError as exc:
        form.add_error(None, str(exc))
        return None


def _editor(request: HttpRequest, form: PolicyForm, policy: RetentionPolicy | None):
    context = {"form": form, "policy": policy, "preview": _preview(form, Cursor(), _query(form))}
    if policy is not None:
        context["runs"] = policy.runs.select_related("actor")[:RUNS_SHOWN]
        context["next_run"] = next_run(policy)
    return render(request, "ui/retention/policy_form.html", context)


@for_global_admins
@require_http_methods(["GET", "POST"])
def policy_new(request: HttpRequest) -> HttpResponse:
    form = PolicyForm(request.POST or None)
    if request.method == "POST" and (policy := _save(request, form)):
        messages.success(request, f"Policy {policy.name} created.")
        return redirect("ui:policy-edit", pk=policy.pk)
    return _editor(request, form, None)


@for_global_admins
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(pk)
    form = PolicyForm(request.POST or None, policy=policy)
    if request.method == "POST" and _save(request, form):
        messages.success(request, f"Policy {policy.name} saved.")
        return redirect("ui:policy-edit", pk=policy.pk)
    return _editor(request, form, policy)


@for_global_admins
@require_POST
def policy_run(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(pk)
    dry_run = request.POST.get("dry_run") == "1"
    run = queue_run(policy, trigger="ui", actor=request.user, dry_run=dry_run)
    transaction.on_commit(lambda: execute_run.delay(run.pk))
    messages.success(request, f"{'Dry run' if dry_run else 'Run'} of {policy.name} started.")
    return redirect("ui:run-detail", pk=run.pk)


@for_global_admins
@require_POST
def policy_delete(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(pk)
    policies.delete_policy(policy, request=request)
    messages.success(request, f"Policy {policy.name} deleted.")
    return redirect("ui:policy-list")


class PreviewForm(PolicyForm):
    """The rules being edited; a name is not needed to see what they would delete."""

    name = forms.CharField(required=False)

    def clean(self) -> dict:
        cleaned = forms.Form.clean(self)
        if not self.errors:
            try:
                self.rules().check()
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from None
        return cleaned


def _query(form: PolicyForm) -> QueryDict:
    """What the preview page needs to show the same rules again."""
    query = form.data.copy() if form.is_bound else QueryDict(mutable=True)
    query.pop("csrfmiddlewaretoken", None)
    if form.policy is not None:
        query["policy"] = str(form.policy.pk)
    return query


def _preview(form: PolicyForm, cursor: Cursor, query: QueryDict) -> dict:
    """The first rows a run of the form's rules would remove now, or why there are none."""
    preview = PreviewForm(form.data) if form.is_bound else None
    if preview is None:
        if form.policy is None:
            return {"message": "Set some rules and choose repositories to see what they select."}
        rules, repositories = policy_scope(form.policy)
    elif not preview.is_valid():
        return {"message": " ".join(preview.non_field_errors()) or "Fix the fields above."}
    else:
        rules, repositories = preview.rules(), list(preview.cleaned_data["repositories"])
    if not repositories:
        return {"message": "Choose the repositories the policy applies to."}
    found = page(rules, repositories, cursor, PREVIEW_ROWS)
    next_url = None
    if found.next is not None:
        query = query.copy()
        query.pop("fragment", None)
        query["cursor"] = found.next.encode()
        next_url = f"{reverse('ui:policy-preview')}?{query.urlencode()}"
    return {
        "items": found.items,
        "action": action(rules),
        "next_url": next_url,
        "size": sum(item.size for item in found.items),
        "reclaimed": sum(item.reclaimed for item in found.items),
    }


@for_global_admins
@require_safe
def preview(request: HttpRequest) -> HttpResponse:
    """The live preview of the editor (a fragment), or a page of it of its own."""
    try:
        cursor = Cursor.decode(request.GET.get("cursor"))
    except ValueError:
        cursor = Cursor()
    policy_id = request.GET.get("policy")
    policy = _policy(int(policy_id)) if policy_id and policy_id.isdigit() else None
    edited = set(request.GET) - {"cursor", "fragment", "policy"}
    form = PolicyForm(request.GET if edited or policy is None else None, policy=policy)
    context = {"preview": _preview(form, cursor, request.GET), "policy": policy}
    if request.GET.get("fragment"):
        return render(request, "ui/retention/_preview.html", context)
    return render(request, "ui/retention/preview.html", context)


@for_global_admins
@require_safe
def preview_csv(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(pk)
    response = StreamingHttpResponse(csv_rows(*policy_scope(policy)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="preview-{policy.pk}.csv"'
    return response


@for_global_admins
@require_safe
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = PolicyRun.objects.select_related("policy", "actor").filter(pk=pk).first()
    if run is None:
        raise Http404("no such run")
    running = run.status in (PolicyRun.Status.QUEUED, PolicyRun.Status.RUNNING)
    return render(request, "ui/retention/run_detail.html", {"run": run, "running": running})
