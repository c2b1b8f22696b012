#!/usr/bin/env bash
# Copied by deploy-kit as it is, the same in every kit; this kit's own values are in settings.sh.
# Edit freely: regenerating keeps your changes (a clash with a newer copy is marked as a conflict).
#
# Shared by deploy.sh and rollback.sh (sourced, never run on its own): settings, the deploy lock,
# starting a color, the health gate, the nginx switch and the release log. The switch is written
# once, here, so a rollback is exactly a deploy of an older image.
set -euo pipefail

# This kit's values (APP_NAME, APP_DIR, ports, health route...), generated beside this file.
# shellcheck source=/dev/null
source "$(dirname "${BASH_SOURCE[0]}")/settings.sh"

# The other settings: environment variables with defaults. `deploy.sh --help` explains each.
: "${BIND_ADDRESS:=127.0.0.1}"
: "${APP_PORT_ENV:=}"
: "${APP_LISTEN_ADDR_ENV:=}"
: "${HEALTH_TIMEOUT:=60}"
: "${DRAIN_SECONDS:=10}"
: "${STOP_TIMEOUT:=30}"
: "${LOCK_TIMEOUT:=600}"
: "${ENV_FILE:=$APP_DIR/.env}"
: "${RELEASE_LOG:=$APP_DIR/releases.log}"
: "${LOCK_FILE:=$APP_DIR/.deploy.lock}"
: "${NGINX_UPSTREAM_FILE:=$APP_DIR/nginx/upstream.conf}"
: "${NGINX_CMD:=sudo -n nginx}"
: "${NGINX_RELOAD:=$NGINX_CMD -s reload}"
: "${DOCKER:=docker}"
: "${PULL:=missing}"
: "${RUNTIME:=docker}"
: "${SYSTEMCTL:=sudo -n systemctl}"
: "${GIT_SHA:=}"
: "${VERIFY_REPO:=}"
: "${VERIFY_WORKFLOW:=.github/workflows/deploy.yml}"
: "${GH:=gh}"

dk_env_help() {
  cat <<EOF
Settings (environment variables; defaults in brackets):
  APP_NAME                 containers are \$APP_NAME-blue and \$APP_NAME-green [$APP_NAME]
  APP_DIR                  host directory: release log, lock, .env; must exist [$APP_DIR]
  APP_PORT                 port the app listens on inside the container [$APP_PORT]
  APP_PORT_ENV             the app's own port variable, set to APP_PORT beside PORT; empty: PORT only [${APP_PORT_ENV:-none}]
  APP_LISTEN_ADDR_ENV      the app's own listen-address variable, set to 0.0.0.0:APP_PORT; empty: none [${APP_LISTEN_ADDR_ENV:-none}]
  BIND_ADDRESS             host address the colors publish on [$BIND_ADDRESS]
  BLUE_PORT, GREEN_PORT    host ports of the two colors [$BLUE_PORT, $GREEN_PORT]
  HEALTH_PATH              health route, probed on the new color before any traffic; empty: any HTTP answer [$HEALTH_PATH]
  APP_TMPFS                the container's writable paths (tmpfs), space-separated path[:options] [${APP_TMPFS:-/tmp}]
  HEALTH_TIMEOUT           seconds the new color has to pass the health gate [$HEALTH_TIMEOUT]
  DRAIN_SECONDS            seconds between the nginx reload and stopping the old color [$DRAIN_SECONDS]
  STOP_TIMEOUT             seconds the old color gets after SIGTERM before SIGKILL [$STOP_TIMEOUT]
  LOCK_TIMEOUT             seconds to wait for a deploy already running; 0 fails at once [$LOCK_TIMEOUT]
  KEEP_RELEASES            releases whose images stay on the host for rollback [$KEEP_RELEASES]
  ENV_FILE                 app environment passed to the container when present [$ENV_FILE]
  RELEASE_LOG              one line per release, replaced atomically [$RELEASE_LOG]
  LOCK_FILE                flock(1) lock shared by deploy.sh and rollback.sh [$LOCK_FILE]
  NGINX_UPSTREAM_FILE      the include nginx's upstream reads; rewritten on each switch [$NGINX_UPSTREAM_FILE]
  NGINX_CMD                nginx command (for -t and -T) [$NGINX_CMD]
  NGINX_RELOAD             command that reloads nginx [$NGINX_RELOAD]
  DOCKER                   container CLI (docker, "sudo docker", podman) [$DOCKER]
  PULL                     missing | always | never: when to pull the image [$PULL]
  RUNTIME                  docker (restart policy) | systemd (units $APP_NAME@blue/green) [$RUNTIME]
  SYSTEMCTL                systemctl command when RUNTIME=systemd [$SYSTEMCTL]
  PROMETHEUS_TARGETS_FILE  file_sd JSON naming the live color; empty: none [${PROMETHEUS_TARGETS_FILE:-none}]
  GIT_SHA                  commit recorded in the release log [the image tag when it is a SHA]
  VERIFY_REPO              owner/name: deploy only an image (by digest) whose build provenance
                           attestation that repository's VERIFY_WORKFLOW signed; empty: no check [${VERIFY_REPO:-none}]
  VERIFY_WORKFLOW          the workflow that must have signed it [$VERIFY_WORKFLOW]
  GH                       the GitHub CLI that checks it (gh attestation verify) [$GH]
EOF
}

