// The Chaja demo blog: one post as a reader sees it, with the search widget in the
// header, "other posts in this category", related posts, the archive calendar, the tag
// cloud and the categories — every piece fetched from searchd's HTTP API. Article text
// is only ever set as text (textContent / text nodes), never parsed as HTML.
//
// Views (URL parameters): ?post=ID (default: the newest post), ?tag=T, ?category=C,
// ?date=YYYY-MM-DD, ?month=YYYY-MM; ?site=NAME picks a site (default: the first one).
(function () {
  'use strict';

  var params = new URLSearchParams(location.search);
  var main = document.getElementById('main');
  var site = params.get('site') || '';
  var zone = 'Asia/Seoul';

  // --- helpers -----------------------------------------------------------------------
  // h('a', {href: ...}, 'text', child, ...): strings become text nodes.
  function h(tag, attrs) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] != null && attrs[k] !== false) e.setAttribute(k, attrs[k]);
    });
    for (var i = 2; i < arguments.length; i++) {
      var kid = arguments[i];
      if (Array.isArray(kid)) kid.forEach(function (k) { if (k != null) e.append(k); });
      else if (kid != null) e.append(kid);
    }
    return e;
  }
  function api(path, query) {
    var q = (query || []).map(function (p) {
      return encodeURIComponent(p[0]) + '=' + encodeURIComponent(p[1]);
    }).join('&');
    return fetch('/v1/' + path + (q ? '?' + q : '')).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) {
          var err = new Error(body.message || r.statusText);
          err.status = r.status;
          throw err;
        }
        return body;
      });
    });
  }
  function sitePath(rest) { return 'sites/' + encodeURIComponent(site) + rest; }
  // An internal link: this page with other parameters (the site kept when it was chosen).
  function link(p) {
    var u = new URLSearchParams();
    if (params.get('site')) u.set('site', site);
    Object.keys(p).forEach(function (k) { u.set(k, p[k]); });
    return '/?' + u.toString();
  }
  function safeHref(u) {
    try {
      var url = new URL(u, location.href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) { return null; }
  }
  function fmt(ts, options) {
    if (!ts) return '';
    var o = Object.assign({ timeZone: zone }, options || { year: 'numeric', month: 'numeric', day: 'numeric' });
    return new Intl.DateTimeFormat('ko-KR', o).format(new Date(ts));
  }
  // Year, month, day of an instant in the site's zone.
  function ymd(ts) {
    var parts = {};
    new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric' })
      .formatToParts(new Date(ts)).forEach(function (p) { parts[p.type] = Number(p.value); });
    return [parts.year, parts.month, parts.day];
  }
  // The instant (RFC 3339, UTC) at which the day y-m-d starts in the site's zone.
  function zoneMidnight(y, m, d) {
    var guess = Date.UTC(y, m - 1, d);
    for (var i = 0; i < 2; i++) {
      var p = ymdhms(guess);
      var shown = Date.UTC(p[0], p[1] - 1, p[2], p[3], p[4], p[5]);
      guess -= shown - Date.UTC(y, m - 1, d);
    }
    return new Date(guess).toISOString().replace('.000Z', 'Z');
  }
  function ymdhms(t) {
    var parts = {};
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric'
    }).formatToParts(new Date(t)).forEach(function (p) { parts[p.type] = Number(p.value); });
    return [parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second];
  }
  // The server's highlighted text (escaped, with <mark> markers) as text nodes and <mark>s.
  function highlighted(parent, s) {
    var ent = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    var decode = function (t) {
      return t.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, function (m, e) {
        if (e[0] === '#') {
          var n = /^#x/i.test(e) ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
          return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
        }
        return ent[e.toLowerCase()] || m;
      });
    };
    var inMark = false;
    (s || '').split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === '<mark>') inMark = true;
      else if (part === '</mark>') inMark = false;
      else if (part) parent.append(inMark ? h('mark', null, decode(part)) : decode(part));
    });
    return parent;
  }
  // Readers are told in Korean; the server's own (English) message goes to the console
  // and the data-detail attribute, for the site's owner.
  function errorText(err) {
    if (err.status === 404) return '찾는 글이나 블로그가 없습니다.';
    if (err.status === 429) return '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.';
    if (err.status >= 500) return '검색 서버에 오류가 생겼습니다. 잠시 후 다시 시도해 주세요.';
    if (err.status) return '요청을 처리하지 못했습니다 (' + err.status + ').';
    return '검색 서버에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.';
  }
  function showError(where, err) {
    console.warn('chaja demo: ' + (err.status || '') + ' ' + err.message);
    where.replaceChildren(h('p', { class: 'error', role: 'alert', 'data-detail': String(err.message || '') }, errorText(err)));
  }
  function postLine(p, extra) {
    return h('li', null,
      h('a', { href: link({ post: p.id }) }, p.title || p.id),
      h('span', { class: 'meta' }, ' ' + fmt(p.published) + (p.commentCount ? ' · 댓글 ' + p.commentCount : '')),
      extra || null);
  }

  // --- the post --------------------------------------------------------------------------
  function showPost(id) {
    return api(sitePath('/articles/' + encodeURIComponent(id))).then(function (a) {
      document.title = (a.title || a.id) + ' — ' + document.title;
      var body = h('div', { class: 'post-body' });
      (a.body || '').split(/\n{2,}/).forEach(function (para) {
        if (para.trim()) body.append(h('p', null, para));
      });
      var original = safeHref(a.url || '');
      var article = h('article', { class: 'post' },
        h('header', null,
          a.category ? h('a', { class: 'post-category', href: link({ category: a.category }) }, a.category) : null,
          h('h1', { class: 'post-title' }, a.title || a.id),
          h('p', { class: 'post-meta' },
            h('time', { datetime: a.published || '' }, fmt(a.published, {
              year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit'
            })),
            a.author ? ' · ' + a.author : '',
            ' · 댓글 ' + (a.commentCount || 0),
            original ? [' · ', h('a', { href: original, rel: 'nofollow noopener' }, '원문')] : null)),
        body,
        (a.tags || []).length ? h('p', { class: 'post-tags' }, (a.tags || []).map(function (t) {
          return h('a', { class: 'tag', href: link({ tag: t }) }, '#' + t);
        })) : null);
      var categoryBox = h('section', { class: 'panel below', id: 'category-posts' });
      var relatedBox = h('section', { class: 'panel below', id: 'related' });
      main.replaceChildren(article, categoryBox, relatedBox);
      if (a.published) {
        var d = ymd(a.published);
        selectedDay = d[0] + '-' + String(d[1]).padStart(2, '0') + '-' + String(d[2]).padStart(2, '0');
        showCalendar(d[0], d[1]);
      } else {
        showCalendar();
      }
      showCategoryPosts(a, categoryBox);
      showRelated(a, relatedBox);
    });
  }

  function showCategoryPosts(a, box) {
    if (!a.category) { box.remove(); return; }
    api(sitePath('/articles/' + encodeURIComponent(a.id) + '/category-posts'), [['limit', 5]]).then(function (r) {
      var nav = h('nav', { class: 'prev-next', 'aria-label': '이전 글과 다음 글' },
        r.previous && r.previous.id ? h('a', { class: 'prev', href: link({ post: r.previous.id }) },
          h('small', null, '‹ 이전 글'), r.previous.title || r.previous.id) : h('span'),
        r.next && r.next.id ? h('a', { class: 'next', href: link({ post: r.next.id }) },
          h('small', null, '다음 글 ›'), r.next.title || r.next.id) : h('span'));
      // (replaceChildren would print a null as "null"; h() drops it.)
      box.replaceChildren(h('div', null,
        h('h2', null, '‘' + r.category + '’ 카테고리의 다른 글'),
        (r.posts || []).length ? h('ul', { class: 'posts' }, r.posts.map(function (p) { return postLine(p); }))
          : h('p', { class: 'note' }, '이 카테고리에 다른 글이 없습니다.'),
        Number(r.total) ? h('p', { class: 'more' }, h('a', { href: link({ category: r.category }) },
          '‘' + r.category + '’ 카테고리 글 모두 보기')) : null,
        nav));
    }).catch(function (e) { showError(box, e); });
  }

  function showRelated(a, box) {
    api(sitePath('/articles/' + encodeURIComponent(a.id) + '/related'), [['limit', 4]]).then(function (r) {
      var posts = r.posts || [];
      if (!posts.length) { box.remove(); return; }
      box.replaceChildren(h('h2', null, '관련 글'), h('ul', { class: 'posts' }, posts.map(function (rp) {
        var why = (rp.sharedTags || []).map(function (t) { return '#' + t; }).join(' ');
        return postLine(rp.post || {}, why ? h('span', { class: 'why' }, ' ' + why) : null);
      })));
    }).catch(function (e) { showError(box, e); });
  }

  // --- lists (a tag, a category, a day, a month) ---------------------------------------
  // A list of posts. Without a month of its own (a tag, a category), the calendar shows the
  // month of the newest post listed.
  function showList(title, path, query, kind, calendarFromPosts) {
    var list = h('ul', { class: 'posts list' });
    var more = h('button', { type: 'button', class: 'more-button', hidden: '' }, '더 보기');
    var count = h('p', { class: 'note' });
    main.replaceChildren(h('h1', { class: 'list-title' }, title), count, list, more);
    document.title = title + ' — ' + document.title;
    function page(token) {
      var q = query.concat(token ? [['page_token', token]] : []);
      return api(path, q).then(function (r) {
        var items = kind === 'category' ? r.posts || [] : r.hits || [];
        var total = Number(kind === 'category' ? r.total : r.totalHits) || 0;
        if (calendarFromPosts && !token) {
          var d = items.length && items[0].published ? ymd(items[0].published) : [];
          showCalendar(d[0], d[1]);
        }
        count.textContent = total ? '글 ' + total + '개' : '글이 없습니다.';
        items.forEach(function (p) {
          list.append(h('li', null,
            h('a', { class: 'list-link', href: link({ post: p.id }) }, p.title || p.id),
            h('span', { class: 'meta' }, fmt(p.published) + (p.category ? ' · ' + p.category : '') +
              (p.commentCount ? ' · 댓글 ' + p.commentCount : '')),
            p.snippet ? highlighted(h('span', { class: 'snippet' }), p.snippet) : null));
        });
        more.hidden = !r.nextPageToken;
        more.onclick = function () {
          page(r.nextPageToken).catch(function (e) { count.textContent = '더 불러오지 못했습니다. ' + errorText(e); });
        };
      });
    }
    return page('');
  }

  function showDay(y, m, d) {
    var next = new Date(Date.UTC(y, m - 1, d + 1));
    showCalendar(y, m);
    return showList(y + '년 ' + m + '월 ' + d + '일의 글', sitePath('/search'), [
      ['sort', 'newest'], ['limit', 20],
      ['published_from', zoneMidnight(y, m, d)],
      ['published_to', zoneMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate())]]);
  }
  function showMonth(y, m) {
    showCalendar(y, m);
    return showList(y + '년 ' + m + '월의 글', sitePath('/search'), [
      ['sort', 'newest'], ['limit', 20],
      ['published_from', zoneMidnight(y, m, 1)],
      ['published_to', m === 12 ? zoneMidnight(y + 1, 1, 1) : zoneMidnight(y, m + 1, 1)]]);
  }

  // --- the archive calendar ---------------------------------------------------------------
  var calendar = document.getElementById('calendar');
  var selectedDay = params.get('date') || '';  // marked in the calendar: the post's day or the listed day
  var months = document.getElementById('months');
  function showCalendar(y, m) {
    if (!y) {
      var now = ymd(Date.now());
      y = now[0]; m = now[1];
    }
    var selected = selectedDay;
    Promise.all([
      api(sitePath('/archive'), [['year', y], ['month', m]]),
      api(sitePath('/archive'), [['year', y], ['month', 0]])
    ]).then(function (res) {
      var days = {};
      (res[0].counts || []).forEach(function (c) { days[c.key] = c.count; });
      var first = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
      var ndays = new Date(Date.UTC(y, m, 0)).getUTCDate();
      var prev = m === 1 ? [y - 1, 12] : [y, m - 1];
      var next = m === 12 ? [y + 1, 1] : [y, m + 1];
      var rows = [];
      var cells = [];
      for (var i = 0; i < first; i++) cells.push(h('td'));
      for (var d = 1; d <= ndays; d++) {
        var iso = y + '-' + String(m).padStart(2, '0') + '-' + String(d).padStart(2, '0');
        cells.push(h('td', { class: iso === selected ? 'selected' : null }, days[d]
          ? h('a', { href: link({ date: iso }), title: '글 ' + days[d] + '개', 'aria-label': m + '월 ' + d + '일, 글 ' + days[d] + '개' }, String(d))
          : String(d)));
        if (cells.length === 7) { rows.push(h('tr', null, cells)); cells = []; }
      }
      if (cells.length) { while (cells.length < 7) cells.push(h('td')); rows.push(h('tr', null, cells)); }
      var prevBtn = h('button', { type: 'button', class: 'cal-nav', 'aria-label': '이전 달' }, '‹');
      var nextBtn = h('button', { type: 'button', class: 'cal-nav', 'aria-label': '다음 달' }, '›');
      prevBtn.onclick = function () { showCalendar(prev[0], prev[1]); };
      nextBtn.onclick = function () { showCalendar(next[0], next[1]); };
      var monthKey = y + '-' + String(m).padStart(2, '0');
      calendar.replaceChildren(h('div', { class: 'cal-head' }, prevBtn,
        h('a', { href: link({ month: monthKey }), class: 'cal-title' }, y + '년 ' + m + '월'),
        h('span', { class: 'cal-count' }, '(' + (res[0].total || 0) + ')'), nextBtn),
      h('table', { class: 'cal' },
        h('thead', null, h('tr', null, ['일', '월', '화', '수', '목', '금', '토'].map(function (w) {
          return h('th', { scope: 'col' }, w);
        }))),
        h('tbody', null, rows)));
      var ms = (res[1].counts || []).filter(function (c) { return c.count; });
      months.replaceChildren(ms.length ? h('p', { class: 'months' }, y + '년: ', ms.map(function (c) {
        return h('a', { href: link({ month: y + '-' + String(c.key).padStart(2, '0') }) }, c.key + '월(' + c.count + ')');
      })) : '');
    }).catch(function (e) { showError(calendar, e); });
  }

  // --- the tag cloud and the categories -------------------------------------------------------
  function showCloud() {
    var cloud = document.getElementById('tagcloud');
    var cats = document.getElementById('categories');
    api(sitePath('/search'), [['q', ''], ['limit', 0], ['facet', 'tag'], ['facet', 'category'], ['facet_limit', 40]])
      .then(function (r) {
        var facetOf = function (f) { return (r.facets || []).find(function (x) { return x.field === f; }) || {}; };
        var facet = function (f) { return facetOf(f).counts || []; };
        var tags = facet('FACET_FIELD_TAG');
        var counts = tags.map(function (t) { return Number(t.count); });
        var lo = Math.min.apply(null, counts), hi = Math.max.apply(null, counts);
        cloud.replaceChildren.apply(cloud, tags.slice().sort(function (a, b) {
          return a.value.localeCompare(b.value, 'ko');
        }).map(function (t) {
          var w = hi > lo ? (Number(t.count) - lo) / (hi - lo) : 0.5;
          return h('a', {
            href: link({ tag: t.value }), class: 'cloud-tag', style: 'font-size:' + (0.8 + w * 0.9).toFixed(2) + 'em',
            title: '글 ' + t.count + '개', 'data-count': String(t.count)
          }, t.value);
        }));
        cats.replaceChildren.apply(cats, categoryTree(facetOf('FACET_FIELD_CATEGORY')));
      }).catch(function (e) { showError(cloud, e); });
  }

  // The categories as Tistory's sidebar shows them: 개발 (9), with 파이썬 (6) and 블로그 (3) in a
  // list under it. categoryTree comes in pre-order with each node's depth; a searchd without it
  // sends the flat counts, shown flat.
  function categoryTree(f) {
    var nodes = f.categoryTree || (f.counts || []).map(function (c) {
      return { value: c.value, name: c.value, totalCount: c.count };
    });
    var top = [], last = [];  // last[d]: the latest item at depth d
    nodes.forEach(function (c) {
      var d = Number(c.depth) || 0;
      var li = h('li', { 'data-count': String(c.totalCount) }, h('a', { href: link({ category: c.value }) }, c.name),
        h('span', { class: 'meta' }, ' (' + c.totalCount + ')'));
      var parent = d > 0 ? last[d - 1] : null;
      if (!parent) top.push(li);
      else (parent.querySelector(':scope > ul') || parent.appendChild(h('ul', { class: 'plain sub' }))).append(li);
      last[d] = li;
      last.length = d + 1;
    });
    return top;
  }

  // --- start -------------------------------------------------------------------------------
  function addWidget() {
    var s = document.createElement('script');
    s.src = '/widget.js';
    s.async = true;
    s.dataset.site = site;
    s.dataset.target = '#search';
    s.dataset.placeholder = '이 블로그 검색 (예: 도커, 패권, GPT-4o)';
    s.dataset.link = link({ post: '{id}' }).replace('%7Bid%7D', '{id}');
    document.body.append(s);
    document.getElementById('embed-snippet').textContent =
      '<script src="' + location.origin + '/widget.js" data-site="' + site + '" async></script>';
  }

  function route() {
    var m;
    if (params.get('post')) return showPost(params.get('post'));
    if (params.get('tag')) {
      return showList('‘' + params.get('tag') + '’ 태그의 글', sitePath('/search'),
        [['tag', params.get('tag')], ['sort', 'newest'], ['limit', 20]], 'search', true);
    }
    if (params.get('category')) {
      return showList('‘' + params.get('category') + '’ 카테고리의 글',
        sitePath('/categories/' + encodeURIComponent(params.get('category')) + '/posts'), [['limit', 20]], 'category', true);
    }
    if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(params.get('date') || ''))) return showDay(+m[1], +m[2], +m[3]);
    if ((m = /^(\d{4})-(\d{2})$/.exec(params.get('month') || ''))) return showMonth(+m[1], +m[2]);
    // Default: the newest post.
    return api(sitePath('/search'), [['sort', 'newest'], ['limit', 1]]).then(function (r) {
      if (!(r.hits || []).length) {
        showCalendar();
        main.replaceChildren(h('p', { class: 'note' }, '아직 글이 없습니다.'));
        return null;
      }
      return showPost(r.hits[0].id);
    });
  }

  (site ? Promise.resolve() : api('sites').then(function (r) {
    if (!(r.sites || []).length) throw Object.assign(new Error('색인된 사이트가 없습니다.'), { status: 404 });
    site = r.sites[0].name;
  })).then(function () {
    return api(sitePath(''));
  }).then(function (s) {
    zone = s.timeZone || zone;
    try { fmt(new Date().toISOString()); } catch (e) { zone = 'Asia/Seoul'; }
    var brand = document.getElementById('brand');
    brand.textContent = s.displayName || s.name || site;
    brand.href = link({});
    document.title = (s.displayName || site) + ' — 찾아 데모';
    addWidget();
    showCloud();
    return route();
  }).catch(function (e) { showError(main, e); });
})();
