// How every test tier starts Debian's Chromium through playwright-core (never `npx playwright
// install`): the flags keep it from reaching for the network this machine does not have.

/** PREVIEW_HOST_CHROMIUM (or the older CHROMIUM_PATH), else Debian's. */
export const CHROMIUM_EXECUTABLE = process.env.PREVIEW_HOST_CHROMIUM || process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
