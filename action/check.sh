#!/usr/bin/env bash
# The step behind action.yml: a dry run with workflow annotations and the Markdown report,
# then the diff. Needs MWC_CLI (the built CLI's main.js); reads INPUT_PATHS, INPUT_STRICT,
# INPUT_ARGS; writes the report to $GITHUB_STEP_SUMMARY and `diff` and `exit-code` to
# $GITHUB_OUTPUT. Exits with the codemod's status: 1 while edits are pending (or, strict,
# needs-review items are left), 2 on a usage or file error.
set -uo pipefail

cli=${MWC_CLI:?MWC_CLI must name the built CLI (dist/cli/main.js)}
read -r -a paths <<< "${INPUT_PATHS:-.}"
read -r -a extra <<< "${INPUT_ARGS:-}"
strict=()
case "${INPUT_STRICT:-false}" in
  true | True | TRUE | 1 | yes) strict=(--strict) ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Annotations on stdout (the runner turns them into annotations), the summary on stderr (the log).
node "$cli" --dry-run --format github --report "$tmp/report.md" "${strict[@]}" "${extra[@]}" -- "${paths[@]}"
status=$?

# The diff: the same analysis once more, as a patch (its summary is already in the log).
node "$cli" --dry-run "${extra[@]}" -- "${paths[@]}" > "$tmp/diff" 2> /dev/null

if [[ -n ${GITHUB_STEP_SUMMARY:-} && -f $tmp/report.md ]]; then
  cat "$tmp/report.md" >> "$GITHUB_STEP_SUMMARY"
fi

if [[ -n ${GITHUB_OUTPUT:-} ]]; then
  # Multiline output: a delimiter that cannot occur in the diff.
  delimiter="middleware-codemod-diff-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  {
    echo "diff<<$delimiter"
    cat "$tmp/diff"
    if [[ -s $tmp/diff && -n $(tail -c 1 "$tmp/diff") ]]; then echo; fi
    echo "$delimiter"
    echo "exit-code=$status"
  } >> "$GITHUB_OUTPUT"
fi

exit "$status"
