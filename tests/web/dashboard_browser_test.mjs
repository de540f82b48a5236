// The dashboard in a real browser: starts ikv-server (demo data) on a fresh
// data directory and drives headless Chromium (puppeteer-core, Debian's
// /usr/bin/chromium, never a downloaded browser) through it:
//   sign in; switch language and see the Finnish and Swedish names; add a
//   member as a coordinator and see it in the roster; the 403 on another
//   network's form; a change made through the API appears without a reload;
//   the trends CSV download; a meeting recorded as held with the keyboard
//   alone; axe-core (WCAG 2.1 A and AA rules) finds no violation on any
//   screen in any language; no request leaves the origin and the CSP refuses
//   nothing; a screenshot of every screen in each language is saved under
//   ARTEFACT_DIR and checked non-empty.
//
// Usage: node dashboard_browser_test.mjs IKV_SERVER NODE_MODULES ARTEFACT_DIR
// Exit 77 (skipped) only when /usr/bin/chromium is absent.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const CHROMIUM = "/usr/bin/chromium";
const ADMIN = "dashboard-admin-5f0c2e8a9b7d4c3e1f2a6b8c0d9e7f1a";
const LANGS = ["fi", "sv", "en"];
const [server, modules, artefacts] = process.argv.slice(2);
if (!server || !modules || !artefacts) {
  console.error("usage: dashboard_browser_test.mjs IKV_SERVER NODE_MODULES ARTEFACT_DIR");
  process.exit(2);
}
if (!fs.existsSync(CHROMIUM)) {
  console.log(`SKIP: ${CHROMIUM} is not installed (tools/setup.sh --test installs it)`);
  process.exit(77);
}
const require = createRequire(path.join(path.resolve(modules), "/"));
const puppeteer = require("puppeteer-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

let failures = 0;
let passed = 0;
function check(cond, what) {
  if (cond) {
    passed += 1;
    console.log(`ok   ${what}`);
  } else {
    failures += 1;
    console.log(`FAIL ${what}`);
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ikv-dashboard-"));
fs.rmSync(artefacts, { recursive: true, force: true });
fs.mkdirSync(artefacts, { recursive: true });
const downloads = path.join(tmp, "downloads");
fs.mkdirSync(downloads);

// --- the server -------------------------------------------------------------
const portFile = path.join(tmp, "port");
const log = fs.openSync(path.join(artefacts, "server.log"), "w");
const proc = spawn(server, ["--data", path.join(tmp, "data"), "--listen", "127.0.0.1:0", "--port-file", portFile, "--threads", "2"], {
  env: { PATH: "/usr/bin:/bin", IKV_ADMIN_TOKEN: ADMIN },
  stdio: ["ignore", log, log],
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let port = 0;
for (let i = 0; i < 300 && !port; i += 1) {
  try {
    const text = fs.readFileSync(portFile, "utf8");
    if (text.endsWith("\n")) port = Number(text);
  } catch {
    await sleep(100);
  }
}
if (!port) {
  console.log("FAIL ikv-server did not start");
  proc.kill("SIGKILL");
  process.exit(1);
}
const base = `http://127.0.0.1:${port}`;

async function api(method, p, body, token = ADMIN) {
  const res = await fetch(base + p, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

let browser;
try {
  const coordinator = (await api("POST", "/v1/tokens", { name: "coord-south-karelia", role: "coordinator", networks: ["south-karelia"] })).body.token;
  const analyst = (await api("POST", "/v1/tokens", { name: "analyst-one", role: "analyst" })).body.token;
  const auditor = (await api("POST", "/v1/tokens", { name: "auditor-one", role: "auditor" })).body.token;
  check(coordinator && analyst && auditor, "tokens issued for a coordinator, an analyst and an auditor");
  // A meeting of the coordinator's network to record as held.
  const scheduled = await api("POST", "/v1/networks/south-karelia/meetings", { scheduled_for: "2026-03-18", format: "hybrid", location: "Lappeenranta" }, coordinator);
  const meetingId = scheduled.body.meeting_id;
  check(scheduled.status === 201, "a meeting scheduled for the keyboard test");

  // A professional asks to join through the public directory (no token).
  const asked = await fetch(`${base}/v1/join-requests`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ network: "south-karelia", name: "Joonas Pyytäjä", email: "joonas.pyytaja@example.fi", organisation: "Lappeenrannan seurakunta", sector: "parish", message: "Haluaisin liittyä verkostoon." }),
  });
  check(asked.status === 202, `a join request without a token is received (${asked.status})`);

  // Accept-Language chooses the problem's language; a 422 lists every invalid field.
  const bad = await fetch(`${base}/v1/networks/turku/members`, {
    method: "POST",
    headers: { Authorization: `Bearer ${ADMIN}`, "Content-Type": "application/json", "Accept-Language": "fi" },
    body: JSON.stringify({ name: "X", email: "no-address", organisation: "O", sector: "astronauts", joined_on: "2024-01-01" }),
  });
  const problem = await bad.json();
  check(bad.status === 422 && problem.title === "Virheellisiä tietoja" && bad.headers.get("content-language") === "fi", `a Finnish problem title for Accept-Language: fi (${problem.title})`);
  check(JSON.stringify((problem.errors || []).map((e) => e.field)) === JSON.stringify(["/email", "/sector"]), `the 422 lists both the e-mail and the sector (${JSON.stringify(problem.errors)})`);
  const csvSv = await fetch(`${base}/v1/reports/trends?from=2024-01-01&to=2024-12-31`, { headers: { Authorization: `Bearer ${ADMIN}`, Accept: "text/csv", "Accept-Language": "sv" } });
  check((await csvSv.text()).startsWith("period,nätverk,mått,kod,antal"), "Swedish CSV column headers for Accept-Language: sv");

  // --- the browser ----------------------------------------------------------
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: path.join(tmp, "profile"),
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions", "--force-color-profile=srgb", "--lang=en-GB"],
    env: { ...process.env, HOME: tmp },
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const cdp = await page.createCDPSession();
  await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads });
  const foreign = [];
  const cspViolations = [];
  const pageErrors = [];
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(base) && !u.startsWith("data:") && !u.startsWith("blob:")) foreign.push(u);
  });
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) cspViolations.push(m.text());
  });
  page.on("pageerror", (e) => pageErrors.push(String(e)));

  const settle = async () => {
    await page.waitForNetworkIdle({ idleTime: 300, timeout: 15000, concurrency: 1 }).catch(() => {});
    await page.waitForFunction(() => !document.querySelector(".loading"), { timeout: 15000 }).catch(() => {});
  };
  const axeRun = async (name) => {
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      // Open every <details> so that tables behind "show as a table" are checked too.
      document.querySelectorAll("details").forEach((d) => (d.open = true));
      const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
      document.querySelectorAll("details").forEach((d) => (d.open = false));
      return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")})`);
    });
    check(result.length === 0, `axe WCAG 2.1 AA: no violation on ${name}${result.length ? `\n       ${result.join("\n       ")}` : ""}`);
  };
  const shoot = async (name) => {
    const file = path.join(artefacts, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    const size = fs.statSync(file).size;
    check(size > 10000, `screenshot ${name}.png (${size} bytes)`);
  };
  const go = async (hash) => {
    await page.evaluate((hh) => {
      location.hash = hh;
    }, hash);
    await settle();
  };
  const text = () => page.evaluate(() => document.body.innerText);
  const setLang = async (l) => {
    await page.click(`button[data-lang="${l}"]`);
    await settle();
  };

  // 1. Sign-in screen, in each language.
  for (const l of LANGS) {
    await page.goto(`${base}/?lang=${l}`, { waitUntil: "networkidle2" });
    check((await page.evaluate(() => document.documentElement.lang)) === l, `<html lang> is ${l} from ?lang=`);
    check((await page.$$("input[type=password]")).length === 1, `one password input on the sign-in form (${l})`);
    await axeRun(`sign-in (${l})`);
    await shoot(`signin-${l}`);
  }
  await page.goto(`${base}/?lang=en`, { waitUntil: "networkidle2" });
  await page.type("#token", "not-a-token");
  await page.click("#sign-in");
  await page.waitForSelector(".problem");
  check((await text()).includes("(401)"), "a bad token gets the 401 explained");

  // 2. Sign in as admin: every screen, in each language.
  await page.evaluate(() => {
    document.querySelector("#token").value = "";
  });
  await page.type("#token", ADMIN);
  await page.click("#sign-in");
  await page.waitForSelector(".cards");
  await settle();
  check((await page.evaluate(() => sessionStorage.getItem("ikv.token"))) === ADMIN, "the token is kept in sessionStorage");
  check((await text()).includes("South Karelia"), "the overview shows the English network names");
  await setLang("fi");
  check((await page.evaluate(() => document.documentElement.lang)) === "fi", "<html lang> follows the switch to Finnish");
  check((await text()).includes("Etelä-Karjala") && (await text()).includes("Kotipaikka"), "Finnish names and labels after the switch");
  await setLang("sv");
  check((await text()).includes("Södra Karelen") && (await text()).includes("Säte"), "Swedish names and labels after the switch");
  check(new URL(page.url()).searchParams.get("lang") === "sv", "the choice is in the address (?lang=sv)");
  const screens = [
    ["overview", "#/"],
    ["network-roster", "#/networks/south-karelia/roster"],
    ["network-meetings", "#/networks/south-karelia/meetings"],
    ["network-observations", "#/networks/south-karelia/observations"],
    ["network-training", "#/networks/south-karelia/training"],
    ["network-wishes", "#/networks/south-karelia/wishes"],
    ["network-join-requests", "#/networks/south-karelia/join_requests"],
    ["network-history", "#/networks/south-karelia/history"],
    ["form-member", "#/networks/south-karelia/forms/member"],
    ["form-meeting", "#/networks/south-karelia/forms/meeting"],
    ["form-observation", "#/networks/south-karelia/forms/observation"],
    ["form-training", "#/networks/south-karelia/forms/training"],
    ["form-wish", "#/networks/south-karelia/forms/wish"],
    ["meeting", `#/meetings/${meetingId}`],
    ["calendar", "#/calendar"],
    ["trends", "#/trends"],
    ["audit", "#/audit"],
    ["tokens", "#/tokens"],
  ];
  for (const l of LANGS) {
    await setLang(l);
    for (const [name, hash] of screens) {
      await go(hash);
      await axeRun(`${name} (${l})`);
      await shoot(`${name}-${l}`);
    }
  }
  for (const l of LANGS) {
    await page.goto(`${base}/accessibility?lang=${l}`, { waitUntil: "networkidle2" });
    const body = await text();
    const heading = { fi: "Saavutettavuusseloste", sv: "Tillgänglighetsutlåtande", en: "Accessibility statement" }[l];
    check(body.includes(heading), `the accessibility statement in ${l}`);
    await axeRun(`accessibility statement (${l})`);
    await shoot(`accessibility-${l}`);
  }

  // 3. A change made through the API appears without a reload.
  await page.goto(`${base}/?lang=en#/`, { waitUntil: "networkidle2" });
  await page.waitForFunction(() => document.getElementById("live-state")?.textContent?.includes("Live"), { timeout: 15000 }).catch(() => {});
  const marker = await page.evaluate(() => {
    window.__notReloaded = true;
    return document.querySelector(".cards a[href='#/networks/tampere']")?.closest(".card")?.querySelector(".member-count")?.textContent;
  });
  const joined = await api("POST", "/v1/networks/tampere/members", { name: "Live Update", email: "live.update@example.fi", organisation: "City of Tampere", sector: "wellbeing_services_county", joined_on: "2026-01-10" });
  check(joined.status === 201, "a member added through the API");
  const seen = await page
    .waitForFunction((before) => {
      const now = document.querySelector(".cards a[href='#/networks/tampere']")?.closest(".card")?.querySelector(".member-count")?.textContent;
      return now && now !== before;
    }, { timeout: 20000 }, marker)
    .then(() => true)
    .catch(() => false);
  check(seen && (await page.evaluate(() => window.__notReloaded === true)), `the overview shows the new member count without a reload (was ${marker})`);

  // 4. The trends CSV download.
  await go("#/trends");
  await page.click("#csv-download");
  let csvFile = null;
  for (let i = 0; i < 100 && !csvFile; i += 1) {
    csvFile = fs.readdirSync(downloads).find((f) => f.endsWith(".csv"));
    if (!csvFile) await sleep(100);
  }
  const csv = csvFile ? fs.readFileSync(path.join(downloads, csvFile), "utf8") : "";
  check(csv.split("\n").length > 2 && /south-karelia/.test(csv), `the trends CSV was downloaded (${csvFile}, ${csv.length} bytes)`);
  if (csvFile) fs.copyFileSync(path.join(downloads, csvFile), path.join(artefacts, "trends.csv"));

  // 5. Sign out; sign in as the coordinator of South Karelia.
  await page.click("#sign-out");
  await page.waitForSelector("#token");
  check((await page.evaluate(() => sessionStorage.getItem("ikv.token"))) === null, "sign-out forgets the token");
  await page.type("#token", coordinator);
  await page.click("#sign-in");
  await page.waitForSelector(".cards");
  await settle();
  check(!(await text()).includes("Tokens") && !(await text()).includes("Audit"), "a coordinator is not offered tokens or audit");
  await go("#/networks/south-karelia/forms/member");
  await page.type("input[name=name]", "Sanna Esimerkki");
  await page.type("input[name=email]", "sanna.esimerkki@example.fi");
  await page.type("input[name=organisation]", "Etelä-Karjalan sosiaalipalvelut");
  await page.select("select[name=sector]", "wellbeing_services_county");
  await page.click("form button[type=submit]");
  await page.waitForSelector(".form-status .ok", { timeout: 10000 }).catch(() => {});
  check((await text()).includes("Sanna Esimerkki was added"), "the coordinator added a member");
  await go("#/networks/south-karelia/roster");
  let found = false;
  for (let i = 0; i < 5 && !found; i += 1) {
    found = (await text()).includes("sanna.esimerkki@example.fi");
    if (!found) {
      const next = await page.$("nav.pager button:last-of-type:not([disabled])");
      if (!next) break;
      await next.click();
      await settle();
    }
  }
  check(found, "the new member is in the roster, with the e-mail in clear for the coordinator");
  // The join request: seen in clear by the network's coordinator, approved.
  await go("#/networks/south-karelia/join_requests");
  check((await text()).includes("joonas.pyytaja@example.fi"), "the coordinator sees the join request with the e-mail in clear");
  const approve = await page.$$("section button:not(.secondary)");
  check(approve.length === 1, `one pending request offers Approve (${approve.length})`);
  if (approve.length) {
    await approve[0].click();
    await page.waitForSelector("section .form-status .ok", { timeout: 10000 }).catch(() => {});
  }
  const answered = await api("GET", "/v1/networks/south-karelia/join-requests");
  const request = (answered.body.items || []).find((r) => r.organisation === "Lappeenrannan seurakunta");
  check(request && request.status === "approved" && request.member_id, `the request was approved and became a member (${request && request.status})`);
  const roster = await api("GET", "/v1/networks/south-karelia/members?limit=200");
  const member = (roster.body.items || []).find((m) => request && m.member_id === request.member_id);
  check(member && member.email === "joonas.pyytaja@example.fi" && member.sector === "parish", "the approved requester is in the roster with the request's details");
  // A wish of the network, recorded through its form and listed in its tab.
  await go("#/networks/south-karelia/forms/wish");
  await page.select("select[name=kind]", "joint_meeting");
  await page.type("textarea[name=text]", "Yhteinen kokous Pohjanmaan verkoston kanssa");
  await page.click("form button[type=submit]");
  await page.waitForSelector(".form-status .ok", { timeout: 10000 }).catch(() => {});
  await go("#/networks/south-karelia/wishes");
  check((await text()).includes("Yhteinen kokous Pohjanmaan verkoston kanssa") && (await text()).includes("Joint meetings"), "the coordinator's wish is listed with its kind");
  // Every invalid field marked at once (browser-side checks).
  await go("#/networks/south-karelia/forms/member");
  await page.type("input[name=email]", "not-an-address");
  await page.click("form button[type=submit]");
  await page.waitForSelector(".field-error:not([hidden])");
  const marked = await page.$$eval("[aria-invalid=true]", (els) => els.map((e) => e.getAttribute("name")));
  check(["name", "email", "organisation", "sector"].every((n) => marked.includes(n)), `every invalid field is marked (${marked.join(", ")})`);
  // Another network's form: the registry refuses with 403, explained.
  await go("#/networks/turku/forms/member");
  check((await text()).includes("403"), "another network's form warns that the token does not cover it");
  await page.type("input[name=name]", "Not Allowed");
  await page.type("input[name=email]", "not.allowed@example.fi");
  await page.type("input[name=organisation]", "Somewhere");
  await page.select("select[name=sector]", "police");
  await page.click("form button[type=submit]");
  await page.waitForSelector(".form-status .problem", { timeout: 10000 }).catch(() => {});
  const refused = await page.$eval(".form-status", (e) => e.textContent).catch(() => "");
  check(/\(403\)/.test(refused) && /Forbidden/.test(refused), `another network's form gets the 403 (${refused.slice(0, 120)})`);

  // 6. Record the meeting as held with the keyboard alone.
  await go(`#/meetings/${meetingId}`);
  await page.evaluate(() => document.getElementById("page-title")?.focus());
  const focusName = () => page.evaluate(() => document.activeElement?.getAttribute("name") || document.activeElement?.tagName);
  let steps = 0;
  while ((await focusName()) !== "held_on" && steps < 40) {
    await page.keyboard.press("Tab");
    steps += 1;
  }
  check((await focusName()) === "held_on", `Tab reaches the held-on date (${steps} presses)`);
  // Dates are typed in the page's language (en: dd/mm/yyyy), not the browser's.
  const heldOn = await page.evaluate(() => document.activeElement?.value);
  check(heldOn === "18/03/2026", `the held-on date is shown in the page's language (${heldOn})`);
  await page.keyboard.press("Tab");
  check((await focusName()) === "attendee_count", "Tab moves to the number of attendees");
  await page.keyboard.type("14");
  await page.keyboard.press("Tab");
  check((await focusName()) === "themes", "Tab moves to the first theme");
  await page.keyboard.press("Space");
  while ((await focusName()) !== "BUTTON" && steps < 80) {
    await page.keyboard.press("Tab");
    steps += 1;
  }
  const visibleFocus = await page.evaluate(() => {
    const el = document.activeElement;
    const s = el ? getComputedStyle(el) : null;
    return s ? s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 : false;
  });
  check(visibleFocus, "the focused submit button has a visible outline");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.getElementById("meeting-status")?.textContent?.includes("Held"), { timeout: 10000 }).catch(() => {});
  const held = await api("GET", `/v1/meetings/${meetingId}`);
  check(held.body.status === "held" && held.body.attendee_count === 14 && held.body.themes.length === 1, "the meeting was recorded as held with 14 attendees and one theme, by keyboard");
  await shoot("meeting-held-en");

  check(foreign.length === 0, `no request leaves the origin${foreign.length ? `: ${foreign.slice(0, 3).join(", ")}` : ""}`);
  check(cspViolations.length === 0, `the Content-Security-Policy refused nothing${cspViolations.length ? `: ${cspViolations[0]}` : ""}`);
  check(pageErrors.length === 0, `no script error${pageErrors.length ? `: ${pageErrors.slice(0, 3).join(" | ")}` : ""}`);
} catch (err) {
  failures += 1;
  console.log(`FAIL ${err && err.stack ? err.stack : err}`);
} finally {
  if (browser) await browser.close().catch(() => {});
  proc.kill("SIGTERM");
  await new Promise((r) => {
    const t = setTimeout(() => {
      proc.kill("SIGKILL");
      r();
    }, 20000);
    proc.on("exit", () => {
      clearTimeout(t);
      r();
    });
  });
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failures} failed; screenshots in ${artefacts}`);
process.exit(failures ? 1 : 0);
