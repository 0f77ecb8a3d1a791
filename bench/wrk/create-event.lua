-- wrk script: POST a valid WorkOS Audit Logs event over keep-alive connections.
-- Usage: wrk -s bench/wrk/create-event.lua http://127.0.0.1:PORT/audit_logs/events
-- Env: EMULATOR_KEY (Bearer key), EMULATOR_ORG (organization id).
local key = os.getenv("EMULATOR_KEY") or "sk_test_auditpipe_emulator"
local org = os.getenv("EMULATOR_ORG") or "org_01EHWNCE74X7JSDV0X3SZ3KJNY"

wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. key
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"organization_id":"' .. org .. '","event":{"action":"user.signed_in",'
  .. '"occurred_at":"2026-09-02T16:35:39.317Z","version":1,'
  .. '"actor":{"id":"user_01GBNJC3MX9ZZJW1FSTF4C5938","type":"user","name":"Jon Smith",'
  .. '"metadata":{"role":"admin"}},'
  .. '"targets":[{"id":"team_01GBNJD4MKHVKJGEWK42JNMBGS","type":"team","name":"Core",'
  .. '"metadata":{"tier":"gold"}}],'
  .. '"context":{"location":"123.123.123.123","user_agent":"Chrome/104.0.0.0"},'
  .. '"metadata":{"plan":"enterprise","seats":"25"}}}'

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format("WRK rps=%.0f p99_ms=%.2f errors=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000.0,
    errors, summary.requests))
end
