// page_browser.js - opens pages in headless Chromium (Debian's chromium,
// driven by playwright-core) and checks what a reader gets:
//
//   node page_browser.js OUTDIR PAGE.html...
//
// For each page: at 1280 px and at 390 px wide, a screenshot (OUTDIR/
// NAME-1280.png, -390.png, checked not blank by the caller) and, at 390 px,
// no horizontal scrolling; a PDF print (OUTDIR/NAME.pdf, pages counted by
// the caller) and the number of day headings; no request leaves the page
// (the browser is offline and every request is logged) and nothing is
// refused by the page's Content-Security-Policy; axe-core finds no
// accessibility violation (WCAG 2 A and AA rules).  Prints one JSON line
// per page; exits 1 on a problem.
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function main() {
  const [outdir, ...pages] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  let failed = false;
  for (const file of pages) {
    const name = path.basename(file, '.html');
    const url = 'file://' + path.resolve(file);
    const result = { page: file, problems: [] };
    const fail = (what) => { result.problems.push(what); failed = true; };
    // what a reader sees: the policy in force, the network off
    const context = await browser.newContext({ offline: true });
    const requests = [];
    context.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused/i.test(m.text())) fail('CSP: ' + m.text());
    });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(url, { waitUntil: 'load' });
      await page.screenshot({ path: path.join(outdir, `${name}-${width}.png`), fullPage: width === 390 });
      const sizes = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
        copy: [...document.querySelectorAll('button[data-copy]')].every((b) => !b.hidden),
        days: document.querySelectorAll('section.day h2').length,
      }));
      if (sizes.scroll > sizes.client) fail(`horizontal scrolling at ${width} px: ${sizes.scroll} > ${sizes.client}`);
      if (!sizes.copy) fail('the script did not unhide the copy buttons');
      result.days = sizes.days;
    }
    await page.pdf({ path: path.join(outdir, `${name}.pdf`), preferCSSPageSize: true });
    if (requests.length) fail('requests: ' + requests.join(' '));
    await context.close();
    // axe-core, injected past the policy into a copy of the page's context
    const axeContext = await browser.newContext({ bypassCSP: true, offline: true });
    const axePage = await axeContext.newPage();
    await axePage.setViewportSize({ width: 1280, height: 900 });
    await axePage.goto(url);
    await axePage.addScriptTag({ content: AXE });
    const axe = await axePage.evaluate(async () => {
      const r = await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      });
      return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')})`);
    });
    for (const v of axe) fail('axe ' + v);
    await axeContext.close();
    console.log(JSON.stringify(result));
  }
  await browser.close();
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });
