#!/usr/bin/env python3
"""A real SMTP server on loopback for Guichet's tests (aiosmtpd).

Usage: smtp_server.py FOLDER [--mode accept|refuse|tempfail|down] [--tempfail-count N] [--delay SECONDS]

Listens on 127.0.0.1, on a free port, and prints "PORT <n>" on its first line of output once it accepts
connections. Each message it accepts is written to FOLDER as NNNN.eml (the bytes received, with the envelope in
NNNN.json: {"mail_from", "rcpt_tos"}). Modes:
  accept    accept every message (after --delay seconds, to let a test interrupt a batch);
  refuse    answer 550 to every recipient (a permanent refusal);
  tempfail  answer 451 to the first N messages' DATA (--tempfail-count, default 1), then accept;
  down      print a port on which nothing listens, and exit (a relay that is down).
Stops on SIGTERM, SIGINT or, when its standard input is a pipe, when that closes (the test process died).
"""
import argparse
import asyncio
import json
import os
import signal
import socket
import stat
import sys

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, folder, mode, tempfail_count, delay):
        self.folder, self.mode, self.tempfail_left, self.delay = folder, mode, tempfail_count, delay
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "refuse":
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "tempfail" and self.tempfail_left > 0:
            self.tempfail_left -= 1
            return "451 4.3.0 Temporary local problem, try again later"
        if self.delay:
            await asyncio.sleep(self.delay)
        self.count += 1
        base = os.path.join(self.folder, "%04d" % self.count)
        with open(base + ".eml.part", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        os.rename(base + ".eml.part", base + ".eml")
        return "250 2.0.0 Ok: queued as %04d" % self.count


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--mode", choices=["accept", "refuse", "tempfail", "down"], default="accept")
    parser.add_argument("--tempfail-count", type=int, default=1)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    if args.mode == "down":
        print("PORT %d" % free_port(), flush=True)
        return
    # A test runner may start us with SIGTERM blocked (the mask is inherited): unblock it, or we never stop.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    loop = asyncio.get_running_loop()
    handler = Handler(args.folder, args.mode, args.tempfail_count, args.delay)
    server = await loop.create_server(lambda: SMTP(handler, enable_SMTPUTF8=True), "127.0.0.1", 0)
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    # Only a pipe can be watched (epoll refuses regular files such as /dev/null): the tests give us one.
    if stat.S_ISFIFO(os.fstat(sys.stdin.fileno()).st_mode):
        loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not sys.stdin.buffer.read1(4096) else None)
    await stop.wait()
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
