# Sourced by bench/run.sh and bench/run_sync.sh: machine() prints the
# Machine and Compiler lines of a RESULTS.md section.
machine() {
  local cpu
  cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
  echo "- Machine: $(nproc) cores, $cpu; kernel $(uname -r); $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "- Compiler: $(g++ --version | head -n 1); commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' (with uncommitted changes)')"
}
