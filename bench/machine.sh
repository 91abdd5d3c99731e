# Sourced by the bench scripts (run.sh, run_sync.sh, run_admin.sh,
# compare.sh): machine() prints the Machine and Compiler lines of a
# RESULTS.md section, section_head its whole head, publish_section appends
# it; say, wait_for_health and vmrss_kib are the other helpers they share.
machine() {
  local cpu
  cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
  echo "- Machine: $(nproc) cores, $cpu; kernel $(uname -r); $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "- Compiler: $(g++ --version | head -n 1); commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' (with uncommitted changes)')"
}

say() { printf 'bench: %s\n' "$*" >&2; }

# Waits up to 10 s for a daemon's GET /api/v1/health on 127.0.0.1:$1.
wait_for_health() {
  local i
  for i in $(seq 1 1000); do
    if curl -sf "http://127.0.0.1:$1/api/v1/health" >/dev/null; then return 0; fi
    sleep 0.01
  done
  say "the daemon did not answer on port $1"
  return 1
}

vmrss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# section_head TITLE LOAD_BEFORE COMMAND: the head of a RESULTS.md section
# measured on the shared machine ("## date, TITLE", machine, load, command).
section_head() {
  echo
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC')${1:+, $1}"
  echo
  machine
  echo "- Shared machine: other jobs (test builds) may run beside the benchmark on the same 2 cores."
  echo "  Load average (1/5/15 min) before: $2; after: $(loadavg)."
  echo "- Command: \`$3\`"
  echo
}

# publish_section FILE RESULTS: appends the finished section FILE to
# RESULTS and prints it.
publish_section() {
  cat "$1" >>"$2"
  cat "$1"
  say "appended to $2"
}
