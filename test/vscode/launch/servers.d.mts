// Types of what TypeScript callers (runTests.ts, vsix.ts) use from servers.mjs.
export declare const FRONTS: readonly ['server', 'code-server'];
export declare const CODE_SERVER_VERSION: string;
/** The install's `package/` directory: $CODE_SERVER_DIR, else where the install script caches it. */
export declare function resolveCodeServerDir(): string;
