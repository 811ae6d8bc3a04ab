// esbuild bundles imported CSS into dist/webview/main.css; for TypeScript it is a side-effect import.
declare module '*.css';
