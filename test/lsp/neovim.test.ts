// A real third-party client: headless Neovim (Debian's 0.7.2, `apt-get install neovim`) starts the
// built server over stdio (vim.lsp.start_client + buf_attach_client, real-vscode.md route C) and must
// get the cycle diagnostics and executor completion. Without nvim the test fails in CI (CI set) and is
// skipped, saying why, elsewhere.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, positionOf, SERVER } from './lsp-client';
import { Workspace } from './fixtures';

const CYCLE = readFileSync(join(__dirname, '..', 'fixtures', 'acceptance', 'a02-cycle.apflow.yaml'), 'utf8');

function nvimVersion(): string | null {
  const result = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.split('\n')[0] : null;
}

const INIT_LUA = (server: string, line: number, character: number) => `
local result = { nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) }
vim.api.nvim_create_autocmd('VimEnter', { callback = function()
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({ name = 'apflow', cmd = { 'node', ${JSON.stringify(server)}, '--stdio' }, root_dir = vim.fn.getcwd() })
  vim.lsp.buf_attach_client(buf, id)
  vim.wait(20000, function() return #vim.diagnostic.get(buf) >= 4 end, 50)
  result.diagnostics = vim.tbl_map(function(d)
    return { line = d.lnum, col = d.col, source = d.source, message = d.message, code = d.user_data and d.user_data.lsp and d.user_data.lsp.code or vim.NIL }
  end, vim.diagnostic.get(buf))
  local resp = vim.lsp.buf_request_sync(buf, 'textDocument/completion',
    { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = ${line}, character = ${character} } }, 10000) or {}
  result.completion = {}
  for _, r in pairs(resp) do for _, it in ipairs(r.result and (r.result.items or r.result) or {}) do table.insert(result.completion, it.label) end end
  local f = io.open('nvim-result.json', 'w'); f:write(vim.fn.json_encode(result)); f:close()
  vim.lsp.stop_client(id)
  vim.cmd('qa!')
end })
`;

describe('language server in Neovim (headless)', function () {
  this.timeout(60000);
  const version = nvimVersion();

  before(function () {
    if (version) return;
    if (process.env.CI) throw new Error('nvim is not installed: CI must run `apt-get install -y neovim` before the tests');
    console.log('    skipped: nvim is not installed here (apt-get install -y neovim); in CI this test fails instead');
    this.skip();
  });

  it('gets the cycle diagnostics and executor completion from the built server', () => {
    ensureBuilt();
    const ws = new Workspace();
    try {
      ws.write('flow.apflow.yaml', CYCLE);
      const at = positionOf(CYCLE, 'method: command_executor', 'method: '.length);
      ws.write('init.lua', INIT_LUA(SERVER, at.line, at.character));
      const run = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', 'init.lua', 'flow.apflow.yaml'], { cwd: ws.dir, encoding: 'utf8', timeout: 45000, env: { ...process.env, XDG_STATE_HOME: ws.dir, XDG_DATA_HOME: ws.dir } });
      assert.equal(run.status, 0, `nvim failed: ${run.stderr}${run.stdout}`);
      const result = JSON.parse(readFileSync(ws.path('nvim-result.json'), 'utf8')) as {
        nvim: string;
        diagnostics: { line: number; source: string; message: string; code: string }[];
        completion: string[];
      };
      const cycles = result.diagnostics.filter((d) => d.code === 'dependency-cycle');
      assert.deepEqual(cycles.map((d) => d.line).sort((a, b) => a - b), [10, 16, 22]);
      assert.ok(cycles.every((d) => d.source === 'apflow' && d.message.includes('fetch → store → parse → fetch')));
      for (const id of ['command_executor', 'aggregate_results_executor', 'system_info_executor', 'rest_executor']) assert.ok(result.completion.includes(id), id);
    } finally {
      ws.remove();
    }
  });
});
