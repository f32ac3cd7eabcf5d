//! End to end with Neovim as the client (headless). Debian 12 ships Neovim
//! 0.7.2, so the scripts use `vim.lsp.start_client` and
//! `vim.lsp.buf_attach_client` (no `vim.lsp.start`, no `vim.fs.root`).
//! Neovim opens a file of the demo model, attaches the server binary, waits
//! for diagnostics, asks for hover and definition, and writes what it got
//! to a JSON file that the test reads. Without `nvim` the test fails.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../../../tests/support/tools.rs"]
mod tools;

fn nvim() -> PathBuf {
    tools::require_tool("nvim", "apt-get install neovim")
}

fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/demo");
    for entry in std::fs::read_dir(source).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

/// Runs headless Neovim on `file` with a Lua script; returns the JSON the
/// script wrote to `out.json`.
fn run_nvim(dir: &Path, file: &str, script: &str) -> Value {
    let script_path = dir.join("script.lua");
    std::fs::write(&script_path, script).unwrap();
    let out = dir.join("out.json");
    let mut child = Command::new(nvim())
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-c"])
        .arg(format!("luafile {}", script_path.display()))
        .arg(dir.join(file))
        .current_dir(dir)
        .env("WARD_OUT", &out)
        .env("WARD_SERVER", env!("CARGO_BIN_EXE_ward-lsp-server"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nvim");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("nvim did not finish in time");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let text = std::fs::read_to_string(&out).unwrap_or_else(|_| {
        let mut stderr = String::new();
        use std::io::Read;
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .ok();
        panic!("nvim wrote no result; stderr: {stderr}")
    });
    let value: Value = serde_json::from_str(&text).unwrap();
    assert!(
        value.get("error").is_none(),
        "the script failed: {}",
        value["error"]
    );
    value
}

/// The Lua prelude: write a table as JSON to $WARD_OUT and quit, also on
/// errors.
const PRELUDE: &str = r#"
local out = {}
local function finish()
  local file = io.open(os.getenv("WARD_OUT"), "w")
  file:write(vim.fn.json_encode(out))
  file:close()
  vim.cmd("qa!")
end
local function guarded(body)
  local ok, err = pcall(body)
  if not ok then out.error = tostring(err) end
  finish()
end
-- Records which URIs got diagnostics, and how many, as they arrive.
out.published = {}
local publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  out.published[result.uri] = #result.diagnostics
  return publish(err, result, ctx, config)
end
"#;

#[test]
fn neovim_gets_diagnostics_hover_and_definition() {
    let dir = fixture_copy();
    let root = dir.path().canonicalize().unwrap();
    let script = format!(
        r#"{PRELUDE}
guarded(function()
  local bufnr = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({{
    name = "ward",
    cmd = {{ os.getenv("WARD_SERVER") }},
    root_dir = "{root}",
  }})
  assert(id, "start_client failed")
  assert(vim.lsp.buf_attach_client(bufnr, id), "buf_attach_client failed")
  local uri = vim.uri_from_bufnr(bufnr)
  local system_uri = vim.uri_from_fname("{root}/system.ward")
  -- risk.ward has no diagnostic of its own; system.ward (not open) has
  -- the findings about the components.
  local ok = vim.wait(30000, function()
    return out.published[uri] ~= nil and out.published[system_uri] ~= nil
  end, 50)
  assert(ok, "no diagnostics within 30 s")
  out.diagnostics_here = #vim.diagnostic.get(bufnr)
  local function at(line, character)
    return {{ textDocument = {{ uri = uri }}, position = {{ line = line, character = character }} }}
  end
  local hover = vim.lsp.buf_request_sync(bufnr, "textDocument/hover", at(1, 9), 10000)
  out.hover = hover and hover[id] and hover[id].result
  local definition = vim.lsp.buf_request_sync(bufnr, "textDocument/definition", at(3, 14), 10000)
  out.definition = definition and definition[id] and definition[id].result
  out.system_uri = system_uri
  vim.lsp.stop_client(id)
end)
"#,
        root = root.display()
    );
    let result = run_nvim(dir.path(), "risk.ward", &script);
    let system_uri = result["system_uri"].as_str().unwrap();
    assert_eq!(result["diagnostics_here"], 0);
    let findings = result["published"][system_uri].as_u64().unwrap();
    assert!(
        findings > 10,
        "findings published for system.ward: {findings}"
    );
    let hover = result["hover"]["contents"]["value"].as_str().unwrap();
    assert!(hover.starts_with("```ward\nthreat ble_jam"), "{hover}");
    assert!(hover.contains("**judged residual**: `review`"), "{hover}");
    assert_eq!(
        result["definition"]["uri"], system_uri,
        "definition across files"
    );
    assert_eq!(result["definition"]["range"]["start"]["line"], 31);
}

