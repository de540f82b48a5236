// Builds the dashboard: generates the client types from the OpenAPI document
// (openapi-typescript), type-checks src/ against them (tsc --noEmit, so the
// client and the contract cannot drift apart), bundles src/main.ts and
// src/style.css with esbuild into content-hashed files under OUT/assets/, and
// writes OUT/index.html referring to them. Nothing in the bundle refers to
// another origin.
//
// Usage: node build.mjs --node-modules DIR --openapi docs/openapi.yaml --work DIR --out DIR
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, v, i, all) => (i % 2 === 0 ? [...acc, [v.replace(/^--/, ""), all[i + 1]]] : acc), []),
);
for (const key of ["node-modules", "openapi", "work", "out"]) {
  if (!args[key]) {
    console.error(`build.mjs: --${key} is required`);
    process.exit(2);
  }
}
const modules = path.resolve(args["node-modules"]);
const work = path.resolve(args.work);
const out = path.resolve(args.out);
const node = process.execPath;

fs.mkdirSync(work, { recursive: true });

// 1. Client types from the contract.
const typesFile = path.join(work, "openapi.d.ts");
execFileSync(node, [path.join(modules, "openapi-typescript/bin/cli.js"), path.resolve(args.openapi), "-o", typesFile],
  { stdio: ["ignore", "ignore", "inherit"] });

// 2. Type check against them.
const tsconfig = {
  compilerOptions: {
    target: "ES2022",
    module: "ES2022",
    moduleResolution: "bundler",
    lib: ["ES2022", "DOM", "DOM.Iterable"],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    noUnusedLocals: true,
    noImplicitReturns: true,
    baseUrl: here,
    paths: { "@openapi": [typesFile] },
    typeRoots: [],
  },
  include: [path.join(here, "src/**/*.ts"), typesFile],
};
const tsconfigFile = path.join(work, "tsconfig.json");
fs.writeFileSync(tsconfigFile, JSON.stringify(tsconfig, null, 2));
try {
  execFileSync(node, [path.join(modules, "typescript/bin/tsc"), "-p", tsconfigFile], { stdio: "inherit" });
} catch {
  console.error("build.mjs: the dashboard does not type-check against docs/openapi.yaml");
  process.exit(1);
}

// 3. Bundle with content-hashed names.
const require = createRequire(path.join(modules, "/"));
const esbuild = require("esbuild");
fs.rmSync(out, { recursive: true, force: true });
const result = esbuild.buildSync({
  entryPoints: [path.join(here, "src/main.ts"), path.join(here, "src/style.css")],
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2022"],
  outdir: path.join(out, "assets"),
  entryNames: "[name]-[hash]",
  assetNames: "[name]-[hash]",
  metafile: true,
  legalComments: "none",
  logLevel: "warning",
});
const outputs = Object.keys(result.metafile.outputs).map((f) => path.basename(f));
const js = outputs.find((f) => f.endsWith(".js"));
const css = outputs.find((f) => f.endsWith(".css"));
if (!js || !css) {
  console.error("build.mjs: esbuild made no script or style sheet");
  process.exit(1);
}
const template = fs.readFileSync(path.join(here, "src/index.html"), "utf8");
const html = template.replace("%SCRIPT%", `/assets/${js}`).replace("%STYLE%", `/assets/${css}`);
fs.writeFileSync(path.join(out, "index.html"), html);
for (const f of fs.readdirSync(path.join(out, "assets"))) {
  const text = fs.readFileSync(path.join(out, "assets", f), "utf8");
  if (/https?:\/\/(?!www\.w3\.org\/)/.test(text.replace(/"http:\/\/www\.w3\.org[^"]*"/g, ""))) {
    console.error(`build.mjs: ${f} refers to another origin`);
    process.exit(1);
  }
}
console.log(`dashboard: ${js}, ${css}`);
