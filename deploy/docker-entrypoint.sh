#!/bin/bash
# The image's entry point: eventseries silo|api|migrate|bootstrap|reencrypt-secrets|healthcheck [arguments...]
# Arguments after the command go to the process (configuration, e.g. --Orleans:SiloPort 11112).
set -euo pipefail
command=${1:-silo}
[ $# -gt 0 ] && shift
case "$command" in
  silo) exec dotnet /app/silo/EventSeries.Silo.dll "$@" ;;
  api) exec dotnet /app/api/EventSeries.Api.dll "$@" ;;
  migrate | bootstrap | reencrypt-secrets) exec dotnet /app/silo/EventSeries.Silo.dll "$command" "$@" ;;
  healthcheck)
    # GET /health/ready on the container's own HTTP port (the image has no curl).
    port=${ASPNETCORE_URLS##*:}
    exec 3<>"/dev/tcp/127.0.0.1/${port%%/*}"
    printf 'GET /health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
    read -r -t 3 _ status _ <&3
    [ "$status" = 200 ]
    ;;
  *) echo "usage: eventseries silo|api|migrate|bootstrap|reencrypt-secrets|healthcheck [arguments...]" >&2; exit 2 ;;
esac
