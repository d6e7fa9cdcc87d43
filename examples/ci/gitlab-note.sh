#!/usr/bin/env bash
# gitlab-note.sh FILE: posts FILE (compare.sh's comment.md) as a note on
# the merge request of the pipeline, through GitLab's REST API.
#
# GitLab sets CI_API_V4_URL, CI_PROJECT_ID and, in merge request
# pipelines, CI_MERGE_REQUEST_IID. SURGE_GITLAB_TOKEN is a project access
# token with the api scope (a masked CI/CD variable): the job token may
# not write notes. Outside a merge request pipeline, without the token or
# without FILE it says why and does nothing.
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: gitlab-note.sh FILE" >&2
	exit 2
fi
file=$1
if [ -z "${CI_MERGE_REQUEST_IID:-}" ]; then
	echo "not a merge request pipeline: no note"
	exit 0
fi
if [ -z "${SURGE_GITLAB_TOKEN:-}" ] || [ ! -f "$file" ]; then
	echo "no note: SURGE_GITLAB_TOKEN is not set or $file does not exist"
	exit 0
fi
curl --fail --silent --show-error --request POST \
	--header "PRIVATE-TOKEN: $SURGE_GITLAB_TOKEN" \
	--data-urlencode "body@$file" \
	"$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes" >/dev/null
echo "note posted on merge request !$CI_MERGE_REQUEST_IID"
