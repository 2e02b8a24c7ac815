#!/usr/bin/env bash
# bench/run.sh: the one command that reproduces every benchmark figure of docs/BENCHMARKS.md.
#
#   ./bench/run.sh                 # full run (about 15-20 minutes on 2 cores)
#   BENCH_QUICK=1 ./bench/run.sh   # smoke run of the harness (short durations, fewer cities and subscribers)
#   BENCH_SCALE=10000,100000 ./bench/run.sh   # also grow to 100,000 registered cities (long)
#
# Builds Release into bench/.artifacts (not the projects' own bin/obj, so it never races a developer's build),
# starts a throwaway PostgreSQL under /tmp and the bare Kestrel baseline, runs every workload against the system in
# embedded mode (one process, SQLite) and in clustered mode (Silo and Api as separate processes on PostgreSQL), each
# with both baselines (bare Kestrel, raw Npgsql upserts) measured right before its reads and writes, then the
# BenchmarkDotNet micro-benchmarks; prints the results table with ratios and the targets, and stops everything
# it started. Results: bench/.results/<timestamp>/ (results.md, results.jsonl,
# logs, BenchmarkDotNet reports). Every setting below can be overridden from the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  : "${BENCH_WARMUP:=1}" "${BENCH_READ_WARMUP:=2}" "${BENCH_READ_PAIRS:=1}" "${BENCH_SETTLE:=2}" "${BENCH_DURATION:=3}" "${BENCH_SEED_CITIES:=600}" "${BENCH_SUBMIT_CITIES:=200}"
  : "${BENCH_MIXED_CITIES:=100}" "${BENCH_FEED_SUBSCRIBERS:=100}" "${BENCH_FEED_SECONDS:=5}"
  : "${BENCH_IDLE_SUBSCRIBERS:=1000}" "${BENCH_IDLE_HOLD:=5}" "${BENCH_SCALE:=1000}" "${BENCH_MICRO:=0}"
fi
: "${BENCH_READ_CONCURRENCY:=64}"     # reads, mixed, and the bare Kestrel baseline
: "${BENCH_WRITE_CONCURRENCY:=32}"    # writes and the raw Npgsql baseline
: "${BENCH_WARMUP:=3}"                # seconds of warm-up before each timed workload
: "${BENCH_READ_WARMUP:=20}"          # seconds of unmeasured reads before the first read workload (JIT tiering)
: "${BENCH_SETTLE:=20}"               # longest wait for the servers to fall idle after each untimed warm-up (JIT tiering)
: "${BENCH_DURATION:=10}"             # seconds measured per timed workload
: "${BENCH_READ_PAIRS:=3}"            # alternating (bare Kestrel, city GET) pairs; the median ratio is reported
: "${BENCH_SEED_CITIES:=5000}"        # cities registered first ("thousands of cities")
: "${BENCH_SUBMIT_CITIES:=1000}"      # cities taken through draft, mayor endorsement, submit, commission endorse
: "${BENCH_MIXED_CITIES:=500}"        # cities the mixed workload edits
: "${BENCH_FEED_SUBSCRIBERS:=1000}"   # SSE subscribers for delivery latency
: "${BENCH_FEED_RATE:=20}"            # events per second written during the feed workload
: "${BENCH_FEED_SECONDS:=20}"
: "${BENCH_IDLE_SUBSCRIBERS:=10000}"  # idle SSE subscribers (server RSS per 1,000)
: "${BENCH_IDLE_HOLD:=20}"            # seconds the idle subscribers are held
: "${BENCH_SCALE:=10000}"             # registered-city levels to grow to and measure, e.g. 10000,100000
: "${BENCH_MODES:=embedded,clustered}"
: "${BENCH_WORKLOADS:=reads,writes,mixed,scale,feed,idle}"  # the seed registration always runs
: "${BENCH_MICRO:=1}"                 # 1: run the BenchmarkDotNet micro-benchmarks
: "${BENCH_MICRO_FILTER:=*}"
: "${BENCH_PG_DURABLE:=1}"            # 1: PostgreSQL's durable defaults (fsync, synchronous_commit); 0: off

