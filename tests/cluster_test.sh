#!/usr/bin/env bash
# cluster_test.sh INDEXER SEARCHD CHAJA SCRIPTS_DIR SAMPLE_JSONL
#
# Issue 16's cluster on loopback, with real processes: HAProxy configured by
# `chaja cluster proxy-config` from a placement file, in front of one node
# group: a primary p (write token, xapian-replicate-server) and two replicas
# r1, r2 (searchd --primary, scripts/chaja-replicate); sites a and b.
# Checks: writes through the proxy reach the primary and both replicas; the
# same top 10 from every node; SIGKILL r2 under a steady read load through
# the proxy: only reads in flight may fail, r2 comes back into rotation by
# itself and catches up when restarted; replication stopped: both replicas
# fall behind, their health checks take them out of rotation, reads through
# the proxy all see the primary's newest write, and the replicas come back by
# themselves once replication resumes; SIGKILL p: reads through the proxy go
# on, writes through it fail UNAVAILABLE; promoting r1 (scripts/promote-replica,
# the placement's primary switched, the configuration regenerated and HAProxy
# reloaded) brings writes back, and r2 follows r1. Figures are printed
# (REPORT lines), never judged.
set -u
indexer=$1 searchd=$2 chaja=$3 scripts=$4 sample=$5
here=$(dirname "$0")
source "$here/lib.sh"
test_setup cluster_test
source "$here/cluster_lib.sh"
tool="/usr/bin/python3 $here/proxy_tool.py"
command -v haproxy >/dev/null || { fail "haproxy is not installed (scripts/install-deps.sh installs it)"; exit 1; }

(umask 077; echo "cluster-$$-0123456789abcdef" >"$tmp/token")
mkdir -p "$tmp/p" "$tmp/r1" "$tmp/r2" "$tmp/proxy"
mapfile -t port < <($tool ports 8)
"$indexer" --data "$tmp/p" --site a "$sample" 2>/dev/null || fail "import of site a"
printf '{"id":"seed","title":"씨앗 글","body":"씨앗"}\n' >"$tmp/seed.jsonl"
"$indexer" --data "$tmp/p" --site b "$tmp/seed.jsonl" 2>/dev/null || fail "import of site b"

start_searchd p "${port[0]}" "${port[1]}" --index_token_file "$tmp/token" --keep_changesets 100
start_replication_server p
max_lag=3  # a replica this far behind leaves the rotation
start_replica() {  # NODE GRPC HTTP PRIMARY: its searchd and its driver
  start_searchd "$1" "$2" "$3" --primary "127.0.0.1:$4" --max_lag_seconds "$max_lag"
  local repl_var=repl_$5
  start_driver "$1" "$4" "${!repl_var}"
}
start_replica r1 "${port[2]}" "${port[3]}" "$grpc_p" p
start_replica r2 "${port[4]}" "${port[5]}" "$grpc_p" p
for n in r1 r2; do wait_for 30 same_top10 "$n" a 패권 || fail "$n: site a's first copy does not answer as p"; done

# --- the proxy, from the placement file --------------------------------------------------------
grpc_proxy=${port[6]} http_proxy=${port[7]}
placement() {  # PRIMARY REPLICA...: the placement file with that primary
  printf 'proxy http 127.0.0.1:%s\nproxy grpc 127.0.0.1:%s\nproxy admin %s\nproxy check_interval_ms 300\ngroup g1\n' \
    "$http_proxy" "$grpc_proxy" "$tmp/admin.sock"
  local n role=primary grpc_var http_var
  for n in "$@"; do
    grpc_var=grpc_$n http_var=http_$n
    echo "node g1 $n $role 127.0.0.1 ${!grpc_var} ${!http_var}"
    role=replica
  done
  printf 'site a g1\nsite b g1\n'
}
configure_proxy() {
  placement "$@" >"$tmp/cluster.placement"
  "$chaja" cluster proxy-config --placement "$tmp/cluster.placement" --out "$tmp/proxy" >/dev/null &&
    haproxy -c -q -f "$tmp/proxy/haproxy.cfg"
}
configure_proxy p r1 r2 || { fail "no valid proxy configuration"; exit 1; }
haproxy -W -f "$tmp/proxy/haproxy.cfg" -p "$tmp/haproxy.pid" 2>"$tmp/haproxy.err" &
pids+=($!)
for n in p r1 r2; do
  $tool wait "$tmp/admin.sock" chaja_g1_http "$n" UP 30 || fail "chaja_g1_http/$n never came UP"
  $tool wait "$tmp/admin.sock" chaja_g1_grpc "$n" UP 30 || fail "chaja_g1_grpc/$n never came UP"
done

# --- writes through the proxy reach the primary, then every replica ----------------------------
lags=()
for i in $(seq 1 10); do
  w=$(word "$i")
  write a "w-$i" "$w" proxy || { cat "$tmp/write.err"; fail "write $i through the proxy failed"; continue; }
  acked=$(now)
  finds p a "$w" "w-$i" || fail "write $i is not on the primary once acknowledged"
  for n in r1 r2; do
    wait_for 10 finds "$n" a "$w" "w-$i" || fail "write $i never reached $n"
    lags+=($(since "$acked"))
  done
done
summary "write through the proxy acknowledged -> searchable on a replica" "${lags[@]}"
for q in 패권 모델; do
  for n in r1 r2; do same_top10 "$n" a "$q" || fail "$n's top 10 for $q differs from p's"; done
done

