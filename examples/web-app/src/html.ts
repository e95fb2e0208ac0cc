/**
 * Server-rendered HTML: one layout, a few helpers, and the charts as inline
 * SVG. `html` escapes every interpolated value; only `raw` output (the QR
 * code and the charts, both built here from numbers) is inserted as is.
 */
import { formatMoney } from '@onehop/core';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Field → message, as a form shows them. */
export type FieldErrors = Record<string, string>;

export const money = (minor: number, currency = 'USD') => formatMoney(minor, currency);
export const day = (at: Date) => at.toISOString().slice(0, 10);
export const percent = (bps: number) => `${(bps / 100).toFixed(bps % 100 === 0 ? 0 : 2)} %`;

const STYLE = `
*{box-sizing:border-box}body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7fb}
header{background:#1d2330;color:#fff;padding:.6rem 1.2rem;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center}
header a{color:#fff;text-decoration:none}header a:hover,header a:focus{text-decoration:underline}header .grow{flex:1}header form{margin:0}
header nav{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center}
.skip{position:absolute;left:-100rem}.skip:focus{left:.5rem;top:.5rem;background:#fff;color:#1d2330;padding:.3rem .6rem;z-index:1}
main{max-width:68rem;margin:1.5rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin:1.6rem 0 .6rem}h3{font-size:1rem;margin:1rem 0 .5rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.8rem}
.cards.cols-3{grid-template-columns:repeat(3,minmax(0,1fr))}.cards.cols-4{grid-template-columns:repeat(4,minmax(0,1fr))}
.card,section.box{background:#fff;border:1px solid #e1e4ec;border-radius:8px;padding:.8rem 1rem}
.card b{display:block;font-size:1.35rem}.card span{color:#5b6275;font-size:.85rem}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #e1e4ec}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #eef0f5;vertical-align:top}th{font-size:.8rem;color:#5b6275}
td.num,th.num{text-align:right;white-space:nowrap}th,td time{white-space:nowrap}
.scroll{overflow-x:auto;max-width:100%}.scroll:focus{outline:2px solid #3451d1;outline-offset:2px}
form.inline{display:inline-flex;flex-wrap:wrap;gap:.3rem;align-items:center;margin:0}
label{display:block;margin:.5rem 0 .2rem;font-weight:600}input,select,button{font:inherit;padding:.35rem .5rem;max-width:100%}
input[type=text],input[type=email],input[type=password]{width:100%;max-width:24rem}
button{background:#3451d1;color:#fff;border:0;border-radius:5px;cursor:pointer}button.secondary{background:#5b6275}button.danger{background:#b4232a}
.error{color:#b4232a;font-size:.9rem}.notice{background:#e7f5ea;border:1px solid #b7dfc0;padding:.5rem .8rem;border-radius:6px}
.alert{background:#fdecec;border:1px solid #f1b9b9;padding:.5rem .8rem;border-radius:6px}
.bar{height:.8rem;background:#e1e4ec;border-radius:4px;overflow:hidden}.bar div{height:100%;background:#3451d1}
.status{font-size:.8rem;padding:.05rem .4rem;border-radius:4px;background:#eef0f5}
.muted{color:#5b6275}.row{display:flex;gap:1rem;flex-wrap:wrap;align-items:flex-start}.row>*{flex:1;min-width:16rem}
.legend span{margin-right:1rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;border-radius:2px}
a.button{display:inline-block;background:#3451d1;color:#fff;border-radius:5px;padding:.35rem .8rem;text-decoration:none}
.actions a{margin-right:.8rem}.invitation{margin:0 0 1rem}.invitation h2{margin-top:.2rem}
.row.spaced{margin-top:1.2rem}.pager{display:flex;gap:1rem;margin:.6rem 0}.scroll{overflow-x:auto;max-width:100%}
#referee-status{margin:0 0 1.2rem}#referee-status h2{margin-top:.2rem}ol.steps{padding-left:1.2rem}ol.steps li[data-done=true]{color:#1e7a35}
fieldset.method{border:0;padding:0;margin:0;min-width:0}form.inline input{width:6.5rem}
#share{overflow-wrap:anywhere}.row-actions{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header{flex-wrap:wrap;row-gap:.4rem}button:disabled{background:#a9afbd;cursor:not-allowed}
#payments tr.payment td{border-bottom:0}#payments code{overflow-wrap:anywhere}.payment-actions{display:flex;flex-wrap:wrap;gap:.5rem}
`;

