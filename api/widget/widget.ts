// Threadline web widget. Runs on customers' sites, so it ships as one
// dependency-free IIFE (see build.ts) and keeps everything inside a Shadow
// DOM: the host page's CSS must not be able to break it, and ours must not
// leak out. Message data only ever reaches the DOM through textContent and
// DOM nodes, never through HTML parsing.

interface Citation {
  title?: string;
  url: string;
}

type Author = 'customer' | 'bot' | 'agent' | 'system';

interface WidgetMessage {
  messageId: string;
  author: Author;
  channel?: string;
  text: string;
  at?: string;
  citations?: Citation[];
}

interface SavedSession {
  sessionId: string;
  token: string;
  // Remembered so that a login or logout on the host page starts a new
  // session instead of reusing someone else's token.
  userId?: string;
}

interface SendResponse {
  conversationId: string;
  mode: string;
  // The server answers 202 with pending: true when the bot is still working;
  // the reply then arrives on the stream.
  pending?: boolean;
  reply?: { messageId: string; text: string; citations?: Citation[] };
}

interface Outgoing {
  clientMessageId: string;
  text: string;
  el: HTMLElement;
  adopted: boolean;
}

interface Config {
  workspace: string;
  base: string;
  userId?: string;
  userHash?: string;
  identityToken?: string;
  title: string;
  color: string;
}

declare global {
  interface Window {
    Threadline?: { open(): void; close(): void };
  }
}

const DEFAULT_COLOR = '#2f5bd3';
const SEND_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 20_000;
const MAX_BACKOFF_MS = 30_000;
const SVG_NS = 'http://www.w3.org/2000/svg';
const ICONS = {
  chat: 'M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z',
  chevron: 'M6 9l6 6 6-6',
  close: 'M6 6l12 12M18 6L6 18',
  send: 'M12 19V5M5 12l7-7 7 7',
  external: 'M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5',
};
const CHANNEL_NAMES: Record<string, string> = {
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  email: 'email',
  messenger: 'Messenger',
  instagram: 'Instagram',
  slack: 'Slack',
};
const WEB_CHANNELS = ['web', 'widget', 'webchat', 'chat'];

