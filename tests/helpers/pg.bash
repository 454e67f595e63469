# tests/helpers/pg.bash: one throwaway PostgreSQL cluster per bats file,
# started by scripts/pg-sandbox.  A PostgreSQL test never skips: no server
# is a failure.
#
#   load helpers/common
#   load helpers/pg
#
#   setup_file() {
#   	pg_setup_file
#   }
#   teardown_file() {
#   	pg_teardown_file
#   }
#
# pg_setup_file exports PGHOST PGPORT PGUSER PGDATABASE (every other PG*
# variable is unset), CDC_PG_DIR (the sandbox directory) and CDC_PG_BINDIR
# (the server's bindir, for psql and pg_recvlogical).  Each test runs in a
# child of the setup_file shell, so exporting is what makes them visible; the
# functions are exported too, so tests can call psql_q even when this file
# was loaded inside setup_file only.
#
# Load it at top level, after helpers/common: common.bash unsets every PG*
# variable each time a test process loads it, and loading this file then puts
# the sandbox's back (pg_env).  Loading it twice is harmless.

# _pg_root: the repository root, whichever tests/*.bats loaded us.
_pg_root() {
	local root
	root=$(cd "${BATS_TEST_DIRNAME:?pg.bash: not running under bats}/.." &&
	    pwd) || return 1
	if [[ ! -x $root/scripts/pg-sandbox ]]; then
		printf 'pg.bash: no executable "%s"\n' \
		    "$root/scripts/pg-sandbox" >&2
		return 1
	fi
	printf '%s\n' "$root"
}

# _pg_state: where pg_setup_file notes the sandbox, so teardown finds it
# even if a test file clobbered CDC_PG_DIR.
_pg_state() {
	printf '%s\n' "${BATS_FILE_TMPDIR:?pg.bash: use from setup_file}/pg-sandbox-dir"
}

# pg_setup_file: start the file's cluster and export its environment.
# Call from setup_file.  Fails (never skips) when no server can be started.
pg_setup_file() {
	local root state dir env
	state=$(_pg_state) || return 1
	# Already set up for this file: a second call must not start another.
	[[ ! -f $state ]] || return 0
	root=$(_pg_root) || return 1

	# Inherited PG* settings would point the tools under test elsewhere.
	unset "${!PG@}"
	# pg-sandbox prints the one-line reason (e.g. binaries not found).
	CDC_PG_BINDIR=$("$root/scripts/pg-sandbox" bindir) || {
		printf 'pg.bash: no PostgreSQL server; PostgreSQL tests never skip\n' >&2
		return 1
	}

	# Not under BATS_FILE_TMPDIR: as root that is a 0700 root directory the
	# postgres user cannot enter.  A fresh empty dir in /tmp is handed to
	# postgres by pg-sandbox and keeps the socket path short.
	dir=$(mktemp -d /tmp/cdc-pg.XXXXXX) || return 1
	printf '%s\n' "$dir" >"$state"
	# fd 3 closed: bats waits for every holder of it, the server included.
	if ! env=$("$root/scripts/pg-sandbox" start "$dir" 3>&-); then
		printf 'pg.bash: could not start the test cluster in "%s"\n' \
		    "$dir" >&2
		return 1
	fi
	eval "$env"
	export CDC_PG_DIR=$dir CDC_PG_BINDIR
}

# pg_teardown_file: stop and remove the file's cluster.  Call from
# teardown_file.  When a test of the file failed, the server log tail is
# shown, since it often says why (a crash, a refused connection).
pg_teardown_file() {
	local root state dir
	state=$(_pg_state) || return 1
	# setup_file may have failed before there was anything to undo.
	[[ -f $state ]] || return 0
	dir=$(<"$state")
	root=$(_pg_root) || return 1
	# bats-exec-file's own status variable: bats has no public one here.
	if [[ ${bats_exec_file_status:-0} != 0 ]] && { true >&3; } 2>/dev/null; then
		_pg_log_tail "$dir" | sed 's/^/# /' >&3
	fi
	if ! "$root/scripts/pg-sandbox" stop "$dir"; then
		_pg_log_tail "$dir" >&2
		return 1
	fi
	# pg-sandbox keeps a directory it did not create; we made it.
	rmdir "$dir" 2>/dev/null || true
	rm -f "$state"
}

# _pg_log_tail DIR: the end of the sandbox's server log, with a heading.
_pg_log_tail() {
	[[ -f $1/log ]] || return 0
	printf 'last lines of the server log "%s":\n' "$1/log"
	tail -n 20 "$1/log"
}

# pg_unique_name PREFIX: print a slot/table/publication name unique to this
# test and call: lowercase, a valid unquoted identifier, at most 63 bytes.
#   slot=$(pg_unique_name slot)    # slot_4242_71234567
pg_unique_name() {
	local prefix=${1:-t} suffix
	prefix=${prefix,,}
	prefix=${prefix//[^a-z0-9_]/_}
	[[ $prefix == [a-z_]* ]] || prefix=_$prefix
	# $$ tells tests (one process each) apart, $RANDOM the calls in a test.
	suffix=_$$_$((RANDOM * 32768 + RANDOM))
	printf '%s%s\n' "${prefix:0:$((63 - ${#suffix}))}" "$suffix"
}

# psql_q SQL [PSQL-OPTION...]: run SQL on the sandbox, print the unaligned,
# tuples-only result; any SQL error fails.  The sandbox's own env file is
# used, so psql_q works even if a test changed the PG* variables; options
# come last and may override it (psql_q IDENTIFY_SYSTEM -d "replication=database").
#   run -0 psql_q 'show wal_level'
psql_q() {
	local sql=${1:?usage: psql_q SQL [PSQL-OPTION...]}
	shift
	if [[ -z ${CDC_PG_DIR:-} || ! -f $CDC_PG_DIR/env ]]; then
		printf 'psql_q: no sandbox; call pg_setup_file from setup_file\n' >&2
		return 1
	fi
	(
		eval "$(<"$CDC_PG_DIR/env")"
		exec "$CDC_PG_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -c "$sql" "$@"
	)
}

# psql_f FILE: run an SQL file on the sandbox, stopping at the first error;
# its output is discarded.
psql_f() {
	(
		eval "$(<"$CDC_PG_DIR/env")"
		exec "$CDC_PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -f "$1" >/dev/null
	)
}

# pg_env: export the sandbox's PGHOST PGPORT PGUSER PGDATABASE again, for a
# test whose other helpers cleared or changed them.  A no-op before
# pg_setup_file ran for this bats file.
pg_env() {
	local state
	state=${BATS_FILE_TMPDIR:+$BATS_FILE_TMPDIR/pg-sandbox-dir}
	[[ -n $state && -f $state && -f ${CDC_PG_DIR:-}/env ]] || return 0
	# Only the sandbox this file started, never an inherited one.
	[[ $(<"$state") == "$CDC_PG_DIR" ]] || return 0
	eval "$(<"$CDC_PG_DIR/env")"
}

# Tests run in child processes of the setup_file shell: export the API.
export -f _pg_root _pg_state _pg_log_tail pg_setup_file pg_teardown_file \
    pg_unique_name psql_q psql_f pg_env

# Loaded at top level in a test process: undo common.bash's PG* reset.
pg_env
