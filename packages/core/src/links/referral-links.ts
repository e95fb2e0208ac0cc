import { type EngineContext, parse } from '../engine/context';
import { LinkSigningNotConfiguredError, ParticipantNotFoundError, ValidationError } from '../errors/errors';
import { type LinkForInput, linkForInputSchema, type ShareLinksForInput, type SignedLinkForInput, shareLinksForInputSchema, signedLinkForInputSchema } from './inputs';
import { buildReferralLink, type ParsedReferralLink, parseReferralLink } from './links';
import { type QrCodeSvgInput, qrCodeSvg } from './qr';
import { type ShareNetwork, shareLinks } from './share';
import { type LinkVerification, signLink, verifyLink as verifySignedLink } from './signed';

const DAY_MS = 86_400_000;

/** Builds a user's referral link with the program's link parameter. */
export async function linkFor(ctx: EngineContext, input: LinkForInput): Promise<string> {
  const data = parse(linkForInputSchema, input);
  const participant = await ctx.run((work) => work.tx.participants.get(work.scope, data.userId));
  if (!participant) throw new ParticipantNotFoundError(data.userId);
  return buildReferralLink({
    baseUrl: data.baseUrl,
    code: participant.code,
    parameter: ctx.program.links.parameter,
    ...(data.utm ? { utm: data.utm } : {}),
    ...(data.params ? { params: data.params } : {}),
  });
}

/** Reads the code and UTM parameters from a referral link of this program. */
export function parseLink(ctx: EngineContext, link: string | URL): ParsedReferralLink | null {
  return parseReferralLink(link, ctx.program.links.parameter);
}

/**
 * A user's referral link that stops attributing at `expiresAt` (default:
 * `links.signing.defaultDays` from now), signed with the program's link
 * secret. Pass the link the referee landed on to `attribute({ link })`.
 */
export async function signedLinkFor(ctx: EngineContext, input: SignedLinkForInput): Promise<string> {
  const data = parse(signedLinkForInputSchema, input);
  const signing = ctx.program.links.signing;
  if (!signing) throw new LinkSigningNotConfiguredError();
  const now = ctx.clock.now();
  const expiresAt = data.expiresAt ?? new Date(now.getTime() + signing.defaultDays * DAY_MS);
  if (expiresAt.getTime() <= now.getTime()) throw new ValidationError([{ field: 'expiresAt', message: 'must be in the future' }]);
  const { expiresAt: _, ...link } = data;
  return signLink(await linkFor(ctx, link), signing.secret, ctx.program.id, ctx.program.links.parameter, expiresAt);
}

/** Checks a signed link of this program: its code, expiry and signature. */
export function verifyReferralLink(ctx: EngineContext, link: string | URL): LinkVerification {
  const signing = ctx.program.links.signing;
  if (!signing) throw new LinkSigningNotConfiguredError();
  return verifySignedLink(link, signing.secret, ctx.program.id, ctx.program.links.parameter, ctx.clock.now());
}

/** Share URLs (e-mail, X, Facebook, LinkedIn, WhatsApp, Telegram) for a user's referral link. */
export async function shareLinksFor(ctx: EngineContext, input: ShareLinksForInput): Promise<{ link: string; share: Record<ShareNetwork, string> }> {
  const { text, subject, tagNetworks, ...linkInput } = parse(shareLinksForInputSchema, input);
  const link = await linkFor(ctx, linkInput);
  return { link, share: shareLinks({ link, text, subject, tagNetworks }) };
}

/** A user's referral link as a QR code, an SVG document. */
export async function qrCodeFor(ctx: EngineContext, input: LinkForInput & Omit<QrCodeSvgInput, 'text'>): Promise<string> {
  const { userId, baseUrl, utm, params, ...style } = input;
  return qrCodeSvg({ ...style, text: await linkFor(ctx, { userId, baseUrl, ...(utm ? { utm } : {}), ...(params ? { params } : {}) }) });
}
