#!/bin/sh
# gen_completions — bash, zsh and fish completions for flinkmem, generated
# at build time from the subcommands' own getopt_long tables, so a new
# option is completed without anyone editing a list.
#
#   gen_completions.sh OPTDUMP FLINKMEM OUTDIR
#
# OPTDUMP is the CLI linked with tools/optdump.c: `OPTDUMP CMD --help`
# prints CMD's option table. FLINKMEM is the real binary: its --help gives
# the commands, and each command's --help the argument placeholders
# (PATH, FILE, DIR get file completion), the value lists (--format
# text|json) and one-line descriptions. A command without a table
# (bash-java-utils parses by hand, as Flink's tool does) is read from its
# --help alone. Writes OUTDIR/flinkmem.bash, OUTDIR/_flinkmem (zsh) and
# OUTDIR/flinkmem.fish.
set -eu
[ $# = 3 ] || { echo "usage: gen_completions.sh OPTDUMP FLINKMEM OUTDIR" >&2; exit 2; }
OPTDUMP=$1 FM=$2 OUT=$3
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The commands: the indented lines under "commands:" of the top-level help.
"$FM" --help >"$tmp/top"
awk '/^commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 }' "$tmp/top" >"$tmp/cmds"
[ -s "$tmp/cmds" ] || { echo "gen_completions: no commands in '$FM --help'" >&2; exit 1; }

# One spec per command: "C<TAB>cmd<TAB>summary", "O<TAB>cmd<TAB>long<TAB>
# short<TAB>hasarg<TAB>kind<TAB>values<TAB>description" (kind: file, dir,
# or arg; values space-separated), "P<TAB>cmd<TAB>values" for positional
# words.
: >"$tmp/spec"
while read -r cmd; do
	"$FM" "$cmd" --help >"$tmp/help" 2>&1 || true
	"$OPTDUMP" "$cmd" --help >"$tmp/table" 2>/dev/null || true
	summary=$(awk -v c="$cmd" '$1 == c { $1 = ""; sub(/^ +/, ""); print; exit }' "$tmp/top")
	awk -v cmd="$cmd" -v summary="$summary" -v tablefile="$tmp/table" '
	# Descriptions go inside shell quotes and zsh brackets: drop what
	# would end them.
	function clean(s,   r, i, ch) {
		r = ""
		for (i = 1; i <= length(s); i++) {
			ch = substr(s, i, 1)
			if (index("[]:\047\"`$\\", ch) == 0) r = r ch
		}
		sub(/ +$/, "", r)
		return r
	}
	# The word after OPT (e.g. "--format", "-c") somewhere in the help.
	function placeholder(opt,   i, p, rest, w) {
		for (i = 1; i <= nh; i++) {
			p = index(help[i], opt " ")
			while (p > 0) {
				# a whole option, not the tail of a longer one
				if (p == 1 || substr(help[i], p - 1, 1) ~ /[ [|,(]/) {
					rest = substr(help[i], p + length(opt) + 1)
					w = rest; sub(/[] ].*$/, "", w)
					if (w != "" && w !~ /^[-|[]/) return w
				}
				rest = substr(help[i], p + 1)
				if (index(rest, opt " ") == 0) break
				p = p + index(rest, opt " ")
			}
		}
		return ""
	}
	function values(opt,   i, p, w) {
		for (i = 1; i <= nh; i++) {
			p = index(help[i], opt " ")
			if (p == 0) continue
			w = substr(help[i], p + length(opt) + 1); sub(/[] ].*$/, "", w)
			if (w ~ /^[a-z0-9-]+(\|[a-z0-9-]+)+$/) { gsub(/\|/, " ", w); return w }
		}
		return ""
	}
	function describe(opt,   i, l) {
		for (i = 1; i <= nh; i++) {
			l = help[i]
			if (l !~ /^ +-/) continue
			sub(/^ +/, "", l)
			sub(/^-[A-Za-z], /, "", l)
			if (index(l, opt " ") != 1 && l != opt) continue
			l = substr(l, length(opt) + 1)
			if (l ~ /^ [^ ]/) sub(/^ [^ ]+/, "", l)   # the placeholder
			if (l !~ /^  +[^ ]/) continue
			sub(/^ +/, "", l)
			return clean(l)
		}
		return ""
	}
	function kind(ph) { return ph ~ /^(PATH|FILE)$/ ? "file" : ph == "DIR" ? "dir" : "arg" }
	function emit(long, short, hasarg,   opt, ph, vals) {
		opt = long != "" ? "--" long : "-" short
		ph = placeholder(opt)
		if (ph == "" && short != "") ph = placeholder("-" short)
		vals = hasarg ? values(opt) : ""
		printf "O\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", cmd, long, short, hasarg,
		       hasarg ? kind(ph) : "", vals, describe(opt)
	}
	{ help[++nh] = $0 }
	END {
		print "C\t" cmd "\t" clean(summary)
		while ((getline line < tablefile) > 0) tab[++nt] = line
		if (nt > 0 && tab[1] == "flinkmem-options 1") {
			shortopts = substr(tab[2], 7)
			for (i = 3; i <= nt; i++) {
				split(tab[i], f, " ")
				s = f[4] == "-" ? "" : f[4]
				if (s != "") mapped[s] = 1
				emit(f[2], s, f[3] != "0")
			}
			for (i = 1; i <= length(shortopts); i++) {
				c = substr(shortopts, i, 1)
				if (c == ":" || (c in mapped)) continue
				emit("", c, substr(shortopts, i + 1, 1) == ":")
			}
			exit
		}
		# No table: the options the usage line names, an argument when a
		# placeholder follows (or is attached, as in -Dkey=value).
		line = help[1]
		while (match(line, /(^|[ [|])-(-[A-Za-z][A-Za-z-]*|[A-Za-z])/)) {
			o = substr(line, RSTART, RLENGTH); after = substr(line, RSTART + RLENGTH)
			sub(/^[^-]/, "", o)
			line = after
			if (substr(line, 1, 1) ~ /[A-Za-z]/ && o !~ /^--/) hasarg = 1
			else hasarg = (after ~ /^ [A-Z]/)
			if (o in seen) continue
			seen[o] = 1
			if (o ~ /^--/) emit(substr(o, 3), "", hasarg); else emit("", substr(o, 2), hasarg)
		}
		# A first argument of fixed words: "flinkmem CMD WORD1|WORD2 ...".
		split(help[1], w, " ")
		if (w[4] ~ /^[A-Z_]+(\|[A-Z_]+)+$/) { p = w[4]; gsub(/\|/, " ", p); print "P\t" cmd "\t" p }
	}' "$tmp/help" >>"$tmp/spec"
	grep -q "^O	$cmd	" "$tmp/spec" || { echo "gen_completions: no options found for '$cmd'" >&2; exit 1; }
done <"$tmp/cmds"

# The top-level flags, as the top-level help names them.
top_flags=$(sed '/^commands:/,$d' "$tmp/top" | grep -o -E -- '(^|[ |])--?[A-Za-z][a-z-]*' |
	tr -d ' |' | tr '\n' ' ')
cmds=$(tr '\n' ' ' <"$tmp/cmds")

# ---- bash ---------------------------------------------------------------
awk -F '\t' -v cmds="$cmds" -v top="$top_flags" '
BEGIN {
	print "# bash completion for flinkmem. Generated by tools/gen_completions.sh"
	print "# from the subcommands\047 option tables: do not edit."
	print "_flinkmem()"
	print "{"
	print "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}"
	print "\tlocal cmds=\"" cmds "help\""
	print "\tif [ \"$COMP_CWORD\" -eq 1 ]; then"
	print "\t\tCOMPREPLY=($(compgen -W \"$cmds " top "\" -- \"$cur\"))"
	print "\t\treturn"
	print "\tfi"
	print "\tcase ${COMP_WORDS[1]} in"
	print "\thelp)"
	print "\t\t[ \"$COMP_CWORD\" -eq 2 ] && COMPREPLY=($(compgen -W \"$cmds\" -- \"$cur\"))"
	print "\t\treturn ;;"
}
$1 == "C" { order[++n] = $2 }
$1 == "O" {
	o = ($3 != "" ? "--" $3 : "")
	s = ($4 != "" ? "-" $4 : "")
	words[$2] = words[$2] " " (o != "" ? o : "") (o != "" && s != "" ? " " : "") s
	if ($5 == "1") {
		pat = (s != "" && o != "" ? s "|" o : s o)
		if ($7 != "") act = "COMPREPLY=($(compgen -W \"" $7 "\" -- \"$cur\"))"
		else if ($6 == "file") act = "COMPREPLY=($(compgen -f -- \"$cur\"))"
		else if ($6 == "dir") act = "COMPREPLY=($(compgen -d -- \"$cur\"))"
		else act = ":"
		args[$2] = args[$2] "\t\t" pat ") " act "; return ;;\n"
	}
}
$1 == "P" { pos[$2] = $3 }
END {
	for (i = 1; i <= n; i++) {
		c = order[i]
		print "\t" c ")"
		if (args[c] != "") { print "\t\tcase $prev in"; printf "%s", args[c]; print "\t\tesac" }
		print "\t\tif [[ $cur == -* ]]; then"
		print "\t\t\tCOMPREPLY=($(compgen -W \"" substr(words[c], 2) "\" -- \"$cur\"))"
		print "\t\t\treturn"
		print "\t\tfi"
		if (c in pos) {
			print "\t\tif [ \"$COMP_CWORD\" -eq 2 ]; then"
			print "\t\t\tCOMPREPLY=($(compgen -W \"" pos[c] "\" -- \"$cur\"))"
			print "\t\t\treturn"
			print "\t\tfi"
		}
		print "\t\t;;"
	}
	print "\tesac"
	print "\tCOMPREPLY=($(compgen -f -- \"$cur\"))"
	print "}"
	print "complete -o filenames -F _flinkmem flinkmem"
}' "$tmp/spec" >"$OUT/flinkmem.bash"

# ---- zsh ----------------------------------------------------------------
awk -F '\t' -v top="$top_flags" '
BEGIN {
	print "#compdef flinkmem"
	print "# zsh completion for flinkmem. Generated by tools/gen_completions.sh"
	print "# from the subcommands\047 option tables: do not edit."
}
$1 == "C" { order[++n] = $2; summary[$2] = $3 }
$1 == "O" {
	d = ($8 != "" ? "[" $8 "]" : "")
	if ($5 == "1") {
		if ($7 != "") a = ":value:(" $7 ")"
		else if ($6 == "file") a = ":file:_files"
		else if ($6 == "dir") a = ":directory:_files -/"
		else a = ":value: "
	} else a = ""
	spec = ""
	if ($3 != "") spec = spec " \\\n\t\t\t\047*--" $3 ($5 == "1" ? "=" : "") d a "\047"
	if ($4 != "") spec = spec " \\\n\t\t\t\047*-" $4 ($5 == "1" ? "+" : "") d a "\047"
	specs[$2] = specs[$2] spec
}
$1 == "P" { pos[$2] = $3 }
END {
	print "_flinkmem()"
	print "{"
	print "\tlocal -a cmds"
	print "\tcmds=("
	for (i = 1; i <= n; i++) print "\t\t\047" order[i] ":" summary[order[i]] "\047"
	print "\t\t\047help:the options of a command\047"
	print "\t)"
	print "\tif (( CURRENT == 2 )); then"
	print "\t\t_describe -t commands command cmds"
	print "\t\t[[ $PREFIX == -* ]] && compadd -- " top
	print "\t\treturn"
	print "\tfi"
	print "\tlocal cmd=$words[2]"
	print "\tshift words"
	print "\t(( CURRENT-- ))"
	print "\tcase $cmd in"
	print "\thelp) (( CURRENT == 2 )) && _describe -t commands command cmds ;;"
	for (i = 1; i <= n; i++) {
		c = order[i]
		p = (c in pos) ? " \\\n\t\t\t\0471:word:(" pos[c] ")\047 \\\n\t\t\t\047*:file:_files\047" : " \\\n\t\t\t\047*:file:_files\047"
		print "\t" c ")"
		print "\t\t_arguments -S" specs[c] p " ;;"
	}
	print "\tesac"
	print "}"
	print "_flinkmem \"$@\""
}' "$tmp/spec" >"$OUT/_flinkmem"

# ---- fish ---------------------------------------------------------------
awk -F '\t' '
BEGIN {
	print "# fish completion for flinkmem. Generated by tools/gen_completions.sh"
	print "# from the subcommands\047 option tables: do not edit."
	print "complete -c flinkmem -f"
	print "complete -c flinkmem -n __fish_use_subcommand -s V -l version -d \047print the version\047"
	print "complete -c flinkmem -n __fish_use_subcommand -s h -l help -d \047list the commands\047"
	print "complete -c flinkmem -n __fish_use_subcommand -a help -d \047the options of a command\047"
}
$1 == "C" {
	order[++n] = $2
	print "complete -c flinkmem -n __fish_use_subcommand -a " $2 " -d \047" $3 "\047"
}
$1 == "O" {
	line = "complete -c flinkmem -n \047__fish_seen_subcommand_from " $2 "\047"
	if ($4 != "") line = line " -s " $4
	if ($3 != "") line = line " -l " $3
	if ($5 == "1") {
		if ($7 != "") line = line " -x -a \047" $7 "\047"
		else if ($6 == "file" || $6 == "dir") line = line " -r -F"
		else line = line " -x"
	}
	if ($8 != "") line = line " -d \047" $8 "\047"
	print line
}
$1 == "P" { print "complete -c flinkmem -n \047__fish_seen_subcommand_from " $2 "\047 -a \047" $3 "\047" }
END {
	cs = ""
	for (i = 1; i <= n; i++) cs = cs " " order[i]
	print "complete -c flinkmem -n \047__fish_seen_subcommand_from help\047 -a \047" substr(cs, 2) "\047"
	# files as arguments (diagnose inputs), as bash and zsh offer them
	print "complete -c flinkmem -n \047__fish_seen_subcommand_from" cs "\047 -F"
}' "$tmp/spec" >"$OUT/flinkmem.fish"
