#!/bin/sh
# Runs a Unix program for a Windows test under Wine (tests/support/hub_process_win32.h), which
# Wine starts as a Unix process with no process handle and none of the caller's standard handles:
# so this script keeps what the caller needs in files of DIR, each written whole by a rename.
#
#   unix_run.sh DIR TAG PROGRAM [ARGS...]
#
# DIR/TAG.out and DIR/TAG.err: the program's stdout and stderr (stdin is /dev/null);
# DIR/TAG.pid: its pid, once started; DIR/TAG.rc: its exit code (128 + signal if killed), once
# it ended.
dir=$1 tag=$2
shift 2
rm -f "$dir/$tag.rc" "$dir/$tag.pid"
"$@" </dev/null >"$dir/$tag.out" 2>"$dir/$tag.err" &
child=$!
echo "$child" >"$dir/$tag.pid.tmp" && mv "$dir/$tag.pid.tmp" "$dir/$tag.pid"
wait "$child"
echo $? >"$dir/$tag.rc.tmp" && mv "$dir/$tag.rc.tmp" "$dir/$tag.rc"
