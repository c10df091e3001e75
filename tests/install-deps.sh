#!/usr/bin/env bash
# Installs what building and testing adr needs on Debian 12, if it is missing.
# Safe to run again: installs nothing when everything is there.
set -euo pipefail

PKGS=(build-essential cmake pkg-config git ca-certificates python3 tmux
      libgit2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libsqlite3-dev libcriterion-dev libcurl4-openssl-dev
      locales strace clang libclang-rt-14-dev
      zsh groff-base dpkg-dev)   # completion, man page and package tests (issue 18)
if [ "${ADR_WITH_BROWSER:-1}" = 1 ]; then
	PKGS+=(chromium)
	# Node may come from elsewhere (e.g. a vendor build that bundles npm):
	# only ask Debian for it when the commands are missing.
	command -v node >/dev/null 2>&1 || PKGS+=(nodejs)
	command -v npm >/dev/null 2>&1 || PKGS+=(npm)
fi

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -c "install ok installed" >/dev/null; then
		missing+=("$p")
	fi
done
SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing: ${missing[*]}" >&2
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A locale whose decimal separator is a comma, for the test that number
# formatting ignores the locale (tests/lib/test_value.c).
if ! locale -a 2>/dev/null | grep -cix 'de_DE\.utf-\?8' >/dev/null; then
	echo "generating the de_DE.UTF-8 locale" >&2
	if ! grep -q '^de_DE.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null; then
		echo 'de_DE.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
	fi
	$SUDO locale-gen >/dev/null
fi
