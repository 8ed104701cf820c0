//! Fault injection, set by flags or `POST /_emulator/faults`: throttling, `InternalError.Dispatch`,
//! a 5xx after the work was committed (lost response), connections closed without an answer,
//! added latency (after the work, optionally for one action), new invocations missing from
//! the reads for a while (the service's listing lags behind its writes), and instances whose
//! runs exit non-zero. Each trigger fires for its next `count` matching requests, then with probability
//! `fraction` (seeded, so runs repeat).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FaultSpecError {
    #[error("{0}: expected COUNT[@ACTION]")]
    Count(String),
    #[error("{0}: expected FRACTION[@ACTION] with 0 <= FRACTION <= 1")]
    Fraction(String),
    #[error("{0}: expected MS[@ACTION]")]
    Latency(String),
}

/// When one kind of fault happens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// Fires for this many of the next matching requests.
    #[serde(default)]
    pub count: u64,
    /// Afterwards fires with this probability.
    #[serde(default)]
    pub fraction: f64,
    /// Only requests for this action match (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

impl Trigger {
    /// `COUNT[@ACTION]`, e.g. `2@InvokeCommand`.
    pub fn parse_count(spec: &str) -> Result<Self, FaultSpecError> {
        let (value, action) = split_action(spec);
        let count = value.parse().map_err(|_| FaultSpecError::Count(spec.into()))?;
        Ok(Self {
            count,
            fraction: 0.0,
            action,
        })
    }

    /// `FRACTION[@ACTION]`, e.g. `0.5`.
    pub fn parse_fraction(spec: &str) -> Result<Self, FaultSpecError> {
        let (value, action) = split_action(spec);
        let fraction = value.parse().ok().filter(|f| (0.0..=1.0).contains(f));
        let fraction = fraction.ok_or_else(|| FaultSpecError::Fraction(spec.into()))?;
        Ok(Self {
            count: 0,
            fraction,
            action,
        })
    }

    /// Folds another trigger of the same kind in (flags may give a count and a fraction).
    pub fn merge(&mut self, other: Trigger) {
        self.count += other.count;
        if other.fraction > 0.0 {
            self.fraction = other.fraction;
        }
        if other.action.is_some() {
            self.action = other.action;
        }
    }

    fn fires(&mut self, action: &str, rng: &mut StdRng) -> bool {
        if self.action.as_deref().is_some_and(|wanted| wanted != action) {
            return false;
        }
        if self.count > 0 {
            self.count -= 1;
            return true;
        }
        self.fraction > 0.0 && rng.gen_bool(self.fraction.min(1.0))
    }

    fn is_valid(&self) -> bool {
        (0.0..=1.0).contains(&self.fraction)
    }
}

fn split_action(spec: &str) -> (&str, Option<String>) {
    match spec.split_once('@') {
        Some((value, action)) => (value, Some(action.to_string())),
        None => (spec, None),
    }
}

/// The whole fault configuration; what `GET /_emulator/faults` shows and POST replaces.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultPlan {
    /// `Throttling` (400) before the request is handled.
    #[serde(default)]
    pub throttle: Trigger,
    /// `InternalError.Dispatch` (500) from InvokeCommand after validation; nothing is created.
    #[serde(default)]
    pub dispatch_error: Trigger,
    /// The request is carried out, then answered `InternalError` (500).
    #[serde(default)]
    pub lost_response: Trigger,
    /// The request is carried out, then the connection is closed without an answer.
    #[serde(default)]
    pub drop_connection: Trigger,
    /// Added to every RPC answer, after the request was carried out (so a client that gives
    /// up waiting has still changed the state).
    #[serde(default)]
    pub latency_ms: u64,
    /// Only answers to this action are delayed (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_action: Option<String>,
    /// For this long after it is created (ms), an invocation is missing from
    /// DescribeInvocations, DescribeInvocationResults and StopInvocation, as a real one may be
    /// right after InvokeCommand answered.
    #[serde(default)]
    pub hide_new_ms: u64,
    /// Runs on these instances exit with code 1.
    #[serde(default)]
    pub fail_instances: Vec<String>,
}

impl FaultPlan {
    pub fn validate(&self) -> Result<(), FaultSpecError> {
        for trigger in [
            &self.throttle,
            &self.dispatch_error,
            &self.lost_response,
            &self.drop_connection,
        ] {
            if !trigger.is_valid() {
                return Err(FaultSpecError::Fraction(trigger.fraction.to_string()));
            }
        }
        Ok(())
    }
}

#[derive(Debug)]
pub struct Faults {
    plan: FaultPlan,
    rng: StdRng,
}

