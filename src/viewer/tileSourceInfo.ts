/** What Granula needs to know about a remote whole-slide image before it opens it. */
export interface SlideInfo {
  kind: 'dzi' | 'iiif';
  width: number;
  height: number;
  mpp?: number;
}

function attr(xml: string, el: string, name: string): string | undefined {
  const tag = new RegExp(`<(?:\\w+:)?${el}\\b[^>]*>`, 'i').exec(xml)?.[0];
  if (!tag) return undefined;
  return new RegExp(`\\b${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(tag)?.[1];
}

/** Parses a Deep Zoom descriptor (`.dzi` XML, or its JSON form). */
export function parseDzi(text: string): SlideInfo {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const j = JSON.parse(trimmed) as { Image?: { Size?: { Width?: unknown; Height?: unknown } } };
    return checked({ kind: 'dzi', width: Number(j.Image?.Size?.Width), height: Number(j.Image?.Size?.Height) });
  }
  if (!/<(?:\w+:)?Image\b/i.test(trimmed)) throw new Error('not a Deep Zoom descriptor (no <Image> element)');
  return checked({ kind: 'dzi', width: Number(attr(trimmed, 'Size', 'Width')), height: Number(attr(trimmed, 'Size', 'Height')) });
}

/** Parses an IIIF Image API `info.json` (version 2 or 3). */
export function parseIiifInfo(text: string): SlideInfo {
  const j = JSON.parse(text) as { width?: unknown; height?: unknown; protocol?: string; '@context'?: unknown; type?: string };
  const ctx = JSON.stringify(j['@context'] ?? '');
  if (j.protocol !== 'http://iiif.io/api/image' && !ctx.includes('iiif.io/api/image') && j.type !== 'ImageService3') {
    throw new Error('not a IIIF Image API info.json (no IIIF context)');
  }
  return checked({ kind: 'iiif', width: Number(j.width), height: Number(j.height) });
}

function checked(info: SlideInfo): SlideInfo {
  if (!Number.isInteger(info.width) || info.width <= 0 || !Number.isInteger(info.height) || info.height <= 0) {
    throw new Error('the descriptor has no valid width and height');
  }
  return info;
}

export function guessSlideKind(url: string, body: string): 'dzi' | 'iiif' {
  if (/info\.json(\?|$)/i.test(url)) return 'iiif';
  if (/\.dzi(\?|$)/i.test(url) || body.trim().startsWith('<')) return 'dzi';
  return body.includes('iiif.io') ? 'iiif' : 'dzi';
}

/**
 * Why a fetch that failed with a bare "Failed to fetch" failed, in words a user can act on. The
 * browser tells a page nothing, so look: a `securitypolicyviolation` event names a URL this page's
 * Content-Security-Policy blocked; an opaque `no-cors` answer means the server is there but sends no
 * CORS header for this page; otherwise it could not be reached.
 */
export interface FetchDiagnosis {
  blockedByPolicy: boolean;
  /** The server answered a `no-cors` request. */
  reachable: boolean;
}

const POLICY_HINT = "add it to img-src and connect-src of the deployment's Content-Security-Policy (see docs/SLIDES.md)";

export function explainFetchFailure(url: URL, d: FetchDiagnosis, detail: string): string {
  if (d.blockedByPolicy) return `this page's security policy does not allow ${url.origin}: ${POLICY_HINT}`;
  if (d.reachable) {
    const page = typeof location !== 'undefined' ? location.origin : 'this page';
    return `the server at ${url.origin} answered but does not let ${page} read its tiles: it must send the header Access-Control-Allow-Origin (for ${page} or *)`;
  }
  return `the server could not be reached (${detail})`;
}

async function diagnose(url: URL, fetchFn: typeof fetch, run: () => Promise<Response>): Promise<Response> {
  let blockedByPolicy = false;
  const onViolation = (e: Event) => {
    const blocked = (e as SecurityPolicyViolationEvent).blockedURI ?? '';
    if (blocked.startsWith(url.origin)) blockedByPolicy = true;
  };
  const doc = typeof document !== 'undefined' ? document : undefined;
  doc?.addEventListener('securitypolicyviolation', onViolation);
  try {
    return await run();
  } catch (e) {
    // The violation event is queued as a task: let it arrive before deciding.
    await new Promise((r) => setTimeout(r, 0));
    const reachable = !blockedByPolicy && (await fetchFn(url.href, { mode: 'no-cors' }).then(() => true, () => false));
    throw new Error(explainFetchFailure(url, { blockedByPolicy, reachable }, (e as Error).message));
  } finally {
    doc?.removeEventListener('securitypolicyviolation', onViolation);
  }
}

/** Fetches and reads a slide descriptor; errors say what went wrong in words a user can act on. */
export async function fetchSlideInfo(url: string, fetchFn: typeof fetch = fetch): Promise<SlideInfo> {
  let parsed: URL;
  try {
    parsed = new URL(url, typeof location !== 'undefined' ? location.href : undefined);
  } catch {
    throw new Error('this is not a valid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('only http and https URLs can be opened');
  const res = await diagnose(parsed, fetchFn, () => fetchFn(parsed.href));
  if (!res.ok) throw new Error(`the server answered ${res.status} ${res.statusText}`);
  const body = await res.text();
  return guessSlideKind(parsed.href, body) === 'iiif' ? parseIiifInfo(body) : parseDzi(body);
}
