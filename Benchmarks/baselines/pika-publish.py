#!/usr/bin/env python3
# The baseline of `lastmile-bench measure events`: usage: pika-publish.py URL QUEUE COUNT WINDOW BODY_SIZE
"""Publishes COUNT persistent messages with publisher confirms through pika's asynchronous SelectConnection, keeping
WINDOW unconfirmed at most (the broker's multiple acks settle several at once); prints messages/s."""
import collections, sys, time
import pika

url, queue, count, window, body_size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
body = b"x" * body_size
state = {"phase": "warmup", "target": min(count, 2000), "sent": 0, "confirmed": 0, "nacked": 0, "start": 0.0, "tag": 0}
outstanding = collections.deque()
settled_early = set()
channel = None


def publish_more():
    while state["sent"] - state["confirmed"] < window and state["sent"] < state["target"]:
        channel.basic_publish("", queue, body, pika.BasicProperties(delivery_mode=2, message_id="m%d" % state["sent"]))
        state["sent"] += 1
        state["tag"] += 1
        outstanding.append(state["tag"])


def on_confirm(frame):
    method = frame.method
    if isinstance(method, pika.spec.Basic.Nack):
        state["nacked"] += 1
    if method.multiple:
        while outstanding and outstanding[0] <= method.delivery_tag:
            tag = outstanding.popleft()
            if tag in settled_early:
                settled_early.discard(tag)
            else:
                state["confirmed"] += 1
    else:
        if outstanding and outstanding[0] == method.delivery_tag:
            outstanding.popleft()
        else:
            settled_early.add(method.delivery_tag)
        state["confirmed"] += 1
    if state["confirmed"] >= state["target"]:
        if state["phase"] == "warmup":
            state.update(phase="measure", target=count, sent=0, confirmed=0, start=time.perf_counter())
        else:
            elapsed = time.perf_counter() - state["start"]
            print("mode=pika messages=%d window=%d seconds=%.3f messages_per_second=%.2f nacked=%d"
                  % (count, window, elapsed, count / elapsed, state["nacked"]))
            connection.close()
            return
    publish_more()


def on_channel(ch):
    global channel
    channel = ch
    ch.queue_declare(queue, durable=True, arguments={"x-queue-type": "quorum", "x-max-length": 100000},
                     callback=lambda _: ch.queue_purge(queue, callback=lambda _: ch.confirm_delivery(on_confirm, callback=lambda _: publish_more())))


connection = pika.SelectConnection(pika.URLParameters(url), on_open_callback=lambda c: c.channel(on_open_callback=on_channel),
                                   on_open_error_callback=lambda c, e: sys.exit("cannot connect: %s" % e),
                                   on_close_callback=lambda c, reason: c.ioloop.stop())
connection.ioloop.start()
