//! The `frequency` rule as a schema validator: the schedule must parse as one of Cloud
//! Assistant's three forms and respect its interval limits (`InvalidParam.Frequency`).

use alicloud_client::frequency;
use tfplug::{Diagnostics, Validator, Value, ValueContext};

pub struct ValidFrequency;

impl Validator for ValidFrequency {
    fn description(&self) -> String {
        "a Cloud Assistant schedule: a cron expression with seconds (runs at least 10 s apart), \
         `rate(<n><s|m|h|d>)` from 60 s to 7 days, or `at(yyyy-MM-dd HH:mm:ss)`, each with an \
         optional time zone"
            .to_string()
    }

    fn validate(&self, value: &Value, ctx: &ValueContext<'_>, diags: &mut Diagnostics) {
        let Some(text) = value.as_str() else { return };
        if let Err(error) = frequency::parse(text) {
            diags.error_at(
                ctx.path.clone(),
                "Invalid frequency",
                format!(
                    "{} is not a valid schedule: {error}. The API would answer InvalidParam.Frequency.",
                    ctx.show(value)
                ),
            );
        }
    }
}
