#!/usr/bin/env bash
# bench/compare.sh: before/after figures in one run. Measures a git ref (default: main's merge base, "before") and
# this working tree ("after") back to back with the same settings, then prints both reports side by side.
#
#   BENCH_BEFORE=<ref> BENCH_WORKLOADS=writes BENCH_MICRO=0 ./bench/compare.sh
#
# Each half is a whole bench/run.sh (its own build, PostgreSQL and baselines): every ratio is taken against the raw
# Npgsql or bare Kestrel baseline measured next to the workload in the same half, so the two halves can be compared
# by ratio even when the machine's load moved between them. Every BENCH_* setting of run.sh applies to both halves.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
before_ref=${BENCH_BEFORE:-$(git merge-base HEAD main 2>/dev/null || git rev-parse HEAD~1)}
before_dir=$(mktemp -d /tmp/gnlc-bench-before-XXXXXX)
cleanup() { git -C "$root" worktree remove --force "$before_dir" >/dev/null 2>&1 || rm -rf "$before_dir"; }
trap cleanup EXIT

git worktree add --detach "$before_dir" "$before_ref" >/dev/null
# The harness itself comes from this tree, so both halves are measured the same way.
rm -rf "$before_dir/bench"
cp -r "$root/bench" "$before_dir/bench"
rm -rf "$before_dir/bench/.artifacts" "$before_dir/bench/.results"

echo "=== before: $(git -C "$before_dir" log -1 --format='%h %s')"
"$before_dir/bench/run.sh" | tee "$root/bench/.compare-before.log"
echo "=== after: $(git -C "$root" log -1 --format='%h %s') (+ working tree)"
"$root/bench/run.sh" | tee "$root/bench/.compare-after.log"

echo
echo "=== before ($before_ref)"
sed -n '/^| mode /,/^$/p' "$root/bench/.compare-before.log"
echo "=== after"
sed -n '/^| mode /,/^$/p' "$root/bench/.compare-after.log"
