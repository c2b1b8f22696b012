#!/usr/bin/env bash
# Copied by deploy-kit as it is, the same in every kit; this kit's settings are in ssh-gate.conf.
#
# The CI key's forced command. Host setup (DEPLOY.md) installs it, owned by root, with its
# settings beside it as <gate>.conf, and names it in the deploy account's authorized_keys:
#   restrict,command="/usr/local/sbin/<app>-ssh-gate" ssh-ed25519 AAAA... ci-deploy
# sshd then runs this script for every connection made with that key, whatever the client asked
# for. The request (SSH_ORIGINAL_COMMAND; the arguments when run by hand) is split on spaces and
# never given to a shell. The only requests:
#   ENV upload                   deploy.sh, rollback.sh, lib.sh, settings.sh, verify.sh from a tar on stdin
#   ENV login REGISTRY USER      docker login to REGISTRY, the password on stdin
#   ENV logout REGISTRY          docker logout
#   ENV deploy IMAGE [GIT_SHA]   APP_DIR/bin/deploy.sh IMAGE (IMAGE by digest: REPOSITORY@sha256:...);
#                                with VERIFY_REPO in the environment's settings, the first line of
#                                stdin is a GitHub token deploy.sh gives gh to check the image's attestation
#   ENV rollback [RELEASE]       APP_DIR/bin/rollback.sh [RELEASE]
#   ENV releases                 APP_DIR/bin/rollback.sh --list
# ENV is an environment of the conf (production, staging): each request runs with that environment's
# settings in an otherwise empty environment; nothing else comes from the client. Anything else is
# refused with exit 2 and logged to syslog.
set -euo pipefail

# The settings (GATE_PATH, GATE_NAME, IMAGE_PATTERN, REQUIRE_DIGEST, ALLOW_UPLOAD, DOCKER, ENV_<environment>),
# from the root-owned file beside this script.
# shellcheck source=/dev/null
source "${BASH_SOURCE[0]}.conf"
SCRIPTS=(deploy.sh rollback.sh lib.sh settings.sh verify.sh)

refuse() {
  logger -t "$GATE_NAME" "refused: $*" >/dev/null 2>&1 || true
  printf 'ssh-gate: refused: %s\n' "$*" >&2
  exit 2
}

# Each environment's settings: what deploy.sh and rollback.sh get, and all they get.
environment_settings() {
  [[ $1 =~ ^[a-z]+$ ]] || return 1
  local var="ENV_$1"
  [ -n "${!var:-}" ] || return 1
  printf '%s\n' "${!var}"
}

if [ -n "${SSH_ORIGINAL_COMMAND+set}" ]; then
  read -r -a request <<<"$SSH_ORIGINAL_COMMAND"
else
  request=("$@")
fi
# The pipeline names this script first, so the same command works with and without the forced command.
case ${request[0]:-} in
  "$0" | "$GATE_PATH") request=("${request[@]:1}") ;;
esac
[ "${#request[@]}" -ge 2 ] || refuse "expected ENV and a request, got \"${request[*]:-}\""
env_name=${request[0]}
verb=${request[1]}
args=("${request[@]:2}")
settings=$(environment_settings "$env_name") || refuse "unknown environment \"$env_name\""
read -r -a vars <<<"$settings"
app_dir=""
for v in "${vars[@]}"; do
  case $v in APP_DIR=*) app_dir=${v#APP_DIR=} ;; esac
done
bin="$app_dir/bin"

# A command with this environment's settings and nothing else.
clean_env=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="${HOME:-/}" LANG=C.UTF-8 "${vars[@]}")
run() { "${clean_env[@]}" "$@"; }

expect_args() {
  local min=$1 max=$2
  if [ "${#args[@]}" -lt "$min" ] || [ "${#args[@]}" -gt "$max" ]; then
    refuse "$verb takes $min to $max arguments, got ${#args[@]}"
  fi
}

registry_ok() { [[ $1 =~ ^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$ ]]; }