/**
 * The responsive layout, the charts and the funnel, after STYLE so that
 * these rules win: every page fits a 360 px wide screen.
 */
const LAYOUT_STYLE = `
.row>*{min-width:min(100%,20rem)}section+.row,.cards+.row,.row+section.box{margin-top:1rem}
img,svg,video{max-width:100%}pre,code{overflow-wrap:anywhere}
.legend{display:flex;flex-wrap:wrap;gap:.2rem 1.2rem;list-style:none;margin:0 0 .5rem;padding:0;font-size:.9rem}.legend li{display:flex;align-items:center;gap:.4rem}.legend svg{flex:none}
.chart{display:grid;grid-template-columns:auto minmax(0,1fr);column-gap:.5rem;font-size:.85rem;color:#4a5163}
.chart .y{position:relative;text-align:right}.chart .y .sizer{visibility:hidden;white-space:nowrap}
.chart .y span:not(.sizer){position:absolute;right:0;transform:translateY(-50%);white-space:nowrap}
.chart svg{display:block;width:100%;height:14rem;overflow:visible}
.chart .x{grid-column:2;position:relative;height:1.6rem}.chart .x span{position:absolute;top:.3rem;transform:translateX(-50%);white-space:nowrap}
.chart .x span:first-child{transform:none}.chart .x span:last-child{transform:translateX(-100%)}
.funnel{list-style:none;margin:0;padding:0}.funnel .step{display:grid;grid-template-columns:6rem minmax(0,1fr) auto;gap:.6rem;align-items:center}
.funnel .track{height:1.6rem;background:#eef0f5;border-radius:4px;overflow:hidden}.funnel .track i{display:block;height:100%;background:#3451d1}
.funnel .conversion{margin:.2rem 0 .2rem 6.6rem;color:#4a5163;font-size:.9rem}
.pages{display:flex;flex-wrap:wrap;gap:.5rem 1.2rem;align-items:center;margin:.6rem 0}
@media (max-width:48rem){.cards.cols-4{grid-template-columns:repeat(2,minmax(0,1fr))}}
@media (max-width:40rem){
header{padding:.5rem .75rem;gap:.3rem .9rem}main{padding:0 .75rem;margin-top:1rem}h1{font-size:1.35rem}
.card,section.box{padding:.6rem .7rem}.card b{font-size:1.15rem}.cards{gap:.5rem}
th,td{padding:.35rem .45rem}
table:not(.scroll table){display:block;overflow-x:auto}
.funnel .step{grid-template-columns:4.8rem minmax(0,1fr) auto}.funnel .conversion{margin-left:0}
}
`;

/** The app's icon: a hop over a gap, in the header's colours. Served at /favicon.svg and /favicon.ico. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d2330"/><path d="M6 23c3-11 17-11 20 0" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round"/><circle cx="26" cy="23" r="3" fill="#6f8bff"/></svg>';

/**
 * On a narrow screen a table that is not in a `scrollTable` box scrolls
 * sideways by itself (see LAYOUT_STYLE), as may a plain `.scroll` box; this
 * lets the keyboard reach whichever scrolls, so the arrow keys scroll it.
 * A `scrollTable` box is focusable already.
 */
const KEYBOARD_SCROLLING = `{
const mark = () => {
  for (const box of document.querySelectorAll('main .scroll:not([role=region]), main table')) {
    if (box.tagName === 'TABLE' && box.closest('.scroll')) continue;
    if (box.scrollWidth > box.clientWidth) box.tabIndex = 0; else box.removeAttribute('tabindex');
  }
};
mark(); addEventListener('resize', mark);
}`;

