import { CODE_PATTERN, normalizeCode } from '@onehop/core/codes';
import { cookieValue, cutSource, DEFAULT_COOKIE_NAME, DEFAULT_WINDOW_DAYS } from './cookie';

/** How the snippet captures a referral code. Every option has a default. */
export interface CaptureOptions {
  /** URL parameters that may carry the code, in order of preference. Default `['ref', 'via']`. */
  params?: string[];
  /** Cookie name: letters, digits, `_` and `-`. Default `onehop_ref`. */
  cookie?: string;
  /** Cookie lifetime in days: the program's attribution window. Default 60. */
  days?: number;
  /**
   * Cookie domain. Default: the registrable domain of the page (`shop.example`
   * for `www.shop.example`, so every subdomain sees the cookie), found by asking
   * the browser, which refuses public suffixes such as `co.uk`. On `localhost`
   * and IP addresses the cookie belongs to the host alone.
   */
  domain?: string;
  /** `first` (default): a stored code is kept. `last`: a new link replaces it. */
  model?: 'first' | 'last';
  /** Consent mode: store nothing (and send no beacon) until `grant()` is called. Default false. */
  consent?: boolean;
  /** Remove the code parameters from the address bar after capture. Default false. */
  strip?: boolean;
  /** URL of the application's click endpoint; a landing with a code sends it a beacon. Default none. */
  beacon?: string;
}

/** What the snippet captured on this page. */
export interface Capture {
  /** The code in effect: from this page's link, or the stored one; null when there is none. */
  readonly code: string | null;
  /** In consent mode: stores the waiting code and sends the beacon. Otherwise does nothing. */
  grant(): void;
}

/**
 * Captures a referral code from the landing URL into a first-party cookie,
 * pre-fills registration forms with it (`input[name="referral_code"]` and
 * elements with `data-onehop-code`, including ones added later), and
 * optionally strips the parameter and reports the click. A parameter whose
 * value, normalised as the engine does, is not a possible code is ignored,
 * so no markup or script from a URL is ever stored or shown.
 */
export function captureReferral(options: CaptureOptions = {}): Capture {
  const name = options.cookie ?? DEFAULT_COOKIE_NAME;
  const href = location.href;
  const url = new URL(href);
  const query = url.searchParams;
  const valid = (raw: string | null | undefined) => {
    const code = normalizeCode(raw ?? '');
    return CODE_PATTERN.test(code) ? code : null;
  };
  let landed: string | null = null;
  for (const param of options.params ?? ['ref', 'via']) {
    landed ||= valid(query.get(param));
    if (options.strip) query.delete(param);
  }
  if (options.strip) history.replaceState(history.state, '', url);
  const before = valid(cookieValue(document.cookie, name)?.split('.')[0]);
  const keep = before && options.model != 'last';
  const code = keep ? before : landed || before;

  let granted = false;
  const grant = () => {
    if (granted || !landed) return;
    granted = true;
    const source = query.get('utm_source');
    if (!keep) {
      const value = `${landed}.${Date.now().toString(36)}.${encodeURIComponent(cutSource(source ?? ''))}`;
      const cookie = `${name}=${value};path=/;max-age=${(options.days ?? DEFAULT_WINDOW_DAYS) * 86400};samesite=lax${url.protocol == 'https:' ? ';secure' : ''}`;
      const host = url.hostname;
      const labels = host.split('.');
      // Without a configured domain, try the shortest parent domain first: the
      // browser refuses a public suffix, so the first that sticks is the
      // registrable domain. Last, or on an IP address, the host alone ('').
      const domains = options.domain ? [options.domain] : /^[\d.]+$|:/.test(host) ? [] : labels.slice(1).map((_, i) => labels.slice(-2 - i).join('.'));
      for (const domain of [...domains, '']) {
        document.cookie = cookie + (domain && `;domain=${domain}`);
        if (cookieValue(document.cookie, name) === value) break;
      }
    }
    if (options.beacon) navigator.sendBeacon(options.beacon, JSON.stringify({ code: landed, url: href, source }));
  };
  if (!options.consent) grant();

  if (code) {
    const fill = () => {
      document.querySelectorAll<HTMLElement>('input[name="referral_code"],[data-onehop-code]').forEach((el) => {
        const field = 'value' in el ? 'value' : 'textContent';
        (el as unknown as Record<string, string>)[field] ||= code;
      });
    };
    fill();
    new MutationObserver(fill).observe(document.documentElement, { childList: true, subtree: true });
  }
  return { code, grant };
}
