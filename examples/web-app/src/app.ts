/**
 * The reference app's HTTP routes, on Hono (Fetch standard: the same app runs
 * on Node, Bun, Deno or a worker). `main.ts` starts it on Node.
 *
 * - `/`, `/signup`, `/signin`, `/checkout`: the visitor's pages (pages/public.ts)
 * - `/dashboard`: the signed-in referrer's own figures (pages/referrer.ts)
 * - `/admin`: the program, behind the admin check (pages/admin.ts)
 * - `POST /webhooks/stripe`: verified Stripe events → onehop (webhook-route.ts)
 * - `POST /api/onehop/click`, `/onehop.min.js`: the referral snippet
 * - `/favicon.svg`, `/favicon.ico`: the app's icon
 */
import { Hono } from 'hono';
import { type AppOptions, appContext } from './context';
import { FAVICON_SVG } from './html';
import { adminRoutes } from './pages/admin';
import { publicRoutes } from './pages/public';
import { referrerRoutes } from './pages/referrer';
import { webhookRoutes } from './webhook-route';

export type { AppOptions } from './context';

export function createApp(options: AppOptions): Hono {
  if (options.sessionSecret.length < 32) throw new TypeError('sessionSecret must be at least 32 characters.');
  if (options.adminToken.length < 16) throw new TypeError('adminToken must be at least 16 characters.');
  const app = appContext(options);
  const icon = () => new Response(FAVICON_SVG, { headers: { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' } });
  return new Hono()
    .get('/favicon.svg', icon)
    .get('/favicon.ico', icon)
    .route('/', webhookRoutes({ onehop: app.onehop, stripeWebhookSecret: options.stripeWebhookSecret }))
    .route('/', publicRoutes(app))
    .route('/', referrerRoutes(app))
    .route('/', adminRoutes(app));
}
