#!/bin/sh
# records.sh - notice paths on standard input, one per line, as the file
# records the chain reads (pipeline/FORMAT.md). The workbook of /a/b/c.txt
# is a/b/c.xlsx under the output directory, so names from different folders
# never collide. For jobs outside run.sh: GNU parallel, Hadoop Streaming.
# Fields are escaped as pipeline/FORMAT.md says (a path cannot hold a
# newline here: one path a line).
exec awk '
function esc(s) { gsub(/\\/, "\\\\", s); gsub(/\t/, "\\t", s); gsub(/\r/, "\\r", s); return s }
/(^|\/)\.\.(\/|$)/ { print "records.sh: " $0 ": path with .. refused" > "/dev/stderr"; next }
NF {
	name = $0
	sub(/^(\.?\/)+/, "", name)
	sub(/\.[^.\/]*$/, "", name)
	printf "file\t%s\t%s.xlsx\n", esc($0), esc(name)
}'
