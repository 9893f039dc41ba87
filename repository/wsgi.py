import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repository.settings")
django_application = get_wsgi_application()

from repository.cache.answers import SharedAnswerCache  # noqa: E402 - needs Django set up

application = SharedAnswerCache(django_application)