impl Faults {
    pub fn new(plan: FaultPlan, seed: u64) -> Self {
        Self {
            plan,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    pub fn plan(&self) -> &FaultPlan {
        &self.plan
    }

    pub fn replace(&mut self, plan: FaultPlan) {
        self.plan = plan;
    }

    pub fn throttle(&mut self, action: &str) -> bool {
        self.plan.throttle.fires(action, &mut self.rng)
    }

    pub fn dispatch_error(&mut self, action: &str) -> bool {
        self.plan.dispatch_error.fires(action, &mut self.rng)
    }

    pub fn lost_response(&mut self, action: &str) -> bool {
        self.plan.lost_response.fires(action, &mut self.rng)
    }

    pub fn drop_connection(&mut self, action: &str) -> bool {
        self.plan.drop_connection.fires(action, &mut self.rng)
    }

    /// The delay of an answer to `action` (`None`: not authenticated, so no action).
    pub fn latency_ms(&self, action: Option<&str>) -> u64 {
        match &self.plan.latency_action {
            Some(wanted) if action != Some(wanted.as_str()) => 0,
            _ => self.plan.latency_ms,
        }
    }

    /// How long a new invocation stays missing from the reads (ms).
    pub fn hide_new_ms(&self) -> i64 {
        i64::try_from(self.plan.hide_new_ms).unwrap_or(i64::MAX)
    }

    /// `MS[@ACTION]`, e.g. `1500@InvokeCommand`.
    pub fn parse_latency(spec: &str) -> Result<(u64, Option<String>), FaultSpecError> {
        let (value, action) = split_action(spec);
        let ms = value.parse().map_err(|_| FaultSpecError::Latency(spec.into()))?;
        Ok((ms, action))
    }

    pub fn exit_code(&self, instance_id: &str) -> i64 {
        i64::from(self.plan.fail_instances.iter().any(|id| id == instance_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_then_fractions_per_action() {
        let mut faults = Faults::new(
            FaultPlan {
                throttle: Trigger::parse_count("2@InvokeCommand").unwrap(),
                ..FaultPlan::default()
            },
            7,
        );
        assert!(!faults.throttle("DescribeInvocations"));
        assert!(faults.throttle("InvokeCommand"));
        assert!(faults.throttle("InvokeCommand"));
        assert!(!faults.throttle("InvokeCommand"));

        let mut faults = Faults::new(
            FaultPlan {
                lost_response: Trigger::parse_fraction("0.5").unwrap(),
                ..FaultPlan::default()
            },
            7,
        );
        let fired = (0..1000).filter(|_| faults.lost_response("X")).count();
        assert!((350..650).contains(&fired), "{fired}");
    }

    #[test]
    fn specs() {
        assert_eq!(
            Trigger::parse_count("3").unwrap(),
            Trigger {
                count: 3,
                fraction: 0.0,
                action: None
            }
        );
        assert!(Trigger::parse_count("x").is_err());
        assert!(Trigger::parse_fraction("1.5").is_err());
        let mut t = Trigger::parse_count("1").unwrap();
        t.merge(Trigger::parse_fraction("0.25@StopInvocation").unwrap());
        assert_eq!(
            t,
            Trigger {
                count: 1,
                fraction: 0.25,
                action: Some("StopInvocation".into())
            }
        );
    }

    #[test]
    fn plan_json_and_exit_codes() {
        let plan: FaultPlan = serde_json::from_str(
            r#"{"throttle":{"count":1},"fail_instances":["i-a"],"latency_ms":5,"hide_new_ms":7}"#,
        )
        .unwrap();
        let faults = Faults::new(plan, 0);
        assert_eq!(faults.hide_new_ms(), 7);
        assert_eq!(
            (
                faults.exit_code("i-a"),
                faults.exit_code("i-b"),
                faults.latency_ms(Some("X"))
            ),
            (1, 0, 5)
        );
        let scoped = FaultPlan {
            latency_ms: 9,
            latency_action: Some("InvokeCommand".into()),
            ..FaultPlan::default()
        };
        let faults = Faults::new(scoped, 0);
        assert_eq!(
            (
                faults.latency_ms(Some("InvokeCommand")),
                faults.latency_ms(Some("DescribeInvocations")),
                faults.latency_ms(None)
            ),
            (9, 0, 0)
        );
        assert_eq!(
            Faults::parse_latency("1500@InvokeCommand"),
            Ok((1500, Some("InvokeCommand".into())))
        );
        assert!(Faults::parse_latency("soon").is_err());
        assert!(serde_json::from_str::<FaultPlan>(r#"{"bogus":1}"#).is_err());
        let bad: FaultPlan = serde_json::from_str(r#"{"throttle":{"fraction":2}}"#).unwrap();
        assert!(bad.validate().is_err());
    }
}
