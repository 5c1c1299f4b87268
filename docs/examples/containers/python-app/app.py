"""A minimal WSGI application; gunicorn serves it and handles SIGTERM gracefully."""

import os
import socket


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/healthz":
        start_response("204 No Content", [])
        return [b""]
    body = f"hello from {socket.gethostname()} (uid {os.getuid()})\n".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
