# The one place that starts and stops throwaway servers for scripts/test, scripts/bench and Tests/system (sourced, not
# run). Each server is a `start_<name>` function: it installs what it needs from Debian's packages when missing, starts
# a private instance on free loopback ports as an unprivileged user, exports the URLs that reach it and registers its
# stop with `add_cleanup`. A new server (nginx, Prometheus, an SMTP server) is one more such function.
#
# A script sources this file, sets SCRIPT_NAME, and calls `services_begin` once: that installs the exit trap that runs
# every cleanup in reverse order on any exit (error, Ctrl-C, SIGTERM) and kills every process carrying this run's mark.
# Sourcing alone sets no trap, so Tests/system can use the small helpers beside its own cleanup.

SCRIPT_NAME=${SCRIPT_NAME:-$(basename "$0")}

section() { printf '\n==== %s ====\n' "$*"; }
info() { printf '  %s\n' "$*"; }
die() {
    printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2
    exit 1
}

# ---------------------------------------------------------------- cleanup

declare -a CLEANUPS=()
# add_cleanup COMMAND — run COMMAND (with eval) on exit, after every cleanup added later.
add_cleanup() { CLEANUPS+=("$1"); }

# Every process a run starts may carry LASTMILE_TEST_RUN_MARK=$RUN_MARK in its environment, so that it can be found
# and stopped even after its parent died (swift test puts xctest in a process group of its own, and xctest shrugs off
# SIGTERM).
RUN_MARK="$$-$(date +%s%N)"
# kill_marked — SIGKILL every process with this run's mark, except this shell.
kill_marked() {
    local environ pid
    for environ in /proc/[0-9]*/environ; do
        pid=${environ#/proc/}
        pid=${pid%/environ}
        [[ $pid != "$$" && $pid != "$BASHPID" ]] || continue
        if tr '\0' '\n' 2>/dev/null <"$environ" | grep -qxF "LASTMILE_TEST_RUN_MARK=$RUN_MARK"; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
}

services_on_exit() {
    local status=$? i
    trap - EXIT
    ((${#CLEANUPS[@]} == 0)) || info "stopping what this run started"
    kill_marked
    for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do
        eval "${CLEANUPS[i]}" || true
    done
    exit "$status"
}

# services_begin — install the exit trap and pick the user that servers run as.
services_begin() {
    trap services_on_exit EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    if [[ $(id -u) -eq 0 ]]; then
        SERVICE_USER=$(service_user)
    else
        SERVICE_USER=$(id -un)
    fi
    if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    fi
}

# ---------------------------------------------------------------- tools

APT_UPDATED=0
# apt_install PACKAGE... — install Debian packages non-interactively (root, or sudo if present).
apt_install() {
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || die "need root (or sudo) to install the Debian packages $* (or install them yourself)"
        sudo=(sudo)
    fi
    command -v apt-get >/dev/null || die "missing: the Debian packages $* (and no apt-get to install them)"
    if [[ $APT_UPDATED -eq 0 ]]; then
        info "apt-get update"
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
        APT_UPDATED=1
    fi
    info "apt-get install $*"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
        die "apt-get install $* failed"
}

# require_tool COMMAND PACKAGE — install PACKAGE when COMMAND is not on PATH; stop with a clear message if it still is not.
require_tool() {
    command -v "$1" >/dev/null 2>&1 && return
    apt_install "$2"
    command -v "$1" >/dev/null 2>&1 || die "missing: $1 (the Debian package $2 was installed but gave no $1)"
}

# require_python_module MODULE SPEC — a Python module, installed from PyPI as SPEC when it cannot be imported; returns 1
# when it cannot be had.
require_python_module() {
    local module=$1 spec=$2
    require_tool python3 python3
    python3 -c "import $module" 2>/dev/null && return
    info "pip install $spec"
    python3 -m pip install --quiet "$spec" >/dev/null 2>&1 || python3 -m pip install --quiet --break-system-packages "$spec" >/dev/null 2>&1
    python3 -c "import $module" 2>/dev/null
}

# require_pika — Python's pika (the AMQP interoperability tests).
require_pika() { require_python_module pika pika; }

# require_yookassa_sdk — YooKassa's Python SDK (`yookassa`), which drives the YooKassa stand-in.
require_yookassa_sdk() { require_python_module yookassa yookassa; }

# require_tbank_sdk — T-Bank's Python SDK (`tbank`, its acquiring client), which drives the T-Bank stand-in.
require_tbank_sdk() { require_python_module tbank.acquiring.sync 'tbank>=1.14,<2'; }

# free_port — print a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
        return
    fi
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    die "no free port found"
}

# random_secret — 20-odd letters and digits.
random_secret() { head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9'; }

# hide_password URL — URL with its password replaced by ***.
hide_password() { sed -E 's#(//[^:/@]*:)[^@]*@#\1***@#' <<<"$1"; }

# service_user — the unprivileged user that owns throwaway server data when running as root.
service_user() {
    if id postgres >/dev/null 2>&1; then
        echo postgres
    else
        id lastmile-test >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin lastmile-test
        echo lastmile-test
    fi
}

# as_service_user COMMAND... — run COMMAND as the service user (or as ourselves when not root).
as_service_user() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u "$SERVICE_USER" -- "$@"
    else
        "$@"
    fi
}

# service_dir NAME — a fresh folder under /tmp that the service user owns, removed on exit, in SERVICE_DIR (not
# printed: a command substitution would register its removal in a subshell).
service_dir() {
    SERVICE_DIR=$(mktemp -d "/tmp/lastmile-$1.XXXXXX")
    chmod 755 "$SERVICE_DIR"
    [[ $(id -u) -ne 0 ]] || chown "$SERVICE_USER" "$SERVICE_DIR"
    add_cleanup "rm -rf '$SERVICE_DIR'"
}

# ---------------------------------------------------------------- PostgreSQL

# find_postgres_bin — the newest /usr/lib/postgresql/*/bin with initdb, postgres, psql and pgbench, or nothing.
find_postgres_bin() {
    local d
    for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5 -n -r); do
        if [[ -x $d/initdb && -x $d/postgres && -x $d/psql && -x $d/pgbench ]]; then
            echo "$d"
            return
        fi
    done
}

# start_postgres [durable] — a private PostgreSQL on a free loopback port with a role `lastmile` (password) that owns
# database `lastmile`. Default: fsync, synchronous_commit and full_page_writes off, for tests. `durable`: those on,
# larger buffers and checkpoints spaced out, and the role a superuser (benchmarks create databases, CHECKPOINT and run
# pgbench). Sets PG_BIN, PG_SOCKET_DIR, PG_PORT, PG_VERSION, PG_URL (database lastmile) and PG_ADMIN_URL (postgres).
start_postgres() {
    local profile=${1:-test} dir port password user=lastmile role_options=CREATEDB
    PG_BIN=$(find_postgres_bin)
    if [[ -z $PG_BIN ]]; then
        apt_install postgresql postgresql-client
        PG_BIN=$(find_postgres_bin)
        [[ -n $PG_BIN ]] || die "postgresql installed but no initdb, postgres, psql and pgbench under /usr/lib/postgresql"
    fi
    require_tool psql postgresql-client
    service_dir pg
    dir=$SERVICE_DIR
    password=$(random_secret)
    port=$(free_port)
    as_service_user "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        die "initdb failed"
    }
    printf '%s\n' "listen_addresses = '127.0.0.1'" "port = $port" "unix_socket_directories = '$dir'" "max_connections = 200" \
        >>"$dir/data/postgresql.conf"
    if [[ $profile == durable ]]; then
        role_options=SUPERUSER
        printf '%s\n' "shared_buffers = 512MB" "work_mem = 16MB" "maintenance_work_mem = 256MB" "max_wal_size = 8GB" \
            "checkpoint_timeout = 30min" "fsync = on" "synchronous_commit = on" "full_page_writes = on" >>"$dir/data/postgresql.conf"
    else
        printf '%s\n' "fsync = off" "synchronous_commit = off" "full_page_writes = off" >>"$dir/data/postgresql.conf"
    fi
    as_service_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null || {
        cat "$dir/server.log" >&2
        die "PostgreSQL did not start"
    }
    add_cleanup "as_service_user '$PG_BIN/pg_ctl' -D '$dir/data' -m immediate -w stop >/dev/null 2>&1"
    as_service_user "$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q <<EOF
CREATE ROLE $user LOGIN $role_options PASSWORD '$password';
CREATE DATABASE lastmile OWNER $user;
EOF
    PG_SOCKET_DIR=$dir PG_PORT=$port
    PG_VERSION=$("$PG_BIN/postgres" --version | awk '{print $3}')
    PG_URL="postgres://$user:$password@127.0.0.1:$port/lastmile"
    PG_ADMIN_URL="postgres://$user:$password@127.0.0.1:$port/postgres"
    info "PostgreSQL $PG_VERSION ($profile) on 127.0.0.1:$port, data in $dir"
}

# postgres_activity — what the private PostgreSQL's sessions are doing (for hangs).
postgres_activity() {
    [[ -n ${PG_SOCKET_DIR:-} ]] || return 0
    info "PostgreSQL sessions not idle:"
    as_service_user "$PG_BIN/psql" -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -d postgres -X -P pager=off -c \
        "SELECT pid, datname, state, wait_event_type, wait_event, now() - query_start AS for, left(query, 100) AS query
         FROM pg_stat_activity WHERE backend_type = 'client backend' AND state <> 'idle' ORDER BY query_start" 2>&1 |
        sed 's/^/    /' || true
}

# ---------------------------------------------------------------- TLS certificates

# make_certificates — once per run: a throwaway CA and a server certificate for localhost, 127.0.0.1 and ::1 that it
# signed, in TLS_DIR (ca.pem, server.pem, server.key), readable by the service user; exports LASTMILE_TEST_TLS_CA_FILE.
# Also a client certificate the CA signed and one it did not (self-signed), for the servers that check client
# certificates when one is presented: LASTMILE_TEST_TLS_CLIENT_{CERT,KEY}_FILE, LASTMILE_TEST_TLS_UNTRUSTED_{CERT,KEY}_FILE.
make_certificates() {
    [[ -n ${TLS_DIR:-} ]] && return
    require_tool openssl openssl
    local dir ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1)
    service_dir tls
    dir=$SERVICE_DIR
    openssl req -x509 -new -nodes "${ec[@]}" -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 7 -subj "/CN=LastMile test CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1 ||
        die "openssl could not make the test CA"
    # sign_certificate NAME SUBJECT EXTENSIONS... — a key and a certificate that the test CA signed.
    sign_certificate() {
        openssl req -new -nodes "${ec[@]}" -keyout "$dir/$1.key" -out "$dir/$1.csr" -subj "$2" >/dev/null 2>&1 ||
            die "openssl could not make the $1 key"
        printf '%s\n' "${@:3}" >"$dir/$1.ext"
        openssl x509 -req -in "$dir/$1.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
            -days 7 -extfile "$dir/$1.ext" -out "$dir/$1.pem" >/dev/null 2>&1 || die "openssl could not sign the $1 certificate"
        rm -f "$dir/$1.csr" "$dir/$1.ext"
    }
    sign_certificate server "/CN=localhost" "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" "basicConstraints=critical,CA:FALSE" \
        "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth"
    sign_certificate client "/CN=LastMile test client" "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
        "extendedKeyUsage=clientAuth"
    openssl req -x509 -new -nodes "${ec[@]}" -keyout "$dir/untrusted.key" -out "$dir/untrusted.pem" -days 7 \
        -subj "/CN=LastMile untrusted test client" -addext "extendedKeyUsage=clientAuth" >/dev/null 2>&1 ||
        die "openssl could not make the untrusted test client certificate"
    rm -f "$dir/ca.key"
    chmod 644 "$dir/ca.pem" "$dir/server.pem" "$dir/client.pem" "$dir/untrusted.pem"
    chmod 600 "$dir/server.key" "$dir/client.key" "$dir/untrusted.key"
    [[ $(id -u) -ne 0 ]] || chown -R "$SERVICE_USER" "$dir"
    TLS_DIR=$dir
    export LASTMILE_TEST_TLS_CA_FILE=$dir/ca.pem
    export LASTMILE_TEST_TLS_CLIENT_CERT_FILE=$dir/client.pem LASTMILE_TEST_TLS_CLIENT_KEY_FILE=$dir/client.key
    export LASTMILE_TEST_TLS_UNTRUSTED_CERT_FILE=$dir/untrusted.pem LASTMILE_TEST_TLS_UNTRUSTED_KEY_FILE=$dir/untrusted.key
    info "test CA, server certificate (localhost, 127.0.0.1, ::1) and client certificates in $dir"
}