DK_SCRIPT=$(basename "$0")
# Set while a new color runs that traffic does not reach yet: removed if the script stops early.
DK_PENDING=""
# Set from the moment the upstream file is replaced until nginx has loaded it: if the script
# stops in between, the exit trap puts the previous upstream back and reloads nginx.
DK_SWITCHING=""

dk_log() { printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "$DK_SCRIPT" "$*" >&2; }
dk_die() {
  dk_log "error: $*"
  exit 1
}
dk_usage_error() {
  printf '%s: %s\nRun %s --help for usage.\n' "$DK_SCRIPT" "$1" "$DK_SCRIPT" >&2
  exit 2
}
dk_now() { date -u +%Y-%m-%dT%H:%M:%SZ; }

dk_require_int() {
  local name=$1 value=$2
  [[ $value =~ ^[0-9]+$ ]] || dk_usage_error "$name must be a whole number, got \"$value\""
}

# Settings checks and the commands as arrays (a setting like "sudo -n nginx" is several words).
dk_init() {
  local v
  for v in APP_PORT BLUE_PORT GREEN_PORT HEALTH_TIMEOUT DRAIN_SECONDS STOP_TIMEOUT LOCK_TIMEOUT KEEP_RELEASES; do
    dk_require_int "$v" "${!v}"
  done
  [ "$BLUE_PORT" != "$GREEN_PORT" ] || dk_usage_error "BLUE_PORT and GREEN_PORT must differ"
  [[ -z $APP_PORT_ENV || $APP_PORT_ENV =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] ||
    dk_usage_error "APP_PORT_ENV must be a variable name (letters, digits, _), got \"$APP_PORT_ENV\""
  [[ -z $APP_LISTEN_ADDR_ENV || $APP_LISTEN_ADDR_ENV =~ ^[A-Z_][A-Z0-9_]*$ ]] ||
    dk_usage_error "APP_LISTEN_ADDR_ENV must be a variable name (A-Z, 0-9, _), got \"$APP_LISTEN_ADDR_ENV\""
  [ "$KEEP_RELEASES" -ge 1 ] || dk_usage_error "KEEP_RELEASES must be at least 1"
  case $PULL in missing | always | never) ;; *) dk_usage_error "PULL must be missing, always or never" ;; esac
  case $RUNTIME in docker | systemd) ;; *) dk_usage_error "RUNTIME must be docker or systemd" ;; esac
  read -r -a DK_DOCKER <<<"$DOCKER"
  read -r -a DK_NGINX <<<"$NGINX_CMD"
  read -r -a DK_NGINX_RELOAD <<<"$NGINX_RELOAD"
  read -r -a DK_SYSTEMCTL <<<"$SYSTEMCTL"
  read -r -a DK_GH <<<"$GH"
}

