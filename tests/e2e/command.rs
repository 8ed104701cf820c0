//! End to end with the real Terraform CLI against the emulator: `alicloud_ecs_command`
//! created, updated in place, replaced on a type change, refreshed after changes made outside
//! Terraform, imported (both ID forms) and destroyed; the data source by id and by name (found,
//! none, several); one apply that creates a command and invokes it; every plan-time rule
//! refused with no write request sent.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the report

use alicloud_client::{
    ClientConfig, Command, CreateCommandRequest, Credentials, DeleteCommandRequest, EcsClient,
    ModifyCommandRequest,
};
use ecs_emulator::fixtures::ids::{DEPLOY, LINUX_1};
use test_support::e2e::{header, squash, Emulator, Workspace, DEMO_ACCESS_KEY, DEMO_SECRET};

const WRITES: [&str; 3] = ["CreateCommand", "ModifyCommand", "DeleteCommand"];

fn config(body: &str) -> String {
    format!("{}\nprovider \"alicloud\" {{}}\n{body}", header())
}

fn command(name: &str, extra: &str) -> String {
    format!(
        "resource \"alicloud_ecs_command\" \"{name}\" {{\n  name = \"{name}\"\n  type = \"RunShellScript\"\n{extra}}}\n\
         output \"{name}_id\" {{ value = alicloud_ecs_command.{name}.id }}\n"
    )
}

fn output(ws: &Workspace, name: &str) -> String {
    ws.ok(&["output", "-raw", name]).trim().to_string()
}

fn apply(ws: &Workspace) -> String {
    ws.ok(&["apply", "-auto-approve", "-input=false"])
}

/// The plan's action lines (Terraform 1.0 counts output changes in `-detailed-exitcode`).
fn plan_actions(ws: &Workspace) -> Vec<String> {
    let plan = ws.ok(&["plan", "-input=false"]);
    plan.lines()
        .filter(|l| {
            [
                "will be created",
                "must be replaced",
                "will be replaced",
                "will be destroyed",
                "will be updated",
            ]
            .iter()
            .any(|a| l.contains(a))
        })
        .map(|l| l.trim().to_string())
        .collect()
}

/// Calls the emulator's API as a user would outside Terraform.
struct Api {
    runtime: tokio::runtime::Runtime,
    client: EcsClient,
}

impl Api {
    fn new(emulator: &Emulator) -> Api {
        let mut config = ClientConfig::new(Credentials::new(DEMO_ACCESS_KEY, DEMO_SECRET), "cn-hangzhou");
        config.endpoint = Some(emulator.endpoint.clone());
        Api {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            client: EcsClient::new(config).unwrap(),
        }
    }

    fn command(&self, command_id: &str) -> Option<Command> {
        let request = alicloud_client::DescribeCommandsRequest {
            command_id: Some(command_id.to_string()),
            content_encoding: Some(alicloud_client::ContentEncoding::PlainText),
            ..Default::default()
        };
        let found = self
            .runtime
            .block_on(self.client.describe_commands(&request))
            .unwrap();
        found.commands.into_iter().find(|c| c.command_id == command_id)
    }

    fn modify(&self, request: ModifyCommandRequest) {
        self.runtime
            .block_on(self.client.modify_command(&request))
            .unwrap();
    }

    fn delete(&self, command_id: &str) {
        let request = DeleteCommandRequest {
            region_id: None,
            command_id: command_id.to_string(),
        };
        self.runtime
            .block_on(self.client.delete_command(&request))
            .unwrap();
    }

    fn create(&self, name: &str) -> String {
        let request = CreateCommandRequest {
            name: name.to_string(),
            command_type: "RunShellScript".into(),
            command_content: "ZWNobw==".into(),
            ..Default::default()
        };
        self.runtime
            .block_on(self.client.create_command(&request))
            .unwrap()
            .command_id
    }
}