# ---------------------------------------------------------------- Redis

# start_redis [tls] — a private redis-server on a free loopback port with a password and no persistence; with `tls` it
# also listens with TLS on a second port (certificate from make_certificates; a client certificate is optional).
# Sets REDIS_PORT, REDIS_PASSWORD, REDIS_URL and, with tls, REDIS_TLS_URL.
start_redis() {
    local tls=${1:-} dir conf=()
    require_tool redis-server redis-server
    require_tool redis-cli redis-tools
    service_dir redis
    dir=$SERVICE_DIR
    REDIS_PASSWORD=$(random_secret)
    REDIS_PORT=$(free_port)
    # 127.0.0.2 is an address the certificate does not name, for the tests of host-name verification.
    conf=("bind 127.0.0.1 -127.0.0.2" "port $REDIS_PORT" "dir $dir" 'save ""' "appendonly no" "daemonize yes"
        "pidfile $dir/redis.pid" "logfile $dir/redis.log" "requirepass $REDIS_PASSWORD")
    if [[ $tls == tls ]]; then
        make_certificates
        local tls_port
        tls_port=$(free_port)
        conf+=("tls-port $tls_port" "tls-cert-file $TLS_DIR/server.pem" "tls-key-file $TLS_DIR/server.key"
            "tls-ca-cert-file $TLS_DIR/ca.pem" "tls-auth-clients optional")
        REDIS_TLS_URL="rediss://default:$REDIS_PASSWORD@127.0.0.1:$tls_port/0"
    fi
    printf '%s\n' "${conf[@]}" >"$dir/redis.conf"
    chmod 644 "$dir/redis.conf"
    as_service_user redis-server "$dir/redis.conf" || die "redis-server did not start"
    add_cleanup "kill \$(cat '$dir/redis.pid' 2>/dev/null) 2>/dev/null"
    for _ in $(seq 1 50); do
        REDISCLI_AUTH=$REDIS_PASSWORD redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
        sleep 0.1
    done
    REDISCLI_AUTH=$REDIS_PASSWORD redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG || {
        cat "$dir/redis.log" >&2
        die "redis-server does not answer"
    }
    REDIS_URL="redis://default:$REDIS_PASSWORD@127.0.0.1:$REDIS_PORT/0"
    info "Redis $(redis-server --version | awk '{print $3}' | sed 's/^v=//') on 127.0.0.1:$REDIS_PORT${tls:+, with TLS on ${tls_port:-}}"
}