# What the host must have before anything changes. Nothing here touches traffic.
dk_preflight() {
  local tool
  for tool in "${DK_DOCKER[0]}" curl flock; do
    command -v "$tool" >/dev/null 2>&1 || dk_die "$tool is not installed on this host (see DEPLOY.md, host setup)"
  done
  [ -d "$APP_DIR" ] || dk_die "APP_DIR $APP_DIR does not exist: create it as in DEPLOY.md (host setup), or set APP_DIR"
  [ -w "$APP_DIR" ] || dk_die "APP_DIR $APP_DIR is not writable by $(id -un)"
  local upstream_dir
  upstream_dir=$(dirname "$NGINX_UPSTREAM_FILE")
  [ -d "$upstream_dir" ] || dk_die "the directory of NGINX_UPSTREAM_FILE ($upstream_dir) does not exist: create it as in DEPLOY.md (host setup)"
  [ -w "$upstream_dir" ] || dk_die "$upstream_dir is not writable by $(id -un), so nginx cannot be switched"
  local out
  if ! out=$("${DK_NGINX[@]}" -t 2>&1); then
    printf '%s\n' "$out" | sed 's/^/  | /' >&2
    dk_die "nginx -t fails before any change: fix the nginx configuration first (traffic was not touched)"
  fi
}

# With VERIFY_REPO set, IMAGE runs only if its digest carries a build provenance attestation
# (GitHub artifact attestations) signed by VERIFY_REPO's VERIFY_WORKFLOW: checked by gh before
# anything is pulled or started. A tag is refused, since it could be moved after the check.
dk_verify_image() {
  local image=$1 out
  [ -n "$VERIFY_REPO" ] || return 0
  [[ $image == *@sha256:* ]] || dk_die "VERIFY_REPO is set, so the image must be named by its digest (REPOSITORY@sha256:...), not $image: a tag can be moved after the check"
  command -v "${DK_GH[0]}" >/dev/null 2>&1 ||
    dk_die "VERIFY_REPO is set, but ${DK_GH[0]} (the GitHub CLI) is not installed on this host: install it as in DEPLOY.md (host setup); $image was not run"
  dk_log "verifying the build attestation of $image (signed by $VERIFY_REPO/$VERIFY_WORKFLOW)"
  if ! out=$("${DK_GH[@]}" attestation verify "oci://$image" --repo "$VERIFY_REPO" --signer-workflow "$VERIFY_REPO/$VERIFY_WORKFLOW" 2>&1); then
    printf '%s\n' "$out" | sed 's/^/  | /' >&2
    dk_die "refusing $image: no build attestation of it verifies as signed by $VERIFY_REPO/$VERIFY_WORKFLOW (traffic was not touched)"
  fi
  dk_log "attestation verified: $VERIFY_REPO/$VERIFY_WORKFLOW built $image"
}

# The deploy lock: one deploy or rollback at a time; the other waits up to LOCK_TIMEOUT seconds.
dk_lock() {
  exec 9>>"$LOCK_FILE" || dk_die "cannot open the lock file $LOCK_FILE"
  if flock --nonblock 9; then return 0; fi
  [ "$LOCK_TIMEOUT" -gt 0 ] || dk_die "another deploy or rollback holds $LOCK_FILE; try again when it has finished"
  dk_log "another deploy or rollback is running; waiting up to ${LOCK_TIMEOUT}s for $LOCK_FILE"
  flock --wait "$LOCK_TIMEOUT" 9 || dk_die "still locked after ${LOCK_TIMEOUT}s by another deploy or rollback ($LOCK_FILE); nothing was changed"
}

dk_port_of() { if [ "$1" = blue ]; then echo "$BLUE_PORT"; else echo "$GREEN_PORT"; fi; }
dk_other() { if [ "$1" = blue ]; then echo green; else echo blue; fi; }
dk_container() { echo "$APP_NAME-$1"; }

