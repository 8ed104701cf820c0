//! Fixtures: the instances, regions and commands the emulator starts with. The default set
//! lives in region `cn-hangzhou`; `--fixtures FILE` replaces it with a JSON file shaped like
//!
//! ```json
//! {"Regions": ["cn-hangzhou"],
//!  "Instances": [{"InstanceId": "i-a", "OSType": "linux", "Status": "Running"}],
//!  "Commands": [{"CommandId": "c-a", "Name": "hi", "Type": "RunShellScript",
//!                "CommandContent": "echo {{who}}", "EnableParameter": true}]}
//! ```
//!
//! (omitted fields get defaults: region `cn-hangzhou`, zone `<region>-h`, name = id, ...),
//! and `--instance ID:OS:STATUS[:REGION]` adds instances to either. An instance may say what
//! runs on it do, `"Run": {"ExitCode": 1, "Output": "boom", "OutputBytes": 30000, "RunMs": 5000}`
//! (see `outcome`), as may `--instance-outcome`.

pub mod ids;

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::model::{Command, CommandType, Instance, OsType, RunOutcome, INSTANCE_STATUSES};

pub const DEFAULT_REGION: &str = "cn-hangzhou";
const FIXTURE_TIME: &str = "2024-01-01T00:00:00Z";

#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    #[error("cannot read fixtures {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("fixtures are not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("invalid fixtures: {0}")]
    Invalid(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Fixtures {
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub instances: Vec<Instance>,
    #[serde(default)]
    pub commands: Vec<Command>,
}

impl Fixtures {
    /// Several running Linux instances, two running Windows ones, a stopped one; a command with
    /// parameters, one without, a PowerShell and a Bat command.
    pub fn default_set() -> Self {
        let instance = |id: &str, name: &str, os: OsType, os_name: &str, status: &str, zone: &str| Instance {
            instance_id: id.into(),
            instance_name: name.into(),
            region_id: DEFAULT_REGION.into(),
            zone_id: zone.into(),
            os_type: os,
            os_name: os_name.into(),
            status: status.into(),
            instance_type: String::new(),
            image_id: String::new(),
            private_ip_address: String::new(),
            vpc_id: String::new(),
            v_switch_id: String::new(),
            creation_time: String::new(),
            run: None,
        };
        let command =
            |id: &str, name: &str, kind: CommandType, content: &str, params: bool, desc: &str| Command {
                command_id: id.into(),
                region_id: DEFAULT_REGION.into(),
                name: name.into(),
                command_type: kind,
                command_content: content.into(),
                description: desc.into(),
                working_dir: String::new(),
                timeout: 60,
                enable_parameter: params,
                creation_time: String::new(),
            };
        use CommandType::*;
        use OsType::*;
        let fixtures = Fixtures {
            regions: vec![DEFAULT_REGION.into()],
            instances: vec![
                instance(
                    ids::LINUX_1,
                    "web-1",
                    Linux,
                    "Alibaba Cloud Linux 3.2104 LTS 64 bit",
                    "Running",
                    "cn-hangzhou-h",
                ),
                instance(
                    ids::LINUX_2,
                    "web-2",
                    Linux,
                    "Ubuntu 22.04 64 bit",
                    "Running",
                    "cn-hangzhou-i",
                ),
                instance(
                    ids::LINUX_3,
                    "db-1",
                    Linux,
                    "CentOS 7.9 64 bit",
                    "Running",
                    "cn-hangzhou-j",
                ),
                instance(
                    ids::WINDOWS_1,
                    "win-1",
                    Windows,
                    "Windows Server 2022 Datacenter 64 bit",
                    "Running",
                    "cn-hangzhou-h",
                ),
                instance(
                    ids::WINDOWS_2,
                    "win-2",
                    Windows,
                    "Windows Server 2019 Datacenter 64 bit",
                    "Running",
                    "cn-hangzhou-i",
                ),
                instance(
                    ids::STOPPED,
                    "stopped-1",
                    Linux,
                    "Alibaba Cloud Linux 3.2104 LTS 64 bit",
                    "Stopped",
                    "cn-hangzhou-h",
                ),
            ],
            commands: vec![
                command(
                    ids::DEPLOY,
                    "deploy-app",
                    RunShellScript,
                    "echo deploying {{version}} to {{env}}",
                    true,
                    "Deploys a version to an environment",
                ),
                command(
                    ids::UPTIME,
                    "uptime",
                    RunShellScript,
                    "uptime",
                    false,
                    "Shows the uptime",
                ),
                command(
                    ids::POWERSHELL,
                    "windows-info",
                    RunPowerShellScript,
                    "Get-ComputerInfo | Select-Object OsName",
                    false,
                    "Shows the Windows version",
                ),
                command(
                    ids::BAT,
                    "bat-hello",
                    RunBatScript,
                    "echo hello from %COMPUTERNAME%",
                    false,
                    "Greets from cmd.exe",
                ),
            ],
        };
        fixtures.completed()
    }

    pub fn load(path: &Path) -> Result<Self, FixtureError> {
        let text = std::fs::read_to_string(path).map_err(|source| FixtureError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_json(&text)
    }

    pub fn from_json(text: &str) -> Result<Self, FixtureError> {
        let fixtures: Fixtures = serde_json::from_str(text)?;
        fixtures.validate()?;
        Ok(fixtures.completed())
    }

    /// Adds an instance given as `ID:OS:STATUS[:REGION]`, e.g. `i-x:windows:Running`.
    pub fn add_instance(&mut self, spec: &str) -> Result<(), FixtureError> {
        let invalid = || {
            FixtureError::Invalid(format!(
                "--instance {spec}: expected ID:linux|windows:STATUS[:REGION]"
            ))
        };
        let mut parts = spec.split(':');
        let id = parts.next().filter(|s| !s.is_empty()).ok_or_else(invalid)?;
        let os = parts.next().and_then(OsType::parse).ok_or_else(invalid)?;
        let status = parts.next().ok_or_else(invalid)?;
        let region = parts.next().unwrap_or(DEFAULT_REGION);
        if parts.next().is_some() || region.is_empty() {
            return Err(invalid());
        }
        let mut added = self.clone();
        added.instances.push(Instance {
            instance_id: id.into(),
            instance_name: String::new(),
            region_id: region.into(),
            zone_id: String::new(),
            os_type: os,
            os_name: String::new(),
            status: status.into(),
            instance_type: String::new(),
            image_id: String::new(),
            private_ip_address: String::new(),
            vpc_id: String::new(),
            v_switch_id: String::new(),
            creation_time: String::new(),
            run: None,
        });
        added.validate()?;
        *self = added.completed();
        Ok(())
    }

    /// Sets what runs on an existing instance do (`--instance-outcome`), over what the
    /// fixtures said field by field.
    pub fn set_outcome(&mut self, instance_id: &str, outcome: RunOutcome) -> Result<(), FixtureError> {
        let instance = self
            .instances
            .iter_mut()
            .find(|i| i.instance_id == instance_id)
            .ok_or_else(|| FixtureError::Invalid(format!("--instance-outcome: no instance {instance_id}")))?;
        instance
            .run
            .get_or_insert_with(RunOutcome::default)
            .merge(outcome);
        Ok(())
    }

    fn validate(&self) -> Result<(), FixtureError> {
        let mut ids = std::collections::HashSet::new();
        for instance in &self.instances {
            if instance.instance_id.is_empty() || !ids.insert(instance.instance_id.as_str()) {
                return Err(FixtureError::Invalid(format!(
                    "duplicate or empty instance id {:?}",
                    instance.instance_id
                )));
            }
            if instance
                .run
                .as_ref()
                .is_some_and(|run| run.run_ms.is_some_and(|ms| ms < 0))
            {
                return Err(FixtureError::Invalid(format!(
                    "instance {}: RunMs must not be negative",
                    instance.instance_id
                )));
            }
            if !INSTANCE_STATUSES.contains(&instance.status.as_str()) {
                return Err(FixtureError::Invalid(format!(
                    "instance {}: status must be one of {INSTANCE_STATUSES:?}",
                    instance.instance_id
                )));
            }
        }
        let mut ids = std::collections::HashSet::new();
        for command in &self.commands {
            if command.command_id.is_empty() || !ids.insert(command.command_id.as_str()) {
                return Err(FixtureError::Invalid(format!(
                    "duplicate or empty command id {:?}",
                    command.command_id
                )));
            }
        }
        Ok(())
    }

    /// Fills what a fixture may leave out, deterministically from the instance's position.
    fn completed(mut self) -> Self {
        for (n, i) in self.instances.iter_mut().enumerate() {
            let or = |field: &mut String, value: String| {
                if field.is_empty() {
                    *field = value;
                }
            };
            or(&mut i.region_id, DEFAULT_REGION.into());
            or(&mut i.zone_id, format!("{}-h", i.region_id));
            or(&mut i.instance_name, i.instance_id.clone());
            let (os_name, image) = match i.os_type {
                OsType::Linux => (
                    "Alibaba Cloud Linux 3.2104 LTS 64 bit",
                    "aliyun_3_x64_20G_alibase_20240528.vhd",
                ),
                OsType::Windows => (
                    "Windows Server 2022 Datacenter 64 bit",
                    "win2022_21H2_x64_dtc_en-us_40G_alibase_20240515.vhd",
                ),
            };
            or(&mut i.os_name, os_name.into());
            or(&mut i.image_id, image.into());
            or(&mut i.instance_type, "ecs.g7.large".into());
            or(
                &mut i.private_ip_address,
                format!("172.16.{}.{}", n / 250, n % 250 + 2),
            );
            or(&mut i.vpc_id, "vpc-bp1emulator000001".into());
            or(&mut i.v_switch_id, "vsw-bp1emulator000001".into());
            or(&mut i.creation_time, "2024-01-01T00:00Z".into());
        }
        for c in &mut self.commands {
            if c.region_id.is_empty() {
                c.region_id = DEFAULT_REGION.into();
            }
            if c.creation_time.is_empty() {
                c.creation_time = FIXTURE_TIME.into();
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_set_has_what_the_tests_rely_on() {
        let f = Fixtures::default_set();
        let running = |os| {
            f.instances
                .iter()
                .filter(|i| i.os_type == os && i.status == "Running")
                .count()
        };
        assert!(running(OsType::Linux) >= 3 && running(OsType::Windows) >= 1);
        assert!(f.instances.iter().any(|i| i.status == "Stopped"));
        assert!(f
            .commands
            .iter()
            .any(|c| c.enable_parameter && c.command_content.contains("{{version}}")));
        assert!(f
            .commands
            .iter()
            .any(|c| !c.enable_parameter && c.command_type == CommandType::RunShellScript));
        assert!(f
            .commands
            .iter()
            .any(|c| c.command_type == CommandType::RunPowerShellScript));
        assert!(f
            .instances
            .iter()
            .all(|i| i.region_id == DEFAULT_REGION && !i.private_ip_address.is_empty()));
        assert!(f.validate().is_ok());
    }

    #[test]
    fn json_fixtures_get_defaults() {
        let f = Fixtures::from_json(
            r#"{"Instances":[{"InstanceId":"i-a","OSType":"windows","Status":"Running","RegionId":"cn-shanghai"}],
                "Commands":[{"CommandId":"c-a","Name":"n","Type":"RunBatScript","CommandContent":"dir"}]}"#,
        )
        .unwrap();
        let i = &f.instances[0];
        assert_eq!(
            (i.zone_id.as_str(), i.instance_name.as_str()),
            ("cn-shanghai-h", "i-a")
        );
        assert!(i.os_name.starts_with("Windows"));
        assert_eq!(
            (f.commands[0].region_id.as_str(), f.commands[0].timeout),
            (DEFAULT_REGION, 60)
        );
    }

    #[test]
    fn bad_fixtures_are_refused() {
        for bad in [
            r#"{"Instances":[{"InstanceId":"i-a","OSType":"linux","Status":"Sleeping"}]}"#,
            r#"{"Instances":[{"InstanceId":"i-a","OSType":"beos","Status":"Running"}]}"#,
            r#"{"Instances":[{"InstanceId":"i-a","OSType":"linux","Status":"Running"},{"InstanceId":"i-a","OSType":"linux","Status":"Running"}]}"#,
            r#"{"Unknown":1}"#,
        ] {
            assert!(Fixtures::from_json(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn outcomes_from_json_and_flags() {
        let mut f = Fixtures::from_json(
            r#"{"Instances":[{"InstanceId":"i-a","OSType":"linux","Status":"Running",
                "Run":{"ExitCode":3,"Output":"boom"}}]}"#,
        )
        .unwrap();
        f.set_outcome("i-a", RunOutcome::parse_flag("i-a:run-ms=50").unwrap().1)
            .unwrap();
        let run = f.instances[0].run.clone().unwrap();
        assert_eq!(
            (run.exit_code, run.output.as_deref(), run.run_ms),
            (Some(3), Some("boom"), Some(50))
        );
        assert!(f.set_outcome("i-nope", RunOutcome::default()).is_err());
        assert!(Fixtures::from_json(
            r#"{"Instances":[{"InstanceId":"i-a","OSType":"linux","Status":"Running","Run":{"RunMs":-1}}]}"#
        )
        .is_err());
        assert!(Fixtures::from_json(
            r#"{"Instances":[{"InstanceId":"i-a","OSType":"linux","Status":"Running","Run":{"Exit":1}}]}"#
        )
        .is_err());
    }

    #[test]
    fn instance_flags() {
        let mut f = Fixtures::default_set();
        f.add_instance("i-extra:windows:Stopped").unwrap();
        f.add_instance("i-sh:linux:Running:cn-shanghai").unwrap();
        let sh = f.instances.iter().find(|i| i.instance_id == "i-sh").unwrap();
        assert_eq!(
            (sh.region_id.as_str(), sh.zone_id.as_str()),
            ("cn-shanghai", "cn-shanghai-h")
        );
        for bad in [
            "i-x",
            "i-x:mac:Running",
            "i-x:linux",
            "i-x:linux:Dead",
            "i-extra:linux:Running",
            "i-y:linux:Running:r:extra",
        ] {
            assert!(f.add_instance(bad).is_err(), "{bad}");
        }
    }
}
