"""Quick-start settings: SQLite, eager tasks without a broker, DEBUG only when asked."""

from .base import *  # noqa: F403
from .base import env

# Off even here: the quick start may be reachable by others, and DEBUG pages show tracebacks
# and settings. DJANGO_DEBUG=1 turns it on for local debugging.
DEBUG = env.bool("DJANGO_DEBUG", default=False)

# Serve static files from the app folders (no collectstatic in the quick start).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
