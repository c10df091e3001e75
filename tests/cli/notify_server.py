#!/usr/bin/env python3
"""A webhook for tests/cli/t_notify.sh: an HTTP server on 127.0.0.1 only.

Usage: notify_server.py PORTFILE LOGFILE

Listens on a free port of 127.0.0.1 and writes it to PORTFILE. Every POST is
appended to LOGFILE as one JSON line {"path", "content_type", "body"}. The
path says how to answer:

  /ok/...           200 "ok"
  /status/N/...     status N, body "error N: the test asked for it"
  /status/N/empty   status N, no body
  /hang/N/...       waits N seconds (at most 30), then 200
  /close/...        closes the connection without an answer

It stops by itself after 10 minutes, in case nobody kills it.
"""
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORTFILE, LOGFILE = sys.argv[1], sys.argv[2]
LOCK = threading.Lock()
LIFETIME = 600


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def answer(self, status, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = min(int(self.headers.get("Content-Length") or 0), 1 << 20)
        body = self.rfile.read(length).decode("utf-8", "replace")
        with LOCK, open(LOGFILE, "a", encoding="utf-8") as log:
            log.write(json.dumps({"path": self.path, "content_type": self.headers.get("Content-Type"),
                                  "body": body}) + "\n")
        parts = self.path.strip("/").split("/")
        if parts[0] == "status":
            status = int(parts[1])
            empty = len(parts) > 2 and parts[2] == "empty"
            self.answer(status, "" if empty else "error %d: the test asked for it\nsecond line" % status)
        elif parts[0] == "hang":
            time.sleep(min(int(parts[1]), 30))
            self.answer(200, "ok")
        elif parts[0] == "close":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        else:
            self.answer(200, "ok")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(PORTFILE + ".tmp", "w", encoding="utf-8") as f:
        f.write("%d\n" % server.server_address[1])
    os.replace(PORTFILE + ".tmp", PORTFILE)
    threading.Timer(LIFETIME, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
