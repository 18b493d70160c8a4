"""Drives the emulator with Duo's official Python client (python3-duo-client), unmodified.

Usage: duo_client_flow.py <port> <ikey> <skey> <control-url> <variant>
variant: v2-sha1 (the client's default), v2-sha512 or v4 (JSON body, HMAC-SHA512).
Prints one JSON object with what each call returned; the vitest test asserts on it.
"""
import hashlib
import json
import sys
import threading
import time
import urllib.request

import duo_client

port, ikey, skey, control_url, variant = sys.argv[1:6]
options = {
    "v2-sha1": {"sig_version": 2, "digestmod": hashlib.sha1},
    "v2-sha512": {"sig_version": 2, "digestmod": hashlib.sha512},
    "v4": {"sig_version": 4, "digestmod": hashlib.sha512},
}[variant]

auth = duo_client.Auth(ikey=ikey, skey=skey, host="127.0.0.1", port=int(port), ca_certs="HTTP", **options)


def control(method, path, body):
    request = urllib.request.Request(
        control_url + path,
        data=json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def approve_soon(txid, answer="approve"):
    def run():
        time.sleep(0.2)
        control("POST", "/transactions/" + txid, {"answer": answer})

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def pending_txid(username):
    for _ in range(200):
        with urllib.request.urlopen(control_url + "/users/" + username + "/transactions") as response:
            for transaction in json.loads(response.read()):
                if transaction["result"] == "waiting":
                    return transaction["txid"]
        time.sleep(0.01)
    raise RuntimeError("no pending transaction")


out = {}
out["ping"] = auth.ping()
out["check"] = auth.check()
username = "python-" + variant
enrolled = auth.enroll(username=username, valid_secs=600)
out["enroll"] = enrolled
out["status_before"] = auth.enroll_status(enrolled["user_id"], enrolled["activation_code"])
control("POST", "/activations", {"activation_code": enrolled["activation_code"]})
out["status_after"] = auth.enroll_status(enrolled["user_id"], enrolled["activation_code"])
out["preauth"] = auth.preauth(username=username, ipaddr="192.0.2.10")

started = auth.auth("push", username=username, device="auto", async_txn=True, pushinfo="from=python&n=1", ipaddr="192.0.2.10")
out["first_status"] = auth.auth_status(started["txid"])
thread = approve_soon(started["txid"])
out["final_status"] = auth.auth_status(started["txid"])
thread.join()


def deny_when_pushed():
    control("POST", "/transactions/" + pending_txid(username), {"answer": "deny"})


thread = threading.Thread(target=deny_when_pushed)
thread.start()
out["sync_push"] = auth.auth("push", username=username, device="auto")
thread.join()

try:
    auth.auth("push", username="nobody-" + variant, device="auto")
    out["unknown_user"] = None
except RuntimeError as error:
    # duo_client attaches the HTTP status and the parsed FAIL envelope to the error.
    out["unknown_user"] = {"status": getattr(error, "status", None), "data": getattr(error, "data", None)}

print(json.dumps(out))
