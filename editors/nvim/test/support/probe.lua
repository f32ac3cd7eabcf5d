-- Run inside Neovim by nvim.test.js after ward.lua: waits for the server to
-- attach to the current buffer, asks for a hover, and writes what it saw as
-- JSON to $WARD_PROBE_OUT.
local out = { notifications = _G.ward_notifications or {} }

local function clients(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  return vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
end

local bufnr = vim.api.nvim_get_current_buf()
out.filetype = vim.bo[bufnr].filetype
out.commentstring = vim.bo[bufnr].commentstring
out.attached = vim.wait(tonumber(os.getenv("WARD_PROBE_WAIT_MS") or "10000"), function()
  return #clients(bufnr) > 0 and clients(bufnr)[1].initialized ~= false
end, 20)

local client = clients(bufnr)[1]
if client then
  out.name = client.name
  out.root_dir = client.config.root_dir
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = 0, character = 0 } }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/hover", params, 5000) or {}
  for _, response in pairs(responses) do
    if response.result then
      out.hover = response.result.contents.value
    end
  end
  local hover_map = vim.fn.maparg("K", "n", false, true)
  out.hover_keymap_buffer_local = hover_map.buffer == 1
  local rename_map = vim.fn.maparg("grn", "n", false, true)
  out.rename_keymap_buffer_local = rename_map.buffer == 1
end
out.notifications = _G.ward_notifications or {}

local file = assert(io.open(os.getenv("WARD_PROBE_OUT"), "w"))
file:write(vim.json.encode(out))
file:close()
