#!/usr/bin/env bash
# Runs EventSeries: one silo serving the HTTP API on http://127.0.0.1:5000.
# With no ConnectionStrings__EventSeries set, it provisions a private PostgreSQL in .data/postgres
# (installing Debian's package if missing) and keeps its data across runs.
#   ./run.sh                                            start the system
#   ./run.sh bootstrap --organization "Acme" --owner "Alice"   create the first organization, print a token
#   ./run.sh migrate                                    apply database migrations and exit
#   ./run.sh --urls http://127.0.0.1:5001 --Orleans:SiloPort 11112 --Orleans:GatewayPort 30001   another silo
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${ConnectionStrings__EventSeries:-}" ]; then
  scripts/ensure-postgres.sh
fi
dotnet build src/Silo -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet run --project src/Silo -c Release --no-build -- "$@"