# ---------------------------------------------------------------- SMTP

# start_smtp — a private SMTP server (scripts/lib/smtp_server.py over Python's aiosmtpd) on a free loopback port:
# STARTTLS required (certificate from make_certificates), then AUTH PLAIN or LOGIN as one user with a random password;
# every accepted message lands in a directory as <id>.eml with its envelope in <id>.json. Also installs dkimpy and
# PyNaCl, which the tests verify DKIM signatures with. Sets SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_URL
# (smtp://user:password@127.0.0.1:port), SMTPS_URL (the same server with TLS from the first byte, on a second port)
# and SMTP_MAILDIR.
start_smtp() {
    local dir
    require_python_module aiosmtpd aiosmtpd || die "cannot install Python's aiosmtpd"
    # What the tests check received mail with: DKIM signatures (dkimpy; PyNaCl for ed25519-sha256).
    require_python_module dkim dkimpy || die "cannot install Python's dkimpy"
    require_python_module nacl pynacl || die "cannot install Python's PyNaCl"
    make_certificates
    service_dir smtp
    dir=$SERVICE_DIR
    mkdir -p "$dir/mail"
    SMTP_USER=lastmile
    SMTP_PASSWORD=$(random_secret)
    SMTP_PORT=$(free_port)
    SMTP_TLS_PORT=$(free_port)
    SMTP_MAILDIR=$dir/mail
    printf '%s\n' "$SMTP_PASSWORD" >"$dir/password"
    chmod 600 "$dir/password"
    # Run as ourselves, not the service user: the Python that has aiosmtpd may live in our home (pyenv, pip --user).
    LASTMILE_TEST_RUN_MARK=$RUN_MARK python3 "$(dirname "${BASH_SOURCE[0]}")/smtp_server.py" --port "$SMTP_PORT" \
        --implicit-tls-port "$SMTP_TLS_PORT" \
        --cert "$TLS_DIR/server.pem" --key "$TLS_DIR/server.key" --user "$SMTP_USER" --password-file "$dir/password" \
        --maildir "$SMTP_MAILDIR" --pidfile "$dir/smtp.pid" >"$dir/smtp.log" 2>&1 &
    disown
    add_cleanup "kill \$(cat '$dir/smtp.pid' 2>/dev/null) 2>/dev/null"
    for _ in $(seq 1 100); do
        [[ -s $dir/smtp.pid ]] && break
        sleep 0.1
    done
    [[ -s $dir/smtp.pid ]] || {
        cat "$dir/smtp.log" >&2
        die "the SMTP server did not start"
    }
    SMTP_URL="smtp://$SMTP_USER:$SMTP_PASSWORD@127.0.0.1:$SMTP_PORT"
    SMTPS_URL="smtps://$SMTP_USER:$SMTP_PASSWORD@127.0.0.1:$SMTP_TLS_PORT"
    info "SMTP server (aiosmtpd $(python3 -c 'import aiosmtpd; print(aiosmtpd.__version__)')) on 127.0.0.1:$SMTP_PORT (implicit TLS on $SMTP_TLS_PORT), mail in $SMTP_MAILDIR"
}

