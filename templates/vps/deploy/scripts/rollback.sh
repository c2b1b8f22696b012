#!/usr/bin/env bash
# Copied by deploy-kit as it is, the same in every kit; this kit's own values are in settings.sh.
# Edit freely: regenerating keeps your changes (a clash with a newer copy is marked as a conflict).
#
# Rolls back to the previous (or a named) release through deploy.sh's switch. See --help.
set -euo pipefail

# lib.sh is checked on its own; shellcheck need not follow it here.
# shellcheck source=/dev/null
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<EOF
Usage: rollback.sh [RELEASE]
       rollback.sh --list
       rollback.sh --help

Without RELEASE, goes back to the release that was live before the current one (run it twice
to go back two releases). With RELEASE (a number from --list), goes to that release. Either
way the old image goes through deploy.sh's blue-green switch: health gate, nginx -t, reload,
drain; traffic moves only once the old release answers healthy. Its image must still be on
this host (the last KEEP_RELEASES releases keep theirs) or be pullable.

  --list   the releases in RELEASE_LOG, oldest first; * marks the live one (the last)

Exit status: 0 rolled back (or that release already serves); 1 failed (no such release,
image gone, health or nginx failure), and traffic stays where it was; 2 usage error.

$(dk_env_help)
EOF
}

list_releases() {
  [ -s "$RELEASE_LOG" ] || dk_die "no releases yet: $RELEASE_LOG is missing or empty"
  awk -F'\t' '
    BEGIN { printf "  %-8s %-20s %-9s %-6s %-10s %s\n", "RELEASE", "TIME", "ACTION", "COLOR", "COMMIT", "IMAGE" }
    /^#/ || NF < 8 { next }
    {
      image = $3 == "rollback" ? $4 " (release " $8 ")" : $4
      row[++n] = sprintf("%-8s %-20s %-9s %-6s %-10s %s", $1, $2, $3, $7, substr($6, 1, 10), image)
    }
    END { for (i = 1; i <= n; i++) print (i == n ? "* " : "  ") row[i] }' "$RELEASE_LOG"
}

case ${1:-} in
  -h | --help)
    usage
    exit 0
    ;;
  --list)
    [ $# -eq 1 ] || dk_usage_error "--list takes no other arguments"
    dk_init
    list_releases
    exit 0
    ;;
  -*) dk_usage_error "unknown option $1" ;;
esac
[ $# -le 1 ] || dk_usage_error "expected at most one RELEASE, got $# arguments"
wanted=${1:-}
[ -z "$wanted" ] || [[ $wanted =~ ^[0-9]+$ ]] || dk_usage_error "RELEASE must be a release number from rollback.sh --list, got \"$wanted\""

dk_init
dk_preflight
dk_lock
trap dk_on_exit EXIT
[ -s "$RELEASE_LOG" ] || dk_die "no releases recorded in $RELEASE_LOG: nothing to roll back to"
if [ -z "$wanted" ]; then
  wanted=$(dk_previous_release)
  [ -n "$wanted" ] || dk_die "no release before the live one (release $(dk_live_release)) in $RELEASE_LOG; traffic was not touched"
fi
image=$(dk_release_field "$wanted" 4)
[ -n "$image" ] || dk_die "no release $wanted in $RELEASE_LOG (rollback.sh --list shows them); traffic was not touched"
# A rollback line points at the release it restored: going "to" it means going to that one.
target=$(dk_release_field "$wanted" 8)
image_id=$(dk_release_field "$wanted" 5)
if [ -z "$(dk_image_id "$image_id" || true)" ]; then
  [ "$PULL" != never ] || dk_die "the image of release $wanted ($image) is no longer on this host and PULL=never"
  dk_log "the image of release $wanted is no longer on this host; pulling $image"
  "${DK_DOCKER[@]}" pull --quiet "$image" >/dev/null || dk_die "the image of release $wanted ($image) is gone from this host and could not be pulled"
  dk_same_image "$(dk_image_id "$image" || true)" "$image_id" || dk_die "$image now names another image than release $wanted ran ($image_id); deploy the image you want with deploy.sh"
fi
dk_log "rolling back to release $target ($image)"
dk_release "$image" "$image_id" rollback "$target"
