"""Who may delete published versions and files: the repository's delete policy, apart
from its redeploy policy (overwriting a file with other bytes).

Formats ask deletion_refusal() before they delete (npm unpublish, generic DELETE, the
API's file and version deletion) and answer its reason in their clients' own words.
Retention policies delete whatever their rules select, whatever the delete policy.
"""

from repository.access.permissions import has_role, may_delete
from repository.models import Repository, Role

Policy = Repository.DeletePolicy


def deletion_refusal(request, repository: Repository) -> str | None:
    """Why this request may not delete in `repository`, or None when it may."""
    if repository.delete_policy == Policy.FORBIDDEN:
        return (
            f"repository {repository.name} forbids deletions: what is published stays "
            "(only its retention policies remove versions)"
        )
    if repository.delete_policy == Policy.DEPLOYERS:
        if has_role(request, repository, Role.DEPLOYER):
            return None
        return f"deleting in repository {repository.name} needs the deployer role"
    if may_delete(request, repository):
        return None
    return (
        f"deleting in repository {repository.name} needs the delete right "
        "(the repository's maintainers and admins have it)"
    )
