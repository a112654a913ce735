// Checks a packed MCP bundle as Claude Desktop would use it: unpacks it with
// the official CLI, validates its manifest, derives the command, arguments
// and environment with the CLI's own getMcpConfigForManifest (user_config
// filled in, the token with a made-up value), starts the binary and asks it
// for tools/list over stdio. Listing tools calls no HubSpot, so no network
// and no real token are needed.
//
//   node .ci/mcpb/check.mjs dist/hubspot-conversations-mcp_…_linux_amd64.mcpb
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getMcpConfigForManifest } from "@anthropic-ai/mcpb";

const here = path.dirname(fileURLToPath(import.meta.url));
const mcpb = path.join(here, "node_modules", ".bin", "mcpb");
const bundle = process.argv[2];
if (!bundle) {
  console.error("usage: node .ci/mcpb/check.mjs BUNDLE.mcpb");
  process.exit(2);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcpb-check-"));
execFileSync(mcpb, ["unpack", bundle, dir], { stdio: ["ignore", "inherit", "inherit"] });
execFileSync(mcpb, ["validate", path.join(dir, "manifest.json")], { stdio: ["ignore", "inherit", "inherit"] });
const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));

const userConfig = { hubspot_access_token: "pat-na1-00000000-0000-0000-0000-000000000000" };
const config = await getMcpConfigForManifest({
  manifest,
  extensionPath: dir,
  systemDirs: { HOME: os.homedir(), DATA: dir, DOCUMENTS: dir, DOWNLOADS: dir, DESKTOP: dir },
  userConfig,
  pathSeparator: path.sep,
});
if (!config) {
  console.error("check.mjs: the manifest gives no MCP configuration for these user settings");
  process.exit(1);
}
for (const [k, v] of Object.entries(config.env ?? {})) {
  if (v.includes("${")) {
    console.error(`check.mjs: ${k} is left as ${v}: every user_config value needs a default or a required answer`);
    process.exit(1);
  }
}
const child = spawn(config.command, config.args ?? [], {
  env: { PATH: process.env.PATH, HOME: os.homedir(), ...config.env },
  stdio: ["pipe", "pipe", "inherit"],
});
const timer = setTimeout(() => {
  console.error("check.mjs: no tools/list answer within 20 s");
  child.kill();
  process.exit(1);
}, 20_000);

let buffer = "";
const send = (msg) => child.stdin.write(JSON.stringify(msg) + "\n");
child.stdout.on("data", (chunk) => {
  buffer += chunk;
  let nl;
  while ((nl = buffer.indexOf("\n")) >= 0) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    const msg = JSON.parse(line);
    if (msg.id === 1) {
      send({ jsonrpc: "2.0", method: "notifications/initialized" });
      send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    } else if (msg.id === 2) {
      clearTimeout(timer);
      const names = (msg.result?.tools ?? []).map((t) => t.name);
      child.kill();
      if (!names.includes("list_threads") || !names.includes("send_message")) {
        console.error(`check.mjs: tools/list answered ${JSON.stringify(msg)}`);
        process.exit(1);
      }
      console.log(`${path.basename(bundle)}: ${manifest.name} ${manifest.version}, ${config.command.slice(dir.length + 1)} answers tools/list with ${names.length} tools`);
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    }
  }
});
child.on("exit", (code) => {
  if (code !== null && code !== 0) {
    console.error(`check.mjs: the server exited with status ${code}`);
    process.exit(1);
  }
});
send({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "mcpb-check", version: "1" } },
});
