#!/usr/bin/env node
// Browser test of the search widget (web/widget.js) and the demo page (web/demo/),
// against the real binaries: chaja-indexer indexes sample/blog.jsonl plus an article
// full of HTML/script payloads (xss_article.jsonl) into a temporary data folder,
// chaja-searchd serves it over HTTP (--http 127.0.0.1:0), and Debian's chromium,
// driven by playwright-core, types into the widget like a reader.
//
//   node widget_test.js --indexer BIN --searchd BIN --sample blog.jsonl --screenshots DIR
//
// Checks: Korean typed with real key input and through IME composition (CDP
// Input.imeSetComposition / Input.insertText, one composition per syllable as Chrome's
// Korean IME does, and a whole-word composition) shows results with <mark> inside the
// shadow root, and no request ever carries a syllable still being composed; a stale
// slow answer never replaces a newer one; a tag chip adds tag= and every result carries
// the tag; ArrowDown/ArrowUp/Enter/Esc with aria-activedescendant/aria-expanded; the
// demo page's post, calendar, tag cloud, category list; the post titled
// <img src=x onerror=alert(1)> shows as text, no dialog fires and no payload element
// exists; a page on another origin embeds the widget with one script tag (CORS), and an
// origin the site does not allow gets a readable error. Screenshots go to DIR.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { spawn, execFileSync } = require('child_process');

function arg(name) {
  const i = process.argv.indexOf('--' + name);
  if (i < 0 || i + 1 >= process.argv.length) {
    console.error(`usage: widget_test.js --indexer BIN --searchd BIN --sample FILE --screenshots DIR (missing --${name})`);
    process.exit(2);
  }
  return process.argv[i + 1];
}
const INDEXER = arg('indexer');
const SEARCHD = arg('searchd');
const SAMPLE = arg('sample');
const SHOTS = arg('screenshots');
const CHROMIUM = process.env.CHAJA_CHROMIUM || '/usr/bin/chromium';
const SITE = 'ai-tamgu';
const XSS_TITLE = '<img src=x onerror=alert(1)>';

let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  console.error('browser test: playwright-core is not installed in tests/browser; run: bash scripts/install-deps.sh');
  process.exit(1);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`browser test: ${CHROMIUM} is missing; run: bash scripts/install-deps.sh (Debian package chromium)`);
  process.exit(1);
}