upload() {
  expect_args 0 0
  local tmp name type f listing
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064 # tmp is fixed from here on
  trap "rm -rf '$tmp'" EXIT
  head -c 4000000 >"$tmp/upload.tar"
  mkdir "$tmp/x"
  listing=$(tar -tvf "$tmp/upload.tar" 2>/dev/null) || refuse "upload: stdin is not a tar archive"
  # Only the kit's scripts, as plain files: no other name, no path, no link, no device.
  while IFS= read -r line; do
    type=${line:0:1}
    name=${line##* }
    [ "$type" = - ] || refuse "upload: $name is not a regular file"
    name=${name#./}
    case " ${SCRIPTS[*]} " in *" $name "*) ;; *) refuse "upload: unexpected file \"$name\"" ;; esac
  done <<<"$listing"
  tar -xf "$tmp/upload.tar" -C "$tmp/x" --no-same-owner --no-same-permissions
  for f in "${SCRIPTS[@]}"; do
    [ -f "$tmp/x/$f" ] || refuse "upload: $f is missing"
  done
  if [ "$ALLOW_UPLOAD" != yes ]; then
    for f in "${SCRIPTS[@]}"; do
      cmp -s "$tmp/x/$f" "$bin/$f" || refuse "upload: $f differs from the copy root installed in $bin (ALLOW_UPLOAD=no): install the new scripts as root"
    done
    echo "ssh-gate: the scripts in $bin are the pipeline's"
    return 0
  fi
  mkdir -p "$bin"
  for f in "${SCRIPTS[@]}"; do
    install -m 755 "$tmp/x/$f" "$bin/.$f.new"
    mv -f "$bin/.$f.new" "$bin/$f"
  done
}

case $verb in
  upload) upload ;;
  login)
    expect_args 2 2
    registry_ok "${args[0]}" || refuse "login: \"${args[0]}\" is not a registry host"
    [[ ${args[1]} =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,99}(\[bot\])?$ ]] || refuse "login: \"${args[1]}\" is not a user name"
    run "$DOCKER" login --username "${args[1]}" --password-stdin "${args[0]}"
    ;;
  logout)
    expect_args 1 1
    registry_ok "${args[0]}" || refuse "logout: \"${args[0]}\" is not a registry host"
    run "$DOCKER" logout "${args[0]}"
    ;;
  deploy)
    expect_args 1 2
    image=${args[0]}
    [[ $image =~ ^[a-z0-9][A-Za-z0-9._/:-]{0,254}(@sha256:[0-9a-f]{64})?$ && $image != *..* ]] || refuse "deploy: \"$image\" is not an image reference"
    if [ "${REQUIRE_DIGEST:-yes}" != no ] && [[ $image != *@sha256:* ]]; then
      refuse "deploy: $image is not named by its digest (REPOSITORY@sha256:...), and REQUIRE_DIGEST=yes"
    fi
    # shellcheck disable=SC2053 # IMAGE_PATTERN is a pattern on purpose
    [[ $image == $IMAGE_PATTERN ]] || refuse "deploy: $image does not match IMAGE_PATTERN ($IMAGE_PATTERN)"
    sha=${args[1]:-}
    [ -z "$sha" ] || [[ $sha =~ ^[0-9a-f]{7,40}$ ]] || refuse "deploy: \"$sha\" is not a commit SHA"
    exec "${clean_env[@]}" GIT_SHA="$sha" "$bin/deploy.sh" "$image"
    ;;
  rollback)
    expect_args 0 1
    [ "${#args[@]}" -eq 0 ] || [[ ${args[0]} =~ ^[0-9]{1,9}$ ]] || refuse "rollback: \"${args[0]}\" is not a release number"
    run "$bin/rollback.sh" "${args[@]}"
    ;;
  releases)
    expect_args 0 0
    run "$bin/rollback.sh" --list
    ;;
  *) refuse "unknown request \"$verb\"" ;;
esac
