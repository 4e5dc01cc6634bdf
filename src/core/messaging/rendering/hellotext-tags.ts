/**
 * Hellotext's tag language: `{property}` (built-in or custom, any case), `{shortlink:https://…}`
 * (one tracked link for everyone) and `{shortlink:name}` (a per-message destination given at
 * send time). Anything between braces is a tag; a brace without its pair, and `{}`, are text.
 */
import { assertNever, DomainError } from '../../shared/errors.js';
import type { RenderContext, TagProblem, TagVocabulary, TemplateEngine } from './template-engine.js';

export type Segment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'property'; readonly raw: string; readonly name: string }
  | { readonly kind: 'shortlink'; readonly raw: string; readonly url: string }
  | { readonly kind: 'dynamic_shortlink'; readonly raw: string; readonly name: string }
  | { readonly kind: 'malformed'; readonly raw: string; readonly problem: string };

const TAG = /\{([^{}]*)\}/g;
const SHORTLINK = /^shortlink\s*:(.*)$/is;
/** Dynamic short link names are identifiers: they are keys of `template[shortlinks]` in a form too. */
const SHORTLINK_NAME = /^[A-Za-z0-9_-]{1,100}$/;
const MAX_URL = 2048;

/** The lookup key of a property tag: tags are case-insensitive and blanks around the name do not count. */
export const tagKey = (name: string): string => name.trim().toLowerCase();

function isHttpUrl(text: string): boolean {
  if (/\s/.test(text) || text.length > MAX_URL) return false;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function shortlinkSegment(raw: string, target: string): Segment {
  if (target === '') return { kind: 'malformed', raw, problem: 'A short link needs a URL ({shortlink:https://…}) or a name ({shortlink:name}).' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    return isHttpUrl(target) ? { kind: 'shortlink', raw, url: target } : { kind: 'malformed', raw, problem: `${raw} has no valid http(s) URL.` };
  }
  if (SHORTLINK_NAME.test(target)) return { kind: 'dynamic_shortlink', raw, name: target };
  return { kind: 'malformed', raw, problem: `${raw}: write a whole URL (https://…) or a name of letters, digits, - and _.` };
}

function tagSegment(raw: string, inner: string): Segment {
  const shortlink = SHORTLINK.exec(inner.trim());
  if (shortlink) return shortlinkSegment(raw, (shortlink[1] ?? '').trim());
  return { kind: 'property', raw, name: tagKey(inner) };
}

/** The text cut into literal text and tags, in order. */
export function parseHellotextTags(text: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(TAG)) {
    const [raw, inner = ''] = match;
    if (inner.trim() === '') continue;
    if (match.index > last) segments.push({ kind: 'text', text: text.slice(last, match.index) });
    segments.push(tagSegment(raw, inner));
    last = match.index + raw.length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}

/** Names of the dynamic short links in `text`, each once, in order of first use. */
export function dynamicShortlinkNames(text: string): string[] {
  const names = parseHellotextTags(text).flatMap((segment) => (segment.kind === 'dynamic_shortlink' ? [segment.name] : []));
  return [...new Set(names)];
}

export interface HellotextEngineOptions {
  readonly vocabulary: TagVocabulary;
  /** Applied to every value put into the text (HTML escaping for newsletters); identity by default. */
  readonly escape?: (value: string) => string;
}

/** Where a missing dynamic short link destination is reported, as the message parameter is written. */
const shortlinkParameter = (name: string) => `template[shortlinks][${name}]`;

/** The URL given for a dynamic short link at send time; refused when missing or not a URL. */
function dynamicDestination(context: RenderContext, name: string): string {
  const given = Object.hasOwn(context.shortlinks, name) ? context.shortlinks[name]?.trim() : undefined;
  if (given === undefined || given === '') throw new DomainError('invalid', `The template's short link {shortlink:${name}} needs its URL.`, shortlinkParameter(name));
  if (!isHttpUrl(given)) throw new DomainError('invalid', `The URL of {shortlink:${name}} must be a whole http(s) URL.`, shortlinkParameter(name));
  return given;
}

export function hellotextEngine(options: HellotextEngineOptions): TemplateEngine<RenderContext> {
  const escape = options.escape ?? ((value: string) => value);
  return {
    check(text) {
      const problems = new Map<string, TagProblem>();
      for (const segment of parseHellotextTags(text)) {
        if (segment.kind === 'malformed') problems.set(segment.raw, { tag: segment.raw, message: segment.problem });
        if (segment.kind === 'property' && !options.vocabulary.has(segment.name)) {
          problems.set(segment.raw, { tag: segment.raw, message: `${segment.raw} is no property of this business: use a built-in tag or the name of a property.` });
        }
      }
      return [...problems.values()];
    },

    async render(text, context) {
      // One link per destination and message: the same URL twice is one thing to click. Links
      // are made one after the other, in reading order, inside the caller's transaction.
      const links = new Map<string, string>();
      const link = async (destination: string) => {
        const known = links.get(destination);
        if (known !== undefined) return known;
        const url = await context.shortlink(destination);
        links.set(destination, url);
        return url;
      };
      const segments = parseHellotextTags(text);
      // Every dynamic destination is checked before the first link is made.
      for (const segment of segments) if (segment.kind === 'dynamic_shortlink') dynamicDestination(context, segment.name);
      let out = '';
      for (const segment of segments) {
        switch (segment.kind) {
          case 'text':
            out += segment.text;
            break;
          case 'malformed':
            out += segment.raw;
            break;
          case 'property':
            out += escape(context.value(segment.name) ?? '');
            break;
          case 'shortlink':
            out += escape(await link(segment.url));
            break;
          case 'dynamic_shortlink':
            out += escape(await link(dynamicDestination(context, segment.name)));
            break;
          default:
            assertNever(segment);
        }
      }
      return out;
    },
  };
}