# The color the upstream file names as primary (non-backup) server; it may not be running.
dk_upstream_color() {
  [ -f "$NGINX_UPSTREAM_FILE" ] || return 0
  local port
  port=$(awk '$1 == "server" && !/ backup/ { sub(/;$/, "", $2); n = split($2, a, ":"); print a[n]; exit }' "$NGINX_UPSTREAM_FILE")
  case $port in
    "$BLUE_PORT") echo blue ;;
    "$GREEN_PORT") echo green ;;
    "") ;;
    *) dk_die "$NGINX_UPSTREAM_FILE points at port $port, which is neither BLUE_PORT ($BLUE_PORT) nor GREEN_PORT ($GREEN_PORT)" ;;
  esac
}

dk_running() {
  [ "$("${DK_DOCKER[@]}" inspect --format '{{.State.Running}}' "$(dk_container "$1")" 2>/dev/null || true)" = true ]
}

# The switch marker: written before the upstream file is replaced, removed once nginx has
# loaded it. Still there after a run means that run was killed mid-switch (even by SIGKILL).
dk_switch_marker() { echo "$(dirname "$NGINX_UPSTREAM_FILE")/.switching"; }

# The color traffic really goes to, decided from what runs, not from the upstream file alone:
# after an interrupted switch the file may name a color that was stopped, or one nginx never
# loaded. Re-points nginx at that color when the file says otherwise, so the idle color that
# the next deploy replaces is never the one serving.
dk_live_color() {
  local named marker from="" live=""
  named=$(dk_upstream_color)
  marker=$(dk_switch_marker)
  if [ -f "$marker" ]; then
    from=$(awk '{ print $1; exit }' "$marker")
    case $from in blue | green) ;; *) from="" ;; esac
    dk_log "an earlier switch was interrupted (from ${from:-nothing} to ${named:-nothing}); checking what runs"
  fi
  if [ -n "$from" ] && dk_running "$from"; then
    live=$from
  elif [ -n "$named" ] && dk_running "$named"; then
    live=$named
  elif [ -n "$named" ] && dk_running "$(dk_other "$named")"; then
    live=$(dk_other "$named")
  fi
  if [ -n "$live" ] && { [ "$live" != "$named" ] || [ -f "$marker" ]; }; then
    dk_log "nginx is put back on $live, the color that runs"
    dk_switch "$live" >&2 || dk_die "could not point nginx back at $live; fix nginx, then deploy again"
  fi
  rm -f "$marker"
  echo "$live"
}

dk_image_id() { "${DK_DOCKER[@]}" image inspect --format '{{.Id}}' "$1" 2>/dev/null; }

# Makes IMAGE present on the host (per PULL) and prints its image ID.
dk_resolve_image() {
  local image=$1 id=""
  if [ "$PULL" != always ]; then id=$(dk_image_id "$image" || true); fi
  if [ -z "$id" ]; then
    [ "$PULL" != never ] || dk_die "image $image is not on this host and PULL=never"
    dk_log "pulling $image"
    "${DK_DOCKER[@]}" pull --quiet "$image" >/dev/null || dk_die "could not pull $image (does it exist, and is this host logged in to the registry?)"
    id=$(dk_image_id "$image") || dk_die "pulled $image but cannot inspect it"
  fi
  echo "$id"
}

# The image ID a color's container runs, or nothing when it is not running.
dk_running_image() {
  local name
  name=$(dk_container "$1")
  [ "$("${DK_DOCKER[@]}" inspect --format '{{.State.Running}}' "$name" 2>/dev/null || true)" = true ] || return 0
  "${DK_DOCKER[@]}" inspect --format '{{.Image}}' "$name" 2>/dev/null || true
}

dk_same_image() { [ "${1#sha256:}" = "${2#sha256:}" ]; }

# Whether DOCKER talks to podman (its CLI, or docker's through podman's socket); asked once.
dk_podman() {
  if [ -z "${DK_ENGINE:-}" ]; then
    local out
    out=$("${DK_DOCKER[@]}" version 2>/dev/null || true)
    DK_ENGINE=docker
    if [[ $out == *"Podman Engine"* ]]; then DK_ENGINE=podman; fi
  fi
  [ "$DK_ENGINE" = podman ]
}

