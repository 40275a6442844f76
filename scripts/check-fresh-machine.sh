#!/usr/bin/env bash
#===- check-fresh-machine.sh - README's commands on a pristine Debian 12 --===#
#
# Usage: scripts/check-fresh-machine.sh [--only N] [--keep-logs DIR]
#
# Proves that the two set-up commands at the top of README.md work on a
# freshly installed Debian 12 machine:
#
#   1. builds a minimal Debian 12 root (debootstrap --variant=minbase
#      bookworm, plus git and ca-certificates) in a temporary folder and gives
#      it this machine's apt sources;
#   2. clones the commit checked out here (HEAD; uncommitted changes are not
#      part of the check) into /root/quant-mlir inside it;
#   3. for each of README's two commands, read from README.md itself, takes
#      a fresh copy of that root, mounts /proc, /sys and /dev, and runs the
#      command there as root in a plain login shell with an empty
#      environment;
#   4. prints the wall time and the end of the output of each; exits non-zero
#      with the failing output when either fails.
#
# The first command passes when it exits 0 and prints the example's logits
# (a memref printed by printMemrefF32); the second when it exits 0 and ends
# with "N passed, 0 failed". Everything is unmounted and removed at the end,
# also when interrupted. Needs root, network access to the Debian archives,
# about 6 GB of disk in ${TMPDIR:-/var/tmp} and 20-30 minutes on 2 cores.
#
#   --only N        run only README's command N (1 or 2)
#   --keep-logs DIR copy the full output of each command to DIR/command-N.log
#
#===----------------------------------------------------------------------===#
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
only=""
keep_logs=""
while (($#)); do
  case "$1" in
  --only)
    only="${2:?--only needs 1 or 2}"
    shift 2
    ;;
  --keep-logs)
    keep_logs="${2:?--keep-logs needs a folder}"
    shift 2
    ;;
  -h | --help)
    sed -n '3,29p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "check-fresh-machine: unknown argument '$1' (see --help)" >&2
    exit 2
    ;;
  esac
done
if [[ -n "$only" && "$only" != 1 && "$only" != 2 ]]; then
  echo "check-fresh-machine: --only takes 1 or 2, not '$only'" >&2
  exit 2
fi

say() { printf 'check-fresh-machine: %s\n' "$*"; }
die() {
  say "$*" >&2
  exit 1
}

[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap, mount and chroot)"

#===----------------------------------------------------------------------===#
# README's two commands: the first two ```sh blocks of README.md.
#===----------------------------------------------------------------------===#

commands=()
while IFS= read -r -d '' block; do
  commands+=("$block")
