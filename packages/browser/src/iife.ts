/**
 * The `<script src>` build: configured by the script tag's `data-` attributes,
 * it captures at once and exposes the capture as `window.onehop` (call
 * `onehop.grant()` in consent mode).
 *
 * ```html
 * <script src="/onehop.min.js" data-params="ref,via" data-days="60" data-model="first"
 *         data-beacon="/api/onehop/click" data-strip data-consent></script>
 * ```
 */
import { captureReferral } from './capture';

const data = (document.currentScript as HTMLScriptElement | null)?.dataset ?? {};
(window as unknown as { onehop: unknown }).onehop = captureReferral({
  params: data.params?.split(','),
  cookie: data.cookie,
  days: Number(data.days) || undefined,
  domain: data.domain,
  // Anything but "last" is first click, the default.
  model: data.model as 'last',
  consent: 'consent' in data,
  strip: 'strip' in data,
  beacon: data.beacon,
});
