import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { LinkForInput, linkForInputSchema, ShareLinksForInput, SignedLinkForInput, shareLinksForInputSchema, signedLinkForInputSchema } from './inputs';
import type { BuildLinkInput, buildLinkInputSchema } from './links';
import type { QrCodeSvgInput, qrCodeSvgInputSchema } from './qr';
import type { ShareLinksInput, shareLinksInputSchema } from './share';

// The documented input interfaces are what the schemas accept: the same fields,
// each way (a field added to one and not the other fails the typecheck).
describe('link input types', () => {
  it('LinkForInput is the input of its schema', () => {
    expectTypeOf<LinkForInput>().toEqualTypeOf<z.input<typeof linkForInputSchema>>();
  });

  it('SignedLinkForInput is the input of its schema', () => {
    expectTypeOf<SignedLinkForInput>().toEqualTypeOf<z.input<typeof signedLinkForInputSchema>>();
  });

  it('ShareLinksForInput is the input of its schema', () => {
    expectTypeOf<ShareLinksForInput>().toEqualTypeOf<z.input<typeof shareLinksForInputSchema>>();
  });

  it('BuildLinkInput is the input of its schema', () => {
    expectTypeOf<BuildLinkInput>().toEqualTypeOf<z.input<typeof buildLinkInputSchema>>();
  });

  it('ShareLinksInput is the input of its schema', () => {
    expectTypeOf<ShareLinksInput>().toEqualTypeOf<z.input<typeof shareLinksInputSchema>>();
  });

  it('QrCodeSvgInput is the input of its schema', () => {
    expectTypeOf<QrCodeSvgInput>().toEqualTypeOf<z.input<typeof qrCodeSvgInputSchema>>();
  });
});
