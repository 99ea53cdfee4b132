"""WSGI entry point (gunicorn tiendo.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")
application = get_wsgi_application()
