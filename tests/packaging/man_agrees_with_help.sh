#!/usr/bin/env bash
# Every option a program's --help lists is in its man page, and every option the man page mentions
# (its examples included) is one --help lists.
#   man_agrees_with_help.sh PROGRAM MAN_PAGE
set -euo pipefail
program=$1 page=$2
options() { grep -oE -- '(^|[^a-zA-Z0-9-])--[a-z][a-z-]*' | grep -oE -- '--[a-z][a-z-]*' | sort -u; }
help=$(QT_QPA_PLATFORM=offscreen "$program" --help | options)
man=$(MANWIDTH=200 man -l "$page" 2>/dev/null | col -b | options)
[[ -n $help ]] || { echo "$program --help lists no options"; exit 1; }
if [[ $help != "$man" ]]; then
  echo "$(basename "$program"): --help and $(basename "$page") differ (< only in --help, > only in the man page):"
  diff <(echo "$help") <(echo "$man") || true
  exit 1
fi
echo "$(basename "$program"): $(echo "$help" | wc -l) options, the same in --help and the man page"
