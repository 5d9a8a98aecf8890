#!/usr/bin/env bash
# The standards' own validators over a built site, each with zero errors:
#   - the Nu HTML Checker (vnu-jar, pinned in package-lock.json) over every page, the stylesheet
#     and the SVG icon, warnings counted as errors;
#   - Frictionless (pinned in requirements.txt) over data/datapackage.json and every file it
#     describes.
# Usage: bash tests/validators/run.sh [SITE]     SITE: a built site's folder (default: public/)
# Installs what it needs the first time (and again when a pin changes): Java from apt-get
# (default-jre-headless) when `java` is missing, vnu-jar with `npm ci`, Frictionless into a venv
# in target/validators-venv.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
here="$repo/tests/validators"
site="${1:-$repo/public}"
if [ ! -f "$site/index.html" ] || [ ! -f "$site/data/datapackage.json" ]; then
  echo "tests/validators/run.sh: $site is not a built site; build one first (cargo run -- build)" >&2
  exit 2
fi
site="$(cd "$site" && pwd)"

apt_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# A Java runtime for the checker: Debian's, never one a package downloads.
if ! command -v java >/dev/null; then
  apt_install default-jre-headless
fi

# vnu-jar as the lock file pins it. Its install script, which would download a Java runtime,
# does not run (--ignore-scripts): the jar runs on the system's Java.
jar="$here/node_modules/vnu-jar/build/dist/vnu.jar"
stamp="$here/node_modules/.berpa-installed"
if [ ! -f "$jar" ] || ! cmp -s "$here/package-lock.json" "$stamp"; then
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund)
  cp "$here/package-lock.json" "$stamp"
fi

# Frictionless in a venv of its own, exactly as requirements.txt pins it.
venv="$repo/target/validators-venv"
if [ ! -x "$venv/bin/frictionless" ] || ! cmp -s "$here/requirements.txt" "$venv/.berpa-installed"; then
  python3 -m venv "$venv" || { apt_install python3-venv && python3 -m venv "$venv"; }
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/.berpa-installed"
fi

echo "== Nu HTML Checker $(java -jar "$jar" --version) over $site"
# One message is filtered out, and only for the files checked here: the checker reads the pages
# from file: addresses, which have no origin, so the Content-Security-Policy's 'self' matches
# nothing and it says the site's own style.css and search.js would be blocked. Served over
# http(s) they are the page's own origin and load (the browser suite checks that no page logs a
# CSP violation or a failed request).
csp='.*Resource violates Content Security Policy \(meta tag\): external (stylesheet|script) .* blocked by .(style|script)-src. directive\.'
pages=$(find "$site" -type f -name '*.html' | wc -l)
find "$site" -type f \( -name '*.html' -o -name '*.css' -o -name '*.svg' \) -print0 | sort -z |
  xargs -0 java -jar "$jar" --Werror --also-check-css --also-check-svg --filterpattern "$csp"
echo "no errors or warnings in $pages pages, the stylesheet and the icon"

echo "== Frictionless $("$venv/bin/frictionless" --version) over $site/data/datapackage.json"
"$venv/bin/frictionless" validate "$site/data/datapackage.json"
