# Shell functions shared by the scripts of bench/ (sourced, not run).

stop_pid() { # pid [signal]: signal it, wait up to 5 s, then SIGKILL
  local pid="$1" sig="${2:-TERM}" i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -"$sig" "$pid" 2>/dev/null || true
  for i in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

drop_pg() { # name: drops that PostgreSQL database (through $PG_ADMIN), if it exists
  psql "$PG_ADMIN" -qAt -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 || true
}

write_reads() { # dir software_id: the bodies of reads 1-3 as DIR/read1.json .. read3.json
  printf '{"query":"query($id: UUID!) { software(id: $id) { id displayName maintainerEmail releases { id version releaseDate } } }","variables":{"id":"%s"}}' \
    "$2" >"$1/read1.json"
  printf '{"query":"{ softwareList(first: 50) { nodes { displayName releases { version } } } }"}' \
    >"$1/read2.json"
  printf '{"query":"{ releases(first: 100) { nodes { version software { displayName } } } }"}' \
    >"$1/read3.json"
}
