#!/usr/bin/env python3
"""Small helpers for tests/proxy_routing_test.sh (python3's standard library only).

  proxy_tool.py ports N               N free loopback TCP ports, one a line
  proxy_tool.py state SOCKET BACKEND SERVER   the server's status in HAProxy (UP, DOWN, ...)
  proxy_tool.py wait SOCKET BACKEND SERVER STATUS SECONDS   until it has STATUS; exit 1 on timeout
"""
import socket
import sys
import time


def ports(n):
    held = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        held.append(s)
    for s in held:
        print(s.getsockname()[1])
        s.close()


def state(sock, backend, server):
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect(sock)
        s.sendall(b"show stat\n")
        text = s.makefile().read()
    except OSError as e:  # HAProxy not started yet, or reloading
        return f"NO-ADMIN-SOCKET ({e})"
    header = text.splitlines()[0].lstrip("# ").split(",")
    for line in text.splitlines()[1:]:
        row = dict(zip(header, line.split(",")))
        if row.get("pxname") == backend and row.get("svname") == server:
            return row["status"]
    return "MISSING"


def wait(sock, backend, server, want, seconds):
    deadline = time.time() + float(seconds)
    got = None
    while time.time() < deadline:
        got = state(sock, backend, server)
        if got.split(" ")[0] == want:
            return 0
        time.sleep(0.1)
    print(f"{backend}/{server} is {got}, not {want} after {seconds}s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "ports":
        ports(int(args[0]))
    elif cmd == "state":
        print(state(*args))
    elif cmd == "wait":
        sys.exit(wait(*args))
    else:
        sys.exit(f"unknown command {cmd}")