# A tmpfs mount's options as podman takes them: it refuses Docker's uid=/gid= and has U instead,
# which gives the mount to the container's user (the image's USER, the uid:gid settings.sh names).
dk_podman_tmpfs() {
  local opt out=U
  local -a opts
  IFS=, read -ra opts <<<"${1#*:}"
  for opt in "${opts[@]}"; do
    case $opt in uid=* | gid=*) ;; *) out+=",$opt" ;; esac
  done
  printf '%s:%s\n' "${1%%:*}" "$out"
}

dk_start_color() {
  local color=$1 image_id=$2 image=$3 release=$4 name port
  name=$(dk_container "$color")
  port=$(dk_port_of "$color")
  DK_PENDING=$color
  if [ "$RUNTIME" = systemd ]; then
    # The unit $APP_NAME@.service runs the container; it reads IMAGE and PORT from this file.
    printf 'IMAGE=%s\nPORT=%s\nRELEASE=%s\n' "$image_id" "$port" "$release" >"$APP_DIR/$color.env"
    # Enabled as well, so a reboot brings back the live color (the old one is disabled once stopped).
    "${DK_SYSTEMCTL[@]}" enable "$APP_NAME@$color.service" >/dev/null 2>&1 || dk_die "systemctl could not enable $APP_NAME@$color"
    "${DK_SYSTEMCTL[@]}" restart "$APP_NAME@$color.service" || dk_die "systemctl could not start $APP_NAME@$color"
    return 0
  fi
  # A leftover of this color (an interrupted deploy) never carries traffic: the live color is the
  # other one. Checked again here: the color the upstream file names is never removed while it runs.
  if [ "$(dk_upstream_color)" = "$color" ] && dk_running "$color"; then
    DK_PENDING=""
    dk_die "refusing to replace $name: nginx's upstream points at it and it is running"
  fi
  "${DK_DOCKER[@]}" rm --force "$name" >/dev/null 2>&1 || true
  local args=(run --detach --name "$name" --restart unless-stopped
    --publish "$BIND_ADDRESS:$port:$APP_PORT" --env "PORT=$APP_PORT"
    --read-only --cap-drop ALL --security-opt no-new-privileges
    --label "deploy-kit.app=$APP_NAME" --label "deploy-kit.color=$color"
    --label "deploy-kit.release=$release" --label "deploy-kit.image=$image")
  # The app's own port variable, pinned like PORT: a value in the env file cannot move it.
  if [ -n "$APP_PORT_ENV" ]; then args+=(--env "$APP_PORT_ENV=$APP_PORT"); fi
  # Its listen-address variable (a loopback default would be unreachable through the published port).
  if [ -n "$APP_LISTEN_ADDR_ENV" ]; then args+=(--env "$APP_LISTEN_ADDR_ENV=0.0.0.0:$APP_PORT"); fi
  # The root filesystem is read-only: /tmp, and what the app writes at run time, are tmpfs mounts.
  local writable spec
  read -ra writable <<<"${APP_TMPFS:-/tmp}"
  for spec in "${writable[@]}"; do
    if [[ $spec == *:*id=* ]] && dk_podman; then spec=$(dk_podman_tmpfs "$spec"); fi
    args+=(--tmpfs "$spec")
  done
  if [ -f "$ENV_FILE" ]; then args+=(--env-file "$ENV_FILE"); fi
  "${DK_DOCKER[@]}" "${args[@]}" "$image_id" >/dev/null || dk_die "could not start $name from $image"
}

dk_stop_color() {
  local color=$1 name
  name=$(dk_container "$color")
  if [ "$RUNTIME" = systemd ]; then
    "${DK_SYSTEMCTL[@]}" disable --now "$APP_NAME@$color.service" >/dev/null 2>&1 || dk_log "warning: could not stop $APP_NAME@$color"
    return 0
  fi
  "${DK_DOCKER[@]}" stop --time "$STOP_TIMEOUT" "$name" >/dev/null 2>&1 || true
  "${DK_DOCKER[@]}" rm --force "$name" >/dev/null 2>&1 || dk_log "warning: could not remove $name"
}

