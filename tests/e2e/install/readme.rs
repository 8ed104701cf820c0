//! The README's snippets, run as written. The shell blocks run in a copy of the repository's
//! layout whose `target/release/` holds this build's binaries, with a `cargo` on PATH that does
//! nothing (the test run has built everything already) and an empty HOME, so `make install`,
//! `make demo` and the emulator sessions run unchanged; blocks of one section share a shell, as
//! a reader runs them. Each HCL block is initialised and validated with the installed provider
//! (a block with no `terraform` block gets the install section's). `make test` is the command
//! running this test, so it is the one block not run here.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use test_support::e2e::terraform_path;

/// A fenced block of README.md: its language, its text and the heading it stands under.
struct Snippet {
    lang: String,
    section: String,
    text: String,
}

fn readme() -> Vec<Snippet> {
    let text = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let mut snippets = Vec::new();
    let mut section = String::new();
    let mut open: Option<Snippet> = None;
    for line in text.lines() {
        match open.take() {
            Some(snippet) if line.trim_end() == "```" => snippets.push(snippet),
            Some(mut snippet) => {
                snippet.text.push_str(line);
                snippet.text.push('\n');
                open = Some(snippet);
            }
            None if line.starts_with("```") => {
                open = Some(Snippet {
                    lang: line.trim_start_matches('`').trim().to_string(),
                    section: section.clone(),
                    text: String::new(),
                });
            }
            None if line.starts_with('#') => section = line.trim_start_matches('#').trim().to_string(),
            None => {}
        }
    }
    assert!(open.is_none(), "README.md ends inside a fenced block");
    snippets
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A reader's checkout: the repository's Makefile, scripts and examples, this build's binaries
/// where a release build puts them, a PATH with Terraform and a no-op `cargo`, and a HOME.
struct Sandbox {
    _dir: tempfile::TempDir,
    root: PathBuf,
    bin: PathBuf,
    home: PathBuf,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("sandbox");
        let root = dir.path().join("repo");
        let release = root.join("target/release");
        let bin = dir.path().join("bin");
        let home = dir.path().join("home");
        for made in [&release, &bin, &home] {
            std::fs::create_dir_all(made).expect("sandbox dir");
        }
        for file in ["Makefile", "Cargo.toml"] {
            std::fs::copy(repo().join(file), root.join(file)).expect("copy");
        }
        for linked in ["scripts", ".tools"] {
            std::os::unix::fs::symlink(repo().join(linked), root.join(linked)).expect("link");
        }
        copy_dir(&repo().join("examples"), &root.join("examples"));
        std::os::unix::fs::symlink(
            env!("CARGO_BIN_EXE_terraform-provider-alicloud"),
            release.join("terraform-provider-alicloud"),
        )
        .expect("link provider");
        std::os::unix::fs::symlink(
            test_support::emulator_binary(),
            release.join("alicloud-ecs-emulator"),
        )
        .expect("link emulator");
        // A reader answers `yes` at each prompt of Terraform's.
        std::fs::write(
            bin.join("terraform"),
            format!(
                "#!/bin/sh\nyes yes | exec '{}' \"$@\"\n",
                terraform_path().display()
            ),
        )
        .expect("terraform");
        make_executable(&bin.join("terraform"));
        std::fs::write(
            bin.join("cargo"),
            "#!/bin/sh\n# built already by the test run\nexit 0\n",
        )
        .expect("cargo");
        make_executable(&bin.join("cargo"));
        Sandbox {
            _dir: dir,
            root,
            bin,
            home,
        }
    }

    /// `script` in bash as a reader's shell runs it, stopping at the first failing command,
    /// within five minutes; whatever it left running (an emulator in the background) is ended
    /// with it, as its whole process group.
    fn sh(&self, script: &str, dir: &Path) -> String {
        let path = format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        // A file, not a pipe: a process left behind must not keep the test waiting for EOF.
        let log_path = dir.join(".snippet.log");
        let log = std::fs::File::create(&log_path).expect("snippet log");
        let mut child = Command::new("bash")
            .args(["-e", "-o", "pipefail", "-c", script])
            .current_dir(dir)
            .env("PATH", path)
            .env("HOME", &self.home)
            .env("CHECKPOINT_DISABLE", "1")
            .env_remove("TF_CLI_CONFIG_FILE")
            .env_remove("TF_PLUGIN_CACHE_DIR")
            .env_remove("TF_LOG")
            .env_remove("TERRAFORM")
            .env_remove("CARGO") // cargo test sets it; make would build with it
            .env_remove("ALICLOUD_ACCESS_KEY")
            .env_remove("ALICLOUD_SECRET_KEY")
            .env_remove("ALICLOUD_ECS_ENDPOINT")
            .env_remove("MAKEFLAGS")
            .env_remove("MFLAGS")
            .env_remove("MAKELEVEL")
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("bash");
        let deadline = Instant::now() + Duration::from_secs(300);
        let status = loop {
            match child.try_wait().expect("wait") {
                Some(status) => break Some(status),
                None if Instant::now() > deadline => break None,
                None => std::thread::sleep(Duration::from_millis(100)),
            }
        };
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = child.wait();
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        match status {
            Some(status) if status.success() => text,
            Some(status) => panic!("README snippet failed ({status}):\n{script}\n---\n{text}"),
            None => panic!("README snippet still running after 5 minutes:\n{script}\n---\n{text}"),
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// The shell blocks of each section, in README order, as one script per section. A block of
/// bare emulator flags (`--instance-outcome ...`) is not a command: it is returned apart.
fn shell_sections(snippets: &[Snippet]) -> (Vec<(String, String)>, Vec<String>) {
    let mut sections: Vec<(String, String)> = Vec::new();
    let mut flags = Vec::new();
    for snippet in snippets.iter().filter(|s| s.lang == "sh") {
        if snippet.text.trim_start().starts_with("--") {
            flags.push(snippet.text.trim().to_string());
            continue;
        }
        match sections.last_mut() {
            Some((section, script)) if *section == snippet.section => script.push_str(&snippet.text),
            _ => sections.push((snippet.section.clone(), snippet.text.clone())),
        }
    }
    (sections, flags)
}

#[test]
fn every_readme_snippet_works_as_written() {
    let snippets = readme();
    let sandbox = Sandbox::new();
    let (sections, flags) = shell_sections(&snippets);
    let mut ran = Vec::new();
    for (section, script) in &sections {
        if script.trim() == "make test" {
            continue; // the command running this test
        }
        let out = sandbox.sh(script, &sandbox.root);
        ran.push((section.as_str(), out));
    }
    let said = |section: &str, what: &str| {
        let (_, out) = ran
            .iter()
            .find(|(s, _)| s.contains(section))
            .unwrap_or_else(|| panic!("no shell section {section:?} in README.md"));
        assert!(out.contains(what), "{section}: no {what:?} in\n{out}");
    };
    said("make demo", "==> exit code per instance:");
    said("make demo", "==> done");
    said("Install", "installed ");
    said("OIDC against the emulator", "Apply complete!");
    said("Against the emulator, by hand", "Apply complete!");
    said("Against the emulator, by hand", "Destroy complete!");

    for flag_line in &flags {
        let out = sandbox.sh(
            &format!(
                "./target/release/alicloud-ecs-emulator --listen 127.0.0.1:0 {flag_line} > flags.out &\n\
                 for _ in $(seq 1 100); do grep -q '^listening on ' flags.out && break; sleep 0.1; done\n\
                 cat flags.out\n"
            ),
            &sandbox.root,
        );
        assert!(
            out.contains("listening on "),
            "{flag_line}: the emulator refused it:\n{out}"
        );
    }

    // The install section's `terraform` block: from its first line to its closing brace.
    let install = snippets
        .iter()
        .find(|s| s.lang == "hcl" && s.text.contains("required_providers"))
        .expect("an HCL block with required_providers");
    let header: String = install
        .text
        .lines()
        .skip_while(|l| !l.starts_with("terraform {"))
        .take_while(|l| *l != "}")
        .chain(["}"])
        .map(|l| format!("{l}\n"))
        .collect();
    let hcl: Vec<&Snippet> = snippets.iter().filter(|s| s.lang == "hcl").collect();
    assert!(hcl.len() >= 8, "README.md's HCL blocks: {}", hcl.len());
    for (n, snippet) in hcl.iter().enumerate() {
        let dir = sandbox.root.join(format!("hcl-{n}"));
        std::fs::create_dir_all(&dir).expect("hcl dir");
        let config = if snippet.text.contains("terraform {") {
            snippet.text.clone()
        } else {
            format!("{header}\n{}", snippet.text)
        };
        std::fs::write(dir.join("main.tf"), &config).expect("main.tf");
        sandbox.sh(
            "terraform init -input=false -no-color >/dev/null\nterraform validate -no-color",
            &dir,
        );
    }
}
