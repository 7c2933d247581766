/** The version of `@evroute/core`, checked against each plugin's `core` range. Kept equal to package.json by a test. */
export const CORE_VERSION = '0.1.0';
