/*! Chaja (찾아) search widget — one script tag, no dependencies.
 *
 *   <script src="http://HOST:PORT/widget.js" data-site="blog" async></script>
 *
 * Options (attributes of that script tag):
 *   data-site         the site to search (required)
 *   data-target       CSS selector of the element to mount in (default: right after the script)
 *   data-placeholder  the search box's placeholder text
 *   data-limit        results per page (default 8, at most 50)
 *   data-link         link template for results, e.g. "/?post={id}" (default: the article's url)
 *   data-api          API base URL (default: where widget.js was loaded from)
 *   data-suggest      suggestions under the box, at most this many (default 6, at most 20;
 *                     0 turns them off)
 *   data-timeout      milliseconds a search may take before the reader is told the
 *                     server does not answer (default 15000)
 *
 * While the reader types (also while an IME is still composing a syllable) the widget
 * asks with typing=true: the server reads the last word as possibly incomplete and never
 * fails on syntax, and an error answer to such a request is not shown. Enter (or choosing
 * a suggestion or a "did you mean") searches the text as written and shows errors, in
 * Korean.
 *
 * The widget lives in a Shadow DOM with its own styles. Article text is only ever
 * inserted as text nodes: the server's highlighted fields are split on their literal
 * <mark> markers, never parsed as HTML. Theme with CSS custom properties on the host
 * page: --chaja-accent, --chaja-bg, --chaja-fg, --chaja-muted, --chaja-mark.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script || !script.hasAttribute('data-site')) {
    // Fallback (e.g. a loader that injected us): the first widget tag not yet mounted.
    script = Array.prototype.find.call(document.querySelectorAll('script[data-site]'), function (s) {
      return /\/widget\.js(\?|#|$)/.test(s.src) && !s.hasAttribute('data-chaja-mounted');
    });
  }
  if (!script) return;
  script.setAttribute('data-chaja-mounted', '');

  var opt = script.dataset;
  var site = opt.site || '';
  var api = (opt.api || new URL('.', script.src || location.href).href).replace(/\/+$/, '');
  var limit = Math.min(Math.max(parseInt(opt.limit, 10) || 8, 1), 50);
  var suggestLimit = Math.min(Math.max(parseInt(opt.suggest, 10), 0), 20);
  if (isNaN(suggestLimit)) suggestLimit = 6;
  var DEBOUNCE_MS = 120;
  var TIMEOUT_MS = Math.max(parseInt(opt.timeout, 10) || 15000, 100);
  var FACET_LIMIT = 8;

  var CSS = [
    ':host{all:initial;display:block;position:relative;font:15px/1.45 system-ui,-apple-system,"Apple SD Gothic Neo","Malgun Gothic","Noto Sans KR",sans-serif;',
    '--a:var(--chaja-accent,#2563eb);--bg:var(--chaja-bg,#fff);--fg:var(--chaja-fg,#1f2937);--mu:var(--chaja-muted,#6b7280);--mk:var(--chaja-mark,#fde68a);color:var(--fg)}',
    '*{box-sizing:border-box}',
    '.box{display:flex;align-items:center;gap:6px;border:1px solid #d1d5db;border-radius:10px;background:var(--bg);padding:0 10px}',
    '.box:focus-within{border-color:var(--a);box-shadow:0 0 0 3px color-mix(in srgb,var(--a) 25%,transparent)}',
    '.box svg{flex:none;color:var(--mu)}',
    'input{flex:1;min-width:0;border:0;outline:0;background:transparent;color:inherit;font:inherit;padding:9px 0}',
    'input::-webkit-search-cancel-button{display:none}',
    '.clear{border:0;background:none;color:var(--mu);font:inherit;font-size:18px;line-height:1;cursor:pointer;padding:2px 4px}',
    '.panel{position:absolute;z-index:2147483000;left:0;right:0;top:calc(100% + 6px);background:var(--bg);border:1px solid #e5e7eb;border-radius:10px;',
    'box-shadow:0 12px 32px rgba(0,0,0,.14);max-height:min(70vh,560px);overflow:auto;padding:8px 0;min-width:280px}',
    '.panel[hidden],.chips[hidden],.more[hidden],.sug[hidden],.hint[hidden]{display:none}',
    '.status{padding:2px 14px 6px;color:var(--mu);font-size:13px}',
    '.status.err{color:#b91c1c}',
    '.sug{padding:0 0 6px;margin:0 0 6px;border-bottom:1px solid #e5e7eb}',
    '.sug li{display:flex;align-items:baseline;gap:8px;padding:5px 10px}',
    '.sug .x{flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}',
    '.sug .k{flex:none;font-size:11.5px;color:var(--mu);border:1px solid #e5e7eb;border-radius:4px;padding:0 5px}',
    '.sug .n{flex:none;font-size:12px;color:var(--mu)}',
    '.cap{padding:0 14px 4px;color:var(--mu);font-size:12.5px}',
    '.hint{padding:0 14px 4px;font-size:13.5px}',
    '.hint button{border:0;background:none;color:var(--a);font:inherit;font-weight:600;padding:0 2px;cursor:pointer;text-decoration:underline}',
    '.chips{display:flex;flex-wrap:wrap;gap:6px;padding:2px 12px 8px}',
    '.chip{border:1px solid #d1d5db;border-radius:999px;background:var(--bg);color:inherit;font:inherit;font-size:12.5px;padding:2px 9px;cursor:pointer}',
    '.chip:hover{border-color:var(--a)}',
    '.chip[aria-pressed=true]{background:var(--a);border-color:var(--a);color:#fff}',
    '.chip small{opacity:.7;margin-left:3px}',
    '.chip.reset{border-style:dashed;color:var(--mu)}',
    'ul{list-style:none;margin:0;padding:0}',
    'li{margin:0 6px;border-radius:8px;cursor:pointer}',
    'li[aria-selected=true]{background:color-mix(in srgb,var(--a) 10%,var(--bg));outline:2px solid color-mix(in srgb,var(--a) 45%,transparent)}',
    'li a{display:block;padding:8px 10px;color:inherit;text-decoration:none}',
    '.t{display:block;font-weight:600;color:var(--a)}',
    '.m{display:block;font-size:12.5px;color:var(--mu);margin-top:1px}',
    '.s{display:block;font-size:13.5px;margin-top:3px;overflow-wrap:anywhere}',
    '.g{display:block;font-size:12px;color:var(--mu);margin-top:3px}',
    '.v{display:block;font-size:12px;color:var(--mu);margin-top:3px;font-style:italic}',
    'mark{background:var(--mk);color:inherit;border-radius:2px;padding:0 1px}',
    '.more{display:block;margin:6px auto 2px;border:0;background:none;color:var(--a);font:inherit;font-size:13px;cursor:pointer}',
    '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
    // Phones (320-414 px): the panel is as wide as the box, long words and URLs wrap.
    '@media (max-width:480px){.panel{min-width:0;max-height:65vh}.t,.g,.status,.hint{overflow-wrap:anywhere}li{margin:0 4px}}'
  ].join('');

  // --- small helpers ---------------------------------------------------------------
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (kids || []).forEach(function (k) { if (k != null) e.append(k); });  // strings become text nodes
    return e;
  }
  var ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  function decodeEntities(s) {
    return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, function (m, e) {
      if (e[0] === '#') {
        var n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
      }
      return ENTITIES.hasOwnProperty(e.toLowerCase()) ? ENTITIES[e.toLowerCase()] : m;
    });
  }
  // The server's highlighted text: escaped text with literal <mark>…</mark> around
  // matches. Split on the markers and build text nodes and <mark> elements; nothing is
  // ever parsed as HTML, so a stray tag in it stays visible text.
  function highlighted(parent, s) {
    s.split(/(<mark>|<\/mark>)/).reduce(function (inMark, part) {
      if (part === '<mark>') return true;
      if (part === '</mark>') return false;
      if (part) parent.append(inMark ? el('mark', null, [decodeEntities(part)]) : decodeEntities(part));
      return inMark;
    }, false);
    return parent;
  }
  // Only http(s) links, resolved against the host page.
  function safeHref(u) {
    try {
      var url = new URL(u, location.href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '';
    } catch (e) { return ''; }
  }
  function hitHref(hit) {
    if (opt.link) return safeHref(opt.link.replace(/\{id\}/g, encodeURIComponent(hit.id || '')));
    return safeHref(hit.url || '');
  }
  function qs(params) {
    return params.map(function (p) { return encodeURIComponent(p[0]) + '=' + encodeURIComponent(p[1]); }).join('&');
  }

  // ‘패권’으로, ‘도커’로, ‘ㄷㅋ’(으)로: the particle follows the last syllable's final
  // consonant (none or ㄹ: 로, any other: 으로); after anything but a syllable, (으)로.
  function quotedRo(s) {
    var c = s.charCodeAt(s.length - 1);
    var ro = '(으)로';
    if (c >= 0xac00 && c <= 0xd7a3) ro = (c - 0xac00) % 28 === 0 || (c - 0xac00) % 28 === 8 ? '로' : '으로';
    return '‘' + s + '’' + ro;
  }
  var KINDS = {
    SUGGESTION_KIND_TITLE: '제목', SUGGESTION_KIND_TAG: '태그', SUGGESTION_KIND_CATEGORY: '카테고리', SUGGESTION_KIND_TERM: '단어',
    1: '제목', 2: '태그', 3: '카테고리', 4: '단어'
  };
  function ApiError(status, message) { this.status = status; this.message = message; this.name = 'ApiError'; }
  function TimeoutError() { this.name = 'TimeoutError'; }
  // What the reader is told when a search fails: Korean, by HTTP status. The server's own
  // message (English, for the site's owner) goes to the console only.
  function errorText(err) {
    if (err instanceof TimeoutError) return '검색 서버가 응답하지 않습니다. 잠시 후 다시 시도해 주세요.';
    if (!(err instanceof ApiError)) return '검색 서버에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.';
    var s = err.status;
    if (s === 400) return '검색어를 이해하지 못했습니다. 낱말이 들어 있는지, 따옴표(")가 닫혔는지 확인해 주세요.';
    if (s === 403) return '이 페이지에서는 검색할 수 없습니다.';
    if (s === 404) return '이 블로그의 검색 색인을 찾을 수 없습니다.';
    if (s === 429) return '검색 요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.';
    if (s === 503 || s === 504) return '검색 서버가 지금 바쁩니다. 잠시 후 다시 시도해 주세요.';
    if (s >= 500) return '검색 서버에 오류가 생겼습니다. 잠시 후 다시 시도해 주세요.';
    return '검색하지 못했습니다. 검색어를 바꿔 다시 시도해 주세요.';
  }

  var dateFormat = null;  // set from the site's time zone
  function formatDate(ts) {
    var d = new Date(ts);
    if (!ts || isNaN(d)) return '';
    return (dateFormat || makeFormat('Asia/Seoul')).format(d);
  }
  function makeFormat(tz) {
    try {
      return new Intl.DateTimeFormat('ko-KR', { timeZone: tz, year: 'numeric', month: 'numeric', day: 'numeric' });
    } catch (e) {
      return new Intl.DateTimeFormat('ko-KR', { timeZone: 'Asia/Seoul', year: 'numeric', month: 'numeric', day: 'numeric' });
    }
  }
  var siteInfo = null;
  function loadSite() {
    if (!siteInfo) {
      siteInfo = fetch(api + '/v1/sites/' + encodeURIComponent(site), { credentials: 'omit' })
        .then(function (r) { return r.ok ? r.json() : {}; })
        .catch(function () { return {}; })
        .then(function (s) { dateFormat = makeFormat(s.timeZone || 'Asia/Seoul'); return s; });
    }
    return siteInfo;
  }

  // --- the widget --------------------------------------------------------------------
  function mount() {
    var host = document.createElement('div');
    host.className = 'chaja-search';
    var target = opt.target ? document.querySelector(opt.target) : null;
    if (target) target.append(host);
    else if (script.parentNode && script.parentNode !== document.head) script.after(host);
    else document.body.prepend(host);
    build(host);
  }

  function build(host) {
    var root = host.attachShadow({ mode: 'open' });
    var input = el('input', {
      type: 'search', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
      'aria-controls': suggestLimit ? 'chaja-sug chaja-list' : 'chaja-list', 'aria-label': '블로그 글 검색',
      autocomplete: 'off', spellcheck: 'false', enterkeyhint: 'search', placeholder: opt.placeholder || '블로그 검색'
    });
    var clearBtn = el('button', { type: 'button', class: 'clear', 'aria-label': '검색어 지우기', hidden: '' }, ['×']);
    var icon = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    icon.setAttribute('width', '16'); icon.setAttribute('height', '16'); icon.setAttribute('viewBox', '0 0 24 24');
    icon.setAttribute('aria-hidden', 'true');
    var path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('d', 'M10 2a8 8 0 015.3 14l6.4 6.3-1.4 1.4-6.3-6.4A8 8 0 1110 2zm0 2a6 6 0 100 12 6 6 0 000-12z');
    path.setAttribute('fill', 'currentColor');
    icon.append(path);
    // Suggestions first (right under the box), then "did you mean", the status line, the
    // tag chips and the results. The arrow keys go through the suggestions, then the results.
    var sugCaption = el('div', { class: 'cap', hidden: '' });
    var sugList = el('ul', { role: 'listbox', id: 'chaja-sug', 'aria-label': '추천 검색어' });
    var sugBox = el('div', { class: 'sug', hidden: '' }, [sugCaption, sugList]);
    var hint = el('div', { class: 'hint', hidden: '' });
    var status = el('div', { class: 'status', id: 'chaja-status' });
    var chips = el('div', { class: 'chips', role: 'group', 'aria-label': '태그로 좁히기', hidden: '' });
    var list = el('ul', { role: 'listbox', id: 'chaja-list', 'aria-label': '검색 결과' });
    var more = el('button', { type: 'button', class: 'more', hidden: '' }, ['결과 더 보기']);
    var panel = el('div', { class: 'panel', hidden: '' }, [sugBox, hint, status, chips, list, more]);
    var live = el('div', { class: 'sr', role: 'status', 'aria-live': 'polite' });
    root.append(el('style', null, [CSS]), el('div', { class: 'box' }, [icon, input, clearBtn]), panel, live);

    var LOADING = '검색 중…';
    var state = {
      q: '', typing: false, tags: [], hits: [], active: -1, next: '', total: 0, asked: '',
      sugs: [], suggested: ''  // the suggestions shown, and the prefix they were asked for
    };
    var seq = 0;            // id of the newest search; older answers are dropped
    var controller = null;  // aborts the search in flight when a newer one starts
    var sugSeq = 0;         // the same for suggestions
    var sugController = null;
    var suggestOn = suggestLimit > 0;
    var timer = 0;
    var cache = new Map();     // url -> response, the last 30
    var sugCache = new Map();  // the same for suggestions

    function setOpen(open) {
      panel.hidden = !open;
      input.setAttribute('aria-expanded', open ? 'true' : 'false');
      if (!open) setActive(-1);
    }
    // The options the arrow keys go through: the suggestions, then the results.
    function options() {
      return Array.prototype.slice.call(sugList.children).concat(Array.prototype.slice.call(list.children));
    }
    function setActive(i) {
      var items = options();
      items.forEach(function (item) {
        if (item.getAttribute('aria-selected') === 'true') item.setAttribute('aria-selected', 'false');
      });
      state.active = i;
      if (i >= 0 && items[i]) {
        items[i].setAttribute('aria-selected', 'true');
        input.setAttribute('aria-activedescendant', items[i].id);
        items[i].scrollIntoView({ block: 'nearest' });
      } else {
        state.active = -1;
        input.removeAttribute('aria-activedescendant');
      }
    }
    var shownStatus = ['', false];  // the last status that was not LOADING
    function setStatus(text, isError) {
      status.textContent = text;
      status.removeAttribute('data-detail');
      status.className = isError ? 'status err' : 'status';
      if (text !== LOADING) shownStatus = [text, !!isError];
    }
    function hasContent() { return !!(list.children.length || status.textContent || sugList.children.length); }

    // As the reader types: a typing search and suggestions for the box's text, once the
    // input has been quiet for the debounce delay (an IME composition change is an input).
    function schedule(delay) {
      clearTimeout(timer);
      timer = setTimeout(function () { search(false, true); suggest(); }, delay);
    }

    function searchUrl(q, typing, pageToken) {
      var p = [['q', q], ['limit', limit], ['facet', 'tag'], ['facet_limit', FACET_LIMIT]];
      state.tags.forEach(function (t) { p.push(['tag', t]); });
      if (typing) p.push(['typing', 'true']);
      if (pageToken) p.push(['page_token', pageToken]);
      return api + '/v1/sites/' + encodeURIComponent(site) + '/search?' + qs(p);
    }
    function key(q, typing) { return (typing ? 't' : 'p') + q + '\u0000' + state.tags.join('\u0000'); }

    // typing: the text is still being typed (the server reads its last word as possibly
    // incomplete and never fails on syntax; an error is not shown). Otherwise the reader
    // asked for it (Enter, a suggestion, "did you mean"): an error is shown.
    function search(append, typing) {
      clearTimeout(timer);
      var q = input.value.trim();
      if (append) {
        q = state.q;
        typing = state.typing;  // the page token belongs to the request that was shown
      } else {
        // Shown or on its way; a plain answer for the same text is as good as a typing one.
        if (state.asked === key(q, typing) || (typing && state.asked === key(q, false))) return;
        state.asked = key(q, typing);
      }
      var id = ++seq;
      if (controller) controller.abort();
      controller = null;
      if (!q && !state.tags.length) {
        state.q = q;
        state.hits = []; list.textContent = ''; chips.hidden = true; more.hidden = true; hint.hidden = true;
        setStatus('');
        live.textContent = '';
        if (!sugList.children.length) setOpen(false);
        return;
      }
      var url = searchUrl(q, typing, append ? state.next : '');
      var got = cache.get(url);
      var wait;
      if (got) {
        wait = Promise.resolve(got);
      } else {
        var ctl = controller = new AbortController();
        // A server that does not answer is said too, not a spinner forever.
        var deadline = setTimeout(function () { ctl.timedOut = true; ctl.abort(); }, TIMEOUT_MS);
        wait = fetch(url, { signal: ctl.signal, credentials: 'omit' }).then(function (r) {
          return r.json().catch(function () { return {}; }).then(function (body) {
            if (!r.ok) throw new ApiError(r.status, body.message || r.statusText);
            cache.set(url, body);
            if (cache.size > 30) cache.delete(cache.keys().next().value);
            return body;
          });
        }).catch(function (err) {
          throw ctl.timedOut ? new TimeoutError() : err;
        }).finally(function () { clearTimeout(deadline); });
      }
      if (!append && !list.children.length) setStatus(LOADING);
      Promise.all([wait, loadSite()]).then(function (res) {
        if (id !== seq) return;  // a newer search was started meanwhile
        state.q = q;
        state.typing = typing;
        render(res[0], append, q);
      }, function (err) {
        if (id !== seq || err.name === 'AbortError') return;
        state.asked = '';
        if (typing && err instanceof ApiError) {
          // Half a query may well be wrong: keep what is shown and say nothing. (A server
          // that cannot be reached at all is said below: typing on will not help.)
          if (status.textContent === LOADING) setStatus(shownStatus[0], shownStatus[1]);
          if (!hasContent()) setOpen(false);
          return;
        }
        // The server's own words (English, for the site's owner): the console and a data
        // attribute of the status line, never the text readers see.
        var detail = err instanceof ApiError ? err.status + ': ' + err.message : err.name || String(err);
        console.warn('chaja widget: search failed (' + detail + ')');
        state.hits = []; list.textContent = ''; chips.hidden = true; more.hidden = true; hint.hidden = true;
        var msg = errorText(err);
        setStatus(msg, true);
        status.setAttribute('data-detail', detail);
        live.textContent = msg;
        setOpen(true);
      });
    }

    function render(res, append, q) {
      var hits = res.hits || [];
      state.next = res.nextPageToken || '';
      state.total = Number(res.totalHits || 0);
      if (!append) {
        state.hits = []; list.textContent = ''; setActive(-1);
        renderHint(res.suggestedQuery || '', q);
      }
      hits.forEach(function (hit) {
        var i = state.hits.length;
        state.hits.push(hit);
        list.append(renderHit(hit, i));
      });
      renderChips(res.facets || []);
      more.hidden = !state.next;
      // '‘도커’ 검색 결과 8개 · 태그: Docker' — says what the list is for, also to screen
      // readers; '‘도커’로 검색한 결과 3개' when the server read the query differently (ehzj).
      var interpreted = res.interpretedQuery && res.interpretedQuery !== q ? res.interpretedQuery : '';
      var what = interpreted ? quotedRo(interpreted) + ' 검색한 결과 ' : (q ? '‘' + q + '’ ' : '') + '검색 결과 ';
      var text = state.total ? what + state.total.toLocaleString('ko-KR') + '개' : what + '없음';
      if (state.tags.length) text += ' · 태그: ' + state.tags.join(', ');
      setStatus(text);
      live.textContent = hint.hidden ? text : text + '. ' + hint.textContent;
      setOpen(true);
    }

    // "이것을 찾으셨나요? [우분투]": the correction as a button that searches it.
    function renderHint(suggested, q) {
      hint.textContent = '';
      if (suggested && suggested !== q) {
        var b = el('button', { type: 'button' }, [suggested]);
        b.addEventListener('click', function () { pick(suggested); });
        hint.append('이것을 찾으셨나요? ', b);
      }
      hint.hidden = !hint.children.length;
    }

    function renderHit(hit, i) {
      var title = highlighted(el('span', { class: 't' }), hit.titleHighlighted || '');
      if (!title.textContent) title.textContent = hit.title || hit.id || '(제목 없음)';
      var meta = [formatDate(hit.published), hit.category, hit.commentCount ? '댓글 ' + hit.commentCount : '']
        .filter(Boolean).join(' · ');
      var kids = [title, el('span', { class: 'm' }, [meta])];
      if (hit.snippet) kids.push(highlighted(el('span', { class: 's' }), hit.snippet));
      if (hit.tags && hit.tags.length) {
        kids.push(el('span', { class: 'g' }, [hit.tags.map(function (t) { return '#' + t; }).join(' ')]));
      }
      // Found through another spelling of a query word (우분투 → Ubuntu).
      var via = (hit.equivalents || []).map(function (e) { return quotedRo(e.matched || ''); });
      if (via.length) kids.push(el('span', { class: 'v' }, [via.join(', ') + ' 찾은 글']));
      var href = hitHref(hit);
      var a = el('a', href ? { href: href, tabindex: '-1' } : { tabindex: '-1' }, kids);
      var li = el('li', { role: 'option', id: 'chaja-opt-' + i, 'aria-selected': 'false' }, [a]);
      li.addEventListener('mousemove', function () { activate(li); });
      li.addEventListener('click', function (e) {
        if (e.target.closest('a') && href) {  // the link itself navigates (and keeps ctrl-click)
          if (!emitSelect(hit, href)) e.preventDefault();
          return;
        }
        choose(i);
      });
      return li;
    }
    function activate(li) {
      var i = options().indexOf(li);
      if (i >= 0 && state.active !== i) setActive(i);
    }

    // Tells the host page; it may call preventDefault() to handle the choice itself.
    function emitSelect(hit, href) {
      return host.dispatchEvent(new CustomEvent('chaja-select', {
        bubbles: true, composed: true, cancelable: true, detail: { id: hit.id, url: href }
      }));
    }
    function choose(i) {
      var hit = state.hits[i];
      if (!hit) return;
      var href = hitHref(hit);
      if (emitSelect(hit, href) && href) location.assign(href);
    }

    // --- suggestions ------------------------------------------------------------------
    function suggest() {
      var p = input.value.trim();
      if (!suggestOn || p === state.suggested) return;  // shown or on its way
      state.suggested = p;
      var id = ++sugSeq;
      if (sugController) sugController.abort();
      sugController = null;
      if (!p) { renderSuggestions({}); return; }
      var url = api + '/v1/sites/' + encodeURIComponent(site) + '/suggest?' + qs([['q', p], ['limit', suggestLimit]]);
      var got = sugCache.get(url);
      var wait;
      if (got) {
        wait = Promise.resolve(got);
      } else {
        sugController = new AbortController();
        wait = fetch(url, { signal: sugController.signal, credentials: 'omit' }).then(function (r) {
          // A server without suggestions (or without this site) will not get any better.
          if (r.status === 404 || r.status === 501) suggestOn = false;
          if (!r.ok) throw new ApiError(r.status, r.statusText);
          return r.json().then(function (body) {
            sugCache.set(url, body);
            if (sugCache.size > 30) sugCache.delete(sugCache.keys().next().value);
            return body;
          });
        });
      }
      wait.then(function (res) {
        if (id === sugSeq) renderSuggestions(res);
      }, function (err) {
        if (id !== sugSeq || err.name === 'AbortError') return;
        state.suggested = '';  // suggestions are a help: a failure only hides them
        renderSuggestions({});
      });
    }
    // No suggestions until the reader types again (after a choice, Enter, clearing).
    function hideSuggestions() {
      ++sugSeq;
      if (sugController) sugController.abort();
      sugController = null;
      state.suggested = input.value.trim();
      renderSuggestions({});
    }
    function renderSuggestions(res) {
      var sugs = (res.suggestions || []).filter(function (s) { return s && s.text; });
      state.sugs = sugs;
      sugList.textContent = '';
      setActive(-1);
      sugs.forEach(function (s, i) {
        var kind = KINDS[s.kind] || '';
        var n = Number(s.count || 0);
        // A title is one post: no count for it.
        var count = n && kind !== '제목' ? '글 ' + n.toLocaleString('ko-KR') + '개' : '';
        var li = el('li', {
          role: 'option', id: 'chaja-sug-' + i, 'aria-selected': 'false',
          'aria-label': [s.text, kind, count].filter(Boolean).join(', ')
        }, [el('span', { class: 'x' }, [s.text]), kind ? el('span', { class: 'k' }, [kind]) : null,
          count ? el('span', { class: 'n' }, [count]) : null]);
        li.addEventListener('mousemove', function () { activate(li); });
        li.addEventListener('click', function () { pick(s.text); });
        sugList.append(li);
      });
      // ehzj → '‘도커’로 읽은 추천 검색어'.
      var read = res.interpretedPrefix && sugs.length ? res.interpretedPrefix : '';
      sugCaption.textContent = read ? quotedRo(read) + ' 읽은 추천 검색어' : '';
      sugCaption.hidden = !read;
      sugBox.hidden = !sugs.length;
      if (sugs.length && root.activeElement === input) setOpen(true);
      else if (!hasContent()) setOpen(false);
    }
    // A suggestion or "did you mean" goes into the box and is searched as written.
    function pick(text) {
      input.value = text;
      clearBtn.hidden = !text;
      hideSuggestions();
      search(false, false);
      input.focus();
    }

    function renderChips(facets) {
      var tagFacet = facets.find(function (f) { return f.field === 'FACET_FIELD_TAG'; });
      var counts = (tagFacet && tagFacet.counts) || [];
      chips.textContent = '';
      // Active filters first (pressed; click to remove), then the query's most frequent tags.
      state.tags.forEach(function (t) {
        chips.append(chip(t, '', true));
      });
      counts.forEach(function (c) {
        if (state.tags.indexOf(c.value) < 0) chips.append(chip(c.value, c.count, false));
      });
      if (state.tags.length) {
        var reset = el('button', { type: 'button', class: 'chip reset' }, ['필터 해제']);
        reset.addEventListener('click', function () { state.tags = []; search(false, state.typing); });
        chips.append(reset);
      }
      chips.hidden = !chips.children.length;
    }
    function chip(tag, count, pressed) {
      var b = el('button', {
        type: 'button', class: 'chip', 'aria-pressed': String(pressed), 'data-tag': tag,
        'aria-label': pressed ? tag + ' 태그 필터 해제' : tag + ' 태그로 좁히기'
      }, ['#' + tag, count ? el('small', null, [String(count)]) : null, pressed ? ' ×' : null]);
      b.addEventListener('click', function () {
        state.tags = pressed ? state.tags.filter(function (t) { return t !== tag; }) : state.tags.concat(tag);
        search(false, state.typing);
      });
      return b;
    }
    // A mouse click on a chip or button keeps the focus (and the keyboard) in the search box.
    panel.addEventListener('mousedown', function (e) { if (e.target.closest('button,li')) e.preventDefault(); });
    more.addEventListener('click', function () { search(true); });
    clearBtn.addEventListener('click', function () { reset(); input.focus(); });

    function reset() {
      input.value = '';
      state.tags = [];
      clearBtn.hidden = true;
      hideSuggestions();
      search(false, true);
    }

    // --- input, IME, keyboard ---------------------------------------------------------
    // Every change of the text, an IME composition change included (ㄷ, 도, 돜 are input
    // events while the syllable is composed), asks again once the debounce delay passes:
    // at most one search and one suggestion request per change, with typing=true, so the
    // server reads the syllable being composed as the start of a word.
    input.addEventListener('input', function () {
      clearBtn.hidden = !input.value;
      schedule(DEBOUNCE_MS);
    });
    input.addEventListener('compositionend', function () {
      schedule(DEBOUNCE_MS);  // the syllable is committed (no request when the text is the same)
    });
    input.addEventListener('focus', function () {
      loadSite();
      if (hasContent()) setOpen(true);
    });
    input.addEventListener('keydown', function (e) {
      if (e.isComposing || e.keyCode === 229) return;  // the IME's own keys (commit, convert)
      var items = options();
      var n = items.length;
      var open = !panel.hidden;
      switch (e.key) {
        case 'ArrowDown':
        case 'ArrowUp':
          if (!open) { if (hasContent()) setOpen(true); else return; }
          else if (n) {
            var down = e.key === 'ArrowDown';
            var i = state.active;
            setActive(down ? (i + 1 >= n ? -1 : i + 1) : (i < 0 ? n - 1 : i - 1));
          }
          e.preventDefault();
          break;
        case 'Enter':
          e.preventDefault();
          var item = open && state.active >= 0 ? items[state.active] : null;
          if (item && item.parentNode === sugList) {
            pick(state.sugs[Array.prototype.indexOf.call(sugList.children, item)].text);
          } else if (item) {
            choose(Array.prototype.indexOf.call(list.children, item));
          } else {
            hideSuggestions();
            search(false, false);  // the reader asks for the text as written, no debounce wait
          }
          break;
        case 'Escape':
          e.preventDefault();
          if (open) setOpen(false);
          else reset();
          break;
        default:
      }
    });
    // Close when the focus or a click goes elsewhere on the page.
    root.addEventListener('focusout', function (e) {
      if (!e.relatedTarget || !root.contains(e.relatedTarget)) setTimeout(function () {
        if (!root.activeElement) setOpen(false);
      }, 0);
    });
    document.addEventListener('mousedown', function (e) {
      if (!e.composedPath().includes(host)) setOpen(false);
    });
  }

  if (!site) { console.warn('chaja widget: the script tag needs data-site'); return; }
  if (document.readyState === 'loading' && (opt.target || script.parentNode === document.head)) {
    document.addEventListener('DOMContentLoaded', mount);
  } else {
    mount();
  }
})();
