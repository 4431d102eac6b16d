// Walks the crm-sync console in headless Chromium, as a newcomer would: ConsoleBrowserIT runs it with
// node walk.mjs <base url> <admin token> <user id> <dead-lettered entry id>; exit 0 when every step held.
import { chromium } from "playwright-core";

const [base, token, userId, deadEntry] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const step = (name) => console.log("step: " + name);
try {
  // a laptop's window: every table must fit it without scrolling sideways
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  step("open /console");
  await page.goto(base + "/console");
  step("streams show with their group");
  await page.locator("#streams tbody tr", { hasText: "crm:sync:user:user_created" }).first().waitFor();
  step("each stream shows its lag and throughput over the last minutes as two small charts");
  const userStream = page.locator("#streams tbody tr", { hasText: "crm:sync:user:user_created" }).first();
  await userStream.locator("svg.chart").nth(1).waitFor();
  step("the user's processing record shows, processed");
  const record = page.locator("#records tbody tr", { hasText: userId }).first();
  await record.waitFor();
  if (!(await record.textContent()).includes("processed")) throw new Error("record not processed");
  step("read-only: dead letters are locked and a document asks for the token");
  await page.locator("#deadletters-locked").waitFor({ state: "visible" });
  await record.locator("button").click();
  await page.locator("#document", { hasText: "enter the admin token" }).waitFor();
  step("routes and mapping files show their validation state");
  await page.locator("#files tbody tr", { hasText: "users.mapping.yaml" }).first().waitFor();
  await page.locator("#routes tbody tr", { hasText: "user-streams" }).first().waitFor();
  step("a source that is not configured shows as off, not as a failure");
  const kafka = page.locator("#routes tbody tr", { hasText: "cdc-kafka" }).first();
  await kafka.waitFor();
  const kafkaStatus = kafka.locator("td").nth(1);
  if ((await kafkaStatus.textContent()) !== "off (not configured)" || (await kafkaStatus.getAttribute("class")) === "bad") {
    throw new Error("cdc-kafka shows as " + (await kafkaStatus.textContent()));
  }
  step("enter the admin token");
  await page.fill("#token", token);
  await page.click("#token-form button");
  await page.locator("#mode", { hasText: "admin" }).waitFor();
  step("the document the record wrote shows");
  await record.locator("button").click();
  await page.locator("#document", { hasText: userId + "@example.com" }).waitFor();
  step("the dead letter shows with its reason, inspect and replay");
  const dead = page.locator("#deadletters tbody tr", { hasText: deadEntry }).first();
  await dead.waitFor();
  if (!(await dead.textContent()).includes("invalid-json")) throw new Error("dead letter without its reason");
  await dead.locator("button", { hasText: "inspect" }).click();
  await page.locator("#deadletter", { hasText: "\"reason\": \"invalid-json\"" }).waitFor();
  await dead.locator("button", { hasText: "replay" }).click();
  await page.locator("#deadletter", { hasText: "\"replayed\": 1" }).waitFor();
  step("every table fits the 1,280 px window, nothing cut off or scrolled sideways");
  const overflowing = await page.evaluate(() => [...document.querySelectorAll("table")]
    .filter((t) => t.offsetParent !== null && t.scrollWidth > t.parentElement.clientWidth + 1).map((t) => t.id)
    .concat(document.documentElement.scrollWidth > window.innerWidth ? ["page"] : []));
  if (overflowing.length) throw new Error("wider than the window: " + overflowing.join(", "));
  await page.screenshot({ path: process.env.SCREENSHOT || "console.png", fullPage: true });
  step("done");
} catch (e) {
  console.error("FAILED: " + e.message);
  process.exitCode = 1;
} finally {
  await browser.close();
}
