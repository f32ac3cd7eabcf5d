//! The diff lens (`[diff] base` in `Ward.toml`): code lenses and a "Since
//! BASE" hover section on the declarations that changed between the base
//! revision of a throwaway git repository and the editor's unsaved buffers.

mod common;

use common::Client;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use ward_lsp::ServerConfig;

fn demo(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/demo");
    std::fs::read_to_string(path.join(file)).unwrap()
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git is installed (apt-get install git)");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// The demo model in `model/` with `toml` as its `Ward.toml`; committed on
/// `main` when `commit`.
fn demo_model(toml: &str, commit: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model");
    std::fs::create_dir(&model).unwrap();
    for file in ["system.ward", "risk.ward"] {
        std::fs::write(model.join(file), demo(file)).unwrap();
    }
    std::fs::write(model.join("Ward.toml"), toml).unwrap();
    if commit {
        git(dir.path(), &["init", "-q", "-b", "main"]);
        git(dir.path(), &["add", "-A"]);
        git(dir.path(), &["commit", "-q", "-m", "base"]);
    }
    dir
}

const WITH_BASE: &str = "files = [\"*.ward\"]\n[diff]\nbase = \"main\"\n";

/// A client that supports `workspace/codeLens/refresh`, so the test knows
/// when the base was read.
fn start(root: &Path) -> Client {
    let capabilities = json!({
        "workspace": { "codeLens": { "refreshSupport": true } },
        "textDocument": { "hover": { "contentFormat": ["markdown"] } }
    });
    Client::start_with(root, ServerConfig::default(), capabilities)
}

fn lenses(client: &Client, file: &str) -> Vec<(u32, u32, String)> {
    let result = client.request(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": client.uri(file) } }),
    );
    result
        .as_array()
        .unwrap_or_else(|| panic!("{result}"))
        .iter()
        .map(|lens| {
            let start = &lens["range"]["start"];
            (
                start["line"].as_u64().unwrap() as u32,
                start["character"].as_u64().unwrap() as u32,
                lens["command"]["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Line and column of the first `needle` in `text`, plus `shift`.
fn pos(text: &str, needle: &str, shift: u32) -> (u32, u32) {
    let at = text.find(needle).unwrap_or_else(|| panic!("`{needle}`"));
    let line = text[..at].matches('\n').count() as u32;
    let column = (at - text[..at].rfind('\n').map_or(0, |i| i + 1)) as u32;
    (line, column + shift)
}

fn hover(client: &Client, file: &str, (line, character): (u32, u32)) -> String {
    let hover = client.request("textDocument/hover", client.at(file, line, character));
    hover["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn lenses_show_what_changed_since_the_base_in_the_unsaved_buffers() {
    let repo = demo_model(WITH_BASE, true);
    let client = start(&repo.path().join("model"));
    client.open("system.ward");
    client.open("risk.ward");
    client.wait_for_server_request("workspace/codeLens/refresh");
    assert_eq!(lenses(&client, "risk.ward"), vec![], "nothing changed yet");

    // In memory only: weaken the control, add a flow.
    let risk = demo("risk.ward").replace("status: verified", "status: proposed");
    client.change_full("risk.ward", &risk, 2);
    let system = format!(
        "{}flow f_cmd: api -> app \"Commands\" {{ protocol: https, carries: [creds] }}\n",
        demo("system.ward")
    );
    client.change_full("system.ward", &system, 2);

    let risk_lenses = lenses(&client, "risk.ward");
    let system_lenses = lenses(&client, "system.ward");
    // The threat the control mitigates: its risk rose, and why.
    let (line, column) = pos(&risk, "ble_jam", 0);
    assert!(
        risk_lenses.contains(&(
            line,
            column,
            "changed since main: verified residual review \u{2192} unacceptable (control `loss_alarm` changed)".into()
        )),
        "{risk_lenses:#?}"
    );
    // A generated threat's change stands on its element.
    let (line, column) = pos(&system, "f_read", 0);
    assert!(
        system_lenses
            .iter()
            .any(|(l, c, title)| (*l, *c) == (line, column)
                && title.contains(
                    "wireless_jamming@f_read verified residual review \u{2192} unacceptable"
                )),
        "{system_lenses:#?}"
    );
    let (line, column) = pos(&risk, "loss_alarm", 0);
    assert!(
        risk_lenses
            .iter()
            .any(|(l, c, title)| (*l, *c) == (line, column)
                && title.starts_with("changed since main: status verified \u{2192} proposed")),
        "{risk_lenses:#?}"
    );
    let (line, column) = pos(&system, "f_cmd", 0);
    assert!(
        system_lenses
            .iter()
            .any(|(l, c, title)| (*l, *c) == (line, column)
                && title.starts_with("new since main: ")
                && title.ends_with(" new threat(s)")),
        "{system_lenses:#?}"
    );
    let text = hover(&client, "risk.ward", pos(&risk, "loss_alarm", 1));
    assert!(
        text.contains("**Since main**\n- status verified \u{2192} proposed"),
        "{text}"
    );
    let text = hover(&client, "risk.ward", pos(&risk, "ble_jam", 1));
    assert!(
        text.contains("**Since main**\n- verified residual review \u{2192} unacceptable (control `loss_alarm` changed: status verified -> proposed"),
        "{text}"
    );
    // Undo in the editor: no change since main, no lens.
    client.change_full("risk.ward", &demo("risk.ward"), 3);
    client.change_full("system.ward", &demo("system.ward"), 3);
    assert_eq!(lenses(&client, "risk.ward"), vec![]);
    assert_eq!(lenses(&client, "system.ward"), vec![]);
    client.shutdown();
}

#[test]
fn a_folder_outside_git_warns_once_and_shows_no_lens() {
    let dir = demo_model(WITH_BASE, false);
    let client = start(&dir.path().join("model"));
    client.open("system.ward");
    client.open("risk.ward");
    let warning = client.wait_for("window/showMessage", |_| true);
    assert_eq!(warning["type"], 2, "a warning: {warning}");
    let message = warning["message"].as_str().unwrap();
    assert!(
        message.contains("[diff] base = \"main\"")
            && message.contains("not inside a git repository"),
        "{message}"
    );
    assert_eq!(lenses(&client, "system.ward"), vec![]);
    // Read again on save: still failing, but not shown again.
    client.wait_for_server_request("workspace/codeLens/refresh");
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": client.uri("system.ward") } }),
    );
    client.wait_for_server_request("workspace/codeLens/refresh");
    assert_eq!(client.count("window/showMessage"), 0, "one warning only");
    assert_eq!(lenses(&client, "system.ward"), vec![]);
    client.shutdown();
}

#[test]
fn no_diff_table_means_no_lens_and_no_git() {
    let repo = demo_model("files = [\"*.ward\"]\n", true);
    let client = start(&repo.path().join("model"));
    client.open("system.ward");
    let edited = demo("system.ward").replace("trust: hostile", "trust: untrusted");
    client.change_full("system.ward", &edited, 2);
    assert_eq!(
        lenses(&client, "system.ward"),
        Vec::<(u32, u32, String)>::new()
    );
    assert_eq!(client.count("window/showMessage"), 0);
    client.shutdown();
}