/// `editors/nvim/ward.lua` on the Neovim installed here: it detects the
/// filetype, starts the server and attaches it.
#[test]
fn neovim_with_the_ward_lua_plugin() {
    let dir = fixture_copy();
    let plugin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../editors/nvim/ward.lua");
    assert!(plugin.is_file(), "editors/nvim/ward.lua is missing");
    let script = format!(
        r#"{PRELUDE}
guarded(function()
  -- An argument, as `require` passes one: no set-up with the defaults.
  local ward = loadfile("{plugin}")("ward")
  ward.setup({{ cmd = {{ os.getenv("WARD_SERVER") }} }})
  vim.cmd("edit")
  local bufnr = vim.api.nvim_get_current_buf()
  out.filetype = vim.bo[bufnr].filetype
  local uri = vim.uri_from_bufnr(bufnr)
  local ok = vim.wait(30000, function() return out.published[uri] ~= nil end, 50)
  assert(ok, "no diagnostics within 30 s")
  out.diagnostics = out.published[uri]
  out.clients = #vim.lsp.buf_get_clients(bufnr)
end)
"#,
        plugin = plugin.canonicalize().unwrap().display()
    );
    let result = run_nvim(dir.path(), "system.ward", &script);
    assert_eq!(result["filetype"], "ward");
    assert_eq!(result["clients"], 1);
    assert!(result["diagnostics"].as_u64().unwrap() > 10, "{result}");
}

/// The diff lens in Neovim: with `[diff] base = "main"`, `codeLens` on a
/// file whose control was weakened since the base commit returns a lens on
/// the control.
#[test]
fn neovim_gets_the_diff_lens() {
    let dir = fixture_copy();
    let root = dir.path().canonicalize().unwrap();
    let manifest = root.join("Ward.toml");
    let toml = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, format!("{toml}[diff]\nbase = \"main\"\n")).unwrap();
    let git = tools::require_tool("git", "apt-get install git");
    let run_git = |args: &[&str]| {
        let out = Command::new(&git)
            .current_dir(&root)
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", &root)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
    };
    run_git(&["init", "-q", "-b", "main"]);
    run_git(&["add", "-A"]);
    run_git(&["commit", "-q", "-m", "base"]);
    // The working copy weakens the control.
    let risk = root.join("risk.ward");
    let text = std::fs::read_to_string(&risk).unwrap();
    std::fs::write(&risk, text.replace("status: verified", "status: proposed")).unwrap();
    let script = format!(
        r#"{PRELUDE}
guarded(function()
  local bufnr = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({{
    name = "ward",
    cmd = {{ os.getenv("WARD_SERVER") }},
    root_dir = "{root}",
  }})
  assert(id, "start_client failed")
  assert(vim.lsp.buf_attach_client(bufnr, id), "buf_attach_client failed")
  local params = {{ textDocument = {{ uri = vim.uri_from_bufnr(bufnr) }} }}
  -- The base is read off the server's loop: ask until the lenses come.
  local ok = vim.wait(30000, function()
    local response = vim.lsp.buf_request_sync(bufnr, "textDocument/codeLens", params, 10000)
    local lenses = response and response[id] and response[id].result
    if lenses and #lenses > 0 then
      out.lenses = lenses
      return true
    end
    return false
  end, 200)
  assert(ok, "no code lens within 30 s")
  vim.lsp.stop_client(id)
end)
"#,
        root = root.display()
    );
    let result = run_nvim(dir.path(), "risk.ward", &script);
    let lenses = result["lenses"].as_array().unwrap();
    let line = text[..text.find("control loss_alarm").unwrap()]
        .matches('\n')
        .count();
    assert!(
        lenses
            .iter()
            .any(|lens| lens["range"]["start"]["line"] == line
                && lens["command"]["title"]
                    .as_str()
                    .unwrap()
                    .starts_with("changed since main: status verified \u{2192} proposed")),
        "{lenses:#?}"
    );
}
