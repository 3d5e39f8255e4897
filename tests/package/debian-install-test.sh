#!/usr/bin/env bash
# Proof that the .deb works on a fresh Debian with no Rust toolchain:
#   1. builds the package (`cargo deb --locked`), unless given one: debian-install-test.sh FILE.deb
#   2. makes a clean Debian root with debootstrap (minbase) in a folder of its own
#   3. installs the package there with apt, which fetches its dependencies and nothing else
#      (no recommends), then as an ordinary user inside that root:
#   4. `keyholder --version` (version, commit, price books) and `keyholder check` on a sample
#   5. the installed .desktop entry: its Icon is installed, and its Exec command with a plan path
#      opens a window titled "<plan> - Keyholder" under Xvfb (the X server runs outside the root,
#      so the window has only what the package brought); its WM_CLASS matches StartupWMClass and
#      it carries an icon; Ctrl+Q closes it
#   6. what a file manager does on a double-click: with shared-mime-info, desktop-file-utils,
#      xdg-utils and gio installed as on a desktop, the plan's type is application/x-keyholder-plan,
#      its default application is Keyholder's entry, and `gio open PLAN` opens it in Keyholder.
# Needs root (debootstrap, chroot) and a Debian mirror; skips with a message, and exit status 0,
# when it cannot run. KEYHOLDER_DEBIAN_MIRROR and KEYHOLDER_DEBIAN_SUITE override the mirror and
# suite taken from this machine's apt sources; KEYHOLDER_KEEP_ROOT=1 keeps the root for a look.
set -euo pipefail
cd "$(dirname "$0")/../.."

skip() {
  echo "SKIP debian-install-test: $*"
  exit 0
}
fail() {
  echo "FAIL debian-install-test: $*" >&2
  exit 1
}
step() { echo "== $*"; }
# A command that fails outside an explicit check still says where.
trap 'echo "FAIL debian-install-test: line $LINENO: $BASH_COMMAND" >&2' ERR

[ "$(id -u)" = 0 ] || skip "needs root (debootstrap and chroot); run it as root"
command -v debootstrap >/dev/null || skip "debootstrap is not installed (apt-get install debootstrap)"
for tool in Xvfb xauth xdpyinfo xdotool xprop; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (apt-get install xvfb xauth xdotool x11-utils)"
done