# The health gate: 200 from HEALTH_PATH on the color's own port before any traffic reaches it.
# An empty HEALTH_PATH (the app serves no health route) waits for any HTTP answer on the port
# instead: a bare TCP connect would pass too early, since the engine's port proxy accepts
# connections on a published port before the app listens.
dk_wait_healthy() {
  local color=$1 name port url state deadline code want
  name=$(dk_container "$color")
  port=$(dk_port_of "$color")
  url="http://$BIND_ADDRESS:$port${HEALTH_PATH:-/}"
  want=${HEALTH_PATH:+a 200 from $url}
  want=${want:-an HTTP answer on port $port (no health route)}
  deadline=$((SECONDS + HEALTH_TIMEOUT))
  dk_log "waiting up to ${HEALTH_TIMEOUT}s for $want"
  while :; do
    code=$(curl --silent --max-time 2 --output /dev/null --write-out '%{http_code}' "$url" 2>/dev/null || true)
    if [ -n "$HEALTH_PATH" ] && [ "$code" = 200 ]; then return 0; fi
    if [ -z "$HEALTH_PATH" ] && [ "${code:-000}" != 000 ]; then return 0; fi
    state=$("${DK_DOCKER[@]}" inspect --format '{{.State.Status}}' "$name" 2>/dev/null || echo missing)
    if [ "$state" != running ]; then
      dk_log "$name is $state, not running"
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      dk_log "no $want within ${HEALTH_TIMEOUT}s"
      return 1
    fi
    sleep 1
  done
}

# Removes a color that never got traffic, showing why it failed.
dk_discard() {
  local color=$1 name
  name=$(dk_container "$color")
  dk_log "last log lines of $name:"
  "${DK_DOCKER[@]}" logs --tail 30 "$name" 2>&1 | sed 's/^/  | /' >&2 || true
  dk_stop_color "$color"
  DK_PENDING=""
}

dk_on_exit() {
  local status=$?
  if [ -n "$DK_SWITCHING" ]; then
    dk_log "stopped during the switch: putting the previous upstream back and reloading nginx"
    dk_restore_upstream "$NGINX_UPSTREAM_FILE" "$(dirname "$NGINX_UPSTREAM_FILE")/.upstream.previous"
    if "${DK_NGINX_RELOAD[@]}"; then rm -f "$(dk_switch_marker)"; else dk_log "warning: nginx reload failed; the next deploy re-points it"; fi
  fi
  if [ -n "$DK_PENDING" ]; then
    dk_log "stopped before the switch: removing $(dk_container "$DK_PENDING"), which never got traffic"
    dk_stop_color "$DK_PENDING"
  fi
  exit "$status"
}