const STYLES = `
.root{all:initial;display:block;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:14px;line-height:1.45;color:#1d2230;-webkit-font-smoothing:antialiased}
.root *,.root *::before,.root *::after{box-sizing:border-box}
button,textarea{font:inherit;color:inherit;letter-spacing:inherit;text-transform:none;margin:0}
button{cursor:pointer;border:0;background:none;padding:0}
:focus{outline:none}
:focus-visible{outline:2px solid var(--tl-accent);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;border-radius:50%;display:flex;align-items:center;justify-content:center;background:var(--tl-accent);color:var(--tl-on-accent);box-shadow:0 6px 20px rgba(16,24,40,.22),0 2px 6px rgba(16,24,40,.12);transition:transform .15s ease}
.launcher:hover{transform:scale(1.05)}
.launcher:focus-visible{outline-offset:3px}
.launcher .i-chevron,.launcher[aria-expanded=true] .i-chat{display:none}
.launcher[aria-expanded=true] .i-chevron{display:block}
.badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#d92d20;color:#fff;font-size:12px;font-weight:600;line-height:20px;text-align:center;border:2px solid #fff}
.badge[hidden]{display:none}
.panel{position:fixed;right:20px;bottom:88px;z-index:2147483000;width:380px;height:min(620px,calc(100vh - 112px));display:flex;flex-direction:column;background:#fff;border-radius:16px;overflow:hidden;box-shadow:0 16px 48px rgba(16,24,40,.22),0 4px 12px rgba(16,24,40,.1);visibility:hidden;opacity:0;transform:translateY(12px) scale(.98);transform-origin:bottom right;transition:opacity .18s ease,transform .18s ease,visibility 0s linear .18s}
.panel.open{visibility:visible;opacity:1;transform:none;transition:opacity .18s ease,transform .18s ease,visibility 0s}
.head{display:flex;align-items:center;gap:12px;padding:16px 12px 16px 18px;background:var(--tl-accent);color:var(--tl-on-accent)}
.head-text{flex:1;min-width:0}
.title{margin:0;font-size:16px;font-weight:650;line-height:1.3;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.subtitle{margin:2px 0 0;font-size:12.5px;opacity:.85}
.dot{display:inline-block;width:7px;height:7px;margin-right:6px;border-radius:50%;background:#4ade80;vertical-align:1px}
.icon-btn{width:36px;height:36px;border-radius:10px;display:flex;align-items:center;justify-content:center;flex:none}
.head .icon-btn:hover{background:rgba(255,255,255,.16)}
.head :focus-visible{outline-color:currentColor;outline-offset:-2px}
.log{flex:1;overflow-y:auto;padding:18px 16px 8px;background:#f6f7f9;scroll-behavior:smooth;overscroll-behavior:contain}
.list{display:flex;flex-direction:column;gap:12px}
.msg{position:relative;display:flex;flex-direction:column;align-items:flex-start;max-width:86%}
.msg.customer{align-self:flex-end;align-items:flex-end}
.msg.system{align-self:center;max-width:92%;align-items:center}
.who{font-size:11.5px;font-weight:600;color:#5b6272;margin:0 0 4px 4px;letter-spacing:.01em}
.bubble{padding:10px 13px;border-radius:14px;background:#fff;border:1px solid #e4e7ec;border-top-left-radius:5px;overflow-wrap:anywhere;box-shadow:0 1px 2px rgba(16,24,40,.04)}
.customer .bubble{background:var(--tl-accent);color:var(--tl-on-accent);border-color:transparent;border-radius:14px;border-top-right-radius:5px;white-space:pre-wrap}
.agent .bubble{border-left:3px solid var(--tl-accent)}
.system .bubble{background:transparent;border:0;box-shadow:none;padding:2px 8px;font-size:12.5px;color:#5b6272;text-align:center}
.sending .bubble{opacity:.65}
.bubble p{margin:0}
.bubble p+p,.bubble p+ul,.bubble ul+p,.bubble ul+ul{margin-top:8px}
.bubble ul{margin:0;padding-left:20px}
.bubble li+li{margin-top:3px}
.bubble a{color:var(--tl-link);text-decoration:underline;text-underline-offset:2px}
.customer .bubble a{color:inherit}
.sources{margin-top:10px;padding-top:9px;border-top:1px solid #eceef2}
.sources-label{margin:0 0 5px;font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:.06em;color:#6b7280}
.sources ul{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:6px}
.sources li+li{margin:0}
.sources a{display:inline-flex;align-items:center;gap:5px;max-width:100%;padding:4px 9px;border-radius:999px;background:#f1f4fb;font-size:12.5px;text-decoration:none;color:var(--tl-link)}
.sources a:hover{background:#e6ebf8}
.sources a span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.sources svg{flex:none}
.meta{margin:4px 4px 0;font-size:11.5px;color:#6b7280}
.failed{display:flex;align-items:center;gap:8px;margin:5px 4px 0;font-size:12.5px;color:#b42318}
.notice{display:flex;align-items:center;justify-content:center;gap:8px;flex-wrap:wrap;margin:12px 0 4px;font-size:12.5px;color:#b42318;text-align:center}
.notice[hidden]{display:none}
.link-btn{color:var(--tl-link);font-weight:600;text-decoration:underline;text-underline-offset:2px;padding:2px 4px;border-radius:4px}
.typing{display:flex;flex-direction:column;align-items:flex-start;margin-top:12px}
.typing[hidden]{display:none}
.dots{display:inline-flex;gap:4px;padding:13px 14px;background:#fff;border:1px solid #e4e7ec;border-radius:14px;border-top-left-radius:5px}
.dots i{width:7px;height:7px;border-radius:50%;background:#98a2b3;animation:tl-bounce 1.2s infinite ease-in-out}
.dots i:nth-child(2){animation-delay:.15s}
.dots i:nth-child(3){animation-delay:.3s}
@keyframes tl-bounce{0%,60%,100%{transform:translateY(0);opacity:.5}30%{transform:translateY(-4px);opacity:1}}
.composer{display:flex;align-items:flex-end;gap:8px;padding:12px;border-top:1px solid #eceef2;background:#fff}
.input{flex:1;resize:none;min-height:42px;max-height:132px;padding:10px 13px;border:1px solid #d0d5dd;border-radius:12px;background:#fff;line-height:1.45;outline:none}
.input::placeholder{color:#8a91a0}
.input:focus-visible{border-color:var(--tl-accent);outline:2px solid var(--tl-accent);outline-offset:-1px}
.send{width:42px;height:42px;border-radius:12px;background:var(--tl-accent);color:var(--tl-on-accent)}
.send:hover{filter:brightness(1.08)}
.brand{margin:0;padding:0 0 8px;background:#fff;text-align:center;font-size:11px;color:#8a91a0}
@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;height:100%;border-radius:0}.launcher[aria-expanded=true]{display:none}}
@media (prefers-reduced-motion:reduce){.root *,.root *::before,.root *::after{animation:none!important;transition:none!important;scroll-behavior:auto!important}.launcher:hover{transform:none}.dots i{opacity:.8}}
`;

