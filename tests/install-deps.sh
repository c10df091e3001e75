#!/usr/bin/env bash
# Installs what building and testing adr needs on Debian 12, if it is missing.
# Safe to run again: installs nothing when everything is there.
set -euo pipefail

PKGS=(build-essential cmake pkg-config git ca-certificates python3 tmux
      libgit2-dev libcmark-dev libyaml-dev libsqlite3-dev libcriterion-dev
      clang libclang-rt-14-dev)
if [ "${ADR_WITH_BROWSER:-1}" = 1 ]; then
	PKGS+=(chromium)
	# Node may come from elsewhere (e.g. a vendor build that bundles npm):
	# only ask Debian for it when the commands are missing.
	command -v node >/dev/null 2>&1 || PKGS+=(nodejs)
	command -v npm >/dev/null 2>&1 || PKGS+=(npm)
fi

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
echo "installing: ${missing[*]}" >&2
SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
