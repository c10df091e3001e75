#!/usr/bin/env bash
# The Debian package (issue 18): `cpack -G DEB` in the build directory makes
# adr_<version>_<arch>.deb (binary, templates, hooks, man page, bash and zsh
# completions, Depends computed from the linked shared libraries) and
# libadr-dev_<version>_<arch>.deb. The package is unpacked into a scratch
# root (dpkg -x) and the adr in it is run against a new repository: it must
# find its templates in the unpacked tree, not in the source tree, and its
# man page and completion must work from there.
source "$(dirname "$0")/lib.sh"

if ! command -v dpkg-deb >/dev/null || ! command -v cpack >/dev/null; then
	echo "SKIP: dpkg-deb or cpack is missing: the Debian package is not built here"
	SKIPPED=$((SKIPPED + 1))
	finish
	exit 0
fi
export ADR_NOW=2026-11-21T10:00:00Z
BUILD=$(cd "$(dirname "$ADR")" && pwd)
check "the build directory has CPack's configuration" test -f "$BUILD/CPackConfig.cmake"
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$BUILD/CPackConfig.cmake")
arch=$(dpkg --print-architecture)

# 1. cpack builds both packages.
set +e
(cd "$BUILD" && cpack -G DEB -B "$TMP/pkg") >"$TMP/cpack.out" 2>&1
crc=$?
set -e
expect_eq "cpack -G DEB: exit" 0 "$crc"
[ "$crc" -eq 0 ] || cat "$TMP/cpack.out" >&2
DEB=$TMP/pkg/adr_${version}_${arch}.deb
DEV=$TMP/pkg/libadr-dev_${version}_${arch}.deb
check "adr_${version}_${arch}.deb was made" test -s "$DEB"
check "libadr-dev_${version}_${arch}.deb was made" test -s "$DEV"
[ -s "$DEB" ] || { finish; exit 1; }

# 2. The control fields: the name and version, and a Depends that names the
#    package of every library the binary links (libgit2, cmark, libyaml,
#    SQLite): asked of dpkg for each library ldd lists; and libcurl's,
#    which adr loads when it sends a digest (log/notify.c), so ldd does
#    not list it.
expect_eq "Package" adr "$(dpkg-deb -f "$DEB" Package)"
expect_eq "Version" "$version" "$(dpkg-deb -f "$DEB" Version)"
depends=$(dpkg-deb -f "$DEB" Depends)
# (awk reads all its input: one that stops at the first match leaves
# ldconfig writing into a closed pipe, and pipefail stops the test)
curl_so=$(ldconfig -p | awk '$1 == "libcurl.so.4" && !found {found = $NF} END {print found}')
check "ldconfig knows libcurl.so.4" test -n "$curl_so"
curl_pkg=$(dpkg -S "$(readlink -f "$curl_so")" 2>/dev/null | head -n1 | cut -d: -f1 || true)
expect_contains "Depends names $curl_pkg (loaded at run time)" "${curl_pkg:-libcurl4}" "$depends"
for lib in libgit2 libcmark libyaml libsqlite3; do
	path=$(ldd "$ADR" | awk -v l="$lib" 'index($1, l) == 1 && !found {found = $3} END {print found}')
	if [ -z "$path" ]; then
		fail "ldd does not list $lib for $ADR"
		continue
	fi
	owner=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -n1 | cut -d: -f1 || true)
	[ -n "$owner" ] || owner=$(dpkg -S "$path" 2>/dev/null | head -n1 | cut -d: -f1 || true)
	check "dpkg knows the package of $path" test -n "$owner"
	expect_contains "Depends names $owner (for $lib)" "$owner" "$depends"
done

# 3. What the package holds.
contents=$(dpkg-deb -c "$DEB" | awk '{print $6}')
for f in ./usr/bin/adr ./usr/share/adr/templates/default.md ./usr/share/adr/templates/nygard.md \
	./usr/share/adr/templates/madr.md ./usr/share/adr/hooks/post-commit ./usr/share/man/man1/adr.1 \
	./usr/share/bash-completion/completions/adr ./usr/share/zsh/vendor-completions/_adr; do
	expect_contains "the package holds $f" "$f" "$contents"
done
listing=$(dpkg-deb -c "$DEB")
check "the hooks are executable" grep -qE '^-rwxr-xr-x .*/usr/share/adr/hooks/post-commit$' <<<"$listing"
devcontents=$(dpkg-deb -c "$DEV" | awk '{print $6}')
for f in /include/adr.h /include/adr/repo.h /libadr.a /pkgconfig/adr.pc; do
	expect_contains "libadr-dev holds $f" "$f" "$devcontents"
done