# The suite and mirror of this machine's own apt sources (deb822 or one-line format).
suite=${KEYHOLDER_DEBIAN_SUITE:-$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release 2>/dev/null)}
mirror=${KEYHOLDER_DEBIAN_MIRROR:-}
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
  # The first deb822 stanza whose Suites name this suite (not the security archive's).
  mirror=$(awk -v s="$suite" '
    /^$/ { uri = ""; suites = "" }
    /^URIs:/ { uri = $2 }
    /^Suites:/ { suites = " " substr($0, 8) " " }
    uri != "" && index(suites, " " s " ") { print uri; exit }' /etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk -v s="$suite" '$1 == "deb" && $3 == s { print $2; exit }' /etc/apt/sources.list)
fi
[ -n "$suite" ] || skip "this is not Debian (no VERSION_CODENAME in /etc/os-release); set KEYHOLDER_DEBIAN_SUITE"
[ -n "$mirror" ] || skip "no Debian mirror in this machine's apt sources; set KEYHOLDER_DEBIAN_MIRROR"

started=$(date +%s)
work=$(mktemp -d /var/tmp/keyholder-debian-test.XXXXXX)
root="$work/root"
app="" xvfb=""
app_log="$work/app.log" # what the running keyholder printed
cleanup() {
  trap - ERR
  if [ -n "$app" ]; then kill "$app" 2>/dev/null || true; fi
  if [ -n "$xvfb" ]; then kill "$xvfb" 2>/dev/null || true; fi
  # Unmount before removing, and never cross into a mount: the host's files stay safe.
  for mounted in "$root/proc" "$root/sys"; do
    if mountpoint -q "$mounted" 2>/dev/null; then umount -l "$mounted" || true; fi
  done
  if [ "${KEYHOLDER_KEEP_ROOT:-0}" = 1 ]; then
    echo "the Debian root is kept in $root"
  else
    rm -rf --one-file-system "$work"
  fi
}
trap cleanup EXIT

# -- 1. the package -------------------------------------------------------------------------------
if [ $# -ge 1 ]; then
  deb=$1
else
  cargo deb --version >/dev/null 2>&1 || skip "cargo-deb is not installed (cargo install --locked cargo-deb)"
  step "cargo deb --locked"
  deb=$(cargo deb --locked 2>"$work/cargo-deb.log" | tail -n 1) || {
    cat "$work/cargo-deb.log"
    fail "cargo deb failed"
  }
fi
[ -f "$deb" ] || fail "no package at '$deb'"
echo "package: $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb --field "$deb" Package Version Depends Recommends

# -- 2. a fresh Debian root -----------------------------------------------------------------------
step "debootstrap --variant=minbase $suite (from $mirror)"
if ! debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1; then
  tail -n 20 "$work/debootstrap.log"
  if grep -qiE "Failed getting release file|Couldn't download|Temporary failure resolving|Could not resolve|Connection (refused|timed out)" "$work/debootstrap.log"; then
    skip "debootstrap could not reach $mirror"
  fi
  if grep -qiE "Operation not permitted|cannot (mount|mknod|chroot)" "$work/debootstrap.log"; then
    skip "debootstrap cannot run in this container"
  fi
  fail "debootstrap failed"
fi
echo "root made in $(( $(date +%s) - started )) s"
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
cp /etc/resolv.conf "$root/etc/resolv.conf"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
# Run as an account manager would: an ordinary user with a home folder.
in_root useradd --create-home --shell /bin/sh dana
dana="$(in_root id -u dana):$(in_root id -g dana)" # numbers: the host may have no such user
as_dana() {
  chroot --userspec="$dana" "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/home/dana \
    USER=dana LANG=C.UTF-8 DISPLAY="${DISPLAY:-}" XAUTHORITY=/home/dana/.Xauthority \
    XDG_RUNTIME_DIR=/tmp/dana-runtime "$@"
}
if in_root sh -c 'command -v cargo || command -v rustc' >/dev/null; then
  fail "the fresh root has a Rust toolchain"
fi

# -- 3. install the package with its dependencies -------------------------------------------------
step "apt-get install ./$(basename "$deb") (dependencies from the mirror, no recommends)"
cp "$deb" "$root/tmp/"
in_root apt-get update -qq >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get update failed in the root"; }
in_root sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends /tmp/$(basename "$deb")" \
  >"$work/install.log" 2>&1 || { tail -n 30 "$work/install.log"; fail "the package did not install"; }
echo "packages installed with it: $(grep -c '^Setting up ' "$work/install.log")"
in_root dpkg-query --show keyholder
in_root sh -c 'dpkg --audit && apt-get check -qq' || fail "dpkg or apt reports a broken system"

# -- 4. the command line --------------------------------------------------------------------------
step "keyholder --version"
version_text=$(as_dana keyholder --version) || fail "keyholder --version failed"
echo "$version_text"
cargo_version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ "$(echo "$version_text" | head -n 1)" = "keyholder $cargo_version" ] \
  || fail "--version does not start with 'keyholder $cargo_version'"
if head=$(git rev-parse --short=12 HEAD 2>/dev/null) && [ -z "${KEYHOLDER_COMMIT:-}" ] && [ $# -eq 0 ]; then
  echo "$version_text" | grep -qx "commit: $head" || fail "--version does not name commit $head"
fi
[ "$(echo "$version_text" | grep -c '^price book: .*, as of [0-9]\{4\}-[0-9]\{2\} ')" -ge 2 ] \
  || fail "--version does not list the price books with their dates"

step "keyholder check (the installed samples)"
as_dana mkdir -p -m 700 /home/dana/Documents /tmp/dana-runtime
as_dana cp /usr/share/doc/keyholder/examples/law-firm.ron /home/dana/Documents/law-firm.ron
# The glob is the root's, so the shell inside it expands it.
as_dana sh -c 'keyholder check /usr/share/doc/keyholder/examples/*.ron'
check_output=$(as_dana keyholder check /home/dana/Documents/law-firm.ron)
[ "$check_output" = "/home/dana/Documents/law-firm.ron: ok (11 workloads, 3 scenarios)" ] \
  || fail "unexpected check output: $check_output"
printf '(\n    format_version: 1,\n    customer: (\n' | as_dana sh -c 'cat > /home/dana/Documents/broken.ron'
if as_dana keyholder check /home/dana/Documents/broken.ron 2>"$work/broken.err"; then
  fail "check accepted a broken plan"
fi
echo "a broken plan is refused: $(cat "$work/broken.err")"

# -- 5. the desktop entry and the window ----------------------------------------------------------
desktop=$(grep -l "^Exec=keyholder" "$root"/usr/share/applications/*.desktop | head -n 1 || true)
[ -n "$desktop" ] || fail "no installed .desktop entry runs keyholder"
entry() { sed -n "/^\[Desktop Entry\]/,/^\[/ s/^$1=//p" "$desktop" | head -n 1; }
exec_line=$(entry Exec)
icon=$(entry Icon)
wm_class=$(entry StartupWMClass)
mime_type=$(entry MimeType)
echo "desktop entry ${desktop#"$root"}: Exec=$exec_line Icon=$icon StartupWMClass=$wm_class MimeType=$mime_type"
case "$exec_line" in *%f* | *%F* | *%u* | *%U*) ;; *) fail "Exec=$exec_line takes no file" ;; esac
icons=$(find "$root/usr/share/icons/hicolor" -path "*/apps/$icon.*" -printf '%P\n' 2>/dev/null | sort)
[ -n "$icons" ] || fail "the entry's icon '$icon' is not installed under /usr/share/icons/hicolor"
echo "icon files: $(echo "$icons" | tr '\n' ' ')"
[ -f "$root/usr/share/icons/hicolor/48x48/apps/$icon.png" ] || fail "no 48x48 icon (the size menus use)"

# An X server of this test's own: a free display number, and a cookie so that no other client on
# the machine (another test looking for a Keyholder window) can connect to it.
export XAUTHORITY="$work/Xauthority"
for display_number in $(seq $((100 + RANDOM % 100)) 299); do
  [ -e "/tmp/.X$display_number-lock" ] && continue
  DISPLAY=":$display_number"
  export DISPLAY
  xauth -q add "$DISPLAY" . "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  Xvfb "$DISPLAY" -auth "$XAUTHORITY" -screen 0 1400x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
  xvfb=$!
  for _ in $(seq 100); do
    xdpyinfo >/dev/null 2>&1 && break
    kill -0 "$xvfb" 2>/dev/null || break
    sleep 0.05
  done
  xdpyinfo >/dev/null 2>&1 && break
  kill "$xvfb" 2>/dev/null || true
  xvfb=""
done
[ -n "$xvfb" ] || { cat "$work/xvfb.log"; fail "Xvfb did not start"; }
echo "Xvfb on display $DISPLAY"
# The root sees the X server through its abstract socket (same network namespace); its own
# /tmp/.X11-unix is empty, so nothing of the host's file system is shared. Dana gets the cookie.
install -o "${dana%%:*}" -g "${dana##*:}" -m 600 "$XAUTHORITY" "$root/home/dana/.Xauthority"

# Waits for a window with this exact title; prints its id. Fails if the app exits first.
wait_for_window() {
  local title=$1 window="" _
  for _ in $(seq 300); do
    window=$(xdotool search --name "^$title\$" 2>/dev/null | head -n 1 || true)
    [ -n "$window" ] && break
    kill -0 "$app" 2>/dev/null || { cat "$app_log" >&2; fail "keyholder exited before its window appeared"; }
    sleep 0.05
  done
  [ -n "$window" ] || { cat "$app_log" >&2; fail "no window titled '$title' within 15 s"; }
  echo "$window"
}
close_window() {
  local window=$1 _
  xdotool windowfocus --sync "$window" key ctrl+q
  for _ in $(seq 200); do kill -0 "$app" 2>/dev/null || break; sleep 0.05; done
  if kill -0 "$app" 2>/dev/null; then cat "$app_log" >&2; fail "keyholder did not close on Ctrl+Q"; fi
  wait "$app" 2>/dev/null || true
  app=""
}

step "the entry's command with a plan: ${exec_line//%f/\/home\/dana\/Documents\/law-firm.ron}"
plan=/home/dana/Documents/law-firm.ron
command_line=${exec_line//%[fFuU]/"'$plan'"}
launched=$(date +%s%N)
as_dana sh -c "exec $command_line" >"$app_log" 2>&1 &
app=$!
window=$(wait_for_window "law-firm.ron - Keyholder")
echo "window $window 'law-firm.ron - Keyholder' after $(( ($(date +%s%N) - launched) / 1000000 )) ms"
sleep 1
class=$(xprop -id "$window" WM_CLASS | sed -n 's/^WM_CLASS(STRING) = //p')
# _NET_WM_ICON is width, height, then ARGB pixels: keep the size.
xprop -id "$window" -notype 32c _NET_WM_ICON >"$work/net-wm-icon.txt"
icon_size=$(head -c 100 "$work/net-wm-icon.txt" | sed -n 's/^_NET_WM_ICON = \([0-9]*\), \([0-9]*\),.*/\1x\2/p')
echo "window WM_CLASS: $class; window icon (_NET_WM_ICON): ${icon_size:-none}"
if [ "${KEYHOLDER_WINDOW_IDENTITY:-check}" = skip ]; then
  echo "NOTE: WM_CLASS and window icon not checked (KEYHOLDER_WINDOW_IDENTITY=skip)"
else
  # winit sets WM_CLASS to ("", app id); desktops match it to StartupWMClass to show the icon.
  [[ $class == *"\"$wm_class\""* ]] \
    || fail "the window's WM_CLASS ($class) is not the entry's StartupWMClass ($wm_class): the window must use identity::APP_ID as its app id"
  [ "$icon_size" = 256x256 ] \
    || fail "the window's icon is '${icon_size:-none}', not 256x256: the window must use identity::window_icon()"
fi
import -window "$window" "$work/window.png" 2>/dev/null && mkdir -p target/ci \
  && cp "$work/window.png" target/ci/debian-window.png && echo "screenshot: target/ci/debian-window.png"
close_window "$window"
echo "window closed"

# -- 6. a double-click in a file manager ----------------------------------------------------------
step "as on a desktop: shared-mime-info, desktop-file-utils, xdg-utils, gio"
in_root sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends shared-mime-info desktop-file-utils xdg-utils libglib2.0-bin" \
  >"$work/desktop.log" 2>&1 || { tail -n 30 "$work/desktop.log"; fail "the desktop tools did not install"; }
# As in a GNOME session, where xdg-mime asks gio (a bare system has no `file` or `mimetype`).
filetype=$(as_dana env XDG_CURRENT_DESKTOP=GNOME xdg-mime query filetype "$plan") \
  || fail "xdg-mime could not tell the plan's type"
default_app=$(as_dana env XDG_CURRENT_DESKTOP=GNOME xdg-mime query default "$filetype") \
  || fail "xdg-mime could not tell the default application for $filetype"
echo "xdg-mime: $plan is $filetype; its default application is $default_app"
[ "$filetype" = "$mime_type" ] || [ "$filetype;" = "$mime_type" ] \
  || fail "a plan's type is '$filetype', not the entry's '$mime_type'"
[ "$default_app" = "$(basename "$desktop")" ] || fail "plans open with '$default_app', not $(basename "$desktop")"
as_dana gio mime "$filetype" | sed 's/^/gio mime: /'

step "gio open $plan (what a double-click runs)"
app_log="$work/gio.log"
as_dana gio open "$plan" >"$app_log" 2>&1 || { cat "$app_log"; fail "gio open failed"; }
# gio starts keyholder and returns; find that process (the one whose root is this Debian root,
# not any other keyholder on the machine) to watch it and see it close.
root_real=$(readlink -f "$root")
started_in_root() {
  local pid
  for pid in $(pgrep -x keyholder || true); do
    [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root_real" ] && { echo "$pid"; return; }
  done
}
for _ in $(seq 100); do app=$(started_in_root); [ -n "$app" ] && break; sleep 0.05; done
[ -n "$app" ] || { cat "$app_log"; fail "gio open did not start keyholder"; }
window=$(wait_for_window "law-firm.ron - Keyholder")
echo "window $window 'law-firm.ron - Keyholder' opened by gio"
close_window "$window"

echo "debian-install-test passed in $(( $(date +%s) - started )) s"
