# Sourced by the *_escapes cases: makes, in a fresh temp dir (cd'ed into),
# a legacy flink-conf.yaml whose file name, a key and values hold terminal
# escape sequences (ESC[2J clears the screen, OSC 52 writes the clipboard,
# BEL), a C1 CSI, a bidi override and bytes that are not UTF-8.
# Sets $HOSTILE (the file name); `ctl_count FILE` counts raw control bytes.
HOSTILE_DIR=$(mktemp -d); cd "$HOSTILE_DIR" || exit 2
HOSTILE=$'ev\e[2Jil\a-flink-conf.yaml'
printf 'taskmanager.memory.process.size: 1g\e]52;c;aGk=\a\e[2J\njobmanager.memory.process.size: 1g\ntaskmanager.memory.proces\e[8m.size\a: 2g\ntaskmanager.memory.managed.fraction: 0.4\xff\xfe\xc2\x9b\xe2\x80\xae\n' > "$HOSTILE"
ctl_count() { LC_ALL=C grep -c $'[\x01-\x08\x0b-\x1f\x7f]' "$1"; }