// --- tiny test harness ---------------------------------------------------------------
let checks = 0;
function ok(cond, what, detail) {
  if (!cond) throw new Error(`FAILED: ${what}${detail === undefined ? '' : `\n  got: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}`);
  checks++;
  console.log(`ok ${checks} - ${what}`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > end) throw new Error(`FAILED: timed out waiting for ${what}${last === undefined ? '' : ` (last: ${JSON.stringify(last)})`}`);
    await sleep(50);
  }
}

// --- the data folder, the servers ------------------------------------------------------
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chaja-browser-'));
const data = path.join(tmp, 'data');
let searchd = null;
let searchdLog = '';
const hostServers = [];

// A page on another origin that embeds the widget with the one script tag.
function startHostPage(html) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html());
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
    hostServers.push(server);
  });
}

function startSearchd() {
  return new Promise((resolve, reject) => {
    searchd = spawn(SEARCHD, ['--data', data, '--listen', '127.0.0.1:0', '--http', '127.0.0.1:0'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => reject(new Error(`chaja-searchd did not report its http port in 30 s; log:\n${searchdLog}`)), 30000);
    const onData = (chunk) => {
      searchdLog += chunk;
      const m = /^chaja-searchd: http on (\S+):(\d+)\s*$/m.exec(searchdLog);
      if (m) { clearTimeout(timer); resolve(Number(m[2])); }
    };
    searchd.stdout.on('data', onData);
    searchd.stderr.on('data', onData);
    searchd.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`chaja-searchd exited (${code ?? signal}); log:\n${searchdLog}`));
    });
  });
}

async function stopAll() {
  for (const s of hostServers) s.close();
  if (searchd && searchd.exitCode === null && searchd.signalCode === null) {
    const exited = new Promise((r) => searchd.once('exit', r));
    searchd.kill('SIGTERM');
    const t = setTimeout(() => searchd.kill('SIGKILL'), 8000);
    await exited;
    clearTimeout(t);
  }
}

// --- helpers over the page ------------------------------------------------------------------
// Every search request the page makes: the decoded q and tag parameters.
function recordSearches(page) {
  const log = [];
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (/\/v1\/sites\/[^/]+\/search$/.test(u.pathname)) {
      log.push({ q: u.searchParams.get('q'), tags: u.searchParams.getAll('tag'), url: req.url() });
    }
  });
  return log;
}
// What the widget shows, read from inside its shadow root.
function widgetState(page) {
  return page.evaluate(() => {
    const host = document.querySelector('.chaja-search');
    const root = host && host.shadowRoot;
    if (!root) return null;
    const input = root.querySelector('input');
    const list = root.querySelector('[role=listbox]');
    const options = [...root.querySelectorAll('[role=option]')];
    return {
      value: input.value,
      expanded: input.getAttribute('aria-expanded'),
      controls: input.getAttribute('aria-controls'),
      role: input.getAttribute('role'),
      autocomplete: input.getAttribute('aria-autocomplete'),
      activedescendant: input.getAttribute('aria-activedescendant'),
      listId: list && list.id,
      listRole: list && list.getAttribute('role'),
      panelHidden: root.querySelector('.panel').hidden,
      status: root.querySelector('.status').textContent,
      live: (root.querySelector('[aria-live=polite]') || {}).textContent,
      options: options.map((o) => ({
        id: o.id,
        selected: o.getAttribute('aria-selected'),
        title: o.querySelector('.t').textContent,
        meta: o.querySelector('.m').textContent,
        tags: (o.querySelector('.g') || {}).textContent || '',
        href: (o.querySelector('a') || {}).href || '',
        marks: [...o.querySelectorAll('mark')].map((m) => m.textContent),
      })),
      chips: [...root.querySelectorAll('.chip[data-tag]')].map((c) => ({ tag: c.dataset.tag, pressed: c.getAttribute('aria-pressed') })),
    };
  });
}
// Elements anywhere (light DOM and open shadow roots) that a payload would have created.
function payloadElements(page) {
  return page.evaluate(() => {
    const found = [];
    const walk = (root) => {
      for (const e of root.querySelectorAll('*')) {
        const tag = e.tagName.toLowerCase();
        if (tag === 'img' || tag === 'iframe' || (tag === 'svg' && e.hasAttribute('onload')) ||
            (tag === 'script' && !/\/(demo|widget)\.js$/.test(e.src)) || tag === 'b' ||
            [...e.attributes].some((a) => /^on/i.test(a.name)) ||
            (e.href && /^javascript:/i.test(String(e.href)))) {
          found.push(e.outerHTML.slice(0, 120));
        }
        if (e.shadowRoot) walk(e.shadowRoot);
      }
    };
    walk(document);
    return found;
  });
}
const input = (page) => page.locator('.chaja-search input[role=combobox]');
// The widget's state once it shows the answer for q (its status line names the query).
function results(page, q, what = `results for ${q}`) {
  return until(what, async () => {
    const s = await widgetState(page);
    return s && s.value.trim() === q && s.status.startsWith(`‘${q}’ 검색 결과`) ? s : null;
  });
}
// A chip by its tag (tags may hold quotes and brackets: a CSS string literal keeps them).
const chipLocator = (page, tag) => page.locator(`.chaja-search .chip[data-tag=${JSON.stringify(tag)}]`);
// A promise awaited later must not crash the run as an unhandled rejection meanwhile.
function later(promise) { promise.catch(() => {}); return promise; }
async function clearBox(page) {
  await input(page).fill('');
  await until('the widget to close after clearing', async () => (await widgetState(page)).expanded === 'false');
}

async function main() {
  fs.mkdirSync(SHOTS, { recursive: true });

  // Host pages on other origins: one the site allows, one it does not.
  let httpPort = 0;
  const embed = () => `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>다른 출처의 블로그</title>
<style>body{font-family:serif;margin:40px;max-width:720px} input{border:5px solid red!important} mark{background:red!important}</style></head>
<body><h1>다른 출처에 있는 블로그</h1><p>아래 검색창은 스크립트 태그 한 줄로 붙였습니다.</p>
<script src="http://127.0.0.1:${httpPort}/widget.js" data-site="${SITE}" data-placeholder="다른 출처에서 검색" async></script>
<p>본문이 이어집니다.</p></body></html>`;
  const allowedHost = await startHostPage(embed);
  const deniedHost = await startHostPage(embed);
  const allowedOrigin = `http://127.0.0.1:${allowedHost.address().port}`;
  const deniedOrigin = `http://127.0.0.1:${deniedHost.address().port}`;

  // Index the sample blog and the payload article; allow the first host page's origin.
  const xssFixture = path.join(__dirname, 'xss_article.jsonl');
  execFileSync(INDEXER, ['--data', data, '--site', SITE, SAMPLE, xssFixture], { stdio: ['ignore', 'inherit', 'inherit'] });
  fs.writeFileSync(path.join(data, SITE, 'site.json'), JSON.stringify({
    displayName: 'AI 탐구노트', timeZone: 'Asia/Seoul', allowedOrigins: [allowedOrigin],
  }));
  httpPort = await startSearchd();
  const base = `http://127.0.0.1:${httpPort}`;
  console.log(`# searchd http on ${base}; host pages ${allowedOrigin} (allowed), ${deniedOrigin} (not allowed)`);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives every launch a fresh, empty user-data-dir.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
    const dialogs = [];
    const pageErrors = [];
    context.on('page', (p) => {
      p.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
      p.on('pageerror', (e) => pageErrors.push(String(e)));
    });
    // Result links point at the sample blog's real addresses; answer them locally.
    await context.route(/^https?:\/\/ai-tamgu\.example\.com\//, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>원문</title>원문' }));

    // ---------------------------------------------------------------------------------
    // 1. The demo page: a post with the widget, calendar, tag cloud, category list.
    const page = await context.newPage();
    const searches = recordSearches(page);
    await page.goto(`${base}/?post=post-028`);
    await until('the demo post title', async () => (await page.locator('h1.post-title').textContent()).includes('DeepSeek-R1'));
    await page.locator('#category-posts li').first().waitFor();
    await page.locator('#calendar table').waitFor();
    await page.locator('#tagcloud a').first().waitFor();
    const demo = await page.evaluate(() => ({
      brand: document.getElementById('brand').textContent,
      categoryHeading: document.querySelector('#category-posts h2').textContent,
      categoryPosts: [...document.querySelectorAll('#category-posts .posts li')].map((li) => li.textContent),
      prevNext: document.querySelector('.prev-next').textContent,
      calendarTitle: document.querySelector('.cal-title').textContent,
      calendarDays: [...document.querySelectorAll('.cal td a')].map((a) => a.textContent),
      cloud: [...document.querySelectorAll('#tagcloud a')].map((a) => ({ tag: a.textContent, size: parseFloat(a.style.fontSize), count: +a.dataset.count })),
      meta: document.querySelector('.post-meta').textContent,
    }));
    ok(demo.brand === 'AI 탐구노트', 'the demo header shows the site display name from site.json', demo.brand);
    ok(demo.categoryHeading === '‘AI 관련 소식’ 카테고리의 다른 글', '"other posts in this category" heading', demo.categoryHeading);
    ok(demo.categoryPosts.length === 5 && demo.categoryPosts.every((t) => /\d{4}\. \d{1,2}\. \d{1,2}\./.test(t)),
      'five other posts of the category, each with its date', demo.categoryPosts);
    ok(/이전 글/.test(demo.prevNext) && /다음 글/.test(demo.prevNext), 'previous and next post links', demo.prevNext);
    ok(demo.calendarTitle === '2025년 1월', 'the archive calendar shows the post\'s month', demo.calendarTitle);
    ok(demo.calendarDays.includes('22') && !demo.calendarDays.includes('21'),
      'the calendar counts days in Seoul (post-028 at 23:30 UTC on the 21st is on the 22nd)', demo.calendarDays);
    const big = demo.cloud.reduce((a, b) => (b.count > a.count ? b : a));
    const small = demo.cloud.reduce((a, b) => (b.count < a.count ? b : a));
    ok(demo.cloud.length >= 20 && big.size > small.size, 'the tag cloud is sized by count', { big, small, n: demo.cloud.length });
    ok(/2025년 1월 22일/.test(demo.meta), 'the post date is in the site\'s zone', demo.meta);
    const strayText = await page.evaluate(() => document.body.innerText.match(/\b(null|undefined|NaN|\[object \w+\])/g));
    ok(!strayText, 'no "null", "undefined", "NaN" or "[object …]" in the demo page text', strayText);
    await page.screenshot({ path: path.join(SHOTS, 'demo-post.png'), fullPage: true });
    // A day of the calendar lists its posts (published_from/to in Seoul time).
    await Promise.all([page.waitForURL(/\?date=2025-01-22$/), page.locator('.cal td a', { hasText: /^22$/ }).click()]);
    await until('the day\'s list', async () => (await page.locator('.list li').count()) === 1);
    const day = await page.evaluate(() => ({ h: document.querySelector('h1').textContent, post: document.querySelector('.list li').textContent }));
    ok(day.h === '2025년 1월 22일의 글' && day.post.includes('DeepSeek-R1'), 'a calendar day links to the list of that day\'s posts', day);

    // 2. Real key input: type 도커.
    // The page just navigated: the widget mounts after its script runs.
    let st = await until('the widget mounts', () => widgetState(page));
    ok(st && st.role === 'combobox' && st.autocomplete === 'list' && st.expanded === 'false' && st.listRole === 'listbox' &&
      st.controls === st.listId, 'ARIA: input role=combobox, aria-autocomplete=list, aria-controls names the listbox', st);
    await input(page).click();
    await page.keyboard.type('도커', { delay: 80 });
    st = await results(page, '도커');
    ok(st.expanded === 'true' && !st.panelHidden, 'the list opens: aria-expanded=true', st.expanded);
    ok(st.options.every((o) => o.marks.every((m) => /도커|docker/i.test(m))) && st.options.filter((o) => o.marks.length).length >= 3,
      'typed 도커: results with <mark> around the match inside the shadow root', st.options.map((o) => o.marks));
    ok(/^‘도커’ 검색 결과 \d+개$/.test(st.status) && st.live === st.status, 'the count is shown and announced in a polite live region', st.status);
    ok(st.options.every((o) => /\d{4}\. \d{1,2}\. \d{1,2}\./.test(o.meta)), 'each result shows its date (2025. 1. 22. style)', st.options.map((o) => o.meta));
    ok(searches.length > 0 && searches[searches.length - 1].q === '도커', 'the last request asked for 도커', searches.map((s) => s.q));
    await page.screenshot({ path: path.join(SHOTS, 'widget-results.png') });

    // 3. Keyboard: ArrowDown/ArrowUp move, Esc closes, Esc clears, Enter opens.
    await page.keyboard.press('ArrowDown');
    st = await widgetState(page);
    ok(st.activedescendant === st.options[0].id && st.options[0].selected === 'true', 'ArrowDown activates the first option', st.activedescendant);
    await page.keyboard.press('ArrowDown');
    st = await widgetState(page);
    ok(st.activedescendant === st.options[1].id && st.options[1].selected === 'true' && st.options[0].selected === 'false',
      'ArrowDown again moves to the second (aria-selected follows)', st.options.map((o) => o.selected));
    await page.screenshot({ path: path.join(SHOTS, 'widget-keyboard.png') });
    await page.keyboard.press('ArrowUp');
    st = await widgetState(page);
    ok(st.activedescendant === st.options[0].id, 'ArrowUp moves back', st.activedescendant);
    await page.keyboard.press('Escape');
    st = await widgetState(page);
    ok(st.expanded === 'false' && st.panelHidden && !st.activedescendant && st.value === '도커', 'Esc closes the list and keeps the text', st);
    await page.keyboard.press('ArrowDown');
    st = await widgetState(page);
    ok(st.expanded === 'true', 'ArrowDown reopens the list', st.expanded);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    st = await widgetState(page);
    ok(st.value === '' && st.expanded === 'false', 'a second Esc clears the search box', st.value);
    await page.keyboard.type('우분투', { delay: 50 });
    st = await results(page, '우분투');
    ok(st.options.some((o) => o.marks.includes('우분투')), 'results for 우분투 with <mark>', st.options.map((o) => o.marks));
    await page.keyboard.press('ArrowDown');
    const target = (await widgetState(page)).options[0].href;
    ok(/\/\?post=/.test(target), 'the demo links results to its own post page (data-link)', target);
    await Promise.all([page.waitForURL(target), page.keyboard.press('Enter')]);
    ok(page.url() === target, 'Enter opens the active result', page.url());
    await page.locator('h1.post-title').waitFor();

    // 4. A tag chip narrows the search.
    await input(page).click();
    await page.keyboard.type('도커', { delay: 50 });
    st = await results(page, '도커', 'tag chips for 도커');
    ok(st.chips.length > 0, 'the tag facet of the query shows as chips', st.chips);
    const before = searches.length;
    const chip = st.chips.find((c) => c.pressed === 'false' && c.tag !== 'Docker') || st.chips[0];
    const searchResponse = later(page.waitForResponse((r) => /\/search\?/.test(r.url()) && new URL(r.url()).searchParams.getAll('tag').includes(chip.tag)));
    await chipLocator(page, chip.tag).click();
    const narrowed = await (await searchResponse).json();
    const req = searches.slice(before).find((s) => s.tags.includes(chip.tag));
    ok(req && req.q === '도커', `clicking the chip #${chip.tag} sends tag=${chip.tag} with the same query`, searches.slice(before));
    const fold = (s) => s.normalize('NFKC').toLowerCase();
    ok(narrowed.hits.length > 0 && narrowed.hits.every((h) => h.tags.some((t) => fold(t) === fold(chip.tag))),
      'every hit of the narrowed search carries the tag', narrowed.hits.map((h) => h.tags));
    st = await until('the narrowed results', async () => {
      const s = await widgetState(page);
      return s.options.length === narrowed.hits.length && s.chips.some((c) => c.tag === chip.tag && c.pressed === 'true') ? s : null;
    });
    ok(st.options.every((o) => fold(o.tags).split(' ').includes('#' + fold(chip.tag))),
      'every shown result lists the tag', st.options.map((o) => o.tags));
    ok(st.status.includes('태그: ' + chip.tag), 'the active filter is visible', st.status);
    const focused = await page.evaluate(() => (document.querySelector('.chaja-search').shadowRoot.activeElement || {}).tagName);
    ok(focused === 'INPUT', 'focus stays in the search box after a chip click', focused);
    await page.screenshot({ path: path.join(SHOTS, 'widget-tag-filter.png') });
    // (The unfiltered answer is still in the widget's cache: there may be no request.)
    await chipLocator(page, chip.tag).click();
    st = await until('the filter removed', async () => {
      const s = await widgetState(page);
      return s.chips.every((c) => c.pressed === 'false') && /^‘도커’ 검색 결과 \d+개$/.test(s.status) ? s : null;
    });
    ok(st.options.length > narrowed.hits.length, 'clicking the pressed chip again removes the filter', st.options.length);

    // 5. IME composition, as Chrome's Korean IME reports it: each syllable is one
    // composition; typing ㅓ after 돜 commits 도 and starts 커 (the ㅋ moves on).
    // A fresh page: the widget caches answers, and 도커 must be asked again.
    await page.goto(`${base}/?post=post-001`);
    await input(page).waitFor();
    const events = [];
    await page.exposeFunction('__chajaEvent', (e) => events.push(e));
    await page.evaluate(() => {
      const i = document.querySelector('.chaja-search').shadowRoot.querySelector('input');
      for (const t of ['compositionstart', 'compositionupdate', 'compositionend', 'input']) {
        i.addEventListener(t, (e) => window.__chajaEvent(`${t}:${e.data ?? ''}:${e.isComposing ?? ''}`));
      }
    });
    const cdp = await context.newCDPSession(page);
    const compose = (text) => cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
    const commit = (text) => cdp.send('Input.insertText', { text });
    await input(page).focus();
    let mark = searches.length;
    for (const step of ['ㄷ', '도', '돜']) { await compose(step); await sleep(250); }
    await commit('도');
    await compose('커');
    await sleep(400);  // well past the debounce: a request now may only carry 도
    const whileComposing = searches.slice(mark).map((s) => s.q);
    st = await widgetState(page);
    ok(st.value === '도커', 'the box shows 도커 while 커 is still being composed', st.value);
    await commit('커');
    st = await results(page, '도커', 'results after the composition ends');
    const imeQs = searches.slice(mark).map((s) => s.q);
    ok(events.some((e) => e.startsWith('compositionend:도')) && events.some((e) => e.startsWith('compositionupdate:돜')),
      'the CDP IME emulation produced real composition events', events);
    ok(imeQs.every((q) => q === '도' || q === '도커'), 'per-syllable IME: no request carried ㄷ, 돜 or a 커 still being composed', imeQs);
    ok(whileComposing.includes('도'), 'results updated with the completed syllable while typing went on', whileComposing);
    ok(st.options.some((o) => o.marks.length), 'after compositionend the results for 도커 show <mark>', st.options.map((o) => o.marks));

    // A whole-word composition (as some IMEs do): only its complete leading syllables count.
    await clearBox(page);
    mark = searches.length;
    for (const step of ['ㅍ', '패', '팩', '패궈', '패권', '패권ㅇ', '패권으', '패권을']) { await compose(step); await sleep(200); }
    const midWord = searches.slice(mark).map((s) => s.q);
    await commit('패권을');
    st = await results(page, '패권을');
    const wordQs = searches.slice(mark).map((s) => s.q);
    ok(wordQs.every((q) => ['패', '패권', '패권을'].includes(q)),
      'whole-word IME: requests carry only complete leading syllables (never ㅍ, 팩, 패궈, 패권ㅇ)', wordQs);
    ok(midWord.includes('패권'), 'results updated mid-composition with the completed syllables', midWord);
    ok(st.options.some((o) => o.marks.some((m) => m.includes('패권'))), '패권을 finds 패권 with <mark>', st.options.map((o) => o.marks));

    // 6. A slow answer for an older query never replaces a newer one.
    await clearBox(page);
    const answers = {};
    page.on('response', async (r) => {
      const u = new URL(r.url());
      if (/\/search$/.test(u.pathname)) answers[u.searchParams.get('q')] = await r.json().catch(() => null);
    });
    await page.route(/\/search\?/, async (route) => {
      const q = new URL(route.request().url()).searchParams.get('q');
      if (q === '리눅') await sleep(1200);
      await route.continue().catch(() => {});  // aborted by the widget meanwhile: nothing to continue
    });
    mark = searches.length;
    await input(page).pressSequentially('리눅', { delay: 20 });
    await sleep(400);  // the 리눅 request is in flight now, held back 1.2 s
    await page.keyboard.type('스', { delay: 20 });
    await sleep(1800);  // past the moment the held-back answer would have come
    st = await results(page, '리눅스');
    const slowQs = searches.slice(mark).map((s) => s.q);
    ok(slowQs.includes('리눅') && slowQs[slowQs.length - 1] === '리눅스', 'a request for 리눅 was held back, then 리눅스 was asked', slowQs);
    ok(answers['리눅스'] && st.value === '리눅스' &&
      JSON.stringify(st.options.map((o) => o.title)) === JSON.stringify(answers['리눅스'].hits.map((h) => h.title)),
    'the results shown are the answer for 리눅스, not the late one for 리눅', { shown: st.options.map((o) => o.title), late: !!answers['리눅'] });
    await page.unroute(/\/search\?/);

    // More than one page: '결과 더 보기' continues with the response's page token.
    await clearBox(page);
    await page.keyboard.type('LLM', { delay: 30 });
    st = await results(page, 'LLM');
    const firstPage = st.options.length;
    mark = searches.length;
    await page.locator('.chaja-search button.more').click();
    st = await until('the second page appended', async () => {
      const s = await widgetState(page);
      return s.options.length > firstPage ? s : null;
    });
    ok(firstPage === 8 && searches.slice(mark).some((s) => s.url.includes('page_token=')) &&
      new Set(st.options.map((o) => o.title)).size === st.options.length,
    '결과 더 보기 appends the next page (page_token), no duplicates', { firstPage, now: st.options.length });

    // ---------------------------------------------------------------------------------
    // 7. The post titled <img src=x onerror=alert(1)>: text, never markup.
    const xss = await context.newPage();
    await xss.goto(`${base}/?post=xss-001`);
    await until('the payload post', async () => (await xss.locator('h1.post-title').count()) === 1);
    await xss.locator('#tagcloud a').first().waitFor();
    await xss.locator('#calendar table').waitFor();
    const shown = await xss.evaluate(() => ({
      title: document.querySelector('h1.post-title').textContent,
      category: document.querySelector('.post-category').textContent,
      tags: [...document.querySelectorAll('.post-tags a')].map((a) => a.textContent),
      body: document.querySelector('.post-body').textContent,
      meta: document.querySelector('.post-meta').textContent,
      cloud: [...document.querySelectorAll('#tagcloud a')].map((a) => a.textContent),
      docTitle: document.title,
    }));
    ok(shown.title === XSS_TITLE, 'the title shows as literal text', shown.title);
    ok(shown.category === '<svg onload=alert(4)>' && shown.tags.includes('#<script>alert(5)</script>') &&
      shown.tags.includes('#"><img src=x onerror=alert(6)>'), 'category and tags show as literal text', shown);
    ok(shown.body.includes("<script>alert('body')</script>") && shown.body.includes('<iframe src=javascript:alert(7)></iframe>') &&
      shown.meta.includes('<b onclick=alert(8)>해커</b>'), 'body and author show as literal text', shown.body.slice(0, 80));
    ok(!/원문/.test(shown.meta), 'the javascript: url is not linked', shown.meta);
    ok(shown.cloud.includes('<script>alert(5)</script>'), 'the tag cloud shows the payload tag as text', shown.cloud);
    const stray = await xss.evaluate(() => document.body.innerText.match(/\b(null|undefined|NaN|\[object \w+\])/g));
    ok(!stray, 'no "null", "undefined", "NaN" or "[object …]" leaks into the page text', stray);
    // The widget on the same page: a query that matches inside the payload title.
    await xss.locator('.chaja-search input').click();
    await xss.keyboard.type('onerror', { delay: 30 });
    const xssHit = (await results(xss, 'onerror')).options.find((o) => o.title === XSS_TITLE);
    ok(xssHit, 'the payload post is among the results for onerror', xssHit);
    ok(xssHit.marks.includes('onerror') && xssHit.title === XSS_TITLE, 'the widget shows the payload title as text with <mark>onerror</mark>', xssHit);
    await xss.keyboard.press('Escape');
    await xss.keyboard.press('Escape');
    await xss.keyboard.type('도커 컨테이너', { delay: 30 });
    st = await results(xss, '도커 컨테이너');
    ok(st.options.some((o) => o.title === XSS_TITLE), 'the payload post is among the results for 도커 컨테이너', st.options.map((o) => o.title));
    const snippet = await xss.evaluate(() => [...document.querySelector('.chaja-search').shadowRoot.querySelectorAll('[role=option]')]
      .map((o) => o.textContent).find((t) => t.includes('onerror=alert(1)')));
    ok(/<script>alert\('body'\)<\/script>|<b onmouseover=alert\(2\)>|&lt;img|<img src=x onerror=alert\(3\)>/.test(snippet || ''),
      'the snippet shows the body\'s markup as text', snippet);
    await xss.screenshot({ path: path.join(SHOTS, 'demo-xss-post.png') });
    await sleep(500);
    const payloads = await payloadElements(xss);
    ok(payloads.length === 0, 'no <img>, <iframe>, <b>, foreign <script>, on* attribute or javascript: link exists (light DOM and shadow roots)', payloads);
    ok(dialogs.length === 0, 'no alert/dialog fired', dialogs);

    // ---------------------------------------------------------------------------------
    // 8. Another origin embeds the widget with one script tag (CORS).
    const other = await context.newPage();
    const otherSearches = recordSearches(other);
    const corsResponse = later(other.waitForResponse((r) => /\/search\?/.test(r.url())));
    await other.goto(`${allowedOrigin}/`);
    await other.locator('.chaja-search input').click();
    await other.keyboard.type('도커', { delay: 60 });
    st = await results(other, '도커', 'results on the other origin');
    ok(st.options.some((o) => o.marks.length), 'the other origin\'s widget shows <mark>ed results', st.options.map((o) => o.marks));
    const cors = await corsResponse;
    ok(otherSearches.every((s) => s.url.startsWith(base + '/v1/')), 'the widget calls the API where widget.js came from', otherSearches.map((s) => s.url));
    ok(cors.headers()['access-control-allow-origin'] === allowedOrigin, 'searchd allowed the host page\'s origin (CORS)', cors.headers());
    ok(st.options.length > 0 && st.options.every((o) => (o.title === XSS_TITLE ? o.href === '' : o.href.startsWith('https://ai-tamgu.example.com/'))),
      'cross-origin results link to the articles\' own urls; the javascript: url gets no link', st.options.map((o) => o.href));
    const hostStyle = await other.evaluate(() => {
      const root = document.querySelector('.chaja-search').shadowRoot;
      return { input: getComputedStyle(root.querySelector('input')).borderTopWidth, mark: getComputedStyle(root.querySelector('mark')).backgroundColor };
    });
    ok(hostStyle.input === '0px' && hostStyle.mark !== 'rgb(255, 0, 0)', 'the host page\'s input and mark styles do not reach the widget', hostStyle);
    await other.screenshot({ path: path.join(SHOTS, 'cross-origin-embed.png') });

    const denied = await context.newPage();
    await denied.goto(`${deniedOrigin}/`);
    await denied.locator('.chaja-search input').click();
    await denied.keyboard.type('도커', { delay: 40 });
    st = await until('a readable error on a disallowed origin', async () => {
      const s = await widgetState(denied);
      return s.value === '도커' && /검색/.test(s.status) && s.status !== '검색 중…' ? s : null;
    });
    ok(st.options.length === 0 && /연결할 수 없습니다|오류/.test(st.status), 'an origin the site does not allow gets no results and a readable error', st.status);

    ok(dialogs.length === 0, 'no dialog fired anywhere in the run', dialogs);
    ok(pageErrors.length === 0, 'no uncaught page errors', pageErrors);
    console.log(`# screenshots in ${SHOTS}`);
  } finally {
    await browser.close();
  }
}

main().then(async () => {
  await stopAll();
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`browser test: all ${checks} checks passed`);
}, async (e) => {
  console.error(e && e.stack ? e.stack : e);
  await stopAll().catch(() => {});
  console.error(`--- chaja-searchd log ---\n${searchdLog}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
});