#[test]
fn create_update_replace_drift_import_destroy() {
    let emulator = Emulator::start(&[]);
    let api = Api::new(&emulator);
    let ws =
        Workspace::new(&config(&command("hello", "  command_content = \"echo hello\"\n"))).against(&emulator);
    ws.init();
    apply(&ws);
    let id = output(&ws, "hello_id");
    assert!(id.starts_with("c-"), "{id}");
    let created = api.command(&id).expect("the command exists");
    assert_eq!(
        (created.command_content.as_str(), created.timeout),
        ("echo hello", Some(60))
    );
    assert!(
        !created.enable_parameter,
        "no placeholders: parameters off by default"
    );
    assert_eq!(plan_actions(&ws), Vec::<String>::new(), "clean right after apply");

    // Script, description and timeout change in place: one ModifyCommand, the same id.
    ws.write(
        "main.tf",
        &config(&command(
            "hello",
            "  command_content = \"echo bye\"\n  description = \"says bye\"\n  timeout = 120\n",
        )),
    );
    assert_eq!(
        plan_actions(&ws),
        ["# alicloud_ecs_command.hello will be updated in-place"]
    );
    apply(&ws);
    assert_eq!(output(&ws, "hello_id"), id);
    let modified = api.command(&id).unwrap();
    assert_eq!(
        (
            modified.command_content.as_str(),
            modified.description.as_str(),
            modified.timeout
        ),
        ("echo bye", "says bye", Some(120))
    );
    assert_eq!(emulator.action_count("ModifyCommand"), 1);
    assert_eq!(emulator.action_count("CreateCommand"), 1);
    assert_eq!(plan_actions(&ws), Vec::<String>::new(), "clean after the update");

    // Changed outside Terraform: the plan puts it back.
    api.modify(ModifyCommandRequest {
        command_id: id.clone(),
        name: Some("renamed-outside".into()),
        ..Default::default()
    });
    let drift = ws.ok(&["plan", "-input=false"]);
    assert!(
        drift.contains("will be updated in-place") && drift.contains("renamed-outside"),
        "{drift}"
    );
    apply(&ws);
    assert_eq!(api.command(&id).unwrap().name, "hello");

    // Deleted outside Terraform: the plan creates it again.
    api.delete(&id);
    assert_eq!(
        plan_actions(&ws),
        ["# alicloud_ecs_command.hello will be created"]
    );
    apply(&ws);
    let id = output(&ws, "hello_id");

    // A new type needs a new command.
    ws.write(
        "main.tf",
        &config(
            &command(
                "hello",
                "  command_content = \"echo bye\"\n  description = \"says bye\"\n  timeout = 120\n",
            )
            .replace("RunShellScript", "RunPowerShellScript"),
        ),
    );
    assert_eq!(
        plan_actions(&ws),
        ["# alicloud_ecs_command.hello must be replaced"]
    );
    let deletes = emulator.action_count("DeleteCommand");
    apply(&ws);
    let replaced = output(&ws, "hello_id");
    assert_ne!(replaced, id);
    assert!(api.command(&id).is_none(), "the old command is deleted");
    assert_eq!(emulator.action_count("DeleteCommand"), deletes + 1);

    for import_id in [replaced.clone(), format!("cn-hangzhou:{replaced}")] {
        ws.ok(&["state", "rm", "alicloud_ecs_command.hello"]);
        ws.ok(&["import", "-input=false", "alicloud_ecs_command.hello", &import_id]);
        assert_eq!(
            plan_actions(&ws),
            Vec::<String>::new(),
            "clean after importing {import_id}"
        );
    }
    ws.ok(&["state", "rm", "alicloud_ecs_command.hello"]);
    let bad = squash(&ws.fails(&["import", "-input=false", "alicloud_ecs_command.hello", "t-123"]));
    assert!(
        bad.contains("Invalid import ID") && bad.contains("CommandId (c-...)"),
        "{bad}"
    );
    ws.ok(&["import", "-input=false", "alicloud_ecs_command.hello", &replaced]);

    ws.ok(&["destroy", "-auto-approve", "-input=false"]);
    assert!(api.command(&replaced).is_none(), "destroy deletes the command");
}

#[test]
fn destroy_of_a_command_already_gone_succeeds() {
    let emulator = Emulator::start(&[]);
    let api = Api::new(&emulator);
    let ws = Workspace::new(&config(&command("gone", "  command_content = \"uptime\"\n"))).against(&emulator);
    ws.init();
    apply(&ws);
    api.delete(&output(&ws, "gone_id"));
    ws.ok(&["destroy", "-auto-approve", "-input=false", "-refresh=false"]);
}

