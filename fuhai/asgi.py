import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuhai.settings")

from fuhai.startup import load_settings_or_exit

load_settings_or_exit()
application = get_asgi_application()
