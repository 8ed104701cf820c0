//! The `frequency` rules of the schema: the schedule must parse as one of Cloud Assistant's
//! three forms and respect its interval limits (`InvalidParam.Frequency`), and it only means
//! something on a periodic invocation. Whether a run is still ahead depends on the clock and
//! on whether the invocation exists already, so that is checked at plan (`schedule_rule`).

use alicloud_client::frequency::{self, FrequencyError};
use tfplug::{AttributePath, Diagnostics, Validator, Value, ValueContext};

/// Attribute rule: a valid schedule.
pub struct ValidFrequency;

impl Validator for ValidFrequency {
    fn description(&self) -> String {
        "a Cloud Assistant schedule: a cron expression with seconds (runs at least 10 s apart), \
         `rate(<n><s|m|h|d>)` from 60 s to 7 days, or `at(yyyy-MM-dd HH:mm:ss)`, each with an \
         optional time zone, no spaces around it"
            .to_string()
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let Some(text) = value.as_str() else { return };
        if let Err(error) = frequency::parse(text) {
            report_invalid(diags, ctx.path.clone(), &ctx.show(value), &error);
        }
    }
}

/// The one wording of a schedule InvokeCommand would refuse, at validate and at plan.
pub fn report_invalid(diags: &mut Diagnostics, path: AttributePath, shown: &str, error: &FrequencyError) {
    diags.error_at(
        path,
        "Invalid frequency",
        format!("{shown} is not a valid schedule: {error}. The API would answer InvalidParam.Frequency."),
    );
}

/// Block rule: `frequency` only with `timed = true`. Without it the service ignores the
/// schedule and runs the command once, at once.
pub struct FrequencyOnlyWhenTimed;

impl Validator for FrequencyOnlyWhenTimed {
    fn description(&self) -> String {
        "`frequency` can only be set when `timed = true`".to_string()
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let get = |name: &str| value.attr(name).unwrap_or(&Value::Null);
        let (frequency, timed) = (get("frequency"), get("timed"));
        let unset_or_unknown = |value: &Value| value.is_null() || value.is_unknown();
        if unset_or_unknown(frequency) || timed.is_unknown() || timed.as_bool() == Some(true) {
            return;
        }
        diags.error_at(
            ctx.child("frequency").path,
            "Frequency without timed",
            format!(
                "{}, and `timed` is {}: the command would run once, right away, and the schedule \
                 would be ignored. Set `timed = true` for a periodic invocation, or remove `frequency`.",
                self.description(),
                if timed.is_null() { "not set" } else { "false" },
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(frequency: Value, timed: Value) -> Value {
        Value::Object([("frequency".to_string(), frequency), ("timed".to_string(), timed)].into())
    }

    fn errors(value: &Value) -> Vec<String> {
        let mut diags = Diagnostics::new();
        let ctx = ValueContext::attribute(AttributePath::default(), false);
        FrequencyOnlyWhenTimed.validate(value, &ctx, &mut diags);
        diags.iter().map(|d| d.detail.clone()).collect()
    }

    #[test]
    fn frequency_needs_timed_true() {
        let rate = || Value::from("rate(5m)");
        assert!(errors(&object(rate(), Value::Bool(true))).is_empty());
        assert!(errors(&object(Value::Null, Value::Null)).is_empty());
        assert!(errors(&object(Value::Null, Value::Bool(false))).is_empty());
        assert!(errors(&object(rate(), Value::Unknown)).is_empty());
        assert!(errors(&object(rate(), Value::Bool(false)))[0].contains("`timed` is false"));
        assert!(errors(&object(rate(), Value::Null))[0].contains("`timed` is not set"));
        assert!(errors(&object(Value::Unknown, Value::Null)).is_empty());
        assert!(errors(&object(rate(), Value::Null))[0].contains("run once"));
    }
}
