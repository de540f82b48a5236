// The dashboard's first meaningful paint: headless Chromium (Debian's
// /usr/bin/chromium through puppeteer-core) opens a page in a fresh browser
// context (empty cache) and measures, from the navigation's start, when the
// six networks' cards of the overview are on screen: the later of the frame
// after they enter the DOM and the page's first contentful paint. The page is either the
// dashboard of a running ikv-server (signed in before its scripts run) or the
// peer: a static HTML page with the same cards served by nginx.
//
// Usage: node first_paint.mjs NODE_MODULES URL TOKEN|- RUNS
// Prints "RESULT first_paint_ms_p50 X" (median of RUNS), "RESULT
// first_paint_ms_max Y" and "RESULT fcp_ms_p50 Z" (first contentful paint).
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const CHROMIUM = "/usr/bin/chromium";
const [modules, url, token, runsText] = process.argv.slice(2);
if (!modules || !url || !token || !runsText) {
  console.error("usage: first_paint.mjs NODE_MODULES URL TOKEN|- RUNS");
  process.exit(2);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is not installed`);
  process.exit(77);
}
const require = createRequire(path.join(path.resolve(modules), "/"));
const puppeteer = require("puppeteer-core");

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "ikv-first-paint-"));
const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  userDataDir: profile,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions"],
  env: { ...process.env, HOME: profile },
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const paints = [];
const fcps = [];
try {
  for (let i = 0; i < Number(runsText); i += 1) {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    if (token !== "-") {
      await page.evaluateOnNewDocument((t) => sessionStorage.setItem("ikv.token", t), token);
    }
    // In the page, before any of its scripts: note the moment the sixth card exists.
    await page.evaluateOnNewDocument(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelectorAll("li.card").length >= 6) {
          observer.disconnect();
          // The next frame is the one that paints them.
          requestAnimationFrame(() => { window.__cardsAt = performance.now(); });
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(url, { waitUntil: "domcontentloaded" });
    await page.waitForFunction(() => window.__cardsAt !== undefined, { timeout: 30000 });
    const at = await page.evaluate(() => window.__cardsAt);
    // Let the frame with the cards be painted before reading the paint entries.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    const fcp = await page.evaluate(
        () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1);
    // Painted: not before the frame after the cards exist, nor before the
    // page's first contentful paint.
    paints.push(Math.max(at, fcp));
    fcps.push(fcp);
    await context.close();
  }
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(`runs ${paints.map((x) => x.toFixed(1)).join(" ")}`);
console.log(`RESULT first_paint_ms_p50 ${median(paints).toFixed(1)}`);
console.log(`RESULT first_paint_ms_max ${Math.max(...paints).toFixed(1)}`);
console.log(`RESULT fcp_ms_p50 ${median(fcps).toFixed(1)}`);