/// An invocation of a command created in the same apply: its rules run at apply, against the
/// new command, before `InvokeCommand`. Editing the script later updates the command in place
/// and leaves the invocation alone.
#[test]
fn one_apply_creates_a_command_and_invokes_it() {
    let emulator = Emulator::start(&[]);
    let body = format!(
        "{}resource \"alicloud_ecs_command_invocation\" \"run\" {{\n  command_id = alicloud_ecs_command.greet.id\n  \
         instance_ids = [\"{LINUX_1}\"]\n  parameters = {{ who = \"world\" }}\n}}\n",
        command("greet", "  command_content = \"echo hello {{who}}\"\n")
    );
    let ws = Workspace::new(&config(&body)).against(&emulator);
    ws.init();
    apply(&ws);
    assert_eq!(emulator.invoke_counts(), (1, 1));
    assert_eq!(
        plan_actions(&ws),
        Vec::<String>::new(),
        "clean after the first apply"
    );

    ws.write("main.tf", &config(&body.replace("echo hello", "echo goodbye")));
    assert_eq!(
        plan_actions(&ws),
        ["# alicloud_ecs_command.greet will be updated in-place"]
    );
    apply(&ws);
    assert_eq!(emulator.invoke_counts(), (1, 1), "the invocation is not re-run");

    // In a fresh apply, a parameter the new command does not define is refused at apply,
    // once the command exists, before InvokeCommand.
    let fresh =
        Workspace::new(&config(&body.replace("who = \"world\"", "whom = \"world\""))).against(&emulator);
    fresh.init();
    let out = squash(&fresh.fails(&["apply", "-auto-approve", "-input=false"]));
    assert!(out.contains("Parameter.NotMatched"), "{out}");
    assert_eq!(
        emulator.invoke_counts().0,
        1,
        "no InvokeCommand for the refused invocation"
    );
}

/// With `replace_triggered_by` (Terraform >= 1.2), an edit of the script re-runs the invocation.
#[test]
fn replace_triggered_by_reruns_the_invocation_on_a_script_change() {
    let emulator = Emulator::start(&[]);
    let body = format!(
        "{}resource \"alicloud_ecs_command_invocation\" \"run\" {{\n  command_id = alicloud_ecs_command.greet.id\n  \
         instance_ids = [\"{LINUX_1}\"]\n  lifecycle {{\n    replace_triggered_by = [alicloud_ecs_command.greet.command_content]\n  }}\n}}\n",
        command("greet", "  command_content = \"echo one\"\n")
    );
    let ws = Workspace::new(&config(&body))
        .against(&emulator)
        .on_newest_terraform();
    ws.init();
    apply(&ws);
    ws.write("main.tf", &config(&body.replace("echo one", "echo two")));
    let actions = plan_actions(&ws);
    assert!(
        actions.contains(
            &"# alicloud_ecs_command_invocation.run will be replaced due to changes in replace_triggered_by"
                .to_string()
        ),
        "{actions:?}"
    );
    apply(&ws);
    assert_eq!(emulator.invoke_counts(), (2, 2));
}

#[test]
fn data_source_by_id_and_by_name() {
    let emulator = Emulator::start(&[]);
    let api = Api::new(&emulator);
    let lookup = |by: &str| {
        config(&format!(
            "data \"alicloud_ecs_command\" \"found\" {{\n  {by}\n}}\n\
             output \"id\" {{ value = data.alicloud_ecs_command.found.id }}\n\
             output \"names\" {{ value = join(\",\", data.alicloud_ecs_command.found.parameter_names) }}\n\
             output \"content\" {{ value = data.alicloud_ecs_command.found.command_content }}\n"
        ))
    };
    let ws = Workspace::new(&lookup("name = \"deploy-app\"")).against(&emulator);
    ws.init();
    apply(&ws);
    assert_eq!(output(&ws, "id"), DEPLOY);
    assert_eq!(output(&ws, "names"), "version,env");
    assert_eq!(output(&ws, "content"), "echo deploying {{version}} to {{env}}");

    ws.write("main.tf", &lookup(&format!("command_id = \"{DEPLOY}\"")));
    apply(&ws);
    assert_eq!(output(&ws, "id"), DEPLOY);

    ws.write("main.tf", &lookup("name = \"no-such-command\""));
    let none = squash(&ws.fails(&["plan", "-input=false"]));
    assert!(
        none.contains("No command found") && none.contains("\"no-such-command\""),
        "{none}"
    );

    ws.write("main.tf", &lookup("command_id = \"c-nosuchcommand\""));
    let none = squash(&ws.fails(&["plan", "-input=false"]));
    assert!(
        none.contains("No command found") && none.contains("command_id"),
        "{none}"
    );

    let (first, second) = (api.create("twin"), api.create("twin"));
    ws.write("main.tf", &lookup("name = \"twin\""));
    let several = squash(&ws.fails(&["plan", "-input=false"]));
    assert!(
        several.contains("Several commands found") && several.contains(&first) && several.contains(&second),
        "{several}"
    );

    ws.write(
        "main.tf",
        &lookup(&format!("name = \"twin\"\n  command_id = \"{first}\"")),
    );
    let both = squash(&ws.fails(&["plan", "-input=false"]));
    assert!(
        both.contains("Exactly one of `command_id`, `name` must be set"),
        "{both}"
    );
    ws.write("main.tf", &lookup(""));
    let neither = squash(&ws.fails(&["plan", "-input=false"]));
    assert!(neither.contains("none is"), "{neither}");
}

