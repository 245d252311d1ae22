// bidi_order.js - how headless Chromium (Debian's chromium, driven by
// playwright-core) lays out text in a page, left to right or right to left:
//
//   node bidi_order.js PAGE.html ltr:TEXT|rtl:TEXT...
//
// For each TEXT, every occurrence in the page's text must show its
// characters (those not blank) one after the other from left to right
// (ltr:) or from right to left (rtl:), measured with Range.getClientRects()
// on the laid-out page, at 1280 px.  A TEXT not found is a problem too.
// Prints the problems; exits 1 when there is one.
const path = require('path');
const { chromium } = require('playwright-core');

async function main() {
  const [file, ...wants] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
  const problems = await page.evaluate((wants) => {
    const out = [];
    // the page's text nodes, joined, with where each character is
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const chars = [];
    for (let n; (n = walker.nextNode());)
      for (let i = 0; i < n.data.length; i++) chars.push([n, i]);
    const all = chars.map(([n, i]) => n.data[i]).join('');
    const x = (k) => {
      const r = document.createRange();
      r.setStart(chars[k][0], chars[k][1]);
      r.setEnd(chars[k][0], chars[k][1] + 1);
      const rect = r.getClientRects()[0];
      return rect ? rect.left + rect.width / 2 : null;
    };
    for (const want of wants) {
      const dir = want.slice(0, 3), text = want.slice(4);
      let at = all.indexOf(text);
      if (at < 0) out.push(`${want}: not on the page`);
      for (; at >= 0; at = all.indexOf(text, at + 1)) {
        const xs = [];
        for (let k = at; k < at + text.length; k++)
          if (all[k].trim() && /[\p{L}\p{N}\p{P}\p{S}]/u.test(all[k])) xs.push(x(k));
        const ok = xs.every((v, i) => i === 0 ||
          (dir === 'ltr' ? v > xs[i - 1] : v < xs[i - 1]));
        if (!ok) out.push(`${want}: laid out ${dir === 'ltr' ? 'right to left' : 'left to right'} (${xs.map(Math.round).join(' ')})`);
      }
    }
    return out;
  }, wants);
  await browser.close();
  for (const p of problems) console.log(p);
  process.exit(problems.length ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });
