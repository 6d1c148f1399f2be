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
  var DEBOUNCE_MS = 120;
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
    '.panel[hidden],.chips[hidden],.more[hidden]{display:none}',
    '.status{padding:2px 14px 6px;color:var(--mu);font-size:13px}',
    '.status.err{color:#b91c1c}',
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
    'mark{background:var(--mk);color:inherit;border-radius:2px;padding:0 1px}',
    '.more{display:block;margin:6px auto 2px;border:0;background:none;color:var(--a);font:inherit;font-size:13px;cursor:pointer}',
    '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}'
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
      'aria-controls': 'chaja-list', 'aria-label': '블로그 글 검색', autocomplete: 'off',
      spellcheck: 'false', enterkeyhint: 'search', placeholder: opt.placeholder || '블로그 검색'
    });
    var clearBtn = el('button', { type: 'button', class: 'clear', 'aria-label': '검색어 지우기', hidden: '' }, ['×']);
    var icon = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    icon.setAttribute('width', '16'); icon.setAttribute('height', '16'); icon.setAttribute('viewBox', '0 0 24 24');
    icon.setAttribute('aria-hidden', 'true');
    var path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('d', 'M10 2a8 8 0 015.3 14l6.4 6.3-1.4 1.4-6.3-6.4A8 8 0 1110 2zm0 2a6 6 0 100 12 6 6 0 000-12z');
    path.setAttribute('fill', 'currentColor');
    icon.append(path);
    var status = el('div', { class: 'status', id: 'chaja-status' });
    var chips = el('div', { class: 'chips', role: 'group', 'aria-label': '태그로 좁히기', hidden: '' });
    var list = el('ul', { role: 'listbox', id: 'chaja-list', 'aria-label': '검색 결과' });
    var more = el('button', { type: 'button', class: 'more', hidden: '' }, ['결과 더 보기']);
    var panel = el('div', { class: 'panel', hidden: '' }, [status, chips, list, more]);
    var live = el('div', { class: 'sr', role: 'status', 'aria-live': 'polite' });
    root.append(el('style', null, [CSS]), el('div', { class: 'box' }, [icon, input, clearBtn]), panel, live);

    var state = { q: '', tags: [], hits: [], active: -1, next: '', total: 0, asked: '' };
    var seq = 0;            // id of the newest request; older answers are dropped
    var controller = null;  // aborts the request in flight when a newer one starts
    var timer = 0;
    var cache = new Map();  // url -> response, the last 30
    var compose = null;     // {start, end, before, data} while an IME composition is open

    // The text to search for. During an IME composition only the committed text and the
    // syllables the IME has finished are used: the last character of the composition
    // (a lone jamo, or a syllable that may still take or lose a final consonant:
    // 돜 → 도+커) is left out. Chrome's Korean IME composes one syllable at a time, so
    // this is the text before it; IMEs that compose a whole word give their complete
    // leading syllables.
    function queryText() {
      var v = input.value;
      if (!compose) return v;
      var d = compose.data;
      if (v.substr(compose.start, d.length) === d) {
        return v.slice(0, compose.start) + Array.from(d).slice(0, -1).join('') + v.slice(compose.start + d.length);
      }
      return compose.before.slice(0, compose.start) + compose.before.slice(compose.end);
    }

    function setOpen(open) {
      panel.hidden = !open;
      input.setAttribute('aria-expanded', open ? 'true' : 'false');
      if (!open) setActive(-1);
    }
    function setActive(i) {
      var items = list.children;
      if (state.active >= 0 && items[state.active]) items[state.active].setAttribute('aria-selected', 'false');
      state.active = i;
      if (i >= 0 && items[i]) {
        items[i].setAttribute('aria-selected', 'true');
        input.setAttribute('aria-activedescendant', items[i].id);
        items[i].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }
    function setStatus(text, isError) {
      status.textContent = text;
      status.className = isError ? 'status err' : 'status';
    }

    function schedule(delay) {
      clearTimeout(timer);
      timer = setTimeout(function () { search(false); }, delay);
    }

    function searchUrl(q, pageToken) {
      var p = [['q', q], ['limit', limit], ['facet', 'tag'], ['facet_limit', FACET_LIMIT]];
      state.tags.forEach(function (t) { p.push(['tag', t]); });
      if (pageToken) p.push(['page_token', pageToken]);
      return api + '/v1/sites/' + encodeURIComponent(site) + '/search?' + qs(p);
    }

    function search(append) {
      clearTimeout(timer);
      var q = queryText().trim();
      state.q = q;
      if (!append) {
        if (state.asked === key()) return;  // shown or on its way
        state.asked = key();
      }
      var id = ++seq;
      if (controller) controller.abort();
      controller = null;
      if (!q && !state.tags.length) {
        state.hits = []; list.textContent = ''; chips.hidden = true; more.hidden = true;
        setStatus('');
        live.textContent = '';
        setOpen(false);
        return;
      }
      var url = searchUrl(q, append ? state.next : '');
      var got = cache.get(url);
      var wait;
      if (got) {
        wait = Promise.resolve(got);
      } else {
        controller = new AbortController();
        wait = fetch(url, { signal: controller.signal, credentials: 'omit' }).then(function (r) {
          return r.json().catch(function () { return {}; }).then(function (body) {
            if (!r.ok) throw new ApiError(r.status, body.message || r.statusText);
            cache.set(url, body);
            if (cache.size > 30) cache.delete(cache.keys().next().value);
            return body;
          });
        });
      }
      if (!append && !list.children.length) setStatus('검색 중…');
      Promise.all([wait, loadSite()]).then(function (res) {
        if (id !== seq) return;  // a newer search was started meanwhile
        render(res[0], append, q);
      }, function (err) {
        if (id !== seq || err.name === 'AbortError') return;
        state.asked = '';
        state.hits = []; list.textContent = ''; chips.hidden = true; more.hidden = true;
        var msg = err instanceof ApiError
          ? (err.status < 500 ? '검색어를 처리할 수 없습니다: ' : '검색 서버 오류: ') + err.message
          : '검색 서버에 연결할 수 없습니다.';
        setStatus(msg, true);
        live.textContent = msg;
        setOpen(true);
      });
    }
    function key() { return state.q + '\u0000' + state.tags.join('\u0000'); }
    function ApiError(status, message) { this.status = status; this.message = message; this.name = 'ApiError'; }

    function render(res, append, q) {
      var hits = res.hits || [];
      state.next = res.nextPageToken || '';
      state.total = Number(res.totalHits || 0);
      if (!append) { state.hits = []; list.textContent = ''; setActive(-1); }
      hits.forEach(function (hit) {
        var i = state.hits.length;
        state.hits.push(hit);
        list.append(renderHit(hit, i));
      });
      renderChips(res.facets || []);
      more.hidden = !state.next;
      // '‘도커’ 검색 결과 8개 · 태그: Docker' — says what the list is for, also to screen readers.
      var what = (q ? '‘' + q + '’ ' : '') + '검색 결과 ';
      var text = state.total ? what + state.total.toLocaleString('ko-KR') + '개' : what + '없음';
      if (state.tags.length) text += ' · 태그: ' + state.tags.join(', ');
      setStatus(text);
      live.textContent = text;
      setOpen(true);
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
      var href = hitHref(hit);
      var a = el('a', href ? { href: href, tabindex: '-1' } : { tabindex: '-1' }, kids);
      var li = el('li', { role: 'option', id: 'chaja-opt-' + i, 'aria-selected': 'false' }, [a]);
      li.addEventListener('mousemove', function () { if (state.active !== i) setActive(i); });
      li.addEventListener('click', function (e) {
        if (e.target.closest('a') && href) {  // the link itself navigates (and keeps ctrl-click)
          if (!emitSelect(hit, href)) e.preventDefault();
          return;
        }
        choose(i);
      });
      return li;
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
        reset.addEventListener('click', function () { state.tags = []; search(false); });
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
        search(false);
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
      search(false);
    }

    // --- input, IME, keyboard ---------------------------------------------------------
    input.addEventListener('compositionstart', function (e) {
      compose = { start: input.selectionStart, end: input.selectionEnd, before: input.value, data: e.data || '' };
    });
    input.addEventListener('compositionupdate', function (e) {
      if (compose) compose.data = e.data || '';
    });
    input.addEventListener('compositionend', function () {
      compose = null;
      schedule(DEBOUNCE_MS);  // the syllable is complete: search with it
    });
    input.addEventListener('input', function (e) {
      if (!e.isComposing && compose && !/^insertComposition/.test(e.inputType || '')) compose = null;
      clearBtn.hidden = !input.value;
      schedule(DEBOUNCE_MS);
    });
    input.addEventListener('focus', function () {
      loadSite();
      if (state.hits.length || status.textContent) setOpen(true);
    });
    input.addEventListener('keydown', function (e) {
      if (e.isComposing || e.keyCode === 229) return;  // the IME's own keys (commit, convert)
      var n = list.children.length;
      var open = !panel.hidden;
      switch (e.key) {
        case 'ArrowDown':
        case 'ArrowUp':
          if (!open) { if (n || status.textContent) setOpen(true); else return; }
          else if (n) {
            var down = e.key === 'ArrowDown';
            var i = state.active;
            setActive(down ? (i + 1 >= n ? -1 : i + 1) : (i < 0 ? n - 1 : i - 1));
          }
          e.preventDefault();
          break;
        case 'Enter':
          e.preventDefault();
          if (open && state.active >= 0) choose(state.active);
          else search(false);  // no debounce wait
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
