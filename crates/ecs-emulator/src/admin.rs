//! The admin endpoints under `/_emulator/`, a path the RPC API never uses; for tests and
//! demos, without authentication (hence loopback only, unless `--allow-non-loopback`):
//! `GET /_emulator/stats`, `GET|POST /_emulator/faults` (a `FaultPlan` as JSON, replacing the
//! current one), `POST /_emulator/expire` with `{"InvokeId": "t-..."}`, and
//! `POST /_emulator/clock` with `{"AdvanceMs": N}`: moves the operations' clock N ms ahead
//! (for good), so periodic runs, run times and timeouts play out without waiting.

use serde::Deserialize;
use serde_json::json;

use super::faults::FaultPlan;
use super::log;
use super::service::Emulator;

pub const PREFIX: &str = "/_emulator/";

/// At most a year per call: the clock only ever moves forward, by plausible steps.
const MAX_ADVANCE_MS: u64 = 366 * 24 * 3_600 * 1_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpireRequest {
    #[serde(rename = "InvokeId")]
    invoke_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockRequest {
    #[serde(rename = "AdvanceMs")]
    advance_ms: u64,
}

/// Answers an admin request with a status and a JSON body.
pub async fn handle(emulator: &Emulator, method: &str, path: &str, body: &[u8]) -> (u16, String) {
    let route = path.strip_prefix(PREFIX).unwrap_or_default();
    match (method, route) {
        ("GET", "stats") => ok(&emulator.lock().stats),
        ("GET", "faults") => ok(emulator.lock().faults.plan()),
        ("POST", "faults") => {
            let plan: FaultPlan = match serde_json::from_slice(body) {
                Ok(plan) => plan,
                Err(e) => return bad_request(&e.to_string()),
            };
            if let Err(e) = plan.validate() {
                return bad_request(&e.to_string());
            }
            log::line(format_args!("fault plan replaced"));
            let mut state = emulator.lock();
            state.faults.replace(plan);
            ok(state.faults.plan())
        }
        ("POST", "expire") => {
            let request: ExpireRequest = match serde_json::from_slice(body) {
                Ok(request) => request,
                Err(e) => return bad_request(&e.to_string()),
            };
            let snapshot = {
                let mut state = emulator.lock();
                let before = state.store.version();
                if !state.store.expire(&request.invoke_id) {
                    return (404, json!({ "error": "no such invocation" }).to_string());
                }
                emulator.snapshot(&state, before)
            };
            if let Some((version, bytes)) = snapshot {
                emulator.persist(version, bytes).await;
            }
            log::line(format_args!("invocation {} expired", request.invoke_id));
            (
                200,
                json!({ "InvokeId": request.invoke_id, "Expired": true }).to_string(),
            )
        }
        ("POST", "clock") => {
            let request: ClockRequest = match serde_json::from_slice(body) {
                Ok(request) => request,
                Err(e) => return bad_request(&e.to_string()),
            };
            let advance = match i64::try_from(request.advance_ms) {
                Ok(ms) if request.advance_ms <= MAX_ADVANCE_MS => ms,
                _ => return bad_request("AdvanceMs: at most a year per call"),
            };
            let mut state = emulator.lock();
            state.clock_offset_ms = state.clock_offset_ms.saturating_add(advance);
            log::line(format_args!("clock advanced by {advance} ms"));
            (200, json!({ "OffsetMs": state.clock_offset_ms }).to_string())
        }
        _ => (404, json!({ "error": "unknown admin endpoint" }).to_string()),
    }
}

fn ok(value: &impl serde::Serialize) -> (u16, String) {
    match serde_json::to_string(value) {
        Ok(body) => (200, body),
        Err(e) => (500, json!({ "error": e.to_string() }).to_string()),
    }
}

fn bad_request(why: &str) -> (u16, String) {
    (400, json!({ "error": why }).to_string())
}
