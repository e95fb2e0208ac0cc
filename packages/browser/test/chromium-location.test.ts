import { describe, expect, it } from 'vitest';
import { CHROMIUM_LOCATIONS, findChromium, noChromiumReason } from '../../../testing/environment';

// The browser tests find Chromium as a developer's machine has it: CHROMIUM_PATH first, then where Linux packages and macOS install Chromium or Chrome.
describe('finding Chromium for the browser tests', () => {
  const only =
    (...present: string[]) =>
    (path: string) =>
      present.includes(path);

  it('takes CHROMIUM_PATH when it exists, and nothing else when it does not', () => {
    expect(findChromium({ CHROMIUM_PATH: '/opt/my/chrome' }, only('/opt/my/chrome', '/usr/bin/chromium'))).toBe('/opt/my/chrome');
    expect(findChromium({ CHROMIUM_PATH: '/opt/missing' }, only('/usr/bin/chromium'))).toBeUndefined();
    expect(noChromiumReason({ CHROMIUM_PATH: '/nowhere/at/all' })).toContain('CHROMIUM_PATH=/nowhere/at/all does not exist');
  });

  it('otherwise looks in the usual places on Linux and macOS, Chromium before Chrome', () => {
    expect(findChromium({}, only('/usr/bin/google-chrome', '/snap/bin/chromium'))).toBe('/snap/bin/chromium');
    expect(findChromium({}, only('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'))).toBe('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(findChromium({}, only())).toBeUndefined();
    expect(CHROMIUM_LOCATIONS).toContain('/usr/bin/chromium-browser');
  });
});
