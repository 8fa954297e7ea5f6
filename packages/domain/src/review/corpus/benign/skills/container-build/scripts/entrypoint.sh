#!/bin/sh
# Template entrypoint: run migrations when asked, then hand PID 1 to the app.
set -eu

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
  python -m app.migrate
fi

exec "$@"
