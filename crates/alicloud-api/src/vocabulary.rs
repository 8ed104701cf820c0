//! The API's vocabulary: the invocation and instance statuses Cloud Assistant answers, its
//! repeat modes and its command types, as enums spelled as the API spells them (the variant
//! names are the wire values), with the predicates callers need. The emulator answers with
//! them; the client reads answers into [`Reported`], which keeps a value this crate does not
//! know yet instead of refusing the whole answer: the service adds values over time (its
//! reference already lists a `DryRun` repeat mode), and reading a record must not fail for it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

/// A spelling none of the vocabulary's values has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a known {kind}")]
pub struct UnknownValue {
    /// What was being read, e.g. "repeat mode".
    pub kind: &'static str,
    pub value: String,
}

/// An enum whose variants are the API's spellings: `as_str`, `NAMES`, `FromStr` (strict, for
/// requests and fixtures), `Display`, and serde as the bare string.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($kind:literal) {
            $($(#[$variant_meta:meta])* $variant:ident,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            /// Every spelling the API accepts, in the reference's order.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($variant)),+];

            /// The value as the API spells it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => stringify!($variant),)+
                }
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;

            fn from_str(text: &str) -> Result<Self, UnknownValue> {
                match text {
                    $(stringify!($variant) => Ok($name::$variant),)+
                    _ => Err(UnknownValue { kind: $kind, value: text.to_owned() }),
                }
            }
        }

        impl AsStr for $name {
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// An invocation's overall status (`InvocationStatus` of `DescribeInvocations`, and the
    /// values of its `InvokeStatus` filter and legacy field), aggregated over its instances.
    pub enum InvocationStatus ("invocation status") {
        /// At least one instance is still being checked or sent the command.
        Pending,
        /// A periodic invocation waiting for its next run on at least one instance.
        Scheduled,
        Running,
        Stopping,
        Stopped,
        /// Every instance succeeded or was stopped, at least one succeeded.
        Success,
        /// Failed on every instance.
        Failed,
        /// Failed on some instances.
        PartialFailed,
        /// The legacy spelling of a one-shot invocation done everywhere.
        Finished,
    }
}

vocabulary! {
    /// One instance's status in an invocation (`InvokeInstance.InvocationStatus`,
    /// `InvocationResult.InvocationStatus`, and the legacy `InstanceInvokeStatus`).
    pub enum InstanceStatus ("instance status") {
        /// The command is being checked or sent.
        Pending,
        /// The instance cannot take the command (e.g. not running, wrong OS).
        Invalid,
        /// Not delivered in time.
        Aborted,
        Running,
        /// Exit code 0.
        Success,
        /// A non-zero exit code.
        Failed,
        /// The agent could not run it.
        Error,
        /// Ran longer than the invocation's `Timeout`.
        Timeout,
        /// Stopped before the run started.
        Cancelled,
        Stopping,
        /// Stopped while it ran.
        Terminated,
        /// A periodic invocation waiting for its next run.
        Scheduled,
        /// A periodic invocation stopped on this instance.
        Stopped,
        /// The legacy spelling of a run that ended.
        Finished,
    }
}

impl InstanceStatus {
    /// Nothing more happens to this run.
    pub fn is_finished(self) -> bool {
        !matches!(
            self,
            Self::Pending | Self::Running | Self::Stopping | Self::Scheduled
        )
    }

    /// A finished status that means the run failed (a non-zero exit code fails too, whatever
    /// the status says). A run stopped before or while it ran did not do its work: it fails.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            Self::Failed
                | Self::Timeout
                | Self::Error
                | Self::Invalid
                | Self::Aborted
                | Self::Cancelled
                | Self::Terminated
        )
    }

    /// The run has not ended, so the `ExitCode` the API shows (0) is not one yet.
    pub fn is_under_way(self) -> bool {
        matches!(self, Self::Pending | Self::Running | Self::Stopping)
    }
}

vocabulary! {
    /// `RepeatMode`: when an invocation runs (`InvalidRepeatMode.NotFound` for anything else).
    pub enum RepeatMode ("repeat mode") {
        /// Right away, once.
        Once,
        /// On its `Frequency`.
        Period,
        /// At the instance's next start.
        NextRebootOnly,
        /// At every start of the instance.
        EveryReboot,
    }
}

impl RepeatMode {
    /// Anything but `Once` stays scheduled until stopped (`Timed` in the API's words).
    pub fn is_timed(self) -> bool {
        self != Self::Once
    }
}

vocabulary! {
    /// A command's `Type` (`InvalidCmdType.NotFound` for anything else).
    #[allow(clippy::enum_variant_names)] // the API's own names
    pub enum CommandType ("command type") {
        /// A shell script, for Linux.
        RunShellScript,
        /// A batch script, for Windows.
        RunBatScript,
        /// A PowerShell script, for Windows.
        RunPowerShellScript,
    }
}

