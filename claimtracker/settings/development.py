"""Quick-start settings: DEBUG on unless told otherwise, SQLite, eager tasks without a broker."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# Serve static files from the app folders (no collectstatic in the quick start).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
