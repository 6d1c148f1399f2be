#!/usr/bin/env bash
# proxy_routing_test.sh INDEXER SEARCHD CHAJA SAMPLE_JSONL [MOVE_SITE_SCRIPT]
#
# HAProxy in front of three chaja-searchd, configured only from a placement
# file through `chaja cluster proxy-config` (docs/cluster.md): group g1 = n1
# (primary) + n2 (replica) serving copies of one data folder (site alpha, the
# sample blog), group g2 = n3 (site beta, one post). Checks: HTTP routed by the
# /v1/sites/{site}/ path and gRPC by the x-chaja-site header reach the node
# that has the site (a word only one site has); an unknown site gets a clear
# error on both; a write through the proxy lands on the primary only; SIGKILL
# n2: the health check takes it out and reads keep answering; restarted, it
# comes back by itself; scripts/move-site moves alpha to g2 and HAProxy,
# reloaded, sends its reads there. Every process is stopped at exit.
set -u
indexer=$1 searchd=$2 chaja=$3 sample=$4
here=$(dirname "$0")
move_site=${5:-$here/../scripts/move-site}
# Not through a version manager's shim (pyenv): starting one costs seconds on a loaded machine.
python=$(command -v /usr/bin/python3 || command -v python3)
tool="$python $here/proxy_tool.py"
source "$here/lib.sh"
test_setup proxy_routing_test

command -v haproxy >/dev/null || { fail "haproxy is not installed (scripts/install-deps.sh installs it)"; exit 1; }
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
}
trap 'stop_all; test_cleanup' EXIT

# --- data: alpha (the sample blog) twice, beta once -----------------------------
"$indexer" --data "$tmp/data1" --site alpha "$sample" 2>"$tmp/indexer.err" || { cat "$tmp/indexer.err"; fail "indexing alpha"; exit 1; }
cp -r "$tmp/data1" "$tmp/data2"
echo '{"id":"b-1","title":"얼룩말 관찰 일지","body":"zebrafinch 얼룩말 무리를 관찰했다.","published":"2025-01-01T00:00:00Z"}' >"$tmp/beta.jsonl"
"$indexer" --data "$tmp/data3" --site beta "$tmp/beta.jsonl" 2>>"$tmp/indexer.err" || { cat "$tmp/indexer.err"; fail "indexing beta"; exit 1; }
(umask 077; echo "token-$$-0123456789abcdef" >"$tmp/token")

mapfile -t port < <($tool ports 8)
g1=${port[0]} h1=${port[1]} g2=${port[2]} h2=${port[3]} g3=${port[4]} h3=${port[5]} proxy_http=${port[6]} proxy_grpc=${port[7]}