/// Each rule stops `terraform plan`, names its attribute and the code it prevents, and no
/// CreateCommand, ModifyCommand or DeleteCommand is sent.
#[test]
fn plan_time_rules_refuse_with_no_write_request() {
    let emulator = Emulator::start(&[]);
    let cases: [(&str, &str, &str); 10] = [
        (
            "long_name",
            "  name = format(\"%129s\", \"n\")\n  command_content = \"x\"\n",
            "`name` must be 1 to 128 characters long",
        ),
        (
            "bad_type",
            "  command_content = \"x\"\n  type = \"RunPython\"\n",
            "`type` must be one of `RunShellScript`",
        ),
        (
            "long_description",
            "  command_content = \"x\"\n  description = format(\"%513s\", \"d\")\n",
            "`description` must be at most 512 characters long",
        ),
        (
            "long_dir",
            "  command_content = \"x\"\n  working_dir = format(\"%201s\", \"w\")\n",
            "`working_dir` must be at most 200 characters long",
        ),
        (
            "short_timeout",
            "  command_content = \"x\"\n  timeout = 9\n",
            "`timeout` must be a whole number from 10 to 86400",
        ),
        (
            "long_timeout",
            "  command_content = \"x\"\n  timeout = 86401\n",
            "`timeout` must be a whole number from 10 to 86400",
        ),
        (
            "big_content",
            "  command_content = format(\"%12289s\", \"x\")\n",
            "CmdContent.ExceedLimit",
        ),
        (
            "dotted",
            "  command_content = \"echo {{a.b}}\"\n",
            "CmdParam.InvalidParamName",
        ),
        (
            "empty",
            "  command_content = \"echo {{ }}\"\n",
            "CmdParam.EmptyKey",
        ),
        (
            "many_params",
            "  command_content = join(\" \", [for i in range(21) : \"{{p${i}}}\"])\n",
            "CmdParamCount.ExceedLimit",
        ),
    ];
    for (name, body, expected) in cases {
        // `type` and `name` are set by `command`; a case overriding one drops the default line.
        let mut resource = command(name, body);
        if body.contains("type =") {
            resource = resource.replacen("  type = \"RunShellScript\"\n", "", 1);
        }
        if body.contains("name =") {
            resource = resource.replacen(&format!("  name = \"{name}\"\n"), "", 1);
        }
        let ws = Workspace::new(&config(&resource)).against(&emulator);
        ws.init();
        let out = squash(&ws.fails(&["plan", "-input=false"]));
        assert!(out.contains(expected), "{name}: expected {expected}:\n{out}");
    }
    let long_name = Workspace::new(&config(&command(
        "long_name_param",
        &format!("  command_content = \"echo {{{{{}}}}}\"\n", "p".repeat(65)),
    )))
    .against(&emulator);
    long_name.init();
    let out = squash(&long_name.fails(&["plan", "-input=false"]));
    assert!(out.contains("CmdParamName.ExceedLimit"), "{out}");
    for action in WRITES {
        assert_eq!(emulator.action_count(action), 0, "{action} was sent");
    }
}