# ---------------------------------------------------------------- Web Push

# require_webpush_tools — Python's http_ece and py_vapid: the push service stand-in decrypts payloads (RFC 8291) and
# verifies VAPID tokens (RFC 8292) with them, code independent of the WebPush module it tests.
require_webpush_tools() { require_python_module http_ece http_ece && require_python_module py_vapid py_vapid; }

# start_push_service — a private Web Push service (scripts/lib/push_service.py) with TLS (certificate from
# make_certificates) on a free loopback port: it makes subscriptions whose private keys it keeps, checks every push's
# headers and VAPID token, decrypts the payload and records it. Sets PUSH_SERVICE_URL (https://127.0.0.1:port).
start_push_service() {
    local dir port
    require_webpush_tools || die "cannot install Python's http_ece and py_vapid"
    make_certificates
    service_dir push
    dir=$SERVICE_DIR
    port=$(free_port)
    # Run as ourselves, like the SMTP server: the Python that has http_ece may live in our home.
    LASTMILE_TEST_RUN_MARK=$RUN_MARK python3 "$(dirname "${BASH_SOURCE[0]}")/push_service.py" --port "$port" \
        --cert "$TLS_DIR/server.pem" --key "$TLS_DIR/server.key" --pidfile "$dir/push.pid" >"$dir/push.log" 2>&1 &
    disown
    add_cleanup "kill \$(cat '$dir/push.pid' 2>/dev/null) 2>/dev/null"
    for _ in $(seq 1 100); do
        [[ -s $dir/push.pid ]] && break
        sleep 0.1
    done
    [[ -s $dir/push.pid ]] || {
        cat "$dir/push.log" >&2
        die "the push service did not start"
    }
    PUSH_SERVICE_URL="https://127.0.0.1:$port"
    info "Web Push service (http_ece $(python3 -c 'import importlib.metadata as m; print(m.version("http_ece"))'), py_vapid $(python3 -c 'import importlib.metadata as m; print(m.version("py_vapid"))')) on $PUSH_SERVICE_URL"
}

