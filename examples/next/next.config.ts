import type { NextConfig } from 'next';

// `next build` type-checks the app against the built package, as an app installing flagwire would.
const config: NextConfig = {};

export default config;
