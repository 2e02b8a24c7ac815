#!/usr/bin/env bash
# Runs every test of Gnlc.Orleans on a fresh Debian machine with the .NET 10 SDK:
# installs PostgreSQL and docker-compose when they are missing, builds once, runs each test
# project, and ends with one line "N passed, N failed, N skipped" summed over all of them.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

have_postgres() {
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

# Debian packages the tests need: PostgreSQL (storage and cluster tests) and docker-compose, whose
# "config" validates docker/compose.yaml in the operations tests (no container engine is needed for that).
missing=()
have_postgres || missing+=(postgresql)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Not found: ${missing[*]}: installing Debian's package(s)" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

results=".test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build Gnlc.Orleans.sln -c Release -warnaserror --nologo -v minimal

status=0
mapfile -t projects < <(find tests -name '*.Tests.csproj' | sort)
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  echo "::: $name"
  if ! dotnet test "$project" -c Release --no-build --nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
      --results-directory "$results" -- RunConfiguration.TreatNoTestsAsError=true; then
    status=1
  fi
  # A crashed test host writes no results: count the project as one failure.
  if [ ! -f "$results/$name.trx" ]; then
    echo "no results from $name" >&2
    echo '<Counters total="1" executed="1" passed="0" failed="1" />' > "$results/$name.missing.trx"
    status=1
  fi
done

# Name each failed test and its message's first line here, next to the closing line: a long log is often
# seen only by its end.
awk '
  /outcome="Failed"/ {
    if (match($0, /testName="[^"]*"/)) { name = substr($0, RSTART + 10, RLENGTH - 11); gsub(/&quot;/, "\"", name) }
    want = 1
  }
  want && /<Message>/ {
    line = $0; sub(/.*<Message>/, "", line); sub(/<\/Message>.*/, "", line)
    print "FAILED " name ": " line
    want = 0
  }' "$results"/*.trx

# Sum the TRX counters of every project into the one closing line.
awk '
  /<Counters / {
    for (i = 1; i <= NF; i++) {
      if (split($i, kv, "=") == 2) { gsub(/[^0-9]/, "", kv[2]); c[kv[1]] += kv[2] }
    }
  }
  END {
    failed = c["failed"] + c["error"] + c["timeout"] + c["aborted"]
    skipped = c["total"] - c["passed"] - failed
    if (skipped < 0) skipped = 0
    printf "%d passed, %d failed, %d skipped\n", c["passed"], failed, skipped
  }' "$results"/*.trx

exit $status
