# Sourced by the tests that run several chaja-searchd with Xapian's replication
# (replication_test.sh, cluster_test.sh), after lib.sh's test_setup. Nodes are
# named (p, r1, r2, ...): each has its data folder $tmp/NODE and, once
# started, grpc_NODE, http_NODE and pid_NODE; helpers take node names.
# Needs $searchd, $indexer, $chaja and $scripts.
pids=()
stop_all() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  test_cleanup
}
trap stop_all EXIT
# stop SIGNAL PID...: signals and reaps them, and forgets them (a pid reaped
# may be reused by another process, which stop_all must not signal).
stop() {
  local sig=$1 pid kept=()
  shift
  kill "-$sig" "$@" 2>/dev/null
  wait "$@" 2>/dev/null
  for pid in "${pids[@]}"; do [[ " $* " == *" $pid "* ]] || kept+=("$pid"); done
  pids=("${kept[@]}")
}

now() { date +%s.%N; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() {  # wait_for SECONDS COMMAND...: until COMMAND succeeds
  local deadline=$(($(date +%s) + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [[ $(date +%s) -ge $deadline ]] && return 1
    sleep 0.02
  done
}

# start_searchd NODE GRPC_PORT HTTP_PORT ARGS...: sets grpc_NODE, http_NODE and
# pid_NODE (port 0: any; a node behind the proxy, or a primary the replicas'
# --primary names, keeps its ports across restarts).
start_searchd() {
  local node=$1 port=$2 http_port=$3; shift 3
  : >"$tmp/$node.err"
  "$searchd" --data "$tmp/$node" --listen "127.0.0.1:$port" --http "127.0.0.1:$http_port" "$@" 2>>"$tmp/$node.err" &
  local pid=$! grpc= http=
  pids+=($pid)
  for _ in $(seq 1 400); do
    grpc=$(sed -n 's/^chaja-searchd: serving .* on 127\.0\.0\.1:\([0-9][0-9]*\).*$/\1/p' "$tmp/$node.err")
    http=$(sed -n 's/^chaja-searchd: http on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$tmp/$node.err")
    [[ -n $grpc && -n $http ]] && break
    sleep 0.05
  done
  [[ -n $grpc && -n $http ]] || { cat "$tmp/$node.err"; fail "searchd $node did not start"; exit 1; }
  printf -v "grpc_$node" %s "$grpc"
  printf -v "http_$node" %s "$http"
  printf -v "pid_$node" %s "$pid"
}
start_replication_server() {  # NODE [PORT]: sets repl_NODE
  local port=${2:-$(free_port)}
  # setsid: on SIGTERM the server signals its whole process group (kill(0, SIGTERM) in
  # Xapian's tcpserver.cc), which would be this test.
  setsid xapian-replicate-server -I 127.0.0.1 -p "$port" "$tmp/$1" >"$tmp/$1.repl.log" 2>&1 &
  pids+=($!)
  printf -v "repl_$1" %s "$port"
  printf -v "repl_pid_$1" %s "$!"
}
start_driver() {  # NODE PRIMARY_GRPC PRIMARY_REPL
  "$scripts/chaja-replicate" --primary "127.0.0.1:$2" --from "127.0.0.1:$3" --data "$tmp/$1" --chaja "$chaja" \
    2>>"$tmp/$1.driver.err" &
  pids+=($!)
  printf -v "driver_$1" %s "$!"
}

# write SITE ID WORD [NODE]: one article through IndexService; fails as the indexer does.
write() {
  printf '{"id":"%s","title":"%s 복제 시험","body":"%s 복제 글 본문"}\n' "$2" "$3" "$3" >"$tmp/one.jsonl"
  local port_var=grpc_${4:-p}
  "$indexer" --server "127.0.0.1:${!port_var}" --token_file "$tmp/token" --site "$1" "$tmp/one.jsonl" 2>"$tmp/write.err"
}
search_ids() {  # NODE SITE QUERY: the ids of the top 10, one line
  local port_var=http_$1
  curl -s "http://127.0.0.1:${!port_var}/v1/sites/$2/search?q=$3&limit=10" |
    grep -o '"id":"[^"]*"' | cut -d'"' -f4 | paste -sd' '
}
same_top10() {  # NODE SITE QUERY: the node's top 10 is the primary's, and not empty
  local want
  want=$(search_ids p "$2" "$3")
  [[ -n $want && $(search_ids "$1" "$2" "$3") == "$want" ]]
}
finds() {  # NODE SITE QUERY ID: curl and grep only, so the lag polls are cheap
  local port_var=http_$1
  curl -s "http://127.0.0.1:${!port_var}/v1/sites/$2/search?q=$3&limit=10" | grep -q "\"$4\""
}
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f\n", b - a }'; }
stat_field() {  # NODE SITE FIELD: one top-level SiteStats field over HTTP (the last match)
  local port_var=http_$1
  curl -s "http://127.0.0.1:${!port_var}/v1/sites/$2" | grep -o "\"$3\":\"\{0,1\}[^\",}]*" | tail -1 | sed 's/.*:"\{0,1\}//'
}
word() { printf 'lag%s%s%s' "$(printf "\\x$(printf %x $((97 + $1 / 676 % 26)))")" \
  "$(printf "\\x$(printf %x $((97 + $1 / 26 % 26)))")" "$(printf "\\x$(printf %x $((97 + $1 % 26)))")"; }
# summary NAME VALUES...: median, p90 and max in ms.
summary() {
  local name=$1; shift
  printf '%s\n' "$@" | sort -g | awk -v name="$name" '{ v[NR] = $1 } END {
    p90 = int(NR * 0.9); if (p90 < 1) p90 = 1; if (p90 > NR) p90 = NR
    printf "REPORT %s: n=%d median=%.0f ms p90=%.0f ms max=%.0f ms\n", name, NR, 1000 * v[int((NR + 1) / 2)], 1000 * v[p90], 1000 * v[NR] }'
}