# --- SIGKILL r2 under a steady read load through the proxy ------------------------------------
# read_load FILE: one search a time through the proxy, its status appended to FILE, until killed.
read_load() {
  while :; do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 5 \
      "http://127.0.0.1:$http_proxy/v1/sites/a/search?q=%ED%8C%A8%EA%B6%8C" >>"$1"
  done
}
for c in 1 2 3 4; do read_load "$tmp/load.$c" & pids+=($!); loaders+=($!); done
sleep 2
stop KILL "$pid_r2" "$driver_r2"
$tool wait "$tmp/admin.sock" chaja_g1_http r2 DOWN 30 || fail "the health check did not take the killed r2 out"
sleep 2
write b down-1 "$(word 500)" proxy || fail "a write while r2 was down failed"
start_replica r2 "${port[4]}" "${port[5]}" "$grpc_p" p
$tool wait "$tmp/admin.sock" chaja_g1_http r2 UP 30 || fail "the restarted r2 did not come back by itself"
sleep 2
stop TERM "${loaders[@]}"
cat "$tmp"/load.* >"$tmp/load"
reads=$(wc -l <"$tmp/load")
failed=$(grep -vc '^200$' "$tmp/load")
echo "REPORT reads through the proxy while r2 was killed and restarted: $reads, failed $failed (4 readers, so at most 4 in flight)"
[[ $reads -gt 20 ]] || fail "the read load made only $reads reads"
[[ $failed -le 4 ]] || { sort "$tmp/load" | uniq -c; fail "$failed reads failed: more than the 4 in flight at the kill"; }
wait_for 30 finds r2 b "$(word 500)" down-1 || fail "the restarted r2 did not catch up"

# --- replication stops: the lagging replicas leave the rotation, then come back ------------------
stop KILL "$repl_pid_p"
write a lagging "$(word 800)" proxy || fail "a write with replication stopped failed"
lagged=$(now)
for n in r1 r2; do
  $tool wait "$tmp/admin.sock" chaja_g1_http "$n" DOWN 30 || fail "the HTTP check did not take the lagging $n out"
  $tool wait "$tmp/admin.sock" chaja_g1_grpc "$n" DOWN 30 || fail "the gRPC check did not take the lagging $n out"
done
echo "REPORT write not replicated -> both replicas out of rotation: $(since "$lagged") s (--max_lag_seconds $max_lag)"
for i in 1 2 3 4 5 6; do finds proxy a "$(word 800)" lagging || fail "read $i through the proxy missed the newest write"; done
start_replication_server p "$repl_p"
resumed=$(now)
for n in r1 r2; do
  $tool wait "$tmp/admin.sock" chaja_g1_http "$n" UP 30 || fail "$n did not come back once replication resumed"
  $tool wait "$tmp/admin.sock" chaja_g1_grpc "$n" UP 30 || fail "$n (gRPC) did not come back once replication resumed"
  finds "$n" a "$(word 800)" lagging || fail "$n came back into rotation without the newest write"
done
echo "REPORT replication resumed -> both replicas back in rotation: $(since "$resumed") s"

# --- SIGKILL the primary: reads go on, writes fail UNAVAILABLE ----------------------------------
stop KILL "$pid_p" "$repl_pid_p"
$tool wait "$tmp/admin.sock" chaja_g1_grpc_primary p DOWN 30 || fail "the health check did not take the killed p out"
top=$(search_ids r1 a 패권 | cut -d' ' -f1)
for i in 1 2 3 4; do  # percent-encoded, as browsers send it: HAProxy refuses raw UTF-8 in a URI
  finds proxy a %ED%8C%A8%EA%B6%8C "$top" || fail "read $i through the proxy failed without the primary"
done
write a lost "$(word 600)" proxy && fail "a write through the proxy was acknowledged with the primary dead"
grep -q "cannot reach chaja-searchd\|UNAVAILABLE" "$tmp/write.err" ||
  { cat "$tmp/write.err"; fail "a write through the proxy without a primary did not fail UNAVAILABLE"; }

# --- promote r1, switch the placement, reload the proxy -------------------------------------------
killed=$(now)
stop TERM "$driver_r1" "$pid_r1"
"$scripts/promote-replica" --data "$tmp/r1" >/dev/null || fail "promote-replica failed"
start_searchd r1 "${port[2]}" "${port[3]}" --index_token_file "$tmp/token" --keep_changesets 100
start_replication_server r1
configure_proxy r1 r2 || fail "no valid proxy configuration with r1 as the primary"
kill -USR2 "$(cat "$tmp/haproxy.pid")"  # master-worker reload: requests in flight finish
$tool wait "$tmp/admin.sock" chaja_g1_grpc_primary r1 UP 30 || fail "the reloaded proxy does not see r1 as the primary"
write a after "$(word 700)" proxy || { cat "$tmp/write.err"; fail "a write through the proxy after the promotion failed"; }
echo "REPORT primary killed -> promoted, proxy reloaded, first write through the proxy acknowledged: $(since "$killed") s"
stop TERM "$driver_r2" "$pid_r2"
start_replica r2 "${port[4]}" "${port[5]}" "$grpc_r1" r1
wait_for 30 finds r2 a "$(word 700)" after || fail "r2 does not follow the promoted r1"

if [[ $failures -gt 0 ]]; then
  tail -20 "$tmp/haproxy.err"
  echo "$failures check(s) failed"
  exit 1
fi
echo "cluster_test: all checks passed"
