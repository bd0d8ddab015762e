#!/usr/bin/env python3
"""A throwaway Web Push service for the WebPush module's tests, checking what a real one checks with code that is not
ours: the VAPID token (RFC 8292) with py_vapid, the payload (RFC 8291, aes128gcm) decrypted with http_ece.

It plays both ends of a push: `POST /subscriptions` makes a browser-side subscription (a fresh P-256 key pair and auth
secret, whose private half stays here) and answers the JSON of `PushSubscription.toJSON()`; `POST /push/<id>` is the
subscription's endpoint (RFC 8030 §5): it requires TTL, Content-Encoding: aes128gcm and a valid `vapid` Authorization
whose `aud` is this origin, `exp` in the next 24 hours and `sub` a mailto: or https: URL; checks Urgency and Topic;
refuses bodies over 4096 bytes (413); decrypts; records the message and answers 201. `GET /subscriptions/<id>/messages`
gives what was received, decrypted. A subscription created with {"answer": 410} (or 429 with "retryAfter", 500, …)
answers that to pushes that pass the checks, so that the sender's outcomes can be tested.

    push_service.py --port P --cert server.pem --key server.key [--pidfile F]
"""

import argparse
import base64
import json
import os
import re
import secrets
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import jwt as vapid_jwt

MAX_BODY = 4096
URGENCIES = {"very-low", "low", "normal", "high"}
TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Subscription:
    def __init__(self, answer=None, retry_after=None):
        self.id = secrets.token_urlsafe(12)
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = secrets.token_bytes(16)
        self.answer = answer
        self.retry_after = retry_after
        self.messages = []

    def public_key(self):
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )


class State:
    def __init__(self, origin):
        self.origin = origin
        self.lock = threading.Lock()
        self.subscriptions = {}


def vapid_params(header):
    """The t and k of `vapid t=…, k=…` (auth-params, RFC 7235: comma-separated, optional spaces)."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "vapid":
        raise ValueError("the Authorization scheme is not vapid")
    params = {}
    for part in rest.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            raise ValueError("a malformed auth-param")
        params[name.strip().lower()] = value.strip()
    if "t" not in params or "k" not in params:
        raise ValueError("t or k is missing")
    return params["t"], params["k"]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, format, *args):
        pass

    def reply(self, status, obj=None, headers=None):
        body = b"" if obj is None else json.dumps(obj).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if obj is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        match = re.fullmatch(r"/subscriptions/([A-Za-z0-9_-]+)/messages", self.path)
        with self.state.lock:
            subscription = match and self.state.subscriptions.get(match.group(1))
            if not subscription:
                return self.reply(404, {"error": "no such subscription"})
            return self.reply(200, subscription.messages)

    def do_POST(self):
        body = self.read_body()
        if self.path == "/subscriptions":
            options = json.loads(body or b"{}")
            subscription = Subscription(options.get("answer"), options.get("retryAfter"))
            with self.state.lock:
                self.state.subscriptions[subscription.id] = subscription
            return self.reply(
                201,
                {
                    "endpoint": "%s/push/%s" % (self.state.origin, subscription.id),
                    "expirationTime": None,
                    "keys": {"p256dh": b64url(subscription.public_key()), "auth": b64url(subscription.auth)},
                },
            )
        match = re.fullmatch(r"/push/([A-Za-z0-9_-]+)", self.path)
        if not match:
            return self.reply(404, {"error": "not found"})
        with self.state.lock:
            subscription = self.state.subscriptions.get(match.group(1))
        if subscription is None:
            return self.reply(404, {"error": "no such subscription"})
        return self.push(subscription, body)

    def push(self, subscription, body):
        ttl = self.headers.get("TTL")
        if ttl is None or not ttl.isdigit():
            return self.reply(400, {"error": "TTL is missing or not a non-negative integer"})
        urgency = self.headers.get("Urgency")
        if urgency is not None and urgency not in URGENCIES:
            return self.reply(400, {"error": "Urgency %r is not one of RFC 8030's" % urgency})
        topic = self.headers.get("Topic")
        if topic is not None and not TOPIC.match(topic):
            return self.reply(400, {"error": "Topic is not 1 to 32 base64url characters"})
        try:
            token, key = vapid_params(self.headers.get("Authorization") or "")
            claims = vapid_jwt.decode(token, key)
            header = json.loads(unb64url(token.split(".")[0]))
        except Exception as error:
            return self.reply(401, {"error": "VAPID: %s" % (error or type(error).__name__)})
        now = time.time()
        if header.get("alg") != "ES256":
            return self.reply(401, {"error": "VAPID: alg is not ES256"})
        if claims.get("aud") != self.state.origin:
            return self.reply(403, {"error": "VAPID: aud %r is not %r" % (claims.get("aud"), self.state.origin)})
        if not isinstance(claims.get("exp"), int) or not now < claims["exp"] <= now + 86400:
            return self.reply(403, {"error": "VAPID: exp is not within the next 24 hours"})
        sub = claims.get("sub", "")
        if not (sub.startswith("mailto:") or sub.startswith("https:")):
            return self.reply(403, {"error": "VAPID: sub is not a mailto: or https: URL"})
        if self.headers.get("Content-Encoding") != "aes128gcm":
            return self.reply(415, {"error": "Content-Encoding is not aes128gcm"})
        if len(body) > MAX_BODY:
            return self.reply(413, {"error": "the body is %d bytes, more than %d" % (len(body), MAX_BODY)})
        try:
            plaintext = http_ece.decrypt(
                body, private_key=subscription.private_key, auth_secret=subscription.auth, version="aes128gcm"
            )
        except Exception as error:
            return self.reply(400, {"error": "decryption failed: %s" % error})
        if subscription.answer:
            headers = {"Retry-After": str(subscription.retry_after)} if subscription.retry_after is not None else {}
            return self.reply(subscription.answer, {"error": "answered %d as asked" % subscription.answer}, headers)
        with self.state.lock:
            subscription.messages.append(
                {
                    "text": plaintext.decode("utf-8", "replace"),
                    "bytes": len(body),
                    "ttl": int(ttl),
                    "urgency": urgency,
                    "topic": topic,
                    "vapidKey": key,
                    "sub": sub,
                    "exp": claims["exp"],
                }
            )
            number = len(subscription.messages)
        return self.reply(201, None, {"Location": "/messages/%s/%d" % (subscription.id, number)})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--pidfile")
    args = parser.parse_args()
    Handler.state = State("https://127.0.0.1:%d" % args.port)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    if args.pidfile:
        with open(args.pidfile + ".tmp", "w") as f:
            f.write(str(os.getpid()))
        os.rename(args.pidfile + ".tmp", args.pidfile)
    server.serve_forever()


if __name__ == "__main__":
    main()