done < <(awk '
  /^```sh[[:space:]]*$/ { inblock = 1; text = ""; next }
  /^```/ && inblock { inblock = 0; printf "%s%c", text, 0; if (++n == 2) exit; next }
  inblock { text = text (text == "" ? "" : "\n") $0 }
' "$root/README.md")
((${#commands[@]} == 2)) ||
  die "README.md must open with two \`\`\`sh blocks (found ${#commands[@]})"

commit="$(git -C "$root" rev-parse HEAD)"
if [[ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]]; then
  say "warning: uncommitted changes are not checked; checking $commit"
fi

#===----------------------------------------------------------------------===#
# Temporary folder, cleaned up on every exit path.
#===----------------------------------------------------------------------===#

work="$(mktemp -d "${TMPDIR:-/var/tmp}/qnn-fresh.XXXXXX")"
child=""

# The mount points under $work, deepest first (nested mounts such as
# /dev/pts under /dev must go first).
mounts_under_work() {
  findmnt -rn -o TARGET | { grep -F "$work/" || true; } | sort -r
}

unmount_all() {
  local target
  for target in $(mounts_under_work); do
    umount "$target" 2>/dev/null || umount -l "$target" || true
  done
}

cleanup() {
  local status=$?
  # Clean up whatever fails on the way.
  set +e
  trap - EXIT INT TERM
  if [[ -n "$child" ]] && kill -0 "$child" 2>/dev/null; then
    kill -TERM -- "-$child" 2>/dev/null || true
    sleep 2
    kill -KILL -- "-$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  unmount_all
  if [[ -n "$(mounts_under_work)" ]]; then
    say "still mounted under $work; not removing it" >&2
  else
    rm -rf --one-file-system "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

#===----------------------------------------------------------------------===#
# The pristine root.
#===----------------------------------------------------------------------===#

if ! command -v debootstrap >/dev/null; then
  say "installing debootstrap on this machine"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
fi

# The mirror of the host's bookworm sources, else Debian's default.
mirror="$(grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list \
  /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list \
  2>/dev/null | head -n1 | tr -d ' ' || true)"
mirror="${mirror:-http://deb.debian.org/debian}"

base="$work/base"
say "debootstrap bookworm from $mirror"
start=$(date +%s)
if ! debootstrap --variant=minbase --include=git,ca-certificates bookworm \
  "$base" "$mirror" >"$work/debootstrap.log" 2>&1; then
  tail -n 30 "$work/debootstrap.log" >&2
  die "debootstrap failed"
fi
say "pristine root ready in $(($(date +%s) - start)) s"

# The host's apt sources (LLVM 22 comes from bookworm-security) and the
# keyrings they name, and name resolution.
: >"$base/etc/apt/sources.list"
[[ -f /etc/apt/sources.list ]] && cp /etc/apt/sources.list "$base/etc/apt/"
for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [[ -f "$f" ]] || continue
  cp "$f" "$base/etc/apt/sources.list.d/"
  grep -hoE '(Signed-By:|signed-by=)[[:space:]]*[^] ]+' "$f" |
    sed -E 's/^(Signed-By:|signed-by=)[[:space:]]*//' |
    while read -r key; do
      if [[ -f "$key" && ! -e "$base$key" ]]; then
        mkdir -p "$base$(dirname "$key")"
        cp "$key" "$base$key"
      fi
    done
done
cp -L /etc/resolv.conf "$base/etc/resolv.conf"

git clone --quiet --no-local "$root" "$base/root/quant-mlir"
git -C "$base/root/quant-mlir" checkout --quiet --detach "$commit"
say "cloned $commit into /root/quant-mlir"

#===----------------------------------------------------------------------===#
# One fresh root per command.
#===----------------------------------------------------------------------===#

# Runs $2 (a shell snippet) in a copy of the pristine root named $1, logging
# to $work/$1.log; returns its exit status.
run_in_fresh_root() {
  local name="$1" script="$2" dir="$work/$1"
  # Called in a condition, where `set -e` does not apply: check each step.
  cp -a "$base" "$dir" || return 1
  mount -t proc proc "$dir/proc" || return 1
  mount -t sysfs sysfs "$dir/sys" || return 1
  # A slave copy of /dev: unmounting it later must not reach the host's.
  mount --rbind /dev "$dir/dev" || return 1
  mount --make-rslave "$dir/dev" || return 1
  local status=0
  setsid chroot "$dir" /usr/bin/env -i \
    HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -l -c "cd /root/quant-mlir && $script" \
    </dev/null >"$work/$name.log" 2>&1 &
  child=$!
  wait "$child" || status=$?
  child=""
  unmount_all
  if [[ -n "$keep_logs" ]]; then
    mkdir -p "$keep_logs"
    cp "$work/$name.log" "$keep_logs/$name.log"
  fi
  rm -rf --one-file-system "$dir"
  return "$status"
}

# Whether the output of README's command $1 shows it did its job.
output_ok() {
  local n="$1" log="$2"
  case "$n" in
  1) grep -A1 '^Unranked Memref base@.* data =' "$log" | grep -qE '^\[\[-?[0-9]' ;;
  2) [[ "$(tail -n 1 "$log")" =~ ^[0-9]+\ passed,\ 0\ failed$ ]] ;;
  esac
}

failures=0
summary=()
for n in 1 2; do
  [[ -z "$only" || "$only" == "$n" ]] || continue
  cmd="${commands[$((n - 1))]}"
  say "command $n: $cmd"
  start=$(date +%s)
  status=0
  run_in_fresh_root "command-$n" "$cmd" || status=$?
  secs=$(($(date +%s) - start))
  log="$work/command-$n.log"
  time_text="$((secs / 60)) min $((secs % 60)) s"
  if ((status == 0)) && output_ok "$n" "$log"; then
    say "command $n passed in $time_text; its output ends with:"
    tail -n 8 "$log" | sed 's/^/    /'
    summary+=("command $n: passed in $time_text")
  else
    say "command $n FAILED (exit status $status) after $time_text; output:" >&2
    tail -n 80 "$log" | sed 's/^/    /' >&2
    summary+=("command $n: FAILED (exit status $status) after $time_text")
    failures=$((failures + 1))
  fi
done

say "summary for $commit:"
printf '  %s\n' "${summary[@]}"
((failures == 0))