impl CommandType {
    /// Bat and PowerShell scripts run on Windows instances, shell scripts on Linux ones.
    pub fn runs_on_windows(self) -> bool {
        self != Self::RunShellScript
    }
}

/// What [`Reported`] needs of a vocabulary enum to give its spelling back.
pub trait AsStr: Copy {
    fn as_str(self) -> &'static str;
}

/// A value as an answer reported it: one of the vocabulary's, or a spelling this crate does
/// not know, kept as sent (an absent field reads as an empty `Unknown`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reported<T> {
    Known(T),
    Unknown(String),
}

impl<T> Reported<T> {
    /// The known value, if it is one.
    pub fn known(&self) -> Option<&T> {
        match self {
            Self::Known(value) => Some(value),
            Self::Unknown(_) => None,
        }
    }
}

impl<T: Copy> Reported<T> {
    /// Whether the value is known and `test` holds for it: an unknown value satisfies no
    /// predicate.
    pub fn is(&self, test: impl FnOnce(T) -> bool) -> bool {
        self.known().is_some_and(|value| test(*value))
    }
}

impl<T: AsStr> Reported<T> {
    /// The value as the answer spelled it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Known(value) => value.as_str(),
            Self::Unknown(text) => text,
        }
    }
}

impl<T> Default for Reported<T> {
    fn default() -> Self {
        Self::Unknown(String::new())
    }
}

impl<T: AsStr + FromStr> From<&str> for Reported<T> {
    fn from(text: &str) -> Self {
        text.parse()
            .map_or_else(|_| Self::Unknown(text.to_owned()), Self::Known)
    }
}

impl<T: PartialEq> PartialEq<T> for Reported<T> {
    fn eq(&self, other: &T) -> bool {
        self.known() == Some(other)
    }
}

impl<T: AsStr> fmt::Display for Reported<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de, T: AsStr + FromStr> Deserialize<'de> for Reported<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(Self::from(text.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for name in InstanceStatus::NAMES {
            assert_eq!(
                name.parse::<InstanceStatus>().map(InstanceStatus::as_str),
                Ok(*name)
            );
        }
        for name in InvocationStatus::NAMES {
            assert_eq!(
                name.parse::<InvocationStatus>().map(|s| s.to_string()).as_deref(),
                Ok(*name)
            );
        }
        assert_eq!(
            RepeatMode::NAMES,
            ["Once", "Period", "NextRebootOnly", "EveryReboot"]
        );
        assert_eq!(
            CommandType::NAMES,
            ["RunShellScript", "RunBatScript", "RunPowerShellScript"]
        );
        assert_eq!(
            "Sometimes".parse::<RepeatMode>().map_err(|e| e.to_string()),
            Err("`Sometimes` is not a known repeat mode".to_owned())
        );
    }

    #[test]
    fn finished_and_failed_instances() {
        use InstanceStatus::*;
        let finished: Vec<_> = InstanceStatus::NAMES
            .iter()
            .filter_map(|n| n.parse::<InstanceStatus>().ok())
            .filter(|s| s.is_finished())
            .collect();
        assert_eq!(
            finished,
            [Invalid, Aborted, Success, Failed, Error, Timeout, Cancelled, Terminated, Stopped, Finished]
        );
        assert!(finished.iter().all(|s| !s.is_under_way()));
        assert!(Timeout.is_failure() && Terminated.is_failure() && Cancelled.is_failure());
        assert!(!Success.is_failure() && !Stopped.is_failure() && !Finished.is_failure());
        assert!(!Scheduled.is_finished() && !Scheduled.is_under_way() && Stopping.is_under_way());
    }

    #[test]
    fn unknown_answers_are_kept_and_satisfy_nothing() {
        let newer: Reported<InstanceStatus> = serde_json::from_str(r#""Paused""#).unwrap();
        assert_eq!(newer, Reported::Unknown("Paused".into()));
        assert_eq!(newer.as_str(), "Paused");
        assert!(!newer.is(InstanceStatus::is_finished) && !newer.is(InstanceStatus::is_under_way));
        let known: Reported<InstanceStatus> = serde_json::from_str(r#""Timeout""#).unwrap();
        assert_eq!(known, InstanceStatus::Timeout);
        assert!(known.is(InstanceStatus::is_failure));
        assert_eq!(Reported::<RepeatMode>::default().as_str(), "");
    }

    #[test]
    fn modes_and_types() {
        assert!(RepeatMode::EveryReboot.is_timed() && !RepeatMode::Once.is_timed());
        assert!(
            CommandType::RunBatScript.runs_on_windows() && !CommandType::RunShellScript.runs_on_windows()
        );
        assert_eq!(
            serde_json::to_string(&CommandType::RunBatScript).unwrap(),
            r#""RunBatScript""#
        );
        assert_eq!(
            serde_json::from_str::<RepeatMode>(r#""Period""#).unwrap(),
            RepeatMode::Period
        );
    }
}