# ---------------------------------------------------------------- RabbitMQ

RABBITMQ_BIN=/usr/lib/rabbitmq/bin
declare -A RABBITMQ_ENV_LINE=() RABBITMQ_NODE=() RABBITMQ_URL=() RABBITMQ_TLS_URL=() RABBITMQ_DIR=()

# start_rabbitmq ROLE [tls] — a private RabbitMQ node with its own Erlang cookie, epmd port and data directory (so it
# never meets a system node), no plugins, started in the background; `await_rabbitmq ROLE` then waits for it and gives
# it a user and vhost. With `tls` it also listens with TLS on a second port (certificate from make_certificates; a
# client certificate is optional, and checked against the test CA when one is presented). Several roles can start
# before any is awaited, so that their boots overlap.
start_rabbitmq() {
    local role=$1 tls=${2:-} dir port tls_port dist_port epmd_port node
    [[ -x $RABBITMQ_BIN/rabbitmq-server ]] || apt_install rabbitmq-server
    [[ -x $RABBITMQ_BIN/rabbitmq-server ]] || die "rabbitmq-server installed but $RABBITMQ_BIN/rabbitmq-server is missing"
    service_dir "rabbitmq-$role"
    dir=$SERVICE_DIR
    port=$(free_port)
    dist_port=$(free_port)
    epmd_port=$(free_port)
    node="lastmile-$role-$$@localhost"
    head -c 30 /dev/urandom | base64 | tr -dc 'A-Z' >"$dir/.erlang.cookie"
    chmod 400 "$dir/.erlang.cookie"
    echo '[].' >"$dir/enabled_plugins"
    printf '%s\n' "listeners.tcp.default = 127.0.0.1:$port" "loopback_users = none" "disk_free_limit.absolute = 10MB" \
        "log.console = false" "log.file.level = info" >"$dir/rabbitmq.conf"
    if [[ $tls == tls ]]; then
        make_certificates
        tls_port=$(free_port)
        # 127.0.0.2 is an address the certificate does not name, for the tests of host-name verification.
        printf '%s\n' "listeners.ssl.default = 127.0.0.1:$tls_port" "listeners.ssl.unnamed = 127.0.0.2:$tls_port" \
            "ssl_options.cacertfile = $TLS_DIR/ca.pem" "ssl_options.certfile = $TLS_DIR/server.pem" \
            "ssl_options.keyfile = $TLS_DIR/server.key" \
            "ssl_options.verify = verify_peer" "ssl_options.fail_if_no_peer_cert = false" >>"$dir/rabbitmq.conf"
        RABBITMQ_TLS_URL[$role]="amqps://lastmile:PASSWORD@127.0.0.1:$tls_port/lastmile"
    fi
    [[ $(id -u) -ne 0 ]] || chown -R "$SERVICE_USER" "$dir"
    # Everything the node and rabbitmqctl need to find each other, and nothing of the system's.
    RABBITMQ_ENV_LINE[$role]="HOME=$dir ERL_EPMD_PORT=$epmd_port RABBITMQ_NODENAME=$node RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
        RABBITMQ_NODE_PORT=$port RABBITMQ_DIST_PORT=$dist_port RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf
        RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins RABBITMQ_MNESIA_BASE=$dir/mnesia RABBITMQ_LOG_BASE=$dir/log
        RABBITMQ_PID_FILE=$dir/rabbitmq.pid RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config
        RABBITMQ_PLUGINS_EXPAND_DIR=$dir/plugins-expand"
    RABBITMQ_NODE[$role]=$node
    RABBITMQ_DIR[$role]=$dir
    RABBITMQ_URL[$role]="amqp://lastmile:PASSWORD@127.0.0.1:$port/lastmile"
    # shellcheck disable=SC2086 # the environment line is split into its words on purpose
    (cd "$dir" && as_service_user env ${RABBITMQ_ENV_LINE[$role]} "$RABBITMQ_BIN/rabbitmq-server" >"$dir/server.out" 2>&1 &)
    add_cleanup "rabbitmq_stop $role '$epmd_port'"
}

