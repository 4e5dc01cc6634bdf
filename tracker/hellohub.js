/*! hellohub tracker: browser tracking for a hellohub server (Hellotext's public protocol). MIT. */
/* global window, document, location, navigator, localStorage, crypto, fetch, setTimeout, clearTimeout */
(function () {
  'use strict';
  if (window.Hellohub && window.Hellohub.version) return;

  var COOKIE = 'hello_session';
  var QUEUE = 'hellohub_queue';
  var ACKED = 'hellohub_acked';
  var LEASE = 'hellohub_lease';
  var TEN_YEARS = 315360000; // seconds; browsers may cap it (Chromium: 400 days), so it is renewed on every load
  var MAX_QUEUE = 200;
  var MAX_AGE_MS = 7 * 864e5;
  var TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
  var IDENTIFY = '/public/identifications';

  // flushing: the flush under way in this tab (the lease only keeps other tabs out).
  var state = { business: null, apiRoot: null, session: null, retry: null, attempt: 0, flushing: null, again: false };
  var tab = Math.random().toString(36).slice(2);

  function now() {
    return Date.now();
  }

  function store(key, value) {
    try {
      if (value === undefined) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Storage may be disabled (private modes, sandboxed frames): tracking goes on without it.
    }
  }

  function stored(key) {
    try {
      var text = localStorage.getItem(key);
      return text ? JSON.parse(text) : null;
    } catch {
      return null;
    }
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    // randomUUID exists only on secure (https) pages; getRandomValues everywhere.
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = '';
    for (var i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1) + (i === 3 || i === 5 || i === 7 || i === 9 ? '-' : '');
    return h;
  }

  function queryParam(name) {
    try {
      return new URL(location.href).searchParams.get(name);
    } catch {
      return null;
    }
  }

  function readCookie(name) {
    var match = document.cookie.match(new RegExp('(?:^|;)\\s*' + name + '=([^;]*)'));
    return match ? decodeURIComponent(match[1]) : null;
  }

  function writeCookie(name, value, domain) {
    document.cookie =
      name + '=' + encodeURIComponent(value) + '; path=/; max-age=' + TEN_YEARS + '; SameSite=Lax' +
      (domain ? '; domain=' + domain : '') + (location.protocol === 'https:' ? '; Secure' : '');
  }

  /**
   * The registrable domain (example.co.uk for www.shop.example.co.uk), so every subdomain
   * shares the session. Without a public suffix list: a probe cookie is tried on the shortest
   * suffix first; browsers refuse public suffixes (co.uk), the first kept is the root.
   * IP addresses and single-label hosts (localhost) get a cookie of their own host.
   */
  function rootDomain() {
    var host = location.hostname;
    var parts = host.split('.');
    if (parts.length < 2 || /^[\d.]+$|:/.test(host)) return null;
    for (var i = parts.length - 2; i >= 0; i--) {
      var domain = parts.slice(i).join('.');
      document.cookie = 'hellohub_probe=1; path=/; SameSite=Lax; domain=' + domain;
      if (readCookie('hellohub_probe')) {
        document.cookie = 'hellohub_probe=; path=/; max-age=0; domain=' + domain;
        return domain;
      }
    }
    return null;
  }

  function keepSession(value) {
    var domain = rootDomain();
    // A host-only cookie of an older script would shadow the shared one: it goes.
    if (domain) document.cookie = COOKIE + '=; path=/; max-age=0';
    writeCookie(COOKIE, value, domain);
  }

  function utmParams() {
    var utm = {};
    try {
      new URL(location.href).searchParams.forEach(function (value, key) {
        if (key.indexOf('utm_') === 0) utm[key] = value;
      });
    } catch {
      // An unparsable address carries no UTM parameters.
    }
    return utm;
  }

  function page() {
    return { url: location.href, title: document.title, path: location.pathname };
  }

  function queue() {
    var items = stored(QUEUE);
    return Array.isArray(items) ? items.filter(function (item) { return now() - item.at < MAX_AGE_MS; }) : [];
  }

  function enqueue(item) {
    var items = queue();
    items.push(item);
    store(QUEUE, items.slice(-MAX_QUEUE));
    scheduleRetry();
  }

  function dequeue(id) {
    store(QUEUE, queue().filter(function (item) { return item.id !== id; }));
  }

  /**
   * One request: 'done' (2xx, or a 4xx that retrying cannot fix), 'retry', or 'queued' (it
   * was answered, and what it led to waits in the queue).
   */
  function deliver(item) {
    if (navigator.onLine === false) return Promise.resolve('retry');
    return fetch(state.apiRoot + item.path, {
      method: 'POST',
      keepalive: true,
      headers: { Authorization: 'Bearer ' + item.business, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(item.body),
    }).then(
      function (response) {
        if (response.status === 422 && item.path === IDENTIFY && !item.renewed) {
          return response.json().then(function (answer) {
            var error = answer && answer.errors && answer.errors[0];
            return error && error.type === 'session_assigned_to_another_profile' ? reidentify(item) : 'done';
          }, function () {
            return 'done';
          });
        }
        return response.status >= 500 || response.status === 429 ? 'retry' : 'done';
      },
      function () {
        return 'retry';
      },
    );
  }

  /** Sends at once; a request the network or the server could not take waits in the queue. */
  function send(path, body, renewed) {
    var item = { id: uuid(), path: path, body: body, business: state.business, at: now(), renewed: renewed };
    return deliver(item).then(function (outcome) {
      if (outcome === 'retry') enqueue(item);
      return outcome === 'done';
    });
  }

  /**
   * The session was identified as another visitor before (a shared device): their history
   * stays theirs. This visitor gets a new session, identified instead.
   */
  function reidentify(item) {
    if (item.body.session === state.session) startSession(uuid());
    var body = {};
    for (var key in item.body) body[key] = item.body[key];
    body.session = state.session;
    return send(IDENTIFY, body, true).then(function (done) {
      return done ? 'done' : 'queued';
    });
  }

  function scheduleRetry() {
    if (state.retry) return;
    // Exponential backoff with full jitter, from 1 s up to a minute.
    var delay = Math.random() * Math.min(60000, 1000 * Math.pow(2, state.attempt));
    state.attempt = Math.min(state.attempt + 1, 10);
    state.retry = setTimeout(flush, delay);
  }

  /**
   * Sends the queued requests in order. One tab at a time holds a short lease on the queue,
   * and one flush at a time runs in a tab: a second call (the retry timer, `online`, the
   * page) waits for it, then flushes again what was queued meanwhile.
   */
  function flush() {
    clearTimeout(state.retry);
    state.retry = null;
    if (state.flushing) {
      state.again = true;
      return state.flushing;
    }
    var items = queue();
    if (!items.length) return Promise.resolve();
    var lease = stored(LEASE);
    if (lease && lease.tab !== tab && lease.until > now()) return Promise.resolve(scheduleRetry());
    var failed = false;
    var next = function (index) {
      if (index >= items.length) return undefined;
      store(LEASE, { tab: tab, until: now() + 15000 });
      return deliver(items[index]).then(function (outcome) {
        if (outcome === 'retry') return (failed = true);
        dequeue(items[index].id);
        return next(index + 1);
      });
    };
    state.again = false;
    state.flushing = next(0).then(null, function () {
      failed = true;
    }).then(function () {
      state.flushing = null;
      store(LEASE, undefined);
      if (failed) return scheduleRetry();
      state.attempt = 0;
      if (state.again) return flush();
    });
    return state.flushing;
  }

  function ready() {
    if (!state.business) throw new Error('Hellohub: call Hellohub.initialize(publicBusinessId) first');
  }

  function ack() {
    if (stored(ACKED) === state.session) return;
    store(ACKED, state.session);
    send('/public/acks', { session: state.session, utm_params: utmParams(), at: new Date().toISOString() });
  }

  function startSession(token) {
    state.session = token;
    keepSession(token);
    ack();
  }

  var Hellohub = {
    version: 1,

    /** Starts tracking for a business: `options.apiRoot` is the server's /v1 address. */
    initialize: function (publicBusinessId, options) {
      options = options || {};
      state.business = publicBusinessId;
      state.apiRoot = String(options.apiRoot || state.apiRoot || location.origin + '/v1').replace(/\/+$/, '');
      var given = options.session || queryParam(COOKIE) || readCookie(COOKIE);
      startSession(given && TOKEN.test(given) ? given : uuid());
      flush();
      return Hellohub;
    },

    get session() {
      return state.session;
    },

    /** Tracks an action, with the page and the visit's UTM parameters; resolves true once delivered. */
    track: function (action, params) {
      ready();
      var body = { session: state.session, action: action, page: page(), utm_params: utmParams() };
      for (var key in params || {}) if (Object.prototype.hasOwnProperty.call(params, key)) body[key] = params[key];
      return send('/track/events', body);
    },

    /**
     * Identifies the visitor (sign-in): the server attaches this session to their profile.
     * A session another visitor identified before is not theirs: a new session is started.
     */
    identify: function (userId, traits) {
      ready();
      var body = { session: state.session };
      for (var key in traits || {}) if (Object.prototype.hasOwnProperty.call(traits, key)) body[key] = traits[key];
      if (userId !== undefined && userId !== null) body.user_id = String(userId);
      return send(IDENTIFY, body);
    },

    /** Sends what waits in the queue now (it is also retried with backoff and when back online). */
    flush: flush,
  };

  window.Hellohub = Hellohub;
  if (!window.Hellotext) window.Hellotext = Hellohub;
  window.addEventListener('online', function () {
    state.attempt = 0;
    flush();
  });

  // <script src="…/tracker.js" data-business="PUBLIC_ID" data-api-root="…/v1">
  var script = document.currentScript;
  if (script && script.getAttribute('data-business')) {
    var root = script.getAttribute('data-api-root') || new URL('/v1', script.src).href;
    Hellohub.initialize(script.getAttribute('data-business'), { apiRoot: root });
  } else if (script && script.src) {
    state.apiRoot = new URL('/v1', script.src).href;
  }
})();
