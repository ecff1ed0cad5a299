"""Schemathesis hooks for scripts/fuzz-api.sh.

- POST /org/import takes application/x-ndjson, which is text: it is sent as text/plain is.
- PUT and DELETE may change the password (which revokes the token) or remove the
  organization, so each of their cases gets a brand-new organization and token.
"""

import json
import os
import secrets
import urllib.request

import schemathesis

BASE_URL = os.environ["FUZZ_BASE_URL"]

schemathesis.serializer.alias("application/x-ndjson", "text/plain")


def _post(path, body):
    request = urllib.request.Request(
        BASE_URL + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


@schemathesis.auth(refresh_interval=None).apply_to(method=["PUT", "DELETE"])
class FreshOrganization:
    def get(self, case, context):
        name = "fuzz-" + secrets.token_hex(6)
        credentials = {"email": f"admin@{name}.example", "password": "fuzz-password-1"}
        _post("/org/create", {"organization_name": name, **credentials})
        return _post("/admin/login", credentials)["access_token"]

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