export interface LayoutOptions {
  title: string;
  /** Who is signed in, for the header. */
  user?: { name: string } | null;
  admin?: boolean;
  /** Extra elements for the head (the referral snippet on the landing page). */
  head?: Html;
}

export function layout(options: LayoutOptions, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${options.title} · Hopshop</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <style>${raw(STYLE)}${raw(LAYOUT_STYLE)}</style>
    ${options.head ?? ''}
  </head>
  <body>
    <a class="skip" href="#main">Skip to content</a>
    <header>
      <nav aria-label="Main">
        <a href="/"><b>Hopshop</b></a>
        <a href="/checkout">Pricing</a>
        ${options.user ? html`<a href="/dashboard">Referrals</a>` : ''}
        ${options.admin ? html`<a href="/admin">Admin</a>` : ''}
      </nav>
      <span class="grow"></span>
      ${options.admin ? html`<form method="post" action="/admin/signout"><button class="secondary">Sign out of admin</button></form>` : ''}
      ${
        options.user
          ? html`<span>${options.user.name}</span>
            <form method="post" action="/signout"><button class="secondary">Sign out</button></form>`
          : options.admin
            ? ''
            : html`<a href="/signin">Sign in</a><a href="/signup">Sign up</a>`
      }
    </header>
    <main id="main">${body}</main>
    <script>${raw(KEYBOARD_SCROLLING)}</script>
  </body>
</html>`;
}

/** A form field with its label and error. */
export function field(name: string, label: string, options: { type?: string; value?: string; errors?: FieldErrors; attrs?: string } = {}): Html {
  const error = options.errors?.[name];
  return html`<label for="${name}">${label}</label>
    <input id="${name}" name="${name}" type="${options.type ?? 'text'}" value="${options.value ?? ''}" ${raw(options.attrs ?? '')} ${error ? raw('aria-invalid="true"') : ''} />
    ${error ? html`<div class="error" data-error-for="${name}">${error}</div>` : ''}`;
}

export function formError(errors: FieldErrors | undefined): Html | string {
  const general = errors?.form;
  return general ? html`<p class="alert" role="alert">${general}</p>` : '';
}

export const card = (label: string, value: string, testId?: string) =>
  html`<div class="card"><b ${testId ? raw(`data-testid="${testId}"`) : ''}>${value}</b><span>${label}</span></div>`;

/**
 * A table that scrolls sideways inside its own box when the screen is too
 * narrow for it, so the page itself never does. The box can take the
 * keyboard focus (to scroll it with the arrow keys) and is named for screen
 * readers.
 */
export const scrollTable = (label: string, table: Html) => html`<div class="scroll" role="region" aria-label="${label}" tabindex="0">${table}</div>`;

export interface Series {
  name: string;
  color: string;
  values: number[];
  /** Stroke dash pattern (SVG `stroke-dasharray`, in pixels); solid when absent. */
  dash?: string;
  /** Line width in pixels (default 2). */
  width?: number;
  /** The marker on every point: told apart by shape as well as colour. */
  marker: 'circle' | 'square';
}

/** One point's marker: a zero-length stroke whose cap draws the circle or square, the same size at any scale. */
const markerPath = (s: Series, cx: number, cy: number, size: number) =>
  `<path d="M${cx.toFixed(1)} ${cy.toFixed(1)}h0.01" stroke="${s.color}" stroke-width="${size}" stroke-linecap="${s.marker === 'circle' ? 'round' : 'square'}" vector-effect="non-scaling-stroke"`;

const markerSize = (s: Series) => (s.marker === 'square' ? 9 : 7);

/**
 * A line chart: one line per series over the same days, each with its own
 * colour, dash pattern and marker shape, a legend, and the axis labels as
 * HTML text (readable at any width: only the lines scale). Built from
 * numbers only, so the SVG is safe to insert.
 */
export function lineChart(labels: string[], series: Series[], options: { format?: (n: number) => string; label: string }): Html {
  const W = 1000;
  const H = 300;
  // Net figures can dip below zero (a refund on a quiet day): the axis then starts below zero.
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const min = Math.min(0, ...series.flatMap((s) => s.values));
  const x = (i: number) => (labels.length <= 1 ? 0 : (i * W) / (labels.length - 1));
  const y = (v: number) => (H * (max - v)) / (max - min);
  const top = (v: number) => `${((100 * (max - v)) / (max - min)).toFixed(2)}%`;
  const fmt = options.format ?? String;
  const stroke = (s: Series) => `stroke="${s.color}" stroke-width="${s.width ?? 2}" vector-effect="non-scaling-stroke"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}`;
  const lines = series
    .map(
      (s) =>
        `<polyline fill="none" ${stroke(s)} stroke-linejoin="round" points="${s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>` +
        s.values.map((v, i) => `${markerPath(s, x(i), y(v), markerSize(s))}><title>${escapeText(`${labels[i] ?? ''}: ${fmt(v)} ${s.name}`)}</title></path>`).join(''),
    )
    .join('');
  const grid = [max, min < 0 ? 0 : max / 2, min]
    .map((v) => `<line x1="0" x2="${W}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${v === 0 ? '#a9afbf' : '#e1e4ec'}" vector-effect="non-scaling-stroke"/>`)
    .join('');
  // Labels at the top, at zero and at the bottom; one too close to another (a small dip below zero) is left out.
  const yTicks = [max, 0, min].filter((v, i, all) => all.slice(0, i).every((shown) => Math.abs(shown - v) / (max - min) >= 0.12));
  const xTicks = [...new Set([0, Math.floor((labels.length - 1) / 2), labels.length - 1])].filter((i) => i >= 0);
  const longest = yTicks.map(fmt).reduce((a, b) => (b.length > a.length ? b : a), '');
  const totals = series.map((s) => `${s.name} ${fmt(s.values.reduce((a, b) => a + b, 0))} in total`).join(', ');
  const svg = `<svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" aria-hidden="true" focusable="false">${grid}${lines}</svg>`;
  return html`<figure role="img" aria-label="${options.label}, ${labels[0] ?? ''} to ${labels.at(-1) ?? ''}: ${totals}." style="margin:0">
    <ul class="legend" aria-hidden="true">
      ${series.map(
        (s) =>
          html`<li>${raw(`<svg width="34" height="12" viewBox="0 0 34 12"><line x1="1" x2="33" y1="6" y2="6" ${stroke(s)}/>${markerPath(s, 17, 6, markerSize(s))}/></svg>`)}${s.name}</li>`,
      )}
    </ul>
    <div class="chart" aria-hidden="true">
      <div class="y"><span class="sizer">${longest}</span>${yTicks.map((v) => html`<span style="top:${top(v)}">${fmt(v)}</span>`)}</div>
      ${raw(svg)}
      <div class="x">${xTicks.map((i) => html`<span style="left:${((100 * x(i)) / W).toFixed(2)}%">${labels[i] ?? ''}</span>`)}</div>
    </div>
  </figure>`;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export interface FunnelStep {
  name: string;
  count: number;
}

/**
 * A funnel drawn as bars, each as long as its count against the largest
 * step, and between two steps the share of the first that reached the next
 * (`conversions[i]`, in basis points, from step i to step i + 1).
 */
export function funnelChart(steps: FunnelStep[], conversions: { bps: number; label: string }[]): Html {
  const largest = Math.max(1, ...steps.map((s) => s.count));
  return html`<ol class="funnel">
    ${steps.map(
      (step, i) => html`<li>
        <div class="step"><span>${step.name}</span><span class="track"><i style="width:${((100 * step.count) / largest).toFixed(1)}%"></i></span><b>${step.count}</b></div>
        ${i < conversions.length && steps[i + 1] ? html`<p class="conversion">↓ ${steps[i]!.count === 0 ? 'no' : percent(conversions[i]!.bps)} ${conversions[i]!.label}</p>` : ''}
      </li>`,
    )}
  </ol>`;
}
