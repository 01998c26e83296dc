"""gunicorn settings for the web app, shipped in the package so an installed wheel has them.

    gunicorn -c python:sar_service.gunicorn_conf 'sar_service.app:create_app()'

Read from the environment (the same file systemd or the Procfile gives the app):
``PORT`` (8000) and ``HOST`` (127.0.0.1; put a TLS proxy in front), or ``GUNICORN_BIND``;
``WEB_CONCURRENCY`` worker processes (4); ``GUNICORN_THREADS`` per worker (1).
The 30 s timeout is above the database statement timeout (10 s), so a slow
database gives the app's 503, not a killed worker.
"""

import os

bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"
)
workers = int(os.environ.get("WEB_CONCURRENCY") or 4)
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows for weeks.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# Only the local proxy may say which scheme the client used.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1"
proc_name = "sar-web"
# The path without its query string (%(U)s) and no referrer: the "confirm it was you" token
# travels in the query and must not be written to a log.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s" %(s)s %(b)s "%(a)s"'
