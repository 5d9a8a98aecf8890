#!/usr/bin/env bash
# Every test of the repository: the README's test command, and what CI (.ci/run) runs after the
# formatting and lint checks.
#   1. cargo test, the browser suite (tests/browser.rs) included. It needs Debian's Chromium:
#      installed here with apt-get when missing (unless BERPA_CHROMIUM names another Chromium),
#      never a browser downloaded by a test tool; its npm packages come from
#      tests/browser/package-lock.json.
#   2. The standards' validators (tests/validators/run.sh): the Nu HTML Checker and Frictionless
#      over the sample report, the mini fixture and the fixture with collections of its own,
#      built into target/.
# apt-get runs through sudo when this is not run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== browser test prerequisites"
if [ -z "${BERPA_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  # Fonts so text renders.
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y \
    chromium fonts-dejavu-core fonts-liberation
fi
# curl, for `berpa check --links` (tests/links.rs).
if ! command -v curl >/dev/null; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y curl
fi
curl --version | head -1
"${BERPA_CHROMIUM:-/usr/bin/chromium}" --version
node --version
npm --version
# playwright-core and axe-core, exactly as tests/browser/package-lock.json pins them.
(cd tests/browser && npm ci --no-audit --no-fund)

echo "== cargo test"
cargo test --locked

echo "== validators over the sample report and the fixtures"
# The debug build cargo test has just made; each site goes to its own folder in target/.
cargo run --locked --quiet -- build --quiet --output target/validate/sample
cargo run --locked --quiet -- build --quiet --root tests/fixtures/mini --output target/validate/mini
cargo run --locked --quiet -- build --quiet --root tests/fixtures/collections --output target/validate/collections
bash tests/validators/run.sh target/validate/sample
bash tests/validators/run.sh target/validate/mini
bash tests/validators/run.sh target/validate/collections
echo "== every test passed"