stamp=$(date -u +%Y%m%d-%H%M%S)
results_dir="$root/bench/.results/$stamp"
artifacts="$root/bench/.artifacts"
mkdir -p "$results_dir"
results="$results_dir/results.jsonl"
work=$(mktemp -d /tmp/gnlc-bench-XXXXXX)
port_claims=/tmp/gnlc-bench-ports
chmod 755 "$work"
log() { printf '\n=== %s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# ---- what this script starts, and stops --------------------------------------------------------------------
started_pids=()
pg_data=""
pg_bin=""
stop_pid() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.25
  done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$?
  for pid in "${started_pids[@]}"; do stop_pid "$pid"; done
  if [ -n "$pg_data" ] && [ -f "$pg_data/postmaster.pid" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" stop -D "$pg_data" -m fast -w >/dev/null 2>&1 || true
  fi
  [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$work"
  release_ports
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Ports: a free one at or above $1 (the defaults 5000/11111/30000 may be in use by a developer's own run). Nothing
# listens on a port until its process has started, so two runs starting at once could pick the same one: each run
# also claims its ports (an atomic mkdir under $port_claims, holding the run's pid), skips ports another live run
# claimed, and releases its own on exit. A claim whose run died without releasing it is taken over.
mkdir -p "$port_claims" && chmod 1777 "$port_claims" 2>/dev/null || true
claim_port() {
  local dir="$port_claims/$1" owner
  if mkdir "$dir" 2>/dev/null; then echo $$ > "$dir/pid"; return 0; fi
  owner=$(cat "$dir/pid" 2>/dev/null || true)
  if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then echo $$ > "$dir/pid"; return 0; fi
  return 1
}
free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || ! claim_port "$port"; do port=$((port + 1)); done
  echo "$port"
}
release_ports() {
  local dir
  for dir in "$port_claims"/*/; do
    [ "$(cat "$dir/pid" 2>/dev/null)" = $$ ] && rm -rf "$dir"
  done
  return 0
}

# 10,000 idle subscribers need as many sockets in the load generator and in the server.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((BENCH_IDLE_SUBSCRIBERS + 2000)) ]; then
  echo "warning: ulimit -n is $(ulimit -n); $BENCH_IDLE_SUBSCRIBERS idle subscribers may not all connect" >&2
fi

# ---- tools -----------------------------------------------------------------------------------------------------
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  log "PostgreSQL server binaries not found: installing Debian's postgresql package"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq postgresql postgresql-contrib >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

# ---- build -----------------------------------------------------------------------------------------------------
log "build (Release, into bench/.artifacts)"
for project in Api Silo bench/Gnlc.LoadGen bench/Gnlc.Benchmarks; do
  dotnet build "$project" -c Release --artifacts-path "$artifacts" --nologo -v quiet "-clp:ErrorsOnly;NoSummary"
done
api_dir="$artifacts/bin/Gnlc.Api/release"
silo_dir="$artifacts/bin/Gnlc.Silo/release"
loadgen=(dotnet "$artifacts/bin/Gnlc.LoadGen/release/Gnlc.LoadGen.dll")
micro_dll="$artifacts/bin/Gnlc.Benchmarks/release/Gnlc.Benchmarks.dll"

# ---- machine ---------------------------------------------------------------------------------------------------
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cores: $(nproc)  ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
  echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")  kernel $(uname -r)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "postgresql: $("$pg_bin/postgres" --version)"
  echo "dotnet --info:"
  dotnet --info | sed -n '1,/^$/p;/^Host:/,/^$/p'
} > "$results_dir/machine.txt"
cat "$results_dir/machine.txt"

# ---- throwaway PostgreSQL -------------------------------------------------------------------------------------
log "PostgreSQL: initdb under $work/pg"
pg_data="$work/pg/data"
mkdir -p "$work/pg"
chown postgres:postgres "$work/pg"
runuser -u postgres -- "$pg_bin/initdb" -D "$pg_data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
pg_port=$(free_port 55432)
{
  echo "listen_addresses = '127.0.0.1'"
  echo "port = $pg_port"
  echo "unix_socket_directories = '$work/pg'"
  echo "max_connections = 400"
  echo "shared_buffers = 512MB"
  if [ "$BENCH_PG_DURABLE" = 0 ]; then
    echo "fsync = off"
    echo "synchronous_commit = off"
    echo "full_page_writes = off"
  fi
} >> "$pg_data/postgresql.conf"
runuser -u postgres -- "$pg_bin/pg_ctl" start -D "$pg_data" -l "$work/pg/server.log" -w -t 60 >/dev/null
"$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE gnlc" -c "CREATE DATABASE bench_baseline"
pg_cs="Host=127.0.0.1;Port=$pg_port;Username=postgres"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on port $pg_port (durable: $BENCH_PG_DURABLE)"

# Settings common to every process of the system under test: Development (dev tokens and clock), quiet logs,
# and a rate limit out of the way (600 requests per 10 s per client would cap every workload). Server GC as the Web
# SDK sets it in production; BENCH_SYSTEM_GC_SERVER=0 gives the system workstation GC (an experiment: no change found).
system_env=(
  ASPNETCORE_ENVIRONMENT=Development
  Logging__LogLevel__Default=Warning
  RateLimiting__PermitLimit=1000000000
  DOTNET_gcServer="${BENCH_SYSTEM_GC_SERVER:-1}"
)

loadgen_system_args=(
  --read-concurrency "$BENCH_READ_CONCURRENCY" --write-concurrency "$BENCH_WRITE_CONCURRENCY"
  --warmup "$BENCH_WARMUP" --read-warmup "$BENCH_READ_WARMUP"
  --settle "$BENCH_SETTLE" --duration "$BENCH_DURATION" --read-pairs "$BENCH_READ_PAIRS"
  --seed-cities "$BENCH_SEED_CITIES" --submit-cities "$BENCH_SUBMIT_CITIES" --mixed-cities "$BENCH_MIXED_CITIES"
  --feed-subscribers "$BENCH_FEED_SUBSCRIBERS" --feed-rate "$BENCH_FEED_RATE" --feed-duration "$BENCH_FEED_SECONDS"
  --idle-subscribers "$BENCH_IDLE_SUBSCRIBERS" --idle-hold "$BENCH_IDLE_HOLD" --scale "$BENCH_SCALE"
  --workloads "$BENCH_WORKLOADS" --results "$results"
)

wait_http() { # url seconds
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "timed out waiting for $1" >&2; return 1; }
    sleep 0.5
  done
}

# ---- the bare Kestrel baseline (read ceiling) --------------------------------------------------------------------
# It serves all run long (idle but for its own measurements); each system run hands it the system's city JSON and
# measures it right before its own reads, and measures the raw Npgsql upserts (write ceiling) on the same PostgreSQL
# right before its writes, so that each workload and its baseline share the same moment of machine load.
kestrel_port=$(free_port 5500)
env DOTNET_gcServer=1 "${loadgen[@]}" kestrel-baseline --urls "http://127.0.0.1:$kestrel_port" > "$results_dir/kestrel-baseline.log" 2>&1 &
kestrel_pid=$!
started_pids+=("$kestrel_pid")
wait_http "http://127.0.0.1:$kestrel_port/health/ready" 60
# The upsert payload when the store cannot be asked (embedded, SQLite): the serialized size of a new city's state.
payload=$(dotnet "$micro_dll" sizes | awk '/CityState \(candidate\)/ { print $(NF-1) }')
baseline_args=(--kestrel-url "http://127.0.0.1:$kestrel_port" --npgsql-connection "$pg_cs;Database=bench_baseline" --payload-bytes "${payload:-320}")

# ---- embedded: one process, SQLite -----------------------------------------------------------------------------
if [[ ",$BENCH_MODES," == *",embedded,"* ]]; then
  log "embedded: Api with its co-hosted silo and SQLite"
  port=$(free_port 5200); silo_port=$(free_port 11211); gateway_port=$(free_port 30100)
  (cd "$api_dir" && exec env "${system_env[@]}" ASPNETCORE_URLS="http://127.0.0.1:$port" \
      Gnlc__Embedded__DataDirectory="$work/embedded" \
      Orleans__Endpoints__SiloPort="$silo_port" Orleans__Endpoints__GatewayPort="$gateway_port" \
      dotnet Gnlc.Api.dll) > "$results_dir/embedded-api.log" 2>&1 &
  api_pid=$!
  started_pids+=("$api_pid")
  "${loadgen[@]}" system --mode embedded --url "http://127.0.0.1:$port" --server-pid "$api_pid" --grain-pid "$api_pid" \
    --sample-out "$results_dir/city-sample.json" "${baseline_args[@]}" "${loadgen_system_args[@]}" || echo "embedded run failed (exit $?)" >&2
  stop_pid "$api_pid"
fi

# ---- clustered: Silo and Api as separate processes, PostgreSQL ---------------------------------------------------
if [[ ",$BENCH_MODES," == *",clustered,"* ]]; then
  log "clustered: migrate, then Silo + Api on PostgreSQL"
  cluster_env=(
    "ConnectionStrings__Gnlc=$pg_cs;Database=gnlc;Maximum Pool Size=100"
    Orleans__ClusterId=bench Orleans__ServiceId=bench
  )
  (cd "$silo_dir" && exec env "${system_env[@]}" "${cluster_env[@]}" dotnet Gnlc.Silo.dll migrate) > "$results_dir/clustered-migrate.log" 2>&1
  silo_http=$(free_port 5300); silo_port=$(free_port 11311); gateway_port=$(free_port 30200)
  (cd "$silo_dir" && exec env "${system_env[@]}" "${cluster_env[@]}" ASPNETCORE_URLS="http://127.0.0.1:$silo_http" \
      Orleans__Endpoints__SiloPort="$silo_port" Orleans__Endpoints__GatewayPort="$gateway_port" \
      dotnet Gnlc.Silo.dll) > "$results_dir/clustered-silo.log" 2>&1 &
  silo_pid=$!
  started_pids+=("$silo_pid")
  wait_http "http://127.0.0.1:$silo_http/health/live" 120
  port=$(free_port 5400)
  (cd "$api_dir" && exec env "${system_env[@]}" "${cluster_env[@]}" ASPNETCORE_URLS="http://127.0.0.1:$port" \
      dotnet Gnlc.Api.dll) > "$results_dir/clustered-api.log" 2>&1 &
  api_pid=$!
  started_pids+=("$api_pid")
  "${loadgen[@]}" system --mode clustered --url "http://127.0.0.1:$port" --server-pid "$api_pid" --grain-pid "$silo_pid" \
    --sample-out "$results_dir/city-sample-clustered.json" "${baseline_args[@]}" \
    --store-connection "$pg_cs;Database=gnlc" "${loadgen_system_args[@]}" || echo "clustered run failed (exit $?)" >&2
  stop_pid "$api_pid"
  stop_pid "$silo_pid"
  "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d gnlc -qAt -F ' | ' -c \
    "SELECT grain_type, count(*), round(avg(octet_length(payload))) FROM orleans_storage GROUP BY grain_type ORDER BY 2 DESC" \
    > "$results_dir/stored-state-sizes.txt" 2>/dev/null || true
fi

stop_pid "$kestrel_pid"

# ---- micro-benchmarks ------------------------------------------------------------------------------------------
if [ "$BENCH_MICRO" = 1 ]; then
  log "BenchmarkDotNet micro-benchmarks (short job, in process)"
  mkdir -p "$results_dir/micro"
  (cd "$results_dir/micro" && dotnet "$micro_dll" --filter "$BENCH_MICRO_FILTER" --artifacts "$results_dir/micro") \
    > "$results_dir/micro/run.log" 2>&1 || echo "micro-benchmarks failed: see $results_dir/micro/run.log" >&2
  sed -n '/^| *Type/,/^$/p' "$results_dir/micro/run.log" > "$results_dir/micro.md" || true
fi

# ---- report ----------------------------------------------------------------------------------------------------
log "results ($results_dir)"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$results_dir/machine.txt"
"${loadgen[@]}" report --results "$results" --markdown "$results_dir/results.md"
if [ -s "$results_dir/micro.md" ]; then
  echo
  cat "$results_dir/micro.md"
fi
