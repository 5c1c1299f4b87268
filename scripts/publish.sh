#!/usr/bin/env bash
# Publish one version of the site into the local gh-pages branch with mike. Never pushes.
#
#   scripts/publish.sh dev        # what `main` deploys: the version "dev"
#   scripts/publish.sh v2026.11   # an edition: that version, and the "latest" alias moves to it
#   scripts/publish.sh --check V  # only say whether V is a valid version
#
# Run it from the root of a checkout (the Makefile does: `make publish VERSION=...`). It uses the
# mike and mkdocs of this project's .venv, whatever the current directory. Aliases are copies, not
# symlinks (`plugins: mike: alias_type: copy` in mkdocs.yml). Pushing is a separate step:
#   git push origin gh-pages
set -euo pipefail

check_only=""
if [ "${1:-}" = "--check" ]; then # validate the version and stop (the Makefile does this before building)
  check_only=1
  shift
fi
version="${1:-dev}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.venv/bin"
export PATH="$bin:$PATH" # mike runs `mkdocs build` from PATH
export NO_MKDOCS_2_WARNING=1

die() { printf 'publish: %s\n' "$*" >&2; exit 1; }

if [ "$version" != "dev" ] && ! [[ "$version" =~ ^v[0-9]{4}\.(0[1-9]|1[0-2])$ ]]; then
  die "VERSION must be dev or an edition tag vYYYY.MM (for example v2026.11), not '$version'"
fi
[ -z "$check_only" ] || exit 0

[ -x "$bin/mike" ] || die "mike is not installed: run \`make setup\` first"
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || die "not inside a git repository"
[ -f mkdocs.yml ] || die "run this from the folder that holds mkdocs.yml"

if [ "$version" = "dev" ]; then
  printf '==> publishing the dev version into gh-pages (not pushed)\n'
  mike deploy --message "Publish dev from $(git rev-parse --short HEAD)" dev
  if ! mike list latest >/dev/null 2>&1; then # no edition yet: let the site's root open dev meanwhile
    mike set-default --message "Default version: dev (no edition yet)" dev
  fi
else
  printf '==> publishing edition %s as "latest" into gh-pages (not pushed)\n' "$version"
  mike deploy --update-aliases --message "Publish $version from $(git rev-parse --short HEAD)" "$version" latest
  mike set-default --message "Default version: latest" latest
fi

# GitHub Pages answers a missing path anywhere in the site with the branch's root 404.html; mike
# writes none, so readers would get GitHub's generic page. Copy the default version's own 404 page
# (its links are absolute, so they work from the root) with git plumbing, without a checkout.
root_404() {
  local default index blob tree commit
  default=$(mike list latest >/dev/null 2>&1 && echo latest || echo dev)
  blob=$(git rev-parse --verify --quiet "gh-pages:$default/404.html") || die "gh-pages has no $default/404.html"
  [ "$(git rev-parse --verify --quiet gh-pages:404.html || true)" != "$blob" ] || return 0
  index=$(mktemp)
  GIT_INDEX_FILE="$index" git read-tree gh-pages
  GIT_INDEX_FILE="$index" git update-index --add --cacheinfo "100644,$blob,404.html"
  tree=$(GIT_INDEX_FILE="$index" git write-tree)
  rm -f "$index"
  commit=$(git commit-tree "$tree" -p gh-pages -m "Root 404 page: a copy of $default/404.html")
  git update-ref refs/heads/gh-pages "$commit"
  printf '==> root 404.html is now %s/404.html\n' "$default"
}
root_404

printf '==> gh-pages now holds:\n'
mike list
printf 'Check it with `.venv/bin/mike serve`, then push it with `git push origin gh-pages`.\n'
