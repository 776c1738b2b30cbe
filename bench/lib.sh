# lib.sh: helpers for bench/run (sourced, not executed).
# Everything here talks to 127.0.0.1 only.

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[%s] FATAL: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }
banner() { printf '\n==== %s ====\n' "$*"; }

# psql as the superuser (trust auth on 127.0.0.1), quiet, failing on the first error.
su_psql() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U "$PGSUPERUSER" "$@"; }
su_val() { local db=$1; shift; psql -X -tA -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U "$PGSUPERUSER" -d "$db" -c "$*"; }

# ---- processes we start: remembered by pid file, stopped by pid at exit (and at the next start,
# if a killed run left one behind and its command line still is the one we started).
PIDDIR=${PIDDIR:-$BENCH/.work/pids}
mkdir -p "$PIDDIR"
remember_pid() { echo "$2" > "$PIDDIR/$1.pid"; }   # name pid
stop_pid() {                                        # name [cmdline marker]
  local f="$PIDDIR/$1.pid" pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null && { [ -z "${2:-}" ] || tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$2"; }; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Wait until a GraphQL endpoint answers `{__typename}` (or the process died).
wait_graphql() {   # url pid seconds
  local i
  for i in $(seq 1 $(( $3 * 4 ))); do
    kill -0 "$2" 2>/dev/null || return 1
    curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"query":"{__typename}"}' "$1" && return 0
    sleep 0.25
  done
  return 1
}

# POST a GraphQL body file; prints the response; fails on a non-200 status or GraphQL errors.
gql() {   # url token bodyfile
  local out code
  out=$(mktemp)
  code=$(curl -s -o "$out" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    ${2:+-H "Authorization: Bearer $2"} --data @"$3" "$1") || { rm -f "$out"; echo "curl failed: $1" >&2; return 1; }
  if [ "$code" != 200 ] || jq -e 'has("errors")' "$out" >/dev/null 2>&1 || ! jq -e . "$out" >/dev/null 2>&1; then
    echo "HTTP $code from $1 for $3: $(head -c 2000 "$out")" >&2; rm -f "$out"; return 1
  fi
  cat "$out"; rm -f "$out"
}
# Same, with an inline query string (for small checks).
gql_inline() {   # url token query
  local f; f=$(mktemp); jq -n --arg q "$3" '{query: $q}' > "$f"
  gql "$1" "$2" "$f"; local rc=$?; rm -f "$f"; return $rc
}

# Our login: a fresh access token (they live 15 minutes, so bench/run takes one before every run;
# PostGraphile verifies the very same token).
login_token() {   # url slug email password
  local body resp
  body=$(jq -n --arg s "$2" --arg e "$3" --arg p "$4" \
    '{query: "mutation($i: LoginInput!) { login(input: $i) { accessToken } }", variables: {i: {organizationSlug: $s, email: $e, password: $p}}}')
  resp=$(curl -s -X POST -H 'Content-Type: application/json' --data "$body" "$1")
  jq -er '.data.login.accessToken' <<<"$resp" 2>/dev/null || { echo "login failed: $resp" >&2; return 1; }
}

# wrk latency strings (e.g. 812.00us, 4.21ms, 1.02s) -> milliseconds.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.2f", v}'; }
wrk_rps() { awk '/^Requests\/sec/ {printf "%.0f", $2}' "$1"; }
wrk_pct() { awk -v p="$2" '$1==p {print $2}' "$1" | to_ms; }
# non-2xx responses + socket errors (connect/read/write/timeout), as one number.
wrk_errors() {
  awk '/Non-2xx or 3xx responses:/ {n += $NF}
       /Socket errors:/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) {gsub(/,/, "", $i); n += $i}}
       END {print n + 0}' "$1"
}

# Highest VmRSS (kB) of a process, sampled every 0.2 s for N seconds; written to a file as it goes.
sample_rss() {   # pid seconds outfile
  local max=0 v i
  for i in $(seq 1 $(( $2 * 5 ))); do
    v=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0)
    [ -n "$v" ] && [ "$v" -gt "$max" ] && max=$v && echo "$max" > "$3"
    sleep 0.2
  done
}
rss_now() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
kb_to_mib() { awk -v k="${1:-0}" 'BEGIN {printf "%.0f", k / 1024}'; }

# Average %CPU per command name (regex) over a pidstat file.
cpu_of() { awk -v re="$2" '/^Average:/ && $NF ~ re && $(NF-2) ~ /^[0-9.]+$/ {s += $(NF-2)} END {printf "%.0f", s}' "$1"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b + 0 == 0 || a == "" || a == "-") print "-"; else printf "%.2f", a / b}'; }
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR+1)/2]; else printf "%.0f", (a[NR/2] + a[NR/2+1]) / 2}'; }
