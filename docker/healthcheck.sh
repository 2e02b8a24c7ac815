#!/usr/bin/env bash
# Container health probe of the Silo and Api images: GET http://127.0.0.1:<port><path> (path default /health/live),
# healthy when the answer's status is 200.
#
# Why not curl or wget: the mcr.microsoft.com/dotnet/aspnet image ships neither, and installing one adds a package,
# its dependencies and their security updates to every image for the sake of one request. bash (which the image has)
# opens TCP connections through /dev/tcp, and one HTTP/1.1 request line is all a probe needs.
#
# The port is the first of ASPNETCORE_HTTP_PORTS (set to 8080 by the aspnet image), the one Kestrel listens on.
set -euo pipefail

path="${1:-/health/live}"
ports="${ASPNETCORE_HTTP_PORTS:-8080}"
port="${ports%%[,;]*}"

exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r status <&3 || status=""
exec 3<&-
status="${status%$'\r'}"

case "$status" in
  "HTTP/1.1 200 "* | "HTTP/1.0 200 "* | "HTTP/1.1 200" | "HTTP/1.0 200") exit 0 ;;
  *)
    echo "unhealthy: GET ${path} on port ${port} answered '${status}'" >&2
    exit 1
    ;;
esac
