#!/usr/bin/env bash
# Fuzzes the built service (dist/) from its own OpenAPI document with Schemathesis: no 5xx,
# and every answer must match its documented status, content type and schema.
# Starts `node dist/main.js` on 127.0.0.1 with its own embedded FerretDB in a temporary
# folder, and stops it afterwards. Run `npm run build` first.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
PORT="${FUZZ_PORT:-3997}"
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-40}"
MAX_TIME="${FUZZ_MAX_TIME:-90}"
BASE_URL="http://127.0.0.1:${PORT}"
VENV=".cache/schemathesis-${SCHEMATHESIS_VERSION}"

if [ ! -x "$VENV/bin/st" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet "schemathesis==${SCHEMATHESIS_VERSION}"
fi

work="$(mktemp -d)"
service=""
cleanup() {
  if [ -n "$service" ]; then
    kill "$service" 2>/dev/null || true
    wait "$service" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Login and create limits are raised so the fuzzer reaches validation and the handlers; the limits
# themselves are covered by test/attacks.e2e-spec.ts.
NODE_ENV=test PORT="$PORT" DATA_DIR="$work/data" BCRYPT_COST=10 LOG_LEVEL=warn \
  JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')" \
  LOGIN_ADDRESS_LIMIT=1000000 LOGIN_ACCOUNT_LIMIT=1000000 CREATE_ADDRESS_LIMIT=1000000 \
  TENANT_BINDING_TTL_MS=100 \
  node dist/main.js >"$work/service.log" 2>&1 &
service=$!

for _ in $(seq 1 180); do
  curl -fsS "$BASE_URL/docs-json" >/dev/null 2>&1 && break
  if ! kill -0 "$service" 2>/dev/null; then
    cat "$work/service.log" >&2
    exit 1
  fi
  sleep 1
done

name="fuzz-$(date +%s)"
curl -fsS -X POST "$BASE_URL/org/create" -H 'Content-Type: application/json' \
  -d "{\"organization_name\":\"$name\",\"email\":\"admin@$name.example\",\"password\":\"fuzz-password-1\"}" >/dev/null
login() {
  curl -fsS -X POST "$BASE_URL/admin/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"admin@$name.example\",\"password\":\"fuzz-password-1\"}" |
    node -e 'process.stdin.on("data", (d) => process.stdout.write(JSON.parse(d).access_token))'
}
token="$(login)"

checks="not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
# One worker: with two threads, Hypothesis's ast.parse calls race on CPython 3.11.7's shared
# AST recursion counter and now and then crash a case with "AST constructor recursion depth
# mismatch" (CPython gh-106905, fixed in 3.11.8), failing the run with no API failure at all.
common=(--checks "$checks" --max-examples "$MAX_EXAMPLES" --max-time "$MAX_TIME"
  --phases examples,coverage,fuzzing --seed 1 --no-color --request-timeout 30 --workers 1
  --generation-database none --report-dir "$work/reports")
status=0

export FUZZ_BASE_URL="$BASE_URL" SCHEMATHESIS_HOOKS=fuzz_hooks PYTHONPATH=scripts

# 1. Reads, creation and login, with the token of one organization. Logout would end its
#    session, and every later case would only see 401: it gets a run of its own (3).
"$VENV/bin/st" run "$BASE_URL/docs-json" "${common[@]}" \
  --exclude-method PUT --exclude-method DELETE --exclude-path /admin/logout \
  --header "Authorization: Bearer $token" || status=$?

# 2. Update and delete: each case gets its own new organization (scripts/fuzz_hooks.py),
#    since a password change revokes its token and a delete removes the organization.
"$VENV/bin/st" run "$BASE_URL/docs-json" "${common[@]}" \
  --include-method PUT --include-method DELETE || status=$?

# 3. Logout, with a session of its own (a 401 once it has ended is documented).
"$VENV/bin/st" run "$BASE_URL/docs-json" "${common[@]}" \
  --include-path /admin/logout \
  --header "Authorization: Bearer $(login)" || status=$?

if [ "$status" -ne 0 ]; then
  echo "--- service log ---" >&2
  tail -n 50 "$work/service.log" >&2
fi
exit "$status"
