#!/usr/bin/env python3
"""A throwaway SMTP server for the SMTP client's tests, over aiosmtpd: STARTTLS required before AUTH (PLAIN and LOGIN,
one user), PIPELINING, 8BITMIME, SMTPUTF8 and SIZE offered, every accepted message recorded to a directory.

Each message is written as <id>.eml (the bytes received after DATA, dot-unstuffed) beside <id>.json (the envelope:
mail_from, rcpt_tos, mail_options, the EHLO name, the client's address and port). Recipients whose local part starts with `reject` are refused with
550 5.1.1, those starting with `later` with 451 4.2.0, so the client's per-recipient outcomes can be checked. A client
that greets with `EHLO login-only.<anything>` is offered AUTH LOGIN only, and is not offered PIPELINING, so the tests
can take both paths.

    smtp_server.py --port P [--implicit-tls-port P2] --cert server.pem --key server.key --user U --password-file F --maildir DIR [--pidfile F]
"""

import argparse
import asyncio
import json
import os
import signal
import ssl
import threading
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Recorder:
    def __init__(self, maildir):
        self.maildir = maildir

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        login_only = hostname.lower().startswith("login-only.")
        result = []
        for line in responses:
            if line.startswith("250-AUTH") and login_only:
                line = "250-AUTH LOGIN"
            result.append(line)
        if not login_only:
            # aiosmtpd reads one command line at a time and answers in order, so it serves pipelined commands.
            result.insert(1, "250-PIPELINING")
        result.insert(1, "250-ENHANCEDSTATUSCODES")
        return result

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 <%s>: no such user here" % address
        if local.startswith("later"):
            return "451 4.2.0 <%s>: mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        message_id = uuid.uuid4().hex
        path = os.path.join(self.maildir, message_id)
        with open(path + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(path + ".json", "w") as f:
            json.dump(
                {
                    "mail_from": envelope.mail_from,
                    "rcpt_tos": envelope.rcpt_tos,
                    "mail_options": envelope.mail_options,
                    "ehlo": session.host_name,
                    "peer": list(session.peer)[:2],
                },
                f,
            )
        os.rename(path + ".eml.tmp", path + ".eml")
        return "250 2.0.0 queued as %s" % message_id


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--implicit-tls-port", type=int, help="also listen with TLS from the first byte (port 465 style)")
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--pidfile")
    args = parser.parse_args()
    with open(args.password_file) as f:
        password = f.read().strip()

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)

    def authenticate(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = auth_data.login.decode() == args.user and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False)

    controller = Controller(
        Recorder(args.maildir),
        hostname=args.host,
        port=args.port,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
        auth_require_tls=True,
        enable_SMTPUTF8=True,
        data_size_limit=10 * 1024 * 1024,
        server_hostname="localhost",
    )
    controller.start()
    controllers = [controller]
    if args.implicit_tls_port:
        implicit = Controller(
            Recorder(args.maildir),
            hostname=args.host,
            port=args.implicit_tls_port,
            ssl_context=context,
            authenticator=authenticate,
            auth_required=True,
            # aiosmtpd counts only STARTTLS as TLS; this whole connection is.
            auth_require_tls=False,
            enable_SMTPUTF8=True,
            data_size_limit=10 * 1024 * 1024,
            server_hostname="localhost",
        )
        implicit.start()
        controllers.append(implicit)
    if args.pidfile:
        with open(args.pidfile, "w") as f:
            f.write(str(os.getpid()))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("listening on %s:%d" % (args.host, args.port), flush=True)
    stop.wait()
    for running in controllers:
        running.stop()


if __name__ == "__main__":
    main()
