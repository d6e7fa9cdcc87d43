#!/usr/bin/env bash
# baseline.sh fetch FILE | store FILE: the last accepted results file,
# kept on a branch of the repository.
#
#   fetch FILE  copies the accepted baseline into FILE; when there is none
#               yet (the first run), FILE is not created and it exits 0.
#   store FILE  commits FILE as the accepted baseline and pushes it.
#
# The branch (BASELINE_BRANCH, default surge-baseline) holds one file,
# baseline.json, and one commit per accepted run: the history says which
# run set the bar, and nothing expires. REMOTE (default origin) is where it
# lives; the job needs the right to push there (docs/ci.md).
set -euo pipefail

if [ $# -ne 2 ] || { [ "$1" != fetch ] && [ "$1" != store ]; }; then
	echo "usage: baseline.sh fetch|store FILE" >&2
	exit 2
fi
file=$2
branch=${BASELINE_BRANCH:-surge-baseline}
remote=${REMOTE:-origin}

# has_branch says whether the branch exists; a remote it cannot reach is an
# error, not "no baseline" (that would let every deploy through unjudged).
has_branch() {
	local code=0
	git ls-remote --exit-code --heads "$remote" "$branch" >/dev/null || code=$?
	case $code in
	0) return 0 ;;
	2) return 1 ;;
	esac
	echo "baseline.sh: cannot list the branches of $remote (git exit $code)" >&2
	exit 1
}

fetch() {
	if ! has_branch; then
		echo "no baseline yet: branch $branch does not exist on $remote"
		return 0
	fi
	git fetch --quiet --depth 1 "$remote" "refs/heads/$branch"
	mkdir -p "$(dirname "$file")"
	git show FETCH_HEAD:baseline.json >"$file"
	echo "baseline: $(git log -1 --format='%s (%cI)' FETCH_HEAD)"
}

# store writes the commit with git's plumbing (no checkout of the branch),
# so the job's work tree is left alone and its credentials are used.
store() {
	local blob tree parent=() commit
	if has_branch; then
		git fetch --quiet --depth 1 "$remote" "refs/heads/$branch"
		parent=(-p "$(git rev-parse FETCH_HEAD)")
	fi
	blob=$(git hash-object -w "$file")
	tree=$(printf '100644 blob %s\tbaseline.json\n' "$blob" | git mktree)
	commit=$(git -c user.name="${GIT_AUTHOR_NAME:-surge}" -c user.email="${GIT_AUTHOR_EMAIL:-surge@localhost}" \
		commit-tree "$tree" "${parent[@]}" -m "surge baseline: ${BASELINE_MESSAGE:-accepted run}")
	git push --quiet "$remote" "$commit:refs/heads/$branch"
	echo "baseline stored on $branch: ${BASELINE_MESSAGE:-accepted run}"
}

"$1"