function readConfig(): Config | null {
  const current = document.currentScript;
  const script =
    current instanceof HTMLScriptElement && current.dataset.workspace
      ? current
      : document.querySelector<HTMLScriptElement>('script[data-workspace][src]');
  const workspace = script?.dataset.workspace;
  if (!script || !workspace) return null;
  // The widget is served by the API it talks to, so the API lives wherever
  // this script came from (which may be under a path prefix).
  const src = new URL(script.src, location.href);
  const base = src.origin + src.pathname.replace(/\/[^/]*$/, '');
  const data = script.dataset;
  return {
    workspace,
    base,
    userId: data.userId || undefined,
    userHash: data.userHash || undefined,
    identityToken: data.identityToken || undefined,
    title: data.title || 'Chat with us',
    color: data.color && CSS.supports('color', data.color) ? data.color : DEFAULT_COLOR,
  };
}

// ---------- small DOM helpers ----------

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (text !== undefined) el.textContent = text;
  return el;
}

function icon(d: string, size: number, cls?: string): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  const attrs: Record<string, string> = {
    viewBox: '0 0 24 24',
    width: String(size),
    height: String(size),
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': '2',
    'stroke-linecap': 'round',
    'stroke-linejoin': 'round',
    'aria-hidden': 'true',
    focusable: 'false',
  };
  for (const [k, v] of Object.entries(attrs)) svg.setAttribute(k, v);
  if (cls) svg.setAttribute('class', cls);
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}

function randomId(): string {
  // getRandomValues works on plain-http host pages, where randomUUID does not.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'wm_' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Picks black or white text for the accent, since sites pass any brand colour.
function contrastText(color: string): string {
  const probe = document.createElement('span');
  probe.style.color = color;
  probe.style.display = 'none';
  document.body.append(probe);
  const rgb = getComputedStyle(probe).color.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0];
  probe.remove();
  const [r = 0, g = 0, b = 0] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.4 ? '#111827' : '#ffffff';
}

// ---------- safe formatting of the bot's text ----------

