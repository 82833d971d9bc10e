#!/usr/bin/env python3
"""Hostile gRPC client speaking raw HTTP/2 (Debian's python3-h2), for the bounds tests and
`make abuse`. Loopback only; every loop is bounded in count and time.

Attacks:
  unfinished  C connections x S streams, each POSTs ValidateCertificate announcing a message of
              --announce bytes (the 5-byte gRPC prefix) and sends all of it but the last byte,
              as far as the server's flow-control windows allow; holds for --hold seconds and
              then disconnects (TCP close, no RST_STREAM).
  idle        C connections that finish the HTTP/2 preface and then send nothing; held for
              --hold seconds.

Prints one JSON line: {"opened": connections the server accepted, "refused": connections it
closed or never accepted, "streams": streams opened, "bytes_sent": DATA bytes the server took,
"goaway": connections that got a GOAWAY}.
"""
import argparse
import json
import select
import socket
import struct
import sys
import time

import h2.config
import h2.connection
import h2.events
import h2.exceptions

PATH = "/certguard.v1.CertificateValidator/ValidateCertificate"


def connect(host, port, deadline):
    sock = socket.create_connection((host, port), timeout=max(0.1, deadline - time.monotonic()))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    return sock, conn


class Attacker:
    def __init__(self, args):
        self.args = args
        self.links = []  # (sock, conn, {stream_id: bytes still to send})
        self.stats = {"opened": 0, "refused": 0, "streams": 0, "bytes_sent": 0, "goaway": 0}

    def open_all(self, deadline):
        for _ in range(self.args.connections):
            if time.monotonic() > deadline:
                break
            try:
                sock, conn = connect(self.args.host, self.args.port, deadline)
            except OSError:
                self.stats["refused"] += 1
                continue
            pending = {}
            if self.args.attack == "unfinished":
                body = struct.pack(">BI", 0, self.args.announce) + b"\x0a" * (self.args.announce - 1)
                for _ in range(self.args.streams):
                    try:
                        sid = conn.get_next_available_stream_id()
                        conn.send_headers(sid, [
                            (":method", "POST"), (":scheme", "http"), (":path", PATH),
                            (":authority", "%s:%d" % (self.args.host, self.args.port)),
                            ("content-type", "application/grpc"), ("te", "trailers"),
                        ])
                    except (h2.exceptions.ProtocolError, h2.exceptions.TooManyStreamsError):
                        break
                    pending[sid] = body
                    self.stats["streams"] += 1
            self.links.append([sock, conn, pending, True])
            self.pump(self.links[-1])

    def pump(self, link):
        """Sends what the windows allow and reads what the server says; False once closed."""
        sock, conn, pending, alive = link
        if not alive:
            return False
        try:
            for sid in list(pending):
                body = pending[sid]
                window = min(conn.local_flow_control_window(sid), conn.max_outbound_frame_size)
                if window <= 0 or not body:
                    continue
                chunk = body[:window]
                conn.send_data(sid, chunk)
                pending[sid] = body[len(chunk):]
                self.stats["bytes_sent"] += len(chunk)
            out = conn.data_to_send()
            if out:
                sock.setblocking(True)
                sock.settimeout(1.0)
                sock.sendall(out)
            sock.setblocking(False)
            while True:
                try:
                    data = sock.recv(65536)
                except BlockingIOError:
                    break
                if not data:
                    raise ConnectionResetError("closed by server")
                for event in conn.receive_data(data):
                    if isinstance(event, h2.events.ConnectionTerminated):
                        self.stats["goaway"] += 1
                    elif isinstance(event, h2.events.StreamReset) or isinstance(event, h2.events.StreamEnded):
                        pending.pop(event.stream_id, None)
                out = conn.data_to_send()
                if out:
                    sock.setblocking(True)
                    sock.settimeout(1.0)
                    sock.sendall(out)
                    sock.setblocking(False)
            return True
        except (OSError, h2.exceptions.ProtocolError, h2.exceptions.StreamClosedError, ConnectionError):
            link[3] = False
            return False

    def hold(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            socks = [link[0] for link in self.links if link[3]]
            if not socks:
                break
            select.select(socks, [], [], min(0.2, max(0.0, end - time.monotonic())))
            for link in self.links:
                self.pump(link)

    def close_all(self):
        for link in self.links:
            try:
                link[0].close()
            except OSError:
                pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--attack", choices=["unfinished", "idle"], required=True)
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument("--streams", type=int, default=100)
    parser.add_argument("--announce", type=int, default=1 << 20)
    parser.add_argument("--hold", type=float, default=3.0)
    parser.add_argument("--open_timeout", type=float, default=60.0)
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        sys.exit("loopback only")
    attacker = Attacker(args)
    attacker.open_all(time.monotonic() + args.open_timeout)
    attacker.hold(args.hold)
    attacker.stats["opened"] = sum(1 for link in attacker.links if link[3])
    attacker.stats["refused"] += sum(1 for link in attacker.links if not link[3])
    attacker.close_all()
    print(json.dumps(attacker.stats), flush=True)


if __name__ == "__main__":
    main()