# Points nginx at COLOR (the other color stays listed as a backup): write the include, nginx -T,
# reload. Any failure puts the previous include back before nginx ever loads the new one.
dk_switch() {
  local color=$1 new_port old_port file dir tmp prev err out
  new_port=$(dk_port_of "$color")
  old_port=$(dk_port_of "$(dk_other "$color")")
  file=$NGINX_UPSTREAM_FILE
  dir=$(dirname "$file")
  tmp=$(mktemp "$dir/.upstream.XXXXXX")
  prev="$dir/.upstream.previous"
  err=$(mktemp)
  {
    printf '# Written by %s at %s: the live color is %s.\n' "$DK_SCRIPT" "$(dk_now)" "$color"
    printf '# max_fails=0: never taken out of rotation; the backup gets a request only when this one refuses it.\n'
    printf 'server %s:%s max_fails=0;\n' "$BIND_ADDRESS" "$new_port"
    printf 'server %s:%s backup;\n' "$BIND_ADDRESS" "$old_port"
  } >"$tmp"
  chmod 644 "$tmp"
  rm -f "$prev"
  if [ -f "$file" ]; then cp -p "$file" "$prev"; fi
  printf '%s %s\n' "$(dk_upstream_color)" "$color" >"$(dk_switch_marker)"
  DK_SWITCHING=$color
  mv -f "$tmp" "$file"
  if ! out=$("${DK_NGINX[@]}" -T 2>"$err"); then
    sed 's/^/  | /' "$err" >&2
    dk_restore_upstream "$file" "$prev"
    rm -f "$err" "$(dk_switch_marker)"
    dk_log "nginx -t rejected the switch to $color; the previous upstream is back in place"
    return 1
  fi
  rm -f "$err"
  if ! grep -qF "# configuration file $file:" <<<"$out"; then
    dk_restore_upstream "$file" "$prev"
    rm -f "$(dk_switch_marker)"
    dk_log "nginx does not include $file, so switching it would move no traffic: include it in the site's upstream block (see DEPLOY.md) or set NGINX_UPSTREAM_FILE"
    return 1
  fi
  if ! "${DK_NGINX_RELOAD[@]}"; then
    dk_restore_upstream "$file" "$prev"
    if "${DK_NGINX_RELOAD[@]}"; then rm -f "$(dk_switch_marker)"; fi
    dk_log "nginx reload failed; the previous upstream is back in place"
    return 1
  fi
  DK_SWITCHING=""
  rm -f "$(dk_switch_marker)"
  return 0
}

# Puts the previous upstream back (a switch that nginx rejected or that was interrupted).
dk_restore_upstream() {
  local file=$1 prev=$2
  if [ -f "$prev" ]; then mv -f "$prev" "$file"; else rm -f "$file"; fi
  DK_SWITCHING=""
}

# The release log: a header and one tab-separated line per release. Each append rewrites the
# file to a temporary copy and renames it over the old one, so a reader never sees half a line.
DK_LOG_HEADER=$'# release\ttime\taction\timage\timage_id\tgit_sha\tcolor\tof'

dk_next_release() {
  if [ -f "$RELEASE_LOG" ]; then
    awk -F'\t' '!/^#/ && $1 + 0 > max { max = $1 + 0 } END { print max + 1 }' "$RELEASE_LOG"
  else
    echo 1
  fi
}

