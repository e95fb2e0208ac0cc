import { Resvg } from '@resvg/resvg-js';
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { qrCodeSvg } from './qr';

/** Renders the SVG to pixels with resvg and reads it with jsQR, as a phone camera would. */
function decode(svg: string, width = 400): string | null {
  const image = new Resvg(svg, { fitTo: { mode: 'width', value: width }, background: 'white' }).render();
  return jsQR(new Uint8ClampedArray(image.pixels), image.width, image.height)?.data ?? null;
}

describe('QR codes', () => {
  it('decodes back to the referral link, UTM parameters included', () => {
    const link = 'https://app.example/join?ref=ABCD2345&utm_source=qr&utm_campaign=spring+sale';
    const svg = qrCodeSvg({ text: link });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(decode(svg)).toBe(link);
  });

  it('decodes with custom colours, a transparent background, every correction level and a long link', () => {
    const long = `https://app.example/join?ref=ABCD2345&${'p=' + 'x'.repeat(300)}`;
    expect(decode(qrCodeSvg({ text: long, correction: 'H', foreground: '#1a237e' }), 800)).toBe(long);
    for (const correction of ['L', 'M', 'Q', 'H'] as const) {
      expect(decode(qrCodeSvg({ text: 'https://x.example/?ref=Q', correction, background: 'transparent' }))).toBe('https://x.example/?ref=Q');
    }
  });

  it('sizes the SVG by scale and margin', () => {
    const svg = qrCodeSvg({ text: 'https://x.example/?ref=Q', scale: 2, margin: 0 });
    const size = Number(/width="(\d+)"/.exec(svg)![1]);
    expect(size % 2).toBe(0);
    expect(size / 2).toBeGreaterThanOrEqual(21);
    expect(svg).not.toContain('<rect x="-4"');
  });

  it('refuses bad input with the field named', () => {
    expect(() => qrCodeSvg({ text: '' })).toThrow(expect.objectContaining({ field: 'text' }));
    expect(() => qrCodeSvg({ text: 'x', foreground: 'red;" onload="x' })).toThrow(expect.objectContaining({ field: 'foreground' }));
  });
});