# await_rabbitmq ROLE — waits until the node is up, then gives it a user `lastmile` and a vhost `lastmile`.
await_rabbitmq() {
    local role=$1 dir=${RABBITMQ_DIR[$1]} password
    # await_startup gives up at once while the Erlang node itself is not up yet, so it is retried.
    for _ in $(seq 1 120); do
        rabbitmqctl_private "$role" -t 60 await_startup >/dev/null 2>&1 && break
        sleep 1
    done
    rabbitmqctl_private "$role" -t 10 await_startup >/dev/null 2>&1 || {
        tail -n 40 "$dir/server.out" "$dir"/log/*.log >&2 2>/dev/null
        die "RabbitMQ node ${RABBITMQ_NODE[$role]} did not start"
    }
    password=$(random_secret)
    rabbitmqctl_private "$role" add_vhost lastmile >/dev/null
    rabbitmqctl_private "$role" add_user lastmile "$password" >/dev/null
    rabbitmqctl_private "$role" set_permissions -p lastmile lastmile '.*' '.*' '.*' >/dev/null
    RABBITMQ_URL[$role]=${RABBITMQ_URL[$role]/PASSWORD/$password}
    [[ -z ${RABBITMQ_TLS_URL[$role]:-} ]] || RABBITMQ_TLS_URL[$role]=${RABBITMQ_TLS_URL[$role]/PASSWORD/$password}
    info "RabbitMQ $(rabbitmqctl_private "$role" version 2>/dev/null) node ${RABBITMQ_NODE[$role]} on ${RABBITMQ_URL[$role]##*@}"
}

# rabbitmqctl_private ROLE ARGS... — rabbitmqctl against a private node, as the service user.
rabbitmqctl_private() {
    local role=$1
    shift
    # shellcheck disable=SC2086
    as_service_user env ${RABBITMQ_ENV_LINE[$role]} "$RABBITMQ_BIN/rabbitmqctl" -n "${RABBITMQ_NODE[$role]}" "$@"
}

# rabbitmqctl_command_line ROLE — a shell command prefix that runs rabbitmqctl against a private node.
rabbitmqctl_command_line() {
    local prefix=()
    [[ $(id -u) -eq 0 ]] && prefix=(runuser -u "$SERVICE_USER" --)
    # shellcheck disable=SC2086
    printf '%q ' "${prefix[@]}" env ${RABBITMQ_ENV_LINE[$1]} "$RABBITMQ_BIN/rabbitmqctl" -n "${RABBITMQ_NODE[$1]}"
}

# rabbitmq_stop ROLE EPMD_PORT — stops a private node, then its epmd.
rabbitmq_stop() {
    rabbitmqctl_private "$1" -t 30 stop >/dev/null 2>&1 || kill "$(cat "${RABBITMQ_DIR[$1]}/rabbitmq.pid" 2>/dev/null)" 2>/dev/null
    as_service_user env "ERL_EPMD_PORT=$2" epmd -kill >/dev/null 2>&1 || true
}