dk_record() {
  local release=$1 action=$2 image=$3 image_id=$4 color=$5 of=$6 sha=${GIT_SHA:-} tag tmp
  if [ -z "$sha" ]; then
    tag=${image##*:}
    if [[ $image == *:* && $tag =~ ^[0-9a-f]{7,40}$ ]]; then sha=$tag; else sha=-; fi
  fi
  tmp=$(mktemp "$APP_DIR/.releases.XXXXXX")
  if [ -s "$RELEASE_LOG" ]; then cat "$RELEASE_LOG" >"$tmp"; else printf '%s\n' "$DK_LOG_HEADER" >"$tmp"; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$release" "$(dk_now)" "$action" "$image" "$image_id" "$sha" "$color" "$of" >>"$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$RELEASE_LOG"
}

# The release now serving: the last line, or for a rollback line the release it restored.
dk_live_release() {
  [ -f "$RELEASE_LOG" ] || return 0
  awk -F'\t' '!/^#/ && NF >= 8 { live = ($3 == "rollback") ? $8 : $1 } END { if (live != "") print live }' "$RELEASE_LOG"
}

# The release a plain `rollback.sh` goes back to: replay the log as a stack (a deploy pushes, a
# rollback pops back to the release it restored) and take the one under the top. Rolling back
# twice goes back two releases, never forth to the one just left.
dk_previous_release() {
  [ -f "$RELEASE_LOG" ] || return 0
  awk -F'\t' '
    /^#/ || NF < 8 { next }
    $3 == "deploy" { s[++n] = $1; next }
    { k = n; while (k > 0 && s[k] != $8) k--; if (k > 0) n = k; else s[++n] = $8 }
    END { if (n >= 2) print s[n - 1] }' "$RELEASE_LOG"
}

# Field F (1-based, as in the header) of release R's line.
dk_release_field() {
  awk -F'\t' -v r="$1" -v f="$2" '!/^#/ && $1 == r { print $f; exit }' "$RELEASE_LOG"
}

dk_write_prometheus_targets() {
  local color=$1 release=$2 tmp
  [ -n "$PROMETHEUS_TARGETS_FILE" ] || return 0
  tmp=$(mktemp "$(dirname "$PROMETHEUS_TARGETS_FILE")/.prometheus-targets.XXXXXX")
  printf '[{"targets": ["%s:%s"], "labels": {"app": "%s", "color": "%s", "release": "%s"}}]\n' \
    "$BIND_ADDRESS" "$(dk_port_of "$color")" "$APP_NAME" "$color" "$release" >"$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$PROMETHEUS_TARGETS_FILE"
}

# Images of releases older than the last KEEP_RELEASES, unless a kept release or a container uses them.
dk_prune_images() {
  [ -f "$RELEASE_LOG" ] || return 0
  local ref
  while IFS= read -r ref; do
    [ -n "$ref" ] || continue
    if "${DK_DOCKER[@]}" image rm "$ref" >/dev/null 2>&1; then dk_log "removed old image $ref"; fi
  done < <(awk -F'\t' -v keep="$KEEP_RELEASES" '
    /^#/ || NF < 8 { next }
    { n++; ref[n] = $4; id[n] = $5 }
    END {
      for (i = n - keep + 1; i <= n; i++) if (i >= 1) { kr[ref[i]] = 1; ki[id[i]] = 1 }
      for (i = 1; i <= n - keep; i++) if (!(ref[i] in kr) && !(id[i] in ki) && !(ref[i] in seen)) { seen[ref[i]] = 1; print ref[i] }
    }' "$RELEASE_LOG")
}

# The machine-readable result on stdout (everything else goes to stderr), in the key=value form
# a workflow step appends to $GITHUB_OUTPUT: whether traffic moved, and the release that served
# before (empty on a first deploy). A pipeline that verifies the deploy rolls back to exactly
# that release, and only when this run switched.
dk_report() {
  printf 'switched=%s\nprevious_release=%s\n' "$1" "$2"
}

# THE switch, shared by deploy and rollback: start the idle color from IMAGE_ID, gate on health,
# point nginx at it, record the release, drain, stop the old color.
dk_release() {
  local image=$1 image_id=$2 action=$3 of=$4 live target release t0
  t0=$SECONDS
  live=$(dk_live_color)
  if [ -n "$live" ] && dk_same_image "$(dk_running_image "$live")" "$image_id"; then
    dk_log "$image is already live on $live (release $(dk_live_release)); nothing to do"
    dk_report false ""
    return 0
  fi
  if [ -n "$live" ]; then target=$(dk_other "$live"); else target=blue; fi
  release=$(dk_next_release)
  if [ "$action" = deploy ]; then of=$release; fi
  dk_log "release $release: starting $image on $target (port $(dk_port_of "$target")); live: ${live:-none}"
  dk_start_color "$target" "$image_id" "$image" "$release"
  local still="nothing (first deploy)" from=""
  if [ -n "$live" ]; then
    from=$(dk_live_release)
    still="$live (release ${from:-unknown})"
  fi
  if ! dk_wait_healthy "$target"; then
    dk_discard "$target"
    dk_die "release $release ($image) never passed its health check; traffic stays on $still"
  fi
  if ! dk_switch "$target"; then
    dk_discard "$target"
    dk_die "could not switch nginx to $target; traffic stays on $still"
  fi
  DK_PENDING=""
  dk_record "$release" "$action" "$image" "$image_id" "$target" "$of"
  dk_report true "$from"
  dk_write_prometheus_targets "$target" "$release"
  dk_log "nginx now sends traffic to $target (release $release)"
  if [ -n "$live" ]; then
    sleep "$DRAIN_SECONDS"
    dk_stop_color "$live"
    dk_log "stopped $live after a ${DRAIN_SECONDS}s drain"
  fi
  dk_prune_images
  dk_log "release $release live in $((SECONDS - t0))s: $image"
}
