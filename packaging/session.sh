#!/bin/sh
# Runs a command inside a private desktop session: its own D-Bus session bus, an unlocked
# gnome-keyring on it, and an Xvfb display. `make test` runs the test suite this way so that every
# test touching the keyring or a display touches the real thing, and nothing touches yours.
#
#   packaging/session.sh COMMAND [ARGS...]
#
# HOME and the XDG dirs move to a temporary folder for the session (the keyring's files go there);
# the Go caches stay where they were, so nothing is rebuilt.
set -eu

if [ "${TOKENTRAY_IN_SESSION:-}" != 1 ]; then
  for cmd in dbus-run-session gnome-keyring-daemon Xvfb; do
    command -v "$cmd" >/dev/null 2>&1 || { echo "session.sh: $cmd is missing; run packaging/install-deps.sh test" >&2; exit 1; }
  done
  # Keep the caller's Go caches: the private HOME below would otherwise start them cold.
  GOCACHE=$(go env GOCACHE) GOMODCACHE=$(go env GOMODCACHE) GOPATH=$(go env GOPATH)
  export GOCACHE GOMODCACHE GOPATH
  home=$(mktemp -d "${TMPDIR:-/tmp}/tokentray-session.XXXXXX")
  trap 'rm -rf "$home"' EXIT INT TERM
  mkdir -p "$home/run" "$home/.cache" && chmod 700 "$home/run"
  export HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
    XDG_STATE_HOME="$home/.local/state" XDG_CACHE_HOME="$home/.cache" XDG_RUNTIME_DIR="$home/run" \
    TOKENTRAY_IN_SESSION=1
  # dbus-run-session ends the bus, and the services it started, when the command ends.
  status=0
  dbus-run-session -- "$0" "$@" || status=$?
  exit $status
fi

# Inside the private bus: unlock a fresh login keyring (password "test") for this session only.
eval "$(printf test | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

# A display of our own: pick a free number and let Xvfb report readiness through -displayfd.
fifo="$HOME/xvfb.fd"; mkfifo "$fifo"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$fifo" >"$HOME/xvfb.log" 2>&1 &
xvfb=$!
read -r display <"$fifo"
export DISPLAY=":$display"
# Tell tests that the session is real: a missing part now fails them instead of skipping.
export TOKENTRAY_TEST_SESSION=1
echo "session.sh: D-Bus $DBUS_SESSION_BUS_ADDRESS, keyring unlocked, DISPLAY=$DISPLAY"
status=0
"$@" || status=$?
kill "$xvfb" 2>/dev/null || true
exit $status
