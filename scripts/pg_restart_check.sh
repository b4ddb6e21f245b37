#!/usr/bin/env bash
# Stop and restart the real PostgreSQL under a running gunicorn and show that Randnotiz recovers:
# 200 before, the 503 page (Retry-After) with /healthz 200 and /readyz 503 while it is down, and
# 200 again after it returns, with no restart of the app server.
#
# OPT-IN AND DISRUPTIVE: it stops the machine's PostgreSQL cluster for a few seconds, so every
# other user of that server (other checkouts' tests, other apps) sees it go away. Run it only
# when nobody else uses the server:  make pg-restart-check
#
# Needs: root (pg_ctlcluster), curl, DATABASE_URL=postgres://... pointing at that server.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL=postgres://user@127.0.0.1:5432/name}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "DATABASE_URL must be PostgreSQL" >&2; exit 1;; esac
PYTHON=${PYTHON:-.venv/bin/python}
PORT=${PORT:-8765}
BASE="http://127.0.0.1:$PORT"
CLUSTER_VERSION=$(ls /etc/postgresql)
export DJANGO_SETTINGS_MODULE=tests.settings ALLOWED_HOSTS=127.0.0.1 CONN_MAX_AGE=600 DATABASE_CONNECT_TIMEOUT=3

status() { curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$BASE$1"; }
expect() {  # expect PATH CODE
  local got; got=$(status "$1")
  if [ "$got" != "$2" ]; then echo "FAIL: $1 answered $got, expected $2" >&2; exit 1; fi
  echo "ok: $1 -> $got"
}
start_postgres() { pg_ctlcluster --skip-systemctl-redirect "$CLUSTER_VERSION" main start 2>/dev/null || true; }

"$PYTHON" manage.py migrate --no-input -v0
"$PYTHON" -m gunicorn project.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level warning &
GUNICORN=$!
# Whatever happens, PostgreSQL is started again and gunicorn stopped.
trap 'start_postgres; kill "$GUNICORN" 2>/dev/null || true; wait "$GUNICORN" 2>/dev/null || true' EXIT

for _ in $(seq 50); do [ "$(status /healthz)" = 200 ] && break; sleep 0.2; done
expect / 200
expect /readyz 200

echo "stopping PostgreSQL $CLUSTER_VERSION/main"
pg_ctlcluster --skip-systemctl-redirect "$CLUSTER_VERSION" main stop
expect / 503
retry_after=$(curl -s -D - -o /dev/null --max-time 20 "$BASE/" | tr -d '\r' | awk -F': ' 'tolower($1)=="retry-after"{print $2}')
[ -n "$retry_after" ] || { echo "FAIL: no Retry-After on the 503 page" >&2; exit 1; }
echo "ok: Retry-After: $retry_after"
expect /healthz 200
expect /readyz 503
expect /static/articleapp/css/site.css 200

echo "starting PostgreSQL again"
start_postgres
for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
for _ in $(seq 25); do [ "$(status /readyz)" = 200 ] && break; sleep 0.2; done
expect /readyz 200
expect / 200
echo "recovered without restarting the app server"
