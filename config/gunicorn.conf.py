"""gunicorn settings for production (``gunicorn -c config/gunicorn.conf.py config.wsgi``); bench/ uses them too.

Header limits: SpinePrompt itself refuses a bearer token over 8 KB with a 401 (apps/cdshooks/security.py,
MAX_TOKEN_BYTES). gunicorn's own default refuses any header field over 8,190 bytes with 431 before the app sees it,
so a CDS Client would get a bare 431 where the spec expects 401. Accepting fields up to 16 KB here lets every
oversized token reach the app. A proxy in front must accept the same (nginx: ``large_client_header_buffers 4
16k``); docs/security.md.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
limit_request_field_size = 16384  # bytes per header field: apps.cdshooks.security.MAX_HEADER_FIELD_BYTES
limit_request_line = 8190
timeout = 30
# Never log request headers or bodies: they carry tokens and patient data. The access log is off; errors only.
accesslog = None
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
