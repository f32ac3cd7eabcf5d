-- Ward support for Neovim, without nvim-lspconfig: detects `.ward` files and
-- starts the Ward language server (`ward lsp`, LSP over stdio) for them.
--
-- Load it with one of:
--   :luafile /path/to/ward/editors/nvim/ward.lua      (uses the defaults)
--   dofile("/path/to/ward/editors/nvim/ward.lua")      (in init.lua)
--   require("ward").setup({ ... })                      (copied to ~/.config/nvim/lua/ward.lua)
-- Once loaded, `require("ward").setup({ cmd = { "/path/to/ward", "lsp" } })`
-- reconfigures it. Works on Neovim 0.7 and later; 0.10+ is recommended
-- (vim.fs.root, semantic tokens, inlay hints).

local M = {}

local defaults = {
  -- The command that runs the language server.
  cmd = { "ward", "lsp" },
  -- The model root: the nearest folder with a Ward.toml, else the nearest with
  -- .git, else the file's folder (the server then reads the file alone).
  root_markers = { "Ward.toml", ".git" },
  -- Buffer-local keymaps set when the server attaches (the names of Neovim
  -- 0.11's own LSP defaults, so they feel the same on every version); false
  -- for none, or false for one of them to leave it unset.
  keymaps = {
    hover = "K",
    definition = "gd",
    references = "grr",
    rename = "grn",
    code_action = "gra",
    format = "<leader>f",
    prev_diagnostic = "[d",
    next_diagnostic = "]d",
  },
  -- Show the server's inlay hints (defaults, computed levels), Neovim 0.10+.
  inlay_hints = true,
  -- Called as on_attach(client, bufnr) after the keymaps are set.
  on_attach = nil,
}

M.config = vim.deepcopy(defaults)

local missing_reported = false
-- Neovim 0.7 has no vim.lsp.start: one client per root, started by hand.
local legacy_clients = {}

local function has_marker(dir, marker)
  return vim.loop.fs_stat(dir .. "/" .. marker) ~= nil
end

--- The folder the server should treat as the workspace root, or nil.
function M.root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local start = name ~= "" and vim.fn.fnamemodify(name, ":p:h") or vim.fn.getcwd()
  -- Markers in order of preference: a Ward.toml above a .git wins.
  for _, marker in ipairs(M.config.root_markers) do
    if vim.fs and vim.fs.root then
      local root = vim.fs.root(bufnr, marker)
      if root then
        return root
      end
    else
      local dir = start
      while true do
        if has_marker(dir, marker) then
          return dir
        end
        local parent = vim.fn.fnamemodify(dir, ":h")
        if parent == dir then
          break
        end
        dir = parent
      end
    end
  end
  return name ~= "" and start or nil
end

local function map(bufnr, lhs, rhs, desc)
  if lhs then
    vim.keymap.set("n", lhs, rhs, { buffer = bufnr, silent = true, desc = desc })
  end
end

local function format()
  if vim.lsp.buf.format then
    vim.lsp.buf.format({ async = true, name = "ward" })
  else
    vim.lsp.buf.formatting() -- Neovim 0.7
  end
end

local function goto_diagnostic(count)
  if vim.diagnostic.jump then
    vim.diagnostic.jump({ count = count, float = true })
  elseif count > 0 then
    vim.diagnostic.goto_next()
  else
    vim.diagnostic.goto_prev()
  end
end

local function on_attach(client, bufnr)
  local keys = M.config.keymaps
  if keys then
    map(bufnr, keys.hover, vim.lsp.buf.hover, "Ward: hover")
    map(bufnr, keys.definition, vim.lsp.buf.definition, "Ward: go to definition")
    map(bufnr, keys.references, vim.lsp.buf.references, "Ward: references")
    map(bufnr, keys.rename, vim.lsp.buf.rename, "Ward: rename")
    map(bufnr, keys.code_action, vim.lsp.buf.code_action, "Ward: code action")
    map(bufnr, keys.format, format, "Ward: format")
    map(bufnr, keys.prev_diagnostic, function()
      goto_diagnostic(-1)
    end, "Ward: previous diagnostic")
    map(bufnr, keys.next_diagnostic, function()
      goto_diagnostic(1)
    end, "Ward: next diagnostic")
  end
  local caps = client.server_capabilities or {}
  if M.config.inlay_hints and caps.inlayHintProvider and vim.lsp.inlay_hint then
    pcall(vim.lsp.inlay_hint.enable, true, { bufnr = bufnr })
  end
  if M.config.on_attach then
    M.config.on_attach(client, bufnr)
  end
end

--- Starts (or reuses) the Ward language server for a buffer.
function M.start(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local cmd = M.config.cmd
  if vim.fn.executable(cmd[1]) == 0 then
    if not missing_reported then
      missing_reported = true
      local message = ("Ward: the language server executable '%s' was not found. Install the ward CLI "
        .. "(cargo install --path . in the Ward repository) or pass its path: "
        .. 'require("ward").setup({ cmd = { "/path/to/ward", "lsp" } })'):format(cmd[1])
      -- Scheduled: an error raised inside the FileType autocmd would be
      -- reported as a failure of the autocmd, not as this message.
      vim.schedule(function()
        vim.notify(message, vim.log.levels.ERROR)
      end)
    end
    return nil
  end

  local root = M.root_dir(bufnr)
  local config = {
    name = "ward",
    cmd = cmd,
    root_dir = root,
    on_attach = on_attach,
  }
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end

  local key = root or ""
  local id = legacy_clients[key]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    config.workspace_folders = root and { { uri = vim.uri_from_fname(root), name = root } } or nil
    id = vim.lsp.start_client(config)
    legacy_clients[key] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

local function set_buffer_options(bufnr)
  vim.bo[bufnr].commentstring = "// %s"
  vim.bo[bufnr].comments = "s1:/*,mb:*,ex:*/,:///,://"
  vim.bo[bufnr].shiftwidth = 2
  vim.bo[bufnr].expandtab = true
end

--- Registers the `ward` filetype and the autocmd that starts the server.
function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts or {})
  missing_reported = false

  vim.filetype.add({ extension = { ward = "ward" } })
  local group = vim.api.nvim_create_augroup("ward", { clear = true })
  if vim.fn.has("nvim-0.8") == 0 then
    -- Neovim 0.7 reads vim.filetype.add only with g:do_filetype_lua set.
    vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
      group = group,
      pattern = "*.ward",
      command = "setfiletype ward",
    })
  end
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = "ward",
    callback = function(args)
      set_buffer_options(args.buf)
      M.start(args.buf)
    end,
  })
  -- Buffers already open when this file is loaded.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.api.nvim_buf_get_name(bufnr):match("%.ward$") then
      if vim.bo[bufnr].filetype == "ward" then
        set_buffer_options(bufnr)
        M.start(bufnr)
      else
        vim.api.nvim_buf_call(bufnr, function()
          vim.cmd("setfiletype ward")
        end)
      end
    end
  end
  return M
end

-- `require("ward")` returns the module for the caller to set up; `:luafile`
-- and `dofile` set it up with the defaults and make it requirable.
if ... == nil then
  package.loaded.ward = M
  M.setup()
end

return M