function safeUrl(raw: string, base: string): string | null {
  try {
    const url = new URL(raw, base + '/');
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

function link(href: string, label: string): HTMLAnchorElement {
  const a = h('a', undefined, label);
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener';
  return a;
}

// [label](url), **bold**, or a bare URL; anything else stays plain text.
const INLINE = /\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|\*\*([^*\n]+?)\*\*|(https?:\/\/[^\s<>"]+)/g;

function appendInline(text: string, into: HTMLElement, base: string): void {
  const re = new RegExp(INLINE.source, 'g');
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    into.append(text.slice(last, m.index));
    last = m.index + m[0].length;
    const [, label, labelled, bold, bare] = m;
    if (label !== undefined && labelled !== undefined) {
      const href = safeUrl(labelled, base);
      into.append(href ? link(href, label) : label);
    } else if (bold !== undefined) {
      const strong = h('strong');
      appendInline(bold, strong, base);
      into.append(strong);
    } else if (bare !== undefined) {
      // Sentence punctuation after a URL belongs to the sentence, and a closing
      // bracket only belongs to the URL when it also opened one.
      let url = bare.replace(/[.,;:!?'"]+$/, '');
      while (url.endsWith(')') && url.split('(').length < url.split(')').length) url = url.slice(0, -1);
      const href = safeUrl(url, base);
      into.append(href ? link(href, url) : url, bare.slice(url.length));
    }
  }
  into.append(text.slice(last));
}

function appendFormatted(text: string, into: HTMLElement, base: string): void {
  const blocks = text.replace(/\r\n?/g, '\n').trim().split(/\n[ \t]*\n+/);
  for (const block of blocks) {
    let para: HTMLParagraphElement | null = null;
    let list: HTMLUListElement | null = null;
    for (const line of block.split('\n')) {
      const bullet = /^\s*[-•]\s+(.*)$/.exec(line);
      if (bullet) {
        para = null;
        if (!list) into.append((list = h('ul')));
        const li = h('li');
        appendInline(bullet[1] ?? '', li, base);
        list.append(li);
      } else {
        list = null;
        if (para) para.append(h('br'));
        else into.append((para = h('p')));
        appendInline(line.trim(), para, base);
      }
    }
  }
}

function isMessage(value: unknown): value is WidgetMessage {
  const m = value as Partial<WidgetMessage> | null;
  return !!m && typeof m.messageId === 'string' && typeof m.text === 'string' && typeof m.author === 'string';
}

// ---------- the widget ----------

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function mount(config: Config): void {
  const storageKey = `threadline:${config.workspace}`;
  let session = loadSaved();
  // A session saved for another (or no) user is not reused; an anonymous one
  // is offered back to the server so its history can follow the visitor.
  let resumeId = session?.sessionId;
  if (session && session.userId !== config.userId) {
    if (session.userId) resumeId = undefined;
    session = null;
  }
  let sessionPending: Promise<SavedSession> | null = null;
  let started: Promise<void> | null = null;
  let historyLoaded = false;
  let isOpen = false;
  let unread = 0;
  let inflight = 0;
  let awaitingReplies = 0;
  const shown = new Set<string>();
  const outgoing: Outgoing[] = [];

  let stream: EventSource | null = null;
  let streamWanted = false;
  let streamOpenedBefore = false;
  let reconnectAttempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  // ----- DOM -----
  const host = document.createElement('threadline-widget');
  host.setAttribute('style', 'all: initial !important; display: block !important;');
  const shadow = host.attachShadow({ mode: 'open' });
  const style = h('style');
  style.textContent = STYLES;
  const root = h('div', 'root');
  const onAccent = contrastText(config.color);
  root.style.setProperty('--tl-accent', config.color);
  root.style.setProperty('--tl-on-accent', onAccent);
  // A pale brand colour would make unreadable links on white.
  root.style.setProperty('--tl-link', onAccent === '#ffffff' ? config.color : '#1d4ed8');

  const panel = h('div', 'panel');
  panel.id = 'tl-panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-modal', 'false');
  panel.setAttribute('aria-labelledby', 'tl-title');

  const head = h('div', 'head');
  const headText = h('div', 'head-text');
  const title = h('h2', 'title', config.title);
  title.id = 'tl-title';
  const subtitle = h('p', 'subtitle');
  subtitle.append(h('span', 'dot'), 'Usually replies instantly');
  headText.append(title, subtitle);
  const closeBtn = h('button', 'icon-btn');
  closeBtn.type = 'button';
  closeBtn.setAttribute('aria-label', 'Close chat');
  closeBtn.append(icon(ICONS.close, 20));
  head.append(headText, closeBtn);

  const log = h('div', 'log');
  log.setAttribute('role', 'log');
  log.setAttribute('aria-live', 'polite');
  log.setAttribute('aria-label', 'Conversation');
  // Focusable so keyboard users can scroll a long history.
  log.tabIndex = 0;
  const list = h('div', 'list');
  list.append(renderMessage({ messageId: '', author: 'bot', text: "Hi there! Ask us anything and we'll answer right away." }));
  const typing = h('div', 'typing');
  typing.hidden = true;
  const dots = h('span', 'dots');
  dots.append(h('i'), h('i'), h('i'));
  const typingWho = h('span', 'who', 'Assistant');
  typingWho.setAttribute('aria-hidden', 'true');
  typing.append(typingWho, dots, h('span', 'sr', 'Assistant is typing'));
  const notice = h('div', 'notice');
  notice.hidden = true;
  log.append(list, typing, notice);

  const form = h('form', 'composer');
  const input = h('textarea', 'input');
  input.rows = 1;
  input.maxLength = 4000;
  input.placeholder = 'Type your question…';
  input.setAttribute('aria-label', 'Message');
  const sendBtn = h('button', 'send icon-btn');
  sendBtn.type = 'submit';
  sendBtn.setAttribute('aria-label', 'Send message');
  sendBtn.append(icon(ICONS.send, 20));
  form.append(input, sendBtn);
  const brand = h('p', 'brand', 'Powered by Threadline');
  panel.append(head, log, form, brand);

  const launcher = h('button', 'launcher');
  launcher.type = 'button';
  launcher.setAttribute('aria-controls', 'tl-panel');
  launcher.setAttribute('aria-expanded', 'false');
  const badge = h('span', 'badge');
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  launcher.append(icon(ICONS.chat, 26, 'i-chat'), icon(ICONS.chevron, 26, 'i-chevron'), badge);
  updateLauncher();

  root.append(panel, launcher);
  shadow.append(style, root);
  document.body.append(host);

  // ----- events -----
  launcher.addEventListener('click', () => (isOpen ? close() : open()));
  closeBtn.addEventListener('click', () => close());
  shadow.addEventListener('keydown', (event) => {
    const e = event as KeyboardEvent;
    if (e.key === 'Escape' && isOpen) {
      e.preventDefault();
      close(true);
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', autosize);
  window.addEventListener('online', () => {
    if (streamWanted && (!stream || stream.readyState === EventSource.CLOSED)) reconnectNow();
  });

  window.Threadline = { open, close: () => close(false) };
  // A returning visitor gets agent replies (and the unread badge) without
  // having to open the panel first.
  if (session) void start().catch(() => undefined);

  // ----- open / close -----
  function open(): void {
    if (!isOpen) {
      isOpen = true;
      panel.classList.add('open');
      unread = 0;
      updateLauncher();
      scrollToBottom(true);
      void start().catch(() => undefined);
    }
    input.focus();
  }

  function close(returnFocus = false): void {
    if (!isOpen) return;
    // Only pull focus back when it was inside the widget; the host page may
    // have closed us while the visitor was typing elsewhere.
    const hadFocus = returnFocus || shadow.activeElement !== null;
    isOpen = false;
    panel.classList.remove('open');
    updateLauncher();
    if (hadFocus) launcher.focus();
  }

  function updateLauncher(): void {
    launcher.setAttribute('aria-expanded', String(isOpen));
    const suffix = unread ? `, ${unread} unread ${unread === 1 ? 'message' : 'messages'}` : '';
    launcher.setAttribute('aria-label', (isOpen ? 'Hide chat' : 'Open chat') + suffix);
    badge.hidden = unread === 0;
    badge.textContent = unread > 9 ? '9+' : String(unread);
  }

  function autosize(): void {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 132)}px`;
  }

  // Measured before content is added, so a tall new answer still scrolls in
  // while a visitor reading older messages is left where they are.
  function isNearBottom(): boolean {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  function scrollToBottom(force = false, wasNearBottom = isNearBottom()): void {
    if (force || wasNearBottom) log.scrollTop = log.scrollHeight;
  }

  function showNotice(text: string | null, retry?: () => void): void {
    notice.replaceChildren();
    notice.hidden = text === null;
    if (text === null) return;
    notice.append(h('span', undefined, text));
    if (retry) {
      const btn = h('button', 'link-btn', 'Try again');
      btn.type = 'button';
      btn.addEventListener('click', () => {
        showNotice(null);
        retry();
      });
      notice.append(btn);
    }
    scrollToBottom(true);
  }

  // ----- HTTP -----
  async function request<T>(method: string, path: string, body?: unknown, token?: string, timeoutMs = REQUEST_TIMEOUT_MS): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (token) headers.Authorization = `Bearer ${token}`;
      const res = await fetch(config.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        credentials: 'omit',
      });
      const data: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        const message = (data as { error?: { message?: string } } | null)?.error?.message;
        throw new HttpError(res.status, message || `Request failed (${res.status})`);
      }
      return data as T;
    } finally {
      clearTimeout(timer);
    }
  }

  function loadSaved(): SavedSession | null {
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as SavedSession | null;
      return saved && typeof saved.token === 'string' && typeof saved.sessionId === 'string' ? saved : null;
    } catch {
      return null;
    }
  }

  function save(value: SavedSession | null): void {
    try {
      if (value) localStorage.setItem(storageKey, JSON.stringify(value));
      else localStorage.removeItem(storageKey);
    } catch {
      // Storage can be blocked (privacy modes); the session then lasts for this page only.
    }
  }

  function getSession(): Promise<SavedSession> {
    if (session) return Promise.resolve(session);
    sessionPending ??= createSession().finally(() => (sessionPending = null));
    return sessionPending;
  }

  async function createSession(): Promise<SavedSession> {
    const body: Record<string, unknown> = { workspace: config.workspace };
    if (config.userId) body.identity = { userId: config.userId };
    if (config.userHash) body.userHash = config.userHash;
    if (config.identityToken) body.identityToken = config.identityToken;
    type Created = { sessionId: string; token: string };
    let created: Created;
    try {
      created = await request<Created>('POST', '/v1/widget/sessions', resumeId ? { ...body, sessionId: resumeId } : body);
    } catch (err) {
      // An unknown or expired earlier session must not lock the visitor out.
      if (!resumeId || !(err instanceof HttpError) || err.status >= 500) throw err;
      resumeId = undefined;
      created = await request<Created>('POST', '/v1/widget/sessions', body);
    }
    session = { sessionId: created.sessionId, token: created.token, userId: config.userId };
    resumeId = created.sessionId;
    save(session);
    if (streamWanted) connectStream();
    return session;
  }

  async function authed<T>(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T> {
    const current = await getSession();
    try {
      return await request<T>(method, path, body, current.token, timeoutMs);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 401) throw err;
      if (session === current) {
        session = null;
        save(null);
      }
      const fresh = await getSession();
      return request<T>(method, path, body, fresh.token, timeoutMs);
    }
  }

  // ----- history and stream -----
  function start(): Promise<void> {
    started ??= (async () => {
      await loadHistory();
      showNotice(null);
      connectStream();
    })().catch((err: unknown) => {
      started = null;
      showNotice("We couldn't connect to support.", () => void start().catch(() => undefined));
      throw err;
    });
    return started;
  }

  async function loadHistory(): Promise<void> {
    const res = await authed<{ messages?: unknown[] }>('GET', '/v1/widget/history');
    // Messages typed before the first history arrived stay below it.
    const anchor = historyLoaded ? null : (outgoing[0]?.el ?? null);
    const stick = !historyLoaded || !isOpen || isNearBottom();
    for (const m of res.messages ?? []) if (isMessage(m)) addMessage(m, false, anchor);
    historyLoaded = true;
    scrollToBottom(stick);
  }

  function connectStream(): void {
    streamWanted = true;
    if (!session || typeof EventSource === 'undefined') return;
    if (stream && stream.readyState !== EventSource.CLOSED && stream.url.endsWith(encodeURIComponent(session.token))) return;
    stream?.close();
    clearTimeout(reconnectTimer);
    const es = new EventSource(`${config.base}/v1/widget/stream?token=${encodeURIComponent(session.token)}`);
    stream = es;
    es.addEventListener('open', () => {
      reconnectAttempt = 0;
      // Whatever arrived while the stream was down is only in the history.
      if (streamOpenedBefore) void loadHistory().catch(() => undefined);
      streamOpenedBefore = true;
    });
    es.addEventListener('message', (e) => {
      try {
        const m: unknown = JSON.parse((e as MessageEvent<string>).data);
        if (isMessage(m)) addMessage(m, true);
      } catch {
        // A malformed event is dropped; the next history load reconciles.
      }
    });
    es.addEventListener('error', () => {
      // EventSource retries transient drops itself; CLOSED means it gave up
      // (e.g. the server answered 401 or 5xx), so we take over.
      if (stream !== es || es.readyState !== EventSource.CLOSED) return;
      es.close();
      stream = null;
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** reconnectAttempt) * (0.75 + Math.random() * 0.25);
      reconnectAttempt++;
      reconnectTimer = setTimeout(reconnectNow, delay);
    });
  }

  function reconnectNow(): void {
    clearTimeout(reconnectTimer);
    // The history call also renews a rejected token before reconnecting.
    loadHistory().then(connectStream, () => {
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** reconnectAttempt);
      reconnectAttempt++;
      reconnectTimer = setTimeout(reconnectNow, delay);
    });
  }

  // ----- rendering -----
  function addMessage(m: WidgetMessage, live: boolean, before: Node | null = null): void {
    if (shown.has(m.messageId)) return;
    shown.add(m.messageId);
    if (m.author === 'customer') {
      // Our own sends come back (history, stream) with an id we never saw.
      const mine = outgoing.find((o) => !o.adopted && o.text.trim() === m.text.trim());
      if (mine) {
        mine.adopted = true;
        mine.el.dataset.messageId = m.messageId;
        return;
      }
    }
    if (m.author === 'bot' && awaitingReplies > 0) {
      awaitingReplies--;
      setTyping();
    }
    const stick = isNearBottom();
    list.insertBefore(renderMessage(m), before);
    if (live && !isOpen && m.author !== 'customer') {
      unread++;
      updateLauncher();
    }
    scrollToBottom(m.author === 'customer', stick);
  }

  function renderMessage(m: WidgetMessage): HTMLElement {
    const author: Author = ['customer', 'bot', 'agent', 'system'].includes(m.author) ? m.author : 'bot';
    const el = h('div', `msg ${author}`);
    el.dataset.author = author;
    if (m.messageId) el.dataset.messageId = m.messageId;
    if (author === 'bot' || author === 'agent') el.append(h('span', 'who', author === 'bot' ? 'Assistant' : 'Agent'));
    if (author === 'customer') el.append(h('span', 'sr', 'You:'));
    const bubble = h('div', 'bubble');
    if (author === 'customer') bubble.textContent = m.text;
    else appendFormatted(m.text, bubble, config.base);
    const sources = renderCitations(m.citations);
    if (sources) bubble.append(sources);
    el.append(bubble);
    const channel = m.channel?.toLowerCase();
    if (channel && !WEB_CHANNELS.includes(channel)) el.append(h('span', 'meta', `via ${CHANNEL_NAMES[channel] ?? m.channel}`));
    return el;
  }

  function renderCitations(citations: Citation[] | undefined): HTMLElement | null {
    if (!Array.isArray(citations)) return null;
    const ul = h('ul');
    const seen = new Set<string>();
    for (const c of citations) {
      const href = c && typeof c.url === 'string' ? safeUrl(c.url, config.base) : null;
      if (!href || seen.has(href)) continue;
      seen.add(href);
      const label = (typeof c.title === 'string' && c.title.trim()) || new URL(href).pathname;
      const a = link(href, '');
      a.append(icon(ICONS.external, 13), h('span', undefined, label), h('span', 'sr', ' (opens in a new tab)'));
      const li = h('li');
      li.append(a);
      ul.append(li);
    }
    if (!ul.childElementCount) return null;
    const box = h('div', 'sources');
    box.append(h('p', 'sources-label', 'Sources'), ul);
    return box;
  }

  // ----- sending -----
  function submit(): void {
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    autosize();
    const el = renderMessage({ messageId: '', author: 'customer', text });
    list.append(el);
    const out: Outgoing = { clientMessageId: randomId(), text, el, adopted: false };
    outgoing.push(out);
    scrollToBottom(true);
    void deliver(out);
  }

  async function deliver(out: Outgoing): Promise<void> {
    out.el.querySelector('.failed')?.remove();
    out.el.classList.add('sending');
    inflight++;
    setTyping();
    try {
      const res = await authed<SendResponse>(
        'POST',
        '/v1/widget/messages',
        { text: out.text, clientMessageId: out.clientMessageId },
        SEND_TIMEOUT_MS,
      );
      if (res.reply && typeof res.reply.text === 'string') {
        addMessage({ ...res.reply, author: 'bot', channel: 'web', at: new Date().toISOString() }, true);
      } else if (res.pending) {
        awaitingReplies++;
        // Never leave the indicator up forever if the reply is lost.
        setTimeout(() => {
          awaitingReplies = Math.max(0, awaitingReplies - 1);
          setTyping();
        }, SEND_TIMEOUT_MS);
      }
    } catch (err) {
      showFailure(out, err);
    } finally {
      out.el.classList.remove('sending');
      inflight--;
      setTyping();
    }
  }

  function showFailure(out: Outgoing, err: unknown): void {
    // Network trouble, timeouts and server faults are worth retrying with the
    // same clientMessageId (the server dedupes it); a rejected message is not.
    const retryable = !(err instanceof HttpError) || err.status >= 500 || err.status === 408 || err.status === 429;
    const row = h('div', 'failed');
    row.setAttribute('role', 'status');
    row.append(h('span', undefined, retryable ? 'Not delivered.' : `Not delivered: ${(err as Error).message}`));
    if (retryable) {
      const retry = h('button', 'link-btn', 'Retry');
      retry.type = 'button';
      retry.setAttribute('aria-label', 'Retry sending your message');
      retry.addEventListener('click', () => {
        void deliver(out);
        input.focus();
      });
      row.append(retry);
    }
    out.el.append(row);
    scrollToBottom(true);
  }

  function setTyping(): void {
    const stick = isNearBottom();
    typing.hidden = inflight === 0 && awaitingReplies === 0;
    scrollToBottom(false, stick);
  }
}

function boot(): void {
  if (window.Threadline) return; // the snippet was pasted twice
  const config = readConfig();
  if (!config) {
    console.warn('Threadline: add data-workspace to the widget <script> tag.');
    return;
  }
  if (document.body) mount(config);
  else document.addEventListener('DOMContentLoaded', () => mount(config), { once: true });
}

boot();

export {};
