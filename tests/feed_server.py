#!/usr/bin/env python3
"""A loopback HTTP server of fixture feeds for the feed-sync tests.

  feed_server.py FOLDER [--port-file FILE]

Listens on 127.0.0.1 on a free port and prints "PORT\n" on standard output
(and into --port-file), then serves until killed or its standard input closes.

Paths:
  /feed/NAME      FOLDER/NAME with an ETag (a hash of the bytes) and a
                  Last-Modified (the file's mtime); 304 when If-None-Match
                  matches the ETag or If-Modified-Since is not older. The file
                  is read on every request, so a test changes the feed by
                  rewriting it.
  /gzip/NAME      the same, gzip-compressed when the client accepts gzip.
  /redirect/N/NAME  N redirects (302) down to /feed/NAME.
  /loop           redirects to itself forever.
  /slow           sends headers, then sleeps 30 s before the body.
  /huge           an endless body (chunks of spaces) inside an RSS document.
  /status/CODE    that HTTP status, with a short body.
  /count/NAME     how many GET requests /feed/NAME and /gzip/NAME had, and
                  how many of them were answered 304: "GETS NOT_MODIFIED".
"""
import email.utils
import gzip
import hashlib
import http.server
import os
import sys
import threading
import time

FOLDER = sys.argv[1]
COUNTS = {}
COUNTS_LOCK = threading.Lock()


def count(name, not_modified):
    with COUNTS_LOCK:
        gets, nm = COUNTS.get(name, (0, 0))
        COUNTS[name] = (gets + 1, nm + (1 if not_modified else 0))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_body(self, code, body, content_type="text/plain", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def serve_feed(self, name, allow_gzip):
        path = os.path.join(FOLDER, os.path.basename(name))
        try:
            with open(path, "rb") as f:
                data = f.read()
            mtime = int(os.stat(path).st_mtime)
        except OSError:
            count(name, False)
            return self.send_body(404, b"no such feed\n")
        etag = '"%s"' % hashlib.sha1(data).hexdigest()[:16]
        last_modified = email.utils.formatdate(mtime, usegmt=True)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = inm == etag if inm is not None else False
        if inm is None and ims is not None:
            try:
                not_modified = email.utils.parsedate_to_datetime(ims).timestamp() >= mtime
            except (TypeError, ValueError):
                pass
        count(name, not_modified)
        validators = [("ETag", etag), ("Last-Modified", last_modified)]
        if not_modified:
            self.send_response(304)
            for k, v in validators:
                self.send_header(k, v)
            self.end_headers()
            return
        headers = list(validators)
        if allow_gzip and "gzip" in self.headers.get("Accept-Encoding", ""):
            data = gzip.compress(data)
            headers.append(("Content-Encoding", "gzip"))
        self.send_body(200, data, "application/rss+xml; charset=utf-8", headers)

    def do_GET(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        kind = parts[0]
        if kind == "feed" and len(parts) == 2:
            return self.serve_feed(parts[1], False)
        if kind == "gzip" and len(parts) == 2:
            return self.serve_feed(parts[1], True)
        if kind == "redirect" and len(parts) == 3:
            n = int(parts[1])
            target = "/feed/%s" % parts[2] if n <= 1 else "/redirect/%d/%s" % (n - 1, parts[2])
            return self.send_body(302, b"moved\n", headers=[("Location", target)])
        if kind == "loop":
            return self.send_body(302, b"moved\n", headers=[("Location", "/loop")])
        if kind == "slow":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.flush()
            time.sleep(30)
            return
        if kind == "huge":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b" " * 65536
            try:
                for _ in range(4096):  # 256 MiB at most, then stop
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                pass  # the client hung up at its size cap
            self.close_connection = True
            return
        if kind == "status" and len(parts) == 2:
            return self.send_body(int(parts[1]), b"status\n")
        if kind == "count" and len(parts) == 2:
            with COUNTS_LOCK:
                gets, nm = COUNTS.get(parts[1], (0, 0))
            return self.send_body(200, b"%d %d\n" % (gets, nm))
        self.send_body(404, b"unknown path\n")


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    if "--port-file" in sys.argv:
        with open(sys.argv[sys.argv.index("--port-file") + 1], "w") as f:
            f.write("%d\n" % port)
    print(port, flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Stop when the test that started us goes away (its end of our stdin closes).
    if "--port-file" in sys.argv:
        while True:
            time.sleep(3600)
    sys.stdin.read()


if __name__ == "__main__":
    main()
