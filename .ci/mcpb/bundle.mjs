// Builds one MCP bundle (.mcpb) per OS and architecture from goreleaser's
// binaries, and the release's server.json with each bundle's SHA-256.
//
//   node .ci/mcpb/bundle.mjs dist
//
// It reads dist/artifacts.json and dist/metadata.json (goreleaser's), packs
// mcpb/manifest.json with each binary through the official CLI
// (`mcpb pack`, pinned in .ci/mcpb/package.json), appends the bundles to
// dist/checksums.txt when goreleaser wrote one, and writes dist/server.json
// from ./server.json: the release's version, the OCI image's tag, and one
// mcpb package per bundle built, at the repository's release URL.
// platform_overrides keys on the OS only, so each bundle holds one binary
// and names its OS in compatibility.platforms; the file name names the
// architecture.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const dist = path.resolve(process.argv[2] ?? "dist");
const mcpb = path.join(here, "node_modules", ".bin", "mcpb");
const repo = "https://github.com/hubspot-conversations-mcp/hubspot-conversations-mcp";
const mcpbOS = { darwin: "darwin", windows: "win32", linux: "linux" };

const readJSON = (p) => JSON.parse(fs.readFileSync(p, "utf8"));
const sha256 = (p) => createHash("sha256").update(fs.readFileSync(p)).digest("hex");

const { version, project_name: project } = readJSON(path.join(dist, "metadata.json"));
const binaries = readJSON(path.join(dist, "artifacts.json")).filter((a) => a.type === "Binary");
if (binaries.length === 0) {
  console.error(`bundle.mjs: no binaries in ${dist}/artifacts.json; run goreleaser first`);
  process.exit(1);
}

const template = readJSON(path.join(root, "mcpb", "manifest.json"));
const bundles = [];
for (const bin of binaries) {
  const os = mcpbOS[bin.goos];
  if (!os) {
    console.error(`bundle.mjs: no MCP bundle platform for ${bin.goos}`);
    process.exit(1);
  }
  const stage = path.join(dist, "mcpb", `${bin.goos}_${bin.goarch}`);
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(path.join(stage, "server"), { recursive: true });
  const exe = path.basename(bin.path);
  fs.copyFileSync(path.resolve(root, bin.path), path.join(stage, "server", exe));
  fs.chmodSync(path.join(stage, "server", exe), 0o755);
  const manifest = structuredClone(template);
  manifest.version = version;
  manifest.server.entry_point = `server/${exe}`;
  manifest.compatibility = { ...manifest.compatibility, platforms: [os] };
  fs.writeFileSync(path.join(stage, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  const file = `${project}_${version}_${bin.goos}_${bin.goarch}.mcpb`;
  const out = path.join(dist, file);
  execFileSync(mcpb, ["pack", stage, out], { stdio: ["ignore", "inherit", "inherit"] });
  bundles.push({ file, out, goos: bin.goos, goarch: bin.goarch, sha: sha256(out) });
}
bundles.sort((a, b) => a.file.localeCompare(b.file));

const checksums = path.join(dist, "checksums.txt");
if (fs.existsSync(checksums)) {
  fs.appendFileSync(checksums, bundles.map((b) => `${b.sha}  ${b.file}\n`).join(""));
}

const server = readJSON(path.join(root, "server.json"));
const oci = server.packages.filter((p) => p.registryType === "oci");
const model = server.packages.find((p) => p.registryType === "mcpb");
server.version = version;
for (const p of oci) {
  p.identifier = p.identifier.replace(/:[^:/]+$/, `:${version}`);
}
server.packages = [
  ...oci,
  ...bundles.map((b) => ({
    ...model,
    identifier: `${repo}/releases/download/v${version}/${b.file}`,
    fileSha256: b.sha,
  })),
];
fs.writeFileSync(path.join(dist, "server.json"), JSON.stringify(server, null, 2) + "\n");
for (const b of bundles) {
  console.log(`${b.file}  sha256 ${b.sha}`);
}
console.log(`server.json: version ${version}, ${bundles.length} bundle(s), ${oci.length} image(s)`);
