#!/usr/bin/env python3
"""A third-party system talking to Anjoman: verify a member with an API key, then receive
a webhook and check its signature, its age and its id.

Standard library only. Example:

    python3 examples/integration_client.py --base http://127.0.0.1:8080 \
        --key anj_… --association medical-informatics --national-code 0061234567 \
        --listen 127.0.0.1:9000 --secret whsec_…

It prints one JSON line: the verification answer, the first webhook event received and
whether its signature was valid. With --listen it waits for one event (up to --timeout s).
"""

import argparse
import hashlib
import hmac
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

# Deliveries older than this are refused as possible replays.
MAX_AGE_SECONDS = 300


def verify_member(base, key, association, national_code):
    """GET /api/v1/integrations/members/verify with the key in X-Api-Key."""
    query = urllib.parse.urlencode({"association": association, "national_code": national_code})
    request = urllib.request.Request(
        f"{base.rstrip('/')}/api/v1/integrations/members/verify?{query}",
        headers={"X-Api-Key": key, "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as error:
        # Every error is the envelope {code, message, fields}.
        envelope = json.load(error)
        sys.exit(f"verification refused: HTTP {error.code} {envelope['code']}: {envelope['message']}")


def signature_valid(secret, headers, body, seen_ids):
    """Checks X-Anjoman-Signature (HMAC-SHA256 of "{timestamp}.{body}"), the timestamp's age
    and that the event id is new. Returns (valid, reason)."""
    timestamp = headers.get("X-Anjoman-Timestamp", "")
    given = headers.get("X-Anjoman-Signature", "")
    if not timestamp.isdigit():
        return False, "no timestamp"
    expected = "v1=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, given):
        return False, "bad signature"
    if abs(time.time() - int(timestamp)) > MAX_AGE_SECONDS:
        return False, "too old: a replay?"
    event_id = json.loads(body).get("id")
    if event_id in seen_ids:
        return False, "already handled"
    seen_ids.add(event_id)
    return True, "ok"


def wait_for_webhook(listen, secret, timeout):
    """Serves POSTs on host:port until one event arrives; answers 204 when it is valid."""
    host, port = listen.rsplit(":", 1)
    received = {}
    seen_ids = set()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            valid, reason = signature_valid(secret, self.headers, body, seen_ids)
            self.send_response(204 if valid else 400)
            self.end_headers()
            if valid:
                received["event"] = json.loads(body)
            received.setdefault("reasons", []).append(reason)

        def log_message(self, *args):
            pass

    server = HTTPServer((host, int(port)), Handler)
    server.timeout = 0.5
    until = time.time() + timeout
    while "event" not in received and time.time() < until:
        server.handle_request()
    server.server_close()
    return received


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="Anjoman's address, e.g. http://127.0.0.1:8080")
    parser.add_argument("--key", required=True, help="the API key (anj_…)")
    parser.add_argument("--association", required=True, help="the association's code")
    parser.add_argument("--national-code", required=True)
    parser.add_argument("--listen", help="host:port to receive a webhook on")
    parser.add_argument("--secret", help="the subscription's signing secret (whsec_…)")
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()

    report = {"verification": verify_member(args.base, args.key, args.association, args.national_code)}
    if args.listen:
        if not args.secret:
            sys.exit("--listen needs --secret")
        got = wait_for_webhook(args.listen, args.secret, args.timeout)
        report["webhook"] = got.get("event")
        report["signature_valid"] = "event" in got
        report["refusals"] = [r for r in got.get("reasons", []) if r != "ok"]
        if "event" not in got:
            print(json.dumps(report, ensure_ascii=False))
            sys.exit("no valid webhook arrived in time")
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