# 4. Unpacked into a scratch root, the installed adr works in a new
#    repository, with the templates of the unpacked tree: a marker added
#    to the unpacked default template shows in the record it writes.
ROOT=$TMP/root
dpkg -x "$DEB" "$ROOT"
INSTALLED=$ROOT/usr/bin/adr
check "the installed adr is executable" test -x "$INSTALLED"
printf '\nInstalled template marker %s.\n' "$$" >>"$ROOT/usr/share/adr/templates/default.md"
run_installed() { set +e; OUT=$("$INSTALLED" "$@" 2>"$TMP/stderr"); RC=$?; set -e; ERR=$(cat "$TMP/stderr"); }
run_installed --version
expect_eq "installed --version: exit" 0 "$RC"
expect_contains "installed --version: the version" "adr version $version" "$OUT"
expect_contains "installed --version: libgit2" "libgit2 " "$OUT"

new_repo "$TMP/repo"
cd "$TMP/repo"
run_installed init
expect_eq "installed init: exit" 0 "$RC"
run_installed new --no-edit "Use the packaged adr"
expect_eq "installed new: exit" 0 "$RC"
record=$(ls docs/decisions/*-use-the-packaged-adr.md 2>/dev/null || true)
check "installed new: the record was written" test -n "$record"
check "installed new: from the unpacked templates" grep -qF "Installed template marker $$." "$record"
expect_eq "installed new: one commit each" 2 "$(commit_count "$TMP/repo")"
check "status clean" status_clean "$TMP/repo"
check "fsck clean" fsck_clean "$TMP/repo"
# ... and not from the source tree's, which has no marker.
check "the source tree's template has no marker" bash -c '! grep -qF "Installed template marker" "$1"' _ \
	"$ADR_SOURCE_DIR/templates/default.md"
# Other templates too (the unpacked nygard.md).
run_installed new --no-edit --template nygard "A Nygard record"
expect_eq "installed new --template nygard: exit" 0 "$RC"
nyg=$(ls docs/decisions/*-a-nygard-record.md 2>/dev/null || true)
check "installed nygard: written" test -n "$nyg"

# 5. The packaged man page renders without warnings; its completion works.
if command -v groff >/dev/null; then
	expect_eq "packaged man page: no groff warnings" "" "$(groff -ww -z -man "$ROOT/usr/share/man/man1/adr.1" 2>&1)"
fi
got=$(bash --norc --noprofile -c 'source "$1"; COMP_WORDS=("$2" sh); COMP_CWORD=1; _adr; printf "%s\n" "${COMPREPLY[@]}"' \
	_ "$ROOT/usr/share/bash-completion/completions/adr" "$INSTALLED")
expect_eq "packaged bash completion: 'sh'" "show" "$got"
got=$(bash --norc --noprofile -c 'source "$1"; COMP_WORDS=("$2" show ""); COMP_CWORD=2; _adr; printf "%s\n" "${COMPREPLY[@]}"' \
	_ "$ROOT/usr/share/bash-completion/completions/adr" "$INSTALLED" | sort)
expect_eq "packaged bash completion: record numbers" "$(printf '0001\n0002\n0003')" "$got"

# 6. libadr-dev: a program built with the unpacked headers, library and
#    adr.pc (relocatable: found from where it lies) links and runs.
DEVROOT=$TMP/devroot
dpkg -x "$DEV" "$DEVROOT"
pc=$(find "$DEVROOT" -name adr.pc | head -n1)
if command -v cc >/dev/null && command -v pkg-config >/dev/null && [ -n "$pc" ]; then
	cat >"$TMP/prog.c" <<'C'
#include <stdio.h>
#include <adr.h>
int main(void)
{
	adr_lib_versions v;
	adr_lib_versions_get(&v);
	printf("libgit2 %s sqlite %s\n", v.libgit2, v.sqlite);
	return 0;
}
C
	export PKG_CONFIG_PATH=$(dirname "$pc")
	flags=$(pkg-config --cflags --libs adr)
	inc=$(pkg-config --variable=includedir adr)
	expect_eq "adr.pc: the unpacked include directory" "$DEVROOT/usr/include" "$(cd "$inc" && pwd -P)"
	# A sanitizer or coverage build packs an instrumented libadr.a: a
	# program links it with the same runtime.
	san=
	syms=$(nm "$ADR" 2>/dev/null || true)
	if grep -c ' __asan_init' <<<"$syms" >/dev/null; then
		san="-fsanitize=address,undefined"
	fi
	if grep -c '__gcov_' <<<"$syms" >/dev/null; then
		san="$san --coverage"
	fi
	# shellcheck disable=SC2086
	if cc -std=c11 $san -o "$TMP/prog" "$TMP/prog.c" $flags 2>"$TMP/cc.err"; then pass; else
		fail "libadr-dev: a program does not build: $(cat "$TMP/cc.err")"
	fi
	[ -x "$TMP/prog" ] && expect_contains "libadr-dev: the program runs" "libgit2 " "$("$TMP/prog")"
else
	echo "SKIP: no cc or pkg-config: libadr-dev is not built against"
	SKIPPED=$((SKIPPED + 1))
fi

finish