# http_get PORT PATH: "STATUS BODY" of a GET on 127.0.0.1 ("000" when refused), in bash alone:
# one python start per request is slow on a loaded machine.
http_get() {
  local reply status
  exec 3<>"/dev/tcp/127.0.0.1/$1" || { echo 000; return; }
  printf 'GET %s HTTP/1.0\r\nHost: chaja\r\n\r\n' "$2" >&3
  reply=$(cat <&3)
  exec 3<&-
  status=${reply#HTTP/* }
  echo "${status%% *} ${reply#*$'\r\n\r\n'}"
}

declare -A node_pid
# start_node NAME DATA GRPC HTTP [FLAGS...]: starts searchd and waits for its /healthz.
start_node() {
  local name=$1 data=$2 grpc=$3 http=$4
  shift 4
  "$searchd" --data "$data" --listen "127.0.0.1:$grpc" --http "127.0.0.1:$http" "$@" 2>>"$tmp/$name.err" &
  node_pid[$name]=$!
  pids+=($!)
  for _ in $(seq 1 100); do
    [[ $(http_get "$http" /healthz 2>/dev/null) == 200* ]] && return 0
    sleep 0.1
  done
  cat "$tmp/$name.err"
  fail "searchd $name did not answer on $http"
  exit 1
}
start_node n1 "$tmp/data1" "$g1" "$h1" --index_token_file "$tmp/token"
start_node n2 "$tmp/data2" "$g2" "$h2"
start_node n3 "$tmp/data3" "$g3" "$h3"

# --- the placement and the generated configuration ------------------------------
cat >"$tmp/cluster.placement" <<EOF
proxy http 127.0.0.1:$proxy_http
proxy grpc 127.0.0.1:$proxy_grpc
proxy admin $tmp/admin.sock
proxy check_interval_ms 300
group g1
node g1 n1 primary 127.0.0.1 $g1 $h1
node g1 n2 replica 127.0.0.1 $g2 $h2
group g2
node g2 n3 primary 127.0.0.1 $g3 $h3
site alpha g1
site beta g2
EOF
mkdir "$tmp/proxy"
"$chaja" cluster proxy-config --placement "$tmp/cluster.placement" --out "$tmp/proxy" >/dev/null ||
  { fail "chaja cluster proxy-config failed"; exit 1; }
haproxy -c -f "$tmp/proxy/haproxy.cfg" >"$tmp/haproxy-c.out" 2>&1 || { cat "$tmp/haproxy-c.out"; fail "haproxy -c rejects the generated configuration"; exit 1; }
grep -q WARNING "$tmp/haproxy-c.out" && { cat "$tmp/haproxy-c.out"; fail "haproxy -c warns about the generated configuration"; }
haproxy -W -f "$tmp/proxy/haproxy.cfg" -p "$tmp/haproxy.pid" 2>"$tmp/haproxy.err" &
pids+=($!)
for b in chaja_g1_grpc chaja_g1_http chaja_g2_grpc; do
  for s in n1 n2 n3; do
    [[ $b == chaja_g2_* && $s != n3 ]] || [[ $b == chaja_g1_* && $s == n3 ]] && continue
    $tool wait "$tmp/admin.sock" $b $s UP 30 || fail "$b/$s never came UP (health check)"
  done
done

# --- routing: a word only one site has, through the proxy -----------------------
http_search() { http_get "$proxy_http" "/v1/sites/$1/search?q=$2"; }
grpc_hits() { "$chaja" search "$2" --site "$1" --server "127.0.0.1:$proxy_grpc" --json 2>"$tmp/chaja.err" | grep -c '"id"'; }
[[ $(http_search alpha %ED%8C%A8%EA%B6%8C) =~ ^200.*\"totalHits\" ]] || fail "HTTP: alpha's 패권 not found through the proxy"
[[ $(http_search beta zebrafinch) =~ ^200.*\"b-1\" ]] || fail "HTTP: beta's zebrafinch not found through the proxy"
[[ $(grpc_hits alpha 패권) -ge 1 ]] || { cat "$tmp/chaja.err"; fail "gRPC: alpha's 패권 not found through the proxy"; }
[[ $(grpc_hits beta zebrafinch) -eq 1 ]] || { cat "$tmp/chaja.err"; fail "gRPC: beta's zebrafinch not found through the proxy"; }

# --- an unknown site: a clear error, not some node's guess ----------------------
answer=$(http_search nosuch x)
[[ $answer == 404*'"NOT_FOUND"'*'no node group serves site nosuch'* ]] || fail "HTTP unknown site: $answer"
"$chaja" search x --site nosuch --server "127.0.0.1:$proxy_grpc" 2>"$tmp/unknown.err"
[[ $? -eq 1 ]] && grep -q "NOT_FOUND: no node group serves site nosuch" "$tmp/unknown.err" ||
  { cat "$tmp/unknown.err"; fail "gRPC unknown site: no NOT_FOUND naming it"; }

# --- a write through the proxy goes to the primary only -------------------------
echo '{"id":"w-1","title":"프록시 쓰기","body":"primaryonlyword 확인","published":"2025-02-01T00:00:00Z"}' >"$tmp/write.jsonl"
for i in 1 2 3 4; do  # round robin would send some of them to n2, which has no IndexService
  "$indexer" --server "127.0.0.1:$proxy_grpc" --token_file "$tmp/token" --site alpha "$tmp/write.jsonl" 2>"$tmp/write.err" ||
    { cat "$tmp/write.err"; fail "write $i through the proxy failed"; }
done
[[ $(http_get "$h1" "/v1/sites/alpha/search?q=primaryonlyword") =~ \"w-1\" ]] || fail "the write is not on the primary n1"
[[ $(http_get "$h2" "/v1/sites/alpha/search?q=primaryonlyword") =~ \"w-1\" ]] && fail "the write reached the replica n2"

# --- failover: SIGKILL n2, reads go on; restart, n2 comes back by itself --------
{ kill -9 "${node_pid[n2]}"; wait "${node_pid[n2]}"; } 2>/dev/null
for i in 1 2 3 4; do  # before the check notices: retried on n1 (retry-on conn-failure, redispatch)
  [[ $(http_search alpha %ED%8C%A8%EA%B6%8C) == 200* ]] || fail "HTTP read $i right after the kill failed"
done
for b in chaja_g1_http chaja_g1_grpc; do
  $tool wait "$tmp/admin.sock" $b n2 DOWN 30 || fail "$b: the health check did not take the killed n2 out"
done
for i in 1 2 3 4; do
  [[ $(http_search alpha %ED%8C%A8%EA%B6%8C) == 200* ]] || fail "HTTP read $i with n2 down failed"
  [[ $(grpc_hits alpha 패권) -ge 1 ]] || { cat "$tmp/chaja.err"; fail "gRPC read $i with n2 down failed"; }
done
start_node n2 "$tmp/data2" "$g2" "$h2"
for b in chaja_g1_http chaja_g1_grpc; do
  $tool wait "$tmp/admin.sock" $b n2 UP 30 || fail "$b: the restarted n2 did not come back by itself"
done

# --- moving alpha from g1 to g2 (n3) -----------------------------------------------
# Only n1 has primaryonlyword (n2 never got the write): every read of it through the proxy
# finds it only when alpha is routed to g2, whose n3 got n1's copy.
CHAJA=$chaja bash "$move_site" --placement "$tmp/cluster.placement" --site alpha --to g2 --new-data "$tmp/data3" \
  --proxy-dir "$tmp/proxy" --old-data "$tmp/data1" --haproxy-pid "$tmp/haproxy.pid" --drop-old --wait 10 \
  >"$tmp/move.out" 2>&1 || { cat "$tmp/move.out"; fail "scripts/move-site failed"; }
grep -q '^alpha g2$' "$tmp/proxy/chaja-sites.map" || fail "the regenerated site map does not put alpha on g2"
[[ -e $tmp/data1/alpha ]] && fail "move-site --drop-old left the old copy"
$tool wait "$tmp/admin.sock" chaja_g2_http n3 UP 30 || fail "no reloaded haproxy with n3 UP"
for i in 1 2 3 4; do
  [[ $(http_search alpha primaryonlyword) =~ \"w-1\" ]] || fail "read $i of the moved alpha did not reach g2"
done

if [[ $failures -gt 0 ]]; then
  tail -20 "$tmp/haproxy.err"  # the health checks' transitions and their reasons
  echo "$failures check(s) failed"
  exit 1
fi
echo "proxy_routing_test: all checks passed"
