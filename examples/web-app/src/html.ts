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
header{background:#1d2330;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;align-items:center}
header a{color:#fff;text-decoration:none}header .grow{flex:1}header form{margin:0}
main{max-width:68rem;margin:1.5rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin:1.6rem 0 .6rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.8rem}
.card,section.box{background:#fff;border:1px solid #e1e4ec;border-radius:8px;padding:.8rem 1rem}
.card b{display:block;font-size:1.35rem}.card span{color:#5b6275;font-size:.85rem}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #e1e4ec}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #eef0f5;vertical-align:top}th{font-size:.8rem;color:#5b6275}
td.num,th.num{text-align:right}
form.inline{display:inline-flex;gap:.3rem;align-items:center;margin:0}
label{display:block;margin:.5rem 0 .2rem;font-weight:600}input,select,button{font:inherit;padding:.35rem .5rem}
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
    <style>${raw(STYLE)}</style>
    ${options.head ?? ''}
  </head>
  <body>
    <header>
      <a href="/"><b>Hopshop</b></a>
      <a href="/checkout">Pricing</a>
      ${options.user ? html`<a href="/dashboard">Referrals</a>` : ''}
      ${options.admin ? html`<a href="/admin">Admin</a>` : ''}
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
    <main>${body}</main>
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

export interface Series {
  name: string;
  color: string;
  values: number[];
}

/**
 * A line chart as inline SVG: one line per series over the same days, with
 * the maximum on the y axis. Built from numbers only, so it is safe to insert.
 */
export function lineChart(labels: string[], series: Series[], options: { width?: number; height?: number; format?: (n: number) => string } = {}): Html {
  const width = options.width ?? 640;
  const height = options.height ?? 180;
  const pad = { left: 48, right: 8, top: 10, bottom: 22 };
  // Net figures can dip below zero (a refund on a quiet day): the axis then starts below zero.
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const min = Math.min(0, ...series.flatMap((s) => s.values));
  const x = (i: number) => pad.left + (labels.length <= 1 ? 0 : (i * (width - pad.left - pad.right)) / (labels.length - 1));
  const y = (v: number) => pad.top + (height - pad.top - pad.bottom) * ((max - v) / (max - min));
  const fmt = options.format ?? String;
  const lines = series
    .map(
      (s) =>
        `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"><title>${s.name}</title></polyline>`,
    )
    .join('');
  const ticks = [0, Math.floor((labels.length - 1) / 2), labels.length - 1]
    .filter((i, k, all) => i >= 0 && all.indexOf(i) === k)
    .map(
      (i) =>
        `<text x="${x(i).toFixed(1)}" y="${height - 6}" font-size="11" text-anchor="${i === 0 ? 'start' : i === labels.length - 1 ? 'end' : 'middle'}" fill="#5b6275">${escapeText(labels[i] ?? '')}</text>`,
    )
    .join('');
  const svg =
    `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${series.map((s) => s.name).join(', ')} per day">` +
    `<line x1="${pad.left}" y1="${y(0)}" x2="${width - pad.right}" y2="${y(0)}" stroke="#c9cdd8"/>` +
    `<line x1="${pad.left}" y1="${y(max)}" x2="${width - pad.right}" y2="${y(max)}" stroke="#eef0f5"/>` +
    `<text x="${pad.left - 6}" y="${y(max) + 4}" font-size="11" text-anchor="end" fill="#5b6275">${escapeText(fmt(max))}</text>` +
    `<text x="${pad.left - 6}" y="${y(0) + 4}" font-size="11" text-anchor="end" fill="#5b6275">${escapeText(fmt(0))}</text>` +
    (min < 0 ? `<text x="${pad.left - 6}" y="${y(min) + 4}" font-size="11" text-anchor="end" fill="#5b6275">${escapeText(fmt(min))}</text>` : '') +
    lines +
    ticks +
    `</svg>`;
  return html`<div class="legend">${series.map((s) => html`<span><i style="background:${s.color}"></i>${s.name}</span>`)}</div>${raw(svg)}`;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
