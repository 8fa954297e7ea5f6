#!/usr/bin/env bash
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL (see .env.example)}"

host=$(python3 -c 'import sys, urllib.parse as u; print(u.urlparse(sys.argv[1]).hostname or "")' "$DATABASE_URL")
case "$host" in
  localhost|127.0.0.1|db) ;;
  *) echo "refusing to migrate a non-local database ($host)" >&2; exit 1 ;;
esac

if [ -f alembic.ini ]; then
  alembic upgrade head
  alembic current
elif [ -f prisma/schema.prisma ]; then
  npx prisma migrate deploy
else
  echo "no alembic.ini or prisma/schema.prisma found" >&2
  exit 1
fi
