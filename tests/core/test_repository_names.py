import pytest
from django.db import IntegrityError

from repository.models import Repository


def test_it_refuses_two_repositories_whose_names_differ_only_in_case(db):
    Repository.objects.create(name="Releases", format="generic")
    with pytest.raises(IntegrityError):
        Repository.objects.create(name="releases", format="generic")
